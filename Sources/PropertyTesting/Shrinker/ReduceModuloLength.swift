// Pass: reduce an integer modulo the length of a collection beside it.
//
// An integer drawn next to a collection is often used modulo its length: a
// rotation by k, a slot of a ring, a hash bucket. Such a failure is
// periodic in the integer, so lowering, which takes a passing probe to mean
// that every value below it passes, stops at the first value it reached:
// a list of 4 rotated by 10 fails, by 2 too, and the values the search
// probed below 10 (0, 5, 8, 9) all pass. For an integer of a tuple whose
// value is at least the element count n of a collection of the same tuple,
// the candidate is the integer modulo n. No call when the integer is
// already below every such count, as an index into the list is.
//
// A last-resort pass.
//
// Invariant: the candidate changes one integer, of a range whose simplest
// value is its least, to a smaller value in that range, so it is simpler.

extension Shrinker {
    func reduceModuloLength() -> Bool {
        var progress = false
        var s = 0
        while s < spans.count, !exhausted {
            defer { s += 1 }
            let span = spans[s]
            guard span.label == "integer", span.count == 1, let tuple = span.parent, spans[tuple].label == "tuple",
                  case .integer(let c) = choices[span.start].kind, c.simplest == c.min,
                  case .integer(let v) = values[span.start] else { continue }
            // The value's distance from the least (an unsigned 64-bit value's
            // range starts at Int64.min, so the distance is taken as unsigned).
            let distance = UInt64(bitPattern: v &- c.min)
            for n in collectionCounts(in: tuple) where n > 0 && distance >= UInt64(n) {
                let reduced = c.min &+ Int64(bitPattern: distance % UInt64(n))
                guard reduced != v, consider(replacing(span.start..<(span.start + 1), with: [.integer(reduced)])) else { continue }
                progress = true
                break
            }
        }
        return progress
    }

    /// The element counts of the collections (arrays) directly in span `tuple`, ascending.
    private func collectionCounts(in tuple: Int) -> [Int] {
        var counts: [Int] = []
        for (a, array) in spans.enumerated() where array.parent == tuple && array.label == "array" {
            // Elements are the array's element spans but the closing flag.
            var count = 0
            for element in spans[(a + 1)...].prefix(while: { $0.start < array.end }) where element.parent == a {
                if element.count == 1, values[element.start] == .boolean(false), isElementFlag(element.start, in: spans) { continue }
                count += 1
            }
            counts.append(count)
        }
        return counts.sorted()
    }
}
