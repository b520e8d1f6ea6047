import CSanitizer

/// AddressSanitizer hooks for the arena: free memory is poisoned and handed
/// out memory unpoisoned, so ASan reports a touch of a freed page or object
/// even though the memory stays inside our own arena. Without the ASan
/// runtime these calls do nothing.
enum Sanitizer {
    @inline(__always)
    static func poison(_ address: UnsafeMutableRawPointer, _ bytes: Int) {
        alloccheck_poison(address, bytes)
    }

    @inline(__always)
    static func unpoison(_ address: UnsafeMutableRawPointer, _ bytes: Int) {
        alloccheck_unpoison(address, bytes)
    }

    /// Whether this process runs under AddressSanitizer.
    public static var isEnabled: Bool { alloccheck_asan_enabled() != 0 }
}
