/// Who last allocated and freed an object (debug option U, owner tracking):
/// the caller's tag and the slab layer's operation sequence number.
public struct SlabOwner: Equatable, Sendable, CustomStringConvertible {
    /// The tag the caller passed as `owner:` (0 when none was given).
    public var tag: UInt64
    /// The slab layer's operation counter at the time; 0 = never.
    public var sequence: UInt64

    public init(tag: UInt64, sequence: UInt64) {
        self.tag = tag
        self.sequence = sequence
    }

    public var description: String { sequence == 0 ? "never" : "owner \(tag) at operation #\(sequence)" }
}

/// The owner records of one object (present when the cache tracks owners).
public struct SlabOwnerTrack: Equatable, Sendable, CustomStringConvertible {
    public var allocated: SlabOwner
    public var freed: SlabOwner

    public init(allocated: SlabOwner, freed: SlabOwner) {
        self.allocated = allocated
        self.freed = freed
    }

    public var description: String { "allocated by \(allocated), freed by \(freed)" }
}

/// A refused request, a detected misuse, or a corruption found by a check of
/// the slab layer.
///
/// Misuse (`free` or `kfree` of something that cannot be freed, `destroy` of
/// a cache with live objects) is reported before anything changes: the
/// object is not freed, and the layer and the page allocator are exactly as
/// they were. Addresses are absolute; `owners` is filled in when the cache
/// tracks owners (debug option U).
public enum SlabError: Error, Equatable, Sendable, CustomStringConvertible {
    // Configuration.
    /// The cache table is full.
    case tooManyCaches(limit: Int)
    /// A cache-table size outside `minimum...maximum` was asked for (the
    /// minimum holds the kmalloc caches and one more).
    case invalidCacheTableSize(size: Int, minimum: Int, maximum: Int)
    /// The page allocator already has a slab layer over it: its page marks
    /// belong to that layer, and a second one would misread them.
    case pageAllocatorHasSlabLayer
    /// A table of the slab layer could not be allocated.
    case metadataAllocationFailed(bytes: Int)
    /// Object size 0, or an object that does not fit the largest slab.
    case invalidObjectSize(size: Int)
    /// Alignment that is not a power of two, or larger than a page.
    case invalidAlignment(alignment: Int)
    /// The handle names no live cache (never created, or destroyed).
    case unknownCache
    /// The kmalloc caches belong to the layer and cannot be destroyed.
    case kmallocCacheNotDestroyable(name: String)

    // Requests.
    /// The page allocator could not supply a slab or a large kmalloc block.
    case pageAllocator(AllocError)
    /// A kmalloc above the largest block.
    case sizeTooLarge(size: Int, maximum: Int)
    /// Fault injection (`SlabAllocator.faultInjection`) failed this allocation.
    case injectedFailure(cache: String)
    /// A kmalloc of a negative size.
    case negativeSize(size: Int)

    // Misuse on free.
    /// The address lies in no slab and no large kmalloc block.
    case notInSlab(address: UInt)
    /// The object belongs to another cache (SLUB's "Wrong slab cache").
    case wrongCache(address: UInt, expected: String, actual: String)
    /// Inside a slab, but not the start of an object (SLUB's "Invalid object pointer").
    case notObjectBoundary(address: UInt, cache: String, nearestObject: UInt)
    /// The object is free already (SLUB's "Object already free").
    case doubleFree(address: UInt, cache: String, owners: SlabOwnerTrack?)
    /// `destroy` of a cache that still has objects handed out; nothing was freed.
    case cacheHasLiveObjects(cache: String, objects: [UInt])

    // Corruption (found on free, on allocation with checks, or by validation).
    /// A red zone byte does not hold its pattern. `offset` is relative to the
    /// object's first byte (negative: the left red zone).
    case redZoneOverwritten(address: UInt, cache: String, offset: Int, found: UInt8, expected: UInt8, owners: SlabOwnerTrack?)
    /// A byte of a free, poisoned object does not hold its poison.
    case poisonOverwritten(address: UInt, cache: String, offset: Int, found: UInt8, expected: UInt8, owners: SlabOwnerTrack?)
    /// A padding byte (inside a slot, or at the end of a slab) is not 0x5a.
    case paddingOverwritten(address: UInt, cache: String, found: UInt8)
    /// A free pointer that is not the start of a free object of the slab, or
    /// (met on allocation) one that points to the object holding it, which a
    /// use-after-free write can leave behind and which would hand the same
    /// object out twice. `object` is the free object holding it (0: the
    /// slab's chain head); `value` is the pointer as decoded (for a cache
    /// with a hardened free list, what the stored bits decode to).
    ///
    /// Met on allocation, the allocation fails with this error and hands out
    /// nothing; the slab's chain has then been rebuilt from the layer's own
    /// record of which objects are handed out, so the cache keeps working and
    /// each free object is handed out once.
    case freePointerCorrupt(slabPfn: Int, cache: String, object: UInt, value: UInt)
    /// The free chain does not end within `objects + 1` steps.
    case freeChainCycle(slabPfn: Int, cache: String)
    /// The slab's in-use count disagrees with its free chain or its objects.
    case inUseMismatch(slabPfn: Int, cache: String, inUse: Int, expected: Int)
    /// The slab's own record is inconsistent (object count, list membership).
    case slabCorrupt(slabPfn: Int, cache: String, reason: String)

