// Passes that move several integers at once.
//
// - lowerEqualValues: integers with the same value are lowered to a common
//   simpler value (a value that is duplicated usually matters as a pair).
//   When that fails and the value is shared by operations' selectors (a
//   trace's `pop` is branch 1 of its one-of), the integers of one range are
//   lowered without them: `push 0, push 1, push 1, pop, pop` stopped there
//   in 7 of 20 seeds, since the candidate with every 1 at 0 turned the pops
//   into pushes. The same when the value is also an argument of another
//   operation: a buddy allocator's `alloc 0, alloc 1, alloc 1, alloc 1,
//   free 2, free 1` (1 of 20 seeds at the minimum, 3 now; 6 to 19 of 100).
//   Only then: for an expression tree, whose branches are not a
//   collection's operations, the second search cost the challenge's
//   calculator a call in 4 of 20 seeds.
// - shiftTogether: two nearby integers, or all integers of one kind (three
//   or more, or two farther apart than nearby: `shiftKinds`), move by
//   a common delta (keeping their differences), so constraints like
//   "b = a - 1" or "child key >= parent key" survive the move. In a
//   generator property two equal integers of one kind are not shifted as a
//   pair, here nor by the shift `lowerChoices` tries before its local steps
//   (`shiftWithNeighbours`): that lowers them together, which lowerEqualValues does for every
//   integer of that value at once, and for a value three times in a list
//   ([1, 1, 1]) the three pairs cost three calls at the end of every shrink.
//
// `shiftWithNeighbours` first moves the run of consecutive values of one
// kind around the value (`{61, 62, 63}`, the members of a range), when it
// has three or more: no pair of such a run can move, so each member was
// stepped alone and shifted with each neighbour before `shiftKinds` moved
// them all (a CPU list parsed as a half-open range: 42.5 median calls to
// `{0, 1, 2}`, 22 now; over the suite 15 medians moved, by 21.5 calls
// fewer in all, and none crossed Hypothesis's).
//
// Between integers of different ranges in a generator property the shift's
// search stops after two failed probes (see `shift`). A shift that makes a
// positive value simpler searches on that value's own side
// (`Search.lowestSimpler`), as lowering one value does: in rank order the
// doubling probes (ranks 2, 4, 8, …) are all negative, and `a + b == c`
// above 100, where `b` and `c` must move together, took 855 median calls
// from the first failure (now 54.5). A negative value keeps the rank
// search: the challenge's bound5_max1, whose minimum holds -1 and -32768,
// took 29.5 to 39.5 median calls with the other.
//
// `shiftTogether` skips a pair of one kind (two elements of a list, two
// integers of one range) when `lowerChoices` changed either value in the
// same round: a value that still moves alone is not yet tied to its
// neighbour, and the pair's probes fail while each side has room of its
// own ("the sum of a pair exceeds 1000": 23 to 20 median calls over 200
// seeds, "five values add up to over 100" 50 to 46). Integers of different
// kinds can be tied while each still moves (an arena's reserved range and
// an allocation's size): skipping those too saved calculator and binheap
// half a call and one and a half over 200 seeds, but left one more of 20
// seeds of the seeded defect free-exact-one-past at three operations
// instead of two. After `sortSiblings` adopted a
// new order in the round, `shiftTogether` skips every pair and
// `shiftKinds` does not run: the lowering has not seen the values in their
// new places (three values above 50 sorted to [51, 51, 63] spent nine
// calls shifting before 63 went down alone; over 200 seeds bound5 49.5 to
// 44 median calls, four suite medians lower, binheap's half a call higher).
//
// Invariant: a candidate is run only when every moved value stays within
// its choice's bounds.

extension Shrinker {
    /// Indices of integer choices, in order.
    var integerIndices: [Int] {
        if let known = derived.integerIndices { return known }
        let choices = self.choices
        let indices = choices.indices.filter { if case .integer = choices[$0].kind { return true } else { return false } }
        derived.integerIndices = indices
        return indices
    }

