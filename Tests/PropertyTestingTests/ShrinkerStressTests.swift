import Testing
@testable import PropertyTesting

/// Shrinks of properties whose failures follow no pattern, over generators
/// of many shapes drawn at random: what a user's property is to the
/// shrinker when nobody tuned for it. Each must end without a trap, at an
/// example that still fails, the same way on every run with the same seed,
/// within its call budget. (Two out-of-range reads that only a shortened
/// binary heap reached were found this way; see `ShortenedExampleTests`.)
@Suite struct ShrinkerStressTests {
    /// A generator's shape, drawn from a plain SplitMix64 stream (not from a
    /// generator, so the engine's search does not pick the shapes).
    indirect enum Shape {
        case integer(ClosedRange<Int64>), double, boolean, bytes, text, character
        case array(Shape, ClosedRange<Int>), unique(Shape), set(Shape), dictionary(Shape)
        case pair(Shape, Shape), triple(Shape, Shape, Shape), oneOf(Shape, Shape), optional(Shape)
        case sized(Shape), tree, filtered(Shape)
    }

    /// The shapes' stream.
    struct Stream {
        var state: UInt64
        mutating func below(_ n: Int) -> Int { Int(RandomSource.splitMix(&state) % UInt64(n)) }
    }

    static let ranges: [ClosedRange<Int64>] = [0...1, 0...10, -5...5, 0...1000, -1_000_000...1_000_000, Int64.min...Int64.max, 100...200]

    static func shape(_ stream: inout Stream, depth: Int) -> Shape {
        let leaves = 6
        let pick = depth >= 3 ? stream.below(leaves) : stream.below(leaves + 11)
        switch pick {
        case 0: return .integer(ranges[stream.below(ranges.count)])
        case 1: return .double
        case 2: return .boolean
        case 3: return .bytes
        case 4: return .text
        case 5: return .character
        case 6, 7: return .array(shape(&stream, depth: depth + 1), [0...Int.max, 1...5, 3...Int.max][stream.below(3)])
        case 8: return .unique(.integer(ranges[stream.below(ranges.count)]))
        case 9: return .set(shape(&stream, depth: depth + 1))
        case 10: return .dictionary(shape(&stream, depth: depth + 1))
        case 11, 12: return .pair(shape(&stream, depth: depth + 1), shape(&stream, depth: depth + 1))
        case 13: return .triple(shape(&stream, depth: depth + 1), shape(&stream, depth: depth + 1), shape(&stream, depth: depth + 1))
        case 14: return .oneOf(shape(&stream, depth: depth + 1), shape(&stream, depth: depth + 1))
        case 15: return [.optional(shape(&stream, depth: depth + 1)), .tree][stream.below(2)]
        default: return [.sized(shape(&stream, depth: depth + 1)), .filtered(shape(&stream, depth: depth + 1))][stream.below(2)]
        }
    }

    /// A generator of `shape`, each value described as a string (what the
    /// property hashes).
    static func generator(_ shape: Shape) -> Generator<String> {
        switch shape {
        case .integer(let range): return Gen.integers(in: range).map { "\($0)" }
        case .double: return Gen.doubles().map { "\($0.bitPattern)" }
        case .boolean: return Gen.booleans().map { $0 ? "T" : "F" }
        case .bytes: return Gen.bytes(count: 0...16).map { "\($0)" }
        case .text: return Gen.strings()
        case .character: return Gen.characters().map { String($0) }
        case .array(let element, let count): return Gen.arrays(of: generator(element), count: count).map { "[\($0.joined(separator: ","))]" }
        case .unique(let element): return Gen.uniqueArrays(of: generator(element)).map { "u\($0)" }
        case .set(let element): return Gen.sets(of: generator(element)).map { "s\($0.sorted())" }
        case .dictionary(let value):
            return Gen.dictionaries(keys: Gen.integers(in: 0...20), values: generator(value))
                .map { d in "d" + d.keys.sorted().map { "\($0):\(d[$0]!)" }.joined(separator: ",") }
        case .pair(let a, let b): return Gen.zip(generator(a), generator(b)).map { "(\($0.0),\($0.1))" }
        case .triple(let a, let b, let c): return Gen.zip(generator(a), generator(b), generator(c)).map { "(\($0.0),\($0.1),\($0.2))" }
        case .oneOf(let a, let b): return Gen.oneOf(generator(a).map { "a\($0)" }, generator(b).map { "b\($0)" })
        case .optional(let wrapped): return Gen.optional(generator(wrapped)).map { $0 ?? "nil" }
        case .sized(let element):
            // flatMap on the left: the count decides how many elements follow.
            let element = generator(element)
            return Gen.ints(in: 0...6).flatMap { n in Gen.arrays(of: element, count: n...n) }.map { "#\($0.count)\($0)" }
        case .tree:
            return Gen.recursive(maxDepth: 5, label: "tree", base: Gen.integers(in: 0...50).map { "\($0)" }) { inner in
                Gen.zip(inner, inner).map { "<\($0.0) \($0.1)>" }
            }
        case .filtered(let inner): return generator(inner).filter { $0.utf8.count % 3 != 1 }
        }
    }

