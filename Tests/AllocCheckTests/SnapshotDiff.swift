import Invariants

/// The first difference between two snapshots, in words, or nil when they are
/// equal. Keeps failure messages short: a 1,000-page snapshot printed whole is
/// unreadable.
func firstDifference(_ a: AllocatorSnapshot, _ b: AllocatorSnapshot) -> String? {
    if a == b { return nil }
    if a.pages.count != b.pages.count { return "page counts \(a.pages.count) vs \(b.pages.count)" }
    for pfn in a.pages.indices where a.pages[pfn] != b.pages[pfn] {
        return "page \(pfn): \(a.pages[pfn]) vs \(b.pages[pfn])"
    }
    for order in a.freeLists.indices where a.freeLists[order] != b.freeLists[order] {
        return "free list \(order): \(a.freeLists[order]) vs \(b.freeLists[order])"
    }
    if a.exactAllocations != b.exactAllocations { return "exact allocations \(a.exactAllocations) vs \(b.exactAllocations)" }
    if a.freePageCount != b.freePageCount { return "free page count \(a.freePageCount) vs \(b.freePageCount)" }
    return "slab layers differ"
}
