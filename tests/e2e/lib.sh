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
nx() {
  set +e
  "$NEXADEX" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
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
