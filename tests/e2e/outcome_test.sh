# tests/e2e/outcome_test.sh: the hand-computed cases of the unit tests (tests/lib/vault_test.cpp,
# tranche_test.cpp, reset_test.cpp, book_test.cpp) replayed through the binary, each figure asserted
# in what the write commands print with --format json (issue 13): open fee and leverage sizing,
# reserves, PnL rounding, partial closes, borrow fees, capped profits, liquidations and their
# shortfalls, shares minted and burned, insurance balances, losses layer by layer, resets, and the
# totals of `report position`. The arithmetic is in the comments, as in the unit tests; amounts are
# in USD unless a unit is named (micro-USD: 10^-6, share units: 10^-9 shares, prices: 10^-8).
# JSON is read with jq (Debian package jq, installed by scripts/setup.sh); without it the suite fails
# when run as root (which could have installed it) and is skipped (exit 77) otherwise.
source "$(dirname "$0")/lib.sh" "$@"
if ! command -v jq >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "jq missing (Debian package jq): skipped"; exit 77; }
  fail "jq is missing: install the Debian package jq (bash scripts/setup.sh does)"
fi

# pool_config FILE: SPEC's defaults as tests/lib/pool_fixture.hpp has them: open and close fee 10 bps,
# liquidation fee 5, borrow 100 bps + 2,000 bps × utilization, fee split LP 70 / insurance 20 /
# treasury 10, max utilization 80%, max price age 300 s, no insurance target; BTC 10x, maintenance
# 100 bps, profit cap 100%; ETH 5x, maintenance 150 bps, profit cap 50%.
pool_config() {
  cat >"$WORK/$1" <<'TOML'
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

[[markets]]
symbol = "BTC"
max_leverage = 10
maintenance_margin_bps = 100
max_profit_bps = 10000

[[markets]]
symbol = "ETH"
max_leverage = 5
maintenance_margin_bps = 150
max_profit_bps = 5000
TOML
}

# tranche_config FILE: the same with [tranches] (no senior target, no subordination minimum) and the
# cascade of tranche_test.cpp: external and bad debt fall on insurance, junior, senior.
tranche_config() {
  pool_config "$1"
  cat >>"$WORK/$1" <<'TOML'

[tranches]
senior.target_apr_bps = 0
min_junior_ratio_bps = 0

[cascade]
trader_pnl = ["junior", "senior"]
bad_debt = ["insurance", "junior", "senior"]
external = ["insurance", "junior", "senior"]
TOML
}

# new_pool NAME [CONFIG]: a fresh journal NAME.db (NEXADEX_JOURNAL for the rest of the check) created at
# 2026-01-01T00:00:00Z (NEXADEX_NOW, the time of every command without --at) from CONFIG (pool.toml).
pool_config pool.toml
new_pool() {
  export NEXADEX_JOURNAL=$WORK/$1.db
  expect_rc 0 init --config "$WORK/${2:-pool.toml}" -q
}

# ok ARGS...: runs nexadex ARGS --format json and requires exit status 0 and no stderr.
LAST=
ok() {
  LAST="$*"
  expect_rc 0 "$@" --format json
  [ ! -s "$WORK/err" ] || fail "nexadex $LAST wrote to stderr: $(cat "$WORK/err")"
}

# warned ARGS...: runs nexadex ARGS --format json and requires exit status 0 and a warning on stderr
# (an unabsorbed loss).
warned() {
  LAST="$*"
  expect_rc 0 "$@" --format json
  grep -q '^nexadex: warning: ' "$WORK/err" || fail "nexadex $LAST gave no warning: $(cat "$WORK/err")"
}

# is FILTER WANT: jq -r FILTER of the last command's output is WANT (null for a JSON null).
is() {
  local got
  got=$(jq -r "$1" "$WORK/out" 2>&1) || fail "jq '$1' failed on the output of nexadex $LAST: $(cat "$WORK/out")"
  [ "$got" = "$2" ] || fail "nexadex $LAST: $1 is '$got', expected '$2'"
}

# layers: the last command's layers as "layer=amount ..." in their order.
LAYERS='[.layers[] | "\(.layer)=\(.amount)"] | join(" ")'

# ---------------------------------------------------------------------------------------------
# Opens (SPEC §3, §10).

open_fee_and_split() {
  # vault_test "open fee is 10 bps of size, taken from the collateral, split 70/20/10":
  # size 12,345.678901: fee ceil(12,345,678,901 × 10 / 10^4) = ceil(12,345,678.901) = 12,345,679 micro
  #   insurance floor(12,345,679 × 20%) = 2,469,135; treasury floor(12,345,679 × 10%) = 1,234,567;
  #   LPs 12,345,679 − 2,469,135 − 1,234,567 = 8,641,977 (the floor dust is theirs)
  # collateral 2,000 − 12.345679 = 1,987.654321; reserve ceil(size × 10,000 / 10^4) = size
  new_pool open-fee
  ok price set BTC 50000
  ok deposit ann 100000
  ok open tom BTC long --collateral 2000 --size 12345.678901
  is '.opens | length' 1
  is '.opens[0].position_id' 4
  is '.opens[0].side' long
  is '.opens[0].size' 12345.678901
  is '.opens[0].open_fee' 12.345679
  is '.opens[0].collateral' 1987.654321
  is '.opens[0].entry_price' 50000.00000000
  is '.opens[0].reserve' 12345.678901
  # 12,345.678901 / 1,987.654321 = 6.2111…, shown rounded up to hundredths
  is '.opens[0].leverage' 6.22
  is '.events[0].kind' position_opened
  ok report fees
  is '.fees[] | select(.kind == "open") | [.charged, .to_insurance, .to_treasury, .to_lps] | join(" ")' \
    "12.345679 2.469135 1.234567 8.641977"
  ok report pool
  is '.pool.lp_capital' 100008.641977
  is '.pool.insurance' 2.469135
  is '.pool.treasury' 1.234567
}
check "open fee: 10 bps of size from the collateral, split 70/20/10 with the dust to the LPs" open_fee_and_split

