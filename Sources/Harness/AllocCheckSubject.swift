// The AllocCheck core as an `AllocatorUnderTest`: a slab layer over a page
// allocator, with every typed error mapped to its refusal kind. The slab
// layer is built at its first call, so a page-only trace never pays for it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import AllocCheck
import Invariants

public final class AllocCheckSubject: AllocatorUnderTest {
    public let pages: PageAllocator
    /// The slab layer once built (`slab`); nil before its first call.
    public private(set) var slabLayer: SlabAllocator?
    /// What the slab layer shows before it is built.
    private let freshLayer: FreshSlabLayer
    /// Whether fault injection is armed, for a slab layer built while it is.
    private var faultArmed = false
    /// The debug options of the kmalloc caches of the layer it builds (the
    /// arena's `kmallocDebug`).
    public let kmallocDebug: SlabDebugOptions

    /// The slab layer over `pages`, built at the first call that needs it.
    /// Until then the observations (`snapshot`, `slabCacheIndex(ofPage:)`,
    /// `slabinfo`, `cacheSlotsLeft`) report what a new layer shows, so
    /// building it changes nothing the judge can see: a page-only trace is
    /// judged exactly as on the whole allocator, without building a layer
    /// for every fuzz input (about a fifth of a page-only input's instructions).
    public var slab: SlabAllocator {
        if let slabLayer { return slabLayer }
        return buildSlabLayer()
    }

    /// The defect switched on in every allocator `make` creates (nil: the
    /// correct core). Its default is read once, from `ALLOCCHECK_DEFECT`
    /// (`Defect.environmentVariable`), so fuzz targets and the `alloccheck`
    /// command judge a defective core when it names one; a name that is no
    /// defect stops the program with exit status 2 and one line on stderr
    /// listing the known ones. Tests switch one on for their own task:
    /// `AllocCheckSubject.$defect.withValue(.mergeStopsEarly) { ... }`.
    @TaskLocal public static var defect: Defect? = environmentDefect()

    public init(slab: SlabAllocator) {
        pages = slab.pageAllocator
        slabLayer = slab
        freshLayer = FreshSlabLayer.of(slab.pageAllocator)
        kmallocDebug = slab.kmallocCache(forSize: 1).flatMap { try? slab.info($0) }?.debug ?? []
    }

    /// A subject whose slab layer over `pages` is built at its first call,
    /// its kmalloc caches with the debug options `kmallocDebug`. With any,
    /// the layer is built at once: a new layer's observations
    /// (`FreshSlabLayer`) are read for layers without them only.
    public init(pages: PageAllocator, kmallocDebug: SlabDebugOptions = []) {
        self.pages = pages
        freshLayer = FreshSlabLayer.of(pages)
        self.kmallocDebug = kmallocDebug
        if !kmallocDebug.isEmpty { _ = buildSlabLayer() }
    }

    public static func make(arena: Arena, memory: UnsafeMutableRawPointer) throws -> AllocCheckSubject {
        let pages = try PageAllocator(memory: memory, pageCount: arena.pageCount, pageSize: Arena.pageSize,
                                      topOrder: Arena.topOrder, reserved: arena.reserved, defect: defect,
                                      arenaPoisoned: true)
        // The judge reuses `memory` for the next input and unpoisons it
        // before freeing it; the allocator leaves it all poisoned.
        pages.unpoisonsArenaOnDeinit = false
        return AllocCheckSubject(pages: pages, kmallocDebug: arena.kmallocDebug)
    }

    /// True: the page allocator poisons again every page it handed out when
    /// it goes (`PageAllocator.unpoisonsArenaOnDeinit`), so poisoning a whole
    /// arena (up to 4 MiB, half a MiB of ASan's shadow) is no longer part of
    /// every fuzz input.
    public static var leavesMemoryPoisoned: Bool { true }

