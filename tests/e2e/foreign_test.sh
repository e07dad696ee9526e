# tests/e2e/foreign_test.sh: SPEC §7 file identification. A missing file, a file that is not SQLite,
# a truncated journal, another application's database, a newer schema: every command refuses it with
# exit 3 and one stderr line naming the file, and nothing is written to it or beside it. A journal with
# a flipped byte (STYLE.md, anomaly tests) is either refused (exit 3) or, if SQLite still reads it,
# `verify` names the damaged event (exit 4). `init` never overwrites an existing path (SPEC §10).
source "$(dirname "$0")/lib.sh" "$@"

minimal_config
"$NEXADEX" init --config config.toml --journal real.db -q
for i in 1 2 3 4 5 6 7 8 9 10; do
  "$NEXADEX" price set BTC "10$i" --journal real.db -q   # seqs 2..11, all on page 2 (the events root)
done
[ ! -s real.db-wal ] || fail "the writer left a non-empty real.db-wal behind; copies of real.db would not be whole"
PAGE=$(sqlite3 real.db "PRAGMA page_size")
[ "$(sqlite3 real.db "SELECT rootpage FROM sqlite_master WHERE name = 'events'")" = 2 ] ||
  fail "the events table is not rooted at page 2 any more; move the byte flips below to its root page"

: >empty.db
printf 'this is a text file, not a journal\n' >text.db
head -c 1000 real.db >truncated.db
head -c $((2 * PAGE)) real.db >truncated-pages.db
sqlite3 other.db "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER); INSERT INTO invoices VALUES (1, 5);"
sqlite3 newer.db "PRAGMA application_id = $((0x4E584458)); PRAGMA user_version = 6; CREATE TABLE events (seq INTEGER);"
sqlite3 unversioned.db "PRAGMA application_id = $((0x4E584458)); CREATE TABLE events (seq INTEGER);"
[ "$(od -An -tx1 -j 68 -N 4 newer.db | tr -d ' ')" = 4e584458 ] || fail "newer.db does not carry the application_id"

COMMANDS=("price set BTC 100" "report" "verify" "config show")

# command_name WORDS: the command as main() names it in messages ("price set", "report").
command_name() {
  case $1 in
    price | config) echo "$1 $2" ;;
    *) echo "$1" ;;
  esac
}

# refused FILE COMMAND: exit 3, one stderr line that names FILE, FILE not changed (or not created),
# no FILE-wal/-shm left beside it. COMMAND is one string of words ("price set BTC 100").
refused() {
  local file=$1 sum=absent words pattern
  read -ra words <<<"$2"
  [ -e "$file" ] && sum=$(checksum "$file")
  pattern="^nexadex: $(command_name "${words[@]}"): .*${file//./\\.}"
  expect_error 3 "$pattern" "${words[@]}" --journal "$file"
  if [ "$sum" = absent ]; then
    [ ! -e "$file" ] || fail "nexadex $2 created $file"
  else
    [ "$(checksum "$file")" = "$sum" ] || fail "nexadex $2 --journal $file changed the file"
  fi
  no_sidecars "$file" "nexadex $2 --journal $file"
}

# Each file and command is its own check, so that one run lists every command that misbehaves; the
# sidecars a failed check left are removed first so that they do not fail the next one.
refused_fresh() {
  rm -f "$1-wal" "$1-shm"
  refused "$@"
}
for f in missing.db empty.db text.db truncated.db truncated-pages.db other.db newer.db unversioned.db; do
  case $f in
    missing.db) what="a missing journal" ;;
    empty.db) what="an empty file" ;;
    text.db) what="a text file" ;;
    truncated.db) what="a journal truncated to 1000 bytes" ;;
    truncated-pages.db) what="a journal truncated to two pages" ;;
    other.db) what="another application's SQLite database" ;;
    newer.db) what="a journal of a newer schema (user_version 6)" ;;
    unversioned.db) what="a journal without a schema version (user_version 0)" ;;
  esac
  for c in "${COMMANDS[@]}"; do check "$what: $c" refused_fresh "$f" "$c"; done
