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

// A config file with `name = value` in `key`'s table, and the one market every config needs.
std::string file_with(const ConfigKey& key, const std::string& name, const std::string& value) {
  const ConfigKey& id = identity_of("markets[]");
  const std::string market = "[[markets]]\n" + std::string(id.name) + " = " + std::string(id.example) + "\n";
  if (!key.per_entry()) return "[" + std::string(key.table) + "]\n" + name + " = " + value + "\n" + market;
  const ConfigKey& entry_id = identity_of(key.table);
  std::string text = "[[" + array_name(key.table) + "]]\n";
  if (&entry_id != &key) text += std::string(entry_id.name) + " = " + std::string(entry_id.example) + "\n";
  return text + name + " = " + value + "\n";
}

// Config JSON -> dotted keys as nexadex.toml(5) writes them: pool.max_price_age, markets[].symbol,
// cascade.bad_debt[].
void flatten(const nlohmann::json& j, const std::string& prefix, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (j.is_array()) {
    // an array of tables (markets) holds keys; any other array (layers, lock tiers) is one key's value
    if (prefix != "markets") {
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
    Config c;
    c.markets.push_back(MarketConfig{"BTC"});
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
  Config c;
  c.markets.push_back(MarketConfig{"BTC"});
  std::set<std::string> paths;
  for (const ConfigKey& key : config_keys()) {
    CAPTURE(key.path());
    CHECK(paths.insert(key.path()).second);
    CHECK(key.range.min <= key.range.max);
    CHECK_FALSE(key.doc.empty());
    CHECK((key.presence == Presence::implied) == std::holds_alternative<ConfigField<bool>>(key.field));
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
  Config c;
  c.markets.push_back(MarketConfig{"BTC"});
  std::set<std::string> shown;
  flatten(journal::config_to_json(c), "", shown);
  std::set<std::string> table;
  for (const ConfigKey& key : config_keys()) table.insert(key.path());
  CHECK(shown == table);
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
        "pool.toml:1: no_such_key: unknown key; the keys allowed at the top level are cascade, fees, insurance, "
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