    @inline(never)
    private func buildSlabLayer() -> SlabAllocator {
        let layer: SlabAllocator
        do {
            layer = try SlabAllocator(pageAllocator: pages, kmallocDebug: kmallocDebug, maxCaches: Self.maxCaches,
                                      emptySlabsKept: Self.emptySlabsKept)
        } catch {
            // Only its metadata tables can fail (a few MiB at most): the process is out of memory.
            preconditionFailure("cannot build the slab layer: \(error)")
        }
        // Assigned only when armed: any assignment takes every cache off the
        // inlined fast paths for the layer's lifetime (`faultInjection`), and
        // a client that never injects faults runs those paths.
        if faultArmed { layer.faultInjection = .nextCall }
        // The page allocator goes with the subject, so the layer's pages need
        // not go back to it first (a walk of the arena per input).
        layer.givesPagesBackOnDeinit = false
        slabLayer = layer
        return layer
    }

    /// The defect `ALLOCCHECK_DEFECT` names; exits with status 2 when it names none.
    static func environmentDefect() -> Defect? {
        do {
            return try Defect(environmentValue: getenv(Defect.environmentVariable).map { String(cString: $0) })
        } catch {
            var line = Array("error: \(error)\n".utf8)
            _ = write(2, &line, line.count)
            exit(2)
        }
    }

    /// The cache table of the layers the subject builds: every kmalloc
    /// class and 4 caches of the trace's own. Few enough that random traces
    /// reach `too_many_caches` (so a limit off by one shows), enough for
    /// every misuse between caches.
    public static let maxCaches = SlabAllocator.standardKmallocClasses.count + 4

    /// How many empty slabs a cache of the layers the subject builds keeps
    /// (the layer's default, written out: the judge predicts from it which
    /// free gives its emptied slab back).
    public static let emptySlabsKept = 2

    /// The layer's `emptySlabsKept` (the subject's own before it is built).
    public var emptySlabsKept: Int? { slabLayer?.emptySlabsKept ?? Self.emptySlabsKept }

    public var base: UnsafeMutableRawPointer { pages.base }

    public func allocPages(order: Int) throws(Refusal) -> UnsafeMutableRawPointer {
        do { return try pages.allocPages(order: order) } catch { throw refusal(error) }
    }

    public func freePages(_ address: UnsafeMutableRawPointer, order: Int) throws(Refusal) {
        do { try pages.freePages(address, order: order) } catch { throw refusal(error) }
    }

    public func allocPagesExact(_ size: Int) throws(Refusal) -> UnsafeMutableRawPointer {
        do { return try pages.allocPagesExact(size) } catch { throw refusal(error) }
    }

    public func freePagesExact(_ address: UnsafeMutableRawPointer, size: Int) throws(Refusal) {
        do { try pages.freePagesExact(address, size: size) } catch { throw refusal(error) }
    }

