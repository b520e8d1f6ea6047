// Pass: move value from one integer to another, keeping their sum.
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
                let found = Search.lowestRank(current: ci.rank(of: a)) { rank in
                    let target = ci.value(atRank: rank)
                    let (delta, o1) = a.subtractingReportingOverflow(target)
                    let (moved, o2) = b.addingReportingOverflow(delta)
                    guard !o1, !o2, cj.contains(moved) else { return false }
                    var candidate = base
                    candidate[i] = .integer(target)
                    candidate[j] = .integer(moved)
                    return self.consider(candidate)
                }
                if found < ci.rank(of: a) { progress = true }
            }
            k += 1
        }
        return progress
    }
}
