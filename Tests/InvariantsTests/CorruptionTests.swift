import AllocCheck
import Invariants
import Testing

/// For each invariant: a state corrupted on purpose through the test-only
/// hooks, which that invariant reports, at the right pages, and no other
/// invariant does.
@Suite("Each invariant fires alone on its own corruption")
struct CorruptionTests {
    /// 64 pages, blocks of at most 16 (top order 4): four free order-4 blocks at 0, 16, 32, 48.
    func smallArena() throws -> PageAllocator {
        try PageAllocator(pageCount: 64, topOrder: 4)
    }

    /// Checks that exactly `invariant` fires and returns its violations.
    func onlyViolations(
        of invariant: InvariantName, in allocator: PageAllocator, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Violation] {
        let violations = InvariantSuite.checkAll(allocator.snapshot())
        #expect(firing(violations) == [invariant], "\(violations)", sourceLocation: sourceLocation)
        return violations.filter { $0.invariant == invariant }
    }

    // MARK: No overlap

    /// An allocation's mark written on the wrong page: the page it left is
    /// lost, and the page it landed on is claimed by a free block too. The
    /// totals do not change, so only the tiling can see it.
    @Test func noOverlapFindsAMovedMark() throws {
        let allocator = try smallArena()
        let page = pfn(allocator, try allocator.allocPages(order: 0))
        #expect(page == 0)
        let snapshot = allocator.snapshot()
        // Splitting 0 (order 4) for one page leaves free blocks 1 (o0), 2 (o1), 4 (o2), 8 (o3).
        #expect(snapshot.pages[4].kind == .free && snapshot.pages[4].order == 2)
        allocator._testingSetPage(0) { $0.kind = .tail; $0.order = 0 }
        allocator._testingSetPage(5) { $0.kind = .allocated; $0.order = 0 }

        let violations = onlyViolations(of: .noOverlap, in: allocator)
        #expect(violations.map(\.pages) == [[0], [5, 4]])
        #expect(message(violations, 0).contains("lost"))
        #expect(message(violations, 1).contains("inside the free block at page 4"))
    }

    /// "No free block lies inside a larger block whose head is also marked."
    @Test func noOverlapFindsAFreeBlockInsideAFreeBlock() throws {
        let allocator = try smallArena()
        _ = try allocator.allocPages(order: 0)
        // Free block 8 (order 3) covers 8...15; mark 12 as a free order-2 head too, properly listed.
        allocator._testingSetPage(12) { $0.kind = .free; $0.order = 2 }
        relinkFreeLists(allocator)

        let violations = onlyViolations(of: .noOverlap, in: allocator)
        #expect(violations.map(\.pages) == [[12, 8]])
    }

    /// An exact allocation's head moved into a free block: its old pages are
    /// lost and its new ones claimed twice, with every total unchanged.
    @Test func noOverlapFindsAnExactAllocationMovedIntoAFreeBlock() throws {
        let allocator = try smallArena()
        let head = pfn(allocator, try allocator.allocPagesExact(2 * 4096))
        #expect(head == 0)
        // Free blocks now: 2 (o1), 4 (o2), 8 (o3). The head moves to 14, the last two pages of 8...15.
        allocator._testingSetPage(0) { $0.kind = .tail; $0.info = 0 }
        allocator._testingSetPage(14) { $0.kind = .exact; $0.info = 2 * 4096 }

        let violations = onlyViolations(of: .noOverlap, in: allocator)
        #expect(violations.map(\.pages) == [[0, 1], [14, 8]])
        #expect(message(violations, 1).contains("the head of an exact allocation but lies inside the free block"))
    }

    /// A block whose order was lowered: the pages it no longer claims are lost.
    @Test func noOverlapFindsLostTailPages() throws {
        let allocator = try smallArena()
        let head = pfn(allocator, try allocator.allocPages(order: 3))
        allocator._testingSetPage(head) { $0.order = 1 }

        let violations = onlyViolations(of: .noOverlap, in: allocator)
        #expect(violations.map(\.pages) == [[head + 2, head + 7]])
        #expect(message(violations, 0).hasPrefix("Pages \(head + 2)...\(head + 7) are tail pages"))
    }

    // MARK: Alignment

