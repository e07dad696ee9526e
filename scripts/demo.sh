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

say "Run a crash day as one all-or-nothing batch: LPs fund the pool, six traders open, BTC falls 30%, keepers liquidate" \
    "nexadex run examples/crash-day.run"
$nx run examples/crash-day.run

say "The pool after the crash: NAV, share price, reserves, insurance, treasury" "nexadex report pool --at 2026-01-06T20:00:00Z"
$nx report pool --at 2026-01-06T20:00:00Z

say "Every position, with how it ended" "nexadex report positions --all"
$nx report positions --all

say "Where the fees went" "nexadex report fees"
$nx report fees

say "What each LP holds now" "nexadex report lps"
$nx report lps

say "Verify: recompute the hash chain, replay every event, check postings and conservation" "nexadex verify --verbose"
$nx verify --verbose
echo
echo "All checks passed. The journal is $NEXADEX_JOURNAL; try: build/nexadex --journal $NEXADEX_JOURNAL report events"
