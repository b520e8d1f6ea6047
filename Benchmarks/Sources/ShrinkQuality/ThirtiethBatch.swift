// The thirtieth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirtieth batch at its end). Every expected minimum is the same in both
// engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// `size` rounded up to a multiple of 2^shift as
/// `(size + align - 1) & ~(align - 1)` in `UInt32`: within `align - 1` of
/// the top the sum wraps and the result falls below the size.
func alignUp32(_ size: UInt32, shift: UInt8) -> UInt32 {
    let align = UInt32(1) << shift
    return (size &+ (align - 1)) & ~(align - 1)
}

let slipEnd: UInt8 = 0xC0, slipEsc: UInt8 = 0xDB, slipEscEnd: UInt8 = 0xDC, slipEscEsc: UInt8 = 0xDD

/// SLIP framing (RFC 1055): each packet ends with END, and an END inside a
/// packet is sent as ESC ESC_END; the encoder forgets to send an ESC inside
/// a packet as ESC ESC_ESC.
func slipEncode(_ packets: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    for packet in packets {
        for b in packet { out += b == slipEnd ? [slipEsc, slipEscEnd] : [b] }
        out.append(slipEnd)
    }
    return out
}

/// Packets back from a SLIP stream: after an ESC, ESC_END and ESC_ESC stand
/// for END and ESC and any other byte for itself; empty packets are
/// skipped (so the packets sent are never empty) and an unfinished one is
/// dropped.
func slipDecode(_ stream: [UInt8]) -> [[UInt8]] {
    var packets: [[UInt8]] = [], current: [UInt8] = []
    var escaped = false
    for b in stream {
        if escaped {
            current.append(b == slipEscEnd ? slipEnd : b == slipEscEsc ? slipEsc : b)
            escaped = false
        } else if b == slipEsc {
            escaped = true
        } else if b == slipEnd {
            if !current.isEmpty { packets.append(current) }
            current = []
        } else {
            current.append(b)
        }
    }
    return packets
}

/// Records [length][payload] read back to back from a stream that may stop
/// short; the bounds check compares the offset plus the length with the
/// stream's size, leaving out the length byte itself. The ends of the
/// payloads it accepts.
func recordPayloadEnds(_ stream: [UInt8]) -> [Int] {
    var ends: [Int] = []
    var pos = 0
    while pos + 1 <= stream.count {
        let length = Int(stream[pos])
        guard pos + length <= stream.count else { break }
        ends.append(pos + 1 + length)
        pos += 1 + length
    }
    return ends
}

/// A doubled Luhn digit: twice the digit, less 9 when that is over 9.
func luhnDoubled(_ d: Int) -> Int { 2 * d > 9 ? 2 * d - 9 : 2 * d }

/// The Luhn check digit of a payload, doubling every second digit counted
/// from the left: right for odd lengths only, where the payload's last digit
/// (the one next to the check digit) is among the doubled ones.
func luhnCheckDigitFromLeft(_ payload: String) -> Int {
    let sum = payload.compactMap(\.wholeNumberValue).enumerated()
        .reduce(0) { $0 + ($1.offset % 2 == 0 ? luhnDoubled($1.element) : $1.element) }
    return (10 - sum % 10) % 10
}

/// The Luhn check: every second digit doubled counting from the right, the
/// check digit (the last) not doubled.
func luhnValid(_ number: String) -> Bool {
    number.compactMap(\.wholeNumberValue).reversed().enumerated()
        .reduce(0) { $0 + ($1.offset % 2 == 1 ? luhnDoubled($1.element) : $1.element) } % 10 == 0
}

/// Float samples formatted through a cache keyed by the value: 0.0 and
/// -0.0 are equal keys, so whichever comes first answers for both.
func formattedWithCache(_ xs: [Float]) -> [String] {
    var cache: [Float: String] = [:]
    return xs.map { x in
        if let text = cache[x] { return text }
        cache[x] = pyFloat(Double(x))
        return pyFloat(Double(x))
    }
}

/// A set of pages fingerprinted as the XOR of page + 1 over its pages; a
/// snapshot deduplicator takes equal fingerprints for equal sets, but three
/// pages or more can cancel out.
func xorFingerprint(_ pages: Set<Int64>) -> Int64 { pages.reduce(0) { $0 ^ ($1 + 1) } }

