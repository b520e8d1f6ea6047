import AllocCheck

// A trace shrink pass for kmalloc request sizes: each is tried at the edges
// of the size classes below it, the smallest first.
//
// A size-class defect fails on sizes scattered over the order (a lookup that
// rounds down fails from one past a class's size up to some way below the
// next class), so the engine's searches, which take a passing probe to mean
// every smaller size passes, stop where they start: a trace found at
// `kmalloc size=33` stayed there, though 9 fails alike (the `kmalloc` and
// `mixed` targets' `kmalloc-class-off-by-one` cases). Class edges are where
// such defects live, so each kmalloc size is tried at 1 and at every class
// size and the size one past it below its own, ascending, and moved to the
// first that keeps the failure kind.
//
// Runs when the engine and the step passes have stopped; at most 27 judged
// candidates per kmalloc step, on the shortest trace. Only kmalloc sizes
// move, each to a smaller one, so the trace is simpler.

enum KmallocSizeEdges {
    /// `trace` with each kmalloc size moved to the smallest edge below it
    /// that keeps the failure kind `kind` under `judge`; nil when none
    /// moved. Every judged candidate counts one call; none is judged once
    /// `calls` reaches `budget`.
    static func lower<S: AllocatorUnderTest>(_ trace: Trace, kind: String, judge: Judge<S>,
                                             budget: Int, calls: inout Int) -> Trace? {
        var current = trace
        var changed = false
        for index in trace.operations.indices {
            guard case .kmalloc(let size) = current.operations[index] else { continue }
            for edge in edges(below: size) where calls < budget {
                var candidate = current
                candidate.operations[index] = .kmalloc(size: edge)
                calls += 1
                guard judge.check(candidate)?.failureKind == kind else { continue }
                (current, changed) = (candidate, true)
                break
            }
        }
        return changed ? current : nil
    }

    /// 1, then each standard kmalloc class size and the size one past it,
    /// below `size`, ascending.
    static func edges(below size: Int) -> [Int] {
        ([1] + SlabAllocator.standardKmallocClasses.flatMap { [$0, $0 + 1] }).filter { $0 < size }
    }
}
