#!/usr/bin/env bash
# Runs the decision benchmarks (release, .build-bench) with the histogram export and prints
# p50 / p99 / p99.9 / p99.99 / max of each benchmark's wall clock (ns) and malloc count, which
# the text table (p0…p99, p100) leaves out. Usage: scripts/bench-percentiles.sh [FOLDER] [FILTER]
# FOLDER (default .build-bench/histograms) keeps the HdrHistogram files of the run.
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR
cd "$(dirname "$0")/.."

folder=${1:-.build-bench/histograms}
filter=${2:-Decision.*}
mkdir -p "$folder"
rm -f "$folder"/*.histogram.txt
make bench BENCH_ARGS="--target GateDecision --filter '$filter' --format histogram --path $folder" >/dev/null
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-52s %-16s %9s %9s %9s %9s %9s %9s\n' benchmark metric p50 p99 p99.9 p99.99 max mean
for file in "$folder"/*.histogram.txt; do
  name=${file##*/Current_run.GateDecision.}
  name=${name%.histogram.txt}
  metric=${name##*.}
  name=${name%.*}
  # HdrHistogram's percentile text: "value percentile count 1/(1-percentile)" rows, the
  # value at a percentile is that of the first row at or past it.
  awk -v name="$name" -v metric="$metric" '
    $1 ~ /^[0-9.]+$/ && NF >= 3 {
      for (i = 1; i <= 4; i++) if (!(i in at) && $2 >= p[i]) at[i] = $1
    }
    /^#\[Mean/ { gsub(/[=,\]]/, " "); mean = $2 }
    /^#\[Max/ { gsub(/[=,\]]/, " "); max = $2 }
    BEGIN { p[1] = 0.5; p[2] = 0.99; p[3] = 0.999; p[4] = 0.9999; gsub(/_/, " ", name) }
    END { printf "%-52s %-16s %9d %9d %9d %9d %9d %9.2f\n", name, metric, at[1], at[2], at[3], at[4], max, mean }
  ' "$file"
done
