# tests/e2e/tamper_test.sh: SPEC §7 tamper evidence. Bytes changed "by some means other than
# SQLite" (STYLE.md, anomaly tests): an event edited behind the triggers' back breaks the hash chain,
# a derived state row edited breaks the replay comparison, direct UPDATE/DELETE are refused by the
# triggers, and --expect-head pins the head hash.
source "$(dirname "$0")/lib.sh" "$@"

minimal_config
J=$WORK/j.db
"$NEXADEX" init --config config.toml --journal "$J" -q
"$NEXADEX" price set BTC 100 --journal "$J" -q                                     # seq 2
"$NEXADEX" price set BTC 101.5 --journal "$J" --at 2026-01-01T00:01:00Z -q         # seq 3
"$NEXADEX" price set ETH 10 --journal "$J" --at 2026-01-01T00:02:00Z -q            # seq 4
"$NEXADEX" price set BTC 102 --journal "$J" --at 2026-01-01T00:03:00Z -q           # seq 5
[ ! -s "$J-wal" ] || fail "the writer left a non-empty $J-wal; copies of $J would not be whole"
# Copies are taken now, while the WAL is empty, so that the .db file alone is the whole journal.
cp "$J" "$WORK/edited.db"
cp "$J" "$WORK/state.db"
cp "$J" "$WORK/replaced.db"
HEAD=$("$NEXADEX" report --format json --journal "$J" | sed -n 's/^ *"head_hash": *"\([0-9a-f]*\)",*$/\1/p')
[ "${#HEAD}" = 64 ] || fail "report summary gives no head_hash: '$HEAD'"

# verify_finds JOURNAL SEQ CHECK: verify exits 4, its report has a SEQ/CHECK row, and its one stderr
# line names SEQ and CHECK as the first discrepancy.
verify_finds() {
  expect_error 4 "^nexadex: verify: .*first at seq $2 \\($3\\)" verify --verbose --journal "$1"
  grep -Eq "^ *$2 +$3 " "$WORK/out" || fail "verify of $1 reports no '$3' finding at seq $2: $(cat "$WORK/out")"
}

verify_silent() {
  expect_rc 0 verify --journal "$1"
  [ ! -s "$WORK/out" ] || fail "verify of a good journal printed: $(cat "$WORK/out")"
  [ ! -s "$WORK/err" ] || fail "verify of a good journal wrote to stderr: $(cat "$WORK/err")"
}

edited_payload_breaks_the_chain() {
  local before
  before=$(sqlite3 "$WORK/edited.db" "SELECT payload FROM events WHERE seq = 3")
  sqlite3 "$WORK/edited.db" "DROP TRIGGER events_no_update;
    UPDATE events SET payload = replace(payload, '101.50000000', '101.60000000') WHERE seq = 3;"
  local after
  after=$(sqlite3 "$WORK/edited.db" "SELECT payload FROM events WHERE seq = 3")
  [ "$before" != "$after" ] || fail "the edit of seq 3's payload did not take: $after"
  cmp -s "$J" "$WORK/edited.db" && fail "the edited copy is byte for byte the original"
  verify_finds "$WORK/edited.db" 3 chain
  # Only seq 3 is damaged: no chain finding at any other seq.
  if grep -E '^ *[0-9]+ +chain ' "$WORK/out" | grep -Evq '^ *3 +chain '; then
    fail "verify reports chain findings beyond seq 3: $(cat "$WORK/out")"
  fi
}

original_still_verifies() {
  verify_silent "$J"
}

direct_update_and_delete_fail() {
  local sum
  sum=$(checksum "$J")
  local stmt
  for stmt in "UPDATE events SET at = 0 WHERE seq = 2" \
              "UPDATE events SET payload = replace(payload, '100.', '900.') WHERE seq = 2" \
              "DELETE FROM events WHERE seq = 5" \
              "DELETE FROM events"; do
    set +e
    sqlite3 "$J" "$stmt" 2>"$WORK/sqlite.err"
    local st=$?
    set -e
    [ "$st" != 0 ] || fail "sqlite3 '$stmt' on a journal succeeded"
    grep -q 'append-only' "$WORK/sqlite.err" || fail "sqlite3 '$stmt' failed without naming append-only: $(cat "$WORK/sqlite.err")"
    [ "$(checksum "$J")" = "$sum" ] || fail "sqlite3 '$stmt' changed $J"
  done
  verify_silent "$J"
}

