// Pass steps of `lowerChoices` for failures that are not monotone in an
// integer: a multiple ("a multiple of 10 above 1000"), a residue ("3 more
// than a multiple of 7"), a bit pattern. The searches in `Search.swift`
// take a passing probe to mean that every value below it passes; here that
// is false, so they bisect towards the value they started from and stop
// where steps of one and two pass. Each step below runs only on evidence
// from the search just made, so a threshold shrink pays nothing for it.
//
// Invariant: every candidate moves only the one integer, towards its
// simplest value on the same side, and stays short of the simplest value
// itself (which every search tries first), so it is simpler.

extension Shrinker {
    /// What one search of `lowerChoices` saw of an integer: the value it
    /// started from and the values it adopted, in order, and how many
    /// probes in a row failed after the last adoption.
    struct IntegerSearchRecord {
        var adopted: [Int64]
        var failedSinceAdoption = 0
        /// The search stopped its bisection as sparse (`Search.lowestSimpler`'s `cutAsSparse`).
        var cutAsSparse = false

        init(start: Int64) { adopted = [start] }

        /// Whether two of the values (the start among them) lie an odd
        /// distance apart: failing values of both parities.
        func adoptedBothParities() -> Bool {
            guard let first = adopted.first else { return false }
            return adopted.dropFirst().contains { (UInt64(bitPattern: $0 &- first) & 1) == 1 }
        }

        mutating func record(_ target: Int64, adopted wasAdopted: Bool) {
            if wasAdopted {
                adopted.append(target)
                failedSinceAdoption = 0
            } else {
                failedSinceAdoption += 1
            }
        }
    }

    /// The steps below for the integer at `index` after its search: true
    /// when one adopted a value.
    func lowerNonMonotone(at index: Int, after record: IntegerSearchRecord) -> Bool {
        guard index < choices.count, case .integer(let c) = choices[index].kind, case .integer(let w) = choices[index].value,
              record.adopted.count >= 2, w == record.adopted.last, !isCharacter(index), !isDoubleCode(index) else { return false }
        if record.adopted.count >= 3, lowerByPeriod(at: index, adopted: record.adopted, c) { return true }
        // Sparse: the search cut its bisection short, or failed more
        // probes in a row since its last adoption than a threshold leaves.
        guard record.cutAsSparse || record.failedSinceAdoption >= Self.sparseEvidence(Self.distanceFromSimplest(w, c)) else { return false }
        return lowerToLowBits(at: index, c) || lowerByCommonPeriod(at: index, c)
    }

    /// The greatest common divisor of the distances between `adopted`
    /// values (the first is where the search started, the rest are the
    /// values it adopted), or nil when two lie on different sides of the
    /// simplest value.
    static func sharedPeriod(of adopted: [Int64], _ c: IntegerConstraints) -> UInt64? {
        guard let first = adopted.first else { return nil }
        let up = first > c.simplest
        var period: UInt64 = 0
        for value in adopted.dropFirst() {
            guard value != c.simplest, (value > c.simplest) == up else { return nil }
            period = greatestCommonDivisor(period, distance(first, value))
        }
        return period
    }

