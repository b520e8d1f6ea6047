// Pass: delete a sub-draw and raise another integer.
//
// A deleted step often carried something another step still needs (pages
// it allocated, a counter it raised). The failure then survives the
// deletion only when another argument takes over what the step added:
// `alloc 1 page; alloc 4 pages` failing at 5 live pages becomes
// `alloc 5 pages`, `increment(); add(n: 2); increment()` failing when the
// counter is 3 becomes `add(n: 3); increment()`. Deleting alone loses the
// failure and raising alone is less simple, so no other pass gets there.
//
// For each sub-draw that has an adjacent sibling with its label (a step,
// a collection element), a candidate deletes it and moves one integer (of the
// next 8 after it, then the nearest 4 before it; see below for which of
// them get which amounts) away from its simplest
// value by 1, 2, the distance from simplest of each integer inside the
// deleted sub-draw (up to 8), their sum, and powers of two up to twice the
// largest distance from simplest among integers of the raised one's kind.
// For each kind of integer the deleted sub-draw drew, the nearest later
// integer of that kind (the next allocation's size) gets powers of two
// across its whole range instead, since what the deleted step contributed
// need not show in any value (a size of 1 byte stands for a whole page).
// The ordinary passes then lower the raised value to its minimum. A
// sub-draw whose deletion leaves the same example as an earlier one's (the
// second of two equal steps) is skipped: that example is raised from once.
//
// Once two raises of one integer have run out of choices (every step ran
// and passed, and the run wanted more), its remaining powers of two are not
// tried; the amounts the deletion states (1, 2, the deleted distances,
// their sum) still are, and so is the whole-range sweep of the next integer
// of a kind the deleted sub-draw drew (that sweep is how one 1-byte
// allocation's page moves into another's size, and its small raises run
// out too). At the minimum of a free list that pushes a freed block twice
// (`alloc(33); free; alloc(1); alloc(1)`, every step needed) this pass
// spent 42 calls raising sizes by 4, 8, 16 and 32, all run-outs; 25 now.
// Measured over the suite (204 problems, 20 and 100 seeds) and the seeded
// defects' suites: no final example changed; the defects' median shrink
// calls fell by 5% in all (`buddy-by-addition` 514.5 to 450.5).
//
// That whole-range sweep thins out after the run-outs instead of going on
// by powers of two: it tries half the integer's room, and that divided by
// 8, 64, … (ascending), so a raise past a page still comes within a factor
// of 8 of what it needs and the lowering passes take it down. Every
// machine's minimum pays the sweep once per round, all run-outs (six
// pushes of a stack that loses the sixth: 1, 2, 4, … 64 on the next push's
// argument); nothing else changed when it was thinned (see `thinnedSweep`).
// When every raise of that sweep ran out, the other integers of its kind
// (the later pushes' arguments, the rule indices after the next one) are
// raised only by the deleted values themselves, moved over: not by 1, 2 or
// powers. Nothing that size could absorb the deleted step, so neither will
// a small raise of a farther value; moving the deleted value itself still
// can (the free list's `alloc(33)` deleted and an earlier `alloc(1)` made
// `alloc(33)`, which one seed in 100 needed to reach its minimum).
//
// Which integers get which amounts, around the deleted sub-draw:
// - the nearest integer before it, the integers of the next sub-draw like
//   it (the next step) and the next integer of a kind it drew (swept
//   across its range) get every amount;
// - the other integers before it are raised only by 2^v for each deleted
//   value v (an allocation's order stands for 2^order pages);
// - the other integers after it are not raised;
// - an integer of a kind swept in vain gets the deleted values (above).
// Why, as measured on the seeded defects' suites (340 shrinks), the suite
// and the machine families, every shrunk trace and final the same:
// - The nearest integer before keeps every amount: an add just before an
//   increment takes over what the increment added (a counter that
//   misbehaves at 33 took 513 calls from thirteen increments and two adds
//   without it, 368 with it).
// - The farther ones before: 1, 2 and the powers other than 2^v were
//   never adopted on the defects (the arena's size, a reserved range's
//   start and length, an earlier step's order or pick), and without them
//   the shrinks took 11.1% fewer calls (107,349 to 95,424); 2^v was, once:
//   a reserved range grown by 4 pages in place of a deleted order-2
//   allocation took one seed's trace from two operations to one. The
//   deleted values themselves were adopted nowhere, and without them the
//   defects' shrinks took 3.7% fewer calls again (92,900 to 89,417) and 23
//   suite machines fewer; the machine families' counters paid 1.5 to 31.5
//   calls more.
// - The ones after, past the next step: raised first by the deleted values
//   and 2^v only (1.5% fewer calls on the defects, 24 suite machines
//   cheaper; a counter that misbehaves at 48 paid 797 to 823.5), and those
//   raises were then adopted nowhere (about 1,000 calls over the suite and
//   the machine families): without them the defects took 1.6% fewer calls
//   (94,413 to 92,900), 7 suite machines and 10 machine families fewer, the
//   counters at 33 and 48 more (420.5 to 454, 823.5 to 837).
//
// The state-machine step the failure was seen in is not deleted: the
// candidate would then have to fail in one of the steps before it, all of
// which passed, with one argument raised. On the tests and problems
// measured that never happened (where the failing step repeats the step
// before it, deleting that one leaves the same candidates), and confirming
// a machine's minimum cost a call per raise: push, push, pop spent 6 of
// its 13 calls here raising the pushes' arguments with the pop deleted.
// Nor is any part of that step (one of its arguments): the step still
// draws every argument, so with one gone it reads past the end of the
// example whatever is raised, unless a raise turns it into a rule that
// draws fewer, which then has to fail where the step did. At the minimum
// put(key: 0, value: 0); put(key: 0, value: 1) of a map that loses an
// overwrite, every one of those candidates ran out of choices: 15 of the
// pass's 22 calls.
//
// Deleting a sub-draw can leave a later index-like integer out of the range
// it is now read with (a state machine's rule index counts only the rules
// enabled at that point, and fewer may be enabled once a step is gone);
// replay would read it as its simplest value and lose the alignment. When a
// candidate's recorded choices show such an integer before the raised one,
// it is clamped into that range for every later candidate of the sub-draw,
// and the candidate is tried again. When generation diverges before the
// raised integer in any other way, no integer from there on is tried for
// this sub-draw: the deletion alone already breaks the example there.
//
// Raising can also make the example draw something new after the raised
// integer: a rule index raised to a rule that takes an argument reads that
// argument from the next step's values, and everything after it is out of
// place. When a candidate's run drew an integer where the candidate holds a
// value that draw cannot take, the candidate is tried again with an integer
// inserted there (its simplest value, then that raised by the amounts
// above), so the later steps keep their meaning: four increments failing at
// the fourth become `add(n: 2)` and two increments, which the other passes
// take to `add(n: 3); increment()`. No other pass inserts a choice.
//
// Runs only for bodies that draw while they run (state machines,
// `checkProperty(_:configuration:drawing:)`, `shrink(bytes:)`), where a
// step's effect carries over to later steps. On generator properties almost
// every candidate is a valid value and so a body call: run on the shrinking
// challenge it changed no final example and raised the median calls from
// the first failure of 8 of the 14 problems (large_union_list from 120 to
// 417.5, reverse from 9.5 to 72).
//
// Invariant: every candidate removes a non-empty sub-draw (never the step a
// machine's failure was seen in, nor a part of it) and changes only
// one other integer (and clamps index-like integers after the deletion, or
// inserts one integer where the raise made the run draw a new one)
// within the bounds they were recorded or read with; it is adopted only when
// it records a shortlex-smaller sequence with the same failure (`consider`).
// Work is bounded: at most 12 integers per sub-draw, at most 75 amounts per
// integer, 4 tries per amount (and 6 insertions per raise), and the pass
// returns at the first adoption.

