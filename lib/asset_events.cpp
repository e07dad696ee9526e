// lib/asset_events.cpp: a multi-asset pool's events (nexadex-assets(7)): deposits and withdrawals of
// any pool asset, the inventory result of a price, and the settlement asset's books kept equal to the
// vault's USD books.
#include "lib/asset_events.hpp"

#include "lib/asset_books.hpp"
#include "lib/cascade.hpp"
#include "lib/gains_losses.hpp"
#include "lib/insurance.hpp"
#include "lib/locks.hpp"
#include "lib/lp_events.hpp"
#include "lib/pricing.hpp"
#include "lib/transition.hpp"
#include "lib/valuation.hpp"

namespace nexadex::vault {

using namespace detail;

Result<std::size_t> asset_index(const assets::AssetPool& pool, const std::string& symbol) {
  if (const auto i = assets::find_asset(pool, symbol)) return *i;
  std::string names;
  for (const auto& a : pool.configs) {
    if (!names.empty()) names += ", ";
    names += a.symbol;
  }
  if (symbol.empty()) return input_error("--asset is empty; name one of the pool's assets, " + names + " (report assets).");
  return input_error("unknown asset '" + symbol + "'; the pool's assets are " + names + " (report assets).");
}

namespace {

// A deposit or a withdrawal values the whole AUM: the prices of the asset moved and of every asset
// held must be fresh, as must those of the markets with open positions (nexadex-assets(7), PRICES).
Status require_fresh_assets(const State& state, Timestamp at, std::size_t moved, const char* what) {
  NX_TRY_STATUS(require_fresh(state, at, what));
  const auto& pool = *state.assets;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    const auto& a = pool.configs[i];
    if (!a.priced_by_market() || (i != moved && pool.books[i].owned <= 0)) continue;
    if (auto p = fresh_price(state, a.market, at); !p) {
      const std::string head = std::string(what) + " of " + pool.configs[moved].symbol;
      return rule_error(head + (i == moved ? " needs its price: " : " values the pool's " + a.symbol + ": ") +
                        p.error().message);
    }
  }
  return {};
}

void push_if(std::vector<Posting>& postings, std::string account, int64_t units) {
  if (units != 0) postings.push_back({std::move(account), Usd(units)});
}

// The settlement asset's book as the vault's USD books give it (THE SETTLEMENT ASSET).
Result<AssetBook> settlement_book(const State& state) {
  const auto& pool = *state.assets;
  const auto& v = state.vault;
  // the USD the LPs own, less what the other assets' books hold
  WideUsd owned = wide_add(WideUsd(v.senior().capital), v.junior().capital);
  owned = wide_sub(owned, v.unabsorbed);
  for (const TrancheId id : {TrancheId::senior, TrancheId::junior}) {
    NX_TRY(claimable, account_balance(state, locks::claimable_account(id)));
    owned = wide_add(owned, *claimable);
  }
  // Σ_{A≠S} B_A = ΣB − B_S
  owned = wide_add(wide_sub(owned, pool.total_book), pool.books[pool.settlement].book);
  NX_TRY(units, narrow(owned, "the settlement asset's tokens"));
  if (units.is_negative()) {   // the rules keep it from happening (reserves, claims, external losses)
    return rule_error("the pool would owe " + to_string(Usd(-units.units())) + " " +
                      pool.configs[pool.settlement].symbol + " more than it holds of the settlement asset; this "
                      "event is refused (nexadex-assets(7), THE SETTLEMENT ASSET).");
  }
  AssetBook book = pool.books[pool.settlement];
  book.owned = units.units();
  book.insurance = v.insurance.units();
  book.treasury = v.treasury.units();
  book.reserved = v.reserved.units();
  book.collateral = 0;
  NX_TRY(held, checked_add(book.owned, book.insurance, "the settlement asset's tokens"));
  NX_TRY(held_all, checked_add(held, book.treasury, "the settlement asset's tokens"));
  book.held = held_all;
  return book;
}

}  // namespace