    /// The greatest common divisor of `a` and `b` (`a` when `b` is 0).
    static func greatestCommonDivisor(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// How far apart `a` and `b` are.
    static func distance(_ a: Int64, _ b: Int64) -> UInt64 {
        a > b ? UInt64(bitPattern: a &- b) : UInt64(bitPattern: b &- a)
    }

    /// Lowers the integer at `index` by multiples of the period its
    /// search's adopted values share (`sharedPeriod`), when that period is
    /// at least 3 (a step of two is the searches' own): one period down,
    /// and when that fails too, the least number of periods above the
    /// lowest value of the residue (`Search.lowestRank`: that value, half
    /// the periods, then up from it by powers and a bisection), so the cost
    /// is logarithmic in the answer, not in the start. Steps down from the
    /// top (1, 2, 3, 4 periods, then doubling, then a bisection) took "a
    /// multiple of 3 above 100" from `2^60 - 1` to 102 in some ninety calls,
    /// every probe failing: the answer lay at the far end.
    ///
    /// A threshold search adopts halves and bisection points, whose
    /// distances have no common factor after two or three of them; the
    /// values a multiple's search adopts all share it. From 1,000,000 "a
    /// multiple of 10 above 1000" halved once a round (a bisection of some
    /// twenty calls each) and stopped at 31,190 after about a hundred calls;
    /// the first search's adopted values (500,000, 499,070, 499,040) give
    /// the period 10 and the steps of ten reach 1,010.
    func lowerByPeriod(at index: Int, adopted: [Int64], _ c: IntegerConstraints) -> Bool {
        guard case .integer(let w) = values[index], let period = Self.sharedPeriod(of: adopted, c), period >= 3 else { return false }
        let distance = Self.distanceFromSimplest(w, c)
        guard distance > period else { return false }
        return lowerByPeriod(at: index, period: period, c)
    }

    /// `lowerByPeriod` with the period given.
    func lowerByPeriod(at index: Int, period: UInt64, _ c: IntegerConstraints) -> Bool {
        guard case .integer(let w) = values[index] else { return false }
        let distance = Self.distanceFromSimplest(w, c)
        guard distance > period else { return false }
        let count = choices.count
        let up = w > c.simplest
        func at(_ d: UInt64) -> Bool {
            guard !exhausted, choices.count == count else { return false }
            return consider(replacing(index..<(index + 1), with: [.integer(c.value(atDistance: d, up: up))]))
        }
        // One period down first: where it fails (a threshold just below),
        // that is the only call.
        guard at(distance - period) else { return false }
        let limit = (distance - period - 1) / period
        let base = distance - period - limit * period
        _ = Search.lowestRank(current: limit) { q in at(base + q * period) }
        return true
    }

    /// Tries the integer at `index`, which its search left where it was,
    /// at the largest power of ten that divides it, when that is at least
    /// 100 and the value a multiple of two or more of it (with its sign).
    /// A failure of round numbers (the centuries of a calendar, sizes in
    /// hundreds) holds on some multiples only, and the searches' probes
    /// (half the value, steps of one and two) meet none: a leap-year rule
    /// that forgets the centuries stopped at 300, 3500 or 9900 for 100 in
    /// 9 seeds of 20. Not for a value a search adopted (`searchAdopted`):
    /// a search that ends at a round number found a threshold there (the
    /// challenge's `lengthlist`, whose minimum is `[900]`, paid a call in
    /// every seed for 100). The multiples in between, searched as the
    /// periods of `lowerByPeriod` are, cost thresholds three calls and
    /// found nothing more.
    ///
    /// A power of ten of 100 or more that the failing example held when the
    /// shrink began (generation drew it) is tried at the power below it,
    /// its decimal digits less one zero: a failure of the value's text
    /// (keys sorted as strings, a length in digits) holds on such
    /// prefixes, and the probes meet none. Keys sorted as text stopped at
    /// `{2: 0, 100: 1}` for `{2: 0, 10: 1}` in 12 seeds of 20. Not for a
    /// power of ten the shrink moved a value to: a sum over 100 ends with
    /// an element of 100 there, a threshold, which paid a call for 10. Each
    /// power of ten once per example: ten elements of 100 at their bound
    /// paid ten calls where the first one's answer holds for the others.
    func lowerRoundNumber(at index: Int) -> Bool {
        guard index < choices.count, case .integer(let c) = choices[index].kind, case .integer(let w) = values[index],
              w != 0, !isCharacter(index), !isDoubleCode(index), !searchAdopted.contains(w) else { return false }
        let magnitude = w.magnitude
        var period: UInt64 = 1
        while magnitude % (period * 10) == 0, period <= UInt64.max / 100 { period *= 10 }
        guard period >= 100 else { return false }
        if magnitude == period, initialValues.contains(.integer(w)) {
            guard powersOfTenLowered[w] != adoptions else { return false }
            powersOfTenLowered[w] = adoptions
            period /= 10
        } else if magnitude / period < 2 {
            return false
        }
        let v = w < 0 ? -Int64(period) : Int64(period)
        guard c.contains(v), c.rank(of: v) < c.rank(of: w) else { return false }
        return consider(replacing(index..<(index + 1), with: [.integer(v)]))
    }

    /// Failed probes in a row after a search's last adoption that mark the
    /// failure as sparse near a value `distance` from the simplest: its
    /// bits and two. A search that adopted half the distance probes the
    /// two values at distance 1, powers of two up from the simplest value
    /// (`Search.lowestSimpler`) and then bisects up to that half: more
    /// than that many probes when every one fails, and then the half is the
    /// least failing value below it, which for a threshold means the
    /// threshold is exactly that half, and for a multiple or a residue is
    /// what it usually means. After an adoption within the bisection, at
    /// most the bits of the half are left to fail.
    static func sparseEvidence(_ distance: UInt64) -> Int { (64 - distance.leadingZeroBitCount) + 2 }

    /// The steps of `lowerIsolated`: the moduli it tries.
    static let isolatedPeriods: ClosedRange<UInt64> = 3...10
    /// The most integers away from their simplest value an example may hold
    /// for `lowerIsolatedIntegers` to step one.
    static let isolatedMostIntegers = 3

    /// The last of the last-resort passes: lowers an integer whose value
    /// nothing explains, when no adoption has been made yet (it is where
    /// generation left it) or the last one was `lowerToLowBits`'s jump to
    /// it, and the value one below it passed. When one step further from
    /// the simplest value passes as well, the failure is a residue, a
    /// multiple or an equality, not a threshold: steps of 3 to 10 below
    /// are tried, and on the first that fails the value is lowered by
    /// multiples of that step (`lowerByPeriod`). The first integer that
    /// moves ends the pass.
    ///
    /// "3 more than a multiple of 7 above 100" stopped where generation
    /// left it (536,870,911, 206) in every seed, and "a multiple of 3 above
    /// 100" at the 255 its low bits gave in 8 of 20. The probe one step up
    /// costs a threshold a call (a trace's size one past a page multiple
    /// fails above it too), where the steps down cost eight. Only for a
    /// value still where generation left it (nothing adopted yet, the
    /// example as long as at the start with this value unchanged, or a
    /// value the failing example held, which deletions left), when no
    /// other pass explains it, and after every other pass: first among the
    /// last resorts, it cost "a common divisor over 10" nine calls in a
    /// third of 100 seeds, whose values `copyValues` moves. With nothing
    /// adopted at all required, a day of the year that counts the leap day
    /// from February on stopped at the leap year generation drew, its day
    /// lowered to 1, in 18 seeds of 20 (2 to 17 with this, 20 since a value
    /// from 11 above the simplest one is stepped, not from 21; a leap-year rule's day
    /// 60, unmoved at its minimum, pays eight calls there). Nor in an example with more than three
    /// integers away from their simplest values: there such a value is
    /// mostly a position or a count, and a step is a guess that can lead
    /// the other passes to a worse minimum (a buddy allocator's trace,
    /// already minimal, had one of its eight integers, a reserved range's
    /// start, stepped from 165 to 157, and ended one operation longer); a
    /// residue or a multiple is a property of one value or two. Not for a
    /// bound of the range, nor a value equal or next to another integer of
    /// the example: generation draws those on purpose, and an equality has
    /// no period.
    func lowerIsolatedIntegers() -> Bool {
        let moved = choices.indices.filter { k in
            if case .integer = choices[k].kind { return !choices[k].isSimplest }
            return false
        }
        guard moved.count <= Self.isolatedMostIntegers else { return false }
        for index in moved where !exhausted {
            // Where generation left it: nothing adopted yet, the example as
            // long as the one the shrink started from with this value
            // unchanged (a date's year, its day lowered), or a value the
            // failing example held anywhere (deletions moved it: the one
            // element of a set left, 216 where 8 is the least multiple of
            // 8, stayed there in 5 seeds of 20).
            let unmoved = adoptions == 0 || (choices.count == initialValues.count && values[index] == initialValues[index])
                || initialValues.contains(values[index])
            guard unmoved || jumpedTo.map({ $0.index == index && $0.adoptions == adoptions }) ?? false else { continue }
            if lowerIsolated(at: index) { return true }
        }
        return false
    }

    func lowerIsolated(at index: Int) -> Bool {
        guard case .integer(let c) = choices[index].kind, case .integer(let w) = values[index], !isCharacter(index),
              !isDoubleCode(index), w != c.min, w != c.max, !isNearAnotherInteger(index) else { return false }
        let distance = Self.distanceFromSimplest(w, c)
        // Every step fits below the value. (From twice the largest step
        // before: a leap year 18 above 1970, 1988, with its day lowered to
        // 1, stayed there in 3 seeds of 20, where steps of 4 reach 1972; an
        // offset that must equal 15 now pays the eight steps, nine calls.)
        guard distance > Self.isolatedPeriods.upperBound else { return false }
        let up = w > c.simplest
        func at(_ d: UInt64) -> [ChoiceValue] { replacing(index..<(index + 1), with: [.integer(c.value(atDistance: d, up: up))]) }
        guard hasTried(at(distance - 1)) else { return false }
        // One step away from the simplest value: a threshold fails there
        // too, a residue or a multiple passes.
        guard !failsWithoutAdopting(at(distance + 1)) else { return false }
        for step in Self.isolatedPeriods where !exhausted {
            if consider(at(distance - step)), case .integer(let lowered) = values[index] {
                _ = lowerByPeriod(at: index, adopted: [w, lowered], c)
                return true
            }
        }
        return lowerByCommonPeriod(at: index, c)
    }

    /// lcm(1...n) for n = 3...42 (the last below 2^63), ascending, each
    /// once: numbers with many divisors, each a multiple of every modulus up
    /// to n (360,360 of every one up to 15).
    static let commonPeriods: [UInt64] = {
        var periods: [UInt64] = []
        var l: UInt64 = 1
        for n in UInt64(1)...42 {
            l = l / greatestCommonDivisor(l, n) * n
            if n >= 3, periods.last != l { periods.append(l) }
        }
        return periods
    }()

    /// The primes of `commonPeriods`.
    static let smallPrimes: [UInt64] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41]

