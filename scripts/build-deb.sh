#!/usr/bin/env bash
# Builds dist/admit_VERSION_ARCH.deb from built binaries: build-deb.sh BINDIR OUTDIR
# DEB_COMPRESSION (default xz; check-package.sh uses none: it checks contents, and xz of
# the debug binaries takes minutes).
# The package holds the binaries, the unit, the udev rules, the example configuration (a
# conffile) and a postinst that creates the admit user and group.
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR
bindir=$1 outdir=$2
here=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/.*current = "\(.*\)".*/\1/p' "$here/Sources/AdmitDaemon/Lifecycle/AdmitVersion.swift")
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

"$here/scripts/install.sh" "$root" /usr /etc "$bindir" >/dev/null
doc="$root/usr/share/doc/admit"
install -m 0644 "$here/packaging/debian/copyright" "$doc/copyright"
gzip -9n < "$here/packaging/debian/changelog" > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
gzip -9n "$doc/README.md"
install -d "$root/usr/share/lintian/overrides"
install -m 0644 "$here/packaging/debian/lintian-overrides" "$root/usr/share/lintian/overrides/admit"

# Shared libraries the binaries need, mapped to the packages that ship them.
depends=$(ldd "$bindir/admitd" "$bindir/admitctl" | awk '/=> \//{print $3}' | sort -u \
  | { xargs -r dpkg -S 2>/dev/null || true; } | cut -d: -f1 | sort -u | grep -v '^admit$' | paste -sd, | sed 's/,/, /g')

install -d -m 0755 "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: admit
Version: $version
Architecture: $arch
Maintainer: Admit developers <admit@example.org>
Depends: adduser, ${depends:-libc6}
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Homepage: https://example.org/admit
Description: gate daemon for turnstile ticket-scanning kiosks
 Admit reads barcode scanners (USB keyboard-wedge through evdev, serial),
 decides GRANTED or DENIED against a local ticket index in microseconds,
 records every scan durably, pulses the turnstile relay and lamps through
 the GPIO character device, and syncs with the ticketing system in the
 background, so the gate keeps working offline. Ships a hardened systemd
 unit, udev rules and admitctl for stewards.
CONTROL
echo /etc/admit/admit.toml > "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$here/packaging/debian/$script" "$root/DEBIAN/$script"
done

mkdir -p "$outdir"
deb="$outdir/admit_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$root" "$deb" >/dev/null
echo "$deb"
