// The runner: saved regressions first, then the simplest example, then
// seeded random examples; the first failure is shrunk, saved and reported.
//
// Invariant: a run is a pure function of the property, the configuration
// and the saved regressions; the seed (printed with every failure) and the
// replay string each reproduce it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a property is run.
public struct PropertyConfiguration: Sendable {
    /// Environment variable that overrides the default example count (for long CI runs).
    public static let maxExamplesVariable = "PROPERTY_TESTING_MAX_EXAMPLES"
    /// Environment variable that sets the seed when the configuration does not.
    public static let seedVariable = "PROPERTY_TESTING_SEED"

    /// Passing examples to run before declaring success.
    public var maxExamples: Int
    /// The seed; `nil` uses `PROPERTY_TESTING_SEED`, else a hash of the property's name.
    public var seed: UInt64?
    /// Runs only this example (a replay string printed by an earlier failure), without shrinking.
    public var replay: String?
    /// Test-case runs the shrinker may spend.
    public var maxShrinkCalls: Int
    /// Where shrunk failures are saved and replayed from; `nil` disables saving.
    public var regressions: RegressionStore?
    /// Collect label statistics for the report.
    public var collectStatistics: Bool

    public init(maxExamples: Int? = nil, seed: UInt64? = nil, replay: String? = nil, maxShrinkCalls: Int = 5000,
                regressions: RegressionStore? = nil, collectStatistics: Bool = false) {
        self.maxExamples = maxExamples ?? PropertyConfiguration.environment(PropertyConfiguration.maxExamplesVariable).flatMap { Int($0) } ?? 100
        self.seed = seed
        self.replay = replay
        self.maxShrinkCalls = maxShrinkCalls
        self.regressions = regressions
        self.collectStatistics = collectStatistics
    }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

/// A minimal failing example.
public struct Counterexample: Sendable {
    /// The generated value, as `String(describing:)` printed it (or the steps of a state machine).
    public let value: String
    /// Lines noted while running it (`TestCase.note`, state-machine steps).
    public let notes: [String]
    /// The error the body threw.
    public let error: String
    public let choices: ChoiceSequence
    /// Reproduces exactly this example: pass as `PropertyConfiguration.replay`.
    public let replayString: String
    /// Where the failure was first seen: "random example", "saved regression <path>", "replay string".
    public let origin: String
    /// Test-case runs the shrinker spent.
    public let shrinkCalls: Int
    /// Where it was saved, if it was.
    public let savedTo: String?
    /// True when shrinking stopped because `PropertyConfiguration.maxShrinkCalls`
    /// ran out before every pass had converged: the example still fails the
    /// same way, but a smaller one may exist. Always false for a replay,
    /// which does not shrink.
    public let budgetExhausted: Bool
    /// The generated value itself, for `typedValue(as:)`.
    let generated: GeneratedValue?

    /// The minimal generated value as its own type: nil when `T` is not the
    /// generator's value type, and for properties that draw while they run
    /// (state machines), which have no single value.
    public func typedValue<T>(as type: T.Type = T.self) -> T? { generated?.value as? T }
}

/// Holds a generated value in a `Sendable` report. The report is built after
/// the last body call and only ever read, so sharing the value is safe as
/// long as the caller does not mutate a reference-typed value concurrently.
final class GeneratedValue: @unchecked Sendable {
    let value: Any
    init(_ value: Any) { self.value = value }
}

/// The outcome of running one property.
public struct PropertyReport: Sendable, CustomStringConvertible {
    public let name: String
    public let seed: UInt64
    public let statistics: Statistics
    public let counterexample: Counterexample?
    /// Problems with saved regressions (reported, never fatal).
    public let regressionProblems: [RegressionError]
    /// Body calls in total.
    public let bodyCalls: Int
    /// Whether the configuration asked for statistics.
    public let statisticsRequested: Bool
    /// Why the property failed without a counterexample: no example was
    /// accepted (every one discarded), or the configuration asks for no
    /// example at all. A property that checked nothing never passes.
    public let problem: String?

    public var passed: Bool { counterexample == nil && problem == nil }

    /// The minimal counterexample's value as its own type (see `Counterexample.typedValue(as:)`).
    public func counterexampleValue<T>(as type: T.Type = T.self) -> T? { counterexample?.typedValue(as: type) }

    /// The test-case runs the shrinker may spend (`PropertyConfiguration.maxShrinkCalls`), for the report.
    public let maxShrinkCalls: Int

