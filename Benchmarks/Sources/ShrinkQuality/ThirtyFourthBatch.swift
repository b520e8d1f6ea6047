// The thirty-fourth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-fourth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A decimal formatter's divide by 10 as a multiply by the reciprocal and a
/// shift, with the 32-bit magic (0xCCCCCCCD, shift 35) in 64-bit
/// arithmetic: exact for 32-bit values, but the product wraps once `x`
/// reaches 2^64 / 0xCCCCCCCD.
func div10ByReciprocal32(_ x: UInt64) -> UInt64 { (x &* 0xCCCC_CCCD) >> 35 }

/// A Q32.32 fixed-point multiply that keeps the low 64 bits of the product
/// before shifting (an arithmetic shift of a wrapped product).
func q32MulWrapped(_ a: Int64, _ b: Int64) -> Int64 { (a &* b) >> 32 }

/// Bits 32...95 of the exact 128-bit product.
func q32MulExact(_ a: Int64, _ b: Int64) -> Int64 {
    let (high, low) = a.multipliedFullWidth(by: b)
    return Int64(bitPattern: UInt64(bitPattern: high) << 32 | low >> 32)
}

/// Gauss's weekday sum (its value mod 7 is the weekday, 0 = Sunday), March
/// as month 1: the day, the month's term, the year of the century and its
/// quarter, the century's quarter, minus twice the century.
func gaussWeekdaySum(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = year - (month < 3 ? 1 : 0)
    let (c, yy) = (y / 100, y % 100)
    let m = (month + 9) % 12 + 1
    return day + (26 * m - 2) / 10 + yy + yy / 4 + c / 4 - 2 * c
}

/// A stopwatch that shows seconds and tenths by taking the whole seconds
/// and then rounding the rest to tenths (1.96875 reads "1.10"), and the
/// one that rounds the position to tenths first ("2.0").
func stopwatchSplitThenRound(_ x: Double) -> String {
    let whole = Int(x)
    return "\(whole).\(Int(((x - Double(whole)) * 10).rounded()))"
}

func stopwatchRoundThenSplit(_ x: Double) -> String {
    let total = Int((x * 10).rounded())
    return "\(total / 10).\(total % 10)"
}

/// Bytes as a C string literal's body: printable ASCII as itself (quote and
/// backslash escaped), every other byte as \x and two hex digits.
func cLiteralEscape(_ bytes: [UInt8]) -> String {
    var out = ""
    for b in bytes {
        switch b {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
        default: out += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
        }
    }
    return out
}

/// A C compiler's reading of the literal: \x takes every hex digit that
/// follows (keeping the value's low byte), so a hex digit after an escaped
/// byte is eaten by the escape.
func cLiteralUnescape(_ text: String) -> [UInt8] {
    let s = Array(text.unicodeScalars)
    var out: [UInt8] = []
    var i = 0
    while i < s.count {
        if s[i] != "\\" {
            out.append(UInt8(s[i].value))
            i += 1
        } else if s[i + 1] == "x" {
            var j = i + 2
            var value = 0
            while j < s.count, let digit = Int(String(s[j]), radix: 16) {
                value = (value * 16 + digit) & 0xFF
                j += 1
            }
            out.append(UInt8(value))
            i = j
        } else {
            out.append(UInt8(s[i + 1].value))
            i += 2
        }
    }
    return out
}

/// A config line without its "#" comment; a "#" inside double quotes is
/// text. With `escapes: false` it is the buggy stripper, which does not know
/// that a backslash escapes a quote inside quotes.
func strippingComment(_ line: String, escapes: Bool) -> String {
    let cs = Array(line)
    var inString = false, escaped = false
    for (i, c) in cs.enumerated() {
        if inString {
            if escaped {
                escaped = false
            } else if c == "\\" && escapes {
                escaped = true
            } else if c == "\"" {
                inString = false
            }
        } else if c == "\"" {
            inString = true
        } else if c == "#" {
            return String(cs[..<i])
        }
    }
    return line
}

