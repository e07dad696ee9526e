#!/usr/bin/env bash
# tests/fuzz/make_corpus.sh NEXADEX: (re)builds the checked-in seed corpus tests/fuzz/corpus/<target>/
# from the examples, test fixtures and golden inputs; NEXADEX is a built nexadex binary (for the tiny
# journals of journal_file). Run by hand after adding inputs to those folders; the files are named by
# the SHA-1 of their content, as libFuzzer names what it adds.
set -euo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus
rm -rf "$out"
mkdir -p "$out"/{decimal,config_toml,price_csv,run_line,codec,journal_file,shock_spec}

# seed TARGET: standard input becomes one corpus file of TARGET.
seed() {
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  mv "$tmp" "$out/$1/$(sha1sum <"$tmp" | cut -c1-40)"
}

# decimal: one selector byte (lib/money.hpp and lib/time.hpp readers, see decimal_fuzz.cpp), then text.
for s in 1000 1_000.25 -0.000001 0.5 100 9223372036854.775807 -9223372036854.775808 1,000 +5 1e3 nan; do
  printf '\000%s' "$s" | seed decimal; printf '\020%s' "$s" | seed decimal; printf '\002%s' "$s" | seed decimal
done
for s in 65000 65000.12345678 1.123456789 0 92233720368.54775807; do printf '\001%s' "$s" | seed decimal; done
for s in 12.5 0.000000001 9223372036.854775807; do printf '\012%s' "$s" | seed decimal; done
for s in 1 18446744073 0.1234567890123456789; do printf '\003%s' "$s" | seed decimal; printf '\233%s' "$s" | seed decimal; done
for s in 30 10.5 99.99 100; do printf '\004%s' "$s" | seed decimal; done
for s in 2026-01-01T00:00:00Z 2026-01-01 @1767225600 2026-02-30 9999-12-31T23:59:59Z 1969-12-31 2026-01-01T00:00:00+01:00; do
  printf '\005%s' "$s" | seed decimal
done
for s in 30d 12h 90m 45s 1y 0s 1000000000y; do printf '\006%s' "$s" | seed decimal; done
for s in 0 -1 170141183460469231731687303715884105727 -170141183460469231731687303715884105728 000123 \
  5000 -5000 499999999 999999500000 18446744073709551616; do
  printf '\007%s' "$s" | seed decimal
done

# config_toml: every config file of the examples, fixtures and golden inputs.
for f in examples/*.toml tests/fixtures/*.toml tests/golden/*/*.toml; do seed config_toml <"$f"; done

# price_csv: the golden price files, and a header and CRLF line ends.
for f in tests/golden/*/*.csv; do seed price_csv <"$f"; done
printf 'at,market,price\r\n2026-01-01T00:00:00Z,BTC,65000\r\n2026-01-01T00:05:00Z,"ETH",3000.5\r\n' | seed price_csv

# run_line: each distinct line of the batch files and golden command lists.
cat examples/*.run tests/fixtures/*.run tests/golden/*/*.run tests/golden/*/commands | sort -u |
  while IFS= read -r line; do printf '%s' "$line" | seed run_line; done
printf '%s' "price set 'BTC' \"6\\\"5\" \\ x # comment" | seed run_line

# codec: "<kind>\n<payload>" of up to 3 events of each kind in the fixture journals.
for db in tests/fixtures/*.db; do
  for kind in $(sqlite3 "$db" "SELECT DISTINCT kind FROM events"); do
    sqlite3 "$db" "SELECT seq FROM events WHERE kind = '$kind' ORDER BY seq LIMIT 3" | while read -r seq; do
      { printf '%s\n' "$kind"; sqlite3 "$db" "SELECT payload FROM events WHERE seq = $seq" | head -c -1; } | seed codec
    done
  done
done

# journal_file: tiny journals (a few events), one of another application, and a truncated one.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[[markets]]\nsymbol = "BTC"\n' >"$tmp/c.toml"
(cd "$tmp" && "$bin" init --config c.toml --journal a.db --at 2026-01-01 >/dev/null &&
  printf 'price set BTC 65000\ndeposit alice 1000\nopen tom BTC long --collateral 100 --leverage 5\n' >b.run &&
  cp a.db small.db && NEXADEX_NOW=2026-01-01T00:01:00Z "$bin" run b.run --journal small.db >/dev/null &&
  sqlite3 a.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && sqlite3 small.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null)
seed journal_file <"$tmp/a.db"
seed journal_file <"$tmp/small.db"
sqlite3 "$tmp/other.db" "PRAGMA page_size = 512; CREATE TABLE t(x); INSERT INTO t VALUES (1);"
seed journal_file <"$tmp/other.db"
head -c 5000 "$tmp/small.db" | seed journal_file

# shock_spec: one specification a line.
for s in 'BTC=-30%' 'BTC=30%' 'XRP=-10%' 'ETH=+10.5%' 'SOL=-99.99%' 'BTC=-100%' $'BTC=-30%\nETH=+10%' $'BTC=-1%\nBTC=-2%'; do
  printf '%s' "$s" | seed shock_spec
done
du -sh "$out"
