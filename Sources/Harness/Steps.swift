// Each operation against the allocator, with the model's prediction.
//
// A step whose handle did not come to life (its allocation was refused) or
// is no longer live runs as a no-op: the trace stays meaningful when an
// earlier step is deleted or fails differently.

import Invariants

extension TraceRun {
    func perform(_ operation: Operation) throws(TraceFailure) {
        switch operation {
        case .allocPages(let order):
            let must = model.canAllocate(order: order)
            let before = must ? nil : stateBeforeRefusal()
            let address: UnsafeMutableRawPointer
            do { address = try subject.allocPages(order: order) } catch {
                if must { throw unexpected(error) }
                return try expectRefusal(error, .outOfMemory, unchangedSince: before)
            }
            guard must else { throw missing(.outOfMemory, "no free block of order \(order) or above") }
            let pfn = try claimBlock(address, order: order, pages: 1 << order, owner: Int32(step))
            record(LiveAllocation(kind: .pages, address: address, pfn: pfn, pages: 1 << order, order: order, size: 0,
                                  cacheStep: 0, live: true))

        case .freePages(let h):
            guard let a = liveAllocation(h) else { return }
            try verifyIntegrity(of: h.step)
            do { try subject.freePages(a.address, order: a.order) } catch { throw unexpected(error) }
            release(h.step)

        case .allocPagesExact(let size):
            let predicted: RefusalKind? = size == 0 ? .zeroSize : size > Arena.largestBlockBytes ? .sizeTooLarge : nil
            let order = predicted == nil ? ceilLog2Pages(size) : 0
            let must = predicted == nil && model.canAllocate(order: order)
            let before = must ? nil : stateBeforeRefusal()
            let address: UnsafeMutableRawPointer
            do { address = try subject.allocPagesExact(size) } catch {
                if must { throw unexpected(error) }
                return try expectRefusal(error, predicted ?? .outOfMemory, unchangedSince: before)
            }
            guard must else { throw missing(predicted ?? .outOfMemory, predicted == nil ? "no free block of order \(order)" : "size \(size)") }
            let pages = (size + Arena.pageSize - 1) / Arena.pageSize
            let pfn = try claimBlock(address, order: order, pages: pages, exact: true, owner: Int32(step))
            record(LiveAllocation(kind: .exact, address: address, pfn: pfn, pages: pages, order: order, size: size,
                                  cacheStep: 0, live: true))

        case .freePagesExact(let h):
            guard let a = liveAllocation(h) else { return }
            try verifyIntegrity(of: h.step)
            do { try subject.freePagesExact(a.address, size: a.size) } catch { throw unexpected(error) }
            release(h.step)

        case .cacheCreate(let size, let options):
            let predicted: RefusalKind? = size == 0 ? .invalidObjectSize : cacheSlotsLeft == 0 ? .tooManyCaches : nil
            let before = predicted == nil ? nil : stateBeforeRefusal()
            let id: Subject.CacheID
            do {
                id = try subject.createCache(name: "c\(step)", objectSize: size, alignment: options.alignment,
                                             debug: options.debug.rawValue, hardened: options.hardened)
            } catch {
                guard let predicted else { throw unexpected(error) }
                return try expectRefusal(error, predicted, unchangedSince: before)
            }
            if let predicted { throw missing(predicted, "object size \(size), \(cacheSlotsLeft) cache slots left") }
            cacheSlotsLeft -= 1
            let index = subject.slabCacheIndex(of: id)
            caches[step] = CacheState(id: id, index: index, objectSize: size, alignment: options.alignment,
                                      redZone: options.debug.contains(.redZone),
                                      allocationExaminesFirstWord: !options.hardened
                                          && (!options.debug.contains(.poison) || options.debug.contains(.consistencyChecks)),
                                      firstWordIsFreePointer: !options.hardened && !options.debug.contains(.poison),
                                      liveObjects: 0, live: true)
            slabAccounts[accountIndex(index)].geometry = subject.slabGeometry(ofCacheIndex: index)
            // A destroyed cache's handle stays refused once its number is
            // reused: otherwise a caller's stale handle reaches the new cache.
            for earlier in 1..<step {
                guard let old = caches[earlier], !old.live, old.index == index else { continue }
                try expectStaleHandleRefused(old.id, of: earlier, index: index)
            }

        case .cacheAlloc(let c):
            guard let cache = liveCache(c) else { return }
            slabTouched = true
            touchedCache = cache.id
            // A cache with a free object needs no page: its allocation cannot run out of memory.
            let hadFree = cacheHasFreeObject(cache.index)
            let must = hadFree || model.canAllocate(order: slabGeometry(cache.index).order)
            let before = must ? nil : stateBeforeRefusal()
            let address: UnsafeMutableRawPointer
            do { address = try subject.allocate(cache.id) } catch {
                if must { throw unexpected(error) }
                return try expectRefusal(error, .outOfMemory, unchangedSince: before)
            }
            slabExpectation = .allocation(cache: cache.index, hadFree: hadFree)
            touchedObject = address
            guard UInt(bitPattern: address) % UInt(cache.alignment) == 0 else {
                throw fail(.invariant(.alignment), "cache_alloc of a cache aligned to \(cache.alignment) bytes returned \(address)")
            }
            try checkObject(address, size: cache.objectSize)
            caches[c.step]!.liveObjects += 1
            record(LiveAllocation(kind: .object, address: address, pfn: pfn(of: address) ?? 0, pages: 0, order: 0,
                                  size: cache.objectSize, cacheStep: c.step, live: true))
            try checkObjectCache(cache.index, "cache_alloc of cache #\(cache.index)")

        case .cacheFree(let h):
            guard let a = liveAllocation(h), let cache = caches[a.cacheStep] else { return }
            slabTouched = true
            touchedCache = cache.id
            try verifyIntegrity(of: h.step)
            let slab = slabHead(of: a, cache: a.slabIndex)
            let slabEmpty = !slabHoldsAnotherObject(slab, cache: a.slabIndex, besides: h.step)
            let emptyBefore = slabEmpty ? emptySlabCount(cache: a.slabIndex) : 0
            do { try subject.free(a.address, to: cache.id) } catch { throw unexpected(error) }
            touchedObject = a.address
            slabExpectation = .free(cache: a.slabIndex, slab: slab, slabEmpty: slabEmpty, emptyBefore: emptyBefore)
            caches[a.cacheStep]!.liveObjects -= 1
            release(h.step)

        case .cacheShrink(let c):
            guard let cache = liveCache(c) else { return }
            slabTouched = true
            touchedCache = cache.id
            let reported: Int
            do { reported = try subject.shrink(cache.id) } catch { throw unexpected(error) }
            slabExpectation = .shrink(cache: cache.index, reported: reported)

        case .cacheShrinkAll:
            // An allocator that cannot shrink every cache at once says so (nil): nothing to judge.
            guard let reported = subject.shrinkAllCaches() else { return }
            slabTouched = true
            touchedEveryCache = true
            slabExpectation = .shrinkAll(reported: reported)

        case .cacheDestroy(let c):
            guard let cache = liveCache(c) else { return }
            slabTouched = true
            let before = cache.liveObjects > 0 ? stateBeforeRefusal() : nil
            do { try subject.destroy(cache.id) } catch {
                guard cache.liveObjects > 0 else { throw unexpected(error) }
                return try expectRefusal(error, .cacheBusy, unchangedSince: before)
            }
            if cache.liveObjects > 0 { throw missing(.cacheBusy, "\(cache.liveObjects) objects are still live") }
            slabExpectation = .destroy(cache: cache.index)
            caches[c.step]!.live = false
            cacheSlotsLeft += 1

        case .cacheValidate(let c):
            guard let cache = liveCache(c) else { return }
            let problems: [String]
            do { problems = try subject.validate(cache.id) } catch { throw unexpected(error) }
            guard problems.isEmpty else { throw fail(.prediction("validate"), "validate reported: " + problems.joined(separator: "; ")) }

        case .kmalloc(let size):
            try kmalloc(size)

        case .kfree(let h):
            guard let a = liveAllocation(h) else { return }
            try verifyIntegrity(of: h.step)
            slabTouched = a.pages == 0
            if slabTouched && a.address != subject.zeroSizePointer {
                if validatesKmallocClasses {
                    touchedCache = subject.kmallocCache(forSize: a.size)
                    touchedObject = a.address
                }
                let slab = slabHead(of: a, cache: a.slabIndex)
                let slabEmpty = !slabHoldsAnotherObject(slab, cache: a.slabIndex, besides: h.step)
                slabExpectation = .free(cache: a.slabIndex, slab: slab, slabEmpty: slabEmpty,
                                        emptyBefore: slabEmpty ? emptySlabCount(cache: a.slabIndex) : 0)
            }
            do { try subject.kfree(a.address) } catch { throw unexpected(error) }
            release(h.step)

        case .ksize(let h):
            guard let a = liveAllocation(h) else { return }
            let size: Int
            do { size = try subject.ksize(a.address) } catch { throw unexpected(error) }
            let expected = a.address == subject.zeroSizePointer ? 0
                : a.pages > 0 ? Arena.pageSize << a.order : kmallocClassSize(of: a.size)
            guard size == expected else {
                throw fail(.prediction("ksize"), "ksize of a kmalloc(\(a.size)) is \(size), expected \(expected)")
            }
            // With red zones on the classes, the whole class is the object's from now on.
            if a.pages == 0 && expected > 0 && trace.arena.kmallocDebug.contains(.redZone) {
                allocations[h.step]!.wholeClass = true
            }

        case .misuse(let misuse):
            try performMisuse(misuse)

        case .injectedFailure(let call):
            try performInjected(call)
        }
    }

