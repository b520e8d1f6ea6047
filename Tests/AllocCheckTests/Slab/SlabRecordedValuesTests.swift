import Invariants
import Testing
@testable import AllocCheck

/// Values the layer records or reports but no allocation or free reads back:
/// owner sequence numbers, free pointers as a hardened cache stores them,
/// each kmalloc class's key, what `shrinkAll` returns, the object-state
/// table a layer of large pages hands back, and the padding after a slab's
/// last object. Each was wrong in a planted defect that every other test
/// passed, so each is compared here with its exact expected value.
@Suite("Slab: recorded values compared exactly")
struct SlabRecordedValuesTests {
    /// The stored free-pointer word of free object `object` (cache `cache`), read past ASan.
    static func storedWord(_ layer: SlabAllocator, _ object: UnsafeMutableRawPointer, _ cache: SlabCacheID) -> (UInt, UInt) {
        let holder = layer._testingFreePointerAddress(of: object, in: cache)
        var word: UInt = 0
        for k in 0..<MemoryLayout<UInt>.size { word |= UInt(layer._testingPeek(holder + k)) << UInt(8 * k) }
        return (word, UInt(bitPattern: holder))
    }

    @Test("Owner tracking numbers operations from 1: the first allocation is not 'never'")
    func ownerSequencesStartAtOne() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "owned", objectSize: 64, debug: [.ownerTracking])
        let object = try layer.allocate(cache, owner: 7)
        var owners = try #require(layer.snapshotOwners(object, cache))
        #expect(owners.allocated == SlabOwner(tag: 7, sequence: 1))
        #expect(owners.allocated.description == "owner 7 at operation #1")
        try layer.free(object, to: cache, owner: 8)
        owners = try #require(layer.snapshotOwners(object, cache))
        #expect(owners.allocated == SlabOwner(tag: 7, sequence: 1) && owners.freed == SlabOwner(tag: 8, sequence: 2))
    }

    @Test("A hardened cache stores next ^ key ^ byteSwapped(holder), the holder past the object's start under P")
    func hardenedWordUsesTheHolder() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "hardened", objectSize: 64, debug: [.poison], freeListSecret: 42)
        let objects = try (0..<3).map { _ in try layer.allocate(cache) }
        try layer.free(objects[0], to: cache)
        try layer.free(objects[1], to: cache)
        let (word, holder) = Self.storedWord(layer, objects[1], cache)
        #expect(holder != objects[1].address, "with poisoning the free pointer lies past the object's start")
        let key = UInt(truncatingIfNeeded: CacheMeta.mixSecret(42))
        #expect(word == objects[0].address ^ key ^ holder.byteSwapped)
        try layer.free(objects[2], to: cache)
        expectSound(layer)
    }

    @Test("Each kmalloc class has its own key: the secret plus the class's index, mixed")
    func kmallocClassesHaveTheirOwnKeys() throws {
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 512), kmallocFreeListSecret: 7)
        var keys: [UInt] = []
        for (index, size) in [8, 16].enumerated() {
            let cache = try #require(layer.kmallocCache(forSize: size))
            let first = try layer.kmalloc(size), second = try layer.kmalloc(size)
            try layer.kfree(first)
            try layer.kfree(second)
            let (word, holder) = Self.storedWord(layer, second, cache)
            let key = word ^ first.address ^ holder.byteSwapped
            #expect(key == UInt(truncatingIfNeeded: CacheMeta.mixSecret(7 &+ UInt64(index))), "kmalloc-\(size)")
            keys.append(key)
        }
        #expect(keys[0] != keys[1])
    }

    @Test("shrinkAll returns every cache's pages given back, in all")
    func shrinkAllAddsUpItsCaches() throws {
        let layer = try SlabFixture.layer()
        for name in ["one", "two", "three"] {
            let cache = try layer.createCache(name: name, objectSize: 64)
            try layer.free(try layer.allocate(cache), to: cache)
        }
        let before = layer.pageAllocator.freePageCount
        #expect(layer.shrinkAll() == 3)
        #expect(layer.pageAllocator.freePageCount == before + 3)
        #expect(layer.shrinkAll() == 0)
    }

    @Test("A layer of 16 KiB pages hands its object-state table back clear: the next layer starts empty")
    func largePagesClearTheirStateTable() throws {
        do {
            let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 64, pageSize: 16384))
            for _ in 0..<100 { _ = try layer.kmalloc(100) }
        }
        // The table goes back to the pool when the layer goes; a layer over an
        // arena of the same size may take it (other tests running may take it first).
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 64, pageSize: 16384))
        let cache = try layer.createCache(name: "after", objectSize: 200)
        _ = try layer.allocate(cache)
        #expect(try layer.info(cache).activeObjects == 1)
        #expect(layer.snapshot().slabLayer.liveObjects.count == 1)
        expectSound(layer)
    }

    @Test("Padding after a slab's last object is checked by validate (P)")
    func leftoverPaddingIsValidated() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "padded", objectSize: 1000, debug: [.poison])
        let info = try layer.info(cache)
        #expect(info.leftoverBytesPerSlab > 0)
        let object = try layer.allocate(cache)
        let pfn = try #require(layer._testingSlabPfn(holding: object))
        let slabEnd = layer.pageAllocator.address(ofPage: pfn) + (layer.pageAllocator.pageSize << info.order)
        let last = slabEnd - 1
        let original = layer._testingPeek(last)
        layer._testingPoke(last, original ^ 0x41)
        let problems = try layer.validate(cache)
        #expect(problems.contains { if case .paddingOverwritten = $0 { return true } else { return false } }, "\(problems)")
        layer._testingPoke(last, original)
        #expect(try layer.validate(cache).isEmpty)
    }
}

@Suite("Fault injection: counting")
struct FaultInjectionCountingTests {
    @Test("Once `times` failures were injected, calls are no longer counted (as the kernel's should_fail)")
    func callsStopAtTheLimit() throws {
        let allocator = try PageAllocator(pageCount: 64)
        allocator.faultInjection = try FaultInjection(every: 1, times: 1)
        #expect(throws: AllocError.self) { try allocator.allocPages(order: 0) }
        _ = try allocator.allocPages(order: 0)
        _ = try allocator.allocPages(order: 0)
        #expect(allocator.faultInjection?.failures == 1)
        #expect(allocator.faultInjection?.calls == 1)
    }
}
