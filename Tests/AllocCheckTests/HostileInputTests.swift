#if canImport(Glibc)
import Glibc
import Invariants
import Testing
@testable import AllocCheck

// Hostile and extreme inputs to the allocator core, each run in a child
// process (`runHostile`), so that a crash is a failed expectation rather than
// the end of the test run. Each case expects a typed error that names the
// real problem and leaves the allocator exactly as it was, or a clean result.

/// Runs `body` in a child and expects it to survive and return `expected`.
func expectInChild(
    _ expected: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> String
) throws {
    let outcome = try runHostile(body)
    #expect(outcome.survived, "the child did not survive: \(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.output == "returned: \(expected)\n", sourceLocation: sourceLocation)
}

/// Runs `body` in a child and expects it to survive and throw: the output is
/// "threw <type>: <message>".
func expectThrowInChild(
    _ expected: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) throws {
    let outcome = try runHostile { try body(); return "no error" }
    #expect(outcome.survived, "the child did not survive: \(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.output == "threw \(expected)\n", sourceLocation: sourceLocation)
}

/// In the child: runs `call` and says what it threw and whether `snapshot`
/// changed ("<type>: <message> [unchanged]").
func refusal(_ snapshot: () -> AllocatorSnapshot, _ call: () throws -> Void) -> String {
    let before = snapshot()
    var text = "no error"
    do { try call() } catch { text = "\(type(of: error)): \(error)" }
    return text + (firstDifference(before, snapshot()).map { " [changed: \($0)]" } ?? " [unchanged]")
}

@Suite("Hostile inputs: the page allocator", .serialized)
struct HostilePageAllocatorTests {
    @Test("freePagesExact with a huge size is a wrong size, not an overflow")
    func exactFreeWithHugeSize() throws {
        try expectInChild("AllocError: page 0 was allocated exact with 12289 bytes but freed with "
                          + "9223372036854775807 bytes [unchanged]") {
            let pages = try PageAllocator(pageCount: 64)
            let exact = try pages.allocPagesExact(3 * 4096 + 1)
            return refusal(pages.snapshot) { try pages.freePagesExact(exact, size: .max) }
        }
    }

    @Test("negative sizes are named as negative, not as size 0")
    func negativeSizes() throws {
        try expectInChild("AllocError: size -1 is negative: a size must be at least 1 byte [unchanged]") {
            let pages = try PageAllocator(pageCount: 64)
            return refusal(pages.snapshot) { _ = try pages.allocPagesExact(-1) }
        }
        try expectInChild("AllocError: size -9223372036854775808 is negative: a size must be at least 1 byte [unchanged]") {
            let pages = try PageAllocator(pageCount: 64)
            let exact = try pages.allocPagesExact(4096)
            return refusal(pages.snapshot) { try pages.freePagesExact(exact, size: .min) }
        }
        try expectThrowInChild("AllocError: size -5 is negative: a size must be at least 1 byte") {
            _ = try PageAllocator.getOrder(-5)
        }
        try expectThrowInChild("AllocError: size 0 requested: a size must be at least 1 byte") {
            _ = try PageAllocator.getOrder(0)
        }
    }

    @Test("the waste report of a huge request is refused; the largest one that fits is reported")
    func wasteOfHugeRequests() throws {
        try expectThrowInChild("AllocError: size 9223372036854775807 bytes is larger than the largest block "
                               + "(4611686018427387904 bytes)") {
            _ = try PageAllocator.waste(forSize: .max)
        }
        try expectThrowInChild("AllocError: size 4611686018427387905 bytes is larger than the largest block "
                               + "(4611686018427387904 bytes)") {
            _ = try PageAllocator.waste(forSize: (1 << 62) + 1)
        }
        try expectInChild("order 50, 0 pages wasted") {
            let waste = try PageAllocator.waste(forSize: 1 << 62)
            return "order \(waste.order), \(waste.wastedPages) pages wasted"
        }
        try expectInChild("order 50, 1 pages wasted") {
            let waste = try PageAllocator.waste(forSize: (1 << 62) - 4096)
            return "order \(waste.order), \(waste.wastedPages) pages wasted"
        }
    }

