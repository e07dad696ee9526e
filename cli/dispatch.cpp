// cli/dispatch.cpp: parsing a command line with the one CLI11 tree and running what it selects.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"

namespace nexadex::cli {

Result<Parsed> parse_command_line(Cli& cli, std::vector<std::string> args, std::ostream& out) {
  cli.opts = Options{};
  cli.app->clear();
  std::reverse(args.begin(), args.end());  // CLI11 takes the words last first
  try {
    cli.app->parse(args);
  } catch (const CLI::CallForHelp&) {
    const auto path = selected_command(*cli.app);
    const CLI::App* sub = cli.app.get();
    for (const auto& name : path) sub = sub->get_subcommand(name);
    out << sub->help();
    return Parsed::handled;
  } catch (const CLI::CallForAllHelp&) {
    out << cli.app->help("", CLI::AppFormatMode::All);
    return Parsed::handled;
  } catch (const CLI::CallForVersion&) {
    out << "nexadex " NEXADEX_VERSION "\n";
    return Parsed::handled;
  } catch (const CLI::RequiredError& e) {
    if (cli.app->get_subcommands().empty()) {
      return input_error("no command given; run 'nexadex --help' for the list of commands.");
    }
    return input_error(std::string(e.what()) + "; see --help.");
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (!what.empty() && what.back() == '.') what.pop_back();
    return input_error(what + "; see --help.");
  }
  return Parsed::command;
}

Status dispatch(Context& ctx, Cli& cli) {
  const auto path = selected_command(*cli.app);
  const Options& o = cli.opts;
  const std::string cmd = path.empty() ? "" : path[0];
  const std::string sub = path.size() > 1 ? path[1] : "";
  if (cmd == "init") return cmd_init(ctx, o);
  if (cmd == "config" && sub == "show") return cmd_config_show(ctx, o);
  if (cmd == "config" && sub == "apply") return cmd_config_apply(ctx, o);
  if (cmd == "price" && sub == "set") return cmd_price_set(ctx, o);
  if (cmd == "price" && sub == "import") return cmd_price_import(ctx, o);
  if (cmd == "price" && sub == "show") return cmd_price_show(ctx, o);
  if (cmd == "report") return cmd_report(ctx, o);
  if (cmd == "verify") return cmd_verify(ctx, o);
  if (cmd == "export") return cmd_export(ctx, o);
  if (cmd == "run") return cmd_run(ctx, o, cli);
  if (cmd == "completion") return cmd_completion(ctx, o, *cli.app);
  return input_error("no command given; run 'nexadex --help' for the list of commands.");
}

Result<std::string> read_input(const std::string& path, std::string_view what) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return input_error("cannot read " + std::string(what) + " " + path + ": " + std::strerror(errno) +
                       "; check the path.");
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return input_error("cannot read " + std::string(what) + " " + path + "; check the file.");
  return text;
}

}  // namespace nexadex::cli
