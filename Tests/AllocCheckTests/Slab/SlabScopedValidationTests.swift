import Testing
@testable import AllocCheck

/// `validate(_:slabHolding:)`, what a judge runs after a step that allocated
/// or freed one object: whole-cache lists and counts, the chains and counts
/// of the object's slab and the hot slab, and the byte patterns of the object
/// and its two neighbours. Each part is shown to fire, and the limit of the
/// scope (an object two slots away) is shown against a whole-cache validation.
@Suite("Slab validation scoped to the object a call touched")
struct SlabScopedValidationTests {
    /// A debug cache of 64-byte objects with `count` live objects in its first slab.
    func cacheWithObjects(_ count: Int) throws -> (SlabAllocator, SlabCacheID, [UnsafeMutableRawPointer]) {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "scoped", objectSize: 64, debug: .all)
        let objects = try (0..<count).map { _ in try layer.allocate(cache) }
        return (layer, cache, objects)
    }

    @Test("A sound cache validates clean in scope, for a live and for a freed object")
    func soundCache() throws {
        let (layer, cache, objects) = try cacheWithObjects(4)
        #expect(try layer.validate(cache, slabHolding: objects[1]).isEmpty)
        try layer.free(objects[1], to: cache)
        #expect(try layer.validate(cache, slabHolding: objects[1]).isEmpty)
    }

    @Test("An overrun into the next object's red zone is found from the object that overran")
    func neighbourRedZone() throws {
        let (layer, cache, objects) = try cacheWithObjects(4)
        // Byte 64 of objects[1] is its right red zone; write past that, into objects[2]'s left red zone.
        let stride = Int(bitPattern: objects[2]) - Int(bitPattern: objects[1])
        layer._testingPoke(objects[1] + stride - 1, 0x12)
        let problems = try layer.validate(cache, slabHolding: objects[1])
        #expect(problems.count == 1)
        #expect(problems.contains { if case .redZoneOverwritten = $0 { return true }; return false })
    }

    @Test("A write into a freed neighbour's poison is found")
    func neighbourPoison() throws {
        let (layer, cache, objects) = try cacheWithObjects(4)
        try layer.free(objects[0], to: cache)
        layer._testingPoke(objects[0] + 8, 0x00)
        let problems = try layer.validate(cache, slabHolding: objects[1])
        #expect(problems.contains { if case .poisonOverwritten = $0 { return true }; return false })
    }

    @Test("A wrong in-use count of the object's slab is found")
    func inUseCount() throws {
        let (layer, cache, objects) = try cacheWithObjects(4)
        layer._testingSetInUse(ofSlabHolding: objects[3], 3)
        let problems = try layer.validate(cache, slabHolding: objects[3])
        #expect(problems.contains { if case .inUseMismatch = $0 { return true }; return false })
    }

    @Test("A corrupt free pointer anywhere in the object's slab is found (the chain is walked whole)")
    func freeChain() throws {
        let (layer, cache, objects) = try cacheWithObjects(8)
        try layer.free(objects[6], to: cache)
        // The freed object is at the chain's head; its free pointer now points outside any object.
        let pointer = layer._testingFreePointerAddress(of: objects[6], in: cache)
        for i in 0..<8 { layer._testingPoke(pointer + i, 0x41) }
        let problems = try layer.validate(cache, slabHolding: objects[0])
        #expect(problems.contains { if case .freePointerCorrupt = $0 { return true }; return false })
    }

    @Test("The scope's limit: a freed object two slots away is checked by the whole-cache validation only")
    func outsideTheScope() throws {
        let (layer, cache, objects) = try cacheWithObjects(4)
        try layer.free(objects[3], to: cache)
        layer._testingPoke(objects[3] + 8, 0x00)
        #expect(try layer.validate(cache, slabHolding: objects[0]).isEmpty)
        #expect(try layer.validate(cache).contains { if case .poisonOverwritten = $0 { return true }; return false })
    }

    @Test("An object of another cache or outside the arena: lists and the hot slab only, and no trap")
    func foreignAddresses() throws {
        let (layer, cache, objects) = try cacheWithObjects(2)
        let other = try layer.createCache(name: "other", objectSize: 128)
        let stranger = try layer.allocate(other)
        #expect(try layer.validate(cache, slabHolding: stranger).isEmpty)
        let outside = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        defer { outside.deallocate() }
        #expect(try layer.validate(cache, slabHolding: outside).isEmpty)
        layer._testingSetInUse(ofSlabHolding: objects[0], 1)
        // The hot slab is in scope whatever the address.
        #expect(try !layer.validate(cache, slabHolding: stranger).isEmpty)
    }
}