leverage_sizing() {
  # vault_test "sizing by --leverage ... 10x at the cap": C = 1,000, L = 10:
  #   start floor(10^9 × 10 × 10^4 / (10^4 + 10 × 10)) = 9,900,990,099; its fee ceil(9,900,990.099)
  #   = 9,900,991 and 10 × (10^9 − 9,900,991) = 9,900,990,090 < start: step down to 9,900,990,090
  #   (same fee), which holds with equality: collateral 990.099009, leverage exactly 10.00x.
  new_pool leverage
  ok price set BTC 50000
  ok deposit ann 100000
  ok open tom BTC long --collateral 1000 --leverage 10
  is '.opens[0].size' 9900.990090
  is '.opens[0].open_fee' 9.900991
  is '.opens[0].collateral' 990.099009
  is '.opens[0].leverage' 10.00
  is '.opens[0].reserve' 9900.990090
  # one micro-unit more by --size is refused: 9,900,990,091 > 10 × (10^9 − 9,900,991)
  expect_error 2 '10\.01x.*maximum of 10\.00x' open tom BTC long --collateral 1000 --size 9900.990091
  # vault_test "... with two decimals steps down past the fee's rounding": C = 1,000, L = 2.50:
  #   start floor(10^9 × 250 × 10^4 / (10^6 + 250 × 10)) = 2,493,765,586, fee 2,493,766;
  #   2.5 × (10^9 − 2,493,766) = 2,493,765,585 → one step down, equality; collateral 997.506234
  ok open uma BTC short --collateral 1000 --leverage 2.5
  is '.opens[0].side' short
  is '.opens[0].size' 2493.765585
  is '.opens[0].open_fee' 2.493766
  is '.opens[0].collateral' 997.506234
  is '.opens[0].leverage' 2.50
  ok report pool
  is '.pool.open_interest_short' 2493.765585
}
check "--leverage sizing: the largest size with S ≤ L × (C − fee(S)), at 10x and at 2.50x" leverage_sizing

reserve_rounds_up() {
  # vault_test "reserve is ceil(size × max_profit_bps / 10000)": ETH caps profit at 5,000 bps:
  #   size 10,000.000001 → ceil(10,000,000,001 × 5,000 / 10^4) = ceil(5,000,000,000.5) = 5,000,000,001;
  #   fee ceil(10,000,000.0001) = 10,000,001 → collateral 2,100 − 10.000001 = 2,089.999999;
  #   utilization ceil(5,000,000,001 × 10^4 / (100,000,000,000 + 7,000,001)) = ceil(499.96…) = 500 bps
  new_pool reserve
  ok price set ETH 3000
  ok deposit ann 100000
  ok open tom ETH short --collateral 2100 --size 10000.000001
  is '.opens[0].reserve' 5000.000001
  is '.opens[0].open_fee' 10.000001
  is '.opens[0].collateral' 2089.999999
  ok report pool
  is '.pool.reserved' 5000.000001
  is '.pool.utilization_bps' 500
}
check "reserve is ceil(size × max_profit_bps / 10000)" reserve_rounds_up

# ---------------------------------------------------------------------------------------------
# Closes (SPEC §3, §10).

pnl_rounding() {
  # vault_test "long/short PnL ...": ann 100,000; tom opens size 10,000 with collateral 2,000 at BTC
  # 50,000 (fee 10 → 1,990; LPs + 7) and closes at once 123.45678901 away from the entry:
  #   |pnl| = 10,000,000,000 × 12,345,678,901 / 5,000,000,000,000 = 24,691,357.802 micro
  #   a profit rounds down: 24,691,357; a loss rounds up: 24,691,358; close fee 10 (LPs + 7)
  #   profit: payout 1,990 + 24.691357 − 10 = 2,004.691357; LPs 100,014 − 24.691357 = 99,989.308643
  #   loss:   payout 1,990 − 24.691358 − 10 = 1,955.308642; LPs 100,014 + 24.691358 = 100,038.691358
  local side price pnl payout result layers capital
  while read -r side price pnl payout result layers capital; do
    new_pool "pnl-$side-$price"
    ok price set BTC 50000
    ok deposit ann 100000
    ok open tom BTC "$side" --collateral 2000 --size 10000
    ok close 4 --price "$price"
    is '.closes[0].exit_price' "$price"
    is '.closes[0].size_closed' 10000.000000
    is '.closes[0].size_left' 0.000000
    is '.closes[0].pnl' "$pnl"
    is '.closes[0].collateral_returned' 1990.000000
    is '.closes[0].borrow_fee' 0.000000
    is '.closes[0].close_fee' 10.000000
    is '.closes[0].payout' "$payout"
    is '.closes[0].pool_result' "$result"
    # a trader's profit is the LPs' loss, allocated (trader_pnl: the senior, the only tranche);
    # a trader's loss is their gain, with no layer
    is "$LAYERS" "${layers//-/}"
    ok report pool
    is '.pool.lp_capital' "$capital"
  done <<'CASES'
long 50123.45678901 24.691357 2004.691357 -24.691357 senior=24.691357 99989.308643
long 49876.54321099 -24.691358 1955.308642 24.691358 - 100038.691358
short 49876.54321099 24.691357 2004.691357 -24.691357 senior=24.691357 99989.308643
short 50123.45678901 -24.691358 1955.308642 24.691358 - 100038.691358
CASES
}
check "PnL: a profit rounds down, a loss rounds up, long and short" pnl_rounding

