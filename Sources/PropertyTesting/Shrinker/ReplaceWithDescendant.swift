// Pass: replace a sub-draw by a smaller sub-draw nested inside it with the
// same label (a tree by one of its subtrees, an expression by an operand).
//
// Invariant: the candidate drops the choices around the descendant, so it
// is strictly shorter.

extension Shrinker {
    func replaceWithDescendant() -> Bool {
        var progress = false
        var i = 0
        while i < spans.count, !exhausted {
            let span = spans[i]
            var accepted = false
            var j = i + 1
            while j < spans.count, spans[j].start < span.end, !exhausted {
                let inner = spans[j]
                if inner.label == span.label, inner.count < span.count,
                   consider(replacing(span.range, with: Array(values[inner.range]))) {
                    accepted = true
                    break
                }
                j += 1
            }
            if accepted { progress = true } else { i += 1 }
        }
        return progress
    }
}
