import Testing
@testable import PropertyTesting

enum Suit: CaseIterable, Sendable { case clubs, diamonds, hearts, spades }

/// Every generator shrinks to the simplest value of its kind, over several seeds.
@Suite struct GeneratorTests {
    func minimal<V>(_ generator: Generator<V>, seeds: Range<UInt64> = 0..<5, _ fails: @escaping (V) -> Bool) -> [V?] {
        seeds.map { seed in
            checkProperty("generator", generator, configuration: PropertyConfiguration(maxExamples: 2000, seed: seed)) {
                try expect(!fails($0))
            }.counterexampleValue(as: V.self)
        }
    }

    /// A recursive structure's choices read the same at every depth: the
    /// deepest level draws its branch too (`Gen.recursive`), so the
    /// shrinker's copy of a node's choices to the root
    /// (`replaceWithDescendant`) gives that node there. Before, the deepest
    /// level drew no branch, and a node from just above it, copied to the
    /// root, read its leaves' values as branches (a rope stopped a level too
    /// deep in 2 seeds of 20).
    @Test func aRecursiveStructuresChoicesReadTheSameAtEveryDepth() throws {
        indirect enum Tree: Equatable { case leaf(Int64), node(Tree, Tree) }
        let trees = Gen.recursive(maxDepth: 2, base: Gen.integers(in: 0...9).map { Tree.leaf($0) }) { inner in
            Gen.zip(inner, inner).map { Tree.node($0.0, $0.1) }
        }
        // A node, a leaf (branch 0, value 0), and a node (branch 1) whose
        // leaves, 3 and 5, are at the deepest level.
        let choices: [ChoiceValue] = [1, 0, 0, 1, 0, 3, 0, 5].map { .integer($0) }
        #expect(try TestCase(replaying: choices).draw(trees) == .node(.leaf(0), .node(.leaf(3), .leaf(5))))
        // The inner node's choices, read at the root.
        #expect(try TestCase(replaying: Array(choices[3...])).draw(trees) == .node(.leaf(3), .leaf(5)))
        // The deepest level's branch, one value, takes no bytes: bytes
        // written before it was drawn (fuzz inputs, saved cases) read as
        // they did.
        #expect(try TestCase(bytes: [1, 0, 0, 1, 3, 5]).draw(trees) == .node(.leaf(0), .node(.leaf(3), .leaf(5))))
    }

    @Test func stringsShrinkToEmptyThenToZeros() {
        #expect(minimal(Gen.strings()) { _ in true } == Array(repeating: "", count: 5))
        #expect(minimal(Gen.strings()) { $0.count >= 3 } == Array(repeating: "000", count: 5))
        // The simplest character that is not a letter or digit is the space.
        #expect(minimal(Gen.strings()) { $0.contains { !$0.isLetter && !$0.isNumber } } == Array(repeating: " ", count: 5))
        #expect(minimal(Gen.strings()) { $0.unicodeScalars.contains { $0.value >= 0x80 } } == Array(repeating: "\u{80}", count: 5))
        #expect(minimal(Gen.strings(of: Gen.characters(from: "xyz"))) { $0.contains("z") } == Array(repeating: "z", count: 5))
    }

    @Test func charactersFollowTheDocumentedOrder() throws {
        #expect(minimal(Gen.characters()) { _ in true } == Array(repeating: "0", count: 5))
        #expect(minimal(Gen.characters()) { $0.isLetter } == Array(repeating: "A", count: 5))
        #expect(minimal(Gen.characters()) { $0.isLowercase } == Array(repeating: "a", count: 5))
        #expect(minimal(Gen.characters(maxCodePoint: 127)) { $0.asciiValue! < 32 } == Array(repeating: "\0", count: 5))
        // Every scalar is reachable and none is a surrogate.
        #expect(Gen.scalar(atIndex: Gen.scalarCount(maxCodePoint: 0x10FFFF) - 1).value == 0x10FFFF)
        #expect(Gen.scalar(atIndex: 0xD800 - 128 + 128).value == 0xE000)
        // Unicode's last code point is the whole of it (one past is a precondition failure: NewUserReviewTests).
        #expect(minimal(Gen.characters(maxCodePoint: 0x10FFFF)) { $0.unicodeScalars.first!.value > 0xFFFF } == Array(repeating: "\u{10000}", count: 5))
    }

