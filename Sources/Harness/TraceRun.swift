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
    /// For kmalloc objects of red-zoned classes: `ksize` answered for it,
    /// which makes the whole class the object's (as the kernel's `__ksize`
    /// does): the layer then records the class size as requested, and the
    /// kmalloc red zone is gone.
    var wholeClass = false
}

/// What the judge remembers of a cache.
struct CacheState<CacheID> {
    var id: CacheID
    /// Its number among the slab layer's caches (`slabCacheIndex(of:)`).
    var index: Int
    var objectSize: Int
    /// What every object's address must be a multiple of.
    var alignment: Int
    /// Whether the cache was created with red zones (debug option Z).
    var redZone: Bool
    /// Whether an allocation that takes a free object examines the object's
    /// first word (`Misuse.writeAfterFreeThenAllocate`): not hardened, and
    /// without poisoning (P) or with consistency checks (F).
    var allocationExaminesFirstWord: Bool
    /// Whether a free object's first word is its free pointer as it is (not
    /// hardened, no poisoning), where the live-link misuses write
    /// (`Misuse.writeLiveLinkAfterFree`).
    var firstWordIsFreePointer: Bool
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

/// The heap buffers of a run, which the judge hands from each run to the
/// next: a fuzz target judges thousands of short traces a second, and under
/// ASan every new buffer is a stack capture and a cold chunk from the
/// quarantine. A run empties each buffer it takes and keeps its storage.
struct TraceRunStorage<CacheID> {
    var allocations: [LiveAllocation?] = []
    var caches: [CacheState<CacheID>?] = []
    var listHeadsBefore: [Int32] = []
    var slabCacheOfPage: [Int32] = []
    var slabAccounts: [SlabAccount] = []
    var touched: [Touched] = []
    var pageOwners: [Int32] = []
    var changedPages: [Int] = []
    var spareChanges = SlabPageChanges()
    var slabHeads: [Int] = []
    /// The last run's model, whose buffers the next run's model reuses.
    var model: ReferenceModel?
    var fullSnapshot = AllocatorSnapshot(pageSize: 0, topOrder: 0, pages: [], freeLists: [], exactAllocations: [],
                                         freePageCount: 0)
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
    /// Per cache number: its geometry, the pages its slabs hold, its live objects.
    var slabAccounts: [SlabAccount] = []
    /// Per page: the number of the cache whose slab holds it, or -1.
    var slabCacheOfPage: [Int32]
    /// The subject's answer to the same, read by `learnSlabPages`, and the
    /// pages where the two differ (kept for their storage).
    var pageOwners: [Int32] = []
    var changedPages: [Int] = []
    /// The buffers of the last step's `SlabPageChanges`, handed back after
    /// the step's checks and emptied for the next (a new buffer at every
    /// step that took or gave back pages was a heap allocation each time).
    var spareChanges = SlabPageChanges()
    /// Filled by `collectSlabHeadsOfLiveObjects` (kept for its storage).
    var slabHeads: [Int] = []
    /// The snapshot of the latest full check (kept for its storage).
    var fullSnapshot: AllocatorSnapshot
    /// What the step may do to the slab layer's pages (checked once they are learned).
    var slabExpectation: SlabExpectation = .unchanged
    /// Whether the step used the slab layer (its pages are learned afterwards).
    var slabTouched = false
    var touchedCache: Subject.CacheID?
    /// Whether the step may have changed any cache (a shrink of every
    /// cache): all of them are validated after it.
    var touchedEveryCache = false
    /// The object the step allocated or freed in `touchedCache` (nil: the
    /// step may have changed any slab of it, so the whole cache is validated).
    var touchedObject: UnsafeMutableRawPointer?
    /// A static buffer outside every arena, for foreign-address misuse.
    static var foreign: UnsafeMutableRawPointer { foreignBuffer }

