import Invariants
import Testing
@testable import AllocCheck

/// The fast paths' list moves (a free into a full slab, the allocation that
/// takes a slab's last free object) and `kfree`'s per-page hint: the same
/// results as the general path, and misuse refused with nothing changed.
@Suite("Slab fast paths: list moves and the kfree hint")
struct SlabFastPathMoveTests {
    @Test("A free into a full slab makes it partial and hot; the allocation that empties its free list makes it full",
          arguments: [false, true])
    func fullSlabRoundTrip(viaKmalloc: Bool) throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "moves", viaKmalloc: viaKmalloc)
        let (handle, free, allocate) = (client.handle, client.free, client.allocate)
        let objects = try client.fillSlabs(3)
        let perSlab = try layer.info(handle).objectsPerSlab
        #expect(try layer.info(handle).fullSlabs == 3)
        // One object back into each of two full slabs: both partial, the later one hot.
        let first = objects[1]
        let second = objects[2 * perSlab + 5]
        try free(first)
        try free(second)
        #expect(try layer.info(handle).partialSlabs == 2)
        #expect(try layer.info(handle).fullSlabs == 1)
        expectSound(layer)
        // Each allocation takes a slab's last free object and makes it full again.
        #expect(try allocate() == second)
        #expect(try layer.info(handle).partialSlabs == 1)
        #expect(try allocate() == first)
        #expect(try layer.info(handle).partialSlabs == 0)
        #expect(try layer.info(handle).fullSlabs == 3)
        expectSound(layer)
        for object in objects { try free(object) }
        #expect(try layer.info(handle).activeObjects == 0)
        expectSound(layer)
    }

    @Test("Misuse aimed at a full slab is refused by free and kfree with nothing changed")
    func misuseOnFullSlab() throws {
        let layer = try SlabFixture.layer()
        let full = try SlabClient64(layer, name: "full", viaKmalloc: false)
        let cache = full.handle
        let other = try layer.createCache(name: "other", objectSize: 64)
        let objects = try full.fillSlabs(1)
        let elsewhere = try layer.allocate(other)
        #expect(try layer.info(cache).fullSlabs == 1)
        expectRefused(.wrongCache(address: objects[3].address, expected: "other", actual: "full"), layer) {
            () throws(SlabError) in try layer.free(objects[3], to: other)
        }
        expectRefused(.notObjectBoundary(address: objects[3].address + 8, cache: "full", nearestObject: objects[3].address),
                      layer) { () throws(SlabError) in try layer.free(objects[3] + 8, to: cache) }
        expectRefused(.notObjectBoundary(address: objects[3].address + 8, cache: "full", nearestObject: objects[3].address),
                      layer) { () throws(SlabError) in try layer.kfree(objects[3] + 8) }
        // A double free right after the slab left the full list.
        try layer.kfree(objects[4])
        expectRefused(.doubleFree(address: objects[4].address, cache: "full", owners: nil), layer) {
            () throws(SlabError) in try layer.kfree(objects[4])
        }
        for object in objects where object != objects[4] { try layer.free(object, to: cache) }
        try layer.free(elsewhere, to: other)
        expectSound(layer)
    }

    @Test("kfree's page hint follows slabs as caches are destroyed and their pages reused")
    func hintFollowsPages() throws {
        let layer = try SlabFixture.layer(pageCount: 64)
        let doomed = try layer.createCache(name: "doomed", objectSize: 64)
        let object = try layer.allocate(doomed)
        let pfn = try #require(layer._testingSlabPfn(holding: object))
        try layer.kfree(object)
        try layer.destroy(doomed)
        // The page is free again: kfree of the old address is refused.
        expectRefused(.notInSlab(address: object.address), layer) { () throws(SlabError) in try layer.kfree(object) }
        // A new cache of another size takes the same page; kfree serves its objects.
        let next = try layer.createCache(name: "next", objectSize: 192)
        let reused = try (0..<4).map { _ in try layer.allocate(next) }
        #expect(layer._testingSlabPfn(holding: reused[0]) == pfn)
        for each in reused.dropLast() { try layer.kfree(each) }
        // The old 64-byte boundary is now inside a 192-byte object.
        expectRefused(.notObjectBoundary(address: reused[0].address + 64, cache: "next", nearestObject: reused[0].address),
                      layer) { () throws(SlabError) in try layer.kfree(reused[0] + 64) }
        try layer.kfree(reused[3])
        #expect(try layer.info(next).activeObjects == 0)
        // A large kmalloc block over the same pages is freed through the general path.
        try layer.shrink(next)
        let block = try layer.kmalloc(64 * 1024)
        try layer.kfree(block)
        expectSound(layer)
    }
}
