// cli/commands.hpp: one function per command (cli/cmd_<command>.cpp) and the dispatcher.
#pragma once

#include <string>
#include <vector>

#include "cli/context.hpp"
#include "cli/options.hpp"

namespace nexadex::cli {

Status cmd_init(Context& ctx, const Options& o);
Status cmd_config_show(Context& ctx, const Options& o);
Status cmd_config_apply(Context& ctx, const Options& o);
Status cmd_price_set(Context& ctx, const Options& o);
Status cmd_price_import(Context& ctx, const Options& o);
Status cmd_price_show(Context& ctx, const Options& o);
Status cmd_report(Context& ctx, const Options& o);
Status cmd_verify(Context& ctx, const Options& o);
Status cmd_export(Context& ctx, const Options& o);
Status cmd_deposit(Context& ctx, const Options& o);
Status cmd_withdraw(Context& ctx, const Options& o);
Status cmd_open(Context& ctx, const Options& o);
Status cmd_close(Context& ctx, const Options& o);
Status cmd_liquidate(Context& ctx, const Options& o);
Status cmd_insurance_deposit(Context& ctx, const Options& o);
Status cmd_cascade(Context& ctx, const Options& o);
Status cmd_acknowledge(Context& ctx, const Options& o);
Status cmd_run(Context& ctx, const Options& o, Cli& cli);
Status cmd_completion(Context& ctx, const Options& o, const Cli& cli);

// Runs the command that `cli` has just parsed.
Status dispatch(Context& ctx, Cli& cli);

// Parses argv (or a batch line) into cli.opts, resetting every option first. A CLI11 parse error
// becomes ErrorKind::input; --help and --version print and return `handled`.
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
