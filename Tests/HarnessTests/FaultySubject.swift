@testable import Harness
import AllocCheck
import Invariants

/// The AllocCheck core with one injected fault: after the `nth` call named
/// `call` (counting from 1; every call when `nth` is 0) succeeds (or, for a
/// call named `allocPagesRefused`, `destroyRefused`, `freeRefused` or `kfreeRefused`, is refused), `corrupt`
/// damages the allocator the way a buggy implementation of that call would.
/// The fault is task-local (`withFault`), so tests running in parallel do not
/// see each other's.
final class FaultySubject: AllocatorUnderTest {
    struct Fault {
        var call: String
        var nth: Int
        var corrupt: @Sendable (AllocCheckSubject, UnsafeMutableRawPointer?) -> Void
    }

    @TaskLocal static var fault: Fault?
    let inner: AllocCheckSubject
    var calls: [String: Int] = [:]

    init(_ inner: AllocCheckSubject) { self.inner = inner }

    /// The whole allocator: its slab layer is built up front (faults reach
    /// it directly), where `AllocCheckSubject` builds it at its first call.
    static var leavesMemoryPoisoned: Bool { AllocCheckSubject.leavesMemoryPoisoned }

    static func make(arena: Arena, memory: UnsafeMutableRawPointer) throws -> FaultySubject {
        let inner = try AllocCheckSubject.make(arena: arena, memory: memory)
        _ = inner.slab
        return FaultySubject(inner)
    }

    private func after(_ call: String, _ address: UnsafeMutableRawPointer?) {
        calls[call, default: 0] += 1
        if let fault = Self.fault, fault.call == call, fault.nth == 0 || fault.nth == calls[call] { fault.corrupt(inner, address) }
    }

    var base: UnsafeMutableRawPointer { inner.base }
    /// When set, `allocPages` hands out the second block it would give, not
    /// the first (it takes two and gives the first back): a sound state, in
    /// an order other than the kernel's.
    @TaskLocal static var handsOutSecondBlock = false

    func allocPages(order: Int) throws(Refusal) -> UnsafeMutableRawPointer {
        let p: UnsafeMutableRawPointer
        do { p = try inner.allocPages(order: order) } catch { after("allocPagesRefused", nil); throw error }
        if Self.handsOutSecondBlock, let second = try? inner.allocPages(order: order) {
            try inner.freePages(p, order: order)
            after("allocPages", second)
            return second
        }
        after("allocPages", p)
        return p
    }
    func freePages(_ address: UnsafeMutableRawPointer, order: Int) throws(Refusal) {
        try inner.freePages(address, order: order); after("freePages", address)
    }
    func allocPagesExact(_ size: Int) throws(Refusal) -> UnsafeMutableRawPointer {
        let p = try inner.allocPagesExact(size); after("allocPagesExact", p); return p
    }
    func freePagesExact(_ address: UnsafeMutableRawPointer, size: Int) throws(Refusal) {
        try inner.freePagesExact(address, size: size); after("freePagesExact", address)
    }
    /// When set, `createCache` refuses the last free slot: a cache limit off by one.
    @TaskLocal static var cacheLimitOneEarly = false
    /// When set, `createCache` ignores the alignment asked for: every cache is aligned to 8 bytes.
    @TaskLocal static var ignoresAlignment = false
    func createCache(name: String, objectSize: Int, alignment: Int, debug: SlabDebugOptionsBits,
                     hardened: Bool) throws(Refusal) -> SlabCacheID {
        if Self.cacheLimitOneEarly && inner.cacheSlotsLeft == 1 { throw Refusal(.tooManyCaches, "one slot kept back") }
        return try inner.createCache(name: name, objectSize: objectSize, alignment: Self.ignoresAlignment ? 8 : alignment,
                                     debug: debug, hardened: hardened)
    }
    /// When set, an allocation whose next free pointer names a handed-out
    /// object hands out the head anyway: an allocation path that checks the
    /// pointer's place but not that its object is free. (Stood in for after
    /// the layer's refusal, which names the head: the head is marked handed
    /// out and returned, enough for a judge that stops there.)
    @TaskLocal static var followsLinksToLiveObjects = false
    func allocate(_ cache: SlabCacheID) throws(Refusal) -> UnsafeMutableRawPointer {
        if Self.followsLinksToLiveObjects {
            do throws(SlabError) {
                let p = try inner.slab.allocate(cache); after("allocate", p); return p
            } catch {
                guard case .freePointerCorrupt(_, _, let holder, let value) = error, isHandedOutObject(value),
                      let head = UnsafeMutableRawPointer(bitPattern: holder) else { throw inner.refusal(error) }
                inner.slab._testingSetObjectState(head, 1)
                return head
            }
        }
        let p = try inner.allocate(cache); after("allocate", p); return p
    }

