// The twenty-fifth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-fifth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum TimerOp: Equatable {
    case add(Int64)
    case tick(Int64)
    var repr: String {
        switch self {
        case .add(let n): return "('add', \(n))"
        case .tick(let n): return "('tick', \(n))"
        }
    }
}

enum LZToken: Equatable {
    case lit(Int64)
    case copy(Int64, Int64)
    var repr: String {
        switch self {
        case .lit(let b): return "('lit', \(b))"
        case .copy(let d, let n): return "('copy', \(d), \(n))"
        }
    }
}

enum MagazineOp: Equatable {
    case alloc
    case free(Int64)
    var repr: String {
        switch self {
        case .alloc: return "('alloc',)"
        case .free(let i): return "('free', \(i))"
        }
    }
}

/// A two-level page table over 16-bit addresses with 256-byte pages: the
/// top four bits index the first level and the next four the second, but
/// the second-level index is masked with 7 instead of 15. Each address's
/// page is mapped in turn to frame 1, 2, 3, ...; whether every address
/// then translates through the frame its page was last mapped to.
func pageTableTranslates(_ vas: [UInt16]) -> Bool {
    var directory: [Int: [Int: Int]] = [:]
    var model: [Int: Int] = [:]
    for (i, va) in vas.enumerated() {
        directory[Int(va >> 12), default: [:]][Int(va >> 8) & 0x7] = i + 1
        model[Int(va >> 8)] = i + 1
    }
    for va in vas {
        let frame = directory[Int(va >> 12)]![Int(va >> 8) & 0x7]!
        if frame << 8 | Int(va & 0xFF) != model[Int(va >> 8)]! << 8 | Int(va & 0xFF) { return false }
    }
    return true
}

/// A timer wheel of two levels of four slots: a timer due within 4 ticks
/// goes to the slot of its expiry in the first level, a later one to the
/// slot of its expiry / 4 in the second, which is moved down each time the
/// clock reaches a multiple of 4. The move places a timer by its delay
/// instead of its expiry. After the operations the clock runs 16 more
/// ticks; whether every timer fired exactly at its expiry.
func timerWheelFiresOnTime(_ ops: [TimerOp]) -> Bool {
    var now: Int64 = 0
    var wheel0 = [[Int]](repeating: [], count: 4), wheel1 = [[Int]](repeating: [], count: 4)
    var timers: [(expiry: Int64, delay: Int64)] = []
    var fired: [Int: Int64] = [:]
    func tick() {
        now += 1
        if now % 4 == 0 {
            let slot = wheel1[Int(now / 4 % 4)]
            wheel1[Int(now / 4 % 4)] = []
            for t in slot { wheel0[Int(timers[t].delay % 4)].append(t) }
        }
        for t in wheel0[Int(now % 4)] { fired[t] = now }
        wheel0[Int(now % 4)] = []
    }
    for op in ops {
        switch op {
        case .add(let n):
            timers.append((now + n, n))
            if n < 4 {
                wheel0[Int((now + n) % 4)].append(timers.count - 1)
            } else {
                wheel1[Int((now + n) / 4 % 4)].append(timers.count - 1)
            }
        case .tick(let n):
            for _ in 0..<n { tick() }
        }
    }
    for _ in 0..<16 { tick() }
    return timers.indices.allSatisfy { fired[$0] == timers[$0].expiry }
}

/// A bump allocator over a 64-byte arena, each request a size and an
/// alignment of 2^k bytes; it checks that the request fits before rounding
/// the top up to the alignment. Whether every block was aligned, within the
/// arena and apart from the others.
func bumpArenaStaysInside(_ requests: [(Int64, Int64)]) -> Bool {
    var top: Int64 = 0
    var blocks: [(start: Int64, end: Int64)] = []
    for (size, k) in requests {
        let align: Int64 = 1 << k
        if top + size > 64 { continue }
        let start = (top + align - 1) & ~(align - 1)
        top = start + size
        if start % align != 0 || start + size > 64 { return false }
        if blocks.contains(where: { start < $0.end && $0.start < start + size }) { return false }
        blocks.append((start, start + size))
    }
    return true
}

