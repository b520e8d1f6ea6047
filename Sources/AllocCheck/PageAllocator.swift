#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Invariants

/// A buddy page allocator with the Linux kernel's semantics, over a real,
/// page-aligned memory arena.
///
/// - Blocks are `2^order` pages, `order` in `0...topOrder`.
/// - Allocation takes the first block of the lowest non-empty list at or above
///   the requested order and splits it, keeping the lower half each time.
/// - Freeing merges a block with its buddy (`pfn ^ (1 << order)`) while the
///   buddy is a free block of the same order, up to but never beyond `topOrder`.
/// - Reserved ranges (holes) are never handed out and never merged across.
///
/// Hot paths (`allocPages`, `freePages`) allocate nothing and touch
/// O(`topOrder`) descriptors. Misuse throws `AllocError` and changes nothing.
/// Not thread-safe: one allocator per thread, or lock around it.
public final class PageAllocator {
    /// Bytes per page (a power of two, at least 16).
    public let pageSize: Int
    /// log2(pageSize).
    public let pageShift: Int
    /// The largest order; the largest block is `pageSize << topOrder` bytes.
    public let topOrder: Int
    /// Page frames in the arena, reserved ones included.
    public let pageCount: Int
    /// Start of the arena (page frame 0).
    public let base: UnsafeMutableRawPointer
    /// Reserved page ranges (holes), sorted and merged.
    public let reservedRanges: [Range<Int>]
    /// The bug switched on in this allocator, or nil (the default): the
    /// correct allocator. See `Defect`.
    public let defect: Defect?

    private let ownsMemory: Bool
    /// `pageCount << pageShift` and `pageSize - 1`, kept so that finding
    /// the page of an address (every free) loads them rather than
    /// computing them.
    @usableFromInline let arenaBytes: UInt
    @usableFromInline let pageOffsetMask: UInt
    /// The page descriptor array, one per page frame.
    @usableFromInline let pages: UnsafeMutablePointer<PageDescriptor>
    @usableFromInline let freeLists: FreeLists
    /// Running count of free pages (the kernel's NR_FREE_PAGES). Updated on
    /// every allocation and free: not checked for exclusive access at run
    /// time (the allocator is not thread-safe anyway), as such a check costs
    /// more than the rest of the update.
    @exclusivity(unchecked) @usableFromInline var freePages: Int = 0
    /// Whether ASan is present (checked once, so that without it the
    /// allocation and free paths make no poisoning calls).
    @usableFromInline let asan: Bool = Sanitizer.isEnabled
    /// Neither a defect nor ASan: `allocPages` and `freePages` run inlined
    /// in their caller (one test for both).
    @usableFromInline let plainPaths: Bool
    /// Whether a `SlabAllocator` has been put over this allocator. The page
    /// marks are that layer's slab ids, so a second layer is refused while
    /// it lives.
    var hasSlabLayer = false
    /// The slab layer over this allocator while it lives (set by its init,
    /// cleared by its deinit, so never dangling): `snapshot()` reads the
    /// slab marks through it. Unowned, since the layer owns this allocator;
    /// unsafe, so that a fuzz target's layer per input costs no side table.
    unowned(unsafe) var slabLayer: SlabAllocator?

    /// Whether `deinit` makes the whole arena addressable again for
    /// AddressSanitizer: true (the default) for memory the caller handed in,
    /// so that it comes back as it was given.
    ///
    /// A caller that gives the same memory to a new allocator right away may
    /// set it to false, and must then unpoison the memory itself
    /// (`makeAddressable`) before it uses or frees it in any other way.
    /// `deinit` then leaves the whole arena poisoned: it poisons again every
    /// page it ever handed out (all it or a client could have unpoisoned),
    /// so the next allocator over the same memory can be told so
    /// (`init(memory:...arenaPoisoned: true)`) and skip poisoning it all.
    /// Unpoisoning a whole arena is not only a large clear: ASan returns the
    /// shadow pages of a large unpoisoned range to the system, and the next
    /// seeding faults every one of them in again, once per allocator.
    /// Ignored for an arena the allocator allocated itself (it is unpoisoned
    /// before it is freed).
    public var unpoisonsArenaOnDeinit = true

