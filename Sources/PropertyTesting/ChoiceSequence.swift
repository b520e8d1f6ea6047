// The recorded choices behind every generated value, their simplicity order,
// and their byte format.
//
// Invariant: a generated value is a pure function of its choice sequence and
// the generator. Everything else (random search, replay, shrinking, saved
// regressions, fuzzer inputs) only decides which sequence to feed in.

/// Bounds and simplest value of one integer choice.
///
/// Values are ordered by simplicity: `simplest`, then alternately one step
/// above and one step below, moving outwards (0, 1, -1, 2, -2, … when the
/// simplest value is 0). Once one side of the range is exhausted the other
/// side continues alone. `rank(of:)` is the position in that order and is
/// dense: every rank in `0...maxRank` names exactly one value in the range.
public struct IntegerConstraints: Hashable, Sendable, CustomStringConvertible {
    public let min: Int64
    public let max: Int64
    public let simplest: Int64

    /// `simplest` is clamped into `min...max`.
    public init(min: Int64, max: Int64, simplest: Int64 = 0) {
        precondition(min <= max, "integer range is empty: \(min)...\(max)")
        self.min = min
        self.max = max
        self.simplest = Swift.min(Swift.max(simplest, min), max)
    }

    // Distances are computed with wrapping arithmetic: for the full Int64
    // range they exceed Int64 but always fit in UInt64.
    var distanceUp: UInt64 { UInt64(bitPattern: max &- simplest) }
    var distanceDown: UInt64 { UInt64(bitPattern: simplest &- min) }

    /// The rank of the least simple value; the range holds `maxRank + 1` values.
    public var maxRank: UInt64 { distanceUp &+ distanceDown }

    public func contains(_ value: Int64) -> Bool { min <= value && value <= max }

    /// Position of `value` in the simplicity order (0 for `simplest`).
    public func rank(of value: Int64) -> UInt64 {
        let both = Swift.min(distanceUp, distanceDown)
        let up = value >= simplest
        let distance = up ? UInt64(bitPattern: value &- simplest) : UInt64(bitPattern: simplest &- value)
        if distance == 0 { return 0 }
        if distance <= both { return up ? 2 &* distance &- 1 : 2 &* distance }
        return both &+ distance
    }

    /// The value at `rank` in the simplicity order; ranks past `maxRank` clamp.
    public func value(atRank rank: UInt64) -> Int64 {
        let rank = Swift.min(rank, maxRank)
        if rank == 0 { return simplest }
        let both = Swift.min(distanceUp, distanceDown)
        if rank <= 2 &* both { return value(atDistance: (rank &+ 1) / 2, up: rank & 1 == 1) }
        return value(atDistance: rank &- both, up: distanceUp > distanceDown)
    }

    /// The value `distance` from the simplest value, above it when `up` and
    /// below it otherwise; the caller keeps `distance` within that side.
    func value(atDistance distance: UInt64, up: Bool) -> Int64 {
        up ? simplest &+ Int64(bitPattern: distance) : simplest &- Int64(bitPattern: distance)
    }

    /// Bytes one choice takes in the byte format: enough for `maxRank`.
    var byteWidth: Int {
        var width = 0
        var rest = maxRank
        while rest != 0 { width += 1; rest >>= 8 }
        return width
    }

    public var description: String { "\(min)...\(max) (simplest \(simplest))" }
}

/// What a choice is allowed to be.
public enum ChoiceKind: Hashable, Sendable {
    case integer(IntegerConstraints)
    case boolean
    case bytes(minCount: Int, maxCount: Int)

    /// The simplest value of this kind: what short input and misaligned replay
    /// read as (but see `fitted` for byte strings).
    public var simplest: ChoiceValue {
        switch self {
        case .integer(let c): return .integer(c.simplest)
        case .boolean: return .boolean(false)
        case .bytes(let minCount, _): return .bytes([UInt8](repeating: 0, count: minCount))
        }
    }

    /// Whether `value` is a legal value of this kind.
    public func permits(_ value: ChoiceValue) -> Bool {
        switch (self, value) {
        case (.integer(let c), .integer(let v)): return c.contains(v)
        case (.boolean, .boolean): return true
        case (.bytes(let lo, let hi), .bytes(let b)): return b.count >= lo && b.count <= hi
        default: return false
        }
    }

    /// `value` as a replay reads it for a choice of this kind: itself when
    /// permitted; a byte string of the wrong length fitted from its end
    /// (its last bytes kept, zeros added in front), since shrinking moves
    /// a string's non-zero bytes to its end and a width drawn before it
    /// may have been lowered or raised; anything else the simplest value.
    func fitted(_ value: ChoiceValue) -> ChoiceValue {
        if permits(value) { return value }
        if case .bytes(let lo, let hi) = self, case .bytes(let b) = value {
            return .bytes(b.count > hi ? Array(b.suffix(hi)) : [UInt8](repeating: 0, count: lo - b.count) + b)
        }
        return simplest
    }
}

