// The twenty-seventh batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-seventh batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum RcOp: String, CaseIterable, Sendable {
    case clone
    case drop
    case downgrade
    case dropWeak = "drop_weak"
    case upgrade
}

/// A ring buffer of two slots whose head and tail count modulo four, so
/// that full and empty differ; the full test subtracts them without the
/// modulo, so once the tail has wrapped past the head a full ring takes a
/// third value.
final class MirrorIndexRing {
    private var slots = [Int](repeating: 0, count: 2)
    private var head = 0, tail = 0
    func push(_ x: Int) -> Bool {
        guard tail - head != 2 else { return false }
        slots[tail % 2] = x
        tail = (tail + 1) % 4
        return true
    }
    func pop() -> Int? {
        guard head != tail else { return nil }
        defer { head = (head + 1) % 4 }
        return slots[head % 2]
    }
}

struct SlotHandle: Equatable {
    let slot: Int
    let generation: Int
}

/// Generational handles (slot, generation): a free bumps the slot's
/// generation so that old handles stop working. A realloc that grows a
/// block moves it to a new slot and frees the old slot without bumping its
/// generation, so the next block there gets the old handle back.
final class GenerationalTable {
    private var slots: [(generation: Int, size: Int, live: Bool)] = []
    func alloc(_ size: Int) -> SlotHandle {
        if let k = slots.firstIndex(where: { !$0.live }) {
            slots[k].size = size
            slots[k].live = true
            return SlotHandle(slot: k, generation: slots[k].generation)
        }
        slots.append((0, size, true))
        return SlotHandle(slot: slots.count - 1, generation: 0)
    }
    func isValid(_ h: SlotHandle) -> Bool {
        h.slot < slots.count && slots[h.slot].live && slots[h.slot].generation == h.generation
    }
    func free(_ h: SlotHandle) {
        guard isValid(h) else { return }
        slots[h.slot].live = false
        slots[h.slot].generation += 1
    }
    func realloc(_ h: SlotHandle, _ size: Int) -> SlotHandle {
        guard isValid(h), size > slots[h.slot].size else { return h }
        let moved = alloc(size)
        slots[h.slot].live = false
        return moved
    }
}

/// The table with the handles a program holds: each live block's current
/// handle, and every handle it gave up (freed, or moved away from).
final class HandleHolder {
    let table = GenerationalTable()
    var handles: [Int: SlotHandle] = [:]
    var stale: [SlotHandle] = []
    var nextBlock = 0
}

/// UTF-16LE to scalars (nil when malformed): a high surrogate takes the
/// next unit as its low half without checking that it is one.
func utf16LEDecode(_ b: [UInt8]) -> [UInt32]? {
    guard b.count % 2 == 0 else { return nil }
    let units = stride(from: 0, to: b.count, by: 2).map { UInt32(b[$0]) | UInt32(b[$0 + 1]) << 8 }
    var out: [UInt32] = []
    var i = 0
    while i < units.count {
        let u = units[i]
        if (0xD800...0xDBFF).contains(u) {
            guard i + 1 < units.count else { return nil }
            out.append(0x10000 + ((u - 0xD800) << 10) + ((units[i + 1] &- 0xDC00) & 0x3FF))
            i += 2
        } else if (0xDC00...0xDFFF).contains(u) {
            return nil
        } else {
            out.append(u)
            i += 1
        }
    }
    return out
}

func utf16LEEncode(_ scalars: [UInt32]) -> [UInt8] {
    var units: [UInt32] = []
    for s in scalars {
        if s >= 0x10000 {
            units += [0xD800 + ((s - 0x10000) >> 10), 0xDC00 + ((s - 0x10000) & 0x3FF)]
        } else {
            units.append(s)
        }
    }
    return units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
}