    @Test func charactersFavourASCIIWhileSearchingAndStillReachTheRest() throws {
        let n = 2000
        var ascii = 0, printable = 0, controls = 0, nonASCII = 0
        for seed in 0..<UInt64(n) {
            let value = try TestCase(seed: seed).draw(Gen.characters()).unicodeScalars.first!.value
            if value < 128 { ascii += 1 } else { nonASCII += 1 }
            if (32...126).contains(value) { printable += 1 }
            if value < 32 || value == 127 { controls += 1 }
        }
        // 60% printable ASCII, 15% any ASCII, 25% over the whole order.
        #expect(ascii * 10 >= n * 7)
        #expect(printable * 10 >= n * 6)
        #expect(controls * 100 >= n * 2)
        #expect(nonASCII * 10 >= n)
        // A lowercase then an uppercase ASCII letter at given positions is found every time.
        let lowerThenUpper = minimal(Gen.strings(), seeds: 0..<10) { s in
            let u = Array(s.unicodeScalars)
            return u.count > 3 && ("a"..."z").contains(u[2]) && ("A"..."Z").contains(u[3])
        }
        #expect(lowerThenUpper == Array(repeating: "00aA", count: 10))
    }

    /// Characters repeat earlier draws of the example while searching, so
    /// a palindrome of three characters or more is found. Before, random
    /// search found none in 2,000 examples in 2 of these 20 seeds (and none in
    /// 1,000 in 68 of 200 seeds of the shrink-quality problem).
    @Test func charactersRepeatEarlierOnesWhileSearching() {
        let palindromes = minimal(Gen.strings(), seeds: 0..<20) { s in
            let u = Array(s.unicodeScalars)
            return u.count >= 3 && u == u.reversed()
        }
        #expect(palindromes == Array(repeating: "000", count: 20))
    }

    /// Bytes repeat earlier bytes of the string and take edge values while
    /// searching, so a string with the same byte twice is found. With
    /// uniform bytes random search found two 0xFF bytes in 1,000 examples in
    /// 6 of 20 seeds of the shrink-quality problem.
    @Test func bytesRepeatEarlierOnesAndTakeEdgeValuesWhileSearching() {
        let twoFF = minimal(Gen.bytes(), seeds: 0..<20) { b in b.filter { $0 == 0xFF }.count >= 2 }
        #expect(twoFF == Array(repeating: [0xFF, 0xFF], count: 20))
        let sevenFs = minimal(Gen.bytes(), seeds: 0..<20) { b in b.filter { $0 == 0x7F }.count >= 3 }
        #expect(sevenFs == Array(repeating: [0x7F, 0x7F, 0x7F], count: 20))
    }

    /// A byte-wide integer takes its bounds' neighbours (1 and 254) as edge
    /// values while searching, as wider words do, not only its bounds: nonzero
    /// bytes whose wrapping sum is 0 (`[1, 255]`) were found in 16 of 20 seeds
    /// of the shrink-quality problem, 19 now. In these 2,000 draws 1 and 254
    /// come up 54 and 49 times (9 and 8 without).
    @Test func aBytesBoundsNeighboursAreEdgeValuesWhileSearching() {
        var one = 0, belowMax = 0
        for seed in 0..<2000 as Range<UInt64> {
            let tc = TestCase(seed: seed, parameters: GenerationParameters(size: 1))
            guard let b = try? tc.draw(Gen.integers(of: UInt8.self)) else { continue }
            if b == 1 { one += 1 }
            if b == 254 { belowMax += 1 }
        }
        #expect(one >= 30 && belowMax >= 30, "1: \(one), 254: \(belowMax)")
    }

