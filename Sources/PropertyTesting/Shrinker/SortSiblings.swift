// Pass: put sibling sub-draws with the same label in simplicity order.
//
// Invariant: permutes whole sibling spans, so the length is unchanged and
// the candidate is simpler exactly when the order changed.

extension Shrinker {
    func sortSiblings() -> Bool {
        var progress = false
        var i = 0
        // Spans already sorted as part of a run from an earlier sibling (only
        // probed). A run's tail is a run too, and sorting it alone after the
        // whole run stayed as it was cost a call per sibling at every
        // unsorted minimum: `(3, 2, 1, 0)` tried `(3, 0, 1, 2)`, `(3, 0, 2,
        // 1)` and `(3, 2, 0, 1)` after `(0, 1, 2, 3)` and `(0, 3, 2, 1)`.
        var covered = Set<Int>()
        while i < spans.count, !exhausted {
            if covered.contains(i) { i += 1; continue }
            let members = siblingRun(from: i, in: spans)
            var run = members
            covered.formUnion(members)
            // A collection's end marker (a lone false "another element" flag)
            // moved forward only cuts the collection off, which deleting
            // runs of siblings covers.
            if let last = run.last, run.count > 1, spans[last].label == "array.element", spans[last].count == 1, values[spans[last].start] == .boolean(false) {
                run.removeLast()
            }
            if run.count > 1, sortRun(run) {
                progress = true
                // The sorted siblings moved their sub-draws, so the indices
                // of the spans inside the run changed (those before and
                // after it did not): its members are read again from the
                // new spans (it starts at the same span).
                covered.subtract(members)
                covered.formUnion(siblingRun(from: i, in: spans))
            }
            i += 1
        }
        return progress
    }

    private func sortRun(_ run: [Int]) -> Bool {
        let pieces = run.map { ChoiceSequence(Array(choices[spans[$0].range])) }
        let sorted = pieces.enumerated().sorted { a, b in
            a.element.isSimpler(than: b.element) || (!b.element.isSimpler(than: a.element) && a.offset < b.offset)
        }.map(\.element)
        guard sorted != pieces else { return false }
        let range = spans[run.first!].start..<spans[run.last!].end
        if consider(replacing(range, with: sorted.flatMap(\.values))) { return true }
        // Sorting everything may break the failure; moving only the simplest
        // piece to the front often keeps it.
        guard let simplestIndex = pieces.indices.min(by: { pieces[$0].isSimpler(than: pieces[$1]) }), simplestIndex > 0 else { return false }
        var moved = pieces
        moved.insert(moved.remove(at: simplestIndex), at: 0)
        return consider(replacing(range, with: moved.flatMap(\.values)))
    }
}
