/// The slab layer's part of an `AllocatorSnapshot`, in plain data (filled in
/// by allocators that have a slab layer; empty otherwise).
///
/// Contract for producers:
/// - Byte positions are offsets from the start of the arena (page frame 0),
///   so two snapshots of the same state compare equal.
/// - `caches` lists the live caches in slot order (`SlabAllocator.cacheIDs`); `SlabRecord.cache`
///   indexes it (or is -1 for a large kmalloc block, see `SlabRecord`).
/// - `slabs` is sorted by `basePfn`; `PageRecord.slab` indexes it.
/// - `freeChain` is read from the objects' memory, not from bookkeeping, so a
///   corrupted free pointer shows up here exactly as it is stored.
/// - `liveObjects` comes from the layer's own record of which objects are
///   handed out, sorted by offset; `slab` is the slab that the page mark of
///   the object's page names (-1 when the page carries no mark).
public struct SlabLayerSnapshot: Equatable, Sendable {
    public var caches: [SlabCacheRecord]
    public var slabs: [SlabRecord]
    public var liveObjects: [SlabObjectRecord]
    /// The kmalloc size classes in ascending order (object sizes in bytes).
    public var kmallocClasses: [Int]
    /// How many owner records (debug option U) the layer has written: no
    /// checker reads it, but a refused call must leave it as it was, as it
    /// must every other part of the snapshot (a free refused for a broken
    /// red zone that still records its caller as the object's freer).
    public var ownerRecordsWritten: UInt64
    /// Records a refill in place (`SlabAllocator.snapshot(into:)`) no longer
    /// needed, kept with their lists and chains for the next refill: freeing
    /// them and allocating others at the next snapshot that needs more would
    /// leave that fuzz execution with more heap allocations than frees, and
    /// libFuzzer runs such an input a second time, looking for a leak. Not
    /// part of the snapshot's value (`==` ignores them).
    package var spareSlabs: [SlabRecord] = []
    package var spareCaches: [SlabCacheRecord] = []

    public static func == (lhs: SlabLayerSnapshot, rhs: SlabLayerSnapshot) -> Bool {
        lhs.caches == rhs.caches && lhs.slabs == rhs.slabs && lhs.liveObjects == rhs.liveObjects
            && lhs.kmallocClasses == rhs.kmallocClasses && lhs.ownerRecordsWritten == rhs.ownerRecordsWritten
    }

    /// Makes this layer equal to `other` in its own storage: each record's
    /// lists and chain copied into the record's arrays, records added from
    /// and given back to the spares. So a snapshot kept from one fuzz
    /// execution to the next shares no buffer with anything that execution
    /// frees, and allocates only what it has never held before.
    package mutating func assign(_ other: SlabLayerSnapshot) {
        Self.resize(&caches, to: other.caches.count, spares: &spareCaches, blank: SlabCacheRecord(
            name: "", objectSize: 0, stride: 0, objectOffset: 0, order: 0, objectsPerSlab: 0, isKmalloc: false,
            activeObjects: 0, partialSlabs: [], fullSlabs: [], emptySlabs: []))
        for (index, record) in other.caches.enumerated() {
            // Every field from `record`; its lists copied into this record's own arrays.
            var lists = (caches[index].partialSlabs, caches[index].fullSlabs, caches[index].emptySlabs)
            caches[index] = record
            lists.0.replaceContents(with: record.partialSlabs)
            lists.1.replaceContents(with: record.fullSlabs)
            lists.2.replaceContents(with: record.emptySlabs)
            (caches[index].partialSlabs, caches[index].fullSlabs, caches[index].emptySlabs) = lists
        }
        Self.resize(&slabs, to: other.slabs.count, spares: &spareSlabs, blank: SlabRecord(
            basePfn: 0, order: 0, cache: 0, objects: 0, stride: 0, objectSize: 0, inUse: 0, freeChain: [],
            freeChainTerminated: true))
        for (index, record) in other.slabs.enumerated() {
            // Every field from `record`; its chain copied into this record's own array.
            var chain = slabs[index].freeChain
            slabs[index] = record
            chain.replaceContents(with: record.freeChain)
            slabs[index].freeChain = chain
        }
        liveObjects.replaceContents(with: other.liveObjects)
        kmallocClasses.replaceContents(with: other.kmallocClasses)
        ownerRecordsWritten = other.ownerRecordsWritten
    }

    /// `records` given `count` elements: the last ones moved to `spares`, or
    /// taken from them (`blank` when there are none); every field of a
    /// record taken is the caller's to set.
    private static func resize<Record>(_ records: inout [Record], to count: Int, spares: inout [Record],
                                       blank: @autoclosure () -> Record) {
        while records.count > count { spares.append(records.removeLast()) }
        while records.count < count { records.append(spares.popLast() ?? blank()) }
    }

    /// An empty slab layer (what a page-only allocator reports).
    public init() {
        self.init(caches: [], slabs: [], liveObjects: [], kmallocClasses: [])
    }