    @Test func doublesShrinkToIntegersThenSimpleFractions() {
        #expect(minimal(Gen.doubles()) { _ in true } == Array(repeating: 0.0, count: 5))
        #expect(minimal(Gen.doubles()) { $0 > 0.5 } == Array(repeating: 1.0, count: 5))
        #expect(minimal(Gen.doubles()) { $0 > 0 && $0 < 1 } == Array(repeating: 0.5, count: 5))
        #expect(minimal(Gen.doubles()) { $0 < -1000.25 } == Array(repeating: -1001.0, count: 5))
        #expect(minimal(Gen.doubles()) { $0.isInfinite } == Array(repeating: Double.infinity, count: 5))
        #expect(minimal(Gen.doubles()) { $0.isNaN }.allSatisfy { $0?.isNaN == true })
        #expect(minimal(Gen.doubles(in: 1.5...3)) { _ in true } == Array(repeating: 1.5, count: 5))
        #expect(minimal(Gen.doubles(allowNaN: false, allowInfinity: false)) { !$0.isFinite }.allSatisfy { $0 == nil })
        #expect(minimal(Gen.floats()) { $0 >= 3.25 } == Array(repeating: Float(4), count: 5))
    }

    /// Doubles in a range are spread over it while searching: a range of
    /// 0...10 gave its bounds and values below 2^-10 in two draws of three
    /// (half its values were negative, mapped to 0.0), and two values less
    /// than 0.5 apart in different cells of 0.5 were found in 4 seeds of 20.
    @Test func doublesInARangeAreSpreadOverIt() {
        var found = 0
        for seed in 0..<UInt64(20) {
            let report = checkProperty("near", Gen.zip(Gen.doubles(in: 0...10), Gen.doubles(in: 0...10)),
                                       configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) { p in
                try expect(!(abs(p.0 - p.1) < 0.5 && (p.0 / 0.5).rounded(.down) != (p.1 / 0.5).rounded(.down)))
            }
            if !report.passed { found += 1 }
        }
        #expect(found >= 18, "found in \(found) seeds of 20")
        var middle = 0
        _ = checkProperty("spread", Gen.doubles(in: 0...10), configuration: PropertyConfiguration(maxExamples: 200, seed: 1)) { x in
            if x > 1 && x < 9 && x != x.rounded() { middle += 1 }
        }
        #expect(middle >= 40, "\(middle) of 200 strictly inside and not whole")
    }

    /// Doubles in a range include the values next to its bounds, inside it:
    /// a page check off by a little ("x and x + 0.5 fall in one 4 KiB page",
    /// over 0...8192) fails only within half a unit of a page's end, and
    /// was found in 3 seeds of 20; and the shrink keeps the integer part
    /// when only the fraction can go (4095.5, not 4095.75 or 4095.96875).
    @Test func doublesInARangeReachTheValuesNextToItsBounds() {
        var seen = Set<Double>()
        _ = checkProperty("bounds", Gen.doubles(in: 0...8192), configuration: PropertyConfiguration(maxExamples: 400, seed: 3)) { x in
            seen.insert(x)
        }
        #expect(seen.contains(Double(8192).nextDown) && seen.contains(Double(0).nextUp))
        var seenFloats = Set<Float>()
        _ = checkProperty("float bounds", Gen.floats(in: 1...2), configuration: PropertyConfiguration(maxExamples: 400, seed: 3)) { x in
            seenFloats.insert(x)
        }
        #expect(seenFloats.contains(Float(2).nextDown) && seenFloats.contains(Float(1).nextUp))
        for seed in 0..<UInt64(20) {
            let report = checkProperty("page", Gen.doubles(in: 0...8192), configuration: PropertyConfiguration(maxExamples: 1000, seed: seed)) { x in
                try expect((x / 4096).rounded(.down) == ((x + 0.5) / 4096).rounded(.down))
            }
            #expect(report.counterexampleValue(as: Double.self) == 4095.5, "seed \(seed): \(report)")
        }
    }

