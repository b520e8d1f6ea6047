// Pass: delete sub-draws, alone, in pairs and as runs of adjacent siblings.
//
// Invariant: only removes choices, so every accepted candidate is shorter.
// When a deletion leaves a collection's count asking for more choices than
// remain (an overrun), the count just before the enclosing span is lowered by
// the number of deleted siblings in the same candidate.

extension Shrinker {
    func deleteSpans() -> Bool {
        var progress = false
        var i = 0
        // Elements of one collection in a row whose deletion failed at the
        // cost of a call, and the collections already zeroed this pass.
        var failedInRow = (collection: -1, count: 0)
        var zeroed: [Int] = []
        // The inner collections whose siblings a merge was tried for.
        var merged: [Int] = []
        var layout = BlockLayout(self)
        while i < spans.count, !exhausted {
            let before = attempts
            if spans[i].count > 0, !isElementPayload(i), !misalignsElement(i, layout),
               deleteSiblingRun(from: i) {
                progress = true
                failedInRow = (-1, 0)
                zeroed = []
                layout = BlockLayout(self)
                continue
            }
            if attempts > before, spans[i].label == "array.element", let parent = spans[i].parent {
                failedInRow = failedInRow.collection == parent ? (parent, failedInRow.count + 1) : (parent, 1)
                if failedInRow.count >= 3, !merged.contains(parent) {
                    merged.append(parent)
                    if let whole = mergeSiblingCollections(of: parent) {
                        progress = true
                        // The size of the merged collection matters as its
                        // part's did: its elements go to their simplest at
                        // once (see `zeroElements`), so that every deletion
                        // of one is the same candidate.
                        _ = zeroElements(ofCollection: whole)
                        failedInRow = (-1, 0)
                        zeroed = []
                        merged = []
                        layout = BlockLayout(self)
                        continue
                    }
                }
                // Worth a call only while several deletions are still to come
                // (elements after this one, not counting an end marker).
                if failedInRow.count >= 3, !zeroed.contains(parent),
                   siblingRun(from: i, in: spans).dropFirst().filter({ spans[$0].count > 1 }).count >= Self.zeroingReach {
                    zeroed.append(parent)
                    if zeroElements(ofCollection: parent) {
                        progress = true
                        failedInRow = (-1, 0)
                        zeroed = []
                    }
                }
            }
            i += 1
        }
        return progress
    }

    /// Whether `spans[index]` is a part of a collection element (not the
    /// element itself) whose deletion reads the rest of the element out of
    /// place (see `BlockLayout.misalignsRest`): for a state machine, one of
    /// a step's arguments when more steps follow (deleting a put's key
    /// reads its value as the key and the next step's flag as the value).
    func misalignsElement(_ index: Int, _ layout: BlockLayout) -> Bool {
        guard spans[index].label != "array.element", !Self.flaggedLabels.contains(spans[index].label) else { return false }
        let start = spans[index].start
        guard start < layout.elementEnd.count, layout.inContinuedElement[start], !layout.isFlag[start] else { return false }
        return layout.misalignsRest(start, spans[index].count)
    }

    /// Where the collection of the elements `run` ends when `run` reaches
    /// that end and the collection ended at its greatest count (its last
    /// element is not an end marker, a lone `false` flag); nil otherwise.
    func endOfFullCollection(_ run: [Int], in spans: [Span]) -> Int? {
        guard let first = run.first, let last = run.last, spans[first].label == "array.element",
              let parent = spans[first].parent, spans[last].end == spans[parent].end else { return nil }
        if spans[last].count == 1, values[spans[last].start] == .boolean(false) { return nil }
        return spans[last].end
    }

    /// Elements after a failed deletion, at least, for `zeroElements` to be tried.
    static let zeroingReach = 3

    /// Whether `spans[index]` is a collection element's value without the
    /// element's leading "another element" flag, or a sub-draw that makes up
    /// all of such a value: a mapped or labelled generator's draw spans the
    /// same choices as the draw inside it (a string's span holds its array's),
    /// and deleting the inner one deletes the same choices. In a list of
    /// strings the inner one's deletion read the next element's flags as the
    /// string's (`['000000', '', '000000', '']` to `['00', '', '', '', '', '']`),
    /// a call per round.
    func isElementPayload(_ index: Int) -> Bool {
        var k = index
        while let p = spans[k].parent {
            if spans[p].label == "array.element" { return spans[index].start > spans[p].start }
            guard spans[p].range == spans[index].range else { return false }
            k = p
        }
        return false
    }

