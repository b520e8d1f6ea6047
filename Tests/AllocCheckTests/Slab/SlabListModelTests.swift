import Invariants
import Testing
@testable import AllocCheck

/// Seeded random allocations, frees, shrinks and destroys on caches whose
/// slabs hold one to sixteen objects (so that a cache holds several slabs,
/// fills and empties them within a few calls), beside a model that knows
/// only how many live objects each slab holds. After every call the model
/// predicts what SLUB's rules give:
/// - the cache's partial, full and empty slab counts and its active objects;
/// - the pages the slab layer holds (free pages of the page allocator);
/// - where an allocation comes from: the object freed last when its free
///   left the slab partial (the hot slab), else a partial slab, else an
///   empty one, else a new slab;
/// - and exactly which object: the model keeps the partial list in order
///   (a slab a free takes off the full list goes to its tail, a slab taken
///   from the empty list or new to its front), the empty list in order
///   (the slab emptied last first), the hot slab (the slab the latest free
///   left partial; when it leaves the partial list, the list's head), and
///   each slab's free objects as a stack (a new slab's in ascending
///   address order). Which partial slab serves is a policy no trace can
///   pin down from outside, so a list end or hot slab confused on one path
///   (the inlined paths make their own list moves) shows only here;
/// - a free that empties a slab keeps it while fewer than `emptySlabsKept`
///   slabs are empty, and gives it back otherwise;
/// - a shrink gives back exactly the empty slabs; a destroy with a live
///   object is refused and changes nothing; one without gives everything back.
@Suite("Slab lists: a model of each slab's live objects predicts lists, pages and the slab that serves")
struct SlabListModelTests {
    /// One cache and the model of its slabs.
    struct Model {
        var handle: SlabCacheID
        let name: String
        let objectSize: Int
        let debug: SlabDebugOptions
        /// Allocate with kmalloc of sizes that map to this class (nil: a cache of its own).
        let kmallocSizes: ClosedRange<Int>?
        let perSlab: Int
        let order: Int
        let maxLive: Int
        /// Live objects per slab (by first page), empty slabs included.
        var slabs: [Int: Int] = [:]
        var objects: [UnsafeMutableRawPointer] = []
        /// The object the next allocation must return (freed last, its slab left partial), and its slab.
        var next: (object: UnsafeMutableRawPointer, slab: Int)?
        /// The partial list and the empty list, first slab first; the hot slab.
        var partialList: [Int] = []
        var emptyList: [Int] = []
        var hot: Int?
        /// Each slab's free objects, the next one to be handed out last.
        var freeObjects: [Int: [UnsafeMutableRawPointer]] = [:]

        var partial: Int { slabs.values.filter { $0 > 0 && $0 < perSlab }.count }
        var full: Int { slabs.values.filter { $0 == perSlab }.count }
        var empty: Int { slabs.values.filter { $0 == 0 }.count }
        var pages: Int { slabs.count << order }
    }

    static func models(_ layer: SlabAllocator) throws -> [Model] {
        func cache(_ name: String, _ size: Int, _ debug: SlabDebugOptions, maxLive: Int) throws -> Model {
            let handle = try layer.createCache(name: name, objectSize: size, debug: debug)
            let info = try layer.info(handle)
            return Model(handle: handle, name: name, objectSize: size, debug: debug, kmallocSizes: nil,
                         perSlab: info.objectsPerSlab, order: info.order, maxLive: maxLive)
        }
        let eightK = try #require(layer.kmallocCache(forSize: 8192))
        let info = try layer.info(eightK)
        return [
            try cache("one-per-slab", 20_000, [], maxLive: 10),
            try cache("two-per-slab", 12_300, .all, maxLive: 12),
            try cache("three-per-slab", 9000, [.redZone, .poison], maxLive: 12),
            try cache("sixteen-per-slab", 1000, [], maxLive: 40),
            Model(handle: eightK, name: "kmalloc-8k", objectSize: 8192, debug: [], kmallocSizes: 4097...8192,
                  perSlab: info.objectsPerSlab, order: info.order, maxLive: 14),
        ]
    }

