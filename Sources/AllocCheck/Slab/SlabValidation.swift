// Whole-cache validation, SLUB's `validate_slab_cache`: every slab of a cache
// is checked against its record, its free chain and its byte patterns.
extension SlabAllocator {
    /// Every problem in `cache`, slab by slab (an empty list when it is sound):
    /// - the slab is on the right list for its in-use count, and the lists
    ///   and their counts agree;
    /// - the object count fits the slab, and `inUse <= objects`;
    /// - the free chain, walked at most `objects + 1` steps, ends; each free
    ///   pointer is the start of an object of the slab that is not handed out;
    /// - `inUse == objects - chain length`, and matches the objects handed out;
    /// - red zones (Z) are active on live objects (kmalloc red zone included)
    ///   and inactive on free ones, free objects hold their poison (P), and
    ///   padding inside slots and at the slab's end holds 0x5a (P);
    /// - the hot slab is a partial slab of the cache, or none exactly when
    ///   the partial list is empty, and the fast path sees the same one.
    ///
    /// With `repair`, a slab whose chain or count is wrong gets its chain
    /// rebuilt from the layer's record of live objects, and a wrong hot slab
    /// is replaced by the partial list's head; nothing else changes.
    public func validate(_ cache: SlabCacheID, repair: Bool = false) throws(SlabError) -> [SlabError] {
        validate(try checkCache(cache), repair: repair, only: nil)
    }

    /// `validate` after a call that touched one object at `address` (an
    /// `allocate` or a `free`): the lists, their counts, each slab's place on
    /// them and the hot slab are checked as `validate` checks them; the free
    /// chain and in-use count of the slab holding `address` (if it is still a
    /// slab) and of the hot slab; and the byte patterns (red zones, poison,
    /// padding) of that object and of its neighbours on either side, where an
    /// overrun of it lands. What a judge runs after each step: a whole-cache
    /// validation reads every byte of every slab.
    public func validate(_ cache: SlabCacheID, slabHolding address: UnsafeRawPointer) throws(SlabError) -> [SlabError] {
        let ci = try checkCache(cache)
        let offset = UInt(bitPattern: address) &- base
        let held: Int32 = offset < arenaBytes ? pageAllocator.pageRecord(Int(offset >> UInt(pageShift))).slab : -1
        var near = -1
        if held >= 0, slabs[Int(held)].cache == Int32(ci), caches[ci].stride > 0 {
            near = Int(bitPattern: UInt(bitPattern: address) &- firstObject(held, ci)) / caches[ci].stride
        }
        return validate(ci, repair: false, only: Touched(slab: held, hot: caches[ci].hotSlab, object: near))
    }

    /// What `validate(_:slabHolding:)` checks slab by slab.
    private struct Touched {
        /// The slab holding the object, and the hot slab: chains and counts.
        var slab: Int32
        var hot: Int32
        /// The object's index in `slab`: patterns of it and its neighbours.
        var object: Int
    }

