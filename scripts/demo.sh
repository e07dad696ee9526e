#!/usr/bin/env bash
# scripts/demo.sh: the README's demo: set-up and build, then an example scenario into a fresh journal,
# its reports, and `verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "demo: installing what is missing and building (a few minutes the first time)..." >&2
bash scripts/setup.sh >/dev/null
nx=build/nexadex
dir=$(mktemp -d "${TMPDIR:-/tmp}/nexadex-demo.XXXXXX")
export NEXADEX_JOURNAL=$dir/demo.db
if [ -t 1 ]; then b=$'\033[1m' n=$'\033[0m'; else b= n=; fi
say() { printf '\n%s== %s%s\n$ %s\n' "$b" "$1" "$n" "$2"; }

say "Create a journal from a config: its first event holds the whole config and its SHA-256" \
    "nexadex init --config examples/basic.toml --at 2026-01-05T07:59:00Z"
$nx init --config examples/basic.toml --at 2026-01-05T07:59:00Z

say "Run a morning of oracle prices as one all-or-nothing batch" "nexadex run examples/price-day.run"
$nx run examples/price-day.run

say "The journal's summary: head, config in force, latest prices" "nexadex report --at 2026-01-05T08:04:00Z"
$nx report --at 2026-01-05T08:04:00Z

say "Every event, each chained to the one before by its SHA-256" "nexadex report events"
$nx report events

say "The state as it was before SOL was listed" "nexadex report --seq 6"
$nx report --seq 6

say "Verify: recompute the hash chain, replay every event, compare with the stored state" "nexadex verify --verbose"
$nx verify --verbose
echo
echo "All checks passed. The journal is $NEXADEX_JOURNAL; try: build/nexadex --journal $NEXADEX_JOURNAL report --format json"
