#!/usr/bin/env bash
# Runs every built fuzz target for SECONDS each, JOBS at a time (each target is one process on one
# core, so two cores fuzz twice as long in the same wall time), from its seed corpus in
# fuzz/corpus/<name>/ plus what earlier runs found in build-fuzz/corpus/<name>/.
# Usage: fuzz/run_targets.sh SECONDS SEED JOBS   (SEED 0: libFuzzer picks one)
# Exits non-zero when any target finds a crash; its log is printed and the input is kept as
# build-fuzz/<name>-crash-<hash> (add it to fuzz/corpus/<name>/ once fixed).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?seconds} seed=${2:?seed} jobs=${3:?jobs}
logs=build-fuzz/logs
mkdir -p "$logs"

run_one() {
  local target=$1 seconds=$2 seed=$3 logs=$4 name
  name=$(basename "$target")
  mkdir -p "build-fuzz/corpus/$name"
  if "$target" -artifact_prefix="build-fuzz/$name-" -max_total_time="$seconds" -seed="$seed" -print_final_stats=1 \
       "build-fuzz/corpus/$name" "fuzz/corpus/${name#fuzz_}" >"$logs/$name.log" 2>&1; then
    echo "$name: $(grep -m1 '^stat::number_of_executed_units' "$logs/$name.log" | awk '{print $2}') runs, no finding"
  else
    echo "$name: FAILED"
    grep -v '^#[0-9]' "$logs/$name.log" | tail -60
    return 1
  fi
}
export -f run_one

targets=()
for t in build-fuzz/fuzz/fuzz_*; do [ -x "$t" ] && targets+=("$t"); done
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets in build-fuzz/fuzz/" >&2; exit 1; }
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} "$seconds" "$seed" "$logs"
