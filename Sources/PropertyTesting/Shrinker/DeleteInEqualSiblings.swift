// Pass: delete the same element from two equal siblings at once.
//
// Two equal elements of a collection (two equal strings, two equal lists)
// often fail because they are equal: deleting a character from one alone
// makes them differ, and the deletion is refused in each. "Two strings of
// one length, at least 2" stopped at `['0000', '0000']` in 3 of 20 seeds.
// Here each element of a collection inside one sibling is deleted together
// with the same element of each later sibling with the same choices.
// Siblings are sub-draws of one label with one parent: a collection's
// elements, and a tuple's components too. A tuple's two equal strings,
// which the search's duplication mutation finds long, stopped at
// `('00', '00')` or longer in 4 of the 20 seeds of the test
// (`equalSiblingsShrinkTogether`) when only elements counted. A byte
// string is one choice, not a collection of element sub-draws: equal byte
// strings lose their last byte together instead (two equal byte strings of
// at least four bytes stopped at five or more in 10 of the test's 20 seeds).
//
// Elements go as runs: after one element of each, runs of 2, 3, 4, 8, ...
// (then a bisection), as equal byte strings lose 1, 2, 3, 4, 8, ... bytes.
// Two equal strings of twenty characters cut to two in nine calls, not
// nineteen.
//
// A main pass for siblings of three choices or more (a string or list
// with an element, a tuple of several values), right after the plain
// deletions: as a last resort it came only after a round of deletions,
// zeroing and replacements that each cost a call at every length of the
// equal strings. Equal siblings of one or two choices (equal integers of
// a list, equal byte strings) are often equal by chance, after zeroing
// most of all: for them it stays a last resort (as a main pass it cost
// "byte strings of ten bytes in all" three calls more in the median). It
// costs nothing where no siblings are equal.
//
// As a last resort, siblings with the same kinds of choices count too
// (`alike`), equal or not: two strings of one length in a set differ, and
// "two strings of one length, at least 2, in a set" stopped at
// `{'000', '001'}` or longer in 3 of 20 seeds.
//
// Equal siblings that are arrays of a fixed count drawn by a `flatMap` (the
// rows of a matrix) lose the same elements with that count lowered: a
// column (`boundCounts` in `DeleteSpans.swift`).
//
// Invariant: removes choices (and lowers a count), so every accepted
// candidate is shorter.

extension Shrinker {
    /// Deletes the same elements from equal siblings of at least
    /// `leastChoices` choices (a span holding a byte string that can
    /// lose bytes counts as two).
    func deleteInEqualSiblings(leastChoices: Int = 2, alike: Bool = false) -> Bool {
        var progress = false
        var a = 0
        while a < spans.count, !exhausted {
            let first = spans[a]
            guard Swift.max(first.count, holdsBytes(first) ? 2 : 0) >= leastChoices else { a += 1; continue }
            let content = Array(values[first.range]), kinds = choices[first.range].map(\.kind)
            // Later siblings with the same choices (the spans are in order of
            // their start), or with `alike` of the same kinds of choices.
            let twins = spans.indices.filter {
                $0 > a && spans[$0].parent == first.parent && spans[$0].label == first.label && spans[$0].count == first.count
                    && (values[spans[$0].range].elementsEqual(content) || alike && choices[spans[$0].range].map(\.kind) == kinds)
            }
            var accepted = false
            if !twins.isEmpty {
                var inner = spans.indices.filter {
                    $0 > a && spans[$0].label == "array.element" && spans[$0].start > first.start
                        && spans[$0].end <= first.end && spans[$0].count > 0
                        // (Not an end marker: without it the collection reads on.)
                        && !(spans[$0].count == 1 && values[spans[$0].start] == .boolean(false))
                }
                // Siblings that are arrays of a fixed count (`count: n...n`,
                // no "another element" flags, no element spans): their
                // elements are their own sub-draws, and deleting some from
                // each needs the count, drawn by a `flatMap`, lowered too
                // (`boundCounts`): a column of a matrix.
                var counts: [Int] = []
                if inner.isEmpty, first.label == "array" {
                    counts = boundCounts(for: a, in: spans, snapshot: choices)
                    if !counts.isEmpty { inner = spans.indices.filter { spans[$0].parent == a && spans[$0].count > 0 } }
                }
                let spansBefore = spans, valuesBefore = values, choicesBefore = choices
                for k in inner where !exhausted {
                    // Elements k, k+1, ... of one collection deleted as a run:
                    // after one goes, runs of 2, 3, 4, 8, ... (then a
                    // bisection), so two equal strings of fourteen characters
                    // cut to two in about eight calls, not thirteen.
                    let run = siblingRun(from: k, in: spansBefore).filter { inner.contains($0) }
                    func deleted(_ n: Int) -> [ChoiceValue] {
                        let start = spansBefore[k].start, length = spansBefore[run[n - 1]].end - start
                        var candidate = valuesBefore
                        for t in twins.reversed() {
                            let twinStart = spansBefore[t].start + (start - first.start)
                            candidate.removeSubrange(twinStart..<(twinStart + length))
                        }
                        candidate.removeSubrange(start..<(start + length))
                        return candidate
                    }
                    func deletedAndCounted(_ n: Int) -> Bool {
                        let candidate = deleted(n)
                        if consider(candidate) { return true }
                        guard lastOutcome == .overrun else { return false }
                        for k in counts {
                            guard let lowered = Self.loweredCount(valuesBefore[k], by: n, choicesBefore[k].kind) else { continue }
                            var repaired = candidate
                            repaired[k] = .integer(lowered)
                            if consider(repaired) { return true }
                        }
                        return false
                    }
                    if Search.findInteger(limit: run.count, { n in n == 0 || deletedAndCounted(n) }) > 0 { accepted = true; break }
                }
                // A byte string in each loses its last bytes (a byte string
                // is one choice, not a collection of element sub-draws): 1,
                // 2, 3, 4, 8, ... of them, then a bisection.
                for k in first.range where !accepted && !exhausted {
                    guard case .bytes(let minCount, _) = choices[k].kind, case .bytes(let b) = values[k], b.count > minCount else { continue }
                    let starts = [first.start] + twins.map { spans[$0].start }, base = values
                    accepted = Search.findInteger(limit: b.count - minCount) { n in
                        guard n > 0 else { return true }
                        var candidate = base
                        for start in starts { candidate[start + (k - first.start)] = .bytes(Array(b.dropLast(n))) }
                        return consider(candidate)
                    } > 0
                }
            }
            if accepted { progress = true } else { a += 1 }
        }
        return progress
    }

