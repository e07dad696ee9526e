# tests/e2e/checkpoint_test.sh: verified checkpoints (schema 8, nexadex-journal(5) CHECKPOINTS).
#  1. Every example scenario, run with a checkpoint as often as the rule allows
#     (NEXADEX_CHECKPOINT_EVERY=1: after each event once as many events as open positions have passed),
#     gives at every seq the same reports as the same journal without its checkpoints (read by replay
#     from the first event), whatever the report: pool, LPs, positions with their legs, cascades,
#     insurance, fees, traders, and the multi-asset and lock reports.
#  2. verify compares every checkpoint with the replay and counts them; --from-checkpoint checks the
#     tail after the latest one.
#  3. A checkpoint changed after it was written is named by verify (exit 4): its hash, its image's
#     bytes, a forged image whose hashes were recomputed (the state it holds is not the replay's), a
#     checkpoint removed from the chain; and --from-checkpoint sees a forged latest checkpoint.
#  4. A bad NEXADEX_CHECKPOINT_EVERY is refused before anything is written; the default writes none in
#     a short journal.
#  5. A read-only copy (immutable) reads its checkpoints.
source "$(dirname "$0")/lib.sh" "$@"

export NEXADEX_NOW=2026-03-01T00:00:00Z

# scenario NAME CONFIG RUN INIT_AT EXTRA_REPORTS...
scenario() {
  local name=$1 config=$2 run=$3 init_at=$4
  shift 4
  rm -f "$name.db" "$name-nocp.db"
  expect_rc 0 init --config "$SRC/examples/$config" --journal "$name.db" --at "$init_at" -q
  NEXADEX_CHECKPOINT_EVERY=1 expect_rc 0 run "$SRC/examples/$run" --journal "$name.db" -q
  local n head
  n=$(sqlite3 "$name.db" "SELECT count(*) FROM checkpoints")
  head=$(head_seq "$name.db")
  [ "$n" -ge 2 ] || fail "$name: only $n checkpoints in $head events with NEXADEX_CHECKPOINT_EVERY=1"
  expect_rc 0 verify --journal "$name.db" --verbose --format json
  grep -q "\"checkpoints\": $n," out || fail "$name: verify did not compare its $n checkpoints: $(cat out)"
  expect_rc 0 verify --journal "$name.db" --from-checkpoint --verbose --format json
  local last
  last=$(sqlite3 "$name.db" "SELECT max(seq) FROM checkpoints")
  grep -q "\"from_seq\": $((last + 1))," out || fail "$name: verify --from-checkpoint did not start after seq $last: $(cat out)"

  cp "$name.db" "$name-nocp.db"
  sqlite3 "$name-nocp.db" "DELETE FROM checkpoints"
  local seq report
  for seq in $(seq 1 "$head"); do
    for report in pool lps "positions --all" cascades insurance fees traders tranches "$@"; do
      # shellcheck disable=SC2086
      a=$("$NEXADEX" report $report --seq "$seq" --journal "$name.db" --format json 2>&1) || true
      # shellcheck disable=SC2086
      b=$("$NEXADEX" report $report --seq "$seq" --journal "$name-nocp.db" --format json 2>&1) || true
      [ "$a" = "$b" ] || fail "$name: report $report --seq $seq differs with checkpoints: $(diff <(echo "$b") <(echo "$a") | head -20)"
    done
  done
  # --as-of goes through the same path: the last event at or before the time
  local at
  at=$(sqlite3 "$name.db" "SELECT at FROM events WHERE seq = $((head / 2 + 1))")
  at=$(date -u -d "@$at" +%Y-%m-%dT%H:%M:%SZ)
  a=$("$NEXADEX" report pool --as-of "$at" --journal "$name.db" --format json)
  b=$("$NEXADEX" report pool --as-of "$at" --journal "$name-nocp.db" --format json)
  [ "$a" = "$b" ] || fail "$name: report pool --as-of $at differs with checkpoints"
}

scenario crash basic.toml crash-day.run 2026-01-05T07:59:00Z "position 3"
scenario bank basic.toml bank-run.run 2026-01-05T07:59:00Z
scenario tranches tranches.toml tranches.run 2026-01-01T00:00:00Z
scenario locks locks.toml locks.run 2026-01-01T00:00:00Z points "lp ann"
scenario assets multi-asset.toml multi-asset.run 2026-01-01T00:00:00Z assets

