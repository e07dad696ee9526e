# tests/e2e/bad_input_test.sh: SPEC §8/§9/§10 bad input of every kind. Each class of mistake gets the
# exit code SPEC gives it (CLI11's own 100+ codes never leak out), exactly one stderr line starting
# "nexadex: " that names the bad input, and loses no data: the journal's events are unchanged.
source "$(dirname "$0")/lib.sh" "$@"

minimal_config
export NEXADEX_JOURNAL=$WORK/j.db
J=$NEXADEX_JOURNAL
"$NEXADEX" init --config config.toml -q
"$NEXADEX" price set BTC 100 -q
"$NEXADEX" price set ETH 10 -q
LATER=2026-01-01T00:05:00Z   # a valid time for writes, after every event

# refused N PATTERN ARGS...: exit N, one stderr line "nexadex: ..." matching PATTERN, events unchanged.
refused() {
  local before
  before=$(events_of "$J")
  expect_error "$1" "$2" "${@:3}"
  grep -q '^nexadex: ' "$WORK/err" || fail "nexadex ${*:3}: stderr does not start with 'nexadex: ': $(cat "$WORK/err")"
  [ "$(events_of "$J")" = "$before" ] || fail "nexadex ${*:3} changed the journal's events"
}

# --- the command line -------------------------------------------------------------------------------

check "unknown command: exit 1, names it" refused 1 "^nexadex: .*frobnicate" frobnicate
check "unknown subcommand: exit 1, names it" refused 1 "^nexadex: .*frobnicate" price frobnicate BTC 5
check "unknown option after the command: exit 1, names it" refused 1 "^nexadex: .*--bogus" report --bogus
check "unknown option before the command: exit 1, names it" refused 1 "^nexadex: .*--bogus" --bogus report
check "unknown option alone: exit 1, names it" refused 1 "^nexadex: .*--bogus" --bogus
check "unexpected extra argument: exit 1, names it" refused 1 "^nexadex: .*extra" price set BTC 5 extra --at "$LATER"

missing_arguments() {
  refused 1 "^nexadex: .*PRICE" price set BTC
  refused 1 "^nexadex: .*MARKET" price set
  refused 1 "^nexadex: .*--config" init
  refused 1 "^nexadex: .*FILE" config apply
  refused 1 "^nexadex: .*CSV" price import
  refused 1 "^nexadex: .*FILE" run
  refused 1 "^nexadex: .*SHELL" completion
  refused 1 "^nexadex: .*--events" export
  # An option without its value (CLI11 ArgumentMismatch, 106 of its own).
  refused 1 "^nexadex: .*--format" report --format
  refused 1 "^nexadex: .*--journal" report --journal
  refused 1 "^nexadex: .*--at" price set BTC 5 --at
  refused 1 "^nexadex: .*--expect-head" verify --expect-head
  # Given twice, or two options that exclude each other.
  refused 1 "^nexadex: .*--at" price set BTC 5 --at "$LATER" --at "$LATER"
  refused 1 "^nexadex: .*--as-of.*--seq" report --as-of 2026-01-01 --seq 1
  # No command at all.
  refused 1 "^nexadex: .*(command|--help)"
}
check "missing arguments: exit 1 (never CLI11's 105/106)" missing_arguments

bad_amounts() {
  local p
  for p in "1,000" "+5" "1e3" "1E3" "nan" "inf" "" "0" "0.00000000" "-1" "1.123456789" " 5" "5 " "0x10" "1.2.3" "٣"; do
    refused 1 "^nexadex: price set: price .*(not a valid amount|empty)" price set BTC "$p" --at "$LATER"
  done
  # Accepted forms, for contrast (SPEC §2): underscores, a bare fraction of up to 8 decimals.
  expect_rc 0 price set BTC 1_000.25 --at "$LATER" -q
  expect_rc 0 price set BTC 0.00000001 --at "$LATER" -q
}
check "bad amounts for price set: exit 1, naming the price" bad_amounts

