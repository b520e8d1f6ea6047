// Pass: move the last element of a recursive value's collection up one
// level, to just after the element that holds it.
//
// A failure may need a number of nodes but not their nesting: "a nesting
// limit of 3 counts every `[` read, not the open ones" fails on four
// brackets three deep or less, and shrinks to `[[], [[]]]` or `[[[], []]]`.
// Both are as long as the minimum, `[[], [], []]`: every deletion drops a
// bracket, and replacing a node by its descendant drops one too. Moving the
// inner `[]` out to the outer list keeps every choice and every node.
//
// For each collection element whose value holds a draw with the same label
// as a draw around its collection (a node of a recursive generator inside a
// node of it), that is the last element of its collection (the next choice
// is the collection's closing flag), and whose nearest enclosing element of
// another collection has a flag of its own: the candidate deletes the
// element where it is and inserts it, flag and all, right after that
// enclosing element. A last-resort pass; it does nothing for data that is
// not recursive.
//
// Invariant: the candidate has the same choices in another order; its first
// changed choice is the moved element's flag (true), which becomes the
// closing flag after it (false), so it is simpler.

extension Shrinker {
    func liftElements() -> Bool {
        var progress = false
        var e = 0
        while e < spans.count, !exhausted {
            if let candidate = liftedCandidate(e), consider(candidate) {
                // The spans were read afresh: the same index names the next candidate.
                progress = true
                continue
            }
            e += 1
        }
        return progress
    }

    /// The candidate that moves element span `e` after its enclosing
    /// element, when `e` is the last element of a recursive node's collection.
    private func liftedCandidate(_ e: Int) -> [ChoiceValue]? {
        let element = spans[e]
        guard element.label == "array.element", element.count > 1, element.end < choices.count,
              values[element.start] == .boolean(true), isElementFlag(element.start, in: spans),
              values[element.end] == .boolean(false), isElementFlag(element.end, in: spans) else { return nil }
        // The nearest enclosing draw whose label the element's value also has ...
        var ancestor = element.parent
        var node: Int?
        while let a = ancestor {
            let label = spans[a].label
            if !Self.flaggedLabels.contains(label), label != "array",
               spans[(e + 1)...].prefix(while: { $0.start < element.end }).contains(where: { $0.label == label }) {
                node = a
                break
            }
            ancestor = spans[a].parent
        }
        // ... and the element of another collection around that node.
        guard let node else { return nil }
        var holder = spans[node].parent
        while let h = holder, spans[h].label != "array.element" { holder = spans[h].parent }
        guard let holder, isElementFlag(spans[holder].start, in: spans) else { return nil }
        let end = spans[holder].end
        return Array(values[..<element.start]) + values[element.end..<end] + values[element.range] + values[end...]
    }
}

// Pass (last resort): split an element that is a string after its first
// character, the rest replaced by one empty string after it.
//
// A failure may need two strings of a list where one of them holds what
// matters: CSV fields whose quotes are not doubled fail on `['"a']` and on
// `['"', '']`, the same number of choices, the second simpler (its first
// field ends a character earlier). No deletion or lowering turns one into
// the other: the candidate ends the string after its first character (the
// next flag, true, becomes false, so it is simpler), drops the characters
// after it, and adds an empty string to the list after it.
// `csv_quotes_not_doubled` 7 to 20 of 20 seeds (33 to 100 of 100); five
// lists of strings one to two calls more.
//
// Invariant: the first changed choice goes from true to false.
extension Shrinker {
    func splitElements() -> Bool {
        guard executor.deduplicates else { return false }
        var e = 0
        while e < spans.count, !exhausted {
            defer { e += 1 }
            guard let candidate = splitCandidate(e) else { continue }
            if consider(candidate) { return true }
        }
        return false
    }

    /// The candidate that splits element span `e` (see above), when its
    /// value is a collection whose first element is flagged and has a
    /// second element.
    private func splitCandidate(_ e: Int) -> [ChoiceValue]? {
        let element = spans[e]
        guard element.label == "array.element", let outer = element.parent, spans[outer].label == "array" else { return nil }
        // The collection that is the element's whole value (after the
        // element's flag, or from its start for an element within the
        // outer collection's least count, which has none).
        // Only strings: in lists of lists of numbers (the challenge's
        // nestedlists, whose minimum is one list of eleven zeros) the
        // candidate cost a call at the end of every shrink.
        guard let inner = spans.indices.first(where: {
            $0 > e && spans[$0].label == "array" && spans[$0].end == element.end
                && (spans[$0].start == element.start || spans[$0].start == element.start + 1)
        }), let holder = spans[inner].parent, spans[holder].label == "string" else { return nil }
        guard let firstItem = spans.indices.first(where: { $0 > inner && spans[$0].parent == inner }),
              spans[firstItem].label == "array.element" else { return nil }
        let items = siblingRun(from: firstItem, in: spans)
        // (The first element's flag may start the outer element too, so
        // only its kind is checked.)
        guard items.count >= 3, case .boolean = choices[spans[items[0]].start].kind, isElementFlag(spans[items[1]].start, in: spans),
              values[spans[items[1]].start] == .boolean(true) else { return nil }
        return Array(values[..<spans[items[1]].start]) + [.boolean(false), .boolean(true), .boolean(false)]
            + Array(values[spans[inner].end...])
    }
}