    /// A filter that small values fail: the size ramp grew with the examples
    /// that passed only, so it stayed where only the range's bounds pass,
    /// and the run tried 1000 and 999 alone (and passed) in every seed.
    @Test func aFilterThatSmallValuesFailStillReachesTheRange() {
        let big = Gen.integers(in: 0...1000).filter { $0 > 900 }
        for seed in 0..<UInt64(5) {
            var seen = Set<Int64>()
            let report = checkProperty("big", big, configuration: PropertyConfiguration(maxExamples: 100, seed: seed)) { x in
                seen.insert(x)
            }
            #expect(report.passed && seen.count >= 30, "seed \(seed): \(seen.count) distinct")
            let failing = checkProperty("ends in 5", big, configuration: PropertyConfiguration(maxExamples: 100, seed: seed)) { x in
                try expect(x % 10 != 5)
            }
            #expect(failing.counterexample?.value == "905", "seed \(seed): \(failing)")
        }
    }

    /// Signed zeros at a range's bound: -0.0 is below 0.0. A range from -0.0
    /// shrinks to 0.0 (it gave -0.0, as `max` kept the bound), a range up to
    /// -0.0 never gives 0.0 (it did), and a range from 0.0 never gives -0.0.
    @Test func aZeroBoundOrdersTheSignedZeros() throws {
        #expect(minimal(Gen.doubles(in: -0.0...5)) { _ in true }.allSatisfy { $0?.bitPattern == (0.0).bitPattern })
        #expect(minimal(Gen.doubles(in: -0.0...0.0)) { _ in true }.allSatisfy { $0?.bitPattern == (0.0).bitPattern })
        #expect(minimal(Gen.doubles(in: -0.0...0.0)) { $0.sign == .minus }.allSatisfy { $0?.bitPattern == (-0.0).bitPattern })
        #expect(minimal(Gen.doubles(in: -5 ... -0.0)) { _ in true }.allSatisfy { $0?.bitPattern == (-0.0).bitPattern })
        for seed in 0..<UInt64(200) {
            let up = try TestCase(seed: seed).draw(Gen.doubles(in: -5 ... -0.0))
            let down = try TestCase(seed: seed).draw(Gen.doubles(in: 0.0...5))
            #expect(up.sign == .minus && down.sign == .plus, "seed \(seed): \(up) \(down)")
        }
    }

    /// A searched value that a range or the options map elsewhere records the
    /// simplest code giving that value, so its shrink starts there: replaying
    /// the recorded choices gives the same value, and no simpler code does.
    @Test func mappedDoublesRecordTheirSimplestCode() throws {
        let generators = [Gen.doubles(in: 1...9), Gen.doubles(in: -9 ... -1), Gen.doubles(in: 0.25...0.75),
                          Gen.doubles(allowNaN: false, allowInfinity: false)]
        for (g, generator) in generators.enumerated() {
            var atBound = 0
            for seed in 0..<UInt64(400) {
                let tc = TestCase(seed: seed)
                let value = try tc.draw(generator)
                let recorded = tc.sequence.values
                #expect(try TestCase(replaying: recorded).draw(generator).bitPattern == value.bitPattern)
                guard case .integer(let code) = recorded[1] else { Issue.record("no code"); continue }
                let lex = UInt64(bitPattern: code) ^ (1 << 63)
                if value.magnitude == 9 || value.magnitude == 0.25 || value.magnitude == 0.75
                    || value.magnitude == .greatestFiniteMagnitude {
                    // At a bound: the next simpler code gives another value.
                    atBound += 1
                    if lex > 0 {
                        let simpler = recorded[0...0] + [.integer(Int64(bitPattern: (lex - 1) ^ (1 << 63)))]
                        let other = try TestCase(replaying: Array(simpler)).draw(generator)
                        #expect(other.bitPattern != value.bitPattern, "generator \(g), seed \(seed): \(value) from code \(lex)")
                    }
                }
            }
            #expect(atBound > 0, "generator \(g) never reached a bound")
        }
        // A float records the code of its own value, not of the double it was rounded from.
        var rounded = 0
        for seed in 0..<UInt64(400) {
            let tc = TestCase(seed: seed)
            let value = try tc.draw(Gen.floats())
            guard !value.isNaN, case .integer(let code) = tc.sequence.values[1] else { continue }
            let lex = UInt64(bitPattern: code) ^ (1 << 63)
            if value != value.rounded() { rounded += 1 }
            // The value's own code, or (a bound's) a simpler integer code.
            #expect(FloatLex.double(lex: lex) == Double(value.magnitude) || lex < 1 << 63, "seed \(seed): \(value) from code \(lex)")
        }
        #expect(rounded > 0)
    }

