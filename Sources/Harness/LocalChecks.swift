// Invariant checks local to what one step touched, and the full check.
//
// A step can only break the pages it handed out or gave back, the blocks
// split off or merged on the way, their heads' list links and the per-order
// counts. So after every step, for each touched region:
// - a block handed out: its head says allocated (or exact) with its order,
//   its other pages are tails, and each split-off half is a free block of
//   the order the model derives (a maximal fully free window);
// - pages given back: each lies in a free block whose head is where the
//   model's maximal free window starts, with its order, and the heads of
//   the halves merged into it are tails now;
// - every free head checked has list links that agree both ways, and every
//   list's first and last block is a free head of the list's order;
// - the per-order counts add up to the free-page count, which equals the model's;
// - the lists' order is the kernel's: a block handed out is the first block
//   of the first non-empty list at or above its order (split, it keeps the
//   lower half), and each block a step lists goes to the front of its list
//   (the halves split off, and the block holding the last page given back).
// Each finding is reported under the invariant it belongs to, so a local
// finding and a full check of the same fault have the same failure kind.

import Invariants

extension TraceRun {
    func localChecks() throws(TraceFailure) {
        var problems: [(InvariantName, String)] = []
        var listOrder: [String] = []
        for region in touched {
            switch region {
            case let .allocated(pfn, order, sourceOrder, pages, exact):
                checkListOrder(allocated: pfn, order: order, sourceOrder: sourceOrder, trimmed: exact && pages < 1 << order,
                               &listOrder)
                let head = subject.pageRecord(pfn)
                if exact {
                    if head.kind != .exact { problems.append((.exactTrim, "exact allocation at page \(pfn): head is \(head.kind), not exact")) }
                } else if head.kind != .allocated || Int(head.order) != order {
                    problems.append((.noOverlap, "block handed out at page \(pfn): head is \(head.kind) order \(head.order), not allocated order \(order)"))
                }
                checkTails(pfn + 1..<(pfn + pages), &problems)
                // The halves split off on the way down, and (exact) the trimmed pages.
                for j in order..<sourceOrder { checkFreeRegion(at: pfn ^ (1 << j), &problems) }
                if exact { checkFreeRegions(pfn + pages..<(pfn + (1 << order)), &problems) }
            case let .freed(pfn, pages, listedLast):
                checkFreeRegions(pfn..<(pfn + pages), &problems)
                if listedLast { checkListFront(holding: pfn + pages - 1, "the block freed last", &listOrder) }
            }
        }
        if let c = touchedCache {
            do throws(Refusal) {
                let found = if let object = touchedObject { try subject.validate(c, afterTouching: object) }
                            else { try subject.validate(c) }
                for f in found { problems.append((.slabOwnership, f)) }
            } catch {
                problems.append((.slabOwnership, "validate refused: \(error.message)"))
            }
        }
        if touchedEveryCache {
            for f in subject.validateAllCaches() { problems.append((.slabOwnership, f)) }
        }
        try report(problems)
        try checkCounts()
        // The list order is a policy on a sound state: when a count or an
        // invariant is broken too, that is the failure (and its kind is the
        // one a shrink keeps), not the order it left the lists in.
        if !listOrder.isEmpty { throw fail(.prediction("free-list-order"), listOrder.joined(separator: "; ")) }
    }

    /// A block handed out at `pfn` of `order`, from a free block of
    /// `sourceOrder`: it was the first block of the first non-empty list at
    /// or above `order` (the lower half kept); the halves split off are at
    /// the front of their lists, and so is (`trimmed`) the block holding the
    /// last page an exact allocation trimmed.
    private func checkListOrder(allocated pfn: Int, order: Int, sourceOrder: Int, trimmed: Bool, _ found: inout [String]) {
        if let first = (order...Arena.topOrder).first(where: { listHeadsBefore[$0] >= 0 }), Int(listHeadsBefore[first]) != pfn {
            found.append("the first free block of order \(order) or above was page \(listHeadsBefore[first]) (order \(first)), "
                         + "but page \(pfn) was handed out")
            return
        }
        for j in order..<sourceOrder { checkListFront(holding: pfn ^ (1 << j), "the half split off at order \(j)", &found) }
        if trimmed { checkListFront(holding: pfn + (1 << order) - 1, "the block trimmed last", &found) }
    }

