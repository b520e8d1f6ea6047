// Pass step: simplify a double's lex code (see `Generators/Floats.swift`)
// the way its value reads, before the generic integer search.
//
// The code is one 64-bit integer, and lowering it as an integer only moves
// towards simpler doubles slowly: from 0.3712… to 0.5 the code must cross
// 2^52 mantissa steps of the same exponent before reaching the next one,
// and a NaN's code only becomes the simplest NaN after a search across
// its 52 mantissa bits. Here the candidates are the doubles a person would
// try: for a NaN the NaN with the least mantissa; the value's integer part (truncated, then floor and ceiling), the
// same exponent with a mantissa of only its first few significant bits
// (which the code stores lowest) or, when none of those keeps the failure,
// the value rounded up, then down, at 1 to 8 fractional bits (a value from
// 1 up), or, when short, a lower one, lower exponents with that mantissa, and
// 1.5 (for a value above 1 that no integer next to it replaces, and for a
// power of two below 1).
// An integral double is lowered by the integer search, which first tries
// the power of two at or below it and that plus one when neither the
// simplest value nor half of it keeps the failure
// (`lowerIntegralDoubleToPowerOfTwo`). A fraction that nothing lowers
// tries a few integers above it as a last resort (`fractionsToIntegers`).
// Every candidate has a smaller code, so it is simpler (every integer's
// code is below every fraction's).
//
// Invariant: changes only the code choice at `index`, within its bounds.

extension Shrinker {
    /// Whether choice `index` is the lex code of a `Gen.doubles()` draw.
    func isDoubleCode(_ index: Int) -> Bool {
        index > 0 && spanStarts(at: index - 1) { $0.label == "double" && $0.count == 2 }
    }

    /// Whether the double whose code is choice `index` is rounded to a `Float` (`Gen.floats()`).
    func isFloatCode(_ index: Int) -> Bool {
        spanStarts(at: index - 1) { $0.label == "float" && $0.count == 2 }
    }

    /// Tries an integral double from 256 up at the power of two at or
    /// below it, then that plus one, when neither the simplest value nor
    /// half of it keeps the failure, before the integer search's local steps:
    /// where a double's or a float's precision runs out (2^24, 2^53) or a
    /// conversion overflows (2^31, 2^63), a bisection of the value from far
    /// above took some twenty calls to find the power of two (odd integers
    /// from 2^23 up, which `floor(x + 0.5)` in `Float` rounds up, went from
    /// 12134453 to 8388609 in 48 calls). Whether one was accepted.
    func lowerIntegralDoubleToPowerOfTwo(at index: Int) -> Bool {
        guard case .integer(let c) = choices[index].kind, case .integer(let v) = choices[index].value else { return false }
        let code = UInt64(bitPattern: v) ^ (1 << 63)
        guard code >> 63 == 0, code >= 256 else { return false }
        let power = UInt64(1) << UInt64(63 - code.leadingZeroBitCount)
        for candidate in [power, power + 1] where candidate < code && !exhausted {
            let value = Int64(bitPattern: candidate ^ (1 << 63))
            if c.contains(value), consider(replacing(index..<(index + 1), with: [.integer(value)])) { return true }
        }
        return false
    }

