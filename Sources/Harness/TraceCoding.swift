// Traces as choice sequences: the generator that draws a trace from the
// engine's choices, and the encoder that turns a trace back into them.
//
// Layout, in the engine's byte format (one byte per small choice):
//   arena: page count (2 bytes), hole count and kmalloc debug options (1:
//     holes + 3 * the debug letters' bits), per hole: start (2), length (1)
//   per operation: a tag (1 byte, 0 ends the trace; otherwise 1 + the
//     operation's position in the profile's fixed list, which for the mixed
//     profile is the global `Tag` number), then its arguments:
//     an order (1), a size (3), an object size (2), cache options (1: the
//     debug letters' bits, 16 for a hardened free list, and the alignment
//     as 32 * log2(alignment / 8)), an offset (1),
//     a function (1), or a reference (1 byte: 0 is the newest live handle
//     that fits, the newest freed one for a misuse of a freed allocation,
//     1 the one before, ... wrapping around).
//   an allocation failed by fault injection: its tag, which allocation (1
//     byte, only in profiles with several kinds), then that call's arguments.
// The tag is fixed per operation kind and profile (never an index among the
// operations that apply now), and a reference counts among handles of the kinds it can
// name, so deleting a step leaves the steps after it meaning what they meant.
// A step that needs a handle when none is live becomes the allocation that
// would produce one (a free with nothing live becomes an allocation), so any
// bytes decode to a dense trace.
//
// Invariant: `decode(encode(trace)) == trace` for every trace the generator
// can produce; any byte string decodes to some trace.

import AllocCheck
import PropertyTesting

/// The fixed operation tags of the byte format. Never renumber: saved inputs depend on them.
enum Tag: Int64, CaseIterable, Sendable {
    case end = 0
    case allocPages, freePages, allocPagesExact, freePagesExact
    case cacheCreate, cacheAlloc, cacheFree, cacheShrink, cacheDestroy, cacheValidate
    case kmalloc, kfree, ksize
    case doubleFree, interiorPointer, wrongOrder, wrongSize, wrongCache, wrongFreeFunction, foreignAddress,
         reservedPage, slabPage
    // Appended later: tags only ever grow at the end.
    case overflow
    case injectedFailure
    case writeAfterFree, ksizeInterior
    /// `interiorPointer` of a kmalloc pointer a whole number of pages past
    /// its start (its argument counts pages): the page-aligned interior
    /// addresses of a large kmalloc block, which byte offsets of 1 to 255
    /// never reach. The misuse is the same `Misuse.interiorPointer`; its
    /// offset says which tag encodes it (up to 255 bytes: `interiorPointer`).
    case largeInteriorPointer
    case writeAfterFreeThenAllocate
    /// `Misuse.kmallocOverflow`: a byte written into a kmalloc object's red
    /// zones (its argument: how far past the request, `TraceChoices.overflowPast`).
    case kmallocOverflow
    /// `Misuse.ksizeFreed`: `ksize` of a freed kmalloc pointer (a reference
    /// among freed kmalloc pointers).
    case ksizeFreed
    /// `Misuse.writeLiveLinkAfterFree` and `.writeLiveLinkThenAllocate`: a
    /// reference among freed objects, then one among live objects (`value`).
    case writeLiveLinkAfterFree, writeLiveLinkThenAllocate
    /// `Operation.cacheShrinkAll`, no argument: a call, not a misuse, though
    /// its tag comes after the misuse tags (see `isCall`).
    case cacheShrinkAll
    /// `Misuse.misaligned`: a page block or exact allocation freed through
    /// an address that is not on a page boundary (its argument: the byte
    /// offset, `TraceChoices.misalignment`).
    case misalignedPointer
    /// `Misuse.underflow`: a byte written into a live object's left red
    /// zone (its argument: how far before the object, `TraceChoices.underflowBefore`).
    case underflow

    static var operations: [Tag] { allCases.filter { $0 != .end } }

    /// Whether the tag is a call of the API (written without `expect`), not
    /// a misuse or an injected failure: the tags before the misuse tags, and
    /// the calls appended after them.
    var isCall: Bool { self != .end && (rawValue < Tag.doubleFree.rawValue || self == .cacheShrinkAll) }

    /// The words of the text form: `alloc_pages`, ..., and for misuse the `expect` kind.
    var name: String {
        switch self {
        case .end: return "end"
        case .allocPages: return "alloc_pages"
        case .freePages: return "free_pages"
        case .allocPagesExact: return "alloc_pages_exact"
        case .freePagesExact: return "free_pages_exact"
        case .cacheCreate: return "cache_create"
        case .cacheAlloc: return "cache_alloc"
        case .cacheFree: return "cache_free"
        case .cacheShrink: return "cache_shrink"
        case .cacheDestroy: return "cache_destroy"
        case .cacheValidate: return "cache_validate"
        case .kmalloc: return "kmalloc"
        case .kfree: return "kfree"
        case .ksize: return "ksize"
        case .doubleFree: return RefusalKind.doubleFree.rawValue
        case .interiorPointer: return RefusalKind.interiorPointer.rawValue
        case .wrongOrder: return RefusalKind.wrongOrder.rawValue
        case .wrongSize: return RefusalKind.wrongSize.rawValue
        case .wrongCache: return RefusalKind.wrongCache.rawValue
        case .wrongFreeFunction: return RefusalKind.wrongFreeFunction.rawValue
        case .foreignAddress: return RefusalKind.foreignAddress.rawValue
        case .reservedPage: return RefusalKind.reservedPage.rawValue
        case .slabPage: return RefusalKind.slabPage.rawValue
        case .overflow: return RefusalKind.corruption.rawValue
        case .injectedFailure: return RefusalKind.injectedFailure.rawValue
        case .writeAfterFree, .writeAfterFreeThenAllocate: return RefusalKind.corruption.rawValue
        case .ksizeInterior, .largeInteriorPointer: return RefusalKind.interiorPointer.rawValue
        case .kmallocOverflow: return RefusalKind.corruption.rawValue
        case .ksizeFreed: return RefusalKind.doubleFree.rawValue
        case .writeLiveLinkAfterFree, .writeLiveLinkThenAllocate: return RefusalKind.corruption.rawValue
        case .cacheShrinkAll: return "cache_shrink_all"
        case .misalignedPointer: return RefusalKind.misaligned.rawValue
        case .underflow: return RefusalKind.corruption.rawValue
        }
    }

