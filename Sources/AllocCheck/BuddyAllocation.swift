import Invariants

extension PageAllocator {
    /// The smallest order whose block holds `size` bytes: the kernel's
    /// `get_order(size) = fls((size - 1) >> PAGE_SHIFT)`. A size below 1
    /// and a page size that is not a power of two of at least 16 bytes are
    /// refused (the shift would silently give a wrong order).
    @inlinable
    public static func getOrder(_ size: Int, pageSize: Int = 4096) throws(AllocError) -> Int {
        guard size > 0 else { throw size == 0 ? .zeroSize : .negativeSize(size: size) }
        guard pageSize >= 16, pageSize & (pageSize &- 1) == 0 else { throw .invalidPageSize(pageSize: pageSize) }
        let pages = (size - 1) >> pageSize.trailingZeroBitCount
        return pages == 0 ? 0 : Int.bitWidth - pages.leadingZeroBitCount
    }

    /// `getOrder` with this allocator's page size.
    public func getOrder(_ size: Int) throws(AllocError) -> Int {
        try Self.getOrder(size, pageSize: pageSize)
    }

    /// Allocates a block of `2^order` pages and returns its first byte.
    ///
    /// Takes the first block of the lowest non-empty free list at or above
    /// `order` and splits it down, keeping the lower half at every step (the
    /// kernel's `expand()`): the upper halves go on the lists of orders
    /// `k-1 ... order`. The memory is readable and writable by the caller.
    ///
    /// Inlinable, with everything it calls on the correct path, so that a
    /// caller's loop runs it without a call (the call, the saving and
    /// restoring of registers and the test of the error cost as much as a
    /// sixth of it). With a defect, ASan or fault injection the whole call
    /// runs out of line, compiled in this module (for ASan: with its
    /// checks of the allocator's own accesses, which a client module built
    /// without them would drop), as the slab layer's inlined paths do.
    @inlinable @inline(__always)
    public func allocPages(order: Int) throws(AllocError) -> UnsafeMutableRawPointer {
        guard _fastPath(plainAllocation) else { return try allocPagesOutOfLine(order: order) }
        let pfn = try takeFreeBlock(order: order)
        markAllocated(pfn, order: order)
        return address(ofPage: pfn)
    }

    /// `allocPages(order:)` with fault injection, a defect or ASan.
    @usableFromInline @inline(never)
    func allocPagesOutOfLine(order: Int) throws(AllocError) -> UnsafeMutableRawPointer {
        let pfn = try takeBlock(order: order)
        markAllocated(pfn, order: order)
        let address = address(ofPage: pfn)
        if asan {
            noteHandedOut(pfn, order: order)
            Sanitizer.unpoison(address, bytesInArena(pfn, order: order))
        }
        return address
    }

    /// Writes the descriptor of the block `allocPages(order:)` hands out.
    @inlinable @inline(__always)
    func markAllocated(_ pfn: Int, order: Int) {
        // `takeBlock` returns only for an order in `0...topOrder` (at most
        // 30): the conversion needs no check.
        pages[pfn] = PageDescriptor(kind: .allocated, order: UInt8(truncatingIfNeeded: order), next: -1, prev: -1,
                                    slab: -1, info: 0)
    }

    /// Frees a block that `allocPages(order:)` returned, with the same order,
    /// merging it with free buddies up to the top order. Inlinable, as
    /// `allocPages(order:)` is, and out of line with a defect or ASan.
    @inlinable @inline(__always)
    public func freePages(_ address: UnsafeMutableRawPointer, order: Int) throws(AllocError) {
        guard _fastPath(plainPaths) else { return try freePagesOutOfLine(address, order: order) }
        let pfn = try checkFreePages(address, order: order)
        releaseFreeBlock(pfn, order: order)
    }

    /// `freePages(_:order:)` with a defect or ASan.
    @usableFromInline @inline(never)
    func freePagesOutOfLine(_ address: UnsafeMutableRawPointer, order: Int) throws(AllocError) {
        let pfn = try checkFreePages(address, order: order)
        releaseBlock(pfn, order: order)
    }