capped_profit() {
  # vault_test "profit paid is capped at the position's reserve": ETH caps profit at 50%: size 1,000
  #   → reserve 500; collateral 500 − fee 1 = 499; ETH 3,000 → 4,800 (+60%): pnl 600, paid
  #   min(600, 500) = 500; payout 499 + 500 − close fee 1 = 998; LPs 100,000 + 0.7 + 0.7 − 500 = 99,501.4
  new_pool capped
  ok price set ETH 3000
  ok deposit ann 100000
  ok open tom ETH long --collateral 500 --size 1000
  is '.opens[0].reserve' 500.000000
  ok close 4 --price 4800
  is '.closes[0].pnl' 500.000000
  is '.closes[0].collateral_returned' 499.000000
  is '.closes[0].close_fee' 1.000000
  is '.closes[0].payout' 998.000000
  is '.closes[0].pool_result' -500.000000
  is "$LAYERS" senior=500.000000
  ok report pool
  is '.pool.lp_capital' 99501.400000
  ok report position 4
  # pnl as paid, the cap applied: realized 500; fees 1 + 1; net = paid out − collateral posted
  is '.position.realized_pnl' 500.000000
  is '.position.fees_paid' 2.000000
  is '.position.paid_out' 998.000000
  is '.position.net_result' 498.000000
}
check "a whole close pays a profit capped at the position's reserve" capped_profit

partial_close() {
  # vault_test "partial close pro-rates collateral (floor), borrow fee (ceil) and reserve (floor)":
  # ann 100,000; tom opens ETH long size 3,000.000001 with collateral 1,000 at 3,000:
  #   fee ceil(3,000,000,001 × 10 / 10^4) = 3,000,001 → collateral 996,999,999 micro;
  #   reserve ceil(3,000,000,001 / 2) = 1,500,000,001; utilization ceil(1,500,000,001 × 10^4 /
  #   100,002,100,001) = 150 bps
  # day 10, ETH 3,100: rate 100 + ceil(2,000 × 150 / 10^4) = 130 bps;
  #   Δindex = floor(130 × 864,000 × 10^18 / 315,360,000,000) = 356,164,383,561,643
  #   borrow due ceil(3,000,000,001 × 356,164,383,561,643 / 10^18) = 1,068,494
  new_pool partial
  ok price set ETH 3000
  ok deposit ann 100000
  ok open tom ETH long --collateral 1000 --size 3000.000001
  is '.opens[0].collateral' 996.999999
  is '.opens[0].reserve' 1500.000001
  ok report pool
  is '.pool.utilization_bps' 150
  # close 1,000 of it:
  #   collateral floor(996,999,999 × 10^9 / 3,000,000,001) = 332,333,332
  #   borrow     ceil(1,068,494 × 10^9 / 3,000,000,001) = 356,165
  #   pnl        floor(10^9 × 100 / 3,000) = 33,333,333 (≤ the reserve part 500,000,000); close fee 1
  #   payout 332,333,332 + 33,333,333 − 1,000,000 − 356,165 = 364,310,500
  ok close 4 --size 1000 --price 3100 --at 2026-01-11T00:00:00Z
  is '.prices[0].price' 3100.00000000
  is '.closes[0].position_id' 4
  is '.closes[0].size_closed' 1000.000000
  is '.closes[0].size_left' 2000.000001
  is '.closes[0].collateral_returned' 332.333332
  is '.closes[0].borrow_fee' 0.356165
  is '.closes[0].pnl' 33.333333
  is '.closes[0].close_fee' 1.000000
  is '.closes[0].payout' 364.310500
  is '.closes[0].pool_result' -33.333333
  is "$LAYERS" senior=33.333333
  # the rest keeps collateral 996,999,999 − 332,333,332 = 664,666,667, reserve 1,000,000,001 and owes
  # the borrow fee it carries, 1,068,494 − 356,165 = 712,329
  ok report position 4
  is '.position.status' open
  is '.position.size' 2000.000001
  is '.position.collateral' 664.666667
  is '.position.reserve' 1000.000001
  is '.position.borrow_fee_due' 0.712329
  # the rest closed at once (no index growth): pnl floor(2,000,000,001 × 100 / 3,000) = 66,666,666;
  # close fee ceil(2,000,000.0001) = 2,000,001; payout 664,666,667 + 66,666,666 − 2,000,001 − 712,329
  # = 728,621,003
  ok close 4 --at 2026-01-11T00:00:00Z
  is '.closes[0].size_closed' 2000.000001
  is '.closes[0].size_left' 0.000000
  is '.closes[0].collateral_returned' 664.666667
  is '.closes[0].pnl' 66.666666
  is '.closes[0].borrow_fee' 0.712329
  is '.closes[0].close_fee' 2.000001
  is '.closes[0].payout' 728.621003
  # the position's whole life: fees by kind open 3.000001, close 1 + 2.000001 = 3.000001, borrow
  # 0.356165 + 0.712329 = 1.068494, in all 7.068496; paid out 364.3105 + 728.621003 = 1,092.931503;
  # realized PnL 33.333333 + 66.666666 = 99.999999; net 1,092.931503 − 1,000 = 92.931503
  # (= 99.999999 − 7.068496)
  ok report position 4
  is '.position.status' closed
  is '.position.ended_seq' 7
  is '.position.size_opened' 3000.000001
  is '.position.collateral_posted' 1000.000000
  is '.position.open_fee' 3.000001
  is '.position.close_fee' 3.000001
  is '.position.borrow_fee' 1.068494
  is '.position.keeper_fee' 0.000000
  is '.position.fees_paid' 7.068496
  is '.position.paid_out' 1092.931503
  is '.position.realized_pnl' 99.999999
  is '.position.net_result' 92.931503
  is '[.legs[] | "\(.kind):\(.size):\(.payout)"] | join(" ")' \
    "opened:3000.000001:0.000000 closed:1000.000000:364.310500 closed:2000.000001:728.621003"
  ok report traders
  is '.traders[0] | [.trader, .ended_positions, .paid_out, .realized_pnl, .net_result] | join(" ")' \
    "tom 1 1092.931503 99.999999 92.931503"
}
check "partial close: collateral floor, borrow fee ceil, PnL floor; report position adds up the legs" partial_close

