// Pass: exchange one field's values between two records of a list.
//
// A list of records of one shape (`[(size, align)]`, `[(key, value)]`)
// whose failure needs each record's fields as they are can still fail
// with one field's values exchanged between two records: a bump
// allocator's requests `[(49, 1), (1, 16)]` (the second is padded to 16 and
// ends past the budget) fail as `[(1, 1), (49, 16)]`, which is simpler. No
// value can move alone (each lowering breaks the sum or the padding), and
// sorting moves whole records (`[(1, 16), (49, 1)]` passes). Here, for
// each field of a run of sibling records of the same kinds, the first
// record whose field is less simple than the next one's gets the two
// exchanged, when that is simpler.
//
// A last-resort pass: it costs a call per field out of order at the end of
// a shrink of a list of records, nothing for other examples.
//
// Invariant: exchanges two choices of one kind, so the length is
// unchanged; a candidate is run only when it is simpler (`consider`).

extension Shrinker {
    func swapFields() -> Bool {
        // The first adoption returns, so the runs are read once.
        for run in siblingRuns where !exhausted {
            guard spans[run[0]].label != Self.stepLabel else { continue }
            // Records: two or more choices each, of the same kinds in the
            // same order (a list's last span, holding only the boolean that
            // ends it, is none).
            let kinds = choices[spans[run[0]].range].map(\.kind)
            let ranges = run.map { spans[$0].range }.filter { choices[$0].map(\.kind) == kinds }
            guard kinds.count >= 2, ranges.count > 1 else { continue }
            for field in kinds.indices where !exhausted {
                guard case .integer = kinds[field] else { continue }
                let column = ranges.map { $0.lowerBound + field }
                guard let k = column.indices.dropLast().first(where: { compareSimplicity(choices[column[$0 + 1]], choices[column[$0]]) < 0 })
                else { continue }
                var candidate = values
                candidate.swapAt(column[k], column[k + 1])
                if consider(candidate) { return true }
            }
        }
        return false
    }
}
