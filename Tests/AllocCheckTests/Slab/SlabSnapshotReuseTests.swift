import Invariants
import Testing
@testable import AllocCheck

/// `snapshot(into:)` refills a snapshot in the storage it already holds. A
/// snapshot reused across allocators and states, larger and smaller, with
/// more and fewer caches, slabs, free chains and live objects, must equal a
/// snapshot taken into a new value every time: no field, list or chain of
/// an earlier state may survive.
@Suite("Snapshots refilled in place")
struct SlabSnapshotReuseTests {
    @Test("A reused snapshot equals a fresh one after every step of a random workload, across allocators")
    func reusedEqualsFresh() throws {
        var random = SplitMix64(seed: 42)
        var reused = AllocatorSnapshot(pageSize: 0, topOrder: 0, pages: [], freeLists: [], exactAllocations: [],
                                       freePageCount: 0)
        var compared = 0
        for (round, pageCount) in [600, 64, 300, 1024, 17].enumerated() {
            let pages = try PageAllocator(pageCount: pageCount, reserved: pageCount > 100 ? [40..<43] : [])
            // A page allocator on its own first (exact allocations, no slab layer), then the layer over it.
            var exact: [UnsafeMutableRawPointer] = []
            for _ in 0..<3 { if let p = try? pages.allocPagesExact(4096 * (1 + random.below(5)) + 100) { exact.append(p) } }
            pages.snapshot(into: &reused)
            #expect(reused == pages.snapshot())
            let layer = try SlabAllocator(pageAllocator: pages)
            var caches = [try layer.createCache(name: "a\(round)", objectSize: 24)]
            var live: [(UnsafeMutableRawPointer, SlabCacheID?)] = []
            for step in 0..<250 {
                let choice = random.below(100)
                if choice < 35, !caches.isEmpty {
                    let cache = caches[random.below(caches.count)]
                    if let object = try? layer.allocate(cache) { live.append((object, cache)) }
                } else if choice < 60 {
                    // Small and large (page-backed) kmalloc sizes.
                    let size = random.below(8) == 0 ? 9000 + random.below(20_000) : 1 + random.below(2000)
                    if let object = try? layer.kmalloc(size) { live.append((object, nil)) }
                } else if choice < 90, !live.isEmpty {
                    let (object, cache) = live.remove(at: random.below(live.count))
                    if let cache { try layer.free(object, to: cache) } else { try layer.kfree(object) }
                } else if choice < 95 {
                    if let cache = try? layer.createCache(name: "c\(round).\(step)", objectSize: 8 + random.below(500)) {
                        caches.append(cache)
                    }
                } else if caches.count > 1 {
                    let cache = caches.remove(at: random.below(caches.count))
                    for (object, owner) in live where owner == cache { try layer.free(object, to: cache) }
                    live.removeAll { $0.1 == cache }
                    try layer.destroy(cache)
                }
                layer.snapshot(into: &reused)
                let fresh = layer.snapshot()
                #expect(reused == fresh, "round \(round), step \(step)")
                let offsets = reused.slabLayer.liveObjects.map(\.offset)
                #expect(offsets == offsets.sorted(), "live objects out of order at round \(round), step \(step)")
                compared += 1
            }
            #expect(InvariantSuite.checkAll(reused).isEmpty)
            for (object, cache) in live {
                if let cache { try layer.free(object, to: cache) } else { try layer.kfree(object) }
            }
            layer.snapshot(into: &reused)
            #expect(reused == layer.snapshot())
            #expect(reused.slabLayer.liveObjects.isEmpty)
        }
        #expect(compared == 1250)
    }

    @Test("Large kmalloc blocks go into the live objects at their place among the small ones")
    func largeBlocksInOrder() throws {
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 256))
        var objects: [UnsafeMutableRawPointer] = []
        for index in 0..<40 { objects.append(try layer.kmalloc(index % 5 == 0 ? 20_000 : 64)) }
        let live = layer.snapshot().slabLayer.liveObjects
        #expect(live.count == 40)
        #expect(live.map(\.offset) == live.map(\.offset).sorted())
        #expect(live.filter { $0.requestedBytes == 20_000 }.count == 8)
        for object in objects { try layer.kfree(object) }
    }
}
