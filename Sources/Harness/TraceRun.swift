// One run of one trace: the allocator, the model, the live allocations, and
// the prediction for every step.

import Invariants

/// What the judge remembers of an allocation a handle names.
struct LiveAllocation {
    var kind: HandleClass
    var address: UnsafeMutableRawPointer
    /// First page and number of pages the model gives it (0 pages for slab objects).
    var pfn: Int
    var pages: Int
    /// The order for page blocks and large kmalloc blocks; the requested size for the rest.
    var order: Int
    var size: Int
    /// For objects: the step of the cache's handle.
    var cacheStep: Int
    /// False once freed (kept for double-free misuse).
    var live: Bool
    /// For slab objects: the slab-cache number of their page when allocated.
    var slabIndex: Int = -1
}

/// What the judge remembers of a cache.
struct CacheState<CacheID> {
    var id: CacheID
    var slabOrder: Int
    var objectSize: Int
    /// Whether the cache was created with red zones (debug option Z).
    var redZone: Bool
    var liveObjects: Int
    var live: Bool
}

/// A region of pages the step changed, for the local checks.
enum Touched {
    /// A block handed out at `pfn`: `order` of the block it came from, `pages` kept.
    case allocated(pfn: Int, order: Int, sourceOrder: Int, pages: Int, exact: Bool)
    /// Pages given back; with `listedLast`, the free block holding the last
    /// of them was the last block the step listed (so it is at the front of
    /// its list).
    case freed(pfn: Int, pages: Int, listedLast: Bool)
}

final class TraceRun<Subject: AllocatorUnderTest> {
    let trace: Trace
    let subject: Subject
    let configuration: JudgeConfiguration
    var model: ReferenceModel
    /// Allocations and caches by the step that produced them (index 0 unused).
    var allocations: [LiveAllocation?]
    var caches: [CacheState<Subject.CacheID>?]
    var cacheSlotsLeft: Int
    var step = 0
    var stepsRun = 0
    var misuseRun = 0
    var misuseSkipped = 0
    var touched: [Touched] = []
    /// The first block of each free list before the step (for the list-order checks).
    var listHeadsBefore: [Int32]
    /// Whether the step used the slab layer (its pages are learned afterwards).
    var slabTouched = false
    var touchedCache: Subject.CacheID?
    /// A static buffer outside every arena, for foreign-address misuse.
    static var foreign: UnsafeMutableRawPointer { foreignBuffer }

    init(trace: Trace, subject: Subject, configuration: JudgeConfiguration) throws(TraceFailure) {
        self.trace = trace
        self.subject = subject
        self.configuration = configuration
        model = ReferenceModel(arena: trace.arena)
        allocations = Array(repeating: nil, count: trace.operations.count + 1)
        caches = Array(repeating: nil, count: trace.operations.count + 1)
        cacheSlotsLeft = subject.cacheSlotsLeft
        listHeadsBefore = Array(repeating: -1, count: Arena.topOrder + 1)
        // The slab layer may take pages when it is set up.
        try learnSlabPages()
        try checkCounts()
    }

    func runAll() throws(TraceFailure) {
        for (index, operation) in trace.operations.enumerated() {
            step = index + 1
            stepsRun += 1
            touched.removeAll(keepingCapacity: true)
            slabTouched = false
            touchedCache = nil
            if configuration.localChecks {
                for order in 0...Arena.topOrder { listHeadsBefore[order] = subject.freeListRecord(order: order).head }
            }
            try perform(operation)
            if slabTouched { try learnSlabPages() }
            if configuration.localChecks { try localChecks() }
            if let interval = configuration.fullCheckInterval, step % interval == 0 { try fullCheck() }
        }
        if configuration.finalCheck {
            step = trace.operations.count + 1
            try fullCheck()
        }
    }

    // MARK: Failures

    func fail(_ broken: TraceFailure.Broken, _ detail: String) -> TraceFailure {
        fail([broken], [detail])
    }

    func fail(_ broken: [TraceFailure.Broken], _ details: [String]) -> TraceFailure {
        let line = step >= 1 && step <= trace.operations.count
            ? Trace.line(for: trace.operations[step - 1], step: step) : (step == 0 ? trace.arena.text : "final check")
        var unique: [TraceFailure.Broken] = []
        for b in broken where !unique.contains(b) { unique.append(b) }
        unique.sort { $0.description < $1.description }
        return TraceFailure(step: step, operation: line, broken: unique, details: details,
                            buddyinfo: subject.buddyinfo, slabinfo: subject.slabinfo)
    }

