// Integer searches used by the passes.
//
// Invariant: each search only calls its predicate on values it has not
// already decided, and returns a value for which the predicate held (or the
// known-good starting point).

enum Search {
    /// The largest `n` for which `works(n)` holds, given `works(0)`: probes
    /// 1, 2, 3, 4, then doubles, then bisects. Cost is logarithmic in the answer.
    static func findInteger(limit: Int = .max, _ works: (Int) -> Bool) -> Int {
        var lo = 0
        for n in 1...4 {
            if n > limit || !works(n) { return lo }
            lo = n
        }
        var hi = lo * 2
        while hi <= limit, works(hi) {
            lo = hi
            if hi > limit / 2 { return lo }
            hi *= 2
        }
        hi = Swift.min(hi, limit + 1)
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2
            if works(mid) { lo = mid } else { hi = mid }
        }
        return lo
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
    /// `beforeLocalSteps` runs just before the local search; when it returns
    /// true it has changed the state itself (the known-good point has moved),
    /// so the search stops and returns `current`.
    static func lowestRank(current: UInt64, beforeLocalSteps: () -> Bool = { false }, _ works: (UInt64) -> Bool) -> UInt64 {
        if current == 0 { return 0 }
        if works(0) { return 0 }
        if current == 1 { return 1 }
        let half = current / 2
        if half >= 1, works(half) {
            var lo: UInt64 = 0          // known not to work
            var hi: UInt64 = half       // known to work
            var probe: UInt64 = 1
            while probe < hi {
                if works(probe) { hi = probe; break }
                lo = probe
                probe *= 2
            }
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
        if decrease == 0, limit >= 2, works(current - 2) {
            decrease = 2 + findInteger(limit: limit - 2) { k in works(current - 2 - UInt64(k)) }
        }
        return current - UInt64(decrease)
    }
}
