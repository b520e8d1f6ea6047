// The slab layer's pages, cache by cache: what each step may take from the
// page allocator or give back to it.
//
// A cache's slabs are blocks of 2^order pages holding objectsPerSlab objects
// each. The judge learns which pages each cache's slabs hold (when the
// free-page count says something changed) and counts each cache's live
// objects, so it predicts, for every slab step:
// - an allocation takes one new slab (2^order pages, one naturally aligned
//   block) exactly when every slab of the cache was full, and nothing
//   otherwise; and it must succeed when the cache had a free object;
// - a free gives back nothing, or the freed object's own slab, and only
//   when no live object is left in it; when the allocator says how many
//   empty slabs a cache keeps (`emptySlabsKept`), exactly when the cache
//   already had that many (counted from its pages and live objects, as
//   the slabinfo check counts them);
// - after a shrink, every slab of the cache holds a live object, and the
//   shrink's answer is the number of pages it gave back; after a shrink of
//   every cache, the same of every cache, kmalloc classes included;
// - after a destroy, the cache holds no page;
// - anything else (a refusal, an injected failure, kfree of the zero-size
//   pointer) takes and gives back nothing;
// - no step changes the pages of a cache other than the one it names (a
//   shrink of every cache names them all).

/// What the judge knows of one cache (by its number, `slabCacheIndex`).
struct SlabAccount {
    /// Learned when first needed, forgotten when the cache is destroyed.
    var geometry: SlabGeometry?
    /// Pages its slabs hold.
    var pages = 0
    /// Its objects (or kmalloc pointers) handed out and not freed.
    var liveObjects = 0
}

/// The pages a step's slab work took and gave back (ascending), with the
/// cache each belongs (belonged) to.
struct SlabPageChanges {
    struct Page {
        var pfn: Int
        var cache: Int
    }

    var taken: [Page] = []
    var released: [Page] = []
    /// The order of the free block the first taken page lay in before the step.
    var sourceOrder = 0

    var isEmpty: Bool { taken.isEmpty && released.isEmpty }
}

/// What a step may do to the slab layer's pages.
enum SlabExpectation {
    /// Nothing.
    case unchanged
    /// An object of cache `cache` was handed out; `hadFree`: the cache had a free object before.
    case allocation(cache: Int, hadFree: Bool)
    /// An object of cache `cache` in the slab at `slab` was freed; `slabEmpty`: no other live object is in that slab;
    /// `emptyBefore`: the cache's empty slabs before the free (counted when `slabEmpty`, else 0).
    case free(cache: Int, slab: Int, slabEmpty: Bool, emptyBefore: Int)
    /// `reported`: the number of pages the shrink said it gave back.
    case shrink(cache: Int, reported: Int)
    /// Every cache shrunk; `reported`: the pages the allocator said it gave back.
    case shrinkAll(reported: Int)
    case destroy(cache: Int)
}

extension TraceRun {
    /// The position of cache number `index`'s account in `slabAccounts`
    /// (made on first use); a number below 0 (no cache) has a spare account.
    func accountIndex(_ index: Int) -> Int {
        let position = max(index, -1) + 1
        // Appended in place (reserved in `TraceRun.init`), not joined with a new array.
        while position >= slabAccounts.count { slabAccounts.append(SlabAccount()) }
        return position
    }

    /// The geometry of cache number `index`, asked of the allocator once.
    func slabGeometry(_ index: Int) -> SlabGeometry {
        let position = accountIndex(index)
        if let geometry = slabAccounts[position].geometry { return geometry }
        let geometry = subject.slabGeometry(ofCacheIndex: index)
        slabAccounts[position].geometry = geometry
        return geometry
    }

    /// Whether cache number `index` has a free object in the slabs it holds.
    func cacheHasFreeObject(_ index: Int) -> Bool {
        let geometry = slabGeometry(index)
        let account = slabAccounts[accountIndex(index)]
        return account.liveObjects < (account.pages >> geometry.order) * geometry.objectsPerSlab
    }

    /// The first page of the slab of cache number `index` that holds the object `a`.
    func slabHead(of a: LiveAllocation, cache index: Int) -> Int {
        a.pfn & ~((1 << slabGeometry(index).order) - 1)
    }

    /// Whether a live object other than handle `step`'s lies in the slab at `slab` of cache number `index`.
    func slabHoldsAnotherObject(_ slab: Int, cache index: Int, besides step: Int) -> Bool {
        allocations.indices.contains { other in
            guard other != step, let b = allocations[other], b.live, b.pages == 0, b.slabIndex == index,
                  b.address != subject.zeroSizePointer else { return false }
            return slabHead(of: b, cache: index) == slab
        }
    }