    func lowerEqualValues() -> Bool {
        var progress = false
        var seen: Set<Int64> = []
        // `values` and `integerIndices` are computed from the best example:
        // read once, and again after each adoption (an example of 6,000
        // choices spent two thirds of a shrink's time re-reading them).
        var base = values
        var ints = integerIndices
        for i in integerIndices where !exhausted {
            guard i < choices.count, case .integer(let c) = choices[i].kind, case .integer(let v) = choices[i].value,
                  v != c.simplest, !seen.contains(v) else { continue }
            seen.insert(v)
            let group = ints.filter { base[$0] == .integer(v) }
            guard group.count > 1 else { continue }
            // The value may be shared by operations' selectors, which must
            // keep it (the branch index 1 of a trace's `pop` beside two
            // priorities of 1): then the integers of this one's range alone.
            let kinds = choices
            let ofKind = kinds.count == base.count ? group.filter { kinds[$0].kind == kinds[i].kind } : group
            // Equal doubles past the integers: lowered by value, together
            // (see `lowerDoubleCode`); the integer search on their codes
            // would step through their mantissas.
            if ofKind.count == group.count, UInt64(bitPattern: v) >> 63 == 0, group.allSatisfy(isDoubleCode) {
                if lowerDoubleCode(at: i, together: group) {
                    progress = true
                    base = values
                    ints = integerIndices
                }
                continue
            }
            var found = lowerGroup(group, from: v, c, base)
            if found == v, ofKind.count > 1, ofKind.count < group.count, base == values,
               group.allSatisfy({ ofKind.contains($0) || selectsOperation($0) || isOperationArgument($0) || isStepStructure($0) }) {
                found = lowerGroup(ofKind, from: v, c, base)
            }
            // The holders at one field of their records (the keys of two
            // dictionaries' entries), while the same value elsewhere (an
            // entry's value) stays: a quota merge whose minimum is
            // `({0: 1}, {0: 0})` stopped at `({1: 1}, {1: 0})` in 2 seeds
            // of 20, the three 1s going down only together.
            if found == v, executor.deduplicates, base == values,
               let field = sameFieldHolders(group), field.count > 1, field.count < group.count {
                found = lowerGroup(field, from: v, c, base)
            }
            if found != v {
                progress = true
                base = values
                ints = integerIndices
            }
        }
        return progress
    }

    /// The members of `group` that lie at one offset in a collection
    /// element's span, when more than one offset holds members and one of
    /// them holds two or more: the offset holding the most (the first such
    /// offset on a tie). Nil when any member lies in no element.
    private func sameFieldHolders(_ group: [Int]) -> [Int]? {
        var byOffset: [(offset: Int, members: [Int])] = []
        for index in group {
            guard let element = spans.last(where: { $0.label == "array.element" && $0.range.contains(index) }) else { return nil }
            let offset = index - element.start
            if let k = byOffset.firstIndex(where: { $0.offset == offset }) {
                byOffset[k].members.append(index)
            } else {
                byOffset.append((offset, [index]))
            }
        }
        guard byOffset.count > 1 else { return nil }
        return byOffset.max { $0.members.count < $1.members.count }?.members
    }

    /// Whether choice `index` picks the alternative of a collection's
    /// element (a one-of's branch, or an element of a fixed list such as
    /// `["put", "get"]`): an operation of a trace. An optional's "some or
    /// none" counts too: a dictionary's keys of 1 beside an optional value
    /// that is there (`{1: None}`, `{1: 0}`) went to 0 only with the value.
    private func selectsOperation(_ index: Int) -> Bool {
        spans.contains { (Self.choiceLabels.contains($0.label) || $0.label == "optional") && $0.start == index }
            && spans.contains { $0.label == "array.element" && $0.range.contains(index) }
    }

    /// Whether choice `index` is a state-machine step's flag ("another
    /// step?") or its rule choice: the machine's structure, never an
    /// argument (two keys of 1 beside a `get` chosen as rule 1 went to 0
    /// only without the rule).
    private func isStepStructure(_ index: Int) -> Bool {
        best.ruleChoices.contains { $0.choice == index }
            || spans.contains { $0.label == "state-machine.step" && $0.start == index }
    }

    /// Whether choice `index` is drawn inside an element of a collection
    /// that chooses among alternatives (an operation of a trace, `free(1)`).
    private func isOperationArgument(_ index: Int) -> Bool {
        spans.contains { $0.label == "array.element" && $0.range.contains(index) && holdsUnion($0) }
    }

    /// Lowers the integers at `group` (all `v`, of range `c` for the search)
    /// together from `base`; the value they reached.
    private func lowerGroup(_ group: [Int], from v: Int64, _ c: IntegerConstraints, _ base: [ChoiceValue]) -> Int64 {
        let members = Set(group)
        // On the value within its sign, as `lowerChoices` does: a rank
        // search alternates signs, and stepped two copies of 2^40 + 2,810
        // down one value per few calls until the budget ran out.
        // (The step of two only after a collision with another value,
        // as in `lowerChoices`.)
        return Search.lowestSimpler(of: v, in: c, stepOfTwo: { failed in
            guard self.executor.deduplicates else { return true }
            let now = self.values
            return now.indices.contains { !members.contains($0) && now[$0] == .integer(failed) }
        }) { target in
            var candidate = base
            for j in group { candidate[j] = .integer(target) }
            return self.consider(candidate)
        }
    }

