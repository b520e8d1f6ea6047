// The twenty-fourth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-fourth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum TLBOp: Equatable {
    case map(Int64, Int64)
    case unmap(Int64)
    case access(Int64)
    var repr: String {
        switch self {
        case .map(let p, let f): return "('map', \(p), \(f))"
        case .unmap(let p): return "('unmap', \(p))"
        case .access(let p): return "('access', \(p))"
        }
    }
}

enum PipeOp: Equatable {
    case write(Int64)
    case read(Int64)
    var repr: String {
        switch self {
        case .write(let n): return "('write', \(n))"
        case .read(let n): return "('read', \(n))"
        }
    }
}

indirect enum Rope: Equatable {
    case leaf(String)
    case node(Rope, Rope)
    var text: String {
        switch self {
        case .leaf(let s): return s
        case .node(let l, let r): return l.text + r.text
        }
    }
    var leftmostLeaf: String {
        switch self {
        case .leaf(let s): return s
        case .node(let l, _): return l.leftmostLeaf
        }
    }
    /// As Python prints the rope: a leaf as its string, a node as a pair.
    var repr: String {
        switch self {
        case .leaf(let s): return pyString(s)
        case .node(let l, let r): return "(\(l.repr), \(r.repr))"
        }
    }
}

/// Signed LEB128; `checkSignBit: false` stops as soon as what is left is 0
/// or -1, without looking at bit 6 of the last byte, which the decoder
/// takes for the sign.
func sleb128Encode(_ x: Int64, checkSignBit: Bool) -> [Int64] {
    var v = x
    var out: [Int64] = []
    while true {
        let byte = v & 0x7F
        v >>= 7
        let done = checkSignBit ? (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) : v == 0 || v == -1
        if done {
            out.append(byte)
            return out
        }
        out.append(byte | 0x80)
    }
}

func sleb128Decode(_ bs: [Int64]) -> [Int64] {
    var out: [Int64] = []
    var i = 0
    while i < bs.count {
        var result: Int64 = 0, shift: Int64 = 0, b: Int64 = 0
        repeat {
            b = bs[i]
            i += 1
            result |= (b & 0x7F) << shift
            shift += 7
        } while b & 0x80 != 0
        if b & 0x40 != 0 { result |= -1 << shift }
        out.append(result)
    }
    return out
}

/// Open addressing with linear probing over 4 slots, doubled when an insert
/// would fill more than three quarters; the growth copies each key to the
/// same slot index instead of inserting it again. Whether every key inserted
/// is still found after each insert.
func probeGrowKeepsKeys(_ keys: [Int64]) -> Bool {
    var slots = [Int64?](repeating: nil, count: 4)
    var count = 0
    var inserted: [Int64] = []
    func find(_ k: Int64) -> Bool {
        let n = slots.count
        for j in 0..<n {
            guard let s = slots[(Int(k) + j) % n] else { return false }
            if s == k { return true }
        }
        return false
    }
    for k in keys {
        if !find(k) {
            if 4 * (count + 1) > 3 * slots.count { slots += [Int64?](repeating: nil, count: slots.count) }
            let n = slots.count
            for j in 0..<n where slots[(Int(k) + j) % n] == nil {
                slots[(Int(k) + j) % n] = k
                break
            }
            count += 1
            inserted.append(k)
        }
        if !inserted.allSatisfy(find) { return false }
    }
    return true
}

/// First fit over 16 units; a realloc that grows a block does it in place
/// when the unit just past the block is free, without checking that the gap
/// holds the new size (otherwise it moves the block by first fit, or
/// fails). Whether live blocks never overlapped or passed the end.
func reallocGrowKeepsBlocksApart(_ ops: [ReallocOp]) -> Bool {
    var live: [(start: Int64, count: Int64)] = []
    func isFree(_ u: Int64, _ n: Int64) -> Bool {
        u + n <= 16 && live.allSatisfy { u + n <= $0.start || $0.start + $0.count <= u }
    }
    for op in ops {
        switch op {
        case .alloc(let n):
            if let s = (0..<Int64(16)).first(where: { isFree($0, n) }) { live.append((s, n)) }
        case .free(let i):
            if i < live.count { live.remove(at: Int(i)) }
        case .realloc(let i, let n):
            guard i < live.count else { continue }
            let (s, m) = live[Int(i)]
            if n <= m || isFree(s + m, 1) {
                live[Int(i)].count = n
            } else if let t = (0..<Int64(16)).first(where: { isFree($0, n) }) {
                live[Int(i)] = (t, n)
            }
        }
        if live.contains(where: { $0.start + $0.count > 16 }) { return false }
        for (j, a) in live.enumerated() {
            for b in live[(j + 1)...] where !(a.start + a.count <= b.start || b.start + b.count <= a.start) { return false }
        }
    }
    return true
}

