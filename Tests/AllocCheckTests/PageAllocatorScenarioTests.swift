import Invariants
import Testing
@testable import AllocCheck

/// The scenarios of the kernel-semantics reference, with its exact numbers.
@Suite("Page allocator: kernel scenarios")
struct PageAllocatorScenarioTests {
    let KiB = 1024

    @Test("getOrder matches the kernel's get_order")
    func getOrderValues() throws {
        #expect(try PageAllocator.getOrder(1) == 0)
        #expect(try PageAllocator.getOrder(4096) == 0)
        #expect(try PageAllocator.getOrder(4097) == 1)
        #expect(try PageAllocator.getOrder(8192) == 1)
        #expect(try PageAllocator.getOrder(128 * KiB) == 5)
        #expect(try PageAllocator.getOrder(132 * KiB) == 6)
        #expect(try PageAllocator.getOrder(4 * KiB * KiB) == 10)
        #expect(try PageAllocator.getOrder(4 * KiB * KiB + 1) == 11)
        #expect(try PageAllocator.getOrder(8192, pageSize: 8192) == 0)
        #expect(throws: AllocError.zeroSize) { try PageAllocator.getOrder(0) }
    }

    @Test("128 KiB with order 5 empty and one order-6 block: the upper half goes on the order-5 list")
    func splitKeepsLowerHalf() throws {
        let allocator = try PageAllocator(pageCount: 64)
        #expect(allocator.freeBlockCounts == [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
        let block = try allocator.allocPages(order: allocator.getOrder(128 * KiB))
        #expect(block == allocator.base, "the caller keeps the lower half")
        #expect(allocator.freeBlockCounts == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
        let snapshot = allocator.snapshot()
        #expect(snapshot.freeLists[5].head == 32, "the upper 128 KiB (pages 32...63) is on the order-5 list")
        #expect(snapshot.pages[32].kind == .free && snapshot.pages[32].order == 5)
        #expect(allocator.freePageCount == 32)
    }

    @Test("132 KiB takes an order-6 block and wastes 124 KiB (31 pages, 48.4%)")
    func internalFragmentation() throws {
        let waste = try PageAllocator.waste(forSize: 132 * KiB)
        #expect(waste.order == 6)
        #expect(waste.blockBytes == 256 * KiB)
        #expect(waste.wastedBytes == 124 * KiB)
        #expect(waste.wastedPages == 31)
        #expect(abs(waste.wastedFraction - 0.484375) < 1e-12)
        #expect(waste.description == "132 KiB request -> order 6 block of 256 KiB; 124 KiB (31 pages, 48.4%) wasted")
        let allocator = try PageAllocator(pageCount: 64)
        _ = try allocator.allocPages(order: allocator.getOrder(132 * KiB))
        #expect(allocator.freePageCount == 0, "the whole 256 KiB block is taken")
    }

    @Test("allocPagesExact(132 KiB) keeps 33 pages, frees 31 in ascending order, and the round trip restores the lists")
    func exactTrim() throws {
        let allocator = try PageAllocator(pageCount: 64)
        let before = allocator.snapshot()
        let memory = try allocator.allocPagesExact(132 * KiB)
        #expect(memory == allocator.base)
        #expect(allocator.freePageCount == 31)
        // Pages 33...63 freed one by one at order 0 coalesce into 33 | 34-35 | 36-39 | 40-47 | 48-63.
        #expect(allocator.freeBlockCounts == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        let during = allocator.snapshot()
        #expect(during.exactAllocations == [ExactAllocationRecord(pfn: 0, bytes: 132 * KiB)])
        for (pfn, order) in [(33, 0), (34, 1), (36, 2), (40, 3), (48, 4)] {
            #expect(during.pages[pfn].kind == .free && Int(during.pages[pfn].order) == order)
        }
        try allocator.freePagesExact(memory, size: 132 * KiB)
        #expect(firstDifference(allocator.snapshot(), before) == nil)
    }