borrow_fee() {
  # vault_test "borrow fee over 30 days at 50% utilization": ann deposits 9,996.5; tom opens size 5,000
  # with collateral 1,000 (fee 5: LPs 3.5) → 995; NAV 10,000 → utilization 5,000 / 10,000 = 5,000 bps;
  # rate 100 + 2,000 × 50% = 1,100 bps. Δt 30 days = 2,592,000 s:
  #   Δindex = floor(1,100 × 2,592,000 × 10^18 / (10^4 × 31,536,000)) = 9,041,095,890,410,958
  #   fee ceil(5,000,000,000 × 9,041,095,890,410,958 / 10^18) = ceil(45,205,479.45) = 45,205,480 micro
  #   split: insurance floor(20%) 9,041,096, treasury 4,520,548, LPs 31,643,836
  # payout 995 − close fee 5 − 45.205480 = 944.794520; LPs 10,000 + 3.5 + 31.643836 = 10,035.143836
  new_pool borrow
  ok price set BTC 50000
  ok deposit ann 9996.5
  ok open tom BTC long --collateral 1000 --size 5000
  ok report pool
  is '.pool.utilization_bps' 5000
  ok close 4 --price 50000 --at 2026-01-31T00:00:00Z
  is '.closes[0].pnl' 0.000000
  is '.closes[0].borrow_fee' 45.205480
  is '.closes[0].close_fee' 5.000000
  is '.closes[0].payout' 944.794520
  is '.closes[0].pool_result' 0.000000
  ok report fees
  is '.fees[] | select(.kind == "borrow") | [.charged, .to_insurance, .to_treasury, .to_lps] | join(" ")' \
    "45.205480 9.041096 4.520548 31.643836"
  ok report pool
  is '.pool.lp_capital' 10035.143836
}
check "borrow fee: 30 days at 1,100 bps on 5,000, rounded up" borrow_fee

# ---------------------------------------------------------------------------------------------
# Liquidations (SPEC §3, DESIGN-risk §3).

