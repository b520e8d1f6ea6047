// The forty-seventh batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-seventh batch after the forty-sixth), of the kinds an allocator or
// systems tester writes: aligned bump requests, a length field that must
// agree with its payload, integers that must move together, an int/double
// product, UInt16 wraparound, cents summed in doubles, filters on tuples and
// on list elements, a one-of inside a list, a dictionary, a set, a string
// with a separator twice, a recursive Int8 expression, and two machines with
// two bundles each. The orders are those the forty-fifth batch's header
// states. Each problem's comment says what it is and its minimum; the
// minima not obvious were found by enumerating choice sequences in that
// order (a throwaway script) until the first failing one.

import PropertyTesting
import ShrinkBenchmarkSupport

private func b47Text(_ alphabet: String) -> Generator<String> { Gen.strings(of: Gen.characters(from: alphabet)) }
private func b47ShowPairs(_ xs: [(Int, Int)]) -> String { "[" + xs.map { "(\($0.0), \($0.1))" }.joined(separator: ", ") + "]" }

/// Int8 expressions: a literal, a wrapping sum, a wrapping negation.
private indirect enum B47Expr: Sendable {
    case lit(Int8)
    case add(B47Expr, B47Expr)
    case neg(B47Expr)
    var show: String {
        switch self {
        case .lit(let v): return "\(v)"
        case .add(let l, let r): return "add(\(l.show), \(r.show))"
        case .neg(let e): return "neg(\(e.show))"
        }
    }
    var wrapped: Int8 {
        switch self {
        case .lit(let v): return v
        case .add(let l, let r): return l.wrapped &+ r.wrapped
        case .neg(let e): return 0 &- e.wrapped
        }
    }
    var exact: Int {
        switch self {
        case .lit(let v): return Int(v)
        case .add(let l, let r): return l.exact + r.exact
        case .neg(let e): return -e.exact
        }
    }
}

/// An event of an allocation trace.
private enum B47Event: Sendable {
    case alloc(Int)
    case free(Int)
    case realloc(Int, Int)
    var show: String {
        switch self {
        case .alloc(let s): return "alloc(\(s))"
        case .free(let i): return "free(\(i))"
        case .realloc(let i, let s): return "realloc(\(i), \(s))"
        }
    }
}

private func b47ShowTrace(_ evs: [B47Event]) -> String { "[" + evs.map(\.show).joined(separator: ", ") + "]" }

/// Shared-memory segments and their attachments.
private struct B47ShmModel { var count: [Int: Int] = [:]; var live = 0 }
private final class B47ShmTable { var count: [Int: Int] = [:]; var segOf: [Int: Int] = [:]; var next = 0 }
private let b47Segments = Bundle<Int>("segments")
private let b47Attachments = Bundle<Int>("attachments")

/// An arena with marks; reset(mark) frees what was allocated since the mark.
private struct B47ArenaModel { var order: [Int] = []; var markPos: [Int: Int] = [:]; var alive: Set<Int> = [] }
private final class B47Arena {
    var order: [Int] = []; var markPos: [Int: Int] = [:]; var latest = 0; var alive: Set<Int> = []; var next = 0
}
private let b47Marks = Bundle<Int>("marks")
private let b47Blocks = Bundle<Int>("blocks")

