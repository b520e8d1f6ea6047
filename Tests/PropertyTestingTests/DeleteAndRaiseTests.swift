import Testing
@testable import PropertyTesting

/// A counter whose increment adds two when the counter is 3.
final class CounterBuggyAtThree: Counter {
    private(set) var value = 0
    func increment() { value += value == 3 ? 2 : 1 }
    func decrement() { value -= 1 }
    func add(_ n: Int) { value += n }
}

func makeCounterAtThreeMachine() -> StateMachine<Int, CounterBuggyAtThree> { makeCounterMachine(CounterBuggyAtThree.init) }

/// A counter whose increment adds two when the counter is 33.
final class CounterBuggyAtThirtyThree: Counter {
    private(set) var value = 0
    func increment() { value += value == 33 ? 2 : 1 }
    func decrement() { value -= 1 }
    func add(_ n: Int) { value += n }
}

@Suite struct DeleteAndRaiseTests {
    /// Allocation sizes; fails when their pages (4096 bytes each, rounded up) total exactly 5.
    static func pagesTotalFive(_ tc: TestCase) throws {
        let sizes = try tc.draw(Gen.arrays(of: Gen.integers(in: 0...10_000_000)))
        let pages = sizes.reduce(0) { $0 + ($1 + 4095) / 4096 }
        tc.note("sizes \(sizes)")
        try expect(pages != 5, "5 pages live")
    }

    @Test func deletedAllocationIsAbsorbedByALaterSize() throws {
        // [4096, 16384]: each element is a true "another element" flag and a
        // three-byte rank; a false flag ends the list.
        let input: [UInt8] = [1, 0x00, 0x10, 0x00, 1, 0x00, 0x40, 0x00, 0]
        #expect(runOnce(bytes: input, Self.pagesTotalFive).notes == ["sizes [4096, 16384]"])
        let result = try #require(shrink(bytes: input, Self.pagesTotalFive))
        // One allocation of 5 pages, the smallest size that takes 5.
        #expect(result.notes == ["sizes [16385]"])
        #expect(result.choices.values == [.boolean(true), .integer(16385), .boolean(false)])
        #expect(!result.budgetExhausted)
    }

    @Test func randomFailuresShrinkToOneAllocation() {
        // Without the pass most of these seeds end at five 1-byte allocations.
        for seed: UInt64 in 0..<8 {
            let report = checkProperty("pages", configuration: PropertyConfiguration(maxExamples: 1000, seed: seed), drawing: Self.pagesTotalFive)
            #expect(report.counterexample?.notes == ["sizes [16385]"], "seed \(seed)")
        }
    }

    enum Step: Sendable { case alloc(Int64), freeOldest }

    /// Steps of a trace: a tag (0 ends it, 1 allocates, 2 frees the oldest
    /// live allocation), then for an allocation its size in bytes, simplest 1.
    static let step = Generator<Step?>(label: "step") { tc in
        switch try tc.drawInteger(IntegerConstraints(min: 0, max: 2)) {
        case 0: return nil
        case 1: return .alloc(try tc.drawInteger(IntegerConstraints(min: 0, max: (1 << 23) - 1, simplest: 1)))
        default: return .freeOldest
        }
    }

    /// Runs steps until the end; fails once 5 pages are live.
    static func tracePagesStayBelowFive(_ tc: TestCase) throws {
        var live: [Int64] = []
        while let step = try tc.draw(step) {
            switch step {
            case .alloc(let size): live.append(size); tc.note("alloc \(size)")
            case .freeOldest: if !live.isEmpty { live.removeFirst() }; tc.note("free")
            }
            try expect(live.reduce(0) { $0 + ($1 + 4095) / 4096 } < 5, "5 pages live")
        }
    }