    /// A last resort for each double holding a fraction that nothing else
    /// lowers: the integers a rounding failure needs, which are simpler
    /// than every fraction but lie above it, where no lowering of the code
    /// goes: 2 and 3, the simplest after 0 and 1 (`x * 0.1 * 10 == x`
    /// fails from 3 on, and its searches stopped at 1.5 in 15 seeds of 20),
    /// then the first integers where precision runs out: for a `Double` the
    /// first a `Float` cannot hold, 2^24 + 1 (a double stored in a 32-bit
    /// column), and the first whose neighbours a `Double` rounds, 2^53 + 2
    /// (`a + (b - a) == b` with `a = 1` needs `b = 2^53 + 2`; every search
    /// stopped at a fraction near 0); for a `Float` the first whose
    /// neighbours it rounds, 2^24 + 2. The sign is kept. Once per position
    /// and code (four calls at the end of a shrink whose minimum is a
    /// fraction). Whether one was accepted.
    func fractionsToIntegers() -> Bool {
        var progress = false
        var i = 0
        while i < choices.count, !exhausted {
            defer { i += 1 }
            guard isDoubleCode(i), case .integer(let c) = choices[i].kind, case .integer(let v) = values[i] else { continue }
            let code = UInt64(bitPattern: v) ^ (1 << 63)
            let magnitude = FloatLex.double(lex: code)
            guard code >> 63 == 1, magnitude.isFinite, magnitude != magnitude.rounded(.towardZero),
                  !fractionsTried.contains(where: { $0 == (i, v) }) else { continue }
            fractionsTried.append((i, v))
            let boundaries: [Double] = isFloatCode(i) ? [0x1p24 + 2] : [0x1p24 + 1, 0x1p53 + 2]
            for integral in [2, 3] + boundaries where !exhausted {
                let value = Int64(bitPattern: FloatLex.lex(integral) ^ (1 << 63))
                guard c.contains(value), i < choices.count else { continue }
                if consider(replacing(i..<(i + 1), with: [.integer(value)])) { progress = true; break }
            }
        }
        return progress
    }

    /// A last resort: each double moved together with a nearby integer
    /// (within three choices) by the whole amount that takes the integer to
    /// its simplest value, else by as much as keeps the failure. A value and
    /// a double that must stay a fraction apart are tied, as two integers a
    /// difference apart are (`shift`): a key comparison that truncates a
    /// real fails on `(int 4, real 4.5)`, and neither moves alone, where
    /// `(int 0, real 0.5)` is simpler (8 seeds of 20 stopped at 4 or 5 once
    /// random search spread a range's doubles over it). The double's sign
    /// goes with its new value. Only candidates simpler at their first
    /// difference are run (the integer first: a double's code is not
    /// simpler for a smaller magnitude below 1). Whether one was accepted.
    func shiftDoublesWithIntegers() -> Bool {
        var progress = false
        var k = 0
        while k < choices.count, !exhausted {
            defer { k += 1 }
            guard isDoubleCode(k), case .integer(let code) = values[k], case .boolean(let negative) = values[k - 1] else { continue }
            let lex = UInt64(bitPattern: code) ^ (1 << 63)
            let magnitude = FloatLex.double(lex: lex)
            guard magnitude.isFinite else { continue }
            let x = negative ? -magnitude : magnitude
            // (Not a one-of's branch index: moved, it picks another shape.)
            for i in integerIndices where i != k && abs(i - k) <= 3 && !isDoubleCode(i) && !isCharacter(i)
                && !(executor.deduplicates && selectsBranch(i)) && !exhausted {
                guard i < choices.count, case .integer(let c) = choices[i].kind, case .integer(let v) = values[i],
                      v != c.simplest else { continue }
                let down = v > c.simplest
                let (distance, overflow) = down ? v.subtractingReportingOverflow(c.simplest) : c.simplest.subtractingReportingOverflow(v)
                guard !overflow, distance <= 1 << 40 else { continue }
                func moved(_ t: Int64) -> [ChoiceValue]? {
                    let shifted = x - Double(down ? t : -t)
                    guard shifted.isFinite, Double(down ? t : -t) + shifted == x else { return nil }
                    var candidate = values
                    candidate[i] = .integer(down ? v - t : v + t)
                    candidate[k - 1] = .boolean(shifted.sign == .minus)
                    candidate[k] = .integer(Int64(bitPattern: FloatLex.lex(shifted.magnitude) ^ (1 << 63)))
                    return mayBeSimpler(candidate) ? candidate : nil
                }
                func works(_ t: Int) -> Bool { moved(Int64(t)).map { consider($0) } ?? false }
                if works(Int(distance)) || Search.findInteger(limit: Int(distance) - 1, works) > 0 {
                    progress = true
                    break
                }
            }
        }
        return progress
    }

