import Invariants
import Testing
@testable import AllocCheck

/// The inlined free into the hot slab (`putHotObject`, for `free` and
/// `kfree`) and the hot-slab fields it reads (`CacheMeta.hotRecord`,
/// `hotFirst`): the same results as the general path, misuse refused with
/// nothing changed, and the fields kept in step with the hot slab.
///
/// Not under ASan, which keeps every cache on the general path (its poisoning
/// calls stay off the fast paths), so there is no hot record to test.
@Suite("Slab fast paths: frees into the hot slab",
       .disabled(if: Sanitizer.isEnabled, "ASan keeps every cache on the general path"))
struct SlabHotFreeTests {
    /// The hot-slab fields of `cache`'s row.
    func hotFields(_ layer: SlabAllocator, _ cache: SlabCacheID) -> [UInt] {
        let meta = layer.caches[Int(cache.index)]
        return [UInt(bitPattern: Int(meta.fastHotSlab)), meta.hotRecord, meta.hotFirst]
    }

    /// Expects `cache`'s hot-slab fields to agree with its hot slab.
    func expectHotFieldsAgree(_ layer: SlabAllocator, _ cache: SlabCacheID,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(layer.hotFieldsAgree(layer.caches[Int(cache.index)]), sourceLocation: sourceLocation)
        #expect((try? layer.validate(cache)) == [], sourceLocation: sourceLocation)
    }

    @Test("A cache row is 256 bytes, so that the inlined paths find it with one shift")
    func rowSize() {
        #expect(MemoryLayout<CacheMeta>.stride == 256)
    }

