import Testing
@testable import PropertyTesting

/// The search's duplication mutation (`Duplication`): one sub-draw's choices
/// copied over another's of the same label.
@Suite struct DuplicationTests {
    func span(_ label: String, _ range: Range<Int>, depth: Int = 0, parent: Int? = nil) -> Span {
        Span(label: label, start: range.lowerBound, end: range.upperBound, depth: depth, parent: parent)
    }

    /// Two sub-draws of one label: the result is one of them copied over the other.
    @Test func copiesOneSubDrawOverAnother() {
        let values: [ChoiceValue] = [.integer(1), .integer(2), .boolean(true), .integer(3), .integer(4)]
        let spans = [span("pair", 0..<2), span("flag", 2..<3), span("pair", 3..<5)]
        let duplication = Duplication(spans: spans)
        var seen: Set<[ChoiceValue]> = []
        for seed in 0..<50 as Range<UInt64> {
            var random = RandomSource(seed: seed)
            if let m = duplication.mutate(values, random: &random) { seen.insert(m) }
        }
        let firstOverSecond: [ChoiceValue] = [.integer(1), .integer(2), .boolean(true), .integer(1), .integer(2)]
        let secondOverFirst: [ChoiceValue] = [.integer(3), .integer(4), .boolean(true), .integer(3), .integer(4)]
        #expect(seen == [firstOverSecond, secondOverFirst])
    }

    /// Nothing to copy: no label twice, or two sub-draws of one label that
    /// are nested or already equal.
    @Test func leavesExamplesWithoutTwoDisjointDifferentSubDraws() {
        let values: [ChoiceValue] = [.integer(1), .integer(2), .integer(1), .integer(2)]
        #expect(Duplication(spans: [span("a", 0..<2), span("b", 2..<4)]).isEmpty)
        let nested = Duplication(spans: [span("list", 0..<4), span("list", 1..<3, depth: 1, parent: 0)])
        let equal = Duplication(spans: [span("pair", 0..<2), span("pair", 2..<4)])
        for seed in 0..<20 as Range<UInt64> {
            var random = RandomSource(seed: seed)
            #expect(nested.mutate(values, random: &random) == nil)
            #expect(equal.mutate(values, random: &random) == nil)
        }
    }

    /// Two equal strings of three characters or more are drawn
    /// independently once in hundreds of thousands of pairs; the mutation
    /// finds them, and the report says how the failure was found. With the
    /// mutation switched off none of these 10 seeds fails in 1,000 examples;
    /// with `deleteInEqualSiblings` limited to a collection's elements, 8
    /// of them stop at `('0000', '0000')` or longer.
    @Test(arguments: 0..<10 as Range<UInt64>)
    func findsEqualValuesThatRandomDrawsMiss(seed: UInt64) throws {
        let report = checkProperty("equal strings", Gen.zip(Gen.strings(), Gen.strings()),
                                   configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) { t in
            try expect(!(t.0 == t.1 && t.0.unicodeScalars.count >= 3))
        }
        let value = try #require(report.counterexampleValue(as: (String, String).self))
        #expect(value == ("000", "000"))
        #expect(report.description.contains("found by \(Duplication.origin) after"))
    }
}

/// A store that loses a value put under a key it already holds, when the
/// key is three characters or more.
struct ForgetfulStore {
    var entries: [String: Int] = [:]
    mutating func put(_ key: String, _ value: Int) {
        if key.count >= 3, entries[key] != nil { entries[key] = nil; return }  // the bug
        entries[key] = value
    }
}

extension DuplicationTests {
    /// A state machine's steps are sub-draws of one label too: the bug needs
    /// one key of three characters put twice, which random strings almost
    /// never repeat. With the mutation switched off none of these 5 seeds
    /// fails in 1,000 runs.
    @Test(arguments: 0..<5 as Range<UInt64>)
    func findsARepeatedStepOfAStateMachine(seed: UInt64) throws {
        let machine = StateMachine<[String: Int], ForgetfulStore>(
            model: { [:] }, system: { ForgetfulStore() },
            rules: [
                .mutating("put") { model, store, step in
                    let key = try step.draw(Gen.strings(), "key")
                    let value = try step.draw(Gen.ints(in: 0...9), "value")
                    model[key] = value
                    store.put(key, value)
                },
            ],
            check: { model, store in try expect(model == store.entries, "store lost a value") })
        let report = machine.check("forgetful store", configuration: PropertyConfiguration(maxExamples: 1000, seed: seed))
        let failure = try #require(report.counterexample)
        #expect(failure.notes == [#"put(key: "000", value: 0)"#, #"put(key: "000", value: 0)"#])
    }
}