/// Fields (width 1...8 bits, value masked to the width) written most
/// significant bit first into bytes; the reader takes a field that crosses
/// into the next byte from that byte's low bits instead of its high ones.
/// Whether every field reads back.
func bitFieldsReadBack(_ fields: [(Int64, Int64)]) -> Bool {
    let values = fields.map { $0.1 & ((1 << $0.0) - 1) }
    var bytes: [Int64] = []
    var bitCount = 0
    for ((w, _), v) in zip(fields, values) {
        for j in 0..<Int(w) {
            if bitCount % 8 == 0 { bytes.append(0) }
            bytes[bitCount / 8] |= ((v >> (w - 1 - Int64(j))) & 1) << (7 - Int64(bitCount % 8))
            bitCount += 1
        }
    }
    var pos: Int64 = 0
    for ((w, _), v) in zip(fields, values) {
        let byte = Int(pos / 8), r = 8 - pos % 8
        let got: Int64
        if w <= r {
            got = (bytes[byte] >> (r - w)) & ((1 << w) - 1)
        } else {
            let rest = w - r
            got = (bytes[byte] & ((1 << r) - 1)) << rest | bytes[byte + 1] & ((1 << rest) - 1)
        }
        if got != v { return false }
        pos += w
    }
    return true
}

/// An LZ77 decoder: a literal byte, or a copy of `length` bytes from
/// `distance` back, one byte at a time so that a copy may overlap what it
/// writes. `checkDistance: false` checks the length against the output so
/// far instead of the distance (reading zeros before the start), so it
/// turns down valid overlapping copies. Nil for a stream it rejects.
func lz77Decode(_ tokens: [LZToken], checkDistance: Bool) -> [Int64]? {
    var out: [Int64] = []
    for token in tokens {
        switch token {
        case .lit(let b):
            out.append(b)
        case .copy(let d, let n):
            if (checkDistance ? d : n) > Int64(out.count) { return nil }
            for _ in 0..<n { out.append(d <= Int64(out.count) ? out[out.count - Int(d)] : 0) }
        }
    }
    return out
}

/// Zigzag decoding of a 32-bit value with an arithmetic shift where a
/// logical one belongs.
func zigzag32RoundTrips(_ n: Int32) -> Bool {
    let z = UInt32(bitPattern: (n << 1) ^ (n >> 31))
    let decoded = (Int32(bitPattern: z) >> 1) ^ -Int32(bitPattern: z & 1)
    return decoded == n
}

/// HDLC bit stuffing, least significant bit first: after five 1 bits in a
/// row the sender puts in a 0. It counts the run of 1 bits afresh at each
/// byte, so a run across two bytes goes unstuffed.
func hdlcStuffBuggy(_ data: [UInt8]) -> [Int] {
    var bits: [Int] = []
    for b in data {
        var ones = 0
        for j in 0..<8 {
            let bit = Int(b >> UInt8(j) & 1)
            bits.append(bit)
            ones = bit == 1 ? ones + 1 : 0
            if ones == 5 {
                bits.append(0)
                ones = 0
            }
        }
    }
    return bits
}

/// The receiver takes out the 0 after five 1 bits (six 1 bits are a flag
/// or an abort, not data). Nil when it rejects the bits.
func hdlcUnstuff(_ bits: [Int]) -> [UInt8]? {
    var out: [Int] = []
    var ones = 0, i = 0
    while i < bits.count {
        let bit = bits[i]
        i += 1
        out.append(bit)
        ones = bit == 1 ? ones + 1 : 0
        if ones == 5 {
            guard i < bits.count && bits[i] == 0 else { return nil }
            i += 1
            ones = 0
        }
    }
    guard out.count % 8 == 0 else { return nil }
    return stride(from: 0, to: out.count, by: 8).map { k in UInt8((0..<8).reduce(0) { $0 | out[k + $1] << $1 }) }
}

struct RecursiveMutexModel {
    var owner: Int?
    var depth = 0
}

/// A recursive mutex whose unlock lets go of the lock when the depth falls
/// to 1 instead of 0.
final class RecursiveMutex {
    private var owner: Int?
    private var depth = 0
    func tryLock(_ thread: Int) -> Bool {
        guard owner == nil || owner == thread else { return false }
        owner = thread
        depth += 1
        return true
    }
    func unlock(_ thread: Int) {
        guard owner == thread else { return }
        depth -= 1
        if depth <= 1 { owner = nil }
    }
}

