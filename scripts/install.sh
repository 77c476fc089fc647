#!/usr/bin/env bash
# Installs Admit under a root folder: install.sh DESTDIR PREFIX SYSCONFDIR BINDIR
# The unit's paths follow PREFIX; an existing admit.toml is never overwritten.
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR
destdir=$1 prefix=$2 sysconfdir=$3 bindir=$4
here=$(cd "$(dirname "$0")/.." && pwd)

install -d "$destdir$prefix/bin" "$destdir$prefix/lib/systemd/system" "$destdir$prefix/lib/udev/rules.d" \
  "$destdir$prefix/share/doc/admit" "$destdir$sysconfdir/admit"
install -m 0755 "$bindir/admitd" "$bindir/admitctl" "$destdir$prefix/bin/"
sed "s|/usr/bin/admit|$prefix/bin/admit|g" "$here/systemd/admitd.service" \
  > "$destdir$prefix/lib/systemd/system/admitd.service"
chmod 0644 "$destdir$prefix/lib/systemd/system/admitd.service"
install -m 0644 "$here/udev/70-admit.rules" "$destdir$prefix/lib/udev/rules.d/"
install -m 0644 "$here/etc/admit/admit.toml" "$destdir$prefix/share/doc/admit/admit.toml.example"
install -m 0644 "$here/README.md" "$destdir$prefix/share/doc/admit/"
cp -r "$here/docs" "$destdir$prefix/share/doc/admit/" && chmod -R u=rwX,go=rX "$destdir$prefix/share/doc/admit/docs"
install -d -m 0700 "$destdir$sysconfdir/admit/credentials"
if [ ! -e "$destdir$sysconfdir/admit/admit.toml" ]; then
  install -m 0640 "$here/etc/admit/admit.toml" "$destdir$sysconfdir/admit/admit.toml"
fi
echo "installed Admit under ${destdir:-/}$prefix"