func fortySeventhBatch() -> [Problem] { [
    // A bump allocator's budget check sums the sizes and forgets alignment
    // padding: [(1, 1), (49, 16)] (offset 1 padded to 16, 16 + 49 > 64).
    problem("bump_requests_aligned_end_over_budget",
            Gen.arrays(of: Gen.zip(Gen.ints(in: 1...64), Gen.element(of: [1, 2, 4, 8, 16]))), show: b47ShowPairs,
            ideal: { $0.count == 2 && $0[0] == (1, 1) && $0[1] == (49, 16) }) { reqs in
        var off = 0, total = 0
        for (size, align) in reqs { off = (off + align - 1) / align * align + size; total += size }
        try check(!(total <= 64 && off > 64))
    },
    // A frame (declared length, payload) whose decoder keeps the length in 3
    // bits: the two agree and the length is 8 or more, (8, 8 zero bytes).
    problem("frame_length_field_three_bits", Gen.zip(Gen.ints(in: 0...40), Gen.bytes(count: 0...40)),
            show: { "(\($0.0), \(pyBytes($0.1)))" }, ideal: { $0.0 == 8 && $0.1 == [UInt8](repeating: 0, count: 8) }) { t in
        let (n, b) = t
        guard n == b.count else { return }
        try check(Array(b.prefix(n & 7)) == b)
    },
    // Two sequence numbers, the first above 100 and the gap 7...15: both must
    // go down together, (101, 108).
    problem("seq_gap_7_to_15_after_100", Gen.zip(Gen.ints(in: 0...1000), Gen.ints(in: 0...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (101, 108) }) { t in
        try check(!(t.0 > 100 && (7...15).contains(t.1 - t.0)))
    },
    // A quota count * rate with the rate truncated before multiplying: count
    // 1 never fails, 1.5 is the simplest rate that does, (2, 1.5).
    problem("quota_rate_truncated_before_multiply",
            Gen.zip(Gen.ints(in: 0...1000), Gen.doubles(in: 0...100, allowNaN: false, allowInfinity: false)),
            show: { "(\($0.0), \(pyFloat($0.1)))" }, ideal: { $0 == (2, 1.5) }) { t in
        try check(Int(Double(t.0) * t.1) == t.0 * Int(t.1))
    },
    // Detach sets a segment's attach count to 0 instead of decrementing it:
    // two attachments to one segment, one detached.
    machineProblem("machine_shm_detach_zeroes_count", StateMachine<B47ShmModel, B47ShmTable>(
        model: { B47ShmModel() }, system: B47ShmTable.init,
        rules: [
            .init("create") { m, s, step in
                s.next += 1; m.count[s.next] = 0; s.count[s.next] = 0
                step.produce(s.next, into: b47Segments)
            },
            .init("attach", precondition: { !$0.count.isEmpty }) { m, s, step in
                let g = try step.pick(from: b47Segments, label: "seg")
                s.next += 1; s.segOf[s.next] = g
                m.count[g]! += 1; s.count[g]! += 1; m.live += 1
                step.produce(s.next, into: b47Attachments)
            },
            .init("detach", precondition: { $0.live > 0 }) { m, s, step in
                let a = try step.pick(from: b47Attachments, label: "att", remove: true)
                let g = s.segOf[a]!
                m.count[g]! -= 1; m.live -= 1
                s.count[g] = 0
            },
        ],
        check: { m, s in try expect(m.count == s.count, "attach counts") }),
        ideal: ["v1 = create()", "v2 = attach(seg: v1)", "v3 = attach(seg: v1)", "detach(att: v2)"]),
    // Int8 expressions evaluated with wrapping arithmetic: neg(-128) (fewer
    // choices than add(1, 127)).
    problem("expr_int8_neg_or_add_wraps",
            Gen.recursive(maxDepth: 5, base: Gen.integers(of: Int8.self).map { B47Expr.lit($0) }) { c in
                Gen.oneOf(Gen.zip(c, c).map { B47Expr.add($0.0, $0.1) }, c.map { B47Expr.neg($0) })
            },
            show: { $0.show }, ideal: { $0.show == "neg(-128)" }) { e in
        try check(Int(e.wrapped) == e.exact)
    },
    // Reservations (start < end, by a filter on the pair) whose overlap scan
    // compares each pair in one direction only: [(1, 2), (0, 2)].
    problem("reservations_valid_filter_overlap_one_direction",
            Gen.arrays(of: Gen.zip(Gen.ints(in: 0...1000), Gen.ints(in: 0...1000)).filter { $0.0 < $0.1 }), show: b47ShowPairs,
            ideal: { $0.count == 2 && $0[0] == (1, 2) && $0[1] == (0, 2) }) { rs in
        var real = false, seen = false
        for i in rs.indices {
            for j in rs.indices where j > i {
                let a = rs[i], b = rs[j]
                if a.0 < b.1 && b.0 < a.1 { real = true }
                if a.0 <= b.0 && b.0 < a.1 { seen = true }
            }
        }
        try check(real == seen)
    },
    // host:port over "a0:" split at the first colon where the reference
    // splits at the last: a colon in the host, "::0".
    problem("host_port_split_at_first_colon", b47Text("a0:"), show: pyString, ideal: { $0 == "::0" }) { s in
        let c = Array(s)
        guard let last = c.lastIndex(of: ":"), let first = c.firstIndex(of: ":") else { return }
        let host = String(c[..<last]), port = String(c[(last + 1)...])
        guard !host.isEmpty, !port.isEmpty, port.allSatisfy({ $0 == "0" }) else { return }
        try check(String(c[..<first]) == host && String(c[(first + 1)...]) == port)
    },
    // CPU loads by id, a balancer that sums the even ids only: over 150 in
    // all and not in the even ids, {0: 51, 1: 100}.
    problem("cpu_load_dict_even_keys_only", Gen.dictionaries(keys: Gen.integers(in: 0...15), values: Gen.integers(in: 0...100)),
            show: pyDict, ideal: { $0 == [0: 51, 1: 100] }) { d in
        let total = d.values.reduce(0, +)
        let even = stride(from: Int64(0), to: 16, by: 2).reduce(Int64(0)) { $0 + (d[$1] ?? 0) }
        try check(!(total > 150 && even <= 150))
    },
    // A small vector keeps 3 Int16 inline and spills the rest as bytes:
    // [0, 0, 0, -1].
    problem("small_vector_spill_truncates_to_uint8", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList,
            ideal: { $0 == [0, 0, 0, -1] }) { xs in
        let stored = xs.enumerated().map { $0.offset < 3 ? $0.element : Int16(UInt8(truncatingIfNeeded: $0.element)) }
        try check(stored == xs)
    },
    // UInt16 ring indices, used = head - tail read back as Int16, valid up
    // to 40000: used in 32768...40000, head 0 and tail 25536.
    problem("ring_u16_used_read_as_int16", Gen.zip(Gen.integers(of: UInt16.self), Gen.integers(of: UInt16.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 25536) }) { t in
        let used = Int(t.0 &- t.1)
        guard used <= 40000 else { return }
        try check(Int(Int16(bitPattern: t.0 &- t.1)) == used)
    },
    // Cents summed as dollars in doubles and compared exactly: [1, 5]
    // (0.01 + 0.05 is 0.060000000000000005).
    problem("cents_summed_as_doubles_compared_exactly", Gen.arrays(of: Gen.ints(in: 0...1000)), show: pyList,
            ideal: { $0 == [1, 5] }) { xs in
        let s = xs.reduce(0.0) { $0 + Double($1) / 100 }
        try check(s == Double(xs.reduce(0, +)) / 100)
    },
    // Chunk lengths adding up to the data's size, a splitter that stops at a
    // zero length: ([0, 1], b'\x00').
    problem("sg_split_zero_length_ends_early", Gen.zip(Gen.arrays(of: Gen.ints(in: 0...8)), Gen.bytes(count: 0...32)),
            show: { "(\(pyList($0.0)), \(pyBytes($0.1)))" }, ideal: { $0.0 == [0, 1] && $0.1 == [0] }) { t in
        let (lens, data) = t
        guard lens.reduce(0, +) == data.count else { return }
        var out: [UInt8] = [], i = 0
        for n in lens {
            if n == 0 { break }
            out += data[i..<(i + n)]
            i += n
        }
        try check(out == data)
    },
    // reset(mark) frees the blocks allocated since the latest mark, not since
    // the given one: a block between two marks, reset to the first.
    machineProblem("machine_arena_reset_to_older_mark", StateMachine<B47ArenaModel, B47Arena>(
        model: { B47ArenaModel() }, system: B47Arena.init,
        rules: [
            .init("mark") { m, a, step in
                a.next += 1; m.markPos[a.next] = m.order.count; a.markPos[a.next] = a.order.count; a.latest = a.next
                step.produce(a.next, into: b47Marks)
            },
            .init("alloc") { m, a, step in
                _ = try step.draw(Gen.ints(in: 1...64), "size")
                a.next += 1; m.order.append(a.next); a.order.append(a.next); m.alive.insert(a.next); a.alive.insert(a.next)
                step.produce(a.next, into: b47Blocks)
            },
            .init("reset", precondition: { !$0.markPos.isEmpty }) { m, a, step in
                let k = try step.pick(from: b47Marks, label: "mark")
                for b in m.order[m.markPos[k]!...] { m.alive.remove(b) }
                for b in a.order[a.markPos[a.latest]!...] { a.alive.remove(b) }
            },
        ],
        check: { m, a in try expect(m.alive == a.alive, "live blocks") }),
        ideal: ["v1 = mark()", "v2 = alloc(size: 1)", "v3 = mark()", "reset(mark: v1)"]),
    // An allocation trace (a one-of in a list) whose peak tracker misses
    // realloc growth: [alloc(1), realloc(0, 2)].
    problem("trace_peak_misses_realloc_growth",
            Gen.arrays(of: Gen.oneOf(Gen.ints(in: 1...100).map { B47Event.alloc($0) }, Gen.ints(in: 0...10).map { B47Event.free($0) },
                                     Gen.zip(Gen.ints(in: 0...10), Gen.ints(in: 1...100)).map { B47Event.realloc($0.0, $0.1) })),
            show: b47ShowTrace, ideal: { b47ShowTrace($0) == "[alloc(1), realloc(0, 2)]" }) { evs in
        var live: [Int] = [], cur = 0, peak = 0, tracked = 0
        for e in evs {
            switch e {
            case .alloc(let s): live.append(s); cur += s; peak = max(peak, cur); tracked = max(tracked, cur)
            case .free(let i): if !live.isEmpty { cur -= live.remove(at: i % live.count) }
            case .realloc(let i, let s):
                if !live.isEmpty { let j = i % live.count; cur += s - live[j]; live[j] = s; peak = max(peak, cur) }
            }
        }
        try check(tracked == peak)
    },
    // First fit where best fit is specified: ([2, 1], 1).
    problem("best_fit_takes_first_fit", Gen.zip(Gen.arrays(of: Gen.ints(in: 1...100)), Gen.ints(in: 1...100)),
            show: { "(\(pyList($0.0)), \($0.1))" }, ideal: { $0.0 == [2, 1] && $0.1 == 1 }) { t in
        let (free, req) = t
        guard let first = free.first(where: { $0 >= req }) else { return }
        try check(first == free.filter { $0 >= req }.min()!)
    },
    // Slab sizes, multiples of 8 by a filter (1 in 8 passes), totalling over
    // 300: [104, 200].
    problem("slab_sizes_mult8_filtered_total_over_300", Gen.arrays(of: Gen.ints(in: 0...200).filter { $0 % 8 == 0 }),
            show: pyList, ideal: { $0 == [104, 200] }) { xs in
        try check(xs.reduce(0, +) <= 300)
    },
    // Free page numbers, a run finder that lets a gap of one page continue a
    // run of 3: {0, 1, 3}.
    problem("free_page_set_run_allows_gap_of_one", Gen.sets(of: Gen.integers(in: 0...100)), show: pySet,
            ideal: { $0 == [0, 1, 3] }) { s in
        let xs = s.sorted()
        var buggy = false, real = false, rb = 1, rr = 1
        for i in xs.indices.dropFirst() {
            rb = xs[i] - xs[i - 1] <= 2 ? rb + 1 : 1
            rr = xs[i] - xs[i - 1] == 1 ? rr + 1 : 1
            if rb >= 3 { buggy = true }
            if rr >= 3 { real = true }
        }
        try check(!buggy || real)
    },
    // An IPv4 header (20 to 40 bytes) whose options parser trusts IHL past
    // the packet's end: b'F' and 19 zero bytes (version 4, IHL 6, 24 > 20).
    problem("ipv4_ihl_past_packet_end", Gen.bytes(count: 20...40), show: pyBytes,
            ideal: { $0 == [0x46] + [UInt8](repeating: 0, count: 19) }) { b in
        let ihl = Int(b[0] & 15)
        guard b[0] >> 4 == 4, ihl >= 5 else { return }
        try check(ihl * 4 <= b.count)
    },
    // Dedupe over a window of the last 3 distinct values lets a repeat 4
    // distinct values later through: [0, 1, 2, 3, 0].
    problem("dedupe_window_three_misses_old_repeat", Gen.arrays(of: Gen.ints(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 1, 2, 3, 0] }) { xs in
        var out: [Int] = [], window: [Int] = []
        for x in xs where !window.contains(x) {
            out.append(x)
            window.append(x)
            if window.count > 3 { window.removeFirst() }
        }
        try check(Set(out).count == out.count)
    },
] }
