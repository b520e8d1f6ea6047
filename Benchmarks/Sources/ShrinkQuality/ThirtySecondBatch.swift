// The thirty-second batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-second batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A 32-bit compatibility layer's lseek: the 64-bit offset is narrowed to
/// `Int32` after checking only that it is at most `Int32.max`, so offsets
/// below `Int32.min` wrap instead of failing with EOVERFLOW.
func narrowedSeekOffset(_ offset: Int64) -> Int32? {
    offset <= Int64(Int32.max) ? Int32(truncatingIfNeeded: offset) : nil
}

/// A Morton (Z-order) code's bit spreading for a quadtree key, without the
/// first step (`(n | n << 8) & 0x00FF00FF`): right only for coordinates
/// below 256.
func mortonSpreadSkippingByteStep(_ v: UInt16) -> UInt32 {
    var n = UInt32(v)
    n = (n | n << 4) & 0x0F0F_0F0F
    n = (n | n << 2) & 0x3333_3333
    n = (n | n << 1) & 0x5555_5555
    return n
}

/// The inverse of a correct bit spreading: every other bit, packed.
func mortonCompact(_ m: UInt32) -> UInt16 {
    var n = m & 0x5555_5555
    n = (n | n >> 1) & 0x3333_3333
    n = (n | n >> 2) & 0x0F0F_0F0F
    n = (n | n >> 4) & 0x00FF_00FF
    n = (n | n >> 8) & 0x0000_FFFF
    return UInt16(n)
}

/// A metrics aggregator's mean: the plain sum divided by the count, where
/// the sum of two large finite samples overflows to infinity.
func plainMean(_ xs: [Double]) -> Double {
    var sum = 0.0
    for x in xs { sum += x }
    return sum / Double(xs.count)
}

/// An editor's incremental sync: the change from `old` to `new` as the text
/// between their common prefix and their common suffix, each measured on
/// its own. When the two overlap (a repeated character next to the edit)
/// the replaced range ends before it starts, and applying the change to
/// `old` repeats the overlap.
func applyTrimmedChange(_ old: [Character], _ new: [Character]) -> [Character] {
    if old == new { return new }
    var p = 0
    while p < min(old.count, new.count) && old[p] == new[p] { p += 1 }
    var s = 0
    while s < min(old.count, new.count) && old[old.count - 1 - s] == new[new.count - 1 - s] { s += 1 }
    let middle = new[p..<max(p, new.count - s)]
    return Array(old[..<p]) + middle + old[(old.count - s)...]
}

/// PKCS#7 unpadding for an 8-byte block cipher that reads the pad length
/// from the last byte and checks it is 1...8, but never checks that the
/// other pad bytes hold it too.
func unpadBlock8(_ b: [UInt8]) -> [UInt8]? {
    guard !b.isEmpty, b.count % 8 == 0, let n = b.last, (1...8).contains(n) else { return nil }
    return Array(b.dropLast(Int(n)))
}

func padBlock8(_ m: [UInt8]) -> [UInt8] {
    let p = 8 - m.count % 8
    return m + [UInt8](repeating: UInt8(p), count: p)
}

/// A package index sorting versions by their dotted strings: "10" sorts
/// before "2".
func dottedVersion(_ v: [Int64]) -> String { v.map(String.init).joined(separator: ".") }

/// A latency histogram's median bucket: the first bucket (by key) whose
/// running count reaches half the total, with the half taken by integer
/// division, so for an odd total it can stop a bucket early (at an empty
/// one, even).
func medianBucketHalvingFirst(_ d: [Int64: Int64]) -> Int64? {
    let total = d.values.reduce(0, +)
    var running: Int64 = 0
    for k in d.keys.sorted() {
        running += d[k]!
        if running >= total / 2 { return k }
    }
    return nil
}

func medianBucket(_ d: [Int64: Int64]) -> Int64? {
    let total = d.values.reduce(0, +)
    var running: Int64 = 0
    for k in d.keys.sorted() {
        running += d[k]!
        if 2 * running >= total { return k }
    }
    return nil
}

