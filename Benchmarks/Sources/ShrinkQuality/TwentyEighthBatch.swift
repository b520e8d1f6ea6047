// The twenty-eighth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-eighth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// An I/O request as (deadline, disk offset, priority, queue).
typealias IORequest = (Int32, UInt64, Int8, UInt16)

func ioRequestRepr(_ r: IORequest) -> String { "(\(r.0), \(r.1), \(r.2), \(r.3))" }

/// A qsort-style comparator over I/O requests that returns the first
/// non-zero field difference as an `Int32`: the deadline difference wraps
/// and the offset difference is truncated to its low 32 bits (priority and
/// queue differences fit).
func compareIORequestsBySubtraction(_ a: IORequest, _ b: IORequest) -> Int32 {
    let byDeadline = a.0 &- b.0
    if byDeadline != 0 { return byDeadline }
    let byOffset = Int32(truncatingIfNeeded: a.1 &- b.1)
    if byOffset != 0 { return byOffset }
    let byPriority = Int32(a.2) - Int32(b.2)
    if byPriority != 0 { return byPriority }
    return Int32(a.3) - Int32(b.3)
}

/// The order the comparator is meant to give: field by field.
func compareIORequests(_ a: IORequest, _ b: IORequest) -> Int32 {
    if a.0 != b.0 { return a.0 < b.0 ? -1 : 1 }
    if a.1 != b.1 { return a.1 < b.1 ? -1 : 1 }
    if a.2 != b.2 { return a.2 < b.2 ? -1 : 1 }
    return a.3 == b.3 ? 0 : (a.3 < b.3 ? -1 : 1)
}

/// A cursor over pages of records: at the end of a page it moves to the
/// next page once, so a second empty page in a row (or an empty page after
/// a full one) ends the scan. The records it visits.
func pageCursorRecords(_ pages: [[Int64]]) -> [Int64] {
    var out: [Int64] = []
    var page = 0, slot = 0
    while true {
        if page < pages.count && slot == pages[page].count {
            page += 1
            slot = 0
        }
        guard page < pages.count, slot < pages[page].count else { break }
        out.append(pages[page][slot])
        slot += 1
    }
    return out
}

/// Dirty pages coalesced into (start, count) write-back runs; a page that
/// does not extend the run starts a new one without resetting the count,
/// so the new run is as long as the last. The pages written, in order.
func dirtyPageWrites(_ dirty: Set<Int64>) -> [Int64] {
    let pages = dirty.sorted()
    guard let first = pages.first else { return [] }
    var runs: [(start: Int64, count: Int64)] = []
    var start = first, count: Int64 = 0
    for p in pages {
        if p == start + count {
            count += 1
        } else {
            runs.append((start, count))
            start = p
        }
    }
    runs.append((start, count))
    return runs.flatMap { $0.start..<($0.start + $0.count) }
}

func pyOptionalDict(_ d: [Int64: Int64?]) -> String {
    "{" + d.keys.sorted().map { k in "\(k): " + (d[k]!.map { "\($0)" } ?? "None") }.joined(separator: ", ") + "}"
}

/// Whether each process's orphan test agrees with its parent being absent
/// from the table: the test reads the parent's own entry with `?? nil`,
/// which is nil for a missing parent and for a root parent alike.
func orphanTestHolds(_ table: [Int64: Int64?]) -> Bool {
    for case let (_, parent?) in table {
        let missing = !table.keys.contains(parent)
        let orphan = (table[parent] ?? nil) == nil
        if orphan != missing { return false }
    }
    return true
}

/// A key of a dynamic language's table: an integer or a float.
enum RuntimeKey: Equatable {
    case int(Int32)
    case float(Double)

    var repr: String {
        switch self {
        case .int(let i): return "('int', \(i))"
        case .float(let d): return "('float', \(pyFloat(d)))"
        }
    }

    /// Integers hash their value, floats their bits.
    var hashBits: UInt64 {
        switch self {
        case .int(let i): return UInt64(bitPattern: Int64(i))
        case .float(let d): return d.bitPattern
        }
    }

    /// Keys are equal as numbers, 1 == 1.0 included.
    func sameKey(_ other: RuntimeKey) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return Double(a) == b
        }
    }
}

