// The reference model: a plain owner per page, nothing of the buddy system.
//
// Invariant: `windowFree(k, w)` is the number of free pages in the aligned
// window `w << k ..< (w + 1) << k`, and `fullyFreeWindows[k]` the number of
// windows of order k whose every page is free. Windows that cross the arena's
// end or a hole can never be fully free, so they never count. A correct buddy
// allocator coalesces every pair of free buddies below the top order, so an
// order-k allocation must succeed exactly when some window of order k is
// fully free, and a free block is exactly a maximal fully free window.

struct ReferenceModel {
    /// Owner values besides a handle's step number (which is >= 1).
    static let free: Int32 = 0
    static let reserved: Int32 = -1
    /// A page the slab layer holds for a cache (learned by observation).
    static let slab: Int32 = -2

    let pageCount: Int
    let topOrder: Int
    private(set) var owner: [Int32]
    private(set) var freePages = 0
    /// Every order's window counts in one array (one allocation per run, not
    /// one per order): order k's windows start at `windowStart[k]`.
    private var windowCounts: [Int32]
    private var windowStart: [Int]
    private(set) var fullyFreeWindows: [Int]

    init(arena: Arena) {
        pageCount = arena.pageCount
        topOrder = Arena.topOrder
        owner = Array(repeating: Self.free, count: arena.pageCount)
        var starts: [Int] = []
        starts.reserveCapacity(Arena.topOrder + 2)
        var total = 0
        for k in 0...Arena.topOrder {
            starts.append(total)
            total += (arena.pageCount + (1 << k) - 1) >> k
        }
        starts.append(total)
        windowStart = starts
        windowCounts = Array(repeating: 0, count: total)
        fullyFreeWindows = Array(repeating: 0, count: Arena.topOrder + 1)
        for hole in arena.reserved { for pfn in hole { owner[pfn] = Self.reserved } }
        // Counts bottom-up: order k's window is its two halves at order k - 1.
        for pfn in 0..<pageCount where owner[pfn] == Self.free { windowCounts[pfn] = 1 }
        for k in 1...Arena.topOrder {
            let below = windowStart[k - 1], belowCount = windowStart[k] - below
            for w in 0..<(windowStart[k + 1] - windowStart[k]) {
                let low = windowCounts[below + 2 * w]
                windowCounts[windowStart[k] + w] = low + (2 * w + 1 < belowCount ? windowCounts[below + 2 * w + 1] : 0)
            }
        }
        for k in 0...Arena.topOrder {
            var full = 0
            for i in windowStart[k]..<windowStart[k + 1] where windowCounts[i] == 1 << k { full += 1 }
            fullyFreeWindows[k] = full
        }
        freePages = windowCounts[0..<pageCount].reduce(0) { $0 + Int($1) }
    }

    /// Makes this model equal to `other`, copying into this model's own
    /// buffers where they are large enough: a fuzz target starts every input
    /// from the same new model, and a copy on first write was three heap
    /// allocations per input.
    mutating func assign(_ other: ReferenceModel) {
        var owner = self.owner, windowCounts = self.windowCounts, fullyFreeWindows = self.fullyFreeWindows
        // From here the buffers are the locals' alone.
        self = other
        owner.replaceContents(with: other.owner)
        windowCounts.replaceContents(with: other.windowCounts)
        fullyFreeWindows.replaceContents(with: other.fullyFreeWindows)
        self.owner = owner
        self.windowCounts = windowCounts
        self.fullyFreeWindows = fullyFreeWindows
    }

    /// Free pages in window `w` of order `k`.
    private func windowFree(_ k: Int, _ w: Int) -> Int32 { windowCounts[windowStart[k] + w] }

    /// Whether an allocation of `order` must succeed.
    func canAllocate(order: Int) -> Bool { order <= topOrder && fullyFreeWindows[order] > 0 }

    /// The order of the free block holding `pfn`: the largest fully free
    /// window containing it (nil when the page is not free).
    func freeBlockOrder(containing pfn: Int) -> Int? {
        guard owner[pfn] == Self.free else { return nil }
        var order = 0
        while order < topOrder, windowFree(order + 1, pfn >> (order + 1)) == 1 << (order + 1) { order += 1 }
        return order
    }

    /// Gives `range` to `newOwner`; returns the pages that were not free.
    mutating func take(_ range: Range<Int>, for newOwner: Int32) -> [Int] {
        var taken: [Int] = []
        var run = range.lowerBound  // start of the current run of pages that change
        for pfn in range where owner[pfn] != Self.free {
            countFree(run..<pfn, -1)
            taken.append(pfn)
            run = pfn + 1
        }
        countFree(run..<range.upperBound, -1)
        for pfn in range where owner[pfn] == Self.free { owner[pfn] = newOwner }
        return taken
    }

    /// Frees the pages of `range` that `currentOwner` holds.
    mutating func release(_ range: Range<Int>, from currentOwner: Int32) {
        var run = range.lowerBound
        for pfn in range where owner[pfn] != currentOwner {
            countFree(run..<pfn, +1)
            run = pfn + 1
        }
        countFree(run..<range.upperBound, +1)
        for pfn in range where owner[pfn] == currentOwner { owner[pfn] = Self.free }
    }

    /// Adds `delta` free pages for every page of `pages` to the counts of
    /// every window holding them (a window by its overlap, not page by page).
    private mutating func countFree(_ pages: Range<Int>, _ delta: Int32) {
        guard !pages.isEmpty else { return }
        freePages += pages.count * Int(delta)
        for k in 0...topOrder {
            let full = Int32(1 << k)
            for w in (pages.lowerBound >> k)...((pages.upperBound - 1) >> k) {
                let overlap = min(pages.upperBound, (w + 1) << k) - max(pages.lowerBound, w << k)
                let i = windowStart[k] + w
                if windowCounts[i] == full { fullyFreeWindows[k] -= 1 }
                windowCounts[i] += delta * Int32(overlap)
                if windowCounts[i] == full { fullyFreeWindows[k] += 1 }
            }
        }
    }
}
