# tests/e2e/upgrade_test.sh: journals of schemas 1 to 9 (tests/fixtures/schema-N.db, made by the
# nexadex of that schema from tests/fixtures/schema-N.run) are read as they are, and upgraded in place by
# the first write: reads leave their bytes untouched; after the upgrade they have schema 10 (its positions'
# legs rebuilt from the events, its LPs' cancelled shares as 128-bit text, the lots table of issue 16,
# empty, the assets table of issue 17, empty for these single-USDC vaults, the checkpoints table of
# issue 19, the positions' reserve assets and collateral assets and the assets' borrow indexes and
# recorded collateral of issue 18), `verify` passes, its reports are what they were, and it keeps the
# rules version it was made under until a `config apply` adopts this release's (schemas 1 to 3: rules 1, made before rules
# versions; schemas 4 to 6: rules 3). The schema-6 journal was made by the release before multi-asset
# pools (commit c99c923), the schema-7 journal (a multi-asset pool) by the release before checkpoints
# (commit 0e66407): their head hashes are the same after the upgrade.
source "$(dirname "$0")/lib.sh" "$@"

# The events of a journal without their hashes, and without the rules version a journal_created
# records (this nexadex's new journals record 3; the fixtures, from before rules versions, none).
commands_of() { events_of "$1" | sed -e 's/,"prev_hash".*//' -e 's/,"rules":[0-9]*//'; }

# save_reports TAG REPORT...: each report of old.db as JSON, saved as TAG.N.json; same_reports TAG WHAT
# REPORT...: the same reports again, each byte for byte as saved (WHAT names the upgrade in a failure).
save_reports() {
  local tag=$1 i=0 report
  shift
  for report in "$@"; do
    # shellcheck disable=SC2086
    expect_rc 0 report $report --journal old.db --format json
    cp out "$tag.$i.json"
    i=$((i + 1))
  done
}
same_reports() {
  local tag=$1 what=$2 i=0 report
  shift 2
  for report in "$@"; do
    # shellcheck disable=SC2086
    expect_rc 0 report $report --journal old.db --format json
    cmp -s out "$tag.$i.json" || fail "report $report after $what differs: $(diff "$tag.$i.json" out | head -6)"
    i=$((i + 1))
  done
}