edited_state_row_is_found() {
  # The markets table is derived state, with no trigger: an edit of it is caught by the replay.
  sqlite3 "$WORK/state.db" "UPDATE markets SET price = 1 WHERE symbol = 'BTC'"
  verify_finds "$WORK/state.db" 5 state
  grep -Eq '^ *5 +state +market BTC' "$WORK/out" || fail "the state finding does not name market BTC: $(cat "$WORK/out")"
}

expect_head_pins_the_head() {
  expect_rc 0 verify --journal "$J" --expect-head "$HEAD"
  [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "verify --expect-head (right hash) was not silent"
  local wrong
  wrong=$(printf '%s' "$HEAD" | tr '0123456789abcdef' '123456789abcdef0')
  expect_error 4 "^nexadex: verify: .*\\(head\\)" verify --journal "$J" --expect-head "$wrong"
  grep -q "$wrong" "$WORK/out" || fail "verify does not show the expected head it was given: $(cat "$WORK/out")"
  grep -q "$HEAD" "$WORK/out" || fail "verify does not show the actual head hash: $(cat "$WORK/out")"
  local bad
  for bad in xyz "${HEAD:0:63}" "${HEAD}0" "${HEAD:0:63}g"; do
    expect_error 1 "^nexadex: verify: --expect-head '$bad' is not a head hash" verify --journal "$J" --expect-head "$bad"
  done
}

replace_cannot_rewrite_an_event() {
  # INSERT OR REPLACE deletes the conflicting row without firing DELETE triggers (unless
  # recursive_triggers is on): events must stay append-only against it too (SPEC §7).
  local sum
  sum=$(checksum "$WORK/replaced.db")
  set +e
  sqlite3 "$WORK/replaced.db" "INSERT OR REPLACE INTO events (seq, at, kind, payload, prev_hash, hash)
    SELECT seq, at, kind, replace(payload, '100.', '900.'), prev_hash, hash FROM events WHERE seq = 2" \
    2>"$WORK/sqlite.err"
  local st=$?
  set -e
  [ "$st" != 0 ] || fail "sqlite3 INSERT OR REPLACE INTO events rewrote seq 2 of a journal (the triggers do not stop it)"
  grep -q 'append-only' "$WORK/sqlite.err" || fail "INSERT OR REPLACE failed without naming append-only: $(cat "$WORK/sqlite.err")"
  [ "$(checksum "$WORK/replaced.db")" = "$sum" ] || fail "INSERT OR REPLACE changed the journal"
}

# one_open_journal FILE: alice's 10,000 and tom's 2x BTC long of 100 (position 4), verified clean.
one_open_journal() {
  "$NEXADEX" init --config config.toml --journal "$1" -q
  "$NEXADEX" price set BTC 100 --journal "$1" -q
  "$NEXADEX" deposit alice 10000 --journal "$1" -q
  "$NEXADEX" open tom BTC long --collateral 100 --leverage 2 --journal "$1" -q   # position 4
  verify_silent "$1"
}

edited_books_and_keys_are_found() {
  # The books' aggregates and the positions' index keys are derived too: verify rebuilds both.
  local P=$WORK/pos.db
  one_open_journal "$P"
  cp "$P" "$WORK/books.db"
  cp "$P" "$WORK/keys.db"
  sqlite3 "$WORK/books.db" "UPDATE books SET quantity = '1' WHERE market = 'BTC'"
  expect_rc 4 verify --verbose --journal "$WORK/books.db"
  grep -q "the books table differs" "$WORK/out" || fail "verify does not name the edited books row: $(cat "$WORK/out")"
  sqlite3 "$WORK/keys.db" "UPDATE positions SET key_below = 0 WHERE id = 4"
  expect_rc 4 verify --verbose --journal "$WORK/keys.db"
  grep -Eq "^ *4 +state +position 4" "$WORK/out" || fail "verify does not name position 4's edited key: $(cat "$WORK/out")"
}

# An account row deleted: the replay's balance and the postings' sum each name it (the second pass of
# the accounts comparison, which keeps the names only when a count says a row is missing).
deleted_account_row_is_found() {
  local A=$WORK/acct.db
  one_open_journal "$A"
  # its collateral after the open fee: size = 200 / (1 + 2 × 10 bps) = 199.600798, fee ceil(0.1996008) =
  # 0.199601, 100 − 0.199601 = 99.800399
  sqlite3 "$A" "DELETE FROM accounts WHERE account = 'position:4'"
  expect_rc 4 verify --verbose --journal "$A"
  grep -Eq "^ *4 +state +account position:4: the accounts table holds 0.000000 but the events give 99.800399" "$WORK/out" ||
    fail "verify does not name the missing row against the replay: $(cat "$WORK/out")"
  grep -Eq "^ *4 +accounts +account position:4 is missing from the accounts table; its postings sum to 99.800399" "$WORK/out" ||
    fail "verify does not name the missing row against the postings: $(cat "$WORK/out")"
}

# A trading journal for the anomalies below: positions opened, closed and liquidated.
trading_journal() {
  local T=$WORK/trading.db
  [ -e "$T" ] && { echo "$T"; return; }
  "$NEXADEX" init --config "$SRC/examples/basic.toml" --journal "$T" --at 2026-01-05T07:59:00Z -q
  "$NEXADEX" run "$SRC/examples/calm-week.run" --journal "$T" -q >/dev/null
  echo "$T"
}

# garbage_over_page FILE PAGE: writes random bytes over page PAGE (1-based) of FILE, as a failing disk would.
garbage_over_page() {
  local size
  size=$(sqlite3 "$1" "PRAGMA page_size")
  head -c "$size" /dev/urandom | dd of="$1" bs="$size" seek=$(($2 - 1)) conv=notrunc status=none
}

corrupted_pages_are_structure_findings() {
  local T table page
  T=$(trading_journal)
  # an index (found by nothing else: every rule reads through the table), the positions table and the
  # postings table; each is the first finding, before any replay, and verify exits 4
  for table in positions_below positions postings; do
    page=$(sqlite3 "$T" "SELECT rootpage FROM sqlite_master WHERE name = '$table'")
    cp "$T" "$WORK/page.db"
    garbage_over_page "$WORK/page.db" "$page"
    expect_error 4 "^nexadex: verify: .*the first in the file's structure .*restore it from a trusted copy" \
      verify --journal "$WORK/page.db"
    grep -Eq "^ +- +structure +SQLite: .*[Pp]age $page" "$WORK/out" ||
      fail "verify of garbage over page $page ($table) does not name it first: $(cat "$WORK/out")"
    [ "$(grep -c structure "$WORK/out")" = 1 ] || fail "verify without --verbose lists more than the first finding"
    expect_rc 4 verify --verbose --journal "$WORK/page.db"
  done
  # a file whose first page is garbage cannot be read as a journal at all: exit 3
  cp "$T" "$WORK/page1.db"
  garbage_over_page "$WORK/page1.db" 1
  expect_error 3 "^nexadex: verify: .*page1\\.db" verify --journal "$WORK/page1.db"
}

# An index whose entries are not its table's, every page sound: SQLite's integrity_check finds it
# ("missing from index"), quick_check does not. A full verify compares the positions indexes' entries
# with its replay and lets SQLite check them when they differ; each of the four is tried.
index_entries_unlike_the_table_are_structure_findings() {
  local T=$WORK/open.db index original column other
  "$NEXADEX" init --config config.toml --journal "$T" -q
  "$NEXADEX" price set BTC 100 --journal "$T" -q
  "$NEXADEX" price set ETH 10 --journal "$T" -q
  "$NEXADEX" deposit alice 10000 --journal "$T" -q
  "$NEXADEX" deposit bob 5000 --journal "$T" -q
  "$NEXADEX" open tom BTC long --collateral 100 --leverage 2 --journal "$T" -q
  "$NEXADEX" open sue BTC short --collateral 100 --leverage 3 --journal "$T" -q
  "$NEXADEX" open ann ETH long --collateral 50 --leverage 4 --journal "$T" -q
  "$NEXADEX" open tom BTC long --collateral 80 --leverage 5 --journal "$T" -q
  verify_silent "$T"
  for index in positions_below positions_above positions_liq positions_dead; do
    cp "$T" "$WORK/index.db"
    original=$(sqlite3 "$WORK/index.db" "SELECT sql FROM sqlite_schema WHERE name = '$index'")
    # the index rebuilt over other columns, then its schema text put back: its entries hold the other
    # columns' values under the original's names
    case $index in
      positions_below) column=key_below other=key_above ;;
      positions_above) column=key_above other=key_below ;;
      positions_liq) column=key_liq other=key_dead ;;
      positions_dead) column=key_dead other=key_below ;;
    esac
    sqlite3 "$WORK/index.db" "DROP INDEX $index; ${original/$column/$other};
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = '${original//\'/\'\'}' WHERE name = '$index';"
    [ "$(sqlite3 "$WORK/index.db" "SELECT sql FROM sqlite_schema WHERE name = '$index'")" = "$original" ] ||
      fail "the schema text of $index was not put back"
    sqlite3 "$WORK/index.db" "PRAGMA integrity_check" | grep -q "missing from index $index\|wrong # of entries in index $index" ||
      fail "the rebuilt $index is not a damaged index to SQLite: $(sqlite3 "$WORK/index.db" "PRAGMA integrity_check")"
    expect_error 4 "^nexadex: verify: .*the first in the file's structure" verify --verbose --journal "$WORK/index.db"
    grep -Eq "^ +- +structure +SQLite: .*index $index" "$WORK/out" ||
      fail "verify does not name the damaged index $index: $(cat "$WORK/out")"
  done
}

