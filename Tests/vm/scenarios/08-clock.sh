#!/usr/bin/env bash
# 08-clock: the kiosk's wall clock is set under a running gate, as happens on a box
# without RTC: hours forward, years back, years forward, back to 1970. The demo's backend
# (the vivenu fake inside admitd) keeps the time it started with on the monotonic clock,
# like a server elsewhere would. Through every jump:
#   - scans are stamped with the backend's time, not the kiosk's;
#   - a repeat read is suppressed for exactly the debounce window, no longer, no shorter;
#   - syncs go on, their windows on the backend's clock, and uploads are acknowledged.
# The helpers' waits use the wall clock, so this scenario waits with read -t and times
# itself on /proc/uptime. The clock is put right again at the end, whatever happens.
# vm-timeout: 150
source "$VM_REPO/Tests/vm/lib/guest.sh"

D=$VM_WORK/admit
mkdir -p "$D/state"
ip link set lo up || fail_now "cannot bring up loopback (the demo's backend listens on 127.0.0.1)"

# The true time: the wall clock at the start, carried on by the uptime.
uptime_s() { local up _; read -r up _ </proc/uptime; echo "${up%.*}"; }
REAL0=${EPOCHREALTIME%.*} UP0=$(uptime_s)
true_now() { echo $(( REAL0 + $(uptime_s) - UP0 )); }
set_clock() { date -s "@$1" >/dev/null || fail "date -s @$1 failed"; log "kiosk clock set to $(date -u +%FT%TZ)"; }
restore_clock() { date -s "@$(true_now)" >/dev/null; }
trap 'restore_clock; _cleanup_spawned' EXIT

# mono_wait SECONDS COMMAND...: like wait_for, timed on the uptime.
mono_wait() {
    local deadline=$(( $(uptime_s) + $1 )); shift
    until "$@"; do [ "$(uptime_s)" -lt "$deadline" ] || return 1; nap 0.1; done
}
ctl() { admitctl_at "$D" "$@"; }
status_field() { ctl status --json | jq -r ".$1"; }
synced() { [ "$(status_field last_sync)" != null ]; }
epoch_of() { date -d "$1" +%s; }

# last_decision: "RESULT REPEAT EPOCH REASON" of the newest decision.
last_decision() {
    local d; d=$(ctl recent --limit 1 --json | jq -r '(.decisions // .)[0] | "\(.result) \(.repeat) \(.time) \(.reason // "-")"')
    local result rep time reason; read -r result rep time reason <<<"$d"
    echo "$result $rep $(epoch_of "$time") $reason"
}

# check_stamp WHAT EPOCH: the stamp is within a minute of the true time.
check_stamp() {
    local off=$(( $2 - $(true_now) ))
    if [ "${off#-}" -le 60 ]; then pass "$1 (off by ${off} s)"; else fail "$1: stamped $(date -u -d "@$2" +%FT%TZ), ${off} s from the true time"; fi
}

valid=()
for (( i = 0; ${#valid[@]} < 6; i++ )); do demo_valid_index "$i" && valid+=("$(demo_barcode "$i")"); done

spawn admitd "$ADMITD" --demo --demo-tickets 500 --state-dir "$D/state" --socket "$D/control.sock"
wait_line admitd 'ready: control socket' 90 >/dev/null || fail_now "admitd --demo did not start"
mono_wait 30 synced || fail_now "no first sync"
pass "admitd --demo runs and has synced with its backend"

ctl scan "${valid[0]}" >/dev/null
read -r result _ stamp _ <<<"$(last_decision)"
check_eq "before any jump: GRANTED" GRANTED "$result"
check_stamp "before any jump: stamped with the backend's time" "$stamp"

# --- Three hours forward ------------------------------------------------------------------
set_clock $(( $(true_now) + 3 * 3600 ))
ctl scan "${valid[1]}" >/dev/null
read -r result _ stamp _ <<<"$(last_decision)"
check_eq "3 h forward: GRANTED" GRANTED "$result"
check_stamp "3 h forward: still the backend's time" "$stamp"

# --- Debounce across a jump back by 5 years ---------------------------------------------
ctl scan "${valid[2]}" >/dev/null
set_clock $(( $(true_now) - 5 * 365 * 86400 ))
ctl scan "${valid[2]}" >/dev/null
read -r result rep _ <<<"$(last_decision)"
check_eq "5 years back: the second read at once is a repeat read" "true" "$rep"
nap 3.5
ctl scan "${valid[2]}" >/dev/null
read -r result rep _ reason <<<"$(last_decision)"
check_eq "... and 3.5 s later (debounce 3 s) it is no longer a repeat" "false" "$rep"
check_eq "... but DENIED: the ticket was used" DENIED "$result"

# --- Debounce across a jump forward by 5 years ------------------------------------------
set_clock "$(true_now)"
ctl scan "${valid[3]}" >/dev/null
set_clock $(( $(true_now) + 5 * 365 * 86400 ))
ctl scan "${valid[3]}" >/dev/null
read -r result rep stamp _ <<<"$(last_decision)"
check_eq "5 years forward: the second read at once is still a repeat read" "true" "$rep"
check_stamp "5 years forward: stamped with the backend's time" "$stamp"

# --- Back to 1970 (as low as Linux allows: not before the uptime) ------------------------
set_clock $(( $(uptime_s) + 60 ))
ctl scan "${valid[4]}" >/dev/null
read -r result _ stamp _ <<<"$(last_decision)"
check_eq "in 1970: GRANTED" GRANTED "$result"
check_stamp "in 1970: stamped with the backend's time" "$stamp"

# --- Syncs and uploads go on, on the backend's clock --------------------------------------
before=$(status_field last_sync)
ctl sync >/dev/null
mono_wait 20 eval '[ "$(status_field last_sync)" != "$before" ]' || fail "no sync after the jumps"
after=$(status_field last_sync)
check_stamp "a sync in 1970 records the backend's time ($after)" "$(epoch_of "$after")"
check_eq "no backend error" null "$(status_field last_error)"
ctl flush >/dev/null
mono_wait 20 eval '[ "$(status_field pending_scans)" = 0 ]'
check_eq "every scan was uploaded and acknowledged" 0 "$(status_field pending_scans)"
check_eq "status is green" green "$(status_field health)"

restore_clock
note "kiosk clock put back to $(date -u +%FT%TZ)"
stop admitd
