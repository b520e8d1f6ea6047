// Pass: delete blocks of adjacent choices regardless of span boundaries.
//
// Invariant: only removes choices. Blocks that straddle a boundary are what
// merge two neighbouring collections (the end marker of one and the
// "another element" marker before the next go together). A block inside a
// collection element whose deletion moves a choice of another sort into its
// place is not tried (see `misaligns`).

extension Shrinker {
    func deleteBlocks() -> Bool {
        var progress = false
        for size in [2, 1, 3] {
            var i = 0
            while i + size <= values.count, !exhausted {
                if !misaligns(i, size), consider(replacing(i..<(i + size), with: [])) { progress = true } else { i += 1 }
            }
        }
        // Bodies that draw while they run also try longer blocks, but only
        // from the start of a sub-draw: a step of a few choices (flag, rule,
        // arguments) together with the next step's first choices. Longer
        // blocks at every position cost a call each and almost always
        // misalign the rest; generator properties skip them altogether,
        // this being a pass that runs at the end of every shrink.
        if !executor.deduplicates {
            for size in [4, 5, 6, 8] {
                var i = 0
                while i + size <= values.count, !exhausted {
                    let starts = spans.contains { $0.start == i && $0.count > 0 }
                    if starts, consider(replacing(i..<(i + size), with: [])) { progress = true } else { i += 1 }
                }
            }
        }
        return progress
    }

    /// Whether deleting `size` choices at `index` moves a choice of another
    /// sort (a boolean, an integer, a byte string) into the first deleted
    /// place inside a collection element that has more elements after it.
    /// Replay reads the moved choice there as that place's simplest value:
    /// an integer read as the "another element" flag reads as false and cuts
    /// the collection off, leaving its later elements to be read, out of
    /// place, by whatever comes next. Such a candidate costs a call and
    /// almost never keeps the failure: at the end of shrinking a
    /// thirty-character string, one call per character, each cutting the
    /// string short. The last element of a collection is still tried: with
    /// no end marker after it (a collection at its maximum count), the cut
    /// replaces the element by an end marker and keeps the rest in place.
    private func misaligns(_ index: Int, _ size: Int) -> Bool {
        guard index + size < choices.count else { return false }
        switch (choices[index].kind, choices[index + size].kind) {
        case (.integer, .integer), (.boolean, .boolean), (.bytes, .bytes): return false
        default: break
        }
        let spans = self.spans
        guard let element = spans.lastIndex(where: { Self.flaggedLabels.contains($0.label) && $0.range.contains(index) }) else {
            return false
        }
        return siblingRun(from: element, in: spans).count > 1
    }
}
