// Pass step: move a one-of to an earlier alternative with fresh contents.
//
// Lowering a `Gen.oneOf` (or `Gen.weighted`) branch index on its own keeps
// the old branch's choices, which the earlier alternative reads as
// something else (a string's "another character" flags read as integers
// read as 0), so the failure is almost always lost: `("text", "00")` never
// becomes `("int", 100)` that way. Here the example is kept up to and
// including the lowered index and the rest is drawn at random, small, twice
// per earlier alternative (Hypothesis re-randomises after a lowered choice
// in the same way). What is adopted is then lowered by the other passes.
//
// Only for a one-of with no one-of nested inside it: a recursive union
// (expressions, trees) is simplified by `replaceWithDescendant`, and fresh
// random subtrees there cost calls without helping.
//
// Invariant: a candidate is adopted only by `considerRun`, which keeps the
// failure kind and requires a shortlex-smaller sequence. Deterministic: the
// random tails are seeded from the position, the alternative and the try.

extension Shrinker {
    /// Random tails tried per earlier alternative.
    static let branchTries = 2

    /// The one-of span whose branch index is choice `index`, when it holds no nested one-of.
    func flatUnion(at index: Int) -> Span? {
        let unionLabels = ["oneOf", "weighted"]
        guard let span = spans.first(where: { unionLabels.contains($0.label) && $0.start == index }) else { return nil }
        let nested = spans.contains { unionLabels.contains($0.label) && $0.start > span.start && $0.end <= span.end }
        return nested ? nil : span
    }

    /// Tries each earlier alternative of the one-of whose index is choice `index`.
    func switchBranch(at index: Int) -> Bool {
        guard flatUnion(at: index) != nil, case .integer(let c) = choices[index].kind,
              case .integer(let v) = choices[index].value else { return false }
        let rank = c.rank(of: v)
        guard rank > 0 else { return false }
        let prefix = Array(values[..<index])
        for r in 0..<rank where !exhausted {
            for attempt in 0..<Self.branchTries where !exhausted {
                let seed = RandomSource.derive(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15 ^ r, index: UInt64(attempt))
                let tc = TestCase(seed: seed, parameters: GenerationParameters(size: 0.1))
                tc.replayPrefix = prefix + [.integer(c.value(atRank: r))]
                if considerRun(tc) { return true }
            }
        }
        return false
    }
}
