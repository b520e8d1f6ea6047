// Page allocator throughput against glibc, on identical operation sequences.
//
// Workload: a pool of live allocations. At each step the generator either
// allocates (into a free slot) or frees a live allocation chosen uniformly at
// random; it allocates with probability 3/4 while fewer than half the slots
// are live and 1/4 otherwise, so the pool fills to about half its slots and
// then churns around that level, and at the end every live allocation is
// freed in random order. The whole sequence is generated up front from one
// seeded SplitMix64 stream, so no random numbers are drawn in the timed loop
// and every side sees exactly the same requests in the same order.
//
// Ours: `allocPages(order:)`/`freePages(_:order:)` or
// `allocPagesExact(_:)`/`freePagesExact(_:size:)` on a 1 GiB arena.
// Baseline "glibc": `posix_memalign(&p, 4096, bytes)`/`free(p)` of the
// same byte sizes. Page alignment is what a caller of a page allocator needs,
// so that is what the baseline is asked for. Baseline "malloc": plain
// `malloc(bytes)`/`free(p)`, which need not give page alignment; it is shown
// as glibc's cheapest path, a lower bound on its cost. Baseline "mimalloc":
// `mi_posix_memalign(&p, 4096, bytes)`/`mi_free(p)` (Mimalloc.swift). The process is
// single-threaded, so glibc takes its single-thread fast paths. All sides write the first byte of
// every allocation and read it back before freeing it, so the memory is
// really touched and the optimiser cannot drop the work.
//
// Every allocation and every free counts as one operation.

import AllocCheck
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One step of a generated workload: allocate `bytes` (a block of `order`)
/// into `slot`, or free the allocation in `slot` (which was made with the
/// same `order` and `bytes`).
struct PageOperation {
    var slot: Int32
    var bytes: Int32
    var order: UInt8
    var isAllocation: Bool
}

/// A generated operation sequence, and how its requests are served.
struct PageWorkload {
    enum Kind {
        /// `allocPages(order:)` / `freePages(_:order:)`.
        case blocks
        /// `allocPagesExact(_:)` / `freePagesExact(_:size:)`.
        case exact
    }

    var name: String
    var kind: Kind
    var operations: [PageOperation]
    /// Size of the slot table (the most allocations live at once).
    var slotCount: Int
    /// A short name for the command line (`--instructions KEY SIDE`).
    var key = ""

    /// Generates a workload as described at the top of this file.
    ///
    /// - Parameters:
    ///   - steps: random steps before the final drain.
    ///   - slotCount: at most this many allocations are live at once.
    ///   - pageBudget: the generator never lets the live blocks (whole
    ///     `2^order` blocks, an upper bound for exact allocations) exceed this
    ///     many pages, so a well-behaved allocator never runs out of memory.
    ///   - request: draws one request, `(order, bytes)`.
    static func generate(
        name: String, kind: Kind, steps: Int, slotCount: Int, pageBudget: Int, seed: UInt64,
        request: (inout SplitMix64) -> (order: Int, bytes: Int)
    ) -> PageWorkload {
        var random = SplitMix64(seed: seed)
        var operations: [PageOperation] = []
        operations.reserveCapacity(steps + slotCount)
        var freeSlots = [Int32]((0..<Int32(slotCount)).reversed())
        var liveSlots: [Int32] = []
        var requestInSlot = [(order: Int, bytes: Int)](repeating: (0, 0), count: slotCount)
        var livePages = 0

        func free(at index: Int) {
            let slot = liveSlots[index]
            liveSlots.swapAt(index, liveSlots.count - 1)
            liveSlots.removeLast()
            freeSlots.append(slot)
            let (order, bytes) = requestInSlot[Int(slot)]
            livePages -= 1 << order
            operations.append(PageOperation(slot: slot, bytes: Int32(bytes), order: UInt8(order), isAllocation: false))
        }

        for _ in 0..<steps {
            let allocateChance: UInt64 = liveSlots.count < slotCount / 2 ? 3 : 1
            var allocate = liveSlots.isEmpty || (!freeSlots.isEmpty && random.next() % 4 < allocateChance)
            let wanted = request(&random)
            if allocate && livePages + (1 << wanted.order) > pageBudget { allocate = liveSlots.isEmpty }
            if allocate {
                precondition(livePages + (1 << wanted.order) <= pageBudget, "page budget below one request")
                let slot = freeSlots.removeLast()
                liveSlots.append(slot)
                requestInSlot[Int(slot)] = wanted
                livePages += 1 << wanted.order
                operations.append(PageOperation(slot: slot, bytes: Int32(wanted.bytes), order: UInt8(wanted.order),
                                                isAllocation: true))
            } else {
                free(at: Int(random.next() % UInt64(liveSlots.count)))
            }
        }
        while !liveSlots.isEmpty { free(at: Int(random.next() % UInt64(liveSlots.count))) }
        return PageWorkload(name: name, kind: kind, operations: operations, slotCount: slotCount)
    }
}