REPORTS=(pool lps positions "positions --all" traders insurance fees)
for from in 1 2 3 4 5 6; do
  cp "$SRC/tests/fixtures/schema-$from.db" old.db
  # its last event's time (the reports' now), and a minute before it
  last=$(sqlite3 old.db "SELECT at FROM events ORDER BY seq DESC LIMIT 1")
  last_at=$(date -u -d "@$last" +%Y-%m-%dT%H:%M:%SZ)
  before_last=$(date -u -d "@$((last - 60))" +%Y-%m-%dT%H:%M:%SZ)
  export NEXADEX_NOW=$last_at
  config=basic.toml; init_at=2026-01-05T07:59:00Z; rules=1
  pos=7; books=1                        # hank's position; the open books (BTC long)
  [ "$from" = 3 ] && pos=8 && books=2   # hank's, partly closed then liquidated; BTC short and ETH long
  # DESIGN-risk §10's example: cid's position, which wiped the junior; dan's ETH long closed after it
  [ "$from" -ge 4 ] && config=tranches.toml && init_at=2025-12-31T23:59:00Z && rules=3 && pos=11 && books=0
  rm -f new.db new.db-wal new.db-shm
  "$NEXADEX" init --config "$SRC/examples/$config" --journal new.db --at "$init_at" -q
  "$NEXADEX" run "$SRC/tests/fixtures/schema-$from.run" --journal new.db -q >/dev/null

  version() { sqlite3 "$1" "PRAGMA user_version"; }
  [ "$(version old.db)" = "$from" ] || fail "the fixture is not a schema-$from journal"

  # Reading: every report and verify, the file unchanged; the same commands run now give the same
  # events (under the rules of this release, which the old journal, made before them, keeps).
  before=$(checksum old.db)
  expect_rc 0 report summary --journal old.db --format json
  grep -q "\"rules\": $rules" out || fail "the schema-$from journal is not read under rules version $rules: $(cat out)"
  save_reports before "${REPORTS[@]}" "position $pos"
  expect_rc 0 verify --journal old.db
  [ "$(checksum old.db)" = "$before" ] || fail "reading the schema-$from journal changed its bytes"
  [ "$(version old.db)" = "$from" ] || fail "reading the schema-$from journal changed its schema version"
  [ "$(commands_of old.db)" = "$(commands_of new.db)" ] || fail "the schema-$from journal's events differ from the same commands run now"
  old_head=$(events_of old.db | tail -n 1)

  # A refused write rolls the upgrade back with its event.
  cp old.db refused.db
  expect_error 2 "time never runs backwards" price set BTC 60500 --journal refused.db --at "$before_last"
  [ "$(version refused.db)" = "$from" ] || fail "a refused write left the journal upgraded"
  [ "$(events_of refused.db)" = "$(events_of old.db)" ] || fail "a refused write changed the schema-$from journal's events"

  # The first write upgrades it, in the same transaction as its event: the same BTC price at the
  # same time, so that every figure stays where it was.
  btc=$(sqlite3 old.db "SELECT price FROM markets WHERE symbol = 'BTC'")
  btc=$(printf '%d.%08d' $((btc / 100000000)) $((btc % 100000000)))
  expect_rc 0 price set BTC "$btc" --journal old.db --at "$last_at" -q
  [ "$(version old.db)" = 10 ] || fail "the write did not upgrade the journal to schema 10 (user_version $(version old.db))"
  [ "$(sqlite3 old.db "SELECT count(*) FROM checkpoints")" = 0 ] || fail "the upgrade of a short journal made a checkpoint"
  [ "$(sqlite3 old.db "SELECT count(*) FROM assets")" = 0 ] || fail "the upgrade made assets rows of a single-USDC vault"
  [ "$(sqlite3 old.db "SELECT count(*) FROM lots")" = 0 ] || fail "the upgrade made lots of a pool without [locks]"
  expect_rc 0 verify --journal old.db --verbose
  grep -q "head hash" out || fail "verify --verbose printed no head hash"
  [ "$(events_of old.db | tail -n 2 | head -n 1)" = "$old_head" ] || fail "the upgrade changed the journal's old head"
  [ "$(sqlite3 old.db "SELECT count(*) FROM books")" = "$books" ] || fail "the upgraded journal does not have its $books open books"
  [ "$(sqlite3 old.db "SELECT count(*) FROM position_legs WHERE id = $pos")" -ge 2 ] || fail "the upgrade did not rebuild position $pos's legs"
  [ "$(sqlite3 old.db "SELECT count(*) FROM lps WHERE typeof(cancelled) <> 'text'")" = 0 ] || fail "the upgrade left an LP's cancelled shares as an integer"
  if [ "$from" -ge 4 ]; then
    # jill's 200,000 junior shares, cancelled when cid's profit wiped the junior (10^9 units a share)
    [ "$(sqlite3 old.db "SELECT cancelled FROM lps WHERE lp = 'jill'")" = 200000000000000 ] || fail "the upgrade lost jill's cancelled shares"
  fi
  same_reports before "the upgrade" "${REPORTS[@]}" "position $pos"
  # Its rules stay those it was made under until a config adopts this release's.
  expect_rc 0 report summary --journal old.db --format json
  grep -q "\"rules\": $rules" out || fail "the upgrade changed the rules version: $(cat out)"
  expect_rc 0 config apply "$SRC/examples/$config" --journal old.db --at "$last_at" -q
  expect_rc 0 report summary --journal old.db --format json
  grep -q '"rules": 3' out || fail "config apply did not adopt rules version 3: $(cat out)"
  expect_rc 0 verify --journal old.db
  echo "upgrade from schema $from: ok"
done

