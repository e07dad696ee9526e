# tests/e2e/tranches_test.sh: DESIGN-risk §10's worked example (examples/tranches.toml, tranches.run)
# checked to the micro-unit after each step, the subordination refusals of steps 4 and 7, and a
# `cascade --loss` preview that `--apply` then matches exactly. The arithmetic is in the run file's
# comments; the one departure from the design's table (the liquidated collateral, a PnL gain of
# 7,500 to the junior in step 3) is explained there.
source "$(dirname "$0")/lib.sh" "$@"
export NEXADEX_JOURNAL=j.db NEXADEX_NOW=2026-02-10T00:00:00Z
"$NEXADEX" init --config "$SRC/examples/tranches.toml" --at 2026-01-01T00:00:00Z -q

# tranche NAME FIELD: a field of `report tranches --format csv` (of the section whose header has it).
field() {
  expect_rc 0 report tranches --format csv
  awk -F, -v t="$1" -v f="$2" '
    $0 == "" { header = 1; next }
    NR == 1 || header { delete col; for (i = 1; i <= NF; i++) col[$i] = i; header = 0; next }
    $1 == t && (f in col) { print $col[f]; exit }' out
}
check() {  # check WHAT TRANCHE FIELD EXPECTED
  local got; got=$(field "$2" "$3")
  [ "$got" = "$4" ] || fail "$1: $2 $3 is $got, expected $4"
}
insurance() { expect_rc 0 report insurance --format csv; awk -F, 'NR==2{print $1}' out; }
# run_lines FROM TO: lines FROM..TO of the example as one batch
run_lines() { sed -n "$1,$2p" "$SRC/examples/tranches.run" >batch; expect_rc 0 run batch -q; }
line_of() { grep -n -- "$1" "$SRC/examples/tranches.run" | head -1 | cut -d: -f1; }

step1=$(line_of "^open dan")
run_lines 1 "$step1"
check "start+step 1" senior capital 803945.205479
check "start+step 1" junior capital 210054.794521
check "step 1" senior unpaid_target 0.000000
[ "$(insurance)" = 54000.000000 ] || fail "step 1: insurance is $(insurance), expected 54000.000000"

step2=$(line_of "^close 9")
run_lines $((step1 + 1)) "$step2"
check "step 2" junior capital 185054.794521
check "step 2" senior capital 803945.205479

step3=$(line_of "^liquidate 10")
run_lines $((step2 + 1)) "$step3"
check "step 3" junior capital 192554.794521     # + bea's 7,500 of collateral
check "step 3" senior capital 803945.205479
[ "$(insurance)" = 51000.000000 ] || fail "step 3: insurance is $(insurance), expected 51000.000000"

step4=$(line_of "^price set BTC 70000")
run_lines $((step3 + 1)) "$step4"
# 192,554.794521 − 100,000 of cid's unrealized profit: exact (rules 2; dan's ETH position, at its
# entry price, is worth exactly 0 to the pool, not the −0.000001 its rounded-up quantity gave rules 1)
check "step 4" junior nav 92554.794521
check "step 4" senior nav 803945.205479
expect_error 2 "below the minimum 20.00%" withdraw jill 1 --tranche junior --at 2026-01-31T00:00:00Z
grep -q "from 10.32% to" err || fail "the junior withdrawal refusal does not give the ratio before: $(cat err)"
expect_error 2 "below the minimum 20.00%" deposit sam 1 --tranche senior --at 2026-01-31T00:00:00Z

# a preview writes nothing; the same loss applied moves the balances exactly as previewed
before=$(checksum j.db)
expect_rc 0 cascade --loss 1000 --format csv --at 2026-01-31T00:00:00Z
cp out preview.csv
[ "$(checksum j.db)" = "$before" ] || fail "cascade --loss wrote to the journal"
grep -q "^insurance,51000.000000,50000.000000,1000.000000," preview.csv || fail "preview: $(cat preview.csv)"
expect_error 1 "needs --reason" cascade --loss 1000 --apply --at 2026-01-31T00:00:00Z
expect_error 1 "only external losses" cascade --loss 1000 --kind bad-debt --apply --reason x --at 2026-01-31T00:00:00Z