/// A jagged array flattened row after row and indexed as if every row were
/// as wide as the first: whether every element reads back.
func raggedReadsBack(_ rows: [[Int64]]) -> Bool {
    let flat = rows.flatMap { $0 }
    let width = rows.first?.count ?? 0
    for (i, row) in rows.enumerated() {
        for (j, x) in row.enumerated() {
            let k = i * width + j
            if k >= flat.count || flat[k] != x { return false }
        }
    }
    return true
}

/// A sparse array written as its values in the order of its keys sorted as
/// strings (as a JSON object's keys are) and read back by pairing them with
/// the keys in numeric order: "10" sorts before "2".
func sparseArrayRoundTrip(_ d: [Int64: Int8]) -> [Int64: Int8] {
    let values = d.keys.sorted { String($0) < String($1) }.map { d[$0]! }
    return Dictionary(uniqueKeysWithValues: zip(d.keys.sorted(), values))
}

/// A number printed in base 2...16 by adding each digit to "0" (right only
/// up to 9: 10 comes out as ":"), parsed back with "0-9a-f"; nil when a
/// character is not a digit of the base.
func radixRoundTrip(_ x: Int64, base: Int64) -> Int64? {
    var digits: [Character] = []
    var rest = x
    repeat {
        digits.append(Character(Unicode.Scalar(UInt8(48 + rest % base))))
        rest /= base
    } while rest != 0
    let alphabet = Array("0123456789abcdef")
    var value: Int64 = 0
    for c in digits.reversed() {
        guard let d = alphabet.firstIndex(of: c), Int64(d) < base else { return nil }
        value = value * base + Int64(d)
    }
    return value
}

/// An instruction of a small ISA: no-op, add-immediate, load at an offset.
enum SmallInsn: Equatable, Sendable {
    case nop
    case addi(Int16)
    case load(Int16)

    var repr: String {
        switch self {
        case .nop: return "('nop',)"
        case .addi(let x): return "('addi', \(x))"
        case .load(let x): return "('load', \(x))"
        }
    }

    /// The 32-bit word: opcode in the low byte; addi's 16-bit immediate in
    /// the top half; load's offset in a 12-bit field at bit 20, masked
    /// without checking that it fits (-2048...2047).
    var word: UInt32 {
        switch self {
        case .nop: return 0
        case .addi(let x): return 1 | UInt32(UInt16(bitPattern: x)) << 16
        case .load(let x): return 2 | (UInt32(UInt16(bitPattern: x)) & 0xFFF) << 20
        }
    }

    init(word: UInt32) {
        switch word & 0xFF {
        case 0: self = .nop
        case 1: self = .addi(Int16(bitPattern: UInt16(word >> 16)))
        default: self = .load(Int16(word >> 20) - (word >> 20 >= 0x800 ? 0x1000 : 0))
        }
    }
}