    public var description: String { description(addresses: { "0x" + String($0, radix: 16) }) }

    /// The description with every address written by `hex`: a caller that
    /// knows the arena can name addresses by their offset in it, so that the
    /// text does not depend on where the arena happens to lie.
    public func description(addresses hex: (UInt) -> String) -> String {
        func byte(_ value: UInt8) -> String { "0x" + String(value, radix: 16) }
        func owned(_ owners: SlabOwnerTrack?) -> String { owners.map { " (\($0))" } ?? "" }
        switch self {
        case let .tooManyCaches(limit): return "cannot create a cache: all \(limit) cache slots are in use"
        case let .invalidCacheTableSize(size, minimum, maximum):
            return "a cache table of \(size) slots is outside \(minimum)...\(maximum) (the kmalloc caches need \(minimum - 1), "
                + "and at least one slot must be left for other caches)"
        case .pageAllocatorHasSlabLayer:
            return "the page allocator already has a slab layer; put at most one slab layer over a page allocator"
        case let .metadataAllocationFailed(bytes): return "could not allocate a slab-layer table of \(bytes) bytes"
        case let .invalidObjectSize(size): return "object size \(size) does not fit a slab"
        case let .invalidAlignment(alignment): return "alignment \(alignment) is not a power of two up to the page size"
        case .unknownCache: return "no such cache (never created, or destroyed)"
        case let .kmallocCacheNotDestroyable(name): return "\(name) is a kmalloc cache and cannot be destroyed"
        case let .pageAllocator(error): return "page allocator: " + error.description(addresses: hex)
        case let .injectedFailure(cache): return "allocation from \(cache) failed by fault injection"
        case let .sizeTooLarge(size, maximum): return "kmalloc(\(size)) is larger than the largest kmalloc (\(maximum) bytes)"
        case let .negativeSize(size): return "kmalloc(\(size)): the size is negative"
        case let .notInSlab(address): return "\(hex(address)) is not in any slab"
        case let .wrongCache(address, expected, actual):
            return "wrong slab cache: \(hex(address)) belongs to \(actual), not \(expected)"
        case let .notObjectBoundary(address, cache, nearest):
            return "invalid object pointer \(hex(address)) in \(cache) (nearest object \(hex(nearest)))"
        case let .doubleFree(address, cache, owners):
            return "object already free: \(hex(address)) in \(cache)\(owned(owners))"
        case let .cacheHasLiveObjects(cache, objects):
            return "\(cache) still has \(objects.count) live objects: " + objects.map { hex($0) }.joined(separator: ", ")
        case let .redZoneOverwritten(address, cache, offset, found, expected, owners):
            return "red zone overwritten: \(cache) object \(hex(address)) byte \(offset) is \(byte(found)), "
                + "expected \(byte(expected))\(owned(owners))"
        case let .poisonOverwritten(address, cache, offset, found, expected, owners):
            return "poison overwritten: \(cache) object \(hex(address)) byte \(offset) is \(byte(found)), "
                + "expected \(byte(expected))\(owned(owners))"
        case let .paddingOverwritten(address, cache, found):
            return "padding overwritten: \(cache) byte at \(hex(address)) is \(byte(found)), expected 0x5a"
        case let .freePointerCorrupt(slabPfn, cache, object, value):
            let holder = object == 0 ? "the chain head" : "free object \(hex(object))"
            return "free pointer corrupt: \(cache) slab at page \(slabPfn), \(holder) points to \(hex(value))"
        case let .freeChainCycle(slabPfn, cache):
            return "free chain of \(cache) slab at page \(slabPfn) does not end (cycle)"
        case let .inUseMismatch(slabPfn, cache, inUse, expected):
            return "\(cache) slab at page \(slabPfn) counts \(inUse) objects in use, memory says \(expected)"
        case let .slabCorrupt(slabPfn, cache, reason): return "\(cache) slab at page \(slabPfn): \(reason)"
        }
    }
}
