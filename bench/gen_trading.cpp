// bench/gen_trading.cpp: writes a trading day as a `nexadex run` file of exactly OPS lines, every one
// of which succeeds on a fresh journal of bench/trading.toml (examples/basic.toml's rules, markets
// BTC, ETH and SOL).
//
//   gen_trading FILE OPS FIRST_AT [SEED [MAX_OPEN [FIRST_SEQ]]]
//
// MAX_OPEN (0: no bound) keeps the book in a steady state, as a pool's is over a year: while that many
// BTC and ETH positions are open, an open becomes a whole close (the 10M-event journal of
// scripts/bench-audit.sh).
// The mix: oracle prices (BTC and ETH walk within ±1.5% of 65,000 and 3,200), LP deposits and
// withdrawals (by amount and --all), opens (--leverage 2 to 10 or --size), whole and partial closes,
// insurance deposits, and liquidations: SOL holds only positions opened at 10x near 150 for that, and a
// liquidation episode is three consecutive kinds of line: SOL drops to 136 (a 9.4% loss: below the 1%
// maintenance margin, above bankruptcy), one `liquidate ID` line per such position, SOL back near 150.
// Line k (0-based) is dated FIRST_AT + k × 86400 / OPS (a day, whatever OPS is) and writes exactly one
// event, so its seq is k + FIRST_SEQ (2: on a journal holding only its journal_created event; more when
// the journal was prepared first, as scripts/bench-assets.sh's 3-asset pool is); a position's id is
// the seq of its open. To keep every line accepted the generator tracks what the pool rules look at,
// in integers (micro-USD, 8-decimal prices, no floating point): the price of every market is set
// again when it is 120 s old (max_price_age is 5 minutes); an open is written only while the reserves
// of the open positions with it stay under half of the LP capital deposited less withdrawn (the cap is
// 80% of the NAV, and fees and PnL move the NAV by far less than the difference); a withdrawal takes at
// most 40% of what an LP put in net, and only while that bound still holds afterwards; closes and
// liquidations pick open positions by id. Prints a summary line of counts to stdout.
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"

using namespace nexadex::bench;

namespace {

// splitmix64: deterministic on every machine and compiler.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t below(int64_t n) { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
  int64_t between(int64_t lo, int64_t hi) { return lo + below(hi - lo + 1); }  // inclusive
};

constexpr int64_t k_usd = 1'000'000;        // micro-USD per USD
constexpr int64_t k_price = 100'000'000;    // price units per USD
constexpr int64_t k_open_fee_bps = 10;      // trading.toml's fees.open_fee_bps (basic.toml's)
constexpr int64_t k_reprice_after = 120;    // seconds; max_price_age is 300

// "1234.560000" style text of micro-USD (6 decimals, as the CLI takes them).
std::string usd(int64_t micro) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(micro / k_usd), static_cast<long long>(micro % k_usd));
  return buf;
}

std::string price(int64_t units) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%08lld", static_cast<long long>(units / k_price),
                static_cast<long long>(units % k_price));
  return buf;
}

std::string leverage_text(int64_t hundredths) {
  char buf[24];
  if (hundredths % 100 == 0) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(hundredths / 100));
  } else {
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(hundredths / 100),
                  static_cast<long long>(hundredths % 100));
  }
  return buf;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// lib/vault.cpp's size_for_leverage: the largest S with 100 S ≤ l × (C − ceil(S × fee_bps / 10^4)).
