import Invariants
import Testing
@testable import AllocCheck

/// Mixed cache, kmalloc and page operations from a seeded generator, with
/// every invariant and every cache's validation checked after each step, and
/// a shadow model of what each live object holds.
@Suite("Slab randomized: mixed operations keep every invariant")
struct SlabRandomizedTests {
    enum Owner { case cache(SlabCacheID), kmalloc(Int), pages(order: Int) }
    struct Live { var pointer: UnsafeMutableRawPointer; var owner: Owner; var size: Int; var fill: UInt8 }

    @Test("Seeded random operations", arguments: zip([UInt64(1), 2, 3], [SlabDebugOptions(), .all, [.redZone, .poison]]))
    func randomOperations(seed: UInt64, debug: SlabDebugOptions) throws {
        var random = SplitMix64(seed: seed)
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 600, reserved: [200..<203]),
                                      kmallocDebug: debug)
        var caches = [try layer.createCache(name: "c24", objectSize: 24, debug: debug),
                      try layer.createCache(name: "c300", objectSize: 300, alignment: 32, debug: debug)]
        var live: [Live] = []
        let steps = 700
        for step in 0..<steps {
            let choice = random.below(100)
            do {
                if choice < 40 || live.isEmpty {
                    // Allocate.
                    let kind = random.below(10)
                    let fill = UInt8(truncatingIfNeeded: random.next())
                    if kind < 4, !caches.isEmpty {
                        let cache = caches[random.below(caches.count)]
                        let pointer = try layer.allocate(cache, owner: UInt64(step))
                        let size = try layer.info(cache).objectSize
                        live.append(Live(pointer: pointer, owner: .cache(cache), size: size, fill: fill))
                    } else if kind < 9 {
                        let size = random.below(10) == 0 ? 8193 + random.below(60_000) : random.below(3000)
                        let pointer = try layer.kmalloc(size, owner: UInt64(step))
                        if size == 0 { #expect(pointer == SlabAllocator.zeroSizePointer); continue }
                        #expect(try layer.ksize(pointer) >= size)
                        live.append(Live(pointer: pointer, owner: .kmalloc(size), size: size, fill: fill))
                    } else {
                        let order = random.below(3)
                        let pointer = try layer.pageAllocator.allocPages(order: order)
                        live.append(Live(pointer: pointer, owner: .pages(order: order), size: 4096 << order, fill: fill))
                    }
                    live[live.count - 1].pointer.initializeMemory(as: UInt8.self, repeating: fill, count: live[live.count - 1].size)
                } else if choice < 85 {
                    // Free a random live allocation, after checking its bytes survived.
                    let index = random.below(live.count)
                    let item = live.remove(at: index)
                    for offset in [0, item.size / 2, item.size - 1] {
                        #expect(item.pointer.load(fromByteOffset: offset, as: UInt8.self) == item.fill, "step \(step)")
                    }
                    switch item.owner {
                    case let .cache(cache): try layer.free(item.pointer, to: cache, owner: UInt64(step))
                    case .kmalloc: try layer.kfree(item.pointer, owner: UInt64(step))
                    case let .pages(order): try layer.pageAllocator.freePages(item.pointer, order: order)
                    }
                } else if choice < 92 {
                    // A misuse: freeing an interior pointer or a freed object is refused and changes nothing.
                    let item = live[random.below(live.count)]
                    let before = layer.snapshot()
                    if case .pages = item.owner { continue }
                    #expect(throws: SlabError.self) { try layer.kfree(item.pointer + 1) }
                    #expect(layer.snapshot() == before, "step \(step)")
                } else if choice < 96 {
                    layer.shrinkAll()
                } else if caches.count < 4 {
                    caches.append(try layer.createCache(name: "c\(step)", objectSize: 8 + random.below(900), debug: debug))
                } else {
                    // Destroy a cache: refused while it has live objects, else done.
                    let index = random.below(caches.count)
                    let cache = caches[index]
                    let hasLive = live.contains { if case let .cache(c) = $0.owner { return c == cache } else { return false } }
                    if hasLive {
                        #expect(throws: SlabError.self) { try layer.destroy(cache) }
                    } else {
                        try layer.destroy(cache)
                        caches.remove(at: index)
                    }
                }
            } catch SlabError.pageAllocator(.outOfMemory) {
                // Running out of pages is allowed; the state must still be sound.
            }
            let violations = InvariantSuite.checkAll(layer.snapshot())
            #expect(violations.isEmpty, "seed \(seed) step \(step): \(violations.prefix(3).map(\.description))")
            let problems = layer.validateAll()
            #expect(problems.isEmpty, "seed \(seed) step \(step): \(problems.prefix(3))")
            if !violations.isEmpty || !problems.isEmpty { return }
        }
        // Free everything: the page allocator gets every page back.
        for item in live {
            switch item.owner {
            case let .cache(cache): try layer.free(item.pointer, to: cache)
            case .kmalloc: try layer.kfree(item.pointer)
            case let .pages(order): try layer.pageAllocator.freePages(item.pointer, order: order)
            }
        }
        layer.shrinkAll()
        #expect(layer.pageAllocator.freePageCount == 600 - 3)
        expectSound(layer)
        // Every slab went back: no page keeps a record of an object.
        expectObjectRecordsExact(layer, "seed \(seed), every slab given back")
    }
}