    init(_ operation: Operation) {
        switch operation {
        case .allocPages: self = .allocPages
        case .freePages: self = .freePages
        case .allocPagesExact: self = .allocPagesExact
        case .freePagesExact: self = .freePagesExact
        case .cacheCreate: self = .cacheCreate
        case .cacheAlloc: self = .cacheAlloc
        case .cacheFree: self = .cacheFree
        case .cacheShrink: self = .cacheShrink
        case .cacheDestroy: self = .cacheDestroy
        case .cacheValidate: self = .cacheValidate
        case .kmalloc: self = .kmalloc
        case .kfree: self = .kfree
        case .ksize: self = .ksize
        case .cacheShrinkAll: self = .cacheShrinkAll
        case .misuse(let m):
            switch m {
            case .doubleFree: self = .doubleFree
            case .interiorPointer(let h, let offset):
                self = h.kind == .kmalloc && offset > Int(TraceChoices.offset.max) ? .largeInteriorPointer : .interiorPointer
            case .wrongOrder: self = .wrongOrder
            case .wrongSize: self = .wrongSize
            case .wrongCache: self = .wrongCache
            case .wrongFreeFunction: self = .wrongFreeFunction
            case .foreignAddress: self = .foreignAddress
            case .reservedPage: self = .reservedPage
            case .slabPage: self = .slabPage
            case .overflow: self = .overflow
            case .writeAfterFree: self = .writeAfterFree
            case .writeAfterFreeThenAllocate: self = .writeAfterFreeThenAllocate
            case .ksizeInterior: self = .ksizeInterior
            case .kmallocOverflow: self = .kmallocOverflow
            case .ksizeFreed: self = .ksizeFreed
            case .writeLiveLinkAfterFree: self = .writeLiveLinkAfterFree
            case .writeLiveLinkThenAllocate: self = .writeLiveLinkThenAllocate
            case .misaligned: self = .misalignedPointer
            case .underflow: self = .underflow
            }
        case .injectedFailure: self = .injectedFailure
        }
    }

    /// The handles a reference of this operation may name (freed ones
    /// where `namesFreed`); for the live-link misuses, the first reference's
    /// (the second names a live object).
    var referenceClasses: Set<HandleClass> {
        switch self {
        case .doubleFree: return [.pages, .exact, .object, .kmalloc]
        case .writeAfterFree, .writeAfterFreeThenAllocate, .writeLiveLinkAfterFree, .writeLiveLinkThenAllocate: return [.object]
        case .ksizeInterior, .largeInteriorPointer, .kmallocOverflow, .ksizeFreed: return [.kmalloc]
        case .freePages, .wrongOrder: return [.pages]
        case .freePagesExact, .wrongSize: return [.exact]
        case .cacheAlloc, .cacheShrink, .cacheDestroy, .cacheValidate: return [.cache]
        case .cacheFree: return [.object]
        case .kfree, .ksize: return [.kmalloc]
        case .interiorPointer: return [.pages, .exact, .object, .kmalloc]
        case .wrongCache, .slabPage: return [.object, .kmalloc]
        case .overflow: return [.object]
        case .wrongFreeFunction, .misalignedPointer: return [.pages, .exact]
        case .underflow: return [.object, .kmalloc]
        default: return []
        }
    }

    /// `referenceClasses` as `HandleClass` bits (0: none), for decoding.
    var referenceMask: UInt8 {
        switch self {
        case .doubleFree: return HandleClass.pages.bit | HandleClass.exact.bit | HandleClass.object.bit | HandleClass.kmalloc.bit
        case .writeAfterFree, .writeAfterFreeThenAllocate, .writeLiveLinkAfterFree, .writeLiveLinkThenAllocate:
            return HandleClass.object.bit
        case .ksizeInterior, .largeInteriorPointer, .kmallocOverflow, .ksizeFreed: return HandleClass.kmalloc.bit
        case .freePages, .wrongOrder: return HandleClass.pages.bit
        case .freePagesExact, .wrongSize: return HandleClass.exact.bit
        case .cacheAlloc, .cacheShrink, .cacheDestroy, .cacheValidate: return HandleClass.cache.bit
        case .cacheFree: return HandleClass.object.bit
        case .kfree, .ksize: return HandleClass.kmalloc.bit
        case .interiorPointer: return HandleClass.pages.bit | HandleClass.exact.bit | HandleClass.object.bit | HandleClass.kmalloc.bit
        case .wrongCache, .slabPage: return HandleClass.object.bit | HandleClass.kmalloc.bit
        case .overflow: return HandleClass.object.bit
        case .wrongFreeFunction, .misalignedPointer: return HandleClass.pages.bit | HandleClass.exact.bit
        case .underflow: return HandleClass.object.bit | HandleClass.kmalloc.bit
        default: return 0
        }
    }

    /// Whether the reference names a freed allocation rather than a live one.
    var namesFreed: Bool {
        switch self {
        case .doubleFree, .writeAfterFree, .writeAfterFreeThenAllocate, .ksizeFreed, .writeLiveLinkAfterFree,
             .writeLiveLinkThenAllocate: return true
        default: return false
        }
    }

    /// The allocations fault injection can fail.
    static let allocations: [Tag] = [.allocPages, .allocPagesExact, .cacheAlloc, .kmalloc]

    /// What a step of this tag becomes when nothing it could name is live.
    func replacement(in profile: Profile) -> Tag {
        switch self {
        case .freePages: return .allocPages
        case .freePagesExact: return .allocPagesExact
        case .cacheAlloc, .cacheShrink, .cacheDestroy, .cacheValidate: return .cacheCreate
        case .cacheFree: return .cacheAlloc
        case .kfree, .ksize, .ksizeInterior, .largeInteriorPointer, .kmallocOverflow: return .kmalloc
        // Something freed to write into next time: a free (or what it becomes).
        case .writeAfterFree, .writeAfterFreeThenAllocate, .writeLiveLinkAfterFree, .writeLiveLinkThenAllocate: return .cacheFree
        case .ksizeFreed: return .kfree
        default: return profile.fallback
        }
    }
}