    /// `model`, when given, is a new model of `trace.arena` (the judge keeps
    /// the last one: inputs of a fuzz campaign often share their arena).
    /// `storage` lends the buffers of an earlier run (see `TraceRunStorage`),
    /// left empty here.
    init(trace: Trace, subject: Subject, configuration: JudgeConfiguration, model: ReferenceModel? = nil,
         storage: inout TraceRunStorage<Subject.CacheID>) throws(TraceFailure) {
        self.trace = trace
        self.subject = subject
        self.configuration = configuration
        if let model, var kept = storage.model {
            storage.model = nil
            kept.assign(model)
            self.model = kept
        } else {
            self.model = model ?? ReferenceModel(arena: trace.arena)
        }
        // Each buffer moved out of `storage` first, so that it is not shared
        // when it is refilled (a shared one would be copied).
        allocations = storage.allocations
        caches = storage.caches
        listHeadsBefore = storage.listHeadsBefore
        slabCacheOfPage = storage.slabCacheOfPage
        slabAccounts = storage.slabAccounts
        touched = storage.touched
        pageOwners = storage.pageOwners
        changedPages = storage.changedPages
        spareChanges = storage.spareChanges
        slabHeads = storage.slabHeads
        fullSnapshot = storage.fullSnapshot
        storage = TraceRunStorage()
        allocations.replaceContents(with: repeatElement(nil, count: trace.operations.count + 1))
        caches.replaceContents(with: repeatElement(nil, count: trace.operations.count + 1))
        cacheSlotsLeft = subject.cacheSlotsLeft
        listHeadsBefore.replaceContents(with: repeatElement(-1, count: Arena.topOrder + 1))
        slabCacheOfPage.replaceContents(with: repeatElement(-1, count: trace.arena.pageCount))
        // Sized at the first slab page change (`learnSlabPages`).
        pageOwners.removeAll(keepingCapacity: true)
        slabAccounts.removeAll(keepingCapacity: true)
        // Room for the kmalloc caches and a few of the trace's own.
        slabAccounts.reserveCapacity(32)
        // A step touches a block or two, a few runs when a shrink gives back pages.
        touched.removeAll(keepingCapacity: true)
        touched.reserveCapacity(8)
        // The slab layer may take pages when it is set up (its buffers kept for the steps).
        spareChanges = try learnSlabPages()
        try checkCounts()
    }

    /// Hands this run's buffers to the next run (`TraceRunStorage`); the run
    /// must not be used afterwards.
    func surrenderStorage() -> TraceRunStorage<Subject.CacheID> {
        var storage = TraceRunStorage<Subject.CacheID>()
        swap(&storage.allocations, &allocations)
        swap(&storage.caches, &caches)
        swap(&storage.listHeadsBefore, &listHeadsBefore)
        swap(&storage.slabCacheOfPage, &slabCacheOfPage)
        swap(&storage.slabAccounts, &slabAccounts)
        swap(&storage.touched, &touched)
        swap(&storage.pageOwners, &pageOwners)
        swap(&storage.changedPages, &changedPages)
        swap(&storage.spareChanges, &spareChanges)
        swap(&storage.slabHeads, &slabHeads)
        swap(&storage.fullSnapshot, &fullSnapshot)
        storage.model = model
        return storage
    }

