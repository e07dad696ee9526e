# tests/e2e/upgrade_test.sh: journals of schemas 1, 2 and 3 (tests/fixtures/schema-N.db, made by the
# nexadex of that schema from tests/fixtures/schema-N.run) are read as they are, and upgraded in place by
# the first write: reads leave their bytes untouched; after the upgrade they have schema 4 (its positions'
# legs rebuilt from the events), `verify` passes, and it holds exactly the events, state tables and
# reports of a journal made from the same commands by this nexadex.
source "$(dirname "$0")/lib.sh" "$@"
export NEXADEX_NOW=2026-01-05T12:00:00Z

for from in 1 2 3; do
  cp "$SRC/tests/fixtures/schema-$from.db" old.db
  pos=7; books=1                        # hank's position; the open books (BTC long)
  [ "$from" = 3 ] && pos=8 && books=2   # hank's, partly closed then liquidated; BTC short and ETH long
  rm -f new.db new.db-wal new.db-shm
  "$NEXADEX" init --config "$SRC/examples/basic.toml" --journal new.db --at 2026-01-05T07:59:00Z -q
  "$NEXADEX" run "$SRC/tests/fixtures/schema-$from.run" --journal new.db -q

  version() { sqlite3 "$1" "PRAGMA user_version"; }
  [ "$(version old.db)" = "$from" ] || fail "the fixture is not a schema-$from journal"

  # Reading: every report and verify, the file unchanged.
  before=$(checksum old.db)
  for report in summary pool lps positions "positions --all" traders insurance fees "position $pos"; do
    # shellcheck disable=SC2086
    expect_rc 0 report $report --journal old.db --format json
    cp out old.json
    # shellcheck disable=SC2086
    expect_rc 0 report $report --journal new.db --format json
    cmp -s out old.json || fail "report $report of the schema-$from journal differs from the same commands' journal: $(diff old.json out | head -5)"
  done
  expect_rc 0 verify --journal old.db
  [ "$(checksum old.db)" = "$before" ] || fail "reading the schema-$from journal changed its bytes"
  [ "$(version old.db)" = "$from" ] || fail "reading the schema-$from journal changed its schema version"
  [ "$(events_of old.db)" = "$(events_of new.db)" ] || fail "the schema-$from journal's events differ from the same commands run now"

  # A refused write rolls the upgrade back with its event.
  cp old.db refused.db
  expect_error 2 "time never runs backwards" price set BTC 60500 --journal refused.db --at 2026-01-05T11:59:00Z
  [ "$(version refused.db)" = "$from" ] || fail "a refused write left the journal upgraded"
  [ "$(events_of refused.db)" = "$(events_of new.db)" ] || fail "a refused write changed the schema-$from journal's events"

  # The first write upgrades it, in the same transaction as its event.
  for j in old.db new.db; do
    expect_rc 0 price set BTC 60500 --journal "$j" --at 2026-01-05T12:01:00Z -q
  done
  [ "$(version old.db)" = 4 ] || fail "the write did not upgrade the journal to schema 4 (user_version $(version old.db))"
  expect_rc 0 verify --journal old.db --verbose
  grep -q "head hash" out || fail "verify --verbose printed no head hash"
  old_head=$(grep "head hash" out)
  expect_rc 0 verify --journal new.db --verbose
  [ "$(grep "head hash" out)" = "$old_head" ] || fail "the upgraded journal's head differs: $old_head vs $(grep "head hash" out)"
  for table in positions books accounts markets lps pool config losses position_legs; do
    a=$(sqlite3 old.db "SELECT * FROM $table ORDER BY 1, 2")
    b=$(sqlite3 new.db "SELECT * FROM $table ORDER BY 1, 2")
    [ "$a" = "$b" ] || fail "table $table of the upgraded journal differs from a schema-4 journal's: $(diff <(echo "$a") <(echo "$b") | head -4)"
  done
  [ "$(sqlite3 old.db "SELECT count(*) FROM books")" = "$books" ] || fail "the upgraded journal does not have its $books open books"
  [ "$(sqlite3 old.db "SELECT count(*) FROM position_legs WHERE id = $pos")" -ge 2 ] || fail "the upgrade did not rebuild position $pos's legs"
  for report in pool positions traders "position $pos"; do
    # shellcheck disable=SC2086
    expect_rc 0 report $report --journal old.db --format json
    cp out old.json
    # shellcheck disable=SC2086
    expect_rc 0 report $report --journal new.db --format json
    cmp -s out old.json || fail "report $report after the upgrade differs"
  done
  echo "upgrade from schema $from: ok"
done
echo "upgrade: ok"
