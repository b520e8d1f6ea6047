// Arrays and elements of collections.
//
// Arrays are drawn as "another element?" booleans, each followed by the
// element, in one span per element. Deleting an element's span therefore
// deletes exactly one element, which is what lets the shrinker shorten
// arrays without rewriting a length.

extension Gen {
    /// Arrays of `element` with a count in `count`.
    ///
    /// When the count is fixed no booleans are drawn. Otherwise elements past
    /// the minimum are each preceded by a boolean; the average length grows
    /// with the example size.
    public static func arrays<T>(of element: Generator<T>, count: ClosedRange<Int> = 0...Int.max) -> Generator<[T]> {
        let minCount = count.lowerBound, maxCount = count.upperBound
        precondition(minCount >= 0, "array count must be non-negative")
        return Generator(label: "array") { tc in
            var result: [T] = []
            if minCount == maxCount {
                for _ in 0..<minCount { result.append(try tc.draw(element)) }
                return result
            }
            let average = tc.size * 8 + 1
            let pContinue = average / (average + 1)
            while result.count < maxCount {
                tc.startSpan("array.element")
                defer { tc.endSpan() }
                if result.count >= minCount {
                    guard try tc.drawBoolean(probability: pContinue) else { break }
                }
                result.append(try tc.draw(element))
            }
            return result
        }
    }

    /// One element of a non-empty collection, shrinking towards the first.
    ///
    /// The collection's order must be the same in every process: a `Set`, a
    /// `Dictionary` or its `keys` or `values` iterate in an order seeded
    /// per process, so the same seed and replay string would give other
    /// values. Those of `Comparable` elements are taken sorted (the
    /// overloads below); any other is a precondition failure naming the
    /// type (pass an `Array` in an order of your choosing).
    public static func element<C: Collection & Sendable>(of collection: C) -> Generator<C.Element> where C.Element: Sendable {
        precondition(!collection.isEmpty, "element(of:) needs a non-empty collection")
        precondition(!(collection is any HashOrdered),
                     "element(of:) was given a \(C.self), whose order differs between processes, so the same seed "
                     + "would give other values: pass an Array in a fixed order (e.g. sorted)")
        let items = Array(collection)
        let c = IntegerConstraints(min: 0, max: Int64(items.count - 1))
        return Generator(label: "element") { tc in items[Int(try tc.drawInteger(c))] }
    }
}

extension Gen {
    /// One element of a non-empty set, in sorted order: shrinks towards the least.
    /// (A set's own order differs between processes; see `element(of:)`.)
    public static func element<T: Comparable & Hashable & Sendable>(of set: Set<T>) -> Generator<T> {
        element(of: set.sorted())
    }

    /// One of a non-empty dictionary's keys, in sorted order: shrinks towards the least.
    public static func element<K: Comparable & Hashable & Sendable, V: Sendable>(of keys: Dictionary<K, V>.Keys) -> Generator<K> {
        element(of: keys.sorted())
    }

    /// One of a non-empty dictionary's values, in sorted order: shrinks towards the least.
    public static func element<K: Hashable & Sendable, V: Comparable & Sendable>(of values: Dictionary<K, V>.Values) -> Generator<V> {
        element(of: values.sorted())
    }
}

/// Collections that iterate in an order seeded per process (hash order):
/// `element(of:)` refuses them, since a seed must give the same values in
/// every process.
protocol HashOrdered {}
extension Set: HashOrdered {}
extension Dictionary: HashOrdered {}
extension Dictionary.Keys: HashOrdered {}
extension Dictionary.Values: HashOrdered {}
