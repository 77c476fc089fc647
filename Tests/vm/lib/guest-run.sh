#!/bin/bash
# Tests/vm/lib/guest-run.sh — the scenario runner, INSIDE the VM.
#
# /init has chrooted into the host's / (read-only) and started us with VM_RESULTS
# pointing at the writable share, where run.sh left run.env (what to run). We:
#   1. start udevd, so devices get their udev properties and hotplug events, as on a
#      real kiosk (systemd is not running in the VM: udevd alone is enough);
#   2. run each scenario with a time limit, its output in <results>/NAME.log;
#   3. write <results>/NAME.result (PASS/FAIL, duration, check lines) for the host;
#   4. write <results>/guest.info (boot and udev timings, guest memory) and return:
#      /init then powers the VM off.
set -u
. "$VM_RESULTS/run.env"        # VM_REPO VM_BIN VM_SCENARIOS VM_SCENARIO_TIMEOUT ADMIT_BIN VM_BOOT
source "$VM_REPO/scripts/lib/fail-loudly.sh"   # a failing command names itself on the console
export VM_REPO VM_BIN VM_RESULTS ADMIT_BIN VM_BOOT
VM_SCENARIO=runner
source "$VM_REPO/Tests/vm/lib/guest.sh"

say() { echo "guest: $*"; }     # goes to the VM console (the host's console.log)
ms_since() { now_ms; echo $(( NOW_MS - $1 )); }

read -r boot_s _ </proc/uptime
say "kernel up for ${boot_s} s; starting udevd"

# 1. udevd. It refuses to act inside a chroot unless told that this is intended.
export SYSTEMD_IGNORE_CHROOT=1
now_ms; t=$NOW_MS
udevd=$(command -v systemd-udevd || echo /lib/systemd/systemd-udevd)
"$udevd" --daemon --resolve-names=never
# Replay the "add" events of the devices that exist since boot, so udev's database
# knows them too, and wait until udevd has processed them all.
udevadm trigger --action=add
udevadm settle --timeout=60 || say "udevadm settle timed out"
udev_ms=$(ms_since "$t")
say "udev ready in ${udev_ms} ms"

# run.sh --shell: an interactive shell on the serial console instead of scenarios.
# setsid -c makes ttyS0 its controlling terminal, so Ctrl-C and job control work.
if [ "${VM_SHELL:-no}" = yes ]; then
    say "shell: the test tools are on PATH, helpers: source \$VM_REPO/Tests/vm/lib/guest.sh"
    export PATH=$VM_BIN:$PATH PS1='vm# '
    setsid -c bash --norc -i <>/dev/ttyS0 >&0 2>&0
    exit 0
fi

# 2./3. The scenarios.
for name in $VM_SCENARIOS; do
    script=$VM_REPO/Tests/vm/scenarios/$name.sh
    # A scenario may ask for a longer limit with a line "# vm-timeout: SECONDS".
    limit=$VM_SCENARIO_TIMEOUT
    while read -r line; do
        [[ $line =~ ^#\ vm-timeout:\ *([0-9]+) ]] && { limit=${BASH_REMATCH[1]}; break; }
    done <"$script"
    # Boot 2 continues a scenario that had the VM's power cut (see run.sh): its checks
    # and log from boot 1 are kept and added to.
    if [ "${VM_BOOT:-1}" = 1 ]; then : >"$VM_RESULTS/$name.details"; : >"$VM_RESULTS/$name.log"; fi
    say "running $name (boot ${VM_BOOT:-1}, limit ${limit} s)"
    now_ms; t=$NOW_MS
    VM_SCENARIO=$name VM_DETAILS=$VM_RESULTS/$name.details \
        timeout -k 5 "$limit" bash "$script" >>"$VM_RESULTS/$name.log" 2>&1 </dev/null
    rc=$?
    ms=$(ms_since "$t")
    [ "$rc" = 124 ] && echo "not ok - timed out after ${limit} s" >>"$VM_RESULTS/$name.details"
    status=$(write_result "$name" "$rc" "$ms")
    say "$name: $status (${ms} ms)"
done

# 4. Facts for the host's summary.
mem_used_kb=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { print t - a }' /proc/meminfo)
cat >"$VM_RESULTS/guest.info" <<EOF
boot_s=$boot_s
udev_ms=$udev_ms
mem_used_kb=$mem_used_kb
EOF
udevadm control --exit 2>/dev/null || true
