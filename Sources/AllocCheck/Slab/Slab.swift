/// Which of its cache's lists a slab is on.
@usableFromInline
enum SlabList: UInt8, Sendable {
    case none = 0
    /// Some objects handed out, some free: allocation takes from these first.
    case partial = 1
    /// Every object handed out.
    case full = 2
    /// No object handed out; kept for reuse until `shrink`.
    case empty = 3

    /// The three lists a cache keeps, in the order validation and snapshots visit them.
    static let allLists: [SlabList] = [.partial, .full, .empty]
}

/// Per-slab metadata, the counterpart of the slab fields of the kernel's
/// `struct slab`. One row per page frame in a preallocated table, indexed by
/// the slab's head pfn (its id), so that a page mark leads straight to it.
///
/// Invariant: `inUse` objects are handed out; the other `objects - inUse`
/// are on the free chain that starts at `freeHead` and is threaded through
/// the free objects' memory (0 ends it). `next`/`prev` link the slab into
/// its cache's list `list`.
@usableFromInline
struct SlabMeta {
    /// Cache index; `unused` for no slab, `largeKmalloc` for a large kmalloc block.
    @usableFromInline var cache: Int32
    @usableFromInline var list: SlabList
    var order: UInt8
    var objects: Int32
    @usableFromInline var inUse: Int32
    var next: Int32
    var prev: Int32
    /// Address of the first free object, 0 when none.
    @usableFromInline var freeHead: UInt
    /// For a large kmalloc block: the size the caller asked for.
    var requested: Int

    static let unused: Int32 = -1
    static let largeKmalloc: Int32 = -2

    static var empty: SlabMeta {
        SlabMeta(cache: unused, list: .none, order: 0, objects: 0, inUse: 0, next: -1, prev: -1, freeHead: 0, requested: 0)
    }
}

// Slab lists and the life of a slab. Lists are intrusive doubly linked lists
// through `SlabMeta.next/prev`, with heads and counts in a preallocated table
// (three per cache), so moving a slab is O(1) and allocates nothing.
extension SlabAllocator {
    @inline(__always)
    func listSlot(_ ci: Int, _ list: SlabList) -> Int { ci &* 3 &+ Int(list.rawValue) &- 1 }

    /// Puts slab `sid` at the front of list `list` of cache `ci` (most recently
    /// used first, so allocation reuses warm memory).
    @inline(__always)
    func pushSlab(_ sid: Int32, _ ci: Int, _ list: SlabList) {
        let slot = listSlot(ci, list)
        let first = listHeads[slot]
        slabs[Int(sid)].next = first
        slabs[Int(sid)].prev = -1
        slabs[Int(sid)].list = list
        if first >= 0 { slabs[Int(first)].prev = sid } else { listTails[slot] = sid }
        listHeads[slot] = sid
        listCounts[slot] &+= 1
        if list == .partial && caches[ci].hotSlab < 0 { caches[ci].setHotSlab(sid) }
    }

    /// Puts slab `sid` at the back of list `list` of cache `ci`. A full slab
    /// that gets one object back goes here (as SLUB adds it to the partial
    /// list's tail), so allocation keeps working through the slab at the head,
    /// which has many free objects, instead of hopping between slabs with one.
    @inline(__always)
    func pushSlabBack(_ sid: Int32, _ ci: Int, _ list: SlabList) {
        let slot = listSlot(ci, list)
        let last = listTails[slot]
        slabs[Int(sid)].prev = last
        slabs[Int(sid)].next = -1
        slabs[Int(sid)].list = list
        if last >= 0 { slabs[Int(last)].next = sid } else { listHeads[slot] = sid }
        listTails[slot] = sid
        listCounts[slot] &+= 1
        if list == .partial && caches[ci].hotSlab < 0 { caches[ci].setHotSlab(sid) }
    }

    /// Takes slab `sid` off whichever list of cache `ci` it is on. When it was
    /// the hot slab (a partial one, or one parked on the full list), the
    /// partial list's head (or none) becomes hot.
    @inline(__always)
    func unlinkSlab(_ sid: Int32, _ ci: Int) {
        let list = slabs[Int(sid)].list
        let slot = listSlot(ci, list)
        let next = slabs[Int(sid)].next
        let prev = slabs[Int(sid)].prev
        if prev >= 0 { slabs[Int(prev)].next = next } else { listHeads[slot] = next }
        if next >= 0 { slabs[Int(next)].prev = prev } else { listTails[slot] = prev }
        slabs[Int(sid)].next = -1
        slabs[Int(sid)].prev = -1
        slabs[Int(sid)].list = .none
        listCounts[slot] &-= 1
        if caches[ci].hotSlab == sid { caches[ci].setHotSlab(listHeads[listSlot(ci, .partial)]) }
    }

