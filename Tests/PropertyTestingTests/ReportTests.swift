import Testing
@testable import PropertyTesting

@Suite struct ReportTests {
    @Test func exhaustedShrinkBudgetIsReported() throws {
        let property = { (xs: [Int64]) throws in try expect(xs.reduce(0, &+) < 1000, "sum too big") }
        let generator = Gen.arrays(of: Gen.integers(in: 0...1_000_000))
        let short = checkProperty("budget", generator, configuration: PropertyConfiguration(seed: 5, maxShrinkCalls: 3), property)
        let cut = try #require(short.counterexample)
        #expect(cut.budgetExhausted)
        #expect(cut.shrinkCalls == 3)
        #expect(short.description.contains("budget of 3 calls ran out: this example may not be minimal"))
        // The headline says so too, not "Minimal counterexample".
        #expect(short.description.contains("\nCounterexample (shrinking ran out of budget: it may not be minimal): "))
        #expect(!short.description.contains("Minimal counterexample"))

        let full = checkProperty("budget", generator, configuration: PropertyConfiguration(seed: 5), property)
        let minimal = try #require(full.counterexample)
        #expect(!minimal.budgetExhausted)
        #expect(minimal.value == "[1000]")
        #expect(!full.description.contains("may not be minimal"))
    }

    /// A generator that throws leaves no value: the report says the
    /// generator threw, not to name choices with `tc.note`, which a
    /// property over a generator has no `tc` for. The budget line counts
    /// one call as one call.
    @Test func aGeneratorThatThrowsIsNamedInTheReport() throws {
        struct TooLarge: Error {}
        let generator = Gen.ints(in: 0...100).map { x -> Int in
            if x > 50 { throw TooLarge() }
            return x
        }
        let report = checkProperty("throwing generator", generator, configuration: PropertyConfiguration(seed: 1)) { _ in }
        let counterexample = try #require(report.counterexample)
        #expect(counterexample.value == "(no value: the generator threw after drawing 1 choice: 51)", "\(report)")
        #expect(!report.description.contains("tc.note"))
        let one = checkProperty("throwing generator", generator, configuration: PropertyConfiguration(seed: 1, maxShrinkCalls: 1)) { _ in }
        #expect(one.description.contains("its budget of 1 call ran out"), "\(one)")
    }

    @Test func reportHandsBackTheTypedValue() throws {
        let report = checkProperty("typed", Gen.zip(Gen.ints(in: 0...100), Gen.booleans()),
                                   configuration: PropertyConfiguration(seed: 2)) { pair in
            try expect(pair.0 < 7 || !pair.1)
        }
        let value = try #require(report.counterexampleValue(as: (Int, Bool).self))
        #expect(value.0 == 7 && value.1)
        #expect(report.counterexampleValue(as: String.self) == nil)
        // A body that draws while it runs has no single value.
        let drawing = checkProperty("typed drawing", configuration: PropertyConfiguration(seed: 2)) { tc in
            try expect(try tc.drawInteger(IntegerConstraints(min: 0, max: 9)) < 3)
        }
        #expect(drawing.counterexample != nil)
        #expect(drawing.counterexampleValue(as: Int64.self) == nil)
    }

    @Test func replayedFailureReportsLikeAFirstRun() throws {
        let generator = Gen.arrays(of: Gen.integers(in: 0...1000))
        let property = { (xs: [Int64]) throws in try expect(!xs.contains(17), "contains 17") }
        let first = checkProperty("replay report", generator, configuration: PropertyConfiguration(seed: 9), property)
        let failure = try #require(first.counterexample)
        let again = checkProperty("replay report", generator, configuration: PropertyConfiguration(replay: failure.replayString), property)
        let replayed = try #require(again.counterexample)
        #expect(replayed.value == failure.value)
        #expect(replayed.value == "[17]")
        #expect(replayed.error == failure.error)
        #expect(again.counterexampleValue(as: [Int64].self) == [17])
        #expect(again.description.contains("Counterexample (replayed as given, not shrunk): [17]"))
        #expect(!again.description.contains("Minimal counterexample"))
        #expect(again.description.contains("Error: contains 17"))
        #expect(again.description.contains("Replayed from the replay string"))
        #expect(!again.description.contains("Seed:"))
    }

    @Test func replayedStateMachineShowsItsSteps() throws {
        let body = { (tc: TestCase) throws in
            let n = try tc.drawInteger(IntegerConstraints(min: 0, max: 50))
            tc.note("push \(n)")
            try expect(n < 20, "too large")
        }
        let first = checkProperty("replay steps", configuration: PropertyConfiguration(seed: 1), drawing: body)
        let failure = try #require(first.counterexample)
        #expect(failure.notes == ["push 20"])
        let again = checkProperty("replay steps", configuration: PropertyConfiguration(replay: failure.replayString), drawing: body)
        #expect(again.counterexample?.notes == ["push 20"])
        #expect(again.description.contains("  push 20"))
    }

    @Test func undecodableReplayStringIsAProblemNotACounterexample() {
        let report = checkProperty("bad replay", Gen.booleans(), configuration: PropertyConfiguration(replay: "nonsense")) { _ in }
        #expect(report.counterexample == nil)
        #expect(!report.passed)
        #expect(report.problem?.contains("could not be decoded") == true)
        #expect(!report.description.contains("(none)"))
        // The seed played no part, so none is named; the string is quoted.
        #expect(!report.description.contains("seed"), "\(report.description)")
        #expect(report.description.contains("\"nonsense\""), "\(report.description)")
        let empty = checkProperty("bad replay", Gen.booleans(), configuration: PropertyConfiguration(replay: "")) { _ in }
        #expect(empty.description.contains("the replay string \"\" could not be decoded"), "\(empty.description)")
    }

    /// A replayed example that passes says it was the replay string's, and
    /// names no seed: no search ran.
    @Test func passingReplaySaysItWasAReplay() throws {
        let generator = Gen.integers(in: 0...1000)
        let first = checkProperty("replay passes", generator, configuration: PropertyConfiguration(seed: 3)) { x in
            try expect(x < 500, "too large")
        }
        let replay = try #require(first.counterexample?.replayString)
        let fixed = checkProperty("replay passes", generator, configuration: PropertyConfiguration(replay: replay)) { _ in }
        #expect(fixed.passed)
        #expect(fixed.replayed)
        #expect(fixed.description == "Property 'replay passes' passed the example of the replay string (replayed as given: no search).")
        #expect(!first.replayed)
    }
}
