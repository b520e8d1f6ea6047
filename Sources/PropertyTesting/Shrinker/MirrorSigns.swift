// Pass: move integers of one kind below their simplest value to the other
// side together.
//
// In the simplicity order 1 comes before -1 and 127 before -128, so a value
// below the simplest one is simpler mirrored. `lowerChoices` tries that for
// one value at a time; when two values are tied (a sum that overflows: an
// `Int8` pair (-1, -128) fails "a + b does not overflow", and so does
// (1, 127), but neither (1, -128) nor (-1, 127)), each mirror alone passes
// and the pair stays negative. Here all of a kind's values below the simplest
// one are mirrored in one candidate, then each with the next one of its kind;
// a mirror past the range's other end is clamped to it (-128 becomes 127),
// which keeps it simpler.
//
// A last-resort pass: it costs a call or two at the end of a shrink whose
// values below the simplest are needed there, and none for a value whose
// mirror is already present.
//
// Invariant: every candidate changes only integers below their simplest
// value, each to a value above it of lower rank, so it is simpler.

extension Shrinker {
    func mirrorSigns() -> Bool {
        var kinds: [IntegerConstraints] = []
        for i in integerIndices {
            // (A character's index and a double's code have nothing below
            // their simplest value.)
            guard case .integer(let c) = choices[i].kind, case .integer(let v) = values[i], v < c.simplest,
                  c.max > c.simplest, !kinds.contains(c) else { continue }
            kinds.append(c)
        }
        var progress = false
        for c in kinds where !exhausted {
            // Values whose mirror another value of the kind already has are
            // left alone: they are likely there to differ from it (distinct
            // elements: [0, 1, -1, 2, -2] keeps its -1 and -2).
            func below() -> [Int] {
                let kind = integerIndices.filter { choices[$0].kind == .integer(c) }
                let present = Set(kind.compactMap { i -> Int64? in
                    guard case .integer(let v) = values[i], v > c.simplest else { return nil }
                    return v
                })
                return kind.filter {
                    guard case .integer(let v) = values[$0], v < c.simplest else { return false }
                    return !present.contains(Self.mirrored(v, c))
                }
            }
            let all = below()
            guard all.count >= 2 else { continue }
            if mirror(all, c) { progress = true; continue }
            // Pairs only when there are more than two: the pair of two is `all`.
            guard all.count > 2 else { continue }
            var k = 0
            while !exhausted {
                let current = below()
                guard k + 1 < current.count else { break }
                if mirror([current[k], current[k + 1]], c) { progress = true } else { k += 1 }
            }
        }
        return progress
    }

    /// Tries the integers at `indices` (all of kind `c`, below its simplest
    /// value) mirrored across it, clamped to the range.
    private func mirror(_ indices: [Int], _ c: IntegerConstraints) -> Bool {
        var candidate = values
        for i in indices {
            guard case .integer(let v) = values[i] else { return false }
            candidate[i] = .integer(Self.mirrored(v, c))
        }
        return consider(candidate)
    }

    /// `v` (below the simplest value of `c`, whose range extends above it)
    /// mirrored across the simplest value, clamped to the range.
    static func mirrored(_ v: Int64, _ c: IntegerConstraints) -> Int64 {
        c.value(atDistance: Swift.min(distanceFromSimplest(v, c), c.distanceUp), up: true)
    }
}
