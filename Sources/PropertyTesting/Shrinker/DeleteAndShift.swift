// Pass: delete a run of sibling sub-draws and lower integers elsewhere by
// the number deleted.
//
// - References: every remaining integer of the same kind as one deleted.
//   When integers refer to positions (indices into a list that is being
//   shortened), deleting elements only keeps the failure if the references
//   move down with them. In a generator property this is tried where the
//   plain deletion was rejected or not yet run, and in a list of integers
//   that look like its own positions where the plain deletion leaves one
//   past the list's end (`holdsPositions`): elsewhere, where the plain
//   deletion ran and passed, the shifted one cost a call per element at
//   the end of every shrink.
// - Length fields: an integer outside the collection whose value is the
//   collection's element count (or one less, as a last index). A count
//   stated next to the data (a string and its length, a header's entry
//   count) only keeps the failure when both shrink together: deleting an
//   element alone breaks the match and lowering the count alone does too.
//   "a string and an integer equal to its length, at least 3" stopped at
//   ("0000", 4) up to (…, 14) in 13 of 20 seeds.
// - References to earlier elements: integers of other kinds in later
//   elements of the collection that point at or past the deleted elements
//   (below their own element's position), when the deletion leaves one of
//   them dangling (`withDanglingReferencesShifted`): a trace's `realloc(i,
//   n)` of the i-th allocation after an allocation that does not matter.
//   Tried whatever the plain deletion did, as a reference left dangling
//   usually makes the plain deletion pass. An earlier element holding such
//   a reference counts as a removal (a free: no entry itself, one entry
//   fewer), so `free 2` after `free 0` among four allocations dangles once
//   one goes; counted by position alone it had room, and a free list that
//   merges by the wrong length stopped there (41 to 80 of 100 seeds).
//
// Invariant: only removes choices and lowers integers that stay within
// bounds (a value near the bottom of a 64-bit range is left alone, not
// wrapped), so candidates are shorter.

extension Shrinker {
    func deleteAndShift() -> Bool {
        var progress = false
        var i = 0
        var layout = BlockLayout(self)
        while i < spans.count, !exhausted {
            let run = siblingRun(from: i, in: spans)
            var accepted = false
            for length in 1...Swift.min(run.count, 8) where !exhausted {
                let range = spans[run[0]].start..<spans[run[length - 1]].end
                // Not a part of an element or step that reads the rest of it
                // out of place (see `BlockLayout.misalignsRest`), for either
                // kind of body: a state machine's key deleted with more steps
                // after it never kept the failure.
                if range.isEmpty { continue }
                if layout.misalignsRest(range.lowerBound, range.count) {
                    // Except the last elements of a collection, up to the flag
                    // that ends it: whole, so what follows is read in place,
                    // and a length field after them is lowered with them (a
                    // record stream's last record with the cut after the list
                    // stopped at `([b'\x00', b''], 2)` in 2 seeds of 20, not
                    // `([b'\x00'], 1)`). Only that candidate: the others cost
                    // half a call to two on 26 problems for nothing.
                    let last = run.count == length + 1 && spans[run[length]].count == 1 && values[range.upperBound] == .boolean(false)
                    if last, let lowered = withLengthFieldLowered(deleting: range, elements: length, of: run[0]), consider(lowered) {
                        accepted = true; break
                    }
                    continue
                }
                if let lowered = withLengthFieldLowered(deleting: range, elements: length, of: run[0]), consider(lowered) {
                    accepted = true; break
                }
                if let shifted = withDanglingReferencesShifted(deleting: range, elements: length, of: run[0]), consider(shifted) {
                    accepted = true; break
                }
                if executor.deduplicates, wasDiscarded(replacing(range, with: [])) == false,
                   !holdsPositions(elementsOf: run[0], deleting: range, elements: length) { continue }
                let kinds = choices[range].map(\.kind)
                var candidate: [ChoiceValue] = []
                var changed = false
                for (index, choice) in choices.enumerated() where !range.contains(index) {
                    if case .integer(let c) = choice.kind, kinds.contains(choice.kind), case .integer(let v) = choice.value,
                       case let (lowered, overflow) = v.subtractingReportingOverflow(Int64(length)), !overflow,
                       c.contains(lowered), lowered >= c.simplest {
                        candidate.append(.integer(lowered))
                        changed = true
                    } else {
                        candidate.append(choice.value)
                    }
                }
                if changed, consider(candidate) { accepted = true; break }
            }
            if accepted {
                progress = true
                layout = BlockLayout(self)
            } else {
                i += 1
            }
        }
        return progress
    }

