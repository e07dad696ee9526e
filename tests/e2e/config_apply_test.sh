# tests/e2e/config_apply_test.sh: config apply never hurts an open position by accident (issue 12,
# item 1): a dropped market with open positions is refused, a change that makes positions
# liquidatable, leaves them above a lower leverage cap or the pool above a lower utilization cap is
# refused unless --force, --dry-run prints the changes and writes nothing, and apply prints them too.
source "$(dirname "$0")/lib.sh" "$@"

cat >base.toml <<'TOML'
[pool]
max_price_age = "5m"
max_utilization_bps = 8000

[[markets]]
symbol = "BTC"
max_leverage = 10
maintenance_margin_bps = 100

[[markets]]
symbol = "ETH"
TOML
export NEXADEX_JOURNAL=$WORK/j.db
J=$NEXADEX_JOURNAL
"$NEXADEX" init --config base.toml -q
"$NEXADEX" price set BTC 50000 -q                                      # seq 2
"$NEXADEX" deposit alice 100000 --price 50000 --market BTC -q          # seq 3, 4
"$NEXADEX" open bob BTC long --collateral 1000 --size 5000 -q          # seq 5
"$NEXADEX" open carol BTC short --collateral 1000 --size 9000 -q       # seq 6
# bob: collateral 995, equity at the entry price 990 (close fee 5); carol: collateral 991, equity 982.

# variant NAME SED: base.toml with SED applied, as NAME.toml.
variant() { sed "$2" base.toml >"$1.toml"; }
variant mm1980 's/maintenance_margin_bps = 100/maintenance_margin_bps = 1980/'   # bob 990 vs 990: healthy; carol 982 < 1,782
variant mm1981 's/maintenance_margin_bps = 100/maintenance_margin_bps = 1981/'   # bob 990 < 990.5 too
variant lev 's/max_leverage = 10/max_leverage = 5/'          # bob 5,000 / 995 = 5.03x, carol 9,000 / 991 = 9.08x
variant util 's/max_utilization_bps = 8000/max_utilization_bps = 1000/'          # utilization 14,000 / 100,018 = 14%
variant fees 's/max_price_age = "5m"/max_price_age = "10m"/'                      # harmless
grep -v -e '^\[\[markets\]\]$' -e '^symbol = "BTC"' -e '^max_leverage' -e '^maintenance_margin' base.toml |
  sed 's/^symbol = "ETH"/[[markets]]\nsymbol = "ETH"/' >nobtc.toml

refused_unchanged() {
  local before
  before=$(events_of "$J")
  expect_error "$@"
  [ "$(events_of "$J")" = "$before" ] || fail "nexadex ${*:3} changed the journal's events"
}

dropping_a_market_with_open_positions() {
  refused_unchanged 2 "^nexadex: config apply: the new config drops BTC \\(2 open positions\\)" config apply nobtc.toml
  refused_unchanged 2 "drops BTC \\(2 open positions\\)" config apply --force nobtc.toml
}
check "a dropped market with open positions: exit 2, named with its count, even with --force" \
  dropping_a_market_with_open_positions

made_liquidatable() {
  refused_unchanged 2 "would make 1 open position liquidatable at the current prices \\(6\\);.*--dry-run mm1980\\.toml.*--force" \
    config apply mm1980.toml
  refused_unchanged 2 "would make 2 open positions liquidatable at the current prices \\(5 and 6\\)" config apply mm1981.toml
}
check "a higher maintenance margin: exit 2 with the count and the ids" made_liquidatable

check "a lower max leverage under open positions: exit 2 naming them" \
  refused_unchanged 2 "leave 2 open positions above the new max_leverage \\(5 and 6\\)" config apply lev.toml
check "a lower utilization cap under the pool's utilization: exit 2" \
  refused_unchanged 2 "leave the pool's utilization of 1400 bps above the new max_utilization_bps of 1000" config apply util.toml

dry_run_writes_nothing() {
  local sum
  sum=$(checksum "$J")
  expect_rc 2 config apply --dry-run mm1981.toml
  grep -q "applying it would be refused: the new config would make 2 open positions liquidatable" "$WORK/err" ||
    fail "the dry run does not give the refusal: $(cat "$WORK/err")"
  grep -Eq '^  markets\.BTC\.maintenance_margin_bps +100 +1981$' "$WORK/out" || fail "no key-by-key change: $(cat "$WORK/out")"
  grep -Eq '^  made liquidatable ids +5 6$' "$WORK/out" || fail "no ids in the effects: $(cat "$WORK/out")"
  expect_rc 0 config apply --dry-run fees.toml --format json
  grep -q '"key": "pool.max_price_age"' "$WORK/out" || fail "JSON dry run lacks the change: $(cat "$WORK/out")"
  grep -q '"old": "5m"' "$WORK/out" && grep -q '"new": "10m"' "$WORK/out" || fail "JSON dry run lacks old/new: $(cat "$WORK/out")"
  ! grep -q '"events"' "$WORK/out" || fail "a dry run lists appended events: $(cat "$WORK/out")"
  expect_rc 2 config apply --dry-run nobtc.toml --format csv
  grep -q '^effects,' "$WORK/out" || grep -q '^open_positions,' "$WORK/out" || fail "CSV dry run lacks the effects: $(cat "$WORK/out")"
  [ "$(checksum "$J")" = "$sum" ] || fail "a dry run changed the journal file"
}
check "--dry-run prints the changes and the effect, writes nothing, and exits as apply would" dry_run_writes_nothing

forced_and_printed() {
  expect_rc 0 config apply --force mm1981.toml
  grep -Eq '^  markets\.BTC\.maintenance_margin_bps +100 +1981$' "$WORK/out" || fail "apply does not print the change: $(cat "$WORK/out")"
  grep -q 'config_applied' "$WORK/out" || fail "apply does not print the event: $(cat "$WORK/out")"
  expect_rc 0 liquidate --all -q
  expect_rc 0 report positions --all --format csv
  [ "$(grep -Ec '^[0-9]+,[a-z]+,BTC,(long|short),liquidated,' "$WORK/out")" = 2 ] || fail "the two positions were not liquidatable: $(cat "$WORK/out")"
  expect_rc 0 verify
}
check "--force applies it, prints the changes, and the positions are then liquidatable" forced_and_printed

dropped_once_closed() {
  expect_rc 0 config apply nobtc.toml -q
  expect_rc 0 verify
}
check "with the positions gone, the market can be dropped" dropped_once_closed
finish