Result<assets::AssetPool> synced_pool(const State& state) {
  NX_TRY(book, settlement_book(state));
  assets::AssetPool pool = *state.assets;
  if (!(book == pool.books[pool.settlement])) NX_TRY_STATUS(assets::set_books(pool, pool.settlement, book));
  return pool;
}

Status sync_settlement(State& state) {
  if (!state.assets || state.what_if) return {};
  NX_TRY(book, settlement_book(state));
  auto& pool = *state.assets;
  if (book == pool.books[pool.settlement]) return {};
  NX_TRY_STATUS(assets::set_books(pool, pool.settlement, book));
  state.store.dirty_assets = true;
  return {};
}

Status check_settlement_reserve(const State& state, Usd reserved_after) {
  if (!state.assets) return {};
  const auto& pool = *state.assets;
  const auto& s = pool.configs[pool.settlement];
  const int64_t owned = pool.books[pool.settlement].owned;
  if (reserved_after.units() <= owned) return {};
  return rule_error("the position would bring the reserves to " + to_string(reserved_after) + " but the pool owns " +
                    assets::format_tokens(s, owned) + ", the settlement asset the reserves are held in until "
                    "asset-backed trading (nexadex-assets(7), BOOKS); open less, or deposit " + s.symbol + ".");
}

namespace {

// The inventory result of the assets `changed` (index, B_A before): each asset's inventory leg, and the
// sum a gain through the income waterfall or a loss through cascade.inventory.
Result<std::vector<Posting>> book_inventory(State& state, const Event& ev, const std::string& market,
                                            const std::vector<std::pair<std::size_t, Usd>>& changed) {
  std::vector<Posting> postings;
  const auto& pool = *state.assets;
  WideUsd total;
  for (const auto& [i, b] : changed) {
    NX_TRY(d, pool.books[i].book - b);
    NX_TRY(leg, -d);
    total = wide_add(total, d);
    if (!d.is_zero()) postings.push_back({assets::inventory_account(pool.configs[i].symbol), leg});
  }
  NX_TRY(delta, narrow(total, "an inventory result"));
  if (delta.is_positive()) {
    NX_TRY_STATUS(tranche::credit_gain(state, delta, postings));
  } else if (delta.is_negative()) {
    NX_TRY(loss, -delta);
    NX_TRY(rec, tranche::absorb_loss(state, LossKind::inventory, loss, market, ev, postings));
    (void)rec;
  }
  return postings;
}

}  // namespace

Result<std::vector<Posting>> revalue(State& state, const Event& ev, const std::string& market, Price price) {
  if (!state.assets) return std::vector<Posting>{};
  auto& pool = *state.assets;
  std::vector<std::pair<std::size_t, Usd>> before;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    if (pool.configs[i].market == market) before.emplace_back(i, pool.books[i].book);
  }
  if (before.empty()) return std::vector<Posting>{};
  NX_TRY(delta, assets::set_market_price(pool, market, price));
  (void)delta;   // the sum of the changes, booked asset by asset below
  state.store.dirty_assets = true;
  return book_inventory(state, ev, market, before);
}

Result<std::vector<Posting>> rebook(State& state, const Event& ev, const assets::AssetPool& before) {
  std::vector<std::pair<std::size_t, Usd>> changed;
  for (std::size_t i = 0; i < before.configs.size(); ++i) {
    const auto now = assets::find_asset(*state.assets, before.configs[i].symbol);
    if (now && state.assets->books[*now].book != before.books[i].book) changed.emplace_back(*now, before.books[i].book);
  }
  if (changed.empty()) return std::vector<Posting>{};
  return book_inventory(state, ev, "", changed);
}

Status check_settlement_payment(const State& state, Usd amount, const char* what) {
  if (!state.assets) return {};
  NX_TRY(pool, synced_pool(state));
  const auto& s = pool.configs[pool.settlement];
  const auto& b = pool.books[pool.settlement];
  if (b.owned - amount.units() >= b.reserved) return {};
  return rule_error(std::string(what) + " of " + to_string(amount) + " would leave the pool " +
                    assets::format_tokens(s, b.owned - amount.units()) + " of the settlement asset " + s.symbol +
                    ", below the " + assets::format_tokens(s, b.reserved) + " reserved for open positions (" +
                    "nexadex-assets(7), THE SETTLEMENT ASSET); wait for positions to close, or for deposits of " +
                    s.symbol + ".");
}

