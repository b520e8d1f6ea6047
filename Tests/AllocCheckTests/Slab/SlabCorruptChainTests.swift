import Invariants
import Testing
@testable import AllocCheck

/// What traces cannot reach (a write into a freed object, a hardened cache,
/// an interior pointer passed to `ksize`) and what a refusal must leave
/// alone beyond the snapshot: each test here fails with one of the sixth
/// round's hand-made mutants, which passed the property suites and
/// `alloccheck check` (docs/judge.md).
@Suite("Slab: corrupt free chains, hardened caches, refusals and release order")
struct SlabCorruptChainTests {
    /// The hardened out-of-line allocation refuses a next pointer that decodes to its own object.
    @Test func anEncodedSelfPointerIsRefusedOnTheHardenedPath() throws {
        let layer = try SlabFixture.layer()
        let secret: UInt64 = 0x5EC7E7
        let cache = try layer.createCache(name: "h", objectSize: 64, freeListSecret: secret)
        let objects = try (0..<8).map { _ in try layer.allocate(cache) }
        try layer.free(objects[3], to: cache)
        let key = UInt(truncatingIfNeeded: CacheMeta.mixSecret(secret))
        let at = objects[3].address
        // The encoded self-pointer: next ^ key ^ byteSwapped(holder), next = holder.
        useAfterFreeWrite(layer, objects[3], at ^ key ^ at.byteSwapped)
        var thrown: SlabError?
        var got: UnsafeMutableRawPointer?
        do { got = try layer.allocate(cache) } catch { thrown = error }
        #expect(got == nil, "a self-pointing free object was handed out")
        guard case .freePointerCorrupt = thrown else { Issue.record("expected freePointerCorrupt, got \(String(describing: thrown))"); return }
        #expect(try layer.validate(cache).isEmpty)
    }

