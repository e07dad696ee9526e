# tests/e2e/reading_test.sh: reading a long journal a part at a time (issue 19 item 5): `report events`
# by kind, time, offset and limit; `report positions` by market, trader, side, liquidatable and limit;
# `export --events` by --since, --seq and --as-of. Every expected row is listed by hand from the
# scenario (examples/tranches.run: seqs 1-22, the times in its comments; the positions below).
source "$(dirname "$0")/lib.sh" "$@"
J=$WORK/t.db
"$NEXADEX" --journal "$J" init --config "$SRC/examples/tranches.toml" --at 2026-01-01T00:00:00Z -q
"$NEXADEX" --journal "$J" run "$SRC/examples/tranches.run" -q
# expect_first_column WANT JOURNAL WHAT ARGS...: the first column of `report WHAT ARGS` (of its first
# section, as CSV), comma-separated, is WANT.
expect_first_column() {
  local want=$1 journal=$2 got
  shift 2
  got=$("$NEXADEX" --journal "$journal" report --format csv "$@" | awk -F, 'NF == 0 { exit } NR > 1 { print $1 }' |
    paste -sd, -)
  [ "$got" = "$want" ] || fail "report $* of $journal: $got, expected $want"
}
# expect_seqs WANT ARGS...: the seqs that `report events ARGS` lists.
expect_seqs() { local want=$1; shift; expect_first_column "$want" "$J" events "$@"; }

events_filters() {
  expect_seqs 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22
  expect_seqs 2,3,7,8,13,16,17,19,20 --kind price_set
  # kinds as a list and repeated; the first of the matches skipped, three listed
  expect_seqs 10,11,12 --kind position_opened,position_closed --offset 1 --limit 3
  expect_seqs 10,11,12 --kind position_opened --kind position_closed --offset 1 --limit 3
  # times: 1-6 on Jan 1, 7-18 on Jan 31, 19-22 on Feb 10; both bounds included
  expect_seqs 19,20,21,22 --since 2026-01-31T00:00:01Z
  expect_seqs 1,2,3,4,5,6 --until 2026-01-01T00:00:00Z
  expect_seqs 7,8,9,10,11,12,13,14,15,16,17,18 --since 2026-01-31T00:00:00Z --until 2026-02-09T23:59:59Z
  expect_seqs "" --since 2026-01-02T00:00:00Z --until 2026-01-30T00:00:00Z
  expect_seqs "" --offset 22
  expect_seqs 22 --offset 21
  # with the horizon of --as-of / --seq
  expect_seqs 5,6 --kind lp_deposited --as-of 2026-01-31T00:00:00Z
  expect_seqs 5,6,22 --kind lp_deposited
  expect_seqs 8,9,10 --seq 10 --offset 7
}
check "report events: --kind, --since, --until, --offset, --limit, with --as-of and --seq" events_filters

events_refused() {
  expect_error 1 "^nexadex: report: --kind 'fills' is not an event kind; the kinds are journal_created, .*, lp_asset_withdrew\\.$" \
    --journal "$J" report events --kind price_set,fills
  expect_error 1 "^nexadex: report: --limit '0' is not a count" --journal "$J" report events --limit 0
  expect_error 1 "^nexadex: report: --offset '-1' is not a count" --journal "$J" report events --offset -1
  expect_error 1 "^nexadex: report: --since 2026-02-01T00:00:00Z is after --until 2026-01-01T00:00:00Z" \
    --journal "$J" report events --since 2026-02-01 --until 2026-01-01
  expect_error 1 "^nexadex: report: --since 'yesterday' is not a valid time" --journal "$J" report events --since yesterday
  expect_error 1 "^nexadex: report: --kind, --since, --until and --offset go with 'report events' only" \
    --journal "$J" report pool --kind price_set
  expect_error 1 "^nexadex: report: --limit goes with 'report events' and 'report positions' only" \
    --journal "$J" report lps --limit 2
  expect_error 1 "^nexadex: report: --as-of 2025-12-31T00:00:00Z is before the journal's first event" \
    --journal "$J" report events --as-of 2025-12-31
}
check "report events: bad filters refused (exit 1)" events_refused

# The scan stops at the limit: with event 20 cut out of a copy (a damaged journal), the first page
# is still read, the whole list is refused as damaged (exit 3).
events_stop_at_limit() {
  cp "$J" cut.db
  sqlite3 cut.db "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 20;"
  expect_first_column 1,2,3,4,5 cut.db events --limit 5
  expect_rc 3 --journal cut.db report events
  grep -q "event 20 is missing" "$WORK/err" || fail "report events of the cut journal does not name seq 20: $(cat "$WORK/err")"
}
check "report events --limit stops reading at the limit" events_stop_at_limit

