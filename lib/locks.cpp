// lib/locks.cpp: lots, accumulators, compounding, claims and points (DESIGN-risk §7-§9).
#include "lib/locks.hpp"

#include <algorithm>

#include "lib/cascade.hpp"
#include "lib/pricing.hpp"

namespace nexadex {

void Lots::index(const Lot* before, const Lot& after) {
  const LpKey key{after.lp, after.tranche};
  if (before != nullptr) {
    if (!before->unlocked) {
      locked.erase({before->lock_until.seconds, before->id});
      auto it = locked_by_lp.find(key);
      if (it != locked_by_lp.end()) {
        it->second.erase({before->lock_until.seconds, before->id});
        if (it->second.empty()) locked_by_lp.erase(it);
      }
    } else if (before->shares.is_positive()) {
      auto it = unlocked_by_lp.find(key);
      if (it != unlocked_by_lp.end()) {
        it->second.erase(before->id);
        if (it->second.empty()) unlocked_by_lp.erase(it);
      }
    }
  }
  if (!after.unlocked) {
    locked.insert({after.lock_until.seconds, after.id});
    locked_by_lp[key].insert({after.lock_until.seconds, after.id});
  } else if (after.shares.is_positive()) {
    unlocked_by_lp[key].insert(after.id);
  }
  by_lp[after.lp].insert(after.id);
}

namespace locks {
namespace {

// Files the rows read that are not in memory already (those in memory may have changed since).
void adopt(Lots& lots, std::vector<Lot> rows) {
  for (Lot& lot : rows) {
    if (lots.all.count(lot.id)) continue;
    lots.index(nullptr, lot);
    const int64_t id = lot.id;
    lots.all.emplace(id, std::move(lot));
  }
}

Tranche::ByWeight& kind_of(State& s, const Lot& lot) {
  Tranche& t = s.vault.tranche(lot.tranche);
  return lot.compound ? t.compounding : t.claiming;
}

// Files `after` in place of the lot of its id (or as a new lot): the weight of its kind, its LP's
// holding (unless `holding` is false), the indexes, what the journal writes.
Status store(State& s, const Lot& after, bool holding = true) {
  const auto it = s.lots.all.find(after.id);
  const bool known = it != s.lots.all.end();
  const Lot before = known ? it->second : Lot{};
  Tranche::ByWeight& bw = kind_of(s, after);
  bw.weight += after.weight() - (known ? before.weight() : 0);
  if (holding && after.shares != before.shares) {
    const LpKey key{after.lp, after.tranche};
    LpHolding& h = s.lps[key];
    if (after.shares > before.shares) {
      NX_TRY(d, sub(after.shares, before.shares, "an LP's shares"));
      NX_TRY_STATUS(add_to(h.shares, d, "an LP's shares"));
    } else {
      NX_TRY(d, sub(before.shares, after.shares, "an LP's shares"));
      NX_TRY_STATUS(sub_from(h.shares, d, "an LP's shares"));
    }
    s.store.dirty_lps.insert(key);
  }
  s.lots.index(known ? &before : nullptr, after);
  s.lots.all[after.id] = after;
  s.store.dirty_lots.insert(after.id);
  s.store.dirty_vault = true;
  return {};
}

// Credits a lot (a copy, stored by the caller) with its income due and accrues its points to `at`.
Status credit(State& s, Lot& lot, Timestamp at) {
  Tranche& t = s.vault.tranche(lot.tranche);
  // points first, at the weight the lot held since its last credit
  NX_TRY(points, points_at(lot, at));
  lot.points = points;
  lot.points_at = at;
  NX_TRY(d, due(s, lot));
  if (d > 0) {
    if (lot.compound) {
      if (Shares(d) > t.pending) {
        return journal_error("lot " + std::to_string(lot.id) + " (" + std::string(tranche_name(lot.tranche)) +
                             ", weight " + format_int128(lot.weight()) + ", checkpoint " + format_int128(lot.checkpoint) +
                             ", R " + format_int128(t.compounding.reward) + ", W " + format_int128(t.compounding.weight) +
                             ") is due " + to_string(Shares(d)) + " shares but only " + to_string(t.pending) +
                             " are pending; the books are damaged.");
      }
      NX_TRY_STATUS(sub_from(t.pending, Shares(d), "pending shares"));
      NX_TRY_STATUS(add_to(lot.shares, Shares(d), "a lot's shares"));
      NX_TRY_STATUS(add_to(lot.compounded, Shares(d), "a lot's compounded shares"));
    } else {
      if (Usd(d) > t.unassigned) {
        return journal_error("lot " + std::to_string(lot.id) + " is due " + to_string(Usd(d)) + " but only " +
                             to_string(t.unassigned) + " of claimable income is unassigned; the books are damaged.");
      }
      NX_TRY_STATUS(sub_from(t.unassigned, Usd(d), "claimable income"));
      NX_TRY_STATUS(add_to(lot.claimable, Usd(d), "a lot's claimable income"));
    }
  }
  lot.checkpoint = kind_of(s, lot).reward;
  return {};
}

// R += floor((amount × 10^18 + carry) / weight), the remainder carried (DESIGN-risk §9).
Status add_reward(Tranche::ByWeight& bw, int64_t amount, const char* what) {
  const int128 num = static_cast<int128>(amount) * k_reward_scale + bw.carry;
  const int128 inc = num / bw.weight;
  bw.carry = num - inc * bw.weight;
  if (inc > 0 && bw.reward > std::numeric_limits<int128>::max() - inc) return overflow_error(what, 128);
  bw.reward += inc;
  return {};
}

}  // namespace

Status read_lots_of(const State& state, const std::string& lp) {
  Lots& lots = state.lots;
  if (lots.complete || lots.lps_read.count(lp)) return {};
  NX_TRY(rows, state.store.loader->lots(TableLoader::LotQuery{lp, std::nullopt}));
  adopt(lots, std::move(rows));
  lots.lps_read.insert(lp);
  return {};
}

Status read_due_lots(const State& state, Timestamp at) {
  Lots& lots = state.lots;
  if (lots.complete || lots.due_read >= at.seconds) return {};
  NX_TRY(rows, state.store.loader->lots(TableLoader::LotQuery{"", at.seconds}));
  adopt(lots, std::move(rows));
  lots.due_read = at.seconds;
  return {};
}

Status read_all_lots(const State& state) {
  Lots& lots = state.lots;
  if (lots.complete) return {};
  NX_TRY(rows, state.store.loader->lots(TableLoader::LotQuery{}));
  adopt(lots, std::move(rows));
  lots.complete = true;
  return {};
}

std::string claimable_account(TrancheId id) { return tranche::account(id) + ":claimable"; }

Result<int64_t> due(const State& state, const Lot& lot) {
  const Tranche& t = state.vault.tranche(lot.tranche);
  const int128 r = lot.compound ? t.compounding.reward : t.claiming.reward;
  const int128 w = lot.weight();
  if (w == 0 || r == lot.checkpoint) return int64_t{0};
  NX_TRY(d, mul_div_wide(w, r - lot.checkpoint, k_reward_scale, Rounding::floor, "a lot's income"));
  if (d > std::numeric_limits<int64_t>::max()) return overflow_error("a lot's income");
  return static_cast<int64_t>(d);
}

Result<Shares> due_shares(const State& state, const LpKey& key) {
  NX_TRY_STATUS(read_lots_of(state, key.lp));
  Shares out;
  const auto it = state.lots.by_lp.find(key.lp);
  if (it == state.lots.by_lp.end()) return out;
  for (const int64_t id : it->second) {
    const Lot& lot = state.lots.all.at(id);
    if (lot.tranche != key.tranche || !lot.compound) continue;
    NX_TRY(d, due(state, lot));
    NX_TRY_STATUS(add_to(out, Shares(d), "an LP's shares"));
  }
  return out;
}

Result<int128> points_at(const Lot& lot, Timestamp at) {
  int128 p = lot.points;
  int64_t from = lot.points_at.seconds;
  if (!lot.unlocked && lot.lock_until.seconds <= at.seconds) {
    p += lot.weight() * (lot.lock_until.seconds - from);
    from = lot.lock_until.seconds;
    Lot open = lot;
    open.unlocked = true;
    p += open.weight() * (at.seconds - from);
  } else {
    p += lot.weight() * (at.seconds - from);
  }
  return p;
}

Status unlock_due(State& state, Timestamp at, Undo& undo) {
  NX_TRY_STATUS(read_due_lots(state, at));
  while (!state.lots.locked.empty() && state.lots.locked.begin()->first <= at.seconds) {
    const int64_t id = state.lots.locked.begin()->second;
    Lot lot = state.lots.all.at(id);
    if (!undo.any) {
      undo.tranches = state.vault.tranches;
      undo.any = true;
    }
    undo.lots.push_back(lot);
    undo.holdings.try_emplace(LpKey{lot.lp, lot.tranche}, state.lps[LpKey{lot.lp, lot.tranche}]);
    NX_TRY_STATUS(credit(state, lot, lot.lock_until));
    lot.unlocked = true;
    NX_TRY_STATUS(store(state, lot));
  }
  return {};
}

void restore(State& state, Undo& undo) {
  if (!undo.any) return;
  for (auto it = undo.lots.rbegin(); it != undo.lots.rend(); ++it) {
    const Lot now = state.lots.all.at(it->id);
    state.lots.index(&now, *it);
    state.lots.all[it->id] = *it;
  }
  state.vault.tranches = undo.tranches;
  for (const auto& [key, h] : undo.holdings) state.lps[key] = h;
  undo = Undo{};
}

Status share_income(State& state, TrancheId id, Usd part, std::vector<Posting>& postings, bool& shared) {
  Tranche& t = state.vault.tranche(id);
  const int128 w_c = t.compounding.weight, w_n = t.claiming.weight;
  shared = false;
  if (w_c + w_n == 0 || !part.is_positive()) return {};
  // I_n = floor(I × W_n / (W_c + W_n)), the dust to the compounding side
  NX_TRY(i_n, mul_div_wide(part.units(), w_n, w_c + w_n, Rounding::floor, "claimable income"));
  const Usd to_claim(static_cast<int64_t>(i_n));
  NX_TRY(to_compound, sub(part, to_claim, "compounding income"));
  if (to_claim.is_positive()) {
    NX_TRY_STATUS(add_reward(t.claiming, to_claim.units(), "the claimable income accumulator"));
    NX_TRY_STATUS(add_to(t.unassigned, to_claim, "claimable income"));
    postings.push_back({claimable_account(id), to_claim});
  }
  if (to_compound.is_positive()) {
    // minted at the moment's price: the tranche's value before the event (its realized capital if the
    // value is not positive, when no share is minted and the income raises the price instead)
    Usd value;
    if (state.moment_values) {
      value = (*state.moment_values)[static_cast<std::size_t>(id)];
    } else {
      NX_TRY(v, tranche::values(state));
      value = id == TrancheId::junior ? v.junior : v.senior;
    }
    Shares minted;
    if (value.is_positive()) {
      if (auto m = vault::shares_minted(to_compound, t.supply, value); m && add(t.supply, *m)) minted = *m;
    }
    NX_TRY_STATUS(add_to(t.capital, to_compound, "a tranche's capital"));
    postings.push_back({tranche::account(id), to_compound});
    // a second fee of the same event (a close's close and borrow fees) mints at the same price
    if (state.moment_values) NX_TRY_STATUS(add_to((*state.moment_values)[static_cast<std::size_t>(id)], to_compound, "a tranche's value"));
    if (minted.is_positive()) {
      NX_TRY_STATUS(add_reward(t.compounding, minted.units(), "the compounding income accumulator"));
      NX_TRY_STATUS(add_to(t.supply, minted, "a tranche's shares"));
      NX_TRY_STATUS(add_to(t.pending, minted, "pending shares"));
    }
  }
  NX_TRY_STATUS(add_to(t.gains, part, "a tranche's gains"));
  NX_TRY_STATUS(add_to(t.weighted_income, part, "a tranche's income by weight"));
  state.store.dirty_vault = true;
  shared = true;
  return {};
}

Result<int64_t> add_lot(State& state, const std::string& lp, TrancheId id, Usd amount, Shares shares, Timestamp at,
                        Duration lock, bool compound) {
  Lot lot;
  lot.id = state.lots.next_id;
  lot.lp = lp;
  lot.tranche = id;
  lot.created = at;
  lot.deposited = amount;
  lot.shares = shares;
  lot.compound = compound;
  if (lock.seconds > 0) {
    lot.lock_until = Timestamp{at.seconds + lock.seconds};
    lot.unlocked = false;
    lot.lock_boost = state.config.locks.boost(lock);
  }
  const Tranche& t = state.vault.tranche(id);
  lot.checkpoint = compound ? t.compounding.reward : t.claiming.reward;
  lot.points_at = at;
  NX_TRY_STATUS(store(state, lot));
  state.lots.next_id += 1;
  return lot.id;
}

Result<Withdrawable> withdrawable(const State& state, const LpKey& key) {
  NX_TRY_STATUS(read_lots_of(state, key.lp));
  Withdrawable w;
  if (const auto it = state.lots.unlocked_by_lp.find(key); it != state.lots.unlocked_by_lp.end()) {
    for (const int64_t id : it->second) {
      const Lot& lot = state.lots.all.at(id);
      NX_TRY_STATUS(add_to(w.shares, lot.shares, "an LP's shares"));
      if (lot.compound) {
        NX_TRY(d, due(state, lot));
        NX_TRY_STATUS(add_to(w.shares, Shares(d), "an LP's shares"));
      }
    }
  }
  if (const auto it = state.lots.locked_by_lp.find(key); it != state.lots.locked_by_lp.end()) {
    for (const auto& [until, id] : it->second) {
      const Lot& lot = state.lots.all.at(id);
      if (lot.shares.is_positive()) w.locked.emplace_back(Timestamp{until}, id, lot.shares);
    }
  }
  return w;
}

std::string unlock_times(const Withdrawable& w) {
  std::string out;
  std::size_t n = 0;
  for (const auto& [until, id, shares] : w.locked) {
    if (n == 5) {
      out += ", and " + std::to_string(w.locked.size() - 5) + " more ('report lp' lists them)";
      break;
    }
    out += (n == 0 ? "" : ", ") + std::string("lot ") + std::to_string(id) + " (" + to_string(shares) +
           " shares) unlocks at " + format_time(until);
    ++n;
  }
  return out;
}

Status take_shares(State& state, const LpKey& key, Shares burn, Usd amount, Timestamp at) {
  NX_TRY_STATUS(read_lots_of(state, key.lp));
  const auto it = state.lots.unlocked_by_lp.find(key);
  if (it == state.lots.unlocked_by_lp.end()) return burn.is_zero() ? Status{} : rule_error("no unlocked lot to take from.");
  const std::vector<int64_t> ids(it->second.begin(), it->second.end());
  Shares left = burn;
  Usd unpaid = amount;
  for (const int64_t id : ids) {
    if (left.is_zero()) break;
    Lot lot = state.lots.all.at(id);
    NX_TRY_STATUS(credit(state, lot, at));
    const Shares take = std::min(lot.shares, left);
    NX_TRY_STATUS(sub_from(lot.shares, take, "a lot's shares"));
    NX_TRY_STATUS(add_to(lot.withdrawn, take, "a lot's withdrawn shares"));
    NX_TRY_STATUS(sub_from(left, take, "shares to burn"));
    Usd paid = unpaid;
    if (left.is_positive()) {
      NX_TRY(part, amount.mul_div_floor(take.units(), burn.units(), "a lot's part of a withdrawal"));
      paid = std::min(part, unpaid);
    }
    NX_TRY_STATUS(sub_from(unpaid, paid, "a withdrawal's parts"));
    NX_TRY_STATUS(add_to(lot.paid, paid, "a lot's withdrawals"));
    NX_TRY_STATUS(store(state, lot));
  }
  if (left.is_positive()) {
    return journal_error("the unlocked lots of " + key.lp + " hold " + to_string(left) + " shares less than asked.");
  }
  return {};
}

Result<std::array<Usd, 2>> claimable(const State& state, const std::string& lp) {
  NX_TRY_STATUS(read_lots_of(state, lp));
  std::array<Usd, 2> out{};
  const auto it = state.lots.by_lp.find(lp);
  if (it == state.lots.by_lp.end()) return out;
  for (const int64_t id : it->second) {
    const Lot& lot = state.lots.all.at(id);
    if (lot.compound) continue;
    Usd& sum = out[static_cast<std::size_t>(lot.tranche)];
    NX_TRY_STATUS(add_to(sum, lot.claimable, "claimable income"));
    NX_TRY(d, due(state, lot));
    NX_TRY_STATUS(add_to(sum, Usd(d), "claimable income"));
  }
  return out;
}

Result<std::vector<Posting>> claim(State& state, const std::string& lp, Usd amount, Timestamp at) {
  NX_TRY_STATUS(read_lots_of(state, lp));
  const auto it = state.lots.by_lp.find(lp);
  if (it == state.lots.by_lp.end()) {
    const bool known = state.lps.count(LpKey{lp, TrancheId::senior}) || state.lps.count(LpKey{lp, TrancheId::junior});
    if (!known) return input_error("unknown LP '" + lp + "'; 'report lps' lists the LPs.");
    return rule_error(lp + " has no claimable income: it has no lots" +
                      std::string(state.config.locks.enabled ? "" : " (this pool's config has no [locks])") + ".");
  }
  NX_TRY(parts, claimable(state, lp));
  NX_TRY(total, add(parts[0], parts[1], "claimable income"));
  if (total.is_zero()) {
    return rule_error(lp + " has no claimable income: only lots deposited with --no-compound accrue it, and what "
                           "they earned has been claimed.");
  }
  if (amount != total) {
    return rule_error(lp + " can claim " + to_string(total) + ", not " + to_string(amount) + ".");
  }
  const std::vector<int64_t> ids(it->second.begin(), it->second.end());
  for (const int64_t id : ids) {
    Lot lot = state.lots.all.at(id);
    if (lot.compound) continue;
    NX_TRY_STATUS(credit(state, lot, at));
    NX_TRY_STATUS(add_to(lot.claimed, lot.claimable, "a lot's claimed income"));
    lot.claimable = Usd();
    NX_TRY_STATUS(store(state, lot));
  }
  std::vector<Posting> postings;
  for (const TrancheId id : k_tranche_ids) {
    const Usd part = parts[static_cast<std::size_t>(id)];
    if (!part.is_positive()) continue;
    NX_TRY(out, -part);
    postings.push_back({claimable_account(id), out});
  }
  postings.push_back({vault::depositor_account(lp), total});
  return postings;
}

Status credit_tranche(State& state, TrancheId id, Timestamp at) {
  NX_TRY_STATUS(read_all_lots(state));
  std::vector<int64_t> ids;
  for (const auto& [lid, lot] : state.lots.all) {
    if (lot.tranche == id && lot.shares.is_positive()) ids.push_back(lid);
  }
  for (const int64_t lid : ids) {
    Lot lot = state.lots.all.at(lid);
    NX_TRY_STATUS(credit(state, lot, at));
    NX_TRY_STATUS(store(state, lot));
  }
  return {};
}

Status zero_tranche(State& state, TrancheId id) {
  NX_TRY_STATUS(read_all_lots(state));
  std::vector<int64_t> ids;
  for (const auto& [lid, lot] : state.lots.all) {
    if (lot.tranche == id && (lot.shares.is_positive() || lot.checkpoint != 0)) ids.push_back(lid);
  }
  // the accumulators start again with the tranche (every lot was credited: none is owed anything)
  Tranche& t = state.vault.tranche(id);
  t.compounding.reward = t.claiming.reward = 0;
  t.claiming.carry = 0;   // the dust it stood for stays unassigned, in the rounding reserve
  for (const int64_t lid : ids) {
    Lot lot = state.lots.all.at(lid);
    lot.shares = Shares(0);
    lot.checkpoint = 0;
    NX_TRY_STATUS(store(state, lot, false));
  }
  // the pending shares go with the supply; so does the part of them the carry stood for (left, it
  // would let later credits exceed what is minted after the reset)
  state.vault.tranche(id).pending = Shares(0);
  state.vault.tranche(id).compounding.carry = 0;
  return {};
}

Status adopt_holdings(State& state, Timestamp at) {
  NX_TRY_STATUS(read_all_lots(state));
  std::vector<std::pair<LpKey, LpHolding>> holdings;
  for (const auto& [key, h] : state.lps) {
    if (h.shares.is_positive()) holdings.emplace_back(key, h);
  }
  for (const auto& [key, h] : holdings) {
    Lot lot;
    lot.id = state.lots.next_id++;
    lot.lp = key.lp;
    lot.tranche = key.tranche;
    lot.created = at;
    lot.deposited = h.deposited > h.withdrawn ? Usd(h.deposited.units() - h.withdrawn.units()) : Usd();
    lot.shares = h.shares;
    lot.points_at = at;
    NX_TRY_STATUS(store(state, lot, false));
  }
  return {};
}

}  // namespace locks
}  // namespace nexadex
