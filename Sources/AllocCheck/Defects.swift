/// A realistic allocator bug that can be switched on, one per allocator, to
/// show that the checks catch it: `PageAllocator(..., defect: .mergeStopsEarly)`
/// (a `SlabAllocator` takes its page allocator's). Off (`nil`) by default.
///
/// Each defect bends the allocator's behaviour exactly where such a bug
/// would, and nowhere else; with `defect == nil` the allocator is the
/// correct core, and the hot paths pay one predictable branch for the
/// switch (the page allocator's take and release of a block, the exact trim)
/// or nothing at all (the slab layer's inlined fast paths, which a slab
/// defect switches off for every cache, so that its slow path, which is
/// equivalent, sees every call).
///
/// The raw value is the name users type (`ALLOCCHECK_DEFECT=merge-stops-early`).
/// `story` tells in one line how such a bug happens.
public enum Defect: String, CaseIterable, Sendable, CustomStringConvertible {
    // MARK: Buddy merging (the release of a block)

    /// A free makes one merge fewer than it should: the block it forms is
    /// one order too small and its buddy, free, stays beside it.
    case mergeStopsEarly = "merge-stops-early"
    /// A block whose merging reaches the top order (or that is freed at the
    /// top order) is marked free but never put on the top order's list.
    case topMergeUnlisted = "top-merge-unlisted"
    /// The buddy is computed as `pfn + (1 << order)`: right for a lower
    /// half, the block after the pair for an upper half, and the merged
    /// block keeps the lower of the two heads.
    case buddyByAddition = "buddy-by-addition"
    /// A merge removes the buddy from its list without lowering that
    /// list's count.
    case mergeCountStale = "merge-count-stale"
    /// The buddy test forgets holes: a reserved page counts as a free
    /// order-0 buddy, so a page freed beside a hole merges across it.
    case mergeAcrossHole = "merge-across-hole"

    // MARK: Allocation (the take of a block)

    /// A split puts the half it hands out on the free list of the requested
    /// order too, so a later allocation can hand the same block out again.
    case splitListsHandedOutHalf = "split-lists-handed-out-half"
    /// The scan of the free lists starts one order below the requested
    /// order, so a block half the size (or, at the top of the arena, the
    /// largest block there is) can be handed out as the requested order.
    case scanOneOrderLow = "scan-one-order-low"

    // MARK: Exact allocations

    /// `allocPagesExact`'s trim starts one page early and frees the last
    /// page the caller keeps.
    case exactTrimOneTooMany = "exact-trim-one-too-many"
    /// `allocPagesExact`'s trim starts one page late: the first page past
    /// the allocation is neither kept nor freed.
    case exactTrimOneTooFew = "exact-trim-one-too-few"
    /// `freePagesExact` frees the page after the allocation too.
    case freeExactOnePast = "free-exact-one-past"

    // MARK: Misuse the page allocator lets through

    /// `freePages` of the head of a free block is not refused: the block is
    /// released again.
    case pageDoubleFreeUndetected = "page-double-free-undetected"
    /// `freePages` trusts the order it is given and releases the block at
    /// that order (the arena's end still bounds it).
    case wrongOrderAccepted = "wrong-order-accepted"

    // MARK: Slab layer and kmalloc

    /// Freeing an object does not lower its slab's in-use count (the
    /// decisions that follow, such as emptying the slab, use the right one).
    case slabInuseStale = "slab-inuse-stale"
    /// Freeing an object that is already free is not refused: it goes on its
    /// slab's free chain a second time.
    case doubleFreeUndetected = "double-free-undetected"
    /// `free(_:to:)` of an object of another cache is not refused: the object
    /// goes back to the cache its slab belongs to.
    case kfreeWrongCacheAccepted = "kfree-wrong-cache-accepted"
    /// kmalloc looks its size class up by `size / 8` rather than
    /// `(size + 7) / 8`: 97 bytes come from kmalloc-96, 9 from kmalloc-8.
    case kmallocClassOffByOne = "kmalloc-class-off-by-one"
    /// Freeing an object of a red-zoned cache does not check its red zones.
    case redzoneUnchecked = "redzone-unchecked"

