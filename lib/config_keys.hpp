// lib/config_keys.hpp: the one table of nexadex.toml(5) keys: where each lives in Config, its type, range and meaning.
//
// The strict TOML reader, `config show` (TOML, JSON, CSV), the journal's cached config and the man-page
// check all walk this table; a new key is one row here (its default is the member initializer in
// lib/config.hpp) and one entry in man/nexadex.toml.5.scd (tests/lib/config_keys_test.cpp fails until
// both are there); validate() below checks its range from the row. A new array of tables also needs
// its row in config_keys.cpp's list of arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lib/config.hpp"

namespace nexadex {

// Where a key's value lives: a reference into the Config. `entry` picks the entry of an array of
// tables (the market of a markets[] key); pool-wide keys ignore it.
template <class T>
struct ConfigField {
  T& (*get)(Config&, std::size_t entry);
  const T& (*get_const)(const Config&, std::size_t entry);
  T& operator()(Config& c, std::size_t entry = 0) const { return get(c, entry); }
  const T& operator()(const Config& c, std::size_t entry = 0) const { return get_const(c, entry); }
};

// The value types of keys; the alternative is the key's type. A std::string is a name of range.min
// to range.max characters of A-Z and 0-9; a bool is the presence of its table (Presence::implied) or,
// optional, a TOML boolean; an int64_t a plain whole number (assets[].decimals).
using ConfigFieldRef = std::variant<ConfigField<Bps>, ConfigField<Usd>, ConfigField<Duration>, ConfigField<Leverage>,
                                    ConfigField<std::string>, ConfigField<std::vector<Layer>>, ConfigField<bool>,
                                    ConfigField<std::vector<LockTier>>, ConfigField<int64_t>, ConfigField<FeeCurve>,
                                    ConfigField<std::vector<std::string>>>;

// The allowed values, in the units of the type: basis points, micro-USD, seconds, hundredths (of
// leverage), characters (of a name). Unused for layer lists and presence flags.
struct ConfigRange {
  int64_t min = 0;
  int64_t max = std::numeric_limits<int64_t>::max();
};

enum class Presence {
  optional,  // left out, the default of lib/config.hpp holds
  identity,  // required in every entry of its array of tables, and distinct among them ("symbol")
  implied,   // never written: true when its table is in the file (tranches.enabled)
};

struct ConfigKey {
  std::string_view table;    // "pool", "fees.split", "tranches.senior"; "markets[]" for each [[markets]]
  std::string_view name;     // "max_utilization_bps"
  ConfigFieldRef field;
  ConfigRange range;
  Presence presence;
  std::string_view example;  // a valid value as TOML text: "8000", "\"5m\"", "[\"junior\"]"
  std::string_view doc;      // one line: what it governs
  bool multi_asset = false;  // a key of a multi-asset pool only: read and shown only with [[assets]]
  // A key added after journals were written whose default (0) is "off": left out of the effective
  // config while at 0, so that the cached config and checkpoints of those journals read as they were.
  bool shown_when_set = false;

  // The name nexadex.toml(5) documents: "pool.max_utilization_bps", "markets[].symbol", and "[]" after
  // a list ("cascade.trader_pnl[]").
  std::string path() const;
  // Keys of every entry of an array of tables ("markets[]").
  bool per_entry() const { return table.ends_with("[]"); }
};

// Every key, grouped by table, tables in file order and keys within one in the order the reader
// checks them (so the first error reported does not depend on the map order of the TOML library).
std::span<const ConfigKey> config_keys();

// An array of tables ("markets[]"): the member of Config that holds its entries. A required array
// holds at least one entry; an optional one ("assets[]") may be left out, and is then not shown.
struct ConfigArray {
  std::string_view table;                 // "markets[]"
  std::size_t (*count)(const Config&);    // the entries in a config
  std::size_t (*add)(Config&);            // appends a default entry, returns its index
  bool required = true;
};

// A rule across the keys of one table, checked once the table is read: an error (ErrorKind::input)
// says what is wrong, without the table's name, which the reader prefixes with the file and line.
// `entry` is the entry of an array of tables that was just read (0 for other tables).
struct ConfigTableRule {
  std::string_view table;  // "fees.split"
  Status (*check)(const Config&, std::size_t entry);
};

std::span<const ConfigTableRule> config_table_rules();

// One item written directly in a table: a key, or a table in it (key == nullptr): "split" in "fees",
// "markets" (the array of tables "markets[]", with its `array`) at the top level ("").
struct ConfigTableItem {
  const ConfigKey* key;
  std::string_view table;     // the table in it, in full: "fees.split", "markets[]"; empty for a key
  std::string_view name;      // as written in the file: "max_price_age", "split", "markets"
  const ConfigArray* array;   // for an array of tables, else nullptr
};

// The items of `table` in the order of config_keys().
std::vector<ConfigTableItem> table_items(std::string_view table);

// The key of an array's entries that names each one (Presence::identity, "markets[].symbol"), or nullptr.
const ConfigKey* identity_key(std::string_view array);

// "market" for the array "markets" (or "markets[]"): what one entry is called in a message.
std::string entry_noun(std::string_view array);

// Whether `name` is range.min to range.max characters of A-Z and 0-9 (a std::string key's rule).
bool name_in_range(std::string_view name, const ConfigRange& range);

// A key's value in the units of its range (basis points, micro-USD, seconds, hundredths of leverage),
// or nullopt for a name, a layer list or a presence flag. `entry` picks the entry of an array of tables.
std::optional<int64_t> ranged_units(const ConfigKey& key, const Config& config, std::size_t entry = 0);

// Every rule of the table on a Config that did not come from the TOML reader (the journal's cached
// config; the reader checks the same rules key by key, naming the line): each key within its range,
// names well formed and distinct, at least one entry of each array, each table rule, and the rules
// across tables (tranches.max_junior_ratio_bps ≥ min_junior_ratio_bps). Errors are ErrorKind::input,
// naming the key.
Status validate(const Config& config);

// The rules of a multi-asset pool's config across its [[assets]] (nexadex-assets(7), OPTIONS): at
// most 32, the targets summing to 10000, a settlement asset (stable, priced by no market), each price
// naming a configured market. Nothing when there is no [[assets]].
Status check_assets(const Config& config);

// The lock tiers' own rules (DESIGN-risk §7): min ≥ 1s and strictly ascending, boost_bps 10000 to
// 100000 and never lower than a shorter tier's. `where` names the list ("locks.tiers") in the error,
// which names the tier by index and min.
Status check_lock_tiers(const std::vector<LockTier>& tiers, const std::string& where);

}  // namespace nexadex
