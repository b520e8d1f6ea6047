/// No overlap, exact tiling: every page of the arena is in exactly one free
/// block, one allocation, or a reserved range, and no page is lost.
///
/// In the snapshot's terms, walking the pages in pfn order:
/// - a `.free` or `.allocated` head of order `k` claims the `2^k` pages from
///   its pfn on (up to the arena's end);
/// - an `.exact` head claims itself and the `.tail` pages that directly follow
///   it (whether that is the right number of pages is `ExactTrimAccounting`'s
///   question);
/// - a `.reserved` page is its own owner.
///
/// The invariant holds when every `.tail` page is claimed by a head before it
/// (otherwise the page is lost: nobody can allocate or free it) and no head
/// lies inside pages already claimed by an earlier head (otherwise those pages
/// belong to two blocks; this includes "no free block lies inside a larger
/// block whose head is also marked").
///
/// Left to other invariants, so that one fault gives one report: a block that
/// reaches into a reserved range or past the arena's end, and an order above
/// the top order (`Alignment`: a block lies inside one managed range).
///
/// Cost: one pass over the pages, no allocation.
public enum NoOverlap: SnapshotInvariant {
    public static let name = InvariantName.noOverlap

    public static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation] {
        var log = ViolationLog(name, limit: limit)
        let pageCount = snapshot.pages.count
        snapshot.pages.withUnsafeBufferPointer { pages in
            // The claim that reaches furthest so far: its head, kind and end (exclusive).
            var claimHead = -1
            var claimKind = PageKind.tail
            var claimOrder = 0
            var claimEnd = 0
            // An exact head's claim runs over the tails that follow it; it ends at the next non-tail page.
            var exactOpen = false
            // The current run of lost tail pages, or -1.
            var lostStart = -1

            for pfn in 0..<pageCount {
                let page = pages[pfn]
                if page.kind == .tail {
                    if pfn < claimEnd || exactOpen { continue }
                    if lostStart < 0 { lostStart = pfn }
                    continue
                }
                if lostStart >= 0 {
                    reportLost(&log, lostStart, pfn - 1)
                    lostStart = -1
                }
                exactOpen = false
                if page.kind == .reserved { continue }

                if pfn < claimEnd {
                    let inner = page.kind == .exact ? "" : " (order \(page.order))"
                    log.report([pfn, claimHead],
                               "Page \(pfn) is \(page.kind.phrase)\(inner) but lies inside the \(claimKind.blockPhrase) "
                               + "at page \(claimHead) (order \(claimOrder), \(Checked.pageRange(claimHead, claimEnd - 1))): "
                               + "those pages are claimed twice; one of the two marks is stale and must be cleared.")
                }
                let end: Int
                if page.kind == .exact {
                    exactOpen = true
                    end = pfn + 1
                } else {
                    end = Checked.end(pfn: pfn, order: Int(page.order), cappedAt: pageCount)
                }
                if end > claimEnd {
                    claimHead = pfn
                    claimKind = page.kind
                    claimOrder = Int(page.order)
                    claimEnd = end
                }
            }
            if lostStart >= 0 { reportLost(&log, lostStart, pageCount - 1) }
        }
        return log.finish()
    }

    private static func reportLost(_ log: inout ViolationLog, _ first: Int, _ last: Int) {
        let what = first == last ? "is a tail page" : "are tail pages"
        log.report(first == last ? [first] : [first, last],
                   "\(Checked.pageRange(first, last).capitalizedFirst) \(what) that no block claims: "
                   + "they are lost (neither free nor allocated); the head that owned them was cleared "
                   + "or shrunk without giving them back.")
    }
}

extension PageKind {
    /// How a report names the block this kind of page heads.
    var blockPhrase: String {
        switch self {
        case .free: return "free block"
        case .allocated: return "allocated block"
        case .exact: return "exact allocation"
        case .tail, .reserved: return "block"
        }
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
