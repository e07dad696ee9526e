// cli/cmd_cascade.cpp: `cascade --loss A [--kind K] [--apply --reason TEXT]` and `cascade --shock M=±P%…`.
// A preview runs the same rules on a copy of the state and writes nothing (SPEC §4, DESIGN-risk §3).
#include <algorithm>
#include <set>

#include "cli/commands.hpp"
#include "cli/write.hpp"
#include "lib/tranche.hpp"
#include "lib/vault.hpp"

namespace nexadex::cli {
namespace {

struct Shock {
  std::string market;
  int64_t bps = 0;   // −10,000 < bps
};

// "BTC=-30%", "ETH=+10.5%": a configured market, a sign, up to 2 decimals, a percent sign.
Result<Shock> parse_shock(const State& state, const std::string& text) {
  const auto eq = text.find('=');
  const auto bad = [&](const std::string& why) {
    return input_error("--shock '" + text + "' " + why + "; write it as MARKET=-30% or MARKET=+10%.");
  };
  if (eq == std::string::npos || text.size() < eq + 3 || text.back() != '%') return bad("is not MARKET=±P%");
  Shock s{text.substr(0, eq), 0};
  if (state.config.market(s.market) == nullptr) return bad("names no configured market");
  const char sign = text[eq + 1];
  if (sign != '+' && sign != '-') return bad("needs a sign (+ or -) before the percentage");
  auto pct = parse_decimal(text.substr(eq + 2, text.size() - eq - 3), 2, Sign::non_negative, "--shock");
  if (!pct) return bad("has no valid percentage (at most 2 decimals)");
  s.bps = sign == '-' ? -*pct : *pct;
  if (s.bps <= -10'000) return bad("would take the price to zero or below");
  return s;
}

Result<LossKind> kind_of(const std::string& k) {
  if (k == "bad-debt") return LossKind::bad_debt;
  if (k == "trader-pnl") return LossKind::trader_pnl;
  if (k == "external") return LossKind::external;
  return input_error("--kind '" + k + "' is not bad-debt, trader-pnl or external.");
}

// Appends `body` to the copy `s` as its next event at `at`.
Result<std::vector<Posting>> apply_next(State& s, EventBody body, Timestamp at) {
  return apply(s, Event{s.head_seq + 1, at, std::move(body)});
}

Status preview_loss(Context& ctx, const Options& o, Format format, Usd amount, LossKind kind, Timestamp now) {
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    auto current = j.load_state();
    if (!current) return std::unexpected(current.error());
    State before = std::move(*current);
    const Timestamp at = std::max(now, before.head_at);
    // the senior target accrues to the moment of the loss, as it would for the journaled event
    if (auto ok = vault::accrue(before, at); !ok) return ok;
    State after = before;
    std::vector<Posting> postings;
    const Event ev{before.head_seq + 1, at, LossApplied{amount, o.reason.value_or("preview")}};
    auto rec = tranche::absorb_loss(after, kind, amount.units(), "", ev, postings);
    if (!rec) return std::unexpected(rec.error());
    auto report = cascade_report(before, after, {});
    if (!report) return std::unexpected(report.error());
    render(*report, format, ctx.out());
    return {};
  });
}

Status preview_shock(Context& ctx, const Options& o, Format format, Timestamp now) {
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    auto current = j.load_state();
    if (!current) return std::unexpected(current.error());
    State before = std::move(*current);
    std::vector<Shock> shocks;
    for (const auto& text : o.shocks) {
      auto s = parse_shock(before, text);
      if (!s) return std::unexpected(s.error());
      for (const auto& seen : shocks) {
        if (seen.market == s->market) return input_error("--shock names " + s->market + " twice; give each market once.");
      }
      shocks.push_back(*s);
    }
    const Timestamp at = std::max(now, before.head_at);
    if (auto ok = vault::accrue(before, at); !ok) return ok;
    State after = before;
    after.what_if = true;
    // every market with open positions gets a price at `at`: shocked, or its latest one again
    std::set<std::string> with_positions;
    for (const auto& [book, b] : after.books) with_positions.insert(book.market);
    for (const auto& s : shocks) with_positions.insert(s.market);
    for (const std::string& market : with_positions) {
      const auto m = after.markets.find(market);
      if (m == after.markets.end() || !m->second.priced()) {
        return rule_error("the " + market + " market has never been priced; a shock needs a price to move.");
      }
      int128 price = m->second.price.units();
      for (const auto& s : shocks) {
        // floor: the shocked price rounds down
        if (s.market == market) price = price * (k_bps_scale + s.bps) / k_bps_scale;
      }
      if (price <= 0) return input_error("the shocked " + market + " price rounds to zero; shock it less.");
      auto applied = apply_next(after, PriceSet{market, Price(static_cast<int64_t>(price))}, at);
      if (!applied) return std::unexpected(applied.error());
    }
    auto ids = vault::liquidatable(after, "");
    if (!ids) return std::unexpected(ids.error());
    Section liq{"liquidations", "Liquidations at the shocked prices", SectionShape::list,
                {{"id", CellType::integer},
                 {"trader", CellType::text},
                 {"market", CellType::text},
                 {"side", CellType::text},
                 {"size", CellType::usd},
                 {"collateral", CellType::usd},
                 {"price", CellType::price},
                 {"shortfall", CellType::usd}},
                {}};
    liq.rows.reserve(ids->size());
    for (const int64_t id : *ids) {
      auto p = find_position(after, id);
      if (!p) return std::unexpected(p.error());
      const Position pos = **p;
      auto applied = apply_next(after, PositionLiquidated{id, "stress-test"}, at);
      if (!applied) return std::unexpected(applied.error());
      // the liquidation's bad debt, if it had one: the loss record of this very event
      const bool bad_debt = !after.losses.empty() && after.losses.back().seq == after.head_seq;
      const int64_t shortfall = bad_debt ? after.losses.back().total.units() : 0;
      liq.rows.push_back({Cell::of_int(id), Cell::of_text(pos.trader), Cell::of_text(pos.market),
                          Cell::of_text(std::string(side_name(pos.side))), Cell::of_usd(pos.size),
                          Cell::of_usd(pos.collateral), Cell::of_price(after.markets.at(pos.market).price),
                          Cell::of_usd(Usd(shortfall))});
    }
    after.what_if = false;
    if (auto ok = vault::update_utilization(after); !ok) return ok;
    std::vector<Section> extra;
    extra.push_back(std::move(liq));   // moved, not copied as a braced list would be: one row per liquidation
    auto report = cascade_report(before, after, std::move(extra));
    if (!report) return std::unexpected(report.error());
    render(*report, format, ctx.out());
    return {};
  });
}

}  // namespace

