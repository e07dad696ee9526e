# tests/e2e/cli_property_test.sh: the property test through the built binary. A long random sequence of
# commands on a tranched pool with locks (examples/tranches.toml and a [locks] table of hours-long
# tiers, so that lots unlock during the run): prices, deposits (some locked, some not compounding) and
# withdrawals in both tranches, claims, opens, closes, liquidate --all, insurance deposits, external
# losses previewed then applied, acknowledgements. After every command: it succeeded or was refused (by a rule, exit 2, or for naming
# an LP or position the pool does not know, exit 1) and then left the journal byte for byte as it was; `verify` (chain, replay, postings, conservation) finds nothing;
# and an applied loss moved the tranches and the fund exactly as its preview said. The seed is fixed
# (NEXADEX_SEED overrides it) and printed on failure. NEXADEX_PROPERTY_OPS sets the number of commands
# (300 by default, what ctest runs; NEXADEX_STEPS is its older name); a long run (outside CI, e.g.
# NEXADEX_PROPERTY_OPS=5000 bash tests/e2e/cli_property_test.sh "$PWD/build/nexadex" "$PWD") runs nexadex two to
# four times per command.
source "$(dirname "$0")/lib.sh" "$@"
seed=${NEXADEX_SEED:-20261203}
steps=${NEXADEX_PROPERTY_OPS:-${NEXADEX_STEPS:-300}}
rng=$seed
export NEXADEX_JOURNAL=j.db
now=1767225600   # 2026-01-01T00:00:00Z
{ cat "$SRC/examples/tranches.toml"
  printf '\n[locks]\ntiers = [{ min = "1h", boost_bps = 11000 }, { min = "12h", boost_bps = 15000 }]\n'
} >pool.toml
"$NEXADEX" init --config pool.toml --at "@$now" -q

