#!/usr/bin/env bash
# 03-grab: while admitd holds the scanner (EVIOCGRAB), a second reader on the same
# event device sees no key events, so a barcode never also lands on a console or in
# another program. Control: once admitd has stopped, the same reader sees the keys.
# vm-timeout: 120
source "$VM_REPO/Tests/vm/lib/guest.sh"

D=$VM_WORK/admit
admit_config "$D"
cat >>"$D/admit.toml" <<'EOF2'

[[scanner]]
kind = "evdev"
name = "front"
match = { vendor = "0c2e", product = "0b61" }
EOF2
admit_start admitd "$D" || fail_now "admitd did not start"
V=$(demo_barcode 5)

spawn scanner vscanner --wait-signal --hold-ms 60000 --delay-ms 2 "$V"
node=$(wait_line scanner '^created ' 10) || fail_now "no scanner device"
node=${node#created }
check "admitd attached and grabbed $node" wait_line admitd ": attached $node .*grabbed" 30
spawn bystander grabcheck --window-ms 60000 "$node"
wait_line bystander '^ready ' 10 >/dev/null || fail_now "bystander did not open $node"
kill -USR1 "$(pid_of scanner)"
check "admitd decided the barcode" wait_line admitd "GRANTED +$V " 30
stop bystander
check_eq "the bystander saw no key events while admitd held the grab" "keys_down=0 key_events=0" \
    "$(output_of bystander | grep '^keys_down=')"
stop scanner

# Control: without admitd the same kind of reader does see the typing.
stop admitd
spawn scanner2 vscanner --wait-signal --hold-ms 60000 --delay-ms 2 "$V"
node=$(wait_line scanner2 '^created ' 10) || fail_now "no second scanner device"
node=${node#created }
spawn reader grabcheck --window-ms 60000 --count 14 "$node"
wait_line reader '^ready ' 10 >/dev/null || fail_now "reader did not open $node"
kill -USR1 "$(pid_of scanner2)"
check "without admitd, the reader gets the 14 key presses" wait_exit reader 20
check_eq "14 presses (13 digits + Enter)" "keys_down=14" "$(output_of reader | grep -o 'keys_down=[0-9]*')"
stop scanner2
