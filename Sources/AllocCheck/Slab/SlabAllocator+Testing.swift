import CSanitizer

// White-box hooks. Only the package's own tests use these, to inject a fault
// the way a stray store or a broken allocator would, and show it is reported.
extension SlabAllocator {
    /// Writes `value` at `address` as a stray store would, even where ASan
    /// forbids access (a freed object): the slab layer's own checks must be
    /// what catch it. The ASan state of the byte is kept. Test-only.
    package func _testingPoke(_ address: UnsafeMutableRawPointer, _ value: UInt8) {
        let poisoned = asan && Sanitizer.isPoisoned(address)
        if poisoned { Sanitizer.unpoison(address, 1) }
        address.storeBytes(of: value, as: UInt8.self)
        if poisoned { Sanitizer.poison(address, 1) }
    }

    /// Reads the byte at `address`, even where ASan forbids access. Test-only.
    package func _testingPeek(_ address: UnsafeMutableRawPointer) -> UInt8 {
        let poisoned = asan && Sanitizer.isPoisoned(address)
        if poisoned { Sanitizer.unpoison(address, 1) }
        defer { if poisoned { Sanitizer.poison(address, 1) } }
        return address.load(as: UInt8.self)
    }

    /// Where the free pointer of `object` (of `cache`) lives. Test-only.
    package func _testingFreePointerAddress(of object: UnsafeMutableRawPointer, in cache: SlabCacheID) -> UnsafeMutableRawPointer {
        object + caches[Int(cache.index)].freePointerOffset
    }

    /// Records `tag` as the freer of `object` (an object of `cache`, which
    /// tracks owners), as a free path that wrote its owner record before a
    /// check refused the free would. Test-only.
    package func _testingRecordFreer(of object: UnsafeMutableRawPointer, in cache: SlabCacheID, tag: UInt64) {
        let ci = Int(cache.index)
        let record = object + caches[ci].trackOffset + 16
        let poisoned = asan && Sanitizer.isPoisoned(record)
        if poisoned { Sanitizer.unpoison(record, 16) }
        writeOwner(ci, object, slot: 1, tag: tag)
        if poisoned { Sanitizer.poison(record, 16) }
    }

    /// Where the layer's live-object record of `object` (an object start) lives.
    private func _testingStateSlot(_ object: UnsafeMutableRawPointer) -> Int {
        let sid = pageAllocator.slabMark(atOffset: address(object) &- base)
        let ci = Int(slabs[Int(sid)].cache)
        return stateSlot(sid, ci, objectIndex(address(object) &- firstObject(sid, ci), ci, objects: slabs[Int(sid)].objects))
    }

    /// Overwrites the layer's live-object record for `object` (0: free,
    /// stored as `freeObjectMark`). Test-only.
    package func _testingSetObjectState(_ object: UnsafeMutableRawPointer, _ value: UInt16) {
        objectState[_testingStateSlot(object)] = value == 0 ? Self.freeObjectMark : value
    }

    /// The layer's live-object record for `object` (0: free). Test-only.
    package func _testingObjectState(_ object: UnsafeMutableRawPointer) -> UInt16 {
        let value = objectState[_testingStateSlot(object)]
        return Self.isHandedOut(value) ? value : 0
    }

    /// Overwrites the in-use count of the slab holding `object`. Test-only.
    package func _testingSetInUse(ofSlabHolding object: UnsafeMutableRawPointer, _ value: Int32) {
        let sid = pageAllocator.slabMark(atOffset: address(object) &- base)
        slabs[Int(sid)].inUse = value
    }

    /// Overwrites the requested size recorded for the large kmalloc block
    /// at `object` (a block of pages, not a slab object). Test-only.
    package func _testingSetLargeKmallocRequest(_ object: UnsafeMutableRawPointer, _ bytes: Int) {
        let sid = pageAllocator.slabMark(atOffset: address(object) &- base)
        slabs[Int(sid)].requested = bytes
    }

    /// Makes slab `pfn` the hot slab of `cache`, right or wrong. Test-only.
    package func _testingSetHotSlab(_ cache: SlabCacheID, pfn: Int) {
        caches[Int(cache.index)].setHotSlab(Int32(pfn))
    }

    /// Settles the cache's parked hot slab, if it has one (`settleHotSlab`). Test-only.
    package func _testingSettleHotSlab(_ cache: SlabCacheID) {
        settleHotSlab(Int(cache.index))
    }

    /// Whether the cache's hot slab is parked (`isParked`). Test-only.
    package func _testingHotSlabIsParked(_ cache: SlabCacheID) -> Bool {
        parkedSlab(Int(cache.index)) >= 0
    }

    /// The head pfn of the slab holding `object`, or nil. Test-only.
    package func _testingSlabPfn(holding object: UnsafeMutableRawPointer) -> Int? {
        let sid = pageAllocator.slabMark(atOffset: address(object) &- base)
        return sid >= 0 ? Int(sid) : nil
    }
}

extension Sanitizer {
    /// Whether ASan considers the byte at `address` poisoned (false without ASan).
    static func isPoisoned(_ address: UnsafeRawPointer) -> Bool { alloccheck_is_poisoned(address) != 0 }
}