    /// Deletes the span at `index`, then as many following siblings as still works.
    private func deleteSiblingRun(from index: Int) -> Bool {
        let snapshot = choices
        let snapshotSpans = spans
        let run = siblingRun(from: index, in: snapshotSpans)
        // Elements within a collection's minimum count have no "another
        // element" flag: deleting one moves the next element that has a
        // flag into its place, and its flag was read as the start of a value
        // (a double's sign: [x, y, 0.0, …] became [y, -0.0], which cost a
        // call to undo). The flags of as many later elements as unflagged
        // ones are deleted go too, so the elements after them stay whole.
        let flagged = run.map { snapshotSpans[$0].label == "array.element" && self.isElementFlag(snapshotSpans[$0].start, in: snapshotSpans) }
        let fullEnd = endOfFullCollection(run, in: snapshotSpans)
        let deleteFirst = { (k: Int) -> Bool in
            let range = snapshotSpans[run[0]].start..<snapshotSpans[run[k - 1]].end
            let unflagged = (0..<k).filter { snapshotSpans[run[$0]].label == "array.element" && !flagged[$0] }.count
            let flags = unflagged == 0 ? [] : Array((k..<run.count).filter { flagged[$0] }.prefix(unflagged).map { snapshotSpans[run[$0]].start })
            // A collection at its greatest count drew no end marker: one is
            // added where it now ends, or it would read what follows it as
            // its next element's flag ([[0, 0, 51]] at most three to a list
            // never lost an element). Only when the elements left still
            // reach the least count, past which the flag is read: the
            // deleted ones all had flags, or as many later elements gave up
            // theirs (['', '"', ''] at most three to a list is
            // ['"', ''] only with the marker).
            let reachesLeast = flags.count == unflagged
            return self.deleteRepairingCount(range, siblings: k, spanIndex: index, snapshot: snapshot, spans: snapshotSpans,
                                             alsoDeleting: flags, endMarkerAt: reachesLeast ? fullEnd : nil)
        }
        guard deleteFirst(1) else {
            // Two steps that only work as a pair (a push and its pop, an
            // allocation and its free): deleting either alone changes what
            // the other does, deleting both leaves the rest as it was. For
            // bodies that draw while they run, where a later draw depends on
            // earlier steps, and for a generator's elements that are
            // operations (each holds a choice among alternatives, see
            // `holdsUnion`: a heap's pushes and pops, 16 to 20 of 20 seeds
            // at the minimum), or symbols of a small alphabet, a language's
            // tokens (`isSymbol`: brackets balanced by count but not nested,
            // `(()[)]` to `([)]`, 3 to 11 of 20 seeds, at half the calls).
            // Elsewhere a generator's elements do not depend on each other,
            // and the extra call per element is pure cost. Tokens (one
            // choice of a small alphabet) also try runs of 4 and 8 when two
            // fail (`chunkDeleted`); for every union the extra calls cost
            // 34 rows of the shrink-quality suite up to 12 calls each.
            guard run.count > 1, !executor.deduplicates || (holdsUnion(snapshotSpans[run[0]]) && holdsUnion(snapshotSpans[run[1]]))
                    || (isSymbol(snapshotSpans[run[0]]) && isSymbol(snapshotSpans[run[1]])),
                  !exhausted else { return false }
            guard deleteFirst(2) else { return isToken(snapshotSpans[run[0]]) && chunkDeleted(run.count, deleteFirst) }
            if run.count > 2 { _ = Search.findInteger(limit: run.count - 2) { extra in deleteFirst(2 + extra) } }
            return true
        }
        if run.count > 1 {
            // Once one sibling goes, the rest of the run often is junk too
            // (everything after the part that matters): deleting all of it,
            // or all but a trailing end marker, settles that in one call
            // where counting up would take one call per sibling.
            let limit = run.count - 1
            if deleteFirst(1 + limit) { return true }
            if lastOutcome == .overrun, limit > 1, deleteFirst(limit) { return true }
            _ = Search.findInteger(limit: limit) { extra in deleteFirst(1 + extra) }
        }
        return true
    }

    /// Whether `span` is a collection element that is one symbol of a small
    /// alphabet: a character (`isSymbol`) or an element of a fixed
    /// collection of at most 16, one choice.
    func isToken(_ span: Span) -> Bool {
        isSymbol(span) || (span.label == "array.element" && span.count == 2 && holdsUnion(span)
            && { if case .integer(let c) = choices[span.start + 1].kind { c.maxRank < 16 } else { false } }())
    }

    /// Runs of 4 and 8 siblings, when one and two went: input read in
    /// chunks (a line reader's buffer of 4) fails on a chunk's worth.
    private func chunkDeleted(_ count: Int, _ deleteFirst: (Int) -> Bool) -> Bool {
        for k in [4, 8] where k <= count && !exhausted {
            if deleteFirst(k) { return true }
        }
        return false
    }

