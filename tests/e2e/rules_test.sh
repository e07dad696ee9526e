# tests/e2e/rules_test.sh: a journal keeps the rules version it was written under (nexadex-journal(5),
# RULES). tests/fixtures/rules-2-borrow.db, made by the nexadex of rules 2 from rules-2-borrow.run, still
# verifies to its pinned head and replays to its figures: a slope rate of 5.05 bps a year charged as
# 6 bps, 0.606000 on a size of 1,010 for a year (issue 20 item 2).
source "$(dirname "$0")/lib.sh" "$@"
export NEXADEX_NOW=2027-01-05T08:00:00Z
FIX=$SRC/tests/fixtures
OLD_HEAD=23860a30d434ad3d456ff1329b52d5f218621bc48165c96ceaa5533ffc67a984

# field KEY: the value of "KEY" in the JSON object of $WORK/out that holds it first (amounts are strings).
field() { grep -o "\"$1\": *\"\\?[^\",]*" "$WORK/out" | head -n 1 | sed 's/.*: *"\?//'; }

cp "$FIX/rules-2-borrow.db" old.db
before=$(checksum old.db)
expect_rc 0 verify --journal old.db --verbose
grep -q "head hash *$OLD_HEAD" out || fail "the rules-2 journal's head is not $OLD_HEAD: $(cat out)"
expect_rc 0 report summary --journal old.db --format json
grep -q '"rules": 2' out || fail "the rules-2 journal is not read under rules version 2: $(cat out)"
expect_rc 0 report position 4 --journal old.db --format json
[ "$(field borrow_fee)" = 0.606000 ] || fail "the rules-2 journal's borrow fee is not 0.606000: $(cat out)"
[ "$(checksum old.db)" = "$before" ] || fail "reading the rules-2 journal changed its bytes"
echo "rules 2: ok"
