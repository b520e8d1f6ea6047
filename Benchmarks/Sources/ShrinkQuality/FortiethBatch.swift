// The fortieth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// fortieth batch at its end). Every expected minimum is the same in both
// engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Each was
// also checked by enumerating choice sequences in that order until the
// first failing one (a throwaway script, every sequence of fewer choices
// and every smaller one of as many run through the property):
// exhaustively for the square roots (every UInt32 up to the minimum), the
// PackBits streams (every byte string of up to two bytes), the environment
// strings, the worker splits, the filter expressions, the directory trees,
// the CBOR items (every uint and text up to two choices) and the state
// machines; for the backoffs, every attempt with the bases 0 and 1; with
// the ranks of the 32-bit integers capped at 7 for the inversion lists and
// at 6 for the timers, and those of the bytes at 8 for the sorted sets,
// whose failures do not need larger values.

import PropertyTesting
import ShrinkBenchmarkSupport

/// The integer square root of a 32-bit value as a quick port from float
/// code takes it: the square root of the value converted to Float, truncated.
/// From 2^24 on a Float no longer holds every integer, and a value just under
/// a square rounds up onto it, so the root comes out one too large.
func isqrtViaFloat(_ x: UInt32) -> UInt32 { UInt32(Float(x).squareRoot()) }

/// The exact integer square root, by Newton's method on integers.
func isqrtExact(_ x: UInt32) -> UInt32 {
    guard x > 1 else { return x }
    var r = UInt64(x), next = (r + 1) / 2
    while next < r {
        r = next
        next = (r + UInt64(x) / r) / 2
    }
    return UInt32(r)
}

/// A retry delay in milliseconds before it is capped: `base` seconds doubled
/// `attempt` times, in Double, as a client library works it out before it
/// converts to an integer and applies its cap. Converting first traps once
/// the delay reaches 2^63 milliseconds.
func backoffMillisBeforeCap(base: Double, attempt: Int) -> Double {
    base * 1000 * Double(sign: .plus, exponent: attempt, significand: 1)
}

/// A PackBits stream (TIFF, Apple) decoded: a header byte n below 128 copies
/// the next n + 1 bytes, one above 128 repeats the next byte 257 - n times,
/// and 128 is a no-op; a stream cut short stops where it ends. With
/// `runAt128` it is the buggy decoder, which takes every header from 128 on
/// for a run, so 128 repeats the next byte 129 times.
func packBitsDecode(_ bytes: [UInt8], runAt128: Bool) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        let header = Int(bytes[i])
        i += 1
        if header < 128 {
            let end = min(i + header + 1, bytes.count)
            out += bytes[i..<end]
            i = end
        } else if header > 128 || runAt128 {
            if i < bytes.count {
                out += [UInt8](repeating: bytes[i], count: 257 - header)
                i += 1
            }
        }
    }
    return out
}

/// The sorted list and its count of inversions (pairs out of order), by
/// merge sort, the left half the first count / 2. When an element of the
/// right half goes first, it is out of order with every element left in the
/// left half; with `countsOnePerCrossing` it is the buggy count, which adds
/// one for it.
func mergeSortInversions(_ xs: [Int32], countsOnePerCrossing: Bool) -> (sorted: [Int32], inversions: Int) {
    guard xs.count > 1 else { return (xs, 0) }
    let mid = xs.count / 2
    let (left, a) = mergeSortInversions(Array(xs[..<mid]), countsOnePerCrossing: countsOnePerCrossing)
    let (right, b) = mergeSortInversions(Array(xs[mid...]), countsOnePerCrossing: countsOnePerCrossing)
    var merged: [Int32] = []
    var count = a + b, i = 0, j = 0
    while i < left.count && j < right.count {
        if right[j] < left[i] {
            merged.append(right[j])
            j += 1
            count += countsOnePerCrossing ? 1 : left.count - i
        } else {
            merged.append(left[i])
            i += 1
        }
    }
    return (merged + left[i...] + right[j...], count)
}