    /// Asks for a check of the cache destroyed at step `destroyed` with its
    /// old handle, now that a new cache has its number `index`: the call
    /// must be refused with `unknownCache` (it changes nothing either way).
    private func expectStaleHandleRefused(_ id: Subject.CacheID, of destroyed: Int, index: Int) throws(TraceFailure) {
        do {
            _ = try subject.validate(id)
        } catch {
            guard error.kind == .unknownCache else {
                throw fail(.prediction("stale-cache-handle"), "the handle of the destroyed cache c\(destroyed) was refused "
                           + "with \(error), not unknown_cache")
            }
            return
        }
        throw fail(.prediction("stale-cache-handle"), "the handle of the destroyed cache c\(destroyed) was accepted "
                   + "once a new cache took its number #\(index)")
    }

    /// An allocation with fault injection armed: refused for its arguments
    /// as usual, `kmalloc(0)` answered with the zero-size pointer, any other
    /// call refused as `injected_failure`; in every case nothing changes.
    private func performInjected(_ call: Operation) throws(TraceFailure) {
        let s = subject
        // nil: the call allocates nothing and succeeds (kmalloc(0)).
        let expected: RefusalKind?
        let attempt: () throws(Refusal) -> UnsafeMutableRawPointer
        switch call {
        case .allocPages(let order):
            expected = .injectedFailure
            attempt = { () throws(Refusal) in try s.allocPages(order: order) }
        case .allocPagesExact(let size):
            expected = size == 0 ? .zeroSize : size > Arena.largestBlockBytes ? .sizeTooLarge : .injectedFailure
            attempt = { () throws(Refusal) in try s.allocPagesExact(size) }
        case .cacheAlloc(let c):
            guard let cache = liveCache(c) else { return }
            slabTouched = true
            touchedCache = cache.id
            expected = .injectedFailure
            attempt = { () throws(Refusal) in try s.allocate(cache.id) }
        case .kmalloc(let size):
            expected = size == 0 ? nil : size > s.kmallocMaximum ? .sizeTooLarge : .injectedFailure
            attempt = { () throws(Refusal) in try s.kmalloc(size) }
        default:
            preconditionFailure("fault injection fails allocations only")
        }
        // Armed first: arming may settle the allocator (the slab layer, armed
        // for the first time, settles parked slabs as it leaves its inlined
        // fast paths for good); the failed call itself must change nothing.
        s.failNextAllocation(true)
        defer { s.failNextAllocation(false) }
        let before = configuration.fullCheckInterval == 1 ? s.snapshot() : nil
        let outcome: Result<UnsafeMutableRawPointer, Refusal>
        do throws(Refusal) { outcome = .success(try attempt()) } catch { outcome = .failure(error) }
        switch outcome {
        case .success(let address):
            if let expected { throw missing(expected, "fault injection was armed") }
            guard address == s.zeroSizePointer else {
                throw fail(.prediction("zero-size-pointer"), "kmalloc(0) returned \(address), not the zero-size pointer")
            }
        case .failure(let refusal):
            guard let expected else { throw unexpected(refusal) }
            try expectRefusal(refusal, expected)
        }
        guard let before else { return }
        guard before == s.snapshot() else {
            throw fail(.prediction("refusal-changed-state"), "the allocator refused the injected failure but its state changed")
        }
        try checkCachesAfterRefusal()
    }

