# Tests/vm/lib/guest.sh — helpers for scenarios. Runs INSIDE the VM (bash).
#
# Every scenario starts with
#     source "$VM_REPO/Tests/vm/lib/guest.sh"
# guest-run.sh sets these before it starts a scenario:
#     VM_REPO      the repository (same path as on the host: the host's / is our root)
#     VM_BIN       compiled test tools (vscanner, grabcheck, gpiotool); put on PATH here
#     VM_RESULTS   the writable share; whatever is written here the host can read
#     VM_SCENARIO  this scenario's name, e.g. 00-smoke
#     VM_DETAILS   file collecting this scenario's check lines (becomes its result file)
#
# A scenario is a list of checks. A failed check is recorded and the scenario goes
# on, so one run reports everything that is broken; `fail_now` stops it. The
# scenario passes when it exits 0 and no check failed (guest-run.sh decides).
#
# Why these helpers avoid external commands: under software emulation every program
# start costs 50-300 ms (the dynamic loader and libc are emulated instruction by
# instruction), while bash built-ins cost next to nothing. So the clock is bash's
# $EPOCHREALTIME rather than `date`, waiting is `read -t` rather than `sleep`, and
# files are read with `read`/`$(<file)` rather than `cat` or `grep`.

PATH=$VM_BIN:$PATH
# A command that fails names itself in the scenario's log (script, line, command); the
# scenario goes on, its checks decide.
source "$VM_REPO/scripts/lib/fail-loudly.sh"
VM_WORK=/tmp/vm-work/${VM_SCENARIO:-adhoc}     # scratch space (tmpfs, gone after the run)
mkdir -p "$VM_WORK"

# now_ms: milliseconds since the epoch, into $NOW_MS (no subshell, no program start).
now_ms() { NOW_MS=$(( ${EPOCHREALTIME/./} / 1000 )); }
now_ms; VM_SCENARIO_T0=$NOW_MS

# nap SECONDS: sleep without starting /bin/sleep: wait for input that never comes
# on a FIFO we hold open ourselves (fractions like 0.05 work).
mkfifo "$VM_WORK/.nap" 2>/dev/null
exec {_NAP_FD}<>"$VM_WORK/.nap"
nap() { read -r -t "$1" -u "$_NAP_FD" _ || true; }

# --- Logging and checks --------------------------------------------------------------

# log TEXT: a line in the scenario's log, stamped with seconds since the scenario began.
log() {
    now_ms
    local ms=$(( NOW_MS - VM_SCENARIO_T0 ))
    printf '[%3d.%02ds] %s\n' $(( ms / 1000 )) $(( ms % 1000 / 10 )) "$*"
}

# Lines of the result file: "ok - what", "not ok - what: why", "# note".
_record() { echo "$*" >>"${VM_DETAILS:-/dev/null}"; log "$*"; }
note() { _record "# $*"; }
pass() { _record "ok - $*"; }
fail() { _record "not ok - $*"; }
fail_now() { fail "$*"; exit 1; }