    /// `validate` of cache `ci`; with `only`, slab by slab only what it names.
    private func validate(_ ci: Int, repair: Bool, only: Touched?) -> [SlabError] {
        var problems: [SlabError] = []
        // The three lists walked in place, with no array of their ids: the
        // judge validates after every cache step.
        for list in SlabList.allLists {
            var count = 0
            forEachSlab(ci, list) { _ in count += 1 }
            if count != listCounts[listSlot(ci, list)] {
                problems.append(.slabCorrupt(slabPfn: -1, cache: names[ci],
                                             reason: "\(list) list holds \(count) slabs but counts \(listCounts[listSlot(ci, list)])"))
            }
            forEachSlab(ci, list) { sid in
                let slab = slabs[Int(sid)]
                let wanted: SlabList = slab.inUse == 0 ? .empty : (slab.inUse >= slab.objects ? .full : .partial)
                // The hot slab may be parked on the full list with a free object (`isParked`).
                let parked = list == .full && wanted == .partial && sid == caches[ci].hotSlab
                if slab.cache != Int32(ci) || (wanted != list && !parked) {
                    problems.append(.slabCorrupt(slabPfn: Int(sid), cache: names[ci],
                                                 reason: "on the \(list) list with \(slab.inUse) of \(slab.objects) objects in use"))
                }
                var patterns = 0..<Int(slab.objects)
                if let only {
                    guard sid == only.slab || sid == only.hot else { return }
                    patterns = sid == only.slab && only.object >= 0 && only.object < Int(slab.objects)
                        ? max(0, only.object - 1)..<min(Int(slab.objects), only.object + 2) : 0..<0
                }
                let slabProblems = validateSlab(sid, ci, patterns: patterns)
                if repair && slabProblems.contains(where: \.isChainProblem) { rebuildFreeChain(sid) }
                problems += slabProblems
            }
        }
        if let problem = hotSlabProblem(ci) {
            problems.append(problem)
            if repair { caches[ci].setHotSlab(listHeads[listSlot(ci, .partial)]) }
        }
        return problems
    }

    /// What is wrong with cache `ci`'s hot slab (`CacheMeta.hotSlab`), if anything.
    func hotSlabProblem(_ ci: Int) -> SlabError? {
        let meta = caches[ci]
        let hot = meta.hotSlab
        var reason: String?
        if hot >= 0 && (Int(hot) >= pageAllocator.pageCount || slabs[Int(hot)].cache != Int32(ci)
                        || (slabs[Int(hot)].list != .partial && !isParked(hot, ci))) {
            reason = "the hot slab is neither a partial slab of this cache nor one parked on its full list with a free object"
        } else if hot < 0 && listHeads[listSlot(ci, .partial)] >= 0 {
            reason = "no hot slab, but the partial list is not empty"
        } else if !meta.fastPath && meta.fastHotSlab != -1 {
            reason = "the fast path's hot slab is \(meta.fastHotSlab) in a cache off the fast path"
        } else if !hotFieldsAgree(meta) {
            reason = "the fast path's hot slab record, first object or limits do not match the hot slab"
        }
        return reason.map { .slabCorrupt(slabPfn: Int(hot), cache: names[ci], reason: $0) }
    }

    /// Whether a cache row's `hotRecord` and `hotFirst` are those of its
    /// `fastHotSlab` (`CacheMeta.setFastHotSlab`), or of none, and its
    /// `fastLimit` that of its `fastPath`.
    func hotFieldsAgree(_ meta: CacheMeta) -> Bool {
        let sid = meta.fastHotSlab
        guard meta.fastLimit == (meta.fastPath ? meta.span &>> 3 : 0) else { return false }
        guard meta.fastPath, sid >= 0 else { return meta.hotRecord == meta.noHotRecord && meta.hotFirst == 0 }
        return meta.hotRecord == UInt(bitPattern: slabs + Int(sid))
            && meta.hotFirst == base &+ UInt(sid) &<< UInt(pageShift)
    }

    /// `validate` for every cache, in slot order (`cacheIDs`).
    public func validateAll(repair: Bool = false) -> [SlabError] {
        cacheIDs.flatMap { (try? validate($0, repair: repair)) ?? [] }
    }

