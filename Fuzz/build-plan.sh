# Sourced by the scripts in Fuzz/ that build this package.
#
# SwiftPM can keep the build plan of an earlier run when a source file was
# added to or removed from the root package (a path dependency here), and
# then fails to find the new file's declarations. drop_stale_build_plan
# SCRATCH drops the plan of build folder SCRATCH (not its object files) when
# the list of source files changed since it last ran, so it is made again.
drop_stale_build_plan() {
    local scratch=$1 signature
    signature=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && find Sources Invariants Fuzz/Sources -name '*.swift' | LC_ALL=C sort | cksum)
    mkdir -p "$scratch"
    if [ "$(cat "$scratch/source-files" 2>/dev/null)" != "$signature" ]; then
        rm -f "$scratch"/*.yaml "$scratch"/*/description.json
        echo "$signature" > "$scratch/source-files"
    fi
}

# SwiftPM did not always recompile this package's own modules when a class
# of the root package (a path dependency) changed its layout: a fuzz target
# then kept an old object layout, and wrote past the end of the new object
# (an ASan heap-buffer-overflow at start-up, before any input). The modules
# of this package are small, so drop_stale_fuzz_modules SCRATCH deletes
# their build folders in SCRATCH whenever the root package's Swift sources
# changed in content since it last ran, with the build plan; SwiftPM then
# rebuilds them.
drop_stale_fuzz_modules() {
    local scratch=$1 signature folder
    signature=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." \
        && find Sources Invariants -name '*.swift' -print0 | LC_ALL=C sort -z | xargs -0 cat | cksum)
    mkdir -p "$scratch"
    if [ "$(cat "$scratch/root-sources" 2>/dev/null)" != "$signature" ]; then
        for folder in "$scratch"/*/*/Fuzz*.build "$scratch"/*/*/RobustnessFuzzing.build \
                      "$scratch"/*/*/MakeCorpus.build "$scratch"/*/*/ThroughputInputs.build; do
            [ -d "$folder" ] && rm -rf "$folder"
        done
        # The build plan names files in those folders: it is made again too.
        rm -f "$scratch"/*.yaml "$scratch"/*/description.json
        echo "$signature" > "$scratch/root-sources"
    fi
}
