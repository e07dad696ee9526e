# tests/e2e/time_test.sh: SPEC §2 time. --at in its three forms, NEXADEX_NOW without --at, bad forms
# (exit 1), time never running backwards (exit 2, journal unchanged) for single commands, batches and
# CSV imports; CSV line errors name their line; report --as-of / --seq show the earlier state.
source "$(dirname "$0")/lib.sh" "$@"

minimal_config
J=j.db
"$NEXADEX" init --config config.toml --journal "$J" -q   # seq 1 at NEXADEX_NOW, 2026-01-01T00:00:00Z

# at_of_last JOURNAL: the at_seconds of the journal's last event.
at_of_last() {
  events_of "$1" | tail -n 1 | sed -n 's/.*"at_seconds":\([0-9]*\),.*/\1/p'
}

# refused_unchanged N PATTERN ARGS...: expect_error N PATTERN ARGS, and the events of $J unchanged.
refused_unchanged() {
  local before
  before=$(events_of "$J")
  expect_error "$@"
  [ "$(events_of "$J")" = "$before" ] || fail "nexadex ${*:3} changed the journal's events"
}

at_forms() {
  expect_rc 0 price set BTC 100 --journal "$J" --at 2026-01-01T00:00:10Z -q
  [ "$(at_of_last "$J")" = 1767225610 ] || fail "--at 2026-01-01T00:00:10Z journaled at $(at_of_last "$J")"
  expect_rc 0 price set BTC 101 --journal "$J" --at 2026-01-02 -q
  [ "$(at_of_last "$J")" = 1767312000 ] || fail "--at 2026-01-02 journaled at $(at_of_last "$J")"
  expect_rc 0 price set BTC 102 --journal "$J" --at @1767312001 -q
  [ "$(at_of_last "$J")" = 1767312001 ] || fail "--at @1767312001 journaled at $(at_of_last "$J")"
  # The same second as the last event is not backwards.
  expect_rc 0 price set ETH 10 --journal "$J" --at @1767312001 -q
  # --at before or after the subcommand (SPEC §10).
  expect_rc 0 --at 2026-01-02T00:00:02Z price set ETH 11 --journal "$J" -q
  [ "$(at_of_last "$J")" = 1767312002 ] || fail "a leading --at journaled at $(at_of_last "$J")"
  events_of "$J" | tail -n 1 | grep -q '"at":"2026-01-02T00:00:02Z"' || fail "export shows the wrong RFC 3339 time"
}
check "--at in its three forms" at_forms

now_without_at() {
  NEXADEX_NOW=2026-01-03T00:00:00Z expect_rc 0 price set BTC 103 --journal "$J" -q
  [ "$(at_of_last "$J")" = 1767398400 ] || fail "NEXADEX_NOW was not the time: $(at_of_last "$J")"
  NEXADEX_NOW=@1767398460 expect_rc 0 price set BTC 104 --journal "$J" -q
  [ "$(at_of_last "$J")" = 1767398460 ] || fail "NEXADEX_NOW=@1767398460 was not the time: $(at_of_last "$J")"
  # --at wins over NEXADEX_NOW.
  NEXADEX_NOW=2030-01-01 expect_rc 0 price set BTC 105 --journal "$J" --at @1767398470 -q
  [ "$(at_of_last "$J")" = 1767398470 ] || fail "--at did not win over NEXADEX_NOW: $(at_of_last "$J")"
  NEXADEX_NOW=2026-01-03T00:01:20Z expect_rc 0 price set BTC 106 --journal "$J" -q
  NEXADEX_NOW=bogus refused_unchanged 1 "^nexadex: price set: NEXADEX_NOW 'bogus' is not a valid time" \
    price set BTC 1 --journal "$J"
}
check "NEXADEX_NOW without --at" now_without_at
LAST=2026-01-03T00:01:20Z   # the journal's last event from here on

bad_at_forms() {
  local a
  for a in 2026-13-01 2026-02-30 2026-01-01T24:00:01Z 2026-01-01T00:00:00 "2026-01-01 00:00:00Z" \
           2026-1-1 1767225600 @ @abc @-1 @1.5 yesterday " 2026-01-04"; do
    refused_unchanged 1 "^nexadex: price set: --at '$a' is not a valid time.*use 2026-01-01T00:00:00Z, 2026-01-01 or @" \
      price set BTC 1 --journal "$J" --at "$a"
  done
  refused_unchanged 1 "^nexadex: report: --as-of 'soon' is not a valid time" report --journal "$J" --as-of soon
}
check "bad --at forms exit 1" bad_at_forms