/// The constraints of every choice a trace is made of.
enum TraceChoices {
    static let maxOperations = 200
    static let pageCount = IntegerConstraints(min: Int64(Arena.pageCounts.lowerBound), max: Int64(Arena.pageCounts.upperBound),
                                              simplest: 256)
    /// The arena's hole count and its kmalloc caches' debug options in one
    /// choice: holes + 3 * the debug letters' bits (`Arena.optionsChoice`).
    /// Its range was the hole count's, 0...2, before kmalloc debug options:
    /// every older canonical input keeps its meaning.
    static let arenaOptions = IntegerConstraints(min: 0, max: Int64(Arena.maxHoles + 1) * 16 - 1)
    static let holeStart = IntegerConstraints(min: 0, max: Int64(Arena.pageCounts.upperBound - 1))
    static let holeLength = IntegerConstraints(min: Int64(Arena.holeLengths.lowerBound), max: Int64(Arena.holeLengths.upperBound))
    static let order = IntegerConstraints(min: 0, max: Int64(Arena.topOrder))
    /// Sizes in bytes for exact allocations and kmalloc: 0 and sizes above the
    /// largest block are in range on purpose (they must be refused).
    static let size = IntegerConstraints(min: 0, max: (1 << 23) - 1, simplest: 1)
    static let objectSize = IntegerConstraints(min: 0, max: 8192, simplest: 8)
    /// A cache's options (`CacheOptions.choice`).
    static let cacheOptions = IntegerConstraints(min: 0, max: 255)
    static let reference = IntegerConstraints(min: 0, max: 255)
    static let offset = IntegerConstraints(min: 1, max: 255)
    /// How far past a page allocation's start `Misuse.misaligned` points:
    /// any byte of its first page but the first.
    static let misalignment = IntegerConstraints(min: 1, max: Int64(Arena.pageSize - 1))
    /// How far before an object `Misuse.underflow` writes: up to the widest
    /// left red zone (a word aligned up to the largest alignment).
    static let underflowBefore = IntegerConstraints(min: 1, max: Int64(CacheOptions.alignments.upperBound))
    /// How far past a kmalloc object's request `Misuse.kmallocOverflow`
    /// writes: up to the largest class (8 KiB) past a 1-byte request, so
    /// every byte of a kmalloc red zone and the next one can be named.
    static let overflowPast = IntegerConstraints(min: 1, max: 8192)
    static let function = IntegerConstraints(min: 0, max: Int64(FreeFunction.allCases.count - 1))
}

// MARK: Decoding (the generator)

extension Trace {
    /// Traces of `profile`, drawn from the engine's choices: random ones while
    /// searching, exactly the encoded ones when replaying bytes.
    /// With `injectingFailures`, random search also draws allocations failed
    /// by fault injection (any profile decodes them from bytes either way).
    public static func generator(_ profile: Profile = .mixed, maxOperations: Int = 200,
                                 injectingFailures: Bool = false) -> Generator<Trace> {
        let cap = Swift.min(maxOperations, TraceChoices.maxOperations)
        return Generator(label: "trace") { tc in
            let arena = try drawArena(tc, profile: profile)
            // Room for a typical input's steps at once: growing by appends
            // cost several heap allocations per input (each one under ASan
            // records a stack and goes through its quarantine).
            var scope = Scope(capacity: Swift.min(cap, 64))
            var operations: [Operation] = []
            operations.reserveCapacity(Swift.min(cap, 64))
            while operations.count < cap {
                // One span per step, so the shrinker deletes whole steps.
                let count = operations.count
                let step = try tc.draw(label: "trace.step") { tc -> Operation? in
                    let raw = try tc.drawInteger(profile.tagChoice) { random in
                        randomTag(profile, arena: arena, scope: scope, stepsSoFar: count, injecting: injectingFailures, &random)
                    }
                    guard raw != 0 else { return nil }
                    let tag = profile.tags[Int(raw) - 1]
                    return try drawOperation(tag, profile: profile, arena: arena, scope: scope, step: count + 1, tc)
                }
                guard let operation = step else { break }
                scope.apply(operation, step: operations.count + 1)
                operations.append(operation)
            }
            return Trace(arena: arena, operations: operations)
        }
    }

    private static func drawArena(_ tc: TestCase, profile: Profile) throws -> Arena {
        let pageCount = Int(try tc.drawInteger(TraceChoices.pageCount) { random in
            // Mostly small arenas (bugs show sooner), sometimes up to the maximum.
            random.chance(0.7) ? Int64(16 + random.below(inclusive: 240)) : Int64(8 + random.below(inclusive: 1016))
        })
        let options = try tc.drawInteger(TraceChoices.arenaOptions) { random in
            // The hole count as the engine draws a choice of 0...2 on its own
            // (the simplest value and the bounds boosted), written out so that
            // profiles without kmalloc draw exactly the arenas they drew
            // before the choice held kmalloc debug options.
            let holes = random.chance(0.1) ? [0, 0, 2][Int(random.below(inclusive: 2))] : Int64(random.below(inclusive: 2))
            // The kmalloc profile gives its kmalloc classes debug options in
            // about one trace of five (Z, the red zones an overflow misuse
            // writes into, in half of those): without them no trace reaches
            // the kmalloc red zone. The mixed profile keeps its arenas (the
            // page defects' searches are tuned on them).
            guard profile == .kmalloc, random.chance(0.2) else { return holes }
            return holes + 3 * Int64(1 + random.below(inclusive: 14))
        }
        let holes = Int(options % Int64(Arena.maxHoles + 1))
        var reserved: [Range<Int>] = []
        for _ in 0..<holes {
            let start = Int(try tc.drawInteger(TraceChoices.holeStart) { random in
                Int64(random.below(inclusive: UInt64(pageCount - 1)))
            }) % pageCount
            let length = Int(try tc.drawInteger(TraceChoices.holeLength))
            reserved.append(start..<Swift.min(pageCount, start + length))
        }
        return Arena(pageCount: pageCount, reserved: reserved,
                     kmallocDebug: SlabDebugOptions(rawValue: UInt8(options / Int64(Arena.maxHoles + 1))))
    }