/// Objects 0...7 in a depot, handed out through a magazine of two: an
/// alloc refills an empty magazine with up to two objects from the depot's
/// top, a free into a full magazine first flushes half of it to the depot
/// but leaves the flushed object in the magazine too. Whether no alloc
/// handed out an object still live.
func magazineNeverDoubleAllocates(_ ops: [MagazineOp]) -> Bool {
    var depot = Array(Int64(0)..<8), magazine: [Int64] = [], live: [Int64] = []
    for op in ops {
        switch op {
        case .alloc:
            if magazine.isEmpty {
                let k = min(2, depot.count)
                magazine = Array(depot.suffix(k))
                depot.removeLast(k)
            }
            if let x = magazine.popLast() {
                if live.contains(x) { return false }
                live.append(x)
            }
        case .free(let i):
            guard i < live.count else { continue }
            let x = live.remove(at: Int(i))
            if magazine.count == 2 { depot += magazine.prefix(1) }
            magazine.append(x)
        }
    }
    return true
}

/// Canonical Huffman codes from code lengths (nil for an unused symbol),
/// counting the unused symbols as codes of length 0, which pushes every
/// code up. For lengths that satisfy Kraft's inequality, whether every code
/// fits its length and none is a prefix of another.
func canonicalCodesPrefixFree(_ lengths: [Int64?]) -> Bool {
    let used = lengths.compactMap { $0 }
    if used.reduce(Int64(0), { $0 + (Int64(1) << (7 - $1)) }) > 1 << 7 { return true }
    var count = [Int64](repeating: 0, count: 8)
    for l in lengths { count[Int(l ?? 0)] += 1 }
    var next = [Int64](repeating: 0, count: 8)
    var code: Int64 = 0
    for bits in 1..<8 {
        code = (code + count[bits - 1]) << 1
        next[bits] = code
    }
    var codes: [(code: Int64, length: Int64)] = []
    for case let l? in lengths {
        codes.append((next[Int(l)], l))
        next[Int(l)] += 1
    }
    if codes.contains(where: { $0.code >= 1 << $0.length }) { return false }
    for (i, a) in codes.enumerated() {
        for b in codes[(i + 1)...] {
            let (short, long) = a.length <= b.length ? (a, b) : (b, a)
            if long.code >> (long.length - short.length) == short.code { return false }
        }
    }
    return true
}

/// Marking from object 0 over the edges (from, to) with a mark stack of
/// two entries; a push onto the full stack is dropped and the object left
/// unmarked, with no note of the overflow to rescan from. Whether the
/// marked objects are the reachable ones.
func markFindsReachable(_ edges: [(Int64, Int64)]) -> Bool {
    var kids: [Int64: [Int64]] = [:]
    for (f, t) in edges { kids[f, default: []].append(t) }
    var reachable: Set<Int64> = [0], todo: [Int64] = [0]
    while let n = todo.popLast() {
        for k in kids[n, default: []] where !reachable.contains(k) {
            reachable.insert(k)
            todo.append(k)
        }
    }
    var marked: Set<Int64> = [0], stack: [Int64] = [0]
    while let n = stack.popLast() {
        for k in kids[n, default: []] where !marked.contains(k) && stack.count < 2 {
            marked.insert(k)
            stack.append(k)
        }
    }
    return marked == reachable
}

/// Two bit indices of a key over "abc" for a Bloom filter of 16 bits.
func bloomBits(_ s: String) -> (Int, Int) {
    var x = 0
    for c in s { x = (x * 31 + Array("abc").firstIndex(of: c)! + 1) & 0xFFFF }
    return (x % 16, x / 16 % 16)
}

/// A Bloom filter whose remove (of a key it holds) clears the key's bits,
/// though other keys may share them. Whether every key held still tests
/// present after each operation.
func bloomKeepsMembers(_ ops: [(String, String)]) -> Bool {
    var bits = [Bool](repeating: false, count: 16)
    var model: Set<String> = []
    for (op, s) in ops {
        let (h1, h2) = bloomBits(s)
        if op == "insert" {
            bits[h1] = true
            bits[h2] = true
            model.insert(s)
        } else if model.contains(s) {
            bits[h1] = false
            bits[h2] = false
            model.remove(s)
        }
        if !model.allSatisfy({ bits[bloomBits($0).0] && bits[bloomBits($0).1] }) { return false }
    }
    return true
}

