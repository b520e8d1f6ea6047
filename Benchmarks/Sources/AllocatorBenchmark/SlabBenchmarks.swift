// Slab layer throughput against glibc malloc/free, on identical operation
// sequences.
//
// Workload: a pool of live objects. At each step the generator either
// allocates (into a free slot) or frees a live object chosen uniformly at
// random; it allocates with probability 3/4 while fewer than half the slots
// are live and 1/4 otherwise, so the pool fills to about half its slots (tens
// of thousands of live objects) and then churns around that level; at the
// end every live object is freed in random order. The sequence is generated
// up front from one seeded SplitMix64 stream, so the timed loops draw no
// random numbers and every side sees the same requests in the same order.
//
// Workloads:
// - fixed 64 B: one cache of 64-byte objects (`allocate`/`free`), debug off;
//   and the same with every debug option (F, Z, P, U) on, to show their cost;
//   and the churn with a hardened free list (obfuscated free pointers).
// - kmalloc 64 B: `kmalloc(64)`/`kfree`, the churn pattern.
// - kmalloc mixed: a size class chosen uniformly among 8 B ... 8 KiB, then a
//   size uniformly among the sizes that class serves (`kmalloc`/`kfree`).
//
// Baseline "malloc": glibc `malloc(bytes)`/`free(p)` of the same sizes, in
// the same run; baseline "mimalloc": `mi_malloc(bytes)`/`mi_free(p)`
// (Mimalloc.swift). All sides write the first byte of every object and read
// it back before freeing it. Every allocation and every free is one operation.

import AllocCheck
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One step: allocate `bytes` into `slot`, or free the object in `slot`.
struct SlabOperation {
    var slot: Int32
    var bytes: Int32
    var isAllocation: Bool
}

struct SlabWorkload {
    enum Kind {
        /// A cache's `allocate`/`free`, with these debug options and, when
        /// not nil, a hardened free list with this secret.
        case cache(SlabDebugOptions, freeListSecret: UInt64?)
        /// `kmalloc`/`kfree`.
        case kmalloc
    }

    var name: String
    var kind: Kind
    var operations: [SlabOperation]
    var slotCount: Int
    /// A short name for the command line (`--instructions KEY SIDE`).
    var key = ""

    /// Generates a workload as described at the top of this file.
    static func generate(name: String, kind: Kind, steps: Int, slotCount: Int, seed: UInt64,
                         size: (inout SplitMix64) -> Int) -> SlabWorkload {
        var random = SplitMix64(seed: seed)
        var operations: [SlabOperation] = []
        operations.reserveCapacity(steps + slotCount)
        var freeSlots = [Int32]((0..<Int32(slotCount)).reversed())
        var liveSlots: [Int32] = []
        var sizeInSlot = [Int32](repeating: 0, count: slotCount)

        func free(at index: Int) {
            let slot = liveSlots[index]
            liveSlots.swapAt(index, liveSlots.count - 1)
            liveSlots.removeLast()
            freeSlots.append(slot)
            operations.append(SlabOperation(slot: slot, bytes: sizeInSlot[Int(slot)], isAllocation: false))
        }
        for _ in 0..<steps {
            let allocateChance: UInt64 = liveSlots.count < slotCount / 2 ? 3 : 1
            let allocate = liveSlots.isEmpty || (!freeSlots.isEmpty && random.next() % 4 < allocateChance)
            if allocate {
                let slot = freeSlots.removeLast()
                liveSlots.append(slot)
                sizeInSlot[Int(slot)] = Int32(size(&random))
                operations.append(SlabOperation(slot: slot, bytes: sizeInSlot[Int(slot)], isAllocation: true))
            } else {
                free(at: Int(random.next() % UInt64(liveSlots.count)))
            }
        }
        while !liveSlots.isEmpty { free(at: Int(random.next() % UInt64(liveSlots.count))) }
        return SlabWorkload(name: name, kind: kind, operations: operations, slotCount: slotCount)
    }

