// The twenty-third batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-third batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// Decoding one- to three-byte forms; a byte that starts no valid sequence
/// decodes as U+FFFD and the decoder goes on at the next byte. A lead of
/// `firstLead` or above (below 0xE0) starts a two-byte form: 0xC2 is right,
/// 0xC0 lets the overlong leads 0xC0 and 0xC1 through.
func utf8DecodeResync(_ bs: [Int64], firstLead: Int64) -> [Int64] {
    var out: [Int64] = []
    var i = 0
    func isCont(_ j: Int) -> Bool { j < bs.count && bs[j] & 0xC0 == 0x80 }
    while i < bs.count {
        let b = bs[i]
        if b < 0x80 {
            out.append(b)
            i += 1
        } else if b >= firstLead && b < 0xE0 && isCont(i + 1) {
            out.append((b & 0x1F) << 6 | bs[i + 1] & 0x3F)
            i += 2
        } else if b >= 0xE0 && b < 0xF0 && isCont(i + 1) && isCont(i + 2) {
            let c = (b & 0x0F) << 12 | (bs[i + 1] & 0x3F) << 6 | bs[i + 2] & 0x3F
            if c < 0x800 || (c >= 0xD800 && c < 0xE000) {
                out.append(0xFFFD)
                i += 1
            } else {
                out.append(c)
                i += 3
            }
        } else {
            out.append(0xFFFD)
            i += 1
        }
    }
    return out
}

let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

/// Base64 with padding, decoded with a table that has "+" and "/" swapped.
/// Whether decoding the encoding gives the bytes back.
func base64SwappedRoundTrips(_ bs: [Int64]) -> Bool {
    var text: [Character] = []
    var i = 0
    while i < bs.count {
        let chunk = Array(bs[i..<min(i + 3, bs.count)])
        var n: Int64 = 0
        for (j, b) in chunk.enumerated() { n |= b << (16 - 8 * Int64(j)) }
        let sextets = [18, 12, 6, 0].map { (n >> Int64($0)) & 63 }.prefix(chunk.count + 1)
        text += sextets.map { base64Alphabet[Int($0)] }
        text += Array(repeating: "=", count: 3 - chunk.count)
        i += 3
    }
    var table: [Character: Int64] = [:]
    for (j, c) in base64Alphabet.enumerated() { table[c] = Int64(j) }
    table["+"] = 63
    table["/"] = 62
    var out: [Int64] = []
    var q = 0
    while q < text.count {
        let quad = text[q..<q + 4].filter { $0 != "=" }
        var n: Int64 = 0
        for (j, c) in quad.enumerated() { n |= table[c]! << (18 - 6 * Int64(j)) }
        out += [16, 8, 0].map { (n >> Int64($0)) & 255 }.prefix(quad.count - 1)
        q += 4
    }
    return out == bs
}

/// Records of a type byte, a length byte and that many value bytes; the
/// parser takes what is left when the length runs past the end. Whether
/// what it accepts encodes back to the same bytes.
func tlvRoundTrips(_ bs: [Int64]) -> Bool {
    var records: [(Int64, [Int64])] = []
    var i = 0
    while i < bs.count {
        guard i + 1 < bs.count else { return true }
        let t = bs[i], n = Int(bs[i + 1])
        records.append((t, Array(bs[min(i + 2, bs.count)..<min(i + 2 + n, bs.count)])))
        i += 2 + n
    }
    return records.flatMap { [$0.0, Int64($0.1.count)] + $0.1 } == bs
}

/// Normalising the segments of a relative path; `buggy` lets a ".." pop the
/// segment before it even when that is itself a "..".
func normalizeSegments(_ segments: [String], buggy: Bool) -> [String] {
    var out: [String] = []
    for s in segments where s != "." {
        if s == "..", let last = out.last, buggy || last != ".." {
            out.removeLast()
        } else {
            out.append(s)
        }
    }
    return out
}

/// A sorting network for four values that lacks its last comparator (1, 2).
func sortFourMissingLast(_ xs: [Int64]) -> [Int64] {
    var a = xs
    for (i, j) in [(0, 1), (2, 3), (0, 2), (1, 3)] where a[i] > a[j] { a.swapAt(i, j) }
    return a
}