    /// Shapes tried: 60, or `SHRINKER_STRESS_SHAPES` for a long hunt.
    static let shapeCount = PropertyConfiguration.environment("SHRINKER_STRESS_SHAPES").flatMap { Int($0) } ?? 60

    /// FNV-1a of the description: a failure with no pattern a pass could aim at.
    static func hash(_ s: String) -> UInt64 {
        s.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    @Test func chaoticPropertiesShrinkToAFailingExampleDeterministically() {
        var stream = Stream(state: 0x5EED)
        var failures = 0, runs = 0
        for shapeIndex in 0..<Self.shapeCount {
            let shape = Self.shape(&stream, depth: 0)
            let gen = Self.generator(shape)
            for modulus: UInt64 in [2, 5, 11] {
                let seed = UInt64(shapeIndex) &* 31 &+ modulus
                let fails = { (s: String) in Self.hash(s) % modulus == 0 }
                let configuration = PropertyConfiguration(maxExamples: 60, seed: seed, maxShrinkCalls: 400)
                let first = checkProperty("chaotic", gen, configuration: configuration) { try expect(!fails($0)) }
                let second = checkProperty("chaotic", gen, configuration: configuration) { try expect(!fails($0)) }
                runs += 1
                guard let example = first.counterexample else {
                    #expect(second.counterexample == nil, "shape \(shape), seed \(seed): failed on the second run only")
                    continue
                }
                failures += 1
                let value = example.typedValue(as: String.self)
                #expect(!example.isFlaky, "shape \(shape), seed \(seed)")
                #expect(value.map(fails) == true, "shape \(shape), seed \(seed): the minimal example \(example.value) passes")
                #expect(example.shrinkCalls <= 400, "shape \(shape), seed \(seed): \(example.shrinkCalls) calls")
                #expect(second.counterexample?.typedValue(as: String.self) == value
                        && second.counterexample?.shrinkCalls == example.shrinkCalls,
                        "shape \(shape), seed \(seed): another minimal example or call count on the same seed")
            }
        }
        // Most runs fail (a modulus of 2 or 5 is met within 60 examples), so
        // the shrinker really ran.
        #expect(failures > runs / 2, "\(failures) of \(runs)")
    }

    /// Shape 1051 of the long hunt (`SHRINKER_STRESS_SHAPES=1500`) at modulus
    /// 11: a double's lowering was adopted with an example that ended before
    /// the double's position, and the next line read the value there out of
    /// range (a crash, not a failure). Run alone here so that every CI run
    /// covers it.
    @Test func aDoubleWhoseLoweringShortensTheExamplePastItShrinks() {
        var stream = Stream(state: 0x5EED)
        for _ in 0..<1051 { _ = Self.shape(&stream, depth: 0) }
        let gen = Self.generator(Self.shape(&stream, depth: 0))
        let fails = { (s: String) in Self.hash(s) % 11 == 0 }
        let configuration = PropertyConfiguration(maxExamples: 60, seed: 1051 &* 31 &+ 11, maxShrinkCalls: 400)
        let report = checkProperty("chaotic", gen, configuration: configuration) { try expect(!fails($0)) }
        let value = report.counterexample?.typedValue(as: String.self)
        #expect(value.map(fails) == true)
        #expect(report.counterexample?.isFlaky == false)
    }

    /// A state machine whose check fails on a hash of the operations so far.
    final class Log { var entries: [String] = [] }

    @Test(arguments: [2, 3, 7] as [UInt64])
    func chaoticStateMachinesShrinkDeterministically(modulus: UInt64) {
        let machine = StateMachine<[String], Log>(
            model: { [] }, system: Log.init,
            rules: [
                .init("push") { model, log, step in
                    let x = try step.draw(Gen.ints(in: 0...9), "x")
                    model.append("p\(x)")
                    log.entries.append("p\(x)")
                    step.produce(x, into: "values")
                },
                .init("pop", precondition: { !$0.isEmpty }) { model, log, step in
                    let x = try step.pick(from: "values", as: Int.self, label: "value", remove: true)
                    model.append("o\(x)")
                    log.entries.append("o\(x)")
                },
                .init("mark") { model, log, _ in
                    model.append("m")
                    log.entries.append("m")
                },
            ],
            check: { model, log in
                try expect(model.count < 2 || Self.hash(log.entries.joined()) % modulus != 0, "\(log.entries)")
            })
        var failures = 0
        for seed: UInt64 in 0..<12 {
            let configuration = PropertyConfiguration(maxExamples: 40, seed: seed, maxShrinkCalls: 400)
            let first = machine.check("chaotic machine", configuration: configuration)
            let second = machine.check("chaotic machine", configuration: configuration)
            guard let example = first.counterexample else { continue }
            failures += 1
            #expect(!example.isFlaky, "seed \(seed)")
            #expect(example.shrinkCalls <= 400, "seed \(seed)")
            #expect(second.counterexample?.value == example.value && second.counterexample?.error == example.error,
                    "seed \(seed): another minimal example on the same seed")
        }
        #expect(failures >= 6, "\(failures) of 12 seeds failed")
    }
}
