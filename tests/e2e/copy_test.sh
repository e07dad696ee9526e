# tests/e2e/copy_test.sh: README "At scale": a copy of a journal taken with sqlite3 while nexadex writes
# to it (`.backup` and `VACUUM INTO`) is a whole journal: it verifies, and it is the writer's journal cut
# at a commit (its head is the event of that seq in the journal the writer ends with).
source "$(dirname "$0")/lib.sh" "$@"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing: skipped"; exit 77; }
minimal_config
"$NEXADEX" --journal j.db init --config config.toml --at 2026-01-01T00:00:00Z -q
"$NEXADEX" --journal j.db deposit ann 100000 --price 50000 --market BTC --at 2026-01-01T00:00:00Z -q
# the writer: 40 batches of 500 lines (prices, and every 50th line an open and a deposit), each its
# own transaction, as fast as they go
for b in $(seq 0 39); do
  awk -v b="$b" 'BEGIN { for (i = 0; i < 500; i++) { t = 1767225600 + b * 500 + i
    printf "price set BTC %d --at @%d\n", 50000 + (t % 97) * 10, t
    if (i % 50 == 0) { printf "open t%d BTC long --collateral 100 --leverage 2 --at @%d\n", t, t
                       printf "deposit l%d 1000 --at @%d\n", t, t } } }' >"b$b.run"
done
( for b in $(seq 0 39); do "$NEXADEX" --journal j.db run "b$b.run" -q >/dev/null || exit 1; done ) &
writer=$!
k=0
while kill -0 "$writer" 2>/dev/null && [ "$k" -lt 40 ]; do
  sqlite3 -cmd '.timeout 10000' j.db ".backup backup$k.db" || fail "sqlite3 .backup failed while nexadex wrote"
  sqlite3 -cmd '.timeout 10000' j.db "VACUUM INTO 'vacuum$k.db'" || fail "VACUUM INTO failed while nexadex wrote"
  k=$((k + 1))
done
wait "$writer" || fail "the writer failed while copies were taken"
[ "$k" -ge 2 ] || fail "only $k copies were taken while the writer ran; the test proves nothing"
"$NEXADEX" --journal j.db verify || fail "the written journal does not verify"
heads=""
for copy in backup*.db vacuum*.db; do
  "$NEXADEX" --journal "$copy" verify || fail "the copy $copy does not verify"
  IFS='|' read -r seq hash < <(sqlite3 "$copy" "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
  [ "$(sqlite3 j.db "SELECT hash FROM events WHERE seq = $seq")" = "$hash" ] ||
    fail "the copy $copy ends at seq $seq with a hash the writer's journal does not have there"
  heads="$heads $seq"
done
echo "ok: $((k * 2)) copies taken while nexadex wrote, each verified and a prefix of the journal (heads:$heads)"
