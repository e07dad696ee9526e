# tests/e2e/chart_test.sh: `report history --svg` as a person would use it: every chart is rendered
# to PNG by a real SVG renderer (rsvg-convert, Debian's librsvg2-bin), which must succeed, and read
# back with xmllint (libxml2-utils): well-formed, 4 to 6 round-number ticks a value axis with
# distinct labels, 4 to 6 time ticks, a legend, one colour per series in every panel, the last
# interval drawn with width, one event drawn as a flat segment. scripts/test.sh installs both tools
# (CI); without them the suite fails when run as root (which could have installed them) and is
# skipped (exit 77) otherwise.
source "$(dirname "$0")/lib.sh" "$@"
for tool in rsvg-convert:librsvg2-bin xmllint:libxml2-utils; do
  command -v "${tool%%:*}" >/dev/null && continue
  [ "$(id -u)" = 0 ] || { echo "${tool%%:*} missing (Debian package ${tool#*:}): skipped"; exit 77; }
  fail "${tool%%:*} is missing: install the Debian package ${tool#*:} (bash scripts/test.sh does)"
done

# xp FILE XPATH: the XPath's value in the chart FILE read without its SVG namespace.
xp() {
  sed 's/ xmlns="[^"]*"//' "$1" >"$WORK/plain.xml"
  xmllint --xpath "$2" "$WORK/plain.xml" 2>/dev/null || true
}

# between LO HI N WHAT: LO <= N <= HI.
between() { [ "$3" -ge "$1" ] && [ "$3" -le "$2" ] || fail "$4: $3, expected $1 to $2"; }

