import Invariants
import Testing
@testable import AllocCheck

/// The faults of SLUB's own test suite (lib/tests/slub_kunit.c), each injected
/// with a real write into the object's memory, and the checks on free.
@Suite("Slab debug checks: SLUB's fault cases and misuse on free")
struct SlabDebugTests {
    /// Whether `problems` holds exactly one error and it matches.
    func single(_ problems: [SlabError], _ matches: (SlabError) -> Bool) -> Bool {
        problems.count == 1 && matches(problems[0])
    }

    @Test("A sound debug cache validates clean, and its patterns are in memory")
    func patterns() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "all", objectSize: 64, debug: .all)
        let live = try layer.allocate(cache)
        let freed = try layer.allocate(cache)
        try layer.free(freed, to: cache)
        #expect(try layer.validate(cache).isEmpty)
        #expect(layer._testingPeek(live + 64) == SlabPattern.redZoneActive)
        #expect(layer._testingPeek(live - 1) == SlabPattern.redZoneActive)
        #expect(layer._testingPeek(freed + 64) == SlabPattern.redZoneInactive)
        #expect(layer._testingPeek(freed) == SlabPattern.poisonFree)
        #expect(layer._testingPeek(freed + 63) == SlabPattern.poisonEnd)
        expectSound(layer)
    }

    @Test("SLUB fault 1: one byte past a live 64-byte object with red zones")
    func clobberLiveRedZone() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "TestSlub_RZ_alloc", objectSize: 64, debug: .redZone)
        let object = try layer.allocate(cache)
        layer._testingPoke(object + 64, 0x12)
        #expect(single(try layer.validate(cache)) {
            if case let .redZoneOverwritten(address, _, offset, found, expected, _) = $0 {
                return address == object.address && offset == 64 && found == 0x12 && expected == 0xcc
            }
            return false
        })
        // Freeing it is refused: the object is not freed and nothing changes.
        expectRefused(.redZoneOverwritten(address: object.address, cache: "TestSlub_RZ_alloc", offset: 64, found: 0x12,
                                          expected: 0xcc, owners: nil), layer) { () throws(SlabError) in
            try layer.free(object, to: cache)
        }
        let other = try layer.allocate(cache)
        try layer.free(other, to: cache)
        expectSound(layer)
    }

    @Test("SLUB fault 2: a flipped byte in a freed object's free pointer is reported; the cache keeps working")
    func nextPointer() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "TestSlub_next_ptr_free", objectSize: 64, debug: [.consistencyChecks, .redZone, .ownerTracking])
        let keep = try layer.allocate(cache)
        let object = try layer.allocate(cache)
        try layer.free(object, to: cache)
        let pointerByte = layer._testingFreePointerAddress(of: object, in: cache)
        let original = layer._testingPeek(pointerByte)
        layer._testingPoke(pointerByte, ~original)
        let problems = try layer.validate(cache)
        #expect(single(problems) {
            if case let .freePointerCorrupt(_, _, holder, _) = $0 { return holder == object.address }
            return false
        })
        // The snapshot shows the bad pointer, and the ownership invariant fires.
        #expect(SlabOwnership.check(layer.snapshot()).isEmpty == false)
        // Allocation reports it instead of following it, and repairs the chain.
        let before = try layer.info(cache).activeObjects
        #expect(throws: SlabError.self) { try layer.allocate(cache) }
        #expect(try layer.info(cache).activeObjects == before)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
        // Afterwards the cache works: every object can be allocated and freed.
        let perSlab = try layer.info(cache).objectsPerSlab
        let objects = try (0..<(2 * perSlab)).map { _ in try layer.allocate(cache) }
        #expect(Set(objects.map(\.address)).count == objects.count)
        for each in objects { try layer.free(each, to: cache) }
        try layer.free(keep, to: cache)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
    }

    @Test("A hot slab that is not a partial slab is reported, repaired, and never used by allocation")
    func brokenHotSlab() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "hot", objectSize: 64)
        let perSlab = try layer.info(cache).objectsPerSlab
        let objects = try (0..<(perSlab + 3)).map { _ in try layer.allocate(cache) }
        let fullPfn = try #require(layer._testingSlabPfn(holding: objects[0]))
        let partialPfn = try #require(layer._testingSlabPfn(holding: objects[perSlab]))
        #expect(fullPfn != partialPfn)
        #expect(try layer.info(cache).fullSlabs == 1 && layer.info(cache).partialSlabs == 1)
        layer._testingSetHotSlab(cache, pfn: fullPfn)
        #expect(try layer.validate(cache) == [
            .slabCorrupt(slabPfn: fullPfn, cache: "hot", reason: "the hot slab is neither a partial slab of this cache nor one parked on its full list with a free object")])
        #expect(try layer.validate(cache, repair: true).count == 1)
        #expect(try layer.validate(cache).isEmpty)
        // Allocation with a broken hint takes from the partial slab, and mends the hint.
        layer._testingSetHotSlab(cache, pfn: fullPfn)
        let object = try layer.allocate(cache)
        #expect(layer._testingSlabPfn(holding: object) == partialPfn)
        #expect(try layer.validate(cache).isEmpty)
        try layer.free(object, to: cache)
        for each in objects { try layer.free(each, to: cache) }
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
    }

    @Test("Pattern checks find the first wrong byte at every position, start and length")
    func firstMismatchPositions() {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        for start in 0..<8 {
            for count in 0...56 {
                Bytes.fill(buffer, 64, SlabPattern.poisonFree)
                #expect(Bytes.firstMismatch(buffer + start, count, SlabPattern.poisonFree) == nil)
                for wrong in 0..<count {
                    Bytes.fill(buffer, 64, SlabPattern.poisonFree)
                    buffer.storeBytes(of: 0x6a, toByteOffset: start + wrong, as: UInt8.self)
                    if wrong + 1 < count { buffer.storeBytes(of: 0x00, toByteOffset: start + count - 1, as: UInt8.self) }
                    let found = Bytes.firstMismatch(buffer + start, count, SlabPattern.poisonFree)
                    #expect(found?.offset == wrong && found?.found == 0x6a, "start \(start), count \(count), wrong \(wrong)")
                }
                // A wrong byte just past the range is not reported.
                Bytes.fill(buffer, 64, SlabPattern.poisonFree)
                buffer.storeBytes(of: 0x6a, toByteOffset: start + count, as: UInt8.self)
                #expect(Bytes.firstMismatch(buffer + start, count, SlabPattern.poisonFree) == nil)
            }
        }
    }

    @Test("Validation with repair rebuilds a corrupted chain without leaking objects")
    func repairChain() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "repair", objectSize: 64)
        let object = try layer.allocate(cache)
        try layer.free(object, to: cache)
        let pointerByte = layer._testingFreePointerAddress(of: object, in: cache)
        layer._testingPoke(pointerByte, ~layer._testingPeek(pointerByte))
        #expect(try !layer.validate(cache, repair: true).isEmpty)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
    }

    @Test("SLUB fault 3: a write to the first word of a freed poisoned object")
    func firstWord() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "TestSlub_1th_word_free", objectSize: 64, debug: .poison)
        let object = try layer.allocate(cache)
        try layer.free(object, to: cache)
        layer._testingPoke(object, 0x78)
        #expect(single(try layer.validate(cache)) {
            if case let .poisonOverwritten(address, _, offset, found, expected, _) = $0 {
                return address == object.address && offset == 0 && found == 0x78 && expected == 0x6b
            }
            return false
        })
    }

    @Test("SLUB fault 4: a write to byte 50 of a freed poisoned object; consistency checks restore it")
    func byte50() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "TestSlub_50th_word_free", objectSize: 64,
                                          debug: [.consistencyChecks, .poison])
        let object = try layer.allocate(cache)
        try layer.free(object, to: cache)
        layer._testingPoke(object + 50, 0x9a)
        #expect(single(try layer.validate(cache)) {
            if case let .poisonOverwritten(_, _, offset, found, _, _) = $0 { return offset == 50 && found == 0x9a }
            return false
        })
        // Allocating with F reports it, restores the poison, and hands nothing out.
        #expect(throws: SlabError.self) { try layer.allocate(cache) }
        let after = try layer.validate(cache)
        #expect(after.isEmpty, "\(after)")
        #expect(try layer.allocate(cache) == object)
        expectSound(layer)
    }

    @Test("SLUB fault 5: a write past a freed object with red zones")
    func clobberFreedRedZone() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "TestSlub_RZ_free", objectSize: 64, debug: .redZone)
        let object = try layer.allocate(cache)
        try layer.free(object, to: cache)
        layer._testingPoke(object + 64, 0xab)
        #expect(single(try layer.validate(cache)) {
            if case let .redZoneOverwritten(_, _, offset, found, expected, _) = $0 {
                return offset == 64 && found == 0xab && expected == 0xbb
            }
            return false
        })
    }

    @Test("SLUB fault 6: an 18-byte kmalloc from the 32-byte class written at bytes 18 and 19")
    func kmallocRedZone() throws {
        let layer = try SlabFixture.layer(kmallocDebug: [.redZone, .ownerTracking])
        let object = try layer.kmalloc(18, owner: 7)
        // (Not `ksize` of this object: it would make all 32 bytes the
        // caller's, as the kernel's does; see `kmallocRedZoneAfterKsize`.)
        let cache = try #require(layer.kmallocCache(forSize: 18))
        #expect(try layer.validate(cache).isEmpty)
        layer._testingPoke(object + 18, 0xab)
        layer._testingPoke(object + 19, 0xab)
        let problems = try layer.validate(cache)
        #expect(single(problems) {
            if case let .redZoneOverwritten(address, _, offset, found, _, owners) = $0 {
                return address == object.address && offset == 18 && found == 0xab && owners?.allocated.tag == 7
            }
            return false
        })
        expectRefused(problems[0], layer) { () throws(SlabError) in try layer.kfree(object) }
        // Writes inside the request are fine.
        let other = try layer.kmalloc(18)
        other.initializeMemory(as: UInt8.self, repeating: 1, count: 18)
        try layer.kfree(other)
    }

    @Test("SLUB fault 6 after ksize: the bytes ksize reports are the caller's, as the kernel's __ksize makes them")
    func kmallocRedZoneAfterKsize() throws {
        let layer = try SlabFixture.layer(kmallocDebug: [.redZone, .ownerTracking])
        let object = try layer.kmalloc(18, owner: 7)
        #expect(try layer.ksize(object) == 32)
        let cache = try #require(layer.kmallocCache(forSize: 18))
        layer._testingPoke(object + 18, 0xab)
        layer._testingPoke(object + 31, 0xab)
        #expect(try layer.validate(cache).isEmpty)
        // Past the class size is still a red zone: the object's right one.
        layer._testingPoke(object + 32, 0xab)
        #expect(try layer.validate(cache).count == 1)
        layer._testingPoke(object + 32, 0xcc)
        try layer.kfree(object)
    }

    @Test("SLUB fault 7: destroying a cache with a live object is reported as a leak")
    func destroyLeak() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "TestSlub_kmem_cache_destroy", objectSize: 64, debug: .all)
        let object = try layer.allocate(cache)
        expectRefused(.cacheHasLiveObjects(cache: "TestSlub_kmem_cache_destroy", objects: [object.address]), layer) {
            () throws(SlabError) in try layer.destroy(cache)
        }
        try layer.free(object, to: cache)
        try layer.destroy(cache)
    }

    @Test("Misuse on free: wrong cache, not a boundary, not in a slab, already free", arguments: [SlabDebugOptions(), .all])
    func misuseOnFree(debug: SlabDebugOptions) throws {
        let layer = try SlabFixture.layer()
        let first = try layer.createCache(name: "first", objectSize: 100, debug: debug)
        let second = try layer.createCache(name: "second", objectSize: 100, debug: debug)
        let object = try layer.allocate(first, owner: 41)
        let freed = try layer.allocate(first, owner: 42)
        try layer.free(freed, to: first, owner: 43)
        let stride = UInt(try layer.info(first).stride)

        expectRefused(.wrongCache(address: object.address, expected: "second", actual: "first"), layer) {
            () throws(SlabError) in try layer.free(object, to: second)
        }
        expectRefused(.notObjectBoundary(address: object.address + 8, cache: "first", nearestObject: object.address), layer) {
            () throws(SlabError) in try layer.free(object + 8, to: first)
        }
        let page = layer.pageAllocator.address(ofPage: 300)
        expectRefused(.notInSlab(address: page.address), layer) { () throws(SlabError) in try layer.free(page, to: first) }
        let outside = UnsafeMutableRawPointer(bitPattern: 0x1000)!
        expectRefused(.notInSlab(address: 0x1000), layer) { () throws(SlabError) in try layer.kfree(outside) }
        let owners = debug.contains(.ownerTracking) ? layer.snapshotOwners(freed, first) : nil
        if debug.contains(.ownerTracking) {
            #expect(owners?.allocated.tag == 42 && owners?.freed.tag == 43)
            #expect(owners!.freed.sequence > owners!.allocated.sequence)
        }
        expectRefused(.doubleFree(address: freed.address, cache: "first", owners: owners), layer) {
            () throws(SlabError) in try layer.free(freed, to: first)
        }
        _ = stride
        // The cache still works after every refusal.
        let again = try layer.allocate(first)
        #expect(again == freed)
        try layer.free(again, to: first)
        try layer.free(object, to: first)
        #expect(try layer.validate(first).isEmpty)
        expectSound(layer)
    }

    // The inlined fast paths serve caches without debug options when a free
    // leaves its slab partial and an allocation's next free pointer checks
    // out; these cases put misuse exactly there (several live objects, so the
    // slab stays partial), for a power-of-two and another stride.
    @Test("Misuse on free is refused where the fast path serves: debug off, a slab that stays partial",
          arguments: [64, 100])
    func misuseOnFastPath(objectSize: Int) throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "fast", objectSize: objectSize)
        let other = try layer.createCache(name: "other", objectSize: objectSize)
        let info = try layer.info(cache)
        let objects = try (0..<8).map { _ in try layer.allocate(cache) }
        let elsewhere = try layer.allocate(other)
        let freed = objects[3]
        try layer.free(freed, to: cache)
        let slabStart = layer.pageAllocator.address(ofPage: try #require(layer._testingSlabPfn(holding: objects[0])))
        #expect(objects[0] == slabStart)

        expectRefused(.doubleFree(address: freed.address, cache: "fast", owners: nil), layer) {
            () throws(SlabError) in try layer.free(freed, to: cache)
        }
        expectRefused(.doubleFree(address: freed.address, cache: "fast", owners: nil), layer) {
            () throws(SlabError) in try layer.kfree(freed)
        }
        expectRefused(.notObjectBoundary(address: objects[5].address + 8, cache: "fast", nearestObject: objects[5].address),
                      layer) { () throws(SlabError) in try layer.free(objects[5] + 8, to: cache) }
        // Past the last object, in the slab's leftover bytes.
        let last = slabStart + (info.objectsPerSlab - 1) * info.stride
        if info.leftoverBytesPerSlab > 0 {
            let leftover = slabStart + info.objectsPerSlab * info.stride
            expectRefused(.notObjectBoundary(address: leftover.address, cache: "fast", nearestObject: last.address), layer) {
                () throws(SlabError) in try layer.free(leftover, to: cache)
            }
        }
        expectRefused(.wrongCache(address: objects[5].address, expected: "other", actual: "fast"), layer) {
            () throws(SlabError) in try layer.free(objects[5], to: other)
        }
        expectRefused(.wrongCache(address: elsewhere.address, expected: "fast", actual: "other"), layer) {
            () throws(SlabError) in try layer.free(elsewhere, to: cache)
        }
        // A free object that was never handed out, and the slab's unused tail.
        expectRefused(.doubleFree(address: last.address, cache: "fast", owners: nil), layer) {
            () throws(SlabError) in try layer.free(last, to: cache)
        }
        // The cache still works; the freed object comes back first.
        #expect(try layer.allocate(cache) == freed)
        for object in objects { try layer.free(object, to: cache) }
        try layer.free(elsewhere, to: other)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
    }

    @Test("A corrupt free pointer met by the fast allocation path is reported and repaired: debug off",
          arguments: [64, 100])
    func corruptFreePointerOnFastPath(objectSize: Int) throws {
        // Each bad value: a live object, inside an object, another slab's object, outside the arena.
        for badCase in 0..<4 {
            let layer = try SlabFixture.layer()
            let cache = try layer.createCache(name: "fast", objectSize: objectSize)
            let other = try layer.createCache(name: "other", objectSize: objectSize)
            let objects = try (0..<8).map { _ in try layer.allocate(cache) }
            let elsewhere = try layer.allocate(other)
            try layer.free(objects[6], to: cache)
            try layer.free(objects[2], to: cache)
            let bad: UInt = [objects[4].address, objects[4].address + 8, elsewhere.address, 0x1000][badCase]
            // The free pointer of objects[2] (the chain's head) now leads to `bad`.
            let holder = layer._testingFreePointerAddress(of: objects[2], in: cache)
            withUnsafeBytes(of: bad) { bytes in
                for (offset, byte) in bytes.enumerated() { layer._testingPoke(holder + offset, byte) }
            }
            let pfn = try #require(layer._testingSlabPfn(holding: objects[2]))
            var thrown: SlabError?
            do { _ = try layer.allocate(cache) } catch { thrown = error }
            #expect(thrown == .freePointerCorrupt(slabPfn: pfn, cache: "fast", object: objects[2].address, value: bad),
                    "case \(badCase)")
            #expect(try layer.info(cache).activeObjects == 6)
            #expect(try layer.validate(cache).isEmpty)
            expectSound(layer, "case \(badCase)")
            // Afterwards every free object can be handed out, none twice, no live one.
            let live = Set(objects.map(\.address)).subtracting([objects[2].address, objects[6].address])
            let perSlab = try layer.info(cache).objectsPerSlab
            let fresh = try (0..<(perSlab - 6)).map { _ in try layer.allocate(cache) }
            #expect(Set(fresh.map(\.address)).count == fresh.count)
            #expect(Set(fresh.map(\.address)).isDisjoint(with: live))
            for object in fresh { try layer.free(object, to: cache) }
            for object in objects where live.contains(object.address) { try layer.free(object, to: cache) }
            try layer.free(elsewhere, to: other)
            #expect(try layer.validate(cache).isEmpty)
            expectSound(layer, "case \(badCase)")
        }
    }
}

extension SlabAllocator {
    /// The owner records of an object, read the way a report does.
    func snapshotOwners(_ object: UnsafeMutableRawPointer, _ cache: SlabCacheID) -> SlabOwnerTrack? {
        let ci = Int(cache.index)
        let slot = object - caches[ci].objectOffset
        if asan { Sanitizer.unpoison(slot, caches[ci].stride) }
        defer { if asan && _testingObjectState(object) == 0 { Sanitizer.poison(slot, caches[ci].stride) } }
        return owners(ci, object)
    }
}
