import AllocCheck
import Invariants
import Testing

/// A tiny seeded generator (SplitMix64), so every randomized test repeats
/// exactly from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E1D5
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// An order in `0...top`, mostly small: each step up is half as likely.
    mutating func smallOrder(top: Int) -> Int {
        var order = 0
        while order < top && next() & 1 == 0 { order += 1 }
        return order
    }
}

/// The invariants that report anything, sorted, to compare with an expected set.
func firing(_ violations: [Violation]) -> [InvariantName] {
    var names: [InvariantName] = []
    for violation in violations where !names.contains(violation.invariant) {
        names.append(violation.invariant)
    }
    return names.sorted()
}

/// The page frame of an address the allocator handed out.
func pfn(_ allocator: PageAllocator, _ address: UnsafeMutableRawPointer) -> Int {
    allocator.pageFrame(containing: address)!
}

/// Re-threads every free list from the page marks alone: each `.free` head is
/// appended, in pfn order, to the list of its order, and the counts are set.
/// Lets a test re-mark blocks by hand and still leave the lists well formed,
/// so that only the invariant under test can object.
func relinkFreeLists(_ allocator: PageAllocator) {
    let snapshot = allocator.snapshot()
    var heads = [Int32](repeating: -1, count: snapshot.topOrder + 1)
    var tails = [Int32](repeating: -1, count: snapshot.topOrder + 1)
    var counts = [Int](repeating: 0, count: snapshot.topOrder + 1)
    for (index, page) in snapshot.pages.enumerated() where page.kind == .free {
        let order = Int(page.order)
        let pfn = Int32(index)
        let last = tails[order]
        allocator._testingSetPage(index) {
            $0.prev = last
            $0.next = -1
        }
        if last >= 0 { allocator._testingSetPage(Int(last)) { $0.next = pfn } } else { heads[order] = pfn }
        tails[order] = pfn
        counts[order] += 1
    }
    for order in 0...snapshot.topOrder {
        allocator._testingSetFreeList(order: order, head: heads[order], tail: tails[order], count: counts[order])
    }
}

/// The free block (head pfn and order) that covers `pfn` in `snapshot`, found
/// from the page marks alone: the nearest head at or below `pfn` must be a
/// free block that reaches it.
func freeBlock(covering pfn: Int, in snapshot: AllocatorSnapshot) -> (pfn: Int, order: Int)? {
    var head = pfn
    while head > 0 && snapshot.pages[head].kind == .tail { head -= 1 }
    let page = snapshot.pages[head]
    guard page.kind == .free, head + (1 << Int(page.order)) > pfn else { return nil }
    return (head, Int(page.order))
}

/// The message of the violation at `index`, or "" when there is none (so that
/// a missing report fails an expectation instead of crashing the test run).
func message(_ violations: [Violation], _ index: Int) -> String {
    violations.indices.contains(index) ? violations[index].message : ""
}