    /// Whether span `first` is an element of a list of integers that look
    /// like positions in it, one of which deleting `range` (`elements`
    /// elements) leaves past the list's end: one integer per element
    /// (not a character), each below the element count (a value equal to
    /// its index, a list whose values point at each other: `[0, 0, 2]`
    /// becomes `[0, 1]`, where `[0, 2]` passes). Without a value left past
    /// the end (`[1, 1, 1]`) the plain deletion says enough.
    func holdsPositions(elementsOf first: Int, deleting range: Range<Int>, elements: Int) -> Bool {
        let span = spans[first]
        guard span.label == "array.element", let parent = span.parent else { return false }
        var values: [Int64] = []
        var kept: [Int64] = []
        for sibling in spans where sibling.parent == parent && sibling.label == span.label {
            var integers = 0
            for k in sibling.range {
                guard case .integer(let v) = self.values[k] else { continue }
                integers += 1
                values.append(v)
                if !range.contains(k) { kept.append(v) }
            }
            // (The sub-draw that ended the list holds only its flag.)
            if integers > 1 { return false }
        }
        let count = Int64(values.count)
        guard values.allSatisfy({ $0 >= 0 && $0 < count }), kept.contains(where: { $0 >= count - Int64(elements) }) else {
            return false
        }
        return !spans.contains { $0.label == "character" && range.contains($0.start) }
    }

    /// The example with `range` (`elements` sibling sub-draws starting at
    /// span `first`, elements of one collection) deleted and the integers
    /// of later elements that point past them lowered by `elements`; nil
    /// when the deletion leaves none of them dangling. An integer of a
    /// later element is taken for a reference to an earlier element (a
    /// trace's `free(i)` or `realloc(i, n)` of the i-th allocation) when it
    /// is below that element's position; it points past the deleted ones
    /// when it is at or past their end, and is left dangling when it is at
    /// or past the element's position once they are gone. Only kinds
    /// the deleted elements do not hold (those are lowered everywhere
    /// above). `[alloc 1, alloc 33, realloc(1, 1)]` stopped there, where
    /// `[alloc 33, realloc(0, 1)]` fails the same way.
    func withDanglingReferencesShifted(deleting range: Range<Int>, elements: Int, of first: Int) -> [ChoiceValue]? {
        let span = spans[first]
        guard span.label == "array.element", let parent = span.parent else { return nil }
        let siblings = spans.filter { $0.parent == parent && $0.label == span.label }
        guard let firstDeleted = siblings.firstIndex(where: { $0.start == range.lowerBound }) else { return nil }
        let kinds = choices[range].map(\.kind)
        var candidate = values
        var dangling = false
        // Earlier elements (not deleted) that hold a reference of a kind:
        // each is no entry itself and may have removed one (a free), so
        // the entries a later reference can point at may number the
        // elements before it less twice these.
        var referrers: [ChoiceKind: Int] = [:]
        for (position, sibling) in siblings.enumerated() {
            let deleted = sibling.start >= range.lowerBound && sibling.start < range.upperBound
            var held: [ChoiceKind] = []
            for k in sibling.range where !deleted {
                guard case .integer(let c) = choices[k].kind, !kinds.contains(choices[k].kind), case .integer(let v) = values[k] else { continue }
                held.append(choices[k].kind)
                guard sibling.start >= range.upperBound, v < Int64(position), v >= Int64(firstDeleted + elements),
                      c.contains(v - Int64(elements)), v - Int64(elements) >= c.simplest else { continue }
                candidate[k] = .integer(v - Int64(elements))
                if v >= Int64(position - elements - 2 * referrers[choices[k].kind, default: 0]) { dangling = true }
            }
            for kind in held { referrers[kind, default: 0] += 1 }
        }
        guard dangling else { return nil }
        candidate.removeSubrange(range)
        return candidate
    }

