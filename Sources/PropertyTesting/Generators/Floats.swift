// Floating-point numbers.
//
// A double is two choices: a sign (false for +) and one 64-bit integer, its
// "lex" code, whose simplicity order is the order in which the doubles are
// simplest (the encoding Hypothesis uses):
// - codes below 2^63 are the integers 0, 1, 2, … (the low 56 bits), so
//   small integers are simplest;
// - codes from 2^63 on carry an exponent and a mantissa: the exponent's
//   place in the order 2^0, 2^1, …, 2^1023, then 2^-1, 2^-2, …, 2^-1022 and
//   subnormals, then infinity and NaN; and the mantissa with its fractional
//   bits reversed, so that fractions with few bits (0.5, 1.25) come before
//   those with many.
// So a double shrinks towards 0.0, then small integers, then simple
// fractions and only last towards infinities and NaN, and with the sign
// towards positive values. Values the options exclude are mapped, never
// discarded: NaN to infinity, infinity to the greatest finite magnitude,
// and with a range, values outside it to the nearer bound (so the simplest
// value is the one in range nearest 0).

enum FloatLex {
    static let mantissaMask: UInt64 = (1 << 52) - 1
    static let bias = 1023

    /// Biased exponents in simplicity order (see the file header).
    static let exponentOrder: [Int] = {
        func key(_ e: Int) -> Int {
            if e == 2047 { return Int.max }
            let unbiased = e - bias
            return unbiased < 0 ? 10_000 - unbiased : unbiased
        }
        return (0..<2048).sorted { (key($0), $0) < (key($1), $1) }
    }()

    /// The place of each biased exponent in `exponentOrder`.
    static let exponentIndex: [Int] = {
        var out = [Int](repeating: 0, count: 2048)
        for (i, e) in exponentOrder.enumerated() { out[e] = i }
        return out
    }()

    static func reverseBits(_ x: UInt64, _ n: Int) -> UInt64 {
        var out: UInt64 = 0
        for i in 0..<n where x & (1 << UInt64(i)) != 0 { out |= 1 << UInt64(n - 1 - i) }
        return out
    }

    /// Reverses the fractional bits of a mantissa (its own inverse).
    static func updateMantissa(unbiasedExponent: Int, _ mantissa: UInt64) -> UInt64 {
        if unbiasedExponent <= 0 { return reverseBits(mantissa, 52) }
        if unbiasedExponent <= 51 {
            let fractionalBits = 52 - unbiasedExponent
            let fractional = mantissa & ((1 << UInt64(fractionalBits)) - 1)
            return (mantissa ^ fractional) | reverseBits(fractional, fractionalBits)
        }
        return mantissa
    }

    /// The non-negative double of a lex code.
    static func double(lex: UInt64) -> Double {
        if lex >> 63 == 0 { return Double(lex & ((1 << 56) - 1)) }
        let exponent = exponentOrder[Int((lex >> 52) & 0x7FF)]
        let mantissa = updateMantissa(unbiasedExponent: exponent - bias, lex & mantissaMask)
        return Double(bitPattern: UInt64(exponent) << 52 | mantissa)
    }

    /// The simplest lex code of a non-negative double (the inverse of `double(lex:)`).
    static func lex(_ d: Double) -> UInt64 {
        let magnitude = d.magnitude
        if magnitude == magnitude.rounded(.towardZero), magnitude < 0x1p56 { return UInt64(magnitude) }
        let bits = magnitude.bitPattern
        let exponent = Int(bits >> 52)
        let mantissa = updateMantissa(unbiasedExponent: exponent - bias, bits & mantissaMask)
        return 1 << 63 | UInt64(exponentIndex[exponent]) << 52 | mantissa
    }
}

extension Gen {
    /// Doubles, shrinking towards 0.0, then small integers, then simple
    /// fractions (see the file header).
    ///
    /// - Parameters:
    ///   - range: when given, every value is in it (NaN never is).
    ///   - allowNaN, allowInfinity: whether values may be NaN or infinite.
    public static func doubles(in range: ClosedRange<Double>? = nil, allowNaN: Bool = true,
                               allowInfinity: Bool = true) -> Generator<Double> {
        doubles(in: range, allowNaN: allowNaN, allowInfinity: allowInfinity, rounded: { $0 })
    }

