import Testing
@testable import AllocCheck

/// A seeded defect corrupts the allocator's state, never the process: every
/// block the page allocator hands out, and every page it frees, lies inside
/// the arena, whatever the defect. scan-one-order-low once took the whole
/// 256-page arena's block for an order-9 request (1 MiB and a byte, exact):
/// the trim then released pages 257 to 511 of a 256-page arena, writing past
/// the descriptor table, and `alloccheck replay` of that one step crashed.
@Suite("Seeded defects stay inside the arena")
struct DefectBoundsTests {
    /// (A slab-layer defect leaves the page allocator as it is.)
    @Test(arguments: Defect.allCases)
    func everyBlockHandedOutLiesInsideTheArena(_ defect: Defect) throws {
        for pageCount in [8, 200, 256] {
            let allocator = try PageAllocator(pageCount: pageCount, defect: defect)
            let start = allocator.address(ofPage: 0)
            let end = start + pageCount * allocator.pageSize
            func inside(_ p: UnsafeMutableRawPointer, _ bytes: Int) -> Bool { p >= start && p + bytes <= end }
            // Requests of every order and exact sizes just past every block, largest first, until refused.
            for order in (0...allocator.topOrder).reversed() {
                if let p = try? allocator.allocPages(order: order) {
                    #expect(inside(p, allocator.pageSize << order), "\(defect) on \(pageCount) pages: order \(order)")
                }
                let size = (allocator.pageSize << order) + 1
                if let p = try? allocator.allocPagesExact(size) {
                    #expect(inside(p, size), "\(defect) on \(pageCount) pages: exact \(size)")
                }
            }
            #expect(allocator.freePages >= 0 && allocator.freePages <= pageCount, "\(defect) on \(pageCount) pages")
        }
    }
}