/// A descriptor table that remembers where to look for the next free
/// descriptor; a close sets that hint to the closed descriptor even when it
/// is above the hint.
final class HintedFdTable {
    private var open: Set<Int> = []
    private var hint = 0
    func openLowest() -> Int {
        var fd = hint
        while open.contains(fd) { fd += 1 }
        open.insert(fd)
        hint = fd + 1
        return fd
    }
    func close(_ fd: Int) {
        open.remove(fd)
        hint = fd
    }
}

/// Glob matching that takes a run of "*" up to the first place the next
/// pattern character occurs, and never comes back to try a later one.
func globNoBacktrack(_ p: [Character], _ t: [Character]) -> Bool {
    var i = 0, j = 0
    while i < p.count {
        if p[i] == "*" {
            while i < p.count && p[i] == "*" { i += 1 }
            if i == p.count { return true }
            guard let k = t[j...].firstIndex(of: p[i]) else { return false }
            j = k
        } else if j < t.count && p[i] == t[j] {
            i += 1
            j += 1
        } else {
            return false
        }
    }
    return j == t.count
}

/// Glob matching by dynamic programming: ok[j] when the pattern read so far matches t[..<j].
func globMatches(_ p: [Character], _ t: [Character]) -> Bool {
    var ok = [true] + [Bool](repeating: false, count: t.count)
    for c in p {
        if c == "*" {
            for j in t.indices { ok[j + 1] = ok[j + 1] || ok[j] }
        } else {
            ok = [false] + t.indices.map { ok[$0] && t[$0] == c }
        }
    }
    return ok[t.count]
}

final class TrieNode {
    var end = false
    var kids: [Character: TrieNode] = [:]
}

/// A trie whose delete, when the word's node has no children left, cuts the
/// root's whole branch for the word's first letter instead of only the
/// nodes no other word needs. Whether the words it holds stayed the set's.
func trieKeepsWords(_ ops: [(String, String)]) -> Bool {
    let root = TrieNode()
    var model: Set<String> = []
    func collect(_ n: TrieNode, _ prefix: String, _ out: inout Set<String>) {
        if n.end { out.insert(prefix) }
        for (c, k) in n.kids { collect(k, prefix + String(c), &out) }
    }
    for (op, w) in ops {
        if op == "insert" {
            var node = root
            for c in w {
                if let k = node.kids[c] {
                    node = k
                } else {
                    let k = TrieNode()
                    node.kids[c] = k
                    node = k
                }
            }
            node.end = true
            model.insert(w)
        } else {
            var node: TrieNode? = root
            for c in w { node = node?.kids[c] }
            if let node, node.end {
                node.end = false
                if node.kids.isEmpty, let first = w.first { root.kids[first] = nil }
            }
            model.remove(w)
        }
        var held: Set<String> = []
        collect(root, "", &held)
        if held != model { return false }
    }
    return true
}

/// Pages 0-3 mapped to frames, looked up through a direct-mapped TLB of two
/// entries (page % 2); a map flushes the page's entry, an unmap does not.
/// Whether every access gave the page table's frame (nil when unmapped).
func tlbAgreesWithTable(_ ops: [TLBOp]) -> Bool {
    var table: [Int64: Int64] = [:]
    var tlb: [(page: Int64, frame: Int64)?] = [nil, nil]
    for op in ops {
        switch op {
        case .map(let p, let f):
            table[p] = f
            if tlb[Int(p % 2)]?.page == p { tlb[Int(p % 2)] = nil }
        case .unmap(let p):
            table[p] = nil
        case .access(let p):
            let got: Int64?
            if let entry = tlb[Int(p % 2)], entry.page == p {
                got = entry.frame
            } else {
                got = table[p]
                if let f = got { tlb[Int(p % 2)] = (p, f) }
            }
            if got != table[p] { return false }
        }
    }
    return true
}

