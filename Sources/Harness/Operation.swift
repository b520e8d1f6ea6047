// The operation language: every call of the allocator API, and every
// deliberate misuse, as one value.
//
// Invariant: an operation names earlier results by handle (the 1-based number
// of the step that produced them), never by address, so a trace means the
// same thing against any allocator and in any run.

import AllocCheck

/// What kind of result a handle names; the letter is its prefix in the text form.
public enum HandleClass: Character, CaseIterable, Sendable {
    /// A block from `alloc_pages`.
    case pages = "p"
    /// An allocation from `alloc_pages_exact`.
    case exact = "e"
    /// A slab cache from `cache_create`.
    case cache = "c"
    /// An object from `cache_alloc`.
    case object = "o"
    /// A pointer from `kmalloc`.
    case kmalloc = "k"
}

extension HandleClass {
    /// The class as one bit, for sets of classes that cost no allocation.
    var bit: UInt8 {
        switch self {
        case .pages: return 1
        case .exact: return 2
        case .cache: return 4
        case .object: return 8
        case .kmalloc: return 16
        }
    }
}

/// A result of an earlier step: `p3` is what step 3 (an `alloc_pages`) returned.
public struct Handle: Hashable, Sendable, CustomStringConvertible {
    public let kind: HandleClass
    /// The 1-based number of the step that produced it.
    public let step: Int

    public init(_ kind: HandleClass, _ step: Int) {
        self.kind = kind
        self.step = step
    }

    public var description: String { "\(kind.rawValue)\(step)" }
}

