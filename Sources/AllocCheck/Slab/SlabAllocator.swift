#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Invariants

/// A SLUB-style slab layer over a `PageAllocator`: object caches carved out
/// of page blocks, and kmalloc.
///
/// - A slab is a block of `2^order` pages from the page allocator; every page
///   of it carries the slab's mark (its head pfn), so an object's address
///   alone leads to its slab and cache.
/// - The free objects of a slab are chained through their own memory (the
///   free pointer lives inside the object, or after it when poisoning).
/// - Each cache keeps partial, full and empty slabs on intrusive lists;
///   allocation prefers partial slabs (the one the latest free left partial
///   first, then the list's head), then empty ones, then a new slab. At
///   most `emptySlabsKept` empty slabs stay per cache when objects are freed;
///   `shrink` returns them all.
/// - The layer also records, per object, whether it is handed out (and for
///   kmalloc the requested size): 2 bytes per 8 bytes of arena, lazily
///   committed. That record makes double frees detectable in O(1) without
///   debug options, and is what `snapshot()` reports as live objects.
///
/// Hot paths (`allocate`, `free`, `kmalloc`, `kfree` of a slab object)
/// allocate nothing and touch only preallocated tables and the object.
/// Misuse throws `SlabError` and changes nothing. Not thread-safe.
///
/// Fast paths: `allocate`, `free`, `kmalloc` and `kfree` are inlinable
/// (`kfree` finds the cache through `pageHints`, then uses the same free
/// path). Their inlined part serves only the common case of a cache without
/// debug options or a hardened free list whose objects are 8 bytes or more
/// (and no ASan): an object of the hot slab whose next free pointer checks
/// out (the slab's last free object through `takeLastObject`, out of line),
/// or a free into a partial or full slab that keeps an object handed out
/// (a full slab moves to the partial list out of line), after the same
/// checks the general path makes (slab of this cache, object boundary,
/// handed out). The cache row keeps its hot slab's record address and first
/// object (`CacheMeta.hotRecord`, `hotFirst`), so that allocation and a free
/// into the hot slab (the common case: churn) find the slab without
/// computing it, and the free's boundary test alone places the object in
/// that slab; other frees find their slab from the address. It changes nothing unless it completes; anything else,
/// misuse included, goes to the out-of-line general path, which repeats
/// every check and builds the typed error there, so callers carry neither
/// the error's size nor its code.
public final class SlabAllocator {
    /// The page allocator the slabs come from (owned by this layer from now on:
    /// page-level calls on it are fine, but slab pages go back only through here).
    public let pageAllocator: PageAllocator
    /// The largest number of caches, kmalloc caches included.
    public let maxCaches: Int
    /// How many empty slabs a cache keeps when its objects are freed.
    public let emptySlabsKept: Int
    /// The kmalloc size classes, ascending; class `i` is cache index `i`.
    public let kmallocClasses: [Int]
    /// The largest kmalloc (4 MiB, or less when the top block is smaller).
    public let kmallocMaximum: Int
    /// The page allocator's defect (see `Defect`), nil for the correct layer.
    /// A slab-layer defect keeps every cache off the inlined fast paths.
    public let defect: Defect?

    /// Object allocations to fail on purpose (the kernel's `failslab`): from
    /// caches and kmalloc classes, with the count of calls seen and failures
    /// injected so far; nil (the default) fails none. Large kmalloc blocks are
    /// page allocations, failed by `pageAllocator.faultInjection` instead.
    /// Setting it takes every cache, present and future, off the inlined fast
    /// paths for the layer's lifetime (the general path gives the same
    /// results), so that the fast paths never pay for the check.
    ///
    /// Not checked for exclusive access at run time (the layer is not
    /// thread-safe anyway): the general allocation path reads it on every
    /// call, and a dynamic check there costs more than the rest of the check.
    @exclusivity(unchecked)
    public var faultInjection: FaultInjection? {
        didSet {
            guard !everInjected else { return }
            everInjected = true
            // The general path never parks a slab: a parked one settles first.
            for ci in 0..<maxCaches {
                if caches[ci].live { settleHotSlab(ci) }
                caches[ci].leaveFastPath()
            }
        }
    }
    @exclusivity(unchecked) private var everInjected = false

    /// The cache table: `cacheMask + 1` rows (`maxCaches` rounded up to a
    /// power of two, at least 2); rows from `maxCaches` on are never live.
    @usableFromInline let caches: UnsafeMutablePointer<CacheMeta>
    /// The table's row count minus one, times the row size: the inlined
    /// paths take a handle's row from the low bits of its key (the row's
    /// byte offset), which the row's key then checks (`CacheMeta.handleKey`).
    @usableFromInline let rowOffsetMask: UInt
    /// List heads and counts, three per cache (partial, full, empty).
    /// The block that holds `caches`, the list tables, `kmallocIndex`,
    /// `counters` and `kmallocLastRow`.
    let smallTables: SmallTables
    let listHeads: UnsafeMutablePointer<Int32>
    let listTails: UnsafeMutablePointer<Int32>
    let listCounts: UnsafeMutablePointer<Int>
    /// Slab metadata, indexed by head pfn.
    @usableFromInline let slabs: UnsafeMutablePointer<SlabMeta>
    /// One entry per 8-byte granule of the arena; an object's entry is that of
    /// the granule it starts in (`stateEntry(atOffset:)`: arena offset / 8;
    /// objects start on 8-byte boundaries, 8 or more bytes apart, so each
    /// object has its own entry): `freeObjectMark` for a free object of a
    /// slab (written when the slab is carved, cleared when it is released);
    /// for an object handed out, the kmalloc requested size, or
    /// `plainObjectMark` for objects of other caches (`isHandedOut`). The
    /// entries of granules where no object starts stay 0, so that a free
    /// object's mark alone places an address on an object boundary: the
    /// inlined allocation checks a next free pointer with it, without the
    /// boundary's multiplication.
    @usableFromInline let objectState: UnsafeMutablePointer<UInt16>
    /// The mapped size of `objectState`.
    let objectStateBytes: Int
    /// `objectState` moved back by `base / 8` entries (an address outside it,
    /// never dereferenced as such): the entry of the object at address `a`
    /// (inside the arena) is `objectStateByAddress[a / 8]`, so the inlined
    /// paths index the table by address without subtracting the arena's
    /// start (`stateEntry(at:)`).
    @usableFromInline let objectStateByAddress: UnsafeMutablePointer<UInt16>
    /// Per page, a hint for `kfree`: the address of the row (in the cache
    /// table) of the cache whose slab holds the page, or `noPageHint` (0).
    /// Kept by `newSlab` and `releaseSlab`. With it, the inlined `kfree`
    /// reads the cache row straight away, instead of the page mark, then
    /// the slab record, then the cache one after the other; the slab's head
    /// pfn follows from the page's with the row's `headPfnMask` (slabs are
    /// naturally aligned blocks of their cache's order). Only a hint: the
    /// fast path checks the slab record against it (the checks
    /// `putObjectFast` makes), so it never decides a result.
    @usableFromInline let pageHints: UnsafeMutablePointer<UInt>
    /// One byte per page: 1 once the page has been part of a cache's slab.
    /// Object-state entries are only ever written inside such pages, so a
    /// snapshot scans the entries of these pages only.
    let slabPageEver: UnsafeMutablePointer<UInt8>
    /// kmalloc size-class lookup, indexed by `(size + 7) / 8`.
    @usableFromInline let kmallocIndex: UnsafeMutablePointer<UInt8>
    /// The inlined `kmalloc`'s lookup: indexed by the size itself
    /// (1...`largestClassSize`), the byte offset in the cache table of the
    /// row of the smallest standard class that holds it
    /// (`kmallocRowOffsets`, shared by every layer).
    @usableFromInline let kmallocRowBySize: UnsafePointer<UInt16>
    /// The largest kmalloc class size (`kmallocClasses.last`, 0 when none).
    @usableFromInline let largestClassSize: Int
    /// [0]: the operation counter for owner tracking.
    let counters: UnsafeMutablePointer<UInt64>
    /// The address of the cache row the latest inlined `kmalloc` served, or
    /// of row 0 before any: the inlined `kfree` tries that row's hot slab
    /// first. Only a guess, read before the object's page is known (so the
    /// row's loads need not wait for the address), and checked as the page
    /// hint is: the free goes ahead only when the object is a handed-out
    /// object of that row's hot slab. In raw memory, written with no dynamic
    /// exclusivity check.
    @usableFromInline let kmallocLastRow: UnsafeMutablePointer<UInt>
    /// The spare slab record past the table's last (`slabs[pageCount]`): an
    /// empty record, never written, that the row of a cache without a hot
    /// slab points its `CacheMeta.hotRecord` at (the inlined paths change a
    /// record only after seeing a free head, or more than one object in use).
    var noHotRecord: UnsafeMutablePointer<SlabMeta> { slabs + pageAllocator.pageCount }
    /// Arena start, as an integer.
    @usableFromInline let base: UInt
    @usableFromInline let pageShift: Int
    /// Arena size in bytes.
    @usableFromInline let arenaBytes: UInt
    /// Whether ASan is present (checked once: the poison calls stay off the fast path otherwise).
    let asan: Bool
    /// Cache names, by index ("" for a free row). Read only off the hot paths.
    var names: [String]

