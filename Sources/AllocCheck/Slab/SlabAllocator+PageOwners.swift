// Which cache holds each page, for the whole arena at once: the judge reads
// this whenever the slab layer took or gave back pages, and one pass over the
// page marks costs a few instructions per page where `cacheOwning(page:)` for
// each page costs several times that.

extension SlabAllocator {
    /// Writes, for every page frame of the arena, the index of the cache whose
    /// slab holds it (`cacheOwning(page:)`'s `index`), or -1 when no cache's
    /// slab does (free, a page allocation, a large kmalloc block).
    /// `owners` must hold exactly one entry per page.
    public func cacheIndicesOfPages(into owners: UnsafeMutableBufferPointer<Int32>) {
        let pageCount = pageAllocator.pageCount
        precondition(owners.count == pageCount, "one entry per page")
        for pfn in 0..<pageCount { owners[pfn] = cacheIndex(ofPage: pfn) }
    }

    /// The index of the cache whose slab holds page `pfn` (in the arena), or
    /// -1: what `cacheOwning(page:)` and `cacheIndicesOfPages(into:)` read.
    @inline(__always)
    func cacheIndex(ofPage pfn: Int) -> Int32 {
        let sid = pageAllocator.pages[pfn].slab
        // Both special cache values (`unused`, `largeKmalloc`) are negative.
        return sid >= 0 ? Swift.max(slabs[Int(sid)].cache, -1) : -1
    }
}