    private func kmalloc(_ size: Int) throws(TraceFailure) {
        let largest = subject.kmallocClasses.last ?? 0
        if size == 0 {
            let p: UnsafeMutableRawPointer
            do { p = try subject.kmalloc(0) } catch { throw unexpected(error) }
            guard p == subject.zeroSizePointer else {
                throw fail(.prediction("zero-size-pointer"), "kmalloc(0) returned \(p), not the zero-size pointer")
            }
            record(LiveAllocation(kind: .kmalloc, address: p, pfn: 0, pages: 0, order: 0, size: 0, cacheStep: 0, live: true))
            return
        }
        if size > subject.kmallocMaximum {
            let before = stateBeforeRefusal()
            do { _ = try subject.kmalloc(size) } catch { return try expectRefusal(error, .sizeTooLarge, unchangedSince: before) }
            throw missing(.sizeTooLarge, "above the largest kmalloc (\(subject.kmallocMaximum) bytes)")
        }
        let large = size > largest
        let index = large ? -1 : subject.kmallocCacheIndex(forSize: size)
        let order = large ? ceilLog2Pages(size) : slabGeometry(index).order
        // A size class with a free object needs no page: it cannot run out of memory.
        let hadFree = !large && cacheHasFreeObject(index)
        let must = hadFree || model.canAllocate(order: order)
        slabTouched = !large
        let before = must ? nil : stateBeforeRefusal()
        let address: UnsafeMutableRawPointer
        do { address = try subject.kmalloc(size) } catch {
            if must { throw unexpected(error) }
            return try expectRefusal(error, .outOfMemory, unchangedSince: before)
        }
        if !large {
            slabExpectation = .allocation(cache: index, hadFree: hadFree)
            if validatesKmallocClasses {
                touchedCache = subject.kmallocCache(forSize: size)
                touchedObject = address
            }
        }
        if large {
            guard must else { throw missing(.outOfMemory, "no free block of order \(order)") }
            let pfn = try claimBlock(address, order: order, pages: 1 << order, owner: Int32(step))
            record(LiveAllocation(kind: .kmalloc, address: address, pfn: pfn, pages: 1 << order, order: order, size: size,
                                  cacheStep: 0, live: true))
        } else {
            try checkObject(address, size: size)
            record(LiveAllocation(kind: .kmalloc, address: address, pfn: pfn(of: address) ?? 0, pages: 0, order: 0, size: size,
                                  cacheStep: 0, live: true))
            try checkObjectCache(index, "kmalloc(\(size)), whose class is cache #\(index)")
        }
    }