/// An arithmetic expression over digits with +, * and ^ (binding ever more
/// tightly; ^ associates to the right).
indirect enum PowExpr: Equatable, Sendable {
    case digit(Int64)
    case op(Character, PowExpr, PowExpr)

    static let precedence: [Character: Int] = ["+": 1, "*": 2, "^": 3]

    var repr: String {
        switch self {
        case .digit(let d): return "\(d)"
        case .op(let op, let l, let r): return "(\(l.repr) \(op) \(r.repr))"
        }
    }

    /// The pretty printer: an operand goes in parentheses when its operator
    /// binds less tightly, or, on the right, as tightly. Right for + and *,
    /// but ^ associates to the right, so a left operand that is itself a
    /// power loses its parentheses.
    var printed: String {
        switch self {
        case .digit(let d): return "\(d)"
        case .op(let op, let l, let r):
            var ls = l.printed, rs = r.printed
            if case .op(let lop, _, _) = l, Self.precedence[lop]! < Self.precedence[op]! { ls = "(" + ls + ")" }
            if case .op(let rop, _, _) = r, Self.precedence[rop]! <= Self.precedence[op]! { rs = "(" + rs + ")" }
            return ls + " " + String(op) + " " + rs
        }
    }

    /// Arithmetic modulo 2^64 (0 ^ 0 is 1).
    var value: UInt64 {
        switch self {
        case .digit(let d): return UInt64(d)
        case .op(let op, let l, let r):
            let (a, b) = (l.value, r.value)
            switch op {
            case "+": return a &+ b
            case "*": return a &* b
            default:
                var (result, base, e) = (UInt64(1), a, b)
                while e > 0 {
                    if e & 1 == 1 { result &*= base }
                    base &*= base
                    e >>= 1
                }
                return result
            }
        }
    }

    /// Reads a printed expression by precedence climbing.
    static func parse(_ text: String) -> PowExpr {
        var tokens: [String] = []
        for c in text where c != " " {
            if c.isNumber, let last = tokens.last, last.allSatisfy(\.isNumber) {
                tokens[tokens.count - 1].append(c)
            } else {
                tokens.append(String(c))
            }
        }
        var pos = 0
        func atom() -> PowExpr {
            let token = tokens[pos]
            pos += 1
            if token == "(" {
                let e = expr(1)
                pos += 1
                return e
            }
            return .digit(Int64(token)!)
        }
        func expr(_ minPrecedence: Int) -> PowExpr {
            var lhs = atom()
            while pos < tokens.count, let op = tokens[pos].first, let p = precedence[op], tokens[pos].count == 1, p >= minPrecedence {
                pos += 1
                let rhs = expr(op == "^" ? p : p + 1)
                lhs = .op(op, lhs, rhs)
            }
            return lhs
        }
        return expr(1)
    }
}

/// First fit over 16 units from an address-ordered free list of (start,
/// length) blocks, allocating from a block's start. A free merges the block
/// with the free block before it and the one after it, but after merging
/// with the one after it leaves that block on the list, so a later
/// allocation can hand out its units again.
final class AbsorbingFreeList {
    private var free: [[Int]] = [[0, 16]]

    private static func ordered(_ blocks: [[Int]]) -> [[Int]] {
        blocks.filter { $0[1] > 0 }.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
    }

    func alloc(_ n: Int) -> Int? {
        guard let i = free.firstIndex(where: { $0[1] >= n }) else { return nil }
        let start = free[i][0]
        free[i] = [start + n, free[i][1] - n]
        free = Self.ordered(free)
        return start
    }

    func release(_ start: Int, size n: Int) {
        var blocks = Self.ordered(free + [[start, n]])
        let i = blocks.firstIndex(of: [start, n])!
        if i + 1 < blocks.count && start + n == blocks[i + 1][0] {
            blocks[i] = [start, n + blocks[i + 1][1]]  // the block after it stays on the list
        }
        if i > 0 && blocks[i - 1][0] + blocks[i - 1][1] == start {
            blocks[i - 1] = [blocks[i - 1][0], blocks[i - 1][1] + blocks[i][1]]
            blocks.remove(at: i)
        }
        free = Self.ordered(blocks)
    }
}

/// A multi-version store: every put is a new version of its key, snapshots
/// read the newest version at or below theirs. Its GC keeps the versions
/// newer than the oldest snapshot and should keep the newest one at or
/// below it (the one that snapshot reads); with `keepsVisible: false` it is
/// the buggy GC, which keeps that version only when no newer one is left.
final class VersionStore {
    let keepsVisible: Bool
    private(set) var version = 0
    private(set) var snapshots: [Int] = []
    private var versions: [Int: [(version: Int, value: Int)]] = [:]

    init(keepsVisible: Bool) { self.keepsVisible = keepsVisible }

    func put(_ key: Int, _ value: Int) {
        version += 1
        versions[key, default: []].append((version, value))
    }

