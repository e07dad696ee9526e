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