Status cmd_cascade(Context& ctx, const Options& o) {
  auto format = ctx.format(o);
  if (!format) return std::unexpected(format.error());
  auto now = ctx.time(o);
  if (!now) return std::unexpected(now.error());
  if (!o.shocks.empty()) {
    if (o.reason) return input_error("--reason goes with --loss A --apply, not with --shock.");
    if (o.kind) return input_error("--kind goes with --loss A, not with --shock (a shock's losses are of every kind).");
    return preview_shock(ctx, o, *format, *now);
  }
  if (!o.loss) return input_error("say what to test: --loss AMOUNT, or --shock MARKET=-30%.");
  auto amount = parse_usd(*o.loss, Sign::positive, "--loss");
  if (!amount) return std::unexpected(amount.error());
  auto kind = kind_of(o.kind.value_or("external"));
  if (!kind) return std::unexpected(kind.error());
  if (!o.apply && o.reason) {
    return input_error("--reason is journaled only with --apply; add --apply to journal the loss, or leave --reason out.");
  }
  if (!o.apply) return preview_loss(ctx, o, *format, *amount, *kind, *now);
  if (*kind != LossKind::external) {
    return input_error("--apply journals only external losses; drop --kind " + *o.kind + " (bad debt and trader PnL "
                       "are journaled by the liquidations and closes that cause them).");
  }
  if (!o.reason || o.reason->empty()) return input_error("--apply needs --reason TEXT: say why the loss happened.");
  return write_events(ctx, o, "cascade", [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
    return appended.add(j, LossApplied{*amount, *o.reason}, at);
  });
}

Status cmd_acknowledge(Context& ctx, const Options& o) {
  std::optional<Usd> confirmed;
  if (o.ack_amount) {
    auto amount = parse_usd(*o.ack_amount, Sign::positive, "--amount");
    if (!amount) return std::unexpected(amount.error());
    confirmed = *amount;
  }
  return write_events(ctx, o, "acknowledge", [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
    const Usd amount = confirmed.value_or(j.state().vault.unacknowledged());
    return appended.add(j, LossAcknowledged{amount, o.reason.value_or("")}, at);
  });
}

}  // namespace nexadex::cli
