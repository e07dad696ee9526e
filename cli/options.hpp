// cli/options.hpp: the global options every command line can give, and the parser: the CLI11 tree
// of make_cli() with each command's own options (cli/command.hpp).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace nexadex::cli {

// The global options (before or after the subcommand, SPEC §10); absent and empty are different
// things. A command's own options live in its file, cli/cmd_<command>.cpp.
struct Options {
  std::optional<std::string> journal;
  std::optional<std::string> format;
  std::optional<std::string> at;
  bool quiet = false;
  bool operator==(const Options&) const = default;
};

// What the value of an option or positional can be, for shell completion (cli/cmd_completion.cpp).
enum class ValueKind { text, file, one_of };  // text: free (names, amounts, times), not completed
struct ValueHint {
  ValueKind kind = ValueKind::text;
  std::vector<std::string> choices;  // one_of: exactly the values CLI11's IsMember check accepts, in order
};

class Command;     // cli/command.hpp
struct QuickIndex;  // cli/quick_parse.cpp

// A command of the table and the CLI11 subcommand it added.
struct Registered {
  CLI::App* app;
  std::unique_ptr<Command> command;
};

// The command line's parser. Built once; parse_command_line() may be called again for each line of a
// batch.
struct Cli {
  Cli();
  ~Cli();
  std::unique_ptr<CLI::App> app;
  Options opts;
  std::vector<Registered> commands;       // the table's (cli/command_table.cpp), in its order
  std::vector<std::string> path;          // the command the last parse selected, e.g. {"price", "set"}
  // Batch lines in plain forms skip CLI11's parser (cli/quick_parse.cpp); these track what it touched.
  std::vector<CLI::Option*> touched;
  bool app_dirty = false;                 // CLI11's own parser ran since the last clear()
  std::unique_ptr<QuickIndex> index;
  // The options and positionals whose values completion can offer (absent: free text), filled in by
  // make_cli() from the same lists as the CLI11 checks.
  std::map<const CLI::Option*, ValueHint> hints;

  // Puts every option, global and each command's, back to its default.
  void reset_options();
  // The command named `name` (the first word of a path), or nullptr.
  Command* command(const std::string& name) const;
};

// Builds the whole CLI11 tree; every option is bound to `opts` or to its command (so a Cli must not
// move).
std::unique_ptr<Cli> make_cli();

// The selected command path, e.g. {"price", "set"}; empty when no subcommand was given.
std::vector<std::string> selected_command(const CLI::App& app);

}  // namespace nexadex::cli