    static func drawOperation(_ tag: Tag, profile: Profile, arena: Arena, scope: Scope, step: Int,
                                      _ tc: TestCase) throws -> Operation {
        // Random search draws a reference below the number of candidates: the
        // same choice of handle as any byte (which wraps around), but a value
        // the shrinker can lower without meeting the wrap's period (27 and 3
        // name the same of four caches; 4 to 26 name others).
        func reference(_ candidates: Scope.Candidates) throws -> Handle {
            let count = candidates.count
            return candidates.pick(Int(try tc.drawInteger(TraceChoices.reference) { random in
                // Allocations mostly from the newest cache, so that one cache grows several slabs.
                if tag == .cacheAlloc && random.chance(0.7) { return 0 }
                return Int64(random.below(inclusive: UInt64(Swift.min(count, 256) - 1)))
            }))
        }
        let classes = tag.referenceMask
        if classes != 0 {
            let candidates = tag.namesFreed ? scope.freedCandidates(classes) : scope.liveCandidates(classes)
            if candidates.isEmpty {
                return try drawOperation(tag.replacement(in: profile), profile: profile, arena: arena, scope: scope,
                                         step: step, tc)
            }
        }
        switch tag {
        case .end: preconditionFailure("the end tag is not an operation")
        case .allocPages: return .allocPages(order: Int(try tc.drawInteger(TraceChoices.order, random: randomOrder)))
        case .freePages: return .freePages(try reference(scope.liveCandidates(classes)))
        case .allocPagesExact: return .allocPagesExact(size: Int(try tc.drawInteger(TraceChoices.size, random: randomPageSize)))
        case .freePagesExact: return .freePagesExact(try reference(scope.liveCandidates(classes)))
        case .cacheCreate:
            let size = Int(try tc.drawInteger(TraceChoices.objectSize) { randomObjectSize(&$0, fewPerSlab: profile != .mixed) })
            let options = CacheOptions(choice: Int(try tc.drawInteger(TraceChoices.cacheOptions, random: randomCacheOptions)))
            return .cacheCreate(objectSize: size, options: options)
        case .cacheAlloc, .cacheFree, .cacheShrink, .cacheDestroy, .cacheValidate, .kfree, .ksize:
            let target = try reference(scope.liveCandidates(classes))
            switch tag {
            case .cacheAlloc: return .cacheAlloc(target)
            case .cacheFree: return .cacheFree(target)
            case .cacheShrink: return .cacheShrink(target)
            case .cacheDestroy: return .cacheDestroy(target)
            case .cacheValidate: return .cacheValidate(target)
            case .kfree: return .kfree(target)
            default: return .ksize(target)
            }
        case .kmalloc: return .kmalloc(size: Int(try tc.drawInteger(TraceChoices.size) { randomKmallocSize(&$0, fewPerSlab: profile != .mixed) }))
        case .doubleFree: return .misuse(.doubleFree(try reference(scope.freedCandidates(classes))))
        case .writeAfterFree: return .misuse(.writeAfterFree(try reference(scope.freedCandidates(classes))))
        case .writeAfterFreeThenAllocate:
            return .misuse(.writeAfterFreeThenAllocate(try reference(scope.freedCandidates(classes))))
        case .ksizeFreed: return .misuse(.ksizeFreed(try reference(scope.freedCandidates(classes))))
        case .writeLiveLinkAfterFree, .writeLiveLinkThenAllocate:
            // The value is a live object: with none, one is allocated (or its cache created).
            let objects = scope.liveCandidates(HandleClass.object.bit)
            if objects.isEmpty {
                return try drawOperation(.cacheAlloc, profile: profile, arena: arena, scope: scope, step: step, tc)
            }
            // Random search mostly names a freed object of a live cache whose
            // first word is the free pointer as it is (where the misuse
            // applies), and a live object of its cache allocated nearest it
            // (likely in its slab, where only the check that a free pointer
            // names an object not handed out finds the write).
            let freed = scope.freedCandidates(classes)
            let object = freed.pick(Int(try tc.drawInteger(TraceChoices.reference) { random in
                let count = Swift.min(freed.count, 256)
                let fitting = (0..<count).filter { choice in
                    scope.cacheStep(of: freed.pick(choice)).map(scope.isLiveCacheWithPlainFreePointer) ?? false
                }
                if fitting.isEmpty || random.chance(0.3) { return Int64(random.below(inclusive: UInt64(count - 1))) }
                return Int64(fitting[Int(random.below(inclusive: UInt64(fitting.count - 1)))])
            }))
            let value = objects.pick(Int(try tc.drawInteger(TraceChoices.reference) { random in
                let count = Swift.min(objects.count, 256)
                let cache = scope.cacheStep(of: object)
                let sameCache = (0..<count).filter { scope.cacheStep(of: objects.pick($0)) == cache }
                if sameCache.isEmpty || random.chance(0.2) { return Int64(random.below(inclusive: UInt64(count - 1))) }
                let distance = { (choice: Int) in abs(objects.pick(choice).step - object.step) }
                return Int64(sameCache.min { distance($0) < distance($1) }!)
            }))
            return .misuse(tag == .writeLiveLinkAfterFree ? .writeLiveLinkAfterFree(object, value: value)
                           : .writeLiveLinkThenAllocate(object, value: value))
        case .cacheShrinkAll: return .cacheShrinkAll
        case .misalignedPointer:
            let target = try reference(scope.liveCandidates(classes))
            let offset = Int(try tc.drawInteger(TraceChoices.misalignment) { random in
                // Random search mostly names single bits (a wrong page mask
                // misses exactly the offsets made of the bits it drops), the
                // top one, half a page, most often; any byte now and then.
                let bits = Int64(Arena.pageSize.trailingZeroBitCount)
                switch random.below(inclusive: 3) {
                case 0: return Int64(Arena.pageSize / 2)
                case 1, 2: return 1 << Int64(random.below(inclusive: UInt64(bits - 1)))
                default: return 1 + Int64(random.below(inclusive: UInt64(Arena.pageSize - 2)))
                }
            })
            return .misuse(.misaligned(target, offset: offset))
        case .underflow:
            let target = try reference(scope.liveCandidates(classes))
            let before = Int(try tc.drawInteger(TraceChoices.underflowBefore) { random in
                // Random search aims at the left red zone's edges: the byte
                // just before the object, and the zone's first byte (a word,
                // or the cache's alignment when larger); anywhere inside now and then.
                let alignment = scope.cacheStep(of: target).flatMap { scope.liveCacheOptions($0) }?.alignment ?? 8
                let zone = Int64(Swift.max(alignment, 8))
                switch random.below(inclusive: 3) {
                case 0, 1: return 1
                case 2: return zone
                default: return 1 + Int64(random.below(inclusive: UInt64(zone - 1)))
                }
            })
            return .misuse(.underflow(target, before: before))
        case .ksizeInterior:
            let target = try reference(scope.liveCandidates(classes))
            return .misuse(.ksizeInterior(target, offset: Int(try tc.drawInteger(TraceChoices.offset))))
        case .interiorPointer:
            let target = try reference(scope.liveCandidates(classes))
            let units = Int(try tc.drawInteger(TraceChoices.offset))
            return .misuse(.interiorPointer(target, offset: units * offsetUnit(tag, target)))
        case .largeInteriorPointer:
            // Random search names a large block when one is live (any
            // kmalloc pointer when none is: a no-op) and a page inside it.
            let candidates = scope.liveCandidates(classes)
            let target = candidates.pick(Int(try tc.drawInteger(TraceChoices.reference) { random in
                var large: [Int64] = []
                for choice in 0..<Swift.min(candidates.count, 256) where scope.isLargeKmalloc(candidates.pick(choice)) {
                    large.append(Int64(choice))
                }
                if large.isEmpty { return Int64(random.below(inclusive: UInt64(Swift.min(candidates.count, 256) - 1))) }
                return large[Int(random.below(inclusive: UInt64(large.count - 1)))]
            }))
            let pages = Int(try tc.drawInteger(TraceChoices.offset) { random in
                let blockPages = 1 << getOrder(scope.size(of: target))
                let last = Swift.min(blockPages - 1, Int(TraceChoices.offset.max))
                return last < 1 ? 1 : Int64(1 + random.below(inclusive: UInt64(last - 1)))
            })
            return .misuse(.interiorPointer(target, offset: pages * offsetUnit(tag, target)))
        case .wrongOrder:
            let target = try reference(scope.liveCandidates(classes))
            return .misuse(.wrongOrder(target, order: Int(try tc.drawInteger(TraceChoices.order))))
        case .wrongSize:
            let target = try reference(scope.liveCandidates(classes))
            return .misuse(.wrongSize(target, size: Int(try tc.drawInteger(TraceChoices.size) { random in
                // Half the time a size near the target's own: one page more
                // or fewer, or another page count of the same order (a free
                // that compares orders instead of page counts takes it).
                random.chance(0.5) ? randomNearbySize(scope.size(of: target), &random) : randomPageSize(&random)
            })))
        case .wrongCache:
            let caches = scope.liveCandidates(HandleClass.cache.bit)
            if caches.isEmpty {
                return try drawOperation(.cacheCreate, profile: profile, arena: arena, scope: scope, step: step, tc)
            }
            let target = try reference(scope.liveCandidates(classes))
            return .misuse(.wrongCache(target, cache: try reference(caches)))
        case .wrongFreeFunction: return .misuse(.wrongFreeFunction(try reference(scope.liveCandidates(classes))))
        case .foreignAddress:
            var function = FreeFunction(rawValue: Int(try tc.drawInteger(TraceChoices.function)))!
            let caches = scope.liveCandidates(HandleClass.cache.bit)
            if function == .cacheFree && caches.isEmpty { function = .kfree }
            let cache = function == .cacheFree ? try reference(caches) : nil
            return .misuse(.foreignAddress(function, cache: cache))
        case .reservedPage:
            if arena.reserved.isEmpty {
                return try drawOperation(profile.fallback, profile: profile, arena: arena, scope: scope, step: step, tc)
            }
            let function: FreeFunction = try tc.drawBoolean() ? .freePagesExact : .freePages
            let hole = Int(try tc.drawInteger(TraceChoices.reference) { random in
                Int64(random.below(inclusive: UInt64(arena.reserved.count - 1)))
            }) % arena.reserved.count
            return .misuse(.reservedPage(function, hole: hole))
        case .slabPage: return .misuse(.slabPage(try reference(scope.liveCandidates(classes))))
        case .overflow: return .misuse(.overflow(try reference(scope.liveCandidates(classes))))
        case .kmallocOverflow:
            let target = try reference(scope.liveCandidates(classes))
            let past = Int(try tc.drawInteger(TraceChoices.overflowPast) { random in
                // Random search aims at the red zones' edges: the last byte of
                // the kmalloc red zone (a check that stops one byte early
                // misses only it), the first past the request, the first of
                // the right red zone; anywhere inside now and then.
                let size = scope.size(of: target)
                guard size > 0, let sizeClass = SlabAllocator.standardKmallocClasses.first(where: { $0 >= size }) else { return 1 }
                let zone = Int64(sizeClass - size)
                switch random.below(inclusive: 3) {
                case 0: return Swift.max(1, zone)
                case 1: return 1
                case 2: return zone + 1
                default: return 1 + Int64(random.below(inclusive: UInt64(zone)))
                }
            })
            return .misuse(.kmallocOverflow(target, past: past))
        case .injectedFailure:
            // Which allocation: a choice only where the profile has several.
            let kinds = profile.allocationTags
            let kind = kinds.count == 1 ? kinds[0]
                : kinds[Int(try tc.drawInteger(IntegerConstraints(min: 0, max: Int64(kinds.count - 1))))]
            let call = try drawOperation(kind, profile: profile, arena: arena, scope: scope, step: step, tc)
            // A cache allocation with no cache live became the cache's creation: no allocation to fail.
            return call.produces == nil || call.produces == .cache ? call : .injectedFailure(call)
        }
    }

