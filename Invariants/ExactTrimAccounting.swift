/// Exact-trim accounting: every live exact allocation holds exactly
/// `ceil(bytes / pageSize)` pages, the rest of its block was given back, and
/// the allocator's free-page count matches the pages actually free.
///
/// In the snapshot's terms:
/// - `exactAllocations` has exactly one record per `.exact` head and no other:
///   sorted by pfn, no pfn twice, each naming an `.exact` page inside the
///   arena, with `1 <= bytes <= pageSize << topOrder`.
/// - An exact allocation holds its head and the `.tail` pages directly after
///   it, and that is exactly `ceil(bytes / pageSize)` pages: the trim gave the
///   rest of its block (order `getOrder(bytes)`) back, and none of it is kept.
/// - `freePageCount` (the allocator's running count, the kernel's
///   `NR_FREE_PAGES`) equals the number of pages that lie in free blocks
///   (each page once; reserved pages and pages past the arena do not count).
///   Then the allocated-page total it implies, `pageCount - reserved -
///   freePageCount`, equals the pages neither free nor reserved, which is the
///   sum over live allocations (`2^k` per block, `ceil(bytes / pageSize)` per
///   exact allocation) whenever `NoOverlap` holds. A page lost or claimed
///   twice is `NoOverlap`'s to report, at the page; this checker reports the
///   counter.
///
/// Cost: one pass over the records and one over the pages, no allocation
/// unless the records are out of order (then a sorted copy).
public enum ExactTrimAccounting: SnapshotInvariant {
    public static let name = InvariantName.exactTrim

    public static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation] {
        var log = ViolationLog(name, limit: limit)
        let pageCount = snapshot.pages.count
        let pageSize = snapshot.pageSize
        let validPageSize = Checked.isValidPageSize(pageSize)
        if !validPageSize {
            log.report([], "The page size is \(pageSize) bytes, not a positive power of two; exact allocation "
                       + "sizes cannot be checked.")
        }
        let topOrder = Checked.topOrder(snapshot)
        let largest = validPageSize && topOrder < pageSize.leadingZeroBitCount - 1 ? pageSize << topOrder : Int.max

        // The records, sorted by pfn (a sorted copy only if they are not).
        var records = snapshot.exactAllocations
        if zip(records, records.dropFirst()).contains(where: { $0.pfn > $1.pfn }) {
            log.report([], "The exact allocation records are not sorted by pfn, as the snapshot contract requires.")
            records.sort { $0.pfn < $1.pfn }
        }

        snapshot.pages.withUnsafeBufferPointer { pages in
            // Every record names one exact head, once, with a size that fits the largest block.
            var previous = Int.min
            for record in records {
                let pfn = record.pfn
                defer { previous = pfn }
                if pfn == previous {
                    log.report([pfn], "Page \(pfn) has more than one exact allocation record; a page heads at most "
                               + "one allocation.")
                    continue
                }
                guard pfn >= 0, pfn < pageCount else {
                    log.report([pfn], "An exact allocation record names pfn \(pfn), outside the arena "
                               + "(0...\(pageCount - 1)).")
                    continue
                }
                if pages[pfn].kind != .exact {
                    log.report([pfn], "An exact allocation record names page \(pfn), which is "
                               + "\(pages[pfn].kind.phrase), not the head of an exact allocation: the record "
                               + "outlived its allocation or the head was re-marked.")
                }
                if validPageSize && (record.bytes < 1 || record.bytes > largest) {
                    log.report([pfn], "The exact allocation at page \(pfn) records \(record.bytes) bytes, outside "
                               + "1...\(largest) (one byte up to the largest block).")
                }
            }

            var freeEnd = 0
            var freePages = 0
            var reservedPages = 0
            var cursor = 0
            // The exact allocation whose run of tails is being counted: head, bytes (0 if unknown), pages so far.
            var exactHead = -1
            var exactBytes = 0
            var held = 0

            for pfn in 0..<pageCount {
                let page = pages[pfn]
                if page.kind == .reserved {
                    reservedPages += 1
                } else if pfn < freeEnd {
                    freePages += 1
                }
                if page.kind == .tail {
                    if exactHead >= 0 { held += 1 }
                    continue
                }
                if exactHead >= 0 {
                    checkHeld(&log, head: exactHead, bytes: exactBytes, held: held, pageSize: pageSize,
                              next: page.kind)
                    exactHead = -1
                }
                switch page.kind {
                case .free:
                    let end = Checked.end(pfn: pfn, order: Int(page.order), cappedAt: pageCount)
                    if pfn >= freeEnd { freePages += 1 }
                    freeEnd = max(freeEnd, end)
                case .exact:
                    while cursor < records.count && records[cursor].pfn < pfn { cursor += 1 }
                    if cursor < records.count && records[cursor].pfn == pfn {
                        let bytes = records[cursor].bytes
                        exactBytes = validPageSize && bytes >= 1 && bytes <= largest ? bytes : 0
                    } else {
                        exactBytes = 0
                        log.report([pfn], "Page \(pfn) is the head of an exact allocation but has no exact "
                                   + "allocation record, so its size is unknown.")
                    }
                    exactHead = pfn
                    held = 1
                case .allocated, .tail, .reserved:
                    break
                }
            }
            if exactHead >= 0 {
                checkHeld(&log, head: exactHead, bytes: exactBytes, held: held, pageSize: pageSize, next: nil)
            }

            if snapshot.freePageCount != freePages {
                // The count may be anything (Int.min, Int.max): differences as magnitudes, without overflow.
                let count = snapshot.freePageCount
                let difference = count > freePages
                    ? UInt(bitPattern: count) &- UInt(bitPattern: freePages)
                    : UInt(bitPattern: freePages) &- UInt(bitPattern: count)
                let managed = pageCount - reservedPages
                let (implied, overflow) = managed.subtractingReportingOverflow(count)
                log.report([], "The running free-page count is \(count) but free blocks hold "
                           + "\(freePages) pages (\(difference) \(count > freePages ? "too many" : "too few")); "
                           + "so it implies \(overflow ? "an impossible number of" : String(implied)) allocated pages where "
                           + "\(managed - freePages) are neither free nor reserved. An allocation or free path "
                           + "changed the blocks without the count, or the reverse.")
            }
        }
        return log.finish()
    }

    /// Compares the pages an exact allocation holds with its recorded size
    /// (`bytes == 0`: unknown or invalid size, already reported).
    private static func checkHeld(
        _ log: inout ViolationLog, head: Int, bytes: Int, held: Int, pageSize: Int, next: PageKind?
    ) {
        guard bytes > 0 else { return }
        let needed = Checked.pages(forBytes: bytes, pageSize: pageSize)
        if held > needed {
            log.report([head, head + needed, head + held - 1],
                       "The exact allocation at page \(head) records \(bytes) bytes, so it must hold \(needed) "
                       + "page\(needed == 1 ? "" : "s"), but it holds \(held) (\(Checked.pageRange(head, head + held - 1))): "
                       + "\(Checked.pageRange(head + needed, head + held - 1)) should have been given back by the trim "
                       + "(freed one at a time at order 0).")
        } else if held < needed {
            let stop = next.map { "page \(head + held) is \($0.phrase)" } ?? "the arena ends at page \(head + held - 1)"
            log.report([head, head + held],
                       "The exact allocation at page \(head) records \(bytes) bytes, so it must hold \(needed) pages, "
                       + "but it holds only \(held): \(stop) although the allocation still owns it; its pages were "
                       + "freed or handed out while it is live.")
        }
    }
}
