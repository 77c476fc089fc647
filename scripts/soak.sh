#!/usr/bin/env bash
# Soak: the real admitd (demo event behind the vivenu fake: delta syncs every 10 s,
# uploads every 2 s) fed 60 scans a minute from two sources — its stdin scanner and the
# control socket's `scan` — for MINUTES minutes (default 10). Once a minute it samples
# RSS, open fds and the p99 decision latency of that minute (from the Prometheus
# histogram), prints a table, and fails if RSS or fds grew or the p99 bucket of the last
# minute is above the first minute's by more than one bucket.
#
#   scripts/soak.sh [MINUTES]          (make soak; ADMIT_BIN picks the binaries)
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR
minutes=${1:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${ADMIT_BIN:-$(cd "$here" && swift build --show-bin-path)}
work=$(mktemp -d)
fifo=$work/stdin
sock=$work/control.sock
mkfifo "$fifo"
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin/admitd" --demo --state-dir "$work/state" --socket "$sock" <"$fifo" >"$work/console.log" 2>"$work/admitd.log" &
pid=$!
exec 7>"$fifo"                                  # keeps stdin open between writes
for _ in $(seq 300); do [ -S "$sock" ] && "$bin/admitctl" --socket "$sock" status >/dev/null 2>&1 && break; sleep 0.2; done
"$bin/admitctl" --socket "$sock" status >/dev/null || { echo "soak: admitd did not start"; cat "$work/admitd.log"; exit 1; }

# EAN-13 demo barcodes (valid, cancelled, used again and unknown ones all occur).
barcode() {
    local body=400638$((100000 + $1)) sum=0 i
    for i in $(seq 0 11); do d=${body:$i:1}; sum=$((sum + (i % 2 == 0 ? d : 3 * d))); done
    echo "$body$(((10 - sum % 10) % 10))"
}
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" | wc -l; }
# bucket counts "le count" lines of the latency histogram
buckets() { "$bin/admitctl" --socket "$sock" metrics | awk -F'[{}" ]+' '/^admit_decision_latency_seconds_bucket/ { print $3, $NF }'; }
# p99 of the decisions between two bucket snapshots: the smallest bucket bound holding 99 %
p99() {
    local total
    total=$(join <(sort "$1") <(sort "$2") | awk '$1 == "+Inf" { print $3 - $2 }')
    [ "${total:-0}" -gt 0 ] || { echo "-"; return; }
    join <(sort "$1") <(sort "$2") | awk '$1 != "+Inf" { print $1, $3 - $2 }' | sort -g |
        awk -v total="$total" '$2 >= 0.99 * total { printf "%g\n", $1 * 1e6; found = 1; exit } END { if (!found) print "inf" }'
}

printf '%-7s %8s %6s %8s %10s %9s\n' minute scans rss_kb fds p99_us pending
buckets >"$work/b0"
first_rss= first_fds= first_p99= n=0 status=0
for minute in $(seq 1 "$minutes"); do
    for s in $(seq 1 30); do
        echo "$(barcode $((n % 6000)))" >&7; n=$((n + 1)); sleep 1
        "$bin/admitctl" --socket "$sock" scan "$(barcode $((n % 6000)))" >/dev/null 2>&1 || true; n=$((n + 1)); sleep 1
    done
    buckets >"$work/b$minute"
    p=$(p99 "$work/b$((minute - 1))" "$work/b$minute")
    r=$(rss) f=$(fds)
    pending=$("$bin/admitctl" --socket "$sock" status --json | sed -n 's/.*"pending_scans":\([0-9]*\).*/\1/p')
    printf '%-7s %8s %6s %8s %10s %9s\n' "$minute" "$n" "$r" "$f" "$p" "$pending"
    if [ "$minute" = 2 ]; then first_rss=$r first_fds=$f first_p99=$p; fi   # minute 1 includes warm-up
done
last_p99=$p
if [ -n "$first_rss" ]; then
    [ "$r" -le $((first_rss + first_rss / 10 + 2048)) ] || { echo "soak: RSS grew from $first_rss to $r kB"; status=1; }
    [ "$f" -le $((first_fds + 2)) ] || { echo "soak: fds grew from $first_fds to $f"; status=1; }
    awk -v a="$first_p99" -v b="$last_p99" 'BEGIN { exit !(b == "-" || a == "-" || b + 0 <= 2.5 * (a + 0)) }' ||
        { echo "soak: p99 went from $first_p99 us to $last_p99 us"; status=1; }
fi
# Every scan sent was decided (each decision prints one console line, whatever its source),
# and the outbox drains once scanning stops (uploads every 2 s; a minute is plenty).
decided=$(grep -cE 'GRANTED|DENIED' "$work/console.log" || true)
echo "soak: $n scans sent, $decided decided on the console; $(grep -c . "$work/admitd.log") log lines"
[ "$decided" = "$n" ] || { echo "soak: $n scans sent but $decided decided"; status=1; }
for _ in $(seq 120); do
    pending=$("$bin/admitctl" --socket "$sock" status --json | sed -n 's/.*"pending_scans":\([0-9]*\).*/\1/p')
    [ "$pending" = 0 ] && break
    sleep 0.5
done
[ "$pending" = 0 ] || { echo "soak: the outbox did not drain: $pending scans still pending a minute after the last scan"; status=1; }
exit $status