    /// `freePages(_:order:)`'s checks: the page frame of the block to free,
    /// or the error that refuses the call (before anything is changed).
    @inlinable @inline(__always)
    func checkFreePages(_ address: UnsafeMutableRawPointer, order: Int) throws(AllocError) -> Int {
        try checkOrder(order)
        let pfn = try pageFrame(of: address)
        let page = pages[pfn]
        switch page.kind {
        case .allocated:
            if page.slab >= 0 { throw .slabPage(pfn: pfn) }
            guard Int(page.order) == order || _slowPath(acceptsWrongOrder(pfn, order: order)) else {
                throw .wrongOrder(pfn: pfn, allocated: Int(page.order), given: order)
            }
        case .exact:
            throw .wrongFreeFunction(pfn: pfn, allocatedWith: "allocPagesExact")
        default:
            guard _slowPath(defect == .pageDoubleFreeUndetected), page.kind == .free else { throw misuse(at: pfn) }
        }
        return pfn
    }

    // MARK: The buddy algorithm

    @inlinable @inline(__always)
    func checkOrder(_ order: Int) throws(AllocError) {
        // One unsigned comparison refuses both (a negative order is a huge
        // unsigned one); which error it is is sorted out off the hot path.
        guard UInt(bitPattern: order) <= UInt(bitPattern: topOrder) else { throw orderError(order) }
    }

    /// The error for an order `checkOrder` refused.
    @usableFromInline @inline(never)
    func orderError(_ order: Int) -> AllocError {
        order < 0 ? .negativeOrder(order: order) : .orderAboveTop(order: order, topOrder: topOrder)
    }

    /// Removes a block of exactly `2^order` pages from the free lists (split
    /// as needed) and returns its pfn. The head's descriptor is left for the
    /// caller to write whole: it still holds its free-list state (written
    /// once by the caller rather than reset here and then marked).
    @inline(__always)
    func takeBlock(order: Int) throws(AllocError) -> Int {
        if _slowPath(faultInjection != nil) { try injectFault(order: order) }
        if _slowPath(defect != nil) { return try takeBlockWithDefect(order: order) }
        return try takeFreeBlock(order: order)
    }

    /// `takeBlock` without fault injection and without a defect.
    @inlinable @inline(__always)
    func takeFreeBlock(order: Int) throws(AllocError) -> Int {
        try checkOrder(order)
        var current = order
        while current <= topOrder && freeLists.heads[current] < 0 { current += 1 }
        guard current <= topOrder else { throw .outOfMemory(order: order) }
        let pfn = Int(freeLists.heads[current])
        // The caller writes the head's descriptor: its links need no clearing.
        freeLists.unlinkFirst(Int32(truncatingIfNeeded: pfn), order: current, pages: pages)
        split(pfn, from: current, to: order)
        // `order` is checked above: the shift needs no check of its own,
        // and the count, at most the arena's pages (an Int32), cannot
        // overflow.
        freePages &-= 1 &<< order
        return pfn
    }

    /// Fault injection's turn, after the order is known to be valid and
    /// before any memory is looked for.
    @inline(never)
    func injectFault(order: Int) throws(AllocError) {
        try checkOrder(order)
        if faultInjection!.shouldFail(order: order) { throw .injectedFailure(order: order) }
    }

    /// Splits the block at `pfn` from order `from` down to order `to`: keeps
    /// the lower half, puts the upper half back one order down, each time.
    @inlinable @inline(__always)
    func split(_ pfn: Int, from: Int, to order: Int) {
        var current = from
        while current > order {
            current -= 1
            listFreeBlock(pfn + (1 &<< current), order: current)
        }
    }

    /// Marks `pfn` the head of a free block of `order` and puts it at the
    /// front of that order's list.
    @inlinable @inline(__always)
    func listFreeBlock(_ pfn: Int, order: Int) {
        // Orders are at most 30 and pfns below `pageCount`, which fits an
        // Int32 (checked at creation): the conversions need no checks.
        pages[pfn].kind = .free
        pages[pfn].order = UInt8(truncatingIfNeeded: order)
        freeLists.pushFront(Int32(truncatingIfNeeded: pfn), order: order, pages: pages)
    }

