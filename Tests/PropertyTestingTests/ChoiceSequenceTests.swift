import Testing
@testable import PropertyTesting

@Suite struct ChoiceSequenceTests {
    static let constraints: [IntegerConstraints] = [
        IntegerConstraints(min: .min, max: .max),
        IntegerConstraints(min: 1, max: .max, simplest: 0),
        IntegerConstraints(min: -3, max: 10),
        IntegerConstraints(min: -32768, max: 32767),
        IntegerConstraints(min: 5, max: 5),
        IntegerConstraints(min: .min, max: -7, simplest: -100),
    ]

    @Test func ranksAreDenseAndOrderedBySimplicity() {
        let c = IntegerConstraints(min: -3, max: 10)
        let order = (0...c.maxRank).map { c.value(atRank: $0) }
        #expect(order == [0, 1, -1, 2, -2, 3, -3, 4, 5, 6, 7, 8, 9, 10])
        for v in c.min...c.max { #expect(c.value(atRank: c.rank(of: v)) == v) }
    }

    @Test(arguments: constraints) func rankRoundTripsAtEdgesAndRandomly(_ c: IntegerConstraints) {
        var random = RandomSource(seed: 7)
        var probes: [Int64] = [c.min, c.max, c.simplest]
        for _ in 0..<500 { probes.append(c.value(atRank: random.below(inclusive: c.maxRank))) }
        for v in probes {
            #expect(c.contains(v))
            #expect(c.value(atRank: c.rank(of: v)) == v)
        }
        #expect(c.rank(of: c.simplest) == 0)
        #expect(c.value(atRank: c.maxRank) == c.value(atRank: .max))
    }

    static let sample = Gen.zip(
        Gen.arrays(of: Gen.integers(in: -1000...1000), count: 0...20),
        Gen.optional(Gen.booleans()),
        Gen.bytes(count: 0...9),
        Gen.integers(),
        Gen.oneOf(Gen.ints(in: 0...3), Gen.ints(in: 100...200).map { $0 * 2 })
    )

    @Test func generatedValuesRespectBounds() throws {
        for seed in 0..<300 as Range<UInt64> {
            let tc = TestCase(seed: seed, parameters: GenerationParameters(size: Double(seed % 10) / 9))
            let (list, _, bytes, _, choice) = try tc.draw(Self.sample)
            #expect(list.count <= 20 && list.allSatisfy { -1000 <= $0 && $0 <= 1000 })
            #expect(bytes.count <= 9)
            #expect((0...3).contains(choice) || (200...400).contains(choice))
            for c in tc.choices { #expect(c.kind.permits(c.value)) }
        }
    }

    @Test func bytesRoundTripReproducesTheChoices() throws {
        for seed in 0..<200 as Range<UInt64> {
            let original = TestCase(seed: seed)
            let value = try original.draw(Self.sample)
            let replayed = TestCase(bytes: original.sequence.bytes)
            let again = try replayed.draw(Self.sample)
            #expect(replayed.choices == original.choices)
            #expect(String(describing: again) == String(describing: value))
        }
    }

    @Test func arbitraryBytesAlwaysDecode() throws {
        var random = RandomSource(seed: 99)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let tc = TestCase(bytes: bytes)
            _ = try tc.draw(Self.sample)
            for c in tc.choices { #expect(c.kind.permits(c.value)) }
        }
        // Empty input reads as the simplest choices.
        let (list, optional, bytes, n, choice) = try TestCase(bytes: []).draw(Self.sample)
        #expect(list.isEmpty && optional == nil && bytes.isEmpty && n == 0 && choice == 0)
    }

    @Test func sameSeedSameExampleDifferentSeedsDiffer() throws {
        let a = try TestCase(seed: 42).draw(Self.sample)
        let b = try TestCase(seed: 42).draw(Self.sample)
        #expect(String(describing: a) == String(describing: b))
        let distinct = Set((0..<20 as Range<UInt64>).map { String(describing: try! TestCase(seed: $0).draw(Self.sample)) })
        #expect(distinct.count > 15)
    }

    @Test func shortlexOrder() {
        let c = ChoiceKind.integer(IntegerConstraints(min: -10, max: 10))
        func seq(_ xs: [Int64]) -> ChoiceSequence { ChoiceSequence(xs.map { Choice(kind: c, value: .integer($0)) }) }
        #expect(seq([5]).isSimpler(than: seq([0, 0])))
        #expect(seq([0, 1]).isSimpler(than: seq([0, -1])))
        #expect(seq([1, 0]).isSimpler(than: seq([-1, 0])))
        #expect(!seq([1, 0]).isSimpler(than: seq([1, 0])))
    }
}
