// Integer, boolean and byte-string generators: one choice each.

extension Gen {
    /// Integers in `range`, shrinking towards `simplest`: when given, it
    /// must be in the range (a precondition); by default 0, or the bound
    /// nearest 0 when 0 is outside the range.
    public static func integers(in range: ClosedRange<Int64> = Int64.min...Int64.max, simplest: Int64? = nil) -> Generator<Int64> {
        // Refused, not clamped: a simplest value outside the range shrank
        // towards a bound without a word, which is not what was asked for.
        if let simplest {
            precondition(range.contains(simplest), "integers(in: \(range.lowerBound)...\(range.upperBound), simplest: \(simplest)): "
                         + "simplest must be in the range")
        }
        let c = IntegerConstraints(min: range.lowerBound, max: range.upperBound, simplest: simplest ?? 0)
        return Generator(label: "integer") { tc in try tc.drawInteger(c) }
    }

    /// `Int` values in `range`, shrinking towards `simplest` (see `integers(in:simplest:)`).
    public static func ints(in range: ClosedRange<Int> = Int.min...Int.max, simplest: Int? = nil) -> Generator<Int> {
        if let simplest {
            precondition(range.contains(simplest), "ints(in: \(range.lowerBound)...\(range.upperBound), simplest: \(simplest)): "
                         + "simplest must be in the range")
        }
        return integers(in: Int64(range.lowerBound)...Int64(range.upperBound), simplest: simplest.map { Int64($0) }).map { Int($0) }
    }

    /// Booleans, shrinking towards false; `probability` (of true while
    /// searching) must be in 0...1.
    public static func booleans(probability: Double = 0.5) -> Generator<Bool> {
        precondition((0...1).contains(probability), "booleans(probability:) must be in 0...1, not \(probability)")
        return Generator(label: "boolean") { tc in try tc.drawBoolean(probability: probability) }
    }

    /// Byte strings with a length in `count`.
    public static func bytes(count: ClosedRange<Int> = 0...64) -> Generator<[UInt8]> {
        // Checked here too, so the mistake stops where the generator is made, not at its first draw.
        precondition(count.lowerBound >= 0, "byte count range \(count.lowerBound)...\(count.upperBound) is empty or negative")
        return Generator(label: "bytes") { tc in try tc.drawBytes(minCount: count.lowerBound, maxCount: count.upperBound) }
    }
}

extension Gen {
    /// Integers of any fixed-width type in `range` (default: the whole type),
    /// shrinking towards 0, or the bound nearest 0: `Gen.integers(of: UInt8.self)`,
    /// `Gen.integers(of: UInt32.self, in: 1...100)`, `Gen.integers(of: UInt64.self)`.
    public static func integers<T: FixedWidthInteger & Sendable>(of type: T.Type, in range: ClosedRange<T>? = nil) -> Generator<T> {
        let lo = range?.lowerBound ?? T.min, hi = range?.upperBound ?? T.max
        if let l = Int64(exactly: lo), let h = Int64(exactly: hi) {
            let c = IntegerConstraints(min: l, max: h, simplest: 0)
            return Generator(label: "integer") { tc in T(try tc.drawInteger(c)) }
        }
        // Unsigned values past Int64.max: offset by 2^63, which maps unsigned
        // order onto signed order, so the simplest value is the lower bound.
        precondition(!T.isSigned, "signed ranges always fit in Int64")
        let offset = { (x: T) in Int64(bitPattern: UInt64(x) ^ (1 << 63)) }
        let c = IntegerConstraints(min: offset(lo), max: offset(hi), simplest: offset(lo))
        return Generator(label: "integer") { tc in T(UInt64(bitPattern: try tc.drawInteger(c)) ^ (1 << 63)) }
    }
}