    func snapshot() { snapshots.append(version) }

    func gc() {
        let oldest = snapshots.min() ?? version
        for (key, list) in versions {
            var newer = list.filter { $0.version > oldest }
            let older = list.filter { $0.version <= oldest }
            if let visible = older.last, keepsVisible || newer.isEmpty { newer.insert(visible, at: 0) }
            versions[key] = newer
        }
    }

    func read(_ key: Int, at v: Int) -> Int? { versions[key]?.last { $0.version <= v }?.value }
}

/// A radix tree of fanout 4 over indices 0...15. Storing past the tree's
/// reach puts the old root in slot 0 of a new one; erasing prunes the nodes
/// it empties, then shrinks the tree while the root has a single child,
/// which must sit in slot 0 for its indices to stay the same. With
/// `shrinksFromAnySlot` it is the buggy tree, which takes a single child
/// from any slot.
final class RadixTree16 {
    final class Node {
        var children: [Node?] = [nil, nil, nil, nil]
        var values: [Int?] = [nil, nil, nil, nil]
        var isEmpty: Bool { children.allSatisfy { $0 == nil } && values.allSatisfy { $0 == nil } }
    }

    let shrinksFromAnySlot: Bool
    private var root: Node?
    private var height = 0

    init(shrinksFromAnySlot: Bool) { self.shrinksFromAnySlot = shrinksFromAnySlot }

    private func reach(_ h: Int) -> Int { 1 << (2 * h) }

    func store(_ index: Int, _ value: Int) {
        if root == nil {
            height = 1
            while index >= reach(height) { height += 1 }
            root = Node()
        }
        while index >= reach(height) {
            let top = Node()
            top.children[0] = root
            root = top
            height += 1
        }
        var node = root!
        for level in stride(from: height - 1, to: 0, by: -1) {
            let slot = index >> (2 * level) & 3
            if node.children[slot] == nil { node.children[slot] = Node() }
            node = node.children[slot]!
        }
        node.values[index & 3] = value
    }

    func erase(_ index: Int) {
        guard let top = root, index < reach(height) else { return }
        func erase(_ node: Node, _ level: Int) -> Bool {
            let slot = index >> (2 * level) & 3
            if level == 0 {
                guard node.values[slot] != nil else { return false }
                node.values[slot] = nil
                return true
            }
            guard let child = node.children[slot], erase(child, level - 1) else { return false }
            if child.isEmpty { node.children[slot] = nil }
            return true
        }
        guard erase(top, height - 1) else { return }
        if top.isEmpty {
            root = nil
            height = 0
            return
        }
        while height > 1, let r = root {
            let occupied = (0..<4).filter { r.children[$0] != nil }
            guard occupied.count == 1, occupied[0] == 0 || shrinksFromAnySlot else { break }
            root = r.children[occupied[0]]
            height -= 1
        }
    }

    func lookup(_ index: Int) -> Int? {
        guard var node = root, index < reach(height) else { return nil }
        for level in stride(from: height - 1, to: 0, by: -1) {
            guard let child = node.children[index >> (2 * level) & 3] else { return nil }
            node = child
        }
        return node.values[index & 3]
    }
}

