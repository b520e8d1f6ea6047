/// A handle to a cache of a `SlabAllocator`: an index into its cache table
/// and the generation of that slot when the cache was created.
///
/// Destroying a cache advances its slot's generation, so a handle kept after
/// `destroy` is refused with `unknownCache` even once another cache reuses
/// the slot, and it never equals the new cache's handle. (The generation is
/// 32 bits: a slot would have to be reused 2^32 times for a stale handle to
/// match again.)
public struct SlabCacheID: Hashable, Sendable, CustomStringConvertible {
    /// The generation (high 32 bits) and the byte offset of the slot's row
    /// in the cache table (`index << CacheMeta.rowShift`, low 32 bits; a
    /// table has at most 2^16 rows) as one word: what a live cache's
    /// `CacheMeta.handleKey` equals, and what the inlined paths find the
    /// row from without shifting the index.
    @usableFromInline let key: UInt64
    public var index: Int32 { Int32(truncatingIfNeeded: (key & 0xFFFF_FFFF) &>> UInt64(CacheMeta.rowShift)) }
    public var generation: UInt32 { UInt32(truncatingIfNeeded: key &>> 32) }
    init(_ index: Int, generation: UInt32) {
        key = UInt64(UInt32(truncatingIfNeeded: index &<< CacheMeta.rowShift)) | UInt64(generation) &<< 32
    }
    public var description: String { generation == 0 ? "cache #\(index)" : "cache #\(index) (generation \(generation))" }
}

/// A cache's geometry and counters, as a caller may read them.
public struct SlabCacheInfo: Equatable, Sendable {
    public var name: String
    public var objectSize: Int
    public var alignment: Int
    /// Bytes from one object to the next (object, red zones, metadata, padding).
    public var stride: Int
    /// Each slab is a block of `2^order` pages.
    public var order: Int
    public var objectsPerSlab: Int
    /// Bytes of a slab that no object uses (`pageSize << order - objectsPerSlab * stride`).
    public var leftoverBytesPerSlab: Int
    public var debug: SlabDebugOptions
    public var isKmalloc: Bool
    public var activeObjects: Int
    public var partialSlabs: Int
    public var fullSlabs: Int
    public var emptySlabs: Int
    public var slabs: Int { partialSlabs + fullSlabs + emptySlabs }
}

/// One row of the cache table: geometry fixed at creation, plus counters.
///
/// Slot layout, offsets relative to the object's first byte (the address a
/// caller gets); a slot starts `objectOffset` bytes before it:
///
///     [-objectOffset, 0)        left red zone (Z), else empty
///     [0, objectSize)           the object
///     [objectSize, +rightRedZone) right red zone (Z)
///     [slackStart, slackEnd)    word-alignment slack after the object (no Z)
///     freePointerOffset         8-byte free pointer: 0 (inside the object)
///                               unless poisoning or the object is smaller than a word
///     [trackOffset, +32)        owner records, allocation then free (U)
///     [paddingStart, paddingEnd) padding up to the stride
@usableFromInline
struct CacheMeta {
    // Read by the fast paths (`allocate`/`free` inlined into callers): first,
    // so that they lie close together at the row's start.

