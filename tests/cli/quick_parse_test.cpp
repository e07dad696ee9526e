// tests/cli/quick_parse_test.cpp: the batch fast path and CLI11's parser agree on every form.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/commands.hpp"
#include "tests/cli/same_options.hpp"

namespace {

using nexadex::cli::Cli;

using nexadex::cli::testing::same_options;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& w : v) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

TEST_CASE("quick parse gives exactly what CLI11 gives, or declines", "[cli][batch]") {
  const std::vector<std::vector<std::string>> lines = {
      {"price", "set", "BTC", "65000"},
      {"price", "set", "BTC", "65000", "--at", "2026-01-01"},
      {"price", "set", "--at", "@1767225600", "ETH", "3000.5"},
      {"price", "set", "BTC", "65000", "--format", "json"},
      {"price", "set", "BTC", "65000", "--format", "xml"},        // validator refuses: declined
      {"price", "set", "BTC"},                                     // missing PRICE: declined
      {"price", "set", "BTC", "1", "2"},                           // extra positional: declined
      {"price", "set", "BTC", "1", "--at"},                        // missing value: declined
      {"price", "set", "BTC", "1", "--quiet"},                     // flag: declined
      {"price", "set", "BTC", "1", "--at", "x", "--at", "y"},      // repeated: declined
      {"price", "show"},
      {"price", "import", "prices.csv"},
      {"config", "apply", "new.toml", "--at", "2026-01-02"},
      {"config", "show", "--config", "a.toml"},
      {"report", "events", "--seq", "3"},                          // excludes --as-of, not given
      {"report", "events", "--seq", "3", "--as-of", "2026-01-02"}, // both: declined (CLI11 names them)
      {"open", "tom", "BTC", "long", "--collateral", "100", "--leverage", "5"},
      {"open", "tom", "BTC", "long", "--collateral", "100", "--leverage", "5", "--size", "400"},  // declined
      {"close", "7", "--size", "10", "--price", "65000"},
      {"deposit", "alice", "1000", "--at", "2026-01-01"},
      {"withdraw", "alice", "--shares", "5"},
      {"withdraw", "alice", "--all"},                              // flag: declined
      {"liquidate", "7", "9"},                                     // a list: declined
      {"verify", "--expect-head", "abc"},
      {"export", "--events", "out.jsonl"},                         // flag: declined
      {"completion", "zsh"},
      {"price"},                                                   // needs a subcommand: declined
      {"export", "++"},                    // CLI11 drops its "++" (no FILE): declined (found by fuzz.run_line)
      {"close", "7", "--size", "++"},      // not a value to CLI11: declined
  };
  auto quick = nexadex::cli::make_cli();
  auto full = nexadex::cli::make_cli();
  std::ostringstream sink;
  int taken = 0;
  // Twice through, so that each line also follows every other kind of line.
  for (int round = 0; round < 2; ++round) {
    for (const auto& words : lines) {
      INFO("line: " << join(words));
      const bool took = nexadex::cli::quick_parse(*quick, words);
      auto parsed = nexadex::cli::parse_command_line(*full, words, sink);
      if (!took) continue;
      ++taken;
      REQUIRE(parsed.has_value());
      CHECK(same_options(*quick, *full));
      CHECK(quick->path == full->path);
      // and a later full parse on the quick Cli starts clean
      auto again = nexadex::cli::parse_command_line(*quick, words, sink);
      REQUIRE(again.has_value());
      CHECK(same_options(*quick, *full));
    }
  }
  CHECK(taken == 2 * 15);
}
