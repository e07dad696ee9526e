// lib/market.hpp: a market's latest oracle price, as the state keeps it (data).
#pragma once

#include <cstdint>

#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

struct MarketState {
  Price price{0};             // 0: never priced
  Timestamp price_at;
  int64_t price_seq = 0;      // the event that set it
  bool priced() const { return price_seq != 0; }
  bool operator==(const MarketState&) const = default;
};

}  // namespace nexadex
