// lib/report_assets.cpp: a multi-asset pool's assets (report assets, and a section of report pool):
// per asset its balances in tokens, its prices, its value and weight, and the fee a move of one whole
// token would pay now (nexadex-assets(7), Command options).
#include "lib/report.hpp"

#include "lib/asset_books.hpp"

namespace nexadex {

namespace {

using namespace assets;

// The fee rate of a move of one whole token of asset i, or nullopt when the band rule would refuse it
// (or a withdrawal when the pool owns less than a token).
Result<std::optional<Bps>> one_token_rate(const AssetPool& pool, std::size_t i, Direction direction) {
  const auto& a = pool.configs[i];
  const auto& b = pool.books[i];
  const auto& p = pool.prices[i];
  if (!p.known()) return std::optional<Bps>();
  const auto one = static_cast<int64_t>(pow10(a.decimals));
  if (direction == Direction::deposit && pool.assets_held == 0) return std::optional<Bps>(Bps{0});   // a first deposit
  if (direction == Direction::withdrawal && b.owned < one) return std::optional<Bps>();
  NX_TRY(after_units, direction == Direction::deposit ? checked_add(b.owned, one) : checked_sub(b.owned, one));
  NX_TRY(after, value_floor(after_units, p.mid, a.decimals));
  NX_TRY(w, weight_move(pool.value_mid[i], after, pool.total_mid));
  if (!check_band(a, w, "")) return std::optional<Bps>();
  NX_TRY(rate, fee_rate(a, direction, w));
  return std::optional<Bps>(rate);
}

}  // namespace

Result<Section> assets_section(const State& s, Timestamp now) {
  Section out{"assets", "Assets", SectionShape::list,
              {{"asset", CellType::text},
               {"settlement", CellType::boolean},
               {"owned", CellType::text},
               {"reserved", CellType::text},
               {"insurance", CellType::text},
               {"treasury", CellType::text},
               {"held", CellType::text},
               {"mid", CellType::price},
               {"low", CellType::price},
               {"high", CellType::price},
               {"age_seconds", CellType::duration},
               {"value", CellType::usd},
               {"book", CellType::usd},
               {"weight_bps", CellType::bps},
               {"target_bps", CellType::bps},
               {"min_bps", CellType::bps},
               {"max_bps", CellType::bps},
               {"utilization_bps", CellType::bps},
               {"deposit_fee_bps", CellType::bps},
               {"withdrawal_fee_bps", CellType::bps}},
              {}};
  if (!s.assets) return out;
  const AssetPool& pool = *s.assets;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    const auto& a = pool.configs[i];
    const auto& b = pool.books[i];
    const auto& p = pool.prices[i];
    const int d = static_cast<int>(a.decimals);
    const auto tokens = [&](int64_t units) { return Cell::of_text(format_decimal(units, d)); };
    std::optional<Duration> age;
    if (a.priced_by_market()) {
      const auto m = s.markets.find(a.market);
      if (m != s.markets.end() && m->second.priced()) age = Duration{now.seconds - m->second.price_at.seconds};
    }
    NX_TRY(weight, weight_floor(pool.value_mid[i], pool.total_mid));
    const Bps utilization = b.owned > 0 ? bps_ceil(Usd(b.reserved), Usd(b.owned)).value_or(Bps{10'000})
                                        : Bps{b.reserved > 0 ? 10'000 : 0};
    NX_TRY(in, one_token_rate(pool, i, Direction::deposit));
    NX_TRY(outr, one_token_rate(pool, i, Direction::withdrawal));
    const auto price = [&](Price q) { return p.known() ? Cell::of_price(q) : Cell::none(CellType::price); };
    const auto rate = [](std::optional<Bps> r) { return r ? Cell::of_bps(*r) : Cell::none(CellType::bps); };
    out.rows.push_back({Cell::of_text(a.symbol), Cell::of_bool(i == pool.settlement), tokens(b.owned), tokens(b.reserved),
                        tokens(b.insurance), tokens(b.treasury), tokens(b.held), price(p.mid), price(p.low),
                        price(p.high), age ? Cell::of_duration(*age) : Cell::none(CellType::duration),
                        Cell::of_usd(pool.value_mid[i]), Cell::of_usd(b.book), Cell::of_bps(weight),
                        Cell::of_bps(a.target_weight_bps), Cell::of_bps(a.min_weight_bps), Cell::of_bps(a.max_weight_bps),
                        Cell::of_bps(utilization), rate(in), rate(outr)});
  }
  return out;
}

Result<Report> assets_report(const State& s, Timestamp now) {
  if (!s.assets) {
    return input_error("report assets needs a multi-asset pool, and this pool's config has no [[assets]] "
                       "(nexadex-assets(7)).");
  }
  NX_TRY(section, assets_section(s, now));
  return Report{"assets", {std::move(section)}};
}

}  // namespace nexadex
