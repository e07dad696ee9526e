// tests/cli/man_test.cpp: man pages and README document every command, option and config key, nothing gone.
//
// In the spirit of ledger's CheckManpage: the CLI11 tree of make_cli() is walked, and every option must
// be written in bold (*--journal*, *-q*) on its command's page, and every bold option of a page must
// still exist; config keys likewise against nexadex.toml(5), event kinds and the schema against
// nexadex-journal(5); and README.md's command table must list every command, each only with options it
// has.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "cli/options.hpp"
#include "journal/schema.hpp"
#include "lib/config_keys.hpp"
#include "lib/event.hpp"

namespace {

namespace fs = std::filesystem;

const std::string k_man_dir = std::string(NEXADEX_SOURCE_DIR) + "/man/";
const std::string k_readme = std::string(NEXADEX_SOURCE_DIR) + "/README.md";
const std::string k_top_page = "nexadex.1.scd";
const std::string k_config_page = "nexadex.toml.5.scd";
const std::string k_journal_page = "nexadex-journal.5.scd";

// The page of a top-level command: `price set` -> nexadex-price.1.scd.
std::string page_of(const std::string& top) { return "nexadex-" + top + ".1.scd"; }

bool page_exists(const std::string& page) { return fs::is_regular_file(k_man_dir + page); }

// A file's bytes, or "" when it is missing (the callers report that).
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_page(const std::string& page) { return read_file(k_man_dir + page); }

bool has_bold(const std::string& text, const std::string& word) {
  return text.find("*" + word + "*") != std::string::npos;
}

// A command in bold, alone or leading a bold span: *nexadex price set*, or *nexadex config show* for
// the group `nexadex config`.
bool has_bold_command(const std::string& text, const std::string& command) {
  return has_bold(text, command) || text.find("*" + command + " ") != std::string::npos;
}

// Every bold word of `text` that `pattern` matches whole (group 1), e.g. *--expect-head*.
std::set<std::string> bold_matches(const std::string& text, const std::regex& pattern) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

const std::regex k_bold_option(R"(\*(--?[A-Za-z0-9][A-Za-z0-9-]*)\*)");
// A dotted config key in bold: *fees.split.lp_bps*, *markets[].symbol*.
const std::regex k_bold_key(R"(\*([a-z][a-z0-9_]*(?:\[\])?(?:\.[a-z][a-z0-9_]*(?:\[\])?)+)\*)");

// One node of the CLI11 tree: "" for the program itself, "price set" for a subcommand.
struct Command {
  std::string path;
  std::string top;   // the top-level command, "" for the program
  const CLI::App* app;
};

std::vector<Command> walk(const CLI::App& root) {
  std::vector<Command> out;
  std::function<void(const CLI::App&, const std::string&, const std::string&)> visit =
      [&](const CLI::App& app, const std::string& path, const std::string& top) {
        out.push_back({path, top, &app});
        for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
          const std::string sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
          visit(*sub, sub_path, top.empty() ? sub->get_name() : top);
        }
      };
  visit(root, "", "");
  return out;
}

// "--journal", "-q", ... of one command (positionals have no such names).
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& l : opt->get_lnames()) out.push_back("--" + l);
    for (const auto& s : opt->get_snames()) out.push_back("-" + s);
  }
  return out;
}

std::vector<std::string> positional_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional()) out.push_back(opt->get_name());
  }
  return out;
}

std::string display(const std::string& path) { return path.empty() ? "nexadex" : "nexadex " + path; }

std::string squeeze(const std::string& s) {
  std::string out;
  bool blank = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

template <std::size_t... I>
std::vector<std::string> kind_names(std::index_sequence<I...>) {
  return {std::string(nexadex::kind_name(nexadex::EventBody{std::variant_alternative_t<I, nexadex::EventBody>{}}))...};
}

// README.md's `## Commands` section, up to the next `## ` heading ("" when there is none).
std::string readme_commands_section(const std::string& readme) {
  const auto start = readme.find("\n## Commands\n");
  if (start == std::string::npos) return "";
  const auto end = readme.find("\n## ", start + 1);
  return readme.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The cells of a markdown table row, `\|` kept as a `|` inside its cell.
std::vector<std::string> table_cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (row[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  if (!cells.empty()) cells.erase(cells.begin());  // before the leading |
  return cells;
}

// The text of every fenced code block and `code span` of `text`, one after another.
std::string code_spans(const std::string& text) {
  static const std::regex code("```[^\n]*\n([\\s\\S]*?)```|`([^`\n]*)`");
  std::string out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), code); it != std::sregex_iterator(); ++it) {
    out += (*it)[(*it)[1].matched ? 1 : 2].str() + "\n";
  }
  return out;
}

