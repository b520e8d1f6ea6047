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
