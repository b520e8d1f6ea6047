// The page allocator with a defect switched on (`PageAllocator.defect`).
//
// The correct paths test the switch once (`if _slowPath(defect != nil)`) and
// come here, out of line, only when it is on. Each function below is the
// correct one with the defect's bend written in where the bug would be;
// defects it does not concern leave it behaving exactly as the correct one.
// The bends stay memory-safe, so a defect corrupts the allocator's state,
// never the process: every page index a bend writes is inside the arena, and
// a block one may hand out past the arena's end (scan-one-order-low's whole
// arena for an order past it, the missing refusal that shows the defect in
// one step) is written only up to the end: every per-page loop over a block
// stops there (`PageAllocator.pagesInArena`).

extension PageAllocator {
    /// `takeBlock` with the defect on: scan-one-order-low and
    /// split-lists-handed-out-half bend it.
    @inline(never)
    func takeBlockWithDefect(order: Int) throws(AllocError) -> Int {
        try checkOrder(order)
        var current = defect == .scanOneOrderLow ? max(0, order - 1) : order
        while current <= topOrder && freeLists.heads[current] < 0 { current += 1 }
        guard current <= topOrder else { throw .outOfMemory(order: order) }
        let pfn = Int(freeLists.heads[current])
        freeLists.remove(Int32(pfn), order: current, pages: pages)
        split(pfn, from: current, to: order)
        if defect == .splitListsHandedOutHalf && current > order {
            freeLists.pushFront(Int32(pfn), order: order, pages: pages)
        }
        pages[pfn] = .tail
        freePages -= 1 << order
        return pfn
    }

    /// `releaseBlock` with the defect on: the merge defects bend it.
    @inline(never)
    func releaseBlockWithDefect(_ pfn: Int, order: Int) {
        Sanitizer.poison(address(ofPage: pfn), bytesInArena(pfn, order: order))
        freePages += 1 << order
        var head = pfn
        var current = order
        while current < topOrder {
            let buddy = defect == .buddyByAddition ? head + (1 << current) : head ^ (1 << current)
            guard buddy < pageCount else { break }
            let hole = defect == .mergeAcrossHole && current == 0 && pages[buddy].kind == .reserved
            guard hole || (pages[buddy].kind == .free && Int(pages[buddy].order) == current) else { break }
            if !hole {
                freeLists.remove(Int32(buddy), order: current, pages: pages)
                if defect == .mergeCountStale { freeLists.counts[current] += 1 }
            }
            pages[buddy] = .tail
            pages[head] = .tail
            // By addition the buddy is always above: the merged block keeps the lower head.
            if defect != .buddyByAddition { head &= ~(1 << current) }
            current += 1
        }
        pages[head] = .tail
        if defect == .mergeStopsEarly && current > order {
            // The last merge undone: the two halves stay free side by side.
            current -= 1
            listFreeBlock(head + (1 << current), order: current)
        }
        if defect == .topMergeUnlisted && current == topOrder {
            pages[head].kind = .free
            pages[head].order = UInt8(current)
            return
        }
        listFreeBlock(head, order: current)
    }

    /// Whether `freePages` lets a wrong order through (wrong-order-accepted),
    /// as long as the block it describes lies inside the arena.
    @usableFromInline
    func acceptsWrongOrder(_ pfn: Int, order: Int) -> Bool {
        defect == .wrongOrderAccepted && pfn + (1 << order) <= pageCount
    }

    /// The first page `allocPagesExact` gives back of a block of `order` at
    /// `pfn` that keeps `kept` pages, with the exact-trim defects.
    func trimStartWithDefect(_ pfn: Int, kept: Int, order: Int) -> Int {
        switch defect {
        case .exactTrimOneTooMany: return pfn + kept - 1
        case .exactTrimOneTooFew: return min(pfn + kept + 1, pfn + (1 << order))
        default: return pfn + kept
        }
    }

    /// How many pages `freePagesExact` gives back of an allocation of `count`
    /// pages at `pfn`, with free-exact-one-past.
    func freedPageCountWithDefect(_ pfn: Int, count: Int) -> Int {
        defect == .freeExactOnePast && pfn + count < pageCount ? count + 1 : count
    }
}