    /// Short-lived churn over a large live set, the pattern a kernel object
    /// cache sees (dentries, skbuffs): `longLived` objects are allocated
    /// first and stay live throughout; then, round after round, a batch of
    /// 1...`maxBatch` short-lived objects is allocated and freed again in a
    /// random order; at the end the long-lived objects are freed in random
    /// order. Allocations and frees are all counted as operations.
    static func generateChurn(name: String, kind: Kind, steps: Int, longLived: Int, maxBatch: Int, seed: UInt64,
                              size: (inout SplitMix64) -> Int) -> SlabWorkload {
        var random = SplitMix64(seed: seed)
        var operations: [SlabOperation] = []
        operations.reserveCapacity(steps + 2 * longLived + 2 * maxBatch)
        let slotCount = longLived + maxBatch
        var sizeInSlot = [Int32](repeating: 0, count: slotCount)
        func allocate(_ slot: Int) {
            sizeInSlot[slot] = Int32(size(&random))
            operations.append(SlabOperation(slot: Int32(slot), bytes: sizeInSlot[slot], isAllocation: true))
        }
        func free(_ slot: Int) {
            operations.append(SlabOperation(slot: Int32(slot), bytes: sizeInSlot[slot], isAllocation: false))
        }
        func freeAll(_ slots: Range<Int>) {
            var order = Array(slots)
            for index in order.indices.reversed() {
                order.swapAt(index, Int(random.next() % UInt64(index + 1)))
            }
            order.forEach(free)
        }
        (0..<longLived).forEach(allocate)
        while operations.count < longLived + steps {
            let batch = 1 + Int(random.next() % UInt64(maxBatch))
            (longLived..<(longLived + batch)).forEach(allocate)
            freeAll(longLived..<(longLived + batch))
        }
        freeAll(0..<longLived)
        return SlabWorkload(name: name, kind: kind, operations: operations, slotCount: slotCount)
    }
}

enum SlabBenchmarks {
    /// Pages in the benchmark arena: 65,536 pages of 4 KiB = 256 MiB.
    static let arenaPages = 65_536
    /// The baselines, in table order (side 1 + i is baseline i).
    static let baselineNames = ["malloc", "mimalloc"]
    /// Every side's name: ours, then the baselines.
    static let sideNames = ["ours"] + baselineNames

    /// The workloads, generated from the configuration's seed.
    static func workloads(_ configuration: BenchmarkConfiguration) -> [SlabWorkload] {
        let steps = configuration.quick ? 200_000 : 2_000_000
        let slotCount = 100_000
        let classes = SlabAllocator.standardKmallocClasses
        func keyed(_ key: String, _ workload: SlabWorkload) -> SlabWorkload {
            var workload = workload
            workload.key = key
            return workload
        }
        return [
            keyed("cache-churn", .generateChurn(name: "cache 64 B churn, debug off", kind: .cache([], freeListSecret: nil),
                                                steps: steps, longLived: slotCount / 2, maxBatch: 64,
                                                seed: configuration.seed &+ 13) { _ in 64 }),
            keyed("cache-churn-hardened",
                  .generateChurn(name: "cache 64 B churn, hardened free list",
                                 kind: .cache([], freeListSecret: configuration.seed), steps: steps,
                                 longLived: slotCount / 2, maxBatch: 64, seed: configuration.seed &+ 13) { _ in 64 }),
            keyed("cache-churn-debug", .generateChurn(name: "cache 64 B churn, debug FZPU",
                                                      kind: .cache(.all, freeListSecret: nil), steps: steps,
                                                      longLived: slotCount / 2, maxBatch: 64,
                                                      seed: configuration.seed &+ 14) { _ in 64 }),
            keyed("kmalloc-64-churn", .generateChurn(name: "kmalloc 64 B churn", kind: .kmalloc, steps: steps,
                                                     longLived: slotCount / 2, maxBatch: 64,
                                                     seed: configuration.seed &+ 15) { _ in 64 }),
            keyed("cache-random", .generate(name: "cache 64 B random frees, debug off", kind: .cache([], freeListSecret: nil),
                                            steps: steps, slotCount: slotCount, seed: configuration.seed &+ 10) { _ in 64 }),
            keyed("cache-random-debug", .generate(name: "cache 64 B random frees, debug FZPU",
                                                  kind: .cache(.all, freeListSecret: nil), steps: steps,
                                                  slotCount: slotCount, seed: configuration.seed &+ 11) { _ in 64 }),
            keyed("kmalloc-mixed", .generate(name: "kmalloc mixed 1 B...8 KiB", kind: .kmalloc, steps: steps,
                                             slotCount: slotCount / 4, seed: configuration.seed &+ 12) { random in
                let index = Int(random.next() % UInt64(classes.count))
                let low = index == 0 ? 1 : classes[index - 1] + 1
                return low + Int(random.next() % UInt64(classes[index] - low + 1))
            }),
        ]
    }

