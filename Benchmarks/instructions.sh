#!/bin/sh
# Instructions per operation for each benchmark row and side, counted by
# valgrind's callgrind: repeatable where times are not (a busy machine slows
# every side, but it does not change what each side executes).
#
#   swift build -c release --package-path Benchmarks --product allocator-benchmark
#   Benchmarks/instructions.sh [--full] [extra allocator-benchmark arguments, e.g. --seed 7]
#
# Each row and side is one process: the benchmark runs that side of that
# workload once untimed (so first touches of memory and a heap's first growth
# are not counted; slabs that a run gives back and takes again are), then once
# inside `instructionCountedRun`, and callgrind counts
# only that call and everything it calls (--toggle-collect). The figure is
# the counted instructions divided by the operations of the run (each
# allocation and each free is one operation); the loop that replays the
# operations (about ten instructions per operation) is in every side's count.
# Runs the --quick workloads by default, as callgrind is far slower than a
# native run (a few minutes in all). --full counts the full-length workloads
# that allocator-benchmark times (about ten minutes): their counts differ,
# as fixed costs (new slabs, and in the churn rows the long-lived objects'
# allocation and random frees at either end, a sixth of a quick run's
# operations) spread over more operations.
# A mimalloc side that cannot be loaded says n/a. Needs valgrind and objcopy
# (binutils).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
binary=${ALLOCATOR_BENCHMARK:-"$here/.build/release/allocator-benchmark"}
if [ ! -x "$binary" ]; then
    echo "no benchmark binary at $binary: swift build -c release --package-path Benchmarks --product allocator-benchmark" >&2
    exit 2
fi
for tool in valgrind objcopy; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$tool is not installed" >&2
        exit 2
    fi
done
length=--quick
label="--quick workloads"
if [ "${1:-}" = "--full" ]; then
    length=""
    label="full-length workloads"
    shift
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF 5 debug info Swift emits and gives up
# on the binary: count a copy without it (the symbol table stays, and with it
# the function names --toggle-collect matches).
objcopy --strip-debug "$binary" "$work/allocator-benchmark"
binary="$work/allocator-benchmark"

# instructions_per_op KEY SIDE: prints the figure, or n/a.
instructions_per_op() {
    key=$1
    side=$2
    shift 2
    out="$work/callgrind.out"
    rm -f "$out"
    if ! valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*instructionCountedRun*' \
        "$binary" $length "$@" --instructions "$key" "$side" >"$work/stdout" 2>"$work/stderr"; then
        echo "n/a"
        return
    fi
    operations=$(sed -n 's/^operations: //p' "$work/stdout")
    total=$(awk '/^totals:/ { print $2; exit }' "$out")
    [ -n "$total" ] || total=$(awk '/^summary:/ { print $2; exit }' "$out")
    if [ -z "$operations" ] || [ -z "$total" ]; then
        echo "n/a"
        return
    fi
    awk -v total="$total" -v operations="$operations" 'BEGIN { printf "%.1f", total / operations }'
}

# ratio A B: B / A to two places (above 1: the first side runs fewer instructions), or n/a.
ratio() {
    case "$1$2" in
        *n/a*) echo "n/a" ;;
        *) awk -v ours="$1" -v other="$2" 'BEGIN { printf "%.2f", other / ours }' ;;
    esac
}

shift_args=$*
echo "Instructions per operation (callgrind, $label$( [ -n "$shift_args" ] && echo ", $shift_args"))"
echo "X/ours = X's instructions / ours (above 1: we execute fewer)."
echo ""
echo "| workload | instr/op ours | instr/op glibc | glibc/ours | instr/op mimalloc | mimalloc/ours |"
echo "|---|---:|---:|---:|---:|---:|"
for row in \
    "pages-mixed:glibc:allocPages, orders 0...10 mixed (glibc = posix_memalign)" \
    "pages-order0:glibc:allocPages, order 0 only (glibc = posix_memalign)" \
    "cache-churn:malloc:cache 64 B churn, debug off" \
    "cache-churn-hardened:malloc:cache 64 B churn, hardened free list" \
    "kmalloc-64-churn:malloc:kmalloc 64 B churn" \
    "cache-random:malloc:cache 64 B random frees, debug off" \
    "kmalloc-mixed:malloc:kmalloc mixed 1 B...8 KiB"; do
    key=${row%%:*}
    rest=${row#*:}
    glibc_side=${rest%%:*}
    name=${rest#*:}
    ours=$(instructions_per_op "$key" ours $shift_args)
    glibc=$(instructions_per_op "$key" "$glibc_side" $shift_args)
    mimalloc=$(instructions_per_op "$key" mimalloc $shift_args)
    echo "| $name | $ours | $glibc | $(ratio "$ours" "$glibc") | $mimalloc | $(ratio "$ours" "$mimalloc") |"
done
