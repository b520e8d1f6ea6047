// The twenty-ninth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-ninth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A read of `length` bytes at `offset` in a buffer of `size` bytes is
/// allowed when `offset + length <= size`, with the end computed in
/// wrapping 64-bit arithmetic: an end past 2^64 wraps to a small number.
func readAllowedByWrappingEnd(size: UInt16, offset: UInt64, length: UInt32) -> Bool {
    offset &+ UInt64(length) <= UInt64(size)
}

/// The ticks of a 100 Hz clock in the fraction of a timeout of `t` seconds,
/// rounded to nearest: a fraction of .995 or more gives 100 ticks, where
/// the seconds should have taken the carry.
func timeoutTicks(_ t: Double) -> Double { ((t - t.rounded(.down)) * 100).rounded() }

func pyFloatDict(_ d: [Int64: Double]) -> String {
    "{" + d.keys.sorted().map { "\($0): \(pyFloat(d[$0]!))" }.joined(separator: ", ") + "}"
}

/// Round half up written as `floor(x + 0.5)` in `Float`: the addition
/// rounds, so an odd integer from 2^23 on (and the float just below 0.5)
/// rounds up.
func roundHalfUpByAddingHalf(_ x: Float) -> Float { (x + 0.5).rounded(.down) }

enum FoldOp: String, CaseIterable, Sendable {
    case add, sub, mul, div
}

/// An expression of `Int8` literals, as a compiler's constant folder sees it.
indirect enum Int8Expr: Equatable, Sendable {
    case lit(Int8)
    case bin(FoldOp, Int8Expr, Int8Expr)

    var repr: String {
        switch self {
        case .lit(let v): return "\(v)"
        case .bin(let op, let l, let r): return "('\(op.rawValue)', \(l.repr), \(r.repr))"
        }
    }

    /// What the program computes: `Int8` arithmetic that wraps, nil for a
    /// division by zero (a trap).
    var narrow: Int8? {
        switch self {
        case .lit(let v): return v
        case .bin(let op, let l, let r):
            guard let a = l.narrow, let b = r.narrow else { return nil }
            switch op {
            case .add: return a &+ b
            case .sub: return a &- b
            case .mul: return a &* b
            case .div: return b == 0 ? nil : a.dividedReportingOverflow(by: b).partialValue
            }
        }
    }

    /// What the folder computes: the same expression in `Int`, narrowed
    /// once at the end.
    var wide: Int? {
        switch self {
        case .lit(let v): return Int(v)
        case .bin(let op, let l, let r):
            guard let a = l.wide, let b = r.wide else { return nil }
            switch op {
            case .add: return a + b
            case .sub: return a - b
            case .mul: return a * b
            case .div: return b == 0 ? nil : a / b
            }
        }
    }

    var folded: Int8? { wide.map { Int8(truncatingIfNeeded: $0) } }
}

/// Jobs served one per non-empty queue per round; a queue that empties is
/// removed from the round, and the index still moves on, so the queue
/// after it waits for the next round. The jobs in the order served.
func roundRobinServing(_ queues: [[UInt8]]) -> [UInt8] {
    var active = queues.filter { !$0.isEmpty }
    var served: [UInt8] = []
    while !active.isEmpty {
        var i = 0
        while i < active.count {
            served.append(active[i].removeFirst())
            if active[i].isEmpty { active.remove(at: i) }
            i += 1
        }
    }
    return served
}

/// The order round robin should serve: each round takes the head of every
/// queue that still has jobs.
func roundRobinOrder(_ queues: [[UInt8]]) -> [UInt8] {
    var rest = queues
    var served: [UInt8] = []
    while rest.contains(where: { !$0.isEmpty }) {
        for k in rest.indices where !rest[k].isEmpty { served.append(rest[k].removeFirst()) }
    }
    return served
}

