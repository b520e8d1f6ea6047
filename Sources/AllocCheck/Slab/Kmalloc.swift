// kmalloc: general-purpose allocation by size. Small sizes come from the
// kmalloc size-class caches; larger ones are whole page blocks.
extension SlabAllocator {
    /// The distinct pointer `kmalloc(0)` returns (the kernel's ZERO_SIZE_PTR,
    /// 16): never dereferenced, freed by `kfree` as a no-op.
    public static var zeroSizePointer: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: 16).unsafelyUnwrapped }

    /// The largest size served by a size-class cache; larger requests are page blocks.
    public var largestKmallocClass: Int { largestClassSize }

    /// The size-class cache `kmalloc(size)` uses, or nil when `size` is 0 or
    /// above the largest class.
    public func kmallocCache(forSize size: Int) -> SlabCacheID? {
        guard size > 0, size <= largestKmallocClass else { return nil }
        return handle(Int(kmallocIndex[(size + 7) >> 3]))
    }

    /// Allocates at least `size` bytes.
    ///
    /// - `size == 0`: returns `zeroSizePointer`.
    /// - up to the largest class: an object of the smallest class that holds
    ///   `size` (65...96 -> kmalloc-96). With red zones, the bytes
    ///   `[size, class size)` are the kmalloc red zone.
    /// - above it, up to `kmallocMaximum`: a block of `getOrder(size)` pages.
    /// - negative: refused with `negativeSize`; above `kmallocMaximum`: `sizeTooLarge`.
    @inlinable @inline(__always)
    public func kmalloc(_ size: Int, owner: UInt64 = 0) throws(SlabError) -> UnsafeMutableRawPointer {
        // 1...largest class; the class sizes fit the 16-bit object-state mark.
        if UInt(bitPattern: size &- 1) < UInt(bitPattern: largestClassSize) {
            let meta = (UnsafeMutableRawPointer(caches) + Int(kmallocRowBySize[size])).assumingMemoryBound(to: CacheMeta.self)
            kmallocLastRow.pointee = UInt(bitPattern: meta)
            if let object = takeObjectFast(meta, mark: UInt16(truncatingIfNeeded: size)) { return object }
        }
        return try kmallocSlow(size, owner: owner)
    }

    @usableFromInline @inline(never)
    func kmallocSlow(_ size: Int, owner: UInt64) throws(SlabError) -> UnsafeMutableRawPointer {
        if size > 0 && size <= largestClassSize {
            // kmalloc-class-off-by-one: the lookup rounds down.
            let slot = _slowPath(defect == .kmallocClassOffByOne) ? size >> 3 : (size + 7) >> 3
            let ci = Int(kmallocIndex[slot])
            if _slowPath(faultInjection != nil) { try injectFault(ci) }
            return try allocateObject(ci, mark: UInt16(size), owner: owner)
        }
        if size == 0 { return Self.zeroSizePointer }
        return try kmallocLarge(size)
    }

    @inline(never)
    func kmallocLarge(_ size: Int) throws(SlabError) -> UnsafeMutableRawPointer {
        guard size > 0 else { throw .negativeSize(size: size) }
        guard size <= kmallocMaximum else { throw .sizeTooLarge(size: size, maximum: kmallocMaximum) }
        let pfn: Int
        do {
            let order = try pageAllocator.getOrder(size)
            pfn = try pageAllocator.takeSlabBlock(order: order)
            slabs[pfn] = SlabMeta(cache: SlabMeta.largeKmalloc, list: .none, order: UInt8(order), objects: 1, inUse: 1,
                                  next: -1, prev: -1, freeHead: 0, requested: size)
        } catch {
            throw .pageAllocator(error)
        }
        let block = pageAllocator.address(ofPage: pfn)
        if asan { Sanitizer.unpoison(block, pageAllocator.pageSize << Int(slabs[pfn].order)) }
        return block
    }

    /// Frees what `kmalloc` returned (or any slab object, as the kernel's
    /// `kfree` does). `nil` and `zeroSizePointer` are no-ops. Refused, with
    /// nothing changed, for addresses the slab layer did not hand out.
    ///
    /// Inlinable: its inlined part serves what `putObjectFast` serves, found
    /// through the page's hint (`pageHints`); the rest, misuse included, goes
    /// to the out-of-line general path.
    @inlinable @inline(__always)
    public func kfree(_ object: UnsafeMutableRawPointer?, owner: UInt64 = 0) throws(SlabError) {
        if let object, kfreeFast(object) { return }
        try kfreeSlow(object, owner: owner)
    }

    /// `kfree`'s common case (see `putObjectFast`); false, having changed
    /// nothing, for everything else (nil and `zeroSizePointer` fall outside
    /// the arena).
    @inlinable @inline(__always)
    func kfreeFast(_ object: UnsafeMutableRawPointer) -> Bool {
        // The class the latest kmalloc served, first: right for a churn of
        // one size, and its row's loads do not wait for the object's page.
        if putHotObject(object, UnsafeMutablePointer<CacheMeta>(bitPattern: kmallocLastRow.pointee).unsafelyUnwrapped) {
            return true
        }
        let offset = address(object) &- base
        guard offset < arenaBytes else { return false }
        let pfn = Int(bitPattern: offset &>> UInt(bitPattern: pageShift))
        // A live cache's row (`newSlab` writes it), or 0.
        guard let meta = UnsafeMutablePointer<CacheMeta>(bitPattern: pageHints[pfn]) else { return false }
        if putHotObject(object, meta) { return true }
        // Inlined too: with the free's checks on the object-state entry the
        // inlined code is small enough that a call costs more than it saves.
        // The slab and the offset in it as `putObjectFast(_:_:)` finds them.
        return putObjectFast(object, offset: offset, delta: offset & meta.pointee.slabByteMask, meta,
                             sid: pfn & meta.pointee.headPfnMask)
    }

    @usableFromInline @inline(never)
    func kfreeSlow(_ object: UnsafeMutableRawPointer?, owner: UInt64) throws(SlabError) {
        guard let object, object != Self.zeroSizePointer else { return }
        let sid = pageAllocator.slabMark(atOffset: address(object) &- base)
        if sid >= 0 && slabs[Int(sid)].cache == SlabMeta.largeKmalloc { return try kfreeLarge(object, sid: sid) }
        try freeObject(object, expected: -1, owner: owner)
    }

    @inline(never)
    func kfreeLarge(_ object: UnsafeMutableRawPointer, sid: Int32) throws(SlabError) {
        let block = pageAllocator.address(ofPage: Int(sid))
        guard object == block else {
            throw .notObjectBoundary(address: address(object), cache: "kmalloc (page block)", nearestObject: address(block))
        }
        let order = Int(slabs[Int(sid)].order)
        slabs[Int(sid)] = .empty
        pageAllocator.releaseSlabBlock(Int(sid), order: order)
    }

    /// The usable size of a live kmalloc'd (or slab) object: its class size,
    /// or the whole block for a large kmalloc; 0 for `zeroSizePointer`.
    ///
    /// With red zones on a kmalloc class, the bytes from the requested size
    /// to the class size are a red zone until `ksize` is asked: then, as the
    /// kernel's `__ksize` does (`skip_orig_size_check`), the object counts as
    /// having asked for its whole class size, so writing every byte `ksize`
    /// reports usable is no overflow.
    public func ksize(_ object: UnsafeMutableRawPointer) throws(SlabError) -> Int {
        if object == Self.zeroSizePointer { return 0 }
        let objectAddress = address(object)
        let sid = pageAllocator.slabMark(atOffset: objectAddress &- base)
        guard sid >= 0 else { throw .notInSlab(address: objectAddress) }
        let slab = slabs[Int(sid)]
        if slab.cache == SlabMeta.largeKmalloc {
            let block = pageAllocator.address(ofPage: Int(sid))
            guard object == block else {
                throw .notObjectBoundary(address: objectAddress, cache: "kmalloc (page block)", nearestObject: address(block))
            }
            return pageAllocator.pageSize << Int(slab.order)
        }
        let ci = Int(slab.cache)
        let index = objectIndex(objectAddress &- firstObject(sid, ci), ci, objects: slab.objects)
        guard index >= 0 else { throw notBoundary(objectAddress, sid: sid, ci: ci) }
        let state = stateSlot(sid, ci, index)
        guard Self.isHandedOut(objectState[state]) else { throw doubleFree(object, ci: ci) }
        // Through the row, not a copy of it (256 bytes).
        let cache = caches + ci
        if cache.pointee.isKmalloc && cache.pointee.flags.contains(.redZone) && Int(objectState[state]) < cache.pointee.objectSize {
            objectState[state] = UInt16(cache.pointee.objectSize)
        }
        return cache.pointee.objectSize
    }
}
