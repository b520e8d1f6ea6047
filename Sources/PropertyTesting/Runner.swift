// The runner: saved regressions first, then the simplest example, then
// seeded random examples; the first failure is shrunk, saved and reported,
// then each failure of another kind met on the way (see `OtherFailures`).
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
    /// With `reportMultipleFailures`, the most kinds of failure shrunk and
    /// reported besides the first: each costs a shrink, and an error whose
    /// kind names the failing value makes as many kinds as values.
    public static let otherFailureLimit = 8

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
    /// Shrink and report every distinct failure the run meets, not only the
    /// first (default true). Two failures are distinct when their kinds
    /// differ (`FailureKindProviding`; a `PropertyFailure`'s kind is where it
    /// was raised). Other kinds are met among the saved regressions (all of
    /// them run), in a search that goes on after the first failure, and in
    /// the shrinks. Besides the first failure, up to `otherFailureLimit`
    /// kinds are shrunk, each with a budget of its own of `maxShrinkCalls`,
    /// and reported in `PropertyReport.otherFailures`; kinds seen past that
    /// are named, not shrunk. The first failure's shrink is the same either
    /// way. False reports it alone and makes no body call past it.
    public var reportMultipleFailures: Bool
    /// An environment variable the initializer read but could not parse: the property fails with it.
    var settingProblem: String?
    /// Reads an environment variable (`PROPERTY_TESTING_SEED` when the property runs).
    let environment: @Sendable (String) -> String?

    public init(maxExamples: Int? = nil, seed: UInt64? = nil, replay: String? = nil, maxShrinkCalls: Int = 5000,
                regressions: RegressionStore? = nil, collectStatistics: Bool = false, reportMultipleFailures: Bool = true) {
        self.init(maxExamples: maxExamples, seed: seed, replay: replay, maxShrinkCalls: maxShrinkCalls,
                  regressions: regressions, collectStatistics: collectStatistics,
                  reportMultipleFailures: reportMultipleFailures, environment: PropertyConfiguration.environment)
    }

    /// `environment` reads an environment variable (tests pass their own, so no process state is shared).
    init(maxExamples: Int? = nil, seed: UInt64? = nil, replay: String? = nil, maxShrinkCalls: Int = 5000,
         regressions: RegressionStore? = nil, collectStatistics: Bool = false, reportMultipleFailures: Bool = true,
         environment: @escaping @Sendable (String) -> String?) {
        self.environment = environment
        if let maxExamples {
            self.maxExamples = maxExamples
        } else if let text = environment(PropertyConfiguration.maxExamplesVariable), case let trimmed = text.trimmingWhitespace(),
                  !trimmed.isEmpty {
            // (An empty value, as CI systems export for an unset one, is unset.)
            let variable = PropertyConfiguration.maxExamplesVariable
            let number = Int(trimmed)
            if let n = number, n >= 1 {
                self.maxExamples = n
            } else {
                // Refused when the property runs (an initializer cannot fail): never silently ignored.
                self.maxExamples = 100
                let what = number != nil ? "so no example would run"
                    : Self.isWholeNumber(trimmed) ? "which is more than \(Int.max)" : "which is not a whole number"
                settingProblem = "\(variable) is set to \(String(reflecting: text)), \(what); "
                    + "set it to the number of examples to run (e.g. 1000) or unset it"
            }
        } else {
            self.maxExamples = 100
        }
        self.seed = seed
        self.replay = replay
        self.maxShrinkCalls = maxShrinkCalls
        self.regressions = regressions
        self.collectStatistics = collectStatistics
        self.reportMultipleFailures = reportMultipleFailures
    }

    /// Whether `text` is a whole number, however large (digits after an optional sign).
    static func isWholeNumber(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) }
    }

    @Sendable static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

/// A minimal failing example.
public struct Counterexample: Sendable {
    /// The generated value, described canonically (sets and dictionaries
    /// sorted at any depth, strings quoted and escaped; see `Describe.swift`);
    /// "(see steps)" for a body that draws while it runs and noted its steps,
    /// else the choices such a body drew.
    public let value: String
    /// Lines noted while running it (`TestCase.note`, state-machine steps).
    public let notes: [String]
    /// The error the body threw.
    public let error: String
    /// The failure's kind (see `FailureKindProviding`): what tells it from
    /// the report's other failures.
    public let failureKind: String
    public let choices: ChoiceSequence
    /// Reproduces exactly this example: pass as `PropertyConfiguration.replay`.
    public let replayString: String
    /// Where the failure was first seen: "random example", "saved regression <path>", "replay string";
    /// for a failure besides the first, also "a random example after the
    /// first failure" or "the shrink of failure <n>".
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
    /// Set when the failure is flaky: the example failed once but not when
    /// the same example was run again. Says what the second run did. The
    /// value is then the last example seen failing, not a reliable minimal
    /// counterexample, and it is never saved as a regression.
    public internal(set) var flaky: String? = nil
    /// True when the failure did not reproduce (see `flaky`).
    public var isFlaky: Bool { flaky != nil }

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