/// The thirty-fourth batch, written by someone who had not read the
/// shrinker: a divide by 10 with a 32-bit reciprocal on 64-bit values, a
/// fixed-point product that loses its high half, a weekday formula with C's
/// remainder, a stopwatch that rounds the tenths after splitting, a hex escape
/// that eats the next digit, a comment stripper blind to escaped quotes, a
/// jagged array indexed as a rectangle, a sparse array's keys sorted as
/// strings, digits past 9 printed as punctuation, an instruction's offset
/// masked to 12 bits, a printer that treats ^ as left-associative, a free
/// list that keeps a block it merged, a version GC that drops what a
/// snapshot reads and a radix tree that shrinks onto a child off slot 0.
func thirtyFourthBatch() -> [Problem] { [
    // UInt64 values: the divide by 10 with the 32-bit reciprocal must be x / 10.
    problem("div10_reciprocal_32bit_magic_on_u64", Gen.integers(of: UInt64.self), ideal: { $0 == 5_368_709_120 }) { x in
        try check(div10ByReciprocal32(x) == x / 10)
    },
    // Pairs of Int64: the Q32.32 product from the wrapped 64-bit product must be bits 32...95 of the exact one.
    problem("fixed_q32_mul_drops_high_half", Gen.zip(i64, i64), show: { "(\($0.0), \($0.1))" },
            ideal: { $0 == (-1, Int64.min) }) { t in
        try check(q32MulWrapped(t.0, t.1) == q32MulExact(t.0, t.1))
    },
    // (year 1...4000, month, day 1...28): Gauss's weekday sum reduced with C's % must be the weekday.
    problem("weekday_gauss_truncating_mod_negative",
            Gen.zip(Gen.integers(in: 1...4000), Gen.integers(in: 1...12), Gen.integers(in: 1...28)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (200, 3, 1) }) { t in
        let sum = gaussWeekdaySum(year: t.0, month: t.1, day: t.2)
        try check(sum % 7 == (sum % 7 + 7) % 7)
    },
    // Positions 0...3600 seconds: the stopwatch that rounds after splitting must read as the one that rounds first.
    problem("stopwatch_tenths_rounded_after_split", Gen.doubles(in: 0...3600), show: pyFloat, ideal: { $0 == 1.96875 }) { x in
        try check(stopwatchSplitThenRound(x) == stopwatchRoundThenSplit(x))
    },
    // Byte strings of 0...16 bytes: escaped as a C literal, a compiler must read them back.
    problem("c_literal_hex_escape_swallows_digit", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [0, 0x30] }) { b in
        try check(cLiteralUnescape(cLiteralEscape(b)) == b)
    },
    // Config lines over a, #, double quote and backslash: the buggy stripper against the one that knows escapes.
    problem("comment_strip_ignores_escaped_quote", Gen.strings(of: Gen.characters(from: "a#\"\\")), show: pyString,
            ideal: { $0 == "\"\\\"#" }) { line in
        try check(strippingComment(line, escapes: false) == strippingComment(line, escapes: true))
    },
    // Lists of rows of digits: every element must read back at row * first row's width + column.
    problem("ragged_rows_indexed_by_first_width", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...9))), show: pyNested,
            ideal: { $0 == [[], [0], [1]] }) { rows in
        try check(raggedReadsBack(rows))
    },
    // Dictionaries of indices 0...100 to Int8 values: written with the keys sorted as strings and read back.
    problem("sparse_array_keys_sorted_as_strings",
            Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers(of: Int8.self)),
            show: { pyDict($0.mapValues { Int64($0) }) }, ideal: { $0 == [2: 0, 10: 1] }) { d in
        try check(sparseArrayRoundTrip(d) == d)
    },
    // A base 2...16, then a number below base^3: printed and parsed back in that base.
    problem("radix_format_adds_zero_to_letter_digits",
            Gen.integers(in: 2...16).flatMap { base in Gen.integers(in: 0...(base * base * base - 1)).map { (base, $0) } },
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (11, 10) }) { t in
        try check(radixRoundTrip(t.1, base: t.0) == t.1)
    },
    // No-ops, adds of an Int16 immediate, loads at an Int16 offset: encoded and decoded.
    problem("insn_load_offset_12bit_unchecked",
            Gen.oneOf(Gen.just(SmallInsn.nop), Gen.integers(of: Int16.self).map { SmallInsn.addi($0) },
                      Gen.integers(of: Int16.self).map { SmallInsn.load($0) }),
            show: \.repr, ideal: { $0 == .load(2048) }) { insn in
        try check(SmallInsn(word: insn.word) == insn)
    },
    // Expressions of digits with +, * and ^ three levels deep: printed and parsed back, the value must stay.
    problem("expr_printer_left_power_unparenthesized",
            Gen.recursive(maxDepth: 3, label: "expr", base: Gen.integers(in: 0...9).map { PowExpr.digit($0) }) { inner in
                Gen.zip(Gen.integers(in: 0...2), inner, inner).map { PowExpr.op(Array("+*^")[Int($0.0)], $0.1, $0.2) }
            },
            show: \.repr, ideal: { $0 == .op("^", .op("^", .digit(0), .digit(0)), .digit(0)) }) { e in
        try check(PowExpr.parse(e.printed).value == e.value)
    },
    // allocs of 1...4 units and frees on a free list that keeps the block a free merged with: live blocks must not overlap.
    machineProblem("machine_free_coalesce_keeps_absorbed_block", StateMachine<[Int: [Int]], AbsorbingFreeList>(
        model: { [:] }, system: AbsorbingFreeList.init,
        rules: [
            .init("alloc") { live, heap, step in
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                if let address = heap.alloc(size) {
                    let id = (live.keys.max() ?? 0) + 1
                    live[id] = [address, size]
                    step.produce(id, into: "blocks")
                }
            },
            .init("free", precondition: { !$0.isEmpty }) { live, heap, step in
                let id = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                let block = live.removeValue(forKey: id)!
                heap.release(block[0], size: block[1])
            },
        ],
        check: { live, _ in
            let blocks = live.values.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
            for (a, b) in zip(blocks, blocks.dropFirst()) {
                try expect(a[0] + a[1] <= b[0], "blocks at \(a[0]) and \(b[0]) overlap")
            }
        }),
        ideal: ["v1 = alloc(size: 1)", "free(block: v1)", "v2 = alloc(size: 2)", "v3 = alloc(size: 1)"]),
    // puts (keys 0...3, values 0...9), snapshots and GCs: every snapshot and the latest state must read as with the correct GC.
    machineProblem("machine_mvcc_gc_drops_snapshot_version", StateMachine<VersionStore, VersionStore>(
        model: { VersionStore(keepsVisible: true) }, system: { VersionStore(keepsVisible: false) },
        rules: [
            .init("put") { model, store, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                model.put(key, value)
                store.put(key, value)
            },
            .init("snapshot") { model, store, _ in
                model.snapshot()
                store.snapshot()
            },
            .init("gc") { model, store, _ in
                model.gc()
                store.gc()
            },
        ],
        check: { model, store in
            for version in model.snapshots + [model.version] {
                for key in 0...3 {
                    try expect(store.read(key, at: version) == model.read(key, at: version),
                               "key \(key) at version \(version) reads \(String(describing: store.read(key, at: version)))")
                }
            }
        }),
        ideal: ["put(key: 0, value: 0)", "snapshot()", "put(key: 0, value: 0)", "gc()"]),
    // stores (indices 0...15, values 0...9) and erases on a radix tree that shrinks onto a child in any slot.
    machineProblem("machine_radix_shrink_any_single_child", StateMachine<[Int: Int], RadixTree16>(
        model: { [:] }, system: { RadixTree16(shrinksFromAnySlot: true) },
        rules: [
            .init("store") { model, tree, step in
                let index = try step.draw(Gen.ints(in: 0...15), "index")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                model[index] = value
                tree.store(index, value)
            },
            .init("erase", precondition: { !$0.isEmpty }) { model, tree, step in
                let index = try step.draw(Gen.ints(in: 0...15), "index")
                model[index] = nil
                tree.erase(index)
            },
        ],
        check: { model, tree in
            for index in 0...15 {
                try expect(tree.lookup(index) == model[index], "index \(index) reads \(String(describing: tree.lookup(index)))")
            }
        }),
        ideal: ["store(index: 0, value: 0)", "store(index: 4, value: 0)", "erase(index: 0)"]),
] }
