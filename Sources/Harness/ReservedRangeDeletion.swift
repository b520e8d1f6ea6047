// A trace shrink pass for the arena's setup: a reserved range the failure
// does not need is deleted, the steps kept as they are.
//
// The engine sees the number of reserved ranges and then each range's start
// and length. Lowering the number alone leaves the deleted range's two
// choices to be read as the first operation, so the deletion changes the
// trace and rarely keeps the failure: a slab defect that no reservation
// touches kept `reserved=0..<1` in 14 of 20 shrunk traces. Making the
// ranges a collection the engine deletes with its count was tried and not
// kept: the engine then deleted the reservation early, where a page
// defect needs one, and traded it for an extra allocation (one operation
// more in 3 defects' traces, in up to 4 seeds of 20 each).
//
// So the deletion is made here, last, on the trace: each range (from the
// last) is tried once, and kept out when the failure kind is the same. The
// operations are not touched, so the trace keeps its length.

enum ReservedRangeDeletion {
    /// `trace` without each reserved range whose deletion kept the failure
    /// kind `kind` under `judge`; nil when none did. Every judged candidate
    /// counts one call; none is judged once `calls` reaches `budget`.
    static func delete<S: AllocatorUnderTest>(_ trace: Trace, kind: String, judge: Judge<S>,
                                              budget: Int, calls: inout Int) -> Trace? {
        var current = trace
        var changed = false
        for index in trace.arena.reserved.indices.reversed() where calls < budget {
            var candidate = current
            candidate.arena.reserved.remove(at: index)
            calls += 1
            guard judge.check(candidate)?.failureKind == kind else { continue }
            (current, changed) = (candidate, true)
        }
        return changed ? current : nil
    }
}
