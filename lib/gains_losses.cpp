// lib/gains_losses.cpp: the income waterfall, the loss cascade booked, resets.
#include "lib/gains_losses.hpp"

#include <algorithm>

#include "lib/cascade.hpp"

namespace nexadex::tranche {
namespace {

void add_to(Usd& total, int64_t amount) { total = Usd(total.units() + amount); }

bool junior_has_shares(const State& state) { return state.vault.junior().supply.is_positive(); }

// Closes every holding of a wiped tranche at value 0 (its shares move to `cancelled`) and restarts
// the tranche empty: the next deposit is a first deposit (DESIGN-risk §5).
void cancel_holdings(State& state, TrancheId id) {
  for (auto& [key, h] : state.lps) {
    if (key.tranche != id || !h.shares.is_positive()) continue;
    h.cancelled = Shares(h.cancelled.units() + h.shares.units());
    h.shares = Shares(0);
    state.store.dirty_lps.insert(key);
  }
  Tranche& t = state.vault.tranche(id);
  t.supply = Shares(0);
  t.resets += 1;
  t.since = Timestamp{};
  t.daily.clear();
  state.store.dirty_vault = true;
}

}  // namespace

void credit_gain(State& state, int64_t gain, std::vector<Posting>& postings) {
  if (gain <= 0) return;
  Tranche& senior = state.vault.senior();
  // the senior's target first (integer min), the rest to the junior unless it has no shares
  int64_t to_senior = std::min(gain, senior.unpaid_target.units());
  add_to(senior.unpaid_target, -to_senior);
  int64_t to_junior = gain - to_senior;
  if (!junior_has_shares(state)) to_senior += std::exchange(to_junior, 0);
  for (const auto& [id, part] : {std::pair{TrancheId::senior, to_senior}, std::pair{TrancheId::junior, to_junior}}) {
    if (part == 0) continue;
    Tranche& t = state.vault.tranche(id);
    add_to(t.capital, part);
    add_to(t.gains, part);
    postings.push_back({account(id), Usd(part)});
  }
  state.store.dirty_vault = true;
}

Result<const LossRecord*> absorb_loss(State& state, LossKind kind, int64_t amount, const std::string& market,
                                      const Event& ev, std::vector<Posting>& postings) {
  const int64_t day = utc_day(ev.at);
  NX_TRY(a, allocate_loss(state, kind, amount, market, day));
  LossRecord rec;
  rec.seq = ev.seq;
  rec.at = ev.at;
  rec.kind = std::string(loss_kind_name(kind));
  rec.market = market;
  rec.total = Usd(amount);
  bool junior_hit = false;
  for (const auto& [layer, give] : a.layers) {
    if (give == 0) continue;
    rec.legs.push_back({std::string(layer_name(layer)), Usd(give)});
    if (layer == Layer::insurance) {
      if (!market.empty() && state.config.insurance.max_cover_per_market_per_day_bps.value > 0) {
        auto& today = state.vault.cover_today[market];
        if (today.day != day) {
          // the day's cap is fixed at the market's first draw: bps of the fund's balance before it
          NX_TRY(cap, mul_div_floor(state.vault.insurance.units(),
                                    state.config.insurance.max_cover_per_market_per_day_bps.value, k_bps_scale,
                                    "insurance cover"));
          today = Vault::DailyCover{day, Usd(cap), Usd(0)};
        }
        add_to(today.used, give);
      }
      add_to(state.vault.insurance, -give);
      add_to(state.vault.insurance_paid, give);
      postings.push_back({"insurance", Usd(-give)});
    } else {
      const TrancheId id = layer == Layer::junior ? TrancheId::junior : TrancheId::senior;
      Tranche& t = state.vault.tranche(id);
      add_to(t.capital, -give);
      add_to(t.absorbed[rec.kind], give);
      postings.push_back({account(id), Usd(-give)});
      junior_hit = junior_hit || id == TrancheId::junior;
    }
  }
  if (a.unabsorbed > 0) {
    rec.legs.push_back({"unabsorbed", Usd(a.unabsorbed)});
    add_to(state.vault.unabsorbed, a.unabsorbed);
    postings.push_back({"unabsorbed", Usd(-a.unabsorbed)});
  }
  Tranche& junior = state.vault.junior();
  if (junior_hit && junior.capital.is_zero() && junior.supply.is_positive()) {
    // DESIGN-risk §5: every junior holding is closed at value 0 and the tranche restarts empty
    rec.junior_cancelled = junior.supply;
    cancel_holdings(state, TrancheId::junior);
  }
  state.store.dirty_vault = true;
  // a what-if copy keeps only the latest record (its caller reads it at once; the copy is dropped)
  if (state.what_if) state.losses.clear();
  state.losses.push_back(std::move(rec));
  return &state.losses.back();
}

Result<std::vector<Posting>> reset(State& state, const TrancheReset& e) {
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
  cancel_holdings(state, *id);
  return std::vector<Posting>{};
}

}  // namespace nexadex::tranche