check "unknown market: exit 1, names it" refused 1 "^nexadex: price set: unknown market 'DOGE'" price set DOGE 5 --at "$LATER"
# a price so far from the open positions' entries that the pool cannot be valued: refused (exit 1,
# nothing written), so that reports, closes and liquidations keep working; a sane price is accepted
price_out_of_range() {
  local P=$WORK/far.db
  "$NEXADEX" init --config config.toml --journal "$P" -q
  "$NEXADEX" price set BTC 1 --journal "$P" --at "$LATER" -q
  "$NEXADEX" deposit alice 100000 --journal "$P" --at "$LATER" -q
  "$NEXADEX" open bob BTC long --collateral 1000 --leverage 10 --journal "$P" --at "$LATER" -q
  "$NEXADEX" open eve BTC short --collateral 1000 --leverage 10 --journal "$P" --at "$LATER" -q
  refused_on "$P" 1 "^nexadex: price set: a BTC price of 92233720368\.00000000 USD is so far from the open positions' entry prices .*; check the price \(nothing was written\)\.$" \
    price set BTC 92233720368 --at "$LATER"
  expect_rc 0 price set BTC 1000 --journal "$P" --at "$LATER" -q
  expect_rc 0 report pool --journal "$P"
  expect_rc 0 liquidate 5 --journal "$P" --at "$LATER" -q
  expect_rc 0 close 4 --journal "$P" --at "$LATER" -q
  expect_rc 0 verify --journal "$P"
}
# (refused_on is defined with the multi-asset checks below)

# 9,223,372,036.854776 USD mints 9,223,372,036,854,776,000 share units at par, one past int64
check "a deposit too large for the share units: exit 1, deposit less" refused 1 \
  "^nexadex: deposit: a deposit of 9223372036\.854776 would mint more shares than the books can count .*; deposit less\.$" \
  deposit whale 9223372036.854776 --at "$LATER"
check "bad --format value: exit 1, names it" refused 1 "^nexadex: .*--format.*xml" report --format xml
check "bad --format on a write command: exit 1" refused 1 "^nexadex: .*--format.*xml" price set BTC 5 --format xml --at "$LATER"
nexadex_format_xml() {
  NEXADEX_FORMAT=xml refused 1 "^nexadex: report: NEXADEX_FORMAT 'xml'" report
  NEXADEX_FORMAT=xml refused 1 "^nexadex: verify: NEXADEX_FORMAT 'xml'" verify
}
check "NEXADEX_FORMAT=xml on reads: exit 1, names it" nexadex_format_xml
# A write command must refuse the bad format before writing, not journal and then print a table.
nexadex_format_xml_write() {
  NEXADEX_FORMAT=xml refused 1 "^nexadex: price set: NEXADEX_FORMAT 'xml'" price set BTC 5 --at "$LATER"
}
check "NEXADEX_FORMAT=xml on price set: exit 1, nothing written" nexadex_format_xml_write
nexadex_format_xml_run() {
  printf 'price set BTC 6 --at %s\n' "$LATER" >fmt.run
  NEXADEX_FORMAT=xml refused 1 "^nexadex: run: NEXADEX_FORMAT 'xml'" run fmt.run
}
check "NEXADEX_FORMAT=xml on run: exit 1, nothing of the batch written" nexadex_format_xml_run
nexadex_format_xml_init() {
  NEXADEX_FORMAT=xml expect_error 1 "^nexadex: init: NEXADEX_FORMAT 'xml'" init --config config.toml --journal fmt.db
  [ ! -e fmt.db ] || fail "init exited 1 over NEXADEX_FORMAT but created fmt.db"
}
check "NEXADEX_FORMAT=xml on init: exit 1, no journal created" nexadex_format_xml_init
nexadex_threads_bad() {
  local t
  for t in 0 -1 x 1.5 "" " 2" 99999999999999999999; do
    NEXADEX_THREADS=$t refused 1 "^nexadex: verify: NEXADEX_THREADS is '.*'; give a whole number of threads of at least 1" verify
  done
  NEXADEX_THREADS=1 expect_rc 0 verify
  NEXADEX_THREADS=64 expect_rc 0 verify
}
check "bad NEXADEX_THREADS on verify: exit 1, names it; 1 and 64 accepted" nexadex_threads_bad

