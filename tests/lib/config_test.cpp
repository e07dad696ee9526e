// tests/lib/config_test.cpp: the strict TOML reader (journal/config_toml.hpp) and validate() (lib/config.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "journal/config_toml.hpp"
#include "lib/config.hpp"

using namespace nexadex;
using Catch::Matchers::Contains;
using journal::config_to_json;
using journal::config_to_toml;
using journal::parse_config;

namespace {

const std::string k_btc = "[[markets]]\nsymbol = \"BTC\"\n";

Config parsed(const std::string& text) {
  auto r = parse_config(text, "pool.toml");
  if (!r) FAIL("config refused: " << r.error().message << "\n" << text);
  return *r;
}

// A refused config: ErrorKind::input, and the message starts its location with "pool.toml:LINE:" and
// names the key (and `why`, when given).
void config_refused(const std::string& text, int line, const std::string& key, const std::string& why = "") {
  CAPTURE(text);
  auto r = parse_config(text, "pool.toml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains("pool.toml:" + std::to_string(line) + ":"));
  CHECK_THAT(r.error().message, Contains(key));
  if (!why.empty()) CHECK_THAT(r.error().message, Contains(why));
}

Config one_market() {
  Config c;
  MarketConfig m;
  m.symbol = "BTC";
  c.markets.push_back(m);
  return c;
}

void invalid(const Config& c, const std::string& key) {
  auto r = validate(c);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains(key));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Defaults and accepted values.

TEST_CASE("a config with only a market takes the SPEC defaults", "[config]") {
  const Config c = parsed(k_btc);
  REQUIRE(c.markets.size() == 1);
  const MarketConfig& m = c.markets[0];
  CHECK(m.symbol == "BTC");
  // SPEC §3: max leverage 10x = 1000 hundredths; profit capped at 100% = 10,000 bps
  CHECK(m.max_leverage.hundredths == 1'000);
  CHECK(m.max_profit_bps.value == 10'000);
  CHECK(m.maintenance_margin_bps.value == 100);
  // SPEC §3, §10: open and close fee 10 bps
  CHECK(c.fees.open_fee_bps.value == 10);
  CHECK(c.fees.close_fee_bps.value == 10);
  // liquidation fee 5 USD = 5,000,000 micro-USD
  CHECK(c.fees.liquidation_fee.units() == 5'000'000);
  CHECK(c.fees.borrow_base_apr_bps.value == 100);
  CHECK(c.fees.borrow_slope_apr_bps.value == 2'000);
  // split 7000 + 2000 + 1000 = 10,000
  CHECK(c.fees.split.lp_bps.value == 7'000);
  CHECK(c.fees.split.insurance_bps.value == 2'000);
  CHECK(c.fees.split.treasury_bps.value == 1'000);
  CHECK(c.pool.max_utilization_bps.value == 8'000);
  // 5 m = 300 s
  CHECK(c.pool.max_price_age.seconds == 300);
  CHECK(c.insurance.target_min.units() == 0);
  CHECK(c.insurance.target_bps_of_oi.value == 0);
  CHECK(c.insurance.cover_rate_bps.value == 10'000);
  CHECK(c.insurance.max_cover_per_event.units() == 0);
  CHECK(c.insurance.max_cover_per_market_per_day_bps.value == 0);
  CHECK(c.insurance.floor_balance.units() == 0);
  // and the same as the model's own defaults
  CHECK(config_to_json(c) == config_to_json(one_market()));
  CHECK(validate(c).has_value());
}

TEST_CASE("empty sections keep their defaults too", "[config]") {
  const Config c = parsed("[pool]\n[fees]\n[fees.split]\n[insurance]\n" + k_btc);
  CHECK(config_to_json(c) == config_to_json(one_market()));
}

TEST_CASE("every key is read with its unit", "[config]") {
  const Config c = parsed(R"(# a full config
[pool]
max_utilization_bps = 9000
max_price_age = "90s"

[fees]
open_fee_bps = 5
close_fee_bps = 0
liquidation_fee = "2_500.25"
borrow_base_apr_bps = 50
borrow_slope_apr_bps = 1000000

[fees.split]
lp_bps = 10000
insurance_bps = 0
treasury_bps = 0

[insurance]
target_min = 1000
target_bps_of_oi = 250
cover_rate_bps = 5000
max_cover_per_event = "0.000001"
max_cover_per_market_per_day_bps = 10000
floor_balance = "100"

[[markets]]
symbol = "BTC"
max_leverage = "12.5"
maintenance_margin_bps = 50
max_profit_bps = 1000000

[[markets]]
symbol = "ETH2"
max_leverage = 1000
maintenance_margin_bps = 10000
max_profit_bps = 1
)");
  CHECK(c.pool.max_utilization_bps.value == 9'000);
  CHECK(c.pool.max_price_age.seconds == 90);
  CHECK(c.fees.open_fee_bps.value == 5);
  CHECK(c.fees.close_fee_bps.value == 0);
  // 2,500.25 USD = 2,500,250,000 micro-USD
  CHECK(c.fees.liquidation_fee.units() == 2'500'250'000);
  CHECK(c.fees.borrow_base_apr_bps.value == 50);
  CHECK(c.fees.borrow_slope_apr_bps.value == 1'000'000);
  CHECK(c.fees.split.lp_bps.value == 10'000);
  CHECK(c.fees.split.insurance_bps.value == 0);
  CHECK(c.fees.split.treasury_bps.value == 0);
  // a TOML integer amount: 1000 USD = 1,000,000,000 micro-USD
  CHECK(c.insurance.target_min.units() == 1'000'000'000);
  CHECK(c.insurance.target_bps_of_oi.value == 250);
  CHECK(c.insurance.cover_rate_bps.value == 5'000);
  CHECK(c.insurance.max_cover_per_event.units() == 1);
  CHECK(c.insurance.max_cover_per_market_per_day_bps.value == 10'000);
  CHECK(c.insurance.floor_balance.units() == 100'000'000);
  REQUIRE(c.markets.size() == 2);
  // markets stay in file order
  CHECK(c.markets[0].symbol == "BTC");
  // 12.5x = 1250 hundredths
  CHECK(c.markets[0].max_leverage.hundredths == 1'250);
  CHECK(c.markets[0].maintenance_margin_bps.value == 50);
  CHECK(c.markets[0].max_profit_bps.value == 1'000'000);
  CHECK(c.markets[1].symbol == "ETH2");
  // 1000x = 100,000 hundredths, the largest allowed
  CHECK(c.markets[1].max_leverage.hundredths == 100'000);
  CHECK(c.markets[1].maintenance_margin_bps.value == 10'000);
  CHECK(c.markets[1].max_profit_bps.value == 1);
  REQUIRE(c.market("ETH2") != nullptr);
  CHECK(c.market("ETH2")->max_profit_bps.value == 1);
  CHECK(c.market("SOL") == nullptr);
}

TEST_CASE("inline tables and an inline array of markets are the same TOML", "[config]") {
  const Config c = parsed("fees = { split = { lp_bps = 8000, insurance_bps = 1000 } }\n"
                          "markets = [{ symbol = \"BTC\", max_leverage = \"2.25\" }]\n");
  CHECK(c.fees.split.lp_bps.value == 8'000);
  CHECK(c.fees.split.insurance_bps.value == 1'000);
  CHECK(c.fees.split.treasury_bps.value == 1'000);
  // 2.25x = 225 hundredths
  CHECK(c.markets.at(0).max_leverage.hundredths == 225);
}

TEST_CASE("a symbol is 1 to 16 of A-Z and 0-9", "[config]") {
  CHECK(parsed("[[markets]]\nsymbol = \"A\"\n").markets.at(0).symbol == "A");
  CHECK(parsed("[[markets]]\nsymbol = \"ABCDEFGHIJKLMNOP\"\n").markets.at(0).symbol == "ABCDEFGHIJKLMNOP");
  CHECK(parsed("[[markets]]\nsymbol = \"1000PEPE\"\n").markets.at(0).symbol == "1000PEPE");
}

// ---------------------------------------------------------------------------------------------
// Errors: each names pool.toml:LINE: and the key.

TEST_CASE("a TOML syntax error names the file and its line", "[config][errors]") {
  config_refused(k_btc + "max_leverage = = 10\n", 3, "TOML syntax error");
  config_refused("[pool\n" + k_btc, 1, "TOML syntax error");
  config_refused(k_btc + "\n\nsymbol = \"ETH\n", 5, "TOML syntax error");
  // a key given twice is a TOML error, not "last one wins"
  config_refused("[fees]\nopen_fee_bps = 10\nopen_fee_bps = 20\n" + k_btc, 3, "open_fee_bps");
  // a table given twice
  config_refused("[pool]\n[pool]\n" + k_btc, 2, "pool");
}

TEST_CASE("an unknown top-level key or table is an error", "[config][errors]") {
  config_refused("colour = \"red\"\n" + k_btc, 1, "colour", "unknown key");
  config_refused(k_btc + "[poool]\nmax_utilization_bps = 8000\n", 3, "poool", "unknown key");
  config_refused("[market]\nsymbol = \"BTC\"\n", 1, "market", "unknown key");
}

TEST_CASE("an unknown key inside any table is an error, never a default", "[config][errors]") {
  config_refused("[pool]\nmax_utilization_bps = 8000\nmax_utilisation_bps = 8000\n" + k_btc, 3,
                 "pool.max_utilisation_bps", "unknown key");
  config_refused("[fees]\nopen_fee = 10\n" + k_btc, 2, "fees.open_fee", "unknown key");
  config_refused("[fees.split]\nlp = 7000\n" + k_btc, 2, "fees.split.lp", "unknown key");
  config_refused("[insurance]\n\ntarget = \"0\"\n" + k_btc, 3, "insurance.target", "unknown key");
  config_refused(k_btc + "leverage = 10\n", 3, "markets[0].leverage", "unknown key");
  // the second market's typo names the second market
  config_refused(k_btc + "[[markets]]\nsymbol = \"ETH\"\nmax_profits_bps = 1\n", 5, "markets[1].max_profits_bps",
                 "unknown key");
  // a sub-table nobody knows
  config_refused(k_btc + "[markets.limits]\nx = 1\n", 3, "markets[0].limits", "unknown key");
}

TEST_CASE("a value of the wrong type is an error", "[config][errors]") {
  config_refused("[pool]\nmax_utilization_bps = \"8000\"\n" + k_btc, 2, "pool.max_utilization_bps", "a string");
  config_refused("[pool]\nmax_price_age = 300\n" + k_btc, 2, "pool.max_price_age", "an integer");
  config_refused("[fees]\nopen_fee_bps = true\n" + k_btc, 2, "fees.open_fee_bps", "a boolean");
  config_refused("[fees]\nliquidation_fee = [5]\n" + k_btc, 2, "fees.liquidation_fee", "an array");
  config_refused("[fees.split]\nlp_bps = 1979-05-27\n" + k_btc, 2, "fees.split.lp_bps", "a date");
  config_refused("[insurance]\ncover_rate_bps = \"100%\"\n" + k_btc, 2, "insurance.cover_rate_bps", "a string");
  config_refused("[[markets]]\nsymbol = 5\n", 2, "markets[0].symbol", "an integer");
  config_refused(k_btc + "max_leverage = true\n", 3, "markets[0].max_leverage", "a boolean");
  // a table where a table is expected, and the reverse
  config_refused("pool = 5\n" + k_btc, 1, "pool", "expected a table");
  config_refused("[fees]\nsplit = 5\n" + k_btc, 2, "fees.split", "expected a table");
  config_refused("[markets]\nsymbol = \"BTC\"\n", 1, "markets", "array of tables");
  config_refused("markets = [1]\n", 1, "markets", "array of tables");
}

TEST_CASE("a float is refused where an exact amount or rate is expected", "[config][errors]") {
  config_refused("[fees]\nliquidation_fee = 5.0\n" + k_btc, 2, "fees.liquidation_fee", "float");
  config_refused("[fees]\nliquidation_fee = 5.5\n" + k_btc, 2, "fees.liquidation_fee", "float");
  config_refused("[fees]\nopen_fee_bps = 10.5\n" + k_btc, 2, "fees.open_fee_bps", "float");
  config_refused("[fees]\nopen_fee_bps = 10.0\n" + k_btc, 2, "fees.open_fee_bps", "float");
  config_refused("[insurance]\nfloor_balance = 1e3\n" + k_btc, 2, "insurance.floor_balance", "float");
  config_refused("[insurance]\ntarget_min = nan\n" + k_btc, 2, "insurance.target_min", "float");
  config_refused("[insurance]\nmax_cover_per_event = inf\n" + k_btc, 2, "insurance.max_cover_per_event", "float");
  config_refused(k_btc + "max_leverage = 12.5\n", 3, "markets[0].max_leverage", "a float");
}

TEST_CASE("a value out of range is an error naming the range", "[config][errors]") {
  config_refused("[pool]\nmax_utilization_bps = 0\n" + k_btc, 2, "pool.max_utilization_bps", "1 to 10000");
  config_refused("[pool]\nmax_utilization_bps = 10001\n" + k_btc, 2, "pool.max_utilization_bps", "1 to 10000");
  config_refused("[pool]\nmax_price_age = \"0s\"\n" + k_btc, 2, "pool.max_price_age", "at least 1s");
  config_refused("[pool]\nmax_price_age = \"5 minutes\"\n" + k_btc, 2, "pool.max_price_age", "duration");
  config_refused("[fees]\nopen_fee_bps = 1001\n" + k_btc, 2, "fees.open_fee_bps", "0 to 1000");
  config_refused("[fees]\nclose_fee_bps = -1\n" + k_btc, 2, "fees.close_fee_bps", "0 to 1000");
  config_refused("[fees]\nborrow_slope_apr_bps = 1000001\n" + k_btc, 2, "fees.borrow_slope_apr_bps", "out of range");
  config_refused("[fees]\nopen_fee_bps = 99999999999999999999\n" + k_btc, 2, "fees.open_fee_bps");
  config_refused("[fees.split]\nlp_bps = 10001\ninsurance_bps = -1\ntreasury_bps = 0\n" + k_btc, 2,
                 "fees.split.lp_bps", "0 to 10000");
  config_refused("[insurance]\ncover_rate_bps = 10001\n" + k_btc, 2, "insurance.cover_rate_bps", "0 to 10000");
  config_refused("[insurance]\nmax_cover_per_market_per_day_bps = -5\n" + k_btc, 2,
                 "insurance.max_cover_per_market_per_day_bps", "0 to 10000");
  config_refused(k_btc + "maintenance_margin_bps = 0\n", 3, "markets[0].maintenance_margin_bps", "1 to 10000");
  config_refused(k_btc + "max_profit_bps = 1000001\n", 3, "markets[0].max_profit_bps", "out of range");
  // leverage: 1x to 1000x with at most 2 decimals
  config_refused(k_btc + "max_leverage = \"0.99\"\n", 3, "markets[0].max_leverage", "1 to 1000");
  config_refused(k_btc + "max_leverage = 1001\n", 3, "markets[0].max_leverage", "1 to 1000");
  config_refused(k_btc + "max_leverage = 0\n", 3, "markets[0].max_leverage");
  config_refused(k_btc + "max_leverage = -10\n", 3, "markets[0].max_leverage");
  config_refused(k_btc + "max_leverage = \"10.001\"\n", 3, "markets[0].max_leverage", "decimal places");
}

TEST_CASE("an amount must be a non-negative decimal of at most 6 places", "[config][errors]") {
  config_refused("[fees]\nliquidation_fee = \"-5\"\n" + k_btc, 2, "fees.liquidation_fee", "negative");
  config_refused("[fees]\nliquidation_fee = -5\n" + k_btc, 2, "fees.liquidation_fee", "negative");
  config_refused("[fees]\nliquidation_fee = \"5.0000001\"\n" + k_btc, 2, "fees.liquidation_fee", "decimal places");
  config_refused("[fees]\nliquidation_fee = \"1,000\"\n" + k_btc, 2, "fees.liquidation_fee", "1,000");
  config_refused("[insurance]\ntarget_min = \"\"\n" + k_btc, 2, "insurance.target_min", "empty");
  config_refused("[insurance]\nfloor_balance = \"1e3\"\n" + k_btc, 2, "insurance.floor_balance", "exponent");
  config_refused("[insurance]\nfloor_balance = \"9223372036855\"\n" + k_btc, 2, "insurance.floor_balance",
                 "too large");
}

TEST_CASE("the fee split must sum to 10000", "[config][errors]") {
  // 7000 + 2000 + 500 = 9500
  config_refused("[fees]\nopen_fee_bps = 10\n\n[fees.split]\nlp_bps = 7000\ninsurance_bps = 2000\ntreasury_bps = 500\n" +
                     k_btc,
                 4, "fees.split", "9500");
  // a lone lp_bps = 8000 keeps the other defaults: 8000 + 2000 + 1000 = 11000
  config_refused("[fees.split]\nlp_bps = 8000\n" + k_btc, 1, "fees.split", "11000");
  // 0 + 0 + 0 = 0
  config_refused("[fees.split]\nlp_bps = 0\ninsurance_bps = 0\ntreasury_bps = 0\n" + k_btc, 1, "fees.split", "must be 10000");
}

TEST_CASE("market symbols must be well formed and distinct", "[config][errors]") {
  config_refused("[[markets]]\nsymbol = \"btc\"\n", 2, "markets[0].symbol", "A-Z");
  config_refused("[[markets]]\nsymbol = \"\"\n", 2, "markets[0].symbol", "A-Z");
  config_refused("[[markets]]\nsymbol = \"BTC-USD\"\n", 2, "markets[0].symbol", "A-Z");
  config_refused("[[markets]]\nsymbol = \"BTC \"\n", 2, "markets[0].symbol", "A-Z");
  config_refused("[[markets]]\nsymbol = \"ABCDEFGHIJKLMNOPQ\"\n", 2, "markets[0].symbol", "1 to 16");  // 17
  config_refused("[[markets]]\nsymbol = \"ÉTH\"\n", 2, "markets[0].symbol", "A-Z");
  // a market without a symbol: its [[markets]] line
  config_refused("[[markets]]\nmax_leverage = 10\n", 1, "markets[0].symbol", "needs a symbol");
  // the second BTC is the duplicate
  config_refused(k_btc + "\n[[markets]]\nsymbol = \"BTC\"\n", 4, "markets[1].symbol", "twice");
  config_refused(k_btc + "[[markets]]\nsymbol = \"ETH\"\n[[markets]]\nsymbol = \"ETH\"\n", 5, "markets[2].symbol",
                 "twice");
}

TEST_CASE("a config without markets is an error naming the file", "[config][errors]") {
  for (const std::string text : {"", "# nothing\n", "[pool]\nmax_utilization_bps = 8000\n"}) {
    CAPTURE(text);
    auto r = parse_config(text, "pool.toml");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::input);
    CHECK_THAT(r.error().message, Contains("pool.toml:"));
    CHECK_THAT(r.error().message, Contains("[[markets]]"));
  }
  // an empty array has a line
  config_refused("\nmarkets = []\n", 2, "markets", "[[markets]]");
}

// ---------------------------------------------------------------------------------------------
// validate(): the cross-field rules, on a model built in code.

TEST_CASE("validate accepts the defaults with one market", "[config][validate]") {
  CHECK(validate(one_market()).has_value());
}

TEST_CASE("validate refuses no markets, duplicate symbols and a bad split", "[config][validate]") {
  invalid(Config{}, "[[markets]]");
  Config twice = one_market();
  twice.markets.push_back(twice.markets[0]);
  invalid(twice, "BTC");
  Config split = one_market();
  // 7000 + 2000 + 1001 = 10001
  split.fees.split.treasury_bps.value = 1'001;
  invalid(split, "fees.split");
  invalid(split, "10001");
}

TEST_CASE("validate refuses values out of range and bad symbols", "[config][validate]") {
  // header contract: "checks the cross-field rules (split sums to 10,000, unique symbols, ranges)"
  Config c = one_market();
  c.pool.max_utilization_bps.value = 0;
  invalid(c, "pool.max_utilization_bps");
  c = one_market();
  c.pool.max_price_age.seconds = 0;
  invalid(c, "pool.max_price_age");
  c = one_market();
  c.fees.open_fee_bps.value = -1;
  invalid(c, "fees.open_fee_bps");
  c = one_market();
  c.fees.close_fee_bps.value = 1'001;
  invalid(c, "fees.close_fee_bps");
  c = one_market();
  c.fees.liquidation_fee = Usd(-1);
  invalid(c, "fees.liquidation_fee");
  c = one_market();
  // -1000 + 10000 + 1000 = 10000: the sum alone would pass
  c.fees.split.lp_bps.value = -1'000;
  c.fees.split.insurance_bps.value = 10'000;
  invalid(c, "fees.split.lp_bps");
  c = one_market();
  c.insurance.cover_rate_bps.value = 10'001;
  invalid(c, "insurance.cover_rate_bps");
  c = one_market();
  c.insurance.floor_balance = Usd(-1);
  invalid(c, "insurance.floor_balance");
  c = one_market();
  c.markets[0].max_leverage.hundredths = 99;
  invalid(c, "max_leverage");
  c = one_market();
  c.markets[0].maintenance_margin_bps.value = 0;
  invalid(c, "maintenance_margin_bps");
  c = one_market();
  c.markets[0].max_profit_bps.value = 0;
  invalid(c, "max_profit_bps");
  c = one_market();
  c.markets[0].symbol = "btc";
  invalid(c, "symbol");
  c = one_market();
  c.markets[0].symbol = "";
  invalid(c, "symbol");
}

// ---------------------------------------------------------------------------------------------
// Writing the effective config back out.

TEST_CASE("config_to_toml parses back to the same config", "[config][roundtrip]") {
  const std::string full = R"([pool]
max_utilization_bps = 9000
max_price_age = "90s"
[fees]
open_fee_bps = 5
close_fee_bps = 0
liquidation_fee = "2_500.25"
borrow_base_apr_bps = 50
borrow_slope_apr_bps = 1000000
[fees.split]
lp_bps = 5000
insurance_bps = 4999
treasury_bps = 1
[insurance]
target_min = "0.000001"
target_bps_of_oi = 250
cover_rate_bps = 5000
max_cover_per_event = "123456.789"
max_cover_per_market_per_day_bps = 10000
floor_balance = "100"
[[markets]]
symbol = "ETH"
max_leverage = "12.5"
maintenance_margin_bps = 50
max_profit_bps = 1000000
[[markets]]
symbol = "BTC"
[[markets]]
symbol = "SOL"
max_leverage = "1.01"
)";
  for (const std::string& text : {k_btc, full}) {
    const Config c = parsed(text);
    const std::string toml = config_to_toml(c);
    CAPTURE(toml);
    const Config again = parsed(toml);
    CHECK(config_to_json(again) == config_to_json(c));
    // and the text is a fixed point
    CHECK(config_to_toml(again) == toml);
  }
  // market order survives the round trip (ETH, BTC, SOL is not sorted)
  const Config again = parsed(config_to_toml(parsed(full)));
  REQUIRE(again.markets.size() == 3);
  CHECK(again.markets[0].symbol == "ETH");
  CHECK(again.markets[1].symbol == "BTC");
  CHECK(again.markets[2].symbol == "SOL");
  // 1.01x = 101 hundredths
  CHECK(again.markets[2].max_leverage.hundredths == 101);
}

TEST_CASE("config_to_json has amounts and durations as strings, bps as integers", "[config][json]") {
  const nlohmann::json j = config_to_json(parsed(k_btc + "max_leverage = \"12.5\"\n"));
  REQUIRE(j.is_object());
  CHECK(j.size() == 4);
  for (const char* key : {"pool", "fees", "insurance", "markets"}) {
    CAPTURE(key);
    CHECK(j.contains(key));
  }
  CHECK(j["pool"] == nlohmann::json({{"max_utilization_bps", 8000}, {"max_price_age", "5m"}}));
  CHECK(j["fees"] == nlohmann::json({{"open_fee_bps", 10},
                                     {"close_fee_bps", 10},
                                     {"liquidation_fee", "5.000000"},
                                     {"borrow_base_apr_bps", 100},
                                     {"borrow_slope_apr_bps", 2000},
                                     {"split", {{"lp_bps", 7000}, {"insurance_bps", 2000}, {"treasury_bps", 1000}}}}));
  CHECK(j["insurance"] == nlohmann::json({{"target_min", "0.000000"},
                                          {"target_bps_of_oi", 0},
                                          {"cover_rate_bps", 10000},
                                          {"max_cover_per_event", "0.000000"},
                                          {"max_cover_per_market_per_day_bps", 0},
                                          {"floor_balance", "0.000000"}}));
  REQUIRE(j["markets"].is_array());
  REQUIRE(j["markets"].size() == 1);
  // 12.5x printed with its 2 decimals
  CHECK(j["markets"][0] == nlohmann::json({{"symbol", "BTC"},
                                           {"max_leverage", "12.50"},
                                           {"maintenance_margin_bps", 100},
                                           {"max_profit_bps", 10000}}));
  CHECK(j["fees"]["liquidation_fee"].is_string());
  CHECK(j["fees"]["open_fee_bps"].is_number_integer());
  // sorted keys, compact: the form that is hashed and compared
  CHECK(j["pool"].dump() == R"({"max_price_age":"5m","max_utilization_bps":8000})");
}
