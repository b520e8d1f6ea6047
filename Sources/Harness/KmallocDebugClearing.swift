// A trace shrink pass for the arena's setup: the kmalloc classes' debug
// options (`kmalloc_debug=`) the failure does not need are cleared, the
// steps kept as they are.
//
// The engine shrinks the trace's bytes, where the options share one choice
// with the number of reserved ranges (the count plus a multiple of the
// options), whose lowering rarely lands on the count alone with the
// options gone; a shrink of fuzzer bytes of the pages target kept
// `kmalloc_debug=ZU` on a trace with no kmalloc step, which a second shrink
// of the result (from its canonical bytes) then dropped: the same failure
// saved under two names. So the options are cleared here, last, on the
// trace: all of them first, else each one, and kept cleared when the
// failure kind is the same.

import AllocCheck

enum KmallocDebugClearing {
    /// `trace` with as few kmalloc debug options as keep the failure kind
    /// `kind` under `judge`; nil when none could go. Every judged candidate
    /// counts one call; none is judged once `calls` reaches `budget`.
    static func clear<S: AllocatorUnderTest>(_ trace: Trace, kind: String, judge: Judge<S>,
                                             budget: Int, calls: inout Int) -> Trace? {
        guard !trace.arena.kmallocDebug.isEmpty, calls < budget else { return nil }
        var cleared = trace
        cleared.arena.kmallocDebug = []
        calls += 1
        if judge.check(cleared)?.failureKind == kind { return cleared }
        // One at a time, in the letters' order (F, Z, P, U).
        var current = trace, changed = false
        for option: SlabDebugOptions in [.consistencyChecks, .redZone, .poison, .ownerTracking]
        where current.arena.kmallocDebug.contains(option) && calls < budget {
            var candidate = current
            candidate.arena.kmallocDebug.remove(option)
            calls += 1
            if judge.check(candidate)?.failureKind == kind { (current, changed) = (candidate, true) }
        }
        return changed ? current : nil
    }
}