    @Test("An exact size that is a power-of-two number of pages frees nothing")
    func exactPowerOfTwo() throws {
        let allocator = try PageAllocator(pageCount: 64)
        _ = try allocator.allocPagesExact(128 * KiB)
        #expect(allocator.freePageCount == 32)
        #expect(allocator.freeBlockCounts == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    }

    @Test("Exact round trip restores the free lists exactly in a fragmented arena")
    func exactRoundTripFragmented() throws {
        let allocator = try PageAllocator(pageCount: 3000, reserved: [700..<705])
        var rng = SplitMix64(seed: 7)
        var live: [(UnsafeMutableRawPointer, Int)] = []
        for _ in 0..<400 {
            let order = Int(rng.next() % 4)
            if let block = try? allocator.allocPages(order: order) { live.append((block, order)) }
            if rng.next() % 3 == 0, !live.isEmpty {
                let (block, order) = live.remove(at: Int(rng.next() % UInt64(live.count)))
                try allocator.freePages(block, order: order)
            }
        }
        for size in [1, 4096, 4097, 12_345, 132 * KiB, 1000 * KiB] {
            let before = allocator.snapshot()
            let memory = try allocator.allocPagesExact(size)
            try allocator.freePagesExact(memory, size: size)
            #expect(firstDifference(allocator.snapshot(), before) == nil, "round trip of \(size) bytes")
        }
    }

    @Test("Two free buddies at the top order stay two top-order blocks")
    func topOrderBuddiesNotMerged() throws {
        let allocator = try PageAllocator(pageCount: 2048)
        #expect(allocator.freeBlockCounts[10] == 2)
        let low = try allocator.allocPages(order: 10)
        let high = try allocator.allocPages(order: 10)
        #expect(allocator.freePageCount == 0)
        try allocator.freePages(low, order: 10)
        try allocator.freePages(high, order: 10)
        #expect(allocator.freeBlockCounts == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
        #expect(allocator.freePageCount == 2048, "neither block is lost")

        // The same with a small top order, so the buddies really are buddies at the top.
        let small = try PageAllocator(pageCount: 8, topOrder: 2)
        let a = try small.allocPages(order: 2)
        let b = try small.allocPages(order: 2)
        try small.freePages(b, order: 2)
        try small.freePages(a, order: 2)
        #expect(small.freeBlockCounts == [0, 0, 2])
        #expect(small.freePageCount == 8)
    }

    @Test("Holes are never handed out and never merged across")
    func holesNotMergedAcross() throws {
        let allocator = try PageAllocator(pageCount: 16, topOrder: 4, reserved: [4..<5])
        // 0-3 order 2 | hole 4 | 5 order 0 | 6-7 order 1 | 8-15 order 3.
        #expect(allocator.freeBlockCounts == [1, 1, 1, 1, 0])
        #expect(allocator.freePageCount == 15)
        #expect(throws: AllocError.outOfMemory(order: 4)) { try allocator.allocPages(order: 4) }
        let page5 = try allocator.allocPages(order: 0)
        #expect(page5 == allocator.address(ofPage: 5))
        try allocator.freePages(page5, order: 0)
        let snapshot = allocator.snapshot()
        #expect(snapshot.pages[4].kind == .reserved)
        #expect(snapshot.pages[5].kind == .free && snapshot.pages[5].order == 0, "page 5 never merges with the hole")
        // Take everything: the hole is never handed out.
        var taken: [UnsafeMutableRawPointer] = []
        while let page = try? allocator.allocPages(order: 0) { taken.append(page) }
        #expect(taken.count == 15)
        #expect(!taken.contains(allocator.address(ofPage: 4)))
        for page in taken { try allocator.freePages(page, order: 0) }
        #expect(allocator.freeBlockCounts == [1, 1, 1, 1, 0], "everything merges back, but not across the hole")
    }

    @Test("An arena of any page count is covered by the largest aligned blocks")
    func oddPageCount() throws {
        let allocator = try PageAllocator(pageCount: 1000)
        // 1000 = 512 + 256 + 128 + 64 + 32 + 8.
        #expect(allocator.freeBlockCounts == [0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0])
        #expect(allocator.freePageCount == 1000)
    }

    @Test("Every byte handed out is usable memory")
    func memoryIsUsable() throws {
        let allocator = try PageAllocator(pageCount: 256)
        var blocks: [(UnsafeMutableRawPointer, Int)] = []
        for order in [0, 3, 1, 4, 0, 2] {
            let block = try allocator.allocPages(order: order)
            let bytes = allocator.pageSize << order
            let pattern = UInt8(truncatingIfNeeded: order &* 37 &+ 11)
            block.initializeMemory(as: UInt8.self, repeating: pattern, count: bytes)
            blocks.append((block, order))
        }
        let exact = try allocator.allocPagesExact(5 * 4096 + 17)
        exact.initializeMemory(as: UInt8.self, repeating: 0xEE, count: 5 * 4096 + 17)
        for (block, order) in blocks {
            let pattern = UInt8(truncatingIfNeeded: order &* 37 &+ 11)
            let bytes = UnsafeRawBufferPointer(start: block, count: allocator.pageSize << order)
            #expect(bytes.allSatisfy { $0 == pattern }, "order-\(order) block kept its bytes")
        }
        #expect(UnsafeRawBufferPointer(start: exact, count: 5 * 4096 + 17).allSatisfy { $0 == 0xEE })
    }

    @Test("buddyinfo is printed in /proc/buddyinfo format")
    func buddyinfoFormat() throws {
        let allocator = try PageAllocator(pageCount: 1000)
        #expect(allocator.buddyinfo
            == "Node 0, zone   Normal      0      0      0      1      0      1      1      1      1      1      0 \n")
    }

    @Test("Configurable page size and top order")
    func configuration() throws {
        let allocator = try PageAllocator(pageCount: 40, pageSize: 8192, topOrder: 3)
        #expect(allocator.freeBlockCounts == [0, 0, 0, 5])
        let block = try allocator.allocPages(order: 3)
        #expect(UInt(bitPattern: block) % UInt(8192 * 8) == 0, "the arena is aligned to the largest block")
        #expect(throws: AllocError.orderAboveTop(order: 4, topOrder: 3)) { try allocator.allocPages(order: 4) }
        #expect(throws: PageAllocator.ConfigurationError.pageSizeNotPowerOfTwo(3000)) {
            try PageAllocator(pageCount: 4, pageSize: 3000)
        }
        #expect(throws: PageAllocator.ConfigurationError.pageCountOutOfRange(0)) { try PageAllocator(pageCount: 0) }
        #expect(throws: PageAllocator.ConfigurationError.reservedRangeOutOfArena(8..<20)) {
            try PageAllocator(pageCount: 16, reserved: [8..<20])
        }
    }

    @Test("An allocator can manage memory the caller owns")
    func callerMemory() throws {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 16 * 4096, alignment: 4096)
        defer { memory.deallocate() }
        do {
            let allocator = try PageAllocator(memory: memory, pageCount: 16)
            let block = try allocator.allocPages(order: 2)
            #expect(block == memory)
            #expect(throws: PageAllocator.ConfigurationError.memoryNotPageAligned) {
                try PageAllocator(memory: memory + 8, pageCount: 4)
            }
        }
    }
}