    /// Tries simpler doubles for the code at `index`; returns whether one was accepted.
    ///
    /// With `group` (the indices of other codes equal to this one, of its
    /// kind, `index` among them), every candidate sets them all: equal
    /// doubles that must stay equal are lowered together by value, where
    /// the integer search of equal values (`lowerEqualValues`) stepped two
    /// copies of the greatest finite double down one mantissa bit a call,
    /// about fifty calls, to reach 2^1023.
    func lowerDoubleCode(at index: Int, together group: [Int]? = nil) -> Bool {
        guard case .integer(let c) = choices[index].kind, case .integer(let v) = choices[index].value else { return false }
        let code = UInt64(bitPattern: v) ^ (1 << 63)
        guard code >> 63 == 1 else { return false }  // already an integer
        let length = choices.count
        func attempt(_ candidate: UInt64) -> Bool {
            // An integer has two codes (its own, below 2^63, and an exponent
            // with a mantissa): the candidate is run as its own code, so a
            // value already tried under the other one is not run again
            // (lowering 0.5's exponent to 2^0 gives 1.0, tried as 1.0).
            var candidate = candidate
            let decoded = FloatLex.double(lex: candidate)
            if decoded.isFinite { candidate = Swift.min(candidate, FloatLex.lex(decoded)) }
            guard !exhausted, candidate < code, index < choices.count else { return false }
            let value = Int64(bitPattern: candidate ^ (1 << 63))
            guard c.contains(value) else { return false }
            guard let group else { return consider(replacing(index..<(index + 1), with: [.integer(value)])) }
            guard choices.count == length else { return false }
            var together = values
            for k in group { together[k] = .integer(value) }
            return consider(together)
        }
        let magnitude = FloatLex.double(lex: code)
        if magnitude.isFinite {
            for integral in [magnitude.rounded(.towardZero), magnitude.rounded(.down), magnitude.rounded(.up)] {
                if attempt(FloatLex.lex(integral)) { return true }
            }
            // No integer next to a value above 1 keeps the failure: the
            // fraction matters, and the simplest value with one, 1.5, is
            // tried before cutting the mantissa and lowering the exponent
            // ("x is not an integer" from 452060.054… went through
            // 262144.05078125, 1.05078125 and 1.1015625, four calls more).
            // (Not below 1, where "strictly between 0 and 1" would pay a
            // call for it.)
            if magnitude > 1, magnitude != magnitude.rounded(.towardZero), attempt(1 << 63 | 1) { return true }
        }
        let exponentField = code & ~FloatLex.mantissaMask
        let mantissa = code & FloatLex.mantissaMask
        // A NaN: the one with the least mantissa (its mantissa is not
        // reversed, the quiet bit being its highest).
        if magnitude.isNaN, mantissa > 1, attempt(exponentField | 1) { return true }
        // A NaN that is not infinity either: the failure is about NaN
        // itself, and no finite value with its mantissa is likely to keep it
        // (Hypothesis stops at a NaN too). Only infinity is tried; when it
        // works the next round lowers it as a number.
        if magnitude.isNaN { return attempt(exponentField) }
        var kept = mantissa
        for bits in [0, 1, 2, 3, 4, 8, 16, 32] as [UInt64] where (mantissa >> bits) != 0 {
            if attempt(exponentField | (mantissa & ((1 << bits) - 1))) { kept = mantissa & ((1 << bits) - 1); break }
        }
        // No truncation kept the failure: the value rounded up at as many
        // fractional bits instead (a fraction that must reach 0.995 is 255/256
        // at 8 bits, where the truncation gives 254/256), at each of 1 to 8
        // (with 5 to 7 left out, a stopwatch's fraction that must reach 0.95
        // stopped at 1.953125, six bits, in 16 seeds of 20, where 1.96875
        // has five).
        if kept == mantissa, magnitude.isFinite, magnitude >= 1, magnitude < 0x1p52 {
            for bits in 1...8 where !exhausted {
                let scale = Double(1 << bits)
                let up = (magnitude * scale).rounded(.up) / scale
                if up != magnitude, attempt(FloatLex.lex(up)) { return true }
            }
            // Then rounded down, keeping the integer part where only the
            // fraction can go: "x and x + 0.5 fall in one 4 KiB page" from
            // 8191.99… ended at 4095.75 or 4095.96875, where 4095.5 fails
            // too. (Before the truncations above, two suite rows paid four
            // and eight calls for it.)
            for bits in 1...8 where !exhausted {
                let scale = Double(1 << bits)
                let down = (magnitude * scale).rounded(.down) / scale
                if down != magnitude, attempt(FloatLex.lex(down)) { return true }
            }
        }
        // A short mantissa no truncation shortens (1.25 has one fractional
        // bit, as 1.5 does, but not the first one): lower it as an integer,
        // which reaches the fractions with fewer or earlier bits (1.25 to 1.5
        // for "x is not an integer"). Only for at most 8 fractional bits;
        // longer ones are the truncations' work.
        if kept == mantissa, mantissa > 1, mantissa < 1 << 8 {
            let m = Search.lowestRank(current: mantissa) { m in attempt(exponentField | m) }
            if m < mantissa { kept = m }
        }
        let exponentIndex = (code >> 52) & 0x7FF
        let firstNegative = UInt64(FloatLex.exponentIndex[FloatLex.bias - 1])
        // A power of two below 1 (0.5, 0.25): with its mantissa of 0 the
        // exponent search only reaches integers and other powers of two, yet
        // 1.5, the first value that is not an integer, is simpler than any
        // value below 1 ("x is not an integer" stopped at 0.5). Tried before
        // 0.5, which it precedes in the order (from 0.0625 one call fewer).
        if kept == 0, exponentIndex >= firstNegative, attempt(1 << 63 | 1) { return true }
        // Lower exponents (in simplicity order) with the mantissa kept: first
        // the simplest negative exponent (0.5 for a value below 1, whose
        // exponents are in order but far from it), then a search.
        if exponentIndex > firstNegative, attempt(1 << 63 | firstNegative << 52 | kept) { return true }
        // The exponents of values below 1 come after those of the values
        // from 1 up (only infinity's comes later), so a rank search from one
        // of them crosses straight into the largest exponents: from 0.5
        // every such probe was a huge value that could not keep a failure
        // below 1. Below 1 the search stays among the exponents below 1
        // (the first was tried above); 2^0 with the mantissa kept (1.xxx) is
        // tried on its own.
        let lowered: UInt64
        if !(magnitude < 1) {
            // (Infinity's exponent is last in the order, after those below 1.)
            lowered = Search.lowestRank(current: exponentIndex) { e in attempt(1 << 63 | e << 52 | kept) }
        } else if exponentIndex > firstNegative {
            if kept != 0, attempt(1 << 63 | kept) { return true }
            lowered = firstNegative + Search.lowestRank(current: exponentIndex - firstNegative) { e in
                attempt(1 << 63 | (firstNegative + e) << 52 | kept)
            }
        } else {
            if kept != 0, attempt(1 << 63 | kept) { return true }
            lowered = exponentIndex
        }
        // A threshold between two exponents ("x >= 1e300"): the exponent
        // just below with mantissa 0 failed, so when it works with the
        // largest mantissa, bisect its mantissa (52 calls, where the
        // integer search on the whole code takes twice that).
        // (Not from 2^-1 below 1: the exponent before it is 2^1023's.)
        // A float's value from 2^23 up has no mantissa bits below its 23
        // (the lowest 29 of the code are 0): its bisection steps by whole
        // floats. Stepping by doubles, the last 29 halvings each adopted a
        // code the float rounds to the same value, a call apiece
        // (`float32_above_1e30`).
        if lowered > 0, !(magnitude < 1 && lowered == firstNegative), kept == 0 || lowered < exponentIndex, !exhausted {
            let below = 1 << 63 | (lowered - 1) << 52
            let step: UInt64 = isFloatCode(index) && FloatLex.exponentOrder[Int(lowered - 1)] - FloatLex.bias >= 23 ? 29 : 0
            if attempt(below | (FloatLex.mantissaMask >> step) << step) {
                // lo fails (or was never better), hi works; in units of 2^step.
                var lo: UInt64 = 0, hi = FloatLex.mantissaMask >> step
                while lo + 1 < hi, !exhausted {
                    let mid = lo + (hi - lo) / 2
                    if attempt(below | (mid << step)) { hi = mid } else { lo = mid }
                }
                return true
            }
        }
        return lowered < exponentIndex || kept != mantissa
    }
}