/// Greedy word wrap; `strict: true` fits a word only while the line stays
/// shorter than the width, so a line of exactly the width is broken.
func wrapWords(_ s: String, width: Int, strict: Bool) -> [String] {
    var lines: [String] = [], current = ""
    for word in s.split(separator: " ") {
        if current.isEmpty {
            current = String(word)
        } else if strict ? current.count + 1 + word.count < width : current.count + 1 + word.count <= width {
            current += " " + word
        } else {
            lines.append(current)
            current = String(word)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

func onesComplementAdd(_ a: UInt32, _ b: UInt32) -> UInt32 {
    let s = a + b
    return (s & 0xFFFF) + (s >> 16)
}

/// A header of two 16-bit words (other, field) whose checksum is updated
/// for a new field value by RFC 1141's HC' = HC + m + ~m' in ones'
/// complement, which gives 0xFFFF where recomputing gives 0x0000. Whether
/// the update equals the recomputed checksum.
func rfc1141UpdateHolds(_ t: (UInt16, UInt16, UInt16)) -> Bool {
    let (other, old, new) = (UInt32(t.0), UInt32(t.1), UInt32(t.2))
    let hc = ~onesComplementAdd(other, old) & 0xFFFF
    let updated = onesComplementAdd(onesComplementAdd(hc, old), ~new & 0xFFFF)
    return updated == ~onesComplementAdd(other, new) & 0xFFFF
}

/// A buddy allocator's order for `size` bytes as the floor of log2 of the
/// page count, where the ceiling is needed: three pages get two. Whether
/// the block of that order holds the size.
func buddyOrderHolds(_ size: UInt32) -> Bool {
    let pages = (UInt64(size) + 4095) / 4096
    let order = 63 - pages.leadingZeroBitCount
    return UInt64(4096) << order >= UInt64(size)
}

/// Day of the year to [month, day], nil past the year's end.
func monthAndDay(year: Int, day: Int, leap: (Int) -> Bool) -> [Int]? {
    let months = [31, leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard day <= months.reduce(0, +) else { return nil }
    var m = 0, d = day
    while d > months[m] {
        d -= months[m]
        m += 1
    }
    return [m + 1, d]
}

/// One object's strong and weak counts; `checksStrong: false` lets an
/// upgrade succeed while the allocation lives (strong + weak > 0), so a
/// weak reference resurrects an object whose last strong one is gone.
/// The upgrades' results and the counts after each operation.
func refCountTrace(_ ops: [RcOp], checksStrong: Bool) -> [[Int]] {
    var strong = 1, weak = 0
    var trace: [[Int]] = []
    for op in ops {
        switch op {
        case .clone: if strong > 0 { strong += 1 }
        case .drop: if strong > 0 { strong -= 1 }
        case .downgrade: if strong > 0 { weak += 1 }
        case .dropWeak: if weak > 0 { weak -= 1 }
        case .upgrade:
            let ok = checksStrong ? strong > 0 : strong + weak > 0
            if ok { strong += 1 }
            trace.append([ok ? 1 : 0])
        }
        trace.append([strong, weak])
    }
    return trace
}

/// Size classes of 16, 32 and 64 bytes with a free list each; alloc takes
/// the least class that fits, but free files the block under size >> 4,
/// one class too high at 16 and 32 bytes. Whether every block handed out
/// holds its request.
func sizeClassesHoldRequests(_ ops: [TraceOp]) -> Bool {
    var top: Int64 = 0
    var carved: [Int64: Int64] = [:], freeLists: [Int64: [Int64]] = [:]
    var live: [(address: Int64, size: Int64)] = []
    for op in ops {
        switch op {
        case .alloc(let size):
            let c: Int64 = size <= 16 ? 0 : size <= 32 ? 1 : 2
            let address: Int64
            if let reused = freeLists[c]?.popLast() {
                address = reused
            } else {
                address = top
                top += 16 << c
                carved[address] = 16 << c
            }
            if carved[address]! < size { return false }
            live.append((address, size))
        case .free(let i):
            guard i < live.count else { continue }
            let block = live.remove(at: Int(i))
            freeLists[block.size >> 4, default: []].append(block.address)
        }
    }
    return true
}

/// A big-endian 16-bit sample read natively on a little-endian machine and
/// swapped as (x >> 8) | (x << 8) on the signed value: the arithmetic shift
/// smears the sign over the high byte. Whether the sample comes back.
func ntohsOnInt16RoundTrips(_ s: Int16) -> Bool {
    let raw = Int16(bitPattern: UInt16(bitPattern: s).byteSwapped)
    return (raw >> 8) | (raw << 8) == s
}

/// Little-endian base-256 addition; `carryIntoRest: false` adds with carry
/// over the common limbs, then copies the longer operand's rest without
/// the carry.
func addLimbs(_ a: [UInt8], _ b: [UInt8], carryIntoRest: Bool) -> [UInt8] {
    var out: [UInt8] = []
    var carry = 0
    let n = min(a.count, b.count)
    for i in 0..<n {
        let s = Int(a[i]) + Int(b[i]) + carry
        out.append(UInt8(s & 0xFF))
        carry = s >> 8
    }
    for x in a.count > n ? a[n...] : b[n...] {
        let s = Int(x) + (carryIntoRest ? carry : 0)
        out.append(UInt8(s & 0xFF))
        carry = carryIntoRest ? s >> 8 : 0
    }
    if carry > 0 && (carryIntoRest || a.count == b.count) { out.append(UInt8(carry)) }
    while out.last == 0 { out.removeLast() }
    return out
}

/// (start, length) intervals sorted and merged: one starting inside the
/// last merged interval extends it, one starting after it is appended, and
/// one starting exactly at its end is neither. Whether the merged intervals
/// cover what the input covers.
func mergedIntervalsCover(_ xs: [(Int64, Int64)]) -> Bool {
    var merged: [(start: Int64, end: Int64)] = []
    for (start, end) in xs.map({ ($0.0, $0.0 + $0.1) }).sorted(by: { $0 < $1 }) {
        if let last = merged.last, start <= last.end {
            if start < last.end { merged[merged.count - 1].end = max(last.end, end) }
        } else {
            merged.append((start, end))
        }
    }
    let covered = Set(xs.flatMap { $0.0..<($0.0 + $0.1) })
    return merged.map { $0.end - $0.start }.reduce(0, +) == Int64(covered.count)
}

/// A bucket of 4 tokens refilled one per tick; a request of `cost` tokens
/// is granted when `tokens - cost >= 0` in unsigned 8-bit arithmetic,
/// which always holds, and the subtraction wraps. Whether no more was
/// granted than the bucket held plus what the ticks refilled.
func tokenBucketHoldsRate(_ requests: [(UInt8, UInt8)]) -> Bool {
    var tokens: UInt8 = 4
    var granted = 0, ticks = 0
    for (dt, cost) in requests {
        ticks += Int(dt)
        tokens = UInt8(min(4, Int(tokens) + Int(dt)))
        tokens = tokens &- cost
        granted += Int(cost)
        if granted > 4 + ticks { return false }
    }
    return true
}

/// The route for an 8-bit address in a table of (prefix, length): the
/// longest matching one (the first of those), or with `longest: false`
/// the first matching one.
func routeFor(_ routes: [(UInt8, Int64)], _ address: UInt8, longest: Bool) -> Int? {
    var best: Int?
    for (k, (prefix, length)) in routes.enumerated() {
        let mask: UInt8 = 0xFF << (8 - length)
        guard address & mask == prefix & mask else { continue }
        if !longest { return k }
        if best.map({ length > routes[$0].1 }) ?? true { best = k }
    }
    return best
}

/// The twenty-seventh batch, written by someone who had not read the
/// shrinker: a ring whose full test forgets the index modulo, a realloc
/// that frees without bumping the generation, a UTF-16 decoder pairing a
/// high surrogate with anything, a word wrap breaking lines of exactly the
/// width, RFC 1141's checksum update, a buddy order from the floor of the
/// page count, a leap year rule without centuries, a weak upgrade checking
/// the allocation, a free filing by size >> 4, ntohs on a signed value, a
/// bignum carry stopping at the shorter operand, interval merging dropping
/// touching intervals, a token bucket's unsigned check and a route table
/// taking the first match.
func twentySeventhBatch() -> [Problem] { [
    // Pushes and pops on a two-slot ring with indices mod 4 whose full test forgets the modulo.
    machineProblem("machine_ring_mirror_index_full_unwrapped", StateMachine<[Int], MirrorIndexRing>(
        model: { [] }, system: MirrorIndexRing.init,
        rules: [
            .init("push") { queue, ring, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                let accepted = ring.push(x)
                let expected = queue.count < 2
                try expect(accepted == expected, "push(x: \(x)) gave \(accepted)")
                if expected { queue.append(x) }
            },
            .init("pop", precondition: { !$0.isEmpty }) { queue, ring, _ in
                let expected = queue.removeFirst()
                let got = ring.pop()
                try expect(got == expected, "pop() gave \(String(describing: got)), expected \(expected)")
            },
        ]),
        ideal: ["push(x: 0)", "push(x: 0)", "pop()", "push(x: 0)", "pop()", "push(x: 0)", "push(x: 0)"]),
    // Allocs, reallocs and frees of 1...4 bytes through generational handles; a realloc's move keeps the old generation.
    machineProblem("machine_realloc_move_keeps_generation", StateMachine<Int, HandleHolder>(
        model: { 0 }, system: HandleHolder.init,
        rules: [
            .init("alloc") { live, holder, step in
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                holder.handles[holder.nextBlock] = holder.table.alloc(size)
                step.produce(holder.nextBlock, into: "blocks")
                holder.nextBlock += 1
                live += 1
            },
            .init("realloc", precondition: { $0 > 0 }) { _, holder, step in
                let block = try step.pick(from: "blocks", as: Int.self, label: "block")
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                let old = holder.handles[block]!
                let new = holder.table.realloc(old, size)
                if new != old {
                    holder.stale.append(old)
                    holder.handles[block] = new
                }
            },
            .init("free", precondition: { $0 > 0 }) { live, holder, step in
                let block = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                let h = holder.handles.removeValue(forKey: block)!
                holder.table.free(h)
                holder.stale.append(h)
                live -= 1
            },
        ],
        check: { _, holder in
            try expect(holder.handles.values.allSatisfy(holder.table.isValid), "a live block's handle stopped working")
            try expect(!holder.stale.contains(where: holder.table.isValid), "a handle given up works again")
        }),
        ideal: ["v1 = alloc(size: 1)", "realloc(block: v1, size: 2)", "v2 = alloc(size: 1)"]),
    // Byte strings decoded as UTF-16LE pairing a high surrogate with any next unit, then encoded back.
    problem("utf16le_decoder_pairs_any_unit", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [0x00, 0xD8, 0x00, 0x00] }) { b in
        try check(utf16LEDecode(b).map(utf16LEEncode).map { $0 == b } ?? true)
    },
    // Strings over "a " wrapped to 8 columns by a greedy wrap that breaks a line of exactly 8.
    problem("word_wrap_exact_width_breaks_early", Gen.strings(of: Gen.characters(from: "a ")), show: pyString,
            ideal: { $0 == "aaaaaa a" }) { s in
        try check(wrapWords(s, width: 8, strict: true) == wrapWords(s, width: 8, strict: false))
    },
    // (other word, old field, new field) of 16 bits: a checksum updated by RFC 1141 against recomputing it.
    problem("checksum_rfc1141_update_negative_zero",
            Gen.zip(Gen.integers(of: UInt16.self), Gen.integers(of: UInt16.self), Gen.integers(of: UInt16.self)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (0, 0, 65535) }) { t in
        try check(rfc1141UpdateHolds(t))
    },
    // Sizes of 1 byte to 16 MiB given a buddy order from the floor of log2 of their page count.
    problem("buddy_order_floors_page_count", Gen.integers(of: UInt32.self, in: 1...16_777_216), ideal: { $0 == 8193 }) { size in
        try check(buddyOrderHolds(size))
    },
    // (year 1...9999, day 1...366) to a month and day with a leap year every fourth year, centuries included.
    problem("leap_year_skips_century_rule", Gen.zip(Gen.integers(of: UInt16.self, in: 1...9999), Gen.integers(in: 1...366)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (100, 60) }) { t in
        let (year, day) = (Int(t.0), Int(t.1))
        try check(monthAndDay(year: year, day: day, leap: { $0 % 4 == 0 })
                  == monthAndDay(year: year, day: day, leap: { $0 % 4 == 0 && ($0 % 100 != 0 || $0 % 400 == 0) }))
    },
    // Clones, drops, downgrades, weak drops and upgrades of one object whose upgrade checks strong + weak.
    problem("weak_upgrade_checks_allocation_alive", Gen.arrays(of: Gen.element(of: RcOp.allCases)),
            show: { pyList($0.map { "'\($0.rawValue)'" }) }, ideal: { $0 == [.downgrade, .drop, .upgrade] }) { ops in
        try check(refCountTrace(ops, checksStrong: false) == refCountTrace(ops, checksStrong: true))
    },
    // Allocs of 1...64 bytes and frees (of live block 0...7) in size classes whose free files by size >> 4.
    problem("size_class_free_recomputes_by_shift",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...64).map { TraceOp.alloc($0) },
                                     Gen.integers(in: 0...7).map { TraceOp.free($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.alloc(16), .free(0), .alloc(17)] }) { ops in
        try check(sizeClassesHoldRequests(ops))
    },
    // Int16 samples through the network byte order and back by a byte swap on the signed value.
    problem("ntohs_on_int16_smears_sign", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList, ideal: { $0 == [128] }) { xs in
        try check(xs.allSatisfy(ntohsOnInt16RoundTrips))
    },
    // Pairs of little-endian byte-limbed numbers added without carrying into the longer one's rest.
    problem("bignum_add_carry_stops_at_shorter", Gen.zip(Gen.bytes(count: 0...8), Gen.bytes(count: 0...8)),
            show: { "(\(pyBytes($0.0)), \(pyBytes($0.1)))" }, ideal: { $0.0 == [1] && $0.1 == [0xFF, 0] }) { t in
        try check(addLimbs(t.0, t.1, carryIntoRest: false) == addLimbs(t.0, t.1, carryIntoRest: true))
    },
    // (start 0...20, length 1...4) intervals merged, dropping one that starts where the last ends.
    problem("interval_merge_drops_touching", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...20), Gen.integers(in: 1...4))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[0, 1], [1, 1]] }) { xs in
        try check(mergedIntervalsCover(xs))
    },
    // (ticks 0...10, cost 1...4) requests on a 4-token bucket whose check is an unsigned subtraction.
    problem("token_bucket_unsigned_check_always_grants",
            Gen.arrays(of: Gen.zip(Gen.integers(of: UInt8.self, in: 0...10), Gen.integers(of: UInt8.self, in: 1...4))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[0, 1], [0, 4]] }) { rs in
        try check(tokenBucketHoldsRate(rs))
    },
    // (routes of (prefix, length 0...8), address) of 8 bits looked up by the first matching route.
    problem("route_lookup_first_match_not_longest",
            Gen.zip(Gen.arrays(of: Gen.zip(Gen.integers(of: UInt8.self), Gen.integers(in: 0...8))), Gen.integers(of: UInt8.self)),
            show: { "(\(pyList($0.0.map { "(\($0.0), \($0.1))" })), \($0.1))" },
            ideal: { $0.0.map { [Int64($0.0), $0.1] } == [[0, 0], [0, 1]] && $0.1 == 0 }) { t in
        try check(routeFor(t.0, t.1, longest: false) == routeFor(t.0, t.1, longest: true))
    },
] }
