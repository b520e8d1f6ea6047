import Invariants

// White-box hooks. Only the package's own tests use these, to corrupt a state
// on purpose and show that the right invariant reports it.
extension PageAllocator {
    /// Makes every later table allocation of a new page allocator or slab
    /// layer fail, as when memory runs out after the arena was allocated.
    /// Process-wide: for tests that run in a child process only.
    nonisolated(unsafe) package static var _testingFailTableAllocations = false

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
