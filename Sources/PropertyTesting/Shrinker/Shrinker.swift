// The shrinker: edits the choice sequence of a failing example and re-runs
// the real generator on each edit.
//
// Invariants:
// - `best` always fails with the original failure kind, and every accepted
//   candidate is strictly shortlex-smaller than the `best` it replaces, so
//   shrinking terminates and never loses the failure.
// - Every value the shrinker reports was produced by the generator from a
//   choice sequence, so filters and binds hold on it by construction.
// - Deterministic: passes walk arrays in index order, and the cache is only
//   ever probed, never iterated.

final class Shrinker {
    let executor: Executor
    /// The failure kind every accepted candidate must keep.
    let kind: String
    private(set) var best: Execution {
        didSet {
            values = best.sequence.values
            derived = Derived()
        }
    }
    /// `best`'s values, kept beside it. Passes read them an element at a
    /// time in loops over the example; made afresh at each read (a map over
    /// the choices), they made shrinking cubic in the example's length: a
    /// failing list of 300 integers took 3.3 s on a debug build, 10.9 s with
    /// its length free (0.25 s and 1.2 s now).
    private(set) var values: [ChoiceValue]
    /// Views of `best` that passes ask for many times over, each made once
    /// per example (reset whenever `best` changes).
    struct Derived {
        var integerIndices: [Int]?
        var characterIndices: Set<Int>?
        var spansByStart: [[Int]]?
    }
    var derived = Derived()

    /// For each choice index, the indices of the spans that start there, in
    /// `spans` order (one more entry for spans that start at the end): the
    /// per-choice questions ("is this a character?", "a double's code?")
    /// look there instead of through every span.
    var spansStarting: [[Int]] {
        if let known = derived.spansByStart { return known }
        let spans = self.spans
        var byStart = [[Int]](repeating: [], count: choices.count + 1)
        for (k, span) in spans.enumerated() where span.start >= 0 && span.start < byStart.count { byStart[span.start].append(k) }
        derived.spansByStart = byStart
        return byStart
    }

