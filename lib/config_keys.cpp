// lib/config_keys.cpp: the rows of the config key table; defaults stay the member initializers of lib/config.hpp.
#include "lib/config_keys.hpp"

#include <set>
#include <type_traits>
#include <utility>

namespace nexadex {
namespace {

// A member path into Config (Member<&Config::fees, &FeeConfig::split, &FeeSplit::lp_bps>), or into
// the market of the entry (MarketMember<&MarketConfig::symbol>).
template <auto... Path>
struct Member {
  // The return type is spelled out: clang 16 cannot take the address of a specialization whose
  // return type is deduced from its body (field_of below does).
  template <class C>
  static auto at(C& c, std::size_t) -> decltype((c .* ... .* Path)) { return (c .* ... .* Path); }
};

template <auto... Path>
struct MarketMember {
  template <class C>
  static auto at(C& c, std::size_t entry) -> decltype((c.markets[entry] .* ... .* Path)) {
    return (c.markets[entry] .* ... .* Path);
  }
};

template <auto... Path>
struct AssetMember {
  template <class C>
  static auto at(C& c, std::size_t entry) -> decltype((c.assets[entry] .* ... .* Path)) {
    return (c.assets[entry] .* ... .* Path);
  }
};

template <class M>
constexpr auto field_of() {
  using T = std::remove_cvref_t<decltype(M::at(std::declval<Config&>(), 0))>;
  return ConfigField<T>{&M::template at<Config>, &M::template at<const Config>};
}

template <auto... Path>
constexpr auto pool_field() { return field_of<Member<Path...>>(); }

template <auto... Path>
constexpr auto market_field() { return field_of<MarketMember<Path...>>(); }

template <auto... Path>
constexpr auto asset_field() { return field_of<AssetMember<Path...>>(); }

constexpr int64_t k_max = std::numeric_limits<int64_t>::max();
constexpr ConfigRange k_bps_0_10000{0, 10'000};
constexpr ConfigRange k_any{0, k_max};  // amounts are never negative
constexpr ConfigRange k_unused{};

const ConfigKey k_keys[] = {
    {"pool", "max_utilization_bps", pool_field<&Config::pool, &PoolConfig::max_utilization_bps>(), {1, 10'000},
     Presence::optional, "8000", "the share of LP capital that open positions may reserve"},
    {"pool", "max_price_age", pool_field<&Config::pool, &PoolConfig::max_price_age>(), {1, k_max},
     Presence::optional, "\"5m\"", "a price older than this is stale"},

    {"fees", "open_fee_bps", pool_field<&Config::fees, &FeeConfig::open_fee_bps>(), {0, 1'000}, Presence::optional,
     "10", "the fee on the size opened, from collateral"},
    {"fees", "close_fee_bps", pool_field<&Config::fees, &FeeConfig::close_fee_bps>(), {0, 1'000}, Presence::optional,
     "10", "the fee on the size closed"},
    {"fees", "liquidation_fee", pool_field<&Config::fees, &FeeConfig::liquidation_fee>(), k_any, Presence::optional,
     "\"5\"", "paid to the keeper who liquidates a position"},
    {"fees", "borrow_base_apr_bps", pool_field<&Config::fees, &FeeConfig::borrow_base_apr_bps>(), {0, 1'000'000},
     Presence::optional, "100", "the borrow rate a year at no utilization"},
    {"fees", "borrow_slope_apr_bps", pool_field<&Config::fees, &FeeConfig::borrow_slope_apr_bps>(), {0, 1'000'000},
     Presence::optional, "2000", "the borrow rate a year added at 100% utilization (at the kink, with one)"},
    {"fees", "borrow_kink_bps", pool_field<&Config::fees, &FeeConfig::borrow_kink_bps>(), {0, 9'999},
     Presence::optional, "8000", "the utilization where the borrow rate's second slope starts (0: one line)", false,
     true},
    {"fees", "borrow_slope2_apr_bps", pool_field<&Config::fees, &FeeConfig::borrow_slope2_apr_bps>(), {0, 1'000'000},
     Presence::optional, "12000", "the borrow rate a year added from the kink to 100% utilization", false, true},

    {"fees.split", "lp_bps", pool_field<&Config::fees, &FeeConfig::split, &FeeSplit::lp_bps>(), k_bps_0_10000,
     Presence::optional, "7000", "the liquidity providers' part of each fee"},
    {"fees.split", "insurance_bps", pool_field<&Config::fees, &FeeConfig::split, &FeeSplit::insurance_bps>(),
     k_bps_0_10000, Presence::optional, "2000", "the insurance fund's part of each fee"},
    {"fees.split", "treasury_bps", pool_field<&Config::fees, &FeeConfig::split, &FeeSplit::treasury_bps>(),
     k_bps_0_10000, Presence::optional, "1000", "the treasury's part of each fee"},

    {"insurance", "target_min", pool_field<&Config::insurance, &InsuranceConfig::target_min>(), k_any,
     Presence::optional, "\"0\"", "the least target size of the fund"},
    {"insurance", "target_bps_of_oi", pool_field<&Config::insurance, &InsuranceConfig::target_bps_of_oi>(),
     {0, 1'000'000}, Presence::optional, "0", "the fund's target as a share of open interest"},
    {"insurance", "cover_rate_bps", pool_field<&Config::insurance, &InsuranceConfig::cover_rate_bps>(),
     k_bps_0_10000, Presence::optional, "10000", "the share of each loss the fund covers"},
    {"insurance", "max_cover_per_event", pool_field<&Config::insurance, &InsuranceConfig::max_cover_per_event>(),
     k_any, Presence::optional, "\"0\"", "the most the fund pays for one event (0: unlimited)"},
    {"insurance", "max_cover_per_market_per_day_bps",
     pool_field<&Config::insurance, &InsuranceConfig::max_cover_per_market_per_day_bps>(), k_bps_0_10000,
     Presence::optional, "0", "the most the fund pays for one market in one UTC day (0: off)"},
    {"insurance", "floor_balance", pool_field<&Config::insurance, &InsuranceConfig::floor_balance>(), k_any,
     Presence::optional, "\"0\"", "the fund never pays below this balance"},

    {"tranches", "enabled", pool_field<&Config::tranches, &TrancheConfig::enabled>(), k_unused, Presence::implied,
     "", "two tranches, senior and junior; else the vault is one (senior)"},
    {"tranches.senior", "target_apr_bps", pool_field<&Config::tranches, &TrancheConfig::senior_target_apr_bps>(),
     k_bps_0_10000, Presence::optional, "600", "the senior's target yield a year on its realized NAV"},
    {"tranches", "min_junior_ratio_bps", pool_field<&Config::tranches, &TrancheConfig::min_junior_ratio_bps>(),
     k_bps_0_10000, Presence::optional, "0", "the least junior / (junior + senior) a deposit or withdrawal may leave"},
    {"tranches", "max_junior_ratio_bps", pool_field<&Config::tranches, &TrancheConfig::max_junior_ratio_bps>(),
     k_bps_0_10000, Presence::optional, "0", "the most junior / (junior + senior) a junior deposit may leave (0: off)"},
    {"tranches", "max_senior_at_risk_bps", pool_field<&Config::tranches, &TrancheConfig::max_senior_at_risk_bps>(),
     k_bps_0_10000, Presence::optional, "0", "the most of senior NAV open positions may put at risk (0: off)"},

    {"cascade", "trader_pnl", pool_field<&Config::cascade, &CascadeConfig::trader_pnl>(), k_unused,
     Presence::optional, "[\"junior\", \"senior\"]", "the layers realized trader profit falls on, in order"},
    {"cascade", "bad_debt", pool_field<&Config::cascade, &CascadeConfig::bad_debt>(), k_unused, Presence::optional,
     "[\"insurance\", \"junior\", \"senior\"]", "the layers liquidation shortfall falls on, in order"},
    {"cascade", "external", pool_field<&Config::cascade, &CascadeConfig::external>(), k_unused, Presence::optional,
     "[\"insurance\", \"junior\", \"senior\"]", "the layers an external loss falls on, in order"},
    {"cascade", "inventory", pool_field<&Config::cascade, &CascadeConfig::inventory>(), k_unused, Presence::optional,
     "[\"junior\", \"senior\"]", "the layers a loss of value of a multi-asset pool's holdings falls on, in order",
     true},

    {"locks", "enabled", pool_field<&Config::locks, &LockConfig::enabled>(), k_unused, Presence::implied, "",
     "deposits are lots that may be locked for a boost of their fee income"},
    {"locks", "tiers", pool_field<&Config::locks, &LockConfig::tiers>(), k_unused, Presence::optional,
     "[{ min = \"30d\", boost_bps = 11000 }, { min = \"90d\", boost_bps = 12500 }]",
     "lock tiers: a lock of at least min earns boost_bps (ascending; a shorter lock is x1.0)"},
    {"locks", "max_boost_bps", pool_field<&Config::locks, &LockConfig::max_boost_bps>(), {10'000, 100'000},
     Presence::optional, "20000", "the largest boost a tier may give"},

    {"markets[]", "symbol", market_field<&MarketConfig::symbol>(), {1, 16}, Presence::identity, "\"BTC\"",
     "the market's name, 1 to 16 of A-Z and 0-9"},
    {"markets[]", "max_leverage", market_field<&MarketConfig::max_leverage>(), {100, 100'000}, Presence::optional,
     "\"12.5\"", "the largest leverage a position may have"},
    {"markets[]", "maintenance_margin_bps", market_field<&MarketConfig::maintenance_margin_bps>(), {1, 10'000},
     Presence::optional, "100", "below this margin of size a position may be liquidated"},
    {"markets[]", "max_profit_bps", market_field<&MarketConfig::max_profit_bps>(), {1, 1'000'000},
     Presence::optional, "10000", "a position's profit cap, reserved from the pool"},
    {"markets[]", "max_net_exposure_bps", market_field<&MarketConfig::max_net_exposure_bps>(), {0, 1'000'000},
     Presence::optional, "5000",
     "opens may not push the pool's net exposure to the market beyond this share of AUM (0: no cap)", false, true},
    {"markets[]", "collateral", market_field<&MarketConfig::collateral>(), {1, 16}, Presence::optional,
     "[\"USDC\", \"BTC\"]",
     "the pool assets its positions may post as collateral (default: the settlement asset, and a long's market's)",
     true, true},

    // nexadex-assets(7): read and checked; a pool with [[assets]] cannot be created yet
    {"assets[]", "symbol", asset_field<&AssetConfig::symbol>(), {1, 16}, Presence::identity, "\"USDC\"",
     "the asset's name, 1 to 16 of A-Z and 0-9"},
    {"assets[]", "decimals", asset_field<&AssetConfig::decimals>(), {0, 9}, Presence::optional, "6",
     "a token unit is 10^-decimals of a token"},
    {"assets[]", "stable", asset_field<&AssetConfig::stable>(), k_unused, Presence::optional, "true",
     "worth 1 USD unless it names a market; its low price is never above 1 USD"},
    {"assets[]", "price", asset_field<&AssetConfig::market>(), {0, 16}, Presence::optional, "\"BTC\"",
     "the market whose prices price it (required unless stable)"},
    {"assets[]", "target_weight_bps", asset_field<&AssetConfig::target_weight_bps>(), k_bps_0_10000,
     Presence::optional, "5000", "its target share of the pool's holdings (the targets sum to 10000)"},
    {"assets[]", "min_weight_bps", asset_field<&AssetConfig::min_weight_bps>(), k_bps_0_10000, Presence::optional,
     "3000", "a withdrawal may not take its weight below this (unless it was below already)"},
    {"assets[]", "max_weight_bps", asset_field<&AssetConfig::max_weight_bps>(), k_bps_0_10000, Presence::optional,
     "7000", "a deposit may not take its weight above this (unless it was above already)"},
    {"assets[]", "add_fee_bps", asset_field<&AssetConfig::add_fee_bps>(), {0, 1'000}, Presence::optional, "10",
     "the base fee of a deposit of it, before the curve"},
    {"assets[]", "remove_fee_bps", asset_field<&AssetConfig::remove_fee_bps>(), {0, 1'000}, Presence::optional,
     "10", "the base fee of a withdrawal paid in it, before the curve"},
    {"assets[]", "fee_curve", asset_field<&AssetConfig::fee_curve>(), k_unused, Presence::optional,
     "\"linear\"", "fixed, linear or optimal: how the fee follows its weight after the move"},
    {"assets[]", "fee_ratio_mult_bps", asset_field<&AssetConfig::fee_ratio_mult_bps>(), {0, 100'000},
     Presence::optional, "20000", "the linear curve's multiplier"},
    {"assets[]", "fee_optimal_bps", asset_field<&AssetConfig::fee_optimal_bps>(), k_bps_0_10000,
     Presence::optional, "10", "the optimal curve's fee at the target"},
    {"assets[]", "fee_max_bps", asset_field<&AssetConfig::fee_max_bps>(), k_bps_0_10000, Presence::optional,
     "250", "the optimal curve's fee at the edge of the band"},
    {"assets[]", "price_confidence_bps", asset_field<&AssetConfig::price_confidence_bps>(), {0, 1'000},
     Presence::optional, "10", "the half-width of the band between its low and high price"},
};

// The entries of an array of tables held in a member of Config.
template <auto Member>
struct Entries {
  static std::size_t count(const Config& c) { return (c.*Member).size(); }
  static std::size_t add(Config& c) {
    (c.*Member).emplace_back();
    return (c.*Member).size() - 1;
  }
};

const ConfigArray k_arrays[] = {
    {"markets[]", &Entries<&Config::markets>::count, &Entries<&Config::markets>::add},
    {"assets[]", &Entries<&Config::assets>::count, &Entries<&Config::assets>::add, false},
};

// One [[assets]] table's own rules (nexadex-assets(7), OPTIONS).
Status check_asset(const AssetConfig& a) {
  if (a.min_weight_bps > a.target_weight_bps || a.target_weight_bps > a.max_weight_bps) {
    return input_error("min_weight_bps (" + std::to_string(a.min_weight_bps.value) + "), target_weight_bps (" +
                       std::to_string(a.target_weight_bps.value) + ") and max_weight_bps (" +
                       std::to_string(a.max_weight_bps.value) + ") must be in that order; fix the band.");
  }
  if (a.fee_optimal_bps > a.fee_max_bps) {
    return input_error("fee_optimal_bps (" + std::to_string(a.fee_optimal_bps.value) + ") is above fee_max_bps (" +
                       std::to_string(a.fee_max_bps.value) + "); the optimal curve rises from the one to the other.");
  }
  if (!a.stable && !a.priced_by_market()) {
    return input_error("a non-stable asset needs a price, the [[markets]] symbol that prices it (price = \"" +
                       a.symbol + "\"), or stable = true.");
  }
  if (!a.priced_by_market() && a.price_confidence_bps.value != 0) {
    return input_error("price_confidence_bps is " + std::to_string(a.price_confidence_bps.value) +
                       " but an asset priced by no market is worth exactly 1 USD; set it to 0 or name a price.");
  }
  return {};
}

Status asset_entry_rules(const Config& c, std::size_t entry) { return check_asset(c.assets[entry]); }

// SPEC §3: every fee is shared out whole.
Status split_sums_to_whole(const Config& c, std::size_t) {
  const auto& s = c.fees.split;
  const int64_t sum = s.lp_bps.value + s.insurance_bps.value + s.treasury_bps.value;
  if (sum == k_bps_scale) return {};
  return input_error("lp_bps + insurance_bps + treasury_bps is " + std::to_string(sum) + " but must be 10000.");
}

// The borrow curve (nexadex-close(1), Borrow fee): a second slope needs the kink it starts at.
Status second_slope_has_kink(const Config& c, std::size_t) {
  const auto& f = c.fees;
  if (f.borrow_slope2_apr_bps.value == 0 || f.borrow_kink_bps.value != 0) return {};
  return input_error("borrow_slope2_apr_bps is " + std::to_string(f.borrow_slope2_apr_bps.value) +
                     " but borrow_kink_bps is 0 (one line); set the kink (the utilization where the second slope "
                     "starts, e.g. 8000) or remove the second slope.");
}

const ConfigTableRule k_rules[] = {
    {"fees", &second_slope_has_kink},
    {"fees.split", &split_sums_to_whole},
    {"assets[]", &asset_entry_rules},
};

// The unit a range is counted in, for messages; empty for basis points (the key's name says so).
template <class T>
std::string_view unit_of() {
  if constexpr (std::is_same_v<T, Usd>) return " (micro-USD)";
  else if constexpr (std::is_same_v<T, Duration>) return " (seconds)";
  else if constexpr (std::is_same_v<T, Leverage>) return " (hundredths)";
  else return "";
}

// One key of one entry: its range, its name's form, its layer list's.
Status check_key(const ConfigKey& key, const Config& c, std::size_t entry, const std::string& where) {
  return std::visit(
      [&](const auto& field) -> Status {
        using T = std::remove_cvref_t<decltype(field(c, entry))>;
        const auto& v = field(c, entry);
        if constexpr (std::is_same_v<T, std::string>) {
          if (!name_in_range(v, key.range)) {
            return input_error(where + " '" + v + "' must be " + std::to_string(key.range.min) + " to " +
                               std::to_string(key.range.max) + " characters of A-Z and 0-9.");
          }
        } else if constexpr (std::is_same_v<T, std::vector<Layer>>) {
          if (v.empty()) return input_error(where + " is empty; list at least one of insurance, junior, senior.");
          for (std::size_t i = 0; i < v.size(); ++i) {
            for (std::size_t k = 0; k < i; ++k) {
              if (v[k] == v[i]) {
                return input_error(where + " names " + std::string(layer_name(v[i])) +
                                   " twice; list each layer at most once.");
              }
            }
          }
        } else if constexpr (std::is_same_v<T, std::vector<LockTier>>) {
          NX_TRY_STATUS(check_lock_tiers(v, where));
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          for (std::size_t i = 0; i < v.size(); ++i) {
            if (!name_in_range(v[i], key.range)) {
              return input_error(where + " names '" + v[i] + "', which must be " + std::to_string(key.range.min) +
                                 " to " + std::to_string(key.range.max) + " characters of A-Z and 0-9.");
            }
            for (std::size_t k = 0; k < i; ++k) {
              if (v[k] == v[i]) return input_error(where + " names " + v[i] + " twice; list each asset once.");
            }
          }
        } else if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, FeeCurve>) {
          const int64_t n = *ranged_units(key, c, entry);
          if (n < key.range.min || n > key.range.max) {
            return input_error(where + " is " + std::to_string(n) + " but must be " + std::to_string(key.range.min) +
                               " to " + std::to_string(key.range.max) + std::string(unit_of<T>()) + ".");
          }
        }
        return {};
      },
      key.field);
}

}  // namespace

std::span<const ConfigTableRule> config_table_rules() { return k_rules; }

Status check_assets(const Config& c) {
  if (c.assets.empty()) {
    if (c.cascade.inventory != CascadeConfig{}.inventory) {
      return input_error("cascade.inventory applies to a multi-asset pool only, and this config has no [[assets]]; "
                         "remove the key or add the [[assets]] tables.");
    }
    for (const MarketConfig& m : c.markets) {
      if (!m.collateral.empty()) {
        return input_error("markets." + m.symbol + ".collateral applies to a multi-asset pool only, and this config has "
                           "no [[assets]]; remove the key or add the [[assets]] tables.");
      }
    }
    return {};
  }
  constexpr std::size_t k_max_assets = 32;
  if (c.assets.size() > k_max_assets) {
    return input_error("the config has " + std::to_string(c.assets.size()) + " [[assets]] but at most " +
                       std::to_string(k_max_assets) + " are allowed.");
  }
  int64_t targets = 0;
  const AssetConfig* settlement_asset = nullptr;
  for (const AssetConfig& a : c.assets) {
    targets += a.target_weight_bps.value;
    if (!settlement_asset && a.stable && !a.priced_by_market()) settlement_asset = &a;
    if (a.priced_by_market() && !c.market(a.market)) {
      return input_error("assets." + a.symbol + ".price names the market " + a.market + ", which is not configured; " +
                         "the markets are " + market_symbols(c) + ".");
    }
  }
  if (targets != k_bps_scale) {
    return input_error("the [[assets]] target_weight_bps sum to " + std::to_string(targets) +
                       " but must sum to exactly 10000.");
  }
  if (settlement_asset && settlement_asset->decimals != 6) {
    return input_error("the settlement asset " + settlement_asset->symbol + " has " +
                       std::to_string(settlement_asset->decimals) + " decimals but must have 6: its token unit is the "
                       "pool's micro-USD (nexadex-assets(7), THE SETTLEMENT ASSET).");
  }
  if (!settlement_asset) {
    return input_error("no [[assets]] table is a stable priced by no market (the settlement asset, e.g. symbol = "
                       "\"USDC\" with stable = true and no price); add one.");
  }
  // A5: a market's collateral lists the settlement asset and at most the asset the market prices (the one its
  // longs reserve); collateral in another asset is not built
  for (const MarketConfig& m : c.markets) {
    if (m.collateral.empty()) continue;
    const AssetConfig* backed = nullptr;
    for (const AssetConfig& a : c.assets) {
      if (!backed && !a.stable && a.market == m.symbol) backed = &a;
    }
    const std::string where = "markets." + m.symbol + ".collateral";
    bool settlement_listed = false;
    for (const std::string& symbol : m.collateral) {
      settlement_listed = settlement_listed || symbol == settlement_asset->symbol;
      if (symbol == settlement_asset->symbol || (backed && symbol == backed->symbol)) continue;
      return input_error(where + " names " + symbol + ", but a position of " + m.symbol + " may post only " +
                         settlement_asset->symbol + (backed ? " or " + backed->symbol : std::string()) +
                         " (nexadex-assets(7) A5); remove it.");
    }
    if (!settlement_listed) {
      return input_error(where + " must list the settlement asset " + settlement_asset->symbol +
                         " (a short always posts it); add it.");
    }
  }
  return {};
}

Status check_lock_tiers(const std::vector<LockTier>& v, const std::string& where) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string tier = where + "[" + std::to_string(i) + "] (min " + format_duration(v[i].min) + ")";
    if (v[i].min.seconds < 1) return input_error(where + "[" + std::to_string(i) + "]: min must be at least 1s.");
    if (v[i].boost_bps.value < k_bps_scale || v[i].boost_bps.value > 100'000) {
      return input_error(tier + ": boost_bps is " + std::to_string(v[i].boost_bps.value) +
                         " but must be 10000 (x1.0) to 100000.");
    }
    if (i > 0 && v[i].min.seconds <= v[i - 1].min.seconds) {
      return input_error(tier + " is not longer than the tier before it (min " + format_duration(v[i - 1].min) +
                         "); list the tiers by ascending min.");
    }
    if (i > 0 && v[i].boost_bps.value < v[i - 1].boost_bps.value) {
      return input_error(tier + ": boost_bps " + std::to_string(v[i].boost_bps.value) + " is below the shorter tier's " +
                         std::to_string(v[i - 1].boost_bps.value) + "; a longer lock may not earn less.");
    }
  }
  return {};
}

const ConfigKey* identity_key(std::string_view array) {
  for (const ConfigKey& key : k_keys) {
    if (key.table == array && key.presence == Presence::identity) return &key;
  }
  return nullptr;
}

std::string entry_noun(std::string_view array) {
  if (array.ends_with("[]")) array.remove_suffix(2);
  return std::string(array.ends_with('s') ? array.substr(0, array.size() - 1) : array);
}

bool name_in_range(std::string_view name, const ConfigRange& range) {
  bool ok = static_cast<int64_t>(name.size()) >= range.min && static_cast<int64_t>(name.size()) <= range.max;
  for (char ch : name) ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
  return ok;
}

std::optional<int64_t> ranged_units(const ConfigKey& key, const Config& config, std::size_t entry) {
  return std::visit(
      [&](const auto& field) -> std::optional<int64_t> {
        const auto& v = field(config, entry);
        using T = std::remove_cvref_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Bps>) return v.value;
        else if constexpr (std::is_same_v<T, Usd>) return v.units();
        else if constexpr (std::is_same_v<T, Duration>) return v.seconds;
        else if constexpr (std::is_same_v<T, Leverage>) return v.hundredths;
        else if constexpr (std::is_same_v<T, int64_t>) return v;
        else return std::nullopt;
      },
      key.field);
}

Status validate(const Config& config) {
  for (const ConfigArray& array : k_arrays) {
    if (!array.required || array.count(config) > 0) continue;
    const std::string name(array.table.substr(0, array.table.size() - 2));
    const ConfigKey* id = identity_key(array.table);
    return input_error("the config has no [[" + name + "]]; add at least one, e.g. [[" + name + "]] " +
                       std::string(id->name) + " = " + std::string(id->example) + ".");
  }
  for (const ConfigKey& key : k_keys) {
    if (!key.per_entry()) {
      NX_TRY_STATUS(check_key(key, config, 0, key.path()));
      continue;
    }
    // markets.BTC.max_leverage; the identity itself as markets[2].symbol, since it may be what is wrong.
    const std::string array(key.table.substr(0, key.table.size() - 2));
    const ConfigKey* id = identity_key(key.table);
    std::set<std::string> seen;
    for (const ConfigArray& a : k_arrays) {
      if (a.table != key.table) continue;
      for (std::size_t entry = 0; entry < a.count(config); ++entry) {
        const std::string& identity = std::get<ConfigField<std::string>>(id->field)(config, entry);
        if (&key == id) {
          NX_TRY_STATUS(check_key(key, config, entry, array + "[" + std::to_string(entry) + "]." + std::string(key.name)));
          if (!seen.insert(identity).second) {
            return input_error(entry_noun(array) + " " + identity + " is configured twice; give each [[" + array +
                               "]] a distinct " + std::string(key.name) + ".");
          }
        } else {
          NX_TRY_STATUS(check_key(key, config, entry, array + "." + identity + "." + std::string(key.name)));
        }
      }
    }
  }
  for (const ConfigTableRule& rule : k_rules) {
    if (!rule.table.ends_with("[]")) {
      if (auto ok = rule.check(config, 0); !ok) return input_error(std::string(rule.table) + ": " + ok.error().message);
      continue;
    }
    for (const ConfigArray& a : k_arrays) {
      if (a.table != rule.table) continue;
      for (std::size_t entry = 0; entry < a.count(config); ++entry) {
        if (auto ok = rule.check(config, entry); !ok) {
          const std::string array(rule.table.substr(0, rule.table.size() - 2));
          return input_error(array + "[" + std::to_string(entry) + "]: " + ok.error().message);
        }
      }
    }
  }
  NX_TRY_STATUS(check_assets(config));
  const auto& l = config.locks;
  for (std::size_t i = 0; i < l.tiers.size(); ++i) {
    if (l.tiers[i].boost_bps.value > l.max_boost_bps.value) {
      return input_error("locks.tiers[" + std::to_string(i) + "] (min " + format_duration(l.tiers[i].min) +
                         "): boost_bps " + std::to_string(l.tiers[i].boost_bps.value) +
                         " is above locks.max_boost_bps (" + std::to_string(l.max_boost_bps.value) +
                         "); lower the tier or raise the cap.");
    }
  }
  const auto& t = config.tranches;
  if (t.max_junior_ratio_bps.value != 0 && t.max_junior_ratio_bps.value < t.min_junior_ratio_bps.value) {
    return input_error("tranches.max_junior_ratio_bps (" + std::to_string(t.max_junior_ratio_bps.value) +
                       ") is below tranches.min_junior_ratio_bps (" + std::to_string(t.min_junior_ratio_bps.value) +
                       "); raise it or set it to 0 (off).");
  }
  return {};
}

std::string ConfigKey::path() const {
  const bool list = std::holds_alternative<ConfigField<std::vector<Layer>>>(field) ||
                    std::holds_alternative<ConfigField<std::vector<LockTier>>>(field) ||
                    std::holds_alternative<ConfigField<std::vector<std::string>>>(field);
  return std::string(table) + "." + std::string(name) + (list ? "[]" : "");
}

std::span<const ConfigKey> config_keys() { return k_keys; }

std::vector<ConfigTableItem> table_items(std::string_view table) {
  const std::string prefix = table.empty() ? "" : std::string(table) + ".";
  std::vector<ConfigTableItem> out;
  for (const ConfigKey& key : k_keys) {
    if (key.table == table) {
      out.push_back({&key, {}, key.name, nullptr});
      continue;
    }
    if (!key.table.starts_with(prefix)) continue;
    const std::string_view child = key.table.substr(0, key.table.find('.', prefix.size()));
    bool seen = false;
    for (const auto& item : out) seen = seen || item.table == child;
    if (seen) continue;
    std::string_view name = child.substr(prefix.size());
    if (name.ends_with("[]")) name.remove_suffix(2);
    const ConfigArray* array = nullptr;
    for (const ConfigArray& a : k_arrays) array = a.table == child ? &a : array;
    out.push_back({nullptr, child, name, array});
  }
  return out;
}

}  // namespace nexadex