/// The dot product of two sparse vectors (index -> value) by a merge over
/// their sorted indices; at a mismatch it moves on the side with the
/// greater index instead of the lesser, so it walks past matches.
func sparseDotByMerge(_ a: [Int64: Int64], _ b: [Int64: Int64]) -> Int64 {
    let ka = a.keys.sorted(), kb = b.keys.sorted()
    var i = 0, j = 0
    var sum: Int64 = 0
    while i < ka.count && j < kb.count {
        if ka[i] == kb[j] {
            sum += a[ka[i]]! * b[kb[j]]!
            i += 1
            j += 1
        } else if ka[i] < kb[j] {
            j += 1
        } else {
            i += 1
        }
    }
    return sum
}

func sparseDot(_ a: [Int64: Int64], _ b: [Int64: Int64]) -> Int64 { a.reduce(0) { $0 + $1.value * (b[$1.key] ?? 0) } }

/// A JSON value of nulls, booleans, small integers and arrays.
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case array([JSONValue])

    var repr: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let x): return "\(x)"
        case .array(let xs): return "[" + xs.map(\.repr).joined(separator: ", ") + "]"
        }
    }

    /// The compact JSON text.
    var serialized: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let x): return "\(x)"
        case .array(let xs): return "[" + xs.map(\.serialized).joined(separator: ",") + "]"
        }
    }

    /// The output buffer a writer reserves: exact for the scalars, but an
    /// array counts its brackets and its elements and not the commas
    /// between them.
    var reservedSize: Int {
        switch self {
        case .null: return 4
        case .bool(let b): return b ? 4 : 5
        case .int(let x): return "\(x)".count
        case .array(let xs): return 2 + xs.map(\.reservedSize).reduce(0, +)
        }
    }
}

/// A record field on the wire: a tag byte, then four little-endian bytes,
/// or a length byte and that many bytes.
enum WireField: Equatable, Sendable {
    case int(Int32)
    case text(String)
    case blob([UInt8])

    var repr: String {
        switch self {
        case .int(let x): return "('int', \(x))"
        case .text(let s): return "('text', \(pyString(s)))"
        case .blob(let b): return "('blob', \(pyBytes(b)))"
        }
    }
}

/// Fields encoded with a text's length byte taken from its count of
/// characters where the reader expects its count of UTF-8 bytes.
func wireEncode(_ fields: [WireField]) -> [UInt8] {
    var out: [UInt8] = []
    for field in fields {
        switch field {
        case .int(let x): out += [0] + (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: x) >> (8 * $0)) }
        case .text(let s): out += [1, UInt8(truncatingIfNeeded: s.count)] + Array(s.utf8)
        case .blob(let b): out += [2, UInt8(truncatingIfNeeded: b.count)] + b
        }
    }
    return out
}

/// Fields back from bytes (invalid UTF-8 replaced), nil when a tag is
/// unknown or a field runs past the end.
func wireDecode(_ b: [UInt8]) -> [WireField]? {
    var out: [WireField] = []
    var i = 0
    while i < b.count {
        let tag = b[i]
        i += 1
        switch tag {
        case 0:
            guard i + 4 <= b.count else { return nil }
            out.append(.int(Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[i + $1]) << (8 * $1) })))
            i += 4
        case 1, 2:
            guard i + 1 <= b.count else { return nil }
            let n = Int(b[i])
            i += 1
            guard i + n <= b.count else { return nil }
            let chunk = Array(b[i..<(i + n)])
            i += n
            out.append(tag == 1 ? .text(String(decoding: chunk, as: UTF8.self)) : .blob(chunk))
        default:
            return nil
        }
    }
    return out
}

/// A ring of `capacity` slots that turns a position into a slot with
/// `& (capacity - 1)`, which is `% capacity` only for powers of two: the
/// items pushed (no more than the capacity), read back in order.
func ringMaskedReadBack(_ capacity: Int64, _ items: [UInt8]) -> [UInt8] {
    let mask = Int(capacity) - 1
    var slots = [UInt8](repeating: 0, count: Int(capacity))
    for (i, x) in items.enumerated() { slots[i & mask] = x }
    return items.indices.map { slots[$0 & mask] }
}