    @Test func traceStepsMergeIntoOneAllocation() throws {
        // Rank of a size is its value here (simplest 1, nothing below but 0).
        let size4096: [UInt8] = [0x00, 0x10, 0x00], size16384: [UInt8] = [0x00, 0x40, 0x00], size1: [UInt8] = [0, 0, 0]
        let inputs: [[UInt8]] = [
            [1] + size4096 + [1] + size16384 + [0],
            [1] + size4096 + [2] + [1] + size4096 + [1] + size16384 + [0],
            Array([[UInt8]](repeating: [1] + size1, count: 5).joined()) + [0],
        ]
        for input in inputs {
            let result = try #require(shrink(bytes: input, Self.tracePagesStayBelowFive))
            #expect(result.notes == ["alloc 16385"], "from \(runOnce(bytes: input, Self.tracePagesStayBelowFive).notes)")
        }
    }

    /// Runs allocations of 1 to 1000 bytes, counted in units of 450 bytes;
    /// fails once 2 units are live.
    static func unitsStayBelowTwo(_ tc: TestCase) throws {
        // A step is a tag (0 ends the run) and a size, simplest 1.
        let step = Generator<Int64?>(label: "step") { tc in
            try tc.drawInteger(IntegerConstraints(min: 0, max: 1)) == 0
                ? nil : try tc.drawInteger(IntegerConstraints(min: 1, max: 1000))
        }
        var units = 0
        while let size = try tc.draw(step) {
            tc.note("alloc \(size)")
            units += Int((size + 449) / 450)
            try expect(units < 2, "2 units live")
        }
    }

    @Test func aThinnedSweepStillReachesHalfTheRange() throws {
        // Two 1-byte allocations: deleting one needs the other raised by
        // 450 or more, nearly half its range. Raises of 1 and 2 run out; the
        // thinned sweep then tries 7, 62 and 499 (half the room of 999, and
        // that over 8 and 64), not every power of two, and the lowering
        // passes take 500 to 451.
        let input: [UInt8] = [1, 0, 0, 1, 0, 0, 0]
        #expect(runOnce(bytes: input, Self.unitsStayBelowTwo).notes == ["alloc 1", "alloc 1"])
        let result = try #require(shrink(bytes: input, Self.unitsStayBelowTwo))
        #expect(result.notes == ["alloc 451"])
    }

    @Test func thinnedSweepKeepsStatedAmountsAndReachesHalfTheRoom() {
        #expect(Shrinker.thinnedSweep([4, 8, 16, 32, 64], stated: [1, 2, 16], above: 2, room: 99) == [6, 16, 49])
        // Nothing of the room past twice what was already tried.
        #expect(Shrinker.thinnedSweep([4, 8], stated: [1, 2], above: 2, room: 9) == [])
        #expect(Shrinker.thinnedSweep([4, 8], stated: [1, 2], above: 2, room: 10) == [5])
        // After a raise past half of the largest room nothing is left (no overflow).
        #expect(Shrinker.thinnedSweep([], stated: [], above: 1 << 63, room: UInt64.max) == [])
        // A sweep that is not over the whole range keeps the stated amounts only.
        #expect(Shrinker.thinnedSweep([3, 4, 8], stated: [1, 2, 3], above: 2, room: nil) == [3])
        // Large rooms: ascending, each within a factor of 8 of the next.
        let sweep = Shrinker.thinnedSweep([], stated: [], above: 2, room: UInt64.max)
        #expect(sweep == sweep.sorted() && sweep.last == UInt64.max / 2)
        #expect(zip(sweep, sweep.dropFirst()).allSatisfy { $1 < 8 * ($0 + 1) })
    }

    @Test func counterStepIsDeletedAndAnotherArgumentRaised() throws {
        // Per step a true "another step" flag and the rule's index among the
        // enabled rules (increment and add at 0, all three once the counter is
        // positive), then add's n; a false flag ends the run.
        let machine = makeCounterAtThreeMachine()
        let inputs: [(bytes: [UInt8], steps: [String])] = [
            // The first step goes, the later n rises to 3 and add's rule index
            // is clamped into the two rules enabled at a counter of 0.
            ([1, 0, 1, 2, 2, 1, 0, 0], ["increment()", "add(n: 2)", "increment()"]),
            // The last step goes, the earlier n rises to 3.
            ([1, 1, 2, 1, 0, 1, 0, 0], ["add(n: 2)", "increment()", "increment()"]),
        ]
        for input in inputs {
            #expect(runOnce(bytes: input.bytes, machine.run).notes == input.steps)
            let result = try #require(shrink(bytes: input.bytes, machine.run))
            #expect(result.notes == ["add(n: 3)", "increment()"], "from \(input.steps)")
        }
    }

