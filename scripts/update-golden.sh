#!/usr/bin/env bash
# scripts/update-golden.sh [SCENARIO...]: rewrites tests/golden/*/expected from the built binary.
# Review the diff before committing; a golden update ships with its cause.
set -euo pipefail
cd "$(dirname "$0")/.."
nexadex=${NEXADEX:-$PWD/build/nexadex}
[ -x "$nexadex" ] || { echo "update-golden: build first (bash scripts/setup.sh)" >&2; exit 1; }
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd tests/golden && ls -d */ | tr -d /))
for name in "${names[@]}"; do
  bash tests/golden/run-scenario.sh "$nexadex" "$PWD" "tests/golden/$name" >"tests/golden/$name/expected"
  echo "updated tests/golden/$name/expected"
done
git --no-pager diff --stat -- tests/golden || true