    /// How such a bug happens, in one line.
    public var story: String {
        switch self {
        case .mergeStopsEarly:
            return "The merge loop's exit test is off by one, so a free stops one merge short of the block it should form."
        case .topMergeUnlisted:
            return "The list push sits in the loop's 'buddy not free' branch, so a block that merges up to the top order "
                + "is never put back on a list (a bug once shipped in a public Rust buddy allocator)."
        case .buddyByAddition:
            return "The buddy is written pfn + (1 << order) instead of pfn ^ (1 << order); the two agree for every lower "
                + "half, which is all a first test frees."
        case .mergeCountStale:
            return "The buddy is unlinked with a bare list_del, without the nr_free decrement del_page_from_free_list makes."
        case .mergeAcrossHole:
            return "The hole check (the kernel's old pfn_valid_within) is left out of the buddy test, and a reserved page "
                + "looks like a free order-0 buddy."
        case .splitListsHandedOutHalf:
            return "After the split loop, one more list_add meant for the last split-off half is given the page handed out."
        case .scanOneOrderLow:
            return "The order scan starts at order - 1, a leftover of counting orders from 1."
        case .exactTrimOneTooMany:
            return "alloc_pages_exact's trim loop starts at the last kept page instead of the first page after it."
        case .exactTrimOneTooFew:
            return "alloc_pages_exact's trim loop starts at the second page after the allocation, leaking the first."
        case .freeExactOnePast:
            return "free_pages_exact loops over a closed range where a half-open one was meant."
        case .pageDoubleFreeUndetected:
            return "free_pages checks that the page is not a tail but forgets that a free head is not an allocation either."
        case .wrongOrderAccepted:
            return "free_pages believes the caller's order, as the kernel's does, without comparing it with the block's."
        case .slabInuseStale:
            return "The slab record is read into a local var, a struct copy, whose in-use count is lowered and never written back."
        case .doubleFreeUndetected:
            return "The free path trusts the caller, as SLUB without debugging does, and never looks at the object's record."
        case .kfreeWrongCacheAccepted:
            return "cache_free takes the cache from the object's slab and ignores the one it was given, with no warning."
        case .kmallocClassOffByOne:
            return "The size-class lookup divides by 8 rounding down, so 97 bytes are served from the 96-byte class."
        case .redzoneUnchecked:
            return "The free path writes the free patterns over the red zones without reading them, erasing an overflow."
        }
    }

    public var description: String { rawValue }

    /// Whether the defect lives in the slab layer (which then keeps every
    /// cache off its inlined fast paths, so that every call takes the general
    /// path where the defect is).
    var isInSlabLayer: Bool {
        switch self {
        case .slabInuseStale, .doubleFreeUndetected, .kfreeWrongCacheAccepted, .kmallocClassOffByOne, .redzoneUnchecked:
            return true
        default:
            return false
        }
    }

    /// The environment variable that switches a defect on in programs that
    /// read it (the fuzz targets and the `alloccheck` command, through the
    /// harness): a defect's name, or empty for none.
    public static let environmentVariable = "ALLOCCHECK_DEFECT"

    /// The defect an environment value names: nil when `value` is nil or
    /// empty (no defect), the defect of that name, or `UnknownDefect` for any
    /// other value. Callers decide what an unknown name means (the harness
    /// stops the program).
    public init?(environmentValue value: String?) throws(UnknownDefect) {
        guard let value, !value.isEmpty else { return nil }
        guard let defect = Defect(rawValue: value) else { throw UnknownDefect(name: value) }
        self = defect
    }
}

/// An `ALLOCCHECK_DEFECT` value that names no defect.
public struct UnknownDefect: Error, Equatable, Sendable, CustomStringConvertible {
    public let name: String

    public init(name: String) { self.name = name }

    public var description: String {
        "\(Defect.environmentVariable)=\(name) names no defect; known defects: "
            + Defect.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
