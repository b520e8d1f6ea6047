// A trace: the arena to run on and the operations, in order.
//
// Invariant: which handles are live at each step is a function of the trace
// alone (a handle is live from the step that produces it until the step that
// frees or destroys it, whatever either step's outcome), so references can
// be resolved, printed and encoded without running anything.

import AllocCheck
import PropertyTesting

/// The arena a trace runs on: 4 KiB pages, top order 10, some pages
/// reserved, and the debug options of the slab layer's kmalloc caches.
public struct Arena: Hashable, Sendable {
    public static let pageSize = 4096
    public static let topOrder = 10
    public static let pageCounts: ClosedRange<Int> = 8...1024
    public static let maxHoles = 2
    public static let holeLengths: ClosedRange<Int> = 1...64

    public var pageCount: Int
    /// Reserved page ranges (holes), in the order they were drawn; inside the arena.
    public var reserved: [Range<Int>]
    /// SLUB's debug letters for every kmalloc size class (`SlabAllocator`'s
    /// `kmallocDebug`); none by default. A subject builds its slab layer
    /// with them, so with Z every kmalloc object has the kmalloc red zone
    /// `[requested, class size)` that a free checks.
    public var kmallocDebug: SlabDebugOptions

    public init(pageCount: Int = 256, reserved: [Range<Int>] = [], kmallocDebug: SlabDebugOptions = []) {
        self.pageCount = pageCount
        self.reserved = reserved
        self.kmallocDebug = kmallocDebug
    }

    /// The largest number of pages one allocation can have.
    public static var largestBlockBytes: Int { pageSize << topOrder }
}

/// A sequence of operations on an arena.
public struct Trace: Hashable, Sendable {
    public var arena: Arena
    public var operations: [Operation]

    public init(arena: Arena = Arena(), operations: [Operation] = []) {
        self.arena = arena
        self.operations = operations
    }

    /// The handle step `index` (0-based) produces, if it produces one.
    public func handle(producedAt index: Int) -> Handle? {
        operations[index].produces.map { Handle($0, index + 1) }
    }
}

/// Which operations a trace may contain: one per fuzz target and property suite.
public struct Profile: Hashable, Sendable {
    public let name: String
    /// The operation tags this profile draws, in tag order.
    let tags: [Tag]
    /// What a misuse with nothing to misuse becomes (an allocation of the profile's kind).
    let fallback: Tag

    public static let pages = Profile(name: "pages", tags: [.allocPages, .freePages, .doubleFree, .interiorPointer,
                                                            .wrongOrder, .foreignAddress, .reservedPage, .injectedFailure,
                                                            .misalignedPointer],
                                      fallback: .allocPages)
    public static let exact = Profile(name: "exact", tags: [.allocPages, .freePages, .allocPagesExact, .freePagesExact,
                                                            .doubleFree, .interiorPointer, .wrongSize, .wrongFreeFunction,
                                                            .foreignAddress, .reservedPage, .injectedFailure, .misalignedPointer],
                                      fallback: .allocPagesExact)
    public static let slab = Profile(name: "slab", tags: [.cacheCreate, .cacheAlloc, .cacheFree, .cacheShrink,
                                                          .cacheDestroy, .cacheValidate, .doubleFree, .interiorPointer,
                                                          .wrongCache, .foreignAddress, .slabPage, .overflow, .injectedFailure,
                                                          .writeAfterFree, .writeAfterFreeThenAllocate, .writeLiveLinkAfterFree,
                                                          .writeLiveLinkThenAllocate, .cacheShrinkAll, .underflow],
                                     fallback: .cacheCreate)
    public static let kmalloc = Profile(name: "kmalloc", tags: [.kmalloc, .kfree, .ksize, .doubleFree, .interiorPointer,
                                                                .foreignAddress, .slabPage, .injectedFailure, .ksizeInterior,
                                                                .largeInteriorPointer, .kmallocOverflow, .ksizeFreed, .cacheShrinkAll,
                                                                .underflow],
                                        fallback: .kmalloc)
    public static let mixed = Profile(name: "mixed", tags: Tag.operations, fallback: .allocPages)

    /// Every profile, in the order fuzz targets and suites are listed.
    public static let all: [Profile] = [.pages, .exact, .slab, .kmalloc, .mixed]

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }

    /// The allocations of this profile, the calls fault injection can fail.
    var allocationTags: [Tag] { Tag.allocations.filter(tags.contains) }

    /// The tag choice: 0 ends the trace, `i` is `tags[i - 1]`.
    var tagChoice: IntegerConstraints { IntegerConstraints(min: 0, max: Int64(tags.count)) }
}

