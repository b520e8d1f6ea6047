import Testing
@testable import PropertyTesting

/// Shrink quality on problems the engine was not tuned for: each runs over
/// several seeds and must end at the expected minimum on every one.
@Suite struct ShrinkQualityTests {
    /// The minimal counterexample's value for `seed`, or nil when no failure was found.
    func minimal<V>(_ generator: Generator<V>, seed: UInt64, maxExamples: Int = 1000,
                    _ fails: @escaping (V) -> Bool) -> (value: V?, report: PropertyReport) {
        let report = checkProperty("quality", generator, configuration: PropertyConfiguration(maxExamples: maxExamples, seed: seed)) {
            try expect(!fails($0))
        }
        return (report.counterexampleValue(as: V.self), report)
    }

    /// A set whose greatest element fails only at a multiple of 8 (a bitmap
    /// sized from the greatest id drops it): once the other elements are
    /// deleted, the one left is still a value generation drew, so it is
    /// stepped as an isolated value (`lowerIsolatedIntegers`) and reaches 8.
    /// While only a value at its own position in an example as long as the
    /// first counted as drawn, 5 of these 20 seeds stopped at 216, 104 or 232.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func aDrawnValueLeftAloneByDeletionsIsStepped(seed: UInt64) throws {
        let (value, _) = minimal(Gen.sets(of: Gen.ints(in: 1...255)), seed: seed) { ids in
            (ids.max() ?? 1) % 8 == 0
        }
        #expect(try #require(value) == [8])
    }

    /// A sum of squares kept in Int32 (an RMS over Int16 readings) wraps
    /// from two readings of -32768 on. From `[505, -32765, -32768]`, a
    /// shift of the first value with the second took the second to -32768,
    /// the second's own search took it back at once, and the first crawled
    /// down three a round; while every round progressed, the last-resort
    /// passes never ran. 18 of 20 seeds spent the whole budget. Now the
    /// value is tried alone at its simplest right after a shift that took a
    /// neighbour to the end of its range (without it 9 of these 10 seeds
    /// fail), and the last resorts also run after ten rounds in a row of
    /// progress (without that 2 fail).
    @Test(arguments: 0..<10 as Range<UInt64>)
    func slowProgressStillLetsTheLastResortsRun(seed: UInt64) throws {
        let (value, report) = minimal(Gen.arrays(of: Gen.integers(of: Int16.self)), seed: seed) { xs in
            var acc: Int32 = 0
            for x in xs { acc = acc &+ Int32(x) &* Int32(x) }
            return Int(acc) != xs.reduce(0) { $0 + Int($1) * Int($1) }
        }
        #expect(try #require(value) == [-32768, -32768])
        #expect(report.counterexample?.budgetExhausted == false)
    }

    /// Equal values at one field of their records go down without the
    /// same value elsewhere: quotas merged by overwriting from the smaller
    /// dictionary fail on `({1: 1}, {1: 0})`, where the two keys must go to
    /// 0 while the first entry's value stays 1. Lowering the three 1s
    /// together passes; 2 of these 20 seeds stopped there before
    /// `lowerEqualValues` tried the keys alone.
    @Test func equalKeysOfTwoDictionariesGoDownWithoutTheirValues() throws {
        var atMinimum = 0
        for seed in 0..<20 as Range<UInt64> {
            let quotas = Gen.dictionaries(keys: Gen.ints(in: 0...7), values: Gen.ints(in: 0...100))
            let (value, _) = minimal(Gen.zip(quotas, quotas), seed: seed) { t in
                let (a, b) = t
                let (big, small) = a.count >= b.count ? (a, b) : (b, a)
                var merged = big
                for (k, v) in small { merged[k] = v }
                var real = a
                for (k, v) in b { real[k, default: 0] += v }
                return merged != real
            }
            let shrunk = try #require(value)
            if shrunk.0 == [0: 1] && shrunk.1 == [0: 0] { atMinimum += 1 }
        }
        #expect(atMinimum == 20, "\(atMinimum) of 20 seeds at ({0: 1}, {0: 0})")
    }

    /// One field's values are exchanged between two records: a bump
    /// allocator's budget check that forgets alignment padding fails on
    /// `[(49, 1), (1, 16)]` (sizes and alignments), and as simply on
    /// `[(1, 1), (49, 16)]`, which no lowering of one value reaches. With
    /// `swapFields` 10 of these 20 seeds end there; without it, 5 (the
    /// others stop at another shape, such as `[(25, 1), (33, 8)]`).
    @Test func aFieldIsExchangedBetweenTwoRecords() throws {
        var atMinimum = 0
        for seed in 0..<20 as Range<UInt64> {
            let (value, _) = minimal(Gen.arrays(of: Gen.zip(Gen.ints(in: 1...64), Gen.element(of: [1, 2, 4, 8, 16]))),
                                     seed: seed) { requests in
                var end = 0, total = 0
                for (size, align) in requests { end = (end + align - 1) / align * align + size; total += size }
                return total <= 64 && end > 64
            }
            let shrunk = try #require(value)
            if shrunk.count == 2 && shrunk[0] == (1, 1) && shrunk[1] == (49, 16) { atMinimum += 1 }
        }
        #expect(atMinimum >= 9, "\(atMinimum) of 20 seeds at [(1, 1), (49, 16)]")
    }

    /// A property that reads only its numbers' proportions: a width and
    /// height of 1 to 12 in the ratio 2:3 fail at `[8, 12]` exactly as at
    /// `[2, 3]`, and no move of one value, nor of a sum, keeps the ratio.
    /// `divideTogether` divides the list by the common factor; without it 6
    /// of these 20 seeds reached `[2, 3]`, the others stopping at `[4, 6]`,
    /// `[6, 9]` or `[8, 12]`.
    @Test func aListIsDividedByItsNumbersCommonFactor() throws {
        var atMinimum = 0
        for seed in 0..<20 as Range<UInt64> {
            let (value, _) = minimal(Gen.arrays(of: Gen.integers(in: 1...12)), seed: seed) { xs in
                xs.count >= 2 && 3 * xs[0] == 2 * xs[1]
            }
            if try #require(value) == [2, 3] { atMinimum += 1 }
        }
        #expect(atMinimum >= 19, "\(atMinimum) of 20 seeds at [2, 3]")
    }

    /// A tuple's later component is tried at its simplest before the
    /// searches of the components before it (`lowerLaterComponents`). First
    /// fit must pick the best fit: the free sizes' searches moved the two
    /// sizes down together a step at a time, as the request kept them tied,
    /// before the request went to 1 and freed them. Without the step these
    /// 20 seeds take 1,802 shrink calls in all, 593 with it.
    @Test func aLaterTupleComponentGoesToItsSimplestFirst() throws {
        var calls = 0
        for seed in 0..<20 as Range<UInt64> {
            let (value, report) = minimal(Gen.zip(Gen.arrays(of: Gen.ints(in: 1...100)), Gen.ints(in: 1...100)), seed: seed) { t in
                guard let first = t.0.first(where: { $0 >= t.1 }) else { return false }
                return first != t.0.filter { $0 >= t.1 }.min()
            }
            let shrunk = try #require(value)
            #expect(shrunk.0 == [2, 1] && shrunk.1 == 1, "seed \(seed): \(shrunk)")
            calls += try #require(report.counterexample).shrinkCalls
        }
        #expect(calls <= 800, "\(calls) shrink calls over 20 seeds")
    }

    /// A probe a filter rejects says nothing about the failure: the nearest
    /// value below it that the filter accepts answers for it. A prime above
    /// 100, drawn through a filter, reached 101 in 7 seeds of 20 when the
    /// integer search read every composite probe as a pass.
    @Test func aFilteredOutProbeIsAnsweredByTheNearestAcceptedValue() throws {
        @Sendable func isPrime(_ n: Int) -> Bool { n >= 2 && !(2..<n).contains { $0 * $0 <= n && n % $0 == 0 } }
        var atMinimum = 0
        for seed in 0..<20 as Range<UInt64> {
            let (value, _) = minimal(Gen.ints(in: 0...1000).filter(attempts: 20) { isPrime($0) }, seed: seed) { $0 > 100 }
            if try #require(value) == 101 { atMinimum += 1 }
        }
        #expect(atMinimum >= 19, "\(atMinimum) of 20 seeds at 101")
    }

    /// A move between two values that a filter keeps to multiples of 8 is
    /// rejected by the filter for every amount but a multiple of 8: the
    /// next larger moves answer for a rejected one. Slab sizes over a
    /// budget of 300 reached `[104, 200]` in 4 seeds of 20 without it, most
    /// of the others stopping at `[152, 152]` (a move of 48 from one to the
    /// other is needed).
    @Test func aMoveAFilterRejectsIsAnsweredByTheNextLargerMoves() throws {
        var atMinimum = 0
        for seed in 0..<20 as Range<UInt64> {
            let (value, _) = minimal(Gen.arrays(of: Gen.ints(in: 0...200).filter { $0 % 8 == 0 }), seed: seed) { sizes in
                sizes.reduce(0, +) > 300
            }
            if try #require(value) == [104, 200] { atMinimum += 1 }
        }
        #expect(atMinimum >= 19, "\(atMinimum) of 20 seeds at [104, 200]")
    }

    /// A length field and the bytes it counts shrink together: a frame
    /// whose header's length is read in three bits fails from 8 bytes on,
    /// and lowering the length or dropping a byte alone breaks the match.
    /// Without `trimBytesWithCount` 15 of 20 seeds stopped at a length of 9
    /// to 15 (Hypothesis too).
    @Test(arguments: 0..<10 as Range<UInt64>)
    func aLengthFieldShrinksWithTheBytesItCounts(seed: UInt64) throws {
        let (value, _) = minimal(Gen.zip(Gen.ints(in: 0...40), Gen.bytes(count: 0...40)), seed: seed) { t in
            t.0 == t.1.count && Array(t.1.prefix(t.0 & 7)) != t.1
        }
        let shrunk = try #require(value)
        #expect(shrunk.0 == 8 && shrunk.1 == [UInt8](repeating: 0, count: 8))
    }

    /// Segment lengths over one buffer: a split that stops at the first
    /// empty segment fails on `([0, 1], [0])`; an element and the buffer
    /// must lose a byte together. Without `trimBytesWithCount` no seed of
    /// 20 got there (most stopped at `([0, 2], [0, 0])`).
    @Test(arguments: 0..<10 as Range<UInt64>)
    func segmentLengthsShrinkWithTheirBuffer(seed: UInt64) throws {
        let (value, _) = minimal(Gen.zip(Gen.arrays(of: Gen.ints(in: 0...8)), Gen.bytes(count: 0...32)), seed: seed) { t in
            let (lengths, data) = t
            guard lengths.reduce(0, +) == data.count else { return false }
            var out: [UInt8] = [], at = 0
            for n in lengths {
                if n == 0 { break }
                out += data[at..<(at + n)]
                at += n
            }
            return out != data
        }
        let shrunk = try #require(value)
        #expect(shrunk.0 == [0, 1] && shrunk.1 == [0])
    }

    /// A count stated next to its data (a string and its length) shrinks
    /// with it: deleting a character alone or lowering the count alone
    /// passes. Without the length-field candidate of `deleteAndShift` 8 of
    /// these 10 seeds stopped at ("0000", 4) or longer, and 8 at a count of
    /// 5 or more before its list.
    @Test(arguments: 0..<10 as Range<UInt64>)
    func lengthFieldShrinksWithItsCollection(seed: UInt64) throws {
        let (value, _) = minimal(Gen.zip(Gen.strings(), Gen.integers(in: 0...20)), seed: seed) { t in
            t.0.unicodeScalars.count == t.1 && t.1 >= 3
        }
        let shrunk = try #require(value)
        #expect(shrunk.0 == "000" && shrunk.1 == 3)
        let (list, _) = minimal(Gen.zip(Gen.integers(in: 0...50), Gen.arrays(of: Gen.integers(in: 0...9))), seed: seed) { t in
            t.0 == t.1.count && t.0 >= 4 && t.1.reduce(0, +) > 10
        }
        let shrunkList = try #require(list)
        #expect(shrunkList.0 == 4 && shrunkList.1 == [0, 0, 2, 9])
    }

    /// A matrix whose row and column counts a `flatMap` draws first loses
    /// rows and columns of padding: a deleted row lowers the row count,
    /// two choices before the rows, and a column goes from every row with
    /// the column count lowered. Lowering the choice just before the rows
    /// (the column count) for a deleted row, and no column deletion, left
    /// the 2×2 block inside padding of zeros in 9 of these 10 seeds.
    @Test(arguments: 0..<10 as Range<UInt64>)
    func matrixLosesPaddingRowsAndColumns(seed: UInt64) throws {
        let matrices = Gen.zip(Gen.ints(in: 1...5), Gen.ints(in: 1...5)).flatMap { rc in
            Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...30), count: rc.1...rc.1), count: rc.0...rc.0)
        }
        let (value, _) = minimal(matrices, seed: seed) { m in
            for i in 0..<(m.count - 1) {
                for j in 0..<(m[0].count - 1) where m[i][j] + m[i][j + 1] + m[i + 1][j] + m[i + 1][j + 1] > 100 { return true }
            }
            return false
        }
        let shrunk = try #require(value)
        #expect(shrunk == [[11, 30], [30, 30]])
    }

    enum RefOp: Equatable, Sendable { case alloc(Int64), resize(Int64, Int64) }

    /// A trace whose later operations name earlier allocations by index
    /// loses an allocation in front of the one that matters, with the
    /// indices after it moved down: `[alloc 33, resize(0, 1)]`, not
    /// `[alloc 1, alloc 33, resize(1, 1)]`, where deleting the first
    /// allocation alone leaves the resize naming nothing (and passing) and
    /// lowering its index alone names the wrong allocation. Without the
    /// moved references 8 of these 20 seeds stopped short; with them one
    /// does, at `[alloc 1, resize(0, 33), resize(0, 1)]`, where the first
    /// resize must merge into its allocation, which no pass of a generator
    /// property does.
    @Test func referencesMoveDownWithADeletedAllocation() throws {
        let ops = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...256).map { RefOp.alloc($0) },
                                           Gen.zip(Gen.integers(in: 0...7), Gen.integers(in: 1...256)).map { RefOp.resize($0.0, $0.1) }))
        var atMinimum = 0
        for seed: UInt64 in 0..<20 {
            // Fails when an allocation over 32 bytes is resized to below half its size.
            let (value, _) = minimal(ops, seed: seed) { ops in
                var live: [Int64] = []
                for op in ops {
                    switch op {
                    case .alloc(let n): live.append(n)
                    case .resize(let i, let n):
                        guard i < live.count else { continue }
                        if live[Int(i)] > 32 && n * 2 < live[Int(i)] { return true }
                        live[Int(i)] = n
                    }
                }
                return false
            }
            let shrunk = try #require(value, "seed \(seed)")
            if shrunk == [.alloc(33), .resize(0, 1)] { atMinimum += 1 }
        }
        #expect(atMinimum >= 19)
    }

    /// A trace keeps its order except where one operation may move past the
    /// one before it: a cache of three entries whose hit on its oldest entry
    /// does not refresh it ends at `put 0; put 1; put 2; get 0; put 3`, not
    /// at `put 0; put 1; get 0; put 2; put 3` (the same length, with the
    /// `get` one place early), where no value can move and sorting the
    /// trace loses the failure. Without `swapNeighbours` 10 of these 20
    /// seeds stopped with the `get` early.
    @Test func traceOperationsMovePastTheirNeighbour() throws {
        let ops = Gen.arrays(of: Gen.zip(Gen.element(of: ["put", "get"]), Gen.integers(in: 0...9)))
        var atMinimum = 0
        for seed: UInt64 in 0..<20 {
            // A correct least-recently-used order beside one whose hit on the oldest entry does not refresh it.
            let (value, _) = minimal(ops, seed: seed) { ops in
                var correct: [Int64] = [], stale: [Int64] = []
                for (op, key) in ops {
                    if op == "get" {
                        if let i = correct.firstIndex(of: key) { correct.append(correct.remove(at: i)) }
                        if let i = stale.firstIndex(of: key), i > 0 { stale.append(stale.remove(at: i)) }
                    } else {
                        correct.removeAll { $0 == key }
                        correct.append(key)
                        if correct.count > 3 { correct.removeFirst() }
                        stale.removeAll { $0 == key }
                        stale.append(key)
                        if stale.count > 3 { stale.removeFirst() }
                    }
                    if Set(correct) != Set(stale) { return true }
                }
                return false
            }
            let shrunk = try #require(value, "seed \(seed)")
            if shrunk.map({ "\($0.0) \($0.1)" }) == ["put 0", "put 1", "put 2", "get 0", "put 3"] { atMinimum += 1 }
        }
        #expect(atMinimum == 20)
    }

    enum HeapStep: Equatable, Sendable { case push(Int64), pop }

    /// Two operations of a generated trace that only work as a pair (a
    /// push and the pop after it) are deleted together: a min-heap whose
    /// sift-down only looks at the left child ends at
    /// `push 0; push 1; push 0; push 1; pop; pop`, not with a push and a
    /// pop in front of it, where deleting either alone changes what the
    /// heap holds when the failure comes. Without the pair deletion for a
    /// generator's operations 4 of these 20 seeds stopped longer.
    @Test func generatedTracesLoseAdjacentPairs() throws {
        let steps = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...100).map { HeapStep.push($0) }, Gen.just(HeapStep.pop)))
        var atMinimum = 0
        for seed: UInt64 in 0..<20 {
            // Fails when a pop does not return the least value pushed and not yet popped.
            let (value, _) = minimal(steps, seed: seed) { steps in
                var tree: [Int64] = [], pushed: [Int64] = []
                for step in steps {
                    if case .push(let x) = step {
                        tree.append(x)
                        pushed.append(x)
                        var child = tree.count - 1
                        while child > 0, tree[(child - 1) / 2] > tree[child] {
                            tree.swapAt(child, (child - 1) / 2)
                            child = (child - 1) / 2
                        }
                    } else if let least = pushed.min() {
                        let top = tree[0]
                        tree[0] = tree.last!
                        tree.removeLast()
                        var parent = 0
                        while 2 * parent + 1 < tree.count, tree[2 * parent + 1] < tree[parent] {
                            tree.swapAt(parent, 2 * parent + 1)
                            parent = 2 * parent + 1
                        }
                        pushed.remove(at: pushed.firstIndex(of: least)!)
                        if top != least { return true }
                    }
                }
                return false
            }
            let shrunk = try #require(value, "seed \(seed)")
            if shrunk == [.push(0), .push(1), .push(0), .push(1), .pop, .pop] { atMinimum += 1 }
        }
        #expect(atMinimum >= 19)
    }

    /// Two values tied below zero cross to the other side together: an
    /// `Int8` pair whose sum overflows ends at (1, 127), not at (-1, -128),
    /// where mirroring either value alone passes. Without `mirrorSigns`
    /// 7 of these 20 seeds ended at (-1, -128), and 7 of the `Int32` pairs
    /// with a negative first value.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func signsMirroredTogether(seed: UInt64) throws {
        let (value, _) = minimal(Gen.zip(Gen.integers(of: Int8.self), Gen.integers(of: Int8.self)), seed: seed) { t in
            t.0.addingReportingOverflow(t.1).overflow
        }
        let shrunk = try #require(value)
        #expect(shrunk.0 == 1 && shrunk.1 == 127)
        let (wide, _) = minimal(Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self)), seed: seed) { t in
            t.0.addingReportingOverflow(t.1).overflow
        }
        let shrunkWide = try #require(wide)
        #expect(shrunkWide.0 == 1 && shrunkWide.1 == Int32.max)
    }

    /// A strictly decreasing run of a list's elements, or of a tuple's
    /// integers, is lowered from its last one (`loweringOrder`): each goes
    /// as low as the next one allows in one search. Lowered from the first,
    /// the first stopped just above the second, round after round, and
    /// every one of these 20 seeds took more than 30 shrink calls on the
    /// list, and more than 40 on the tuple (a median of 115.5 calls from
    /// the first failure in the suite, where value moved between the three
    /// back and forth).
    @Test(arguments: 0..<20 as Range<UInt64>)
    func decreasingRunLoweredFromItsEnd(seed: UInt64) throws {
        let (value, report) = minimal(Gen.arrays(of: Gen.integers(in: 0...100)), seed: seed) { xs in
            xs.count >= 3 && zip(xs, xs.dropFirst()).allSatisfy { $0 > $1 }
        }
        #expect(try #require(value) == [2, 1, 0])
        #expect(try #require(report.counterexample).shrinkCalls <= 30)
        let range = Gen.integers(in: 0...100)
        let (triple, tripleReport) = minimal(Gen.zip(range, range, range), seed: seed) { t in t.0 > t.1 && t.1 > t.2 }
        let shrunk = try #require(triple)
        #expect(shrunk.0 == 2 && shrunk.1 == 1 && shrunk.2 == 0)
        #expect(try #require(tripleReport.counterexample).shrinkCalls <= 40)
    }

    /// At a minimum that a pair of a list's elements cannot move value
    /// between, `redistribute` tries one unit and leaves the pair: the
    /// search's three probes (all, half, one unit) cost 8 more shrink calls
    /// on each of these 20 seeds of a strictly decreasing list of four (50
    /// to 55; 43 to 48 now, one of them the last resort's merge of an
    /// element into the largest, `deleteIntoNext`).
    @Test(arguments: 0..<20 as Range<UInt64>)
    func unitMoveTriedFirstBetweenElements(seed: UInt64) throws {
        let (value, report) = minimal(Gen.arrays(of: Gen.integers(in: 0...100)), seed: seed) { xs in
            xs.count >= 4 && zip(xs, xs.dropFirst()).allSatisfy { $0 > $1 }
        }
        #expect(try #require(value) == [3, 2, 1, 0])
        #expect(try #require(report.counterexample).shrinkCalls <= 48)
    }

    /// `sortSiblings` does not sort the tail of a run it sorted as a whole:
    /// at `(3, 2, 1, 0)` each tail cost a call (51 to 54 shrink calls on
    /// these seeds, 50 to 53 now; 8 of them fail this bound without it).
    @Test(arguments: 0..<20 as Range<UInt64>)
    func runTailsNotSortedAgain(seed: UInt64) throws {
        let range = Gen.integers(in: 0...100)
        let (value, report) = minimal(Gen.zip(range, range, range, range), seed: seed) { t in
            t.0 > t.1 && t.1 > t.2 && t.2 > t.3
        }
        let shrunk = try #require(value)
        #expect(shrunk.0 == 3 && shrunk.1 == 2 && shrunk.2 == 1 && shrunk.3 == 0)
        #expect(try #require(report.counterexample).shrinkCalls <= 53)
    }

    /// A letter from a set scattered over the alphabet ends at the first
    /// letter of its case: "three vowels" at "aaa", "two of x, y, z, a, b"
    /// at "aa". Bisecting towards "0" stops at any vowel; without the step
    /// to the class's first letter 9 of these 10 seeds ended at "ooo",
    /// "eou" and the like, and 4 at "xx" or "ax".
    @Test(arguments: 0..<10 as Range<UInt64>)
    func letterLowersToTheFirstOfItsCase(seed: UInt64) throws {
        let (vowels, _) = minimal(Gen.strings(), seed: seed) { s in
            s.unicodeScalars.filter { "aeiou".unicodeScalars.contains($0) }.count >= 3
        }
        #expect(try #require(vowels) == "aaa")
        let (scattered, _) = minimal(Gen.strings(), seed: seed) { s in
            s.unicodeScalars.filter { "xyzab".unicodeScalars.contains($0) }.count >= 2
        }
        #expect(try #require(scattered) == "aa")
    }

    /// Integers that point at positions of their own list move down with
    /// a deletion: "a value equal to its index" ends at `[0, 1]`, not
    /// `[0, 0, 2]`, and a filtered list whose values point at each other
    /// at `[1, 0]`, not `[0, 2, 1]`. Without the shifted candidate where
    /// the plain deletion passed, 5 of these 20 seeds end at `[0, 0, 2]`
    /// and 2 at `[0, 2, 1]`.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func positionsMoveDownWithADeletion(seed: UInt64) throws {
        let (atIndex, _) = minimal(Gen.arrays(of: Gen.integers(in: 0...10)), seed: seed) { xs in
            xs.enumerated().contains { $0.offset > 0 && $0.element == Int64($0.offset) }
        }
        #expect(try #require(atIndex) == [0, 1])
        let pointing = Gen.arrays(of: Gen.integers(in: 0...10)).filter(attempts: 20) { xs in xs.allSatisfy { $0 < xs.count } }
        let (coupled, _) = minimal(pointing, seed: seed) { xs in
            xs.enumerated().contains { $0.element != Int64($0.offset) && xs[Int($0.element)] == Int64($0.offset) }
        }
        #expect(try #require(coupled) == [1, 0], "\(String(describing: coupled))")
    }

    /// An element of a list at its greatest count is deleted with an end
    /// marker added: such a list drew none, and without one it read what
    /// follows it as another element's flag. Without the marker 2 of these
    /// 20 seeds end at `[0, 0, 51]` for lists of at most three, and 6 at
    /// `[[], [], [51]]` or `[[0, 0, 51]]` for lists of such lists.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func fullListLosesAnElement(seed: UInt64) throws {
        let bounded = Gen.arrays(of: Gen.integers(in: 0...100), count: 0...3)
        let (flat, _) = minimal(bounded, seed: seed) { $0.contains { $0 > 50 } }
        #expect(try #require(flat) == [51])
        let (nested, _) = minimal(Gen.arrays(of: bounded, count: 0...3), seed: seed) { $0.joined().contains { $0 > 50 } }
        #expect(try #require(nested) == [[51]])
    }

    /// The values the shrinker ends at from `start`, which must fail.
    func shrunk(from start: [ChoiceValue], _ executor: Executor) throws -> [ChoiceValue] {
        let first = try #require(executor.run(TestCase(replaying: start)))
        #expect(first.outcome.failureKind != nil)
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        return shrinker.values
    }

    /// An earlier byte is lowered again in the same pass when a later one
    /// moved (`lowerBytes`): a row through PNG's Sub filter and an
    /// unfilter that clamps instead of wrapping fails where a byte is below
    /// the one before it. From `fY` (102, 89) the first byte could go to 90
    /// only; with the second at 0 it can go to 1, and before, it went there
    /// a halving a round, each round paying the redistribution of the pair
    /// (103 calls from this start, 23 now).
    @Test func anEarlierByteIsLoweredAgainWhenALaterOneMoved() throws {
        let executor = Executor(body: { tc in
            let row = try tc.draw(Gen.bytes(count: 0...16))
            return ("\(row)", row, { try expect(!zip(row, row.dropFirst()).contains { $0.1 < $0.0 }) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.bytes([102, 89])])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.bytes([1, 0])])
        #expect(shrinker.calls <= 40, "\(shrinker.calls) calls")
    }

    /// A byte left at the first letter of an ASCII case tries the first
    /// digit (`lowerBytes`): a hex escaper that writes a zero byte as
    /// "\x0" lets the next byte, when it is a hex digit, be read as part of
    /// the escape. From `b'\x00A'` every step down from "A" lands on
    /// punctuation, which passes, and the shrink stopped there; "0" is
    /// simpler and fails. From "a", "0" too.
    @Test func aByteAtAFirstLetterTriesTheFirstDigit() throws {
        func isHexDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b) }
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...16))
            return ("\(b)", b, { try expect(!zip(b, b.dropFirst()).contains { $0.0 == 0 && isHexDigit($0.1) }) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.bytes([0, 0x41])], executor) == [.bytes([0, 0x30])])
        #expect(try shrunk(from: [.bytes([0, 0x61])], executor) == [.bytes([0, 0x30])])
        #expect(try shrunk(from: [.bytes([7, 0, 0x62])], executor) == [.bytes([0, 0x30])])
    }

    /// A byte string whose length a lowered width fixes keeps its last
    /// bytes when replayed (`TestCase.nextReplayed`): rows of a width drawn
    /// first, failing when the width is a multiple of 4 and the last row is
    /// not all zeros, go from width 8 to 4 with the row's non-zero byte.
    /// Before, the shorter row was replayed as zeros, which passes, and 10
    /// of 20 seeds of the suite's row-pitch problem stopped at width 8.
    @Test func aWidthIsLoweredWithTheEndOfItsRows() throws {
        let rows = Gen.integers(in: 1...8).flatMap { w in Gen.arrays(of: Gen.bytes(count: Int(w)...Int(w)), count: 2...2) }
        let executor = Executor(body: { tc in
            let r = try tc.draw(rows)
            return ("\(r)", r, { try expect(!(r[0].count % 4 == 0 && r[1].contains { $0 != 0 })) })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.integer(8), .bytes([0, 0, 0, 0, 0, 0, 0, 0]), .bytes([0, 0, 0, 0, 0, 0, 0, 1])]
        #expect(try shrunk(from: start, executor) == [.integer(4), .bytes([0, 0, 0, 0]), .bytes([0, 0, 0, 1])])
    }

    /// A power of ten that generation drew is tried at the power below it
    /// (`lowerRoundNumber`): two numbers of 0...100 whose order as text
    /// differs from their order as numbers go from (2, 100) to (2, 10),
    /// which no probe of the search (0, half the value, one and two below
    /// it) meets. A power of ten the shrink reached itself is left alone:
    /// a threshold of 100 is not tried at 10.
    @Test func aDrawnPowerOfTenIsTriedWithOneZeroLess() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100)))
            return ("\(t)", t, { try expect(!(t.0 < t.1 && String(t.1) < String(t.0))) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.integer(2), .integer(100)], executor) == [.integer(2), .integer(10)])
        var tried: [Int64] = []
        let threshold = Executor(body: { tc in
            let x = try tc.draw(Gen.integers(in: 0...1000))
            return ("\(x)", x, { tried.append(x); try expect(x < 100) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.integer(731)], threshold) == [.integer(100)])
        #expect(!tried.contains(10), "\(tried)")
    }

    /// Once two neighbouring bytes have gone to 0 one by one, the bytes after
    /// them go in runs of 2, 4, 8, ... at once (`lowerBytes`): sixteen bytes
    /// whose last must be 2 or more reach fifteen zeros and a 2 in 20 calls,
    /// 27 a byte at a time.
    @Test func zeroBytesGoInRunsAfterTwoWentAlone() throws {
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...16))
            return ("\(b)", b, { try expect(!(b.count == 16 && b[15] >= 2)) })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.bytes([UInt8](repeating: 0xAB, count: 15) + [7])]
        let first = try #require(executor.run(TestCase(replaying: start)))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.bytes([UInt8](repeating: 0, count: 15) + [2])])
        #expect(shrinker.calls < 21, "\(shrinker.calls) calls")
    }

    /// A deletion inside a unique collection's element that makes it repeat
    /// an earlier one (a character deleted from "00" beside "0") is tried
    /// again with the element's last value one higher (`repairCollision`):
    /// a set of three strings reaches `{"", "0", "1"}`, and unique byte
    /// strings `[], [0], [1]`, in every seed (7 and 8 of 20 without it).
    @Test func aDeletionThatRepeatsAnElementIsRepairedByRaisingIt() {
        for seed in UInt64(0)..<10 {
            let strings = checkProperty("three strings", Gen.sets(of: Gen.strings()),
                                        configuration: PropertyConfiguration(seed: seed)) { set in
                try expect(set.count < 3)
            }
            #expect(strings.counterexampleValue(as: Set<String>.self) == ["", "0", "1"], "seed \(seed): \(strings)")
            let bytes = checkProperty("three byte strings", Gen.uniqueArrays(of: Gen.bytes()),
                                      configuration: PropertyConfiguration(seed: seed)) { array in
                try expect(array.count < 3)
            }
            #expect(bytes.counterexampleValue(as: [[UInt8]].self).map(Set.init) == [[], [0], [1]], "seed \(seed): \(bytes)")
        }
    }

    /// A byte string that no byte can leave, from either end or the third
    /// position, has its bytes lowered before the bytes inside are deleted
    /// (`lowerBytes`): once they are zeros, deleting any one of them is the
    /// same candidate, run once. Sixteen bytes of a string that must keep
    /// its length, whose last must be 2 or more, reach fifteen zeros and a
    /// 2 in 22 calls; 34 with each byte inside deleted first.
    @Test func aStringThatKeepsItsLengthIsLoweredBeforeItsBytesAreDeleted() throws {
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...32))
            return ("\(b)", b, { try expect(!(b.count == 16 && b[15] >= 2)) })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.bytes((1...15).map { 0x80 + $0 } + [7])]
        let first = try #require(executor.run(TestCase(replaying: start)))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.bytes([UInt8](repeating: 0, count: 15) + [2])])
        #expect(shrinker.calls < 23, "\(shrinker.calls) calls")
    }

    /// A run of consecutive values of one kind moves as one before a value
    /// is stepped down alone (`shiftWithNeighbours`): three list elements
    /// that must stay three consecutive numbers go from 62, 61, 63 to 1,
    /// 0, 2 at the fifth call, and the shrink ends after 22. Pairs of the
    /// run cannot move, so each element was stepped alone and shifted
    /// with each neighbour first: 62 calls.
    @Test func aRunOfConsecutiveValuesIsShiftedAsOne() throws {
        let executor = Executor(body: { tc in
            let xs = try tc.draw(Gen.arrays(of: Gen.integers(in: 0...63), count: 3...3))
            let sorted = xs.sorted()
            return ("\(xs)", xs, { try expect(!(sorted[1] == sorted[0] + 1 && sorted[2] == sorted[1] + 1)) })
        }, deduplicates: true)
        let start = try #require(executor.run(TestCase(replaying: [.integer(62), .integer(61), .integer(63)])))
        let shrinker = Shrinker(executor: executor, failing: start, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values.compactMap { if case .integer(let v) = $0 { v } else { nil } }.sorted() == [Int64(0), 1, 2])
        #expect(shrinker.calls < 30, "\(shrinker.calls) calls")
    }

    /// An unsigned machine word whose failure lives in its low bits drops
    /// its high bits first (`Search.lowestSimpler`'s `masksHighBits`): a
    /// page bitmap with three free pages in a row from page 8 on goes from
    /// 0x37ff_ffff_ffff_ffff to 0x700 in 31 calls. The bisection towards a
    /// threshold adopted one low bit a call (89 calls).
    @Test func aMachineWordDropsItsHighBitsFirst() throws {
        let executor = Executor(body: { tc in
            let x = try tc.draw(Gen.integers(of: UInt64.self))
            let y = x >> 8
            return ("\(x)", x, { try expect(y & (y >> 1) & (y >> 2) == 0) })
        }, deduplicates: true)
        let code = Int64(bitPattern: UInt64(0x37ff_ffff_ffff_ffff) ^ (1 << 63))
        let start = try #require(executor.run(TestCase(replaying: [.integer(code)])))
        let shrinker = Shrinker(executor: executor, failing: start, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(Int64(bitPattern: UInt64(0x700) ^ (1 << 63)))])
        #expect(shrinker.calls < 45, "\(shrinker.calls) calls")
    }

    /// A value that moved with its neighbour is then tried alone before
    /// value moves from it into the neighbour (`redistribute`): a list
    /// checked as sorted at every second pair, `[0, 100, 78]`, shifts to
    /// `[0, 22, 0]`, whose 22 goes to 1 alone: 21 calls. Counted as lowered
    /// alone by the shift, the 22 was moved into the 0 one unit at a time
    /// (42 calls).
    @Test func aValueShiftedWithItsNeighbourIsThenTriedAlone() throws {
        let shrinker = try Self.shrinkStrideCheckedSort(from: [0, 100, 78])
        #expect(shrinker.values.compactMap { if case .integer(let v) = $0 { v } else { nil } } == [Int64(0), 1, 0])
        #expect(shrinker.calls < 30, "\(shrinker.calls) calls")
    }

    /// The shrink of a list of 0...100 that fails when it is unsorted though
    /// every second pair (the first and second, the third and fourth, ...)
    /// is in order, from `list`.
    static func shrinkStrideCheckedSort(from list: [Int64]) throws -> Shrinker {
        let executor = Executor(body: { tc in
            let xs = try tc.draw(Gen.arrays(of: Gen.integers(in: 0...100)))
            let claims = stride(from: 0, to: xs.count - 1, by: 2).allSatisfy { xs[$0] <= xs[$0 + 1] }
            return ("\(xs)", xs, { try expect(!claims || xs == xs.sorted()) })
        }, deduplicates: true)
        let choices: [ChoiceValue] = list.flatMap { [.boolean(true), .integer($0)] } + [.boolean(false)]
        let start = try #require(executor.run(TestCase(replaying: choices)))
        let shrinker = Shrinker(executor: executor, failing: start, maxCalls: 1000)
        shrinker.shrink()
        return shrinker
    }

    /// Once a pair of equal neighbours has gone (`deleteEqualNeighbourPairs`),
    /// pairs go from runs of two and three too: a list checked as sorted at
    /// every second pair goes from seven zeros, a 1 and a zero to `[0, 1, 0]`.
    /// Before, it stopped at `[0, 0, 0, 1, 0]`, a run of three zeros.
    @Test func pairsGoFromShortRunsOnceAPairHasGone() throws {
        let shrinker = try Self.shrinkStrideCheckedSort(from: [0, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(shrinker.values.compactMap { if case .integer(let v) = $0 { v } else { nil } } == [Int64(0), 1, 0])
    }

    /// A binary tree's two subtrees go a level lower together
    /// (`replaceWithDescendant`'s `liftingBothChildren`): a tree checked for
    /// balance at its root only must keep its subtrees' heights within one,
    /// so cutting one side alone fails until the other has been cut. Ten
    /// seeds take 1,694 shrink calls in all; 2,662 with one side at a time.
    @Test func bothSubtreesGoALevelLowerTogether() {
        indirect enum Tree: Sendable {
            case leaf
            case node(Tree, Tree)
            var height: Int { if case .node(let l, let r) = self { 1 + max(l.height, r.height) } else { 0 } }
            var balancedAtRoot: Bool { if case .node(let l, let r) = self { abs(l.height - r.height) <= 1 } else { true } }
            var balanced: Bool { if case .node(let l, let r) = self { balancedAtRoot && l.balanced && r.balanced } else { true } }
        }
        let trees = Gen.recursive(maxDepth: 8, base: Gen.just(Tree.leaf)) { c in Gen.zip(c, c).map { Tree.node($0.0, $0.1) } }
        var calls = 0
        for seed in UInt64(0)..<10 {
            let report = checkProperty("balance", trees, configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) { t in
                try expect(!t.balancedAtRoot || t.balanced)
            }
            let tree = report.counterexampleValue(as: Tree.self)
            #expect(tree?.height == 4 && tree?.balancedAtRoot == true, "seed \(seed): \(report)")
            calls += report.counterexample?.shrinkCalls ?? 0
        }
        #expect(calls < 2000, "\(calls) shrink calls over 10 seeds")
    }

    /// A byte string replayed into a longer fixed length gains zeros at its
    /// front, and one replayed into a shorter one keeps its last bytes.
    @Test func aByteStringIsFittedToItsLengthFromTheEnd() throws {
        let longer = TestCase(replaying: [.bytes([7, 1])])
        #expect(try longer.draw(Gen.bytes(count: 4...4)) == [0, 0, 7, 1])
        let shorter = TestCase(replaying: [.bytes([9, 8, 7, 1])])
        #expect(try shorter.draw(Gen.bytes(count: 0...2)) == [7, 1])
    }

    /// A tuple's later component is filled to its bound from an earlier one
    /// eight times its room or more, keeping their sum (`redistribute`): an
    /// offset and a length whose end wraps past 2^64 go from `(2^64 - 2, 2)`
    /// to `(2^64 - 2^32 + 1, 2^32 - 1)`. Before, only a collection's element
    /// was filled so, and the suite's read-bounds problem never reached its
    /// minimum.
    @Test func aTuplesComponentIsFilledToItsBound() throws {
        let reads = Gen.zip(Gen.integers(of: UInt64.self), Gen.integers(of: UInt32.self))
        let executor = Executor(body: { tc in
            let (offset, length) = try tc.draw(reads)
            return ("", (offset, length), { try expect(offset.addingReportingOverflow(UInt64(length)).overflow == false) })
        }, deduplicates: true)
        // A UInt64 is drawn offset by 2^63 (`Gen.integers(of:)`).
        let offset = { (x: UInt64) in ChoiceValue.integer(Int64(bitPattern: x ^ (1 << 63))) }
        let start = [offset(UInt64.max - 1), .integer(2)]
        #expect(try shrunk(from: start, executor) == [offset(UInt64.max - (1 << 32) + 2), .integer(Int64(UInt32.max))])
    }

    /// An optional's value becomes none with its draws deleted and the rest
    /// kept (`switchBranch`): lowered alone, the branch left the value's
    /// draw to be read as the next element's flag, and the list ended
    /// there. `[0, 0, 0, 0]` failing while its fourth element is present
    /// goes to `[None, None, None, 0]`; a validity bitmap read with the
    /// wrong shift never reached its minimum in 20 seeds before.
    @Test func anOptionalBecomesNoneWithTheRestKept() throws {
        let column = Gen.arrays(of: Gen.optional(Gen.integers(in: 0...9)))
        let executor = Executor(body: { tc in
            let xs = try tc.draw(column)
            return ("", xs, { try expect(!(xs.count >= 4 && xs[3] != nil)) })
        }, deduplicates: true)
        let some: [ChoiceValue] = [.boolean(true), .integer(1), .integer(0)]
        let none: [ChoiceValue] = [.boolean(true), .integer(0)]
        let start = some + some + some + some + [.boolean(false)]
        #expect(try shrunk(from: start, executor) == none + none + none + some + [.boolean(false)])
    }

    /// A double no truncation of its mantissa keeps failing is rounded up at
    /// as many fractional bits (`LowerDoubles.swift`): a fraction that must
    /// reach 0.995 goes from 1.99542236328125 (sixteen bits) to 1 + 255/256,
    /// where the truncation at eight bits, 1 + 254/256, passes. Before, 2
    /// of the 17 seeds of the suite's 100 Hz ticks that found the failure
    /// stopped at sixteen bits.
    @Test func aDoubleIsRoundedUpAtFewerBits() throws {
        let shrunk = try #require(ShrinkCallsTests.shrinkDouble(from: 1.99542236328125) { $0 - $0.rounded(.down) >= 0.995 })
        #expect(shrunk.value == 1 + 255.0 / 256)
    }

    /// A run of 4 tokens goes at once when one and two could not
    /// (`DeleteSpans.swift`, `chunkDeleted`): input read in chunks of 4
    /// fails only on whole chunks. Before, a line reader taking 4
    /// characters at a time stopped with 4 characters too many in 4 seeds
    /// of 20.
    @Test func aChunkOfFourTokensIsDeletedAtOnce() throws {
        let tokens = Gen.arrays(of: Gen.element(of: ["a", "b", "\n"]))
        let executor = Executor(body: { tc in
            let s = try tc.draw(tokens)
            return ("\(s)", s, { try expect(!(s.count >= 4 && s.count % 4 == 0 && s.last == "\n")) })
        }, deduplicates: true)
        // Seven "a"s and a "\n": two chunks.
        let start: [ChoiceValue] = Array(repeating: [ChoiceValue.boolean(true), .integer(0)], count: 7).flatMap { $0 }
            + [.boolean(true), .integer(2), .boolean(false)]
        let minimum: [ChoiceValue] = Array(repeating: [ChoiceValue.boolean(true), .integer(0)], count: 3).flatMap { $0 }
            + [.boolean(true), .integer(2), .boolean(false)]
        #expect(try shrunk(from: start, executor) == minimum)
    }

    /// The first element of a full list (one to three strings), which has no
    /// flag, is deleted with the next element's flag and an end marker: the
    /// elements after it then stay whole and the list ends where it now
    /// does. `['', 'b', '']` must keep two strings with a "b" before the
    /// last; without the marker the deletion read nothing as the list's end
    /// and this was the minimum (`['b', '']` is one choice shorter).
    @Test func aFullListsUnflaggedElementGoesWithAnEndMarker() throws {
        let fields = Gen.arrays(of: Gen.strings(of: Gen.characters(from: "ab")), count: 1...3)
        let executor = Executor(body: { tc in
            let xs = try tc.draw(fields)
            return ("", xs, { if xs.count >= 2 && xs[xs.count - 2] == "b" { throw PropertyFailure("a b before the last") } })
        }, deduplicates: true)
        // '' | another, 'b' | another, '' (no end marker: three is the most).
        let start: [ChoiceValue] = [.boolean(false), .boolean(true), .boolean(true), .integer(1), .boolean(false),
                                    .boolean(true), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .integer(1), .boolean(false), .boolean(true), .boolean(false), .boolean(false)])
    }

    /// An element at its simplest values, in ranges that start above 0, is
    /// deleted with its values added to the next element's: a width of one
    /// bit before a field that must straddle a byte boundary moves the
    /// field off it when deleted alone, and the 7-bit field raised alone is
    /// not simpler. `[(1, 0), (1, 0), (7, 1)]` was the minimum.
    @Test func anElementAtItsSimplestGoesIntoTheNext() throws {
        let fields = Gen.arrays(of: Gen.zip(Gen.integers(in: 1...8), Gen.integers(in: 0...255)))
        let executor = Executor(body: { tc in
            let fs = try tc.draw(fields)
            return ("", fs, {
                var offset: Int64 = 0
                for (width, value) in fs {
                    if offset % 8 + width > 8 && value != 0 { throw PropertyFailure("a field across a byte boundary") }
                    offset += width
                }
            })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.boolean(true), .integer(1), .integer(0), .boolean(true), .integer(1), .integer(0),
                                    .boolean(true), .integer(7), .integer(1), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .integer(1), .integer(0), .boolean(true), .integer(8), .integer(1), .boolean(false)])
    }

    /// A list of plain integers merges an element into the largest that can
    /// take it, keeping the sum: nonzero bytes whose wrapping sum is 0
    /// stopped at `[1, 1, 254]`, where deleting any element or lowering any
    /// one alone loses the wrap, and `[1, 255]` is simpler.
    @Test func anElementGoesIntoTheLargestKeepingTheSum() throws {
        let executor = Executor(body: { tc in
            let xs = try tc.draw(Gen.arrays(of: Gen.integers(of: UInt8.self)))
            return ("", xs, {
                if xs.count >= 2 && !xs.contains(0) && xs.reduce(UInt8(0), &+) == 0 { throw PropertyFailure("wraps to zero") }
            })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.boolean(true), .integer(1), .boolean(true), .integer(1), .boolean(true), .integer(254), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .integer(1), .boolean(true), .integer(255), .boolean(false)])
    }

    /// A size lowered with its collection's front elements deleted moves a
    /// position into that collection down with them: a list of `n` values
    /// and an index below `n`, failing when the index is at least 2 and
    /// points at a value above 50, stopped at `([0, 0, 0, 0, 51], 4)`,
    /// where lowering the size alone, deleting alone or lowering the index
    /// alone each lose the failure.
    @Test func aPositionMovesDownWithTheFrontElementsATrimDeletes() throws {
        let table = Gen.integers(in: 1...20).flatMap { n in
            Gen.zip(Gen.arrays(of: Gen.integers(in: 0...100), count: Int(n)...Int(n)), Gen.integers(in: 0...(n - 1)))
        }
        let executor = Executor(body: { tc in
            let (xs, i) = try tc.draw(table)
            return ("", xs, { if i >= 2 && xs[Int(i)] > 50 { throw PropertyFailure("a large value past the second") } })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.integer(5), .integer(0), .integer(0), .integer(0), .integer(0), .integer(51), .integer(4)]
        #expect(try shrunk(from: start, executor) == [.integer(3), .integer(0), .integer(0), .integer(51), .integer(2)])
    }

    /// An unsigned word above the value where it reads as a negative signed
    /// one goes there first: a hash past 2^63 whose signed remainder must be a
    /// bucket stopped a few thousand above 2^63 (lowering it one step at a
    /// time, or by powers of two, met hashes the bucket count divides, which
    /// pass), where 2^63 with 3 buckets is simpler.
    @Test func anUnsignedWordGoesToItsSignedBoundaryFirst() throws {
        let placed = Gen.zip(Gen.integers(of: UInt64.self), Gen.integers(in: 1...16))
        let executor = Executor(body: { tc in
            let (hash, buckets) = try tc.draw(placed)
            return ("", hash, {
                let index = Int64(bitPattern: hash) % buckets
                if !(index >= 0 && index < buckets) { throw PropertyFailure("a bucket out of range") }
            })
        }, deduplicates: true)
        // (2^63 + 4095, 11): a UInt64 is recorded as its bits with the top one flipped.
        #expect(try shrunk(from: [.integer(4095), .integer(11)], executor) == [.integer(0), .integer(3)])
    }

    /// A byte's set bits are cleared like a machine word's, highest first:
    /// a run of five 1 bits across two bytes (least significant bit first)
    /// needs `0x80` and then a byte whose low five bits are `01111`, and
    /// lowering the second byte from `0x2F` met no such byte before `0x0F`,
    /// so the shrink stopped at `[0x80, 0x2F]`.
    @Test func aBytesHighBitsAreClearedLikeAWords() throws {
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...8))
            return ("", b, { if b.count >= 2 && b[0] & 0x80 != 0 && b[1] & 0x1F == 0x0F { throw PropertyFailure("a run of five") } })
        }, deduplicates: true)
        #expect(try shrunk(from: [.bytes([0x80, 0x2F])], executor) == [.bytes([0x80, 0x0F])])
    }

    /// A unit of two zero bytes in front of a string of whole units is cut
    /// when one byte could not be (`lowerBytes`): a UTF-16 decoder that
    /// pairs a high surrogate with any unit stopped with zero units before
    /// its pair, every cut of one byte or deletion of one inside leaving an
    /// odd length.
    @Test func aZeroUnitIsCutFromTheFront() throws {
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...16))
            return ("", b, { if b.count >= 4 && b.count % 2 == 0 && b[b.count - 3] == 0xD8 { throw PropertyFailure("a lone surrogate") } })
        }, deduplicates: true)
        #expect(try shrunk(from: [.bytes([0, 0, 0, 0, 0, 0xD8, 0, 0])], executor) == [.bytes([0, 0xD8, 0, 0])])
    }

    /// The list's last two elements merge even when equal (`deleteIntoNext`):
    /// five requests of one token each overdraw a bucket of four, and so do
    /// one and four. Elsewhere a run of equal elements merges only into
    /// what follows it, and nothing follows the last.
    @Test func theLastTwoEqualElementsMerge() throws {
        let requests = Gen.arrays(of: Gen.zip(Gen.integers(in: 0...10), Gen.integers(in: 1...4)))
        let executor = Executor(body: { tc in
            let rs = try tc.draw(requests)
            return ("", nil, { if rs.map(\.1).reduce(0, +) > 4 + rs.map(\.0).reduce(0, +) { throw PropertyFailure("overdrawn") } })
        }, deduplicates: true)
        let one: [ChoiceValue] = [.boolean(true), .integer(0), .integer(1)]
        let start = Array(repeating: one, count: 5).flatMap { $0 } + [.boolean(false)]
        #expect(try shrunk(from: start, executor) == one + [.boolean(true), .integer(0), .integer(4), .boolean(false)])
    }

    /// Two integers of one kind, three or more integers apart, shift
    /// together (`shiftKinds`): two allocations' sizes of one size class
    /// with a free between them (its selector and index) were no pair for
    /// `shiftTogether` (the next two integers), nor a kind of three for
    /// `shiftKinds`, and lowered alone each left the class.
    @Test func twoOfAKindFarApartShiftTogether() throws {
        enum Op: Equatable { case alloc(Int64), free(Int64) }
        let ops = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...64).map { Op.alloc($0) }, Gen.integers(in: 0...7).map { Op.free($0) }))
        let executor = Executor(body: { tc in
            let trace = try tc.draw(ops)
            return ("", nil, {
                guard trace.count == 3, case .alloc(let a) = trace[0], case .free = trace[1], case .alloc(let b) = trace[2] else { return }
                if b == a + 1, a % 16 == 0 { throw PropertyFailure("the same class twice") }
            })
        }, deduplicates: true)
        func trace(_ a: Int64, _ b: Int64) -> [ChoiceValue] {
            [.boolean(true), .integer(0), .integer(a), .boolean(true), .integer(1), .integer(0), .boolean(true), .integer(0), .integer(b), .boolean(false)]
        }
        #expect(try shrunk(from: trace(32, 33), executor) == trace(16, 17))
    }

    /// A value held three times is moved between its first and last holders
    /// as a last resort: digits summing past 20 stopped at "777" (lowering
    /// the three together gives 18, and the main round leaves a value held
    /// three times alone), where "399" is simpler.
    @Test func aValueHeldThreeTimesIsSpreadAsALastResort() throws {
        let digits = Gen.strings(of: Gen.characters(from: "0123456789"))
        let executor = Executor(body: { tc in
            let s = try tc.draw(digits)
            return ("", s, { if s.compactMap(\.wholeNumberValue).reduce(0, +) > 20 { throw PropertyFailure("digits past 20") } })
        }, deduplicates: true)
        let sevens: [ChoiceValue] = [.boolean(true), .integer(7), .boolean(true), .integer(7), .boolean(true), .integer(7), .boolean(false)]
        #expect(try shrunk(from: sevens, executor) == [.boolean(true), .integer(3), .boolean(true), .integer(9), .boolean(true), .integer(9), .boolean(false)])
    }

    enum TraceStep: Equatable { case alloc(Int64), free(Int64) }

    /// The choices of one `TraceStep` in a list: another element, the
    /// branch (0 alloc, 1 free), the argument.
    func op(_ branch: Int64, _ argument: Int64) -> [ChoiceValue] { [.boolean(true), .integer(branch), .integer(argument)] }

    /// Equal arguments of one operation are lowered without the equal
    /// arguments of another operation and the branch indices that share
    /// their value. In `alloc 0, alloc 1, alloc 1, alloc 1, free 2, free 1`,
    /// lowering every 1 turns the frees into allocations and lowering one
    /// size alone breaks the sizes' equality: the three go to 0 together.
    /// (A buddy allocator's trace of that form stopped there in 2 of 20
    /// seeds: its blocks move when one order changes.)
    @Test func equalArgumentsAreLoweredWithoutAnotherOperationsArguments() throws {
        let steps = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...2).map { TraceStep.alloc($0) },
                                             Gen.integers(in: 0...3).map { TraceStep.free($0) }))
        let executor = Executor(body: { tc in
            let ops = try tc.draw(steps)
            let sizes = ops.compactMap { if case .alloc(let k) = $0 { k } else { nil } }
            let frees = ops.compactMap { if case .free(let i) = $0 { i } else { nil } }
            return ("", ops, {
                if sizes.count >= 4 && Set(sizes.dropFirst()).count == 1 && frees == [2, 1] { throw PropertyFailure("equal sizes, then 2 and 1 freed") }
            })
        }, deduplicates: true)
        let start = op(0, 0) + op(0, 1) + op(0, 1) + op(0, 1) + op(1, 2) + op(1, 1) + [.boolean(false)]
        #expect(try shrunk(from: start, executor) == op(0, 0) + op(0, 0) + op(0, 0) + op(0, 0) + op(1, 2) + op(1, 1) + [.boolean(false)])
    }

    /// A free deleted with the later frees that referred past it raised by
    /// one: `free(i)` frees the i-th live allocation, so deleting an
    /// earlier free moves every later one's target down a place. The
    /// failure (allocation 2 freed before allocation 1 while 3 is live)
    /// does not need the first free of `alloc` four times, `free 0, free 1,
    /// free 0`; without the pass that was the minimum (a buddy allocator's
    /// trace of this form stopped there in 6 of 20 seeds).
    @Test func aFreeIsDeletedWithTheLaterReferencesRaised() throws {
        let steps = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...2).map { TraceStep.alloc($0) },
                                             Gen.integers(in: 0...3).map { TraceStep.free($0) }))
        let executor = Executor(body: { tc in
            let ops = try tc.draw(steps)
            var live: [Int] = [], next = 0, freed: [Int] = []
            for op in ops {
                switch op {
                case .alloc: live.append(next); next += 1
                case .free(let i) where i < live.count:
                    freed.append(live.remove(at: Int(i)))
                    if freed.last == 1, freed.contains(2), live.contains(3) { return ("", ops, { throw PropertyFailure("2 and 1 freed beside 3") }) }
                case .free: break
                }
            }
            return ("", ops, {})
        }, deduplicates: true)
        let allocs = op(0, 0) + op(0, 0) + op(0, 0) + op(0, 0)
        #expect(try shrunk(from: allocs + op(1, 0) + op(1, 1) + op(1, 0) + [.boolean(false)], executor) == allocs + op(1, 2) + op(1, 1) + [.boolean(false)])
    }

    /// An allocation deleted while the next one of its size grows a size
    /// to take over its pages. An arena of 8 pages hands out aligned runs
    /// of 2^order pages, first fit, and must refuse a run only when fewer
    /// pages are free: `alloc 0` three times, `alloc 1, free 0, alloc 2`
    /// fails (four pages free, none aligned), and so does `alloc 0, alloc 1,
    /// alloc 1, free 0, alloc 2`, one step shorter. Without the merge the
    /// longer one was the minimum (7 of 20 seeds of the suite's arena).
    @Test func twoEqualAllocationsMergeIntoOneOfTheNextSize() throws {
        let steps = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...3).map { TraceStep.alloc($0) },
                                             Gen.integers(in: 0...7).map { TraceStep.free($0) }))
        func refusedWithRoom(_ ops: [TraceStep]) -> Bool {
            var used: UInt8 = 0
            var live: [UInt8] = []
            for op in ops {
                switch op {
                case .alloc(let order):
                    let pages = 1 << Int(order), mask = UInt8(truncatingIfNeeded: (1 << pages) - 1)
                    if let at = stride(from: 0, to: 8, by: pages).first(where: { used & (mask << $0) == 0 }) {
                        used |= mask << at
                        live.append(mask << at)
                    } else if 8 - used.nonzeroBitCount >= pages {
                        return true
                    }
                case .free(let i) where i < live.count:
                    used &= ~live.remove(at: Int(i))
                case .free: break
                }
            }
            return false
        }
        let executor = Executor(body: { tc in
            let ops = try tc.draw(steps)
            return ("", ops, { if refusedWithRoom(ops) { throw PropertyFailure("refused with room") } })
        }, deduplicates: true)
        let start = op(0, 0) + op(0, 0) + op(0, 0) + op(0, 1) + op(1, 0) + op(0, 2) + [.boolean(false)]
        #expect(try shrunk(from: start, executor) == op(0, 0) + op(0, 1) + op(0, 1) + op(1, 0) + op(0, 2) + [.boolean(false)])
    }

    /// A deleted allocation takes the later frees' positions down with it
    /// also when a free before them left them pointing past the live ones:
    /// `free(i)` frees the i-th live allocation, and the failure (a size 1
    /// then a size 2 freed while an allocation from before stays live) does
    /// not need the first `alloc 1` of `alloc 1` three times, `alloc 2,
    /// free 1, free 2`. Counted by position alone, `free 2` after `free 1`
    /// had room, so the shift was not tried (a free list that merges by the
    /// wrong length stopped so in 3 of 20 seeds).
    @Test func aDeletedAllocationShiftsFreesPastEarlierFrees() throws {
        let steps = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...2).map { TraceStep.alloc($0) },
                                             Gen.integers(in: 0...3).map { TraceStep.free($0) }))
        let executor = Executor(body: { tc in
            let ops = try tc.draw(steps)
            var live: [(id: Int, size: Int64)] = [], freed: [Int64] = []
            for (id, op) in ops.enumerated() {
                switch op {
                case .alloc(let size): live.append((id, size))
                case .free(let i) where i < live.count: freed.append(live.remove(at: Int(i)).size)
                case .free: break
                }
            }
            let firstFree = ops.firstIndex { if case .free = $0 { true } else { false } } ?? ops.count
            return ("", ops, {
                if freed == [1, 2], live.contains(where: { $0.id < firstFree }) { throw PropertyFailure("1 and 2 freed") }
            })
        }, deduplicates: true)
        let start = op(0, 1) + op(0, 1) + op(0, 1) + op(0, 2) + op(1, 1) + op(1, 2) + [.boolean(false)]
        let end = try shrunk(from: start, executor)
        #expect(end == op(0, 1) + op(0, 1) + op(0, 2) + op(1, 0) + op(1, 1) + [.boolean(false)])
    }

    /// Two equal neighbours of a run of four or more go at once: where the
    /// failure needs a list's length even (a rotation by 2 of a list that
    /// must be at least 4 long), deleting one changes the parity and only
    /// the pair keeps it. `[0, 0, 0, 0, 0, 1]` was the minimum without it.
    @Test func twoEqualNeighboursGoTogether() throws {
        let executor = Executor(body: { tc in
            let xs = try tc.draw(Gen.arrays(of: Gen.integers(in: 0...9)))
            return ("", xs, { if xs.count >= 4 && xs.count % 2 == 0 && xs.last == 1 { throw PropertyFailure("even, ending in 1") } })
        }, deduplicates: true)
        func list(_ xs: [Int64]) -> [ChoiceValue] { xs.flatMap { [.boolean(true), .integer($0)] } + [.boolean(false)] }
        #expect(try shrunk(from: list([0, 0, 0, 0, 0, 1]), executor) == list([0, 0, 0, 1]))
    }

    /// Two neighbouring symbols of a small alphabet go together: in
    /// brackets balanced by count but not nested, `(()[)]`, deleting either
    /// bracket of `()` alone unbalances the count, and only the pair leaves
    /// `([)]`, which fails the same way.
    @Test func twoNeighbouringSymbolsGoTogether() throws {
        let executor = Executor(body: { tc in
            let s = Array(try tc.draw(Gen.strings(of: Gen.characters(from: "()[]"))))
            let opens: [Character: Character] = [")": "(", "]": "["]
            var depth: [Character: Int] = ["(": 0, "[": 0], stack: [Character] = [], nested = true
            for c in s {
                if let open = opens[c] {
                    depth[open, default: 0] -= 1
                    if stack.popLast() != open { nested = false }
                } else {
                    depth[c, default: 0] += 1
                    stack.append(c)
                }
                if depth.values.contains(where: { $0 < 0 }) { return ("", s, {}) }
            }
            let counted = depth.values.allSatisfy { $0 == 0 }
            return ("", s, { if counted && !nested { throw PropertyFailure("counted but not nested") } })
        }, deduplicates: true)
        func text(_ s: String) -> [ChoiceValue] {
            s.flatMap { c -> [ChoiceValue] in [.boolean(true), .integer(Int64(Array("()[]").firstIndex(of: c)!))] } + [.boolean(false)]
        }
        #expect(try shrunk(from: text("(()[)]"), executor) == text("([)]"))
    }

    /// Value moves from an integer into one of another range filled to its
    /// bound: a 12-bit sequence number compared with a plain `<` fails once
    /// a gap of at most 100 wraps it, and `(4006, [90])` is `(3996, [100])`
    /// with the start lowered by what the gap can still take. The whole
    /// move and half of it wrap the gap, and no other pair moves.
    @Test func aValueMovesIntoAnIntegerFilledToItsBound() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(Gen.integers(in: 0...4095), Gen.arrays(of: Gen.integers(in: 1...100))))
            return ("", t, {
                var s = t.0
                for d in t.1 {
                    let n = (s + d) % 4096
                    if (s < n) != (1...2047).contains((n - s + 4096) % 4096) { throw PropertyFailure("wrapped") }
                    s = n
                }
            })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.integer(4006), .boolean(true), .integer(90), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.integer(3996), .boolean(true), .integer(100), .boolean(false)])
    }

    /// When sorting a list fails and its simplest element is already in
    /// front, the first place out of order gets the simplest element after
    /// it. Keys of a hash table must come in an order that makes them
    /// collide: here `[0, 4, 1, 2]`, which must keep 2 last, becomes
    /// `[0, 1, 4, 2]`, where sorting gives `[0, 1, 2, 4]` and passes.
    @Test func theFirstPlaceOutOfOrderGetsTheSimplestAfterIt() throws {
        let executor = Executor(body: { tc in
            let xs = try tc.draw(Gen.arrays(of: Gen.integers(in: 0...15)))
            return ("", xs, { if xs.count == 4 && xs.last == 2 && Set(xs) == [0, 1, 2, 4] { throw PropertyFailure("2 last") } })
        }, deduplicates: true)
        func list(_ xs: [Int64]) -> [ChoiceValue] { xs.flatMap { [.boolean(true), .integer($0)] } + [.boolean(false)] }
        #expect(try shrunk(from: list([0, 4, 1, 2]), executor) == list([0, 1, 4, 2]))
    }

    /// An element that is a collection splits after its first element, the
    /// rest given up for an empty element after it. CSV fields whose quotes
    /// are not doubled fail on `['"a']` and on `['"', '']` (as here, where a
    /// quote must end a field before another, or start one of two
    /// characters): the same number of choices, the second simpler, and no
    /// deletion or lowering leads from one to the other.
    @Test func anElementSplitsAfterItsFirstElement() throws {
        let fields = Gen.arrays(of: Gen.strings(of: Gen.characters(from: "a,\"")), count: 1...3)
        let executor = Executor(body: { tc in
            let xs = try tc.draw(fields)
            let quoteThenField = xs.count >= 2 && xs[0].hasSuffix("\"")
            let quoteThenLetter = xs.contains { $0.count == 2 && $0.hasPrefix("\"") }
            return ("", xs, { if quoteThenField || quoteThenLetter { throw PropertyFailure("a quote misread") } })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.boolean(true), .integer(2), .boolean(true), .integer(0), .boolean(false), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .integer(2), .boolean(false), .boolean(true), .boolean(false), .boolean(false)])
    }

    /// Two integers tied by their product: the earlier goes to 1 (or -1)
    /// while the later takes on its factor. Without `scaleTogether` 18 of
    /// these 20 seeds stop at (7, 143), (28, 36) and the like for "x * y >
    /// 1000", and 15 at (2, -51) or (-5, 21) for "x * y < -100".
    @Test(arguments: 0..<20 as Range<UInt64>)
    func productKeptWhileTheFirstGoesToOne(seed: UInt64) throws {
        let (positive, _) = minimal(Gen.zip(Gen.integers(in: 0...10_000), Gen.integers(in: 0...10_000)), seed: seed) { $0.0 * $0.1 > 1000 }
        let p = try #require(positive)
        #expect(p.0 == 1 && p.1 == 1001)
        let (negative, _) = minimal(Gen.zip(Gen.integers(in: -1000...1000), Gen.integers(in: -1000...1000)), seed: seed) {
            $0.0 * $0.1 < -100
        }
        let n = try #require(negative)
        #expect((n.0 == 1 && n.1 == -101) || (n.0 == -1 && n.1 == 101))
    }

    /// Two equal elements lose an element each at once: "two strings of
    /// one length, at least 2" ends at `['00', '00']` and "two equal
    /// non-empty lists" at `[[0], [0]]`. Without `deleteInEqualSiblings` 3
    /// of these 20 seeds stop at `['0000', '0000']` and 2 at
    /// `[[0, 0, 0, 0], [0, 0, 0, 0]]`. The same holds for a tuple's two
    /// equal strings, which the search's duplication mutation finds long
    /// (`('AE!', 'AE!')`): with the pass limited to a collection's
    /// elements, 4 of these 20 seeds stop at `('00', '00')` or longer. Two
    /// equal byte strings (one choice each, not collections of elements)
    /// lose their last byte together: without that, 10 of the 20 stop at
    /// five zero bytes or more.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func equalSiblingsShrinkTogether(seed: UInt64) throws {
        let (strings, _) = minimal(Gen.arrays(of: Gen.strings()), seed: seed) { ss in
            let lengths = ss.map(\.unicodeScalars.count).filter { $0 >= 2 }
            return Set(lengths).count < lengths.count
        }
        #expect(try #require(strings) == ["00", "00"])
        let (lists, _) = minimal(Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...10))), seed: seed) { xss in
            xss.indices.contains { i in xss.indices.contains { j in j > i && !xss[i].isEmpty && xss[i] == xss[j] } }
        }
        #expect(try #require(lists) == [[0], [0]])
        let (pair, _) = minimal(Gen.zip(Gen.strings(), Gen.strings()), seed: seed) { t in t.0 == t.1 && !t.0.isEmpty }
        let shrunkPair = try #require(pair)
        #expect(shrunkPair == ("0", "0"))
        let bytes = Gen.bytes(count: 0...16)
        let (bytePair, _) = minimal(Gen.zip(bytes, bytes), seed: seed) { t in t.0 == t.1 && t.0.count >= 4 }
        let shrunkBytes = try #require(bytePair)
        #expect(shrunkBytes.0 == [0, 0, 0, 0] && shrunkBytes.1 == [0, 0, 0, 0])
    }

    /// Two overlapping intervals end with the simpler one first:
    /// `(0, 2, 1, 1)`, not `(1, 1, 0, 2)`. Without `swapTupleBlocks` 2 of
    /// these 20 seeds end the other way round.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func tupleBlocksSwapped(seed: UInt64) throws {
        let intervals = Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 1...10), Gen.integers(in: 0...100), Gen.integers(in: 1...10))
        let (value, _) = minimal(intervals, seed: seed) { t in t.0 != t.2 && t.2 < t.0 + t.1 && t.0 < t.2 + t.3 }
        let shrunk = try #require(value)
        #expect(shrunk == (0, 2, 1, 1))
    }

    /// Equal keys of two dictionaries whose values are optionals that are
    /// there go to 0 together: the optional's "some" is a 1 as well, which
    /// the keys' group lowered with them (and so lost the failure) and which
    /// did not count as an operation's selector to leave out. An LSM tree's
    /// levels stopped at `({}, {1: None}, {1: 0})` in 3 of 20 seeds.
    @Test func keysLowerTogetherBesideAnOptionalThatIsThere() throws {
        let level = Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.optional(Gen.integers(in: 0...9)))
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(level, level))
            // A deletion marker above shadows a value below it.
            return ("\(t)", t, { try expect(!t.0.contains { entry in entry.value == nil && t.1[entry.key] != nil && t.1[entry.key]! != nil }) })
        }, deduplicates: true)
        // ({1: None}, {1: 0}): per entry its flag, its key, the optional's branch, the value when there.
        let start: [ChoiceValue] = [.boolean(true), .integer(1), .integer(0), .boolean(false),
                                    .boolean(true), .integer(1), .integer(1), .integer(0), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .integer(0), .integer(0), .boolean(false),
                                                       .boolean(true), .integer(0), .integer(1), .integer(0), .boolean(false)])
    }

    /// A multipart boundary scan that restarts after a partial match, against
    /// a plain search, over texts of "-" and "x" and boundaries of one to
    /// four characters.
    static func boundaryScan() -> Executor {
        func scanRestarting(_ hay: [Character], _ needle: [Character]) -> Int? {
            var j = 0
            for (i, c) in hay.enumerated() {
                if c == needle[j] {
                    j += 1
                    if j == needle.count { return i - j + 1 }
                } else {
                    j = c == needle[0] ? 1 : 0
                }
            }
            return nil
        }
        func occurrence(_ hay: [Character], _ needle: [Character]) -> Int? {
            hay.count < needle.count ? nil : (0...(hay.count - needle.count)).first { Array(hay[$0..<($0 + needle.count)]) == needle }
        }
        let alphabet = Gen.characters(from: "-x")
        let pair = Gen.zip(Gen.strings(of: alphabet), Gen.strings(of: alphabet, count: 1...4))
        return Executor(body: { tc in
            let t = try tc.draw(pair)
            return ("\(t)", t, { try expect(scanRestarting(Array(t.0), Array(t.1)) == occurrence(Array(t.0), Array(t.1))) })
        }, deduplicates: true)
    }

    /// The characters of two strings are renamed together also when the
    /// second has a least length: its first character has no "another
    /// element" flag, so its element's span holds that character alone, and
    /// the character was grouped as an element apart from the others. The
    /// boundary scan stopped at `('xxx-', 'xx-')`, which renaming "x" and
    /// "-" in both makes `('---x', '--x')`.
    @Test func charactersOfAStringWithALeastLengthAreRenamedWithTheOthers() throws {
        // ('xxx-', 'xx-'): "-" is 0 and "x" is 1; the second string's first character has no flag.
        let start: [ChoiceValue] = [.boolean(true), .integer(1), .boolean(true), .integer(1), .boolean(true), .integer(1),
                                    .boolean(true), .integer(0), .boolean(false),
                                    .integer(1), .boolean(true), .integer(1), .boolean(true), .integer(0), .boolean(false)]
        #expect(try shrunk(from: start, Self.boundaryScan()) == [.boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0),
                                                       .boolean(true), .integer(1), .boolean(false),
                                                       .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(1), .boolean(false)])
    }

    /// The boundary scan's `('----x', '---x')` loses a "-" from each string
    /// at once: the boundary's first "-" has no flag (its least length), so
    /// its second goes, and the boundary, at its greatest length, gets an
    /// end marker. Each string alone cannot lose one. 6 of 20 seeds stopped
    /// there.
    @Test func aFullStringLosesAFlaggedCharacterWithItsSibling() throws {
        let start: [ChoiceValue] = [.boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0),
                                    .boolean(true), .integer(1), .boolean(false),
                                    .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(1)]
        #expect(try shrunk(from: start, Self.boundaryScan()) == [.boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0),
                                                       .boolean(true), .integer(1), .boolean(false),
                                                       .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(1), .boolean(false)])
    }

    /// Two strings of a tuple whose lengths must stay in step lose an
    /// element each at once: names compared in upper case at sign-in and in
    /// lower case in the unique index differ on `('sss', 'sß')`, and on
    /// `('ss', 'ß')`, but not once either loses a character alone. A
    /// username fold stopped at such longer pairs in 10 of 20 seeds.
    @Test func twoStringsOfATupleLoseACharacterEach() throws {
        // ('sss', 'sß'): "s" is 0 and "ß" is 2, each character after its flag.
        let start: [ChoiceValue] = [.boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(false),
                                    .boolean(true), .integer(0), .boolean(true), .integer(2), .boolean(false)]
        #expect(try shrunk(from: start, Self.usernameFold()) == [.boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(false),
                                                                    .boolean(true), .integer(2), .boolean(false)])
    }

    /// A collection's last element goes with the length field after the
    /// collection lowered by one: records `[length][payload]` cut short by
    /// the integer after the list fail a reader that leaves the length
    /// byte out of its bounds check on `([[0], []], 2)` and on `([[0]],
    /// 1)` (the same stream), but not on either change alone.
    @Test func aLastElementGoesWithTheCountAfterItsCollection() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(Gen.arrays(of: Gen.bytes(count: 0...8)), Gen.integers(in: 0...3)))
            return ("\(t)", t, {
                let stream = Array(t.0.flatMap { [UInt8($0.count)] + $0 }.dropLast(Int(t.1)))
                var offset = 0
                while offset < stream.count, offset + Int(stream[offset]) <= stream.count {
                    try expect(offset + 1 + Int(stream[offset]) <= stream.count)
                    offset += 1 + Int(stream[offset])
                }
            })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.boolean(true), .bytes([0]), .boolean(true), .bytes([]), .boolean(false), .integer(2)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .bytes([0]), .boolean(false), .integer(1)])
    }

    /// A node with one child that is a literal becomes the literal with
    /// the other value: a planner's negation normal form that rewrites
    /// NOT (a AND b) as (NOT a) AND (NOT b) fails on `not(and(false,
    /// not(false)))` and on `not(and(false, true))`, but on no descendant
    /// of the inner NOT nor on `not(and(false, false))`. The predicate's
    /// shrinks stopped at the first in 9 seeds of 20.
    @Test func aNegatedLiteralBecomesTheOtherLiteral() throws {
        indirect enum Predicate: Equatable {
            case lit(Bool), not(Predicate), and(Predicate, Predicate)
            var value: Bool {
                switch self {
                case .lit(let b): return b
                case .not(let p): return !p.value
                case .and(let a, let b): return a.value && b.value
                }
            }
            var pushedDown: Predicate {
                switch self {
                case .lit: return self
                case .and(let a, let b): return .and(a.pushedDown, b.pushedDown)
                case .not(.lit(let b)): return .lit(!b)
                case .not(.not(let p)): return p.pushedDown
                case .not(.and(let a, let b)): return .and(Predicate.not(a).pushedDown, Predicate.not(b).pushedDown)
                }
            }
        }
        let predicates = Gen.recursive(maxDepth: 4, label: "predicate", base: Gen.booleans().map { Predicate.lit($0) }) { inner in
            Gen.oneOf(inner.map { Predicate.not($0) }, Gen.zip(inner, inner).map { Predicate.and($0.0, $0.1) })
        }
        let executor = Executor(body: { tc in
            let p = try tc.draw(predicates)
            return ("\(p)", p, { try expect(p.pushedDown.value == p.value) })
        }, deduplicates: true)
        // Each node: 0 and its literal, or 1 and then 0 (not) or 1 (and) with the operands.
        let start: [ChoiceValue] = [.integer(1), .integer(0), .integer(1), .integer(1),
                                    .integer(0), .boolean(false), .integer(1), .integer(0), .integer(0), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.integer(1), .integer(0), .integer(1), .integer(1),
                                                       .integer(0), .boolean(false), .integer(0), .boolean(true)])
    }

    /// The value a `flatMap` binds on goes to its simplest with the
    /// dependent draw kept at its place in its new range: a slot below a
    /// slab's capacity (4032 / size) placed at a 16-byte stride runs past
    /// the page from slot 4032 / stride on, so `(17, 126)` fails, and so
    /// does `(1, 252)`, but not `(1, 126)`, nor any smaller size with slot
    /// 126.
    @Test func aBoundValueGoesToItsSimplestWithTheDrawsThatDependOnIt() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.integers(in: 1...512).flatMap { size in Gen.integers(in: 0...(4032 / size - 1)).map { (size, $0) } })
            return ("\(t)", t, { try expect(64 + t.1 * ((t.0 + 15) / 16 * 16) + t.0 <= 4096) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.integer(17), .integer(126)], executor) == [.integer(1), .integer(252)])
    }

    /// A float written with six significant digits (as "%g" writes it)
    /// must read back as itself: 1,000,001 is the first integer that does
    /// not, and multiples of ten pass above it, so the bisection stopped at
    /// an odd value whose step of one (a multiple of ten) passes, such as
    /// 1,003,521. Failing values of both parities had been adopted, which
    /// turned off the steps of two for an integer; for a double's code they
    /// now stay on (the thirty-ninth batch's "%g" problem went from 0 to 20
    /// of 20).
    @Test(arguments: 0..<6 as Range<UInt64>)
    func aFloatWrittenWithSixDigitsStepsByTwo(seed: UInt64) throws {
        /// `x` rounded to six significant digits, half away from zero.
        func sixDigits(_ x: Double) -> Double {
            guard x != 0, x.isFinite else { return x }
            var scale = 1.0
            while abs(x) / scale >= 1_000_000 { scale *= 10 }
            while abs(x) / scale < 100_000 { scale /= 10 }
            return (x / scale).rounded(.toNearestOrAwayFromZero) * scale
        }
        let (value, _) = minimal(Gen.floats(allowNaN: false, allowInfinity: false), seed: seed) { x in
            Float(sixDigits(Double(x))) != x
        }
        #expect(try #require(value) == 1_000_001)
    }

    /// An integer just before a byte string moves into the byte string's
    /// length: an option whose delta and value length share a nibble that
    /// reads 13 as "a byte follows" fails at delta 13 or at 13 bytes, and
    /// `(13, b"")` is where lowering the delta alone or lengthening alone
    /// loses the failure; `(0, 13 zero bytes)` is simpler (the CoAP
    /// problem stopped at the first in 20 seeds of 20).
    @Test func anIntegerMovesIntoTheLengthOfTheBytesAfterIt() throws {
        let option = Gen.zip(Gen.integers(in: 0...20), Gen.bytes(count: 0...16))
        let executor = Executor(body: { tc in
            let (delta, value) = try tc.draw(option)
            return ("(\(delta), \(value))", nil, { if delta == 13 || value.count == 13 { throw PropertyFailure("13 in a nibble") } })
        }, deduplicates: true)
        #expect(try shrunk(from: [.integer(13), .bytes([])], executor) == [.integer(0), .bytes([UInt8](repeating: 0, count: 13))])
    }

    /// A number drawn below a power of a base drawn first is reduced modulo
    /// the base: a radix printer that gets letter digits wrong fails on any
    /// number with a digit of 10 or more, and the bisection from `(11,
    /// 109)` ("9A") met only numbers without one, which pass; the minimum
    /// is `(11, 10)` ("A"). 8 seeds of 20 reached it before.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func aNumberBelowAPowerOfItsBaseIsReducedModuloTheBase(seed: UInt64) throws {
        let numbers = Gen.integers(in: 2...16).flatMap { base in Gen.integers(in: 0...(base * base * base - 1)).map { (base, $0) } }
        let (value, _) = minimal(numbers, seed: seed) { t in
            var n = t.1
            while n > 0 { if n % t.0 >= 10 { return true }; n /= t.0 }
            return false
        }
        let shrunk = try #require(value)
        #expect(shrunk.0 == 11 && shrunk.1 == 10)
    }

    /// A day of the year that counts the leap day from February on: only a
    /// leap year's February fails. The year stays where generation left
    /// it while the day is lowered; its search (1970, 1991, 2011, 2010)
    /// meets no leap year, and only a step of four does.
    @Test func aYearWhereGenerationLeftItStepsByItsPeriod() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(Gen.integers(in: 1970...2100), Gen.integers(in: 1...12), Gen.integers(in: 1...28)))
            return ("\(t)", t, { try expect(!(t.0 % 4 == 0 && t.1 == 2)) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.integer(2012), .integer(2), .integer(23)], executor) == [.integer(1972), .integer(2), .integer(1)])
    }

    /// A delta between two `Int8` samples must fit an `Int8`: `(-1, 127)`
    /// fails, and so does the simpler `(1, -128)`, where the first value is
    /// mirrored and the second goes from the top of its range to the
    /// bottom; `(1, -127)`, the plain mirror of both, passes.
    @Test func aValueAtTheTopOfItsRangeTradesToTheBottom() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(Gen.integers(of: Int8.self), Gen.integers(of: Int8.self)))
            return ("\(t)", t, { try expect((-128...127).contains(Int(t.1) - Int(t.0))) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.integer(-1), .integer(127)], executor) == [.integer(1), .integer(-128)])
    }

    /// A pair of equal bytes of 0xC0 or more, written by a run-length
    /// encoder as itself, reads back as a marker and its value: wrong
    /// except at 0xC2 (a run of two). Either byte lowered alone breaks the
    /// pair, and one value below (0xC2 from 0xC3) passes, so the two go
    /// down together, a step of two past it: to 0xC0.
    @Test func equalBytesAreLoweredTogether() throws {
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...4))
            return ("\(b)", b, { try expect(!(b.count == 2 && b[0] == b[1] && b[0] >= 0xC0 && b[0] != 0xC2)) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.bytes([0xC9, 0xC9])], executor) == [.bytes([0xC0, 0xC0])])
        #expect(try shrunk(from: [.bytes([0xC3, 0xC3])], executor) == [.bytes([0xC0, 0xC0])])
    }

    /// A time to live and, three integers later, a wait that must end one
    /// tick before it: neither moves alone, nor with its neighbours, and
    /// their ranges differ (1...100 and 0...100), so no shift of one kind
    /// holds both. Moved by a common delta, (12, 11) goes to (2, 1).
    @Test func valuesOneApartFartherThanNeighboursShiftTogether() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(Gen.integers(in: 1...100), Gen.integers(in: 0...100), Gen.integers(in: 0...100),
                                        Gen.integers(in: 0...100)))
            return ("\(t)", t, { try expect(!(t.0 >= 2 && t.3 == t.0 - 1)) })
        }, deduplicates: true)
        let got = try shrunk(from: [.integer(12), .integer(0), .integer(0), .integer(11)], executor)
        #expect(got == [.integer(2), .integer(0), .integer(0), .integer(1)], "\(got)")
    }

    /// A count bound to an index at its top, failing from 1,000 on: the
    /// count steps down with its index rescaled a few steps a round, and
    /// the integer search takes it the rest of the way. Stepped down
    /// without a bound, one call a step, the shrink ran out of its budget
    /// of 5,000 calls at 495,004.
    @Test func aBoundValueStepsDownOnlyAFewStepsARound() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.integers(in: 0...1_000_000).flatMap { n in Gen.integers(in: 0...n).map { (n, $0) } })
            return ("\(t)", t, { try expect(t.0 < 1000) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(500_000), .integer(500_000)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 5000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(1000), .integer(0)])
        #expect(shrinker.calls <= 100, "\(shrinker.calls) calls")
    }

    /// A page shift bound to a buffer's start and length within four pages:
    /// the pages it touches are counted from its length alone, wrong for a
    /// start inside a page. The shift steps down with the start and length
    /// kept at their places in their halved ranges, one call a step, where
    /// lowering the shift with them kept, then searching the length, took
    /// some twenty calls a step.
    @Test func aBoundValueStepsDownWithTheDrawsThatDependOnIt() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.integers(in: 9...16).flatMap { shift in
                Gen.zip(Gen.integers(in: 0...(4 << shift)), Gen.integers(in: 1...(4 << shift))).map { (shift, $0.0, $0.1) }
            })
            let page = Int64(1) << t.0
            let byLength = (t.2 + page - 1) / page
            let touched = (t.1 + t.2 + page - 1) / page - t.1 / page
            return ("\(t)", t, { try expect(byLength == touched) })
        }, deduplicates: true)
        let first = try #require(executor.run(TestCase(replaying: [.integer(16), .integer(2), .integer(131_072)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.values == [.integer(9), .integer(1), .integer(512)])
        // 165 calls before, 130 with the rescaling among the main passes
        // but without the steps; at most 50 with them, 51 since the length's moves
        // (multiples of 512) are tried as a period (`lowerByCommonPeriod`),
        // 56 since a period is also asked above the value: at its minimum
        // the length (512, a multiple of the page) is one, found above it
        // and no use below it.
        #expect(shrinker.calls <= 56, "\(shrinker.calls) calls")
    }

    /// Nearly all of a tuple's component moves into the next, which fills
    /// to its bound: a timer armed at `now` for `timeout` ticks whose
    /// 32-bit deadline wraps reads as expired when `now + timeout` passes
    /// `Int32.max`, so `(203, 2^31 - 203)` fails and so does `(1, 2^31 -
    /// 1)`; moving all of 203 wraps the timeout, and lowering either alone
    /// passes. Four seeds of 20 stopped at such pairs.
    @Test func aComponentMovesIntoTheNextUpToItsBound() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self, in: 1...Int32.max)))
            return ("\(t)", t, { try expect(t.0 < t.0 &+ t.1) })
        }, deduplicates: true)
        #expect(try shrunk(from: [.integer(203), .integer(Int64(Int32.max) - 202)], executor) == [.integer(1), .integer(Int64(Int32.max))])
    }

    /// Rescaling a dependent draw works on the distances of its ranges,
    /// which can pass `Int64.max`: a value at the top of `0...Int64.max /
    /// n`, kept at its place when `n` goes to 1, is `Int64.max` itself, and
    /// computing it as a signed `Int64` from a `Double` trapped.
    @Test func aDependentDrawAtTheTopOfAWideRangeIsRescaledWithoutTrapping() throws {
        let executor = Executor(body: { tc in
            let t = try tc.draw(Gen.integers(in: 1...4).flatMap { n in Gen.integers(in: 0...(Int64.max / n)).map { (n, $0) } })
            return ("\(t)", t, { try expect(!(t.0 >= 2 && t.1 == Int64.max / t.0)) })
        }, deduplicates: true)
        // The rescaled candidate, `(1, Int64.max)`, passes; the shrink ends
        // at an example that still fails.
        let final = try shrunk(from: [.integer(3), .integer(Int64.max / 3)], executor)
        #expect(try #require(executor.run(TestCase(replaying: final))).outcome.failureKind != nil)
    }

    /// A string of whole 8-byte blocks loses a block of zeros from the
    /// front: PKCS#7 unpadding that checks only the last byte accepts
    /// `[0 × 15, 2]` and `[0 × 7, 2]`, which padding again does not give
    /// back, but no string of another length (no cut of one or two bytes).
    @Test func aBlockOfZerosGoesFromTheFront() throws {
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...64))
            return ("\(b)", b, {
                guard !b.isEmpty, b.count % 8 == 0, let p = b.last, p > 0, p <= 8 else { return }
                let message = b.dropLast(Int(p))
                let pad = 8 - message.count % 8
                try expect(Array(message) + [UInt8](repeating: UInt8(pad), count: pad) == b)
            })
        }, deduplicates: true)
        #expect(try shrunk(from: [.bytes([UInt8](repeating: 0, count: 15) + [2])], executor)
                == [.bytes([UInt8](repeating: 0, count: 7) + [2])])
    }

    /// A run of bits across a byte boundary moves out of the first byte:
    /// five 1 bits in a row across two bytes of a little-endian bit stream
    /// (what a bit stuffer that restarts its count at each byte gets
    /// wrong) hold in `e0 03` (bits 5 to 9), where no byte can be lowered
    /// alone and keep the run, and in `80 0f`, the stream shifted by two.
    @Test func aRunOfBitsAcrossABoundaryMovesOutOfTheFirstByte() throws {
        let executor = Executor(body: { tc in
            let b = try tc.draw(Gen.bytes(count: 0...8))
            return ("\(b)", b, {
                let bits = b.flatMap { byte in (0..<8).map { byte >> $0 & 1 } }
                var run = 0
                for (k, bit) in bits.enumerated() {
                    run = bit == 1 ? run + 1 : 0
                    // The run reaches five here and began in an earlier byte.
                    try expect(!(run >= 5 && (k - run + 1) / 8 != k / 8))
                }
            })
        }, deduplicates: true)
        #expect(try shrunk(from: [.bytes([0xE0, 0x03])], executor) == [.bytes([0x80, 0x0F])])
    }

    /// Moves of code between two fractional doubles are capped: a float
    /// total that depends on the order of its terms moved code back and
    /// forth between its last two values, each move and the lowering after
    /// it a little simpler, until the shrink's budget of 5,000 calls ran
    /// out (this seed among three of twenty).
    @Test func codeMovesBetweenFractionsDoNotExhaustTheBudget() throws {
        let report = checkProperty("float_sum_shard_order_changes_total",
                                   Gen.arrays(of: Gen.doubles(allowNaN: false, allowInfinity: false)),
                                   configuration: PropertyConfiguration(maxExamples: 1000, seed: 12)) { xs in
            try expect(xs.reduce(0, +) == xs.reversed().reduce(0, +))
        }
        let failure = try #require(report.counterexample)
        #expect(!failure.budgetExhausted)
        #expect(failure.shrinkCalls < 2000)
    }

    /// Sorting a dictionary's entries can make a key equal to an earlier
    /// one; the run drops that entry, so the example adopted has fewer
    /// spans than the candidate, and the sorting pass read its run again
    /// at an index past their end and trapped. A histogram whose median
    /// test halves the total first (a bug: 1 / 2 is 0, so an empty first
    /// bucket is the median) did so in 7 seeds of 100, this one among them.
    @Test func sortingThatDropsADictionaryEntryKeepsShrinking() throws {
        func median(_ d: [Int64: Int64], halvingFirst: Bool) -> Int64? {
            let total = d.values.reduce(0, +)
            var running: Int64 = 0
            for k in d.keys.sorted() {
                running += d[k]!
                if halvingFirst ? running >= total / 2 : 2 * running >= total { return k }
            }
            return nil
        }
        let report = checkProperty("histogram_median_halves_total_first",
                                   Gen.dictionaries(keys: Gen.integers(in: 0...15), values: Gen.integers(in: 0...9)),
                                   configuration: PropertyConfiguration(maxExamples: 1000, seed: 9)) { d in
            try expect(median(d, halvingFirst: true) == median(d, halvingFirst: false))
        }
        #expect(report.counterexampleValue(as: [Int64: Int64].self) == [0: 0, 1: 1])
    }

    /// Two negative doubles that must stay together become positive
    /// together: the plain sum of `[-2^970, -max]` overflows, as does that
    /// of `[2^970, max]`, but changing one sign makes the sum small. A
    /// mean of doubles stopped at the negative pair in 10 seeds of 20.
    @Test func negativeDoublesBecomePositiveTogether() throws {
        let executor = Executor(body: { tc in
            let xs = try tc.draw(Gen.arrays(of: Gen.doubles(allowNaN: false, allowInfinity: false)))
            return ("\(xs)", xs, { try expect(xs.reduce(0, +).isFinite) })
        }, deduplicates: true)
        // (A double is its sign and its lex code with the top bit flipped.)
        let low = Double(sign: .plus, exponent: 970, significand: 1)
        let start: [ChoiceValue] = [.boolean(true), .boolean(true), .integer(Int64(bitPattern: FloatLex.lex(low) ^ 1 << 63)),
                                    .boolean(true), .boolean(true), .integer(Int64(bitPattern: FloatLex.lex(Double.greatestFiniteMagnitude) ^ 1 << 63)), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .boolean(false), .integer(Int64(bitPattern: FloatLex.lex(low) ^ 1 << 63)),
                                                       .boolean(true), .boolean(false), .integer(Int64(bitPattern: FloatLex.lex(Double.greatestFiniteMagnitude) ^ 1 << 63)),
                                                       .boolean(false)])
    }

    /// Two names of "s", "S" and "ß" that a sign-in compares in upper case
    /// and a unique index in lower case: the two must agree.
    static func usernameFold() -> Executor {
        let name = Gen.strings(of: Gen.characters(from: "sSß"))
        return Executor(body: { tc in
            let t = try tc.draw(Gen.zip(name, name))
            return ("\(t)", t, { try expect((t.0.uppercased() == t.1.uppercased()) == (t.0.lowercased() == t.1.lowercased())) })
        }, deduplicates: true)
    }

    /// Two strings whose lengths must keep their ratio lose as many
    /// characters from each as keeps it: `('ssss', 'ßß')` folds alike in
    /// upper case and not in lower case, and so does `('ss', 'ß')`, but
    /// not once a character goes from each or from one alone. A username
    /// fold stopped there in 3 seeds of 20.
    @Test func twoStringsOfATupleLoseCharactersInTheRatioOfTheirLengths() throws {
        // ('ssss', 'ßß'): "s" is 0 and "ß" is 2, each character after its flag.
        let start: [ChoiceValue] = [.boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(true), .integer(0),
                                    .boolean(false), .boolean(true), .integer(2), .boolean(true), .integer(2), .boolean(false)]
        #expect(try shrunk(from: start, Self.usernameFold()) == [.boolean(true), .integer(0), .boolean(true), .integer(0), .boolean(false),
                                                                    .boolean(true), .integer(2), .boolean(false)])
    }

    /// Two collections of a tuple in a failure symmetric in them end with
    /// the simpler one first: a merge that counts the keys two sorted lists
    /// share, advancing the wrong side past a smaller key, ends at `([0,
    /// 1], [1])`, not `([1], [0, 1])`, which no deletion or lowering leaves
    /// (a sparse dot product's two vectors stopped so in 18 of 20 seeds).
    @Test func aTuplesCollectionsAreSwapped() throws {
        func sharedByMerge(_ a: [Int64], _ b: [Int64]) -> Int {
            let ka = Array(Set(a)).sorted(), kb = Array(Set(b)).sorted()
            var i = 0, j = 0, shared = 0
            while i < ka.count && j < kb.count {
                if ka[i] == kb[j] { shared += 1; i += 1; j += 1 } else if ka[i] < kb[j] { j += 1 } else { i += 1 }
            }
            return shared
        }
        let lists = Gen.zip(Gen.arrays(of: Gen.integers(in: 0...9)), Gen.arrays(of: Gen.integers(in: 0...9)))
        let executor = Executor(body: { tc in
            let t = try tc.draw(lists)
            return ("\(t)", t, { try expect(sharedByMerge(t.0, t.1) == Set(t.0).intersection(t.1).count) })
        }, deduplicates: true)
        let start: [ChoiceValue] = [.boolean(true), .integer(1), .boolean(false),
                                    .boolean(true), .integer(0), .boolean(true), .integer(1), .boolean(false)]
        #expect(try shrunk(from: start, executor) == [.boolean(true), .integer(0), .boolean(true), .integer(1), .boolean(false),
                                                       .boolean(true), .integer(1), .boolean(false)])
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func byteValueAtALaterPosition(seed: UInt64) throws {
        let (value, report) = minimal(Gen.bytes(count: 0...64), seed: seed) { $0.count > 4 && $0[4] > 100 }
        #expect(try #require(value) == [0, 0, 0, 0, 101])
        #expect(report.counterexample?.budgetExhausted == false)
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func pairWithACommonDivisorBecomesEqual(seed: UInt64) throws {
        // Lowering either value alone loses the common divisor: seeds 0, 1
        // and 2 stopped at (12, 156), (25, 525) and (11, 33) before an
        // integer could take its simpler neighbour's value.
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        let (value, _) = minimal(Gen.zip(Gen.integers(in: 1...1000), Gen.integers(in: 1...1000)), seed: seed) { gcd($0.0, $0.1) > 10 }
        #expect(try #require(value) == (11, 11))
    }

    @Test(arguments: [10, 12, 16] as [UInt64])
    func twoStringsOfOneLengthLoseACharacterEach(seed: UInt64) throws {
        // Two strings of one length in a set differ, so they are never equal
        // siblings: these seeds stopped at `{'000', '001'}` or longer before
        // siblings of the same kinds of choices lost an element each.
        let (value, _) = minimal(Gen.sets(of: Gen.strings()), seed: seed) { set in
            let lengths = set.map(\.count).filter { $0 >= 2 }
            return Set(lengths).count != lengths.count
        }
        #expect(try #require(value) == ["00", "01"])
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func checksumByteFollowsTheBytesItCovers(seed: UInt64) throws {
        // A record that parses only when its last byte is the sum of the
        // others: every seed stopped at four bytes or more (`[1, 128, 255,
        // 128]`) when no byte could move without breaking the sum.
        let (value, _) = minimal(Gen.bytes(count: 0...16), seed: seed) { b in
            b.count >= 3 && b[0] != 0 && b.dropLast().reduce(UInt8(0), &+) == b.last!
        }
        #expect(try #require(value) == [1, 0, 1])
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func flagsWordLosesTheBitsThatDoNotMatter(seed: UInt64) throws {
        // Two flags of a 32-bit word both set: lowering stops at the first
        // value below, which lacks a flag, so every seed kept the random
        // high bits around them (0x6000_0220).
        let (value, _) = minimal(Gen.integers(of: UInt32.self), seed: seed) { $0 & 0x220 == 0x220 }
        #expect(try #require(value) == 0x220)
    }

    /// An integer and a double that must be a fraction above it: neither
    /// moves alone, so `(4, 4.5)` stayed there until the two were moved
    /// together (`shiftDoublesWithIntegers`).
    @Test(arguments: 0..<12 as Range<UInt64>)
    func anIntegerAndADoubleAFractionApartMoveTogether(seed: UInt64) throws {
        let (value, _) = minimal(Gen.zip(Gen.ints(in: -5...5), Gen.doubles(in: -10...10)), seed: seed) { t in
            t.1.rounded(.down) == Double(t.0) && t.1 != Double(t.0)
        }
        let pair = try #require(value)
        #expect(pair.0 == 0 && pair.1 == 0.5, "\(pair)")
    }

    /// A nice value in -20...19 plus an `Int8` increment, added in `Int8`
    /// before the clamp: it wraps at (-1, -128) and at (1, 127), the
    /// minimum, but at neither with one sign changed. Of two kinds, the pair
    /// was never mirrored together (`MirrorSigns.mirrorAcrossKinds`), and a
    /// positive pair such as (7, 121) was not filled to the increment's
    /// bound, the room being one unit short of the value
    /// (`Redistribute`): 7 seeds of 20 reached the minimum.
    @Test(arguments: 0..<20 as Range<UInt64>)
    func valuesOfTwoKindsTiedByAWrapMoveTogether(seed: UInt64) throws {
        func clamped(_ nice: Int8, _ delta: Int8, inInt8: Bool) -> Int {
            Swift.min(19, Swift.max(-20, inInt8 ? Int(nice &+ delta) : Int(nice) + Int(delta)))
        }
        let (value, _) = minimal(Gen.zip(Gen.integers(of: Int8.self, in: -20...19), Gen.integers(of: Int8.self)), seed: seed) {
            clamped($0.0, $0.1, inInt8: true) != clamped($0.0, $0.1, inInt8: false)
        }
        let pair = try #require(value)
        #expect(pair.0 == 1 && pair.1 == 127, "\(pair)")
    }

    /// A field of four flag bits (0...15, as a trace's cache debug letters
    /// are drawn) with the one flag that matters among others: lowering
    /// walks down from the value and stops at the first value below that
    /// lacks the flag (10 stays 10: 9 and 8 lack bit 1). A field of 2 to 7
    /// bits has its highest bit tried (`ClearBits.isBitField`).
    @Test(arguments: 0..<8 as Range<UInt64>)
    func flagsFieldLosesTheFlagsThatDoNotMatter(seed: UInt64) throws {
        // Z without F and P, U free: 2 and 10 fail.
        let (value, _) = minimal(Gen.integers(in: 0...15), seed: seed) { $0 & 0b0111 == 0b0010 }
        #expect(try #require(value) == 2)
    }

    /// Past 2^53 a double steps by 2 and `x + 1 == x` holds only where the
    /// last mantissa bit is 0 (ties to even), every 4. An integer code that
    /// the double rounds is recorded as the double's own: lowering it into a
    /// rounding run was adopted for nothing, and these seeds (of 100) stopped
    /// at 1.48e16 and the like, where one or two steps down pass.
    @Test(arguments: [4, 39, 91] as [UInt64])
    func doubleOfTwoToTheFiftyThreeNeedsNoStepsWithinARoundingRun(seed: UInt64) throws {
        let (value, _) = minimal(Gen.doubles(allowNaN: false, allowInfinity: false), seed: seed) { $0 + 1 == $0 }
        #expect(try #require(value) == 0x1p53)
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func highestBitMovesDownAsFarAsTheFailureAllows(seed: UInt64) throws {
        // Two set bits at least 33 apart: every seed stopped at 2^63 + 1
        // (or 2^62 + 1), whose every smaller neighbour has other bits set.
        let (value, _) = minimal(Gen.integers(of: UInt64.self), seed: seed) { x in
            x.nonzeroBitCount == 2 && (63 - x.leadingZeroBitCount) - x.trailingZeroBitCount >= 33
        }
        #expect(try #require(value) == (1 << 33) + 1)
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func bitsInATopByteMoveDownTogether(seed: UInt64) throws {
        // Three bits of a 64-bit word's top byte: seeds stopped at bits
        // 56, 60 and 61 (0x3100...), whose highest bit has no room below it
        // until the bit under it moves.
        let (value, _) = minimal(Gen.integers(of: UInt64.self), seed: seed) { ($0 >> 56).nonzeroBitCount >= 3 }
        #expect(try #require(value) == 0x0700_0000_0000_0000)
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func productsSignMovesToTheLaterValue(seed: UInt64) throws {
        // A Q8 product that must round a negative half away from zero: only
        // the product's sign matters, and seeds stopped at `(-1, 128)`,
        // where each value mirrored alone makes the product positive.
        let pair = Gen.zip(Gen.integers(in: -1000...1000), Gen.integers(in: -1000...1000))
        let (value, _) = minimal(pair, seed: seed) { t in
            let p = t.0 * t.1
            return (p + 128) >> 8 != (p < 0 ? -((-p + 128) >> 8) : (p + 128) >> 8)
        }
        let found = try #require(value)
        #expect(found.0 >= 0 || found.1 <= 0, "the sign stayed on the first value: \(found)")
    }

    /// Whether a binary min-heap compared by priority alone pops equal
    /// priorities in the order they were pushed.
    static func heapKeepsArrivalOrder(_ steps: [HeapStep]) -> Bool {
        var heap: [(priority: Int64, arrival: Int)] = [], arrivals = 0
        for step in steps {
            switch step {
            case .push(let p):
                heap.append((p, arrivals))
                arrivals += 1
                var i = heap.count - 1
                while i > 0, heap[i].priority < heap[(i - 1) / 2].priority { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
            case .pop:
                guard !heap.isEmpty else { continue }
                let expected = heap.min { ($0.priority, $0.arrival) < ($1.priority, $1.arrival) }!
                let top = heap[0]
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
                var i = 0
                while 2 * i + 1 < heap.count {
                    var c = 2 * i + 1
                    if c + 1 < heap.count, heap[c + 1].priority < heap[c].priority { c += 1 }
                    guard heap[c].priority < heap[i].priority else { break }
                    heap.swapAt(i, c)
                    i = c
                }
                if top.arrival != expected.arrival { return false }
            }
        }
        return true
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func equalArgumentsAreLoweredWithoutTheirOperations(seed: UInt64) throws {
        // `push 0, push 1, push 1, pop, pop`: the two 1s go to 0 together
        // only without the `pop`s' branch index 1, which lowered with them
        // turned the pops into pushes; these seeds stopped there.
        let steps = Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...3).map { HeapStep.push($0) }, Gen.just(HeapStep.pop)))
        let (value, _) = minimal(steps, seed: seed) { !Self.heapKeepsArrivalOrder($0) }
        #expect(try #require(value) == [.push(0), .push(0), .push(0), .pop, .pop])
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func integerBesideAListIsReducedModuloItsLength(seed: UInt64) throws {
        // A rotation by k of a list of four or more fails when k leaves 2
        // modulo the length: lowering k from 10 beside four elements probes
        // values that pass (5, 8, 9) and stops, so 5 of these seeds stopped
        // with k above the list's length, or beside a longer list.
        let pair = Gen.zip(Gen.arrays(of: Gen.integers(in: 0...9)), Gen.ints(in: 0...10))
        let (value, _) = minimal(pair, seed: seed) { $0.0.count >= 4 && $0.1 % $0.0.count == 2 }
        let found = try #require(value)
        #expect(found.0 == [0, 0, 0, 0] && found.1 == 2)
    }

    @Test func aWholeUInt64BesideAListIsReducedWithoutOverflow() throws {
        // A `UInt64`'s range starts at Int64.min as a choice: its distance
        // from the least value is taken as unsigned (a signed subtraction
        // trapped for values past 2^63).
        let pair = Gen.zip(Gen.arrays(of: Gen.integers(in: 0...9)), Gen.integers(of: UInt64.self))
        let (value, _) = minimal(pair, seed: 1) { $0.0.count >= 2 && $0.1 >= 1 << 63 + 10 }
        let found = try #require(value)
        #expect(found.0 == [0, 0] && found.1 == 1 << 63 + 10)
    }

    /// Nested lists, for `nestedNodesMoveUpALevel`.
    indirect enum Nested: Equatable, Sendable {
        case leaf(Int64)
        case list([Nested])
        var depth: Int { if case .list(let xs) = self { 1 + (xs.map(\.depth).max() ?? 0) } else { 0 } }
        var lists: Int { if case .list(let xs) = self { 1 + xs.map(\.lists).reduce(0, +) } else { 0 } }
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func nestedNodesMoveUpALevel(seed: UInt64) throws {
        // Four lists at most three deep (a nesting limit that counts every
        // `[` read): seeds stopped at `[[], [[]]]` or `[[[], []]]`, as long
        // as the minimum, where every deletion drops a list. The last
        // element of an inner list now moves out after the list holding it.
        let nested = Gen.recursive(maxDepth: 8, label: "nested", base: Gen.integers(in: 0...9).map { Nested.leaf($0) }) { inner in
            Gen.arrays(of: inner).map { Nested.list($0) }
        }
        let (value, _) = minimal(nested, seed: seed) { $0.lists > 3 && $0.depth <= 3 }
        #expect(try #require(value) == .list([.list([]), .list([]), .list([])]))
    }

    indirect enum Doc: Equatable, CustomStringConvertible {
        case null
        case int(Int64)
        case array([Doc])
        case object([(key: Int64, value: Doc)])
        static func == (a: Doc, b: Doc) -> Bool { a.description == b.description }
        var description: String {
            switch self {
            case .null: return "null"
            case .int(let n): return "\(n)"
            case .array(let xs): return "[\(xs.map(\.description).joined(separator: ", "))]"
            case .object(let ms): return "{\(ms.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}"
            }
        }
        /// Whether an object below the top holds two members or more.
        func nestedObjectWithTwoMembers(atTop: Bool = true) -> Bool {
            switch self {
            case .null, .int: return false
            case .array(let xs): return xs.contains { $0.nestedObjectWithTwoMembers(atTop: false) }
            case .object(let ms): return !atTop && ms.count >= 2 || ms.contains { $0.value.nestedObjectWithTwoMembers(atTop: false) }
            }
        }
    }

    static let docs: Generator<Doc> = {
        let base: Generator<Doc> = Gen.oneOf(Gen.just(Doc.null), Gen.integers(in: -9...9).map { (n: Int64) -> Doc in .int(n) })
        return Gen.recursive(maxDepth: 3, label: "doc", base: base) { (inner: Generator<Doc>) -> Generator<Doc> in
            let array: Generator<Doc> = Gen.arrays(of: inner).map { (xs: [Doc]) -> Doc in .array(xs) }
            let members: Generator<[(Int64, Doc)]> = Gen.arrays(of: Gen.zip(Gen.integers(in: 0...3), inner))
            let object: Generator<Doc> = members.map { (ms: [(Int64, Doc)]) -> Doc in .object(ms.map { (key: $0.0, value: $0.1) }) }
            return Gen.oneOf(array, object)
        }
    }()

    /// A node of a recursive generator changes kind keeping its contents:
    /// an object holding the failing object becomes an array holding it
    /// (the object's member carries a key, the array's element does not),
    /// and an empty array inside becomes a null (one choice fewer). Lowered
    /// alone, the index read the key as an element; the object's member was
    /// no descendant to replace it with. The JSON problem of the
    /// thirty-eighth batch stopped at `{0: {0: null, 1: null}}` in 10 seeds
    /// of 20, and at `{0: {0: [], 1: null}}` in 2.
    @Test func aRecursiveNodeChangesKindKeepingItsContents() throws {
        let executor = Executor(body: { tc in
            let d = try tc.draw(Self.docs)
            return ("\(d)", d, { try expect(!d.nestedObjectWithTwoMembers()) })
        }, deduplicates: true)
        // A node: 0 and a base (0 null, 1 and an integer), or 1 and then 0
        // (an array) or 1 (an object), with a flag before each element and
        // a member's key before its value.
        let null: [ChoiceValue] = [.integer(0), .integer(0)]
        let emptyArray: [ChoiceValue] = [.integer(1), .integer(0), .boolean(false)]
        func object(_ values: [[ChoiceValue]], keys: [Int64] = [0, 1]) -> [ChoiceValue] {
            [.integer(1), .integer(1)] + zip(keys, values).flatMap { [.boolean(true), .integer($0.0)] + $0.1 } + [.boolean(false)]
        }
        let minimum: [ChoiceValue] = [.integer(1), .integer(0), .boolean(true)] + object([null, null], keys: [0, 0]) + [.boolean(false)]
        #expect(try shrunk(from: object([object([null, null])]), executor) == minimum)
        #expect(try shrunk(from: object([object([emptyArray, null])]), executor) == minimum)
        for seed in 0..<4 as Range<UInt64> {
            let (value, _) = minimal(Self.docs, seed: seed) { $0.nestedObjectWithTwoMembers() }
            #expect(try #require(value).description == "[{0: null, 0: null}]")
        }
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func keysSharingABucketLoseTheirHighBits(seed: UInt64) throws {
        // Two keys of 0...1000 in one of 16 buckets: lowering the larger
        // steps to values in other buckets, so seeds stopped at
        // `{0: 0, 48: 0}`, `{0: 0, 80: 0}` or `{0: 0, 112: 0}` (10 of 20 at
        // the minimum). A multiple of 16 with another bit set now tries
        // without its highest bit, which keeps its bucket.
        let (value, _) = minimal(Gen.dictionaries(keys: Gen.integers(in: 0...1000), values: Gen.integers(in: 0...10)),
                                 seed: seed) { d in Set(d.keys.map { $0 % 16 }).count != d.count }
        #expect(try #require(value) == [0: 0, 16: 0])
    }

    @Test func onlyMachineWordsHaveTheirBitsProbed() {
        // Bits matter in words; a range such as 0...1000 holds a quantity,
        // and probing its bits would cost calls at every threshold (the
        // challenge's lengthlist and difference problems spent two to four
        // more calls each when every range of 256 values or more was probed).
        // Only a quantity that is a multiple of 16 has its highest bit tried.
        let words: [IntegerConstraints] = [
            IntegerConstraints(min: -128, max: 127), IntegerConstraints(min: 0, max: 255),
            IntegerConstraints(min: -32768, max: 32767), IntegerConstraints(min: .min, max: .max),
            IntegerConstraints(min: .min, max: .min + Int64(UInt32.max), simplest: .min),
        ]
        let quantities: [IntegerConstraints] = [
            IntegerConstraints(min: 0, max: 1000), IntegerConstraints(min: 1, max: 64),
            IntegerConstraints(min: 0, max: 15), IntegerConstraints(min: 0, max: 1_000_000),
        ]
        #expect(words.allSatisfy(Shrinker.isMachineWord))
        #expect(!quantities.contains(where: Shrinker.isMachineWord))
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func productThatOverflowsAnInt32PairScalesWithinRange(seed: UInt64) throws {
        // An `Int32` pair whose product overflows: the product itself is out
        // of range, so `(1, x * y)` cannot be tried. Seeds stopped at
        // `(91, 23598722)`, `(6, 357913942)` or `(2, 1073741824)` (2 of 20
        // at the minimum); now the first value takes the least factor that
        // leaves the second in range, and then -1 with the product negated.
        let pair = Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self))
        let (value, _) = minimal(pair, seed: seed) { $0.0.multipliedReportingOverflow(by: $0.1).overflow }
        let found = try #require(value)
        #expect(found.0 == -1 && found.1 == .min)
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func productThatOverflowsAUInt64PairScalesWithinRange(seed: UInt64) throws {
        // calloc's count times size past 64 bits, the failure itself: the
        // choices of a whole `UInt64` range are offset by 2^63, and the pass
        // took only ranges whose simplest value is 0. Seeds stopped at
        // `(2^32, 2^32)`, `(8, 2^61)` or `(4, 2^62)` (13 of 20 at the minimum
        // in the benchmark); now the count takes the least factor that
        // leaves the size in range, 2, and the size 2^63.
        let pair = Gen.zip(Gen.integers(of: UInt64.self), Gen.integers(of: UInt64.self))
        let (value, _) = minimal(pair, seed: seed) { $0.0.multipliedReportingOverflow(by: $0.1).overflow }
        let found = try #require(value)
        #expect(found.0 == 2 && found.1 == 1 << 63)
    }

    @Test func unsignedFactorsKeepTheProductWithinTheOtherValuesRange() {
        let max = UInt64.max
        // The product fits: 1 and the product.
        #expect(Shrinker.unsignedFactors(7, 143, maxFirst: max, maxSecond: max).map { [$0.0, $0.1] } == [1, 1001])
        // It does not: the least factor, with the product rounded up.
        #expect(Shrinker.unsignedFactors(1 << 32, 1 << 32, maxFirst: max, maxSecond: max).map { [$0.0, $0.1] } == [2, 1 << 63])
        #expect(Shrinker.unsignedFactors(3, max, maxFirst: max, maxSecond: max).map { [$0.0, $0.1] } == nil)
        #expect(Shrinker.unsignedFactors(6, 1 << 63 - 1, maxFirst: max, maxSecond: max).map { [$0.0, $0.1] } == [3, max - 1])
        #expect(Shrinker.isUnsignedFromZero(IntegerConstraints(min: .min, max: .max, simplest: .min)))
        #expect(!Shrinker.isUnsignedFromZero(IntegerConstraints(min: .min, max: .max)))
    }

    @Test func factorsKeepTheProductWithinTheOtherValuesRange() {
        let int32 = IntegerConstraints(min: Int64(Int32.min), max: Int64(Int32.max))
        // The whole product fits: the unit with x's sign takes it.
        #expect(Shrinker.factors(of: 1001, below: 7, in: int32).map { [$0.0, $0.1] } == [1, 1001])
        // It does not, but its negation does: the other unit.
        #expect(Shrinker.factors(of: 1 << 31, below: 2, in: int32).map { [$0.0, $0.1] } == [-1, Int64(Int32.min)])
        // Neither: the least factor, with the product rounded away from zero.
        #expect(Shrinker.factors(of: 91 * 23_598_722, below: 91, in: int32).map { [$0.0, $0.1] } == [2, 1_073_741_851])
        #expect(Shrinker.factors(of: -(91 * 23_598_722), below: -91, in: int32).map { [$0.0, $0.1] } == [-2, 1_073_741_851])
        // No factor below x leaves the other value in range.
        #expect(Shrinker.factors(of: 3 * 2_000_000_000, below: 3, in: int32) == nil)
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func productOfTwoRangesScalesIntoTheSecond(seed: UInt64) throws {
        // A record's size (0...65535) times its count (0...1000) past
        // 65535: the two ranges differ, and only integers of one range were
        // scaled together, so seeds stopped at (128, 512), (169, 388) and
        // the like (3 of these 8 did). The least size whose count fits is 66.
        let record = Gen.zip(Gen.integers(in: 0...65535), Gen.strings(), Gen.integers(in: 0...1000))
        let (value, _) = minimal(record, seed: seed) { $0.0 * $0.2 > 65535 }
        let found = try #require(value)
        #expect(found.0 == 66 && found.1 == "" && found.2 == 993, "\(found)")
        let size = IntegerConstraints(min: 0, max: 65535), count = IntegerConstraints(min: 0, max: 1000)
        #expect(Shrinker.factors(of: 128 * 512, below: 128, in: size, and: count).map { [$0.0, $0.1] } == [66, 993])
        #expect(Shrinker.factors(of: 3 * 300, below: 3, in: size, and: count).map { [$0.0, $0.1] } == [1, 900])
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func booleanBindSwitchesToTheShorterSide(seed: UInt64) throws {
        // On `true` an integer, on `false` a string: ('int', 10) is two
        // choices, ('text', '000') eight. Seeds 0 and 3 stopped at the
        // string when the boolean was only ever lowered.
        let either = Gen.booleans().flatMap { b in
            b ? Gen.integers(in: 0...1000).map { "int \($0)" } : Gen.strings().map { "text \($0)" }
        }
        let (value, _) = minimal(either, seed: seed) { v in
            v.hasPrefix("int ") ? Int(v.dropFirst(4))! >= 10 : v.count - 5 >= 3
        }
        #expect(try #require(value) == "int 10")
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func tableLosesAColumnWithItsColumnCount(seed: UInt64) throws {
        // Rows of one drawn length: lowering the length alone realigns the
        // rows, and a row losing an element alone breaks its length. Seeds 0
        // and 1 stopped at two or more columns before the length was lowered
        // with the rows.
        let table = Gen.integers(in: 1...5).flatMap { c in Gen.arrays(of: Gen.arrays(of: Gen.integers(), count: Int(c)...Int(c))) }
        let (value, _) = minimal(table, seed: seed) { rows in rows.count >= 2 && rows.last!.contains { $0 != 0 } }
        #expect(try #require(value) == [[0], [1]])
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func lengthPrefixedRecordLosesBytesWithItsLengthField(seed: UInt64) throws {
        // A record whose first byte counts its payload, failing when the
        // payload sums over 300: deleting a payload byte alone leaves the
        // count past the end, and lowering the count alone drops a byte that
        // matters. Seeds 0, 4, 5 and 6 stopped at `[3, 0, 46, 255]` or
        // `[4, 0, 0, 46, 255]` when the count was not lowered with a deletion.
        let (value, _) = minimal(Gen.bytes(count: 0...32), seed: seed) { b in
            guard let n = b.first.map(Int.init), n >= 1, b.count >= 1 + n else { return false }
            return b[1...n].map(Int.init).reduce(0, +) > 300
        }
        #expect(try #require(value) == [2, 46, 255])
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func anyLargeByte(seed: UInt64) throws {
        let (value, _) = minimal(Gen.bytes(count: 0...64), seed: seed) { $0.contains { $0 >= 200 } }
        #expect(try #require(value) == [200])
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func adjacentByteValues(seed: UInt64) throws {
        // Needs a byte followed by a larger one: deleting the bytes around the pair.
        let (value, _) = minimal(Gen.bytes(count: 0...64), seed: seed) { b in
            zip(b, b.dropFirst()).contains { $0 < $1 }
        }
        #expect(try #require(value) == [0, 1])
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func byteSumOverABound(seed: UInt64) throws {
        let (value, _) = minimal(Gen.bytes(count: 2...64), seed: seed) { b in b.reduce(0) { $0 + Int($1) } > 300 }
        // Shortlex: two bytes, the first as low as the second (at most 255) allows.
        #expect(try #require(value) == [46, 255])
    }
}

@Suite struct IntegerShrinkQualityTests {
    func minimal<V>(_ generator: Generator<V>, seed: UInt64, _ fails: @escaping (V) -> Bool) -> (value: V?, calls: Int, exhausted: Bool) {
        let report = checkProperty("quality", generator, configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) {
            try expect(!fails($0))
        }
        return (report.counterexampleValue(as: V.self), report.counterexample?.shrinkCalls ?? 0,
                report.counterexample?.budgetExhausted ?? true)
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func largePositiveThresholdInTheFullRange(seed: UInt64) throws {
        let threshold: Int64 = 1_000_000_000_000
        let (value, calls, exhausted) = minimal(Gen.integers(), seed: seed) { $0 >= threshold }
        #expect(try #require(value) == threshold)
        #expect(!exhausted)
        // Logarithmic in the value: far below the old per-step crawl.
        #expect(calls < 150)
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func largeNegativeThresholdInTheFullRange(seed: UInt64) throws {
        let (value, calls, _) = minimal(Gen.integers(), seed: seed) { $0 <= -1_000_000 }
        #expect(try #require(value) == -1_000_000)
        #expect(calls < 150)
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func sumOfThreeSignedIntegersOverABound(seed: UInt64) throws {
        let (value, calls, _) = minimal(Gen.zip(Gen.integers(), Gen.integers(), Gen.integers()), seed: seed) { t in
            let (s1, o1) = t.0.addingReportingOverflow(t.1)
            let (s2, o2) = s1.addingReportingOverflow(t.2)
            return !o1 && !o2 && s2 > 1_000_000
        }
        let v = try #require(value)
        #expect(v == (0, 0, 1_000_001))
        #expect(calls < 400)
    }
}

/// The fast problems of the shrink-quality benchmark (Benchmarks/Sources/ShrinkQuality)
/// that reach their expected minimum on every seed, over five seeds each.
@Suite struct ShrinkQualitySuiteTests {
    func finals<V>(_ generator: Generator<V>, _ fails: @escaping (V) -> Bool) -> [V?] {
        (0..<5 as Range<UInt64>).map { seed in
            checkProperty("quality", generator, configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) {
                try expect(!fails($0))
            }.counterexampleValue(as: V.self)
        }
    }

    @Test func collections() {
        #expect(finals(Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100)))) { $0.joined().reduce(0, +) > 100 }
                == Array(repeating: [[1, 100]], count: 5))
        #expect(finals(Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers())) { $0.values.contains { $0 > 7 } }
                == Array(repeating: [0: 8], count: 5))
        #expect(finals(Gen.sets(of: Gen.integers())) { $0.count >= 3 } == Array(repeating: [0, 1, -1], count: 5))
        #expect(finals(Gen.uniqueArrays(of: Gen.integers(in: 0...100))) { $0.count >= 2 && $0.reduce(0, +) > 20 }
                == Array(repeating: [0, 21], count: 5))
    }

    @Test func flatMapOnBothSides() {
        let lengthFirst = Gen.integers(in: 0...10).flatMap { n in Gen.arrays(of: Gen.integers(in: 0...100), count: Int(n)...Int(n)) }
        #expect(finals(lengthFirst) { $0.count >= 3 && $0.reduce(0, +) >= 50 } == Array(repeating: [0, 0, 50], count: 5))
        let boundFirst = Gen.integers(in: 0...100).flatMap { x in Gen.integers(in: x...(x + 100)).map { [x, $0] } }
        #expect(finals(boundFirst) { $0[1] >= 50 } == Array(repeating: [0, 50], count: 5))
    }

    @Test func floatsAndText() {
        #expect(finals(Gen.doubles(allowNaN: false, allowInfinity: false)) { $0 >= 1e300 } == Array(repeating: 1e300, count: 5))
        #expect(finals(Gen.doubles()) { $0 < -1000.25 } == Array(repeating: -1001.0, count: 5))
        #expect(finals(Gen.strings()) { Set($0).count >= 3 } == Array(repeating: "012", count: 5))
        #expect(finals(Gen.strings()) { !$0.allSatisfy { $0.isLetter || $0.isNumber } } == Array(repeating: " ", count: 5))
    }

    @Test func integersOfEveryWidth() {
        #expect(finals(Gen.integers(of: UInt32.self)) { $0 >= 3_000_000_000 } == Array(repeating: 3_000_000_000, count: 5))
        #expect(finals(Gen.integers(of: Int8.self)) { $0 < -100 } == Array(repeating: -101, count: 5))
        #expect(finals(Gen.integers()) { $0.magnitude >= 1000 } == Array(repeating: 1000, count: 5))
    }
}

@Suite struct SwitchBranchTests {
    enum IntOrText: Equatable { case int(Int64), text(String) }

    @Test(arguments: 0..<10 as Range<UInt64>)
    func aOneOfMovesToTheEarlierAlternative(seed: UInt64) throws {
        let union = Gen.oneOf(Gen.integers(in: 0...1000).map { IntOrText.int($0) }, Gen.strings().map { IntOrText.text($0) })
        // One expectation for both branches: a failure of one kind, so the shrinker may switch.
        let report = checkProperty("switch branch", union, configuration: PropertyConfiguration(seed: seed)) { v in
            let fine: Bool
            switch v {
            case .int(let x): fine = x < 100
            case .text(let t): fine = t.count < 2
            }
            try expect(fine)
        }
        #expect(report.counterexampleValue(as: IntOrText.self) == .int(100))
    }

    enum Key: Equatable {
        case int(Int64), real(Double)
        var number: Double { switch self { case .int(let x): Double(x); case .real(let d): d } }
        var hashBits: UInt64 { switch self { case .int(let x): UInt64(bitPattern: x); case .real(let d): d.bitPattern } }
    }

    /// A one-of inside a list moves to its earlier alternative at its
    /// simplest with the elements after it kept. Table keys, an integer or
    /// a double, compared as numbers but hashed by their bits: `[real 0.0,
    /// real -0.0]` fails as `[int 0, real -0.0]` does, which is simpler.
    /// Fresh random contents after the switch (the list going on at random)
    /// rarely end with `-0.0` again, and deleting the first key loses the
    /// failure. Of these 20 seeds 14 find the failure; without that
    /// candidate 9 of them reached the minimum, the other 5 stopping at
    /// `[real 0.0, real -0.0]`.
    @Test func aOneOfSwitchesWithTheRestOfTheListKept() throws {
        let keys = Gen.arrays(of: Gen.oneOf(Gen.integers(of: Int32.self).map { Key.int(Int64($0)) }, Gen.doubles().map { Key.real($0) }))
        var found = 0, atMinimum = 0
        for seed in 0..<20 as Range<UInt64> {
            let report = checkProperty("kept rest", keys, configuration: PropertyConfiguration(seed: seed)) { keys in
                for j in keys.indices {
                    try expect(keys[..<j].allSatisfy { $0.number != keys[j].number || $0.hashBits == keys[j].hashBits })
                }
            }
            guard let shrunk = report.counterexampleValue(as: [Key].self) else { continue }
            found += 1
            if shrunk.count == 2, shrunk[0] == .int(0), case .real(let d) = shrunk[1], d == 0, d.sign == .minus { atMinimum += 1 }
        }
        #expect(found >= 12 && atMinimum >= found - 1, "\(atMinimum) of \(found) failing seeds at [int 0, real -0.0]")
    }
}

/// Problems of the second shrink-quality batch that showed an engine fault.
@Suite struct SecondBatchShrinkQualityTests {
    func minimal<V>(_ generator: Generator<V>, seed: UInt64, _ fails: @escaping (V) -> Bool) -> (value: V?, calls: Int) {
        let report = checkProperty("quality", generator, configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) {
            try expect(!fails($0))
        }
        return (report.counterexampleValue(as: V.self), report.counterexample?.shrinkCalls ?? 0)
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func doublesInACollectionWithAMinimumCount(seed: UInt64) throws {
        // The first three elements have no "another element" flag: a double's
        // sign there was taken for one and never cleared ([0.0, 0.0, -1.0]).
        // Delete-and-shift also trapped here, lowering the code of 0.0 (the
        // bottom of its 64-bit range) by the number of deleted elements.
        let (value, _) = minimal(Gen.arrays(of: Gen.doubles(), count: 3...Int.max), seed: seed) { $0.contains { $0 != 0 } }
        let v = try #require(value)
        #expect(v == [0, 0, 1] && v[2].sign == .plus)
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func doubleThatIsNotAnInteger(seed: UInt64) throws {
        // 1.5 is the simplest non-integer; the search stopped at 0.5 or 1.25.
        let (value, _) = minimal(Gen.doubles(allowNaN: false, allowInfinity: false), seed: seed) { $0 != $0.rounded() }
        #expect(try #require(value) == 1.5)
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func longStringInFewCalls(seed: UInt64) throws {
        // Thirty characters lowered to "0" together once the first could be,
        // and no deletion that cuts the string off inside it tried at the end:
        // 184 to 192 shrink calls on these seeds before, 43 to 53 after.
        let (value, calls) = minimal(Gen.strings(), seed: seed) { $0.count >= 30 }
        #expect(try #require(value) == String(repeating: "0", count: 30))
        #expect(calls < 60)
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func equalLargeValuesLoweredTogether(seed: UInt64) throws {
        // Two copies of one value far out in a signed range, lowered
        // together: the rank search alternated signs and went down about one
        // value per few calls (a median of 1,119 calls on 20 seeds, 7 of
        // them out of budget short of the minimum).
        let n: Int64 = 1 << 40
        let (value, calls) = minimal(Gen.zip(Gen.integers(), Gen.arrays(of: Gen.integers())), seed: seed) { t in
            t.0 >= n && t.1.contains(t.0)
        }
        let v = try #require(value)
        #expect(v.0 == n && v.1 == [n])
        #expect(calls < 400)
    }

    @Test(arguments: 0..<10 as Range<UInt64>)
    func characterBelowDigitZero(seed: UInt64) throws {
        // Code points below "0" are " " to "/" and the controls, far apart in
        // the character order: the searches stopped at "\0".
        let (value, _) = minimal(Gen.strings(), seed: seed) { $0.unicodeScalars.contains { $0.value < 0x30 } }
        #expect(try #require(value) == " ")
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func nestedBooleanListsInFewCalls(seed: UInt64) throws {
        // Lists of lists of booleans with twenty elements in all: deleting
        // blocks at the end tried every flag and every value, each deletion
        // reading a value as a flag or a flag as a value: 224 to 260 shrink
        // calls on these seeds before, 67 to 105 after.
        let (value, calls) = minimal(Gen.arrays(of: Gen.arrays(of: Gen.booleans())), seed: seed) {
            $0.map(\.count).reduce(0, +) >= 20
        }
        #expect(try #require(value) == [Array(repeating: false, count: 20)])
        #expect(calls < 150)
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func elementsMoveToTheNextInnerList(seed: UInt64) throws {
        // Three non-empty lists with eight elements in all: deleting an
        // element or a list loses the failure, and so does merging them,
        // so the shrink stopped at [[0], [0, 0], [0, 0, 0, 0, 0]] and other
        // splits (in 6 of these 8 seeds) until an element could move from
        // one list to the start of the next.
        let (value, _) = minimal(Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100))), seed: seed) { lists in
            lists.filter { !$0.isEmpty }.count >= 3 && lists.map(\.count).reduce(0, +) >= 8
        }
        #expect(try #require(value) == [[0], [0], [0, 0, 0, 0, 0, 0]])
    }

    @Test(arguments: 0..<5 as Range<UInt64>)
    func unsortedDoublesAcrossZero(seed: UInt64) throws {
        // [1.0, 0.0] is unsorted, but [0.0, -1.0] is simpler: both doubles
        // must move by the same amount, the second across 0, which no
        // integer shift does (a double is a sign and a code).
        let (value, _) = minimal(Gen.arrays(of: Gen.doubles(allowNaN: false)), seed: seed) { $0 != $0.sorted() }
        #expect(try #require(value) == [0.0, -1.0])
    }
}
