// tests/cli/progress_test.cpp: the text of the progress line (cli/progress.hpp), worked by hand.
#include <catch2/catch.hpp>

#include "cli/progress.hpp"

using nexadex::cli::ProgressLine;

TEST_CASE("the progress line: count, share, rate and time left", "[progress]") {
  // 400,000 of 1,000,000 in 190 ms: 2,105,263 a second → "2.1 M"; 600,000 more at that rate 0.285 s → 0:00
  CHECK(ProgressLine::text("verify", "events", 400'000, 1'000'000, 190) ==
        "verify: 400,000 / 1,000,000 events (40%), 2.1 M events/s, 0:00 left");
  // 1,000 of 10,000 in 2 s: 500 a second; 9,000 more: 18 s
  CHECK(ProgressLine::text("run", "lines", 1'000, 10'000, 2'000) == "run: 1,000 / 10,000 lines (10%), 500 lines/s, 0:18 left");
  // 25,000 in 10 s: 2.5 k a second; 975,000 more: 390 s = 6:30
  CHECK(ProgressLine::text("export", "events", 25'000, 1'000'000, 10'000) ==
        "export: 25,000 / 1,000,000 events (2%), 2.5 k events/s, 6:30 left");
  // 1 of 10,000 in 1 s: 9,999 s left = 2 h 46 min 39 s
  CHECK(ProgressLine::text("report history", "events", 1, 10'000, 1'000) ==
        "report history: 1 / 10,000 events (0%), 1 events/s, 2:46:39 left");
  // no total known: the count and the rate only; done: no time left
  CHECK(ProgressLine::text("run", "lines", 42, 0, 1'000) == "run: 42 lines, 42 lines/s");
  CHECK(ProgressLine::text("run", "lines", 10, 10, 1'000) == "run: 10 / 10 lines (100%), 10 lines/s");
}