    /// The address of the hot slab's record (`SlabMeta`) when `fastPath` and
    /// there is a hot slab, else `noHotRecord` (no free object, nothing in
    /// use), so that the inlined paths read a record without testing for
    /// none: the allocation's gate (a free head) and the free's (more than
    /// one object in use) both fail on it. 0 in a row never installed.
    @usableFromInline var hotRecord: UInt = 0
    /// The address of the hot slab's first object when `hotRecord` is a
    /// slab's (fast-path caches keep objects at their slot's start), else 0:
    /// the inlined free places an object in the hot slab from
    /// `object - hotFirst` (see `fastLimit`), without finding the slab
    /// first, and the inlined allocation a next free pointer.
    @usableFromInline var hotFirst: UInt = 0
    /// `span / 8` when `fastPath`, else 0: the inlined paths place an
    /// address inside the objects of a slab of this cache (the hot slab from
    /// `hotFirst`, another from its start) with one rotation and comparison
    /// (`isWordOffset`), which also keeps them off caches not on the fast
    /// path; the object-state entry then tells whether an object starts
    /// there and is handed out (positive entries: a free) or free (negative
    /// entries: allocation's next free pointer); no other granule has
    /// either (`SlabAllocator.objectState`). With no hot slab `hotFirst` is
    /// 0 and the free's test may pass (for an address below the span), but
    /// the spare record's in-use count, tested next, then fails it.
    @usableFromInline var fastLimit: UInt = 0
    /// `hotSlab` when `fastPath` (its only copy), else -1.
    @usableFromInline var fastHotSlab: Int32 = -1
    /// The row's index in the cache table (the cache index that slab records
    /// hold), for the inlined paths, which hold the row's address.
    @usableFromInline var index: Int32 = 0
    /// The slab allocation takes from: always a slab on this cache's partial
    /// list, or -1 exactly when that list is empty. The most recent free that
    /// leaves its slab partial makes that slab hot, so the object freed last is
    /// handed out next (its memory and its slab's record are still in the CPU
    /// cache), as glibc's LIFO bins do; when the hot slab leaves the partial
    /// list, the list's head takes over. Kept by `pushSlab`, `pushSlabBack`,
    /// `unlinkSlab` and `free` (through `setHotSlab`), so the inlined
    /// allocation uses it without re-checking (it only needs a non-zero free
    /// head); the general path checks it before use, and `validate` reports
    /// a broken one. Stored in `fastHotSlab` on the fast path, else in
    /// `slowHotSlab`.
    var hotSlab: Int32 { fastPath ? fastHotSlab : slowHotSlab }
    /// `pageSize << order - 1`: an arena offset's low bits within its slab.
    @usableFromInline var slabByteMask: UInt = 0
    /// Divisibility by the stride without dividing (Hacker's Delight, "test
    /// for zero remainder after division by a constant"):
    /// with `stride = odd << strideTwos`, `delta` is a multiple of the stride
    /// exactly when `(delta * strideInverse)` rotated right by `strideTwos`
    /// is at most `strideLimit`. `strideInverse` is the odd part's inverse
    /// modulo 2^64, `strideLimit` is `UInt.max / stride`.
    @usableFromInline var strideInverse: UInt = 0
    @usableFromInline var strideLimit: UInt = 0
    /// Clears the low bits of a pfn down to the head of its naturally aligned
    /// slab (`~(2^order - 1)`).
    @usableFromInline var headPfnMask = 0
    /// `span / 8` for a hardened cache that is otherwise as a fast-path
    /// cache would be (no debug options, objects and free pointers at their
    /// slot's start, no ASan, no slab-layer defect, no fault injection),
    /// else 0: `SlabAllocator.takeHardenedObject` and `putHardenedObject`,
    /// out of line, serve such a cache's common cases with the fast paths'
    /// checks (`isWordOffset` against it, then the object-state entry), and
    /// 0 keeps every other cache off them. The inlined paths never serve a
    /// hardened cache (its `fastLimit` is 0 and `hotRecord` the spare).
    @usableFromInline var hardenedLimit: UInt = 0
    /// Unused: keeps a row at 256 bytes (`rowShift`) now that the count of
    /// objects handed out is summed from the slabs when asked
    /// (`SlabAllocator.activeObjects`).
    var spare: UInt = 0
    /// The key (`SlabCacheID.key`) of the row's current handle while the
    /// cache is live, else `deadKey(row)`, which no handle's key equals:
    /// `isCurrent` makes one comparison for liveness and generation. As the
    /// key holds the handle's whole index, the inlined paths may find the
    /// row from the index's low bits alone (`SlabAllocator.rowOffsetMask`)
    /// without bounds-checking it: a handle with other high bits does not
    /// match the row they lead to.
    @usableFromInline var handleKey: UInt64 = 0
    /// The slot's generation: advanced by `destroy`, kept across reuse, so a
    /// handle from before a destroy no longer matches (`SlabCacheID`).
    @usableFromInline var generation: UInt32 = 0