/// A first-fit page allocator over a 32-page bitmap. `freesWholeRun: false`
/// clears the mask `(1 << n - 1) << start` as C reads it,
/// `1 << (n - 1) << start`: only the run's last page, so a run of two pages
/// or more stays partly in use.
final class PageBitmap {
    private(set) var bits: UInt32 = 0
    private(set) var live = 0
    let freesWholeRun: Bool
    init(freesWholeRun: Bool) { self.freesWholeRun = freesWholeRun }

    static func run(_ start: Int, _ n: Int) -> UInt32 { ((UInt32(1) << n) - 1) << start }

    /// The first page of a free run of `n` pages, nil when there is none.
    func alloc(_ n: Int) -> Int? {
        guard let start = (0...(32 - n)).first(where: { bits & Self.run($0, n) == 0 }) else { return nil }
        bits |= Self.run(start, n)
        live += 1
        return start
    }

    func free(_ start: Int, _ n: Int) {
        bits &= ~(freesWholeRun ? Self.run(start, n) : (UInt32(1) << (n - 1)) << start)
        live -= 1
    }
}

/// An intern table of names with reference counts: the first intern of a
/// name stores it with one reference and a release drops one, the name
/// with its last; but an intern that finds the name stored takes no
/// reference, so one holder's release drops the name under the other.
final class InternTable {
    private var references: [Int: Int] = [:]
    func intern(_ name: Int) { if references[name] == nil { references[name] = 1 } }
    func release(_ name: Int) {
        guard let n = references[name] else { return }
        references[name] = n == 1 ? nil : n - 1
    }
    var names: Set<Int> { Set(references.keys) }
}

/// A text editor's undo and redo of typed characters: undo moves the last
/// edit to the redo stack and redo types it again. `editClearsRedo: false`
/// keeps the redo stack through a new edit, so a redo after it types a
/// character undone before that edit.
struct UndoEditor {
    var text = ""
    var undone: [Character] = [], done: [Character] = []
    let editClearsRedo: Bool

    mutating func insert(_ c: Character) {
        text.append(c)
        done.append(c)
        if editClearsRedo { undone.removeAll() }
    }

    mutating func undo() {
        guard let c = done.popLast() else { return }
        text.removeLast()
        undone.append(c)
    }

    mutating func redo() {
        guard let c = undone.popLast() else { return }
        text.append(c)
        done.append(c)
    }
}

/// A connection pool: acquire takes the connection released last or opens
/// a new one. A release of a connection that broke in use closes it and
/// then puts it among the idle ones all the same.
final class ConnectionPool {
    private var idle: [Int] = []
    private var opened = 0
    private(set) var closed: Set<Int> = []
    func acquire() -> Int {
        if let c = idle.popLast() { return c }
        opened += 1
        return opened - 1
    }
    func release(_ c: Int, broken: Bool) {
        if broken { closed.insert(c) }
        idle.append(c)
    }
}

/// The connections held, and those that broke.
struct PoolModel {
    var held = 0
    var broken: Set<Int> = []
}