    /// A hardened cache's secret is the FNV-1a hash of its name: fixed for a
    /// trace (a replay meets the same keys), different between its caches.
    public func createCache(name: String, objectSize: Int, alignment: Int, debug: SlabDebugOptionsBits,
                            hardened: Bool) throws(Refusal) -> SlabCacheID {
        let secret = hardened ? name.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 } : nil
        do {
            return try slab.createCache(name: name, objectSize: objectSize, alignment: alignment,
                                        debug: SlabDebugOptions(rawValue: debug), freeListSecret: secret)
        } catch { throw refusal(error) }
    }

    public func allocate(_ cache: SlabCacheID) throws(Refusal) -> UnsafeMutableRawPointer {
        do { return try slab.allocate(cache) } catch { throw refusal(error) }
    }

    public func free(_ object: UnsafeMutableRawPointer, to cache: SlabCacheID) throws(Refusal) {
        do { try slab.free(object, to: cache) } catch { throw refusal(error) }
    }

    public func shrink(_ cache: SlabCacheID) throws(Refusal) -> Int {
        do { return try slab.shrink(cache) } catch { throw refusal(error) }
    }

    /// `SlabAllocator.shrinkAll`; 0 before the layer is built (it holds no slab).
    public func shrinkAllCaches() -> Int? { slabLayer?.shrinkAll() ?? 0 }

    public func destroy(_ cache: SlabCacheID) throws(Refusal) {
        do { try slab.destroy(cache) } catch { throw refusal(error) }
    }

    public func validate(_ cache: SlabCacheID) throws(Refusal) -> [String] {
        do { return try slab.validate(cache).map { ArenaRelativeError(.slab($0), arena: pages).description } }
        catch { throw refusal(error) }
    }

    /// The lists and counts of the whole cache, object by object the slab
    /// holding `address` and the hot slab (`SlabAllocator.validate(_:slabHolding:)`).
    public func validate(_ cache: SlabCacheID, afterTouching address: UnsafeMutableRawPointer) throws(Refusal) -> [String] {
        do { return try slab.validate(cache, slabHolding: address).map { ArenaRelativeError(.slab($0), arena: pages).description } }
        catch { throw refusal(error) }
    }

    /// Every cache of a built layer (`SlabAllocator.validateAll`); a layer not built yet has nothing to check.
    public func validateAllCaches() -> [String] {
        slabLayer?.validateAll().map { ArenaRelativeError(.slab($0), arena: pages).description } ?? []
    }

    public func slabCacheIndex(of cache: SlabCacheID) -> Int { Int(cache.index) }

    /// `SlabAllocator.info` of the cache and its `slabinfo` line; nil before
    /// the layer is built (it has no cache yet).
    public func reportedCounts(ofCacheIndex index: Int) -> ReportedCacheCounts? {
        guard let slabLayer, let cache = slabLayer.cacheID(index: index), let info = try? slabLayer.info(cache) else { return nil }
        return ReportedCacheCounts(activeObjects: info.activeObjects, partialSlabs: info.partialSlabs,
                                   fullSlabs: info.fullSlabs, emptySlabs: info.emptySlabs,
                                   slabinfoLine: slabLayer.slabinfoLine(cache))
    }

    public func slabGeometry(ofCacheIndex index: Int) -> SlabGeometry {
        guard let cache = slab.cacheID(index: index), let info = try? slab.info(cache) else {
            return SlabGeometry(order: 0, objectsPerSlab: 0)
        }
        return SlabGeometry(order: info.order, objectsPerSlab: info.objectsPerSlab)
    }

    public func kmalloc(_ size: Int) throws(Refusal) -> UnsafeMutableRawPointer {
        do { return try slab.kmalloc(size) } catch { throw refusal(error) }
    }

    public func kfree(_ object: UnsafeMutableRawPointer) throws(Refusal) {
        do { try slab.kfree(object) } catch { throw refusal(error) }
    }

    public func ksize(_ object: UnsafeMutableRawPointer) throws(Refusal) -> Int {
        do { return try slab.ksize(object) } catch { throw refusal(error) }
    }

    public var zeroSizePointer: UnsafeMutableRawPointer { SlabAllocator.zeroSizePointer }
    public var kmallocClasses: [Int] { slab.kmallocClasses }
    public var kmallocMaximum: Int { slab.kmallocMaximum }

    public func kmallocCacheIndex(forSize size: Int) -> Int {
        slab.kmallocCache(forSize: size).map { Int($0.index) } ?? -1
    }

    public func kmallocCache(forSize size: Int) -> SlabCacheID? { slab.kmallocCache(forSize: size) }

    public func clientWrite(_ byte: UInt8, at address: UnsafeMutableRawPointer) { slab._testingPoke(address, byte) }
    public func clientRead(at address: UnsafeMutableRawPointer) -> UInt8 { slab._testingPeek(address) }

    public var cacheSlotsLeft: Int {
        slabLayer?.cacheSlotsLeft ?? freshLayer.cacheSlotsLeft
    }

    public func failNextAllocation(_ armed: Bool) {
        faultArmed = armed
        pages.faultInjection = armed ? .nextCall : nil
        // Left alone (nil) until first armed, to keep the fast paths (see `buildSlabLayer`).
        if let slabLayer, armed || slabLayer.faultInjection != nil { slabLayer.faultInjection = armed ? .nextCall : nil }
    }

    public func snapshot() -> AllocatorSnapshot {
        if let slabLayer { return slabLayer.snapshot() }
        var snapshot = pages.snapshot()
        snapshot.slabLayer = freshLayer.snapshot
        return snapshot
    }
    public func snapshot(into snapshot: inout AllocatorSnapshot) {
        if let slabLayer { return slabLayer.snapshot(into: &snapshot) }
        pages.snapshot(into: &snapshot)
        snapshot.slabLayer.assign(freshLayer.snapshot)
    }
    public func pageRecord(_ pfn: Int) -> PageRecord { pages.pageRecord(pfn) }
    public func freeListRecord(order: Int) -> FreeListRecord { pages.freeListRecord(order: order) }
    public var freePageCount: Int { pages.freePageCount }
    public func slabCacheIndex(ofPage pfn: Int) -> Int? { slabLayer?.cacheOwning(page: pfn).map { Int($0.index) } }

    public func slabCacheIndices(into owners: inout [Int32]) {
        guard let slabLayer else {
            // A new layer holds no page.
            for pfn in owners.indices { owners[pfn] = -1 }
            return
        }
        owners.withUnsafeMutableBufferPointer { slabLayer.cacheIndicesOfPages(into: $0) }
    }
    public var buddyinfo: String { pages.buddyinfo }
    public var slabinfo: String { slabLayer?.slabinfo ?? freshLayer.slabinfo }

    /// A refusal of `error`'s kind (`kind(of:)`), whose message names
    /// addresses in the arena by their offset in it (`arena+0x1a40`), so that
    /// a report reads the same wherever the arena lies.
    func refusal(_ error: AllocError) -> Refusal {
        Refusal(Self.kind(of: error), describing: ArenaRelativeError(.page(error), arena: pages))
    }

    /// A refusal of `error`'s kind (`kind(of:)`), with a message as `refusal(_: AllocError)` makes.
    func refusal(_ error: SlabError) -> Refusal {
        Refusal(Self.kind(of: error), describing: ArenaRelativeError(.slab(error), arena: pages))
    }

    /// The refusal kind of an AllocCheck error.
    public static func kind(of error: AllocError) -> RefusalKind {
        let kind: RefusalKind
        switch error {
        case .zeroSize: kind = .zeroSize
        case .negativeOrder, .orderAboveTop: kind = .invalidOrder
        case .sizeTooLarge: kind = .sizeTooLarge
        case .outOfMemory: kind = .outOfMemory
        case .injectedFailure: kind = .injectedFailure
        case .outsideArena: kind = .foreignAddress
        case .notPageAligned: kind = .misaligned
        case .reservedPage: kind = .reservedPage
        case .doubleFree: kind = .doubleFree
        case .notAllocationHead: kind = .interiorPointer
        case .wrongOrder: kind = .wrongOrder
        case .wrongSize: kind = .wrongSize
        case .wrongFreeFunction: kind = .wrongFreeFunction
        case .slabPage: kind = .slabPage
        case .negativeSize, .invalidPageSize: kind = .other
        }
        return kind
    }

    /// The refusal kind of a slab-layer error.
    public static func kind(of error: SlabError) -> RefusalKind {
        let kind: RefusalKind
        switch error {
        case .tooManyCaches: kind = .tooManyCaches
        case .invalidCacheTableSize, .pageAllocatorHasSlabLayer, .metadataAllocationFailed, .negativeSize: kind = .other
        case .invalidObjectSize, .invalidAlignment: kind = .invalidObjectSize
        case .unknownCache, .kmallocCacheNotDestroyable: kind = .unknownCache
        case .pageAllocator(let inner): return Self.kind(of: inner)
        case .sizeTooLarge: kind = .sizeTooLarge
        case .injectedFailure: kind = .injectedFailure
        case .notInSlab: kind = .foreignAddress
        case .wrongCache: kind = .wrongCache
        case .notObjectBoundary: kind = .interiorPointer
        case .doubleFree: kind = .doubleFree
        case .cacheHasLiveObjects: kind = .cacheBusy
        case .redZoneOverwritten, .poisonOverwritten, .paddingOverwritten, .freePointerCorrupt, .freeChainCycle,
             .inUseMismatch, .slabCorrupt:
            kind = .corruption
        }
        return kind
    }
}