/// Grouping by x / 3 into a keyed table, which merges groups that are not
/// adjacent. Whether the groups are the runs of equal keys, in order.
func groupByKeepsRuns(_ xs: [Int64]) -> Bool {
    var groups: [(key: Int64, items: [Int64])] = []
    for x in xs {
        if let j = groups.firstIndex(where: { $0.key == x / 3 }) {
            groups[j].items.append(x)
        } else {
            groups.append((x / 3, [x]))
        }
    }
    var runs: [[Int64]] = []
    for x in xs {
        if let last = runs.last, last[0] / 3 == x / 3 {
            runs[runs.count - 1].append(x)
        } else {
            runs.append([x])
        }
    }
    return groups.map(\.items) == runs
}

final class AVLNode {
    let left: AVLNode?, key: Int64, right: AVLNode?
    let height: Int
    init(_ left: AVLNode?, _ key: Int64, _ right: AVLNode?) {
        self.left = left
        self.key = key
        self.right = right
        height = 1 + max(left?.height ?? 0, right?.height ?? 0)
    }
    var balanced: Bool {
        abs((left?.height ?? 0) - (right?.height ?? 0)) <= 1 && (left?.balanced ?? true) && (right?.balanced ?? true)
    }
}

func avlRotateRight(_ t: AVLNode) -> AVLNode {
    let l = t.left!
    return AVLNode(l.left, l.key, AVLNode(l.right, t.key, t.right))
}

func avlRotateLeft(_ t: AVLNode) -> AVLNode {
    let r = t.right!
    return AVLNode(AVLNode(t.left, t.key, r.left), r.key, r.right)
}

/// An AVL insert whose left-right case rotates once, as the left-left case does.
func avlInsertSingleLeftRight(_ t: AVLNode?, _ x: Int64) -> AVLNode {
    guard let t else { return AVLNode(nil, x, nil) }
    if x == t.key { return t }
    let n = x < t.key ? AVLNode(avlInsertSingleLeftRight(t.left, x), t.key, t.right)
                      : AVLNode(t.left, t.key, avlInsertSingleLeftRight(t.right, x))
    let lh = n.left?.height ?? 0, rh = n.right?.height ?? 0
    if lh > rh + 1 { return avlRotateRight(n) }
    if rh > lh + 1 {
        let m = x < n.right!.key ? AVLNode(n.left, n.key, avlRotateRight(n.right!)) : n
        return avlRotateLeft(m)
    }
    return n
}

/// A 128-bit set in two 64-bit words; nextSetBit(from) scans the next word
/// from the same bit offset instead of from bit 0.
func nextSetBitSkipsWordStart(_ bits: [Int64], _ start: Int64) -> Int64? {
    var words: [UInt64] = [0, 0]
    for b in bits { words[Int(b >> 6)] |= 1 << UInt64(b & 63) }
    for w in Int(start >> 6)..<2 {
        for i in (start & 63)..<64 where words[w] >> UInt64(i) & 1 == 1 { return 64 * Int64(w) + i }
    }
    return nil
}

/// Slabs of 8, 16, 32 and 64 bytes; the class is 8 << floor(log2(ceil(size / 8))),
/// which rounds down for 17 to 24 bytes and 33 to 56. Whether blocks, each
/// at the next slot of its class's slab, never overlap.
func slabBlocksNeverOverlap(_ sizes: [Int64]) -> Bool {
    var used: [Int64: Int64] = [:]
    var live: [(start: Int64, count: Int64)] = []
    for size in sizes {
        let units = (size + 7) / 8
        let cls = Int64(8) << Int64(63 - units.leadingZeroBitCount)
        let start = 1000 * cls + cls * used[cls, default: 0]
        used[cls, default: 0] += 1
        if live.contains(where: { !(start + size <= $0.start || $0.start + $0.count <= start) }) { return false }
        live.append((start, size))
    }
    return true
}

/// A circular log of four entries read from slot 0 instead of from its
/// oldest entry. Whether after every append it reads the last four in order.
func circularLogReadsInOrder(_ xs: [Int64]) -> Bool {
    var buf = [Int64](repeating: 0, count: 4)
    var head = 0, count = 0
    for (i, x) in xs.enumerated() {
        buf[(head + count) % 4] = x
        if count == 4 { head = (head + 1) % 4 } else { count += 1 }
        if Array(buf[..<count]) != Array(xs[max(0, i - 3)...i]) { return false }
    }
    return true
}

/// Integers written as -?(0|[1-9][0-9]*); the parser checks for a leading
/// zero before it takes the sign off, so "-00" and "-01" pass. Whether it
/// accepts exactly those strings.
func intSyntaxAgrees(_ s: String) -> Bool {
    let digits = s.hasPrefix("-") ? String(s.dropFirst()) : s
    let allDigits = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    let ok = allDigits && !(s.hasPrefix("0") && s.count > 1)
    let ref = allDigits && !(digits.hasPrefix("0") && digits.count > 1)
    return ok == ref
}