check "completion tcsh: exit 1, names it" refused 1 "^nexadex: .*tcsh" completion tcsh
check "report of an unknown kind: exit 1, names it" refused 1 "^nexadex: .*bogus" report bogus
check "report --seq abc: exit 1, names it" refused 1 "^nexadex: report: --seq 'abc'" report --seq abc

# --- config files ---------------------------------------------------------------------------------

# bad_config NAME PATTERN: init with NAME.toml exits 1 naming file:line (and the key), creating nothing.
bad_config() {
  expect_error 1 "^nexadex: init: $1\\.toml:[0-9]+: $2" init --config "$1.toml" --journal "$1.db"
  [ ! -e "$1.db" ] || fail "init with a bad config created $1.db"
  ! ls "$1".db* >/dev/null 2>&1 || fail "init with a bad config left $(ls "$1".db*)"
}
printf '[pool]\nmax_price_age = "5m"\n\n[[markets]\nsymbol = "BTC"\n' >syntax.toml
printf '[pool]\nmax_price_age = "5m"\ncolour = "blue"\n\n[[markets]]\nsymbol = "BTC"\n' >unknown-key.toml
printf '[fees]\nliquidation_fee = 5.5\n\n[[markets]]\nsymbol = "BTC"\n' >float-amount.toml
printf '[fees]\nopen_fee_bps = 10.5\n\n[[markets]]\nsymbol = "BTC"\n' >float-bps.toml
printf '[[markets]]\nsymbol = "BTC"\n\n[fees.split]\nlp_bps = 7000\ninsurance_bps = 2000\ntreasury_bps = 500\n' >split.toml
printf '[pool]\nmax_price_age = "5 minutes"\n\n[[markets]]\nsymbol = "BTC"\n' >duration.toml
printf '[[markets]]\nsymbol = "BTC"\n\n[[markets]]\nsymbol = "BTC"\n' >twice.toml
check "config with a TOML syntax error: exit 1, file:line" bad_config syntax "TOML syntax error"
check "config with an unknown key: exit 1, file:line and key" bad_config unknown-key "pool\\.colour: unknown key"
check "config with a float amount: exit 1, file:line and key" bad_config float-amount "fees\\.liquidation_fee: .*float"
check "config with a float rate: exit 1, file:line and key" bad_config float-bps "fees\\.open_fee_bps: .*float"
check "config with a split not summing to 10000: exit 1, file:line and key" bad_config split "fees\\.split: .*10000"
check "config with a bad duration: exit 1, file:line and key" bad_config duration "pool\\.max_price_age: "
check "config with a market twice: exit 1, file:line and key" bad_config twice "markets\\[1\\]\\.symbol: .*twice"
check "init with a missing config file: exit 1, names it" refused 1 "^nexadex: init: .*nosuch\\.toml" \
  init --config nosuch.toml --journal nosuch.db

