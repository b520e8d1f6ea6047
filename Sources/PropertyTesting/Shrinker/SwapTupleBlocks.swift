// Pass: swap two adjacent blocks of a tuple's components.
//
// A tuple of two intervals, `(start, length, start, length)`, whose
// failure is "they overlap" is as much a failure with the intervals the
// other way round; `(1, 1, 0, 2)` stopped there in 2 of 20 seeds, where
// `(0, 2, 1, 1)` is simpler: no value can move alone, and sorting applies to
// siblings of one label, not to groups of a tuple's components. Here two
// adjacent blocks of two or more components whose kinds match one for one
// are swapped, when that is simpler. (Blocks of one component are left
// alone: a pair such as `(10, 9)` where the first must stay the larger
// would cost a call at the end of every shrink.)
//
// A last-resort pass, and it costs nothing where no tuple has four or more
// components.
//
// Invariant: permutes whole components, so the length is unchanged; a
// candidate is run only when it is simpler (`consider`).

extension Shrinker {
    func swapTupleBlocks() -> Bool {
        var progress = false
        var t = 0
        while t < spans.count, !exhausted {
            guard spans[t].label == "tuple" else { t += 1; continue }
            let parts = spans.indices.filter { spans[$0].parent == t }
            var swapped = false
            if parts.count >= 4 {
                for length in 2...(parts.count / 2) where !swapped && !exhausted {
                    for start in 0...(parts.count - 2 * length) where !swapped && !exhausted {
                        let first = parts[start..<(start + length)], second = parts[(start + length)..<(start + 2 * length)]
                        let left = spans[first.first!].start..<spans[first.last!].end
                        let right = spans[second.first!].start..<spans[second.last!].end
                        guard left.upperBound == right.lowerBound, left.count == right.count,
                              choices[left].map(\.kind) == choices[right].map(\.kind) else { continue }
                        let swappedValues = Array(values[right]) + Array(values[left])
                        if consider(replacing(left.lowerBound..<right.upperBound, with: swappedValues)) { swapped = true }
                    }
                }
            }
            if swapped { progress = true } else { t += 1 }
        }
        return progress
    }
}
