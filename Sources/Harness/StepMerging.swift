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
// steps against one step of each tag of the profile: allocations of every
// order and of sizes just past every block size (the largest trims, so the
// most merges, for their block), then a few argument draws from the
// search's own distributions; the engine then lowers the new step's
// arguments. The steps after the run keep their bytes, so they mean what
// they meant wherever the handles they name survive (as after any deletion).

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
        guard let choices = recordedChoices(values, profile: profile) else { return nil }
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
                let before = Array(trace.operations[..<first])
                // The choices of one step in place of the run: encoded after the
                // steps before it, so a reference counts among the same handles.
                func stepChoices(_ operation: Operation) -> [Choice]? {
                    let prefix = Trace(arena: trace.arena, operations: before + [operation])
                    guard let values = try? prefix.choiceValues(profile: profile),
                          let recorded = recordedChoices(values, profile: profile) else { return nil }
                    return Array(recorded[starts[first]..<(values.count - 1)])
                }
                for (position, tag) in profile.tags.enumerated() {
                    var operations = boundaryOperations(tag)
                    for draw in 0..<draws {
                        let seed = RandomSource.derive(seed: UInt64(first << 16 | width << 8 | position), index: draw)
                        if let drawn = try? Trace.drawOperation(tag, profile: profile, arena: trace.arena,
                                                               scope: scopes[first], step: first + 1, TestCase(seed: seed)) {
                            operations.append(drawn)
                        }
                    }
                    for step in operations.compactMap(stepChoices) {
                        guard calls < budget else { return nil }
                        let merged = Array(choices[..<starts[first]]) + step + Array(choices[starts[first + width]...])
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

    /// The choices the generator of `profile` records replaying `values`
    /// (each with its constraints, so their bytes follow); nil when it reads
    /// fewer, which a trace's own encoding never makes it do.
    static func recordedChoices(_ values: [ChoiceValue], profile: Profile) -> [Choice]? {
        let recorder = TestCase(replaying: values)
        _ = try? recorder.draw(Trace.generator(profile))
        return recorder.choices.count == values.count ? recorder.choices : nil
    }

    /// The structured candidates for one step of `tag`: page allocations of
    /// every order, and exact or kmalloc sizes one byte past every block size.
    static func boundaryOperations(_ tag: Tag) -> [Operation] {
        let pastBlocks = (0..<Arena.topOrder).map { (Arena.pageSize << $0) + 1 }
        switch tag {
        case .allocPages: return (0...Arena.topOrder).map { .allocPages(order: $0) }
        case .allocPagesExact: return pastBlocks.map { .allocPagesExact(size: $0) }
        case .kmalloc: return pastBlocks.map { .kmalloc(size: $0) }
        default: return []
        }
    }
}
