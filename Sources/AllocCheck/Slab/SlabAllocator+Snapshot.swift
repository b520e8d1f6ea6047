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
        var snapshot = pageAllocator.snapshot()
        let pageCount = pageAllocator.pageCount

        var cacheIndex = [Int](repeating: -1, count: maxCaches)
        // Every buffer below is sized once: the fuzz targets snapshot at
        // least once per input, and under ASan each heap allocation (with
        // its stack capture) costs more than filling the buffer.
        var cacheIDs: [Int] = []
        cacheIDs.reserveCapacity(maxCaches)
        for ci in 0..<maxCaches where caches[ci].live {
            cacheIndex[ci] = cacheIDs.count
            cacheIDs.append(ci)
        }
        var slabIndex = [Int](repeating: -1, count: pageCount)
        var slabRecords: [SlabRecord] = []
        var slabCount = 0
        for pfn in 0..<pageCount where slabs[pfn].cache != SlabMeta.unused { slabCount += 1 }
        slabRecords.reserveCapacity(slabCount)
        for pfn in 0..<pageCount where slabs[pfn].cache != SlabMeta.unused {
            slabIndex[pfn] = slabRecords.count
            slabRecords.append(slabRecord(Int32(pfn), cacheIndex: cacheIndex))
        }
        for pfn in 0..<pageCount where snapshot.pages[pfn].slab >= 0 {
            let mark = Int(snapshot.pages[pfn].slab)
            let index = mark < pageCount && slabIndex[mark] >= 0 ? slabIndex[mark] : slabRecords.count
            snapshot.pages[pfn].slab = Int32(index)
        }
        // Each list straight into its record: the fuzz targets snapshot at
        // least once per input, and a kmalloc layer has a dozen caches, most
        // of them with empty lists, which then cost no allocation at all.
        // A parked slab (`isParked`) is listed as the partial slab it is, at
        // the partial list's tail, where it goes when it stops being hot.
        func indices(_ ci: Int, _ list: SlabList) -> [Int] {
            var result: [Int] = []
            let parked = parkedSlab(ci)
            // The list's count, capped: a corrupt count must not size the buffer.
            let listed = min(max(listCounts[listSlot(ci, list)], 0), pageCount)
            if listed > 0 || (list == .partial && parked >= 0) { result.reserveCapacity(listed + 1) }
            func record(_ sid: Int32) -> Int { Int(sid) < pageCount && slabIndex[Int(sid)] >= 0 ? slabIndex[Int(sid)] : -1 }
            forEachSlab(ci, list) { sid in
                if sid != parked { result.append(record(sid)) }
            }
            if list == .partial && parked >= 0 { result.append(record(parked)) }
            return result
        }
        var cacheRecords: [SlabCacheRecord] = []
        cacheRecords.reserveCapacity(cacheIDs.count)
        for ci in cacheIDs {
            let meta = caches[ci]
            let hot = meta.hotSlab
            let hotIndex = hot >= 0 && Int(hot) < pageCount && slabIndex[Int(hot)] >= 0 ? slabIndex[Int(hot)] : -1
            cacheRecords.append(SlabCacheRecord(
                name: names[ci], objectSize: meta.objectSize, stride: meta.stride, objectOffset: meta.objectOffset,
                order: meta.order, objectsPerSlab: meta.objectsPerSlab, isKmalloc: meta.isKmalloc,
                activeObjects: activeObjects(ci), partialSlabs: indices(ci, .partial), fullSlabs: indices(ci, .full),
                emptySlabs: indices(ci, .empty), hotSlab: hotIndex, hotSlabParked: parkedSlab(ci) >= 0))
        }
        snapshot.slabLayer = SlabLayerSnapshot(
            caches: cacheRecords, slabs: slabRecords, liveObjects: liveObjectRecords(snapshot, slabs: slabRecords, caches: cacheRecords),
            kmallocClasses: kmallocClasses, ownerRecordsWritten: counters[0])
        return snapshot
    }

    /// One slab as plain data; its free chain walked in memory.
    func slabRecord(_ sid: Int32, cacheIndex: [Int]) -> SlabRecord {
        let slab = slabs[Int(sid)]
        let blockBytes = pageAllocator.pageSize << Int(slab.order)
        guard slab.cache >= 0 else {
            return SlabRecord(basePfn: Int(sid), order: Int(slab.order), cache: -1, objects: 1, stride: blockBytes,
                              objectSize: blockBytes, inUse: Int(slab.inUse), freeChain: [], freeChainTerminated: true)
        }
        let ci = Int(slab.cache)
        let meta = caches[ci]
        let start = pageAllocator.address(ofPage: Int(sid))
        if asan { Sanitizer.unpoison(start, blockBytes) }
        var chain: [Int] = []
        var cursor = slab.freeHead
        var terminated = true
        let first = firstObject(sid, ci)
        let fit = max(0, min(Int(slab.objects), blockBytes / max(meta.stride, 1)))
        let span = UInt(fit * meta.stride)
        // The free objects of a sound slab, in one allocation (the fuzz
        // targets snapshot every few steps; growing by appends cost about
        // half of a kmalloc input's heap allocations).
        chain.reserveCapacity(max(0, fit - Int(slab.inUse)))
        while cursor != 0 {
            chain.append(Int(bitPattern: cursor &- base))
            let delta = cursor &- first
            // Never follow a pointer that is not an object of this slab, nor loop forever.
            guard chain.count <= Int(slab.objects), delta < span, delta % UInt(meta.stride) == 0 else {
                terminated = false
                break
            }
            cursor = loadFreePointer(pointer(cursor), ci)
        }
        if asan { repoison(sid, ci) }
        return SlabRecord(basePfn: Int(sid), order: Int(slab.order), cache: cacheIndex[ci], objects: Int(slab.objects),
                          stride: meta.stride, objectSize: meta.objectSize, inUse: Int(slab.inUse), freeChain: chain,
                          freeChainTerminated: terminated)
    }

    /// Every object the layer records as handed out, ascending by offset.
    ///
    /// Scans the record of every page that has ever been part of a slab (the
    /// only entries the layer ever writes), not only the live slabs' entries,
    /// so that a stray entry shows up too, also one left in a slab since released: entry `e` stands for the object starting at arena
    /// offset `8 * e`, in the slab that its page's mark names (a stray entry
    /// thus shows up off an object boundary, or on a page with no slab).
    func liveObjectRecords(_ snapshot: AllocatorSnapshot, slabs slabRecords: [SlabRecord],
                           caches cacheRecords: [SlabCacheRecord]) -> [SlabObjectRecord] {
        var objects: [SlabObjectRecord] = []
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
                let slab = Int(snapshot.pages[entry >> perPageShift].slab)
                var requested: Int?
                if slab >= 0 && slab < slabRecords.count && slabRecords[slab].cache >= 0 {
                    requested = cacheRecords[slabRecords[slab].cache].isKmalloc ? Int(state) : nil
                }
                objects.append(SlabObjectRecord(offset: entry << 3, slab: slab, requestedBytes: requested))
            }
            entry += 1
        }
        for (index, slab) in slabRecords.enumerated() where slab.cache < 0 {
            objects.append(SlabObjectRecord(offset: slab.basePfn << pageShift, slab: index,
                                            requestedBytes: slabs[slab.basePfn].requested))
        }
        objects.sort { $0.offset < $1.offset }
        return objects
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
