// Pass: move value from one integer to another, keeping their sum.
//
// Integers of a machine width (a range of 2^8, 2^16 or 2^32 values) also
// try the sum modulo the range size, since code over such integers usually
// wraps; so do a state machine's rule choices and ranges of at most 8
// values (an alphabet of "sSß" cycles, and moving two units from an add's
// argument into the next step's rule turns a decrement into an increment).
// A quantity in any other range does not: a size of 1...64 raised past 64
// is no size of a few bytes, and those wrapped candidates cost an
// allocator's shrink a call for nothing on most pairs of its steps (bump
// allocators with drawn totals 8 to 22% fewer calls without them, a
// counter with add(n: 0...10) at 48 988.5 to 797, 26 suite rows up to 68
// calls fewer and none dearer).
//
// In a generator property the earlier integer is never one that selects
// what the choices after it mean (a one-of's branch index, a recursive
// structure's leaf-or-node choice, see `selectsBranch`): moved, it makes
// the later integer part of another shape, so no value moves between them
// (`node(100, 0)` became `leaf(1)`); lowering it on its own is left to
// `lowerChoices` and `replaceWithDescendant`. On the shrinking challenge
// this took calculator's median calls from the first failure from 49.5 to 36.
//
// Nor, in a generator property, between two integers of one kind that hold
// a value the example holds three times or more: such a failure is about
// the repeated value (a value three times in a list), which the move
// breaks; `lowerEqualValues` lowers the group as a whole. At `[1, 1, 1]`
// the three pairs cost three calls at the end of every shrink. Two equal
// integers alone still move (a sum of 600 and 600 that must pass 1000).
// As a last resort (`redistributeRepeatedValues`) value moves between the
// first and the last holder of such a value, one pair per value: digits
// that must sum past 20 stopped at "777" in 7 of 20 seeds (lowered
// together they give 18), where "399" is simpler; the one pair cost a call
// at the end of 8 of the suite's problems, all three pairs three.
//
// Between the codes of doubles past the integers (an exponent and a
// mantissa, see `Generators/Floats.swift`) a move of code is no move of
// value, yet it can find what no value-level step does: two copies of
// 2^1023 whose sum must overflow become `[2^970, max]` in some seventy
// moves. Between fractions it can also go on for thousands of calls: an
// order-dependent float sum of `[128.0, 9.6e-06, 7.2e-12]` moved code back
// and forth between its last two values, each move and the lowering after
// it a little simpler, some eight hundred times, until the shrink's budget
// ran out in 3 seeds of 20. So at most `doubleCodeMoveLimit` such moves are
// adopted in a shrink.
//
// Nor between a character and an integer that is not one: a character is
// a symbol whose index in the character order is no quantity, so no sum of
// it with a number means anything (Hypothesis's redistribution works on
// numbers only; its characters are not integer choices). At the end of a
// tuple of an integer and a string, `(True, 11, '00')`, moving the 11 into
// either character (`'B0'`, `'60'`) cost four calls for nothing.
//
// Before value moves from an element of a collection into a later element
// of the same collection that is nearer its simplest value, the earlier
// value is tried alone, at its simplest and at half its rank (then, when
// half works, the search's probes up and bisection), once for each time
// anything but this pass was adopted. Such a move is simpler in shortlex
// order, but when the earlier value could go down on its own it only spreads
// value over both: in a strictly decreasing list, once the later values had
// been lowered, `[83, 1, 0]` became `[43, 41, 0]` where lowering the 83
// alone gives `[2, 1, 0]`, and each round only halved the values (130 calls
// from the first failure over 200 seeds, now 41). Only those two probes:
// where a sum holds the value (bound5's lists) the local steps cost calls
// for nothing, and across different parts of the example (calculator's
// operands, bound5's lists) the probes cost bound5 and calculator a call or
// two and moved nothing else.
//
// Invariant: the earlier integer gets strictly simpler and the later one
// absorbs the difference (within its bounds), so the candidate is
// shortlex-smaller whenever it is run.

