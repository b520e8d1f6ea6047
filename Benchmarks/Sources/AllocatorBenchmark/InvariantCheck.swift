import Invariants

/// The full invariant check the benchmark times: every checker of the suite
/// over one snapshot. Returns the number of violations.
@inline(never)
func runFullInvariantCheck(_ snapshot: AllocatorSnapshot) -> Int {
    InvariantSuite.checkAll(snapshot).count
}

/// Each checker of the suite on its own, in report order, for the
/// per-checker breakdown. Each returns its number of violations.
func individualInvariantChecks() -> [(name: String, check: (AllocatorSnapshot) -> Int)] {
    InvariantSuite.all.map { invariant in
        (invariant.name.rawValue, { invariant.check($0).count })
    }
}