# A multi-asset fixture of schema $1: read as it is (its reports and verify, its bytes unchanged), then
# upgraded to schema 10 by the first write (the same BTC price at the same time, with a checkpoint every
# $3 events when given) with the same head and assets rows; then the fixture's own checks ($2, a
# function), verify and the reports, unchanged.
REPORTS_MULTI=(pool assets lps "positions --all" insurance fees)
assets_columns="symbol, position, held, owned, reserved, collateral, insurance, treasury, book, mid, low, high"
upgrade_multi_asset() {
  local from=$1 checks=$2 every=${3:-}
  cp "$SRC/tests/fixtures/schema-$from.db" old.db
  rm -f old.db-wal old.db-shm
  last=$(sqlite3 old.db "SELECT at FROM events ORDER BY seq DESC LIMIT 1")
  last_at=$(date -u -d "@$last" +%Y-%m-%dT%H:%M:%SZ)
  export NEXADEX_NOW=$last_at
  [ "$(sqlite3 old.db "PRAGMA user_version")" = "$from" ] || fail "the fixture is not a schema-$from journal"
  before=$(checksum old.db)
  save_reports "before$from" "${REPORTS_MULTI[@]}"
  expect_rc 0 verify --journal old.db
  [ "$(checksum old.db)" = "$before" ] || fail "reading the schema-$from journal changed its bytes"
  old_head=$(events_of old.db | tail -n 1)
  assets_before=$(sqlite3 old.db "SELECT $assets_columns FROM assets ORDER BY position")
  btc=$(sqlite3 old.db "SELECT price FROM markets WHERE symbol = 'BTC'")
  btc=$(printf '%d.%08d' $((btc / 100000000)) $((btc % 100000000)))
  [ -n "$every" ] && export NEXADEX_CHECKPOINT_EVERY=$every
  expect_rc 0 price set BTC "$btc" --journal old.db --at "$last_at" -q
  unset NEXADEX_CHECKPOINT_EVERY
  [ "$(sqlite3 old.db "PRAGMA user_version")" = 10 ] || fail "the write did not upgrade the schema-$from journal to schema 10"
  [ "$(events_of old.db | tail -n 2 | head -n 1)" = "$old_head" ] || fail "the upgrade changed the schema-$from journal's head"
  [ "$(sqlite3 old.db "SELECT $assets_columns FROM assets ORDER BY position")" = "$assets_before" ] || fail "the upgrade changed the assets rows"
  "$checks"
  same_reports "before$from" "the schema-$from upgrade" "${REPORTS_MULTI[@]}"
  echo "upgrade from schema $from: ok"
}

# Schema 7, a multi-asset pool (examples/multi-asset.run at 0e66407): a write with a short checkpoint
# interval makes the upgraded journal's first checkpoint, and verify compares it.
checks_7() {
  [ "$(sqlite3 old.db "SELECT count(*) FROM checkpoints")" = 1 ] || fail "the first write after the upgrade made no checkpoint"
  expect_rc 0 verify --journal old.db --verbose --format json
  grep -q '"checkpoints": 1,' out || fail "verify did not compare the upgraded journal's checkpoint: $(cat out)"
}
upgrade_multi_asset 7 checks_7 1

# Schema 8 (tests/fixtures/schema-8.run: a multi-asset pool of rules 3 with a long and a short open):
# every position reserves the settlement asset ('') and every asset's borrow index and utilization are 0.
checks_8() {
  [ "$(sqlite3 old.db "SELECT count(*) FROM positions WHERE reserve_asset <> ''")" = 0 ] || fail "an upgraded position reserves a token"
  [ "$(sqlite3 old.db "SELECT count(*) FROM assets WHERE borrow_index <> '0' OR utilization_bps <> 0")" = 0 ] ||
    fail "an upgraded asset has a borrow index of its own"
  [ "$(sqlite3 old.db "SELECT count(*) FROM positions WHERE status = 'open'")" = 2 ] || fail "the upgrade lost an open position"
  expect_rc 0 verify --journal old.db --verbose
}
upgrade_multi_asset 8 checks_8

# Schema 9 (tests/fixtures/schema-9.run: the same pool, made by the release before collateral in tokens):
# every open position posts the settlement asset ('', 0 tokens) and no asset holds recorded collateral.
checks_9() {
  [ "$(sqlite3 old.db "SELECT count(*) FROM positions WHERE collateral_asset <> '' OR collateral_tokens <> 0")" = 0 ] ||
    fail "an upgraded position posts tokens"
  [ "$(sqlite3 old.db "SELECT count(*) FROM assets WHERE collateral_usd <> 0")" = 0 ] || fail "an upgraded asset records collateral"
  [ "$(sqlite3 old.db "SELECT count(*) FROM positions WHERE status = 'open'")" = 2 ] || fail "the upgrade lost an open position"
  expect_rc 0 verify --journal old.db --verbose
}
upgrade_multi_asset 9 checks_9
echo "upgrade: ok"