    @Test("Lists, pages and the serving slab follow the model", arguments: [(UInt64(1), 0), (2, 1), (3, 2), (4, 3)])
    func listsFollowTheModel(seed: UInt64, emptySlabsKept: Int) throws {
        var random = SplitMix64(seed: seed)
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 1024), emptySlabsKept: emptySlabsKept)
        var models = try Self.models(layer)
        #expect(models.map(\.perSlab) == [1, 2, 3, 16, 4], "the geometry this test is built on")
        let freeWithoutSlabs = layer.pageAllocator.freePageCount
        for step in 0..<1500 {
            let m = random.below(models.count)
            let context = "seed \(seed) step \(step) \(models[m].name)"
            let roll = random.below(100)
            if roll < 4 {
                // Shrink: exactly the empty slabs go back.
                let returned = try layer.shrink(models[m].handle)
                #expect(returned == models[m].empty << models[m].order, "\(context): shrink")
                models[m].slabs = models[m].slabs.filter { $0.value > 0 }
                for slab in models[m].emptyList { models[m].freeObjects[slab] = nil }
                models[m].emptyList = []
            } else if roll < 7 && models[m].kmallocSizes == nil {
                try destroy(&models[m], layer, context)
            } else if models[m].objects.isEmpty || (models[m].objects.count < models[m].maxLive && roll < 55) {
                try allocate(&models[m], layer, &random, context)
            } else {
                try free(&models[m], layer, &random, context)
            }
            let info = try layer.info(models[m].handle)
            #expect(info.activeObjects == models[m].objects.count, "\(context): active objects")
            #expect(info.partialSlabs == models[m].partial, "\(context): partial slabs")
            #expect(info.fullSlabs == models[m].full, "\(context): full slabs")
            #expect(info.emptySlabs == models[m].empty, "\(context): empty slabs")
            #expect(layer.pageAllocator.freePageCount == freeWithoutSlabs - models.reduce(0) { $0 + $1.pages },
                    "\(context): pages held by slabs")
            if info.activeObjects != models[m].objects.count || info.emptySlabs != models[m].empty
                || info.partialSlabs != models[m].partial { return }
        }
        expectSound(layer)
        #expect(layer.validateAll().isEmpty)
        // Slabs given back and pages reused by caches of other sizes leave no record behind.
        expectObjectRecordsExact(layer, "seed \(seed)")
    }

    private func allocate(_ model: inout Model, _ layer: SlabAllocator, _ random: inout SplitMix64, _ context: String) throws {
        let partialBefore = model.partial, emptyBefore = model.empty
        // The slab that must serve (nil: a new one), as the layer's lists stand.
        var serving = model.hot ?? model.partialList.first
        if serving == nil, let empty = model.emptyList.first {
            model.emptyList.removeFirst()
            model.partialList.insert(empty, at: 0)
            serving = empty
        }
        let object: UnsafeMutableRawPointer
        if let sizes = model.kmallocSizes {
            object = try layer.kmalloc(sizes.lowerBound + random.below(sizes.count))
        } else {
            object = try layer.allocate(model.handle)
        }
        let slab = try #require(layer._testingSlabPfn(holding: object))
        #expect(slab % (1 << model.order) == 0, "\(context): a slab starts on its order's boundary")
        if let expected = model.next {
            #expect(object == expected.object, "\(context): the object freed last comes back first")
        }
        let live = model.slabs[slab]
        if let serving {
            // Stops the test at the first wrong object: the model cannot follow the layer past it.
            let expected = model.freeObjects[serving]?.last
            let next = expected.map { "\($0)" } ?? "none"
            try #require(object == expected,
                         "\(context): object \(object) from slab \(slab) handed out, the model's next is \(next) from slab \(serving)")
            model.freeObjects[serving]?.removeLast()
        } else {
            // A new slab: its first object, the rest in ascending order.
            let meta = layer.caches[Int(model.handle.index)]
            let first = layer.pageAllocator.address(ofPage: slab) + meta.objectOffset
            try #require(model.slabs[slab] == nil && object == first, "\(context): a new slab hands out its first object first")
            model.partialList.insert(slab, at: 0)
            model.freeObjects[slab] = (1..<model.perSlab).reversed().map { first + $0 * meta.stride }
        }
        model.hot = serving ?? slab
        if partialBefore > 0 {
            #expect(live.map { $0 > 0 && $0 < model.perSlab } == true, "\(context): a partial slab serves first")
        } else if emptyBefore > 0 {
            #expect(live == 0, "\(context): with no partial slab, an empty one serves before a new one")
        } else {
            #expect(live == nil, "\(context): with no partial or empty slab, a new slab serves")
        }
        model.slabs[slab, default: 0] += 1
        model.objects.append(object)
        model.next = nil
        if model.slabs[slab] == model.perSlab {
            // Full: off the partial list; a hot slab leaving it hands over to the list's head.
            model.partialList.removeAll { $0 == slab }
            if model.hot == slab { model.hot = model.partialList.first }
        }
    }

    private func free(_ model: inout Model, _ layer: SlabAllocator, _ random: inout SplitMix64, _ context: String) throws {
        let object = model.objects.remove(at: random.below(model.objects.count))
        let slab = try #require(layer._testingSlabPfn(holding: object))
        let emptyBefore = model.empty
        if model.kmallocSizes != nil { try layer.kfree(object) } else { try layer.free(object, to: model.handle) }
        let wasFull = model.slabs[slab] == model.perSlab
        let live = model.slabs[slab, default: 0] - 1
        model.freeObjects[slab, default: []].append(object)
        if live > 0 {
            model.slabs[slab] = live
            model.next = (object, slab)
            // A full slab that gets an object back goes to the partial list's tail; either way it turns hot.
            if wasFull { model.partialList.append(slab) }
            model.hot = slab
        } else {
            // An emptied slab is kept while fewer than `emptySlabsKept` are empty.
            let kept = emptyBefore < layer.emptySlabsKept
            model.slabs[slab] = kept ? 0 : nil
            if model.next?.slab == slab { model.next = nil }
            model.partialList.removeAll { $0 == slab }
            if model.hot == slab { model.hot = model.partialList.first }
            if kept { model.emptyList.insert(slab, at: 0) } else { model.freeObjects[slab] = nil }
        }
    }

    private func destroy(_ model: inout Model, _ layer: SlabAllocator, _ context: String) throws {
        guard model.objects.isEmpty else {
            // Refused, and nothing changes: no slab goes back, not even an empty one.
            let before = layer.snapshot()
            #expect(throws: SlabError.self, "\(context): destroy with live objects") { try layer.destroy(model.handle) }
            let after = layer.snapshot()
            #expect(before == after, "\(context): a refused destroy changed \(firstDifference(before, after) ?? "")")
            return
        }
        let free = layer.pageAllocator.freePageCount
        try layer.destroy(model.handle)
        #expect(layer.pageAllocator.freePageCount == free + model.pages, "\(context): destroy gives every slab back")
        model.handle = try layer.createCache(name: model.name, objectSize: model.objectSize, debug: model.debug)
        model.slabs = [:]
        model.next = nil
        model.partialList = []
        model.emptyList = []
        model.hot = nil
        model.freeObjects = [:]
    }
}
