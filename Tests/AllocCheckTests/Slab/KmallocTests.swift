import Invariants
import Testing
@testable import AllocCheck

@Suite("Slab kmalloc: size classes, zero size, large blocks, ksize and kfree")
struct SlabKmallocTests {
    @Test("Each size maps to the smallest class that holds it")
    func classes() throws {
        let layer = try SlabFixture.layer()
        #expect(layer.kmallocClasses == [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192])
        let cases: [(Int, Int)] = [(1, 8), (8, 8), (9, 16), (17, 32), (33, 64), (64, 64), (65, 96), (96, 96),
                                   (97, 128), (129, 192), (192, 192), (193, 256), (257, 512), (513, 1024),
                                   (1025, 2048), (2049, 4096), (4097, 8192), (8192, 8192)]
        for (size, expected) in cases {
            let object = try layer.kmalloc(size)
            #expect(try layer.ksize(object) == expected, "kmalloc(\(size))")
            let cache = try #require(layer.kmallocCache(forSize: size))
            #expect(try layer.info(cache).name == SlabAllocator.kmallocName(expected))
            try layer.kfree(object)
        }
        expectSound(layer)
    }

    @Test("The word after a slab's last object, in its leftover bytes, is no object: ksize, kfree and validate say so")
    func leftoverBytesHoldNoObject() throws {
        let layer = try SlabFixture.layer()
        // kmalloc-96: 42 objects of 96 bytes in a 4 KiB slab, 64 bytes left over.
        let cache = try #require(layer.kmallocCache(forSize: 96))
        let info = try layer.info(cache)
        #expect(info.leftoverBytesPerSlab >= 8)
        let objects = try (0..<3).map { _ in try layer.kmalloc(96) }
        let pfn = try #require(layer._testingSlabPfn(holding: objects[0]))
        let first = try #require(objects.map(\.address).min())
        #expect(first == layer.pageAllocator.address(ofPage: pfn).address, "the first object starts the slab")
        let past = try #require(UnsafeMutableRawPointer(bitPattern: first + UInt(info.objectsPerSlab * info.stride)))
        #expect(layer._testingSlabPfn(holding: past) == pfn, "still inside the slab")
        func isNoBoundary(_ error: SlabError) -> Bool {
            if case .notObjectBoundary = error { return true } else { return false }
        }
        #expect { try layer.ksize(past) } throws: { isNoBoundary($0 as! SlabError) }
        let before = layer.snapshot()
        #expect { try layer.kfree(past) } throws: { isNoBoundary($0 as! SlabError) }
        #expect(layer.snapshot() == before)
        // A free pointer leading there is corrupt, not a free object past the end.
        try layer.kfree(objects[1])
        let holder = layer._testingFreePointerAddress(of: objects[1], in: cache)
        let saved = (0..<8).map { layer._testingPeek(holder + $0) }
        for k in 0..<8 { layer._testingPoke(holder + k, UInt8(truncatingIfNeeded: past.address >> UInt(8 * k))) }
        let problems = try layer.validate(cache)
        #expect(problems.contains {
            if case let .freePointerCorrupt(_, _, object, value) = $0 { return object == objects[1].address && value == past.address }
            return false
        }, "\(problems)")
        for k in 0..<8 { layer._testingPoke(holder + k, saved[k]) }
        #expect(try layer.validate(cache).isEmpty)
        try layer.kfree(objects[0])
        try layer.kfree(objects[2])
        expectSound(layer)
    }

    @Test("kmalloc(0) is a distinct sentinel; kfree of nil or the sentinel does nothing")
    func zeroSize() throws {
        let layer = try SlabFixture.layer()
        let before = layer.snapshot()
        let zero = try layer.kmalloc(0)
        #expect(zero == SlabAllocator.zeroSizePointer)
        #expect(zero.address == 16)
        #expect(try layer.ksize(zero) == 0)
        try layer.kfree(zero)
        try layer.kfree(nil)
        #expect(layer.snapshot() == before)
    }

    @Test("Above 8 KiB: a getOrder(size) page block; ksize is the block; at most 4 MiB")
    func large() throws {
        let layer = try SlabFixture.layer(pageCount: 2048)
        let freeBefore = layer.pageAllocator.freePageCount
        let block = try layer.kmalloc(8193)
        #expect(try layer.ksize(block) == 4096 << 2)
        #expect(layer.pageAllocator.freePageCount == freeBefore - 4)
        block.initializeMemory(as: UInt8.self, repeating: 0x11, count: 16384)
        let huge = try layer.kmalloc(132 * 1024)
        #expect(try layer.ksize(huge) == 256 * 1024)
        let top = try layer.kmalloc(4 << 20)
        #expect(try layer.ksize(top) == 4 << 20)
        expectSound(layer)
        expectRefused(.sizeTooLarge(size: (4 << 20) + 1, maximum: 4 << 20), layer) { () throws(SlabError) in
            _ = try layer.kmalloc((4 << 20) + 1)
        }
        // The block is refused by the page allocator's own free functions.
        let pfn = try #require(layer.pageAllocator.pageFrame(containing: block))
        #expect(throws: AllocError.slabPage(pfn: pfn)) { try layer.pageAllocator.freePages(block, order: 2) }
        expectRefused(.notObjectBoundary(address: block.address + 8, cache: "kmalloc (page block)",
                                         nearestObject: block.address), layer) { () throws(SlabError) in
            try layer.kfree(block + 8)
        }
        for pointer in [block, huge, top] { try layer.kfree(pointer) }
        #expect(layer.pageAllocator.freePageCount == freeBefore)
        expectRefused(.notInSlab(address: block.address), layer) { () throws(SlabError) in try layer.kfree(block) }
        expectSound(layer)
    }

    /// The usable size of a cache's object is the size the cache was made
    /// for, with or without debug options, not the stride its slot takes
    /// (a 20-byte object sits in 24 bytes with none). Traces ask `ksize` of
    /// kmalloc objects only, and a mutant that answered the stride for a
    /// cache without debug options passed every other test.
    @Test("ksize of a cache's object is the cache's object size, not its stride")
    func ksizeOfACacheObject() throws {
        let layer = try SlabFixture.layer()
        for debug in [SlabDebugOptions(), [.redZone], .all] {
            let cache = try layer.createCache(name: "twenty-\(debug)", objectSize: 20, debug: debug)
            let object = try layer.allocate(cache)
            #expect(try layer.info(cache).stride > 20)
            #expect(try layer.ksize(object) == 20, "debug \(debug)")
            try layer.free(object, to: cache)
            try layer.destroy(cache)
        }
        expectSound(layer)
    }

    @Test("ksize answers only for a live object: a freed one, an interior pointer or a freed block is refused")
    func ksizeOfWhatIsNotLive() throws {
        let layer = try SlabFixture.layer(pageCount: 2048)
        let kept = try layer.kmalloc(100)
        let freed = try layer.kmalloc(100)
        try layer.kfree(freed)
        // The freed object's slab still holds `kept`, so the slab, its cache
        // and the object boundary are all found: only the object's state says no.
        expectRefused(.doubleFree(address: freed.address, cache: SlabAllocator.kmallocName(128), owners: nil), layer) {
            () throws(SlabError) in _ = try layer.ksize(freed)
        }
        expectRefused(.notObjectBoundary(address: kept.address + 8, cache: SlabAllocator.kmallocName(128),
                                         nearestObject: kept.address), layer) { () throws(SlabError) in
            _ = try layer.ksize(kept + 8)
        }
        let block = try layer.kmalloc(8193)
        try layer.kfree(block)
        expectRefused(.notInSlab(address: block.address), layer) { () throws(SlabError) in _ = try layer.ksize(block) }
        #expect(try layer.ksize(kept) == 128)
        try layer.kfree(kept)
        expectSound(layer)
    }

    @Test("kfree finds the cache from the address alone, for kmalloc and cache objects")
    func kfreeAnyObject() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "inode", objectSize: 600)
        let object = try layer.allocate(cache)
        let small = try layer.kmalloc(100)
        try layer.kfree(object)
        try layer.kfree(small)
        #expect(try layer.info(cache).activeObjects == 0)
        expectSound(layer)
    }
}