/// The inversions counted pair by pair.
func inversionsByPairs(_ xs: [Int32]) -> Int {
    var count = 0
    for i in xs.indices { for j in xs.indices where j > i && xs[j] < xs[i] { count += 1 } }
    return count
}

/// `$name` expanded as a launcher expands its command lines, with "a" set to
/// "1" and every other name unset (empty): a name is a run of lowercase
/// letters, "$$" is a literal "$", and a "$" without a name stays as it is.
/// With `unescapesFirst` it is the buggy expander, which turns every "$$"
/// into "$" in one pass and then expands names in the result, so "$$a",
/// meant as the text "$a", becomes "1".
func expandVariables(_ s: String, unescapesFirst: Bool) -> String {
    let chars = Array(unescapesFirst ? s.replacingDollarPairs() : s)
    var out = ""
    var i = 0
    while i < chars.count {
        guard chars[i] == "$" else {
            out.append(chars[i])
            i += 1
            continue
        }
        if !unescapesFirst && i + 1 < chars.count && chars[i + 1] == "$" {
            out.append("$")
            i += 2
            continue
        }
        var j = i + 1
        while j < chars.count, let a = chars[j].asciiValue, (97...122).contains(a) { j += 1 }
        if j > i + 1 {
            out += String(chars[(i + 1)..<j]) == "a" ? "1" : ""
            i = j
        } else {
            out.append("$")
            i += 1
        }
    }
    return out
}

extension String {
    /// Every "$$" (left to right, not overlapping) as "$".
    func replacingDollarPairs() -> String {
        var out = ""
        var pending = false
        for c in self {
            if c == "$" {
                if pending { out.append("$") }
                pending.toggle()
            } else {
                if pending { out.append("$") }
                pending = false
                out.append(c)
            }
        }
        if pending { out.append("$") }
        return out
    }
}

/// The timer to fire next among timers (id to deadline, in UInt32
/// milliseconds since boot) at `now`: the earliest deadline, an overdue one
/// first, the least id on a tie. With `unsignedDistance` it is the buggy
/// pick, which takes the least `deadline - now` in UInt32, so an overdue
/// timer's distance wraps to nearly 2^32 and it goes last.
func nextTimer(_ timers: [UInt8: UInt32], now: UInt32, unsignedDistance: Bool) -> UInt8? {
    timers.keys.sorted().min { a, b in
        let (x, y) = unsignedDistance ? (timers[a]! &- now, timers[b]! &- now) : (timers[a]!, timers[b]!)
        return x < y
    }
}

/// A dictionary of timers as Python prints it (keys sorted).
func pyTimerDict(_ d: [UInt8: UInt32]) -> String {
    "{" + d.keys.sorted().map { "\($0): \(d[$0]!)" }.joined(separator: ", ") + "}"
}

/// Binary search of a sorted array with the midpoint written as C code
/// writes it, `lo + hi >> 1`: in C that is (lo + hi) >> 1, but Swift's
/// shifts bind tighter than its additions, so here it is lo + (hi >> 1),
/// which overshoots once lo has moved: a midpoint past the end finds
/// nothing, and one past hi can raise hi and loop for ever, so a search
/// still going after count + 1 probes is taken as hung (not found).
func binarySearchShiftBindsTighter(_ a: [UInt8], _ x: UInt8) -> Bool {
    var lo = 0, hi = a.count - 1, probes = 0
    while lo <= hi && probes <= a.count {
        probes += 1
        let mid = lo + hi >> 1
        guard mid < a.count else { return false }
        if a[mid] == x { return true }
        if a[mid] < x { lo = mid + 1 } else { hi = mid - 1 }
    }
    return false
}

/// An item of the CBOR subset a sensor gateway writes: unsigned integers,
/// text strings and byte strings.
enum CBORItem: Equatable, Sendable {
    case unsigned(UInt64)
    case text(String)
    case bytes([UInt8])

    var repr: String {
        switch self {
        case .unsigned(let x): return "('uint', \(x))"
        case .text(let s): return "('text', \(pyString(s)))"
        case .bytes(let b): return "('bytes', \(pyBytes(b)))"
        }
    }
}

