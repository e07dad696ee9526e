# tests/e2e/crash_test.sh: SPEC §7/§9 crash safety. A `run` of a large batch is killed with SIGKILL
# at several points of its life (as SQLite's own tests kill a child mid-write): afterwards the journal
# verifies and holds either nothing of the batch or all of it, never a part; and it still takes writes.
# The only waiting is polling the -wal file's size, which is how the test knows the batch is mid-way.
source "$(dirname "$0")/lib.sh" "$@"

LINES=${NEXADEX_CRASH_LINES:-300000}
minimal_config
J=$WORK/j.db
"$NEXADEX" init --config config.toml --journal "$J" -q
"$NEXADEX" price set ETH 1 --journal "$J" -q
awk -v n="$LINES" 'BEGIN { for (i = 1; i <= n; i++) printf "price set BTC %d.%02d\n", 1000 + i % 5000, i % 100 }' >batch.run

# wal_bytes, db_bytes: the -wal file's and the journal file's sizes, 0 when absent.
wal_bytes() { if [ -e "$J-wal" ]; then stat -c %s "$J-wal"; else echo 0; fi; }
db_bytes() { stat -c %s "$J"; }

# running PID: whether the child is still running (kill -0 also succeeds on a zombie not yet waited for).
running() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# reached POINT DB0: whether the run has got to POINT: "wal:N" (the WAL holds N bytes: the batch is
# being written) or "checkpoint" (the journal file has grown past DB0: SQLite only writes it when
# checkpointing, which follows the commit, so the kill lands between commit and exit).
reached() {
  case $1 in
    wal:*) [ "$(wal_bytes)" -ge "${1#wal:}" ] ;;
    checkpoint) [ "$(db_bytes)" -gt "$2" ] ;;
  esac
}

# After a crash: verify is silent and 0, and the events are the ones before the batch, or those
# plus every line of the batch.
mid=0 late=0 done_before=0
crash_at() {
  local threshold=$1 before_seq before_events pid status after_seq polls=0 db0 at_kill
  before_seq=$(head_seq "$J")
  before_events=$(events_of "$J" | sha256sum)
  db0=$(db_bytes)
  "$NEXADEX" run batch.run --journal "$J" -q >/dev/null 2>"$WORK/run.err" &
  pid=$!
  # Poll until the run has reached the point (or has ended by itself).
  while running "$pid" && ! reached "$threshold" "$db0"; do
    polls=$((polls + 1))
    [ "$polls" -lt 12000 ] || { kill -9 "$pid"; fail "the run never reached $threshold in 2 minutes"; }
    sleep 0.01
  done
  kill -9 "$pid" 2>/dev/null || true
  at_kill="$(wal_bytes) WAL bytes, journal file $(db_bytes) bytes"
  set +e
  wait "$pid"
  status=$?
  set -e
  expect_rc 0 verify --journal "$J"
  [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "verify after a kill at $threshold was not silent: $(cat "$WORK/out" "$WORK/err")"
  after_seq=$(head_seq "$J")
  if [ "$after_seq" = "$before_seq" ]; then
    [ "$(events_of "$J" | sha256sum)" = "$before_events" ] || fail "the events before the batch changed after a kill"
    [ "$status" = 137 ] || fail "run exited $status without writing its batch: $(cat "$WORK/run.err")"
    echo "killed at $threshold ($at_kill): nothing of the batch was written"
    mid=$((mid + 1))
  elif [ "$after_seq" = $((before_seq + LINES)) ]; then
    if [ "$status" = 137 ]; then
      echo "killed at $threshold ($at_kill), after the commit: the whole batch was written"
      late=$((late + 1))
    else
      [ "$status" = 0 ] || fail "run exited $status but wrote its batch: $(cat "$WORK/run.err")"
      echo "the run finished before the kill at $threshold"
      done_before=$((done_before + 1))
    fi
  else
    fail "after a kill at $threshold the head seq is $after_seq, neither $before_seq nor $((before_seq + LINES))"
  fi
  # The journal still takes writes, and its chain goes on from where it was.
  expect_rc 0 price set ETH 2 --journal "$J" -q
  [ "$(head_seq "$J")" = $((after_seq + 1)) ] || fail "price set after the crash did not append exactly one event"
  expect_rc 0 verify --journal "$J"
}

crashes() {
  local t
  # As soon as the WAL exists (the transaction has begun), then ever further into the batch.
  for t in wal:1 wal:1000000 wal:4000000 wal:12000000 wal:24000000 wal:36000000 checkpoint; do
    crash_at "$t"
  done
  echo "kills mid-batch: $mid, after the commit: $late, runs that finished first: $done_before"
  [ "$mid" -ge 1 ] || fail "no kill landed mid-batch; make the batch bigger (NEXADEX_CRASH_LINES, now $LINES)"
}
check "SIGKILL during run leaves the journal whole, with all or nothing of the batch" crashes
finish