extension Shrinker {
    /// Integers after a deleted sub-draw tried as the one to raise, and before it.
    static let laterTargets = 8, earlierTargets = 4
    /// Run-outs of one raised integer after which its powers of two are not
    /// tried; a whole-range sweep then steps by `thinnedSweepFactor`.
    static let runOutsEndingASweep = 2, thinnedSweepFactor: UInt64 = 8

    /// The rest of a sweep after its run-outs: the stated amounts among
    /// `pending`, and for a whole-range sweep (`room`, the most the integer
    /// can move) half the room divided by powers of `thinnedSweepFactor`,
    /// those above twice `above` (the largest raise tried: one barely past
    /// it, 3 after 2, would cost a call to tell almost nothing new).
    /// Ascending and distinct.
    ///
    /// Half the room, not the room: the powers of two reached at least that
    /// far, and a raise to the very end of the range (the largest order, a
    /// size past the arena) costs calls of its own on the seeded defects
    /// (4 more on each of five of them).
    static func thinnedSweep(_ pending: ArraySlice<UInt64>, stated: Set<UInt64>, above: UInt64, room: UInt64?) -> [UInt64] {
        var rest = pending.filter { stated.contains($0) }
        if let room {
            var r = room / 2
            let floor = above > UInt64.max / 2 ? UInt64.max : 2 * above
            while r > floor {
                rest.append(r)
                r /= thinnedSweepFactor
            }
        }
        return ascendingDistinct(rest)
    }

