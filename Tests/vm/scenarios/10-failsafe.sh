#!/usr/bin/env bash
# 10-failsafe: a crash of admitd in the middle of a relay pulse leaves the turnstile locked.
#
# The relay is wired as README "Wiring the relay fail-locked" says: active_low board, the
# line pulled up (the board's pull-up, here the sim's pull), so a line nobody holds reads
# high = relay released = turnstile locked. admitd is given a 10 s pulse (the longest allowed), a GRANTED
# energizes the relay, and admitd is killed with SIGKILL (no stop, no deinit): the kernel
# releases the line with the dead process's request fd and the line must go back to
# inactive at once, not after the pulse.
# vm-timeout: 120
source "$VM_REPO/Tests/vm/lib/guest.sh"

chip=$(gpiosim_create failsafe 2 relay passage) || fail_now "gpio-sim chip not created"
note "gpio-sim chip $chip"
gpiosim_pull failsafe 0 up                 # the relay board's pull-up on the input

mkfifo "$VM_WORK/uart"
exec {uart}<>"$VM_WORK/uart"
spawn uart ptyfeed --hold-ms 600000 --from "$VM_WORK/uart"
pty=$(wait_line uart '^pty ' 10) || fail_now "no pty"
pty=${pty#pty }

D=$VM_WORK/admit
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
active_low = true
pulse_ms = 10000
EOF2
check_eq "relay before admitd: released by the pull-up (high)" 1 "$(gpiosim_value failsafe 0)"
admit_start admitd "$D" || fail_now "admitd did not start"
check_eq "relay idle under admitd: inactive (high)" 1 "$(gpiosim_value failsafe 0)"

V=$(demo_barcode 3)
wait_line admitd "side: opened $pty" 30 >/dev/null || fail_now "admitd did not open the pty"
printf '%s\r' "$V" >&$uart
check "scan $V is GRANTED" wait_line admitd "GRANTED +$V " 30
check "relay energized (low) for the 10 s pulse" wait_for 10 eval '[ "$(gpiosim_value failsafe 0)" = 0 ]'

now_ms; t_kill=$NOW_MS
kill -9 "$(pid_of admitd)"
wait_exit admitd 10 >/dev/null 2>&1 || true
check "admitd is gone" eval '! kill -0 '"$(pid_of admitd)"' 2>/dev/null'
check "relay back to inactive (high) after SIGKILL, mid-pulse" wait_for 3 eval '[ "$(gpiosim_value failsafe 0)" = 1 ]'
now_ms; note "relay released $((NOW_MS - t_kill)) ms after the kill (the pulse had up to 10 s to go)"

# Without the pull-up the released line floats to the sim's default pull-down: on an
# active_low board that would energize the relay. This is why README asks for the pull-up.
gpiosim_pull failsafe 0 down
note "released line with pull-down reads $(gpiosim_value failsafe 0) (0 = an active_low relay would be energized)"

gpiosim_remove failsafe || true
