import Invariants
import Testing
@testable import AllocCheck

/// Every byte a debug option guards is checked, not only the first or the
/// last: each byte of a slot, overwritten alone, in a free and in a live
/// object, is reported by `validate` exactly when the cache's options guard
/// it, and a live object's red-zone byte also makes its free refused.
///
/// What the options guard (SLUB's layout; offsets from the object's start):
/// - Z: the left red zone `[-objectOffset, 0)` and the right one after the
///   object, on live and free objects; on a live kmalloc object also the
///   kmalloc red zone `[requested, objectSize)`;
/// - P: every byte of a free object, and on every object the word-alignment
///   slack after it and the padding up to the stride.
/// A free object's free pointer is checked as a link of its slab's chain.
/// Never guarded: the caller's bytes of a live object, a live object's
/// (stale) free pointer and the owner records (U).
@Suite("Slab debug checks: every guarded byte of a slot is checked")
struct SlabGuardCoverageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let size: Int
        let debug: SlabDebugOptions
        /// The kmalloc size to ask for (a class of `size` bytes with these options); nil: a cache of its own.
        let requested: Int?
        var testDescription: String {
            requested.map { "kmalloc(\($0)) from kmalloc-\(size), \(debug)" } ?? "\(size)-byte objects, \(debug)"
        }
    }

    static let cases: [Case] =
        [1, 7, 20, 24, 100].flatMap { size in
            [SlabDebugOptions.all, .redZone, .poison, [.redZone, .poison], [.poison, .ownerTracking]].map {
                Case(size: size, debug: $0, requested: nil)
            }
        } + [(8, 5), (32, 18), (96, 65), (128, 127), (192, 130)].flatMap { size, requested in
            [SlabDebugOptions.all, .redZone].map { Case(size: size, debug: $0, requested: requested) }
        }

    @Test("Each byte overwritten alone is reported exactly where the options guard it", arguments: cases)
    func everyGuardedByteIsChecked(_ c: Case) throws {
        let layer = try SlabFixture.layer(kmallocDebug: c.requested == nil ? [] : c.debug)
        let cache = try c.requested.map { try #require(layer.kmallocCache(forSize: $0)) }
            ?? layer.createCache(name: "guarded", objectSize: c.size, debug: c.debug)
        func allocate() throws -> UnsafeMutableRawPointer {
            try c.requested.map { try layer.kmalloc($0) } ?? layer.allocate(cache)
        }
        let live = try allocate()
        let freed = try allocate()
        try c.requested == nil ? layer.free(freed, to: cache) : layer.kfree(freed)
        #expect(try layer.validate(cache).isEmpty)
        let meta = layer.caches[Int(cache.index)]
        #expect(meta.objectSize == c.size)
        let requested = c.requested ?? c.size

        func guarded(_ offset: Int, live: Bool) -> Bool {
            if c.debug.contains(.ownerTracking) && (meta.trackOffset..<(meta.trackOffset + 32)).contains(offset) { return false }
            // A free object's free pointer is checked as part of its slab's chain; a live object's is stale.
            if (meta.freePointerOffset..<(meta.freePointerOffset + 8)).contains(offset) && (!live || offset >= c.size) {
                return !live
            }
            if c.debug.contains(.redZone) {
                if offset < 0 || (c.size..<(c.size + meta.rightRedZone)).contains(offset) { return true }
                if live && c.requested != nil && (requested..<c.size).contains(offset) { return true }
            }
            if c.debug.contains(.poison) {
                if !live && (0..<c.size).contains(offset) { return true }
                if (meta.slackStart..<meta.slackEnd).contains(offset) || (meta.paddingStart..<meta.paddingEnd).contains(offset) {
                    return true
                }
            }
            return false
        }

        for (object, isLive) in [(freed, false), (live, true)] {
            var missed: [Int] = [], extra: [Int] = []
            for offset in -meta.objectOffset..<(meta.stride - meta.objectOffset) {
                if isLive && offset >= 0 && offset < requested { continue }
                let byte = object + offset
                let original = layer._testingPeek(byte)
                layer._testingPoke(byte, original ^ 0xff)
                let reported = !(try layer.validate(cache)).isEmpty
                if guarded(offset, live: isLive) != reported {
                    if reported { extra.append(offset) } else { missed.append(offset) }
                }
                // A live object's overwritten red zone also makes its free refused (and it stays live).
                if isLive && c.debug.contains(.redZone) && guarded(offset, live: true)
                    && (offset < 0 || offset >= requested) && !(meta.slackStart..<meta.slackEnd).contains(offset)
                    && !(meta.paddingStart..<meta.paddingEnd).contains(offset) {
                    #expect(throws: SlabError.self, "\(c.testDescription): free with byte \(offset) overwritten") {
                        try c.requested == nil ? layer.free(object, to: cache) : layer.kfree(object)
                    }
                }
                layer._testingPoke(byte, original)
            }
            #expect(missed.isEmpty, "\(c.testDescription): \(isLive ? "live" : "free") object, guarded bytes not reported: \(missed)")
            #expect(extra.isEmpty, "\(c.testDescription): \(isLive ? "live" : "free") object, unguarded bytes reported: \(extra)")
        }
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
    }
}