    /// Read as signed 16-bit values, object-state entries (`objectState`)
    /// are positive for an object handed out (a kmalloc size up to 8192, or
    /// this mark), negative for a free object (`freeObjectMark`), 0 where
    /// no object starts: each test is one comparison with 0.
    @inlinable static var plainObjectMark: UInt16 { 0x7FFF }
    /// The entry of a free object (see `objectState`, `plainObjectMark`).
    @inlinable static var freeObjectMark: UInt16 { 0x8000 }
    /// Whether object-state entry `entry` is that of an object handed out.
    @inlinable @inline(__always)
    static func isHandedOut(_ entry: UInt16) -> Bool { Int16(bitPattern: entry) > 0 }
    /// Whether object-state entry `entry` is that of a free object.
    @inlinable @inline(__always)
    static func isFreeObject(_ entry: UInt16) -> Bool { Int16(bitPattern: entry) < 0 }
    /// A page in no cache slab: no row.
    @inlinable static var noPageHint: UInt { 0 }
    /// The largest cache table a layer accepts (`maxCaches`).
    public static let largestCacheTable = 1 << 16
    /// The kernel's kmalloc classes with 4 KiB pages.
    public static let standardKmallocClasses = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]

    /// For each size 0...8192, the byte offset (`index << CacheMeta.rowShift`)
    /// of the row of the smallest standard class that holds it: a layer's
    /// classes are a prefix of the standard ones at rows 0, 1, ..., so one
    /// table serves every layer (`kmallocRowBySize`), which reads only the
    /// sizes up to its largest class. Made once, never freed; 16 KiB.
    nonisolated(unsafe) static let kmallocRowOffsets: UnsafePointer<UInt16> = {
        let largest = standardKmallocClasses.last!
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: largest + 1)
        var index = 0
        for size in 0...largest {
            while standardKmallocClasses[index] < size { index += 1 }
            table[size] = UInt16(index << CacheMeta.rowShift)
        }
        return UnsafePointer(table)
    }()

    /// Puts a slab layer over `pageAllocator` and creates the kmalloc caches
    /// (`kmalloc-8` ... `kmalloc-8k`, the classes up to twice the page size
    /// that fit a top-order block) with `kmallocDebug` options.
    ///
    /// Refused: a page allocator that already has a slab layer
    /// (`pageAllocatorHasSlabLayer`: its page marks are that layer's), and a
    /// `maxCaches` that leaves no slot beside the kmalloc caches or exceeds
    /// `largestCacheTable` (`invalidCacheTableSize`). A table that cannot be
    /// allocated is `metadataAllocationFailed`.
    ///
    /// A non-nil `kmallocFreeListSecret` hardens the kmalloc caches' free
    /// lists as `createCache(freeListSecret:)` does, each class with its own
    /// key (the secret plus the class's index, mixed).
    public init(pageAllocator: PageAllocator, kmallocDebug: SlabDebugOptions = [], maxCaches: Int = 64,
                emptySlabsKept: Int = 2, kmallocFreeListSecret: UInt64? = nil) throws(SlabError) {
        let pageSize = pageAllocator.pageSize
        // Sized once: a fuzz target makes a slab layer per input.
        var classes: [Int] = []
        var layouts: [CacheMeta] = []
        classes.reserveCapacity(Self.standardKmallocClasses.count)
        layouts.reserveCapacity(Self.standardKmallocClasses.count)
        for size in Self.standardKmallocClasses where size <= 2 * pageSize {
            let secret = kmallocFreeListSecret.map { $0 &+ UInt64(classes.count) }
            guard let meta = try? CacheMeta.layout(objectSize: size, alignment: 8, flags: kmallocDebug, isKmalloc: true,
                                                   pageSize: pageSize, topOrder: pageAllocator.topOrder,
                                                   freeListSecret: secret) else { break }
            classes.append(size)
            layouts.append(meta)
        }
        guard !pageAllocator.hasSlabLayer else { throw .pageAllocatorHasSlabLayer }
        guard maxCaches > classes.count, maxCaches <= Self.largestCacheTable else {
            throw .invalidCacheTableSize(size: maxCaches, minimum: classes.count + 1, maximum: Self.largestCacheTable)
        }
        // The tables sized by the arena: allocated first, so that a failure is
        // a typed error with nothing left behind.
        let pageCount = pageAllocator.pageCount
        // One spare record past the last page's: `noHotRecord`.
        let slabTableBytes = (pageCount + 1) * MemoryLayout<SlabMeta>.stride
        guard let slabTable = PageAllocator.allocateTable(bytes: slabTableBytes) else {
            throw .metadataAllocationFailed(bytes: slabTableBytes)
        }
        guard let everTable = PageAllocator.allocateTable(bytes: pageCount) else {
            PageAllocator.releaseTable(slabTable, bytes: slabTableBytes)
            throw .metadataAllocationFailed(bytes: pageCount)
        }
        let hintBytes = pageCount * MemoryLayout<UInt>.stride
        guard let hintTable = PageAllocator.allocateTable(bytes: hintBytes) else {
            PageAllocator.releaseTable(slabTable, bytes: slabTableBytes)
            PageAllocator.releaseTable(everTable, bytes: pageCount)
            throw .metadataAllocationFailed(bytes: hintBytes)
        }
        // A zeroed table (an anonymous mapping): the operating system commits
        // zero pages only where slabs are used, and a new layer never pays to
        // clear it; `deinit` clears what this layer wrote before giving it back.
        let granules = (pageCount << pageAllocator.pageShift) >> 3
        let stateBytes = granules * MemoryLayout<UInt16>.stride
        guard let mapped = TablePool.shared.takeZeroed(bytes: stateBytes) else {
            PageAllocator.releaseTable(slabTable, bytes: slabTableBytes)
            PageAllocator.releaseTable(everTable, bytes: pageCount)
            PageAllocator.releaseTable(hintTable, bytes: hintBytes)
            throw .metadataAllocationFailed(bytes: stateBytes)
        }
        pageAllocator.hasSlabLayer = true
        self.pageAllocator = pageAllocator
        self.maxCaches = maxCaches
        self.emptySlabsKept = max(0, emptySlabsKept)
        self.kmallocClasses = classes
        self.kmallocMaximum = min(4 << 20, pageSize << pageAllocator.topOrder)
        self.defect = pageAllocator.defect
        self.base = UInt(bitPattern: pageAllocator.base)
        self.pageShift = pageAllocator.pageShift
        self.arenaBytes = UInt(pageAllocator.pageCount << pageAllocator.pageShift)
        self.asan = Sanitizer.isEnabled
        let rows = max(2, 1 << (Int.bitWidth - (maxCaches - 1).leadingZeroBitCount))
        precondition(MemoryLayout<CacheMeta>.stride == 1 << CacheMeta.rowShift, "a cache row is not 256 bytes")
        rowOffsetMask = UInt(rows - 1) << UInt(CacheMeta.rowShift)
        // The small tables share one block from the pool: a fuzz target makes
        // a layer per input, and a heap allocation each (under ASan, a stack
        // capture and a cold chunk out of the quarantine) cost more than the
        // layer's set-up itself.
        let largest = classes.last ?? 0
        let small = SmallTables(rows: rows, listSlots: maxCaches * 3, kmallocSlots: largest / 8 + 1)
        smallTables = small
        caches = small.base.bindMemory(to: CacheMeta.self, capacity: rows)
        caches.initialize(repeating: CacheMeta(), count: rows)
        for row in 0..<rows {
            caches[row].handleKey = CacheMeta.deadKey(row: row)
            caches[row].index = Int32(row)
        }
        listHeads = (small.base + small.listHeads).bindMemory(to: Int32.self, capacity: maxCaches * 3)
        listHeads.initialize(repeating: -1, count: maxCaches * 3)
        listTails = (small.base + small.listTails).bindMemory(to: Int32.self, capacity: maxCaches * 3)
        listTails.initialize(repeating: -1, count: maxCaches * 3)
        listCounts = (small.base + small.listCounts).bindMemory(to: Int.self, capacity: maxCaches * 3)
        listCounts.initialize(repeating: 0, count: maxCaches * 3)
        slabs = slabTable.bindMemory(to: SlabMeta.self, capacity: pageCount + 1)
        slabs.initialize(repeating: .empty, count: pageCount + 1)
        objectStateBytes = stateBytes
        objectState = mapped.bindMemory(to: UInt16.self, capacity: granules)
        objectStateByAddress = UnsafeMutablePointer(bitPattern: UInt(bitPattern: mapped)
            &- (UInt(bitPattern: pageAllocator.base) &>> 3) &* 2).unsafelyUnwrapped
        slabPageEver = everTable.bindMemory(to: UInt8.self, capacity: pageCount)
        slabPageEver.initialize(repeating: 0, count: pageCount)
        pageHints = hintTable.bindMemory(to: UInt.self, capacity: pageCount)
        pageHints.initialize(repeating: Self.noPageHint, count: pageCount)
        largestClassSize = largest
        kmallocIndex = (small.base + small.kmallocIndex).bindMemory(to: UInt8.self, capacity: largest / 8 + 1)
        var classIndex = 0
        for slot in 0...(largest / 8) {
            while classIndex < classes.count && classes[classIndex] < slot * 8 { classIndex += 1 }
            kmallocIndex[slot] = UInt8(min(classIndex, max(classes.count - 1, 0)))
        }
        kmallocRowBySize = Self.kmallocRowOffsets
        counters = (small.base + small.counters).bindMemory(to: UInt64.self, capacity: 1)
        counters.initialize(to: 0)
        kmallocLastRow = (small.base + small.kmallocLastRow).bindMemory(to: UInt.self, capacity: 1)
        kmallocLastRow.initialize(to: UInt(bitPattern: caches))
        names = Array(repeating: "", count: maxCaches)
        for (index, meta) in layouts.enumerated() {
            // The classes are a prefix of the standard ones.
            install(meta, name: Self.standardKmallocNames[index], at: index)
        }
        pageAllocator.slabLayer = self
    }

    /// A slab layer over a new page allocator of `pageCount` pages (with
    /// `defect` switched on in both, see `Defect`; leave it nil).
    public convenience init(pageCount: Int, pageSize: Int = 4096, topOrder: Int = 10,
                            kmallocDebug: SlabDebugOptions = [], defect: Defect? = nil) throws {
        try self.init(pageAllocator: PageAllocator(pageCount: pageCount, pageSize: pageSize, topOrder: topOrder,
                                                   defect: defect),
                      kmallocDebug: kmallocDebug)
    }

    deinit {
        let pageCount = pageAllocator.pageCount
        if givesPagesBackOnDeinit { releaseAllSlabs() }
        pageAllocator.slabLayer = nil
        pageAllocator.hasSlabLayer = false
        clearObjectState()
        TablePool.shared.giveZeroed(objectState, bytes: objectStateBytes)
        PageAllocator.releaseTable(slabs, bytes: (pageCount + 1) * MemoryLayout<SlabMeta>.stride)
        PageAllocator.releaseTable(slabPageEver, bytes: pageCount)
        PageAllocator.releaseTable(pageHints, bytes: pageCount * MemoryLayout<UInt>.stride)
        smallTables.release()
    }

    /// Whether `deinit` gives the layer's slabs and large kmalloc blocks back
    /// to the page allocator (`releaseAllSlabs`): true by default. A caller
    /// that drops the page allocator with the layer may set it to false to
    /// save a walk of the arena (a fuzz target's judge builds both per
    /// input); the layer's pages then stay marked as slab pages, lost to a
    /// page allocator that lives on.
    public var givesPagesBackOnDeinit = true

    /// Gives every slab and large kmalloc block back to the page allocator,
    /// which outlives this layer when its owner keeps it: its pages were
    /// otherwise lost to it for good (marked as slab pages, refused by
    /// `freePages`, reported by the checkers as naming no slab), and no
    /// other layer could be put over it. What the layer handed out is gone
    /// with it, as with any allocator. Not with a seeded defect on, whose
    /// broken state a release could walk into: the pages then stay marked.
    func releaseAllSlabs() {
        guard defect == nil else { return }
        var pfn = 0
        while pfn < pageAllocator.pageCount {
            let slab = slabs[pfn]
            // A record is written at a slab's head page only.
            // (The layer's own tables go with it: `deinit` clears the object
            // states it wrote and gives the tables back.)
            if slab.cache != SlabMeta.unused, pageAllocator.slabMark(atOffset: UInt(pfn << pageShift)) == Int32(pfn) {
                let order = Int(slab.order)
                slabs[pfn] = .empty
                pageAllocator.releaseSlabBlock(pfn, order: order)
                pfn += 1 << order
            } else {
                pfn += 1
            }
        }
    }

    /// Zeroes every object-state entry this layer wrote, so that the table
    /// goes back to the pool as it came (all zero). Only pages that ever
    /// held a slab have entries written (the snapshot relies on the same).
    func clearObjectState() {
        let perPage = 1 << (pageShift - 3)
        for page in 0..<pageAllocator.pageCount where slabPageEver[page] != 0 {
            (objectState + page * perPage).update(repeating: 0, count: perPage)
        }
    }

    static func kmallocName(_ size: Int) -> String {
        size >= 1024 && size % 1024 == 0 ? "kmalloc-\(size / 1024)k" : "kmalloc-\(size)"
    }

    /// `kmallocName` of each standard class, made once.
    static let standardKmallocNames = standardKmallocClasses.map(kmallocName)

    private func install(_ meta: CacheMeta, name: String, at index: Int) {
        let generation = caches[index].generation
        caches[index] = meta
        caches[index].generation = generation
        caches[index].index = Int32(index)
        // The general path is equivalent; the slab-layer defects live there.
        if defect?.isInSlabLayer == true || everInjected { caches[index].leaveFastPath() }
        caches[index].live = true
        caches[index].handleKey = CacheMeta.handleKey(row: index, generation: generation)
        caches[index].slabTableAddress = UInt(bitPattern: slabs)
        caches[index].noHotRecord = UInt(bitPattern: noHotRecord)
        caches[index].hotRecord = UInt(bitPattern: noHotRecord)
        caches[index].arenaBase = base
        caches[index].arenaPageShift = UInt8(pageShift)
        caches[index].setHotSlab(-1)
        names[index] = name
        for list in SlabList.allLists {
            listHeads[listSlot(index, list)] = -1
            listTails[listSlot(index, list)] = -1
            listCounts[listSlot(index, list)] = 0
        }
    }

    // MARK: Addresses

    @inlinable @inline(__always)
    func address(_ pointer: UnsafeMutableRawPointer) -> UInt { UInt(bitPattern: pointer) }

    @inlinable @inline(__always)
    func pointer(_ address: UInt) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: address).unsafelyUnwrapped
    }

    /// The object-state entry of the object that starts at arena offset `offset`.
    @inlinable @inline(__always)
    func stateEntry(atOffset offset: UInt) -> Int { Int(bitPattern: offset &>> 3) }

    /// The object-state entry of the object that starts at `objectAddress`
    /// (inside the arena): `objectState[stateEntry(atOffset: objectAddress - base)]`.
    @inlinable @inline(__always)
    func stateEntry(at objectAddress: UInt) -> UnsafeMutablePointer<UInt16> {
        objectStateByAddress + Int(bitPattern: objectAddress &>> 3)
    }

    /// The object-state entry of object `index` of slab `sid` of cache `ci`.
    @inline(__always)
    func stateSlot(_ sid: Int32, _ ci: Int, _ index: Int) -> Int {
        stateEntry(atOffset: (UInt(sid) << UInt(pageShift)) &+ UInt(caches[ci].objectOffset &+ index &* caches[ci].stride))
    }

    /// The free pointer that free object `object` of cache `ci` holds,
    /// decoded (see `storeFreePointer`).
    @inline(__always)
    func loadFreePointer(_ object: UnsafeMutableRawPointer, _ ci: Int) -> UInt {
        let meta = caches + ci
        let holder = object + meta.pointee.freePointerOffset
        let stored = holder.load(as: UInt.self)
        guard meta.pointee.hardened else { return stored }
        return stored ^ meta.pointee.freePointerKey ^ address(holder).byteSwapped
    }

    /// Stores `next` as the free pointer of free object `object` of cache
    /// `ci`. A hardened cache stores it as SLUB's hardened free list does:
    /// `next ^ key ^ byteSwapped(where it is stored)`, so the stored bits
    /// differ from slot to slot, the end of a chain (0) is not stored as 0,
    /// and a value written by someone who knows neither the key nor the
    /// slot decodes to an arbitrary pointer, which the checks on allocation
    /// refuse unless it happens to be a free object of the same slab.
    @inline(__always)
    func storeFreePointer(_ next: UInt, in object: UnsafeMutableRawPointer, _ ci: Int) {
        let meta = caches + ci
        let holder = object + meta.pointee.freePointerOffset
        let stored = meta.pointee.hardened ? next ^ meta.pointee.freePointerKey ^ address(holder).byteSwapped : next
        holder.storeBytes(of: stored, as: UInt.self)
    }

    /// The first object of slab `sid`, as an address.
    @inline(__always)
    func firstObject(_ sid: Int32, _ ci: Int) -> UInt {
        base &+ (UInt(sid) << UInt(pageShift)) &+ UInt(caches[ci].objectOffset)
    }

    /// The index of the object that starts `delta` bytes after a slab's first
    /// object (cache `ci`, `objects` objects), or -1 when no object starts there.
    /// Off the allocation paths, which test boundaries with `CacheMeta.isObjectStart`.
    func objectIndex(_ delta: UInt, _ ci: Int, objects: Int32) -> Int {
        let stride = caches[ci].stride
        guard stride > 0, objects > 0, delta < UInt(Int(objects) &* stride) else { return -1 }
        let index = Int(delta / UInt(stride))
        return index &* stride == Int(delta) ? index : -1
    }

    @inline(__always)
    func checkCache(_ cache: SlabCacheID) throws(SlabError) -> Int {
        let ci = Int(cache.index)
        guard isCurrent(cache) else { throw .unknownCache }
        return ci
    }

    /// Whether `cache` names a live cache: a slot in the table, live, of the
    /// handle's generation (a handle kept after `destroy` is not current).
    @inlinable @inline(__always)
    func isCurrent(_ cache: SlabCacheID) -> Bool {
        let ci = Int(cache.index)
        return UInt(bitPattern: ci) < UInt(bitPattern: maxCaches) && caches[ci].handleKey == cache.key
    }

    /// The row `cache` leads to on the inlined paths (its key's low bits:
    /// always a row of the table), or nil when the row's key is not the
    /// handle's: the same answer as `isCurrent`, without a bounds check.
    @inlinable @inline(__always)
    func currentRow(_ cache: SlabCacheID) -> UnsafeMutablePointer<CacheMeta>? {
        let offset = Int(bitPattern: UInt(truncatingIfNeeded: cache.key) & rowOffsetMask)
        let meta = (UnsafeMutableRawPointer(caches) + offset).assumingMemoryBound(to: CacheMeta.self)
        return meta.pointee.handleKey == cache.key ? meta : nil
    }

    /// The handle of the cache in slot `index`, with the slot's generation.
    func handle(_ index: Int) -> SlabCacheID { SlabCacheID(index, generation: caches[index].generation) }

    // MARK: Caches

    /// Creates a cache of `objectSize`-byte objects aligned to `alignment`
    /// (at least 8), with SLUB debug options. Its slab order is chosen as
    /// `CacheMeta.layout` explains; `info(_:)` reports it.
    ///
    /// A non-nil `freeListSecret` hardens the cache's free list (SLUB's
    /// CONFIG_SLAB_FREELIST_HARDENED): free pointers are stored obfuscated
    /// with a key derived from the secret (`storeFreePointer`). The layer's
    /// results are the same; such a cache takes the out-of-line paths. The
    /// secret is the caller's to choose (a fixed one keeps runs repeatable,
    /// a random one makes the key unguessable).
    public func createCache(name: String, objectSize: Int, alignment: Int = 8,
                            debug: SlabDebugOptions = [], freeListSecret: UInt64? = nil) throws(SlabError) -> SlabCacheID {
        let meta = try CacheMeta.layout(objectSize: objectSize, alignment: alignment, flags: debug, isKmalloc: false,
                                        pageSize: pageAllocator.pageSize, topOrder: pageAllocator.topOrder,
                                        freeListSecret: freeListSecret)
        guard let index = (0..<maxCaches).first(where: { !caches[$0].live }) else {
            throw .tooManyCaches(limit: maxCaches)
        }
        install(meta, name: name, at: index)
        return handle(index)
    }

    /// Returns every empty slab of the cache to the page allocator; the
    /// number of pages given back.
    @discardableResult
    public func shrink(_ cache: SlabCacheID) throws(SlabError) -> Int {
        let ci = try checkCache(cache)
        var pages = 0
        while case let sid = listHeads[listSlot(ci, .empty)], sid >= 0 {
            unlinkSlab(sid, ci)
            pages += 1 << Int(slabs[Int(sid)].order)
            releaseSlab(sid)
        }
        return pages
    }

    /// `shrink` for every cache; the number of pages given back.
    @discardableResult
    public func shrinkAll() -> Int {
        var pages = 0
        for index in 0..<maxCaches where caches[index].live {
            pages += (try? shrink(handle(index))) ?? 0
        }
        return pages
    }

    /// Destroys a cache and returns its slabs to the page allocator. Refused,
    /// with nothing freed, while any object is still handed out (SLUB reports
    /// these as leaks); kmalloc caches cannot be destroyed.
    public func destroy(_ cache: SlabCacheID) throws(SlabError) {
        let ci = try checkCache(cache)
        guard !caches[ci].isKmalloc else { throw .kmallocCacheNotDestroyable(name: names[ci]) }
        guard activeObjects(ci) == 0 else {
            throw .cacheHasLiveObjects(cache: names[ci], objects: liveObjects(ci))
        }
        for list in [SlabList.partial, .full, .empty] {
            for sid in slabIDs(ci, list) {
                unlinkSlab(sid, ci)
                releaseSlab(sid)
            }
        }
        let generation = caches[ci].generation
        caches[ci] = CacheMeta()
        caches[ci].handleKey = CacheMeta.deadKey(row: ci)
        caches[ci].index = Int32(ci)
        // Every handle to the destroyed cache goes stale, also once the slot is reused.
        caches[ci].generation = generation &+ 1
        names[ci] = ""
    }

    /// The addresses of the objects of cache `ci` that are handed out, ascending.
    func liveObjects(_ ci: Int) -> [UInt] {
        var objects: [UInt] = []
        for list in [SlabList.partial, .full] {
            for sid in slabIDs(ci, list) {
                let first = firstObject(sid, ci)
                for index in 0..<Int(slabs[Int(sid)].objects) where Self.isHandedOut(objectState[stateSlot(sid, ci, index)]) {
                    objects.append(first + UInt(index * caches[ci].stride))
                }
            }
        }
        return objects.sorted()
    }

    /// The objects of cache `ci` handed out: the sum of its slabs' in-use
    /// counts. Counted when asked (`info`, `destroy`, snapshots) rather
    /// than kept beside them, so that the fast paths update one count per
    /// operation (the slab's), not two.
    func activeObjects(_ ci: Int) -> Int {
        var count = 0
        for list in SlabList.allLists {
            forEachSlab(ci, list) { count += Int(slabs[Int($0)].inUse) }
        }
        return count
    }

    /// The handles of the live caches in slot order: the kmalloc caches
    /// first, then the others in the order they were created, except that a
    /// destroyed cache's slot is taken by the next cache created (so after a
    /// `destroy` the order is not creation order).
    public var cacheIDs: [SlabCacheID] {
        (0..<maxCaches).filter { caches[$0].live }.map { handle($0) }
    }

    /// The number of live caches (`cacheIDs.count`, without building the array).
    public var liveCacheCount: Int {
        var count = 0
        for ci in 0..<maxCaches where caches[ci].live { count += 1 }
        return count
    }

    /// The live cache whose handle has `index` (`SlabCacheID.index`), if any.
    public func cacheID(index: Int) -> SlabCacheID? {
        index >= 0 && index < maxCaches && caches[index].live ? handle(index) : nil
    }

    /// A cache's geometry and counters.
    public func info(_ cache: SlabCacheID) throws(SlabError) -> SlabCacheInfo {
        let ci = try checkCache(cache)
        let meta = caches[ci]
        // A parked slab (`isParked`) counts as the partial slab it is.
        let parked = parkedSlab(ci) >= 0 ? 1 : 0
        return SlabCacheInfo(
            name: names[ci], objectSize: meta.objectSize, alignment: meta.alignment, stride: meta.stride,
            order: meta.order, objectsPerSlab: meta.objectsPerSlab,
            leftoverBytesPerSlab: (pageAllocator.pageSize << meta.order) - meta.objectsPerSlab * meta.stride,
            debug: meta.flags, isKmalloc: meta.isKmalloc, activeObjects: activeObjects(ci),
            partialSlabs: listCounts[listSlot(ci, .partial)] + parked, fullSlabs: listCounts[listSlot(ci, .full)] - parked,
            emptySlabs: listCounts[listSlot(ci, .empty)])
    }

    // MARK: Objects

    /// Allocates an object of `cache`. `owner` is recorded when the cache
    /// tracks owners (debug option U).
    ///
    /// Takes the first free object of the slab the latest free left partial
    /// (so the object freed last comes back first), else of the first partial
    /// slab, else of an empty or new slab. The next free
    /// pointer is checked before it is followed (inside the slab, on an object
    /// boundary, an object that is not handed out, not the object itself),
    /// with or without debug options; a corrupt one fails the allocation with
    /// `.freePointerCorrupt` (nothing is handed out) after the slab's chain is
    /// rebuilt from the layer's record, so the cache keeps working and hands
    /// each free object out once. A cache created with a `freeListSecret`
    /// stores its free pointers obfuscated, so a stray write rarely decodes
    /// to a pointer that passes these checks. With consistency checks
    /// (F), broken poison or red zones of the object are reported and restored.
    @inlinable @inline(__always)
    public func allocate(_ cache: SlabCacheID, owner: UInt64 = 0) throws(SlabError) -> UnsafeMutableRawPointer {
        if let meta = currentRow(cache) {
            if let object = takeObjectFast(meta, mark: Self.plainObjectMark) { return object }
            if meta.pointee.hardenedLimit != 0, let object = takeHardenedObject(meta, mark: Self.plainObjectMark) {
                return object
            }
        }
        return try allocateSlow(cache, owner: owner)
    }

    /// Frees an object of `cache`. Refused, with nothing changed, when the
    /// address is in no slab, in another cache's slab, not at an object's
    /// start, already free, or (red zones on) when a red zone was overwritten.
    @inlinable @inline(__always)
    public func free(_ object: UnsafeMutableRawPointer, to cache: SlabCacheID, owner: UInt64 = 0) throws(SlabError) {
        if let meta = currentRow(cache), putHotObject(object, meta) || putObjectFast(object, meta) { return }
        try freeSlow(object, to: cache, owner: owner)
    }

    // MARK: Fast paths (inlined into callers)

    /// Allocation's common case: takes the first free object of cache `ci`'s
    /// hot slab and records `mark` for it. Serves only caches on the fast path
    /// (`CacheMeta.fastPath`, seen through `hotRecord`), and only when the
    /// object's next free pointer is the start of an object of the same slab
    /// that is not handed out (the check `allocateObject` makes), so the slab
    /// stays partial; the slab's last free object (a next free pointer of 0)
    /// goes to `takeLastObject`, out of line, with the slab's record already
    /// found. Returns nil, having changed nothing, in every other case.
    /// `meta` must be a row of the cache table.
    @inlinable @inline(__always)
    func takeObjectFast(_ meta: UnsafeMutablePointer<CacheMeta>, mark: UInt16) -> UnsafeMutableRawPointer? {
        // The hot slab is a partial slab of this cache (`CacheMeta.hotSlab`);
        // with none, `hotRecord` is the spare record (`noHotRecord`), whose head is 0.
        let slab = UnsafeMutablePointer<SlabMeta>(bitPattern: meta.pointee.hotRecord).unsafelyUnwrapped
        let head = slab.pointee.freeHead
        guard head != 0 else { return nil }
        let object = pointer(head)
        // Fast-path caches keep the free pointer at offset 0 and objects at
        // their slot's start (`CacheMeta.fastPath`).
        let next = object.load(as: UInt.self)
        // The slab's last free object: out of line, with the record found
        // (a record with a free head is the hot slab's; the spare has none).
        // Tested first: one test and branch on every allocation costs less
        // than the failed checks below on every last object (random frees
        // fill slabs often).
        if next == 0 { return takeLastObject(meta, slab, mark: mark) }
        // The head was checked when it became the head, so it is an object
        // start, free (its entry is `freeObjectMark`). Marked before `next`
        // is checked, so that a next equal to the head (a use-after-free
        // write of the object's own address, which would leave the
        // handed-out object at the head, to be handed out again) fails the
        // test of `next`'s entry (the general path refuses it); on failure
        // the entry goes back to free. `next` must be a word inside the hot
        // slab's objects (none off the fast path, where `fastLimit` is 0)
        // whose entry is a free object's: only a free object's start has
        // that entry, so no boundary test is needed.
        return takeHead(object, head, next: next, of: slab, first: meta.pointee.hotFirst, limit: meta.pointee.fastLimit,
                        mark: mark)
    }

    /// Hands out `object` (at address `head`), the first free object of
    /// `slab`, whose decoded next free pointer is `next`, when `next` is a
    /// free object's start among the words `limit` from `first` (the
    /// slab's first object); otherwise returns nil, having changed nothing.
    /// The check of `takeObjectFast` and `takeHardenedObject`.
    @inlinable @inline(__always)
    func takeHead(_ object: UnsafeMutableRawPointer, _ head: UInt, next: UInt, of slab: UnsafeMutablePointer<SlabMeta>,
                  first: UInt, limit: UInt, mark: UInt16) -> UnsafeMutableRawPointer? {
        let headEntry = stateEntry(at: head)
        headEntry.pointee = mark
        guard CacheMeta.isWordOffset(next &- first, below: limit), Self.isFreeObject(stateEntry(at: next).pointee) else {
            headEntry.pointee = Self.freeObjectMark
            return nil
        }
        slab.pointee.freeHead = next
        slab.pointee.inUse &+= 1
        return object
    }

    /// Free's most common case: returns `object` to cache `ci`'s hot slab
    /// when it is the start of a handed-out object of that slab (the checks
    /// `freeObject` makes: the hot slab is a partial slab of this cache) and
    /// the slab keeps another object handed out. The slab stays partial and
    /// hot, so no list changes. Returns false, having changed nothing, in
    /// every other case (`putObjectFast` serves frees into other slabs).
    /// `meta` must be a row of the cache table.
    @inlinable @inline(__always)
    func putHotObject(_ object: UnsafeMutableRawPointer, _ meta: UnsafeMutablePointer<CacheMeta>) -> Bool {
        // A word inside the hot slab's objects (none off the fast path, where
        // `fastLimit` is 0) of a slab with another object in use (none without
        // a hot slab: the spare record has nothing in use) ...
        guard CacheMeta.isWordOffset(address(object) &- meta.pointee.hotFirst, below: meta.pointee.fastLimit) else {
            return false
        }
        let slab = UnsafeMutablePointer<SlabMeta>(bitPattern: meta.pointee.hotRecord).unsafelyUnwrapped
        guard slab.pointee.inUse > 1 else { return false }
        // ... where a handed-out object starts: only such entries are positive.
        let state = stateEntry(at: address(object))
        guard Self.isHandedOut(state.pointee) else { return false }
        state.pointee = Self.freeObjectMark
        object.storeBytes(of: slab.pointee.freeHead, as: UInt.self)
        slab.pointee.freeHead = address(object)
        slab.pointee.inUse &-= 1
        return true
    }

    /// Free's common case: returns `object` to its slab when cache `ci` is on
    /// the fast path (seen through `fastLimit`), the object is the start of a
    /// handed-out object of a slab of that cache (the checks `freeObject`
    /// makes), and the slab keeps another object handed out (no move to the
    /// empty list). The slab becomes hot; a full one stays on the full list,
    /// parked (`isParked`), and a parked hot slab it replaces moves to the
    /// partial list out of line (`settleHotSlab`). Returns false, having
    /// changed nothing, in every other case.
    /// `meta` must be a row of the cache table.
    @inlinable @inline(__always)
    func putObjectFast(_ object: UnsafeMutableRawPointer, _ meta: UnsafeMutablePointer<CacheMeta>) -> Bool {
        let offset = address(object) &- base
        guard offset < arenaBytes else { return false }
        // Slabs are naturally aligned blocks of the cache's order: a slab of
        // this cache holding the address has its head at the aligned pfn.
        // The offset from that slab's start is then the offset's bits below
        // the slab's size (one mask, not the head's offset subtracted).
        let pfn = Int(bitPattern: offset &>> UInt(bitPattern: pageShift))
        return putObjectFast(object, offset: offset, delta: offset & meta.pointee.slabByteMask, meta,
                             sid: pfn & meta.pointee.headPfnMask, limitFirst: true)
    }

    /// `putObjectFast` for an object at arena offset `offset` (inside the
    /// arena), which the caller expects in slab `sid` (a head pfn) of cache
    /// row `meta`. Either may be wrong: the slab must be a
    /// partial or full slab of that cache and hold an object starting at `offset`.
    @inlinable @inline(__always)
    func putObjectFast(_ object: UnsafeMutableRawPointer, offset: UInt, _ meta: UnsafeMutablePointer<CacheMeta>,
                       sid: Int) -> Bool {
        putObjectFast(object, offset: offset, delta: offset &- UInt(bitPattern: sid) &<< UInt(bitPattern: pageShift),
                      meta, sid: sid)
    }

    /// `putObjectFast(_:offset:_:sid:)` given `delta`, the offset of the
    /// object from slab `sid`'s start (`offset` minus the slab's arena offset).
    /// `limitFirst` (a constant at each call) tests `fastLimit` before the
    /// slab's record is read, so that a cache off the fast path leaves after
    /// the fewest instructions: `free` passes true (a hardened cache comes
    /// here on every free), `kfree` false (its callers' loops compile to
    /// fewer instructions with the record read first).
    @inlinable @inline(__always)
    func putObjectFast(_ object: UnsafeMutableRawPointer, offset: UInt, delta: UInt, _ meta: UnsafeMutablePointer<CacheMeta>,
                       sid: Int, limitFirst: Bool = false) -> Bool {
        // Objects start at their slot's start on the fast path (`fastLimit`
        // is 0 off it): the offset from the slab's start is the offset from
        // its first object, and a word below the span lies inside this
        // slab's objects; its entry is positive only where a handed-out
        // object starts. Such an object keeps its slab on the partial or
        // full list, so the list needs no test.
        if limitFirst && !CacheMeta.isWordOffset(delta, below: meta.pointee.fastLimit) { return false }
        let slab = slabs + sid
        guard slab.pointee.cache == meta.pointee.index, slab.pointee.inUse > 1 else { return false }
        if !limitFirst && !CacheMeta.isWordOffset(delta, below: meta.pointee.fastLimit) { return false }
        let state = objectState + stateEntry(atOffset: offset)
        guard Self.isHandedOut(state.pointee) else { return false }
        // The hot slab this one replaces goes to the partial list first when
        // it is parked on the full list (`settleHotSlab`); a partial one
        // stays where it is. (The spare record is on no list.)
        if UnsafeMutablePointer<SlabMeta>(bitPattern: meta.pointee.hotRecord).unsafelyUnwrapped.pointee.list == .full {
            settleHotSlab(Int(meta.pointee.index))
        }
        state.pointee = Self.freeObjectMark
        object.storeBytes(of: slab.pointee.freeHead, as: UInt.self)
        slab.pointee.freeHead = address(object)
        slab.pointee.inUse &-= 1
        // `setHotSlab`, for a cache known to be on the fast path, from what is
        // at hand (the slab's record, and its first object, `delta` bytes
        // before this one). A full slab stays on the full list, parked
        // (`isParked`): the allocation that takes this object back, usually
        // the next one, then moves nothing either.
        meta.pointee.fastHotSlab = Int32(truncatingIfNeeded: sid)
        meta.pointee.hotRecord = UInt(bitPattern: slab)
        meta.pointee.hotFirst = address(object) &- delta
        return true
    }

    // MARK: General paths (out of line)

    @usableFromInline @inline(never)
    func allocateSlow(_ cache: SlabCacheID, owner: UInt64) throws(SlabError) -> UnsafeMutableRawPointer {
        let ci = try checkCache(cache)
        if _slowPath(faultInjection != nil) { try injectFault(ci) }
        return try allocateObject(ci, mark: Self.plainObjectMark, owner: owner)
    }

    @usableFromInline @inline(never)
    func freeSlow(_ object: UnsafeMutableRawPointer, to cache: SlabCacheID, owner: UInt64) throws(SlabError) {
        let ci = try checkCache(cache)
        if caches[ci].hardenedLimit != 0 && putHardenedObject(object, caches + ci) { return }
        try freeObject(object, expected: ci, owner: owner)
    }

    // A hardened cache's common cases, out of line, called only when the
    // row's `hardenedLimit` is set: `takeHardenedObject` by the inlined
    // `allocate` once its fast path has failed (a small frame, no second
    // check of the handle; a cache without a hardened free list pays one
    // test on its rare failures), `putHardenedObject` by `freeSlow` (called
    // from the inlined `free`, the test cost a caller's loop an instruction
    // on every free of every cache). Each does what `allocateObject` or
    // `freeObject` does for such a cache (which never parks a slab), with
    // the checks of the inlined fast paths, plus the free pointer's
    // decoding. Anything else, misuse included, returns nil or false having
    // changed nothing, and the general path that follows decides. (Fault
    // injection, once set, zeroes `hardenedLimit`, so skipping
    // `injectFault` changes nothing.)

    /// `allocateObject` for cache row `meta` when `hardenedLimit` is set, the hot
    /// slab is a partial slab of the cache and its head's next free pointer
    /// (decoded) is a free object of the same slab: the slab stays partial.
    /// The last free object (next 0) is left to the general path, which
    /// moves the slab to the full list.
    @usableFromInline @inline(never)
    func takeHardenedObject(_ meta: UnsafeMutablePointer<CacheMeta>, mark: UInt16) -> UnsafeMutableRawPointer? {
        // Not 0: the caller has tested it.
        let limit = meta.pointee.hardenedLimit
        // `partialSlab`'s test of the hot slab (a cache off the fast path never parks).
        let hot = meta.pointee.slowHotSlab
        guard hot >= 0 else { return nil }
        let slab = slabs + Int(truncatingIfNeeded: hot)
        guard slab.pointee.cache == meta.pointee.index, slab.pointee.list == .partial else { return nil }
        let head = slab.pointee.freeHead
        guard head != 0 else { return nil }
        // The free pointer is at the object's start (`hardenedLimit`), stored
        // as `storeFreePointer` stores it.
        let object = pointer(head)
        let next = object.load(as: UInt.self) ^ meta.pointee.freePointerKey ^ head.byteSwapped
        guard next != 0 else { return nil }
        // As in `takeObjectFast`: the head is marked first, so that a next
        // equal to the head fails the entry's test (undone on failure); a
        // word inside the slab's objects whose entry is a free object's is
        // a free object's start of this slab. Objects start at the slot's
        // start, so the first object is the slab's start.
        let first = base &+ UInt(bitPattern: Int(truncatingIfNeeded: hot)) &<< UInt(bitPattern: pageShift)
        return takeHead(object, head, next: next, of: slab, first: first, limit: limit, mark: mark)
    }

    /// `freeObject` for cache row `meta` when `hardenedLimit` is set and `object`
    /// is the start of a handed-out object of a partial slab of the cache
    /// that keeps another object handed out: no list moves; the slab
    /// becomes hot.
    @usableFromInline @inline(never)
    func putHardenedObject(_ object: UnsafeMutableRawPointer, _ meta: UnsafeMutablePointer<CacheMeta>) -> Bool {
        // Not 0: the caller has tested it.
        let limit = meta.pointee.hardenedLimit
        let objectAddress = address(object)
        let offset = objectAddress &- base
        guard offset < arenaBytes else { return false }
        // As `putObjectFast` finds and checks the slab (naturally aligned
        // blocks of the cache's order; objects at their slot's start).
        let sid = Int(bitPattern: offset &>> UInt(bitPattern: pageShift)) & meta.pointee.headPfnMask
        let slab = slabs + sid
        guard slab.pointee.cache == meta.pointee.index, slab.pointee.inUse > 1, slab.pointee.list == .partial,
              CacheMeta.isWordOffset(offset & meta.pointee.slabByteMask, below: limit) else { return false }
        let state = objectState + stateEntry(atOffset: offset)
        guard Self.isHandedOut(state.pointee) else { return false }
        state.pointee = Self.freeObjectMark
        // `storeFreePointer` for a hardened cache, holder at the object's start.
        object.storeBytes(of: slab.pointee.freeHead ^ meta.pointee.freePointerKey ^ objectAddress.byteSwapped, as: UInt.self)
        slab.pointee.freeHead = objectAddress
        slab.pointee.inUse &-= 1
        meta.pointee.slowHotSlab = Int32(truncatingIfNeeded: sid)
        return true
    }

    // The two list moves that the fast paths make, out of line so that the
    // inlined code stays small: the allocation that takes a partial slab's
    // last free object makes it full, and a parked hot slab that stops being
    // hot goes to the partial list (a random free into a full slab parks it
    // there as hot, `isParked`). Each is what `unlinkSlab` and `pushSlab` or
    // `pushSlabBack` do for that one move, written out for a cache on the
    // fast path, after the fast path has made every check.

    /// `takeObjectFast` for the hot slab's last free object: `slab` is cache
    /// `ci`'s hot slab's record (`hotRecord`), whose free head is an object
    /// (not 0) with a next free pointer of 0, as `takeObjectFast` has seen.
    /// The slab moves to the full list (`moveHotSlabToFull`), or, parked
    /// there already (`isParked`), stays; the partial list's head (or none)
    /// becomes hot. Out of line and separate, so that the inlined path keeps
    /// no values alive across a call (which costs it spilled registers).
    @usableFromInline @inline(never)
    func takeLastObject(_ meta: UnsafeMutablePointer<CacheMeta>, _ slab: UnsafeMutablePointer<SlabMeta>,
                        mark: UInt16) -> UnsafeMutableRawPointer {
        let ci = Int(meta.pointee.index)
        let head = slab.pointee.freeHead
        slab.pointee.freeHead = 0
        slab.pointee.inUse &+= 1
        stateEntry(at: head).pointee = mark
        if slab.pointee.list == .full {
            caches[ci].setFastHotSlab(listHeads[listSlot(ci, .partial)])
        } else {
            moveHotSlabToFull(meta.pointee.fastHotSlab, ci)
        }
        return pointer(head)
    }

    /// Moves slab `sid`, cache `ci`'s hot slab, which has just lost its last
    /// free object, from the partial list to the full list's front; the
    /// partial list's new head (or none) becomes hot.
    @inline(__always)
    func moveHotSlabToFull(_ sid: Int32, _ ci: Int) {
        let slab = slabs + Int(truncatingIfNeeded: sid)
        let partial = listSlot(ci, .partial)
        let next = slab.pointee.next
        let prev = slab.pointee.prev
        if prev >= 0 { slabs[Int(prev)].next = next } else { listHeads[partial] = next }
        if next >= 0 { slabs[Int(next)].prev = prev } else { listTails[partial] = prev }
        listCounts[partial] &-= 1
        caches[ci].setFastHotSlab(listHeads[partial])
        let full = listSlot(ci, .full)
        let first = listHeads[full]
        slab.pointee.next = first
        slab.pointee.prev = -1
        slab.pointee.list = .full
        if first >= 0 { slabs[Int(first)].prev = sid } else { listTails[full] = sid }
        listHeads[full] = sid
        listCounts[full] &+= 1
    }

    /// Moves slab `sid` of cache `ci`, which has got an object back, from
    /// the full list to the partial list's tail (`settleHotSlab`, for a
    /// parked hot slab that stops being hot; its hot slab is left alone).
    func moveFullSlabToPartial(_ sid: Int32, _ ci: Int) {
        let slab = slabs + Int(truncatingIfNeeded: sid)
        let full = listSlot(ci, .full)
        let next = slab.pointee.next
        let prev = slab.pointee.prev
        if prev >= 0 { slabs[Int(prev)].next = next } else { listHeads[full] = next }
        if next >= 0 { slabs[Int(next)].prev = prev } else { listTails[full] = prev }
        listCounts[full] &-= 1
        let partial = listSlot(ci, .partial)
        let last = listTails[partial]
        slab.pointee.prev = last
        slab.pointee.next = -1
        slab.pointee.list = .partial
        if last >= 0 { slabs[Int(last)].next = sid } else { listHeads[partial] = sid }
        listTails[partial] = sid
        listCounts[partial] &+= 1
    }

    /// Fault injection's turn for an allocation from cache `ci`.
    @inline(never)
    func injectFault(_ ci: Int) throws(SlabError) {
        if faultInjection!.shouldFail(order: nil) { throw .injectedFailure(cache: names[ci]) }
    }

    /// Allocation proper; `mark` is the object-state value to record.
    @inline(__always)
    func allocateObject(_ ci: Int, mark: UInt16, owner: UInt64) throws(SlabError) -> UnsafeMutableRawPointer {
        let sid = try partialSlab(ci)
        let slab = slabs + Int(sid)
        let objectAddress = slab.pointee.freeHead
        let object = pointer(objectAddress)
        let meta = caches + ci
        if asan { Sanitizer.unpoison(object - meta.pointee.objectOffset, meta.pointee.stride) }
        let next = loadFreePointer(object, ci)
        let first = firstObject(sid, ci)
        if next != 0 {
            if next == objectAddress || !meta.pointee.isObjectStart(next &- first)
                || objectState[stateEntry(atOffset: next &- base)] != Self.freeObjectMark {
                throw corruptFreePointer(sid, ci, holder: object, value: next)
            }
        }
        let flags = meta.pointee.flags
        if !flags.isEmpty && flags.contains(.consistencyChecks), let problem = checkFree(ci, object, restore: true) {
            if asan { Sanitizer.poison(object - meta.pointee.objectOffset, meta.pointee.stride) }
            // A slab that `refill` just moved here goes back where it was: nothing was handed out.
            if slab.pointee.inUse == 0 {
                unlinkSlab(sid, ci)
                pushSlab(sid, ci, .empty)
            }
            throw problem
        }
        slab.pointee.freeHead = next
        slab.pointee.inUse &+= 1
        if next == 0 {
            unlinkSlab(sid, ci)
            pushSlab(sid, ci, .full)
        }
        // The head was checked when it became the head, so it is an object start.
        objectState[stateEntry(atOffset: objectAddress &- base)] = mark
        if !flags.isEmpty { markAllocated(ci, object, requested: Int(mark), owner: owner) }
        return object
    }

    /// Freeing proper. `expected` is the cache the caller names, or -1 for
    /// any cache (kfree).
    @inline(__always)
    func freeObject(_ object: UnsafeMutableRawPointer, expected: Int, owner: UInt64) throws(SlabError) {
        let objectAddress = address(object)
        let offset = objectAddress &- base
        var sid: Int32
        if expected >= 0 && offset < arenaBytes {
            // The cache fixes the slab order, and slabs are naturally aligned
            // blocks: the head pfn follows from the address without reading
            // the page descriptor. A slab of this cache there covers the address.
            sid = Int32(truncatingIfNeeded: Int(bitPattern: offset &>> UInt(bitPattern: pageShift)) & caches[expected].headPfnMask)
            if slabs[Int(sid)].cache != Int32(expected) { sid = pageAllocator.slabMark(atOffset: offset) }
        } else {
            sid = pageAllocator.slabMark(atOffset: offset)
        }
        guard sid >= 0 else { throw .notInSlab(address: objectAddress) }
        let slab = slabs + Int(sid)
        let ci = Int(slab.pointee.cache)
        guard ci == expected || (expected < 0 && ci >= 0) || _slowPath(defect == .kfreeWrongCacheAccepted && ci >= 0) else {
            throw wrongCache(objectAddress, sid: sid, expected: expected)
        }
        let meta = caches + ci
        guard meta.pointee.isObjectStart(objectAddress &- firstObject(sid, ci)) else {
            throw notBoundary(objectAddress, sid: sid, ci: ci)
        }
        let state = stateEntry(atOffset: offset)
        guard Self.isHandedOut(objectState[state]) || _slowPath(defect == .doubleFreeUndetected) else {
            throw doubleFree(object, ci: ci)
        }
        let flags = meta.pointee.flags
        if !flags.isEmpty {
            if _fastPath(defect != .redzoneUnchecked),
               let problem = checkAllocated(ci, object, requested: Int(objectState[state])) { throw problem }
            if flags.contains(.ownerTracking) { writeOwner(ci, object, slot: 1, tag: owner) }
            markFree(ci, object)
        }
        objectState[state] = Self.freeObjectMark
        storeFreePointer(slab.pointee.freeHead, in: object, ci)
        slab.pointee.freeHead = objectAddress
        let inUse = slab.pointee.inUse &- 1
        if _fastPath(defect != .slabInuseStale) { slab.pointee.inUse = inUse }
        if asan { Sanitizer.poison(object - meta.pointee.objectOffset, meta.pointee.stride) }
        if inUse == 0 {
            unlinkSlab(sid, ci)
            if listCounts[listSlot(ci, .empty)] >= emptySlabsKept {
                releaseSlab(sid)
            } else {
                pushSlab(sid, ci, .empty)
            }
        } else {
            // A parked hot slab that stops being hot goes to the partial
            // list first. Only the fast paths park, and a cache leaving them
            // settles its parked slab (`faultInjection`), so a cache off them
            // (debug options, a hardened free list) skips the call.
            if meta.pointee.fastPath, meta.pointee.fastHotSlab != sid { settleHotSlab(ci) }
            if slab.pointee.list == .full {
                unlinkSlab(sid, ci)
                pushSlabBack(sid, ci, .partial)
            }
            meta.pointee.setHotSlab(sid)
        }
    }

    // MARK: Error construction (cold)

    @inline(never)
    func wrongCache(_ objectAddress: UInt, sid: Int32, expected: Int) -> SlabError {
        let actual = slabs[Int(sid)].cache
        let actualName = actual >= 0
            ? names[Int(actual)] : "a kmalloc page block of order \(slabs[Int(sid)].order)"
        return .wrongCache(address: objectAddress, expected: expected >= 0 ? names[expected] : "kmalloc", actual: actualName)
    }

    @inline(never)
    func notBoundary(_ objectAddress: UInt, sid: Int32, ci: Int) -> SlabError {
        let first = firstObject(sid, ci)
        let stride = UInt(caches[ci].stride)
        let last = UInt(slabs[Int(sid)].objects - 1)
        let index = objectAddress < first ? 0 : min((objectAddress - first) / stride, last)
        return .notObjectBoundary(address: objectAddress, cache: names[ci], nearestObject: first + index * stride)
    }

    @inline(never)
    func doubleFree(_ object: UnsafeMutableRawPointer, ci: Int) -> SlabError {
        let slot = object - caches[ci].objectOffset
        if asan { Sanitizer.unpoison(slot, caches[ci].stride) }
        let owners = owners(ci, object)
        if asan { Sanitizer.poison(slot, caches[ci].stride) }
        return .doubleFree(address: address(object), cache: names[ci], owners: owners)
    }

    /// Reports a corrupt free pointer met on allocation, after rebuilding the
    /// slab's chain so that the cache keeps working.
    @inline(never)
    func corruptFreePointer(_ sid: Int32, _ ci: Int, holder: UnsafeMutableRawPointer, value: UInt) -> SlabError {
        if asan { Sanitizer.poison(holder - caches[ci].objectOffset, caches[ci].stride) }
        rebuildFreeChain(sid)
        return .freePointerCorrupt(slabPfn: Int(sid), cache: names[ci], object: address(holder), value: value)
    }

    /// Rebuilds slab `sid`'s free chain from the layer's record of which
    /// objects are handed out (ascending order), fixes its in-use count and
    /// moves it to the list that matches. Free objects whose chain was cut
    /// are recovered, not leaked.
    func rebuildFreeChain(_ sid: Int32) {
        let slab = slabs + Int(sid)
        let ci = Int(slab.pointee.cache)
        let meta = caches[ci]
        let first = firstObject(sid, ci)
        var head: UInt = 0
        var free: Int32 = 0
        for index in stride(from: Int(slab.pointee.objects) - 1, through: 0, by: -1) {
            let object = first + UInt(index * meta.stride)
            let entry = stateSlot(sid, ci, index)
            guard !Self.isHandedOut(objectState[entry]) else { continue }
            objectState[entry] = Self.freeObjectMark
            let slot = pointer(object) - meta.objectOffset
            if asan { Sanitizer.unpoison(slot, meta.stride) }
            storeFreePointer(head, in: pointer(object), ci)
            if asan { Sanitizer.poison(slot, meta.stride) }
            head = object
            free += 1
        }
        slab.pointee.freeHead = head
        slab.pointee.inUse = slab.pointee.objects - free
        let wanted: SlabList = free == 0 ? .full : (free == slab.pointee.objects ? .empty : .partial)
        if slab.pointee.list != wanted {
            unlinkSlab(sid, ci)
            pushSlab(sid, ci, wanted)
        }
    }
}

