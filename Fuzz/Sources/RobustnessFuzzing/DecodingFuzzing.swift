// What the `decoding` fuzz target runs: the engine's decoding, replay and
// shrinking of arbitrary bytes, through generators that a crafted input can
// push to their limits: recursive and self-referential ones, byte strings and
// collections without a useful upper bound, filters, binds and weights.
//
// The oracle: nothing crashes or hangs; an input that decodes replays from its
// canonical bytes to the same choices and outcome; replay strings round-trip;
// a shrunk failure still fails with the same kind.

import PropertyTesting

public enum DecodingFuzzing {
    /// A value built from every kind of generator.
    indirect enum Tree: Sendable {
        case number(Int64)
        case bytes([UInt8])
        case flag(Bool)
        case list([Tree])
        case pair(Tree, Tree)
        case maybe(Tree?)

        /// Whether any number in the tree is above `bound` (the shrinking target's failure).
        func hasNumber(above bound: Int64) -> Bool {
            switch self {
            case .number(let n): return n > bound
            case .bytes, .flag: return false
            case .list(let items): return items.contains { $0.hasNumber(above: bound) }
            case .pair(let a, let b): return a.hasNumber(above: bound) || b.hasNumber(above: bound)
            case .maybe(let t): return t?.hasNumber(above: bound) ?? false
            }
        }
    }

    /// Keeps the self-referential generator alive while `withTree` runs; the
    /// generator refers back to it without owning it, so there is no cycle.
    /// (Rebuilding the generator at every level, or a global one, are the
    /// alternatives: five times slower, and a global's captured objects are
    /// reported by LeakSanitizer, which cannot follow every Swift reference.)
    final class TreeHolder: @unchecked Sendable {
        var generator: Generator<Tree>?
    }

    /// Runs `body` with a generator that is self-referential through
    /// `Gen.lazy` and has no depth bound of its own.
    static func withTree<R>(_ body: (Generator<Tree>) throws -> R) rethrows -> R {
        let holder = TreeHolder()
        let tree = makeTree(holder)
        holder.generator = tree
        return try withExtendedLifetime(holder) { try body(tree) }
    }

    private static func makeTree(_ holder: TreeHolder) -> Generator<Tree> {
        let sub = Gen.lazy { [unowned holder] in holder.generator.unsafelyUnwrapped }
        return Gen.oneOf(
            Gen.integers().map { .number($0) },
            Gen.bytes(count: 0...Int.max).map { .bytes($0) },
            Gen.booleans().map { .flag($0) },
            Gen.arrays(of: sub, count: 0...Int.max).map { .list($0) },
            Gen.zip(sub, sub).map { .pair($0.0, $0.1) },
            Gen.optional(sub).map { .maybe($0) },
            Gen.weighted([(weight: 1, generator: sub), (weight: Int.max / 2, generator: Gen.just(.flag(true)))]),
            Gen.ints(in: 0...3).flatMap { n in Gen.arrays(of: Gen.bytes(count: 0...(1 << 62)), count: n...n) }
                .map { .list($0.map { .bytes($0) }) },
            sub.filter { if case .flag = $0 { return false } else { return true } })
    }

    /// `Gen.recursive` with a depth bound no input should reach.
    static let deep: Generator<Tree> = Gen.recursive(
        maxDepth: 1_000_000, base: Gen.integers(in: -5...5).map { .number($0) },
        extend: { inner in Gen.arrays(of: inner, count: 1...Int.max).map { .list($0) } })

    /// Collections whose counts come from the input, nested.
    static let collections: Generator<[[[UInt8]]]> =
        Gen.arrays(of: Gen.arrays(of: Gen.bytes(count: 0...Int.max), count: 0...Int.max), count: 0...Int.max)

    /// The shrinking body's failure. It names its own kind and message: the
    /// engine's default, the type's name by reflection, allocates a string in
    /// the Swift runtime that LeakSanitizer reports as leaked.
    struct Failure: FailureKindProviding, CustomStringConvertible {
        var failureKind: String { "number above 1000" }
        var description: String { "a number above 1000" }
    }

    /// Decodes, replays and shrinks `bytes`; a description of what went wrong, or nil.
    public static func run(_ bytes: [UInt8]) -> String? {
        withTree { tree in run(bytes, tree: tree) }
    }

    private static func run(_ bytes: [UInt8], tree: Generator<Tree>) -> String? {
        let bodies: [(name: String, body: (TestCase) throws -> Void)] = [
            ("tree", { tc in _ = try tc.draw(tree) }),
            ("recursive", { tc in _ = try tc.draw(deep) }),
            ("collections", { tc in _ = try tc.draw(collections) }),
        ]
        for (name, body) in bodies {
            let first = runOnce(bytes: bytes, body)
            guard first.outcome == .passed else { continue }
            let again = runOnce(bytes: first.bytes, body)
            if again.outcome != .passed || again.choices != first.choices {
                return "\(name): the canonical bytes of a decoded input replay to \(again.outcome) with "
                    + "\(again.choiceCount) choices, not to the same \(first.choiceCount) choices"
            }
        }

        // Replay strings: any bytes round-trip; any text decodes or is refused with an error.
        let replay = ReplayString.encode(bytes)
        guard (try? ReplayString.decode(replay)) == bytes else { return "the replay string \(replay) does not decode back" }
        _ = try? ReplayString.decode(String(decoding: bytes, as: UTF8.self))

        // Shrinking a failure: the result must still fail, with the same kind.
        let failing: (TestCase) throws -> Void = { tc in
            if try tc.draw(tree).hasNumber(above: 1000) { throw Failure() }
        }
        if let shrunk = shrink(bytes: bytes, maxCalls: 40, failing) {
            let replayed = runOnce(bytes: shrunk.bytes, failing)
            guard case .failed(let kind, _) = replayed.outcome, kind == shrunk.failureKind else {
                return "a shrunk failure replays to \(replayed.outcome), not to a failure of kind \(shrunk.failureKind)"
            }
        }
        return nil
    }
}