# render SVG: rsvg-convert draws it; the PNG has the SVG's size and is more than a blank page.
render() {
  local svg=$1 png=${1%.svg}.png w h
  xmllint --noout "$svg" || fail "$svg is not well-formed XML"
  rsvg-convert -o "$png" "$svg" 2>"$WORK/rsvg.err" || fail "rsvg-convert failed on $svg: $(cat "$WORK/rsvg.err")"
  [ "$(od -An -tx1 -N8 "$png" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
  w=$(od -An -tu1 -j16 -N4 "$png" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
  h=$(od -An -tu1 -j20 -N4 "$png" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
  [ "$w" = "$(xp "$svg" "string(/svg/@width)")" ] || fail "$png is $w px wide, the SVG $(xp "$svg" "string(/svg/@width)")"
  [ "$h" = "$(xp "$svg" "string(/svg/@height)")" ] || fail "$png is $h px high, the SVG $(xp "$svg" "string(/svg/@height)")"
  between 600 2000 "$w" "$png width"
  # a white page of that size compresses to a few KB; text, grid and lines make tens of KB
  between 20000 1000000 "$(wc -c <"$png")" "$png bytes"
}

# check_chart SVG [PANEL...]: the structure every chart has, with the four panels every chart has and
# the PANELs it has beside them.
check_chart() {
  local svg=$1 panel n labels key colour
  shift
  render "$svg"
  [ "$(xp "$svg" "count(//g[@class='panel'])")" = $((4 + $#)) ] ||
    fail "$svg: $(xp "$svg" "count(//g[@class='panel'])") panels, expected $((4 + $#))"
  for panel in nav price utilization insurance "$@"; do
    local g="//g[@id='panel-$panel']"
    [ -n "$(xp "$svg" "string($g/text[@font-weight='bold'])")" ] || fail "$svg: panel $panel has no title"
    n=$(xp "$svg" "count($g/g[@class='y-labels']/text)")
    between 4 6 "$n" "$svg: panel $panel value ticks"
    [ "$(xp "$svg" "count($g/g[@class='grid']/line[@y1=@y2])")" = "$n" ] || fail "$svg: panel $panel: a grid line per value tick"
    labels=$(xp "$svg" "$g/g[@class='y-labels']/text/text()")
    [ "$(printf '%s\n' "$labels" | sort -u | wc -l)" = "$n" ] || fail "$svg: panel $panel value labels repeat: $labels"
    between 4 6 "$(xp "$svg" "count($g/g[@class='grid']/line[@x1=@x2])")" "$svg: panel $panel time ticks"
    xp "$svg" "$g/g[@class='x-labels']/text/text()" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' ||
      fail "$svg: panel $panel has no date on its time axis"
    # every line of the panel has its legend entry, in the line's colour
    for key in $(xp "$svg" "$g/polyline/@class" | sed 's/ *class="\([a-z0-9-]*\)"/\1\n/g' | sort -u); do
      colour=$(xp "$svg" "string($g/polyline[@class='$key']/@stroke)")
      [ "$(xp "$svg" "count($g/g[@class='legend']/line[@class='$key'][@stroke='$colour'])")" = 1 ] ||
        fail "$svg: panel $panel: no legend entry for $key in $colour"
    done
  done
  # one colour per series name across the panels, and different series in different colours
  for key in pool senior junior utilization insurance market-0 market-1; do
    n=$(xp "$svg" "count(//*[@class='$key'])")
    [ "$n" = 0 ] && continue
    colour=$(xp "$svg" "string((//*[@class='$key'])[1]/@stroke)")
    [ "$(xp "$svg" "count(//*[@class='$key'][@stroke='$colour'])")" = "$n" ] || fail "$svg: $key is drawn in more than one colour"
    echo "$colour" >>"$WORK/colours"
  done
  [ "$(sort "$WORK/colours" | uniq -d)" = "" ] || fail "$svg: two series share a colour: $(sort "$WORK/colours" | uniq -d)"
  rm -f "$WORK/colours"
  # each line's last value is drawn with width: its last segment is horizontal, at least 10 px long
  xp "$svg" "//polyline/@points" | sed 's/ *points="\([^"]*\)"/\1\n/g' | grep . | while read -r points; do
    set -- $points
    [ $# -ge 2 ] || fail "$svg: a line of one point: $points"
    local a=${*: -2:1} b=${*: -1}
    [ "${a#*,}" = "${b#*,}" ] && [ $((${b%,*} - ${a%,*})) -ge 10 ] || fail "$svg: the last interval has no width: $points"
  done
}

n() { "$NEXADEX" "$@" -q; }

# the tranches scenario, a point a day: NAV, senior and junior; the tranches' prices
export NEXADEX_JOURNAL=$WORK/t.db
n init --config "$SRC/examples/tranches.toml" --at 2026-01-01T00:00:00Z
n run "$SRC/examples/tranches.run"
expect_rc 0 report history --every 1d --svg t.svg
check_chart t.svg
[ "$(xp t.svg "count(//polyline)")" = 7 ] || fail "t.svg: $(xp t.svg "count(//polyline)") lines, expected 7"
# the price axis: 0.92 (the senior's 0.920624) to 1.00, by 0.02
[ "$(xp t.svg "//g[@id='panel-price']/g[@class='y-labels']/text/text()" | tr '\n' ' ')" = "0.92 0.94 0.96 0.98 1.00 " ] ||
  fail "t.svg price axis: $(xp t.svg "//g[@id='panel-price']/g[@class='y-labels']/text/text()" | tr '\n' ' ')"
# the NAV axis: 0 to 1,000,000 by 200,000; the time axis: Mondays
[ "$(xp t.svg "//g[@id='panel-nav']/g[@class='y-labels']/text/text()" | tr '\n' ' ')" = "0 200,000 400,000 600,000 800,000 1,000,000 " ] ||
  fail "t.svg NAV axis: $(xp t.svg "//g[@id='panel-nav']/g[@class='y-labels']/text/text()" | tr '\n' ' ')"
[ "$(xp t.svg "//g[@id='panel-nav']/g[@class='x-labels']/text/text()" | tr '\n' ' ')" = "2026-01-05 2026-01-12 2026-01-19 2026-01-26 2026-02-02 2026-02-09 " ] ||
  fail "t.svg time axis: $(xp t.svg "//g[@id='panel-nav']/g[@class='x-labels']/text/text()" | tr '\n' ' ')"
expect_rc 0 report history --every 1d --svg -
cmp -s out t.svg || fail "the chart is not deterministic"

# the calm week, every event: one pool, its share price between 0.998824 and 1.002885
export NEXADEX_JOURNAL=$WORK/b.db
n init --config "$SRC/examples/basic.toml" --at 2026-01-05T07:59:00Z
n run "$SRC/examples/calm-week.run"
expect_rc 0 report history --svg b.svg
check_chart b.svg
[ "$(xp b.svg "//g[@id='panel-price']/g[@class='y-labels']/text/text()" | tr '\n' ' ')" = "0.998 0.999 1.000 1.001 1.002 1.003 " ] ||
  fail "b.svg price axis: $(xp b.svg "//g[@id='panel-price']/g[@class='y-labels']/text/text()" | tr '\n' ' ')"
# its first 7 hours: times of day on the axis, the date under the first
expect_rc 0 report history --as-of 2026-01-05T15:00:00Z --svg h.svg
check_chart h.svg
[ "$(xp h.svg "//g[@id='panel-nav']/g[@class='x-labels']/text/text()" | tr '\n' ' ')" = "08:00 2026-01-05 10:00 12:00 14:00 " ] ||
  fail "h.svg time axis: $(xp h.svg "//g[@id='panel-nav']/g[@class='x-labels']/text/text()" | tr '\n' ' ')"
# --as-of: the last value holds until then (the plot's right edge)
right=$(xp h.svg "string(//g[@id='panel-nav']/path/@d)" | sed 's/.* H//')
[ "$(xp h.svg "string(//polyline[@class='utilization']/@points)" | awk '{ split($NF, p, ","); print p[1] }')" = "$right" ] ||
  fail "h.svg: the utilization line does not reach --as-of at x $right"

# one event: each line a flat segment across the plot, axes around its value
export NEXADEX_JOURNAL=$WORK/one.db
n init --config "$SRC/examples/basic.toml" --at 2026-01-05T07:59:00Z
expect_rc 0 report history --svg one.svg
check_chart one.svg
[ "$(xp one.svg "count(//polyline)")" = 4 ] || fail "one.svg: $(xp one.svg "count(//polyline)") lines, expected 4"
for key in pool utilization insurance; do
  xp one.svg "//polyline[@class='$key']/@points" | grep -Eq 'points="[0-9]+,([0-9]+) [0-9]+,\1"' ||
    fail "one.svg: the $key line is not one flat segment: $(xp one.svg "//polyline[@class='$key']/@points")"
done
[ "$(xp one.svg "//g[@id='panel-price']/g[@class='y-labels']/text/text()" | tr '\n' ' ')" = "0.990 0.995 1.000 1.005 1.010 " ] ||
  fail "one.svg price axis: $(xp one.svg "//g[@id='panel-price']/g[@class='y-labels']/text/text()" | tr '\n' ' ')"
# a pool holding BTC (examples/rally-crash.run): two more panels, the BTC price and the pool's net
# exposure to it, in one colour; the exposure axis spans the values (199,730 … 434,676 after the opens)
export NEXADEX_JOURNAL=$WORK/rc.db
n init --config "$SRC/examples/rally-crash.toml" --at 2026-02-01T00:00:00Z
n run "$SRC/examples/rally-crash.run"
expect_rc 0 report history --as-of 2026-02-06T12:00:00Z --svg rc.svg
check_chart rc.svg prices exposure
[ "$(xp rc.svg "count(//g[@id='panel-prices']//polyline[@class='market-0'])")" = 1 ] || fail "rc.svg: no BTC price line"
[ "$(xp rc.svg "count(//g[@id='panel-exposure']//polyline[@class='market-0'])")" = 1 ] || fail "rc.svg: no exposure line"
[ "$(xp rc.svg "//g[@id='panel-exposure']/g[@class='y-labels']/text/text()" | tr '\n' ' ')" = "0 100,000 200,000 300,000 400,000 500,000 " ] ||
  fail "rc.svg exposure axis: $(xp rc.svg "//g[@id='panel-exposure']/g[@class='y-labels']/text/text()" | tr '\n' ' ')"
[ "$(xp rc.svg "//g[@id='panel-prices']/g[@class='y-labels']/text/text()" | tr '\n' ' ')" = "40,000 50,000 60,000 70,000 80,000 " ] ||
  fail "rc.svg price axis: $(xp rc.svg "//g[@id='panel-prices']/g[@class='y-labels']/text/text()" | tr '\n' ' ')"
# the chart the README shows is this one, byte for byte (after a change of the chart, regenerate it
# with the README's commands and review it: cp rc.svg examples/rally-crash.svg)
cmp -s rc.svg "$SRC/examples/rally-crash.svg" || fail "examples/rally-crash.svg is not the chart of examples/rally-crash.run"
# a single-USDC vault has neither panel
[ "$(xp b.svg "count(//g[@id='panel-exposure'] | //g[@id='panel-prices'])")" = 0 ] || fail "b.svg has an exposure panel"
echo "ok: t.svg, b.svg, h.svg, one.svg and rc.svg render ($(wc -c <t.png) bytes of PNG for t.svg)"
