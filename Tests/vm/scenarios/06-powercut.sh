#!/usr/bin/env bash
# 06-powercut: a hard power-off of the VM in the middle of scanning loses no scan, and the
# gate that comes back knows every ticket it let in and still gets each scan to the
# backend, once.
#
# Boot 1: admitd keeps its state on a real block device (virtio disk, ext4) and loads the
# demo event from eventyay's fake (admit-fake, its own process on the guest's loopback).
# Then the fake stops (the venue's uplink is down): every scan from now on waits in the
# journal for upload. A serial scanner (pty) sends one valid barcode after the other;
# each time the relay line (gpio-sim) goes active, the barcode is written to the results
# share, which is on the host and outlives the VM. After the first grants the scenario
# asks run.sh for a power cut: qemu is killed with SIGKILL a random 1-3 s later, while
# scanning goes on (no shutdown, no sync: what the guest kernel had not written to the
# disk is lost).
# Boot 2 (VM_BOOT=2, run.sh boots again for this scenario): mounts the disk (ext4 replays
# its journal), opens journal.sqlite with the sqlite3 CLI (SQLite recovers its WAL) and
# looks for every signalled barcode among the GRANTED scans. Then what the record is for:
# the fake comes back (knowing nothing of boot 1), admitd starts on the same state, every
# ticket signalled before the cut is DENIED "already used", and once the outbox is empty
# the fake has exactly one check-in for each of them, none twice.
source "$VM_REPO/Tests/vm/lib/guest.sh"

DISK=/dev/vda
MNT=/run/admit-disk
SIGNALLED=$VM_RESULTS/06-powercut.signalled
mkdir -p "$MNT"
wait_for 10 test -b "$DISK" || fail_now "no $DISK (the state disk)"
mount -t ext4 "$DISK" "$MNT" || fail_now "cannot mount $DISK"
D=$MNT/admit
ip link set lo up || fail_now "cannot bring up loopback (the fake backend listens on 127.0.0.1)"
FAKE_PORT=18086

# start_uart: a serial scanner on a pty (ptyfeed), written through $uart; its path in $pty.
start_uart() {
    mkfifo "$VM_WORK/uart"
    # Read-write: opening one end of a fifo alone would block until the other is opened.
    exec {uart}<>"$VM_WORK/uart"
    spawn uart ptyfeed --hold-ms 600000 --from "$VM_WORK/uart"
    pty=$(wait_line uart '^pty ' 10) || fail_now "no pty"
    pty=${pty#pty }
}

# start_backend: eventyay's fake of the demo event on 127.0.0.1:$FAKE_PORT, as process "fake".
start_backend() {
    spawn fake "$ADMIT_BIN/admit-fake" eventyay --port "$FAKE_PORT" --key vm-key
    wait_line fake '^listening ' 30 >/dev/null || fail_now "the fake backend did not start"
}

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
    pending=$(sqlite3 "$D/state/journal.sqlite" "SELECT count(*) FROM scan WHERE state = 0" 2>/dev/null) ||
        pending=?
    note "scans waiting for upload after the cut: $pending"

    # The gate again, on the same state, with its backend back. The serial scanner is a
    # new pty now; barcodes go in through it (an admitctl call costs ~10 s of emulated
    # start-up, so there are only two: the decisions and the outbox, at the end).
    start_backend
    start_uart
    chip=$(gpiosim_create cut 4 relay) || fail_now "gpio-sim chip not created"
    sed -i -e "s|^path = \".*\"|path = \"$pty\"|" -e "s|^chip = \".*\"|chip = \"$chip\"|" "$D/admit.toml"
    admit_start admitd "$D" || fail_now "admitd did not start on the state from before the cut"
    wait_line admitd "side: opened $pty" 30 >/dev/null || fail_now "admitd did not open the pty"
    # One at a time, as a scanner reads them. (All at once, in one 180-byte burst, lost two
    # of 13 once: noted in the issue, not yet understood.)
    n=0
    for b in "${signalled[@]}"; do
        printf '%s\r' "$b" >&$uart
        n=$((n + 1))
        wait_count admitd "$DECISION_RE" "$n" 30 || fail "$b was not decided after the cut"
    done
    expected=$(for b in "${signalled[@]}"; do echo "side $b DENIED already_used"; done)
    check_eq "every ticket GRANTED before the cut is DENIED already used after it" "$expected" \
        "$(decisions_at "$D" | grep -v '^side [^ ]* GRANTED -$' | tail -n "${#signalled[@]}")"
    # Every GRANTED of the journal reaches the backend once it is back.
    journal_granted=$(echo "$granted" | grep -c .)
    wait_count fake '^checkin ' "$journal_granted" 90 || fail "not every GRANTED scan reached the backend"
    check_eq "nothing waits for upload any more" 0 "$(admitctl_at "$D" status --json | jq -r .pending_scans)"
    stop admitd
    stop fake
    wait_line fake '^checkins ' 10 >/dev/null || fail "the fake did not report its check-ins"
    for b in "${signalled[@]}"; do
        check_eq "$b checked in once at the backend" 1 "$(count_lines fake "^checkin $b ")"
    done
    check_eq "no nonce checked in twice" "" \
        "$(sed -n 's/^checkin [^ ]* nonce=\([^ ]*\) .*/\1/p' "$VM_WORK/fake.out" | sort | uniq -d | tr '\n' ' ')"
    umount "$MNT"
    exit 0
fi

# --- Boot 1 ------------------------------------------------------------------------
: >"$SIGNALLED"
dd if=/dev/urandom of="$MNT/control.bin" bs=4k count=8 conv=fsync status=none
sha256sum <"$MNT/control.bin" | cut -c1-16 >"$VM_RESULTS/06-powercut.control.sum"
chip=$(gpiosim_create cut 4 relay) || fail_now "gpio-sim chip not created"
relay=$(gpiosim_line_dir cut 0)/value

start_uart

start_backend
mkdir -p "$D/state"
echo vm-key >"$D/eventyay-key"
cat >"$D/admit.toml" <<EOF2
[gate]
name = "vm"
direction = "in"
state_dir = "$D/state"
control_socket = "$D/control.sock"
debounce_s = 0

[backend]
kind = "eventyay"
url = "http://127.0.0.1:$FAKE_PORT"
organizer = "demoorga"
event = "democon"
key_file = "$D/eventyay-key"
sync_interval_s = 3600
flush_interval_s = 1

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
# On the disk like an installed gate's configuration, which was written long before: put it
# there for good now, or the power cut takes it with it (ext4 writes a new file's data
# late; seen on a fresh machine: boot 2 found admit.toml empty).
sync
admit_start admitd "$D" || fail_now "admitd did not start"
wait_line admitd "side: opened $pty" 30 >/dev/null || fail_now "admitd did not open the pty"
pass "admitd runs with its state on $DISK"
check_ge "the demo event was loaded from the fake" 4000 "$(admitctl_at "$D" status --json | jq -r '.tickets // 0')"
# The uplink goes down: from here on every scan waits in the journal.
stop fake

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
