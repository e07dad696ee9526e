// cli/command_table.cpp: the one table of commands. Adding a command is its file cli/cmd_<command>.cpp
// (options, help text, handler, and the factory named here), its man page and one line in each list
// below; no other file lists the commands (app.cpp, dispatch() and completion walk this table).
#include "cli/command.hpp"

namespace nexadex::cli {

// The factories, one per file cli/cmd_<command>.cpp.
std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_config_command();
std::unique_ptr<Command> make_price_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_verify_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_deposit_command();
std::unique_ptr<Command> make_withdraw_command();
std::unique_ptr<Command> make_claim_command();
std::unique_ptr<Command> make_open_command();
std::unique_ptr<Command> make_close_command();
std::unique_ptr<Command> make_liquidate_command();
std::unique_ptr<Command> make_insurance_command();
std::unique_ptr<Command> make_cascade_command();
std::unique_ptr<Command> make_acknowledge_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_completion_command();

std::vector<std::unique_ptr<Command>> make_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  for (auto* make : {
           make_init_command,
           make_config_command,
           make_price_command,
           make_report_command,
           make_verify_command,
           make_export_command,
           make_deposit_command,
           make_withdraw_command,
           make_claim_command,
           make_open_command,
           make_close_command,
           make_liquidate_command,
           make_insurance_command,
           make_cascade_command,
           make_acknowledge_command,
           make_run_command,
           make_completion_command,
       }) {
    commands.push_back(make());
  }
  return commands;
}

}  // namespace nexadex::cli