    /// `amounts` sorted, each once.
    static func ascendingDistinct(_ amounts: [UInt64]) -> [UInt64] {
        let sorted = amounts.sorted()
        return sorted.enumerated().filter { $0.offset == 0 || sorted[$0.offset - 1] != $0.element }.map(\.element)
    }

    /// The amounts a deletion states: 1, 2, the distance from simplest of
    /// each integer of the deleted sub-draw (`deleted`), and their sum when
    /// there are several and it does not overflow (unsorted, may repeat).
    static func statedAmounts(deleted: [UInt64]) -> [UInt64] {
        var amounts: [UInt64] = [1, 2] + deleted
        let (sum, overflow) = deleted.reduce((UInt64(0), false)) { acc, d in
            let (s, o) = acc.0.addingReportingOverflow(d)
            return (s, acc.1 || o)
        }
        if !overflow, deleted.count > 1 { amounts.append(sum) }
        return amounts
    }

    func deleteAndRaise() -> Bool {
        // Only for bodies that draw while they run (see the header).
        guard !executor.deduplicates else { return false }
        // Per integer kind, the largest distance from simplest in the example.
        var scales: [(kind: IntegerConstraints, distance: UInt64)] = []
        for choice in choices {
            guard case .integer(let c) = choice.kind, case .integer(let v) = choice.value else { continue }
            let d = Self.distanceFromSimplest(v, c)
            if let k = scales.firstIndex(where: { $0.kind == c }) {
                scales[k].distance = max(scales[k].distance, d)
            } else {
                scales.append((c, d))
            }
        }
        // A part of a step that has more steps after it (one of two
        // arguments drawn alike) is not deleted: see `misalignsElement`.
        let layout = BlockLayout(self)
        // Deleting either of two equal sub-draws next to each other leaves
        // the same example: it is raised from once, as the first's deletion.
        var bases: [[ChoiceValue]] = []
        // The state-machine step the failure was seen in is not deleted, nor any part of it (see the header).
        let failingStep = Self.failedInStep(best) ? best.failureSpan.map { spans[$0].range } : nil
        var i = 0
        while i < spans.count, !exhausted {
            let inFailingStep = failingStep.map { $0.lowerBound <= spans[i].start && spans[i].end <= $0.upperBound } ?? false
            if spans[i].count > 0, !inFailingStep, !isElementPayload(i), hasSibling(i), !misalignsElement(i, layout) {
                let base = replacing(spans[i].range, with: [])
                if !bases.contains(base) {
                    bases.append(base)
                    if deleteAndRaise(span: spans[i], scales: scales) { return true }
                }
            }
            i += 1
        }
        return false
    }

