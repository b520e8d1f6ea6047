#!/usr/bin/env bash
# Heap allocations per execution of each fuzz target, on the inputs
# throughput.sh times (throughput-inputs: 45 to 55 operations on arenas of 256
# to 1,024 pages). Under ASan every allocation captures a stack and passes
# through libFuzzer's malloc hook, so their number is a large and repeatable
# part of an execution's cost, where exec/s moves with the machine's load.
#
#   Fuzz/build.sh release && Fuzz/allocations.sh [inputs per target] [target...]
#
# Counts with libFuzzer's own tracer (-trace_malloc=1), which reports the
# mallocs and frees of each run of the callback: each input is run three
# times and the last run counts (the first ones also fill the Swift
# runtime's caches). Prints one Markdown row per target: the mean over the
# first N inputs (default 40).
set -euo pipefail
cd "$(dirname "$0")"

count=${1:-40}
case "$count" in ''|*[!0-9]*|0) echo "usage: Fuzz/allocations.sh [inputs per target] [target...]" >&2; exit 64 ;; esac
targets=("${@:2}")
[ "${#targets[@]}" -gt 0 ] || targets=(pages exact slab kmalloc mixed)

. ./trace-inputs.sh
check_trace_targets "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_throughput_inputs "$work/inputs" > /dev/null

export SWIFT_BACKTRACE=enable=no SWIFT_DETERMINISTIC_HASHING=1
echo "| target | heap allocations per execution | inputs |"
echo "|---|---:|---:|"
for target in "${targets[@]}"; do
    total=0
    runs=0
    for input in $(find "$work/inputs/$target" -type f | sort | head -n "$count"); do
        # "MallocFreeTracer: STOP <mallocs> <frees> ..." after each run of the callback.
        mallocs=$("$bin/$target" -trace_malloc=1 -runs=3 "$input" 2>&1 \
                      | sed -nE 's/^MallocFreeTracer: STOP ([0-9]+) .*/\1/p' | tail -n 1)
        [ -n "$mallocs" ] || { echo "error: $target printed no malloc count for $(basename "$input")" >&2; exit 1; }
        total=$((total + mallocs))
        runs=$((runs + 1))
    done
    awk -v t="$target" -v total="$total" -v runs="$runs" 'BEGIN { printf "| %s | %.1f | %d |\n", t, total / runs, runs }'
done
