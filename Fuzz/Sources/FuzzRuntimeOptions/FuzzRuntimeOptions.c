#include "FuzzRuntimeOptions.h"

// AddressSanitizer's run-time defaults for the trace targets. ASan reads them
// before ASAN_OPTIONS, so a user's own setting of either option still wins.
//
// quarantine_size_mb: ASan holds freed heap memory back from reuse (256 MiB
// by default) so that a use after free of a heap object is caught. The
// allocator under test does not depend on it: its arena is one buffer that
// the allocator itself poisons page by page and object by object, and its
// metadata tables come from its own pool. What ASan's heap holds is the
// judge's Swift objects, a few hundred KiB per input. With 256 MiB in
// quarantine every input's allocations land on pages not touched for
// hundreds of inputs, and about a tenth of each execution went to the kernel
// faulting them in. 16 MiB still keeps the frees of the last fifty or so
// inputs from reuse.
//
// The function is not instrumented: ASan calls it while it initialises.
__attribute__((no_sanitize("address", "undefined"), used, visibility("default")))
const char *__asan_default_options(void) {
    return "quarantine_size_mb=16";
}