liquidation_remainder() {
  # vault_test "liquidating a healthy position is refused" and "liquidation: the collateral pays the
  # loss, the keeper, the close fee, and the rest goes to the pool": size 10,000, collateral 1,990,
  # threshold max(ceil(10,000 × 1%), 5) = 100.
  new_pool liq-remainder
  ok price set BTC 50000
  ok deposit ann 100000
  ok open tom BTC long --collateral 2000 --size 10000
  # the liquidation price: a loss of 1,880 leaves 1,990 − 1,880 − close fee 10 = 100, not below 100
  is '.opens[0].liquidation_price' 40600.00000000
  expect_error 2 'equity 100\.000000.*maintenance margin 100\.000000' liquidate 4 --price 40600
  # at 40,599.99999999 the loss is ceil(940,000,000,001 / 500) = 1,880,000,001 micro: equity 99.999999
  #   the collateral 1,990 pays the claim 1,880.000001, the keeper 5, the close fee 10 (LPs 7) and
  #   leaves 1,990 − 1,880.000001 − 5 − 10 = 94.999999 to the pool; LPs 100,007 + 7 + 1,880.000001
  #   + 94.999999 = 101,989
  ok liquidate 4 --price 40599.99999999 --keeper kim
  is '.liquidations | length' 1
  is '.liquidations[0] | [.position_id, .trader, .keeper, .price] | join(" ")' "4 tom kim 40599.99999999"
  is '.liquidations[0].collateral' 1990.000000
  is '.liquidations[0].pnl' -1880.000001
  is '.liquidations[0].loss' 1880.000001
  is '.liquidations[0].close_fee' 10.000000
  is '.liquidations[0].close_fee_forgone' 0.000000
  is '.liquidations[0].borrow_fee' 0.000000
  is '.liquidations[0].keeper_fee' 5.000000
  is '.liquidations[0].keeper_fee_from_collateral' 5.000000
  is '.liquidations[0].remainder' 94.999999
  is '.liquidations[0].shortfall' 0.000000
  is '.liquidation_totals.positions' 1
  is '.liquidation_totals.remainder' 94.999999
  is '.layers | length' 0
  ok report pool
  is '.pool.lp_capital' 101989.000000
  # the position's life: fees open 10, close 10, keeper 5 from the collateral: 25; realized PnL what
  # the trader lost beyond the fees, the whole collateral less them: −(1,990 − 10 − 5) = −1,975 (the
  # loss the pool claimed, 1,880.000001, and the remainder it kept, 94.999999); nothing paid out:
  # net −2,000, the collateral posted, = −1,975 − 25.
  ok report position 4
  is '.position.status' liquidated
  is '.position.ended_price' 40599.99999999
  is '.position.open_fee' 10.000000
  is '.position.close_fee' 10.000000
  is '.position.keeper_fee' 5.000000
  is '.position.fees_paid' 25.000000
  is '.position.paid_out' 0.000000
  is '.position.realized_pnl' -1975.000000
  is '.position.net_result' -2000.000000
  # nothing is left to liquidate: empty lists, zero totals, no event
  ok liquidate --all
  is '.liquidations | length' 0
  is '.liquidation_totals | [.positions, .collateral, .shortfall] | join(" ")' "0 0.000000 0.000000"
  is '.events | length' 0
}
check "liquidation: claim, keeper fee, close fee, remainder; a healthy position is refused" liquidation_remainder

keeper_shortfall() {
  # vault_test's DESIGN-risk §3 cases: keeper fee 50; insurance deposit 100; ann 100,000; tom opens
  # BTC long size 5,000 with collateral 1,005 (fee 5: insurance 1) → C = 1,000 (position 5); fund 101.
  #   38,000: loss 5,000 × 24% = 1,200 takes the whole collateral: the keeper fee is all shortfall
  #   40,300: loss 5,000 × 19.4% = 970, then min(50, 1,000 − 970) = 30 of the keeper fee from the
  #   collateral: shortfall 20
  # the close fee 5 forgone in both; the fund pays the shortfall: 101 − 50 or 101 − 20, and a
  # deposit of 1 then prints the balance 52 or 82.
  sed 's/^liquidation_fee = .*/liquidation_fee = "50"/' "$WORK/pool.toml" >"$WORK/keeper50.toml"
  local price pnl loss from shortfall left
  while read -r price pnl loss from shortfall left; do
    new_pool "keeper-$price" keeper50.toml
    ok price set BTC 50000
    ok insurance deposit 100
    is '.insurance_deposits[0] | [.amount, .from, .balance] | join(" ")' "100.000000 operator 100.000000"
    ok deposit ann 100000
    ok open tom BTC long --collateral 1005 --size 5000
    is '.opens[0].collateral' 1000.000000
    ok liquidate 5 --price "$price"
    is '.liquidations[0].pnl' "$pnl"
    is '.liquidations[0].loss' "$loss"
    is '.liquidations[0].keeper_fee' 50.000000
    is '.liquidations[0].keeper_fee_from_collateral' "$from"
    is '.liquidations[0].close_fee' 5.000000
    is '.liquidations[0].close_fee_forgone' 5.000000
    is '.liquidations[0].remainder' 0.000000
    is '.liquidations[0].shortfall' "$shortfall"
    is "$LAYERS" "insurance=$shortfall"
    is '.layers[0].position_id' 5
    ok insurance deposit 1 --from dao
    is '.insurance_deposits[0] | [.from, .balance] | join(" ")' "dao $left"
  done <<'CASES'
38000 -1200.000000 1000.000000 0.000000 50.000000 52.000000
40300 -970.000000 970.000000 30.000000 20.000000 82.000000
CASES
}
check "liquidation shortfall: the keeper fee the collateral cannot pay, paid by the insurance fund" keeper_shortfall

unabsorbed_bad_debt() {
  # vault_test "a bad debt no layer can absorb": ann 2,000; tom opens size 1,000 with collateral 1,001
  # (fee 1: LPs 0.7, insurance 0.2) → C 1,000; LPs 2,000.7. A new config raises the keeper fee to
  # 5,000: liquidatable at the entry price. Claim 0; keeper 1,000 from the collateral, shortfall
  # 4,000: the fund's 0.2, the LPs' 2,000.7, unabsorbed 4,000 − 0.2 − 2,000.7 = 1,999.1; close fee 1
  # forgone. The pool is wiped: a tranche_reset cancels ann's 2,000 shares.
  new_pool unabsorbed
  ok price set BTC 50000
  ok deposit ann 2000
  ok open tom BTC long --collateral 1001 --size 1000
  sed 's/^liquidation_fee = .*/liquidation_fee = "5000"/' "$WORK/pool.toml" >"$WORK/keeper5000.toml"
  ok config apply "$WORK/keeper5000.toml" --force
  is '.changes[0] | [.key, .old, .new] | join(" ")' "fees.liquidation_fee 5.000000 5000.000000"
  is '.effects.made_liquidatable' 1
  warned liquidate 4
  grep -q 'a loss of 1999.100000 could not be absorbed' "$WORK/err" || fail "the warning names no 1999.1: $(cat "$WORK/err")"
  is '.liquidations[0].loss' 0.000000
  is '.liquidations[0].keeper_fee_from_collateral' 1000.000000
  is '.liquidations[0].close_fee_forgone' 1.000000
  is '.liquidations[0].shortfall' 4000.000000
  is "$LAYERS" "insurance=0.200000 senior=2000.700000 unabsorbed=1999.100000"
  is '.resets | length' 1
  is '.resets[0] | [.tranche, .shares_cancelled, .holders] | join(" ")' "senior 2000.000000000 1"
  is '[.events[].kind] | join(" ")' "position_liquidated tranche_reset"
}
check "a shortfall beyond every layer is unabsorbed, and the wiped pool is reset" unabsorbed_bad_debt

