import Invariants
import Testing
@testable import AllocCheck

/// The README's page-allocator example, run as written, with the lines the
/// README says it prints.
@Suite("README example")
struct ReadmeExampleTests {
    @Test func pageAllocatorExample() throws {
        let pages = try PageAllocator(pageCount: 262_144, reserved: [4096..<4100])

        let block = try pages.allocPages(order: 3)
        block.storeBytes(of: 42, as: Int.self)
        try pages.freePages(block, order: 3)

        let buffer = try pages.allocPagesExact(132 * 1024)
        try pages.freePagesExact(buffer, size: 132 * 1024)

        var message = ""
        do {
            try pages.freePages(buffer, order: 0)
        } catch let error as AllocError {
            message = "\(error)"
        }
        #expect(message == "double free: page 4160 is already free (in the free block at page 4160, order 6)")
        #expect(pages.buddyinfo
            == "Node 0, zone   Normal      0      0      1      1      1      1      1      1      1      1    255 \n")
        #expect(try PageAllocator.waste(forSize: 132 * 1024).description
            == "132 KiB request -> order 6 block of 256 KiB; 124 KiB (31 pages, 48.4%) wasted")
    }
}
