// Pass: delete a run of sibling sub-draws and lower every remaining integer
// of the same kind by the number deleted.
//
// When integers refer to positions (indices into a list that is being
// shortened), deleting elements only keeps the failure if the references
// move down with them. Invariant: only removes choices and lowers integers
// that stay within bounds (a value near the bottom of a 64-bit range is
// left alone, not wrapped), so candidates are shorter.

extension Shrinker {
    func deleteAndShift() -> Bool {
        var progress = false
        var i = 0
        var layout = BlockLayout(self)
        while i < spans.count, !exhausted {
            let run = siblingRun(from: i, in: spans)
            var accepted = false
            for length in 1...Swift.min(run.count, 8) where !exhausted {
                let range = spans[run[0]].start..<spans[run[length - 1]].end
                // Not a part of an element or step that reads the rest of it
                // out of place (see `BlockLayout.misalignsRest`), for either
                // kind of body: a state machine's key deleted with more steps
                // after it never kept the failure.
                if range.isEmpty || layout.misalignsRest(range.lowerBound, range.count) { continue }
                if executor.deduplicates, wasDiscarded(replacing(range, with: [])) == false { continue }
                let kinds = choices[range].map(\.kind)
                var candidate: [ChoiceValue] = []
                var changed = false
                for (index, choice) in choices.enumerated() where !range.contains(index) {
                    if case .integer(let c) = choice.kind, kinds.contains(choice.kind), case .integer(let v) = choice.value,
                       case let (lowered, overflow) = v.subtractingReportingOverflow(Int64(length)), !overflow,
                       c.contains(lowered), lowered >= c.simplest {
                        candidate.append(.integer(lowered))
                        changed = true
                    } else {
                        candidate.append(choice.value)
                    }
                }
                if changed, consider(candidate) { accepted = true; break }
            }
            if accepted {
                progress = true
                layout = BlockLayout(self)
            } else {
                i += 1
            }
        }
        return progress
    }
}
