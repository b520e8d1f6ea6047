import Testing
@testable import PropertyTesting

@Suite struct ShrinkerTests {
    /// Runs a property through the runner, checking every accepted shrink.
    func shrinkChecked<V>(_ generator: Generator<V>, seed: UInt64 = 0, _ body: @escaping (V) throws -> Void) -> (PropertyReport, Int) {
        var accepted = 0
        var previous: ChoiceSequence?
        var runner = Runner(name: "shrink-check", configuration: PropertyConfiguration(maxExamples: 1000, seed: seed), deduplicates: true) { tc in
            let value = try tc.draw(generator)
            return (String(describing: value), value, { try body(value) })
        }
        var failureKind: String?
        runner.onShrink = { execution in
            accepted += 1
            #expect(execution.outcome.failureKind != nil)
            if let kind = failureKind { #expect(execution.outcome.failureKind == kind) }
            failureKind = execution.outcome.failureKind
            if let previous { #expect(execution.sequence.isSimpler(than: previous)) }
            previous = execution.sequence
            // The accepted sequence replays to the same failure.
            #expect(Executor(body: runner.body, deduplicates: false).replay(execution.sequence.values).outcome == execution.outcome)
        }
        return (runner.run(), accepted)
    }

    @Test func everyAcceptedShrinkIsSmallerAndStillFails() throws {
        let (report, accepted) = shrinkChecked(Gen.arrays(of: Gen.integers())) { xs in try expect(xs == xs.reversed()) }
        #expect(accepted > 0)
        #expect(report.counterexample?.value == "[0, 1]")
    }

    @Test func filtersAndBindsHoldOnEveryShrunkValue() {
        // Every value the body sees, including every shrink candidate, came from the generator.
        var violations = 0
        let evens = Gen.integers(in: 0...10_000).filter { $0 % 2 == 0 }
        let sized = Gen.ints(in: 1...20).flatMap { n in Gen.arrays(of: evens, count: n...n).map { (n, $0) } }
        let (report, _) = shrinkChecked(sized) { pair in
            let (n, xs) = pair
            if xs.count != n || xs.contains(where: { $0 % 2 != 0 }) { violations += 1 }
            try expect(xs.reduce(0, +) < 3000)
        }
        #expect(violations == 0)
        let value = try? #require(report.counterexample?.value)
        #expect(value == "(1, [3000])")
    }

    @Test func lowersIntegersAndDeletesElements() {
        let report = checkProperty("sum", Gen.arrays(of: Gen.integers(in: 0...1000)), configuration: PropertyConfiguration(seed: 2)) { xs in
            try expect(xs.reduce(0, +) <= 1000)
        }
        #expect(report.counterexample?.value == "[1, 1000]")
    }

    @Test func noExampleReachesTheBodyTwiceExceptTheFinalReplay() {
        // The shrinker shares the search phase's record of tried sequences, so
        // its first candidate (every choice at its simplest, which the runner
        // already ran as its first example) costs no second body call.
        var seen: [String] = []
        let pairs = Gen.zip(Gen.integers(in: 1...1_000_000), Gen.integers(in: 1...1_000_000))
        let report = checkProperty("no-repeats", pairs, configuration: PropertyConfiguration(maxExamples: 1000, seed: 3)) { t in
            seen.append("\(t)")
            try expect(!(t.0 >= 10 && t.0 == t.1))
        }
        #expect(report.counterexample?.value == "(10, 10)")
        #expect(seen.first == "(1, 1)")
        // The last call replays the minimal example on purpose; no other repeats.
        let beforeReplay = seen.dropLast()
        #expect(Set(beforeReplay).count == beforeReplay.count)
    }

    @Test func shrinkingIsDeterministic() {
        func run() -> String? {
            checkProperty("det", Gen.arrays(of: Gen.arrays(of: Gen.integers())), configuration: PropertyConfiguration(seed: 8)) { xss in
                try expect(Set(xss.flatMap { $0 }).count < 4)
            }.counterexample?.value
        }
        let first = run()
        #expect(first == "[[0, 1, -1, 2]]")
        #expect(run() == first)
    }

    @Test func recursiveGeneratorsShrinkToASubtree() {
        indirect enum Tree: CustomStringConvertible {
            case leaf(Int64), node(Tree, Tree)
            var description: String {
                switch self { case .leaf(let v): return "\(v)"; case .node(let a, let b): return "(\(a) \(b))" }
            }
            var depth: Int { if case .node(let a, let b) = self { return 1 + max(a.depth, b.depth) } else { return 0 } }
        }
        let tree = Gen.recursive(maxDepth: 6, base: Gen.integers(in: 0...100).map { Tree.leaf($0) }) { sub in
            Gen.zip(sub, sub).map { Tree.node($0.0, $0.1) }
        }
        var maxDepthSeen = 0
        let report = checkProperty("tree", tree, configuration: PropertyConfiguration(seed: 4)) { t in
            maxDepthSeen = max(maxDepthSeen, t.depth)
            try expect(t.depth < 2)
        }
        #expect(maxDepthSeen <= 6)
        // Branch 0 (a leaf) is simpler than branch 1, so the left operand is the leaf.
        #expect(report.counterexample?.value == "(0 (0 0))")
    }

    @Test func discardsAreCountedAndStatisticsReported() {
        let gen = Gen.oneOf(Gen.integers(in: 0...9).labeled("small"), Gen.integers(in: 100...200).labeled("large"))
            .filter { $0 % 3 != 0 }
        let report = checkProperty("stats", gen, configuration: PropertyConfiguration(maxExamples: 300, seed: 1, collectStatistics: true)) { x in
            try assume(x != 5)
        }
        #expect(report.passed)
        // Every value that passes the filter and the assumption, once: 1, 2,
        // 4, 7, 8 and the 68 of 100...200 not a multiple of 3. (Runs that
        // differ only in a filter's rejected attempts give one value.)
        #expect(report.statistics.examples == 73)
        #expect(report.description.contains("all 73 valid values the generator produced were tried"))
        #expect(report.statistics.discarded > 0)
        let small = report.statistics.share(of: "small"), large = report.statistics.share(of: "large")
        #expect(small > 0.2 && large > 0.2)
        #expect(String(describing: report.statistics).contains("large:"))
    }

    /// Statistics name only the labels users give: the library's strings,
    /// doubles, floats, sets, dictionaries and cases label their spans too,
    /// and those labels were reported as if a user had chosen them.
    @Test func statisticsReportOnlyUserLabels() {
        enum Suit: CaseIterable, Sendable { case clubs, hearts }
        let numbers = Gen.zip(Gen.strings(), Gen.doubles(), Gen.floats()).map { "\($0)" }
        let collections = Gen.zip(Gen.sets(of: Gen.integers(in: 0...9)), Gen.dictionaries(keys: Gen.integers(in: 0...9), values: Gen.booleans()),
                                  Gen.cases(of: Suit.self)).map { "\($0)" }
        let gen: Generator<String> = Gen.zip(numbers, collections).map { "\($0)" }.labeled("mine")
        let report = checkProperty("labels", gen, configuration: PropertyConfiguration(maxExamples: 20, seed: 1, collectStatistics: true)) { (_: String) in }
        #expect(report.statistics.labelCounts.map { $0.label } == ["mine"])
    }

    /// A range's bounds and the special doubles come up often enough that a
    /// run of 100 examples usually meets them: before the bounds had a share
    /// of their own, `x == Int64.max` was found in 3 of 50 runs (Hypothesis:
    /// 36) and -0.0 in 1 of 50.
    @Test func boundsAndSpecialValuesAreFoundInAHundredExamples() {
        func found<V>(_ generator: Generator<V>, _ fails: @escaping (V) -> Bool) -> Int {
            (0..<UInt64(50)).filter { seed in
                checkProperty("bounds", generator, configuration: PropertyConfiguration(maxExamples: 100, seed: seed)) {
                    try expect(!fails($0))
                }.counterexample != nil
            }.count
        }
        #expect(found(Gen.integers()) { $0 == .max } >= 40)
        #expect(found(Gen.integers()) { $0 == .min } >= 35)
        #expect(found(Gen.integers(of: UInt32.self)) { $0 == .max } >= 40)
        #expect(found(Gen.integers(in: 0...1_000_000)) { $0 == 1_000_000 } >= 40)
        #expect(found(Gen.doubles()) { $0 == 0 && $0.sign == .minus } >= 25)
        #expect(found(Gen.doubles()) { $0.isInfinite } >= 40)
    }

    /// A failure that holds for every other value (a parity) is not
    /// monotone: one step down fails where two work. Steps of two keep the
    /// parity, and neither half's failure nor an earlier floor is taken to
    /// say anything below. Before, "odd and above 5" ended at 7 in 1 of 20
    /// seeds, and "even and above 1000" at `Int64.max - 1` in 10 of 20.
    @Test func parityIsShrunkToItsMinimum() {
        func minimal<V: Sendable>(_ generator: Generator<V>, _ fails: @escaping @Sendable (V) -> Bool) -> [V?] {
            (0..<UInt64(8)).map { seed in
                checkProperty("parity", generator, configuration: PropertyConfiguration(seed: seed)) {
                    try expect(!fails($0))
                }.counterexampleValue(as: V.self)
            }
        }
        #expect(minimal(Gen.integers()) { $0 > 5 && $0 % 2 != 0 } == Array(repeating: 7, count: 8))
        #expect(minimal(Gen.integers()) { $0 > 1000 && $0 % 2 == 0 } == Array(repeating: 1002, count: 8))
        #expect(minimal(Gen.integers(in: 0...1_000_000)) { $0 > 1000 && $0 % 2 == 1 } == Array(repeating: 1001, count: 8))
    }

    /// A failure that needs a multiple is lowered in steps of the period
    /// the adopted values share (`Shrinker.lowerByPeriod`). Before, "a
    /// multiple of 10 above 1000" from 1,000,000 halved once a round, a
    /// bisection of some twenty calls each, and stopped at 31,190 after
    /// about a hundred calls in every seed.
    @Test func multipleIsLoweredInStepsOfItsPeriod() throws {
        let executor = Executor(body: { tc in
            let x = try tc.drawInteger(IntegerConstraints(min: 0, max: 1_000_000))
            return ("\(x)", x, { try expect(!(x > 1000 && x % 10 == 0)) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(1_000_000)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(1010)])
        #expect(shrinker.calls <= 90, "\(shrinker.calls) calls")
    }

    /// The shrinker run to its end on "a multiple of 3 above 100" over all
    /// of `Int64`, from `start`.
    private func shrinkMultipleOf3Above100(from start: Int64) throws -> Shrinker {
        let executor = Executor(body: { tc in
            let x = try tc.drawInteger(IntegerConstraints(min: .min, max: .max))
            return ("\(x)", x, { try expect(!(x > 100 && x % 3 == 0)) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(start)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        return shrinker
    }

    /// After a search whose every probe failed past the value it adopted,
    /// the value's low bits are tried (`Shrinker.lowerToLowBits`). Before,
    /// "a multiple of 3 above 100" from `Int64.max - 1` adopted `2^62 - 1`
    /// (half the rank), failed 120 probes and stopped there.
    @Test func sparseFailureTriesTheLowBits() throws {
        let shrinker = try shrinkMultipleOf3Above100(from: .max - 1)
        let value = try #require(shrinker.values.first.flatMap { v -> Int64? in if case .integer(let x) = v { x } else { nil } })
        #expect(value > 100 && value <= 255 && value % 3 == 0, "\(value)")
    }

    /// A bisection whose every probe passes is cut short: after
    /// `Search.passesBeforeLowBits` of them the value's low bits are
    /// tried, and then the bisection stops where it is. From `Int64.max - 1`,
    /// "a multiple of 3 above 100" adopts `2^62 - 1`, and the bisection up
    /// to it probes only values of the form `2^62 - 2^k - 1`, none a
    /// multiple of 3: before, some sixty of them failed before the low bits
    /// were tried.
    @Test func sparseBisectionIsCutShort() throws {
        let shrinker = try shrinkMultipleOf3Above100(from: .max - 1)
        #expect(shrinker.values == [.integer(102)])
        #expect(shrinker.calls <= 60, "\(shrinker.calls) calls")
    }

    /// Stepping by a period searches up from the lowest value of the
    /// value's residue (`Search.lowestRank` on the number of periods), so
    /// its cost is logarithmic in the answer, not in the start. From
    /// `2^60 - 1`, "a multiple of 3 above 100" stepped down by 3, 6, 12,
    /// … (forty calls) and then bisected towards 102 from the top (fifty
    /// more).
    @Test func periodStepsSearchUpFromTheResidue() throws {
        let shrinker = try shrinkMultipleOf3Above100(from: (1 << 60) - 1)
        #expect(shrinker.values == [.integer(102)])
        #expect(shrinker.calls <= 40, "\(shrinker.calls) calls")
    }

    /// A value its search left where it was is tried at the largest power
    /// of ten dividing it (`Shrinker.lowerRoundNumber`). A leap-year rule
    /// that forgets the centuries fails on 300 and 100 but not on 200 or
    /// on anything half of 300 or a step or two below it: it stopped at 300.
    @Test(arguments: [Int64(300), 9900, 3500])
    func aRoundNumberIsTriedAtItsPowerOfTen(start: Int64) throws {
        let executor = Executor(body: { tc in
            let year = try tc.drawInteger(IntegerConstraints(min: 1, max: 9999))
            return ("\(year)", year, { try expect(!(year % 100 == 0 && year % 400 != 0)) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(start)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(100)])
    }

    /// A value still where generation left it (or where the low bits put
    /// it) that fails while half its distance and the steps of one and two
    /// below it pass is stepped down by 3 to 10, and then by multiples of
    /// the first step that fails (`Shrinker.lowerIsolated`). Before, "3
    /// more than a multiple of 7 above 100" stopped at its first failing
    /// value (206, 536,870,911) in every seed, and "a multiple of 3 above
    /// 100" at the 255 its low bits gave.
    @Test(arguments: [(Int64(206), Int64(7), Int64(3), Int64(101)), (Int64(536_870_911), Int64(7), Int64(3), Int64(101)), (Int64.max - 1, Int64(3), Int64(0), Int64(102))])
    func isolatedFailureIsSteppedToItsPeriod(start: Int64, modulus: Int64, remainder: Int64, minimum: Int64) throws {
        let executor = Executor(body: { tc in
            let x = try tc.drawInteger(IntegerConstraints(min: .min, max: .max))
            return ("\(x)", x, { try expect(!(x > 100 && x % modulus == remainder)) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(start)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(minimum)])
    }

    /// A value 11 to 20 above the simplest one is stepped by 3 to 10 too
    /// (every step fits below it): a day of the year that counts the leap
    /// day from February on fails in a leap year, and 1988, 18 above 1970,
    /// with its day lowered to 1, stayed there; steps of 4 reach 1972.
    @Test func anIsolatedValueCloseToItsSimplestIsStepped() throws {
        let executor = Executor(body: { tc in
            let year = try tc.drawInteger(IntegerConstraints(min: 1970, max: 2100, simplest: 1970))
            let day = try tc.drawInteger(IntegerConstraints(min: 1, max: 28, simplest: 1))
            return ("(\(year), \(day))", [year, day], { try expect(year % 4 != 0) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(1988), .integer(15)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(1972), .integer(1)])
    }

    /// A residue of a modulus the steps of 3 to 10 miss is lowered by a
    /// period found first (`Shrinker.lowerByCommonPeriod`): lcm(1...n)
    /// below the value, a power of two, or the common factor of the
    /// value's earlier moves; then divided down to the modulus and stepped
    /// by it. Each start is where the shrink stopped before, in every
    /// seed: the value generation drew (21 and 15 over all of `Int64`,
    /// 15 and 32 in bounded ranges, the first from the bound, which its
    /// search halved once), and 2^22 + 304
    /// and 2^19 + 18, where clearing high bits one by one left a residue
    /// modulo 512 and modulo 32; and 2^23, a multiple of 512 above
    /// 5,382,366, where half the distance crosses the threshold and a
    /// quarter does not. Then two found only above the value: 2^22, a
    /// multiple of 4096 just above 3,942,666, where every step of the
    /// ladder crosses the threshold; and 1,372,025,245, a residue modulo
    /// 37, a prime no lcm below the value holds.
    @Test(arguments: [
        (Int64(1_424_270_157), Int64.max, Int64(21), Int64(9), Int64(951_682), Int64(951_687)),
        (Int64(1_015_819_442), Int64.max, Int64(32), Int64(18), Int64(518_714), Int64(518_738)),
        (Int64(3_057_224_304_268_602_160), Int64.max, Int64(512), Int64(304), Int64(2_426_894), Int64(2_427_184)),
        (Int64(9_572_070), Int64(9_572_070), Int64(15), Int64(0), Int64(638_138), Int64(638_145)),
        (Int64(37_220_730), Int64(41_626_000), Int64(32), Int64(26), Int64(4_163_200), Int64(4_163_226)),
        (Int64(8_388_608), Int64(100_000_000), Int64(512), Int64(0), Int64(5_382_366), Int64(5_382_656)),
        (Int64(4_194_304), Int64(31_541_328), Int64(4096), Int64(0), Int64(3_942_666), Int64(3_944_448)),
        (Int64(1_372_025_245), Int64.max, Int64(37), Int64(14), Int64(463_583), Int64(463_587)),
    ])
    func aResidueOfAnyModulusIsSteppedToItsPeriod(start: Int64, max: Int64, modulus: Int64, remainder: Int64,
                                                   threshold: Int64, minimum: Int64) throws {
        let range = IntegerConstraints(min: max == .max ? .min : 0, max: max)
        let executor = Executor(body: { tc in
            let x = try tc.drawInteger(range)
            return ("\(x)", x, { try expect(!(x > threshold && x % modulus == remainder)) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(start)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(minimum)])
        #expect(shrinker.calls <= 120, "\(shrinker.calls) calls")
    }

    /// When both sides work near a value (a failure on the magnitude), the
    /// search goes on in rank order by doubling and then bisection. It
    /// doubled to half the distance and stopped there, a round each: from
    /// `Int64.max`, "doubling overflows" (a magnitude of at least 2^62) took
    /// two rounds of some sixty probes each (195 calls in all, now 116).
    @Test func magnitudeIsLoweredInRankOrderWithABisection() throws {
        let executor = Executor(body: { tc in
            let x = try tc.drawInteger(IntegerConstraints(min: .min, max: .max))
            return ("\(x)", x, { try expect(!x.multipliedReportingOverflow(by: 2).overflow) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(.max)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(1 << 62)])
        #expect(shrinker.calls <= 140, "\(shrinker.calls) calls")
    }

    /// Two integers tied by an equation move together on their own side:
    /// `a + b == c` with `c` above 100 (all three in -1000...1000) keeps
    /// the equation only when `b` and `c` shift by one delta, and the
    /// shift's search in rank order probed negative `b`s (ranks 2, 4, 8, …
    /// are all negative), each a call that could never work, and stepped
    /// down a few values a round: from `(537, 363, 900)` 638 calls, now 66.
    @Test func pairShiftSearchesOnItsOwnSide() throws {
        let range = IntegerConstraints(min: -1000, max: 1000)
        let executor = Executor(body: { tc in
            let a = try tc.drawInteger(range), b = try tc.drawInteger(range), c = try tc.drawInteger(range)
            return ("(\(a), \(b), \(c))", (a, b, c), { try expect(!(a > 0 && b > 0 && a + b == c && c > 100)) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(537), .integer(363), .integer(900)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 5000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(1), .integer(100), .integer(101)])
        #expect(shrinker.calls <= 100, "\(shrinker.calls) calls")
    }

    /// The period is the greatest common divisor of the adopted values'
    /// distances from the start, and there is none across the simplest value.
    @Test func sharedPeriodOfAdoptedValues() {
        let c = IntegerConstraints(min: -1000, max: 1_000_000)
        #expect(Shrinker.sharedPeriod(of: [1_000_000, 500_000, 499_070, 499_040], c) == 10)
        #expect(Shrinker.sharedPeriod(of: [1000, 500, 375, 343], c) == 1)
        #expect(Shrinker.sharedPeriod(of: [1000, 500, -20], c) == nil)
    }

    /// The searches that bracket a parity's minimum keep the parity: the
    /// probes up from the simplest value (an odd value's 3, 5, 9, …), and
    /// half the distance once a step of two worked where one failed.
    /// Before, every even probe passed for "odd and above 1000", and the
    /// bisection settled on a wrong threshold each round (103 calls from
    /// 999,999); from `Int64.max - 1`, "even and above 1000" crossed 2^62 by
    /// steps of two (75 calls).
    @Test(arguments: [(Int64(999_999), Int64(1), Int64(1001)), (Int64.max - 1, Int64(0), Int64(1002))])
    func parityIsShrunkInFewCalls(start: Int64, remainder: Int64, minimum: Int64) throws {
        let executor = Executor(body: { tc in
            let x = try tc.drawInteger(IntegerConstraints(min: 0, max: .max))
            return ("\(x)", x, { try expect(!(x > 1000 && x % 2 == remainder)) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(start)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(minimum)])
        #expect(shrinker.calls <= 40, "\(shrinker.calls) calls")
    }

    @Test func edgeValuesAreFound() {
        // Hard to hit uniformly; edge values and reuse of earlier draws find them.
        let report = checkProperty("edges", Gen.zip(Gen.integers(), Gen.integers()), configuration: PropertyConfiguration(seed: 0)) { pair in
            try expect(pair.0 != Int64.max && pair.1 != pair.0 + 1)
        }
        #expect(report.counterexample != nil)
    }
}