    /// Lowers the integer at `index`, a failure that holds on a residue of
    /// a modulus the steps of `lowerIsolated` (3 to 10) miss, by finding a
    /// period first and then its least divisor that is still one.
    ///
    /// A period is a distance `p` such that the value `p` nearer the
    /// simplest one fails too: the greatest common divisor of this
    /// integer's adopted moves (`failingPeriods`, after three of them),
    /// else (with `ladder`) the two largest `commonPeriods` below the
    /// distance and the largest powers of two up to half and to a quarter
    /// of it (a half can cross a threshold a quarter does not), one call
    /// each. A residue modulo k above a threshold fails at every multiple
    /// of k nearer, while above the threshold: lcm(1...16) is a multiple of
    /// every k up to 16 and of 18, 20, 21, 22, 24, 26, 28, 30, ... When
    /// none of those steps fails and the value one farther out passes (no
    /// threshold), the largest lcm and power of two that fit in the range
    /// beyond the value are asked there instead, never adopted: above the
    /// value no threshold can answer, and the largest lcm holds every
    /// prime up to 41 (once per value of the integer while that lowers
    /// nothing, `noPeriodAbove`). A period
    /// found, each prime is divided out while the value that much nearer
    /// still fails (asked of the value the pass started from, without
    /// adopting, on the side the period was found: every such value lies
    /// above the one the period reached, or above the value itself, so no
    /// threshold in between answers instead of the residue; powers of
    /// two by a bisection on the exponent), and `lowerByPeriod` steps the
    /// value down by the least period left.
    ///
    /// Fixed steps of 3 to 10 alone lowered "a multiple of 10 above 1000"
    /// and "3 more than a multiple of 7", and nothing else: with moduli
    /// drawn at random (11 to 40, thresholds up to 10^6, 240 runs) the
    /// values stopped where generation or the bit clearing left them in
    /// 230 runs (2^33 - 1, 2^22 + 304, the range's bound).
    func lowerByCommonPeriod(at index: Int, _ c: IntegerConstraints, ladder: Bool = true) -> Bool {
        guard case .integer(let w) = values[index], !isCharacter(index), !isDoubleCode(index) else { return false }
        let distance = Self.distanceFromSimplest(w, c)
        let count = choices.count
        let up = w > c.simplest
        func at(_ d: UInt64) -> Bool {
            guard !exhausted, choices.count == count else { return false }
            return consider(replacing(index..<(index + 1), with: [.integer(c.value(atDistance: d, up: up))]))
        }
        // How far from the simplest value the range reaches on this side.
        let room = up ? Self.distance(c.max, c.simplest) : Self.distance(c.simplest, c.min)
        /// Whether the value `p` farther from the simplest one than the
        /// starting value fails too (a question, never adopted).
        func failsAbove(_ p: UInt64) -> Bool {
            let (far, overflow) = distance.addingReportingOverflow(p)
            guard !overflow, far <= room, index < choices.count, choices.count == count else { return false }
            return failsWithoutAdopting(replacing(index..<(index + 1), with: [.integer(c.value(atDistance: far, up: up))]))
        }
        var period: UInt64?
        // Whether finding the period adopted a value (a step down by it).
        var stepped = false
        if let (g, moves) = failingPeriods[index], moves >= 3, g >= 3, g < distance, at(distance - g) { period = g; stepped = true }
        // Whether the period was found above the value (see below): its
        // divisors are then asked above it too.
        var above = false
        if ladder, period == nil {
            var candidates = Array(Self.commonPeriods.reversed().filter { $0 > Self.isolatedPeriods.upperBound && $0 < distance }.prefix(2))
            if distance >= 64 {
                let power = UInt64(1) << UInt64(63 - (distance / 2).leadingZeroBitCount)
                let lcms = candidates
                if !lcms.contains(where: { $0 % power == 0 }) { candidates.append(power) }
                if power >= 64, !lcms.contains(where: { $0 % (power / 2) == 0 }) { candidates.append(power / 2) }
            }
            for l in candidates where period == nil && !exhausted {
                if at(distance - l) { period = l; stepped = true }
            }
            // Each step down may have crossed a threshold the value lies
            // just above (2^22 for a multiple of 4096 above 3,942,666), and
            // a prime the ladder lacks below the value (37 near 10^9) has
            // no candidate there. Above the value no threshold answers
            // instead of the residue: when the value one further passes (a
            // threshold fails there), the largest lcm and power of two
            // that fit in the range are asked there, never adopted.
            if period == nil, !exhausted, room > distance, noPeriodAbove[index] != w, !failsAbove(1) {
                let fits = room - distance
                var upward: [UInt64] = []
                if let l = Self.commonPeriods.last(where: { $0 <= fits && $0 > Self.isolatedPeriods.upperBound }) { upward.append(l) }
                if fits >= 64 {
                    let power = UInt64(1) << UInt64(63 - fits.leadingZeroBitCount)
                    if !upward.contains(where: { $0 % power == 0 }) { upward.append(power) }
                }
                for l in upward where period == nil && !exhausted {
                    if failsAbove(l) { period = l; above = true }
                }
                if period == nil { noPeriodAbove[index] = w }
            }
        }
        guard var period else { return false }
        // A power of two found above a value nearer the simplest one than
        // any power that could step it down (a page multiple's length at
        // 512 in 1...2048, where 1,024 was found above): only the largest
        // power below the distance is asked, and when that is no period,
        // no smaller one is either (one call where the bisection took three).
        if above, period.nonzeroBitCount == 1, period >= distance {
            // (No power of at least 3 lies below a distance of 4 or less.)
            let below = distance > 4 ? UInt64(1) << UInt64(63 - (distance - 1).leadingZeroBitCount) : 0
            guard below >= 3, !exhausted, failsAbove(below) else {
                noPeriodAbove[index] = w
                return false
            }
            period = below
        }
        /// Whether `p` is a period, asked at the value the pass started from
        /// (above it when the period was found there).
        func isPeriod(_ p: UInt64) -> Bool {
            if above { return failsAbove(p) }
            return index < choices.count
                && failsWithoutAdopting(replacing(index..<(index + 1), with: [.integer(c.value(atDistance: distance - p, up: up))]))
        }
        for p in Self.smallPrimes where !exhausted {
            if p == 2, period % 4 == 0 {
                // The least power of two kept that is still a period, by a
                // bisection on its exponent (2^22 to 2^9 in five calls or fewer).
                var exponent = 0
                while exponent < 62, period % (UInt64(1) << UInt64(exponent + 1)) == 0 { exponent += 1 }
                let odd = period >> UInt64(exponent)
                var lo = 0, hi = exponent
                while lo < hi, !exhausted {
                    let mid = (lo + hi) / 2
                    if odd << UInt64(mid) >= 3, isPeriod(odd << UInt64(mid)) { hi = mid } else { lo = mid + 1 }
                }
                period = odd << UInt64(hi)
                continue
            }
            while period % p == 0, period / p >= 3, !exhausted, isPeriod(period / p) { period /= p }
        }
        let lowered = lowerByPeriod(at: index, period: period, c)
        if above, !lowered { noPeriodAbove[index] = w }
        return stepped || lowered
    }