/// A deliberate misuse: the allocator must refuse it with the error of that
/// kind and stay exactly as it was. A misuse that does not apply in the state
/// reached (the wrong order equals the right one, the freed address was
/// handed out again, there is no hole) runs as a no-op.
public enum Misuse: Hashable, Sendable {
    /// Frees again something already freed (with the function that freed it).
    case doubleFree(Handle)
    /// Frees an address inside a live allocation, `offset` bytes past its start
    /// (a whole number of pages for page allocations).
    case interiorPointer(Handle, offset: Int)
    /// `free_pages` of a live block with another order.
    case wrongOrder(Handle, order: Int)
    /// `free_pages_exact` of a live exact allocation with a size covering other pages.
    case wrongSize(Handle, size: Int)
    /// `cache_free` of a live object to a cache it does not belong to.
    case wrongCache(Handle, cache: Handle)
    /// A page block freed with `free_pages_exact`, or an exact allocation with `free_pages`.
    case wrongFreeFunction(Handle)
    /// An address outside the arena, given to `function` (`cache` for `cache_free`).
    case foreignAddress(FreeFunction, cache: Handle?)
    /// The first page of the `hole`-th reserved range, given to `function`.
    case reservedPage(FreeFunction, hole: Int)
    /// `free_pages` of the page under a live slab object or large kmalloc block.
    case slabPage(Handle)
    /// The client writes one byte past a live object of a cache with red
    /// zones, then frees it: the free must report the overwritten red zone.
    /// (The judge puts the byte back afterwards, so the object stays live.)
    case overflow(Handle)
    /// The client writes the address of a freed cache object into its first
    /// word, as a use-after-free store of a list link would, then the cache
    /// is validated: validation must report the write (a free chain through
    /// the object broken, or its poison overwritten) whatever the cache's
    /// options. Applies to objects of 8 bytes or more whose slot is still
    /// free in a slab of their live cache. (The judge puts the word back
    /// afterwards.)
    case writeAfterFree(Handle)
    /// `ksize` of an address inside a live kmalloc allocation, `offset`
    /// bytes past its start.
    case ksizeInterior(Handle, offset: Int)
    /// The client writes the address of a freed cache object into its first
    /// word (a use-after-free store of a link to itself), then allocates
    /// from its cache until an allocation is refused: the allocation that
    /// takes the object must refuse it (`.freePointerCorrupt`, or with
    /// consistency checks the overwritten poison) and hand nothing out;
    /// no allocation may return the object, nor take a new slab, before.
    /// The objects the others returned are freed again afterwards. Applies
    /// where `writeAfterFree` does, in caches whose allocations examine the
    /// word: not hardened (the word would decode to an arbitrary pointer),
    /// and without poisoning unless with consistency checks (F) (with P the
    /// free pointer sits past the object and only F examines the poison).
    case writeAfterFreeThenAllocate(Handle)
    /// The client writes one byte `past` bytes into what follows a live
    /// kmalloc object's request (`past` 1 is the byte right after it, at
    /// offset `size`; the byte written is at `size + past - 1`), then kfrees
    /// it: the free must report the overwritten red zone. Applies when the
    /// arena's kmalloc caches have red zones (`Arena.kmallocDebug` holds Z),
    /// the object is a size-class object (not the zero-size pointer nor a
    /// large block) and the byte lies in a red zone: the kmalloc red zone
    /// `[size, class size)` (from the class size on once `ksize` has made the
    /// whole class the object's) or the first byte past the class size (the
    /// right red zone's). `past` up to `TraceChoices.overflowPast.max`
    /// reaches every byte of the largest class's kmalloc red zone. (The judge
    /// puts the byte back afterwards, so the object stays live.)
    case kmallocOverflow(Handle, past: Int)
    /// `ksize` of a freed kmalloc object: refused as a double free (the
    /// object is not handed out), changing nothing. Applies where a double
    /// free of it does: a size-class object (a large block leaves no trace
    /// once freed) whose slot is still free in a slab of its class.
    case ksizeFreed(Handle)
    /// The client stores the address of `value`, a live object of the same
    /// cache, into the first word of the freed object (a use-after-free
    /// store that links a handed-out object into the free list), and, so
    /// that a walk of the free chain through `value` still counts as many
    /// free objects, stores into `value`'s first word (its own data) what
    /// the first word of the object's successor on the chain holds (0 when
    /// it has none); then the cache is validated: validation must report
    /// the free pointer to a handed-out object. Applies where
    /// `writeAfterFree` does, in caches whose first word is the free pointer
    /// as it is (not hardened, no poisoning), when `value` is a live object
    /// of the same cache. (The judge puts both words back afterwards.)
    case writeLiveLinkAfterFree(Handle, value: Handle)
    /// The writes of `writeLiveLinkAfterFree`, then allocations from the
    /// cache until one is refused, as `writeAfterFreeThenAllocate`: the
    /// allocation that takes the object must refuse it (its next free
    /// pointer names a handed-out object), and none before may hand out the
    /// object or `value`, nor take a new slab. Applies where
    /// `writeLiveLinkAfterFree` does. (The judge puts `value`'s word back;
    /// the refusal rewrites the object's.)
    case writeLiveLinkThenAllocate(Handle, value: Handle)
    /// The free of a page block or exact allocation (`free_pages`,
    /// `free_pages_exact`) through an address `offset` bytes (1 to the page
    /// size less one) past its start, not on a page boundary: refused as
    /// misaligned, changing nothing. (`interiorPointer` of a page
    /// allocation counts whole pages: a page-aligned address inside it.)
    case misaligned(Handle, offset: Int)
    /// A byte written `before` bytes before a live object (1: the byte just
    /// before it) of a red-zoned cache, or a size-class kmalloc object when
    /// the arena's kmalloc classes have red zones: into its left red zone,
    /// which spans SLUB's word aligned up to the cache's alignment. The free
    /// (`cache_free`, `kfree`) must be refused as corruption, changing
    /// nothing. (`overflow` and `kmallocOverflow` write past the object; the
    /// judge puts the byte back afterwards, so the object stays live.)
    case underflow(Handle, before: Int)

    /// The refusal the allocator must answer with.
    public var expected: RefusalKind {
        switch self {
        case .doubleFree: return .doubleFree
        case .interiorPointer: return .interiorPointer
        case .wrongOrder: return .wrongOrder
        case .wrongSize: return .wrongSize
        case .wrongCache: return .wrongCache
        case .wrongFreeFunction: return .wrongFreeFunction
        case .foreignAddress: return .foreignAddress
        case .reservedPage: return .reservedPage
        case .slabPage: return .slabPage
        case .overflow, .writeAfterFree, .writeAfterFreeThenAllocate, .kmallocOverflow, .writeLiveLinkAfterFree,
             .writeLiveLinkThenAllocate: return .corruption
        case .ksizeInterior: return .interiorPointer
        case .ksizeFreed: return .doubleFree
        case .misaligned: return .misaligned
        case .underflow: return .corruption
        }
    }
}

