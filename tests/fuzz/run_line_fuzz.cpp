// tests/fuzz/run_line_fuzz.cpp: one line of a `run` batch: the tokenizer (cli/tokenize.cpp) and the
// quick parser (cli/quick_parse.cpp). Tokens quoted back read back as the same tokens; a line with no
// quote, backslash or '#' splits the same on the tokenizer's fast path and its general one; and where
// the quick parser takes the words, CLI11's full parser accepts them and sets exactly the same options
// and command path (what tests/cli/quick_parse_test.cpp checks for its table of forms). One pair of
// parsers lives across inputs, as across the lines of a batch.
#include <sstream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/command.hpp"
#include "tests/cli/same_options.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

using nexadex::cli::Cli;

using nexadex::cli::testing::same_options;

// Each word in single quotes (a ' inside written '\''), so the tokenizer must give it back.
std::string quoted(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& w : words) {
    if (!line.empty()) line += ' ';
    line += '\'';
    for (char c : w) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += "[" + w + "]";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nexadex;
  const std::string_view line = fuzz::as_text(data, size);
  if (line.find('\n') != std::string_view::npos) return 0;   // cmd_run splits lines first
  const auto words = cli::tokenize(line);
  if (!words) {
    FUZZ_CHECK(words.error().kind == ErrorKind::input, words.error().message);
    return 0;
  }
  for (const auto& w : *words) FUZZ_CHECK(!w.empty() || line.find_first_of("'\"") != std::string_view::npos, joined(*words));
  const auto again = cli::tokenize(quoted(*words));
  FUZZ_CHECK(again && *again == *words, quoted(*words) + " gives " + (again ? joined(*again) : again.error().message));
  if (line.find_first_of("'\"\\#") == std::string_view::npos) {
    // the fast path against the general one (a comment forces the latter and adds nothing)
    const auto slow = cli::tokenize(std::string(line) + " #");
    FUZZ_CHECK(slow && *slow == *words, joined(*words) + " vs " + (slow ? joined(*slow) : slow.error().message));
  }
  if (words->empty() || words->front() == "init" || words->front() == "run") return 0;

  static const auto quick = cli::make_cli();
  static const auto full = cli::make_cli();
  std::ostringstream sink;
  const bool took = cli::quick_parse(*quick, *words);
  const auto parsed = cli::parse_command_line(*full, *words, sink);
  if (!took) return 0;
  FUZZ_CHECK(parsed.has_value(), "quick parse took " + joined(*words) + " but CLI11 refuses it: " + parsed.error().message);
  FUZZ_CHECK(same_options(*quick, *full), "the parsers disagree on the options of " + joined(*words));
  FUZZ_CHECK(quick->path == full->path, "the parsers disagree on the command of " + joined(*words));
  // a full parse on the Cli the quick parser used starts clean
  const auto reparsed = cli::parse_command_line(*quick, *words, sink);
  FUZZ_CHECK(reparsed.has_value() && same_options(*quick, *full), "a full parse after a quick one differs: " + joined(*words));
  return 0;
}