    public init(caches: [SlabCacheRecord], slabs: [SlabRecord], liveObjects: [SlabObjectRecord], kmallocClasses: [Int],
                ownerRecordsWritten: UInt64 = 0) {
        self.caches = caches
        self.slabs = slabs
        self.liveObjects = liveObjects
        self.kmallocClasses = kmallocClasses
        self.ownerRecordsWritten = ownerRecordsWritten
    }
}

/// One cache: its geometry and its lists of slabs.
///
/// Object `i` of a slab of this cache starts at byte
/// `basePfn * pageSize + objectOffset + i * stride`, for `i` in `0..<objectsPerSlab`.
public struct SlabCacheRecord: Equatable, Sendable {
    public var name: String
    /// Bytes a caller may use in one object.
    public var objectSize: Int
    /// Distance between consecutive objects (object plus red zones, free
    /// pointer, owner records and padding).
    public var stride: Int
    /// Bytes from the start of an object's slot to the object (the left red zone).
    public var objectOffset: Int
    /// Every slab of this cache is a block of `2^order` pages.
    public var order: Int
    public var objectsPerSlab: Int
    /// Whether this is one of the kmalloc size-class caches.
    public var isKmalloc: Bool
    /// The cache's own count of objects handed out.
    public var activeObjects: Int
    /// Slab indices (into `SlabLayerSnapshot.slabs`) on the partial, full and
    /// empty lists, in list order.
    public var partialSlabs: [Int]
    public var fullSlabs: [Int]
    public var emptySlabs: [Int]
    /// The slab the cache allocates from next (an index into
    /// `SlabLayerSnapshot.slabs`), or -1 for none, and whether it is parked
    /// (on the full list with a free object, listed in `partialSlabs`, where
    /// it goes once it stops being hot). No checker reads them; a refused
    /// call must leave them as they were, as it must the rest.
    public var hotSlab: Int
    public var hotSlabParked: Bool

    public init(
        name: String, objectSize: Int, stride: Int, objectOffset: Int, order: Int, objectsPerSlab: Int,
        isKmalloc: Bool, activeObjects: Int, partialSlabs: [Int], fullSlabs: [Int], emptySlabs: [Int],
        hotSlab: Int = -1, hotSlabParked: Bool = false
    ) {
        self.name = name
        self.objectSize = objectSize
        self.stride = stride
        self.objectOffset = objectOffset
        self.order = order
        self.objectsPerSlab = objectsPerSlab
        self.isKmalloc = isKmalloc
        self.activeObjects = activeObjects
        self.partialSlabs = partialSlabs
        self.fullSlabs = fullSlabs
        self.emptySlabs = emptySlabs
        self.hotSlab = hotSlab
        self.hotSlabParked = hotSlabParked
    }
}

/// One slab: a block of `2^order` pages carved into objects.
///
/// A large kmalloc (above the largest size class) is recorded here too, with
/// `cache == -1`: a block of `2^order` pages holding one object at its start,
/// `objects == 1`, `stride == objectSize ==` the block size, no free chain.
public struct SlabRecord: Equatable, Sendable {
    public var basePfn: Int
    public var order: Int
    /// Index into `SlabLayerSnapshot.caches`, or -1 for a large kmalloc block.
    public var cache: Int
    public var objects: Int
    public var stride: Int
    public var objectSize: Int
    /// The slab's own count of objects handed out.
    public var inUse: Int
    /// Offsets of the free objects, in chain order, as the free pointers in
    /// memory say (each may be anything if memory was corrupted).
    public var freeChain: [Int]
    /// False when the walk stopped before the end of the chain: after
    /// `objects + 1` steps (a cycle), or at a pointer that is not an object of
    /// the slab (recorded as the chain's last entry, and not followed).
    public var freeChainTerminated: Bool

    public init(
        basePfn: Int, order: Int, cache: Int, objects: Int, stride: Int, objectSize: Int, inUse: Int,
        freeChain: [Int], freeChainTerminated: Bool
    ) {
        self.basePfn = basePfn
        self.order = order
        self.cache = cache
        self.objects = objects
        self.stride = stride
        self.objectSize = objectSize
        self.inUse = inUse
        self.freeChain = freeChain
        self.freeChainTerminated = freeChainTerminated
    }
}

/// One object handed out by the slab layer.
public struct SlabObjectRecord: Equatable, Sendable {
    /// Offset of the object's first usable byte from the arena start.
    public var offset: Int
    /// Index into `SlabLayerSnapshot.slabs` named by the page mark, or -1.
    public var slab: Int
    /// For kmalloc objects, the size the caller asked for; nil otherwise.
    public var requestedBytes: Int?

    public init(offset: Int, slab: Int, requestedBytes: Int?) {
        self.offset = offset
        self.slab = slab
        self.requestedBytes = requestedBytes
    }
}