done

foreign_via_environment() {
  local sum
  sum=$(checksum other.db)
  NEXADEX_JOURNAL=other.db expect_error 3 '^nexadex: report: .*other\.db' report
  [ "$(checksum other.db)" = "$sum" ] || fail "report via NEXADEX_JOURNAL changed other.db"
  no_sidecars other.db
}
check "a foreign file given by NEXADEX_JOURNAL" foreign_via_environment

# The b-tree page header of page 2 (its type byte): SQLite sees the damage; every command refuses.
damaged_page_header() {
  cp real.db header.db
  flip_byte header.db "$PAGE"
  local sum c
  sum=$(checksum header.db)
  for c in "${COMMANDS[@]}" "report events" "export --events"; do
    # shellcheck disable=SC2086
    expect_error 3 "^nexadex: $(command_name $c): .*header\\.db" $c --journal header.db
    [ "$(checksum header.db)" = "$sum" ] || fail "nexadex $c changed the damaged header.db"
  done
}
check "a flipped byte in page 2's header: exit 3" damaged_page_header

# The middle of page 2 holds event cells: SQLite reads the page, so the derived-state reads still work
# and `verify` is what finds the changed event. A writer appends without replaying the chain (SPEC §7:
# a command costs the same on any journal length), losing nothing: verify still finds the same damage.
damaged_event_cell() {
  cp real.db cell.db
  flip_byte cell.db $((PAGE + PAGE / 2))
  cmp -s real.db cell.db && fail "the byte flip did not change cell.db"
  local sum
  sum=$(checksum cell.db)
  expect_error 4 '^nexadex: verify: .*first at seq [0-9]+ \((chain|payload)\)' verify --journal cell.db
  local seq
  seq=$(sed -n 's/.*first at seq \([0-9]*\) .*/\1/p' "$WORK/err")
  [ "$seq" -ge 1 ] && [ "$seq" -le 11 ] || fail "verify names seq '$seq', not one of the 11 events"
  grep -Eq "^ *$seq +chain " "$WORK/out" || fail "verify has no chain finding at seq $seq: $(cat "$WORK/out")"
  [ "$(checksum cell.db)" = "$sum" ] || fail "verify changed cell.db"
  expect_rc 0 report --journal cell.db
  expect_rc 0 config show --journal cell.db
  [ "$(checksum cell.db)" = "$sum" ] || fail "report or config show changed cell.db"
  # Reads of the damaged event itself refuse it, naming it and pointing at verify.
  expect_error 3 "^nexadex: report: event $seq .*nexadex verify" report events --journal cell.db
  expect_error 3 "^nexadex: export: event $seq .*nexadex verify" export --events --journal cell.db
  [ "$(checksum cell.db)" = "$sum" ] || fail "report events or export changed cell.db"
  local before
  before=$(head_seq cell.db)
  expect_rc 0 price set BTC 200 --journal cell.db -q
  [ "$(head_seq cell.db)" = $((before + 1)) ] || fail "price set on cell.db did not append exactly one event"
  expect_error 4 "^nexadex: verify: .*first at seq $seq \\(" verify --journal cell.db
}
check "a flipped byte in an event cell of page 2: verify exit 4" damaged_event_cell

init_never_overwrites() {
  local f sum
  for f in real.db text.db other.db empty.db; do
    sum=$(checksum "$f")
    expect_error 1 "^nexadex: init: ${f//./\\.} already exists" init --config config.toml --journal "$f"
    [ "$(checksum "$f")" = "$sum" ] || fail "init changed the existing $f"
    no_sidecars "$f"
  done
  ls ./*.init-* 2>/dev/null && fail "init left a temporary file behind"
  NEXADEX_JOURNAL=real.db expect_error 1 '^nexadex: init: real\.db already exists' init --config config.toml
  true
}
check "init on an existing path exits 1 and leaves it unchanged" init_never_overwrites

check "the real journal still verifies" expect_rc 0 verify --journal real.db
finish
