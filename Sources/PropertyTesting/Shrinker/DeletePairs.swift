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

// Pass (last resort, generator properties): delete two equal adjacent
// elements of a collection at once.
//
// Where a failure depends on a list's length modulo something (a rotation
// by k of a list of n, a ring buffer of a parity), deleting one element
// changes the residue, and deleting two keeps it only when both are gone.
// Equal neighbours (two zeros) are the pair that changes nothing else: a
// rotation's `[0, 0, 0, 0, 0, 1]` by 2 stopped there, where `[0, 0, 0, 1]`
// fails the same way. Deleting any two equal neighbours of a run gives the
// same candidate, so a run costs one call.
//
// Invariant: only removes choices, so every accepted candidate is shorter.
extension Shrinker {
    func deleteEqualNeighbourPairs() -> Bool {
        guard executor.deduplicates else { return false }
        let spans = self.spans
        for run in elementRuns(in: spans) where !exhausted {
            var a = 0
            while a < run.count, !exhausted {
                // The run of equal neighbours from `a`, each with its flag.
                var b = a + 1
                while b < run.count, spans[run[b]].start == spans[run[b - 1]].end, spans[run[b]].count == spans[run[a]].count,
                      values[spans[run[b]].range] == values[spans[run[a]].range] {
                    b += 1
                }
                defer { a = b }
                // Runs of four or more: at the minimum of many problems a
                // run of two or three equal elements is what fails ("000"
                // of three characters), and deleting a pair of them cost a
                // call each. Any two of a run give the same candidate.
                // Once a pair has gone, though, the failure is one that
                // pairs keep (a residue of the length), and the runs of two
                // and three go too: a list checked as sorted at every second
                // pair stopped at `[0, 0, 0, 1, 0]` after two pairs had gone.
                guard b - a >= (deletedEqualPair ? 2 : Self.equalRunToHalve), isElementFlag(spans[run[a]].start, in: spans) else { continue }
                var candidate = values
                candidate.removeSubrange(spans[run[a]].start..<spans[run[a + 1]].end)
                if consider(candidate) {
                    deletedEqualPair = true
                    return true
                }
            }
        }
        return false
    }

    /// Equal neighbours in a row, at least, for `deleteEqualNeighbourPairs`.
    static let equalRunToHalve = 4
}
