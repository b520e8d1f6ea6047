// The thirty-sixth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-sixth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Each was
// also checked by enumerating values (for the state machines, choice
// sequences) in that order until the first failing one, where the space
// allows; the thresholds of the 32- and 64-bit words at the boundary, and
// the heading over every exponent's first mantissas and at random.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A Q16.16 fixed-point value rounded to the nearest integer, halves up, by
/// adding one half and shifting. The add is done in `Int32` with wrapping,
/// so a value within one half of `Int32.max` wraps round to a large
/// negative one before the shift.
func q16RoundWrapping(_ x: Int32) -> Int32 { (x &+ 0x8000) >> 16 }

/// The same rounding with the add done in 64 bits.
func q16RoundExact(_ x: Int32) -> Int32 { Int32((Int64(x) + 0x8000) >> 16) }

/// A mixer's gain stage: a 16-bit sample times an 8-bit gain in Q0.8 (0 to
/// 255/256). The buggy stage multiplies in `Int16` with wrapping before the
/// shift; the exact one in `Int32`.
func mixGainWrapping(_ sample: Int16, _ gain: UInt8) -> Int16 { (sample &* Int16(gain)) >> 8 }

func mixGainExact(_ sample: Int16, _ gain: UInt8) -> Int16 { Int16((Int32(sample) * Int32(gain)) >> 8) }

/// Ticks of a 24 MHz counter (125/3 ns a tick) converted to nanoseconds as
/// the timebase's formula is written, multiplying first and dividing
/// after, in `UInt64` with wrapping: the product wraps long before the
/// result stops fitting.
func ticksToNanosWrapping(_ ticks: UInt64) -> UInt64 { (ticks &* 125) / 3 }

/// The exact conversion with a 128-bit product; nil when the result does
/// not fit in `UInt64`.
func ticksToNanosExact(_ ticks: UInt64) -> UInt64? {
    let (high, low) = ticks.multipliedFullWidth(by: 125)
    guard high < 3 else { return nil }
    return UInt64(3).dividingFullWidth((high: high, low: low)).quotient
}

/// Tabs expanded to the next multiple of 8 columns. With `fromInputIndex`
/// it is the buggy expansion, which takes the column from the tab's index
/// in the input, right until an earlier tab has been widened.
func expandTabs(_ s: String, fromInputIndex: Bool) -> String {
    var out = ""
    var column = 0
    for (i, c) in s.enumerated() {
        if c == "\t" {
            let n = 8 - (fromInputIndex ? i : column) % 8
            out += String(repeating: " ", count: n)
            column += n
        } else {
            out.append(c)
            column += 1
        }
    }
    return out
}

/// A heading in degrees wrapped into [0, 360) by taking off whole turns,
/// x - 360 * floor(x / 360). For a negative x within half an ulp of 360 of
/// zero, x + 360 rounds to 360.
func wrappedHeading(_ x: Double) -> Double { x - 360 * (x / 360).rounded(.down) }

/// PCX-style run-length encoding: a byte of 0xC0 or more is a run marker,
/// its low six bits a count and the next byte the value. Runs of three or
/// more go out as runs, a lone byte of 0xC0 or more as a run of one, and
/// anything else as itself, so a pair of equal bytes of 0xC0 or more goes
/// out as itself and reads back as a marker and its value.
func pcxEncode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        var run = 1
        while i + run < bytes.count && bytes[i + run] == b && run < 63 { run += 1 }
        if run >= 3 || (run == 1 && b >= 0xC0) {
            out += [0xC0 | UInt8(run), b]
        } else {
            out += [UInt8](repeating: b, count: run)
        }
        i += run
    }
    return out
}

func pcxDecode(_ encoded: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < encoded.count {
        let c = encoded[i]
        if c >= 0xC0 {
            guard i + 1 < encoded.count else { break }
            out += [UInt8](repeating: encoded[i + 1], count: Int(c & 0x3F))
            i += 2
        } else {
            out.append(c)
            i += 1
        }
    }
    return out
}

/// An HTTP/1.1 body in chunked transfer coding: each chunk as its size in
/// hex, CRLF, its bytes and CRLF, then a last chunk of size 0 and CRLF. The
/// encoder writes every chunk it is handed, an empty one too, and an empty
/// chunk reads as the last one.
func chunkedEncode(_ chunks: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    for chunk in chunks {
        out += Array(String(chunk.count, radix: 16).utf8) + [13, 10] + chunk + [13, 10]
    }
    return out + Array("0\r\n\r\n".utf8)
}

