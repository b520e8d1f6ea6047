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

        // Without ASan the freed page reads back the marker.
        expectPoisonReport(child, at: page)
    }

    @Test("a checked access to a poisoned page end (alloccheck_check_page_ends) is reported as the instrumentation would")
    func checkedAccessIsReported() throws {
        let allocator = try PageAllocator(pageCount: 64)
        let live = try allocator.allocPages(order: 1)
        let page = try allocator.allocPages(order: 1)
        try allocator.freePages(page, order: 1)

        let silent = try runInChild {
            alloccheck_check_page_ends(live, 2, allocator.pageSize, 1)
            alloccheck_check_access(live, 2 * allocator.pageSize, 0)
            _exit(0)
        }
        #expect(silent.status == .exited(0) && silent.stderr.isEmpty, "a live block is addressable: \(silent.stderr)")

        // After a live block that passes, a freed one: its first word is reported.
        let child = try runInChild {
            alloccheck_check_page_ends(live, 2, allocator.pageSize, 1)
            alloccheck_check_page_ends(page, 2, allocator.pageSize, 1)
            _exit(0)
        }
        // Without ASan the checks do nothing.
        expectPoisonReport(child, at: page, naming: "WRITE of size 8")
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
        // The block left allocated is poisoned again with the free pages: the whole arena is.
        expectRange(memory, pages: 16, pageSize: pageSize, poisoned: true, "the arena, a block left allocated")
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

    @Test("an allocator that leaves its arena to its owner leaves all of it poisoned, whatever it handed out")
    func arenaLeftWhollyPoisoned() throws {
        let pageSize = 4096
        let pageCount = 200  // not a multiple of 64: the last word of the page bitmap is partly used
        let memory = UnsafeMutableRawPointer.allocate(byteCount: pageCount * pageSize, alignment: pageSize)
        defer { memory.deallocate() }
        PageAllocator.makeUnaddressable(memory, bytes: pageCount * pageSize)
        for round in 0..<3 {
            let allocator = try PageAllocator(memory: memory, pageCount: pageCount, pageSize: pageSize,
                                              reserved: [100..<103], arenaPoisoned: true)
            allocator.unpoisonsArenaOnDeinit = false
            expectRange(memory, pages: pageCount, pageSize: pageSize, poisoned: true, "round \(round): the arena handed in")
            // Every way a page is handed out: blocks (one freed again), an exact
            // allocation and its trimmed tail, slabs, a large kmalloc block.
            let block = try allocator.allocPages(order: 3)
            let freed = try allocator.allocPages(order: 6)
            try allocator.freePages(freed, order: 6)
            let exact = try allocator.allocPagesExact(5 * pageSize)
            let slab = try SlabAllocator(pageAllocator: allocator)
            let cache = try slab.createCache(name: "t", objectSize: 200)
            for _ in 0..<40 { _ = try slab.allocate(cache) }
            let large = try slab.kmalloc(3 * pageSize)
            for (start, pages) in [(block, 8), (exact, 5), (large, 3)] {
                expectRange(start, pages: pages, pageSize: pageSize, poisoned: false, "round \(round): a live allocation")
            }
            withExtendedLifetime(slab) {}
        }
        // The last allocator went with everything still allocated.
        expectRange(memory, pages: pageCount, pageSize: pageSize, poisoned: true, "the arena the last allocator left")
        PageAllocator.makeAddressable(memory, bytes: pageCount * pageSize)
    }

    @Test("arenaPoisoned: the allocator trusts its caller and does not poison the arena at seeding")
    func arenaPoisonedSkipsSeedingPoison() throws {
        let pageSize = 4096
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 16 * pageSize, alignment: pageSize)
        defer { memory.deallocate() }
        let allocator = try PageAllocator(memory: memory, pageCount: 16, pageSize: pageSize, arenaPoisoned: true)
        withExtendedLifetime(allocator) {
            // Not what a caller may do (the memory was addressable); it shows the seeding was skipped.
            expectRange(memory, pages: 16, pageSize: pageSize, poisoned: false, "memory handed in addressable")
        }
    }

    // MARK: Helpers

    /// Under ASan: expects `child` to have stopped with ASan's
    /// use-after-poison report on `page` (naming `access` too, when given).
    /// Without ASan: expects it to have exited 0 with nothing on stderr.
    func expectPoisonReport(
        _ child: (status: ChildStatus, stderr: String), at page: UnsafeMutableRawPointer, naming access: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard underASan else {
            #expect(child.status == .exited(0) && child.stderr.isEmpty, "without ASan: \(child.status), stderr:\n\(child.stderr)",
                    sourceLocation: sourceLocation)
            return
        }
        #expect(child.status != .exited(0), "a touch of poisoned memory must not pass silently under ASan",
                sourceLocation: sourceLocation)
        let address = "0x" + String(UInt(bitPattern: page), radix: 16)
        for wanted in ["AddressSanitizer", "use-after-poison", "on address \(address)"] + (access.map { [$0] } ?? []) {
            #expect(child.stderr.contains(wanted), "the report must name \(wanted):\n\(child.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test("the slab layer's and the free lists' tables share a pooled block with poisoned red zones between them under ASan")
    func pooledTablesKeepRedZones() throws {
        let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 64))
        let small = layer.smallTables
        #expect(TableLayout.redZone == (underASan ? 16 : 0))
        for k in 0..<SmallTables.tableCount {
            let table = small.table(k)
            let first = small.base + table.offset, last = first + table.size - 1
            #expect(!Sanitizer.isPoisoned(first) && !Sanitizer.isPoisoned(last), "table \(k) is addressable")
            guard k + 1 < SmallTables.tableCount else { continue }
            let next = small.table(k + 1).offset
            // Packed without ASan; under ASan a gap of at least 16 bytes, whose every byte is poisoned.
            #expect(next - (table.offset + table.size) >= TableLayout.redZone, "table \(k) is followed by a red zone")
            #expect((table.offset + table.size..<next).allSatisfy { Sanitizer.isPoisoned(small.base + $0) == underASan },
                    "the gap after table \(k)")
        }
        let lists = layer.pageAllocator.freeLists
        let levels = lists.levels
        let pastCounts = UnsafeMutableRawPointer(lists.counts + levels)
        let pastHeads = UnsafeMutableRawPointer(lists.heads + levels)
        #expect(Sanitizer.isPoisoned(pastCounts) == underASan && Sanitizer.isPoisoned(pastHeads) == underASan)
        #expect(!Sanitizer.isPoisoned(UnsafeMutableRawPointer(lists.tails + levels - 1)))

        #if canImport(Glibc)
        // A write one past the list heads, into the next table's red zone, is reported as a
        // heap chunk's would be; without ASan the byte is the list tails' first (packed).
        let pastListHeads = small.base + small.table(1).offset + small.table(1).size
        let child = try runInChild {
            pastListHeads.storeBytes(of: 0x5A, as: UInt8.self)
            alloccheck_check_access(pastListHeads, 1, 1)
            _exit(0)
        }
        expectPoisonReport(child, at: pastListHeads)
        #endif
    }

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
