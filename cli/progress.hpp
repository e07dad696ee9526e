// cli/progress.hpp: the progress line of long work (verify, run of a big batch, export, report
// history): on stderr, only when it is a terminal (and standard output is not, for work that prints as
// it goes) and --quiet is not given, only once the work has
// run for half a second (a quick command never shows one), redrawn at most four times a second, and
// cleared when the work ends, so that what follows starts on a clean line.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "cli/context.hpp"

namespace nexadex::cli {

class ProgressLine {
 public:
  // `label` starts the line ("verify"), `unit` names what is counted ("events"); the clock is read at
  // every `every`-th update (1 for a caller that already reports sparsely).
  // `streams_to_stdout`: the work prints as it goes (export to standard output), so there is no line
  // when standard output is the same terminal.
  ProgressLine(Context& ctx, const Options& o, std::string label, std::string unit, int64_t every = 1024,
               bool streams_to_stdout = false);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() { clear(); }

  // `done` of `total` units (total ≤ 0: unknown). Cheap: the clock is read at every `every`-th call.
  void update(int64_t done, int64_t total);
  // Clears the line if one was drawn (the destructor does it too).
  void clear();

  // The text of the line, without its carriage return: "verify: 400,000 / 1,000,000 events (40%),
  // 2.1 M events/s, 0:03 left". Exposed for the unit test.
  static std::string text(const std::string& label, const std::string& unit, int64_t done, int64_t total,
                          int64_t elapsed_ms);

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream* m_err = nullptr;   // null: no progress line (not a terminal, or --quiet)
  std::string m_label, m_unit;
  Clock::time_point m_start, m_next;
  int64_t m_every = 1024;
  int64_t m_calls = 0;
  bool m_drawn = false;
};

}  // namespace nexadex::cli