    /// Interior-pointer offsets count pages for page allocations and under
    /// `largeInteriorPointer` (a kmalloc pointer's whole pages), bytes for
    /// objects and kmalloc pointers under `interiorPointer`.
    static func offsetUnit(_ tag: Tag, _ target: Handle) -> Int {
        tag == .largeInteriorPointer || target.kind == .pages || target.kind == .exact ? Arena.pageSize : 1
    }

    /// Whether `kmalloc(size)` is served as a whole page block (a size above
    /// the largest kmalloc class, up to the largest block). Random search
    /// only: it chooses which handle a draw names, never what a choice means.
    static func isLargeKmallocSize(_ size: Int) -> Bool {
        size > SlabAllocator.standardKmallocClasses.last! && size <= Arena.largestBlockBytes
    }
}

// MARK: Search-phase distributions (they choose values, never their meaning)

/// The tag of a random step: allocations and frees in proportion to what is
/// live, misuse now and then, the end once the trace is long enough.
private func randomTag(_ profile: Profile, arena: Arena, scope: Scope, stepsSoFar: Int, injecting: Bool,
                       _ random: inout RandomSource) -> Int64 {
    let live = scope.live
    // About 30 steps on average, at most 100 while searching.
    if stepsSoFar >= 100 || random.chance(1.0 / 30) { return 0 }
    var weights: [(Tag, Int)] = []
    for tag in profile.tags {
        let weight: Int
        let canFree = live.contains { tag.referenceClasses.contains($0.kind) }
        switch tag {
        case .allocPages, .allocPagesExact, .kmalloc, .cacheAlloc: weight = 10
        case .freePages, .freePagesExact: weight = canFree ? 9 : 1
        // Object frees are rarer over the first steps and commoner after: a
        // trace builds up live objects (several slabs per cache), then gives
        // them back (slabs emptied). Page frees keep their weight: the page
        // suites' shortest failures are an allocation and its free.
        case .kfree, .cacheFree: weight = canFree ? (stepsSoFar < 15 ? 2 : 14) : 1
        case .cacheCreate: weight = 3
        // Off unless asked for, so the suites' random traces stay as they were.
        case .injectedFailure: weight = injecting ? 2 : 0
        case .ksize, .cacheShrink, .cacheDestroy, .cacheValidate: weight = 2
        // Only while a large kmalloc block is live (no other handle can take
        // it); with none the weights, hence the random traces, are as before.
        case .largeInteriorPointer: weight = live.contains(where: scope.isLargeKmalloc) ? 2 : 0
        // Only where it can apply (the kmalloc classes have red zones): without
        // them the weights, hence the random traces, are as before.
        case .kmallocOverflow:
            weight = arena.kmallocDebug.contains(.redZone) && live.contains(where: { $0.kind == .kmalloc }) ? 3 : 0
        // The forms appended since, each only where it can name what it
        // needs, so that a trace keeps its draws until then: a freed kmalloc
        // pointer; a freed object and a live one; something freed into a
        // slab (a shrink finds empty slabs only after frees).
        case .ksizeFreed: weight = scope.freed.contains { $0.kind == .kmalloc } ? 1 : 0
        case .writeLiveLinkAfterFree, .writeLiveLinkThenAllocate:
            weight = scope.freed.contains { $0.kind == .object } && live.contains { $0.kind == .object } ? 1 : 0
        case .cacheShrinkAll: weight = scope.freed.contains { $0.kind == .object || $0.kind == .kmalloc } ? 2 : 0
        case .misalignedPointer: weight = live.contains { $0.kind == .pages || $0.kind == .exact } ? 1 : 0
        // Only where it applies (a live object of a red-zoned cache, or a
        // kmalloc pointer of red-zoned classes): elsewhere the weights, hence
        // the random traces, are as before.
        case .underflow:
            weight = live.contains { handle in
                handle.kind == .object && scope.cacheStep(of: handle).flatMap(scope.liveCacheOptions)?.debug.contains(.redZone) == true
            } || arena.kmallocDebug.contains(.redZone) && live.contains { $0.kind == .kmalloc } ? 1 : 0
        default: weight = 1
        }
        weights.append((tag, weight))
    }
    let total = UInt64(weights.reduce(0) { $0 + $1.1 })
    var ticket = random.below(inclusive: total - 1)
    for (index, (_, weight)) in weights.enumerated() {
        if ticket < UInt64(weight) { return Int64(index + 1) }
        ticket -= UInt64(weight)
    }
    return 1
}

