// The reference model: a plain owner per page, nothing of the buddy system.
//
// Invariant: `windowFree[k][w]` is the number of free pages in the aligned
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
    private var windowFree: [[Int32]]
    private(set) var fullyFreeWindows: [Int]

    init(arena: Arena) {
        pageCount = arena.pageCount
        topOrder = Arena.topOrder
        owner = Array(repeating: Self.free, count: arena.pageCount)
        windowFree = (0...Arena.topOrder).map { k in Array(repeating: 0, count: (arena.pageCount + (1 << k) - 1) >> k) }
        fullyFreeWindows = Array(repeating: 0, count: Arena.topOrder + 1)
        for hole in arena.reserved { for pfn in hole { owner[pfn] = Self.reserved } }
        // Counts bottom-up: order k's window is its two halves at order k - 1.
        for pfn in 0..<pageCount where owner[pfn] == Self.free { windowFree[0][pfn] = 1 }
        for k in 1...Arena.topOrder {
            for w in 0..<windowFree[k].count {
                let low = windowFree[k - 1][2 * w]
                windowFree[k][w] = low + (2 * w + 1 < windowFree[k - 1].count ? windowFree[k - 1][2 * w + 1] : 0)
            }
        }
        for k in 0...Arena.topOrder { fullyFreeWindows[k] = windowFree[k].filter { $0 == 1 << k }.count }
        freePages = windowFree[0].reduce(0) { $0 + Int($1) }
    }

    /// Whether an allocation of `order` must succeed.
    func canAllocate(order: Int) -> Bool { order <= topOrder && fullyFreeWindows[order] > 0 }

    /// The order of the free block holding `pfn`: the largest fully free
    /// window containing it (nil when the page is not free).
    func freeBlockOrder(containing pfn: Int) -> Int? {
        guard owner[pfn] == Self.free else { return nil }
        var order = 0
        while order < topOrder, windowFree[order + 1][pfn >> (order + 1)] == 1 << (order + 1) { order += 1 }
        return order
    }

    /// Gives `range` to `newOwner`; returns the pages that were not free.
    mutating func take(_ range: Range<Int>, for newOwner: Int32) -> [Int] {
        var taken: [Int] = []
        for pfn in range {
            if owner[pfn] != Self.free { taken.append(pfn); continue }
            owner[pfn] = newOwner
            countFree(pfn, -1)
        }
        return taken
    }

    /// Frees the pages of `range` that `currentOwner` holds.
    mutating func release(_ range: Range<Int>, from currentOwner: Int32) {
        for pfn in range where owner[pfn] == currentOwner {
            owner[pfn] = Self.free
            countFree(pfn, +1)
        }
    }

    private mutating func countFree(_ pfn: Int, _ delta: Int32) {
        freePages += Int(delta)
        for k in 0...topOrder {
            let w = pfn >> k
            let full = Int32(1 << k)
            if windowFree[k][w] == full { fullyFreeWindows[k] -= 1 }
            windowFree[k][w] += delta
            if windowFree[k][w] == full { fullyFreeWindows[k] += 1 }
        }
    }
}