# --- 3. tampering: each on a fresh copy, named by verify with exit 4 ---
j=crash.db
second=$(sqlite3 "$j" "SELECT seq FROM checkpoints ORDER BY seq LIMIT 1 OFFSET 1")

cp "$j" t1.db
sqlite3 t1.db "UPDATE checkpoints SET hash = '$(printf '0%.0s' $(seq 64))' WHERE seq = $second"
expect_error 4 "discrepanc" verify --journal t1.db --verbose
grep -q "checkpoint .*stored hash 0000.* but the checkpoint hashes to" out || fail "a changed checkpoint hash was not named: $(cat out)"

cp "$j" t2.db
sqlite3 t2.db "UPDATE checkpoints SET image = CAST(replace(CAST(image AS TEXT), 'insurance', 'insurancf') AS BLOB) WHERE seq = $second"
expect_error 4 "discrepanc" verify --journal t2.db --verbose
grep -q "its image hashes to .*, not to its image_sha256" out || fail "a changed checkpoint image was not named: $(cat out)"

# A forged image: the insurance account's balance raised by 1 micro-USD, and the image's SHA-256 and
# the checkpoint's hash recomputed (so that only the comparison with the replay can tell).
forge() {  # JOURNAL SEQ [SQL on the image]
  local db=$1 s=$2 sql=${3:-"UPDATE accounts SET balance = balance + 1 WHERE account = 'insurance'"}
  sqlite3 "$db" "SELECT writefile('image.db', image) FROM checkpoints WHERE seq = $s" >/dev/null
  sqlite3 image.db "$sql"
  local sha prev at ev hash
  sha=$(sha256sum image.db | cut -d' ' -f1)
  IFS='|' read -r prev at ev < <(sqlite3 "$db" "SELECT prev_hash, at, event_hash FROM checkpoints WHERE seq = $s")
  hash=$(printf '%s\n%s\n%s\n%s\n%s' "$prev" "$s" "$at" "$ev" "$sha" | sha256sum | cut -d' ' -f1)
  sqlite3 "$db" "UPDATE checkpoints SET image = readfile('image.db'), image_sha256 = '$sha', hash = '$hash' WHERE seq = $s"
}
cp "$j" t3.db
forge t3.db "$second"
# the chain of checkpoints after it now breaks (the next one's prev_hash), and the state differs
expect_error 4 "discrepanc" verify --journal t3.db --verbose
grep -q "$second .*checkpoint .*account insurance: .* in the checkpoint, .* from the events" out ||
  fail "a forged checkpoint image was not found by the comparison with the replay: $(cat out)"

cp "$j" t4.db
last=$(sqlite3 t4.db "SELECT max(seq) FROM checkpoints")
forge t4.db "$last"
# --from-checkpoint trusts the checkpoint it starts from (its hash is whole) but the live tables are
# not what the events after it give
nx verify --journal t4.db --from-checkpoint --verbose
[ "$rc" = 4 ] || fail "verify --from-checkpoint did not find a forged latest checkpoint (exit $rc): $(cat out)"
grep -q "account insurance: .* in the tables, .* from the events" out ||
  fail "verify --from-checkpoint did not name the account: $(cat out)"
expect_error 4 "discrepanc" verify --journal t4.db

# a forged image's config (the same seq and SHA-256, other effective settings), and a row outside the
# open positions: both named, and neither used by a report differently from the events (the report
# replays from it; verify is what says it cannot be trusted)
cp "$j" t7.db
forge t7.db "$second" "UPDATE config SET effective = replace(effective, '\"close_fee_bps\":10', '\"close_fee_bps\":50')"
expect_error 4 "discrepanc" verify --journal t7.db --verbose
grep -q "$second .*checkpoint .*the config: its text or its effective settings differ in the checkpoint" out ||
  fail "a forged checkpoint config was not named: $(cat out)"
cp "$j" t8.db
forge t8.db "$second" "INSERT INTO positions VALUES (999, 'zed', 'BTC', 'long', 1000000, 100000, 6500000000000, 0, '0', 0,
  1767603600, 0, 'closed', $second, '1', 0, 0, 0, 0, 0, '', '', 0)"
