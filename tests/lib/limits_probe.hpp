// tests/lib/limits_probe.hpp: the property tests' check that the pool report's figures are the limits
// the commands enforce (issue 20). On copies of the state, at the time of its last event: a withdrawal
// of exactly a tranche's reported free capital (or of the whole holding, when that is less) by its
// largest holder is paid, one micro-unit more is refused for want of free capital; an open whose
// reserve takes utilization exactly to max_utilization_bps of the reported NAV is accepted, one
// micro-unit more is refused.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

#include "lib/cascade.hpp"
#include "lib/report.hpp"
#include "lib/vault.hpp"

namespace nexadex::test {

struct LimitProbes {
  int withdrawals = 0;   // withdrawals of exactly the free capital (or the holding) that were paid
  int beyond = 0;        // withdrawals one micro-unit beyond the free capital, refused
  int opens = 0;         // opens exactly at the utilization limit, accepted
  int covered = 0;       // probes where the insurance fund took part of the unrealized profit
};

namespace probe_detail {

inline const Cell& cell_of(const Section& s, std::size_t row, const std::string& key) {
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i].key == key) return s.rows.at(row).at(i);
  }
  FAIL("no column " << key << " in " << s.name);
  throw;
}

inline const Section* section_of(const Report& r, const std::string& name) {
  for (const auto& s : r.sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

inline bool all_fresh(const State& s, Timestamp now) {
  for (const auto& [key, book] : s.books) {
    const auto it = s.markets.find(key.market);
    if (it == s.markets.end() || !s.is_fresh(it->second, now)) return false;
  }
  return true;
}

inline Result<std::vector<Posting>> try_apply(const State& s, EventBody body) {
  State copy = s;
  return apply(copy, Event{s.head_seq + 1, s.head_at, std::move(body)});
}

}  // namespace probe_detail

inline void probe_limits(const State& s, LimitProbes& n) {
  using namespace probe_detail;
  const Timestamp now = s.head_at;
  auto pv = tranche::pool_value(s);
  INFO((pv ? std::string() : "pool_value: " + pv.error().message));
  REQUIRE(pv.has_value());
  if (pv->tranches.insurance.is_positive()) ++n.covered;
  auto report = pool_report(s, now);
  INFO((report ? std::string() : "pool_report: " + report.error().message));
  REQUIRE(report.has_value());
  const Section* pool = section_of(*report, "pool");
  REQUIRE(pool != nullptr);
  const bool tranched = s.config.tranches.enabled;
  const Section* by_tranche = section_of(*report, "free_capital");
  REQUIRE((by_tranche != nullptr) == tranched);
  auto lps = lps_report(s, s.head_at);
  INFO((lps ? std::string() : "lps_report: " + lps.error().message));
  REQUIRE(lps.has_value());
  const Section* holdings = section_of(*lps, "lps");
  REQUIRE(holdings != nullptr);

  // Withdrawals: the largest holder of each tranche, by the LP report's values.
  if (all_fresh(s, now)) {
    for (const TrancheId id : k_tranche_ids) {
      if (!tranched && id == TrancheId::junior) continue;
      const std::string name(tranche_name(id));
      const Usd free(tranched ? cell_of(*by_tranche, id == TrancheId::senior ? 0 : 1, "free_capital").number
                              : cell_of(*pool, 0, "free_capital").number);
      std::string lp;
      Usd held;
      for (std::size_t i = 0; i < holdings->rows.size(); ++i) {
        if (cell_of(*holdings, i, "tranche").text != name) continue;
        const Usd v(cell_of(*holdings, i, "value").number);
        if (v > held) held = v, lp = cell_of(*holdings, i, "lp").text;
      }
      if (lp.empty()) continue;
      const std::string t = tranched ? name : "";
      const Usd most = std::min(free, held);
      INFO("withdrawal probe: " << lp << " in the " << name << " tranche, free " << to_string(free) << ", holding "
                                << to_string(held));
      if (most.is_positive()) {
        auto paid = try_apply(s, LpWithdrew{lp, WithdrawBy::amount, most, Shares(0), t});
        // only the junior's subordination may refuse it (a rule the free capital does not count)
        if (!paid) {
          INFO(paid.error().message);
          REQUIRE(id == TrancheId::junior);
          REQUIRE(paid.error().message.find("junior ratio") != std::string::npos);
        } else {
          ++n.withdrawals;
        }
      }
      if (free < held) {
        auto more = try_apply(s, LpWithdrew{lp, WithdrawBy::amount, Usd(free.units() + 1), Shares(0), t});
        REQUIRE_FALSE(more.has_value());
        INFO(more.error().message);
        REQUIRE(more.error().message.find("is free") != std::string::npos);
        ++n.beyond;
      }
    }
  }

  // Opens: BTC profits are capped at 100% of size, so a size is its reserve.
  const MarketConfig* btc = s.config.market("BTC");
  REQUIRE(btc != nullptr);
  REQUIRE(btc->max_profit_bps.value == 10'000);
  const auto m = s.markets.find("BTC");
  if (m == s.markets.end() || !m->second.priced() || !s.is_fresh(m->second, now)) return;
  const int128 nav = std::max<int64_t>(cell_of(*pool, 0, "nav").number, 0);
  const int64_t reserved = cell_of(*pool, 0, "reserved").number;
  REQUIRE(reserved == s.vault.reserved.units());
  // reserved + size ≤ NAV × max_utilization_bps / 10^4, so the largest size is floor(…) − reserved
  const int128 room = nav * s.config.pool.max_utilization_bps.value / 10'000 - reserved;
  const auto open_of = [](int128 size) {
    const int64_t sz = static_cast<int64_t>(size);
    // collateral: a fifth of the size and 10 USD (above the liquidation fee and the fees): at most 5x
    return PositionOpened{"probe", "BTC", Side::long_, Usd(sz / 5 + 10'000'000), Usd(sz), Leverage{0}, {}, {}};
  };
  INFO("open probe: NAV " << static_cast<int64_t>(nav) << ", reserved " << reserved << ", room "
                          << static_cast<int64_t>(room));
  if (room >= 1 && room < int128(1) << 60) {
    auto at_limit = try_apply(s, open_of(room));
    if (!at_limit) FAIL("an open at the utilization limit was refused: " << at_limit.error().message);
    ++n.opens;
  }
  const int128 over = std::max<int128>(room + 1, 1);   // over the limit already: any reserve is refused
  if (over < int128(1) << 60) {
    auto beyond = try_apply(s, open_of(over));
    REQUIRE_FALSE(beyond.has_value());
    INFO(beyond.error().message);
    REQUIRE(beyond.error().message.find("free to reserve") != std::string::npos);
  }
}

}  // namespace nexadex::test
