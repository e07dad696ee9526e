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

# bash: the script parses, registers a completion, and completes commands and options.
expect_rc 0 completion bash
cp "$WORK/out" comp.bash
bash -n comp.bash || fail "the bash completion script does not parse"
words=$(bash -c 'source comp.bash; complete -p nexadex >/dev/null || exit 9
  COMP_WORDS=(nexadex pr); COMP_CWORD=1; _nexadex; echo "${COMPREPLY[*]}"
  COMP_WORDS=(nexadex price ""); COMP_CWORD=2; _nexadex; echo "${COMPREPLY[*]}"
  COMP_WORDS=(nexadex verify --exp); COMP_CWORD=2; _nexadex; echo "${COMPREPLY[*]}"')
[ "$(echo "$words" | sed -n 1p)" = "price" ] || fail "bash completion of 'pr' gave: $(echo "$words" | sed -n 1p)"
echo "$words" | sed -n 2p | grep -qw set || fail "bash completion after 'price' lacks set: $words"
echo "$words" | sed -n 2p | grep -qw import || fail "bash completion after 'price' lacks import: $words"
[ "$(echo "$words" | sed -n 3p)" = "--expect-head" ] || fail "bash completion of 'verify --exp' gave: $(echo "$words" | sed -n 3p)"

# zsh and fish: the scripts name every command; checked for syntax when the shell is installed.
for shell in zsh fish; do
  expect_rc 0 completion "$shell"
  for c in init config price report verify export run completion; do
    grep -q "$c" "$WORK/out" || fail "the $shell completion script does not mention $c"
  done
  if command -v "$shell" >/dev/null; then "$shell" -n "$WORK/out" || fail "the $shell completion script does not parse"; fi
done
echo "ok: help, version, completion"
