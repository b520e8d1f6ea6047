import Invariants

extension PageAllocator {
    /// Allocates exactly `ceil(size / pageSize)` pages, physically contiguous
    /// (the kernel's `alloc_pages_exact`).
    ///
    /// Takes one block of `getOrder(size)`, keeps its first `nr` pages and
    /// frees the tail ONE PAGE AT A TIME, IN ASCENDING ORDER, AT ORDER 0; the
    /// freed pages then merge by the ordinary buddy rules. A size that is
    /// already a power-of-two number of pages frees nothing.
    public func allocPagesExact(_ size: Int) throws(AllocError) -> UnsafeMutableRawPointer {
        guard size > 0 else { throw size == 0 ? .zeroSize : .negativeSize(size: size) }
        let maximum = pageSize << topOrder
        guard size <= maximum else { throw .sizeTooLarge(size: size, maximum: maximum) }
        let order = try getOrder(size)
        let pfn = try takeBlock(order: order)
        let kept = pageCount(forBytes: size)
        // Written whole (see `takeBlock`).
        pages[pfn] = PageDescriptor(kind: .exact, order: 0, next: -1, prev: -1, slab: -1, info: UInt64(size))
        if asan {
            noteHandedOut(pfn, order: order)
            Sanitizer.unpoison(address(ofPage: pfn), bytesInArena(pfn, count: kept))
        }
        var trimStart = pfn + kept
        if _slowPath(defect != nil) { trimStart = trimStartWithDefect(pfn, kept: kept, order: order) }
        for tailPfn in trimStart..<max(trimStart, pagesInArena(pfn, order: order)) {
            releaseBlock(tailPfn, order: 0)
        }
        return address(ofPage: pfn)
    }

    /// Frees an exact allocation: every page of `PAGE_ALIGN(size)`
    /// individually, at order 0, in ascending order (the kernel's
    /// `free_pages_exact`). `size` must cover the same pages as the size that
    /// was allocated; freeing everything that was taken restores the free
    /// lists exactly.
    public func freePagesExact(_ address: UnsafeMutableRawPointer, size: Int) throws(AllocError) {
        guard size > 0 else { throw size == 0 ? .zeroSize : .negativeSize(size: size) }
        let pfn = try pageFrame(of: address)
        let page = pages[pfn]
        switch page.kind {
        case .exact:
            let allocated = Int(page.info)
            guard pageCount(forBytes: size) == pageCount(forBytes: allocated) else {
                throw .wrongSize(pfn: pfn, allocatedBytes: allocated, givenBytes: size)
            }
        case .allocated:
            if page.slab >= 0 { throw .slabPage(pfn: pfn) }
            throw .wrongFreeFunction(pfn: pfn, allocatedWith: "allocPages(order: \(page.order))")
        default:
            throw misuse(at: pfn)
        }
        var count = pageCount(forBytes: Int(page.info))
        if _slowPath(defect != nil) { count = freedPageCountWithDefect(pfn, count: count) }
        for each in pfn..<pagesInArena(pfn, count: count) {
            releaseBlock(each, order: 0)
        }
    }

    /// `ceil(bytes / pageSize)` for `bytes >= 1`, written so that no size up
    /// to `Int.max` overflows (a caller may pass any size to `freePagesExact`).
    @inline(__always)
    func pageCount(forBytes bytes: Int) -> Int {
        ((bytes - 1) >> pageShift) + 1
    }
}
