// Repair: a deleted state-machine step keeps the later picks' values.
//
// A pick from a bundle (`Step.pick(from:label:remove:)`) draws an index
// among the bundle's live entries. Deleting a step that produced an entry,
// or one that took an entry out, moves the later entries' indices, so the
// later picks then name other values: in a heap with boundary tags,
// `malloc(1); malloc(2); malloc(1); free(v2); malloc(1); free(v3)` without
// its first malloc frees the wrong blocks unless both frees' indices go
// down by one, and `malloc(2); malloc(1); free(v1); malloc(1); free(v2)`,
// the minimum, was never reached (11 seeds of 20 stopped longer or at a
// trace of the same length that reads later). Here the example's
// productions and picks (`TestCase.bundleEvents`) are replayed without the
// deleted steps' ones, and each later pick gets the index its entry has
// then. A candidate whose later step picked an entry a deleted step
// produced is not repaired (the deletion takes that value away).
//
// Invariant: changes only later pick indices, each to an index the
// bundle has at that point, so the candidate is as long as the deletion;
// it is adopted only through `consider`.

extension Shrinker {
    /// `candidate`, which deleted `deleted` from the example's choices,
    /// with every later pick set to the index its entry has once the
    /// deleted steps' productions and picks are gone; nil when nothing
    /// changes or a later pick took an entry that a deleted step produced.
    func repairingPicks(_ candidate: [ChoiceValue], deleted: Range<Int>) -> [ChoiceValue]? {
        let events = best.bundleEvents
        guard events.contains(where: { $0.pick == nil && deleted.lowerBound < $0.position && $0.position <= deleted.upperBound })
                || events.contains(where: { $0.pick == true && deleted.contains($0.position) }) else { return nil }
        // Each production is an entry, named by its event's index; the live
        // entries per bundle, with and without the deleted steps.
        var before: [String: [Int]] = [:], after: [String: [Int]] = [:]  // only looked up, never iterated
        var repaired = candidate
        var changed = false
        for (e, event) in events.enumerated() {
            guard let removes = event.pick else {
                before[event.bundle, default: []].append(e)
                if !(deleted.lowerBound < event.position && event.position <= deleted.upperBound) {
                    after[event.bundle, default: []].append(e)
                }
                continue
            }
            guard event.position < values.count, case .integer(let v) = values[event.position],
                  let live = before[event.bundle], v >= 0, Int(v) < live.count else { return nil }
            let entry = live[Int(v)]
            if removes { before[event.bundle]?.remove(at: Int(v)) }
            if deleted.contains(event.position) { continue }
            // A later pick of an entry a deleted step produced: it cannot keep its value.
            guard let index = after[event.bundle]?.firstIndex(of: entry) else { return nil }
            if removes { after[event.bundle]?.remove(at: index) }
            guard event.position >= deleted.upperBound else { continue }
            let at = event.position - deleted.count
            if at < repaired.count, repaired[at] != .integer(Int64(index)) {
                repaired[at] = .integer(Int64(index))
                changed = true
            }
        }
        return changed ? repaired : nil
    }
}
