// lib/transition.cpp: what the event rules share.
#include "lib/transition.hpp"

#include "lib/asset_books.hpp"
#include "lib/cascade.hpp"
#include "lib/gains_losses.hpp"
#include "lib/pricing.hpp"

namespace nexadex::vault::detail {

std::string depositor(const std::string& lp) { return depositor_account(lp); }

std::string trader_account(const std::string& t) { return "trader:" + t; }

// Every market with open positions needs a fresh price for a NAV-dependent command (SPEC §10).
Status require_fresh(const State& state, Timestamp at, const char* what) {
  for (const auto& [book, b] : state.books) {
    const std::string& sym = book.market;
    const auto it = state.markets.find(sym);
    if (it == state.markets.end() || !state.is_fresh(it->second, at)) {
      const int64_t age = it == state.markets.end() ? 0 : at.seconds - it->second.price_at.seconds;
      return rule_error(std::string(what) + " values the pool, but the " + sym + " price is " +
                        format_age(Duration{age}) + " old (max " + format_age(state.config.pool.max_price_age) +
                        "); record a fresh price first (price set, or --price).");
    }
  }
  return {};
}

Result<Price> fresh_price(const State& state, const std::string& market, Timestamp at) {
  const auto it = state.markets.find(market);
  if (it == state.markets.end() || !it->second.priced()) {
    return rule_error("the " + market + " market has never been priced; record a price first (price set " + market +
                      " PRICE, or --price).");
  }
  if (!state.is_fresh(it->second, at)) {
    return rule_error("the " + market + " price is " + format_age(Duration{at.seconds - it->second.price_at.seconds}) +
                      " old (max " + format_age(state.config.pool.max_price_age) +
                      "); record a fresh price first (price set, or --price).");
  }
  return it->second.price;
}

Status count_fee(State& state, const std::string& kind, Usd charged, Usd forgone, const FeeParts& parts) {
  FeeTotals& t = state.vault.fees[kind];
  NX_TRY_STATUS(add_to(t.charged, charged, "fees charged"));
  NX_TRY_STATUS(add_to(t.forgone, forgone, "fees forgone"));
  NX_TRY_STATUS(add_to(t.to_lps, parts.lp, "fees to LPs"));
  NX_TRY_STATUS(add_to(t.to_insurance, parts.insurance, "fees to insurance"));
  NX_TRY_STATUS(add_to(t.to_treasury, parts.treasury, "fees to the treasury"));
  return {};
}

// Books a fee's parts on the vault and its postings.
Status book_fee(State& state, const std::string& kind, Usd charged, Usd forgone, const FeeParts& parts,
                std::vector<Posting>& postings) {
  NX_TRY_STATUS(count_fee(state, kind, charged, forgone, parts));
  NX_TRY_STATUS(add_to(state.vault.insurance, parts.insurance, "the insurance fund"));
  NX_TRY_STATUS(add_to(state.vault.treasury, parts.treasury, "the treasury"));
  NX_TRY_STATUS(tranche::credit_gain(state, parts.lp, postings, tranche::Channel::fee));
  if (!parts.insurance.is_zero()) postings.push_back({"insurance", parts.insurance});
  if (!parts.treasury.is_zero()) postings.push_back({"treasury", parts.treasury});
  return {};
}

// Moves a realized LP result to the tranches: a gain (the pool's share of a trader's loss) through the
// income waterfall, a loss of `kind` through its cascade (DESIGN-risk §2, §3).
// Returns the loss's record, or nullptr for a gain.
Result<const LossRecord*> book_lp_result(State& state, const Event& ev, Usd delta, LossKind kind,
                                         const std::string& market, std::vector<Posting>& postings) {
  if (!delta.is_negative()) {
    NX_TRY_STATUS(tranche::credit_gain(state, delta, postings));
    return nullptr;
  }
  NX_TRY(loss, -delta);
  return tranche::absorb_loss(state, kind, loss, market, ev, postings);
}

std::vector<LayerPart> layers_of(const LossRecord* rec) {
  std::vector<LayerPart> out;
  if (rec == nullptr) return out;
  for (const auto& leg : rec->legs) out.push_back({leg.layer, leg.amount});
  return out;
}

void mark(State& state) { state.store.dirty_vault = true; }

// Records a step of a position's life (a what-if copy keeps none: it is dropped unread).
void add_leg(State& state, PositionLeg leg) {
  if (!state.what_if) state.legs.push_back(std::move(leg));
}

// Names become posting accounts (depositor:NAME, trader:NAME, ...): 1 to 64 of A-Z a-z 0-9 _ . -
Status check_name(const std::string& name, const char* what) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                c == '-');
  }
  if (ok) return {};
  return input_error(std::string(what) + " name '" + name + "' must be 1 to 64 of the characters A-Z a-z 0-9 _ . -");
}