/// A route summarizer over /24 prefixes (numbered 0...255): two adjacent
/// blocks of one size are merged into one of twice the size, without
/// checking that the first is aligned to the merged size. Blocks are
/// (start, size); a block is announced as the prefix of its size that
/// holds its start.
func summarizedPrefixes(_ prefixes: Set<Int64>) -> [(start: Int64, size: Int64)] {
    var blocks = prefixes.sorted().map { (start: $0, size: Int64(1)) }
    var changed = true
    while changed {
        changed = false
        var merged: [(start: Int64, size: Int64)] = []
        var i = 0
        while i < blocks.count {
            if i + 1 < blocks.count && blocks[i].size == blocks[i + 1].size && blocks[i].start + blocks[i].size == blocks[i + 1].start {
                merged.append((blocks[i].start, 2 * blocks[i].size))
                i += 2
                changed = true
            } else {
                merged.append(blocks[i])
                i += 1
            }
        }
        blocks = merged
    }
    return blocks
}

func announcedCoverage(_ blocks: [(start: Int64, size: Int64)]) -> Set<Int64> {
    var out: Set<Int64> = []
    for b in blocks {
        let network = b.start & ~(b.size - 1)
        for x in network..<(network + b.size) { out.insert(x) }
    }
    return out
}

/// A read from a device's 16-byte register window at an offset 0...31.
enum RegisterAccess: Equatable {
    case read8(UInt8)
    case read16(UInt8)
    case read32(UInt8)

    var offset: Int {
        switch self {
        case .read8(let o), .read16(let o), .read32(let o): return Int(o)
        }
    }

    var width: Int {
        switch self {
        case .read8: return 1
        case .read16: return 2
        case .read32: return 4
        }
    }

    var repr: String {
        switch self {
        case .read8(let o): return "('read8', \(o))"
        case .read16(let o): return "('read16', \(o))"
        case .read32(let o): return "('read32', \(o))"
        }
    }

    /// The device model's check: the offset is in the window. It ignores
    /// the access's width, so a 16-bit read at 15 or a 32-bit read at 13
    /// reaches past the window.
    var accepted: Bool { offset < 16 }
}

/// A C type as a debugger's type table holds it.
indirect enum CType: Equatable, Sendable {
    case int
    case ptr(CType)
    case array(CType, Int64)

    var repr: String {
        switch self {
        case .int: return "'int'"
        case .ptr(let t): return "('ptr', \(t.repr))"
        case .array(let t, let n): return "('array', \(t.repr), \(n))"
        }
    }

    /// The key the table interns a type by: pointers as a "*" prefix and
    /// arrays as a "[n]" suffix, without the parentheses C's declarators
    /// need, so an array of pointers and a pointer to an array get one key.
    var key: String {
        switch self {
        case .int: return "int"
        case .ptr(let t): return "*" + t.key
        case .array(let t, let n): return t.key + "[\(n)]"
        }
    }

    /// A type loaded back from its key: the suffixes bind first, then the
    /// pointers.
    static func parse(key: String) -> CType {
        var rest = Substring(key)
        var stars = 0
        while rest.first == "*" {
            stars += 1
            rest = rest.dropFirst()
        }
        rest = rest.dropFirst(3)  // "int"
        var t = CType.int
        while let close = rest.firstIndex(of: "]") {
            t = .array(t, Int64(rest[rest.index(after: rest.startIndex)..<close])!)
            rest = rest[rest.index(after: close)...]
        }
        for _ in 0..<stars { t = .ptr(t) }
        return t
    }
}

/// A slab page of 4096 bytes with a 64-byte header, its objects laid out
/// at a 16-byte stride. Its capacity divides by the object size, not by the
/// stride, so for sizes that are not multiples of 16 the last slots run off
/// the page.
func slabCapacityBySize(_ size: Int64) -> Int64 { (4096 - 64) / size }

func slabStride(_ size: Int64) -> Int64 { (size + 15) / 16 * 16 }