/// Orders: mostly small (P(k) = 2^-(k+1)), as real callers ask.
private func randomOrder(_ random: inout RandomSource) -> Int64 {
    var order: Int64 = 0
    while order < Int64(Arena.topOrder), random.chance(0.5) { order += 1 }
    return order
}

/// Byte sizes spread over every page count, with page-boundary neighbours.
private func randomPageSize(_ random: inout RandomSource) -> Int64 {
    let pages = Int64(1) << Int64(randomOrder(&random))
    let base = Int64(random.below(inclusive: UInt64(pages))) * Int64(Arena.pageSize)
    let roll = random.below(inclusive: 9)
    if roll == 0 { return 0 }
    if roll == 1 { return Int64(Arena.largestBlockBytes) + Int64(random.below(inclusive: 1)) }
    return Swift.max(1, base + Int64(random.below(inclusive: 2)) - 1)
}

/// A byte size near `size` (an exact allocation's): a page count one more
/// or one fewer, or another page count of the same order, each a whole
/// number of pages or a byte past one.
private func randomNearbySize(_ size: Int, _ random: inout RandomSource) -> Int64 {
    let page = Arena.pageSize
    let pages = Swift.max(1, (size + page - 1) / page)
    let order = getOrder(size)
    var other: Int
    // Same order: more than half the block's pages, up to all of them (from
    // order 2, where the order holds another page count).
    if order >= 2 && random.chance(0.5) {
        let low = (1 << (order - 1)) + 1
        other = low + Int(random.below(inclusive: UInt64((1 << order) - low)))
        if other == pages { other = other == 1 << order ? low : other + 1 }
    } else {
        other = pages == 1 || random.chance(0.5) ? pages + 1 : pages - 1
    }
    let bytes = other * page - (random.chance(0.5) ? 0 : Int(random.below(inclusive: UInt64(page - 1))))
    return Int64(Swift.min(Swift.max(1, bytes), Int(TraceChoices.size.max)))
}

/// The order of the smallest block holding `size` bytes (the kernel's get_order).
private func getOrder(_ size: Int) -> Int {
    var order = 0
    while Arena.pageSize << order < size { order += 1 }
    return order
}

/// kmalloc sizes: mostly the size-class range with its edges, sometimes
/// large, and (`fewPerSlab`) often the largest classes (a few objects per
/// slab, so that a class holds several slabs within a short trace). The
/// mixed profile keeps the plain distribution: there slabs taking pages in
/// blocks of order 1 and up change which page failures a search meets first,
/// and the page defects' shortest failures are page operations alone.
private func randomKmallocSize(_ random: inout RandomSource, fewPerSlab: Bool) -> Int64 {
    let classes = SlabAllocator.standardKmallocClasses
    if random.chance(0.15) { return randomPageSize(&random) }
    if fewPerSlab && random.chance(0.3) { return Int64(4097 + random.below(inclusive: 8192 - 4097)) }
    let edge = Int64(classes[Int(random.below(inclusive: UInt64(classes.count - 1)))])
    switch random.below(inclusive: 3) {
    case 0: return edge
    case 1: return edge + 1
    default: return Int64(1 + random.below(inclusive: UInt64(edge - 1)))
    }
}

