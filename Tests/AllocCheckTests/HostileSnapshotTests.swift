#if canImport(Glibc)
import Glibc
import Invariants
import Testing
@testable import AllocCheck

/// In the child: every checker's report on `snapshot`, as "<invariant>: <count>" lines joined by "; ".
private func reportCounts(_ snapshot: AllocatorSnapshot) -> String {
    InvariantSuite.all.map { invariant in
        "\(invariant.name): \(invariant.check(snapshot, limit: 5).count)"
    }.joined(separator: "; ")
}

/// A small, sound picture: 16 free pages as one block of order 4, top order 4.
private func soundSnapshot() -> AllocatorSnapshot {
    var pages = Array(repeating: PageRecord(kind: .tail), count: 16)
    pages[0] = PageRecord(kind: .free, order: 4)
    var lists = Array(repeating: FreeListRecord(head: -1, tail: -1, count: 0), count: 5)
    lists[4] = FreeListRecord(head: 0, tail: 0, count: 1)
    return AllocatorSnapshot(pageSize: 4096, topOrder: 4, pages: pages, freeLists: lists, exactAllocations: [],
                             freePageCount: 16)
}

/// A snapshot with one cache and one slab of it at page 0 (order 0, 4 objects of 1024 bytes, all in use).
private func slabSnapshot() -> AllocatorSnapshot {
    var pages = Array(repeating: PageRecord(kind: .tail), count: 4)
    pages[0] = PageRecord(kind: .allocated, order: 0, slab: 0)
    pages[1] = PageRecord(kind: .allocated, order: 0)
    pages[2] = PageRecord(kind: .free, order: 1)
    let lists = [FreeListRecord(head: -1, tail: -1, count: 0), FreeListRecord(head: 2, tail: 2, count: 1)]
    let cache = SlabCacheRecord(name: "c", objectSize: 1024, stride: 1024, objectOffset: 0, order: 0, objectsPerSlab: 4,
                                isKmalloc: false, activeObjects: 4, partialSlabs: [], fullSlabs: [0], emptySlabs: [])
    let slab = SlabRecord(basePfn: 0, order: 0, cache: 0, objects: 4, stride: 1024, objectSize: 1024, inUse: 4,
                          freeChain: [], freeChainTerminated: true)
    let live = (0..<4).map { SlabObjectRecord(offset: $0 * 1024, slab: 0, requestedBytes: nil) }
    return AllocatorSnapshot(pageSize: 4096, topOrder: 1, pages: pages, freeLists: lists, exactAllocations: [],
                             freePageCount: 2, slabLayer: SlabLayerSnapshot(caches: [cache], slabs: [slab],
                                                                            liveObjects: live, kmallocClasses: []))
}

/// Moves the slab of `slabSnapshot()` from page 0 to page 1 (the free block moves to page 2 anyway).
private func moveSlabToPage1(_ snapshot: inout AllocatorSnapshot) {
    snapshot.pages[0] = PageRecord(kind: .allocated, order: 0)
    snapshot.pages[1] = PageRecord(kind: .allocated, order: 0, slab: 0)
    snapshot.slabLayer.slabs[0].basePfn = 1
    for index in snapshot.slabLayer.liveObjects.indices { snapshot.slabLayer.liveObjects[index].offset += 4096 }
}

@Suite("Hostile inputs: the invariant checkers", .serialized)
struct HostileSnapshotTests {
    @Test("the fixtures are sound, so every count below is the corruption's")
    func fixturesAreSound() throws {
        try expectInChild("0 0 0") {
            var moved = slabSnapshot()
            moveSlabToPage1(&moved)
            return "\(InvariantSuite.checkAll(soundSnapshot()).count) \(InvariantSuite.checkAll(slabSnapshot()).count) "
                + "\(InvariantSuite.checkAll(moved).count)"
        }
    }

    @Test("a top order of Int.max or Int.min is reported, not trapped on")
    func extremeTopOrders() throws {
        try expectInChild("no-overlap: 0; alignment: 0; buddies-coalesced: 0; free-lists: 1; exact-trim: 0; slab-ownership: 0") {
            var snapshot = soundSnapshot()
            snapshot.topOrder = .max
            return reportCounts(snapshot)
        }
        try expectInChild("no-overlap: 0; alignment: 1; buddies-coalesced: 0; free-lists: 1; exact-trim: 0; slab-ownership: 0") {
            var snapshot = soundSnapshot()
            snapshot.topOrder = .min
            return reportCounts(snapshot)
        }
    }

    @Test("a free-page count of Int.min or Int.max is reported with its difference")
    func extremeFreePageCounts() throws {
        try expectInChild("The running free-page count is -9223372036854775808 but free blocks hold 16 pages "
                          + "(9223372036854775824 too few); so it implies an impossible number of allocated pages where "
                          + "0 are neither free nor reserved. An allocation or free path changed the blocks without "
                          + "the count, or the reverse.") {
            var snapshot = soundSnapshot()
            snapshot.freePageCount = .min
            return ExactTrimAccounting.check(snapshot).map(\.message).joined()
        }
        try expectInChild("1") {
            var snapshot = soundSnapshot()
            snapshot.freePageCount = .max
            return "\(ExactTrimAccounting.check(snapshot).count)"
        }
    }

