// The forty-eighth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-eighth batch after the forty-seventh), of the kinds a systems tester
// writes: a UInt16 page bitmap, a pool machine with two bundles, a
// key=value line, a Double timeout, Int8 / Int16 / Int32 arithmetic that
// wraps, a recursive TLV, a list of doubles, a one-of trace, sets, two
// dictionaries, a check digit, a UInt64 alignment check, a varint key,
// string pairs and a set of strings, and a flatMap. The orders are those the
// forty-fifth batch's header states. Each problem's comment says what it is
// and its minimum; every minimum was checked by enumerating choice
// sequences in that order (shortlex; integers by rank 0, 1, -1, 2, ...;
// False first; a one-of by its index; the generators restated, the machine
// included; a throwaway script) until the first failing one, the huge
// ranges by direct loops over the values that matter.

import PropertyTesting
import ShrinkBenchmarkSupport

private func b48Text(_ alphabet: String) -> Generator<String> { Gen.strings(of: Gen.characters(from: alphabet)) }
private func b48ShowPairs(_ xs: [(Int, UInt32)]) -> String {
    "[" + xs.map { "(\($0.0), \($0.1))" }.joined(separator: ", ") + "]"
}
private func b48ShowIntSet(_ s: Set<Int>) -> String {
    s.isEmpty ? "set()" : "{" + s.sorted().map(String.init).joined(separator: ", ") + "}"
}
private func b48ShowStringSet(_ s: Set<String>) -> String {
    s.isEmpty ? "set()" : "{" + s.sorted().map(pyString).joined(separator: ", ") + "}"
}

/// Every occurrence of `a` in `s` (left to right, not overlapping) replaced by `b`.
private func b48ReplacingAll(_ s: String, _ a: String, _ b: String) -> String {
    let c = Array(s), pat = Array(a)
    var out = "", i = 0
    while i < c.count {
        if i + pat.count <= c.count, Array(c[i..<(i + pat.count)]) == pat { out += b; i += pat.count }
        else { out.append(c[i]); i += 1 }
    }
    return out
}

/// LEB128 of a non-negative Int.
private func b48Leb(_ n: Int) -> [UInt8] {
    var n = n, out: [UInt8] = []
    while true {
        let b = UInt8(n & 0x7F); n >>= 7
        if n != 0 { out.append(b | 0x80) } else { out.append(b); return out }
    }
}

/// A TLV tree: a leaf is (tag 1, length 1, one byte), a node (tag 2, its
/// children's encodings); the header is tag << 3 | length, so the length
/// keeps 3 bits.
private indirect enum B48Tlv: Sendable, Equatable {
    case leaf(Int)
    case node([B48Tlv])
    var show: String {
        switch self {
        case .leaf(let v): return "\(v)"
        case .node(let cs): return "[" + cs.map(\.show).joined(separator: ", ") + "]"
        }
    }
    var encoded: [UInt8] {
        switch self {
        case .leaf(let v): return [1 << 3 | 1, UInt8(v)]
        case .node(let cs):
            let content = cs.flatMap(\.encoded)
            return [2 << 3 | UInt8(content.count & 7)] + content  // the length has 3 bits
        }
    }
    static func decode(_ b: [UInt8], _ i: Int) -> (B48Tlv, Int)? {
        guard i < b.count else { return nil }
        let tag = b[i] >> 3, ln = Int(b[i] & 7), end = i + 1 + ln
        guard end <= b.count else { return nil }
        if tag == 1 { return ln == 1 ? (.leaf(Int(b[i + 1])), end) : nil }
        guard tag == 2 else { return nil }
        var kids: [B48Tlv] = [], j = i + 1
        while j < end {
            guard let (k, next) = decode(b, j), next <= end else { return nil }
            kids.append(k); j = next
        }
        return (.node(kids), end)
    }
}

/// A memory operation of a store-buffer trace.
private enum B48MemOp: Sendable {
    case store(Int, Int)
    case load(Int)
    case fence
    var show: String {
        switch self {
        case .store(let a, let v): return "store(\(a), \(v))"
        case .load(let a): return "load(\(a))"
        case .fence: return "fence()"
        }
    }
}

