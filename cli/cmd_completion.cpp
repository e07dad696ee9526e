// cli/cmd_completion.cpp: `completion bash|zsh|fish`, generated from the CLI11 tree and its value hints.
//
// Every script follows the same steps. It walks the words before the cursor to find the command they
// select, the positionals given, the options given (and those these rule out), and whether the last
// word is an option still waiting for its value. Then it offers, in this order: that option's values;
// the options still allowed, when the word begun starts with '-'; the subcommands; the values of the
// positional due next; the options still allowed. A value is offered from its list (the one CLI11
// checks, Cli::hints) or as a file name; free text (names, amounts, times) is not completed.
// tests/e2e/cli_test.sh drives the generated functions.
#include <algorithm>
#include <functional>
#include <map>

#include "cli/commands.hpp"

namespace nexadex::cli {
namespace {

enum class Takes { flag, text, file, list };

// An option or a positional, as completion sees it.
struct Arg {
  std::string id;                     // the option's first name (--quiet), or the positional's (WHAT)
  std::vector<std::string> names;     // an option's names, long then short: --quiet -q
  Takes takes = Takes::text;
  std::vector<std::string> values;    // Takes::list: in CLI11's order
  bool many = false;                  // one occurrence takes several words (--shock, liquidate's IDs)
  bool again = false;                 // may be given once more
  std::vector<std::string> excludes;  // ids of the options and positionals it rules out
};

struct Node {
  std::string path;                   // "nexadex", "nexadex price set"
  std::vector<std::string> subcommands;
  std::vector<Arg> options;           // its own; the globals are in Tree
  std::vector<Arg> positionals;       // in order
};

struct Tree {
  std::vector<Arg> globals;           // the program's options that hold under every command
  std::vector<Node> nodes;            // the program first, then depth first
};

Arg arg_of(const Cli& cli, const CLI::Option& opt) {
  Arg a;
  a.id = opt.get_name();
  for (const auto& l : opt.get_lnames()) a.names.push_back("--" + l);
  for (const auto& s : opt.get_snames()) a.names.push_back("-" + s);
  a.many = opt.get_expected_max() > 1;
  if (opt.get_expected_max() == 0) {
    a.takes = Takes::flag;
  } else if (const auto h = cli.hints.find(&opt); h != cli.hints.end()) {
    a.takes = h->second.kind == ValueKind::file ? Takes::file
              : h->second.kind == ValueKind::one_of ? Takes::list : Takes::text;
    a.values = h->second.choices;
  }
  // An option taking several values may be given again (CLI11 collects them); another may not.
  a.again = a.many && !opt.get_positional();
  // CLI11 records an exclusion on both options; its set is ordered by address, so sort the names.
  for (const CLI::Option* x : opt.get_excludes()) a.excludes.push_back(x->get_name());
  std::sort(a.excludes.begin(), a.excludes.end());
  return a;
}

Tree collect(const Cli& cli) {
  Tree tree;
  std::function<void(const CLI::App&, const std::string&)> walk = [&](const CLI::App& app, const std::string& path) {
    Node n;
    n.path = path;
    const bool top = app.get_parent() == nullptr;
    for (const CLI::Option* opt : app.get_options()) {
      Arg a = arg_of(cli, *opt);
      if (opt->get_positional()) n.positionals.push_back(std::move(a));
      else if (top && opt != app.get_help_ptr() && opt != app.get_version_ptr()) tree.globals.push_back(std::move(a));
      else n.options.push_back(std::move(a));
    }
    const auto subs = app.get_subcommands([](const CLI::App*) { return true; });
    for (const CLI::App* sub : subs) n.subcommands.push_back(sub->get_name());
    tree.nodes.push_back(std::move(n));
    for (const CLI::App* sub : subs) walk(*sub, path + " " + sub->get_name());
  };
  walk(*cli.app, "nexadex");
  return tree;
}

// A word as the shells read it: bare when it is plain, else single-quoted. `fish` escapes \ and '
// inside the quotes; bash and zsh close, escape and reopen them.
std::string quote(const std::string& w, bool fish = false) {
  const bool plain = !w.empty() && w.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                        "0123456789_-./:,+") == std::string::npos;
  if (plain) return w;
  std::string q = "'";
  for (const char c : w) {
    if (c == '\'') q += fish ? "\\'" : "'\\''";
    else if (c == '\\' && fish) q += "\\\\";
    else q += c;
  }
  return q + "'";
}

std::string words(const std::vector<std::string>& v, bool fish = false) {
  std::string s;
  for (const auto& w : v) s += (s.empty() ? "" : " ") + quote(w, fish);
  return s;
}

const char* takes_name(Takes t) {
  switch (t) {
    case Takes::flag: return "flag";
    case Takes::file: return "file";
    case Takes::list: return "list";
    case Takes::text: break;
  }
  return "text";
}

// The assignments that describe `a` in bash and zsh (see _nexadex_option).
std::string sh_describe(const Arg& a) {
  std::string s = "id=" + quote(a.id);
  if (a.takes != Takes::text) s += "; takes='" + std::string(takes_name(a.takes)) + "'";
  if (!a.values.empty()) s += "; values=(" + words(a.values) + ")";
  if (a.many) s += "; many=1";
  if (a.again) s += "; again=1";
  if (!a.excludes.empty()) s += "; excludes=(" + words(a.excludes) + ")";
  return s;
}

std::string case_label(const std::vector<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) s += (s.empty() ? "" : "|") + ("'" + k + "'");
  return s;
}

