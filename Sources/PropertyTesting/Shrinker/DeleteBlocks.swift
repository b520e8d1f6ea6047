// Pass: delete blocks of adjacent choices regardless of span boundaries.
//
// Invariant: only removes choices. Blocks that straddle a boundary are what
// merge two neighbouring collections (the end marker of one and the
// "another element" marker before the next go together).

extension Shrinker {
    func deleteBlocks() -> Bool {
        var progress = false
        // Bodies that draw while they run also try longer blocks: a step of
        // a few choices (flag, rule, arguments) together with the next
        // step's first choices; generator properties keep the short list,
        // this being a pass that runs at the end of every shrink.
        let sizes = executor.deduplicates ? [2, 1, 3] : [2, 1, 3, 4, 5, 6, 8]
        for size in sizes {
            var i = 0
            while i + size <= values.count, !exhausted {
                if consider(replacing(i..<(i + size), with: [])) { progress = true } else { i += 1 }
            }
        }
        return progress
    }
}