# [[assets]] (nexadex-assets(7)): a multi-asset pool's config, and its mistakes.
printf '[pool]\nmax_price_age = "5m"\n\n[[markets]]\nsymbol = "BTC"\n\n[[assets]]\nsymbol = "USDC"\nstable = true\ntarget_weight_bps = 5000\nmax_weight_bps = 7000\n\n[[assets]]\nsymbol = "BTC"\ndecimals = 8\nprice = "BTC"\ntarget_weight_bps = 5000\nmax_weight_bps = 7000\n' >assets.toml
sed 's/^target_weight_bps = 5000$/target_weight_bps = 4000/' assets.toml >assets-targets.toml
sed '0,/^stable = true$/s//stable = true\ndecimals = 8/' assets.toml >assets-decimals.toml
printf '[cascade]\ninventory = ["senior"]\n\n[[markets]]\nsymbol = "BTC"\n' >inventory-alone.toml
assets_config() {
  # a single-USDC vault may not become a multi-asset pool (nor the reverse)
  refused 2 "^nexadex: config apply: this pool is a single-USDC vault; a config with \\[\\[assets\\]\\] cannot be applied" \
    config apply assets.toml --at "$LATER"
  expect_error 1 "^nexadex: init: assets-targets\\.toml: the \\[\\[assets\\]\\] target_weight_bps sum to 8000" \
    init --config assets-targets.toml --journal assets.db
  expect_error 1 "^nexadex: init: assets-decimals\\.toml: the settlement asset USDC has 8 decimals but must have 6" \
    init --config assets-decimals.toml --journal assets.db
  expect_error 1 "^nexadex: init: inventory-alone\\.toml: cascade\\.inventory applies to a multi-asset pool only" \
    init --config inventory-alone.toml --journal assets.db
  [ ! -e assets.db ] || fail "a refused init created assets.db"
  expect_rc 0 config show --config assets.toml --format json
  grep -q '"price": "BTC"' "$WORK/out" || fail "config show does not show the BTC asset's price: $(cat "$WORK/out")"
  grep -q '"inventory"' "$WORK/out" || fail "config show does not show cascade.inventory of a multi-asset pool"
  expect_rc 0 config show --format json
  ! grep -q '"inventory"' "$WORK/out" || fail "config show shows cascade.inventory on a single-USDC vault"
  # --asset and report assets need a multi-asset pool
  refused 1 "^nexadex: deposit: --asset needs a multi-asset pool" deposit alice 100 --asset USDC --at "$LATER"
  refused 1 "^nexadex: withdraw: --asset needs a multi-asset pool" withdraw alice --all --asset USDC --at "$LATER"
  refused 1 "^nexadex: report: report assets needs a multi-asset pool" report assets
  refused 1 "^nexadex: open: --collateral-asset needs a multi-asset pool" \
    open tom BTC long --collateral 0.02 --collateral-asset BTC --size 1000 --at "$LATER"
}
check "config with [[assets]]: its rules, and --asset on a single-USDC vault (exit 1 or 2, nothing written)" assets_config

