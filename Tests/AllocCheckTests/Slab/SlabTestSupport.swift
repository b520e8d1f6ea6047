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
/// layer's snapshot (pages, slabs, free chains, live objects) did not change,
/// nor any cache's hot slab, which no snapshot shows: a refused call that
/// moved it would change which object the next allocation hands out.
func expectRefused(
    _ expected: SlabError, _ layer: SlabAllocator, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(SlabError) -> Void
) {
    let before = layer.snapshot()
    let hotBefore = hotSlabs(layer)
    var thrown: SlabError?
    do { try body() } catch { thrown = error }
    #expect(thrown == expected, sourceLocation: sourceLocation)
    let after = layer.snapshot()
    #expect(before == after, "changed: \(firstDifference(before, after) ?? "")", sourceLocation: sourceLocation)
    #expect(hotSlabs(layer) == hotBefore, "a refused call changed a hot slab", sourceLocation: sourceLocation)
}

/// Stores `value` in the first word of `object`, which the caller has
/// freed: a use-after-free write, past ASan's poison when it is present.
func useAfterFreeWrite(_ layer: SlabAllocator, _ object: UnsafeMutableRawPointer, _ value: UInt) {
    withUnsafeBytes(of: value) { bytes in
        for (offset, byte) in bytes.enumerated() { layer._testingPoke(object + offset, byte) }
    }
}

/// Each cache row's hot slab, with the fast path's record and first object
/// (-1 and 0 where none; rows of no live cache included).
func hotSlabs(_ layer: SlabAllocator) -> [[UInt]] {
    (0..<layer.maxCaches).map { row in
        let meta = layer.caches[row]
        return [UInt(bitPattern: Int(meta.hotSlab)), meta.hotRecord, meta.hotFirst]
    }
}

extension UnsafeMutableRawPointer {
    var address: UInt { UInt(bitPattern: self) }
}

/// Expects the layer's per-object records (`SlabAllocator.objectState`) to
/// be non-zero exactly where an object of a live cache slab starts. The
/// inlined allocation trusts a free object's record to place a next free
/// pointer on an object start, so a record left behind by a slab whose pages
/// now hold objects of another size would let it follow a pointer into the
/// middle of an object; snapshots only show records of objects handed out.
func expectObjectRecordsExact(_ layer: SlabAllocator, _ context: String = "",
                              sourceLocation: SourceLocation = #_sourceLocation) {
    let pageCount = layer.pageAllocator.pageCount
    let perPage = layer.pageAllocator.pageSize / 8
    // Looked up only, never iterated.
    var starts = Set<Int>()
    for pfn in 0..<pageCount where layer.slabs[pfn].cache >= 0 {
        let ci = Int(layer.slabs[pfn].cache)
        for index in 0..<Int(layer.slabs[pfn].objects) {
            let entry = layer.stateSlot(Int32(pfn), ci, index)
            starts.insert(entry)
            if layer.objectState[entry] == 0 {
                Issue.record("\(context): object \(index) of the slab at page \(pfn) has no record", sourceLocation: sourceLocation)
                return
            }
        }
    }
    for page in 0..<pageCount where layer.slabPageEver[page] != 0 {
        for entry in (page * perPage)..<((page + 1) * perPage) where layer.objectState[entry] != 0 && !starts.contains(entry) {
            let record = String(layer.objectState[entry], radix: 16)
            let offset = (entry - page * perPage) * 8
            Issue.record("\(context): page \(page) holds the record \(record) at byte \(offset), where no object of a live slab starts",
                         sourceLocation: sourceLocation)
            return
        }
    }
}