    /// Whether a kmalloc or kfree of a size-class object has its class
    /// validated after the step, scoped to the object, as a cache's
    /// allocation or free has its cache (`touchedCache`): a fault there (a
    /// fast free that places the hot slab's first object wrong) is then
    /// named at the step that made it, not found later. Only when checking
    /// every step, where it costs 1.7% of the kmalloc profile's instructions
    /// (a full check runs at every step anyway): with the local checks as
    /// the main check (`.standard`, the fuzz targets) it cost 14% (mixed:
    /// 6.6%), since a class's slab holds up to 512 objects to walk.
    private var validatesKmallocClasses: Bool { configuration.fullCheckInterval == 1 }

    /// A slab object must lie in the arena, and not where a live allocation is.
    private func checkObject(_ address: UnsafeMutableRawPointer, size: Int) throws(TraceFailure) {
        guard let first = pfn(of: address), let last = pfn(of: address + max(size, 1) - 1) else {
            throw fail(.prediction("bad-address"), "the slab layer returned \(address), outside the arena")
        }
        for pfn in first...last where model.owner[pfn] > 0 {
            throw fail(.invariant(.noOverlap), "an object of \(size) bytes at \(address) lies on \(describeOwner(of: pfn))")
        }
    }

    // MARK: Bookkeeping

    func record(_ allocation: LiveAllocation) {
        var allocation = allocation
        if allocation.pages == 0, allocation.address != subject.zeroSizePointer {
            allocation.slabIndex = subject.slabCacheIndex(ofPage: allocation.pfn) ?? -1
            slabAccounts[accountIndex(allocation.slabIndex)].liveObjects += 1
        }
        allocations[step] = allocation
        if configuration.integrity { fillPattern(step) }
    }

    func release(_ handleStep: Int) {
        guard let a = allocations[handleStep] else { return }
        allocations[handleStep]!.live = false
        if a.pages > 0 {
            model.release(a.pfn..<(a.pfn + a.pages), from: Int32(handleStep))
            touched.append(.freed(pfn: a.pfn, pages: a.pages, listedLast: true))
        } else if a.address != subject.zeroSizePointer {
            slabAccounts[accountIndex(a.slabIndex)].liveObjects -= 1
        }
    }

    /// The object just recorded must lie in a slab of cache number `index`.
    /// `call` names the call in the failure; it is built only for a failure.
    private func checkObjectCache(_ index: Int, _ call: @autoclosure () -> String) throws(TraceFailure) {
        guard let a = allocations[step], a.slabIndex != index else { return }
        throw fail(.invariant(.slabOwnership), "\(call()) returned an object in "
                   + (a.slabIndex < 0 ? "no cache's slab" : "a slab of cache #\(a.slabIndex)"))
    }

    /// The full state before a call the model allows to be refused, when
    /// checking every step: a refusal must leave it exactly as it was.
    func stateBeforeRefusal() -> AllocatorSnapshot? {
        configuration.fullCheckInterval == 1 ? subject.snapshot() : nil
    }

    /// `expectRefusal`, and the state unchanged since `before` (when given).
    func expectRefusal(_ refusal: Refusal, _ kind: RefusalKind, unchangedSince before: AllocatorSnapshot?) throws(TraceFailure) {
        try expectRefusal(refusal, kind)
        guard let before else { return }
        guard before == subject.snapshot() else {
            throw fail(.prediction("refusal-changed-state"), "the allocator refused as predicted (\(kind.rawValue)) but its state changed")
        }
        try checkCachesAfterRefusal()
    }

