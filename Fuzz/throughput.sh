#!/usr/bin/env bash
# Executions per second of each fuzz target on inputs of the measured shape:
# 45 to 55 operations on arenas of 256 to 1,024 pages (written by
# throughput-inputs, the same files every run), fuzzed from those inputs with
# libFuzzer's length control off so they stay that long, in the default
# judging mode, with full checks after every step, and in the model-only
# mode (no invariant check at all: the ceiling any checking stays under).
#
#   Fuzz/build.sh release && Fuzz/throughput.sh [seconds per run] [target...]
#
# Prints one Markdown row per target and mode with libFuzzer's own figure
# (stat::average_exec_per_sec) and the 1-minute load average before and after.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
case "$seconds" in ''|*[!0-9]*) echo "usage: Fuzz/throughput.sh [seconds] [target...]" >&2; exit 64 ;; esac
targets=("${@:2}")
[ "${#targets[@]}" -gt 0 ] || targets=(pages exact slab kmalloc mixed)

. ./trace-inputs.sh
check_trace_targets "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_throughput_inputs "$work/inputs" | sed 's/^/# /'

# Mutations may not grow an input beyond the longest one written.
max_len=$(find "$work/inputs" -type f -printf '%s\n' | sort -n | tail -n 1)

export SWIFT_BACKTRACE=enable=no SWIFT_DETERMINISTIC_HASHING=1
echo
echo "| target | judging | exec/s | load before | load after |"
echo "|---|---|---:|---:|---:|"
for target in "${targets[@]}"; do
    for mode in default full model-only; do
        corpus=$work/run-$target-$mode
        cp -r "$work/inputs/$target" "$corpus"
        case "$mode" in default) full= ;; full) full=1 ;; *) full=$mode ;; esac
        before=$(cut -d' ' -f1 /proc/loadavg)
        rate=$(ALLOCCHECK_FULL_CHECKS=$full "$bin/$target" -max_total_time="$seconds" -len_control=0 -max_len="$max_len" \
                   -print_final_stats=1 -seed=1 -dict="Dictionaries/$target.dict" "$corpus" 2>&1 \
               | sed -nE 's/^stat::average_exec_per_sec: +([0-9]+).*/\1/p')
        after=$(cut -d' ' -f1 /proc/loadavg)
        [ -n "$rate" ] || { echo "error: $target ($mode) printed no statistics" >&2; exit 1; }
        echo "| $target | $mode | $rate | $before | $after |"
        rm -rf "$corpus"
    done
done