# An empty value is a bad form too, not "no --at": SPEC §2 refuses empty strings, and silently falling
# back to NEXADEX_NOW or the clock would date the event by accident.
check "an empty --at exits 1" refused_unchanged 1 "^nexadex: price set: --at .*(empty|not a valid time)" \
  price set BTC 1 --journal "$J" --at ""
check "an empty --as-of exits 1" expect_error 1 "^nexadex: report: --as-of .*(empty|not a valid time)" \
  report --journal "$J" --as-of ""
check "an empty --seq exits 1" expect_error 1 "^nexadex: report: --seq .*(empty|not a valid|not an event seq)" \
  report --journal "$J" --seq ""

backwards_refused() {
  refused_unchanged 2 "^nexadex: price set: the time 2026-01-03T00:01:19Z is before the journal's last event at $LAST" \
    price set BTC 1 --journal "$J" --at 2026-01-03T00:01:19Z
  refused_unchanged 2 "^nexadex: price set: .*before the journal's last event at $LAST.*date it at $LAST or later" \
    price set BTC 1 --journal "$J" --at 2026-01-01
  # Without --at, NEXADEX_NOW (here fixed at 2026-01-01T00:00:00Z) is before the last event too.
  refused_unchanged 2 "^nexadex: price set: the time 2026-01-01T00:00:00Z is before" price set BTC 1 --journal "$J"
  refused_unchanged 2 "^nexadex: config apply: .*before the journal's last event" \
    config apply config.toml --journal "$J" --at 2026-01-02
  # In a batch: the line's time, or the batch's, is checked; nothing of the batch is written.
  printf 'price set BTC 1 --at %s\nprice set BTC 2 --at 2026-01-03T00:00:00Z\n' "$LAST" >back.run
  refused_unchanged 2 '^nexadex: run: back\.run line 2: price set: the time 2026-01-03T00:00:00Z is before.*nothing of the batch was written' \
    run back.run --journal "$J"
  printf 'price set BTC 1\n' >now.run
  refused_unchanged 2 '^nexadex: run: now\.run line 1: price set: the time 2026-01-01T00:00:00Z is before' \
    run now.run --journal "$J"
}
check "a command dated before the last event is refused with exit 2" backwards_refused

csv_import() {
  printf 'at,market,price\n2026-01-04T00:00:00Z,BTC,100\n2026-01-04T00:02:00Z,ETH,10\n2026-01-04T00:01:00Z,BTC,101\n' >unsorted.csv
  refused_unchanged 2 "^nexadex: price import: unsorted\.csv line 4: the time 2026-01-04T00:01:00Z is before line 3's" \
    price import unsorted.csv --journal "$J"
  printf '2026-01-02T00:00:00Z,BTC,100\n' >old.csv
  refused_unchanged 2 "^nexadex: price import: old\.csv line 1: the time 2026-01-02T00:00:00Z is before the journal's last event" \
    price import old.csv --journal "$J"
  local body=(
    'bad price|2026-01-04T00:00:00Z,BTC,100\n2026-01-04T00:01:00Z,ETH,1e3\n|2|price'
    'negative price|2026-01-04T00:00:00Z,BTC,100\n\n2026-01-04T00:01:00Z,ETH,-5\n|3|price'
    'zero price|2026-01-04T00:00:00Z,BTC,0\n|1|price'
    'bad time|2026-01-04T00:00:00Z,BTC,100\n2026-01-04T00:01Z,ETH,10\n|2|time'
    'too few fields|2026-01-04T00:00:00Z,BTC,100\n2026-01-04T00:01:00Z,ETH\n|2|3 fields'
    'too many fields|at,market,price\n2026-01-04T00:00:00Z,BTC,100\n2026-01-04T00:01:00Z,ETH,1,000\n|3|3 fields'
    'unclosed quote|2026-01-04T00:00:00Z,BTC,100\n2026-01-04T00:01:00Z,"ETH,10\n|2|.'
    'unknown market|2026-01-04T00:00:00Z,DOGE,1\n|1|DOGE'
  )
  local row text line what
  for row in "${body[@]}"; do
    IFS="|" read -r _ text line what <<<"$row"
    printf "%b" "$text" >bad.csv
    refused_unchanged 1 "^nexadex: price import: bad\\.csv line $line: .*$what" price import bad.csv --journal "$J"
  done
  printf 'at,market,price\n2026-01-04T00:00:00Z,BTC,100\r\n2026-01-04T00:01:00Z,ETH,10\n' >good.csv
  expect_rc 0 price import good.csv --journal "$J" -q
  [ "$(at_of_last "$J")" = 1767484860 ] || fail "the imported rows were not journaled at their own times"
}
check "price import: order (exit 2) and malformed rows (exit 1) name the line" csv_import

