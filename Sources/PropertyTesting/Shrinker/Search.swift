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

    /// The smallest rank below `current` that works (or `current`): tries 0
    /// and 1, then probes upwards by doubling, then bisects between the last
    /// failure and the first success. Small answers are found cheaply.
    static func lowestRank(current: UInt64, _ works: (UInt64) -> Bool) -> UInt64 {
        if current == 0 { return 0 }
        if works(0) { return 0 }
        if current == 1 { return 1 }
        if works(1) { return 1 }
        var lo: UInt64 = 1          // known not to work
        var hi: UInt64 = current    // known to work
        var probe: UInt64 = 2
        while probe < hi {
            if works(probe) { hi = probe; break }
            lo = probe
            if probe > UInt64.max / 2 { break }
            probe *= 2
        }
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2
            if works(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }
}
