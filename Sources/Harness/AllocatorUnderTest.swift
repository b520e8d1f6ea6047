// The small protocol the judge drives an allocator through. The AllocCheck
// core is the first conformer (`AllocCheckSubject`); a second implementation
// of the same API can be judged by the same suites and fuzz targets.

import Invariants

/// A refused call, in allocator-neutral terms: its kind (what the model
/// predicts) and the allocator's own message.
public struct Refusal: Error, Equatable, CustomStringConvertible, Sendable {
    public let kind: RefusalKind
    /// The allocator's message, made when it is read: most refusals are
    /// predicted ones that no report shows.
    public var message: String {
        switch source {
        case .text(let text): return text
        case .error(let error): return error.description
        case .arenaRelative(let error): return error.description
        }
    }
    private let source: Message

    private enum Message: Sendable {
        case text(String)
        case error(any Error & CustomStringConvertible & Sendable)
        /// The AllocCheck core's error, held inline: as an existential it is
        /// too large for the inline buffer, a heap allocation per refusal.
        case arenaRelative(ArenaRelativeError)
    }

    public init(_ kind: RefusalKind, _ message: String) {
        self.kind = kind
        self.source = .text(message)
    }

    /// A refusal whose message is `error`'s description.
    public init(_ kind: RefusalKind, describing error: any Error & CustomStringConvertible & Sendable) {
        self.kind = kind
        self.source = .error(error)
    }

    /// A refusal of the AllocCheck core, whose message is `error`'s description.
    init(_ kind: RefusalKind, describing error: ArenaRelativeError) {
        self.kind = kind
        self.source = .arenaRelative(error)
    }

    public static func == (a: Refusal, b: Refusal) -> Bool { a.kind == b.kind && a.message == b.message }

    public var description: String { "\(kind.rawValue) (\(message))" }
}

/// An allocator with the page, exact, cache and kmalloc API, over an arena
/// the judge hands it.
///
/// Contract: every refused call throws a `Refusal` and leaves the allocator
/// exactly as it was. Page frame numbers count from `base`.
public protocol AllocatorUnderTest: AnyObject {
    associatedtype CacheID

    /// A fresh allocator over `memory` (page-aligned, at least
    /// `arena.pageCount` pages, reused across inputs), with `arena`'s holes
    /// reserved and its kmalloc caches with `arena.kmallocDebug`'s options.
    /// The allocator may leave `memory` poisoned for AddressSanitizer when it
    /// goes: the judge hands it only to the next allocator, and makes it
    /// addressable again before freeing it. When `leavesMemoryPoisoned`,
    /// every byte of `memory` is poisoned when it is handed in.
    static func make(arena: Arena, memory: UnsafeMutableRawPointer) throws -> Self

    /// Whether the allocators `make` returns leave all of `memory` poisoned
    /// for AddressSanitizer when they go (false by default). The judge then
    /// poisons its buffer once, before the first allocator, and `make` may
    /// count on finding it all poisoned, rather than poisoning the whole
    /// arena for every input.
    static var leavesMemoryPoisoned: Bool { get }

    var base: UnsafeMutableRawPointer { get }

    func allocPages(order: Int) throws(Refusal) -> UnsafeMutableRawPointer
    func freePages(_ address: UnsafeMutableRawPointer, order: Int) throws(Refusal)
    func allocPagesExact(_ size: Int) throws(Refusal) -> UnsafeMutableRawPointer
    func freePagesExact(_ address: UnsafeMutableRawPointer, size: Int) throws(Refusal)