    /// The problems of one slab: its geometry, free chain and in-use count,
    /// and the byte patterns of the objects in `patterns` (every object by
    /// default), the end-of-slab padding with the last one.
    func validateSlab(_ sid: Int32, _ ci: Int, patterns: Range<Int>? = nil) -> [SlabError] {
        let slab = slabs[Int(sid)]
        let meta = caches[ci]
        let name = names[ci]
        let bytes = pageAllocator.pageSize << Int(slab.order)
        guard Int(slab.order) == meta.order, Int(slab.objects) == meta.objectsPerSlab,
              Int(slab.objects) * meta.stride <= bytes else {
            return [.slabCorrupt(slabPfn: Int(sid), cache: name,
                                 reason: "\(slab.objects) objects of \(meta.stride) bytes do not fit an order-\(slab.order) slab")]
        }
        guard slab.inUse >= 0, slab.inUse <= slab.objects else {
            return [.inUseMismatch(slabPfn: Int(sid), cache: name, inUse: Int(slab.inUse), expected: Int(slab.objects))]
        }
        var problems: [SlabError] = []
        let start = pageAllocator.address(ofPage: Int(sid))
        if asan { Sanitizer.unpoison(start, bytes) }
        let first = firstObject(sid, ci)

        // The free chain, as memory holds it.
        var chainLength = 0
        var holder: UInt = 0
        var cursor = slab.freeHead
        var chainSound = true
        while cursor != 0 {
            if chainLength > Int(slab.objects) {
                problems.append(.freeChainCycle(slabPfn: Int(sid), cache: name))
                chainSound = false
                break
            }
            let index = objectIndex(cursor &- first, ci, objects: slab.objects)
            guard index >= 0, !Self.isHandedOut(objectState[stateSlot(sid, ci, index)]) else {
                problems.append(.freePointerCorrupt(slabPfn: Int(sid), cache: name, object: holder, value: cursor))
                chainSound = false
                break
            }
            chainLength += 1
            holder = cursor
            cursor = loadFreePointer(pointer(cursor), ci)
        }
        let patterns = patterns ?? 0..<Int(slab.objects)
        var live = 0
        for index in 0..<Int(slab.objects) {
            let object = pointer(first + UInt(index * meta.stride))
            let state = objectState[stateSlot(sid, ci, index)]
            let handedOut = Self.isHandedOut(state)
            if handedOut { live += 1 }
            if !meta.flags.isEmpty && patterns.contains(index) {
                let problem = handedOut ? checkAllocated(ci, object, requested: Int(state)) : checkFree(ci, object, restore: false)
                if let problem { problems.append(problem) }
                if let problem = checkPadding(ci, object) { problems.append(problem) }
            }
        }
        if chainSound && Int(slab.inUse) != Int(slab.objects) - chainLength {
            problems.append(.inUseMismatch(slabPfn: Int(sid), cache: name, inUse: Int(slab.inUse),
                                           expected: Int(slab.objects) - chainLength))
        } else if chainSound && Int(slab.inUse) != live {
            problems.append(.inUseMismatch(slabPfn: Int(sid), cache: name, inUse: Int(slab.inUse), expected: live))
        }
        if meta.flags.contains(.poison) && patterns.upperBound == Int(slab.objects) {
            let used = Int(slab.objects) * meta.stride
            if let bad = Bytes.firstMismatch(start + used, bytes - used, SlabPattern.padding) {
                problems.append(.paddingOverwritten(address: address(start + used + bad.offset), cache: name, found: bad.found))
            }
        }
        if asan { repoison(sid, ci) }
        return problems
    }

    /// Puts back the ASan picture of a slab: everything poisoned but the slots
    /// of the objects handed out.
    func repoison(_ sid: Int32, _ ci: Int) {
        let slab = slabs[Int(sid)]
        let meta = caches[ci]
        let start = pageAllocator.address(ofPage: Int(sid))
        Sanitizer.poison(start, pageAllocator.pageSize << Int(slab.order))
        let first = firstObject(sid, ci)
        for index in 0..<Int(slab.objects) {
            let object = first + UInt(index * meta.stride)
            if Self.isHandedOut(objectState[stateSlot(sid, ci, index)]) {
                Sanitizer.unpoison(pointer(object) - meta.objectOffset, meta.stride)
            }
        }
    }
}

extension SlabError {
    /// Whether this problem is one `rebuildFreeChain` repairs.
    var isChainProblem: Bool {
        switch self {
        case .freePointerCorrupt, .freeChainCycle, .inUseMismatch: return true
        default: return false
        }
    }
}
