// Pass: lower the integer a `flatMap` binds on to its simplest value, with
// each integer the other side draws moved to the same place in its new
// range; when that does not keep the failure, one step down in rank at a
// time, the same way, while that does. A main pass, run before the
// integers are lowered one by one: as a last resort, a page shift bound to
// a buffer's start and length within four pages came down one shift at a
// time by the other passes, each step followed by a search of the length
// (some twenty calls a step: 89.5 median calls to `(9, 1, 512)`, 31 now;
// a slab's capacity by stride 44.5 to 21; `flatmap_length_then_index`
// 73.5 to 88.5, Hypothesis 97).
//
// A dependent draw's range follows the value it binds on: a slot below a
// slab's capacity, an index below a drawn length. Lowering the bound value
// replays the dependent ones as they were, so they sit at the same value in
// a wider (or narrower) range and usually no longer fail: an object size
// of 1...512 bound to a slot below 4032 / size, whose placement at a
// 16-byte stride runs past the page from slot 4032 / stride on, stopped
// at `(17, 126)` or `(49, 63)` in 14 seeds of 20, where `(1, 252)` fails
// and is simpler. The dependent integer kept at its relative place (126
// of 0...236 becomes 2,152 of 0...4031) keeps the failure, and lowering
// then finds 252. The new ranges are read from the generation with the
// bound value at its simplest (for a body that draws while it runs, from
// an earlier run, or one call).
//
// Invariant: the bound integer moves to its simplest value, so the
// candidate is simpler at its first changed choice; it is adopted only
// through `consider`.

extension Shrinker {
    /// The most steps down `rescaleBinds` takes a bound value in one round.
    static let rescaleSteps = 8

    func rescaleBinds() -> Bool {
        var b = 0
        while b < spans.count, !exhausted {
            defer { b += 1 }
            let bind = spans[b], left = bind.start
            guard bind.label.hasSuffix(".bind"), bind.count > 1,
                  spans.contains(where: { $0.parent == b && $0.range == left..<(left + 1) }),
                  case .integer(let c) = choices[left].kind, !choices[left].isSimplest else { continue }
            if rescaled(bind, to: c.simplest) { return true }
            // One step down in rank, again while that works, at most
            // `rescaleSteps` steps a round: a page shift bound to a length of
            // whole pages halves the length with each step (`(16, 2,
            // 131072)` to `(9, 1, 512)`), where lowering the shift with the
            // length kept, then the length, took a search of some twenty
            // calls per step. Unbounded, a count of 500,000 bound to an index
            // at its top, failing from 1,000 on, stepped down one a call
            // until the shrink's budget ran out; the integer search takes
            // such a count down after a round's steps.
            guard case .integer(let v) = values[left], c.rank(of: v) > 1 else { continue }
            var progress = false
            var steps = 0
            while steps < Self.rescaleSteps, !exhausted, left < choices.count, choices[left].kind == .integer(c),
                  case .integer(let now) = values[left], c.rank(of: now) > 1, spans.indices.contains(b), spans[b].start == left,
                  spans[b].label == bind.label, rescaled(spans[b], to: c.value(atRank: c.rank(of: now) - 1)) {
                progress = true
                steps += 1
            }
            if progress { return true }
        }
        return false
    }

    /// The example with the integer bind span `bind` binds on set to
    /// `target`, each integer its other side draws moved to the same place
    /// in its new range, tried; whether it was adopted.
    private func rescaled(_ bind: Span, to target: Int64) -> Bool {
        let left = bind.start
        var lowered = values
        lowered[left] = .integer(target)
        // What the run with the bound value at `target` read: for a
        // generator property its generation alone (no call), for a body
        // that draws while it runs the tree of earlier runs, or a run.
        let recorded: [Choice]
        if executor.deduplicates {
            guard let generated = executor.generated(lowered, outcome: .passed) else { return false }
            recorded = generated.sequence.choices
        } else if let known = tree?.predict(lowered)?.recorded {
            recorded = known
        } else {
            guard !hasTried(lowered) else { return false }
            if consider(lowered) { return true }
            guard let read = lastRecorded else { return false }
            recorded = read
        }
        var candidate = lowered
        var changed = false
        for k in (left + 1)..<bind.end where k < recorded.count {
            guard case .integer(let old) = choices[k].kind, case .integer(let new) = recorded[k].kind, old != new,
                  case .integer(let v) = values[k], old.max > old.min else { continue }
            // On the distances from each range's least value, unsigned
            // (a range's width can pass `Int64.max`), and clamped to the
            // new width before converting back (a `Double` of the width
            // rounds up past it: 2^63 - 1 to 2^63).
            let oldWidth = UInt64(bitPattern: old.max &- old.min), newWidth = UInt64(bitPattern: new.max &- new.min)
            let place = Double(UInt64(bitPattern: v &- old.min)) / Double(oldWidth)
            let offset = (Double(newWidth) * place).rounded()
            let distance = offset >= Double(newWidth) ? newWidth : UInt64(Swift.max(offset, 0))
            let value = new.min &+ Int64(bitPattern: distance)
            if value != v {
                candidate[k] = .integer(value)
                changed = true
            }
        }
        return changed && consider(candidate)
    }
}
