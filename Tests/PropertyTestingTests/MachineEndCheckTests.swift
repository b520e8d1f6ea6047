import Testing
@testable import PropertyTesting

/// Blocks handed out and not yet given back.
final class BlockTable {
    private(set) var live: [Int] = []
    private var next = 0
    func take() -> Int { next += 1; live.append(next); return next }
    func give(_ index: Int) { live.remove(at: index) }
}

/// A property that checks more after its state machine returns: every block
/// taken must be given back by the end. Its failures happen after the last
/// step, not in one, so a candidate that stops the machine early is not
/// known to pass.
@Suite struct MachineEndCheckTests {
    static func leakCheck(seed: UInt64) -> PropertyReport {
        var table = BlockTable()
        let machine = StateMachine<Int, BlockTable>(
            model: { 0 }, system: { table = BlockTable(); return table },
            rules: [
                .init("take") { live, table, _ in
                    _ = table.take()
                    live += 1
                },
                .init("give", precondition: { $0 > 0 }) { live, table, step in
                    let index = try step.draw(Gen.ints(in: 0...(live - 1)), "index")
                    table.give(index)
                    live -= 1
                },
            ])
        return checkProperty("no block kept", configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) { tc in
            try machine.run(tc)
            if !table.live.isEmpty { throw PropertyFailure("\(table.live.count) blocks kept") }
        }
    }

    @Test func aCheckAfterTheMachineShrinksToOneStep() {
        for seed: UInt64 in 0..<20 {
            let report = Self.leakCheck(seed: seed)
            #expect(report.counterexample?.notes == ["take()"], "seed \(seed): \(report.counterexample?.notes ?? [])")
        }
    }
}
