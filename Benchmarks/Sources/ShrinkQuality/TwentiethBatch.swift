// The twentieth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twentieth batch at its end). Every expected minimum is the same in both
// engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum ReallocOp: Equatable {
    case alloc(Int64)
    case realloc(Int64, Int64)
    case free(Int64)
    var repr: String {
        switch self {
        case .alloc(let n): return "('alloc', \(n))"
        case .realloc(let i, let n): return "('realloc', \(i), \(n))"
        case .free(let i): return "('free', \(i))"
        }
    }
}

enum HeapOp: Equatable, Sendable {
    case push(Int64)
    case pop
    var repr: String {
        switch self {
        case .push(let x): return "('push', \(x))"
        case .pop: return "('pop',)"
        }
    }
}

enum Endpoint: Equatable {
    case tcp(port: Int64, tls: Bool)
    case unix(path: [UInt8])
    case vsock(cid: Int64?, port: Int64)
    var repr: String {
        switch self {
        case .tcp(let port, let tls): return "('tcp', \(port), \(tls ? "True" : "False"))"
        case .unix(let path): return "('unix', \(pyBytes(path)))"
        case .vsock(let cid, let port): return "('vsock', \(pyOpt(cid)), \(port))"
        }
    }
}

/// Power-of-two slot classes of at least 16 bytes.
func slotClass(_ n: Int64) -> Int64 {
    var c: Int64 = 16
    while c < n { c *= 2 }
    return c
}

/// Runs an allocation trace against slots of power-of-two classes. A realloc
/// to less than half its slot should move the block to a smaller slot and
/// release the old one; this one relabels the slot as the smaller class and
/// keeps it. After the trace every block is freed, and the free slots must
/// hold every byte taken from the system.
func reallocTraceBalances(_ ops: [ReallocOp]) -> Bool {
    var system: Int64 = 0
    var freeSlots: [Int64: Int64] = [:]
    var live: [Int64] = []
    func take(_ c: Int64) {
        if freeSlots[c, default: 0] > 0 { freeSlots[c]! -= 1 } else { system += c }
    }
    for op in ops {
        switch op {
        case .alloc(let n):
            let c = slotClass(n)
            take(c)
            live.append(c)
        case .realloc(let i, let n):
            let c = slotClass(n)
            guard i < live.count else { continue }
            let old = live[Int(i)]
            if c > old {
                freeSlots[old, default: 0] += 1
                take(c)
                live[Int(i)] = c
            } else if c * 2 < old {
                live[Int(i)] = c
            }
        case .free(let i):
            if i < live.count { freeSlots[live.remove(at: Int(i)), default: 0] += 1 }
        }
    }
    for c in live { freeSlots[c, default: 0] += 1 }
    return freeSlots.map { $0.key * $0.value }.reduce(0, +) == system
}

/// An 8-page arena handing out naturally aligned runs of 2^order pages,
/// first fit. Whether every request that failed had fewer pages free than it needed.
func arenaRefusesOnlyWhenFull(_ ops: [TraceOp]) -> Bool {
    var used = [Bool](repeating: false, count: 8)
    var live: [(start: Int, count: Int)] = []
    for op in ops {
        switch op {
        case .alloc(let order):
            let n = 1 << Int(order)
            guard let start = stride(from: 0, to: 8, by: n).first(where: { s in !used[s..<(s + n)].contains(true) }) else {
                if used.filter({ !$0 }).count >= n { return false }
                continue
            }
            for p in start..<(start + n) { used[p] = true }
            live.append((start, n))
        case .free(let i):
            guard i < live.count else { continue }
            let block = live.remove(at: Int(i))
            for p in block.start..<(block.start + block.count) { used[p] = false }
        }
    }
    return true
}

/// Unsigned LEB128 varints of at most 32 bits, one after another to the
/// end; nil when one is cut short, longer than `maxBytes` or past 32 bits.
func decodeVarints(_ b: [UInt8], maxBytes: Int) -> [UInt64]? {
    var out: [UInt64] = []
    var i = 0
    while i < b.count {
        var value: UInt64 = 0, shift: UInt64 = 0, k = 0
        while true {
            if i >= b.count || k == maxBytes { return nil }
            let byte = b[i]
            i += 1
            k += 1
            if k == 5 && byte > 0x0F { return nil }
            value |= UInt64(byte & 0x7F) << shift
            shift += 7
            if byte < 0x80 { break }
        }
        out.append(value)
    }
    return out
}

