// tests/lib/property_scale.hpp: what keeps a property test's long mode (NEXADEX_PROPERTY_OPS, e.g.
// 10^6 operations) near linear in its length.
//
// Some checks read the whole state: a copy of it to prove that a refusal changed nothing, conservation
// over every position, the brute-force scans, the limit and fairness probes (each on a copy). They
// cost as much as the pool is big, and the pool grows with the run, so making them at every step costs
// n² over n steps. They run at every step of the default length (what CTest runs, unchanged), then at
// a stride chosen so that the rest of a long run spends about ten times the default run's work on
// them: stride = n² / (10 × default²). Between them every step still checks what costs O(1): the
// postings balance, and a refusal leaves the parts of the state that stay small (the vault, markets,
// books and LP holdings, the head, the number of positions) and the position it named unchanged.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lib/state.hpp"
#include "lib/vault.hpp"

namespace nexadex::test {

class PropertyScale {
 public:
  PropertyScale(int64_t ops, int64_t default_ops)
      : m_ops(ops),
        m_default(default_ops),
        m_stride(std::max<int64_t>(1, static_cast<int64_t>(static_cast<__int128>(ops) * ops /
                                                           (10 * static_cast<__int128>(default_ops) * default_ops)))) {}
  // whether step makes the checks that read the whole state: every step of the default length, then
  // one in `stride()`, and the last
  bool full(int64_t step) const { return step <= m_default || step % m_stride == 0 || step == m_ops; }
  int64_t stride() const { return m_stride; }
  // `every` of the default run, for a check made once in so many events that reads the whole state:
  // as many of them in a long run as in the default one
  int64_t sparse(int64_t every) const { return every * std::max<int64_t>(1, m_ops / m_default); }

 private:
  int64_t m_ops;
  int64_t m_default;
  int64_t m_stride;
};

// The ids of the open positions, picked in O(1): every opened id is listed; one found closed when
// picked is dropped (swapped with the last), so each is dropped once.
class OpenIds {
 public:
  void opened(int64_t id) { m_ids.push_back(id); }
  // an open position's id, uniform among those listed, or nullopt when none is open
  template <class Pick>
  std::optional<int64_t> pick(const State& s, Pick& pick) {
    while (!m_ids.empty()) {
      const auto i = static_cast<std::size_t>(pick(0, static_cast<int64_t>(m_ids.size()) - 1));
      const auto it = s.positions.find(m_ids[i]);
      if (it != s.positions.end() && it->second.status == PositionStatus::open) return m_ids[i];
      m_ids[i] = m_ids.back();
      m_ids.pop_back();
    }
    return std::nullopt;
  }

 private:
  std::vector<int64_t> m_ids;
};

// The trading operations the tranched property tests draw (tranche, locks), in the order they draw
// their numbers: an open by one of four traders (t1 to t4) on BTC or ETH, collateral 1 to 5,000 USDC,
// leverage 1x to `max_leverage` (hundredths); the close of an open position; the liquidation of the
// first liquidatable one. With none to close or liquidate, an id drawn up to `step + 1` (refused
// unless it happens to be open).
template <class Pick>
PositionOpened random_open(Pick& pick, int64_t max_leverage) {
  PositionOpened o;
  o.trader = "t" + std::to_string(pick(1, 4));
  o.market = pick(0, 1) ? "BTC" : "ETH";
  o.side = pick(0, 1) ? Side::long_ : Side::short_;
  o.collateral = Usd(pick(1, 5'000) * 1'000'000);
  o.leverage = Leverage{pick(100, max_leverage)};
  return o;
}
template <class Pick>
PositionClosed random_close(const State& s, OpenIds& open_ids, Pick& pick, int64_t step) {
  const auto open = open_ids.pick(s, pick);
  return PositionClosed{open ? *open : pick(1, step + 1), Usd(0)};
}
template <class Pick>
PositionLiquidated random_liquidation(const State& s, Pick& pick, int64_t step) {
  auto candidates = vault::liquidatable(s, "");
  REQUIRE(candidates.has_value());
  return PositionLiquidated{candidates->empty() ? pick(1, step + 1) : candidates->front(), "k"};
}

// The parts of a state that stay small however long the run, and the position an event names: what
// a refusal is checked against at a step that does not copy the whole state.
struct SmallState {
  int64_t head_seq = 0;
  Timestamp head_at;
  Vault vault;
  std::map<std::string, MarketState> markets;
  std::map<BookKey, Book> books;
  std::map<LpKey, LpHolding> lps;
  std::size_t positions = 0;
  std::optional<Position> named;
  bool operator==(const SmallState&) const = default;
};

inline SmallState small_state(const State& s, const EventBody& body) {
  SmallState out{s.head_seq, s.head_at, s.vault, s.markets, s.books, s.lps, s.positions.size(), std::nullopt};
  std::optional<int64_t> id;
  if (const auto* c = std::get_if<PositionClosed>(&body)) id = c->id;
  if (const auto* l = std::get_if<PositionLiquidated>(&body)) id = l->id;
  if (id) {
    const auto it = s.positions.find(*id);
    if (it != s.positions.end()) out.named = it->second;
  }
  return out;
}

}  // namespace nexadex::test
