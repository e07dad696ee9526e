// lib/gains_losses.cpp: the income waterfall, the loss cascade booked, resets.
#include "lib/gains_losses.hpp"

#include <algorithm>

#include "lib/asset_books.hpp"
#include "lib/cascade.hpp"
#include "lib/insurance.hpp"
#include "lib/locks.hpp"

namespace nexadex::tranche {
namespace {

bool junior_has_shares(const State& state) { return state.vault.junior().supply.is_positive(); }

// Closes every holding of a wiped tranche at value 0 (its shares move to `cancelled`) and restarts
// the tranche empty: the next deposit is a first deposit (DESIGN-risk §5).
Status cancel_holdings(State& state, TrancheId id, Timestamp at) {
  // with [locks], each lot is credited first (its claimable income stays its own), then emptied
  if (state.config.locks.enabled) NX_TRY_STATUS(locks::credit_tranche(state, id, at));
  for (auto& [key, h] : state.lps) {
    if (key.tranche != id || !h.shares.is_positive()) continue;
    // a sum over resets of holdings at most the supply each: wide, so that no reset is ever refused
    // for the bookkeeping of what it cancels (a junior deposited into at a near-zero share price
    // mints billions of shares, and repeated wipe-outs summed them past 64 bits)
    h.cancelled = wide_add(h.cancelled, h.shares);
    h.shares = Shares(0);
    state.store.dirty_lps.insert(key);
  }
  if (state.config.locks.enabled) NX_TRY_STATUS(locks::zero_tranche(state, id));
  Tranche& t = state.vault.tranche(id);
  t.supply = Shares(0);
  t.resets += 1;
  t.since = Timestamp{};
  t.daily.clear();
  state.store.dirty_vault = true;
  return {};
}

// Rules 4 (nexadex-assets(7) A7): `amount` of a loss the fund covers beyond its USD, paid in its tokens of
// the other assets in file order at their low prices (assets::pay_from_insurance): they join the LPs'
// tokens (owned_A), who pay the loss's USD for them; the rounding of the last asset is their gain.
Status pay_insurance_tokens(State& state, Usd amount, std::vector<Posting>& postings) {
  auto& pool = *state.assets;
  std::vector<Usd> before;
  for (const AssetBook& b : pool.books) before.push_back(b.book);
  // the settlement asset's part is the vault's USD, paid by the caller
  const int64_t settlement_insurance = pool.books[pool.settlement].insurance;
  pool.books[pool.settlement].insurance = 0;
  auto paid = assets::pay_from_insurance(pool, amount);
  pool.books[pool.settlement].insurance = settlement_insurance;
  if (!paid) return std::unexpected(paid.error());
  if (paid->covered != amount) {
    return journal_error("the insurance fund's tokens cover " + to_string(paid->covered) + " of the " +
                         to_string(amount) + " its cover counted on.");
  }
  state.store.dirty_assets = true;
  for (const auto& [i, units] : paid->tokens) {
    const std::string& sym = pool.configs[i].symbol;
    postings.push_back({assets::token_account("insurance", sym), Usd(-units)});
    postings.push_back({assets::token_account("pool", sym), Usd(units)});
    NX_TRY(gained, pool.books[i].book - before[i]);
    NX_TRY(inventory, -gained);
    postings.push_back({assets::inventory_account(sym), inventory});
  }
  return credit_gain(state, paid->book_gain, postings);
}

}  // namespace

Status credit_gain(State& state, Usd gain, std::vector<Posting>& postings, Channel channel) {
  if (!gain.is_positive()) return {};
  Tranche& senior = state.vault.senior();
  // the senior's target first (integer min), the rest to the junior unless it has no shares
  Usd to_senior = std::min(gain, senior.unpaid_target);
  NX_TRY_STATUS(sub_from(senior.unpaid_target, to_senior, "the senior's unpaid target"));
  NX_TRY(to_junior, gain - to_senior);
  if (!junior_has_shares(state)) {
    to_senior = gain;
    to_junior = Usd();
  }
  for (const auto& [id, part] : {std::pair{TrancheId::senior, to_senior}, std::pair{TrancheId::junior, to_junior}}) {
    if (part.is_zero()) continue;
    if (channel == Channel::fee && state.config.locks.enabled) {
      bool shared = false;
      NX_TRY_STATUS(locks::share_income(state, id, part, postings, shared));
      if (shared) continue;
    }
    Tranche& t = state.vault.tranche(id);
    NX_TRY_STATUS(add_to(t.capital, part, "a tranche's capital"));
    NX_TRY_STATUS(add_to(t.gains, part, "a tranche's gains"));
    postings.push_back({account(id), part});
  }
  state.store.dirty_vault = true;
  return {};
}

Result<const LossRecord*> absorb_loss(State& state, LossKind kind, Usd amount, const std::string& market,
                                      const Event& ev, std::vector<Posting>& postings) {
  const int64_t day = utc_day(ev.at);
  NX_TRY(a, allocate_loss(state, kind, amount, market, day));
  LossRecord rec;
  rec.seq = ev.seq;
  rec.at = ev.at;
  rec.kind = std::string(loss_kind_name(kind));
  rec.market = market;
  rec.total = amount;
  bool junior_hit = false;
  for (const auto& [layer, give] : a.layers) {
    if (give.is_zero()) continue;
    rec.legs.push_back({std::string(layer_name(layer)), give});
    NX_TRY(taken, -give);
    if (layer == Layer::insurance) {
      if (!market.empty() && state.config.insurance.max_cover_per_market_per_day_bps.value > 0) {
        auto& today = state.vault.cover_today[market];
        if (today.day != day) {
          // the day's cap is fixed at the market's first draw: bps of the fund's balance before it
          NX_TRY(fund, vault::fund_value(state));
          NX_TRY(cap, fund.mul_bps_floor(state.config.insurance.max_cover_per_market_per_day_bps, "insurance cover"));
          today = Vault::DailyCover{day, cap, Usd(0)};
        }
        NX_TRY_STATUS(add_to(today.used, give, "insurance cover"));
      }
      // its USD first; under rules 4 the rest in its tokens (A7)
      const Usd from_usd = state.rules >= 4 && state.assets ? std::min(give, std::max(state.vault.insurance, Usd())) : give;
      NX_TRY_STATUS(sub_from(state.vault.insurance, from_usd, "the insurance fund"));
      NX_TRY_STATUS(add_to(state.vault.insurance_paid, give, "insurance paid"));
      if (from_usd == give) {
        postings.push_back({"insurance", taken});
      } else {
        if (from_usd.is_positive()) postings.push_back({"insurance", Usd(-from_usd.units())});
        NX_TRY(in_tokens, give - from_usd);
        NX_TRY_STATUS(pay_insurance_tokens(state, in_tokens, postings));
      }
    } else {
      const TrancheId id = layer == Layer::junior ? TrancheId::junior : TrancheId::senior;
      Tranche& t = state.vault.tranche(id);
      NX_TRY_STATUS(sub_from(t.capital, give, "a tranche's capital"));
      NX_TRY_STATUS(add_to(t.absorbed[rec.kind], give, "a tranche's absorbed losses"));
      postings.push_back({account(id), taken});
      junior_hit = junior_hit || id == TrancheId::junior;
    }
  }
  if (a.unabsorbed.is_positive()) {
    rec.legs.push_back({"unabsorbed", a.unabsorbed});
    NX_TRY_STATUS(add_to(state.vault.unabsorbed, a.unabsorbed, "unabsorbed losses"));
    NX_TRY(left, -a.unabsorbed);
    postings.push_back({"unabsorbed", left});
  }
  Tranche& junior = state.vault.junior();
  if (junior_hit && junior.capital.is_zero() && junior.supply.is_positive()) {
    // DESIGN-risk §5: every junior holding is closed at value 0 and the tranche restarts empty
    rec.junior_cancelled = junior.supply;
    NX_TRY_STATUS(cancel_holdings(state, TrancheId::junior, ev.at));
  }
  state.store.dirty_vault = true;
  // a what-if copy keeps only the latest record (its caller reads it at once; the copy is dropped)
  if (state.what_if) state.losses.clear();
  state.losses.push_back(std::move(rec));
  return &state.losses.back();
}

Result<std::vector<Posting>> reset(State& state, const TrancheReset& e, Timestamp at) {
  const auto id = parse(e.tranche);
  if (!id) return input_error("unknown tranche '" + e.tranche + "'; a tranche_reset names senior or junior.");
  const Tranche& t = state.vault.tranche(*id);
  if (e.shares != t.supply) {
    return rule_error("a reset of the " + e.tranche + " tranche names " + to_string(e.shares) + " shares but it has " +
                      to_string(t.supply) + ".");
  }
  NX_TRY(due, wiped(state));
  if (std::find(due.begin(), due.end(), *id) == due.end()) {
    return rule_error("the " + e.tranche + " tranche is not wiped (its holders still have a claim, or traders hold "
                      "unrealized profit beyond every layer); it cannot be reset.");
  }
  NX_TRY_STATUS(cancel_holdings(state, *id, at));
  return std::vector<Posting>{};
}

}  // namespace nexadex::tranche
