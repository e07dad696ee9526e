# tests/e2e/concurrency_test.sh: SPEC §7 concurrent writers. Two shells write the same journal at
# once, one process per command (BEGIN IMMEDIATE and the busy timeout serialize them): every command
# succeeds and no event is lost, duplicated or forked.
source "$(dirname "$0")/lib.sh" "$@"

PER_WRITER=${NEXADEX_CONCURRENCY_COMMANDS:-1000}
minimal_config
J=$WORK/j.db
"$NEXADEX" init --config config.toml --journal "$J" -q

# writer MARKET: PER_WRITER single `price set` commands, all at the fixed NEXADEX_NOW (equal times are
# not backwards), each price distinct; writes the number of failed commands to failures.MARKET.
writer() {
  local market=$1 i failed=0
  for ((i = 1; i <= PER_WRITER; i++)); do
    "$NEXADEX" price set "$market" "$i.5" --journal "$J" -q 2>>"$WORK/stderr.$market" || failed=$((failed + 1))
  done
  echo "$failed" >"$WORK/failures.$market"
}

two_writers() {
  local start=$SECONDS
  writer BTC &
  local a=$!
  writer ETH &
  local b=$!
  wait "$a"
  wait "$b"
  echo "$((2 * PER_WRITER)) commands from two writers took $((SECONDS - start)) s"
  local m
  for m in BTC ETH; do
    [ "$(cat "$WORK/failures.$m")" = 0 ] || fail "$(cat "$WORK/failures.$m") $m commands failed: $(sort "$WORK/stderr.$m" | uniq -c | head)"
    [ ! -s "$WORK/stderr.$m" ] || fail "the $m writer wrote to stderr: $(head "$WORK/stderr.$m")"
  done
  expect_rc 0 verify --journal "$J"
  [ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "verify was not silent: $(cat "$WORK/out" "$WORK/err")"
  [ "$(head_seq "$J")" = $((1 + 2 * PER_WRITER)) ] || fail "the head seq is $(head_seq "$J"), expected $((1 + 2 * PER_WRITER))"
  events_of "$J" >events.jsonl
  [ "$(wc -l <events.jsonl)" = $((1 + 2 * PER_WRITER)) ] || fail "export lists $(wc -l <events.jsonl) events"
  # Each writer's prices appear exactly once each, in the order that writer wrote them.
  for m in BTC ETH; do
    sed -n "s/.*\"market\":\"$m\",\"price\":\"\\([0-9]*\\)\\.50000000\".*/\\1/p" events.jsonl >"prices.$m"
    seq 1 "$PER_WRITER" | cmp -s - "prices.$m" || fail "the $m events are not exactly prices 1.5 .. $PER_WRITER.5 in order"
  done
  # The seqs are 1..N without a gap or a repeat.
  sed -n 's/^{"seq":\([0-9]*\),.*/\1/p' events.jsonl | cmp -s - <(seq 1 $((1 + 2 * PER_WRITER))) ||
    fail "the exported seqs are not 1 .. $((1 + 2 * PER_WRITER))"
  # The two writers really interleaved (else this test did not test concurrency).
  local switches
  switches=$(sed -n 's/.*"market":"\([A-Z]*\)".*/\1/p' events.jsonl | uniq | wc -l)
  echo "the writers took turns $switches times"
  [ "$switches" -ge 3 ] || fail "the two writers never interleaved ($switches runs of one market)"
}
check "two writers of 1,000 commands each: 2,001 events, verify 0" two_writers
finish