/// A CBOR head: the major type in the top three bits, and the argument in
/// the low five when it is below 24, else 24...27 there for an argument of
/// 1, 2, 4 or 8 bytes following. With `inlines24` it is the buggy writer,
/// whose test is `n <= 24`, so 24 goes in the low bits, where it means "one
/// byte follows".
func cborHead(major: UInt8, _ n: UInt64, inlines24: Bool) -> [UInt8] {
    if n < 24 || (inlines24 && n == 24) { return [major << 5 | UInt8(n)] }
    for (info, size) in [(24, 1), (25, 2), (26, 4), (27, 8)] as [(UInt8, Int)] where size == 8 || n < 1 << UInt64(8 * size) {
        return [major << 5 | info] + (0..<size).reversed().map { UInt8(truncatingIfNeeded: n >> UInt64(8 * $0)) }
    }
    return []
}

func cborEncode(_ item: CBORItem, inlines24: Bool) -> [UInt8] {
    switch item {
    case .unsigned(let x): return cborHead(major: 0, x, inlines24: inlines24)
    case .bytes(let b): return cborHead(major: 2, UInt64(b.count), inlines24: inlines24) + b
    case .text(let s): return cborHead(major: 3, UInt64(s.utf8.count), inlines24: inlines24) + Array(s.utf8)
    }
}

/// One item read back strictly: nil unless the bytes are exactly one item.
func cborDecode(_ b: [UInt8]) -> CBORItem? {
    guard let first = b.first else { return nil }
    let major = first >> 5, info = Int(first & 31)
    var n: UInt64, i: Int
    if info < 24 {
        (n, i) = (UInt64(info), 1)
    } else if info <= 27 {
        let size = 1 << (info - 24)
        guard b.count >= 1 + size else { return nil }
        n = b[1...size].reduce(0) { $0 << 8 | UInt64($1) }
        i = 1 + size
    } else {
        return nil
    }
    if major == 0 { return i == b.count ? .unsigned(n) : nil }
    guard n == UInt64(b.count - i) else { return nil }
    let payload = Array(b[i...])
    if major == 2 { return .bytes(payload) }
    if major == 3 {
        let text = String(decoding: payload, as: UTF8.self)
        return Array(text.utf8) == payload ? .text(text) : nil
    }
    return nil
}

/// The items `0..<count` split among `workers` as a parallel-for splits them:
/// each a chunk of ceil(count / workers), the last ones clipped at the end.
/// A count above the workers but not a multiple of a chunk leaves the last
/// worker nothing (4 among 3: chunks of 2, 2 and 0).
func ceilChunks(count: Int, workers: Int) -> [Range<Int>] {
    let chunk = (count + workers - 1) / workers
    return (0..<workers).map { min($0 * chunk, count)..<min(($0 + 1) * chunk, count) }
}

/// A log filter's expression: literals, a lookup that fails (a missing
/// field, a division by zero), not, and, or.
indirect enum FilterExpr: Equatable, Sendable {
    case literal(Bool)
    case error
    case not(FilterExpr)
    case and(FilterExpr, FilterExpr)
    case or(FilterExpr, FilterExpr)

    var repr: String {
        switch self {
        case .literal(let b): return "('lit', \(b ? "True" : "False"))"
        case .error: return "('err',)"
        case .not(let e): return "('not', \(e.repr))"
        case .and(let l, let r): return "('and', \(l.repr), \(r.repr))"
        case .or(let l, let r): return "('or', \(l.repr), \(r.repr))"
        }
    }

    /// The value, nil for an error. An error on the left wins; `and` after a
    /// false and `or` after a true do not look at their right. With
    /// `shortCircuits: false` it is the buggy evaluator, which evaluates the
    /// right whatever the left, so `has(x) and x > 0` errors on a record
    /// without x.
    func evaluate(shortCircuits: Bool) -> Bool? {
        switch self {
        case .literal(let b): return b
        case .error: return nil
        case .not(let e): return e.evaluate(shortCircuits: shortCircuits).map { !$0 }
        case .and(let l, let r), .or(let l, let r):
            let isAnd: Bool
            if case .and = self { isAnd = true } else { isAnd = false }
            guard let left = l.evaluate(shortCircuits: shortCircuits) else { return nil }
            if shortCircuits && left != isAnd { return left }
            guard let right = r.evaluate(shortCircuits: shortCircuits) else { return nil }
            return isAnd ? left && right : left || right
        }
    }
}