extension Shrinker {
    func redistribute() -> Bool {
        redistributing = true
        defer { redistributing = false }
        var progress = false
        var k = 0
        while k < integerIndices.count, !exhausted {
            for step in 1..<9 {
                // Read afresh: an accepted move can shorten the example, and
                // indices from before it then point past its end.
                let ints = integerIndices
                guard k + step < ints.count, !exhausted else { break }
                let i = ints[k], j = ints[k + step]
                let characters = characterIndices
                var walking = false, lastMoveRejected = false
                /// Moves the earlier integer to `target`, the later one absorbing the difference.
                func move(to target: Int64) -> Bool {
                    lastMoveRejected = false
                    guard j < choices.count, i < choices.count, case .integer(let ci) = choices[i].kind,
                          case .integer(let cj) = choices[j].kind, case .integer(let a) = values[i],
                          case .integer(let b) = values[j] else { return false }
                    let (delta, o1) = a.subtractingReportingOverflow(target)
                    let (sum, o2) = b.addingReportingOverflow(delta)
                    // A later integer of two values (a one-of's index) with
                    // another range in a generator property: a wrapped sum
                    // is only its parity, not a move of value.
                    let size = cj.maxRank &+ 1  // 0 for the whole 64-bit range
                    let machineWidth = size >= 256 && size & (size &- 1) == 0
                    let smallOrRule = size != 0 && size <= 8 || self.best.ruleChoices.contains { $0.choice == j }
                    let wraps = !(self.executor.deduplicates && cj.maxRank < 2 && self.choices[i].kind != .integer(cj))
                        && (machineWidth || smallOrRule)
                    guard !o1, !o2, let moved = wraps ? Self.fitting(sum, cj) : (cj.contains(sum) ? sum : nil) else { return false }
                    var candidate = values
                    candidate[i] = .integer(target)
                    candidate[j] = .integer(moved)
                    let fractional = self.holdsFractionalDouble(i) || self.holdsFractionalDouble(j)
                    guard !fractional || self.doubleCodeMoves < Self.doubleCodeMoveLimit else { return false }
                    guard self.consider(candidate) else {
                        // A move a filter rejected (sizes kept to multiples
                        // of 8, moved by one) says nothing about the
                        // failure: the next larger moves answer for it, up
                        // to `rejectedWalkLimit` of them, until one is not
                        // rejected (as `nearestAcceptedBelow` does for one
                        // value).
                        // Only between two elements of one collection: between
                        // a heap's keys, each filtered to be at least its
                        // parent's, the walk cost the shrinking challenge's
                        // binheap 4 median calls (102 to 106).
                        lastMoveRejected = (self.insideFilter(i) || self.insideFilter(j)) && self.inOneCollection(i, j)
                            && self.rejectedByFilter(candidate, filtered: true)
                        guard lastMoveRejected, !walking, !fractional else { return false }
                        walking = true
                        defer { walking = false }
                        var further = target
                        for _ in 0..<Self.rejectedWalkLimit where !self.exhausted && further != ci.simplest {
                            further = further > ci.simplest ? further - 1 : further + 1
                            if move(to: further) { return true }
                            guard lastMoveRejected else { return false }
                        }
                        return false
                    }
                    if fractional { self.doubleCodeMoves += 1 }
                    return true
                }
                guard j < choices.count, i < choices.count,
                      case .integer(let ci) = choices[i].kind, case .integer(let a) = choices[i].value,
                      case .integer = choices[j].kind, a != ci.simplest, !(executor.deduplicates && selectsBranch(i)),
                      (executor.deduplicates && partOfRepeatedValue(i, j, ints)) == redistributingRepeated,
                      !redistributingRepeated || outermostOfItsValue(i, j, ints),
                      characters.contains(i) == characters.contains(j) else { continue }
                if isNearerSimplest(j, than: i), loweredAloneAt[i] != adoptionsBesidesRedistribution, inOneCollection(i, j) {
                    // Lowered alone first (see the header); adoptions made
                    // here do not count against it, so once per value.
                    let count = choices.count
                    let lowered = Search.lowestSimpler(of: a, in: ci, beforeLocalSteps: { true }) { target in
                        guard i < self.choices.count, self.choices.count == count else { return false }
                        return self.consider(self.replacing(i..<(i + 1), with: [.integer(target)]))
                    }
                    loweredAloneAt[i] = adoptionsBesidesRedistribution
                    if lowered != a { progress = true; continue }
                }
                // Between integers of different ranges (a dictionary's key
                // and its value, a one-of's index and its payload) in a
                // generator property, the search stops when its first two
                // probes (the whole move, then about half of it) both fail:
                // such a pair almost never moves, and the rest of the search
                // cost a few calls per pair at the end of every shrink
                // (Hypothesis's redistribution likewise gives up on a pair
                // after one failed move). Integers of one range (bound5's,
                // whose sum wraps) and bodies that draw while they run (a
                // counter machine) still need the whole search.
                if executor.deduplicates, case .integer(let cj) = choices[j].kind, cj != ci {
                    var failures = 0, accepted = false
                    _ = Search.lowestSimpler(of: a, in: ci) { target in
                        guard accepted || failures < 2 else { return false }
                        if move(to: target) { accepted = true; return true }
                        failures += 1
                        return false
                    }
                    // The later integer filled to its bound, when that moves
                    // less than the probes did (an eighth of the value at
                    // most, not into a branch choice, and from a value
                    // outside any collection's elements into one of them, a
                    // parameter and a list it governs, or into another
                    // component of its tuple): a sum that must wrap past a
                    // 12-bit sequence space, (4006, [90]) of a start and gaps
                    // of at most 100, is (3996, [100]) (1 to 19 of 20 seeds);
                    // a read whose end must wrap past 2^64, (2^64 - 2, 2) of
                    // an offset and a 32-bit length, is (2^64 - 2^32 + 1,
                    // 2^32 - 1) (0 to 20). Between any two integers outside
                    // collections it cost the challenge's binheap 14 calls
                    // and five seeded defects' medians up to 4. Without the
                    // eighth, the challenge's binheap paid 4.5 calls more at
                    // 20 seeds; from a trace's arena size into its holes and
                    // steps it cost the seeded defects' shrinks 1 to 2%,
                    // every final the same.
                    if !accepted, cj.maxRank >= 2, !selectsBranch(j), !inCollectionElement(i),
                       inCollectionElement(j) || componentsOfOneTuple(i, j),
                       case .integer(let b) = values[j], case .integer(let now) = values[i] {
                        let (room, o1) = now > ci.simplest ? cj.max.subtractingReportingOverflow(b) : cj.min.subtractingReportingOverflow(b)
                        let (target, o2) = now.subtractingReportingOverflow(room)
                        // (Or nearly all of it, between two components of
                        // one tuple: a timer armed at `now` for `timeout`
                        // ticks whose 32-bit deadline wraps, `(203, 2^31 -
                        // 203)`, is `(1, 2^31 - 1)`; the probes move all of
                        // 203, which wraps, and then a negative amount.)
                        // All but one unit counts as nearly all for a small value:
                        // a nice value and an `Int8` increment that must wrap
                        // stopped at (7, 121), (5, 123) or (3, 125) in 3 seeds
                        // of 20, where (1, 127) is the room plus one.
                        let nearlyAll = componentsOfOneTuple(i, j)
                            && room.magnitude >= now.magnitude - Swift.min(now.magnitude, Swift.max(1, now.magnitude / 8))
                        if !o1, !o2, room != 0, room.magnitude <= now.magnitude / 8 || nearlyAll, ci.contains(target), ci.rank(of: target) < ci.rank(of: now),
                           (target > ci.simplest) == (now > ci.simplest) || target == ci.simplest, move(to: target) {
                            accepted = true
                        }
                    }
                    if accepted { progress = true }
                } else {
                    // In a generator property the search skips the probes
                    // that only pay off for a single value (the value just
                    // before in rank, on the other side, and a step of two
                    // after a step of one failed): at the end of every shrink
                    // they cost two calls per pair of one range and never
                    // moved one (the counter machine needs them).
                    //
                    // Between two elements of one collection in a generator
                    // property, a move of one unit comes first, and the pair
                    // is left when it fails (as Hypothesis's redistribution
                    // does): at a minimum the search's three probes (all,
                    // half, one unit) each failed, and a strictly decreasing
                    // list of four now takes 8 shrink calls fewer. A unit
                    // that moves costs a call more before the search goes
                    // on ("a sum over 100" one more call; over 200 seeds the
                    // challenge's bound5 44 to 44.5).
                    let oneStep = a > ci.simplest ? a - 1 : a + 1
                    if executor.deduplicates, oneStep != ci.simplest, inOneCollection(i, j) {
                        guard move(to: oneStep) else { continue }
                        progress = true
                    }
                    guard case .integer(let now) = values[i] else { continue }
                    let found = Search.lowestSimpler(of: now, in: ci, nearbyOnly: executor.deduplicates) { target in move(to: target) }
                    if found != now { progress = true }
                }
            }
            k += 1
        }
        return progress
    }

