// The thirty-third batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-third batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// An allocator's size class, the power of two at or below a size, read
/// from the exponent of the size converted to `Double`: from 2^54 - 1 on, a
/// size within half a rounding step of the next power of two rounds up to
/// it, and the class comes out one too high.
func sizeClassViaDouble(_ size: UInt64) -> Int { Int((Double(size).bitPattern >> 52) & 0x7FF) - 1023 }

/// A kernel timer's test that a timer armed at `now` for `timeout` ticks
/// has expired: the deadline is taken in 32-bit arithmetic and compared as
/// a plain number (not by the sign of the difference, as time_after does),
/// so past `Int32.max` it wraps below `now`.
func armedTimerExpired(now: Int32, timeout: Int32) -> Bool { now >= now &+ timeout }

/// A metrics pipeline's total: the per-shard samples added in arrival order.
func arrivalOrderTotal(_ xs: [Double]) -> Double {
    var total = 0.0
    for x in xs { total += x }
    return total
}

/// A config reader's logical lines: a line ending in a backslash is joined
/// with the next one (the backslash dropped), unless that backslash is
/// itself escaped (an even run of them). With `countingBackslashes: false`
/// it is the buggy reader, which joins at any trailing backslash.
func logicalLines(_ text: String, countingBackslashes: Bool) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    var out: [String] = []
    var current: [Character] = []
    for (i, line) in lines.enumerated() {
        let trailing = line.reversed().prefix(while: { $0 == "\\" }).count
        let joins = i + 1 < lines.count && (countingBackslashes ? trailing % 2 == 1 : trailing > 0)
        if joins {
            current += line.dropLast()
        } else {
            out.append(String(current + line))
            current = []
        }
    }
    return out
}

/// A B-tree's key comparator written as memcmp over signed chars: bytes
/// from 0x80 on compare below 0x00 (a proper prefix still comes first).
func signedMemcmpPrecedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.map { Int8(bitPattern: $0) }.lexicographicallyPrecedes(b.map { Int8(bitPattern: $0) })
}

/// A C type as a binding generator lays it out: a scalar of 1, 2, 4 or 8
/// bytes (aligned to its size), or a struct of fields.
indirect enum CLayout: Equatable, Sendable {
    case scalar(Int64)
    case record([CLayout])

    var repr: String {
        switch self {
        case .scalar(let n): return "\(n)"
        case .record(let fields): return "[" + fields.map(\.repr).joined(separator: ", ") + "]"
        }
    }

    /// (size, alignment): a struct places each field at the field's
    /// alignment and pads its size to its own alignment, the greatest of its
    /// fields' (1 when it has none). With `alignFromFirstField` it is the
    /// generator's bug: a struct's alignment is its first field's.
    func layout(alignFromFirstField: Bool) -> (size: Int64, align: Int64) {
        switch self {
        case .scalar(let n):
            return (n, n)
        case .record(let fields):
            var offset: Int64 = 0
            var aligns: [Int64] = []
            for field in fields {
                let (size, align) = field.layout(alignFromFirstField: alignFromFirstField)
                offset = (offset + align - 1) / align * align + size
                aligns.append(align)
            }
            let align = alignFromFirstField ? (aligns.first ?? 1) : (aligns.max() ?? 1)
            return ((offset + align - 1) / align * align, align)
        }
    }
}

/// The pages a buffer of `length` bytes at `start` touches (to pin them for
/// DMA), counted as the length rounded up to whole pages of `1 << shift`
/// bytes: a buffer that does not start on a page boundary can run into one
/// page more.
func pagesByLength(_ length: Int64, shift: Int64) -> Int64 { (length + (1 << shift) - 1) >> shift }

func pagesTouched(start: Int64, length: Int64, shift: Int64) -> Int64 {
    ((start + length - 1) >> shift) - (start >> shift) + 1
}

/// A 32-bit value on a bytecode VM's stack, signed or unsigned.
enum VMValue: Equatable, Sendable {
    case i32(Int32)
    case u32(UInt32)

    var exact: Int64 {
        switch self {
        case .i32(let x): return Int64(x)
        case .u32(let x): return Int64(x)
        }
    }

    var repr: String {
        switch self {
        case .i32(let x): return "('i32', \(x))"
        case .u32(let x): return "('u32', \(x))"
        }
    }
}

/// A signed or an unsigned 32-bit value, the signed first.
let vmValues: Generator<VMValue> = Gen.oneOf(Gen.integers(of: Int32.self).map { VMValue.i32($0) },
                                             Gen.integers(of: UInt32.self).map { VMValue.u32($0) })