/// Object sizes: mostly small, but often so large (2 KiB to 8 KiB) that a
/// slab holds only a few objects, so that a short trace fills slabs, empties
/// them and makes a cache hold several (the list moves, the empty slabs kept
/// and given back, a shrink or destroy with slabs on every list); not in
/// the mixed profile (see `randomKmallocSize`).
private func randomObjectSize(_ random: inout RandomSource, fewPerSlab: Bool) -> Int64 {
    if random.chance(0.05) { return 0 }
    if fewPerSlab && random.chance(0.4) { return Int64(2049 + random.below(inclusive: 8192 - 2049)) }
    return Int64(1 + random.below(inclusive: UInt64(random.chance(0.8) ? 700 : 8191)))
}

/// Cache options: often none (the slab layer's inlined fast path, which
/// serves only caches without debug options or hardening, and only in
/// builds without AddressSanitizer) or a hardened free list alone (its own
/// fast path), otherwise any combination. Uniform over all 32, a trace would
/// put one cache in 32 on the fast path; more plain caches than this leave
/// too few with red zones for the overflow misuse. The alignment is the
/// default in three caches of four, any other in the rest.
private func randomCacheOptions(_ random: inout RandomSource) -> Int64 {
    var choice: Int64
    if random.chance(0.25) {
        choice = 0
    } else if random.chance(0.13) {
        choice = Int64(CacheOptions.hardenedBit)
    } else {
        choice = Int64(random.below(inclusive: 31))
    }
    if random.chance(0.25) { choice |= Int64(1 + random.below(inclusive: 6)) << 5 }
    return choice
}

extension Arena {
    /// The byte format's choice of the hole count and the kmalloc debug
    /// options: holes + 3 * the debug letters' bits (F 1, Z 2, P 4, U 8).
    /// Every value up to 2 is a hole count without options, as before the
    /// options were added.
    var optionsChoice: Int { reserved.count + (Arena.maxHoles + 1) * Int(kmallocDebug.rawValue) }
}

extension CacheOptions {
    static let hardenedBit = 16

    /// The byte format's cache-options choice: the debug letters' bits, 16
    /// for a hardened free list, 32 * log2(alignment / 8). Every value up to
    /// 31 is an alignment of 8, as before alignments were added.
    var choice: Int {
        Int(debug.rawValue) | (hardened ? Self.hardenedBit : 0) | (alignment / 8).trailingZeroBitCount << 5
    }

    init(choice: Int) {
        self.init(debug: SlabDebugOptions(rawValue: UInt8(choice & 15)), hardened: choice & Self.hardenedBit != 0,
                  alignment: 8 << (choice >> 5))
    }
}

// MARK: Encoding

extension Trace {
    /// Why a trace cannot be encoded: it names a handle that is not live (or
    /// not freed, for a double free) at that step, or a value out of range.
    public struct EncodingError: Error, Equatable, CustomStringConvertible, Sendable {
        public let step: Int
        public let reason: String
        public var description: String { "step \(step): \(reason)" }
    }

    /// The choice values the generator of `profile` would read to produce this trace.
    public func choiceValues(profile: Profile = .mixed) throws(EncodingError) -> [ChoiceValue] {
        try encoded(profile: profile).values
    }

