// Seeded, deterministic randomness for the search phase.
//
// Invariant: the stream of numbers is a pure function of the seed, on every
// platform and in every process (no system entropy, no hashing).

/// xoshiro256** seeded through SplitMix64.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        s0 = RandomSource.splitMix(&sm)
        s1 = RandomSource.splitMix(&sm)
        s2 = RandomSource.splitMix(&sm)
        s3 = RandomSource.splitMix(&sm)
    }

    /// One SplitMix64 step; also used to derive per-example seeds.
    public static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed for the `index`-th example of a run, independent of how many
    /// numbers earlier examples consumed.
    public static func derive(seed: UInt64, index: UInt64) -> UInt64 {
        var state = seed ^ (index &* 0xD1B5_4A32_D192_ED03)
        return splitMix(&state)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in `0...bound` (inclusive), without modulo bias.
    public mutating func below(inclusive bound: UInt64) -> UInt64 {
        if bound == .max { return next() }
        return next(upperBound: bound + 1)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }
}
