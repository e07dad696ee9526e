#!/usr/bin/env bash
# scripts/bench.sh: builds bench/ in Release and prints nexadex's figures against raw SQLite ceilings.
#
# Measured in one run on this machine, on the same rows (bench/bench_common.hpp fixes the payloads):
#  (a) `nexadex run` of RUN_EVENTS price events vs bench/raw_append inserting the same rows (same
#      payload bytes, same SHA-256 chain) with one prepared statement in one transaction;
#  (b) one `nexadex price set` process on a BIG_EVENTS-event journal vs on a fresh one, and vs
#      raw_append appending one chained row (the per-process floor), medians over PROC_RUNS runs;
#  (c) `nexadex verify` of the big journal vs bench/raw_verify recomputing the chain;
#  (d) a trading day: `nexadex run` of TRADING_OPS mixed vault operations written by bench/gen_trading
#      (prices, deposits, withdrawals, opens, whole and partial closes, liquidations, insurance
#      deposits; every line succeeds), operations/s, vs bench/raw_trading appending as many chained
#      events with three postings and one state-row upsert each, in one transaction (REPS runs);
#  (e) `nexadex liquidate --all` on a journal of BIG_OPEN open positions vs one of SMALL_OPEN, each with
#      LIQUIDATABLE of them liquidatable (bench/gen_book builds them with `run` batches of BUILD_BATCH
#      lines), FRESH_RUNS runs per arm, each on a fresh copy of its journal;
#  (f) `nexadex deposit` on the BIG_OPEN journal vs on one of DEPOSIT_SMALL_OPEN open positions, the
#      same way;
#  (g) `nexadex cascade --shock BTC=-30% ETH=-20% SOL=+10%` on a journal of STRESS_OPEN open positions
#      in three markets with senior and junior tranches (bench/gen_stress.cpp: 2x to 10x, both sides;
#      about 26% of them are liquidated by that shock), goal <= 2 s, next to bench/raw_scan reading the
#      row of every open position once (FRESH_RUNS runs per arm, interleaved, one warm-up).
# Whole processes are timed by bench/spawn_timer (posix_spawn to wait4, steady_clock), the arms
# of a figure interleaved. Overrides for quick or profiling runs: BENCH_RUN_EVENTS (200000),
# BENCH_BIG_EVENTS (1000000), BENCH_PROC_RUNS (200), BENCH_REPS (5: runs of (a), (c) and (d)),
# BENCH_TRADING_OPS (100000), BENCH_BIG_OPEN (1000000), BENCH_SMALL_OPEN (10000),
# BENCH_DEPOSIT_SMALL_OPEN (1000), BENCH_LIQUIDATABLE (100), BENCH_BUILD_BATCH (100000),
# BENCH_STRESS_OPEN (1000000),
# BENCH_FRESH_RUNS (11: runs per arm of (e), (f) and (g)), BENCH_ONLY (the figures to measure, e.g.
# "d e f"; all of "a b c d e f g" by default), BENCH_DIR (keep the inputs there instead of a temp dir
# that is removed). Exit status: 0 when every goal measured is met, 2 when one is missed, 1 when a step
# fails. `scripts/bench.sh --profile` runs callgrind on (a)-(c) instead (see below).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=bench
case "${1:-}" in
  "") ;;
  --profile) mode=profile ;;
  *) echo "usage: scripts/bench.sh [--profile]" >&2; exit 1 ;;
esac

run_events=${BENCH_RUN_EVENTS:-200000}
big_events=${BENCH_BIG_EVENTS:-1000000}
proc_runs=${BENCH_PROC_RUNS:-200}
reps=${BENCH_REPS:-5}
trading_ops=${BENCH_TRADING_OPS:-100000}
big_open=${BENCH_BIG_OPEN:-1000000}
small_open=${BENCH_SMALL_OPEN:-10000}
deposit_small_open=${BENCH_DEPOSIT_SMALL_OPEN:-1000}
liquidatable=${BENCH_LIQUIDATABLE:-100}
build_batch=${BENCH_BUILD_BATCH:-100000}
fresh_runs=${BENCH_FRESH_RUNS:-11}
stress_open=${BENCH_STRESS_OPEN:-1000000}
only=" ${BENCH_ONLY:-a b c d e f g} "
for fig in $only; do
  case "$fig" in
    a | b | c | d | e | f | g) ;;
    *) echo "bench: BENCH_ONLY='${BENCH_ONLY:-}': the figures are a b c d e f g" >&2; exit 1 ;;
  esac
