import Testing
@testable import PropertyTesting
import PropertyTestingSwiftTesting

/// A counter system for the counter state machine.
protocol Counter: AnyObject {
    var value: Int { get }
    func increment()
    func decrement()
    func add(_ n: Int)
}

/// A counter with a bug: adding 3 or more to a non-zero value adds one too many.
final class BuggyCounter: Counter {
    private(set) var value = 0
    func increment() { value += 1 }
    func decrement() { value -= 1 }
    func add(_ n: Int) { value += value > 0 && n >= 3 ? n + 1 : n }
}

/// Increment, decrement (when positive) and add n in 0...10, checked against an integer model.
func makeCounterMachine<C: Counter>(_ system: @escaping () -> C) -> StateMachine<Int, C> { StateMachine<Int, C>(
    model: { 0 }, system: system,
    rules: [
        .init("increment") { model, system, _ in model += 1; system.increment() },
        .init("decrement", precondition: { $0 > 0 }) { model, system, _ in model -= 1; system.decrement() },
        .init("add") { model, system, step in
            let n = try step.draw(Gen.ints(in: 0...10), "n")
            model += n
            system.add(n)
        },
    ],
    check: { model, system in try expect(model == system.value, "model \(model) but system \(system.value)") },
    invariants: [("non-negative", { system in try expect(system.value >= 0) })]
) }

func makeCounterMachine() -> StateMachine<Int, BuggyCounter> { makeCounterMachine(BuggyCounter.init) }

/// A registry that forgets a handle when the same name is opened twice.
final class Registry {
    private var open: [Int] = []
    private var next = 0
    func openHandle() -> Int { next += 1; open.append(next); return next }
    func close(_ handle: Int) throws {
        guard let i = open.firstIndex(of: handle) else { throw PropertyFailure("handle \(handle) is not open") }
        open.remove(at: i)
        if open.count == 1 { open.removeAll() }  // the bug
    }
}

@Suite struct IntegrationTests {
    @Test func stateMachineReportsMinimalSteps() throws {
        let counterMachine = makeCounterMachine()
        let report = counterMachine.check("counter", configuration: PropertyConfiguration(seed: 3))
        let failure = try #require(report.counterexample)
        #expect(failure.notes == ["increment()", "add(n: 3)"])
        #expect(report.description.contains("Steps:\n  increment()\n  add(n: 3)\n"))
        // The replay string reproduces the steps.
        let replayed = counterMachine.check("counter", configuration: PropertyConfiguration(replay: failure.replayString))
        #expect(replayed.counterexample?.notes == failure.notes)
    }

    @Test func stateMachineStepsCanUseEarlierResults() throws {
        let machine = StateMachine<[Int], Registry>(
            model: { [] }, system: { Registry() },
            rules: [
                .init("open") { model, system, step in
                    let h = system.openHandle()
                    model.append(h)
                    step.produce(h, into: "handles")
                },
                .init("close", precondition: { !$0.isEmpty }) { model, system, step in
                    let h: Int = try step.pick(from: "handles", label: "handle", remove: true)
                    model.removeAll { $0 == h }
                    try system.close(h)
                },
            ])
        let report = machine.check("registry", configuration: PropertyConfiguration(seed: 1))
        let failure = try #require(report.counterexample)
        #expect(failure.notes == ["v1 = open()", "v2 = open()", "close(handle: v1)", "close(handle: v2)"])
    }

    @Test func failingPropertyFailsTheTest() {
        withKnownIssue {
            propertyCheck("integration-failing", Gen.ints(in: 0...1000), saveRegressions: false) { x in
                try expect(x < 500, "x too large")
            }
        } matching: { issue in
            let text = issue.comments.map(\.rawValue).joined()
            return text.contains("Minimal counterexample: 500") && text.contains("Seed: ") && text.contains("Replay: pt1-")
        }
    }

    @Test func passingPropertyRecordsNoIssue() {
        let report = propertyCheck("integration-passing", Gen.ints(in: 0...1000), saveRegressions: false) { x in
            try expect(x <= 1000)
        }
        #expect(report.passed)
        // The simplest example runs before the random ones and is counted too.
        #expect(report.statistics.examples == PropertyConfiguration().maxExamples + 1)
    }
}
