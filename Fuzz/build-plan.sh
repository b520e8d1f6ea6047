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