    /// Tries deleting `span` while raising one other integer; true when a candidate was adopted.
    private func deleteAndRaise(span: Span, scales: [(kind: IntegerConstraints, distance: UInt64)]) -> Bool {
        let range = span.range
        let current = choices
        var deletedDistances: [UInt64] = []
        var deletedKinds: [IntegerConstraints] = []
        for choice in current[range] {
            guard case .integer(let c) = choice.kind, case .integer(let v) = choice.value else { continue }
            if !deletedKinds.contains(c) { deletedKinds.append(c) }
            let d = Self.distanceFromSimplest(v, c)
            if d > 0, deletedDistances.count < 8 { deletedDistances.append(d) }
        }
        let isInteger = { (k: Int) -> Bool in if case .integer = current[k].kind { true } else { false } }
        let later = Array(current.indices[range.upperBound...].lazy.filter(isInteger).prefix(Self.laterTargets))
        let earlier = Array(current.indices[..<range.lowerBound].reversed().lazy.filter(isInteger).prefix(Self.earlierTargets))
        // Raised by powers of two across their whole range (see the header).
        let fullRange = deletedKinds.compactMap { kind in later.first { current[$0].kind == .integer(kind) } }
        let stated = Set(Self.statedAmounts(deleted: deletedDistances))

        var base = values
        base.removeSubrange(range)
        var reachable = base.count  // candidate positions from here on are never read as themselves
        // Kinds whose whole-range sweep ran out at every raise, and the
        // amounts other integers of those kinds are still raised by: the
        // deleted values moved over, not 1, 2 or powers (see the header).
        var sweptInVain: [IntegerConstraints] = []
        let movedAmounts = Set(Self.statedAmounts(deleted: deletedDistances).dropFirst(2))
        let exponents = Set(deletedDistances.filter { $0 >= 2 && $0 < 64 }.map { UInt64(1) << $0 })
        // The end of the next sub-draw like the deleted one (the next step).
        let nextSiblingEnd = spans.first { $0.start == span.end && $0.parent == span.parent && $0.label == span.label }?.end
            ?? range.upperBound
        for target in later + earlier where !exhausted {
            let position = target < range.lowerBound ? target : target - range.count
            guard position < reachable, case .integer(let c) = current[target].kind,
                  case .integer(let v) = current[target].value else { continue }
            // The nearest integer before the deletion, the next step's
            // integers and a swept one get every amount; the other later
            // ones none, unless of a kind swept in vain (see the header).
            let nearDeletion = target < range.lowerBound ? target == earlier.first
                : target < nextSiblingEnd || fullRange.contains(target)
            let sweptKind = sweptInVain.contains(c)
            if !sweptKind, !nearDeletion, target > range.lowerBound { continue }
            let scale = fullRange.contains(target) ? c.maxRank : scales.first { $0.kind == c }!.distance
            var deltas = Self.raiseDeltas(deleted: deletedDistances, scale: scale)
            if sweptKind {
                deltas = deltas.filter { movedAmounts.contains($0) }
                if deltas.isEmpty { continue }
            } else if !nearDeletion {
                // Before the deletion: only the quantities the deleted
                // values are exponents of.
                deltas = deltas.filter { exponents.contains($0) }
                if deltas.isEmpty { continue }
            }
            var runOuts = 0, tried = 0
            /// Tries raising the target by `delta`: whether a candidate was
            /// adopted, and whether this integer's sweep goes on.
            func tryRaise(_ delta: UInt64) -> (adopted: Bool, goOn: Bool) {
                guard let raised = Self.raise(v, by: delta, c) else { return (false, false) }
                // On a divergence before the raised integer, clamp an
                // index-like integer into the range it was read with (for
                // every later candidate of this sub-draw too) and retry.
                for _ in 0..<4 {
                    var candidate = base
                    candidate[position] = .integer(raised)
                    let before = calls, beforePredicted = predicted
                    if consider(candidate) { return (true, false) }
                    if calls > before { runOuts = lastOutcome == .overrun ? runOuts + 1 : 0; tried += 1 }
                    guard calls > before || predicted > beforePredicted, let recorded = lastRecorded,
                          let divergence = Self.firstDivergence(candidate, recorded) else { break }
                    if divergence > position {
                        // The raised integer made the example draw something
                        // new after it (a rule that takes an argument).
                        return (insertDrawn(at: divergence, into: candidate, recorded: recorded, deleted: deletedDistances,
                                            scales: scales), true)
                    }
                    // The raised value itself is out of the range it is read with.
                    if divergence == position { return (false, false) }
                    // (The run may also have ended before the divergence: `recorded` is then the shorter.)
                    guard divergence < recorded.count, case .integer(let w) = candidate[divergence],
                          case .integer(let read) = recorded[divergence].kind, !read.contains(w) else {
                        reachable = divergence
                        break
                    }
                    base[divergence] = .integer(Swift.min(Swift.max(w, read.min), read.max))
                }
                return (false, true)
            }
            var pending = deltas[...]
            var thinned = false
            var lastTried: UInt64 = 0
            while let delta = pending.first, !exhausted, position < reachable {
                if runOuts >= Self.runOutsEndingASweep, !thinned {
                    // After run-outs a sweep keeps only the stated amounts,
                    // and a whole-range sweep thins out (see the header).
                    thinned = true
                    pending = Self.thinnedSweep(pending, stated: stated, above: lastTried,
                                                room: fullRange.contains(target) ? Self.room(v, c) : nil)[...]
                    continue
                }
                pending = pending.dropFirst()
                guard Self.raise(v, by: delta, c) != nil else { break }
                lastTried = delta
                let (adopted, goOn) = tryRaise(delta)
                if adopted { return true }
                if !goOn { break }
            }
            if fullRange.contains(target), tried > 0, runOuts == tried, !sweptInVain.contains(c) { sweptInVain.append(c) }
        }
        return false
    }

