#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSanitizer
import Testing
@testable import AllocCheck

/// The AddressSanitizer integration: free pages are poisoned, handed-out
/// pages unpoisoned, so ASan reports a touch of a freed page even though the
/// page never leaves our arena.
///
/// Every test asserts something in both builds: under ASan
/// (`swift test --sanitize=address`) that the poisoning is there and is
/// reported; without it, that the hooks are no-ops and a freed page can be
/// read like any other memory.
@Suite("AddressSanitizer integration")
struct AddressSanitizerTests {
    /// Whether this test process carries the ASan runtime.
    let underASan = alloccheck_asan_enabled() != 0

    /// The byte the tests write into a page before freeing it.
    static let marker: UInt8 = 0x5A

    // The child-process tests use fork(), which Swift offers on Linux only.
    #if canImport(Glibc)
    @Test("touching a freed page is reported by ASan (use-after-poison); without ASan the touch reads the old byte")
    func touchAfterFreeIsReported() throws {
        let allocator = try PageAllocator(pageCount: 64)
        let page = try allocator.allocPages(order: 0)
        page.storeBytes(of: Self.marker, as: UInt8.self)
        try allocator.freePages(page, order: 0)

        let child = try runInChild { touchAndExit(page) }

        if underASan {
            #expect(child.status != .exited(0), "a touch of a freed page must not pass silently under ASan")
            #expect(child.stderr.contains("AddressSanitizer"), "no ASan report on stderr:\n\(child.stderr)")
            #expect(child.stderr.contains("use-after-poison"), "the report must name use-after-poison:\n\(child.stderr)")
            let address = "0x" + String(UInt(bitPattern: page), radix: 16)
            #expect(child.stderr.contains("on address \(address)"), "the report must name the page \(address):\n\(child.stderr)")
        } else {
            #expect(child.status == .exited(0), "without ASan the freed page reads back the marker; stderr:\n\(child.stderr)")
            #expect(child.stderr.isEmpty)
        }
    }

    @Test("a live page can be touched in the child in both builds (the harness itself reports nothing)")
    func touchOfLivePageIsSilent() throws {
        let allocator = try PageAllocator(pageCount: 64)
        let page = try allocator.allocPages(order: 0)
        page.storeBytes(of: Self.marker, as: UInt8.self)

        let child = try runInChild { touchAndExit(page) }

        #expect(child.status == .exited(0), "stderr:\n\(child.stderr)")
        #expect(child.stderr.isEmpty)
        try allocator.freePages(page, order: 0)
    }
    #endif

    @Test("poisoning follows blocks: allocated blocks unpoisoned end to end, split remainders and freed blocks poisoned")
    func blockPoisoning() throws {
        let allocator = try PageAllocator(pageCount: 1024)
        let pageSize = allocator.pageSize
        expectRange(allocator.base, pages: 1024, pageSize: pageSize, poisoned: true, "the fresh arena")

        // Order 3 out of the single order-10 block: pages 0...7 handed out,
        // remainders of orders 3...9 at pages 8, 16, 32, ..., 512 stay free.
        let block = try allocator.allocPages(order: 3)
        #expect(block == allocator.base)
        expectRange(block, pages: 8, pageSize: pageSize, poisoned: false, "the allocated order-3 block")
        for order in 3...9 {
            expectRange(allocator.address(ofPage: 1 << order), pages: 1 << order, pageSize: pageSize,
                        poisoned: true, "the split remainder of order \(order)")
        }

        try allocator.freePages(block, order: 3)
        expectRange(allocator.base, pages: 1024, pageSize: pageSize, poisoned: true, "the arena after the free")
    }

