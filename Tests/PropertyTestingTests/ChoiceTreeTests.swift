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

    @Test func aPredictedRunKeepsItsRuleChoices() throws {
        // Two steps of a machine whose second rule is enabled once the first ran.
        let machine = StateMachine<Int, CounterBuggyAtThree>(
            model: { 0 }, system: CounterBuggyAtThree.init,
            rules: [
                .init("increment") { model, counter, _ in model += 1; counter.increment() },
                .init("decrement", precondition: { $0 > 0 }) { model, counter, _ in model -= 1; counter.decrement() },
            ])
        let executor = Executor(body: { tc in ("", nil, { try machine.run(tc) }) }, deduplicates: false)
        let values: [ChoiceValue] = [.boolean(true), .integer(0), .boolean(true), .integer(1), .boolean(false)]
        let run = executor.replay(values)
        #expect(run.ruleChoices == [RuleChoice(choice: 1, enabled: [0]), RuleChoice(choice: 3, enabled: [0, 1])])
        let tree = ChoiceTree()
        tree.record(candidate: values, recorded: run.sequence.choices, outcome: run.outcome, ruleChoices: run.ruleChoices)
        let predicted = try #require(tree.predict(values))
        #expect(tree.ruleChoices(along: predicted.recorded) == run.ruleChoices)
        // Along a path no run took, only the rule choices before it are known.
        #expect(tree.ruleChoices(along: run.sequence.choices.prefix(2) + [Choice(kind: .boolean, value: .boolean(false))])
                == [RuleChoice(choice: 1, enabled: [0])])
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
