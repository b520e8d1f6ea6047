// Pass: put sibling sub-draws with the same label in simplicity order.
//
// A last-resort form (`swapNeighbours`) swaps only the first two
// neighbours out of order in each run of siblings: in a trace the order of
// most steps matters, and one step may still move past the one before it
// (a least-recently-used cache's `get 0; put 2`, where `put 2; get 0`
// fails the same way; a binary search tree's `insert 3; insert 0`). A
// cache of capacity 3 stopped with one such pair in 12 of 20 seeds, and a
// tree with its inserts out of order in 17. For generator properties, only
// siblings that hold a choice among alternatives (see `holdsUnion`); for
// bodies that draw while they run, only a state machine's steps, out of
// order when the swapped pair reads simpler (a pop is shorter than a push,
// but a push's rule comes first). A ring of two slots whose "full" test
// forgets the wrap stopped at `push; push; pop; pop; push; push; push` or
// `push; pop; push; pop; push; push; push` in 16 of 20 seeds, where `push;
// push; pop; push; pop; push; push` is the minimum (one swap or two: 4 to
// 20 of 20; five machine rows one call more at their minimum). A step's
// rule index counts the rules enabled, so a swap may read other rules, at
// the cost of a call. As a main pass it changed the paths of seeded
// defects' shrinks (one ended a step longer).
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
                // new spans (it starts at the same span). The example
                // adopted may have fewer spans than the candidate: a
                // dictionary's entry whose key the sorting made equal to an
                // earlier one is dropped, and with it the last spans.
                covered.subtract(members)
                if i < spans.count { covered.formUnion(siblingRun(from: i, in: spans)) }
            }
            i += 1
        }
        return progress
    }

    private func sortRun(_ run: [Int]) -> Bool {
        let pieces = run.map { ChoiceSequence(Array(choices[spans[$0].range])) }
        // A state machine's steps are ordered by how the two read one after
        // the other, as in `swapNeighbours`: alone, a step without arguments
        // (a `left()` of two choices) is shorter, so simpler, than an
        // insert of three, yet it reads after it (its rule index is higher),
        // and moving it to the front only lengthened the candidates. A gap
        // buffer stopped at `insert(x: 1); left(); insert(x: 0); insert(x:
        // 0)` in 11 seeds of 20, where the last insert moved to the front
        // is the minimum.
        let steps = spans[run[0]].label == Self.stepLabel
        func precedes(_ a: ChoiceSequence, _ b: ChoiceSequence) -> Bool {
            guard steps else { return a.isSimpler(than: b) }
            return ChoiceSequence(a.choices + b.choices).isSimpler(than: ChoiceSequence(b.choices + a.choices))
        }
        let sorted = pieces.enumerated().sorted { a, b in
            precedes(a.element, b.element) || (!precedes(b.element, a.element) && a.offset < b.offset)
        }.map(\.element)
        guard sorted != pieces else { return false }
        let range = spans[run.first!].start..<spans[run.last!].end
        if consider(replacing(range, with: sorted.flatMap(\.values))) { return true }
        // Sorting everything may break the failure; moving only the simplest
        // piece to the front often keeps it. When the front already holds
        // it, the first place out of order gets the simplest piece after it
        // (`[0, 4, 1, 2]` to `[0, 1, 4, 2]`: a hash table's keys, where
        // `[0, 1, 2, 4]` no longer collides).
        var first = 0
        while first < pieces.count - 1,
              !pieces[(first + 1)...].contains(where: { precedes($0, pieces[first]) }) { first += 1 }
        guard first < pieces.count - 1,
              let simplestIndex = pieces.indices.dropFirst(first).min(by: { precedes(pieces[$0], pieces[$1]) }),
              simplestIndex > first else { return false }
        var moved = pieces
        moved.insert(moved.remove(at: simplestIndex), at: first)
        return consider(replacing(range, with: moved.flatMap(\.values)))
    }
}

extension Shrinker {
    func swapNeighbours() -> Bool {
        // The first adoption returns, so the runs are read once.
        for run in siblingRuns where !exhausted {
            let pieces = run.map { ChoiceSequence(Array(choices[spans[$0].range])) }
            // Steps of different lengths: out of order when the swapped
            // pair reads simpler, not when the later step is shorter.
            let steps = spans[run[0]].label == Self.stepLabel
            func outOfOrder(_ k: Int) -> Bool {
                guard steps else { return pieces[k + 1].isSimpler(than: pieces[k]) }
                return ChoiceSequence(pieces[k + 1].choices + pieces[k].choices)
                    .isSimpler(than: ChoiceSequence(pieces[k].choices + pieces[k + 1].choices))
            }
            guard let k = pieces.indices.dropLast().first(where: outOfOrder),
                  executor.deduplicates ? holdsUnion(spans[run[k]]) && holdsUnion(spans[run[k + 1]]) : steps else { continue }
            var swapped = pieces
            swapped.swapAt(k, k + 1)
            let range = spans[run.first!].start..<spans[run.last!].end
            // Spans after an adoption are read afresh by the next round.
            let candidate = replacing(range, with: swapped.flatMap(\.values))
            if consider(candidate) { return true }
            // Steps: again with every pick naming the entry it named before
            // (`repairingPicks(_:swapping:with:)`).
            if steps, !exhausted, let repaired = repairingPicks(candidate, swapping: spans[run[k]].range, with: spans[run[k + 1]].range),
               consider(repaired) { return true }
        }
        return false
    }

    /// Whether `span` holds a choice among alternatives (a one-of, or an
    /// element of a fixed collection such as `["put", "get"]`): an
    /// operation of a trace. Lists of plain values or of strings keep their
    /// order for a reason sorting does not see (`[[0, 0], [0]]` of falling
    /// lengths), and a swap there cost a call at the end of 25 problems'
    /// shrinks.
    func holdsUnion(_ span: Span) -> Bool {
        spans.contains { Self.choiceLabels.contains($0.label) && span.range.contains($0.start) }
    }

    /// Labels of the draws that choose among alternatives as an operation
    /// does: a one-of, a weighted one-of, an element of a fixed collection.
    static let choiceLabels: Set<String> = ["oneOf", "weighted", "element"]
}
