// cli/commands.hpp: what the command files share: parsing a command line, running what it selected,
// reading an input file, splitting a batch line.
#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/context.hpp"
#include "cli/options.hpp"

namespace nexadex::cli {

// Runs the command that `cli` has just parsed (its entry of the table).
Status dispatch(Context& ctx, Cli& cli);

// Parses argv (or a batch line) into cli.opts and each command's options, resetting every option
// first. A CLI11 parse error becomes ErrorKind::input; --help and --version print and return `handled`.
enum class Parsed { command, handled };
Result<Parsed> parse_command_line(Cli& cli, std::vector<std::string> args, std::ostream& out);

// The fast path for batch lines: parses `words` through CLI11's own options when they are in the
// plain forms, else returns false and the caller uses parse_command_line (cli/quick_parse.cpp).
bool quick_parse(Cli& cli, const std::vector<std::string>& words);

// Reads a whole file, or standard input for "-" (input error naming `what` when it cannot).
Result<std::string> read_input(const std::string& path, std::string_view what);

// Splits a batch line into words: blanks separate, '…' and "…" quote, \ escapes, # starts a comment.
Result<std::vector<std::string>> tokenize(std::string_view line);

}  // namespace nexadex::cli