    /// Whether `span` is a collection element holding one character of a
    /// small alphabet (`Gen.characters(from:)`): a symbol of a language.
    func isSymbol(_ span: Span) -> Bool {
        span.label == "array.element" && span.count == 2 && spans.contains {
            $0.label == "character" && $0.start == span.start + 1 && $0.count == 1
        } && { if case .integer(let c) = choices[span.start + 1].kind { c.maxRank < 16 } else { false } }()
    }

    /// Tries deleting `range` (and the choices at `alsoDeleting`, all after
    /// it) from `base`; on an overrun, also tries lowering the integer that
    /// precedes an enclosing span by `siblings`.
    /// With `endMarkerAt` (the end of the collection the deleted siblings
    /// belong to, which drew no end marker), a `false` "another element"
    /// flag is inserted there.
    func deleteRepairingCount(_ range: Range<Int>, siblings: Int, spanIndex: Int, snapshot: [Choice], spans: [Span],
                              alsoDeleting: [Int] = [], endMarkerAt: Int? = nil) -> Bool {
        let base = snapshot.map(\.value)
        var candidate = base
        if let end = endMarkerAt { candidate.insert(.boolean(false), at: end) }
        for k in alsoDeleting.reversed() { candidate.remove(at: k) }
        candidate.removeSubrange(range)
        if consider(candidate) { return true }
        // Deleted steps of a state machine: the later steps keep their
        // picks' values and their rules.
        if spans[spanIndex].label == Self.stepLabel, alsoDeleting.isEmpty, endMarkerAt == nil, base == values {
            if let picks = repairingPicks(candidate, deleted: range) {
                if consider(picks) || considerKeepingRules(picks, deleted: range) { return true }
            } else if considerKeepingRules(candidate, deleted: range) {
                return true
            }
        }
        guard lastOutcome == .overrun else { return false }
        var ancestor = spans[spanIndex].parent
        var levels = 0
        while let a = ancestor, levels < 3 {
            var tried = false
            for countIndex in countCandidates(for: a, in: spans, snapshot: snapshot) {
                guard let lowered = Self.loweredCount(base[countIndex], by: siblings, snapshot[countIndex].kind) else { continue }
                var repaired = candidate
                repaired[countIndex] = .integer(lowered)
                if consider(repaired) { return true }
                tried = true
            }
            if tried { return false }
            ancestor = spans[a].parent
            levels += 1
        }
        return false
    }

    /// `value`, an integer of `kind`, moved `by` towards the simplest value
    /// when that stays in range and is simpler; nil otherwise.
    static func loweredCount(_ value: ChoiceValue, by n: Int, _ kind: ChoiceKind) -> Int64? {
        guard case .integer(let c) = kind, case .integer(let v) = value else { return nil }
        let lowered = v > c.simplest ? v &- Int64(n) : v &+ Int64(n)
        return c.contains(lowered) && c.rank(of: lowered) < c.rank(of: v) ? lowered : nil
    }

    /// The integers that may be the count of the collection `spans[collection]`,
    /// nearest first: the one just before it, unless the collection is
    /// drawn by a `flatMap` (the right side, or at most two draws inside
    /// it) and integers on its left side hold the collection's number of
    /// elements; then those, the last first, at most two. A matrix drawn as
    /// `zip(rows, columns).flatMap { … }` has its row count two choices
    /// before its rows and its column count further from each row:
    /// lowering the column count for a deleted row made every row read the
    /// next one's first value, and rows and columns of zeros around the
    /// values that matter were never deleted.
    func countCandidates(for collection: Int, in spans: [Span], snapshot: [Choice]) -> [Int] {
        let bound = boundCounts(for: collection, in: spans, snapshot: snapshot)
        guard bound.isEmpty else { return bound }
        let start = spans[collection].start
        return start >= 1 && start - 1 < snapshot.count ? [start - 1] : []
    }

    /// The integers on the left side of the `flatMap` that draws the
    /// collection `spans[collection]` (its right side, or at most two draws
    /// inside it) that hold the collection's number of elements, the last
    /// first, at most two; empty when there are none.
    func boundCounts(for collection: Int, in spans: [Span], snapshot: [Choice]) -> [Int] {
        var ancestor = spans[collection].parent, levels = 0
        while let b = ancestor, !spans[b].label.hasSuffix(".bind") {
            levels += 1
            guard levels < 3 else { return [] }
            ancestor = spans[b].parent
        }
        guard let bind = ancestor,
              let left = spans.firstIndex(where: { $0.parent == bind && $0.start == spans[bind].start }),
              spans[left].end <= spans[collection].start, spans[left].end <= snapshot.count else { return [] }
        let elements = Int64(spans.filter { $0.parent == collection }.count)
        var matches: [Int] = []
        for k in stride(from: spans[left].end - 1, through: spans[left].start, by: -1) where matches.count < 2 {
            if case .integer = snapshot[k].kind, snapshot[k].value == .integer(elements) { matches.append(k) }
        }
        return matches
    }
}