/// The VM's add: two unsigned operands add as unsigned, and a mixed pair
/// as signed, the unsigned one read as an `Int32`.
func vmAdd(_ a: VMValue, _ b: VMValue) -> Int64 {
    if case .u32(let x) = a, case .u32(let y) = b { return Int64(x) + Int64(y) }
    func signed(_ v: VMValue) -> Int64 {
        switch v {
        case .i32(let x): return Int64(x)
        case .u32(let x): return Int64(Int32(truncatingIfNeeded: x))
        }
    }
    return signed(a) + signed(b)
}

/// Per-CPU latency samples, nil for an offline CPU. The buggy average
/// divides the samples' sum by the number of CPUs, not of samples.
func latencyAverage(_ rows: [Int16?], overAllCPUs: Bool) -> Double? {
    let present = rows.compactMap { $0 }
    guard !present.isEmpty else { return nil }
    let sum = present.reduce(Int64(0)) { $0 + Int64($1) }
    return Double(sum) / Double(overAllCPUs ? rows.count : present.count)
}

/// Two refcount-delta journals (inode: delta, never 0) merged by adding the
/// deltas, keeping an inode whose deltas cancel with a delta of 0, which
/// replay takes as "the inode is live".
func mergedDeltaJournals(_ a: [Int64: Int8], _ b: [Int64: Int8]) -> [Int64: Int64] {
    var merged = a.mapValues { Int64($0) }
    for (k, v) in b { merged[k, default: 0] += Int64(v) }
    return merged
}

/// A CPU set as a cpulist: runs of three or more as "a-b", the others one
/// by one, in order, joined by commas.
func cpulist(_ cpus: Set<Int64>) -> String {
    let xs = cpus.sorted()
    var parts: [String] = []
    var i = 0
    while i < xs.count {
        var j = i
        while j + 1 < xs.count && xs[j + 1] == xs[j] + 1 { j += 1 }
        if j - i >= 2 {
            parts.append("\(xs[i])-\(xs[j])")
        } else {
            parts += xs[i...j].map { String($0) }
        }
        i = j + 1
    }
    return parts.joined(separator: ",")
}

/// A cpulist parser that takes "a-b" as the half-open range a..<b.
func parseCpulistHalfOpen(_ text: String) -> Set<Int64> {
    var out: Set<Int64> = []
    for part in text.split(separator: ",") {
        let bounds = part.split(separator: "-").map { Int64($0)! }
        if bounds.count == 2 {
            for x in bounds[0]..<max(bounds[0], bounds[1]) { out.insert(x) }
        } else {
            out.insert(bounds[0])
        }
    }
    return out
}

/// A heap that charges its blocks' bytes to a memory budget (blocks are
/// numbered handles). A realloc to a smaller size shrinks the block in
/// place and uncharges the difference but keeps the block's recorded size,
/// which a later free uncharges in full; one to a larger size charges the
/// difference and records the new size.
final class ChargingHeap {
    private(set) var charged = 0
    private var recorded: [Int: Int] = [:]
    private var made = 0

    func malloc(_ n: Int) -> Int {
        made += 1
        recorded[made] = n
        charged += n
        return made
    }

    func realloc(_ block: Int, _ n: Int) {
        let old = recorded[block]!
        if n <= old {
            charged -= old - n
        } else {
            charged += n - old
            recorded[block] = n
        }
    }

    func free(_ block: Int) { charged -= recorded.removeValue(forKey: block)! }
}

/// A file system's file whose truncate to a smaller size only lowers the
/// size, leaving the old bytes past it in the block, so growing the file
/// again (by truncate, or by a write past the end) shows them where zeros
/// belong.
final class StaleTailFile {
    private var block: [Int] = []
    private var size = 0

    var bytes: [Int] { Array(block[..<size]) }

    func write(_ offset: Int, _ value: Int) {
        if block.count < offset + 1 { block += [Int](repeating: 0, count: offset + 1 - block.count) }
        block[offset] = value
        size = max(size, offset + 1)
    }

    func truncate(_ n: Int) {
        if block.count < n { block += [Int](repeating: 0, count: n - block.count) }
        size = n
    }
}

/// A byte-weighted LRU cache of at most 4 bytes, its entries least recently
/// used first. A put of a present key should take the old size off before
/// adding the new one; then entries other than the new one are evicted,
/// least recently used first, while the cache is over its capacity. With
/// `overwriteUncharges: false` it is the buggy cache, which keeps charging
/// the old size, so later puts evict entries that fit.
final class WeightedLRU {
    let overwriteUncharges: Bool
    private var entries: [(key: Int, size: Int)] = []
    private var used = 0

    init(overwriteUncharges: Bool) { self.overwriteUncharges = overwriteUncharges }

    var keys: [Int] { entries.map(\.key) }

