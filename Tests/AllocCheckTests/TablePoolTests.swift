import Testing
@testable import AllocCheck

/// The pool of metadata tables that short-lived allocators hand on to the next.
@Suite("Table pool: released tables are handed on, zeroed ones all zero")
struct TablePoolTests {
    @Test("a capacity holds the size asked for, with at most an eighth more (whole pages for a zeroed table)")
    func capacities() {
        for bytes in [1, 63, 64, 65, 1000, 4096, 4097, 10_000, 33_000, 1 << 20, (1 << 20) + 1, 3_000_000] {
            let plain = TablePool.capacity(for: bytes, zeroed: false)
            #expect(plain >= bytes && plain <= max(64, bytes + bytes / 8 + 64), "plain \(bytes) -> \(plain)")
            let zeroed = TablePool.capacity(for: bytes, zeroed: true)
            #expect(zeroed >= bytes && zeroed % 4096 == 0 && zeroed <= max(4096, bytes + bytes / 8 + 4096),
                    "zeroed \(bytes) -> \(zeroed)")
        }
        // Similar sizes share a class, so similar arenas share tables.
        #expect(TablePool.capacity(for: 1000 * 16, zeroed: false) == TablePool.capacity(for: 1010 * 16, zeroed: false))
    }

    @Test("a released table goes to the next taker of its size class; a zeroed one comes back all zero")
    func handsOn() throws {
        let pool = TablePool(maxKeptBytes: 1 << 20)
        let plain = try #require(pool.take(bytes: 5000))
        pool.give(plain, bytes: 5000)
        let again = try #require(pool.take(bytes: 5100))
        #expect(again == plain)
        let other = try #require(pool.take(bytes: 5100))
        #expect(other != plain)  // lent already: a new one
        pool.give(again, bytes: 5100)
        pool.give(other, bytes: 5100)

        let zeroed = try #require(pool.takeZeroed(bytes: 20_000))
        let bytes = zeroed.assumingMemoryBound(to: UInt8.self)
        #expect((0..<20_000).allSatisfy { bytes[$0] == 0 })
        bytes[100] = 7
        bytes[100] = 0
        pool.giveZeroed(zeroed, bytes: 20_000)
        let zeroedAgain = try #require(pool.takeZeroed(bytes: 20_000))
        #expect(zeroedAgain == zeroed)
        #expect((0..<20_000).allSatisfy { bytes[$0] == 0 })
        // Another kind or class is not handed out for it.
        pool.giveZeroed(zeroed, bytes: 20_000)
        let plainOfThatSize = try #require(pool.take(bytes: 20_000))
        let largerZeroed = try #require(pool.takeZeroed(bytes: 200_000))
        #expect(plainOfThatSize != zeroed && largerZeroed != zeroed)
        pool.give(plainOfThatSize, bytes: 20_000)
        pool.giveZeroed(largerZeroed, bytes: 200_000)
        // The pool releases what it keeps when it goes (LeakSanitizer checks it).
    }

    /// A table is handed out only for its own size class: a larger one
    /// given for a smaller request would come back (and be unmapped) as the
    /// smaller class, leaking its tail and skewing the pool's byte count.
    @Test("a table of a larger size class is not handed out for a smaller one")
    func onlyItsOwnClass() throws {
        let pool = TablePool(maxKeptBytes: 1 << 22)
        let large = try #require(pool.takeZeroed(bytes: 200_000))
        pool.giveZeroed(large, bytes: 200_000)
        let small = try #require(pool.takeZeroed(bytes: 20_000))
        #expect(small != large)
        #expect(pool.keptCount == 1)
        let plainLarge = try #require(pool.take(bytes: 50_000))
        pool.give(plainLarge, bytes: 50_000)
        let plainSmall = try #require(pool.take(bytes: 5_000))
        #expect(plainSmall != plainLarge)
        #expect(pool.keptCount == 2)
        pool.giveZeroed(small, bytes: 20_000)
        pool.give(plainSmall, bytes: 5_000)
    }

    @Test("the pool keeps at most its byte limit, releasing the oldest tables first")
    func limit() throws {
        let capacity = TablePool.capacity(for: 64 << 10, zeroed: true)
        let pool = TablePool(maxKeptBytes: 3 * capacity)
        let tables = try (0..<4).map { _ in try #require(pool.takeZeroed(bytes: 64 << 10)) }
        for table in tables { pool.giveZeroed(table, bytes: 64 << 10) }
        #expect(pool.keptCount == 3)
        let taken = try (0..<3).map { _ in try #require(pool.takeZeroed(bytes: 64 << 10)) }
        #expect(Set(taken) == Set(tables.dropFirst()))
        #expect(pool.keptCount == 0)
        // Larger than the whole limit: never kept.
        let huge = try #require(pool.takeZeroed(bytes: 4 * capacity))
        pool.giveZeroed(huge, bytes: 4 * capacity)
        #expect(pool.keptCount == 0)
        for table in taken { pool.giveZeroed(table, bytes: 64 << 10) }
    }

    /// The contract a slab layer keeps when it gives its object-state table
    /// back: every entry it wrote is zero again. Objects of one-page and
    /// multi-page slabs, debug caches, live and freed objects all write entries.
    @Test("a slab layer clears every object-state entry it wrote before giving the table back")
    func slabLayerClearsItsObjectState() throws {
        let layer = try SlabAllocator(pageCount: 600, kmallocDebug: .all)
        let small = try layer.createCache(name: "small", objectSize: 40)
        let large = try layer.createCache(name: "large", objectSize: 3000, debug: [.redZone, .poison])
        // Each object with the cache it came from (nil: kmalloc).
        var live: [(UnsafeMutableRawPointer, SlabCacheID?)] = []
        for round in 0..<300 {
            live.append((try layer.allocate(small), small))
            if round % 3 == 0 { live.append((try layer.allocate(large), large)) }
            if round % 5 == 0 { live.append((try layer.kmalloc(8000), nil)) }
            live.append((try layer.kmalloc(17 + round), nil))
        }
        // Free half, so entries of freed objects were written and cleared by the layer too.
        for (index, (object, cache)) in live.enumerated() where index % 2 == 0 {
            if let cache { try layer.free(object, to: cache) } else { try layer.kfree(object) }
        }
        let entries = layer.objectStateBytes / 2
        #expect((0..<entries).contains { layer.objectState[$0] != 0 }, "the layer wrote no entry: the test shows nothing")
        layer.clearObjectState()
        let left = (0..<entries).filter { layer.objectState[$0] != 0 }
        #expect(left.isEmpty, "\(left.count) entries still set, the first at \(left.first ?? -1)")
    }
}
