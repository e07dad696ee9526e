// tests/journal/codec_fast_test.cpp: the hand-fed canonical encoder writes what nlohmann::json writes.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <random>

#include "journal/codec.hpp"

using nexadex::journal::json_string;

TEST_CASE("json_string matches nlohmann's dump byte for byte", "[codec]") {
  // every ASCII byte, including all control characters, quotes and backslashes
  for (int c = 0; c < 128; ++c) {
    const std::string s(1, static_cast<char>(c));
    INFO("byte " << c);
    CHECK(json_string(s) == nlohmann::json(s).dump());
  }
  // random strings over a hostile alphabet, fixed seed
  std::mt19937 rng(20260101);
  const std::string alphabet = std::string("\"\\\b\f\n\r\t\x01\x1f\x7f azAZ09{}[],:") + "\xc3\xa9";
  for (int n = 0; n < 2000; ++n) {
    std::string s;
    const int len = static_cast<int>(rng() % 12);
    for (int i = 0; i < len; ++i) s += alphabet[rng() % (alphabet.size() - 2)];
    if (rng() % 4 == 0) s += "\xc3\xa9";  // valid UTF-8 passes through raw
    INFO("string of " << s.size() << " bytes, seed 20260101, case " << n);
    CHECK(json_string(s) == nlohmann::json(s).dump());
  }
}

TEST_CASE("the price_set payload is the nlohmann canonical object", "[codec]") {
  const nexadex::PriceSet p{"BTC", nexadex::Price(6'500'000'000'000)};  // 65,000 × 10^8
  const nlohmann::json j = {{"market", "BTC"}, {"price", "65000.00000000"}};
  CHECK(nexadex::journal::encode_payload(p) == j.dump());
  auto back = nexadex::journal::decode_payload("price_set", j.dump());
  REQUIRE(back.has_value());
  CHECK(std::get<nexadex::PriceSet>(*back).price.units() == 6'500'000'000'000);
  // the slow path (an escape in the market) still refuses what is not canonical
  CHECK_FALSE(nexadex::journal::decode_payload("price_set", R"({"market":"B\u0054C","price":"65000.00000000"})"));
  CHECK_FALSE(nexadex::journal::decode_payload("price_set", R"({"market":"BTC","price":"65000"})"));
  CHECK_FALSE(nexadex::journal::decode_payload("price_set", R"({"price":"65000.00000000","market":"BTC"})"));
}