    /// Whether a span that starts at choice `index` satisfies `test`.
    func spanStarts(at index: Int, where test: (Span) -> Bool) -> Bool {
        let byStart = spansStarting
        guard index >= 0, index < byStart.count else { return false }
        let spans = self.spans
        return byStart[index].contains { test(spans[$0]) }
    }
    /// The position `lowerToLowBits` last lowered, with `adoptions` then (see `lowerIsolatedIntegers`).
    var jumpedTo: (index: Int, adoptions: Int)?
    /// The failing example the shrink started from (`lowerIsolatedIntegers`
    /// steps only values still where generation left them).
    let initialValues: [ChoiceValue]
    /// Every value a search of `lowerChoices` adopted for an integer, at any
    /// position (only probed, never iterated): a round number found by a
    /// search is a threshold's, not a multiple's (see `lowerRoundNumber`).
    var searchAdopted: Set<Int64> = []
    /// The powers of ten `lowerRoundNumber` has tried at the power below,
    /// with `adoptions` then (only probed, never iterated): each value once
    /// per example, wherever it stands.
    var powersOfTenLowered: [Int64: Int] = [:]
    /// Test-case runs spent (generation included); bounded by `maxCalls`.
    private(set) var calls = 0
    let maxCalls: Int
    /// Asked after every run: true ends the shrink there, as if the budget
    /// had run out (a command stopped by a signal keeps what it has).
    var stop: (() -> Bool)?
    /// `maxCalls`, or the calls made when `stop` said true.
    private var callLimit: Int
    /// Outcome of the most recent candidate that was actually run.
    private(set) var lastOutcome: Outcome = .passed
    /// What the most recent candidate that was actually run recorded (nil when
    /// generation matched an earlier try and the body was skipped).
    private(set) var lastExecution: Execution?
    /// True once a whole round of passes (last-resort ones included) made no
    /// progress with budget left: `best` is a local minimum of every pass.
    private(set) var converged = false
    /// Value sequences already run (candidates and what they recorded).
    private var tried: Set<[ChoiceValue]> = []
    /// Values that passed when run during the shrink (only probed, never
    /// iterated): a candidate generating one of them again passes, and its
    /// body is not called. Only when the body's value is all its check sees
    /// (`Executor.checksOnlyTheValue`).
    private var passedValues: Set<KnownValue> = []
    /// Those of them whose run a filter or assumption rejected (only probed).
    private var discarded: Set<[ChoiceValue]> = []
    /// Candidates whose replay ran out of choices or had a filter draw
    /// again: inside a filter, signs that it rejected what the candidate
    /// held (see `rejectedByFilter`; only looked up, never iterated).
    private var redrawnOrOverran: Set<[ChoiceValue]> = []
    /// Outcomes of `failsWithoutAdopting` (only looked up, never iterated).
    private var probed: [[ChoiceValue]: Bool] = [:]
    /// The sequences run before shrinking (their outcomes are not kept).
    private let searchRuns: Set<[ChoiceValue]>
    /// Observer of every accepted shrink (tests check each is smaller and failing).
    var onAccept: ((Execution) -> Void)?
    /// The choices the most recent candidate that was run or predicted recorded.
    private(set) var lastRecorded: [Choice]?
    /// Runs so far, for bodies that draw while they run (see `ChoiceTree`).
    let tree: ChoiceTree?
    /// Candidates whose outcome the tree decided without a call.
    private(set) var predicted = 0
    /// Candidates proposed with budget left, whether run, answered from
    /// what is known, or skipped as not simpler.
    private(set) var attempts = 0
    /// Candidates adopted so far.
    private(set) var adoptions = 0
    /// Positions whose value `lowerChoices` changed in the current round,
    /// when the example kept its length (see `shiftTogether`).
    var loweredThisRound: Set<Int> = []
    /// Whether `lowerLaterComponents` has had its one turn.
    var laterComponentsTried = false
    /// Whether `sortSiblings` adopted a new order in the current round (see
    /// `shiftTogether`).
    var sortedThisRound = false
    /// The floor the latest search of `lowerChoices` that lowered a value
    /// assumed for it (see `LowerChoices.swift`), with `adoptions` then.
    var loweringFloor: (adoptions: Int, index: Int, distance: UInt64)?
    /// Adoptions made by passes other than `redistribute` (see there).
    private(set) var adoptionsBesidesRedistribution = 0
    /// Whether `redistribute` is running (its adoptions are not counted in
    /// `adoptionsBesidesRedistribution`).
    var redistributing = false
    /// Whether `redistribute` moves value only between integers that share a
    /// value the example holds three times or more (the last-resort round).
    var redistributingRepeated = false
    /// The fractional doubles `fractionsToIntegers` has tried, by position
    /// and code (tried again only once either changes).
    var fractionsTried: [(index: Int, code: Int64)] = []
    /// Moves `redistribute` has adopted between the codes of doubles past
    /// the integers (see `Redistribute.swift`).
    var doubleCodeMoves = 0
    /// Whether `deleteEqualNeighbourPairs` has adopted a deletion in this
    /// shrink (it then deletes pairs from runs of two and three as well).
    var deletedEqualPair = false
    /// For each integer's position, `adoptionsBesidesRedistribution` when
    /// `lowerChoices` last finished lowering it alone (see `redistribute`).
    var loweredAloneAt: [Int: Int] = [:]
    /// Positions whose integer search adopted values of both parities, with
    /// the example's length then (see `lowerChoices`).
    var bothParitiesFail: [Int: Int] = [:]

    /// `alreadyRun` lists sequences that were run before shrinking began (the
    /// search phase); none of them can be an improvement, because their outcome
    /// is already known and `failing` is the first failure among them.
    /// `knownRuns` holds the runs from before shrinking, for a body that draws
    /// while it runs (see `ChoiceTree.recordSearchRun`): the shrink's tree
    /// starts from it, so a candidate they decide costs no call (the
    /// all-simplest one the shrink starts with reads as the search phase's
    /// simplest example, a state machine with no steps; a candidate that
    /// stops a machine where a random run took another step passes).
    init(executor: Executor, failing: Execution, maxCalls: Int, alreadyRun: Set<[ChoiceValue]> = [],
         knownRuns: ChoiceTree? = nil) {
        precondition(failing.outcome.failureKind != nil, "shrinking needs a failing example")
        self.executor = executor
        self.initialValues = failing.sequence.values
        self.kind = failing.outcome.failureKind!
        self.best = failing
        self.values = failing.sequence.values
        self.maxCalls = maxCalls
        callLimit = maxCalls
        tried = alreadyRun
        searchRuns = alreadyRun
        tried.insert(failing.sequence.values)
        tree = executor.deduplicates ? nil : knownRuns ?? ChoiceTree()
        tree?.machineStopPasses = Self.failedInStep(failing)
        tree?.record(candidate: failing.sequence.values, recorded: failing.sequence.choices, outcome: failing.outcome,
                     stepFlags: Self.stepFlags(of: failing), ruleChoices: failing.ruleChoices)
    }