    /// Whether slab `sid` of cache `ci` is parked: the cache's hot slab,
    /// left on the full list while it holds a free object. A fast free into
    /// a full slab makes the slab hot without moving it, so that the next
    /// allocation, which takes that object back, moves nothing either (a
    /// random free pattern otherwise moves a slab from the full list to the
    /// partial list and back on nearly every pair of operations). Counts,
    /// snapshots and validation treat a parked slab as partial; it moves to
    /// the partial list's tail (`settleHotSlab`) when another slab becomes hot.
    @inline(__always)
    func isParked(_ sid: Int32, _ ci: Int) -> Bool {
        sid >= 0 && caches[ci].hotSlab == sid && slabs[Int(sid)].list == .full && slabs[Int(sid)].inUse < slabs[Int(sid)].objects
    }

    /// The parked slab of cache `ci` (`isParked`), or -1.
    func parkedSlab(_ ci: Int) -> Int32 {
        let hot = caches[ci].hotSlab
        return hot >= 0 && Int(hot) < pageAllocator.pageCount && slabs[Int(hot)].cache == Int32(ci) && isParked(hot, ci) ? hot : -1
    }

    /// Before another slab of cache `ci` becomes hot: a parked hot slab
    /// (`isParked`) moves to the partial list's tail, where a free into a
    /// full slab puts it. Out of line: the fast paths call it only when the
    /// hot slab they are about to replace sits on the full list.
    @usableFromInline @inline(never)
    func settleHotSlab(_ ci: Int) {
        let hot = caches[ci].hotSlab
        guard hot >= 0, isParked(hot, ci) else { return }
        moveFullSlabToPartial(hot, ci)
    }

    /// A slab with a free object for cache `ci`: the hot slab (a partial
    /// slab whenever there is one, or a parked one), else the partial list's
    /// head, else an empty one, else a new one (both moved to the partial
    /// list). Off the fast path, the hot slab is checked before use, so a
    /// broken hint cannot send allocation into a slab without free objects.
    @inline(__always)
    func partialSlab(_ ci: Int) throws(SlabError) -> Int32 {
        let hot = caches[ci].hotSlab
        if hot >= 0 && slabs[Int(hot)].cache == Int32(ci)
            && (slabs[Int(hot)].list == .partial || isParked(hot, ci)) { return hot }
        let sid = listHeads[listSlot(ci, .partial)]
        if sid >= 0 {
            caches[ci].setHotSlab(sid)
            return sid
        }
        return try refill(ci)
    }

    @inline(never)
    func refill(_ ci: Int) throws(SlabError) -> Int32 {
        var sid = listHeads[listSlot(ci, .empty)]
        if sid >= 0 {
            unlinkSlab(sid, ci)
        } else {
            sid = try newSlab(ci)
        }
        pushSlab(sid, ci, .partial)
        return sid
    }

    /// Takes a block from the page allocator and carves it into free objects,
    /// chained in ascending address order. Poisoning caches fill the whole
    /// block with 0x5a first, so padding and the slab's leftover are set.
    func newSlab(_ ci: Int) throws(SlabError) -> Int32 {
        let cache = caches[ci]
        let pfn: Int
        do { pfn = try pageAllocator.takeSlabBlock(order: cache.order) } catch { throw .pageAllocator(error) }
        let hint = UInt(bitPattern: caches + ci)
        for page in pfn..<(pfn + (1 << cache.order)) {
            slabPageEver[page] = 1
            pageHints[page] = hint
        }
        let start = pageAllocator.address(ofPage: pfn)
        let bytes = pageAllocator.pageSize << cache.order
        if asan { Sanitizer.unpoison(start, bytes) }
        if cache.flags.contains(.poison) { Bytes.fill(start, bytes, SlabPattern.padding) }
        let first = start + cache.objectOffset
        if cache.flags.isEmpty && !cache.hardened {
            // The common case as one tight loop: plain free pointers, nothing else to set.
            let stride = UInt(cache.stride)
            var holder = first + cache.freePointerOffset
            var next = address(first) &+ stride
            for _ in 1..<cache.objectsPerSlab {
                holder.storeBytes(of: next, as: UInt.self)
                holder += cache.stride
                next &+= stride
            }
            holder.storeBytes(of: 0 as UInt, as: UInt.self)
            let entryStride = cache.stride &>> 3
            var entry = stateEntry(at: address(first))
            if defect == nil {
                // A correct layer clears a block's entries when it releases
                // it (`clearFreeMarks`): all 0 here.
                for _ in 0..<cache.objectsPerSlab {
                    entry.pointee = Self.freeObjectMark
                    entry += entryStride
                }
            } else {
                for _ in 0..<cache.objectsPerSlab {
                    markCarved(entry)
                    entry += entryStride
                }
            }
        } else {
            carveObjects(ci, cache, first)
        }
        // Free objects are unaddressable to ASan, like free pages.
        if asan { Sanitizer.poison(start, bytes) }
        slabs[pfn] = SlabMeta(cache: Int32(ci), list: .none, order: UInt8(cache.order), objects: Int32(cache.objectsPerSlab),
                              inUse: 0, next: -1, prev: -1, freeHead: address(first), requested: 0)
        return Int32(pfn)
    }

