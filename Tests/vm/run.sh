#!/usr/bin/env bash
# Tests/vm/run.sh — run device scenarios in a qemu virtual machine.
#
#   bash Tests/vm/run.sh                 every scenario in Tests/vm/scenarios/
#   bash Tests/vm/run.sh smoke 00 ...    some (by name, number or file)
#   bash Tests/vm/run.sh --shell         an interactive shell in the VM (debugging)
#
# What happens: setup.sh makes sure the kernel, initramfs and tools are cached; qemu
# boots Debian's kernel by software emulation (no KVM here) with the host's / shared
# read-only as the VM's root; Tests/vm/initramfs/init chroots into it and runs
# lib/guest-run.sh, which starts udevd and runs the scenarios; each writes a result
# file into a writable shared folder; the VM powers off and this script prints the
# results. qemu's exit status says nothing about the tests: only the result files do.
#
# Environment: VM_TIMEOUT (whole VM, default 420 s), VM_SCENARIO_TIMEOUT (each, 120 s),
# VM_MEM (MB, 512), VM_SMP (virtual CPUs, 1), VM_VERBOSE=1 (show the console live).
# Exit status: 0 if every scenario passed, 1 otherwise, 2 on usage errors.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/host.sh"
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR   # (host.sh sets the same; stated here so this file says it)

VM_TIMEOUT=${VM_TIMEOUT:-420}
VM_SCENARIO_TIMEOUT=${VM_SCENARIO_TIMEOUT:-120}
VM_MEM=${VM_MEM:-512}
VM_SMP=${VM_SMP:-1}

# --- Which scenarios -------------------------------------------------------------------
shell=no
names=()
all=$(cd "$VM_DIR/scenarios" && ls -- *.sh 2>/dev/null | sed 's/\.sh$//' | LC_ALL=C sort)
for arg in "$@"; do
    case "$arg" in
        --shell) shell=yes; continue ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
    esac
    a=$(basename "$arg" .sh)
    # "00-smoke", "00" or "smoke" all name Tests/vm/scenarios/00-smoke.sh
    match=$(grep -E -x -- "$a|$a-.*|[0-9]+-$a" <<<"$all" || true)
    [ "$(grep -c . <<<"$match")" = 1 ] || {
        echo "run.sh: '$arg' names ${match:+more than one scenario:}${match:-no scenario}" >&2
        echo "scenarios: $(echo $all)" >&2
        exit 2
    }
    [[ " ${names[*]:-} " == *" $match "* ]] || names+=("$match")   # each once