    /// Moves the integers at `indices` by a common delta so that the first
    /// gets simpler; returns whether anything was accepted.
    func shift(_ indices: [Int]) -> Bool {
        // Callers may hold indices from before an earlier accepted shrink.
        guard let first = indices.first, indices.allSatisfy({ $0 < choices.count }), case .integer(let c) = choices[first].kind,
              case .integer(let v) = choices[first].value, v != c.simplest else { return false }
        let base = values
        let kinds = choices
        // Integers of different ranges in a generator property: the search
        // stops when its first two probes fail, as in `redistribute`.
        let gated = executor.deduplicates && indices.contains { kinds[$0].kind != kinds[first].kind }
        var failures = 0, accepted = false
        func works(_ target: Int64) -> Bool {
            // (A probe that moves a value out of its range counts as failed.)
            if gated, !accepted, failures >= 2 { return false }
            failures += 1
            let (delta, overflow) = target.subtractingReportingOverflow(v)
            if overflow { return false }
            var candidate = base
            for j in indices {
                guard case .integer(let w) = base[j], case .integer(let cj) = kinds[j].kind else { return false }
                let (moved, o) = w.addingReportingOverflow(delta)
                guard !o, cj.contains(moved) else { return false }
                candidate[j] = .integer(moved)
            }
            if self.consider(candidate) { accepted = true; return true }
            return false
        }
        guard v > c.simplest else {
            return Search.lowestRank(current: c.rank(of: v)) { works(c.value(atRank: $0)) } < c.rank(of: v)
        }
        return Search.lowestSimpler(of: v, in: c, works) != v
    }

    /// Whether the integers at `a` and `b` of a generator property are equal
    /// and of one kind: a pair `shift` leaves to `lowerEqualValues` (see the header).
    func isEqualPairOfOneKind(_ a: Int, _ b: Int) -> Bool {
        executor.deduplicates && values[a] == values[b] && choices[a].kind == choices[b].kind
    }

    /// Shifts the integer at `index` together with each of the next two
    /// integers; returns whether anything was accepted.
    func shiftWithNeighbours(_ index: Int) -> Bool {
        let ints = integerIndices
        guard let k = ints.firstIndex(of: index) else { return false }
        let run = consecutiveRun(containing: index, among: ints)
        if run.count >= 3, shift([index] + run.filter { $0 != index }) { return true }
        for step in 1...2 where k + step < ints.count && !exhausted {
            if isEqualPairOfOneKind(ints[k], ints[k + step]) { continue }
            if shift([ints[k], ints[k + step]]) { return true }
        }
        return false
    }

    /// The integers of `index`'s kind whose values, with its own, make a
    /// run of consecutive values (`{61, 62, 63}`), in choice order.
    func consecutiveRun(containing index: Int, among ints: [Int]) -> [Int] {
        guard case .integer(let v) = values[index] else { return [] }
        let kind = choices[index].kind
        let ofKind = ints.filter { choices[$0].kind == kind }
        // Only asked whether it holds a value (never iterated).
        var present = Set<Int64>()
        for j in ofKind { if case .integer(let w) = values[j] { present.insert(w) } }
        var low = v, high = v
        while low > .min, present.contains(low - 1) { low -= 1 }
        while high < .max, present.contains(high + 1) { high += 1 }
        return ofKind.filter { if case .integer(let w) = values[$0] { return w >= low && w <= high } else { return false } }
    }

    /// Pairs of nearby integers (each with the next two integers).
    func shiftTogether() -> Bool {
        var progress = false
        var k = 0
        while k < integerIndices.count, !exhausted {
            for step in 1...2 {
                // Read afresh: an accepted shift can shorten the example
                // (a count lowered drops the elements it no longer asks for),
                // and indices from before it then point past its end.
                let ints = integerIndices
                guard k + step < ints.count, !exhausted else { break }
                if isEqualPairOfOneKind(ints[k], ints[k + step]) { continue }
                if sortedThisRound || choices[ints[k]].kind == choices[ints[k + step]].kind
                    && (loweredThisRound.contains(ints[k]) || loweredThisRound.contains(ints[k + step])) { continue }
                if shift([ints[k], ints[k + step]]) { progress = true }
            }
            k += 1
        }
        if shiftDoublePairs() { progress = true }
        return progress
    }

