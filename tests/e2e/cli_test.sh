# tests/e2e/cli_test.sh: --help on every command, --version, and the completion scripts.
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 --version
grep -Eq '^nexadex [0-9]+\.[0-9]+\.[0-9]+$' "$WORK/out" || fail "--version printed: $(cat "$WORK/out")"

for cmd in "" init config "config show" "config apply" price "price set" "price import" "price show" report verify \
           export run completion; do
  # shellcheck disable=SC2086
  expect_rc 0 $cmd --help
  grep -q "Usage" "$WORK/out" || fail "nexadex $cmd --help printed no usage"
  [ ! -s "$WORK/err" ] || fail "nexadex $cmd --help wrote to stderr: $(cat "$WORK/err")"
done

# --- completion ---------------------------------------------------------------------------------
# Each script is driven as its shell drives it: bash through COMP_WORDS/COMP_CWORD and the function
# itself; zsh through words/CURRENT, with compadd, _files and compset standing in for its completion
# system (they match what it would: the words that begin with the one under the cursor); fish through
# `complete -C`. A query is the words after 'nexadex', the last one under the cursor (a trailing
# blank puts it on a new word); the answer is what the script offers there, sorted, on one line.
# Expected answers come from the binary where they can: the options from each command's --help, the
# value lists from the parser's own refusal of a bad value, so the scripts must agree with the parser.
for shell in bash zsh fish; do
  expect_rc 0 completion "$shell"
  cp "$WORK/out" "comp.$shell"
  for c in init config price report verify export deposit withdraw open close liquidate insurance cascade \
           acknowledge run completion; do
    grep -q "$c" "comp.$shell" || fail "the $shell completion script does not mention $c"
  done
done
bash -n comp.bash || fail "the bash completion script does not parse"
bash -c 'source ./comp.bash; complete -p nexadex' >/dev/null ||
  fail "the bash completion script registers no completion for nexadex"

