# tests/e2e/ledger_test.sh: `export --ledger` checked by the real tools. hledger and ledger are
# installed by scripts/test.sh (CI); without them this test is skipped (exit 77), never faked.
source "$(dirname "$0")/lib.sh" "$@"
command -v hledger >/dev/null && command -v ledger >/dev/null || { echo "hledger or ledger missing: skipped"; exit 77; }
# strict FILE: FILE passes every strict mode of both tools, silently: each account, the commodity and
# the tags are declared before use (ledger --strict warns, --pedantic fails, --explicit also refuses
# declarations taken from cleared transactions; hledger --strict checks accounts and commodities).
strict() {
  local f=$1 mode
  for mode in --strict --pedantic "--strict --explicit" "--pedantic --explicit"; do
    # shellcheck disable=SC2086
    ledger $mode -f "$f" balance >/dev/null 2>ledger.err || fail "ledger $mode refused $f: $(cat ledger.err)"
    [ ! -s ledger.err ] || fail "ledger $mode warned about $f: $(head -5 ledger.err)"
  done
  hledger check --strict -f "$f" 2>hledger.err || fail "hledger check --strict refused $f: $(cat hledger.err)"
  hledger check --strict ordereddates -f "$f" 2>hledger.err || fail "hledger: $f is not in date order: $(cat hledger.err)"
  hledger --strict -f "$f" balance >/dev/null 2>hledger.err || fail "hledger --strict balance refused $f: $(cat hledger.err)"
  [ ! -s hledger.err ] || fail "hledger warned about $f: $(head -5 hledger.err)"
}
# check_export JOURNAL MIN_ACCOUNTS: the journal's ledger export passes both tools' strict checks and
# declares exactly the accounts its postings use, sorted; and every account's total by nexadex (the
# accounts table through sqlite3), hledger and ledger is the same.
check_export() {
  local j=$1 min=$2
  "$NEXADEX" --journal "$j" export --ledger books.journal
  hledger -f books.journal check || fail "hledger check refused the export of $j"
  hledger -f books.journal check balanced || fail "hledger: a transaction of $j does not balance"
  strict books.journal
  sqlite3 "$j" "SELECT DISTINCT account FROM postings ORDER BY account" | sed 's/^/account /' >declared.expected
  grep '^account ' books.journal >declared
  diff -u declared.expected declared || fail "the export of $j does not declare exactly its accounts, sorted"
  sqlite3 -separator , "$j" "SELECT account, balance FROM accounts WHERE balance != 0 ORDER BY account" |
    awk -F, '{ printf "%s,%.6f\n", $1, $2 / 1000000 }' | sort >expected.csv
  hledger -f books.journal bal -O csv --no-total | tail -n +2 | tr -d '"' | sed 's/ USD$//' |
    awk -F, '{ printf "%s,%.6f\n", $1, $2 }' | sort >hledger.csv
  ledger -f books.journal balance --flat --no-total --balance-format '%(account),%(quantity(display_total))\n' |
    awk -F, '$2 != 0 { printf "%s,%.6f\n", $1, $2 }' | sort >ledger.csv
  diff -u expected.csv hledger.csv || fail "hledger's totals differ from nexadex's accounts ($j)"
  diff -u expected.csv ledger.csv || fail "ledger's totals differ from nexadex's accounts ($j)"
  [ "$(wc -l <expected.csv)" -ge "$min" ] || fail "too few accounts in $j to be a real check: $(cat expected.csv)"
  echo "ok: hledger and ledger agree on $(wc -l <expected.csv) accounts of $j"
}
minimal_config
export NEXADEX_JOURNAL=$WORK/j.db
n() { "$NEXADEX" "$@" -q; }
n init --config config.toml --at 2026-01-05T08:00:00Z
n price set BTC 50000 --at 2026-01-05T08:00:00Z
# No postings yet: the declarations alone, still a journal both tools accept strictly.
"$NEXADEX" export --ledger empty.journal
grep -q '^account ' empty.journal && fail "an export without postings declares accounts: $(cat empty.journal)"
strict empty.journal
n price set ETH 3000 --at 2026-01-05T08:00:00Z
n deposit ann 100000 --at 2026-01-05T08:00:00Z
n deposit ben 25000.123456 --at 2026-01-05T08:00:00Z
n insurance deposit 2000 --at 2026-01-05T08:00:00Z
n open tom BTC long --collateral 1000 --leverage 10 --at 2026-01-05T08:00:00Z      # seq 7
n open uma ETH short --collateral 500 --size 2500 --at 2026-01-05T08:00:00Z        # seq 8
n open vic BTC long --collateral 300 --leverage 9.5 --at 2026-01-05T08:00:00Z      # seq 9
n close 8 --size 1000 --price 2900 --at 2026-01-06T08:00:00Z
n close 7 --price 52000 --at 2026-01-06T08:01:00Z
n liquidate --all --price 44000 --market BTC --keeper kim --at 2026-01-06T08:02:00Z
n withdraw ben --all --price 2950 --market ETH --at 2026-01-06T08:03:00Z
"$NEXADEX" verify || fail "the journal does not verify"
check_export "$NEXADEX_JOURNAL" 8