/// An AllocCheck error whose description writes each address inside the
/// arena as its offset (`arena+0x1a40`) and any other as it is.
struct ArenaRelativeError: Error, CustomStringConvertible, Sendable {
    enum Wrapped: Sendable {
        case page(AllocError)
        case slab(SlabError)
    }

    let error: Wrapped
    let arena: Range<UInt>

    init(_ error: Wrapped, arena pages: PageAllocator) {
        self.error = error
        let base = UInt(bitPattern: pages.base)
        arena = base..<(base + UInt(pages.pageCount * pages.pageSize))
    }

    var description: String {
        let arena = arena
        func address(_ value: UInt) -> String {
            arena.contains(value) ? "arena+0x" + String(value - arena.lowerBound, radix: 16) : "0x" + String(value, radix: 16)
        }
        switch error {
        case .page(let error): return error.description(addresses: address)
        case .slab(let error): return error.description(addresses: address)
        }
    }
}

/// What a new slab layer shows before its first call, for a subject that
/// has not built its layer yet. It depends on the page allocator's page
/// size, top order and defect, not on its arena (a new layer holds no page),
/// so it is read once per process from a layer over a small arena of its own.
struct FreshSlabLayer: Sendable {
    let defect: Defect?
    let snapshot: SlabLayerSnapshot
    let slabinfo: String
    let cacheSlotsLeft: Int