    /// Whether `span` holds a byte string that is longer than its minimum.
    private func holdsBytes(_ span: Span) -> Bool {
        span.range.contains { k in
            guard k < choices.count, case .bytes(let minCount, _) = choices[k].kind, case .bytes(let b) = values[k] else { return false }
            return b.count > minCount
        }
    }
}

// Pass (last resort): delete one element from each of a tuple's two
// collections at once, when their lengths differ, or as many from each as
// keeps the ratio of their lengths.
//
// Two strings that must relate (a boundary and a text, two names that fold
// to one) often fail only with both lengths kept in step: deleting from one
// alone breaks the relation, and the equal-siblings pass above needs equal
// lengths. A boundary scan stopped at `('----x', '---x')` in 6 of 20 seeds,
// where `('---x', '--x')` fails the same way, and a username fold at
// `('sss', 'sß')` or longer in 10. The first element of each that has an
// "another element" flag goes (an element within a least count has none,
// and deleting it would read the next flag as a value), and a collection
// at its greatest count, which drew no end marker, gets one. When that
// passes and the two counts of flagged elements have a common divisor
// `g` > 1, the first `count / g` of each go: a fold of `ssss` to `ßß` holds
// two characters for one, and loses one from each only by breaking that
// (it stopped at `('ssss', 'ßß')` in 3 seeds of 20). One call per such
// pair at a minimum, two where the counts share a divisor.
//
// Invariant: removes choices, so every accepted candidate is shorter.
extension Shrinker {
    func deleteFromSiblingCollections() -> Bool {
        var t = 0
        while t < spans.count, !exhausted {
            defer { t += 1 }
            guard spans[t].label == "tuple" else { continue }
            let parts = spans.indices.filter { spans[$0].parent == t }
            for k in parts.indices.dropLast() where !exhausted {
                let a = spans[parts[k]], b = spans[parts[k + 1]]
                let x = flaggedElements(in: a), y = flaggedElements(in: b)
                guard a.label == b.label, a.count != b.count, !x.isEmpty, !y.isEmpty else { continue }
                /// The candidate without the first `m` flagged elements of `a`
                /// and the first `n` of `b`.
                func without(_ m: Int, _ n: Int) -> [ChoiceValue] {
                    var candidate = values
                    // A collection at its greatest count drew no end marker: one
                    // goes where it now ends, or it would read on past its end.
                    if values[b.end - 1] != .boolean(false) { candidate.insert(.boolean(false), at: b.end) }
                    candidate.removeSubrange(y[0].lowerBound..<y[n - 1].upperBound)
                    if values[a.end - 1] != .boolean(false) { candidate.insert(.boolean(false), at: a.end) }
                    candidate.removeSubrange(x[0].lowerBound..<x[m - 1].upperBound)
                    return candidate
                }
                if consider(without(1, 1)) { return true }
                let g = Self.greatestCommonDivisor(x.count, y.count)
                if g > 1, x.count != y.count, !exhausted, consider(without(x.count / g, y.count / g)) { return true }
            }
        }
        return false
    }

    /// The choices of each element of the collection `span` holds that has
    /// its own "another element" flag and more than that flag, in order
    /// (they are consecutive: the elements past the least count); empty
    /// when there is none (or `span` holds no collection).
    private func flaggedElements(in span: Span) -> [Range<Int>] {
        spans.filter {
            // Only elements of the collection `span` holds (whose parent
            // starts where it does), not ones nested in an element.
            $0.label == "array.element" && span.range.contains($0.start) && $0.end <= span.end && $0.count > 1
                && isElementFlag($0.start, in: spans) && $0.parent.map { spans[$0].start == span.start } == true
        }.map(\.range)
    }

    private static func greatestCommonDivisor(_ m: Int, _ n: Int) -> Int { n == 0 ? m : greatestCommonDivisor(n, m % n) }
}
