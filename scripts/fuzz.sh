#!/usr/bin/env bash
# scripts/fuzz.sh [--coverage] [--build-only] [--parallel] [SECONDS]: builds the libFuzzer targets
# of tests/fuzz/ with clang-16 (ASan + UBSan, -O1) into build-fuzz/, then runs each for SECONDS (default 20) on a copy
# of its seed corpus (build-fuzz/run/<target>/, by tests/fuzz/run_target.sh), printing executions per
# second. Exits 1 at the end if any target found a crash, a leak, a timeout or a violated invariant,
# naming the input it saved; copy that file to tests/fuzz/regressions/<target>/ once fixed, and CTest
# replays it from then on.
# --parallel: runs the seven targets at once instead of one after the other (a long run: with
# SECONDS = 3600 every target gets an hour; on fewer cores than targets they share them, and each
# line's executions per CPU second say how fast it ran while it had a core).
# --build-only: the build and nothing else (scripts/test.sh then runs each target for 20 s through
# CTest, the short run of .ci/run).
# --coverage: also builds build-fuzz-cov/ with clang's source-based coverage and prints, per target,
# the lines its corpus (after the run) covers: over its own reader's files and over lib/ journal/ cli/.
# The build and the runs are niced and use 2 jobs. Installs what it needs (scripts/packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

coverage=no
build_only=no
parallel=no
seconds=20
for arg in "$@"; do
  case "$arg" in
    --coverage) coverage=yes ;;
    --build-only) build_only=yes ;;
    --parallel) parallel=yes ;;
    ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [--coverage] [--build-only] [--parallel] [SECONDS]" >&2; exit 2 ;;
    *) seconds=$arg ;;
  esac
done

targets=(decimal config_toml price_csv run_line codec journal_file shock_spec)
# The files each target reads with, for its coverage line.
declare -A reader=(
  [decimal]="lib/money.cpp lib/time.cpp"
  [config_toml]="journal/config_toml.cpp lib/config_keys.cpp"
  [price_csv]="cli/price_csv.cpp"
  [run_line]="cli/tokenize.cpp cli/quick_parse.cpp"
  [codec]="journal/codec.cpp"
  [journal_file]="journal/identify.cpp journal/session.cpp journal/scan.cpp journal/verify.cpp"
  [shock_spec]="cli/shock_spec.cpp lib/shock.cpp"
)

source scripts/packages.sh
# llvm-16 (llvm-profdata, llvm-cov) only for --coverage
extra=()
[ "$coverage" = yes ] && extra=(llvm-16)
install_missing fuzz "${nexadex_packages[@]}" clang-16 libclang-rt-16-dev "${extra[@]}"

# configure_and_build DIR [EXTRA CMAKE ARGS...]
configure_and_build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" \
    -DBUILD_TESTING=OFF -DNEXADEX_FUZZ=ON "$@" >/dev/null
  local start=$SECONDS
  nice cmake --build "$dir" -j2 --target nexadex_fuzz >"$dir/build.log" 2>&1 || {
    tail -n 40 "$dir/build.log" >&2
    echo "fuzz: the build in $dir failed (log: $dir/build.log)" >&2
    exit 1
  }
  echo "fuzz: built $dir in $((SECONDS - start)) s"
}

configure_and_build build-fuzz
[ "$build_only" = yes ] && exit 0
failed=()
run_one() {
  nice bash tests/fuzz/run_target.sh "build-fuzz/tests/fuzz/fuzz_$1" "tests/fuzz/corpus/$1" "$seconds" "build-fuzz/run/$1"
}
if [ "$parallel" = yes ]; then
  mkdir -p build-fuzz/run
  declare -A pids=()
  for t in "${targets[@]}"; do
    run_one "$t" >"build-fuzz/run/$t.line" 2>"build-fuzz/run/$t.err" &
    pids[$t]=$!
  done
  for t in "${targets[@]}"; do
    wait "${pids[$t]}" || failed+=("$t")
    cat "build-fuzz/run/$t.line"
    cat "build-fuzz/run/$t.err" >&2
  done
else
  for t in "${targets[@]}"; do
    run_one "$t" || failed+=("$t")
  done
fi

if [ "$coverage" = yes ]; then
  configure_and_build build-fuzz-cov -DCMAKE_CXX_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
    -DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate"
  printf '%-14s %-26s %s\n' target "lines covered: reader" "lib/ journal/ cli/"
  for t in "${targets[@]}"; do
    work=build-fuzz/run/$t
    bin=build-fuzz-cov/tests/fuzz/fuzz_$t
    rm -f "$work"/*.profraw
    LLVM_PROFILE_FILE="$work/cov-%p.profraw" nice "$bin" -runs=0 "$work/corpus" >"$work/cov.log" 2>&1 || true
    llvm-profdata-16 merge -sparse "$work"/cov-*.profraw -o "$work/cov.profdata"
    # TOTAL row: regions, missed, cover, functions, missed, executed, lines, missed, cover, ...
    own=$(llvm-cov-16 report "$bin" -instr-profile="$work/cov.profdata" ${reader[$t]} | awk '/^TOTAL/ {print $8 - $9 "/" $8 " (" $10 ")"}')
    all=$(llvm-cov-16 report "$bin" -instr-profile="$work/cov.profdata" lib/*.cpp journal/*.cpp cli/*.cpp |
      awk '/^TOTAL/ {print $8 - $9 "/" $8 " (" $10 ")"}')
    printf '%-14s %-26s %s\n' "$t" "$own" "$all"
  done
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (each named the input it saved above)" >&2
  exit 1
fi
echo "fuzz: no crash in ${#targets[@]} targets x ${seconds} s"
