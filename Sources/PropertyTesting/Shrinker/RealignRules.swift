// Repair: a deleted state-machine step keeps the later steps' rules.
//
// A step's rule index counts only the rules enabled at that step. Deleting
// a step can change which rules are enabled later, and the later indices
// then read other rules: in a file system, `create(); create(); open(file:
// v1); unlink(file: v1); read(fd: v3)` leaves no name after the unlink
// once the second create is gone, so `read`, the third of five enabled
// rules, is the second of three, and the index read it as `close`. The
// failure was there without that create; the deletion alone never showed
// it (6 of 20 seeds stopped with the extra create).
//
// When a candidate that deletes steps fails to fail, its run's recorded
// rule choices (`TestCase.ruleChoices`; for a candidate whose outcome the
// tree of earlier runs knew, theirs, `ChoiceTree.ruleChoices(along:)`) are
// compared step by step with the example's: at the first later step that
// ran another rule, the index is set to the old rule's place among the
// rules enabled now, and that candidate is tried. Its run may re-read a
// step after that one, so the repair repeats, at most `ruleRepairs` times.
// It gives up at a step whose old rule is not enabled any more (the
// deleted step was what enabled it). One seed of the 20 stopped with the
// extra create until predicted candidates were repaired too: the same
// candidate had been run earlier in the shrink, so the tree answered it.
//
// Invariant: changes only rule indices after the deletion, each to an
// index in its recorded range, so a candidate is no longer than the
// deletion; it is adopted only through `consider`.

extension Shrinker {
    /// Repairs tried after one deletion.
    static let ruleRepairs = 3

    /// Tries `candidate`, which deleted `deleted` from the example's
    /// choices and was just tried by `consider` without being adopted, again
    /// with later rule indices set so that each step runs the rule it ran
    /// in the example. Whether a repaired candidate was adopted.
    func considerKeepingRules(_ candidate: [ChoiceValue], deleted: Range<Int>) -> Bool {
        guard !best.ruleChoices.isEmpty else { return false }
        // The example's rule at each of its rule choices, by position (only probed).
        var ruleAt: [Int: Int] = [:]
        for r in best.ruleChoices { if let rule = r.rule(in: values) { ruleAt[r.choice] = rule } }
        var current = candidate
        for _ in 0..<Self.ruleRepairs {
            guard let repaired = Self.keepingRules(current, read: lastRuleChoices(), deleted: deleted, ruleAt: ruleAt)
            else { return false }
            if consider(repaired) { return true }
            current = repaired
        }
        return false
    }

    /// What the last candidate tried read, and its rule choices: from its
    /// run, or from the runs that predicted its outcome (`ChoiceTree`).
    private func lastRuleChoices() -> (values: [ChoiceValue], rules: [RuleChoice])? {
        if let run = lastExecution { return (run.sequence.values, run.ruleChoices) }
        guard let recorded = lastRecorded, let tree else { return nil }
        return (recorded.map(\.value), tree.ruleChoices(along: recorded))
    }

    /// `candidate` with the rule index of the first step that `read` (what
    /// its run read, and the rule choices there) shows running another rule
    /// than the example did (`ruleAt`, by the example's positions) set to
    /// that rule's index among the rules enabled there; nil when no step
    /// after the deletion changed rule or the old rule is not enabled.
    static func keepingRules(_ candidate: [ChoiceValue], read: (values: [ChoiceValue], rules: [RuleChoice])?,
                             deleted: Range<Int>, ruleAt: [Int: Int]) -> [ChoiceValue]? {
        guard let read else { return nil }
        for r in read.rules where r.choice >= deleted.lowerBound && r.choice < candidate.count {
            guard let old = ruleAt[r.choice + deleted.count], let now = r.rule(in: read.values) else { return nil }
            if now == old { continue }
            guard let index = r.enabled.firstIndex(of: old) else { return nil }
            var repaired = candidate
            repaired[r.choice] = .integer(Int64(index))
            return repaired
        }
        return nil
    }
}