/// The body read back: sizes and chunks up to the chunk of size 0; nil when
/// the coding is broken.
func chunkedDecode(_ encoded: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    var i = 0
    while true {
        var size = 0
        var digits = 0
        while i < encoded.count, let d = Int(String(UnicodeScalar(encoded[i])), radix: 16) {
            size = size * 16 + d
            digits += 1
            i += 1
        }
        guard digits > 0, i + 1 < encoded.count, encoded[i] == 13, encoded[i + 1] == 10 else { return nil }
        i += 2
        if size == 0 { return out }
        guard i + size + 2 <= encoded.count else { return nil }
        out += encoded[i..<(i + size)]
        i += size + 2
    }
}

/// The (line, column) of a character offset in a text, both from 0, by
/// walking the lengths of its lines. With `countsNewline: false` it is the
/// buggy walk, which leaves out the newline that ends each line, so an
/// offset past the first newline lands too far on (or past the end).
func lineColumn(_ text: String, _ offset: Int, countsNewline: Bool) -> [Int]? {
    var start = 0
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if offset <= start + line.count { return [i, offset - start] }
        start += line.count + (countsNewline ? 1 : 0)
    }
    return nil
}

/// A MessagePack value of the kinds a config blob holds.
enum PackValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    case str(String)

    var repr: String {
        switch self {
        case .none: return "('nil',)"
        case .bool(let b): return "('bool', \(b ? "True" : "False"))"
        case .int(let x): return "('int', \(x))"
        case .str(let s): return "('str', \(pyString(s)))"
        }
    }

    /// The value in MessagePack's smallest encoding.
    var packed: [UInt8] {
        func be(_ x: UInt64, _ n: Int) -> [UInt8] { (0..<n).reversed().map { UInt8(truncatingIfNeeded: x >> (8 * UInt64($0))) } }
        switch self {
        case .none: return [0xC0]
        case .bool(let b): return [b ? 0xC3 : 0xC2]
        case .int(let x):
            let u = UInt64(bitPattern: x)
            switch x {
            case 0...127: return [UInt8(x)]
            case -32 ... -1: return [UInt8(truncatingIfNeeded: x)]
            case 128...255: return [0xCC] + be(u, 1)
            case 256...0xFFFF: return [0xCD] + be(u, 2)
            case 0x10000...0xFFFF_FFFF: return [0xCE] + be(u, 4)
            case 0x1_0000_0000...: return [0xCF] + be(u, 8)
            case -128 ... -33: return [0xD0] + be(u, 1)
            case -32768 ... -129: return [0xD1] + be(u, 2)
            case Int64(Int32.min) ... -32769: return [0xD2] + be(u, 4)
            default: return [0xD3] + be(u, 8)
            }
        case .str(let s):
            let utf8 = Array(s.utf8)
            if utf8.count <= 31 { return [0xA0 | UInt8(utf8.count)] + utf8 }
            if utf8.count <= 255 { return [0xD9, UInt8(utf8.count)] + utf8 }
            return [0xDA] + be(UInt64(utf8.count), 2) + utf8
        }
    }

    /// The buggy reader: every integer format read right but int 8 (0xD0),
    /// whose payload byte it takes as unsigned.
    init?(unpacking b: [UInt8]) {
        func be(_ from: Int, _ n: Int) -> UInt64? {
            guard from + n <= b.count else { return nil }
            return b[from..<(from + n)].reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard let tag = b.first else { return nil }
        switch tag {
        case 0x00...0x7F: self = .int(Int64(tag))
        case 0xE0...0xFF: self = .int(Int64(Int8(bitPattern: tag)))
        case 0xC0: self = .none
        case 0xC2, 0xC3: self = .bool(tag == 0xC3)
        case 0xCC, 0xCD, 0xCE, 0xCF:
            guard let u = be(1, 1 << Int(tag - 0xCC)) else { return nil }
            self = .int(Int64(bitPattern: u))
        case 0xD0:
            guard let u = be(1, 1) else { return nil }
            self = .int(Int64(u))
        case 0xD1:
            guard let u = be(1, 2) else { return nil }
            self = .int(Int64(Int16(truncatingIfNeeded: u)))
        case 0xD2:
            guard let u = be(1, 4) else { return nil }
            self = .int(Int64(Int32(truncatingIfNeeded: u)))
        case 0xD3:
            guard let u = be(1, 8) else { return nil }
            self = .int(Int64(bitPattern: u))
        case 0xA0...0xBF, 0xD9, 0xDA:
            let (start, count): (Int, Int)
            if tag <= 0xBF {
                (start, count) = (1, Int(tag & 0x1F))
            } else if tag == 0xD9, let n = be(1, 1) {
                (start, count) = (2, Int(n))
            } else if tag == 0xDA, let n = be(1, 2) {
                (start, count) = (3, Int(n))
            } else {
                return nil
            }
            guard start + count <= b.count else { return nil }
            self = .str(String(decoding: b[start..<(start + count)], as: UTF8.self))
        default: return nil
        }
    }
}