/// CoAP's option nibble (RFC 7252, 3.1): values below 13 in the nibble, 13
/// plus one byte up to 268, 14 plus two bytes above. `literal13: true`
/// writes 13 itself in the nibble, which the decoder reads as "one byte
/// follows".
func coapNibble(_ x: Int, literal13: Bool) -> (nibble: UInt8, extended: [UInt8]) {
    if x < 13 || (literal13 && x == 13) { return (UInt8(x), []) }
    if x < 269 { return (13, [UInt8(x - 13)]) }
    return (14, [UInt8((x - 269) >> 8), UInt8((x - 269) & 0xFF)])
}

/// Options as (delta, value): a header byte of two nibbles, their extended
/// bytes, then the value.
func coapEncode(_ options: [(Int64, [UInt8])], literal13: Bool) -> [UInt8] {
    var out: [UInt8] = []
    for (delta, value) in options {
        let d = coapNibble(Int(delta), literal13: literal13)
        let l = coapNibble(value.count, literal13: literal13)
        out.append(d.nibble << 4 | l.nibble)
        out += d.extended + l.extended + value
    }
    return out
}

/// Options back from bytes, nil when malformed.
func coapDecode(_ b: [UInt8]) -> [(Int64, [UInt8])]? {
    var out: [(Int64, [UInt8])] = []
    var i = 0
    func extended(_ nibble: UInt8) -> Int? {
        switch nibble {
        case 0..<13: return Int(nibble)
        case 13:
            guard i + 1 <= b.count else { return nil }
            i += 1
            return 13 + Int(b[i - 1])
        case 14:
            guard i + 2 <= b.count else { return nil }
            i += 2
            return 269 + (Int(b[i - 2]) << 8 | Int(b[i - 1]))
        default: return nil
        }
    }
    while i < b.count {
        let header = b[i]
        i += 1
        guard let delta = extended(header >> 4), let length = extended(header & 15), i + length <= b.count else { return nil }
        out.append((Int64(delta), Array(b[i..<(i + length)])))
        i += length
    }
    return out
}

/// Host names (RFC 1123) over "a-.": labels of 1...63 characters that
/// neither start nor end with "-". `endOnly: true` checks for a trailing
/// "-" only at the end of the whole name.
func hostnameValid(_ s: String, endOnly: Bool) -> Bool {
    guard !s.isEmpty, s.count <= 253 else { return false }
    for label in s.split(separator: ".", omittingEmptySubsequences: false) {
        guard !label.isEmpty, label.count <= 63, label.first != "-" else { return false }
        if !endOnly && label.last == "-" { return false }
    }
    return s.last != "-"
}

/// A memcmp-ordered key for a Float that flips only the sign bit; negative
/// values need all their bits flipped, so their order comes out reversed.
func floatKeyFlippingSign(_ x: Float) -> UInt32 { x.bitPattern ^ 0x8000_0000 }

indirect enum SearchTree: Equatable, Sendable {
    case empty
    case node(Int64, SearchTree, SearchTree)

    var repr: String {
        switch self {
        case .empty: return "None"
        case .node(let v, let l, let r): return "(\(v), \(l.repr), \(r.repr))"
        }
    }

    /// The check that compares each node with its children only.
    var locallyOrdered: Bool {
        guard case .node(let v, let l, let r) = self else { return true }
        if case .node(let lv, _, _) = l, !(lv < v) { return false }
        if case .node(let rv, _, _) = r, !(rv > v) { return false }
        return l.locallyOrdered && r.locallyOrdered
    }

    var inOrder: [Int64] {
        guard case .node(let v, let l, let r) = self else { return [] }
        return l.inOrder + [v] + r.inOrder
    }
}

/// Rows of `width` bytes written at the pitch (width + 3) & ~3 into a
/// frame laid out, and read back, at the pitch (width | 3) + 1: the two
/// agree except when the width is a multiple of 4.
func pitchRoundTrips(_ width: Int64, _ rows: [[UInt8]]) -> Bool {
    let w = Int(width)
    let writePitch = (w + 3) & ~3, readPitch = (w | 3) + 1
    var frame = [UInt8](repeating: 0, count: readPitch * rows.count)
    for (i, row) in rows.enumerated() { frame.replaceSubrange(i * writePitch..<(i * writePitch + w), with: row) }
    return rows.indices.allSatisfy { Array(frame[($0 * readPitch)..<($0 * readPitch + w)]) == rows[$0] }
}

