# Sourced by throughput.sh and allocations.sh, which measure the trace
# targets on the same inputs.

# check_trace_targets TARGET...: sets `bin` to the release binaries' folder
# and stops (exit 64, or 1 for a binary not built) unless every TARGET is a
# built trace target.
check_trace_targets() {
    bin=.build-fuzzer/release
    [ -d "$bin" ] || bin=$(swift build --package-path . --scratch-path .build-fuzzer -c release --show-bin-path)
    local target
    for target in "$@"; do
        case " pages exact slab kmalloc mixed " in
            *" $target "*) ;;
            *) echo "error: unknown trace target '$target' (targets: pages exact slab kmalloc mixed)" >&2; exit 64 ;;
        esac
        [ -x "$bin/$target" ] || { echo "error: $bin/$target is missing: run Fuzz/build.sh release first" >&2; exit 1; }
    done
}

# write_throughput_inputs DIR: 200 seeded traces per profile in DIR/<profile>
# (throughput-inputs, built here), its summary lines on stdout.
write_throughput_inputs() {
    local dir=$1
    . ./build-plan.sh
    drop_stale_build_plan .build
    drop_stale_fuzz_modules .build
    swift build --package-path . --product throughput-inputs > "$dir.build.log" 2>&1 \
        || { cat "$dir.build.log" >&2; echo "error: building throughput-inputs failed" >&2; exit 1; }
    .build/debug/throughput-inputs "$dir" --count 200
}