deleted_middle_event_is_named_first() {
  local T
  T=$(trading_journal)
  # seq 20 is carol's second deposit, seq 13 the close of position 11 (calm-week.run)
  for seq in 20 13 5; do
    cp "$T" "$WORK/gap.db"
    sqlite3 "$WORK/gap.db" "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER events_no_replace;
      DELETE FROM events WHERE seq = $seq"
    expect_error 4 "^nexadex: verify: [0-9]+ discrepancies, the first at seq $seq \\(chain\\);.*--verbose" \
      verify --journal "$WORK/gap.db"
    grep -Eq "^ +$seq +chain +event $seq is missing \\(seq $((seq + 1)) follows seq $((seq - 1))\\)$" "$WORK/out" ||
      fail "verify does not name the missing event $seq first: $(cat "$WORK/out")"
    expect_rc 4 verify --verbose --journal "$WORK/gap.db"
    # --verbose lists the rest in seq order, none before the missing event
    awk 'NR > 2 && $1 != "-" { if ($1 + 0 < prev) exit 1; prev = $1 + 0 }' "$WORK/out" ||
      fail "verify --verbose does not list in seq order: $(cat "$WORK/out")"
    ! awk -v s="$seq" 'NR > 2 && $1 != "-" && $1 + 0 < s' "$WORK/out" | grep -q . ||
      fail "verify --verbose lists findings before the missing event $seq: $(cat "$WORK/out")"
    # readers of the events say the journal is damaged (exit 3), never a partial answer
    expect_error 3 "event $seq is missing" report events --journal "$WORK/gap.db"
    expect_error 3 "event $seq is missing" export --events --journal "$WORK/gap.db"
    expect_error 3 "event $seq is missing" report pool --seq 25 --journal "$WORK/gap.db"
  done
}