// The options written in `code` (`--keeper NAME`, `[--as-of TIME \| --seq N]`), not the hyphens of a word
// such as `bad-debt`.
std::set<std::string> written_options(const std::string& code) {
  static const std::regex option(R"((?:^|[^A-Za-z0-9-])(--?[A-Za-z][A-Za-z0-9-]*))");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), option); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

struct Tree {
  std::unique_ptr<nexadex::cli::Cli> cli = nexadex::cli::make_cli();
  std::vector<Command> commands = walk(*cli->app);
  const Command& root() const { return commands.front(); }
  std::vector<std::string> globals() const { return option_names(*root().app); }
  // Every option of `top` and its subcommands.
  std::set<std::string> options_under(const std::string& top) const {
    std::set<std::string> out;
    for (const auto& c : commands) {
      if (c.top == top) {
        for (auto& n : option_names(*c.app)) out.insert(n);
      }
    }
    return out;
  }
  std::set<std::string> all_options() const {
    std::set<std::string> out;
    for (const auto& c : commands) {
      for (auto& n : option_names(*c.app)) out.insert(n);
    }
    return out;
  }
  std::set<std::string> tops() const {
    std::set<std::string> out;
    for (const auto& c : commands) {
      if (!c.top.empty()) out.insert(c.top);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("every command has its page and is listed in nexadex(1)", "[man]") {
  Tree t;
  REQUIRE(t.commands.size() > 1);
  REQUIRE(page_exists(k_top_page));
  const std::string top_page = read_page(k_top_page);
  for (const auto& c : t.commands) {
    if (c.path.empty()) continue;
    const std::string page = page_of(c.top);
    if (!page_exists(page)) {
      FAIL_CHECK("command '" << display(c.path) << "' has no man page: write man/" << page);
      continue;
    }
    if (!has_bold_command(top_page, display(c.path))) {
      FAIL_CHECK("man/" << k_top_page << " does not list the command '" << display(c.path) << "' (write it in bold: *"
                        << display(c.path) << "*)");
    }
    if (!has_bold_command(read_page(page), display(c.path))) {
      FAIL_CHECK("man/" << page << " does not show the command '" << display(c.path) << "' (write it in bold: *"
                        << display(c.path) << "*)");
    }
  }
  // A page of a command that is gone.
  const auto tops = t.tops();
  for (const auto& entry : fs::directory_iterator(k_man_dir)) {
    const std::string name = entry.path().filename().string();
    static const std::regex command_page(R"(nexadex-([a-z0-9-]+)\.1\.scd)");
    std::smatch m;
    if (std::regex_match(name, m, command_page) && !tops.count(m[1].str())) {
      FAIL_CHECK("man/" << name << " documents the command '" << m[1].str() << "', which nexadex does not have");
    }
  }
}

TEST_CASE("every option is documented in bold on its command's page", "[man]") {
  Tree t;
  std::size_t checked = 0;
  for (const auto& c : t.commands) {
    const std::string page = c.path.empty() ? k_top_page : page_of(c.top);
    if (!page_exists(page)) continue;  // reported by the test above
    const std::string text = read_page(page);
    for (const auto& name : option_names(*c.app)) {
      ++checked;
      if (!has_bold(text, name)) {
        FAIL_CHECK("man/" << page << " does not document the option " << name << " of '" << display(c.path)
                          << "' (write it in bold: *" << name << "*)");
      }
    }
    for (const auto& name : positional_names(*c.app)) {
      ++checked;
      if (text.find("_" + name + "_") == std::string::npos) {
        FAIL_CHECK("man/" << page << " does not document the argument " << name << " of '" << display(c.path)
                          << "' (write it underlined: _" << name << "_)");
      }
    }
  }
  // The global options hold on every command, so every command's page says so (--version is the
  // program's alone).
  for (const auto& top : t.tops()) {
    const std::string page = page_of(top);
    if (!page_exists(page)) continue;
    const std::string text = read_page(page);
    for (const auto& name : t.globals()) {
      if (name == "--version") continue;
      ++checked;
      if (!has_bold(text, name)) {
        FAIL_CHECK("man/" << page << " does not document the global option " << name << " (write it in bold: *" << name
                          << "*)");
      }
    }
  }
  CHECK(checked > 0);
}

TEST_CASE("every option a page documents still exists", "[man]") {
  Tree t;
  const auto globals = t.globals();
  const auto everywhere = t.all_options();
  for (const auto& top : t.tops()) {
    const std::string page = page_of(top);
    if (!page_exists(page)) continue;
    std::set<std::string> known = t.options_under(top);
    known.insert(globals.begin(), globals.end());
    for (const auto& name : bold_matches(read_page(page), k_bold_option)) {
      if (!known.count(name)) {
        FAIL_CHECK("man/" << page << " documents the option " << name << ", which neither 'nexadex " << top
                          << "' nor the global options have");
      }
    }
  }
  // The other pages may name any command's option, but only one that exists.
  for (const auto& entry : fs::directory_iterator(k_man_dir)) {
    const std::string name = entry.path().filename().string();
    const bool command_page = name.rfind("nexadex-", 0) == 0 && name.ends_with(".1.scd");
    if (entry.path().extension() != ".scd" || command_page) continue;
    for (const auto& option : bold_matches(read_page(name), k_bold_option)) {
      if (!everywhere.count(option)) {
        FAIL_CHECK("man/" << name << " documents the option " << option << ", which no nexadex command has");
      }
    }
  }
}

TEST_CASE("every page has the sections of STYLE.md and links only to pages that exist", "[man]") {
  static const char* k_sections[] = {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
                                     "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"};
  static const std::regex k_link(R"(\*(nexadex[a-z0-9.-]*)\*\(([1-8])\))");
  std::size_t pages = 0;
  for (const auto& entry : fs::directory_iterator(k_man_dir)) {
    if (entry.path().extension() != ".scd") continue;
    ++pages;
    const std::string name = entry.path().filename().string();
    const std::string text = read_page(name);
    for (const char* section : k_sections) {
      if (text.find("\n# " + std::string(section) + "\n") == std::string::npos) {
        FAIL_CHECK("man/" << name << " has no " << section << " section (a line '# " << section << "')");
      }
    }
    for (auto it = std::sregex_iterator(text.begin(), text.end(), k_link); it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[1].str() + "." + (*it)[2].str() + ".scd";
      if (!page_exists(target)) {
        FAIL_CHECK("man/" << name << " refers to " << (*it)[0].str() << " but there is no man/" << target);
      }
    }
  }
  CHECK(pages > 0);
}

TEST_CASE("every config key is documented in nexadex.toml(5), and only those", "[man]") {
  std::set<std::string> keys;
  for (const nexadex::ConfigKey& key : nexadex::config_keys()) keys.insert(key.path());
  REQUIRE(keys.count("markets[].symbol") == 1);
  REQUIRE(page_exists(k_config_page));
  const std::string text = read_page(k_config_page);
  for (const nexadex::ConfigKey& key : nexadex::config_keys()) {
    if (!has_bold(text, key.path())) {
      FAIL_CHECK("man/" << k_config_page << " does not document the config key " << key.path()
                        << " (write it in bold: *" << key.path() << "*, then its type, default, range and meaning: "
                        << key.doc << ")");
    }
  }
  for (const auto& key : bold_matches(text, k_bold_key)) {
    if (!keys.count(key)) {
      FAIL_CHECK("man/" << k_config_page << " documents the config key " << key << ", which the config does not have");
    }
  }
}

TEST_CASE("nexadex-journal(5) gives every event kind and the whole schema", "[man]") {
  REQUIRE(page_exists(k_journal_page));
  const std::string text = read_page(k_journal_page);
  const auto kinds = kind_names(std::make_index_sequence<std::variant_size_v<nexadex::EventBody>>{});
  for (const auto& kind : kinds) {
    if (!has_bold(text, kind)) {
      FAIL_CHECK("man/" << k_journal_page << " does not document the event kind " << kind << " (write it in bold: *"
                        << kind << "*)");
    }
  }
  char id[16];
  std::snprintf(id, sizeof id, "0x%08X", static_cast<unsigned>(nexadex::journal::k_application_id));
  CHECK(text.find(id) != std::string::npos);
  // Each statement of the schema, as journal/schema.hpp creates it (blanks squeezed).
  const std::string page = squeeze(text);
  const std::string sql = std::string(nexadex::journal::k_record_sql) + std::string(nexadex::journal::k_derived_sql) +
                          std::string(nexadex::journal::k_positions_sql) +
                          std::string(nexadex::journal::k_checkpoints_sql);
  std::size_t start = 0;
  int statements = 0;
  while (start < sql.size()) {
    auto end = sql.find(";\n", start);
    if (end == std::string::npos) end = sql.size();
    const std::string statement = squeeze(sql.substr(start, end - start));
    start = end + 2;
    if (statement.empty()) continue;
    ++statements;
    if (page.find(statement) == std::string::npos) {
      FAIL_CHECK("man/" << k_journal_page << " does not give the schema statement: " << statement.substr(0, 80));
    }
  }
  CHECK(statements > 0);
}

TEST_CASE("README's command table lists every command, and each only with options it has", "[man][readme]") {
  Tree t;
  const std::string section = readme_commands_section(read_file(k_readme));
  REQUIRE_FALSE(section.empty());  // README.md has a '## Commands' section
  std::map<std::string, const CLI::App*> by_path;
  for (const auto& c : t.commands) by_path[c.path] = c.app;
  const auto globals = t.globals();
  std::set<std::string> listed;   // command paths with a row
  std::istringstream lines(section);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("| `nexadex", 0) != 0) continue;  // the header, the rule, prose
    const auto cells = table_cells(line);
    REQUIRE(cells.size() >= 2);
    const std::string usage = code_spans(cells[0]);
    // The command is the longest run of subcommand names after `nexadex`: `nexadex price set MARKET
    // PRICE` is `price set`.
    std::istringstream words(usage.substr(std::string("nexadex").size()));
    const CLI::App* at = t.cli->app.get();
    std::string path, word, next;   // next: the word after the command, when there is one
    while (words >> word) {
      const auto subs = at->get_subcommands([&](const CLI::App* sub) { return sub->get_name() == word; });
      if (subs.empty()) {
        next = word;
        break;
      }
      at = subs.front();
      path = path.empty() ? word : path + " " + word;
    }
    if (path.empty()) {
      FAIL_CHECK("README.md's command table lists '" << usage.substr(0, usage.find('\n'))
                                                       << "', which is not a nexadex command");
      continue;
    }
    if (!at->get_subcommands([](const CLI::App*) { return true; }).empty()) {
      FAIL_CHECK("README.md's command table lists '" << display(path) << (next.empty() ? "" : " " + next) << "', but '"
                                                       << display(path) << "' needs one of its subcommands"
                                                       << (next.empty() ? "" : ", and " + next + " is none of them"));
      continue;
    }
    listed.insert(path);
    // The options of the row, in either cell, are the command's own or the global ones.
    std::set<std::string> known;
    for (auto& n : option_names(*at)) known.insert(n);
    known.insert(globals.begin(), globals.end());
    for (const auto& option : written_options(usage + code_spans(cells[1]))) {
      if (!known.count(option)) {
        FAIL_CHECK("README.md's command table gives '" << display(path) << "' the option " << option
                                                         << ", which it does not have");
      }
    }
  }
  for (const auto& c : t.commands) {
    if (c.path.empty()) continue;
    const bool has_row = std::any_of(listed.begin(), listed.end(), [&](const std::string& p) {
      return p == c.path || p.rfind(c.path + " ", 0) == 0;   // a group through its subcommands' rows
    });
    if (!has_row) {
      FAIL_CHECK("README.md's command table does not list '" << display(c.path) << "' (add a row: | `"
                                                               << display(c.path) << " ...` | what it does |)");
    }
  }
  // The section's prose names the global options, and any option it names exists.
  const std::string code = code_spans(section);
  const auto written = written_options(code);
  for (const auto& name : globals) {
    if (!written.count(name) && name != "-q" && name != "-h") {
      FAIL_CHECK("README.md's Commands section does not name the global option " << name << " (write it as `" << name
                                                                                  << "`)");
    }
  }
  const auto everywhere = t.all_options();
  for (const auto& option : written) {
    if (!everywhere.count(option)) {
      FAIL_CHECK("README.md's Commands section names the option " << option << ", which no nexadex command has");
    }
  }
}
