# scripts/packages.sh: sourced by scripts/setup.sh and scripts/fuzz.sh. The Debian packages nexadex
# builds and tests with, and install_missing, which installs those of a list not installed yet.

nexadex_packages=(g++ cmake make pkg-config libsqlite3-dev sqlite3 libcli11-dev libsqlitecpp-dev libtoml11-dev
  libfmt-dev catch2 nlohmann-json3-dev nettle-dev libhowardhinnant-date-dev libcsv-dev libabsl-dev libboost-dev scdoc man-db
  jq)  # tests/e2e/outcome_test.sh reads the JSON output with it

# install_missing WHO PACKAGE...: apt-get installs the PACKAGEs not installed (as root, else with
# sudo), saying "WHO: installing ..." on stderr; does nothing when all are there.
install_missing() {
  local who=$1 p
  shift
  local -a missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "$who: installing ${missing[*]}" >&2
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}
