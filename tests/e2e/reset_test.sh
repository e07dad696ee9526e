# tests/e2e/reset_test.sh: a pool whose NAV reached 0 starts again (issue 12, item 5). An external loss
# that takes a single-tranche pool to NAV 0 with shares outstanding is followed, in the same command, by
# a tranche_reset event that cancels the old shares; the next deposit is a first deposit. One command at
# a time or as a batch, the journal is the same. A journal of the release before this rule, stuck in
# that state (tests/fixtures/senior-wiped.db), verifies with its old head and starts again at its next
# write.
source "$(dirname "$0")/lib.sh" "$@"

export NEXADEX_JOURNAL=$WORK/j.db
"$NEXADEX" init --config "$SRC/examples/basic.toml" --at 2026-01-05T07:59:00Z -q
# everything but the comment lines of the fixture's batch: the same commands
grep -v '^#' "$SRC/tests/fixtures/senior-wiped.run" >wipe.run

wiped_then_reset() {
  local line
  while IFS= read -r line; do
    # shellcheck disable=SC2086
    eval "expect_rc 0 $line"
  done <wipe.run
  grep -Eq '^ +5 +2026-01-05T08:02:00Z +loss_applied ' "$WORK/out" || fail "the loss is not seq 5: $(cat "$WORK/out")"
  grep -Eq '^ +6 +2026-01-05T08:02:00Z +tranche_reset +the senior tranche is wiped: 1500\.000000000 shares cancelled' \
    "$WORK/out" || fail "the loss is not followed by a tranche_reset: $(cat "$WORK/out")"
  grep -q "a loss of 500.000000 could not be absorbed" "$WORK/err" || fail "no unabsorbed warning: $(cat "$WORK/err")"
  expect_rc 0 report lps --format csv
  grep -q '^alice,senior,0.000000000,0.000000,1000.000000,0.000000,-1000.000000,1000.000000000$' "$WORK/out" ||
    fail "alice's shares were not cancelled: $(cat "$WORK/out")"
  # the first deposit after the reset: 1 share per USDC
  expect_rc 0 deposit carol 100 --at 2026-01-05T08:03:00Z --price 65000 --market BTC
  expect_rc 0 report lp carol --format json
  grep -q '"shares": "100.000000000"' "$WORK/out" || fail "carol did not get 100 shares: $(cat "$WORK/out")"
  expect_rc 0 report pool --format json
  grep -q '"nav": "100.000000"' "$WORK/out" || fail "the pool's NAV is not carol's 100: $(cat "$WORK/out")"
  expect_rc 0 verify
}
check "an external loss to NAV 0 is followed by tranche_reset; the next deposit is a first deposit" wiped_then_reset

same_as_a_batch() {
  local single batch
  single=$("$NEXADEX" report --format json | sed -n 's/^ *"head_hash": *"\([0-9a-f]*\)",*$/\1/p')
  "$NEXADEX" init --config "$SRC/examples/basic.toml" --at 2026-01-05T07:59:00Z --journal b.db -q
  printf 'deposit carol 100 --at 2026-01-05T08:03:00Z --price 65000 --market BTC\n' >>wipe.run
  "$NEXADEX" run wipe.run --journal b.db -q
  batch=$("$NEXADEX" report --format json --journal b.db | sed -n 's/^ *"head_hash": *"\([0-9a-f]*\)",*$/\1/p')
  [ -n "$single" ] && [ "$single" = "$batch" ] || fail "one by one gives head '$single', the batch '$batch'"
}
check "one command at a time and a batch give the same head" same_as_a_batch

old_journal_starts_again() {
  local F=$WORK/old.db
  cp "$SRC/tests/fixtures/senior-wiped.db" "$F"
  # the head that the release before this rule wrote, unchanged, and its state as it left it
  expect_rc 0 verify --journal "$F" --expect-head 34fa013373dcc1a695c0984435e083b7976a755dd70ad57b9fd7495bfd985320
  expect_rc 0 report lps --format csv --journal "$F"
  grep -q '^alice,senior,1000.000000000,0.000000,' "$WORK/out" || fail "the old journal's shares changed: $(cat "$WORK/out")"
  # its next write resets the wiped tranche first, and the deposit is a first deposit
  expect_rc 0 deposit carol 100 --at 2026-01-05T08:03:00Z --price 65000 --market BTC --journal "$F"
  grep -Eq '^ +7 +2026-01-05T08:03:00Z +tranche_reset ' "$WORK/out" || fail "no reset before the deposit: $(cat "$WORK/out")"
  grep -Eq '^ +8 +2026-01-05T08:03:00Z +lp_deposited +carol' "$WORK/out" || fail "no deposit: $(cat "$WORK/out")"
  expect_rc 0 verify --journal "$F"
}
check "a journal stuck at NAV 0 by the previous release verifies, then starts again" old_journal_starts_again
finish