    /// A code read back (replayed, as the shrinker's candidates are) is
    /// recorded as the simplest code of its value, and that code is
    /// recorded as itself: a lowering that leaves the value as it was is
    /// never an improvement.
    @Test func replayedDoubleCodesAreRecordedAsTheirValuesSimplest() throws {
        func recordedCode(_ generator: Generator<Double>, lex: UInt64) throws -> (value: Double, lex: UInt64) {
            let tc = TestCase(replaying: [.boolean(false), .integer(Int64(bitPattern: lex ^ (1 << 63)))])
            let value = try tc.draw(generator)
            guard case .integer(let code) = tc.sequence.values[1] else {
                Issue.record("no code")
                return (value, 0)
            }
            return (value, UInt64(bitPattern: code) ^ (1 << 63))
        }
        // Past a range's bound: the bound's simplest code (its integer's).
        let bounded = try recordedCode(Gen.doubles(in: 1...9), lex: FloatLex.lex(1e300))
        #expect(bounded.value == 9 && bounded.lex == 9)
        // An integer stored as an exponent and a mantissa: the integer's code.
        let two = 1 << 63 | UInt64(FloatLex.exponentIndex[FloatLex.bias + 1]) << 52
        #expect(FloatLex.double(lex: two) == 2)
        let integral = try recordedCode(Gen.doubles(), lex: two)
        #expect(integral.value == 2 && integral.lex == 2)
        // An integer code the double rounds (2^53 + 1 is 2^53, 2^53 + 3 is
        // 2^53 + 4): the double's own code, even when it is the greater.
        let rounded = try recordedCode(Gen.doubles(), lex: (1 << 53) + 1)
        #expect(rounded.value == 0x1p53 && rounded.lex == 1 << 53)
        let roundedUp = try recordedCode(Gen.doubles(), lex: (1 << 53) + 3)
        #expect(roundedUp.value == 0x1p53 + 4 && roundedUp.lex == (1 << 53) + 4)
        // A float rounded down: the float's own code. One rounded up keeps its
        // code (no code of the value is simpler and named).
        let above = try recordedCode(Gen.floats().map { Double($0) }, lex: FloatLex.lex(Double(Float(1e30)) + 0x1p70))
        #expect(above.value == Double(Float(1e30)) && above.lex == FloatLex.lex(Double(Float(1e30))))
        let below = FloatLex.lex(Double(Float(1e30)) - 0x1p70)
        #expect(try recordedCode(Gen.floats().map { Double($0) }, lex: below).lex == below)
        // Each recorded code is recorded as itself when replayed.
        for (generator, lex) in [(Gen.doubles(in: 1...9), bounded.lex), (Gen.doubles(), integral.lex), (Gen.doubles(), rounded.lex)] {
            #expect(try recordedCode(generator, lex: lex).lex == lex)
        }
    }

