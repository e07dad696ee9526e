#!/usr/bin/env bash
# scripts/bench-audit.sh: the auditor's figures (issue 19) on a journal of OPS events of the trading-day
# mix: bench/gen_trading with a steady book of at most MAX_OPEN open BTC and ETH positions (a pool's
# book over a year does not grow without bound), written by `nexadex run` in batches of 1,000,000 lines.
#  (h) `nexadex verify` vs bench/raw_verify --postings on the same file in the same run (the raw ceiling
#      of the work a scan can do: the SHA-256 chain, and the postings read beside the events, each
#      event's legs summed and every account's balance kept): times, ratio, peak RSS;
#  (i) `nexadex report pool --seq N` at 20 random N (seeded): median and worst time, peak RSS; and with
#      the checkpoints removed from a copy, at 3 of those N, the time of the full replay it replaces;
#  (j) `nexadex report history --every 1d` over the whole journal: time and peak RSS;
#  (k) `nexadex verify --from-checkpoint`: time.
#  (l) issue 19's own figure: `nexadex verify` of the bench book of figure (e) (bench/gen_book: 1,000,000
#      opens ending with 1,000,000 open positions, 1,000,006 events, 5,000,002 postings) vs
#      bench/raw_verify --postings on the same file, REPS pairs interleaved (raw first): each pair's
#      times and ratio, and the median ratio (goal >= 0.30).
# Times are wall clock of whole processes (date +%s%N around each), peak RSS from GNU time.
# Overrides: BENCH_AUDIT_OPS (10000000), BENCH_AUDIT_MAX_OPEN (5000), BENCH_AUDIT_BOOK (1000000),
# BENCH_REPS (5: pairs of (l)), BENCH_AUDIT_BOOK_ONLY (set: (l) only), BENCH_DIR (keep the journals there and reuse them when they are already
# built: building 10M events takes about 10 minutes, the book about 4).
set -euo pipefail
cd "$(dirname "$0")/.."

ops=${BENCH_AUDIT_OPS:-10000000}
max_open=${BENCH_AUDIT_MAX_OPEN:-5000}
book_open=${BENCH_AUDIT_BOOK:-1000000}
reps=${BENCH_REPS:-5}
batch=1000000
t0=1767225600   # 2026-01-01T00:00:00Z

echo "bench-audit: building Release into build-bench/" >&2
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DNEXADEX_BENCH=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j2 --target nexadex gen_trading gen_book raw_verify >/dev/null
tree=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
if [ -n "$(git status --porcelain -- lib journal cli CMakeLists.txt 2>/dev/null)" ]; then
  tree="$tree + uncommitted changes in lib/ journal/ cli/"
fi
nx=$PWD/build-bench/nexadex
gen_trading=$PWD/build-bench/bench/gen_trading
gen_book=$PWD/build-bench/bench/gen_book
raw_verify=$PWD/build-bench/bench/raw_verify

if [ -n "${BENCH_DIR:-}" ]; then
  dir=$BENCH_DIR
  mkdir -p "$dir"
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/nexadex-bench-audit.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
fi
log=$dir/bench.log
fail() { echo "bench-audit: $*" >&2; exit 1; }
now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }
# peak KB of a command (its output discarded): GNU time's %M
peak_kb() { /usr/bin/time -f "%M" -o "$dir/time.txt" "$@" >/dev/null 2>>"$log" || fail "$* failed (see $log)"; cat "$dir/time.txt"; }

if [ -z "${BENCH_AUDIT_BOOK_ONLY:-}" ]; then   # the 10M-event journal's figures (h) to (k)
j=$dir/audit-$ops-$max_open.db
if [ ! -s "$j.done" ]; then
  echo "bench-audit: writing the $ops-event journal (steady book of $max_open) into $j" >&2
  rm -f "$j" "$j-wal" "$j-shm"
  "$nx" --journal "$j" init --config bench/trading.toml --at "@$t0" -q 2>>"$log" || fail "init failed"
  "$gen_trading" "$dir/ops.txt" "$ops" $((t0 + 1)) 4 "$max_open" >"$dir/mix.txt" || fail "gen_trading failed"
  split -l "$batch" -d -a 3 "$dir/ops.txt" "$dir/part."
  rm -f "$dir/ops.txt"
  start=$(now_ns)
  for part in "$dir"/part.*; do
    "$nx" --journal "$j" run "$part" -q >/dev/null 2>>"$log" || fail "run $part failed (see $log)"
    rm -f "$part"
  done
  echo "$(ms_since "$start")" >"$j.done"
fi
build_ms=$(cat "$j.done")
head=$(( $(sqlite3 "$j" "SELECT max(seq) FROM events") ))
checkpoints=$(sqlite3 "$j" "SELECT count(*) FROM checkpoints")
open_now=$(sqlite3 "$j" "SELECT coalesce(sum(open), 0) FROM books")
size_mb=$(( $(stat -c %s "$j") / 1000000 ))
image_mb=$(( $(sqlite3 "$j" "SELECT coalesce(sum(length(image)), 0) FROM checkpoints") / 1000000 ))

echo "bench-audit: (h) verify vs raw_verify --postings" >&2
sync
start=$(now_ns); raw_out=$("$raw_verify" "$j" --postings) || fail "raw_verify: $raw_out"; raw_ms=$(ms_since "$start")
start=$(now_ns); "$nx" --journal "$j" verify 2>>"$log" || fail "verify failed (see $log)"; verify_ms=$(ms_since "$start")
start=$(now_ns); raw_out=$("$raw_verify" "$j" --postings) || fail "raw_verify: $raw_out"; raw2_ms=$(ms_since "$start")
raw_ms=$(( raw_ms < raw2_ms ? raw_ms : raw2_ms ))
verify_kb=$(peak_kb "$nx" --journal "$j" verify)
raw_kb=$(peak_kb "$raw_verify" "$j" --postings)