/// A choice's value, without its constraints.
public enum ChoiceValue: Hashable, Sendable, CustomStringConvertible {
    case integer(Int64)
    case boolean(Bool)
    case bytes([UInt8])

    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .boolean(let b): return b ? "true" : "false"
        case .bytes(let b): return "bytes(\(b.count))"
        }
    }

    var integerValue: Int64? { if case .integer(let v) = self { return v } else { return nil } }
}

/// One recorded choice: its kind and the value the generator received.
public struct Choice: Hashable, Sendable, CustomStringConvertible {
    public let kind: ChoiceKind
    public let value: ChoiceValue

    public init(kind: ChoiceKind, value: ChoiceValue) {
        precondition(kind.permits(value), "value \(value) is not permitted by \(kind)")
        self.kind = kind
        self.value = value
    }

    /// Whether this is already the simplest value of its kind.
    public var isSimplest: Bool { value == kind.simplest }

    /// The integer rank of this choice in its kind's simplicity order
    /// (booleans: false 0, true 1; bytes: length, see `compareSimplicity`).
    var rank: UInt64 {
        switch (kind, value) {
        case (.integer(let c), .integer(let v)): return c.rank(of: v)
        case (_, .boolean(let b)): return b ? 1 : 0
        case (_, .bytes(let b)): return UInt64(b.count)
        default: return 0
        }
    }

    public var description: String { value.description }
}

/// Three-way simplicity comparison of two choices: negative when `a` is simpler.
func compareSimplicity(_ a: Choice, _ b: Choice) -> Int {
    if case .bytes(let x) = a.value, case .bytes(let y) = b.value {
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
        return 0
    }
    let (ra, rb) = (a.rank, b.rank)
    return ra == rb ? 0 : (ra < rb ? -1 : 1)
}

/// A recorded choice sequence.
///
/// Order: shortlex. A shorter sequence is simpler; equal lengths compare
/// choice by choice in simplicity order. The shrinker only ever moves to a
/// strictly smaller sequence, which is what makes it terminate.
public struct ChoiceSequence: Hashable, Sendable, CustomStringConvertible {
    public var choices: [Choice]

    public init(_ choices: [Choice] = []) { self.choices = choices }

    public var count: Int { choices.count }
    public var values: [ChoiceValue] { choices.map(\.value) }

    /// True when `self` is strictly simpler than `other` in shortlex order.
    public func isSimpler(than other: ChoiceSequence) -> Bool {
        if count != other.count { return count < other.count }
        for (a, b) in zip(choices, other.choices) {
            let c = compareSimplicity(a, b)
            if c != 0 { return c < 0 }
        }
        return false
    }

    /// The byte serialization. Decoding happens by replaying these bytes
    /// through the generator (`TestCase(bytes:)`), which reproduces exactly
    /// these choices.
    ///
    /// Format, choice by choice, no header:
    /// - integer: its rank, little-endian, in the fewest bytes that hold the
    ///   kind's `maxRank` (zero bytes when the range has one value);
    /// - boolean: one byte, lowest bit;
    /// - bytes: the length as an integer choice over `minCount...maxCount`
    ///   with simplest `minCount`, then the raw bytes.
    /// Any byte string decodes: a rank past `maxRank` wraps modulo the range
    /// size, and reading past the end yields zero bytes, so short input reads
    /// as simplest choices.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for choice in choices { ByteFormat.encode(choice, into: &out) }
        return out
    }

    public var description: String { "[" + choices.map(\.description).joined(separator: ", ") + "]" }
}

/// The byte format's reader and writer (see `ChoiceSequence.bytes`).
enum ByteFormat {
    static func encode(_ choice: Choice, into out: inout [UInt8]) {
        switch (choice.kind, choice.value) {
        case (.integer(let c), .integer(let v)):
            writeRank(c.rank(of: v), width: c.byteWidth, into: &out)
        case (.boolean, .boolean(let b)):
            out.append(b ? 1 : 0)
        case (.bytes(let lo, let hi), .bytes(let b)):
            let lengths = IntegerConstraints(min: Int64(lo), max: Int64(hi), simplest: Int64(lo))
            writeRank(lengths.rank(of: Int64(b.count)), width: lengths.byteWidth, into: &out)
            out.append(contentsOf: b)
        default:
            preconditionFailure("choice value does not match its kind")
        }
    }

    static func writeRank(_ rank: UInt64, width: Int, into out: inout [UInt8]) {
        var rest = rank
        for _ in 0..<width { out.append(UInt8(truncatingIfNeeded: rest)); rest >>= 8 }
    }

    /// Reads one byte; past the end reads 0.
    static func readByte(_ bytes: [UInt8], _ position: inout Int) -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    static func readInteger(_ c: IntegerConstraints, _ bytes: [UInt8], _ position: inout Int) -> Int64 {
        var rank: UInt64 = 0
        for i in 0..<c.byteWidth { rank |= UInt64(readByte(bytes, &position)) << (8 * UInt64(i)) }
        if rank > c.maxRank { rank %= c.maxRank &+ 1 }  // maxRank == UInt64.max never gets here
        return c.value(atRank: rank)
    }
}