    var choices: [Choice] { best.sequence.choices }
    var spans: [Span] { best.spans }
    var exhausted: Bool { calls >= callLimit }

    /// Counts one run of the body, and ends the shrink when `stop` says so.
    private func countCall() {
        calls += 1
        if let stop, stop() { callLimit = calls }
    }

    /// What is known of `candidate`'s run: nil when it was never run (or
    /// was run only before shrinking), true when a filter or assumption
    /// rejected it, false when it ran and was not rejected.
    func wasDiscarded(_ candidate: [ChoiceValue]) -> Bool? {
        if discarded.contains(candidate) { return true }
        return tried.contains(candidate) && !searchRuns.contains(candidate) ? false : nil
    }

    /// Whether `candidate` was run and a filter in it rejected what it
    /// held: the run was discarded, or, inside a filter (`filtered`), it
    /// ran out of choices or had the filter draw again (from the choices
    /// after the rejected one, so it read them as something else).
    func rejectedByFilter(_ candidate: [ChoiceValue], filtered: Bool) -> Bool {
        wasDiscarded(candidate) == true || filtered && redrawnOrOverran.contains(candidate)
    }

    /// Whether choice `index` lies inside a filter's draw (`Generator.filter`).
    func insideFilter(_ index: Int) -> Bool {
        spans.contains { $0.label.hasSuffix(".filter") && $0.range.contains(index) }
    }

    /// Runs `candidate` (unless already tried) and adopts it when it fails the
    /// same way and is simpler. Returns whether it was adopted.
    @discardableResult
    func consider(_ candidate: [ChoiceValue]) -> Bool {
        if !exhausted { attempts += 1 }
        if exhausted || tried.contains(candidate) || !mayBeSimpler(candidate) { return false }
        if let known = tree?.predict(candidate) {
            // An earlier run recorded exactly what this one would: not an improvement.
            predicted += 1
            tried.insert(candidate)
            lastOutcome = known.outcome
            lastRecorded = known.recorded
            lastExecution = nil
            return false
        }
        if let flag = stopsMachineBeforeFailure(candidate) {
            // The run would stop after steps that all passed in `best`'s run;
            // the tree then answers other candidates that read the same.
            predicted += 1
            tried.insert(candidate)
            let recorded = Array(choices[..<flag]) + [Choice(kind: choices[flag].kind, value: .boolean(false))]
            tree?.record(candidate: candidate, recorded: recorded, outcome: .passed)
            lastOutcome = .passed
            lastRecorded = recorded
            lastExecution = nil
            return false
        }
        countCall()
        // A run that dropped an element (a repeated key of a dictionary) has
        // the value of the run without it: when that was tried, the body is
        // not called (Hypothesis likewise deletes such discarded parts).
        let testCase = TestCase(replaying: candidate)
        let result = executor.run(testCase, skip: { [tried] in tried.contains($0.values) },
                                  skipEquivalent: { [tried] in tried.contains($0) },
                                  skipValue: { [passedValues] in passedValues.contains($0) })
        tried.insert(candidate)
        lastExecution = result
        lastRecorded = result?.sequence.choices
        // Dropped parts that are no unique collection's repeats: a filter's
        // rejected attempts (known also when the run was skipped as a repeat).
        if testCase.droppedRanges.count > testCase.repeatedRanges.count { redrawnOrOverran.insert(candidate) }
        guard let result else {
            lastOutcome = .passed  // recorded the same choices as an earlier try
            // Skipped because it generated a value already tried: when that
            // is because an element was dropped, the repair may still help
            // (generating again calls no body).
            if !repairingCollision, deletes(candidate), executor.checksOnlyTheValue,
               let generated = executor.generated(candidate, outcome: .passed) {
                return repairCollision(generated)
            }
            return false
        }
        tree?.record(candidate: candidate, recorded: result.sequence.choices, outcome: result.outcome,
                     stepFlags: Self.stepFlags(of: result), ruleChoices: result.ruleChoices)
        tried.insert(result.sequence.values)
        notePassedValue(result)
        // (Not after a failure: the shorter equivalent is then an
        // improvement, adopted below without a body call.)
        if let equivalent = result.withoutDropped, result.outcome.failureKind == nil { tried.insert(equivalent) }
        if result.outcome == .overrun { redrawnOrOverran.insert(candidate) }
        if result.outcome == .discarded {
            discarded.insert(candidate)
            discarded.insert(result.sequence.values)
            if let equivalent = result.withoutDropped { discarded.insert(equivalent) }
        }
        lastOutcome = result.outcome
        // The repeat is looked for first: `deletes` passes over the values.
        return adoptIfImprovement(result) || (!result.repeatedRanges.isEmpty && deletes(candidate) && repairCollision(result))
    }

