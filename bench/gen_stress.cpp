// bench/gen_stress.cpp: writes part of a `nexadex run` batch that fills a journal of scripts/bench.sh's
// stress.toml (examples/basic.toml's rules, markets BTC, ETH and SOL, senior and junior tranches) with
// OPEN open positions, the book that figure (g) stress-tests with `cascade --shock`.
//
//   gen_stress FILE OPEN FROM COUNT
//
// The whole batch is OPEN + 9 lines, none with --at (run it with `run --at`, every line at one time);
// gen_stress writes lines FROM to FROM + COUNT - 1 of it (0-based, cut at its end), so that a big book
// is built by several runs. Lines 0 to 2 price BTC at 65,000, ETH at 3,200 and SOL at 150; line 3 puts
// 10 USDC per position into the insurance fund; lines 4 and 5 are the LP capital, 250 USDC per position
// in the junior tranche, then 750 in the senior (a 25% junior ratio; the reserves, at most 1,000 a
// position, stay under the 80% cap); lines 6 to OPEN + 5 are the opens; the last three lines price the
// markets again. Open j is on market j mod 3 (BTC, ETH, SOL), long when (j / 3) is even, short when odd,
// at leverage 2 + (j / 6) mod 9 (2x to 10x), with 100 USDC of collateral, by trader t(j mod 5,000).
// A position's id is the seq of its open: 8 + j on a journal holding only its journal_created event.
//
// Under (g)'s shock, BTC=-30% ETH=-20% SOL=+10% with basic.toml's 1% maintenance margin: a BTC long is
// liquidated from 4x (equity 1 - 0.3 L of collateral against 0.01 L), an ETH long from 5x, a SOL short
// at 10x; so 7 + 6 + 1 of the 54 kinds of position, about 259,000 of a million.
#include <cstdio>
#include <string>

#include "bench/bench_common.hpp"

using namespace nexadex::bench;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: gen_stress FILE OPEN FROM COUNT\n"
                         "  writes lines FROM.. FROM+COUNT-1 of the OPEN+9-line batch (see bench/gen_stress.cpp)\n");
    return 1;
  }
  const int64_t n_open = arg_int("gen_stress", "OPEN", argv[2]);
  const int64_t from = arg_int("gen_stress", "FROM", argv[3]);
  const int64_t count = arg_int("gen_stress", "COUNT", argv[4]);
  if (n_open < 1 || from < 0 || count < 0) {
    std::fprintf(stderr, "gen_stress: need OPEN >= 1, FROM >= 0, COUNT >= 0.\n");
    return 1;
  }
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  static const char* const k_markets[] = {"BTC", "ETH", "SOL"};
  static const char* const k_prices[] = {"65000", "3200", "150"};
  const int64_t total = n_open + 9;
  std::string line;
  for (int64_t i = from; i < from + count && i < total; ++i) {
    if (i < 3) {
      line = std::string("price set ") + k_markets[i] + " " + k_prices[i] + "\n";
    } else if (i == 3) {
      line = "insurance deposit " + std::to_string(n_open * 10) + "\n";
    } else if (i == 4) {
      line = "deposit jill " + std::to_string(n_open * 250) + " --tranche junior\n";
    } else if (i == 5) {
      line = "deposit sam " + std::to_string(n_open * 750) + " --tranche senior\n";
    } else if (i >= total - 3) {
      const int64_t m = i - (total - 3);
      line = std::string("price set ") + k_markets[m] + " " + k_prices[m] + "\n";
    } else {
      const int64_t j = i - 6;
      line = "open t" + std::to_string(j % 5'000) + " " + k_markets[j % 3] + ((j / 3) % 2 ? " short" : " long") +
             " --collateral 100 --leverage " + std::to_string(2 + (j / 6) % 9) + "\n";
    }
    std::fwrite(line.data(), 1, line.size(), f);
  }
  if (std::fclose(f) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  return 0;
}
