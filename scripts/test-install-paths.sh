#!/usr/bin/env bash
# Tests the install paths as a bare machine would run them, on any machine: the package
# tools are replaced by shims first on PATH, so every package starts out missing, whatever
# this machine has. Checks that scripts/install-deps.sh and Tests/vm/setup.sh --packages ask
# apt-get for exactly what is missing, check the result, and name what failed when a step
# fails. Run by `make test`. Prints "install paths: N passed, N failed".
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- The shims ------------------------------------------------------------------------
# dpkg-query -W -f='${Status}' PKG: "install ok installed" for what the apt-get shim has
# installed (a line in $SHIM_DB), exit 1 like dpkg for a package it does not know.
# apt-get: appends its arguments to $SHIM_LOG; "install" adds the packages to $SHIM_DB
# (except $SHIM_BROKEN, left half-installed); $SHIM_APT_FAILS makes it fail with 100.
# apt-cache show linux-image-amd64: a kernel meta package's Depends line.
shims=$work/shims
mkdir -p "$shims"
cat >"$shims/dpkg-query" <<'SHIM'
#!/bin/bash
pkg=${!#}
if grep -qx "$pkg" "$SHIM_DB" 2>/dev/null; then printf 'install ok installed'; exit 0; fi
if [ "$pkg" = "${SHIM_BROKEN:-}" ] && grep -qx "half:$pkg" "$SHIM_DB"; then printf 'install ok half-configured'; exit 0; fi
echo "dpkg-query: no packages found matching $pkg" >&2
exit 1
SHIM
cat >"$shims/apt-get" <<'SHIM'
#!/bin/bash
echo "apt-get $*" >>"$SHIM_LOG"
[ -n "${SHIM_APT_FAILS:-}" ] && { echo "E: Unable to locate package" >&2; exit 100; }
if [ "$1" != update ]; then
  for a in "$@"; do
    case "$a" in -*|install) ;; *) if [ "$a" = "${SHIM_BROKEN:-}" ]; then echo "half:$a"; else echo "$a"; fi >>"$SHIM_DB" ;; esac
  done
fi
exit 0
SHIM
cat >"$shims/apt-cache" <<'SHIM'
#!/bin/bash
echo "Package: linux-image-amd64"
echo "Depends: linux-image-6.1.0-99-amd64 (= 6.1.999-1)"
SHIM
chmod +x "$shims"/*

passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
expect() {   # expect WHAT ACTUAL EXPECTED
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: expected '$3', got '$2'"; fi
}
expect_contains() {   # expect_contains WHAT FILE TEXT
  if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1: no '$3' in: $(tr '\n' '|' <"$2")"; fi
}

# run NAME COMMAND...: on a bare machine (fresh DB and log), output in $work/NAME.out,
# exit status in $rc.
fresh() { : >"$work/db"; : >"$work/log"; }
run() {
  local name=$1; shift
  rc=0
  env PATH="$shims:/usr/sbin:/usr/bin:/sbin:/bin" SHIM_DB="$work/db" SHIM_LOG="$work/log" \
    VM_CACHE="$work/vm-cache" "$@" >"$work/$name.out" 2>&1 || rc=$?
}
installs() { sed -n 's/^apt-get install -y -qq --no-install-recommends //p' "$work/log" | tr ' ' '\n' | sort | tr '\n' ' '; }
updates() { grep -c '^apt-get update' "$work/log" || true; }

# 1. install-deps.sh on a bare machine: one update, then exactly the build packages.
fresh
run deps "$here/scripts/install-deps.sh"
expect "install-deps.sh exits 0 on a bare machine" "$rc" 0
expect "install-deps.sh updates the package lists once" "$(updates)" 1
expect "install-deps.sh installs the build packages" "$(installs)" "libevdev-dev libnats-dev libsqlite3-dev libudev-dev pkg-config "

# 2. Again: nothing is missing, so apt-get is not called.
: >"$work/log"
run deps-again "$here/scripts/install-deps.sh"
expect "a second install-deps.sh exits 0" "$rc" 0
expect "a second install-deps.sh calls no apt-get" "$(wc -l <"$work/log")" 0

# 3. --test on top: only the test tools are missing now.
: >"$work/log"
run deps-test "$here/scripts/install-deps.sh" --test
expect "install-deps.sh --test exits 0" "$rc" 0
expect "install-deps.sh --test installs only the test tools" "$(installs)" "iproute2 jq nats-server sqlite3 systemd "

# 4. apt-get "succeeds" but leaves a package half-configured: named, non-zero.
fresh
run deps-broken env SHIM_BROKEN=libudev-dev "$here/scripts/install-deps.sh"
expect "install-deps.sh fails when a package did not install" "$rc" 1
expect_contains "install-deps.sh names the package that did not install" "$work/deps-broken.out" "libudev-dev is still not installed"

# 5. apt-get fails: the script stops and names the line and the command.
fresh
run deps-apt-fails env SHIM_APT_FAILS=1 "$here/scripts/install-deps.sh"
expect "install-deps.sh stops when apt-get fails" "$rc" 100
expect_contains "install-deps.sh names the failing command" "$work/deps-apt-fails.out" "install-deps.sh: line "
expect_contains "... and says it was apt-get" "$work/deps-apt-fails.out" "apt-get update -qq\` failed (status 100)"

# 6. The VM's packages, from a bare machine: every tool the scenarios call is among them.
fresh
run vm-packages bash "$here/Tests/vm/setup.sh" --packages
expect "Tests/vm/setup.sh --packages exits 0 on a bare machine" "$rc" 0
vm_installs=" $(installs)"
for p in qemu-system-x86 busybox-static udev linux-headers-6.1.0-99-amd64 jq sqlite3 iproute2 e2fsprogs; do
  case "$vm_installs" in *" $p "*) ok "setup.sh installs $p" ;; *) not_ok "setup.sh installs $p: it asked for$vm_installs" ;; esac
done
: >"$work/log"
run vm-packages-again bash "$here/Tests/vm/setup.sh" --packages
expect "a second setup.sh --packages calls no apt-get install" "$(installs)" ""

# 7. setup.sh when apt-get fails: it says where.
fresh
run vm-apt-fails env SHIM_APT_FAILS=1 bash "$here/Tests/vm/setup.sh" --packages
[ "$rc" != 0 ] && ok "setup.sh stops when apt-get fails" || not_ok "setup.sh stops when apt-get fails (exit $rc)"
expect_contains "setup.sh names the failing command" "$work/vm-apt-fails.out" "failed (status 100)"

if [ "$failed" -gt 0 ]; then
  for f in "$work"/*.out; do echo "=== $(basename "$f")"; cat "$f"; done
fi
echo "install paths: $passed passed, $failed failed"
[ "$failed" = 0 ]
