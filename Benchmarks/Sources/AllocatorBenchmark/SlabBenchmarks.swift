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
//   and the same with every debug option (F, Z, P, U) on, to show their cost.
// - kmalloc mixed: a size class chosen uniformly among 8 B ... 8 KiB, then a
//   size uniformly among the sizes that class serves (`kmalloc`/`kfree`).
//
// Baseline "malloc": glibc `malloc(bytes)`/`free(p)` of the same sizes, in
// the same run. All sides write the first byte of every object and read it
// back before freeing it. Every allocation and every free is one operation.

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
        /// A cache's `allocate`/`free`, with these debug options.
        case cache(SlabDebugOptions)
        /// `kmalloc`/`kfree`.
        case kmalloc
    }

    var name: String
    var kind: Kind
    var operations: [SlabOperation]
    var slotCount: Int

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
    static let baselineNames = ["malloc"]

    static func run(_ configuration: BenchmarkConfiguration) -> [ComparisonRow] {
        let steps = configuration.quick ? 200_000 : 2_000_000
        let slotCount = 100_000
        let classes = SlabAllocator.standardKmallocClasses
        let workloads = [
            SlabWorkload.generateChurn(name: "cache 64 B churn, debug off", kind: .cache([]), steps: steps,
                                       longLived: slotCount / 2, maxBatch: 64, seed: configuration.seed &+ 13) { _ in 64 },
            SlabWorkload.generateChurn(name: "cache 64 B churn, debug FZPU", kind: .cache(.all), steps: steps,
                                       longLived: slotCount / 2, maxBatch: 64, seed: configuration.seed &+ 14) { _ in 64 },
            SlabWorkload.generate(name: "cache 64 B random frees, debug off", kind: .cache([]), steps: steps,
                                  slotCount: slotCount, seed: configuration.seed &+ 10) { _ in 64 },
            SlabWorkload.generate(name: "cache 64 B random frees, debug FZPU", kind: .cache(.all), steps: steps,
                                  slotCount: slotCount, seed: configuration.seed &+ 11) { _ in 64 },
            SlabWorkload.generate(name: "kmalloc mixed 1 B...8 KiB", kind: .kmalloc, steps: steps,
                                  slotCount: slotCount / 4, seed: configuration.seed &+ 12) { random in
                let index = Int(random.next() % UInt64(classes.count))
                let low = index == 0 ? 1 : classes[index - 1] + 1
                return low + Int(random.next() % UInt64(classes[index] - low + 1))
            },
        ]
        return workloads.map { workload in
            let layer: SlabAllocator
            do {
                layer = try SlabAllocator(pageAllocator: PageAllocator(pageCount: arenaPages))
            } catch {
                fatalError("cannot create the slab benchmark arena: \(error)")
            }
            return measure(workload, on: layer, repetitions: configuration.repetitions)
        }
    }

    /// Times `workload` on our layer and on malloc: one untimed warm-up run
    /// each, then `repetitions` timed runs each, alternating which goes first.
    /// Stops the program if the checksums differ or objects are left behind.
    static func measure(_ workload: SlabWorkload, on layer: SlabAllocator, repetitions: Int) -> ComparisonRow {
        let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: workload.slotCount)
        slots.initialize(repeating: nil, count: workload.slotCount)
        defer { slots.deallocate() }
        let cache: SlabCacheID?
        switch workload.kind {
        case let .cache(debug):
            do { cache = try layer.createCache(name: "bench-64", objectSize: 64, debug: debug) } catch {
                fatalError("cannot create the benchmark cache: \(error)")
            }
        case .kmalloc: cache = nil
        }
        return workload.operations.withUnsafeBufferPointer { operations in
            var checksums: [UInt64] = [0, 0]
            func run(side: Int) {
                if side == 1 {
                    checksums[1] = runMalloc(operations, slots: slots)
                } else if let cache {
                    checksums[0] = runCache(operations, on: layer, cache: cache, slots: slots)
                    if (try? layer.info(cache).activeObjects) != 0 { fatalError("\(workload.name): objects left behind") }
                } else {
                    checksums[0] = runKmalloc(operations, on: layer, slots: slots)
                }
            }
            for side in 0..<2 { run(side: side) }
            var samples: [[UInt64]] = [[], []]
            for repetition in 0..<repetitions {
                for step in 0..<2 {
                    let side = (repetition + step) % 2
                    samples[side].append(timeNanoseconds { run(side: side) })
                }
                guard checksums[0] == checksums[1] else {
                    fatalError("\(workload.name): the sides' checksums differ: \(checksums)")
                }
            }
            let count = Double(operations.count)
            return ComparisonRow(workload: workload.name, operations: operations.count,
                                 oursNanosecondsPerOperation: median(samples[0]) / count,
                                 baselineNanosecondsPerOperation: [median(samples[1]) / count])
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
}