// Data and logic that bash and zsh share, written in the part of the language both read alike (no
// word splitting, no array indices). Names avoid zsh's completion parameters (words, path, ...).
void sh_core(std::ostream& out, const Tree& tree) {
  out << "# _nexadex_sub PATH WORD: succeeds when WORD is a subcommand of the command PATH.\n"
         "_nexadex_sub() {\n"
         "  case \"$1|$2\" in\n";
  for (const Node& n : tree.nodes) {
    std::vector<std::string> keys;
    for (const auto& s : n.subcommands) keys.push_back(n.path + "|" + s);
    if (!keys.empty()) out << "    " << case_label(keys) << ") return 0 ;;\n";
  }
  out << "  esac\n"
         "  return 1\n"
         "}\n\n";

  out << "# _nexadex_command PATH: sets subs (the subcommands of the command PATH) and names (the names of\n"
         "# its options, the global ones included).\n"
         "_nexadex_command() {\n"
         "  subs=() names=()\n"
         "  case $1 in\n";
  std::vector<std::string> global_names;
  for (const Arg& g : tree.globals) global_names.insert(global_names.end(), g.names.begin(), g.names.end());
  for (const Node& n : tree.nodes) {
    std::vector<std::string> names;
    for (const Arg& o : n.options) names.insert(names.end(), o.names.begin(), o.names.end());
    out << "    " << quote(n.path) << ")";
    if (!n.subcommands.empty()) out << " subs=(" << words(n.subcommands) << ");";
    out << " names=(" << words(names) << ") ;;\n";
  }
  out << "  esac\n"
         "  names+=(" << words(global_names) << ")\n"
         "}\n\n";

  out << "# _nexadex_option PATH NAME: describes the option NAME of the command PATH, else returns 1. Sets id\n"
         "# (the option's first name), takes (flag, text, file or list, the list in values), many (1: one\n"
         "# occurrence takes several words), again (1: it may be given again) and excludes (ids it rules out).\n"
         "_nexadex_option() {\n"
         "  takes=text values=() many=0 again=0 excludes=()\n"
         "  case \"$1|$2\" in\n";
  for (const Node& n : tree.nodes) {
    for (const Arg& o : n.options) {
      std::vector<std::string> keys;
      for (const auto& name : o.names) keys.push_back(n.path + "|" + name);
      out << "    " << case_label(keys) << ") " << sh_describe(o) << " ;;\n";
    }
  }
  out << "    *)\n"
         "      case $2 in\n";
  for (const Arg& g : tree.globals) out << "        " << case_label(g.names) << ") " << sh_describe(g) << " ;;\n";
  out << "        *) return 1 ;;\n"
         "      esac ;;\n"
         "  esac\n"
         "}\n\n";

  out << "# _nexadex_positional PATH N: describes the positional argument N (from 0) of the command PATH,\n"
         "# else returns 1; sets what _nexadex_option sets, id being its name.\n"
         "_nexadex_positional() {\n"
         "  takes=text values=() many=0 again=0 excludes=()\n"
         "  case \"$1|$2\" in\n";
  for (const Node& n : tree.nodes) {
    for (std::size_t i = 0; i < n.positionals.size(); ++i) {
      const Arg& p = n.positionals[i];
      // One that takes every remaining word answers for N and all above it.
      const std::string key = "'" + n.path + "|" + (p.many ? "'*" : std::to_string(i) + "'");
      out << "    " << key << ") " << sh_describe(p) << " ;;\n";
    }
  }
  out << "    *) return 1 ;;\n"
         "  esac\n"
         "}\n\n";

  out << R"(# _nexadex_given: records the option or positional just described as given.
_nexadex_given() {
  local x
  ((again)) || used+="$id "
  for x in "${excludes[@]}"; do used+="$x "; done
}

# _nexadex_scan WORD...: walks the words before the cursor. Sets cmdpath (the command they select),
# npos (how many positionals they give), used (the ids given or ruled out, each followed by a space),
# pending (the option whose value the next word is) and extra (an option of several values that has
# one and may take more, up to the next option).
_nexadex_scan() {
  local w id takes many again more=0
  local -a values excludes
  cmdpath=nexadex npos=0 used=' ' pending='' extra=''
  for w in "$@"; do
    if [[ -n $pending ]]; then
      [[ $w == '=' ]] && continue   # bash splits --opt=value at the '='
      ((more)) && extra=$pending
      pending=
      continue
    fi
    [[ -n $extra && $w != -?* ]] && continue
    extra=
    case $w in
      --?*=*)
        if _nexadex_option "$cmdpath" "${w%%=*}"; then
          _nexadex_given
          ((many)) && extra=${w%%=*}
        fi
        continue ;;
      -?*)
        if _nexadex_option "$cmdpath" "$w"; then
          _nexadex_given
          [[ $takes == flag ]] || { pending=$w; more=$many; }
        fi
        continue ;;
    esac
    if ((npos == 0)) && _nexadex_sub "$cmdpath" "$w"; then
      cmdpath="$cmdpath $w"
      continue
    fi
    _nexadex_positional "$cmdpath" "$npos" && _nexadex_given
    npos=$((npos + 1))
  done
}