    /// The cache is live, has no debug options (so objects start at their
    /// slot's start), keeps its free pointer at offset 0 (objects of 8 bytes
    /// or more) in plain form (not `hardened`), and ASan is absent: the inlined fast paths may serve it
    /// (through `fastHotSlab` and `fastLimit`), and rely on those offsets.
    /// Anything else takes the general path.
    var fastPath = false
    /// What `setHotSlab` needs to find `hotRecord` and `hotFirst` from a slab
    /// id: the arena's page shift, the slab table's address and the arena's
    /// (set when the row is installed). The shift is a byte beside
    /// `fastPath`, in padding, so that a row stays 256 bytes.
    var arenaPageShift: UInt8 = 0
    /// The stride's trailing zero bits (`isStrideMultiple`); a byte, in
    /// padding, like the two around it.
    @usableFromInline var strideTwos: UInt8 = 0
    /// Whether stored free pointers are obfuscated (`freePointerKey`), as
    /// SLUB's CONFIG_SLAB_FREELIST_HARDENED does. Such a cache is off the
    /// inlined fast paths, so caches without it pay nothing for it.
    var hardened = false
    var slabTableAddress: UInt = 0
    /// The address of the layer's spare slab record, one past the slab
    /// table's last: empty, and never written (`SlabAllocator.noHotRecord`).
    var noHotRecord: UInt = 0
    var arenaBase: UInt = 0
    var freePointerOffset = 0
    /// The per-cache secret a hardened cache mixes into every stored free
    /// pointer (`SlabAllocator.encodeFreePointer`); 0 otherwise.
    var freePointerKey: UInt = 0
    var objectOffset = 0
    var stride = 0
    /// `objectsPerSlab * stride`: offsets from a slab's first object below it
    /// lie inside the slab's objects.
    var span: UInt = 0
    @usableFromInline var live = false
    var isKmalloc = false
    var flags: SlabDebugOptions = []
    var objectSize = 0
    var alignment = 8
    var rightRedZone = 0
    var slackStart = 0
    var slackEnd = 0
    var trackOffset = 0
    var paddingStart = 0
    var paddingEnd = 0
    var order = 0
    var objectsPerSlab = 0
    var slowHotSlab: Int32 = -1
    /// A row is `1 << rowShift` bytes (256; `SlabAllocator.init` checks it):
    /// a handle's key holds its row's byte offset.
    @usableFromInline static var rowShift: Int { 8 }

    @usableFromInline init() {}

    /// The `handleKey` of a live cache in row `row` whose handles carry `generation`.
    static func handleKey(row: Int, generation: UInt32) -> UInt64 { SlabCacheID(row, generation: generation).key }

    /// The `handleKey` of row `row` while no cache is live there: an index
    /// of `row ^ 1`, which differs from `row` in its lowest bit, so no handle
    /// that leads to this row (index or index's low bits equal to `row`,
    /// with a table of at least two rows) has this key.
    static func deadKey(row: Int) -> UInt64 { SlabCacheID(row ^ 1, generation: 0).key }

    /// Whether an object of a slab of this cache starts `delta` bytes after
    /// the slab's first object (`delta` may be any value, e.g. a wrapped
    /// negative difference). One multiplication, no division.
    @inline(__always)
    func isObjectStart(_ delta: UInt) -> Bool { delta < span && isStrideMultiple(delta) }

    @inlinable @inline(__always)
    func isStrideMultiple(_ delta: UInt) -> Bool {
        let product = delta &* strideInverse
        let twos = UInt(truncatingIfNeeded: strideTwos)
        return (product &>> twos | product &<< (64 &- twos)) <= strideLimit
    }

    /// Whether `delta` (any value, e.g. a wrapped negative difference) is a
    /// multiple of 8 below `limit * 8`: rotated right by 3, a multiple of 8
    /// is `delta / 8`, any other value has one of its top 3 bits set, which
    /// no limit reaches (a limit is a span over 8). An object-state entry
    /// is then that of an address where an object may start.
    @inlinable @inline(__always)
    static func isWordOffset(_ delta: UInt, below limit: UInt) -> Bool { (delta &>> 3 | delta &<< 61) < limit }

    /// Takes the cache off the inlined fast paths for good (they then serve
    /// none of its calls; the general path serves them all, equivalently).
    mutating func leaveFastPath() {
        if fastPath { slowHotSlab = fastHotSlab }
        fastPath = false
        fastLimit = 0
        hardenedLimit = 0
        fastHotSlab = -1
        hotRecord = noHotRecord
        hotFirst = 0
    }

    /// Makes `sid` the hot slab (-1: none).
    @inline(__always)
    mutating func setHotSlab(_ sid: Int32) {
        if fastPath { setFastHotSlab(sid) } else { slowHotSlab = sid }
    }

    /// `setHotSlab` for a cache on the fast path: `fastHotSlab`, `hotRecord`
    /// and `hotFirst` together.
    @usableFromInline @inline(__always)
    mutating func setFastHotSlab(_ sid: Int32) {
        fastHotSlab = sid
        if sid >= 0 {
            let slab = UInt(bitPattern: Int(truncatingIfNeeded: sid))
            hotRecord = slabTableAddress &+ slab &* UInt(MemoryLayout<SlabMeta>.stride)
            hotFirst = arenaBase &+ slab &<< UInt(arenaPageShift)
        } else {
            hotRecord = noHotRecord
            hotFirst = 0
        }
    }

    /// The inverse of an odd `value` modulo 2^64 (Newton's iteration: each
    /// step doubles the number of correct low bits, from 3 for `value` itself).
    static func inverse(ofOdd value: UInt) -> UInt {
        var inverse = value
        for _ in 0..<5 { inverse = inverse &* (2 &- value &* inverse) }
        return inverse
    }

