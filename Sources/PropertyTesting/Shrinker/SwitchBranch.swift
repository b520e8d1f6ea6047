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
// Before those, one candidate draws the earlier alternative at its simplest
// and keeps everything after the one-of as it was (`TestCase.replaySuffix`):
// in a list, a random tail changed every later element too. Table keys, an
// integer or a double hashed by its bits (`float_key_hashed_by_bits_equals_int`),
// stopped at `[real 0.0, real -0.0]` in 4 seeds of 20 where `[int 0, real
// -0.0]` fails; 18 reach the minimum now (14 before). Over the
// shrink-quality suite, with `divideTogether` of the same round, 37 rows
// fell by half a call to 6 and two with one-ofs rose by a call. It
// replaces the first random try: as a third try it cost more calls than it
// saved (50.5 median calls more over the suite), and the one random try
// left is the one that was first, so `('text', '00')` still reaches
// `('int', 100)` (a random integer of at
// least 100) in 20 seeds of 20; with the second random try left instead, 7.
//
// An optional (a one-of of none and the value) goes to none with the
// value's draws deleted and the rest of the example kept, one candidate
// and no random tails: none draws nothing, so the rest still reads as it
// did. A validity bitmap read with the wrong shift, a list of optionals,
// ended at `[None ×4, 0 ×5]` in every seed, where the fifth element as None
// keeps the failure (0 to 20 of 20 seeds; `linear_probe_delete_stops_at_home`
// 6 calls more, two rows up to 2). Deleting the old alternative's draws
// for every one-of cost 15 rows one to three calls each and moved no final.
//
// Only for a one-of with no one-of nested inside it: a recursive union
// (expressions, trees) is simplified by `replaceWithDescendant`, and fresh
// random subtrees there cost calls without helping.
//
// `switchRuleDroppingArgument` (a last resort) does the same for a
// state-machine step's rule, without fresh contents: the first enabled rule
// with the step's last argument deleted (for the step the run failed in,
// every other enabled rule too). A write-back cache whose read hit
// cleans the line stopped at `write(0, 1); read(0); write(key: 2, value: 0);
// read(0)` in 11 of 20 seeds, where `read(key: 2)` is simpler; lowered
// alone, the rule read the 0 over as "no more steps". It cost four machine
// rows one call more at their minimum.
//
// Invariant: a candidate is adopted only by `considerRun` (`consider` for a
// rule), which keeps the failure kind and requires a shortlex-smaller
// sequence. Deterministic: the random tails are seeded from the position,
// the alternative and the try.

extension Shrinker {
    /// Candidates tried per earlier alternative: the simplest one with the
    /// rest kept, then random tails.
    static let branchTries = 2

    /// The one-of span whose branch index is choice `index`, when it holds no nested one-of.
    func flatUnion(at index: Int) -> Span? {
        let unionLabels = ["oneOf", "weighted", "optional"]
        guard index >= 0, index < spansStarting.count,
              let first = spansStarting[index].first(where: { unionLabels.contains(spans[$0].label) }) else { return nil }
        let span = spans[first]
        let nested = spans.contains { unionLabels.contains($0.label) && $0.start > span.start && $0.end <= span.end }
        return nested ? nil : span
    }

    /// Tries each earlier alternative of the one-of whose index is choice `index`.
    func switchBranch(at index: Int) -> Bool {
        guard let union = flatUnion(at: index), case .integer(let c) = choices[index].kind,
              case .integer(let v) = choices[index].value else { return false }
        let rank = c.rank(of: v)
        guard rank > 0 else { return false }
        // An optional's none draws nothing: the value's draws go and the
        // rest stays (lowered alone, the branch left them to be read as the
        // rest, and a list of optionals ended there).
        if union.label == "optional" {
            return consider(replacing(index..<union.end, with: [.integer(c.simplest)]))
        }
        let prefix = Array(values[..<index])
        for r in 0..<rank where !exhausted {
            // Attempt -1 is the simplest alternative with the rest kept.
            for attempt in -1..<(Self.branchTries - 1) where !exhausted {
                let seed = RandomSource.derive(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15 ^ r, index: UInt64(max(attempt, 0)))
                let tc = TestCase(seed: seed, parameters: GenerationParameters(size: 0.1))
                tc.replayPrefix = prefix + [.integer(c.value(atRank: r))]
                if attempt < 0 {
                    tc.replaySuffix = (union.start, union.depth, Array(values[union.end...]))
                    tc.simplestBeforeSuffix = true
                }
                if considerRun(tc) { return true }
            }
        }
        return false
    }

    /// Tries the other value of a boolean that a `flatMap` binds on (the
    /// first choice of a bind span, its left side's only one), with what
    /// the bind draws on the other side, and everything after it, drawn at
    /// random as for a one-of's earlier alternative; `considerRun` keeps
    /// only a simpler example. Flipped alone, the other side reads the first
    /// side's choices as its own. `true` is tried too: a string is a
    /// collection of characters, so `Gen.booleans().flatMap` choosing an
    /// integer (on `true`) or a string stopped at `('text', '000')` in 4 of
    /// 20 seeds, where `('int', 10)` is simpler (two choices, not eight).
    func switchBind(at index: Int) -> Bool {
        guard index < values.count, case .boolean(let b) = values[index],
              let bind = spans.firstIndex(where: { $0.start == index && $0.label.hasSuffix(".bind") }),
              spans.contains(where: { $0.parent == bind && $0.range == index..<(index + 1) }),
              b || spans[bind].count > 2 else { return false }
        let prefix = Array(values[..<index])
        for attempt in 0..<Self.branchTries where !exhausted {
            let seed = RandomSource.derive(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15 ^ 0xB001, index: UInt64(attempt))
            let tc = TestCase(seed: seed, parameters: GenerationParameters(size: 0.1))
            tc.replayPrefix = prefix + [.boolean(!b)]
            if considerRun(tc) { return true }
        }
        return false
    }
}