    func runAll() throws(TraceFailure) {
        for (index, operation) in trace.operations.enumerated() {
            step = index + 1
            stepsRun += 1
            touched.removeAll(keepingCapacity: true)
            slabTouched = false
            touchedCache = nil
            touchedEveryCache = false
            touchedObject = nil
            slabExpectation = .unchanged
            if configuration.localChecks {
                for order in 0...Arena.topOrder { listHeadsBefore[order] = subject.freeListRecord(order: order).head }
            }
            try perform(operation)
            if slabTouched {
                let changes = try learnSlabPages()
                defer { spareChanges = changes }
                try checkSlabPages(changes)
            }
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
    /// count says something changed: taken ones must have been free. Each is
    /// credited to the cache whose slab holds it (or held it); returns what
    /// changed, for `checkSlabPages`.
    @discardableResult
    func learnSlabPages() throws(TraceFailure) -> SlabPageChanges {
        // The spare buffers, no longer shared, so emptying them keeps their storage.
        var changes = spareChanges
        spareChanges = SlabPageChanges()
        changes.taken.removeAll(keepingCapacity: true)
        changes.released.removeAll(keepingCapacity: true)
        changes.sourceOrder = 0
        guard subject.freePageCount != model.freePages else { return changes }
        if pageOwners.count != trace.arena.pageCount {
            pageOwners.replaceContents(with: repeatElement(-1, count: trace.arena.pageCount))
            // A step changes a slab's pages (up to 8, at order 3) at a time: room once, not a doubling per page.
            changedPages.reserveCapacity(16)
        }
        subject.slabCacheIndices(into: &pageOwners)
        // Most pages are in the same cache's slab as before, or in none as
        // before: one tight pass finds the others.
        changedPages.removeAll(keepingCapacity: true)
        model.owner.withUnsafeBufferPointer { owner in
            pageOwners.withUnsafeBufferPointer { now in
                slabCacheOfPage.withUnsafeBufferPointer { before in
                    for pfn in 0..<owner.count
                    where now[pfn] != before[pfn] || (now[pfn] >= 0) != (owner[pfn] == ReferenceModel.slab) {
                        changedPages.append(pfn)
                    }
                }
            }
        }
        // Each list is reserved once, at its first page, for every changed
        // page (growing page by page cost a heap allocation per doubling).
        for pfn in changedPages {
            let owner = model.owner[pfn]
            let index = pageOwners[pfn]
            let cache = index >= 0 ? Int(index) : nil
            if let cache, owner != ReferenceModel.slab {
                guard owner == ReferenceModel.free else {
                    throw fail(.invariant(.noOverlap), "the slab layer took page \(pfn), but \(describeOwner(of: pfn))")
                }
                if changes.taken.isEmpty { changes.taken.reserveCapacity(changedPages.count) }
                changes.taken.append(SlabPageChanges.Page(pfn: pfn, cache: cache))
            } else if let cache, Int(slabCacheOfPage[pfn]) != cache {
                throw fail(.invariant(.slabOwnership), "page \(pfn) moved from a slab of cache #\(slabCacheOfPage[pfn]) to one of "
                           + "cache #\(cache) without being freed")
            } else if cache == nil && owner == ReferenceModel.slab {
                if changes.released.isEmpty { changes.released.reserveCapacity(changedPages.count) }
                changes.released.append(SlabPageChanges.Page(pfn: pfn, cache: Int(slabCacheOfPage[pfn])))
            }
        }
        // The blocks split on the way are the model's before the take.
        if let first = changes.taken.first { changes.sourceOrder = model.freeBlockOrder(containing: first.pfn) ?? 0 }
        // The model takes and releases runs of consecutive pages (a slab's
        // pages are one run): its window counts are updated once per run.
        forEachRun(of: changes.taken) { _ = model.take($0, for: ReferenceModel.slab) }
        for page in changes.taken {
            slabCacheOfPage[page.pfn] = Int32(page.cache)
            slabAccounts[accountIndex(page.cache)].pages += 1
        }
        forEachRun(of: changes.released) { model.release($0, from: ReferenceModel.slab) }
        for page in changes.released {
            slabAccounts[accountIndex(page.cache)].pages -= 1
            slabCacheOfPage[page.pfn] = -1
        }
        return changes
    }

    /// Calls `body` with each run of consecutive page frames in `pages` (ascending).
    private func forEachRun(of pages: [SlabPageChanges.Page], _ body: (Range<Int>) -> Void) {
        var start = 0
        while start < pages.count {
            var end = start + 1
            while end < pages.count && pages[end].pfn == pages[end - 1].pfn + 1 { end += 1 }
            body(pages[start].pfn..<(pages[end - 1].pfn + 1))
            start = end
        }
    }
}

nonisolated(unsafe) private let foreignBuffer: UnsafeMutableRawPointer = {
    let p = UnsafeMutableRawPointer.allocate(byteCount: 2 * Arena.pageSize, alignment: Arena.pageSize)
    p.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * Arena.pageSize)
    return p
}()
