/// Buddies coalesced: no two free buddies of the same order below the top
/// order.
///
/// For every `.free` head at pfn `p` with order `k < topOrder` and `p` a
/// multiple of `2^k`, the page at its buddy `p ^ 2^k` (when inside the arena)
/// is not a `.free` head of the same order `k`. Freeing merges such a pair
/// into one block of order `k + 1` at `p & ~2^k`; a pair left apart is
/// memory a request of order `k + 1` cannot get. Two free buddies at the top
/// order are correct: blocks never grow beyond it.
///
/// Misaligned heads and orders above the top are `Alignment`'s to report;
/// they have no meaningful buddy, so they are skipped here. Each pair is
/// reported once, from its lower block.
///
/// Cost: one pass over the pages, no allocation.
public enum BuddiesCoalesced: SnapshotInvariant {
    public static let name = InvariantName.buddiesCoalesced

    public static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation] {
        var log = ViolationLog(name, limit: limit)
        let pageCount = snapshot.pages.count
        let topOrder = snapshot.topOrder
        snapshot.pages.withUnsafeBufferPointer { pages in
            for pfn in 0..<pageCount {
                let page = pages[pfn]
                guard page.kind == .free else { continue }
                let order = Int(page.order)
                guard order < topOrder, order < Checked.largestShift else { continue }
                let span = 1 << order
                // Only the lower block of a pair looks up (its buddy is above it).
                guard pfn & ((span << 1) - 1) == 0 else { continue }
                let buddy = pfn + span
                guard buddy < pageCount else { continue }
                let other = pages[buddy]
                if other.kind == .free && Int(other.order) == order {
                    log.report([pfn, buddy],
                               "Free blocks at pages \(pfn) and \(buddy) are buddies of order \(order), both free and "
                               + "not merged: freeing must coalesce them into one block of order \(order + 1) at page "
                               + "\(pfn).")
                }
            }
        }
        return log.finish()
    }
}