extension Shrinker {
    /// Last resort: each state-machine step whose rule is not the first
    /// enabled one and that drew arguments, run as the first enabled rule
    /// with its last argument deleted. Lowered alone, the rule reads the
    /// old rule's arguments as its own, and a rule with fewer arguments
    /// leaves one over, which the next step reads as its flag.
    func switchRuleDroppingArgument() -> Bool {
        var progress = false
        var s = 0
        while s < spans.count, !exhausted {
            let span = spans[s]
            s += 1
            let rule = span.start + 1
            guard span.label == Self.stepLabel, span.count >= 3, case .integer(let c) = choices[rule].kind,
                  case .integer(let v) = values[rule] else { continue }
            var candidate = values
            candidate.remove(at: span.end - 1)
            candidate[rule] = .integer(c.simplest)
            if v != c.simplest, consider(candidate) { progress = true; continue }
            // The step the run failed in: every other enabled rule too, in
            // the order of their indices, each one choice shorter than the
            // step was (a file whose truncate leaves stale bytes stopped at
            // `...; write(offset: 1, value: 0)` in 7 seeds of 20, where
            // `truncate(size: 1)`, a later rule, is simpler; an allocator
            // at `...; realloc(block: v1, size: 1)` in 10, where `free(block:
            // v1)` is).
            guard let failing = best.failureSpan, failing < spans.count, spans[failing].range == span.range else { continue }
            for r in c.min...c.max where r != v && r != c.simplest && !exhausted {
                candidate[rule] = .integer(r)
                if consider(candidate) { progress = true; break }
            }
        }
        return progress
    }
}

extension Shrinker {
    /// Last resort: each one-of with a one-of nested inside it (a recursive
    /// union: JSON values, trees) moved to an earlier alternative with one
    /// of the next `realignDeletions` choices deleted. The alternatives of
    /// a recursive union often hold the same sub-values behind different
    /// headers (an object's members carry a key, an array's elements do
    /// not; a leaf's branch is one choice fewer than an empty node's), so
    /// lowered alone the index reads the old header as contents, and
    /// `replaceWithDescendant` drops the header with the node around it.
    /// Canonical JSON sorting only the top level's keys stopped at
    /// `{0: {0: None, 1: None}}` in 8 seeds of 20 and at `{0: {0: [], 1:
    /// None}}` in 2, where `[{0: None, 1: None}]` is simpler: 10 to 20 of
    /// 20, for 4 more median calls there and one on two other rows. Each
    /// candidate is adopted only by `consider` (the failure kept, shortlex
    /// smaller).
    func switchRecursiveBranchRealigning() -> Bool {
        let unionLabels = ["oneOf", "weighted"]
        var progress = false
        var isNode = recursiveNodes()
        var s = 0
        while s < spans.count, !exhausted {
            let span = spans[s]
            s += 1
            let index = span.start
            guard index < choices.count, case .integer(let c) = choices[index].kind, c.min == 0,
                  case .integer(let v) = values[index] else { continue }
            // A one-of holding a one-of, or a node of a `Gen.recursive`
            // (its span, with the user's label, starts at its one-of's
            // index, and it nests in another of its label or holds one).
            let isUnion = unionLabels.contains(span.label)
            guard isUnion ? flatUnion(at: index) == nil : isNode[s - 1] else { continue }
            let rank = c.rank(of: v)
            guard rank > 0 else { continue }
            // Only a header choice goes (a key, a flag, the inner one-of's
            // index), never one of a nested node's: deleting inside an
            // operand garbles it, and an expression at its minimum paid a
            // call for such candidates.
            var inNested = [Bool](repeating: false, count: min(Self.realignDeletions, span.count - 1))
            for t in s..<spans.count where spans[t].start < span.end {
                let inner = spans[t]
                guard inner.range != span.range,
                      isUnion ? unionLabels.contains(inner.label) || isNode[t] : inner.label == span.label else { continue }
                for k in inNested.indices where inner.range.contains(index + 1 + k) { inNested[k] = true }
            }
            var adopted = false
            for r in 0..<rank where !adopted && !exhausted {
                for d in 1...Self.realignDeletions where index + d < span.end && !inNested[d - 1] && !adopted && !exhausted {
                    var candidate = values
                    candidate[index] = .integer(c.value(atRank: r))
                    candidate.remove(at: index + d)
                    adopted = consider(candidate)
                }
            }
            if adopted { progress = true; s -= 1; isNode = recursiveNodes() }
        }
        return progress
    }

    /// For each span, whether it nests in a span of its label or holds one,
    /// the label being `Gen.recursive`'s default or a user's: a tuple in a
    /// tuple or a list in a list nests in its label without being a node.
    func recursiveNodes() -> [Bool] {
        var nodes = [Bool](repeating: false, count: spans.count)
        for (k, span) in spans.enumerated() where span.label == "recursive" || Statistics.isUserLabel(span.label) {
            var parent = span.parent
            while let p = parent, p < spans.count {
                if spans[p].label == span.label { nodes[k] = true; nodes[p] = true }
                parent = spans[p].parent
            }
        }
        return nodes
    }

    /// Choices after a lowered recursive union's index that
    /// `switchRecursiveBranchRealigning` tries deleting, one at a time.
    static let realignDeletions = 3
}
