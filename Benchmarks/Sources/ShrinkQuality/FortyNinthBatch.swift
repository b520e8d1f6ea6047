// The forty-ninth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-ninth batch after the forty-eighth), of the kinds a systems tester
// writes: a UInt64 multiply-high, a UInt32 power-of-two round-up, a list of
// double pairs, two dictionaries of UInt8 counts, a set of edges, a pair of
// strings (a certificate name against a host name), two machines with
// bundles (timers, a publish/subscribe bus), a byte string (TCP options), a
// filtered list of code points, a recursive list, a set of coins and an
// amount, filtered primes, a flatMap (a permutation check), Int32 and Int8
// arithmetic, a price string, a one-of trace, eight doubles (two
// rectangles) and a set of strings with a string. The orders are those the
// forty-fifth batch's header states. Each problem's comment says what it is
// and its minimum; every minimum was checked by enumerating choice
// sequences in that order (shortlex; integers by rank 0, 1, -1, 2, ...;
// False first; a one-of by its index; the generators restated, the
// machines included; a script outside the repository) until the first
// failing one, the huge ranges by direct loops over the values that matter
// or by the argument noted.

import PropertyTesting
import ShrinkBenchmarkSupport

private func b49Text(_ alphabet: String) -> Generator<String> { Gen.strings(of: Gen.characters(from: alphabet)) }
private func b49ShowIntSet(_ s: Set<Int>) -> String {
    s.isEmpty ? "set()" : "{" + s.sorted().map(String.init).joined(separator: ", ") + "}"
}
private func b49ShowStringSet(_ s: Set<String>) -> String {
    s.isEmpty ? "set()" : "{" + s.sorted().map(pyString).joined(separator: ", ") + "}"
}
private func b49ShowU8Dict(_ d: [Int: UInt8]) -> String {
    "{" + d.keys.sorted().map { "\($0): \(d[$0]!)" }.joined(separator: ", ") + "}"
}
private func b49IsPrime(_ n: Int) -> Bool { n >= 2 && (2..<n).allSatisfy { d in d * d > n || n % d != 0 } }

/// An undirected edge (a self-loop is ignored by the checker).
private struct B49Edge: Hashable, Sendable { let a: Int; let b: Int }
private func b49ShowEdges(_ es: Set<B49Edge>) -> String {
    es.isEmpty ? "set()" : "{" + es.map { ($0.a, $0.b) }.sorted { $0 < $1 }.map { "(\($0.0), \($0.1))" }.joined(separator: ", ") + "}"
}

/// A nested list of small integers.
private indirect enum B49Tree: Sendable, Equatable {
    case leaf(Int)
    case node([B49Tree])
    var show: String {
        switch self {
        case .leaf(let v): return "\(v)"
        case .node(let cs): return "[" + cs.map(\.show).joined(separator: ", ") + "]"
        }
    }
}

/// A log writer's operations.
private enum B49LogOp: Sendable {
    case write(Int)
    case fsync
    case rotate
    var show: String {
        switch self {
        case .write(let n): return "write(\(n))"
        case .fsync: return "fsync()"
        case .rotate: return "rotate()"
        }
    }
}
private func b49ShowLog(_ os: [B49LogOp]) -> String { "[" + os.map(\.show).joined(separator: ", ") + "]" }

private func b49ShowDoubles(_ xs: [Double]) -> String { "(" + xs.map(pyFloat).joined(separator: ", ") + ")" }

/// Timers: tick() fires the due ones; cancel(t) of a timer that already
/// fired still takes one off the pending count.
private struct B49TimerModel { var pending: Set<Int> = []; var deadline: [Int: Int] = [:]; var now = 0; var handles = 0 }
private final class B49Timers {
    var pendingCount = 0; var deadline: [Int: Int] = [:]; var done: Set<Int> = []; var now = 0; var next = 0
}
private let b49Timers = Bundle<Int>("timers")