// The tranche an LP event names: "" is the senior for a deposit and, for a withdrawal, the one
// tranche the LP holds; the junior exists only with [tranches].
Result<TrancheId> tranche_of(const State& state, const std::string& lp, const std::string& name, LpEvent event) {
  if (name.empty()) {
    if (event == LpEvent::deposit) return TrancheId::senior;
    const auto s = state.lps.find(LpKey{lp, TrancheId::senior});
    const auto j = state.lps.find(LpKey{lp, TrancheId::junior});
    const bool in_s = s != state.lps.end() && s->second.shares.is_positive();
    const bool in_j = j != state.lps.end() && j->second.shares.is_positive();
    if (in_s && in_j) {
      return input_error(lp + " holds shares of both tranches; say which with --tranche senior or --tranche junior.");
    }
    return in_j ? TrancheId::junior : TrancheId::senior;
  }
  const auto id = tranche::parse(name);
  if (!id) return input_error("unknown tranche '" + name + "'; use senior or junior.");
  if (*id == TrancheId::junior && !state.config.tranches.enabled) {
    return input_error("this pool has no junior tranche (its config has no [tranches]); deposit without --tranche, "
                       "or apply a config with [tranches].");
  }
  return *id;
}

std::string nav_owner(const State& state, TrancheId id) {
  return state.config.tranches.enabled ? "the " + std::string(tranche_name(id)) + " tranche's" : "the vault's";
}

Status check_reason(const std::string& reason) {
  bool ok = !reason.empty() && reason.size() <= 200;
  for (const char ch : reason) ok = ok && static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f;
  if (!ok) return input_error("the reason must be 1 to 200 characters without control characters.");
  return {};
}

Result<Position*> open_position(State& state, int64_t id) {
  NX_TRY(p, find_position(state, id));
  if (p == nullptr) {
    return input_error("unknown position " + std::to_string(id) + "; 'report positions' lists them.");
  }
  if (p->status != PositionStatus::open) {
    return rule_error("position " + std::to_string(id) + " was already " +
                      (p->status == PositionStatus::closed ? "closed" : "liquidated") + " at seq " +
                      std::to_string(p->ended_seq) + ".");
  }
  return p;
}

Status move_reserve(State& state, const Position& p, Usd tokens, int sign) {
  if (p.reserve_asset.empty() || !state.assets) {
    return sign > 0 ? add_to(state.vault.reserved, tokens, "reserves") : sub_from(state.vault.reserved, tokens, "reserves");
  }
  const auto i = assets::find_asset(*state.assets, p.reserve_asset);
  if (!i) return journal_error("position " + std::to_string(p.id) + " reserves " + p.reserve_asset + ", an asset the pool does not have.");
  AssetBook& b = state.assets->books[*i];
  int64_t after{};
  if (__builtin_add_overflow(b.reserved, sign * tokens.units(), &after) || after < 0) {
    return journal_error("the reserved tokens of " + p.reserve_asset + " would leave their range.");
  }
  b.reserved = after;
  state.store.dirty_assets = true;
  return {};
}