    /// A cache whose objects are aligned to `alignment` (a power of two, 8
    /// or more), with SLUB's `debug` options; a `hardened` one stores its
    /// free pointers obfuscated (a stray write into a free object rarely
    /// forms a valid one) and refuses a free pointer to its own object.
    func createCache(name: String, objectSize: Int, alignment: Int, debug: SlabDebugOptionsBits,
                     hardened: Bool) throws(Refusal) -> CacheID
    func allocate(_ cache: CacheID) throws(Refusal) -> UnsafeMutableRawPointer
    func free(_ object: UnsafeMutableRawPointer, to cache: CacheID) throws(Refusal)
    /// Gives back every empty slab of the cache; the number of pages given back.
    func shrink(_ cache: CacheID) throws(Refusal) -> Int
    /// Gives back every empty slab of every live cache, the kmalloc size
    /// classes' included (`shrink` of each in turn); the number of pages
    /// given back. nil (the default) when the allocator cannot: the judge
    /// then runs the step (`cache_shrink_all`) as a no-op, so a conformer
    /// that does not implement it is judged as before.
    func shrinkAllCaches() -> Int?
    /// Destroys an empty cache. From then on its handle is refused with
    /// `unknownCache` by every call, also once a new cache has the same
    /// number (`slabCacheIndex(of:)`).
    func destroy(_ cache: CacheID) throws(Refusal)
    /// The problems a full check of the cache finds (empty when it is sound).
    func validate(_ cache: CacheID) throws(Refusal) -> [String]
    /// The problems a check of the cache finds after a call that touched
    /// the object at `address`: at least the slab holding it and what the
    /// call may have changed besides (the default: the whole cache).
    func validate(_ cache: CacheID, afterTouching address: UnsafeMutableRawPointer) throws(Refusal) -> [String]
    /// The problems a full check of every live cache finds, the kmalloc
    /// classes included (empty when all are sound; the default checks
    /// nothing). The judge runs it after a refusal, to see what a snapshot
    /// does not show (such as the slab a cache allocates from next) still sound.
    func validateAllCaches() -> [String]
    /// What the allocator reports of the live cache numbered `index` (its
    /// cache information, and its `/proc/slabinfo` line when it prints one),
    /// or nil when it reports nothing (the default).
    func reportedCounts(ofCacheIndex index: Int) -> ReportedCacheCounts?
    /// How many empty slabs a cache keeps: a free that empties a slab gives
    /// that slab back exactly when the cache already has this many empty
    /// slabs, and keeps it otherwise (SLUB's `min_partial`, as the AllocCheck
    /// core's `SlabAllocator.emptySlabsKept`); nil when the allocator does
    /// not say (the default), and the judge then accepts either.
    var emptySlabsKept: Int? { get }
    /// The number `slabCacheIndex(ofPage:)` gives the pages of a live cache's slabs.
    func slabCacheIndex(of cache: CacheID) -> Int
    /// The geometry of the live cache numbered `index` (fixed at creation).
    func slabGeometry(ofCacheIndex index: Int) -> SlabGeometry

    func kmalloc(_ size: Int) throws(Refusal) -> UnsafeMutableRawPointer
    func kfree(_ object: UnsafeMutableRawPointer) throws(Refusal)
    func ksize(_ object: UnsafeMutableRawPointer) throws(Refusal) -> Int
    /// The pointer `kmalloc(0)` returns (never dereferenced).
    var zeroSizePointer: UnsafeMutableRawPointer { get }
    /// The size classes, ascending; larger requests are page blocks.
    var kmallocClasses: [Int] { get }
    /// The largest size `kmalloc` serves.
    var kmallocMaximum: Int { get }
    /// The number of the size-class cache serving `kmalloc(size)` (`size` in
    /// 1...the largest class), as `slabCacheIndex(ofPage:)` numbers caches.
    func kmallocCacheIndex(forSize size: Int) -> Int
    /// The size-class cache serving `kmalloc(size)` (`size` in 1...the
    /// largest class), for the scoped validation after a kmalloc or kfree
    /// step (`validate(_:afterTouching:)`); nil (the default) when the
    /// allocator does not name its classes, and those steps are then not
    /// validated by class.
    func kmallocCache(forSize size: Int) -> CacheID?
    /// How many more caches can be created now.
    var cacheSlotsLeft: Int { get }

    /// Arms (true) or disarms (false) client-side fault injection: while
    /// armed, the next allocation that passes its argument checks and would
    /// look for memory (pages, exact, cache object, kmalloc, the slab layer's
    /// own page allocations included) fails with an `injectedFailure`
    /// refusal and changes nothing. `kmalloc(0)` allocates nothing and is
    /// never failed.
    func failNextAllocation(_ armed: Bool)

    /// Writes and reads one byte as a buggy client would, even where a
    /// sanitizer forbids it (a red zone, a freed object): for the overflow
    /// and write-after-free misuses.
    func clientWrite(_ byte: UInt8, at address: UnsafeMutableRawPointer)
    func clientRead(at address: UnsafeMutableRawPointer) -> UInt8

    // Observation, for the checks.
    func snapshot() -> AllocatorSnapshot
    /// Makes `snapshot` what `snapshot()` returns, reusing its storage where
    /// the conformer can (the judge keeps one for every full check). The
    /// default assigns `snapshot()`.
    func snapshot(into snapshot: inout AllocatorSnapshot)
    func pageRecord(_ pfn: Int) -> PageRecord
    func freeListRecord(order: Int) -> FreeListRecord
    var freePageCount: Int { get }
    /// A number naming the cache whose slab holds page `pfn` (stable while
    /// that cache lives), or nil when no cache's slab does (large kmalloc blocks included).
    func slabCacheIndex(ofPage pfn: Int) -> Int?
    /// `slabCacheIndex(ofPage:)` of every page at once, -1 for nil: `owners`
    /// holds one entry per page of the arena (the default asks page by page).
    func slabCacheIndices(into owners: inout [Int32])
    /// `/proc/buddyinfo` and `/proc/slabinfo` lines, for failure reports.
    var buddyinfo: String { get }
    var slabinfo: String { get }
}

extension AllocatorUnderTest {
    public static var leavesMemoryPoisoned: Bool { false }

    public func snapshot(into snapshot: inout AllocatorSnapshot) { snapshot = self.snapshot() }