/// The free functions a misuse can call.
public enum FreeFunction: Int, CaseIterable, Hashable, Sendable {
    case freePages = 0, freePagesExact, cacheFree, kfree

    public var name: String {
        switch self {
        case .freePages: return "free_pages"
        case .freePagesExact: return "free_pages_exact"
        case .cacheFree: return "cache_free"
        case .kfree: return "kfree"
        }
    }
}

/// One step of a trace.
public enum Operation: Hashable, Sendable {
    case allocPages(order: Int)
    case freePages(Handle)
    case allocPagesExact(size: Int)
    case freePagesExact(Handle)
    /// A cache of `objectSize`-byte objects with `options`.
    case cacheCreate(objectSize: Int, options: CacheOptions = CacheOptions())
    case cacheAlloc(Handle)
    case cacheFree(Handle)
    case cacheShrink(Handle)
    case cacheDestroy(Handle)
    case cacheValidate(Handle)
    case kmalloc(size: Int)
    case kfree(Handle)
    case ksize(Handle)
    /// Every empty slab of every cache given back, the kmalloc classes'
    /// included (`kmem_cache_shrink` of each cache in turn).
    case cacheShrinkAll
    case misuse(Misuse)
    /// The allocation `call` (`allocPages`, `allocPagesExact`, `cacheAlloc` or
    /// `kmalloc`) made with fault injection armed: unless its arguments are
    /// refused first (or it is `kmalloc(0)`), it must fail with
    /// `injected_failure` and change nothing. It produces no handle. This is
    /// how a trace records an injected failure, so a replay injects the same.
    indirect case injectedFailure(Operation)

    /// The class of the handle this operation produces, if it produces one.
    public var produces: HandleClass? {
        switch self {
        case .allocPages: return .pages
        case .allocPagesExact: return .exact
        case .cacheCreate: return .cache
        case .cacheAlloc: return .object
        case .kmalloc: return .kmalloc
        default: return nil
        }
    }

    /// The handle this operation consumes (frees or destroys), if any: it is
    /// not live afterwards, whatever the outcome.
    public var consumes: Handle? {
        switch self {
        case .freePages(let h), .freePagesExact(let h), .cacheFree(let h), .cacheDestroy(let h), .kfree(let h):
            return h
        default: return nil
        }
    }