private func b48ShowOps(_ os: [B48MemOp]) -> String { "[" + os.map(\.show).joined(separator: ", ") + "]" }

/// Object pools; free(obj) charges the newest pool.
private struct B48PoolModel { var count: [Int: Int] = [:]; var live = 0 }
private final class B48Pools { var count: [Int: Int] = [:]; var owner: [Int: Int] = [:]; var newest = 0; var next = 0 }
private let b48Pools = Bundle<Int>("pools")
private let b48Objs = Bundle<Int>("objs")

func fortyEighthBatch() -> [Problem] { [
    // A 16-page bitmap (1 = used) whose run finder tries the starts
    // 0..<(16 - n), missing the run that ends at bit 15: (2184, 4) =
    // (0x0888, 4), bits 12-15 free, bit 11 set, and a set bit every 4 below
    // so that no other run of 4 is free (n = 4 allows the smallest bitmap).
    problem("bitmap_find_run_misses_top_bits", Gen.zip(Gen.integers(of: UInt16.self), Gen.ints(in: 1...4)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0x0888, 4) }) { t in
        let (bm, n) = t
        func runAt(_ s: Int) -> Bool { (s..<(s + n)).allSatisfy { bm >> UInt16($0) & 1 == 0 } }
        let buggy = (0..<(16 - n)).contains(where: runAt)
        let real = (0...(16 - n)).contains(where: runAt)
        try check(buggy == real)
    },
    // free(obj) decrements the newest pool's count instead of the object's
    // own pool's: two pools, an object of the first, freed.
    machineProblem("machine_pool_free_charges_newest_pool", StateMachine<B48PoolModel, B48Pools>(
        model: { B48PoolModel() }, system: B48Pools.init,
        rules: [
            .init("pool") { m, s, step in
                s.next += 1; m.count[s.next] = 0; s.count[s.next] = 0; s.newest = s.next
                step.produce(s.next, into: b48Pools)
            },
            .init("alloc", precondition: { !$0.count.isEmpty }) { m, s, step in
                let p = try step.pick(from: b48Pools, label: "pool")
                m.count[p]! += 1; s.count[p]! += 1; m.live += 1
                s.next += 1; s.owner[s.next] = p
                step.produce(s.next, into: b48Objs)
            },
            .init("free", precondition: { $0.live > 0 }) { m, s, step in
                let o = try step.pick(from: b48Objs, label: "obj", remove: true)
                m.count[s.owner[o]!]! -= 1; m.live -= 1
                s.count[s.newest]! -= 1  // bug: s.owner[o]
            },
        ],
        check: { m, s in try expect(m.count == s.count, "pool counts") }),
        ideal: ["v1 = pool()", "v2 = pool()", "v3 = alloc(pool: v1)", "free(obj: v3)"]),
    // key=value;key=value over "a=;": values are escaped (%3D, %3B), keys are
    // not, and the reader splits each entry at its first '=': {'=': ''}.
    problem("kv_line_key_with_equals_unescaped", Gen.dictionaries(keys: b48Text("a=;"), values: b48Text("a=;")),
            show: pyStringDict, ideal: { $0 == ["=": ""] }) { d in
        func esc(_ v: String) -> String { b48ReplacingAll(b48ReplacingAll(v, "=", "%3D"), ";", "%3B") }
        func unesc(_ v: String) -> String { b48ReplacingAll(b48ReplacingAll(v, "%3B", ";"), "%3D", "=") }
        let line = d.keys.sorted().map { "\($0)=\(esc(d[$0]!))" }.joined(separator: ";")
        var out: [String: String] = [:]
        if !line.isEmpty {
            for part in line.split(separator: ";", omittingEmptySubsequences: false) {
                if let eq = part.firstIndex(of: "=") {
                    out[String(part[..<eq])] = unesc(String(part[part.index(after: eq)...]))
                } else { out[String(part)] = "" }
            }
        }
        try check(out == d)
    },
    // A timeout in seconds checked against Int32.max, then scaled to
    // milliseconds: 2147484.0 (integers come before fractions).
    problem("timeout_seconds_checked_before_ms_scale", Gen.doubles(in: 0...1e7, allowNaN: false, allowInfinity: false),
            show: pyFloat, ideal: { $0 == 2147484.0 }) { s in
        guard s < 2147483647.0 else { return }
        try check((s * 1000).rounded(.down) <= 2147483647)
    },
    // Int8 readings whose alarm takes the spread max - min in Int8:
    // [0, -128].
    problem("int8_readings_spread_wraps_in_int8", Gen.arrays(of: Gen.integers(of: Int8.self)), show: pyList,
            ideal: { $0 == [0, -128] }) { xs in
        guard let hi = xs.max(), let lo = xs.min() else { return }
        let real = Int(hi) - Int(lo)
        try check(((hi &- lo) > 50) == (real > 50))
    },
    // A nested TLV whose header keeps the length in 3 bits: [0, 0, 0, 0]
    // (8 content bytes, the first length that wraps).
    problem("nested_tlv_length_in_three_bits",
            Gen.recursive(maxDepth: 4, base: Gen.ints(in: 0...255).map { B48Tlv.leaf($0) }) { c in
                Gen.arrays(of: c).map { B48Tlv.node($0) }
            },
            show: { $0.show }, ideal: { $0 == .node([.leaf(0), .leaf(0), .leaf(0), .leaf(0)]) }) { t in
        let b = t.encoded
        guard let (d, end) = B48Tlv.decode(b, 0) else { throw Falsified() }
        try check(end == b.count && d == t)
    },
    // 20 slots shared by weight, each share rounded to nearest on its own:
    // [1.0, 7.0] (2.5 and 17.5 both round up).
    problem("share_slots_rounded_sum_exceeds_20", Gen.arrays(of: Gen.doubles(in: 0...100, allowNaN: false, allowInfinity: false)),
            show: { "[" + $0.map(pyFloat).joined(separator: ", ") + "]" }, ideal: { $0 == [1.0, 7.0] }) { ws in
        let total = ws.reduce(0.0, +)
        guard total > 0 else { return }
        try check(ws.map { (20 * $0 / total + 0.5).rounded(.down) }.reduce(0.0, +) <= 20)
    },
    // A store buffer (a one-of trace) forwards a load from the oldest
    // matching store, not the newest: [store(0, 0), store(0, 1), load(0)].
    problem("store_buffer_forwards_oldest_store",
            Gen.arrays(of: Gen.oneOf(Gen.zip(Gen.ints(in: 0...7), Gen.ints(in: 0...255)).map { B48MemOp.store($0.0, $0.1) },
                                     Gen.ints(in: 0...7).map { B48MemOp.load($0) }, Gen.just(B48MemOp.fence))),
            show: b48ShowOps, ideal: { b48ShowOps($0) == "[store(0, 0), store(0, 1), load(0)]" }) { ops in
        var mem = [Int](repeating: 0, count: 8), buf: [(Int, Int)] = []
        for o in ops {
            switch o {
            case .store(let a, let v): buf.append((a, v))
            case .load(let a):
                let hits = buf.filter { $0.0 == a }.map(\.1)
                try check((hits.first ?? mem[a]) == (hits.last ?? mem[a]))
            case .fence:
                for (a, v) in buf { mem[a] = v }
                buf = []
            }
        }
    },
    // Dirty blocks written back in runs of at most 4, a run test that lets a
    // fifth in: {0, 1, 2, 3, 4}.
    problem("dirty_blocks_batched_five_per_request", Gen.sets(of: Gen.ints(in: 0...31)), show: b48ShowIntSet,
            ideal: { $0 == [0, 1, 2, 3, 4] }) { s in
        var reqs: [[Int]] = []
        for b in s.sorted() {
            if let last = reqs.last, b == last.last! + 1, last.count <= 4 {  // bug: < 4
                reqs[reqs.count - 1].append(b)
            } else { reqs.append([b]) }
        }
        try check(reqs.allSatisfy { $0.count <= 4 })
    },
    // Quotas merged by copying the larger dictionary and overwriting from the
    // smaller (not adding): ({0: 1}, {0: 0}).
    problem("quota_merge_overwrites_from_smaller_dict",
            Gen.zip(Gen.dictionaries(keys: Gen.ints(in: 0...7), values: Gen.ints(in: 0...100)),
                    Gen.dictionaries(keys: Gen.ints(in: 0...7), values: Gen.ints(in: 0...100))),
            show: { "(\(pyIntDict($0.0)), \(pyIntDict($0.1)))" }, ideal: { $0.0 == [0: 1] && $0.1 == [0: 0] }) { t in
        let (a, b) = t
        let (big, small) = a.count >= b.count ? (a, b) : (b, a)
        var m = big
        for (k, v) in small { m[k] = v }  // bug: m[k, default: 0] + v
        var real = a
        for (k, v) in b { real[k, default: 0] += v }
        try check(m == real)
    },
    // Int16 samples delta-encoded from 0, each delta stored in an Int16 (a
    // delta of two Int16 values needs 17 bits), decoded by adding in Int:
    // [1, -32768].
    problem("int16_delta_stored_in_int16_wraps", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList,
            ideal: { $0 == [1, -32768] }) { xs in
        var enc: [Int16] = [], prev = 0
        for x in xs { enc.append(Int16(truncatingIfNeeded: Int(x) - prev)); prev = Int(x) }
        var out: [Int] = [], acc = 0
        for d in enc { acc += Int(d); out.append(acc) }
        try check(out == xs.map(Int.init))
    },
    // Int16 samples whose sum of squares is accumulated in an Int32:
    // [-32768, -32768] (the only pair whose squares reach 2^31).
    problem("rms_int32_sum_of_squares_wraps", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList,
            ideal: { $0 == [-32768, -32768] }) { xs in
        var acc: Int32 = 0
        for x in xs { acc = acc &+ Int32(x) &* Int32(x) }
        try check(Int(acc) == xs.reduce(0) { $0 + Int($1) * Int($1) })
    },
    // An ISBN-10 check digit of 10 rendered "10", not "X":
    // [0, 0, 0, 0, 0, 0, 0, 0, 6] (9 * 6 = 54 = 10 mod 11).
    problem("isbn10_check_digit_ten_written_as_two_chars", Gen.arrays(of: Gen.ints(in: 0...9), count: 9...9), show: pyList,
            ideal: { $0 == [0, 0, 0, 0, 0, 0, 0, 0, 6] }) { ds in
        let c = ds.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element } % 11
        let s = Array(ds.map(String.init).joined() + String(c))  // bug: "X" when c == 10
        func val(_ ch: Character) -> Int { ch == "X" ? 10 : Int(String(ch))! }
        try check(s.count == 10 && (0..<9).reduce(0) { $0 + ($1 + 1) * val(s[$1]) } % 11 == val(s[9]))
    },
    // A split-lock check on a UInt64 address, (addr ^ (addr + size)) >> 6,
    // uses the exclusive end, so an access ending at a 64-byte line's end is
    // flagged: (48, 16).
    problem("split_lock_check_xor_uses_exclusive_end", Gen.zip(Gen.integers(of: UInt64.self), Gen.element(of: [UInt64(1), 2, 4, 8, 16])),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (48, 16) }) { t in
        let (addr, size) = t
        try check(((addr ^ (addr &+ size)) >> 6 != 0) == (addr >> 6 != (addr &+ size &- 1) >> 6))
    },
    // Protobuf-style fields (tag 1...31, UInt32 value) whose key tag << 3 is
    // written as one byte, not as a varint; the reader decodes key and value
    // as LEB128: [(16, 0)].
    problem("protobuf_key_written_as_one_byte",
            Gen.arrays(of: Gen.zip(Gen.ints(in: 1...31), Gen.integers(of: UInt32.self))), show: b48ShowPairs,
            ideal: { $0.count == 1 && $0[0] == (16, 0) }) { fields in
        var buf: [UInt8] = []
        for (tag, v) in fields { buf += [UInt8((tag << 3) & 0xFF)] + b48Leb(Int(v)) }  // bug: b48Leb(tag << 3)
        func readLeb(_ i: Int) -> (Int, Int)? {
            var v = 0, shift = 0, i = i
            while i < buf.count {
                let b = Int(buf[i]); i += 1
                v |= (b & 0x7F) << shift; shift += 7
                if b < 0x80 { return (v, i) }
            }
            return nil
        }
        var out: [(Int, Int)] = [], i = 0
        while i < buf.count {
            guard let (k, j) = readLeb(i), let (v, next) = readLeb(j) else { break }
            out.append((k >> 3, v)); i = next
        }
        try check(out.count == fields.count && zip(out, fields).allSatisfy { $0.0 == $1.0 && $0.1 == Int($1.1) })
    },
    // An intern table keyed by (length, first, last) with no equality check:
    // ('aaa', 'aba').
    problem("intern_table_keyed_by_length_first_last", Gen.zip(b48Text("ab"), b48Text("ab")),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("aaa", "aba") }) { t in
        struct Key: Hashable { let n: Int; let f: Character?; let l: Character? }
        var table: [Key: String] = [:]
        func intern(_ s: String) -> String {
            let k = Key(n: s.count, f: s.first, l: s.last)
            if let hit = table[k] { return hit }
            table[k] = s; return s
        }
        _ = intern(t.0)
        try check(intern(t.1) == t.1)
    },
    // flatMap: a page shift 12...16 first, then offsets within 4 pages, the
    // pages counted with >> 12: (13, [0, 4096]).
    problem("page_index_hardcodes_4k_shift",
            Gen.ints(in: 12...16).flatMap { s in Gen.arrays(of: Gen.ints(in: 0...((4 << s) - 1))).map { (s, $0) } },
            show: { "(\($0.0), \(pyList($0.1)))" }, ideal: { $0.0 == 13 && $0.1 == [0, 4096] }) { t in
        let (s, xs) = t
        try check(Set(xs.map { $0 >> 12 }).count == Set(xs.map { $0 >> s }).count)
    },
    // Freed blocks (a unique list) coalesced into extents, a block bridging
    // two extents joining only the one before it: [0, 2, 1].
    problem("free_extents_bridge_merges_one_side", Gen.uniqueArrays(of: Gen.ints(in: 0...31)), show: pyList,
            ideal: { $0 == [0, 2, 1] }) { xs in
        var ext: [(Int, Int)] = []  // [start, end)
        for b in xs {
            if let p = ext.firstIndex(where: { $0.1 == b }) { ext[p].1 = b + 1 }
            else if let n = ext.firstIndex(where: { $0.0 == b + 1 }) { ext[n].0 = b }
            else { ext.append((b, b + 1)) }
        }
        let s = xs.sorted()
        let runs = s.indices.filter { $0 == 0 || s[$0 - 1] != s[$0] - 1 }.count
        try check(ext.count == runs)
    },
    // DNS names over "a.", each label written with a length byte, an empty
    // label read as the terminator; names starting or ending with '.' are
    // refused first: 'a..a'.
    problem("dns_name_empty_label_ends_name", b48Text("a."), show: pyString, ideal: { $0 == "a..a" }) { s in
        guard let f = s.first, let l = s.last, f != ".", l != "." else { return }
        var wire: [UInt8] = []
        for label in s.split(separator: ".", omittingEmptySubsequences: false) { wire += [UInt8(label.utf8.count)] + Array(label.utf8) }
        wire.append(0)
        var labels: [String] = [], i = 0
        while wire[i] != 0 {
            let n = Int(wire[i])
            labels.append(String(decoding: wire[(i + 1)..<(i + 1 + n)], as: UTF8.self)); i += 1 + n
        }
        try check(labels.joined(separator: ".") == s)
    },
    // File names (a set of strings over "aA") checked for case-insensitive
    // collisions, folding only the first character: {'aA', 'aa'} (drawn 'aa'
    // then 'aA').
    problem("filename_case_fold_first_char_only", Gen.sets(of: b48Text("aA")), show: b48ShowStringSet,
            ideal: { $0 == ["aa", "aA"] }) { s in
        try check(Set(s.map { $0.prefix(1).lowercased() + $0.dropFirst() }).count == Set(s.map { $0.lowercased() }).count)
    },
] }
