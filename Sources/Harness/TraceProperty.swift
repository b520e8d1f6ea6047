// The one property every suite and fuzz target checks: a trace of a profile,
// drawn from the engine's choices, passes the judge. Fuzzer crash files,
// replay strings and saved regressions are all bytes of this property.

import PropertyTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Trace: CustomStringConvertible {
    public var description: String { text }
}

public enum TraceProperty {
    /// The drawing body: decode a trace of `profile`, run it through `judge`.
    /// A failure throws `TraceFailure`, whose kind (the broken invariants or
    /// predictions) the shrinker keeps fixed.
    public static func body<S: AllocatorUnderTest>(_ profile: Profile, judge: Judge<S>) -> (TestCase) throws -> Void {
        let generator = Trace.generator(profile)
        return { tc in
            let trace = try tc.draw(generator)
            do { try judge.run(trace) } catch let failure as TraceFailure {
                tc.note(failure.report(for: trace))
                throw failure
            }
        }
    }

    /// What `shrink` found: the minimal trace, its failure, its canonical
    /// bytes, and the engine's account of the work.
    public struct Shrunk: Sendable {
        public let trace: Trace
        public let failure: TraceFailure
        /// The shortest bytes that decode to `trace` for the profile.
        public let bytes: [UInt8]
        /// Shrinker calls over every round (at most the budget).
        public let calls: Int
        /// True when the budget ran out before the shrinker converged.
        public let budgetExhausted: Bool
        /// Rounds run: the first from the input, then one per restart (canonical, deleted by handle or merged).
        public let rounds: Int
    }

    /// Shrinks a failing input with the integrated shrinker, then again from
    /// a shorter trace while one is found: the canonical encoding of the
    /// result (the shortest bytes of the trace it decodes to), the trace with
    /// steps deleted by handle (`StepDeletion`), or a trace with a run of
    /// steps merged into one (`StepMerging`); then, the steps kept, with
    /// each kmalloc size at the smallest size-class edge below it that keeps
    /// the failure (`KmallocSizeEdges`), without the reserved ranges the
    /// failure does not need (`ReservedRangeDeletion`) and without the
    /// kmalloc debug options it does not need (`KmallocDebugClearing`).
    ///
    /// The engine edits choices, and a choice that only counts modulo
    /// something (a reference past the live handles wraps around, as a hole's
    /// start past the arena does) can hold it at a trace whose canonical bytes
    /// shrink further: deleting an allocation changes what a wrapped reference
    /// names, where the canonical one names the same handle. And it never
    /// raises a tag, so two steps that one step of another kind can replace
    /// stay two. Nil when `bytes` pass. `stop`, asked after every call of
    /// the engine and before every further round, ends the shrink early with
    /// the shortest failing trace so far.
    public static func shrink<S: AllocatorUnderTest>(bytes: [UInt8], profile: Profile, judge: Judge<S>,
                                                     maxCalls: Int = 5000, stop: (() -> Bool)? = nil) -> Shrunk? {
        let body = body(profile, judge: judge)
        let stopped = { stop?() == true }
        guard var result = PropertyTesting.shrink(bytes: bytes, maxCalls: maxCalls, stop: stop, body) else { return nil }
        var trace = Trace.decode(result.bytes, profile: profile)
        var calls = result.calls, rounds = 1
        /// Shrinks again from `start`, keeping the result when its trace is shorter than `trace`.
        func restart(from start: [UInt8]) -> Bool {
            guard calls < maxCalls, !stopped(),
                  let next = PropertyTesting.shrink(bytes: start, maxCalls: maxCalls - calls, stop: stop, body) else {
                return false
            }
            calls += next.calls
            rounds += 1
            let shorter = Trace.decode(next.bytes, profile: profile)
            guard shorter.operations.count < trace.operations.count else { return false }
            (result, trace) = (next, shorter)
            return true
        }
        while calls < maxCalls && !stopped() {
            if let canonical = try? trace.shortestBytes(profile: profile), canonical != result.bytes,
               restart(from: canonical) { continue }
            guard let kind = judge.check(trace)?.failureKind else { break }
            if let deleted = StepDeletion.delete(trace, profile: profile, kind: kind, judge: judge, budget: maxCalls, calls: &calls) {
                if let start = try? deleted.shortestBytes(profile: profile), restart(from: start) { continue }
                // No budget left for the engine: the shorter trace as it is.
                trace = deleted
                continue
            }
            guard let merged = StepMerging.merge(trace, profile: profile, kind: kind, judge: judge, budget: maxCalls,
                                                 calls: &calls),
                  let start = try? merged.shortestBytes(profile: profile), restart(from: start) else { break }
        }
        // Sizes at class edges, once nothing shortens the trace (a size's
        // change keeps its length, so the engine is not run again).
        if !stopped(), let kind = judge.check(trace)?.failureKind,
           let lowered = KmallocSizeEdges.lower(trace, kind: kind, judge: judge, budget: maxCalls, calls: &calls) {
            trace = lowered
        }
        if !stopped(), let kind = judge.check(trace)?.failureKind,
           let unreserved = ReservedRangeDeletion.delete(trace, kind: kind, judge: judge, budget: maxCalls, calls: &calls) {
            trace = unreserved
        }
        if !stopped(), let kind = judge.check(trace)?.failureKind,
           let cleared = KmallocDebugClearing.clear(trace, kind: kind, judge: judge, budget: maxCalls, calls: &calls) {
            trace = cleared
        }
        guard let failure = judge.check(trace) else { return nil }
        let canonical = (try? trace.shortestBytes(profile: profile)) ?? result.bytes
        return Shrunk(trace: trace, failure: failure, bytes: canonical, calls: calls,
                      budgetExhausted: result.budgetExhausted || calls >= maxCalls, rounds: rounds)
    }

