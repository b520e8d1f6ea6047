import Invariants

extension PageAllocator {
    /// A read-only copy of the allocator's state for the `Invariants`
    /// checkers, and for proving that a refused call changed nothing (two
    /// snapshots compare equal exactly when every descriptor, list and count
    /// is the same). With a slab layer over this allocator it is the layer's
    /// `snapshot()`: the slab pages' marks name that layer's slabs, which
    /// only its part of the snapshot describes.
    public func snapshot() -> AllocatorSnapshot {
        var snapshot = AllocatorSnapshot(pageSize: pageSize, topOrder: topOrder, pages: [], freeLists: [],
                                         exactAllocations: [], freePageCount: 0)
        self.snapshot(into: &snapshot)
        return snapshot
    }

    /// Makes `snapshot` what `snapshot()` returns, in the storage of the
    /// arrays it holds where that is large enough: a fuzz target checks a
    /// snapshot at least once per input, and its arrays were most of an
    /// execution's heap allocations.
    public func snapshot(into snapshot: inout AllocatorSnapshot) {
        if let slabLayer { return slabLayer.snapshot(into: &snapshot) }
        snapshotPages(into: &snapshot)
        snapshot.slabLayer.assign(slabLayerSnapshot())
    }

    /// Everything of `snapshot(into:)` but the slab layer, which is left as it was.
    func snapshotPages(into snapshot: inout AllocatorSnapshot) {
        snapshot.pageSize = pageSize
        snapshot.topOrder = topOrder
        snapshot.freePageCount = freePages
        if snapshot.pages.count != pageCount {
            snapshot.pages.replaceContents(with: repeatElement(PageRecord(kind: .free, order: 0, next: -1, prev: -1, slab: -1),
                                                            count: pageCount))
        }
        // Taken out while the pages are written (one access at a time).
        var exact: [ExactAllocationRecord] = []
        swap(&exact, &snapshot.exactAllocations)
        exact.removeAll(keepingCapacity: true)
        snapshot.pages.withUnsafeMutableBufferPointer { records in
            for pfn in 0..<pageCount {
                let page = pages[pfn]
                records[pfn] = PageRecord(kind: page.kind, order: page.order, next: page.next, prev: page.prev, slab: page.slab)
                if page.kind == .exact {
                    // Sized once, at the first one (growing by doubling cost a heap allocation each time).
                    if exact.isEmpty { exact.reserveCapacity(1 + exactHeads(in: pfn + 1..<pageCount)) }
                    exact.append(ExactAllocationRecord(pfn: pfn, bytes: Int(page.info)))
                }
            }
        }
        snapshot.exactAllocations = exact
        snapshot.freeLists.removeAll(keepingCapacity: true)
        for order in 0...topOrder {
            snapshot.freeLists.append(FreeListRecord(head: freeLists.heads[order], tail: freeLists.tails[order],
                                                     count: freeLists.counts[order]))
        }
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