Result<std::vector<Posting>> asset_deposit(State& state, const Event& ev, const LpAssetDeposited& e, Outcome* out) {
  if (!state.assets) return input_error("--asset needs a multi-asset pool, and this pool's config has no [[assets]].");
  NX_TRY_STATUS(check_name(e.lp, "the LP"));
  NX_TRY(i, asset_index(*state.assets, e.asset));
  // the books with the settlement asset's up to date, changed only once every check has passed
  NX_TRY(pool, synced_pool(state));
  const AssetConfig asset = pool.configs[i];
  const bool settlement = i == pool.settlement;
  auto parsed = parse_decimal(e.amount, static_cast<int>(asset.decimals), Sign::positive, "the amount");
  if (!parsed) {
    return input_error("the amount " + e.amount + " is not a positive number of " + asset.symbol + " with at most " +
                       std::to_string(asset.decimals) + " decimals.");
  }
  const int64_t units = *parsed;
  NX_TRY_STATUS(require_fresh_assets(state, ev.at, i, "a deposit"));
  NX_TRY(room, assets::insurance_room(pool, i, insurance_target(state)));
  NX_TRY(q, assets::quote_deposit(pool, i, units, state.config.fees.split, room));
  // Every refusal of a deposit, with the shares priced at an upper bound of the NAV_high they are minted
  // at (the tranche's NAV + I + ε + the whole spread): if that mints a share unit, the mint below does.
  NX_TRY(extra, q.fee_income + q.dust);
  NX_TRY(bound, extra + q.spread_before);
  DepositTerms d{e.lp, e.tranche, q.value, e.lock, e.compound};
  NX_TRY(plan, plan_deposit(state, ev, d, bound));
  // the share price the outcome shows, at its highest (the mint's NAV_high is at most plan.priced_at)
  NX_TRY_STATUS(share_price_usd_floor(plan.priced_at, state.vault.tranche(plan.id).supply));
  // From here the books change.
  const Usd book_before = pool.books[i].book;
  NX_TRY_STATUS(assets::apply_deposit(pool, q));
  const Usd book_after = pool.books[i].book;
  *state.assets = std::move(pool);
  state.store.dirty_assets = true;
  std::vector<Posting> postings;
  NX_TRY(paid_in, -Usd(units));
  if (settlement) {
    postings.push_back({depositor(e.lp), paid_in});
    NX_TRY_STATUS(book_fee(state, "deposit", Usd(q.fee), Usd(),
                           FeeParts{Usd(q.parts.lp), Usd(q.parts.insurance),
                                    Usd(q.parts.treasury)},
                           postings));
  } else {
    postings.push_back({assets::token_account("depositor:" + e.lp, asset.symbol), paid_in});
    push_if(postings, assets::token_account("pool", asset.symbol), units - q.parts.insurance - q.parts.treasury);
    push_if(postings, assets::token_account("insurance", asset.symbol), q.parts.insurance);
    push_if(postings, assets::token_account("treasury", asset.symbol), q.parts.treasury);
    NX_TRY(rise, book_after - book_before);
    NX_TRY(leg, -rise);
    postings.push_back({assets::inventory_account(asset.symbol), leg});
    NX_TRY_STATUS(count_token_fee(state, "deposit", i, q.fee, q.parts, q.fee_income));
    NX_TRY_STATUS(tranche::credit_gain(state, q.fee_income, postings, tranche::Channel::fee));
  }
  // ε, a gain of the LPs already in, before the mint
  NX_TRY_STATUS(tranche::credit_gain(state, q.dust, postings));
  // the mint, at the tranche's NAV_high on the holdings before the deposit (the spread H through the
  // waterfall with the positions' unrealized result)
  NX_TRY(unrealized, unrealized_floor(state));
  NX_TRY(high_result, unrealized + q.spread_before);
  NX_TRY(high, tranche::values_given(state, high_result));
  const Tranche& t = state.vault.tranche(plan.id);
  const Usd nav_high = plan.id == TrancheId::junior ? high.junior : high.senior;
  if (nav_high > plan.priced_at) {   // cannot happen: the credits and H add at most I + ε + H to it
    return discrepancy_error("the mint's NAV_high " + to_string(nav_high) + " is above its bound " +
                             to_string(plan.priced_at));
  }
  NX_TRY(shares, shares_minted(q.value, t.supply, nav_high));
  plan.priced_at = nav_high;
  plan.shares = shares;
  NX_TRY_STATUS(book_deposit(state, ev, d, plan, out));
  if (out != nullptr) {
    std::get<DepositOutcome>(*out).asset = AssetMove{asset.symbol, static_cast<int>(asset.decimals), units, q.fee,
                                                     q.rate, q.weights.before, q.weights.after, q.value,
                                                     q.fee_income, q.dust};
  }
  postings.push_back({tranche::account(plan.id), q.value});
  return postings;
}