    /// `doubles`, each value passed through `rounded` last (to a float's
    /// precision for `floats`), so that a code is canonical for the value
    /// the caller sees.
    static func doubles(in range: ClosedRange<Double>?, allowNaN: Bool, allowInfinity: Bool,
                        rounded: @escaping @Sendable (Double) -> Double) -> Generator<Double> {
        if let range { precondition(!range.lowerBound.isNaN && !range.upperBound.isNaN, "the range must not have NaN bounds") }
        // The lex code as an Int64 choice: offset by 2^63 so that rank order is code order.
        let codes = IntegerConstraints(min: .min, max: .max, simplest: .min)
        let specials: [Double] = [0, .infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .leastNormalMagnitude,
                                  0x1p53, 0.1, 1.0 / 3]
        let allowed = specials.filter { (allowInfinity || !$0.isInfinite) && (allowNaN && range == nil || !$0.isNaN) }
        let lastExponent: UInt64 = allowInfinity || (allowNaN && range == nil) ? 2047 : 2046
        // The value a sign and a lex code stand for under the options.
        @Sendable func mapped(negative: Bool, lex: UInt64) -> Double {
            var value = FloatLex.double(lex: lex)
            if negative { value = -value }
            if value.isNaN, !allowNaN || range != nil { value = negative ? -.infinity : .infinity }
            if value.isInfinite, !allowInfinity { value = negative ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude }
            if let range { value = Swift.min(Swift.max(value, range.lowerBound), range.upperBound) }
            return rounded(value)
        }
        // A code the options map elsewhere (a value past the range's bound,
        // NaN or infinity when excluded, a double rounded to a float) is
        // recorded as the first of 0, the value's ceiling and the value's own
        // code that gives the same value: the simplest such code for a bound
        // (codes below 2^63 are the integers in order), and for a rounded
        // value a code without the bits the rounding dropped. So the shrink
        // of a failure found at a bound starts from that bound: from a huge
        // code, every lowering still past the bound gave the same value again
        // and cost a call each. Only the search phase's pick is rewritten;
        // the value is the same, and replay and shrinking read codes as ever.
        @Sendable func canonical(negative: Bool, lex: UInt64) -> UInt64 {
            let value = mapped(negative: negative, lex: lex)
            let drawn = FloatLex.double(lex: lex)
            guard !value.isNaN, value.bitPattern != (negative ? -drawn : drawn).bitPattern else { return lex }
            let ceiling = value.magnitude < 0x1p56 ? [UInt64(value.magnitude.rounded(.up))] : []
            for simpler in [0] + ceiling + [FloatLex.lex(value)]
            where mapped(negative: negative, lex: simpler).bitPattern == value.bitPattern {
                return simpler
            }
            return lex
        }
        return Generator(label: "double") { tc in
            let negative = try tc.drawBoolean()
            let code = try tc.drawInteger(codes) { random in
                // Searching: small integers, special values, or a fraction
                // with a mostly small exponent.
                // Infinity and NaN (the last exponent) only when allowed: a
                // value mapped from them sits above every finite code, where
                // lowering the code cannot reach the finite values it stands for.
                let lex: UInt64
                switch random.below(inclusive: 9) {
                case 0...2: lex = random.next() & (random.chance(0.5) ? 0xFF : 0xFFFF)
                case 3...4: lex = FloatLex.lex(allowed[Int(random.below(inclusive: UInt64(allowed.count - 1)))])
                default:
                    let index = random.chance(0.8) ? random.below(inclusive: 63) + (random.chance(0.5) ? 0 : 1024)
                        : random.below(inclusive: lastExponent)
                    lex = 1 << 63 | index << 52 | (random.next() & FloatLex.mantissaMask)
                }
                return Int64(bitPattern: canonical(negative: negative, lex: lex) ^ (1 << 63))
            }
            return mapped(negative: negative, lex: UInt64(bitPattern: code) ^ (1 << 63))
        }
    }

    /// Floats: `doubles` rounded to `Float`; a value past Float's range becomes
    /// infinite, or the greatest finite magnitude when infinity is not allowed.
    public static func floats(in range: ClosedRange<Float>? = nil, allowNaN: Bool = true,
                              allowInfinity: Bool = true) -> Generator<Float> {
        let wide = range.map { Double($0.lowerBound)...Double($0.upperBound) }
        @Sendable func float(_ d: Double) -> Float {
            var f = Float(d)
            if !allowInfinity, f.isInfinite { f = f < 0 ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude }
            return f
        }
        return doubles(in: wide, allowNaN: allowNaN, allowInfinity: allowInfinity, rounded: { Double(float($0)) })
            .map { Float($0) }.labeled("float")
    }
}