# _nexadex_offer CUR: after _nexadex_scan, sets cands (the words that may stand at the cursor, whose
# word so far is CUR) and files (1: file names may stand there).
_nexadex_offer() {
  local id takes many again n
  local -a values excludes subs names
  cands=() files=0
  if [[ -n $pending ]]; then
    _nexadex_option "$cmdpath" "$pending"
  elif [[ -n $extra && $1 != -* ]]; then
    _nexadex_option "$cmdpath" "$extra"
  elif [[ $1 == --?*=* ]]; then
    _nexadex_option "$cmdpath" "${1%%=*}" || return 0
  else
    _nexadex_command "$cmdpath"
    if [[ $1 != -* ]]; then
      if ((npos == 0 && ${#subs[@]} > 0)); then cands=("${subs[@]}"); return 0; fi
      if _nexadex_positional "$cmdpath" "$npos" && [[ $used != *" $id "* ]]; then
        case $takes in
          list) cands=("${values[@]}"); return 0 ;;
          file) files=1; return 0 ;;
        esac
      fi
    fi
    for n in "${names[@]}"; do
      if _nexadex_option "$cmdpath" "$n" && [[ $used != *" $id "* ]]; then cands+=("$n"); fi
    done
    return 0
  fi
  # An option's value: from its list, a file name, or free text (nothing to offer).
  case $takes in
    list) cands=("${values[@]}") ;;
    file) files=1 ;;
  esac
}
)";
}

