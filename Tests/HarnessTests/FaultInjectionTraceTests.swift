import Testing
@testable import Harness
import AllocCheck
import PropertyTesting

/// Injected failures in traces: written as `expect injected_failure: <call>`,
/// kept by the byte format, replayed as the same failures, judged.
@Suite struct FaultInjectionTraceTests {
    static let trace = """
        arena pages=64
        c1 = cache_create size=40
        expect injected_failure: alloc_pages order=2
        expect injected_failure: alloc_pages_exact size=12288
        expect injected_failure: cache_alloc c1
        expect injected_failure: kmalloc size=100
        expect injected_failure: kmalloc size=65536
        expect injected_failure: kmalloc size=0
        expect injected_failure: alloc_pages_exact size=0
        o9 = cache_alloc c1
        p10 = alloc_pages order=2
        """

    @Test func injectedFailuresPassTheJudgeAndChangeNothing() throws {
        let (_, failure) = try run(Self.trace + "\n")
        #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")")
        // Every profile that has allocations reads and writes them in its own bytes.
        let parsed = try Trace(parsing: Self.trace + "\n")
        #expect(parsed.text == Self.trace + "\n")
        #expect(Trace.decode(try parsed.bytes(profile: .mixed), profile: .mixed) == parsed)
        let pages = try Trace(parsing: "arena pages=16\nexpect injected_failure: alloc_pages order=1\np2 = alloc_pages order=1\n")
        #expect(Trace.decode(try pages.bytes(profile: .pages), profile: .pages) == pages)
    }

    @Test func anAllocatorThatIgnoresInjectionIsCaught() throws {
        let trace = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=0\nexpect injected_failure: alloc_pages order=3\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let failure = FaultySubject.$ignoresFaultInjection.withValue(true) { judge.check(trace) }
        let found = try #require(failure, "a call that should have failed succeeded unnoticed")
        #expect(found.step == 2)
        #expect(found.description.contains("injected_failure"), "\(found)")
    }

    @Test func onlyAllocationsCanBeFailed() {
        #expect(throws: TraceSyntaxError.self) {
            try Trace(parsing: "arena pages=64\np1 = alloc_pages order=0\nexpect injected_failure: free_pages p1\n")
        }
        #expect(throws: TraceSyntaxError.self) {
            try Trace(parsing: "arena pages=64\nexpect injected_failure: cache_create size=8\n")
        }
        let slabOnly = Trace(arena: Arena(pageCount: 64), operations: [.injectedFailure(.allocPages(order: 0))])
        #expect(throws: Trace.EncodingError.self) { try slabOnly.bytes(profile: .slab) }
    }

    /// Random traces with injected failures (the generator's option) round-trip
    /// through bytes and pass the judge in every profile.
    @Test(arguments: Profile.all)
    func generatedTracesWithInjectedFailuresPass(_ profile: Profile) throws {
        let generator = Trace.generator(profile, injectingFailures: true)
        var injected = 0
        for index in 0..<60 {
            let trace = try TestCase(seed: RandomSource.derive(seed: 5, index: UInt64(index))).draw(generator)
            injected += trace.operations.filter { if case .injectedFailure = $0 { return true } else { return false } }.count
            #expect(Trace.decode(try trace.bytes(profile: profile), profile: profile) == trace)
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let failure = judge.check(trace)
            #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")")
        }
        #expect(injected > 0, "the generator drew no injected failure")
    }
}
