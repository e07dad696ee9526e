// journal/config_toml.cpp: a strict TOML reader over toml11, and the JSON and TOML forms, all walking
// the key table of lib/config_keys.hpp: every key known, every value checked by its type.
#include "journal/config_toml.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <vector>
#include <toml.hpp>

#include "lib/config_keys.hpp"

namespace nexadex::journal {
namespace {

using Value = toml::value;

// The layer of that name ("insurance", "junior", "senior"), or nothing.
std::optional<Layer> layer_of(std::string_view name) {
  for (const Layer layer : {Layer::insurance, Layer::junior, Layer::senior}) {
    if (layer_name(layer) == name) return layer;
  }
  return std::nullopt;
}

// The fee curve of that name ("fixed", "linear", "optimal"), or nothing.
std::optional<FeeCurve> fee_curve_of(std::string_view name) {
  for (const FeeCurve curve : {FeeCurve::fixed, FeeCurve::linear, FeeCurve::optimal}) {
    if (to_string(curve) == name) return curve;
  }
  return std::nullopt;
}

// "pool.max_price_age", "markets[0].symbol"; a table at the top level is named alone.
std::string join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

// Raised inside this file only; parse_config turns it into an Error.
struct ConfigError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(std::string file) : m_file(std::move(file)) {}

  const std::string& file() const { return m_file; }

  [[noreturn]] void fail(const Value& v, const std::string& key, const std::string& why) const {
    const auto line = v.location().line();
    throw ConfigError{m_file + ":" + std::to_string(line) + ": " + key + ": " + why};
  }

  // Reads `t`, the table `table` of the key table written at `path` ("markets[0]" for the entry of
  // an array), into `c`: unknown keys first, then every item in table order.
  void read_table(const Value& t, std::string_view table, const std::string& path, Config& c,
                  std::size_t entry) const {
    const auto items = table_items(table);
    std::set<std::string> names;
    for (const auto& item : items) {
      if (!item.key || item.key->presence != Presence::implied) names.emplace(item.name);
    }
    only_keys(t, path, names);
    for (const auto& item : items) {
      if (item.key) {
        read_key(*item.key, t, path, c, entry);
      } else if (item.array) {
        read_array(t, item, c);
      } else if (const Value* sub = child_table(t, item.name, join(path, item.name))) {
        read_table(*sub, item.table, join(path, item.name), c, entry);
      }
    }
    check_table(t, table, path, c, entry);
  }

 private:
  // Refuses keys of `table` outside `names`.
  void only_keys(const Value& table, const std::string& path, const std::set<std::string>& names) const {
    std::map<std::string, const Value*> sorted;  // report the first unknown key deterministically
    for (const auto& [k, v] : table.as_table()) sorted.emplace(k, &v);
    for (const auto& [k, v] : sorted) {
      if (!names.count(k)) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        fail(*v, join(path, k),
             "unknown key; the keys allowed " + (path.empty() ? std::string("at the top level") : "in " + table_name(path)) +
                 " are " + list + ".");
      }
    }
  }

  // "[pool]", or "[[markets]]" for an entry of the markets array.
  static std::string table_name(const std::string& path) {
    const auto bracket = path.find('[');
    return bracket == std::string::npos ? "[" + path + "]" : "[[" + path.substr(0, bracket) + "]]";
  }

  static const Value* find(const Value& table, std::string_view key) {
    const auto& t = table.as_table();
    auto it = t.find(std::string(key));
    return it == t.end() ? nullptr : &it->second;
  }

  const Value* child_table(const Value& parent, std::string_view key, const std::string& path) const {
    const Value* v = find(parent, key);
    if (v && !v->is_table()) fail(*v, path, "expected a table, got " + type_name(*v) + ".");
    return v;
  }

  void read_key(const ConfigKey& key, const Value& t, const std::string& path, Config& c, std::size_t entry) const {
    std::visit(
        [&](const auto& field) {
          using T = std::remove_cvref_t<decltype(field(c, entry))>;
          if (key.presence == Presence::implied) {
            if constexpr (std::is_same_v<T, bool>) field(c, entry) = true;  // the table is in the file
          } else if (const Value* v = find(t, key.name)) {
            read(*v, join(path, key.name), key.range, field(c, entry));
          } else if (key.presence == Presence::identity) {
            fail(t, join(path, key.name),
                 "every " + entry_noun(path.substr(0, path.find('['))) + " needs a " +
                     std::string(key.name) + ", e.g. " + std::string(key.name) + " = " + std::string(key.example) +
                     ".");
          }
        },
        key.field);
  }

