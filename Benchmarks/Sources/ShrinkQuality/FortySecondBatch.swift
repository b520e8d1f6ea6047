// The forty-second batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-second batch at its end). Every expected minimum is the same in
// both engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Each was
// also checked by enumerating choice sequences in that order until the
// first failing one (a throwaway script, every sequence of fewer choices
// and every smaller one of as many run through the property):
// exhaustively for the edit distances, the JSON pointers, the cron fields,
// the graphs, the mode bits, the state machines and the pixel rows (every
// byte string of up to two bytes); for the delays, every integer code up
// to 4000 of either sign (past 3600 every code is clamped to 3600), the
// first 4096 codes of every exponent of the positive ones, all of which
// pass, and the negative codes of the exponent 2^0 up to the minimum; with
// the ranks of the 32-bit integers capped at 8 for the subnet matches,
// those of the Int32 timestamps at 130, those of the dictionary sizes and
// codes at 10, those of the lengths and positions of the byte ranges at 4
// and those of the configuration's numbers at 3, whose failures do not
// need larger values.

import PropertyTesting
import ShrinkBenchmarkSupport

/// Whether `address` is in the subnet network/prefix (an ACL entry), by the
/// mask of the prefix's top bits: `UInt32.max << (32 - prefix)`, in which a
/// shift by 32 leaves nothing, so /0 matches every address. With
/// `masksShiftCount` it is the buggy match, written with `&<<` to stay clear
/// of traps: that shift takes its count modulo 32, so /0's mask is all ones
/// and /0 matches its own address only.
func subnetMatches(network: UInt32, prefix: Int, address: UInt32, masksShiftCount: Bool) -> Bool {
    let count = UInt32(32 - prefix)
    let mask = masksShiftCount ? UInt32.max &<< count : UInt32.max << count
    return address & mask == network & mask
}

/// The edit (Levenshtein) distance with one row of the matrix, updated in
/// place: for each character of `a` the row's first cell becomes i + 1, and
/// the diagonal (the previous row's cell up and to the left) must be read
/// before that. With `readsDiagonalAfterReset` it is the buggy version,
/// which reads it after, one too high.
func editDistanceOneRow(_ a: String, _ b: String, readsDiagonalAfterReset: Bool) -> Int {
    let b = Array(b)
    var row = Array(0...b.count)
    for (i, x) in a.enumerated() {
        var diagonal: Int
        if readsDiagonalAfterReset {
            row[0] = i + 1
            diagonal = row[0]
        } else {
            diagonal = row[0]
            row[0] = i + 1
        }
        for (j, y) in b.enumerated() {
            let up = row[j + 1]
            row[j + 1] = min(up + 1, row[j] + 1, diagonal + (x == y ? 0 : 1))
            diagonal = up
        }
    }
    return row[b.count]
}