/// A directory tree: files, and directories with their search (x) bit.
indirect enum FSNode: Equatable, Sendable {
    case file
    case directory(searchable: Bool, [FSNode])

    var repr: String {
        switch self {
        case .file: return "('file',)"
        case .directory(let s, let children): return "('dir', \(s ? "True" : "False"), \(pyList(children.map(\.repr))))"
        }
    }

    /// The paths (child indices from this node) of the files a process can
    /// open, walking from this node: every directory on the way must be
    /// searchable. With `checksParentOnly` it is the buggy walk, which checks
    /// only the directory holding the file.
    func openableFiles(checksParentOnly: Bool) -> [[Int]] {
        var out: [[Int]] = []
        func walk(_ node: FSNode, _ path: [Int], ancestorsSearchable: Bool, parentSearchable: Bool) {
            switch node {
            case .file:
                if checksParentOnly ? parentSearchable : ancestorsSearchable { out.append(path) }
            case .directory(let s, let children):
                for (i, child) in children.enumerated() {
                    walk(child, path + [i], ancestorsSearchable: ancestorsSearchable && s, parentSearchable: s)
                }
            }
        }
        walk(self, [], ancestorsSearchable: true, parentSearchable: true)
        return out
    }
}

/// A hash map that grows incrementally (as Redis's dict does): a resize
/// makes the table the old one and starts an empty new one, and each step
/// moves one key (the least) across; while keys remain in the old table a
/// lookup must look in both. With `looksInOldTable: false` it is the buggy
/// map, whose lookup sees the new table only.
final class IncrementalMap {
    let looksInOldTable: Bool
    private var old: [Int: Int] = [:]
    private var new: [Int: Int] = [:]
    private(set) var migrating = false

    init(looksInOldTable: Bool) { self.looksInOldTable = looksInOldTable }

    func put(_ key: Int, _ value: Int) {
        if migrating { old[key] = nil }
        new[key] = value
    }

    func get(_ key: Int) -> Int? { new[key] ?? (migrating && looksInOldTable ? old[key] : nil) }

    func resize() {
        (old, new, migrating) = (new, [:], true)
    }

    func step() {
        if let key = old.keys.min() { new[key] = old.removeValue(forKey: key) }
        if old.isEmpty { migrating = false }
    }
}

/// What a receive on a channel gets.
enum Received: Equatable {
    case value(Int)
    case closed
    case wouldBlock
}

/// A buffered channel of capacity two (as Go's): after close, receives
/// drain what is buffered and only then report closed. With
/// `dropsBufferOnClose` it is the buggy channel, whose receive reports
/// closed as soon as it is closed.
final class BufferedChannel {
    let dropsBufferOnClose: Bool
    private(set) var buffer: [Int] = []
    private(set) var closed = false

    init(dropsBufferOnClose: Bool) { self.dropsBufferOnClose = dropsBufferOnClose }

    func send(_ x: Int) { buffer.append(x) }

    func close() { closed = true }

    func receive() -> Received {
        if closed && dropsBufferOnClose { return .closed }
        if !buffer.isEmpty { return .value(buffer.removeFirst()) }
        return closed ? .closed : .wouldBlock
    }
}

/// A failure detector's view of one peer: each tick without a heartbeat is
/// one missed, and the peer is down from three missed on; a heartbeat must
/// reset the count. With `resetsOnHeartbeat: false` it is the buggy
/// detector, whose heartbeat takes one off the count.
final class HeartbeatMonitor {
    let resetsOnHeartbeat: Bool
    private var missed = 0

    init(resetsOnHeartbeat: Bool) { self.resetsOnHeartbeat = resetsOnHeartbeat }

    var peerUp: Bool { missed < 3 }

    func tick() { missed += 1 }

    func heartbeat() { missed = resetsOnHeartbeat ? 0 : max(0, missed - 1) }
}

