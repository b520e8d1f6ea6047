// Integer, boolean and byte-string generators: one choice each.

extension Gen {
    /// Integers in `range`, shrinking towards `simplest` (clamped into the range;
    /// 0 when it is in range).
    public static func integers(in range: ClosedRange<Int64> = Int64.min...Int64.max, simplest: Int64 = 0) -> Generator<Int64> {
        let c = IntegerConstraints(min: range.lowerBound, max: range.upperBound, simplest: simplest)
        return Generator(label: "integer") { tc in try tc.drawInteger(c) }
    }

    /// `Int` values in `range`.
    public static func ints(in range: ClosedRange<Int> = Int.min...Int.max, simplest: Int = 0) -> Generator<Int> {
        integers(in: Int64(range.lowerBound)...Int64(range.upperBound), simplest: Int64(simplest)).map { Int($0) }
    }

    /// Booleans, shrinking towards false.
    public static func booleans(probability: Double = 0.5) -> Generator<Bool> {
        Generator(label: "boolean") { tc in try tc.drawBoolean(probability: probability) }
    }

    /// Byte strings with a length in `count`.
    public static func bytes(count: ClosedRange<Int> = 0...64) -> Generator<[UInt8]> {
        Generator(label: "bytes") { tc in try tc.drawBytes(minCount: count.lowerBound, maxCount: count.upperBound) }
    }
}
