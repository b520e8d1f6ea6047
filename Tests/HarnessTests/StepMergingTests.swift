import Testing
@testable import Harness
import AllocCheck
import PropertyTesting

/// The step-merging pass of `TraceProperty.shrink`: a run of steps replaced by
/// one step of another kind, which the engine's deletions and lowering cannot
/// reach (they never raise a tag).
@Suite struct StepMergingTests {
    /// Runs `body` with `defect` switched on and a judge that checks every step.
    func withDefect<T>(_ defect: Defect, _ body: (Judge<AllocCheckSubject>) throws -> T) rethrows -> T {
        try AllocCheckSubject.$defect.withValue(defect) { try body(Judge<AllocCheckSubject>(configuration: .everyStep)) }
    }

    // With merging stopping one order early, an allocation and its free fail
    // (the freed block stops short of the order-8 block it came from), and so
    // does one exact allocation whose trim frees two buddies.
    static let allocationAndFree = "arena pages=256\np1 = alloc_pages order=3\nfree_pages p1\n"

    @Test func anAllocationAndItsFreeBecomeOneExactAllocation() throws {
        let trace = try Trace(parsing: Self.allocationAndFree)
        try withDefect(.mergeStopsEarly) { judge in
            let kind = try #require(judge.check(trace)?.failureKind)
            var calls = 0
            let merged = try #require(StepMerging.merge(trace, profile: .exact, kind: kind, judge: judge, budget: 5000,
                                                        calls: &calls))
            #expect(merged.operations.count == 1)
            guard case .allocPagesExact = merged.operations.first else {
                Issue.record("expected one exact allocation, got:\n\(merged.text)")
                return
            }
            #expect(judge.check(merged)?.failureKind == kind)
            #expect(calls > 0)
        }
    }

    @Test func theEngineAloneStopsAtTwoStepsAndTheTraceShrinkReachesOne() throws {
        let bytes = try Trace(parsing: Self.allocationAndFree).shortestBytes(profile: .exact)
        try withDefect(.mergeStopsEarly) { judge in
            let engineResult = PropertyTesting.shrink(bytes: bytes, TraceProperty.body(.exact, judge: judge))
            let engineOnly = try #require(engineResult)
            #expect(Trace.decode(engineOnly.bytes, profile: .exact).operations.count == 2)
            let shrunk = try #require(TraceProperty.shrink(bytes: bytes, profile: .exact, judge: judge))
            #expect(shrunk.trace.text == "arena pages=256\ne1 = alloc_pages_exact size=16385\n", "\(shrunk.trace.text)")
            #expect(shrunk.failure.failureKind == "invariant buddies-coalesced")
            #expect(shrunk.rounds >= 2)
        }
    }

    // A second cache and an object of it, misused against the first cache,
    // need two steps where one kmalloc pointer does the same.
    @Test func aCacheAndItsObjectBecomeOneKmallocPointer() throws {
        let text = "arena pages=256\nc1 = cache_create size=8\nc2 = cache_create size=8\no3 = cache_alloc c2\n"
            + "expect wrong_cache: cache_free o3 cache=c1\n"
        let bytes = try Trace(parsing: text).shortestBytes(profile: .mixed)
        try withDefect(.kfreeWrongCacheAccepted) { judge in
            let shrunk = try #require(TraceProperty.shrink(bytes: bytes, profile: .mixed, judge: judge))
            #expect(shrunk.trace.operations.count == 3, "\(shrunk.trace.text)")
            #expect(shrunk.failure.failureKind == "prediction missing-refusal(wrong_cache)")
        }
    }

    @Test func aMinimalTraceAndALongOneAreLeftAlone() throws {
        let minimal = try Trace(parsing: "arena pages=256\ne1 = alloc_pages_exact size=16385\n")
        let long = Trace(arena: Arena(), operations: Array(repeating: .allocPages(order: 0), count: StepMerging.maxOperations + 1))
        withDefect(.mergeStopsEarly) { judge in
            var calls = 0
            #expect(StepMerging.merge(minimal, profile: .exact, kind: "invariant buddies-coalesced", judge: judge,
                                      budget: 5000, calls: &calls) == nil)
            #expect(StepMerging.merge(long, profile: .exact, kind: "invariant buddies-coalesced", judge: judge,
                                      budget: 5000, calls: &calls) == nil)
            #expect(calls == 0)
        }
    }

    @Test func theBudgetBoundsTheRunsAndTheResultIsDeterministic() throws {
        let trace = try Trace(parsing: Self.allocationAndFree)
        try withDefect(.mergeStopsEarly) { judge in
            let kind = try #require(judge.check(trace)?.failureKind)
            var (first, second, capped) = (0, 0, 0)
            let a = StepMerging.merge(trace, profile: .exact, kind: kind, judge: judge, budget: 5000, calls: &first)
            let b = StepMerging.merge(trace, profile: .exact, kind: kind, judge: judge, budget: 5000, calls: &second)
            #expect(a != nil && a == b && first == second)
            // The first candidate (an order-0 allocation alone) passes; the budget stops the second.
            #expect(StepMerging.merge(trace, profile: .exact, kind: kind, judge: judge, budget: 1, calls: &capped) == nil)
            #expect(capped == 1)
        }
    }
}
