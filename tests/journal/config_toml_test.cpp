// tests/journal/config_toml_test.cpp: the strict TOML reader (journal/config_toml.hpp), and validate() (lib/config.hpp) as the reader applies it.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "journal/config_toml.hpp"
#include "lib/config.hpp"
#include "lib/config_keys.hpp"

using namespace nexadex;
using Catch::Matchers::Contains;
using journal::config_from_json;
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

TEST_CASE("an integer beyond 64 bits is refused, not named as the end of the range", "[config][errors]") {
  // toml11 reads 99999999999999999999 as 9223372036854775807: neither is what the file says
  for (const std::string big : {"99999999999999999999", "-99999999999999999999", "9223372036854775807"}) {
    config_refused(k_btc + "max_leverage = " + big + "\n", 3, "max_leverage", "end of the 64-bit range");
    config_refused("[fees]\nopen_fee_bps = " + big + "\n" + k_btc, 2, "open_fee_bps", "end of the 64-bit range");
    config_refused("[fees]\nliquidation_fee = " + big + "\n" + k_btc, 2, "liquidation_fee", "end of the 64-bit range");
  }
}

TEST_CASE("a TOML syntax error names the file and its line", "[config][errors]") {
  config_refused(k_btc + "max_leverage = = 10\n", 3, "TOML syntax error");
  config_refused("[pool\n" + k_btc, 1, "TOML syntax error");
  config_refused(k_btc + "\n\nsymbol = \"ETH\n", 5, "TOML syntax error");
  // a key given twice is a TOML error, not "last one wins"; one sentence, without toml11's function name
  config_refused("[fees]\nopen_fee_bps = 10\nopen_fee_bps = 20\n" + k_btc, 3, "open_fee_bps");
  {
    auto r = parse_config("[fees]\nopen_fee_bps = 10\nopen_fee_bps = 20\n" + k_btc, "pool.toml");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message ==
          "pool.toml:3: TOML syntax error: value (\"open_fee_bps\") already exists; fix the file and try again.");
  }
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
  const std::string tranched = "[tranches]\nsenior.target_apr_bps = 600\nmin_junior_ratio_bps = 2000\n"
                               "max_junior_ratio_bps = 9000\nmax_senior_at_risk_bps = 5000\n"
                               "[cascade]\ntrader_pnl = [\"senior\", \"insurance\", \"junior\"]\n"
                               "bad_debt = [\"junior\"]\nexternal = [\"senior\", \"junior\"]\n" +
                               k_btc;
  for (const std::string& text : {k_btc, full, tranched, "[tranches]\n" + k_btc, "[cascade]\nbad_debt = [\"senior\"]\n" + k_btc}) {
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
  CHECK(j.size() == 7);
  for (const char* key : {"pool", "fees", "insurance", "tranches", "cascade", "locks", "markets"}) {
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
  // off by default, and always written, so that every key is there to read back
  CHECK(j["tranches"] == nlohmann::json({{"enabled", false},
                                         {"senior", {{"target_apr_bps", 0}}},
                                         {"min_junior_ratio_bps", 0},
                                         {"max_junior_ratio_bps", 0},
                                         {"max_senior_at_risk_bps", 0}}));
  CHECK(j["tranches"]["enabled"].is_boolean());
  CHECK(j["cascade"] == nlohmann::json({{"trader_pnl", {"junior", "senior"}},
                                        {"bad_debt", {"insurance", "junior", "senior"}},
                                        {"external", {"insurance", "junior", "senior"}}}));
  REQUIRE(j["cascade"]["trader_pnl"].is_array());
  CHECK(j["cascade"]["trader_pnl"][0].is_string());
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

// ---------------------------------------------------------------------------------------------
// [tranches] and [cascade] (DESIGN-risk §3, §6, §11).

namespace {

const std::vector<Layer> k_junior_senior{Layer::junior, Layer::senior};
const std::vector<Layer> k_insurance_junior_senior{Layer::insurance, Layer::junior, Layer::senior};

void default_cascade(const Config& c) {
  CHECK(c.cascade.trader_pnl == k_junior_senior);
  CHECK(c.cascade.bad_debt == k_insurance_junior_senior);
  CHECK(c.cascade.external == k_insurance_junior_senior);
}

void no_tranches(const Config& c) {
  CHECK_FALSE(c.tranches.enabled);
  CHECK(c.tranches.senior_target_apr_bps.value == 0);
  CHECK(c.tranches.min_junior_ratio_bps.value == 0);
  CHECK(c.tranches.max_junior_ratio_bps.value == 0);
  CHECK(c.tranches.max_senior_at_risk_bps.value == 0);
}

}  // namespace

TEST_CASE("without tranches and cascade tables the vault is one tranche with the default cascade", "[config][tranches]") {
  const Config c = parsed(k_btc);
  no_tranches(c);
  default_cascade(c);
  // the model's own defaults are the same
  no_tranches(one_market());
  default_cascade(one_market());
  CHECK(c.cascade.order(LossKind::trader_pnl) == k_junior_senior);
  CHECK(c.cascade.order(LossKind::bad_debt) == k_insurance_junior_senior);
  CHECK(c.cascade.order(LossKind::external) == k_insurance_junior_senior);
}

TEST_CASE("a full tranches and cascade config is read with its values", "[config][tranches][cascade]") {
  const Config c = parsed(R"([tranches]
senior.target_apr_bps = 600
min_junior_ratio_bps  = 2000
max_junior_ratio_bps  = 5000
max_senior_at_risk_bps = 10000

[cascade]
trader_pnl = ["junior", "insurance", "senior"]
bad_debt   = ["senior"]
external   = [
  "junior",
  "senior",
  "insurance",
]
)" + k_btc);
  CHECK(c.tranches.enabled);
  CHECK(c.tranches.senior_target_apr_bps.value == 600);
  CHECK(c.tranches.min_junior_ratio_bps.value == 2'000);
  CHECK(c.tranches.max_junior_ratio_bps.value == 5'000);
  CHECK(c.tranches.max_senior_at_risk_bps.value == 10'000);
  CHECK(c.cascade.trader_pnl == std::vector<Layer>{Layer::junior, Layer::insurance, Layer::senior});
  CHECK(c.cascade.bad_debt == std::vector<Layer>{Layer::senior});
  CHECK(c.cascade.external == std::vector<Layer>{Layer::junior, Layer::senior, Layer::insurance});
  CHECK(c.cascade.order(LossKind::bad_debt) == std::vector<Layer>{Layer::senior});
  // the other keys keep their defaults
  CHECK(c.insurance.cover_rate_bps.value == 10'000);
}

TEST_CASE("the senior target is a sub-table in any TOML form", "[config][tranches]") {
  CHECK(parsed("[tranches]\nsenior.target_apr_bps = 600\n" + k_btc).tranches.senior_target_apr_bps.value == 600);
  CHECK(parsed("[tranches.senior]\ntarget_apr_bps = 700\n" + k_btc).tranches.senior_target_apr_bps.value == 700);
  CHECK(parsed("tranches.senior.target_apr_bps = 800\n" + k_btc).tranches.senior_target_apr_bps.value == 800);
  const Config inline_form = parsed("tranches = { senior = { target_apr_bps = 900 }, min_junior_ratio_bps = 1 }\n" + k_btc);
  CHECK(inline_form.tranches.enabled);
  CHECK(inline_form.tranches.senior_target_apr_bps.value == 900);
  CHECK(inline_form.tranches.min_junior_ratio_bps.value == 1);
  // a [tranches.senior] alone makes [tranches] too
  CHECK(parsed("[tranches.senior]\n" + k_btc).tranches.enabled);
}

TEST_CASE("an empty tranches table turns tranches on with every default", "[config][tranches]") {
  for (const std::string& text : {"[tranches]\n" + k_btc, "tranches = {}\n" + k_btc}) {
    CAPTURE(text);
    const Config c = parsed(text);
    CHECK(c.tranches.enabled);
    CHECK(c.tranches.senior_target_apr_bps.value == 0);
    CHECK(c.tranches.min_junior_ratio_bps.value == 0);
    CHECK(c.tranches.max_junior_ratio_bps.value == 0);
    CHECK(c.tranches.max_senior_at_risk_bps.value == 0);
    default_cascade(c);
  }
  // the bounds are allowed: 0 and 10000 (and max equal to min)
  const Config c = parsed("[tranches]\nsenior.target_apr_bps = 10000\nmin_junior_ratio_bps = 10000\n"
                          "max_junior_ratio_bps = 10000\nmax_senior_at_risk_bps = 0\n" + k_btc);
  CHECK(c.tranches.senior_target_apr_bps.value == 10'000);
  CHECK(c.tranches.min_junior_ratio_bps.value == 10'000);
  CHECK(c.tranches.max_junior_ratio_bps.value == 10'000);
  // max_junior_ratio_bps = 0 is off, whatever the minimum
  CHECK(parsed("[tranches]\nmin_junior_ratio_bps = 3000\nmax_junior_ratio_bps = 0\n" + k_btc)
            .tranches.min_junior_ratio_bps.value == 3'000);
}

TEST_CASE("a cascade table needs no tranches table and keeps the lists it leaves out", "[config][cascade]") {
  const Config c = parsed("[cascade]\nbad_debt = [\"senior\", \"insurance\"]\n" + k_btc);
  CHECK_FALSE(c.tranches.enabled);
  CHECK(c.cascade.bad_debt == std::vector<Layer>{Layer::senior, Layer::insurance});
  CHECK(c.cascade.trader_pnl == k_junior_senior);
  CHECK(c.cascade.external == k_insurance_junior_senior);
  // an empty [cascade] is the default cascade
  const Config empty = parsed("[cascade]\n" + k_btc);
  default_cascade(empty);
  CHECK(config_to_json(empty) == config_to_json(one_market()));
}

TEST_CASE("an unknown key in tranches is an error naming it and the keys allowed", "[config][tranches][errors]") {
  config_refused("[tranches]\nmin_junior_ratio = 2000\n" + k_btc, 2, "tranches.min_junior_ratio", "unknown key");
  config_refused("[tranches]\nmin_junior_ratio = 2000\n" + k_btc, 2, "[tranches]",
                 "max_junior_ratio_bps, max_senior_at_risk_bps, min_junior_ratio_bps, senior");
  config_refused("[tranches]\n\nwithdraw_notice = { senior = \"0d\" }\n" + k_btc, 3, "tranches.withdraw_notice",
                 "unknown key");
  config_refused("[tranches]\nenabled = true\n" + k_btc, 2, "tranches.enabled", "unknown key");
  // inside the senior sub-table
  config_refused("[tranches]\nsenior.target_apr = 600\n" + k_btc, 2, "tranches.senior.target_apr", "unknown key");
  config_refused("[tranches.senior]\ntarget_apr_bps = 600\nmin_ratio_bps = 1\n" + k_btc, 3,
                 "tranches.senior.min_ratio_bps", "[tranches.senior] are target_apr_bps");
  // a junior sub-table does not exist
  config_refused("[tranches]\njunior.target_apr_bps = 600\n" + k_btc, 2, "tranches.junior", "unknown key");
  // tables where tables are expected
  config_refused("tranches = 1\n" + k_btc, 1, "tranches", "expected a table");
  config_refused("[tranches]\nsenior = 600\n" + k_btc, 2, "tranches.senior", "expected a table");
}

TEST_CASE("an unknown key in cascade is an error naming it and the keys allowed", "[config][cascade][errors]") {
  config_refused("[cascade]\nliquidation = [\"insurance\"]\n" + k_btc, 2, "cascade.liquidation", "unknown key");
  config_refused("[cascade]\ntrader-pnl = [\"junior\"]\n" + k_btc, 2, "cascade.trader-pnl",
                 "[cascade] are bad_debt, external, inventory, trader_pnl");
  config_refused("[cascade]\nbad_debt = [\"insurance\"]\n\nunrealized = [\"junior\"]\n" + k_btc, 4,
                 "cascade.unrealized", "unknown key");
  config_refused("cascade = [\"junior\"]\n" + k_btc, 1, "cascade", "expected a table");
}

TEST_CASE("an unknown layer name is an error naming the allowed layers", "[config][cascade][errors]") {
  config_refused("[cascade]\ntrader_pnl = [\"junior\", \"lp\"]\n" + k_btc, 2, "cascade.trader_pnl",
                 "'lp' is not a layer");
  config_refused("[cascade]\ntrader_pnl = [\"junior\", \"lp\"]\n" + k_btc, 2, "cascade.trader_pnl",
                 "insurance, junior, senior");
  // names are exact: no capitals, no plural, no blanks
  config_refused("[cascade]\nbad_debt = [\"Insurance\"]\n" + k_btc, 2, "cascade.bad_debt", "'Insurance' is not a layer");
  config_refused("[cascade]\nexternal = [\"senior \"]\n" + k_btc, 2, "cascade.external", "'senior ' is not a layer");
  config_refused("[cascade]\nexternal = [\"treasury\"]\n" + k_btc, 2, "cascade.external", "'treasury' is not a layer");
  // the line of the bad name in an array over several lines
  config_refused("[cascade]\nbad_debt = [\n  \"insurance\",\n  \"juniors\",\n]\n" + k_btc, 4, "cascade.bad_debt",
                 "'juniors' is not a layer");
}

TEST_CASE("a layer named twice in one list is an error", "[config][cascade][errors]") {
  config_refused("[cascade]\nexternal = [\"junior\", \"senior\", \"junior\"]\n" + k_btc, 2, "cascade.external",
                 "names junior twice");
  config_refused("[cascade]\ntrader_pnl = [\"senior\", \"senior\"]\n" + k_btc, 2, "cascade.trader_pnl",
                 "at most once");
  config_refused("[cascade]\nbad_debt = [\n  \"insurance\",\n  \"junior\",\n  \"insurance\",\n]\n" + k_btc, 5,
                 "cascade.bad_debt", "names insurance twice");
  // the same layer in two lists is fine
  const Config c = parsed("[cascade]\ntrader_pnl = [\"senior\"]\nbad_debt = [\"senior\"]\nexternal = [\"senior\"]\n" + k_btc);
  CHECK(c.cascade.trader_pnl == std::vector<Layer>{Layer::senior});
  CHECK(c.cascade.external == std::vector<Layer>{Layer::senior});
}

TEST_CASE("an empty layer list is an error", "[config][cascade][errors]") {
  config_refused("[cascade]\ntrader_pnl = []\n" + k_btc, 2, "cascade.trader_pnl", "empty");
  config_refused("[cascade]\nbad_debt = [\"insurance\"]\nexternal = [ ]\n" + k_btc, 3, "cascade.external", "empty");
}

TEST_CASE("a layer list must be an array of strings", "[config][cascade][errors]") {
  config_refused("[cascade]\nbad_debt = [\"insurance\", 1]\n" + k_btc, 2, "cascade.bad_debt", "an integer");
  config_refused("[cascade]\nbad_debt = [\"insurance\", 1]\n" + k_btc, 2, "cascade.bad_debt", "as strings");
  config_refused("[cascade]\ntrader_pnl = [[\"junior\"]]\n" + k_btc, 2, "cascade.trader_pnl", "an array");
  config_refused("[cascade]\ntrader_pnl = [true]\n" + k_btc, 2, "cascade.trader_pnl", "a boolean");
  config_refused("[cascade]\ntrader_pnl = [{ layer = \"junior\" }]\n" + k_btc, 2, "cascade.trader_pnl", "a table");
  // not an array at all
  config_refused("[cascade]\ntrader_pnl = \"junior\"\n" + k_btc, 2, "cascade.trader_pnl", "expected an array");
  config_refused("[cascade]\ntrader_pnl = \"junior\"\n" + k_btc, 2, "cascade.trader_pnl", "a string");
  config_refused("[cascade]\nexternal = 3\n" + k_btc, 2, "cascade.external", "an integer");
  config_refused("[cascade.external]\nfirst = \"junior\"\n" + k_btc, 1, "cascade.external", "a table");
}

TEST_CASE("a tranches rate must be whole basis points", "[config][tranches][errors]") {
  config_refused("[tranches]\nmin_junior_ratio_bps = 20.0\n" + k_btc, 2, "tranches.min_junior_ratio_bps", "float");
  config_refused("[tranches]\nsenior.target_apr_bps = 6.5\n" + k_btc, 2, "tranches.senior.target_apr_bps", "float");
  config_refused("[tranches]\nmax_junior_ratio_bps = 1e3\n" + k_btc, 2, "tranches.max_junior_ratio_bps", "float");
  config_refused("[tranches]\nmax_senior_at_risk_bps = inf\n" + k_btc, 2, "tranches.max_senior_at_risk_bps", "float");
  config_refused("[tranches]\nmin_junior_ratio_bps = \"2000\"\n" + k_btc, 2, "tranches.min_junior_ratio_bps",
                 "a string");
  config_refused("[tranches]\nmax_senior_at_risk_bps = true\n" + k_btc, 2, "tranches.max_senior_at_risk_bps",
                 "a boolean");
}

TEST_CASE("a tranches rate out of 0 to 10000 is an error naming the range", "[config][tranches][errors]") {
  config_refused("[tranches]\nsenior.target_apr_bps = 10001\n" + k_btc, 2, "tranches.senior.target_apr_bps",
                 "0 to 10000");
  config_refused("[tranches]\nsenior.target_apr_bps = -1\n" + k_btc, 2, "tranches.senior.target_apr_bps",
                 "0 to 10000");
  config_refused("[tranches]\nmin_junior_ratio_bps = -1\n" + k_btc, 2, "tranches.min_junior_ratio_bps", "0 to 10000");
  config_refused("[tranches]\nmax_junior_ratio_bps = 10001\n" + k_btc, 2, "tranches.max_junior_ratio_bps",
                 "0 to 10000");
  config_refused("[tranches]\n\nmax_senior_at_risk_bps = 20000\n" + k_btc, 3, "tranches.max_senior_at_risk_bps",
                 "20000 is out of range");
}

TEST_CASE("a maximum junior ratio below the minimum is an error", "[config][tranches][errors]") {
  // validate() finds it: the message names the file and both keys, but no line
  auto r = parse_config("[tranches]\nmin_junior_ratio_bps = 3000\nmax_junior_ratio_bps = 2999\n" + k_btc, "pool.toml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains("pool.toml: "));
  CHECK_THAT(r.error().message, Contains("tranches.max_junior_ratio_bps (2999)"));
  CHECK_THAT(r.error().message, Contains("tranches.min_junior_ratio_bps (3000)"));
  // equal is allowed, and 0 is off
  CHECK(parsed("[tranches]\nmin_junior_ratio_bps = 3000\nmax_junior_ratio_bps = 3000\n" + k_btc)
            .tranches.max_junior_ratio_bps.value == 3'000);
}

TEST_CASE("validate refuses tranches out of range and bad cascades", "[config][validate][tranches][cascade]") {
  Config c = one_market();
  c.tranches.senior_target_apr_bps.value = 10'001;
  invalid(c, "tranches.senior.target_apr_bps");
  c = one_market();
  c.tranches.min_junior_ratio_bps.value = -1;
  invalid(c, "tranches.min_junior_ratio_bps");
  c = one_market();
  c.tranches.max_junior_ratio_bps.value = 10'001;
  invalid(c, "tranches.max_junior_ratio_bps");
  c = one_market();
  c.tranches.max_senior_at_risk_bps.value = -1;
  invalid(c, "tranches.max_senior_at_risk_bps");
  c = one_market();
  c.tranches.min_junior_ratio_bps.value = 2'000;
  c.tranches.max_junior_ratio_bps.value = 1'000;
  invalid(c, "tranches.max_junior_ratio_bps");
  c = one_market();
  c.cascade.trader_pnl.clear();
  invalid(c, "cascade.trader_pnl");
  c = one_market();
  c.cascade.external = {Layer::senior, Layer::junior, Layer::senior};
  invalid(c, "cascade.external");
  invalid(c, "twice");
  c = one_market();
  c.tranches.enabled = true;
  c.tranches.min_junior_ratio_bps.value = 2'000;
  c.cascade.bad_debt = {Layer::senior};
  CHECK(validate(c).has_value());
}

TEST_CASE("config_to_toml writes tranches only when on, and never its enabled flag", "[config][roundtrip][tranches]") {
  const std::string off = config_to_toml(parsed(k_btc));
  CAPTURE(off);
  CHECK(off.find("tranches") == std::string::npos);
  CHECK(off.find("enabled") == std::string::npos);
  // the cascade in force is written, defaults included
  CHECK(off.find("[cascade]") != std::string::npos);
  CHECK(off.find("trader_pnl") != std::string::npos);
  const Config on = parsed("[tranches]\nsenior.target_apr_bps = 600\n" + k_btc);
  const std::string text = config_to_toml(on);
  CAPTURE(text);
  CHECK(text.find("tranches") != std::string::npos);
  CHECK(text.find("enabled") == std::string::npos);
  const Config again = parsed(text);
  CHECK(again.tranches.enabled);
  CHECK(again.tranches.senior_target_apr_bps.value == 600);
  // an empty [tranches] stays on through the round trip
  CHECK(parsed(config_to_toml(parsed("[tranches]\n" + k_btc))).tranches.enabled);
}

TEST_CASE("config_from_json reads back exactly what config_to_json wrote", "[config][json][tranches][cascade]") {
  const std::string tranched = "[tranches]\nsenior.target_apr_bps = 600\nmin_junior_ratio_bps = 2000\n"
                               "max_junior_ratio_bps = 9000\nmax_senior_at_risk_bps = 5000\n"
                               "[cascade]\ntrader_pnl = [\"senior\", \"insurance\", \"junior\"]\n"
                               "bad_debt = [\"junior\"]\nexternal = [\"senior\", \"junior\"]\n" +
                               k_btc;
  for (const std::string& text : {k_btc, tranched, "[tranches]\n" + k_btc, "[cascade]\nexternal = [\"senior\"]\n" + k_btc}) {
    CAPTURE(text);
    const Config c = parsed(text);
    const nlohmann::json j = config_to_json(c);
    auto back = config_from_json(j.dump());
    if (!back) FAIL("config_from_json refused: " << back.error().message << "\n" << j.dump());
    CHECK(config_to_json(*back) == j);
    CHECK(back->tranches.enabled == c.tranches.enabled);
    CHECK(back->tranches.senior_target_apr_bps.value == c.tranches.senior_target_apr_bps.value);
    CHECK(back->tranches.min_junior_ratio_bps.value == c.tranches.min_junior_ratio_bps.value);
    CHECK(back->tranches.max_junior_ratio_bps.value == c.tranches.max_junior_ratio_bps.value);
    CHECK(back->tranches.max_senior_at_risk_bps.value == c.tranches.max_senior_at_risk_bps.value);
    CHECK(back->cascade.trader_pnl == c.cascade.trader_pnl);
    CHECK(back->cascade.bad_debt == c.cascade.bad_debt);
    CHECK(back->cascade.external == c.cascade.external);
  }
  const Config c = parsed(tranched);
  CHECK(config_to_json(c)["cascade"]["trader_pnl"] == nlohmann::json({"senior", "insurance", "junior"}));
  CHECK(config_to_json(c)["tranches"]["enabled"] == true);
  CHECK(config_to_json(c)["tranches"]["senior"]["target_apr_bps"] == 600);
}

TEST_CASE("config_from_json refuses a cache with bad tranches or cascade", "[config][json][tranches][cascade]") {
  const nlohmann::json good = config_to_json(parsed(k_btc));
  auto refused = [](const nlohmann::json& j, const std::string& why) {
    CAPTURE(j.dump());
    auto r = config_from_json(j.dump());
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message, Contains("cached config"));
    if (!why.empty()) CHECK_THAT(r.error().message, Contains(why));
  };
  nlohmann::json j = good;
  j.erase("tranches");
  refused(j, "tranches");
  j = good;
  j.erase("cascade");
  refused(j, "cascade");
  j = good;
  j["tranches"].erase("enabled");
  refused(j, "enabled");
  j = good;
  j["tranches"]["enabled"] = 1;
  refused(j, "");
  j = good;
  j["tranches"]["senior"] = 600;
  refused(j, "");
  j = good;
  j["cascade"]["bad_debt"] = {"insurance", "lp"};
  refused(j, "'lp' is not a layer");
  j = good;
  j["cascade"]["trader_pnl"] = nlohmann::json::array();
  refused(j, "cascade.trader_pnl");
  j = good;
  j["cascade"]["external"] = {"junior", "junior"};
  refused(j, "twice");
  j = good;
  j["cascade"]["external"] = "junior";
  refused(j, "");
  j = good;
  j["tranches"]["withdraw_notice"] = "0d";
  refused(j, "not config keys");
  j = good;
  j["cascade"]["unrealized"] = {"junior"};
  refused(j, "not config keys");
}

// ---------------------------------------------------------------------------------------------
// Text that is not UTF-8 never reaches toml11 (its 3.7.1 reads past its buffer on "'\xff'", found by
// tests/fuzz/config_toml_fuzz.cpp); well-formed multi-byte text still does.

TEST_CASE("a config that is not UTF-8 is refused at its first bad byte", "[config]") {
  // "'\xff'": 0xff never starts a UTF-8 sequence; byte 2 of line 1
  config_refused("'\xff'", 1, "not UTF-8 text (byte 2)");
  // a two-byte sequence cut short by the end of the file, on line 3 after the "#"
  const std::string cut = k_btc + "#\xc3";
  config_refused(cut, 3, "not UTF-8 text (byte " + std::to_string(k_btc.size() + 2) + ")");
  // overlong "/" (0xc0 0xaf), a surrogate (U+D800: 0xed 0xa0 0x80), beyond U+10FFFF (0xf4 0x90 ...)
  config_refused(k_btc + "# \xc0\xaf\n", 3, "not UTF-8 text");
  config_refused(k_btc + "# \xed\xa0\x80\n", 3, "not UTF-8 text");
  config_refused(k_btc + "# \xf4\x90\x80\x80\n", 3, "not UTF-8 text");
  // a stray continuation byte
  config_refused(k_btc + "# \x80\n", 3, "not UTF-8 text");
}

TEST_CASE("well-formed multi-byte UTF-8 in comments and strings is read", "[config]") {
  // é (2 bytes), € (3 bytes), 😀 (4 bytes), U+10FFFF (the largest)
  const Config c = parsed("# pool — é € \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\n" + k_btc);
  REQUIRE(c.markets.size() == 1);
  CHECK(c.markets[0].symbol == "BTC");
}

TEST_CASE("[locks]: tiers by ascending min with their boosts, an invalid tier refused naming it", "[config][locks]") {
  const Config c = parsed(k_btc + "[locks]\ntiers = [{ min = \"30d\", boost_bps = 11000 }, { min = \"365d\", "
                                  "boost_bps = 20000 }]\nmax_boost_bps = 25000\n");
  CHECK(c.locks.enabled);
  REQUIRE(c.locks.tiers.size() == 2);
  CHECK(c.locks.tiers[1].min.seconds == 365 * 86'400);
  CHECK(c.locks.max_boost_bps.value == 25'000);
  // the boost of a lock: the longest tier it reaches; shorter than every tier, x1.0
  CHECK(c.locks.boost(Duration{29 * 86'400}).value == 10'000);
  CHECK(c.locks.boost(Duration{30 * 86'400}).value == 11'000);
  CHECK(c.locks.boost(Duration{400 * 86'400}).value == 20'000);
  // without [locks] nothing is on, and the TOML written back leaves the table out
  CHECK_FALSE(parsed(k_btc).locks.enabled);
  CHECK(config_to_toml(parsed(k_btc)).find("[locks]") == std::string::npos);
  // [locks] with no tiers: lots, every lock x1.0
  CHECK(parsed(k_btc + "[locks]\n").locks.tiers.empty());
  // round trip through JSON (the journal's cached config)
  auto again = journal::config_from_json(config_to_json(c).dump());
  REQUIRE(again.has_value());
  CHECK(again->locks.tiers == c.locks.tiers);
  const std::string head = k_btc + "[locks]\n";
  config_refused(head + "tiers = [{ min = \"90d\", boost_bps = 12500 }, { min = \"30d\", boost_bps = 13000 }]\n", 4,
                 "locks.tiers[1] (min 30d)", "list the tiers by ascending min");
  config_refused(head + "tiers = [{ min = \"30d\", boost_bps = 9000 }]\n", 4, "locks.tiers[0] (min 30d)",
                 "must be 10000 (x1.0) to 100000");
  config_refused(head + "tiers = [{ min = \"30d\", boost_bps = 15000 }, { min = \"90d\", boost_bps = 12000 }]\n", 4,
                 "locks.tiers[1] (min 90d)", "a longer lock may not earn less");
  config_refused(head + "tiers = [{ min = \"30d\" }]\n", 4, "locks.tiers[0]", "needs both min and boost_bps");
  config_refused(head + "tiers = [{ min = \"30d\", boost_bps = 11000, extra = 1 }]\n", 4, "locks.tiers[0].extra",
                 "unknown key");
  config_refused(head + "tiers = [{ min = 30, boost_bps = 11000 }]\n", 4, "locks.tiers[0].min", "duration");
  config_refused(head + "tiers = \"30d\"\n", 4, "locks.tiers", "expected an array of tiers");
  // a tier above the cap: the whole file's check names it
  auto r = parse_config(head + "tiers = [{ min = \"30d\", boost_bps = 30000 }]\n", "pool.toml");
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Contains("locks.tiers[0] (min 30d): boost_bps 30000 is above locks.max_boost_bps"));
}
