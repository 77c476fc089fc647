#!/usr/bin/env bash
# Installs the Debian packages Admit needs, only those that are missing. Safe to run again.
#
#   scripts/install-deps.sh          what building and `make demo` need
#   scripts/install-deps.sh --test   that, plus what `make test` runs besides the build:
#                                    systemd-analyze (the unit check), jq, sqlite3 and ip
#                                    (test scripts and VM scenarios; the VM runs the host's
#                                    programs, see Tests/vm/setup.sh for the VM's own), and
#                                    nats-server (the mesh tests start real servers)
#
# Run as root, or as a user who may use sudo. A package is "missing" unless dpkg reports it
# "install ok installed"; one dpkg-query call per package, so a package dpkg has never heard
# of counts as missing instead of failing the query for all of them.
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR

build_packages=(libevdev-dev libudev-dev pkg-config libsqlite3-dev libnats-dev)
test_packages=(systemd jq sqlite3 iproute2 nats-server)

packages=("${build_packages[@]}")
case "${1:-}" in
  "") ;;
  --test) packages+=("${test_packages[@]}") ;;
  *) echo "install-deps: unknown option $1 (usage: install-deps.sh [--test])" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Checked, not assumed: apt-get can exit 0 and leave a package unconfigured.
for p in "${missing[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || { echo "install-deps: $p is still not installed (dpkg: ${status:-unknown})" >&2; exit 1; }
done
