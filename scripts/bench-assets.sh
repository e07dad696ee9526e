#!/usr/bin/env bash
# scripts/bench-assets.sh: issue 17's figures for multi-asset pools, measured in one run on this
# machine with the Release build of scripts/bench.sh (build-bench/), whole processes timed by
# bench/spawn_timer:
#  (a1) one `deposit` and one `withdraw` (of the settlement asset, and of BTC) on a pool of 10 assets
#       that holds all 10, vs the same on a pool of 1 asset (USDC) or 2 (USDC, BTC); goal: ratio <= 1.5;
#  (a2) one `price set BTC` (a price of a held asset: the holdings revalued, the inventory result
#       booked) on a pool of 10 assets holding all 10 with BIG open positions vs one with BIG/1000;
#       goal: ratio <= 2;
#  (a3) (issue 18) one `open` and one `close` on the same two pools; goal: ratio <= 2 each;
#  (a4) (issue 18) the trading day of figure (d) of scripts/bench.sh (bench/gen_trading, TRADING_OPS
#       lines) run as one batch on a pool of 3 assets (USDC, BTC, ETH, holding all 3: every BTC and ETH
#       price revalues holdings) vs bench/raw_trading appending as many chained events with 3 postings
#       and 1 upsert each to a copy of the same journal; goal: ratio of rates >= 0.3.
# Beside them, the raw floor: `price set` of a market that prices no held asset on the same journals.
# Each arm runs RUNS times on a fresh copy of its journal (arms interleaved); medians are printed.
# Overrides: BENCH_BIG (1000000), BENCH_RUNS (7), BENCH_BUILD_BATCH (200000), BENCH_TRADING_OPS (100000),
# BENCH_DIR. BENCH_ASSETS_TRADING_ONLY=1 measures (a4) alone (no book of BIG positions is built).
# Exit status: 0 when every goal is met, 2 when one is missed, 1 when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
big=${BENCH_BIG:-1000000}
runs=${BENCH_RUNS:-7}
build_batch=${BENCH_BUILD_BATCH:-200000}
trading_ops=${BENCH_TRADING_OPS:-100000}
small=$((big / 1000))
echo "bench-assets: building Release into build-bench/" >&2
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DNEXADEX_BENCH=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j2 --target nexadex spawn_timer gen_book gen_trading raw_trading >/dev/null
nx=$PWD/build-bench/nexadex
timer=$PWD/build-bench/bench/spawn_timer
gen_book=$PWD/build-bench/bench/gen_book
gen_trading=$PWD/build-bench/bench/gen_trading
raw_trading=$PWD/build-bench/bench/raw_trading
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
# book NAME OPEN: a pool of 10 assets (USDC; A1 priced by BTC; A2..A9 priced by M2..M9) with OPEN open
# positions (bench/gen_book's batch: USDC deposits, 2x opens on BTC and ETH; position j is id 5 + j),
# then 10 tokens of each of A1..A9 deposited: the pool holds all 10. gen_book's longs and shorts mirror
# each other (same sizes, same entry), so their PnL cancels to the micro-dollar; one short of 333.333333
# opened at 58,936.17 (BTC back at 58,935 after it) gives the book a PnL that is not a whole
# micro-dollar, as a real book's is. Without it, an open at the current price (a PnL of exactly 0)
# would leave the pool's unrealized PnL an exact micro-dollar with several entry prices in the BTC long
# book, the case where the NAV's floor cannot be decided from the books' aggregates and the positions
# of that book are read (lib/valuation.cpp, unrealized_exact): every NAV of that pool is then O(n).
book() {
  local name=$1 open=$2 from=0 total=$(($2 + 5)) i
  {
    printf '[pool]\nmax_utilization_bps = 8000\nmax_price_age = "3650d"\n\n'
    printf '[fees]\nopen_fee_bps = 10\nclose_fee_bps = 10\nliquidation_fee = "5"\n'
    printf '[[markets]]\nsymbol = "BTC"\nmax_leverage = 10\n[[markets]]\nsymbol = "ETH"\nmax_leverage = 10\n'
    for ((i = 2; i < 10; i++)); do printf '[[markets]]\nsymbol = "M%d"\n' "$i"; done
    printf '[[assets]]\nsymbol = "USDC"\ndecimals = 6\nstable = true\ntarget_weight_bps = 1000\nmax_weight_bps = 10000\n'
    printf '[[assets]]\nsymbol = "A1"\ndecimals = 8\nprice = "BTC"\ntarget_weight_bps = 1000\nmax_weight_bps = 10000\n'
    printf 'price_confidence_bps = 10\n'
    for ((i = 2; i < 10; i++)); do
      printf '[[assets]]\nsymbol = "A%d"\ndecimals = 8\nprice = "M%d"\ntarget_weight_bps = 1000\nmax_weight_bps = 10000\n' "$i" "$i"
      printf 'price_confidence_bps = 10\n'
    done
  } >"$dir/$name.toml"
  rm -f "$dir/$name.db"*
  "$nx" --journal "$dir/$name.db" init --config "$dir/$name.toml" --at "@$t0" -q 2>>"$log" || fail "init $name"
  while ((from < total)); do
    "$gen_book" "$dir/book.txt" "$open" 0 "$from" "$build_batch" || fail "gen_book failed"
    "$nx" --journal "$dir/$name.db" run "$dir/book.txt" --at "@$((t0 + 1))" -q >/dev/null 2>>"$log" || fail "building $name"
    from=$((from + build_batch))
  done
  {
    for ((i = 2; i < 10; i++)); do echo "price set M$i 10000"; done
    echo "deposit holder 10 --asset A1"
    for ((i = 2; i < 10; i++)); do echo "deposit holder 10 --asset A$i"; done
    echo "price set BTC 58936.17"
    echo "open odd BTC short --collateral 100 --size 333.333333"
    echo "price set BTC 58935"
  } >"$dir/hold.txt"
  "$nx" --journal "$dir/$name.db" run "$dir/hold.txt" --at "@$((t0 + 1))" -q >/dev/null 2>>"$log" || fail "holding the assets in $name"
}
# trading3: a fresh pool of 3 assets (bench/trading.toml's rules and markets; USDC, BTC priced by BTC,
# ETH priced by ETH, bands wide open) holding 150 BTC and 3,000 ETH, and the trading day's batch for it
# (its ids counted from the 6 events before it).
trading3() {
  {
    cat bench/trading.toml
    printf '\n[[assets]]\nsymbol = "USDC"\ndecimals = 6\nstable = true\ntarget_weight_bps = 8000\nmax_weight_bps = 10000\n'
    printf 'add_fee_bps = 10\nremove_fee_bps = 10\n'
    printf '[[assets]]\nsymbol = "BTC"\ndecimals = 8\nprice = "BTC"\ntarget_weight_bps = 1000\nmax_weight_bps = 10000\n'
    printf 'add_fee_bps = 30\nremove_fee_bps = 30\nprice_confidence_bps = 10\n'
    printf '[[assets]]\nsymbol = "ETH"\ndecimals = 8\nprice = "ETH"\ntarget_weight_bps = 1000\nmax_weight_bps = 10000\n'
    printf 'add_fee_bps = 30\nremove_fee_bps = 30\nprice_confidence_bps = 10\n'
  } >"$dir/trading3.toml"
  printf 'price set BTC 65000\nprice set ETH 3200\nprice set SOL 150\ndeposit holder 150 --asset BTC\ndeposit holder 3000 --asset ETH\n' >"$dir/prelude3.txt"
  rm -f "$dir/trading3.db"*
  "$nx" --journal "$dir/trading3.db" init --config "$dir/trading3.toml" --at "@$t0" -q 2>>"$log" || fail "init trading3"
  "$nx" --journal "$dir/trading3.db" run "$dir/prelude3.txt" --at "@$t0" -q >/dev/null 2>>"$log" || fail "prelude of trading3"
  "$gen_trading" "$dir/batch3.txt" "$trading_ops" $((t0 + 1)) 4 0 7 >/dev/null || fail "gen_trading failed"
}
source scripts/bench-arms.sh   # arms, median, ratio (the working directory is the repository)
status=0