/// The thirtieth batch, written by someone who had not read the shrinker:
/// alignment rounding that wraps in `UInt32`, SLIP framing that leaves ESC
/// unescaped, a record reader's bounds check without the length byte, Luhn
/// doubling counted from the left, a format cache that merges the signed
/// zeros, snapshots deduplicated by an XOR fingerprint, a sparse dot
/// product's merge moving the wrong side, a JSON writer's buffer without
/// the commas, a text's length in characters on the wire, a ring indexed by
/// a mask of any capacity, a page bitmap freed by a mask of one page, an
/// intern table whose hit takes no reference, a new edit keeping the redo
/// stack and a pool that keeps a broken connection.
func thirtiethBatch() -> [Problem] { [
    // (UInt32 size, shift 0...12) rounded up to a multiple of 2^shift in UInt32 arithmetic.
    problem("align_up_u32_wraps_below_size", Gen.zip(Gen.integers(of: UInt32.self), Gen.integers(of: UInt8.self, in: 0...12)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (4_294_963_201, 12) }) { t in
        try check(alignUp32(t.0, shift: t.1) >= t.0)
    },
    // Packets of 1...16 bytes through SLIP framing whose encoder leaves ESC unescaped.
    problem("slip_encoder_leaves_esc_unescaped", Gen.arrays(of: Gen.bytes(count: 1...16)), show: { pyList($0.map(pyBytes)) },
            ideal: { $0 == [[0xDB]] }) { packets in
        try check(slipDecode(slipEncode(packets)) == packets)
    },
    // (payloads of 0...8 bytes, 0...3 bytes missing at the end): length-prefixed records read from the stream cut short.
    problem("record_reader_bounds_skip_length_byte",
            Gen.zip(Gen.arrays(of: Gen.bytes(count: 0...8)), Gen.integers(in: 0...3)),
            show: { "(\(pyList($0.0.map(pyBytes))), \($0.1))" }, ideal: { $0.0 == [[0]] && $0.1 == 1 }) { t in
        let stream = Array(t.0.flatMap { [UInt8($0.count)] + $0 }.dropLast(Int(t.1)))
        try check(recordPayloadEnds(stream).allSatisfy { $0 <= stream.count })
    },
    // Digit strings given a Luhn check digit that doubles from the left, then validated.
    problem("luhn_doubles_from_the_left", Gen.strings(of: Gen.characters(from: "0123456789")), show: pyString,
            ideal: { $0 == "01" }) { payload in
        try check(luhnValid(payload + String(luhnCheckDigitFromLeft(payload))))
    },
    // Float samples formatted through a cache keyed by the value, against formatting each.
    problem("format_cache_merges_signed_zeros", Gen.arrays(of: Gen.floats()), show: { pyList($0.map { pyFloat(Double($0)) }) },
            ideal: { $0.count == 2 && $0.allSatisfy { $0 == 0 } && $0[0].sign == .plus && $0[1].sign == .minus }) { xs in
        try check(formattedWithCache(xs) == xs.map { pyFloat(Double($0)) })
    },
    // Pairs of sets of pages 0...15 whose XOR fingerprints are taken to tell them apart.
    problem("snapshot_dedupe_by_xor_fingerprint",
            Gen.zip(Gen.sets(of: Gen.integers(in: 0...15)), Gen.sets(of: Gen.integers(in: 0...15))),
            show: { "(\(pySet($0.0)), \(pySet($0.1)))" }, ideal: { $0.0.isEmpty && $0.1 == [0, 1, 2] }) { t in
        try check(xorFingerprint(t.0) != xorFingerprint(t.1) || t.0 == t.1)
    },
    // Pairs of sparse vectors (index 0...7 -> value -10...10) multiplied by a merge that advances the wrong side.
    problem("sparse_dot_merge_advances_wrong_side",
            Gen.zip(Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.integers(in: -10...10)),
                    Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.integers(in: -10...10))),
            show: { "(\(pyDict($0.0)), \(pyDict($0.1)))" }, ideal: { $0.0 == [0: 0, 1: 1] && $0.1 == [1: 1] }) { t in
        try check(sparseDotByMerge(t.0, t.1) == sparseDot(t.0, t.1))
    },
    // JSON values (null, booleans, integers 0...1000, arrays four levels deep) written into the buffer reserved for them.
    problem("json_size_estimate_forgets_commas",
            Gen.recursive(maxDepth: 4, label: "json",
                          base: Gen.oneOf(Gen.just(JSONValue.null), Gen.booleans().map { JSONValue.bool($0) },
                                          Gen.integers(in: 0...1000).map { JSONValue.int($0) })) { inner in
                Gen.arrays(of: inner).map { JSONValue.array($0) }
            },
            show: { $0.repr }, ideal: { $0 == .array([.null, .null]) }) { v in
        try check(v.serialized.utf8.count <= v.reservedSize)
    },
    // Records of fields (Int32, text over "a€", blob of 0...8 bytes) whose text length is written in characters.
    problem("field_text_length_counts_characters",
            Gen.arrays(of: Gen.oneOf(Gen.integers(of: Int32.self).map { WireField.int($0) },
                                     Gen.strings(of: Gen.characters(from: "a€")).map { WireField.text($0) },
                                     Gen.bytes(count: 0...8).map { WireField.blob($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.text("€")] }) { fields in
        try check(wireDecode(wireEncode(fields)) == fields)
    },
    // A capacity 1...8 drawn first, then at most that many UInt8 items through a ring indexed by a mask.
    problem("ring_mask_index_non_power_of_two",
            Gen.integers(in: 1...8).flatMap { n in Gen.arrays(of: Gen.integers(of: UInt8.self), count: 0...Int(n)).map { (n, $0) } },
            show: { "(\($0.0), \(pyList($0.1)))" }, ideal: { $0.0 == 3 && $0.1 == [0, 1] }) { t in
        try check(ringMaskedReadBack(t.0, t.1) == t.1)
    },
    // Allocations of 1...4 pages and frees on a page bitmap whose free clears one page of the run.
    machineProblem("machine_page_bitmap_free_mask_precedence", StateMachine<PageBitmap, PageBitmap>(
        model: { PageBitmap(freesWholeRun: true) }, system: { PageBitmap(freesWholeRun: false) },
        rules: [
            .init("alloc") { model, bitmap, step in
                let n = try step.draw(Gen.ints(in: 1...4), "pages")
                let expected = model.alloc(n), got = bitmap.alloc(n)
                if let got { step.produce((got, n), into: "blocks") }
                try expect(got == expected, "alloc gave \(String(describing: got)), expected \(String(describing: expected))")
            },
            .init("free", precondition: { $0.live > 0 }) { model, bitmap, step in
                let (start, n) = try step.pick(from: "blocks", as: (Int, Int).self, label: "block", remove: true)
                model.free(start, n)
                bitmap.free(start, n)
            },
        ],
        check: { model, bitmap in
            try expect(bitmap.bits == model.bits, "pages in use \(String(bitmap.bits, radix: 2)), expected \(String(model.bits, radix: 2))")
        }),
        ideal: ["v1 = alloc(pages: 2)", "free(block: v1)"]),
    // Interns of names 0...3 and releases of the handles on a table whose hit takes no reference.
    machineProblem("machine_intern_hit_takes_no_reference", StateMachine<[Int: Int], InternTable>(
        model: { [:] }, system: InternTable.init,
        rules: [
            .init("intern") { model, table, step in
                let name = try step.draw(Gen.ints(in: 0...3), "name")
                table.intern(name)
                model[name, default: 0] += 1
                step.produce(name, into: "handles")
            },
            .init("release", precondition: { !$0.isEmpty }) { model, table, step in
                let name = try step.pick(from: "handles", as: Int.self, label: "handle", remove: true)
                table.release(name)
                model[name] = model[name]! == 1 ? nil : model[name]! - 1
            },
        ],
        check: { model, table in
            try expect(table.names == Set(model.keys), "names \(table.names.sorted()), expected \(model.keys.sorted())")
        }),
        ideal: ["v1 = intern(name: 0)", "v2 = intern(name: 0)", "release(handle: v1)"]),
    // Typing characters from "abc", undo and redo in an editor whose new edit keeps the redo stack.
    machineProblem("machine_undo_edit_keeps_redo_stack", StateMachine<UndoEditor, UndoEditor>(
        model: { UndoEditor(editClearsRedo: true) }, system: { UndoEditor(editClearsRedo: false) },
        rules: [
            .mutating("type") { model, editor, step in
                let c = try step.draw(Gen.characters(from: "abc"), "ch")
                model.insert(c)
                editor.insert(c)
            },
            .mutating("undo") { model, editor, _ in
                model.undo()
                editor.undo()
            },
            .mutating("redo") { model, editor, _ in
                model.redo()
                editor.redo()
            },
        ],
        check: { model, editor in
            try expect(editor.text == model.text, "text \(pyString(editor.text)), expected \(pyString(model.text))")
        }),
        ideal: ["type(ch: \"a\")", "undo()", "type(ch: \"a\")", "redo()"]),
    // Acquires and releases (broken or not) on a pool that puts a broken connection back among the idle ones.
    machineProblem("machine_pool_returns_broken_connection", StateMachine<PoolModel, ConnectionPool>(
        model: { PoolModel() }, system: ConnectionPool.init,
        rules: [
            .init("acquire") { model, pool, step in
                let c = pool.acquire()
                step.produce(c, into: "connections")
                model.held += 1
                try expect(!model.broken.contains(c), "acquire() gave connection \(c), which broke")
            },
            .init("release", precondition: { $0.held > 0 }) { model, pool, step in
                let c = try step.pick(from: "connections", as: Int.self, label: "conn", remove: true)
                let broken = try step.draw(Gen.booleans(), "broken")
                pool.release(c, broken: broken)
                model.held -= 1
                if broken { model.broken.insert(c) }
            },
        ]),
        ideal: ["v1 = acquire()", "release(conn: v1, broken: true)", "v2 = acquire()"]),
] }