# refused_on M N PATTERN ARGS...: as refused, on the multi-asset journal M.
refused_on() {
  local before
  before=$(events_of "$1")
  expect_error "$2" "$3" "${@:4}" --journal "$1"
  [ "$(events_of "$1")" = "$before" ] || fail "nexadex ${*:4} changed the multi-asset journal's events"
}
multi_asset_refusals() {
  local M=$WORK/multi.db
  "$NEXADEX" init --config assets.toml --journal "$M" -q
  "$NEXADEX" price set BTC 60000 --journal "$M" --at "$LATER" -q
  "$NEXADEX" deposit alice 100000 --journal "$M" --at "$LATER" -q
  "$NEXADEX" deposit bob 1 --asset BTC --journal "$M" --at "$LATER" -q
  refused_on "$M" 1 "^nexadex: deposit: unknown asset 'ETH'; the pool's assets are USDC, BTC" \
    deposit carl 1 --asset ETH --at "$LATER"
  refused_on "$M" 1 "^nexadex: deposit: AMOUNT .*" deposit carl 0.000000001 --asset BTC --at "$LATER"
  refused_on "$M" 1 "^nexadex: deposit: AMOUNT .*" deposit carl 1.0000001 --at "$LATER"
  # the band: 3 more BTC would take it from 37.50% to 70.58% of the pool, above its 70% max
  refused_on "$M" 2 "^nexadex: deposit: .*BTC.*70\\.58%.*70(\\.00)?%" deposit carl 3 --asset BTC --at "$LATER"
  # a stale price of a held asset: every deposit values the BTC held
  refused_on "$M" 2 "^nexadex: deposit: a deposit of USDC values the pool's BTC: the BTC price is" \
    deposit carl 10 --at 2026-01-01T00:11:00Z
  "$NEXADEX" open tom BTC long --collateral 10000 --size 90000 --price 60000 --journal "$M" --at "$LATER" -q
  # tom's 90,000 reserve is in USDC: a withdrawal in USDC may not take it (the free capital would allow it)
  refused_on "$M" 2 "^nexadex: withdraw: .*reserved for open positions" withdraw alice 20000 --asset USDC --at "$LATER"
  refused_on "$M" 2 "^nexadex: open: .*settlement asset" open ann BTC short --collateral 5000 --size 20000 --at "$LATER"
  refused_on "$M" 1 "^nexadex: withdraw: unknown asset 'SOL'" withdraw alice 10 --asset SOL --at "$LATER"
  # collateral in tokens (rules 4): an unknown asset, too many decimals, and this journal's rules 3
  refused_on "$M" 1 "^nexadex: open: unknown asset 'SOL'" \
    open ann BTC long --collateral 1 --collateral-asset SOL --size 1000 --at "$LATER"
  refused_on "$M" 1 "^nexadex: open: --collateral" \
    open ann BTC long --collateral 0.000000001 --collateral-asset BTC --size 1000 --at "$LATER"
  refused_on "$M" 1 "^nexadex: open: collateral in BTC needs a multi-asset pool under rules version 4; post USD collateral instead" \
    open ann BTC long --collateral 0.02 --collateral-asset BTC --size 1000 --at "$LATER"
  # an empty --asset is not the default asset
  refused_on "$M" 1 "^nexadex: deposit: --asset is empty; name one of the pool's assets, USDC, BTC" \
    deposit carl 5 --asset '' --at "$LATER"
  refused_on "$M" 1 "^nexadex: withdraw: --asset is empty" withdraw alice 5 --asset '' --at "$LATER"
  # a dry run refuses what the apply would, with its status and sentence
  sed 's/^decimals = 8$/decimals = 6/' assets.toml >assets-btc6.toml
  refused_on "$M" 2 "^nexadex: config apply: applying it would be refused: the asset BTC may not change its decimals or its price market; keep decimals = 8 and price = \"BTC\"" \
    config apply assets-btc6.toml --dry-run --at "$LATER"
  refused_on "$M" 2 "^nexadex: config apply: the asset BTC may not change its decimals" config apply assets-btc6.toml --at "$LATER"
  # a multi-asset pool never takes the single-USDC vault's config (nor the reverse)
  refused_on "$M" 2 "^nexadex: config apply: this pool has \\[\\[assets\\]\\]" config apply config.toml --at "$LATER"
  # naming the settlement asset is the same as USD collateral
  expect_rc 0 open sam BTC long --collateral 1000 --collateral-asset USDC --size 2000 --journal "$M" --at "$LATER" -q
  events_of "$M" | tail -n 1 | grep -q '"collateral":"1000.000000"' ||
    fail "--collateral-asset USDC did not post USD collateral: $(events_of "$M" | tail -n 1)"
  expect_rc 0 verify --journal "$M"
  # an assets row no event can write (a negative balance): every command refuses the journal as
  # damaged (exit 3, nothing written), verify lists it (exit 4)
  sqlite3 "$M" ".backup '$WORK/negative.db'"
  sqlite3 "$WORK/negative.db" "UPDATE assets SET owned = -5, held = -5 WHERE symbol = 'BTC'"
  refused_on "$WORK/negative.db" 3 "^nexadex: report: the assets table of .*negative\.db is damaged: the BTC row holds a negative held \(-5\); run 'nexadex verify'" \
    report assets --at "$LATER"
  refused_on "$WORK/negative.db" 3 "^nexadex: deposit: the assets table of .* is damaged" deposit carl 1 --asset USDC --at "$LATER"
  expect_error 4 "discrepanc" verify --journal "$WORK/negative.db"
  # an assets row changed behind nexadex's back: verify names the asset (exit 4)
  sqlite3 "$M" "UPDATE assets SET owned = owned + 1 WHERE symbol = 'BTC'"
  expect_error 4 "discrepanc" verify --journal "$M"
  grep -q "asset BTC: the assets table holds" "$WORK/out" || fail "verify does not name the BTC row: $(cat "$WORK/out")"
}
check "a multi-asset pool's refusals: exit 1 or 2, one line naming the rule, nothing written" multi_asset_refusals
check "a price the pool cannot be valued at: exit 1, nothing written; a sane one after it works" price_out_of_range

