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
                if page.kind == .exact { exact.append(ExactAllocationRecord(pfn: pfn, bytes: Int(page.info))) }
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

    /// The slab layer's part of the snapshot; empty until slabs exist.
    func slabLayerSnapshot() -> SlabLayerSnapshot { SlabLayerSnapshot() }
}
