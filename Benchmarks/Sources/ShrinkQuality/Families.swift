// Families of problems whose constants are drawn at random (`--families`):
// thresholds, residues and multiples, widths, sums, counts, gaps, bit
// counts, letters, byte positions and differences, each instance with a
// minimum worked out from its constants. The hand-written problems each
// hold one threshold or modulus, and a shrinker tuned on them can hold
// those and no other (fixed steps of 3 to 10 found "a multiple of 10 above
// 1000" and no residue modulo 11 to 40); these check the general case.
// The constants come from a fixed seed, so every run states the same
// instances, and the names carry them.

import PropertyTesting
import ShrinkBenchmarkSupport

/// SplitMix64 over a fixed seed: the families' constants.
/// Constants drawn with SplitMix64 over a fixed seed (the families here and
/// in `MachineFamilies.swift`; their Hypothesis twins draw the same way).
struct Constants {
    var state: UInt64
    mutating func draw(_ range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(RandomSource.splitMix(&state) % UInt64(range.upperBound - range.lowerBound + 1))
    }
    /// `draw` for an `Int` range.
    mutating func drawInt(_ range: ClosedRange<Int>) -> Int {
        Int(draw(Int64(range.lowerBound)...Int64(range.upperBound)))
    }
}

/// The least value above `threshold` congruent to `remainder` modulo `modulus`.
private func leastAbove(_ threshold: Int64, _ modulus: Int64, _ remainder: Int64) -> Int64 {
    var m = threshold + 1
    while m % modulus != remainder { m += 1 }
    return m
}

