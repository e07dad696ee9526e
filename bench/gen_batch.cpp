// bench/gen_batch.cpp: writes a `nexadex run` file of COUNT `price set BTC` lines, one second apart.
#include <cstdio>
#include <string>

#include "bench/bench_common.hpp"

using namespace nexadex::bench;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: gen_batch FILE COUNT FIRST_AT\n"
                         "  line k (0-based) is: price set BTC <price of FIRST_AT+k> --at @<FIRST_AT+k>\n");
    return 1;
  }
  const int64_t count = arg_int("gen_batch", "COUNT", argv[2]);
  const int64_t first_at = arg_int("gen_batch", "FIRST_AT", argv[3]);
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  std::string line;
  for (int64_t k = 0; k < count; ++k) {
    const int64_t at = first_at + k;
    line = "price set BTC " + price_text(at) + " --at @" + std::to_string(at) + "\n";
    std::fwrite(line.data(), 1, line.size(), f);
  }
  if (std::fclose(f) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  return 0;
}
