// lib/pricing.cpp: PnL, fees, shares and margins of one position or share.
#include "lib/pricing.hpp"

#include <algorithm>
#include <limits>

namespace nexadex::vault {

std::string depositor_account(const std::string& lp) { return "depositor:" + lp; }

std::string position_account(int64_t id) { return "position:" + std::to_string(id); }

Result<Usd> pnl_floor(Side side, Usd size, Price entry, Price price) {
  using WidePrice = Fixed<PriceTag, Price::k_decimals, int128>;
  const WidePrice move = side == Side::long_ ? wide_sub(WidePrice(price), entry) : wide_sub(WidePrice(entry), price);
  // floor: a profit rounds down (paid by the pool), a loss rounds up in size (owed to it); exact:
  // size × move < 2^63 × 2^64. Clamped to ±2^62 micro-USD (4.6 trillion USD, with room for the sums
  // it enters): a price a billion times the entry would otherwise leave a position that can be neither
  // closed nor liquidated; beyond that bound a profit is capped by the reserve and a loss takes the
  // whole collateral either way.
  NX_TRY(pnl, mul_div_wide(size.units(), move.units(), entry.units(), Rounding::floor, "PnL"));
  constexpr int128 k_bound = static_cast<int128>(1) << 62;
  return Usd(static_cast<int64_t>(std::clamp<int128>(pnl, -k_bound, k_bound)));
}

Result<BorrowIndex> borrow_index_growth(const FeeConfig& fees, Bps u, int64_t dt) {
  // rate = num / den bps a year, with den the kink (or 10^4) below it and 10^4 − kink above it
  const int128 base = fees.borrow_base_apr_bps.value;
  const int128 slope = fees.borrow_slope_apr_bps.value;
  const int128 kink = fees.borrow_kink_bps.value == 0 ? k_bps_scale : fees.borrow_kink_bps.value;
  int128 num = 0;
  int128 den = 0;
  if (u.value <= kink) {
    num = base * kink + slope * u.value;
    den = kink;
  } else {
    den = k_bps_scale - kink;
    num = (base + slope) * den + static_cast<int128>(fees.borrow_slope2_apr_bps.value) * (u.value - kink);
  }
  // floor: the index grows by whole 10^-18 units (rates, u and dt are not negative)
  NX_TRY(growth, mul_div_wide(num, static_cast<int128>(dt) * k_index_scale,
                              den * k_bps_scale * k_seconds_per_year, Rounding::floor, "the borrow index"));
  return BorrowIndex(growth);
}

Result<Usd> borrow_due(const Position& p, BorrowIndex index_now) {
  NX_TRY(growth_index, index_now.minus(p.borrow_index_open, "the borrow index"));
  const int128 growth = growth_index.units();
  // ceil: the borrow fee rounds against the trader
  const int128 n = static_cast<int128>(p.size.units()) * growth;
  if (growth != 0 && n / growth != p.size.units()) return input_error("arithmetic overflow in the borrow fee.");
  NX_TRY(due, div_ceil(n, k_index_scale, "borrow fee"));
  return Usd(due).plus(p.borrow_carried, "borrow fee");
}

Result<Usd> open_fee(Usd size, Bps open_fee_bps) {
  // ceil: the fee rounds against the trader
  return size.mul_bps_ceil(open_fee_bps, "open fee");
}

Result<Usd> size_for_leverage(Usd collateral, Leverage leverage, Bps open_fee_bps) {
  // S ≤ L × (C − fee(S)), L = hundredths / 100: start at floor(C × L × 10^4 / (10^4 + L × fee_bps))
  const int128 l = leverage.hundredths;
  NX_TRY(start, collateral.mul_div_floor(l * k_bps_scale, 100 * k_bps_scale + l * open_fee_bps.value, "size"));
  int64_t s = start.units();   // the sizes tried, down from `start` by one micro-unit
  for (int guard = 0; s > 0 && guard < 1000; ++guard, --s) {
    NX_TRY(fee, open_fee(Usd(s), open_fee_bps));
    NX_TRY(after_fee, collateral - fee);
    NX_TRY(above, leverage_exceeds(Usd(s), after_fee, leverage));
    if (!above) return Usd(s);
  }
  return Usd(std::max<int64_t>(s, 0));
}

namespace {

// supply + V and NAV + 1 (a NAV below zero counting as zero), the two sides of the share price
int128 virtual_supply(Shares supply) { return static_cast<int128>(supply.units()) + k_virtual_shares; }
int128 nav_plus_one(Usd nav) { return static_cast<int128>(std::max(nav, Usd()).units()) + 1; }

}  // namespace

Result<Shares> shares_minted(Usd amount, Shares supply, Usd nav) {
  // floor: shares minted round against the depositor (DESIGN-risk §9)
  return mul_div_floor_as<Shares>(amount, virtual_supply(supply), nav_plus_one(nav), "shares");
}

Result<Shares> shares_burned(Usd amount, Shares supply, Usd nav) {
  // ceil: shares burned round against the withdrawer
  return mul_div_ceil_as<Shares>(amount, virtual_supply(supply), nav_plus_one(nav), "shares");
}

Result<Usd> amount_paid(Shares shares, Shares supply, Usd nav) {
  // floor: what the pool pays rounds down
  return mul_div_floor_as<Usd>(shares, nav_plus_one(nav), virtual_supply(supply), "amount");
}

SharePrice share_price_floor(Usd nav, Shares supply) {
  // floor: a reported price rounds down
  return SharePrice(floor_div(nav_plus_one(nav) * SharePrice::k_scale, virtual_supply(supply)));
}

Result<Usd> share_price_usd_floor(Usd nav, Shares supply) {
  // floor: from 10^-18 micro-USD per share unit to micro-USD per share (10^9 units)
  constexpr int128 k_per_share = SharePrice::k_scale / Shares::k_scale;
  return narrow_to<Usd>(floor_div(share_price_floor(nav, supply).units(), k_per_share), "share price");
}

Result<bool> leverage_exceeds(Usd size, Usd collateral, Leverage max) {
  NX_TRY(order, compare_ratio(size, collateral, max.hundredths, 100, "leverage"));
  return order == std::strong_ordering::greater;
}

Result<Leverage> leverage_ceil(Usd size, Usd collateral) {
  NX_TRY(hundredths, mul_div_ceil(size.units(), 100, collateral.units(), "leverage"));
  return Leverage{hundredths};
}

Result<Margin> margin(const State& state, const Position& p, Price price) {
  return margin_under(state.config, borrow_index_of(state, p.reserve_asset), p, price);
}

Result<Margin> margin_under(const Config& config, BorrowIndex borrow_index, const Position& p, Price price) {
  const MarketConfig* mc = config.market(p.market);
  const int64_t mm_bps = mc ? mc->maintenance_margin_bps.value : k_bps_scale;
  Margin m;
  NX_TRY(pnl, pnl_floor(p.side, p.size, p.entry, price));
  NX_TRY(due, borrow_due(p, borrow_index));
  // ceil: the close fee rounds against the trader
  NX_TRY(cf, p.size.mul_bps_ceil(config.fees.close_fee_bps, "close fee"));
  // ceil: the maintenance threshold rounds against the trader (SPEC §10)
  NX_TRY(mm, p.size.mul_bps_ceil(Bps{mm_bps}, "maintenance margin"));
  NX_TRY(cap, profit_cap(config, p, price));
  NX_TRY(equity, p.collateral + Usd(static_cast<int64_t>(std::min<int128>(pnl.units(), cap))) - cf - due);
  m.pnl = pnl;
  m.borrow_fee = due;
  m.close_fee = cf;
  m.equity = equity;
  m.threshold = std::max(mm, config.fees.liquidation_fee);
  return m;
}

Result<Price> liquidation_price(const State& state, const Position& p) {
  // equity(price) = collateral + size × (±(price − entry)) / entry − fees; solve equity = threshold
  // for the loss side (ignoring the reserve cap, which only bounds profits).
  NX_TRY(m, margin(state, p, p.entry));
  NX_TRY(room, p.collateral - m.close_fee - m.borrow_fee - m.threshold);
  if (room.is_negative()) return p.entry;  // liquidatable at the entry price already
  // loss that uses up the room: size × |Δ| / entry = room → |Δ| = room × entry / size (floor), on
  // 128 bits: with collateral far above the size it leaves the price range, and then a long has none
  // (0: no price takes its room) and a short's is the largest price there is
  NX_TRY(delta, mul_div_wide(room.units(), p.entry.units(), p.size.units(), Rounding::floor, "liquidation price"));
  const int128 lp = p.side == Side::long_ ? p.entry.units() - delta : p.entry.units() + delta;
  return Price(static_cast<int64_t>(std::clamp<int128>(lp, 0, std::numeric_limits<int64_t>::max())));
}

}  // namespace nexadex::vault
