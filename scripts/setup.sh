#!/usr/bin/env bash
# scripts/setup.sh: installs the Debian packages nexadex needs (only those missing), then configures
# and builds into build/ (or $NEXADEX_BUILD_DIR; extra arguments go to cmake). Used by scripts/demo.sh
# and scripts/test.sh; run as root on Debian bookworm.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config libsqlite3-dev sqlite3 libcli11-dev libsqlitecpp-dev libtoml11-dev
  libfmt-dev catch2 nlohmann-json3-dev nettle-dev libhowardhinnant-date-dev libcsv-dev libabsl-dev libboost-dev scdoc man-db
  jq)  # tests/e2e/outcome_test.sh reads the JSON output with it
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${NEXADEX_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DNEXADEX_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j2
