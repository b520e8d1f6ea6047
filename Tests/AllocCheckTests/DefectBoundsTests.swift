import Testing
@testable import AllocCheck

/// A seeded defect corrupts the allocator's state, never the process. Only
/// scan-one-order-low hands out a block past the arena's end (the whole
/// 256-page arena's block for an order-9 request: the missing refusal that
/// shows it in one step); every per-page loop over a block stops at the
/// arena's end, and the slab layer refuses such a block. Before, the trim of
/// `allocPagesExact(1 MiB + 1)` released pages 257 to 511 of a 256-page
/// arena, writing past the descriptor table, and `alloccheck replay` of that
/// one step crashed. (These tests also run under AddressSanitizer in CI,
/// which reports any write past a table.)
@Suite("Seeded defects stay inside the arena")
struct DefectBoundsTests {
    /// Requests of every order and exact sizes just past every block, largest
    /// first, then frees of everything handed out, on arenas whose last free
    /// block is small; every block handed out lies inside the arena (but
    /// scan-one-order-low's), and the allocator can still be read whole.
    /// (A slab-layer defect leaves the page allocator as it is.)
    @Test(arguments: Defect.allCases)
    func edgeRequestsStayInsideTheArena(_ defect: Defect) throws {
        for pageCount in [8, 9, 13, 200, 256] {
            let allocator = try PageAllocator(pageCount: pageCount, defect: defect)
            let start = allocator.address(ofPage: 0)
            let end = start + pageCount * allocator.pageSize
            var blocks: [(UnsafeMutableRawPointer, order: Int)] = []
            var exact: [(UnsafeMutableRawPointer, size: Int)] = []
            for order in (0...allocator.topOrder).reversed() {
                if let p = try? allocator.allocPages(order: order) {
                    blocks.append((p, order))
                    #expect(defect == .scanOneOrderLow || p + (allocator.pageSize << order) <= end,
                            "\(defect) on \(pageCount) pages: order \(order)")
                }
                let size = (allocator.pageSize << order) + 1
                if let p = try? allocator.allocPagesExact(size) {
                    exact.append((p, size))
                    #expect(defect == .scanOneOrderLow || p + size <= end, "\(defect) on \(pageCount) pages: exact \(size)")
                }
            }
            for (p, order) in blocks { try? allocator.freePages(p, order: order) }
            for (p, size) in exact { try? allocator.freePagesExact(p, size: size) }
            #expect(allocator.snapshot().pages.count == pageCount)
        }
    }

    @Test func scanOneOrderLowStillShowsInOneStep() throws {
        let allocator = try PageAllocator(pageCount: 256, defect: .scanOneOrderLow)
        // A request past the arena is handed the whole arena instead of refused.
        #expect((try? allocator.allocPagesExact((1 << 20) + 1)) != nil)
        let correct = try PageAllocator(pageCount: 256)
        #expect((try? correct.allocPagesExact((1 << 20) + 1)) == nil)
    }
}