/// Percent-decoding to bytes: "%" and two hex digits is the byte they
/// spell, anything else stands for itself. `checkBoth: false` checks only
/// the first digit and converts the second as if it were one.
func percentDecode(_ s: String, checkBoth: Bool) -> [Int64] {
    let cs = Array(s.unicodeScalars)
    func isHex(_ c: Unicode.Scalar) -> Bool { "0123456789abcdefABCDEF".unicodeScalars.contains(c) }
    func hexValue(_ c: Unicode.Scalar) -> Int64 {
        if c <= "9" { return Int64(c.value) - 48 }
        if c >= "a" { return Int64(c.value) - 97 + 10 }
        return Int64(c.value) - 65 + 10
    }
    var out: [Int64] = []
    var i = 0
    while i < cs.count {
        if cs[i] == "%" && i + 2 < cs.count && isHex(cs[i + 1]) && (!checkBoth || isHex(cs[i + 2])) {
            out.append((hexValue(cs[i + 1]) * 16 + hexValue(cs[i + 2])) & 0xFF)
            i += 3
        } else {
            out.append(Int64(cs[i].value))
            i += 1
        }
    }
    return out
}

/// A positioned read over a list of buffers: whole buffers before the
/// offset are skipped, and the rest is copied from the offset on, but the
/// offset into a buffer is not reset to 0 after the first one read from.
/// Whether it gives the concatenation from the offset on.
func preadvFromOffset(_ offset: Int64, _ buffers: [[UInt8]]) -> Bool {
    var k = Int(offset)
    var out: [UInt8] = []
    for buffer in buffers {
        if k >= buffer.count {
            k -= buffer.count
            continue
        }
        out += buffer[k...]
    }
    return out == Array(buffers.joined().dropFirst(Int(offset)))
}