/// The stripe of an account among 16 locks: a 16-bit Fibonacci hash.
func lockStripe(_ account: UInt16) -> UInt16 { (account &* 40503) >> 12 }

/// A transfer between two accounts locks their stripes in order and skips
/// the second lock only when the accounts are equal. Whether it never takes
/// a (non-recursive) lock it already holds.
func transferLocksOnce(_ a: UInt16, _ b: UInt16) -> Bool {
    var held: Set<UInt16> = []
    for stripe in [lockStripe(a), lockStripe(b)].sorted() {
        guard held.insert(stripe).inserted else { return false }
    }
    return true
}

/// A fast bin: freed blocks on a stack, reused last in first out. Its
/// double-free check compares a freed block with the top of the stack
/// only.
final class Fastbin {
    private var freeBlocks: [Int] = []
    private var next = 0
    func alloc() -> Int {
        if let block = freeBlocks.popLast() { return block }
        next += 1
        return next - 1
    }
    /// False when refused as a double free.
    func free(_ block: Int) -> Bool {
        if freeBlocks.last == block { return false }
        freeBlocks.append(block)
        return true
    }
}

/// The blocks handed out so far and those in use.
struct BlocksInUse {
    var handedOut = 0
    var inUse: Set<Int> = []
}

/// Deferred reclamation of retired objects: an object retired while n
/// readers are inside waits for n reader exits, counting the exits of
/// readers that entered after it too.
final class ExitCountingReclaimer {
    private var inside = 0
    private var waiting: [(object: Int, exitsLeft: Int)] = []
    private(set) var reclaimed: [Int] = []
    private var retired = 0
    func enter() { inside += 1 }
    func exit() {
        inside -= 1
        for k in waiting.indices { waiting[k].exitsLeft -= 1 }
        reclaimed += waiting.filter { $0.exitsLeft <= 0 }.map(\.object)
        waiting.removeAll { $0.exitsLeft <= 0 }
    }
    func retire() {
        if inside == 0 { reclaimed.append(retired) } else { waiting.append((retired, inside)) }
        retired += 1
    }
}

/// The readers inside and, per retired object, the readers that were
/// inside when it was retired.
struct ReaderGuards {
    var entered = 0
    var inside: Set<Int> = []
    var guards: [Set<Int>] = []
}

/// Two direct-mapped slots (key & 1) over a store of four keys, written
/// back on eviction when dirty. A read hit goes through the fill path,
/// which marks the line clean, so a later eviction drops the write.
final class WriteBackCache {
    private var lines: [(key: Int, value: Int, dirty: Bool)?] = [nil, nil]
    private var store = [0, 0, 0, 0]
    private func evict(for key: Int) {
        guard let line = lines[key & 1], line.key != key else { return }
        if line.dirty { store[line.key] = line.value }
        lines[key & 1] = nil
    }
    private func fill(_ key: Int, _ value: Int) { lines[key & 1] = (key, value, false) }
    func read(_ key: Int) -> Int {
        evict(for: key)
        let value = lines[key & 1]?.value ?? store[key]
        fill(key, value)
        return value
    }
    func write(_ key: Int, _ value: Int) {
        evict(for: key)
        lines[key & 1] = (key, value, true)
    }
}

