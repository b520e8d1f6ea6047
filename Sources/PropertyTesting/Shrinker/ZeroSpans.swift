// Pass: set a whole sub-draw to its simplest choices.
//
// Invariant: the candidate has the same length with every choice in the span
// at its simplest, so it is simpler unless the span already was simplest
// (those are skipped without a call).

extension Shrinker {
    func zeroSpans() -> Bool {
        var progress = false
        var i = 0
        while i < spans.count, !exhausted {
            let span = spans[i]
            i += 1
            guard span.count > 1 else { continue }  // single choices: lowerChoices
            // A collection element (its "another element" flag first)
            // that has a following sibling: zeroing it clears the flag and so
            // cuts the collection off there, which rarely keeps the failure
            // and costs one call per element; deleting runs of siblings
            // covers shortening the collection.
            if isElementFlag(span.start, in: spans), siblingRun(from: i - 1, in: spans).count > 1 { continue }
            let slice = choices[span.range]
            guard slice.contains(where: { !$0.isSimplest }) else { continue }
            if consider(replacing(span.range, with: slice.map { $0.kind.simplest })) { progress = true; continue }
            // A one-of of the library (an optional among them): its
            // alternative zeroed in its branch. Zeroed whole, an optional
            // becomes `nil`; `(99, 28)` for "both present and the first
            // greater" spent fourteen calls lowering the first value below
            // the second before the second went to 0. (Not for a body's own
            // tagged draws: the allocator traces' steps draw an operation's
            // tag and then its arguments, and zeroing the arguments first
            // cost the seeded defects calls and one seed a longer trace.)
            if Self.unionLabels.contains(span.label), isBranchChoice(span.start, of: i - 1) {
                let payload = choices[(span.start + 1)..<span.end]
                if payload.contains(where: { !$0.isSimplest }),
                   consider(replacing((span.start + 1)..<span.end, with: payload.map { $0.kind.simplest })) { progress = true }
            }
        }
        return progress
    }

    /// The labels of the library's one-ofs.
    static let unionLabels: Set<String> = ["oneOf", "weighted", "optional"]

    /// Whether choice `index` is an integer drawn directly in `spans[span]`,
    /// as its first choice, with the rest of the span drawn after it (a
    /// one-of's branch index).
    private func isBranchChoice(_ index: Int, of span: Int) -> Bool {
        guard index < choices.count, case .integer = choices[index].kind, spans[span].start == index, spans[span].count > 1 else { return false }
        return !spans.contains { $0.parent == span && $0.start == index }
    }
}

// Pass step: set every element of a collection to its simplest, keeping
// its count.
//
// A collection whose length matters ("at least thirty characters") cannot
// lose an element, so deleting its elements one by one costs a call each
// and gets nowhere; with every element at its simplest the count is all
// that is left, and every deletion of one element gives the same sequence,
// which the cache answers without a call. Hypothesis's collection
// shrinkers try all-simplest elements before deleting for the same reason.
// `deleteSpans` runs this on the evidence that the length matters: three
// elements of the collection in a row that could not be deleted, each at
// the cost of a call, with three or more still to come (where it saves
// calls). Tried on every collection it cost a call on most problems where
// the values matter; after two failed deletions it cost large_union_list
// (five distinct values in one list) a call.
//
// Invariant: the candidate keeps the "another element" flags of the
// collection's own elements and sets every other choice in it to its
// simplest (a nested collection becomes empty), so it has the same length
// and is simpler unless nothing changed (then not tried).

extension Shrinker {
    func zeroElements(ofCollection index: Int) -> Bool {
        let spans = self.spans
        guard index < spans.count, spans[index].label == "array" else { return false }
        let span = spans[index]
        var keep = Set<Int>()  // only probed
        for k in spans.indices where spans[k].parent == index && spans[k].label == "array.element"
            && isElementFlag(spans[k].start, in: spans) {
            keep.insert(spans[k].start)
        }
        guard !keep.isEmpty else { return false }
        var candidate = values
        var changed = false
        for k in span.range where !keep.contains(k) && !choices[k].isSimplest {
            candidate[k] = choices[k].kind.simplest
            changed = true
        }
        return changed && consider(candidate)
    }
}