    /// Whether a candidate is being tried by `repairCollision` (which does
    /// not repair its own candidates).
    private var repairingCollision = false

    /// Whether `candidate` deletes from `best`: it has fewer choices, or as
    /// many with a byte string shorter.
    private func deletes(_ candidate: [ChoiceValue]) -> Bool {
        guard candidate.count == choices.count else { return candidate.count < choices.count }
        return zip(candidate, values).contains { new, old in
            if case .bytes(let n) = new, case .bytes(let o) = old { return n.count < o.count }
            return false
        }
    }

    /// A deletion (`deletes`) whose run passed because a unique collection
    /// dropped an element (it came out equal to an earlier one): tried once
    /// more with the dropped element's last integer one rank higher, or its
    /// byte string's last byte one higher, so that it differs. Deleting a
    /// character from "00" in `{"", "0", "00"}` gives "0", a repeat, and
    /// no single change reaches `{"", "0", "1"}`, which is simpler: the
    /// set of three strings stopped at "00" in 13 seeds of 20 (as
    /// Hypothesis's does). A call at most per such candidate, and only on
    /// generator properties (`withoutDropped`). Not for a lowered value
    /// that collides: three consecutive numbers of a set then went down one
    /// repaired step at a time (`cpulist_range_parsed_half_open` 42.5 to
    /// 591 median calls). When the repair is not adopted, what the last
    /// run recorded (`lastOutcome`, `lastRecorded`, `lastExecution`) is the
    /// deletion's again, as the pass that tried it expects.
    private func repairCollision(_ result: Execution) -> Bool {
        guard !repairingCollision, result.outcome == .passed, let dropped = result.repeatedRanges.first else { return false }
        var values = result.sequence.values
        let choices = result.sequence.choices
        guard let at = dropped.reversed().first(where: { k in
            switch (choices[k].kind, choices[k].value) {
            case (.integer(let c), .integer(let v)): return c.rank(of: v) < c.maxRank
            case (.bytes, .bytes(let b)): return b.last.map { $0 < 255 } ?? false
            default: return false
            }
        }) else { return false }
        switch (choices[at].kind, choices[at].value) {
        case (.integer(let c), .integer(let v)):
            values[at] = .integer(c.value(atRank: c.rank(of: v) + 1))
        case (.bytes, .bytes(var b)):
            b[b.count - 1] += 1
            values[at] = .bytes(b)
        default: return false
        }
        let deletion = (lastOutcome, lastRecorded, lastExecution)
        repairingCollision = true
        defer { repairingCollision = false }
        if consider(values) { return true }
        (lastOutcome, lastRecorded, lastExecution) = deletion
        return false
    }

    /// Whether `candidate` was run (or its outcome known) during the shrink.
    func hasTried(_ candidate: [ChoiceValue]) -> Bool { tried.contains(candidate) }