# check WHAT COMMAND [ARGS...]: passes if COMMAND exits 0. Its output goes to the log.
check() {
    local what=$1; shift
    if "$@"; then pass "$what"; else fail "$what (exit $?: $*)"; fi
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# check_contains WHAT TEXT NEEDLE: passes if NEEDLE is part of TEXT.
check_contains() {
    if [[ $2 == *"$3"* ]]; then pass "$1"; else fail "$1: '$3' not found"; fi
}

# check_ge WHAT MIN ACTUAL  (integers)
check_ge() {
    if [ "$3" -ge "$2" ] 2>/dev/null; then pass "$1 ($3 >= $2)"; else fail "$1: expected >= $2, got '$3'"; fi
}

# wait_for SECONDS COMMAND [ARGS...]: polls COMMAND every 0.05 s until it succeeds.
wait_for() {
    now_ms; local deadline=$(( NOW_MS + $1 * 1000 )); shift
    until "$@"; do
        now_ms; [ "$NOW_MS" -lt "$deadline" ] || return 1
        nap 0.05
    done
}

# --- Background processes --------------------------------------------------------------
# spawn NAME COMMAND [ARGS...]: starts COMMAND in the background, its output in
# $VM_WORK/NAME.out. Everything spawned is stopped when the scenario ends, and each
# output is appended to the scenario log then (shown by run.sh on failure).
declare -A SPAWNED=()
spawn() {
    local name=$1; shift
    : >"$VM_WORK/$name.out"      # exists at once: readers need not race the child
    "$@" >"$VM_WORK/$name.out" 2>&1 &
    SPAWNED[$name]=$!
    log "spawned $name (pid $!): $*"
}
pid_of() { echo "${SPAWNED[$1]}"; }

# wait_line NAME REGEX SECONDS: waits until NAME's output has a line matching REGEX
# and prints the first such line. Fails if NAME exits or the time runs out first.
wait_line() {
    local name=$1 regex=$2 line alive
    now_ms; local deadline=$(( NOW_MS + $3 * 1000 ))
    while :; do
        kill -0 "${SPAWNED[$name]}" 2>/dev/null && alive=yes || alive=no
        while IFS= read -r line; do
            [[ $line =~ $regex ]] && { echo "$line"; return 0; }
        done <"$VM_WORK/$name.out"
        [ $alive = yes ] || { log "$name exited before printing /$regex/"; return 1; }
        now_ms; [ "$NOW_MS" -lt "$deadline" ] || { log "timed out waiting for /$regex/ from $name"; return 1; }
        nap 0.05
    done
}

# wait_exit NAME SECONDS: waits for NAME to end; returns its exit status (124 on timeout).
wait_exit() {
    local pid=${SPAWNED[$1]}
    if ! wait_for "$2" eval '! kill -0 '"$pid"' 2>/dev/null'; then
        log "$1 still running after $2 s"
        return 124
    fi
    wait "$pid"
}

# output_of NAME: what NAME printed so far.
output_of() { echo "$(<"$VM_WORK/$1.out")"; }

# stop NAME: SIGTERM, then waits for it (at most 5 s, then SIGKILL).
stop() {
    local pid=${SPAWNED[$1]}
    kill "$pid" 2>/dev/null || return 0
    wait_for 5 eval '! kill -0 '"$pid"' 2>/dev/null' || kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

_cleanup_spawned() {
    local name
    for name in "${!SPAWNED[@]}"; do
        kill "${SPAWNED[$name]}" 2>/dev/null || true
    done
    for name in "${!SPAWNED[@]}"; do
        echo "--- output of $name ---"
        echo "$(<"$VM_WORK/$name.out")"
    done
}
trap _cleanup_spawned EXIT

# --- Input devices ------------------------------------------------------------------

# input_node_by_name NAME: prints /dev/input/eventN of the first input device with
# that name (as the kernel reports it in sysfs), or fails.
input_node_by_name() {
    local dev name
    for dev in /sys/class/input/event*; do
        read -r name <"$dev/device/name" 2>/dev/null || continue
        [ "$name" = "$1" ] && { echo "/dev/input/${dev##*/}"; return 0; }
    done
    return 1
}

# wait_for_input NAME SECONDS: waits until such a device exists and its node is
# there; prints the node.
wait_for_input() {
    wait_for "$2" input_node_by_name "$1" >/dev/null || return 1
    local node; node=$(input_node_by_name "$1")
    wait_for "$2" test -c "$node" || return 1
    echo "$node"
}

# udev_rules FILE...: makes udevd use these rule files too (Admit's own udev/*.rules,
# say). The host's /etc/udev is read-only in the VM; /run/udev/rules.d is writable
# and udevd reads it as well. Applies to devices that appear from now on.
udev_rules() {
    mkdir -p /run/udev/rules.d
    cp -- "$@" /run/udev/rules.d/ && udevadm control --reload
}

# --- Simulated GPIO chips (gpio-sim) ----------------------------------------------------
# gpio-sim makes a GPIO chip out of nothing, configured through configfs: a folder per
# chip, one per bank, one per named line, then "live" switches it on. A line that a
# program drives as an output can be read back at
#     /sys/devices/platform/<dev_name>/<chip_name>/sim_gpioN/value
# and a line used as an input is set from outside with "pull-up"/"pull-down" in
# .../sim_gpioN/pull (a button or a turnstile's passage sensor).
GPIOSIM_CONFIG=/sys/kernel/config/gpio-sim

# gpiosim_create NAME NUM_LINES [LINE_NAME...]: makes chip NAME with NUM_LINES lines,
# naming lines 0, 1, ... after the given names. Prints the chip's character device
# (/dev/gpiochipN).
gpiosim_create() {
    local name=$1 lines=$2; shift 2
    local g=$GPIOSIM_CONFIG/$name i=0 line_name
    mkdir "$g" "$g/bank0" || return 1
    echo "$lines" >"$g/bank0/num_lines"
    echo "$name" >"$g/bank0/label"
    for line_name in "$@"; do
        mkdir "$g/bank0/line$i"
        echo "$line_name" >"$g/bank0/line$i/name"
        i=$((i + 1))
    done
    echo 1 >"$g/live" || return 1
    local chip; read -r chip <"$g/bank0/chip_name"
    wait_for 5 test -c "/dev/$chip" || return 1
    echo "/dev/$chip"
}

# gpiosim_line_dir NAME OFFSET: the sysfs folder of one line (value, pull).
gpiosim_line_dir() {
    local g=$GPIOSIM_CONFIG/$1 dev chip
    read -r dev <"$g/dev_name"; read -r chip <"$g/bank0/chip_name"
    echo "/sys/devices/platform/$dev/$chip/sim_gpio$2"
}

# gpiosim_value NAME OFFSET: 0 or 1, the level the line has now.
gpiosim_value() { local v; read -r v <"$(gpiosim_line_dir "$1" "$2")/value"; echo "$v"; }

# gpiosim_pull NAME OFFSET up|down: what an outside signal would do to an input line.
gpiosim_pull() { echo "pull-$3" >"$(gpiosim_line_dir "$1" "$2")/pull"; }

# gpiosim_remove NAME: switches the chip off and deletes its configuration.
gpiosim_remove() {
    local g=$GPIOSIM_CONFIG/$1 d
    echo 0 >"$g/live"
    for d in "$g"/bank0/line*; do [ -d "$d" ] && rmdir "$d"; done
    rmdir "$g/bank0" "$g"
}

# --- Counting output lines --------------------------------------------------------

# count_lines NAME REGEX: how many lines of NAME's output match REGEX (bash only).
count_lines() {
    local n=0 line
    while IFS= read -r line; do [[ $line =~ $2 ]] && n=$((n + 1)); done <"$VM_WORK/$1.out"
    echo "$n"
}

# wait_count NAME REGEX N SECONDS: waits until at least N lines of NAME's output match.
wait_count() {
    local name=$1 regex=$2 want=$3 n
    now_ms; local deadline=$(( NOW_MS + $4 * 1000 ))
    while :; do
        n=$(count_lines "$name" "$regex")
        [ "$n" -ge "$want" ] && return 0
        now_ms; [ "$NOW_MS" -lt "$deadline" ] || { log "timed out waiting for $want x /$regex/ from $name (have $n)"; return 1; }
        nap 0.05
    done
}

# --- admitd, as built on the host ---------------------------------------------------
# run.sh passes the host's `swift build --show-bin-path` as ADMIT_BIN (override it on
# the host with ADMIT_BIN=...). The daemon runs with the demo backend (the embedded
# demo event, no network), its state and control socket in a folder of the scenario.
ADMIT_BIN=${ADMIT_BIN:-$VM_REPO/.build/debug}
ADMITD=$ADMIT_BIN/admitd
ADMITCTL=$ADMIT_BIN/admitctl

# A console line of admitd: "12:00:01.123 GRANTED  4006381000000  Adult Standing ...".
DECISION_RE='^[0-9:.]+ (GRANTED|DENIED) '

# demo_barcode I: the I-th ticket's barcode of the demo event (Sources/AdmitFakes/
# DemoEvent.swift: EAN-13, "400638" + (100000 + I) + check digit).
demo_barcode() {
    local body="400638$(( 100000 + $1 ))" sum=0 p
    for (( p = 0; p < 12; p++ )); do
        (( sum += ${body:p:1} * (p % 2 ? 3 : 1) ))
    done
    echo "$body$(( (10 - sum % 10) % 10 ))"
}

# demo_valid_index I: true if ticket I is a plain valid one (not cancelled, not yet
# valid, expired, other area or staff), i.e. a first scan is GRANTED at any gate.
demo_valid_index() {
    local i=$1
    (( i % 50 != 7 && i % 40 != 11 && i % 60 != 13 && i % 7 != 3 && i % 10 != 9 ))
}

# admit_config DIR: writes DIR/admit.toml with the [gate] and [backend] every scenario
# uses (state and control socket under DIR, no debounce so a second read of a ticket
# is a fresh DENIED already_used); the scenario appends scanners and outputs.
admit_config() {
    local dir=$1
    mkdir -p "$dir/state"
    cat >"$dir/admit.toml" <<EOF
[gate]
name = "vm"
direction = "in"
state_dir = "$dir/state"
control_socket = "$dir/control.sock"
debounce_s = 0

[backend]
kind = "demo"
EOF
}

# admit_start NAME DIR: starts admitd on DIR/admit.toml as spawned process NAME and
# waits until its control socket is up. Starting a Swift binary under emulation takes
# seconds (more on a busy host), hence the generous limit.
admit_start() {
    spawn "$1" "$ADMITD" --config "$2/admit.toml"
    wait_line "$1" 'ready: control socket' 90 >/dev/null
}

# admitctl_at DIR ARGS...: admitctl against the daemon of DIR.
admitctl_at() { local dir=$1; shift; "$ADMITCTL" --socket "$dir/control.sock" "$@"; }

# decisions_at DIR: the daemon's recent decisions, oldest first, one per line:
# "SCANNER BARCODE RESULT REASON" (scanner without ":eventN", reason "-" for GRANTED).
decisions_at() {
    admitctl_at "$1" recent --limit 100 --json |
        jq -r '(.decisions // .) | reverse | .[] |
               "\(.source | sub(":event[0-9]+$"; "")) \(.barcode) \(.result) \(.reason // "-")"'
}

# fd_count PID: open file descriptors of a process.
fd_count() { local fds=(/proc/"$1"/fd/*); echo "${#fds[@]}"; }

# watch_lines FILE CHIP OFFSET...: polls the gpio-sim lines every ~5 ms and appends
# "MS OFFSET VALUE" to FILE at the start and on every change (MS: epoch milliseconds).
# Meant to run in the background (spawn); bash built-ins only, so it costs no program
# starts.
watch_lines() {
    local file=$1 chip=$2; shift 2
    local -A path=() last=()
    local o v
    for o in "$@"; do path[$o]=$(gpiosim_line_dir "$chip" "$o")/value; done
    echo ready
    while :; do
        for o in "$@"; do
            read -r v <"${path[$o]}"
            if [ "$v" != "${last[$o]:-}" ]; then
                last[$o]=$v; now_ms; echo "$NOW_MS $o $v" >>"$file"
            fi
        done
        nap 0.005
    done
}

# --- Results (used by guest-run.sh) -------------------------------------------------

# write_result NAME EXIT_STATUS DURATION_MS: the scenario's result file for the host:
#     PASS or FAIL
#     duration_ms=N
#     exit=N
#     the check lines
write_result() {
    local name=$1 rc=$2 ms=$3 details=$VM_RESULTS/$1.details status=PASS text=
    [ -f "$details" ] && text=$(<"$details")
    [ "$rc" = 0 ] || status=FAIL
    [[ $'\n'$text == *$'\n'"not ok"* ]] && status=FAIL
    # a scenario that checked nothing proves nothing
    [[ $'\n'$text == *$'\n'"ok - "* ]] || status=FAIL
    printf '%s\nduration_ms=%s\nexit=%s\n%s\n' "$status" "$ms" "$rc" "$text" >"$VM_RESULTS/$name.result.tmp"
    mv "$VM_RESULTS/$name.result.tmp" "$VM_RESULTS/$name.result"
    rm -f "$details"
    echo "$status"
}