    /// Whether another integer of the example equals the one at `index` or
    /// is one away from it: generation draws such values on purpose, and
    /// an equality or an order between them is no residue.
    func isNearAnotherInteger(_ index: Int) -> Bool {
        guard case .integer(let w) = values[index] else { return false }
        return values.indices.contains { k in
            guard k != index, case .integer(let x) = values[k] else { return false }
            return x == w || x == w &- 1 || x == w &+ 1
        }
    }

    /// Tries the integer at `index` with only its distance's low 8, 16 and
    /// 32 bits (smallest first, each only when it is nearer the simplest
    /// value and not the simplest itself), and adopts the first that fails.
    ///
    /// A multiple or a residue holds for about one value in its modulus,
    /// wherever they are; the low bits keep the value's residue modulo a
    /// power of two, and jump near the simplest value. "A multiple of 3
    /// above 100" went from `Int64.max - 1` to `2^62 - 1` by half the
    /// rank, then 120 probes failed and it stayed there; its low byte, 255,
    /// fails the property too.
    func lowerToLowBits(at index: Int, _ c: IntegerConstraints) -> Bool {
        guard case .integer(let w) = values[index] else { return false }
        let distance = Self.distanceFromSimplest(w, c)
        for bits in Search.lowBitWidths where !exhausted {
            let low = distance & ((1 << bits) - 1)
            guard low > 0, low < distance else { continue }
            if consider(replacing(index..<(index + 1), with: [.integer(c.value(atDistance: low, up: w > c.simplest))])) {
                jumpedTo = (index, adoptions)
                return true
            }
        }
        return false
    }
}