    /// Whether `address` is the start of an object the slab layer has handed out.
    private func isHandedOutObject(_ address: UInt) -> Bool {
        guard let p = UnsafeMutableRawPointer(bitPattern: address), inner.pfn(of: p) >= 0,
              inner.pfn(of: p) < inner.pages.pageCount, inner.slabCacheIndex(ofPage: inner.pfn(of: p)) != nil else { return false }
        return inner.slab._testingObjectState(p) != 0
    }
    func free(_ object: UnsafeMutableRawPointer, to cache: SlabCacheID) throws(Refusal) {
        do { try inner.free(object, to: cache) } catch { after("freeRefused", object); throw error }
        after("free", object)
    }
    /// Added to what `shrink` answers: a shrink that miscounts the pages it gave back.
    @TaskLocal static var shrinkMiscount = 0
    func shrink(_ cache: SlabCacheID) throws(Refusal) -> Int { try inner.shrink(cache) + Self.shrinkMiscount }
    /// When set, `shrinkAllCaches` shrinks the trace's caches only, not the
    /// kmalloc classes: a shrink that passes over kmalloc caches.
    @TaskLocal static var shrinkAllSkipsKmalloc = false
    /// When set, `shrinkAllCaches` answers nil: an allocator that cannot shrink every cache.
    @TaskLocal static var cannotShrinkAll = false
    func shrinkAllCaches() -> Int? {
        if Self.cannotShrinkAll { return nil }
        guard Self.shrinkAllSkipsKmalloc else { return inner.shrinkAllCaches() }
        return inner.slab.cacheIDs.reduce(0) { pages, cache in
            (try? inner.slab.info(cache).isKmalloc) == false ? pages + ((try? inner.slab.shrink(cache)) ?? 0) : pages
        }
    }
    func destroy(_ cache: SlabCacheID) throws(Refusal) {
        do { try inner.destroy(cache) } catch { after("destroyRefused", nil); throw error }
    }
    /// When set, `validate` serves a destroyed cache's handle with the live
    /// cache that took its number: a layer whose handles carry no generation.
    @TaskLocal static var staleHandlesReachTheirSlot = false
    /// When set, `validate` finds nothing wrong: a validation that walks no free chain and checks no pattern.
    @TaskLocal static var validateFindsNothing = false
    /// When set, `validate` accepts a free pointer to a handed-out object:
    /// the layer's findings less each such pointer, as a validation that
    /// checks a free pointer's place but not that its object is free.
    @TaskLocal static var validationAcceptsLinksToLiveObjects = false
    func validate(_ cache: SlabCacheID) throws(Refusal) -> [String] {
        if Self.validateFindsNothing { _ = try inner.validate(cache); return [] }
        if Self.validationAcceptsLinksToLiveObjects {
            let found: [SlabError]
            do throws(SlabError) { found = try inner.slab.validate(cache) } catch { throw inner.refusal(error) }
            return found.filter { problem in
                if case .freePointerCorrupt(_, _, _, let value) = problem { return !isHandedOutObject(value) }
                return true
            }.map { "\($0)" }
        }
        if Self.staleHandlesReachTheirSlot, let current = inner.slab.cacheID(index: Int(cache.index)) {
            return try inner.validate(current)
        }
        return try inner.validate(cache)
    }
    func validateAllCaches() -> [String] { inner.validateAllCaches() }
    func slabCacheIndex(of cache: SlabCacheID) -> Int { inner.slabCacheIndex(of: cache) }
    /// Added to the full slabs `reportedCounts` answers: a report that counts a slab twice.
    @TaskLocal static var reportsAFullSlabTooMany = false
    /// When set, rewrites the slabinfo line `reportedCounts` answers: a line that miscounts.
    @TaskLocal static var rewritesSlabinfoLine: (@Sendable (String) -> String)?
    func reportedCounts(ofCacheIndex index: Int) -> ReportedCacheCounts? {
        guard var counts = inner.reportedCounts(ofCacheIndex: index) else { return nil }
        if Self.reportsAFullSlabTooMany { counts.fullSlabs += 1 }
        if let rewrite = Self.rewritesSlabinfoLine, let line = counts.slabinfoLine { counts.slabinfoLine = rewrite(line) }
        return counts
    }
    func slabGeometry(ofCacheIndex index: Int) -> SlabGeometry { inner.slabGeometry(ofCacheIndex: index) }
    /// When set, `emptySlabsKept` answers it instead of the layer's own: a
    /// cache that keeps another number of empty slabs than it says it does.
    @TaskLocal static var claimedEmptySlabsKept: Int?
    var emptySlabsKept: Int? { Self.claimedEmptySlabsKept ?? inner.emptySlabsKept }
    func kmalloc(_ size: Int) throws(Refusal) -> UnsafeMutableRawPointer {
        let p = try inner.kmalloc(size); after("kmalloc", p); return p
    }
    func kfree(_ object: UnsafeMutableRawPointer) throws(Refusal) {
        do { try inner.kfree(object) } catch { after("kfreeRefused", object); throw error }
        after("kfree", object)
    }
    /// When set, `ksize` of an address inside a kmalloc allocation answers
    /// a size instead of refusing it: a lookup that rounds down to the object.
    @TaskLocal static var ksizeAnswersInsideObjects = false
    /// When set, `ksize` of a freed kmalloc object answers its class size
    /// instead of refusing it: a lookup that does not ask whether the
    /// object is handed out.
    @TaskLocal static var ksizeAnswersFreedObjects = false
    func ksize(_ object: UnsafeMutableRawPointer) throws(Refusal) -> Int {
        do { return try inner.ksize(object) } catch where Self.ksizeAnswersInsideObjects && error.kind == .interiorPointer {
            return 64
        } catch where Self.ksizeAnswersFreedObjects && error.kind == .doubleFree {
            return inner.slab.cacheOwning(page: inner.pfn(of: object)).flatMap { try? inner.slab.info($0).objectSize } ?? 0
        }
    }
    var zeroSizePointer: UnsafeMutableRawPointer { inner.zeroSizePointer }
    var kmallocClasses: [Int] { inner.kmallocClasses }
    var kmallocMaximum: Int { inner.kmallocMaximum }
    func kmallocCacheIndex(forSize size: Int) -> Int { inner.kmallocCacheIndex(forSize: size) }
    func kmallocCache(forSize size: Int) -> SlabCacheID? { inner.kmallocCache(forSize: size) }
    var cacheSlotsLeft: Int { inner.cacheSlotsLeft }
    /// When set, arming fault injection does nothing: an allocator that ignores it.
    @TaskLocal static var ignoresFaultInjection = false
    func failNextAllocation(_ armed: Bool) {
        if !(armed && Self.ignoresFaultInjection) { inner.failNextAllocation(armed) }
    }
    func clientWrite(_ byte: UInt8, at address: UnsafeMutableRawPointer) { inner.clientWrite(byte, at: address) }
    func clientRead(at address: UnsafeMutableRawPointer) -> UInt8 { inner.clientRead(at: address) }
    func snapshot() -> AllocatorSnapshot { inner.snapshot() }
    func pageRecord(_ pfn: Int) -> PageRecord { inner.pageRecord(pfn) }
    func freeListRecord(order: Int) -> FreeListRecord { inner.freeListRecord(order: order) }
    var freePageCount: Int { inner.freePageCount }
    func slabCacheIndex(ofPage pfn: Int) -> Int? { inner.slabCacheIndex(ofPage: pfn) }
    var buddyinfo: String { inner.buddyinfo }
    var slabinfo: String { inner.slabinfo }
}

/// Runs `body` with `fault` injected into every `FaultySubject` it makes.
func withFault<T>(_ call: String, nth: Int, _ corrupt: @escaping @Sendable (AllocCheckSubject, UnsafeMutableRawPointer?) -> Void,
                  _ body: () throws -> T) rethrows -> T {
    try FaultySubject.$fault.withValue(FaultySubject.Fault(call: call, nth: nth, corrupt: corrupt), operation: body)
}

extension AllocCheckSubject {
    func pfn(of address: UnsafeMutableRawPointer?) -> Int {
        (Int(bitPattern: address) - Int(bitPattern: base)) / Arena.pageSize
    }
}
