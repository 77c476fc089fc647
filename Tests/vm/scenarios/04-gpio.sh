#!/usr/bin/env bash
# 04-gpio: admitd drives the turnstile through a simulated GPIO chip (gpio-sim).
#
#   - relay (active_low, as on most relay boards): idle high; after a GRANTED it reads
#     active (low) for the pulse, then inactive again;
#   - a DENIED lights the red line and never moves the relay;
#   - the passage sensor, an input driven through the sim's pull attribute, is seen:
#     the GRANTED visitor counts as passed (admit_passages_total{result="passed"}).
# The lines are read back in sysfs by a watcher that logs every change with its time.
# Barcodes come from a serial scanner on a pty (written by bash, no program start):
# `admitctl scan` would cost ~10 s of emulated Swift start-up per scan.
# vm-timeout: 120
source "$VM_REPO/Tests/vm/lib/guest.sh"

chip=$(gpiosim_create admit 8 relay green red buzzer passage) || fail_now "gpio-sim chip not created"
note "gpio-sim chip $chip"
PULSE_MS=1500 RED_MS=1500

mkfifo "$VM_WORK/uart"
# Read-write: opening one end of a fifo alone would block until the other is opened.
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
pulse_ms = $PULSE_MS

[output.red]
chip = "$chip"
line = "red"
on_ms = $RED_MS

[input.passage]
chip = "$chip"
line = "passage"
edge = "rising"
passage_timeout_s = 30
EOF2
admit_start admitd "$D" || fail_now "admitd did not start"
check_contains "outputs in use" "$(output_of admitd)" "outputs: "

W=$VM_WORK/lines.log
spawn watcher watch_lines "$W" admit 0 2      # 0 relay, 2 red
wait_line watcher '^ready' 10 >/dev/null
wait_for 5 test -s "$W"
check_eq "relay idle: inactive, i.e. high (active_low)" 1 "$(gpiosim_value admit 0)"
check_eq "red idle: off" 0 "$(gpiosim_value admit 2)"

# changes LINE [AFTER_MS]: "MS VALUE" lines of the watcher for LINE, after AFTER_MS.
changes() { awk -v l="$1" -v t="${2:-0}" '$2 == l && $1 > t { print $1, $3 }' "$W"; }

# --- GRANTED: the relay pulses -------------------------------------------------------
V=$(demo_barcode 6)
wait_line admitd "side: opened $pty" 30 >/dev/null || fail_now "admitd did not open the pty"
printf '%s\r' "$V" >&$uart
check "scan $V is GRANTED" wait_line admitd "GRANTED +$V " 30
gpiosim_pull admit 4 up                      # the visitor turns the turnstile
wait_for 10 eval '[ "$(changes 0 | wc -l)" -ge 3 ]'   # start, active, inactive
relay=$(changes 0)
log "relay changes: $relay"
check_eq "relay: idle high, active (low), inactive (high) again" "1 0 1" \
    "$(echo "$relay" | awk '{ printf "%s%s", sep, $2; sep = " " }')"
pulse=$(echo "$relay" | awk 'NR == 2 { a = $1 } NR == 3 { print $1 - a }')
# (sampled every few ms by an emulated CPU: allow 100 ms either way of sampling error)
check_ge "relay pulse at least pulse_ms ($PULSE_MS ms) long (ms)" $((PULSE_MS - 100)) "$pulse"
[ "${pulse:-99999}" -le $((PULSE_MS + 1000)) ] && pass "relay pulse ends within 1 s after pulse_ms ($pulse ms)" ||
    fail "relay pulse too long: $pulse ms"
check_eq "red stayed off on the GRANTED" "0" "$(changes 2 | awk '{ print $2 }' | sort -u | tr -d '\n')"

passed() { admitctl_at "$D" metrics | awk '/^admit_passages_total/ && /result="passed"/ { print $2 }'; }
check_eq "passage input seen: admit_passages_total{result=\"passed\"}" 1 "$(passed)"
gpiosim_pull admit 4 down

# --- DENIED: red, never the relay --------------------------------------------------
now_ms; t_deny=$NOW_MS
printf '%s\r' 99999999 >&$uart
check "unknown barcode is DENIED" wait_line admitd "DENIED +99999999 " 30
wait_for 10 eval '[ "$(changes 2 "$t_deny" | wc -l)" -ge 2 ]'
red=$(changes 2 "$t_deny")
log "red changes: $red"
check_eq "red: on, then off after on_ms" "1 0" "$(echo "$red" | awk '{ printf "%s%s", sep, $2; sep = " " }')"
on=$(echo "$red" | awk 'NR == 1 { a = $1 } NR == 2 { print $1 - a }')
check_ge "red lit at least on_ms (ms)" $((RED_MS - 100)) "$on"
check_eq "relay never moved after the DENIED" "" "$(changes 0 "$t_deny")"
check_eq "relay inactive (high) at the end" 1 "$(gpiosim_value admit 0)"

stop admitd
stop watcher
gpiosim_remove admit || true