Status end_position(State& state, Position& p, PositionStatus status, int64_t seq) {
  Usd& oi = p.side == Side::long_ ? state.vault.open_interest_long : state.vault.open_interest_short;
  NX_TRY_STATUS(sub_from(oi, p.size, "open interest"));
  NX_TRY_STATUS(move_reserve(state, p, p.reserve, -1));
  p.status = status;
  p.ended_seq = seq;
  return {};
}

Result<CollateralIn> collateral_to_pool(State& state, const Position& p, int64_t tokens, Usd usd,
                                        std::initializer_list<std::pair<const char*, Usd>> fees,
                                        std::vector<Posting>& postings) {
  auto& pool = *state.assets;
  const auto i = assets::find_asset(pool, p.collateral_asset);
  if (!i) {
    return journal_error("position " + std::to_string(p.id) + " holds collateral in " + p.collateral_asset +
                         ", an asset the pool does not have.");
  }
  AssetBook book = pool.books[*i];
  const Usd before = book.book;
  if (tokens < 0 || tokens > book.collateral) {
    return journal_error("the collateral tokens of " + p.collateral_asset + " would leave their range.");
  }
  const std::string& sym = p.collateral_asset;
  postings.push_back({assets::token_account(position_account(p.id), sym), Usd(-tokens)});
  CollateralIn out;
  // the fees' parts first, changing nothing: the fund and the treasury take theirs from the tokens that
  // come in and, should those not be enough, from owned_C (never below 0)
  int64_t to_fund_and_treasury = 0;
  std::vector<TokenFee> quotes;
  AssetBook quoted = book;
  for (const auto& [kind, fee] : fees) {
    NX_TRY(q, quote_token_fee(state, *i, fee, quoted));
    quoted.insurance += q.parts.insurance;
    to_fund_and_treasury += q.parts.insurance + q.parts.treasury;   // ≤ the fees' tokens, far below int64
    quotes.push_back(q);
  }
  NX_TRY(owned, checked_add(book.owned, tokens - to_fund_and_treasury, "owned tokens"));
  if (owned < 0) {
    return rule_error("the pool owns too little " + sym + " to pay this event's fees in it; deposit " + sym +
                      " into the pool first.");
  }
  std::size_t k = 0;
  for (const auto& [kind, fee] : fees) {
    const TokenFee& q = quotes[k++];
    NX_TRY_STATUS(book_token_fee(state, kind, *i, fee, q, book, postings));
    NX_TRY(income, out.income + q.income);
    out.income = income;
  }
  book.collateral -= tokens;
  book.owned = owned;
  NX_TRY(recorded, book.collateral_usd - usd);
  book.collateral_usd = recorded;
  NX_TRY_STATUS(assets::set_books(pool, *i, book));
  state.store.dirty_assets = true;
  NX_TRY(gained, pool.books[*i].book - before);
  out.gained = gained;
  if (tokens != to_fund_and_treasury) {
    postings.push_back({assets::token_account("pool", sym), Usd(tokens - to_fund_and_treasury)});
  }
  NX_TRY(inventory, -gained);
  postings.push_back({assets::inventory_account(sym), inventory});
  return out;
}

int64_t unreserved_tokens(const AssetBook& book, const Position& p, Usd releasing) {
  const bool here = p.reserve_asset == p.collateral_asset;
  const int64_t others = book.reserved - (here ? releasing.units() : 0);
  return std::max<int64_t>(book.owned - others, 0);
}

