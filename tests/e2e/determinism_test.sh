# tests/e2e/determinism_test.sh: the same commands give the same head hash whether run one by one or
# as one `run` batch, and twice in a row (SPEC §1, §10).
source "$(dirname "$0")/lib.sh" "$@"
cp -r "$SRC/examples" "$WORK/examples"
head_of() { "$NEXADEX" --journal "$1" report --format json | grep '"head_hash"' | cut -d'"' -f4; }

for j in a.db b.db; do
  "$NEXADEX" --journal "$j" init --config examples/basic.toml --at 2026-01-05T07:59:00Z >/dev/null
  "$NEXADEX" --journal "$j" run examples/price-day.run >/dev/null
done
[ "$(head_of a.db)" = "$(head_of b.db)" ] || fail "two runs of the same batch gave different heads"

"$NEXADEX" --journal c.db init --config examples/basic.toml --at 2026-01-05T07:59:00Z >/dev/null
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  eval "\"$NEXADEX\" --journal c.db $line" >/dev/null
done <examples/price-day.run
[ "$(head_of a.db)" = "$(head_of c.db)" ] || fail "single commands and one batch gave different heads: $(head_of a.db) vs $(head_of c.db)"
cmp <("$NEXADEX" --journal a.db export --events) <("$NEXADEX" --journal c.db export --events) ||
  fail "single commands and one batch gave different events"
echo "ok: price-day head $(head_of a.db)"

# The vault scenarios too, and the tranches' worked example: one batch vs one command a line.
for spec in calm-week:basic:2026-01-05T07:59:00Z crash-day:basic:2026-01-05T07:59:00Z \
  bank-run:basic:2026-01-05T07:59:00Z tranches:tranches:2026-01-01T00:00:00Z; do
  IFS=: read -r scenario config _ <<<"$spec"
  start=${spec#*:*:}   # the time holds colons too
  rm -f v1.db v2.db
  "$NEXADEX" --journal v1.db init --config "examples/$config.toml" --at "$start" >/dev/null
  "$NEXADEX" --journal v1.db run "examples/$scenario.run" >/dev/null
  "$NEXADEX" --journal v2.db init --config "examples/$config.toml" --at "$start" >/dev/null
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    eval "\"$NEXADEX\" --journal v2.db $line" >/dev/null
  done <"examples/$scenario.run"
  [ "$(head_of v1.db)" = "$(head_of v2.db)" ] || fail "$scenario: single commands and one batch gave different heads"
  cmp <("$NEXADEX" --journal v1.db export --ledger) <("$NEXADEX" --journal v2.db export --ledger) ||
    fail "$scenario: single commands and one batch gave different postings"
  "$NEXADEX" --journal v2.db verify || fail "$scenario: the journal of single commands does not verify"
  echo "ok: $scenario head $(head_of v1.db)"
done
