#!/usr/bin/env bash
# CPU cost per execution of two builds of the trace targets, side by side, on
# fixed inputs: each of the throughput inputs (throughput-inputs, 200 per
# target) run N times by one build's binary, then by the other's, alternating
# which goes first, for P pairs. No mutation and no corpus: both builds run
# exactly the same executions, so the ratio says which build's execution is
# cheaper even on a shared host whose speed moves by a fifth within a minute
# (each pair runs within a few seconds, and the median of the pairs' ratios
# is printed).
#
#   Fuzz/compare-builds.sh BEFORE_BIN AFTER_BIN [pairs] [runs per input] [target...]
#
# BEFORE_BIN and AFTER_BIN are folders holding release fuzz binaries (as
# Fuzz/build.sh release leaves them: .build-fuzzer/<triple>/release of each
# checkout). Prints per target the executions per CPU second of each build in
# every pair, and after/before's median, lowest and highest ratio, with the
# 1-minute load average.
set -euo pipefail
cd "$(dirname "$0")"

usage() { echo "usage: Fuzz/compare-builds.sh BEFORE_BIN AFTER_BIN [pairs] [runs per input] [target...]" >&2; exit 64; }
[ $# -ge 2 ] || usage
before=$1 after=$2 pairs=${3:-10} runs=${4:-40}
case "$pairs$runs" in ''|*[!0-9]*) usage ;; esac
[ "$pairs" -gt 0 ] && [ "$runs" -gt 0 ] || usage
targets=("${@:5}")
[ "${#targets[@]}" -gt 0 ] || targets=(slab kmalloc mixed)
for target in "${targets[@]}"; do
    case " pages exact slab kmalloc mixed " in
        *" $target "*) ;;
        *) echo "error: unknown trace target '$target' (targets: pages exact slab kmalloc mixed)" >&2; exit 64 ;;
    esac
    for dir in "$before" "$after"; do
        [ -x "$dir/$target" ] || { echo "error: $dir/$target is missing: build it with Fuzz/build.sh release" >&2; exit 1; }
    done
done

. ./trace-inputs.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_throughput_inputs "$work/inputs" > /dev/null

export SWIFT_BACKTRACE=enable=no SWIFT_DETERMINISTIC_HASHING=1
# Executions per CPU second (user + system) of `$1/$2` over every input of the target, `runs` times each.
rate() {
    local inputs=("$work/inputs/$2"/*)
    local TIMEFORMAT='%U %S'
    { time "$1/$2" -runs="$runs" "${inputs[@]}" > /dev/null 2>&1 \
        || { echo "error: $1/$2 failed on the fixed inputs" >&2; exit 1; }; } 2> "$work/time"
    awk -v n="$(( ${#inputs[@]} * runs ))" '{ printf "%.0f", n / ($1 + $2) }' "$work/time"
}
for target in "${targets[@]}"; do
    echo "$target:"
    ratios=()
    for pair in $(seq "$pairs"); do
        if [ $((pair % 2)) = 1 ]; then b=$(rate "$before" "$target"); a=$(rate "$after" "$target")
        else a=$(rate "$after" "$target"); b=$(rate "$before" "$target"); fi
        ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')
        ratios+=("$ratio")
        echo "  pair $pair: before $b, after $a exec/s, after/before $ratio"
    done
    printf '%s\n' "${ratios[@]}" | sort -n | awk -v t="$target" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
        '{ r[NR] = $1 } END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
          printf "%s: after/before median %.3f, lowest %.3f, highest %.3f over %d pairs (load %s)\n", t, m, r[1], r[NR], NR, load }'
done