liquidation_boundary() {
  # book_test "liquidation boundary: equity = threshold is healthy, one price unit worse is
  # liquidatable": ann 10,000; BTC 10,000. tom long and amy short, each collateral 11 size 100: fee
  # 0.1 → c 10.9; threshold max(ceil(100 × 1%) = 1, 5) = 5; close fee 0.1. Equity
  # 10.9 + pnl − 0.1 = 5 at pnl −5.8: the long at 10,000 − 580 = 9,420, the short at 10,580.
  new_pool boundary
  ok price set BTC 10000
  ok deposit ann 10000
  ok open tom BTC long --collateral 11 --size 100
  is '.opens[0].collateral' 10.900000
  is '.opens[0].liquidation_price' 9420.00000000
  ok open amy BTC short --collateral 11 --size 100
  is '.opens[0].liquidation_price' 10580.00000000
  ok price set BTC 9420
  expect_error 2 'position 4 is healthy: its equity 5\.000000 .*maintenance margin 5\.000000' liquidate 4
  ok liquidate --all
  is '.liquidation_totals.positions' 0
  # at 9,419.99999999: pnl floor(10^8 × −5,800,000,001 / 10^12) = −5,800,001 micro, equity 4.999999;
  # the collateral 10.9 pays the claim 5.800001, the keeper 5, and of the close fee 0.1 only the
  # 0.099999 left: 0.000001 forgone, no remainder, no shortfall
  ok liquidate --all --price 9419.99999999 --market BTC
  is '[.liquidations[].position_id] | join(" ")' 4
  is '.liquidations[0].pnl' -5.800001
  is '.liquidations[0].loss' 5.800001
  is '.liquidations[0].keeper_fee_from_collateral' 5.000000
  is '.liquidations[0].close_fee' 0.100000
  is '.liquidations[0].close_fee_forgone' 0.000001
  is '.liquidations[0].remainder' 0.000000
  is '.liquidations[0].shortfall' 0.000000
  ok price set BTC 10580
  ok liquidate --all
  is '.liquidation_totals.positions' 0
  ok liquidate --all --price 10580.00000001 --market BTC
  is '[.liquidations[].position_id] | join(" ")' 5
  is '.liquidations[0].pnl' -5.800001
  is '.liquidations[0].close_fee_forgone' 0.000001
}
check "liquidation boundary: equity = threshold is healthy, one price unit worse is liquidated" liquidation_boundary

# ---------------------------------------------------------------------------------------------
# LP shares (SPEC §3, DESIGN-risk §9): minted floor(amount × (supply + V) / (NAV + 1)), V = 1,000 units.

first_deposit() {
  # vault_test "first deposit mints 1 share per USDC": 1 USDC: floor(10^6 × (0 + 1,000) / (0 + 1)) =
  # 10^9 units; then 2 USDC: floor(2 × 10^6 × (10^9 + 1,000) / (10^6 + 1)) = 2 × 10^9.
  new_pool first-deposit
  ok deposit ann 1
  is '.deposits[0] | [.lp, .tranche, .amount, .shares_minted, .share_price, .nav_before, .nav_after] | join(" ")' \
    "ann senior 1.000000 1.000000000 1.000000 0.000000 1.000000"
  ok deposit bob 2
  is '.deposits[0] | [.shares_minted, .share_price, .nav_before, .nav_after] | join(" ")' \
    "2.000000000 1.000000 1.000000 3.000000"
}
check "the first deposit mints 1 share per USDC, and the next at the same NAV too" first_deposit

