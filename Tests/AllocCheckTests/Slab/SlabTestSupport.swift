import Invariants
import Testing
@testable import AllocCheck

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
