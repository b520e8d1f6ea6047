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
        // A production is recorded after the choices drawn so far, a pick at its own choice.
        func producedInDeleted(_ event: BundleEvent) -> Bool {
            event.pick == nil && deleted.lowerBound < event.position && event.position <= deleted.upperBound
        }
        guard events.contains(where: producedInDeleted) || events.contains(where: { $0.pick == true && deleted.contains($0.position) }),
              let entryOf = pickedEntries(events) else { return nil }
        // Without the deleted steps' events; a later pick moves back by the deletion's length.
        let kept = events.indices.filter { e in
            events[e].pick == nil ? !producedInDeleted(events[e]) : !deleted.contains(events[e].position)
        }
        return reindexingPicks(candidate, events: events, entryOf: entryOf, order: kept) { e in
            events[e].position >= deleted.upperBound ? events[e].position - deleted.count : nil
        }
    }

    /// The entry each pick of the example takes, by the pick's event index
    /// (an entry is named by its production's event index); nil when a
    /// pick's index is past its bundle's live entries. Only looked up,
    /// never iterated.
    func pickedEntries(_ events: [BundleEvent]) -> [Int: Int]? {
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
        return entryOf
    }

    /// `candidate` with the events `order` (indices into `events`) replayed
    /// in that order, each pick's index set, at the choice `writeAt` gives
    /// (none: left as it is), to the index its entry (`entryOf`) has among
    /// the bundle's live entries at that point of the replay; nil when
    /// nothing changes or a pick's entry is not live then (a production of
    /// a deleted step, or one the swap put after it).
    func reindexingPicks(_ candidate: [ChoiceValue], events: [BundleEvent], entryOf: [Int: Int], order: [Int],
                         writeAt: (Int) -> Int?) -> [ChoiceValue]? {
        var live: [String: [Int]] = [:]  // only looked up, never iterated
        var repaired = candidate
        var changed = false
        for e in order {
            let event = events[e]
            guard let removes = event.pick else {
                live[event.bundle, default: []].append(e)
                continue
            }
            guard let entry = entryOf[e], let index = live[event.bundle]?.firstIndex(of: entry) else { return nil }
            if removes { live[event.bundle]?.remove(at: index) }
            if let at = writeAt(e), at < repaired.count, repaired[at] != .integer(Int64(index)) {
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
        guard parts.contains(where: { $0 == 1 || $0 == 2 }), let entryOf = pickedEntries(events) else { return nil }
        let order = [0, 2, 1, 3].flatMap { part in events.indices.filter { parts[$0] == part } }
        return reindexingPicks(candidate, events: events, entryOf: entryOf, order: order) { e in
            let p = events[e].position
            return parts[e] == 1 ? p + second.count : parts[e] == 2 ? p - first.count : p
        }
    }
}