    /// Returns the block at `pfn` of `order` to the free lists, merging with
    /// its buddy while the buddy is a free block of the same order (the
    /// kernel's `__free_one_page`). Never merges beyond `topOrder`, so two
    /// free top-order buddies stay two blocks. Holes never merge: reserved
    /// pages are never free heads, and buddies past the arena are skipped.
    @inline(__always)
    func releaseBlock(_ pfn: Int, order: Int) {
        if _slowPath(defect != nil) { return releaseBlockWithDefect(pfn, order: order) }
        if asan { Sanitizer.poison(address(ofPage: pfn), bytesInArena(pfn, order: order)) }
        releaseFreeBlock(pfn, order: order)
    }

    /// `releaseBlock` without a defect and without ASan.
    @inlinable @inline(__always)
    func releaseFreeBlock(_ pfn: Int, order: Int) {
        // Orders here are at most `topOrder`: the shifts need no checks.
        // The count stays at most the arena's pages (an Int32): the sum
        // cannot overflow. `bit` is `1 << current` throughout, kept rather
        // than shifted anew each round of the loop.
        var bit = 1 &<< order
        freePages &+= bit
        // Every old head becomes a plain tail of the merged block; no stale
        // order or mark may survive, so equal states compare equal. Of the
        // two heads a merge joins, the upper one becomes a tail there; the
        // lower one heads the merged block, and the block's final head is
        // written whole when it is listed. The loop never reads the freed
        // head's own descriptor (its buddies lie outside the merged block),
        // so it is not reset first: a free that merges nothing, most of
        // them, writes the descriptor once instead of twice.
        var head = pfn
        var current = order
        while current < topOrder {
            let buddy = head ^ bit
            guard buddy < pageCount,
                  pages[buddy].kind == .free, Int(pages[buddy].order) == current
            else { break }
            freeLists.unlink(Int32(truncatingIfNeeded: buddy), order: current, pages: pages)
            pages[head | bit] = .tail
            head &= ~bit
            current &+= 1
            bit &<<= 1
        }
        listFreeHead(head, order: current)
    }

    /// Writes the whole descriptor of `pfn` as the head of a free block of
    /// `order` (`listFreeBlock` on a plain tail, in one write) and puts it
    /// at the front of that order's list.
    @inlinable @inline(__always)
    func listFreeHead(_ pfn: Int, order: Int) {
        let first = freeLists.heads[order]
        // Orders are at most 30 and pfns below `pageCount`, which fits an
        // Int32 (checked at creation): the conversions need no checks.
        pages[pfn] = PageDescriptor(kind: .free, order: UInt8(truncatingIfNeeded: order), next: first, prev: -1,
                                    slab: -1, info: 0)
        freeLists.linkFirst(Int32(truncatingIfNeeded: pfn), before: first, order: order, pages: pages)
    }

    /// Explains why the page at `pfn` cannot be freed: it is reserved, free
    /// already, or inside an allocation without being its head.
    @usableFromInline
    func misuse(at pfn: Int) -> AllocError {
        if pages[pfn].kind == .reserved { return .reservedPage(pfn: pfn) }
        // Any page of a slab, not only its head: the slab layer owns it.
        if pages[pfn].slab >= 0 { return .slabPage(pfn: pfn) }
        if let (blockPfn, blockOrder) = freeBlock(containing: pfn) {
            return .doubleFree(pfn: pfn, blockPfn: blockPfn, blockOrder: blockOrder)
        }
        return .notAllocationHead(pfn: pfn)
    }

    /// The free block that contains `pfn`, if any: its head is the
    /// `2^k`-aligned page at or below `pfn` for some order `k` (O(top order)).
    func freeBlock(containing pfn: Int) -> (pfn: Int, order: Int)? {
        for order in 0...topOrder {
            let head = pfn & ~((1 << order) - 1)
            let page = pages[head]
            if page.kind == .free && Int(page.order) >= order && head + (1 << Int(page.order)) > pfn {
                return (head, Int(page.order))
            }
        }
        return nil
    }
}
