// tests/cli/same_options.hpp: whether two Clis hold the same option values, the global ones and every
// command's own (the quick parser's test and its fuzz target compare it with CLI11's full parse).
#pragma once

#include "cli/commands.hpp"

namespace nexadex::cli::testing {

inline bool same_options(const Cli& a, const Cli& b) {
  if (!(a.opts == b.opts) || a.commands.size() != b.commands.size()) return false;
  for (std::size_t i = 0; i < a.commands.size(); ++i) {
    if (!a.commands[i].command->same_options(*b.commands[i].command)) return false;
  }
  return true;
}

}  // namespace nexadex::cli::testing
