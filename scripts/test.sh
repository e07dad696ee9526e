#!/usr/bin/env bash
# scripts/test.sh: the whole test suite (README quick start, and what .ci/run calls): set-up, build
# (nexadex with g++ into build/, the fuzz targets with clang into build-fuzz/), then every unit,
# end-to-end and property test and a 20-second run of each fuzz target, through CTest.
# scripts/test.sh --sanitize: the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (cmake -DNEXADEX_SANITIZE=ON) into build-asan/; any report (a memory error, a leak, undefined
# behaviour) aborts the process, so the test that ran it fails. No suppressions (issue 15 item 2).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=no
case "${1:-}" in
  "") ;;
  --sanitize) sanitize=yes ;;
  *) echo "usage: scripts/test.sh [--sanitize]" >&2; exit 1 ;;
esac
if [ "$sanitize" = yes ]; then
  # -Werror stays with the plain build: g++ 12's warnings change under -fsanitize (its manual says so),
  # and the plain build is the one that holds the code to them.
  NEXADEX_BUILD_DIR=build-asan bash scripts/setup.sh -DNEXADEX_SANITIZE=ON -DNEXADEX_WERROR=OFF
  build=build-asan
  # the property tests run 5-10 times slower under the sanitizers (the vault's took more than 10 min)
  timeout=3600
  # verify_asan_link_order=0: the fault and crash suites LD_PRELOAD their shim ahead of libasan (the
  # shim passes every call on, through libasan's interceptors, to libc)
  export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:print_stacktrace=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:verify_asan_link_order=0
  export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
  export LSAN_OPTIONS=print_suppressions=0
else
  # The fuzz targets, built with clang into build-fuzz/ (about 5 minutes here), each run for 20 s by
  # CTest as fuzz.run.<target> (issue 15: the short fuzz run of .ci/run).
  bash scripts/fuzz.sh --build-only
  bash scripts/setup.sh -DNEXADEX_FUZZ_BINARIES="$PWD/build-fuzz/tests/fuzz"
  build=build
  timeout=600
fi
# The ledger export is checked by the real tools (tests/e2e/ledger_test.sh), the history chart by a
# real SVG renderer and XML parser (tests/e2e/chart_test.sh).
source scripts/packages.sh
install_missing test hledger ledger librsvg2-bin libxml2-utils
cd "$build"
ctest -j2 --output-on-failure --timeout "$timeout"
