// Collections without repeated elements: unique arrays, sets, dictionaries.
//
// Drawn like arrays (one "array.element" span per element, an "another
// element" flag before each element past the minimum), except that an
// element equal to an earlier one is dropped and another is drawn in its
// place. So the shrinker deletes and lowers elements exactly as for arrays;
// an element lowered onto an earlier one's value simply disappears. Its span
// is marked dropped (the choices stay recorded, so the format is unchanged):
// the shrinker then knows the run's value is that of the run without it.

extension Gen {
    /// Duplicates in a row after which a unique collection stops growing.
    public static let maxDuplicatesInARow = 50

    /// Arrays of `element` with no two elements equal (by `key`), with a count in `count`.
    /// After `maxDuplicatesInARow` duplicates in a row (a small element space)
    /// the array ends there, or, short of its minimum count, the example is
    /// discarded.
    public static func uniqueArrays<T, K: Hashable & Sendable>(of element: Generator<T>, count: ClosedRange<Int> = 0...Int.max,
                                                    by key: @escaping @Sendable (T) -> K) -> Generator<[T]> {
        uniqueArrays(of: element, count: count, by: key, caller: "uniqueArrays", elements: "elements", elementGenerator: "element")
    }

    /// `uniqueArrays(of:count:by:)` for `caller` (`sets`, `dictionaries`),
    /// which names the call the user made, and what repeated (`elements`,
    /// `keys`) and from which generator, when the example is discarded.
    static func uniqueArrays<T, K: Hashable & Sendable>(of element: Generator<T>, count: ClosedRange<Int>,
                                                        by key: @escaping @Sendable (T) -> K, caller: String,
                                                        elements: String, elementGenerator: String) -> Generator<[T]> {
        let minCount = count.lowerBound, maxCount = count.upperBound
        // Too few distinct values for the minimum count is the likely cause
        // of a run of duplicates short of it: the report says so, and names
        // the generator the user called (not the one `sets` is built on).
        let shortOfDistinct = "\(caller): \(maxDuplicatesInARow) duplicate \(elements) in a row; the \(elementGenerator) "
            + "generator may have fewer than \(minCount) distinct values"
        precondition(minCount >= 0, "\(caller): count must be non-negative, not \(minCount)")
        return Generator(label: "array") { tc in
            // More elements than an example has choices left for: the choice
            // limit, as for a plain array (not a run of duplicates, which
            // would be reported first and name the wrong cause).
            guard minCount <= tc.maxChoices - tc.choices.count else { throw GenerationStop.overrun }
            var result: [T] = []
            var seen: Set<K> = []  // only probed, never iterated
            let average = tc.size * 8 + 1
            let pContinue = average / (average + 1)
            var duplicates = 0
            while result.count < maxCount {
                guard duplicates < maxDuplicatesInARow else {
                    if result.count >= minCount { break }
                    try tc.reject(shortOfDistinct)
                }
                tc.startSpan("array.element")
                defer { tc.endSpan() }
                if result.count >= minCount {
                    guard try tc.drawBoolean(probability: pContinue) else { break }
                }
                let value = try tc.draw(element)
                if seen.insert(key(value)).inserted {
                    result.append(value)
                    duplicates = 0
                } else {
                    duplicates += 1
                    tc.dropOpenSpan()
                }
            }
            return result
        }
    }

    /// Arrays of distinct elements (see `uniqueArrays(of:count:by:)`).
    public static func uniqueArrays<T: Hashable & Sendable>(of element: Generator<T>, count: ClosedRange<Int> = 0...Int.max) -> Generator<[T]> {
        uniqueArrays(of: element, count: count, by: { $0 })
    }

    /// Sets of `element` with a count in `count`; shrink like unique arrays.
    public static func sets<T: Hashable & Sendable>(of element: Generator<T>, count: ClosedRange<Int> = 0...Int.max) -> Generator<Set<T>> {
        uniqueArrays(of: element, count: count, by: { $0 }, caller: "sets", elements: "elements", elementGenerator: "element")
            .map { Set($0) }.labeled("set")
    }

    /// Dictionaries with keys from `keys` and values from `values`, a count
    /// in `count`; a repeated key is dropped with its value. Shrink like
    /// unique arrays of key-value pairs.
    public static func dictionaries<K: Hashable & Sendable, V>(keys: Generator<K>, values: Generator<V>,
                                                     count: ClosedRange<Int> = 0...Int.max) -> Generator<[K: V]> {
        uniqueArrays(of: zip(keys, values), count: count, by: { $0.0 }, caller: "dictionaries", elements: "keys",
                     elementGenerator: "key").map { pairs in
            var d: [K: V] = [:]
            for (k, v) in pairs { d[k] = v }
            return d
        }.labeled("dictionary")
    }

    /// A case of `type`, shrinking towards the first in `allCases`, which
    /// must not be hash-ordered (a `Set`: a precondition; see `element(of:)`).
    public static func cases<T: CaseIterable & Sendable>(of type: T.Type = T.self) -> Generator<T> where T.AllCases: Sendable {
        let all = Array(T.allCases)
        precondition(!all.isEmpty, "cases(of: \(T.self).self) needs a type with at least one case")
        // Copied into an array, a hash-ordered `allCases` would pass
        // `element(of:)`'s check in an order that differs between processes.
        precondition(!(T.allCases is any HashOrdered),
                     "cases(of: \(T.self).self): its allCases is a \(T.AllCases.self), whose order differs between processes, "
                     + "so the same seed would give other cases: make allCases an Array")
        return element(of: all).labeled("case")
    }
}