    /// The operation with every handle it names replaced by `map`'s answer,
    /// or nil when `map` answers nil for one (the handle no longer exists).
    public func mappingHandles(_ map: (Handle) -> Handle?) -> Operation? {
        switch self {
        case .allocPages, .allocPagesExact, .cacheCreate, .kmalloc, .cacheShrinkAll: return self
        case .freePages(let h): return map(h).map { .freePages($0) }
        case .freePagesExact(let h): return map(h).map { .freePagesExact($0) }
        case .cacheAlloc(let h): return map(h).map { .cacheAlloc($0) }
        case .cacheFree(let h): return map(h).map { .cacheFree($0) }
        case .cacheShrink(let h): return map(h).map { .cacheShrink($0) }
        case .cacheDestroy(let h): return map(h).map { .cacheDestroy($0) }
        case .cacheValidate(let h): return map(h).map { .cacheValidate($0) }
        case .kfree(let h): return map(h).map { .kfree($0) }
        case .ksize(let h): return map(h).map { .ksize($0) }
        case .injectedFailure(let call): return call.mappingHandles(map).map { .injectedFailure($0) }
        case .misuse(let misuse):
            let mapped: Misuse?
            switch misuse {
            case .doubleFree(let h): mapped = map(h).map { .doubleFree($0) }
            case .interiorPointer(let h, let offset): mapped = map(h).map { .interiorPointer($0, offset: offset) }
            case .wrongOrder(let h, let order): mapped = map(h).map { .wrongOrder($0, order: order) }
            case .wrongSize(let h, let size): mapped = map(h).map { .wrongSize($0, size: size) }
            case .wrongCache(let h, let cache):
                guard let h = map(h), let cache = map(cache) else { return nil }
                mapped = .wrongCache(h, cache: cache)
            case .wrongFreeFunction(let h): mapped = map(h).map { .wrongFreeFunction($0) }
            case .foreignAddress(let function, let cache):
                if let cache {
                    mapped = map(cache).map { .foreignAddress(function, cache: $0) }
                } else {
                    mapped = misuse
                }
            case .reservedPage: mapped = misuse
            case .slabPage(let h): mapped = map(h).map { .slabPage($0) }
            case .overflow(let h): mapped = map(h).map { .overflow($0) }
            case .kmallocOverflow(let h, let past): mapped = map(h).map { .kmallocOverflow($0, past: past) }
            case .writeAfterFree(let h): mapped = map(h).map { .writeAfterFree($0) }
            case .writeAfterFreeThenAllocate(let h): mapped = map(h).map { .writeAfterFreeThenAllocate($0) }
            case .ksizeInterior(let h, let offset): mapped = map(h).map { .ksizeInterior($0, offset: offset) }
            case .ksizeFreed(let h): mapped = map(h).map { .ksizeFreed($0) }
            case .writeLiveLinkAfterFree(let h, let value):
                guard let h = map(h), let value = map(value) else { return nil }
                mapped = .writeLiveLinkAfterFree(h, value: value)
            case .writeLiveLinkThenAllocate(let h, let value):
                guard let h = map(h), let value = map(value) else { return nil }
                mapped = .writeLiveLinkThenAllocate(h, value: value)
            case .misaligned(let h, let offset): mapped = map(h).map { .misaligned($0, offset: offset) }
            case .underflow(let h, let before): mapped = map(h).map { .underflow($0, before: before) }
            }
            return mapped.map { .misuse($0) }
        }
    }
}

/// What `cache_create` asks for besides the object size.
public struct CacheOptions: Hashable, Sendable {
    /// SLUB's debug letters.
    public var debug: SlabDebugOptions
    /// A hardened free list: free pointers stored obfuscated with a
    /// per-cache secret, and a free pointer to its own object refused
    /// (SLUB's free-list hardening).
    public var hardened: Bool
    /// Every object's address is a multiple of it: a power of two from
    /// 8 (the default) to `CacheOptions.alignments.upperBound`.
    public var alignment: Int

    /// The alignments a trace can ask for: the powers of two in this range.
    public static let alignments: ClosedRange<Int> = 8...1024

    /// Whether a trace can ask for `alignment`.
    public static func isAlignment(_ alignment: Int) -> Bool {
        alignments.contains(alignment) && alignment & (alignment - 1) == 0
    }

    public init(debug: SlabDebugOptions = [], hardened: Bool = false, alignment: Int = 8) {
        self.debug = debug
        self.hardened = hardened
        self.alignment = alignment
    }
}

/// Why the allocator refused a call, in the allocator-neutral terms the
/// model predicts. The raw value is the name used in the text form.
public enum RefusalKind: String, CaseIterable, Hashable, Sendable {
    case outOfMemory = "out_of_memory"
    /// Fault injection failed the allocation on purpose (see `Operation.injectedFailure`).
    case injectedFailure = "injected_failure"
    case zeroSize = "zero_size"
    case sizeTooLarge = "size_too_large"
    case invalidOrder = "invalid_order"
    case doubleFree = "double_free"
    case interiorPointer = "interior_pointer"
    case misaligned = "misaligned"
    case wrongOrder = "wrong_order"
    case wrongSize = "wrong_size"
    case wrongCache = "wrong_cache"
    case wrongFreeFunction = "wrong_free_function"
    case foreignAddress = "foreign_address"
    case reservedPage = "reserved_page"
    case slabPage = "slab_page"
    case invalidObjectSize = "invalid_object_size"
    case tooManyCaches = "too_many_caches"
    case unknownCache = "unknown_cache"
    case cacheBusy = "cache_busy"
    /// A check of the allocator's own found its memory corrupted (red zone, poison, free pointer).
    case corruption = "corruption"
    case other = "other"
}