# export --events: the same bounds; each line's seq
export_range() {
  local got
  got=$("$NEXADEX" --journal "$J" export --events --since 2026-01-31T00:00:01Z | jq -c .seq | paste -sd, -)
  [ "$got" = 19,20,21,22 ] || fail "export --events --since: seqs $got"
  got=$("$NEXADEX" --journal "$J" export --events --seq 3 | jq -c .seq | paste -sd, -)
  [ "$got" = 1,2,3 ] || fail "export --events --seq 3: seqs $got"
  got=$("$NEXADEX" --journal "$J" export --events --since 2026-01-31 --as-of 2026-01-31T12:00:00Z | jq -c .seq | paste -sd, -)
  [ "$got" = 7,8,9,10,11,12,13,14,15,16,17,18 ] || fail "export --events --since --as-of: seqs $got"
  got=$("$NEXADEX" --journal "$J" export --events --since 2027-01-01 | wc -c)
  [ "$got" = 0 ] || fail "export --events --since after the last event wrote $got bytes"
  # the lines are those of the whole export, byte for byte
  "$NEXADEX" --journal "$J" export --events | sed -n '7,18p' >whole.part
  "$NEXADEX" --journal "$J" export --events --since 2026-01-31 --seq 18 | cmp - whole.part ||
    fail "export --events --since --seq differs from the same lines of the whole export"
  expect_error 1 "^nexadex: export: --seq 23 is past the journal's head seq 22" --journal "$J" export --events --seq 23
  expect_error 1 "^nexadex: export: --as-of 2025-01-01T00:00:00Z is before the journal's first event" \
    --journal "$J" export --events --as-of 2025-01-01
  expect_error 1 "^nexadex: .*--as-of.*--seq|^nexadex: .*--seq.*--as-of" --journal "$J" export --events --seq 3 --as-of 2026-01-01
}
check "export --events --since, --seq, --as-of" export_range

# Open positions to filter: tom and uma long BTC, vic short BTC, wes long ETH; BTC then falls 9%:
# tom (10x) is liquidatable, uma (2x) and the others are not.
P=$WORK/p.db
p() { "$NEXADEX" --journal "$P" "$@" -q; }
minimal_config
p init --config config.toml --at 2026-01-01T00:00:00Z
p price set BTC 50000 --at 2026-01-01T00:00:00Z
p price set ETH 3000 --at 2026-01-01T00:00:00Z
p deposit lp 1000000 --at 2026-01-01T00:00:00Z
p open tom BTC long --collateral 1000 --leverage 10 --at 2026-01-01T00:00:00Z    # 5 (its seq)
p open uma BTC long --collateral 1000 --leverage 2 --at 2026-01-01T00:00:00Z     # 6
p open vic BTC short --collateral 1000 --leverage 3 --at 2026-01-01T00:00:00Z    # 7
p open wes ETH long --collateral 1000 --leverage 4 --at 2026-01-01T00:00:00Z     # 8
p open tom ETH short --collateral 1000 --leverage 2 --at 2026-01-01T00:00:00Z    # 9
p close 6 --at 2026-01-01T00:00:00Z
p price set BTC 45500 --at 2026-01-01T00:01:00Z
p price set ETH 3000 --at 2026-01-01T00:01:00Z
# expect_ids WANT ARGS...: the ids that `report positions ARGS` lists.
expect_ids() { local want=$1; shift; expect_first_column "$want" "$P" positions "$@"; }
positions_filters() {
  expect_ids 5,7,8,9
  expect_ids 5,6,7,8,9 --all --limit 5
  expect_ids 8,9 --market ETH
  expect_ids 5,9 --trader tom
  expect_ids 7,9 --side short
  # tom's 10x long: a 9% fall loses 9,000 of its 10,000 size's 1,000 collateral (less its fees): below
  # the 1% maintenance margin of 100; uma's 2x is closed, vic's short gains, the ETH ones are flat
  expect_ids 5 --liquidatable
  expect_ids 5,7 --limit 2
  expect_ids 5,6 --all --market BTC --side long
  expect_ids "" --trader nobody
  # the legs of --all are those of the positions listed: 6 opened and closed
  [ "$("$NEXADEX" --journal "$P" report positions --all --trader uma --format json | jq -c '[.legs[] | [.id, .kind]]')" = \
    '[[6,"opened"],[6,"closed"]]' ] || fail "report positions --all --trader uma: legs other than 6's"
  expect_error 1 "^nexadex: report: --market 'DOGE' is not a market of this pool; the markets are BTC, ETH\\.$" \
    --journal "$P" report positions --market DOGE
  expect_error 1 "^nexadex: .*--side.*sideways" --journal "$P" report positions --side sideways
  expect_error 1 "^nexadex: report: --market, --trader, --side and --liquidatable go with 'report positions' only" \
    --journal "$P" report traders --liquidatable
  expect_error 1 "^nexadex: report: --limit '1.5' is not a count" --journal "$P" report positions --limit 1.5
}
check "report positions: --market, --trader, --side, --liquidatable, --limit" positions_filters
finish
