import Invariants
import Testing
@testable import AllocCheck

@Suite("Slab caches: geometry, allocation, lists, shrink and destroy")
struct SlabCacheTests {
    @Test("Slab order follows SLUB: enough objects per slab, little waste")
    func slabOrder() throws {
        let layer = try SlabFixture.layer()
        func info(_ size: Int) throws -> SlabCacheInfo { try layer.info(#require(layer.kmallocCache(forSize: size))) }
        // The kernel's figures with 4 KiB pages.
        #expect(try info(64).order == 0 && info(64).objectsPerSlab == 64)
        #expect(try info(96).order == 0 && info(96).objectsPerSlab == 42)
        #expect(try info(192).order == 0 && info(192).objectsPerSlab == 21)
        #expect(try info(4096).order == 3 && info(4096).objectsPerSlab == 8)
        #expect(try info(8192).order == 3 && info(8192).objectsPerSlab == 4)
        for size in layer.kmallocClasses {
            let cache = try info(size)
            let slabBytes = 4096 << cache.order
            #expect(cache.leftoverBytesPerSlab == slabBytes - cache.objectsPerSlab * cache.stride)
            #expect(cache.leftoverBytesPerSlab * 4 <= slabBytes, "kmalloc-\(size) wastes more than a quarter")
        }
        // An awkward size: 700 bytes (stride 704) gets an order where the leftover is at most 1/16.
        let odd = try layer.info(layer.createCache(name: "odd", objectSize: 700))
        #expect(odd.stride == 704)
        #expect(odd.leftoverBytesPerSlab * 16 <= 4096 << odd.order)
        #expect(odd.objectsPerSlab >= 8)
    }

    @Test("Objects are distinct, aligned, writable, inside marked slab pages")
    func allocateObjects() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "obj48", objectSize: 48, alignment: 16)
        var objects: [UnsafeMutableRawPointer] = []
        for index in 0..<200 {
            let object = try layer.allocate(cache)
            #expect(object.address % 16 == 0)
            object.initializeMemory(as: UInt8.self, repeating: UInt8(index & 0xff), count: 48)
            objects.append(object)
        }
        #expect(Set(objects.map(\.address)).count == 200)
        for (index, object) in objects.enumerated() {
            #expect(object.load(fromByteOffset: 47, as: UInt8.self) == UInt8(index & 0xff))
            let pfn = try #require(layer.pageAllocator.pageFrame(containing: object))
            #expect(layer.pageAllocator._testingPage(pfn).slab >= 0)
        }
        let info = try layer.info(cache)
        #expect(info.activeObjects == 200)
        #expect(info.slabs == (200 + info.objectsPerSlab - 1) / info.objectsPerSlab)
        expectSound(layer)
        for object in objects { try layer.free(object, to: cache) }
        #expect(try layer.info(cache).activeObjects == 0)
        expectSound(layer)
    }

    @Test("Every object is aligned to its cache's alignment, with or without debug options",
          arguments: [SlabDebugOptions(), .redZone, .all])
    func alignment(_ debug: SlabDebugOptions) throws {
        let layer = try SlabFixture.layer(pageCount: 1024)
        for alignment in [8, 16, 32, 64, 128, 256, 512, 1024, 4096] {
            for size in [1, 8, 24, 40, 72, 100, 700, 3000] {
                let cache = try layer.createCache(name: "a\(alignment)-\(size)", objectSize: size, alignment: alignment, debug: debug)
                let info = try layer.info(cache)
                #expect(info.alignment == alignment && info.stride % alignment == 0, "alignment \(alignment), size \(size)")
                // Two slabs' worth, so that a slab's first object is checked after another slab's last.
                let objects = try (0...info.objectsPerSlab).map { _ in try layer.allocate(cache) }
                for object in objects {
                    #expect(object.address % UInt(alignment) == 0, "alignment \(alignment), size \(size), \(debug): \(object)")
                }
                let sorted = objects.map(\.address).sorted()
                #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $1 - $0 >= UInt(size) }, "objects overlap")
                for object in objects { try layer.free(object, to: cache) }
                try layer.destroy(cache)
            }
        }
        expectSound(layer)
    }