expect_error 4 "discrepanc" verify --journal t8.db --verbose
grep -q "the positions: .* rows in the checkpoint where its books find .* open positions" out ||
  fail "a row outside the open positions of a checkpoint was not named: $(cat out)"

# an image without its positions table (its hashes whole): verify names the table it cannot read,
# and still compares the rest
cp "$j" t11.db
forge t11.db "$second" "DROP TABLE positions"
expect_error 4 "discrepanc" verify --journal t11.db --verbose
grep -q "$second .*checkpoint .*positions" out || fail "an image without its positions table was not named: $(cat out)"

# a damaged checkpoint (its image's bytes changed, its hashes not) is not used by a report: the
# report replays from the first event and gives what the events give
cp "$j" t9.db
sqlite3 t9.db "UPDATE checkpoints SET at = at + 1 WHERE seq = $second"
a=$("$NEXADEX" report summary --seq "$second" --journal t9.db --format json)
b=$("$NEXADEX" report summary --seq "$second" --journal crash-nocp.db --format json)
[ "$a" = "$b" ] || fail "a report used a checkpoint whose time was changed"

# a losses row no event made, and an account back at zero changed: named, the account at its last posting
cp "$j" t10.db
sqlite3 t10.db "INSERT INTO losses VALUES (0, 1, 0, 'bad_debt', 'BTC', 'insurance', 1, 0)"
expect_error 4 "discrepanc" verify --journal t10.db --verbose
grep -q "the losses table holds .* rows but the losses the events allocate make" out || fail "a stray losses row was not named: $(cat out)"
cp "$j" t11.db
account=$(sqlite3 t11.db "SELECT account FROM accounts WHERE account LIKE 'position:%' AND balance = 0 LIMIT 1")
last_posting=$(sqlite3 t11.db "SELECT max(seq) FROM postings WHERE account = '$account'")
sqlite3 t11.db "UPDATE accounts SET balance = 1 WHERE account = '$account'"
expect_error 4 "the first at seq $last_posting \\(state\\)" verify --journal t11.db

# --from-checkpoint when the latest checkpoint is the head: the head is still named
latest=$(sqlite3 "$j" "SELECT max(seq) FROM checkpoints")
if [ "$latest" = "$(head_seq "$j")" ]; then
  expect_rc 0 verify --journal "$j" --from-checkpoint --expect-head "$(sqlite3 "$j" "SELECT hash FROM events ORDER BY seq DESC LIMIT 1")"
fi

cp "$j" t5.db
sqlite3 t5.db "DELETE FROM checkpoints WHERE seq = $second"
expect_error 4 "discrepanc" verify --journal t5.db --verbose
grep -q "prev_hash .* is not the previous checkpoint's hash" out || fail "a checkpoint removed from the chain was not named: $(cat out)"

# --- 4. the interval ---
cp "$j" t6.db
before=$(checksum t6.db)
NEXADEX_CHECKPOINT_EVERY=0 expect_error 1 "NEXADEX_CHECKPOINT_EVERY is '0'; give a whole number of events of at least 1" \
  price set BTC 60000 --journal t6.db
NEXADEX_CHECKPOINT_EVERY=ten expect_error 1 "NEXADEX_CHECKPOINT_EVERY is 'ten'" deposit ann 1 --journal t6.db
[ "$(checksum t6.db)" = "$before" ] || fail "a refused NEXADEX_CHECKPOINT_EVERY changed the journal"
rm -f d.db
expect_rc 0 init --config "$SRC/examples/basic.toml" --journal d.db --at 2026-01-05T07:59:00Z -q
expect_rc 0 run "$SRC/examples/crash-day.run" --journal d.db -q
[ "$(sqlite3 d.db "SELECT count(*) FROM checkpoints")" = 0 ] || fail "a short journal got a checkpoint at the default interval"

# --- 5. a read-only copy ---
mkdir ro && cp "$j" ro/ && chmod 0555 ro && chmod 0444 "ro/$j"
a=$("$NEXADEX" report pool --seq 10 --journal "ro/$j" --format json)
b=$("$NEXADEX" report pool --seq 10 --journal crash-nocp.db --format json)
[ "$a" = "$b" ] || fail "a read-only journal's checkpoint gave another report"
expect_rc 0 verify --journal "ro/$j"
chmod 0755 ro
echo "checkpoint_test: ok"