    @Test("extreme slab base pfns, object offsets and free-chain entries are reported")
    func extremeSlabFields() throws {
        for basePfn in [Int.max, Int.min, Int.max - 1] {
            try expectInChild("slab \(basePfn)") {
                var snapshot = slabSnapshot()
                snapshot.slabLayer.slabs[0].basePfn = basePfn
                let messages = SlabOwnership.check(snapshot).map(\.message)
                return messages.contains { $0.contains("does not lie inside the arena") } ? "slab \(basePfn)" : "\(messages)"
            }
        }
        for offset in [Int.max, Int.min] {
            try expectInChild("offset reported") {
                var snapshot = slabSnapshot()
                snapshot.slabLayer.caches[0].objectOffset = offset
                if offset == .max { moveSlabToPage1(&snapshot) }
                let messages = SlabOwnership.check(snapshot).map(\.message)
                // Reported at the objects it displaces (no overflow at page 0), or as geometry (overflow).
                let reported = messages.contains { $0.contains("object offset \(offset)") }
                    || messages.contains { $0.contains("is not on an object boundary of slab 0") }
                return reported ? "offset reported" : "\(messages)"
            }
        }
        for entry in [Int.max, Int.min, Int.min + 1, -1] {
            try expectInChild("entry reported") {
                var snapshot = slabSnapshot()
                snapshot.slabLayer.slabs[0].freeChain = [entry]
                let messages = SlabOwnership.check(snapshot).map(\.message)
                // Each lies outside the arena, and is named so (not by a number
                // that depends on where the arena lies).
                return messages.contains { $0.contains("free-chain entry outside the arena") } ? "entry reported" : "\(messages)"
            }
        }
        // Inside the arena but no object of the slab: named by its byte.
        try expectInChild("entry reported") {
            var snapshot = slabSnapshot()
            snapshot.slabLayer.slabs[0].freeChain = [1]
            let messages = SlabOwnership.check(snapshot).map(\.message)
            return messages.contains { $0.contains("free-chain entry at byte 1,") } ? "entry reported" : "\(messages)"
        }
        for offset in [Int.max, Int.min] {
            try expectInChild("live object reported") {
                var snapshot = slabSnapshot()
                snapshot.slabLayer.liveObjects[3].offset = offset
                let messages = SlabOwnership.check(snapshot).map(\.message)
                return messages.contains { $0.contains("live object at byte \(offset)") } ? "live object reported" : "\(messages)"
            }
        }
    }

    @Test("in-use counts that overflow when summed are a violation, not a trap")
    func inUseSumOverflows() throws {
        try expectInChild("c counts 4 active objects, but its slabs' in-use counts overflow when summed") {
            var snapshot = slabSnapshot()
            var second = snapshot.slabLayer.slabs[0]
            second.basePfn = 1
            snapshot.pages[1].slab = 1
            second.inUse = .max
            snapshot.slabLayer.slabs[0].inUse = .max
            snapshot.slabLayer.slabs.append(second)
            snapshot.slabLayer.caches[0].fullSlabs = [0, 1]
            return SlabOwnership.check(snapshot, limit: 100).map(\.message).filter { $0.contains("overflow") }.joined()
        }
    }

    @Test("a slab of 2^40 objects and 100,000 slab records over the same pages are checked in linear time")
    func linearTime() throws {
        try expectInChild("reported: objects of stride 1") {
            var snapshot = slabSnapshot()
            // Page size 2^30, stride 1: 2^30 objects fit the slab; one bit per object would be 128 MiB.
            snapshot.pageSize = 1 << 30
            snapshot.slabLayer.caches[0].stride = 1
            snapshot.slabLayer.caches[0].objectsPerSlab = 1 << 30
            snapshot.slabLayer.slabs[0].stride = 1
            snapshot.slabLayer.slabs[0].objects = 1 << 30
            snapshot.slabLayer.slabs[0].freeChain = [5, 5, Int.max]
            let messages = SlabOwnership.check(snapshot, limit: 100).map(\.message)
            return messages.contains { $0.contains("object 5 on its free chain twice") } ? "reported: objects of stride 1" : "\(messages)"
        }
        try expectInChild("100000 slabs in under 20 s") {
            var snapshot = slabSnapshot()
            snapshot.pages = [PageRecord(kind: .allocated, order: 10, slab: 0)]
                + Array(repeating: PageRecord(kind: .tail, slab: 0), count: 1023)
            snapshot.topOrder = 10
            snapshot.slabLayer.caches[0].order = 10
            let slab = SlabRecord(basePfn: 0, order: 10, cache: 0, objects: 4, stride: 1024, objectSize: 1024, inUse: 4,
                                  freeChain: [], freeChainTerminated: true)
            snapshot.slabLayer.caches[0].objectsPerSlab = 4
            snapshot.slabLayer.slabs = Array(repeating: slab, count: 100_000)
            var start = timespec()
            clock_gettime(CLOCK_MONOTONIC, &start)
            _ = SlabOwnership.check(snapshot)
            var end = timespec()
            clock_gettime(CLOCK_MONOTONIC, &end)
            // Quadratic, every record walking its 1,024 pages, would be 10^8 steps.
            return end.tv_sec - start.tv_sec < 20 ? "100000 slabs in under 20 s" : "took \(end.tv_sec - start.tv_sec) s"
        }
    }

