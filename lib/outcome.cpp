// lib/outcome.cpp: write commands' reports of what their events did in money.
#include "lib/outcome.hpp"

#include <array>
#include <set>

namespace nexadex {
namespace {

// The section of each kind of outcome, in the order a report lists them.
enum class Kind {
  prices, deposits, lots, withdrawals, asset_moves, claims, opens, closes, liquidations, insurance, losses, acknowledgements, resets
};

std::optional<Kind> kind_of(const Outcome& o) {
  if (std::holds_alternative<PriceOutcome>(o)) return Kind::prices;
  if (std::holds_alternative<DepositOutcome>(o)) return Kind::deposits;
  if (std::holds_alternative<WithdrawOutcome>(o)) return Kind::withdrawals;
  if (std::holds_alternative<OpenOutcome>(o)) return Kind::opens;
  if (std::holds_alternative<CloseOutcome>(o)) return Kind::closes;
  if (std::holds_alternative<LiquidationOutcome>(o)) return Kind::liquidations;
  if (std::holds_alternative<InsuranceOutcome>(o)) return Kind::insurance;
  if (std::holds_alternative<LossOutcome>(o)) return Kind::losses;
  if (std::holds_alternative<AcknowledgeOutcome>(o)) return Kind::acknowledgements;
  if (std::holds_alternative<ResetOutcome>(o)) return Kind::resets;
  if (std::holds_alternative<ClaimOutcome>(o)) return Kind::claims;
  return std::nullopt;
}

// The sections a command always has, whatever it appended (`liquidate --all` with nothing to
// liquidate still has its liquidations, empty, and zero totals).
std::set<Kind> own_kinds(const std::string& command) {
  if (command == "price_set" || command == "price_import") return {Kind::prices};
  if (command == "deposit") return {Kind::deposits};
  if (command == "withdraw") return {Kind::withdrawals};
  if (command == "open") return {Kind::opens};
  if (command == "close") return {Kind::closes};
  if (command == "liquidate") return {Kind::liquidations};
  if (command == "insurance_deposit") return {Kind::insurance};
  if (command == "cascade") return {Kind::losses};
  if (command == "acknowledge") return {Kind::acknowledgements};
  if (command == "claim") return {Kind::claims};
  return {};
}

// A multi-asset pool's move in tokens, if the outcome is one.
const AssetMove* asset_move_of(const Outcome& o) {
  if (const auto* d = std::get_if<DepositOutcome>(&o); d != nullptr && d->asset) return &*d->asset;
  if (const auto* w = std::get_if<WithdrawOutcome>(&o); w != nullptr && w->asset) return &*w->asset;
  return nullptr;
}

Cell usd(Usd v) { return Cell::of_usd(v); }
Cell shares(Shares v) { return Cell::of_shares(v); }
Cell share_price(int64_t micro) { return Cell::of_unit_price(micro); }
Cell text(std::string s) { return Cell::of_text(std::move(s)); }

Section section(Kind k) {
  switch (k) {
    case Kind::prices:
      return {"prices", "Prices", SectionShape::list,
              {{"seq", CellType::integer}, {"market", CellType::text}, {"price", CellType::price},
               {"previous_price", CellType::price}, {"change", CellType::price}},
              {}};
    case Kind::deposits:
      return {"deposits", "Deposits", SectionShape::list,
              {{"seq", CellType::integer}, {"lp", CellType::text}, {"tranche", CellType::text},
               {"amount", CellType::usd}, {"shares_minted", CellType::shares},
               {"share_price", CellType::unit_price}, {"nav_before", CellType::usd},
               {"nav_after", CellType::usd}},
              {}};
    case Kind::lots:
      return {"lots", "Lots", SectionShape::list,
              {{"seq", CellType::integer}, {"lot", CellType::integer}, {"lp", CellType::text},
               {"shares", CellType::shares}, {"lock_until", CellType::time}, {"boost_bps", CellType::bps}},
              {}};
    case Kind::asset_moves:
      return {"asset_moves", "In tokens", SectionShape::list,
              {{"seq", CellType::integer}, {"lp", CellType::text}, {"asset", CellType::text},
               {"move", CellType::text}, {"tokens", CellType::text}, {"fee_tokens", CellType::text},
               {"fee_bps", CellType::bps}, {"weight_before_bps", CellType::bps},
               {"weight_after_bps", CellType::bps}, {"value", CellType::usd}, {"fee_income", CellType::usd},
               {"dust", CellType::usd}},
              {}};
    case Kind::claims:
      return {"claims", "Claimed", SectionShape::list,
              {{"seq", CellType::integer}, {"lp", CellType::text}, {"paid", CellType::usd}},
              {}};
    case Kind::withdrawals:
      return {"withdrawals", "Withdrawals", SectionShape::list,
              {{"seq", CellType::integer}, {"lp", CellType::text}, {"tranche", CellType::text},
               {"amount_paid", CellType::usd}, {"shares_burned", CellType::shares},
               {"share_price", CellType::unit_price}, {"shares_left", CellType::shares}},
              {}};
    case Kind::opens:
      return {"opens", "Opened", SectionShape::list,
              {{"seq", CellType::integer}, {"position_id", CellType::integer}, {"trader", CellType::text},
               {"market", CellType::text}, {"side", CellType::text}, {"size", CellType::usd},
               {"collateral", CellType::usd},
               {"open_fee", CellType::usd}, {"entry_price", CellType::price}, {"leverage", CellType::text},
               {"reserve", CellType::usd}, {"liquidation_price", CellType::price}},
              {}};
    case Kind::closes:
      return {"closes", "Closed", SectionShape::list,
              {{"seq", CellType::integer}, {"position_id", CellType::integer}, {"trader", CellType::text},
               {"size_closed", CellType::usd}, {"size_left", CellType::usd}, {"exit_price", CellType::price},
               {"pnl", CellType::usd}, {"collateral_returned", CellType::usd}, {"borrow_fee", CellType::usd},
               {"close_fee", CellType::usd}, {"payout", CellType::usd}, {"pool_result", CellType::usd}},
              {}};
    case Kind::liquidations:
      return {"liquidations", "Liquidated", SectionShape::list,
              {{"seq", CellType::integer}, {"position_id", CellType::integer}, {"trader", CellType::text},
               {"keeper", CellType::text}, {"price", CellType::price}, {"collateral", CellType::usd},
               {"pnl", CellType::usd}, {"loss", CellType::usd}, {"close_fee", CellType::usd},
               {"close_fee_paid", CellType::usd}, {"close_fee_forgone", CellType::usd},
               {"borrow_fee", CellType::usd}, {"borrow_fee_paid", CellType::usd},
               {"borrow_fee_forgone", CellType::usd}, {"keeper_fee", CellType::usd},
               {"keeper_fee_from_collateral", CellType::usd}, {"remainder", CellType::usd},
               {"shortfall", CellType::usd}},
              {}};
    case Kind::insurance:
      return {"insurance_deposits", "Insurance deposits", SectionShape::list,
              {{"seq", CellType::integer}, {"amount", CellType::usd}, {"from", CellType::text},
               {"balance", CellType::usd}},
              {}};
    case Kind::losses:
      return {"losses", "Losses", SectionShape::list,
              {{"seq", CellType::integer}, {"amount", CellType::usd}, {"absorbed", CellType::usd},
               {"unabsorbed", CellType::usd}},
              {}};
    case Kind::acknowledgements:
      return {"acknowledgements", "Acknowledged", SectionShape::list,
              {{"seq", CellType::integer}, {"amount", CellType::usd}, {"unabsorbed", CellType::usd}},
              {}};
    case Kind::resets:
      return {"resets", "Tranches reset", SectionShape::list,
              {{"seq", CellType::integer}, {"tranche", CellType::text},
               {"shares_cancelled", CellType::shares}, {"holders", CellType::integer}},
              {}};
  }
  return {};
}

// Errors: a figure derived from the outcome's (a price change, a loss's absorbed part) beyond int64.
Result<std::vector<Cell>> row_of(const AppliedEvent& a) {
  const Cell seq = Cell::of_int(a.event.seq);
  const auto tranche = [](TrancheId id) { return text(std::string(tranche_name(id))); };
  if (const auto* o = std::get_if<PriceOutcome>(&a.outcome)) {
    if (!o->previous) {
      return std::vector<Cell>{seq, text(o->market), Cell::of_price(o->price), Cell::none(CellType::price),
                               Cell::none(CellType::price)};
    }
    NX_TRY(change, o->price - *o->previous);
    return std::vector<Cell>{seq, text(o->market), Cell::of_price(o->price), Cell::of_price(*o->previous),
                             Cell::of_price(change)};
  }
  if (const auto* o = std::get_if<DepositOutcome>(&a.outcome)) {
    return std::vector<Cell>{seq, text(o->lp), tranche(o->tranche), usd(o->amount), shares(o->minted), share_price(o->share_price),
            usd(o->nav_before), usd(o->nav_after)};
  }
  if (const auto* o = std::get_if<WithdrawOutcome>(&a.outcome)) {
    return std::vector<Cell>{seq, text(o->lp), tranche(o->tranche), usd(o->paid), shares(o->burned), share_price(o->share_price),
            shares(o->left)};
  }
  if (const auto* o = std::get_if<OpenOutcome>(&a.outcome)) {
    return std::vector<Cell>{seq, Cell::of_int(o->id), text(o->trader), text(o->market), text(std::string(side_name(o->side))),
            usd(o->size), usd(o->collateral), usd(o->open_fee), Cell::of_price(o->entry),
            text(format_decimal(o->leverage_x100, 2)), usd(o->reserve),
            derived_price(o->liquidation_price, o->entry, o->side)};
  }
  if (const auto* o = std::get_if<CloseOutcome>(&a.outcome)) {
    return std::vector<Cell>{seq, Cell::of_int(o->id), text(o->trader), usd(o->size_closed), usd(o->size_left), Cell::of_price(o->exit),
            usd(o->pnl), usd(o->collateral_returned), usd(o->borrow_fee), usd(o->close_fee), usd(o->payout),
            usd(o->pool_result)};
  }
  if (const auto* o = std::get_if<LiquidationOutcome>(&a.outcome)) {
    return std::vector<Cell>{seq, Cell::of_int(o->id), text(o->trader), text(o->keeper), Cell::of_price(o->price), usd(o->collateral),
            usd(o->pnl), usd(o->loss), usd(o->close_fee), usd(o->close_fee_paid), usd(o->close_fee_forgone),
            usd(o->borrow_fee), usd(o->borrow_fee_paid), usd(o->borrow_fee_forgone), usd(o->keeper_fee), usd(o->keeper_fee_from_collateral), usd(o->remainder),
            usd(o->shortfall)};
  }
  if (const auto* o = std::get_if<InsuranceOutcome>(&a.outcome)) {
    return std::vector<Cell>{seq, usd(o->amount), text(o->from), usd(o->balance)};
  }
  if (const auto* o = std::get_if<LossOutcome>(&a.outcome)) {
    Usd unabsorbed;
    for (const auto& l : o->layers) {
      if (l.layer == "unabsorbed") NX_TRY_STATUS(add_to(unabsorbed, l.amount, "the unabsorbed loss"));
    }
    NX_TRY(absorbed, o->amount - unabsorbed);
    return std::vector<Cell>{seq, usd(o->amount), usd(absorbed), usd(unabsorbed)};
  }
  if (const auto* o = std::get_if<AcknowledgeOutcome>(&a.outcome)) return std::vector<Cell>{seq, usd(o->amount), usd(o->unabsorbed)};
  if (const auto* o = std::get_if<ClaimOutcome>(&a.outcome)) return std::vector<Cell>{seq, text(o->lp), usd(o->paid)};
  const auto& o = std::get<ResetOutcome>(a.outcome);
  return std::vector<Cell>{seq, tranche(o.tranche), shares(o.cancelled), Cell::of_int(o.holders)};
}

// Junior shares a realized loss cancelled (DESIGN-risk §5): a reset without an event of its own.
Shares junior_cancelled_by(const Outcome& o) {
  if (const auto* c = std::get_if<CloseOutcome>(&o)) return c->junior_cancelled;
  if (const auto* l = std::get_if<LiquidationOutcome>(&o)) return l->junior_cancelled;
  if (const auto* l = std::get_if<LossOutcome>(&o)) return l->junior_cancelled;
  return Shares(0);
}

const std::vector<LayerPart>* layers_of(const Outcome& o) {
  if (const auto* c = std::get_if<CloseOutcome>(&o)) return &c->layers;
  if (const auto* l = std::get_if<LiquidationOutcome>(&o)) return &l->layers;
  if (const auto* l = std::get_if<LossOutcome>(&o)) return &l->layers;
  return nullptr;
}

// `liquidate`: the sums over its liquidations.
// Errors: a total beyond int64 (each is a sum of amounts the pool's books held, so none is).
Result<Section> liquidation_totals(const std::vector<AppliedEvent>& applied) {
  Section s{"liquidation_totals", "Liquidation totals", SectionShape::record,
            {{"positions", CellType::integer}, {"collateral", CellType::usd}, {"loss", CellType::usd},
             {"close_fee", CellType::usd}, {"close_fee_paid", CellType::usd}, {"close_fee_forgone", CellType::usd},
             {"borrow_fee", CellType::usd}, {"borrow_fee_paid", CellType::usd}, {"borrow_fee_forgone", CellType::usd},
             {"keeper_fee", CellType::usd}, {"keeper_fee_from_collateral", CellType::usd},
             {"remainder", CellType::usd}, {"shortfall", CellType::usd}},
            {}};
  int64_t n = 0;
  std::array<Usd, 12> t{};
  for (const auto& a : applied) {
    const auto* o = std::get_if<LiquidationOutcome>(&a.outcome);
    if (o == nullptr) continue;
    ++n;
    const Usd v[] = {o->collateral,      o->loss,           o->close_fee,
                     o->close_fee_paid,  o->close_fee_forgone, o->borrow_fee,
                     o->borrow_fee_paid, o->borrow_fee_forgone, o->keeper_fee,
                     o->keeper_fee_from_collateral, o->remainder, o->shortfall};
    for (std::size_t i = 0; i < t.size(); ++i) NX_TRY_STATUS(add_to(t[i], v[i], "the liquidation totals"));
  }
  std::vector<Cell> row{Cell::of_int(n)};
  for (const Usd v : t) row.push_back(usd(v));
  s.rows.push_back(std::move(row));
  return s;
}

}  // namespace

Result<Report> outcome_report(const std::string& name, const std::vector<AppliedEvent>& applied) {
  std::set<Kind> kinds = own_kinds(name);
  for (const auto& a : applied) {
    if (const auto k = kind_of(a.outcome)) kinds.insert(*k);
    if (junior_cancelled_by(a.outcome).is_positive()) kinds.insert(Kind::resets);
    if (const auto* d = std::get_if<DepositOutcome>(&a.outcome); d != nullptr && d->lot > 0) kinds.insert(Kind::lots);
    if (asset_move_of(a.outcome) != nullptr) kinds.insert(Kind::asset_moves);
  }
  Report report{name, {}};
  for (const Kind k : kinds) {
    Section s = section(k);
    s.one_row_as_record = true;
    for (const auto& a : applied) {
      if (kind_of(a.outcome) == k) {
        NX_TRY(row, row_of(a));
        s.rows.push_back(std::move(row));
      }
      const auto* d = std::get_if<DepositOutcome>(&a.outcome);
      if (k == Kind::lots && d != nullptr && d->lot > 0) {
        s.rows.push_back({Cell::of_int(a.event.seq), Cell::of_int(d->lot), text(d->lp), shares(d->minted),
                          d->lock_until.seconds > 0 ? Cell::of_time(d->lock_until) : Cell::none(CellType::time),
                          Cell::of_bps(d->boost)});
      }
      if (const AssetMove* m = asset_move_of(a.outcome); k == Kind::asset_moves && m != nullptr) {
        const auto tokens = [&](int64_t units) { return text(format_decimal(units, m->decimals)); };
        const bool in = std::holds_alternative<DepositOutcome>(a.outcome);
        const std::string& lp = in ? std::get<DepositOutcome>(a.outcome).lp : std::get<WithdrawOutcome>(a.outcome).lp;
        s.rows.push_back({Cell::of_int(a.event.seq), text(lp), text(m->asset), text(in ? "deposit" : "withdrawal"),
                          tokens(m->tokens), tokens(m->fee), Cell::of_bps(m->rate), Cell::of_bps(m->weight_before),
                          Cell::of_bps(m->weight_after), usd(m->value), usd(m->fee_income), usd(m->dust)});
      }
      if (k == Kind::resets && junior_cancelled_by(a.outcome).is_positive()) {
        s.rows.push_back({Cell::of_int(a.event.seq), text("junior"), shares(junior_cancelled_by(a.outcome)),
                          Cell::none(CellType::integer)});
      }
    }
    report.sections.push_back(std::move(s));
    if (k == Kind::liquidations) {
      NX_TRY(totals, liquidation_totals(applied));
      report.sections.push_back(std::move(totals));
    }
  }
  // Where realized losses fell, layer by layer, for the commands that can realize one.
  if (kinds.count(Kind::closes) || kinds.count(Kind::liquidations) || kinds.count(Kind::losses)) {
    Section layers{"layers", "Absorbed by", SectionShape::list,
                   {{"seq", CellType::integer}, {"position_id", CellType::integer},
                    {"layer", CellType::text}, {"amount", CellType::usd}},
                   {}};
    for (const auto& a : applied) {
      const auto* parts = layers_of(a.outcome);
      if (parts == nullptr) continue;
      const auto* c = std::get_if<CloseOutcome>(&a.outcome);
      const auto* l = std::get_if<LiquidationOutcome>(&a.outcome);
      const Cell id = c ? Cell::of_int(c->id) : l ? Cell::of_int(l->id) : Cell::none(CellType::integer);
      for (const auto& part : *parts) {
        layers.rows.push_back({Cell::of_int(a.event.seq), id, text(part.layer), usd(part.amount)});
      }
    }
    report.sections.push_back(std::move(layers));
  }
  // Rules 4: closes that paid a long's profit in its reserve's tokens (nexadex-assets(7) A5)
  Section tokens{"tokens", "Paid in tokens", SectionShape::list,
                 {{"seq", CellType::integer}, {"position_id", CellType::integer}, {"paid_usd", CellType::usd},
                  {"asset", CellType::text}, {"tokens", CellType::text}},
                 {}};
  for (const auto& a : applied) {
    const auto* c = std::get_if<CloseOutcome>(&a.outcome);
    if (c == nullptr || c->tokens.empty()) continue;
    tokens.rows.push_back({Cell::of_int(a.event.seq), Cell::of_int(c->id), usd(c->paid_settlement), text(c->token_asset),
                           text(c->tokens)});
  }
  if (!tokens.rows.empty()) report.sections.push_back(std::move(tokens));
  report.sections.push_back(applied_events_section(applied));
  return report;
}

Section applied_events_section(const std::vector<AppliedEvent>& applied) {
  Section events = events_section();
  for (const auto& a : applied) events.rows.push_back(event_row(a.event, a.hash));
  return events;
}

}  // namespace nexadex
