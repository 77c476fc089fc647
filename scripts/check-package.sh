#!/usr/bin/env bash
# Checks what `make install` and `make deb` produce, from the debug build (fast): the files,
# their modes, the unit's paths, the conffile, the maintainer scripts and the unit's syntax.
# Run by `make test`. Exits non-zero with the first problem.
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-package: $*" >&2; exit 1; }
expect_file() { [ -e "$1" ] || fail "missing $1"; }
expect_mode() { [ "$(stat -c %a "$1")" = "$2" ] || fail "$1 has mode $(stat -c %a "$1"), want $2"; }

for b in admitd admitctl; do [ -x "$bin/$b" ] || fail "build $b first (swift build)"; done

# make install: DESTDIR and PREFIX honoured, config kept on a second install.
root="$work/root"
scripts/install.sh "$root" /opt/admit /etc "$bin" >/dev/null
expect_mode "$root/opt/admit/bin/admitd" 755
expect_mode "$root/opt/admit/bin/admitctl" 755
expect_mode "$root/opt/admit/lib/systemd/system/admitd.service" 644
expect_file "$root/opt/admit/lib/udev/rules.d/70-admit.rules"
expect_file "$root/opt/admit/share/doc/admit/admit.toml.example"
expect_file "$root/opt/admit/share/doc/admit/README.md"
expect_mode "$root/etc/admit/admit.toml" 640
grep -q '^ExecStart=/opt/admit/bin/admitd ' "$root/opt/admit/lib/systemd/system/admitd.service" \
  || fail "the unit's ExecStart does not follow PREFIX"
grep -q '^ExecReload=/opt/admit/bin/admitctl reload$' "$root/opt/admit/lib/systemd/system/admitd.service" \
  || fail "the unit's ExecReload does not follow PREFIX"
echo "# local change" >> "$root/etc/admit/admit.toml"
scripts/install.sh "$root" /opt/admit /etc "$bin" >/dev/null
grep -q '# local change' "$root/etc/admit/admit.toml" || fail "a second install overwrote admit.toml"

# The example configuration is valid, as shipped.
"$bin/admitd" --check-config etc/admit/admit.toml >/dev/null || fail "etc/admit/admit.toml does not check"

# make deb: contents, control fields, conffiles, maintainer scripts.
deb=$(DEB_COMPRESSION=none scripts/build-deb.sh "$bin" "$work/dist")
contents=$(dpkg-deb -c "$deb" | awk '{print $1, $2, $6}')
for path in ./usr/bin/admitd ./usr/bin/admitctl ./usr/lib/systemd/system/admitd.service \
  ./usr/lib/udev/rules.d/70-admit.rules ./etc/admit/admit.toml ./usr/share/doc/admit/copyright \
  ./usr/share/doc/admit/changelog.gz ./usr/share/doc/admit/admit.toml.example; do
  grep -q " $path\$" <<<"$contents" || fail "package lacks $path"
done
grep -q '^-rwxr-xr-x root/root ./usr/bin/admitd$' <<<"$contents" || fail "admitd is not root-owned 0755 in the package"
[ "$(dpkg-deb -f "$deb" Package)" = admit ] || fail "package name"
dpkg-deb -f "$deb" Depends | grep -q adduser || fail "Depends lacks adduser (postinst uses it)"
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/admit/admit.toml "$work/control/conffiles" || fail "admit.toml is not a conffile"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "$script is not executable"
  sh -n "$work/control/$script" || fail "$script has a syntax error"
done
grep -q 'adduser --system' "$work/control/postinst" || fail "postinst does not create the admit user"

# The unit's limits that keep the tickets in: no core dumps, bounded memory, scanners read only,
# no onboard UART unless a drop-in adds it.
unit_text=$(cat systemd/admitd.service)
for line in LimitCORE=0 MemoryMax=512M "DeviceAllow=char-input r"; do
  grep -qx "$line" <<<"$unit_text" || fail "the unit lacks $line"
done
! grep -q '^DeviceAllow=char-ttyS' <<<"$unit_text" || fail "the unit allows every onboard UART (char-ttyS)"
! grep -q '^DeviceAllow=char-input rw' <<<"$unit_text" || fail "the unit lets admitd write to input devices"

# The unit: systemd's own verification. systemd-analyze comes with `make test`'s
# dependencies (scripts/install-deps.sh --test); without it the check fails, never skips.
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (scripts/install-deps.sh --test installs it)"
unit="$work/unit/admitd.service"
mkdir -p "$work/unit"
sed "s|/usr/bin/admit|$bin/admit|g" systemd/admitd.service > "$unit"
out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e 'Failed to open /etc/admit/credentials' || true)
[ -z "$out" ] || fail "systemd-analyze verify: $out"
echo "check-package: install layout, package contents and unit OK"
