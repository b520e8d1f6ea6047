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
    # Per-module coverage without comparison tracing (see ../Package.swift).
    export ALLOCCHECK_FUZZ_BUILD=1
fi
for target in $targets; do
    # shellcheck disable=SC2086
    swift build -c release --scratch-path .build-fuzzer $flags --product "$target"
done
bin=$(swift build -c release --scratch-path .build-fuzzer $flags --show-bin-path)

for target in $targets; do
    cp "$bin/$target" "$OUT/$target"
    # The robustness targets (checkers, decoding) have no dictionary.
    if [ -f "Dictionaries/$target.dict" ]; then cp "Dictionaries/$target.dict" "$OUT/$target.dict"; fi
    (cd "../corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
done