    /// The failures of other kinds than `counterexample`'s, each shrunk on
    /// its own, in the order their kinds were first seen (while searching
    /// and then while shrinking), at most
    /// `PropertyConfiguration.otherFailureLimit`.
    /// Empty with `PropertyConfiguration.reportMultipleFailures` false.
    public internal(set) var otherFailures: [Counterexample] = []
    /// Kinds of failure seen past `PropertyConfiguration.otherFailureLimit`
    /// others, in the order first seen: named in the report, not shrunk.
    public internal(set) var unshrunkFailureKinds: [String] = []
    /// Every failure reported: `counterexample`, then `otherFailures`.
    public var failures: [Counterexample] { counterexample.map { [$0] + otherFailures } ?? [] }

    /// The minimal counterexample's value as its own type (see `Counterexample.typedValue(as:)`).
    public func counterexampleValue<T>(as type: T.Type = T.self) -> T? { counterexample?.typedValue(as: type) }

    /// The test-case runs the shrinker may spend (`PropertyConfiguration.maxShrinkCalls`), for the report.
    public let maxShrinkCalls: Int
    /// For a passing run that stopped short of `maxExamples`: the random
    /// tries that only repeated an example already run (the generator seems
    /// to have no other value). Zero otherwise.
    public internal(set) var repeatedTries: Int = 0
    /// For a passing run that stopped short of `maxExamples` with valid
    /// values still coming (most tries discarded, not repeated): the tries
    /// it was allowed, ten per example asked for. Zero otherwise.
    public internal(set) var tryLimit: Int = 0
    /// False when the run stopped at its settings, before any example was
    /// generated: the report then names no seed, since none was used.
    public internal(set) var seedUsed = true
    /// True for a run of `PropertyConfiguration.replay`: the one example the
    /// replay string holds ran, with no search and no shrinking, so the
    /// report names no seed.
    public internal(set) var replayed = false

    public var description: String {
        if let problem { return "Property '\(name)' failed: \(problem)" + (seedUsed ? " (seed \(seed))." : ".") }
        guard counterexample != nil else {
            let n = statistics.examples
            if replayed { return "Property '\(name)' passed the example of the replay string (replayed as given: no search)." }
            var text = "Property '\(name)' passed \(n) distinct \(n == 1 ? "example" : "examples") (seed \(seed), \(statistics.discarded) discarded"
            if repeatedTries > 0 {
                text += n == 1 ? "; the generator produced no other valid value: "
                    : "; all \(n) valid values the generator produced were tried: "
                text += "\(repeatedTries) further \(repeatedTries == 1 ? "try" : "tries") only repeated earlier ones"
            } else if tryLimit > 0 {
                text += "; stopped at its limit of \(tryLimit) tries, short of the examples asked for"
            }
            return text + ")."
        }
        let (headline, blocks, unshrunk) = failureTexts
        return ([headline].compactMap { $0 } + blocks + [unshrunk].compactMap { $0 }).joined(separator: "\n\n")
    }

    /// The failing report as one text per failure, in report order, each
    /// readable alone. A report of one failure has its `description`; of
    /// several, each text is the headline (how many ways the property
    /// failed) and that failure, numbered ("Failure 2 of 3:"), the last
    /// followed by the kinds seen and not shrunk, when there were any. A
    /// report that failed without a counterexample (`problem`) has its
    /// description alone; a passing one, none.
    public var failureDescriptions: [String] {
        guard !passed else { return [] }
        guard counterexample != nil else { return [description] }
        let (headline, blocks, unshrunk) = failureTexts
        guard let headline else { return blocks }
        var texts = blocks.map { headline + "\n" + $0 }
        if let unshrunk { texts[texts.count - 1] += "\n\n" + unshrunk }
        return texts
    }

    /// The parts of a failing report: a headline when it has more than one
    /// failure, a block per failure, and the line naming the kinds not shrunk.
    private var failureTexts: (headline: String?, blocks: [String], unshrunk: String?) {
        let failures = self.failures
        guard failures.count > 1 || !unshrunkFailureKinds.isEmpty else {
            let blocks = failures.map { failureLines($0, title: "Property '\(name)' failed", numbered: false).joined(separator: "\n") }
            return (nil, blocks, nil)
        }
        let ways = failures.count + unshrunkFailureKinds.count
        let headline = "Property '\(name)' failed in \(ways) distinct ways"
            + (unshrunkFailureKinds.isEmpty ? ", each shrunk on its own." : "; the first \(failures.count) are shrunk on their own.")
        let blocks = failures.enumerated().map { k, c in
            failureLines(c, title: "Failure \(k + 1) of \(ways)", numbered: true).joined(separator: "\n")
        }
        var unshrunk: String?
        if case let n = unshrunkFailureKinds.count, n > 0 {
            unshrunk = "\(n) more \(n == 1 ? "kind" : "kinds") of failure seen, not shrunk (at most "
                + "\(PropertyConfiguration.otherFailureLimit) besides the first are): " + unshrunkFailureKinds.joined(separator: "; ")
        }
        return (headline, blocks, unshrunk)
    }