    /// A property suite over traces: `checkProperty` of `generator` judged by
    /// `judge`, and a counterexample shrunk further as `shrink` does (its
    /// canonical bytes for `profile`, whose operations the generator's traces
    /// use), with a budget of its own, the configuration's `maxShrinkCalls`;
    /// the further result is reported when it has fewer operations, or as
    /// many and fewer reserved ranges.
    /// The suites of `alloccheck check` and `alloccheck defects` run this.
    public static func check<S: AllocatorUnderTest>(_ name: String, _ generator: Generator<Trace>, profile: Profile,
                                                    judge: Judge<S>, configuration: PropertyConfiguration) -> SuiteResult {
        let report = checkProperty(name, generator, configuration: configuration) { try judge.run($0) }
        guard let counterexample = report.counterexample, let found = try? Trace(parsing: counterexample.value) else {
            return SuiteResult(report: report, minimal: nil, failure: nil, shrinkCalls: 0, replayString: nil)
        }
        let budget = configuration.maxShrinkCalls
        var further: Shrunk?
        if budget > 0, let bytes = try? found.shortestBytes(profile: profile) {
            further = shrink(bytes: bytes, profile: profile, judge: judge, maxCalls: budget)
        }
        let calls = counterexample.shrinkCalls + (further?.calls ?? 0)
        if let further, (further.trace.operations.count, further.trace.arena.reserved.count)
            < (found.operations.count, found.arena.reserved.count) {
            // The replay string of the trace reported, not of the engine's counterexample.
            return SuiteResult(report: report, minimal: further.trace, failure: further.failure, shrinkCalls: calls,
                               replayString: ReplayString.encode(further.bytes))
        }
        return SuiteResult(report: report, minimal: found, failure: judge.check(found), shrinkCalls: calls,
                           replayString: counterexample.replayString)
    }

    /// What `check` found: the engine's report, and the minimal trace after the canonical restarts.
    public struct SuiteResult: Sendable {
        public let report: PropertyReport
        /// The minimal failing trace (nil when the suite passed).
        public let minimal: Trace?
        public let failure: TraceFailure?
        /// The engine's shrink calls and those of the canonical restarts.
        public let shrinkCalls: Int
        /// Reproduces `minimal` as `PropertyConfiguration.replay` of the same
        /// property (the same name and generator); nil when the suite passed.
        public let replayString: String?
    }
}

/// The body of every libFuzzer target: decode, judge, and on failure print
/// the one-line reason and the readable trace to stderr, then trap.
public enum FuzzEntry {
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, profile: Profile,
                           judge: Judge<AllocCheckSubject>) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        // Committed crash cases are readable text traces; everything else is bytes.
        let trace: Trace
        if Trace.isText(bytes) {
            guard let parsed = try? Trace(parsing: String(decoding: bytes, as: UTF8.self)) else { return 0 }
            trace = parsed
        } else {
            trace = Trace.decode(bytes, profile: profile)
        }
        if let failure = judge.check(trace) {
            var message = Array("AllocCheck \(profile.name): \(failure.summary)\n\n\(failure.report(for: trace))\n".utf8)
            _ = write(2, &message, message.count)
            abort()
        }
        return 0
    }
}
