# tests/e2e/fault_test.sh: I/O faults at every call (issue 15 item 3; SPEC §7-§9). Through the
# LD_PRELOAD shim of tests/faults/ (NEXADEX_FAULT_SHIM, set by CTest), each write command of a scenario
# (a `run` batch with deposits, opens, closes, liquidations, a journaled loss and a config apply; then
# `config apply` and `cascade --apply` on their own) is run once to count its I/O calls on the
# journal's files, then once for every N with the N-th open, write, truncate, sync or lock failing.
# After each: either the command exits 3 with one stderr sentence that names the failed operation and
# says nothing was written, the journal's main file is byte-for-byte the one before, its events are the
# ones before, `verify` passes, and the next command (without the shim) succeeds; or the fault fell
# where SQLite absorbs it (a retried lock, a checkpoint after the commit) and the command exited 0 with
# all of its events written. Never a third outcome.
#
# The default sweep: every N of every class of the three commands with EIO; for the batch also every
# write with ENOSPC, every open with EACCES and ENOSPC, every 5th of the other classes with ENOSPC and
# EACCES, and every 4th N of each class with a fault that persists (every call of the class from the
# N-th on fails). NEXADEX_FAULT_FULL=1: every N of every class of every command with EIO, ENOSPC and
# EACCES, and persistent EIO and ENOSPC. Then a full disk: a small tmpfs when this user
# may mount one (else the shim's persistent ENOSPC stands in, said so) filled in the middle of a batch.
source "$(dirname "$0")/lib.sh" "$@"

SHIM=${NEXADEX_FAULT_SHIM:-}
if [ -z "$SHIM" ] || [ ! -f "$SHIM" ]; then
  echo "skipped: no fault shim (NEXADEX_FAULT_SHIM is '${SHIM}'; CTest sets it to the test build's library)"
  exit 77
fi
FULL=${NEXADEX_FAULT_FULL:-0}
START=$SECONDS