/// A heap with boundary tags: every chunk has its size and a free flag in a
/// header at its first unit and a footer at its last. malloc takes the
/// lowest free chunk that fits, splitting off the rest as a free chunk, or
/// carves from the top; free merges with a free chunk after it (by its
/// header) and before it (by the footer just before). The split writes the
/// remainder's header but leaves its footer with the whole chunk's size, so
/// a later free of the block after the remainder merges back too far.
final class BoundaryTagHeap {
    private var top = 0
    private(set) var header: [Int: (size: Int, free: Bool)] = [:]
    private var footer: [Int: (size: Int, free: Bool)] = [:]
    private(set) var freeChunks: [Int] = []

    func malloc(_ n: Int) -> Int {
        if let a = freeChunks.sorted().first(where: { header[$0]!.size >= n }) {
            freeChunks.removeAll { $0 == a }
            let size = header[a]!.size
            header[a] = (n, false)
            footer[a + n - 1] = (n, false)
            if size > n {
                header[a + n] = (size - n, true)
                freeChunks.append(a + n)
            }
            return a
        }
        let a = top
        top += n
        header[a] = (n, false)
        footer[a + n - 1] = (n, false)
        return a
    }

    func free(_ a: Int) {
        var start = a, size = header[a]!.size
        if let next = header[start + size], next.free {
            freeChunks.removeAll { $0 == start + size }
            size += next.size
        }
        if start > 0, let before = footer[start - 1], before.free {
            freeChunks.removeAll { $0 == start - before.size }
            start -= before.size
            size += before.size
        }
        header[start] = (size, true)
        footer[start + size - 1] = (size, true)
        freeChunks.append(start)
    }
}

/// A sliding-window minimum (an RTT filter's): the samples in arrival order
/// and a deque of candidates, increasing from the front. A push drops the
/// candidates at the back that are not below it, equal ones too, where it
/// should keep those; an expiry drops the front candidate when it equals
/// the expired sample. So expiring the older of two equal samples drops
/// the candidate that stood for the newer one.
final class WindowMin {
    private var samples: [Int] = []
    private var candidates: [Int] = []
    var min: Int? { candidates.first }

    func push(_ x: Int) {
        samples.append(x)
        while let last = candidates.last, last >= x { candidates.removeLast() }
        candidates.append(x)
    }

    func expire() {
        let oldest = samples.removeFirst()
        if candidates.first == oldest { candidates.removeFirst() }
    }
}

/// An editor's gap buffer of 2 slots at first, the gap `start..<end`, the
/// cursor at its start. When an insertion finds the gap empty the buffer
/// doubles: the old slots are copied to the front and the gap's end moved
/// up by the old capacity, but the text after the gap is not moved up with
/// it, so the slots read after the gap are the new, zeroed ones.
final class GapBuffer {
    private var slots = [0, 0]
    private var start = 0, end = 2

    var text: [Int] { Array(slots[..<start] + slots[end...]) }

    func insert(_ x: Int) {
        if start == end {
            let capacity = slots.count
            slots += [Int](repeating: 0, count: capacity)
            end += capacity
        }
        slots[start] = x
        start += 1
    }

    func left() {
        start -= 1
        end -= 1
        slots[end] = slots[start]
    }

    func right() {
        slots[start] = slots[end]
        start += 1
        end += 1
    }

    func delete() { start -= 1 }
}

/// The text and the cursor an editor should have.
struct EditorModel {
    var text: [Int] = []
    var cursor = 0
}