    /// Under ASan, one bit per page: set for every page of every block
    /// handed out (pages, exact, slab), the only pages that can have been
    /// unpoisoned; nil without ASan.
    private let handedOut: UnsafeMutablePointer<UInt64>?

    /// Page allocations to fail on purpose (the kernel's `fail_page_alloc`),
    /// with the count of calls seen and failures injected so far; nil (the
    /// default) fails none. Applies to every block taken, the slab layer's
    /// included. See `FaultInjection`. Read on every allocation, so not
    /// checked for exclusive access at run time (see `freePages`).
    @exclusivity(unchecked) public var faultInjection: FaultInjection? {
        didSet { plainAllocation = plainPaths && faultInjection == nil }
    }
    /// `plainPaths` and no fault injection: `allocPages` runs inlined in its
    /// caller (one test for the three). Kept in step by `faultInjection`.
    @exclusivity(unchecked) @usableFromInline private(set) var plainAllocation: Bool

    /// Configuration errors, raised only by the initialisers.
    public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
        case pageSizeNotPowerOfTwo(Int)
        case topOrderOutOfRange(Int)
        case pageCountOutOfRange(Int)
        case reservedRangeOutOfArena(Range<Int>)
        case memoryNotPageAligned
        case arenaAllocationFailed(bytes: Int)
        /// `pageCount * pageSize` bytes do not fit in an `Int`.
        case arenaTooLarge(pageCount: Int, pageSize: Int)
        /// A top-order block (`pageSize << topOrder` bytes) would be larger than 2^62 bytes.
        case largestBlockTooLarge(pageSize: Int, topOrder: Int)
        /// The page descriptor table could not be allocated (after the arena was).
        case metadataAllocationFailed(bytes: Int)