Result<Usd> pay_tokens(State& state, std::size_t asset, const std::string& holder, int64_t units,
                       std::vector<Posting>& postings) {
  if (units == 0) return Usd();
  auto& pool = *state.assets;
  AssetBook book = pool.books[asset];
  const Usd before = book.book;
  if (units < 0 || units > book.owned) {
    return journal_error("a payment of " + assets::format_tokens(pool.configs[asset], units) + " exceeds what the pool owns.");
  }
  book.owned -= units;
  book.held -= units;
  NX_TRY_STATUS(assets::set_books(pool, asset, book));
  state.store.dirty_assets = true;
  NX_TRY(left, before - pool.books[asset].book);
  const std::string& sym = pool.configs[asset].symbol;
  postings.push_back({assets::token_account(holder, sym), Usd(units)});
  postings.push_back({assets::token_account("pool", sym), Usd(-units)});
  postings.push_back({assets::inventory_account(sym), left});
  return left;
}

Status count_token_fee(State& state, const char* kind, std::size_t asset, int64_t fee,
                       const assets::TokenFeeParts& parts, Usd income) {
  const auto& pool = *state.assets;
  const auto value = [&](int64_t units) {
    return assets::value_floor(units, pool.prices[asset].low, pool.configs[asset].decimals);
  };
  NX_TRY(charged, value(fee));
  NX_TRY(ins, value(parts.insurance));
  NX_TRY(tre, value(parts.treasury));
  return count_fee(state, kind, charged, Usd(0), FeeParts{income, ins, tre});
}

Result<TokenFee> quote_token_fee(const State& state, std::size_t asset, Usd fee, const AssetBook& book) {
  TokenFee out;
  if (!fee.is_positive()) return out;
  const auto& pool = *state.assets;
  const AssetConfig& a = pool.configs[asset];
  const Price low = pool.prices[asset].low;
  // ceil: the fee taken in tokens rounds in the pool's favour
  NX_TRY(units, assets::tokens_ceil(fee, low, a.decimals));
  // the fund's room counts the tokens this event already gave it (book.insurance, not yet in the pool)
  std::optional<int64_t> room;
  if (book.insurance == pool.books[asset].insurance) {
    NX_TRY(r, assets::insurance_room(pool, asset, insurance_target(state)));
    room = r;
  } else {
    assets::AssetPool counted = pool;
    counted.books[asset].insurance = book.insurance;
    NX_TRY(r, assets::insurance_room(counted, asset, insurance_target(state)));
    room = r;
  }
  NX_TRY(parts, assets::split_token_fee(units, state.config.fees.split, room));
  NX_TRY(lp_value, assets::value_floor(parts.lp, low, a.decimals));
  NX_TRY(insurance, assets::value_floor(parts.insurance, low, a.decimals));
  NX_TRY(treasury, assets::value_floor(parts.treasury, low, a.decimals));
  // the LPs' fee income: their part's value, at most what is left of the USD fee after the fund's and the
  // treasury's parts (a coarse token unit rounds the fee up: that excess is a gain, not fee income)
  NX_TRY(rest, fee - insurance);
  NX_TRY(left, rest - treasury);
  out.units = units;
  out.parts = parts;
  out.income = std::min(lp_value, std::max(left, Usd()));
  out.to_insurance = insurance;
  out.to_treasury = treasury;
  return out;
}

Status book_token_fee(State& state, const char* kind, std::size_t asset, Usd fee, const TokenFee& quote,
                      AssetBook& book, std::vector<Posting>& postings) {
  if (quote.units == 0) return {};
  const std::string& sym = state.assets->configs[asset].symbol;
  NX_TRY(insurance, checked_add(book.insurance, quote.parts.insurance, "insurance tokens"));
  NX_TRY(treasury, checked_add(book.treasury, quote.parts.treasury, "treasury tokens"));
  book.insurance = insurance;
  book.treasury = treasury;
  if (quote.parts.insurance != 0) postings.push_back({assets::token_account("insurance", sym), Usd(quote.parts.insurance)});
  if (quote.parts.treasury != 0) postings.push_back({assets::token_account("treasury", sym), Usd(quote.parts.treasury)});
  // report fees: the USD fee charged, its parts at their low prices
  return count_fee(state, kind, fee, Usd(0), FeeParts{quote.income, quote.to_insurance, quote.to_treasury});
}

}  // namespace nexadex::vault::detail
