import Invariants
import Testing
@testable import AllocCheck

/// Every misuse is a typed error, and the allocator is exactly as it was.
@Suite("Page allocator: misuse is reported and changes nothing")
struct PageAllocatorMisuseTests {
    /// A fragmented allocator with live blocks, an exact allocation and a hole.
    struct Fixture {
        let allocator: PageAllocator
        let order2: UnsafeMutableRawPointer
        let order0: UnsafeMutableRawPointer
        let exact: UnsafeMutableRawPointer
        let freed: UnsafeMutableRawPointer

        init() throws {
            allocator = try PageAllocator(pageCount: 200, reserved: [100..<104])
            order2 = try allocator.allocPages(order: 2)
            order0 = try allocator.allocPages(order: 0)
            exact = try allocator.allocPagesExact(3 * 4096 + 1)
            freed = try allocator.allocPages(order: 1)
            try allocator.freePages(freed, order: 1)
        }
    }

    /// Runs `body`, expects exactly `expected`, and checks that nothing changed.
    func expectRefused(
        _ expected: AllocError, in fixture: Fixture, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (PageAllocator) throws -> Void
    ) {
        let before = fixture.allocator.snapshot()
        do {
            try body(fixture.allocator)
            Issue.record("expected \(expected), but the call succeeded", sourceLocation: sourceLocation)
        } catch let error as AllocError {
            #expect(error == expected, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
        }
        #expect(firstDifference(fixture.allocator.snapshot(), before) == nil, "a refused call changed the allocator",
                sourceLocation: sourceLocation)
    }

    @Test func doubleFree() throws {
        let f = try Fixture()
        let pfn = f.allocator.pageFrame(containing: f.order0)!
        try f.allocator.freePages(f.order0, order: 0)
        // The freed page may have merged into a larger free block; the error names that block.
        let block = try #require(f.allocator.freeBlock(containing: pfn))
        expectRefused(.doubleFree(pfn: pfn, blockPfn: block.pfn, blockOrder: block.order), in: f) {
            try $0.freePages(f.order0, order: 0)
        }
    }

    @Test func doubleFreeOfExact() throws {
        let f = try Fixture()
        try f.allocator.freePagesExact(f.exact, size: 3 * 4096 + 1)
        let pfn = f.allocator.pageFrame(containing: f.exact)!
        let block = try #require(f.allocator.freeBlock(containing: pfn))
        expectRefused(.doubleFree(pfn: pfn, blockPfn: block.pfn, blockOrder: block.order), in: f) {
            try $0.freePagesExact(f.exact, size: 3 * 4096 + 1)
        }
    }

    @Test func freeingNeverAllocatedFreeMemory() throws {
        let f = try Fixture()
        let pfn = 150
        let block = try #require(f.allocator.freeBlock(containing: pfn))
        expectRefused(.doubleFree(pfn: pfn, blockPfn: block.pfn, blockOrder: block.order), in: f) {
            try $0.freePages($0.address(ofPage: pfn), order: 0)
        }
    }

    @Test func addressInsideABlock() throws {
        let f = try Fixture()
        let pfn = f.allocator.pageFrame(containing: f.order2)! + 1
        expectRefused(.notAllocationHead(pfn: pfn), in: f) { try $0.freePages(f.order2 + 4096, order: 0) }
        let exactPfn = f.allocator.pageFrame(containing: f.exact)! + 2
        expectRefused(.notAllocationHead(pfn: exactPfn), in: f) {
            try $0.freePagesExact(f.exact + 2 * 4096, size: 4096)
        }
    }

    @Test func notPageAligned() throws {
        let f = try Fixture()
        let address = f.order2 + 100
        expectRefused(.notPageAligned(address: UInt(bitPattern: address)), in: f) {
            try $0.freePages(address, order: 2)
        }
    }

    @Test func wrongOrder() throws {
        let f = try Fixture()
        let pfn = f.allocator.pageFrame(containing: f.order2)!
        expectRefused(.wrongOrder(pfn: pfn, allocated: 2, given: 1), in: f) { try $0.freePages(f.order2, order: 1) }
        expectRefused(.wrongOrder(pfn: pfn, allocated: 2, given: 3), in: f) { try $0.freePages(f.order2, order: 3) }
    }

    @Test func wrongSize() throws {
        let f = try Fixture()
        let pfn = f.allocator.pageFrame(containing: f.exact)!
        expectRefused(.wrongSize(pfn: pfn, allocatedBytes: 3 * 4096 + 1, givenBytes: 3 * 4096), in: f) {
            try $0.freePagesExact(f.exact, size: 3 * 4096)
        }
        expectRefused(.wrongSize(pfn: pfn, allocatedBytes: 3 * 4096 + 1, givenBytes: 5 * 4096), in: f) {
            try $0.freePagesExact(f.exact, size: 5 * 4096)
        }
        // A size that covers the same pages is the same allocation (the kernel frees PAGE_ALIGN(size)).
        try f.allocator.freePagesExact(f.exact, size: 4 * 4096)
    }

    @Test func wrongFreeFunction() throws {
        let f = try Fixture()
        let exactPfn = f.allocator.pageFrame(containing: f.exact)!
        expectRefused(.wrongFreeFunction(pfn: exactPfn, allocatedWith: "allocPagesExact"), in: f) {
            try $0.freePages(f.exact, order: 2)
        }
        let blockPfn = f.allocator.pageFrame(containing: f.order2)!
        expectRefused(.wrongFreeFunction(pfn: blockPfn, allocatedWith: "allocPages(order: 2)"), in: f) {
            try $0.freePagesExact(f.order2, size: 4 * 4096)
        }
    }

    @Test func reservedMemory() throws {
        let f = try Fixture()
        expectRefused(.reservedPage(pfn: 101), in: f) { try $0.freePages($0.address(ofPage: 101), order: 0) }
        expectRefused(.reservedPage(pfn: 100), in: f) { try $0.freePagesExact($0.address(ofPage: 100), size: 1) }
    }

    @Test func outsideTheArena() throws {
        let f = try Fixture()
        let past = f.allocator.address(ofPage: 200)
        expectRefused(.outsideArena(address: UInt(bitPattern: past)), in: f) { try $0.freePages(past, order: 0) }
        let before = f.allocator.base - 4096
        expectRefused(.outsideArena(address: UInt(bitPattern: before)), in: f) {
            try $0.freePagesExact(before, size: 4096)
        }
    }

    @Test func badOrdersAndSizes() throws {
        let f = try Fixture()
        expectRefused(.orderAboveTop(order: 11, topOrder: 10), in: f) { _ = try $0.allocPages(order: 11) }
        expectRefused(.negativeOrder(order: -1), in: f) { _ = try $0.allocPages(order: -1) }
        expectRefused(.orderAboveTop(order: 11, topOrder: 10), in: f) { try $0.freePages(f.order2, order: 11) }
        expectRefused(.zeroSize, in: f) { _ = try $0.allocPagesExact(0) }
        expectRefused(.zeroSize, in: f) { try $0.freePagesExact(f.exact, size: 0) }
        expectRefused(.sizeTooLarge(size: 4 * 1024 * 1024 + 1, maximum: 4 * 1024 * 1024), in: f) {
            _ = try $0.allocPagesExact(4 * 1024 * 1024 + 1)
        }
        // 200 pages minus a 4-page hole hold no order-8 block.
        expectRefused(.outOfMemory(order: 8), in: f) { _ = try $0.allocPages(order: 8) }
    }

    @Test func errorsReadAsSentences() {
        #expect(AllocError.wrongOrder(pfn: 3, allocated: 2, given: 1).description
            == "page 3 was allocated at order 2 but freed at order 1")
        #expect(AllocError.doubleFree(pfn: 5, blockPfn: 4, blockOrder: 1).description
            == "double free: page 5 is already free (in the free block at page 4, order 1)")
    }

    @Test func theAllocatorStillWorksAfterMisuse() throws {
        let f = try Fixture()
        #expect(throws: AllocError.self) { try f.allocator.freePages(f.order2, order: 0) }
        try f.allocator.freePages(f.order2, order: 2)
        try f.allocator.freePages(f.order0, order: 0)
        try f.allocator.freePagesExact(f.exact, size: 3 * 4096 + 1)
        #expect(f.allocator.freePageCount == 196)
    }
}