    init(pageSize: Int, topOrder: Int, defect: Defect?) {
        self.defect = defect
        do {
            let pages = try PageAllocator(pageCount: 16, pageSize: pageSize, topOrder: topOrder, defect: defect)
            let layer = try SlabAllocator(pageAllocator: pages, maxCaches: AllocCheckSubject.maxCaches)
            snapshot = layer.snapshot().slabLayer
            slabinfo = layer.slabinfo
            cacheSlotsLeft = layer.cacheSlotsLeft
        } catch {
            preconditionFailure("cannot build a slab layer: \(error)")
        }
    }

    /// The judge's page size and top order, with the correct core and with the defect
    /// `ALLOCCHECK_DEFECT` names (what a fuzz target judges), made at first use.
    private static let judged: [FreshSlabLayer] = (AllocCheckSubject.environmentDefect().map { [nil, $0] } ?? [nil]).map {
        FreshSlabLayer(pageSize: Arena.pageSize, topOrder: Arena.topOrder, defect: $0)
    }

    /// What a new slab layer over `pages` shows (made anew for other
    /// geometries and defects, as tests switch them).
    static func of(_ pages: PageAllocator) -> FreshSlabLayer {
        if pages.pageSize == Arena.pageSize && pages.topOrder == Arena.topOrder,
           let known = judged.first(where: { $0.defect == pages.defect }) {
            return known
        }
        return FreshSlabLayer(pageSize: pages.pageSize, topOrder: pages.topOrder, defect: pages.defect)
    }
}

extension SlabAllocator {
    /// How many more caches can be created now.
    var cacheSlotsLeft: Int { maxCaches - liveCacheCount }
}
