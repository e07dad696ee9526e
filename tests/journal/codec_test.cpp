// tests/journal/codec_test.cpp: SHA-256, the chain hash preimage and the canonical payload of each kind.
#include <catch2/catch.hpp>

#include <cctype>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "journal/codec.hpp"
#include "journal/sha256.hpp"

using namespace nexadex;
using namespace nexadex::journal;
using Catch::Matchers::Contains;

namespace {

const std::string k_config = "[[markets]]\nsymbol = \"BTC\"\n";
// sha256sum of the 29 bytes above
const std::string k_config_sha = "6ccc984604506f1192d8e1e478bad8cebfd2f68a9d260d0e635a6e90298359e5";
const std::string k_btc_payload = R"({"market":"BTC","price":"65000.00000000"})";

void undecodable(std::string_view kind, std::string_view payload, std::string_view fragment = "") {
  CAPTURE(kind, payload);
  auto r = decode_payload(kind, payload);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::discrepancy);
  if (!fragment.empty()) CHECK_THAT(r.error().message, Contains(std::string(fragment)));
}

// The payload of a config event of that text and hash (encoded by hand: keys sorted, no spaces).
std::string config_payload(const std::string& text, const std::string& sha) {
  return "{\"config_sha256\":" + json_string(sha) + ",\"config_text\":" + json_string(text) + "}";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// SHA-256 (FIPS 180-2 test vectors).

TEST_CASE("sha256_hex gives the standard test vectors in lowercase hex", "[codec][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // the two-block message of FIPS 180-2
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // one million 'a'
  CHECK(sha256_hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // embedded NUL bytes are hashed, not a C-string end
  CHECK(sha256_hex(std::string_view("abc\0", 4)) != sha256_hex("abc"));
  // SPEC §10: the config hash is of the raw bytes
  CHECK(sha256_hex(k_config) == k_config_sha);
}

TEST_CASE("incremental Sha256 equals the one-shot hash", "[codec][sha256]") {
  const std::string msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{27}, msg.size()}) {
    CAPTURE(cut);
    Sha256 h;
    h.update(std::string_view(msg).substr(0, cut));
    h.update(std::string_view(msg).substr(cut));
    CHECK(h.hex() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
}

// ---------------------------------------------------------------------------------------------
// The chain hash.

TEST_CASE("chain_hash is SHA-256 of prev_hash, seq, at, kind and payload joined by newlines", "[codec][chain]") {
  // printf '<64 zeros>\n2\n1767225600\nprice_set\n{"market":"BTC","price":"65000.00000000"}' | sha256sum
  CHECK(chain_hash(k_genesis_prev_hash, 2, 1'767'225'600, "price_set", k_btc_payload) ==
        "d8ab75d077ef17d487aea43d16e34735d60c2c156b9552f70c81d583560e9c45");
  const std::string prev = sha256_hex("previous");
  const std::vector<std::pair<int64_t, int64_t>> numbers = {
      {1, 0}, {42, 1'767'225'600}, {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}};
  for (const auto& [seq, at] : numbers) {
    CAPTURE(seq, at);
    const std::string preimage =
        prev + "\n" + std::to_string(seq) + "\n" + std::to_string(at) + "\n" + "price_set" + "\n" + k_btc_payload;
    CHECK(chain_hash(prev, seq, at, "price_set", k_btc_payload) == sha256_hex(preimage));
  }
  // an empty payload still ends the preimage with the newline after the kind
  CHECK(chain_hash(prev, 1, 0, "k", "") == sha256_hex(prev + "\n1\n0\nk\n"));
}

TEST_CASE("chain_hash changes with every part of the preimage", "[codec][chain]") {
  const std::string base = chain_hash(k_genesis_prev_hash, 2, 100, "price_set", k_btc_payload);
  CHECK(chain_hash(sha256_hex("x"), 2, 100, "price_set", k_btc_payload) != base);
  CHECK(chain_hash(k_genesis_prev_hash, 3, 100, "price_set", k_btc_payload) != base);
  CHECK(chain_hash(k_genesis_prev_hash, 2, 101, "price_set", k_btc_payload) != base);
  CHECK(chain_hash(k_genesis_prev_hash, 2, 100, "config_applied", k_btc_payload) != base);
  CHECK(chain_hash(k_genesis_prev_hash, 2, 100, "price_set", R"({"market":"BTC","price":"65000.00000001"})") != base);
  // the separators matter: seq 21, at 0 is not seq 2, at 10
  CHECK(chain_hash(k_genesis_prev_hash, 21, 0, "k", "") != chain_hash(k_genesis_prev_hash, 2, 10, "k", ""));
}

// ---------------------------------------------------------------------------------------------
// Encoding.

TEST_CASE("a price_set payload is exactly its canonical JSON", "[codec][encode]") {
  // 65,000 x 10^8 = 6,500,000,000,000 price units, printed with all 8 decimals
  CHECK(encode_payload(PriceSet{"BTC", Price(6'500'000'000'000)}) == k_btc_payload);
  // 1 unit = 0.00000001
  CHECK(encode_payload(PriceSet{"ETH", Price(1)}) == R"({"market":"ETH","price":"0.00000001"})");
  // strings are escaped as the canonical form says
  CHECK(encode_payload(PriceSet{"A\"B\\C\n\t\x01", Price(100'000'000)}) ==
        R"({"market":"A\"B\\C\n\t\u0001","price":"1.00000000"})");
  CHECK(kind_name(EventBody{PriceSet{"BTC", Price(1)}}) == "price_set");
}

TEST_CASE("a config payload holds the text and its hash, keys sorted", "[codec][encode]") {
  // "config_sha256" < "config_text" bytewise ('s' < 't'); the text's newlines and quotes are escaped
  const std::string want = "{\"config_sha256\":\"" + k_config_sha +
                           "\",\"config_text\":\"[[markets]]\\nsymbol = \\\"BTC\\\"\\n\"}";
  // rules version 1 (the first releases) is not written; a later one is, as "rules" (after config_text)
  CHECK(encode_payload(JournalCreated{k_config, k_config_sha, Config{}, 1}) == want);
  CHECK(encode_payload(ConfigApplied{k_config, k_config_sha, Config{}, 1}) == want);
  CHECK(config_payload(k_config, k_config_sha) == want);
  const std::string with_rules = want.substr(0, want.size() - 1) + ",\"rules\":" + std::to_string(k_rules_version) + "}";
  CHECK(encode_payload(JournalCreated{k_config, k_config_sha, Config{}}) == with_rules);
  CHECK(encode_payload(ConfigApplied{k_config, k_config_sha, Config{}}) == with_rules);
  // both decode to what they say, and a "rules" of 1 written out, or newer than this nexadex, is refused
  auto old_one = decode_payload("journal_created", want);
  REQUIRE(old_one.has_value());
  CHECK(std::get<JournalCreated>(*old_one).rules == 1);
  auto new_one = decode_payload("config_applied", with_rules);
  REQUIRE(new_one.has_value());
  CHECK(std::get<ConfigApplied>(*new_one).rules == k_rules_version);
  CHECK_FALSE(decode_payload("journal_created", want.substr(0, want.size() - 1) + ",\"rules\":1}").has_value());
  const auto future = decode_payload("journal_created", want.substr(0, want.size() - 1) + ",\"rules\":" +
                                                            std::to_string(k_rules_newest + 1) + "}");
  REQUIRE_FALSE(future.has_value());
  CHECK(future.error().message.find("use a newer nexadex") != std::string::npos);
  CHECK(kind_name(EventBody{JournalCreated{}}) == "journal_created");
  CHECK(kind_name(EventBody{ConfigApplied{}}) == "config_applied");
}

// ---------------------------------------------------------------------------------------------
// Decoding: round trips.

TEST_CASE("decode_payload reads back what encode_payload wrote", "[codec][decode]") {
  for (const PriceSet& p : {PriceSet{"BTC", Price(6'500'000'000'000)}, PriceSet{"ETH", Price(1)},
                            PriceSet{"SOL", Price(std::numeric_limits<int64_t>::max())},
                            PriceSet{"A\"B\\C\n\x1f", Price(5)}, PriceSet{"\xc3\x89TH", Price(7)}}) {
    CAPTURE(p.market);
    const std::string payload = encode_payload(p);
    auto r = decode_payload("price_set", payload);
    if (!r) FAIL(r.error().message);
    const auto* got = std::get_if<PriceSet>(&*r);
    REQUIRE(got != nullptr);
    CHECK(got->market == p.market);
    CHECK(got->price == p.price);
    CHECK(encode_payload(*r) == payload);
  }
}

TEST_CASE("decode_payload of a config event parses its text", "[codec][decode]") {
  const std::string config = "[fees]\nopen_fee_bps = 25\n" + k_config;
  const std::string sha = sha256_hex(config);
  for (std::string_view kind : {"journal_created", "config_applied"}) {
    CAPTURE(kind);
    const std::string payload = config_payload(config, sha);
    auto r = decode_payload(kind, payload);
    if (!r) FAIL(r.error().message);
    CHECK(kind_name(*r) == kind);
    CHECK(encode_payload(*r) == payload);
    const Config* c = nullptr;
    if (const auto* e = std::get_if<JournalCreated>(&*r)) {
      CHECK(e->config_text == config);
      CHECK(e->config_sha256 == sha);
      c = &e->config;
    } else if (const auto* e = std::get_if<ConfigApplied>(&*r)) {
      CHECK(e->config_text == config);
      CHECK(e->config_sha256 == sha);
      c = &e->config;
    }
    REQUIRE(c != nullptr);
    CHECK(c->fees.open_fee_bps.value == 25);
    REQUIRE(c->markets.size() == 1);
    CHECK(c->markets[0].symbol == "BTC");
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding: refusals. One event has exactly one byte form.

TEST_CASE("decode_payload refuses what is not a JSON object", "[codec][decode]") {
  for (std::string_view payload : {"", "not json", "{", "}", "[]", "null", "\"BTC\"", "65000",
                                   "{\"market\":\"BTC\",\"price\":\"65000.00000000\"", "{\"market\":\"BTC\"]"}) {
    undecodable("price_set", payload);
    undecodable("journal_created", payload);
  }
  // trailing bytes after the object
  undecodable("price_set", k_btc_payload + "x");
  undecodable("price_set", k_btc_payload + "{}");
  // invalid UTF-8 is not JSON text (RFC 8259 §8.1), even inside a string that needs no escape
  undecodable("price_set", "{\"market\":\"\xff\",\"price\":\"65000.00000000\"}");
  undecodable("price_set", "{\"market\":\"B\xc3\",\"price\":\"65000.00000000\"}");
  undecodable("price_set", "{\"market\":\"\xc0\xaf\",\"price\":\"65000.00000000\"}");  // overlong '/'
}

TEST_CASE("a position_opened with collateral in tokens (rules 4) reads back, and its tokens are checked",
          "[codec][decode]") {
  PositionOpened e{"tom", "BTC", Side::long_, Usd(), Usd(6'000'000'000), Leverage{0}, "BTC", "0.02000000"};
  const std::string payload = encode_payload(e);
  CHECK(payload ==
        R"({"collateral_asset":"BTC","collateral_tokens":"0.02000000","market":"BTC","side":"long","size":"6000.000000","trader":"tom"})");
  auto r = decode_payload("position_opened", payload);
  if (!r) FAIL(r.error().message);
  const auto* got = std::get_if<PositionOpened>(&*r);
  REQUIRE(got != nullptr);
  CHECK(got->collateral_asset == "BTC");
  CHECK(got->collateral_tokens == "0.02000000");
  CHECK(got->collateral == Usd());
  CHECK(encode_payload(*r) == payload);
  // the tokens: a positive decimal of at most 9 places (the asset's own decimals are checked when applied)
  undecodable("position_opened",
              R"({"collateral_asset":"BTC","collateral_tokens":"0","market":"BTC","side":"long","size":"6000.000000","trader":"tom"})");
  undecodable("position_opened",
              R"({"collateral_asset":"BTC","collateral_tokens":"0.0000000001","market":"BTC","side":"long","size":"6000.000000","trader":"tom"})");
  undecodable("position_opened",
              R"({"collateral_asset":"","collateral_tokens":"1","market":"BTC","side":"long","size":"6000.000000","trader":"tom"})");
  undecodable("position_opened",
              R"({"collateral_asset":"BTC","market":"BTC","side":"long","size":"6000.000000","trader":"tom"})");
}

TEST_CASE("decode_payload refuses extra and missing keys", "[codec][decode]") {
  undecodable("price_set", R"({"market":"BTC","price":"65000.00000000","x":"1"})", "exactly market and price");
  undecodable("price_set", R"({"a":"1","market":"BTC","price":"65000.00000000"})", "exactly market and price");
  undecodable("price_set", R"({"market":"BTC"})", "exactly market and price");
  undecodable("price_set", R"({"price":"65000.00000000"})", "exactly market and price");
  undecodable("price_set", R"({})", "exactly market and price");
  undecodable("price_set", R"({"market":"BTC","prices":"65000.00000000"})", "exactly market and price");
  const std::string sha = "\"" + k_config_sha + "\"";
  undecodable("journal_created", "{\"config_sha256\":" + sha + "}", "config_text and config_sha256");
  undecodable("journal_created", "{\"config_text\":" + json_string(k_config) + "}", "config_text and config_sha256");
  undecodable("config_applied",
              "{\"config_sha256\":" + sha + ",\"config_text\":" + json_string(k_config) + ",\"note\":\"x\"}",
              "config_text and config_sha256");
}

TEST_CASE("decode_payload refuses values of the wrong type", "[codec][decode]") {
  undecodable("price_set", R"({"market":1,"price":"65000.00000000"})");
  undecodable("price_set", R"({"market":"BTC","price":65000})");
  undecodable("price_set", R"({"market":"BTC","price":65000.0})");
  undecodable("price_set", R"({"market":"BTC","price":null})");
  undecodable("price_set", R"({"market":["BTC"],"price":"65000.00000000"})");
  undecodable("price_set", R"({"market":{"s":"BTC"},"price":"65000.00000000"})");
  undecodable("price_set", R"({"market":true,"price":"65000.00000000"})");
  undecodable("journal_created", "{\"config_sha256\":1,\"config_text\":" + json_string(k_config) + "}");
  undecodable("journal_created", "{\"config_sha256\":\"" + k_config_sha + "\",\"config_text\":[]}");
}

TEST_CASE("decode_payload refuses a bad price", "[codec][decode]") {
  undecodable("price_set", R"({"market":"BTC","price":"0.00000000"})", "price");
  undecodable("price_set", R"({"market":"BTC","price":"-1.00000000"})", "price");
  undecodable("price_set", R"({"market":"BTC","price":"abc"})", "price");
  undecodable("price_set", R"({"market":"BTC","price":""})", "price");
  undecodable("price_set", R"({"market":"BTC","price":"1.000000001"})", "price");
  undecodable("price_set", R"({"market":"BTC","price":"92233720368.54775808"})", "price");  // INT64_MAX + 1
}

TEST_CASE("decode_payload refuses every non-canonical byte form", "[codec][decode]") {
  const std::vector<std::string> forms = {
      R"({"market": "BTC","price":"65000.00000000"})",   // a space after ':'
      R"({"market":"BTC", "price":"65000.00000000"})",   // a space after ','
      R"( {"market":"BTC","price":"65000.00000000"})",   // leading space
      R"({"market":"BTC","price":"65000.00000000"} )",   // trailing space
      "{\"market\":\"BTC\",\"price\":\"65000.00000000\"}\n",
      "{\n\"market\":\"BTC\",\"price\":\"65000.00000000\"\n}",
      R"({"price":"65000.00000000","market":"BTC"})",    // keys out of order
      R"({"market":"BTC","price":"65000"})",             // price without its 8 decimals
      R"({"market":"BTC","price":"65000.0"})",
      R"({"market":"BTC","price":"65_000.00000000"})",
      R"({"market":"BTC","price":"065000.00000000"})",
      R"({"market":"\u0042TC","price":"65000.00000000"})",  // an escape where none is needed
      R"({"market":"BTC","price":"65000.0000000\u0030"})",
      R"({"market":"A\u000aB","price":"1.00000000"})",       // \n written as \u000a
      R"({"market":"A\u001F","price":"1.00000000"})",        // uppercase hex
      R"({"market":"A\/B","price":"1.00000000"})",           // '/' needs no escape
      R"({"market":"ETH","market":"BTC","price":"65000.00000000"})",  // a duplicate key
  };
  for (const auto& payload : forms) undecodable("price_set", payload, "canonical");
  // a config payload with a space, or its keys swapped
  const std::string sha = "\"" + k_config_sha + "\"";
  undecodable("journal_created", "{\"config_sha256\": " + sha + ",\"config_text\":" + json_string(k_config) + "}",
              "canonical");
  undecodable("journal_created", "{\"config_text\":" + json_string(k_config) + ",\"config_sha256\":" + sha + "}",
              "canonical");
}

TEST_CASE("decode_payload refuses an unknown kind", "[codec][decode]") {
  undecodable("loss_allocated", k_btc_payload, "unknown event kind 'loss_allocated'");  // reserved for Phase 2
  undecodable("", k_btc_payload, "unknown event kind");
  undecodable("PRICE_SET", k_btc_payload, "unknown event kind");
  undecodable("price_set ", k_btc_payload, "unknown event kind");
}

TEST_CASE("decode_payload refuses a config whose hash or text does not check out", "[codec][decode]") {
  // the hash of other bytes
  undecodable("journal_created", config_payload(k_config, sha256_hex(k_config + "\n")), "config_sha256");
  undecodable("config_applied", config_payload(k_config, sha256_hex("")), "config_sha256");
  // the right hash in uppercase hex is not the canonical lowercase form (SPEC §10)
  std::string upper = k_config_sha;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  undecodable("journal_created", config_payload(k_config, upper), "config_sha256");
  undecodable("journal_created", config_payload(k_config, ""), "config_sha256");
  // the hash matches, but the text is no valid config
  const std::string bad = "[[markets]]\nsymbol = \"btc\"\n";
  undecodable("journal_created", config_payload(bad, sha256_hex(bad)), "not a valid config");
  const std::string none = "# no markets\n";
  undecodable("config_applied", config_payload(none, sha256_hex(none)), "not a valid config");
}