/// The fortieth batch, written by someone who had not read the shrinker:
/// an integer square root through Float, a backoff converted before its
/// cap, a PackBits decoder that takes 128 for a run, merge-sort inversions
/// counted one per crossing, "$$" unescaped before names are expanded, a
/// timer pick by unsigned distance, a binary search whose midpoint shift
/// binds tighter, a CBOR writer that inlines 24, a parallel split that
/// leaves its last worker empty, a filter whose `and` does not
/// short-circuit, a path walk that checks the parent's search bit only, an
/// incremental rehash whose lookup skips the old table, a channel whose
/// close drops what is buffered and a heartbeat that only takes one off.
func fortiethBatch() -> [Problem] { [
    // UInt32 values: the square root through Float must be the integer square root.
    // Minimum: below 2^24 every value converts exactly and the rounded
    // root truncates to the right one; past it values round to even, and
    // 16785407 (4097^2 - 2), which rounds up to 16785408, is the first whose
    // root rounds up to 4097.
    problem("isqrt_u32_via_float_sqrt_rounds_up", Gen.integers(of: UInt32.self), show: { String($0) },
            ideal: { $0 == 16_785_407 }) { x in
        try check(isqrtViaFloat(x) == isqrtExact(x))
    },
    // (a base delay in 0...60 seconds, an attempt in 0...100): the delay converted before its cap must fit in Int.
    // Minimum: the base comes first, and positive integers first; 0 never
    // overflows, and with 1 (a second) 1000 * 2^attempt reaches 2^63 from
    // attempt 54 on (2^53 * 1000 is just under it).
    problem("backoff_delay_converted_before_cap", Gen.zip(Gen.doubles(in: 0...60), Gen.ints(in: 0...100)),
            show: { "(\(pyFloat($0.0)), \($0.1))" }, ideal: { $0 == (1, 54) }) { t in
        try check(backoffMillisBeforeCap(base: t.0, attempt: t.1) < 0x1p63)
    },
    // Byte strings of up to 16 bytes: the PackBits decoder that takes 128 for a run must decode as the right one.
    // Minimum: one byte is a header with nothing after it, decoded to
    // nothing either way; of two, a header below 128 copies the byte after it
    // in both, and 0x80 followed by 0 is the first the buggy decoder repeats.
    problem("packbits_decoder_takes_128_as_run", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [0x80, 0x00] }) { b in
        try check(packBitsDecode(b, runAt128: true) == packBitsDecode(b, runAt128: false))
    },
    // Lists of Int32: the merge sort's inversion count must be the count of pairs out of order.
    // Minimum: a right element must go before two left ones or more in one
    // merge, so a left half of two and four elements (with three the left
    // half is one); the first three 0, the least, and the last below them,
    // -1: [0, 0] merged with [-1, 0] counts 1 crossing for 2 inversions.
    problem("merge_sort_inversions_count_one_per_crossing", Gen.arrays(of: Gen.integers(of: Int32.self)), show: pyList,
            ideal: { $0 == [0, 0, 0, -1] }) { xs in
        try check(mergeSortInversions(xs, countsOnePerCrossing: true).inversions == inversionsByPairs(xs))
    },
    // Strings over "a$": expanding with "$$" unescaped first must expand as the right expander does.
    // Minimum: a "$$" must be followed by a name, so three characters; of
    // those, "a" (the first character) before "$", and every string before
    // "$$a" keeps its "$$" from a name or has none.
    problem("env_expand_unescapes_dollars_before_names", Gen.strings(of: Gen.characters(from: "a$")), show: pyString,
            ideal: { $0 == "$$a" }) { s in
        try check(expandVariables(s, unescapesFirst: true) == expandVariables(s, unescapesFirst: false))
    },
    // (UInt32 now, UInt8 ids to UInt32 deadlines): the timer picked by unsigned distance must be the earliest.
    // Minimum: now comes first, and at 0 no deadline is overdue, where the
    // distances keep the deadlines' order; at 1 two timers are needed, ids 0
    // and 1, one overdue (deadline 0, the first) and one not (1).
    problem("timer_next_deadline_unsigned_distance_skips_overdue",
            Gen.zip(Gen.integers(of: UInt32.self), Gen.dictionaries(keys: Gen.integers(of: UInt8.self), values: Gen.integers(of: UInt32.self))),
            show: { "(\($0.0), \(pyTimerDict($0.1)))" }, ideal: { $0.0 == 1 && $0.1 == [0: 0, 1: 1] }) { t in
        try check(nextTimer(t.1, now: t.0, unsignedDistance: true) == nextTimer(t.1, now: t.0, unsignedDistance: false))
    },
    // Sets of bytes: the binary search with the midpoint lo + hi >> 1 must find every member.
    // Minimum: with one or two members the midpoint is lo itself, a scan
    // that finds everything, and with three the largest is missed (lo 2 and
    // hi 2 give a midpoint of 3, past the end); the simplest three are 0, 1
    // and 2.
    problem("binary_search_mid_shift_binds_tighter", Gen.sets(of: Gen.integers(of: UInt8.self)),
            show: { pySet(Set($0.map { Int64($0) })) }, ideal: { $0 == [0, 1, 2] }) { s in
        let sorted = s.sorted()
        for x in sorted { try check(binarySearchShiftBindsTighter(sorted, x)) }
    },
    // UInt64s, texts over "ab" or byte strings (payloads) of 16 to 32 bytes: the CBOR item must read back.
    // Minimum: the first branch, an unsigned integer, is two choices; every
    // one below 24 is written in its head alone, and 24, inlined where it
    // means "one byte follows", is the first that does not read back.
    problem("cbor_head_inlines_argument_24",
            Gen.oneOf(Gen.integers(of: UInt64.self).map { CBORItem.unsigned($0) },
                      Gen.strings(of: Gen.characters(from: "ab")).map { CBORItem.text($0) },
                      Gen.bytes(count: 16...32).map { CBORItem.bytes($0) }),
            show: \.repr, ideal: { $0 == .unsigned(24) }) { item in
        try check(cborDecode(cborEncode(item, inlines24: true)) == item)
    },
    // Workers in 1...8, then a count of items from the workers' to 64: every worker's chunk must be non-empty.
    // Minimum: one worker takes all, and two get ceil(n / 2) and the rest,
    // at least one; with three, 3 items are one each and 4 (the next count)
    // are chunks of 2, 2 and 0.
    problem("parallel_split_ceil_chunk_leaves_last_empty",
            Gen.ints(in: 1...8).flatMap { workers in Gen.ints(in: workers...64).map { (workers, $0) } },
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (3, 4) }) { t in
        try check(ceilChunks(count: t.1, workers: t.0).allSatisfy { !$0.isEmpty })
    },
    // Filter expressions (literals and failing lookups; not, and, or; three levels): the evaluator that does not
    // short-circuit must agree with the one that does.
    // Minimum: a not or a leaf evaluates alike in both, so an and or an or
    // (two choices), a literal on its left (three) and a failing lookup on
    // its right (two): and, whose branch comes first, after false.
    problem("filter_and_evaluates_right_after_false",
            Gen.recursive(maxDepth: 3, label: "filter",
                          base: Gen.oneOf(Gen.booleans().map { FilterExpr.literal($0) }, Gen.just(FilterExpr.error))) { inner in
                Gen.oneOf(inner.map { FilterExpr.not($0) }, Gen.zip(inner, inner).map { FilterExpr.and($0.0, $0.1) },
                          Gen.zip(inner, inner).map { FilterExpr.or($0.0, $0.1) })
            },
            show: \.repr, ideal: { $0 == .and(.literal(false), .error) }) { e in
        try check(e.evaluate(shortCircuits: false) == e.evaluate(shortCircuits: true))
    },
    // Directory trees (files; directories with their search bit and children; three levels): the files a walk that
    // checks only the parent's search bit opens must be those every directory on the way lets it open.
    // Minimum: a file's parent is checked by both walks, so a directory
    // not searchable (false, the simpler bit) above a searchable one
    // holding a file, each with one child.
    problem("path_walk_checks_parent_search_bit_only",
            Gen.recursive(maxDepth: 3, label: "tree", base: Gen.just(FSNode.file)) { inner in
                Gen.zip(Gen.booleans(), Gen.arrays(of: inner)).map { FSNode.directory(searchable: $0.0, $0.1) }
            },
            show: \.repr, ideal: { $0 == .directory(searchable: false, [.directory(searchable: true, [.file])]) }) { tree in
        try check(tree.openableFiles(checksParentOnly: true) == tree.openableFiles(checksParentOnly: false))
    },
    // puts and gets of keys 0...3, resizes (while not migrating) and migration steps (while migrating), on a map
    // whose lookup skips the old table: a get must find what the right map finds.
    // Minimum: a key must be in the old table at a get, so a put, a resize
    // and a get of its key: put(0, 0), resize (the third rule enabled, after
    // put and get), get(0).
    machineProblem("machine_incremental_rehash_lookup_skips_old_table", StateMachine<IncrementalMap, IncrementalMap>(
        model: { IncrementalMap(looksInOldTable: true) }, system: { IncrementalMap(looksInOldTable: false) },
        rules: [
            .init("put") { model, map, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let value = try step.draw(Gen.ints(in: 0...3), "value")
                model.put(key, value)
                map.put(key, value)
            },
            .init("get") { model, map, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let expected = model.get(key), got = map.get(key)
                try expect(got == expected, "get(\(key)) found \(String(describing: got)), expected \(String(describing: expected))")
            },
            .init("resize", precondition: { !$0.migrating }) { model, map, _ in
                model.resize()
                map.resize()
            },
            .init("step", precondition: { $0.migrating }) { model, map, _ in
                model.step()
                map.step()
            },
        ]),
        ideal: ["put(key: 0, value: 0)", "resize()", "get(key: 0)"]),
    // sends of 0...3 (while open with fewer than two buffered), a close (while open) and receives, on a channel whose
    // close drops what is buffered: a receive must get what the right channel gives.
    // Minimum: something must be buffered at the close and received after
    // it: send(0), close, receive.
    machineProblem("machine_channel_close_drops_buffered", StateMachine<BufferedChannel, BufferedChannel>(
        model: { BufferedChannel(dropsBufferOnClose: false) }, system: { BufferedChannel(dropsBufferOnClose: true) },
        rules: [
            .init("send", precondition: { !$0.closed && $0.buffer.count < 2 }) { model, channel, step in
                let x = try step.draw(Gen.ints(in: 0...3), "x")
                model.send(x)
                channel.send(x)
            },
            .init("close", precondition: { !$0.closed }) { model, channel, _ in
                model.close()
                channel.close()
            },
            .init("recv") { model, channel, _ in
                let expected = model.receive(), got = channel.receive()
                try expect(got == expected, "received \(got), expected \(expected)")
            },
        ]),
        ideal: ["send(x: 0)", "close()", "recv()"]),
    // ticks and heartbeats, on a failure detector whose heartbeat takes one off the missed count: whether the peer
    // is up must be the right detector's verdict.
    // Minimum: a heartbeat after m missed leaves m - 1, which differs in
    // the verdict from 0 when m is 4 or more, or after more ticks; five
    // steps either way, and four ticks then the heartbeat is the first
    // (tick is the first rule).
    machineProblem("machine_heartbeat_decrements_missed_count", StateMachine<HeartbeatMonitor, HeartbeatMonitor>(
        model: { HeartbeatMonitor(resetsOnHeartbeat: true) }, system: { HeartbeatMonitor(resetsOnHeartbeat: false) },
        rules: [
            .init("tick") { model, monitor, _ in
                model.tick()
                monitor.tick()
            },
            .init("heartbeat") { model, monitor, _ in
                model.heartbeat()
                monitor.heartbeat()
            },
        ],
        check: { model, monitor in
            try expect(monitor.peerUp == model.peerUp, "peer up: \(monitor.peerUp), expected \(model.peerUp)")
        }),
        ideal: ["tick()", "tick()", "tick()", "tick()", "heartbeat()"]),
] }
