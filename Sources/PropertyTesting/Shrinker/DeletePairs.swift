// Pass: delete two sibling sub-draws that are not adjacent.
//
// An allocation and its free, a push and its pop, often have other steps
// between them; deleting either alone changes what the other does (the free
// of a block that was never allocated, a rule index read among other enabled
// rules), while deleting both leaves every other step as it was. Adjacent
// pairs are covered by `deleteSpans`; this pass tries a sub-draw together
// with each of the next `pairReach` siblings.
//
// Runs only for bodies that draw while they run (see `deleteAndRaise`): a
// generator's elements do not depend on each other, so there it would only
// add calls at the end of every shrink. A last-resort pass: it costs up to
// `pairReach` calls per step.
//
// Invariant: only removes choices, so every accepted candidate is shorter.

extension Shrinker {
    /// Siblings after a sub-draw tried as its partner.
    static let pairReach = 8

    func deleteSiblingPairs() -> Bool {
        guard !executor.deduplicates else { return false }
        var i = 0
        while i < spans.count, !exhausted {
            let snapshot = spans
            let run = siblingRun(from: i, in: snapshot)
            if run.count > 2, snapshot[i].count > 0 {
                for k in 2..<Swift.min(run.count, Self.pairReach + 1) where !exhausted {
                    let first = snapshot[run[0]], second = snapshot[run[k]]
                    var candidate = values
                    candidate.removeSubrange(second.range)
                    candidate.removeSubrange(first.range)
                    // A successful deletion changes every later span: start the pass over.
                    if consider(candidate) { return true }
                }
            }
            i += 1
        }
        return false
    }
}
