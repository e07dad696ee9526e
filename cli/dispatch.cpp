// cli/dispatch.cpp: parsing a command line with the one CLI11 tree and running what it selects.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include <sys/stat.h>

#include "cli/commands.hpp"

namespace nexadex::cli {

Result<Parsed> parse_command_line(Cli& cli, std::vector<std::string> args, std::ostream& out) {
  for (CLI::Option* opt : cli.touched) opt->clear();
  cli.touched.clear();
  cli.reset_options();
  cli.app->clear();
  cli.app_dirty = true;
  cli.path.clear();
  const std::vector<std::string> words = args;
  std::reverse(args.begin(), args.end());  // CLI11 takes the words last first, and consumes them
  try {
    cli.app->parse(args);
  } catch (const CLI::CallForHelp&) {
    const auto path = selected_command(*cli.app);
    const CLI::App* sub = cli.app.get();
    std::string prefix = path.empty() ? "" : "nexadex";
    for (std::size_t i = 0; i < path.size(); ++i) {
      sub = sub->get_subcommand(path[i]);
      if (i + 1 < path.size()) prefix += " " + path[i];
    }
    out << sub->help(prefix);
    return Parsed::handled;
  } catch (const CLI::CallForAllHelp&) {
    out << cli.app->help("", CLI::AppFormatMode::All);
    return Parsed::handled;
  } catch (const CLI::CallForVersion&) {
    out << "nexadex " NEXADEX_VERSION "\n";
    return Parsed::handled;
  } catch (const CLI::ParseError& e) {
    // Name the command the error is about and where its help is, in one sentence.
    std::string path;
    for (const auto& p : selected_command(*cli.app)) path += (path.empty() ? "" : " ") + p;
    std::string what = e.what();
    if (!what.empty() && what.back() == '.') what.pop_back();
    if (!what.empty() && what[0] >= 'A' && what[0] <= 'Z' && (what.size() < 2 || what[1] < 'A' || what[1] > 'Z')) {
      what[0] = static_cast<char>(what[0] - 'A' + 'a');
    }
    // The first word after the command path that is neither an option nor an option's value.
    const CLI::App* at = cli.app.get();
    for (const auto& p : selected_command(*cli.app)) at = at->get_subcommand(p);
    std::string stray, stray_option;
    {
      static const std::set<std::string> k_valued = {"--journal", "--format", "--at"};
      std::size_t skip = selected_command(*cli.app).size();
      for (auto it = words.begin(); it != words.end(); ++it) {
        if (k_valued.count(*it)) {
          if (std::next(it) != words.end()) ++it;
          continue;
        }
        if (!it->empty() && (*it)[0] == '-') {
          if (stray_option.empty() && it->rfind("--help", 0) != 0) stray_option = *it;
          continue;
        }
        if (skip > 0) {
          --skip;
          continue;
        }
        stray = *it;
        break;
      }
    }
    const bool wants_subcommand = at->get_require_subcommand_min() > 0 && at->get_subcommands().empty();
    if (wants_subcommand && !stray.empty()) {
      std::string subs;
      for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; })) {
        subs += (subs.empty() ? "" : ", ") + s->get_name();
      }
      if (path.empty()) {
        return input_error("unknown command '" + stray + "'; run 'nexadex --help' for the list of commands.");
      }
      return input_error(path + ": unknown subcommand '" + stray + "'; use one of " + subs + ".");
    }
    if (path.empty()) {
      if (!stray_option.empty() && dynamic_cast<const CLI::RequiredError*>(&e)) {
        return input_error("unknown option '" + stray_option + "' and no command given; run 'nexadex --help'.");
      }
      if (dynamic_cast<const CLI::RequiredError*>(&e) && cli.app->get_subcommands().empty()) {
        return input_error("no command given; run 'nexadex --help' for the list of commands.");
      }
      return input_error(what + "; see 'nexadex --help'.");
    }
    return input_error(path + ": " + what + "; see 'nexadex " + path + " --help'.");
  }
  cli.path = selected_command(*cli.app);
  return Parsed::command;
}

Status dispatch(Context& ctx, Cli& cli) {
  Command* command = cli.path.empty() ? nullptr : cli.command(cli.path.front());
  if (command == nullptr) return input_error("no command given; run 'nexadex --help' for the list of commands.");
  return command->run(ctx, cli.opts, cli);
}

Result<std::string> read_input(const std::string& path, std::string_view what) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return input_error(path + " is a directory, not a " + std::string(what) + "; give the path of a file.");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return input_error("cannot read " + std::string(what) + " " + path + ": " + std::strerror(errno) +
                       "; check the path.");
  }
  std::ostringstream text;
  text << in.rdbuf();  // one bulk copy (istreambuf_iterator goes a character at a time)
  if (in.bad()) return input_error("cannot read " + std::string(what) + " " + path + "; check the file.");
  return std::move(text).str();
}

}  // namespace nexadex::cli