    @Test("poisoning follows exact allocations: kept pages unpoisoned, trimmed tail pages poisoned, all poisoned after the free")
    func exactPoisoning() throws {
        let allocator = try PageAllocator(pageCount: 1024)
        let pageSize = allocator.pageSize
        // 4 pages + 100 bytes -> 5 pages kept out of an order-3 block; pages 5, 6, 7 go back.
        let size = 4 * pageSize + 100
        let memory = try allocator.allocPagesExact(size)
        #expect(memory == allocator.base)
        expectRange(memory, pages: 5, pageSize: pageSize, poisoned: false, "the 5 kept pages")
        expectRange(allocator.address(ofPage: 5), pages: 3, pageSize: pageSize, poisoned: true, "the trimmed tail pages 5...7")
        expectRange(allocator.address(ofPage: 8), pages: 1016, pageSize: pageSize, poisoned: true, "the rest of the arena")

        try allocator.freePagesExact(memory, size: size)
        expectRange(allocator.base, pages: 1024, pageSize: pageSize, poisoned: true, "the arena after the free")
    }

    @Test("memory handed in comes back addressable at deinit, unless its owner takes that over (unpoisonsArenaOnDeinit)")
    func handedInMemoryComesBackAddressable() throws {
        let pageSize = 4096
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 16 * pageSize, alignment: pageSize)
        defer { memory.deallocate() }
        do {
            let allocator = try PageAllocator(memory: memory, pageCount: 16, pageSize: pageSize)
            _ = try allocator.allocPages(order: 2)
        }
        expectRange(memory, pages: 16, pageSize: pageSize, poisoned: false, "memory after the default deinit")
        do {
            let allocator = try PageAllocator(memory: memory, pageCount: 16, pageSize: pageSize)
            allocator.unpoisonsArenaOnDeinit = false
            _ = try allocator.allocPages(order: 2)
        }
        // The block handed out stays addressable, the free pages stay poisoned.
        expectRange(memory, pages: 4, pageSize: pageSize, poisoned: false, "the block left allocated")
        expectRange(memory + 4 * pageSize, pages: 12, pageSize: pageSize, poisoned: true, "the free pages left behind")
        do {
            // The next allocator over the same memory poisons all of it again at seeding.
            let allocator = try PageAllocator(memory: memory, pageCount: 16, pageSize: pageSize)
            withExtendedLifetime(allocator) {
                expectRange(memory, pages: 16, pageSize: pageSize, poisoned: true, "the arena of the next allocator")
            }
        }
        PageAllocator.makeAddressable(memory, bytes: 16 * pageSize)
        expectRange(memory, pages: 16, pageSize: pageSize, poisoned: false, "memory made addressable by its owner")
    }

    // MARK: Helpers

    /// Expects the first and last byte of every page in `pages` pages from
    /// `start` to be poisoned (under ASan) or not; without ASan the query is
    /// a no-op and must say "not poisoned" everywhere.
    func expectRange(
        _ start: UnsafeMutableRawPointer, pages: Int, pageSize: Int, poisoned: Bool, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = underASan && poisoned
        var wrong: [String] = []
        for page in 0..<pages {
            let first = start + page * pageSize
            for (name, byte) in [("first", first), ("last", first + pageSize - 1)]
            where (alloccheck_is_poisoned(byte) != 0) != expected {
                wrong.append("page \(page) \(name) byte")
            }
        }
        // Compare a count, not the list, so a failure prints a short message.
        let wrongBytes = wrong.count
        let listed = wrong.prefix(8).joined(separator: ", ") + (wrongBytes > 8 ? " and \(wrongBytes - 8) more" : "")
        #expect(wrongBytes == 0, "\(what): expected \(expected ? "poisoned" : "addressable"), but not so at \(listed)",
                sourceLocation: sourceLocation)
    }
}

#if canImport(Glibc)
/// Reads one byte of `page` and exits: 0 when it is the marker, 3 otherwise.
///
/// Runs in a forked child of a multithreaded process, so it must take no
/// lock and allocate nothing: a raw load and `_exit` only. The load goes
/// through `pointee`, which is always inlined, so the load instruction is
/// compiled in this module, which ASan instruments; `load(as:)` can stay a
/// call into the standard library, which is not instrumented.
@inline(never)
private func touchAndExit(_ page: UnsafeMutableRawPointer) -> Never {
    let byte = page.assumingMemoryBound(to: UInt8.self).pointee
    _exit(byte == AddressSanitizerTests.marker ? 0 : 3)
}
#endif