step=0
pfail() { fail "seed $seed, step $step ($*); rerun with NEXADEX_SEED=$seed"; }
# pick LO HI: sets r to a number in [LO, HI] from a 64-bit LCG of its own, in this shell (bash's RANDOM
# is reseeded in every $(...) subshell, so a sequence drawn through it could not be replayed).
pick() {
  rng=$(((rng * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff))
  r=$(($1 + (rng >> 20) % ($2 - $1 + 1)))
}
state_sum() { for f in j.db j.db-wal; do [ ! -f "$f" ] || cat "$f"; done | sha256sum | cut -d" " -f1; }
# tranche_nav T: the tranche's virtual NAV, from `report tranches --format csv` at $now
tranche_nav() {
  "$NEXADEX" report tranches --format csv --at "@$now" 2>/dev/null | awk -F, -v t="$1" '$1==t { print $2; exit }'
}
insurance_balance() { "$NEXADEX" report insurance --format csv --at "@$now" 2>/dev/null | awk -F, 'NR==2 { print $1 }'; }
# layer_after LAYER: the AFTER column of a cascade preview's layer row (in preview.csv)
layer_after() { awk -F, -v l="$1" '$1==l && NF==5 { print $3; exit }' preview.csv; }

btc=65000 eth=3000
lps=(ann bob cy dee)
traders=(tom uma vic)
applied=0 refused=0
for ((step = 1; step <= steps; step++)); do
  pick 0 900; now=$((now + r))
  at=(--at "@$now")
  pick 0 99; kind=$r
  # every command but the loss carries a fresh price of one market (the ages matter to the rules)
  pick 0 1; up=$r
  pick 0 1600
  # (whole dollars truncated: the walk drifts down, and a long run takes a price to 0, which no command
  # accepts; such a market reopens at its first price instead)
  if ((up)); then
    btc=$((btc * (10000 + r - 800) / 10000)); ((btc > 0)) || btc=65000; market=BTC price=$btc
  else
    eth=$((eth * (10000 + r - 800) / 10000)); ((eth > 0)) || eth=3000; market=ETH price=$eth
  fi
  priced=(--price "$price" --market "$market")
  pick 0 2; if ((r)); then tranche=senior; else tranche=junior; fi
  pick 0 $((${#lps[@]} - 1)); lp=${lps[r]}
  if ((kind < 18)); then
    cmd=(price set "$market" "$price")
  elif ((kind < 36)); then
    pick 1 30000; cmd=(deposit "$lp" "$r" --tranche "$tranche" "${priced[@]}")
    pick 0 4; locks=("" "" 30m 2h 13h); [ -z "${locks[r]}" ] || cmd+=(--lock "${locks[r]}")
    pick 0 2; ((r)) || cmd+=(--no-compound)
  elif ((kind < 46)); then
    pick 0 2; by=$r
    pick 1 20000
    if ((by)); then cmd=(withdraw "$lp" "$r" --tranche "$tranche" "${priced[@]}")
    else cmd=(withdraw "$lp" --all --tranche "$tranche" "${priced[@]}"); fi
  elif ((kind < 50)); then
    cmd=(claim "$lp")
  elif ((kind < 70)); then
    pick 0 1; if ((r)); then side=long; else side=short; fi
    pick 0 $((${#traders[@]} - 1)); trader=${traders[r]}
    pick 10 5000; collateral=$r
    pick 1 10
    cmd=(open "$trader" "$market" "$side" --collateral "$collateral" --leverage "$r" --price "$price")
  elif ((kind < 82)); then
    pick 2 $((step + 1)); id=$r
    pick 0 1; whole=$r
    pick 1 2000
    if ((whole)); then cmd=(close "$id" --price "$price"); else cmd=(close "$id" --size "$r" --price "$price"); fi
  elif ((kind < 88)); then
    cmd=(liquidate --all "${priced[@]}")
  elif ((kind < 92)); then
    pick 1 5000; cmd=(insurance deposit "$r" --from dao "${priced[@]}")
  elif ((kind < 98)); then
    # an external loss: the preview first, then the same loss applied at the same time
    pick 1 20000; loss=$r
    nx cascade --loss "$loss" --format csv "${at[@]}"
    [ "$rc" = 0 ] || pfail "cascade --loss $loss exited $rc: $(cat err)"
    cp out preview.csv
    cmd=(cascade --loss "$loss" --apply --reason "incident $step")
  else
    cmd=(acknowledge --reason "seen at step $step")
  fi
  before=$(state_sum)
  nx "${cmd[@]}" "${at[@]}" -q
  case "$rc" in
    0) applied=$((applied + 1)) ;;
    1|2)
       # exit 1 only for a name the pool does not know (an LP with no shares there, a position never opened)
       [ "$rc" = 2 ] || grep -Eq "unknown (LP|position)" err || pfail "'${cmd[*]}' exited 1: $(cat err)"
       refused=$((refused + 1))
       [ "$(state_sum)" = "$before" ] || pfail "refused '${cmd[*]}' changed the journal: $(cat err)" ;;
    *) pfail "'${cmd[*]}' exited $rc: $(cat err)" ;;
  esac
  if [ "$rc" = 0 ] && [ "${cmd[0]}" = cascade ]; then
    for layer in senior junior; do
      got=$(tranche_nav "$layer")
      [ "$got" = "$(layer_after "$layer")" ] || pfail "the $layer is worth $got after the loss, the preview said $(layer_after "$layer")"
    done
    got=$(insurance_balance)
    [ "$got" = "$(layer_after insurance)" ] || pfail "the fund holds $got after the loss, the preview said $(layer_after insurance)"
  fi
  nx verify
  [ "$rc" = 0 ] || pfail "verify after '${cmd[*]}' exited $rc: $(cat out err)"
done
((applied > steps / 3)) || fail "seed $seed: only $applied of $steps commands were accepted; the test exercises too little"
((refused > 0)) || fail "seed $seed: no command was refused; the refusal path went untested"
claims=$(sqlite3 j.db "SELECT count(*) FROM events WHERE kind = 'rewards_claimed'")
unlocked=$(sqlite3 j.db "SELECT count(*) FROM lots WHERE lock_until > 0 AND unlocked = 1")
((claims > 0 && unlocked > 0)) || fail "seed $seed: $claims claims and $unlocked unlocked lots; the locks went untested"
echo "cli property: seed $seed, $steps steps, $applied accepted, $refused refused, $claims claims, $unlocked lots unlocked, verify clean after each"