    @Test("Every page of a multi-page slab carries the slab's mark; freePages refuses it")
    func pageMarks() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "big", objectSize: 3000)
        let object = try layer.allocate(cache)
        let order = try layer.info(cache).order
        #expect(order >= 1)
        let head = try #require(layer._testingSlabPfn(holding: object))
        for pfn in head..<(head + (1 << order)) {
            #expect(layer.pageAllocator._testingPage(pfn).slab == Int32(head))
        }
        let before = layer.snapshot()
        #expect(throws: AllocError.slabPage(pfn: head)) {
            try layer.pageAllocator.freePages(layer.pageAllocator.address(ofPage: head), order: order)
        }
        // Either page free function, any page of the slab: a slab page, refused with nothing changed.
        for pfn in head..<(head + (1 << order)) {
            let page = layer.pageAllocator.address(ofPage: pfn)
            #expect(throws: AllocError.slabPage(pfn: pfn)) { try layer.pageAllocator.freePages(page, order: 0) }
            #expect(throws: AllocError.slabPage(pfn: pfn)) { try layer.pageAllocator.freePagesExact(page, size: 4096) }
        }
        #expect(layer.snapshot() == before)
        try layer.free(object, to: cache)
        try layer.shrink(cache)
        for pfn in head..<(head + (1 << order)) { #expect(layer.pageAllocator._testingPage(pfn).slab == -1) }
        expectSound(layer)
    }

    @Test("Allocation prefers a partial slab over an empty or new one")
    func partialFirst() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "p", objectSize: 256)
        let perSlab = try layer.info(cache).objectsPerSlab
        var objects = try (0..<(3 * perSlab)).map { _ in try layer.allocate(cache) }
        #expect(try layer.info(cache).fullSlabs == 3)
        // Free one object of the middle slab: it becomes the only partial slab.
        let middle = objects.remove(at: perSlab + 2)
        let middlePfn = layer._testingSlabPfn(holding: middle)
        try layer.free(middle, to: cache)
        #expect(try layer.info(cache).partialSlabs == 1)
        let again = try layer.allocate(cache)
        #expect(layer._testingSlabPfn(holding: again) == middlePfn)
        #expect(again == middle, "the most recently freed object comes back first")
        // Two slabs become partial: the object freed last comes back first
        // (LIFO), then the partial list's head serves.
        let fromFirst = objects[0]
        let fromLast = objects[objects.count - 1]
        try layer.free(fromFirst, to: cache)
        try layer.free(fromLast, to: cache)
        #expect(try layer.info(cache).partialSlabs == 2)
        #expect(try layer.allocate(cache) == fromLast)
        #expect(try layer.allocate(cache) == fromFirst)
        #expect(try layer.info(cache).partialSlabs == 0)
        expectSound(layer)
    }

    @Test("Shrink returns empty slabs to the page allocator; free pages come back exactly")
    func shrink() throws {
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 512), emptySlabsKept: 8)
        let freeBefore = layer.pageAllocator.freePageCount
        let listsBefore = layer.pageAllocator.freeBlockCounts
        let cache = try layer.createCache(name: "s", objectSize: 512)
        let objects = try (0..<100).map { _ in try layer.allocate(cache) }
        let info = try layer.info(cache)
        #expect(layer.pageAllocator.freePageCount == freeBefore - info.slabs << info.order)
        for object in objects { try layer.free(object, to: cache) }
        let emptied = try layer.info(cache).emptySlabs
        #expect(emptied == min(8, info.slabs))
        let returned = try layer.shrink(cache)
        #expect(returned == info.slabs << info.order)
        #expect(layer.pageAllocator.freePageCount == freeBefore)
        #expect(layer.pageAllocator.freeBlockCounts == listsBefore)
        #expect(try layer.info(cache).slabs == 0)
        expectSound(layer)
    }

    @Test("Destroying a cache with a live object is refused and changes nothing; afterwards it works")
    func destroy() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "TestSlub_leak", objectSize: 64)
        let object = try layer.allocate(cache)
        let other = try layer.allocate(cache)
        try layer.free(other, to: cache)
        expectRefused(.cacheHasLiveObjects(cache: "TestSlub_leak", objects: [object.address]), layer) { () throws(SlabError) in
            try layer.destroy(cache)
        }
        // Still usable after the refusal.
        let more = try layer.allocate(cache)
        try layer.free(more, to: cache)
        try layer.free(object, to: cache)
        let freeBefore = layer.pageAllocator.freePageCount
        try layer.destroy(cache)
        #expect(layer.pageAllocator.freePageCount > freeBefore)
        #expect(throws: SlabError.unknownCache) { try layer.allocate(cache) }
        #expect(throws: SlabError.kmallocCacheNotDestroyable(name: "kmalloc-64")) {
            try layer.destroy(#require(layer.kmallocCache(forSize: 64)))
        }
        expectSound(layer)
    }

    @Test("Bad cache parameters are typed errors")
    func badParameters() throws {
        let layer = try SlabFixture.layer()
        #expect(throws: SlabError.invalidObjectSize(size: 0)) { try layer.createCache(name: "z", objectSize: 0) }
        #expect(throws: SlabError.invalidAlignment(alignment: 24)) {
            try layer.createCache(name: "a", objectSize: 8, alignment: 24)
        }
        #expect(throws: SlabError.invalidObjectSize(size: 5 << 20)) { try layer.createCache(name: "h", objectSize: 5 << 20) }
    }

    @Test("Running out of pages is a typed error and changes nothing")
    func outOfMemory() throws {
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 8, topOrder: 3))
        let cache = try layer.createCache(name: "page", objectSize: 4096)
        let perSlab = try layer.info(cache).objectsPerSlab
        var objects: [UnsafeMutableRawPointer] = []
        for _ in 0..<perSlab { objects.append(try layer.allocate(cache)) }
        expectRefused(.pageAllocator(.outOfMemory(order: try layer.info(cache).order)), layer) { () throws(SlabError) in
            _ = try layer.allocate(cache)
        }
        try layer.free(objects[0], to: cache)
        #expect(try layer.allocate(cache) == objects[0])
    }

    @Test("slabinfo lists every cache in the kernel's 2.1 format")
    func slabinfo() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "dentry", objectSize: 192)
        let objects = try (0..<30).map { _ in try layer.allocate(cache) }
        let lines = layer.slabinfo.split(separator: "\n").map(String.init)
        #expect(lines[0] == "slabinfo - version: 2.1")
        #expect(lines[1].hasPrefix("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"))
        #expect(lines.count == 2 + layer.kmallocClasses.count + 1)
        // Newest first, then the kmalloc caches, largest class first.
        let fields = lines[2].split(separator: " ").map(String.init)
        #expect(fields[0] == "dentry")
        #expect(Array(fields[1...5]) == ["30", "42", "192", "21", "1"])
        #expect(fields.suffix(3) == ["2", "2", "0"])
        #expect(lines[3].hasPrefix("kmalloc-8k "))
        #expect(lines.last!.hasPrefix("kmalloc-8 "))
        for object in objects { try layer.free(object, to: cache) }
    }

    @Test("The multiply-only object-boundary test agrees with division for every stride")
    func objectStartTest() throws {
        var strides: Set<Int> = []
        for size in [1, 8, 24, 40, 56, 64, 72, 96, 100, 192, 200, 1000, 3000, 4096, 8192] {
            for debug in [SlabDebugOptions(), .redZone, .poison, .all] {
                for alignment in [8, 64] {
                    let meta = try CacheMeta.layout(objectSize: size, alignment: alignment, flags: debug, isKmalloc: false,
                                                    pageSize: 4096, topOrder: 10)
                    strides.insert(meta.stride)
                    let span = meta.objectsPerSlab * meta.stride
                    // Every offset in and just past the slab, and wrapped "negative" ones.
                    for delta in 0..<(span + 2 * meta.stride) {
                        let expected = delta < span && delta % meta.stride == 0
                        #expect(meta.isObjectStart(UInt(delta)) == expected, "stride \(meta.stride), delta \(delta)")
                    }
                    for below in 1...(2 * meta.stride) {
                        #expect(!meta.isObjectStart(0 &- UInt(below)), "stride \(meta.stride), delta -\(below)")
                    }
                }
            }
        }
        #expect(strides.contains { $0 & ($0 - 1) != 0 } && strides.contains { $0 & ($0 - 1) == 0 })
    }
}
