// Pass: move value from one integer to another, keeping their sum.
//
// Fixed-width integers (ranges of at most 2^32 values) also try the sum
// modulo the range size, since code over such integers usually wraps.
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
//
// Nor between a character and an integer that is not one: a character is
// a symbol whose index in the character order is no quantity, so no sum of
// it with a number means anything (Hypothesis's redistribution works on
// numbers only; its characters are not integer choices). At the end of a
// tuple of an integer and a string, `(True, 11, '00')`, moving the 11 into
// either character (`'B0'`, `'60'`) cost four calls for nothing.
//
// Invariant: the earlier integer gets strictly simpler and the later one
// absorbs the difference (within its bounds), so the candidate is
// shortlex-smaller whenever it is run.

extension Shrinker {
    func redistribute() -> Bool {
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
                /// Moves the earlier integer to `target`, the later one absorbing the difference.
                func move(to target: Int64) -> Bool {
                    guard j < choices.count, i < choices.count,
                          case .integer(let cj) = choices[j].kind, case .integer(let a) = values[i],
                          case .integer(let b) = values[j] else { return false }
                    let (delta, o1) = a.subtractingReportingOverflow(target)
                    let (sum, o2) = b.addingReportingOverflow(delta)
                    // A later integer of two values (a one-of's index) with
                    // another range in a generator property: a wrapped sum
                    // is only its parity, not a move of value.
                    let wraps = !(self.executor.deduplicates && cj.maxRank < 2 && self.choices[i].kind != .integer(cj))
                    guard !o1, !o2, let moved = wraps ? Self.fitting(sum, cj) : (cj.contains(sum) ? sum : nil) else { return false }
                    var candidate = values
                    candidate[i] = .integer(target)
                    candidate[j] = .integer(moved)
                    return self.consider(candidate)
                }
                guard j < choices.count, i < choices.count,
                      case .integer(let ci) = choices[i].kind, case .integer(let a) = choices[i].value,
                      case .integer = choices[j].kind, a != ci.simplest, !(executor.deduplicates && selectsBranch(i)),
                      !(executor.deduplicates && partOfRepeatedValue(i, j, ints)),
                      characters.contains(i) == characters.contains(j) else { continue }
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
                    if accepted { progress = true }
                } else {
                    // In a generator property the search skips the probes
                    // that only pay off for a single value (the value just
                    // before in rank, on the other side, and a step of two
                    // after a step of one failed): at the end of every shrink
                    // they cost two calls per pair of one range and never
                    // moved one (the counter machine needs them).
                    let found = Search.lowestSimpler(of: a, in: ci, nearbyOnly: executor.deduplicates) { target in move(to: target) }
                    if found != a { progress = true }
                }
            }
            k += 1
        }
        return progress
    }

    /// Indices of the choices that are whole characters of `Gen.characters()`.
    var characterIndices: Set<Int> {
        Set(spans.lazy.filter { $0.label == "character" && $0.count == 1 }.map(\.start))
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
