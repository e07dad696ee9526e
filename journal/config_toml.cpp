// journal/config_toml.cpp: a strict TOML reader over toml11: every key known, every value checked.
#include "journal/config_toml.hpp"

#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>
#include <toml.hpp>

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

  // Refuses keys of `table` outside `known`.
  void only_keys(const Value& table, const std::string& path, std::initializer_list<const char*> known) const {
    std::set<std::string> names(known.begin(), known.end());
    std::map<std::string, const Value*> sorted;  // report the first unknown key deterministically
    for (const auto& [k, v] : table.as_table()) sorted.emplace(k, &v);
    for (const auto& [k, v] : sorted) {
      if (!names.count(k)) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        fail(*v, path.empty() ? k : path + "." + k,
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

  const Value* find(const Value& table, const char* key) const {
    const auto& t = table.as_table();
    auto it = t.find(key);
    return it == t.end() ? nullptr : &it->second;
  }

  const Value* table(const Value& parent, const char* key, const std::string& path) const {
    const Value* v = find(parent, key);
    if (v && !v->is_table()) fail(*v, path, "expected a table, got " + type_name(*v) + ".");
    return v;
  }

  int64_t integer(const Value& v, const std::string& key, int64_t lo, int64_t hi, const char* unit) const {
    if (v.is_floating()) {
      fail(v, key, std::string("expected a whole number of ") + unit + ", got a float; floats are never used for money or rates.");
    }
    if (!v.is_integer()) fail(v, key, std::string("expected a whole number of ") + unit + ", got " + type_name(v) + ".");
    const int64_t n = v.as_integer();
    if (n < lo || n > hi) {
      fail(v, key, std::to_string(n) + " is out of range; use " + std::to_string(lo) + " to " + std::to_string(hi) + ".");
    }
    return n;
  }

  void bps(const Value& t, const char* k, const std::string& path, Bps& out, int64_t lo, int64_t hi) const {
    if (const Value* v = find(t, k)) out.value = integer(*v, path + "." + k, lo, hi, "basis points");
  }

  // An amount: a decimal string ("5", "1_000.25") or an integer; never a float.
  void usd(const Value& t, const char* k, const std::string& path, Usd& out) const {
    const Value* v = find(t, k);
    if (!v) return;
    const std::string key = path + "." + k;
    std::string text;
    if (v->is_integer()) {
      text = std::to_string(v->as_integer());
    } else if (v->is_string()) {
      text = v->as_string().str;
    } else if (v->is_floating()) {
      fail(*v, key, "write amounts as decimal strings such as \"5.25\"; floats are never used for money.");
    } else {
      fail(*v, key, "expected an amount as a decimal string, got " + type_name(*v) + ".");
    }
    auto r = parse_usd(text, Sign::non_negative, "the value");
    if (!r) fail(*v, key, r.error().message);
    out = *r;
  }

  void duration(const Value& t, const char* k, const std::string& path, Duration& out, int64_t min_seconds) const {
    const Value* v = find(t, k);
    if (!v) return;
    const std::string key = path + "." + k;
    if (!v->is_string()) fail(*v, key, "expected a duration string such as \"5m\", got " + type_name(*v) + ".");
    auto r = parse_duration(v->as_string().str, "the value");
    if (!r) fail(*v, key, r.error().message);
    if (r->seconds < min_seconds) fail(*v, key, "must be at least " + std::to_string(min_seconds) + "s.");
    out = *r;
  }

  // A list of loss layers (DESIGN-risk §3): a non-empty array of distinct names among the layers.
  void layers(const Value& t, const char* k, const std::string& path, std::vector<Layer>& out) const {
    const Value* v = find(t, k);
    if (!v) return;
    const std::string key = path + "." + k;
    const std::string allowed = "the layers are insurance, junior, senior";
    if (!v->is_array()) {
      fail(*v, key, "expected an array of layer names such as [\"junior\", \"senior\"], got " + type_name(*v) + ".");
    }
    if (v->as_array().empty()) fail(*v, key, "the list is empty; list at least one layer (" + allowed + ").");
    std::vector<Layer> list;
    for (const Value& e : v->as_array()) {
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

 private:
  std::string m_file;
};

MarketConfig read_market(const Reader& r, const Value& t, std::size_t index) {
  const std::string path = "markets[" + std::to_string(index) + "]";
  r.only_keys(t, path, {"symbol", "max_leverage", "maintenance_margin_bps", "max_profit_bps"});
  MarketConfig m;
  const Value* sym = r.find(t, "symbol");
  if (!sym) r.fail(t, path + ".symbol", "every market needs a symbol, e.g. symbol = \"BTC\".");
  if (!sym->is_string()) r.fail(*sym, path + ".symbol", "expected a string, got " + Reader::type_name(*sym) + ".");
  m.symbol = sym->as_string().str;
  bool ok = !m.symbol.empty() && m.symbol.size() <= 16;
  for (char c : m.symbol) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (!ok) r.fail(*sym, path + ".symbol", "'" + m.symbol + "' must be 1 to 16 characters of A-Z and 0-9.");
  if (const Value* lev = r.find(t, "max_leverage")) {
    const std::string key = path + ".max_leverage";
    std::string text;
    if (lev->is_integer()) text = std::to_string(lev->as_integer());
    else if (lev->is_string()) text = lev->as_string().str;
    else r.fail(*lev, key, "expected a number such as 10 or \"12.5\" (at most 2 decimals), got " + Reader::type_name(*lev) + ".");
    auto v = parse_decimal(text, 2, Sign::positive, "the value");
    if (!v) r.fail(*lev, key, v.error().message);
    if (*v < 100 || *v > 100'000) r.fail(*lev, key, text + " is out of range; use 1 to 1000.");
    m.max_leverage.hundredths = *v;
  }
  r.bps(t, "maintenance_margin_bps", path, m.maintenance_margin_bps, 1, 10'000);
  r.bps(t, "max_profit_bps", path, m.max_profit_bps, 1, 1'000'000);
  return m;
}

Config read_config(const Reader& r, const Value& root) {
  Config c;
  r.only_keys(root, "", {"pool", "fees", "insurance", "tranches", "cascade", "markets"});
  if (const Value* pool = r.table(root, "pool", "pool")) {
    r.only_keys(*pool, "pool", {"max_utilization_bps", "max_price_age"});
    r.bps(*pool, "max_utilization_bps", "pool", c.pool.max_utilization_bps, 1, 10'000);
    r.duration(*pool, "max_price_age", "pool", c.pool.max_price_age, 1);
  }
  if (const Value* fees = r.table(root, "fees", "fees")) {
    r.only_keys(*fees, "fees", {"open_fee_bps", "close_fee_bps", "liquidation_fee", "borrow_base_apr_bps",
                                "borrow_slope_apr_bps", "split"});
    r.bps(*fees, "open_fee_bps", "fees", c.fees.open_fee_bps, 0, 1'000);
    r.bps(*fees, "close_fee_bps", "fees", c.fees.close_fee_bps, 0, 1'000);
    r.usd(*fees, "liquidation_fee", "fees", c.fees.liquidation_fee);
    r.bps(*fees, "borrow_base_apr_bps", "fees", c.fees.borrow_base_apr_bps, 0, 1'000'000);
    r.bps(*fees, "borrow_slope_apr_bps", "fees", c.fees.borrow_slope_apr_bps, 0, 1'000'000);
    if (const Value* split = r.table(*fees, "split", "fees.split")) {
      r.only_keys(*split, "fees.split", {"lp_bps", "insurance_bps", "treasury_bps"});
      r.bps(*split, "lp_bps", "fees.split", c.fees.split.lp_bps, 0, 10'000);
      r.bps(*split, "insurance_bps", "fees.split", c.fees.split.insurance_bps, 0, 10'000);
      r.bps(*split, "treasury_bps", "fees.split", c.fees.split.treasury_bps, 0, 10'000);
      const auto& s = c.fees.split;
      const int64_t sum = s.lp_bps.value + s.insurance_bps.value + s.treasury_bps.value;
      if (sum != k_bps_scale) {
        r.fail(*split, "fees.split", "lp_bps + insurance_bps + treasury_bps is " + std::to_string(sum) +
                                         " but must be 10000.");
      }
    }
  }
  if (const Value* ins = r.table(root, "insurance", "insurance")) {
    r.only_keys(*ins, "insurance", {"target_min", "target_bps_of_oi", "cover_rate_bps", "max_cover_per_event",
                                    "max_cover_per_market_per_day_bps", "floor_balance"});
    r.usd(*ins, "target_min", "insurance", c.insurance.target_min);
    r.bps(*ins, "target_bps_of_oi", "insurance", c.insurance.target_bps_of_oi, 0, 1'000'000);
    r.bps(*ins, "cover_rate_bps", "insurance", c.insurance.cover_rate_bps, 0, 10'000);
    r.usd(*ins, "max_cover_per_event", "insurance", c.insurance.max_cover_per_event);
    r.bps(*ins, "max_cover_per_market_per_day_bps", "insurance", c.insurance.max_cover_per_market_per_day_bps, 0,
          10'000);
    r.usd(*ins, "floor_balance", "insurance", c.insurance.floor_balance);
  }
  if (const Value* tr = r.table(root, "tranches", "tranches")) {
    c.tranches.enabled = true;  // the table's presence, even empty, makes two tranches
    r.only_keys(*tr, "tranches", {"senior", "min_junior_ratio_bps", "max_junior_ratio_bps", "max_senior_at_risk_bps"});
    if (const Value* senior = r.table(*tr, "senior", "tranches.senior")) {
      r.only_keys(*senior, "tranches.senior", {"target_apr_bps"});
      r.bps(*senior, "target_apr_bps", "tranches.senior", c.tranches.senior_target_apr_bps, 0, 10'000);
    }
    r.bps(*tr, "min_junior_ratio_bps", "tranches", c.tranches.min_junior_ratio_bps, 0, 10'000);
    r.bps(*tr, "max_junior_ratio_bps", "tranches", c.tranches.max_junior_ratio_bps, 0, 10'000);
    r.bps(*tr, "max_senior_at_risk_bps", "tranches", c.tranches.max_senior_at_risk_bps, 0, 10'000);
  }
  if (const Value* cas = r.table(root, "cascade", "cascade")) {
    r.only_keys(*cas, "cascade", {"trader_pnl", "bad_debt", "external"});
    r.layers(*cas, "trader_pnl", "cascade", c.cascade.trader_pnl);
    r.layers(*cas, "bad_debt", "cascade", c.cascade.bad_debt);
    r.layers(*cas, "external", "cascade", c.cascade.external);
  }
  const Value* markets = r.find(root, "markets");
  if (!markets) {
    throw ConfigError{r.file() + ": markets: the config has no [[markets]]; add at least one, e.g. [[markets]] with "
                                 "symbol = \"BTC\"."};
  }
  if (!markets->is_array()) r.fail(*markets, "markets", "expected an array of tables written [[markets]].");
  if (markets->as_array().empty()) r.fail(*markets, "markets", "the config has no [[markets]]; add at least one.");
  std::set<std::string> seen;
  std::size_t i = 0;
  for (const Value& m : markets->as_array()) {
    if (!m.is_table()) r.fail(m, "markets", "expected an array of tables written [[markets]].");
    c.markets.push_back(read_market(r, m, i));
    if (!seen.insert(c.markets.back().symbol).second) {
      r.fail(m, "markets[" + std::to_string(i) + "].symbol",
             "market " + c.markets.back().symbol + " is configured twice; give each [[markets]] a distinct symbol.");
    }
    ++i;
  }
  return c;
}

// The first line of a toml11 message, without its "[error] " prefix.
std::string first_line(const std::string& what) {
  std::string s = what.substr(0, what.find('\n'));
  if (s.rfind("[error] ", 0) == 0) s = s.substr(8);
  return s;
}

using OrderedValue = toml::basic_value<toml::discard_comments, std::map, std::vector>;

}  // namespace

Result<Config> parse_config(std::string_view text, std::string_view file_name) {
  const std::string file(file_name);
  try {
    std::istringstream in{std::string(text)};
    const Value root = toml::parse(in, file);
    Config c = read_config(Reader(file), root);
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

// One key list serves both forms: the TOML is drawn from config_to_json. tranches.enabled is not a
// TOML key but the presence of [tranches], so the table is written only when it is on, without it.
std::string config_to_toml(const Config& c) {
  nlohmann::json j = config_to_json(c);
  if (c.tranches.enabled) j["tranches"].erase("enabled");
  else j.erase("tranches");
  std::string text = toml::format(to_toml_value(j));
  text.erase(0, text.find_first_not_of('\n'));
  return text;
}

nlohmann::json config_to_json(const Config& c) {
  using nlohmann::json;
  auto layers = [](const std::vector<Layer>& list) {
    json a = json::array();
    for (const Layer layer : list) a.push_back(std::string(layer_name(layer)));
    return a;
  };
  json markets = json::array();
  for (const auto& m : c.markets) {
    markets.push_back({{"symbol", m.symbol},
                       {"max_leverage", format_decimal(m.max_leverage.hundredths, 2)},
                       {"maintenance_margin_bps", m.maintenance_margin_bps.value},
                       {"max_profit_bps", m.max_profit_bps.value}});
  }
  return json{{"pool", {{"max_utilization_bps", c.pool.max_utilization_bps.value},
                        {"max_price_age", format_duration(c.pool.max_price_age)}}},
              {"fees", {{"open_fee_bps", c.fees.open_fee_bps.value},
                        {"close_fee_bps", c.fees.close_fee_bps.value},
                        {"liquidation_fee", to_string(c.fees.liquidation_fee)},
                        {"borrow_base_apr_bps", c.fees.borrow_base_apr_bps.value},
                        {"borrow_slope_apr_bps", c.fees.borrow_slope_apr_bps.value},
                        {"split", {{"lp_bps", c.fees.split.lp_bps.value},
                                   {"insurance_bps", c.fees.split.insurance_bps.value},
                                   {"treasury_bps", c.fees.split.treasury_bps.value}}}}},
              {"insurance", {{"target_min", to_string(c.insurance.target_min)},
                             {"target_bps_of_oi", c.insurance.target_bps_of_oi.value},
                             {"cover_rate_bps", c.insurance.cover_rate_bps.value},
                             {"max_cover_per_event", to_string(c.insurance.max_cover_per_event)},
                             {"max_cover_per_market_per_day_bps", c.insurance.max_cover_per_market_per_day_bps.value},
                             {"floor_balance", to_string(c.insurance.floor_balance)}}},
              {"tranches", {{"enabled", c.tranches.enabled},
                            {"senior", {{"target_apr_bps", c.tranches.senior_target_apr_bps.value}}},
                            {"min_junior_ratio_bps", c.tranches.min_junior_ratio_bps.value},
                            {"max_junior_ratio_bps", c.tranches.max_junior_ratio_bps.value},
                            {"max_senior_at_risk_bps", c.tranches.max_senior_at_risk_bps.value}}},
              {"cascade", {{"trader_pnl", layers(c.cascade.trader_pnl)},
                           {"bad_debt", layers(c.cascade.bad_debt)},
                           {"external", layers(c.cascade.external)}}},
              {"markets", markets}};
}

}  // namespace nexadex::journal

namespace nexadex::journal {

Result<Config> config_from_json(std::string_view json_text) {
  using nlohmann::json;
  try {
    const json j = json::parse(json_text);
    auto usd = [](const json& v) -> Usd {
      auto r = parse_usd(v.get<std::string>(), Sign::non_negative, "amount");
      if (!r) throw std::runtime_error(r.error().message);
      return *r;
    };
    auto bps = [](const json& v) { return Bps{v.get<int64_t>()}; };
    auto duration = [](const json& v) {
      auto r = parse_duration(v.get<std::string>(), "duration");
      if (!r) throw std::runtime_error(r.error().message);
      return *r;
    };
    Config c;
    const json& pool = j.at("pool");
    c.pool.max_utilization_bps = bps(pool.at("max_utilization_bps"));
    c.pool.max_price_age = duration(pool.at("max_price_age"));
    const json& fees = j.at("fees");
    c.fees.open_fee_bps = bps(fees.at("open_fee_bps"));
    c.fees.close_fee_bps = bps(fees.at("close_fee_bps"));
    c.fees.liquidation_fee = usd(fees.at("liquidation_fee"));
    c.fees.borrow_base_apr_bps = bps(fees.at("borrow_base_apr_bps"));
    c.fees.borrow_slope_apr_bps = bps(fees.at("borrow_slope_apr_bps"));
    const json& split = fees.at("split");
    c.fees.split.lp_bps = bps(split.at("lp_bps"));
    c.fees.split.insurance_bps = bps(split.at("insurance_bps"));
    c.fees.split.treasury_bps = bps(split.at("treasury_bps"));
    const json& ins = j.at("insurance");
    c.insurance.target_min = usd(ins.at("target_min"));
    c.insurance.target_bps_of_oi = bps(ins.at("target_bps_of_oi"));
    c.insurance.cover_rate_bps = bps(ins.at("cover_rate_bps"));
    c.insurance.max_cover_per_event = usd(ins.at("max_cover_per_event"));
    c.insurance.max_cover_per_market_per_day_bps = bps(ins.at("max_cover_per_market_per_day_bps"));
    c.insurance.floor_balance = usd(ins.at("floor_balance"));
    const json& tr = j.at("tranches");
    c.tranches.enabled = tr.at("enabled").get<bool>();
    c.tranches.senior_target_apr_bps = bps(tr.at("senior").at("target_apr_bps"));
    c.tranches.min_junior_ratio_bps = bps(tr.at("min_junior_ratio_bps"));
    c.tranches.max_junior_ratio_bps = bps(tr.at("max_junior_ratio_bps"));
    c.tranches.max_senior_at_risk_bps = bps(tr.at("max_senior_at_risk_bps"));
    auto layers = [](const json& a) {
      std::vector<Layer> out;
      for (const json& e : a) {
        const std::string name = e.get<std::string>();
        const std::optional<Layer> layer = layer_of(name);
        if (!layer) throw std::runtime_error("'" + name + "' is not a layer");
        out.push_back(*layer);
      }
      return out;
    };
    const json& cas = j.at("cascade");
    c.cascade.trader_pnl = layers(cas.at("trader_pnl"));
    c.cascade.bad_debt = layers(cas.at("bad_debt"));
    c.cascade.external = layers(cas.at("external"));
    for (const json& m : j.at("markets")) {
      MarketConfig mc;
      mc.symbol = m.at("symbol").get<std::string>();
      auto lev = parse_decimal(m.at("max_leverage").get<std::string>(), 2, Sign::positive, "max_leverage");
      if (!lev) throw std::runtime_error(lev.error().message);
      mc.max_leverage.hundredths = *lev;
      mc.maintenance_margin_bps = bps(m.at("maintenance_margin_bps"));
      mc.max_profit_bps = bps(m.at("max_profit_bps"));
      c.markets.push_back(std::move(mc));
    }
    if (auto ok = validate(c); !ok) throw std::runtime_error(ok.error().message);
    if (config_to_json(c) != j) throw std::runtime_error("it holds keys that are not config keys");
    return c;
  } catch (const std::exception& e) {
    return journal_error(std::string("the cached config is not valid (") + e.what() + ")");
  }
}

}  // namespace nexadex::journal