/// Mappings (first page, pages, protection) over 16 pages; one that
/// overlaps a mapping or passes the end is refused. A new mapping merges
/// with the one ending where it starts when their protections agree, but
/// with the one starting where it ends whatever that one's protection.
/// Whether every page kept the protection it was mapped with.
func vmaMergeKeepsProtections(_ regions: [(Int64, Int64, Int64)]) -> Bool {
    var vmas: [(lo: Int64, hi: Int64, prot: Int64)] = []
    var model: [Int64: Int64] = [:]
    for (s, n, prot) in regions {
        let e = s + n
        if e > 16 || vmas.contains(where: { s < $0.hi && $0.lo < e }) { continue }
        for q in s..<e { model[q] = prot }
        var lo = s, hi = e
        if let j = vmas.firstIndex(where: { $0.hi == s && $0.prot == prot }) {
            lo = vmas[j].lo
            vmas.remove(at: j)
        }
        if let j = vmas.firstIndex(where: { $0.lo == e }) {
            hi = vmas[j].hi
            vmas.remove(at: j)
        }
        vmas.append((lo, hi, prot))
        for v in vmas {
            for q in v.lo..<v.hi where model[q] != v.prot { return false }
        }
    }
    return true
}

/// An anti-replay window of 16 packets kept as a bitmap shifted at each new
/// highest sequence number; the shift count is taken mod 16, as x86 does
/// with an oversized shift in C. Whether every packet was accepted exactly
/// when it is above the highest, or within the window and not seen.
func replayWindowAgrees(_ seqs: [Int64]) -> Bool {
    var top: Int64?
    var bits: UInt16 = 0
    var seen: Set<Int64> = []
    for s in seqs {
        let ok: Bool, ref: Bool
        if let t = top {
            ref = s > t || (t - s < 16 && !seen.contains(s))
            if s > t {
                ok = true
                bits = bits << UInt16((s - t) & 15) | 1
                top = s
            } else if t - s < 16 && bits >> UInt16(t - s) & 1 == 0 {
                ok = true
                bits |= 1 << UInt16(t - s)
            } else {
                ok = false
            }
        } else {
            ok = true
            ref = true
            top = s
            bits = 1
        }
        if ok != ref { return false }
        if ref { seen.insert(s) }
    }
    return true
}

/// 7-bit values packed into 64-bit words; a value that straddles two words
/// keeps only its bits in the first. Whether unpacking gives them back.
func septetsRoundTrip(_ xs: [Int64]) -> Bool {
    var words = [UInt64](repeating: 0, count: (7 * xs.count + 63) / 64)
    for (i, v) in xs.enumerated() {
        words[7 * i / 64] |= UInt64(v) << UInt64(7 * i % 64)
    }
    let out = xs.indices.map { i -> Int64 in
        let (w, off) = (7 * i / 64, 7 * i % 64)
        var v = words[w] >> UInt64(off)
        if off > 57 { v |= words[w + 1] << UInt64(64 - off) }
        return Int64(v & 0x7F)
    }
    return out == xs
}

/// A pipe buffer of 4 bytes; a write that fits (else it is refused) is
/// copied up to the end of the buffer and the rest to its start, but the
/// rest is taken from the start of the data instead of where the first part
/// stopped. The writer writes the bytes 1, 2, 3, ... in turn. Whether every
/// read gave the next ones.
func pipeReadsInOrder(_ ops: [PipeOp]) -> Bool {
    var buf = [Int64](repeating: 0, count: 4)
    var head = 0, count = 0
    var written: Int64 = 0, read: Int64 = 0
    for op in ops {
        switch op {
        case .write(let n64):
            let n = Int(n64)
            guard n <= 4 - count else { continue }
            let data = (0..<n).map { (written + 1 + Int64($0)) % 256 }
            written += n64
            let tail = (head + count) % 4
            let first = min(n, 4 - tail)
            for j in 0..<first { buf[tail + j] = data[j] }
            for j in 0..<(n - first) { buf[j] = data[j] }
            count += n
        case .read(let n64):
            let k = min(Int(n64), count)
            let got = (0..<k).map { buf[(head + $0) % 4] }
            head = (head + k) % 4
            count -= k
            if got != (0..<k).map({ (read + 1 + Int64($0)) % 256 }) { return false }
            read += Int64(k)
        }
    }
    return true
}

