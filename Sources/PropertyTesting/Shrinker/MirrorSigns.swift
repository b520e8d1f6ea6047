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
// When only the sign of a product matters, the sign can sit on either
// value: `(-1, 128)` and `(1, -128)` both fail "a Q8 product rounds a
// negative half away from zero", and the second is simpler (its first value
// is). Each value below the simplest is also tried mirrored together with
// the next value of its kind above the simplest, mirrored down, and when
// that value is the top of its range, also to the bottom: `Int8` deltas
// that must fit fail on `(-1, 127)` and on `(1, -128)`, not on `(1, -127)`.
//
// Values of different kinds can be tied the same way (a nice value in
// -20...19 and an `Int8` increment: (-1, -128) and (1, 127) wrap): all the
// values below their simplest are mirrored in one candidate too, then each
// with the next of another kind.
//
// Doubles carry their sign in a choice of their own: two or more negative
// doubles are made positive together in one candidate too.
//
// A last-resort pass: it costs a call or two at the end of a shrink whose
// values below the simplest are needed there, and none for a value whose
// mirror is already present.
//
// Invariant: every candidate changes integers below their simplest value,
// each to a value above it of lower rank, and at most one later integer of
// the same kind (a trade of sides); the first changed choice is simpler, so
// the candidate is.

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
            if mirror(all) { progress = true; continue }
            // Pairs only when there are more than two: the pair of two is `all`.
            guard all.count > 2 else { continue }
            var k = 0
            while !exhausted {
                let current = below()
                guard k + 1 < current.count else { break }
                if mirror([current[k], current[k + 1]]) { progress = true } else { k += 1 }
            }
        }
        if kinds.count >= 2, !exhausted, mirrorAcrossKinds() { progress = true }
        for c in kinds where !exhausted {
            if tradeSides(c) { progress = true }
        }
        if !exhausted, mirrorDoubleSigns() { progress = true }
        return progress
    }

    /// Every negative double of the example made positive in one
    /// candidate, when there are two or more (a double's sign is the
    /// boolean before its code, true for negative): a mean whose sum
    /// overflows fails on `[-2^970, -max]` and on `[2^970, max]`, but on
    /// neither with one sign changed, and lowering changes one sign at a
    /// time (the pair stayed negative in 10 seeds of 20).
    private func mirrorDoubleSigns() -> Bool {
        let signs = choices.indices.filter { values[$0] == .boolean(true) && isDoubleCode($0 + 1) }
        guard signs.count >= 2 else { return false }
        var candidate = values
        for k in signs { candidate[k] = .boolean(false) }
        return consider(candidate)
    }

    /// Tries a value of kind `c` below its simplest value mirrored together
    /// with the next value of the kind above it, mirrored the other way: the
    /// sign moves to the later value. Whether one such trade was adopted.
    private func tradeSides(_ c: IntegerConstraints) -> Bool {
        let kind = integerIndices.filter { choices[$0].kind == .integer(c) }
        // As above, a value whose mirror is present is likely there to differ from it.
        let present = Set(kind.compactMap { i -> Int64? in if case .integer(let v) = values[i] { v } else { nil } })
        for (n, i) in kind.enumerated() where !exhausted {
            guard case .integer(let v) = values[i], v < c.simplest, !present.contains(Self.mirrored(v, c)),
                  let j = kind[(n + 1)...].first(where: { if case .integer(let w) = values[$0] { w > c.simplest } else { false } }),
                  case .integer(let w) = values[j] else { continue }
            let distance = Self.distanceFromSimplest(w, c)
            guard distance <= c.distanceDown, !present.contains(c.value(atDistance: distance, up: false)) else { continue }
            var candidate = values
            candidate[i] = .integer(Self.mirrored(v, c))
            candidate[j] = .integer(c.value(atDistance: distance, up: false))
            // The indices are stale after an adoption; the next round reads them again.
            if consider(candidate) { return true }
            // A value at the top of its range goes to the bottom, one
            // further than its mirror: a delta stream saturated to `Int8`
            // fails on `[-1, 127]` and on `[1, -128]`, not on `[1, -127]`.
            if w == c.max, distance < c.distanceDown, !present.contains(c.min) {
                candidate[j] = .integer(c.value(atDistance: distance + 1, up: false))
                if consider(candidate) { return true }
            }
        }
        return false
    }

    /// Values of different kinds below their simplest values, tied as the
    /// values of one kind can be: a nice value in -20...19 plus an `Int8`
    /// increment wraps at (-1, -128) and at (1, 127), at neither with one
    /// sign changed, and the pair stayed negative in 7 seeds of 20. Every
    /// value below its simplest (but one whose mirror its kind already has)
    /// is mirrored in one candidate, then each with the next such value of
    /// another kind.
    private func mirrorAcrossKinds() -> Bool {
        func below() -> [Int] {
            var present: [IntegerConstraints: Set<Int64>] = [:]
            for i in integerIndices {
                guard case .integer(let c) = choices[i].kind, case .integer(let v) = values[i], v > c.simplest else { continue }
                present[c, default: []].insert(v)
            }
            return integerIndices.filter { i in
                guard case .integer(let c) = choices[i].kind, case .integer(let v) = values[i], v < c.simplest,
                      c.max > c.simplest else { return false }
                return !(present[c]?.contains(Self.mirrored(v, c)) ?? false)
            }
        }
        func kind(_ i: Int) -> IntegerConstraints? { if case .integer(let c) = choices[i].kind { c } else { nil } }
        let all = below()
        // Of one kind, the pass above has tried them.
        guard all.count >= 2, Set(all.compactMap(kind)).count >= 2 else { return false }
        if mirror(all) { return true }
        guard all.count > 2 else { return false }
        for (a, b) in zip(all, all.dropFirst()) where !exhausted && kind(a) != kind(b) {
            if mirror([a, b]) { return true }
        }
        return false
    }

    /// Tries the integers at `indices` (each below its kind's simplest
    /// value) mirrored across it, clamped to the range.
    private func mirror(_ indices: [Int]) -> Bool {
        var candidate = values
        for i in indices {
            guard case .integer(let c) = choices[i].kind, case .integer(let v) = values[i] else { return false }
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