    @Test func fourIncrementsBecomeAnAddWithItsArgumentInserted() throws {
        // Four increments (the flag and increment's index per step) fail at
        // the fourth. Deleting one increment and raising the next step's
        // index to add makes add draw an n the example has no choice for:
        // the pass inserts one (n: 2) instead of reading the next step's flag
        // as n, and the ordinary passes finish the shrink.
        let machine = makeCounterAtThreeMachine()
        let input: [UInt8] = [1, 0, 1, 0, 1, 0, 1, 0, 0]
        #expect(runOnce(bytes: input, machine.run).notes == Array(repeating: "increment()", count: 4))
        let result = try #require(shrink(bytes: input, machine.run))
        #expect(result.notes == ["add(n: 3)", "increment()"])
    }

    /// Thirteen increments and two adds of 10 reach 33, where an increment
    /// fails: each increment is traded for a larger add by one
    /// `deleteAndRaise` (a last resort) after another, run again at once
    /// while it deletes (`Shrinker.lastResortRepeats`). 993 calls with a
    /// whole round of the other passes before each trade, 401 with the
    /// repeats, 368 now that the integers before a deleted step other than
    /// the nearest are raised only by what the step held.
    @Test func aLastResortThatDeletesRunsAgainAtOnce() throws {
        let machine = makeCounterMachine(CounterBuggyAtThirtyThree.init)
        let input: [UInt8] = Array([[UInt8]](repeating: [1, 0], count: 13).joined()) + [1, 2, 10, 1, 2, 10, 1, 0, 0]
        #expect(runOnce(bytes: input, machine.run).notes
                == Array(repeating: "increment()", count: 13) + ["add(n: 10)", "add(n: 10)", "increment()"])
        let result = try #require(shrink(bytes: input, machine.run))
        #expect(result.notes == ["add(n: 3)", "add(n: 10)", "add(n: 10)", "add(n: 10)", "increment()"])
        #expect(result.calls <= 500, "\(result.calls) calls")
    }

    @Test func counterMachineReachesTheMinimalSteps() {
        // Measured: all 20 seeds reach add(n: 3); increment() (14 without
        // the inserted argument, 7 without the pass): six ended at four
        // increments.
        for seed: UInt64 in 0..<20 {
            let report = makeCounterAtThreeMachine().check("counter-at-three", configuration: PropertyConfiguration(seed: seed))
            #expect(report.counterexample?.notes == ["add(n: 3)", "increment()"], "seed \(seed)")
        }
    }

    @Test func failingStepIsNotDeleted() throws {
        // At the minimum push, push, pop (the pop fails at depth 2): deleting
        // the pop and raising a push's argument leaves two pushes that pass,
        // whatever the argument; those candidates cost a call each while
        // confirming the minimum. Deleting a push is still tried.
        let input = PairDeletionTests.steps(["push", "push", "pop"])
        let executor = Executor(body: { tc in ("", nil, { try PairDeletionTests.machine.run(tc) }) }, deduplicates: false)
        let first = try #require(executor.run(TestCase(bytes: input)))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        #expect(!shrinker.deleteAndRaise())
        // 13 calls before; 7 before the whole-range sweep thinned out, 6
        // before the other integers of a kind swept in vain stopped being
        // raised by 1 and 2, 4 before the thinned sweep left out raises
        // less than twice the last one tried.
        #expect(shrinker.calls == 3, "\(shrinker.calls) calls")
    }

    /// A map whose put keeps the first value written to a key.
    final class FirstWriteMap {
        var entries: [Int: Int] = [:]
        func put(_ key: Int, _ value: Int) { if entries[key] == nil { entries[key] = value } }
    }

    @Test func noPartOfTheFailingStepIsDeleted() throws {
        // At the minimum put(key: 0, value: 0); put(key: 0, value: 1) (the
        // overwrite is lost): deleting the second put's key or value makes
        // that step read past the end of the example whatever is raised, so
        // every such candidate ran out of choices, a call each while
        // confirming the minimum. Deleting the first put is still tried.
        let machine = StateMachine<[Int: Int], FirstWriteMap>(
            model: { [:] }, system: FirstWriteMap.init,
            rules: [
                .init("put") { model, map, step in
                    let key = try step.draw(Gen.ints(in: 0...9), "key")
                    let value = try step.draw(Gen.ints(in: 0...9), "value")
                    model[key] = value
                    map.put(key, value)
                },
                .init("delete", precondition: { !$0.isEmpty }) { model, map, step in
                    let key = try step.draw(Gen.ints(in: 0...9), "key")
                    model[key] = nil
                    map.entries[key] = nil
                },
            ],
            check: { model, map in try expect(model == map.entries, "overwrite lost") })
        let executor = Executor(body: { tc in ("", nil, { try machine.run(tc) }) }, deduplicates: false)
        let start: [ChoiceValue] = [.boolean(true), .integer(0), .integer(0), .integer(0),
                                    .boolean(true), .integer(0), .integer(0), .integer(1)]
        let first = try #require(executor.run(TestCase(replaying: start)))
        #expect(first.outcome.failureKind != nil)
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        #expect(!shrinker.deleteAndRaise())
        // 22 calls before; 7 before the whole-range sweep thinned out, 6
        // before the other integers of a kind swept in vain stopped being
        // raised by 1 and 2, 4 before the thinned sweep left out raises
        // less than twice the last one tried.
        #expect(shrinker.calls == 3, "\(shrinker.calls) calls")
    }

    /// A free list that pushes a freed block of more than 32 bytes twice, so
    /// two later allocations get the same address.
    final class DoublePushFreeList {
        var freeList: [Int] = [], sizes: [Int: Int] = [:], top = 0
        func alloc(_ size: Int) -> Int {
            let address = freeList.popLast() ?? { top += 64; return top }()
            sizes[address] = size
            return address
        }
        func free(_ address: Int) {
            freeList.append(address)
            if sizes[address, default: 0] > 32 { freeList.append(address) }
        }
    }

    /// Allocations of 1 to 64 bytes and frees of live blocks over a `DoublePushFreeList`;
    /// fails when an address is handed out twice.
    static var doublePushMachine: StateMachine<Set<Int>, DoublePushFreeList> { StateMachine(
        model: { [] }, system: DoublePushFreeList.init,
        rules: [
            .init("alloc") { live, allocator, step in
                let size = try step.draw(Gen.ints(in: 1...64), "size")
                let address = allocator.alloc(size)
                try expect(live.insert(address).inserted, "address \(address) handed out twice")
                step.produce(address, into: "blocks")
            },
            .init("free", precondition: { !$0.isEmpty }) { live, allocator, step in
                let address = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                live.remove(address)
                allocator.free(address)
            },
        ]) }

    @Test func aSweepOfRaisesStopsAfterTwoRunOuts() throws {
        // At the minimum v1 = alloc(size: 33); free(block: v1);
        // v2 = alloc(size: 1); alloc(size: 1) every step is needed. Each
        // deletion raised the sizes after it by 1, 2, 4, ..., 32 (twice the
        // largest size's distance from 1), and every one of those runs
        // passed its steps and ran out of choices. After two such run-outs
        // of one size, its powers of two are no longer tried (the amounts
        // the deletion states, and the sweep of the next size of a kind the
        // deleted step drew, which stands for what the step held, still are).
        let machine = Self.doublePushMachine
        let executor = Executor(body: { tc in ("", nil, { try machine.run(tc) }) }, deduplicates: false)
        let start: [ChoiceValue] = [.boolean(true), .integer(0), .integer(33),
                                    .boolean(true), .integer(1), .integer(0),
                                    .boolean(true), .integer(0), .integer(1),
                                    .boolean(true), .integer(0), .integer(1)]
        let first = try #require(executor.run(TestCase(replaying: start)))
        #expect(first.outcome.failureKind != nil)
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        #expect(!shrinker.deleteAndRaise())
        // 42 calls before.
        #expect(shrinker.calls <= 25, "\(shrinker.calls) calls")
    }

    /// Keys (0...99) until a false flag, and a level (0...63) drawn before
    /// them or after them; fails when a set that keeps at most two keys
    /// once the level is 3 or more lost one.
    static func keysKeptBelowLevelThree(levelFirst: Bool) -> @Sendable (TestCase) throws -> Void {
        { tc in
            let put = Generator<Int?>(label: "put") { tc in
                try tc.drawBoolean(probability: 0.8) ? try tc.draw(Gen.ints(in: 0...99)) : nil
            }
            let early = levelFirst ? try tc.draw(Gen.ints(in: 0...63)) : nil
            var keys: [Int] = []
            while let key = try tc.draw(put) { if !keys.contains(key) { keys.append(key) } }
            let level = try early ?? tc.draw(Gen.ints(in: 0...63))
            let kept = level < 3 ? keys.count : Swift.min(keys.count, 2)
            try expect(kept == keys.count, "\(keys.count - kept) keys lost")
        }
    }

    /// The choices of `keysKeptBelowLevelThree(levelFirst:)` for `keys` and `level`.
    static func keysAndLevel(_ keys: [Int64], level: Int64, levelFirst: Bool) -> [ChoiceValue] {
        let steps = keys.flatMap { [ChoiceValue.boolean(true), .integer($0)] } + [.boolean(false)]
        return levelFirst ? [.integer(level)] + steps : steps + [.integer(level)]
    }

    /// Every example one `deleteAndRaise` ran from the failing `start`
    /// (which must adopt nothing there).
    static func examplesTriedByDeleteAndRaise(_ body: @escaping @Sendable (TestCase) throws -> Void,
                                              from start: [ChoiceValue]) throws -> Set<[ChoiceValue]> {
        final class Runs: @unchecked Sendable { var all: [[ChoiceValue]] = [] }
        let runs = Runs()
        let executor = Executor(body: { tc in ("", nil, {
            defer { runs.all.append(tc.sequence.values) }
            try body(tc)
        }) }, deduplicates: false)
        let first = try #require(executor.run(TestCase(replaying: start)))
        #expect(first.outcome.failureKind != nil)
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        #expect(!shrinker.deleteAndRaise())
        return Set(runs.all)
    }

    @Test func anIntegerBeforeADeletedStepIsRaisedByTwoToWhatTheStepHeld() throws {
        // Level 30, then keys 0, 2 and 9: the third is lost. Deleting the
        // key 2 leaves two keys, and the level is of a kind that step never
        // drew: raising it by 1, 2 or powers of two (as every integer before
        // a deleted step was) cannot bring the failure back. On the seeded
        // defects' suites such raises (the arena's size, a reserved range,
        // an earlier step's argument) cost 11% of the shrinks' calls, and
        // one was adopted: a reserved range grown by 4 pages in place of a
        // deleted order-2 allocation. So an integer before the deleted step
        // is raised by 2^v for each deleted value v (by v itself too, until
        // that cost the defects' shrinks 3.7% of their calls for nothing);
        // the nearest one (an add just before an increment that is deleted)
        // keeps every amount.
        let tried = try Self.examplesTriedByDeleteAndRaise(Self.keysKeptBelowLevelThree(levelFirst: true),
                                                          from: Self.keysAndLevel([0, 2, 9], level: 30, levelFirst: true))
        func wasTried(_ keys: [Int64], level: Int64) -> Bool { tried.contains(Self.keysAndLevel(keys, level: level, levelFirst: true)) }
        // Key 2 deleted: the level, two integers back, is raised by 2^2,
        // not by the deleted key (2), 1, 8, 16 or 32.
        #expect(wasTried([0, 9], level: 34))
        for level: Int64 in [31, 32, 38, 46, 62] { #expect(!wasTried([0, 9], level: level), "level \(level)") }
        // Key 0 deleted: the level is the nearest integer before it, raised
        // by 1, 2 and powers of two.
        for level: Int64 in [31, 32, 38] { #expect(wasTried([2, 9], level: level), "level \(level)") }
    }

    @Test func anIntegerPastTheNextStepIsNotRaised() throws {
        // Keys 0, 2 and 9, then level 30: the third key is lost. Deleting
        // the key 2 leaves two keys; the level comes after the next step
        // (the key 9) and is of a kind the deleted step never drew, so it is
        // not raised at all. Raised by 1, 2 and powers of two, the integers
        // past the next step cost the seeded defects' shrinks 1.5% of their
        // calls and were adopted nowhere; raised by the deleted values and
        // their powers of two alone, 1.6% more, adopted nowhere either. The
        // next step's integer (the key 9) still gets every amount.
        let tried = try Self.examplesTriedByDeleteAndRaise(Self.keysKeptBelowLevelThree(levelFirst: false),
                                                          from: Self.keysAndLevel([0, 2, 9], level: 30, levelFirst: false))
        func wasTried(_ keys: [Int64], level: Int64) -> Bool { tried.contains(Self.keysAndLevel(keys, level: level, levelFirst: false)) }
        for level: Int64 in [31, 32, 34, 38, 46, 62] { #expect(!wasTried([0, 9], level: level), "level \(level)") }
        for key: Int64 in [10, 11] { #expect(wasTried([0, key], level: 30), "key \(key)") }
    }

    @Test func aDeletedValueStillMovesToAnIntegerOfAKindSweptInVain() throws {
        // Four 1-byte allocations in front of the minimum. Deleting the
        // 33-byte allocation, the next size's whole-range sweep runs out at
        // every raise, so the other sizes are not raised by 1 or 2; the
        // deleted 32 (its distance from 1) still moves to the fourth
        // allocation, which becomes the 33-byte one, and the shrink reaches
        // the minimum. Without that amount it stopped with the four in front.
        let machine = Self.doublePushMachine
        let executor = Executor(body: { tc in ("", nil, { try machine.run(tc) }) }, deduplicates: false)
        let alloc1: [ChoiceValue] = [.boolean(true), .integer(0), .integer(1)]
        let start: [ChoiceValue] = Array([[ChoiceValue]](repeating: alloc1, count: 4).joined())
            + [.boolean(true), .integer(0), .integer(33), .boolean(true), .integer(1), .integer(4)] + alloc1 + alloc1
        let first = try #require(executor.run(TestCase(replaying: start)))
        #expect(first.notes.count == 8 && first.notes[4] == "v5 = alloc(size: 33)" && first.notes[5] == "free(block: v5)",
                "\(first.notes)")
        #expect(first.outcome.failureKind != nil)
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.best.notes == ["v1 = alloc(size: 33)", "free(block: v1)", "v2 = alloc(size: 1)", "alloc(size: 1)"])
    }

    @Test func passRunsOnlyForBodiesThatDraw() {
        // Five 1-byte allocations: one is deleted and the next raised by 4096.
        let input: [UInt8] = Array([[UInt8]](repeating: [1, 1, 0, 0], count: 5).joined()) + [0]
        for deduplicates in [false, true] {
            let executor = Executor(body: { tc in ("", nil, { try Self.pagesTotalFive(tc) }) }, deduplicates: deduplicates)
            let shrinker = Shrinker(executor: executor, failing: executor.run(TestCase(bytes: input))!, maxCalls: 1000)
            #expect(shrinker.best.notes == ["sizes [1, 1, 1, 1, 1]"])
            let progress = shrinker.deleteAndRaise()
            if deduplicates {
                // A generator property: the pass does not run at all.
                #expect(!progress && shrinker.calls == 0)
            } else {
                #expect(progress)
                #expect(shrinker.best.notes == ["sizes [4097, 1, 1, 1]"])
            }
        }
    }
}
