#!/usr/bin/env bash
# scripts/fuzz.sh [--coverage] [SECONDS]: builds the libFuzzer targets of tests/fuzz/ with clang-16
# (ASan + UBSan) into build-fuzz/, then runs each for SECONDS (default 20) on a copy of its seed
# corpus (build-fuzz/run/<target>/corpus), printing executions per second. Exits 1 at the end if any
# target found a crash, a leak, a timeout or a violated invariant, naming the input it saved; copy that
# file to tests/fuzz/regressions/<target>/ once fixed, and CTest replays it from then on.
# --coverage: also builds build-fuzz-cov/ with clang's source-based coverage and prints, per target,
# the lines its corpus (after the run) covers: over its own reader's files and over lib/ journal/ cli/.
# The build and the runs are niced and use 2 jobs. Installs what it needs (scripts/packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

coverage=no
seconds=20
for arg in "$@"; do
  case "$arg" in
    --coverage) coverage=yes ;;
    ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [--coverage] [SECONDS]" >&2; exit 2 ;;
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
install_missing fuzz "${nexadex_packages[@]}" clang-16 libclang-rt-16-dev llvm-16

# configure_and_build DIR [EXTRA CMAKE ARGS...]
configure_and_build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_FLAGS_FUZZ="-O1 -g" \
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
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
printf '%-14s %10s %8s %8s %8s\n' target exec/s runs cov corpus
for t in "${targets[@]}"; do
  work=build-fuzz/run/$t
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp tests/fuzz/corpus/"$t"/* "$work/corpus/"
  status=0
  nice "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1 || status=$?
  execs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || true)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1 | grep -o '[0-9]*$' || true)
  printf '%-14s %10s %8s %8s %8s\n' "$t" "${execs:-?}" "${runs:-?}" "${cov:-?}" "$(ls "$work/corpus" | wc -l)"
  if [ "$status" != 0 ]; then
    found=$(ls "$work"/artifacts/* 2>/dev/null | head -n 1 || true)
    failed+=("$t: ${found:-no input saved} (log: $work/log)")
  fi
done

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
  for f in "${failed[@]}"; do echo "fuzz: FAILED $f" >&2; done
  exit 1
fi
echo "fuzz: no crash in ${#targets[@]} targets x ${seconds} s"
