#!/usr/bin/env bash
# scripts/bench-locks.sh: issue 16's figures for liquidity locks, measured in one run on this machine
# with the Release build of scripts/bench.sh (build-bench/), whole processes timed by bench/spawn_timer:
#  (h1) fee income shared by weight: one `nexadex open` (a distribution) on a journal whose tranche has
#       BIG_LOTS lots (all locked) vs one with 10; goal: ratio <= 1.5. Also the cost per distribution
#       inside a `nexadex run` batch of DIST opens and closes: the batch's time less a one-line batch's
#       on the same journal (what opening it costs), divided by DIST;
#  (h2) one `nexadex withdraw w 1` (w's 10 unlocked lots, the oldest taken) on the BIG_LOTS journal vs
#       the 10-lot one; goal: ratio <= 2 (no scan of locked lots: lots are read on demand, by LP and
#       by unlock time, through their indexes); and per withdrawal in a batch of WITHDRAWS, as (h1);
#  (h3) an unlock sweep: one `price set` dated at the second SWEEP_LOTS lots unlock at once, vs
#       SWEEP_LOTS/10, less the same command dated a second before (nothing unlocks); goal: linear in
#       the lots unlocked (ratio about 10), quoted per lot.
# Each arm runs RUNS times on a fresh copy of its journal (arms interleaved); medians are printed.
# Overrides: BENCH_BIG_LOTS (100000), BENCH_DIST (2000), BENCH_WITHDRAWS (500), BENCH_SWEEP_LOTS
# (10000), BENCH_RUNS (7), BENCH_DIR.
# Exit status: 0 when every goal is met, 2 when one is missed, 1 when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
big_lots=${BENCH_BIG_LOTS:-100000}
dist=${BENCH_DIST:-2000}
withdraws=${BENCH_WITHDRAWS:-500}
sweep_lots=${BENCH_SWEEP_LOTS:-10000}
runs=${BENCH_RUNS:-7}
echo "bench-locks: building Release into build-bench/" >&2
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DNEXADEX_BENCH=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j2 --target nexadex spawn_timer >/dev/null
nx=$PWD/build-bench/nexadex
timer=$PWD/build-bench/bench/spawn_timer
if [ -n "${BENCH_DIR:-}" ]; then
  dir=$BENCH_DIR; mkdir -p "$dir"; rm -f "$dir"/*.db* "$dir"/*.txt
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/nexadex-bench-locks.XXXXXX"); trap 'rm -rf "$dir"' EXIT
fi
unset NEXADEX_JOURNAL NEXADEX_FORMAT NEXADEX_NOW
export TZ=UTC
log=$dir/children.log
fail() { echo "bench-locks: $*" >&2; [ -s "$log" ] && tail -5 "$log" >&2; exit 1; }
t0=1767225600   # 2026-01-01T00:00:00Z
cat >"$dir/locks.toml" <<'TOML'
[pool]
max_utilization_bps = 10000
max_price_age = "3650d"

[locks]
tiers = [{ min = "30d", boost_bps = 11000 }, { min = "365d", boost_bps = 20000 }]

[[markets]]
symbol = "BTC"
TOML

# make NAME LOTS LOCK: a journal with LOTS lots of 100 locked for LOCK (half not compounding), held by
# 10 LPs (so that both journals have about as many LPs: the lps table is read whole when a journal
# opens, a cost of its own), then w's 10 unlocked lots of 100, and a price; one `run` batch at t0.
make() {
  local name=$1 lots=$2 lock=$3 i
  {
    echo "price set BTC 50000"
    for ((i = 0; i < lots; i++)); do
      if ((i % 2)); then echo "deposit lp$((i % 10)) 100 --lock $lock --no-compound"; else echo "deposit lp$((i % 10)) 100 --lock $lock"; fi
    done
    for ((i = 0; i < 10; i++)); do echo "deposit w 100"; done
  } >"$dir/build.txt"
  rm -f "$dir/$name.db"*
  "$nx" --journal "$dir/$name.db" init --config "$dir/locks.toml" --at "@$t0" -q 2>>"$log" || fail "init $name"
  "$nx" --journal "$dir/$name.db" run "$dir/build.txt" --at "@$t0" -q 2>>"$log" || fail "building $name"
}
source scripts/bench-arms.sh   # arms, median, ratio (the working directory is the repository)
status=0

echo "bench-locks: building journals of $big_lots and 10 lots" >&2
start=$(date +%s%N); make big "$big_lots" 365d; end=$(date +%s%N)
build_big=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
make small 0 365d
at=$((t0 + 86400))
# (h1) distributions: opens and closes of a 100 long (a fee each way); (h2) withdrawals of w's 10
# unlocked lots among the locked ones. Each as one command, and as a batch less a one-line batch.
{ for ((i = 0; i < dist / 2; i++)); do echo "open t BTC long --collateral 100 --size 100"; echo "close $((big_lots + 13 + 2 * i))"; done; } >"$dir/dist_big.txt"
{ for ((i = 0; i < dist / 2; i++)); do echo "open t BTC long --collateral 100 --size 100"; echo "close $((13 + 2 * i))"; done; } >"$dir/dist_small.txt"
{ for ((i = 0; i < withdraws; i++)); do echo "withdraw w 1"; done; } >"$dir/withdraw.txt"
echo "price set BTC 50000" >"$dir/one.txt"
cp "$dir/one.txt" "$dir/one_big.txt"; cp "$dir/one.txt" "$dir/one_small.txt"
cp "$dir/withdraw.txt" "$dir/withdraw_big.txt"; cp "$dir/withdraw.txt" "$dir/withdraw_small.txt"
# batch FIG BATCH: RUNS runs of `nexadex run BATCH_<journal>.txt` on fresh copies of big and small
batch() {
  local fig=$1 name=$2 r j
  : >"$dir/${fig}_big.us"; : >"$dir/${fig}_small.us"
  for ((r = 1; r <= runs; r++)); do
    for j in big small; do rm -f "$dir/c_$j.db"*; cp "$dir/$j.db" "$dir/c_$j.db"; sync "$dir/c_$j.db"; done
    "$timer" --runs 1 --log "$log" \
      --arm big "$at" "$nx" --journal "$dir/c_big.db" run "$dir/${name}_big.txt" --at "@$at" -q \
      --arm small "$at" "$nx" --journal "$dir/c_small.db" run "$dir/${name}_small.txt" --at "@$at" -q >"$dir/out.txt" ||
      fail "($fig) failed"
    for j in big small; do awk -v a="$j" '$1 == a { for (i = 2; i < NF; i++) if ($i == "median_us") print $(i + 1) }' "$dir/out.txt" >>"$dir/${fig}_$j.us"; done
  done
}
# per FIG JOURNAL N: the batch's median less the one-line batch's, per line
per() { awk -v t="$(median "$dir/$1_$2.us")" -v z="$(median "$dir/h0_$2.us")" -v n="$3" 'BEGIN { printf "%.1f", (t - z) / n }'; }
echo "bench-locks: (h1) one open, and $dist distributions in a batch, $runs runs per arm" >&2
arms h1one "$at" big small open t BTC long --collateral 100 --size 100 --at "@$at" -q
batch h0 one
batch h1 dist
echo "bench-locks: (h2) one withdrawal, and $withdraws in a batch, $runs runs per arm" >&2
arms h2one "$at" big small withdraw w 1 --at "@$at" -q
batch h2 withdraw
one1_big=$(median "$dir/h1one_big.us"); one1_small=$(median "$dir/h1one_small.us")
one2_big=$(median "$dir/h2one_big.us"); one2_small=$(median "$dir/h2one_small.us")
per_big=$(per h1 big "$dist"); per_small=$(per h1 small "$dist")
wper_big=$(per h2 big "$withdraws"); wper_small=$(per h2 small "$withdraws")
r1=$(ratio "$one1_big" "$one1_small"); r1b=$(ratio "$per_big" "$per_small")
r2=$(ratio "$one2_big" "$one2_small"); r2b=$(ratio "$wper_big" "$wper_small")

# (h3) unlock sweeps: every lot locked 30 days, all unlocking at the same second
echo "bench-locks: (h3) unlock sweeps of $sweep_lots and $((sweep_lots / 10)) lots" >&2
make sweep "$sweep_lots" 30d
make sweep10 "$((sweep_lots / 10))" 30d
unlock=$((t0 + 30 * 86400))
arms h3 "$unlock" sweep sweep10 price set BTC 50000 --at "@$unlock" -q
arms h3b "$((unlock - 1))" sweep sweep10 price set BTC 50000 --at "@$((unlock - 1))" -q
s_big=$(( $(median "$dir/h3_sweep.us") - $(median "$dir/h3b_sweep.us") ))
s_small=$(( $(median "$dir/h3_sweep10.us") - $(median "$dir/h3b_sweep10.us") ))
r3=$(ratio "$s_big" "$s_small")
per_lot=$(awk -v t="$s_big" -v n="$sweep_lots" 'BEGIN { printf "%.2f", t / n }')

tree=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
echo "nexadex locks bench ($tree), medians of $runs runs per arm; journal of $big_lots lots built in ${build_big} s"
echo "(h1) one \`open\` (a distribution): $one1_big us with $big_lots lots vs $one1_small us with 10: ratio $r1 (goal <= 1.5)"
echo "     per distribution in a batch of $dist: $per_big us vs $per_small us: ratio $r1b"
echo "(h2) one \`withdraw\` (10 lots unlocked): $one2_big us with $big_lots lots vs $one2_small us with 10: ratio $r2 (goal <= 2)"
echo "     per withdrawal in a batch of $withdraws: $wper_big us vs $wper_small us: ratio $r2b"
echo "(h3) unlock sweep: $s_big us for $sweep_lots lots vs $s_small us for $((sweep_lots / 10)): ratio $r3 (linear: about 10), $per_lot us a lot"
awk -v r="$r1" 'BEGIN { exit !(r <= 1.5) }' || { echo "bench-locks: (h1) missed its goal" >&2; status=2; }
awk -v r="$r2" 'BEGIN { exit !(r <= 2) }' || { echo "bench-locks: (h2) missed its goal" >&2; status=2; }
exit $status
