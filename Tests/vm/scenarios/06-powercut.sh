#!/usr/bin/env bash
# 06-powercut: the journal survives a hard power-off of the VM in the middle of
# scanning. Every GRANTED that was signalled on the relay is in journal.sqlite after
# the next boot.
#
# Boot 1: admitd keeps its state on a real block device (virtio disk, ext4); a serial
# scanner (pty) sends one valid barcode after the other; each time the relay line
# (gpio-sim) goes active, the barcode is written to the results share, which is on
# the host and outlives the VM. Then the scenario asks run.sh for a power cut: qemu
# is killed with SIGKILL a random 1-3 s later, while scanning goes on (no shutdown,
# no sync: what the guest kernel had not written to the disk is lost).
# Boot 2 (VM_BOOT=2, run.sh boots again for this scenario): mounts the disk (ext4
# replays its journal), opens journal.sqlite with the sqlite3 CLI (SQLite recovers
# its WAL) and looks for every signalled barcode among the GRANTED scans.
# vm-timeout: 120
source "$VM_REPO/Tests/vm/lib/guest.sh"

DISK=/dev/vda
MNT=/run/admit-disk
SIGNALLED=$VM_RESULTS/06-powercut.signalled
mkdir -p "$MNT"
wait_for 10 test -b "$DISK" || fail_now "no $DISK (the state disk)"
mount -t ext4 "$DISK" "$MNT" || fail_now "cannot mount $DISK"
D=$MNT/admit

if [ "${VM_BOOT:-1}" = 2 ]; then
    pass "rebooted after the power cut; $DISK mounted"
    [ -f "$SIGNALLED" ] || fail_now "no list of signalled barcodes from boot 1"
    mapfile -t signalled <"$SIGNALLED"
    check_ge "GRANTED signalled on the relay before the power cut" 3 "${#signalled[@]}"
    check "journal.sqlite is there" test -f "$D/state/journal.sqlite"
    ls -la "$D/state"
    granted=$(sqlite3 "$D/state/journal.sqlite" "SELECT barcode FROM scan WHERE outcome = 'GRANTED' ORDER BY seq") ||
        fail "sqlite3 could not read the journal"
    # The control: a file written and fsync'ed by dd before admitd started. If it is
    # missing, the disk lost fsync'ed data (a harness problem), not admitd.
    check_eq "control file fsync'ed by dd in boot 1 survived" "$(<"$VM_RESULTS/06-powercut.control.sum")" \
        "$(sha256sum <"$MNT/control.bin" 2>/dev/null | cut -c1-16)"
    check_eq "journal integrity" ok "$(sqlite3 "$D/state/journal.sqlite" 'PRAGMA integrity_check')"
    note "journal: $(echo "$granted" | grep -c .) GRANTED scans; relay signalled ${#signalled[@]}"
    missing=()
    for b in "${signalled[@]}"; do
        grep -qx "$b" <<<"$granted" || missing+=("$b")
    done
    check_eq "every GRANTED signalled on the relay is in the journal" "" "${missing[*]}"
    umount "$MNT"
    exit 0
fi

# --- Boot 1 ------------------------------------------------------------------------
: >"$SIGNALLED"
dd if=/dev/urandom of="$MNT/control.bin" bs=4k count=8 conv=fsync status=none
sha256sum <"$MNT/control.bin" | cut -c1-16 >"$VM_RESULTS/06-powercut.control.sum"
chip=$(gpiosim_create cut 4 relay) || fail_now "gpio-sim chip not created"
relay=$(gpiosim_line_dir cut 0)/value

mkfifo "$VM_WORK/uart"
# Read-write: opening one end of a fifo alone would block until the other is opened.
exec {uart}<>"$VM_WORK/uart"
spawn uart ptyfeed --hold-ms 600000 --from "$VM_WORK/uart"
pty=$(wait_line uart '^pty ' 10) || fail_now "no pty"
pty=${pty#pty }

admit_config "$D"
cat >>"$D/admit.toml" <<EOF2

[[scanner]]
kind = "serial"
name = "side"
path = "$pty"
terminator = "cr"

[output.relay]
chip = "$chip"
line = "relay"
pulse_ms = 200
EOF2
admit_start admitd "$D" || fail_now "admitd did not start"
wait_line admitd "side: opened $pty" 30 >/dev/null || fail_now "admitd did not open the pty"
pass "admitd runs with its state on $DISK"

# await_level VALUE SECONDS: polls the relay every ~5 ms (a pulse is 200 ms).
await_level() {
    local v; now_ms; local deadline=$(( NOW_MS + $2 * 1000 ))
    while read -r v <"$relay"; [ "$v" != "$1" ]; do
        now_ms; [ "$NOW_MS" -lt "$deadline" ] || return 1
        nap 0.005
    done
}
# Scan, and after the first few grants ask for the power cut; go on until it comes.
i=0 n=0
while :; do
    until demo_valid_index "$i"; do i=$((i + 1)); done
    b=$(demo_barcode "$i"); i=$((i + 1))
    printf '%s\r' "$b" >&$uart
    if await_level 1 10; then
        echo "$b" >>"$SIGNALLED"         # on the host now (9p, no guest cache)
        n=$((n + 1))
        [ "$n" = 3 ] && { log "asking for the power cut"; echo "$VM_SCENARIO $(( 1000 + RANDOM % 2000 ))" >"$VM_RESULTS/powercut"; }
        await_level 0 10 || fail "relay stuck active after $b"
    else
        fail "no relay pulse for $b"
    fi
    [ "$n" -lt 400 ] || fail_now "no power cut came"
done
