// The thirty-fifth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-fifth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A value as LEB128 (a protobuf varint): seven bits a byte, low bits
/// first, the top bit of a byte set when another byte follows.
func leb128Encode(_ value: UInt64) -> [UInt8] {
    var x = value
    var out: [UInt8] = []
    while x >= 0x80 {
        out.append(UInt8(x & 0x7F) | 0x80)
        x >>= 7
    }
    out.append(UInt8(x))
    return out
}

/// A serializer's size estimate for a varint, used to reserve the field's
/// bytes before writing it: one byte per whole seven bits of the value's
/// bit length, plus one. From a bit length that is a multiple of 7 on (7,
/// 14, ..., 63) it is one byte too many.
func leb128SizeEstimate(_ value: UInt64) -> Int { (64 - value.leadingZeroBitCount) / 7 + 1 }

/// A row id stored in a JSON document and read back by a parser that keeps
/// every number as a `Double`: past 2^53 an id the double cannot hold comes
/// back as a neighbour (or, past `Int64.max`, not at all).
func rowIDThroughJSON(_ id: Int64) -> Int64? { Int64(exactly: Double(id)) }

/// An IMU's sample stream delta-encoded into `Int8` deltas after the first
/// sample. The encoder clamps a delta into `Int8` (the decoder adds with
/// wrapping, so wrapping the delta too would have been exact): a jump of
/// more than 127 up or 128 down decodes to the wrong sample.
func imuDeltaEncode(_ samples: [Int8]) -> [Int8] {
    guard let first = samples.first else { return [] }
    return [first] + zip(samples, samples.dropFirst()).map { Int8(clamping: Int($1) - Int($0)) }
}

func imuDeltaDecode(_ stream: [Int8]) -> [Int8] {
    guard let first = stream.first else { return [] }
    var out = [first]
    for d in stream.dropFirst() { out.append(out[out.count - 1] &+ d) }
    return out
}

/// Columns a character takes in a terminal: the CJK ideograph is wide.
func statusLineColumns(_ s: String) -> Int { s.reduce(0) { $0 + ($1 == "界" ? 2 : 1) } }

/// A status line cut to at most 4 columns, with an ellipsis: the buggy cut
/// counts characters, not columns, both when it decides whether the text
/// fits and when it keeps three characters before the ellipsis.
func statusLineTruncated(_ s: String) -> String { s.count <= 4 ? s : String(s.prefix(3)) + "…" }

/// A log writer's byte-string escaping: printable ASCII as itself, a
/// backslash doubled, any other byte as "\x" and its hex digits, without
/// padding to two; the reader takes up to two hex digits after "\x", so an
/// escaped byte below 16 followed by a hex-digit character reads as one byte.
func hexEscapeShort(_ bytes: [UInt8]) -> String {
    var out = ""
    for b in bytes {
        switch b {
        case 0x5C: out += "\\\\"
        case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
        default: out += "\\x" + String(b, radix: 16)
        }
    }
    return out
}

func hexUnescape(_ text: String) -> [UInt8] {
    let s = Array(text.unicodeScalars)
    var out: [UInt8] = []
    var i = 0
    while i < s.count {
        if s[i] == "\\" {
            if s[i + 1] == "\\" {
                out.append(0x5C)
                i += 2
                continue
            }
            var j = i + 2
            var value: UInt8 = 0
            while j < s.count && j < i + 4, let digit = UInt8(String(s[j]), radix: 16) {
                value = value &* 16 &+ digit
                j += 1
            }
            out.append(value)
            i = j
        } else {
            out.append(UInt8(s[i].value))
            i += 1
        }
    }
    return out
}

/// A directory tree: files with their byte sizes, and directories.
indirect enum DiskUsageTree: Equatable, Sendable {
    case file(Int64)
    case dir([DiskUsageTree])

    var repr: String {
        switch self {
        case .file(let n): return "\(n)"
        case .dir(let children): return "[" + children.map(\.repr).joined(separator: ", ") + "]"
        }
    }

    var apparentBytes: Int64 {
        switch self {
        case .file(let n): return n
        case .dir(let children): return children.reduce(0) { $0 + $1.apparentBytes }
        }
    }

    /// 4096-byte blocks the tree takes on disk: each file takes its own
    /// last, partly filled block.
    var blocks: Int64 {
        switch self {
        case .file(let n): return (n + 4095) / 4096
        case .dir(let children): return children.reduce(0) { $0 + $1.blocks }
        }
    }

    /// The buggy disk usage: the bytes of the whole tree rounded up to
    /// blocks once, as if its files shared their partly filled blocks.
    var blocksRoundedOnce: Int64 { (apparentBytes + 4095) / 4096 }
}

