import Invariants
import Testing
@testable import AllocCheck

/// A slab layer's life over a page allocator that outlives it, the page
/// allocator's own snapshot while a layer lives, and two kmalloc cases a
/// new user met: an object of a kmalloc class taken with `allocate`, and
/// `ksize` on a class with red zones.
@Suite("Slab layer lifetime, the page allocator's snapshot under a layer, kmalloc classes through allocate and ksize")
struct SlabLayerLifetimeTests {
    /// The layer's slabs and large blocks go back when it goes: the page
    /// allocator has every page free again, its snapshot is sound, and a
    /// new layer can be put over it.
    @Test func droppingALayerGivesItsPagesBack() throws {
        let pages = try PageAllocator(pageCount: 256)
        let before = pages.freePageCount
        do {
            let layer = try SlabAllocator(pageAllocator: pages)
            let cache = try layer.createCache(name: "dentry", objectSize: 40, debug: [.redZone, .poison])
            _ = try (0..<100).map { _ in try layer.allocate(cache) }
            _ = try layer.kmalloc(64)
            _ = try layer.kmalloc(20_000)  // a large kmalloc: a page block
            let freed = try layer.kmalloc(100)
            try layer.kfree(freed)
            #expect(pages.freePageCount < before)
        }
        #expect(pages.freePageCount == before)
        #expect(InvariantSuite.checkAll(pages.snapshot()).isEmpty)
        // Every page can be allocated again, as one block of each top-order window.
        #expect(try pages.allocPages(order: 8) == pages.address(ofPage: 0))
        #expect(try SlabAllocator(pageAllocator: pages).kmallocClasses.isEmpty == false)
    }

    /// A layer told that its page allocator goes with it leaves the pages
    /// as they are (the walk saved); the default gives them back.
    @Test func aLayerThatKeepsItsPagesLeavesThemMarked() throws {
        let pages = try PageAllocator(pageCount: 64)
        let before = pages.freePageCount
        do {
            let layer = try SlabAllocator(pageAllocator: pages)
            layer.givesPagesBackOnDeinit = false
            _ = try layer.kmalloc(64)
        }
        #expect(pages.freePageCount == before - 1)
    }

    /// Debug options written by `description` read back as themselves, "-"
    /// (no option) included.
    @Test func debugOptionsRoundTripThroughTheirLetters() {
        for raw in UInt8(0)..<16 {
            let options = SlabDebugOptions(rawValue: raw)
            #expect(SlabDebugOptions(letters: options.description) == options, "\(options)")
        }
        #expect(SlabDebugOptions(letters: "-F") == nil)
    }

    /// While a layer lives, the page allocator's snapshot is the layer's:
    /// its slab pages' marks name slabs the snapshot describes.
    @Test func aPageAllocatorsSnapshotUnderALayerIsTheLayers() throws {
        let pages = try PageAllocator(pageCount: 256)
        let layer = try SlabAllocator(pageAllocator: pages)
        _ = try layer.kmalloc(64)
        _ = try layer.kmalloc(20_000)
        #expect(pages.snapshot() == layer.snapshot())
        #expect(InvariantSuite.checkAll(pages.snapshot()).isEmpty)
        var reused = pages.snapshot()
        _ = try layer.kmalloc(300)
        pages.snapshot(into: &reused)
        #expect(reused == layer.snapshot())
    }

    /// An object of a kmalloc class taken with `allocate` (its handle from
    /// `kmallocCache(forSize:)`) asked for the whole object, as the kernel's
    /// kmem_cache_alloc records it: the snapshot says so and the checkers
    /// find nothing wrong; `ksize`, `kfree` and `free` take it.
    @Test func aKmallocClassObjectTakenWithAllocateAskedForTheWholeObject() throws {
        for debug in [SlabDebugOptions(), [.redZone]] {
            let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 256), kmallocDebug: debug)
            let cache = try #require(layer.kmallocCache(forSize: 64))
            let object = try layer.allocate(cache)
            #expect(layer.validateAll().isEmpty)
            let snapshot = layer.snapshot()
            #expect(InvariantSuite.checkAll(snapshot).isEmpty, "\(debug)")
            #expect(snapshot.slabLayer.liveObjects.map(\.requestedBytes) == [64])
            // Every byte of the object is the caller's.
            object.initializeMemory(as: UInt8.self, repeating: 0x42, count: 64)
            #expect(try layer.ksize(object) == 64)
            try layer.kfree(object)
            let again = try layer.allocate(cache)
            try layer.free(again, to: cache)
            #expect(layer.validateAll().isEmpty && InvariantSuite.checkAll(layer.snapshot()).isEmpty)
        }
    }

    /// With red zones on the kmalloc classes, the bytes past the requested
    /// size are a red zone until `ksize` is asked; then, as the kernel's
    /// `__ksize` widens the recorded size, every byte `ksize` reports is
    /// usable. Without the question the overflow is still caught.
    @Test func ksizeWidensAKmallocObjectToItsClassWithRedZones() throws {
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 64), kmallocDebug: [.redZone])
        let asked = try layer.kmalloc(100)
        let usable = try layer.ksize(asked)
        #expect(usable == 128)
        asked.initializeMemory(as: UInt8.self, repeating: 0x42, count: usable)
        #expect(layer.validateAll().isEmpty)
        #expect(InvariantSuite.checkAll(layer.snapshot()).isEmpty)
        try layer.kfree(asked)

        let unasked = try layer.kmalloc(100)
        unasked.initializeMemory(as: UInt8.self, repeating: 0x42, count: 128)
        #expect { try layer.kfree(unasked) } throws: { error in
            if case .redZoneOverwritten(_, _, 100, 0x42, _, _) = error as! SlabError { return true }
            return false
        }
    }
}