step5=$(line_of "^close 11")
run_lines $((step4 + 1)) "$step5"
check "step 5" junior capital 0.000000
check "step 5" junior shares 0.000000000
check "step 5" junior resets 1
check "step 5" senior capital 736500.000000
expect_rc 0 report cascades --format csv
grep -q "^18,.*,trader_pnl,BTC,260000.000000,0.000000,192554.794521,67445.205479,0.000000,junior>senior,200000.000000000$" out ||
  fail "report cascades does not show the wipe: $(cat out)"
expect_rc 0 report lp jill --format csv
grep -q "^jill,junior,0.000000000,0.000000,200000.000000,0.000000,-200000.000000,200000.000000000$" out ||
  fail "jill's cancelled junior holding: $(cat out)"

step6=$(line_of "^close 12")
run_lines $((step5 + 1)) "$step6"
check "step 6" senior capital 786500.000000     # 736,500 + 50,000 (the target 1,210.684931 is part of it)
check "step 6" senior unpaid_target 0.000000

run_lines $((step6 + 1)) 999
check "step 7" junior shares 150000.000000000
check "step 7" junior capital 150000.000000
expect_error 2 "below the minimum 20.00%" deposit sam 1 --tranche senior

# report history: a point per event (22), or per UTC day with events (seq 6 on Jan 1, 18 on Jan 31, 22
# on Feb 10); the last NAV is the senior's 786,500 + the junior's 150,000 = 936,500
before=$(checksum j.db)
expect_rc 0 report history --format csv
[ "$(wc -l <out)" = 23 ] || fail "report history: $(wc -l <out) lines, expected a header and 22 points"
expect_rc 0 report history --every 1d --format csv
[ "$(cut -d, -f1 out | tr '\n' ' ')" = "seq 6 18 22 " ] || fail "report history --every 1d: $(cat out)"
grep -q "^22,2026-02-10T00:00:00Z,936500.000000,,786500.000000,150000.000000,0.983125,1.000000,0,51000.000000," out ||
  fail "report history --every 1d, last point: $(cat out)"
expect_rc 0 report history --seq 6 --format csv
[ "$(wc -l <out)" = 7 ] || fail "report history --seq 6: $(wc -l <out) lines, expected 7"
expect_rc 0 report history --every 1d --svg h.svg
[ ! -s out ] || fail "report history --svg FILE printed on stdout: $(cat out)"
head -1 h.svg | grep -q "^<svg " || fail "h.svg does not start an SVG document: $(head -1 h.svg)"
[ "$(tail -1 h.svg)" = "</svg>" ] || fail "h.svg does not end the SVG document"
[ "$(grep -c "<polyline" h.svg)" = 7 ] || fail "h.svg: $(grep -c "<polyline" h.svg) lines, expected 7 (3 NAVs, 2 prices, utilization, insurance)"
expect_rc 0 report history --every 1d --svg -
cmp -s out h.svg || fail "report history --svg - differs from --svg FILE (the chart is not deterministic)"
expect_error 1 "--every must be longer than 0s" report history --every 0s
expect_error 1 "--every" report history --every soon
expect_error 1 "go with 'report history' only" report pool --every 1d
expect_error 1 "go with 'report history' only" report tranches --svg x.svg
expect_error 1 "cannot write no/such/dir/h.svg" report history --svg no/such/dir/h.svg
expect_error 1 "takes no 'x'" report history x
[ "$(checksum j.db)" = "$before" ] || fail "report history wrote to the journal"

# an external loss applied falls exactly as its preview said
expect_rc 0 cascade --loss 60000 --format csv
cp out preview.csv
grep -q "^insurance,51000.000000,0.000000,51000.000000," preview.csv || fail "preview of 60,000: $(cat preview.csv)"
grep -q "^junior,150000.000000,141000.000000,9000.000000," preview.csv || fail "preview of 60,000: $(cat preview.csv)"
expect_rc 0 cascade --loss 60000 --apply --reason "oracle incident" -q
check "applied" junior capital 141000.000000
check "applied" junior absorbed_external 9000.000000
[ "$(insurance)" = 0.000000 ] || fail "after the applied loss insurance is $(insurance), expected 0"
expect_rc 0 verify