        public var description: String {
            switch self {
            case let .pageSizeNotPowerOfTwo(size): return "page size \(size) is not a power of two of at least 16 bytes"
            case let .topOrderOutOfRange(order): return "top order \(order) is outside 0...30"
            case let .pageCountOutOfRange(count): return "page count \(count) is outside 1...\(Int32.max)"
            case let .reservedRangeOutOfArena(range): return "reserved range \(range) is not inside the arena"
            case .memoryNotPageAligned: return "the memory handed in does not start on a page boundary"
            case let .arenaAllocationFailed(bytes): return "could not allocate an arena of \(bytes) bytes"
            case let .arenaTooLarge(pageCount, pageSize):
                return "an arena of \(pageCount) pages of \(pageSize) bytes is larger than the address space"
            case let .largestBlockTooLarge(pageSize, topOrder):
                return "the largest block, 2^\(topOrder) pages of \(pageSize) bytes, is larger than 2^62 bytes"
            case let .metadataAllocationFailed(bytes):
                return "could not allocate the page descriptor table (\(bytes) bytes)"
            }
        }
    }

    /// Creates an allocator over a new arena of `pageCount` pages that it
    /// allocates itself, aligned to the largest block so that addresses are
    /// naturally aligned too. Any page count works, not only a power of two.
    /// `defect` switches a realistic bug on (see `Defect`); leave it nil.
    public convenience init(
        pageCount: Int, pageSize: Int = 4096, topOrder: Int = 10, reserved: [Range<Int>] = [], defect: Defect? = nil
    ) throws(ConfigurationError) {
        let bytes = try Self.validate(pageCount: pageCount, pageSize: pageSize, topOrder: topOrder)
        let alignment = max(pageSize, min(pageSize << topOrder, 1 << 21))
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, alignment, bytes) == 0, let memory else {
            throw .arenaAllocationFailed(bytes: bytes)
        }
        try self.init(memory: memory, pageCount: pageCount, pageSize: pageSize, topOrder: topOrder,
                      reserved: reserved, ownsMemory: true, defect: defect)
    }

    /// Creates an allocator over memory the caller owns and keeps alive for
    /// the allocator's lifetime. `memory` must start on a page boundary.
    /// `defect` switches a realistic bug on (see `Defect`); leave it nil.
    ///
    /// `arenaPoisoned`: the caller guarantees that AddressSanitizer sees every
    /// byte of the arena poisoned already, as an allocator over the same
    /// memory leaves it when `unpoisonsArenaOnDeinit` is false, so the
    /// allocator does not poison it again (without ASan it changes nothing).
    public convenience init(
        memory: UnsafeMutableRawPointer, pageCount: Int, pageSize: Int = 4096, topOrder: Int = 10,
        reserved: [Range<Int>] = [], defect: Defect? = nil, arenaPoisoned: Bool = false
    ) throws(ConfigurationError) {
        _ = try Self.validate(pageCount: pageCount, pageSize: pageSize, topOrder: topOrder)
        guard UInt(bitPattern: memory) % UInt(pageSize) == 0 else { throw .memoryNotPageAligned }
        try self.init(memory: memory, pageCount: pageCount, pageSize: pageSize, topOrder: topOrder,
                      reserved: reserved, ownsMemory: false, defect: defect, arenaPoisoned: arenaPoisoned)
    }

    /// Checks the geometry and returns the arena's size in bytes. Every
    /// product and shift the allocator later makes from these three values
    /// (`pageCount << pageShift`, `pageSize << topOrder`) fits in an `Int`.
    private static func validate(pageCount: Int, pageSize: Int, topOrder: Int) throws(ConfigurationError) -> Int {
        guard pageSize >= 16, pageSize & (pageSize - 1) == 0 else { throw .pageSizeNotPowerOfTwo(pageSize) }
        guard (0...30).contains(topOrder) else { throw .topOrderOutOfRange(topOrder) }
        guard pageCount >= 1, pageCount <= Int(Int32.max) else { throw .pageCountOutOfRange(pageCount) }
        guard pageSize.trailingZeroBitCount + topOrder <= Int.bitWidth - 2 else {
            throw .largestBlockTooLarge(pageSize: pageSize, topOrder: topOrder)
        }
        let (bytes, overflow) = pageCount.multipliedReportingOverflow(by: pageSize)
        guard !overflow else { throw .arenaTooLarge(pageCount: pageCount, pageSize: pageSize) }
        return bytes
    }

    private init(
        memory: UnsafeMutableRawPointer, pageCount: Int, pageSize: Int, topOrder: Int,
        reserved: [Range<Int>], ownsMemory: Bool, defect: Defect?, arenaPoisoned: Bool = false
    ) throws(ConfigurationError) {
        var merged: [Range<Int>] = []
        // Holes usually come sorted (a fuzz target's arena always does): then
        // the sort, a heap allocation per allocator, is skipped.
        let sorted = zip(reserved, reserved.dropFirst()).allSatisfy { $0.lowerBound <= $1.lowerBound }
            ? reserved : reserved.sorted(by: { $0.lowerBound < $1.lowerBound })
        if !sorted.isEmpty { merged.reserveCapacity(sorted.count) }
        for range in sorted where !range.isEmpty {
            guard range.lowerBound >= 0, range.upperBound <= pageCount else {
                if ownsMemory { free(memory) }
                throw .reservedRangeOutOfArena(range)
            }
            if let last = merged.last, last.upperBound >= range.lowerBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.pageSize = pageSize
        self.pageShift = pageSize.trailingZeroBitCount
        self.arenaBytes = UInt(pageCount * pageSize)
        self.pageOffsetMask = UInt(pageSize - 1)
        self.topOrder = topOrder
        self.pageCount = pageCount
        self.base = memory
        self.reservedRanges = merged
        self.ownsMemory = ownsMemory
        self.defect = defect
        self.plainPaths = defect == nil && !Sanitizer.isEnabled
        self.plainAllocation = plainPaths
        // malloc, not `allocate`: the table is as large as the caller's page
        // count, and a failure must be a typed error, not a trap.
        let tableBytes = pageCount * MemoryLayout<PageDescriptor>.stride
        guard let table = Self.allocateTable(bytes: tableBytes) else {
            if ownsMemory { free(memory) }
            throw .metadataAllocationFailed(bytes: tableBytes)
        }
        if Sanitizer.isEnabled {
            let bytes = Self.handedOutBytes(pageCount: pageCount)
            guard let bitmap = Self.allocateTable(bytes: bytes) else {
                Self.releaseTable(table, bytes: tableBytes)
                if ownsMemory { free(memory) }
                throw .metadataAllocationFailed(bytes: bytes)
            }
            handedOut = bitmap.initializeMemory(as: UInt64.self, repeating: 0, count: bytes / 8)
        } else {
            handedOut = nil
        }
        self.pages = table.bindMemory(to: PageDescriptor.self, capacity: pageCount)
        self.pages.initialize(repeating: .tail, count: pageCount)
        self.freeLists = FreeLists(topOrder: topOrder)
        seedFreeLists()
        if !arenaPoisoned { Sanitizer.poison(base, pageCount * pageSize) }
    }

    /// A table sized by the caller's page count (uninitialised, from
    /// `TablePool`); nil when memory ran out (or a child-process test asked
    /// for that, see `_testingFailTableAllocations`), so that the caller throws.
    static func allocateTable(bytes: Int) -> UnsafeMutableRawPointer? {
        if _testingFailTableAllocations { return nil }
        return TablePool.shared.take(bytes: bytes)
    }

    /// Gives back what `allocateTable(bytes:)` returned for the same `bytes`.
    static func releaseTable(_ table: UnsafeMutableRawPointer, bytes: Int) {
        TablePool.shared.give(table, bytes: bytes)
    }

    deinit {
        // ASan must see the whole arena addressable again before it is freed
        // or handed back (unless its owner takes that over, see
        // `unpoisonsArenaOnDeinit`).
        if ownsMemory || unpoisonsArenaOnDeinit {
            Sanitizer.unpoison(base, pageCount * pageSize)
        } else {
            poisonHandedOutPages()
        }
        if let handedOut { Self.releaseTable(handedOut, bytes: Self.handedOutBytes(pageCount: pageCount)) }
        if ownsMemory { free(base) }
        Self.releaseTable(pages, bytes: pageCount * MemoryLayout<PageDescriptor>.stride)
        freeLists.deallocate()
    }

    /// Marks the holes reserved and covers every other run of pages with the
    /// largest naturally aligned blocks that fit, in ascending address order.
    private func seedFreeLists() {
        var start = 0
        for hole in reservedRanges {
            seedRun(start..<hole.lowerBound)
            for pfn in hole { pages[pfn].kind = .reserved }
            start = hole.upperBound
        }
        seedRun(start..<pageCount)
    }

    /// The size of the `handedOut` bitmap.
    private static func handedOutBytes(pageCount: Int) -> Int { (pageCount + 63) / 64 * 8 }

    /// The end of the `count` pages at `pfn`, or of the arena when that
    /// comes first: only a defect hands out pages past the arena (see
    /// `PageAllocator+Defects.swift`), and no per-page loop may follow them
    /// there, out of the tables.
    @inline(__always)
    func pagesInArena(_ pfn: Int, count: Int) -> Int {
        min(pfn + count, pageCount)
    }

    /// `pagesInArena` for the block of `2^order` pages at `pfn`.
    @inline(__always)
    func pagesInArena(_ pfn: Int, order: Int) -> Int {
        pagesInArena(pfn, count: 1 << order)
    }

    /// The bytes of the `count` pages at `pfn` that lie inside the arena
    /// (all of them but for a defect's block past its end).
    @inline(__always)
    func bytesInArena(_ pfn: Int, count: Int) -> Int {
        (pagesInArena(pfn, count: count) - pfn) << pageShift
    }

    /// `bytesInArena` for the block of `2^order` pages at `pfn`.
    @inline(__always)
    func bytesInArena(_ pfn: Int, order: Int) -> Int {
        bytesInArena(pfn, count: 1 << order)
    }

    /// Notes, under ASan, that the block of `2^order` pages at `pfn` is
    /// handed out (see `handedOut`).
    @inline(__always)
    func noteHandedOut(_ pfn: Int, order: Int) {
        guard let handedOut else { return }
        var page = pfn
        let end = pagesInArena(pfn, order: order)
        while page < end {
            let bits = min(64 - (page & 63), end - page)
            handedOut[page >> 6] |= (bits == 64 ? ~0 : ((1 << UInt64(bits)) - 1)) << UInt64(page & 63)
            page += bits
        }
    }

    /// Poisons every run of pages ever handed out: the arena is then wholly
    /// poisoned again (the free pages and the holes already are).
    private func poisonHandedOutPages() {
        guard let handedOut else { return }
        var pfn = 0
        while pfn < pageCount {
            guard handedOut[pfn >> 6] & (1 << UInt64(pfn & 63)) != 0 else {
                // Skip a word with nothing set at once.
                pfn = handedOut[pfn >> 6] >> UInt64(pfn & 63) == 0 ? (pfn | 63) + 1 : pfn + 1
                continue
            }
            var end = pfn + 1
            while end < pageCount && handedOut[end >> 6] & (1 << UInt64(end & 63)) != 0 { end += 1 }
            Sanitizer.poison(address(ofPage: pfn), (end - pfn) * pageSize)
            pfn = end
        }
    }

    private func seedRun(_ run: Range<Int>) {
        var pfn = run.lowerBound
        while pfn < run.upperBound {
            var order = min(topOrder, pfn == 0 ? topOrder : pfn.trailingZeroBitCount)
            while pfn + (1 << order) > run.upperBound { order -= 1 }
            pages[pfn].kind = .free
            pages[pfn].order = UInt8(order)
            freeLists.pushBack(Int32(pfn), order: order, pages: pages)
            freePages += 1 << order
            pfn += 1 << order
        }
    }

    /// Makes `bytes` bytes at `memory` addressable for AddressSanitizer
    /// (nothing without it): for the owner of an arena whose allocator left
    /// it poisoned (`unpoisonsArenaOnDeinit` false), before reusing or freeing it.
    public static func makeAddressable(_ memory: UnsafeMutableRawPointer, bytes: Int) {
        Sanitizer.unpoison(memory, bytes)
    }

    /// Poisons `bytes` bytes at `memory` for AddressSanitizer (nothing
    /// without it): for the owner of memory it will hand to allocators with
    /// `arenaPoisoned` true.
    public static func makeUnaddressable(_ memory: UnsafeMutableRawPointer, bytes: Int) {
        Sanitizer.poison(memory, bytes)
    }

    // MARK: Addresses and page frames

    /// The address of page frame `pfn`.
    @inlinable @inline(__always)
    public func address(ofPage pfn: Int) -> UnsafeMutableRawPointer {
        // `pfn << pageShift`, as a wrapping product with `pageSize` (a power
        // of two): the same value, without `<<`'s tests for a negative or
        // oversized shift count, nor the masking shift's mask (one
        // multiplication against four instructions).
        base + (pfn &* pageSize)
    }

    /// The page frame of `address`, after checking it is a page start inside the arena.
    @inlinable @inline(__always)
    func pageFrame(of address: UnsafeMutableRawPointer) throws(AllocError) -> Int {
        let offset = UInt(bitPattern: address) &- UInt(bitPattern: base)
        let raw = UInt(bitPattern: address)
        // The arena's size fits an Int and the page size is a power of two
        // (checked at creation): the shift needs no check.
        guard offset < arenaBytes else { throw .outsideArena(address: raw) }
        guard offset & pageOffsetMask == 0 else { throw .notPageAligned(address: raw) }
        return Int(bitPattern: offset &>> UInt(bitPattern: pageShift))
    }

    /// The page frame containing `address`, or nil when it is outside the arena.
    public func pageFrame(containing address: UnsafeRawPointer) -> Int? {
        let offset = UInt(bitPattern: address) &- UInt(bitPattern: base)
        guard offset < UInt(pageCount << pageShift) else { return nil }
        return Int(offset >> UInt(pageShift))
    }
}