/// The twenty-fifth batch, written by someone who had not read the
/// shrinker: a page table's second-level index masked short, a timer wheel
/// cascading by delay, a bump allocator checking the end before aligning, a
/// bit reader taking a straddling field's low bits, an LZ77 decoder
/// checking the length for the distance, zigzag decoding with an arithmetic
/// shift, bit stuffing blind to a run across bytes, a recursive mutex
/// let go one level early, a magazine flush that keeps its copy, Huffman
/// code lengths counting unused symbols, a mark stack dropping pushes when
/// full, a Bloom filter whose remove clears shared bits, percent-decoding
/// checking one hex digit and a positioned read keeping its offset past
/// the first buffer.
func twentyFifthBatch() -> [Problem] { [
    // 16-bit addresses through a two-level page table whose second-level index is masked with 7 instead of 15.
    problem("page_table_l2_index_masked_short", Gen.arrays(of: Gen.integers(of: UInt16.self)), show: pyList,
            ideal: { $0 == [0, 2048] }) { vas in
        try check(pageTableTranslates(vas))
    },
    // Adds of timers due in 1...15 ticks and runs of 1...4 ticks on a two-level wheel that cascades by delay.
    problem("timer_wheel_cascades_by_delay",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...15).map { TimerOp.add($0) }, Gen.integers(in: 1...4).map { TimerOp.tick($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.tick(1), .add(4)] }) { ops in
        try check(timerWheelFiresOnTime(ops))
    },
    // (size 1...32, alignment 2^(0...4)) from a 64-byte bump arena that checks the end before aligning.
    problem("bump_arena_end_checked_before_align", Gen.arrays(of: Gen.zip(Gen.integers(in: 1...32), Gen.integers(in: 0...4))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[1, 0], [17, 4], [17, 4]] }) { requests in
        try check(bumpArenaStaysInside(requests))
    },
    // (width 1...8, value 0...255) bit fields read back by a reader taking a straddling field's low bits.
    problem("bit_reader_straddle_takes_low_bits", Gen.arrays(of: Gen.zip(Gen.integers(in: 1...8), Gen.integers(in: 0...255))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[1, 0], [8, 1]] }) { fields in
        try check(bitFieldsReadBack(fields))
    },
    // Literals 0...255 and copies (distance 1...8, length 1...8) through an LZ77 decoder checking the length for the distance.
    problem("lz77_checks_length_for_distance",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...255).map { LZToken.lit($0) },
                                     Gen.zip(Gen.integers(in: 1...8), Gen.integers(in: 1...8)).map { LZToken.copy($0.0, $0.1) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.lit(0), .copy(1, 2)] }) { tokens in
        try check(lz77Decode(tokens, checkDistance: false) == lz77Decode(tokens, checkDistance: true))
    },
    // Int32 values through zigzag encoding and a decoder shifting arithmetically.
    problem("zigzag32_decode_shifts_arithmetic", Gen.arrays(of: Gen.integers(of: Int32.self)), show: pyList,
            ideal: { $0 == [1_073_741_824] }) { xs in
        try check(xs.allSatisfy(zigzag32RoundTrips))
    },
    // Byte strings through an HDLC bit stuffer that counts the run of 1 bits afresh at each byte.
    problem("hdlc_stuffing_run_reset_per_byte", Gen.bytes(count: 0...64), show: pyBytes, ideal: { $0 == [0x80, 0x0F] }) { data in
        try check(hdlcUnstuff(hdlcStuffBuggy(data)) == data)
    },
    // Threads 0...3 locking a recursive mutex that lets go one level early: a lock must be granted exactly when free or held by the thread.
    machineProblem("machine_recursive_mutex_unlocks_early", StateMachine<RecursiveMutexModel, RecursiveMutex>(
        model: { RecursiveMutexModel() }, system: RecursiveMutex.init,
        rules: [
            .init("lock") { model, mutex, step in
                let thread = try step.draw(Gen.ints(in: 0...3), "thread")
                let granted = mutex.tryLock(thread)
                let expected = model.owner == nil || model.owner == thread
                try expect(granted == expected, "lock(thread: \(thread)) gave \(granted)")
                if expected {
                    model.owner = thread
                    model.depth += 1
                }
            },
            .init("unlock", precondition: { $0.owner != nil }) { model, mutex, _ in
                mutex.unlock(model.owner!)
                model.depth -= 1
                if model.depth == 0 { model.owner = nil }
            },
        ]), ideal: ["lock(thread: 0)", "lock(thread: 0)", "unlock()", "lock(thread: 1)"]),
    // Allocs and frees (of live object 0...3) through a magazine of two whose flush keeps the flushed object.
    problem("magazine_flush_keeps_copy",
            Gen.arrays(of: Gen.oneOf(Gen.just(MagazineOp.alloc), Gen.integers(in: 0...3).map { MagazineOp.free($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.alloc, .alloc, .alloc, .free(0), .free(0), .alloc, .alloc, .alloc, .alloc] }) { ops in
        try check(magazineNeverDoubleAllocates(ops))
    },
    // Code lengths 1...7 or unused: canonical Huffman codes counting the unused symbols at length 0.
    problem("huffman_counts_unused_symbols", Gen.arrays(of: Gen.optional(Gen.integers(in: 1...7))),
            show: { pyList($0.map { $0.map { "\($0)" } ?? "None" }) }, ideal: { $0 == [nil, 1] }) { lengths in
        try check(canonicalCodesPrefixFree(lengths))
    },
    // Edges between objects 0...5 marked from object 0 with a two-entry mark stack that drops what overflows.
    problem("mark_stack_drops_overflow", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...5), Gen.integers(in: 0...5))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[0, 1], [0, 2], [0, 3]] }) { edges in
        try check(markFindsReachable(edges))
    },
    // Inserts and removes of keys over "abc" in a 16-bit Bloom filter whose remove clears the key's bits.
    problem("bloom_remove_clears_shared_bits",
            Gen.arrays(of: Gen.zip(Gen.element(of: ["insert", "remove"]), Gen.strings(of: Gen.characters(from: "abc")))),
            show: { pyList($0.map { "('\($0.0)', \(pyString($0.1)))" }) },
            ideal: { $0.map { "\($0.0) \($0.1)" } == ["insert ", "insert a", "remove "] }) { ops in
        try check(bloomKeepsMembers(ops))
    },
    // Strings over "z%2F" percent-decoded by a decoder checking only the first hex digit.
    problem("percent_decode_checks_one_digit", Gen.strings(of: Gen.characters(from: "z%2F")), show: pyString,
            ideal: { $0 == "%2z" }) { s in
        try check(percentDecode(s, checkBoth: false) == percentDecode(s, checkBoth: true))
    },
    // (offset 0...16, buffers of bytes): a positioned read that keeps its offset past the first buffer it reads.
    problem("preadv_offset_kept_past_first_buffer",
            Gen.zip(Gen.integers(in: 0...16), Gen.arrays(of: Gen.arrays(of: Gen.integers(of: UInt8.self)))),
            show: { "(\($0.0), [\($0.1.map(pyList).joined(separator: ", "))])" },
            ideal: { $0.0 == 1 && $0.1 == [[0, 0], [0]] }) { t in
        try check(preadvFromOffset(t.0, t.1))
    },
] }
