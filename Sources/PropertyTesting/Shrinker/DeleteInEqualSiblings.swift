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
// A last-resort pass, and it costs nothing where no two siblings of more
// than one choice are equal.
//
// Invariant: only removes choices, so every accepted candidate is shorter.

extension Shrinker {
    func deleteInEqualSiblings() -> Bool {
        var progress = false
        var a = 0
        while a < spans.count, !exhausted {
            let first = spans[a]
            guard first.count > 1 || holdsBytes(first) else { a += 1; continue }
            let content = Array(values[first.range])
            // Later siblings with the same choices (the spans are in order of their start).
            let twins = spans.indices.filter {
                $0 > a && spans[$0].parent == first.parent && spans[$0].label == first.label
                    && spans[$0].count == first.count && values[spans[$0].range].elementsEqual(content)
            }
            var accepted = false
            if !twins.isEmpty {
                let inner = spans.indices.filter {
                    $0 > a && spans[$0].label == "array.element" && spans[$0].start > first.start
                        && spans[$0].end <= first.end && spans[$0].count > 0
                        // (Not an end marker: without it the collection reads on.)
                        && !(spans[$0].count == 1 && values[spans[$0].start] == .boolean(false))
                }
                for k in inner where !exhausted {
                    let offset = spans[k].start - first.start, length = spans[k].count
                    var candidate = values
                    for t in twins.reversed() { candidate.removeSubrange((spans[t].start + offset)..<(spans[t].start + offset + length)) }
                    candidate.removeSubrange(spans[k].range)
                    if consider(candidate) { accepted = true; break }
                }
                // A byte string in each loses its last byte (a byte string
                // is one choice, not a collection of element sub-draws).
                for k in first.range where !accepted && !exhausted {
                    guard case .bytes(let minCount, _) = choices[k].kind, case .bytes(let b) = values[k], b.count > minCount else { continue }
                    var candidate = values
                    for start in [first.start] + twins.map({ spans[$0].start }) {
                        candidate[start + (k - first.start)] = .bytes(Array(b.dropLast()))
                    }
                    if consider(candidate) { accepted = true }
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
