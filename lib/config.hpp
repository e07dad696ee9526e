// lib/config.hpp: the pool's configuration model, with SPEC defaults; TOML parsing is in journal/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/error.hpp"
#include "lib/asset.hpp"
#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

// Leverage in hundredths (SPEC §10: at most 2 decimals): 10x = 1000.
struct Leverage {
  int64_t hundredths = 0;
  constexpr auto operator<=>(const Leverage&) const = default;
};

struct MarketConfig {
  std::string symbol;                           // "BTC": 1-16 of A-Z, 0-9
  Leverage max_leverage{1000};                  // SPEC §3: 10x
  Bps maintenance_margin_bps{100};              // 1% of size
  Bps max_profit_bps{10'000};                   // SPEC §3: profit capped at 100% of size
  Bps max_net_exposure_bps{0};                  // SPEC §6: 0: no cap; else of AUM (lib/exposure.hpp)
  // A multi-asset pool (nexadex-assets(7) A5): the pool assets its positions may post as collateral; empty:
  // the default, the settlement asset and, for a long of a market pricing a pool asset, that asset
  std::vector<std::string> collateral{};
};

struct FeeSplit {
  Bps lp_bps{7'000};
  Bps insurance_bps{2'000};
  Bps treasury_bps{1'000};                      // the three sum to 10,000
};

struct FeeConfig {
  Bps open_fee_bps{10};                         // SPEC §3: 0.1% of size
  Bps close_fee_bps{10};                        // SPEC §10
  Usd liquidation_fee = Usd::whole(5);          // to the keeper
  Bps borrow_base_apr_bps{100};
  Bps borrow_slope_apr_bps{2'000};              // × utilization (up to the kink, with one)
  Bps borrow_kink_bps{0};                       // 0: one line; else the utilization where the second slope starts
  Bps borrow_slope2_apr_bps{0};                 // added from the kink to 100% utilization
  FeeSplit split;
};

struct PoolConfig {
  Bps max_utilization_bps{8'000};
  Duration max_price_age{300};                  // a price older than this is stale
};

struct InsuranceConfig {
  Usd target_min{0};                            // DESIGN-risk §2: target = max(target_min, OI × bps)
  Bps target_bps_of_oi{0};                      // 0: no target tied to open interest
  Bps cover_rate_bps{10'000};                   // DESIGN-risk §3 limits
  Usd max_cover_per_event{0};                   // 0: unlimited
  Bps max_cover_per_market_per_day_bps{0};      // 0: off
  Usd floor_balance{0};
};

// The layers a loss can fall on (DESIGN-risk §3), and the kinds of loss, each with its own order.
enum class Layer { insurance, junior, senior };
enum class LossKind { trader_pnl, bad_debt, external, inventory };
std::string_view layer_name(Layer layer);         // "insurance", "junior", "senior"
std::string_view loss_kind_name(LossKind kind);   // "trader_pnl", "bad_debt", "external", "inventory"

// [tranches] (DESIGN-risk §2, §6): absent, the vault is one tranche (the senior) and junior stays empty.
struct TrancheConfig {
  bool enabled = false;                         // [tranches] is in the config
  Bps senior_target_apr_bps{0};                 // the senior's target yield on its realized NAV
  Bps min_junior_ratio_bps{0};                  // junior / (junior + senior) after a senior deposit or junior withdrawal
  Bps max_junior_ratio_bps{0};                  // 0: off; else junior deposits may not take the ratio above it
  Bps max_senior_at_risk_bps{0};                // 0: off; else opens may not put more than this share of senior at risk
};

// [cascade]: per kind of loss, the layers that absorb it, in order (each at most once).
struct CascadeConfig {
  std::vector<Layer> trader_pnl{Layer::junior, Layer::senior};
  std::vector<Layer> bad_debt{Layer::insurance, Layer::junior, Layer::senior};
  std::vector<Layer> external{Layer::insurance, Layer::junior, Layer::senior};
  // A multi-asset pool's loss of value of its holdings (nexadex-assets(7)); a key only with [[assets]].
  std::vector<Layer> inventory{Layer::junior, Layer::senior};
  const std::vector<Layer>& order(LossKind kind) const {
    switch (kind) {
      case LossKind::trader_pnl: return trader_pnl;
      case LossKind::bad_debt: return bad_debt;
      case LossKind::inventory: return inventory;
      case LossKind::external: break;
    }
    return external;
  }
};

// One lock tier (DESIGN-risk §7): a lock of at least `min` earns `boost_bps` (10,000 = ×1.0).
struct LockTier {
  Duration min;
  Bps boost_bps{10'000};
  bool operator==(const LockTier&) const = default;
};

// [locks] (SPEC §5, DESIGN-risk §7): absent, deposits are not lots and fee income raises the share
// price as every other gain does. Present, every deposit is a lot and fee income is shared by weight.
struct LockConfig {
  bool enabled = false;                         // [locks] is in the config
  std::vector<LockTier> tiers;                  // ascending by min; may be empty (every lock ×1.0)
  Bps max_boost_bps{20'000};                    // no tier may boost more
  // The boost of a lock of `length`: the largest tier whose min ≤ length, else ×1.0 (SPEC §10).
  Bps boost(Duration length) const {
    Bps out{10'000};
    for (const LockTier& t : tiers) {
      if (t.min.seconds <= length.seconds) out = t.boost_bps;
    }
    return out;
  }
};

struct Config {
  std::vector<MarketConfig> markets;            // in file order; at least one
  FeeConfig fees;
  PoolConfig pool;
  InsuranceConfig insurance;
  TrancheConfig tranches;
  CascadeConfig cascade;
  LockConfig locks;
  std::vector<AssetConfig> assets;              // [[assets]] in file order; none: the single-USDC vault

  // The market of that symbol, or nullptr.
  const MarketConfig* market(std::string_view symbol) const;
};

// The configured symbols in file order, comma-separated ("BTC, ETH"), for messages.
std::string market_symbols(const Config& config);

}  // namespace nexadex