    /// After a refusal whose snapshot was compared: every cache, kmalloc
    /// classes included, still validates. The snapshot shows pages, lists,
    /// chains and live objects, not what a cache keeps beside them (the hot
    /// slab allocation takes from next, debug patterns), and a refused free
    /// names no cache the local checks would validate: a refusal that moved
    /// the hot slab onto a full slab would otherwise pass, to be undone by
    /// the next allocation.
    func checkCachesAfterRefusal() throws(TraceFailure) {
        let problems = subject.validateAllCaches()
        guard !problems.isEmpty else { return }
        throw fail(.invariant(.slabOwnership), "after the refusal: " + problems.prefix(5).joined(separator: "; "))
    }

    func liveAllocation(_ h: Handle) -> LiveAllocation? {
        guard let a = allocations[h.step], a.live else { return nil }
        return a
    }

    func liveCache(_ c: Handle) -> CacheState<Subject.CacheID>? {
        guard let cache = caches[c.step], cache.live else { return nil }
        return cache
    }

    /// The size of the kmalloc class serving `kmalloc(size)` (`size` in
    /// 1...the largest class), -1 for any other size.
    func kmallocClassSize(of size: Int) -> Int {
        subject.kmallocClasses.first { $0 >= size } ?? -1
    }

    /// The order of the smallest block holding `size` bytes (the kernel's get_order).
    func ceilLog2Pages(_ size: Int) -> Int {
        var order = 0
        while Arena.pageSize << order < size { order += 1 }
        return order
    }

    // MARK: Misuse

    private func performMisuse(_ misuse: Misuse) throws(TraceFailure) {
        // What to call, or nil when the misuse does not apply in this state.
        guard let call = misuseCall(misuse) else { misuseSkipped += 1; return }
        misuseRun += 1
        if case .writeThenAllocate(let object, let value, let cache) = call {
            return try writeThenAllocate(object, value: value, cache, misuse)
        }
        // Nothing may change: compared in full when checking every step; the
        // local and count checks after the step see the rest.
        let compare = configuration.fullCheckInterval == 1
        let before = compare ? subject.snapshot() : nil
        do throws(Refusal) {
            try make(call)
        } catch {
            try expectRefusal(error, misuse.expected)
            guard let before else { return }
            guard before == subject.snapshot() else {
                throw fail(.prediction("refusal-changed-state"), "the allocator refused the misuse but its state changed")
            }
            try checkCachesAfterRefusal()
            return
        }
        throw missing(misuse.expected, "\(misuse)")
    }