/// Page mappings (virtual page -> physical frame) coalesced into extents
/// (first page, first frame, page count) for a DMA map. The merge checks
/// that a page's frame follows the extent's last frame, but not that the
/// page follows its last page.
func pageExtents(_ map: [Int64: Int64]) -> [[Int64]] {
    var out: [[Int64]] = []
    for page in map.keys.sorted() {
        let frame = map[page]!
        if let last = out.last, last[1] + last[2] == frame {
            out[out.count - 1][2] += 1
        } else {
            out.append([page, frame, 1])
        }
    }
    return out
}

/// The mappings the extents stand for.
func expandedExtents(_ extents: [[Int64]]) -> [Int64: Int64] {
    var map: [Int64: Int64] = [:]
    for e in extents {
        for k in 0..<e[2] { map[e[0] + k] = e[1] + k }
    }
    return map
}

/// A least-frequently-used cache of two entries: eviction takes the entry
/// used least often, the least recently used of those. A put of a key it
/// holds is a use; with `resetsOnOverwrite` it is the buggy cache, which
/// resets the key's count to one as for a new entry.
final class OverwriteLFUCache {
    let resetsOnOverwrite: Bool
    private var clock = 0
    private(set) var entries: [Int: (value: Int, uses: Int, last: Int)] = [:]

    init(resetsOnOverwrite: Bool) { self.resetsOnOverwrite = resetsOnOverwrite }

    func put(_ key: Int, _ value: Int) {
        clock += 1
        if let e = entries[key] {
            entries[key] = (value, resetsOnOverwrite ? 1 : e.uses + 1, clock)
            return
        }
        if entries.count == 2 {
            let victim = entries.min { ($0.value.uses, $0.value.last) < ($1.value.uses, $1.value.last) }!.key
            entries[victim] = nil
        }
        entries[key] = (value, 1, clock)
    }

    func get(_ key: Int) -> Int? {
        clock += 1
        guard let e = entries[key] else { return nil }
        entries[key] = (e.value, e.uses + 1, clock)
        return e.value
    }

    var contents: [Int: Int] { entries.mapValues { $0.value } }
}

/// A resolver's cache of records with a TTL in seconds: a record must
/// expire when the TTL it was stored with runs out. With `hitRefreshes` it
/// is the buggy cache, which starts the TTL again on every hit, so a
/// record read often enough never expires.
final class ResolverCache {
    let hitRefreshes: Bool
    private var now = 0
    private var records: [Int: (ttl: Int, expires: Int)] = [:]

    init(hitRefreshes: Bool) { self.hitRefreshes = hitRefreshes }

    func put(_ name: Int, ttl: Int) { records[name] = (ttl, now + ttl) }

    func get(_ name: Int) -> Bool {
        guard let r = records[name], r.expires > now else { return false }
        if hitRefreshes { records[name] = (r.ttl, now + r.ttl) }
        return true
    }

    func tick(_ seconds: Int) { now += seconds }

    var live: [Int] { records.filter { $0.value.expires > now }.keys.sorted() }
}

/// A doubly linked list with head and tail pointers. Unlinking a node
/// mends its neighbours' links and the head, but not the tail when the node
/// is the last one: the tail keeps pointing at the unlinked node, and the
/// next append hangs the new node off it, out of the list.
final class StaleTailList {
    final class Node {
        let value: Int
        weak var prev: Node?
        var next: Node?
        init(_ value: Int) { self.value = value }
    }

    private var head: Node?
    private var tail: Node?

    func append(_ value: Int) -> Node {
        let node = Node(value)
        if let t = tail {
            t.next = node
            node.prev = t
        } else {
            head = node
        }
        tail = node
        return node
    }