# a shock writes nothing and lists nothing to liquidate when nothing is open
before=$(checksum j.db)
expect_rc 0 cascade --shock BTC=-30% ETH=+10%
[ "$(checksum j.db)" = "$before" ] || fail "cascade --shock wrote to the journal"
expect_error 1 "needs a sign" cascade --shock BTC=30%
expect_error 1 "no configured market" cascade --shock XRP=-10%

# a loss beyond every layer: 930,000 − insurance 0 − junior 141,000 − senior 786,500 = 2,500 unabsorbed,
# warned about by every report until an operator acknowledges exactly that amount
expect_rc 0 cascade --loss 930000 --apply --reason "exchange hack" -q
grep -q "2500.000000 .*unabsorbed" err || fail "the applied loss does not warn of 2,500 unabsorbed: $(cat err)"
expect_error 0 "^nexadex: warning: 2500.000000 of losses .* nobody has acknowledged" report pool
expect_rc 0 report insurance --format csv
grep -q ",2500.000000,0.000000$" out || fail "report insurance: unabsorbed 2,500, none acknowledged: $(cat out)"
before=$(checksum j.db)
expect_error 2 "are 2500.000000, not 2400.000000" acknowledge --amount 2400 --reason "seen"
expect_error 1 "reason must be 1 to 200 characters" acknowledge --reason ""
expect_error 1 "reason is required|--reason" acknowledge
expect_error 1 "'2,500' is not" acknowledge --amount 2,500 --reason "seen"
[ "$(checksum j.db)" = "$before" ] || fail "a refused acknowledge wrote to the journal"
expect_rc 0 acknowledge --amount 2500 --reason "treasury covers it"
grep -q "loss_acknowledged.*unabsorbed losses of 2500.000000 acknowledged: treasury covers it" out ||
  fail "acknowledge does not print its event: $(cat out)"
expect_rc 0 report pool
[ ! -s err ] || fail "report pool still warns after the acknowledgement: $(cat err)"
expect_rc 0 report insurance --format csv
grep -q ",2500.000000,2500.000000$" out || fail "report insurance: 2,500 unabsorbed, all acknowledged: $(cat out)"
expect_error 2 "no unacknowledged unabsorbed losses" acknowledge --reason "again"
# a later loss warns again, of what is new only: every layer is empty, so all 100 is unabsorbed
expect_rc 0 cascade --loss 100 --apply --reason "second incident" -q
expect_error 0 "^nexadex: warning: 100.000000 of losses" report tranches
expect_rc 0 acknowledge --reason "also covered" -q
expect_rc 0 report insurance --format csv
grep -q ",2600.000000,2600.000000$" out || fail "report insurance: 2,600 unabsorbed, all acknowledged: $(cat out)"
expect_rc 0 verify

# Figures a person can read (issue 13): report tranches fits 120 columns; report lp has one JSON shape
# with or without [tranches] (a list of holdings), as lps has one set of keys.
expect_rc 0 report tranches
width=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' out)
[ "$width" -le 120 ] || fail "report tranches is $width columns wide: $(cat out)"
keys_of() { sed -n 's/^ *"\([a-z_]*\)":.*/\1/p' out | sort -u | tr '\n' ' '; }
expect_rc 0 report lp jill --format json
tranched_keys=$(keys_of)
expect_rc 0 report lps --format json
tranched_lps=$(keys_of)
"$NEXADEX" init --config "$SRC/examples/basic.toml" --journal plain.db --at 2026-01-01T00:00:00Z -q
"$NEXADEX" deposit jill 100 --journal plain.db --at 2026-01-01T00:00:00Z -q
expect_rc 0 report lp jill --format json --journal plain.db
[ "$(keys_of)" = "$tranched_keys" ] || fail "report lp's keys depend on the config: '$(keys_of)' vs '$tranched_keys'"
grep -q '"holdings": \[' out || fail "report lp without [tranches] is not a list of holdings: $(cat out)"
expect_rc 0 report lps --format json --journal plain.db
[ "$(keys_of)" = "$tranched_lps" ] || fail "report lps's keys depend on the config: '$(keys_of)' vs '$tranched_lps'"
echo "tranches: ok"