    /// Whether `candidate`, simpler or not, fails the way `best` does: a
    /// question about the failure's shape, never adopted (a call unless the
    /// tree or an earlier probe knows the answer). The run is kept out of
    /// the tree and `tried`: what it recorded may be simpler than `best`
    /// (a value read past the end of a list is read as another), and a
    /// candidate that records the same must still be adoptable.
    func failsWithoutAdopting(_ candidate: [ChoiceValue]) -> Bool {
        if let known = probed[candidate] { return known }
        if let known = tree?.predict(candidate) { return known.outcome.failureKind == kind }
        guard !exhausted else { return false }
        countCall()
        let fails = executor.run(TestCase(replaying: candidate))?.outcome.failureKind == kind
        probed[candidate] = fails
        return fails
    }

    /// Adopts `result` when it fails the same way and is simpler, then its
    /// run without dropped parts when that is simpler still; whether either was adopted.
    private func adoptIfImprovement(_ result: Execution) -> Bool {
        guard result.outcome.failureKind == kind else { return false }
        let adopted = result.sequence.isSimpler(than: best.sequence)
        if adopted { adopt(result) }
        return adoptEquivalent(of: result) || adopted
    }

    /// Adopts, without a body call, the run of `failing` without its
    /// dropped parts (a unique collection's repeated elements, a filter's
    /// rejected attempts) when it is simpler: it generates the same value,
    /// so it fails the same way. Deleting those parts was otherwise left to
    /// the deletion passes, a body call each (a filter's rejected attempt
    /// repeated the failing value). Only when generation gives a value
    /// described as `failing`'s was.
    private func adoptEquivalent(of failing: Execution) -> Bool {
        guard let equivalent = failing.withoutDropped, !tried.contains(equivalent), !exhausted,
              let run = executor.generated(equivalent, outcome: failing.outcome),
              run.valueDescription == failing.valueDescription, run.sequence.isSimpler(than: best.sequence) else {
            return false
        }
        tried.insert(equivalent)
        tried.insert(run.sequence.values)
        adopt(run)
        return true
    }

    /// Runs `testCase` (a candidate whose end is drawn at random) and adopts
    /// what it records when it fails the same way and is simpler.
    func considerRun(_ testCase: TestCase) -> Bool {
        guard !exhausted else { return false }
        countCall()
        let result = executor.run(testCase, skip: { [tried] in tried.contains($0.values) },
                                  skipValue: { [passedValues] in passedValues.contains($0) })
        lastExecution = result
        lastRecorded = result?.sequence.choices
        guard let result else {
            lastOutcome = .passed
            return false
        }
        tree?.record(candidate: result.sequence.values, recorded: result.sequence.choices, outcome: result.outcome,
                     stepFlags: Self.stepFlags(of: result), ruleChoices: result.ruleChoices)
        tried.insert(result.sequence.values)
        notePassedValue(result)
        lastOutcome = result.outcome
        return adoptIfImprovement(result)
    }

    /// Remembers `result`'s value when its run passed (see `passedValues`).
    private func notePassedValue(_ result: Execution) {
        guard executor.checksOnlyTheValue, result.outcome == .passed,
              let known = KnownValue(description: result.valueDescription, value: result.value) else { return }
        passedValues.insert(known)
    }

    /// Makes `result` the example to shrink further.
    private func adopt(_ result: Execution) {
        notePeriod(from: best.sequence.values, to: result.sequence.values)
        best = result
        adoptions += 1
        if !redistributing { adoptionsBesidesRedistribution += 1 }
        if !Self.failedInStep(result) { tree?.machineStopPasses = false }
        onAccept?(result)
    }

    /// For each integer position, the greatest common divisor of the moves
    /// adoptions made of that integer alone (every other value kept), and
    /// how many there were, since the example last changed length (only
    /// probed, never iterated). The failing values of a failure that holds
    /// on a residue (above a threshold) lie multiples of its modulus apart,
    /// so this is a multiple of the modulus (`lowerByCommonPeriod`); a
    /// threshold's moves (halves, bisection points) share no factor after
    /// two or three of them.
    var failingPeriods: [Int: (period: UInt64, moves: Int)] = [:]
    /// The value each integer held when `lowerByCommonPeriod` last asked
    /// above it for a period and lowered nothing, since the example last
    /// changed length (only probed, never iterated).
    var noPeriodAbove: [Int: Int64] = [:]