/// A publish/subscribe bus; unsubscribe(s) removes the first subscriber of
/// s's topic, not s.
private struct B49BusModel { var topicOf: [Int: Int] = [:]; var live: [Int] = []; var got: [Int: Int] = [:] }
private final class B49Bus { var lists: [Int: [Int]] = [:]; var topicOf: [Int: Int] = [:]; var got: [Int: Int] = [:]; var next = 0 }
private let b49Subs = Bundle<Int>("subs")

func fortyNinthBatch() -> [Problem] { [
    // A 64x64 -> high 64 multiply from 32-bit halves that adds the two
    // middle products' high halves but drops the carry out of their low
    // halves: (3, 6148914691236517206) = (3, 0x5555555555555556). No a < 3
    // fails (a = 1, 2 carry nothing); for a = 3 the carry needs
    // 3 * bh mod 2^32 >= 2^32 - 2, first at bh = 0x55555555, and then
    // bl >= 0x55555556.
    problem("mulhi_u64_halves_drop_middle_carry", Gen.zip(Gen.integers(of: UInt64.self), Gen.integers(of: UInt64.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (3, 0x5555_5555_5555_5556) }) { t in
        let (a, b) = t
        let (ah, al, bh, bl) = (a >> 32, a & 0xFFFF_FFFF, b >> 32, b & 0xFFFF_FFFF)
        let buggy = (ah &* bh) &+ ((ah &* bl) >> 32) &+ ((al &* bh) >> 32)  // bug: the middle sums' carry and al * bl's high half
        try check(buggy == a.multipliedFullWidth(by: b).high)
    },
    // Round up to a power of two by smearing the bits of x - 1, the
    // v |= v >> 16 step missing: 65537 (x - 1 = 2^16, bit 0 left clear).
    problem("next_pow2_u32_smear_skips_16_shift", Gen.integers(of: UInt32.self, in: 1...(1 << 31)),
            ideal: { $0 == 65537 }) { x in
        var v = x - 1
        v |= v >> 1; v |= v >> 2; v |= v >> 4; v |= v >> 8  // bug: v |= v >> 16 missing
        let real: UInt32 = x.nonzeroBitCount == 1 ? x : 1 << (32 - x.leadingZeroBitCount)
        try check(v + 1 == real)
    },
    // Points (x, y doubles in the closed unit interval) binned into a
    // 16 x 16 heat map at row * 16 + column, the cell taken as Int(v * 16),
    // which is 16 for 1.0: [(0.0, 1.0)] (row 16, index 256).
    problem("heat_map_cell_index_closed_unit_interval",
            Gen.arrays(of: Gen.zip(Gen.doubles(in: 0...1, allowNaN: false, allowInfinity: false),
                                   Gen.doubles(in: 0...1, allowNaN: false, allowInfinity: false))),
            show: { "[" + $0.map { "(\(pyFloat($0.0)), \(pyFloat($0.1)))" }.joined(separator: ", ") + "]" },
            ideal: { $0.count == 1 && $0[0].0 == 0 && $0[0].0.sign == .plus && $0[0].1 == 1 }) { pts in
        for (x, y) in pts {
            let index = Int(y * 16) * 16 + Int(x * 16)  // bug: min(Int(v * 16), 15)
            try check(index < 256)
        }
    },
    // Two histograms (key 0...7, a UInt8 count) merged by adding in UInt8:
    // ({0: 1}, {0: 255}).
    problem("histogram_merge_uint8_counts_wrap",
            Gen.zip(Gen.dictionaries(keys: Gen.ints(in: 0...7), values: Gen.integers(of: UInt8.self)),
                    Gen.dictionaries(keys: Gen.ints(in: 0...7), values: Gen.integers(of: UInt8.self))),
            show: { "(\(b49ShowU8Dict($0.0)), \(b49ShowU8Dict($0.1)))" }, ideal: { $0.0 == [0: 1] && $0.1 == [0: 255] }) { t in
        let (a, b) = t
        var merged = a
        for (k, v) in b { merged[k, default: 0] &+= v }  // bug: the counts are kept in UInt8
        try check(b.keys.allSatisfy { Int(merged[$0]!) == Int(a[$0] ?? 0) + Int(b[$0]!) })
    },
    // A bipartiteness check over 5 nodes (a set of edges, self-loops
    // ignored) that two-colours only node 0's component: the triangle
    // {(1, 2), (1, 3), (2, 3)}.
    problem("bipartite_check_bfs_from_node_zero_only",
            Gen.sets(of: Gen.zip(Gen.ints(in: 0...4), Gen.ints(in: 0...4)).map { B49Edge(a: $0.0, b: $0.1) }),
            show: b49ShowEdges, ideal: { b49ShowEdges($0) == "{(1, 2), (1, 3), (2, 3)}" }) { es in
        var adj = [[Int]](repeating: [], count: 5)
        for e in es where e.a != e.b { adj[e.a].append(e.b); adj[e.b].append(e.a) }
        func twoColours(from starts: [Int]) -> Bool {
            var colour = [Int](repeating: -1, count: 5)
            for s in starts where colour[s] < 0 {
                colour[s] = 0
                var stack = [s]
                while let u = stack.popLast() {
                    for v in adj[u] {
                        if colour[v] < 0 { colour[v] = 1 - colour[u]; stack.append(v) }
                        else if colour[v] == colour[u] { return false }
                    }
                }
            }
            return true
        }
        try check(twoColours(from: [0]) == twoColours(from: Array(0..<5)))  // bug: starts [0] only
    },
    // A certificate name (over "a.*") matched against a host name (over
    // "a.", non-empty labels) as a glob, where only a whole leftmost label
    // "*" is a wildcard, for one label: ('a*', 'a').
    problem("tls_wildcard_matched_as_glob", Gen.zip(b49Text("a.*"), b49Text("a.")),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("a*", "a") }) { t in
        let (p, h) = (Array(t.0), Array(t.1))
        let hl = t.1.split(separator: ".", omittingEmptySubsequences: false), pl = t.0.split(separator: ".", omittingEmptySubsequences: false)
        guard hl.allSatisfy({ !$0.isEmpty }) else { return }
        // glob: m[i][j] = p[i...] matches h[j...]
        var m = [[Bool]](repeating: [Bool](repeating: false, count: h.count + 1), count: p.count + 1)
        m[p.count][h.count] = true
        for i in stride(from: p.count - 1, through: 0, by: -1) {
            for j in stride(from: h.count, through: 0, by: -1) {
                m[i][j] = p[i] == "*" ? m[i + 1][j] || (j < h.count && m[i][j + 1]) : j < h.count && p[i] == h[j] && m[i + 1][j + 1]
            }
        }
        let real = pl.count == hl.count && zip(pl, hl).enumerated().allSatisfy { ($0.offset == 0 && $0.element.0 == "*") || $0.element.0 == $0.element.1 }
        try check(m[0][0] == real)  // bug: the glob's '*' spans dots, takes any run, sits anywhere
    },
    // Timers: cancel of a timer that tick() already fired takes one off the
    // pending count again.
    machineProblem("machine_timer_cancel_after_fire_decrements_pending", StateMachine<B49TimerModel, B49Timers>(
        model: { B49TimerModel() }, system: B49Timers.init,
        rules: [
            .init("schedule") { m, s, step in
                let d = try step.draw(Gen.ints(in: 0...3), "delay")
                s.next += 1
                m.pending.insert(s.next); m.deadline[s.next] = m.now + d; m.handles += 1
                s.deadline[s.next] = s.now + d; s.pendingCount += 1
                step.produce(s.next, into: b49Timers)
            },
            .init("tick") { m, s, _ in
                m.pending = m.pending.filter { m.deadline[$0]! > m.now }; m.now += 1
                for (t, d) in s.deadline where d <= s.now && !s.done.contains(t) { s.done.insert(t); s.pendingCount -= 1 }
                s.now += 1
            },
            .init("cancel", precondition: { $0.handles > 0 }) { m, s, step in
                let t = try step.pick(from: b49Timers, label: "timer", remove: true)
                m.handles -= 1; m.pending.remove(t)
                s.done.insert(t); s.pendingCount -= 1  // bug: only if t has not fired
            },
        ],
        check: { m, s in try expect(m.pending.count == s.pendingCount, "pending timers") }),
        ideal: ["v1 = schedule(delay: 0)", "tick()", "cancel(timer: v1)"]),
    // A publish/subscribe bus whose unsubscribe removes the first
    // subscriber of the topic: two subscribers of topic 0, the second
    // unsubscribed, a publish.
    machineProblem("machine_pubsub_unsubscribe_removes_first_on_topic", StateMachine<B49BusModel, B49Bus>(
        model: { B49BusModel() }, system: B49Bus.init,
        rules: [
            .init("subscribe") { m, s, step in
                let topic = try step.draw(Gen.ints(in: 0...2), "topic")
                s.next += 1
                m.topicOf[s.next] = topic; m.live.append(s.next); m.got[s.next] = 0
                s.topicOf[s.next] = topic; s.lists[topic, default: []].append(s.next); s.got[s.next] = 0
                step.produce(s.next, into: b49Subs)
            },
            .init("unsubscribe", precondition: { !$0.live.isEmpty }) { m, s, step in
                let id = try step.pick(from: b49Subs, label: "sub", remove: true)
                m.live.removeAll { $0 == id }
                s.lists[s.topicOf[id]!]!.removeFirst()  // bug: removeAll { $0 == id }
            },
            .init("publish") { m, s, step in
                let topic = try step.draw(Gen.ints(in: 0...2), "topic")
                for id in m.live where m.topicOf[id] == topic { m.got[id]! += 1 }
                for id in s.lists[topic] ?? [] { s.got[id]! += 1 }
            },
        ],
        check: { m, s in try expect(m.got == s.got, "deliveries") }),
        ideal: ["v1 = subscribe(topic: 0)", "v2 = subscribe(topic: 0)", "unsubscribe(sub: v2)", "publish(topic: 0)"]),
    // TCP options (0 end, 1 no-op, else kind, length counting the two
    // header bytes, data) parsed without checking length >= 2: [2, 0] (the
    // parser never advances; [2, 1] reads the length byte as a no-op).
    problem("tcp_option_length_below_two_unchecked", Gen.bytes(count: 0...64), show: pyBytes, ideal: { $0 == [2, 0] }) { b in
        func parse(checked: Bool) -> [Int]? {  // the kinds; nil when malformed; [-1] when it does not advance
            var kinds: [Int] = [], i = 0, steps = 0
            while i < b.count {
                steps += 1
                if steps > 64 { return [-1] }
                let kind = Int(b[i])
                if kind == 0 { break }
                if kind == 1 { kinds.append(1); i += 1; continue }
                guard i + 1 < b.count else { return nil }
                let len = Int(b[i + 1])
                if checked && len < 2 { return nil }  // the buggy parser lacks this
                guard i + len <= b.count else { return nil }
                kinds.append(kind); i += len
            }
            return kinds
        }
        try check(parse(checked: false) == parse(checked: true))
    },
    // A UTF-8 buffer sized 2 bytes a scalar plus 16 bytes of slack (code
    // points, surrogates filtered out): 9 scalars, one of 3 bytes and eight
    // of 4 (a surplus of 17), the 3-byte one first:
    // [2048, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536].
    problem("utf8_buffer_two_bytes_per_scalar_plus_16",
            Gen.arrays(of: Gen.integers(of: UInt32.self, in: 0...0x10FFFF).filter { !(0xD800...0xDFFF).contains($0) }),
            show: pyList, ideal: { $0 == [2048] + [UInt32](repeating: 65536, count: 8) }) { cps in
        let need = cps.reduce(0) { $0 + ($1 < 0x80 ? 1 : $1 < 0x800 ? 2 : $1 < 0x10000 ? 3 : 4) }
        try check(need <= 2 * cps.count + 16)
    },
    // A nested list flattened by a function that descends one level only:
    // [[[0]]].
    problem("flatten_recurses_one_level_only",
            Gen.recursive(maxDepth: 4, base: Gen.ints(in: 0...9).map { B49Tree.leaf($0) }) { c in
                Gen.arrays(of: c).map { B49Tree.node($0) }
            },
            show: { $0.show }, ideal: { $0 == .node([.node([.node([.leaf(0)])])]) }) { t in
        func real(_ t: B49Tree) -> [Int] {
            switch t {
            case .leaf(let v): return [v]
            case .node(let cs): return cs.flatMap(real)
            }
        }
        func buggy(_ t: B49Tree) -> [Int] {
            switch t {
            case .leaf(let v): return [v]
            case .node(let cs):
                return cs.flatMap { c -> [Int] in
                    switch c {
                    case .leaf(let v): return [v]
                    case .node(let gs): return gs.compactMap { if case .leaf(let v) = $0 { return v } else { return nil } }
                    }
                }
            }
        }
        try check(buggy(t) == real(t))
    },
    // Change made greedily (largest coin first) from 1 and a set of coins
    // 2...20, assumed optimal: ({3, 4}, 6) (4 + 1 + 1 against 3 + 3).
    problem("greedy_change_assumes_canonical_coins", Gen.zip(Gen.sets(of: Gen.ints(in: 2...20)), Gen.ints(in: 0...100)),
            show: { "(\(b49ShowIntSet($0.0)), \($0.1))" }, ideal: { $0.0 == [3, 4] && $0.1 == 6 }) { t in
        let coins = [1] + t.0.sorted()
        var left = t.1, greedy = 0
        for c in coins.reversed() { greedy += left / c; left %= c }
        var best = [0] + [Int](repeating: Int.max, count: t.1)
        if t.1 > 0 { for v in 1...t.1 { for c in coins where c <= v { best[v] = min(best[v], best[v - c] + 1) } } }
        try check(greedy == best[t.1])
    },
    // Two primes (2...1000, filtered) whose product is kept in a UInt16:
    // (67, 983) (61 * 997 < 65536; 67 * 983 = 65861).
    problem("key_modulus_u16_product_of_primes_wraps",
            Gen.zip(Gen.ints(in: 2...1000).filter(b49IsPrime), Gen.ints(in: 2...1000).filter(b49IsPrime)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (67, 983) }) { t in
        let n = UInt16(truncatingIfNeeded: t.0 * t.1)  // bug: the modulus needs 20 bits
        try check(Int(n) == t.0 * t.1)
    },
    // flatMap: a length n in 1...8, then n values in 0..<n, taken for a
    // permutation when they sum to n(n - 1)/2: (3, [1, 1, 1]).
    problem("permutation_check_by_sum_only",
            Gen.ints(in: 1...8).flatMap { n in Gen.arrays(of: Gen.ints(in: 0...(n - 1)), count: n...n).map { (n, $0) } },
            show: { "(\($0.0), \(pyList($0.1)))" }, ideal: { $0.0 == 3 && $0.1 == [1, 1, 1] }) { t in
        let (n, xs) = t
        let buggy = xs.reduce(0, +) == n * (n - 1) / 2  // bug: a sum does not make a permutation
        try check(buggy == (Set(xs).count == n))
    },
    // Two Int32 readings compared within a tolerance of 10 by a distance
    // taken in Int32 (wrapping): (0, -2147483648) (0 - Int32.min wraps to
    // Int32.min, negated to itself, <= 10).
    problem("int32_distance_tolerance_wraps", Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, Int32.min) }) { t in
        var d = t.0 &- t.1
        if d < 0 { d = 0 &- d }  // bug: the distance needs 33 bits
        try check((d <= 10) == (abs(Int(t.0) - Int(t.1)) <= 10))
    },
    // A price over "0159." read as digits, optionally '.' and one or two
    // digits, the fraction added as cents unscaled: '0.1' (1 cent, not 10).
    problem("price_cents_parser_unscaled_single_decimal", b49Text("0159."), show: pyString, ideal: { $0 == "0.1" }) { s in
        let parts = s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, !parts[0].isEmpty, parts[0].count <= 9 else { return }
        if parts.count == 2 { guard (1...2).contains(parts[1].count) else { return } }
        let whole = Int(parts[0])!, frac = parts.count == 2 ? parts[1] : ""
        let buggy = whole * 100 + (frac.isEmpty ? 0 : Int(frac)!)  // bug: "5" means 50 cents
        let real = whole * 100 + (frac.isEmpty ? 0 : Int(frac)! * (frac.count == 1 ? 10 : 1))
        try check(buggy == real)
    },
    // A log writer (a one-of trace) rotating when the file has reached 100
    // bytes before a write, not when the write would pass 100:
    // [write(1), write(100)].
    problem("log_rotation_checked_before_write",
            Gen.arrays(of: Gen.oneOf(Gen.ints(in: 1...100).map { B49LogOp.write($0) }, Gen.just(B49LogOp.fsync), Gen.just(B49LogOp.rotate))),
            show: b49ShowLog, ideal: { b49ShowLog($0) == "[write(1), write(100)]" }) { ops in
        var size = 0
        for o in ops {
            switch o {
            case .write(let n):
                if size >= 100 { size = 0 }  // bug: if size + n > 100
                size += n
                try check(size <= 100)
            case .fsync: break
            case .rotate: size = 0
            }
        }
    },
    // A hash join of Int8 keys (left rows, right rows) that buckets the
    // right rows by the low nibble and does not compare the keys:
    // ([0], [16]).
    problem("hash_join_bucket_match_skips_key_recheck",
            Gen.zip(Gen.arrays(of: Gen.integers(of: Int8.self)), Gen.arrays(of: Gen.integers(of: Int8.self))),
            show: { "(\(pyList($0.0)), \(pyList($0.1)))" }, ideal: { $0.0 == [0] && $0.1 == [16] }) { t in
        let (left, right) = t
        var buckets: [Int8: [Int8]] = [:]
        for k in right { buckets[k & 15, default: []].append(k) }
        let buggy = left.reduce(0) { $0 + (buckets[$1 & 15]?.count ?? 0) }  // bug: no key == k filter
        let real = left.reduce(0) { n, k in n + right.filter { $0 == k }.count }
        try check(buggy == real)
    },
    // Two rectangles (x, y, w, h doubles in 0...100) whose intersection is
    // the product of the overlaps, neither clamped at 0:
    // ((0.0, 0.0, 0.0, 0.0), (1.0, 1.0, 0.0, 0.0)) (two negative overlaps).
    problem("rect_overlap_area_unclamped_negatives_multiply",
            Gen.zip(Gen.arrays(of: Gen.doubles(in: 0...100, allowNaN: false, allowInfinity: false), count: 4...4),
                    Gen.arrays(of: Gen.doubles(in: 0...100, allowNaN: false, allowInfinity: false), count: 4...4)),
            show: { "(\(b49ShowDoubles($0.0)), \(b49ShowDoubles($0.1)))" },
            ideal: { "(\(b49ShowDoubles($0.0)), \(b49ShowDoubles($0.1)))" == "((0.0, 0.0, 0.0, 0.0), (1.0, 1.0, 0.0, 0.0))" }) { t in
        let (a, b) = t
        let dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
        let dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
        let inter = dx * dy  // bug: max(dx, 0) * max(dy, 0)
        try check(inter >= 0 && inter <= min(a[2] * a[3], b[2] * b[3]))
    },
    // Command abbreviations: an exact name wins, else the prefix's matches,
    // the first (sorted) taken where an ambiguous one should be refused:
    // ({'a', 'b'}, '').
    problem("command_abbrev_takes_first_of_ambiguous", Gen.zip(Gen.sets(of: b49Text("ab")), b49Text("ab")),
            show: { "(\(b49ShowStringSet($0.0)), \(pyString($0.1)))" }, ideal: { $0.0 == ["a", "b"] && $0.1 == "" }) { t in
        let (cmds, typed) = t
        let matches = cmds.sorted().filter { $0.hasPrefix(typed) }
        let buggy = cmds.contains(typed) ? typed : matches.first  // bug: matches.count == 1 ? matches[0] : nil
        let real = cmds.contains(typed) ? typed : (matches.count == 1 ? matches[0] : nil)
        try check(buggy == real)
    },
] }