    /// A filter's rejected attempts are dropped once one is accepted: the
    /// values without them replay to the same value, and a filter that
    /// rejects every attempt drops nothing.
    @Test func filterRejectedAttemptsAreDropped() throws {
        let generator = Gen.integers(in: 0...100).filter(attempts: 20) { $0 > 90 }
        var rejections = 0
        for seed in 0..<UInt64(50) {
            let tc = TestCase(seed: seed)
            guard let value = try? tc.draw(generator) else { continue }
            guard let without = tc.valuesWithoutDropped else {
                #expect(tc.sequence.values.count == 1, "seed \(seed): a first attempt accepted drops nothing")
                continue
            }
            rejections += 1
            #expect(without.count == 1 && without.count < tc.sequence.values.count)
            #expect(try TestCase(replaying: without).draw(generator) == value)
        }
        #expect(rejections > 0)
        let rejectsAll = TestCase(replaying: [.integer(1), .integer(2), .integer(3)])
        #expect(throws: (any Error).self) { try rejectsAll.draw(Gen.integers(in: 0...100).filter(attempts: 3) { $0 > 90 }) }
        #expect(rejectsAll.valuesWithoutDropped == nil)
    }

    @Test func setsDictionariesAndUniqueArrays() {
        #expect(minimal(Gen.uniqueArrays(of: Gen.integers())) { $0.count >= 3 } == Array(repeating: [0, 1, -1], count: 5))
        #expect(minimal(Gen.sets(of: Gen.integers())) { $0.count >= 3 } == Array(repeating: [0, 1, -1], count: 5))
        #expect(minimal(Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.strings())) { $0.count >= 2 }
                == Array(repeating: [0: "", 1: ""], count: 5))
        #expect(minimal(Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers())) { $0.values.contains { $0 > 7 } }
                == Array(repeating: [0: 8], count: 5))
        // Sets and dictionaries print sorted, whatever the hash order.
        let report = checkProperty("set report", Gen.sets(of: Gen.integers()), configuration: PropertyConfiguration(seed: 1)) {
            try expect($0.count < 3)
        }
        #expect(report.counterexample?.value == "Set([-1, 0, 1])")
    }

    @Test func casesAndFixedWidthIntegers() {
        #expect(minimal(Gen.cases(of: Suit.self)) { _ in true } == Array(repeating: .clubs, count: 5))
        #expect(minimal(Gen.cases(of: Suit.self)) { $0 != .clubs } == Array(repeating: .diamonds, count: 5))
        #expect(minimal(Gen.integers(of: UInt8.self)) { $0 >= 200 } == Array(repeating: 200, count: 5))
        #expect(minimal(Gen.integers(of: Int8.self)) { $0 <= -100 } == Array(repeating: -100, count: 5))
        #expect(minimal(Gen.integers(of: UInt32.self)) { _ in true } == Array(repeating: 0, count: 5))
        #expect(minimal(Gen.integers(of: UInt32.self, in: 10...20)) { _ in true } == Array(repeating: 10, count: 5))
        #expect(minimal(Gen.integers(of: Int.self)) { $0 > 1_000_000 } == Array(repeating: 1_000_001, count: 5))
        let big = UInt64(1) << 63 + 5
        #expect(minimal(Gen.integers(of: UInt64.self)) { $0 >= big } == Array(repeating: big, count: 5))
        #expect(minimal(Gen.integers(of: UInt64.self)) { _ in true } == Array(repeating: 0, count: 5))
    }
}

@Suite struct UniqueCollectionLimitTests {
    @Test func aSmallElementSpaceEndsTheCollectionOrDiscardsTheExample() {
        // Two distinct booleans exist: a set of at least three is never possible.
        let report = checkProperty("too few values", Gen.sets(of: Gen.booleans(), count: 3...10),
                                   configuration: PropertyConfiguration(maxExamples: 5, seed: 1)) { _ in }
        #expect(report.problem?.contains("duplicate elements in a row") == true)
        // Up to two is fine: the collection ends after the duplicates.
        let fine = checkProperty("two values", Gen.sets(of: Gen.booleans(), count: 0...10),
                                 configuration: PropertyConfiguration(maxExamples: 50, seed: 1)) { s in try expect(s.count <= 2) }
        #expect(fine.passed)
    }
}