void bash(std::ostream& out, const Tree& tree) {
  out << "# bash completion for nexadex; load with: source <(nexadex completion bash)\n\n";
  sh_core(out, tree);
  out << R"(
_nexadex() {
  local cur=${COMP_WORDS[COMP_CWORD]} eq='' cmdpath npos used pending extra files
  local -a cands
  _nexadex_scan "${COMP_WORDS[@]:1:COMP_CWORD-1}"
  [[ -n $pending && $cur == '=' ]] && cur=   # the cursor right after --opt= (bash splits at the '=')
  _nexadex_offer "$cur"
  if [[ $cur == --?*=* ]]; then eq=${cur%%=*}=; cur=${cur#*=}; fi
  COMPREPLY=()
  ((${#cands[@]})) && mapfile -t COMPREPLY < <(compgen -W "${cands[*]}" -- "$cur")
  if ((files)); then
    compopt -o filenames 2>/dev/null
    mapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen -f -- "$cur")
  fi
  [[ -n $eq ]] && COMPREPLY=("${COMPREPLY[@]/#/$eq}")
  return 0
}
complete -F _nexadex nexadex
)";
}

void zsh(std::ostream& out, const Tree& tree) {
  out << "#compdef nexadex\n"
         "# zsh completion for nexadex; put in a directory of $fpath as _nexadex,\n"
         "# or: source <(nexadex completion zsh)\n\n";
  sh_core(out, tree);
  out << R"(
_nexadex() {
  local cmdpath npos used pending extra files
  local -a cands
  _nexadex_scan "${(@)words[2,CURRENT-1]}"
  _nexadex_offer "${words[CURRENT]}"
  [[ -z $pending && ${words[CURRENT]} == --?*=* ]] && compset -P '*='
  ((${#cands})) && compadd -a cands
  ((files)) && _files
  return 0
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _nexadex "$@"; else compdef _nexadex nexadex; fi
)";
}

// fish: the same steps as sh_core, in fish; the description functions set globals, fish having no
// dynamic scope.
std::string fish_describe(const Arg& a) {
  std::string s = "set -g __nexadex_id " + quote(a.id, true);
  if (a.takes != Takes::text) s += "; set -g __nexadex_takes " + std::string(takes_name(a.takes));
  if (!a.values.empty()) s += "; set -g __nexadex_values " + words(a.values, true);
  if (a.many) s += "; set -g __nexadex_many 1";
  if (a.again) s += "; set -g __nexadex_again 1";
  if (!a.excludes.empty()) s += "; set -g __nexadex_excludes " + words(a.excludes, true);
  return s;
}

std::string fish_case(const std::vector<std::string>& keys) {
  std::string s = "case";
  for (const auto& k : keys) s += " " + quote(k, true);
  return s;
}

void fish(std::ostream& out, const Tree& tree) {
  out << "# fish completion for nexadex; load with: nexadex completion fish | source\n\n";
  out << "# __nexadex_sub PATH WORD: succeeds when WORD is a subcommand of the command PATH.\n"
         "function __nexadex_sub\n"
         "    switch \"$argv[1]|$argv[2]\"\n";
  for (const Node& n : tree.nodes) {
    std::vector<std::string> keys;
    for (const auto& s : n.subcommands) keys.push_back(n.path + "|" + s);
    if (!keys.empty()) out << "        " << fish_case(keys) << "\n            return 0\n";
  }
  out << "    end\n"
         "    return 1\n"
         "end\n\n";

  out << "# __nexadex_command PATH: sets __nexadex_subs and __nexadex_names (its options' names, the global\n"
         "# ones included).\n"
         "function __nexadex_command\n"
         "    set -g __nexadex_subs\n"
         "    set -g __nexadex_names\n"
         "    switch $argv[1]\n";
  std::vector<std::string> global_names;
  for (const Arg& g : tree.globals) global_names.insert(global_names.end(), g.names.begin(), g.names.end());
  for (const Node& n : tree.nodes) {
    std::vector<std::string> names;
    for (const Arg& o : n.options) names.insert(names.end(), o.names.begin(), o.names.end());
    out << "        case " << quote(n.path, true) << "\n";
    if (!n.subcommands.empty()) out << "            set -g __nexadex_subs " << words(n.subcommands, true) << "\n";
    out << "            set -g __nexadex_names " << words(names, true) << "\n";
  }
  out << "    end\n"
         "    set -a __nexadex_names " << words(global_names, true) << "\n"
      << "end\n\n";

  out << "# __nexadex_option PATH NAME: describes the option NAME of the command PATH in __nexadex_id,\n"
         "# _takes, _values, _many, _again and _excludes (as the bash script's _nexadex_option), else returns 1.\n"
         "function __nexadex_option\n"
         "    __nexadex_reset\n"
         "    switch \"$argv[1]|$argv[2]\"\n";
  for (const Node& n : tree.nodes) {
    for (const Arg& o : n.options) {
      std::vector<std::string> keys;
      for (const auto& name : o.names) keys.push_back(n.path + "|" + name);
      out << "        " << fish_case(keys) << "\n"
          << "            " << fish_describe(o) << "\n";
    }
  }
  out << "        case '*'\n"
         "            switch $argv[2]\n";
  for (const Arg& g : tree.globals) {
    out << "                " << fish_case(g.names) << "\n"
        << "                    " << fish_describe(g) << "\n";
  }
  out << "                case '*'\n"
         "                    return 1\n"
         "            end\n"
         "    end\n"
         "end\n\n";

  out << "# __nexadex_positional PATH N: describes the positional argument N (from 0) of the command PATH,\n"
         "# else returns 1.\n"
         "function __nexadex_positional\n"
         "    __nexadex_reset\n"
         "    switch \"$argv[1]|$argv[2]\"\n";
  for (const Node& n : tree.nodes) {
    for (std::size_t i = 0; i < n.positionals.size(); ++i) {
      const Arg& p = n.positionals[i];
      const std::string key =
          p.many ? quote(n.path + "|", true) + "'*'" : quote(n.path + "|" + std::to_string(i), true);
      out << "        case " << key << "\n"
          << "            " << fish_describe(p) << "\n";
    }
  }
  out << "        case '*'\n"
         "            return 1\n"
         "    end\n"
         "end\n";

  out << R"(
function __nexadex_reset
    set -g __nexadex_id
    set -g __nexadex_takes text
    set -g __nexadex_values
    set -g __nexadex_many 0
    set -g __nexadex_again 0
    set -g __nexadex_excludes
end

# __nexadex_given: records the option or positional just described as given.
function __nexadex_given
    test $__nexadex_again = 1; or set -a __nexadex_used $__nexadex_id
    set -a __nexadex_used $__nexadex_excludes
end

# __nexadex_scan WORD...: walks the words before the cursor. Sets __nexadex_path (the command they
# select), _npos (how many positionals they give), _used (the ids given or ruled out), _pending (the
# option whose value the next word is) and _extra (an option of several values that has one and may
# take more, up to the next option).
function __nexadex_scan
    set -g __nexadex_path nexadex
    set -g __nexadex_npos 0
    set -g __nexadex_used
    set -g __nexadex_pending
    set -g __nexadex_extra
    set -l more 0
    for w in $argv
        if test -n "$__nexadex_pending"
            test $more = 1; and set -g __nexadex_extra $__nexadex_pending
            set -g __nexadex_pending
            continue
        end
        if test -n "$__nexadex_extra"; and not string match -qr -- '^-.' $w
            continue
        end
        set -g __nexadex_extra
        if string match -qr -- '^--[^=]+=' $w
            set -l name (string replace -r -- '=.*' '' $w)
            if __nexadex_option $__nexadex_path $name
                __nexadex_given
                test $__nexadex_many = 1; and set -g __nexadex_extra $name
            end
            continue
        else if string match -qr -- '^-.' $w
            if __nexadex_option $__nexadex_path $w
                __nexadex_given
                if test $__nexadex_takes != flag
                    set -g __nexadex_pending $w
                    set more $__nexadex_many
                end
            end
            continue
        end
        if test $__nexadex_npos = 0; and __nexadex_sub $__nexadex_path $w
            set -g __nexadex_path "$__nexadex_path $w"
            continue
        end
        __nexadex_positional $__nexadex_path $__nexadex_npos; and __nexadex_given
        set -g __nexadex_npos (math $__nexadex_npos + 1)
    end
end

# __nexadex_values PREFIX CUR: prints the values of the option just described (its list, or file names
# beginning with CUR), each after PREFIX.
function __nexadex_values
    switch $__nexadex_takes
        case list
            for v in $__nexadex_values
                printf '%s%s\n' $argv[1] $v
            end
        case file
            for p in (__fish_complete_path $argv[2])
                printf '%s%s\n' $argv[1] $p
            end
    end
end

# __nexadex_complete: prints the words that may stand at the cursor.
function __nexadex_complete
    set -l before (commandline -opc)
    set -l cur (commandline -ct)
    set -e before[1]
    __nexadex_scan $before
    if test -n "$__nexadex_pending"
        __nexadex_option $__nexadex_path $__nexadex_pending
        __nexadex_values '' $cur
    else if test -n "$__nexadex_extra"; and not string match -q -- '-*' $cur
        __nexadex_option $__nexadex_path $__nexadex_extra
        __nexadex_values '' $cur
    else if string match -qr -- '^--[^=]+=' $cur
        __nexadex_option $__nexadex_path (string replace -r -- '=.*' '' $cur); or return 0
        __nexadex_values (string replace -r -- '=.*' '=' $cur) (string replace -r -- '^[^=]*=' '' $cur)
    else
        __nexadex_command $__nexadex_path
        if not string match -q -- '-*' $cur
            if test $__nexadex_npos = 0; and set -q __nexadex_subs[1]
                printf '%s\n' $__nexadex_subs
                return 0
            end
            if __nexadex_positional $__nexadex_path $__nexadex_npos; and not contains -- $__nexadex_id $__nexadex_used
                if contains -- $__nexadex_takes list file
                    __nexadex_values '' $cur
                    return 0
                end
            end
        end
        for n in $__nexadex_names
            if __nexadex_option $__nexadex_path $n; and not contains -- $__nexadex_id $__nexadex_used
                printf '%s\n' $n
            end
        end
    end
end

complete -c nexadex -f -a '(__nexadex_complete)'
)";
}

struct CompletionArgs {
  std::string shell;   // SHELL
  bool operator==(const CompletionArgs&) const = default;
};

Status completion(Context& ctx, const CompletionArgs& a, const Cli& cli) {
  const Tree tree = collect(cli);
  if (a.shell == "bash") bash(ctx.out(), tree);
  else if (a.shell == "zsh") zsh(ctx.out(), tree);
  else fish(ctx.out(), tree);
  return {};
}

class Completion final : public CommandWith<CompletionArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("completion", "Print a shell completion script");
    one_of(cli, cmd->add_option("SHELL", m_args.shell, "bash, zsh or fish")->required(), {"bash", "zsh", "fish"});
    return cmd;
  }
  Status run(Context& ctx, const Options&, Cli& cli) override { return completion(ctx, m_args, cli); }
};

}  // namespace

std::unique_ptr<Command> make_completion_command() { return std::make_unique<Completion>(); }

}  // namespace nexadex::cli