/// A last-writer-wins register's stamp (a logical clock) and value.
struct LWWEntry: Equatable, Sendable {
    let stamp: UInt32
    let value: Int64
}

/// The merge of two replicas' LWW maps: per key, the entry with the later
/// stamp. On equal stamps it keeps the left replica's value (instead of a
/// tie-break on the values), so two replicas merging each other's state
/// end up different.
func lwwMerge(_ a: [Int64: LWWEntry], _ b: [Int64: LWWEntry]) -> [Int64: LWWEntry] {
    var out = a
    for (k, e) in b {
        if let mine = out[k], mine.stamp >= e.stamp { continue }
        out[k] = e
    }
    return out
}

func civilIsLeapYear(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

func civilDaysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
    [31, civilIsLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(m) - 1]
}

/// The day of the year of a date, from the days before its month. With
/// `leapFromFebruary` it is the buggy one, which adds the leap day to the
/// dates of February too (from month 2 on, not after it).
func dayOfYear(_ y: Int64, _ m: Int64, _ d: Int64, leapFromFebruary: Bool) -> Int64 {
    let before: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    let leapDay = civilIsLeapYear(y) && (leapFromFebruary ? m >= 2 : m > 2)
    return before[Int(m) - 1] + d + (leapDay ? 1 : 0)
}

/// An index key of a dynamically typed column: NULL before the numbers,
/// the numbers (integer or real, compared by value) before the texts.
enum DynamicIndexKey: Equatable, Sendable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)

    var repr: String {
        switch self {
        case .null: return "None"
        case .int(let x): return "('int', \(x))"
        case .real(let x): return "('real', \(pyFloat(x)))"
        case .text(let t): return "('text', \(pyString(t)))"
        }
    }
}

/// The index's key comparison, -1, 0 or 1. With `truncatingReals` it is
/// the buggy one, which compares an integer with a real by truncating the
/// real to an integer first, so that 0 and 0.5 compare equal.
func indexKeyCompare(_ a: DynamicIndexKey, _ b: DynamicIndexKey, truncatingReals: Bool) -> Int {
    func rank(_ k: DynamicIndexKey) -> Int {
        switch k {
        case .null: return 0
        case .int, .real: return 1
        case .text: return 2
        }
    }
    func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
    if rank(a) != rank(b) { return sign(rank(a), rank(b)) }
    switch (a, b) {
    case (.null, .null): return 0
    case (.text(let x), .text(let y)):
        return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1
            : y.unicodeScalars.lexicographicallyPrecedes(x.unicodeScalars) ? 1 : 0
    case (.int(let x), .int(let y)): return sign(x, y)
    case (.real(let x), .real(let y)): return sign(x, y)
    case (.int(let x), .real(let y)): return truncatingReals ? sign(x, Int64(y)) : sign(Double(x), y)
    case (.real(let x), .int(let y)): return truncatingReals ? sign(Int64(x), y) : sign(x, Double(y))
    default: return 0
    }
}

/// The ones'-complement sum (RFC 1071) of 16-bit big-endian words, an odd
/// last byte padded with a zero low byte, folded to 16 bits.
func mbufWordSum(_ bytes: [UInt8]) -> UInt32 {
    var sum: UInt32 = 0
    var i = 0
    while i < bytes.count {
        sum += UInt32(bytes[i]) << 8 | (i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0)
        i += 2
    }
    return sum
}

func mbufFoldSum16(_ sum: UInt32) -> UInt32 {
    var s = sum
    while s >> 16 != 0 { s = (s & 0xFFFF) + (s >> 16) }
    return s
}