    /// `choiceValues(profile:)` and where each step's choices start in them:
    /// `stepStarts[k]` for step `k` (0-based), and `stepStarts[operations.count]`
    /// where the end tag is (or would be, for a trace of the most operations).
    func encoded(profile: Profile) throws(EncodingError) -> (values: [ChoiceValue], stepStarts: [Int]) {
        var out: [ChoiceValue] = []
        var starts: [Int] = []
        starts.reserveCapacity(operations.count + 1)
        func int(_ value: Int, _ c: IntegerConstraints, step: Int, _ what: String) throws(EncodingError) {
            guard c.contains(Int64(value)) else {
                throw EncodingError(step: step, reason: "\(what) \(value) is outside \(c.min)...\(c.max)")
            }
            out.append(.integer(Int64(value)))
        }
        try int(arena.pageCount, TraceChoices.pageCount, step: 0, "page count")
        guard arena.reserved.count <= Arena.maxHoles else {
            throw EncodingError(step: 0, reason: "number of reserved ranges \(arena.reserved.count) is outside 0...\(Arena.maxHoles)")
        }
        guard arena.kmallocDebug.rawValue < 16 else {
            throw EncodingError(step: 0, reason: "kmalloc debug options \(arena.kmallocDebug.rawValue) are not SLUB's letters FZPU")
        }
        try int(arena.optionsChoice, TraceChoices.arenaOptions, step: 0, "arena options")
        for hole in arena.reserved {
            guard hole.lowerBound < arena.pageCount, !hole.isEmpty, hole.upperBound <= arena.pageCount else {
                throw EncodingError(step: 0, reason: "reserved range \(hole) is not inside the \(arena.pageCount)-page arena")
            }
            try int(hole.lowerBound, TraceChoices.holeStart, step: 0, "reserved range start")
            let length = hole.count
            // A hole clipped at the arena's end may have been drawn longer; the shortest draw is canonical.
            try int(length, TraceChoices.holeLength, step: 0, "reserved range length")
        }
        guard operations.count <= TraceChoices.maxOperations else {
            throw EncodingError(step: TraceChoices.maxOperations + 1, reason: "a trace has at most \(TraceChoices.maxOperations) operations")
        }
        var scope = Scope()
        for (index, operation) in operations.enumerated() {
            let step = index + 1
            starts.append(out.count)
            let tag = Tag(operation)
            guard let position = profile.tags.firstIndex(of: tag) else {
                throw EncodingError(step: step, reason: "\(tag.name) is not an operation of the \(profile.name) profile")
            }
            out.append(.integer(Int64(position + 1)))
            var operation = operation
            if case .injectedFailure(let call) = operation {
                let kinds = profile.allocationTags
                guard let kind = kinds.firstIndex(of: Tag(call)), call.produces != .cache else {
                    throw EncodingError(step: step, reason: "fault injection fails allocations, not \(Tag(call).name)")
                }
                if kinds.count > 1 { out.append(.integer(Int64(kind))) }
                operation = call
            }
            func ref(_ handle: Handle, among classes: Set<HandleClass>, freed: Bool = false) throws(EncodingError) {
                let candidates = freed ? scope.freed.filter { classes.contains($0.kind) } : scope.live(classes)
                guard classes.contains(handle.kind), let choice = Scope.choice(for: handle, in: candidates) else {
                    throw EncodingError(step: step, reason: "\(handle) is not \(freed ? "a freed allocation" : "live") here")
                }
                out.append(.integer(Int64(choice)))
            }
            switch operation {
            case .allocPages(let order): try int(order, TraceChoices.order, step: step, "order")
            case .freePages(let h): try ref(h, among: [.pages])
            case .allocPagesExact(let size): try int(size, TraceChoices.size, step: step, "size")
            case .freePagesExact(let h): try ref(h, among: [.exact])
            case .cacheCreate(let size, let options):
                try int(size, TraceChoices.objectSize, step: step, "object size")
                guard CacheOptions.isAlignment(options.alignment) else {
                    throw EncodingError(step: step, reason: "alignment \(options.alignment) is not a power of two in "
                                        + "\(CacheOptions.alignments.lowerBound)...\(CacheOptions.alignments.upperBound)")
                }
                try int(options.choice, TraceChoices.cacheOptions, step: step, "cache options")
            case .cacheAlloc(let h), .cacheShrink(let h), .cacheDestroy(let h), .cacheValidate(let h):
                try ref(h, among: [.cache])
            case .cacheFree(let h): try ref(h, among: [.object])
            case .kmalloc(let size): try int(size, TraceChoices.size, step: step, "size")
            case .kfree(let h), .ksize(let h): try ref(h, among: [.kmalloc])
            case .cacheShrinkAll: break
            case .injectedFailure: preconditionFailure("unwrapped above")
            case .misuse(let misuse):
                switch misuse {
                case .doubleFree(let h), .writeAfterFree(let h), .writeAfterFreeThenAllocate(let h), .ksizeFreed(let h):
                    try ref(h, among: tag.referenceClasses, freed: true)
                case .writeLiveLinkAfterFree(let h, let value), .writeLiveLinkThenAllocate(let h, let value):
                    try ref(h, among: tag.referenceClasses, freed: true)
                    try ref(value, among: [.object])
                case .ksizeInterior(let h, let offset):
                    try ref(h, among: tag.referenceClasses)
                    try int(offset, TraceChoices.offset, step: step, "offset")
                case .interiorPointer(let h, let offset):
                    try ref(h, among: tag.referenceClasses)
                    let unit = Trace.offsetUnit(tag, h)
                    guard offset % unit == 0 else {
                        throw EncodingError(step: step, reason: "offset \(offset) into \(h) is not "
                                            + (h.kind == .kmalloc ? "1 to 255 bytes or " : "") + "a whole number of pages")
                    }
                    try int(offset / unit, TraceChoices.offset, step: step, unit == 1 ? "offset" : "offset in pages")
                case .wrongOrder(let h, let order):
                    try ref(h, among: tag.referenceClasses)
                    try int(order, TraceChoices.order, step: step, "order")
                case .wrongSize(let h, let size):
                    try ref(h, among: tag.referenceClasses)
                    try int(size, TraceChoices.size, step: step, "size")
                case .wrongCache(let h, let cache):
                    try ref(h, among: tag.referenceClasses)
                    try ref(cache, among: [.cache])
                case .wrongFreeFunction(let h), .slabPage(let h), .overflow(let h): try ref(h, among: tag.referenceClasses)
                case .kmallocOverflow(let h, let past):
                    try ref(h, among: tag.referenceClasses)
                    try int(past, TraceChoices.overflowPast, step: step, "overflow")
                case .misaligned(let h, let offset):
                    try ref(h, among: tag.referenceClasses)
                    try int(offset, TraceChoices.misalignment, step: step, "offset")
                case .underflow(let h, let before):
                    try ref(h, among: tag.referenceClasses)
                    try int(before, TraceChoices.underflowBefore, step: step, "underflow")
                case .foreignAddress(let function, let cache):
                    out.append(.integer(Int64(function.rawValue)))
                    if function == .cacheFree {
                        guard let cache else { throw EncodingError(step: step, reason: "cache_free needs a cache") }
                        try ref(cache, among: [.cache])
                    }
                case .reservedPage(let function, let hole):
                    guard function == .freePages || function == .freePagesExact else {
                        throw EncodingError(step: step, reason: "reserved_page misuse calls free_pages or free_pages_exact")
                    }
                    guard hole >= 0, hole < arena.reserved.count else {
                        throw EncodingError(step: step, reason: "the arena has no reserved range \(hole)")
                    }
                    out.append(.boolean(function == .freePagesExact))
                    out.append(.integer(Int64(hole)))
                }
            }
            scope.apply(operations[index], step: step)
        }
        starts.append(out.count)
        if operations.count < TraceChoices.maxOperations { out.append(.integer(Tag.end.rawValue)) }
        return (out, starts)
    }

    /// The trace in the engine's byte format for `profile` (a fuzz target's
    /// input, a replay string's payload, a saved regression). The mixed
    /// profile's bytes hold every operation.
    public func bytes(profile: Profile = .mixed) throws(EncodingError) -> [UInt8] {
        let values = try choiceValues(profile: profile)
        let tc = TestCase(replaying: values)
        _ = try? tc.draw(Trace.generator(profile))
        return tc.sequence.bytes
    }

    /// `bytes(profile:)` without its trailing zero bytes, which decoding reads
    /// anyway: the shortest input that replays the trace (what a minimised
    /// crash is written as). Whole records with their zeros, as dictionaries
    /// need, come from `bytes(profile:)`.
    public func shortestBytes(profile: Profile = .mixed) throws(EncodingError) -> [UInt8] {
        var bytes = try bytes(profile: profile)
        while bytes.last == 0 { bytes.removeLast() }
        return bytes
    }

    /// Decodes any bytes (missing bytes read as zeros, which end the trace).
    public static func decode(_ bytes: [UInt8], profile: Profile = .mixed) -> Trace {
        // Decoding bytes never throws: it cannot overrun or reject.
        (try? Trace.generator(profile).value(fromBytes: bytes)) ?? Trace()
    }
}
