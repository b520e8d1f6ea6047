// Time of one full invariant check of a 1 GiB arena in a realistic,
// fragmented state (goal: under 10 ms).
//
// The arena is churned by a seeded random mix of block and exact allocations
// of small-biased orders and frees of random live ones, until about half of
// it is allocated in many pieces. Then `snapshot()` (copying the allocator's
// state into plain data), the checker suite over that snapshot, and the two
// together are each timed several times; the medians are printed.

import AllocCheck
import Invariants

enum InvariantBenchmark {
    /// Builds and churns the arena, times the check, and prints the results.
    static func run(_ configuration: BenchmarkConfiguration) {
        let allocator: PageAllocator
        do {
            allocator = try PageAllocator(pageCount: PageBenchmarks.arenaPages, pageSize: PageBenchmarks.pageSize,
                                          topOrder: PageBenchmarks.topOrder)
        } catch {
            fatalError("cannot create the benchmark arena: \(error)")
        }
        let state = churn(allocator, steps: configuration.quick ? 100_000 : 400_000, seed: configuration.seed &+ 3)
        let repetitions = configuration.quick ? 3 : 11

        var snapshotSamples: [UInt64] = []
        var checkSamples: [UInt64] = []
        var togetherSamples: [UInt64] = []
        var violations = 0
        let snapshot = allocator.snapshot()
        for _ in 0..<repetitions {
            snapshotSamples.append(timeNanoseconds { blackHole(allocator.snapshot()) })
            checkSamples.append(timeNanoseconds { violations = runFullInvariantCheck(snapshot) })
            togetherSamples.append(timeNanoseconds { blackHole(runFullInvariantCheck(allocator.snapshot())) })
        }
        let checkers = individualInvariantChecks()
        var checkerSamples = [[UInt64]](repeating: [], count: checkers.count)
        var checkerViolations = [Int](repeating: 0, count: checkers.count)
        for _ in 0..<repetitions {
            for (index, checker) in checkers.enumerated() {
                checkerSamples[index].append(timeNanoseconds { checkerViolations[index] = checker.check(snapshot) })
            }
        }

        print("Arena: \(PageBenchmarks.arenaPages) pages of \(PageBenchmarks.pageSize) B (1 GiB), after "
            + "\(state.steps) random steps: \(state.liveBlocks) live blocks, \(state.liveExact) live exact "
            + "allocations, \(allocator.freePageCount) free pages in "
            + "\(allocator.freeBlockCounts.reduce(0, +)) free blocks")
        print("/proc/buddyinfo view: " + allocator.buddyinfo, terminator: "")
        print("")
        let goalMilliseconds = 10.0
        let together = median(togetherSamples) / 1e6
        let labelWidth = max(26, checkers.map { $0.name.count + 11 }.max() ?? 0)
        func row(_ label: String, _ nanoseconds: Double, _ violations: String) {
            print("| \(paddedRight(label, labelWidth)) | \(formatted(nanoseconds / 1e6, decimals: 3, width: 9)) "
                + "| \(padded(violations, 10)) |")
        }
        print("| \(paddedRight("invariant check step", labelWidth)) | median ms | violations |")
        print("|\(String(repeating: "-", count: labelWidth + 2))|----------:|-----------:|")
        row("snapshot()", median(snapshotSamples), "")
        for (index, checker) in checkers.enumerated() {
            row("  checker \(checker.name)", median(checkerSamples[index]), String(checkerViolations[index]))
        }
        row("all checkers (checkAll)", median(checkSamples), String(violations))
        row("snapshot + all checkers", median(togetherSamples), String(violations))
        print("")
        let verdict = together < goalMilliseconds ? "met" : "NOT met"
        print("Full check (snapshot + all checkers): \(formatted(together, decimals: 3)) ms against the "
            + "\(formatted(goalMilliseconds, decimals: 0)) ms goal: \(verdict). Violations: \(violations) (must be 0).")
        if violations != 0 {
            fatalError("the invariant checkers report \(violations) violations on a correctly used allocator")
        }

        // Return every allocation, so the arena is released in a clean state.
        for (memory, bytes, isExact) in state.live {
            do {
                if isExact { try allocator.freePagesExact(memory, size: bytes) }
                else { try allocator.freePages(memory, order: try allocator.getOrder(bytes)) }
            } catch {
                fatalError("cannot free a churned allocation: \(error)")
            }
        }
    }

    struct ChurnedState {
        var steps: Int
        var liveBlocks: Int
        var liveExact: Int
        /// Every live allocation: address, size in bytes, and whether it is exact.
        var live: [(memory: UnsafeMutableRawPointer, bytes: Int, isExact: Bool)]
    }

    /// Drives the arena to about half allocated, in many pieces: while more
    /// than half is free, allocate with probability 2/3, else 1/3; each
    /// allocation is a block or (equally likely) an exact allocation of a
    /// small-biased order; each free takes a uniformly random live one.
    static func churn(_ allocator: PageAllocator, steps: Int, seed: UInt64) -> ChurnedState {
        var random = SplitMix64(seed: seed)
        var live: [(memory: UnsafeMutableRawPointer, bytes: Int, isExact: Bool)] = []
        let halfFree = allocator.pageCount / 2
        do {
            for _ in 0..<steps {
                let allocateChance: UInt64 = allocator.freePageCount > halfFree ? 2 : 1
                if live.isEmpty || random.next() % 3 < allocateChance {
                    let order = random.smallBiasedOrder(top: allocator.topOrder)
                    if random.next() & 1 == 0 {
                        live.append((try allocator.allocPages(order: order), allocator.pageSize << order, false))
                    } else {
                        let high = allocator.pageSize << order
                        let low = order == 0 ? 1 : (high >> 1) + 1
                        let bytes = low + Int(random.next() % UInt64(high - low + 1))
                        live.append((try allocator.allocPagesExact(bytes), bytes, true))
                    }
                } else {
                    let index = Int(random.next() % UInt64(live.count))
                    let victim = live[index]
                    live.swapAt(index, live.count - 1)
                    live.removeLast()
                    if victim.isExact { try allocator.freePagesExact(victim.memory, size: victim.bytes) }
                    else { try allocator.freePages(victim.memory, order: try allocator.getOrder(victim.bytes)) }
                }
            }
        } catch {
            fatalError("churning the arena failed: \(error)")
        }
        let exactCount = live.reduce(0) { $0 + ($1.isExact ? 1 : 0) }
        return ChurnedState(steps: steps, liveBlocks: live.count - exactCount, liveExact: exactCount, live: live)
    }
}
