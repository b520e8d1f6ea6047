/// Free-list consistency: every free block is on exactly the list for its
/// order, the lists are well formed, and each list's count is its length.
///
/// In the snapshot's terms:
/// - there is one list record per order `0...topOrder`;
/// - walking list `k` from `head` along the head pages' `next` links, every
///   link is -1 or a pfn inside the arena, every block reached is a `.free`
///   head of order `k`, each block's `prev` is the block before it (-1 for
///   the first), no block is reached twice (no cycle, no block on two lists),
///   and the walk ends at the block named by `tail` (-1 when empty);
/// - the number of blocks reached equals the list's `count` (the kernel's
///   `nr_free`), so the per-order counts equal the number of free heads;
/// - every `.free` head of an order `<= topOrder` was reached, on its list.
///
/// A free head with an order above the top is `Alignment`'s to report and is
/// not looked for here. Each walk stops at the first link it cannot follow
/// (out of the arena, or back to a block already seen), so it takes at most
/// `pageCount` steps in total.
///
/// Cost: one walk of the lists and one pass over the pages, with one byte of
/// "seen" mark per page.
public enum FreeListConsistency: SnapshotInvariant {
    public static let name = InvariantName.freeLists

    public static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation] {
        var log = ViolationLog(name, limit: limit)
        let pageCount = snapshot.pages.count
        let topOrder = snapshot.topOrder
        let lists = snapshot.freeLists
        // One list per order 0...topOrder; a corrupt top order may be Int.max or negative.
        let expectedLists = topOrder < 0 ? 0 : (topOrder == Int.max ? Int.max : topOrder + 1)
        if lists.count != expectedLists {
            log.report([], "The snapshot has \(lists.count) free lists but top order \(topOrder) needs "
                       + "\(expectedLists) (one per order 0...\(topOrder)).")
        }

        var seen = [UInt8](repeating: 0, count: pageCount)
        snapshot.pages.withUnsafeBufferPointer { pages in
            seen.withUnsafeMutableBufferPointer { seen in
                for order in 0..<min(lists.count, expectedLists) {
                    walk(&log, list: lists[order], order: order, pages: pages, seen: seen)
                }
                for pfn in 0..<pageCount where seen[pfn] == 0 {
                    let page = pages[pfn]
                    guard page.kind == .free, Int(page.order) <= topOrder else { continue }
                    log.report([pfn], "The free block at page \(pfn) (order \(page.order)) is on no free list: it "
                               + "can never be allocated; whoever freed or split it did not link it into list "
                               + "\(page.order).")
                }
            }
        }
        return log.finish()
    }

    /// Walks one list, marking every block reached in `seen`.
    private static func walk(
        _ log: inout ViolationLog, list: FreeListRecord, order: Int,
        pages: UnsafeBufferPointer<PageRecord>, seen: UnsafeMutableBufferPointer<UInt8>
    ) {
        var previous: Int32 = -1
        var current = list.head
        var length = 0
        while current != -1 {
            guard current >= 0, Int(current) < pages.count else {
                let from = previous < 0 ? "its head" : "page \(previous)'s next link"
                log.report(previous < 0 ? [Int(current)] : [Int(current), Int(previous)],
                           "Free list \(order): \(from) points to pfn \(current), outside the arena "
                           + "(0...\(pages.count - 1)); the link is corrupt and the rest of the list is unreachable.")
                return
            }
            let pfn = Int(current)
            if seen[pfn] != 0 {
                let from = previous < 0 ? "its head" : "page \(previous)'s next link"
                log.report(previous < 0 ? [pfn] : [pfn, Int(previous)],
                           "Free list \(order): \(from) leads back to page \(pfn), which is already on a free list: "
                           + "the list has a cycle or shares a block with another list.")
                return
            }
            seen[pfn] = 1
            length += 1
            let page = pages[pfn]
            if page.kind != .free || Int(page.order) != order {
                let what = page.kind == .free ? "the head of a free block of order \(page.order)" : page.kind.phrase
                log.report([pfn], "Free list \(order) holds page \(pfn), which is \(what): only free blocks of "
                           + "order \(order) belong on it; the block was re-marked without being unlinked.")
            }
            if page.prev != previous {
                let expected = previous < 0 ? "-1 (it is first on the list)" : "\(previous), the block before it"
                log.report(previous < 0 ? [pfn] : [pfn, Int(previous)],
                           "Free list \(order): page \(pfn)'s prev link is \(page.prev) but should be \(expected): "
                           + "the links do not agree both ways, so unlinking it would corrupt the list.")
            }
            previous = current
            current = page.next
        }
        if list.tail != previous {
            log.report(previous < 0 ? [Int(list.tail)] : [Int(list.tail), Int(previous)],
                       "Free list \(order): its tail is \(list.tail) but the list ends at "
                       + "\(previous < 0 ? "nothing (it is empty)" : "page \(previous)"); the tail was not updated "
                       + "when the last block changed.")
        }
        if list.count != length {
            log.report([], "Free list \(order) counts \(list.count) block\(list.count == 1 ? "" : "s") but holds "
                       + "\(length); the count (nr_free) and the links disagree.")
        }
    }
}