/// A binary min-heap whose sift-down only looks at the left child; whether
/// every pop returned the least value pushed and not yet popped.
func heapPopsInOrder(_ ops: [HeapOp]) -> Bool {
    var heap: [Int64] = []
    var model: [Int64] = []
    for op in ops {
        switch op {
        case .push(let x):
            heap.append(x)
            var i = heap.count - 1
            while i > 0 && heap[(i - 1) / 2] > heap[i] {
                heap.swapAt((i - 1) / 2, i)
                i = (i - 1) / 2
            }
            model.append(x)
        case .pop:
            guard !heap.isEmpty else { continue }
            let top = heap[0]
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
            var i = 0
            while 2 * i + 1 < heap.count && heap[2 * i + 1] < heap[i] {
                heap.swapAt(2 * i + 1, i)
                i = 2 * i + 1
            }
            let m = model.min()!
            model.remove(at: model.firstIndex(of: m)!)
            if top != m { return false }
        }
    }
    return true
}

/// Intervals (start, length) as [start, start + length), merged after
/// sorting; the merge sets the end to the later interval's end instead of
/// the larger of the two. Whether the merge covers the same points.
func mergeKeepsCover(_ xs: [(Int64, Int64)]) -> Bool {
    let spans = xs.map { ($0.0, $0.0 + $0.1) }
    var merged: [(Int64, Int64)] = []
    for (s, e) in spans.sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }) {
        if let last = merged.last, s <= last.1 { merged[merged.count - 1].1 = e } else { merged.append((s, e)) }
    }
    func cover(_ ys: [(Int64, Int64)]) -> Set<Int64> { Set(ys.flatMap { Array($0.0..<$0.1) }) }
    return cover(merged) == cover(spans)
}

/// Open addressing over 16 slots with linear probing; a delete empties its
/// slot instead of leaving a tombstone. Whether every key inserted and not
/// deleted is still found.
func probingKeepsKeys(_ ops: [(String, Int64)]) -> Bool {
    var slots = [Int64?](repeating: nil, count: 16)
    var model: Set<Int64> = []
    func find(_ k: Int64) -> Int? {
        for j in 0..<16 {
            let s = Int((k + Int64(j)) % 16)
            guard let held = slots[s] else { return nil }
            if held == k { return s }
        }
        return nil
    }
    for (op, k) in ops {
        if op == "insert" {
            guard find(k) == nil, let s = (0..<16).map({ Int((k + Int64($0)) % 16) }).first(where: { slots[$0] == nil }) else {
                continue
            }
            slots[s] = k
            model.insert(k)
        } else {
            if let s = find(k) { slots[s] = nil }
            model.remove(k)
        }
    }
    return model.allSatisfy { find($0) != nil }
}

/// Run-length encoding of a page bitmap as (digit "1"..."9", bit) pairs,
/// longer runs split; the encoder's split lets a run reach 10, whose digit
/// ":" the decoder rejects. Whether decoding gives the bitmap back.
func rleRoundTrips(_ bits: [Bool]) -> Bool {
    let b = bits.map { UInt8($0 ? 1 : 0) }
    var enc: [UInt8] = []
    var i = 0
    while i < b.count {
        var n = 1
        while i + n < b.count && b[i + n] == b[i] && n <= 9 { n += 1 }
        enc += [UInt8(0x30 + n), b[i]]
        i += n
    }
    var dec: [UInt8]? = []
    for j in stride(from: 0, to: enc.count, by: 2) {
        guard (0x31...0x39).contains(enc[j]) else { dec = nil; break }
        dec! += [UInt8](repeating: enc[j + 1], count: Int(enc[j]) - 0x30)
    }
    return dec == b
}

/// Tokens of a string over "a1 +-*": spaces skipped, runs of letters and
/// digits, and operators ("+", "-", "*" and the doubled "++", "--", "**");
/// the tokenizer joins an operator with any operator after it.
func tokenize(_ s: String) -> [String] {
    let c = Array(s)
    let operators: Set<Character> = ["+", "-", "*"]
    var out: [String] = []
    var i = 0
    while i < c.count {
        if c[i] == " " {
            i += 1
        } else if operators.contains(c[i]) {
            let n = i + 1 < c.count && operators.contains(c[i + 1]) ? 2 : 1
            out.append(String(c[i..<(i + n)]))
            i += n
        } else {
            var j = i
            while j < c.count && (c[j].isLetter || c[j].isNumber) { j += 1 }
            out.append(String(c[i..<j]))
            i = j
        }
    }
    return out
}