    public func slabCacheIndices(into owners: inout [Int32]) {
        for pfn in owners.indices { owners[pfn] = Int32(clamping: slabCacheIndex(ofPage: pfn) ?? -1) }
    }

    public func validate(_ cache: CacheID, afterTouching address: UnsafeMutableRawPointer) throws(Refusal) -> [String] {
        try validate(cache)
    }

    public func validateAllCaches() -> [String] { [] }

    public func reportedCounts(ofCacheIndex index: Int) -> ReportedCacheCounts? { nil }

    public func shrinkAllCaches() -> Int? { nil }

    public func kmallocCache(forSize size: Int) -> CacheID? { nil }

    public var emptySlabsKept: Int? { nil }
}

/// A cache's objects handed out and its slabs by how full they are, as
/// the allocator reports them: a slab holding no object handed out is
/// empty, one whose every object is handed out is full, the rest partial
/// (SLUB's lists, which `/proc/slabinfo` sums).
public struct ReportedCacheCounts: Equatable, Sendable, CustomStringConvertible {
    public var activeObjects: Int
    public var partialSlabs: Int
    public var fullSlabs: Int
    public var emptySlabs: Int
    /// The cache's `/proc/slabinfo` line (version 2.1, without its
    /// newline), or nil when the allocator prints none: the judge checks its
    /// numbers against the same counts (`SlabinfoNumbers`).
    public var slabinfoLine: String?

    public init(activeObjects: Int, partialSlabs: Int, fullSlabs: Int, emptySlabs: Int, slabinfoLine: String? = nil) {
        self.activeObjects = activeObjects
        self.partialSlabs = partialSlabs
        self.fullSlabs = fullSlabs
        self.emptySlabs = emptySlabs
        self.slabinfoLine = slabinfoLine
    }

    public var description: String {
        "\(activeObjects) objects in use, \(partialSlabs) partial, \(fullSlabs) full and \(emptySlabs) empty slabs"
    }
}

/// The numbers of one cache's `/proc/slabinfo` line, version 2.1:
/// `name active_objs num_objs objsize objperslab pagesperslab : tunables
/// limit batchcount sharedfactor : slabdata active_slabs num_slabs
/// sharedavail` (`objsize`, the stride, and the tunables are not read).
public struct SlabinfoNumbers: Equatable, Sendable, CustomStringConvertible {
    public var activeObjects: Int
    public var objects: Int
    public var objectsPerSlab: Int
    public var pagesPerSlab: Int
    public var activeSlabs: Int
    public var slabs: Int

    public init(activeObjects: Int, objects: Int, objectsPerSlab: Int, pagesPerSlab: Int, activeSlabs: Int, slabs: Int) {
        self.activeObjects = activeObjects
        self.objects = objects
        self.objectsPerSlab = objectsPerSlab
        self.pagesPerSlab = pagesPerSlab
        self.activeSlabs = activeSlabs
        self.slabs = slabs
    }

    /// What SLUB prints for a cache with `activeObjects` objects handed
    /// out in `slabs` slabs of `geometry` (every slab counts as active).
    public init(activeObjects: Int, slabs: Int, geometry: SlabGeometry) {
        self.init(activeObjects: activeObjects, objects: slabs * geometry.objectsPerSlab,
                  objectsPerSlab: geometry.objectsPerSlab, pagesPerSlab: 1 << geometry.order, activeSlabs: slabs, slabs: slabs)
    }

    /// The numbers of `line`, or nil when it is not a slabinfo 2.1 line.
    public init?(line: String) {
        let fields = line.split(separator: " ")
        guard fields.count == 16, fields[6] == ":", fields[7] == "tunables", fields[11] == ":", fields[12] == "slabdata",
              let active = Int(fields[1]), let objects = Int(fields[2]), let perSlab = Int(fields[4]),
              let pages = Int(fields[5]), let activeSlabs = Int(fields[13]), let slabs = Int(fields[14]) else { return nil }
        self.init(activeObjects: active, objects: objects, objectsPerSlab: perSlab, pagesPerSlab: pages,
                  activeSlabs: activeSlabs, slabs: slabs)
    }

    public var description: String {
        "active_objs \(activeObjects), num_objs \(objects), objperslab \(objectsPerSlab), pagesperslab \(pagesPerSlab), "
            + "active_slabs \(activeSlabs), num_slabs \(slabs)"
    }
}

/// A cache's slabs: blocks of `2^order` pages, each holding `objectsPerSlab` objects.
public struct SlabGeometry: Equatable, Sendable {
    public var order: Int
    public var objectsPerSlab: Int

    public init(order: Int, objectsPerSlab: Int) {
        self.order = order
        self.objectsPerSlab = objectsPerSlab
    }
}

/// SLUB debug letters as bits (F = 1, Z = 2, P = 4, U = 8), so the protocol
/// needs no type of the AllocCheck core.
public typealias SlabDebugOptionsBits = UInt8
