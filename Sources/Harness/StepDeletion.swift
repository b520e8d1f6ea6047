// A trace shrink pass the engine cannot make: a step deleted together with
// the later steps that name what it produced, every other step naming the
// same handles as before.
//
// A reference is a choice that counts the live handles of its class from
// the newest (`Scope.pick`), wrapping around. Deleting a step that produced
// a handle between the one a later step names and that later step makes
// the later choice name another handle. Ten unrelated `cache_create`s
// between a cache with red zones and the `cache_alloc` of it kept the
// engine at all thirteen steps: each deletion alone made the allocation
// pick another cache, and only deletions that leave a number of caches
// dividing the old one land back on it by wrapping (five caches shrank,
// seven did not). The engine edits choices and cannot know which integers
// count handles, nor from which end. This pass edits the trace by handle
// and encodes it again, so every step it keeps names what it named.
//
// Each step is tried once per pass, from the last to the first, deleted
// with the steps that depend on it (the free of its allocation, the
// objects of its cache and their frees, the double free of what it freed).
// A candidate whose choices are the plain deletion's (the later steps'
// choices unchanged) is not judged: the engine, restarted from the trace's
// canonical bytes, has judged it; nor is one with no steps left, which the
// engine's first candidates judge.

import PropertyTesting

enum StepDeletion {
    /// `trace` after every deletion of a step (with the steps that depend on
    /// it) that kept the failure kind `kind` under `judge`, tried from the
    /// last step to the first; nil when none did. Every judged candidate
    /// counts one call; none is judged once `calls` reaches `budget`.
    static func delete<S: AllocatorUnderTest>(_ trace: Trace, profile: Profile, kind: String, judge: Judge<S>,
                                              budget: Int, calls: inout Int) -> Trace? {
        guard var encoded = try? trace.encoded(profile: profile) else { return nil }
        var current = trace
        var changed = false
        var index = current.operations.count - 1
        while index >= 0, calls < budget {
            defer { index -= 1 }
            let candidate = current.removingStep(at: index)
            // No steps left: the engine's first candidates delete them all.
            guard !candidate.operations.isEmpty, let now = try? candidate.encoded(profile: profile) else { continue }
            var plain = encoded.values
            plain.removeSubrange(encoded.stepStarts[index]..<encoded.stepStarts[index + 1])
            if now.values == plain { continue }
            calls += 1
            guard judge.check(candidate)?.failureKind == kind else { continue }
            (current, encoded, changed) = (candidate, now, true)
        }
        return changed ? current : nil
    }
}

extension Trace {
    /// The trace without step `index` (0-based), without every later step
    /// that names a handle produced by a step left out, and without a later
    /// double free of what step `index` freed; the steps kept name the same
    /// handles, renumbered.
    func removingStep(at index: Int) -> Trace {
        // The new 1-based step of each old one, 0 for a step left out.
        var renumbered = [Int](repeating: 0, count: operations.count + 1)
        var kept: [Operation] = []
        kept.reserveCapacity(operations.count)
        let freed = operations[index].consumes
        for (k, operation) in operations.enumerated() where k != index {
            if let freed, case .misuse(.doubleFree(freed)) = operation { continue }
            let mapped = operation.mappingHandles { handle in
                guard handle.step < renumbered.count, renumbered[handle.step] > 0 else { return nil }
                return Handle(handle.kind, renumbered[handle.step])
            }
            guard let mapped else { continue }
            kept.append(mapped)
            renumbered[k + 1] = kept.count
        }
        return Trace(arena: arena, operations: kept)
    }
}