/// An 8-bit one's-complement checksum (the bytes summed, the carries folded
/// back in `folds` times, complemented).
func onesComplementChecksum(_ b: [UInt8], folds: Int) -> Int {
    var s = b.reduce(0) { $0 + Int($1) }
    for _ in 0..<folds { s = (s & 0xFF) + (s >> 8) }
    return ~s & 0xFF
}

func daysInMonth(_ month: Int64, _ year: Int64) -> Int64 {
    if month == 2 { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28 }
    return [4, 6, 9, 11].contains(month) ? 30 : 31
}

/// The twentieth batch, written by someone who had not read the shrinker:
/// kinds the suite lacks, mostly what allocator and systems developers test.
/// A realloc to below half its slot that leaks the slot, aligned page runs
/// that fragment an 8-page arena, a varint decoder that refuses five-byte
/// varints, a heap whose sift-down ignores the right child, interval
/// merging, linear probing without tombstones, run-length encoding of a
/// bitmap at a run of ten, a 2x2 block of a matrix, a directed triangle in an edge list, a
/// date whose day carry ignores the month's length, a tokenizer joining two
/// operators, a one's-complement checksum folded once, a listener record two
/// optional/one-of levels deep, and a + b == c above 100.
func twentiethBatch() -> [Problem] { [
    // An allocation trace with realloc; a shrink to below half the slot keeps the slot but files it as the smaller class.
    problem("realloc_shrink_below_half_slot",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...256).map { ReallocOp.alloc($0) },
                                     Gen.zip(Gen.integers(in: 0...7), Gen.integers(in: 1...256)).map { ReallocOp.realloc($0.0, $0.1) },
                                     Gen.integers(in: 0...7).map { ReallocOp.free($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.alloc(33), .realloc(0, 1)] }) { ops in
        try check(reallocTraceBalances(ops))
    },
    // Aligned runs of 2^order pages in an 8-page arena: a request refused though enough pages are free.
    problem("arena_8_pages_fragmented",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...3).map { TraceOp.alloc($0) },
                                     Gen.integers(in: 0...7).map { TraceOp.free($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.alloc(0), .alloc(1), .alloc(1), .free(0), .alloc(2)] }) { ops in
        try check(arenaRefusesOnlyWhenFull(ops))
    },
    // A u32 varint decoder that allows four bytes instead of five.
    problem("varint_u32_five_bytes_rejected", Gen.bytes(count: 0...64), show: pyBytes,
            ideal: { $0 == [0x80, 0x80, 0x80, 0x80, 0] }) { b in
        try check(decodeVarints(b, maxBytes: 4) == decodeVarints(b, maxBytes: 5))
    },
    // A min-heap whose sift-down only compares with the left child.
    problem("heap_sift_down_left_only",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...100).map { HeapOp.push($0) }, Gen.just(HeapOp.pop))),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.push(0), .push(1), .push(0), .push(1), .pop, .pop] }) { ops in
        try check(heapPopsInOrder(ops))
    },
    // Interval merging that takes the later interval's end, not the larger end.
    problem("interval_merge_keeps_later_end", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 1...10))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[0, 3], [1, 1]] }) { xs in
        try check(mergeKeepsCover(xs))
    },
    // Linear probing whose delete leaves an empty slot in a probe chain.
    problem("probing_delete_without_tombstone",
            Gen.arrays(of: Gen.zip(Gen.element(of: ["insert", "delete"]), Gen.integers(in: 0...255))),
            show: { pyList($0.map { "('\($0.0)', \($0.1))" }) },
            ideal: { $0.map { "\($0.0) \($0.1)" } == ["insert 0", "insert 16", "delete 0"] }) { ops in
        try check(probingKeepsKeys(ops))
    },
    // Run-length encoding of a page bitmap whose runs reach 10 (the digit ':').
    problem("rle_bitmap_run_of_ten", Gen.arrays(of: Gen.booleans()), show: { pyList($0.map { $0 ? "True" : "False" }) },
            ideal: { $0 == [Bool](repeating: false, count: 10) }) { bits in try check(rleRoundTrips(bits)) },
    // A matrix (rows of equal length) with a 2x2 block summing above 100.
    problem("matrix_2x2_block_over_100",
            Gen.zip(Gen.ints(in: 1...5), Gen.ints(in: 1...5)).flatMap { rc in
                Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...30), count: rc.1...rc.1), count: rc.0...rc.0)
            }, show: pyNested, ideal: { $0 == [[11, 30], [30, 30]] }) { m in
        for i in 0..<(m.count - 1) {
            for j in 0..<(m[0].count - 1) {
                try check(m[i][j] + m[i][j + 1] + m[i + 1][j] + m[i + 1][j + 1] <= 100)
            }
        }
    },
    // A directed graph as an edge list over 8 vertices with a cycle of length 3.
    problem("graph_directed_triangle", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...7), Gen.integers(in: 0...7))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[0, 1], [1, 2], [2, 0]] }) { edges in
        let es = Set(edges.map { [$0.0, $0.1] })
        for e in es {
            for c: Int64 in 0...7 where Set([e[0], e[1], c]).count == 3 {
                try check(!(es.contains([e[1], c]) && es.contains([c, e[0]])))
            }
        }
    },
    // (year, month, day, hour, minute) plus minutes; the day carry rolls over only past day 31.
    problem("date_add_minutes_day_overflow",
            Gen.zip(Gen.integers(in: 2000...2030), Gen.integers(in: 1...12), Gen.integers(in: 1...31),
                    Gen.zip(Gen.integers(in: 0...23), Gen.integers(in: 0...59)), Gen.integers(in: 0...10000)),
            show: { "(\($0.0), \($0.1), \($0.2), \($0.3.0), \($0.3.1), \($0.4))" },
            ideal: { $0.0 == 2000 && $0.1 == 2 && $0.2 == 23 && $0.3 == (1, 20) && $0.4 == 10000 }) { t in
        var (year, month, day) = (t.0, t.1, t.2)
        let (hour, minute, add) = (t.3.0, t.3.1, t.4)
        guard day <= daysInMonth(month, year) else { return }
        let h = hour + (minute + add) / 60
        day += h / 24
        if day > 31 {
            day -= daysInMonth(month, year)
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        try check(day <= daysInMonth(month, year))
    },
    // A tokenizer that joins two adjacent different operators into one token.
    problem("tokenizer_two_operators", Gen.strings(of: Gen.characters(from: "a1 +-*")), show: pyString,
            ideal: { $0 == "+-" }) { s in
        let valid: Set<String> = ["+", "-", "*", "++", "--", "**"]
        try check(tokenize(s).allSatisfy { t in t.allSatisfy { $0.isLetter || $0.isNumber } || valid.contains(t) })
    },
    // A one's-complement byte checksum folding its carry once instead of until none is left.
    problem("ones_complement_sum_single_fold", Gen.bytes(count: 0...64), show: pyBytes,
            ideal: { $0 == [1, 255, 255] }) { b in
        try check(onesComplementChecksum(b, folds: 1) == onesComplementChecksum(b, folds: 3))
    },
    // (enabled, endpoint?), the endpoint one of tcp, unix, vsock(cid?, port): an enabled vsock with a cid >= 3 below port 1024.
    problem("listener_vsock_reserved_cid",
            Gen.zip(Gen.booleans(), Gen.optional(Gen.oneOf(
                Gen.zip(Gen.integers(in: 0...65535), Gen.booleans()).map { Endpoint.tcp(port: $0.0, tls: $0.1) },
                Gen.bytes(count: 0...64).map { Endpoint.unix(path: $0) },
                Gen.zip(Gen.optional(Gen.integers(in: 0...0xFFFF_FFFF)), Gen.integers(in: 0...0xFFFF_FFFF))
                    .map { Endpoint.vsock(cid: $0.0, port: $0.1) }))),
            show: { "(\($0.0 ? "True" : "False"), \(pyOpt($0.1) { $0.repr }))" },
            ideal: { $0.0 && $0.1 == .vsock(cid: 3, port: 0) }) { t in
        if t.0, case .vsock(let cid?, let port)? = t.1 { try check(!(cid >= 3 && port < 1024)) }
    },
    // Three integers: a and b positive, a + b == c, c above 100.
    problem("int_triple_positive_sum_over_100",
            Gen.zip(Gen.integers(in: -1000...1000), Gen.integers(in: -1000...1000), Gen.integers(in: -1000...1000)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (1, 100, 101) }) { t in
        try check(!(t.0 > 0 && t.1 > 0 && t.0 + t.1 == t.2 && t.2 > 100))
    },
] }