    /// SplitMix64's output function (Steele, Lea and Flood): a bijection, so
    /// distinct secrets give distinct keys.
    static func mixSecret(_ secret: UInt64) -> UInt64 {
        var z = secret &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let word = 8
    static let ownerRecordBytes = 32

    @inline(__always)
    static func alignUp(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }

    /// Lays out a slot and picks the slab order.
    ///
    /// The order follows SLUB's `calculate_order` in spirit: the smallest order
    /// (up to 3, the kernel's PAGE_ALLOC_COSTLY_ORDER, or the top order) that
    /// holds enough objects (16, relaxed to 8, 4, 2, 1) while wasting at most
    /// 1/16 of the slab (relaxed to 1/8, 1/4); failing that, the smallest
    /// order up to the top order that holds one object.
    ///
    /// A non-nil `freeListSecret` hardens the free list (`hardened`): the key
    /// is the secret passed through SplitMix64's finaliser, so that related
    /// secrets (a base plus a cache's index) give unrelated keys.
    static func layout(objectSize size: Int, alignment: Int, flags: SlabDebugOptions, isKmalloc: Bool,
                       pageSize: Int, topOrder: Int, freeListSecret: UInt64? = nil) throws(SlabError) -> CacheMeta {
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= pageSize else {
            throw .invalidAlignment(alignment: alignment)
        }
        guard size > 0, size <= pageSize << topOrder else { throw .invalidObjectSize(size: size) }
        var meta = CacheMeta()
        meta.isKmalloc = isKmalloc
        meta.flags = flags
        meta.objectSize = size
        meta.alignment = max(alignment, word)
        meta.objectOffset = flags.contains(.redZone) ? alignUp(word, meta.alignment) : 0
        var end: Int
        if flags.contains(.redZone) {
            // At least one red-zone byte, up to the next word (SLUB adds a whole word when the size is aligned).
            end = alignUp(size + 1, word)
            meta.rightRedZone = end - size
            meta.slackStart = end
            meta.slackEnd = end
        } else {
            end = alignUp(size, word)
            meta.slackStart = size
            meta.slackEnd = end
        }
        if flags.contains(.poison) || size < word {
            meta.freePointerOffset = end
            end += word
        }
        if flags.contains(.ownerTracking) {
            meta.trackOffset = end
            end += ownerRecordBytes
        }
        meta.stride = alignUp(meta.objectOffset + end, meta.alignment)
        meta.paddingStart = end
        meta.paddingEnd = meta.stride - meta.objectOffset

        let costlyOrder = min(3, topOrder)
        func fits(_ order: Int, _ minObjects: Int, _ fraction: Int) -> Bool {
            let bytes = pageSize << order
            let objects = bytes / meta.stride
            return objects >= minObjects && (bytes - objects * meta.stride) * fraction <= bytes
        }
        search: for minObjects in [16, 8, 4, 2, 1] {
            for fraction in [16, 8, 4] {
                for order in 0...costlyOrder where fits(order, minObjects, fraction) {
                    meta.order = order
                    break search
                }
            }
            if minObjects == 1 {
                guard let order = (0...topOrder).first(where: { (pageSize << $0) >= meta.stride }) else {
                    throw .invalidObjectSize(size: size)
                }
                meta.order = order
            }
        }
        meta.objectsPerSlab = (pageSize << meta.order) / meta.stride
        guard meta.objectsPerSlab >= 1, meta.objectsPerSlab <= Int(Int32.max) else { throw .invalidObjectSize(size: size) }
        meta.span = UInt(meta.objectsPerSlab * meta.stride)
        meta.headPfnMask = ~((1 << meta.order) - 1)
        meta.strideTwos = UInt8(meta.stride.trailingZeroBitCount)
        meta.strideInverse = inverse(ofOdd: UInt(meta.stride) >> meta.strideTwos)
        meta.strideLimit = UInt.max / UInt(meta.stride)
        meta.slabByteMask = UInt(pageSize << meta.order) - 1
        if let freeListSecret {
            meta.hardened = true
            meta.freePointerKey = UInt(truncatingIfNeeded: mixSecret(freeListSecret))
        }
        meta.fastPath = flags.isEmpty && meta.objectOffset == 0 && meta.freePointerOffset == 0 && !meta.hardened
            && !Sanitizer.isEnabled
        meta.fastLimit = meta.fastPath ? meta.span &>> 3 : 0
        let hardenedFast = flags.isEmpty && meta.objectOffset == 0 && meta.freePointerOffset == 0 && meta.hardened
            && !Sanitizer.isEnabled
        meta.hardenedLimit = hardenedFast ? meta.span &>> 3 : 0
        return meta
    }
}