/// The thirty-second batch, written by someone who had not read the
/// shrinker: a seek offset narrowed after an upper-bound check only, Morton
/// codes spread without the byte step, a mean whose sum overflows, an
/// editor's change range trimmed by a prefix and a suffix that overlap,
/// PKCS#7 unpadding that checks the last byte only, versions sorted as
/// dotted strings, a histogram median halving the total first, route
/// summarization merging unaligned blocks, a register window blind to the
/// access width, type keys without a declarator's parentheses, a slab
/// capacity counted without the stride's padding, a split that leaves a
/// stale footer, a window minimum that drops equal samples and a gap buffer
/// whose growth leaves the text after the gap behind.
func thirtySecondBatch() -> [Problem] { [
    // Int64 offsets through a seek narrowed to Int32 after checking the upper bound only.
    problem("seek_offset_narrowed_upper_check_only", Gen.integers(of: Int64.self), ideal: { $0 == -2_147_483_649 }) { offset in
        if let narrowed = narrowedSeekOffset(offset) { try check(Int64(narrowed) == offset) }
    },
    // (x, y) UInt16 coordinates through a Morton code spread without its byte step, then decoded.
    problem("morton_spread_skips_byte_step", Gen.zip(Gen.integers(of: UInt16.self), Gen.integers(of: UInt16.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 256) }) { t in
        let code = mortonSpreadSkippingByteStep(t.0) | mortonSpreadSkippingByteStep(t.1) << 1
        try check(mortonCompact(code) == t.0 && mortonCompact(code >> 1) == t.1)
    },
    // Lists of finite doubles: the mean of a non-empty list must be finite.
    problem("float_mean_sum_overflows", Gen.arrays(of: Gen.doubles(allowNaN: false, allowInfinity: false)),
            show: { pyList($0.map(pyFloat)) }, ideal: { $0 == [0x1p970, .greatestFiniteMagnitude] }) { xs in
        if !xs.isEmpty { try check(plainMean(xs).isFinite) }
    },
    // Pairs of texts over "ab": the change trimmed to between the common prefix and suffix, applied to the old text.
    problem("change_range_prefix_suffix_overlap",
            Gen.zip(Gen.strings(of: Gen.characters(from: "ab")), Gen.strings(of: Gen.characters(from: "ab"))),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("aa", "a") }) { t in
        try check(applyTrimmedChange(Array(t.0), Array(t.1)) == Array(t.1))
    },
    // Byte strings of 0...64 bytes: an accepted unpadding must be undone by padding again.
    problem("pkcs7_unpad_checks_last_byte_only", Gen.bytes(count: 0...64), show: pyBytes,
            ideal: { $0 == [0, 0, 0, 0, 0, 0, 0, 2] }) { b in
        if let m = unpadBlock8(b) { try check(padBlock8(m) == b) }
    },
    // Lists of versions of 1...3 components 0...20: sorted by dotted string against sorted by components.
    problem("versions_sorted_by_dotted_string",
            Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...20), count: 1...3)), show: pyNested,
            ideal: { $0 == [[2], [10]] }) { versions in
        try check(versions.sorted { dottedVersion($0) < dottedVersion($1) } == versions.sorted { $0.lexicographicallyPrecedes($1) })
    },
    // Histograms of buckets 0...15 holding counts 0...9: the median bucket with the total halved first.
    problem("histogram_median_halves_total_first",
            Gen.dictionaries(keys: Gen.integers(in: 0...15), values: Gen.integers(in: 0...9)), show: pyDict,
            ideal: { $0 == [0: 0, 1: 1] }) { d in
        try check(medianBucketHalvingFirst(d) == medianBucket(d))
    },
    // Sets of /24 prefixes 0...255: the summarized prefixes must announce exactly the set.
    problem("prefix_summary_merges_unaligned_pair", Gen.sets(of: Gen.integers(in: 0...255)), show: pySet,
            ideal: { $0 == [1, 2] }) { prefixes in
        try check(announcedCoverage(summarizedPrefixes(prefixes)) == prefixes)
    },
    // 8-, 16- or 32-bit reads at offsets 0...31 checked against a 16-byte register window.
    problem("mmio_window_check_ignores_access_width",
            Gen.oneOf(Gen.integers(of: UInt8.self, in: 0...31).map { RegisterAccess.read8($0) },
                      Gen.integers(of: UInt8.self, in: 0...31).map { RegisterAccess.read16($0) },
                      Gen.integers(of: UInt8.self, in: 0...31).map { RegisterAccess.read32($0) }),
            show: { $0.repr }, ideal: { $0 == .read16(15) }) { access in
        try check(!access.accepted || access.offset + access.width <= 16)
    },
    // C types (int, pointers, arrays of 0...9, four levels deep) interned by a declarator key and loaded back.
    problem("type_key_declarator_without_parens",
            Gen.recursive(maxDepth: 4, label: "ctype", base: Gen.just(CType.int)) { inner in
                Gen.oneOf(inner.map { CType.ptr($0) }, Gen.zip(inner, Gen.integers(in: 0...9)).map { CType.array($0.0, $0.1) })
            },
            show: { $0.repr }, ideal: { $0 == .array(.ptr(.int), 0) }) { t in
        try check(CType.parse(key: t.key) == t)
    },
    // An object size 1...512, then a slot below the slab's capacity for it: the slot must end within the page.
    problem("slab_capacity_ignores_stride_padding",
            Gen.integers(in: 1...512).flatMap { size in Gen.integers(in: 0...(slabCapacityBySize(size) - 1)).map { (size, $0) } },
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, 252) }) { t in
        try check(64 + t.1 * slabStride(t.0) + t.0 <= 4096)
    },
    // mallocs of 1...4 units and frees on a boundary-tag heap whose split leaves the remainder's footer stale.
    machineProblem("machine_split_leaves_stale_footer", StateMachine<[Int: Int], BoundaryTagHeap>(
        model: { [:] }, system: BoundaryTagHeap.init,
        rules: [
            .init("malloc") { live, heap, step in
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                let address = heap.malloc(size)
                live[address] = size
                step.produce(address, into: "blocks")
            },
            .init("free", precondition: { !$0.isEmpty }) { live, heap, step in
                let address = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                live[address] = nil
                heap.free(address)
            },
        ],
        check: { live, heap in
            // The live blocks and the free chunks must not overlap.
            let spans = (live.map { [$0.key, $0.value] } + heap.freeChunks.map { [$0, heap.header[$0]!.size] }).sorted { $0[0] < $1[0] }
            for (a, b) in zip(spans, spans.dropFirst()) {
                try expect(a[0] + a[1] <= b[0], "chunks at \(a[0]) and \(b[0]) overlap")
            }
        }),
        ideal: ["v1 = malloc(size: 2)", "v2 = malloc(size: 1)", "free(block: v1)", "v3 = malloc(size: 1)", "free(block: v2)"]),
    // Pushes of samples 0...9 and expiries of the oldest on a window minimum whose push drops equal candidates.
    machineProblem("machine_window_min_push_drops_equal", StateMachine<[Int], WindowMin>(
        model: { [] }, system: WindowMin.init,
        rules: [
            .init("push") { samples, window, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                samples.append(x)
                window.push(x)
            },
            .init("expire", precondition: { !$0.isEmpty }) { samples, window, _ in
                samples.removeFirst()
                window.expire()
            },
        ],
        check: { samples, window in
            try expect(window.min == samples.min(), "minimum \(String(describing: window.min)), expected \(String(describing: samples.min()))")
        }),
        ideal: ["push(x: 0)", "push(x: 0)", "expire()"]),
    // Inserts of 0...9, cursor moves and deletes on a gap buffer whose growth leaves the text after the gap.
    machineProblem("machine_gap_buffer_grow_leaves_tail", StateMachine<EditorModel, GapBuffer>(
        model: { EditorModel() }, system: GapBuffer.init,
        rules: [
            .init("insert") { model, buffer, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                model.text.insert(x, at: model.cursor)
                model.cursor += 1
                buffer.insert(x)
            },
            .init("left", precondition: { $0.cursor > 0 }) { model, buffer, _ in
                model.cursor -= 1
                buffer.left()
            },
            .init("right", precondition: { $0.cursor < $0.text.count }) { model, buffer, _ in
                model.cursor += 1
                buffer.right()
            },
            .init("delete", precondition: { $0.cursor > 0 }) { model, buffer, _ in
                model.cursor -= 1
                model.text.remove(at: model.cursor)
                buffer.delete()
            },
        ],
        check: { model, buffer in
            try expect(buffer.text == model.text, "text \(buffer.text), expected \(model.text)")
        }),
        ideal: ["insert(x: 0)", "insert(x: 1)", "left()", "insert(x: 0)"]),
] }