done
want() { [[ "$only" == *" $1 "* ]]; }
t0=1767225600   # 2026-01-01T00:00:00Z; bench_common.hpp's k_epoch, one event a second from here

echo "bench: building Release into build-bench/" >&2
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DNEXADEX_BENCH=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j2 --target nexadex gen_batch gen_trading gen_book gen_stress raw_append raw_trading raw_verify \
  raw_scan spawn_timer >/dev/null
# What was built: other work in the tree changes the figures.
tree=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
if [ -n "$(git status --porcelain -- lib journal cli CMakeLists.txt 2>/dev/null)" ]; then
  tree="$tree + uncommitted changes in lib/ journal/ cli/"
fi

bin=$PWD/build-bench
nx=$bin/nexadex
gen=$bin/bench/gen_batch
gen_trading=$bin/bench/gen_trading
gen_book=$bin/bench/gen_book
gen_stress=$bin/bench/gen_stress
raw_scan=$bin/bench/raw_scan
raw_append=$bin/bench/raw_append
raw_trading=$bin/bench/raw_trading
raw_verify=$bin/bench/raw_verify
timer=$bin/bench/spawn_timer

if [ -n "${BENCH_DIR:-}" ]; then
  dir=$BENCH_DIR
  mkdir -p "$dir"
  rm -f "$dir"/*.db "$dir"/*.db-wal "$dir"/*.db-shm "$dir"/*.txt "$dir"/*.log
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/nexadex-bench.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
fi
log=$dir/children.log
unset NEXADEX_JOURNAL NEXADEX_FORMAT NEXADEX_NOW
export TZ=UTC

fail() {
  echo "bench: $*" >&2
  [ -s "$log" ] && tail -5 "$log" >&2
  exit 1
}

# Copies a closed journal. Its -wal may persist beside it (checkpointed, so the main file is whole),
# but a stale -wal beside the destination would be replayed onto the copy: remove the sidecars.
copy_journal() {
  drop_journal "$2"
  cp "$1" "$2"
}
drop_journal() { rm -f "$1" "$1-wal" "$1-shm"; }
# The same, then fsync the copy: else the checkpoint at the timed command's close would write back
# every page cp left dirty, a cost that grows with the journal's size and is not nexadex's.
copy_synced() {
  copy_journal "$1" "$2"
  sync "$2"
}
# The head seq of a journal, from raw_verify (which also rechecks the chain).
head_seq() {
  local out
  out=$("$raw_verify" "$1") || fail "$1 does not chain: $out"
  echo "$out" | awk '{ print $6 }'
}

# batch_vs_raw TAG FRESH BATCH RAW EVENTS: REPS runs of `nexadex run BATCH` against `RAW JOURNAL EVENTS
# FIRST_AT`, each arm on its own copy of the journal FRESH, the arms alternating which goes first; each
# run's wall and CPU microseconds go to $dir/TAG_{nx,raw}.{us,cpu}, the last run's journals stay as
# $dir/TAG_nx.db and $dir/TAG_raw.db.
batch_vs_raw() {
  local tag=$1 fresh=$2 batch=$3 raw=$4 events=$5 r f
  local -a nx_arm raw_arm arms
  for f in nx.us raw.us nx.cpu raw.cpu; do : >"$dir/${tag}_$f"; done
  for ((r = 1; r <= reps; r++)); do
    copy_journal "$fresh" "$dir/${tag}_nx.db"
    copy_journal "$fresh" "$dir/${tag}_raw.db"
    # --quiet: a bulk load prints no per-line results, as the raw arm prints nothing
    nx_arm=(--arm nx 0 "$nx" --journal "$dir/${tag}_nx.db" run "$batch" --quiet)
    raw_arm=(--arm raw 0 "$raw" "$dir/${tag}_raw.db" "$events" $((t0 + 1)))
    if ((r % 2)); then arms=("${nx_arm[@]}" "${raw_arm[@]}"); else arms=("${raw_arm[@]}" "${nx_arm[@]}"); fi
    "$timer" --runs 1 --log "$log" "${arms[@]}" >"$dir/$tag.out" || return 1
    field "$dir/$tag.out" nx median_us >>"$dir/${tag}_nx.us"
    field "$dir/$tag.out" raw median_us >>"$dir/${tag}_raw.us"
    field "$dir/$tag.out" nx cpu_median_us >>"$dir/${tag}_nx.cpu"
    field "$dir/$tag.out" raw cpu_median_us >>"$dir/${tag}_raw.cpu"
  done
}

# Field `key` of spawn_timer's line for arm `name`.
field() { awk -v arm="$2" -v key="$3" '$1 == arm { for (i = 2; i < NF; i++) if ($i == key) print $(i + 1) }' "$1"; }
# Median of the numbers on stdin (the mean of the middle two when even; timing, not money).
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

printf '[[markets]]\nsymbol = "BTC"\n' >"$dir/config.toml"
"$nx" --journal "$dir/fresh.db" init --config "$dir/config.toml" --at "@$t0" -q || fail "init failed"

# --profile: instruction counts (valgrind --tool=callgrind) of nexadex and its raw ceiling for (a),
# (b) and (c) on BENCH_PROFILE_EVENTS (20000) events, with nexadex's top functions by inclusive cost.
# Valgrind hides the CPU's SHA extensions, so Nettle falls back to its plain x86-64 code there and
# SHA-256 weighs several times more than it does natively (same in both programs, though).
if [ "$mode" = profile ]; then
  command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null || fail "--profile needs valgrind"
  n=${BENCH_PROFILE_EVENTS:-20000}
  "$gen" "$dir/batch_p.txt" "$n" $((t0 + 1))
  copy_journal "$dir/fresh.db" "$dir/p_nx.db"
  copy_journal "$dir/fresh.db" "$dir/p_raw.db"
  copy_journal "$dir/fresh.db" "$dir/p_one.db"
  copy_journal "$dir/fresh.db" "$dir/p_one_raw.db"
  profile() {  # name, command...
    local name=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$dir/cg.$name.out" "$@" >/dev/null 2>"$dir/cg.$name.log" ||
      fail "callgrind $name failed (see $dir/cg.$name.log)"
    printf '%-12s %15s Ir\n' "$name" "$(sed -n 's/.*Collected : //p' "$dir/cg.$name.log")"
  }
  top() {  # name: nexadex's functions by inclusive Ir, start-up frames and libc noise left out
    echo
    echo "$1: top functions, inclusive"
    callgrind_annotate --inclusive=yes "$dir/cg.$1.out" 2>/dev/null |
      awk '/^ *[0-9,]+ \( *[0-9.]+%\)  / && !/PROGRAM TOTALS|below main|libc-start|libc_start|ld-linux|0x0000/' |
      sed -E 's/\?\?\?://; s/ \[[^]]*\]$//; s/std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >/std::string/g; s/std::basic_string_view<char, std::char_traits<char> >/std::string_view/g' |
      awk -v n="${BENCH_PROFILE_TOP:-30}" 'NR <= n' | cut -c1-160
  }
  echo "nexadex bench --profile: tree $tree; $n events"
  profile run "$nx" --journal "$dir/p_nx.db" run "$dir/batch_p.txt"
  profile raw_append "$raw_append" "$dir/p_raw.db" "$n" $((t0 + 1))
  profile price_set "$nx" --journal "$dir/p_one.db" price set BTC 65000.5 --at "@$((t0 + 1))"
  profile raw_one "$raw_append" "$dir/p_one_raw.db" 1 $((t0 + 1))
  profile verify "$nx" --journal "$dir/p_nx.db" verify
  profile raw_verify "$raw_verify" "$dir/p_nx.db"
  top run
  top price_set
  top verify
  echo
  echo "callgrind files: $dir/cg.*.out (kept with BENCH_DIR=...)"
  exit 0
fi

# (a) batch throughput. Each repetition starts from a copy of the fresh journal; the arms alternate
# which goes first.
if want a; then
  echo "bench: (a) run of $run_events price events vs raw_append, $reps times" >&2
  "$gen" "$dir/batch_a.txt" "$run_events" $((t0 + 1))
  batch_vs_raw a "$dir/fresh.db" "$dir/batch_a.txt" "$raw_append" "$run_events" || fail "(a) failed"
  a_nx_us=$(median <"$dir/a_nx.us")
  a_raw_us=$(median <"$dir/a_raw.us")
  # Same rows: both chains must end in the same head.
  nx_head=$("$raw_verify" "$dir/a_nx.db") || fail "(a) nexadex's journal does not chain: $nx_head"
  raw_head=$("$raw_verify" "$dir/a_raw.db") || fail "(a) raw_append's journal does not chain: $raw_head"
  [ "$nx_head" = "$raw_head" ] || fail "(a) the chains differ: nexadex '$nx_head', raw '$raw_head'"
  drop_journal "$dir/a_raw.db"
fi

if want b || want c; then
  # The big journal: (a)'s last result (or the fresh journal) plus batches of at most run_events,
  # built with `nexadex run`, until it holds big_events events (the journal_created event included).
  echo "bench: building the $big_events-event journal with nexadex run" >&2
  if want a; then
    copy_journal "$dir/a_nx.db" "$dir/big.db"
    have=$((run_events + 1))
  else
    copy_journal "$dir/fresh.db" "$dir/big.db"
    have=1
  fi
  while ((have < big_events)); do
    n=$((big_events - have))
    ((n > run_events)) && n=$run_events
    "$gen" "$dir/batch_big.txt" "$n" $((t0 + have))
    "$nx" --journal "$dir/big.db" run "$dir/batch_big.txt" -q >/dev/null 2>>"$log" || fail "building the big journal failed"
    have=$((have + n))
  done
  rm -f "$dir/batch_big.txt"
  big_head=$("$raw_verify" "$dir/big.db") || fail "the big journal does not chain: $big_head"
  [ "$(echo "$big_head" | awk '{ print $2 }')" = "$big_events" ] || fail "the big journal holds '$big_head', not $big_events events"
  big_next=$((t0 + big_events))   # first free second after the big journal's last event
fi
drop_journal "$dir/a_nx.db"

# (c) verify, before (b) appends to the big journal.
if want c; then
  echo "bench: (c) verify of $big_events events vs raw_verify, $reps times" >&2
  "$timer" --runs "$reps" --log "$log" \
    --arm nx 0 "$nx" --journal "$dir/big.db" verify \
    --arm raw 0 "$raw_verify" "$dir/big.db" >"$dir/c.out" || fail "(c) failed"
  c_nx_us=$(field "$dir/c.out" nx median_us)
  c_raw_us=$(field "$dir/c.out" raw median_us)
fi

# (b) one price set per process: the big journal, a fresh one, and the raw floor on a copy of the big
# one (raw_append writes no markets row, so it must not touch the journal nexadex uses).
if want b; then
  echo "bench: (b) price set as a process, $proc_runs runs per arm" >&2
  copy_journal "$dir/big.db" "$dir/big_raw.db"
  copy_journal "$dir/big.db" "$dir/big_raw_pw.db"
  "$timer" --runs "$proc_runs" --warmup 5 --log "$log" \
    --arm big "$big_next" "$nx" --journal "$dir/big.db" price set BTC '{price}' --at '@{t}' \
    --arm fresh $((t0 + 1)) "$nx" --journal "$dir/fresh.db" price set BTC '{price}' --at '@{t}' \
    --arm raw "$big_next" "$raw_append" "$dir/big_raw.db" 1 '{t}' \
    --arm raw_pw "$big_next" "$raw_append" "$dir/big_raw_pw.db" 1 '{t}' --persist-wal >"$dir/b.out" || fail "(b) failed"
  b_big_us=$(field "$dir/b.out" big median_us)
  b_fresh_us=$(field "$dir/b.out" fresh median_us)
  b_raw_us=$(field "$dir/b.out" raw median_us)
  b_raw_pw_us=$(field "$dir/b.out" raw_pw median_us)
  "$nx" --journal "$dir/fresh.db" verify >/dev/null 2>>"$log" || fail "(b) the fresh journal does not verify"
  "$raw_verify" "$dir/big_raw.db" >/dev/null || fail "(b) raw_append's copy does not chain"
  "$raw_verify" "$dir/big_raw_pw.db" >/dev/null || fail "(b) raw_append's --persist-wal copy does not chain"
fi

# (d) a trading day as one batch, on bench/trading.toml. Each repetition starts from a copy of the
# fresh trading journal; the arms alternate which goes first. Both arms append trading_ops events to it.
if want d; then
  echo "bench: (d) run of a $trading_ops-operation trading day vs raw_trading, $reps times" >&2
  "$nx" --journal "$dir/trading_fresh.db" init --config bench/trading.toml --at "@$t0" -q 2>>"$log" ||
    fail "(d) init of the trading journal failed"
  d_mix=$("$gen_trading" "$dir/batch_d.txt" "$trading_ops" $((t0 + 1))) || fail "(d) gen_trading failed"
  batch_vs_raw d "$dir/trading_fresh.db" "$dir/batch_d.txt" "$raw_trading" "$trading_ops" ||
    fail "(d) failed (a line of $dir/batch_d.txt was refused?)"
  d_nx_us=$(median <"$dir/d_nx.us")
  d_raw_us=$(median <"$dir/d_raw.us")
  # Every line wrote one event, and nexadex's journal verifies; raw_trading's chains.
  [ "$(head_seq "$dir/d_nx.db")" = $((trading_ops + 1)) ] || fail "(d) nexadex's journal does not end at seq $((trading_ops + 1))"
  [ "$(head_seq "$dir/d_raw.db")" = $((trading_ops + 1)) ] || fail "(d) raw_trading's journal does not end at seq $((trading_ops + 1))"
  "$nx" --journal "$dir/d_nx.db" verify >/dev/null 2>>"$log" || fail "(d) nexadex's trading journal does not verify"
  drop_journal "$dir/d_nx.db"
  drop_journal "$dir/d_raw.db"
fi

# (e), (f): journals of examples/basic.toml holding `open` open positions, `liquidatable` of them
# liquidatable at the last BTC price (bench/gen_book.cpp), built with `run --at @t0+1` batches of at
# most build_batch lines. The timed commands run at t0 + 60, while the prices are fresh.
book_at=$((t0 + 1))
act_at=$((t0 + 60))
build_seconds=""
build_book() {  # name, open
  local name=$1 open=$2 total=$(($2 + 5)) from=0 start end
  echo "bench: building the book of $open open positions ($liquidatable liquidatable) with nexadex run" >&2
  start=$(date +%s%N)
  drop_journal "$dir/book_$name.db"
  "$nx" --journal "$dir/book_$name.db" init --config examples/basic.toml --at "@$t0" -q 2>>"$log" || fail "init of book $name failed"
  while ((from < total)); do
    "$gen_book" "$dir/batch_book.txt" "$open" "$liquidatable" "$from" "$build_batch" || fail "gen_book failed"
    "$nx" --journal "$dir/book_$name.db" run "$dir/batch_book.txt" --at "@$book_at" -q 2>>"$log" ||
      fail "building book $name failed at line $from of its batch"
    from=$((from + build_batch))
  done
  rm -f "$dir/batch_book.txt"
  end=$(date +%s%N)
  [ "$(head_seq "$dir/book_$name.db")" = $((total + 1)) ] || fail "book $name does not end at seq $((total + 1))"
  build_seconds="$build_seconds $open:$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')"
}
# Times `command...` on fresh copies of two books, fresh_runs runs, arms alternating; each run must
# append `events` events. Writes <fig>_<name>.us and .cpu.
fresh_arms() {  # fig, events, name1, name2, command...
  local fig=$1 events=$2 n1=$3 n2=$4 r
  shift 4
  : >"$dir/${fig}_$n1.us"; : >"$dir/${fig}_$n2.us"; : >"$dir/${fig}_$n1.cpu"; : >"$dir/${fig}_$n2.cpu"
  for ((r = 1; r <= fresh_runs; r++)); do
    copy_synced "$dir/book_$n1.db" "$dir/${fig}_$n1.db"
    copy_synced "$dir/book_$n2.db" "$dir/${fig}_$n2.db"
    local a1=(--arm "$n1" 0 "$nx" --journal "$dir/${fig}_$n1.db" "$@")
    local a2=(--arm "$n2" 0 "$nx" --journal "$dir/${fig}_$n2.db" "$@")
    if ((r % 2)); then arms=("${a1[@]}" "${a2[@]}"); else arms=("${a2[@]}" "${a1[@]}"); fi
    "$timer" --runs 1 --log "$log" "${arms[@]}" >"$dir/$fig.out" || fail "($fig) failed"
    for n in "$n1" "$n2"; do
      field "$dir/$fig.out" "$n" median_us >>"$dir/${fig}_$n.us"
      field "$dir/$fig.out" "$n" cpu_median_us >>"$dir/${fig}_$n.cpu"
    done
  done
  for n in "$n1" "$n2"; do
    local want_seq
    want_seq=$(($(head_seq "$dir/book_$n.db") + events))
    [ "$(head_seq "$dir/${fig}_$n.db")" = "$want_seq" ] || fail "($fig) on book $n did not append $events events"
    drop_journal "$dir/${fig}_$n.db"
  done
}
if want e || want f; then
  build_book big "$big_open"
fi
if want e; then
  build_book small "$small_open"
  echo "bench: (e) liquidate --all, $big_open vs $small_open open, $fresh_runs runs per arm" >&2
  fresh_arms e "$liquidatable" big small liquidate --all --at "@$act_at"
  e_big_us=$(median <"$dir/e_big.us")
  e_small_us=$(median <"$dir/e_small.us")
fi
if want f; then
  build_book tiny "$deposit_small_open"
  echo "bench: (f) deposit, $big_open vs $deposit_small_open open, $fresh_runs runs per arm" >&2
  fresh_arms f 1 big tiny deposit bench 1000 --at "@$act_at"
  f_big_us=$(median <"$dir/f_big.us")
  f_tiny_us=$(median <"$dir/f_tiny.us")
fi

# (g) the stress test a risk desk runs before the open. The config is examples/basic.toml's rules with
# a third market, SOL, and senior/junior tranches; the book is built like (e)'s, with `run --at`.
if want g; then
  cat >"$dir/stress.toml" <<'EOF'
[pool]
max_utilization_bps = 8000
max_price_age = "5m"

[fees]
open_fee_bps = 10
close_fee_bps = 10
liquidation_fee = "5"
borrow_base_apr_bps = 100
borrow_slope_apr_bps = 2000

[fees.split]
lp_bps = 7000
insurance_bps = 2000
treasury_bps = 1000

[tranches]
senior.target_apr_bps = 500
min_junior_ratio_bps = 2000

[cascade]
trader_pnl = ["junior", "senior"]
bad_debt = ["insurance", "junior", "senior"]
external = ["insurance", "junior", "senior"]

[[markets]]
symbol = "BTC"
max_leverage = 10
maintenance_margin_bps = 100
max_profit_bps = 10000

[[markets]]
symbol = "ETH"
max_leverage = 10
maintenance_margin_bps = 100
max_profit_bps = 10000

[[markets]]
symbol = "SOL"
max_leverage = 10
maintenance_margin_bps = 100
max_profit_bps = 10000
EOF
  echo "bench: building the stress book of $stress_open open positions in three markets with nexadex run" >&2
  start=$(date +%s%N)
  drop_journal "$dir/stress.db"
  "$nx" --journal "$dir/stress.db" init --config "$dir/stress.toml" --at "@$t0" -q 2>>"$log" || fail "init of the stress book failed"
  from=0
  while ((from < stress_open + 9)); do
    "$gen_stress" "$dir/batch_stress.txt" "$stress_open" "$from" "$build_batch" || fail "gen_stress failed"
    "$nx" --journal "$dir/stress.db" run "$dir/batch_stress.txt" --at "@$book_at" -q 2>>"$log" ||
      fail "building the stress book failed at line $from of its batch"
    from=$((from + build_batch))
  done
  rm -f "$dir/batch_stress.txt"
  end=$(date +%s%N)
  [ "$(head_seq "$dir/stress.db")" = $((stress_open + 10)) ] || fail "the stress book does not end at seq $((stress_open + 10))"
  build_seconds="$build_seconds stress:$stress_open:$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')"
  shock=(cascade --shock BTC=-30% ETH=-20% SOL=+10% --at "@$act_at")
  # how many the shock liquidates: the rows of the liquidations section of the CSV output
  g_liquidated=$("$nx" --journal "$dir/stress.db" "${shock[@]}" --format csv 2>>"$log" |
    awk '/^id,trader,/ { on = 1; next } on && NF { n++ } END { print n + 0 }')
  echo "bench: (g) cascade --shock on $stress_open open vs raw_scan, $fresh_runs runs per arm" >&2
  "$timer" --runs "$fresh_runs" --warmup 1 --log "$log" \
    --arm nx 0 "$nx" --journal "$dir/stress.db" "${shock[@]}" \
    --arm raw 0 "$raw_scan" "$dir/stress.db" >"$dir/g.out" || fail "(g) failed"
  g_nx_us=$(field "$dir/g.out" nx median_us)
  g_raw_us=$(field "$dir/g.out" raw median_us)
  [ "$(head_seq "$dir/stress.db")" = $((stress_open + 10)) ] || fail "(g) cascade --shock wrote to the journal"
fi

sqlite_version=$(sqlite3 --version 2>/dev/null | awk '{ print $1 }' || true)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "nexadex bench: tree $tree; $(nproc) cores${cpu:+, $cpu}${sqlite_version:+, sqlite3 CLI $sqlite_version}, load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v only="$only" -v re="$run_events" -v be="$big_events" -v pr="$proc_runs" -v reps="$reps" \
  -v a_nx="${a_nx_us:-}" -v a_raw="${a_raw_us:-}" -v c_nx="${c_nx_us:-}" -v c_raw="${c_raw_us:-}" \
  -v b_big="${b_big_us:-}" -v b_fresh="${b_fresh_us:-}" -v b_raw="${b_raw_us:-}" -v b_raw_pw="${b_raw_pw_us:-}" \
  -v to="$trading_ops" -v d_nx="${d_nx_us:-}" -v d_raw="${d_raw_us:-}" \
  -v bo="$big_open" -v so="$small_open" -v dso="$deposit_small_open" -v lq="$liquidatable" -v fr="$fresh_runs" \
  -v e_big="${e_big_us:-}" -v e_small="${e_small_us:-}" -v f_big="${f_big_us:-}" -v f_tiny="${f_tiny_us:-}" \
  -v sto="$stress_open" -v g_nx="${g_nx_us:-}" -v g_raw="${g_raw_us:-}" -v g_liq="${g_liquidated:-?}" '
function want(f) { return index(only, " " f " ") > 0 }
function rate(n, us, unit) { return sprintf("%.0f %s", n / (us / 1e6), unit) }
function ms(us) { return sprintf("%.2f ms", us / 1000) }
function row(fig, v, ref, ratio, op, goal) {
  ok = (op == ">=") ? ratio >= goal : ratio <= goal
  printf "%-44s %14s %14s %7.2f %8s %6s\n", fig, v, ref, ratio, op " " sprintf("%.1f", goal), ok ? "PASS" : "MISS"
  if (!ok) miss++
}
BEGIN {
  printf "%-44s %14s %14s %7s %8s %6s\n", "figure", "nexadex", "raw/ref", "ratio", "goal", "result"
  printf "%-44s %14s %14s %7s %8s %6s\n", "------", "-------", "-------", "-----", "----", "------"
  if (want("a")) row(sprintf("(a) run, %d price events (median of %d)", re, reps), rate(re, a_nx, "ev/s"), rate(re, a_raw, "ev/s"), a_raw / a_nx, ">=", 0.5)
  if (want("b")) {
    row(sprintf("(b) price set, %d-ev journal vs fresh", be), ms(b_big), ms(b_fresh), b_big / b_fresh, "<=", 1.2)
    row(sprintf("(b) price set, %d-ev journal vs raw", be), ms(b_big), ms(b_raw), b_big / b_raw, "<=", 1.5)
  }
  if (want("c")) row(sprintf("(c) verify, %d events (median of %d)", be, reps), rate(be, c_nx, "ev/s"), rate(be, c_raw, "ev/s"), c_raw / c_nx, ">=", 0.2)
  if (want("d")) row(sprintf("(d) run, %d trading ops (median of %d)", to, reps), rate(to, d_nx, "op/s"), rate(to, d_raw, "ev/s"), d_raw / d_nx, ">=", 0.3)
  if (want("e")) row(sprintf("(e) liquidate --all, %d vs %d open", bo, so), ms(e_big), ms(e_small), e_big / e_small, "<=", 2)
  if (want("f")) row(sprintf("(f) deposit, %d vs %d open", bo, dso), ms(f_big), ms(f_tiny), f_big / f_tiny, "<=", 2)
  if (want("g")) row(sprintf("(g) cascade --shock, %d open (seconds)", sto), ms(g_nx), ms(g_raw), g_nx / 1e6, "<=", 2)
  printf "\n"
  if (want("a") || want("c")) printf "(a), (c): whole processes, rate = events / wall time; ratio nexadex rate / raw rate; (a) and (d) run --quiet.\n"
  if (want("b")) {
    printf "(b): median of %d processes each, arms interleaved; ratio nexadex time / reference time.\n", pr
    printf "(b) raw floor keeping its -wal between processes (--persist-wal): %s; nexadex takes %.2fx that.\n", ms(b_raw_pw), b_big / b_raw_pw
  }
  if (want("d")) printf "(d): the whole batch as one process; raw: as many events with 3 postings and 1 upsert each; ratio nexadex rate / raw rate.\n"
  if (want("e") || want("f")) printf "(e), (f): median of %d processes per arm, each on a fresh copy of its journal, arms interleaved; ratio big / small time.\n", fr
  if (want("e")) printf "(e): %d positions are liquidatable in both journals, and each run liquidates them.\n", lq
  if (want("g")) {
    printf "(g): median of %d processes; the goal is absolute (the ratio column is nexadex seconds); raw: raw_scan\n", fr
    printf "     reading every open row once, %.2fx faster. The shock liquidates %s positions, all listed.\n", g_nx / g_raw, g_liq
  }
  exit miss > 0 ? 2 : 0
}' && status=0 || status=$?
echo
echo "spawn_timer detail (microseconds):"
if want b; then sed 's/^/  (b) /' "$dir/b.out"; fi
if want c; then sed 's/^/  (c) /' "$dir/c.out"; fi
if want a; then
  echo "  (a) nx wall: $(tr '\n' ' ' <"$dir/a_nx.us") cpu: $(tr '\n' ' ' <"$dir/a_nx.cpu")"
  echo "  (a) raw wall: $(tr '\n' ' ' <"$dir/a_raw.us") cpu: $(tr '\n' ' ' <"$dir/a_raw.cpu")"
fi
if want d; then
  echo "  (d) nx wall: $(tr '\n' ' ' <"$dir/d_nx.us") cpu: $(tr '\n' ' ' <"$dir/d_nx.cpu")"
  echo "  (d) raw wall: $(tr '\n' ' ' <"$dir/d_raw.us") cpu: $(tr '\n' ' ' <"$dir/d_raw.cpu")"
  echo "  (d) the batch: $d_mix"
fi
for fig in e f; do
  want "$fig" || continue
  for n in big small tiny; do
    [ -f "$dir/${fig}_$n.us" ] || continue
    echo "  ($fig) $n wall: $(tr '\n' ' ' <"$dir/${fig}_$n.us") cpu: $(tr '\n' ' ' <"$dir/${fig}_$n.cpu")"
  done
done
if want g; then sed 's/^/  (g) /' "$dir/g.out"; fi
if [ -n "$build_seconds" ]; then
  echo "  books built, open positions:seconds:$build_seconds"
fi
exit "$status"