  // An array of tables, written [[markets]]: at least one entry, each named by a distinct identity.
  void read_array(const Value& root, const ConfigTableItem& item, Config& c) const {
    const std::string name(item.name);
    const ConfigKey* id = identity_key(item.table);
    const Value* array = find(root, name);
    if (!array && !item.array->required) return;
    if (!array) {
      throw ConfigError{m_file + ": " + name + ": the config has no [[" + name + "]]; add at least one, e.g. [[" +
                        name + "]] with " + std::string(id->name) + " = " + std::string(id->example) + "."};
    }
    if (!array->is_array()) fail(*array, name, "expected an array of tables written [[" + name + "]].");
    if (array->as_array().empty()) fail(*array, name, "the config has no [[" + name + "]]; add at least one.");
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const Value& e : array->as_array()) {
      if (!e.is_table()) fail(e, name, "expected an array of tables written [[" + name + "]].");
      const std::string path = name + "[" + std::to_string(i) + "]";
      const std::size_t entry = item.array->add(c);
      read_table(e, item.table, path, c, entry);
      const std::string& identity = std::get<ConfigField<std::string>>(id->field)(c, entry);
      if (!seen.insert(identity).second) {
        fail(e, join(path, id->name),
             entry_noun(name) + " " + identity + " is configured twice; give each [[" + name + "]] a distinct " +
                 std::string(id->name) + ".");
      }
      ++i;
    }
  }

  // The rules across the keys of one table, checked when it is read so that the error names its line.
  void check_table(const Value& t, std::string_view table, const std::string& path, const Config& c,
                   std::size_t entry) const {
    for (const ConfigTableRule& rule : config_table_rules()) {
      if (rule.table != table) continue;
      if (auto ok = rule.check(c, entry); !ok) fail(t, path, ok.error().message);
    }
  }

  // A TOML integer as written. toml11 reads one beyond 64 bits as the nearest end of the range, so an
  // end is refused rather than named as if the file held it.
  int64_t toml_integer(const Value& v, const std::string& key) const {
    const int64_t n = v.as_integer();
    if (n == std::numeric_limits<int64_t>::max() || n == std::numeric_limits<int64_t>::min()) {
      fail(v, key, "the integer is at or beyond the end of the 64-bit range; write a smaller one.");
    }
    return n;
  }

  int64_t integer(const Value& v, const std::string& key, int64_t lo, int64_t hi, const char* unit) const {
    if (v.is_floating()) {
      fail(v, key, std::string("expected a whole number of ") + unit + ", got a float; floats are never used for money or rates.");
    }
    if (!v.is_integer()) fail(v, key, std::string("expected a whole number of ") + unit + ", got " + type_name(v) + ".");
    const int64_t n = toml_integer(v, key);
    if (n < lo || n > hi) {
      fail(v, key, std::to_string(n) + " is out of range; use " + std::to_string(lo) + " to " + std::to_string(hi) + ".");
    }
    return n;
  }

  void read(const Value& v, const std::string& key, const ConfigRange& range, Bps& out) const {
    out.value = integer(v, key, range.min, range.max, "basis points");
  }

  // An amount: a decimal string ("5", "1_000.25") or an integer; never a float, never negative.
  void read(const Value& v, const std::string& key, const ConfigRange&, Usd& out) const {
    std::string text;
    if (v.is_integer()) {
      text = std::to_string(toml_integer(v, key));
    } else if (v.is_string()) {
      text = v.as_string().str;
    } else if (v.is_floating()) {
      fail(v, key, "write amounts as decimal strings such as \"5.25\"; floats are never used for money.");
    } else {
      fail(v, key, "expected an amount as a decimal string, got " + type_name(v) + ".");
    }
    auto r = parse_usd(text, Sign::non_negative, "the value");
    if (!r) fail(v, key, r.error().message);
    out = *r;
  }

  void read(const Value& v, const std::string& key, const ConfigRange& range, Duration& out) const {
    if (!v.is_string()) fail(v, key, "expected a duration string such as \"5m\", got " + type_name(v) + ".");
    auto r = parse_duration(v.as_string().str, "the value");
    if (!r) fail(v, key, r.error().message);
    if (r->seconds < range.min) fail(v, key, "must be at least " + std::to_string(range.min) + "s.");
    out = *r;
  }

  // Leverage: an integer or a decimal string with at most 2 decimals ("12.5"); the range in hundredths.
  void read(const Value& v, const std::string& key, const ConfigRange& range, Leverage& out) const {
    std::string text;
    if (v.is_integer()) text = std::to_string(toml_integer(v, key));
    else if (v.is_string()) text = v.as_string().str;
    else fail(v, key, "expected a number such as 10 or \"12.5\" (at most 2 decimals), got " + type_name(v) + ".");
    auto n = parse_decimal(text, 2, Sign::positive, "the value");
    if (!n) fail(v, key, n.error().message);
    if (*n < range.min || *n > range.max) {
      fail(v, key, text + " is out of range; use " + std::to_string(range.min / 100) + " to " +
                       std::to_string(range.max / 100) + ".");
    }
    out.hundredths = *n;
  }

  // A plain whole number within the range (assets[].decimals).
  void read(const Value& v, const std::string& key, const ConfigRange& range, int64_t& out) const {
    out = integer(v, key, range.min, range.max, "decimal places");
  }

  // A TOML boolean (assets[].stable); a presence flag never reaches here.
  void read(const Value& v, const std::string& key, const ConfigRange&, bool& out) const {
    if (!v.is_boolean()) fail(v, key, "expected true or false, got " + type_name(v) + ".");
    out = v.as_boolean();
  }

  void read(const Value& v, const std::string& key, const ConfigRange&, FeeCurve& out) const {
    const std::string allowed = "use \"fixed\", \"linear\" or \"optimal\".";
    if (!v.is_string()) fail(v, key, "expected a fee curve name, got " + type_name(v) + "; " + allowed);
    const std::optional<FeeCurve> curve = fee_curve_of(v.as_string().str);
    if (!curve) fail(v, key, "'" + v.as_string().str + "' is not a fee curve; " + allowed);
    out = *curve;
  }

  // A name: range.min to range.max characters of A-Z and 0-9.
  void read(const Value& v, const std::string& key, const ConfigRange& range, std::string& out) const {
    if (!v.is_string()) fail(v, key, "expected a string, got " + type_name(v) + ".");
    out = v.as_string().str;
    if (!name_in_range(out, range)) {
      fail(v, key, "'" + out + "' must be " + std::to_string(range.min) + " to " + std::to_string(range.max) +
                       " characters of A-Z and 0-9.");
    }
  }

  // A list of loss layers (DESIGN-risk §3): a non-empty array of distinct names among the layers.
  void read(const Value& v, const std::string& key, const ConfigRange&, std::vector<Layer>& out) const {
    const std::string allowed = "the layers are insurance, junior, senior";
    if (!v.is_array()) {
      fail(v, key, "expected an array of layer names such as [\"junior\", \"senior\"], got " + type_name(v) + ".");
    }
    if (v.as_array().empty()) fail(v, key, "the list is empty; list at least one layer (" + allowed + ").");
    std::vector<Layer> list;
    for (const Value& e : v.as_array()) {
      if (!e.is_string()) fail(e, key, "expected layer names as strings, got " + type_name(e) + "; " + allowed + ".");
      const std::string& name = e.as_string().str;
      const std::optional<Layer> layer = layer_of(name);
      if (!layer) fail(e, key, "'" + name + "' is not a layer; " + allowed + ".");
      for (const Layer seen : list) {
        if (seen == *layer) fail(e, key, "names " + name + " twice; list each layer at most once.");
      }
      list.push_back(*layer);
    }
    out = std::move(list);
  }

  // A list of asset symbols (markets[].collateral): a non-empty array of distinct names.
  void read(const Value& v, const std::string& key, const ConfigRange& range, std::vector<std::string>& out) const {
    if (!v.is_array()) fail(v, key, "expected an array of asset symbols such as [\"USDC\", \"BTC\"], got " + type_name(v) + ".");
    if (v.as_array().empty()) fail(v, key, "the list is empty; list at least the settlement asset, or leave the key out.");
    std::vector<std::string> list;
    for (const Value& e : v.as_array()) {
      if (!e.is_string()) fail(e, key, "expected asset symbols as strings, got " + type_name(e) + ".");
      const std::string& name = e.as_string().str;
      if (!name_in_range(name, range)) {
        fail(e, key, "'" + name + "' must be " + std::to_string(range.min) + " to " + std::to_string(range.max) +
                         " characters of A-Z and 0-9.");
      }
      for (const std::string& seen : list) {
        if (seen == name) fail(e, key, "names " + name + " twice; list each asset once.");
      }
      list.push_back(name);
    }
    out = std::move(list);
  }

  // Lock tiers (DESIGN-risk §7): an array of tables, each exactly { min = "30d", boost_bps = 11000 },
  // by ascending min; the order and the boosts' range are checked here to name the tier's line.
  void read(const Value& v, const std::string& key, const ConfigRange&, std::vector<LockTier>& out) const {
    const std::string form = "write the tiers as [{ min = \"30d\", boost_bps = 11000 }, ...]";
    if (!v.is_array()) fail(v, key, "expected an array of tiers, got " + type_name(v) + "; " + form + ".");
    std::vector<LockTier> list;
    for (const Value& e : v.as_array()) {
      const std::string tier = key + "[" + std::to_string(list.size()) + "]";
      if (!e.is_table()) fail(e, tier, "expected a table, got " + type_name(e) + "; " + form + ".");
      only_keys(e, tier, {"boost_bps", "min"});
      const Value* min = find(e, "min");
      const Value* boost = find(e, "boost_bps");
      if (!min || !boost) fail(e, tier, "a tier needs both min and boost_bps; " + form + ".");
      LockTier t;
      read(*min, tier + ".min", ConfigRange{1, std::numeric_limits<int64_t>::max()}, t.min);
      read(*boost, tier + ".boost_bps", ConfigRange{0, 1'000'000}, t.boost_bps);
      list.push_back(t);
      if (auto ok = check_lock_tiers(list, key); !ok) {
        throw ConfigError{m_file + ":" + std::to_string(e.location().line()) + ": " + ok.error().message};
      }
    }
    out = std::move(list);
  }

  static std::string type_name(const Value& v) {
    switch (v.type()) {
      case toml::value_t::boolean: return "a boolean";
      case toml::value_t::integer: return "an integer";
      case toml::value_t::floating: return "a float";
      case toml::value_t::string: return "a string";
      case toml::value_t::offset_datetime:
      case toml::value_t::local_datetime:
      case toml::value_t::local_date:
      case toml::value_t::local_time: return "a date or time";
      case toml::value_t::array: return "an array";
      case toml::value_t::table: return "a table";
      default: return "an empty value";
    }
  }

  std::string m_file;
};