    /// A block that tiles, counts and lists correctly but starts at an odd pfn.
    @Test func alignmentFindsAMisalignedBlock() throws {
        let allocator = try smallArena()
        let pages = try (0..<4).map { _ in pfn(allocator, try allocator.allocPages(order: 0)) }
        #expect(pages == [0, 1, 2, 3])
        // Pages 1 and 2 become one order-1 block at 1.
        allocator._testingSetPage(1) { $0.order = 1 }
        allocator._testingSetPage(2) { $0.kind = .tail }

        let violations = onlyViolations(of: .alignment, in: allocator)
        #expect(violations.map(\.pages) == [[1]])
        #expect(message(violations, 0).contains("not aligned"))
    }

    /// An exact allocation whose block (order 1 for two pages) starts at an odd pfn.
    @Test func alignmentFindsAMisalignedExactAllocation() throws {
        let allocator = try smallArena()
        let pages = try (0..<4).map { _ in pfn(allocator, try allocator.allocPages(order: 0)) }
        #expect(pages == [0, 1, 2, 3])
        // Pages 1 and 2 become one exact allocation of two pages at 1.
        allocator._testingSetPage(1) { $0.kind = .exact; $0.order = 0; $0.info = 2 * 4096 }
        allocator._testingSetPage(2) { $0.kind = .tail }

        let violations = onlyViolations(of: .alignment, in: allocator)
        #expect(violations.map(\.pages) == [[1]])
        #expect(message(violations, 0).contains("exact allocation of 8192 bytes (cut from a block of order 1)"))
    }

    /// A block grown over a hole: it no longer lies inside one managed range.
    @Test func alignmentFindsABlockCrossingAReservedRange() throws {
        // Managed 0...5 and 8...15: free blocks 0 (o2), 4 (o1), 8 (o3); pages 6 and 7 reserved.
        let allocator = try PageAllocator(pageCount: 16, topOrder: 4, reserved: [6..<8])
        let head = pfn(allocator, try allocator.allocPages(order: 1))
        #expect(head == 4)
        allocator._testingSetPage(head) { $0.order = 2 }

        let violations = onlyViolations(of: .alignment, in: allocator)
        #expect(violations.map(\.pages) == [[4, 6]])
        #expect(message(violations, 0).contains("reserved page 6"))
    }

    @Test func alignmentFindsABlockPastTheArenaEnd() throws {
        // Six pages: free blocks 0 (o2) and 4 (o1).
        let allocator = try PageAllocator(pageCount: 6, topOrder: 2)
        let head = pfn(allocator, try allocator.allocPages(order: 1))
        #expect(head == 4)
        allocator._testingSetPage(head) { $0.order = 2 }

        let violations = onlyViolations(of: .alignment, in: allocator)
        #expect(violations.map(\.pages) == [[4]])
        #expect(message(violations, 0).contains("past the arena's last page 5"))
    }

    @Test func alignmentFindsAnOrderAboveTheTop() throws {
        let allocator = try smallArena()
        let heads = try (0..<4).map { _ in pfn(allocator, try allocator.allocPages(order: 4)) }
        #expect(heads == [0, 16, 32, 48])
        // The last block, so that its larger claim only runs off the arena's end.
        allocator._testingSetPage(48) { $0.order = 5 }

        let violations = onlyViolations(of: .alignment, in: allocator)
        #expect(violations.map(\.pages) == [[48]])
        #expect(message(violations, 0).contains("above the top order 4"))
    }

    // MARK: Buddies coalesced

    /// A free block split by hand into two properly listed free buddies.
    @Test func buddiesCoalescedFindsTwoFreeBuddies() throws {
        let allocator = try smallArena()
        for _ in 0..<3 { _ = try allocator.allocPages(order: 4) }
        // Free block 48 (order 4) becomes free blocks 48 and 56 of order 3.
        allocator._testingSetPage(48) { $0.order = 3 }
        allocator._testingSetPage(56) { $0.kind = .free; $0.order = 3 }
        relinkFreeLists(allocator)

        let violations = onlyViolations(of: .buddiesCoalesced, in: allocator)
        #expect(violations.map(\.pages) == [[48, 56]])
        #expect(message(violations, 0).contains("order 4 at page 48"))
    }

