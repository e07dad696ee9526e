#!/usr/bin/env bash
# scripts/bench.sh: builds bench/ in Release and prints nexadex's figures against raw SQLite ceilings.
#
# Measured in one run on this machine, on the same rows (bench/bench_common.hpp fixes the payloads):
#  (a) `nexadex run` of RUN_EVENTS price events vs bench/raw_append inserting the same rows (same
#      payload bytes, same SHA-256 chain) with one prepared statement in one transaction;
#  (b) one `nexadex price set` process on a BIG_EVENTS-event journal vs on a fresh one, and vs
#      raw_append appending one chained row (the per-process floor), medians over PROC_RUNS runs;
#  (c) `nexadex verify` of the big journal vs bench/raw_verify recomputing the chain.
# Whole processes are timed by bench/spawn_timer (posix_spawn to wait4, steady_clock), the arms
# of a figure interleaved. Overrides for quick or profiling runs: BENCH_RUN_EVENTS (200000),
# BENCH_BIG_EVENTS (1000000), BENCH_PROC_RUNS (200), BENCH_REPS (5: runs of (a) and (c)),
# BENCH_DIR (keep the inputs there instead of a temp dir that is removed). Exit status: 0 when every
# goal is met, 2 when one is missed, 1 when a step fails. `scripts/bench.sh --profile` runs callgrind
# instead (see below).
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
t0=1767225600   # 2026-01-01T00:00:00Z; bench_common.hpp's k_epoch, one event a second from here

echo "bench: building Release into build-bench/" >&2
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DNEXADEX_BENCH=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j2 --target nexadex gen_batch raw_append raw_verify spawn_timer >/dev/null
# What was built: other work in the tree changes the figures.
tree=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
if [ -n "$(git status --porcelain -- lib journal cli CMakeLists.txt 2>/dev/null)" ]; then
  tree="$tree + uncommitted changes in lib/ journal/ cli/"
fi

bin=$PWD/build-bench
nx=$bin/nexadex
gen=$bin/bench/gen_batch
raw_append=$bin/bench/raw_append
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
echo "bench: (a) run of $run_events price events vs raw_append, $reps times" >&2
"$gen" "$dir/batch_a.txt" "$run_events" $((t0 + 1))
: >"$dir/a_nx.us"
: >"$dir/a_raw.us"
: >"$dir/a_nx.cpu"
: >"$dir/a_raw.cpu"
for ((r = 1; r <= reps; r++)); do
  copy_journal "$dir/fresh.db" "$dir/a_nx.db"
  copy_journal "$dir/fresh.db" "$dir/a_raw.db"
  nx_arm=(--arm nx 0 "$nx" --journal "$dir/a_nx.db" run "$dir/batch_a.txt")
  raw_arm=(--arm raw 0 "$raw_append" "$dir/a_raw.db" "$run_events" $((t0 + 1)))
  if ((r % 2)); then arms=("${nx_arm[@]}" "${raw_arm[@]}"); else arms=("${raw_arm[@]}" "${nx_arm[@]}"); fi
  "$timer" --runs 1 --log "$log" "${arms[@]}" >"$dir/a.out" || fail "(a) failed"
  field "$dir/a.out" nx median_us >>"$dir/a_nx.us"
  field "$dir/a.out" raw median_us >>"$dir/a_raw.us"
  field "$dir/a.out" nx cpu_median_us >>"$dir/a_nx.cpu"
  field "$dir/a.out" raw cpu_median_us >>"$dir/a_raw.cpu"
  if ((r < reps)); then drop_journal "$dir/a_raw.db"; fi
done
a_nx_us=$(median <"$dir/a_nx.us")
a_raw_us=$(median <"$dir/a_raw.us")
# Same rows: both chains must end in the same head.
nx_head=$("$raw_verify" "$dir/a_nx.db") || fail "(a) nexadex's journal does not chain: $nx_head"
raw_head=$("$raw_verify" "$dir/a_raw.db") || fail "(a) raw_append's journal does not chain: $raw_head"
[ "$nx_head" = "$raw_head" ] || fail "(a) the chains differ: nexadex '$nx_head', raw '$raw_head'"
drop_journal "$dir/a_raw.db"

# The big journal: (a)'s last result plus batches of at most run_events, built with `nexadex run`,
# until it holds big_events events (the journal_created event included).
echo "bench: building the $big_events-event journal with nexadex run" >&2
copy_journal "$dir/a_nx.db" "$dir/big.db"
drop_journal "$dir/a_nx.db"
have=$((run_events + 1))
while ((have < big_events)); do
  n=$((big_events - have))
  ((n > run_events)) && n=$run_events
  "$gen" "$dir/batch_big.txt" "$n" $((t0 + have))
  "$nx" --journal "$dir/big.db" run "$dir/batch_big.txt" >/dev/null 2>>"$log" || fail "building the big journal failed"
  have=$((have + n))