/// First fit of a run of pages over a bitmap of 16; the scan does not
/// restart its count at a used page, so free pages on both sides of one add
/// up to a run. Whether live runs never overlapped.
func pageRunsNeverOverlap(_ ops: [TraceOp]) -> Bool {
    var used = [Bool](repeating: false, count: 16)
    var live: [(start: Int64, count: Int64)] = []
    for op in ops {
        switch op {
        case .alloc(let n):
            var start: Int64 = 0, run: Int64 = 0
            for p in 0..<Int64(16) where !used[Int(p)] {
                if run == 0 { start = p }
                run += 1
                if run == n { break }
            }
            guard run >= n else { continue }
            if live.contains(where: { !(start + n <= $0.start || $0.start + $0.count <= start) }) { return false }
            for p in start..<start + n { used[Int(p)] = true }
            live.append((start, n))
        case .free(let i):
            guard i < live.count else { continue }
            let (s, n) = live.remove(at: Int(i))
            for p in s..<s + n { used[Int(p)] = false }
        }
    }
    return true
}

struct ReaderWriterModel {
    var readers = 0
    var writer = false
}

/// A reader-writer lock that records its readers as one flag, so the first
/// release of a read lock clears it while other readers still hold the lock.
final class FlagReaderWriterLock {
    var hasReaders = false, writer = false
    func tryRead() -> Bool {
        guard !writer else { return false }
        hasReaders = true
        return true
    }
    func tryWrite() -> Bool {
        guard !writer && !hasReaders else { return false }
        writer = true
        return true
    }
    func releaseRead() { hasReaders = false }
    func releaseWrite() { writer = false }
}

