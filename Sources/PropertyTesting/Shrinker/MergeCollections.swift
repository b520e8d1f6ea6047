// Pass step: merge the collections that are elements of one collection
// into one, keeping every inner element; and a last resort that moves
// elements from one such collection to the next.
//
// A failure about the total size of a collection of collections (strings
// whose lengths add up to ten, lists with twenty elements in all) keeps
// every inner element: deleting any of them loses it, and so does deleting
// a whole inner collection, so deletion alone stalls at several inner
// collections. Merging them is one deletion of choices: the end marker of
// each inner collection with the "another element" flag of the outer
// element after it, so the next inner collection's elements are read as
// more elements of the one before. `deleteBlocks` finds such merges one
// pair at a time, but only as a last resort, after every other pass has
// confirmed the stalled example at a call per candidate. `deleteSpans`
// runs this on the evidence that an inner collection's size matters: three
// of its elements in a row that could not be deleted, each at the cost of a
// call (the evidence `zeroElements` acts on too), and then zeroes the
// merged collection's elements on the same evidence: every later deletion
// of one of them is then the same candidate. (Where the values matter,
// as in the challenge's large_union_list, that costs a call: 5 of its 20
// seeds took one more, its median 67 to 67.5, against 67 to 16 calls of
// lists_total_length_20 and 21 to 15.5 of string_list_total_len_10.)
//
// Byte strings are one choice each, so no deletion of choices merges two:
// the elements of a collection that are each one byte string are joined
// into the first of them, the others deleted, once one of them could not
// lose a byte from the end (`lowerBytes`). Lists of byte strings with ten
// bytes in all never reached the single string of ten zero bytes before.
//
// When the number of non-empty inner collections matters too (three
// non-empty pages holding eight allocations in all), the merge loses the
// failure as every deletion does, and the shrink stopped at one split of
// the elements or another (`[[0], [0, 0], [0, 0, 0, 0, 0]]`, 3 of 20 seeds
// at the minimum `[[0], [0], [0, 0, 0, 0, 0, 0]]`). As a last resort, the
// last elements of an inner collection move to the start of the next one
// (a search for how many, at least one staying): the end marker and the
// next element's flag come before them, the same choices with a `false`
// first where a `true` was. Pairs of inner collections of one count are
// skipped: two equal strings or lists of one length, the common case, fail
// because they are alike, and each such pair cost a call at the end of
// every shrink of them. 20 of 20 seeds at the minimum now; on the rest of
// the suite, one median a call higher (`lists_lengths_decreasing`, whose
// minimum has a pair of unequal lengths), none else changed.
//
// Invariant: merging only removes choices (pairs of booleans; for byte
// strings, whole elements, their bytes moved into the first), so the
// candidate is shorter; moving elements keeps every choice and puts a
// `false` first where a `true` was, so the candidate is as long and
// smaller. Both are tried only where every inner collection was drawn
// alike (the same label or byte-string kind, covering its whole element
// after the flag) and flags each of its elements, so the moved or merged
// elements are read as they were.

extension Shrinker {
    /// Merges the inner collection `spans[index]`, the whole value of a
    /// collection element, with the inner collections of that element's
    /// siblings drawn alike, into one (see the file header): one call, none
    /// when fewer than two of them are non-empty. Returns the merged
    /// collection's span when the merge was adopted, nil otherwise.
    func mergeSiblingCollections(of index: Int) -> Int? {
        let spans = self.spans
        guard index < spans.count, let element = enclosingElement(of: index, in: spans) else { return nil }
        let label = spans[index].label
        // The outer collection's elements whose inner collection can be merged, in order.
        let outer = spans[element].parent
        let mergeable = innerCollectionElements(of: outer, label: label, in: spans)
        var deletions: [Int] = []
        for (a, b) in zip(mergeable, mergeable.dropFirst()) where spans[a].end == spans[b].start {
            // The end marker of the first and the flag of the second.
            deletions.append(spans[a].end - 1)
            deletions.append(spans[b].start)
        }
        // Empty inner collections alone are not merged: that is deleting
        // them, which `deleteSpans` does itself.
        guard mergeable.filter({ spans[$0].count > 2 }).count > 1, !deletions.isEmpty else { return nil }
        var candidate = values
        for k in deletions.reversed() { candidate.remove(at: k) }
        guard consider(candidate) else { return nil }
        // Every deletion lies after the first inner collection's start.
        let start = spans[mergeable[0]].start + 1
        return self.spans.lastIndex { $0.label == label && $0.start == start }
    }

    /// A last resort: `shiftSiblingCollectionBoundaries` for every
    /// collection of collections, once each. Whether a move was adopted.
    func shiftCollectionBoundaries() -> Bool {
        var progress = false
        var outers: [Int?] = []
        var i = 0
        while i < spans.count, !exhausted {
            if spans[i].label == "array", let element = enclosingElement(of: i, in: spans),
               !outers.contains(spans[element].parent) {
                outers.append(spans[element].parent)
                if shiftSiblingCollectionBoundaries(of: i) { progress = true }
            }
            i += 1
        }
        return progress
    }

