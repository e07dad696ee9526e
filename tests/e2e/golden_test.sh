# tests/e2e/golden_test.sh: every scenario under tests/golden/ against its reviewed transcript.
source "$(dirname "$0")/lib.sh" "$@"
status=0
for dir in "$SRC"/tests/golden/*/; do
  name=$(basename "$dir")
  [ -f "$dir/commands" ] || continue
  bash "$SRC/tests/golden/run-scenario.sh" "$NEXADEX" "$SRC" "$dir" >"$WORK/$name.actual"
  if ! diff -u "$dir/expected" "$WORK/$name.actual" >"$WORK/$name.diff"; then
    echo "FAIL: golden scenario $name differs (regenerate with scripts/update-golden.sh only if the change is intended):" >&2
    cat "$WORK/$name.diff" >&2
    status=1
  else
    echo "ok: $name"
  fi
done
exit $status