    /// `redistribute` between the integers of a generator property that hold
    /// a value held three times or more, which the main round leaves alone.
    func redistributeRepeatedValues() -> Bool {
        guard executor.deduplicates else { return false }
        redistributingRepeated = true
        defer { redistributingRepeated = false }
        return redistribute()
    }

    /// Whether `i` and `j` are the first and the last of the integers in
    /// `ints` that hold their (equal) value.
    func outermostOfItsValue(_ i: Int, _ j: Int, _ ints: [Int]) -> Bool {
        let holders = ints.filter { values[$0] == values[i] && choices[$0].kind == choices[i].kind }
        return holders.first == i && holders.last == j
    }

    /// Whether choices `i` and `j` are components of one tuple (each the
    /// whole of one child of the tuple's span).
    func componentsOfOneTuple(_ i: Int, _ j: Int) -> Bool {
        func component(_ k: Int) -> Int? {
            spans.firstIndex { $0.range == k..<(k + 1) && $0.parent.map { spans[$0].label == "tuple" } == true }
        }
        guard let a = component(i), let b = component(j) else { return false }
        return spans[a].parent == spans[b].parent
    }

    /// Whether choice `index` lies inside an element of a collection.
    func inCollectionElement(_ index: Int) -> Bool {
        spans.contains { $0.label == "array.element" && $0.range.contains(index) }
    }

