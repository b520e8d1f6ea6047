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

// Repair: two neighbouring state-machine steps swapped keep every pick's
// entry. A swap of two steps that produce into one bundle swaps their
// entries' places in it, so a later pick by index then names the other
// value: a pool that miscounts a large block freed while another is live
// stopped at `v1 = alloc(size: 2097152); v2 = alloc(size: 1); free(block:
// v1)` in 11 seeds of 20, since the swap that reads simpler frees the small
// block; with the free's index repaired it frees the large one and keeps
// the failure, `v1 = alloc(size: 1); v2 = alloc(size: 2097152); free(block:
// v2)`.
//
// Invariant: changes only pick indices, each to the index its entry has at
// that point of the swapped example; nil when a pick would come before the
// entry it takes exists.

extension Shrinker {
    /// `candidate`, the example with the neighbouring steps `first` and
    /// `second` (`second` starting where `first` ends) swapped, with every
    /// pick set to the index its entry has in the swapped order; nil when
    /// nothing changes or a pick of the second step took an entry the first
    /// produced.
    func repairingPicks(_ candidate: [ChoiceValue], swapping first: Range<Int>, with second: Range<Int>) -> [ChoiceValue]? {
        guard first.upperBound == second.lowerBound, candidate.count == values.count else { return nil }
        let events = best.bundleEvents
        // Which part of the example an event belongs to: 0 before the two
        // steps, 1 the first, 2 the second, 3 after. A production is
        // recorded after the choices drawn so far, a pick at its own choice.
        let parts = events.map { event -> Int in
            let p = event.position
            let bounds = event.pick == nil ? (p <= first.lowerBound, p <= first.upperBound, p <= second.upperBound)
                : (p < first.lowerBound, p < first.upperBound, p < second.upperBound)
            return bounds.0 ? 0 : bounds.1 ? 1 : bounds.2 ? 2 : 3
        }
        guard parts.contains(where: { $0 == 1 || $0 == 2 }) else { return nil }
        // The entry each pick takes in the example as it is (an entry is
        // named by its production's event index). Dictionaries here are only
        // looked up, never iterated.
        var live: [String: [Int]] = [:]
        var entryOf: [Int: Int] = [:]
        for (e, event) in events.enumerated() {
            guard let removes = event.pick else {
                live[event.bundle, default: []].append(e)
                continue
            }
            guard event.position < values.count, case .integer(let v) = values[event.position],
                  let entries = live[event.bundle], v >= 0, Int(v) < entries.count else { return nil }
            entryOf[e] = entries[Int(v)]
            if removes { live[event.bundle]?.remove(at: Int(v)) }
        }
        let order = [0, 2, 1, 3].flatMap { part in events.indices.filter { parts[$0] == part } }
        var swappedLive: [String: [Int]] = [:]
        var repaired = candidate
        var changed = false
        for e in order {
            let event = events[e]
            guard let removes = event.pick else {
                swappedLive[event.bundle, default: []].append(e)
                continue
            }
            guard let entry = entryOf[e], let index = swappedLive[event.bundle]?.firstIndex(of: entry) else { return nil }
            if removes { swappedLive[event.bundle]?.remove(at: index) }
            let at = parts[e] == 1 ? event.position + second.count : parts[e] == 2 ? event.position - first.count : event.position
            guard at < repaired.count else { return nil }
            if repaired[at] != .integer(Int64(index)) {
                repaired[at] = .integer(Int64(index))
                changed = true
            }
        }
        return changed ? repaired : nil
    }
}
