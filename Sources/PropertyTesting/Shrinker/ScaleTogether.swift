// Pass: lower an integer to 1 (or -1) while the next integer of its kind
// takes on its factor, keeping their product.
//
// `redistribute` keeps a sum; a product is kept by no move of one value or
// of a sum. "x * y > 1000" stopped at (7, 143) in 18 of 20 seeds: 6 * 143
// and 7 * 142 both pass, and (1, 1001) is simpler, since the earlier value
// is. Here each integer with a magnitude of at least 2 is tried at 1 with
// its sign, with the next or the one after of the same kind multiplied by
// it (exactly: the product is the same).
//
// A last-resort pass: it costs a call per such pair at the end of a shrink
// whose values are not tied by a product. Only between two integers of one
// tuple (`Gen.zip`), and not inside a collection's elements: a list's
// values are tied by sums, orders and distinctness far more often than by a
// product, and there the probes cost up to nine calls a problem (eight
// distinct values, three dictionary values of at least 10) and moved
// nothing; between the integers of an allocator's trace (sizes, orders,
// drawn by its steps) they cost the seeded defects' shrinks up to twelve
// median calls (free-exact-one-past 494.5 to 506.5).
//
// Invariant: the earlier integer moves to 1 or -1, nearer its simplest
// value 0 than where it was, and the later one stays in its range, so the
// candidate is simpler.

extension Shrinker {
    /// The choices inside a collection's elements.
    var elementChoices: Set<Int> {
        var inside = Set<Int>()
        for span in spans where span.label == "array.element" { inside.formUnion(span.range) }
        return inside
    }

    /// For each choice that is an integer of `Gen.integers` (an "integer"
    /// span of one choice) directly inside a tuple: that tuple's span.
    var tupleOfInteger: [Int: Int] {
        var tuples: [Int: Int] = [:]  // only looked up, never iterated
        for span in spans where span.label == "integer" && span.count == 1 {
            if let parent = span.parent, spans[parent].label == "tuple" { tuples[span.start] = parent }
        }
        return tuples
    }

    func scaleTogether() -> Bool {
        var progress = false
        // What the candidates are checked against, read again only after an
        // accepted one (nothing else changes the example during the pass).
        // Most examples (an allocator's trace among them) have no integer
        // of a tuple, and then the pass does nothing more.
        var tuples = tupleOfInteger
        guard !tuples.isEmpty else { return false }
        var ints = integerIndices, characters = characterIndices, inElements = elementChoices
        var k = 0
        while !exhausted {
            guard k < ints.count else { break }
            for step in 1...2 where k + step < ints.count && !exhausted {
                let i = ints[k], j = ints[k + step]
                guard let tuple = tuples[i], tuples[j] == tuple, !characters.contains(i), !characters.contains(j),
                      !inElements.contains(i), !inElements.contains(j),
                      case .integer(let c) = choices[i].kind,
                      choices[j].kind == choices[i].kind, c.simplest == 0,
                      case .integer(let x) = values[i], case .integer(let y) = values[j], x.magnitude >= 2, y != 0 else { continue }
                let unit: Int64 = x > 0 ? 1 : -1
                let (product, overflow) = x.multipliedReportingOverflow(by: y)
                guard !overflow, c.contains(unit), case let (scaled, o) = product.multipliedReportingOverflow(by: unit), !o,
                      c.contains(scaled) else { continue }
                var candidate = values
                candidate[i] = .integer(unit)
                candidate[j] = .integer(scaled)
                if consider(candidate) {
                    progress = true
                    (tuples, ints, characters, inElements) = (tupleOfInteger, integerIndices, characterIndices, elementChoices)
                    break
                }
            }
            k += 1
        }
        return progress
    }
}
