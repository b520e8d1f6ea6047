import AllocCheck
import Invariants
import Testing

/// The checkers are total: any snapshot at all, however corrupt, gets a
/// report, never a crash or an endless loop, and a badly damaged one does
/// not flood the report.
@Suite("Checkers survive any snapshot")
struct RobustnessTests {
    /// Every page a lost tail: one run, so one violation, not one per page.
    @Test func aRunOfLostPagesIsOneViolation() {
        let snapshot = AllocatorSnapshot(
            pageSize: 4096, topOrder: 10, pages: Array(repeating: PageRecord(kind: .tail), count: 10_000),
            freeLists: Array(repeating: FreeListRecord(head: -1, tail: -1, count: 0), count: 11),
            exactAllocations: [], freePageCount: 0)
        let violations = InvariantSuite.checkAll(snapshot)
        #expect(violations.map(\.pages) == [[0, 9_999]])
        #expect(violations.map(\.invariant) == [.noOverlap])
    }

    /// 5,000 lost single pages: the first `limit` are listed, then one summary line.
    @Test func reportsAreCappedWithASummary() {
        var pages: [PageRecord] = []
        for _ in 0..<5_000 { pages += [PageRecord(kind: .reserved), PageRecord(kind: .tail)] }
        let snapshot = AllocatorSnapshot(
            pageSize: 4096, topOrder: 10, pages: pages,
            freeLists: Array(repeating: FreeListRecord(head: -1, tail: -1, count: 0), count: 11),
            exactAllocations: [], freePageCount: 0)

        let violations = NoOverlap.check(snapshot)
        #expect(violations.count == Violation.defaultLimit + 1)
        #expect(violations.prefix(3).map(\.pages) == [[1], [3], [5]])
        #expect(violations.last?.pages == [])
        #expect(violations.last?.message.hasPrefix("\(5_000 - Violation.defaultLimit) more no-overlap violations") == true)

        let few = NoOverlap.check(snapshot, limit: 2)
        #expect(few.count == 3)
        #expect(few.last?.message.hasPrefix("4998 more") == true)
    }

    /// Random garbage in every field: each checker returns, and stays within its cap.
    @Test func randomGarbageSnapshots() {
        var random = SplitMix64(seed: 0xBAD_5EED)
        let kinds: [PageKind] = [.free, .allocated, .exact, .tail, .reserved]
        let limit = 5
        var reported = 0
        for _ in 0..<300 {
            let pageCount = random.below(80)
            // Links: mostly plausible pfns, sometimes -1, sometimes far outside.
            func link() -> Int32 {
                switch random.below(6) {
                case 0: return -1
                case 1: return Int32(truncatingIfNeeded: Int64(bitPattern: random.next()))
                default: return Int32(random.below(max(pageCount, 1) + 2)) - 1
                }
            }
            let pages = (0..<pageCount).map { _ in
                PageRecord(kind: kinds[random.below(kinds.count)],
                           order: random.below(4) == 0 ? UInt8(random.below(256)) : UInt8(random.below(5)),
                           next: link(), prev: link(), slab: random.below(8) == 0 ? Int32(random.below(3)) : -1)
            }
            let topOrder = [-3, 0, 1, 4, 10, 63, 1_000][random.below(7)]
            let freeLists = (0..<random.below(14)).map { _ in
                FreeListRecord(head: link(), tail: link(), count: random.below(5) - 1)
            }
            let exact = (0..<random.below(5)).map { _ in
                ExactAllocationRecord(pfn: random.below(pageCount + 4) - 2,
                                      bytes: [0, -7, 1, 4096, 12_288 + 5, Int.max, 1 << 40][random.below(7)])
            }
            let snapshot = AllocatorSnapshot(
                pageSize: [4096, 0, -4096, 3000, 16, 1 << 62][random.below(6)], topOrder: topOrder,
                pages: pages, freeLists: freeLists, exactAllocations: exact,
                freePageCount: random.below(100) - 10)

            for invariant in InvariantSuite.all {
                let violations = invariant.check(snapshot, limit: limit)
                #expect(violations.count <= limit + 1)
                #expect(violations.allSatisfy { $0.invariant == invariant.name && !$0.message.isEmpty })
                reported += violations.count
            }
        }
        // Garbage is noticed, not waved through.
        #expect(reported > 300)
    }

    /// A list that loops back on itself, through every page: the walk ends.
    @Test func aFreeListCycleThroughEveryPageEnds() {
        let count = 1_024
        let pages = (0..<count).map { pfn in
            PageRecord(kind: .free, order: 0, next: Int32((pfn + 1) % count), prev: Int32((pfn + count - 1) % count))
        }
        let snapshot = AllocatorSnapshot(
            pageSize: 4096, topOrder: 0, pages: pages,
            freeLists: [FreeListRecord(head: 0, tail: Int32(count - 1), count: count)],
            exactAllocations: [], freePageCount: count)
        let violations = FreeListConsistency.check(snapshot)
        // Page 0's prev is 1023 instead of -1, and page 1023 leads back to page 0.
        #expect(violations.map(\.pages) == [[0], [0, 1_023]])
    }
}
