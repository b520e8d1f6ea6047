/// One invariant over an `AllocatorSnapshot`.
///
/// A checker judges only the snapshot, never an allocator's internals, and
/// must be total: for any snapshot at all (bad pfns in links, orders above the
/// top order, cycles, out-of-range indices) it returns, in time linear in the
/// snapshot, the list of what is wrong instead of crashing or looping.
public protocol SnapshotInvariant {
    /// The invariant's stable name, used in every violation it reports.
    static var name: InvariantName { get }
    /// Every violation of this invariant in `snapshot`: the first `limit` in
    /// full, then one summary line counting the rest.
    static func check(_ snapshot: AllocatorSnapshot, limit: Int) -> [Violation]
}

extension SnapshotInvariant {
    /// `check(_:limit:)` with `Violation.defaultLimit`.
    public static func check(_ snapshot: AllocatorSnapshot) -> [Violation] {
        check(snapshot, limit: Violation.defaultLimit)
    }
}

/// Runs every invariant over a snapshot.
public enum InvariantSuite {
    /// Every invariant, in report order. Each is independent of the others, so
    /// any subset can run alone.
    public static var all: [any SnapshotInvariant.Type] {
        [
            NoOverlap.self,
            Alignment.self,
            BuddiesCoalesced.self,
            FreeListConsistency.self,
            ExactTrimAccounting.self,
            SlabOwnership.self,
        ]
    }

    /// The names of every invariant, in report order.
    public static var names: [InvariantName] { all.map { $0.name } }

    /// Every violation of every invariant, grouped by invariant in the order of `all`.
    /// Empty exactly when the snapshot satisfies every invariant.
    public static func checkAll(_ snapshot: AllocatorSnapshot, limit: Int = Violation.defaultLimit) -> [Violation] {
        var violations: [Violation] = []
        for invariant in all {
            violations += invariant.check(snapshot, limit: limit)
        }
        return violations
    }

    /// The violations of the named invariants only (names not in `all` are ignored).
    public static func check(
        _ snapshot: AllocatorSnapshot, only names: [InvariantName], limit: Int = Violation.defaultLimit
    ) -> [Violation] {
        var violations: [Violation] = []
        for invariant in all where names.contains(invariant.name) {
            violations += invariant.check(snapshot, limit: limit)
        }
        return violations
    }
}

extension AllocatorSnapshot {
    /// Every invariant violation in this snapshot (`InvariantSuite.checkAll`).
    public var violations: [Violation] { InvariantSuite.checkAll(self) }
}