/// One block from `TablePool` carved into the slab layer's small tables (its
/// cache rows first, 256 bytes each, then the list heads, tails and counts,
/// the kmalloc index by size, and two words), so that a new layer takes one
/// pooled block instead of seven heap allocations. Offsets are in bytes from
/// `base`; every table starts on a multiple of its element's alignment, and
/// under ASan a poisoned red zone lies between two tables (`TableLayout`).
struct SmallTables {
    let base: UnsafeMutableRawPointer
    let bytes: Int
    let listHeads: Int
    let listTails: Int
    let listCounts: Int
    let counters: Int
    let kmallocLastRow: Int
    let kmallocIndex: Int
    private let rows: Int
    private let listSlots: Int
    private let kmallocSlots: Int

    /// How many tables the block holds.
    static let tableCount = 7

    /// Table `k`'s offset and size, in block order: the cache rows, the list
    /// heads, tails and counts, the counter, the last kmalloc row, the kmalloc index.
    func table(_ k: Int) -> (offset: Int, size: Int) {
        let offset: Int
        switch k {
        case 0: offset = 0
        case 1: offset = listHeads
        case 2: offset = listTails
        case 3: offset = listCounts
        case 4: offset = counters
        case 5: offset = kmallocLastRow
        default: offset = kmallocIndex
        }
        return (offset, Self.size(k, rows: rows, listSlots: listSlots, kmallocSlots: kmallocSlots))
    }

