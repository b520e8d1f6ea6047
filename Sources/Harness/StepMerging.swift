// A trace shrink pass the engine cannot make: a run of steps replaced by one
// step of another kind.
//
// The engine deletes and lowers choices. It never raises a tag, so it cannot
// turn `p1 = alloc_pages order=3` + `free_pages p1` into the one
// `alloc_pages_exact size=16385` whose trim makes the same merge, nor a
// second cache and an object of it into one kmalloc pointer that a
// `cache_free` to the first cache misuses just as well. Such traces are one or
// two steps longer than the minimum, a local minimum of deletion and lowering.
// This pass tries, for short traces, every run of two or three consecutive
// steps against one step of each tag of the profile, with a few argument
// draws from the search's own distributions; the steps after the run keep
// their bytes, so they mean what they meant wherever the handles they name
// survive (as after any deletion).

import PropertyTesting

enum StepMerging {
    /// Traces longer than this are left to the engine's deletions: the pass
    /// costs runs in proportion to the length times the profile's tags.
    static let maxOperations = 8
    /// Runs of this many consecutive steps are replaced, the widest first.
    static let widths = [3, 2]
    /// Argument draws per run and tag.
    static let draws: UInt64 = 4

    /// The first trace, in a fixed order, that replaces a run of `trace`'s
    /// steps by one step of a tag of `profile` and fails `judge` with the
    /// failure kind `kind`; nil when none does, or when `trace` is longer than
    /// `maxOperations` or cannot be encoded for `profile`. Every judged
    /// candidate counts one call; none is judged once `calls` reaches `budget`.
    /// Deterministic: the argument draws are seeded by position, width, tag
    /// and draw number.
    static func merge<S: AllocatorUnderTest>(_ trace: Trace, profile: Profile, kind: String, judge: Judge<S>,
                                             budget: Int, calls: inout Int) -> Trace? {
        let n = trace.operations.count
        guard n >= 2, n <= maxOperations, let values = try? trace.choiceValues(profile: profile) else { return nil }
        // The recorded choices (with their constraints, hence their bytes) and
        // where each step's choices start; `starts[n]` is the end tag's.
        let recorder = TestCase(replaying: values)
        guard (try? recorder.draw(Trace.generator(profile))) == trace else { return nil }
        let choices = recorder.choices
        var starts: [Int] = []
        var scopes: [Scope] = []
        var scope = Scope()
        for k in 0...n {
            let prefix = Trace(arena: trace.arena, operations: Array(trace.operations[..<k]))
            guard let count = try? prefix.choiceValues(profile: profile).count else { return nil }
            starts.append(count - 1)
            scopes.append(scope)
            if k < n { scope.apply(trace.operations[k], step: k + 1) }
        }
        var tried: Set<Trace> = [trace]
        for width in widths where width <= n {
            for first in 0...(n - width) {
                let tagChoice = choices[starts[first]]
                for (position, tag) in profile.tags.enumerated() {
                    for draw in 0..<draws {
                        guard calls < budget else { return nil }
                        let seed = RandomSource.derive(seed: UInt64(first << 16 | width << 8 | position), index: draw)
                        let drawing = TestCase(seed: seed)
                        guard (try? Trace.drawOperation(tag, profile: profile, arena: trace.arena, scope: scopes[first],
                                                        step: first + 1, drawing)) != nil else { continue }
                        let merged = Array(choices[..<starts[first]])
                            + [Choice(kind: tagChoice.kind, value: .integer(Int64(position + 1)))]
                            + drawing.choices + Array(choices[starts[first + width]...])
                        let candidate = Trace.decode(ChoiceSequence(merged).bytes, profile: profile)
                        guard candidate.operations.count < n, tried.insert(candidate).inserted else { continue }
                        calls += 1
                        if judge.check(candidate)?.failureKind == kind { return candidate }
                    }
                }
            }
        }
        return nil
    }
}