/// A nullable column as a validity bitmap (bit i & 7 of byte i >> 3) and
/// its non-null values in order; the reader takes row i's byte as i >> 8,
/// so rows from 8 on read the bits of rows 0...7. The column read back, or
/// nil when the values run out or are left over.
func validityBitmapRoundTrip(_ column: [Int16?]) -> [Int16?]? {
    var bitmap = [UInt8](repeating: 0, count: (column.count + 7) / 8)
    var values: [Int16] = []
    for (i, v) in column.enumerated() {
        guard let v else { continue }
        bitmap[i >> 3] |= 1 << (i & 7)
        values.append(v)
    }
    var out: [Int16?] = []
    var next = 0
    for i in column.indices {
        if bitmap[i >> 8] >> (i & 7) & 1 == 1 {
            guard next < values.count else { return nil }
            out.append(values[next])
            next += 1
        } else {
            out.append(nil)
        }
    }
    return next == values.count ? out : nil
}

/// A bytecode instruction: `nop`; `push`, two bytes when the value fits an
/// `Int8` and five otherwise; `jump` forward over the next k instructions.
enum Instruction: Equatable, Sendable {
    case nop
    case push(Int32)
    case jump(UInt8)

    var repr: String {
        switch self {
        case .nop: return "('nop',)"
        case .push(let x): return "('push', \(x))"
        case .jump(let k): return "('jump', \(k))"
        }
    }
}

/// Assembles a program; a jump's byte offset sums the sizes of the
/// instructions it skips (those left when it names more), counting every
/// `push` as two bytes.
func assemble(_ program: [Instruction]) -> [UInt8] {
    var out: [UInt8] = []
    for (i, ins) in program.enumerated() {
        switch ins {
        case .nop: out.append(0)
        case .push(let x):
            if let short = Int8(exactly: x) {
                out += [1, UInt8(bitPattern: short)]
            } else {
                out.append(3)
                out += (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: x) >> (8 * $0)) }
            }
        case .jump(let k):
            let skipped = program[(i + 1)..<min(program.count, i + 1 + Int(k))]
            out += [2, UInt8(skipped.map { $0 == .nop ? 1 : 2 }.reduce(0, +))]
        }
    }
    return out
}

/// Instructions back from bytes, each jump's offset read back as a count
/// of instructions; nil when a jump lands inside an instruction.
func disassemble(_ b: [UInt8]) -> [Instruction]? {
    var program: [Instruction] = [], starts: [Int] = []
    var i = 0
    while i < b.count {
        starts.append(i)
        switch b[i] {
        case 0:
            program.append(.nop)
            i += 1
        case 1:
            program.append(.push(Int32(Int8(bitPattern: b[i + 1]))))
            i += 2
        case 3:
            program.append(.push(Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[i + 1 + $1]) << (8 * $1) })))
            i += 5
        default:
            program.append(.jump(b[i + 1]))
            i += 2
        }
    }
    starts.append(b.count)
    for (n, ins) in program.enumerated() {
        guard case .jump(let offset) = ins else { continue }
        guard let target = starts.firstIndex(of: starts[n] + 2 + Int(offset)) else { return nil }
        program[n] = .jump(UInt8(target - n - 1))
    }
    return program
}

/// A program with each jump's count cut to the instructions after it.
func jumpsClamped(_ program: [Instruction]) -> [Instruction] {
    program.enumerated().map { i, ins in
        if case .jump(let k) = ins { return .jump(UInt8(min(Int(k), program.count - i - 1))) }
        return ins
    }
}

/// A frame [length][payload][checksum] whose checksum is the complement
/// of the payload's byte sum and does not cover the length byte, read
/// after its length byte was overwritten with `length`: the payload it
/// accepts, or nil when it rejects the frame.
func frameAcceptedAfterLengthChange(_ payload: [UInt8], _ length: UInt8) -> [UInt8]? {
    var frame = [UInt8(payload.count)] + payload + [~payload.reduce(0, &+)]
    frame[0] = length
    let n = Int(frame[0])
    guard 2 + n <= frame.count else { return nil }
    let body = Array(frame[1..<(1 + n)])
    return frame[1 + n] == ~body.reduce(0, &+) ? body : nil
}

/// A path as its components (empty ones dropped) and in normal form.
func pathComponents(_ p: String) -> [Substring] { p.split(separator: "/") }
func normalPath(_ p: String) -> String { "/" + pathComponents(p).joined(separator: "/") }