    /// The call a misuse makes, or nil when it does not apply in this state.
    private func misuseCall(_ misuse: Misuse) -> MisuseCall? {
        let s = subject
        switch misuse {
        case .doubleFree(let h):
            guard let a = allocations[h.step], !a.live, a.address != s.zeroSizePointer else { return nil }
            if a.pages > 0 {
                // A large kmalloc block leaves no trace once freed: the allocator cannot tell.
                guard a.kind != .kmalloc else { return nil }
                // Only while every page of the old block is free: otherwise it is someone else's now.
                guard (a.pfn..<(a.pfn + a.pages)).allSatisfy({ model.owner[$0] == ReferenceModel.free }) else { return nil }
                switch a.kind {
                case .pages: return .freePages(a.address, order: a.order)
                case .exact: return .freePagesExact(a.address, size: a.size)
                default: return .kfree(a.address)
                }
            }
            // A freed object: only while its page is still a slab of the same
            // (live) cache and no live object starts there again.
            guard a.kind == .kmalloc || caches[a.cacheStep]?.live == true,
                  s.slabCacheIndex(ofPage: a.pfn) == a.slabIndex, !objectLive(at: a.address) else { return nil }
            if a.kind == .object, let cache = caches[a.cacheStep] { return .cacheFree(a.address, cache.id) }
            return .kfree(a.address)
        case .interiorPointer(let h, let offset):
            guard let a = liveAllocation(h), a.address != s.zeroSizePointer else { return nil }
            let inside = a.pages > 0 ? offset < a.pages * Arena.pageSize : offset < a.size
            guard inside else { return nil }
            let p = a.address + offset
            switch a.kind {
            case .pages: return .freePages(p, order: a.order)
            case .exact: return .freePagesExact(p, size: a.size)
            case .object:
                guard let cache = caches[a.cacheStep] else { return nil }
                return .cacheFree(p, cache.id)
            default: return .kfree(p)
            }
        case .underflow(let h, let before):
            // A live object of a red-zoned cache, or a size-class kmalloc
            // object of red-zoned classes, and a byte of its left red zone
            // (SLUB's: a word, aligned up to the cache's alignment).
            guard let a = liveAllocation(h), a.address != s.zeroSizePointer, before > 0 else { return nil }
            if a.kind == .object {
                guard let cache = caches[a.cacheStep], cache.live, cache.redZone, before <= max(cache.alignment, 8) else {
                    return nil
                }
                return .overflow(a.address, past: a.address - before, cache.id)
            }
            guard a.kind == .kmalloc, a.pages == 0, trace.arena.kmallocDebug.contains(.redZone), before <= 8 else { return nil }
            return .kfreeOverflow(a.address, past: a.address - before)
        case .misaligned(let h, let offset):
            guard let a = liveAllocation(h), a.kind == .pages || a.kind == .exact, offset > 0, offset < Arena.pageSize else {
                return nil
            }
            return a.kind == .pages ? .freePages(a.address + offset, order: a.order)
                : .freePagesExact(a.address + offset, size: a.size)
        case .wrongOrder(let h, let order):
            guard let a = liveAllocation(h), order != a.order else { return nil }
            return .freePages(a.address, order: order)
        case .wrongSize(let h, let size):
            guard let a = liveAllocation(h), size > 0, size <= Arena.largestBlockBytes,
                  (size + Arena.pageSize - 1) / Arena.pageSize != a.pages else { return nil }
            return .freePagesExact(a.address, size: size)
        case .wrongCache(let h, let c):
            guard let a = liveAllocation(h), a.pages == 0, a.address != s.zeroSizePointer,
                  let cache = liveCache(c), a.kind == .kmalloc || a.cacheStep != c.step else { return nil }
            return .cacheFree(a.address, cache.id)
        case .wrongFreeFunction(let h):
            guard let a = liveAllocation(h) else { return nil }
            if a.kind == .pages { return .freePagesExact(a.address, size: a.pages * Arena.pageSize) }
            let order = ceilLog2Pages(a.size)
            return .freePages(a.address, order: order)
        case .foreignAddress(let function, let c):
            let p = TraceRun.foreign
            switch function {
            case .freePages: return .freePages(p, order: 0)
            case .freePagesExact: return .freePagesExact(p, size: Arena.pageSize)
            case .kfree: return .kfree(p)
            case .cacheFree:
                guard let c, let cache = liveCache(c) else { return nil }
                return .cacheFree(p, cache.id)
            }
        case .reservedPage(let function, let hole):
            guard hole < trace.arena.reserved.count else { return nil }
            let p = s.base + trace.arena.reserved[hole].lowerBound * Arena.pageSize
            if function == .freePagesExact { return .freePagesExact(p, size: Arena.pageSize) }
            return .freePages(p, order: 0)
        case .kmallocOverflow(let h, let past):
            // A size-class object of red-zoned classes, and a byte in its
            // kmalloc red zone or the first of its right red zone.
            guard trace.arena.kmallocDebug.contains(.redZone), let a = liveAllocation(h), a.kind == .kmalloc, a.pages == 0,
                  a.address != s.zeroSizePointer else { return nil }
            let classSize = kmallocClassSize(of: a.size)
            let at = a.size + past - 1
            guard at >= (a.wholeClass ? classSize : a.size), at <= classSize else { return nil }
            return .kfreeOverflow(a.address, past: a.address + at)
        case .overflow(let h):
            guard let a = liveAllocation(h), a.kind == .object, let cache = caches[a.cacheStep], cache.live,
                  cache.redZone else { return nil }
            return .overflow(a.address, past: a.address + cache.objectSize, cache.id)
        case .writeAfterFree(let h):
            // The slot must still be free in a slab of its live cache, as for a double free.
            guard let a = allocations[h.step], !a.live, a.kind == .object, a.size >= 8, let cache = caches[a.cacheStep],
                  cache.live, s.slabCacheIndex(ofPage: a.pfn) == a.slabIndex, !objectLive(at: a.address) else { return nil }
            return .writeAfterFree(a.address, cache.id)
        case .writeAfterFreeThenAllocate(let h):
            guard let a = allocations[h.step], !a.live, a.kind == .object, a.size >= 8, let cache = caches[a.cacheStep],
                  cache.live, cache.allocationExaminesFirstWord, s.slabCacheIndex(ofPage: a.pfn) == a.slabIndex,
                  !objectLive(at: a.address) else { return nil }
            return .writeThenAllocate(a.address, value: nil, cache.id)
        case .writeLiveLinkAfterFree(let h, let value), .writeLiveLinkThenAllocate(let h, let value):
            // Where the first word is the free pointer as it is, and the value a live object of the same cache.
            guard let a = allocations[h.step], !a.live, a.kind == .object, a.size >= 8, let cache = caches[a.cacheStep],
                  cache.live, cache.firstWordIsFreePointer, s.slabCacheIndex(ofPage: a.pfn) == a.slabIndex,
                  !objectLive(at: a.address), let v = liveAllocation(value), v.kind == .object,
                  v.cacheStep == a.cacheStep else { return nil }
            if case .writeLiveLinkAfterFree = misuse { return .writeLiveLink(a.address, value: v.address, cache.id) }
            return .writeThenAllocate(a.address, value: v.address, cache.id)
        case .ksizeFreed(let h):
            // Where a double free of it applies: a size-class object still free in a slab of its class.
            guard let a = allocations[h.step], !a.live, a.kind == .kmalloc, a.pages == 0, a.address != s.zeroSizePointer,
                  s.slabCacheIndex(ofPage: a.pfn) == a.slabIndex, !objectLive(at: a.address) else { return nil }
            return .ksize(a.address)
        case .ksizeInterior(let h, let offset):
            guard let a = liveAllocation(h), a.address != s.zeroSizePointer,
                  offset < (a.pages > 0 ? a.pages * Arena.pageSize : a.size) else { return nil }
            return .ksize(a.address + offset)
        case .slabPage(let h):
            guard let a = liveAllocation(h), a.address != s.zeroSizePointer else { return nil }
            let page = s.base + (a.pages > 0 ? a.pfn : (pfn(of: a.address) ?? 0)) * Arena.pageSize
            return .slabPage(page)
        }
    }