withdraw_rounding() {
  # vault_test "withdraw by amount burns shares rounded up, by shares pays rounded down, --all pays
  # the holding": ann 10,000 (10^13 units), bob 5,000; tom opens and closes size 10,000 at the same
  # price: LPs + 7 + 7 → NAV 15,014, supply 1.5 × 10^13.
  new_pool withdraw
  ok price set BTC 50000
  ok deposit ann 10000
  ok deposit bob 5000
  ok open tom BTC long --collateral 2000 --size 10000
  ok close 5
  # ann takes 1,000: burns ceil(10^9 × (1.5 × 10^13 + 1,000) / 15,014,000,001) = 999,067,536,966
  #   (exactly 999,067,536,965.4989…); price floor(15,014 / 15,000) = 1.000933
  ok withdraw ann 1000
  is '.withdrawals[0] | [.lp, .amount_paid, .shares_burned, .share_price, .shares_left] | join(" ")' \
    "ann 1000.000000 999.067536966 1.000933 9000.932463034"
  # bob redeems 1,000 shares (10^12 units): NAV 14,014, supply 14,000,932,463,034:
  #   floor(10^12 × 14,014,000,001 / 14,000,932,464,034) = 1,000,933,333 (exactly …333.33…)
  ok withdraw bob --shares 1000
  is '.withdrawals[0] | [.amount_paid, .shares_burned, .shares_left] | join(" ")' \
    "1000.933333 1000.000000000 4000.000000000"
  # bob --all (4 × 10^12 units): NAV 13,013.066667 →
  #   floor(4 × 10^12 × 13,013,066,668 / 13,000,932,464,034) = 4,003,733,333
  ok withdraw bob --all
  is '.withdrawals[0] | [.amount_paid, .shares_burned, .shares_left] | join(" ")' \
    "4003.733333 4000.000000000 0.000000000"
  # cy deposits 1,000 at NAV 15,014 − 1,000 − 1,000.933333 − 4,003.733333 = 9,009.333334 and supply
  # 9,000,932,463,034 units: floor(10^9 × (9,000,932,463,034 + 1,000) / (9,009,333,334 + 1))
  #   = 999,067,536,891 units (999,067,536,891.618…); price floor(9,009,333,334 × 10^9 /
  #   9,000,932,463,034) = 1,000,933 micro-USD per share
  ok deposit cy 1000
  is '.deposits[0] | [.shares_minted, .share_price, .nav_before, .nav_after] | join(" ")' \
    "999.067536891 1.000933 9009.333334 10009.333334"
}
check "shares: burned rounded up by amount, paid rounded down by shares, minted rounded down" withdraw_rounding

# ---------------------------------------------------------------------------------------------
# Insurance (DESIGN-risk §2).

insurance_balance() {
  # vault_test "insurance takes its fee share only up to the target": target_min 3; three opens of
  # size 10,000, each fee 10 (insurance part 2): the fund takes 2, then 1 (room 1), then 0: balance 3;
  # a deposit of 1 brings it to 4.
  { cat "$WORK/pool.toml"; printf '\n[insurance]\ntarget_min = "3"\n'; } >"$WORK/target3.toml"
  new_pool insurance-target target3.toml
  ok price set BTC 50000
  ok deposit ann 100000
  local i
  for i in 1 2 3; do ok open tom BTC long --collateral 2000 --size 10000; done
  ok insurance deposit 1 --from dao
  is '.insurance_deposits[0] | [.amount, .from, .balance] | join(" ")' "1.000000 dao 4.000000"
  ok report fees
  is '.fees[] | select(.kind == "open") | [.charged, .to_insurance, .to_treasury, .to_lps] | join(" ")' \
    "30.000000 3.000000 3.000000 24.000000"
  # vault_test "no insurance target when both target keys are 0": a fund of 1,000,000 still takes
  # 20% of the fee 10 = 2
  new_pool insurance-none
  ok price set BTC 50000
  ok deposit ann 100000
  ok insurance deposit 1000000
  is '.insurance_deposits[0].balance' 1000000.000000
  ok open tom BTC long --collateral 2000 --size 10000
  ok insurance deposit 0.5
  is '.insurance_deposits[0].balance' 1000002.500000
}
check "insurance deposits print the balance: fee shares up to the target, then the LPs'" insurance_balance

# ---------------------------------------------------------------------------------------------
# Losses, tranches and resets (SPEC §4; tranche_test.cpp, reset_test.cpp).