    @Test("static helpers check the page size they are given")
    func staticHelpersCheckThePageSize() throws {
        for pageSize in [0, -4096, 3000, 8] {
            try expectThrowInChild("AllocError: page size \(pageSize) is not a power of two of at least 16 bytes") {
                _ = try PageAllocator.waste(forSize: 4096, pageSize: pageSize)
            }
            try expectThrowInChild("AllocError: page size \(pageSize) is not a power of two of at least 16 bytes") {
                _ = try PageAllocator.getOrder(100, pageSize: pageSize)
            }
        }
    }

    @Test("page size times page count, and the largest block, must fit in an Int")
    func constructionOverflow() throws {
        try expectThrowInChild("ConfigurationError: an arena of 2147483647 pages of 1099511627776 bytes is larger "
                               + "than the address space") {
            _ = try PageAllocator(pageCount: Int(Int32.max), pageSize: 1 << 40)
        }
        try expectThrowInChild("ConfigurationError: the largest block, 2^10 pages of 1152921504606846976 bytes, "
                               + "is larger than 2^62 bytes") {
            _ = try PageAllocator(pageCount: 1, pageSize: 1 << 60)
        }
        // The memory-taking initialiser checks the same before touching anything.
        try expectThrowInChild("ConfigurationError: an arena of 2147483647 pages of 1099511627776 bytes is larger "
                               + "than the address space") {
            let memory = UnsafeMutableRawPointer(bitPattern: 1 << 40).unsafelyUnwrapped
            _ = try PageAllocator(memory: memory, pageCount: Int(Int32.max), pageSize: 1 << 40)
        }
    }

    @Test("a page descriptor table that cannot be allocated is a typed error")
    func descriptorTableAllocationFails() throws {
        let bytes = 64 * MemoryLayout<PageDescriptor>.stride
        try expectThrowInChild("ConfigurationError: could not allocate the page descriptor table (\(bytes) bytes)") {
            PageAllocator._testingFailTableAllocations = true
            _ = try PageAllocator(pageCount: 64)
        }
    }
}

@Suite("Hostile inputs: the slab layer", .serialized)
struct HostileSlabTests {
    @Test("kmalloc of a negative size names it; kmalloc(Int.max) is too large")
    func kmallocSizes() throws {
        for size in [-1, Int.min] {
            try expectInChild("SlabError: kmalloc(\(size)): the size is negative [unchanged]") {
                let layer = try SlabFixture.layer()
                return refusal(layer.snapshot) { _ = try layer.kmalloc(size) }
            }
        }
        try expectInChild("SlabError: kmalloc(9223372036854775807) is larger than the largest kmalloc (4194304 bytes) "
                          + "[unchanged]") {
            let layer = try SlabFixture.layer()
            return refusal(layer.snapshot) { _ = try layer.kmalloc(.max) }
        }
    }