done
[ ${#names[@]} -gt 0 ] || [ $shell = yes ] || read -r -a names <<<"$(echo $all)"
[ ${#names[@]} -gt 0 ] || [ $shell = yes ] || { echo "run.sh: no scenarios in $VM_DIR/scenarios" >&2; exit 2; }

# --- Kernel, initramfs, tools ------------------------------------------------------------
# --quick: reuse the cached kernel without asking apt (seconds, no network); a
# missing cache is built from scratch.
bash "$VM_DIR/setup.sh" --quick
source "$READY_ENV"

# --- The run folder --------------------------------------------------------------------
# <cache>/runs/<time>/ holds console.log (everything the VM printed) and results/,
# the folder the VM writes into. The last 10 runs are kept for looking into.
RUN=$CACHE/runs/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$RUN/results"
find "$CACHE/runs" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' | LC_ALL=C sort |
    head -n -10 | xargs -r rm -rf
ln -sfn "$RUN" "$CACHE/runs/latest"

# The host-built admitd/admitctl the scenarios run (the VM sees the host's files).
if [ -z "${ADMIT_BIN:-}" ]; then
    ADMIT_BIN=$(cd "$REPO_ROOT" && swift build --show-bin-path 2>/dev/null) || ADMIT_BIN=$REPO_ROOT/.build/debug
fi
[ -x "$ADMIT_BIN/admitd" ] && [ -x "$ADMIT_BIN/admitctl" ] ||
    say "warning: no admitd/admitctl in $ADMIT_BIN (run 'swift build' first); scenarios with admitd will fail"

# A small disk for state that must survive a power cut (scenario 06): ext4 on a raw
# image, the guest's /dev/vda. Made on the host, fresh for every run.
DISK=$RUN/disk.img
truncate -s 64M "$DISK"
PATH=$PATH:/sbin:/usr/sbin mkfs.ext4 -q -F -L admit-vm "$DISK"

# What the guest runs, as shell assignments (read by /bin/sh and bash alike).
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
write_run_env() {   # write_run_env BOOT SCENARIOS
    cat >"$RUN/results/run.env" <<EOF
VM_REPO=$(sq "$REPO_ROOT")
VM_BIN=$(sq "$VM_BIN")
VM_SCENARIOS=$(sq "$2")
VM_SCENARIO_TIMEOUT=$(sq "$VM_SCENARIO_TIMEOUT")
VM_SHELL=$shell
VM_BOOT=$1
ADMIT_BIN=$(sq "$ADMIT_BIN")
EOF
}
write_run_env 1 "${names[*]:-}"
# /init runs results/guest.sh when the kernel command line names no script.
cat >"$RUN/results/guest.sh" <<'EOF'
. /run/vm-results/run.env
exec /bin/bash "$VM_REPO/Tests/vm/lib/guest-run.sh"
EOF

# --- Boot ---------------------------------------------------------------------------------
#   -accel tcg         software emulation: KVM is not usable on these machines
#   -kernel/-initrd    boot Linux directly, no disk and no boot loader
#   -append            console on the first serial port; quiet; panic=-1 reboots at
#                      once on a panic, and -no-reboot turns that reboot into an exit;
#                      cryptomgr.notests skips the kernel's crypto self-tests (~1 s
#                      of emulated boot time spent on nothing the tests use)
#   -virtfs hostroot   the host's / read-only (multidevs=remap keeps inode numbers of
#                      different host file systems apart; without it /proc breaks)
#   -virtfs results    the run's results/ folder, writable
#   -drive             the state disk (virtio, /dev/vda in the guest)
#   -nic none          no network: the scenarios need none
qemu=(qemu-system-x86_64 -accel tcg -m "$VM_MEM" -smp "$VM_SMP"
      -display none -monitor none -nic none -no-reboot -pidfile "$RUN/qemu.pid"
      -kernel "$VM_KERNEL" -initrd "$VM_INITRD"
      -append "console=ttyS0 quiet panic=-1 cryptomgr.notests"
      -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
      -virtfs "local,path=$RUN/results,mount_tag=results,security_model=none"
      -drive "file=$DISK,format=raw,if=virtio,cache=writeback")

if [ $shell = yes ]; then
    say "booting a VM with a shell (exit the shell to power off)"
    exec "${qemu[@]}" -serial mon:stdio
fi

# boot_vm N: one boot of the VM, console to console[-N].log. While it runs: samples
# qemu's memory, and carries out a power cut a scenario asks for.
#
# The power cut: a scenario that writes "NAME DELAY_MS" into results/powercut gets
# the VM killed (SIGKILL to qemu: no shutdown, no sync; whatever the guest kernel had
# not written to the disk is gone, as with a pulled plug) DELAY_MS later. The file is
# renamed powercut.done, and after this boot run.sh boots again to run NAME once more
# with VM_BOOT=2, which checks what survived, and then the scenarios after NAME that the
# cut kept from running.
peak_kb=0
boot_vm() {
    local n=$1 console=$RUN/console.log
    [ "$n" = 1 ] || console=$RUN/console-$n.log
    rm -f "$RUN/qemu.pid"
    timeout -k 10 "$VM_TIMEOUT" "${qemu[@]}" -serial "file:$console" </dev/null &
    local vm=$! tailer= hwm qpid
    if [ "${VM_VERBOSE:-}" = 1 ]; then
        tail -F "$console" 2>/dev/null &
        tailer=$!
    fi
    while kill -0 $vm 2>/dev/null; do
        qpid=$(cat "$RUN/qemu.pid" 2>/dev/null || true)
        hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$qpid/status" 2>/dev/null || true)   # qemu may be gone
        [ -n "$hwm" ] && [ "$hwm" -gt "$peak_kb" ] && peak_kb=$hwm
        if [ -f "$RUN/results/powercut" ] && [ -n "$qpid" ]; then
            local who delay
            read -r who delay <"$RUN/results/powercut" || true
            mv "$RUN/results/powercut" "$RUN/results/powercut.done"
            sleep "$(printf '%d.%03d' $(( ${delay:-0} / 1000 )) $(( ${delay:-0} % 1000 )))"
            say "power cut for $who: killing qemu (pid $qpid)"
            kill -KILL "$qpid" 2>/dev/null || true
        fi
        sleep 0.2
    done
    vm_rc=0
    wait $vm || vm_rc=$?
    if [ -n "$tailer" ]; then kill "$tailer" 2>/dev/null || true; fi
}

say "booting the VM for: ${names[*]}"
t0=$(date +%s%N)
set +e
boot_vm 1
boots=1
if [ -f "$RUN/results/powercut.done" ]; then
    # qemu killed by us: not a failure of the run. Boot again for the scenario.
    read -r who _ <"$RUN/results/powercut.done"
    mv "$RUN/results/powercut.done" "$RUN/results/powercut.1"
    # That scenario again, then the ones after it that the cut kept from running.
    again=("$who")
    for name in "${names[@]}"; do
        [[ "$name" > "$who" ]] && [ ! -f "$RUN/results/$name.result" ] && again+=("$name")
    done
    write_run_env 2 "${again[*]}"
    say "booting the VM again after the power cut, for: ${again[*]}"
    boot_vm 2
    boots=2
fi
set -e
wall_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

# --- Results --------------------------------------------------------------------------------
R=$RUN/results
passed=0 failed=0 failures=()
printf '\n%-32s %-6s %8s\n' scenario result time
for name in "${names[@]}"; do
    if [ -f "$R/$name.result" ]; then
        status=$(head -n1 "$R/$name.result")
        ms=$(sed -n 's/^duration_ms=//p' "$R/$name.result")
        time=$(printf '%.1f s' "${ms}e-3")
    else
        status=FAIL time="-"   # the VM died or timed out before the scenario ended
    fi
    printf '%-32s %-6s %8s\n' "$name" "$status" "$time"
    if [ "$status" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
done

# guest.info: boot_s (kernel uptime when the guest script began), udev_ms, mem_used_kb
info() { sed -n "s/^$1=//p" "$R/guest.info" 2>/dev/null; }
printf '\nVM: %.1f s wall in all (%d boot(s)), qemu peak RSS %d MB' "${wall_ms}e-3" "$boots" $((peak_kb / 1024))
if [ -f "$R/guest.info" ]; then
    printf '; kernel %s up after %s s, udev ready %s ms later, guest memory used %d MB' \
        "$VM_KVER" "$(info boot_s)" "$(info udev_ms)" $(( $(info mem_used_kb) / 1024 ))
fi
echo

problem=
if [ "$vm_rc" = 124 ] || [ "$vm_rc" = 137 ]; then
    problem="the VM was stopped after VM_TIMEOUT=$VM_TIMEOUT s"
elif [ "$(cat "$R/guest.exit" 2>/dev/null)" != 0 ]; then
    problem="the guest script did not finish cleanly (qemu exit $vm_rc, guest exit $(cat "$R/guest.exit" 2>/dev/null || echo none))"
fi

if [ $failed -gt 0 ] || [ -n "$problem" ]; then
    for name in "${failures[@]}"; do
        echo
        echo "=== $name: result ==="
        cat "$R/$name.result" 2>/dev/null || echo "(no result file)"
        echo "=== $name: log ==="
        cat "$R/$name.log" 2>/dev/null || echo "(no log)"
    done
    echo
    for c in "$RUN"/console*.log; do
        echo "=== guest console ($c) ==="
        cat "$c" 2>/dev/null
    done
    [ -n "$problem" ] && echo "run.sh: $problem"
fi
echo
echo "vm: $passed passed, $failed failed"
[ $failed = 0 ] && [ -z "$problem" ]
