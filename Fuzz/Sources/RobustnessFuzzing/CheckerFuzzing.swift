// What the `checkers` fuzz target runs: the invariant checkers over any
// snapshot the engine can decode from the input, extreme values included.
//
// Two kinds of snapshot: one invented field by field, and a real allocator's
// after a few operations with a few fields then overwritten (garbage alone
// rarely gets past the checkers' first guards; a corrupted real snapshot
// reaches their deep paths). The oracle: every checker returns, lists at most
// `limit` violations plus one summary line, names only its own invariant, and
// finds nothing in a real snapshot that was not overwritten.

import AllocCheck
import Invariants
import PropertyTesting

public enum CheckerFuzzing {
    /// The limit every checker runs with.
    static let limit = 4

    /// Values that break naive arithmetic, besides small ones.
    static let extremes: [Int] = [
        .min, .min + 1, Int(Int32.min), -4096, -2, -1, 0, 1, 2, 3, 8, 63, 64, 1024, 4095, 4096, 4097,
        1 << 30, 1 << 40, 1 << 62, Int(Int32.max), .max - 1, .max,
    ]

    /// Any integer, with the extremes and small values likely.
    static let anyInt: Generator<Int> = Gen.oneOf(Gen.ints(in: -2...70), Gen.element(of: extremes), Gen.ints())

    static let pageKinds: [PageKind] = [.free, .allocated, .exact, .tail, .reserved]

    /// A snapshot to check, and whether it must be sound (a real allocator's, untouched).
    public struct Input: Sendable {
        public var snapshot: AllocatorSnapshot
        public var mustBeSound: Bool
    }

    /// Every input the target decodes.
    public static let inputs: Generator<Input> = Gen.oneOf(corruptedReal, invented)

    /// Runs the checkers over the input that `bytes` decode to; a description
    /// of what went wrong, or nil. Inputs that do not decode (past a decoding
    /// limit) are skipped.
    public static func run(_ bytes: [UInt8]) -> String? {
        guard let input = try? inputs.value(fromBytes: bytes) else { return nil }
        return check(input)
    }

    public static func check(_ input: Input) -> String? {
        var total = 0
        for invariant in InvariantSuite.all {
            let violations = invariant.check(input.snapshot, limit: limit)
            if violations.count > limit + 1 {
                return "\(invariant.name) listed \(violations.count) violations with limit \(limit)"
            }
            if let stray = violations.first(where: { $0.invariant != invariant.name }) {
                return "\(invariant.name) reported a violation of \(stray.invariant): \(stray)"
            }
            total += violations.count
        }
        if input.mustBeSound && total > 0 {
            let all = InvariantSuite.checkAll(input.snapshot, limit: limit).map(\.description)
            return "a real allocator's snapshot, not overwritten, has violations: " + all.joined(separator: " | ")
        }
        return nil
    }

    // MARK: Invented snapshots

    static let invented: Generator<Input> = Generator(label: "invented") { tc in
        let pageCount = try tc.draw(Gen.ints(in: 0...80))
        var pages: [PageRecord] = []
        for _ in 0..<pageCount {
            pages.append(PageRecord(
                kind: try tc.draw(Gen.element(of: pageKinds)), order: UInt8(truncatingIfNeeded: try tc.draw(anyInt)),
                next: Int32(truncatingIfNeeded: try tc.draw(anyInt)), prev: Int32(truncatingIfNeeded: try tc.draw(anyInt)),
                slab: try tc.drawBoolean() ? Int32(truncatingIfNeeded: try tc.draw(anyInt)) : -1))
        }
        let lists = try tc.draw(Gen.arrays(of: Gen.zip(anyInt, anyInt, anyInt), count: 0...12)).map {
            FreeListRecord(head: Int32(truncatingIfNeeded: $0.0), tail: Int32(truncatingIfNeeded: $0.1), count: $0.2)
        }
        let exact = try tc.draw(Gen.arrays(of: Gen.zip(anyInt, anyInt), count: 0...4)).map {
            ExactAllocationRecord(pfn: $0.0, bytes: $0.1)
        }
        var caches: [SlabCacheRecord] = []
        for _ in 0..<(try tc.draw(Gen.ints(in: 0...3))) {
            caches.append(SlabCacheRecord(
                name: "c\(caches.count)", objectSize: try tc.draw(anyInt), stride: try tc.draw(anyInt),
                objectOffset: try tc.draw(anyInt), order: try tc.draw(anyInt), objectsPerSlab: try tc.draw(anyInt),
                isKmalloc: try tc.drawBoolean(), activeObjects: try tc.draw(anyInt),
                partialSlabs: try tc.draw(Gen.arrays(of: anyInt, count: 0...3)),
                fullSlabs: try tc.draw(Gen.arrays(of: anyInt, count: 0...3)),
                emptySlabs: try tc.draw(Gen.arrays(of: anyInt, count: 0...3))))
        }
        var slabs: [SlabRecord] = []
        for _ in 0..<(try tc.draw(Gen.ints(in: 0...4))) {
            slabs.append(SlabRecord(
                basePfn: try tc.draw(anyInt), order: try tc.draw(anyInt), cache: try tc.draw(anyInt),
                objects: try tc.draw(anyInt), stride: try tc.draw(anyInt), objectSize: try tc.draw(anyInt),
                inUse: try tc.draw(anyInt), freeChain: try tc.draw(Gen.arrays(of: anyInt, count: 0...6)),
                freeChainTerminated: try tc.drawBoolean()))
        }
        let live = try tc.draw(Gen.arrays(of: Gen.zip(anyInt, anyInt, Gen.optional(anyInt)), count: 0...6)).map {
            SlabObjectRecord(offset: $0.0, slab: $0.1, requestedBytes: $0.2)
        }
        let classes = try tc.draw(Gen.arrays(of: anyInt, count: 0...4)).sorted()
        let snapshot = AllocatorSnapshot(
            pageSize: try tc.draw(Gen.oneOf(Gen.just(4096), anyInt)), topOrder: try tc.draw(anyInt), pages: pages,
            freeLists: lists, exactAllocations: exact, freePageCount: try tc.draw(anyInt),
            slabLayer: SlabLayerSnapshot(caches: caches, slabs: slabs, liveObjects: live, kmallocClasses: classes))
        return Input(snapshot: snapshot, mustBeSound: false)
    }