    func remove(_ node: Node) {
        if let p = node.prev { p.next = node.next } else { head = node.next }
        if let n = node.next { n.prev = node.prev }
        node.prev = nil
        node.next = nil
    }

    var values: [Int] {
        var out: [Int] = []
        var node = head
        while let n = node, out.count <= 100 {
            out.append(n.value)
            node = n.next
        }
        return out
    }
}

/// An id allocator that reserves ids in blocks of two, persisting the end
/// of the block before handing any of it out, and resumes from the
/// persisted end after a restart. It should reserve a new block when the
/// next id reaches the reserved end; this one checks `next > reserved`, so
/// the id at a block's end goes out unreserved, and again after a restart.
final class BlockIDAllocator {
    private var next = 0
    private var reserved = 0
    private var persisted = 0

    init() { reserve() }

    private func reserve() {
        reserved = next + 2
        persisted = reserved
    }

    func allocate() -> Int {
        if next > reserved { reserve() }
        defer { next += 1 }
        return next
    }

    func restart() {
        next = persisted
        reserved = persisted
    }
}

/// The thirty-sixth batch, written by someone who had not read the
/// shrinker: a fixed-point rounding whose add wraps, a gain multiplied in
/// 16 bits, a timebase conversion that multiplies first, tabs expanded from
/// the input index, a heading wrap that can return 360, a run-length
/// encoder that leaves a pair of marker bytes unescaped, a chunked body
/// with an empty chunk, a line and column that forget the newline, a
/// MessagePack reader that takes int 8 as unsigned, extents merged by
/// frame only, an LFU cache whose overwrite resets the count, a resolver
/// cache whose hits restart the TTL, a linked list that keeps a stale tail
/// and an id allocator that hands out a block's end unreserved.
func thirtySixthBatch() -> [Problem] { [
    // Int32 Q16.16 values: rounding with a wrapping add must round as in 64 bits.
    // Minimum: no negative value wraps and a positive one wraps exactly
    // from 0x7FFF8000 on, so the least failing rank is the least of those.
    problem("q16_round_half_add_wraps_near_max", Gen.integers(of: Int32.self), ideal: { $0 == 2_147_450_880 }) { x in
        try check(q16RoundWrapping(x) == q16RoundExact(x))
    },
    // (Int16 sample, UInt8 gain): the gain stage in Int16 must give the Int32 one.
    // Minimum: the sample comes first; every sample of magnitude 128 or less
    // (and -128) keeps |s * g| within Int16 for every gain, 129 is the next
    // in rank (before -129), and with it only the gain 255 overflows
    // (129 * 254 = 32766).
    problem("mixer_gain_product_in_int16_wraps", Gen.zip(Gen.integers(of: Int16.self), Gen.integers(of: UInt8.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (129, 255) }) { t in
        try check(mixGainWrapping(t.0, t.1) == mixGainExact(t.0, t.1))
    },
    // UInt64 ticks: where the exact nanoseconds fit, the multiply-first conversion must give them.
    // Minimum: the product wraps from ceil(2^64 / 125) on, where the exact
    // result (about 6.1e18) still fits, and below it nothing wraps.
    problem("timebase_ticks_to_ns_multiply_wraps", Gen.integers(of: UInt64.self), ideal: { $0 == 147_573_952_589_676_413 }) { ticks in
        if let exact = ticksToNanosExact(ticks) { try check(ticksToNanosWrapping(ticks) == exact) }
    },
    // Lines over "a" and a tab: tabs expanded from the input index must be expanded as from the column.
    // Minimum: a lone tab is at column 0 either way, and with one character
    // before or after it the index is the column; of the four lines of two
    // characters only two tabs fail (8 + 7 spaces instead of 8 + 8).
    problem("tab_expand_stops_from_input_index", Gen.strings(of: Gen.characters(from: "a\t")),
            show: { "'" + $0.map { $0 == "\t" ? "\\t" : String($0) }.joined() + "'" }, ideal: { $0 == "\t\t" }) { s in
        try check(expandTabs(s, fromInputIndex: true) == expandTabs(s, fromInputIndex: false))
    },
    // Headings of -3600...3600 degrees: the wrapped heading must be in [0, 360).
    // Minimum: no positive value fails (this far below 2^53 the quotient
    // never rounds up to a whole number and the rest is exact), nor a
    // negative one of magnitude 2^-44 or more (360 - |x| then rounds below
    // 360). Negative values come after the positive ones; among them the
    // integers first, then the exponents 2^0, 2^1, ... (past 3600 only the
    // bound), then 2^-1, 2^-2, ..., each with its simplest mantissa first, so
    // the first failing is -2^-45, where 360 - 2^-45 is a tie that rounds to
    // even, 360.
    problem("heading_wrap_floor_rounds_to_360", Gen.doubles(in: -3600...3600), show: pyFloat, ideal: { $0 == -0x1p-45 }) { x in
        let h = wrappedHeading(x)
        try check(h >= 0 && h < 360)
    },
    // Byte strings of 0...16 bytes: decoding the run-length encoding must give them back.
    // Minimum: a lone byte is written right whatever it is, so the shortest
    // failure is a pair, and a pair fails only when it is two equal bytes
    // of 0xC0 or more (two different bytes go out one by one, right): the
    // least is 0xC0 twice.
    problem("pcx_rle_pair_of_marker_bytes_unescaped", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [0xC0, 0xC0] }) { b in
        try check(pcxDecode(pcxEncode(b)) == b)
    },
    // Lists of chunks of 0...8 bytes: the decoded chunked body must be the chunks' bytes.
    // Minimum: one chunk reads back whether empty or not (an empty one ends
    // the body with nothing lost), so two are needed: an empty one first,
    // which hides the second, the least of which is one zero byte.
    problem("chunked_body_empty_chunk_ends_early", Gen.arrays(of: Gen.bytes(count: 0...8)), show: { pyList($0.map(pyBytes)) },
            ideal: { $0 == [[], [0]] }) { chunks in
        try check(chunkedDecode(chunkedEncode(chunks)) == chunks.flatMap { $0 })
    },
    // A text over "a" and a newline, then an offset 0...its length: the line and column must be right.
    // Minimum: the text comes first; without a newline the walk is right,
    // "a" comes before the newline, and "\n" fails at its offset 1 (the next
    // line's start) only.
    problem("cursor_line_column_forgets_newline",
            Gen.strings(of: Gen.characters(from: "a\n")).flatMap { s in Gen.integers(in: 0...Int64(s.count)).map { (s, $0) } },
            show: { "('" + $0.0.map { $0 == "\n" ? "\\n" : String($0) }.joined() + "', \($0.1))" },
            ideal: { $0 == ("\n", 1) }) { t in
        try check(lineColumn(t.0, Int(t.1), countsNewline: false) == lineColumn(t.0, Int(t.1), countsNewline: true))
    },
    // nil, booleans, Int64s and strings over "ab" (in that order of simplicity): packed and unpacked.
    // Minimum: only int 8's range (-128...-33) is misread, so the one-of
    // must take its third branch; there the ranks run 0, 1, -1, ..., 32, -32,
    // 33, -33, and -33 is the first in that range.
    problem("msgpack_int8_payload_read_unsigned",
            Gen.oneOf(Gen.just(PackValue.none), Gen.booleans().map { PackValue.bool($0) },
                      Gen.integers(of: Int64.self).map { PackValue.int($0) },
                      Gen.strings(of: Gen.characters(from: "ab")).map { PackValue.str($0) }),
            show: \.repr, ideal: { $0 == .int(-33) }) { v in
        try check(PackValue(unpacking: v.packed) == v)
    },
    // Mappings of pages 0...15 to frames 0...15: the extents must stand for the mappings.
    // Minimum: one mapping is one extent, so two are needed, drawn in order;
    // the first at (0, 0), the second's page 1 merges only with frame 1,
    // which is right, and page 2 wrongly merges with frame 1.
    problem("extent_merge_checks_frame_not_page",
            Gen.dictionaries(keys: Gen.integers(in: 0...15), values: Gen.integers(in: 0...15)),
            show: pyDict, ideal: { $0 == [0: 0, 2: 1] }) { map in
        try check(expandedExtents(pageExtents(map)) == map)
    },
    // puts (keys 0...3, values 0...9) and gets on a two-entry LFU cache whose overwrite resets the count.
    // Minimum: a failure needs an eviction that picks differently, so a put
    // of a third key, and a count that differs, so an overwrite before it;
    // put 0 twice, put 1 and put 2 is the shortest such run, puts before gets.
    machineProblem("machine_lfu_overwrite_resets_count", StateMachine<OverwriteLFUCache, OverwriteLFUCache>(
        model: { OverwriteLFUCache(resetsOnOverwrite: false) }, system: { OverwriteLFUCache(resetsOnOverwrite: true) },
        rules: [
            .init("put") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                model.put(key, value)
                cache.put(key, value)
            },
            .init("get") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let expected = model.get(key)
                let got = cache.get(key)
                try expect(got == expected, "get \(key) gave \(String(describing: got)), expected \(String(describing: expected))")
            },
        ],
        check: { model, cache in
            try expect(cache.contents == model.contents, "cache holds \(cache.contents), expected \(model.contents)")
        }),
        ideal: ["put(key: 0, value: 0)", "put(key: 0, value: 0)", "put(key: 1, value: 0)", "put(key: 2, value: 0)"]),
    // puts (names 0...3, TTLs 1...30 s) and lookups 0...30 s after the step before, on a cache whose hits restart the TTL.
    // Minimum: a hit must come after some time and before the record's end,
    // and a later lookup must reach that end without reaching the restarted
    // one, so three steps; a TTL of 1 leaves no time for the hit, so TTL 2,
    // a hit 1 s later and a lookup 1 s after that.
    machineProblem("machine_resolver_cache_hit_restarts_ttl", StateMachine<ResolverCache, ResolverCache>(
        model: { ResolverCache(hitRefreshes: false) }, system: { ResolverCache(hitRefreshes: true) },
        rules: [
            .init("put") { model, cache, step in
                let name = try step.draw(Gen.ints(in: 0...3), "name")
                let ttl = try step.draw(Gen.ints(in: 1...30), "ttl")
                model.put(name, ttl: ttl)
                cache.put(name, ttl: ttl)
            },
            .init("get") { model, cache, step in
                let name = try step.draw(Gen.ints(in: 0...3), "name")
                let seconds = try step.draw(Gen.ints(in: 0...30), "after")
                model.tick(seconds)
                cache.tick(seconds)
                let expected = model.get(name)
                let got = cache.get(name)
                try expect(got == expected, "get \(name) hit: \(got), expected \(expected)")
            },
        ],
        check: { model, cache in
            try expect(cache.live == model.live, "live \(cache.live), expected \(model.live)")
        }),
        ideal: ["put(name: 0, ttl: 2)", "get(name: 0, after: 1)", "get(name: 0, after: 1)"]),
    // appends of 0...9 and removals of a node on a linked list whose unlink keeps a stale tail.
    // Minimum: a failure needs an append after removing the last node, so
    // three steps at least; append, remove it and append is the only such
    // run of three.
    machineProblem("machine_list_unlink_last_keeps_stale_tail", StateMachine<[(ObjectIdentifier, Int)], StaleTailList>(
        model: { [] }, system: StaleTailList.init,
        rules: [
            .init("append") { model, list, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                let node = list.append(x)
                model.append((ObjectIdentifier(node), x))
                step.produce(node, into: "nodes")
            },
            .init("remove", precondition: { !$0.isEmpty }) { model, list, step in
                let node = try step.pick(from: "nodes", as: StaleTailList.Node.self, label: "node", remove: true)
                model.removeAll { $0.0 == ObjectIdentifier(node) }
                list.remove(node)
            },
        ],
        check: { model, list in
            try expect(list.values == model.map { $0.1 }, "list reads \(list.values), expected \(model.map { $0.1 })")
        }),
        ideal: ["v1 = append(x: 0)", "remove(node: v1)", "v2 = append(x: 0)"]),
    // allocations and restarts on an id allocator that hands out a block's end unreserved: no id twice.
    // Minimum: an id is handed out twice only after a restart that follows
    // an id handed out unreserved, which at the earliest is the third
    // allocation or the first after a restart; restart, allocate, restart,
    // allocate is the only failing run of four steps (two choices each).
    machineProblem("machine_id_block_end_handed_out_unreserved", StateMachine<Set<Int>, BlockIDAllocator>(
        model: { [] }, system: BlockIDAllocator.init,
        rules: [
            .init("allocate") { issued, allocator, _ in
                let id = allocator.allocate()
                try expect(!issued.contains(id), "id \(id) handed out twice")
                issued.insert(id)
            },
            .init("restart") { _, allocator, _ in allocator.restart() },
        ]),
        ideal: ["restart()", "allocate()", "restart()", "allocate()"]),
] }
