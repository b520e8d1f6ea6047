#!/usr/bin/env bash
# Builds every fuzz target with libFuzzer coverage and AddressSanitizer, then
# proves both are really on: each target's start-up line must show enough
# coverage counters, and its code must call AddressSanitizer's checks.
#
#   Fuzz/build.sh [debug|release] [target...]   (default: release, every target)
#
# Binaries: Fuzz/.build-fuzzer/<config>/<target>, for <target> in
# pages exact slab kmalloc mixed (the trace profiles) and checkers decoding
# (the invariant checkers and the property-testing engine on their own). The
# plain tools (make-corpus) build in Fuzz/.build without sanitizers, so
# neither build undoes the other.
#
# Why `-Xswiftc -sanitize=fuzzer,address`: SwiftPM passes the two --sanitize
# options to the Swift driver as two flags, and the driver keeps only the last,
# so Swift code would silently get coverage or ASan, not both. The trailing
# flag wins and carries both; --sanitize=fuzzer still links libFuzzer's main.
set -euo pipefail
cd "$(dirname "$0")"

config=${1:-release}
case "$config" in
    debug|release) ;;
    *) echo "usage: Fuzz/build.sh [debug|release] [target...]" >&2; exit 64 ;;
esac
all_targets=(pages exact slab kmalloc mixed checkers decoding)
targets=("${@:2}")
[ "${#targets[@]}" -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    case " ${all_targets[*]} " in
        *" $target "*) ;;
        *) echo "error: unknown fuzz target '$target' (targets: ${all_targets[*]})" >&2; exit 64 ;;
    esac
done
common_flags=(--package-path . -c "$config"
              --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
              --static-swift-stdlib)
# The package manifest chooses each module's coverage kind from
# ALLOCCHECK_FUZZ_BUILD (see ../Package.swift): 1 for the trace targets,
# engine for `checkers` and `decoding`, which test the invariant checkers and
# the property-testing engine and so give them edge coverage. Each kind builds
# in its own folder; the robustness targets are copied beside the others, so
# every binary is in .build-fuzzer/<config>/.
robustness() { [ "$1" = decoding ] || [ "$1" = checkers ]; }
scratch_of() { robustness "$1" && echo .build-fuzzer-engine || echo .build-fuzzer; }
coverage_of() { robustness "$1" && echo engine || echo 1; }
# The compiler reuses an object file whose code did not change even when only
# instrumentation flags did, so a build folder made with other coverage
# settings (another signature of the manifest's coverage lines) is started
# afresh; and a stale build plan is dropped (see build-plan.sh).
. ./build-plan.sh
coverage_signature=$(grep -E 'sanitize-coverage|asan-|swiftSettings|ALLOCCHECK_FUZZ_BUILD' ../Package.swift | cksum)
prepare() {
    local scratch=$1
    if [ "$(cat "$scratch/coverage-settings" 2>/dev/null)" != "$coverage_signature" ]; then
        rm -rf "$scratch"
        mkdir -p "$scratch"
        echo "$coverage_signature" > "$scratch/coverage-settings"
    fi
    drop_stale_build_plan "$scratch"
    drop_stale_fuzz_modules "$scratch"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/build.log
prepare .build-fuzzer
bin=$(ALLOCCHECK_FUZZ_BUILD=1 swift build "${common_flags[@]}" --scratch-path .build-fuzzer --show-bin-path)
mkdir -p "$bin"
for target in "${targets[@]}"; do
    # One product at a time: building every product would also build
    # make-corpus, whose top-level code the fuzzer flag does not allow.
    echo "== building $target ($config, fuzzer + address)"
    scratch=$(scratch_of "$target")
    prepare "$scratch"
    status=0
    ALLOCCHECK_FUZZ_BUILD=$(coverage_of "$target") \
        swift build "${common_flags[@]}" --scratch-path "$scratch" --product "$target" > "$log" 2>&1 || status=$?
    # The gold linker warns about every local ASan symbol; the rest is worth showing.
    grep -v "Cannot export local symbol" "$log" || true
    [ "$status" -eq 0 ] || { echo "error: building $target failed" >&2; exit 1; }
    if [ "$scratch" != .build-fuzzer ]; then
        built=$(ALLOCCHECK_FUZZ_BUILD=$(coverage_of "$target") \
                swift build "${common_flags[@]}" --scratch-path "$scratch" --show-bin-path)
        cp "$built/$target" "$bin/$target"
    fi
done

# Coverage counters, ASan checks, no comparison tracing, ASan defaults.
./check-instrumentation.sh "$bin" "${targets[@]}"