extension String {
    /// Every `target` replaced by `replacement`, left to right and without
    /// overlaps (as Python's `str.replace`).
    func replacingEvery(_ target: String, with replacement: String) -> String {
        let s = Array(self), t = Array(target)
        var out = ""
        var i = 0
        while i < s.count {
            if i + t.count <= s.count && Array(s[i..<(i + t.count)]) == t {
                out += replacement
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }
}

/// A JSON pointer (RFC 6901): each token after a "/", with "~" written "~0"
/// and then "/" written "~1".
func jsonPointer(_ tokens: [String]) -> String {
    tokens.map { "/" + $0.replacingEvery("~", with: "~0").replacingEvery("/", with: "~1") }.joined()
}

/// A JSON pointer's tokens read back as the buggy reader reads them: every
/// "~0" turned into "~" and only then every "~1" into "/" (the RFC says "~1"
/// first), so "~01", the token "~1", comes back as "/".
func jsonPointerTokensTwoPasses(_ pointer: String) -> [String] {
    guard !pointer.isEmpty else { return [] }
    return pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
        String($0).replacingEvery("~0", with: "~").replacingEvery("~1", with: "/")
    }
}

/// A delay in seconds (negative: already past) as a timespec: the whole
/// seconds by converting to Int, which truncates towards zero, and the
/// nanoseconds of the fraction above the floor. For a negative delay with a
/// fraction the two parts disagree: -1.5 becomes -1 second and half a
/// second forward, -0.5.
func timespecTruncatedSeconds(_ seconds: Double) -> (seconds: Int, nanoseconds: Int) {
    (Int(seconds), Int((seconds - seconds.rounded(.down)) * 1e9))
}

/// A number of a cron field: one or two decimal digits, at most 59.
func cronNumber(_ t: Substring) -> Int? {
    guard (1...2).contains(t.count), t.allSatisfy({ ("0"..."9").contains($0) }), let v = Int(t), v <= 59 else { return nil }
    return v
}

/// A cron minute field's minutes, nil when it is malformed: items split at
/// ",", each "*", "n" or "a-b", "*" and ranges with an optional "/step".
/// A step counts from the range's start ("1-9/2" is 1, 3, 5, 7, 9); with
/// `stepsFromZero` it is the buggy parser, which keeps the range's multiples
/// of the step (2, 4, 6, 8).
func cronMinutes(_ field: String, stepsFromZero: Bool) -> [Int]? {
    var out = Set<Int>()
    for item in field.split(separator: ",", omittingEmptySubsequences: false) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var step = 1
        if parts.count == 2 {
            guard let s = cronNumber(parts[1]), s > 0 else { return nil }
            step = s
        }
        let lo: Int, hi: Int
        if parts[0] == "*" {
            (lo, hi) = (0, 59)
        } else {
            let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, !(parts.count == 2 && bounds.count == 1),
                  let a = cronNumber(bounds[0]), let b = cronNumber(bounds[bounds.count - 1]), a <= b else { return nil }
            (lo, hi) = (a, b)
        }
        for v in lo...hi where (stepsFromZero ? v : v - lo) % step == 0 { out.insert(v) }
    }
    return out.sorted()
}

/// An item of a cron field: "*" or "*/step", a minute, or "a-b" or "a-b/step".
enum CronItem: Equatable {
    case every(step: Int?)
    case value(Int)
    case range(Int, Int, step: Int?)

    var text: String {
        switch self {
        case .every(let step): return "*" + (step.map { "/\($0)" } ?? "")
        case .value(let n): return String(n)
        case .range(let a, let b, let step): return "\(a)-\(b)" + (step.map { "/\($0)" } ?? "")
        }
    }

    var repr: String {
        func py(_ step: Int?) -> String { step.map(String.init) ?? "None" }
        switch self {
        case .every(let step): return "('every', \(py(step)))"
        case .value(let n): return "('value', \(n))"
        case .range(let a, let b, let step): return "('range', \(a), \(b), \(py(step)))"
        }
    }
}

/// PNG's Sub filter on a row of 8-bit grey pixels: each byte less the one
/// before it, modulo 256.
func pngSubFilter(_ row: [UInt8]) -> [UInt8] {
    row.indices.map { $0 == 0 ? row[0] : row[$0] &- row[$0 - 1] }
}

/// The Sub filter undone as the buggy decoder undoes it: each byte plus the
/// decoded one before it, clamped at 255 to stay clear of an overflow trap,
/// where the sum must wrap modulo 256.
func pngSubUnfilterClamped(_ filtered: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    for (i, f) in filtered.enumerated() {
        out.append(i == 0 ? f : UInt8(min(255, Int(f) + Int(out[i - 1]))))
    }
    return out
}

