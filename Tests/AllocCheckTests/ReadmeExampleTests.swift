import Invariants
import Testing
@testable import AllocCheck

/// The page-allocator example of docs/allocator.md, run as written, with the lines the
/// page says it prints.
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
        } catch {
            message = "\(error)"
        }
        #expect(message == "double free: page 4160 is already free (in the free block at page 4160, order 6)")
        #expect(pages.buddyinfo
            == "Node 0, zone   Normal      0      0      1      1      1      1      1      1      1      1    255 \n")
        #expect(try PageAllocator.waste(forSize: 132 * 1024).description
            == "132 KiB request -> order 6 block of 256 KiB; 124 KiB (31 pages, 48.4%) wasted")
    }
}

/// The slab-layer example of docs/allocator.md, run as written.
@Suite("README example: slab layer")
struct ReadmeSlabExampleTests {
    @Test func slabExample() throws {
        let slab = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 4096))
        let inodes = try slab.createCache(name: "inode", objectSize: 600, debug: [.redZone, .poison])
        let inode = try slab.allocate(inodes, owner: 42)
        let buffer = try slab.kmalloc(100)                  // from kmalloc-128
        #expect(try slab.ksize(buffer) == 128)
        try slab.kfree(buffer)

        inode.storeBytes(of: 0x41, toByteOffset: 600, as: UInt8.self)   // one byte past the object
        var message = ""
        do {
            try slab.free(inode, to: inodes)
        } catch {
            message = "\(error)"
        }
        #expect(message.hasPrefix("red zone overwritten"), "\(message)")

        // As the example runs: the refused free left the inode live.
        let lines = slab.slabinfo.split(separator: "\n")
        #expect(lines[0] == "slabinfo - version: 2.1")
        #expect(lines[2] == "inode                  1     26    624   26    4 : tunables    0    0    0 : slabdata      1      1      0")
        #expect(lines[10] == "kmalloc-128            0     32    128   32    1 : tunables    0    0    0 : slabdata      1      1      0")
        let problems = try slab.validate(inodes)
        #expect(problems.count == 1 && "\(problems[0])".hasPrefix("red zone overwritten"), "\(problems)")
        #expect(InvariantSuite.checkAll(slab.snapshot()).isEmpty)

        inode.storeBytes(of: 0xcc, toByteOffset: 600, as: UInt8.self)   // repair: the free now succeeds
        try slab.free(inode, to: inodes)
        #expect(try slab.validate(inodes).isEmpty)
    }
}