    /// `newSlab`'s chaining of a new slab's objects for a cache with debug
    /// options or a hardened free list (each object's debug state too).
    private func carveObjects(_ ci: Int, _ cache: CacheMeta, _ first: UnsafeMutableRawPointer) {
        for index in 0..<cache.objectsPerSlab {
            let object = first + index * cache.stride
            if !cache.flags.isEmpty {
                markFree(ci, object)
                if cache.flags.contains(.ownerTracking) {
                    Bytes.fill(object + cache.trackOffset, CacheMeta.ownerRecordBytes, 0)
                }
            }
            let next = index + 1 < cache.objectsPerSlab ? address(object + cache.stride) : 0
            storeFreePointer(next, in: object, ci)
            markCarved(stateEntry(at: address(object)))
        }
    }

    /// Marks a new slab's object free (`freeObjectMark`) unless its entry
    /// holds a handed-out mark, which only a broken layer leaves behind (a
    /// slab released with objects in use): that mark stays, so the
    /// allocation that meets the object refuses it and snapshots report it.
    @inline(__always)
    func markCarved(_ entry: UnsafeMutablePointer<UInt16>) {
        if entry.pointee == 0 { entry.pointee = Self.freeObjectMark }
    }

    /// Clears the free objects' marks of slab `sid` before its block goes
    /// back to the page allocator (the block may come back as a slab of
    /// another geometry, whose objects start elsewhere). A correct layer
    /// releases a slab with no object handed out, so it clears every
    /// object's entry; with a defect on, handed-out marks (which only a
    /// broken layer leaves behind) stay for snapshots to report.
    func clearFreeMarks(_ sid: Int32) {
        let slab = slabs[Int(sid)]
        let ci = Int(slab.cache)
        guard ci >= 0, slab.objects > 0 else { return }
        let entryStride = caches[ci].stride &>> 3
        var entry = objectState + stateSlot(sid, ci, 0)
        if defect == nil {
            for _ in 0..<Int(slab.objects) {
                entry.pointee = 0
                entry += entryStride
            }
        } else {
            for _ in 0..<Int(slab.objects) {
                if entry.pointee == Self.freeObjectMark { entry.pointee = 0 }
                entry += entryStride
            }
        }
    }

    /// Returns an empty slab's block to the page allocator.
    func releaseSlab(_ sid: Int32) {
        clearFreeMarks(sid)
        let order = Int(slabs[Int(sid)].order)
        slabs[Int(sid)] = .empty
        for page in Int(sid)..<(Int(sid) + (1 << order)) { pageHints[page] = Self.noPageHint }
        pageAllocator.releaseSlabBlock(Int(sid), order: order)
    }

    /// Calls `body` with each slab id on list `list` of cache `ci`, in list
    /// order, at most `pageCount + 1` of them (a corrupt list may loop), and
    /// builds no array: validation and snapshots walk every list this way.
    func forEachSlab(_ ci: Int, _ list: SlabList, _ body: (Int32) -> Void) {
        var visited = 0
        var sid = listHeads[listSlot(ci, list)]
        while sid >= 0 && visited <= pageAllocator.pageCount {
            let next = slabs[Int(sid)].next
            body(sid)
            visited += 1
            sid = next
        }
    }

    /// The slab ids on list `list` of cache `ci`, in list order.
    func slabIDs(_ ci: Int, _ list: SlabList) -> [Int32] {
        var ids: [Int32] = []
        forEachSlab(ci, list) { ids.append($0) }
        return ids
    }
}
