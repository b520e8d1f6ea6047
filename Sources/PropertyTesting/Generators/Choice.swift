// Choosing between generators: one-of, weighted, optional, recursive.
//
// The branch is an integer choice shrinking towards the first alternative,
// so list the simplest alternative first.

extension Gen {
    /// One of `alternatives`, uniformly while searching.
    public static func oneOf<T>(_ alternatives: [Generator<T>]) -> Generator<T> {
        precondition(!alternatives.isEmpty, "oneOf needs at least one generator")
        let c = IntegerConstraints(min: 0, max: Int64(alternatives.count - 1))
        return Generator(label: "oneOf") { tc in
            try tc.draw(alternatives[Int(try tc.drawInteger(c))])
        }
    }

    public static func oneOf<T>(_ alternatives: Generator<T>...) -> Generator<T> { oneOf(alternatives) }

    /// One of the alternatives with probability proportional to its weight
    /// while searching; shrinks towards the first.
    public static func weighted<T>(_ alternatives: [(weight: Int, generator: Generator<T>)]) -> Generator<T> {
        precondition(!alternatives.isEmpty && alternatives.allSatisfy { $0.weight > 0 }, "weights must be positive")
        let weights = alternatives.map(\.weight)
        let generators = alternatives.map(\.generator)
        var sum = 0
        for weight in weights {
            let (next, overflow) = sum.addingReportingOverflow(weight)
            precondition(!overflow, "weights must add up to at most Int.max")
            sum = next
        }
        let total = UInt64(sum)
        let c = IntegerConstraints(min: 0, max: Int64(alternatives.count - 1))
        return Generator(label: "weighted") { tc in
            let index = try tc.drawInteger(c) { random in
                var ticket = random.below(inclusive: total - 1)
                for (i, w) in weights.enumerated() {
                    if ticket < UInt64(w) { return Int64(i) }
                    ticket -= UInt64(w)
                }
                return Int64(weights.count - 1)
            }
            return try tc.draw(generators[Int(index)])
        }
    }

    /// `nil` or a value; shrinks towards `nil`.
    public static func optional<T>(_ wrapped: Generator<T>) -> Generator<T?> {
        oneOf(Generator<T?>(label: "none") { _ in nil }, wrapped.map { Optional($0) }).labeled("optional")
    }

    /// A recursive structure at most `maxDepth` levels of `extend` deep: at
    /// each level either a `base` value or `extend` applied to the next level.
    /// Every level carries the same label, so the shrinker can replace a
    /// structure by one of its own sub-structures. The deepest level draws
    /// its branch too, from `base` alone (a choice of one value: no
    /// randomness, no bytes), so that a sub-structure's choices read the
    /// same at every depth: a node from just above the deepest level, moved
    /// up to the root, read its leaves' choices as branches without it.
    /// (The rope whose index weighs only its leftmost leaf stopped a level
    /// too deep in 2 seeds of 20.)
    public static func recursive<T>(
        maxDepth: Int, label: String = "recursive", base: Generator<T>,
        extend: @escaping @Sendable (Generator<T>) -> Generator<T>
    ) -> Generator<T> {
        precondition(maxDepth >= 0, "maxDepth must be non-negative")
        if maxDepth == 0 { return oneOf(base).labeled(label) }
        return lazy { oneOf(base, extend(recursive(maxDepth: maxDepth - 1, label: label, base: base, extend: extend))) }
            .labeled(label)
    }
}