# A tranched pool: DESIGN-risk §10's worked example, then an external loss beyond every layer (the
# senior and junior books, insurance, unabsorbed and loss:external accounts) and its acknowledgement.
t=$WORK/t.db
"$NEXADEX" --journal "$t" init --config "$SRC/examples/tranches.toml" --at 2026-01-01T00:00:00Z -q
"$NEXADEX" --journal "$t" run "$SRC/examples/tranches.run" -q
"$NEXADEX" --journal "$t" cascade --loss 2000000 --apply --reason "exchange hack" --at 2026-02-10T00:00:00Z -q 2>/dev/null
"$NEXADEX" --journal "$t" acknowledge --reason "seen" --at 2026-02-10T00:00:00Z -q
"$NEXADEX" --journal "$t" verify || fail "the tranched journal does not verify"
check_export "$t" 8
grep -q "lp:junior" books.journal || fail "the tranched export has no lp:junior account"
grep -q "unabsorbed" books.journal || fail "the tranched export has no unabsorbed account"

# export --ledger --since: the events from that time on, opening with every account's balance before
# them; both tools accept it strictly and its balances are the whole journal's. --seq / --as-of cut
# the end: the balances are then those of the journal at that event (the accounts of its replay).
"$NEXADEX" --journal "$t" export --ledger --since 2026-01-31T00:00:00Z since.journal
strict since.journal
grep -q '^2026-01-31 opening balances: the postings of events 1 to 6$' since.journal ||
  fail "the export --since has no opening balances of events 1 to 6: $(grep opening since.journal)"
"$NEXADEX" --journal "$t" export --ledger whole.journal
diff <(hledger -f whole.journal bal -O csv) <(hledger -f since.journal bal -O csv) ||
  fail "the balances of export --since differ from the whole journal's"
[ "$(grep -c '^20[0-9-]* (' since.journal)" -lt "$(grep -c '^20[0-9-]* (' whole.journal)" ] ||
  fail "export --since exported every event"
"$NEXADEX" --journal "$t" export --ledger --since 2026-01-31T00:00:00Z --seq 12 cut.journal
strict cut.journal
sqlite3 "$t" "SELECT account, sum(amount) FROM postings WHERE seq <= 12 GROUP BY account HAVING sum(amount) != 0
              ORDER BY account" | awk -F'|' '{ printf "%s,%.6f\n", $1, $2 / 1000000 }' >cut.expected
hledger -f cut.journal bal -O csv --no-total | tail -n +2 | tr -d '"' | sed 's/ USD$//' |
  awk -F, '{ printf "%s,%.6f\n", $1, $2 }' | sort >cut.csv
diff -u cut.expected cut.csv || fail "export --ledger --seq 12 does not balance as the postings of events 1 to 12"
grep -q '^20[0-9-]* (13)' cut.journal && fail "export --seq 12 exported event 13"
# after the last event: the opening balances alone, dated by --since
"$NEXADEX" --journal "$t" export --ledger --since 2030-01-01T00:00:00Z late.journal
strict late.journal
grep -q '^2030-01-01 opening balances' late.journal || fail "export --since past the end has no opening balances"
diff <(hledger -f whole.journal bal -O csv) <(hledger -f late.journal bal -O csv) ||
  fail "the opening balances of export --since past the end are not the journal's balances"
echo "ok: export --ledger --since / --seq"
