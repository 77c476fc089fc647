#!/usr/bin/env bash
# 07-fulldisk: the state folder fills up (a 2 MB tmpfs, filled by a file) while the gate
# runs. A scan that cannot be recorded must not let anyone in: it is refused with "cannot
# record the scan", the ticket stays unused, and status turns red and says why. Once space
# is freed the same ticket is admitted, and what was recorded before is still there.
# vm-timeout: 90
source "$VM_REPO/Tests/vm/lib/guest.sh"

D=$VM_WORK/admit
mkdir -p "$D"
mount -t tmpfs -o size=2m admit-small "$D" || fail_now "cannot mount a small tmpfs"
admit_config "$D"
admit_start admitd "$D" || fail_now "admitd did not start"
pass "admitd runs with its state on a 2 MB tmpfs"

V1=$(demo_barcode 0) V2=$(demo_barcode 1)
check_contains "a scan with space left is GRANTED" "$(admitctl_at "$D" scan "$V1")" "GRANTED"

# Fill the file system to the last block.
dd if=/dev/zero of="$D/filler" bs=4k status=none 2>/dev/null || true
note "free after filling: $(df -k "$D" | awk 'NR == 2 { print $4 }') kB"

out=$(admitctl_at "$D" scan "$V2"); rc=$?
check_contains "a scan that cannot be recorded is refused" "$out" "DENIED"
check_contains "... and says why" "$out" "cannot record the scan"
check_eq "admitctl scan exits 1 for it" 1 "$rc"
status=$(admitctl_at "$D" status --json)
check_eq "status is red" red "$(jq -r .health <<<"$status")"
check_contains "status says the journal cannot be written" "$(jq -r .health_reason <<<"$status")" "cannot record"

rm -f "$D/filler"
check_contains "with space again, the same ticket is GRANTED (the refused scan used nothing)" \
    "$(admitctl_at "$D" scan "$V2")" "GRANTED"
reason=$(admitctl_at "$D" status --json | jq -r .health_reason)
check "status no longer says it cannot record ($reason)" test "${reason#cannot record}" = "$reason"
check_contains "the ticket admitted before the disk filled stays used" "$(admitctl_at "$D" scan "$V1")" "already used"
stop admitd
umount "$D"