/// Whether `target` lies in the directory `base` (both under the root),
/// checked on the normal forms as a string prefix with no separator after
/// the base, as against component by component.
func pathContainedByPrefix(_ base: String, _ target: String) -> Bool { normalPath(target).hasPrefix(normalPath(base)) }
func pathContained(_ base: String, _ target: String) -> Bool {
    let b = pathComponents(base), t = pathComponents(target)
    return t.count >= b.count && Array(t.prefix(b.count)) == b
}

/// Keys (up to the capacity) inserted in increasing order into an
/// open-addressing table of 2^k slots that probes h + i * i: squares
/// modulo a power of two miss slots (triangular numbers would not), so an
/// insertion can fail with free slots left. Whether every key found a slot.
func quadraticProbingPlacesAll(_ k: Int64, _ keys: Set<Int64>) -> Bool {
    let capacity = 1 << Int(k), mask = capacity - 1
    var slots = [Int64?](repeating: nil, count: capacity)
    for key in keys.sorted() {
        let home = Int(key) & mask
        guard let free = (0..<capacity).map({ (home + $0 * $0) & mask }).first(where: { slots[$0] == nil }) else { return false }
        slots[free] = key
    }
    return true
}

/// Timers (delay, id) inserted in turn into a delta list (each entry holds
/// its delay after the one before): an insertion before the head takes
/// its delay off the old head, but one in the middle leaves its successor's
/// delta as it was. The (expiry, id) pairs the list ends with, sorted.
func deltaListExpiries(_ timers: [(UInt16, UInt8)]) -> [[Int]] {
    var list: [(delta: Int, id: Int)] = []
    for (delay, id) in timers {
        var rest = Int(delay)
        var at = list.count
        for (j, entry) in list.enumerated() {
            if rest < entry.delta {
                at = j
                break
            }
            rest -= entry.delta
        }
        if at == 0 && !list.isEmpty { list[0].delta -= rest }
        list.insert((rest, Int(id)), at: at)
    }
    var t = 0
    return list.map { entry -> [Int] in
        t += entry.delta
        return [t, entry.id]
    }.sorted { $0.lexicographicallyPrecedes($1) }
}

/// One buffer's storage and the handles sharing it.
final class CowStorage {
    var value = 0
    var references = 1
}

/// Copy-on-write buffers: a copy shares its source's storage, and a write
/// gives the buffer storage of its own first when the storage is shared,
/// which it takes to be more than two references: a buffer and its one
/// copy share the write.
final class CowBuffers {
    private var storage: [Int: CowStorage] = [:]
    func new(_ id: Int) { storage[id] = CowStorage() }
    func copy(_ source: Int, to id: Int) {
        storage[source]!.references += 1
        storage[id] = storage[source]
    }
    func write(_ id: Int, _ value: Int) {
        if storage[id]!.references > 2 {
            storage[id]!.references -= 1
            let own = CowStorage()
            own.value = storage[id]!.value
            storage[id] = own
        }
        storage[id]!.value = value
    }
    func drop(_ id: Int) { storage.removeValue(forKey: id)!.references -= 1 }
    func read(_ id: Int) -> Int { storage[id]!.value }
}

/// Each live buffer's value, and the ids handed out so far.
struct CowModel {
    var values: [Int: Int] = [:]
    var next = 0
}

final class Inode {
    let data: Int
    var links = 1
    var opens = 0
    var freed = false
    init(data: Int) { self.data = data }
}

/// Files with one name each and descriptors open on them: close frees an
/// unlinked file's inode with its last descriptor, but unlink frees it
/// with its last name even while descriptors have it open.
final class UnlinkingFileSystem {
    private var names: [Int: Inode] = [:], descriptors: [Int: Inode] = [:]
    func create(_ id: Int) { names[id] = Inode(data: id + 1) }
    func open(_ file: Int, as fd: Int) {
        names[file]!.opens += 1
        descriptors[fd] = names[file]
    }
    func read(_ fd: Int) -> Int? { descriptors[fd]!.freed ? nil : descriptors[fd]!.data }
    func close(_ fd: Int) {
        let inode = descriptors.removeValue(forKey: fd)!
        inode.opens -= 1
        if inode.opens == 0 && inode.links == 0 { inode.freed = true }
    }
    func unlink(_ file: Int) {
        let inode = names.removeValue(forKey: file)!
        inode.links -= 1
        if inode.links == 0 { inode.freed = true }
    }
}

