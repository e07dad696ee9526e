# scripts/bench-arms.sh: what the A/B benchmark scripts share (bench-locks.sh, bench-assets.sh), sourced
# after they set dir (the work directory), runs, nx (the nexadex binary), timer (bench/spawn_timer), log
# and fail().
#
# arms FIG AT J1 J2 ARGS...: RUNS runs of `nexadex ARGS` on fresh copies of $dir/J1.db and $dir/J2.db,
# interleaved, each run timed by spawn_timer at AT; appends each run's wall microseconds to
# $dir/FIG_J1.us and $dir/FIG_J2.us.
arms() {
  local fig=$1 at=$2 j1=$3 j2=$4 r j; shift 4
  : >"$dir/${fig}_$j1.us"; : >"$dir/${fig}_$j2.us"
  for ((r = 1; r <= runs; r++)); do
    for j in "$j1" "$j2"; do rm -f "$dir/c_$j.db"*; cp "$dir/$j.db" "$dir/c_$j.db"; sync "$dir/c_$j.db"; done
    "$timer" --runs 1 --log "$log" --arm "$j1" "$at" "$nx" --journal "$dir/c_$j1.db" "$@" \
      --arm "$j2" "$at" "$nx" --journal "$dir/c_$j2.db" "$@" >"$dir/out.txt" || fail "($fig) failed"
    for j in "$j1" "$j2"; do awk -v a="$j" '$1 == a { for (i = 2; i < NF; i++) if ($i == "median_us") print $(i + 1) }' "$dir/out.txt" >>"$dir/${fig}_$j.us"; done
  done
}
# median FILE: the median of its numbers, one a line (of an even count, the floor of the middle two's mean)
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# ratio A B: A / B with 2 decimals (0 when B is 0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
