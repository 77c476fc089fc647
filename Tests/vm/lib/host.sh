# Shared by setup.sh and run.sh on the host. Sourced, never executed.
#
# Every path is derived from where this file lives, so the harness works from any
# clone and any current directory: Tests/vm/lib/host.sh -> the repository is three
# levels up. Downloads and build output go to <repo>/.cache/vm (gitignored), never
# into the repository itself and never into the host's /boot or /lib/modules.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # <repo>/Tests/vm
REPO_ROOT=$(cd "$VM_DIR/../.." && pwd)
CACHE=${VM_CACHE:-$REPO_ROOT/.cache/vm}
# A failing command names its script, line and command (see that file).
source "$REPO_ROOT/scripts/lib/fail-loudly.sh"

# setup.sh writes this file last, once everything it lists exists. run.sh reads it
# to find the kernel, the initramfs and the test tools.
READY_ENV=$CACHE/ready.env

# Seconds since the script started, for progress lines ("[  4.2s] ...").
VM_T0=${VM_T0:-$(date +%s%N)}
say() {
    local now=$(date +%s%N)
    printf '[%5.1fs] %s\n' "$(( (now - VM_T0) / 1000000 ))e-3" "$*" >&2
}
die() { say "ERROR: $*"; exit 1; }