echo "bench-audit: (i) report pool --seq N at 20 random N" >&2
: >"$dir/seq_ms.txt"
seqs=$(awk -v n="$head" 'BEGIN { srand(19); for (i = 0; i < 20; i++) print 1 + int(rand() * n) }')
for s in $seqs; do
  start=$(now_ns)
  "$nx" --journal "$j" report pool --seq "$s" >/dev/null 2>>"$log" || fail "report pool --seq $s failed"
  ms_since "$start" >>"$dir/seq_ms.txt"
done
seq_median=$(sort -n "$dir/seq_ms.txt" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
seq_worst=$(sort -n "$dir/seq_ms.txt" | tail -n 1)
seq_kb=$(peak_kb "$nx" --journal "$j" report pool --seq "$(echo "$seqs" | tail -n 1)")
# the same reports by full replay, on a copy without checkpoints, at the first 3 N
cp "$j" "$dir/nocp.db"
sqlite3 "$dir/nocp.db" "DELETE FROM checkpoints"
: >"$dir/replay_ms.txt"
for s in $(echo "$seqs" | head -n 3); do
  a=$("$nx" --journal "$j" report pool --seq "$s" --format json)
  start=$(now_ns)
  b=$("$nx" --journal "$dir/nocp.db" report pool --seq "$s" --format json)
  ms_since "$start" >>"$dir/replay_ms.txt"
  [ "$a" = "$b" ] || fail "report pool --seq $s differs with and without checkpoints"
done
rm -f "$dir/nocp.db"
replay_worst=$(sort -n "$dir/replay_ms.txt" | tail -n 1)

echo "bench-audit: (j) report history --every 1d" >&2
start=$(now_ns)
"$nx" --journal "$j" report history --every 1d >/dev/null 2>>"$log" || fail "report history failed"
history_ms=$(ms_since "$start")
history_kb=$(peak_kb "$nx" --journal "$j" report history --every 1d)

echo "bench-audit: (k) verify --from-checkpoint" >&2
start=$(now_ns)
"$nx" --journal "$j" verify --from-checkpoint 2>>"$log" || fail "verify --from-checkpoint failed"
tail_ms=$(ms_since "$start")

fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# (l) the book: examples/basic.toml, then gen_book's opens by `run --at` in batches of 250,000 lines
b=$dir/book-$book_open.db
if [ ! -s "$b.done" ]; then
  echo "bench-audit: writing the book of $book_open open positions into $b" >&2
  rm -f "$b" "$b-wal" "$b-shm"
  "$nx" --journal "$b" init --config examples/basic.toml --at "@$t0" -q 2>>"$log" || fail "init of the book failed"
  from=0
  while ((from < book_open + 5)); do
    "$gen_book" "$dir/book.txt" "$book_open" 0 "$from" 250000 || fail "gen_book failed"
    "$nx" --journal "$b" run "$dir/book.txt" --at "@$((t0 + 1))" -q 2>>"$log" || fail "building the book failed at line $from"
    from=$((from + 250000))
  done
  rm -f "$dir/book.txt"
  echo done >"$b.done"
fi
echo "bench-audit: (l) verify of the book vs raw_verify --postings, $reps pairs" >&2
book_pairs=""
book_ratios=()
for ((i = 0; i < reps; i++)); do
  start=$(now_ns); out=$("$raw_verify" "$b" --postings) || fail "raw_verify of the book: $out"; r_ms=$(ms_since "$start")
  start=$(now_ns); "$nx" --journal "$b" verify 2>>"$log" || fail "verify of the book failed (see $log)"; v_ms=$(ms_since "$start")
  book_pairs="$book_pairs $v_ms/$r_ms"
  book_ratios+=("$(ratio "$r_ms" "$v_ms")")
done
book_median=$(printf '%s\n' "${book_ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
book_kb=$(peak_kb "$nx" --journal "$b" verify)
echo "bench-audit at $tree on $(nproc) cores"
if [ -z "${BENCH_AUDIT_BOOK_ONLY:-}" ]; then
echo "  journal: $head events, $size_mb MB ($image_mb MB of them in $checkpoints checkpoints), $open_now open positions at the end, written in $((build_ms / 1000)) s"
echo "  mix: $(cat "$dir/mix.txt" 2>/dev/null || echo '(reused)')"
echo "  (h) verify $verify_ms ms vs raw_verify --postings $raw_ms ms: raw/verify $(ratio "$raw_ms" "$verify_ms") (goal >= 0.30); peak RSS verify $((verify_kb / 1024)) MB, raw $((raw_kb / 1024)) MB"
echo "  (i) report pool --seq N at 20 random N: median $seq_median ms, worst $seq_worst ms (goal <= 200), peak RSS $((seq_kb / 1024)) MB; by full replay (no checkpoints), worst of 3: $replay_worst ms"
echo "  (j) report history --every 1d: $history_ms ms, peak RSS $((history_kb / 1024)) MB"
echo "  (k) verify --from-checkpoint: $tail_ms ms"
fi
echo "  (l) verify of the book of $book_open open positions vs raw_verify --postings, ms (verify/raw):$book_pairs;"
echo "      ratios ${book_ratios[*]}, median $book_median (goal >= 0.30); peak RSS $((book_kb / 1024)) MB"