    /// Sets `slabHeads` to the first page of the slab of cache number
    /// `index` under each of its live objects, ascending: one entry per
    /// object, so a run is one slab.
    func collectSlabHeadsOfLiveObjects(cache index: Int) {
        slabHeads.removeAll(keepingCapacity: true)
        for case let b? in allocations where b.live && b.pages == 0 && b.slabIndex == index && b.address != subject.zeroSizePointer {
            slabHeads.append(slabHead(of: b, cache: index))
        }
        slabHeads.sort()
    }

    /// The slabs of cache number `index` that hold no live object: its
    /// pages in blocks of its order, less the slabs its live objects lie in.
    func emptySlabCount(cache index: Int) -> Int {
        let order = slabGeometry(index).order
        collectSlabHeadsOfLiveObjects(cache: index)
        let holding = slabHeads.indices.count { $0 == 0 || slabHeads[$0 - 1] != slabHeads[$0] }
        return (slabAccounts[accountIndex(index)].pages >> order) - holding
    }

    /// What the allocator reports of each cache the judge knows
    /// (`reportedCounts(ofCacheIndex:)`) against the judge's own counts:
    /// the cache's live objects, and its slabs (the pages it holds, in
    /// blocks of its order) by how many live objects each holds: none,
    /// empty; all, full; some, partial. A cache the allocator reports
    /// nothing of is not checked.
    func checkReportedCounts() throws(TraceFailure) {
        // Account 0 is the spare of "no cache" (`accountIndex`).
        for position in slabAccounts.indices.dropFirst() {
            let index = position - 1
            let account = slabAccounts[position]
            guard let geometry = account.geometry, geometry.objectsPerSlab > 0,
                  let reported = subject.reportedCounts(ofCacheIndex: index) else { continue }
            collectSlabHeadsOfLiveObjects(cache: index)
            var holding = 0, full = 0, run = 0
            for (i, head) in slabHeads.enumerated() {
                run = i > 0 && slabHeads[i - 1] == head ? run + 1 : 1
                if run == 1 { holding += 1 }
                if run == geometry.objectsPerSlab { full += 1 }
            }
            let expected = ReportedCacheCounts(activeObjects: account.liveObjects, partialSlabs: holding - full, fullSlabs: full,
                                               emptySlabs: (account.pages >> geometry.order) - holding)
            var counts = reported
            counts.slabinfoLine = nil
            guard counts == expected else {
                throw fail(.prediction("slabinfo"), "cache #\(index) reports \(reported); the judge counts \(expected)")
            }
            // The slabinfo line sums the same slabs: every slab, empty ones too.
            if let line = reported.slabinfoLine {
                let wanted = SlabinfoNumbers(activeObjects: account.liveObjects,
                                             slabs: expected.partialSlabs + expected.fullSlabs + expected.emptySlabs,
                                             geometry: geometry)
                guard let numbers = SlabinfoNumbers(line: line), numbers == wanted else {
                    throw fail(.prediction("slabinfo"), "cache #\(index)'s slabinfo line is `\(line)`; the judge counts \(wanted)")
                }
            }
        }
    }

