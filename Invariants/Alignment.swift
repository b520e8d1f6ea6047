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
/// Cost: one pass over the pages, plus a prefix count of reserved pages
/// (one array of `pageCount + 1` integers) so that "no reserved page in the
/// block" is O(1) per block.
public enum Alignment: SnapshotInvariant {
    public static let name = InvariantName.alignment

    public static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation] {
        var log = ViolationLog(name, limit: limit)
        let pageCount = snapshot.pages.count
        let topOrder = Checked.topOrder(snapshot)
        let reservedBefore = reservedPrefixCounts(snapshot.pages)

        snapshot.pages.withUnsafeBufferPointer { pages in
            reservedBefore.withUnsafeBufferPointer { reservedBefore in
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
                    checkBlock(&log, pages, reservedBefore, head: pfn, order: order, subject: .block(page.kind))
                }

                // The exact allocations' original blocks, from their records
                // (in pfn order; a record out of order or repeated is skipped here).
                guard Checked.isValidPageSize(snapshot.pageSize) else { return }
                let largest = snapshot.pageSize << topOrder
                var previous = -1
                for record in snapshot.exactAllocations {
                    let pfn = record.pfn
                    guard pfn > previous, pfn < pageCount else { continue }
                    previous = pfn
                    guard pages[pfn].kind == .exact, record.bytes > 0, record.bytes <= largest else { continue }
                    let order = Checked.order(forBytes: record.bytes, pageSize: snapshot.pageSize)
                    checkBlock(&log, pages, reservedBefore, head: pfn, order: order,
                               subject: .exact(bytes: record.bytes))
                }
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
        _ log: inout ViolationLog, _ pages: UnsafeBufferPointer<PageRecord>,
        _ reservedBefore: UnsafeBufferPointer<Int32>, head: Int, order: Int, subject: Subject
    ) {
        let span = 1 << order
        var name: String { subject.phrase(order: order) }
        if head & (span - 1) != 0 {
            log.report([head], "The \(name) at page \(head) is not aligned: a block of order \(order) must start "
                       + "at a multiple of \(span), and \(head) is not; splitting or merging used a wrong pfn.")
        }
        let end = head + span
        if end > pages.count {
            log.report([head], "The \(name) at page \(head) spans \(Checked.pageRange(head, end - 1)), past the "
                       + "arena's last page \(pages.count - 1); a block must lie inside the arena.")
        }
        let cappedEnd = min(end, pages.count)
        if reservedBefore[cappedEnd] != reservedBefore[head] {
            var reserved = head
            while pages[reserved].kind != .reserved { reserved += 1 }
            log.report([head, reserved],
                       "The \(name) at page \(head) (\(Checked.pageRange(head, end - 1))) covers reserved page "
                       + "\(reserved): a block must lie inside one managed range and never merge across a hole.")
        }
    }

    /// `result[i]` is the number of reserved pages among pages `0..<i`.
    static func reservedPrefixCounts(_ pages: [PageRecord]) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: pages.count + 1) { buffer, initialized in
            var count: Int32 = 0
            pages.withUnsafeBufferPointer { pages in
                for pfn in 0..<pages.count {
                    buffer[pfn] = count
                    if pages[pfn].kind == .reserved { count &+= 1 }
                }
            }
            buffer[pages.count] = count
            initialized = pages.count + 1
        }
    }
}