# answers SHELL < QUERIES: one answer line per query line.
answers() {
  case $1 in
    bash) bash -c '
      source ./comp.bash
      while IFS= read -r line; do
        read -ra w <<<"$line"
        [[ -z $line || $line == *" " ]] && w+=("")
        COMP_WORDS=(nexadex "${w[@]}") COMP_CWORD=${#w[@]} COMPREPLY=()
        _nexadex
        printf "%s\n" "$( ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd" ")"
      done' ;;
    zsh) zsh -f -c '
      compdef() { : }
      compadd() { local c; for c in "${(@P)2}"; do [[ $c == "$cur"* ]] && print -r -- "$c"; done }
      _files() { print -rl -- ${cur}*(N) }
      compset() { [[ $1 == -P ]] && cur=${cur#*=} }
      source ./comp.zsh
      while IFS= read -r line; do
        words=(nexadex ${=line})
        [[ -z $line || $line == *" " ]] && words+=("")
        CURRENT=${#words} cur=${words[-1]}
        print -r -- "$(_nexadex | sort | paste -sd" ")"
      done' ;;
    fish) fish --no-config -c '
      source ./comp.fish
      while read -l line
        echo (complete -C "nexadex $line" | string replace -r "\t.*" "" | sort | string join " ")
      end' ;;
  esac
}

# help_words SECTION WORDS...: the names that `nexadex WORDS... --help` lists under SECTION (Options
# or Subcommands), sorted, on one line.
help_words() {
  local section=$1
  shift
  "$NEXADEX" "$@" --help | sed -n "/^$section:/,/^\$/p" | awk '/^  [^ ]/ {print $1}' | tr ',' '\n' | sort |
    paste -sd' '
}

# union SET...: the words of the SETs (each a line of blank-separated words), sorted, on one line.
# minus SET WORD...: SET without the WORDs.
union() { printf '%s\n' "$@" | tr ' ' '\n' | awk NF | sort | paste -sd' '; }
minus() {
  local set=$1
  shift
  tr ' ' '\n' <<<"$set" | awk 'NR == FNR { drop[$0] = 1; next } NF && !($0 in drop)' <(printf '%s\n' "$@") - |
    sort | paste -sd' '
}

# parser_values ARGS...: the values the parser lists on refusing ARGS (a bad value), sorted.
parser_values() {
  expect_rc 1 "$@"
  local list
  list=$(sed -n 's/.* not in {\([^}]*\)}.*/\1/p' "$WORK/err")
  [ -n "$list" ] || fail "nexadex $* did not list the values it accepts: $(cat "$WORK/err")"
  union "$(tr ',' ' ' <<<"$list")"
}

QUERIES=()
EXPECTED=()
expect_offer() { QUERIES+=("$1"); EXPECTED+=("$2"); }

# Commands and options: every command offers its subcommands, and its own options and the global
# ones, each once (an answer with a word twice differs from the set expected); nothing else, so no
# option of another command, and neither the program's --version nor a second --help.
globals=$(minus "$(help_words Options)" --help -h --version)
expect_offer "" "$(help_words Subcommands)"
expect_offer "-" "$(help_words Options)"
commands=()
for top in $(help_words Subcommands); do
  commands+=("$top")
  for sub in $(help_words Subcommands "$top"); do commands+=("$top $sub"); done
done
for cmd in "${commands[@]}"; do
  read -ra words <<<"$cmd"
  subs=$(help_words Subcommands "${words[@]}")
  [ -z "$subs" ] || expect_offer "$cmd " "$subs"
  expect_offer "$cmd -" "$(union "$(help_words Options "${words[@]}")" "$globals")"
done
expect_offer "pr" "price"
expect_offer "verify --exp" "--expect-head"

# An option given is not offered again, nor those it rules out; one that collects values is.
report_opts=$(union "$(help_words Options report)" "$globals")
expect_offer "-q report -" "$(minus "$report_opts" --quiet -q)"
expect_offer "report --format json -" "$(minus "$report_opts" --format)"
expect_offer "--format json report --as-of 2026-01-01 -" "$(minus "$report_opts" --format --as-of --seq)"
withdraw_opts=$(union "$(help_words Options withdraw)" "$globals")
expect_offer "withdraw bob 10 -" "$(minus "$withdraw_opts" --shares --all)"
expect_offer "withdraw bob --all -" "$(minus "$withdraw_opts" --shares --all)"
export_opts=$(union "$(help_words Options export)" "$globals")
expect_offer "export --events -" "$(minus "$export_opts" --events --ledger)"
cascade_opts=$(union "$(help_words Options cascade)" "$globals")
expect_offer "cascade --shock BTC=-30% -" "$(minus "$cascade_opts" --loss --apply)"

# Values from the lists the parser checks.
kinds=$(parser_values report bogus)
expect_offer "report " "$kinds"
expect_offer "--journal j.db report " "$kinds"
expect_offer "report p" "points pool position positions"
formats=$(parser_values report --format bogus)
expect_offer "--format " "$formats"
expect_offer "report --format " "$formats"
expect_offer "--journal j.db report --format j" "json"
expect_offer "open alice BTC " "$(parser_values open alice BTC bogus --collateral 1)"
expect_offer "open alice BTC s" "short"
expect_offer "completion " "$(parser_values completion bogus)"
expect_offer "cascade --kind " "$(parser_values cascade --kind bogus)"
expect_offer "cascade --loss 5 --kind t" "trader-pnl"
expect_offer "deposit bob 10 --tranche " "$(parser_values deposit bob 10 --tranche bogus)"
expect_offer "withdraw bob --tranche " "$(parser_values withdraw bob --tranche bogus)"

# File names where a file is named, and nowhere else.
mkdir files
touch files/a.run files/b.csv files/c.toml
all_files="files/a.run files/b.csv files/c.toml"
for q in "run files/" "init --config files/" "config show --config files/" "config apply files/" \
         "price import files/" "export files/" "export --ledger files/" "report history --svg files/" \
         "--journal files/" "verify --journal files/" "deposit bob 10 --journal files/"; do
  expect_offer "$q" "$all_files"
done
expect_offer "run files/a" "files/a.run"
# Free text (names, amounts, times, shocks) is not completed.
for q in "deposit files/" "open alice files/" "price set files/" "report --at 2026" "cascade --reason x" \
         "cascade --shock BTC=-30% " "liquidate 7 files/"; do
  expect_offer "$q" ""
done

for shell in bash zsh fish; do
  if ! command -v "$shell" >/dev/null; then
    echo "skip: $shell is not installed, so its completion script is checked only for the commands it names"
    continue
  fi
  [ "$shell" = bash ] || "$shell" -n "comp.$shell" || fail "the $shell completion script does not parse"
  queries=("${QUERIES[@]}")
  expected=("${EXPECTED[@]}")
  # The --opt=value form: bash sees it split at the '=' (unless COMP_WORDBREAKS lacks it), zsh's
  # script strips the prefix with compset, fish's puts it back on each word.
  case $shell in
    bash) queries+=("report --format = " "report --format = j" "report --format=j" "report --svg=files/a")
          expected+=("$formats" "json" "--format=json" "--svg=files/a.run") ;;
    zsh) queries+=("report --format=j" "report --svg=files/a")
         expected+=("json" "files/a.run") ;;
    fish) queries+=("report --format=j" "report --svg=files/a")
          expected+=("--format=json" "--svg=files/a.run") ;;
  esac
  mapfile -t got < <(printf '%s\n' "${queries[@]}" | answers "$shell")
  [ "${#got[@]}" = "${#queries[@]}" ] || fail "$shell answered ${#got[@]} of ${#queries[@]} completion queries"
  for i in "${!queries[@]}"; do
    [ "${got[i]}" = "${expected[i]}" ] ||
      fail "$shell completes 'nexadex ${queries[i]}' with '${got[i]}', expected '${expected[i]}'"
  done
  echo "ok: $shell completion, ${#queries[@]} queries"
done
if command -v shellcheck >/dev/null; then
  shellcheck -s bash comp.bash || fail "shellcheck finds fault with the bash completion script"
else
  echo "skip: shellcheck is not installed, so the bash completion script is not linted"
fi
echo "ok: help, version, completion"
