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
            if consider(replacing(span.range, with: slice.map { $0.kind.simplest })) { progress = true }
        }
        return progress
    }
}
