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
// already below every such count, as an index into the list is. Likewise
// an integer drawn on the right side of a `flatMap` modulo the one integer
// its left side drew (a number below a power of a base drawn first).
//
// A last-resort pass.
//
// Invariant: the candidate changes one integer, of a range whose simplest
// value is its least, to a smaller value in that range, so it is simpler.

extension Shrinker {
    func reduceModuloLength() -> Bool {
        var progress = reduceModuloBoundValue()
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

    /// Each integer drawn on the right side of a `flatMap` whose left side
    /// drew one integer of at least 2, outside any collection there,
    /// reduced modulo that integer when at least it: a base drawn first and
    /// a number drawn below a power of it are read digit by digit, and a
    /// failure about one digit is periodic in the number. A radix printer
    /// that writes letter digits wrong stopped at `(11, 109)` ("9A") in 6
    /// seeds of 20, and `(15, 70)` or `(12, 82)` in 3 more, where `(11, 10)`
    /// ("A") is the minimum: every probe of the bisection below 109 that
    /// has no letter digit passes.
    private func reduceModuloBoundValue() -> Bool {
        var progress = false
        var b = 0
        while b < spans.count, !exhausted {
            defer { b += 1 }
            let bind = spans[b]
            guard bind.label.hasSuffix(".bind"), bind.start < choices.count,
                  let left = spans[(b + 1)...].first(where: { $0.parent == b }), left.range == bind.start..<(bind.start + 1),
                  case .integer(let modulus) = values[bind.start], modulus >= 2 else { continue }
            // Not a collection's elements: a length drawn first bounds them
            // without reading them in its base (a list of that many values).
            let collections = spans[(b + 1)...].prefix(while: { $0.start < bind.end }).filter { $0.label == "array" }
            for k in left.end..<min(bind.end, choices.count) where !exhausted && !collections.contains(where: { $0.range.contains(k) }) {
                guard case .integer(let c) = choices[k].kind, c.simplest == c.min, case .integer(let v) = values[k] else { continue }
                let distance = Self.distanceFromSimplest(v, c)  // the simplest is the least
                guard distance >= UInt64(modulus) else { continue }
                let reduced = c.min &+ Int64(bitPattern: distance % UInt64(modulus))
                // Adopted, the example may read differently from here on
                // (its spans are recomputed): the next bind is looked at.
                if consider(replacing(k..<(k + 1), with: [.integer(reduced)])) { progress = true; break }
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
