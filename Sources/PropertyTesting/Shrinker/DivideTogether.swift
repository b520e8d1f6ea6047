// Pass: divide every number of a collection's elements by their common
// factor.
//
// A property that reads its numbers only as proportions (shares of a
// total, weights, ratios, a mix's fractions) fails at `[3, 21]` exactly as
// at `[1, 7]`, and at `[2.5, 17.5]` as at `[1.0, 7.0]`. No move of one or
// two values keeps the proportions: lowering either alone changes the
// ratio, and `redistribute` keeps a sum. "20 slots shared by weight, each
// share rounded on its own, sum above 20" (`share_slots_rounded_sum_exceeds_20`)
// stopped at `[3.0, 21.0]`, `[2.0, 14.0]`, `[11.0, 77.0]`, `[4.0, 4.0, 38.0]`
// and the like, and reached `[1.0, 7.0]` in no seed of 20; it does in 3 now
// (the others stop where no common factor is left, such as `[3.0, 5.0]`),
// at 21.5 more median calls. A width and height in the ratio 2:3 reach `[2,
// 3]` in 20 seeds of 20, 6 without the pass (`aListIsDividedByItsNumbersCommonFactor`).
// Five other suite rows rose by half a call to 1, at a minimum such as
// `[10, 5, 0]` whose numbers share a factor.
//
// For each list, the integers (`Gen.integers`, not characters) and the
// doubles inside its elements are read; when at least two are not zero and
// their magnitudes share a factor of 2 or more, one candidate divides each
// by the greatest such factor, keeping its sign. Doubles with a fraction
// are first scaled by the least power of two (up to 2^16) that makes every
// one whole, so halves and quarters count (`[2.5, 17.5]` is `[5, 35]`
// halved, and becomes `[1.0, 7.0]`). A last resort: one call per list whose
// numbers, not all equal, share a factor, at the end of a shrink.
//
// Invariant: every number changed moves nearer zero with its sign kept, or
// from a fraction to a whole number (simpler in the doubles' order); an
// integer stays in its range, or the candidate is not made; no other choice
// changes; and a candidate is run only when it is simpler at its first
// difference (`mayBeSimpler`).

extension Shrinker {
    /// Tries each list's numbers divided by their common factor; whether
    /// a candidate was accepted.
    func divideTogether() -> Bool {
        var progress = false
        var r = 0
        while !exhausted {
            // Read again after an adoption: the lists can have changed.
            let runs = elementRuns(in: spans)
            guard r < runs.count else { break }
            defer { r += 1 }
            if let candidate = dividedTogether(runs[r]), mayBeSimpler(candidate), consider(candidate) { progress = true }
        }
        return progress
    }

    /// The values with the numbers inside the elements `run` (span indices)
    /// divided by their common factor, or nil when they share none.
    private func dividedTogether(_ run: [Int]) -> [ChoiceValue]? {
        let spans = self.spans, characters = characterIndices
        var integers: [(index: Int, value: Int64, kind: IntegerConstraints)] = []
        var doubles: [(index: Int, negative: Bool, magnitude: Double)] = []
        for s in run {
            for k in spans[s].range where k < choices.count {
                if isDoubleCode(k) {
                    guard case .integer(let code) = values[k], case .boolean(let negative) = values[k - 1] else { return nil }
                    let magnitude = FloatLex.double(lex: UInt64(bitPattern: code) ^ (1 << 63))
                    guard magnitude.isFinite else { return nil }
                    doubles.append((k, negative, magnitude))
                } else if !characters.contains(k), spanStarts(at: k, where: { $0.label == "integer" && $0.count == 1 }),
                          case .integer(let c) = choices[k].kind, case .integer(let v) = values[k] {
                    integers.append((k, v, c))
                }
            }
        }
        // Integers and fractions scaled together would change the integers'
        // meaning; such lists are left alone.
        var scale = 1.0
        if doubles.contains(where: { $0.magnitude != $0.magnitude.rounded(.towardZero) }) {
            guard integers.isEmpty else { return nil }
            var bits = 1
            while bits <= 16, doubles.contains(where: { let x = $0.magnitude * Double(1 << bits); return x != x.rounded(.towardZero) }) { bits += 1 }
            guard bits <= 16 else { return nil }
            scale = Double(1 << bits)
        }
        // `UInt64` values past `Int64.max` are stored offset by 2^63 (the
        // range's simplest value is then its least, below zero).
        func isOffset(_ c: IntegerConstraints) -> Bool { c.simplest == c.min && c.min < 0 }
        var magnitudes: [UInt64] = integers.map { isOffset($0.kind) ? Self.unsigned($0.value) : $0.value.magnitude }
        for d in doubles {
            let x = d.magnitude * scale
            guard x < 0x1p53 else { return nil }
            magnitudes.append(UInt64(x))
        }
        let nonZero = magnitudes.filter { $0 != 0 }
        // Equal numbers are lowered together by `lowerEqualValues`, which
        // tries what a division would: `[11, 11]` at its minimum cost a call.
        guard nonZero.count >= 2, nonZero.contains(where: { $0 != nonZero[0] }) || scale > 1 else { return nil }
        var factor: UInt64 = 0
        for m in nonZero { factor = Self.greatestCommonDivisor(factor, m) }
        // Scaled fractions shrink even when whole numbers share no factor
        // (`[0.5, 1.5]` becomes `[1.0, 3.0]`, whole numbers being simpler).
        guard factor >= 2 || scale > 1 else { return nil }
        var candidate = values
        for (n, i) in integers.enumerated() {
            let divided = magnitudes[n] / factor
            let v = isOffset(i.kind) ? Self.choice(ofUnsigned: divided) : i.value < 0 ? -Int64(divided) : Int64(divided)
            guard i.kind.contains(v) else { return nil }
            candidate[i.index] = .integer(v)
        }
        for (n, d) in doubles.enumerated() {
            let whole = magnitudes[integers.count + n] / factor
            candidate[d.index] = .integer(Int64(bitPattern: FloatLex.lex(Double(whole)) ^ (1 << 63)))
        }
        return candidate == values ? nil : candidate
    }
}