    /// The same split, on a random state after real traffic.
    @Test(arguments: [UInt64(1), 2, 3])
    func buddiesCoalescedFindsASplitAfterTraffic(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let allocator = try PageAllocator(pageCount: 1000, topOrder: 6, reserved: [300..<310])
        var live: [(UnsafeMutableRawPointer, Int)] = []
        for _ in 0..<400 {
            if live.isEmpty || random.below(3) < 2 {
                let order = random.smallOrder(top: 3)
                if let address = try? allocator.allocPages(order: order) { live.append((address, order)) }
            } else {
                let victim = live.remove(at: random.below(live.count))
                try allocator.freePages(victim.0, order: victim.1)
            }
        }
        #expect(InvariantSuite.checkAll(allocator.snapshot()).isEmpty)
        let snapshot = allocator.snapshot()
        let candidates = snapshot.pages.indices.filter { snapshot.pages[$0].kind == .free && snapshot.pages[$0].order > 0 }
        let head = try #require(candidates.isEmpty ? nil : candidates[random.below(candidates.count)])
        let half = Int(snapshot.pages[head].order) - 1
        allocator._testingSetPage(head) { $0.order = UInt8(half) }
        allocator._testingSetPage(head + (1 << half)) { $0.kind = .free; $0.order = UInt8(half) }
        relinkFreeLists(allocator)

        let violations = onlyViolations(of: .buddiesCoalesced, in: allocator)
        #expect(violations.map(\.pages) == [[head, head + (1 << half)]])
    }

    // MARK: Free lists

    @Test func freeListsFindABrokenPrevLink() throws {
        let allocator = try smallArena()
        // List 4 is 0, 16, 32, 48; 32's prev should be 16.
        allocator._testingSetPage(32) { $0.prev = 0 }

        let violations = onlyViolations(of: .freeLists, in: allocator)
        #expect(violations.map(\.pages) == [[32, 16]])
        #expect(message(violations, 0).contains("prev link is 0 but should be 16"))
    }

    /// A block unlinked from its list while the count still includes it.
    @Test func freeListsFindADroppedBlock() throws {
        let allocator = try smallArena()
        allocator._testingSetPage(0) { $0.next = 32 }
        allocator._testingSetPage(32) { $0.prev = 0 }

        let violations = onlyViolations(of: .freeLists, in: allocator)
        #expect(violations.map(\.pages) == [[], [16]])
        #expect(message(violations, 0).contains("counts 4 blocks but holds 3"))
        #expect(message(violations, 1).contains("on no free list"))
    }

    /// The same at the arena's last page: an order-0 block there, dropped
    /// from its list (head, tail and count emptied as a bare unlink leaves
    /// them), is reported on no list too. (A scan that stopped one page
    /// short passed every other corruption test.)
    @Test func freeListsFindADroppedBlockOnTheLastPage() throws {
        let allocator = try PageAllocator(pageCount: 65, topOrder: 4)
        #expect(allocator._testingPage(64).kind == .free && allocator._testingPage(64).order == 0)
        allocator._testingSetFreeList(order: 0, head: -1, tail: -1, count: 0)

        let violations = onlyViolations(of: .freeLists, in: allocator)
        #expect(violations.map(\.pages) == [[64]])
        #expect(message(violations, 0).contains("on no free list"))
    }

    /// The walk stops at the cycle instead of looping.
    @Test func freeListsFindACycle() throws {
        let allocator = try smallArena()
        allocator._testingSetPage(48) { $0.next = 0 }

        let violations = onlyViolations(of: .freeLists, in: allocator)
        #expect(violations.map(\.pages) == [[0, 48]])
        #expect(message(violations, 0).contains("cycle"))
    }

    @Test func freeListsFindALinkOutOfTheArena() throws {
        let allocator = try smallArena()
        allocator._testingSetPage(16) { $0.next = 9999 }

        let violations = onlyViolations(of: .freeLists, in: allocator)
        // The walk stops at the bad link, so 32 and 48 are on no list any more.
        #expect(violations.map(\.pages) == [[9999, 16], [32], [48]])
    }

