import CSanitizer
import Testing
@testable import AllocCheck

/// Under AddressSanitizer free objects are poisoned like free pages, and
/// handed-out objects are not; the slab layer's own checks lift the poison
/// only while they read. Without ASan the hooks do nothing.
@Suite("Slab AddressSanitizer poisoning")
struct SlabSanitizerTests {
    let underASan = alloccheck_asan_enabled() != 0

    func poisoned(_ pointer: UnsafeMutableRawPointer) -> Bool { alloccheck_is_poisoned(pointer) != 0 }

    @Test("Free objects are poisoned, live ones are not, before and after validation", arguments: [SlabDebugOptions(), .all])
    func poisoning(debug: SlabDebugOptions) throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "asan", objectSize: 64, debug: debug)
        let live = try layer.allocate(cache)
        let freed = try layer.allocate(cache)
        try layer.free(freed, to: cache)
        let neverUsed = freed + 2 * (try layer.info(cache).stride)
        for round in 0..<2 {
            #expect(poisoned(freed) == underASan, "round \(round)")
            #expect(poisoned(neverUsed) == underASan, "round \(round)")
            #expect(!poisoned(live) && !poisoned(live + 63), "round \(round)")
            #expect(try layer.validate(cache).isEmpty)
            _ = layer.snapshot()
        }
        let again = try layer.allocate(cache)
        #expect(again == freed)
        #expect(!poisoned(again) && !poisoned(again + 63))
        again.storeBytes(of: 0x1234, as: UInt64.self)
        try layer.free(again, to: cache)
        try layer.free(live, to: cache)
        #expect(poisoned(live) == underASan)
    }
}
