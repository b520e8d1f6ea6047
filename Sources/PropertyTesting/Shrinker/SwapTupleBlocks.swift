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
// would cost a call at the end of every shrink.) Two adjacent components
// that are collections of one label are swapped too, whatever their
// lengths, when that is simpler: a sparse dot product whose merge advances
// the wrong side stopped at `({1: 1}, {0: 0, 1: 1})` in 18 of 20 seeds,
// where `({0: 0, 1: 1}, {1: 1})` fails the same way (18 to 0; no other row
// of the suite moved).
//
// A last-resort pass, and it costs nothing where no tuple has four or more
// components or two collections side by side.
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
            if !swapped, parts.count >= 2 {
                for k in 0..<(parts.count - 1) where !swapped && !exhausted {
                    swapped = swapCollections(spans[parts[k]], spans[parts[k + 1]])
                }
            }
            if swapped { progress = true } else { t += 1 }
        }
        return progress
    }

    /// Swaps two adjacent components of a tuple that are collections of
    /// one label whose choices read alike (the shorter one's kinds begin
    /// the longer one's), when that is simpler: a failure symmetric in
    /// them stopped with the larger one first.
    private func swapCollections(_ a: Span, _ b: Span) -> Bool {
        guard a.label == b.label, a.end == b.start, a.count > 1, b.count > 1,
              spans.contains(where: { $0.start == a.start && $0.label == "array.element" }) else { return false }
        let left = a.range, right = b.range
        let (short, long) = left.count <= right.count ? (left, right) : (right, left)
        guard choices[short].map(\.kind) == choices[long].prefix(short.count).map(\.kind) else { return false }
        return consider(replacing(left.lowerBound..<right.upperBound, with: Array(values[right]) + Array(values[left])))
    }
}