/// Whether a directed graph has a cycle, by depth-first search from every
/// node in order: reaching a node still on the path is a cycle. With
/// `finishedIsBackEdge` it is the buggy search, which takes any node it has
/// seen for one, a node already finished from an earlier start included.
func hasCycle(_ graph: [UInt8: Set<UInt8>], finishedIsBackEdge: Bool) -> Bool {
    var state: [UInt8: Int] = [:]  // 1 on the path, 2 finished
    func visit(_ n: UInt8) -> Bool {
        if let s = state[n] { return s == 1 || finishedIsBackEdge }
        state[n] = 1
        for m in graph[n, default: []].sorted() {
            if visit(m) { return true }
        }
        state[n] = 2
        return false
    }
    for n in graph.keys.sorted() where state[n] == nil {
        if visit(n) { return true }
    }
    return false
}

/// A graph as Python prints a dictionary of sets (keys sorted).
func pyGraph(_ g: [UInt8: Set<UInt8>]) -> String {
    "{" + g.keys.sorted().map { "\($0): \(pySet(Set(g[$0]!.map { Int64($0) })))" }.joined(separator: ", ") + "}"
}

/// A value of a configuration file: a number, or a table of named values.
indirect enum ConfigValue: Equatable {
    case number(Int64)
    case table([String: ConfigValue])

    var repr: String {
        switch self {
        case .number(let x): return String(x)
        case .table(let t): return pyConfig(t)
        }
    }
}

func pyConfig(_ t: [String: ConfigValue]) -> String {
    "{" + t.keys.sorted().map { "\(pyString($0)): \(t[$0]!.repr)" }.joined(separator: ", ") + "}"
}

/// A configuration's numbers under dotted keys ("a.b" for the number b in
/// the table a), as a key-value store keeps it; an empty table gives no key.
func flattenConfig(_ table: [String: ConfigValue], prefix: String = "") -> [String: Int64] {
    var out: [String: Int64] = [:]
    for key in table.keys.sorted() {
        switch table[key]! {
        case .number(let x): out[prefix + key] = x
        case .table(let inner): out.merge(flattenConfig(inner, prefix: prefix + key + ".")) { $1 }
        }
    }
    return out
}

/// The tables back from dotted keys.
func unflattenConfig(_ flat: [String: Int64]) -> [String: ConfigValue] {
    func inserting(_ path: ArraySlice<Substring>, _ value: Int64, into table: [String: ConfigValue]) -> [String: ConfigValue] {
        var t = table
        let key = String(path.first!)
        if path.count == 1 {
            t[key] = .number(value)
        } else {
            var inner: [String: ConfigValue] = [:]
            if case .table(let existing)? = t[key] { inner = existing }
            t[key] = .table(inserting(path.dropFirst(), value, into: inner))
        }
        return t
    }
    var root: [String: ConfigValue] = [:]
    for path in flat.keys.sorted() {
        root = inserting(path.split(separator: ".", omittingEmptySubsequences: false)[...], flat[path]!, into: root)
    }
    return root
}

/// Configuration values three tables deep, keys over "ab".
let configValues: Generator<ConfigValue> = Gen.recursive(
    maxDepth: 3, label: "config", base: Gen.integers(in: 0...100).map { ConfigValue.number($0) }
) { inner in
    Gen.dictionaries(keys: Gen.strings(of: Gen.characters(from: "ab")), values: inner).map { ConfigValue.table($0) }
}

/// A file mode as `ls -l` writes it ("rwxr-x---"), with setuid, setgid and
/// sticky in the execute places: "s" or "t" over execute, "S" or "T"
/// without it. With `lowercaseAlways` it is the buggy writer, which writes
/// the lowercase letter either way.
func modeString(_ mode: UInt16, lowercaseAlways: Bool) -> String {
    var out = ""
    for (shift, special, letter) in [(6, 0o4000, "s"), (3, 0o2000, "s"), (0, 0o1000, "t")] as [(UInt16, UInt16, String)] {
        let bits = mode >> shift & 7
        out += (bits & 4 != 0 ? "r" : "-") + (bits & 2 != 0 ? "w" : "-")
        if mode & special != 0 {
            out += bits & 1 != 0 || lowercaseAlways ? letter : letter.uppercased()
        } else {
            out += bits & 1 != 0 ? "x" : "-"
        }
    }
    return out
}