    @Test("a freed object's free pointer overwritten with a wild value: snapshot and check report it")
    func wildFreePointerThroughThePublicAPI() throws {
        for wild in [UInt(Int.max), UInt(bitPattern: Int.min), UInt(bitPattern: Int.min) + 8, UInt.max] {
            try expectInChild("slab-ownership reports it") {
                let layer = try SlabFixture.layer()
                let cache = try layer.createCache(name: "victim", objectSize: 64)
                let a = try layer.allocate(cache)
                let b = try layer.allocate(cache)
                try layer.free(a, to: cache)
                try layer.free(b, to: cache)
                // `b` heads the chain; its free pointer now points anywhere (relative to the arena, too).
                let value = wild &+ layer.pageAllocator.base.address
                let slot = layer._testingFreePointerAddress(of: b, in: cache)
                for byte in 0..<8 { layer._testingPoke(slot + byte, UInt8(truncatingIfNeeded: value >> (8 * UInt(byte)))) }
                let violations = InvariantSuite.checkAll(layer.snapshot())
                return violations.contains { $0.invariant == .slabOwnership } ? "slab-ownership reports it" : "\(violations)"
            }
        }
    }

    @Test("snapshots made of extreme values: every checker returns, within its cap")
    func extremeValueSweep() throws {
        try expectInChild("500 snapshots, every report within its cap") {
            var random = SplitMix64(seed: 0xE7_7E3E)
            let extremes = [Int.min, Int.min + 1, -2, -1, 0, 1, 2, 3, 7, 64, 4096, 1 << 40, Int.max - 1, Int.max]
            func any() -> Int { random.below(3) == 0 ? extremes[random.below(extremes.count)] : random.below(12) - 2 }
            let kinds: [PageKind] = [.free, .allocated, .exact, .tail, .reserved]
            for _ in 0..<500 {
                let pageCount = random.below(40)
                let pages = (0..<pageCount).map { _ in
                    PageRecord(kind: kinds[random.below(5)], order: UInt8(truncatingIfNeeded: any()),
                               next: Int32(truncatingIfNeeded: any()), prev: Int32(truncatingIfNeeded: any()),
                               slab: Int32(truncatingIfNeeded: random.below(2) == 0 ? -1 : any()))
                }
                let lists = (0..<random.below(6)).map { _ in
                    FreeListRecord(head: Int32(truncatingIfNeeded: any()), tail: Int32(truncatingIfNeeded: any()), count: any())
                }
                let caches = (0..<random.below(3)).map { _ in
                    SlabCacheRecord(name: "c", objectSize: any(), stride: any(), objectOffset: any(), order: any(),
                                    objectsPerSlab: any(), isKmalloc: random.below(2) == 0, activeObjects: any(),
                                    partialSlabs: [any()], fullSlabs: [any(), any()], emptySlabs: [])
                }
                let slabs = (0..<random.below(4)).map { _ in
                    SlabRecord(basePfn: any(), order: any(), cache: any(), objects: any(), stride: any(),
                               objectSize: any(), inUse: any(), freeChain: [any(), any()],
                               freeChainTerminated: random.below(2) == 0)
                }
                let live = (0..<random.below(4)).map { _ in
                    SlabObjectRecord(offset: any(), slab: any(), requestedBytes: random.below(2) == 0 ? nil : any())
                }
                let snapshot = AllocatorSnapshot(
                    pageSize: [4096, 16, 1 << 30, 1 << 62, any()][random.below(5)], topOrder: any(), pages: pages,
                    freeLists: lists, exactAllocations: [ExactAllocationRecord(pfn: any(), bytes: any())],
                    freePageCount: any(),
                    slabLayer: SlabLayerSnapshot(caches: caches, slabs: slabs, liveObjects: live,
                                                 kmallocClasses: [8, any(), 64].sorted()))
                for invariant in InvariantSuite.all {
                    let count = invariant.check(snapshot, limit: 3).count
                    guard count <= 4 else { return "\(invariant.name) listed \(count)" }
                }
            }
            return "500 snapshots, every report within its cap"
        }
    }
}
#endif
