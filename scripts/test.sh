#!/usr/bin/env bash
# scripts/test.sh: the whole test suite (README quick start, and what .ci/run calls): set-up, build,
# then every unit and end-to-end test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The ledger export is checked by the real tools (tests/e2e/ledger_test.sh), the history chart by a
# real SVG renderer and XML parser (tests/e2e/chart_test.sh): command:Debian package.
for tool in hledger:hledger ledger:ledger rsvg-convert:librsvg2-bin xmllint:libxml2-utils; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    echo "test: installing ${tool#*:}" >&2
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${tool#*:}" >/dev/null
  fi
done
cd build
ctest -j2 --output-on-failure --timeout 600
