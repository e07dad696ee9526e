#!/usr/bin/env bash
# tests/fuzz/run_target.sh BINARY CORPUS SECONDS WORK: runs one libFuzzer target (a fuzz_<target> of a
# NEXADEX_FUZZ build) for SECONDS on a copy of its seed corpus CORPUS, in WORK (corpus/, artifacts/,
# log), with a fixed seed (NEXADEX_FUZZ_SEED, default 1) so that a run is reproduced by running it again.
# Prints one line: the target, executions per second (of wall time and of CPU time), runs,
# libFuzzer's coverage counter, the corpus size at the end. Exits 1 if the target found a crash, a
# leak, a timeout or a violated invariant, naming the input it saved: once the bug is fixed, copy that
# file to tests/fuzz/regressions/<target>/ and CTest replays it from then on (fuzz.<target>).
# Used by scripts/fuzz.sh and, through CTest, by scripts/test.sh (the short run of .ci/run).
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: tests/fuzz/run_target.sh BINARY CORPUS SECONDS WORK" >&2
  exit 2
fi
bin=$1 corpus=$2 seconds=$3 work=$4
name=$(basename "$bin")
name=${name#fuzz_}
if [ ! -x "$bin" ]; then
  echo "fuzz: $bin is not there; build the fuzz targets first (bash scripts/fuzz.sh --build-only)" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
TIMEFORMAT='%U %S'
{ time "$bin" -seed="${NEXADEX_FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1 || status=$?; } 2>"$work/cpu"
stat() { grep -o "stat::$1: *[0-9]*" "$work/log" | grep -o '[0-9]*$' || true; }
execs=$(stat average_exec_per_sec)
runs=$(stat number_of_executed_units)
cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1 | grep -o '[0-9]*$' || true)
cpu_execs=$(awk -v runs="${runs:-0}" '{ cpu = $1 + $2; print (cpu > 0 ? int(runs / cpu) : "?") }' "$work/cpu")
echo "fuzz $name: ${execs:-?} exec/s (${cpu_execs} per CPU second), ${runs:-?} runs, cov ${cov:-?}," \
  "corpus $(find "$work/corpus" -type f | wc -l) files, $seconds s"
if [ "$status" != 0 ]; then
  found=$(find "$work/artifacts" -type f | head -n 1)
  tail -n 40 "$work/log" >&2
  echo "fuzz: $name FAILED (exit $status): ${found:-no input saved}; log $work/log. Once fixed, copy the input to tests/fuzz/regressions/$name/." >&2
  exit 1
fi
