# tests/e2e/readonly_test.sh: an auditor reads a journal they cannot write (issue 12). The journal is
# mode 0444 in a directory of mode 0555 owned by root, read by the unprivileged user nobody: every
# read-only command works and leaves no file beside it; every write is exit 3 saying the journal is
# read-only, and the journal is byte for byte unchanged. Needs root (to become nobody): skipped otherwise.
source "$(dirname "$0")/lib.sh" "$@"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
  echo "skipped: needs root and setpriv to read as another user"
  exit 77
fi

# Everything nobody touches lives in a world-readable directory of its own.
AUD=$(mktemp -d /tmp/nexadex-readonly.XXXXXX)
trap 'chmod -R u+w "$AUD" 2>/dev/null; rm -rf "$AUD" "$WORK"' EXIT
chmod 0755 "$AUD"
cp "$NEXADEX" "$AUD/nexadex"
chmod 0755 "$AUD/nexadex"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

minimal_config
J=$WORK/j.db
"$NEXADEX" init --config config.toml --journal "$J" -q
"$NEXADEX" price set BTC 65000 --journal "$J" -q
"$NEXADEX" deposit alice 10000 --journal "$J" -q --price 65000 --market BTC
"$NEXADEX" open bob BTC long --collateral 100 --leverage 5 --journal "$J" -q
HEAD=$("$NEXADEX" verify --verbose --format json --journal "$J" | sed -n 's/^ *"head_hash": *"\([0-9a-f]*\)",*$/\1/p')

# handed_over NAME SIDECARS: a read-only directory $AUD/NAME holding the journal, and its -wal and
# -shm files when SIDECARS is "with" (as a writer leaves them), all mode 0444, the directory 0555.
handed_over() {
  local d=$AUD/$1
  mkdir "$d"
  cp "$J" "$d/j.db"
  if [ "$2" = with ]; then cp "$J-wal" "$J-shm" "$d/"; fi
  chmod 0444 "$d"/*
  chmod 0555 "$d"
  echo "$d"
}

# reads_work DIR: every read-only command works as nobody and creates no file beside the journal.
reads_work() {
  local d=$1 before cmd
  before=$(ls -A "$d" | tr '\n' ' ')
  for cmd in "report" "report pool" "report positions" "report lps" "report events" "report history" \
             "report pool --seq 3" "verify" "export --events" "export --ledger" "config show" "price show" \
             "cascade --loss 100" "cascade --shock BTC=-20%"; do
    set +e
    # shellcheck disable=SC2086
    as_nobody "$AUD/nexadex" $cmd --journal "$d/j.db" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    set -e
    [ "$rc" = 0 ] || fail "as nobody, '$cmd' on $d/j.db exited $rc: $(cat "$WORK/err")"
  done
  as_nobody "$AUD/nexadex" verify --journal "$d/j.db" --expect-head "$HEAD" ||
    fail "as nobody, verify --expect-head on $d/j.db failed"
  [ "$(ls -A "$d" | tr '\n' ' ')" = "$before" ] || fail "reading $d/j.db left files beside it: $(ls -A "$d")"
}

# writes_refused DIR: every write is exit 3 with one sentence saying the journal is read-only, and
# the journal's bytes do not change.
writes_refused() {
  local d=$1 sum cmd
  sum=$(checksum "$d/j.db")
  printf 'price set BTC 65100\n' >"$AUD/batch.run"
  chmod 0444 "$AUD/batch.run"
  for cmd in "price set BTC 65100" "deposit carol 10 --price 65100" "close 5" "liquidate --all" \
             "insurance deposit 5" "cascade --loss 1 --apply --reason test" "acknowledge --reason seen" \
             "config apply $WORK/config.toml" "run $AUD/batch.run"; do
    set +e
    # shellcheck disable=SC2086
    as_nobody "$AUD/nexadex" $cmd --journal "$d/j.db" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    set -e
    [ "$rc" = 3 ] || fail "as nobody, '$cmd' on the read-only $d/j.db exited $rc, expected 3: $(cat "$WORK/err")"
    [ "$(wc -l <"$WORK/err")" = 1 ] || fail "'$cmd' wrote more than one stderr line: $(cat "$WORK/err")"
    grep -q "is read-only for this user" "$WORK/err" || fail "'$cmd' does not say the journal is read-only: $(cat "$WORK/err")"
  done
  [ "$(checksum "$d/j.db")" = "$sum" ] || fail "a refused write changed $d/j.db"
}

chmod 0644 "$WORK/config.toml"
chmod 0755 "$WORK"

only_the_journal_file() {
  local d
  d=$(handed_over bare without)
  reads_work "$d"
  writes_refused "$d"
}

with_its_wal_and_shm() {
  local d
  d=$(handed_over sidecars with)
  reads_work "$d"
  writes_refused "$d"
}

# A -wal file holding frames that are not in the main file cannot be read without creating -shm: the
# reader says so (exit 3) instead of showing an older state.
unread_wal_is_named() {
  local d=$AUD/pending
  mkdir "$d"
  cp "$J" "$d/j.db"
  printf 'not yet checkpointed' >"$d/j.db-wal"
  chmod 0444 "$d"/*
  chmod 0555 "$d"
  set +e
  as_nobody "$AUD/nexadex" report --journal "$d/j.db" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  [ "$rc" = 3 ] || fail "report with an unreadable -wal exited $rc, expected 3: $(cat "$WORK/err")"
  grep -q "not yet in the main file" "$WORK/err" || fail "the message does not name the -wal: $(cat "$WORK/err")"
  [ "$(ls -A "$d" | tr '\n' ' ')" = "j.db j.db-wal " ] || fail "the reader left files beside it: $(ls -A "$d")"
}

# A journal in a writable directory that nobody may not write: reading it creates no -wal or -shm
# owned by nobody (they would then block its owner's writes).
shared_directory() {
  local d=$AUD/shared
  mkdir "$d"
  cp "$J" "$d/j.db"
  chmod 0644 "$d/j.db"
  chmod 1777 "$d"
  reads_work "$d"
  [ ! -e "$d/j.db-wal" ] && [ ! -e "$d/j.db-shm" ] || fail "a reader created sidecars in $d: $(ls -la "$d")"
  "$NEXADEX" price set BTC 65200 --journal "$d/j.db" -q || fail "the owner cannot write after an auditor read"
}

check "a journal file alone, read-only" only_the_journal_file
check "a journal with its -wal and -shm, read-only" with_its_wal_and_shm
check "a -wal that cannot be read is named" unread_wal_is_named
check "a reader in a shared directory creates nothing" shared_directory
finish
