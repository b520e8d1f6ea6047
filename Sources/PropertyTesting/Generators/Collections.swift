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
    public static func element<C: Collection & Sendable>(of collection: C) -> Generator<C.Element> where C.Element: Sendable {
        precondition(!collection.isEmpty, "element(of:) needs a non-empty collection")
        let items = Array(collection)
        let c = IntegerConstraints(min: 0, max: Int64(items.count - 1))
        return Generator(label: "element") { tc in items[Int(try tc.drawInteger(c))] }
    }
}