config_apply_bad() {
  local f
  for f in syntax unknown-key float-amount split; do
    refused 1 "^nexadex: config apply: $f\\.toml:[0-9]+: " config apply "$f.toml" --at "$LATER"
  done
  refused 1 "^nexadex: config apply: .*nosuch\\.toml" config apply nosuch.toml --at "$LATER"
}
check "config apply with a bad file: exit 1, journal unchanged" config_apply_bad

# --- batch files ----------------------------------------------------------------------------------

# batch_refused N PATTERN LINES...: `run` of a file of LINES exits N naming PATTERN; the head seq and the
# events are what they were (a batch is all or nothing, SPEC §8).
batch_refused() {
  local want=$1 pattern=$2 before
  shift 2
  printf '%s\n' "$@" >bad.run
  before=$(head_seq "$J")
  refused "$want" "^nexadex: run: bad\\.run line $pattern" run bad.run
  grep -q 'nothing of the batch was written' "$WORK/err" || fail "run's message does not say that nothing was written: $(cat "$WORK/err")"
  [ "$(head_seq "$J")" = "$before" ] || fail "the head seq moved from $before to $(head_seq "$J")"
}
check "batch: a bad price in the middle: exit 1, line 3" batch_refused 1 "3: price set: price '0'" \
  "price set BTC 1 --at $LATER" "price set ETH 2 --at $LATER" "price set BTC 0 --at $LATER" "price set BTC 3 --at $LATER"
check "batch: time backwards in the middle: exit 2, line 2" batch_refused 2 "2: price set: the time" \
  "price set BTC 1 --at $LATER" "price set BTC 2 --at 2026-01-01T00:00:01Z" "price set BTC 3 --at $LATER"
check "batch: an unknown market: exit 1, line 2" batch_refused 1 "2: price set: unknown market 'DOGE'" \
  "price set BTC 1 --at $LATER" "price set DOGE 2 --at $LATER"
check "batch: an unterminated quote: exit 1, line 2" batch_refused 1 "2: .*quote" \
  "price set BTC 1 --at $LATER" "price set BTC \"2 --at $LATER"
check "batch: an unterminated single quote: exit 1, line 2" batch_refused 1 "2: .*quote" \
  "price set BTC 1 --at $LATER" "price set 'BTC 2 --at $LATER"
check "batch: init inside a batch: exit 1, line 2" batch_refused 1 "2: init" \
  "price set BTC 1 --at $LATER" "init --config config.toml"
check "batch: run inside a batch: exit 1, line 2" batch_refused 1 "2: run" \
  "price set BTC 1 --at $LATER" "run bad.run"
check "batch: --journal inside a batch: exit 1, line 2" batch_refused 1 "2: .*--journal" \
  "price set BTC 1 --at $LATER" "price set BTC 2 --journal other.db --at $LATER"
check "batch: an unknown option: exit 1, line 2, names it" batch_refused 1 "2: .*--bogus" \
  "price set BTC 1 --at $LATER" "price set BTC 2 --bogus"
check "batch: an unknown command: exit 1, line 3, names it" batch_refused 1 "3: .*frobnicate" \
  "# a comment" "price set BTC 1 --at $LATER" "frobnicate BTC"
check "batch: a bad config apply: exit 1, line 2" batch_refused 1 "2: config apply: syntax\\.toml:" \
  "price set BTC 1 --at $LATER" "config apply syntax.toml"
check "batch: a missing batch file: exit 1, names it" refused 1 "^nexadex: run: .*nosuch\\.run" run nosuch.run

# --- input that used to pass silently (issue 12, item 2) -------------------------------------------

