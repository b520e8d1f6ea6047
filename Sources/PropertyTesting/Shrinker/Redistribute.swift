// Pass: move value from one integer to another, keeping their sum.
//
// Fixed-width integers (ranges of at most 2^32 values) also try the sum
// modulo the range size, since code over such integers usually wraps.
//
// Invariant: the earlier integer gets strictly simpler and the later one
// absorbs the difference (within its bounds), so the candidate is
// shortlex-smaller whenever it is run.

extension Shrinker {
    func redistribute() -> Bool {
        var progress = false
        var k = 0
        while k < integerIndices.count, !exhausted {
            let ints = integerIndices
            let i = ints[k]
            for step in 1..<Swift.min(ints.count - k, 9) where !exhausted {
                let j = ints[k + step]
                guard j < choices.count, i < choices.count,
                      case .integer(let ci) = choices[i].kind, case .integer(let a) = choices[i].value,
                      case .integer(let cj) = choices[j].kind, case .integer(let b) = choices[j].value,
                      a != ci.simplest else { continue }
                let base = values
                let found = Search.lowestSimpler(of: a, in: ci) { target in
                    let (delta, o1) = a.subtractingReportingOverflow(target)
                    let (sum, o2) = b.addingReportingOverflow(delta)
                    guard !o1, !o2, let moved = Self.fitting(sum, cj) else { return false }
                    var candidate = base
                    candidate[i] = .integer(target)
                    candidate[j] = .integer(moved)
                    return self.consider(candidate)
                }
                if found != a { progress = true }
            }
            k += 1
        }
        return progress
    }

    /// `value` if in range; else, for small ranges, `value` wrapped into the range.
    static func fitting(_ value: Int64, _ c: IntegerConstraints) -> Int64? {
        if c.contains(value) { return value }
        guard c.maxRank < 1 << 32 else { return nil }
        let size = Int64(c.maxRank) + 1
        let (offset, o) = value.subtractingReportingOverflow(c.min)
        guard !o else { return nil }
        return c.min + ((offset % size) + size) % size
    }
}