// toml11's message as one clause: its first line without the "[error] " tag, the name of the
// library function that threw ("toml::insert_value: ") or a final period (the caller ends the sentence).
std::string first_line(const std::string& what) {
  std::string s = what.substr(0, what.find('\n'));
  if (s.rfind("[error] ", 0) == 0) s = s.substr(8);
  if (s.rfind("toml::", 0) == 0) {
    if (const auto colon = s.find(": "); colon != std::string::npos) s = s.substr(colon + 2);
  }
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

using OrderedValue = toml::basic_value<toml::discard_comments, std::map, std::vector>;

// The JSON form of one value, by its type: amounts, durations, leverage and layer names as strings,
// bps as integers.
nlohmann::json to_json(const Bps& v) { return v.value; }
nlohmann::json to_json(const Usd& v) { return to_string(v); }
nlohmann::json to_json(const Duration& v) { return format_duration(v); }
nlohmann::json to_json(const Leverage& v) { return format_decimal(v.hundredths, 2); }
nlohmann::json to_json(const std::string& v) { return v; }
nlohmann::json to_json(bool v) { return v; }
nlohmann::json to_json(int64_t v) { return v; }
nlohmann::json to_json(FeeCurve v) { return std::string(to_string(v)); }
nlohmann::json to_json(const std::vector<LockTier>& tiers) {
  nlohmann::json a = nlohmann::json::array();
  for (const LockTier& t : tiers) a.push_back({{"boost_bps", t.boost_bps.value}, {"min", format_duration(t.min)}});
  return a;
}
nlohmann::json to_json(const std::vector<std::string>& list) { return list; }
nlohmann::json to_json(const std::vector<Layer>& list) {
  nlohmann::json a = nlohmann::json::array();
  for (const Layer layer : list) a.push_back(std::string(layer_name(layer)));
  return a;
}

nlohmann::json table_to_json(const Config& c, std::string_view table, std::size_t entry) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& item : table_items(table)) {
    const std::string name(item.name);
    if (item.key) {
      if (item.key->multi_asset && c.assets.empty()) continue;  // not a key of a single-USDC vault
      if (item.key->shown_when_set && ranged_units(*item.key, c, entry) == 0) continue;   // off: not shown
      if (const auto* list = std::get_if<ConfigField<std::vector<std::string>>>(&item.key->field);
          list && (*list)(c, entry).empty()) {
        continue;   // the default: not shown
      }
      out[name] = std::visit([&](const auto& field) { return to_json(field(c, entry)); }, item.key->field);
    } else if (item.array) {
      if (!item.array->required && item.array->count(c) == 0) continue;  // left out, not shown
      nlohmann::json entries = nlohmann::json::array();
      for (std::size_t i = 0; i < item.array->count(c); ++i) entries.push_back(table_to_json(c, item.table, i));
      out[name] = std::move(entries);
    } else {
      out[name] = table_to_json(c, item.table, entry);
    }
  }
  return out;
}

