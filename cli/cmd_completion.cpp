// cli/cmd_completion.cpp: `completion bash|zsh|fish`, generated from the CLI11 tree itself.
#include <functional>
#include <map>

#include "cli/commands.hpp"

namespace nexadex::cli {
namespace {

struct Node {
  std::vector<std::string> subcommands;
  std::vector<std::string> options;   // long and short names, e.g. --journal, -q
};

// Command path ("" for the top, "price", "price set") -> its words.
std::map<std::string, Node> collect(const CLI::App& app) {
  std::map<std::string, Node> out;
  std::function<void(const CLI::App&, const std::string&)> walk = [&](const CLI::App& a, const std::string& path) {
    Node& n = out[path];
    for (const CLI::Option* opt : a.get_options()) {
      for (const auto& l : opt->get_lnames()) n.options.push_back("--" + l);
      for (const auto& s : opt->get_snames()) n.options.push_back("-" + s);
    }
    for (const CLI::App* sub : a.get_subcommands([](const CLI::App*) { return true; })) {
      n.subcommands.push_back(sub->get_name());
      walk(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
    }
  };
  walk(app, "");
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
  return s;
}

// The part bash and zsh share: find the command path among the words typed so far, then set
// `open`…`close` to the words that may follow it (its subcommands, its options and the globals).
void case_tables(std::ostream& out, const std::map<std::string, Node>& tree, const char* open, const char* close) {
  out << "    [[ $w == -* ]] && continue\n"
         "    case \"${cmdpath:+$cmdpath }$w\" in\n";
  for (const auto& [path, node] : tree) {
    if (!path.empty()) out << "      '" << path << "') cmdpath=\"" << path << "\" ;;\n";
  }
  out << "    esac\n"
         "  done\n"
         "  case \"$cmdpath\" in\n";
  const auto& globals = tree.at("").options;
  for (const auto& [path, node] : tree) {
    std::vector<std::string> words = node.subcommands;
    words.insert(words.end(), node.options.begin(), node.options.end());
    if (!path.empty()) words.insert(words.end(), globals.begin(), globals.end());
    out << "    '" << path << "') " << open << join(words) << close << " ;;\n";
  }
  out << "  esac\n";
}

void bash(std::ostream& out, const std::map<std::string, Node>& tree) {
  out << "# bash completion for nexadex; load with: source <(nexadex completion bash)\n"
         "_nexadex() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} cmdpath= w i choices\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=${COMP_WORDS[i]}\n";
  case_tables(out, tree, "choices=\"", "\"");
  out << "  COMPREPLY=($(compgen -W \"$choices\" -- \"$cur\"))\n"
         "  [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "}\n"
         "complete -F _nexadex nexadex\n";
}

void zsh(std::ostream& out, const std::map<std::string, Node>& tree) {
  out << "#compdef nexadex\n"
         "# zsh completion for nexadex; put in a directory of $fpath as _nexadex, or: source <(nexadex completion zsh)\n"
         "_nexadex() {\n"
         "  local cmdpath= w\n"
         "  local -a choices\n"
         "  for w in ${words[2,CURRENT-1]}; do\n";
  case_tables(out, tree, "choices=(", ")");
  out << "  compadd -a choices\n"
         "  _files\n"
         "}\n"
         "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _nexadex \"$@\"; else compdef _nexadex nexadex; fi\n";
}

void fish(std::ostream& out, const std::map<std::string, Node>& tree) {
  out << "# fish completion for nexadex; load with: nexadex completion fish | source\n";
  for (const auto& [path, node] : tree) {
    const std::string cond = path.empty() ? "__fish_use_subcommand"
                                          : "__fish_seen_subcommand_from " + path.substr(path.rfind(' ') + 1);
    for (const auto& sub : node.subcommands) {
      out << "complete -c nexadex -n '" << cond << "' -f -a " << sub << "\n";
    }
    for (const auto& opt : node.options) {
      if (opt.rfind("--", 0) == 0) out << "complete -c nexadex -n '" << cond << "' -l " << opt.substr(2) << "\n";
      else out << "complete -c nexadex -n '" << cond << "' -s " << opt.substr(1) << "\n";
    }
  }
}

}  // namespace

Status cmd_completion(Context& ctx, const Options& o, const CLI::App& app) {
  const auto tree = collect(app);
  if (o.shell == "bash") bash(ctx.out(), tree);
  else if (o.shell == "zsh") zsh(ctx.out(), tree);
  else fish(ctx.out(), tree);
  return {};
}

}  // namespace nexadex::cli
