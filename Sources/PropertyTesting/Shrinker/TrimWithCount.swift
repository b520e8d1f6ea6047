// Pass: lower an integer together with the collections whose size it sets.
//
// A generator that draws a size and then collections of that size (a
// table of rows with one column count: `flatMap` on an integer) reads
// every row again after the size changes. Lowering the size alone
// realigns the rows (the first row's last element is read as the next
// row's flag), and deleting an element from one row alone breaks its
// length; only both at once keep the failure. "A table whose last row
// holds a nonzero value" stopped at two or more columns (`[[0, 0, 0],
// [0, 0, 1]]` most often) in 17 of 20 seeds (Hypothesis stops short in
// most seeds too).
//
// For each integer from 1 to 64 (and above its simplest value), the
// collections drawn after it within its parent span (the `flatMap`'s) that
// hold exactly as many elements as the integer's value are its
// collections, except one that holds others of them (two rows of two: the
// rows lose an element each, not the table a row). The integer is lowered
// by 1, 2, 3, 4, 8, ... (then a bisection) with as many elements deleted
// from the front of each, then, when one fails, from the back.
//
// An integer drawn after the collections in the same scope with the range
// `0...size - 1` is a position in them: deleting elements from the front
// lowers it by as many (when it points past them), so it goes on pointing
// at the same element. A list of n values and an index below n, failing
// when the index is at least 2 and points at a value above 50, stopped at
// `([0, 0, 0, 0, 51], 4)` and the like in 20 of 20 seeds (Hypothesis stops
// short in 18), where `([0, 0, 51], 2)` is simpler: trimmed alone, the
// index fell out of its range and was read as 0.
//
// A byte string is one choice, not a collection of elements: an integer
// with no collection of its size is lowered with the first byte string
// after it that is long enough, by as many bytes (`trimBytesWithCount`): a
// frame's length field and its payload (`(9, 9 bytes)`, where `(8, 8
// bytes)` fails too) stopped short of the minimum in 15 seeds of 20
// (Hypothesis 15), and scatter-gather lengths over one buffer in 20
// (Hypothesis 18).
//
// A last-resort pass; it costs nothing where no integer's value is the
// size of a later collection in its scope and no byte string follows it.
//
// Invariant: a candidate lowers one integer towards its simplest value
// and deletes choices (lowering positions after them, within their
// ranges), so it is shorter.

extension Shrinker {
    func trimWithCount() -> Bool {
        var progress = false
        var i = 0
        var layout = SizedCollections(spans: spans, values: values)
        while i < choices.count, !exhausted {
            if trimWithCount(at: i, layout) {
                progress = true
                layout = SizedCollections(spans: spans, values: values)
            } else {
                i += 1
            }
        }
        return progress
    }

    /// The collections of an example and the span of each single choice,
    /// found in one walk over its spans.
    private struct SizedCollections {
        /// For each choice, the innermost span of that choice alone (-1 for none).
        var own: [Int]
        /// The collections (spans labelled "array"), in order of their start.
        var collections: [Int] = []
        /// For each span, its elements when it is a collection: its child
        /// spans, end marker (a last "no more" flag) left out.
        var elements: [[Int]]

        init(spans: [Span], values: [ChoiceValue]) {
            own = [Int](repeating: -1, count: values.count)
            elements = [[Int]](repeating: [], count: spans.count)
            for (k, span) in spans.enumerated() {
                if span.count == 1, span.start < values.count { own[span.start] = k }
                if span.label == "array" { collections.append(k) }
                guard let p = span.parent, spans[p].label == "array" else { continue }
                if span.label == "array.element", span.count == 1, span.start < values.count, values[span.start] == .boolean(false) { continue }
                elements[p].append(k)
            }
        }
    }