func familyProblems() -> [Problem] {
    var k = Constants(state: 12345)
    var problems: [Problem] = []
    let i64 = Gen.integers(of: Int64.self)
    // Thresholds over all of Int64, on either side: the threshold itself.
    for n in 0..<12 {
        let t = max(2, k.draw(1...(Int64(1) << k.draw(1...61))))
        problems.append(problem("at_least_\(n)_\(t)", i64, ideal: { $0 == t }) { try check($0 < t) })
        problems.append(problem("at_most_minus_\(n)_\(t)", i64, ideal: { $0 == -t }) { try check($0 > -t) })
    }
    // A residue above a threshold over all of Int64 (positive values come
    // first at each distance, so the least such value); a multiple above a
    // threshold in a range from 0 with a bound far above it.
    for n in 0..<12 {
        let m = k.draw(2...40), r = k.draw(0...(m - 1)), t = k.draw(10...1_000_000)
        let least = leastAbove(t, m, r)
        problems.append(problem("residue_\(n)_mod\(m)_is\(r)_above\(t)", i64, ideal: { $0 == least }) {
            try check(!($0 > t && $0 % m == r))
        })
        let bound = t * k.draw(2...50), multiple = leastAbove(t, m, 0)
        problems.append(problem("bounded_multiple_\(n)_of\(m)_above\(t)", Gen.integers(in: 0...bound), ideal: { $0 == multiple }) {
            try check(!($0 > t && $0 % m == 0))
        })
    }
    // Unsigned widths: the threshold.
    for n in 0..<6 {
        let t8 = UInt8(k.draw(2...255)), t16 = UInt16(k.draw(2...65535)), t32 = UInt32(k.draw(2...Int64(UInt32.max)))
        problems.append(problem("uint8_at_least_\(n)_\(t8)", Gen.integers(of: UInt8.self), ideal: { $0 == t8 }) { try check($0 < t8) })
        problems.append(problem("uint16_at_least_\(n)_\(t16)", Gen.integers(of: UInt16.self), ideal: { $0 == t16 }) { try check($0 < t16) })
        problems.append(problem("uint32_at_least_\(n)_\(t32)", Gen.integers(of: UInt32.self), ideal: { $0 == t32 }) { try check($0 < t32) })
    }
    // Lists of 0...bound summing above a threshold: the fewest elements,
    // then the first as small as the rest at the bound allow.
    for n in 0..<10 {
        let bound = k.draw(5...1000), t = k.draw(bound...(bound * 6))
        let count = (t + bound) / bound, first = t + 1 - (count - 1) * bound
        let least = [first] + Array(repeating: bound, count: Int(count - 1))
        problems.append(problem("list_sum_\(n)_of0to\(bound)_above\(t)", Gen.arrays(of: Gen.integers(in: 0...bound)), show: pyList,
                                ideal: { $0 == least }) { try check($0.reduce(0, +) <= t) })
    }
    // Lists holding at least `count` elements of at least `v`: that many of `v`.
    for n in 0..<8 {
        let count = Int(k.draw(2...6)), v = k.draw(1...500)
        problems.append(problem("list_count_\(n)_\(count)_at_least\(v)", Gen.arrays(of: i64), show: pyList,
                                ideal: { $0 == Array(repeating: v, count: count) }) { xs in try check(xs.filter { $0 >= v }.count < count) })
    }
    // Pairs with the first at least `t` and the second `gap` above it.
    for n in 0..<8 {
        let t = k.draw(1...100_000), gap = k.draw(1...100_000)
        problems.append(problem("pair_gap_\(n)_first\(t)_gap\(gap)", Gen.zip(i64, i64), show: { "(\($0.0), \($0.1))" },
                                ideal: { $0 == (t, t + gap) }) { p in try check(!(p.0 >= t && p.0 <= Int64.max - gap && p.1 >= p.0 + gap)) })
    }
    // UInt64 with at least `bits` bits set: the low ones.
    for n in 0..<6 {
        let bits = Int(k.draw(2...20))
        problems.append(problem("popcount_\(n)_at_least\(bits)", Gen.integers(of: UInt64.self),
                                ideal: { $0 == (UInt64(1) << UInt64(bits)) - 1 }) { try check($0.nonzeroBitCount < bits) })
    }
    // Strings over "abcdefghz" with at least `count` z's: that many z's.
    for n in 0..<6 {
        let count = Int(k.draw(2...5))
        problems.append(problem("letters_\(n)_\(count)_z", Gen.strings(of: Gen.characters(from: "abcdefghz")),
                                ideal: { $0 == String(repeating: "z", count: count) }) { s in try check(s.filter { $0 == "z" }.count < count) })
    }
    // Byte strings whose byte at `position` is at least `v`: zeros, then `v`.
    for n in 0..<8 {
        let position = Int(k.draw(0...12)), v = UInt8(k.draw(1...255))
        problems.append(problem("byte_at_\(n)_\(position)_at_least\(v)", Gen.bytes(count: 0...32), show: pyBytes,
                                ideal: { $0 == Array(repeating: 0, count: position) + [v] }) { b in try check(!(b.count > position && b[position] >= v)) })
    }
    // Lists of 0...1000 holding two elements `gap` apart: 0 and `gap`.
    for n in 0..<8 {
        let gap = k.draw(1...900)
        problems.append(problem("list_difference_\(n)_\(gap)", Gen.arrays(of: Gen.integers(in: 0...1000)), show: pyList,
                                ideal: { $0 == [0, gap] }) { xs in try check(!xs.contains { a in xs.contains { $0 - a == gap } }) })
    }
    // Residues of powers of two above a threshold (alignment, an offset
    // within an aligned block), over all of Int64 and in a bounded range.
    for n in 0..<12 {
        let m = Int64(1) << k.draw(4...12), r = n % 2 == 0 ? 0 : k.draw(0...(m - 1)), t = k.draw(10...10_000_000)
        let least = leastAbove(t, m, r), bound = t * k.draw(2...50)
        problems.append(problem("aligned_\(n)_mod\(m)_is\(r)_above\(t)", i64, ideal: { $0 == least }) {
            try check(!($0 > t && $0 % m == r))
        })
        problems.append(problem("bounded_aligned_\(n)_mod\(m)_is\(r)_above\(t)", Gen.integers(in: 0...bound), ideal: { $0 == least }) {
            try check(!($0 > t && $0 % m == r))
        })
    }
    return problems
}
