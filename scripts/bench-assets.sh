#!/usr/bin/env bash
# scripts/bench-assets.sh: issue 17's figures for multi-asset pools, measured in one run on this
# machine with the Release build of scripts/bench.sh (build-bench/), whole processes timed by
# bench/spawn_timer:
#  (a1) one `deposit` and one `withdraw` (of the settlement asset, and of BTC) on a pool of 10 assets
#       that holds all 10, vs the same on a pool of 1 asset (USDC) or 2 (USDC, BTC); goal: ratio <= 1.5;
#  (a2) one `price set BTC` (a price of a held asset: the holdings revalued, the inventory result
#       booked) on a pool with BIG open positions vs one with BIG/1000; goal: ratio <= 2.
# Beside them, the raw floor: `price set` of a market that prices no held asset on the same journals.
# Each arm runs RUNS times on a fresh copy of its journal (arms interleaved); medians are printed.
# Overrides: BENCH_BIG (1000000), BENCH_RUNS (7), BENCH_BUILD_BATCH (200000), BENCH_DIR.
# Exit status: 0 when every goal is met, 2 when one is missed, 1 when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
big=${BENCH_BIG:-1000000}
runs=${BENCH_RUNS:-7}
build_batch=${BENCH_BUILD_BATCH:-200000}
small=$((big / 1000))
echo "bench-assets: building Release into build-bench/" >&2
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DNEXADEX_BENCH=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j2 --target nexadex spawn_timer gen_book >/dev/null
nx=$PWD/build-bench/nexadex
timer=$PWD/build-bench/bench/spawn_timer
gen_book=$PWD/build-bench/bench/gen_book
if [ -n "${BENCH_DIR:-}" ]; then
  dir=$BENCH_DIR; mkdir -p "$dir"; rm -f "$dir"/*.db* "$dir"/*.txt
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/nexadex-bench-assets.XXXXXX"); trap 'rm -rf "$dir"' EXIT
fi
unset NEXADEX_JOURNAL NEXADEX_FORMAT NEXADEX_NOW
export TZ=UTC
log=$dir/children.log
fail() { echo "bench-assets: $*" >&2; [ -s "$log" ] && tail -5 "$log" >&2; exit 1; }
t0=1767225600   # 2026-01-01T00:00:00Z

# config NAME N: a pool of N assets: USDC (the settlement asset) and N-1 priced by markets M1..M(N-1)
# (BTC and ETH as well, for the book of (a2)); bands wide open, a linear fee curve on each.
config() {
  local name=$1 n=$2 i
  {
    printf '[pool]\nmax_utilization_bps = 8000\nmax_price_age = "3650d"\n\n'
    printf '[[markets]]\nsymbol = "BTC"\nmax_leverage = 10\n[[markets]]\nsymbol = "ETH"\nmax_leverage = 10\n'
    for ((i = 1; i < n; i++)); do printf '[[markets]]\nsymbol = "M%d"\n' "$i"; done
    printf '\n[[assets]]\nsymbol = "USDC"\ndecimals = 6\nstable = true\ntarget_weight_bps = %d\nmax_weight_bps = 10000\n' \
      $((10000 - (n - 1) * (10000 / n)))
    printf 'add_fee_bps = 10\nremove_fee_bps = 10\nfee_curve = "linear"\n'
    for ((i = 1; i < n; i++)); do
      printf '[[assets]]\nsymbol = "A%d"\ndecimals = 8\nprice = "M%d"\ntarget_weight_bps = %d\nmax_weight_bps = 10000\n' \
        "$i" "$i" $((10000 / n))
      printf 'add_fee_bps = 30\nremove_fee_bps = 30\nfee_curve = "linear"\nprice_confidence_bps = 10\n'
    done
  } >"$dir/$name.toml"
}
# a pool of N assets holding each: 100,000 USDC, then 1 token of each other asset at 10,000
fill() {
  local name=$1 n=$2 i
  {
    for ((i = 1; i < n; i++)); do echo "price set M$i 10000"; done
    echo "price set BTC 65000"
    echo "deposit lp0 100000"
    for ((i = 1; i < n; i++)); do echo "deposit lp$i 1 --asset A$i"; done
  } >"$dir/fill_$name.txt"
  rm -f "$dir/$name.db"*
  "$nx" --journal "$dir/$name.db" init --config "$dir/$name.toml" --at "@$t0" -q 2>>"$log" || fail "init $name"
  "$nx" --journal "$dir/$name.db" run "$dir/fill_$name.txt" --at "@$t0" -q >/dev/null 2>>"$log" || fail "filling $name"
}
# book NAME OPEN: a 2-asset pool (USDC, and A1 priced by BTC) with OPEN open positions (bench/gen_book's
# batch: USDC deposits, 2x opens on BTC and ETH), then 10 tokens of A1 deposited: the pool holds BTC.
book() {
  local name=$1 open=$2 from=0 total=$(($2 + 5))
  {
    printf '[pool]\nmax_utilization_bps = 8000\nmax_price_age = "3650d"\n\n'
    printf '[fees]\nopen_fee_bps = 10\nclose_fee_bps = 10\nliquidation_fee = "5"\n'
    printf '[[markets]]\nsymbol = "BTC"\nmax_leverage = 10\n[[markets]]\nsymbol = "ETH"\nmax_leverage = 10\n'
    printf '[[assets]]\nsymbol = "USDC"\ndecimals = 6\nstable = true\ntarget_weight_bps = 5000\nmax_weight_bps = 10000\n'
    printf '[[assets]]\nsymbol = "A1"\ndecimals = 8\nprice = "BTC"\ntarget_weight_bps = 5000\nmax_weight_bps = 10000\n'
    printf 'price_confidence_bps = 10\n'
  } >"$dir/$name.toml"
  rm -f "$dir/$name.db"*
  "$nx" --journal "$dir/$name.db" init --config "$dir/$name.toml" --at "@$t0" -q 2>>"$log" || fail "init $name"
  while ((from < total)); do
    "$gen_book" "$dir/book.txt" "$open" 0 "$from" "$build_batch" || fail "gen_book failed"
    "$nx" --journal "$dir/$name.db" run "$dir/book.txt" --at "@$((t0 + 1))" -q >/dev/null 2>>"$log" || fail "building $name"
    from=$((from + build_batch))
  done
  echo "deposit holder 10 --asset A1" >"$dir/hold.txt"
  "$nx" --journal "$dir/$name.db" run "$dir/hold.txt" --at "@$((t0 + 1))" -q >/dev/null 2>>"$log" || fail "holding BTC in $name"
}
source scripts/bench-arms.sh   # arms, median, ratio (the working directory is the repository)
status=0

echo "bench-assets: (a1) pools of 10, 2 and 1 assets" >&2
config ten 10; fill ten 10
config two 2; fill two 2
config one 1; fill one 1
at=$((t0 + 60))
arms a1d "$at" ten one deposit x 1000 --at "@$at" -q
arms a1w "$at" ten one withdraw lp0 1000 --at "@$at" -q
arms a1t "$at" ten two deposit x 0.01 --asset A1 --at "@$at" -q
arms a1u "$at" ten two withdraw lp0 100 --asset A1 --at "@$at" -q
d10=$(median "$dir/a1d_ten.us"); d1=$(median "$dir/a1d_one.us")
w10=$(median "$dir/a1w_ten.us"); w1=$(median "$dir/a1w_one.us")
t10=$(median "$dir/a1t_ten.us"); t2=$(median "$dir/a1t_two.us")
u10=$(median "$dir/a1u_ten.us"); u2=$(median "$dir/a1u_two.us")
rd=$(ratio "$d10" "$d1"); rw=$(ratio "$w10" "$w1"); rt=$(ratio "$t10" "$t2"); ru=$(ratio "$u10" "$u2")

echo "bench-assets: (a2) books of $big and $small open positions" >&2
start=$(date +%s%N); book big "$big"; end=$(date +%s%N)
build_big=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
book small "$small"
at=$((t0 + 120))
arms a2 "$at" big small price set BTC 59000 --at "@$at" -q
arms a2e "$at" big small price set ETH 3300 --at "@$at" -q
p_big=$(median "$dir/a2_big.us"); p_small=$(median "$dir/a2_small.us")
e_big=$(median "$dir/a2e_big.us"); e_small=$(median "$dir/a2e_small.us")
rp=$(ratio "$p_big" "$p_small")

tree=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
echo "nexadex multi-asset bench ($tree), medians of $runs runs per arm; book of $big positions built in ${build_big} s"
echo "(a1) deposit USDC:   $d10 us on 10 assets vs $d1 us on 1: ratio $rd (goal <= 1.5)"
echo "     withdraw USDC:  $w10 us on 10 assets vs $w1 us on 1: ratio $rw (goal <= 1.5)"
echo "     deposit A1:     $t10 us on 10 assets vs $t2 us on 2: ratio $rt (goal <= 1.5)"
echo "     withdraw in A1: $u10 us on 10 assets vs $u2 us on 2: ratio $ru (goal <= 1.5)"
echo "(a2) price of a held asset: $p_big us with $big positions vs $p_small us with $small: ratio $rp (goal <= 2)"
echo "     a price of no held asset (ETH), for scale: $e_big us vs $e_small us"
for r in "$rd" "$rw" "$rt" "$ru"; do
  awk -v r="$r" 'BEGIN { exit !(r <= 1.5) }' || { echo "bench-assets: (a1) missed its goal ($r)" >&2; status=2; }
done
awk -v r="$rp" 'BEGIN { exit !(r <= 2) }' || { echo "bench-assets: (a2) missed its goal" >&2; status=2; }
exit $status