Result<std::vector<Posting>> asset_withdraw(State& state, const Event& ev, const LpAssetWithdrew& e, Outcome* out) {
  if (!state.assets) return input_error("--asset needs a multi-asset pool, and this pool's config has no [[assets]].");
  NX_TRY(i, asset_index(*state.assets, e.asset));
  NX_TRY(plan, plan_withdrawal(state, ev, WithdrawalTerms{e.lp, e.tranche, e.by, e.amount, e.shares}));
  NX_TRY_STATUS(require_fresh_assets(state, ev.at, i, "a withdrawal"));
  NX_TRY(pool, synced_pool(state));
  const std::string symbol = pool.configs[i].symbol;
  const bool settlement = i == pool.settlement;
  NX_TRY(room, assets::insurance_room(pool, i, insurance_target(state)));
  NX_TRY(q, assets::quote_withdrawal(pool, i, plan.amount, state.config.fees.split, room));
  // From here the books change: the burn, then the gains of the LPs who remain.
  NX_TRY_STATUS(book_withdrawal(state, ev, e.lp, plan, out));
  if (out != nullptr) {
    std::get<WithdrawOutcome>(*out).asset = AssetMove{symbol, static_cast<int>(pool.configs[i].decimals), q.paid, q.fee,
                                                      q.rate, q.weights.before, q.weights.after, plan.amount,
                                                      q.fee_income, q.spread_gain};
  }
  const Usd book_before = pool.books[i].book;
  NX_TRY_STATUS(assets::apply_withdrawal(pool, q));
  const Usd book_after = pool.books[i].book;
  *state.assets = std::move(pool);
  state.store.dirty_assets = true;
  NX_TRY(redeemed, -plan.amount);
  std::vector<Posting> postings{{tranche::account(plan.id), redeemed}};
  if (settlement) {
    postings.push_back({depositor(e.lp), Usd(q.paid)});
    NX_TRY_STATUS(book_fee(state, "withdrawal", Usd(q.fee), Usd(),
                           FeeParts{Usd(q.parts.lp), Usd(q.parts.insurance),
                                    Usd(q.parts.treasury)},
                           postings));
  } else {
    postings.push_back({assets::token_account("depositor:" + e.lp, symbol), Usd(q.paid)});
    push_if(postings, assets::token_account("pool", symbol), q.parts.lp - q.gross);
    push_if(postings, assets::token_account("insurance", symbol), q.parts.insurance);
    push_if(postings, assets::token_account("treasury", symbol), q.parts.treasury);
    NX_TRY(fall, book_before - book_after);
    postings.push_back({assets::inventory_account(symbol), fall});
    NX_TRY_STATUS(count_token_fee(state, "withdrawal", i, q.fee, q.parts, q.fee_income));
    NX_TRY_STATUS(tranche::credit_gain(state, q.fee_income, postings, tranche::Channel::fee));
  }
  NX_TRY_STATUS(tranche::credit_gain(state, q.spread_gain, postings));
  return postings;
}

}  // namespace nexadex::vault