    private static func size(_ k: Int, rows: Int, listSlots: Int, kmallocSlots: Int) -> Int {
        switch k {
        case 0: return rows * MemoryLayout<CacheMeta>.stride
        case 1, 2: return listSlots * MemoryLayout<Int32>.stride
        case 3: return listSlots * MemoryLayout<Int>.stride
        case 4, 5: return MemoryLayout<UInt64>.stride
        default: return kmallocSlots
        }
    }

    private static func alignment(_ k: Int) -> Int {
        switch k {
        case 0: return MemoryLayout<CacheMeta>.alignment
        case 1, 2: return MemoryLayout<Int32>.alignment
        case 3, 4, 5: return MemoryLayout<Int>.alignment
        default: return 1
        }
    }

    init(rows: Int, listSlots: Int, kmallocSlots: Int) {
        (self.rows, self.listSlots, self.kmallocSlots) = (rows, listSlots, kmallocSlots)
        var layout = TableLayout()
        func place(_ k: Int) -> Int {
            layout.place(Self.size(k, rows: rows, listSlots: listSlots, kmallocSlots: kmallocSlots), alignment: Self.alignment(k))
        }
        _ = place(0)
        (listHeads, listTails, listCounts) = (place(1), place(2), place(3))
        (counters, kmallocLastRow, kmallocIndex) = (place(4), place(5), place(6))
        bytes = layout.bytes
        // As `allocate(capacity:)` did for each table: out of memory traps.
        guard let block = TablePool.shared.take(bytes: bytes) else {
            fatalError("cannot allocate \(bytes) bytes for the slab layer's tables")
        }
        precondition(Int(bitPattern: block) % MemoryLayout<CacheMeta>.alignment == 0, "a cache row is misaligned")
        // Released without deinitialising: the rows must hold no references.
        precondition(_isPOD(CacheMeta.self), "a cache row holds references")
        base = block
        TableLayout.poisonBlock(block, bytes: bytes)
        for k in 0..<Self.tableCount {
            let t = table(k)
            TableLayout.expose(block + t.offset, size: t.size)
        }
    }

    /// Gives the block back to the pool (every table in it is plain data).
    func release() { TablePool.shared.give(base, bytes: bytes) }
}