done
rm -f "$dir/batch_big.txt"
big_head=$("$raw_verify" "$dir/big.db") || fail "the big journal does not chain: $big_head"
[ "$(echo "$big_head" | awk '{ print $2 }')" = "$big_events" ] || fail "the big journal holds '$big_head', not $big_events events"
big_next=$((t0 + big_events))   # first free second after the big journal's last event

# (c) verify, before (b) appends to the big journal.
echo "bench: (c) verify of $big_events events vs raw_verify, $reps times" >&2
"$timer" --runs "$reps" --log "$log" \
  --arm nx 0 "$nx" --journal "$dir/big.db" verify \
  --arm raw 0 "$raw_verify" "$dir/big.db" >"$dir/c.out" || fail "(c) failed"
c_nx_us=$(field "$dir/c.out" nx median_us)
c_raw_us=$(field "$dir/c.out" raw median_us)

# (b) one price set per process: the big journal, a fresh one, and the raw floor on a copy of the big
# one (raw_append writes no markets row, so it must not touch the journal nexadex uses).
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

sqlite_version=$(sqlite3 --version 2>/dev/null | awk '{ print $1 }' || true)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "nexadex bench: tree $tree; $(nproc) cores${cpu:+, $cpu}${sqlite_version:+, sqlite3 CLI $sqlite_version}, load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v re="$run_events" -v be="$big_events" -v pr="$proc_runs" -v reps="$reps" \
  -v a_nx="$a_nx_us" -v a_raw="$a_raw_us" -v c_nx="$c_nx_us" -v c_raw="$c_raw_us" \
  -v b_big="$b_big_us" -v b_fresh="$b_fresh_us" -v b_raw="$b_raw_us" -v b_raw_pw="$b_raw_pw_us" '
function rate(n, us) { return sprintf("%.0f ev/s", n / (us / 1e6)) }
function ms(us) { return sprintf("%.2f ms", us / 1000) }
function row(fig, v, ref, ratio, op, goal) {
  ok = (op == ">=") ? ratio >= goal : ratio <= goal
  printf "%-44s %14s %14s %7.2f %8s %6s\n", fig, v, ref, ratio, op " " sprintf("%.1f", goal), ok ? "PASS" : "MISS"
  if (!ok) miss++
}
BEGIN {
  printf "%-44s %14s %14s %7s %8s %6s\n", "figure", "nexadex", "raw/ref", "ratio", "goal", "result"
  printf "%-44s %14s %14s %7s %8s %6s\n", "------", "-------", "-------", "-----", "----", "------"
  row(sprintf("(a) run, %d price events (median of %d)", re, reps), rate(re, a_nx), rate(re, a_raw), a_raw / a_nx, ">=", 0.5)
  row(sprintf("(b) price set, %d-ev journal vs fresh", be), ms(b_big), ms(b_fresh), b_big / b_fresh, "<=", 1.2)
  row(sprintf("(b) price set, %d-ev journal vs raw", be), ms(b_big), ms(b_raw), b_big / b_raw, "<=", 1.5)
  row(sprintf("(c) verify, %d events (median of %d)", be, reps), rate(be, c_nx), rate(be, c_raw), c_raw / c_nx, ">=", 0.2)
  printf "\n(a), (c): whole processes, rate = events / wall time; (b): median of %d processes each, arms interleaved.\n", pr
  printf "ratios: (a), (c) nexadex rate / raw rate; (b) nexadex time / reference time.\n"
  printf "(b) raw floor keeping its -wal between processes (--persist-wal): %s; nexadex takes %.2fx that.\n", ms(b_raw_pw), b_big / b_raw_pw
  exit miss > 0 ? 2 : 0
}' && status=0 || status=$?
echo
echo "spawn_timer detail (microseconds):"
sed 's/^/  (b) /' "$dir/b.out"
sed 's/^/  (c) /' "$dir/c.out"
echo "  (a) nx wall: $(tr '\n' ' ' <"$dir/a_nx.us") cpu: $(tr '\n' ' ' <"$dir/a_nx.cpu")"
echo "  (a) raw wall: $(tr '\n' ' ' <"$dir/a_raw.us") cpu: $(tr '\n' ' ' <"$dir/a_raw.cpu")"
exit "$status"
