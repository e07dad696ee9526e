// cli/command.hpp: what a command is to the rest of cli/: its CLI11 subcommand (options, positionals
// and help text), the option values that subcommand fills in, and its handler. Each command is one
// file, cli/cmd_<command>.cpp, listed once in the table of cli/command_table.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/options.hpp"

namespace nexadex::cli {

class Command {
 public:
  virtual ~Command() = default;
  // Adds the command's subcommand (with its own subcommands, if any) to `app`, binding every option to
  // this object, and records completion hints in `cli`. Returns the subcommand added.
  virtual CLI::App* add(CLI::App& app, Cli& cli) = 0;
  // Puts every option this command binds back to its default (before each parse).
  virtual void reset() = 0;
  // Whether `other`, the same command in another Cli, holds the same option values (tests compare
  // the batch fast path with CLI11's parser through it).
  virtual bool same_options(const Command& other) const = 0;
  // Runs the command the last parse selected (cli.path: e.g. {"price", "set"}); `o` holds the global
  // options.
  virtual Status run(Context& ctx, const Options& o, Cli& cli) = 0;
};

// A command whose option values are one struct `Args`, default-constructible and comparable (`==`).
template <class Args>
class CommandWith : public Command {
 public:
  void reset() override { m_args = Args{}; }
  bool same_options(const Command& other) const override {
    const auto* same = dynamic_cast<const CommandWith*>(&other);
    return same != nullptr && same->m_args == m_args;
  }

 protected:
  Args m_args;
};

// The table: every command, in the order `nexadex --help` lists them (cli/command_table.cpp).
std::vector<std::unique_ptr<Command>> make_commands();

// Restricts `opt` to `values` (CLI11's IsMember) and records the same list for shell completion, so
// that completion offers exactly what the parser accepts. Returns `opt`.
CLI::Option* one_of(Cli& cli, CLI::Option* opt, std::vector<std::string> values);
// Marks `opt` as naming a file (to read or to write), for shell completion. Returns `opt`.
CLI::Option* file(Cli& cli, CLI::Option* opt);

}  // namespace nexadex::cli
