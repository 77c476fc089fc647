#!/usr/bin/env bash
# 05-serial: a serial scanner on a pseudo terminal inside the VM. ptyfeed plays the
# scanner's UART (the pty master); admitd opens the slave as it would /dev/ttyACM0
# (raw, 8N1) and decides CR-terminated frames: valid, used, unknown, an STX-started
# frame, and a partial frame cut by a pause that must not be decided.
# vm-timeout: 120
source "$VM_REPO/Tests/vm/lib/guest.sh"

mkfifo "$VM_WORK/uart"
# Read-write: opening one end of a fifo alone would block until the other is opened.
exec {uart}<>"$VM_WORK/uart"
spawn uart ptyfeed --hold-ms 60000 --from "$VM_WORK/uart"
pty=$(wait_line uart '^pty ' 10) || fail_now "no pty"
pty=${pty#pty }
note "scanner pty: $pty"

D=$VM_WORK/admit
admit_config "$D"
cat >>"$D/admit.toml" <<EOF2

[[scanner]]
kind = "serial"
name = "side"
path = "$pty"
baud = 9600
terminator = "cr"
timeout_ms = 100
EOF2
admit_start admitd "$D" || fail_now "admitd did not start"
check "admitd opened $pty" wait_line admitd "side: opened $pty at 9600 baud" 30

V1=$(demo_barcode 8) V2=$(demo_barcode 12)
decided=0
send() {   # send WHAT BYTES DECISIONS: write BYTES to the UART, wait for DECISIONS more
    printf '%b' "$2" >&$uart
    decided=$((decided + $3))
    check "$1" wait_count admitd "$DECISION_RE" "$decided" 30
}
send "valid barcode decided" "$V1\r" 1
send "the same again decided" "$V1\r" 1
send "unknown barcode decided" "88888888\r" 1
send "STX-framed barcode decided" "\x02$V2\r" 1
# A partial frame, a pause longer than timeout_ms, then only the terminator: dropped.
printf '%s' "4006381" >&$uart
nap 0.5
printf '\r' >&$uart
nap 1
check_eq "a frame cut by a pause is not decided" "$decided" "$(count_lines admitd "$DECISION_RE")"

expected="side $V1 GRANTED -
side $V1 DENIED already_used
side 88888888 DENIED unknown_ticket
side $V2 GRANTED -"
actual=$(decisions_at "$D")
check_eq "decisions on the control socket (recent --json)" "$expected" "$actual"
exec {uart}>&-
stop admitd
