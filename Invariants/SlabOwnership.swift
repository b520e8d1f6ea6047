extension InvariantName {
    /// Every live slab object belongs to exactly one slab of one cache, on an
    /// object boundary; slab pages are marked as that slab's and allocated.
    public static let slabOwnership = InvariantName("slab-ownership")
}

/// Slab object ownership: the slab layer's picture agrees with itself and
/// with the page allocator's.
///
/// In the snapshot's terms (`SlabLayerSnapshot`), for slab `s` of cache `c`
/// with first object at byte `F = s.basePfn * pageSize + c.objectOffset`:
/// - Pages: every page of `s`'s block lies in the arena and is marked
///   `slab == s`; the head is an `.allocated` head of order `s.order`, the
///   other pages `.tail`, and no free block contains the block. Every page
///   marked `s` lies inside `s`'s block (so no page is in two slabs), and
///   slabs do not overlap.
/// - Geometry: `s.cache` names a cache (or is -1, a large kmalloc block:
///   one object, the whole block); `s` has the cache's order, stride, object
///   size and object count, and `objects * stride` fits the block.
/// - Free chain: it ends; every entry is `F + i * stride` with
///   `0 <= i < objects`, and no entry repeats; `inUse == objects - length`.
/// - Live objects: each lies in the slab its page mark names, at
///   `F + i * stride`, is not on that slab's free chain, and appears once;
///   each slab has exactly `inUse` of them; each cache's `activeObjects` is
///   the sum of its slabs' `inUse`.
/// - Lists: each slab of `c` is on exactly one of `c`'s lists, the one its
///   in-use count calls for (partial: some in use; full: all; empty: none).
/// - kmalloc: an object of a kmalloc cache has a requested size whose size
///   class (the smallest class that holds it) is the cache's object size; a
///   large kmalloc block has a requested size above the largest class and
///   the order `get_order(requested)`.
///
/// Left to other invariants: whether the page allocator's own structures
/// are sound (the page-level checkers).
///
/// Cost: linear in the pages, slabs, chain entries and live objects.
public enum SlabOwnership: SnapshotInvariant {
    public static let name = InvariantName.slabOwnership

