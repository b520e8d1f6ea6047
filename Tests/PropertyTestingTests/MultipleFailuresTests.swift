import Synchronization
import Testing
@testable import PropertyTesting
@testable import PropertyTestingSwiftTesting

/// A body that fails two ways: each way is shrunk on its own and reported.
@Suite struct MultipleFailuresTests {
    static let generator = Gen.integers(in: -1000...1000)

    /// Fails above 100 and below -100, at two places: two kinds.
    static func twoWays(_ x: Int64) throws {
        try expect(x <= 100, "too big")
        try expect(x >= -100, "too small")
    }

    /// An error that names its kind: `x % 12` of them above 99.
    struct Numbered: Error, FailureKindProviding {
        let k: Int64
        var failureKind: String { "numbered \(k)" }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func bothFailuresAreShrunkToTheirMinimum(seed: UInt64) throws {
        let report = checkProperty("two ways", Self.generator, configuration: PropertyConfiguration(seed: seed), Self.twoWays)
        let values = report.failures.map(\.value)
        #expect(values.sorted() == ["-101", "101"], "\(report)")
        #expect(report.failures.allSatisfy { !$0.budgetExhausted && !$0.isFlaky && $0.shrinkCalls > 0 })
        #expect(Set(report.failures.map(\.failureKind)).count == 2)
        #expect(report.unshrunkFailureKinds.isEmpty)
        // Each replay string reproduces its own failure.
        for failure in report.failures {
            let replayed = checkProperty("two ways", Self.generator, configuration: PropertyConfiguration(replay: failure.replayString),
                                         Self.twoWays)
            #expect(replayed.counterexample?.value == failure.value)
            #expect(replayed.counterexample?.failureKind == failure.failureKind)
        }
        // The same seed gives the same report, order included.
        let again = checkProperty("two ways", Self.generator, configuration: PropertyConfiguration(seed: seed), Self.twoWays)
        #expect(again.description == report.description)
        #expect(again.bodyCalls == report.bodyCalls)
    }

    /// The report names each failure, numbered, with its own replay string,
    /// in the order first seen (pinned for one seed: the order depends on
    /// the runs alone, never on a process's hash seed).
    @Test func theReportNumbersEachFailure() throws {
        let report = checkProperty("two ways", Self.generator, configuration: PropertyConfiguration(seed: 1), Self.twoWays)
        #expect(report.failures.map(\.value) == ["-101", "101"], "\(report)")
        let text = report.description
        #expect(text.hasPrefix("Property 'two ways' failed in 2 distinct ways, each shrunk on its own.\n\nFailure 1 of 2:\n"
                               + "Minimal counterexample: -101\n"), "\(text)")
        #expect(text.contains("\n\nFailure 2 of 2:\nMinimal counterexample: 101\n"), "\(text)")
        for failure in report.failures { #expect(text.contains("Replay: \(failure.replayString)\n")) }
        #expect(report.otherFailures.first?.origin == Runner.searchAfterFailureOrigin)
        // One text per failure, each with the headline.
        #expect(report.failureDescriptions.count == 2)
        #expect(report.failureDescriptions.allSatisfy { $0.hasPrefix("Property 'two ways' failed in 2 distinct ways") })
        #expect(report.failureDescriptions[1].contains("Failure 2 of 2:\nMinimal counterexample: 101\n"))
    }

    /// Switched off, the first failure alone is reported, shrunk exactly as
    /// when the others are reported too, and no body call is spent past it.
    @Test func switchedOffOnlyTheFirstFailureIsReported() throws {
        for seed: UInt64 in 1...4 {
            var calls = 0
            var lastFailure = 0
            let off = checkProperty("two ways", Self.generator,
                                    configuration: PropertyConfiguration(seed: seed, reportMultipleFailures: false)) { x in
                calls += 1
                do { try Self.twoWays(x) } catch { lastFailure = calls; throw error }
            }
            let on = checkProperty("two ways", Self.generator, configuration: PropertyConfiguration(seed: seed), Self.twoWays)
            let first = try #require(off.counterexample)
            #expect(off.otherFailures.isEmpty && off.unshrunkFailureKinds.isEmpty)
            #expect(off.failures.count == 1)
            #expect(!off.description.contains("distinct ways"))
            // The first failure is the same, shrunk the same way.
            #expect(on.counterexample?.value == first.value)
            #expect(on.counterexample?.shrinkCalls == first.shrinkCalls)
            #expect(on.counterexample?.replayString == first.replayString)
            // The last body call is the flakiness check of the first
            // failure's minimum: nothing ran after it.
            #expect(off.bodyCalls == calls)
            #expect(lastFailure == calls)
            #expect(on.bodyCalls > off.bodyCalls)
        }
    }