cascade_layers() {
  tranche_config tranches.toml
  # tranche_test "a loss larger than insurance, junior and senior leaves the rest unabsorbed":
  # insurance 1,000, jill 2,000 junior, sam 3,000 senior; 10,000 external: insurance 1,000, junior
  # 2,000, senior 3,000, unabsorbed 4,000. The junior's shares are cancelled by the loss itself; the
  # wiped senior is reset by a tranche_reset in the same command.
  new_pool cascade tranches.toml
  ok price set BTC 50000
  ok insurance deposit 1000 --from dao
  ok deposit jill 2000 --tranche junior
  is '.deposits[0] | [.tranche, .shares_minted] | join(" ")' "junior 2000.000000000"
  ok deposit sam 3000 --tranche senior
  warned cascade --loss 10000 --apply --reason "oracle incident"
  grep -q 'a loss of 4000.000000 could not be absorbed' "$WORK/err" || fail "the warning names no 4,000: $(cat "$WORK/err")"
  is '.losses[0] | [.amount, .absorbed, .unabsorbed] | join(" ")' "10000.000000 6000.000000 4000.000000"
  is "$LAYERS" "insurance=1000.000000 junior=2000.000000 senior=3000.000000 unabsorbed=4000.000000"
  is '.layers[0].position_id' null
  # the loss itself cancelled jill's 2,000 junior shares (its holders are not counted there: null)
  is '[.resets[] | "\(.tranche):\(.shares_cancelled):\(.holders)"] | join(" ")' \
    "junior:2000.000000000:null senior:3000.000000000:1"
  # reports warn until the loss is acknowledged
  warned report cascades
  is '.cascades[0].junior_cancelled_shares' 2000.000000000
  # tranche_test "an acknowledgement takes exactly the unabsorbed losses outstanding": 4,000 now
  expect_error 2 'losses are 4000\.000000, not 3999\.999999' acknowledge --amount 3999.999999 --reason "one micro-unit short"
  ok acknowledge --amount 4000 --reason "covered by the treasury"
  is '.acknowledgements[0] | [.amount, .unabsorbed] | join(" ")' "4000.000000 4000.000000"
  # every layer is empty now: a further 700 is all unabsorbed, and only it is outstanding
  warned cascade --loss 700 --apply --reason "second incident"
  is "$LAYERS" unabsorbed=700.000000
  is '.resets | length' 0
  ok acknowledge --reason "also covered"
  is '.acknowledgements[0] | [.amount, .unabsorbed] | join(" ")' "700.000000 4700.000000"

  # tranche_test "a junior reset by a loss, then the next junior deposit is a first deposit": jill
  # 1,000 junior, sam 9,000 senior; 1,500 external with no insurance: the junior takes 1,000 (to 0:
  # its shares cancelled), the senior 500; kai's 500 then mints 500 shares at 1
  new_pool junior-reset tranches.toml
  ok price set BTC 50000
  ok deposit jill 1000 --tranche junior
  ok deposit sam 9000 --tranche senior
  ok cascade --loss 1500 --apply --reason "incident"
  is "$LAYERS" "junior=1000.000000 senior=500.000000"
  is '.losses[0].unabsorbed' 0.000000
  ok deposit kai 500 --tranche junior
  is '.deposits[0] | [.tranche, .shares_minted, .share_price, .nav_before, .nav_after] | join(" ")' \
    "junior 500.000000000 1.000000 0.000000 500.000000"
  ok withdraw sam 500
  # the senior's price after its loss: 8,500 / 9,000 = 0.944444; 500 burns
  # ceil(5 × 10^8 × (9 × 10^12 + 1,000) / (8,500,000,000 + 1)) = ceil(529,411,764,702.42…) units
  is '.withdrawals[0] | [.tranche, .share_price, .shares_burned] | join(" ")' "senior 0.944444 529.411764703"
}
check "cascade --apply: a loss layer by layer, unabsorbed and acknowledged; a wiped junior starts again" cascade_layers

pool_reset() {
  # reset_test "an external loss that takes a single-tranche pool to 0 wipes it": alice 1,000 and bob
  # 500 (1 share per USDC); 2,000 external: insurance 0, the senior 1,500, unabsorbed 500; the reset
  # cancels the 1,500 shares of its 2 holders; carol's 100 then mints 100 shares
  new_pool reset
  ok price set BTC 50000
  ok deposit alice 1000
  ok deposit bob 500
  warned cascade --loss 2000 --apply --reason "oracle incident"
  grep -q 'a loss of 500.000000 could not be absorbed' "$WORK/err" || fail "the warning names no 500: $(cat "$WORK/err")"
  is '.losses[0] | [.seq, .amount, .absorbed, .unabsorbed] | join(" ")' "5 2000.000000 1500.000000 500.000000"
  is "$LAYERS" "senior=1500.000000 unabsorbed=500.000000"
  is '.resets[0] | [.seq, .tranche, .shares_cancelled, .holders] | join(" ")' "6 senior 1500.000000000 2"
  is '[.events[] | "\(.seq):\(.kind)"] | join(" ")' "5:loss_applied 6:tranche_reset"
  ok deposit carol 100
  is '.deposits[0] | [.shares_minted, .share_price, .nav_before, .nav_after] | join(" ")' \
    "100.000000000 1.000000 0.000000 100.000000"
}
check "a loss that takes the pool to 0 is followed by a reset; the next deposit is a first deposit" pool_reset

unrealized_nav() {
  # book_test "unrealized: floor of the books' sum": ann 100,000;
  #   P1 tom BTC long at 30,000, collateral 101, size 1,000: c 100, r 1,000
  #   P2 amy BTC long at 35,000, collateral 51, size 500: c 50.5
  #   P3 bob ETH long at 3,000, collateral 201, size 1,000: r 500 (ETH's 50% cap)
  # At BTC 31,500 and ETH 4,800: P1 +50 (a liability: 1,000 × 1,500 / 30,000 exactly), P2 −50 (an
  # asset: 500 × 3,500 / 35,000 exactly), P3 +600 capped at 500. Under rules 2 (this release's) the
  # NAV is the floor of the exact sum: U = −500 exactly (book_test's floor of the books' aggregate,
  # −500,000,000.00000255 micro, is rules 1's: −500.000001). LP capital 100,000 + 0.7 + 0.35 + 0.7 =
  # 100,001.75; NAV 100,001.75 − 500 = 99,501.75.
  new_pool unrealized
  ok price set BTC 30000
  ok price set ETH 3000
  ok deposit ann 100000
  ok open tom BTC long --collateral 101 --size 1000
  is '.opens[0].collateral' 100.000000
  ok open amy BTC long --collateral 51 --size 500 --price 35000
  is '.opens[0] | [.entry_price, .collateral] | join(" ")' "35000.00000000 50.500000"
  ok open bob ETH long --collateral 201 --size 1000
  is '.opens[0].reserve' 500.000000
  ok price set BTC 31500
  ok price set ETH 4800
  ok report pool
  is '.pool.lp_capital' 100001.750000
  is '.pool.unrealized' -500.000000
  is '.pool.nav' 99501.750000
}
check "NAV counts open positions conservatively, the pool's unrealized result floored once" unrealized_nav

finish
