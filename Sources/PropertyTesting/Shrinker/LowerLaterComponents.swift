// Pass step (the first turn of `lowerChoices`): each later component of a
// top-level tuple at its simplest, before any search.
//
// `lowerChoices` visits choices in order and searches each before it goes
// on, so a tuple's last component waits for every search of the components
// before it. When the first ones are tied to each other (a free list and a
// request: first fit must differ from best fit), their searches move them
// together in small steps, while the request could have gone to its
// simplest at once and freed them: `([75, 71], 61)` spent 20 calls
// shifting the list before 61 went to 1. One call per later component,
// once per shrink, tries that first. Only components with two or more
// values to search before them: the next one is visited right after one
// search anyway, and trying it early cost a pair of integers (the
// shrinking challenge's difference problems) a call each. Nor a component
// that `loweringOrder` moved (a strictly decreasing run, visited from its
// end): its last component is visited first already, and trying the
// others cost a decreasing tuple of four a call in 8 seeds of 20.
//
// Invariant: each candidate sets one choice to its kind's simplest value,
// so it is simpler; the example's length is kept while the step runs.

extension Shrinker {
    /// Tries, once per shrink, the first integer that is not at its simplest
    /// of each component of a top-level tuple that has at least two such
    /// integers before it and keeps its place in `order` (the order
    /// `lowerChoices` visits the choices in), at its simplest; whether one
    /// was adopted.
    func lowerLaterComponents(visitedIn order: [Int]) -> Bool {
        guard !laterComponentsTried else { return false }
        laterComponentsTried = true
        let spans = self.spans
        guard let root = spans.indices.first(where: { spans[$0].parent == nil }), spans[root].label == "tuple" else { return false }
        // Doubles' codes are searched through their values (`lowerDoubleCode`).
        func searched(_ k: Int) -> Bool {
            guard case .integer = choices[k].kind, !choices[k].isSimplest else { return false }
            return !isDoubleCode(k)
        }
        var candidates: [Int] = []
        for component in spans.indices where spans[component].parent == root {
            guard let first = spans[component].range.first(where: searched) else { continue }
            if order[first] == first, (0..<first).count(where: searched) >= 2 { candidates.append(first) }
        }
        let length = choices.count
        var progress = false
        for i in candidates where !exhausted && choices.count == length {
            guard !choices[i].isSimplest, case .integer(let c) = choices[i].kind else { continue }
            if consider(replacing(i..<(i + 1), with: [.integer(c.simplest)])) { progress = true }
        }
        return progress
    }
}
