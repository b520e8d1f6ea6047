import Testing
@testable import PropertyTesting

@Suite struct ChoiceTreeTests {
    /// Draws a flag; when set, an integer that must stay below 5.
    static func body(_ tc: TestCase) throws {
        if try tc.drawBoolean() {
            let x = try tc.drawInteger(IntegerConstraints(min: 0, max: 9))
            try expect(x < 5, "too large")
        }
    }

    @Test func predictsOnlyWhatEarlierRunsDecided() {
        let tree = ChoiceTree()
        let executor = Executor(body: { tc in ("", nil, { try Self.body(tc) }) }, deduplicates: false)
        func run(_ values: [ChoiceValue]) {
            let e = executor.replay(values)
            tree.record(candidate: values, recorded: e.sequence.choices, outcome: e.outcome)
        }
        run([.boolean(true), .integer(7)])
        // The same reading, with a value past the end that the run never reads.
        #expect(tree.predict([.boolean(true), .integer(7), .integer(3)])?.outcome.failureKind != nil)
        // A value the integer's kind does not permit reads as its simplest, 0: not seen yet.
        #expect(tree.predict([.boolean(true), .boolean(true)]) == nil)
        // Ending where a run read on is an overrun.
        #expect(tree.predict([.boolean(true)])?.outcome == .overrun)
        // A different branch is unknown until run.
        #expect(tree.predict([.boolean(false)]) == nil)
        run([.boolean(false)])
        #expect(tree.predict([.boolean(false), .integer(1)])?.outcome == .passed)
        #expect(tree.predict([.boolean(false), .integer(1)])?.recorded == [Choice(kind: .boolean, value: .boolean(false))])
    }

    @Test func predictionsChangeNoShrinkResultButSaveCalls() throws {
        // The state-machine pair problem: the same minimal steps as a full run of every candidate.
        let input = PairDeletionTests.steps(["push", "pop", "push", "push", "pop"])
        let result = try #require(shrink(bytes: input, PairDeletionTests.machine.run))
        #expect(result.notes == ["push(x: 0, y: 0)", "push(x: 0, y: 0)", "pop()"])
        // Before predictions this took 63 calls.
        #expect(result.calls < 40)
    }
}
