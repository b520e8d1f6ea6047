import Invariants

// White-box hooks. Only the package's own tests use these, to corrupt a state
// on purpose and show that the right invariant reports it.
extension PageAllocator {
    /// Overwrites the descriptor of page `pfn`. Test-only.
    package func _testingSetPage(_ pfn: Int, _ update: (inout PageDescriptor) -> Void) {
        update(&pages[pfn])
    }

    /// Reads the descriptor of page `pfn`. Test-only.
    package func _testingPage(_ pfn: Int) -> PageDescriptor { pages[pfn] }

    /// Overwrites a free list's head, tail or count. Test-only.
    package func _testingSetFreeList(order: Int, head: Int32? = nil, tail: Int32? = nil, count: Int? = nil) {
        if let head { freeLists.heads[order] = head }
        if let tail { freeLists.tails[order] = tail }
        if let count { freeLists.counts[order] = count }
    }

    /// Overwrites the running free-page count. Test-only.
    package func _testingSetFreePageCount(_ count: Int) { freePages = count }
}