/// The checksum of a packet held in a chain of buffers, summed buffer by
/// buffer and the sums added: a buffer of odd length pads its last byte as
/// if the next buffer started on a word boundary, where its bytes belong
/// in the other half of the word.
func mbufChainChecksum(_ chain: [[UInt8]]) -> UInt32 { mbufFoldSum16(chain.reduce(0) { $0 + mbufWordSum($1) }) }

/// A write-ahead log: writes and commit markers appended to the log, a
/// checkpoint that applies the committed transactions to the store's image
/// and truncates the log, and recovery that replays the committed
/// transactions of the log onto the image. The checkpoint should keep the
/// open transaction's writes in the log; this one truncates the whole log,
/// so a transaction open across a checkpoint commits without its writes.
final class CheckpointingWAL {
    private enum Record {
        case write(key: Int, value: Int)
        case commit
    }

    private var image: [Int: Int] = [:]
    private var log: [Record] = []

    func write(_ key: Int, _ value: Int) { log.append(.write(key: key, value: value)) }
    func commit() { log.append(.commit) }

    func checkpoint() {
        image = recover()
        log = []
    }

    func recover() -> [Int: Int] {
        var store = image
        var open: [(Int, Int)] = []
        for record in log {
            switch record {
            case .write(let key, let value): open.append((key, value))
            case .commit:
                for (key, value) in open { store[key] = value }
                open = []
            }
        }
        return store
    }
}

/// The committed state a WAL must recover, and the open transaction's writes.
struct CheckpointWALModel {
    var committed: [Int: Int] = [:]
    var open: [(Int, Int)] = []
}

/// A TCP sender's retransmission queue of segments (first sequence number,
/// length). A cumulative ACK should drop the segments it covers and trim
/// one it covers in part; this one drops every segment that starts below
/// the ACK, so the unacknowledged tail of a partly acknowledged segment is
/// never retransmitted.
final class RetransmitQueue {
    private var segments: [(start: Int, length: Int)] = []

    var outstanding: Int { segments.reduce(0) { $0 + $1.length } }

    func send(_ start: Int, _ length: Int) { segments.append((start, length)) }
    func ack(_ upTo: Int) { segments.removeAll { $0.start < upTo } }
}

/// A leaky bucket rate limiter of capacity 1 that leaks one unit every 100
/// ms. A leak should move its clock on by the whole units it leaked and
/// keep the rest of the elapsed time; with `keepsRemainder: false` it is the
/// buggy limiter, which sets its clock to now and loses that rest, so time
/// passing in short ticks never leaks.
final class RemainderLeakyBucket {
    let keepsRemainder: Bool
    private var now = 0
    private var lastLeak = 0
    private(set) var level = 0

    init(keepsRemainder: Bool) { self.keepsRemainder = keepsRemainder }

    private func leak() {
        let leaked = (now - lastLeak) / 100
        level = max(0, level - leaked)
        if keepsRemainder {
            lastLeak += leaked * 100
            if level == 0 { lastLeak = now }
        } else {
            lastLeak = now
        }
    }

    func request() {
        leak()
        if level < 1 { level += 1 }
    }

    func tick(_ ms: Int) {
        now += ms
        leak()
    }
}