/// The twenty-eighth batch, written by someone who had not read the
/// shrinker: a comparator returning narrowed field differences, a page
/// cursor that skips one empty page, dirty-page runs that keep the last
/// run's length, an orphan test that takes a root parent for a missing
/// one, float keys hashed by their bits though equal to integers, CoAP's
/// option nibble writing 13 literally, a host-name check for a trailing
/// hyphen at the end only, a float key flipping the sign bit only, a
/// search-tree check against children only, two pitches that disagree on
/// multiples of 4, lock stripes taken twice, a fast bin's double-free check
/// at the top only, reclamation that counts exits and a write-back cache
/// whose read hit clears the dirty bit.
func twentyEighthBatch() -> [Problem] { [
    // Pairs of I/O requests (Int32 deadline, UInt64 offset, Int8 priority, UInt16 queue) ordered by a subtracting comparator.
    problem("comparator_narrows_field_differences",
            Gen.zip(Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: UInt64.self), Gen.integers(of: Int8.self),
                            Gen.integers(of: UInt16.self)),
                    Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: UInt64.self), Gen.integers(of: Int8.self),
                            Gen.integers(of: UInt16.self))),
            show: { "(\(ioRequestRepr($0.0)), \(ioRequestRepr($0.1)))" },
            ideal: { $0.0 == (0, 0, 0, 0) && $0.1 == (0, 2_147_483_649, 0, 0) }) { t in
        try check(compareIORequestsBySubtraction(t.0, t.1).signum() == compareIORequests(t.0, t.1))
    },
    // Pages of records 0...100 read by a cursor that moves past one empty page at a time.
    problem("page_cursor_skips_one_empty_page", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100))), show: pyNested,
            ideal: { $0 == [[], [], [0]] }) { pages in
        try check(pageCursorRecords(pages) == pages.flatMap { $0 })
    },
    // Sets of dirty pages 0...31 written back in runs whose count is not reset for a new run.
    problem("dirty_page_runs_keep_last_count", Gen.sets(of: Gen.integers(in: 0...31)), show: pySet,
            ideal: { $0 == [0, 1, 3] }) { dirty in
        try check(dirtyPageWrites(dirty) == dirty.sorted())
    },
    // Process tables pid 0...7 -> optional parent 0...7 whose orphan test reads the parent's entry with ?? nil.
    problem("orphan_test_takes_root_for_missing",
            Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.optional(Gen.integers(in: 0...7))), show: pyOptionalDict,
            ideal: { $0 == [0: nil, 1: 0] }) { table in
        try check(orphanTestHolds(table))
    },
    // Table keys, each an Int32 or a Double, hashed by value or by bits but compared as numbers.
    problem("float_key_hashed_by_bits_equals_int",
            Gen.arrays(of: Gen.oneOf(Gen.integers(of: Int32.self).map { RuntimeKey.int($0) }, Gen.doubles().map { RuntimeKey.float($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { keys in
                guard keys.count == 2, keys[0] == .int(0), case .float(let d) = keys[1] else { return false }
                return d == 0 && d.sign == .minus
            }) { keys in
        try check(keys.indices.allSatisfy { i in keys[..<i].allSatisfy { !$0.sameKey(keys[i]) || $0.hashBits == keys[i].hashBits } })
    },
    // CoAP options (delta 0...20, value of 0...16 bytes) encoded with 13 written in the nibble, then decoded.
    problem("coap_option_nibble_writes_13",
            Gen.arrays(of: Gen.zip(Gen.integers(in: 0...20), Gen.bytes(count: 0...16))),
            show: { pyList($0.map { "(\($0.0), \(pyBytes($0.1)))" }) },
            ideal: { $0.count == 1 && $0[0].0 == 0 && $0[0].1 == [UInt8](repeating: 0, count: 13) }) { options in
        let back = coapDecode(coapEncode(options, literal13: true))
        try check(back.map { $0.map(\.0) == options.map(\.0) && $0.map(\.1) == options.map(\.1) } ?? false)
    },
    // Host names over "a-." validated with a trailing hyphen checked at the end of the name only.
    problem("hostname_hyphen_checked_at_end_only", Gen.strings(of: Gen.characters(from: "a-.")), show: pyString,
            ideal: { $0 == "a-.a" }) { s in
        try check(hostnameValid(s, endOnly: true) == hostnameValid(s, endOnly: false))
    },
    // Pairs of Floats whose memcmp keys flip only the sign bit.
    problem("float_key_flips_sign_bit_only", Gen.zip(Gen.floats(), Gen.floats()),
            show: { "(\(pyFloat(Double($0.0))), \(pyFloat(Double($0.1))))" },
            ideal: { $0.0 == -1 && $0.1 == 0 && $0.1.sign == .minus }) { t in
        try check(!(t.0 < t.1) || floatKeyFlippingSign(t.0) < floatKeyFlippingSign(t.1))
    },
    // Binary trees of values 0...9, up to 4 levels, that a check against children only calls search trees.
    problem("search_tree_check_sees_children_only",
            Gen.recursive(maxDepth: 4, label: "search-tree", base: Gen.just(SearchTree.empty)) { inner in
                Gen.zip(Gen.integers(in: 0...9), inner, inner).map { SearchTree.node($0.0, $0.1, $0.2) }
            },
            show: { $0.repr }, ideal: { $0 == .node(0, .empty, .node(1, .node(0, .empty, .empty), .empty)) }) { t in
        let values = t.inOrder
        try check(!t.locallyOrdered || zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
    },
    // A width 1...8 drawn first, then rows of that many bytes copied between two pitch computations.
    problem("pitch_round_up_differs_at_multiple_of_4",
            Gen.integers(in: 1...8).flatMap { w in Gen.arrays(of: Gen.bytes(count: Int(w)...Int(w))).map { (w, $0) } },
            show: { "(\($0.0), \(pyList($0.1.map(pyBytes))))" },
            ideal: { $0.0 == 4 && $0.1 == [[0, 0, 0, 0], [0, 0, 0, 1]] }) { t in
        try check(pitchRoundTrips(t.0, t.1))
    },
    // Distinct pairs of UInt16 accounts (a filter) whose transfer locks both hashed stripes.
    problem("lock_stripe_taken_twice",
            Gen.zip(Gen.integers(of: UInt16.self), Gen.integers(of: UInt16.self)).filter { $0.0 != $0.1 },
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 13) }) { t in
        try check(transferLocksOnce(t.0, t.1))
    },
    // Allocs and frees (of any block handed out, freed or not) on a fast bin whose double-free check looks at its top.
    machineProblem("machine_fastbin_double_free_checks_top", StateMachine<BlocksInUse, Fastbin>(
        model: { BlocksInUse() }, system: Fastbin.init,
        rules: [
            .init("alloc") { model, bin, step in
                let block = bin.alloc()
                step.produce(block, into: "blocks")
                model.handedOut += 1
                try expect(!model.inUse.contains(block), "alloc() gave block \(block), which is in use")
                model.inUse.insert(block)
            },
            .init("free", precondition: { $0.handedOut > 0 }) { model, bin, step in
                let block = try step.pick(from: "blocks", as: Int.self, label: "block")
                let accepted = bin.free(block)
                try expect(accepted == model.inUse.contains(block), "free of block \(block) gave \(accepted)")
                model.inUse.remove(block)
            },
        ]),
        ideal: ["v1 = alloc()", "v2 = alloc()", "free(block: v1)", "free(block: v2)", "free(block: v1)"]),
    // Readers entering and exiting and objects retired under reclamation that counts exits, not readers.
    machineProblem("machine_reclaim_counts_exits_not_readers", StateMachine<ReaderGuards, ExitCountingReclaimer>(
        model: { ReaderGuards() }, system: ExitCountingReclaimer.init,
        rules: [
            .init("enter") { model, reclaimer, step in
                reclaimer.enter()
                step.produce(model.entered, into: "readers")
                model.inside.insert(model.entered)
                model.entered += 1
            },
            .init("exit", precondition: { !$0.inside.isEmpty }) { model, reclaimer, step in
                let reader = try step.pick(from: "readers", as: Int.self, label: "reader", remove: true)
                reclaimer.exit()
                model.inside.remove(reader)
            },
            .init("retire") { model, reclaimer, _ in
                reclaimer.retire()
                model.guards.append(model.inside)
            },
        ],
        check: { model, reclaimer in
            try expect(reclaimer.reclaimed.allSatisfy { model.guards[$0].isDisjoint(with: model.inside) },
                       "an object was reclaimed while a reader that could see it was inside")
        }),
        ideal: ["v1 = enter()", "retire()", "v2 = enter()", "exit(reader: v2)"]),
    // Reads and writes of keys 0...3 (values 0...9) through a two-slot write-back cache whose read hit clears the dirty bit.
    machineProblem("machine_writeback_read_hit_clears_dirty", StateMachine<[Int], WriteBackCache>(
        model: { [0, 0, 0, 0] }, system: WriteBackCache.init,
        rules: [
            .init("read") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let got = cache.read(key)
                try expect(got == model[key], "read(key: \(key)) gave \(got), expected \(model[key])")
            },
            .init("write") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                cache.write(key, value)
                model[key] = value
            },
        ]),
        ideal: ["write(key: 0, value: 1)", "read(key: 0)", "read(key: 2)", "read(key: 0)"]),
] }
