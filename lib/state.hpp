// lib/state.hpp: the pool's state as a pure function of its events, and apply().
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/config.hpp"
#include "lib/event.hpp"

namespace nexadex {

struct MarketState {
  Price price{0};             // 0: never priced
  Timestamp price_at;
  int64_t price_seq = 0;      // the event that set it
  bool priced() const { return price_seq != 0; }
  bool operator==(const MarketState&) const = default;
};

struct State {
  int64_t head_seq = 0;       // 0: no event yet
  Timestamp head_at;
  Config config;
  std::string config_text;
  std::string config_sha256;
  int64_t config_seq = 0;     // the event whose config holds now
  std::map<std::string, MarketState> markets;   // by symbol; every market ever priced or configured
  std::map<std::string, int64_t> accounts;      // micro-USD balance per posting account

  // Rows changed since the journal last wrote the state tables (not part of the state's value).
  std::set<std::string> dirty_markets;
  std::set<std::string> dirty_accounts;
  bool dirty_config = false;

  // Age of a market's latest price at `now`; a never-priced market has no age.
  bool is_fresh(const MarketState& m, Timestamp now) const {
    return m.priced() && now.seconds - m.price_at.seconds <= config.pool.max_price_age.seconds;
  }
};

// Applies one event: checks every rule first and changes nothing when one fails (ErrorKind::rule for
// a refusal such as time going backwards, ErrorKind::input for an unknown market), else updates `state`
// and returns the event's balanced postings.
Result<std::vector<Posting>> apply(State& state, const Event& event);

// True when two states hold the same derived facts (verify compares replayed and stored state).
bool states_equal(const State& a, const State& b);

}  // namespace nexadex