// The inverse of to_json; throws on a wrong type or value.
void from_json(const nlohmann::json& j, Bps& out) { out = Bps{j.get<int64_t>()}; }
void from_json(const nlohmann::json& j, Usd& out) {
  auto r = parse_usd(j.get<std::string>(), Sign::non_negative, "amount");
  if (!r) throw std::runtime_error(r.error().message);
  out = *r;
}
void from_json(const nlohmann::json& j, Duration& out) {
  auto r = parse_duration(j.get<std::string>(), "duration");
  if (!r) throw std::runtime_error(r.error().message);
  out = *r;
}
void from_json(const nlohmann::json& j, Leverage& out) {
  auto r = parse_decimal(j.get<std::string>(), 2, Sign::positive, "max_leverage");
  if (!r) throw std::runtime_error(r.error().message);
  out.hundredths = *r;
}
void from_json(const nlohmann::json& j, std::string& out) { out = j.get<std::string>(); }
void from_json(const nlohmann::json& j, bool& out) { out = j.get<bool>(); }
void from_json(const nlohmann::json& j, int64_t& out) { out = j.get<int64_t>(); }
void from_json(const nlohmann::json& j, FeeCurve& out) {
  const auto curve = fee_curve_of(j.get<std::string>());
  if (!curve) throw std::runtime_error("'" + j.get<std::string>() + "' is not a fee curve");
  out = *curve;
}
void from_json(const nlohmann::json& j, std::vector<std::string>& out) { out = j.get<std::vector<std::string>>(); }
void from_json(const nlohmann::json& j, std::vector<Layer>& out) {
  std::vector<Layer> list;
  for (const nlohmann::json& e : j) {
    const std::string name = e.get<std::string>();
    const std::optional<Layer> layer = layer_of(name);
    if (!layer) throw std::runtime_error("'" + name + "' is not a layer");
    list.push_back(*layer);
  }
  out = std::move(list);
}

