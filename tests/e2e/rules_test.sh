# tests/e2e/rules_test.sh: a journal keeps the rules version it was written under (nexadex-journal(5),
# RULES). tests/fixtures/rules-2-borrow.db, made by the nexadex of rules 2 from rules-2-borrow.run, still
# verifies to its pinned head and replays to its figures: a slope rate of 5.05 bps a year charged as
# 6 bps, 0.606000 on a size of 1,010 for a year (issue 20 item 2). The same commands on a new journal
# (rules 3) charge the exact rate, 0.510050; a config apply moves the old journal to rules 3 from then
# on, its past unchanged.
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

# The same commands now: rules 3, the exact rate. 500 × 101 / 10000 = 5.05 bps a year;
# 1,010 × 5.05 / 10000 = 0.510050 (the index grows by 505 × 10^12 exactly, the fee rounds up).
"$NEXADEX" init --config "$FIX/rules-2-borrow.toml" --journal new.db --at 2026-01-05T07:59:00Z -q
"$NEXADEX" run "$FIX/rules-2-borrow.run" --journal new.db -q >/dev/null
expect_rc 0 report summary --journal new.db --format json
grep -q '"rules": 3' out || fail "a new journal is not under rules version 3: $(cat out)"
expect_rc 0 report position 4 --journal new.db --format json
[ "$(field borrow_fee)" = 0.510050 ] || fail "the exact rate's borrow fee is not 0.510050: $(cat out)"
[ "$(field paid_out)" = 1009.489950 ] || fail "the exact rate's payout is not 1009.489950: $(cat out)"
expect_rc 0 verify --journal new.db
echo "rules 3: ok"

# A config apply moves the old journal on; what was charged before stays, and it verifies.
expect_rc 0 config apply "$FIX/rules-2-borrow.toml" --journal old.db --at 2027-01-05T08:00:00Z -q
expect_rc 0 report summary --journal old.db --format json
grep -q '"rules": 3' out || fail "config apply did not adopt rules version 3: $(cat out)"
expect_rc 0 report position 4 --journal old.db --format json
[ "$(field borrow_fee)" = 0.606000 ] || fail "config apply changed the old borrow fee: $(cat out)"
expect_rc 0 verify --journal old.db
echo "rules 2 to 3: ok"