/// The twenty-third batch, written by someone who had not read the
/// shrinker: a UTF-8 decoder taking an overlong form, base64 decoded with
/// "+" and "/" swapped, a TLV parser trusting its length byte, path
/// normalisation popping a "..", a sorting network short of a comparator,
/// group-by merging groups that are not adjacent, an AVL insert with a
/// single rotation for the left-right case, a bitset scan that skips the
/// start of the next word, slab size classes rounding down, a circular log
/// read from slot 0, integer syntax checking a leading zero before the
/// sign, an Int8 checked multiply blind to mixed signs, first fit of page runs
/// counting across a used page and a reader-writer lock keeping its
/// readers as one flag.
func twentyThirdBatch() -> [Problem] { [
    // Bytes 0x80...0xFF: a decoder that accepts the overlong two-byte leads 0xC0 and 0xC1.
    problem("utf8_decoder_accepts_overlong_lead", Gen.arrays(of: Gen.integers(in: 0x80...0xFF)), show: pyList,
            ideal: { $0 == [192, 128] }) { bs in
        try check(utf8DecodeResync(bs, firstLead: 0xC0) == utf8DecodeResync(bs, firstLead: 0xC2))
    },
    // Bytes through base64 and back, decoded with "+" and "/" swapped in the table.
    problem("base64_decode_swaps_plus_slash", Gen.arrays(of: Gen.integers(in: 0...255)), show: pyList,
            ideal: { $0 == [248] }) { bs in
        try check(base64SwappedRoundTrips(bs))
    },
    // Bytes as type-length-value records; a length running past the end is taken as what is left.
    problem("tlv_length_past_end_truncates", Gen.arrays(of: Gen.integers(in: 0...255)), show: pyList,
            ideal: { $0 == [0, 1] }) { bs in
        try check(tlvRoundTrips(bs))
    },
    // Segments of a relative path; a ".." pops the segment before it even when that is a "..".
    problem("path_dotdot_pops_dotdot", Gen.arrays(of: Gen.element(of: ["a", ".", ".."])),
            show: { pyList($0.map(pyString)) }, ideal: { $0 == ["..", ".."] }) { segments in
        try check(normalizeSegments(segments, buggy: true) == normalizeSegments(segments, buggy: false))
    },
    // Four values through a sorting network missing its last comparator (1, 2).
    problem("sorting_network_missing_middle_comparator",
            Gen.zip(Gen.integers(in: 0...9), Gen.integers(in: 0...9), Gen.integers(in: 0...9), Gen.integers(in: 0...9)),
            show: { "(\($0.0), \($0.1), \($0.2), \($0.3))" }, ideal: { $0 == (0, 1, 0, 1) }) { t in
        let xs = [t.0, t.1, t.2, t.3]
        try check(sortFourMissingLast(xs) == xs.sorted())
    },
    // Grouping by x // 3 through a keyed table: the groups must be the runs, so keys that recur split.
    problem("group_by_merges_nonadjacent_runs", Gen.arrays(of: Gen.integers(in: 0...9)), show: pyList,
            ideal: { $0 == [0, 3, 0] }) { xs in
        try check(groupByKeepsRuns(xs))
    },
    // Keys inserted into an AVL tree whose left-right case rotates once; every node must stay balanced.
    problem("avl_left_right_single_rotation", Gen.arrays(of: Gen.integers(in: 0...9)), show: pyList,
            ideal: { $0 == [2, 0, 1] }) { xs in
        var t: AVLNode?
        for x in xs {
            t = avlInsertSingleLeftRight(t, x)
            try check(t!.balanced)
        }
    },
    // (set bits of 128, from): nextSetBit scanning the next word from the same offset.
    problem("bitset_next_set_bit_skips_word_start",
            Gen.zip(Gen.arrays(of: Gen.integers(in: 0...127)), Gen.integers(in: 0...127)),
            show: { "(\(pyList($0.0)), \($0.1))" }, ideal: { $0.0 == [64] && $0.1 == 1 }) { t in
        try check(nextSetBitSkipsWordStart(t.0, t.1) == t.0.filter { $0 >= t.1 }.min())
    },
    // Sizes 1...64 into slabs whose size class rounds down between powers of two.
    problem("slab_size_class_rounds_down", Gen.arrays(of: Gen.integers(in: 1...64)), show: pyList,
            ideal: { $0 == [17, 9] }) { sizes in
        try check(slabBlocksNeverOverlap(sizes))
    },
    // Appends to a circular log of four read from slot 0 instead of the oldest entry.
    problem("circular_log_reads_from_slot_zero", Gen.arrays(of: Gen.integers(in: 0...9)), show: pyList,
            ideal: { $0 == [0, 0, 0, 0, 1] }) { xs in
        try check(circularLogReadsInOrder(xs))
    },
    // Strings over "01-": integer syntax that checks a leading zero before taking the sign off.
    problem("int_syntax_leading_zero_after_sign", Gen.strings(of: Gen.characters(from: "01-")), show: pyString,
            ideal: { $0 == "-00" }) { s in
        try check(intSyntaxAgrees(s))
    },
    // (a, b) in the Int8 range: an overflow check for a product that looks only at operands of one sign.
    problem("checked_mul_int8_skips_mixed_signs",
            Gen.zip(Gen.integers(in: -128...127), Gen.integers(in: -128...127)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (2, -65) }) { t in
        let (a, b) = t
        let flagged = (a > 0 && b > 0 && a > 127 / b) || (a < 0 && b < 0 && a < 127 / b)
        try check(flagged == !(-128...127).contains(a * b))
    },
    // First fit of page runs (sizes 1...4, free indices 0...3) whose count goes on across a used page.
    problem("page_run_first_fit_counts_across_used",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...4).map { TraceOp.alloc($0) },
                                     Gen.integers(in: 0...3).map { TraceOp.free($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.alloc(1), .alloc(1), .free(0), .alloc(2)] }) { ops in
        try check(pageRunsNeverOverlap(ops))
    },
    // A reader-writer lock keeping its readers as one flag: a write must be granted exactly when nobody holds it.
    machineProblem("machine_rwlock_reader_flag", StateMachine<ReaderWriterModel, FlagReaderWriterLock>(
        model: { ReaderWriterModel() }, system: FlagReaderWriterLock.init,
        rules: [
            .init("try_read") { model, lock, _ in
                let granted = lock.tryRead()
                try expect(granted == !model.writer, "try_read() gave \(granted)")
                if granted { model.readers += 1 }
            },
            .init("try_write") { model, lock, _ in
                let granted = lock.tryWrite()
                try expect(granted == (!model.writer && model.readers == 0), "try_write() gave \(granted)")
                if granted { model.writer = true }
            },
            .init("release_read", precondition: { $0.readers > 0 }) { model, lock, _ in
                lock.releaseRead()
                model.readers -= 1
            },
            .init("release_write", precondition: { $0.writer }) { model, lock, _ in
                lock.releaseWrite()
                model.writer = false
            },
        ]), ideal: ["try_read()", "try_read()", "release_read()", "try_write()"]),
] }