void from_json(const nlohmann::json& j, std::vector<LockTier>& out) {
  std::vector<LockTier> list;
  for (const nlohmann::json& e : j) {
    if (e.size() != 2) throw std::runtime_error("a lock tier holds exactly min and boost_bps");
    LockTier t;
    from_json(e.at("min"), t.min);
    from_json(e.at("boost_bps"), t.boost_bps);
    list.push_back(t);
  }
  out = std::move(list);
}

void table_from_json(const nlohmann::json& j, std::string_view table, Config& c, std::size_t entry) {
  for (const auto& item : table_items(table)) {
    if (item.array && !item.array->required && !j.contains(std::string(item.name))) continue;
    if (item.key && (item.key->multi_asset || item.key->shown_when_set) && !j.contains(std::string(item.name))) continue;
    const nlohmann::json& v = j.at(std::string(item.name));
    if (item.key) {
      std::visit([&](const auto& field) { from_json(v, field(c, entry)); }, item.key->field);
    } else if (item.array) {
      for (const nlohmann::json& e : v) table_from_json(e, item.table, c, item.array->add(c));
    } else {
      table_from_json(v, item.table, c, entry);
    }
  }
}

// The offset of the first byte of `text` that is not well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF, no sequence cut short), or npos. A TOML file is
// UTF-8, and toml11 3.7.1 reads past the end of its buffer on some malformed sequences (found by
// tests/fuzz/config_toml_fuzz.cpp), so the text is checked before toml11 sees it.
std::size_t first_bad_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;   // the range of the second byte
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b == 0xe0) n = 2, lo = 0xa0;
    else if (b == 0xed) n = 2, hi = 0x9f;
    else if (b >= 0xe1 && b <= 0xef) n = 2;
    else if (b == 0xf0) n = 3, lo = 0x90;
    else if (b == 0xf4) n = 3, hi = 0x8f;
    else if (b >= 0xf1 && b <= 0xf3) n = 3;
    else return i;
    if (i + n >= text.size()) return i;   // cut short by the end
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xbf)) return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

}  // namespace

