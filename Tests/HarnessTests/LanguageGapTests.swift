@testable import Harness
import AllocCheck
import PropertyTesting
import Testing

/// Inputs the operation language could not express before the eleventh
/// review: a page block or exact allocation freed through an address off a
/// page boundary (`expect misaligned`), and a byte written into a live
/// object's left red zone (`underflow=N`).
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

    /// A byte written before a live object, into its left red zone, is
    /// written, round-trips, and makes the free refuse it as corruption:
    /// the byte just before the object and the zone's first byte, of a
    /// cache aligned to 64 bytes (a 64-byte zone) and of a red-zoned kmalloc class.
    @Test func aWriteIntoTheLeftRedZone() throws {
        let text = "arena pages=64 kmalloc_debug=Z\nc1 = cache_create size=24 align=64 debug=Z\no2 = cache_alloc c1\n"
            + "expect corruption: cache_free o2 underflow=1\nexpect corruption: cache_free o2 underflow=64\n"
            + "k5 = kmalloc size=10\nexpect corruption: kfree k5 underflow=1\nexpect corruption: kfree k5 underflow=8\n"
            + "cache_free o2\nkfree k5\n"
        let trace = try Trace(parsing: text)
        #expect(trace.text == text)
        #expect(trace.operations[2] == .misuse(.underflow(Handle(.object, 2), before: 1)))
        #expect(Trace.decode(try trace.bytes(profile: .mixed), profile: .mixed) == trace)
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        #expect(judge.misuseRun == 4 && judge.misuseSkipped == 0)
        // Past the left red zone (65 bytes before a 64-aligned object) it does not apply.
        let outside = try Trace(parsing: "arena pages=64\nc1 = cache_create size=24 align=64 debug=Z\no2 = cache_alloc c1\n"
                                + "expect corruption: cache_free o2 underflow=65\n")
        let skipping = Judge<AllocCheckSubject>(configuration: .everyStep)
        #expect(skipping.check(outside) == nil)
        #expect(skipping.misuseRun == 0 && skipping.misuseSkipped == 1)
        // `overflow=` keeps its tags and meaning.
        let overflow = try Trace(parsing: "arena pages=64\nc1 = cache_create size=24 debug=Z\no2 = cache_alloc c1\n"
                                 + "expect corruption: cache_free o2 overflow=1\n")
        #expect(overflow.operations[2] == .misuse(.overflow(Handle(.object, 2))))
    }

    /// Random slab traces write just before a live object now and then.
    @Test func generatedSlabTracesWriteBeforeObjects() throws {
        var reached = 0
        for seed in 0..<300 {
            let trace = try #require(try? TestCase(seed: UInt64(seed)).draw(Trace.generator(.slab)))
            for case .misuse(.underflow(_, let before)) in trace.operations where before == 1 { reached += 1 }
        }
        #expect(reached >= 5, "\(reached)")
    }
}