    /// The free block holding page `pfn` (the model's) is the first block of its list.
    /// `what` is only built for a problem: it is called for every split half of every step.
    private func checkListFront(holding pfn: Int, _ what: @autoclosure () -> String, _ found: inout [String]) {
        guard pfn < trace.arena.pageCount, let order = model.freeBlockOrder(containing: pfn) else { return }
        let head = pfn & ~((1 << order) - 1)
        let first = subject.freeListRecord(order: order).head
        if first != Int32(head) {
            found.append("\(what()), the free block at page \(head) (order \(order)), should be first on list \(order), "
                         + "which starts at page \(first)")
        }
    }

    /// Pages after a head must be tails.
    private func checkTails(_ range: Range<Int>, _ problems: inout [(InvariantName, String)]) {
        for p in range where p < trace.arena.pageCount {
            let r = subject.pageRecord(p)
            if r.kind != .tail {
                problems.append((.noOverlap, "page \(p) inside a block is \(r.kind) (order \(r.order)), not a tail"))
                return
            }
        }
    }

    /// `checkFreeRegion` for every free block that holds pages of `range`, once each.
    private func checkFreeRegions(_ range: Range<Int>, _ problems: inout [(InvariantName, String)]) {
        var p = range.lowerBound
        while p < min(range.upperBound, trace.arena.pageCount) {
            guard let order = model.freeBlockOrder(containing: p) else { p += 1; continue }
            checkFreeRegion(at: p, &problems)
            // The merged halves' heads inside the range must be tails now.
            let head = p & ~((1 << order) - 1)
            var q = p
            while q < min(range.upperBound, head + (1 << order)) {
                if q != head, q != p, subject.pageRecord(q).kind != .tail {
                    let r = subject.pageRecord(q)
                    problems.append((r.kind == .free ? .buddiesCoalesced : .noOverlap,
                                     "page \(q) lies in the free block at \(head) (order \(order)) but is \(r.kind) order \(r.order)"))
                    break
                }
                q += 1
            }
            p = head + (1 << order)
        }
    }

    /// A free page must lie in the free block the model derives: head, order,
    /// list links; the heads merged into it must be tails.
    private func checkFreeRegion(at pfn: Int, _ problems: inout [(InvariantName, String)]) {
        guard pfn < trace.arena.pageCount, let order = model.freeBlockOrder(containing: pfn) else { return }
        let head = pfn & ~((1 << order) - 1)
        let r = subject.pageRecord(head)
        if r.kind != .free || Int(r.order) != order {
            let invariant: InvariantName = r.kind == .free && Int(r.order) < order ? .buddiesCoalesced : .noOverlap
            problems.append((invariant, "pages \(head)..<\(head + (1 << order)) are all free, so page \(head) should head a free "
                             + "block of order \(order); it is \(r.kind) order \(r.order)"))
            return
        }
        if pfn != head {
            let own = subject.pageRecord(pfn)
            if own.kind != .tail {
                problems.append((own.kind == .free ? .buddiesCoalesced : .noOverlap,
                                 "page \(pfn) lies in the free block at \(head) (order \(order)) but is \(own.kind) order \(own.order)"))
            }
        }
        checkLinks(head, order: order, r, &problems)
    }

    private func checkLinks(_ head: Int, order: Int, _ r: PageRecord, _ problems: inout [(InvariantName, String)]) {
        let list = subject.freeListRecord(order: order)
        func isFreeHead(_ p: Int32) -> Bool { self.isFreeHead(p, order: order) }
        if r.prev < 0 {
            if list.head != Int32(head) { problems.append((.freeLists, "free block \(head) (order \(order)) has no prev link but list \(order) starts at \(list.head)")) }
        } else if !isFreeHead(r.prev) || subject.pageRecord(Int(r.prev)).next != Int32(head) {
            problems.append((.freeLists, "free block \(head) (order \(order)): prev link \(r.prev) does not link back"))
        }
        if r.next < 0 {
            if list.tail != Int32(head) { problems.append((.freeLists, "free block \(head) (order \(order)) has no next link but list \(order) ends at \(list.tail)")) }
        } else if !isFreeHead(r.next) || subject.pageRecord(Int(r.next)).prev != Int32(head) {
            problems.append((.freeLists, "free block \(head) (order \(order)): next link \(r.next) does not link back"))
        }
    }