    /// Whether the integer at `j` is nearer its simplest value than the one at `i`.
    func isNearerSimplest(_ j: Int, than i: Int) -> Bool {
        guard case .integer(let ci) = choices[i].kind, case .integer(let a) = values[i],
              case .integer(let cj) = choices[j].kind, case .integer(let b) = values[j] else { return false }
        return Self.distanceFromSimplest(b, cj) < Self.distanceFromSimplest(a, ci)
    }

    /// Whether choices `i` and `j` lie in the same innermost collection.
    func inOneCollection(_ i: Int, _ j: Int) -> Bool {
        let spans = self.spans
        func collection(_ k: Int) -> Int? { spans.lastIndex { $0.label == "array" && $0.range.contains(k) } }
        guard let c = collection(i) else { return false }
        return c == collection(j)
    }

    /// Indices of the choices that are whole characters of `Gen.characters()`.
    var characterIndices: Set<Int> {
        if let known = derived.characterIndices { return known }
        let indices = Set(spans.lazy.filter { $0.label == "character" && $0.count == 1 }.map(\.start))
        derived.characterIndices = indices
        return indices
    }

    /// `value` if in range; else, for small ranges, `value` wrapped into the range.
    static func fitting(_ value: Int64, _ c: IntegerConstraints) -> Int64? {
        if c.contains(value) { return value }
        guard c.maxRank < 1 << 32 else { return nil }
        let size = Int64(c.maxRank) + 1
        let (offset, o) = value.subtractingReportingOverflow(c.min)
        guard !o else { return nil }
        return c.min + ((offset % size) + size) % size
    }

    /// Whether integers `i` and `j` are of one kind and hold a value that
    /// the example holds at least three times (among `ints`, the integers).
    func partOfRepeatedValue(_ i: Int, _ j: Int, _ ints: [Int]) -> Bool {
        guard values[i] == values[j], choices[i].kind == choices[j].kind else { return false }
        return ints.lazy.filter { self.values[$0] == self.values[i] && self.choices[$0].kind == self.choices[i].kind }.count > 2
    }

    /// Whether choice `index` is drawn by a sub-draw of several choices as
    /// its own first choice (not by a sub-draw of its own): a one-of's
    /// branch index, a recursive structure's leaf-or-node choice. The
    /// choices after it are read according to it.
    func selectsBranch(_ index: Int) -> Bool {
        let spans = self.spans
        guard spans.contains(where: { $0.start == index && $0.count > 1 }) else { return false }
        return !spans.contains { $0.start == index && $0.count == 1 }
    }
}

extension Shrinker {
    /// Moves between the codes of doubles past the integers adopted in one shrink at most.
    static let doubleCodeMoveLimit = 128

    /// Whether choice `index` is a double's code past the integers (an
    /// exponent and a mantissa).
    func holdsFractionalDouble(_ index: Int) -> Bool {
        guard index < values.count, isDoubleCode(index), case .integer(let v) = values[index] else { return false }
        return UInt64(bitPattern: v) >> 63 == 0
    }
}

extension Shrinker {
    /// Last resort: an integer just before a byte string goes to its
    /// simplest value with its distance from there added to the byte
    /// string's length, in zero bytes. Encodings give a field's number and
    /// a value's length the same special cases (a CoAP option's delta and
    /// length nibbles both read 13 as "one more byte follows"), and an
    /// option of delta 13 with an empty value stopped there in 20 seeds of
    /// 20, where delta 0 with 13 bytes is simpler: neither moves alone. One
    /// call per such pair, when the byte string has room.
    func moveIntegerIntoByteLength() -> Bool {
        var progress = false
        var i = 0
        while i + 1 < choices.count, !exhausted {
            defer { i += 1 }
            guard case .integer(let c) = choices[i].kind, case .integer(let v) = values[i], v != c.simplest,
                  case .bytes(_, let maxCount) = choices[i + 1].kind, case .bytes(let b) = values[i + 1],
                  !isDoubleCode(i), !isCharacter(i), !selectsBranch(i) else { continue }
            let distance = Self.distanceFromSimplest(v, c)
            guard distance <= UInt64(maxCount), b.count <= maxCount - Int(distance) else { continue }
            var candidate = values
            candidate[i] = .integer(c.simplest)
            candidate[i + 1] = .bytes(b + [UInt8](repeating: 0, count: Int(distance)))
            if consider(candidate) { progress = true }
        }
        return progress
    }
}