    public var description: String {
        if let problem { return "Property '\(name)' failed: \(problem) (seed \(seed))." }
        guard let c = counterexample else {
            return "Property '\(name)' passed \(statistics.examples) examples (seed \(seed), \(statistics.discarded) discarded)."
        }
        var lines = ["Property '\(name)' failed.", "Minimal counterexample: \(c.value)"]
        if !c.notes.isEmpty { lines.append("Steps:"); lines += c.notes.map { "  " + $0 } }
        lines.append("Error: \(c.error)")
        if c.origin == "replay string" {
            // No search ran and nothing was shrunk: the seed played no part.
            lines.append("Replayed from the replay string as given (no search, no shrinking).")
        } else {
            lines.append("Seed: \(seed) (found by \(c.origin) after \(statistics.examples) passing examples; \(c.shrinkCalls) shrink calls)")
        }
        if c.budgetExhausted {
            lines.append("Shrinking stopped when its budget of \(maxShrinkCalls) calls ran out: this example may not be minimal "
                         + "(raise PropertyConfiguration.maxShrinkCalls to shrink further).")
        }
        lines.append("Replay: \(c.replayString)")
        if let path = c.savedTo { lines.append("Saved to \(path): commit it so the failure is replayed first.") }
        return lines.joined(separator: "\n")
    }
}

/// Runs `body` on values of `generator`; see `PropertyConfiguration`.
public func checkProperty<Value>(_ name: String, _ generator: Generator<Value>,
                                 configuration: PropertyConfiguration = PropertyConfiguration(),
                                 _ body: @escaping (Value) throws -> Void) -> PropertyReport {
    Runner(name: name, configuration: configuration, deduplicates: true) { tc in
        let value = try tc.draw(generator)
        return (describeValue(value), value, { try body(value) })
    }.run()
}

/// Runs a property that draws from the test case itself while it runs
/// (state machines, interleaved draws). Every draw must go through `testCase`.
public func checkProperty(_ name: String, configuration: PropertyConfiguration = PropertyConfiguration(),
                          drawing body: @escaping (TestCase) throws -> Void) -> PropertyReport {
    Runner(name: name, configuration: configuration, deduplicates: false) { tc in
        // The draws happen inside the check, so the description comes from notes.
        ("", nil, { try body(tc) })
    }.run()
}

struct Runner {
    let name: String
    let configuration: PropertyConfiguration
    let body: PropertyBody
    let deduplicates: Bool
    /// Observer of each accepted shrink (tests).
    var onShrink: ((Execution) -> Void)? = nil

    init(name: String, configuration: PropertyConfiguration, deduplicates: Bool, body: @escaping PropertyBody) {
        self.name = name
        self.deduplicates = deduplicates
        self.configuration = configuration
        self.body = body
    }

    var seed: UInt64 {
        if let s = configuration.seed { return s }
        if let text = PropertyConfiguration.environment(PropertyConfiguration.seedVariable), let s = UInt64(text) { return s }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        return hash
    }