/// The thirty-fifth batch, written by someone who had not read the
/// shrinker: a varint size estimate, row ids through a JSON double, IMU
/// deltas clamped to `Int8`, a gauge stored as `Float`, a status line cut by
/// characters not columns, hex escapes without padding, disk usage rounded
/// once, a last-writer-wins merge that keeps the left value on a tie, a day
/// of the year that counts the leap day in February, an index comparing
/// reals by truncation, a buffer chain's checksum that ignores odd offsets,
/// a WAL checkpoint that drops the open transaction, a retransmission queue
/// that drops a partly acknowledged segment and a leaky bucket that loses
/// the remainder of its clock.
func thirtyFifthBatch() -> [Problem] { [
    // UInt64 values: the varint size estimate must be the encoding's length.
    problem("leb128_size_estimate_off_at_seven_bits", Gen.integers(of: UInt64.self), ideal: { $0 == 64 }) { x in
        try check(leb128SizeEstimate(x) == leb128Encode(x).count)
    },
    // Int64 row ids: an id must come back from the JSON document unchanged.
    problem("row_id_through_json_double_loses_low_bit", i64, ideal: { $0 == (1 << 53) + 1 }) { id in
        try check(rowIDThroughJSON(id) == id)
    },
    // Lists of Int8 samples: decoding the delta stream must give the samples back.
    problem("imu_delta_stream_saturates_int8", Gen.arrays(of: Gen.integers(of: Int8.self)), show: pyList,
            ideal: { $0 == [1, -128] }) { samples in
        try check(imuDeltaDecode(imuDeltaEncode(samples)) == samples)
    },
    // Finite doubles: a gauge must survive its 32-bit float column.
    problem("gauge_column_float32_drops_low_bits", Gen.doubles(allowNaN: false, allowInfinity: false), show: pyFloat,
            ideal: { $0 == 16_777_217 }) { x in
        try check(Double(Float(x)) == x)
    },
    // Strings over "a" and a wide ideograph: the cut status line must fit in 4 columns.
    problem("status_line_truncate_counts_chars_not_columns", Gen.strings(of: Gen.characters(from: "a界")), show: pyString,
            ideal: { $0 == "a界界" }) { s in
        try check(statusLineColumns(statusLineTruncated(s)) <= 4)
    },
    // Byte strings of 0...16 bytes: unescaping the escaped bytes must give them back.
    problem("hex_escape_short_form_swallows_digit", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [0, 0x30] }) { b in
        try check(hexUnescape(hexEscapeShort(b)) == b)
    },
    // Trees of files (0...20000 bytes) and directories (0...4 entries, three levels): disk usage in blocks.
    problem("du_rounds_directory_total_not_files",
            Gen.recursive(maxDepth: 3, label: "disk-tree", base: Gen.integers(in: 0...20_000).map { DiskUsageTree.file($0) }) { inner in
                Gen.arrays(of: inner, count: 0...4).map { DiskUsageTree.dir($0) }
            },
            show: \.repr, ideal: { $0 == .dir([.file(1), .file(1)]) }) { tree in
        try check(tree.blocksRoundedOnce == tree.blocks)
    },
    // Pairs of replicas' LWW maps (keys 0...7, stamps 0...3, values 0...1000): the merge must commute.
    problem("lww_merge_tie_keeps_left_value",
            Gen.zip(Gen.dictionaries(keys: Gen.integers(in: 0...7),
                                     values: Gen.zip(Gen.integers(of: UInt32.self, in: 0...3), Gen.integers(in: 0...1000))
                                         .map { LWWEntry(stamp: $0.0, value: $0.1) }),
                    Gen.dictionaries(keys: Gen.integers(in: 0...7),
                                     values: Gen.zip(Gen.integers(of: UInt32.self, in: 0...3), Gen.integers(in: 0...1000))
                                         .map { LWWEntry(stamp: $0.0, value: $0.1) })),
            show: { t in
                func show(_ d: [Int64: LWWEntry]) -> String {
                    "{" + d.keys.sorted().map { "\($0): (\(d[$0]!.stamp), \(d[$0]!.value))" }.joined(separator: ", ") + "}"
                }
                return "(\(show(t.0)), \(show(t.1)))"
            },
            ideal: { $0.0 == [0: LWWEntry(stamp: 0, value: 0)] && $0.1 == [0: LWWEntry(stamp: 0, value: 1)] }) { t in
        try check(lwwMerge(t.0, t.1) == lwwMerge(t.1, t.0))
    },
    // A year 1970...2100 and a month, then a day of that month: the day of the year.
    problem("day_of_year_leap_day_counted_in_february",
            Gen.zip(Gen.integers(in: 1970...2100), Gen.integers(in: 1...12)).flatMap { ym in
                Gen.integers(in: 1...civilDaysInMonth(ym.0, ym.1)).map { (ym.0, ym.1, $0) }
            },
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (1972, 2, 1) }) { t in
        try check(dayOfYear(t.0, t.1, t.2, leapFromFebruary: true) == dayOfYear(t.0, t.1, t.2, leapFromFebruary: false))
    },
    // Pairs of index keys (NULL, integers -5...5, reals -10...10, texts over "ab"): the key comparison.
    problem("index_key_compares_real_by_truncation",
            Gen.zip(dynamicIndexKeys, dynamicIndexKeys), show: { "(\($0.0.repr), \($0.1.repr))" },
            ideal: { $0.0 == .int(0) && $0.1 == .real(0.5) }) { t in
        try check(indexKeyCompare(t.0, t.1, truncatingReals: true) == indexKeyCompare(t.0, t.1, truncatingReals: false))
    },
    // Chains of buffers of 0...8 bytes: the chain's checksum must be the packet's.
    problem("mbuf_chain_checksum_ignores_odd_offset", Gen.arrays(of: Gen.bytes(count: 0...8)), show: { pyList($0.map(pyBytes)) },
            ideal: { $0 == [[0], [1]] }) { chain in
        try check(mbufChainChecksum(chain) == mbufFoldSum16(mbufWordSum(chain.flatMap { $0 })))
    },
    // Writes of 0...9 to keys 0...3, commits and checkpoints: recovery must give the committed state.
    machineProblem("machine_wal_checkpoint_drops_open_txn", StateMachine<CheckpointWALModel, CheckpointingWAL>(
        model: { CheckpointWALModel() }, system: CheckpointingWAL.init,
        rules: [
            .init("write") { model, wal, step in
                let key = try step.draw(Gen.ints(in: 0...3), "key")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                model.open.append((key, value))
                wal.write(key, value)
            },
            .init("commit") { model, wal, _ in
                for (key, value) in model.open { model.committed[key] = value }
                model.open = []
                wal.commit()
            },
            .init("checkpoint") { _, wal, _ in wal.checkpoint() },
        ],
        check: { model, wal in
            let recovered = wal.recover()
            try expect(recovered == model.committed, "recovered \(recovered), committed \(model.committed)")
        }),
        ideal: ["write(key: 0, value: 0)", "checkpoint()", "commit()"]),
    // Sends of 1...4 bytes and cumulative ACKs of 1...4 more bytes: the bytes the queue holds must be those unacknowledged.
    machineProblem("machine_retransmit_partial_ack_drops_segment", StateMachine<(una: Int, next: Int), RetransmitQueue>(
        model: { (0, 0) }, system: RetransmitQueue.init,
        rules: [
            .init("send") { seq, queue, step in
                let length = try step.draw(Gen.ints(in: 1...4), "len")
                queue.send(seq.next, length)
                seq.next += length
            },
            .init("ack", precondition: { $0.next > $0.una }) { seq, queue, step in
                let n = try step.draw(Gen.ints(in: 1...4), "n")
                seq.una += min(n, seq.next - seq.una)
                queue.ack(seq.una)
            },
        ],
        check: { seq, queue in
            try expect(queue.outstanding == seq.next - seq.una, "queued \(queue.outstanding), unacknowledged \(seq.next - seq.una)")
        }),
        ideal: ["send(len: 2)", "ack(n: 1)"]),
    // Requests and clock ticks of 1...500 ms on a leaky bucket that loses the remainder of its leak clock.
    machineProblem("machine_leaky_bucket_leak_drops_remainder", StateMachine<RemainderLeakyBucket, RemainderLeakyBucket>(
        model: { RemainderLeakyBucket(keepsRemainder: true) }, system: { RemainderLeakyBucket(keepsRemainder: false) },
        rules: [
            .init("request") { model, bucket, _ in
                model.request()
                bucket.request()
            },
            .init("tick") { model, bucket, step in
                let ms = try step.draw(Gen.ints(in: 1...500), "ms")
                model.tick(ms)
                bucket.tick(ms)
            },
        ],
        check: { model, bucket in
            try expect(bucket.level == model.level, "level \(bucket.level), expected \(model.level)")
        }),
        ideal: ["request()", "tick(ms: 1)", "tick(ms: 99)"]),
] }

/// NULL, an integer, a real or a text, in that order of simplicity.
let dynamicIndexKeys: Generator<DynamicIndexKey> = Gen.oneOf(
    Gen.just(DynamicIndexKey.null),
    Gen.integers(in: -5...5).map { DynamicIndexKey.int($0) },
    Gen.doubles(in: -10...10).map { DynamicIndexKey.real($0) },
    Gen.strings(of: Gen.characters(from: "ab")).map { DynamicIndexKey.text($0) })
