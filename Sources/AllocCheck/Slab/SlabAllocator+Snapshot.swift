import Invariants

extension SlabAllocator {
    /// The page allocator's snapshot with the slab layer filled in, for the
    /// `Invariants` checkers and for proving that a refused call changed
    /// nothing. Page marks are translated from slab ids (head pfns) into
    /// indices of `slabLayer.slabs`; a mark that names no slab becomes
    /// `slabs.count`, an index no slab has.
    ///
    /// Free chains are read from the objects' memory (ASan poisoning is lifted
    /// while reading and put back). Cost: linear in the arena.
    public func snapshot() -> AllocatorSnapshot {
        var snapshot = AllocatorSnapshot(pageSize: 0, topOrder: 0, pages: [], freeLists: [], exactAllocations: [],
                                         freePageCount: 0)
        self.snapshot(into: &snapshot)
        return snapshot
    }

    /// Makes `snapshot` what `snapshot()` returns, in the storage of the
    /// arrays it holds (the records' lists and free chains too) where that
    /// is large enough: a fuzz target checks a snapshot at least once per
    /// input, and its arrays were most of an execution's heap allocations.
    public func snapshot(into snapshot: inout AllocatorSnapshot) {
        pageAllocator.snapshotPages(into: &snapshot)
        // The layer's part, taken out so that its arrays are not shared while refilled.
        var layer = SlabLayerSnapshot()
        swap(&layer, &snapshot.slabLayer)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: maxCaches) { cacheIndex in
            cacheIndex.initialize(repeating: -1)
            fillSlabLayer(&layer, pages: &snapshot.pages, cacheIndex: cacheIndex)
        }
        fillLiveObjectRecords(&layer.liveObjects, pages: snapshot.pages, slabs: layer.slabs, caches: layer.caches)
        // Copied, not shared: a snapshot kept across fuzz executions must hold
        // no buffer of this layer's (see `SlabLayerSnapshot.spareSlabs`).
        layer.kmallocClasses.replaceContents(with: kmallocClasses)
        layer.ownerRecordsWritten = counters[0]
        snapshot.slabLayer = layer
    }

    /// The caches and slabs of `layer`, refilled in place; page marks in
    /// `pages` translated from slab ids (head pfns) into indices of
    /// `layer.slabs` (a mark that names no slab becomes `slabs.count`).
    /// `cacheIndex` comes all -1 and is left mapping cache rows to record
    /// indices.
    private func fillSlabLayer(_ layer: inout SlabLayerSnapshot, pages: inout [PageRecord],
                               cacheIndex: UnsafeMutableBufferPointer<Int>) {
        let pageCount = pageAllocator.pageCount
        var liveCaches = 0
        for ci in 0..<maxCaches where caches[ci].live {
            cacheIndex[ci] = liveCaches
            liveCaches += 1
        }
        // Taken out while the caches' records are written (one access at a time).
        var records: [SlabRecord] = []
        swap(&records, &layer.slabs)
        var slabCount = 0
        for pfn in 0..<pageCount where slabs[pfn].cache != SlabMeta.unused {
            if slabCount == records.count {
                records.append(layer.spareSlabs.popLast()
                    ?? SlabRecord(basePfn: 0, order: 0, cache: 0, objects: 0, stride: 0, objectSize: 0,
                                  inUse: 0, freeChain: [], freeChainTerminated: true))
            }
            fillSlabRecord(&records[slabCount], Int32(pfn), cacheIndex: cacheIndex)
            slabCount += 1
        }
        // Records no longer needed are kept, with their chains, for the next refill.
        while records.count > slabCount { layer.spareSlabs.append(records.removeLast()) }
        records.withUnsafeBufferPointer { records in
            // The records are in ascending order of their head pfn: the index
            // of the one headed by `sid` is found by bisection (a table by
            // pfn would be a heap allocation per snapshot), -1 when none is.
            func record(_ sid: Int32) -> Int {
                var low = 0, high = records.count
                while low < high {
                    let middle = (low + high) / 2
                    if records[middle].basePfn < Int(sid) { low = middle + 1 } else { high = middle }
                }
                return low < records.count && records[low].basePfn == Int(sid) ? low : -1
            }
            pages.withUnsafeMutableBufferPointer { pages in
                for pfn in 0..<pageCount where pages[pfn].slab >= 0 {
                    let index = record(pages[pfn].slab)
                    pages[pfn].slab = Int32(index >= 0 ? index : records.count)
                }
            }
            // Each list straight into its record, in the record's own storage.
            // A parked slab (`isParked`) is listed as the partial slab it is, at
            // the partial list's tail, where it goes when it stops being hot.
            func fill(_ result: inout [Int], _ ci: Int, _ list: SlabList) {
                result.removeAll(keepingCapacity: true)
                let parked = parkedSlab(ci)
                // The list's count, capped: a corrupt count must not size the buffer.
                let listed = min(max(listCounts[listSlot(ci, list)], 0), pageCount)
                if listed > 0 || (list == .partial && parked >= 0) { result.reserveCapacity(listed + 1) }
                forEachSlab(ci, list) { sid in
                    if sid != parked { result.append(record(sid)) }
                }
                if list == .partial && parked >= 0 { result.append(record(parked)) }
            }
            var position = 0
            for ci in 0..<maxCaches where caches[ci].live {
                let meta = caches[ci]
                let hot = meta.hotSlab
                if position == layer.caches.count {
                    layer.caches.append(layer.spareCaches.popLast()
                        ?? SlabCacheRecord(name: "", objectSize: 0, stride: 0, objectOffset: 0, order: 0,
                                           objectsPerSlab: 0, isKmalloc: false, activeObjects: 0,
                                           partialSlabs: [], fullSlabs: [], emptySlabs: []))
                }
                layer.caches[position].name = names[ci]
                layer.caches[position].objectSize = meta.objectSize
                layer.caches[position].stride = meta.stride
                layer.caches[position].objectOffset = meta.objectOffset
                layer.caches[position].order = meta.order
                layer.caches[position].objectsPerSlab = meta.objectsPerSlab
                layer.caches[position].isKmalloc = meta.isKmalloc
                layer.caches[position].activeObjects = activeObjects(ci)
                fill(&layer.caches[position].partialSlabs, ci, .partial)
                fill(&layer.caches[position].fullSlabs, ci, .full)
                fill(&layer.caches[position].emptySlabs, ci, .empty)
                layer.caches[position].hotSlab = hot >= 0 ? record(hot) : -1
                layer.caches[position].hotSlabParked = parkedSlab(ci) >= 0
                position += 1
            }
            while layer.caches.count > position { layer.spareCaches.append(layer.caches.removeLast()) }
        }
        layer.slabs = records
    }

    /// Makes `record` the slab headed by `sid` as plain data, its free chain
    /// walked in memory (into the record's own chain buffer).
    func fillSlabRecord(_ record: inout SlabRecord, _ sid: Int32, cacheIndex: UnsafeMutableBufferPointer<Int>) {
        let slab = slabs[Int(sid)]
        let blockBytes = pageAllocator.pageSize << Int(slab.order)
        record.basePfn = Int(sid)
        record.order = Int(slab.order)
        record.inUse = Int(slab.inUse)
        record.freeChain.removeAll(keepingCapacity: true)
        record.freeChainTerminated = true
        guard slab.cache >= 0 else {
            record.cache = -1
            record.objects = 1
            record.stride = blockBytes
            record.objectSize = blockBytes
            return
        }
        let ci = Int(slab.cache)
        let meta = caches[ci]
        record.cache = cacheIndex[ci]
        record.objects = Int(slab.objects)
        record.stride = meta.stride
        record.objectSize = meta.objectSize
        let start = pageAllocator.address(ofPage: Int(sid))
        if asan { Sanitizer.unpoison(start, blockBytes) }
        var cursor = slab.freeHead
        let first = firstObject(sid, ci)
        let fit = max(0, min(Int(slab.objects), blockBytes / max(meta.stride, 1)))
        let span = UInt(fit * meta.stride)
        // The free objects of a sound slab, in one allocation at most.
        record.freeChain.reserveCapacity(max(0, fit - Int(slab.inUse)))
        while cursor != 0 {
            record.freeChain.append(Int(bitPattern: cursor &- base))
            let delta = cursor &- first
            // Never follow a pointer that is not an object of this slab, nor loop forever.
            guard record.freeChain.count <= Int(slab.objects), delta < span, delta % UInt(meta.stride) == 0 else {
                record.freeChainTerminated = false
                break
            }
            cursor = loadFreePointer(pointer(cursor), ci)
        }
        if asan { repoison(sid, ci) }
    }

    /// Every object the layer records as handed out, ascending by offset.
    ///
    /// Scans the record of every page that has ever been part of a slab (the
    /// only entries the layer ever writes), not only the live slabs' entries,
    /// so that a stray entry shows up too, also one left in a slab since released: entry `e` stands for the object starting at arena
    /// offset `8 * e`, in the slab that its page's mark names (a stray entry
    /// thus shows up off an object boundary, or on a page with no slab).
    func fillLiveObjectRecords(_ objects: inout [SlabObjectRecord], pages: [PageRecord], slabs slabRecords: [SlabRecord],
                               caches cacheRecords: [SlabCacheRecord]) {
        objects.removeAll(keepingCapacity: true)
        let entries = (pageAllocator.pageCount << pageShift) >> 3
        let perPageShift = pageShift - 3
        let perPage = 1 << perPageShift
        var entry = 0
        while entry < entries {
            // Skip pages that never held a slab: no entry there was ever written.
            if entry & (perPage - 1) == 0, slabPageEver[entry >> perPageShift] == 0 {
                entry += perPage
                continue
            }
            // Skip runs with no live mark, a machine word at a time.
            if entry & 3 == 0, entry + 4 <= entries,
               UnsafeRawPointer(objectState + entry).load(as: UInt64.self) & Self.handedOutWord == 0 {
                entry += 4
                continue
            }
            let state = objectState[entry]
            if Self.isHandedOut(state) {
                let slab = Int(pages[entry >> perPageShift].slab)
                var requested: Int?
                if slab >= 0 && slab < slabRecords.count && slabRecords[slab].cache >= 0 {
                    let cache = slabRecords[slab].cache
                    // An object of a kmalloc class handed out by `allocate`
                    // (its handle from `kmallocCache(forSize:)`) asked for the
                    // whole object, as the kernel's kmem_cache_alloc records it.
                    // (The record's fields are read in place: a copy of it
                    // retains its slab lists, for every live object.)
                    if cacheRecords[cache].isKmalloc {
                        requested = state == Self.plainObjectMark ? cacheRecords[cache].objectSize : Int(state)
                    }
                }
                objects.append(SlabObjectRecord(offset: entry << 3, slab: slab, requestedBytes: requested))
            }
            entry += 1
        }
        // The objects above are in ascending order; each large block goes in
        // at its place (the blocks are few, and a sort takes a scratch buffer).
        for (index, slab) in slabRecords.enumerated() where slab.cache < 0 {
            let object = SlabObjectRecord(offset: slab.basePfn << pageShift, slab: index,
                                          requestedBytes: slabs[slab.basePfn].requested)
            var low = 0, high = objects.count
            while low < high {
                let middle = (low + high) / 2
                if objects[middle].offset <= object.offset { low = middle + 1 } else { high = middle }
            }
            objects.insert(object, at: low)
        }
    }
}

extension SlabAllocator {
    /// The low 15 bits of each of four entries read as one word: a word
    /// without any is four entries none of which is handed out (positive).
    static var handedOutWord: UInt64 { 0x7FFF_7FFF_7FFF_7FFF }

    /// The cache whose slab holds page `pfn`, or nil when the page is in no
    /// cache's slab (free, a page allocation, or a large kmalloc block). For
    /// checks local to the pages a call touched; `pfn` must be in the arena.
    public func cacheOwning(page pfn: Int) -> SlabCacheID? {
        precondition(pfn >= 0 && pfn < pageAllocator.pageCount, "page \(pfn) is outside the arena")
        let index = cacheIndex(ofPage: pfn)
        return index >= 0 ? handle(Int(index)) : nil
    }
}
