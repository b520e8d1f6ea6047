/// Power-of-two alignment: every block of order `k` has `0 <= k <= topOrder`,
/// starts at a pfn that is a multiple of `2^k`, and lies wholly inside one
/// managed range (inside the arena, with no reserved page among its `2^k`
/// pages).
///
/// "Block" means every `.free` and `.allocated` head with its order, and,
/// for every `.exact` head with a valid record, the block of order
/// `getOrder(bytes)` it was cut from: the trim gives pages back but cannot
/// move the block's start, and that block lay inside one managed range when
/// it was taken.
///
/// Exact heads without a usable record are `ExactTrimAccounting`'s to report.
///
/// Cost: two passes over the pages (the first collects the reserved ranges,
/// usually a handful); blocks are visited in pfn order, so "no reserved page
/// in the block" is a look at the next reserved range, O(1) amortised.
public enum Alignment: SnapshotInvariant {
    public static let name = InvariantName.alignment

    public static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation] {
        var log = ViolationLog(name, limit: limit)
        let pageCount = snapshot.pages.count
        let topOrder = Checked.topOrder(snapshot)
        snapshot.pages.withUnsafeBufferPointer { pages in
            var reserved = ReservedRanges(pages)
            for pfn in 0..<pageCount {
                let page = pages[pfn]
                guard page.kind == .free || page.kind == .allocated else { continue }
                let order = Int(page.order)
                guard order <= snapshot.topOrder, order <= Checked.largestShift else {
                    log.report([pfn], "The \(page.kind.blockPhrase) at page \(pfn) has order \(order), above the "
                               + "top order \(snapshot.topOrder): no block may be larger than 2^\(snapshot.topOrder) "
                               + "pages; the order field is corrupt.")
                    continue
                }
                checkBlock(&log, pages.count, &reserved, head: pfn, order: order, subject: .block(page.kind))
            }

            // The exact allocations' original blocks, from their records
            // (in pfn order; a record out of order or repeated is skipped here).
            guard Checked.isValidPageSize(snapshot.pageSize) else { return }
            let largest = snapshot.pageSize << topOrder
            reserved.rewind()
            var previous = -1
            for record in snapshot.exactAllocations {
                let pfn = record.pfn
                guard pfn > previous, pfn < pageCount else { continue }
                previous = pfn
                guard pages[pfn].kind == .exact, record.bytes > 0, record.bytes <= largest else { continue }
                let order = Checked.order(forBytes: record.bytes, pageSize: snapshot.pageSize)
                checkBlock(&log, pages.count, &reserved, head: pfn, order: order,
                           subject: .exact(bytes: record.bytes))
            }
        }
        return log.finish()
    }

    /// What a checked block is, for the report.
    private enum Subject {
        case block(PageKind)
        case exact(bytes: Int)

        func phrase(order: Int) -> String {
            switch self {
            case let .block(kind): return "\(kind.blockPhrase) of order \(order)"
            case let .exact(bytes): return "exact allocation of \(bytes) bytes (cut from a block of order \(order))"
            }
        }
    }

    /// Checks that the block of `order` at `head` is aligned and inside one managed range.
    private static func checkBlock(
        _ log: inout ViolationLog, _ pageCount: Int, _ reserved: inout ReservedRanges,
        head: Int, order: Int, subject: Subject
    ) {
        let span = 1 << order
        var name: String { subject.phrase(order: order) }
        if head & (span - 1) != 0 {
            log.report([head], "The \(name) at page \(head) is not aligned: a block of order \(order) must start "
                       + "at a multiple of \(span), and \(head) is not; splitting or merging used a wrong pfn.")
        }
        let end = head + span
        if end > pageCount {
            log.report([head], "The \(name) at page \(head) spans \(Checked.pageRange(head, end - 1)), past the "
                       + "arena's last page \(pageCount - 1); a block must lie inside the arena.")
        }
        if let first = reserved.first(in: head..<end) {
            log.report([head, first],
                       "The \(name) at page \(head) (\(Checked.pageRange(head, end - 1))) covers reserved page "
                       + "\(first): a block must lie inside one managed range and never merge across a hole.")
        }
    }
}

/// The reserved ranges of a snapshot, sorted, for blocks asked about in
/// ascending order of their first page.
struct ReservedRanges {
    private var ranges: [Range<Int>] = []
    private var cursor = 0

    init(_ pages: UnsafeBufferPointer<PageRecord>) {
        var start = -1
        for pfn in 0..<pages.count {
            if pages[pfn].kind == .reserved {
                if start < 0 { start = pfn }
            } else if start >= 0 {
                ranges.append(start..<pfn)
                start = -1
            }
        }
        if start >= 0 { ranges.append(start..<pages.count) }
    }

    /// Starts a new ascending sequence of questions.
    mutating func rewind() { cursor = 0 }

    /// The first reserved page in `block`, or nil. `block.lowerBound` must not
    /// be below that of the previous question since the last `rewind()`.
    mutating func first(in block: Range<Int>) -> Int? {
        // Ranges that end at or before this block end before every later block too.
        while cursor < ranges.count && ranges[cursor].upperBound <= block.lowerBound { cursor += 1 }
        guard cursor < ranges.count, ranges[cursor].lowerBound < block.upperBound else { return nil }
        return max(ranges[cursor].lowerBound, block.lowerBound)
    }
}
