import Invariants

extension PageAllocator {
    /// A read-only copy of the allocator's state for the `Invariants`
    /// checkers, and for proving that a refused call changed nothing (two
    /// snapshots compare equal exactly when every descriptor, list and count
    /// is the same).
    public func snapshot() -> AllocatorSnapshot {
        var exact: [ExactAllocationRecord] = []
        let records = [PageRecord](unsafeUninitializedCapacity: pageCount) { buffer, initialized in
            for pfn in 0..<pageCount {
                let page = pages[pfn]
                buffer[pfn] = PageRecord(kind: page.kind, order: page.order, next: page.next,
                                         prev: page.prev, slab: page.slab)
                if page.kind == .exact {
                    // Sized once, at the first one (growing by doubling cost a heap allocation each time).
                    if exact.isEmpty { exact.reserveCapacity(1 + exactHeads(in: pfn + 1..<pageCount)) }
                    exact.append(ExactAllocationRecord(pfn: pfn, bytes: Int(page.info)))
                }
            }
            initialized = pageCount
        }
        let lists = (0...topOrder).map {
            FreeListRecord(head: freeLists.heads[$0], tail: freeLists.tails[$0], count: freeLists.counts[$0])
        }
        return AllocatorSnapshot(pageSize: pageSize, topOrder: topOrder, pages: records, freeLists: lists,
                                 exactAllocations: exact, freePageCount: freePages,
                                 slabLayer: slabLayerSnapshot())
    }

    /// How many exact allocations start in `range`.
    private func exactHeads(in range: Range<Int>) -> Int {
        var count = 0
        for pfn in range where pages[pfn].kind == .exact { count += 1 }
        return count
    }

    /// The slab layer's part of the snapshot; empty until slabs exist.
    func slabLayerSnapshot() -> SlabLayerSnapshot { SlabLayerSnapshot() }
}

extension PageAllocator {
    /// One page's record, exactly as `snapshot()` would report it, without
    /// copying the whole arena: for checks local to the pages a call touched.
    /// `pfn` must be in `0..<pageCount`.
    public func pageRecord(_ pfn: Int) -> PageRecord {
        precondition(pfn >= 0 && pfn < pageCount, "page \(pfn) is outside the arena")
        let page = pages[pfn]
        return PageRecord(kind: page.kind, order: page.order, next: page.next, prev: page.prev, slab: page.slab)
    }

    /// The free list of `order` (head, tail, count), as `snapshot()` reports it.
    public func freeListRecord(order: Int) -> FreeListRecord {
        precondition(order >= 0 && order <= topOrder, "order \(order) is outside 0...\(topOrder)")
        return FreeListRecord(head: freeLists.heads[order], tail: freeLists.tails[order], count: freeLists.counts[order])
    }

    /// The requested size of the live exact allocation headed by `pfn`, or nil.
    public func exactAllocationBytes(at pfn: Int) -> Int? {
        guard pfn >= 0, pfn < pageCount, pages[pfn].kind == .exact else { return nil }
        return Int(pages[pfn].info)
    }
}