    /// Every list's ends are free heads of its order; counts add up to the
    /// free-page count, which is the model's.
    func checkCounts() throws(TraceFailure) {
        var problems: [(InvariantName, String)] = []
        var pages = 0
        for order in 0...Arena.topOrder {
            let list = subject.freeListRecord(order: order)
            pages += list.count << order
            // Head and tail one after the other, not a loop over an array of
            // the two: this runs for every order after every step.
            if list.head >= 0 && !isFreeHead(list.head, order: order) {
                problems.append((.freeLists, "list \(order) begins or ends at page \(list.head), which is not a free block of order \(order)"))
            }
            if list.tail >= 0 && !isFreeHead(list.tail, order: order) {
                problems.append((.freeLists, "list \(order) begins or ends at page \(list.tail), which is not a free block of order \(order)"))
            }
            if (list.head < 0) != (list.count == 0) || (list.head < 0) != (list.tail < 0) {
                problems.append((.freeLists, "list \(order): head \(list.head), tail \(list.tail) and count \(list.count) disagree"))
            }
        }
        let count = subject.freePageCount
        if pages != count {
            problems.append((.freeLists, "the per-order counts add up to \(pages) free pages, the free-page count says \(count)"))
        }
        if count != model.freePages {
            problems.append((.exactTrim, "the allocator counts \(count) free pages, the model \(model.freePages)"))
        }
        try report(problems)
    }

    /// Whether page `p` heads a free block of `order`.
    private func isFreeHead(_ p: Int32, order: Int) -> Bool {
        guard p >= 0, Int(p) < trace.arena.pageCount else { return false }
        let record = subject.pageRecord(Int(p))
        return record.kind == .free && Int(record.order) == order
    }

    private func report(_ problems: [(InvariantName, String)]) throws(TraceFailure) {
        guard !problems.isEmpty else { return }
        throw fail(problems.map { .invariant($0.0) }, problems.map { "[\($0.0)] \($0.1)" })
    }

    /// Every invariant over a full snapshot, the model's view of every live
    /// allocation, and every live allocation's data.
    func fullCheck() throws(TraceFailure) {
        subject.snapshot(into: &fullSnapshot)
        let snapshot = fullSnapshot
        let violations = InvariantSuite.checkAll(snapshot)
        if !violations.isEmpty {
            throw fail(violations.map { .invariant($0.invariant) }, violations.prefix(20).map(\.description))
        }
        var problems: [(InvariantName, String)] = []
        for (step, allocation) in allocations.enumerated() {
            guard let a = allocation, a.live, a.pages > 0 else { continue }
            let head = snapshot.pages[a.pfn]
            let expected: PageKind = a.kind == .exact ? .exact : .allocated
            if head.kind != expected {
                problems.append((.noOverlap, "\(Handle(a.kind, step)) at page \(a.pfn) is \(head.kind) in the snapshot, not \(expected)"))
            } else if a.kind == .exact,
                      // A scan, not a dictionary: a trace has a few dozen exact allocations at most.
                      let bytes = snapshot.exactAllocations.first(where: { $0.pfn == a.pfn })?.bytes, bytes != a.size {
                // The snapshot's contract: the size that was requested, not
                // the pages kept (a size rounded up frees the same pages, so
                // no call tells them apart).
                problems.append((.exactTrim, "\(Handle(a.kind, step)) at page \(a.pfn) records \(bytes) bytes, "
                                 + "\(a.size) were requested"))
            }
        }
        // The size each kmalloc asked for, as the layer records it (`ksize` answers
        // the class or block size, so only the snapshot shows a wrong record).
        for (step, allocation) in allocations.enumerated() {
            guard let a = allocation, a.live, a.kind == .kmalloc, a.size > 0 else { continue }
            let offset = Int(bitPattern: a.address) - Int(bitPattern: subject.base)
            let recorded = a.wholeClass ? kmallocClassSize(of: a.size) : a.size
            if let bytes = snapshot.slabLayer.liveObject(at: offset)?.requestedBytes, bytes != recorded {
                problems.append((.slabOwnership, "\(Handle(a.kind, step)) records \(bytes) requested bytes, "
                                 + (a.wholeClass ? "ksize made its whole class (\(recorded) bytes) its own" : "kmalloc asked for \(a.size)")))
            }
        }
        if snapshot.freePageCount != model.freePages {
            problems.append((.exactTrim, "the allocator counts \(snapshot.freePageCount) free pages, the model \(model.freePages)"))
        }
        try report(problems)
        try checkReportedCounts()
        if configuration.integrity {
            for (step, allocation) in allocations.enumerated() where allocation?.live == true { try verifyIntegrity(of: step) }
        }
    }
}
