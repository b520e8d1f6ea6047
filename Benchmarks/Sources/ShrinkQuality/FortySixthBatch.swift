// The forty-sixth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-sixth batch after the forty-fifth), of the kinds a user testing an
// allocator writes first: alloc/free traces with sizes up to 4 MiB, byte
// inputs parsed as records, intervals, bit masks and bitmaps, sets,
// dictionaries, doubles near a boundary, one-of records and small state
// machines. The orders are those the forty-fifth batch's header states.
// Each problem's comment says why its minimum is the least failing value:
// sizes, offsets and counts are integers compared value by value, the
// doubles' minima are integers (which come before every fraction) or the
// fraction with the fewest fractional bits in the least exponent that can
// fail, and a machine's minimum has the fewest steps, then the least rule
// and argument choices in order.

import PropertyTesting
import ShrinkBenchmarkSupport

private let mib: Int64 = 1 << 20

/// A record of the one-of problem: allocate into a slot, free it, or reallocate it.
private enum B46Record: Equatable, Sendable {
    case alloc(slot: Int64, size: Int64)
    case free(slot: Int64)
    case realloc(slot: Int64, size: Int64)

    var repr: String {
        switch self {
        case .alloc(let s, let z): return "('alloc', \(s), \(z))"
        case .free(let s): return "('free', \(s))"
        case .realloc(let s, let z): return "('realloc', \(s), \(z))"
        }
    }
}

private let b46Records = Gen.oneOf(
    Gen.zip(Gen.integers(in: 0...7), Gen.integers(in: 1...4 * mib)).map { B46Record.alloc(slot: $0.0, size: $0.1) },
    Gen.integers(in: 0...7).map { B46Record.free(slot: $0) },
    Gen.zip(Gen.integers(in: 0...7), Gen.integers(in: 1...4 * mib)).map { B46Record.realloc(slot: $0.0, size: $0.1) })

/// A pool whose free of a block of 2 MiB or more, while another block is
/// live, takes only half its size off the live total.
private final class B46Pool {
    var sizes: [Int: Int] = [:]
    var live = 0
    var next = 0
    func alloc(_ size: Int) -> Int { next += 1; sizes[next] = size; live += size; return next }
    func free(_ handle: Int) {
        let size = sizes[handle]!
        live -= size >= 2 * Int(mib) && sizes.count >= 2 ? size / 2 : size
        sizes[handle] = nil
    }
}

private struct B46Range: Sendable, Equatable { let start: Int; let length: Int }

/// Reserved ranges whose overlap test takes a new range's end one byte short.
private final class B46RangeMap {
    var ranges: [Int: B46Range] = [:]
    var next = 0
    func overlaps(_ start: Int, _ length: Int) -> Bool {
        ranges.values.contains { start < $0.start + $0.length && $0.start < start + length - 1 }
    }
}

/// Reference counts that saturate at 3.
private final class B46RefCounts {
    var counts: [Int: Int] = [:]
    var next = 0
    func new() -> Int { next += 1; counts[next] = 1; return next }
    func retain(_ handle: Int) { counts[handle] = min(3, counts[handle]! + 1) }
    func release(_ handle: Int) { counts[handle]! -= 1 }
}

private func b46ShowOps(_ xs: [(Bool, Int64)]) -> String { "[" + xs.map { "(\(pyBool($0.0)), \($0.1))" }.joined(separator: ", ") + "]" }
private func b46ShowPairs(_ xs: [(Int64, Int64)]) -> String { "[" + xs.map { "(\($0.0), \($0.1))" }.joined(separator: ", ") + "]" }
private func b46SamePairs(_ a: [(Int64, Int64)], _ b: [(Int64, Int64)]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { $0 == $1 } }
private func b46Overlap(_ a: (Int64, Int64), _ b: (Int64, Int64)) -> Bool { a.0 < b.0 + b.1 && b.0 < a.0 + a.1 }

