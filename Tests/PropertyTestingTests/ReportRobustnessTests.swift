import Testing
@testable import PropertyTesting

/// A struct without a description of its own (Swift's default printing would show its set in hash order).
private struct Holder { var id: Int; var tags: Set<String> }
/// Not Comparable: its sets sort by each element's description.
private struct Point: Hashable { var x: Int; var y: Int }
/// Describes itself: printed as it says, whatever it holds.
private struct Named: CustomStringConvertible { var name: String; var description: String { "Named<\(name)>" } }
private enum Shape { case dot, poly(Set<Int>, label: String) }

@Suite struct ReportRobustnessTests {
    // MARK: 1. Flaky failures

    @Test func failureThatDoesNotReproduceIsReportedFlaky() throws {
        // Fails once, on the first value above 10 from the third call on; never again.
        var calls = 0
        var failed = false
        let body = { (x: Int) throws in
            calls += 1
            if x > 10 && calls >= 3 && !failed { failed = true; throw PropertyFailure("fails once") }
        }
        let report = checkProperty("flaky", Gen.ints(in: 0...1000), configuration: PropertyConfiguration(seed: 3), body)
        #expect(!report.passed)
        let c = try #require(report.counterexample)
        #expect(c.isFlaky)
        #expect(c.savedTo == nil)
        #expect(report.description.contains("failed, but the failure is flaky: the failure did not reproduce: "
                                            + "run again on the same example, the property passed"))
        #expect(report.description.contains("This is not a reliable minimal counterexample"))
        #expect(!report.description.contains("Minimal counterexample:"))
        #expect(c.value != "11", "nothing smaller failed: the value is the first failure")
        // The same report again: deterministic.
        calls = 0; failed = false
        let again = checkProperty("flaky", Gen.ints(in: 0...1000), configuration: PropertyConfiguration(seed: 3), body)
        #expect(again.description == report.description)
    }

    @Test func failureThatStopsReproducingWhileShrinkingIsReportedFlaky() throws {
        // Fails on its first three calls above 10 (the first failure and two
        // shrink candidates), never again: the shrunk example does not fail
        // when it is run the last time.
        var failures = 0
        let report = checkProperty("flaky late", Gen.ints(in: 0...1000), configuration: PropertyConfiguration(seed: 3)) { x in
            if x > 10 {
                failures += 1
                if failures <= 3 { throw PropertyFailure("too big") }
            }
        }
        let c = try #require(report.counterexample)
        #expect(!report.passed)
        #expect(c.isFlaky)
        #expect(report.description.contains("the failure is flaky"))
    }

    @Test func deterministicFailureIsNotFlaky() throws {
        let report = checkProperty("steady", Gen.ints(in: 0...1000), configuration: PropertyConfiguration(seed: 3)) { x in
            try expect(x <= 10, "too big")
        }
        let c = try #require(report.counterexample)
        #expect(!c.isFlaky)
        #expect(c.value == "11")
        #expect(report.description.contains("Minimal counterexample: 11"))
    }

    // MARK: 2. Canonical descriptions (no hash order)

    /// The same set built so that its iteration order differs.
    static func sets() -> [Set<Int>] {
        var a = Set<Int>(minimumCapacity: 4), b = Set<Int>(minimumCapacity: 256)
        for i in 0..<40 { a.insert(i) }
        for i in (0..<40).reversed() { b.insert(i) }
        return [a, b]
    }

    @Test func setsAndDictionariesPrintSortedAtAnyDepth() {
        let orders = Self.sets()
        #expect(Array(orders[0]) != Array(orders[1]), "the test needs two iteration orders")
        let texts = orders.map { set in
            reportDescription((0, [set], Optional(set), Holder(id: 1, tags: Set(set.map(String.init))),
                               Dictionary(uniqueKeysWithValues: set.map { ($0, [$0: set.count]) })))
        }
        #expect(texts[0] == texts[1])
        #expect(texts[0].hasPrefix("(0, [Set([0, 1, 2, 3, "))
        #expect(reportDescription([Set([2, 1, 0])]) == "[Set([0, 1, 2])]")
        #expect(reportDescription([3: "c", 1: "a"]) == "[1: \"a\", 3: \"c\"]")
        #expect(reportDescription([Int: Int]()) == "[:]")
        #expect(reportDescription(Shape.poly([3, 1, 2], label: "t")) == "poly(Set([1, 2, 3]), label: \"t\")")
        #expect(reportDescription(Shape.dot) == "dot")
        #expect(reportDescription(Named(name: "x")) == "Named<x>")
    }

    @Test func setsOfNonComparableElementsSortByDescription() {
        var a = Set<Point>(minimumCapacity: 2), b = Set<Point>(minimumCapacity: 512)
        for i in 0..<30 { a.insert(Point(x: i, y: -i)) }
        for i in (0..<30).reversed() { b.insert(Point(x: i, y: -i)) }
        #expect(Array(a) != Array(b), "the test needs two iteration orders")
        #expect(reportDescription(a) == reportDescription(b))
        #expect(reportDescription(Set([Point(x: 1, y: 0)])) == "Set([Point(x: 1, y: 0)])")
        #expect(reportDescription([Point(x: 2, y: 0): 1, Point(x: 1, y: 0): 2]) == "[Point(x: 1, y: 0): 2, Point(x: 2, y: 0): 1]")
    }

    @Test func reportOfANestedSetIsTheSameWhateverTheOrder() throws {
        let generator = Gen.zip(Gen.ints(in: 0...3), Gen.sets(of: Gen.ints(in: 0...20), count: 3...3))
        let report = checkProperty("nested set", generator, configuration: PropertyConfiguration(seed: 1)) { _ in
            throw PropertyFailure("always")
        }
        let c = try #require(report.counterexample)
        #expect(c.value == "(0, Set([0, 1, 2]))")
        // Replaying the same string many times gives the same text.
        var texts: Set<String> = []
        for _ in 0..<5 {
            texts.insert(checkProperty("nested set", generator, configuration: PropertyConfiguration(replay: c.replayString)) { _ in
                throw PropertyFailure("always")
            }.description)
        }
        #expect(texts.count == 1)
    }

    // MARK: 3. Strings, empty descriptions, drawing bodies

    @Test func stringsAreQuotedAndEscaped() throws {
        #expect(reportDescription("\0") == "\"\\0\"")
        #expect(reportDescription("\u{80}") == "\"\\u{80}\"")
        #expect(reportDescription("") == "\"\"")
        #expect(reportDescription(Character("a")) == "\"a\"")
        #expect(reportDescription(["a", "b"]) == "[\"a\", \"b\"]")
        #expect(reportDescription(Set(["b", "a"])) == "Set([\"a\", \"b\"])")
        let report = checkProperty("empty string", Gen.strings(), configuration: PropertyConfiguration(seed: 1)) { _ in
            throw PropertyFailure("always")
        }
        #expect(report.description.contains("Minimal counterexample: \"\"\n"))
        #expect(!report.description.contains("(see steps)"))
    }

    @Test func drawingBodyWithoutNotesShowsItsChoices() throws {
        let report = checkProperty("drawing", configuration: PropertyConfiguration(seed: 2)) { tc in
            try expect(try tc.drawInteger(IntegerConstraints(min: 0, max: 9)) < 3)
        }
        #expect(report.description.contains("Minimal counterexample: (drew 1 choice: 3; name them in the report with tc.note(...))"))
        let steps = checkProperty("drawing notes", configuration: PropertyConfiguration(seed: 2)) { tc in
            let n = try tc.drawInteger(IntegerConstraints(min: 0, max: 9))
            tc.note("n = \(n)")
            try expect(n < 3)
        }
        #expect(steps.description.contains("Minimal counterexample: (see steps)\nSteps:\n  n = 3"))
    }

    // MARK: 4. Health check

    @Test func filterThatRejectsAlmostEverythingFails() {
        let report = checkProperty("filter 42", Gen.ints().filter { $0 == 42 }) { _ in }
        #expect(!report.passed)
        let text = report.description
        #expect(text.contains("health check: only "))
        #expect(text.contains("valid example ran of the 100 asked for") || text.contains("valid examples ran of the 100 asked for"))
        #expect(text.contains("by filter at PropertyTestingTests/ReportRobustnessTests.swift:"))
        #expect(text.contains("Generate valid values directly"))
    }

    @Test func aByteStringNoExampleHoldsIsALimitNotACrash() {
        // Drawn at random, a least count of 2^40 bytes was allocated (and the
        // process killed); replayed, the same generator already stopped at
        // the padding budget.
        for count in [1 << 40, Int.max] {
            let report = checkProperty("huge", Gen.bytes(count: count...count), configuration: PropertyConfiguration(maxExamples: 1)) { _ in }
            #expect(!report.passed)
            #expect(report.description.contains("TestCase.maxByteStringCount"), "\(report)")
        }
        let fits = checkProperty("large", Gen.bytes(count: (1 << 16)...(1 << 16)), configuration: PropertyConfiguration(maxExamples: 2)) {
            try expect($0.count == 1 << 16)
        }
        #expect(fits.passed, "\(fits)")
    }

    @Test func uniqueCollectionsPastTheChoiceLimitNameIt() {
        // A million distinct elements: no example holds them, as for a plain
        // array, and the report said "50 duplicate elements in a row".
        let unique = checkProperty("unique", Gen.uniqueArrays(of: Gen.ints(), count: 1_000_000...1_000_000)) { _ in }
        let dictionary = checkProperty("dictionary", Gen.dictionaries(keys: Gen.ints(), values: Gen.ints(), count: Int.max...Int.max)) { _ in }
        for report in [unique, dictionary] {
            #expect(!report.passed)
            #expect(report.description.contains("choice limit") && !report.description.contains("duplicate"), "\(report)")
        }
    }

    @Test func aFilteredValueGivenAgainIsNoNewExample() {
        // Runs that differ only in a filter's rejected attempts give one
        // value: the body ran on 3 again and again, each counted as a
        // distinct example, which also kept the health check from seeing
        // the filter reject almost everything.
        var values: [Int] = []
        let report = checkProperty("only 3", Gen.ints(in: 0...1000).filter { $0 == 3 }) { values.append($0) }
        #expect(values == [3])
        #expect(!report.passed && report.description.contains("health check: only 1 valid example ran"), "\(report)")
        var thousands: [Int] = []
        let sparse = checkProperty("multiples of 1000", Gen.ints(in: 0...100_000).filter { $0 % 1000 == 0 }) { thousands.append($0) }
        #expect(Set(thousands).count == thousands.count, "\(thousands)")
        #expect(sparse.statistics.examples == thousands.count)
    }

    @Test func assumeThatRejectsAlmostEverythingFails() {
        // Since `assume` grows the size as a filter does, the search spreads
        // over the range and may never meet 77: the run then fails as
        // unsatisfiable rather than at the health check. Either fails it.
        let report = checkProperty("assume 77", Gen.ints(in: 0...1000)) { x in try assume(x == 77) }
        #expect(!report.passed)
        #expect(report.description.contains("health check") || report.description.contains("unsatisfiable"))
        #expect(report.description.contains("assume"))
    }

    @Test func smallSpaceWithAFewDiscardsStillPasses() {
        // Every value was tried; the filter rejected three of four.
        let report = checkProperty("tiny", Gen.ints(in: 0...3).filter { $0 == 1 }) { _ in }
        #expect(report.passed)
        let moderate = checkProperty("moderate", Gen.ints(in: 0...1000).filter { $0 % 4 == 0 }) { _ in }
        #expect(moderate.passed)
    }

    // MARK: 5. Invalid settings

    @Test func negativeShrinkBudgetIsRefused() {
        let report = checkProperty("budget", Gen.ints(), configuration: PropertyConfiguration(maxShrinkCalls: -3)) { _ in }
        #expect(!report.passed)
        #expect(report.description.contains("maxShrinkCalls is -3"))
        #expect(report.bodyCalls == 0)
        // No example was generated, so no seed was used: none is named.
        #expect(!report.description.contains("(seed "), "\(report)")
        let none = checkProperty("none", Gen.ints(), configuration: PropertyConfiguration(maxExamples: 0)) { _ in }
        #expect(!none.passed && !none.description.contains("(seed "), "\(none)")
    }

    @Test func unparsableEnvironmentIsAnError() {
        let examples = PropertyConfiguration(environment: { $0 == PropertyConfiguration.maxExamplesVariable ? "abc" : nil })
        let r1 = checkProperty("env", Gen.ints(), configuration: examples) { _ in }
        #expect(!r1.passed)
        #expect(r1.description.contains("PROPERTY_TESTING_MAX_EXAMPLES is set to \"abc\""))
        for bad in ["xyz", "-5"] {
            let seeded = PropertyConfiguration(environment: { $0 == PropertyConfiguration.seedVariable ? bad : nil })
            let r2 = checkProperty("env", Gen.ints(), configuration: seeded) { _ in }
            #expect(!r2.passed)
            #expect(r2.description.contains("PROPERTY_TESTING_SEED is set to \"\(bad)\""))
            #expect(r2.bodyCalls == 0)
        }
        // A good value is used; an explicit seed does not read the variable.
        let good = PropertyConfiguration(environment: { $0 == PropertyConfiguration.seedVariable ? "42" : nil })
        #expect(checkProperty("env", Gen.ints(), configuration: good) { _ in }.seed == 42)
        let explicit = PropertyConfiguration(seed: 7, environment: { $0 == PropertyConfiguration.seedVariable ? "xyz" : nil })
        #expect(checkProperty("env", Gen.ints(), configuration: explicit) { _ in }.passed)
        let few = PropertyConfiguration(environment: { $0 == PropertyConfiguration.maxExamplesVariable ? "7" : nil })
        #expect(few.maxExamples == 7)
        // Each refusal says what is wrong with the value, and names the variable.
        for (bad, why) in [("99999999999999999999", "which is more than \(Int.max)"), ("-5", "so no example would run"),
                           ("0", "so no example would run"), ("1e3", "which is not a whole number")] {
            let configuration = PropertyConfiguration(environment: { $0 == PropertyConfiguration.maxExamplesVariable ? bad : nil })
            let report = checkProperty("env", Gen.ints(), configuration: configuration) { _ in }
            #expect(!report.passed && report.bodyCalls == 0)
            #expect(report.description.contains("PROPERTY_TESTING_MAX_EXAMPLES is set to \"\(bad)\", \(why);"), "\(report)")
        }
        // An empty value (CI systems export unset variables so) is unset, for both.
        let empty = PropertyConfiguration(environment: { _ in " " })
        let report = checkProperty("env", Gen.ints(), configuration: empty) { _ in }
        #expect(report.passed && empty.maxExamples == 100)
        #expect(report.seed == checkProperty("env", Gen.ints(), configuration: PropertyConfiguration(environment: { _ in nil })) { _ in }.seed)
    }

    // MARK: 6. Example counts

    @Test func countsTheExamplesThatRan() {
        let one = checkProperty("just", Gen.just(1)) { _ in }
        #expect(one.statistics.examples == 1)
        #expect(one.description.contains("passed 1 distinct example (seed"))
        #expect(one.description.contains("the generator produced no other valid value: 1000 further tries only repeated earlier ones"))
        let five = checkProperty("five", Gen.ints(in: 5...5)) { _ in }
        #expect(five.description.contains("passed 1 distinct example "))
        let small = checkProperty("small", Gen.ints(in: 0...4), configuration: PropertyConfiguration(seed: 1)) { _ in }
        #expect(small.description.contains("passed 5 distinct examples"))
        #expect(small.description.contains("all 5 valid values the generator produced were tried"))
        let all = checkProperty("all", Gen.ints(in: 0...1000), configuration: PropertyConfiguration(maxExamples: 2000, seed: 1)) { _ in }
        #expect(all.description.contains("passed 1001 distinct examples"))
        #expect(all.description.contains("all 1001 valid values the generator produced were tried"))
        let many = checkProperty("many", Gen.ints(in: 0...1000)) { _ in }
        #expect(many.description.contains("passed 101 distinct examples"))
        #expect(!many.description.contains("were tried"))
    }

    // MARK: 7. Smaller

    @Test func reportSaysHowToUseTheReplayString() throws {
        let report = checkProperty("replay line", Gen.ints(in: 0...1000), configuration: PropertyConfiguration(seed: 1)) { x in
            try expect(x < 500)
        }
        let c = try #require(report.counterexample)
        #expect(report.description.contains("To rerun only this example: PropertyConfiguration(replay: \"\(c.replayString)\")"))
    }

    @Test func failureOfTheSimplestExampleSaysSo() {
        let report = checkProperty("simplest", Gen.ints(in: 0...1000)) { _ in throw PropertyFailure("always") }
        #expect(report.description.contains("found by the simplest example (every choice at its simplest), before any random example; 1 shrink call)"))
        #expect(!report.description.contains("found by random example"))
    }

    @Test func nanPrintsQuiet() {
        #expect(reportDescription(Double.signalingNaN) == "nan")
        #expect(reportDescription([Double.signalingNaN, -Double.nan]) == "[nan, -nan]")
        #expect(reportDescription(Float.signalingNaN) == "nan")
        #expect(reportDescription(1.5) == "1.5")
    }
}