/// The handles that are live, and those already freed, at one point of a trace.
struct Scope {
    /// Live handles in production order.
    private(set) var live: [Handle] = []
    /// Freed allocations (not caches) in the order they were freed.
    private(set) var freed: [Handle] = []
    /// What each live handle's step asked for (`live[i]`'s is `liveDetails[i]`):
    /// bytes for exact allocations and kmalloc, the step of its cache's
    /// handle for a cache object, the options choice (`CacheOptions.choice`)
    /// for a cache, 0 for a page block. Random search reads it to draw
    /// arguments that fit (a wrong size near the right one, an offset inside
    /// a large kmalloc block, a live object of a freed object's cache); it
    /// never changes what a choice means.
    private(set) var liveDetails: [Int] = []
    /// The `liveDetails` entry each freed handle had (`freed[i]`'s is `freedDetails[i]`).
    private(set) var freedDetails: [Int] = []

    init() {}

    /// A scope with room for `capacity` live and freed handles.
    init(capacity: Int) {
        live.reserveCapacity(capacity)
        freed.reserveCapacity(capacity)
        liveDetails.reserveCapacity(capacity)
        freedDetails.reserveCapacity(capacity)
    }

    /// The live handles of `classes`, oldest first.
    func live(_ classes: Set<HandleClass>) -> [Handle] { live.filter { classes.contains($0.kind) } }

    func isLive(_ handle: Handle) -> Bool { live.contains(handle) }

    mutating func apply(_ operation: Operation, step: Int) {
        if let consumed = operation.consumes, let index = live.firstIndex(of: consumed) {
            live.remove(at: index)
            let detail = liveDetails.remove(at: index)
            if consumed.kind != .cache {
                freed.append(consumed)
                freedDetails.append(detail)
            }
        }
        if let kind = operation.produces {
            live.append(Handle(kind, step))
            switch operation {
            case .allocPagesExact(let size), .kmalloc(let size): liveDetails.append(size)
            case .cacheAlloc(let cache): liveDetails.append(cache.step)
            case .cacheCreate(_, let options): liveDetails.append(options.choice)
            default: liveDetails.append(0)
            }
        }
    }

    /// The size a live exact allocation or kmalloc pointer asked for (see
    /// `liveDetails`); 0 when it is not live.
    func size(of handle: Handle) -> Int {
        live.lastIndex(of: handle).map { liveDetails[$0] } ?? 0
    }

    /// The step of the cache handle of a live or freed cache object `object`.
    func cacheStep(of object: Handle) -> Int? {
        guard object.kind == .object else { return nil }
        if let index = live.lastIndex(of: object) { return liveDetails[index] }
        return freed.lastIndex(of: object).map { freedDetails[$0] }
    }

    /// Whether the cache made at `step` is live and keeps a free object's
    /// free pointer in its first word as it is (neither hardened nor
    /// poisoning): where the live-link misuses apply.
    func isLiveCacheWithPlainFreePointer(_ step: Int) -> Bool {
        guard let index = live.lastIndex(of: Handle(.cache, step)) else { return false }
        let options = CacheOptions(choice: liveDetails[index])
        return !options.hardened && !options.debug.contains(.poison)
    }

    /// The options of the cache made at `step`, while it is live.
    func liveCacheOptions(_ step: Int) -> CacheOptions? {
        live.lastIndex(of: Handle(.cache, step)).map { CacheOptions(choice: liveDetails[$0]) }
    }

    /// Whether `handle` is a live kmalloc pointer to a large block (a size
    /// above the largest kmalloc class, up to the largest page block).
    func isLargeKmalloc(_ handle: Handle) -> Bool {
        handle.kind == .kmalloc && Trace.isLargeKmallocSize(size(of: handle))
    }

    /// The live handles of the classes in `mask` (`HandleClass.bit`), as a
    /// view: decoding asks at every step, and builds no array or set.
    func liveCandidates(_ mask: UInt8) -> Candidates { Candidates(handles: live, mask: mask) }

    /// The freed handles of the classes in `mask`, as a view.
    func freedCandidates(_ mask: UInt8) -> Candidates { Candidates(handles: freed, mask: mask) }

    /// The handles a reference may name: those of `handles` whose class is in
    /// `mask`. `count` and `pick` give what `live(classes).count` and
    /// `Scope.pick(live(classes), choice)` give.
    struct Candidates {
        let handles: [Handle]
        let mask: UInt8

        var count: Int {
            var n = 0
            for h in handles where mask & h.kind.bit != 0 { n += 1 }
            return n
        }

        var isEmpty: Bool { !handles.contains { mask & $0.kind.bit != 0 } }

        /// The candidate `choice` names, counting from the newest and wrapping
        /// around (as `Scope.pick`). There must be a candidate.
        func pick(_ choice: Int) -> Handle {
            var k = choice % count
            for h in handles.reversed() where mask & h.kind.bit != 0 {
                if k == 0 { return h }
                k -= 1
            }
            preconditionFailure("no candidate to pick")
        }
    }

    /// The handle a reference choice names: `choice` counts from the newest
    /// candidate (0 is the most recent), wrapping around.
    static func pick(_ candidates: [Handle], _ choice: Int) -> Handle {
        candidates[candidates.count - 1 - choice % candidates.count]
    }

    /// The reference choice that names `handle` among `candidates`.
    static func choice(for handle: Handle, in candidates: [Handle]) -> Int? {
        candidates.lastIndex(of: handle).map { candidates.count - 1 - $0 }
    }
}