directories_are_not_files() {
  mkdir -p somedir
  refused 1 "^nexadex: run: somedir is a directory" run somedir
  refused 1 "^nexadex: price import: somedir is a directory" price import somedir
  refused 1 "^nexadex: config apply: somedir is a directory" config apply somedir --at "$LATER"
  refused 1 "^nexadex: config show: somedir is a directory" config show --config somedir
  expect_error 1 "^nexadex: init: somedir is a directory" init --config somedir --journal dir.db
  [ ! -e dir.db ] || fail "init --config DIR created dir.db"
}
check "a directory where a file is expected: exit 1, 'DIR is a directory'" directories_are_not_files

unclosed_quote_in_csv() {
  printf 'at,market,price\n%s,BTC,"101' "$LATER" >open-quote.csv
  refused 1 "^nexadex: price import: open-quote\.csv line 2: .*quote is not closed" price import open-quote.csv
  printf '%s,BTC,"101"\n%s,ETH,"1\n' "$LATER" "$LATER" >open-quote2.csv
  refused 1 "^nexadex: price import: open-quote2\.csv line 2: .*quote is not closed" price import open-quote2.csv
}
check "price import: a last field whose quote never closes: exit 1, nothing journaled" unclosed_quote_in_csv

check "liquidate --all --market of an unknown market: exit 1, names it" \
  refused 1 "^nexadex: liquidate: unknown market 'DOGE'" liquidate --all --market DOGE --at "$LATER"
check "liquidate of the same id twice: exit 1, names it" \
  refused 1 "^nexadex: liquidate: position 4 is given twice" liquidate 4 4 --at "$LATER"

options_that_would_be_ignored() {
  refused 1 "^nexadex: deposit: --market BTC only says which market --price is for" deposit alice 1000 --market BTC --at "$LATER"
  refused 1 "^nexadex: withdraw: --market BTC only says" withdraw alice --all --market BTC --at "$LATER"
  refused 1 "^nexadex: insurance deposit: --market BTC only says" insurance deposit 5 --market BTC --at "$LATER"
  refused 1 "^nexadex: liquidate: --market BTC only says" liquidate 4 --market BTC --at "$LATER"
  refused 1 "^nexadex: report: --all goes with 'report positions' only" report pool --all
  refused 1 "^nexadex: report: --all goes with 'report positions' only" report lps --all
  refused 1 "^nexadex: cascade: --kind goes with --loss" cascade --shock BTC=-10% --kind bad-debt
  refused 1 "^nexadex: cascade: --reason is journaled only with --apply" cascade --loss 5 --reason why
  # in a batch too
  batch_refused 1 "2: deposit: --market BTC only says" "price set BTC 1 --at $LATER" "deposit alice 5 --market BTC"
}
check "an option the command would not use: exit 1, not ignored" options_that_would_be_ignored

# --- output files ---------------------------------------------------------------------------------

export_unwritable() {
  printf 'a regular file\n' >afile
  refused 1 "^nexadex: export: .*afile/x\\.jsonl" export --events afile/x.jsonl
  refused 1 "^nexadex: export: .*/nonexistent/dir/x\\.jsonl" export --events /nonexistent/dir/x.jsonl
  mkdir -p adir
  refused 1 "^nexadex: export: .*adir" export --events adir
}
check "export --events to an unwritable path: exit 1, names it" export_unwritable

# A failed export must not destroy the file it was told to write (SPEC §9: loses no data).
export_keeps_the_file() {
  printf 'yesterday'"'"'s export\n' >keep.jsonl
  local sum
  sum=$(checksum keep.jsonl)
  expect_error 3 "^nexadex: export: .*missing\\.db" export --events keep.jsonl --journal missing.db
  [ "$(checksum keep.jsonl)" = "$sum" ] || fail "export from a missing journal truncated keep.jsonl"
}
check "export from a missing journal leaves the output file as it was" export_keeps_the_file

check "the journal still verifies" expect_rc 0 verify
finish
