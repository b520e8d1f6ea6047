import Invariants
import Testing
@testable import AllocCheck

/// A fast free into a full slab makes the slab hot without moving it: it
/// stays on the full list, parked, until the allocation that takes the object
/// back (nothing moves) or until another slab becomes hot (it moves to the
/// partial list's tail). Counts, snapshots and validation show it as the
/// partial slab it is, and the results are those of the general path.
@Suite("Slab fast paths: a slab parked on the full list")
struct SlabParkedSlabTests {
    /// Whether `handle`'s cache is served by the inlined paths (not under ASan).
    static func fast(_ layer: SlabAllocator, _ handle: SlabCacheID) -> Bool { layer.caches[Int(handle.index)].fastPath }

    /// The list slab `pfn` is on, as the layer keeps it.
    static func list(_ layer: SlabAllocator, _ pfn: Int) -> SlabList { layer.slabs[pfn].list }

    /// The snapshot's partial list of the cache named `name`, as head pfns.
    static func partialHeads(_ layer: SlabAllocator, _ name: String) -> [Int] {
        let snapshot = layer.snapshot().slabLayer
        let cache = snapshot.caches.first { $0.name == name }!
        return cache.partialSlabs.map { snapshot.slabs[$0].basePfn }
    }

    @Test("A free into a full slab parks it as hot, and the allocation that takes the object back moves nothing",
          arguments: [false, true])
    func parkAndTakeBack(viaKmalloc: Bool) throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "park", viaKmalloc: viaKmalloc)
        let handle = client.handle
        let objects = try client.fillSlabs(3)
        let slab = try #require(layer._testingSlabPfn(holding: objects[1]))
        try client.free(objects[1])
        let fast = Self.fast(layer, handle)
        // Parked on the fast path; moved by the general path (under ASan).
        #expect(Self.list(layer, slab) == (fast ? .full : .partial))
        #expect(layer.caches[Int(handle.index)].hotSlab == Int32(slab))
        #expect(layer.isParked(Int32(slab), Int(handle.index)) == fast)
        // Shown as the partial slab it is.
        #expect(try layer.info(handle).partialSlabs == 1 && layer.info(handle).fullSlabs == 2)
        #expect(try Self.partialHeads(layer, layer.info(handle).name) == [slab])
        #expect(try layer.validate(handle).isEmpty)
        expectSound(layer)
        // The next allocation hands the object back; the slab is full where it stands.
        #expect(try client.allocate() == objects[1])
        #expect(Self.list(layer, slab) == .full)
        #expect(layer.caches[Int(handle.index)].hotSlab == -1)
        #expect(try layer.info(handle).partialSlabs == 0 && layer.info(handle).fullSlabs == 3)
        #expect(try layer.validate(handle).isEmpty)
        expectSound(layer)
        for object in objects { try client.free(object) }
        #expect(try layer.info(handle).activeObjects == 0)
        #expect(try layer.validate(handle).isEmpty)
        expectSound(layer)
    }

    @Test("A parked slab moves to the partial list's tail when another slab becomes hot", arguments: [false, true])
    func settleOnHotChange(viaKmalloc: Bool) throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "settle", viaKmalloc: viaKmalloc)
        let handle = client.handle
        let name = try layer.info(handle).name
        let objects = try client.fillSlabs(3)
        let perSlab = try layer.info(handle).objectsPerSlab
        let (a, b) = try (#require(layer._testingSlabPfn(holding: objects[0])),
                          #require(layer._testingSlabPfn(holding: objects[perSlab])))
        try client.free(objects[0])
        try client.free(objects[perSlab + 3])
        let fast = Self.fast(layer, handle)
        #expect(Self.list(layer, a) == .partial)
        #expect(Self.list(layer, b) == (fast ? .full : .partial))
        #expect(layer.caches[Int(handle.index)].hotSlab == Int32(b))
        // The same lists, in the same order, as the general path keeps.
        #expect(Self.partialHeads(layer, name) == [a, b])
        #expect(try layer.info(handle).partialSlabs == 2 && layer.info(handle).fullSlabs == 1)
        #expect(try layer.validate(handle).isEmpty)
        expectSound(layer)
        // A second free into the parked slab keeps it parked and hot.
        try client.free(objects[perSlab + 4])
        #expect(Self.list(layer, b) == (fast ? .full : .partial))
        #expect(try layer.validate(handle).isEmpty)
        // Allocation drains the hot slab first, then the partial list's head.
        #expect(try client.allocate() == objects[perSlab + 4])
        #expect(try client.allocate() == objects[perSlab + 3])
        #expect(Self.list(layer, b) == .full)
        #expect(layer.caches[Int(handle.index)].hotSlab == Int32(a))
        #expect(try client.allocate() == objects[0])
        #expect(try layer.info(handle).partialSlabs == 0 && layer.info(handle).fullSlabs == 3)
        #expect(try layer.validate(handle).isEmpty)
        expectSound(layer)
    }

    @Test("A cache that leaves the fast path with a parked slab keeps working on the general path")
    func parkedThenGeneralPath() throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "general", viaKmalloc: false)
        let cache = try #require(client.cache)
        let perSlab = try layer.info(cache).objectsPerSlab
        let objects = try client.fillSlabs(3)
        let (a, b) = try (#require(layer._testingSlabPfn(holding: objects[0])),
                          #require(layer._testingSlabPfn(holding: objects[perSlab])))
        let wasFast = Self.fast(layer, cache)
        try layer.free(objects[0], to: cache)
        #expect(Self.list(layer, a) == (wasFast ? .full : .partial))
        // Fault injection that never fires takes every cache off the fast path for good.
        layer.faultInjection = try FaultInjection(every: 1_000_000)
        #expect(!Self.fast(layer, cache))
        // Leaving the fast path settles the parked slab: the general path
        // never settles one (its free skips the check for a cache off the fast path).
        #expect(Self.list(layer, a) == .partial)
        #expect(try layer.validate(cache).isEmpty)
        // A general free into another full slab moves it behind the settled one.
        try layer.free(objects[perSlab + 1], to: cache)
        #expect(Self.list(layer, a) == .partial)
        #expect(Self.list(layer, b) == .partial)
        #expect(Self.partialHeads(layer, "general") == [a, b])
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
        // And allocation takes from the hot slab, then the partial list's head.
        #expect(try layer.allocate(cache) == objects[perSlab + 1])
        #expect(try layer.allocate(cache) == objects[0])
        #expect(try layer.info(cache).partialSlabs == 0 && layer.info(cache).fullSlabs == 3)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
    }

    @Test("Shrinking and a refused destroy leave a parked slab as it was; once its objects are freed the cache goes")
    func shrinkAndDestroyWithAParkedSlab() throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "parked-destroy", viaKmalloc: false)
        let cache = try #require(client.cache)
        let perSlab = try layer.info(cache).objectsPerSlab
        let objects = try client.fillSlabs(3)
        let a = try #require(layer._testingSlabPfn(holding: objects[perSlab + 2]))
        try layer.free(objects[perSlab + 2], to: cache)
        let fast = Self.fast(layer, cache)
        #expect(layer.isParked(Int32(a), Int(cache.index)) == fast)
        let freePages = layer.pageAllocator.freePages
        // No empty slab to give back; the parked one is not empty.
        #expect(try layer.shrink(cache) == 0)
        // Refused with objects handed out: nothing changes, the hot slab included.
        let live = objects.enumerated().filter { $0.offset != perSlab + 2 }.map(\.element.address).sorted()
        expectRefused(.cacheHasLiveObjects(cache: "parked-destroy", objects: live), layer) { () throws(SlabError) in
            try layer.destroy(cache)
        }
        #expect(layer.isParked(Int32(a), Int(cache.index)) == fast)
        #expect(try layer.info(cache).partialSlabs == 1 && layer.info(cache).fullSlabs == 2)
        #expect(layer.pageAllocator.freePages == freePages)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
        // Freed to the last object, the parked slab goes to the empty list (no longer hot).
        for (k, object) in objects.enumerated() where k != perSlab + 2 { try layer.free(object, to: cache) }
        #expect(Self.list(layer, a) != .full)
        #expect(try layer.info(cache).activeObjects == 0)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
        try layer.destroy(cache)
        #expect(layer.pageAllocator.freePages > freePages)
        expectSound(layer)
    }

    @Test("Validation reports a slab with a free object left on the full list when it is not the hot slab")
    func strandedSlabIsReported() throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "stranded", viaKmalloc: false)
        let cache = try #require(client.cache)
        let perSlab = try layer.info(cache).objectsPerSlab
        let objects = try client.fillSlabs(3)
        let a = try #require(layer._testingSlabPfn(holding: objects[0]))
        let b = try #require(layer._testingSlabPfn(holding: objects[perSlab]))
        try layer.free(objects[0], to: cache)
        guard Self.fast(layer, cache) else { return }  // nothing parks under ASan
        // Another slab made hot without settling the parked one strands it.
        layer._testingSetHotSlab(cache, pfn: b)
        let problems = try layer.validate(cache)
        #expect(problems.contains(.slabCorrupt(slabPfn: a, cache: "stranded",
                                               reason: "on the full list with \(perSlab - 1) of \(perSlab) objects in use")))
    }
}
