#ifndef ALLOCCHECK_CSANITIZER_H
#define ALLOCCHECK_CSANITIZER_H

#include <stddef.h>

/// Marks [address, address + size) as unaddressable for AddressSanitizer.
/// A no-op when the process does not carry the ASan runtime.
void alloccheck_poison(const void *address, size_t size);

/// Marks [address, address + size) as addressable again. No-op without ASan.
void alloccheck_unpoison(const void *address, size_t size);

/// 1 when the AddressSanitizer runtime is present in this process, else 0.
int alloccheck_asan_enabled(void);

/// 1 when ASan considers the byte at `address` poisoned; always 0 without ASan.
int alloccheck_is_poisoned(const void *address);

#endif
