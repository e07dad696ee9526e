// bench/gen_book.cpp: writes part of a `nexadex run` batch that fills a journal of examples/basic.toml
// with OPEN open positions of which LIQ are liquidatable at the end.
//
//   gen_book FILE OPEN LIQ FROM COUNT
//
// The whole batch is OPEN + 5 lines, none with --at (run it with `run --at`, every line at one time);
// gen_book writes lines FROM to FROM + COUNT - 1 of it (0-based, cut at its end), so that a big book
// is built by several runs. Line 0 and 1 price BTC at 65,000 and ETH at 3,200, line 2 is the LP
// capital (400 USDC per position and 20,000 per liquidatable one: the reserves stay under half of it,
// and the cap is 80%), lines 3 to OPEN + 2 are the opens, and the last two lines drop BTC to 58,935
// (-9.33%) and price ETH again. The opens are 2x positions of 100 USDC of collateral (size 199.60,
// liquidatable only past a 45% loss), alternately on BTC and ETH, long and short, except LIQ of them
// spread evenly over the book (open j is one when floor(j × LIQ / OPEN) changes at j + 1): 10x BTC
// longs of 1,000 USDC (size 9,900.99, collateral 990.10), whose equity at 58,935 is about 56 against
// a maintenance margin of 99: liquidatable, and not bankrupt. A position's id is the seq of its open:
// 5 + j on a journal holding only its journal_created event.
#include <cstdio>
#include <string>

#include "bench/bench_common.hpp"

using namespace nexadex::bench;

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: gen_book FILE OPEN LIQ FROM COUNT\n"
                         "  writes lines FROM.. FROM+COUNT-1 of the OPEN+5-line batch (see bench/gen_book.cpp)\n");
    return 1;
  }
  const int64_t n_open = arg_int("gen_book", "OPEN", argv[2]);
  const int64_t n_liq = arg_int("gen_book", "LIQ", argv[3]);
  const int64_t from = arg_int("gen_book", "FROM", argv[4]);
  const int64_t count = arg_int("gen_book", "COUNT", argv[5]);
  if (n_open < 1 || n_liq < 0 || n_liq > n_open || from < 0 || count < 0) {
    std::fprintf(stderr, "gen_book: need 0 <= LIQ <= OPEN, OPEN >= 1, FROM >= 0, COUNT >= 0.\n");
    return 1;
  }
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  const int64_t total = n_open + 5;
  std::string line;
  for (int64_t i = from; i < from + count && i < total; ++i) {
    if (i == 0) {
      line = "price set BTC 65000\n";
    } else if (i == 1) {
      line = "price set ETH 3200\n";
    } else if (i == 2) {
      line = "deposit anchor " + std::to_string(n_open * 400 + n_liq * 20'000) + "\n";
    } else if (i == total - 2) {
      line = "price set BTC 58935\n";
    } else if (i == total - 1) {
      line = "price set ETH 3200\n";
    } else {
      const int64_t j = i - 3;
      const bool victim = (j * n_liq) / n_open != ((j + 1) * n_liq) / n_open;
      if (victim) {
        line = "open v" + std::to_string(j % 1'000) + " BTC long --collateral 1000 --leverage 10\n";
      } else {
        line = "open t" + std::to_string(j % 5'000) + (j % 2 ? " ETH " : " BTC ") + ((j / 2) % 2 ? "short" : "long") +
               " --collateral 100 --leverage 2\n";
      }
    }
    std::fwrite(line.data(), 1, line.size(), f);
  }
  if (std::fclose(f) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  return 0;
}
