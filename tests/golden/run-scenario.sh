#!/usr/bin/env bash
# tests/golden/run-scenario.sh NEXADEX SRC SCENARIO_DIR: runs a golden scenario and prints its
# transcript on stdout. The scenario's `commands` file holds one nexadex invocation a line (arguments
# only, '#' comments); each runs in a fresh work directory holding a copy of examples/ and of the
# scenario's own files, with NEXADEX_JOURNAL=journal.db, TZ=UTC and NEXADEX_NOW fixed. The transcript
# shows, per command, the command line, its stdout, its stderr (each line prefixed "! ") and its exit
# status. Compared with SCENARIO_DIR/expected by tests/e2e/golden_test.sh; regenerated only by
# scripts/update-golden.sh.
set -euo pipefail
nexadex=$1 src=$(cd "$2" && pwd) scenario=$(cd "$3" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/nexadex-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$src/examples" "$work/examples"
find "$scenario" -maxdepth 1 -type f ! -name commands ! -name expected -exec cp {} "$work/" \;
cd "$work"
export TZ=UTC LC_ALL=C NEXADEX_JOURNAL=journal.db NEXADEX_NOW=2026-01-05T09:00:00Z
unset NEXADEX_FORMAT
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  echo "\$ nexadex $line"
  set +e
  eval "\"$nexadex\" $line" >out 2>err
  rc=$?
  set -e
  cat out
  sed 's/^/! /' err
  echo "[exit $rc]"
done <"$scenario/commands"