/// The mode back from its `ls -l` form.
func parseModeString(_ s: String) -> UInt16 {
    let c = Array(s)
    var mode: UInt16 = 0
    for (i, (shift, special)) in ([(6, 0o4000), (3, 0o2000), (0, 0o1000)] as [(UInt16, UInt16)]).enumerated() {
        let (r, w, x) = (c[3 * i], c[3 * i + 1], c[3 * i + 2])
        mode |= ((r == "r" ? 4 : 0) | (w == "w" ? 2 : 0) | ("xst".contains(x) ? 1 : 0)) << shift
        if "sStT".contains(x) { mode |= special }
    }
    return mode
}

/// One range of an HTTP Range header: "bytes=a-b", "bytes=-n" (the last n
/// bytes) or "bytes=a-".
enum ByteRangeSpec: Equatable {
    case range(Int, Int)
    case suffix(Int)
    case from(Int)

    var repr: String {
        switch self {
        case .range(let a, let b): return "('range', \(a), \(b))"
        case .suffix(let n): return "('suffix', \(n))"
        case .from(let a): return "('from', \(a))"
        }
    }
}

/// The first and last byte a range selects of a resource of `length` bytes,
/// nil when it is unsatisfiable (416). A suffix of n is the last n bytes
/// (all of them when n exceeds the length), unsatisfiable for n = 0 or an
/// empty resource; with `checksEmpty: false` it is the buggy resolver,
/// which forgets the empty resource and serves bytes 0 to -1.
func resolveByteRange(_ spec: ByteRangeSpec, length: Int, checksEmpty: Bool) -> [Int]? {
    switch spec {
    case .range(let a, let b): return a >= length ? nil : [a, min(b, length - 1)]
    case .suffix(let n):
        if n == 0 || (checksEmpty && length == 0) { return nil }
        return [max(0, length - n), length - 1]
    case .from(let a): return a >= length ? nil : [a, length - 1]
    }
}

/// Codes packed least significant bit first at `width` bits each (Parquet's
/// bit packing).
func packCodes(_ codes: [Int], width: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: (codes.count * width + 7) / 8)
    var p = 0
    for c in codes {
        for bit in 0..<width {
            if c >> bit & 1 != 0 { out[p / 8] |= 1 << (p % 8) }
            p += 1
        }
    }
    return out
}

func unpackCodes(_ data: [UInt8], width: Int, count: Int) -> [Int] {
    var codes: [Int] = []
    var p = 0
    for _ in 0..<count {
        var c = 0
        for bit in 0..<width {
            if data[p / 8] >> (p % 8) & 1 != 0 { c |= 1 << bit }
            p += 1
        }
        codes.append(c)
    }
    return codes
}

/// The bits per code a dictionary of n entries gets as the buggy writer
/// works them out: floor(log2 n), the index of n's top bit, where codes up
/// to n - 1 need ceil(log2 n).
func codeWidthFloorLog2(_ n: Int) -> Int { Int.bitWidth - 1 - n.leadingZeroBitCount }

/// Timestamps through Gorilla's delta-of-delta encoding, as they decode: the
/// first timestamp and delta in 64 bits, then each delta of deltas as one
/// bit when zero, else a tag and a two's complement field of 7, 9 or 12
/// bits, or 32 past those. The buckets are the paper's, -63...64, -255...256
/// and -2047...2048, where a 7-bit field holds -64...63 (and so on): a delta
/// of deltas of 64 comes back as -64.
func gorillaRoundTrip(_ ts: [Int64]) -> [Int64] {
    let buckets: [(width: Int64, range: ClosedRange<Int64>)] = [(7, -63...64), (9, -255...256), (12, -2047...2048)]
    var out = Array(ts.prefix(2))
    for i in ts.indices.dropFirst(2) {
        let dod = (ts[i] - ts[i - 1]) - (ts[i - 1] - ts[i - 2])
        var field: Int64 = 0
        if dod != 0 {
            let width = buckets.first { $0.range.contains(dod) }?.width ?? 32
            let bits = dod & ((1 << width) - 1)
            field = bits >> (width - 1) != 0 ? bits - (1 << width) : bits
        }
        let n = out.count
        out.append(out[n - 1] + (out[n - 1] - out[n - 2]) + field)
    }
    return out
}

