import Invariants

// The slab layer's two doors into the buddy allocator. A slab (or a large
// kmalloc block) is an ordinary allocated block whose every page carries the
// slab's mark, so that an address alone leads to its slab, and so that
// `freePages`/`freePagesExact` refuse it (`AllocError.slabPage`).
extension PageAllocator {
    /// Takes a block of `2^order` pages for the slab layer. The head is marked
    /// `.allocated` with its order and every page's `slab` is set to the head's
    /// pfn, which is also the slab's id. The memory stays ASan-poisoned: the
    /// slab layer unpoisons what it hands out.
    func takeSlabBlock(order: Int) throws(AllocError) -> Int {
        let pfn = try takeBlock(order: order)
        // `takeBlock` leaves the head's descriptor to its caller.
        pages[pfn] = .tail
        // Only a defect hands out a block past the arena's end (see
        // `PageAllocator+Defects.swift`). The slab layer would write its
        // objects' free pointers there, outside the arena: the block is
        // refused instead, and the state the defect left stays as it is.
        guard pfn + (1 << order) <= pageCount else { throw .outOfMemory(order: order) }
        if asan { noteHandedOut(pfn, order: order) }
        pages[pfn].kind = .allocated
        pages[pfn].order = UInt8(order)
        let mark = Int32(pfn)
        for page in pfn..<(pfn + (1 << order)) { pages[page].slab = mark }
        return pfn
    }

    /// Gives a slab's block back: clears the mark of every page (the buddy
    /// code only resets the head), then frees the block with the usual merging.
    func releaseSlabBlock(_ pfn: Int, order: Int) {
        for page in pfn..<(pfn + (1 << order)) { pages[page].slab = -1 }
        releaseBlock(pfn, order: order)
    }

    /// The slab mark of the page holding byte `offset` of the arena, or -1 when
    /// the offset is outside the arena or the page belongs to no slab.
    @inline(__always)
    func slabMark(atOffset offset: UInt) -> Int32 {
        guard offset < UInt(pageCount << pageShift) else { return -1 }
        return pages[Int(offset >> UInt(pageShift))].slab
    }
}