Result<Config> parse_config(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  if (const std::size_t bad = first_bad_utf8(text); bad != std::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    return input_error(file + ":" + std::to_string(line) + ": not UTF-8 text (byte " + std::to_string(bad + 1) +
                       "); a TOML file is UTF-8, so save it as UTF-8 and try again.");
  }
  try {
    std::istringstream in{std::string(text)};
    const Value root = toml::parse(in, file);
    Config c;
    Reader(file).read_table(root, "", "", c, 0);
    if (auto ok = validate(c); !ok) return std::unexpected(Error{ErrorKind::input, file + ": " + ok.error().message});
    return c;
  } catch (const ConfigError& e) {
    return input_error(e.message);
  } catch (const toml::syntax_error& e) {
    return input_error(file + ":" + std::to_string(e.location().line()) + ": TOML syntax error: " +
                       first_line(e.what()) + "; fix the file and try again.");
  } catch (const toml::exception& e) {
    return input_error(file + ":" + std::to_string(e.location().line()) + ": " + first_line(e.what()) + ".");
  } catch (const std::exception& e) {
    return input_error(file + ": cannot be read as TOML: " + first_line(e.what()) + ".");
  }
}

// The JSON form of a config (strings, integers, objects, arrays of objects) as a TOML value.
OrderedValue to_toml_value(const nlohmann::json& j) {
  if (j.is_object()) {
    OrderedValue::table_type t;
    for (const auto& [k, v] : j.items()) t.emplace(k, to_toml_value(v));
    return OrderedValue(std::move(t));
  }
  if (j.is_array()) {
    OrderedValue::array_type a;
    for (const auto& v : j) a.push_back(to_toml_value(v));
    return OrderedValue(std::move(a));
  }
  if (j.is_number_integer()) return OrderedValue(j.get<int64_t>());
  if (j.is_boolean()) return OrderedValue(j.get<bool>());
  return OrderedValue(j.get<std::string>());
}

// The TOML is drawn from config_to_json. An implied key (tranches.enabled) is not a TOML key but the
// presence of its table, so the table is written only when it is on, without it.
std::string config_to_toml(const Config& c) {
  nlohmann::json j = config_to_json(c);
  for (const ConfigKey& key : config_keys()) {
    if (key.presence != Presence::implied) continue;
    std::string pointer = "/" + std::string(key.table);
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    const nlohmann::json::json_pointer table(pointer);
    if (std::get<ConfigField<bool>>(key.field)(c)) j[table].erase(std::string(key.name));
    else j[table.parent_pointer()].erase(table.back());
  }
  std::string text = toml::format(to_toml_value(j));
  text.erase(0, text.find_first_not_of('\n'));
  return text;
}

nlohmann::json config_to_json(const Config& c) { return table_to_json(c, "", 0); }

Result<Config> config_from_json(std::string_view json_text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(json_text);
    Config c;
    table_from_json(j, "", c, 0);
    if (auto ok = validate(c); !ok) throw std::runtime_error(ok.error().message);
    if (config_to_json(c) != j) throw std::runtime_error("it holds keys that are not config keys");
    return c;
  } catch (const std::exception& e) {
    return journal_error(std::string("the cached config is not valid (") + e.what() + ")");
  }
}

}  // namespace nexadex::journal
