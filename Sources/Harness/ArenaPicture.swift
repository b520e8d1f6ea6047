// What a picture of the arena shows: the state of every page after one step
// of a trace, and who holds it. Renderers (SVG, HTML) draw it; they decide
// nothing about the allocator.

import Invariants

/// The state of one page, for drawing.
public enum PageCellState: Hashable, Sendable {
    /// In a free block of this order.
    case free(order: Int)
    /// In a block from `alloc_pages` (or a large kmalloc block).
    case allocated
    /// Kept by an exact allocation.
    case exact
    /// Free, but given back by the trim of a live exact allocation (its block's tail).
    case exactTail
    /// Held by a slab of a cache.
    case slab
    /// A hole.
    case reserved
}

/// One page: its state, the handle that holds it (if the judge knows one),
/// and whether it is the first page of its block.
public struct PageCell: Hashable, Sendable {
    public let pfn: Int
    public let state: PageCellState
    public let holder: Handle?
    public let isHead: Bool
}

/// The arena after step `step` of `trace` (0: before the first step).
public struct ArenaPicture: Sendable {
    public let trace: Trace
    /// The step the picture is taken after: the failing step, or the last one.
    public let step: Int
    public let cells: [PageCell]
    /// The failure at `step`, if the trace failed.
    public internal(set) var failure: TraceFailure?

    init(trace: Trace, step: Int, cells: [PageCell], failure: TraceFailure?) {
        self.trace = trace
        self.step = step
        self.cells = cells
        self.failure = failure
    }

    /// The operation lines up to and including `step`.
    public var operationsShown: [String] {
        (0..<min(step, trace.operations.count)).map { Trace.line(for: trace.operations[$0], step: $0 + 1) }
    }

    init<S: AllocatorUnderTest>(_ run: TraceRun<S>) {
        let snapshot = run.subject.snapshot()
        let count = snapshot.pages.count
        var states = [PageCellState](repeating: .reserved, count: count)
        var heads = [Bool](repeating: false, count: count)
        // The allocator's own view: each head decides the pages of its block.
        var pfn = 0
        while pfn < count {
            let page = snapshot.pages[pfn]
            var span = 1
            switch page.kind {
            case .free:
                span = 1 << Int(page.order)
                for p in pfn..<min(count, pfn + span) { states[p] = .free(order: Int(page.order)) }
            case .allocated:
                span = 1 << Int(page.order)
                let state: PageCellState = page.slab >= 0 && run.subject.slabCacheIndex(ofPage: pfn) != nil ? .slab : .allocated
                for p in pfn..<min(count, pfn + span) { states[p] = state }
            case .exact:
                let bytes = snapshot.exactAllocations.first { $0.pfn == pfn }?.bytes ?? snapshot.pageSize
                span = max(1, (bytes + snapshot.pageSize - 1) / snapshot.pageSize)
                for p in pfn..<min(count, pfn + span) { states[p] = .exact }
            case .reserved:
                states[pfn] = .reserved
            case .tail:
                states[pfn] = .allocated  // a tail no head claims: drawn as held, the checks report it
            }
            heads[pfn] = page.kind != .reserved
            pfn += max(1, span)
        }
        // The judge's view: who holds what, and the trimmed tails of exact allocations.
        var holders = [Handle?](repeating: nil, count: count)
        for (step, allocation) in run.allocations.enumerated() {
            guard let a = allocation, a.live, a.pages > 0 else { continue }
            for p in a.pfn..<min(count, a.pfn + a.pages) { holders[p] = Handle(a.kind, step) }
            if a.kind == .exact {
                for p in (a.pfn + a.pages)..<min(count, a.pfn + (1 << a.order)) {
                    if case .free = states[p] { states[p] = .exactTail }
                }
            }
        }
        cells = (0..<count).map { PageCell(pfn: $0, state: states[$0], holder: holders[$0], isHead: heads[$0]) }
        trace = run.trace
        step = min(run.step, run.trace.operations.count)
        failure = nil
    }
}