/// The names left, what each open descriptor reads, and the ids handed out so far.
struct OpenFiles {
    var names = 0
    var reads: [Int: Int] = [:]
    var next = 0
}

/// Second-chance (CLOCK) replacement over three frames: a hit sets the
/// page's reference bit, free frames fill first, and a miss on a full
/// cache moves the hand past referenced frames (clearing their bits) to
/// the victim. `advancesAfterReplace: false` leaves the hand on the frame
/// it has just filled, so the next miss evicts the page just loaded.
struct ClockCache {
    var frames: [Int?] = [nil, nil, nil]
    var referenced = [false, false, false]
    var hand = 0
    let advancesAfterReplace: Bool

    mutating func access(_ page: Int) {
        if let k = frames.firstIndex(of: page) {
            referenced[k] = true
        } else if let k = frames.firstIndex(of: nil) {
            frames[k] = page
        } else {
            while referenced[hand] {
                referenced[hand] = false
                hand = (hand + 1) % 3
            }
            frames[hand] = page
            if advancesAfterReplace { hand = (hand + 1) % 3 }
        }
    }

    var resident: Set<Int> { Set(frames.compactMap { $0 }) }
}

/// The twenty-ninth batch, written by someone who had not read the
/// shrinker: a bounds check whose end wraps, 100 Hz ticks rounded up to a
/// whole second, round half up by adding 0.5 to a `Float`, a constant
/// folder working in `Int`, round robin skipping the queue after an
/// emptied one, a validity bitmap read with the wrong shift, jumps sized
/// with short pushes, a checksum that leaves out the length byte, path
/// containment by string prefix, quadratic probing by squares, a delta
/// list's middle insertion, copy-on-write that counts a buffer and its copy
/// as unshared, unlink freeing an open file and a clock hand that stays on
/// the frame it filled.
func twentyNinthBatch() -> [Problem] { [
    // (UInt16 buffer size, UInt64 offset, UInt32 length) reads allowed when the wrapping end is within the buffer.
    problem("read_bounds_end_wraps",
            Gen.zip(Gen.integers(of: UInt16.self), Gen.integers(of: UInt64.self), Gen.integers(of: UInt32.self)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (0, 18_446_744_069_414_584_321, 4_294_967_295) }) { t in
        let (size, offset, length) = t
        try check(!readAllowedByWrappingEnd(size: size, offset: offset, length: length)
                  || (offset <= UInt64(size) && UInt64(length) <= UInt64(size) - offset))
    },
    // Timeouts (socket 0...7 -> seconds as a Double) split into seconds and 100 Hz ticks rounded to nearest.
    problem("timeout_ticks_round_to_hz", Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.doubles()), show: pyFloatDict,
            ideal: { $0 == [0: 1.99609375] }) { timeouts in
        try check(timeouts.values.allSatisfy { t in !(t.isFinite && t >= 0) || timeoutTicks(t) < 100 })
    },
    // Floats rounded half up as floor(x + 0.5) in Float arithmetic, against rounding half away from zero.
    problem("round_half_up_adds_half_float", Gen.arrays(of: Gen.floats()), show: { pyList($0.map { pyFloat(Double($0)) }) },
            ideal: { $0 == [8_388_609] }) { xs in
        try check(xs.allSatisfy { x in !(x.isFinite && x >= 0) || roundHalfUpByAddingHalf(x) == x.rounded() })
    },
    // Int8 expressions (three levels of add/sub/mul/div) folded in Int and narrowed once, against Int8 evaluation.
    problem("const_fold_wide_then_narrow",
            Gen.recursive(maxDepth: 3, label: "int8-expr", base: Gen.integers(of: Int8.self).map { Int8Expr.lit($0) }) { inner in
                Gen.zip(Gen.cases(of: FoldOp.self), inner, inner).map { Int8Expr.bin($0.0, $0.1, $0.2) }
            },
            show: { $0.repr }, ideal: { $0 == .bin(.div, .lit(0), .bin(.add, .lit(-128), .lit(-128))) }) { e in
        try check(e.folded == e.narrow)
    },
    // Queues of UInt8 job ids served round robin by a loop that skips the queue after one it removes.
    problem("round_robin_removal_skips_next", Gen.arrays(of: Gen.arrays(of: Gen.integers(of: UInt8.self))),
            show: { "[" + $0.map(pyList).joined(separator: ", ") + "]" }, ideal: { $0 == [[0], [0], [1]] }) { queues in
        try check(roundRobinServing(queues) == roundRobinOrder(queues))
    },
    // Columns of optional Int16s through a validity bitmap whose reader takes the byte index as i >> 8.
    problem("validity_bitmap_byte_index_shift", Gen.arrays(of: Gen.optional(Gen.integers(of: Int16.self))),
            show: { pyList($0.map { $0.map { "\($0)" } ?? "None" }) },
            ideal: { $0 == [nil, nil, nil, nil, nil, nil, nil, nil, 0] }) { column in
        try check(validityBitmapRoundTrip(column) == column)
    },
    // Programs of nop, push(Int32) and jump(0...3) assembled with jump offsets that count every push as short.
    problem("jump_offsets_assume_short_push",
            Gen.arrays(of: Gen.oneOf(Gen.just(Instruction.nop), Gen.integers(of: Int32.self).map { Instruction.push($0) },
                                     Gen.integers(of: UInt8.self, in: 0...3).map { Instruction.jump($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.jump(1), .push(128)] }) { program in
        try check(disassemble(assemble(program)) == jumpsClamped(program))
    },
    // (payload of 0...16 bytes, another length 0...16 by a filter): a frame read after its length byte is overwritten.
    problem("frame_checksum_skips_length",
            Gen.zip(Gen.bytes(count: 0...16), Gen.integers(of: UInt8.self, in: 0...16)).filter { Int($0.1) != $0.0.count },
            show: { "(\(pyBytes($0.0)), \($0.1))" }, ideal: { $0.0 == [255] && $0.1 == 0 }) { t in
        try check(frameAcceptedAfterLengthChange(t.0, t.1).map { $0 == t.0 } ?? true)
    },
    // (base, target) paths over "a/" under the root, contained by string prefix against by components.
    problem("path_containment_string_prefix",
            Gen.zip(Gen.strings(of: Gen.characters(from: "a/")), Gen.strings(of: Gen.characters(from: "a/"))),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("a", "aa") }) { t in
        try check(pathContainedByPrefix(t.0, t.1) == pathContained(t.0, t.1))
    },
    // A table of 2^k slots (k 1...4 drawn first) and a set of at most 2^k keys 0...255 placed by probing h + i * i.
    problem("quadratic_probe_squares_miss_slots",
            Gen.integers(in: 1...4).flatMap { k in Gen.sets(of: Gen.integers(in: 0...255), count: 0...(1 << Int(k))).map { (k, $0) } },
            show: { "(\($0.0), \(pySet($0.1)))" }, ideal: { $0.0 == 2 && $0.1 == [0, 1, 4] }) { t in
        try check(quadraticProbingPlacesAll(t.0, t.1))
    },
    // Timers (UInt16 delay, UInt8 id) inserted into a delta list whose middle insertion keeps the successor's delta.
    problem("delta_list_middle_insert_keeps_delta",
            Gen.arrays(of: Gen.zip(Gen.integers(of: UInt16.self), Gen.integers(of: UInt8.self))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [Int($0.0), Int($0.1)] } == [[0, 0], [2, 0], [1, 0]] }) { timers in
        try check(deltaListExpiries(timers) == timers.map { [Int($0.0), Int($0.1)] }.sorted { $0.lexicographicallyPrecedes($1) })
    },
    // New buffers, copies, writes of 0...9 and drops of copy-on-write buffers that copy only past two references.
    machineProblem("machine_cow_unique_check_off_by_one", StateMachine<CowModel, CowBuffers>(
        model: { CowModel() }, system: CowBuffers.init,
        rules: [
            .init("new") { model, buffers, step in
                buffers.new(model.next)
                model.values[model.next] = 0
                step.produce(model.next, into: "buffers")
                model.next += 1
            },
            .init("copy", precondition: { !$0.values.isEmpty }) { model, buffers, step in
                let source = try step.pick(from: "buffers", as: Int.self, label: "source")
                buffers.copy(source, to: model.next)
                model.values[model.next] = model.values[source]
                step.produce(model.next, into: "buffers")
                model.next += 1
            },
            .init("write", precondition: { !$0.values.isEmpty }) { model, buffers, step in
                let id = try step.pick(from: "buffers", as: Int.self, label: "buffer")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                buffers.write(id, value)
                model.values[id] = value
            },
            .init("drop", precondition: { !$0.values.isEmpty }) { model, buffers, step in
                let id = try step.pick(from: "buffers", as: Int.self, label: "buffer", remove: true)
                buffers.drop(id)
                model.values.removeValue(forKey: id)
            },
        ],
        check: { model, buffers in
            try expect(model.values.allSatisfy { buffers.read($0.key) == $0.value }, "a buffer changed without a write of its own")
        }),
        ideal: ["v1 = new()", "v2 = copy(source: v1)", "write(buffer: v1, value: 1)"]),
    // Creates, opens, reads, closes and unlinks on a file system whose unlink frees a file still open.
    machineProblem("machine_unlink_frees_open_file", StateMachine<OpenFiles, UnlinkingFileSystem>(
        model: { OpenFiles() }, system: UnlinkingFileSystem.init,
        rules: [
            .init("create") { model, fs, step in
                fs.create(model.next)
                step.produce(model.next, into: "files")
                model.next += 1
                model.names += 1
            },
            .init("open", precondition: { $0.names > 0 }) { model, fs, step in
                let file = try step.pick(from: "files", as: Int.self, label: "file")
                fs.open(file, as: model.next)
                model.reads[model.next] = file + 1
                step.produce(model.next, into: "fds")
                model.next += 1
            },
            .init("read", precondition: { !$0.reads.isEmpty }) { model, fs, step in
                let fd = try step.pick(from: "fds", as: Int.self, label: "fd")
                let got = fs.read(fd)
                try expect(got == model.reads[fd], "read(fd: \(fd)) gave \(String(describing: got))")
            },
            .init("close", precondition: { !$0.reads.isEmpty }) { model, fs, step in
                let fd = try step.pick(from: "fds", as: Int.self, label: "fd", remove: true)
                fs.close(fd)
                model.reads.removeValue(forKey: fd)
            },
            .init("unlink", precondition: { $0.names > 0 }) { model, fs, step in
                let file = try step.pick(from: "files", as: Int.self, label: "file", remove: true)
                fs.unlink(file)
                model.names -= 1
            },
        ]),
        ideal: ["v1 = create()", "v2 = open(file: v1)", "unlink(file: v1)", "read(fd: v2)"]),
    // Accesses of pages 0...4 through a three-frame CLOCK cache whose hand stays on the frame it has just filled.
    machineProblem("machine_clock_hand_stays_on_replaced", StateMachine<ClockCache, ClockCache>(
        model: { ClockCache(advancesAfterReplace: true) }, system: { ClockCache(advancesAfterReplace: false) },
        rules: [
            .mutating("access") { model, cache, step in
                let page = try step.draw(Gen.ints(in: 0...4), "page")
                model.access(page)
                cache.access(page)
            },
        ],
        check: { model, cache in
            try expect(cache.resident == model.resident, "resident \(cache.resident.sorted()), expected \(model.resident.sorted())")
        }),
        ideal: ["access(page: 0)", "access(page: 1)", "access(page: 2)", "access(page: 3)", "access(page: 0)"]),
] }