    private func notePeriod(from old: [ChoiceValue], to new: [ChoiceValue]) {
        guard old.count == new.count else {
            failingPeriods.removeAll()
            noPeriodAbove.removeAll()
            return
        }
        var moved: Int?
        for k in old.indices where old[k] != new[k] {
            guard moved == nil else { return }
            moved = k
        }
        guard let k = moved, case .integer(let a) = old[k], case .integer(let b) = new[k] else { return }
        let known = failingPeriods[k] ?? (0, 0)
        failingPeriods[k] = (Self.greatestCommonDivisor(known.period, Self.distance(a, b)), known.moves + 1)
    }

    /// Whether `run` failed inside a state machine's step (not before the
    /// machine, nor after it returned).
    static func failedInStep(_ run: Execution) -> Bool {
        guard let failing = run.failureSpan, failing < run.spans.count else { return false }
        return run.spans[failing].label == stepLabel
    }

    /// The position of a state-machine step's "another step" flag that
    /// `candidate` sets to false while agreeing with `best` on every value
    /// before it, when that step is the one `best`'s run failed in (see
    /// `TestCase.failureSpan`) or an earlier one; nil otherwise. Such a
    /// candidate replays `best`'s steps up to that flag, every one of which
    /// passed in `best`'s run, and then the machine stops: it passes (unless
    /// the body fails after the machine returns the same way it failed in
    /// the step, which is not looked for). Zeroing the failing step and
    /// clearing its flag cost a call each after every shrink of a state
    /// machine that was adopted.
    func stopsMachineBeforeFailure(_ candidate: [ChoiceValue]) -> Int? {
        guard let failing = best.failureSpan, failing < spans.count, spans[failing].label == Self.stepLabel else { return nil }
        let current = values
        var flag = 0
        while flag < candidate.count, flag < current.count, candidate[flag] == current[flag] { flag += 1 }
        guard flag <= spans[failing].start, flag < candidate.count, flag < current.count,
              candidate[flag] == .boolean(false), current[flag] == .boolean(true) else { return nil }
        let spans = self.spans
        return spans.contains { $0.label == Self.stepLabel && $0.start == flag && $0.parent == spans[failing].parent }
            && isElementFlag(flag, in: spans) ? flag : nil
    }

    /// Where `run` read a state-machine step's "another step?" flag (or, at
    /// the end of an overrun, was about to) after steps that all passed:
    /// every step's flag, unless the run failed outside any step (a body
    /// that checks more after the machine returns), where none is given.
    /// Read as false there, the machine stops after steps that passed, so
    /// the tree predicts such a candidate passes without a call (see
    /// `ChoiceTree.predict`): a candidate that reads a value of another
    /// sort (an argument moved by a deletion) as a step's flag, or clears
    /// the flag of a step that some earlier run took, not only `best`'s.
    static func stepFlags(of run: Execution) -> [Int] {
        if run.outcome.failureKind != nil {
            guard let failing = run.failureSpan, failing < run.spans.count, run.spans[failing].label == stepLabel else { return [] }
        }
        let choices = run.sequence.choices
        return run.spans.compactMap { span in
            guard span.label == stepLabel else { return nil }
            if span.start == choices.count { return run.outcome == .overrun ? span.start : nil }
            guard span.start < choices.count, case .boolean = choices[span.start].kind else { return nil }
            return span.start
        }
    }

    /// The label of a state machine's step (see `StateMachine.run`).
    static let stepLabel = "state-machine.step"

    /// False when `candidate` has the current length and, at its first
    /// difference from `best`, a legal value that is less simple. Generation
    /// replays such a candidate unchanged up to that point, so the result
    /// could only be simpler by ending earlier; a call on it is almost always
    /// wasted. Other candidates (different lengths, values the kind does not
    /// permit) are left to the run to judge.
    func mayBeSimpler(_ candidate: [ChoiceValue]) -> Bool {
        let current = choices
        guard candidate.count == current.count else { return true }
        for (i, value) in candidate.enumerated() where value != current[i].value {
            guard current[i].kind.permits(value) else { return true }
            return compareSimplicity(Choice(kind: current[i].kind, value: value), current[i]) < 0
        }
        return false
    }

