// lib/exposure.hpp: the pool's net exposure per market (nexadex-assets(7), NET EXPOSURE): what it
// holds of the market's asset, less what it owes its long traders, plus what its short traders owe
// it, in tokens and in USD, as a share of AUM; and the cap an open may not push it beyond.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lib/state.hpp"

namespace nexadex::exposure {

// Token amounts are held in units of 10^-18 token, whatever the decimals of the asset: a position's
// quantity (lib/book.hpp) is 10^-16 token, an asset's unit 10^-decimals.
inline constexpr int k_token_decimals = 18;

struct MarketExposure {
  std::string market;
  int shown_decimals = 8;   // at least this many decimals shown: the market's asset's, else 8
  std::optional<Price> price;   // the latest; none before the first
  int128 held = 0;          // the LPs' tokens (owned) of the assets the market prices, and (rules 4) the
                            // tokens posted as collateral in them
  int128 longs = 0;         // owed to the long traders: Σ quantity of the open longs not clamped
  int128 shorts = 0;        // owed by the short traders: Σ quantity of the open shorts not clamped
  int128 net = 0;           // held − longs + shorts
  std::optional<Usd> net_usd;   // net × price, its magnitude rounded up; none before a price
  std::optional<Bps> share;     // |net_usd| / AUM, rounded up; none when AUM ≤ 0 or no price
  Bps cap{0};               // max_net_exposure_bps; 0: none
};

// Every configured market's exposure, in config order, against AUM = the pool's NAV.
Result<std::vector<MarketExposure>> all(const State& state);

// One market's, against `aum`.
Result<MarketExposure> of_market(const State& state, const MarketConfig& market, Usd aum);

// The USD value of `tokens` (10^-18 token) at `price`, its magnitude rounded up (away from zero).
Result<Usd> value_away_from_zero(int128 tokens, Price price);

// An open of `quantity` (a position's, lib/book.hpp) on `side` of `market`, against the cap of its
// market: refused (ErrorKind::rule) when the net exposure after it is beyond max_net_exposure_bps of
// the NAV before it and further from zero than before; an open that brings it closer to zero is
// always allowed. Nothing when the market has no cap. `held_added` (10^-18 token) is what the open adds
// to the pool's holdings of the market's asset (rules 4: collateral posted in it, A8).
Status check_open(const State& state, const MarketConfig& market, Side side, int128 quantity, int128 held_added = 0);

// What the senior at risk counts of the net exposure (DESIGN-risk §12; nexadex-assets(7), NET
// EXPOSURE): Σ |net_usd| over the markets with a cap, with an open of `quantity` on `side` of
// `market` applied when `market` is not empty, with `held_added` as check_open (0 when no market has a cap).
Result<Usd> counted(const State& state, const std::string& market = "", Side side = Side::long_,
                    int128 quantity = 0, int128 held_added = 0);

// "1.50000000" for 1.5 token shown with 8 decimals: every decimal of the exact amount, at least
// `shown`.
std::string format_tokens(int128 tokens, int shown);

}  // namespace nexadex::exposure
