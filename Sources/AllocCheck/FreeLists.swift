import Invariants

/// The per-order free lists, threaded through the head pages' descriptors.
///
/// Invariant: every block on list `k` has a head descriptor of kind `.free`
/// with order `k`; `next`/`prev` agree both ways; `counts[k]` is the number of
/// blocks on list `k`. Storage is allocated once at start-up; list operations
/// are O(1) and allocate nothing.
@usableFromInline
struct FreeLists {
    let levels: Int
    @usableFromInline let heads: UnsafeMutablePointer<Int32>
    @usableFromInline let tails: UnsafeMutablePointer<Int32>
    @usableFromInline let counts: UnsafeMutablePointer<Int>

    init(topOrder: Int) {
        levels = topOrder + 1
        // One pooled block for the three tables (counts first, for their
        // alignment): a fuzz target makes an allocator per input.
        let layout = Self.layout(levels: levels)
        guard let block = TablePool.shared.take(bytes: layout.bytes) else {
            fatalError("cannot allocate the free-list tables")
        }
        TableLayout.poisonBlock(block, bytes: layout.bytes)
        TableLayout.expose(block, size: levels * MemoryLayout<Int>.stride)
        TableLayout.expose(block + layout.heads, size: levels * MemoryLayout<Int32>.stride)
        TableLayout.expose(block + layout.tails, size: levels * MemoryLayout<Int32>.stride)
        counts = block.bindMemory(to: Int.self, capacity: levels)
        counts.initialize(repeating: 0, count: levels)
        heads = (block + layout.heads).bindMemory(to: Int32.self, capacity: levels)
        heads.initialize(repeating: -1, count: levels)
        tails = (block + layout.tails).bindMemory(to: Int32.self, capacity: levels)
        tails.initialize(repeating: -1, count: levels)
    }

    /// The block's size and where the heads and tails start in it (the
    /// counts start it), with red zones between them under ASan (`TableLayout`).
    private static func layout(levels: Int) -> (bytes: Int, heads: Int, tails: Int) {
        var layout = TableLayout()
        _ = layout.place(levels * MemoryLayout<Int>.stride, alignment: MemoryLayout<Int>.alignment)
        let heads = layout.place(levels * MemoryLayout<Int32>.stride, alignment: MemoryLayout<Int32>.alignment)
        let tails = layout.place(levels * MemoryLayout<Int32>.stride, alignment: MemoryLayout<Int32>.alignment)
        return (layout.bytes, heads, tails)
    }

    func deallocate() {
        TablePool.shared.give(UnsafeMutableRawPointer(counts), bytes: Self.layout(levels: levels).bytes)
    }

    /// Puts the block headed by `pfn` at the front of list `order`.
    /// The kernel's `expand()` and `__free_one_page` add to the head too, so
    /// the most recently freed block is the next one handed out (cache-warm).
    @inlinable @inline(__always)
    func pushFront(_ pfn: Int32, order: Int, pages: UnsafeMutablePointer<PageDescriptor>) {
        let first = heads[order]
        pages[Int(pfn)].next = first
        pages[Int(pfn)].prev = -1
        if first >= 0 { pages[Int(first)].prev = pfn } else { tails[order] = pfn }
        heads[order] = pfn
        // At most one count per page, and page counts fit an Int32.
        counts[order] &+= 1
    }

    /// The rest of `pushFront` for a caller that has written `pfn`'s links
    /// already (next: `first`, the list's first block; prev: -1).
    @inlinable @inline(__always)
    func linkFirst(_ pfn: Int32, before first: Int32, order: Int, pages: UnsafeMutablePointer<PageDescriptor>) {
        if first >= 0 { pages[Int(first)].prev = pfn } else { tails[order] = pfn }
        heads[order] = pfn
        // At most one count per page, and page counts fit an Int32.
        counts[order] &+= 1
    }

    /// Puts the block headed by `pfn` at the back of list `order` (used while
    /// seeding the arena, so that the lists start in ascending address order).
    @inline(__always)
    func pushBack(_ pfn: Int32, order: Int, pages: UnsafeMutablePointer<PageDescriptor>) {
        let last = tails[order]
        pages[Int(pfn)].prev = last
        pages[Int(pfn)].next = -1
        if last >= 0 { pages[Int(last)].next = pfn } else { heads[order] = pfn }
        tails[order] = pfn
        counts[order] += 1
    }

    /// Unlinks the block headed by `pfn` from list `order`.
    @inline(__always)
    func remove(_ pfn: Int32, order: Int, pages: UnsafeMutablePointer<PageDescriptor>) {
        unlink(pfn, order: order, pages: pages)
        pages[Int(pfn)].next = -1
        pages[Int(pfn)].prev = -1
    }

    /// `unlink` for the first block of list `order`, `pfn`: a first block's
    /// `prev` is -1 (`pushFront` and `pushBack` leave it so, and `unlink`
    /// of a first block passes it on to the next), so it is not read, nor
    /// tested. For a caller that overwrites the block's descriptor next.
    @inlinable @inline(__always)
    func unlinkFirst(_ pfn: Int32, order: Int, pages: UnsafeMutablePointer<PageDescriptor>) {
        let next = pages[Int(pfn)].next
        heads[order] = next
        if next >= 0 { pages[Int(next)].prev = -1 } else { tails[order] = -1 }
        counts[order] &-= 1
    }

    /// `remove` for a caller that overwrites the head's descriptor next
    /// (the merge loop): leaves its links as they were.
    @inlinable @inline(__always)
    func unlink(_ pfn: Int32, order: Int, pages: UnsafeMutablePointer<PageDescriptor>) {
        let next = pages[Int(pfn)].next
        let prev = pages[Int(pfn)].prev
        if prev >= 0 { pages[Int(prev)].next = next } else { heads[order] = next }
        if next >= 0 { pages[Int(next)].prev = prev } else { tails[order] = prev }
        counts[order] &-= 1
    }
}
