import Invariants
import Testing
@testable import AllocCheck

/// A hardened free list: with debug options off, a free pointer that points to
/// its own object is refused on allocation (the fast path included), and a
/// cache created with a `freeListSecret` stores its free pointers obfuscated.
/// The tests write into freed objects the way a buggy client would (a
/// use-after-free store of a word).
@Suite("Slab free-list hardening")
struct SlabFreeListHardeningTests {
    /// The word at `object`, read past ASan's poison.
    func word(_ layer: SlabAllocator, _ object: UnsafeMutableRawPointer) -> UInt {
        (0..<8).reduce(UInt(0)) { $0 | UInt(layer._testingPeek(object + $1)) << UInt(8 * $1) }
    }

    /// Expects no object twice among `objects` and none of `live`.
    func expectDistinct(_ objects: [UnsafeMutableRawPointer], live: Set<UInt>,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let addresses = objects.map(\.address)
        #expect(Set(addresses).count == addresses.count, "an object was handed out twice", sourceLocation: sourceLocation)
        #expect(Set(addresses).isDisjoint(with: live), "a live object was handed out", sourceLocation: sourceLocation)
    }

    @Test("A free object pointing to itself is refused on allocation, on the fast path, and never handed out twice",
          arguments: [false, true])
    func selfPointerRefused(hardened: Bool) throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "victim", objectSize: 64, freeListSecret: hardened ? 0x5EC7E7 : nil)
        let objects = try (0..<8).map { _ in try layer.allocate(cache) }
        // The slab stays partial, so the cache is served by the fast path when it has one.
        try layer.free(objects[3], to: cache)
        // The buggy client keeps using the object it freed and stores its own
        // address in it (a list node pointing to itself, say).
        useAfterFreeWrite(layer, objects[3], objects[3].address)
        let pfn = try #require(layer._testingSlabPfn(holding: objects[3]))
        var thrown: SlabError?
        do { _ = try layer.allocate(cache) } catch { thrown = error }
        if hardened {
            // Obfuscated, the self-address decodes to something else, refused too.
            guard case let .freePointerCorrupt(slabPfn, name, holder, value) = thrown else {
                Issue.record("expected freePointerCorrupt, got \(String(describing: thrown))")
                return
            }
            #expect(slabPfn == pfn && name == "victim" && holder == objects[3].address)
            #expect(value != objects[3].address)
        } else {
            #expect(thrown == .freePointerCorrupt(slabPfn: pfn, cache: "victim", object: objects[3].address,
                                                  value: objects[3].address))
        }
        // Nothing was handed out, and the chain was rebuilt from the layer's record.
        #expect(try layer.info(cache).activeObjects == 7)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer)
        // The rest of the slab comes out once each: the refused object once, no live one.
        let perSlab = try layer.info(cache).objectsPerSlab
        let live = Set(objects.map(\.address)).subtracting([objects[3].address])
        let fresh = try (0..<(perSlab - 7)).map { _ in try layer.allocate(cache) }
        expectDistinct(fresh, live: live)
        #expect(fresh.filter { $0 == objects[3] }.count == 1)
        for object in fresh { try layer.free(object, to: cache) }
        for object in objects where object != objects[3] { try layer.free(object, to: cache) }
        #expect(try layer.info(cache).activeObjects == 0)
        expectSound(layer)
    }

    @Test("kmalloc refuses a self-pointing free object of its class the same way, naming the class")
    func kmallocSelfPointerRefused() throws {
        let layer = try SlabFixture.layer()
        let objects = try (0..<8).map { _ in try layer.kmalloc(64) }
        try layer.kfree(objects[5])
        useAfterFreeWrite(layer, objects[5], objects[5].address)
        let pfn = try #require(layer._testingSlabPfn(holding: objects[5]))
        var thrown: SlabError?
        do { _ = try layer.kmalloc(64) } catch { thrown = error }
        #expect(thrown == .freePointerCorrupt(slabPfn: pfn, cache: "kmalloc-64", object: objects[5].address,
                                              value: objects[5].address))
        expectSound(layer)
        let again = try layer.kmalloc(64)
        #expect(again == objects[5])
        let next = try layer.kmalloc(64)
        #expect(!objects.contains(next))
        for object in objects where object != objects[5] { try layer.kfree(object) }
        try layer.kfree(again)
        try layer.kfree(next)
        expectSound(layer)
    }

    @Test("Without the self-pointer, a chain through the client's write is still followed as before")
    func ordinaryChainUnaffected() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "plain", objectSize: 64)
        let objects = try (0..<4).map { _ in try layer.allocate(cache) }
        try layer.free(objects[1], to: cache)
        try layer.free(objects[2], to: cache)
        // LIFO: the object freed last comes back first, then the one before.
        #expect(try layer.allocate(cache) == objects[2])
        #expect(try layer.allocate(cache) == objects[1])
        for object in objects { try layer.free(object, to: cache) }
        expectSound(layer)
    }

    @Test("A hardened cache stores no plain pointers: the end of a chain and each next pointer are obfuscated")
    func storedPointersObfuscated() throws {
        let layer = try SlabFixture.layer()
        let plain = try layer.createCache(name: "plain", objectSize: 64)
        let hardened = try layer.createCache(name: "hardened", objectSize: 64, freeListSecret: 42)
        for cache in [plain, hardened] {
            let objects = try (0..<3).map { _ in try layer.allocate(cache) }
            try layer.free(objects[0], to: cache)
            try layer.free(objects[1], to: cache)
            // objects[1] is the head and points to objects[0]; objects[0] holds
            // the next free object the slab had before (the fourth).
            let stored = word(layer, objects[1])
            if cache == plain {
                #expect(stored == objects[0].address)
            } else {
                #expect(stored != objects[0].address)
                #expect(stored != 0)
            }
            try layer.free(objects[2], to: cache)
            #expect(try layer.validate(cache).isEmpty)
            expectSound(layer)
        }
    }

    /// Two allocations from `cache` after a stray write: the objects handed
    /// out before the first refusal, and that refusal (nil when none).
    func allocateTwice(_ layer: SlabAllocator, _ cache: SlabCacheID) -> (handedOut: [UnsafeMutableRawPointer], thrown: SlabError?) {
        var handedOut: [UnsafeMutableRawPointer] = []
        do {
            handedOut.append(try layer.allocate(cache))
            handedOut.append(try layer.allocate(cache))
        } catch {
            return (handedOut, error)
        }
        return (handedOut, nil)
    }

    @Test("A stray write of another free object's address is followed by a plain cache and refused by a hardened one")
    func forgedPointer() throws {
        for secret in [nil, UInt64(0xC0FFEE)] {
            let layer = try SlabFixture.layer()
            let cache = try layer.createCache(name: "forged", objectSize: 64, freeListSecret: secret)
            let objects = try (0..<4).map { _ in try layer.allocate(cache) }
            try layer.free(objects[1], to: cache)
            // The attacker's goal: make allocation skip objects[1]'s real next
            // (objects[3]'s successor) and go to an object of their choosing,
            // here a free object further on in the same slab.
            let target = objects[3] + 5 * 64
            useAfterFreeWrite(layer, objects[1], target.address)
            let (handedOut, thrown) = allocateTwice(layer, cache)
            if secret == nil {
                // A plain free list cannot tell a forged pointer from a real one.
                #expect(thrown == nil)
                #expect(handedOut == [objects[1], target])
                // The free objects it skipped are off the chain: only a full validation sees it.
                #expect(try !layer.validate(cache).isEmpty)
                continue
            } else {
                guard case let .freePointerCorrupt(_, name, holder, _) = thrown else {
                    Issue.record("expected freePointerCorrupt, got \(String(describing: thrown))")
                    continue
                }
                #expect(name == "forged" && holder == objects[1].address)
                #expect(handedOut.isEmpty)
            }
            #expect(try layer.validate(cache).isEmpty)
            expectSound(layer)
        }
    }

    @Test("A hardened pointer copied into another free object is refused: each stored pointer is bound to its slot")
    func replayedPointerRefused() throws {
        // A client that can read freed memory learns stored pointers without
        // learning the key. Mixing the slot's address into each one (as SLUB
        // mixes in `swab(ptr_addr)`) makes a copy decode to garbage anywhere
        // but where it was stored; with the key alone the copy decodes to the
        // same pointer, and the attacker cuts the chain at will.
        for secret in [nil, UInt64(0xC0FFEE)] {
            let layer = try SlabFixture.layer()
            let cache = try layer.createCache(name: "replayed", objectSize: 64, freeListSecret: secret)
            let objects = try (0..<4).map { _ in try layer.allocate(cache) }
            for object in objects.reversed() { try layer.free(object, to: cache) }
            // The chain is objects[0] -> [1] -> [2] -> [3]: copy [1]'s stored
            // pointer (to [2]) over [0]'s, so that [1] would be skipped.
            let stored = word(layer, layer._testingFreePointerAddress(of: objects[1], in: cache))
            useAfterFreeWrite(layer, layer._testingFreePointerAddress(of: objects[0], in: cache), stored)
            let (handedOut, thrown) = allocateTwice(layer, cache)
            if secret == nil {
                // A plain free list follows the copy, and objects[1] drops off the chain.
                #expect(thrown == nil)
                #expect(handedOut == [objects[0], objects[2]])
                continue
            }
            guard case let .freePointerCorrupt(_, name, holder, _) = thrown else {
                Issue.record("expected freePointerCorrupt, got \(String(describing: thrown)); handed out \(handedOut)")
                continue
            }
            #expect(name == "replayed" && holder == objects[0].address)
            #expect(handedOut.isEmpty)
            // The rebuilt chain hands out every free object again, objects[1] included.
            let again = try (0..<4).map { _ in try layer.allocate(cache) }
            #expect(Set(again.map(\.address)) == Set(objects.map(\.address)))
            #expect(try layer.validate(cache).isEmpty)
            expectSound(layer)
        }
    }

    @Test("A pointer to where an object of a released slab started is refused once its page holds objects of another size")
    func pointerIntoReusedPageRefused() throws {
        let layer = try SlabFixture.layer()
        let small = try layer.createCache(name: "small", objectSize: 64)
        let objects = try (0..<3).map { _ in try layer.allocate(small) }
        let page = try #require(layer._testingSlabPfn(holding: objects[0]))
        for object in objects { try layer.free(object, to: small) }
        #expect(try layer.shrink(small) == 1)
        // The page comes back as a slab of 96-byte objects: the old objects at
        // bytes 64 and 192 lie inside its objects 0 and 1 now.
        let large = try layer.createCache(name: "large", objectSize: 96)
        let first = try layer.allocate(large)
        #expect(layer._testingSlabPfn(holding: first) == page, "the page allocator hands the same page out again")
        expectObjectRecordsExact(layer, "after the page was reused")
        try layer.free(first, to: large)
        // A use-after-free write points the free object at byte 64, where the
        // released slab's second object started and no object starts now.
        useAfterFreeWrite(layer, first, objects[1].address)
        var thrown: SlabError?
        var handedOut: [UnsafeMutableRawPointer] = []
        do {
            handedOut.append(try layer.allocate(large))
            handedOut.append(try layer.allocate(large))
        } catch { thrown = error }
        guard case let .freePointerCorrupt(_, name, holder, value) = thrown else {
            Issue.record("expected freePointerCorrupt, got \(String(describing: thrown)); handed out \(handedOut)")
            return
        }
        #expect(name == "large" && holder == first.address && value == objects[1].address)
        #expect(handedOut.isEmpty)
        #expect(try layer.validate(large).isEmpty)
        expectSound(layer)
        expectObjectRecordsExact(layer, "after the repair")
    }

    @Test("Hardened and plain layers hand out the same objects for the same calls", arguments: [UInt64(1), 0xFEED_FACE])
    func hardenedEquivalent(seed: UInt64) throws {
        let plain = try SlabFixture.layer()
        let hardened = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 512), kmallocFreeListSecret: seed)
        let plainCache = try plain.createCache(name: "c", objectSize: 40)
        let hardenedCache = try hardened.createCache(name: "c", objectSize: 40, freeListSecret: seed &* 3)
        var random = SplitMix64(seed: seed)
        var live: [(UnsafeMutableRawPointer, UnsafeMutableRawPointer, Bool)] = []
        for step in 0..<4000 {
            if live.isEmpty || random.next() % 3 != 0 {
                let useKmalloc = random.next() % 2 == 0
                let size = Int(random.next() % 300) + 1
                let a = useKmalloc ? try plain.kmalloc(size) : try plain.allocate(plainCache)
                let b = useKmalloc ? try hardened.kmalloc(size) : try hardened.allocate(hardenedCache)
                // The arenas differ; offsets into them must not.
                #expect(a.address &- plain.pageAllocator.base.address == b.address &- hardened.pageAllocator.base.address,
                        "step \(step)")
                live.append((a, b, useKmalloc))
            } else {
                let (a, b, useKmalloc) = live.remove(at: Int(random.next() % UInt64(live.count)))
                if useKmalloc {
                    try plain.kfree(a)
                    try hardened.kfree(b)
                } else {
                    try plain.free(a, to: plainCache)
                    try hardened.free(b, to: hardenedCache)
                }
            }
        }
        #expect(try hardened.validate(hardenedCache).isEmpty)
        expectSound(hardened)
        // Misuse is refused the same way and changes nothing.
        let (_, b, useKmalloc) = try #require(live.first)
        if useKmalloc { try hardened.kfree(b) } else { try hardened.free(b, to: hardenedCache) }
        let cacheName = useKmalloc ? hardened.cacheName(holding: b) : "c"
        expectRefused(.doubleFree(address: b.address, cache: cacheName, owners: nil), hardened) { () throws(SlabError) in
            if useKmalloc { try hardened.kfree(b) } else { try hardened.free(b, to: hardenedCache) }
        }
    }
}

extension SlabAllocator {
    /// The name of the cache whose slab holds `object`.
    fileprivate func cacheName(holding object: UnsafeMutableRawPointer) -> String {
        let sid = pageAllocator.slabMark(atOffset: UInt(bitPattern: object) &- base)
        return names[Int(slabs[Int(sid)].cache)]
    }
}