    // MARK: A real allocator's snapshot, then overwritten

    static let corruptedReal: Generator<Input> = Generator(label: "real") { tc in
        let pageCount = try tc.draw(Gen.ints(in: 16...96))
        let hole = try tc.draw(Gen.ints(in: 0...pageCount))
        let withHole = try tc.drawBoolean()
        let reserved = withHole && hole + 2 <= pageCount ? [hole..<(hole + 2)] : []
        let topOrder = try tc.draw(Gen.ints(in: 0...6))
        guard let pages = try? PageAllocator(pageCount: pageCount, topOrder: topOrder, reserved: reserved),
              let layer = try? SlabAllocator(pageAllocator: pages)
        else { return Input(snapshot: AllocatorSnapshot(pageSize: 4096, topOrder: 0, pages: [], freeLists: [],
                                                        exactAllocations: [], freePageCount: 0), mustBeSound: false) }
        var blocks: [(UnsafeMutableRawPointer, Int)] = []
        var objects: [UnsafeMutableRawPointer] = []
        var caches: [SlabCacheID] = []
        for _ in 0..<(try tc.draw(Gen.ints(in: 0...24))) {
            switch try tc.draw(Gen.ints(in: 0...6)) {
            case 0:
                let order = try tc.draw(Gen.ints(in: 0...3))
                if let block = try? pages.allocPages(order: order) { blocks.append((block, order)) }
            case 1:
                let size = try tc.draw(Gen.ints(in: 1...(5 * 4096)))
                _ = try? pages.allocPagesExact(size)
            case 2:
                if !blocks.isEmpty {
                    let (block, order) = blocks.removeLast()
                    try? pages.freePages(block, order: order)
                }
            case 3:
                let size = try tc.draw(Gen.ints(in: 1...700))
                if let cache = try? layer.createCache(name: "c\(caches.count)", objectSize: size) { caches.append(cache) }
            case 4:
                // Draws happen outside `try?`, which would swallow a decoding limit.
                if !caches.isEmpty {
                    let cache = caches[try tc.draw(Gen.ints(in: 0...(caches.count - 1)))]
                    if let object = try? layer.allocate(cache) { objects.append(object) }
                }
            case 5:
                let size = try tc.draw(Gen.ints(in: 0...9000))
                if let object = try? layer.kmalloc(size) { objects.append(object) }
            default:
                if !objects.isEmpty { try? layer.kfree(objects.removeLast()) }
            }
        }
        var snapshot = layer.snapshot()
        let overwrites = try tc.draw(Gen.ints(in: 0...4))
        for _ in 0..<overwrites { try overwrite(&snapshot, tc) }
        return Input(snapshot: snapshot, mustBeSound: overwrites == 0)
    }

    /// Overwrites one field of `snapshot` with any integer.
    static func overwrite(_ s: inout AllocatorSnapshot, _ tc: TestCase) throws {
        func index(_ count: Int) throws -> Int? { count == 0 ? nil : try tc.draw(Gen.ints(in: 0...(count - 1))) }
        let value = try tc.draw(anyInt)
        let int32 = Int32(truncatingIfNeeded: value)
        switch try tc.draw(Gen.ints(in: 0...17)) {
        case 0: s.topOrder = value
        case 1: s.freePageCount = value
        case 2: s.pageSize = value
        case 3: if let i = try index(s.pages.count) { s.pages[i].order = UInt8(truncatingIfNeeded: value) }
        case 4: if let i = try index(s.pages.count) { s.pages[i].next = int32; s.pages[i].prev = int32 }
        case 5: if let i = try index(s.pages.count) { s.pages[i].slab = int32 }
        case 6: if let i = try index(s.pages.count) { s.pages[i].kind = pageKinds[abs(value % pageKinds.count)] }
        case 7: if let i = try index(s.freeLists.count) { s.freeLists[i].count = value; s.freeLists[i].head = int32 }
        case 8: if let i = try index(s.exactAllocations.count) { s.exactAllocations[i].bytes = value }
        case 9: if let i = try index(s.slabLayer.slabs.count) { s.slabLayer.slabs[i].basePfn = value }
        case 10: if let i = try index(s.slabLayer.slabs.count) { s.slabLayer.slabs[i].inUse = value }
        case 11: if let i = try index(s.slabLayer.slabs.count) { s.slabLayer.slabs[i].freeChain.append(value) }
        case 12: if let i = try index(s.slabLayer.slabs.count) { s.slabLayer.slabs[i].objects = value }
        case 13: if let i = try index(s.slabLayer.caches.count) { s.slabLayer.caches[i].objectOffset = value }
        case 14: if let i = try index(s.slabLayer.caches.count) { s.slabLayer.caches[i].stride = value }
        case 15: if let i = try index(s.slabLayer.caches.count) { s.slabLayer.caches[i].activeObjects = value }
        case 16: if let i = try index(s.slabLayer.liveObjects.count) { s.slabLayer.liveObjects[i].offset = value }
        default: if let i = try index(s.slabLayer.slabs.count) { s.slabLayer.slabs[i].order = value }
        }
    }
}
