# tests/e2e/ledger_test.sh: `export --ledger` checked by the real tools. hledger and ledger are
# installed by scripts/test.sh (CI); without them this test is skipped (exit 77), never faked.
source "$(dirname "$0")/lib.sh" "$@"
command -v hledger >/dev/null && command -v ledger >/dev/null || { echo "hledger or ledger missing: skipped"; exit 77; }
# check_export JOURNAL MIN_ACCOUNTS: the journal's ledger export passes hledger's checks, and every
# account's total by nexadex (the accounts table through sqlite3), hledger and ledger is the same.
check_export() {
  local j=$1 min=$2
  "$NEXADEX" --journal "$j" export --ledger books.journal
  hledger -f books.journal check || fail "hledger check refused the export of $j"
  hledger -f books.journal check balanced || fail "hledger: a transaction of $j does not balance"
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