    /// A call that misuses the allocator, as data: a closure capturing its
    /// arguments was a heap allocation per misuse step.
    enum MisuseCall {
        case freePages(UnsafeMutableRawPointer, order: Int)
        case freePagesExact(UnsafeMutableRawPointer, size: Int)
        case kfree(UnsafeMutableRawPointer)
        case cacheFree(UnsafeMutableRawPointer, Subject.CacheID)
        case ksize(UnsafeMutableRawPointer)
        /// Writes one byte past the object (into its red zone), then frees it.
        case overflow(UnsafeMutableRawPointer, past: UnsafeMutableRawPointer, Subject.CacheID)
        /// Writes one byte at `past` (into a kmalloc object's red zones), then kfrees the object.
        case kfreeOverflow(UnsafeMutableRawPointer, past: UnsafeMutableRawPointer)
        /// Stores the freed object's own address in its first word, then validates its cache.
        case writeAfterFree(UnsafeMutableRawPointer, Subject.CacheID)
        /// Links the live object `value` into the free chain at the freed
        /// object (`writeLiveLink(into:value:)`), then validates its cache.
        case writeLiveLink(UnsafeMutableRawPointer, value: UnsafeMutableRawPointer, Subject.CacheID)
        /// Both page free functions on a slab page; the second's refusal is the one judged.
        case slabPage(UnsafeMutableRawPointer)
        /// Stores the freed object's own address in its first word (with
        /// `value`, links that live object in instead), then allocates from
        /// its cache until refused (`writeThenAllocate(_:value:_:_:)`).
        case writeThenAllocate(UnsafeMutableRawPointer, value: UnsafeMutableRawPointer?, Subject.CacheID)
    }

    /// Makes `call`; throws the allocator's refusal.
    private func make(_ call: MisuseCall) throws(Refusal) {
        let s = subject
        switch call {
        case .freePages(let p, let order): try s.freePages(p, order: order)
        case .freePagesExact(let p, let size): try s.freePagesExact(p, size: size)
        case .kfree(let p): try s.kfree(p)
        case .cacheFree(let p, let cache): try s.free(p, to: cache)
        case .ksize(let p): _ = try s.ksize(p)
        case .overflow(let object, let past, let cache):
            let saved = s.clientRead(at: past)
            s.clientWrite(saved == 0x5a ? 0x5b : 0x5a, at: past)
            defer { s.clientWrite(saved, at: past) }
            try s.free(object, to: cache)
        case .kfreeOverflow(let object, let past):
            let saved = s.clientRead(at: past)
            s.clientWrite(saved == 0x5a ? 0x5b : 0x5a, at: past)
            defer { s.clientWrite(saved, at: past) }
            try s.kfree(object)
        case .writeAfterFree(let address, let cache):
            let saved = writeOwnAddress(into: address)
            defer { writeWord(saved, at: address) }
            let problems = try s.validate(cache)
            if !problems.isEmpty { throw Refusal(.corruption, problems.joined(separator: "; ")) }
        case .writeLiveLink(let object, let value, let cache):
            let saved = writeLiveLink(into: object, value: value)
            defer {
                writeWord(saved.object, at: object)
                writeWord(saved.value, at: value)
            }
            let problems = try s.validate(cache)
            if !problems.isEmpty { throw Refusal(.corruption, problems.joined(separator: "; ")) }
        case .slabPage(let page):
            do throws(Refusal) { try s.freePages(page, order: 0) } catch where error.kind == .slabPage {
                try s.freePagesExact(page, size: Arena.pageSize)
            }
        case .writeThenAllocate: preconditionFailure("judged by writeThenAllocate(_:value:_:_:)")
        }
    }

    /// Stores `address` itself in the 8 bytes at `address`, as the client;
    /// returns the bytes it overwrote (little-endian).
    @discardableResult
    private func writeOwnAddress(into address: UnsafeMutableRawPointer) -> UInt64 {
        writeWord(UInt64(UInt(bitPattern: address)), at: address)
    }