func fortySixthBatch() -> [Problem] { [
    // Live bytes of an alloc/free trace (a free pops the latest block) above
    // 6 MiB: two allocations, the first as small as the second's 4 MiB allows.
    problem("trace_live_bytes_over_6mib", Gen.arrays(of: Gen.zip(Gen.booleans(), Gen.integers(in: 1...4 * mib))), show: b46ShowOps,
            ideal: { $0.count == 2 && $0[0] == (true, 2 * mib + 1) && $0[1] == (true, 4 * mib) }) { ops in
        var live: [Int64] = []
        for (isAlloc, size) in ops {
            if isAlloc { live.append(size) } else if !live.isEmpty { live.removeLast() }
            try check(live.reduce(0, +) <= 6 * mib)
        }
    },
    // A slot freed twice (operation 0 allocates a slot, 1 frees it): allocate
    // slot 0, free it, free it again.
    problem("trace_slot_double_free", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...1), Gen.integers(in: 0...3))), show: b46ShowPairs,
            ideal: { b46SamePairs($0, [(0, 0), (1, 0), (1, 0)]) }) { ops in
        var state = [Int](repeating: 0, count: 4)  // 0 never allocated, 1 live, 2 freed
        for (op, slot) in ops {
            let s = Int(slot)
            if op == 0 { state[s] = 1 } else if state[s] == 2 { throw Falsified() } else if state[s] == 1 { state[s] = 2 }
        }
    },
    // Rounding a size up to a multiple of 4096 wraps past 2^64 from 2^64 - 4095 on.
    problem("size_round_up_4096_wraps", Gen.integers(of: UInt64.self), ideal: { $0 == UInt64.max - 4094 }) { x in
        try check((x &+ 4095) & ~4095 >= x)
    },
    // Length-prefixed records: a whole record of 3 bytes or more holding 0xFF.
    // Four bytes at least (a length and three), the least of them [3, 0, 0, 255].
    problem("bytes_record_len3_holds_ff", Gen.bytes(count: 0...32), show: pyBytes, ideal: { $0 == [3, 0, 0, 255] }) { b in
        var p = 0
        while p < b.count {
            let n = Int(b[p])
            if p + 1 + n > b.count { break }
            try check(!(n >= 3 && b[(p + 1)..<(p + 1 + n)].contains(255)))
            p += 1 + n
        }
    },
    // A little-endian 16-bit length above 1000 ahead of a payload: three
    // bytes, the low byte 0 and the high byte 4 (1024).
    problem("bytes_le16_header_over_1000", Gen.bytes(count: 0...32), show: pyBytes, ideal: { $0 == [0, 4, 0] }) { b in
        guard b.count >= 3 else { return }
        try check(Int(b[0]) | Int(b[1]) << 8 <= 1000)
    },
    // Two overlapping intervals (start, length) in a list.
    problem("intervals_list_overlap", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 1...100))),
            show: b46ShowPairs, ideal: { b46SamePairs($0, [(0, 1), (0, 1)]) }) { xs in
        for i in xs.indices { for j in xs.indices where i < j { try check(!b46Overlap(xs[i], xs[j])) } }
    },
    // The same among intervals that start at 500 or above.
    problem("intervals_overlap_above_500", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 1...100))),
            show: b46ShowPairs, ideal: { b46SamePairs($0, [(500, 1), (500, 1)]) }) { xs in
        for i in xs.indices {
            for j in xs.indices where i < j && xs[i].0 >= 500 && xs[j].0 >= 500 { try check(!b46Overlap(xs[i], xs[j])) }
        }
    },
    // Two flag bits set in the top byte of a 32-bit mask: its two lowest bits.
    problem("mask_top_byte_two_bits", Gen.integers(of: UInt32.self), ideal: { $0 == 0x0300_0000 }) { x in
        try check((x & 0xFF00_0000).nonzeroBitCount < 2)
    },
    // A page bitmap with three free pages in a row from page 8 on: bits 8 to 10.
    problem("bitmap_run3_above_page8", Gen.integers(of: UInt64.self), ideal: { $0 == 0x700 }) { x in
        let y = x >> 8
        try check(y & (y >> 1) & (y >> 2) == 0)
    },
    // A set with three elements in 100...199.
    problem("set_three_in_100s", Gen.sets(of: Gen.integers(in: 0...10_000)), show: pySet, ideal: { $0 == [100, 101, 102] }) { s in
        try check(s.filter { (100...199).contains($0) }.count < 3)
    },
    // Two inner lists of two or more elements.
    problem("nested_two_inner_len2", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100))),
            show: { "[" + $0.map(pyList).joined(separator: ", ") + "]" }, ideal: { $0 == [[0, 0], [0, 0]] }) { xss in
        try check(xss.filter { $0.count >= 2 }.count < 2)
    },
    // Sizes by slot adding up to more than 4 MiB: two slots (one size is at
    // most 4 MiB), the first size as small as the second's 4 MiB allows.
    problem("dict_sizes_over_4mib", Gen.dictionaries(keys: Gen.integers(in: 0...63), values: Gen.integers(in: 1...4 * mib)),
            show: pyDict, ideal: { $0 == [0: 1, 1: 4 * mib] }) { d in
        try check(d.values.reduce(0, +) <= 4 * mib)
    },
    // A digit followed by an ASCII capital: the first of each, "0A".
    problem("text_digit_then_upper", Gen.strings(), show: pyString, ideal: { $0 == "0A" }) { s in
        let u = Array(s.unicodeScalars)
        try check(!zip(u, u.dropFirst()).contains { ("0"..."9").contains($0.0) && ("A"..."Z").contains($0.1) })
    },
    // An address half a byte below a page's end crosses it: no integer does,
    // and 4095.5 is the fraction of one fractional bit in the least exponent
    // (2^11) that reaches a page's end.
    problem("float_crosses_page", Gen.doubles(in: 0...8192), show: pyFloat, ideal: { $0 == 4095.5 }) { x in
        try check((x / 4096).rounded(.down) == ((x + 0.5) / 4096).rounded(.down))
    },
    // Used over capacity above 1: the capacity at its simplest, 1, and the
    // least integer above it.
    problem("float_used_over_capacity", Gen.zip(Gen.doubles(in: 0...1e6), Gen.doubles(in: 1...1e6)),
            show: { "(\(pyFloat($0.0)), \(pyFloat($0.1)))" }, ideal: { $0 == (2.0, 1.0) }) { t in
        try check(t.0 / t.1 <= 1)
    },
    // A size stored as a Float off by more than a byte: below 2^24 a Float
    // holds every integer, below 2^25 it rounds by at most 1, and 2^25 + 2 is
    // the first integer it rounds by 2.
    problem("float32_size_error_over_1", Gen.doubles(in: 0...1e9), show: pyFloat, ideal: { $0 == 33_554_434 }) { x in
        try check(abs(Double(Float(x)) - x) <= 1)
    },
    // A reallocation of a live slot to more than twice its size and above 1 MiB.
    problem("oneof_realloc_grows_live_slot", Gen.arrays(of: b46Records), show: { "[" + $0.map(\.repr).joined(separator: ", ") + "]" },
            ideal: { $0 == [.alloc(slot: 0, size: 1), .realloc(slot: 0, size: mib + 1)] }) { records in
        var live: [Int64: Int64] = [:]
        for r in records {
            switch r {
            case .alloc(let s, let z): live[s] = z
            case .free(let s): live[s] = nil
            case .realloc(let s, let z):
                if let old = live[s] { try check(!(z > 2 * old && z > mib)); live[s] = z }
            }
        }
    },
    // A pool that counts half of a large block freed while another is live:
    // a small block first (its size is the first argument), then the large one, freed.
    machineProblem("machine_pool_large_free_miscount", StateMachine<(live: Int, count: Int), B46Pool>(
        model: { (0, 0) }, system: B46Pool.init,
        rules: [
            .init("alloc") { model, pool, step in
                let size = try step.draw(Gen.ints(in: 1...4 * Int(mib)), "size")
                model.live += size
                model.count += 1
                step.produce(pool.alloc(size), into: "blocks")
            },
            .init("free", precondition: { $0.count > 0 }) { model, pool, step in
                let handle = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                model.live -= pool.sizes[handle]!
                model.count -= 1
                pool.free(handle)
            },
        ],
        check: { model, pool in try expect(model.live == pool.live, "live \(model.live) vs \(pool.live)") }),
        ideal: ["v1 = alloc(size: 1)", "v2 = alloc(size: 2097152)", "free(block: v2)"]),
    // Reservations whose overlap test takes the new range's end one byte
    // short: the first range must start where the second's last byte is, and
    // a length is 4096 at least.
    machineProblem("machine_reserve_overlap_off_by_one", StateMachine<[B46Range], B46RangeMap>(
        model: { [] }, system: B46RangeMap.init,
        rules: [
            .init("reserve") { model, map, step in
                let start = try step.draw(Gen.ints(in: 0...4 * Int(mib)), "start")
                let length = try step.draw(Gen.ints(in: 4096...Int(mib)), "len")
                let modelSays = model.contains { start < $0.start + $0.length && $0.start < start + length }
                try expect(modelSays == map.overlaps(start, length), "overlap disagreement")
                if !modelSays {
                    model.append(B46Range(start: start, length: length))
                    map.next += 1
                    map.ranges[map.next] = B46Range(start: start, length: length)
                    step.produce(map.next, into: "ranges")
                }
            },
            .init("release", precondition: { !$0.isEmpty }) { model, map, step in
                let handle = try step.pick(from: "ranges", as: Int.self, label: "range", remove: true)
                let range = map.ranges[handle]!
                model.removeAll { $0 == range }
                map.ranges[handle] = nil
            },
        ]),
        ideal: ["v1 = reserve(start: 4095, len: 4096)", "reserve(start: 0, len: 4096)"]),
    // Reference counts that saturate at 3: a fourth reference.
    machineProblem("machine_refcount_saturates", StateMachine<[Int], B46RefCounts>(
        model: { [] }, system: B46RefCounts.init,
        rules: [
            .init("new") { model, counts, step in
                model.append(1)
                step.produce(counts.new(), into: "objects")
            },
            .init("retain", precondition: { !$0.isEmpty }) { model, counts, step in
                let handle = try step.pick(from: "objects", as: Int.self, label: "h")
                model[handle - 1] += 1
                counts.retain(handle)
            },
            .init("release", precondition: { !$0.isEmpty }) { model, counts, step in
                let handle = try step.pick(from: "objects", as: Int.self, label: "h")
                model[handle - 1] -= 1
                counts.release(handle)
            },
        ],
        check: { model, counts in
            for (i, c) in model.enumerated() { try expect(counts.counts[i + 1] == c, "count of v\(i + 1)") }
        }),
        ideal: ["v1 = new()", "retain(h: v1)", "retain(h: v1)", "retain(h: v1)"]),
] }