    private func trimWithCount(at i: Int, _ layout: SizedCollections) -> Bool {
        // (A positive value in range puts 0 or a positive value at the
        // simplest, so the difference cannot overflow.)
        guard case .integer(let c) = choices[i].kind, case .integer(let v) = values[i], v > 0, v <= Self.largestTrimmedCount,
              v > c.simplest, layout.own[i] >= 0 else { return false }
        let spans = self.spans, values = self.values
        // The span the integer was drawn in (a `flatMap`'s).
        let scopeEnd = spans[layout.own[i]].parent.map { spans[$0].end } ?? values.count
        let sized = layout.collections.filter { k in
            spans[k].start > i && spans[k].end <= scopeEnd && layout.elements[k].count == Int(v)
        }
        // A collection holding others of the size is left whole (a table
        // of two rows of two: the rows lose their elements, not the table).
        let collections = sized.filter { k in !sized.contains { $0 != k && spans[k].range.contains(spans[$0].start) } }
        guard !collections.isEmpty else { return trimBytesWithCount(at: i, v, c) }
        // Positions into the collections, drawn after them in the scope:
        // integers whose range is `0...v - 1`. Elements deleted from the
        // front move what they point at down by as many.
        let positions = (spans[collections.last!].end..<scopeEnd).filter { k in
            guard case .integer(let pc) = choices[k].kind else { return false }
            return pc.min == 0 && pc.max == v - 1
        }
        func trimmed(_ d: Int, fromFront: Bool) -> [ChoiceValue] {
            var candidate = values
            candidate[i] = .integer(v - Int64(d))
            for k in positions where fromFront {
                if case .integer(let p) = values[k], p >= Int64(d) { candidate[k] = .integer(p - Int64(d)) }
            }
            // (The collections do not nest, and are in order of their start.)
            for a in collections.reversed() {
                let elements = layout.elements[a]
                let removed = fromFront ? elements.prefix(d) : elements.suffix(d)
                candidate.removeSubrange(spans[removed.first!].start..<spans[removed.last!].end)
            }
            return candidate
        }
        let limit = Int(v - c.simplest)
        for fromFront in [true, false] where !exhausted {
            if Search.findInteger(limit: limit, { d in d == 0 || consider(trimmed(d, fromFront: fromFront)) }) > 0 { return true }
        }
        return false
    }

    /// Integers above this value are not taken for sizes.
    static let largestTrimmedCount: Int64 = 64

    /// The integer at `i` (value `v`, above its simplest) lowered together
    /// with the first byte string drawn after it anywhere in the example
    /// that holds at least `v` bytes, by as many bytes, from the front,
    /// then from the back: a length field and the bytes it counts (a frame
    /// header's `n` and its payload, `(9, 9 bytes)` to `(8, 8 bytes)`), or
    /// one of several lengths and the data they add up to (scatter-gather
    /// segments over one buffer: `([0, 2], 2 bytes)` to `([0, 1], 1 byte)`).
    /// Either alone breaks the agreement, so no other pass reaches the
    /// pair. Not scoped as the collections are: a byte string is one
    /// choice, drawn wherever its owner's generator put it.
    private func trimBytesWithCount(at i: Int, _ v: Int64, _ c: IntegerConstraints) -> Bool {
        guard let b = ((i + 1)..<values.count).first(where: { k in
            guard case .bytes(let bytes) = values[k], case .bytes(let minCount, _) = choices[k].kind else { return false }
            return bytes.count - minCount >= Int(v - c.simplest)
        }), case .bytes(let bytes) = values[b] else { return false }
        func trimmed(_ d: Int, fromFront: Bool) -> [ChoiceValue] {
            var candidate = values
            candidate[i] = .integer(v - Int64(d))
            candidate[b] = .bytes(fromFront ? Array(bytes.dropFirst(d)) : Array(bytes.dropLast(d)))
            return candidate
        }
        let limit = Int(v - c.simplest)
        for fromFront in [true, false] where !exhausted {
            if Search.findInteger(limit: limit, { d in d == 0 || consider(trimmed(d, fromFront: fromFront)) }) > 0 { return true }
        }
        return false
    }
}
