import AllocCheck
import Invariants
import Testing

/// Correct states report nothing: fresh arenas of every shape, and arenas
/// after ordinary traffic.
@Suite("Correct states satisfy every invariant")
struct CleanStateTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        var pageCount: Int
        var topOrder: Int
        var reserved: [Range<Int>]
        var testDescription: String { "\(pageCount) pages, top order \(topOrder), holes \(reserved)" }
    }

    static let shapes: [Shape] = [
        Shape(pageCount: 1, topOrder: 10, reserved: []),
        Shape(pageCount: 1, topOrder: 0, reserved: []),
        Shape(pageCount: 1000, topOrder: 10, reserved: []),
        Shape(pageCount: 4096, topOrder: 10, reserved: []),
        Shape(pageCount: 4096, topOrder: 0, reserved: []),
        Shape(pageCount: 999, topOrder: 5, reserved: [0..<1, 17..<40, 512..<513, 990..<999]),
        Shape(pageCount: 3000, topOrder: 10, reserved: [1000..<1024, 2047..<2049]),
        Shape(pageCount: 64, topOrder: 4, reserved: [0..<64]),
    ]

    @Test(arguments: shapes)
    func freshArenas(shape: Shape) throws {
        let allocator = try PageAllocator(pageCount: shape.pageCount, topOrder: shape.topOrder,
                                          reserved: shape.reserved)
        let snapshot = allocator.snapshot()
        #expect(snapshot.violations == [])
        // The checker saw something to check: every non-reserved page is free.
        let reserved = shape.reserved.reduce(0) { $0 + $1.count }
        #expect(snapshot.freePageCount == shape.pageCount - reserved)
    }

    /// Two free buddies at the top order are correct (never merged), and must not be reported.
    @Test func freeTopOrderBuddiesAreNotAViolation() throws {
        let allocator = try PageAllocator(pageCount: 64, topOrder: 4)
        let snapshot = allocator.snapshot()
        #expect(snapshot.pages[0].kind == .free && snapshot.pages[16].kind == .free)
        #expect(snapshot.pages[0].order == 4 && snapshot.pages[16].order == 4)
        #expect(BuddiesCoalesced.check(snapshot) == [])
    }

    /// The kernel's worked example: 132 KiB exact keeps 33 pages of an order-6 block, gives 31 back.
    @Test func exactAllocationsOfEverySizeUpTo64Pages() throws {
        // 1 + 2 + ... + 64 = 2,080 pages live at the peak.
        let allocator = try PageAllocator(pageCount: 3000, topOrder: 10, reserved: [100..<101])
        var live: [(UnsafeMutableRawPointer, Int)] = []
        for pages in 1...64 {
            let bytes = pages * 4096 - (pages % 3) * 100
            live.append((try allocator.allocPagesExact(bytes), bytes))
            #expect(allocator.snapshot().violations == [], "after an exact allocation of \(bytes) bytes")
        }
        for (address, bytes) in live.reversed() {
            try allocator.freePagesExact(address, size: bytes)
            #expect(allocator.snapshot().violations == [], "after freeing \(bytes) bytes")
        }
        #expect(allocator.freePageCount == 2999)
    }

    @Test func theSuiteListsEveryInvariantOnce() {
        #expect(InvariantSuite.names
            == [.noOverlap, .alignment, .buddiesCoalesced, .freeLists, .exactTrim, .slabOwnership])
        #expect(InvariantSuite.names.map(\.rawValue)
            == ["no-overlap", "alignment", "buddies-coalesced", "free-lists", "exact-trim", "slab-ownership"])
    }

    @Test func violationsReadAsOneLine() {
        let violation = Violation(invariant: .alignment, pages: [1], message: "The block is wrong.")
        #expect(violation.description == "[alignment] The block is wrong.")
    }
}
