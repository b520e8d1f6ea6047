#ifndef ALLOCCHECK_FUZZ_RUNTIME_OPTIONS_H
#define ALLOCCHECK_FUZZ_RUNTIME_OPTIONS_H

/// AddressSanitizer's defaults for the trace targets (see the definition).
/// ASan calls it once at start-up; options in ASAN_OPTIONS override it.
const char *__asan_default_options(void);

#endif