    /// The 8 bytes at `address` (little-endian), read as the client.
    private func readWord(at address: UnsafeMutableRawPointer) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<8 { word |= UInt64(subject.clientRead(at: address + i)) << (8 * i) }
        return word
    }

    /// Stores `word` in the 8 bytes at `address` (little-endian), as the
    /// client; returns the bytes it overwrote.
    @discardableResult
    private func writeWord(_ word: UInt64, at address: UnsafeMutableRawPointer) -> UInt64 {
        let saved = readWord(at: address)
        for i in 0..<8 { subject.clientWrite(UInt8(truncatingIfNeeded: word >> (8 * i)), at: address + i) }
        return saved
    }

    /// `Misuse.writeLiveLinkAfterFree`'s writes, as the client: the address
    /// of the live object `value` into the first word of the free `object`,
    /// and into `value`'s first word what the first word of `object`'s
    /// successor holds (the successor is the free pointer `object` held; 0
    /// when it held none, or one outside the arena, which is not read). A
    /// chain walked through `value` then counts as many free objects as
    /// before (the successor's place taken by `value`), so only the check
    /// that a free pointer names an object that is not handed out can find
    /// the write. Returns the two words overwritten.
    private func writeLiveLink(into object: UnsafeMutableRawPointer,
                               value: UnsafeMutableRawPointer) -> (object: UInt64, value: UInt64) {
        var after: UInt64 = 0
        if let successor = UnsafeMutableRawPointer(bitPattern: UInt(readWord(at: object))),
           pfn(of: successor) != nil, pfn(of: successor + 7) != nil {
            after = readWord(at: successor)
        }
        let savedValue = writeWord(after, at: value)
        return (writeWord(UInt64(UInt(bitPattern: value)), at: object), savedValue)
    }

    /// `Misuse.writeAfterFreeThenAllocate` of the free object at `object`,
    /// or with `value` `Misuse.writeLiveLinkThenAllocate` (the live object
    /// `value` linked in, which no allocation may hand out either, and whose
    /// word is put back before the objects taken are freed).
    /// The allocations before the one that meets the object hand out the
    /// free objects ahead of it, which the model does not order; what it
    /// predicts exactly is that the object is never handed out, that no
    /// allocation takes a new slab while the object is free in one of the
    /// cache's (a cache fills its partial and empty slabs first, see
    /// `SlabAccounting`), and that the allocation that meets it is refused
    /// as corruption. The other objects are then freed again (each free must
    /// succeed), so the step ends with the cache's live objects and pages as
    /// before. Its free chains may be in another order (the refusal rebuilds
    /// the slab's chain), so the state is not compared in full; the caches
    /// are validated instead, and the step's page checks run as for any misuse.
    private func writeThenAllocate(_ object: UnsafeMutableRawPointer, value: UnsafeMutableRawPointer?, _ cache: Subject.CacheID,
                                   _ misuse: Misuse) throws(TraceFailure) {
        let s = subject
        // No restore of the object's word: the refusal rewrites it (the chain
        // is rebuilt, or consistency checks put the poison back).
        let savedValue = value.map { writeLiveLink(into: object, value: $0).value }
        if value == nil { writeOwnAddress(into: object) }
        let freePages = s.freePageCount
        // A bound in case an allocator hands out objects without end: more
        // objects than the arena's 8-byte slots cannot be free.
        let bound = trace.arena.pageCount * Arena.pageSize / 8
        var taken: [UnsafeMutableRawPointer] = []
        var refusal: Refusal?
        var wrong: String?
        while refusal == nil && wrong == nil {
            do throws(Refusal) {
                let p = try s.allocate(cache)
                taken.append(p)
                if p == object {
                    wrong = "cache_alloc handed out the object whose free pointer was overwritten with "
                        + (value == nil ? "its own address" : "a live object's address")
                } else if p == value {
                    wrong = "cache_alloc handed out a live object, whose address was written into a freed one"
                } else if s.freePageCount != freePages {
                    wrong = "cache_alloc took a new slab while the overwritten object was free in one of the cache's"
                } else if taken.count > bound {
                    wrong = "cache_alloc handed out \(taken.count) objects without meeting the overwritten one"
                }
            } catch {
                refusal = error
            }
        }
        if let wrong {
            throw missing(misuse.expected, wrong)
        }
        if let refusal { try expectRefusal(refusal, misuse.expected) }
        if let value, let savedValue { writeWord(savedValue, at: value) }
        for p in taken.reversed() {
            do throws(Refusal) { try s.free(p, to: cache) } catch {
                throw fail(.prediction("free-refused"), "freeing an object the misuse's allocations took was refused: \(error)")
            }
        }
        try checkCachesAfterRefusal()
    }

    /// Whether a live object starts at `address` (a freed one's slot was handed out again).
    private func objectLive(at address: UnsafeMutableRawPointer) -> Bool {
        allocations.contains { $0?.live == true && $0?.pages == 0 && $0?.address == address }
    }
}