    /// The failure for a refusal the model did not predict.
    func unexpected(_ refusal: Refusal) -> TraceFailure {
        fail(.prediction("unexpected-refusal(\(refusal.kind.rawValue))"),
             "the model predicts success, but the allocator refused: \(refusal.message)")
    }

    /// The failure for a success where the model predicts `kind`.
    func missing(_ kind: RefusalKind, _ why: String) -> TraceFailure {
        fail(.prediction("missing-refusal(\(kind.rawValue))"), "the model predicts \(kind.rawValue) (\(why)), but the call succeeded")
    }

    /// Checks a refusal is the predicted one.
    func expectRefusal(_ refusal: Refusal, _ kind: RefusalKind) throws(TraceFailure) {
        guard refusal.kind == kind else {
            throw fail(.prediction("wrong-refusal(\(kind.rawValue)->\(refusal.kind.rawValue))"),
                       "the model predicts \(kind.rawValue), but the allocator refused with \(refusal.kind.rawValue): \(refusal.message)")
        }
    }

    // MARK: Addresses

    func pfn(of address: UnsafeMutableRawPointer) -> Int? {
        let offset = Int(bitPattern: address) - Int(bitPattern: subject.base)
        guard offset >= 0, offset < trace.arena.pageCount * Arena.pageSize else { return nil }
        return offset / Arena.pageSize
    }

    /// The first page of a block the allocator handed out, checked against the model.
    func claimBlock(_ address: UnsafeMutableRawPointer, order: Int, pages: Int, exact: Bool = false,
                    owner: Int32) throws(TraceFailure) -> Int {
        let offset = Int(bitPattern: address) - Int(bitPattern: subject.base)
        guard let pfn = pfn(of: address), offset % Arena.pageSize == 0, pfn + pages <= trace.arena.pageCount else {
            throw fail(.prediction("bad-address"), "the allocator returned \(address), which is not a page inside the arena")
        }
        guard pfn % (1 << order) == 0 else {
            throw fail(.invariant(.alignment), "an order-\(order) block was handed out at page \(pfn), not a multiple of \(1 << order)")
        }
        let sourceOrder = model.freeBlockOrder(containing: pfn) ?? order
        let taken = model.take(pfn..<(pfn + pages), for: owner)
        guard taken.isEmpty else {
            let who = taken.prefix(3).map { describeOwner(of: $0) }.joined(separator: ", ")
            throw fail(.invariant(.noOverlap), "pages \(pfn)..<\(pfn + pages) were handed out, but \(taken.count) of them "
                       + "were not free: \(who)")
        }
        touched.append(.allocated(pfn: pfn, order: order, sourceOrder: max(order, sourceOrder), pages: pages,
                                  exact: exact))
        return pfn
    }

    func describeOwner(of pfn: Int) -> String {
        let owner = model.owner[pfn]
        switch owner {
        case ReferenceModel.reserved: return "page \(pfn) is reserved"
        case ReferenceModel.slab: return "page \(pfn) belongs to a slab"
        default:
            let a = allocations[Int(owner)]
            return "page \(pfn) belongs to \(a.map { Handle($0.kind, Int(owner)).description } ?? "step \(owner)")"
        }
    }

    // MARK: Slab pages

    /// Pages the slab layer took or gave back, learned when the free-page
    /// count says something changed: taken ones must have been free.
    func learnSlabPages() throws(TraceFailure) {
        guard subject.freePageCount != model.freePages else { return }
        for pfn in 0..<trace.arena.pageCount {
            let isSlab = subject.slabCacheIndex(ofPage: pfn) != nil
            let owner = model.owner[pfn]
            if isSlab && owner != ReferenceModel.slab {
                guard owner == ReferenceModel.free else {
                    throw fail(.invariant(.noOverlap), "the slab layer took page \(pfn), but \(describeOwner(of: pfn))")
                }
                _ = model.take(pfn..<(pfn + 1), for: ReferenceModel.slab)
            } else if !isSlab && owner == ReferenceModel.slab {
                model.release(pfn..<(pfn + 1), from: ReferenceModel.slab)
            }
        }
    }
}

nonisolated(unsafe) private let foreignBuffer: UnsafeMutableRawPointer = {
    let p = UnsafeMutableRawPointer.allocate(byteCount: 2 * Arena.pageSize, alignment: Arena.pageSize)
    p.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * Arena.pageSize)
    return p
}()