    /// Tries `candidate` with one integer inserted at `position`, where its
    /// run (`recorded`) drew an integer that the candidate's value there
    /// does not fit (so replay read it as the simplest value and every later
    /// value one draw out of place): the simplest value and that moved by
    /// the amounts `raiseDeltas` gives, at most 6 tries. The values after
    /// the insertion keep their meaning.
    private func insertDrawn(at position: Int, into candidate: [ChoiceValue], recorded: [Choice], deleted: [UInt64],
                             scales: [(kind: IntegerConstraints, distance: UInt64)]) -> Bool {
        guard position < candidate.count, position < recorded.count, case .integer(let c) = recorded[position].kind,
              !recorded[position].kind.permits(candidate[position]) else { return false }
        let scale = scales.first { $0.kind == c }?.distance ?? 0
        var values = [c.simplest]
        for delta in Self.raiseDeltas(deleted: deleted, scale: scale) {
            guard values.count < 6, let raised = Self.raise(c.simplest, by: delta, c) else { break }
            values.append(raised)
        }
        for value in values where !exhausted {
            var inserted = candidate
            inserted.insert(.integer(value), at: position)
            if consider(inserted) { return true }
        }
        return false
    }

    /// The first position where `recorded` did not read `candidate` as given.
    static func firstDivergence(_ candidate: [ChoiceValue], _ recorded: [Choice]) -> Int? {
        for k in candidate.indices {
            if k >= recorded.count || recorded[k].value != candidate[k] { return k }
        }
        return nil
    }

    static func distanceFromSimplest(_ v: Int64, _ c: IntegerConstraints) -> UInt64 { distance(v, c.simplest) }

    /// How far `v` can move further from the simplest value (the way `raise` moves it).
    static func room(_ v: Int64, _ c: IntegerConstraints) -> UInt64 {
        let up = v > c.simplest || (v == c.simplest && c.max > c.simplest)
        return up ? UInt64(bitPattern: c.max &- v) : UInt64(bitPattern: v &- c.min)
    }

    /// `v` moved `delta` further from the simplest value (upwards from the
    /// simplest value itself when the range allows), or nil when that leaves the range.
    static func raise(_ v: Int64, by delta: UInt64, _ c: IntegerConstraints) -> Int64? {
        let up = v > c.simplest || (v == c.simplest && c.max > c.simplest)
        guard delta <= room(v, c) else { return nil }
        return up ? v &+ Int64(bitPattern: delta) : v &- Int64(bitPattern: delta)
    }

    /// Ascending, distinct, non-zero amounts to raise by: 1, 2, the deleted
    /// distances and their sum, and powers of two up to twice the largest of
    /// those and `scale`.
    static func raiseDeltas(deleted: [UInt64], scale: UInt64) -> [UInt64] {
        var deltas = statedAmounts(deleted: deleted)
        let largest = ([scale] + deleted).max()!
        var power: UInt64 = 4
        while power / 2 <= largest {
            deltas.append(power)
            if power > UInt64.max / 2 { break }
            power *= 2
        }
        return ascendingDistinct(deltas)
    }

    /// Whether `spans[index]` is one of a run of adjacent sub-draws with the
    /// same label and parent (steps, collection elements): what a deleted
    /// step contributed can pass to another step. A lone sub-draw (one
    /// argument inside a step, the whole run) is left out: deleting it
    /// shifts everything after it, and the calls it cost at the end of every
    /// shrink bought nothing on the tests and problems measured.
    func hasSibling(_ index: Int) -> Bool {
        if siblingRun(from: index, in: spans).count > 1 { return true }
        let span = spans[index]
        return spans[..<index].contains { $0.parent == span.parent && $0.label == span.label && $0.end == span.start }
    }
}
