import Invariants
import Testing
@testable import AllocCheck

enum SlabFixture {
    /// A slab layer over a fresh arena of `pageCount` pages.
    static func layer(pageCount: Int = 512, kmallocDebug: SlabDebugOptions = []) throws -> SlabAllocator {
        try SlabAllocator(pageAllocator: PageAllocator(pageCount: pageCount), kmallocDebug: kmallocDebug)
    }
}

/// A client of 64-byte objects: a cache of its own, or kmalloc-64 when
/// `viaKmalloc`, so that one test covers both ways in.
struct SlabClient64 {
    let layer: SlabAllocator
    /// The client's own cache; nil for kmalloc.
    let cache: SlabCacheID?
    /// The cache the objects come from (kmalloc-64 for kmalloc).
    let handle: SlabCacheID

    init(_ layer: SlabAllocator, name: String, viaKmalloc: Bool) throws {
        self.layer = layer
        cache = viaKmalloc ? nil : try layer.createCache(name: name, objectSize: 64)
        handle = try cache ?? #require(layer.kmallocCache(forSize: 64))
    }

    func allocate() throws -> UnsafeMutableRawPointer { try cache.map { try layer.allocate($0) } ?? layer.kmalloc(64) }

    /// Fills `count` whole new slabs and returns their objects, slab by slab
    /// (the cache must have no partial slab).
    func fillSlabs(_ count: Int) throws -> [UnsafeMutableRawPointer] {
        let perSlab = try layer.info(handle).objectsPerSlab
        return try (0..<(count * perSlab)).map { _ in try allocate() }
    }

    func free(_ object: UnsafeMutableRawPointer) throws {
        if let cache { try layer.free(object, to: cache) } else { try layer.kfree(object) }
    }
}

/// Expects every invariant (page level and slab ownership) to hold.
func expectSound(_ layer: SlabAllocator, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    let violations = InvariantSuite.checkAll(layer.snapshot())
    #expect(violations.isEmpty, "\(context): \(violations.prefix(5).map(\.description))", sourceLocation: sourceLocation)
}

/// Runs `body`, expects it to throw exactly `expected`, and checks that the
/// layer's snapshot (pages, slabs, free chains, live objects) did not change.
func expectRefused(
    _ expected: SlabError, _ layer: SlabAllocator, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(SlabError) -> Void
) {
    let before = layer.snapshot()
    var thrown: SlabError?
    do { try body() } catch { thrown = error }
    #expect(thrown == expected, sourceLocation: sourceLocation)
    let after = layer.snapshot()
    #expect(before == after, "changed: \(firstDifference(before, after) ?? "")", sourceLocation: sourceLocation)
}

extension UnsafeMutableRawPointer {
    var address: UInt { UInt(bitPattern: self) }
}