    func run() -> PropertyReport {
        let seed = self.seed
        let executor = Executor(body: body, deduplicates: deduplicates)
        var statistics = Statistics()
        var failing: Execution?
        var origin = "random example"
        var problems: [RegressionError] = []

        func report(_ counterexample: Counterexample?, problem: String? = nil) -> PropertyReport {
            PropertyReport(name: name, seed: seed, statistics: statistics, counterexample: counterexample,
                           regressionProblems: problems, bodyCalls: executor.bodyCalls,
                           statisticsRequested: configuration.collectStatistics, problem: problem,
                           maxShrinkCalls: configuration.maxShrinkCalls)
        }

        let maxExamples = configuration.maxExamples
        guard maxExamples >= 1 else {
            return report(nil, problem: "maxExamples is \(maxExamples), so no example would run; "
                          + "ask for at least 1 (\(PropertyConfiguration.maxExamplesVariable) sets the default)")
        }

        if let replay = configuration.replay {
            do {
                let bytes = try ReplayString.decode(replay)
                let e = executor.run(TestCase(bytes: bytes))!
                if e.outcome.failureKind != nil {
                    return report(counterexample(e, origin: "replay string", shrinkCalls: 0, saved: nil, budgetExhausted: false))
                }
                guard e.outcome == .passed else {
                    statistics.discarded += 1
                    let why = e.outcome == .discarded ? "was discarded by \(e.rejectedBy ?? "a filter")"
                        : "could not be generated (\(e.rejectedBy ?? Self.choiceLimit))"
                    return report(nil, problem: "the replayed example \(why), so nothing was checked")
                }
                statistics.record(labels: e.labels)
            } catch {
                return report(nil, problem: "the replay string \(replay) could not be decoded (\(error)), so nothing was checked")
            }
            return report(nil)
        }

        if let store = configuration.regressions {
            let (cases, loadProblems) = store.load(property: name)
            problems = loadProblems
            for saved in cases {
                let e = executor.run(TestCase(bytes: saved.bytes))!
                if e.outcome.failureKind != nil { failing = e; origin = "saved regression \(saved.path)"; break }
            }
        }

        // Every sequence whose body already ran (or that generation rejected):
        // handed to the shrinker, so it never pays a second body call for an
        // example the search phase already decided.
        var seen: Set<[ChoiceValue]> = []
        // Whether any example was accepted: a run that checked nothing fails as unsatisfiable.
        var anyPassed = false
        // What discarded examples, in order of first appearance (never hash order), with counts.
        var discards: [(reason: String, count: Int)] = []
        func countDiscard(_ e: Execution) {
            statistics.discarded += 1
            let reason = e.rejectedBy ?? (e.outcome == .overrun ? Self.choiceLimit : "a filter")
            if let k = discards.firstIndex(where: { $0.reason == reason }) {
                discards[k].count += 1
            } else {
                discards.append((reason, 1))
            }
        }
        // For a body that draws while it runs, what the search phase's runs
        // read, for the shrinker's tree (see `Shrinker.init`).
        let searchTree = deduplicates ? nil : ChoiceTree()
        func remember(_ e: Execution) {
            if e.outcome.failureKind == nil { searchTree?.recordSearchRun(e) }
        }
        if failing == nil {
            // The simplest example first: it is cheap and often the answer.
            let e = executor.run(TestCase(bytes: []))!
            seen.insert(e.sequence.values)
            remember(e)
            if e.outcome.failureKind != nil { failing = e }
            anyPassed = e.outcome == .passed
        }

        var attempt = 0
        // Ten tries per wanted example; a huge count ("run until it fails") saturates instead of overflowing.
        let (product, overflow) = maxExamples.multipliedReportingOverflow(by: 10)
        let maxAttempts = overflow ? Int.max : product
        while failing == nil, statistics.examples < maxExamples, attempt < maxAttempts {
            let parameters = GenerationParameters.forExample(statistics.examples, of: maxExamples)
            let tc = TestCase(seed: RandomSource.derive(seed: seed, index: UInt64(attempt)), parameters: parameters)
            attempt += 1
            guard let e = executor.run(tc, skip: { seen.contains($0.values) }) else { continue }
            seen.insert(e.sequence.values)
            remember(e)
            switch e.outcome {
            case .passed:
                anyPassed = true
                if configuration.collectStatistics { statistics.record(labels: e.labels) } else { statistics.examples += 1 }
            case .discarded, .overrun: countDiscard(e)
            case .failed: failing = e
            }
        }

        guard let first = failing else {
            guard anyPassed else {
                let reasons = discards.map { "\($0.reason) (\($0.count))" }.joined(separator: ", ")
                let repeated = attempt - statistics.discarded
                return report(nil, problem: "unsatisfiable: no example was accepted in \(attempt) tries; "
                              + "\(statistics.discarded) were discarded" + (reasons.isEmpty ? "" : ", by " + reasons)
                              + (repeated > 0 ? ", and \(repeated) repeated earlier tries" : ""))
            }
            return report(nil)
        }
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: configuration.maxShrinkCalls,
                                alreadyRun: deduplicates ? seen : [], knownRuns: searchTree)
        shrinker.onAccept = onShrink
        shrinker.shrink()
        let minimal = shrinker.replayMinimal()
        var savedTo: String?
        if let store = configuration.regressions {
            do {
                savedTo = try store.save(property: name, bytes: minimal.sequence.bytes, counterexample: minimal.valueDescription)
            } catch {
                problems.append(error)
            }
        }
        return report(counterexample(minimal, origin: origin, shrinkCalls: shrinker.calls, saved: savedTo,
                                     budgetExhausted: !shrinker.converged))
    }

    /// How a report names an example that ran out of choices.
    static let choiceLimit = "the choice limit (the example grew too large or too deep)"

    private func counterexample(_ e: Execution, origin: String, shrinkCalls: Int, saved: String?,
                                budgetExhausted: Bool) -> Counterexample {
        guard case .failed(_, let message) = e.outcome else { preconditionFailure("not a failure") }
        return Counterexample(value: e.valueDescription.isEmpty ? "(see steps)" : e.valueDescription, notes: e.notes,
                              error: message, choices: e.sequence, replayString: ReplayString.encode(e.sequence.bytes),
                              origin: origin, shrinkCalls: shrinkCalls, savedTo: saved, budgetExhausted: budgetExhausted,
                              generated: e.value.map(GeneratedValue.init))
    }
}
