// Pass: delete blocks of adjacent choices regardless of span boundaries.
//
// Invariant: only removes choices. Blocks that straddle a boundary are what
// merge two neighbouring collections (the end marker of one and the
// "another element" marker before the next go together).

extension Shrinker {
    func deleteBlocks() -> Bool {
        var progress = false
        for size in [2, 1, 3] {
            var i = 0
            while i + size <= values.count, !exhausted {
                if consider(replacing(i..<(i + size), with: [])) { progress = true } else { i += 1 }
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
}
