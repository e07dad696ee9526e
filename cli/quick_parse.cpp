// cli/quick_parse.cpp: the fast path for batch lines in the plain forms (subcommand words, then
// positionals and `--option VALUE` pairs). It walks the same CLI11 tree and hands every value to
// CLI11's own Option objects (add_result, then run_callback: CLI11's validators and conversions),
// so it cannot disagree with CLI11 about names or values; any other form (flags, short options,
// --opt=value, --help, CLI11's "++", a missing or repeated value, two options that exclude each
// other, one without an option it needs) falls back to the full CLI11 parser. A `run` line costs about as much as
// appending its event this way; CLI11's general parser costs three times that.
// tests/cli/quick_parse_test.cpp checks that both parsers give the same options for every command form.
#include <map>

#include "cli/commands.hpp"

namespace nexadex::cli {

struct QuickIndex {
  struct Node {
    CLI::App* app = nullptr;
    std::map<std::string, Node*, std::less<>> subcommands;
    std::map<std::string, CLI::Option*, std::less<>> options;  // its own and its ancestors' long options
    std::vector<CLI::Option*> positionals;
    bool needs_subcommand = false;
  };
  std::vector<std::unique_ptr<Node>> nodes;
  Node* root = nullptr;

  Node* build(CLI::App* app, const Node* parent) {
    auto node = std::make_unique<Node>();
    Node* n = node.get();
    nodes.push_back(std::move(node));
    n->app = app;
    if (parent) n->options = parent->options;
    n->needs_subcommand = app->get_require_subcommand_min() > 0;
    for (CLI::Option* opt : app->get_options()) {
      if (opt->get_positional()) {
        n->positionals.push_back(opt);
        continue;
      }
      for (const auto& l : opt->get_lnames()) n->options[l] = opt;
    }
    for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
      n->subcommands[sub->get_name()] = build(sub, n);
    }
    return n;
  }
};

// CLI11 ends a subcommand's arguments at "++" and drops the word; it is never a value.
constexpr std::string_view k_subcommand_terminator = "++";

Cli::Cli() = default;
Cli::~Cli() = default;

// Parses `words` into cli.opts, or returns false (having changed nothing that a full parse would not
// reset) when the line needs CLI11's parser.
bool quick_parse(Cli& cli, const std::vector<std::string>& words) {
  if (!cli.index) {
    cli.index = std::make_unique<QuickIndex>();
    cli.index->root = cli.index->build(cli.app.get(), nullptr);
  }
  QuickIndex::Node* node = cli.index->root;
  std::size_t i = 0;
  std::vector<std::string> path;
  while (i < words.size()) {
    auto it = node->subcommands.find(words[i]);
    if (it == node->subcommands.end()) break;
    node = it->second;
    path.push_back(words[i++]);
  }
  if (path.empty() || node->needs_subcommand) return false;
  std::vector<std::pair<CLI::Option*, const std::string*>> values;
  std::size_t next_positional = 0;
  for (; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() > 2 && w[0] == '-' && w[1] == '-') {
      auto it = node->options.find(std::string_view(w).substr(2));
      if (it == node->options.end()) return false;
      CLI::Option* opt = it->second;
      if (opt->get_expected_min() != 1 || opt->get_expected_max() != 1 || i + 1 >= words.size()) return false;
      const std::string& v = words[++i];
      if ((!v.empty() && v[0] == '-') || v == k_subcommand_terminator) return false;
      values.emplace_back(opt, &v);
    } else if ((!w.empty() && w[0] == '-') || w == k_subcommand_terminator) {
      return false;
    } else {
      if (next_positional >= node->positionals.size()) return false;
      CLI::Option* opt = node->positionals[next_positional++];
      if (opt->get_expected_max() != 1) return false;
      values.emplace_back(opt, &w);
    }
  }
  for (std::size_t a = 0; a < values.size(); ++a) {
    for (std::size_t b = a + 1; b < values.size(); ++b) {
      if (values[a].first == values[b].first) return false;  // repeated: CLI11 decides
    }
  }
  const auto given = [&](const CLI::Option* opt) {
    for (const auto& [o, v] : values) {
      if (o == opt) return true;
    }
    return false;
  };
  for (const auto& [opt, v] : values) {
    for (const CLI::Option* other : opt->get_excludes()) {
      if (given(other)) return false;  // CLI11 names the conflict
    }
    for (const CLI::Option* other : opt->get_needs()) {
      if (!given(other)) return false;
    }
  }
  for (CLI::Option* opt : node->positionals) {
    if (!opt->get_required()) continue;
    bool given = false;
    for (const auto& [o, v] : values) given = given || o == opt;
    if (!given) return false;
  }
  for (const auto& [name, opt] : node->options) {
    if (!opt->get_required()) continue;
    bool given = false;
    for (const auto& [o, v] : values) given = given || o == opt;
    if (!given) return false;
  }

  // Reset what the previous line set, then hand the values to CLI11's options.
  if (cli.app_dirty) {
    cli.app->clear();
    cli.app_dirty = false;
  }
  for (CLI::Option* opt : cli.touched) opt->clear();
  cli.touched.clear();
  cli.reset_options();
  try {
    for (const auto& [opt, v] : values) {
      cli.touched.push_back(opt);
      opt->add_result(*v);
      opt->run_callback();
    }
  } catch (const CLI::ParseError&) {
    return false;  // a validator refused: the full parser gives CLI11's own message
  }
  cli.path = std::move(path);
  return true;
}

}  // namespace nexadex::cli
