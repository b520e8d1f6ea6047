import Invariants
import Testing
@testable import AllocCheck

/// SplitMix64: a tiny seeded generator, so every randomized slab test repeats exactly.
struct SlabSplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

enum SlabFixture {
    /// A slab layer over a fresh arena of `pageCount` pages.
    static func layer(pageCount: Int = 512, kmallocDebug: SlabDebugOptions = []) throws -> SlabAllocator {
        try SlabAllocator(pageAllocator: PageAllocator(pageCount: pageCount), kmallocDebug: kmallocDebug)
    }
}

/// Expects every invariant (page level and slab ownership) to hold.
func expectSound(_ layer: SlabAllocator, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    let violations = InvariantSuite.checkAll(layer.snapshot())
    #expect(violations.isEmpty, "\(context): \(violations.prefix(5).map(\.description))", sourceLocation: sourceLocation)
}

/// Runs `body`, expects it to throw exactly `expected`, and checks that the
/// layer's snapshot (pages, slabs, free chains, live objects) did not change.
func expectRefused(
    _ expected: SlabError, _ layer: SlabAllocator, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(SlabError) -> Void
) {
    let before = layer.snapshot()
    var thrown: SlabError?
    do { try body() } catch { thrown = error }
    #expect(thrown == expected, sourceLocation: sourceLocation)
    let after = layer.snapshot()
    #expect(before == after, "changed: \(firstDifference(before, after) ?? "")", sourceLocation: sourceLocation)
}

extension UnsafeMutableRawPointer {
    var address: UInt { UInt(bitPattern: self) }
}
