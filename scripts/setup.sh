#!/usr/bin/env bash
# scripts/setup.sh: installs the Debian packages nexadex needs (only those missing), then configures
# and builds into build/ (or $NEXADEX_BUILD_DIR; extra arguments go to cmake). Used by scripts/demo.sh
# and scripts/test.sh; run as root on Debian bookworm.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/packages.sh
install_missing setup "${nexadex_packages[@]}"

build=${NEXADEX_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DNEXADEX_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j2
