#!/usr/bin/env bash
# scripts/test.sh: the whole test suite (README quick start, and what .ci/run calls): set-up, build,
# then every unit and end-to-end test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd build
ctest -j2 --output-on-failure --timeout 600
