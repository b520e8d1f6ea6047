import Testing
@testable import AllocCheck

/// The inlined paths find a handle's row from the low bits of its key (the
/// row's byte offset under `SlabAllocator.rowOffsetMask`) without a bounds
/// check, and rely on the row's key holding the whole index: a handle whose
/// index only shares its low bits with a live row's is refused like any
/// unknown handle, with nothing changed.
@Suite("Slab handles: a row found from a key's low bits")
struct SlabHandleRowTests {
    @Test("A handle from a larger table whose index shares its low bits with a live row is unknown, and changes nothing")
    func foreignHandleSharingLowBits() throws {
        let small = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 256), maxCaches: 64)
        let large = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 64), maxCaches: 256)
        // kmalloc-64 (generation 0) in the small layer's table of 64 rows.
        let target = try #require(small.kmallocCache(forSize: 64))
        #expect(small.rowOffsetMask == 63 << 8)
        // Caches of the large layer until one sits 64 rows past the target, generation 0 too.
        var foreign = target
        while foreign.index != target.index + 64 {
            foreign = try large.createCache(name: "c\(foreign.index)", objectSize: 64)
        }
        #expect(foreign.generation == target.generation)
        #expect(foreign.key & UInt64(small.rowOffsetMask) == target.key & UInt64(small.rowOffsetMask))
        #expect(foreign != target)

        let object = try small.kmalloc(64)
        let before = try small.info(target)
        #expect(throws: SlabError.unknownCache) { try small.allocate(foreign) }
        #expect(throws: SlabError.unknownCache) { try small.free(object, to: foreign) }
        #expect(try small.info(target) == before)
        #expect(small.cacheID(index: Int(foreign.index)) == nil)
        try small.kfree(object)
        #expect(try small.info(target).activeObjects == 0)
        expectSound(small)
    }

    @Test("A handle's index and generation survive the key, and a destroyed row's key matches no handle")
    func keysAndDeadRows() throws {
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 256), maxCaches: 20)
        #expect(layer.rowOffsetMask == 31 << 8)
        let cache = try layer.createCache(name: "once", objectSize: 32)
        #expect(cache == layer.cacheID(index: Int(cache.index)))
        try layer.destroy(cache)
        let again = try layer.createCache(name: "twice", objectSize: 32)
        #expect(again.index == cache.index)
        #expect(again.generation == cache.generation &+ 1)
        #expect(throws: SlabError.unknownCache) { try layer.allocate(cache) }
        // A live row holds its handle's key; any other row (the rows past
        // `maxCaches` included) a key whose index is not the row's, which no
        // handle leading to that row has.
        for row in 0..<32 {
            let key = layer.caches[row].handleKey
            if layer.caches[row].live {
                #expect(key == layer.handle(row).key)
            } else {
                #expect(Int32(truncatingIfNeeded: (key & 0xFFFF_FFFF) >> UInt64(CacheMeta.rowShift)) != Int32(row))
            }
        }
        let object = try layer.allocate(again)
        try layer.free(object, to: again)
        expectSound(layer)
    }
}