    static func run(_ configuration: BenchmarkConfiguration) -> [ComparisonRow] {
        workloads(configuration).map { workload in
            measure(workload, on: makeLayer(), repetitions: configuration.repetitions)
        }
    }

    /// A fresh slab layer over a fresh arena: every workload starts from the same state.
    static func makeLayer() -> SlabAllocator {
        do {
            return try SlabAllocator(pageAllocator: PageAllocator(pageCount: arenaPages))
        } catch {
            fatalError("cannot create the slab benchmark arena: \(error)")
        }
    }

    /// The cache a workload uses (nil for kmalloc), created in `layer`.
    static func makeCache(for workload: SlabWorkload, in layer: SlabAllocator) -> SlabCacheID? {
        guard case let .cache(debug, secret) = workload.kind else { return nil }
        do { return try layer.createCache(name: "bench-64", objectSize: 64, debug: debug, freeListSecret: secret) } catch {
            fatalError("cannot create the benchmark cache: \(error)")
        }
    }

    /// Runs side `side` (`sideNames`) of `workload` once; its checksum.
    /// Stops the program if our side leaves objects behind. The mimalloc
    /// side needs `Mimalloc.functions`.
    static func runSide(_ side: Int, _ workload: SlabWorkload, _ operations: UnsafeBufferPointer<SlabOperation>,
                        layer: SlabAllocator, cache: SlabCacheID?,
                        slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt64 {
        switch side {
        case 0:
            guard let cache else { return runKmalloc(operations, on: layer, slots: slots) }
            let checksum = runCache(operations, on: layer, cache: cache, slots: slots)
            if (try? layer.info(cache).activeObjects) != 0 { fatalError("\(workload.name): objects left behind") }
            return checksum
        case 1: return runMalloc(operations, slots: slots)
        default: return runMimalloc(operations, slots: slots, functions: Mimalloc.functions!)
        }
    }

    /// Times `workload` on our layer and on each baseline: one untimed
    /// warm-up run each, then `repetitions` timed runs each, rotating which
    /// side goes first. A baseline that is not available is reported as NaN
    /// (printed "n/a"). Stops the program if the checksums differ.
    static func measure(_ workload: SlabWorkload, on layer: SlabAllocator, repetitions: Int) -> ComparisonRow {
        let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: workload.slotCount)
        slots.initialize(repeating: nil, count: workload.slotCount)
        defer { slots.deallocate() }
        let cache = makeCache(for: workload, in: layer)
        let sides = sideNames.count
        let available = (0..<sides).filter { $0 != 2 || Mimalloc.functions != nil }
        return workload.operations.withUnsafeBufferPointer { operations in
            var checksums = [UInt64](repeating: 0, count: sides)
            func run(side: Int) {
                checksums[side] = runSide(side, workload, operations, layer: layer, cache: cache, slots: slots)
            }
            for side in available { run(side: side) }
            var samples = [[UInt64]](repeating: [], count: sides)
            for repetition in 0..<repetitions {
                for step in 0..<available.count {
                    let side = available[(repetition + step) % available.count]
                    samples[side].append(timeNanoseconds { run(side: side) })
                }
                guard available.allSatisfy({ checksums[$0] == checksums[0] }) else {
                    fatalError("\(workload.name): the sides' checksums differ: \(checksums)")
                }
            }
            let count = Double(operations.count)
            let perOperation = samples.map { $0.isEmpty ? Double.nan : median($0) / count }
            return ComparisonRow(workload: workload.name, operations: operations.count,
                                 oursNanosecondsPerOperation: perOperation[0],
                                 baselineNanosecondsPerOperation: Array(perOperation.dropFirst()))
        }
    }