    /// Last resort: two integers farther apart than `shiftTogether`'s
    /// neighbours whose values differ by one or two, both at least 3 from
    /// their simplest values on the same side, moved by a common delta. A
    /// value that must be one below another several steps later (a cache
    /// entry's time to live and the wait that reaches its end) is held by
    /// that difference, and no other pass moves the two together: a
    /// resolver's cache ended at `put(ttl: 12); get(after: 1); get(after:
    /// 11)`, where `ttl: 2` and `after: 1` fail alike. Equal values are
    /// `lowerEqualValues`'s; values near their simplest are left alone (at
    /// a minimum they are most pairs, and the probes would cost a call each).
    func shiftNearValues() -> Bool {
        let ints = integerIndices
        var k = 0
        while k < ints.count, !exhausted {
            defer { k += 1 }
            for m in (k + 3)..<Swift.max(k + 3, ints.count) where !exhausted {
                let (a, b) = (ints[k], ints[m])
                guard b < choices.count, case .integer(let ca) = choices[a].kind, case .integer(let cb) = choices[b].kind,
                      case .integer(let va) = values[a], case .integer(let vb) = values[b],
                      (va > ca.simplest) == (vb > cb.simplest),
                      Self.distanceFromSimplest(va, ca) >= 3, Self.distanceFromSimplest(vb, cb) >= 3,
                      va != vb, Swift.max(va.magnitude, vb.magnitude) - Swift.min(va.magnitude, vb.magnitude) <= 2 else { continue }
                if shift([a, b]) { return true }
            }
        }
        return false
    }

    /// Each double with the next one, moved by a common whole amount that
    /// takes the first to 0 or to its integer part: a double is a sign and a
    /// code, so no integer shift moves one across 0, and `[1.0, 0.0]`
    /// failing "the list is sorted" never became `[0.0, -1.0]`. Only moves
    /// that keep the difference exactly (both values finite, no rounding).
    func shiftDoublePairs() -> Bool {
        let codeKind = ChoiceKind.integer(IntegerConstraints(min: .min, max: .max, simplest: .min))
        func codes() -> [Int] { choices.indices.filter { choices[$0].kind == codeKind && isDoubleCode($0) } }
        func value(_ i: Int) -> Double? {
            guard case .integer(let v) = values[i], case .boolean(let negative) = values[i - 1] else { return nil }
            let magnitude = FloatLex.double(lex: UInt64(bitPattern: v) ^ (1 << 63))
            return negative ? -magnitude : magnitude
        }
        func encode(_ d: Double, at i: Int, into candidate: inout [ChoiceValue]) {
            candidate[i - 1] = .boolean(d.sign == .minus)
            candidate[i] = .integer(Int64(bitPattern: FloatLex.lex(d) ^ (1 << 63)))
        }
        var progress = false
        var k = 0
        while !exhausted {
            let all = codes()
            guard k + 1 < all.count else { break }
            let (i, j) = (all[k], all[k + 1])
            k += 1
            guard let x = value(i), let y = value(j), x.isFinite, y.isFinite, x != 0 else { continue }
            for target in [0.0, x.rounded(.towardZero)] where target != x && !exhausted {
                let delta = target - x
                let moved = y + delta
                guard moved.isFinite, moved - y == delta, target - delta == x else { continue }
                var candidate = values
                encode(target, at: i, into: &candidate)
                encode(moved, at: j, into: &candidate)
                if consider(candidate) { progress = true; break }
            }
        }
        return progress
    }

    /// All integers of one kind (same bounds), anchored at each distinct value.
    func shiftKinds() -> Bool {
        if sortedThisRound { return false }
        var progress = false
        var kindsDone: [IntegerConstraints] = []
        for i in integerIndices where !exhausted {
            guard i < choices.count, case .integer(let c) = choices[i].kind, !kindsDone.contains(c) else { continue }
            kindsDone.append(c)
            let all = integerIndices
            let group = all.filter { choices[$0].kind == .integer(c) }
            // Two of a kind farther apart than `shiftTogether`'s pairs (the
            // next two integers) move together here too: an allocation's
            // size and a later one's, with a free's selector and index
            // between them.
            guard group.count > 2 || (group.count == 2 && (all.firstIndex(of: group[1])! - all.firstIndex(of: group[0])!) > 2) else { continue }
            var anchors: [Int64] = []
            for j in group {
                // (`group` is from before any shift this loop accepted.)
                guard j < values.count, case .integer(let w) = values[j], w != c.simplest, !anchors.contains(w) else { continue }
                anchors.append(w)
                let current = integerIndices.filter { choices[$0].kind == .integer(c) }
                guard let anchor = current.first(where: { values[$0] == .integer(w) }) else { continue }
                if shift([anchor] + current.filter { $0 != anchor }) { progress = true }
            }
        }
        return progress
    }
}