int64_t size_for_leverage(int64_t collateral, int64_t l) {
  using i128 = __int128;
  int64_t s = static_cast<int64_t>(static_cast<i128>(collateral) * l * 10'000 / (100 * 10'000 + l * k_open_fee_bps));
  while (s > 0 && static_cast<i128>(s) * 100 > static_cast<i128>(l) * (collateral - ceil_div(s * k_open_fee_bps, 10'000))) --s;
  return s;
}

struct Pos {
  int64_t id;
  int64_t size;
  int64_t reserve;  // max_profit_bps is 10000: the reserve starts at the size
};

struct Lp {
  std::string name;
  int64_t net = 0;  // deposited less withdrawn, micro-USD
};

struct Market {
  const char* symbol;
  int64_t base;     // price units
  int64_t off_bps;  // the walk, within ±150 bps of base
  int64_t last_at;  // when it was last priced
  int64_t units;    // its current price
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 7) {
    std::fprintf(stderr, "usage: gen_trading FILE OPS FIRST_AT [SEED [MAX_OPEN [FIRST_SEQ]]]\n"
                         "  writes OPS lines of a trading day that all succeed on a fresh trading.toml journal\n");
    return 1;
  }
  const int64_t ops = arg_int("gen_trading", "OPS", argv[2]);
  const int64_t first_at = arg_int("gen_trading", "FIRST_AT", argv[3]);
  const int64_t seed = argc >= 5 ? arg_int("gen_trading", "SEED", argv[4]) : 4;
  const int64_t max_open = argc >= 6 ? arg_int("gen_trading", "MAX_OPEN", argv[5]) : 0;
  const int64_t first_seq = argc == 7 ? arg_int("gen_trading", "FIRST_SEQ", argv[6]) : 2;
  if (ops < 10) {
    std::fprintf(stderr, "gen_trading: OPS must be at least 10.\n");
    return 1;
  }
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  Rng rng{static_cast<uint64_t>(seed)};

  Market markets[3] = {{"BTC", 65'000 * k_price, 0, 0, 65'000 * k_price},
                       {"ETH", 3'200 * k_price, 0, 0, 3'200 * k_price},
                       {"SOL", 150 * k_price, 0, 0, 150 * k_price}};
  Market& sol = markets[2];
  std::vector<Lp> lps;
  for (int i = 0; i < 40; ++i) lps.push_back({"lp" + std::to_string(i), 0});
  std::vector<Pos> open;     // BTC and ETH positions
  std::vector<Pos> victims;  // SOL 10x longs, liquidated in the next episode
  int64_t reserved = 0;      // Σ reserves of open positions
  int64_t capital = 0;       // Σ deposits − Σ withdrawals
  int64_t count[10] = {};    // by kind, for the summary
  enum { k_price_set, k_deposit, k_withdraw, k_open, k_close, k_partial, k_liquidate, k_insurance };

  int64_t k = 0;  // lines written
  int64_t at = first_at;
  std::string line;
  auto emit = [&](int kind) {
    line += " --at @" + std::to_string(at) + "\n";
    std::fwrite(line.data(), 1, line.size(), f);
    line.clear();
    ++count[kind];
    ++k;
    at = first_at + k * 86'400 / ops;
  };
  auto set_price = [&](Market& m, int64_t units) {
    m.units = units;
    m.last_at = at;
    line = std::string("price set ") + m.symbol + " " + price(units);
    emit(k_price_set);
  };
  auto walk = [&](Market& m) {  // a step of the random walk, cents of noise
    m.off_bps += rng.between(-5, 5);
    if (m.off_bps > 150) m.off_bps = 150;
    if (m.off_bps < -150) m.off_bps = -150;
    const int64_t cents = m.base / 1'000'000 * rng.between(0, 99);  // 0 to 0.0099% of the base
    set_price(m, m.base / 10'000 * (10'000 + m.off_bps) + cents);
  };
  auto sol_normal = [&] { set_price(sol, 150 * k_price + rng.between(-5, 5) * 1'000'000); };  // 150 ± 0.05
  auto fits = [&](int64_t reserve_more, int64_t capital_less) {  // reserves stay under half the capital
    return 2 * (reserved + reserve_more) <= capital - capital_less;
  };
  auto deposit = [&](Lp& lp, int64_t micro) {
    line = "deposit " + lp.name + " " + usd(micro);
    lp.net += micro;
    capital += micro;
    emit(k_deposit);
  };
  auto open_line = [&](std::vector<Pos>& book, const std::string& trader, const char* market, const char* side,
                       int64_t collateral, int64_t l_hundredths, int64_t size) {
    line = "open " + trader + " " + market + " " + side + " --collateral " + usd(collateral);
    if (l_hundredths > 0) {
      line += " --leverage " + leverage_text(l_hundredths);
      size = size_for_leverage(collateral, l_hundredths);
    } else {
      line += " --size " + usd(size);
    }
    book.push_back({k + first_seq, size, size});
    reserved += size;
    emit(k_open);
  };

  // The opening: the anchor LP's capital, first prices (seq 2 is line 0).
  for (auto& m : markets) set_price(m, m.units);
  deposit(lps[0], 100'000'000 * k_usd);

  while (k < ops) {
    const int64_t left = ops - k;
    // A stale price is never left: re-price any market that is k_reprice_after old.
    bool repriced = false;
    for (auto& m : markets) {
      if (at - m.last_at >= k_reprice_after) {
        if (&m == &sol) {
          sol_normal();
        } else {
          walk(m);
        }
        repriced = true;
        break;
      }
    }
    if (repriced) continue;

    int64_t r = rng.below(1000);
    if (r >= 180 && r < 460 && max_open > 0 && static_cast<int64_t>(open.size()) >= max_open) r = 460;  // a close
    if (r < 180) {  // an oracle tick on BTC or ETH
      walk(markets[rng.below(2)]);
    } else if (r < 460) {  // open on BTC or ETH: --leverage (mostly) or --size
      const int64_t collateral = rng.between(50, 2'000) * k_usd + rng.below(100) * 10'000;
      const std::string trader = "t" + std::to_string(rng.below(2'000));
      const char* market = markets[rng.below(2)].symbol;
      const char* side = rng.below(2) ? "long" : "short";
      int64_t l = 0, size = 0;
      if (rng.below(5) < 4) {
        static constexpr int64_t k_levs[] = {200, 250, 300, 500, 750, 1000, 1000};
        l = k_levs[rng.below(7)];
        size = size_for_leverage(collateral, l);
      } else {
        size = collateral * rng.between(1, 5) + rng.below(k_usd);  // at most 5x before the fee
      }
      if (fits(size, 0)) {
        open_line(open, trader, market, side, collateral, l, size);
      } else {
        deposit(lps[static_cast<std::size_t>(rng.between(1, 39))], 5'000'000 * k_usd);
      }
    } else if (r < 680) {  // whole close
      if (open.empty()) continue;
      const std::size_t i = static_cast<std::size_t>(rng.below(static_cast<int64_t>(open.size())));
      line = "close " + std::to_string(open[i].id);
      reserved -= open[i].reserve;
      open[i] = open.back();
      open.pop_back();
      emit(k_close);
    } else if (r < 740) {  // partial close of a quarter to a half
      if (open.empty()) continue;
      Pos& p = open[static_cast<std::size_t>(rng.below(static_cast<int64_t>(open.size())))];
      const int64_t part = p.size / 100 * rng.between(25, 50);
      if (part <= 0 || part >= p.size) continue;
      line = "close " + std::to_string(p.id) + " --size " + usd(part);
      const int64_t reserve_part = static_cast<int64_t>(static_cast<__int128>(p.reserve) * part / p.size);  // floor
      p.reserve -= reserve_part;
      reserved -= reserve_part;
      p.size -= part;
      emit(k_partial);
    } else if (r < 820) {  // LP deposit
      deposit(lps[static_cast<std::size_t>(rng.between(1, 39))], rng.between(1'000, 200'000) * k_usd);
    } else if (r < 880) {  // LP withdrawal: up to 40% of its net, or --all now and then
      Lp& lp = lps[static_cast<std::size_t>(rng.between(1, 39))];
      if (lp.net < 10 * k_usd) continue;
      if (rng.below(8) == 0) {
        const int64_t value = lp.net + lp.net / 20;  // what --all may pay, with room for a rise in the share price
        if (!fits(0, value)) continue;
        line = "withdraw " + lp.name + " --all";
        capital -= value;
        lp.net = 0;
        emit(k_withdraw);
      } else {
        const int64_t amount = lp.net / 100 * rng.between(1, 40) / 10'000 * 10'000;
        if (amount <= 0 || !fits(0, amount)) continue;
        line = "withdraw " + lp.name + " " + usd(amount);
        capital -= amount;
        lp.net -= amount;
        emit(k_withdraw);
      }
    } else if (r < 900) {  // insurance deposit
      line = "insurance deposit " + usd(rng.between(10, 2'000) * k_usd) + " --from ops" + std::to_string(rng.below(3));
      emit(k_insurance);
    } else if (r < 960) {  // a 10x long on SOL, to be liquidated
      const int64_t collateral = rng.between(500, 3'000) * k_usd;
      const int64_t size = size_for_leverage(collateral, 1'000);
      if (victims.size() >= 5 || !fits(size, 0) || left < 10) continue;
      open_line(victims, "t" + std::to_string(rng.below(2'000)), "SOL", "long", collateral, 1'000, size);
    } else {  // liquidation episode: SOL to 136, each victim liquidated, SOL back
      if (victims.empty() || left < static_cast<int64_t>(victims.size()) + 2) continue;
      set_price(sol, 136 * k_price + rng.below(10) * 1'000'000);  // 136.00 to 136.09
      for (const Pos& v : victims) {
        line = "liquidate " + std::to_string(v.id) + " --keeper kim" + std::to_string(rng.below(3));
        reserved -= v.reserve;
        emit(k_liquidate);
      }
      victims.clear();
      sol_normal();
    }
  }
  if (std::fclose(f) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  std::printf("lines %lld price_set %lld deposit %lld withdraw %lld open %lld close %lld partial_close %lld "
              "liquidate %lld insurance_deposit %lld open_at_end %zu\n",
              static_cast<long long>(k), static_cast<long long>(count[k_price_set]), static_cast<long long>(count[k_deposit]),
              static_cast<long long>(count[k_withdraw]), static_cast<long long>(count[k_open]),
              static_cast<long long>(count[k_close]), static_cast<long long>(count[k_partial]),
              static_cast<long long>(count[k_liquidate]), static_cast<long long>(count[k_insurance]),
              open.size() + victims.size());
  return 0;
}