only_a4=${BENCH_ASSETS_TRADING_ONLY:-0}
if [ "$only_a4" != 1 ]; then
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

echo "bench-assets: (a2), (a3) books of 10 assets with $big and $small open positions" >&2
start=$(date +%s%N); book big "$big"; end=$(date +%s%N)
build_big=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
book small "$small"
at=$((t0 + 120))
arms a2 "$at" big small price set BTC 59000 --at "@$at" -q
arms a2e "$at" big small price set ETH 3300 --at "@$at" -q
arms a3o "$at" big small open x BTC long --collateral 100 --size 500 --at "@$at" -q
arms a3c "$at" big small close 5 --at "@$at" -q
p_big=$(median "$dir/a2_big.us"); p_small=$(median "$dir/a2_small.us")
e_big=$(median "$dir/a2e_big.us"); e_small=$(median "$dir/a2e_small.us")
o_big=$(median "$dir/a3o_big.us"); o_small=$(median "$dir/a3o_small.us")
c_big=$(median "$dir/a3c_big.us"); c_small=$(median "$dir/a3c_small.us")
rp=$(ratio "$p_big" "$p_small"); ro=$(ratio "$o_big" "$o_small"); rc=$(ratio "$c_big" "$c_small")
fi

echo "bench-assets: (a4) a $trading_ops-operation trading day on 3 assets vs raw_trading" >&2
trading3
: >"$dir/a4_nx.us"; : >"$dir/a4_raw.us"
for ((r = 1; r <= runs; r++)); do
  for j in nx raw; do rm -f "$dir/a4_$j.db"*; cp "$dir/trading3.db" "$dir/a4_$j.db"; sync "$dir/a4_$j.db"; done
  "$timer" --runs 1 --log "$log" --arm nx 0 "$nx" --journal "$dir/a4_nx.db" run "$dir/batch3.txt" --quiet \
    --arm raw 0 "$raw_trading" "$dir/a4_raw.db" "$trading_ops" $((t0 + 1)) >"$dir/out.txt" || fail "(a4) failed (a line of $dir/batch3.txt was refused?)"
  for j in nx raw; do awk -v a="$j" '$1 == a { for (i = 2; i < NF; i++) if ($i == "median_us") print $(i + 1) }' "$dir/out.txt" >>"$dir/a4_$j.us"; done
