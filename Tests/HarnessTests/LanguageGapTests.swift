@testable import Harness
import AllocCheck
import PropertyTesting
import Testing

/// Inputs the operation language could not express before the eleventh
/// review: a page block or exact allocation freed through an address off a
/// page boundary (`expect misaligned`).
@Suite struct LanguageGapTests {
    /// A free through a byte offset into a page allocation's first page is
    /// written, round-trips in text and bytes, and is refused as misaligned
    /// (half a page is what a page-offset mask one bit short accepts).
    @Test func aPageAllocationFreedOffAPageBoundary() throws {
        let text = "arena pages=64\np1 = alloc_pages order=1\ne2 = alloc_pages_exact size=12289\n"
            + "expect misaligned: free_pages p1 offset=2048\nexpect misaligned: free_pages_exact e2 offset=1\n"
            + "expect misaligned: free_pages p1 offset=4095\nfree_pages p1\nfree_pages_exact e2\n"
        let trace = try Trace(parsing: text)
        #expect(trace.text == text)
        #expect(trace.operations[2] == .misuse(.misaligned(Handle(.pages, 1), offset: 2048)))
        for profile in [Profile.exact, .mixed] {
            #expect(Trace.decode(try trace.bytes(profile: profile), profile: profile) == trace)
        }
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        #expect(judge.misuseRun == 3 && judge.misuseSkipped == 0)
        // Bytes of the first page only: a whole page is `interior_pointer`.
        for offset in [0, 4096] {
            #expect(throws: TraceSyntaxError.self) {
                try Trace(parsing: "arena pages=64\np1 = alloc_pages order=1\nexpect misaligned: free_pages p1 offset=\(offset)\n")
            }
        }
    }

    /// Random page traces free at half a page now and then.
    @Test func generatedPageTracesFreeAtHalfAPage() throws {
        var reached = 0
        for seed in 0..<300 {
            let trace = try #require(try? TestCase(seed: UInt64(seed)).draw(Trace.generator(.pages)))
            for case .misuse(.misaligned(_, let offset)) in trace.operations where offset == Arena.pageSize / 2 { reached += 1 }
        }
        #expect(reached >= 5, "\(reached)")
    }
}
