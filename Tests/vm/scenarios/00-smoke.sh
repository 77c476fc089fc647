#!/usr/bin/env bash
# 00-smoke: the VM's devices work the way the later scenarios rely on.
#
#   - a virtual USB scanner (uinput) appears as /dev/input/eventN, udev knows it and
#     a udev rule can match it;
#   - what it types arrives through evdev, key code by key code, with its timing;
#   - an exclusive grab (EVIOCGRAB) hides the typing from every other reader;
#   - plugging and unplugging it produces udev hotplug events;
#   - a simulated GPIO chip (gpio-sim) with named lines can be made, an output driven
#     through the GPIO character device can be read back, an input can be pulled;
#   - pseudo terminals (for serial scanner tests) can be opened.
source "$VM_REPO/Tests/vm/lib/guest.sh"

SCANNER="Admit Test Scanner"

# --- A virtual scanner appears, and udev sees it ----------------------------------------
check "/dev/uinput is there" test -c /dev/uinput

# A rule of the kind Admit's udev rules will use: a uinput device has no USB parent,
# so it matches on the input device's own id attributes.
cat >"$VM_WORK/90-smoke-scanner.rules" <<'EOF'
SUBSYSTEM=="input", KERNEL=="event*", ATTRS{id/vendor}=="0c2e", ATTRS{id/product}=="0b61", ENV{SMOKE_SCANNER}="1"
EOF
check "extra udev rules installed" udev_rules "$VM_WORK/90-smoke-scanner.rules"

# German layout, with a 300 ms stall after 3 characters. --wait-signal: the scanner
# exists but types only when we send SIGUSR1, i.e. once our reader is listening.
# --hold-ms: the device stays until we stop it, so no reader loses queued events.
spawn scanner vscanner --wait-signal --hold-ms 60000 --layout de --delay-ms 5 \
    --stall-after 3 --stall-ms 300 'Zy-09'