    /// Passes run round-robin while any makes progress.
    private var passes: [() -> Bool] {
        [
            { self.deleteSpans() },
            { self.deleteInEqualSiblings(leastChoices: 3) },
            { self.zeroSpans() },
            { self.rescaleBinds() },
            { self.lowerEqualValues() },
            {
                let before = self.values
                let progress = self.lowerChoices()
                let after = self.values
                self.loweredThisRound = before.count == after.count ? Set(before.indices.filter { before[$0] != after[$0] }) : []
                return progress
            },
            {
                self.sortedThisRound = self.sortSiblings()
                return self.sortedThisRound
            },
            { self.relabelValues() },
            { self.shiftTogether() },
            { self.shiftKinds() },
            { self.redistribute() },
            { self.replaceWithDescendant() },
        ]
    }

    /// Passes that cost many calls for rare wins: run only when a whole
    /// round of the others made no progress.
    private var lastResortPasses: [() -> Bool] {
        [
            { self.shiftCollectionBoundaries() },
            { self.deleteBlocks() },
            { self.deleteSiblingPairs() },
            { self.deleteEqualNeighbourPairs() },
            { self.deleteIntoNext() },
            { self.deleteAndShift() },
            { self.deleteAndRaise() },
            { self.mirrorSigns() },
            { self.fractionsToIntegers() },
            { self.shiftDoublesWithIntegers() },
            { self.scaleTogether() },
            { self.divideTogether() },
            { self.shiftNearValues() },
            { self.deleteInEqualSiblings(alike: true) },
            { self.deleteFromSiblingCollections() },
            { self.swapTupleBlocks() },
            { self.swapFields() },
            { self.swapNeighbours() },
            { self.liftElements() },
            { self.splitElements() },
            { self.reduceModuloLength() },
            { self.copyValues() },
            { self.trimWithCount() },
            { self.clearBits() },
            { self.redistributeRepeatedValues() },
            { self.moveIntegerIntoByteLength() },
            { self.deleteAndRaiseLaterReferences() },
            { self.lowerIsolatedIntegers() },
            { self.switchRuleDroppingArgument() },
            { self.switchRecursiveBranchRealigning() },
        ]
    }

    /// How many times in a row a last-resort pass that shortened the
    /// example runs again before the other passes (see `shrink`).
    static let lastResortRepeats = 8

    /// Rounds in a row with progress after which the last-resort passes run
    /// anyway (see `shrink`).
    static let roundsBeforeLastResort = 10

    /// Shrinks until no pass makes progress or the call budget is spent.
    func shrink() {
        // The failing example without its dropped parts, when simpler.
        _ = adoptEquivalent(of: best)
        // The simplest example, then its shape: every value at its simplest
        // with every collection's elements and byte string's length kept.
        // Where only a length matters ("at least thirty characters") the
        // shape fails, and then every deletion of one element is the same
        // candidate, answered from the cache; otherwise deleting and
        // lowering elements one by one cost a call or more each.
        if !consider(choices.map { $0.kind.simplest }) {
            let flags = elementFlags(in: spans)
            var shape = values
            var changed = false
            for k in choices.indices where !choices[k].isSimplest && !flags[k] {
                // A byte string keeps its length, as a collection keeps its elements.
                if case .bytes(let b) = values[k] {
                    guard b.contains(where: { $0 != 0 }) else { continue }
                    shape[k] = .bytes([UInt8](repeating: 0, count: b.count))
                } else {
                    shape[k] = choices[k].kind.simplest
                }
                changed = true
            }
            if changed { consider(shape) }
        }
        let passes = self.passes, lastResort = self.lastResortPasses
        // Rounds of the other passes in a row that made progress.
        var progressing = 0
        while !exhausted {
            var progress = false
            for pass in passes where !exhausted {
                if pass() { progress = true }
            }
            progressing = progress ? progressing + 1 : 0
            // The last resorts also get a turn after every
            // `roundsBeforeLastResort` rounds in a row that made progress:
            // a value lowered a few units a round (a sum of squares that must
            // stay past Int32's top, `[x, y, -32768]` with `x` lowered while
            // `y` makes up for it) kept them from ever running, and 2 of the
            // 10 seeds of `slowProgressStillLetsTheLastResortsRun` spent the
            // whole budget so (with `lowerChoices`' try of a value alone
            // after a shift, which cured the other 8). No row of the
            // shrink-quality suite moved.
            if progress && progressing % Self.roundsBeforeLastResort != 0 { continue }
            var lastResortProgress = false
            for pass in lastResort where !exhausted && !lastResortProgress {
                // A last resort that shortened the example runs again at
                // once while it adopts (up to `lastResortRepeats` times),
                // before a whole round of the other passes: its deletions
                // come in runs. A counter that misbehaves at 48 trades an
                // increment for a larger add one `deleteAndRaise` at a
                // time, and each trade paid for a round first (1,678.5
                // median calls to the minimum, 988.5 now). Only after a
                // deletion: a residue's period step (`lowerIsolatedIntegers`)
                // run again at once left one seed of a family stuck above
                // its minimum, the searches of the round between having
                // found its period.
                let length = choices.count
                if pass() {
                    lastResortProgress = true
                    var repeats = 0
                    while choices.count < length, repeats < Self.lastResortRepeats, !exhausted, pass() { repeats += 1 }
                }
            }
            if !progress && !lastResortProgress {
                // A pass cut short by the budget reports no progress too.
                converged = !exhausted
                break
            }
        }
    }