cp "$SRC/examples/basic.toml" config.toml
sed 's/^close_fee_bps = 10$/close_fee_bps = 12/' config.toml >fees.toml
cmp -s config.toml fees.toml && fail "fees.toml is the same as config.toml"
J=$WORK/j.db
"$NEXADEX" init --config config.toml --journal "$J" --at 2026-01-05T07:59:00Z -q
cat >setup.run <<'RUN'
price set BTC 65000 --at 2026-01-05T08:00:00Z
insurance deposit 2000 --from operator --at 2026-01-05T08:00:00Z
deposit alice 150000 --at 2026-01-05T08:00:00Z
deposit bob 50000 --at 2026-01-05T08:00:00Z
RUN
"$NEXADEX" run setup.run --journal "$J" -q >/dev/null
# seq 6 on: the scenario batch (positions are named by the seq of their open).
cat >scenario.run <<'RUN'
price set BTC 65000 --at 2026-01-05T09:00:00Z
open hank BTC long --collateral 1000 --leverage 10 --at 2026-01-05T09:00:00Z
open lena BTC long --collateral 3000 --leverage 10 --at 2026-01-05T09:01:00Z
open judy BTC long --collateral 5000 --leverage 2 --at 2026-01-05T09:02:00Z
open ken BTC short --collateral 3000 --leverage 5 --at 2026-01-05T09:03:00Z
deposit carol 20000 --at 2026-01-05T09:04:00Z
price set BTC 59000 --at 2026-01-06T11:00:00Z
liquidate --all --keeper kim --at 2026-01-06T11:00:00Z
close 9 --at 2026-01-06T11:00:00Z
close 10 --size 5000 --at 2026-01-06T11:00:00Z
cascade --loss 1500 --apply --reason "oracle incident" --at 2026-01-06T11:00:00Z
config apply fees.toml --at 2026-01-06T11:00:00Z
withdraw bob 1000 --at 2026-01-06T11:00:00Z
report summary
RUN
# the base journal, the state before each faulted command: checkpointed, its -wal empty
mkdir base
snapshot() { rm -rf base/*; cp -p "$J" "$J"-* base/ 2>/dev/null || cp -p "$J" base/; }
restore() { rm -f "$J" "$J"-*; cp -p base/* "$WORK"/; }
snapshot

# The faulted commands: NAME and arguments. Each runs on the base journal.
declare -A CMD
CMD[run]="run scenario.run -q"
CMD[config]="config apply fees.toml --at 2026-01-06T11:00:00Z -q"
CMD[cascade]="cascade --loss 1500 --apply --reason oracle-incident --at 2026-01-06T11:00:00Z -q"
NAMES=(run config cascade)

# shim ENV... -- ARGS...: runs nexadex under the shim with the NEXADEX_FAULT_* settings ENV on $J,
# capturing stdout, stderr and the status as nx does.
shim() {
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  set +e
  env LD_PRELOAD="$SHIM" NEXADEX_FAULT_FILE="$J" "${envs[@]}" "$NEXADEX" "$@" --journal "$J" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
}

BASE_SEQ=$(head_seq "$J")
BASE_EVENTS=$(events_of "$J" | sha256sum)
BASE_MAIN=$(checksum base/j.db)
declare -A AFTER_SEQ AFTER_EVENTS COUNT
# count NAME: runs NAME without a fault, counting its calls; records the journal it leaves.
count() {
  local name=$1 line
  restore
  rm -f "$WORK/count"
  # shellcheck disable=SC2086
  shim NEXADEX_FAULT_COUNT="$WORK/count" -- ${CMD[$name]}
  [ "$rc" = 0 ] || fail "$name without a fault exited $rc: $(cat "$WORK/err")"
  line=$(cat "$WORK/count")
  COUNT[$name]=$line
  AFTER_SEQ[$name]=$(head_seq "$J")
  AFTER_EVENTS[$name]=$(events_of "$J" | sha256sum)
  [ "${AFTER_SEQ[$name]}" -gt "$BASE_SEQ" ] || fail "$name wrote no event"
  echo "$name: ${CMD[$name]}: $((AFTER_SEQ[$name] - BASE_SEQ)) events; journal calls: $line"
}
# calls NAME CLASS: how many calls of CLASS NAME makes.
calls() {
  local class=$2
  set -- ${COUNT[$1]}
  while [ $# -gt 0 ]; do
    [ "$1" = "$class" ] && { echo "$2"; return; }
    shift 2
  done
  echo 0
}

# Per class: faults tried, commands refused (exit 3), faults absorbed (exit 0, all written).
declare -A TRIED REFUSED ABSORBED
WORDS="writ|sync|open|lock|truncat|read|full|shared-memory|delet|check"
# fault_at NAME CLASS ERRNO N: one faulted run of NAME and every check of its outcome.
fault_at() {
  local name=$1 class=$2 err=$3 n=$4 persist=${5:-0} what seq
  what="$name with the $n-th $class failing ($err)"
  [ "$persist" = 0 ] || what="$name with every $class from the $n-th on failing ($err)"
  restore
  # shellcheck disable=SC2086
  shim NEXADEX_FAULT_OP="$class" NEXADEX_FAULT_AT="$n" NEXADEX_FAULT_ERRNO="$err" NEXADEX_FAULT_PERSIST="$persist" -- ${CMD[$name]}
  TRIED[$class]=$((${TRIED[$class]:-0} + 1))
  [ "$persist" = 0 ] || PERSISTENT=$((PERSISTENT + 1))
  if [ "$rc" = 3 ]; then
    [ "$(wc -l <"$WORK/err")" = 1 ] || fail "$what: $(wc -l <"$WORK/err") stderr lines, expected 1: $(cat "$WORK/err")"
    grep -Eq "^nexadex: .*($WORDS).*nothing (of the batch )?was written" "$WORK/err" ||
      fail "$what: stderr does not name the operation and say that nothing was written: $(cat "$WORK/err")"
    [ ! -s "$WORK/out" ] || fail "$what: printed on stdout: $(cat "$WORK/out")"
    [ "$(checksum "$J")" = "$BASE_MAIN" ] || fail "$what: the journal's main file changed"
    # (SQLite's recovery reads the -wal file left beside it: the events too are the ones before)
    [ "$(events_of "$J" | sha256sum)" = "$BASE_EVENTS" ] || fail "$what: the events changed: $(cat "$WORK/err")"
    seq=$BASE_SEQ
    REFUSED[$class]=$((${REFUSED[$class]:-0} + 1))
    OUTCOME="exit 3: $(cat "$WORK/err")"
  elif [ "$rc" = 0 ]; then
    # absorbed: SQLite retried the call, or it came after the commit
    [ "$(events_of "$J" | sha256sum)" = "${AFTER_EVENTS[$name]}" ] || fail "$what: exited 0 but its events differ from a run without a fault"
    seq=${AFTER_SEQ[$name]}
    ABSORBED[$class]=$((${ABSORBED[$class]:-0} + 1))
    OUTCOME="exit 0, all written"
  else
    fail "$what: exited $rc: $(cat "$WORK/err")"
  fi
  expect_rc 0 verify --journal "$J"
  # the next command, without the shim, succeeds and appends one event
  expect_rc 0 price set ETH 2000 --at 2026-01-07T00:00:00Z --journal "$J" -q
  [ "$(head_seq "$J")" = $((seq + 1)) ] || fail "$what: the next command did not append exactly one event"
}

# sweep NAME CLASS ERRNO STRIDE [PERSIST]: fault_at for N = 1, 1+STRIDE, ... up to NAME's count of
# CLASS (the last call included).
sweep() {
  local name=$1 class=$2 err=$3 stride=$4 persist=${5:-0} total n
  total=$(calls "$name" "$class")
  for ((n = 1; n <= total; n += stride)); do fault_at "$name" "$class" "$err" "$n" "$persist"; done
  [ $(((total - 1) % stride)) = 0 ] || fault_at "$name" "$class" "$err" "$total" "$persist"
}

PERSISTENT=0
faults() {
  local name class
  for name in "${NAMES[@]}"; do count "$name"; done
  for name in "${NAMES[@]}"; do
    for class in open write trunc sync lock; do
      # every call, with EIO
      sweep "$name" "$class" EIO 1
      if [ "$FULL" = 1 ]; then
        sweep "$name" "$class" ENOSPC 1
        sweep "$name" "$class" EACCES 1
        sweep "$name" "$class" EIO 1 1
        sweep "$name" "$class" ENOSPC 1 1
      elif [ "$name" = run ]; then
        # the batch: every write with ENOSPC (SQLITE_FULL), every open with EACCES (SQLITE_CANTOPEN
        # or read-only), a stride of the rest, and a stride of faults that persist (a disk that stays bad)
        case $class in
          write) sweep run write ENOSPC 1; sweep run write EACCES 5 ;;
          open) sweep run open EACCES 1; sweep run open ENOSPC 1 ;;
          *) sweep run "$class" ENOSPC 5; sweep run "$class" EACCES 5 ;;
        esac
        sweep run "$class" EIO 4 1
      fi
    done
  done
  local total=0
  for class in open write trunc sync lock; do
    echo "$class: ${TRIED[$class]:-0} faults tried, ${REFUSED[$class]:-0} refused with exit 3, ${ABSORBED[$class]:-0} absorbed (exit 0, all written)"
    total=$((total + ${TRIED[$class]:-0}))
  done
  echo "$total faults tried ($PERSISTENT of them persistent), none lost or corrupted the journal ($((SECONDS - START)) s)"
}
check "a fault at every journal I/O call exits 3 and writes nothing, or is absorbed whole" faults

# full_disk: a batch big enough to fill a small file system half way through.
full_disk() {
  local mnt=$WORK/mnt big=big.run seq
  awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "price set BTC %d.%02d --at 2026-01-07T00:00:00Z\n", 60000 + i % 5000, i % 100 }' >"$big"
  mkdir -p "$mnt"
  if mount -t tmpfs -o size=4m tmpfs "$mnt" 2>/dev/null; then
    trap "umount '$mnt'" EXIT   # this check's subshell: unmounted however it ends
    restore
    cp -p "$J" "$J"-* "$mnt"/ 2>/dev/null || cp -p "$J" "$mnt"/
    seq=$(head_seq "$mnt/j.db")
    local before
    before=$(events_of "$mnt/j.db" | sha256sum)
    expect_error 3 "(full|writ).*nothing (of the batch )?was written" run "$big" --journal "$mnt/j.db" -q
    echo "tmpfs of 4 MiB: $(cat "$WORK/err")"
    [ "$(head_seq "$mnt/j.db")" = "$seq" ] || fail "the full disk's journal changed its head seq"
    [ "$(events_of "$mnt/j.db" | sha256sum)" = "$before" ] || fail "the full disk's journal changed its events"
    expect_rc 0 verify --journal "$mnt/j.db"
    expect_rc 0 price set ETH 2000 --at 2026-01-07T00:00:00Z --journal "$mnt/j.db" -q
  else
    echo "note: this user may not mount a tmpfs here; the shim's persistent ENOSPC stands in for a full disk"
  fi
  # The disk fills mid-batch and stays full: every write from the N-th on fails with ENOSPC. Late
  # points fall in the checkpoint after the commit: those runs exit 0 with the whole batch written.
  local total n
  CMD[big]="run big.run -q"
  count big
  total=$(calls big write)
  for n in 1 $((total / 8)) $((total / 4)) $((total / 2)) $((total * 3 / 4)) "$total"; do
    fault_at big write ENOSPC "$n" 1
    echo "disk full from write $n of $total: $OUTCOME"
  done
}
check "a disk that fills in the middle of a large batch loses nothing" full_disk
echo "fault suite: $((SECONDS - START)) s"
finish