    /// A free pointer to a free object of another slab of the cache is refused on allocation.
    @Test func aFreePointerIntoAnotherSlabIsRefused() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "plain", objectSize: 64)
        let perSlab = try layer.info(cache).objectsPerSlab
        let objects = try (0..<(2 * perSlab)).map { _ in try layer.allocate(cache) }
        let y = objects[perSlab + 5]   // slab B
        let x = objects[7]             // slab A
        #expect(layer._testingSlabPfn(holding: x) != layer._testingSlabPfn(holding: y))
        try layer.free(y, to: cache)
        try layer.free(x, to: cache)   // A hot, its chain: x -> 0
        useAfterFreeWrite(layer, x, y.address)      // use after free: x -> y (slab B)
        var thrown: SlabError?
        var got: UnsafeMutableRawPointer?
        do { got = try layer.allocate(cache) } catch { thrown = error }
        #expect(got == nil, "allocation followed a pointer into another slab")
        guard case .freePointerCorrupt = thrown else { Issue.record("expected freePointerCorrupt, got \(String(describing: thrown))"); return }
    }

    /// `validate` reports a free chain that runs through a live object.
    @Test func validateReportsAFreeChainThroughALiveObject() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "plain", objectSize: 64)
        let perSlab = try layer.info(cache).objectsPerSlab
        let objects = try (0..<perSlab).map { _ in try layer.allocate(cache) }
        try layer.free(objects[0], to: cache)
        try layer.free(objects[1], to: cache)    // chain: o1 -> o0 -> 0
        useAfterFreeWrite(layer, objects[1], objects[5].address)  // o1 -> o5 (live)
        objects[5].storeBytes(of: 0, as: UInt.self)             // o5's data (live): 0, so the chain still has 2 entries
        let problems = try layer.validate(cache)
        #expect(problems.contains {
            if case let .freePointerCorrupt(_, _, holder, value) = $0 { return holder == objects[1].address && value == objects[5].address }
            return false
        }, "validate found \(problems)")
    }

    /// `shrink` gives its empty slabs back in list order (the newest
    /// emptied first): the slab emptied last goes back first, so the one
    /// emptied first is the block at the front of the free list afterwards.
    @Test func shrinkGivesEmptySlabsBackInListOrder() throws {
        let pages = try PageAllocator(pageCount: 64)
        let layer = try SlabAllocator(pageAllocator: pages, emptySlabsKept: 4)
        let cache = try layer.createCache(name: "c", objectSize: 256)   // order-0 slabs of 16
        #expect(try layer.info(cache).order == 0)
        let perSlab = try layer.info(cache).objectsPerSlab
        // Four slabs at pages 0...3.
        let objects = try (0..<(4 * perSlab)).map { _ in try layer.allocate(cache) }
        let slabPfns = [0, 1, 2, 3].map { layer._testingSlabPfn(holding: objects[$0 * perSlab])! }
        #expect(slabPfns == [0, 1, 2, 3])
        // Empty slab 0 then slab 2 (1 and 3 stay busy, so neither merges): the empty list is [2, 0].
        for object in objects[0..<perSlab] { try layer.free(object, to: cache) }
        for object in objects[(2 * perSlab)..<(3 * perSlab)] { try layer.free(object, to: cache) }
        _ = try layer.shrink(cache)
        // Released 2 then 0: 0 went back last, so it heads the order-0 list.
        let next = try pages.allocPages(order: 0)
        #expect(next == pages.address(ofPage: 0), "page \((UInt(bitPattern: next) - UInt(bitPattern: pages.base)) / 4096) came first")
    }

    /// A refused free leaves the parked hot slab where it was, so the
    /// layer's later state is as if the call had not been made.
    @Test func aRefusedFreeLeavesAParkedSlabWhereItWas() throws {
        func run(withMisuse: Bool) throws -> AllocatorSnapshot {
            let layer = try SlabFixture.layer()
            let cache = try layer.createCache(name: "plain", objectSize: 64)
            let perSlab = try layer.info(cache).objectsPerSlab
            let objects = try (0..<(3 * perSlab)).map { _ in try layer.allocate(cache) }
            // Slab A (filled first: the full list's tail) gets an object back: parked, hot.
            try layer.free(objects[3], to: cache)
            if withMisuse {
                // An interior pointer into slab C: refused.
                #expect(throws: SlabError.self) { try layer.free(objects[2 * perSlab + 1] + 8, to: cache) }
            }
            // Fill slab A again, then look at the lists.
            _ = try layer.allocate(cache)
            return layer.snapshot()
        }
        let plain = try run(withMisuse: false)
        let misused = try run(withMisuse: true)
        #expect(plain.slabLayer == misused.slabLayer, "a refused free changed the lists: \(plain.slabLayer.caches.last!.fullSlabs) vs \(misused.slabLayer.caches.last!.fullSlabs)")
    }

    /// A refused (double) free into a hardened cache's partial slab does not make that slab hot.
    @Test func aRefusedFreeIntoAHardenedCacheKeepsItsHotSlab() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "h", objectSize: 64, freeListSecret: 99)
        let perSlab = try layer.info(cache).objectsPerSlab
        let a = try (0..<perSlab).map { _ in try layer.allocate(cache) }   // slab A, full
        let b = try (0..<3).map { _ in try layer.allocate(cache) }         // slab B, partial
        try layer.free(b[2], to: cache)    // B hot
        try layer.free(a[0], to: cache)    // A full -> partial, hot
        let hotBefore = hotSlabs(layer)
        #expect(throws: SlabError.self) { try layer.free(b[2], to: cache) }   // double free: refused
        #expect(hotSlabs(layer) == hotBefore, "a refused free changed the hot slab")
        #expect(try layer.allocate(cache) == a[0], "the next allocation should take A's freed object")
    }

    /// `ksize` refuses a pointer inside a large kmalloc block, as kfree does.
    @Test func ksizeRefusesAPointerInsideALargeBlock() throws {
        let layer = try SlabFixture.layer()
        let block = try layer.kmalloc(10000)   // a large block: four pages
        #expect(try layer.ksize(block) == 16384)
        var thrown: SlabError?
        var size: Int?
        do { size = try layer.ksize(block + 4096) } catch { thrown = error }
        #expect(size == nil, "ksize answered \(String(describing: size)) for a pointer inside the block")
        guard case .notObjectBoundary = thrown else { Issue.record("expected notObjectBoundary, got \(String(describing: thrown))"); return }
        try layer.kfree(block)
    }
}
