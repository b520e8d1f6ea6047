// What earlier runs of a body that draws while it runs tell about a new
// candidate, without running it.
//
// A run reads the candidate's values in order, each as given when its kind
// permits it and as the kind's simplest value otherwise, and what it reads
// next (and whether it stops) depends only on what it has read so far: the
// body is a function of its choices. So the runs so far form a tree of read
// values; a candidate whose reading follows a path to a point where a run
// stopped (passed, failed, was discarded, hit a limit), or that ends where a
// run went on to read another choice (an overrun: the values ran out), has a
// known outcome, and it is one already seen: an earlier run recorded exactly
// that sequence, and the shrinker adopted it then if it was an improvement.
//
// One more thing is known of a state machine: where a run read a step's
// "another step?" flag, every step before it passed, so a candidate that
// reads the same up to there and then reads that flag as false (a false, or
// a value of another sort moved there by a deletion, read as the simplest)
// stops the machine after passing steps: it passes, unless the body goes on
// to fail after the machine returns, so this is predicted only while the
// failure being shrunk happened inside a step (`machineStopPasses`). The
// runs of the search phase go into the tree too.
//
// Generator properties do not need this: their generation runs without the
// body, and the executor skips the body for sequences already tried.
//
// Invariant: a prediction is made only from runs whose every read is
// recorded in the tree (and, for a flag read as false, from a run that read
// that flag); anything not yet seen is "unknown" and gets run.
// The tree's dictionaries are only probed, never iterated.

final class ChoiceTree {
    private struct Node {
        /// The kind of the next choice a run reads from here.
        var reads: ChoiceKind?
        /// A run reaching here read another choice, of a kind not recorded
        /// (the values ran out before it was drawn).
        var readsMore = false
        /// A run reaching here stopped with this outcome, whatever follows.
        var stops: Outcome?
        /// A state machine reads a step's "another step?" flag here, and
        /// every step a run reaching here took before it passed.
        var stepFlag = false
        /// The next choice a run reads from here is a state machine's rule
        /// index among these rules (`RuleChoice.enabled`).
        var enabledRules: [Int]?
        var children: [ChoiceValue: Int] = [:]
    }

    private var nodes = [Node()]

    /// Whether a machine stopped after steps that passed is known to pass
    /// (the `stepFlag` prediction). Only while every failure being shrunk
    /// happened inside a step: a body that checks more after the machine
    /// returns (every block given back by the end) fails after the last
    /// step, and a candidate stopping the machine early may fail there too.
    var machineStopPasses = true
    /// Nodes at most; past this nothing more is recorded (predictions stay sound).
    static let maxNodes = 1 << 20

    /// Records a run of `candidate` that read `recorded` and ended with
    /// `outcome`; `stepFlags` are the positions where it read (or, at the
    /// end of an overrun, was about to read) a state-machine step's flag
    /// after steps that all passed (see `predict`); `ruleChoices` are the
    /// run's state-machine rule choices (see `ruleChoices(along:)`).
    func record(candidate: [ChoiceValue], recorded: [Choice], outcome: Outcome, stepFlags: [Int] = [],
                ruleChoices: [RuleChoice] = []) {
        var node = 0
        var flags = stepFlags[...]  // ascending
        var rules = ruleChoices[...]  // ascending
        for (position, choice) in recorded.enumerated() {
            if flags.first == position {
                nodes[node].stepFlag = true
                flags.removeFirst()
            }
            if let rule = rules.first, rule.choice == position {
                nodes[node].enabledRules = rule.enabled
                rules.removeFirst()
            }
            if nodes[node].reads == nil { nodes[node].reads = choice.kind }
            guard nodes[node].reads == choice.kind else { return }  // not deterministic: record nothing more
            if let child = nodes[node].children[choice.value] {
                node = child
            } else {
                guard nodes.count < Self.maxNodes else { return }
                nodes.append(Node())
                nodes[node].children[choice.value] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        if flags.first == recorded.count { nodes[node].stepFlag = true }
        if outcome == .overrun, recorded.count == candidate.count {
            nodes[node].readsMore = true  // ran out of values (or hit a limit just there)
        } else {
            nodes[node].stops = outcome
        }
    }

    /// Nodes the search phase's runs may fill (a sixteenth of `maxNodes`,
    /// so a long search does not hold on to all it read); the earliest
    /// runs, the smallest, are the ones kept.
    static let maxSearchNodes = 1 << 16

    /// Records a run of the search phase (generated, not replayed), while
    /// the tree has fewer than `maxSearchNodes` nodes. An overrun there hit
    /// a limit, not the end of replayed values: not recorded.
    func recordSearchRun(_ run: Execution) {
        guard run.outcome != .overrun, nodes.count < Self.maxSearchNodes else { return }
        record(candidate: run.sequence.values, recorded: run.sequence.choices, outcome: run.outcome,
               stepFlags: Shrinker.stepFlags(of: run), ruleChoices: run.ruleChoices)
    }

    /// The state-machine rule choices of a run that read `recorded` (as
    /// `predict` returns it), as far as earlier runs recorded them.
    func ruleChoices(along recorded: [Choice]) -> [RuleChoice] {
        var node = 0
        var found: [RuleChoice] = []
        for (position, choice) in recorded.enumerated() {
            if let enabled = nodes[node].enabledRules { found.append(RuleChoice(choice: position, enabled: enabled)) }
            guard let child = nodes[node].children[choice.value] else { break }
            node = child
        }
        return found
    }

    /// The outcome and the choices a run of `candidate` would record, when
    /// earlier runs decide them. A candidate that reads a step's flag as
    /// false (a false or a value of another sort, read as the simplest)
    /// where a run read one after steps that all passed stops the machine
    /// there: it passes.
    func predict(_ candidate: [ChoiceValue]) -> (outcome: Outcome, recorded: [Choice])? {
        var node = 0
        var recorded: [Choice] = []
        for value in candidate {
            if let stop = nodes[node].stops { return (stop, recorded) }
            if machineStopPasses, nodes[node].stepFlag, value != .boolean(true) {
                return (.passed, recorded + [Choice(kind: .boolean, value: .boolean(false))])
            }
            guard let kind = nodes[node].reads else { return nil }
            let read = kind.permits(value) ? value : kind.simplest
            guard let child = nodes[node].children[read] else { return nil }
            recorded.append(Choice(kind: kind, value: read))
            node = child
        }
        if let stop = nodes[node].stops { return (stop, recorded) }
        if nodes[node].reads != nil || nodes[node].readsMore { return (.overrun, recorded) }
        return nil
    }
}