    @Test("a cache table outside its bounds names the bounds")
    func cacheTableBounds() throws {
        // 13 kmalloc classes with 4 KiB pages: the table needs 14 slots at least.
        for size in [-1, 0, 13, Int.max, SlabAllocator.largestCacheTable + 1] {
            try expectThrowInChild("SlabError: a cache table of \(size) slots is outside 14...65536 (the kmalloc caches "
                                   + "need 13, and at least one slot must be left for other caches)") {
                _ = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 64), maxCaches: size)
            }
        }
        // A refused table leaves the page allocator as it was: a layer can still be built on it.
        try expectInChild("refused, then 14 caches") {
            let pages = try PageAllocator(pageCount: 64)
            let before = pages.snapshot()
            let refused = refusal({ pages.snapshot() }) { _ = try SlabAllocator(pageAllocator: pages, maxCaches: 13) }
            precondition(refused.hasSuffix("[unchanged]") && !pages.hasSlabLayer && pages.snapshot() == before, refused)
            let layer = try SlabAllocator(pageAllocator: pages, maxCaches: 14)
            return "refused, then \(layer.cacheIDs.count + 1) caches"
        }
        try expectInChild("14 slots, 1 free") {
            let layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: 64), maxCaches: 14)
            _ = try layer.createCache(name: "last", objectSize: 40)
            let full = refusal(layer.snapshot) { _ = try layer.createCache(name: "one more", objectSize: 40) }
            precondition(full == "SlabError: cannot create a cache: all 14 cache slots are in use [unchanged]", full)
            return "\(layer.maxCaches) slots, 1 free"
        }
    }

    @Test("slab-layer tables that cannot be allocated are a typed error, and leave the page allocator free for a layer")
    func slabTableAllocationFails() throws {
        // The slab table: a record per page and a spare one (`SlabAllocator.noHotRecord`).
        try expectInChild("SlabError: could not allocate a slab-layer table of \(65 * MemoryLayout<SlabMeta>.stride) bytes; "
                          + "then a layer: 14 caches") {
            let pages = try PageAllocator(pageCount: 64)
            PageAllocator._testingFailTableAllocations = true
            var text = ""
            do { _ = try SlabAllocator(pageAllocator: pages) } catch { text = "\(type(of: error)): \(error)" }
            PageAllocator._testingFailTableAllocations = false
            let layer = try SlabAllocator(pageAllocator: pages)
            return text + "; then a layer: \(layer.cacheIDs.count + 1) caches"
        }
    }

    @Test("a second slab layer over one page allocator is refused; the first keeps working")
    func secondSlabLayer() throws {
        try expectInChild("SlabError: the page allocator already has a slab layer; put at most one slab layer over a "
                          + "page allocator; first layer: ksize 128, sound") {
            let pages = try PageAllocator(pageCount: 256)
            let first = try SlabAllocator(pageAllocator: pages)
            let object = try first.kmalloc(100)
            var text = "no error"
            do { _ = try SlabAllocator(pageAllocator: pages) } catch { text = "\(type(of: error)): \(error)" }
            let size = try first.ksize(object)
            try first.kfree(object)
            let sound = InvariantSuite.checkAll(first.snapshot()).isEmpty
            return text + "; first layer: ksize \(size), \(sound ? "sound" : "unsound")"
        }
    }

    @Test("a handle to a destroyed cache is refused, also after its slot is reused")
    func staleHandles() throws {
        try expectInChild("same slot, different handles; allocate: SlabError: no such cache (never created, or destroyed) "
                          + "[unchanged]; free: SlabError: no such cache (never created, or destroyed) [unchanged]; "
                          + "destroy: SlabError: no such cache (never created, or destroyed) [unchanged]; "
                          + "shrink: SlabError: no such cache (never created, or destroyed) [unchanged]; "
                          + "info: SlabError: no such cache (never created, or destroyed) [unchanged]; new cache: 2 active") {
            let layer = try SlabFixture.layer()
            let old = try layer.createCache(name: "old", objectSize: 64)
            try layer.destroy(old)
            let new = try layer.createCache(name: "new", objectSize: 64)
            var lines = [old.index == new.index && old != new ? "same slot, different handles" : "handles: \(old) \(new)"]
            // Leave the new cache a hot partial slab, so the inlined fast paths would serve a stale handle.
            let kept = try layer.allocate(new)
            let other = try layer.allocate(new)
            try layer.free(other, to: new)
            lines.append("allocate: " + refusal(layer.snapshot) { _ = try layer.allocate(old) })
            lines.append("free: " + refusal(layer.snapshot) { try layer.free(kept, to: old) })
            lines.append("destroy: " + refusal(layer.snapshot) { try layer.destroy(old) })
            lines.append("shrink: " + refusal(layer.snapshot) { try layer.shrink(old) })
            lines.append("info: " + refusal(layer.snapshot) { _ = try layer.info(old) })
            _ = try layer.allocate(new)
            lines.append("new cache: \(try layer.info(new).activeObjects) active")
            return lines.joined(separator: "; ")
        }
    }
}
#endif