/// A rope's index that weighs a node's left part by the length of its
/// leftmost leaf instead of its whole text.
func ropeCharAt(_ r: Rope, _ i: Int) -> Character? {
    switch r {
    case .leaf(let s):
        return i < s.count ? Array(s)[i] : nil
    case .node(let l, let right):
        let w = l.leftmostLeaf.count
        return i < w ? ropeCharAt(l, i) : ropeCharAt(right, i - w)
    }
}

/// The twenty-fourth batch, written by someone who had not read the
/// shrinker: a signed LEB128 encoder blind to the sign bit, a hash table
/// whose growth copies slots in place, a realloc growing into a gap too
/// short, a descriptor table whose close moves its hint up, glob matching
/// that never backtracks, a trie delete cutting a shared branch, a TLB an
/// unmap leaves stale, a mapping merge ignoring the next mapping's
/// protection, 12-bit sequence numbers compared without wrap, an
/// anti-replay window whose shift count is masked, samples truncated to
/// 8.8 fixed point, 7-bit packing losing a straddling value's high bits, a
/// pipe whose wrapping write copies from the data's start and a rope index
/// weighing only the leftmost leaf.
func twentyFourthBatch() -> [Problem] { [
    // Int16 values through a signed LEB128 encoder that ignores the sign bit of its last byte.
    problem("sleb128_encoder_ignores_sign_bit", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList,
            ideal: { $0 == [64] }) { xs in
        let values = xs.map { Int64($0) }
        try check(sleb128Decode(values.flatMap { sleb128Encode($0, checkSignBit: false) }) == values)
    },
    // Keys 0...15 into a probing table of 4 slots whose growth copies slots to the same index.
    problem("hash_grow_copies_slots_in_place", Gen.arrays(of: Gen.integers(in: 0...15)), show: pyList,
            ideal: { $0 == [0, 1, 4, 2] }) { keys in
        try check(probeGrowKeepsKeys(keys))
    },
    // First fit over 16 units (alloc 1...4, realloc of block 0...3 to 1...8, free 0...3); a growing
    // realloc stays in place when the next unit is free, however short the gap.
    problem("realloc_grows_into_short_gap",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...4).map { ReallocOp.alloc($0) },
                                     Gen.zip(Gen.integers(in: 0...3), Gen.integers(in: 1...8)).map { ReallocOp.realloc($0.0, $0.1) },
                                     Gen.integers(in: 0...3).map { ReallocOp.free($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.alloc(2), .alloc(1), .realloc(0, 1), .realloc(0, 3)] }) { ops in
        try check(reallocGrowKeepsBlocksApart(ops))
    },
    // A descriptor table whose close sets its search hint to the closed descriptor: open must give the lowest free one.
    machineProblem("machine_fd_close_moves_hint_up", StateMachine<Set<Int>, HintedFdTable>(
        model: { [] }, system: HintedFdTable.init,
        rules: [
            .init("open") { model, table, _ in
                let fd = table.openLowest()
                let lowest = (0...).first { !model.contains($0) }!
                try expect(fd == lowest, "open() gave \(fd), expected \(lowest)")
                model.insert(fd)
            },
            .init("close", precondition: { !$0.isEmpty }) { model, table, step in
                let fd = try step.draw(Gen.element(of: model.sorted()), "fd")
                table.close(fd)
                model.remove(fd)
            },
        ]), ideal: ["open()", "open()", "close(fd: 0)", "close(fd: 1)", "open()"]),
    // (pattern over "ab*", text over "ab"): a glob matcher that never backtracks must agree with one that does.
    problem("glob_star_never_backtracks",
            Gen.zip(Gen.strings(of: Gen.characters(from: "ab*")), Gen.strings(of: Gen.characters(from: "ab"))),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("*a", "aa") }) { t in
        try check(globNoBacktrack(Array(t.0), Array(t.1)) == globMatches(Array(t.0), Array(t.1)))
    },
    // Inserts and deletes of words over "ab" in a trie whose delete cuts the root's branch for the first letter.
    problem("trie_delete_cuts_shared_branch",
            Gen.arrays(of: Gen.zip(Gen.element(of: ["insert", "delete"]), Gen.strings(of: Gen.characters(from: "ab")))),
            show: { pyList($0.map { "('\($0.0)', \(pyString($0.1)))" }) },
            ideal: { $0.map { "\($0.0) \($0.1)" } == ["insert a", "insert aa", "delete aa"] }) { ops in
        try check(trieKeepsWords(ops))
    },
    // Maps of pages 0...3 to frames 0...7, unmaps and accesses through a two-entry TLB that an unmap does not flush.
    problem("tlb_unmap_keeps_stale_entry",
            Gen.arrays(of: Gen.oneOf(Gen.zip(Gen.integers(in: 0...3), Gen.integers(in: 0...7)).map { TLBOp.map($0.0, $0.1) },
                                     Gen.integers(in: 0...3).map { TLBOp.unmap($0) },
                                     Gen.integers(in: 0...3).map { TLBOp.access($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.map(0, 0), .access(0), .unmap(0), .access(0)] }) { ops in
        try check(tlbAgreesWithTable(ops))
    },
    // (first page 0...15, pages 1...4, protection 0...2): mappings merged with the next one whatever its protection.
    problem("vma_merge_next_ignores_prot",
            Gen.arrays(of: Gen.zip(Gen.integers(in: 0...15), Gen.integers(in: 1...4), Gen.integers(in: 0...2))),
            show: { pyList($0.map { "(\($0.0), \($0.1), \($0.2))" }) },
            ideal: { $0.map { [$0.0, $0.1, $0.2] } == [[1, 1, 0], [0, 1, 1]] }) { regions in
        try check(vmaMergeKeepsProtections(regions))
    },
    // (start, gaps 1...100): 12-bit sequence numbers compared with a plain < instead of serial-number arithmetic.
    problem("seq12_compared_without_wrap", Gen.zip(Gen.integers(in: 0...4095), Gen.arrays(of: Gen.integers(in: 1...100))),
            show: { "(\($0.0), \(pyList($0.1)))" }, ideal: { $0.0 == 3996 && $0.1 == [100] }) { t in
        var s = t.0
        for d in t.1 {
            let n = (s + d) % 4096
            try check((s < n) == (1...2047).contains((n - s + 4096) % 4096))
            s = n
        }
    },
    // Sequence numbers 0...63 through a 16-packet anti-replay window whose shift count is taken mod 16.
    problem("replay_window_shift_count_masked", Gen.arrays(of: Gen.integers(in: 0...63)), show: pyList,
            ideal: { $0 == [0, 17, 16] }) { seqs in
        try check(replayWindowAgrees(seqs))
    },
    // Samples in [-1, 1] to 8.8 fixed point: truncating x * 256 must give what rounding it gives.
    problem("float_to_q8_truncates", Gen.arrays(of: Gen.doubles(in: -1...1)), show: { pyList($0.map(pyFloat)) },
            ideal: { $0 == [0.501953125] }) { xs in
        for x in xs {
            let y = x * 256
            try check(Int(y) == Int(y.rounded()))
        }
    },
    // Values 0...127 packed 7 bits each into 64-bit words, losing the bits a value puts in the next word.
    problem("septet_pack_drops_straddling_bits", Gen.arrays(of: Gen.integers(in: 0...127)), show: pyList,
            ideal: { $0 == [0, 0, 0, 0, 0, 0, 0, 0, 0, 2] }) { xs in
        try check(septetsRoundTrip(xs))
    },
    // Writes and reads of 1...4 bytes through a 4-byte pipe whose wrapping write copies its rest from the data's start.
    problem("pipe_write_wrap_copies_from_start",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...4).map { PipeOp.write($0) }, Gen.integers(in: 1...4).map { PipeOp.read($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.write(1), .read(1), .write(4), .read(4)] }) { ops in
        try check(pipeReadsInOrder(ops))
    },
    // Ropes of strings over "ab" whose index weighs a node's left part by its leftmost leaf.
    problem("rope_index_weighs_leftmost_leaf",
            Gen.recursive(maxDepth: 4, label: "rope", base: Gen.strings(of: Gen.characters(from: "ab")).map { Rope.leaf($0) }) { inner in
                Gen.zip(inner, inner).map { Rope.node($0.0, $0.1) }
            }, show: \.repr, ideal: { $0 == .node(.node(.leaf(""), .leaf("a")), .leaf("")) }) { r in
        let text = Array(r.text)
        try check(text.indices.allSatisfy { ropeCharAt(r, $0) == text[$0] })
    },
] }