    /// For `--instructions`: runs side `side` of the workload keyed `key`
    /// once untimed, then once inside `instructionCountedRun` (the part a
    /// callgrind run collects); the operation count of that run, or nil for
    /// an unknown key.
    static func countedRun(key: String, side: Int, _ configuration: BenchmarkConfiguration) -> Int? {
        guard let workload = workloads(configuration).first(where: { $0.key == key }) else { return nil }
        let layer = makeLayer()
        let cache = makeCache(for: workload, in: layer)
        let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: workload.slotCount)
        slots.initialize(repeating: nil, count: workload.slotCount)
        defer { slots.deallocate() }
        return workload.operations.withUnsafeBufferPointer { operations in
            let warm = runSide(side, workload, operations, layer: layer, cache: cache, slots: slots)
            let counted = instructionCountedRun {
                runSide(side, workload, operations, layer: layer, cache: cache, slots: slots)
            }
            if warm != counted { fatalError("\(workload.name): the two runs' checksums differ") }
            return operations.count
        }
    }

    // The timed loops, each out of line so it compiles as one tight loop.

    @inline(never)
    static func runCache(_ operations: UnsafeBufferPointer<SlabOperation>, on layer: SlabAllocator, cache: SlabCacheID,
                         slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt64 {
        var checksum: UInt64 = 0
        do {
            for (index, operation) in operations.enumerated() {
                let slot = Int(operation.slot)
                if operation.isAllocation {
                    let object = try layer.allocate(cache)
                    object.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                    slots[slot] = object
                } else {
                    let object = slots[slot].unsafelyUnwrapped
                    checksum &+= UInt64(object.load(as: UInt8.self))
                    try layer.free(object, to: cache)
                }
            }
        } catch {
            fatalError("cache workload failed: \(error)")
        }
        return checksum
    }

    @inline(never)
    static func runKmalloc(_ operations: UnsafeBufferPointer<SlabOperation>, on layer: SlabAllocator,
                           slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt64 {
        var checksum: UInt64 = 0
        do {
            for (index, operation) in operations.enumerated() {
                let slot = Int(operation.slot)
                if operation.isAllocation {
                    let object = try layer.kmalloc(Int(operation.bytes))
                    object.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                    slots[slot] = object
                } else {
                    let object = slots[slot].unsafelyUnwrapped
                    checksum &+= UInt64(object.load(as: UInt8.self))
                    try layer.kfree(object)
                }
            }
        } catch {
            fatalError("kmalloc workload failed: \(error)")
        }
        return checksum
    }

    @inline(never)
    static func runMalloc(_ operations: UnsafeBufferPointer<SlabOperation>,
                          slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UInt64 {
        var checksum: UInt64 = 0
        for (index, operation) in operations.enumerated() {
            let slot = Int(operation.slot)
            if operation.isAllocation {
                guard let object = malloc(Int(operation.bytes)) else { fatalError("malloc failed") }
                object.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                slots[slot] = object
            } else {
                let object = slots[slot].unsafelyUnwrapped
                checksum &+= UInt64(object.load(as: UInt8.self))
                free(object)
            }
        }
        return checksum
    }

    @inline(never)
    static func runMimalloc(_ operations: UnsafeBufferPointer<SlabOperation>,
                            slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>, functions: Mimalloc.Functions) -> UInt64 {
        var checksum: UInt64 = 0
        let allocate = functions.malloc
        let release = functions.free
        for (index, operation) in operations.enumerated() {
            let slot = Int(operation.slot)
            if operation.isAllocation {
                guard let object = allocate(Int(operation.bytes)) else { fatalError("mi_malloc failed") }
                object.storeBytes(of: UInt8(truncatingIfNeeded: index), as: UInt8.self)
                slots[slot] = object
            } else {
                let object = slots[slot].unsafelyUnwrapped
                checksum &+= UInt64(object.load(as: UInt8.self))
                release(object)
            }
        }
        return checksum
    }
}
