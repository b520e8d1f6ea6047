#!/usr/bin/env bash
# Proves that fuzz binaries are instrumented as they must be, and fails the
# build otherwise: a target that lost its coverage or its AddressSanitizer
# checks still builds and fuzzes, half-blind, and nothing else would say so.
#
#   Fuzz/check-instrumentation.sh BIN_DIR TARGET...
#
# Per target: enough coverage counters in its start-up line, enough calls to
# ASan's report functions, no comparison tracing from the main package, the
# trace targets' ASan defaults (__asan_default_options), and no libTesting
# at run time. Used by Fuzz/build.sh and .clusterfuzzlite/build.sh.
set -euo pipefail
bin=$1
shift

# Measured: about 17,500 counters per trace target (edges of the allocator,
# functions of the checkers, the engine and the judge), and about 44,800 in
# `checkers` and `decoding`, whose checkers and engine have edge coverage. A
# build whose Swift code lost coverage shows a few hundred at most; a
# robustness target built like the others shows the others' count.
min_counters=10000
min_robustness_counters=30000
# Measured: about 4,600 calls to ASan's report functions per trace target
# (the allocator's: the judge-side modules have no load and store checks,
# see ../Package.swift), about 15,600 in `checkers` and `decoding`.
min_asan_checks=1000
robustness() { [ "$1" = decoding ] || [ "$1" = checkers ]; }
# binutils' objdump, or LLVM's (the OSS-Fuzz image has the latter on its path).
objdump=$(command -v objdump || command -v llvm-objdump || true)
[ -n "$objdump" ] || { echo "error: no objdump or llvm-objdump to inspect the fuzz binaries" >&2; exit 1; }

export SWIFT_BACKTRACE=enable=no SWIFT_DETERMINISTIC_HASHING=1
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
for target in "$@"; do
    exe="$bin/$target"
    [ -x "$exe" ] || { echo "error: $exe was not built" >&2; exit 1; }
    output=$("$exe" -runs=1 "$empty" 2>&1) || { echo "$output" >&2; echo "error: $target failed on the empty input" >&2; exit 1; }
    counters=$(echo "$output" | sed -nE 's/.*Loaded 1 modules +\(([0-9]+) inline 8-bit counters\).*/\1/p' | head -n 1)
    least=$min_counters
    robustness "$target" && least=$min_robustness_counters
    if [ -z "$counters" ] || [ "$counters" -lt "$least" ]; then
        echo "$output" >&2
        echo "error: $target has ${counters:-no} coverage counters (expected at least $least): the Swift code is not instrumented for the fuzzer as it should be" >&2
        exit 1
    fi
    checks=$("$objdump" -d --no-show-raw-insn "$exe" | grep -cE 'call.*<__asan_report_(load|store)' || true)
    if [ "$checks" -lt "$min_asan_checks" ]; then
        echo "error: $target has $checks AddressSanitizer checks (expected at least $min_asan_checks): the Swift code is not instrumented for ASan" >&2
        exit 1
    fi
    # Comparison tracing must be off in the main package (see ../Package.swift):
    # measured 24 call sites in the trace targets, about 1,100 in the robustness
    # targets (their own code in this package keeps it), about 30,000 when the
    # manifest did not see the setting.
    cmps=$("$objdump" -d --no-show-raw-insn "$exe" | grep -cE 'call.*<__sanitizer_cov_trace_(const_)?cmp' || true)
    if [ "$cmps" -gt 5000 ]; then
        echo "error: $target traces $cmps comparisons: ALLOCCHECK_FUZZ_BUILD did not reach the package manifest" >&2
        exit 1
    fi
    # The trace targets' ASan defaults (Fuzz/Sources/FuzzRuntimeOptions) must reach the runtime.
    if ! robustness "$target" && ! ASAN_OPTIONS=help=1 "$exe" -runs=0 "$empty" 2>&1 \
            | grep -A1 -E '^\s*quarantine_size_mb$' | grep -q 'Current Value: 16)'; then
        echo "error: $target does not carry its AddressSanitizer defaults (__asan_default_options)" >&2
        exit 1
    fi
    if ldd "$exe" 2>/dev/null | grep -q 'libTesting'; then
        echo "error: $target needs libTesting.so at run time" >&2
        exit 1
    fi
    echo "== $target: $counters coverage counters, $checks ASan checks: $exe"
done
