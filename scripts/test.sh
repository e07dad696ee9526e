#!/usr/bin/env bash
# scripts/test.sh: the whole test suite (README quick start, and what .ci/run calls): set-up, build,
# then every unit and end-to-end test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The ledger export is checked by the real tools (tests/e2e/ledger_test.sh).
for p in hledger ledger; do
  if ! command -v "$p" >/dev/null; then
    echo "test: installing $p" >&2
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >/dev/null
  fi
done
cd build
ctest -j2 --output-on-failure --timeout 600
