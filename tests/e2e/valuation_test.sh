# tests/e2e/valuation_test.sh: issue 20 items 1 and 3 through the binary. (1) With trader_pnl =
# ["insurance", "senior"], a trader's unrealized profit the fund would pay is not the LPs' loss: `report
# pool`, `report lps`, the utilization and the open limit all value the pool at 1,000 (rules 3), while
# a journal made under rules 2 (tests/fixtures/rules-2-insurance-first.db) verifies with its old head
# and keeps deciding at its NAV of 990. (2) With tranches, `report pool` shows each tranche's free
# capital, a withdrawal of exactly it is paid and one micro-unit more is refused, naming what binds.
source "$(dirname "$0")/lib.sh" "$@"
export NEXADEX_JOURNAL=j.db

# pool KEY: a field of the pool section of `report pool --format csv`
pool() {
  expect_rc 0 report pool --format csv
  awk -F, -v f="$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } NR == 2 { print $col[f]; exit }' out
}
# tranche_free TRANCHE: the tranche's free capital (the free_capital section of `report pool --format csv`)
tranche_free() {
  expect_rc 0 report pool --format csv
  awk -F, -v t="$1" '
    $0 == "" { header = 1; next }
    header { delete col; for (i = 1; i <= NF; i++) col[$i] = i; header = 0; next }
    $1 == t && ("free_capital" in col) { print $col["free_capital"]; exit }' out
}
expect() {  # expect WHAT GOT WANTED
  [ "$2" = "$3" ] || fail "$1 is '$2', expected '$3'"
}

cat >insurance-first.toml <<'TOML'
[pool]
max_price_age = "1h"

[fees]
open_fee_bps = 0

[cascade]
trader_pnl = ["insurance", "senior"]

[[markets]]
symbol = "BTC"
max_leverage = 20
max_profit_bps = 100
TOML

insurance_first() {
  rm -f j.db j.db-wal j.db-shm
  expect_rc 0 init --config insurance-first.toml -q
  expect_rc 0 price set BTC 50000 -q
  expect_rc 0 insurance deposit 100 -q
  expect_rc 0 deposit lp1 1000 -q
  expect_rc 0 open tom BTC long --collateral 100 --size 1000 -q
  expect_rc 0 price set BTC 52500 -q
  # profit 1,000 × 2,500 / 50,000 = 50, capped at the reserve 10; the fund takes it first: NAV
  # 1,000 − 10 + 10 = 1,000, price floor((10^9 + 1) × 10^9 / (10^12 + 1,000)) µ = 1.000000
  expect "NAV" "$(pool nav)" 1000.000000
  expect "share price" "$(pool share_price)" 1.000000
  expect "unrealized" "$(pool unrealized)" 0.000000
  # ceil(10 × 10,000 / 1,000) = 100 bps; 1,000 − ceil(10 × 10,000 / 8,000) = 987.5 free
  expect "utilization" "$(pool utilization_bps)" 100
  expect "free capital" "$(pool free_capital)" 987.500000
  expect_rc 0 report lps --format csv
  expect "lp1's value" "$(awk -F, 'NR == 2 { print $4 }' out)" 1000.000000
  # 80% of 1,000 = 800 may be reserved: 790 more (a 79,000 short at 1%) is accepted, then nothing more
  expect_rc 0 open uma BTC short --collateral 4000 --size 79000 -q
  expect "utilization" "$(pool utilization_bps)" 8000
  expect_error 2 "only 0\.000000 of the pool is free to reserve \(80\.00% of NAV 1000\.000000 at most\)" \
    open vic BTC short --collateral 10 --size 0.000001
}
check "insurance first in trader_pnl: one NAV for reports and limits (rules 3)" insurance_first

rules_2_journal() {
  cp "$SRC/tests/fixtures/rules-2-insurance-first.db" r2.db
  export NEXADEX_JOURNAL=r2.db NEXADEX_NOW=2026-01-01T00:01:00Z
  expect_rc 0 verify --expect-head af1432851540b84b7dd96be561a1068aa261cfb714d3940ee8f8aa6e5072c01f
  expect_rc 0 report --format json
  grep -q '"rules": 2' out || fail "the fixture is not read under rules 2: $(cat out)"
  # its limits were decided at NAV 1,000 − 10 = 990, and still are; the share price is the one deposits
  # mint at (the senior's value 1,000: 1.000000, where 83e0e8b reported 0.990000)
  expect "NAV" "$(pool nav)" 990.000000
  expect "share price" "$(pool share_price)" 1.000000
  expect "utilization" "$(pool utilization_bps)" 102
  expect_error 2 "only 782\.000000 of the pool is free to reserve \(80\.00% of NAV 990\.000000 at most\)" \
    open uma BTC short --collateral 4000 --size 79000
  # a config apply adopts rules 3: from there the fund's part counts
  expect_rc 0 config apply insurance-first.toml -q
  expect "NAV" "$(pool nav)" 1000.000000
  expect_rc 0 open uma BTC short --collateral 4000 --size 79000 -q
  expect_rc 0 verify
}
check "a rules-2 journal keeps its head and its NAV of 990 until it adopts rules 3" rules_2_journal

cat >tranched.toml <<'TOML'
[pool]
max_price_age = "1h"

[fees]
open_fee_bps = 0

[tranches]
senior.target_apr_bps = 0

[[markets]]
symbol = "BTC"
TOML

tranche_free_capital() {
  rm -f j.db j.db-wal j.db-shm
  expect_rc 0 init --config tranched.toml -q
  expect_rc 0 price set BTC 50000 -q
  expect_rc 0 deposit jill 1000 --tranche junior -q
  expect_rc 0 deposit sam 4000 --tranche senior -q
  expect_rc 0 open tom BTC long --collateral 1000 --size 2000 -q
  expect_rc 0 price set BTC 45000 -q
  # tom is 2,000 × 5,000 / 50,000 = 200 behind, the junior's (value 1,200 on 1,000 of capital);
  # NAV 5,200 less ceil(2,000 × 10,000 / 8,000) = 2,500 backing the reserve: 2,700 free in the pool
  expect "NAV" "$(pool nav)" 5200.000000
  expect "free capital" "$(pool free_capital)" 2700.000000
  expect "senior free capital" "$(tranche_free senior)" 2700.000000
  expect "junior free capital" "$(tranche_free junior)" 1000.000000
  # the junior's realized capital binds, and the message says so (83e0e8b: "(4200.000000 backs open positions)")
  expect_error 2 "^nexadex: withdraw: jill asked for 1000\.000001 but 1000\.000000 is free: the junior tranche's realized capital \(its NAV 1200\.000000 counts unrealized gains\); withdraw at most 1000\.000000\.$" \
    withdraw jill 1000.000001 --tranche junior
  expect_rc 0 withdraw jill 1000 --tranche junior -q
  # 2,700 − 1,000 = 1,700 left, all the senior's; the reserve's backing binds
  expect "senior free capital" "$(tranche_free senior)" 1700.000000
  expect_error 2 "^nexadex: withdraw: sam asked for 1700\.000001 but 1700\.000000 is free \(2500\.000000 backs open positions\); withdraw at most 1700\.000000\.$" \
    withdraw sam 1700.000001 --tranche senior
  expect_rc 0 withdraw sam 1700 --tranche senior -q
  expect "free capital" "$(pool free_capital)" 0.000000
  expect_rc 0 verify
}
check "with tranches: each tranche's free capital is what a withdrawal from it may take" tranche_free_capital

finish
