import AllocCheck
import Invariants
import Testing

/// Thousands of seeded random operations on an arena with holes and a page
/// count that is not a power of two, with every invariant checked after each
/// step.
///
/// The mix: block allocations of mostly small orders, exact allocations of
/// random sizes, frees of random live allocations, and now and then a misuse
/// (double free, wrong order, wrong size, wrong free function, an address
/// inside a block or off a page boundary, a reserved page, an address outside
/// the arena, a bad order or size). Every misuse must throw exactly the
/// expected `AllocError` and leave `snapshot()` equal to what it was. A model
/// of which pages are handed out cross-checks the allocator from outside.
@Suite("Randomized operations keep every invariant")
struct RandomizedOperationTests {
    struct Workload: CustomTestStringConvertible, Sendable {
        var seed: UInt64
        var pageCount: Int
        var topOrder: Int
        var reserved: [Range<Int>]
        var steps: Int
        var testDescription: String { "seed \(seed): \(pageCount) pages, top order \(topOrder), \(steps) steps" }
    }

    static let workloads: [Workload] = [
        Workload(seed: 0x5EED_0001, pageCount: 2_999, topOrder: 7,
                 reserved: [0..<3, 700..<733, 1024..<1025, 2500..<2600], steps: 4_000),
        Workload(seed: 0x5EED_0002, pageCount: 1_000, topOrder: 10, reserved: [511..<513, 900..<1000], steps: 3_000),
    ]

    enum Kind: Equatable {
        case block(order: Int)
        case exact(bytes: Int)
    }

    struct Live {
        var address: UnsafeMutableRawPointer
        var pfn: Int
        var kind: Kind
        var pageCount: Int
    }

    @Test(arguments: workloads)
    func mixedOperations(workload: Workload) throws {
        let allocator = try PageAllocator(pageCount: workload.pageCount, topOrder: workload.topOrder,
                                          reserved: workload.reserved)
        let run = Run(allocator: allocator, workload: workload)
        for step in 0..<workload.steps {
            run.step = step
            let roll = run.random.below(100)
            if roll < 35 {
                run.allocateBlock()
            } else if roll < 55 {
                run.allocateExact()
            } else if roll < 88 {
                run.freeOne()
            } else {
                run.misuse()
            }
            let snapshot = allocator.snapshot()
            let violations = InvariantSuite.checkAll(snapshot)
            try #require(violations.isEmpty, "step \(step) (seed \(workload.seed)): \(violations)")
            try #require(snapshot.freePageCount == run.managedPages - run.heldPages,
                         "step \(step): the allocator counts \(snapshot.freePageCount) free pages, the model \(run.managedPages - run.heldPages)")
            try #require(run.failures == 0, "step \(step) (seed \(workload.seed)) failed; see the issues above")
        }
        // The run did what it says: a real mix, not only refusals.
        #expect(run.counts.allocated > workload.steps / 5)
        #expect(run.counts.freed > workload.steps / 5)
        #expect(run.counts.misuses > workload.steps / 20)