    /// The minimal example, run once more (always: one body call), and that
    /// run. The body's last failing call is then on the minimal example
    /// (what a body logs on failure describes it). When the run fails the
    /// same way it is the minimal example (the report shows what it
    /// recorded); when it does not, the failure is flaky and the caller must
    /// say so, with `best` as the example.
    func replayMinimalChecked() -> (minimal: Execution, rerun: Execution) {
        let final = executor.replay(best.sequence.values)
        return (final.outcome.failureKind == kind ? final : best, final)
    }

    /// The minimal example as the body last saw it, without the flakiness
    /// check (the byte-format minimiser): run once more only when the
    /// body's most recent failure was on another example (otherwise that run
    /// would repeat it exactly).
    func replayMinimal() -> Execution {
        if executor.lastBodyFailure == best.sequence.values { return best }
        let final = executor.replay(best.sequence.values)
        return final.outcome.failureKind == kind ? final : best
    }

    // MARK: Helpers shared by the passes

    /// The current values with `range` replaced by `replacement`.
    func replacing(_ range: Range<Int>, with replacement: [ChoiceValue], in base: [ChoiceValue]? = nil) -> [ChoiceValue] {
        var out = base ?? values
        out.replaceSubrange(range, with: replacement)
        return out
    }

    /// For each choice, the deepest span that holds it (-1 for none).
    func innermostSpans() -> [Int] {
        var innermost = [Int](repeating: -1, count: choices.count)
        for (s, span) in spans.enumerated() {
            for k in span.range where k < choices.count {
                if innermost[k] < 0 || spans[innermost[k]].depth < span.depth { innermost[k] = s }
            }
        }
        return innermost
    }

    /// Each list's elements as `siblingRun` gives them, each list once,
    /// in the order the lists' first elements were drawn.
    func elementRuns(in spans: [Span]) -> [[Int]] {
        var covered = Set<Int>()
        var runs: [[Int]] = []
        for k in spans.indices where spans[k].label == "array.element" && !covered.contains(k) {
            let run = siblingRun(from: k, in: spans)
            covered.formUnion(run)
            runs.append(run)
        }
        return runs
    }

    /// Spans with the same parent as `spans[index]` that follow it without gaps, starting with it.
    /// Every run of two or more sibling spans (`siblingRun`), in order of
    /// their first span; each span is in one run at most.
    var siblingRuns: [[Int]] {
        var runs: [[Int]] = []
        var covered = Set<Int>()
        for i in spans.indices where !covered.contains(i) {
            let run = siblingRun(from: i, in: spans)
            covered.formUnion(run)
            if run.count > 1 { runs.append(run) }
        }
        return runs
    }

    func siblingRun(from index: Int, in spans: [Span]) -> [Int] {
        let first = spans[index]
        var run = [index]
        var end = first.end
        var j = index + 1
        while j < spans.count, spans[j].start <= end {
            if spans[j].parent == first.parent {
                guard spans[j].start == end, spans[j].label == first.label else { break }
                run.append(j)
                end = spans[j].end
            }
            j += 1
        }
        return run
    }
}
