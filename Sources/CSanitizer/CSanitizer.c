#include "CSanitizer.h"

// The ASan interface is declared weak: when the process is built with
// --sanitize=address the runtime defines these symbols, otherwise they stay
// null and every call below is a no-op. This works no matter which module was
// compiled with the sanitizer flag, because only the final link decides.
void __asan_poison_memory_region(void const volatile *addr, size_t size) __attribute__((weak));
void __asan_unpoison_memory_region(void const volatile *addr, size_t size) __attribute__((weak));
int __asan_address_is_poisoned(void const volatile *addr) __attribute__((weak));
void *__asan_region_is_poisoned(void *beg, size_t size) __attribute__((weak));
void __asan_report_load_n(void *addr, size_t size) __attribute__((weak));
void __asan_report_store_n(void *addr, size_t size) __attribute__((weak));
void __asan_get_shadow_mapping(size_t *shadow_scale, size_t *shadow_offset) __attribute__((weak));

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

void alloccheck_check_access(const void *address, size_t size, int is_write) {
    if (!__asan_region_is_poisoned || !__asan_region_is_poisoned((void *)address, size)) return;
    // The report the instrumentation would make for this access (its kind
    // names what the poison marks: a freed page or object, a red zone).
    if (is_write) __asan_report_store_n((void *)address, size);
    else __asan_report_load_n((void *)address, size);
}

__attribute__((no_sanitize("address")))
void alloccheck_check_page_ends(const void *address, size_t count, size_t page_size, int is_write) {
    if (!__asan_get_shadow_mapping || count == 0) return;
    size_t scale, offset;
    __asan_get_shadow_mapping(&scale, &offset);
    // An aligned 8-byte word is addressable when its shadow byte is 0 (with
    // the usual scale of 3): one load per word, as the instrumentation does.
    if (scale != 3) {
        for (size_t i = 0; i < count; i++) {
            const char *page = (const char *)address + i * page_size;
            alloccheck_check_access(page, 8, is_write);
            alloccheck_check_access(page + page_size - 8, 8, is_write);
        }
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const char *page = (const char *)address + i * page_size;
        const char *last = page + page_size - 8;
        if (*(const signed char *)(((size_t)page >> 3) + offset) != 0) alloccheck_check_access(page, 8, is_write);
        if (*(const signed char *)(((size_t)last >> 3) + offset) != 0) alloccheck_check_access(last, 8, is_write);
    }
}