    @Test("A free into the hot slab keeps it hot, and the object comes back first", arguments: [false, true])
    func hotFreeIsLastInFirstOut(viaKmalloc: Bool) throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "hot", viaKmalloc: viaKmalloc)
        let (handle, free, allocate) = (client.handle, client.free, client.allocate)
        let objects = try (0..<10).map { _ in try allocate() }
        let pfn = try #require(layer._testingSlabPfn(holding: objects[0]))
        #expect(layer.caches[Int(handle.index)].fastHotSlab == Int32(pfn))
        expectHotFieldsAgree(layer, handle)
        let fieldsBefore = hotFields(layer, handle)
        try free(objects[6])
        try free(objects[2])
        #expect(hotFields(layer, handle) == fieldsBefore)
        #expect(try layer.info(handle).activeObjects == 8)
        #expect(layer._testingObjectState(objects[2]) == 0)
        #expect(try allocate() == objects[2])
        #expect(try allocate() == objects[6])
        expectSound(layer)
        // The slab's last handed-out object goes through the general path: the slab empties and is no longer hot.
        for object in objects.dropLast() { try free(object) }
        expectHotFieldsAgree(layer, handle)
        try free(objects[9])
        #expect(try layer.info(handle).activeObjects == 0)
        #expect(try layer.info(handle).partialSlabs == 0)
        #expect(layer.caches[Int(handle.index)].fastHotSlab == -1)
        #expect(layer.caches[Int(handle.index)].hotRecord == UInt(bitPattern: layer.noHotRecord))
        expectHotFieldsAgree(layer, handle)
        expectSound(layer)
    }

    @Test("Misuse aimed at the hot slab is refused by free and kfree with nothing changed")
    func misuseOnHotSlab() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "hot", objectSize: 64)
        let other = try layer.createCache(name: "other", objectSize: 64)
        let objects = try (0..<8).map { _ in try layer.allocate(cache) }
        let elsewhere = try layer.allocate(other)
        try layer.free(objects[5], to: cache)
        let fields = hotFields(layer, cache)
        let otherFields = hotFields(layer, other)
        expectRefused(.doubleFree(address: objects[5].address, cache: "hot", owners: nil), layer) {
            () throws(SlabError) in try layer.free(objects[5], to: cache)
        }
        expectRefused(.doubleFree(address: objects[5].address, cache: "hot", owners: nil), layer) {
            () throws(SlabError) in try layer.kfree(objects[5])
        }
        expectRefused(.notObjectBoundary(address: objects[3].address + 8, cache: "hot", nearestObject: objects[3].address),
                      layer) { () throws(SlabError) in try layer.free(objects[3] + 8, to: cache) }
        expectRefused(.notObjectBoundary(address: objects[3].address + 8, cache: "hot", nearestObject: objects[3].address),
                      layer) { () throws(SlabError) in try layer.kfree(objects[3] + 8) }
        // An object of this hot slab freed to another cache, and the other way round.
        expectRefused(.wrongCache(address: objects[3].address, expected: "other", actual: "hot"), layer) {
            () throws(SlabError) in try layer.free(objects[3], to: other)
        }
        expectRefused(.wrongCache(address: elsewhere.address, expected: "hot", actual: "other"), layer) {
            () throws(SlabError) in try layer.free(elsewhere, to: cache)
        }
        // A free (never handed out) object past the ones handed out.
        let slabStart = layer.caches[Int(cache.index)].hotFirst
        let neverUsed = try #require(UnsafeMutableRawPointer(bitPattern: slabStart + 20 * 64))
        expectRefused(.doubleFree(address: neverUsed.address, cache: "hot", owners: nil), layer) {
            () throws(SlabError) in try layer.free(neverUsed, to: cache)
        }
        #expect(hotFields(layer, cache) == fields)
        #expect(hotFields(layer, other) == otherFields)
        for object in objects where object != objects[5] { try layer.free(object, to: cache) }
        try layer.free(elsewhere, to: other)
        expectHotFieldsAgree(layer, cache)
        expectHotFieldsAgree(layer, other)
        expectSound(layer)
    }

    @Test("kfree tries the class of the latest kmalloc first; a wrong guess decides nothing")
    func kfreeGuessesTheLatestClass() throws {
        let layer = try SlabFixture.layer()
        let user = try layer.createCache(name: "user", objectSize: 64)
        let big = try (0..<4).map { _ in try layer.kmalloc(64) }
        let userObjects = try (0..<3).map { _ in try layer.allocate(user) }
        let small = try (0..<4).map { _ in try layer.kmalloc(16) }
        let row16 = try #require(layer.kmallocCache(forSize: 16))
        let row64 = try #require(layer.kmallocCache(forSize: 64))
        #expect(layer.kmallocLastRow.pointee == UInt(bitPattern: layer.caches + Int(row16.index)))
        // The guess (kmalloc-16) is wrong for these: a kmalloc-64 object and a
        // cache's object are freed into their own slabs all the same.
        try layer.kfree(big[1])
        try layer.kfree(userObjects[0])
        #expect(try layer.info(row64).activeObjects == 3)
        #expect(try layer.info(user).activeObjects == 2)
        #expect(try layer.info(row16).activeObjects == 4)
        expectSound(layer)
        // Misuse with a wrong guess and with a right one: refused, nothing changed.
        expectRefused(.doubleFree(address: big[1].address, cache: "kmalloc-64", owners: nil), layer) {
            () throws(SlabError) in try layer.kfree(big[1])
        }
        expectRefused(.doubleFree(address: userObjects[0].address, cache: "user", owners: nil), layer) {
            () throws(SlabError) in try layer.kfree(userObjects[0])
        }
        try layer.kfree(small[2])
        expectRefused(.doubleFree(address: small[2].address, cache: "kmalloc-16", owners: nil), layer) {
            () throws(SlabError) in try layer.kfree(small[2])
        }
        expectRefused(.notObjectBoundary(address: small[1].address + 8, cache: "kmalloc-16", nearestObject: small[1].address),
                      layer) { () throws(SlabError) in try layer.kfree(small[1] + 8) }
        // A kmalloc of another class moves the guess; the kmalloc-16 objects still free.
        let again = try layer.kmalloc(60)
        #expect(layer.kmallocLastRow.pointee == UInt(bitPattern: layer.caches + Int(row64.index)))
        for object in [small[0], small[1], small[3]] { try layer.kfree(object) }
        #expect(try layer.info(row16).activeObjects == 0)
        for object in [big[0], big[2], big[3], again] { try layer.kfree(object) }
        for object in userObjects.dropFirst() { try layer.free(object, to: user) }
        expectHotFieldsAgree(layer, row16)
        expectHotFieldsAgree(layer, row64)
        expectSound(layer)
    }

    @Test("Caches off the fast path point their hot record at no slab, and free through the general path")
    func offTheFastPath() throws {
        let layer = try SlabFixture.layer()
        let debug = try layer.createCache(name: "debug", objectSize: 64, debug: .redZone)
        let hardened = try layer.createCache(name: "hardened", objectSize: 64, freeListSecret: 7)
        for cache in [debug, hardened] {
            let objects = try (0..<4).map { _ in try layer.allocate(cache) }
            #expect(layer.caches[Int(cache.index)].hotRecord == UInt(bitPattern: layer.noHotRecord))
            #expect(layer.caches[Int(cache.index)].hotFirst == 0)
            try layer.free(objects[1], to: cache)
            expectRefused(.doubleFree(address: objects[1].address, cache: try layer.info(cache).name, owners: nil), layer) {
                () throws(SlabError) in try layer.free(objects[1], to: cache)
            }
            for object in objects where object != objects[1] { try layer.free(object, to: cache) }
            expectHotFieldsAgree(layer, cache)
        }
        // Fault injection takes every cache off the fast path for good.
        let plain = try layer.createCache(name: "plain", objectSize: 64)
        let kept = try layer.allocate(plain)
        #expect(layer.caches[Int(plain.index)].hotRecord != UInt(bitPattern: layer.noHotRecord))
        layer.faultInjection = try FaultInjection(every: 1_000_000)
        #expect(layer.caches[Int(plain.index)].hotRecord == UInt(bitPattern: layer.noHotRecord))
        let more = try layer.allocate(plain)
        try layer.free(kept, to: plain)
        try layer.free(more, to: plain)
        expectHotFieldsAgree(layer, plain)
        expectSound(layer)
    }

    @Test("The hot slab's last free object fills it: to the full list, and the partial list's head becomes hot",
          arguments: [false, true])
    func lastObjectFillsTheHotSlab(viaKmalloc: Bool) throws {
        let layer = try SlabFixture.layer()
        let client = try SlabClient64(layer, name: "last", viaKmalloc: viaKmalloc)
        let (cache, handle, free, allocate) = (client.cache, client.handle, client.free, client.allocate)
        let perSlab = try layer.info(handle).objectsPerSlab
        // Two full slabs: no hot slab.
        let objects = try client.fillSlabs(2)
        let first = try #require(layer._testingSlabPfn(holding: objects[0]))
        let second = try #require(layer._testingSlabPfn(holding: objects[perSlab]))
        #expect(first != second)
        #expect(try layer.info(handle).fullSlabs == 2)
        #expect(layer.caches[Int(handle.index)].fastHotSlab == -1)
        expectHotFieldsAgree(layer, handle)
        // A free into each (full, not hot): each becomes partial and hot in turn.
        try free(objects[1])
        #expect(layer.caches[Int(handle.index)].fastHotSlab == Int32(first))
        try free(objects[perSlab + 2])
        #expect(layer.caches[Int(handle.index)].fastHotSlab == Int32(second))
        expectHotFieldsAgree(layer, handle)
        #expect(try layer.info(handle).partialSlabs == 2)
        // The hot slab's last free object: that slab is full again, and the
        // partial list's head (the first slab) is hot.
        #expect(try allocate() == objects[perSlab + 2])
        #expect(layer.caches[Int(handle.index)].fastHotSlab == Int32(first))
        #expect(try layer.info(handle).fullSlabs == 1)
        expectHotFieldsAgree(layer, handle)
        #expect(try allocate() == objects[1])
        #expect(layer.caches[Int(handle.index)].fastHotSlab == -1)
        #expect(layer.caches[Int(handle.index)].hotRecord == UInt(bitPattern: layer.noHotRecord))
        #expect(try layer.info(handle).fullSlabs == 2)
        #expect(try layer.info(handle).activeObjects == 2 * perSlab)
        expectHotFieldsAgree(layer, handle)
        // A free into a full slab that is not at an object's start is refused with nothing changed.
        let stray = objects[perSlab + 3] + 8
        if let cache {
            #expect(throws: SlabError.self) { try layer.free(stray, to: cache) }
        } else {
            #expect(throws: SlabError.self) { try layer.kfree(stray) }
        }
        #expect(try layer.info(handle).fullSlabs == 2)
        #expect(try layer.info(handle).activeObjects == 2 * perSlab)
        expectHotFieldsAgree(layer, handle)
        for object in objects { try free(object) }
        expectSound(layer)
    }

    @Test("The hot-slab fields follow the hot slab through random churn", arguments: [1 as UInt64, 2, 3])
    func fieldsFollowChurn(seed: UInt64) throws {
        let layer = try SlabFixture.layer(pageCount: 256)
        let caches = try [24, 64, 192, 1000].map { try layer.createCache(name: "c\($0)", objectSize: $0) }
        var random = SplitMix64(seed: seed)
        var live: [(UnsafeMutableRawPointer, SlabCacheID?)] = []
        for step in 0..<4000 {
            let choice = Int(random.next() % 10)
            if choice < 5 || live.isEmpty {
                let which = Int(random.next() % 5)
                if which == 4 {
                    live.append((try layer.kmalloc(1 + Int(random.next() % 300)), nil))
                } else {
                    live.append((try layer.allocate(caches[which]), caches[which]))
                }
            } else {
                // Mostly the latest objects (frees into the hot slab), sometimes any.
                let index = choice < 8 ? live.count - 1 - Int(random.next() % UInt64(min(live.count, 4)))
                                       : Int(random.next() % UInt64(live.count))
                let (object, cache) = live.remove(at: index)
                if let cache { try layer.free(object, to: cache) } else { try layer.kfree(object) }
            }
            if step % 97 == 0 {
                for cache in caches + layer.cacheIDs.filter({ (try? layer.info($0).isKmalloc) == true }) {
                    #expect(layer.hotFieldsAgree(layer.caches[Int(cache.index)]), "step \(step)")
                }
            }
        }
        #expect(layer.validateAll().isEmpty)
        for (object, cache) in live {
            if let cache { try layer.free(object, to: cache) } else { try layer.kfree(object) }
        }
        expectSound(layer)
    }
}