unreadable_events_are_exit_3() {
  local T
  T=$(trading_journal)
  cp "$T" "$WORK/empty.db"
  sqlite3 "$WORK/empty.db" "DROP TRIGGER events_no_delete; DELETE FROM events"
  expect_error 3 "has no events" report --journal "$WORK/empty.db"
  expect_error 3 "has no events" report events --journal "$WORK/empty.db"
  expect_error 3 "has no events" export --events --journal "$WORK/empty.db"
  expect_error 4 "first at seq 1 \\(chain\\)" verify --journal "$WORK/empty.db"
  grep -Eq "^ +1 +chain +the journal has no events" "$WORK/out" || fail "verify of no events: $(cat "$WORK/out")"
  cp "$T" "$WORK/cut.db"
  sqlite3 "$WORK/cut.db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > 10"
  expect_error 3 "last event is seq 10 but its postings and tables were written by events up to seq" report --journal "$WORK/cut.db"
  expect_error 3 "last event is seq 10" export --events --journal "$WORK/cut.db"
  expect_error 4 "first at seq 11 \\(chain\\)" verify --journal "$WORK/cut.db"
  cp "$T" "$WORK/shifted.db"
  sqlite3 "$WORK/shifted.db" "DROP TRIGGER events_no_update; UPDATE events SET seq = seq - 1"
  expect_error 3 "first event is seq 0, not 1" report --journal "$WORK/shifted.db"
  expect_error 4 "first at seq 1 \\(chain\\)" verify --journal "$WORK/shifted.db"
  grep -q "seq 0 follows seq 0" "$WORK/out" && fail "verify's output is unreadable: $(cat "$WORK/out")"
  grep -Eq "^ +1 +chain +an event has seq 0; seqs start at 1$" "$WORK/out" || fail "verify of seq 0: $(cat "$WORK/out")"
}