    func put(_ key: Int, _ size: Int) {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            let old = entries.remove(at: i)
            if overwriteUncharges { used -= old.size }
        }
        entries.append((key, size))
        used += size
        while used > 4 && entries[0].key != key { used -= entries.removeFirst().size }
    }

    func get(_ key: Int) {
        if let i = entries.firstIndex(where: { $0.key == key }) { entries.append(entries.remove(at: i)) }
    }
}

/// The thirty-third batch, written by someone who had not read the
/// shrinker: a size class read from a double's exponent, a timer deadline
/// that wraps in 32 bits, a total that depends on the order of the samples,
/// line continuation blind to escaped backslashes, keys compared as signed
/// chars, struct alignment taken from the first field, pages counted
/// without the buffer's offset, a VM that reads an unsigned operand as
/// signed, an average over offline CPUs, refcount deltas that cancel to a
/// kept zero, a cpulist parsed as half-open ranges, a shrink in place that
/// keeps the charged size, a truncate that leaves stale bytes and a
/// weighted cache that charges an overwritten entry twice.
func thirtyThirdBatch() -> [Problem] { [
    // UInt64 sizes: the size class from the exponent of the size as a Double must be its highest set bit.
    problem("size_class_via_double_exponent_rounds_up", Gen.integers(of: UInt64.self), ideal: { $0 == (1 << 54) - 1 }) { size in
        if size > 0 { try check(sizeClassViaDouble(size) == 63 - size.leadingZeroBitCount) }
    },
    // (now Int32, timeout 1...Int32.max): a timer just armed must not read as expired.
    problem("deadline_int32_sum_wraps_expired",
            Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self, in: 1...Int32.max)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, Int32.max) }) { t in
        try check(!armedTimerExpired(now: t.0, timeout: t.1))
    },
    // Lists of finite doubles: the total in arrival order must be the total in reverse order.
    problem("float_sum_shard_order_changes_total", Gen.arrays(of: Gen.doubles(allowNaN: false, allowInfinity: false)),
            show: { pyList($0.map(pyFloat)) }, ideal: { $0 == [1, 1, 0x1p53] }) { xs in
        try check(arrivalOrderTotal(xs) == arrivalOrderTotal(xs.reversed()))
    },
    // Config texts over "a", backslash and newline: the buggy reader's logical lines against the correct one's.
    problem("line_continuation_ignores_escaped_backslash", Gen.strings(of: Gen.characters(from: "a\\\n")),
            show: { "'" + $0.map { $0 == "\\" ? "\\\\" : $0 == "\n" ? "\\n" : String($0) }.joined() + "'" },
            ideal: { $0 == "\\\\\n" }) { text in
        try check(logicalLines(text, countingBackslashes: false) == logicalLines(text, countingBackslashes: true))
    },
    // Lists of keys of 0...8 bytes: sorted by the signed comparator they must come out in byte order.
    problem("memcmp_signed_char_sorts_high_bytes_first", Gen.arrays(of: Gen.bytes(count: 0...8)),
            show: { pyList($0.map(pyBytes)) }, ideal: { $0 == [[0], [0x80]] }) { keys in
        try check(keys.sorted(by: signedMemcmpPrecedes) == keys.sorted { $0.lexicographicallyPrecedes($1) })
    },
    // C types (scalars of 1, 2, 4, 8 bytes, structs of 0...4 fields, three levels deep): the struct's size.
    problem("struct_layout_align_from_first_field",
            Gen.recursive(maxDepth: 3, label: "layout", base: Gen.integers(in: 0...3).map { CLayout.scalar(1 << $0) }) { inner in
                Gen.arrays(of: inner, count: 0...4).map { CLayout.record($0) }
            },
            show: { $0.repr }, ideal: { $0 == .record([.scalar(1), .scalar(2), .scalar(1)]) }) { t in
        try check(t.layout(alignFromFirstField: true).size == t.layout(alignFromFirstField: false).size)
    },
    // A page shift 9...16, then a buffer's start and length within four pages: the pages it touches.
    problem("pages_spanned_ignores_start_offset",
            Gen.integers(in: 9...16).flatMap { shift in
                Gen.zip(Gen.integers(in: 0...(4 << shift)), Gen.integers(in: 1...(4 << shift))).map { (shift, $0.0, $0.1) }
            },
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (9, 1, 512) }) { t in
        try check(pagesByLength(t.2, shift: t.0) == pagesTouched(start: t.1, length: t.2, shift: t.0))
    },
    // Pairs of signed or unsigned 32-bit VM values: their sum must be exact.
    problem("vm_mixed_add_reads_u32_as_i32",
            Gen.zip(vmValues, vmValues), show: { "(\($0.0.repr), \($0.1.repr))" },
            ideal: { $0.0 == VMValue.i32(0) && $0.1 == VMValue.u32(1 << 31) }) { t in
        try check(vmAdd(t.0, t.1) == t.0.exact + t.1.exact)
    },
    // Lists of optional Int16 samples: the average over all CPUs against the average over the samples.
    problem("latency_average_divides_by_offline_cpus", Gen.arrays(of: Gen.optional(Gen.integers(of: Int16.self))),
            show: { pyList($0.map { $0.map { "\($0)" } ?? "None" }) }, ideal: { $0 == [nil, 1] }) { rows in
        try check(latencyAverage(rows, overAllCPUs: true) == latencyAverage(rows, overAllCPUs: false))
    },
    // Pairs of journals (inodes 0...7, Int8 deltas -16...16), those without a 0: the merge must hold no 0.
    problem("refcount_delta_merge_keeps_cancelled",
            Gen.zip(Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.integers(of: Int8.self, in: -16...16)),
                    Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.integers(of: Int8.self, in: -16...16))),
            show: { "(\(pyDict($0.0.mapValues { Int64($0) })), \(pyDict($0.1.mapValues { Int64($0) })))" },
            ideal: { $0.0 == [0: 1] && $0.1 == [0: -1] }) { t in
        if !t.0.values.contains(0) && !t.1.values.contains(0) {
            try check(!mergedDeltaJournals(t.0, t.1).values.contains(0))
        }
    },
    // Sets of CPUs 0...63 printed as a cpulist and parsed back with half-open ranges.
    problem("cpulist_range_parsed_half_open", Gen.sets(of: Gen.integers(in: 0...63)), show: pySet, ideal: { $0 == [0, 1, 2] }) { cpus in
        try check(parseCpulistHalfOpen(cpulist(cpus)) == cpus)
    },
    // mallocs and reallocs of 1...4 bytes and frees on a heap whose shrink in place keeps the charged size.
    machineProblem("machine_shrink_in_place_keeps_charged_size", StateMachine<[Int: Int], ChargingHeap>(
        model: { [:] }, system: ChargingHeap.init,
        rules: [
            .init("malloc") { live, heap, step in
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                let block = heap.malloc(size)
                live[block] = size
                step.produce(block, into: "blocks")
            },
            .init("realloc", precondition: { !$0.isEmpty }) { live, heap, step in
                let block = try step.pick(from: "blocks", as: Int.self, label: "block")
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                live[block] = size
                heap.realloc(block, size)
            },
            .init("free", precondition: { !$0.isEmpty }) { live, heap, step in
                let block = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                live[block] = nil
                heap.free(block)
            },
        ],
        check: { live, heap in
            let expected = live.values.reduce(0, +)
            try expect(heap.charged == expected, "charged \(heap.charged), the live blocks hold \(expected)")
        }),
        ideal: ["v1 = malloc(size: 2)", "realloc(block: v1, size: 1)", "free(block: v1)"]),
    // Writes of 0...9 at offsets 0...3 and truncates to 0...3 bytes on a file whose truncate leaves stale bytes.
    machineProblem("machine_truncate_extend_exposes_stale_bytes", StateMachine<[Int], StaleTailFile>(
        model: { [] }, system: StaleTailFile.init,
        rules: [
            .init("write") { bytes, file, step in
                let offset = try step.draw(Gen.ints(in: 0...3), "offset")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                if bytes.count < offset + 1 { bytes += [Int](repeating: 0, count: offset + 1 - bytes.count) }
                bytes[offset] = value
                file.write(offset, value)
            },
            .init("truncate") { bytes, file, step in
                let size = try step.draw(Gen.ints(in: 0...3), "size")
                bytes = Array((bytes + [Int](repeating: 0, count: size)).prefix(size))
                file.truncate(size)
            },
        ],
        check: { bytes, file in
            try expect(file.bytes == bytes, "bytes \(file.bytes), expected \(bytes)")
        }),
        ideal: ["write(offset: 0, value: 1)", "truncate(size: 0)", "truncate(size: 1)"]),
    // Puts of keys 0...2 with sizes 1...4 and gets on a 4-byte LRU cache whose overwrite keeps the old size charged.
    machineProblem("machine_weighted_lru_overwrite_keeps_old_size", StateMachine<WeightedLRU, WeightedLRU>(
        model: { WeightedLRU(overwriteUncharges: true) }, system: { WeightedLRU(overwriteUncharges: false) },
        rules: [
            .init("put") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...2), "key")
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                model.put(key, size)
                cache.put(key, size)
            },
            .init("get") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...2), "key")
                model.get(key)
                cache.get(key)
            },
        ],
        check: { model, cache in
            try expect(cache.keys == model.keys, "keys \(cache.keys), expected \(model.keys)")
        }),
        ideal: ["put(key: 0, size: 1)", "put(key: 0, size: 1)", "put(key: 1, size: 3)"]),
] }