    /// The lines that report `c`, the first of them headed by `title`
    /// (`numbered`: one failure of several, whose lines follow a colon).
    private func failureLines(_ c: Counterexample, title: String, numbered: Bool) -> [String] {
        var lines: [String]
        if let flaky = c.flaky {
            lines = ["\(title), but the failure is flaky: \(flaky).",
                     "This is not a reliable minimal counterexample; the example that failed: \(c.value)",
                     "Look for state the body keeps between calls (captured or global variables, time, randomness, I/O): "
                     + "the same example must fail every time it is run."]
        } else {
            // The headline says what the value is: a replay ran as given and
            // a shrink cut short by its budget may have a smaller failing
            // example, so neither is called minimal there.
            let label = c.origin == "replay string" ? "Counterexample (replayed as given, not shrunk)"
                : c.budgetExhausted ? "Counterexample (shrinking ran out of budget: it may not be minimal)"
                : "Minimal counterexample"
            lines = [title + (numbered ? ":" : "."), "\(label): \(c.value)"]
        }
        if !c.notes.isEmpty { lines.append("Steps:"); lines += c.notes.map { "  " + $0 } }
        lines.append("Error: \(c.error)")
        if c.origin == "replay string" {
            // No search ran and nothing was shrunk: the seed played no part.
            lines.append("Replayed from the replay string as given (no search, no shrinking).")
        } else {
            let n = statistics.examples
            // Saved regressions and the simplest example run before any
            // random one; the search after the first failure and the
            // shrinks, after the passing examples counted.
            let found = c.origin == Runner.simplestOrigin || c.origin.hasPrefix(Runner.savedRegressionOrigin)
                ? "found by \(c.origin), before any random example"
                : c.origin == Runner.searchAfterFailureOrigin || c.origin.hasPrefix(Runner.shrinkOrigin) ? "found by \(c.origin)"
                : "found by \(c.origin) after \(n) passing \(n == 1 ? "example" : "examples")"
            lines.append("Seed: \(seed) (\(found); \(c.shrinkCalls) shrink \(c.shrinkCalls == 1 ? "call" : "calls"))")
        }
        if c.budgetExhausted && c.flaky == nil {
            lines.append("Shrinking stopped when its budget of \(maxShrinkCalls) call\(maxShrinkCalls == 1 ? "" : "s") ran out: this example may not be minimal "
                         + "(raise PropertyConfiguration.maxShrinkCalls to shrink further).")
        }
        lines.append("Replay: \(c.replayString)")
        lines.append("To rerun only this example: PropertyConfiguration(replay: \"\(c.replayString)\")")
        if let path = c.savedTo { lines.append("Saved to \(path): commit it so the failure is replayed first.") }
        return lines
    }
}