    /// The example with `range` (`elements` sibling sub-draws starting at
    /// span `first`) deleted and every length field of their collection
    /// lowered by `elements`; nil when the collection has none (see the
    /// header).
    func withLengthFieldLowered(deleting range: Range<Int>, elements: Int, of first: Int) -> [ChoiceValue]? {
        let span = spans[first]
        // Only a collection that flags each element: a count drawn before
        // a fixed number of draws (a bind) is lowered by `lowerChoices`,
        // which drops the draws it no longer asks for.
        guard span.label == "array.element", let parent = span.parent else { return nil }
        let collection = spans[parent].range
        let siblings = spans.filter { $0.parent == parent && $0.label == span.label }
        var count = Int64(siblings.count)
        // (The last sub-draw is the flag that ended the collection.)
        if let last = siblings.last, last.count == 1, values[last.start] == .boolean(false) { count -= 1 }
        var candidate: [ChoiceValue] = []
        var changed = false
        for (index, choice) in choices.enumerated() where !range.contains(index) {
            if !collection.contains(index), case .integer(let c) = choice.kind, case .integer(let v) = choice.value,
               v == count || v == count - 1, case let (lowered, overflow) = v.subtractingReportingOverflow(Int64(elements)),
               !overflow, c.contains(lowered), lowered >= c.simplest {
                candidate.append(.integer(lowered))
                changed = true
            } else {
                candidate.append(choice.value)
            }
        }
        return changed ? candidate : nil
    }
}

// Pass (last resort): delete an operation and raise the later references
// that pointed past it.
//
// An operation that removes an entry from a list (a trace's `free(i)` of
// the i-th live allocation) shifts the positions of the entries after it
// down: deleting it leaves one more entry, so every later operation of the
// same kind whose argument was at or past its argument now refers to the
// entry before the one it meant. The candidate deletes the operation and
// raises each such argument by one. A buddy allocator's `alloc 0` four
// times, `free 0, free 1, free 0` is `alloc 0` four times, `free 2,
// free 1` this way, and no single deletion or raise gets there. When that
// fails and the next operation of the same kind has the same argument, a
// second candidate deletes the operation and raises only that one: two
// allocations of one size merge into one of the next size (an arena's
// `alloc 0` three times, `alloc 1, free 0, alloc 2` becomes `alloc 0,
// alloc 1, alloc 1, free 0, alloc 2`; 34 to 71 of 100 seeds). Over the
// suite both cost a call or two at the end of ten trace problems' shrinks.
//
// Invariant: the candidate is shorter (one element fewer) and every raised
// integer stays within its bounds.
extension Shrinker {
    func deleteAndRaiseLaterReferences() -> Bool {
        guard executor.deduplicates else { return false }
        var progress = false
        var e = 0
        while e < spans.count, !exhausted {
            defer { e += 1 }
            let spans = self.spans
            guard let (selector, argument) = operationParts(e, in: spans), case .integer(let a) = values[argument],
                  isElementFlag(spans[e].start, in: spans) else { continue }
            var candidate = values
            var raised = false
            // The next operation of the same kind, when its argument equals
            // this one's: the two merge into one a size larger.
            var merged: [ChoiceValue]?
            for f in siblingRun(from: e, in: spans).dropFirst() {
                guard let (s, arg) = operationParts(f, in: spans), values[s] == values[selector],
                      choices[arg].kind == choices[argument].kind, case .integer(let c) = choices[arg].kind,
                      case .integer(let b) = values[arg], b >= a, b < c.max else { continue }
                if !raised, b == a {
                    var m = values
                    m[arg] = .integer(b + 1)
                    m.removeSubrange(spans[e].range)
                    merged = m
                }
                candidate[arg] = .integer(b + 1)
                raised = true
            }
            guard raised else { continue }
            candidate.removeSubrange(spans[e].range)
            if consider(candidate) { progress = true; e -= 1; continue }
            if let merged, merged != candidate, consider(merged) { progress = true; e -= 1 }
        }
        return progress
    }

    /// The selector (a one-of's branch) and the one integer argument of
    /// the collection element `spans[index]` when it is an operation of
    /// that form (a flag, a branch, an argument); nil otherwise.
    private func operationParts(_ index: Int, in spans: [Span]) -> (selector: Int, argument: Int)? {
        let span = spans[index]
        guard span.label == "array.element", span.count == 3,
              let choice = spans.first(where: { Self.choiceLabels.contains($0.label) && $0.start == span.start + 1 }),
              choice.end == span.end, case .integer = choices[span.start + 1].kind,
              case .integer = choices[span.start + 2].kind else { return nil }
        return (span.start + 1, span.start + 2)
    }
}
