#!/usr/bin/env bash
# 09-gpio-line: the unit test GPIOLineTests' `drivesARealLine` (in SysfsLEDTests.swift),
# which the build machines cannot run (no GPIO there), run here against a gpio-sim chip:
# the host-built test binary, filtered to that one test, with the chip and the sysfs file
# of its line 0 in the environment. Passes only when the test ran (not skipped) and passed.
# vm-timeout: 180
source "$VM_REPO/Tests/vm/lib/guest.sh"

chip=$(gpiosim_create unit 2 out spare) || fail_now "gpio-sim chip not created"
tests=$ADMIT_BIN/AdmitPackageTests.xctest
[ -x "$tests" ] || fail_now "no test binary at $tests (swift build --build-tests)"
export ADMIT_GPIO_SIM_CHIP=$chip ADMIT_GPIO_SIM_VALUE=$(gpiosim_line_dir unit 0)/value
spawn unit "$tests" --testing-library swift-testing --filter 'drivesARealLine'
wait_exit unit 150; rc=$?
cat "$VM_WORK/unit.out"
check_eq "the test binary exits 0" 0 "$rc"
check_contains "drivesARealLine ran and passed" "$(output_of unit)" 'Test drivesARealLine() passed'
check_contains "exactly one test ran" "$(output_of unit)" 'Test run with 1 test'
gpiosim_remove unit
