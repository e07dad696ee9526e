// tests/lib/config_keys_test.cpp: the key table (lib/config_keys.hpp) agrees with the TOML reader and config show.
//
// The man page's side of the agreement is in tests/cli/man_test.cpp ("every config key is documented").
#include <catch2/catch.hpp>

#include <limits>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <variant>

#include "journal/config_toml.hpp"
#include "lib/config_keys.hpp"

using namespace nexadex;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;

namespace {

// The entry that makes a config whole: [[markets]] with its identity's example (symbol = "BTC").
const ConfigKey& identity_of(std::string_view array) {
  for (const ConfigKey& key : config_keys()) {
    if (key.table == array && key.presence == Presence::identity) return key;
  }
  FAIL("the array " << array << " has no identity key");
  return config_keys().front();
}

std::string array_name(std::string_view table) { return std::string(table.substr(0, table.size() - 2)); }

// A config file with `name = value` in `key`'s table, and the one market every config needs. A key of
// [[assets]] is written in a second asset beside a settlement asset, the two targets summing to 10000.
std::string file_with(const ConfigKey& key, const std::string& name, const std::string& value) {
  const ConfigKey& id = identity_of("markets[]");
  const std::string market = "[[markets]]\n" + std::string(id.name) + " = " + std::string(id.example) + "\n";
  // a second borrow slope needs its kink (the rule across the two keys)
  const std::string companion = key.path() == "fees.borrow_slope2_apr_bps" ? "borrow_kink_bps = 8000\n" : "";
  if (!key.per_entry()) return "[" + std::string(key.table) + "]\n" + companion + name + " = " + value + "\n" + market;
  // a market's collateral names the assets of a multi-asset pool
  if (key.path() == "markets[].collateral[]") {
    return market + name + " = " + value +
           "\n[[assets]]\nsymbol = \"USDC\"\nstable = true\ntarget_weight_bps = 5000\n"
           "[[assets]]\nsymbol = \"BTC\"\ndecimals = 8\nprice = \"BTC\"\ntarget_weight_bps = 5000\n";
  }
  if (key.table == "assets[]") {
    std::string text = market + "[[assets]]\nsymbol = \"USD\"\nstable = true\ntarget_weight_bps = 5000\n[[assets]]\n";
    for (const auto& [k, v] : {std::pair<std::string, std::string>{"symbol", "\"ZZZ\""}, {"price", "\"BTC\""},
                               {"target_weight_bps", "5000"}}) {
      if (k != name) text += k + " = " + v + "\n";
    }
    return text + name + " = " + value + "\n";
  }
  const ConfigKey& entry_id = identity_of(key.table);
  std::string text = "[[" + array_name(key.table) + "]]\n";
  if (&entry_id != &key) text += std::string(entry_id.name) + " = " + std::string(entry_id.example) + "\n";
  return text + name + " = " + value + "\n";
}

// A config with one market and one asset, so that every key of the table has a value.
Config full_config() {
  Config c;
  c.markets.push_back(MarketConfig{"BTC"});
  AssetConfig usdc;
  usdc.symbol = "USDC";
  usdc.stable = true;
  usdc.target_weight_bps = Bps{10'000};
  c.assets.push_back(usdc);
  return c;
}

// Config JSON -> dotted keys as nexadex.toml(5) writes them: pool.max_price_age, markets[].symbol,
// cascade.bad_debt[].
void flatten(const nlohmann::json& j, const std::string& prefix, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (j.is_array()) {
    // an array of tables (markets) holds keys; any other array (layers, lock tiers) is one key's value
    if (prefix != "markets" && prefix != "assets") {
      out.insert(prefix + "[]");
      return;
    }
    for (const auto& v : j) flatten(v, prefix + "[]", out);
  } else {
    out.insert(prefix);
  }
}

// Sets a key's value in `c` to `v`, in the units of its range; false for lists, flags and names.
bool set_ranged_value(const ConfigKey& key, Config& c, int64_t v) {
  return std::visit(
      [&](const auto& field) {
        auto& out = field(c, 0);
        using T = std::remove_cvref_t<decltype(out)>;
        if constexpr (std::is_same_v<T, Bps>) out = Bps{v};
        else if constexpr (std::is_same_v<T, Usd>) out = Usd(v);
        else if constexpr (std::is_same_v<T, Duration>) out = Duration{v};
        else if constexpr (std::is_same_v<T, Leverage>) out = Leverage{v};
        else if constexpr (std::is_same_v<T, int64_t>) out = v;
        else return false;
        return true;
      },
      key.field);
}

}  // namespace

TEST_CASE("validate() refuses every ranged key of the table just outside its range", "[config][keys][validate]") {
  // validate() guards a Config that did not come from the TOML reader (the journal's cached JSON); a
  // key added to the table must be added to its ranges too.
  for (const ConfigKey& key : config_keys()) {
    Config c = full_config();
    const int64_t outside = key.range.max < std::numeric_limits<int64_t>::max() ? key.range.max + 1 : key.range.min - 1;
    if (!set_ranged_value(key, c, outside)) continue;
    CAPTURE(key.path(), outside);
    auto ok = validate(c);
    REQUIRE_FALSE(ok.has_value());
    CHECK_THAT(ok.error().message, Contains(std::string(key.name)) && Contains(std::to_string(outside) + " but must be " +
                                                                               std::to_string(key.range.min) + " to "));
  }
}

TEST_CASE("the key table names each key once, and every default is within its range", "[config][keys]") {
  Config c = full_config();
  std::set<std::string> paths;
  for (const ConfigKey& key : config_keys()) {
    CAPTURE(key.path());
    CHECK(paths.insert(key.path()).second);
    CHECK(key.range.min <= key.range.max);
    CHECK_FALSE(key.doc.empty());
    if (key.presence == Presence::implied) CHECK(std::holds_alternative<ConfigField<bool>>(key.field));
    CHECK((key.presence == Presence::implied) == key.example.empty());
    if (const auto v = ranged_units(key, c)) {
      CHECK(*v >= key.range.min);
      CHECK(*v <= key.range.max);
    }
  }
  // Every array of tables is held in a member of Config and named by an identity key.
  for (const auto& item : table_items("")) {
    if (item.table.ends_with("[]")) {
      CHECK(item.array != nullptr);
      CHECK(identity_of(item.table).name != "");
    }
  }
}

TEST_CASE("config show prints exactly the keys of the table", "[config][keys]") {
  Config c = full_config();
  c.markets[0].max_net_exposure_bps = Bps{5'000};   // keys shown only when set
  c.markets[0].collateral = {"USDC"};
  c.fees.borrow_kink_bps = Bps{8'000};
  c.fees.borrow_slope2_apr_bps = Bps{12'000};
  std::set<std::string> shown;
  flatten(journal::config_to_json(c), "", shown);
  std::set<std::string> table;
  for (const ConfigKey& key : config_keys()) table.insert(key.path());
  CHECK(shown == table);
  // unset, it is left out: a journal written before it existed reads its cached config as it was
  c.markets[0].max_net_exposure_bps = Bps{0};
  c.markets[0].collateral.clear();
  c.fees.borrow_kink_bps = Bps{0};
  c.fees.borrow_slope2_apr_bps = Bps{0};
  shown.clear();
  flatten(journal::config_to_json(c), "", shown);
  for (const char* key : {"markets[].max_net_exposure_bps", "fees.borrow_kink_bps", "fees.borrow_slope2_apr_bps",
                          "markets[].collateral[]"}) {
    CHECK(table.erase(key) == 1);
  }
  CHECK(shown == table);
  CHECK(journal::config_from_json(journal::config_to_json(c).dump()).has_value());
}

TEST_CASE("the reader accepts every key of the table, with its example value", "[config][keys]") {
  for (const ConfigKey& key : config_keys()) {
    if (key.presence == Presence::implied) continue;
    const std::string text = file_with(key, std::string(key.name), std::string(key.example));
    CAPTURE(text);
    auto c = journal::parse_config(text, "pool.toml");
    if (!c) FAIL("refused: " << c.error().message);
    // What was read is what config show prints, and reads back the same.
    auto again = journal::parse_config(journal::config_to_toml(*c), "shown.toml");
    REQUIRE(again.has_value());
    CHECK(journal::config_to_json(*again) == journal::config_to_json(*c));
  }
}

TEST_CASE("a second borrow slope without its kink is refused, naming both keys", "[config][keys]") {
  auto c = journal::parse_config("[fees]\nborrow_slope2_apr_bps = 12000\n[[markets]]\nsymbol = \"BTC\"\n", "pool.toml");
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().message ==
        "pool.toml:1: fees: borrow_slope2_apr_bps is 12000 but borrow_kink_bps is 0 (one line); set the kink (the "
        "utilization where the second slope starts, e.g. 8000) or remove the second slope.");
  // a kink alone is a curve whose second slope is flat: the rate stops rising at the kink
  CHECK(journal::parse_config("[fees]\nborrow_kink_bps = 8000\n[[markets]]\nsymbol = \"BTC\"\n", "pool.toml").has_value());
}

TEST_CASE("the reader refuses a key outside the table, in every table, naming those allowed", "[config][keys]") {
  std::set<std::string> tables;
  for (const ConfigKey& key : config_keys()) {
    if (key.presence == Presence::implied || !tables.insert(std::string(key.table)).second) continue;
    const std::string text = file_with(key, "no_such_key", "1");
    CAPTURE(text);
    auto c = journal::parse_config(text, "pool.toml");
    REQUIRE_FALSE(c.has_value());
    std::set<std::string> names;
    for (const auto& item : table_items(key.table)) {
      if (!item.key || item.key->presence != Presence::implied) names.emplace(item.name);
    }
    std::string allowed;
    for (const auto& name : names) allowed += (allowed.empty() ? "" : ", ") + name;
    CHECK_THAT(c.error().message, Contains(".no_such_key: unknown key; the keys allowed in "));
    CHECK_THAT(c.error().message, EndsWith(" are " + allowed + "."));
  }
  auto top = journal::parse_config("no_such_key = 1\n[[markets]]\nsymbol = \"BTC\"\n", "pool.toml");
  REQUIRE_FALSE(top.has_value());
  CHECK(top.error().message ==
        "pool.toml:1: no_such_key: unknown key; the keys allowed at the top level are assets, cascade, fees, insurance, "
        "locks, markets, pool, tranches.");
}

TEST_CASE("the reader refuses a whole number just outside a key's range, at both ends", "[config][keys]") {
  for (const ConfigKey& key : config_keys()) {
    if (!std::holds_alternative<ConfigField<Bps>>(key.field)) continue;
    for (const int64_t outside : {key.range.min - 1, key.range.max + 1}) {
      const std::string text = file_with(key, std::string(key.name), std::to_string(outside));
      CAPTURE(text);
      auto c = journal::parse_config(text, "pool.toml");
      REQUIRE_FALSE(c.has_value());
      CHECK_THAT(c.error().message, Contains(std::string(key.name)) && Contains(std::to_string(outside) + " is out of range; use " +
                                                                   std::to_string(key.range.min) + " to " +
                                                                   std::to_string(key.range.max) + "."));
    }
  }
}

namespace {

// nexadex-assets(7)'s example config, with `extra` appended to the BTC asset.
std::string assets_file(const std::string& usdc_extra = "", const std::string& btc_extra = "") {
  return "[[markets]]\nsymbol = \"BTC\"\n"
         "[[assets]]\nsymbol = \"USDC\"\ndecimals = 6\nstable = true\ntarget_weight_bps = 5000\n"
         "min_weight_bps = 3000\nmax_weight_bps = 7000\nadd_fee_bps = 10\nremove_fee_bps = 10\n"
         "fee_curve = \"linear\"\nfee_ratio_mult_bps = 20000\n" + usdc_extra +
         "[[assets]]\nsymbol = \"BTC\"\ndecimals = 8\nprice = \"BTC\"\ntarget_weight_bps = 5000\n"
         "min_weight_bps = 3000\nmax_weight_bps = 7000\nadd_fee_bps = 30\nremove_fee_bps = 30\n"
         "fee_curve = \"linear\"\nfee_ratio_mult_bps = 20000\nprice_confidence_bps = 10\n" + btc_extra;
}

// The example with the last `from` (in the BTC asset) replaced by `to`.
std::string btc_with(const std::string& from, const std::string& to) {
  std::string text = assets_file();
  return text.replace(text.rfind(from), from.size(), to);
}

std::string refused_config(const std::string& text) {
  auto c = journal::parse_config(text, "pool.toml");
  if (c) FAIL("accepted:\n" << text);
  return c.error().message;
}

}  // namespace

TEST_CASE("[[assets]]: the example pool is read and shown back, each rule refused naming the asset",
          "[config][assets]") {
  auto c = journal::parse_config(assets_file(), "pool.toml");
  if (!c) FAIL(c.error().message);
  REQUIRE(c->assets.size() == 2);
  CHECK(c->assets[1].symbol == "BTC");
  CHECK(c->assets[1].decimals == 8);
  CHECK_FALSE(c->assets[1].stable);
  CHECK(c->assets[1].market == "BTC");
  CHECK(c->assets[1].fee_curve == FeeCurve::linear);
  CHECK(c->assets[1].price_confidence_bps == Bps{10});
  CHECK(c->assets[0].fee_optimal_bps == Bps{10});  // defaults
  CHECK(c->assets[0].fee_max_bps == Bps{250});
  auto again = journal::parse_config(journal::config_to_toml(*c), "shown.toml");
  REQUIRE(again.has_value());
  CHECK(journal::config_to_json(*again) == journal::config_to_json(*c));
  // a config without [[assets]] shows none: the single-USDC vault's output is unchanged
  auto plain = journal::parse_config("[[markets]]\nsymbol = \"BTC\"\n", "pool.toml");
  REQUIRE(plain.has_value());
  CHECK_FALSE(journal::config_to_json(*plain).contains("assets"));
  CHECK(journal::config_from_json(journal::config_to_json(*plain).dump()).has_value());
  CHECK(journal::config_from_json(journal::config_to_json(*c).dump()).has_value());

  CHECK(refused_config(btc_with("min_weight_bps = 3000", "min_weight_bps = 6000")) ==
        "pool.toml:14: assets[1]: min_weight_bps (6000), target_weight_bps (5000) and max_weight_bps (7000) must be "
        "in that order; fix the band.");
  CHECK_THAT(refused_config(btc_with("fee_curve = \"linear\"", "fee_curve = \"steep\"")),
             Contains("assets[1].fee_curve: 'steep' is not a fee curve; use \"fixed\", \"linear\" or \"optimal\"."));
  CHECK_THAT(refused_config(assets_file("", "fee_optimal_bps = 300\n")),
             Contains("fee_optimal_bps (300) is above fee_max_bps (250)"));
  CHECK_THAT(refused_config(assets_file("", "decimals = 10\n").replace(assets_file().find("decimals = 8"), 13, "")),
             Contains("assets[1].decimals: 10 is out of range; use 0 to 9."));
  CHECK_THAT(refused_config(assets_file("", "stable = \"yes\"\n")),
             Contains("assets[1].stable: expected true or false, got a string."));
  CHECK_THAT(refused_config(assets_file("price_confidence_bps = 5\n")),
             Contains("price_confidence_bps is 5 but an asset priced by no market is worth exactly 1 USD"));
  // a non-stable asset without a price
  std::string no_price = assets_file();
  no_price.erase(no_price.find("price = \"BTC\"\n"), 14);
  CHECK_THAT(refused_config(no_price), Contains("a non-stable asset needs a price"));
  // across the assets: the targets, the market named, the settlement asset, distinct symbols
  std::string targets = assets_file();
  targets.replace(targets.rfind("target_weight_bps = 5000"), 24, "target_weight_bps = 4000");
  CHECK(refused_config(targets) == "pool.toml: the [[assets]] target_weight_bps sum to 9000 but must sum to exactly 10000.");
  std::string market = assets_file();
  market.replace(market.find("price = \"BTC\""), 13, "price = \"ETH\"");
  CHECK(refused_config(market) ==
        "pool.toml: assets.BTC.price names the market ETH, which is not configured; the markets are BTC.");
  std::string settlement = assets_file("price = \"BTC\"\n");
  CHECK_THAT(refused_config(settlement), Contains("no [[assets]] table is a stable priced by no market"));
  std::string twice = assets_file();
  twice.replace(twice.find("symbol = \"BTC\"\ndecimals"), 14, "symbol = \"USDC\"");
  CHECK_THAT(refused_config(twice), Contains("asset USDC is configured twice"));
}
