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

# --- Deterministic crash points (issue 15 item 4) ---------------------------------------------------
# The fault shim (tests/faults/, NEXADEX_FAULT_SHIM) kills the process with SIGKILL just before its
# N-th I/O call on the journal's files (open, write, truncate, sync or lock), for N spread evenly over
# the calls a run makes: in a mixed batch (prices, deposits, withdrawals, insurance, opens, closes,
# and a crash with liquidations at its end), in `config apply` and in `cascade --apply`. After each
# kill the journal verifies and holds either none of the command's events or all of them (pinned by
# `verify --expect-head` with the head of a run that was not killed), and it takes the next write.
# NEXADEX_CRASH_POINTS (default 200) kill points in a batch of NEXADEX_CRASH_POINT_LINES lines
# (default 5,000; the issue's 50,000 with NEXADEX_CRASH_POINT_LINES=50000, see the README).
SHIM=${NEXADEX_FAULT_SHIM:-}
POINTS=${NEXADEX_CRASH_POINTS:-200}
PLINES=${NEXADEX_CRASH_POINT_LINES:-5000}
if [ -z "$SHIM" ] || [ ! -f "$SHIM" ]; then
  echo "skipped the crash points: no fault shim (NEXADEX_FAULT_SHIM is '${SHIM}')"
  finish
  exit 0
fi
K=$WORK/k.db
cp "$SRC/examples/basic.toml" basic.toml
sed 's/^close_fee_bps = 10$/close_fee_bps = 12/' basic.toml >fees.toml
"$NEXADEX" init --config basic.toml --journal "$K" --at 2026-01-05T07:59:00Z -q
cat >setup.run <<'RUN'
price set BTC 65000 --at 2026-01-05T08:00:00Z
price set ETH 3000 --at 2026-01-05T08:00:00Z
insurance deposit 20000 --at 2026-01-05T08:00:00Z
deposit alice 5000000 --at 2026-01-05T08:00:00Z
RUN
"$NEXADEX" run setup.run --journal "$K" -q >/dev/null
KSEQ=$(head_seq "$K")
# The mixed batch: blocks of 10 lines, one event each, a minute apart (so the seq of every line is
# known and a close names the open two lines before it); then BTC falls 40% and `liquidate --all`
# takes the leveraged longs still open.
awk -v n="$PLINES" -v s="$KSEQ" 'BEGIN {
  t = 1767600000 + 3600; seq = s; i = 0
  while (i < n - 2) {
    m = int(i / 10); at = "--at @" (t + m * 60)
    print "price set BTC " (65000 + (m % 200)) " " at; seq++; i++
    print "price set ETH " (3000 + (m % 50)) " " at; seq++; i++
    print "deposit lp" (m % 97) " 1000 " at; seq++; i++
    print "open t" (m % 89) " BTC long --collateral 100 --leverage 8 " at; seq++; i++; keep = seq
    print "open u" (m % 83) " ETH short --collateral 50 --leverage 3 " at; seq++; i++; shut = seq
    print "close " shut " " at; seq++; i++
    print "insurance deposit 5 " at; seq++; i++
    print "withdraw lp" (m % 97) " 400 " at; seq++; i++
    print "open v" (m % 79) " BTC short --collateral 200 --leverage 2 " at; seq++; i++
    print "close " seq " --size 100 " at; seq++; i++
  }
  at = "--at @" (t + (m + 1) * 60)
  print "price set BTC 39000 " at
  print "liquidate --all --keeper kim " at
}' >mixed.run
mkdir kbase
cp -p "$K" "$K"-* kbase/
krestore() { rm -f "$K" "$K"-*; cp -p kbase/* "$WORK"/; }
declare -A KCMD
KCMD[batch]="run mixed.run -q"
KCMD[config]="config apply fees.toml --at 2026-01-06T00:00:00Z -q"
KCMD[cascade]="cascade --loss 1500 --apply --reason oracle-incident --at 2026-01-06T00:00:00Z -q"

# kill_points NAME POINTS: counts NAME's journal calls in a run without a kill, then kills it at
# POINTS calls spread evenly over them (or at every call, when it makes fewer).
kill_points() {
  local name=$1 points=$2 total after_seq after_head k n status seq before_events t0=$SECONDS none=0 all=0
  krestore
  rm -f "$WORK/count"
  set +e
  # shellcheck disable=SC2086
  env LD_PRELOAD="$SHIM" NEXADEX_FAULT_FILE="$K" NEXADEX_FAULT_COUNT="$WORK/count" "$NEXADEX" ${KCMD[$name]} --journal "$K" \
    >/dev/null 2>"$WORK/run.err"
  status=$?
  set -e
  [ "$status" = 0 ] || fail "$name without a kill exited $status: $(cat "$WORK/run.err")"
  total=$(awk '{ print $12 }' "$WORK/count")
  after_seq=$(head_seq "$K")
  after_head=$("$NEXADEX" report --format json --journal "$K" | sed -n 's/^ *"head_hash": *"\([0-9a-f]*\)",*$/\1/p' | head -n 1)
  [ -n "$after_head" ] || fail "no head hash after $name"
  krestore
  before_events=$(events_of "$K" | sha256sum)
  [ "$points" -le "$total" ] || points=$total
  for ((k = 1; k <= points; k++)); do
    n=$(((k * total + points - 1) / points))   # ceil(k x total / points): the last point is the last call
    krestore
    set +e
    # shellcheck disable=SC2086
    # (in a subshell whose stderr is not the suite's, so that bash's "Killed" notice is not printed)
    (env LD_PRELOAD="$SHIM" NEXADEX_FAULT_FILE="$K" NEXADEX_FAULT_AT="$n" NEXADEX_FAULT_KILL=1 "$NEXADEX" ${KCMD[$name]} \
      --journal "$K" >/dev/null 2>"$WORK/run.err"; exit $?) 2>/dev/null
    status=$?
    set -e
    [ "$status" = 137 ] || fail "$name with a kill at call $n of $total exited $status: $(cat "$WORK/run.err")"
    seq=$(head_seq "$K")
    if [ "$seq" = "$KSEQ" ]; then
      expect_rc 0 verify --journal "$K"
      [ "$(events_of "$K" | sha256sum)" = "$before_events" ] || fail "$name killed at call $n: the events before it changed"
      none=$((none + 1))
    elif [ "$seq" = "$after_seq" ]; then
      expect_rc 0 verify --expect-head "$after_head" --journal "$K"
      all=$((all + 1))
    else
      fail "$name killed at call $n of $total: head seq $seq, neither $KSEQ (none) nor $after_seq (all)"
    fi
    [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "verify after $name killed at call $n was not silent: $(cat "$WORK/out" "$WORK/err")"
    expect_rc 0 price set ETH 3100 --at 2026-02-01T00:00:00Z --journal "$K" -q
    [ "$(head_seq "$K")" = $((seq + 1)) ] || fail "$name killed at call $n: the next write did not append one event"
  done
  echo "$name ($((after_seq - KSEQ)) events, $total journal calls): $points kill points, $none left none of its events, $all all of them, 0 corrupt ($((SECONDS - t0)) s)"
}
crash_points() {
  kill_points batch "$POINTS"
  kill_points config "$POINTS"
  kill_points cascade "$POINTS"
}
check "SIGKILL at $POINTS I/O points of a $PLINES-line mixed batch, config apply and cascade --apply: never a corrupt journal" crash_points
finish
