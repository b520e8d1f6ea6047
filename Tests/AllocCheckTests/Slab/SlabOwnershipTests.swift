import Invariants
import Testing
@testable import AllocCheck

/// The slab-ownership invariant: silent on real states, and each kind of
/// violation fires, on a snapshot corrupted in exactly one place.
@Suite("Slab ownership invariant")
struct SlabOwnershipTests {
    /// A layer with full, partial and empty slabs, kmalloc objects and a large kmalloc block.
    static func scenario() throws -> (SlabAllocator, AllocatorSnapshot) {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "a", objectSize: 64, alignment: 64)
        let objects = try (0..<100).map { _ in try layer.allocate(cache) }
        for object in objects[70...] { try layer.free(object, to: cache) }
        let empty = try layer.createCache(name: "e", objectSize: 200)
        try layer.free(layer.allocate(empty), to: empty)
        _ = try layer.kmalloc(18)
        _ = try layer.kmalloc(100)
        _ = try layer.kmalloc(20000)
        let snapshot = layer.snapshot()
        return (layer, snapshot)
    }

    /// Where each kind of corruption is put, and the words of the report it must produce.
    enum Corruption: String, CaseIterable, Sendable {
        case markNamesNoSlab, markOutsideSlab, slabOutsideArena, slabsOverlap, headNotAllocated, innerPageNotTail
        case pageNotMarked, slabInsideFreeBlock, largeBlockMalformed, slabNamesNoCache, geometryMismatch
        case inUseOutOfRange, chainEntryNotObject, chainEntryTwice, chainUnterminated, inUseDisagreesWithChain
        case listNamesNoSlab, listHoldsOtherCache, wrongList, activeCountWrong, slabOnNoList
        case objectListedTwice, objectInNoSlab, largeObjectNotAtStart, largeRequestWrongOrder
        case objectOffBoundary, objectAlsoOnChain, kmallocWrongClass, liveCountDisagrees

        var expectedWords: String {
            switch self {
            case .markNamesNoSlab, .listNamesNoSlab: return "there is no such slab"
            case .markOutsideSlab: return "which covers"
            case .slabOutsideArena: return "does not lie inside the arena"
            case .slabsOverlap: return "overlaps the slab before it"
            case .headNotAllocated: return "should be an allocated block"
            case .innerPageNotTail: return "not a tail page"
            case .pageNotMarked: return "are not marked as its pages"
            case .slabInsideFreeBlock: return "lies inside the free block"
            case .largeBlockMalformed: return "large kmalloc block but"
            case .slabNamesNoCache: return "there is no such cache"
            case .geometryMismatch: return "but the cache has"
            case .inUseOutOfRange: return "objects in use"
            case .chainEntryNotObject: return "which is not one of its objects"
            case .chainEntryTwice: return "on its free chain twice"
            case .chainUnterminated: return "the free chain does not end"
            case .inUseDisagreesWithChain: return "are on the free chain"
            case .listHoldsOtherCache: return "of another cache"
            case .wrongList: return "but is on the"
            case .activeCountWrong: return "active objects, its slabs"
            case .slabOnNoList: return "lists of its cache, not one"
            case .objectListedTwice: return "is listed twice"
            case .objectInNoSlab: return "which is in no slab"
            case .largeObjectNotAtStart: return "is not the start of its large kmalloc block"
            case .largeRequestWrongOrder: return "should be a size class or order"
            case .objectOffBoundary: return "is not on an object boundary"
            case .objectAlsoOnChain: return "is also on the free chain"
            case .kmallocWrongClass: return "belongs to class"
            case .liveCountDisagrees: return "live objects lie in it"
            }
        }

        func apply(to snapshot: inout AllocatorSnapshot) {
            var layer = snapshot.slabLayer
            let pageSize = snapshot.pageSize
            // The partial slab of cache "a" (index of "a" among the caches), the large block, a kmalloc object.
            let cacheA = layer.caches.firstIndex { $0.name == "a" }!
            let partial = layer.caches[cacheA].partialSlabs[0]
            let full = layer.caches[cacheA].fullSlabs[0]
            let large = layer.slabs.firstIndex { $0.cache == -1 }!
            let kmallocObject = layer.liveObjects.firstIndex { $0.requestedBytes == 18 }!
            let liveInPartial = layer.liveObjects.firstIndex { $0.slab == partial }!
            let freePfn = snapshot.pages.indices.last { snapshot.pages[$0].kind == .free }!
            switch self {
            case .markNamesNoSlab: snapshot.pages[freePfn].slab = Int32(layer.slabs.count + 3)
            case .markOutsideSlab: snapshot.pages[freePfn].slab = Int32(partial)
            case .slabOutsideArena: layer.slabs[partial].basePfn = snapshot.pages.count - 1; layer.slabs[partial].order = 3
            case .slabsOverlap: layer.slabs[1].basePfn = layer.slabs[0].basePfn
            case .headNotAllocated: snapshot.pages[layer.slabs[large].basePfn].kind = .exact
            case .innerPageNotTail: snapshot.pages[layer.slabs[large].basePfn + 1].kind = .allocated
            case .pageNotMarked: snapshot.pages[layer.slabs[large].basePfn + 2].slab = -1
            case .slabInsideFreeBlock:
                let pfn = layer.slabs[partial].basePfn
                snapshot.pages[pfn & ~1023].kind = .free
                snapshot.pages[pfn & ~1023].order = 10
            case .largeBlockMalformed: layer.slabs[large].objects = 2
            case .slabNamesNoCache: layer.slabs[partial].cache = layer.caches.count
            case .geometryMismatch: layer.slabs[partial].objects += 1
            case .inUseOutOfRange: layer.slabs[partial].inUse = layer.slabs[partial].objects + 1
            case .chainEntryNotObject: layer.slabs[partial].freeChain[0] += 8
            case .chainEntryTwice: layer.slabs[partial].freeChain[1] = layer.slabs[partial].freeChain[0]
            case .chainUnterminated: layer.slabs[partial].freeChainTerminated = false
            case .inUseDisagreesWithChain: layer.slabs[partial].freeChain.removeLast()
            case .listNamesNoSlab: layer.caches[cacheA].partialSlabs.append(layer.slabs.count)
            case .listHoldsOtherCache:
                let other = layer.caches.firstIndex { $0.name == "e" }!
                layer.caches[other].fullSlabs.append(full)
            case .wrongList:
                layer.caches[cacheA].fullSlabs.append(partial)
                layer.caches[cacheA].partialSlabs.removeAll { $0 == partial }
            case .activeCountWrong: layer.caches[cacheA].activeObjects += 1
            case .slabOnNoList: layer.caches[cacheA].fullSlabs.removeAll { $0 == full }
            case .objectListedTwice: layer.liveObjects.insert(layer.liveObjects[liveInPartial], at: liveInPartial)
            case .objectInNoSlab: layer.liveObjects[liveInPartial].slab = -1
            case .largeObjectNotAtStart:
                let index = layer.liveObjects.firstIndex { $0.slab == large }!
                layer.liveObjects[index].offset += 64
            case .largeRequestWrongOrder:
                let index = layer.liveObjects.firstIndex { $0.slab == large }!
                layer.liveObjects[index].requestedBytes = 9000
            case .objectOffBoundary: layer.liveObjects[liveInPartial].offset += 8
            case .objectAlsoOnChain:
                layer.liveObjects.append(SlabObjectRecord(offset: layer.slabs[partial].freeChain[0], slab: partial, requestedBytes: nil))
                layer.slabs[partial].inUse += 1
                layer.slabs[partial].freeChain.removeLast()
                layer.caches[cacheA].activeObjects += 1
                layer.liveObjects.sort { $0.offset < $1.offset }
            case .kmallocWrongClass: layer.liveObjects[kmallocObject].requestedBytes = 40
            case .liveCountDisagrees: layer.liveObjects.remove(at: liveInPartial)
            }
            _ = pageSize
            snapshot.slabLayer = layer
        }
    }

    @Test("Silent on a real state with full, partial and empty slabs and large kmallocs")
    func clean() throws {
        let (layer, snapshot) = try Self.scenario()
        #expect(SlabOwnership.check(snapshot).isEmpty)
        #expect(InvariantSuite.checkAll(snapshot).isEmpty)
        #expect(InvariantSuite.names.contains(.slabOwnership))
        #expect(snapshot.slabLayer.caches.contains { $0.name == "e" && $0.emptySlabs.count == 1 })
        _ = layer
    }

    @Test("Each kind of violation fires", arguments: Corruption.allCases)
    func fires(_ corruption: Corruption) throws {
        var (_, snapshot) = try Self.scenario()
        corruption.apply(to: &snapshot)
        let violations = SlabOwnership.check(snapshot)
        #expect(violations.contains { $0.message.contains(corruption.expectedWords) && $0.invariant == .slabOwnership },
                "\(violations.map(\.message))")
    }

    @Test("Real corruption of the allocator's state is seen through the snapshot")
    func realCorruption() throws {
        let (layer, _) = try Self.scenario()
        let cache = try #require(layer.cacheIDs.first { (try? layer.info($0).name) == "a" })
        let object = try layer.allocate(cache)
        // A live object whose record says free: it is on no chain and not live, so counts disagree.
        layer._testingSetObjectState(object, 0)
        #expect(SlabOwnership.check(layer.snapshot()).contains { $0.message.contains("live objects lie in it") })
        layer._testingSetObjectState(object, SlabAllocator.plainObjectMark)
        #expect(SlabOwnership.check(layer.snapshot()).isEmpty)
        // A wrong in-use count.
        layer._testingSetInUse(ofSlabHolding: object, 1)
        #expect(!SlabOwnership.check(layer.snapshot()).isEmpty)
        #expect(try !layer.validate(cache).isEmpty)
        _ = try layer.validate(cache, repair: true)
        #expect(SlabOwnership.check(layer.snapshot()).isEmpty)
        // A page mark wiped in the page allocator.
        let pfn = try #require(layer._testingSlabPfn(holding: object))
        layer.pageAllocator._testingSetPage(pfn) { $0.slab = -1 }
        #expect(SlabOwnership.check(layer.snapshot()).contains { $0.message.contains("not marked as its pages") })
        layer.pageAllocator._testingSetPage(pfn) { $0.slab = Int32(pfn) }
        #expect(SlabOwnership.check(layer.snapshot()).isEmpty)
    }
}
