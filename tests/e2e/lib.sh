# tests/e2e/lib.sh: shared helpers for the end-to-end suites. Each suite is run by CTest as
#   bash tests/e2e/NAME_test.sh /path/to/nexadex /path/to/source
# and exits non-zero on the first failed expectation, printing what differed.
set -euo pipefail
NEXADEX=${1:?path to the nexadex binary}
SRC=${2:?path to the source tree}
export TZ=UTC LC_ALL=C
unset NEXADEX_JOURNAL NEXADEX_FORMAT
export NEXADEX_NOW=2026-01-01T00:00:00Z
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nexadex-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

# nx ARGS...: runs nexadex, capturing stdout in $WORK/out, stderr in $WORK/err and the status in $rc.
# A verify is run twice: on its threads (the default) and on one (NEXADEX_THREADS=1), which must print
# the same and exit the same (journal/verify.cpp reads ahead on other threads, findings unchanged).
nx() {
  set +e
  "$NEXADEX" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  if [[ " $* " == *" verify "* ]] && [ -z "${NEXADEX_THREADS+set}" ]; then
    NEXADEX_THREADS=1 "$NEXADEX" "$@" >"$WORK/out.1" 2>"$WORK/err.1"
    local rc1=$?
    if [ "$rc1" != "$rc" ] || ! cmp -s "$WORK/out" "$WORK/out.1" || ! cmp -s "$WORK/err" "$WORK/err.1"; then
      fail "nexadex $* differs on one thread: exit $rc1 vs $rc; $(diff "$WORK/out" "$WORK/out.1"; diff "$WORK/err" "$WORK/err.1")"
    fi
  fi
  set -e
}

# expect_rc N ARGS...: runs nexadex and requires exit status N.
expect_rc() {
  local want=$1; shift
  nx "$@"
  [ "$rc" = "$want" ] || fail "nexadex $* exited $rc, expected $want; stderr: $(cat "$WORK/err")"
}

# expect_error N PATTERN ARGS...: exit status N and exactly one stderr line matching PATTERN (grep -E).
expect_error() {
  local want=$1 pattern=$2; shift 2
  expect_rc "$want" "$@"
  [ "$(wc -l <"$WORK/err")" = 1 ] || fail "nexadex $* wrote $(wc -l <"$WORK/err") stderr lines, expected 1: $(cat "$WORK/err")"
  grep -Eq -- "$pattern" "$WORK/err" || fail "nexadex $* stderr does not match /$pattern/: $(cat "$WORK/err")"
}

# unchanged FILE CMD...: runs CMD and requires FILE byte-for-byte unchanged.
checksum() { sha256sum "$1" | cut -d' ' -f1; }

minimal_config() {
  cat >"$WORK/${1:-config.toml}" <<'TOML'
[pool]
max_price_age = "5m"

[[markets]]
symbol = "BTC"

[[markets]]
symbol = "ETH"
TOML
}

# --- helpers of the anomaly suites (tamper, foreign, time, crash, concurrency, bad_input) ---

# head_seq JOURNAL: prints the journal's head seq (from `report --format json`); fails the suite when
# the journal cannot be read.
head_seq() {
  local json
  json=$("$NEXADEX" report --format json --journal "$1" 2>"$WORK/head_seq.err") ||
    fail "report on $1 failed: $(cat "$WORK/head_seq.err")"
  printf '%s\n' "$json" | sed -n 's/^ *"head_seq": *\([0-9][0-9]*\),*$/\1/p' | head -n 1
}

# events_of JOURNAL: prints `export --events` of JOURNAL, the comparable form of a journal's record
# (its file bytes change with every checkpoint); fails the suite when the journal cannot be read.
events_of() {
  env -u NEXADEX_FORMAT "$NEXADEX" export --events --journal "$1" 2>"$WORK/events_of.err" ||
    fail "export --events on $1 failed: $(cat "$WORK/events_of.err")"
}

# flip_byte FILE OFFSET: XORs the byte at OFFSET with 0x80 in place, as LevelDB's corruption_test does.
flip_byte() {
  local byte
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  [ -n "$byte" ] || fail "flip_byte: $1 has no byte at offset $2"
  printf "\\$(printf '%03o' $((byte ^ 0x80)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# no_sidecars FILE [WHAT]: requires that SQLite left no FILE-wal or FILE-shm beside FILE (after WHAT).
no_sidecars() {
  local s
  for s in -wal -shm; do
    [ ! -e "$1$s" ] || fail "$1$s was left beside $1${2:+ by $2} (nothing may be written beside a file that is not a journal)"
  done
}

# check NAME FUNCTION [ARGS...]: runs FUNCTION (a group of expectations) in a subshell with errexit on.
# A failure is recorded under NAME but does not stop the suite, so one run lists every broken
# expectation; `finish` then exits 1 naming them. Files persist between checks, variables do not.
FAILURES=()
check() {
  local name=$1 st
  shift
  set +e
  ( set -e; "$@" )
  st=$?
  set -e
  if [ "$st" = 0 ]; then echo "ok: $name"; else echo "FAILED: $name" >&2; FAILURES+=("$name"); fi
}

# finish: ends a suite that uses `check`: exit 0 when every check passed, else 1 with their names.
finish() {
  if [ "${#FAILURES[@]}" -gt 0 ]; then
    printf 'failed checks (%d):\n' "${#FAILURES[@]}" >&2
    printf '  %s\n' "${FAILURES[@]}" >&2
    exit 1
  fi
  echo "all checks passed"
}