/// Vyukov's bounded queue of two slots, used one call at a time. A slot's
/// turn is the position that may use it next: the enqueue at position pos
/// when it is pos, the dequeue at pos when it is pos + 1; a dequeue hands
/// the slot to the next lap's enqueue with pos + mask + 1 = pos + 2. With
/// `handsOnFullTurn: false` it is the buggy queue, whose dequeue sets pos + 1
/// (the + 1 forgotten), so the next lap finds the slot still full.
final class TurnQueue {
    let handsOnFullTurn: Bool
    private var turns = [0, 1], slots = [0, 0]
    private var head = 0, tail = 0

    init(handsOnFullTurn: Bool) { self.handsOnFullTurn = handsOnFullTurn }

    /// Whether `x` went in (false: the queue is full).
    func enqueue(_ x: Int) -> Bool {
        let i = tail & 1
        guard turns[i] == tail else { return false }
        slots[i] = x
        turns[i] = tail + 1
        tail += 1
        return true
    }

    /// The oldest value, nil when the queue is empty.
    func dequeue() -> Int? {
        let i = head & 1
        guard turns[i] == head + 1 else { return nil }
        let x = slots[i]
        turns[i] = head + (handsOnFullTurn ? 2 : 1)
        head += 1
        return x
    }
}

/// A cache of open files by key: each open handle is a reference to its
/// key's entry; an entry with none goes on the idle list, which keeps one
/// (the oldest is closed and dropped). Opening an idle entry must take it
/// off the list; with `removesOnRevive: false` it is the buggy cache, which
/// leaves it there, so closing it again lists it twice and drops it.
final class HandleCache {
    let removesOnRevive: Bool
    private var refs: [Int: Int] = [:]
    private var idle: [Int] = []

    init(removesOnRevive: Bool) { self.removesOnRevive = removesOnRevive }

    var resident: Set<Int> { Set(refs.keys) }
    var openHandles: Int { refs.values.reduce(0, +) }

    func open(_ key: Int) {
        if let r = refs[key] {
            if r == 0 && removesOnRevive { idle.removeAll { $0 == key } }
            refs[key] = r + 1
        } else {
            refs[key] = 1
        }
    }

    func close(_ key: Int) {
        guard let r = refs[key] else { return }
        refs[key] = r - 1
        if r == 1 {
            idle.append(key)
            if idle.count > 1 { refs[idle.removeFirst()] = nil }
        }
    }
}