edited_leg_is_found() {
  local T
  T=$(trading_journal)
  cp "$T" "$WORK/leg.db"
  # a close's payout in a position's history, made larger behind nexadex's back
  local seq
  seq=$(sqlite3 "$WORK/leg.db" "SELECT seq FROM position_legs WHERE kind = 'closed' ORDER BY seq LIMIT 1")
  sqlite3 "$WORK/leg.db" "UPDATE position_legs SET payout = payout + 1 WHERE seq = $seq"
  expect_error 4 "first at seq $seq \\(state\\)" verify --journal "$WORK/leg.db"
  grep -q "the position_legs table differs" "$WORK/out" || fail "verify does not name the legs: $(cat "$WORK/out")"
}

# The history tables are read in one ordered scan each beside the events: an edited losses row, and a
# deleted open leg (the scan then meets the position's later legs first), are found at their seqs, and
# the legs after them still compare.
edited_losses_and_deleted_leg_are_found() {
  local T seq
  T=$(trading_journal)
  cp "$T" "$WORK/loss.db"
  seq=$(sqlite3 "$WORK/loss.db" "SELECT seq FROM losses WHERE leg = 1 ORDER BY seq LIMIT 1 OFFSET 1")
  sqlite3 "$WORK/loss.db" "UPDATE losses SET amount = amount - 1 WHERE seq = $seq AND leg = 1"
  expect_error 4 "first at seq $seq \\(state\\)" verify --journal "$WORK/loss.db"
  grep -q "the losses table differs from the losses the events allocate (first at seq $seq)" "$WORK/out" ||
    fail "verify does not name the losses at seq $seq: $(cat "$WORK/out")"
  cp "$T" "$WORK/noleg.db"
  seq=$(sqlite3 "$WORK/noleg.db" "SELECT id FROM position_legs WHERE kind = 'closed' ORDER BY seq DESC LIMIT 1")
  sqlite3 "$WORK/noleg.db" "DELETE FROM position_legs WHERE id = $seq AND seq = $seq"
  expect_error 4 "first at seq $seq \\(state\\)" verify --verbose --journal "$WORK/noleg.db"
  grep -Eq "^ *$seq +state +position $seq: the position_legs table differs" "$WORK/out" ||
    fail "verify does not name position $seq's missing open leg: $(cat "$WORK/out")"
  [ "$(grep -c "position_legs table differs" "$WORK/out")" = 1 ] ||
    fail "verify names more than the first leg that differs: $(cat "$WORK/out")"
}

check "an edited payload breaks the chain at its seq" edited_payload_breaks_the_chain
check "the original still verifies, silently" original_still_verifies
check "direct UPDATE and DELETE of events fail and change nothing" direct_update_and_delete_fail
check "an edited state row is a state finding" edited_state_row_is_found
check "an edited book or position key is a state finding" edited_books_and_keys_are_found
check "a deleted account row is named against the replay and the postings" deleted_account_row_is_found
check "--expect-head: right 0, wrong 4, malformed 1" expect_head_pins_the_head
check "INSERT OR REPLACE cannot rewrite an event" replace_cannot_rewrite_an_event
check "garbage over a B-tree page is a structure finding, named first" corrupted_pages_are_structure_findings
check "an index whose entries are not its table's is a structure finding" index_entries_unlike_the_table_are_structure_findings
check "a deleted middle event is the first finding, at its seq" deleted_middle_event_is_named_first
check "events that cannot be read are exit 3 for readers, a chain finding for verify" unreadable_events_are_exit_3
check "an edited position leg is a state finding at its seq" edited_leg_is_found
check "an edited losses row and a deleted leg are found at their seqs" edited_losses_and_deleted_leg_are_found
finish
