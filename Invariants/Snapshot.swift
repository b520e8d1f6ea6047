/// A read-only picture of a buddy page allocator, in plain data.
///
/// The checkers in this module judge only this picture, never an allocator's
/// internals: any allocator that can describe itself this way can be checked.
/// Page frame numbers (pfn) count pages from the start of the managed arena.
///
/// Contract for producers:
/// - `pages` has one record per page frame, in pfn order.
/// - Only the first page of a block (its head) says what the block is; every
///   other page of a free block or of a live allocation is `.tail`.
/// - `freeLists[k]` describes the list of free blocks of order `k`, for
///   `k` in `0...topOrder`; the links live in the head pages' `next`/`prev`.
/// - `exactAllocations` lists every live exact allocation (head pfn and the
///   size in bytes that was requested), sorted by pfn.
public struct AllocatorSnapshot: Equatable, Sendable {
    /// Bytes per page (a power of two).
    public var pageSize: Int
    /// The largest order a block can have; blocks are never merged beyond it.
    public var topOrder: Int
    /// One record per page frame, indexed by pfn.
    public var pages: [PageRecord]
    /// The free lists, indexed by order `0...topOrder`.
    public var freeLists: [FreeListRecord]
    /// Live exact allocations, sorted by head pfn.
    public var exactAllocations: [ExactAllocationRecord]
    /// The allocator's own running count of free pages.
    public var freePageCount: Int
    /// The slab layer's state (empty when the allocator has no slab layer).
    public var slabLayer: SlabLayerSnapshot

    public init(
        pageSize: Int, topOrder: Int, pages: [PageRecord], freeLists: [FreeListRecord],
        exactAllocations: [ExactAllocationRecord], freePageCount: Int,
        slabLayer: SlabLayerSnapshot = SlabLayerSnapshot()
    ) {
        self.pageSize = pageSize
        self.topOrder = topOrder
        self.pages = pages
        self.freeLists = freeLists
        self.exactAllocations = exactAllocations
        self.freePageCount = freePageCount
        self.slabLayer = slabLayer
    }

    /// Number of page frames in the arena (reserved ones included).
    public var pageCount: Int { pages.count }
}

/// What the head page of a block says about the block.
public enum PageKind: UInt8, Equatable, Sendable {
    /// Head of a free block of `2^order` pages.
    case free
    /// Head of a live block from `allocPages(order)`, `2^order` pages.
    case allocated
    /// Head of a live exact allocation; its length comes from `exactAllocations`.
    case exact
    /// A page inside a block, after its head.
    case tail
    /// A page in a reserved range (a hole): never handed out, never merged.
    case reserved
}

/// One page frame as the allocator records it.
public struct PageRecord: Equatable, Sendable {
    public var kind: PageKind
    /// The block's order, for `.free` and `.allocated` heads; 0 otherwise.
    public var order: UInt8
    /// For a free head: pfn of the next block on its free list, or -1.
    public var next: Int32
    /// For a free head: pfn of the previous block on its free list, or -1.
    public var prev: Int32
    /// Index into `SlabLayerSnapshot.slabs` of the slab this page belongs to, or -1.
    public var slab: Int32

    public init(kind: PageKind, order: UInt8 = 0, next: Int32 = -1, prev: Int32 = -1, slab: Int32 = -1) {
        self.kind = kind
        self.order = order
        self.next = next
        self.prev = prev
        self.slab = slab
    }
}

/// One free list as the allocator records it.
public struct FreeListRecord: Equatable, Sendable {
    /// pfn of the first block on the list, or -1 when empty.
    public var head: Int32
    /// pfn of the last block on the list, or -1 when empty.
    public var tail: Int32
    /// The allocator's count of blocks on this list (the kernel's `nr_free`).
    public var count: Int

    public init(head: Int32, tail: Int32, count: Int) {
        self.head = head
        self.tail = tail
        self.count = count
    }
}

/// A live exact allocation: `ceil(bytes / pageSize)` pages starting at `pfn`.
public struct ExactAllocationRecord: Equatable, Sendable {
    public var pfn: Int
    /// The size in bytes the caller asked for.
    public var bytes: Int

    public init(pfn: Int, bytes: Int) {
        self.pfn = pfn
        self.bytes = bytes
    }
}
