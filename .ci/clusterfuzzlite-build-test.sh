#!/usr/bin/env bash
# Tests .clusterfuzzlite/build.sh without Docker: runs it as the OSS-Fuzz
# image would, with $SRC, $OUT, $WORK and $SANITIZER=address pointing at
# temporary folders and a stand-in for the image's precompile_swift, then
# checks each target's binary, dictionary and seed corpus in $OUT and runs
# one produced binary on its seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out" "$tmp/work" "$tmp/bin"
ln -s "$root" "$tmp/src/alloccheck"
# The image's precompile_swift sets the Swift build flags for its 6.2 toolchain.
cat > "$tmp/bin/precompile_swift" <<'STUB'
export SWIFT6_2FLAGS="--sanitize=fuzzer --sanitize=$SANITIZER --static-swift-stdlib"
STUB
SRC=$tmp/src OUT=$tmp/out WORK=$tmp/work SANITIZER=address PATH="$tmp/bin:$PATH" \
    bash .clusterfuzzlite/build.sh > "$tmp/build.log" 2>&1 || { grep -v "Cannot export local symbol" "$tmp/build.log" >&2; echo "error: .clusterfuzzlite/build.sh failed" >&2; exit 1; }
checked=0
for target in pages exact slab kmalloc mixed checkers decoding; do
    [ -x "$tmp/out/$target" ] || { echo "error: \$OUT/$target is missing" >&2; exit 1; }
    case $target in
        checkers|decoding) ;;  # no dictionary
        *) [ -s "$tmp/out/$target.dict" ] || { echo "error: \$OUT/$target.dict is missing" >&2; exit 1; } ;;
    esac
    seeds=$(find "corpus/$target" -type f | wc -l)
    zipped=$(unzip -Z1 "$tmp/out/${target}_seed_corpus.zip" | wc -l)
    [ "$seeds" -eq "$zipped" ] || { echo "error: ${target}_seed_corpus.zip holds $zipped of $seeds seeds" >&2; exit 1; }
    checked=$((checked + 1))
done
mkdir "$tmp/corpus"
(cd "$tmp/corpus" && unzip -q "$tmp/out/mixed_seed_corpus.zip")
SWIFT_BACKTRACE=enable=no SWIFT_DETERMINISTIC_HASHING=1 "$tmp/out/mixed" -dict="$tmp/out/mixed.dict" \
    -max_total_time=10 "$tmp/corpus" > "$tmp/run.log" 2>&1 || { tail -n 40 "$tmp/run.log" >&2; echo "error: \$OUT/mixed failed on its seeds" >&2; exit 1; }
grep -E '^#[0-9]+[[:space:]]+DONE' "$tmp/run.log" | tail -n 1
echo "clusterfuzzlite build: $checked passed, 0 failed"