/// The forty-second batch, written by someone who had not read the
/// shrinker: a subnet mask shifted with a masking shift, an edit distance
/// whose diagonal is read after the row's first cell is set, a JSON pointer
/// unescaped in the wrong order, a timespec whose seconds are truncated and
/// whose fraction is taken above the floor, a cron step counted from zero,
/// a PNG Sub filter undone with a clamp, a cycle check that takes a
/// finished node for a back edge, a configuration flattened without its
/// empty tables, a mode string whose special bits are always lowercase, an
/// HTTP suffix range on an empty resource, dictionary codes packed at
/// floor(log2 n) bits, Gorilla's timestamp buckets as the paper gives them,
/// a bounded queue whose dequeue forgets the + 1 of a turn and a file cache
/// that leaves a reopened entry on its idle list.
func fortySecondBatch() -> [Problem] { [
    // (UInt32 network, prefix in 0...32, UInt32 address): the subnet match with &<< must agree with the one with <<.
    // Minimum: the network comes first, and 0 is the simplest; so is /0,
    // the one prefix whose count (32) the two shifts take differently, where
    // the masking one matches the network's own address only: 0 matches
    // both ways, and 1 is the first address it does not.
    problem("cidr_slash_zero_mask_shift_count_masked",
            Gen.zip(Gen.integers(of: UInt32.self), Gen.ints(in: 0...32), Gen.integers(of: UInt32.self)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (0, 0, 1) }) { t in
        try check(subnetMatches(network: t.0, prefix: t.1, address: t.2, masksShiftCount: true)
                  == subnetMatches(network: t.0, prefix: t.1, address: t.2, masksShiftCount: false))
    },
    // Pairs of strings over "ab": the one-row edit distance that reads the diagonal late must be the right one.
    // Minimum: with either string empty no diagonal is read and the
    // distance is right, so each needs a character; the late diagonal is
    // one too high, which a match takes at once: "a" against "a".
    problem("levenshtein_one_row_diagonal_read_after_reset",
            Gen.zip(Gen.strings(of: Gen.characters(from: "ab")), Gen.strings(of: Gen.characters(from: "ab"))),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("a", "a") }) { t in
        try check(editDistanceOneRow(t.0, t.1, readsDiagonalAfterReset: true)
                  == editDistanceOneRow(t.0, t.1, readsDiagonalAfterReset: false))
    },
    // Lists of tokens over "a~/01": the tokens must read back from their JSON pointer.
    // Minimum: a token of one character comes back whole ("~" is written
    // "~0" and "/" "~1"), and so does every one of two characters but "~1",
    // written "~01", which the first pass turns into "~1" and the second
    // into "/"; that token, alone.
    problem("json_pointer_unescapes_tilde_before_slash",
            Gen.arrays(of: Gen.strings(of: Gen.characters(from: "a~/01"))),
            show: { pyList($0.map(pyString)) }, ideal: { $0 == ["~1"] }) { tokens in
        try check(jsonPointerTokensTwoPasses(jsonPointer(tokens)) == tokens)
    },
    // Doubles in -3600...3600 (a delay in seconds): the timespec must stand for the delay (within a microsecond).
    // Minimum: positive delays come first, and for them truncating is the
    // floor; then negative ones, every integer first (no fraction), and of
    // the fractions those in [1, 2) come first, in the order of their
    // fraction bits reversed: 1.5, so -1.5.
    problem("timespec_seconds_truncated_fraction_floored", Gen.doubles(in: -3600...3600), show: pyFloat,
            ideal: { $0 == -1.5 }) { x in
        let ts = timespecTruncatedSeconds(x)
        try check(abs(Double(ts.seconds) + Double(ts.nanoseconds) / 1e9 - x) < 1e-6)
    },
    // Lists of cron items ("*" with an optional step, a minute, a range a-b with b from a and an optional step), as
    // a field's text: its minutes must be those the right parser finds.
    // Minimum: "*" steps from 0 either way and a minute has no step, so
    // one range with a step (a list of one item is the shortest); one that
    // starts at 0 counts from 0 either way, and 1-1 (b's simplest is a)
    // with a step of 1 too; /2 keeps minute 1, where the buggy parser
    // keeps none.
    problem("cron_field_items_step_counted_from_zero",
            Gen.arrays(of: Gen.oneOf(
                Gen.optional(Gen.ints(in: 1...59)).map { CronItem.every(step: $0) },
                Gen.ints(in: 0...59).map { CronItem.value($0) },
                Gen.ints(in: 0...59).flatMap { a in
                    Gen.zip(Gen.ints(in: a...59), Gen.optional(Gen.ints(in: 1...59))).map { CronItem.range(a, $0.0, step: $0.1) }
                })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.range(1, 1, step: 2)] }) { items in
        let field = items.map(\.text).joined(separator: ",")
        try check(cronMinutes(field, stepsFromZero: true) == cronMinutes(field, stepsFromZero: false))
    },
    // Byte strings of up to 16 bytes (rows of grey pixels): through the Sub filter and the clamping unfilter a row
    // must come back as it was.
    // Minimum: a single byte is not filtered, and of two, a sum wraps only
    // where the second byte is below the first: every row from 0 passes,
    // and 1 followed by 0 (filtered 1, 255) is the first that does not.
    problem("png_sub_unfilter_clamps_sum", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [1, 0] }) { row in
        try check(pngSubUnfilterClamped(pngSubFilter(row)) == row)
    },
    // Graphs of nodes 0...7 (each node's successors): the cycle check that takes finished nodes for back edges must
    // agree with the right one.
    // Minimum: from one node's edges alone the search meets each successor
    // once (the node itself is a true cycle), so two nodes with edges
    // listed, the first with none (the fewest choices): 0, then 1 with the
    // edge to 0, finished before the search from 1 reaches it.
    problem("cycle_check_finished_node_taken_for_back_edge",
            Gen.dictionaries(keys: Gen.integers(of: UInt8.self, in: 0...7), values: Gen.sets(of: Gen.integers(of: UInt8.self, in: 0...7))),
            show: pyGraph, ideal: { $0 == [0: [], 1: [0]] }) { g in
        try check(hasCycle(g, finishedIsBackEdge: true) == hasCycle(g, finishedIsBackEdge: false))
    },
    // Configurations (tables of numbers and tables, keys over "ab", three tables deep): flattened to dotted keys and
    // back, a configuration must be itself.
    // Minimum: only an empty table loses anything, and the least one
    // holds one entry, the empty key, whose value's branch is the second
    // (a number comes first), an empty table.
    problem("config_flatten_drops_empty_table", Gen.dictionaries(keys: Gen.strings(of: Gen.characters(from: "ab")), values: configValues),
            show: pyConfig, ideal: { $0 == ["": .table([:])] }) { table in
        try check(unflattenConfig(flattenConfig(table)) == table)
    },
    // Modes in 0...0o7777: a mode's `ls -l` string must read back as the mode.
    // Minimum: below 0o1000 there are no special bits and the string is
    // exact; 0o1000 (512) is sticky without execute for others, written "t"
    // where "T" is right, and read back with the execute bit.
    problem("mode_string_special_bit_lowercase_without_exec", Gen.integers(of: UInt16.self, in: 0...0o7777), show: { String($0) },
            ideal: { $0 == 0o1000 }) { mode in
        try check(parseModeString(modeString(mode, lowercaseAlways: true)) == mode)
    },
    // (a resource length in 0...10_000, a range: a-b with b from a, -n or a-): the resolver that forgets the empty
    // resource must agree with the right one.
    // Minimum: the length comes first, and 0 is the simplest; a suffix,
    // the second branch, is one choice after its branch (a-b is two), and
    // -0 is unsatisfiable either way: -1 of an empty resource, bytes 0 to -1.
    problem("http_suffix_range_on_empty_resource",
            Gen.zip(Gen.ints(in: 0...10_000),
                    Gen.oneOf(Gen.ints(in: 0...10_000).flatMap { a in Gen.ints(in: a...10_000).map { ByteRangeSpec.range(a, $0) } },
                              Gen.ints(in: 0...10_000).map { ByteRangeSpec.suffix($0) },
                              Gen.ints(in: 0...10_000).map { ByteRangeSpec.from($0) })),
            show: { "(\($0.0), \($0.1.repr))" }, ideal: { $0.0 == 0 && $0.1 == .suffix(1) }) { t in
        try check(resolveByteRange(t.1, length: t.0, checksEmpty: false) == resolveByteRange(t.1, length: t.0, checksEmpty: true))
    },
    // A dictionary size n in 1...1000, then codes in 0..<n: packed at floor(log2 n) bits, the codes must unpack as
    // written.
    // Minimum: 1 (no bits, code 0) and 2 (one bit, codes 0 and 1) are
    // packed right, and 3 is the next size; its codes 0 and 1 fit in one
    // bit, and 2 is the first that does not.
    problem("dictionary_code_width_floors_log2",
            Gen.ints(in: 1...1000).flatMap { n in Gen.arrays(of: Gen.ints(in: 0...(n - 1))).map { (n, $0) } },
            show: { "(\($0.0), \(pyList($0.1)))" }, ideal: { $0.0 == 3 && $0.1 == [2] }) { t in
        let width = codeWidthFloorLog2(t.0)
        try check(unpackCodes(packCodes(t.1, width: width), width: width, count: t.1.count) == t.1)
    },
    // Lists of Int32 timestamps: through Gorilla's delta-of-delta encoding with the paper's buckets they must come
    // back as they were.
    // Minimum: a delta of deltas needs three timestamps; the first two 0,
    // the third is the delta of deltas, and every one of -63...63 fits its
    // field: 64, the paper's top of the 7-bit bucket, is the first that
    // does not.
    problem("gorilla_dod_buckets_paper_ranges", Gen.arrays(of: Gen.integers(of: Int32.self).map { Int64($0) }), show: pyList,
            ideal: { $0 == [0, 0, 64] }) { ts in
        try check(gorillaRoundTrip(ts) == ts)
    },
    // enqueues of 0...3 and dequeues, on a two-slot queue whose dequeue hands its slot on at pos + 1: each result must
    // be the right queue's.
    // Minimum: an enqueue must reach a slot a dequeue handed on, which is
    // the third enqueue (the next lap), after a dequeue: four steps, and
    // with the enqueues (the first rule) as early as they can be, two
    // enqueues, the dequeue, the enqueue the buggy queue refuses.
    machineProblem("machine_bounded_queue_turn_misses_plus_one", StateMachine<TurnQueue, TurnQueue>(
        model: { TurnQueue(handsOnFullTurn: true) }, system: { TurnQueue(handsOnFullTurn: false) },
        rules: [
            .init("enqueue") { model, queue, step in
                let x = try step.draw(Gen.ints(in: 0...3), "x")
                let expected = model.enqueue(x), got = queue.enqueue(x)
                try expect(got == expected, "enqueue(\(x)) returned \(got), expected \(expected)")
            },
            .init("dequeue") { model, queue, _ in
                let expected = model.dequeue(), got = queue.dequeue()
                try expect(got == expected, "dequeue returned \(String(describing: got)), expected \(String(describing: expected))")
            },
        ]),
        ideal: ["enqueue(x: 0)", "enqueue(x: 0)", "dequeue()", "enqueue(x: 0)"]),
    // opens of keys 0...3 (each a handle) and closes of open handles, on a cache that leaves a reopened entry on its
    // idle list: the keys resident must be the right cache's.
    // Minimum: an entry must be idle, reopened and idle again to be listed
    // twice (an eviction of a different key drops the same one either
    // way): open, close, open and close of key 0.
    machineProblem("machine_handle_cache_revive_leaves_idle_entry", StateMachine<HandleCache, HandleCache>(
        model: { HandleCache(removesOnRevive: true) }, system: { HandleCache(removesOnRevive: false) },
        rules: [
            .init("open") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                model.open(key)
                cache.open(key)
                step.produce(key, into: "handles")
            },
            .init("close", precondition: { $0.openHandles > 0 }) { model, cache, step in
                let key = try step.pick(from: "handles", as: Int.self, label: "handle", remove: true)
                model.close(key)
                cache.close(key)
            },
        ],
        check: { model, cache in
            try expect(cache.resident == model.resident, "resident \(cache.resident.sorted()), expected \(model.resident.sorted())")
        }),
        ideal: ["v1 = open(key: 0)", "close(handle: v1)", "v2 = open(key: 0)", "close(handle: v2)"]),
] }