created=$(wait_line scanner '^created ' 10) || fail_now "vscanner did not create a device"
node=${created#created }
check "$node is a character device" test -c "$node"
check_eq "found by name in sysfs" "$node" "$(input_node_by_name "$SCANNER")"

udevadm settle --timeout=10
props=$(udevadm info --query=property --name="$node")
echo "$props"
check_contains "udev: ID_INPUT_KEYBOARD=1 (udevd classified it)" "$props" "ID_INPUT_KEYBOARD=1"
check_contains "udev: DEVNAME" "$props" "DEVNAME=$node"
check_contains "udev: our rule matched on ATTRS{id/vendor}/{id/product}" "$props" "SMOKE_SCANNER=1"
attrs=$(udevadm info --attribute-walk --name="$node")
check_contains "udev: ATTRS{name}" "$attrs" "ATTRS{name}==\"$SCANNER\""
check_contains "udev: ATTRS{id/vendor} (a uinput device has no USB parent)" "$attrs" 'ATTRS{id/vendor}=="0c2e"'
check_contains "udev: ATTRS{id/product}" "$attrs" 'ATTRS{id/product}=="0b61"'

# --- Typing arrives through evdev ------------------------------------------------------
# 'Zy-09' + Enter as a German-layout host needs it: Shift+KEY_Y (42 21), KEY_Z (44),
# KEY_SLASH (53), KEY_0 (11), KEY_9 (10), KEY_ENTER (28): 7 key presses.
spawn reader grabcheck --window-ms 30000 --count 7 "$node"
ready=$(wait_line reader '^ready ' 10) || fail_now "grabcheck did not open $node"
check_contains "evdev id: USB bus, vendor, product" "$ready" "bus=0x0003 vendor=0x0c2e product=0x0b61"
kill -USR1 "$(pid_of scanner)"
check "reader saw key events" wait_exit reader 20
stop scanner
downs=$(output_of reader | awk '$1 == "down" { printf "%s%s", sep, $2; sep = " " }')
check_eq "de layout key codes for 'Zy-09' + Enter" "42 21 44 53 11 10 28" "$downs"
# The stall sits between the 3rd character ('-', KEY_SLASH) and the 4th ('0').
stall=$(output_of reader | awk '$1 == "down" && $2 == 53 { a = substr($3, 2) }
                                $1 == "down" && $2 == 11 { b = substr($3, 2) } END { print b - a }')
check_ge "the 300 ms stall shows in event times (ms)" 290 "$stall"

# --- An exclusive grab hides the typing from others -----------------------------------------
spawn scanner2 vscanner --wait-signal --hold-ms 60000 --layout us 0123456789
node=$(wait_line scanner2 '^created ' 10) || fail_now "second vscanner did not create a device"
node=${node#created }
spawn grabber grabcheck --grab --window-ms 60000 "$node"
spawn bystander grabcheck --window-ms 60000 "$node"
wait_line grabber '^ready .*grab=yes' 10 >/dev/null || fail_now "grabber did not grab $node"
wait_line bystander '^ready ' 10 >/dev/null || fail_now "bystander did not open $node"
kill -USR1 "$(pid_of scanner2)"
# Once vscanner says "typed", every event is queued at the readers (uinput delivers
# synchronously); stopping them then loses nothing, and the grab holds until then.
wait_line scanner2 '^typed ' 20 >/dev/null || fail_now "second vscanner did not type"
stop bystander
stop grabber
stop scanner2
check_eq "grabber got all 11 presses and releases (10 digits + Enter)" "keys_down=11 key_events=22" \
    "$(output_of grabber | grep '^keys_down=')"
check_eq "bystander got nothing while grabbed" "keys_down=0 key_events=0" \
    "$(output_of bystander | grep '^keys_down=')"

# --- Hotplug: udev events for plug and unplug ------------------------------------------------
spawn monitor udevadm monitor --udev --subsystem-match=input
wait_line monitor '^UDEV - the event' 10 >/dev/null || fail_now "udevadm monitor did not start"
spawn replug vscanner --replug 3 --hold-ms 200 --gap-ms 200
check "vscanner --replug 3 ran" wait_exit replug 20
udevadm settle --timeout=10
wait_for 5 eval '[ "$(output_of monitor | grep -cE " remove .*/event[0-9]+ \(input\)")" -ge 3 ]'
stop monitor
check_eq "3 udev 'add' events for event nodes" 3 \
    "$(output_of monitor | grep -cE ' add .*/event[0-9]+ \(input\)')"
check_eq "3 udev 'remove' events for event nodes" 3 \
    "$(output_of monitor | grep -cE ' remove .*/event[0-9]+ \(input\)')"

# --- A simulated GPIO chip with the kiosk's lines ----------------------------------------------
chip=$(gpiosim_create admit 8 relay green red buzzer passage) || fail_now "gpio-sim chip not created"
note "gpio-sim chip admit is $chip"
check "$chip is a character device" test -c "$chip"
values=
for i in 0 1 2 3 4 5 6 7; do values+=$(gpiosim_value admit $i); done
check_eq "all 8 lines readable, idle low" 00000000 "$values"
lines=$(gpiotool list "$chip" | awk '{ printf "%s%s", sep, $2; sep = " " }')
check_eq "line names seen through the GPIO chardev" "relay green red buzzer passage - - -" "$lines"

# Drive "relay" high through the chardev (as admitd will) and read it back in sysfs.
spawn relay gpiotool set "$chip" relay 1 3000
wait_line relay '^set$' 10 >/dev/null || fail_now "gpiotool could not drive relay"
check_eq "relay driven high reads back 1" 1 "$(gpiosim_value admit 0)"
check_contains "relay line shows its consumer" "$(gpiotool list "$chip")" "0 relay gpiotool output"
check_eq "other outputs unaffected (green)" 0 "$(gpiosim_value admit 1)"
stop relay
# An input: the turnstile's passage sensor, pulled high from outside.
gpiosim_pull admit 4 up
check_eq "passage pulled up reads 1" 1 "$(gpiosim_value admit 4)"
gpiosim_pull admit 4 down
check_eq "passage pulled down reads 0" 0 "$(gpiosim_value admit 4)"
check "gpio-sim chip removed" gpiosim_remove admit

# --- Pseudo terminals ------------------------------------------------------------------
check "/dev/ptmx is there" test -c /dev/ptmx
shopt -s nullglob
before=(/dev/pts/[0-9]*)
exec {pty}<>/dev/ptmx                  # opening the master creates /dev/pts/N
after=(/dev/pts/[0-9]*)
exec {pty}>&-
check_eq "opening /dev/ptmx creates a /dev/pts entry" $(( ${#before[@]} + 1 )) "${#after[@]}"
