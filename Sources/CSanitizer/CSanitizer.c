#include "CSanitizer.h"

// The ASan interface is declared weak: when the process is built with
// --sanitize=address the runtime defines these symbols, otherwise they stay
// null and every call below is a no-op. This works no matter which module was
// compiled with the sanitizer flag, because only the final link decides.
void __asan_poison_memory_region(void const volatile *addr, size_t size) __attribute__((weak));
void __asan_unpoison_memory_region(void const volatile *addr, size_t size) __attribute__((weak));
int __asan_address_is_poisoned(void const volatile *addr) __attribute__((weak));

void alloccheck_poison(const void *address, size_t size) {
    if (__asan_poison_memory_region) __asan_poison_memory_region(address, size);
}

void alloccheck_unpoison(const void *address, size_t size) {
    if (__asan_unpoison_memory_region) __asan_unpoison_memory_region(address, size);
}

int alloccheck_asan_enabled(void) {
    return __asan_poison_memory_region != 0;
}

int alloccheck_is_poisoned(const void *address) {
    if (__asan_address_is_poisoned) return __asan_address_is_poisoned(address);
    return 0;
}