enum PageBenchmarks {
    /// Pages in the benchmark arena: 262,144 pages of 4 KiB = 1 GiB.
    static let arenaPages = 262_144
    static let pageSize = 4096
    static let topOrder = 10

    /// The workloads, generated from the configuration's seed.
    static func workloads(_ configuration: BenchmarkConfiguration) -> [PageWorkload] {
        let steps = configuration.quick ? 100_000 : 1_000_000
        let slotCount = 4096
        let pageBudget = arenaPages / 2
        var workloads = [
            PageWorkload.generate(
                name: "allocPages, orders 0...10 mixed", kind: .blocks, steps: steps, slotCount: slotCount,
                pageBudget: pageBudget, seed: configuration.seed
            ) { random in
                let order = random.smallBiasedOrder(top: topOrder)
                return (order, pageSize << order)
            },
            PageWorkload.generate(
                name: "allocPages, order 0 only", kind: .blocks, steps: steps, slotCount: slotCount,
                pageBudget: pageBudget, seed: configuration.seed &+ 1
            ) { _ in (0, pageSize) },
            PageWorkload.generate(
                name: "allocPagesExact, 1 B...4 MiB", kind: .exact, steps: steps, slotCount: slotCount,
                pageBudget: pageBudget, seed: configuration.seed &+ 2
            ) { random in
                // Pick a block order small-biased, then a byte size uniformly
                // among the sizes that need exactly that order.
                let order = random.smallBiasedOrder(top: topOrder)
                let high = pageSize << order
                let low = order == 0 ? 1 : (high >> 1) + 1
                return (order, low + Int(random.next() % UInt64(high - low + 1)))
            },
        ]
        for (index, key) in ["pages-mixed", "pages-order0", "pages-exact"].enumerated() { workloads[index].key = key }
        return workloads
    }

    /// A fresh arena with every page touched once (`touchEveryPage`).
    static func makeAllocator() -> PageAllocator {
        let allocator: PageAllocator
        do {
            allocator = try PageAllocator(pageCount: arenaPages, pageSize: pageSize, topOrder: topOrder)
        } catch {
            fatalError("cannot create the benchmark arena: \(error)")
        }
        touchEveryPage(of: allocator)
        return allocator
    }

    /// Generates the workloads, times each on our allocator and on each
    /// baseline, and returns one row per workload.
    static func run(_ configuration: BenchmarkConfiguration) -> [ComparisonRow] {
        let workloads = workloads(configuration)
        let allocator = makeAllocator()
        return workloads.map { measure($0, on: allocator, repetitions: configuration.repetitions) }
    }