    public static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation] {
        var log = ViolationLog(name, limit: limit)
        let layer = snapshot.slabLayer
        let pages = snapshot.pages
        let pageSize = snapshot.pageSize
        guard Checked.isValidPageSize(pageSize) else { return [] }
        let slabCount = layer.slabs.count
        let topOrder = Checked.topOrder(snapshot)

        // Pages marked with a slab: the mark must name a slab whose block holds the page.
        for (pfn, page) in pages.enumerated() where page.slab != -1 {
            let mark = Int(page.slab)
            guard mark >= 0, mark < slabCount else {
                log.report([pfn], "page \(pfn) is marked as slab \(mark), but there is no such slab (\(slabCount) slabs)")
                continue
            }
            let slab = layer.slabs[mark]
            let end = Checked.end(pfn: slab.basePfn, order: slab.order, cappedAt: Int.max)
            if pfn < slab.basePfn || pfn >= end {
                log.report([pfn, slab.basePfn],
                           "page \(pfn) is marked as slab \(mark), which covers \(Checked.pageRange(slab.basePfn, end - 1))")
            }
        }

        // Every free-chain entry of every slab, ascending, then searched (no hashing in a linear pass).
        var chainOffsets: [Int] = []
        // Sized once (the buffers grew entry by entry, most of the check's allocations).
        var chainEntries = 0
        for slab in layer.slabs { chainEntries += slab.freeChain.count }
        chainOffsets.reserveCapacity(chainEntries)
        // Per slab whose geometry checked out: where its block and its first object start, in bytes.
        var geometry = [SlabGeometry?](repeating: nil, count: slabCount)
        var previousEnd = 0
        // The objects on the slab's free chain, a bit per object (one buffer for every slab, grown
        // to the most objects a slab that checked out has, and cleared after each slab).
        var onChain: [UInt64] = []
        // Objects met twice on one chain (rare: only a corrupt chain has one).
        var repeated: [Int] = []
        // A short chain's object indices, sorted instead (one buffer for every slab).
        var indices: [Int] = []
        for (index, slab) in layer.slabs.enumerated() {
            // Made only for a report: a string per slab at every check was most of the check's allocations.
            var label: String { "slab \(index) at page \(slab.basePfn)" }
            // `basePfn <= count - span`, not `basePfn + span <= count`: a corrupt pfn may be near Int.max.
            guard let span = Checked.span(order: slab.order), slab.basePfn >= 0, slab.basePfn <= pages.count - span else {
                log.report([slab.basePfn], "\(label), order \(slab.order), does not lie inside the arena")
                continue
            }
            let (blockStart, startOverflow) = slab.basePfn.multipliedReportingOverflow(by: pageSize)
            let (blockBytes, bytesOverflow) = span.multipliedReportingOverflow(by: pageSize)
            guard !startOverflow, !bytesOverflow, blockStart <= Int.max - blockBytes else {
                log.report([slab.basePfn], "\(label), order \(slab.order), lies beyond the largest byte offset "
                           + "(page size \(pageSize))")
                continue
            }
            // Overlapping slabs are reported once here; their pages are not checked again, which also
            // keeps the cost linear when many slab records claim the same pages.
            if slab.basePfn < previousEnd {
                log.report([slab.basePfn], "\(label) overlaps the slab before it (which ends at page \(previousEnd - 1))")
            } else {
                checkPages(of: slab, index: index, span: span, topOrder: topOrder, pages: pages, log: &log)
            }
            previousEnd = max(previousEnd, slab.basePfn + span)

            // Geometry, against the cache or, for a large kmalloc block, the block.
            if slab.cache == -1 {
                if slab.objects != 1 || slab.inUse != 1 || !slab.freeChain.isEmpty || slab.stride != blockBytes {
                    log.report([slab.basePfn], "\(label) is a large kmalloc block but does not hold exactly one live "
                               + "object spanning the block (objects \(slab.objects), in use \(slab.inUse), "
                               + "\(slab.freeChain.count) free)")
                }
                geometry[index] = SlabGeometry(start: blockStart, bytes: blockBytes, first: blockStart)
                continue
            }
            guard slab.cache >= 0, slab.cache < layer.caches.count else {
                log.report([slab.basePfn], "\(label) names cache \(slab.cache), but there is no such cache")
                continue
            }
            let cache = layer.caches[slab.cache]
            let (first, firstOverflow) = blockStart.addingReportingOverflow(cache.objectOffset)
            guard slab.order == cache.order, slab.stride == cache.stride, slab.objectSize == cache.objectSize,
                  slab.objects == cache.objectsPerSlab, cache.stride > 0, slab.objects >= 0,
                  slab.objects <= blockBytes / cache.stride, !firstOverflow
            else {
                log.report([slab.basePfn], "\(label) of \(cache.name) has order \(slab.order), \(slab.objects) objects "
                           + "of stride \(slab.stride), but the cache has order \(cache.order), "
                           + "\(cache.objectsPerSlab) objects of stride \(cache.stride)"
                           + (firstOverflow ? " (and object offset \(cache.objectOffset))" : ""))
                continue
            }
            geometry[index] = SlabGeometry(start: blockStart, bytes: blockBytes, first: first)
            if slab.inUse < 0 || slab.inUse > slab.objects {
                log.report([slab.basePfn], "\(label) of \(cache.name) counts \(slab.inUse) of \(slab.objects) objects in use")
            }

            // The free chain. Entries may hold any value (they are read from memory), so each is
            // checked without overflow. Repeats are found with a bit per object of the slab when
            // the chain is long enough to pay for its words, else by sorting the chain's object
            // indices: either way the cost follows the chain's length, never a corrupt count.
            var chainValid = slab.freeChainTerminated
            let objectBytes = slab.objects * cache.stride
            let words = (slab.objects + 63) >> 6
            let useBits = words <= 2 * slab.freeChain.count + 8
            if useBits, onChain.count < words { onChain.append(contentsOf: repeatElement(0, count: words - onChain.count)) }
            repeated.removeAll(keepingCapacity: true)
            indices.removeAll(keepingCapacity: true)
            for entry in slab.freeChain {
                let (delta, overflow) = entry.subtractingReportingOverflow(first)
                guard !overflow, delta >= 0, delta < objectBytes, delta % cache.stride == 0 else {
                    // An entry outside the arena is named as such, not by its
                    // distance from the arena (which depends on where the arena lies).
                    let (arenaBytes, arenaOverflow) = pages.count.multipliedReportingOverflow(by: pageSize)
                    let place = entry >= 0 && (arenaOverflow || entry < arenaBytes) ? "at byte \(entry)" : "outside the arena"
                    log.report([slab.basePfn], "\(label) of \(cache.name) has free-chain entry \(place), "
                               + "which is not one of its objects")
                    chainValid = false
                    continue
                }
                let object = delta / cache.stride
                if useBits {
                    let bit = UInt64(1) << UInt64(object & 63)
                    if onChain[object >> 6] & bit != 0 { repeated.append(object) } else { onChain[object >> 6] |= bit }
                } else {
                    indices.append(object)
                }
            }
            // The chain's objects in ascending order, each once (and the bits cleared).
            if useBits {
                for word in 0..<words where onChain[word] != 0 {
                    var bits = onChain[word]
                    while bits != 0 {
                        chainOffsets.append(first + ((word << 6) | bits.trailingZeroBitCount) * cache.stride)
                        bits &= bits - 1
                    }
                    onChain[word] = 0
                }
            } else {
                indices.sort()
                for (position, object) in indices.enumerated() {
                    if position > 0 && indices[position - 1] == object { repeated.append(object); continue }
                    chainOffsets.append(first + object * cache.stride)
                }
            }
            if !repeated.isEmpty {
                repeated.sort()
                for object in repeated {
                    log.report([slab.basePfn], "\(label) of \(cache.name) has object \(object) "
                               + "on its free chain twice")
                }
                chainValid = false
            }
            if !slab.freeChainTerminated {
                log.report([slab.basePfn], "\(label) of \(cache.name): the free chain does not end within "
                           + "\(Checked.plusOne(slab.objects)) steps at an object of the slab (a cycle or a wild pointer)")
            }
            if chainValid && slab.inUse != slab.objects - slab.freeChain.count {
                log.report([slab.basePfn], "\(label) of \(cache.name) counts \(slab.inUse) in use, but "
                           + "\(slab.freeChain.count) of its \(slab.objects) objects are on the free chain")
            }
        }

        checkLists(layer, log: &log)
        // Ascending already when the slabs' blocks are (each slab's entries lie in its block);
        // sorted only after slabs that overlap or come out of order.
        if zip(chainOffsets, chainOffsets.dropFirst()).contains(where: { $0 > $1 }) { chainOffsets.sort() }
        checkLiveObjects(layer, pageSize: pageSize, geometry: geometry, chainOffsets: chainOffsets, log: &log)
        return log.finish()
    }

    /// The slab's block is allocated in the page allocator and every page is marked as this slab's.
    static func checkPages(of slab: SlabRecord, index: Int, span: Int, topOrder: Int, pages: [PageRecord],
                           log: inout ViolationLog) {
        let head = pages[slab.basePfn]
        if head.kind != .allocated || Int(head.order) != slab.order {
            log.report([slab.basePfn], "slab \(index) at page \(slab.basePfn) should be an allocated block of order "
                       + "\(slab.order), but its head is \(head.kind.phrase) of order \(head.order)")
        }
        var unmarked = 0
        var firstUnmarked = -1
        for pfn in slab.basePfn..<(slab.basePfn + span) {
            if pages[pfn].slab != Int32(index) {
                unmarked += 1
                if firstUnmarked < 0 { firstUnmarked = pfn }
            }
            if pfn > slab.basePfn && pages[pfn].kind != .tail {
                log.report([pfn, slab.basePfn], "page \(pfn) inside slab \(index) is \(pages[pfn].kind.phrase), not a tail page")
            }
        }
        if unmarked > 0 {
            log.report([firstUnmarked, slab.basePfn], "\(unmarked) pages of slab \(index) at page \(slab.basePfn) are not "
                       + "marked as its pages (first: page \(firstUnmarked), marked \(pages[firstUnmarked].slab))")
        }
        if slab.order < topOrder {
            for order in (slab.order + 1)...topOrder {
                let candidate = slab.basePfn & ~((1 << order) - 1)
                let page = pages[candidate]
                if page.kind == .free && Int(page.order) >= order {
                    log.report([slab.basePfn, candidate], "slab \(index) at page \(slab.basePfn) lies inside the free "
                               + "block of order \(page.order) at page \(candidate)")
                    break
                }
            }
        }
    }

    /// Each slab of a cache is on exactly one of its lists, the one its in-use count calls for.
    static func checkLists(_ layer: SlabLayerSnapshot, log: inout ViolationLog) {
        var listed = [Int](repeating: 0, count: layer.slabs.count)
        for (cacheIndex, cache) in layer.caches.enumerated() {
            var active = 0
            var activeOverflows = false
            for (listName, ids) in [("partial", cache.partialSlabs), ("full", cache.fullSlabs), ("empty", cache.emptySlabs)] {
                for id in ids {
                    guard id >= 0, id < layer.slabs.count else {
                        log.report([], "\(cache.name)'s \(listName) list names slab \(id), but there is no such slab")
                        continue
                    }
                    let slab = layer.slabs[id]
                    listed[id] += 1
                    // Corrupt counts may be near Int.max: a sum that overflows is itself a violation.
                    let (sum, overflow) = active.addingReportingOverflow(slab.inUse)
                    active = sum
                    activeOverflows = activeOverflows || overflow
                    guard slab.cache == cacheIndex else {
                        log.report([slab.basePfn], "\(cache.name)'s \(listName) list holds slab \(id) of another cache")
                        continue
                    }
                    let wanted = slab.inUse == 0 ? "empty" : (slab.inUse >= slab.objects ? "full" : "partial")
                    if wanted != listName {
                        log.report([slab.basePfn], "slab \(id) at page \(slab.basePfn) of \(cache.name) has "
                                   + "\(slab.inUse) of \(slab.objects) objects in use but is on the \(listName) list")
                    }
                }
            }
            if activeOverflows {
                log.report([], "\(cache.name) counts \(cache.activeObjects) active objects, but its slabs' in-use "
                           + "counts overflow when summed")
            } else if active != cache.activeObjects {
                log.report([], "\(cache.name) counts \(cache.activeObjects) active objects, its slabs \(active)")
            }
        }
        for (id, slab) in layer.slabs.enumerated() where slab.cache != -1 && listed[id] != 1 {
            log.report([slab.basePfn], "slab \(id) at page \(slab.basePfn) is on \(listed[id]) lists of its cache, not one")
        }
    }

    /// Each live object sits on an object boundary of the slab its page names,
    /// off the free chain, once; the per-slab counts and kmalloc classes agree.
    static func checkLiveObjects(_ layer: SlabLayerSnapshot, pageSize: Int, geometry: [SlabGeometry?],
                                 chainOffsets: [Int], log: inout ViolationLog) {
        var live = [Int](repeating: 0, count: layer.slabs.count)
        var previous = Int.min
        let largestClass = layer.kmallocClasses.last ?? 0
        for object in layer.liveObjects {
            // Made only for a report (see `label` above).
            var where_: String { "live object at byte \(object.offset)" }
            if object.offset == previous { log.report([], "\(where_) is listed twice") }
            previous = object.offset
            guard object.slab >= 0, object.slab < layer.slabs.count else {
                log.report([object.offset / pageSize], "\(where_) lies on page \(object.offset / pageSize), which is in no slab")
                continue
            }
            let slab = layer.slabs[object.slab]
            live[object.slab] += 1
            // A slab whose geometry did not check out was reported above; nothing here can be measured against it.
            guard let block = geometry[object.slab] else { continue }
            if slab.cache == -1 {
                if object.offset != block.start {
                    log.report([slab.basePfn], "\(where_) is not the start of its large kmalloc block at page \(slab.basePfn)")
                }
                if let requested = object.requestedBytes {
                    let order = requested > 0 ? Checked.order(forBytes: requested, pageSize: pageSize) : -1
                    if requested <= largestClass || order != slab.order {
                        log.report([slab.basePfn], "large kmalloc of \(requested) bytes at page \(slab.basePfn) has order "
                                   + "\(slab.order); it should be a size class or order \(order)")
                    }
                }
                continue
            }
            let cache = layer.caches[slab.cache]
            let (delta, overflow) = object.offset.subtractingReportingOverflow(block.first)
            let (inBlock, blockOverflow) = object.offset.subtractingReportingOverflow(block.start)
            guard !overflow, delta >= 0, delta < slab.objects * cache.stride, delta % cache.stride == 0,
                  !blockOverflow, inBlock >= 0, inBlock < block.bytes
            else {
                log.report([slab.basePfn], "\(where_) is not on an object boundary of slab \(object.slab) at page "
                           + "\(slab.basePfn) (\(cache.name), stride \(cache.stride))")
                continue
            }
            if chainOffsets.containsSorted(object.offset) {
                log.report([slab.basePfn], "\(where_) in \(cache.name) is also on the free chain")
            }
            if cache.isKmalloc {
                let requested = object.requestedBytes ?? 0
                let sizeClass = layer.kmallocClasses.first { $0 >= requested }
                if requested <= 0 || sizeClass != cache.objectSize {
                    log.report([slab.basePfn], "\(where_) is in \(cache.name), but its requested size \(requested) "
                               + "belongs to class \(sizeClass.map(String.init) ?? "none")")
                }
            }
        }
        for (id, slab) in layer.slabs.enumerated() where live[id] != slab.inUse {
            log.report([slab.basePfn], "slab \(id) at page \(slab.basePfn) counts \(slab.inUse) objects in use, "
                       + "but \(live[id]) live objects lie in it")
        }
    }
}

/// Where a slab that checked out lies, in bytes from the arena's start.
struct SlabGeometry {
    /// The block's first byte.
    var start: Int
    /// The block's size.
    var bytes: Int
    /// The first object's first byte (`start` for a large kmalloc block).
    var first: Int
}

extension Array {
    /// The first index whose element's `key` is not below `value`, in an
    /// array ascending by `key` (a binary search; `count` when there is none).
    func firstIndex(notBelow value: Int, by key: (Element) -> Int) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if key(self[mid]) < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension Array where Element == Int {
    /// Binary search in an ascending array.
    func containsSorted(_ value: Int) -> Bool {
        let index = firstIndex(notBelow: value) { $0 }
        return index < count && self[index] == value
    }
}

extension SlabLayerSnapshot {
    /// The live object whose first usable byte is `offset` bytes into the
    /// arena, if any (a binary search: `liveObjects` is sorted by offset).
    public func liveObject(at offset: Int) -> SlabObjectRecord? {
        let index = liveObjects.firstIndex(notBelow: offset) { $0.offset }
        return index < liveObjects.count && liveObjects[index].offset == offset ? liveObjects[index] : nil
    }
}
