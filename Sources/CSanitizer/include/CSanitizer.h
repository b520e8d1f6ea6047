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

/// Checks an access of `size` bytes at `address` as ASan's instrumentation
/// checks a load or store: when any of the bytes is poisoned, ASan reports the
/// access (a read, or a write when `is_write` is non-zero) and stops the
/// process. For code built without load and store checks that touches memory
/// an allocator poisons. No-op without ASan.
void alloccheck_check_access(const void *address, size_t size, int is_write);

/// `alloccheck_check_access` for the first and the last 8 bytes of each of
/// `count` pages of `page_size` bytes from `address` (page-aligned).
void alloccheck_check_page_ends(const void *address, size_t count, size_t page_size, int is_write);

#endif
