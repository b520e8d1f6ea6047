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
        return progress
    }
}
