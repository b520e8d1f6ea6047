// Integer searches used by the passes.
//
// Invariant: each search only calls its predicate on values it has not
// already decided, and returns a value for which the predicate held (or the
// known-good starting point).

enum Search {
    /// The largest `n` up to `limit` for which `works(n)` holds, given
    /// `works(0)`: probes 1, 2, 3, 4, then doubles, then bisects (between the
    /// last doubling that worked and `limit` once a doubling would pass it).
    /// Cost is logarithmic in the answer.
    static func findInteger(limit: Int = .max, _ works: (Int) -> Bool) -> Int {
        var lo = 0
        for n in 1...4 {
            if n > limit || !works(n) { return lo }
            lo = n
        }
        var hi = lo * 2
        // One past the largest value that may work (`limit` itself when it
        // is `.max`, which no caller can reach).
        let end = limit == .max ? limit : limit + 1
        while hi <= limit, works(hi) {
            lo = hi
            // The next doubling would pass the limit: bisect up to it.
            if hi > limit / 2 { hi = end; break }
            hi *= 2
        }
        hi = Swift.min(hi, end)
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2
            if works(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Narrows `(lo, hi)`, where `hi` works and `lo` is below every value
    /// tried so far that works, with powers of two (`parity` or-ed in) at
    /// exponents from `firstExponent`: up by one to 4, then doubling (8,
    /// 16, 32), then a bisection of the exponent between the last that
    /// failed and the first that worked (or `hi`'s). Returns the bracket
    /// for a bisection of the value: a threshold of b bits costs about
    /// 2 log b probes to bracket instead of b ("x >= 10^12" some 12, not
    /// 40), and a small one what doubling did.
    ///
    /// With `masks` the probes are masks of all ones, 2^e - 1, in place of
    /// powers (a threshold brackets alike, one below).
    static func bracketByPowers(lo: UInt64, hi: UInt64, parity: UInt64 = 0, masks: Bool = false, firstExponent: Int,
                                _ works: (UInt64) -> Bool) -> (lo: UInt64, hi: UInt64) {
        var lo = lo, hi = hi
        func power(_ e: Int) -> UInt64 { masks ? (1 << UInt64(e)) - 1 : (1 << UInt64(e)) | parity }
        var lowExp = firstExponent - 1, highExp = 64 - hi.leadingZeroBitCount
        var e = firstExponent
        while e < highExp, power(e) < hi {
            if power(e) > lo {
                if works(power(e)) { hi = power(e); highExp = e; break }
                lo = power(e)
            }
            lowExp = e
            e = e < 4 ? e + 1 : e * 2
        }
        while lowExp + 1 < highExp {
            let m = (lowExp + highExp) / 2
            guard power(m) < hi else { highExp = m; continue }
            guard power(m) > lo else { lowExp = m; continue }
            if works(power(m)) { hi = power(m); highExp = m } else { lo = power(m); lowExp = m }
        }
        return (lo, hi)
    }

    /// A low rank below `current` that works (or `current`).
    ///
    /// Tries 0, then half of `current`. When half works the answer is
    /// far below, so it probes upwards from 1 by doubling and bisects between
    /// the last failure and the first success (cost logarithmic in the
    /// answer). When half fails only a local improvement is likely, so it
    /// finds the largest working decrease by 1, 2, 3, 4, 8, … instead; a
    /// value that cannot move costs four calls, not a full bisection.
    ///
    /// With `skipOne` false, a failed step of one ends the local search
    /// (no step of two after it).
    ///
    /// `beforeLocalSteps` runs just before the local search; when it returns
    /// true it has changed the state itself (the known-good point has moved),
    /// so the search stops and returns `current`.
    static func lowestRank(current: UInt64, skipOne: Bool = true, beforeLocalSteps: () -> Bool = { false },
                           _ works: (UInt64) -> Bool) -> UInt64 {
        if current == 0 { return 0 }
        if works(0) { return 0 }
        if current == 1 { return 1 }
        let half = current / 2
        if half >= 1, works(half) {
            // 0 known not to work, half known to work.
            var (lo, hi) = bracketByPowers(lo: 0, hi: half, firstExponent: 0, works)
            while lo + 1 < hi {
                let mid = lo + (hi - lo) / 2
                if works(mid) { hi = mid } else { lo = mid }
            }
            return hi
        }
        if beforeLocalSteps() { return current }
        let floor = half  // half and below are assumed not to work
        let limit = Int(clamping: current - floor - 1)
        var decrease = findInteger(limit: limit) { k in works(current - UInt64(k)) }
        // Neighbouring values often fail for a reason one step further does
        // not (an excluded difference of 0), so one skip is worth a call.
        if skipOne, decrease == 0, limit >= 2, works(current - 2) {
            decrease = 2 + findInteger(limit: limit - 2) { k in works(current - 2 - UInt64(k)) }
        }
        return current - UInt64(decrease)
    }

    /// A simpler value than `value` in `c` that works (or `value`).
    ///
    /// Searches on rank as `lowestRank` does (the simplest value, then half
    /// the rank, and when that works, probes up from rank 1 and bisects),
    /// except for the local steps. Rank order alternates sides (0, 1, -1, 2,
    /// -2, …), so stepping down in rank alternates the sign too: lowering
    /// 10^12 towards the threshold of "x >= T" went down one value per few
    /// calls, every other probe a negative value that could never work. The
    /// local steps first try the value just before in rank (the other side,
    /// for a failure that needs a non-zero or distinct value); when it works
    /// they go on in rank order, and otherwise they search on the distance
    /// from the simplest value within the value's own side (decreases of 1,
    /// 2, 3, 4, then doubling, then bisection), which is logarithmic in how
    /// far the value can move. When a decrease of one fails and one of two
    /// works (a parity), the value's parity is kept: half the distance with
    /// it, then decreases by multiples of two, with no floor below. The
    /// probes up from the simplest value keep the parity too. Every probe is
    /// simpler than `value`.
    ///
    /// `nearbyOnly` leaves out the two probes that pay off for a single
    /// value: the value just before in rank (on the other side) and a step
    /// of two after a step of one failed. `stepOfTwo` is asked, with the
    /// value of the failed step of one, whether the step of two is worth a
    /// call.
    ///
    /// `failingUpTo` is a distance from the simplest value, on `value`'s
    /// side, at and below which values are taken not to work (a floor an
    /// earlier search assumed, see `LowerChoices.swift`): the half probes
    /// at or below it are skipped and the local steps stop above it.
    /// `assumed` is told, before the local steps, the distance at and below
    /// which they take values on this side not to work (a probe there
    /// failed, or `failingUpTo`).
    ///
    /// `lowBitsWhenSparse` cuts short a bisection up to a half that worked
    /// once its first `passesBeforeLowBits` probes have all passed: the
    /// half's low 8, 16 and 32 bits are tried, and the search stops at the
    /// half when none works (a failure that is not monotone in the value;
    /// a threshold would have to lie in the top 1/64 of the bracket, and
    /// the local steps of the next round find it there). With
    /// `halvesWhenSparse` (a machine word) the half is then halved again
    /// while that works. Either way `cutAsSparse` is told
    /// (`lowerByCommonPeriod` then looks for a period). With
    /// `lowBitsWhenSparse` a distance above 255 also
    /// has its low byte tried once, before the probes up from the simplest
    /// value.
    ///
    /// `masksHighBits` (an unsigned machine word) then drops the distance's
    /// high bits before the probes up: when the distance without its top
    /// bit still works, a bisection on the number of low bits kept finds
    /// the fewest that work (Hypothesis masks high bits too). A failure
    /// that lives in the low bits (three free pages in a row of a bitmap)
    /// passed at the powers of two, and the bisection then adopted one low
    /// bit a call towards a threshold that is not there: 85 median calls
    /// from the first failure, 29.5 now. A threshold pays one call. Not for
    /// signed words or doubles' codes, whose thresholds paid up to seven
    /// median calls on suite rows.
    static func lowestSimpler(of value: Int64, in c: IntegerConstraints, nearbyOnly: Bool = false, lowBitsWhenSparse: Bool = false,
                              halvesWhenSparse: Bool = false, masksHighBits: Bool = false,
                              stepOfTwo: (Int64) -> Bool = { _ in true }, failingUpTo: UInt64 = 0,
                              assumed: (UInt64) -> Void = { _ in }, cutAsSparse: () -> Void = {},
                              beforeLocalSteps: () -> Bool = { false }, _ works: (Int64) -> Bool) -> Int64 {
        let s = c.simplest
        let rank = c.rank(of: value)
        if rank == 0 { return value }
        if works(s) { return s }
        if rank == 1 { return value }
        let half = rank / 2
        let up = value > s
        let distance = up ? UInt64(bitPattern: value &- s) : UInt64(bitPattern: s &- value)
        func at(_ d: UInt64) -> Int64 { c.value(atDistance: d, up: up) }
        /// The smallest distance in `1...hi` on this side that works, given
        /// that `hi` works; the two values at distance 1 (ranks 1 and 2, one
        /// on each side, the commonest answers) are probed first.
        func probeAndBisect(_ hi: UInt64) -> Int64 {
            let known = c.rank(of: at(hi))
            for r in UInt64(1)...2 where r < known {
                let v = c.value(atRank: r)
                if works(v) { return v }
            }
            if hi == 1 { return at(1) }
            // The value's low byte, once, before the powers (Hypothesis
            // tries it too): a failure set by one bit of the low byte (a
            // byte swap that smears a sign) fails at values scattered
            // through the range, and the bisection below adopted one a
            // call, 16,383 to 8,320 in 24 calls. A threshold pays a call.
            // (A mask's low byte is the mask 2^8 - 1, which the masks below
            // probe.)
            let masks = halvesWhenSparse && hi > 0xFF && hi & (hi &+ 1) == 0
            if lowBitsWhenSparse, !masks, hi > 0xFF, hi & 0xFF > 2, works(at(hi & 0xFF)) { return probeAndBisect(hi & 0xFF) }
            // (At least the low byte is kept: it was tried just above.)
            if masksHighBits, !masks, hi > 0xFF {
                let width = 64 - hi.leadingZeroBitCount
                func low(_ bits: Int) -> UInt64 { hi & ((1 << UInt64(bits)) - 1) }
                if low(width - 1) > 2, works(at(low(width - 1))) {
                    var fails = 8, keeps = width - 1
                    while fails + 1 < keeps {
                        let mid = (fails + keeps) / 2
                        if low(mid) == low(keeps) || low(mid) > 2 && works(at(low(mid))) { keeps = mid } else { fails = mid }
                    }
                    return probeAndBisect(low(keeps))
                }
            }
            var lo: UInt64 = 1, hi = hi
            // The probes up keep the parity of the value's distance (3, 5,
            // 9, 17, … from an odd one): a failure that needs an odd value
            // ("x > 1000 and odd" from 999,999) passed on every even probe
            // and bisected into a wrong threshold, one halving per round.
            // For a threshold either parity finds the bracket alike. A
            // machine word's mask of all ones is bracketed by masks: a
            // failure that needs every low bit set (a size class read from
            // a double's exponent, wrong from 2^54 - 1 on) passes at every
            // power of two and at every probe of the bisection.
            (lo, hi) = bracketByPowers(lo: lo, hi: hi, parity: distance & 1, masks: masks, firstExponent: 1) { works(at($0)) }
            let top = hi
            var passedInARow = 0
            // Bracketed by two masks a bit apart, 2^(e-1) - 1 and 2^e - 1:
            // the power and the power plus one just above the lower mask go
            // first (a bound such as "below Int32.min", a distance of 2^31
            // + 1, bisected over 31 probes from the mask below it), and when
            // the bisection's first probe passes, one below the upper mask
            // says whether anything in the upper half works (for a
            // threshold, half a call on average).
            let maskBracket = masks && hi & (hi &+ 1) == 0 && lo == hi >> 1 && hi - lo > 4
            // (The bisection's probes stay those from the lower mask, which
            // set the bits below the top one: "bits 5 and 9 set" from 1,023
            // takes 767.)
            if maskBracket, works(at(lo + 2)) { hi = lo + 2 }
            while lo + 1 < hi {
                let mid = lo + (hi - lo) / 2
                if works(at(mid)) { hi = mid } else { lo = mid; passedInARow += 1 }
                if maskBracket, passedInARow == 1, hi == top {
                    if !works(at(hi - 1)) { return at(hi) }
                    hi -= 1
                }
                // Every probe of the bisection passed so far: a threshold
                // would have to lie within the top 1/64 of the bracket,
                // rare, where a multiple or a residue is usual (powers of
                // two and the bisection's probes up to a value of all ones,
                // 2^62 - 1, are never multiples of 3). The value's low 8,
                // 16 and 32 bits keep its residue modulo a power of two.
                if lowBitsWhenSparse, hi == top, passedInARow == Self.passesBeforeLowBits {
                    for bits in Self.lowBitWidths {
                        let low = top & ((1 << bits) - 1)
                        if low > 2, low < lo, works(at(low)) { return probeAndBisect(low) }
                    }
                    // Halving worked where every probe below it passed: in
                    // a machine word it may work again (a mask of all ones,
                    // 2^k - 1, halves to 2^(k-1) - 1, and a size class read
                    // from a double's exponent is wrong for every such mask
                    // from 2^54 - 1 on: 106 calls, a round of twenty for
                    // each halving). Halved while that works, one call past
                    // it. Not for a quantity: "a multiple of 10 above 1000"
                    // halved from 500,000 to 31,250, whose adopted values
                    // then shared no useful period (`lowerByPeriod`), and
                    // stopped there in 17 seeds of 20.
                    while halvesWhenSparse, hi / 2 > 2, works(at(hi / 2)) { hi /= 2 }
                    cutAsSparse()
                    return at(hi)
                }
            }
            return at(hi)
        }
        let halfValue = c.value(atRank: half)
        // The distance from the simplest value at and below which a probe
        // on this side failed (0 when none did).
        var failedDistance: UInt64 = 0
        var halfFailed: UInt64 = 0
        if half >= 1, (halfValue > s) == up {
            // Half the rank lies on this side (an odd rank, or past the end
            // of the other side): search on the distance, not the rank.
            let halfDistance = up ? UInt64(bitPattern: halfValue &- s) : UInt64(bitPattern: s &- halfValue)
            if halfDistance > failingUpTo, works(halfValue) { return probeAndBisect(halfDistance) }
            failedDistance = halfDistance
        } else if half >= 1, works(halfValue) {
            // Half the rank, on the other side, works: the failure holds on
            // both sides here, and the rank search finds the simplest value
            // of either (a list of distinct values needs both signs).
            // Rank 0 known not to work, half known to work.
            var (lo, hi) = bracketByPowers(lo: 0, hi: half, firstExponent: 0) { works(c.value(atRank: $0)) }
            while lo + 1 < hi {
                let mid = lo + (hi - lo) / 2
                if works(c.value(atRank: mid)) { hi = mid } else { lo = mid }
            }
            return c.value(atRank: hi)
        }
        // Above the simplest value (the side that comes first at each
        // distance), half the rank lands on the other side for every other
        // value (596116273's is -298058136), where a failure that needs the
        // value's sign passes: half the distance on this side is tried next,
        // before the neighbour shifts and the step across zero below.
        if up, half >= 1, (halfValue > s) != up, distance >= 4 {
            if distance / 2 > failingUpTo, works(at(distance / 2)) { return probeAndBisect(distance / 2) }
            halfFailed = distance / 2
        }
        if beforeLocalSteps() { return value }
        let previous = c.value(atRank: rank - 1)
        if !nearbyOnly, (previous > s) != up {
            if works(previous) {
                // Both sides work near here: go on in rank order, above half,
                // with `largestWorking`'s bisection (`findInteger` stopped
                // doubling at half the limit, and a magnitude of at least
                // 2^62 from `Int64.max` took two rounds of some sixty probes).
                let limit = rank - 1 - half - 1
                let more = largestWorking(limit: limit) { k in works(c.value(atRank: rank - 1 - k)) }
                return c.value(atRank: rank - 1 - more)
            }
        }
        // Half the distance on this side: when it works the answer is far
        // below, found by probing up from distance 1 and bisecting.
        if halfFailed == 0, distance >= 4, (halfValue > s) != up {
            if distance / 2 > failingUpTo, works(at(distance / 2)) { return probeAndBisect(distance / 2) }
            halfFailed = distance / 2
        }
        // The local steps stop short of the half that failed: as in
        // `lowestRank`, half and below are assumed not to work (from 188
        // with 94 failing, steps of 64 and then 93, not 128, before the
        // bisection).
        failedDistance = Swift.min(Swift.max(failedDistance, failingUpTo), distance - 1)
        assumed(Swift.max(failedDistance, Swift.min(halfFailed, distance - 1)))
        let limit = distance - 1 - failedDistance
        var decrease = largestWorking(limit: limit) { k in works(at(distance - k)) }
        // As in `lowestRank`: the neighbouring value often fails for a reason
        // one step further does not (an excluded difference of 0).
        if !nearbyOnly, decrease == 0, limit >= 2, stepOfTwo(at(distance - 1)), works(at(distance - 2)) {
            // One step failed and two worked: the failure is not monotone
            // in the value (a parity, an excluded difference), so neither
            // half's failure nor the floor says anything about the values
            // below. Steps of two keep the parity ("x > 1000 and odd" from
            // 32,889 went down to 1,001; steps of one after the first
            // stopped at every even value, one round each).
            assumed(0)
            // Half the distance with the value's parity: a half that failed
            // may have failed on its parity alone ("even and above 1000"
            // from Int64.max - 1, whose steps of two took 60 calls to cross
            // 2^62), and when this one works the answer is far below.
            let halfKept = (distance / 2) & ~1 | (distance & 1)
            if halfKept >= 1, halfKept < distance - 2, halfKept != distance / 2, works(at(halfKept)) {
                return probeAndBisect(halfKept)
            }
            decrease = 2 + 2 * largestWorking(limit: (distance - 3) / 2) { k in works(at(distance - 2 - 2 * k)) }
        }
        return at(distance - decrease)
    }

    /// The widths, smallest first, of the low bits a value sparse failures
    /// hold on is tried with (here and in `Shrinker.lowerToLowBits`).
    static let lowBitWidths: [UInt64] = [8, 16, 32]

    /// Passing probes in a row at the start of `lowestSimpler`'s bisection
    /// after which the value's low bits are tried and the bisection stops
    /// (`lowBitsWhenSparse`). At 8, "a multiple of 3 above 100" still
    /// bisected 128 to 255 in full (seven probes, none a multiple of 3).
    static let passesBeforeLowBits = 6

    /// Limits from which `largestWorking` stops doubling at two thirds of
    /// the bits (see there).
    static let bisectedLimitFloor: UInt64 = 1 << 16

    /// Whether `n` has more than two thirds of the bits of `limit` (n³ > limit²).
    static func pastTwoThirdsOfTheBits(_ n: UInt64, of limit: UInt64) -> Bool {
        let n = Double(n), limit = Double(limit)
        return n * n * n > limit * limit
    }

    /// The largest `n` in `0...limit` for which `works(n)` holds, given
    /// `works(0)` and that it holds on a prefix of `0...limit`: probes 1, 2,
    /// 3, 4, then doubles (the last probe is `limit` itself), then bisects.
    /// From a limit of `bisectedLimitFloor`, doubling stops before a probe
    /// with more than two thirds of the bits of `limit`, and the bisection
    /// then runs between the last working probe and `limit`. Unlike
    /// `findInteger` it does not stop when doubling passes half the limit,
    /// so one call costs at most about twice the bits of the answer, or
    /// five thirds of the bits of a large `limit` (a value lowered across
    /// 2^62 in one search, not one halving per round).
    static func largestWorking(limit: UInt64, _ works: (UInt64) -> Bool) -> UInt64 {
        var lo: UInt64 = 0
        for n in UInt64(1)...4 {
            if n > limit || !works(n) { return lo }
            lo = n
        }
        var hi: UInt64
        while true {
            if lo == limit { return lo }
            // Doubling on to an answer costs about twice its bits, a
            // bisection of what is left the bits of `limit`. Where half
            // failed (a threshold the value must stay above), an answer
            // that survived this far is often near the limit in bits: from
            // 4,000,000,000 with "x >= 3,000,000,000" in a 32-bit range,
            // 53 probes with the bisection from 2^20, 61 doubling on. Below two thirds of the bits, and for small limits,
            // doubling stays: answers there were mostly small (on the
            // shrink-quality problems stopping at the square root, or at two
            // thirds below 2^16, raised the median calls of `int8`, `uint8`
            // and `uint64` problems).
            if limit >= Self.bisectedLimitFloor, limit < .max, Self.pastTwoThirdsOfTheBits(lo * 2, of: limit) {
                hi = limit + 1
                break
            }
            let next = lo > limit / 2 ? limit : lo * 2
            if works(next) { lo = next } else { hi = next; break }
        }
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2
            if works(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }
}
