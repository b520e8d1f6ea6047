#!/bin/bash -eu
# Builds the fuzz targets for ClusterFuzzLite / OSS-Fuzz and puts each one in
# $OUT with its dictionary and seed corpus (<target>, <target>.dict,
# <target>_seed_corpus.zip).
. precompile_swift

cd "$SRC/alloccheck/Fuzz"
targets="pages exact slab kmalloc mixed checkers decoding"
flags="$SWIFT6_2FLAGS"
if [ "$SANITIZER" != "coverage" ]; then
    # SwiftPM hands the Swift driver one -sanitize flag per --sanitize option
    # and the driver keeps only the last; this trailing flag carries both.
    flags="$flags -Xswiftc -sanitize=fuzzer,$SANITIZER"
fi
for target in $targets; do
    # Per-module coverage without comparison tracing (see ../Package.swift):
    # `checkers` and `decoding` test the invariant checkers and the engine,
    # and give them edge coverage, in a folder of their own.
    scratch=.build-fuzzer
    coverage=1
    if [ "$target" = decoding ] || [ "$target" = checkers ]; then scratch=.build-fuzzer-engine; coverage=engine; fi
    if [ "$SANITIZER" = "coverage" ]; then coverage=; fi
    # shellcheck disable=SC2086
    ALLOCCHECK_FUZZ_BUILD=$coverage swift build -c release --scratch-path "$scratch" $flags --product "$target"
    # shellcheck disable=SC2086
    bin=$(ALLOCCHECK_FUZZ_BUILD=$coverage swift build -c release --scratch-path "$scratch" $flags --show-bin-path)
    cp "$bin/$target" "$OUT/$target"
done

# The checks Fuzz/build.sh makes (coverage counters, ASan checks, no
# comparison tracing, ASan defaults): OSS-Fuzz's own bad-build check passes a
# target that lost most of its instrumentation. Only for ASan builds, which
# the checks are written for (project.yaml asks for no other sanitizer).
if [ "$SANITIZER" = "address" ]; then
    # shellcheck disable=SC2086
    ./check-instrumentation.sh "$OUT" $targets
fi

for target in $targets; do
    # The robustness targets (checkers, decoding) have no dictionary.
    if [ -f "Dictionaries/$target.dict" ]; then cp "Dictionaries/$target.dict" "$OUT/$target.dict"; fi
    # A fresh archive: zip adds to one left in a reused $OUT, keeping seeds since removed.
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "../corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
done