    @Test func freeListsFindAWrongCountAndTail() throws {
        let allocator = try smallArena()
        allocator._testingSetFreeList(order: 4, count: 5)
        #expect(onlyViolations(of: .freeLists, in: allocator).map(\.message)
            == ["Free list 4 counts 5 blocks but holds 4; the count (nr_free) and the links disagree."])
        allocator._testingSetFreeList(order: 4, tail: 32, count: 4)
        #expect(onlyViolations(of: .freeLists, in: allocator).map(\.pages) == [[32, 48]])
    }

    /// A free block that sits on another order's list. (The hand-made split
    /// also leaves two free buddies, which `BuddiesCoalesced` rightly reports;
    /// only the free-list report is looked at here.)
    @Test func freeListsFindABlockOnTheWrongList() throws {
        let allocator = try smallArena()
        for _ in 0..<3 { _ = try allocator.allocPages(order: 4) }
        // Free block 48 (order 4) is split by hand into 48 and 56 of order 3:
        // 56 is linked on list 3, but 48 stays on list 4.
        allocator._testingSetPage(48) { $0.order = 3 }
        allocator._testingSetPage(56) { $0.kind = .free; $0.order = 3 }
        allocator._testingSetFreeList(order: 3, head: 56, tail: 56, count: 1)

        let violations = InvariantSuite.check(allocator.snapshot(), only: [.freeLists])
        #expect(violations.map(\.pages) == [[48]])
        #expect(message(violations, 0).contains("Free list 4 holds page 48"))
        #expect(firing(InvariantSuite.checkAll(allocator.snapshot())) == [.buddiesCoalesced, .freeLists])
    }

    // MARK: Exact-trim accounting

    /// The record says fewer pages than the allocation holds: the trim kept too much.
    @Test func exactTrimFindsAnAllocationHoldingTooManyPages() throws {
        let allocator = try smallArena()
        let head = pfn(allocator, try allocator.allocPagesExact(3 * 4096))
        #expect(head == 0)
        allocator._testingSetPage(head) { $0.info = 2 * 4096 }

        let violations = onlyViolations(of: .exactTrim, in: allocator)
        #expect(violations.map(\.pages) == [[0, 2, 2]])
        #expect(message(violations, 0).contains("page 2 should have been given back by the trim"))
    }

    /// The record says more pages than the allocation holds.
    @Test func exactTrimFindsAnAllocationHoldingTooFewPages() throws {
        let allocator = try smallArena()
        let head = pfn(allocator, try allocator.allocPagesExact(3 * 4096))
        allocator._testingSetPage(head) { $0.info = 4 * 4096 }

        let violations = onlyViolations(of: .exactTrim, in: allocator)
        #expect(violations.map(\.pages) == [[0, 3]])
        #expect(message(violations, 0).contains("page 3 is the head of a free block"))
    }

    @Test func exactTrimFindsAWrongFreePageCount() throws {
        let allocator = try smallArena()
        _ = try allocator.allocPagesExact(5 * 4096 + 7)
        let count = allocator.freePageCount
        allocator._testingSetFreePageCount(count + 1)

        let violations = onlyViolations(of: .exactTrim, in: allocator)
        #expect(violations.count == 1)
        #expect(message(violations, 0).contains("is \(count + 1) but free blocks hold \(count) pages (1 too many)"))
    }

    /// Records are plain data: a missing, stray or oversized record is reported.
    @Test func exactTrimFindsBadRecords() throws {
        let allocator = try smallArena()
        let head = pfn(allocator, try allocator.allocPagesExact(3 * 4096))
        var snapshot = allocator.snapshot()
        let record = try #require(snapshot.exactAllocations.first)

        snapshot.exactAllocations = []
        #expect(InvariantSuite.checkAll(snapshot).map(\.pages) == [[head]])

        snapshot.exactAllocations = [record, ExactAllocationRecord(pfn: 4, bytes: 4096)]
        #expect(InvariantSuite.checkAll(snapshot).map(\.pages) == [[4]])

        snapshot.exactAllocations = [record, record]
        #expect(InvariantSuite.checkAll(snapshot).map(\.pages) == [[head]])

        let second = pfn(allocator, try allocator.allocPagesExact(4096))
        snapshot = allocator.snapshot()
        snapshot.exactAllocations.reverse()
        let unsorted = InvariantSuite.checkAll(snapshot)
        #expect(unsorted.map(\.pages) == [[]])
        #expect(unsorted.first?.message.contains("not sorted") == true)
        try allocator.freePagesExact(allocator.address(ofPage: second), size: 4096)
        snapshot = allocator.snapshot()

        snapshot.exactAllocations = [ExactAllocationRecord(pfn: head, bytes: (4096 << 4) + 1)]
        let oversized = InvariantSuite.checkAll(snapshot)
        #expect(firing(oversized) == [.exactTrim])
        #expect(oversized.map(\.pages) == [[head]])
    }
}
