#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Harness
import PropertyTestingSwiftTesting

/// The stateful property suites: random traces of each profile, over arenas
/// of 8 to 1,024 pages with holes, judged after every step against the
/// reference model and every invariant. Saved regressions (next to this file,
/// in `PropertyRegressions/`) are replayed first on every run.
///
/// Budget: `PROPERTY_TESTING_MAX_EXAMPLES` (the engine's variable) when set,
/// else 150 traces per suite, which keeps `swift test` within its time goal.
@Suite struct PropertySuites {
    static var configuration: PropertyConfiguration {
        var c = PropertyConfiguration()
        if getenv(PropertyConfiguration.maxExamplesVariable) == nil { c.maxExamples = 150 }
        return c
    }

    @Test func pages() { check(.pages) }
    @Test func exact() { check(.exact) }
    @Test func slab() { check(.slab) }
    @Test func kmalloc() { check(.kmalloc) }
    @Test func mixed() { check(.mixed) }
    /// Mixed traces with allocations failed on purpose (the layer's fault
    /// injection), which the other suites never draw: the judge checks that
    /// each failed allocation changed nothing (a refill that ran before the
    /// injected failure refused the allocation passed the other suites).
    @Test func faults() { check(.mixed, name: "faults", injectingFailures: true) }

    func check(_ profile: Profile, name: String? = nil, injectingFailures: Bool = false) {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let generator = Trace.generator(profile, injectingFailures: injectingFailures)
        let report = propertyCheck("trace-\(name ?? profile.name)", generator, configuration: Self.configuration) { trace in
            try judge.run(trace)
        }
        // The suite did real work: many steps, and misuse that was really run.
        #expect(!report.passed || judge.stepsRun > 5 * report.statistics.examples, "\(judge.stepsRun) steps")
        #expect(!report.passed || judge.misuseRun > 0)
        // A failure shrunk on as `alloccheck check` does (by handle, merged,
        // its canonical bytes, reserved ranges): the report above is the
        // engine's, and a trace can have fewer steps.
        if let text = report.counterexample?.value, let found = try? Trace(parsing: text),
           let bytes = try? found.shortestBytes(profile: profile),
           let further = TraceProperty.shrink(bytes: bytes, profile: profile, judge: judge),
           (further.trace.operations.count, further.trace.arena.reserved.count)
               < (found.operations.count, found.arena.reserved.count) {
            let message = "Shrunk further by the trace shrinker (\(further.calls) calls): \(further.trace.operations.count) steps\n"
                + further.trace.text + further.failure.summary
                + "\nReplay it: write the trace to a file and run `swift run alloccheck replay FILE`."
            Issue.record(Comment(rawValue: message))
        }
    }
}
