import Testing
@testable import PropertyTesting

/// A stack whose pop goes wrong exactly when it holds two values.
final class TwoDeepStack {
    private(set) var items: [Int] = []
    func push(_ x: Int) { items.append(x) }
    func pop() throws -> Int {
        if items.count == 2 { throw PropertyFailure("pop at depth 2") }
        return items.removeLast()
    }
}

@Suite struct PairDeletionTests {
    static var machine: StateMachine<Int, TwoDeepStack> { StateMachine<Int, TwoDeepStack>(
        model: { 0 }, system: TwoDeepStack.init,
        rules: [
            .init("push") { depth, stack, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                let y = try step.draw(Gen.ints(in: 0...9), "y")
                stack.push(x * 10 + y)
                depth += 1
            },
            .init("pop", precondition: { $0 > 0 }) { depth, stack, _ in _ = try stack.pop(); depth -= 1 },
        ]) }

    /// Steps as the byte format writes them: "another step" flag, rule index
    /// among enabled rules (one byte; none while only push is enabled), arguments.
    static func steps(_ ops: [String]) -> [UInt8] {
        var out: [UInt8] = []
        var depth = 0
        for op in ops {
            out.append(1)
            if op == "pop" { out.append(1); depth -= 1 } else {
                if depth > 0 { out.append(0) }  // push among push and pop
                out += [0, 0]                   // x = 0, y = 0 (one byte each)
                depth += 1
            }
        }
        return out + [0]
    }

    @Test func blocksDoNotReadARuleIndexAsAnArgument() throws {
        // At the minimum push, push, pop: a block of the second push's y and
        // the pop's flag reads the pop's rule index as y (an integer of
        // another range), and the run then wants another step. Such blocks
        // cost a call each while confirming the minimum.
        let input = Self.steps(["push", "push", "pop"])
        let executor = Executor(body: { tc in ("", nil, { try Self.machine.run(tc) }) }, deduplicates: false)
        let first = try #require(executor.run(TestCase(bytes: input)))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        #expect(shrinker.best.notes == ["push(x: 0, y: 0)", "push(x: 0, y: 0)", "pop()"])
        #expect(!shrinker.deleteBlocks())
        // 3 calls before.
        #expect(shrinker.calls == 1, "\(shrinker.calls) calls")
    }

    @Test func pushPopPairIsDeletedTogether() throws {
        // push, pop, push, push, pop: the last pop fails. Deleting the first
        // push alone turns the pop into a push (depth 3 at the failing pop);
        // deleting the first pop alone leaves depth 3 as well. Only the pair goes.
        let input = Self.steps(["push", "pop", "push", "push", "pop"])
        let first = runOnce(bytes: input, Self.machine.run)
        #expect(first.notes == ["push(x: 0, y: 0)", "pop()", "push(x: 0, y: 0)", "push(x: 0, y: 0)", "pop()"])
        let result = try #require(shrink(bytes: input, Self.machine.run))
        #expect(result.notes == ["push(x: 0, y: 0)", "push(x: 0, y: 0)", "pop()"])
        #expect(!result.budgetExhausted)
        // Without deleting pairs the other passes got there only after 115 calls.
        #expect(result.calls <= 70)
    }

    @Test func pairWithStepsBetweenIsDeletedTogether() throws {
        // push, push, pop, pop, push, push, pop: the pair (second push, first
        // pop) is adjacent; the outer pair (first push, second pop) encloses it.
        let input = Self.steps(["push", "push", "push", "pop", "pop", "push", "pop"])
        let result = try #require(shrink(bytes: input, Self.machine.run))
        #expect(result.notes == ["push(x: 0, y: 0)", "push(x: 0, y: 0)", "pop()"])
    }

    @Test(arguments: 0..<10 as Range<UInt64>)
    func randomRunsShrinkToTheMinimalSteps(seed: UInt64) throws {
        let report = Self.machine.check("two deep", configuration: PropertyConfiguration(seed: seed))
        let failure = try #require(report.counterexample)
        #expect(failure.notes == ["push(x: 0, y: 0)", "push(x: 0, y: 0)", "pop()"])
    }
}