done
"$nx" --journal "$dir/a4_nx.db" verify >/dev/null 2>>"$log" || fail "(a4) the trading journal of 3 assets does not verify"
n_nx=$(median "$dir/a4_nx.us"); n_raw=$(median "$dir/a4_raw.us")
rate_nx=$(awk -v n="$trading_ops" -v us="$n_nx" 'BEGIN { printf "%d", n / (us / 1e6) }')
rate_raw=$(awk -v n="$trading_ops" -v us="$n_raw" 'BEGIN { printf "%d", n / (us / 1e6) }')
rn=$(ratio "$n_raw" "$n_nx")

tree=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
if [ "$only_a4" = 1 ]; then
  echo "nexadex multi-asset bench ($tree), (a4) alone, medians of $runs runs per arm"
  echo "(a4) trading day, 3 assets:  $rate_nx op/s vs raw_trading $rate_raw ev/s: ratio $rn (goal >= 0.3)"
  awk -v r="$rn" 'BEGIN { exit !(r >= 0.3) }' || { echo "bench-assets: (a4) missed its goal" >&2; exit 2; }
  exit 0
fi
echo "nexadex multi-asset bench ($tree), medians of $runs runs per arm; book of $big positions built in ${build_big} s"
echo "(a1) deposit USDC:   $d10 us on 10 assets vs $d1 us on 1: ratio $rd (goal <= 1.5)"
echo "     withdraw USDC:  $w10 us on 10 assets vs $w1 us on 1: ratio $rw (goal <= 1.5)"
echo "     deposit A1:     $t10 us on 10 assets vs $t2 us on 2: ratio $rt (goal <= 1.5)"
echo "     withdraw in A1: $u10 us on 10 assets vs $u2 us on 2: ratio $ru (goal <= 1.5)"
echo "(a2) price of a held asset: $p_big us with $big positions vs $p_small us with $small: ratio $rp (goal <= 2)"
echo "     a price of no held asset (ETH), for scale: $e_big us vs $e_small us"
echo "(a3) open on 10 assets:      $o_big us with $big positions vs $o_small us with $small: ratio $ro (goal <= 2)"
echo "     close on 10 assets:     $c_big us with $big positions vs $c_small us with $small: ratio $rc (goal <= 2)"
echo "(a4) trading day, 3 assets:  $rate_nx op/s vs raw_trading $rate_raw ev/s: ratio $rn (goal >= 0.3)"
for r in "$rd" "$rw" "$rt" "$ru"; do
  awk -v r="$r" 'BEGIN { exit !(r <= 1.5) }' || { echo "bench-assets: (a1) missed its goal ($r)" >&2; status=2; }
done
awk -v r="$rp" 'BEGIN { exit !(r <= 2) }' || { echo "bench-assets: (a2) missed its goal" >&2; status=2; }
for r in "$ro" "$rc"; do
  awk -v r="$r" 'BEGIN { exit !(r <= 2) }' || { echo "bench-assets: (a3) missed its goal ($r)" >&2; status=2; }
done
awk -v r="$rn" 'BEGIN { exit !(r >= 0.3) }' || { echo "bench-assets: (a4) missed its goal" >&2; status=2; }
exit $status
