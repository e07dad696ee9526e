# tests/e2e/progress_test.sh: the progress line of long work (issue 19 item 4) on a terminal, through a
# pseudo-terminal made by script(1): `run` of a 200,000-line batch and `export` of its events to a file
# show one on stderr; --quiet, a stderr that is not a terminal, and an export streaming to the same
# terminal show none. (verify and report history draw the same line, cli/progress.cpp, unit-tested.)
source "$(dirname "$0")/lib.sh" "$@"
command -v script >/dev/null || { echo "script(1) missing: skipped"; exit 77; }
minimal_config
"$NEXADEX" --journal j.db init --config config.toml --at 2026-01-01T00:00:00Z -q
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "price set BTC %d --at @%d\n", 60000 + i % 1000, 1767225600 + i }' >big.run
# tty CMD: runs CMD with stdout and stderr on a pseudo-terminal; the screen (carriage returns as
# newlines) in tty.out.
tty() { script -qfec "$*" /dev/null | tr '\r' '\n' >tty.out; }

tty "$NEXADEX" --journal j.db run big.run
grep -Eq '^run: [0-9,]+ / 200,000 lines \([0-9]+%\), [0-9.]+ k?M? ?lines/s, [0-9]+:[0-9]{2} left' tty.out ||
  fail "run of 200,000 lines on a terminal showed no progress line: $(head -c 600 tty.out)"
grep -q 'head hash' tty.out || fail "run's summary is missing after the progress line: $(tail -c 300 tty.out)"
echo "ok: run shows progress on a terminal"

# the export to a pipe whose reader waits a second: the export lasts over the half second after which
# a line is drawn, however fast the machine (stdout is the pipe, stderr the terminal)
tty "$NEXADEX" --journal j.db export --events - "| (sleep 1; cat >e.jsonl)"
grep -Eq '^export: [0-9,]+ / 200,001 events \([0-9]+%\), .* events/s' tty.out ||
  fail "export of 200,001 events to a pipe showed no progress line: $(head -c 600 tty.out)"
[ "$(wc -l <e.jsonl)" = 200001 ] || fail "the export holds $(wc -l <e.jsonl) lines"
tty "$NEXADEX" --journal j.db export --events -
grep -q '^export:' tty.out && fail "export to the terminal's stdout mixed a progress line into the events"
echo "ok: export shows progress when its output is not the terminal, none when it is"

rm j.db && "$NEXADEX" --journal j.db init --config config.toml --at 2026-01-01T00:00:00Z -q
tty "$NEXADEX" --journal j.db run big.run --quiet
grep -q 'lines/s' tty.out && fail "run --quiet showed a progress line"
rm j.db && "$NEXADEX" --journal j.db init --config config.toml --at 2026-01-01T00:00:00Z -q
"$NEXADEX" --journal j.db run big.run >out 2>err
[ ! -s err ] || fail "run with stderr to a file wrote to it: $(head -c 300 err)"
echo "ok: no progress line with --quiet or when stderr is not a terminal"