TEST_CASE("the trading events' payloads are the nlohmann canonical objects, and read back", "[codec]") {
  using nexadex::Side;
  using nexadex::Usd;
  namespace j = nexadex::journal;
  // random bodies, fixed seed: each payload written by hand is what nlohmann writes for the object
  // the slow path builds, and it decodes to the same body
  std::mt19937_64 rng(20261207);
  const std::string names[] = {"alice", "t123456789012345", "a b", "q\"uote", "back\\slash", "tab\there", "\x01", "é"};
  for (int n = 0; n < 3000; ++n) {
    INFO("seed 20261207, case " << n);
    const std::string& trader = names[rng() % std::size(names)];
    const std::string& market = names[rng() % std::size(names)];
    nexadex::EventBody body;
    nlohmann::json want = nlohmann::json::object();
    std::string kind;
    switch (rng() % 3) {
      case 0: {
        nexadex::PositionOpened e;
        e.trader = trader;
        e.market = market;
        e.side = rng() % 2 ? Side::short_ : Side::long_;
        e.collateral = Usd(static_cast<int64_t>(1 + rng() % 10'000'000'000'000));
        want["collateral"] = nexadex::to_string(e.collateral);
        if (rng() % 2) {
          e.leverage.hundredths = static_cast<int64_t>(1 + rng() % 100'000);
          want["leverage"] = nexadex::format_decimal(e.leverage.hundredths, 2);
        } else {
          e.size = Usd(static_cast<int64_t>(1 + rng() % 10'000'000'000'000));
          want["size"] = nexadex::to_string(e.size);
        }
        want["trader"] = trader;
        want["market"] = market;
        want["side"] = e.side == Side::long_ ? "long" : "short";
        body = e;
        kind = "position_opened";
        break;
      }
      case 1: {
        nexadex::PositionClosed e;
        e.id = static_cast<int64_t>(rng() % 3 == 0 ? rng() >> 1 : 1 + rng() % 2'000'000);
        want["id"] = e.id;
        if (rng() % 2) {
          e.size = Usd(static_cast<int64_t>(1 + rng() % 10'000'000'000'000));
          want["size"] = nexadex::to_string(e.size);
        }
        body = e;
        kind = "position_closed";
        break;
      }
      default: {
        nexadex::PositionLiquidated e{static_cast<int64_t>(rng() % 2'000'000), trader};
        want["id"] = e.id;
        want["keeper"] = trader;
        body = e;
        kind = "position_liquidated";
      }
    }
    const std::string payload = j::encode_payload(body);
    CHECK(payload == want.dump());
    auto back = j::decode_payload(kind, payload);
    REQUIRE(back.has_value());
    CHECK(j::encode_payload(*back) == payload);
  }
  // what is not canonical is refused, whichever path reads it
  for (const char* bad : {
           R"({"collateral":"100","market":"BTC","side":"long","size":"1000.000000","trader":"t"})",
           R"({"collateral":"100.000000","market":"BTC","side":"up","size":"1000.000000","trader":"t"})",
           R"({"collateral":"100.000000","leverage":"5","market":"BTC","side":"long","trader":"t"})",
           R"({"collateral":"100.000000","leverage":"5.00","market":"BTC","side":"long","size":"1.000000","trader":"t"})",
           R"({"collateral":"100.000000","market":"BTC","side":"long","trader":"t"})",
           R"({"market":"BTC","collateral":"100.000000","side":"long","size":"1000.000000","trader":"t"})",
           R"({"collateral":"100.000000","market":"BTC","side":"long","size":"1000.000000","trader":"t"} )",
           R"({"collateral":"-100.000000","market":"BTC","side":"long","size":"1000.000000","trader":"t"})",
       }) {
    INFO(bad);
    CHECK_FALSE(j::decode_payload("position_opened", bad));
  }
  for (const char* bad : {R"({"id":007})", R"({"id":7,"size":"0.000000"})", R"({"id":7,"size":"1"})",
                          R"({"id":"7"})", R"({"id":7.0})", R"({"id":99999999999999999999})", R"({ "id":7})"}) {
    INFO(bad);
    CHECK_FALSE(j::decode_payload("position_closed", bad));
  }
  for (const char* bad : {R"({"id":7})", R"({"id":7,"keeper":"k","x":1})", R"({"keeper":"k","id":7})"}) {
    INFO(bad);
    CHECK_FALSE(j::decode_payload("position_liquidated", bad));
  }
  // the canonical forms the fast path reads
  auto opened = j::decode_payload(
      "position_opened", R"({"collateral":"100.000000","leverage":"5.00","market":"BTC","side":"short","trader":"t"})");
  REQUIRE(opened.has_value());
  CHECK(std::get<nexadex::PositionOpened>(*opened).leverage.hundredths == 500);
  CHECK(std::get<nexadex::PositionOpened>(*opened).side == Side::short_);
  auto closed = j::decode_payload("position_closed", R"({"id":0})");
  REQUIRE(closed.has_value());
  CHECK(std::get<nexadex::PositionClosed>(*closed).id == 0);
  // a negative id is JSON the fast path leaves to nlohmann (the replay refuses the position)
  auto negative = j::decode_payload("position_closed", R"({"id":-7})");
  REQUIRE(negative.has_value());
  CHECK(std::get<nexadex::PositionClosed>(*negative).id == -7);
}
