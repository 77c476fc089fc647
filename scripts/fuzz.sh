#!/usr/bin/env bash
# Builds the fuzzers (libFuzzer + AddressSanitizer, only the parsers and what they need, in
# .build-fuzz) and runs each for SECONDS. Usage: scripts/fuzz.sh SECONDS [TARGET...]
# New inputs go to .build-fuzz/corpus/<target> (the committed Fuzz/Corpus is only read),
# crashes to .build-fuzz/crashes/<target>/. Exits non-zero when a fuzzer finds a crash.
set -euo pipefail
# A failing command names itself (script, line, command); see scripts/lib/fail-loudly.sh.
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR
cd "$(dirname "$0")/.."

seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
# libFuzzer reads a time limit of 0 as "no limit".
[ "$seconds" -ge 1 ] 2>/dev/null || { echo "fuzz: SECONDS must be a whole number, at least 1" >&2; exit 2; }
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(keystrokes serial config control vivenu acme eventyay audienceview)
swift=${SWIFT:-swift}
scratch=.build-fuzz

started=$(date +%s)
# `--sanitize fuzzer` makes SwiftPM link libFuzzer's main; the sanitizers themselves are
# given in one option, because the Swift driver keeps only the last `-sanitize=`. C code
# gets coverage and ASan too. ld.gold warns about every ASan symbol it cannot export; those
# warnings say nothing.
build_log=$scratch/build.log
mkdir -p "$scratch"
if ! ADMIT_FUZZ=1 "$swift" build --scratch-path "$scratch" --sanitize fuzzer \
  -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address >"$build_log" 2>&1; then
  grep -v "Cannot export local symbol" "$build_log" | tail -40 >&2
  echo "fuzz: build failed" >&2
  exit 1
fi
echo "fuzz: build took $(( $(date +%s) - started )) s"
bin=$scratch/debug

dictionary() {
  case "$1" in
    config) echo Fuzz/Dictionaries/config.dict ;;
    control) echo Fuzz/Dictionaries/control.dict ;;
    vivenu | acme | eventyay | audienceview) echo Fuzz/Dictionaries/backends.dict ;;
  esac
}

# Swift's own crash handler would report on top of the sanitizer's (and trips over ASan).
export SWIFT_BACKTRACE=enable=no
summary=()
failed=()
for target in "${targets[@]}"; do
  corpus=$scratch/corpus/$target
  crashes=$scratch/crashes/$target
  log=$scratch/logs/$target.log
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  inputs=("$corpus" "Fuzz/Corpus/$target")
  [ -d "Fuzz/Regressions/$target" ] && inputs+=("Fuzz/Regressions/$target")
  options=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes/")
  dict=$(dictionary "$target")
  [ -n "$dict" ] && options+=(-dict="$dict")
  echo "fuzz: $target for $seconds s"
  status=0
  "$bin/fuzz-$target" "${options[@]}" "${inputs[@]}" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | sed 's/corp: //' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //' || true)
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    crash=$(ls -t "$crashes" 2>/dev/null | head -1)
    grep -m1 -E "ERROR:|Fatal error|fuzz invariant|deadly signal" "$log" >&2 || true
    echo "fuzz: $target CRASHED ($crashes/$crash); reproduce: $bin/fuzz-$target $crashes/$crash; log: $log" >&2
  fi
  summary+=("$(printf '%-13s %12s %10s %14s %8s %s' "$target" "${runs:-?}" "${speed:-?}" "${corp:-?}" "${cov:-?}" \
    "$([ "$status" -eq 0 ] && echo ok || echo CRASH)")")
done

printf '%-13s %12s %10s %14s %8s %s\n' target executions exec/s "corpus (n/size)" coverage result
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}: fix them, then keep each input in Fuzz/Regressions/<target>/" >&2
  exit 1
fi