/// Runs `body` on values of `generator`; see `PropertyConfiguration`.
public func checkProperty<Value>(_ name: String, _ generator: Generator<Value>,
                                 configuration: PropertyConfiguration = PropertyConfiguration(),
                                 _ body: @escaping (Value) throws -> Void) -> PropertyReport {
    Runner(name: name, configuration: configuration, deduplicates: true) { tc in
        let value = try tc.draw(generator)
        return (reportDescription(value), value, { try body(value) })
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
    /// True when the body draws nothing while it runs and checks only the
    /// value it returns (a property over a generator's value): runs are
    /// then skipped by their choices and, while shrinking, by their value.
    let deduplicates: Bool
    /// Observer of each accepted shrink (tests).
    var onShrink: ((Execution) -> Void)? = nil

    init(name: String, configuration: PropertyConfiguration, deduplicates: Bool, body: @escaping PropertyBody) {
        self.name = name
        self.deduplicates = deduplicates
        self.configuration = configuration
        self.body = body
    }

    /// Why `PROPERTY_TESTING_SEED` cannot be used, when the configuration takes its seed from it.
    var seedProblem: String? {
        guard configuration.seed == nil, let text = seedFromEnvironment, UInt64(text.trimmingWhitespace()) == nil else { return nil }
        return "\(PropertyConfiguration.seedVariable) is set to \(String(reflecting: text)), which is not a seed; "
            + "set it to a whole number from 0 to \(UInt64.max) (as printed after 'Seed:' in a failure) or unset it"
    }

    /// `PROPERTY_TESTING_SEED`, unless unset or empty (as CI systems export an unset one).
    private var seedFromEnvironment: String? {
        configuration.environment(PropertyConfiguration.seedVariable).flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
    }

    var seed: UInt64 {
        if let s = configuration.seed { return s }
        if let text = seedFromEnvironment, let s = UInt64(text.trimmingWhitespace()) { return s }
        return fnv1a(name.utf8)
    }

    func run() -> PropertyReport {
        let seed = self.seed
        // With `deduplicates` the body checks the value it returns and
        // nothing else (`checkProperty` over a generator).
        let executor = Executor(body: body, deduplicates: deduplicates, checksOnlyTheValue: deduplicates)
        // Failures of other kinds than the first, from every run the
        // executor makes. The search stops at its first failure, so other
        // kinds are met among the saved regressions and in the shrinks.
        let others = configuration.reportMultipleFailures ? OtherFailures(limit: PropertyConfiguration.otherFailureLimit) : nil
        if let others { executor.onFailure = others.note }
        var statistics = Statistics()
        var failing: Execution?
        var origin = "random example"
        var problems: [RegressionError] = []

        func report(_ counterexample: Counterexample?, problem: String? = nil, repeatedTries: Int = 0) -> PropertyReport {
            PropertyReport(name: name, seed: seed, statistics: statistics, counterexample: counterexample,
                           regressionProblems: problems, bodyCalls: executor.bodyCalls,
                           statisticsRequested: configuration.collectStatistics, problem: problem,
                           maxShrinkCalls: configuration.maxShrinkCalls, repeatedTries: repeatedTries)
        }

        // Stopped at the settings, before any example was generated: no seed was used.
        func stopped(_ problem: String) -> PropertyReport {
            var stopped = report(nil, problem: problem)
            stopped.seedUsed = false
            return stopped
        }
        if let problem = configuration.settingProblem ?? seedProblem { return stopped(problem) }
        let maxExamples = configuration.maxExamples
        guard maxExamples >= 1 else {
            return stopped("maxExamples is \(maxExamples), so no example would run; "
                           + "ask for at least 1 (\(PropertyConfiguration.maxExamplesVariable) sets the default)")
        }
        guard configuration.maxShrinkCalls >= 0 else {
            return stopped("maxShrinkCalls is \(configuration.maxShrinkCalls), which is no budget; ask for 0 (no shrinking) or more")
        }

        if let replay = configuration.replay {
            // One example, as given: the seed plays no part in any outcome.
            func replayReport(_ problem: String? = nil) -> PropertyReport {
                var replayed = report(nil, problem: problem)
                replayed.seedUsed = false
                replayed.replayed = true
                return replayed
            }
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
                    return replayReport("the replayed example \(why), so nothing was checked")
                }
                statistics.record(labels: e.labels)
            } catch {
                return replayReport("the replay string \(String(reflecting: replay)) could not be decoded (\(error)), so nothing was checked")
            }
            return replayReport()
        }

        if let store = configuration.regressions {
            let (cases, loadProblems) = store.load(property: name)
            problems = loadProblems
            for saved in cases {
                others?.source = Self.savedRegressionOrigin + saved.path
                let e = executor.run(TestCase(bytes: saved.bytes))!
                if e.outcome.failureKind != nil {
                    if failing == nil { failing = e; origin = Self.savedRegressionOrigin + saved.path }
                    // With every failure reported, the other saved cases
                    // run too: each may hold a failure of another kind.
                    if others == nil { break } else { continue }
                }
                // It passed: as saved, or as another example the generator now
                // reads from its bytes (another test's case may well read so).
                guard saved.owner == nil || saved.owner == store.owner else { continue }
                if !Self.readAsSaved(e.sequence.bytes, saved.bytes) {
                    problems.append(.stale(path: saved.path, reason: "a choice was read as another value than the one saved"))
                }
            }
        }

        // Every sequence whose body already ran (or that generation rejected):
        // handed to the shrinker, so it never pays a second body call for an
        // example the search phase already decided.
        var seen: Set<[ChoiceValue]> = []
        // The values of runs with dropped parts, without them: examples the
        // search does not run again (not given to the shrinker, which checks
        // an equivalent run by its value before taking it as one).
        var seenEquivalents: Set<[ChoiceValue]> = []
        // The keys (sequences and equivalents) of the runs that passed, and
        // the tries that repeated one of them: a valid value given again.
        var passedKeys: Set<[ChoiceValue]> = []
        var repeatedValid = 0
        // The keys of the runs a filter, `assume` or `reject` discarded, and
        // the tries that repeated one of them: an invalid value given again,
        // which is a discard as much as the first (the health check and the
        // size ramp count it so).
        var discardedKeys: Set<[ChoiceValue]> = []
        var repeatedDiscarded = 0
        func isRepeat(_ key: [ChoiceValue]) -> Bool {
            guard seen.contains(key) || seenEquivalents.contains(key) else { return false }
            if passedKeys.contains(key) { repeatedValid += 1 }
            if discardedKeys.contains(key) { repeatedDiscarded += 1 }
            return true
        }
        /// Marks what `e` ran as decided: its sequence and, for a run with
        /// dropped parts (a filter's rejected attempts, a unique collection's
        /// repeats), the same value without them, which is no new example either.
        func markSeen(_ e: Execution) {
            seen.insert(e.sequence.values)
            if let equivalent = e.withoutDropped { seenEquivalents.insert(equivalent) }
            if e.outcome == .discarded {
                discardedKeys.insert(e.sequence.values)
                if let equivalent = e.withoutDropped { discardedKeys.insert(equivalent) }
            }
            guard e.outcome == .passed else { return }
            passedKeys.insert(e.sequence.values)
            if let equivalent = e.withoutDropped { passedKeys.insert(equivalent) }
        }
        // Whether any example was accepted: a run that checked nothing fails as unsatisfiable.
        var anyPassed = false
        // What discarded examples, in order of first appearance (never hash order), with counts.
        var discards: [(reason: String, count: Int)] = []
        func countPassed(_ e: Execution) {
            if configuration.collectStatistics { statistics.record(labels: e.labels) } else { statistics.examples += 1 }
        }
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
        // Random examples that passed: the search's budget (the simplest example is extra).
        var randomPassed = 0
        if failing == nil {
            // The simplest example first: it is cheap and often the answer.
            let e = executor.run(TestCase(bytes: []))!
            // A generator that made no choice must give the same value
            // every time; one that draws from elsewhere (`Int.random`, a
            // clock) gives another, which no seed or replay string
            // reproduces, and the search, finding no choice to vary, ran
            // it once and passed. Two more generations (not body calls)
            // tell it apart from a constant, such as `Gen.just`.
            if deduplicates, e.sequence.values.isEmpty,
               let other = Self.otherValue(of: body, than: e.valueDescription) {
                return report(nil, problem: "the generator made no choice but gave two different values, "
                              + "\(e.valueDescription) then \(other): a generator must draw every value it varies from "
                              + "its TestCase (tc.draw, tc.drawInteger, Gen...), not from Int.random, a clock or other state, "
                              + "or no seed can reproduce it and the search has nothing to vary")
            }
            markSeen(e)
            remember(e)
            if e.outcome.failureKind != nil { failing = e; origin = Self.simplestOrigin }
            anyPassed = e.outcome == .passed
            if anyPassed { countPassed(e) }
        }

        var attempt = 0, discardedTries = 0
        // The try that last gave an example not run before, valid or not (see `exhausted` below).
        var lastNew = 0
        /// Records a run of the search (random or mutated): what it decided
        /// is not run again, and it counts as passed, discarded or the failure.
        func take(_ e: Execution) {
            markSeen(e)
            remember(e)
            lastNew = attempt
            switch e.outcome {
            case .passed:
                anyPassed = true
                randomPassed += 1
                countPassed(e)
            case .discarded, .overrun: countDiscard(e)
            case .failed: failing = e
            }
        }

        /// Whether the run so far accepted nothing and every try went past the
        /// choice limit, `overLimitTries` times: the generator asks for more
        /// choices than an example may hold (an array of at least 10,000
        /// integers), and the other tries would only go past it too, each
        /// drawing to the limit (1,000 tries took 18 s in a release build).
        func onlyOverLimit() -> Bool {
            !anyPassed && discards.count == 1 && discards[0].reason == Self.choiceLimit
                && discards[0].count >= Self.overLimitTries
        }
        // Ten tries per wanted example; a huge count ("run until it fails") saturates instead of overflowing.
        let (product, overflow) = maxExamples.multipliedReportingOverflow(by: 10)
        let maxAttempts = overflow ? Int.max : product
        while failing == nil, randomPassed < maxExamples, attempt < maxAttempts, !onlyOverLimit() {
            // Size grows with the examples that passed, and with a quarter of the
            // tries that were discarded (by a filter, `assume` or `reject`, or
            // that repeated a discarded example) when they are more: a
            // filter that small values fail (`integers(in: 0...1000).filter
            // { $0 > 900 }`) otherwise held the size at its start, where only
            // the bounds pass, and the run ended having tried 1000 and 999
            // alone. `assume` is counted as a filter is: without it,
            // `assume(x % 100 == 0)` over `integers(in: 0...1_000_000)` kept
            // the small values, passed 0, 100 and 200, repeated them and
            // passed having missed a failure most multiples of 100 show (in
            // 20 of 20 seeds). Its cost: the shrinking challenge's coupling,
            // whose small lists fail its `assume`, meets its first failure
            // in longer lists, 44 median calls from it to [1, 0] instead of
            // 4 (20 seeds of 10,000 examples), though fewer calls in all
            // (94 median instead of 106). Not each draw a filter rejected, nor the
            // repeated valid examples: the shrinking challenge's twin of its
            // coupling with a filter of 20 attempts then found its first
            // failure in longer lists (9.5 to 31 median calls).
            let parameters = GenerationParameters.forExample(Swift.max(randomPassed, discardedTries / 4), of: maxExamples)
            let tc = TestCase(seed: RandomSource.derive(seed: seed, index: UInt64(attempt)), parameters: parameters)
            attempt += 1
            let repeatsBefore = repeatedDiscarded
            let run = executor.run(tc, skip: { isRepeat($0.values) }, skipEquivalent: { isRepeat($0) })
            if tc.discardedByFilter || run?.outcome == .discarded || repeatedDiscarded > repeatsBefore { discardedTries += 1 }
            guard let e = run else { continue }
            take(e)
            // Half of the passed examples after the first 50 are followed by
            // one duplication mutation (see `Duplication`): a failure random
            // examples find early is found as before (of the shrinking
            // challenge's medians only deletion's moved, 7.5 to 6.5), and
            // mutating every example halved the random examples a failure
            // that needs no duplication gets ("a string of 5 with an a" found
            // in 68 of 100 seeds instead of 87; now 76, while "the last
            // equals the sum of the others" went from 39 to 76).
            guard failing == nil, e.outcome == .passed, randomPassed > Duplication.firstExample,
                  randomPassed < maxExamples else { continue }
            var random = RandomSource(seed: RandomSource.derive(seed: seed ^ Duplication.seedSalt, index: UInt64(attempt)))
            guard random.chance(0.5) else { continue }
            let duplication = Duplication(spans: e.spans)
            for _ in 0..<Duplication.picks where !duplication.isEmpty {
                guard let values = duplication.mutate(e.sequence.values, random: &random) else { continue }
                let tc = TestCase(seed: random.next(), parameters: parameters)
                tc.replayPrefix = values
                guard let m = executor.run(tc, skip: { isRepeat($0.values) }, skipEquivalent: { isRepeat($0) }) else { continue }
                take(m)
                if failing != nil { origin = Duplication.origin }
                break
            }
        }

        // With every failure reported, the search goes on after a failure
        // it found (as Hypothesis's does) for failures of other kinds, which
        // the first failure's shrink may never come near: `x > 100` shrinks
        // from above to 101 and never meets `x < -100`. It goes on until
        // its tries double since the last new kind was met, for at least
        // `searchAfterFailure.least` tries and at most `.most` past the
        // first failure, never past `maxExamples` checked examples nor the
        // try limit. Its runs are kept out of the search's record (`seen`,
        // the statistics, the tree), so the first failure's shrink is the
        // same as with `reportMultipleFailures` false.
        if let others, failing != nil, !origin.hasPrefix(Self.savedRegressionOrigin) {
            let firstAt = attempt
            var lastNewAt = attempt
            var checked = randomPassed + 1
            others.source = Self.searchAfterFailureOrigin
            while attempt < maxAttempts, checked < maxExamples,
                  attempt < Swift.min(firstAt + Self.searchAfterFailure.most,
                                      Swift.max(2 * lastNewAt, firstAt + Self.searchAfterFailure.least)) {
                let kinds = others.found.count + others.unkept.count
                let tc = TestCase(seed: RandomSource.derive(seed: seed, index: UInt64(attempt)),
                                  parameters: GenerationParameters.forExample(checked, of: maxExamples))
                attempt += 1
                guard let e = executor.run(tc, skip: { seen.contains($0.values) }) else { continue }
                if e.outcome == .passed || e.outcome.failureKind != nil { checked += 1 }
                if others.found.count + others.unkept.count > kinds { lastNewAt = attempt }
            }
        }

        guard let first = failing else {
            guard anyPassed else {
                let reasons = Self.discardReasons(discards)
                let repeated = attempt - statistics.discarded
                return report(nil, problem: "unsatisfiable: no example was accepted in \(attempt) tries; "
                              + "\(statistics.discarded) were discarded" + (reasons.isEmpty ? "" : ", by " + reasons)
                              + (repeated > 0 ? ", and \(repeated) repeated earlier tries" : ""))
            }
            // Tries that only repeated an example already run: with none
            // left to try, the generator's values look exhausted.
            let repeated = attempt - randomPassed - statistics.discarded
            // A repeat of a discarded example is a discard for the health
            // check: `assume` rejecting almost every value of a small range
            // repeats its rejections rather than drawing new ones.
            let discardedTotal = statistics.discarded + repeatedDiscarded
            // The values look exhausted only when some valid try repeated and
            // either the run's second half gave no new example, valid or
            // discarded, or repeated valid values outnumber the discarded
            // tries. A run that still met new examples late among mostly
            // discarded tries (a rare `assume` or filter over a wide range,
            // whose valid repeats are the bounds the search favours) only ran
            // out of tries, and saying that the generator had no other value
            // would be false. (Without the second rule, all 1,001 values of
            // 0...1000, whose last new value came past half of the 20,000
            // tries, were not called exhausted.)
            let exhausted = randomPassed < maxExamples && attempt >= maxAttempts && repeatedValid > 0
                && (lastNew * 2 <= attempt || repeatedValid > discardedTotal)
            // Repeated valid values count as valid in the health check only
            // when the values look exhausted: `filter { $0 % 1000 == 0 }` over
            // 0...1_000_000 passed 0 and 1,000,000, repeated them a hundred
            // times between 821 discards, and passed claiming it had tried
            // every valid value.
            if let problem = healthProblem(valid: statistics.examples, repeated: exhausted ? repeatedValid : 0,
                                           discarded: statistics.discarded, repeatedDiscarded: repeatedDiscarded,
                                           discards: discards, maxExamples: maxExamples) {
                return report(nil, problem: problem)
            }
            var passed = report(nil, repeatedTries: exhausted ? repeated : 0)
            if !exhausted && randomPassed < maxExamples && attempt >= maxAttempts { passed.tryLimit = maxAttempts }
            return passed
        }
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: configuration.maxShrinkCalls,
                                alreadyRun: deduplicates ? seen : [], knownRuns: searchTree)
        shrinker.onAccept = onShrink
        others?.source = Self.shrinkOrigin + "1"
        shrinker.shrink()
        let primary = shrunk(shrinker, origin: origin, problems: &problems)
        guard let others else { return report(primary) }
        // Then each other kind, in the order first seen (the list grows
        // while they shrink), with a budget of its own: sharing one would
        // leave the later kinds whatever the first failure's shrink left.
        // Their tree of runs starts empty: the first shrink's knows runs
        // that failed with them, which the tree would answer as no
        // improvement (the simplest of those is where their shrink starts).
        var otherFailures: [Counterexample] = []
        while otherFailures.count < others.found.count {
            let found = others.found[otherFailures.count]
            others.source = Self.shrinkOrigin + "\(otherFailures.count + 2)"
            let other = Shrinker(executor: executor, failing: found.simplest, maxCalls: configuration.maxShrinkCalls,
                                 alreadyRun: deduplicates ? seen : [])
            other.shrink()
            otherFailures.append(shrunk(other, origin: found.origin, problems: &problems))
        }
        var result = report(primary)
        result.otherFailures = otherFailures
        result.unshrunkFailureKinds = others.unkept
        return result
    }

    /// The counterexample `shrinker` shrank to, after the flakiness check
    /// (the minimal example, or the failure itself when nothing smaller
    /// failed, must fail again when run once more), saved as a regression
    /// when it is not flaky. A problem saving it is added to `problems`.
    private func shrunk(_ shrinker: Shrinker, origin: String, problems: inout [RegressionError]) -> Counterexample {
        let (minimal, rerun) = shrinker.replayMinimalChecked()
        if rerun.outcome.failureKind != minimal.outcome.failureKind {
            // Never saved: a flaky example would be replayed first forever.
            return counterexample(minimal, origin: origin, shrinkCalls: shrinker.calls, saved: nil,
                                  budgetExhausted: !shrinker.converged, flaky: flakyNote(rerun))
        }
        var savedTo: String?
        if let store = configuration.regressions {
            do {
                savedTo = try store.save(property: name, bytes: minimal.sequence.bytes, counterexample: Self.savedSummary(minimal))
            } catch {
                // Once per problem: an unusable folder refused the load already.
                if !problems.contains(error) { problems.append(error) }
            }
        }
        return counterexample(minimal, origin: origin, shrinkCalls: shrinker.calls, saved: savedTo,
                              budgetExhausted: !shrinker.converged)
    }

    /// A description of the value `body` generates from no choices that
    /// differs from `first`, in two more generations; nil when both give `first`.
    static func otherValue(of body: PropertyBody, than first: String) -> String? {
        for _ in 0..<2 {
            let testCase = TestCase(bytes: [])
            guard let generated = try? body(testCase), testCase.sequence.values.isEmpty else { return nil }
            if generated.description != first { return generated.description }
        }
        return nil
    }

    /// Whether a replay that recorded `recorded` read the saved case `saved`
    /// as it was saved, where both read. A failing run stopped where it
    /// failed (in a step of a state machine, or in a generator's own code
    /// that threw), so once fixed it runs on and reads more; it may also
    /// stop sooner (past the saved choices every draw reads its simplest
    /// value, and a loop may run into a limit). Only a choice both read
    /// differently shows that the case now checks another example. A change
    /// that keeps the choices' shape (a range moved, an enum case added
    /// first) is not seen: its saved choices still read, as other values.
    static func readAsSaved(_ recorded: [UInt8], _ saved: [UInt8]) -> Bool {
        recorded.starts(with: saved) || saved.starts(with: recorded)
    }

    /// How a report names an example that ran out of choices.
    static let choiceLimit = "the choice limit (the example grew too large or too deep)"
    /// Tries that all went past the choice limit, none accepted, after which
    /// the run stops as unsatisfiable (see `onlyOverLimit`).
    static let overLimitTries = 50
    /// How a report names the simplest example (every choice at its simplest), run before the random ones.
    static let simplestOrigin = "the simplest example (every choice at its simplest)"
    /// The random tries after the first failure, with
    /// `PropertyConfiguration.reportMultipleFailures`, at least and at most
    /// (see `run`).
    static let searchAfterFailure = (least: 10, most: 1000)
    /// How a report names that search after the first failure.
    static let searchAfterFailureOrigin = "a random example after the first failure"
    /// How a report names a saved regression, before its path.
    static let savedRegressionOrigin = "saved regression "
    /// How a report names the shrink of a failure, before its number (1
    /// for the first failure's), where a failure of another kind was first seen.
    static let shrinkOrigin = "the shrink of failure "

    /// The health check: a run whose filters or assumptions rejected almost
    /// every example checked almost nothing, so it fails instead of passing.
    /// It trips when fewer than a tenth of `maxExamples` valid examples ran
    /// and more than nine in ten of the examples generated were discarded.
    /// A try that gave a valid value already run (`repeated`) counts as
    /// valid there: a small space of values (a filter keeping one of four)
    /// runs out of new values, its filter does not reject almost everything.
    /// A try that repeated a discarded example (`repeatedDiscarded`)
    /// counts as discarded: rejecting the same few values again is still
    /// rejecting (the counts by reason in `discards` are of first tries).
    func healthProblem(valid: Int, repeated: Int = 0, discarded: Int, repeatedDiscarded: Int = 0,
                       discards: [(reason: String, count: Int)], maxExamples: Int) -> String? {
        let allDiscarded = discarded + repeatedDiscarded
        guard valid * 10 < maxExamples, allDiscarded > 9 * (valid + repeated) else { return nil }
        let reasons = Self.discardReasons(discards)
        return "health check: only \(valid) valid \(valid == 1 ? "example" : "examples") ran of the \(maxExamples) asked for, "
            + "and \(allDiscarded) were discarded"
            + (repeatedDiscarded > 0 ? " (\(repeatedDiscarded) of them repeating a discarded example)" : "")
            + (reasons.isEmpty ? "" : ", by " + reasons) + ". "
            + "A run fails this check when fewer than 10% of maxExamples valid examples ran and over 90% of "
            + "the examples generated were discarded: it checked almost nothing. Generate valid values directly "
            + "(a narrower range, .map, or a generator built for the case) instead of filtering them, or loosen the filter or assume"
    }

    /// Each reason examples were discarded for, with its count: `filter at File.swift:12 (995), assume() (3)`.
    static func discardReasons(_ discards: [(reason: String, count: Int)]) -> String {
        discards.map { "\($0.reason) (\($0.count))" }.joined(separator: ", ")
    }

    /// What the report says when the example failed once and not when run again.
    private func flakyNote(_ rerun: Execution) -> String {
        let outcome: String
        switch rerun.outcome {
        case .passed: outcome = "passed"
        case .discarded: outcome = "was discarded (\(rerun.rejectedBy ?? "a filter"))"
        case .overrun: outcome = "ran out of choices"
        case .failed(_, let message): outcome = "failed differently (\(message))"
        }
        return "the failure did not reproduce: run again on the same example, the property \(outcome)"
    }

    private func counterexample(_ e: Execution, origin: String, shrinkCalls: Int, saved: String?,
                                budgetExhausted: Bool, flaky: String? = nil) -> Counterexample {
        guard case .failed(let kind, let message) = e.outcome else { preconditionFailure("not a failure") }
        return Counterexample(value: Self.valueText(e, ofGenerator: deduplicates), notes: e.notes,
                              error: message, failureKind: kind, choices: e.sequence,
                              replayString: ReplayString.encode(e.sequence.bytes),
                              origin: origin, shrinkCalls: shrinkCalls, savedTo: saved, budgetExhausted: budgetExhausted,
                              generated: e.value.map(GeneratedValue.init), flaky: flaky)
    }

    /// The `# counterexample:` line of a saved case: the generated value; for
    /// a body that draws while it runs (no value), its notes or else the
    /// choices it drew (the line was empty).
    static func savedSummary(_ e: Execution) -> String {
        if e.value != nil { return e.valueDescription }
        if !e.notes.isEmpty { return e.notes.joined(separator: "; ") }
        let drawn = e.sequence.values
        return "drew " + (drawn.isEmpty ? "nothing" : drawn.map(\.description).joined(separator: ", "))
    }

    /// The value line of a counterexample: the generated value; for a body
    /// that draws while it runs, its steps (notes) or else the choices it drew;
    /// for a property over a generator (`ofGenerator`) that failed without
    /// a value, that the generator threw.
    static func valueText(_ e: Execution, ofGenerator: Bool = false) -> String {
        if e.value != nil { return e.valueDescription }
        if !e.notes.isEmpty { return "(see steps)" }
        let drawn = e.sequence.values
        if ofGenerator {
            return "(no value: the generator threw after drawing \(drawn.count) \(drawn.count == 1 ? "choice" : "choices")"
                + (drawn.isEmpty ? ")" : ": " + drawn.map(\.description).joined(separator: ", ") + ")")
        }
        if drawn.isEmpty { return "(no values drawn)" }
        return "(drew \(drawn.count) \(drawn.count == 1 ? "choice" : "choices"): "
            + drawn.map(\.description).joined(separator: ", ") + "; name them in the report with tc.note(...))"
    }
}