    /// The body-call count switched off is the count before other failures
    /// were reported (pinned from that version, seed 1).
    @Test func switchedOffTheBodyCallsAreAsBefore() {
        let off = checkProperty("two ways", Self.generator,
                                configuration: PropertyConfiguration(seed: 1, reportMultipleFailures: false), Self.twoWays)
        #expect(off.bodyCalls == Self.bodyCallsBefore, "\(off.bodyCalls)")
    }

    static let bodyCallsBefore = 20

    @Test func oneKindOfFailureIsReportedOnce() throws {
        for seed: UInt64 in 1...4 {
            let report = checkProperty("one way", Self.generator, configuration: PropertyConfiguration(seed: seed)) { x in
                try expect(x <= 100, "too big")
            }
            #expect(report.failures.map(\.value) == ["101"])
            #expect(report.otherFailures.isEmpty && report.unshrunkFailureKinds.isEmpty)
            #expect(report.description.hasPrefix("Property 'one way' failed.\nMinimal counterexample: 101\n"), "\(report)")
            #expect(report.failureDescriptions == [report.description])
        }
    }

    @Test func kindsPastTheLimitAreNamedNotShrunk() throws {
        let report = checkProperty("twelve ways", Gen.integers(in: 0...1000), configuration: PropertyConfiguration(seed: 1)) { x in
            if x >= 100 { throw Numbered(k: x % 12) }
        }
        let limit = PropertyConfiguration.otherFailureLimit
        #expect(report.otherFailures.count == limit)
        #expect(report.unshrunkFailureKinds.count == 12 - 1 - limit, "\(report)")
        // Each kind shrunk to its least value: 100 to 111, by its residue.
        #expect(report.failures.allSatisfy { Int64($0.value).map { (100...111).contains($0) } == true }, "\(report)")
        #expect(Set(report.failures.map(\.failureKind) + report.unshrunkFailureKinds).count == 12)
        #expect(report.description.contains("Failure 9 of 12:\n"), "\(report)")
        #expect(!report.description.contains("Failure 10 of 12"))
        #expect(report.description.hasSuffix("3 more kinds of failure seen, not shrunk (at most \(limit) besides the first are): "
                                             + report.unshrunkFailureKinds.joined(separator: "; ")), "\(report)")
        #expect(report.failureDescriptions.count == limit + 1)
        #expect(report.failureDescriptions.last?.contains("3 more kinds of failure seen") == true)
    }

    /// Each failure's minimum is saved in a file of its own, and the next
    /// run replays them all first, each found again as saved.
    @Test func eachFailureIsSavedAndReplayed() throws {
        let scratch = temporaryDirectory()
        defer { removeTemporaryDirectory(scratch) }
        let configuration = PropertyConfiguration(seed: 1, regressions: RegressionStore(directory: scratch))
        let first = checkProperty("two ways", Self.generator, configuration: configuration, Self.twoWays)
        let paths = first.failures.compactMap(\.savedTo)
        #expect(paths.count == 2 && Set(paths).count == 2, "\(first)")
        #expect(first.regressionProblems.isEmpty)

        let again = PropertyConfiguration(seed: 2, regressions: RegressionStore(directory: scratch))
        let next = checkProperty("two ways", Self.generator, configuration: again, Self.twoWays)
        #expect(next.failures.map(\.value).sorted() == ["-101", "101"], "\(next)")
        #expect(next.failures.allSatisfy { $0.origin.hasPrefix(Runner.savedRegressionOrigin) }, "\(next)")
        #expect(Set(next.failures.compactMap(\.savedTo)) == Set(paths))
        #expect(next.regressionProblems.isEmpty)
    }

    /// `propertyCheck` records an issue per failure.
    @Test func propertyCheckRecordsAnIssuePerFailure() {
        let texts = Texts()
        withKnownIssue("the property fails on purpose, two ways") {
            propertyCheck("two ways", Self.generator, configuration: PropertyConfiguration(seed: 1), saveRegressions: false,
                          Self.twoWays)
        } matching: { issue in
            texts.append(issue.comments.map(\.rawValue).joined())
            return true
        }
        let recorded = texts.all
        #expect(recorded.count == 2)
        #expect(recorded.first?.contains("Failure 1 of 2:\nMinimal counterexample: -101") == true)
        #expect(recorded.last?.contains("Failure 2 of 2:\nMinimal counterexample: 101") == true)
    }

    final class Texts: Sendable {
        private let texts = Mutex<[String]>([])
        func append(_ text: String) { texts.withLock { $0.append(text) } }
        var all: [String] { texts.withLock { $0 } }
    }
}