    /// For `--instructions`: runs side `side` (`sideNames`) of the workload
    /// keyed `key` once untimed, then once inside `instructionCountedRun`;
    /// the operation count of that run, or nil for an unknown key.
    static func countedRun(key: String, side: Int, _ configuration: BenchmarkConfiguration) -> Int? {
        guard let workload = workloads(configuration).first(where: { $0.key == key }) else { return nil }
        let allocator = makeAllocator()
        let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: workload.slotCount)
        slots.initialize(repeating: nil, count: workload.slotCount)
        defer { slots.deallocate() }
        return workload.operations.withUnsafeBufferPointer { operations in
            let warm = runSide(side, workload, operations, on: allocator, slots: slots)
            let counted = instructionCountedRun { runSide(side, workload, operations, on: allocator, slots: slots) }
            if warm != counted { fatalError("\(workload.name): the two runs' checksums differ") }
            return operations.count
        }
    }

    /// Runs side `side` (`sideNames`) of `workload` once; its checksum. The
    /// mimalloc side needs `Mimalloc.functions`.
    static func runSide(_ side: Int, _ workload: PageWorkload, _ operations: UnsafeBufferPointer<PageOperation>,
                        on allocator: PageAllocator, slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt64 {
        switch (side, workload.kind) {
        case (0, .blocks): return runBlocks(operations, on: allocator, slots: slots)
        case (0, .exact): return runExact(operations, on: allocator, slots: slots)
        case (1, _): return runGlibc(operations, slots: slots, alignment: pageSize)
        case (2, _): return runGlibc(operations, slots: slots, alignment: nil)
        default: return runMimalloc(operations, slots: slots, alignment: pageSize, functions: Mimalloc.functions!)
        }
    }

    /// Writes one byte of every page of the arena, through the allocator's
    /// own API (allocate every top-order block, touch, free them all). A
    /// kernel's page allocator manages memory that is always backed; our
    /// arena is ordinary virtual memory that the OS backs on first touch, so
    /// without this the timed runs would be charged page faults a kernel
    /// never takes, and charged unevenly (each run reaches a few more fresh
    /// pages). glibc keeps its defaults: it returns memory to the OS on free
    /// and faults it back in, and that is part of its cost as shipped. The
    /// table's fault counts show what each side still pays.
    static func touchEveryPage(of allocator: PageAllocator) {
        var blocks: [UnsafeMutableRawPointer] = []
        while let block = try? allocator.allocPages(order: allocator.topOrder) { blocks.append(block) }
        for block in blocks {
            for page in 0..<(1 << allocator.topOrder) {
                (block + page * allocator.pageSize).storeBytes(of: 0, as: UInt8.self)
            }
        }
        do {
            for block in blocks { try allocator.freePages(block, order: allocator.topOrder) }
        } catch {
            fatalError("cannot free the blocks that touched the arena: \(error)")
        }
    }

    /// The baselines, in table order: each allocates `bytes` and frees.
    static let baselineNames = ["glibc", "malloc", "mimalloc"]
    /// Every side's name: ours, then the baselines.
    static let sideNames = ["ours"] + baselineNames

    /// Times `workload` on our allocator and on each baseline, and counts the
    /// minor page faults of each timed run: one untimed
    /// warm-up run each (so that neither side's first touch of fresh memory
    /// or glibc's first heap growth is timed), then `repetitions` timed runs
    /// each, rotating which side goes first. Stops the program if the sides'
    /// checksums differ or the arena is not wholly free again after a run.
    static func measure(_ workload: PageWorkload, on allocator: PageAllocator, repetitions: Int) -> ComparisonRow {
        let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: workload.slotCount)
        slots.initialize(repeating: nil, count: workload.slotCount)
        defer { slots.deallocate() }
        let freeBefore = allocator.freePageCount

        return workload.operations.withUnsafeBufferPointer { operations in
            // Side 0 is ours; side 1 + i is baseline i of `baselineNames`.
            let sides = sideNames.count
            let available = (0..<sides).filter { $0 != 3 || Mimalloc.functions != nil }
            var checksums = [UInt64](repeating: 0, count: sides)
            func run(side: Int) {
                checksums[side] = runSide(side, workload, operations, on: allocator, slots: slots)
                if side == 0 && allocator.freePageCount != freeBefore {
                    fatalError("\(workload.name): \(freeBefore - allocator.freePageCount) pages still allocated after the run")
                }
            }

            for side in available { run(side: side) }
            var samples = [[UInt64]](repeating: [], count: sides)
            var faults = [[UInt64]](repeating: [], count: sides)
            for repetition in 0..<repetitions {
                for step in 0..<available.count {
                    let side = available[(repetition + step) % available.count]
                    let faultsBefore = minorPageFaults()
                    samples[side].append(timeNanoseconds { run(side: side) })
                    faults[side].append(minorPageFaults() - faultsBefore)
                }
                guard available.allSatisfy({ checksums[$0] == checksums[0] }) else {
                    fatalError("\(workload.name): the sides' checksums differ: \(checksums)")
                }
            }
            let count = Double(operations.count)
            // A baseline that is not available has no samples: NaN, printed "n/a".
            func perOperation(_ values: [UInt64], _ scale: Double) -> Double {
                values.isEmpty ? .nan : median(values) * scale / count
            }
            return ComparisonRow(workload: workload.name, operations: operations.count,
                                 oursNanosecondsPerOperation: perOperation(samples[0], 1),
                                 baselineNanosecondsPerOperation: samples.dropFirst().map { perOperation($0, 1) },
                                 faultsPerThousandOperations: faults.map { perOperation($0, 1000) })
        }
    }

    // The three timed loops. Each is kept apart and out of line so that each
    // is compiled as one tight loop, and so a profile names them.

    @inline(never)
    static func runBlocks(
        _ operations: UnsafeBufferPointer<PageOperation>, on allocator: PageAllocator,
        slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> UInt64 {
        var checksum: UInt64 = 0
        do {
            for (index, operation) in operations.enumerated() {
                let slot = Int(operation.slot)
                if operation.isAllocation {
                    let memory = try allocator.allocPages(order: Int(operation.order))
                    memory.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                    slots[slot] = memory
                } else {
                    let memory = slots[slot].unsafelyUnwrapped
                    checksum &+= UInt64(memory.load(as: UInt8.self))
                    try allocator.freePages(memory, order: Int(operation.order))
                }
            }
        } catch {
            fatalError("allocPages workload failed: \(error)")
        }
        return checksum
    }

    @inline(never)
    static func runExact(
        _ operations: UnsafeBufferPointer<PageOperation>, on allocator: PageAllocator,
        slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> UInt64 {
        var checksum: UInt64 = 0
        do {
            for (index, operation) in operations.enumerated() {
                let slot = Int(operation.slot)
                if operation.isAllocation {
                    let memory = try allocator.allocPagesExact(Int(operation.bytes))
                    memory.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                    slots[slot] = memory
                } else {
                    let memory = slots[slot].unsafelyUnwrapped
                    checksum &+= UInt64(memory.load(as: UInt8.self))
                    try allocator.freePagesExact(memory, size: Int(operation.bytes))
                }
            }
        } catch {
            fatalError("allocPagesExact workload failed: \(error)")
        }
        return checksum
    }

    /// glibc: `posix_memalign(&p, alignment, bytes)`, or `malloc(bytes)`
    /// when `alignment` is nil, and `free(p)`.
    @inline(never)
    static func runGlibc(
        _ operations: UnsafeBufferPointer<PageOperation>, slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
        alignment: Int?
    ) -> UInt64 {
        var checksum: UInt64 = 0
        for (index, operation) in operations.enumerated() {
            let slot = Int(operation.slot)
            if operation.isAllocation {
                var memory: UnsafeMutableRawPointer?
                if let alignment {
                    if posix_memalign(&memory, alignment, Int(operation.bytes)) != 0 { memory = nil }
                } else {
                    memory = malloc(Int(operation.bytes))
                }
                guard let memory else { fatalError("glibc could not allocate \(operation.bytes) bytes") }
                memory.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                slots[slot] = memory
            } else {
                let memory = slots[slot].unsafelyUnwrapped
                checksum &+= UInt64(memory.load(as: UInt8.self))
                free(memory)
            }
        }
        return checksum
    }

    /// mimalloc: `mi_posix_memalign(&p, alignment, bytes)` and `mi_free(p)`.
    @inline(never)
    static func runMimalloc(
        _ operations: UnsafeBufferPointer<PageOperation>, slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
        alignment: Int, functions: Mimalloc.Functions
    ) -> UInt64 {
        var checksum: UInt64 = 0
        let posixMemalign = functions.posixMemalign
        let release = functions.free
        for (index, operation) in operations.enumerated() {
            let slot = Int(operation.slot)
            if operation.isAllocation {
                var memory: UnsafeMutableRawPointer?
                if posixMemalign(&memory, alignment, Int(operation.bytes)) != 0 { memory = nil }
                guard let memory else { fatalError("mimalloc could not allocate \(operation.bytes) bytes") }
                memory.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                slots[slot] = memory
            } else {
                let memory = slots[slot].unsafelyUnwrapped
                checksum &+= UInt64(memory.load(as: UInt8.self))
                release(memory)
            }
        }
        return checksum
    }
}
