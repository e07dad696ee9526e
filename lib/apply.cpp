// lib/apply.cpp: apply(): the rules of each event kind, checked before anything changes, and the
// events the rules journal on their own after one.
#include "lib/apply.hpp"

#include <algorithm>

#include "lib/accrual.hpp"
#include "lib/asset_books.hpp"
#include "lib/asset_events.hpp"
#include "lib/cascade.hpp"
#include "lib/config_keys.hpp"
#include "lib/gains_losses.hpp"
#include "lib/locks.hpp"
#include "lib/transitions.hpp"
#include "lib/valuation.hpp"

namespace nexadex {
namespace {

// A multi-asset pool's books under a new config (nexadex-assets(7), OPTIONS): a pool with [[assets]]
// keeps them and one without never gains them; an asset keeps its place, symbol, decimals and market, and
// is never removed; new ones come after. Checked before anything changes.
Result<std::optional<assets::AssetPool>> assets_under(const State& state, const Config& config) {
  if (config.assets.empty()) {
    if (state.assets) return rule_error("this pool has [[assets]] (a multi-asset pool); a config without them cannot be applied.");
    return std::optional<assets::AssetPool>();
  }
  if (state.head_seq > 0 && !state.assets) {
    return rule_error("this pool is a single-USDC vault; a config with [[assets]] cannot be applied to it (start a "
                      "multi-asset pool in a new journal with init).");
  }
  NX_TRY(pool, assets::make_pool(config.assets));
  if (state.assets) {
    const auto& old = *state.assets;
    if (old.configs[old.settlement].symbol != pool.configs[pool.settlement].symbol) {
      return rule_error("the settlement asset may not change (it is " + old.configs[old.settlement].symbol + ").");
    }
    for (std::size_t i = 0; i < old.configs.size(); ++i) {
      const auto& was = old.configs[i];
      const auto now = assets::find_asset(pool, was.symbol);
      // (its accounts and rows stay in the journal: the export and verify read them by the config)
      if (!now) return rule_error("the asset " + was.symbol + " may not be removed from a pool's [[assets]]; keep its table.");
      if (*now != i) {
        return rule_error("the assets keep their places: " + was.symbol + " is asset " + std::to_string(i + 1) +
                          " of [[assets]]; add new ones after the last.");
      }
      const auto& is = pool.configs[*now];
      if (is.decimals != was.decimals || is.market != was.market) {
        return rule_error("the asset " + was.symbol + " may not change its decimals or its price market; keep decimals = " +
                          std::to_string(was.decimals) +
                          (was.market.empty() ? std::string(" and no price") : " and price = \"" + was.market + "\"") +
                          " in its table.");
      }
    }
  }
  for (const auto& [symbol, m] : state.markets) {
    if (m.priced()) NX_TRY_STATUS(assets::set_market_price(pool, symbol, m.price));
  }
  if (state.assets) {
    const auto& old = *state.assets;
    for (std::size_t i = 0; i < old.configs.size(); ++i) {
      if (const auto now = assets::find_asset(pool, old.configs[i].symbol)) {
        NX_TRY_STATUS(assets::set_books(pool, *now, old.books[i]));
      }
    }
  }
  return std::optional<assets::AssetPool>(std::move(pool));
}

void set_config(State& state, const std::string& text, const std::string& sha, const Config& config,
                int64_t rules, int64_t seq) {
  state.config = config;
  state.rules = rules;
  state.config_text = text;
  state.config_sha256 = sha;
  state.config_seq = seq;
  state.store.dirty_config = true;
  for (const auto& m : config.markets) {
    if (state.markets.try_emplace(m.symbol).second) state.store.dirty_markets.insert(m.symbol);
  }
}

// Every open position's keys under `config`, or the first error (checked before a config_applied
// changes anything, so that re-keying cannot fail halfway).
Status check_keys(const State& state, const Config& config) {
  if (state.books.empty()) return {};
  if (auto ok = load_all_positions(state); !ok) return ok;
  for (const auto& [id, p] : state.positions) {
    if (p.status != PositionStatus::open) continue;
    NX_TRY_STATUS(position_keys(config, p));
  }
  return {};
}

// The liquidation keys of open positions depend on the config: a new one re-keys every open position.
Status rekey_open_positions(State& state) {
  if (state.books.empty()) return {};
  if (auto ok = load_all_positions(state); !ok) return ok;
  std::vector<int64_t> open;
  for (const auto& [id, p] : state.positions) {
    if (p.status == PositionStatus::open) open.push_back(id);
  }
  for (const int64_t id : open) {
    const Position& p = state.positions.at(id);
    if (auto ok = store_position(state, &p, p); !ok) return ok;
  }
  return {};
}

// Books an event's postings on the account balances. Every balance is read and every sum computed
// before any balance changes, so a failure changes none of them. The balances are 128-bit: a sum of
// postings (each a Usd) would need 2^64 of them to overflow, so the only failure left in practice is
// the loader's read; a balance beyond int64 is refused when the journal writes it.
Status post(State& state, const std::vector<Posting>& postings) {
  // Every account is found (or added) first. Adding one may move the others (open addressing: a
  // growth, or a rehash in place of erased slots), so when one was added the balances are found again,
  // with nothing added in between, before any is read.
  const std::size_t count = state.accounts.size();
  std::vector<WideUsd*> slots;
  slots.reserve(postings.size());
  for (const auto& p : postings) {
    NX_TRY(slot, account_balance(state, p.account));
    slots.push_back(slot);
  }
  if (state.accounts.size() != count) {
    for (std::size_t i = 0; i < postings.size(); ++i) slots[i] = &state.accounts.find(postings[i].account)->second;
  }
  std::vector<std::pair<WideUsd*, WideUsd>> sums;
  sums.reserve(postings.size());
  for (std::size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    WideUsd* const slot = slots[i];
    // the same account twice in one event: add to the sum already computed
    const auto same = std::find_if(sums.begin(), sums.end(), [&](const auto& s) { return s.first == slot; });
    const WideUsd before = same == sums.end() ? *slot : same->second;
    // 128 bits: 2^64 postings of the largest amount would not overflow, so the message names no account
    // (building it for every posting cost a tenth of a trading day's batch)
    NX_TRY(sum, add(before, WideUsd(p.amount), "an account balance"));
    if (same == sums.end()) {
      sums.emplace_back(slot, sum);
    } else {
      same->second = sum;
    }
  }
  for (const auto& [slot, sum] : sums) *slot = sum;
  for (const auto& p : postings) state.store.dirty_accounts.insert(p.account);
  return {};
}

// With [locks], the tranches' values before a trading event: the moment's price at which its fee
// income is minted for compounding lots (DESIGN-risk §7).
bool trades(const EventBody& body) {
  return std::holds_alternative<PositionOpened>(body) || std::holds_alternative<PositionClosed>(body) ||
         std::holds_alternative<PositionLiquidated>(body);
}

// The vault events' rules (lib/transitions.hpp), by kind.
Result<std::vector<Posting>> apply_vault(State& state, const Event& ev, Outcome* out) {
  if (state.assets && (std::holds_alternative<LpDeposited>(ev.body) || std::holds_alternative<LpWithdrew>(ev.body))) {
    return input_error("on a multi-asset pool a deposit or a withdrawal is journaled as lp_asset_deposited or "
                       "lp_asset_withdrew, naming its asset (nexadex-assets(7)).");
  }
  if (const auto* e = std::get_if<LpDeposited>(&ev.body)) return vault::deposit(state, ev, *e, out);
  if (const auto* e = std::get_if<LpWithdrew>(&ev.body)) return vault::withdraw(state, ev, *e, out);
  if (const auto* e = std::get_if<LpAssetDeposited>(&ev.body)) return vault::asset_deposit(state, ev, *e, out);
  if (const auto* e = std::get_if<LpAssetWithdrew>(&ev.body)) return vault::asset_withdraw(state, ev, *e, out);
  if (const auto* e = std::get_if<PositionOpened>(&ev.body)) return vault::open(state, ev, *e, out);
  if (const auto* e = std::get_if<PositionClosed>(&ev.body)) return vault::close(state, ev, *e, out);
  if (const auto* e = std::get_if<PositionLiquidated>(&ev.body)) return vault::liquidate(state, ev, *e, out);
  if (const auto* e = std::get_if<InsuranceDeposited>(&ev.body)) return vault::insure(state, *e, out);
  if (const auto* e = std::get_if<LossApplied>(&ev.body)) return vault::apply_loss(state, ev, *e, out);
  if (const auto* e = std::get_if<LossAcknowledged>(&ev.body)) return vault::acknowledge(state, *e, out);
  if (const auto* e = std::get_if<RewardsClaimed>(&ev.body)) {
    NX_TRY_STATUS(vault::check_settlement_payment(state, e->amount, "a claim"));
    NX_TRY(postings, locks::claim(state, e->lp, e->amount, ev.at));
    if (out != nullptr) *out = ClaimOutcome{e->lp, e->amount};
    return postings;
  }
  if (const auto* e = std::get_if<TrancheReset>(&ev.body)) {
    const TrancheId id = tranche::parse(e->tranche).value_or(TrancheId::senior);
    int64_t holders = 0;
    for (const auto& [key, h] : state.lps) holders += key.tranche == id && h.shares.is_positive() ? 1 : 0;
    NX_TRY(postings, tranche::reset(state, *e, ev.at));
    if (out != nullptr) *out = ResetOutcome{id, e->shares, holders};
    return postings;
  }
  return std::vector<Posting>{};
}

}  // namespace

Result<std::vector<Posting>> apply(State& state, const Event& event) { return apply(state, event, nullptr); }

Status check_supported(const Config& config) { return validate(config); }

namespace {

// check_config_applicable's checks, in order, giving the books under the new config (apply() keeps them).
Result<std::optional<assets::AssetPool>> applicable(const State& state, const Config& config, int64_t rules) {
  NX_TRY_STATUS(check_supported(config));
  NX_TRY(pool, assets_under(state, config));
  if (rules < state.rules) {
    return input_error("a config may not go back to rules version " + std::to_string(rules) + " from version " +
                       std::to_string(state.rules) + ".");
  }
  NX_TRY_STATUS(check_keys(state, config));
  // Every position of a book reserves the same asset (its borrow index and keys depend on it): a config
  // or rules version that would change what a market's longs reserve waits until they are closed.
  for (const auto& [key, book] : state.books) {
    if (book.open == 0) continue;
    const std::string before = reserve_asset_for(state.rules, state.config, key.market, key.side);
    const std::string after = reserve_asset_for(rules, config, key.market, key.side);
    if (before == after) continue;
    const auto name = [](const std::string& asset) { return asset.empty() ? std::string("the settlement asset") : asset; };
    return rule_error("this config would make new " + std::string(side_name(key.side)) + "s of " + key.market +
                      " reserve " + name(after) + " while " + std::to_string(book.open) + " of them reserve " +
                      name(before) + " (nexadex-assets(7), A1); close them first.");
  }
  if (!config.locks.enabled && state.lots.next_id > 1) {   // lots are never deleted
    return rule_error("this pool has lots (deposits made under [locks]), so a config without [locks] cannot be "
                      "applied; keep the [locks] table (with no tiers, no new lock earns a boost).");
  }
  return pool;
}

}  // namespace

Status check_config_applicable(const State& state, const Config& config, int64_t rules) {
  NX_TRY_STATUS(applicable(state, config, rules));
  return {};
}

Result<std::vector<Posting>> apply(State& state, const Event& event, Outcome* outcome) {
  const bool genesis = std::holds_alternative<JournalCreated>(event.body);
  if (event.seq != state.head_seq + 1) {
    return journal_error("event seq " + std::to_string(event.seq) + " does not follow the head seq " +
                         std::to_string(state.head_seq) + ".");
  }
  if (genesis != (event.seq == 1)) {
    return journal_error(genesis ? "journal_created may only be the first event."
                                 : "the first event of a journal must be journal_created.");
  }
  // Arguments first (an unknown market is bad input whatever the time), then the time, then the rule.
  if (const auto* e = std::get_if<PriceSet>(&event.body)) {
    if (state.config.market(e->market) == nullptr) {
      return input_error("unknown market '" + e->market + "'; the configured markets are " +
                         market_symbols(state.config) + ".");
    }
    if (!e->price.is_positive()) {
      return input_error("the price of " + e->market + " must be greater than zero.");
    }
  }
  if (event.at < state.head_at) {
    return rule_error("the time " + format_time(event.at) + " is before the journal's last event at " +
                      format_time(state.head_at) + "; time never runs backwards, so date it at " +
                      format_time(state.head_at) + " or later.");
  }
  // The borrow index grows to this event's time first (SPEC §10); a refusal below puts it back.
  const BorrowIndex index_before = state.vault.borrow_index;
  const Timestamp index_at_before = state.vault.index_at;
  const Usd unpaid_before = state.vault.senior().unpaid_target;
  const int128 remainder_before = state.vault.senior().accrual_remainder;
  const bool vault_was_dirty = state.store.dirty_vault;
  // rules 4: the other assets' borrow indexes grow too (vault::accrue)
  std::vector<BorrowIndex> asset_indexes_before;
  if (state.assets && state.rules >= 4) {
    for (const AssetBook& b : state.assets->books) asset_indexes_before.push_back(b.borrow_index);
  }
  locks::Undo unlocked;
  auto restore = [&] {
    if (state.assets && !asset_indexes_before.empty() && state.assets->books.size() == asset_indexes_before.size()) {
      for (std::size_t i = 0; i < asset_indexes_before.size(); ++i) {
        state.assets->books[i].borrow_index = asset_indexes_before[i];
      }
    }
    locks::restore(state, unlocked);
    state.moment_values.reset();
    state.vault.borrow_index = index_before;
    state.vault.index_at = index_at_before;
    state.vault.senior().unpaid_target = unpaid_before;
    state.vault.senior().accrual_remainder = remainder_before;
    state.store.dirty_vault = vault_was_dirty;
  };
  if (auto ok = vault::accrue(state, event.at); !ok) {
    restore();
    return std::unexpected(ok.error());
  }
  // Lots whose lock ends by this event's time unlock first, in (lock_until, id) order (DESIGN-risk §7).
  if (state.config.locks.enabled) {
    if (auto ok = locks::unlock_due(state, event.at, unlocked); !ok) {
      restore();
      return std::unexpected(ok.error());
    }
    // (only when some lot weighs: else fee income goes to capital and no share is minted)
    const auto weighs = [&](TrancheId id) {
      const Tranche& t = state.vault.tranche(id);
      return t.compounding.weight + t.claiming.weight > 0;
    };
    if (trades(event.body) && (weighs(TrancheId::senior) || weighs(TrancheId::junior))) {
      auto v = tranche::values(state);
      if (!v) {
        restore();
        return std::unexpected(v.error());
      }
      state.moment_values = std::array<Usd, 2>{v->senior, v->junior};
    }
  }
  std::vector<Posting> postings;
  if (const auto* e = std::get_if<JournalCreated>(&event.body)) {
    if (auto ok = check_supported(e->config); !ok) {
      restore();
      return std::unexpected(ok.error());
    }
    auto pool = assets_under(state, e->config);
    if (!pool) {
      restore();
      return std::unexpected(pool.error());
    }
    set_config(state, e->config_text, e->config_sha256, e->config, e->rules, event.seq);
    state.assets = std::move(*pool);
    state.store.dirty_assets = true;
  } else if (const auto* e = std::get_if<ConfigApplied>(&event.body)) {
    auto pool = applicable(state, e->config, e->rules);
    if (!pool) {
      restore();
      return std::unexpected(pool.error());
    }
    const bool adopt = e->config.locks.enabled && !state.config.locks.enabled;
    set_config(state, e->config_text, e->config_sha256, e->config, e->rules, event.seq);
    if (state.assets || *pool) {
      // a new confidence band moves the low prices: the books' change is an inventory result, booked
      // in this event as a price's is
      std::optional<assets::AssetPool> before = std::move(state.assets);
      state.assets = std::move(*pool);
      state.store.dirty_assets = true;
      if (before) {
        NX_TRY(rebooked, vault::rebook(state, event, *before));
        postings = std::move(rebooked);
      }
    }
    (void)rekey_open_positions(state);   // cannot fail: every key was computed above
    if (adopt) NX_TRY_STATUS(locks::adopt_holdings(state, event.at));
  } else if (const auto* e = std::get_if<PriceSet>(&event.body)) {
    auto& m = state.markets[e->market];
    if (outcome != nullptr) {
      *outcome = PriceOutcome{e->market, e->price, m.priced() ? std::optional<Price>(m.price) : std::nullopt};
    }
    m.price = e->price;
    m.price_at = event.at;
    m.price_seq = event.seq;
    state.store.dirty_markets.insert(e->market);
    // a multi-asset pool's holdings priced by this market: the inventory result (nexadex-assets(7))
    auto revalued = vault::revalue(state, event, e->market, e->price);
    if (!revalued) {
      restore();
      return std::unexpected(revalued.error());
    }
    postings = std::move(*revalued);
  } else {
    auto vault_postings = apply_vault(state, event, outcome);
    if (!vault_postings) {
      restore();
      return std::unexpected(vault_postings.error());
    }
    postings = std::move(*vault_postings);
    state.moment_values.reset();
  }
  if (!state.what_if) {
    NX_TRY_STATUS(post(state, postings));
    // (the settlement asset's books first: rules 4 read its utilization from them)
    NX_TRY_STATUS(vault::sync_settlement(state));
    (void)vault::update_utilization(state);
  }
  tranche::mark_day(state, event.at);
  state.head_seq = event.seq;
  state.head_at = event.at;
  return postings;
}

Result<std::vector<EventBody>> follow_up_events(const State& state) {
  std::vector<EventBody> out;
  NX_TRY(wiped, tranche::wiped(state));
  for (const TrancheId id : wiped) {
    out.push_back(TrancheReset{std::string(tranche_name(id)), state.vault.tranche(id).supply});
  }
  return out;
}

}  // namespace nexadex