    /// Moves the last elements of each inner collection drawn alike with
    /// `spans[index]` (the whole value of a collection element) to the
    /// front of the next one, for each adjacent pair in order, keeping at
    /// least one element where they were (see the file header): a call per
    /// pair whose first collection has two elements or more, and a search
    /// for how many can move once one could. Returns whether a move was adopted.
    func shiftSiblingCollectionBoundaries(of index: Int) -> Bool {
        guard index < spans.count, let element = enclosingElement(of: index, in: spans) else { return false }
        let label = spans[index].label, outer = spans[element].parent
        var progress = false
        var pair = 0
        while !exhausted {
            // Moves keep the number of spans before and around each pair, so
            // pairs are counted in the current example after an adoption.
            let spans = self.spans
            let mergeable = innerCollectionElements(of: outer, label: label, in: spans)
            let pairs = zip(mergeable, mergeable.dropFirst()).filter { spans[$0.0].end == spans[$0.1].start }
            guard pair < pairs.count else { break }
            let (a, b) = pairs[pair]
            pair += 1
            let elements = innerElements(of: a, label: label, in: spans)
            let marker = spans[a].end - 1
            guard elements.count > 1, spans[b].start == marker + 1 else { continue }
            // Collections of one count are left as they are: their counts
            // being equal is what fails more often than not (equal strings).
            guard innerElements(of: b, label: label, in: spans).count != elements.count else { continue }
            let base = values
            let moved = Search.findInteger(limit: elements.count - 1) { n in
                guard n > 0 else { return true }
                let from = spans[elements[elements.count - n]].start
                // The end marker and the next element's flag come first:
                // the same choices, with a `false` where a `true` was.
                let candidate = Array(base[..<from]) + [base[marker], base[marker + 1]] + Array(base[from..<marker])
                    + Array(base[(marker + 2)...])
                return consider(candidate)
            }
            if moved > 0 { progress = true }
        }
        return progress
    }

    /// Joins the byte string at choice `index`, the whole value of a
    /// collection element, with every other such byte string of that
    /// collection into the first of them, in order, deleting the other
    /// elements (one call). A byte string is one choice, so no deletion of
    /// choices merges two; `lowerBytes` runs this once its string could
    /// not lose a byte from the end. Returns whether the join was adopted.
    func mergeSiblingByteStrings(of index: Int) -> Bool {
        let spans = self.spans
        guard index < choices.count, case .bytes = choices[index].kind,
              let own = spans.lastIndex(where: { $0.start == index && $0.count == 1 }),
              let element = enclosingElement(of: own, in: spans) else { return false }
        let outer = spans[element].parent, kind = choices[index].kind
        let mergeable = spans.indices.filter {
            spans[$0].parent == outer && spans[$0].label == "array.element" && spans[$0].count == 2
                && isElementFlag(spans[$0].start, in: spans) && choices[spans[$0].start + 1].kind == kind
        }
        // (As above, empty ones alone are left to `deleteSpans`.)
        guard mergeable.filter({ values[spans[$0].start + 1] != .bytes([]) }).count > 1 else { return false }
        var joined: [UInt8] = []
        for k in mergeable { if case .bytes(let b) = values[spans[k].start + 1] { joined += b } }
        let into = spans[mergeable[0]].start + 1
        guard kind.permits(.bytes(joined)) else { return false }
        var candidate = values
        candidate[into] = .bytes(joined)
        for k in mergeable.dropFirst().reversed() { candidate.removeSubrange(spans[k].range) }
        return consider(candidate)
    }

    /// The elements (flag and payload, not the end marker) of the inner
    /// collection labelled `label` that fills element span `element` after
    /// its flag (`innerCollection`), in order.
    private func innerElements(of element: Int, label: String, in spans: [Span]) -> [Int] {
        let start = spans[element].start + 1, end = spans[element].end
        guard let collection = spans.indices.first(where: {
            spans[$0].label == label && spans[$0].start == start && spans[$0].end == end
        }) else { return [] }
        return spans.indices.filter {
            spans[$0].parent == collection && spans[$0].label == "array.element" && spans[$0].end < end
                && isElementFlag(spans[$0].start, in: spans)
        }
    }

    /// The flagged element span whose payload is exactly `spans[index]`.
    /// (Through sub-draws that wrap it, as a string's wraps its characters.)
    private func enclosingElement(of index: Int, in spans: [Span]) -> Int? {
        var e = spans[index].parent
        while let w = e, spans[w].label != "array.element", spans[w].range == spans[index].range { e = spans[w].parent }
        guard let e, spans[e].label == "array.element",
              spans[e].start + 1 == spans[index].start, spans[e].end == spans[index].end,
              isElementFlag(spans[e].start, in: spans) else { return nil }
        return e
    }

    /// The elements of collection `outer` whose whole value is an inner
    /// collection labelled `label` (`innerCollection`), in order: what
    /// merges and moves of elements work on.
    private func innerCollectionElements(of outer: Int?, label: String, in spans: [Span]) -> [Int] {
        spans.indices.filter {
            spans[$0].parent == outer && spans[$0].label == "array.element" && innerCollection(of: $0, label: label, in: spans)
        }
    }

    /// Whether element span `element` is a flag followed by a collection
    /// labelled `label` that fills the rest of it, ends with its end marker
    /// and flags every element it has.
    private func innerCollection(of element: Int, label: String, in spans: [Span]) -> Bool {
        guard isElementFlag(spans[element].start, in: spans) else { return false }
        let start = spans[element].start + 1, end = spans[element].end
        guard start < end, spans.contains(where: { $0.label == label && $0.start == start && $0.end == end }),
              choices[end - 1].value == .boolean(false) else { return false }
        return end - start == 1 || isElementFlag(start, in: spans)
    }
}