        // Everything back: the pages are exactly as in a fresh arena (fully coalesced).
        while !run.live.isEmpty { run.freeOne() }
        let fresh = try PageAllocator(pageCount: workload.pageCount, topOrder: workload.topOrder,
                                      reserved: workload.reserved)
        // (List links may differ: freed blocks go to the front of their lists, seeded ones to the back.)
        let shape = { (snapshot: AllocatorSnapshot) in snapshot.pages.map { [$0.kind.rawValue, $0.order] } }
        #expect(shape(allocator.snapshot()) == shape(fresh.snapshot()))
        #expect(allocator.freeBlockCounts == fresh.freeBlockCounts)
        #expect(allocator.snapshot().violations == [])
    }

    /// The state of one run: the allocator, the model of live allocations, the generator.
    final class Run {
        let allocator: PageAllocator
        let workload: Workload
        var random: SplitMix64
        var live: [Live] = []
        /// Which pages the model has seen handed out.
        var held: [Bool]
        var heldPages = 0
        let managedPages: Int
        var step = 0
        var failures = 0
        var counts = (allocated: 0, freed: 0, misuses: 0)

        init(allocator: PageAllocator, workload: Workload) {
            self.allocator = allocator
            self.workload = workload
            random = SplitMix64(seed: workload.seed)
            held = [Bool](repeating: false, count: workload.pageCount)
            managedPages = workload.pageCount - workload.reserved.reduce(0) { $0 + $1.count }
        }

        var pageSize: Int { allocator.pageSize }

        func fail(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            failures += 1
            Issue.record("step \(step) (seed \(workload.seed)): \(message)", sourceLocation: sourceLocation)
        }

        // MARK: Ordinary operations

        func allocateBlock() {
            let order = random.smallOrder(top: min(workload.topOrder, 5))
            let before = allocator.snapshot()
            do {
                let address = try allocator.allocPages(order: order)
                record(Live(address: address, pfn: pfn(allocator, address), kind: .block(order: order),
                            pageCount: 1 << order))
            } catch {
                expectOutOfMemory(error, order: order, before: before)
            }
        }

        func allocateExact() {
            let order = random.smallOrder(top: min(workload.topOrder, 6))
            let bytes = 1 + random.below(pageSize << order)
            let before = allocator.snapshot()
            do {
                let address = try allocator.allocPagesExact(bytes)
                record(Live(address: address, pfn: pfn(allocator, address), kind: .exact(bytes: bytes),
                            pageCount: (bytes + pageSize - 1) / pageSize))
            } catch {
                expectOutOfMemory(error, order: try! PageAllocator.getOrder(bytes), before: before)
            }
        }

        /// A refused allocation is right only when no free block of the order or above exists.
        func expectOutOfMemory(_ error: AllocError, order: Int, before: AllocatorSnapshot) {
            if error != .outOfMemory(order: order) { fail("allocating order \(order) threw \(error)") }
            if before.freeLists[order...].contains(where: { $0.count > 0 }) {
                fail("out of memory at order \(order) although a free block of that order or above exists")
            }
            if allocator.snapshot() != before { fail("a refused allocation changed the allocator") }
        }

        /// Adds a new allocation to the model, checking it is aligned and overlaps nothing handed out.
        func record(_ allocation: Live) {
            counts.allocated += 1
            let blockOrder: Int
            switch allocation.kind {
            case let .block(order): blockOrder = order
            case let .exact(bytes): blockOrder = try! PageAllocator.getOrder(bytes)
            }
            if allocation.pfn & ((1 << blockOrder) - 1) != 0 {
                fail("allocation at page \(allocation.pfn) is not aligned to its order \(blockOrder)")
            }
            for page in allocation.pfn..<(allocation.pfn + allocation.pageCount) {
                if page >= held.count || held[page] || workload.reserved.contains(where: { $0.contains(page) }) {
                    fail("page \(page) was handed out but is already live, reserved or outside the arena")
                    return
                }
                held[page] = true
            }
            heldPages += allocation.pageCount
            live.append(allocation)
        }

        /// Frees a random live allocation the right way and forgets it.
        @discardableResult
        func freeOne() -> Live? {
            guard !live.isEmpty else { return nil }
            let index = random.below(live.count)
            let victim = live[index]
            live.swapAt(index, live.count - 1)
            live.removeLast()
            do {
                switch victim.kind {
                case let .block(order): try allocator.freePages(victim.address, order: order)
                case let .exact(bytes): try allocator.freePagesExact(victim.address, size: bytes)
                }
            } catch {
                fail("freeing a live allocation at page \(victim.pfn) threw \(error)")
            }
            for page in victim.pfn..<(victim.pfn + victim.pageCount) { held[page] = false }
            heldPages -= victim.pageCount
            counts.freed += 1
            return victim
        }

        // MARK: Misuse

        /// One random misuse; it must throw exactly the expected error and change nothing.
        func misuse() {
            counts.misuses += 1
            let top = workload.topOrder
            let past = allocator.address(ofPage: workload.pageCount)
            switch random.below(12) {
            case 0:
                // Double free: free a live allocation, then free it again.
                guard let victim = freeOne() else { return misuseWithoutLive() }
                guard let block = freeBlock(covering: victim.pfn, in: allocator.snapshot()) else {
                    return fail("page \(victim.pfn) was just freed but lies in no free block")
                }
                expectRefusal(.doubleFree(pfn: victim.pfn, blockPfn: block.pfn, blockOrder: block.order)) {
                    try free(victim, in: $0)
                }
            case 1:
                // Any page inside a free block, freed as if it were allocated.
                let snapshot = allocator.snapshot()
                let page = random.below(workload.pageCount)
                guard let block = freeBlock(covering: page, in: snapshot) else { return misuseWithoutLive() }
                expectRefusal(.doubleFree(pfn: page, blockPfn: block.pfn, blockOrder: block.order)) {
                    try $0.freePages($0.address(ofPage: page), order: 0)
                }
            case 2:
                guard let victim = randomLive(where: { if case .block = $0.kind { true } else { false } }),
                      case let .block(order) = victim.kind, top > 0
                else { return misuseWithoutLive() }
                let wrong = (order + 1 + random.below(top)) % (top + 1)
                expectRefusal(.wrongOrder(pfn: victim.pfn, allocated: order, given: wrong)) {
                    try $0.freePages(victim.address, order: wrong)
                }
            case 3:
                guard let victim = randomLive(where: { if case .exact = $0.kind { true } else { false } }),
                      case let .exact(bytes) = victim.kind
                else { return misuseWithoutLive() }
                let pages = victim.pageCount > 1 && random.below(2) == 0
                    ? victim.pageCount - 1 : victim.pageCount + 1 + random.below(3)
                let wrong = pages * pageSize - random.below(pageSize)
                expectRefusal(.wrongSize(pfn: victim.pfn, allocatedBytes: bytes, givenBytes: wrong)) {
                    try $0.freePagesExact(victim.address, size: wrong)
                }
            case 4:
                guard let victim = randomLive(where: { $0.pageCount > 1 }) else { return misuseWithoutLive() }
                let page = victim.pfn + 1 + random.below(victim.pageCount - 1)
                let address = allocator.address(ofPage: page)
                if random.below(2) == 0 {
                    expectRefusal(.notAllocationHead(pfn: page)) { try $0.freePages(address, order: 0) }
                } else {
                    expectRefusal(.notAllocationHead(pfn: page)) { try $0.freePagesExact(address, size: pageSize) }
                }
            case 5:
                guard let victim = randomLive(where: { _ in true }) else { return misuseWithoutLive() }
                let address = victim.address + 1 + random.below(pageSize - 1)
                expectRefusal(.notPageAligned(address: UInt(bitPattern: address))) {
                    try $0.freePages(address, order: 0)
                }
            case 6:
                guard !workload.reserved.isEmpty else { return misuseWithoutLive() }
                let hole = workload.reserved[random.below(workload.reserved.count)]
                let page = hole.lowerBound + random.below(hole.count)
                expectRefusal(.reservedPage(pfn: page)) { try $0.freePages($0.address(ofPage: page), order: 0) }
            case 7:
                let outside = random.below(2) == 0
                    ? past + random.below(4 * pageSize) : allocator.base - (1 + random.below(4 * pageSize))
                expectRefusal(.outsideArena(address: UInt(bitPattern: outside))) {
                    try $0.freePagesExact(outside, size: pageSize)
                }
            case 8:
                guard let victim = randomLive(where: { _ in true }) else { return misuseWithoutLive() }
                switch victim.kind {
                case let .block(order):
                    expectRefusal(.wrongFreeFunction(pfn: victim.pfn, allocatedWith: "allocPages(order: \(order))")) {
                        try $0.freePagesExact(victim.address, size: pageSize << order)
                    }
                case let .exact(bytes):
                    expectRefusal(.wrongFreeFunction(pfn: victim.pfn, allocatedWith: "allocPagesExact")) {
                        try $0.freePages(victim.address, order: try PageAllocator.getOrder(bytes))
                    }
                }
            case 9:
                let order = top + 1 + random.below(3)
                expectRefusal(.orderAboveTop(order: order, topOrder: top)) { _ = try $0.allocPages(order: order) }
            case 10:
                let order = -1 - random.below(3)
                expectRefusal(.negativeOrder(order: order)) { _ = try $0.allocPages(order: order) }
            default:
                let maximum = pageSize << top
                let size = random.below(2) == 0 ? 0 : maximum + 1 + random.below(pageSize)
                let expected: AllocError = size == 0 ? .zeroSize : .sizeTooLarge(size: size, maximum: maximum)
                expectRefusal(expected) { _ = try $0.allocPagesExact(size) }
            }
        }

        /// The misuse that needs no live allocation: an address past the arena's end.
        func misuseWithoutLive() {
            let past = allocator.address(ofPage: workload.pageCount)
            expectRefusal(.outsideArena(address: UInt(bitPattern: past))) { try $0.freePages(past, order: 0) }
        }

        func randomLive(where include: (Live) -> Bool) -> Live? {
            let candidates = live.filter(include)
            return candidates.isEmpty ? nil : candidates[random.below(candidates.count)]
        }

        func free(_ allocation: Live, in allocator: PageAllocator) throws {
            switch allocation.kind {
            case let .block(order): try allocator.freePages(allocation.address, order: order)
            case let .exact(bytes): try allocator.freePagesExact(allocation.address, size: bytes)
            }
        }

        func expectRefusal(_ expected: AllocError, _ body: (PageAllocator) throws -> Void) {
            let before = allocator.snapshot()
            do {
                try body(allocator)
                fail("expected \(expected), but the call succeeded")
            } catch {
                if error as? AllocError != expected { fail("expected \(expected), got \(error)") }
            }
            if allocator.snapshot() != before { fail("refused with \(expected) but changed the allocator") }
        }
    }
}