    /// Checks what the step did to the slab layer's pages against `slabExpectation`,
    /// and hands the blocks taken and given back to the local checks.
    func checkSlabPages(_ changes: SlabPageChanges) throws(TraceFailure) {
        func onlyOf(_ cache: Int) throws(TraceFailure) {
            // The two lists one after the other, not joined into a new array (a heap allocation per step).
            for page in changes.taken where page.cache != cache {
                throw fail(.prediction("slab-pages"), "the step names cache #\(cache), but page \(page.pfn) of cache "
                           + "#\(page.cache) was taken")
            }
            for page in changes.released where page.cache != cache {
                throw fail(.prediction("slab-pages"), "the step names cache #\(cache), but page \(page.pfn) of cache "
                           + "#\(page.cache) was given back")
            }
        }
        func noneTaken(_ what: String) throws(TraceFailure) {
            guard changes.taken.isEmpty else {
                throw fail(.prediction("slab-pages"), "\(what) took \(changes.taken.count) pages for slabs (from page \(changes.taken[0].pfn))")
            }
        }
        switch slabExpectation {
        case .unchanged:
            guard changes.isEmpty else {
                throw fail(.prediction("slab-pages"), "the step should not change the slab layer's pages, but it took "
                           + "\(changes.taken.count) and gave back \(changes.released.count)")
            }
        case let .allocation(cache, hadFree):
            try onlyOf(cache)
            guard changes.released.isEmpty else {
                throw fail(.prediction("slab-pages"), "an allocation gave back \(changes.released.count) pages of cache #\(cache)")
            }
            let order = slabGeometry(cache).order
            let expected = hadFree ? 0 : 1 << order
            guard changes.taken.count == expected else {
                throw fail(.prediction("slab-growth"), hadFree
                           ? "cache #\(cache) had a free object, yet the allocation took \(changes.taken.count) pages for a new slab"
                           : "every slab of cache #\(cache) was full: the allocation should take one slab of \(expected) pages, "
                             + "it took \(changes.taken.count)")
            }
            guard let head = changes.taken.first?.pfn else { return }
            // `taken` is ascending and holds `expected` pages: one run from `head`.
            guard head % expected == 0, changes.taken[expected - 1].pfn == head + expected - 1 else {
                throw fail(.invariant(.alignment), "the new slab of cache #\(cache) (order \(order)) is pages \(head)...\(changes.taken[expected - 1].pfn), "
                           + "not one block starting at a multiple of \(expected)")
            }
            touched.append(.allocated(pfn: head, order: order, sourceOrder: max(order, changes.sourceOrder), pages: expected,
                                      exact: false))
        case let .free(cache, slab, slabEmpty, emptyBefore):
            try onlyOf(cache)
            try noneTaken("a free")
            // The emptied slab goes back exactly when the cache already keeps
            // as many empty slabs as it may (a free empties one slab at most,
            // so a sound cache never holds more).
            if slabEmpty, let kept = subject.emptySlabsKept, (emptyBefore >= kept) == changes.released.isEmpty {
                throw fail(.prediction("empty-slabs-kept"), "the free emptied the slab at page \(slab) of cache #\(cache), which "
                           + "had \(emptyBefore) empty slabs and keeps at most \(kept): the slab should be "
                           + (emptyBefore >= kept ? "given back, it was kept" : "kept, it was given back"))
            }
            guard let first = changes.released.first?.pfn else { return }
            let pages = 1 << slabGeometry(cache).order
            guard slabEmpty, first == slab, changes.released.count == pages, changes.released[pages - 1].pfn == slab + pages - 1 else {
                throw fail(.prediction("slab-release"), slabEmpty
                           ? "the free emptied the slab at page \(slab) (\(pages) pages), but gave back \(changes.released.count) pages from page \(first)"
                           : "the free gave back \(changes.released.count) pages from page \(first), but a live object is still in "
                             + "the slab at page \(slab)")
            }
            touched.append(.freed(pfn: slab, pages: pages, listedLast: true))
        case let .shrink(cache, reported):
            try onlyOf(cache)
            try noneTaken("a shrink")
            guard reported == changes.released.count else {
                throw fail(.prediction("shrink"), "the shrink of cache #\(cache) says it gave back \(reported) pages, "
                           + "it gave back \(changes.released.count)")
            }
            try checkShrunk(cache)
            touchReleased(changes)
        case let .shrinkAll(reported):
            try noneTaken("a shrink of every cache")
            guard reported == changes.released.count else {
                throw fail(.prediction("shrink"), "the shrink of every cache says it gave back \(reported) pages, "
                           + "it gave back \(changes.released.count)")
            }
            // Account 0 is the spare of "no cache" (`accountIndex`); a cache
            // holding no page has no slab to check.
            for position in slabAccounts.indices.dropFirst() where slabAccounts[position].pages > 0 {
                try checkShrunk(position - 1)
            }
            touchReleased(changes)
        case let .destroy(cache):
            try onlyOf(cache)
            try noneTaken("a destroy")
            let held = slabAccounts[accountIndex(cache)].pages
            guard held == 0 else {
                throw fail(.prediction("destroy"), "the destroyed cache #\(cache) still holds \(held) pages")
            }
            touchReleased(changes)
            slabAccounts[accountIndex(cache)].geometry = nil
        }
    }

    /// After a shrink of cache number `index`: every slab it holds holds a live object.
    private func checkShrunk(_ index: Int) throws(TraceFailure) {
        let order = slabGeometry(index).order
        let held = slabAccounts[accountIndex(index)].pages
        collectSlabHeadsOfLiveObjects(cache: index)
        let busy = slabHeads.indices.count { $0 == 0 || slabHeads[$0 - 1] != slabHeads[$0] }
        guard held == busy << order else {
            throw fail(.prediction("shrink"), "after the shrink cache #\(index) holds \(held) pages, but only \(busy) of its "
                       + "slabs (of \(1 << order) pages) hold live objects: every empty slab should be given back")
        }
    }

    /// Hands each run of given-back pages to the local checks (blocks given
    /// back in an order of the allocator's choosing: no list-order check).
    private func touchReleased(_ changes: SlabPageChanges) {
        var index = 0
        while index < changes.released.count {
            var end = index + 1
            while end < changes.released.count && changes.released[end].pfn == changes.released[end - 1].pfn + 1 { end += 1 }
            touched.append(.freed(pfn: changes.released[index].pfn, pages: end - index, listedLast: false))
            index = end
        }
    }
}