# An import row's time is the row's own: --at does not move it, so the refusal must not advise --at.
import_advice() {
  printf '2026-01-02T00:00:00Z,BTC,100\n' >old.csv
  refused_unchanged 2 "^nexadex: price import: old\\.csv line 1: " price import old.csv --journal "$J"
  if grep -q -- '--at' "$WORK/err"; then
    fail "the refusal of an old CSV row advises --at, which does not change a row's time: $(cat "$WORK/err")"
  fi
}
check "an import row dated before the last event is refused with advice that applies" import_advice

as_of_and_seq() {
  # A journal of its own, with known seqs: 2 BTC 100 @t1, 3 BTC 200 @t2, 4 ETH 50 @t2, 5 BTC 300 @t3.
  "$NEXADEX" init --config config.toml --journal h.db -q
  "$NEXADEX" price set BTC 100 --journal h.db --at 2026-01-01T01:00:00Z -q
  "$NEXADEX" price set BTC 200 --journal h.db --at 2026-01-01T02:00:00Z -q
  "$NEXADEX" price set ETH 50 --journal h.db --at 2026-01-01T02:00:00Z -q
  "$NEXADEX" price set BTC 300 --journal h.db --at 2026-01-01T03:00:00Z -q
  local sel want
  for sel in "--seq 2|100.00000000|2" "--seq 3|200.00000000|3" "--seq 5|300.00000000|5" \
             "--as-of 2026-01-01T01:59:59Z|100.00000000|2" "--as-of 2026-01-01T02:00:00Z|200.00000000|4" \
             "--as-of @1767236400|300.00000000|5" "--as-of 2026-01-02|300.00000000|5" "|300.00000000|5"; do
    IFS='|' read -r sel want seq <<<"$sel"
    # shellcheck disable=SC2086
    expect_rc 0 report --journal h.db --format json $sel
    local price head
    price=$(tr -d ' \n' <"$WORK/out" | sed -n 's/.*"market":"BTC","price":"\([0-9.]*\)".*/\1/p')
    head=$(sed -n 's/^ *"head_seq": *\([0-9]*\),*$/\1/p' "$WORK/out")
    [ "$price" = "$want" ] || fail "report $sel shows BTC at '$price', expected $want"
    [ "$head" = "$seq" ] || fail "report $sel shows head_seq '$head', expected $seq"
  done
  # ETH was first priced at seq 4: before it, it has no price.
  expect_rc 0 report --journal h.db --format json --seq 3
  tr -d ' \n' <"$WORK/out" | grep -q '"market":"ETH","price":null' || fail "report --seq 3 shows an ETH price before seq 4"
  expect_error 1 '^nexadex: report: --as-of 2025-12-31T00:00:00Z is before the journal.s first event' \
    report --journal h.db --as-of 2025-12-31
  expect_error 1 '^nexadex: report: --seq 6 is past the journal.s head seq 5' report --journal h.db --seq 6
  expect_error 1 '^nexadex: .*--as-of.*--seq' report --journal h.db --seq 2 --as-of 2026-01-01
  # report events --seq stops at that seq.
  expect_rc 0 report events --journal h.db --format csv --seq 3
  [ "$(grep -c price_set "$WORK/out")" = 2 ] || fail "report events --seq 3 does not list exactly seqs 2 and 3: $(cat "$WORK/out")"
}
check "report --as-of and --seq show the earlier state" as_of_and_seq

check "the journals still verify" expect_rc 0 verify --journal "$J"
finish
