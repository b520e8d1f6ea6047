// The forty-first batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-first batch at its end). Every expected minimum is the same in both
// engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Where the
// engines count choices differently (Hypothesis draws a forced "another
// element?" flag below a list's minimum size and at its maximum, and a
// double is one choice there and two here) the minimum was checked in both
// counts.
//
// Each was also checked by enumerating choice sequences in that order until
// the first failing one (a throwaway script, every sequence of fewer
// choices and every smaller one of as many run through the property, once
// counting choices as Hypothesis does and once as this engine does):
// exhaustively for the memrchr byte lists, the versions, the mu-law
// streams (every Int16 in a list of one), the cron ranges and the
// capability sets up to the minimum; for the histogram samples, the
// integer codes below 10^5 and every exponent from 2^0 to 2^-1 with its
// first 64 mantissas (256 with this engine's clamping: every code before
// the minimum is 0, 1 or a value past 1); for the protobuf messages, every
// string of up to three bytes and, with the bytes capped at 0...8, 0x7F,
// 0x80, 0x81 and 0xFF, every string of four and five bytes up to the
// minimum; with the ranks capped at 2 for the patch values and the nested
// configurations' keys (their leaves at 0: no merge looks at a leaf's
// value), at 3 for the dependency indices, the state machines' arguments,
// the StatsD values (no counter can fail) and the tenants' weights (the
// tenant ids at 4, the slots at 10), whose failures do not need larger
// values.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PropertyTesting
import ShrinkBenchmarkSupport

/// The bucket of a latency sample in a histogram of power-of-two buckets
/// (bucket b holds [2^b, 2^(b+1))) as a quick version takes it: log2 of the
/// sample converted to Int. The conversion truncates towards zero, so a
/// sample below 1 that is not a power of two lands a bucket too high.
func log2BucketTruncating(_ x: Double) -> Int { Int(log2(x)) }

/// The index of the last zero byte as a word-at-a-time memrchr finds it:
/// the bytes past the last whole 8-byte word one by one from the end, then
/// each word (little-endian) from the last down with the has-zero test
/// (x - 0x01..01) & ~x & 0x80..80, taking the highest flagged byte. The test
/// is exact about whether a word holds a zero, but the borrow out of a zero
/// byte also flags a 0x01 byte above it, so the highest flag can be one
/// past the last zero.
func memrchrWordAtATime(_ b: [UInt8]) -> Int? {
    let words = b.count / 8
    for i in stride(from: b.count - 1, through: 8 * words, by: -1) where b[i] == 0 { return i }
    for w in stride(from: words - 1, through: 0, by: -1) {
        var x: UInt64 = 0
        for k in 0..<8 { x |= UInt64(b[8 * w + k]) << UInt64(8 * k) }
        let mask = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
        if mask != 0 { return 8 * w + (63 - mask.leadingZeroBitCount) / 8 }
    }
    return nil
}

/// A semantic version: major, minor, patch and the pre-release identifiers
/// (none for a release).
struct SemanticVersion: Equatable, Sendable {
    let major: Int, minor: Int, patch: Int
    let prerelease: [String]

    var repr: String { "(\(major), \(minor), \(patch), \(pyList(prerelease.map(pyString))))" }
}

/// Two pre-release identifiers: numeric ones by value, before alphanumeric
/// ones, which go by their text.
func semverIdentifierOrder(_ x: String, _ y: String) -> Int {
    let xNumeric = x.allSatisfy { ("0"..."9").contains($0) }, yNumeric = y.allSatisfy { ("0"..."9").contains($0) }
    if xNumeric && yNumeric { return Int(x)! == Int(y)! ? 0 : (Int(x)! < Int(y)! ? -1 : 1) }
    if xNumeric || yNumeric { return xNumeric ? -1 : 1 }
    return x == y ? 0 : (x < y ? -1 : 1)
}

/// -1, 0 or 1: major, minor and patch, then the pre-release identifiers one
/// by one, a shorter list first when one is a prefix of the other; a
/// release (no identifiers) after its pre-releases. With `releaseLast:
/// false` it is the buggy comparator, which compares the lists as they are,
/// so a release's empty list goes first: 1.0.0 before 1.0.0-rc.
func semverCompare(_ a: SemanticVersion, _ b: SemanticVersion, releaseLast: Bool) -> Int {
    let ca = (a.major, a.minor, a.patch), cb = (b.major, b.minor, b.patch)
    if ca != cb { return ca < cb ? -1 : 1 }
    if releaseLast && (a.prerelease.isEmpty || b.prerelease.isEmpty) {
        return (a.prerelease.isEmpty ? 1 : 0) - (b.prerelease.isEmpty ? 1 : 0)
    }
    for (x, y) in zip(a.prerelease, b.prerelease) {
        let c = semverIdentifierOrder(x, y)
        if c != 0 { return c }
    }
    return a.prerelease.count == b.prerelease.count ? 0 : (a.prerelease.count < b.prerelease.count ? -1 : 1)
}

/// A G.711 mu-law byte: the magnitude clipped, the bias 0x84 added in a
/// 16-bit temporary (as the C it was ported from stores it), the segment
/// from the highest of bits 14...7 and four bits of mantissa under it, all
/// inverted. Clipped at 32635 the biased magnitude fits in 16 bits; the
/// buggy encoder clips at Int16.max, and from 32636 on the sum wraps.
func muLawByte(_ sample: Int16, clip: Int) -> UInt8 {
    let sign = sample < 0 ? 0x80 : 0
    let magnitude = min(abs(Int(sample)), clip)
    let biased = Int(Int16(truncatingIfNeeded: magnitude + 0x84))
    var exponent = 7
    while exponent > 0 && biased & (0x80 << exponent) == 0 { exponent -= 1 }
    let mantissa = (biased >> (exponent + 3)) & 0x0F
    return ~UInt8(sign | exponent << 4 | mantissa)
}

/// Slots shared among tenants in proportion to their weights: each gets the
/// floor of its quota, and (the bug) all that is left over goes to the
/// least tenant id, where it should go one slot each to the largest
/// remainders.
func fairShares(_ weights: [Int: Int], slots: Int) -> [Int: Int] {
    let total = weights.values.reduce(0, +)
    var shares = weights.mapValues { slots * $0 / total }
    shares[weights.keys.min()!]! += slots - shares.values.reduce(0, +)
    return shares
}

/// A dictionary of Ints as Python prints it (keys sorted).
func pyIntDict(_ d: [Int: Int]) -> String {
    "{" + d.keys.sorted().map { "\($0): \(d[$0]!)" }.joined(separator: ", ") + "}"
}

/// A layered configuration: values, and tables of keys 0...3.
indirect enum ConfigNode: Equatable, Sendable {
    case value(Int)
    case table([Int: ConfigNode])

    var repr: String {
        switch self {
        case .value(let v): return String(v)
        case .table(let t): return "{" + t.keys.sorted().map { "\($0): \(t[$0]!.repr)" }.joined(separator: ", ") + "}"
        }
    }
}

/// The override laid over the base: tables merge key by key, anything else
/// is replaced. With `deep: false` it is the buggy merge, which replaces a
/// table held under a key of the top table instead of merging it.
func mergeConfig(_ base: ConfigNode, _ override: ConfigNode, deep: Bool) -> ConfigNode {
    guard case .table(let b) = base, case .table(let o) = override else { return override }
    var out = b
    for (k, v) in o { out[k] = deep && b[k] != nil ? mergeConfig(b[k]!, v, deep: true) : v }
    return .table(out)
}

/// A varint of at most ten bytes at `i` (its value mod 2^64), moving `i`
/// past it; nil, leaving `i`, when it is cut short or longer.
func readProtoVarint(_ b: [UInt8], _ i: inout Int) -> UInt64? {
    var value: UInt64 = 0
    for k in 0..<10 {
        guard i + k < b.count else { return nil }
        value |= UInt64(b[i + k] & 0x7F) << UInt64(7 * k)
        if b[i + k] < 0x80 {
            i += k + 1
            return value
        }
    }
    return nil
}

/// The (field, wire type) pairs of a protobuf message, each value skipped by
/// its wire type (0 a varint, 1 eight bytes, 2 a length and that many bytes,
/// 5 four bytes), or nil for a malformed message. With `fixed32Size: 8` it
/// is the buggy reader, which skips a fixed32 as if it were a fixed64.
func protobufFields(_ b: [UInt8], fixed32Size: Int) -> [[UInt64]]? {
    var out: [[UInt64]] = []
    var i = 0
    while i < b.count {
        guard let tag = readProtoVarint(b, &i) else { return nil }
        switch tag & 7 {
        case 0:
            guard readProtoVarint(b, &i) != nil else { return nil }
        case 1, 5:
            let size = tag & 7 == 1 ? 8 : fixed32Size
            guard i + size <= b.count else { return nil }
            i += size
        case 2:
            guard let n = readProtoVarint(b, &i), n <= UInt64(b.count - i) else { return nil }
            i += Int(n)
        default:
            return nil
        }
        out.append([tag >> 3, tag & 7])
    }
    return out
}

/// Whether a build graph (node i depends on the nodes in deps[i]; indices
/// past the end are ignored) has a cycle, depth-first from each node in
/// turn: a cycle is a dependency still in progress. With `anyVisited` it is
/// the buggy check, which keeps one visited set and takes any node visited
/// before, finished ones too, for a cycle.
func hasDependencyCycle(_ deps: [[Int]], anyVisited: Bool) -> Bool {
    var open: [Int: Bool] = [:]
    func visit(_ u: Int) -> Bool {
        if let inProgress = open[u] { return anyVisited || inProgress }
        open[u] = true
        for v in deps[u] where v < deps.count {
            if visit(v) { return true }
        }
        open[u] = false
        return false
    }
    for u in deps.indices where open[u] == nil {
        if visit(u) { return true }
    }
    return false
}

/// A service's settings, and a patch that sets some of them.
struct ServiceSettings: Equatable {
    var timeoutMillis: Int32
    var retries: UInt8
    var verbose: Bool
}

struct SettingsPatch {
    var timeoutMillis: Int32?
    var retries: UInt8?
    var verbose: Bool?
}

/// The settings with each field the patch sets replaced. With `skipsZero` it
/// is the buggy apply, which skips fields set to a zero value (0, false), as
/// a decoder that cannot tell a zero from an absent field does.
func applySettingsPatch(_ s: ServiceSettings, _ p: SettingsPatch, skipsZero: Bool) -> ServiceSettings {
    var out = s
    if let t = p.timeoutMillis, !(skipsZero && t == 0) { out.timeoutMillis = t }
    if let r = p.retries, !(skipsZero && r == 0) { out.retries = r }
    if let v = p.verbose, !(skipsZero && !v) { out.verbose = v }
    return out
}

func pyOptional<T>(_ x: T?, _ show: (T) -> String = { "\($0)" }) -> String { x.map(show) ?? "None" }
func pyBool(_ b: Bool) -> String { b ? "True" : "False" }

/// Settings and a patch as Python prints the tuples.
func pySettingsAndPatch(_ t: (ServiceSettings, SettingsPatch)) -> String {
    let settings = "(\(t.0.timeoutMillis), \(t.0.retries), \(pyBool(t.0.verbose)))"
    let patch = "(\(pyOptional(t.1.timeoutMillis)), \(pyOptional(t.1.retries)), \(pyOptional(t.1.verbose, pyBool)))"
    return "(\(settings), \(patch))"
}

/// A stream's send window under HTTP/2 flow control, the initial window
/// size 4: a send takes what fits, a WINDOW_UPDATE adds to it, and a new
/// SETTINGS_INITIAL_WINDOW_SIZE must move it by the difference from the old
/// size (RFC 9113, 6.9.2). With `movesByDifference: false` it is the buggy
/// stream, which sets its window to the new size, forgetting what is in
/// flight.
final class StreamSendWindow {
    let movesByDifference: Bool
    private(set) var window = 4
    private var initial = 4

    init(movesByDifference: Bool) { self.movesByDifference = movesByDifference }

    func send(_ n: Int) { window -= min(n, window) }

    func windowUpdate(_ n: Int) { window += n }

    func setInitialWindow(_ size: Int) {
        window = movesByDifference ? window + size - initial : size
        initial = size
    }
}

/// A buffered writer of four bytes, counting bytes only: a write that does
/// not fit flushes the buffer first, and then (the bug) copies no more than
/// the room it measured before the flush.
final class SmallBufferedWriter {
    private(set) var buffered = 0
    private(set) var flushed = 0

    func write(_ n: Int) {
        let room = 4 - buffered
        if n > room { flush() }
        buffered += min(n, room)
    }

    func flush() {
        flushed += buffered
        buffered = 0
    }
}

/// A StatsD metric named "m".
enum StatsdMetric: Equatable, Sendable {
    case counter(Int64)
    case gauge(Int64)
    case timing(UInt32)

    var repr: String {
        switch self {
        case .counter(let v): return "('counter', \(v))"
        case .gauge(let v): return "('gauge', \(v))"
        case .timing(let v): return "('timing', \(v))"
        }
    }
}

/// The lines a StatsD client sends for a metric. A gauge value with a sign
/// is a change to the gauge, so a negative gauge must be sent as a reset to
/// 0 and then the change; with `resetsNegativeGauge: false` it is the buggy
/// client, which sends it bare.
func statsdLines(_ metric: StatsdMetric, resetsNegativeGauge: Bool) -> [String] {
    switch metric {
    case .counter(let v): return ["m:\(v)|c"]
    case .timing(let v): return ["m:\(v)|ms"]
    case .gauge(let v): return v < 0 && resetsNegativeGauge ? ["m:0|g", "m:\(v)|g"] : ["m:\(v)|g"]
    }
}

/// A StatsD server's state for "m": a counter and a gauge (both at 100 to
/// start with) and the timings received.
struct StatsdServer: Equatable {
    var counter: Int64 = 100
    var gauge: Int64 = 100
    var timings: [Int64] = []

    mutating func receive(_ line: String) {
        let parts = line.dropFirst(2).split(separator: "|")
        let text = String(parts[0]), value = Int64(text)!
        switch parts[1] {
        case "c": counter &+= value
        case "ms": timings.append(value)
        default:
            if text.hasPrefix("+") || text.hasPrefix("-") { gauge &+= value } else { gauge = value }
        }
    }
}

/// Capabilities (0...40) packed as the bits of a 32-bit mask, as the first
/// version of the capability API did: 1 << c is 0 from 32 on.
func capabilityMask32(_ caps: Set<Int>) -> UInt32 { caps.reduce(0) { $0 | 1 << $1 } }

/// The forty-first batch, written by someone who had not read the shrinker:
/// a histogram bucket from log2 truncated, a word-at-a-time memrchr whose
/// borrow flags a byte above the zero, a version comparator that puts a
/// release before its pre-releases, a mu-law encoder clipped without room
/// for its bias, cron steps counted from zero, a fair share that gives all
/// that is left over to the first tenant, a configuration merge that
/// replaces nested tables, a protobuf reader that skips a fixed32 as eight
/// bytes, a cycle check that takes a finished node for a back edge, a patch
/// that skips zero values, an HTTP/2 window reset by a new initial size, a
/// buffered writer that copies only the room it had before flushing, a
/// StatsD client that sends a negative gauge bare and capabilities packed
/// in 32 bits.
func fortyFirstBatch() -> [Problem] { [
    // Doubles in 0...1 (latencies in seconds): the bucket log2 gives a sample must hold it.
    // Minimum: 0 is skipped and 1 (the only other integer in range) is in
    // bucket 0; doubles past 1 (every exponent from 2^0 up comes first in the
    // lex order) are out of range (here clamped to 1, which passes); then
    // exponent -1, whose first mantissa is 0.5, a power of two, and whose
    // second is 0.75, whose log2 of -0.4 truncates to bucket 0.
    problem("histogram_log2_bucket_truncates_fractions", Gen.doubles(in: 0...1), show: pyFloat, ideal: { $0 == 0.75 }) { x in
        guard x > 0 else { return }
        let b = log2BucketTruncating(x)
        try check(Double(sign: .plus, exponent: b, significand: 1) <= x && x < Double(sign: .plus, exponent: b + 1, significand: 1))
    },
    // Byte strings of the bytes a word-at-a-time test is fragile at (0x00, 0x01, 0x7F, 0x80, 0xFF, in that
    // order): the word-at-a-time memrchr must find the last zero byte.
    // Minimum: below 8 bytes every byte is scanned on its own; a word needs
    // a zero with a 0x01 right above it and no zero after that, and of 8
    // bytes all zero but the last, which is 0x01, is the first such (all
    // eight zero passes).
    problem("memrchr_swar_borrow_flags_byte_above_zero", Gen.arrays(of: Gen.element(of: [UInt8(0x00), 0x01, 0x7F, 0x80, 0xFF])),
            show: pyBytes, ideal: { $0 == [0, 0, 0, 0, 0, 0, 0, 1] }) { b in
        try check(memrchrWordAtATime(b) == b.lastIndex(of: 0))
    },
    // Pairs of versions (major, minor, patch in 0...2, up to two pre-release identifiers of one or two characters
    // over "0a"): the comparator must order them as semantic versioning does.
    // Minimum: only a release beside a pre-release of the same version is
    // ordered differently; the first version's list comes first in the
    // choices, so it is the release 0.0.0, and the second 0.0.0-0, the
    // shortest list of the simplest identifier.
    problem("semver_release_sorts_before_its_prerelease",
            Gen.zip(semanticVersions, semanticVersions), show: { "(\($0.0.repr), \($0.1.repr))" },
            ideal: { $0.0 == SemanticVersion(major: 0, minor: 0, patch: 0, prerelease: [])
                && $0.1 == SemanticVersion(major: 0, minor: 0, patch: 0, prerelease: ["0"]) }) { t in
        try check(semverCompare(t.0, t.1, releaseLast: false) == semverCompare(t.0, t.1, releaseLast: true))
    },
    // Lists of Int16 samples: the mu-law encoder clipped at Int16.max must encode as the one clipped at 32635.
    // Minimum: the encoders differ exactly on magnitudes from 32636 on, one
    // sample is enough, and 32636 comes before -32636.
    problem("mulaw_encoder_clips_without_bias_headroom", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList,
            ideal: { $0 == [32636] }) { xs in
        try check(xs.map { muLawByte($0, clip: 32767) } == xs.map { muLawByte($0, clip: 32635) })
    },
    // A crontab minute field "lo-hi/step" (lo in 0...59, then hi in lo...59 and step in 1...30): the minutes must
    // be lo, lo + step, ... up to hi, not the multiples of step between lo and hi.
    // Minimum: from 0 the two are the same; from 1, hi's simplest is 1 and a
    // step of 1 takes every minute, so step 2, which the buggy expansion
    // turns into no minute at all.
    problem("cron_range_step_counted_from_zero",
            Gen.ints(in: 0...59).flatMap { lo in Gen.zip(Gen.ints(in: lo...59), Gen.ints(in: 1...30)).map { (lo, $0.0, $0.1) } },
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (1, 1, 2) }) { t in
        try check((t.0...t.1).filter { $0 % t.2 == 0 } == Array(stride(from: t.0, through: t.1, by: t.2)))
    },
    // (tenant ids 0...15 to weights 1...100, then the slots, from the tenant count to 64 more): each tenant's share
    // must be within one slot of its exact quota.
    // Minimum: with two tenants at most one slot is left over, and only
    // when the first quota has a fraction, which the slot covers; three
    // tenants 0, 1 and 2 of weight 1 have a fraction of 1/3 each, nothing
    // left over among 3 slots, one among 4 (first share 2 for 4/3) and two
    // among 5, the first of which gets 3 for a quota of 5/3.
    problem("fair_share_leftover_all_to_first_tenant",
            Gen.dictionaries(keys: Gen.ints(in: 0...15), values: Gen.ints(in: 1...100)).flatMap { weights in
                Gen.ints(in: weights.count...(weights.count + 64)).map { (weights, $0) }
            },
            show: { "(\(pyIntDict($0.0)), \($0.1))" }, ideal: { $0.0 == [0: 1, 1: 1, 2: 1] && $0.1 == 5 }) { t in
        guard !t.0.isEmpty else { return }
        let total = t.0.values.reduce(0, +)
        let shares = fairShares(t.0, slots: t.1)
        for (k, w) in t.0 { try check(abs(shares[k]! * total - t.1 * w) < total) }
    },
    // Pairs of configurations (values 0...9; tables of keys 0...3; three levels): the merge that replaces nested
    // tables must agree with the deep merge.
    // Minimum: they differ only where both hold tables under one key and the
    // base's table has a key the override's lacks; the base comes first, so
    // {0: {0: 0}} (a table, key 0, a table, key 0, the value 0), and then the
    // override {0: {}}.
    problem("config_merge_replaces_nested_table", Gen.zip(layeredConfigs, layeredConfigs),
            show: { "(\($0.0.repr), \($0.1.repr))" },
            ideal: { $0.0 == .table([0: .table([0: .value(0)])]) && $0.1 == .table([0: .table([:])]) }) { t in
        try check(mergeConfig(t.0, t.1, deep: false) == mergeConfig(t.0, t.1, deep: true))
    },
    // Byte strings of up to 16 bytes: the protobuf reader that skips a fixed32 as eight bytes must read the fields
    // the right one reads.
    // Minimum: the readers differ only after a wire-type-5 tag with at least
    // four bytes after it (else both fail), so five bytes at least, the tag
    // first; 0x05 (field 0, wire type 5) is the least such tag, and before it
    // no tag of a lower byte leaves room for one.
    problem("protobuf_skip_fixed32_takes_eight_bytes", Gen.bytes(count: 0...16), show: pyBytes,
            ideal: { $0 == [5, 0, 0, 0, 0] }) { b in
        try check(protobufFields(b, fixed32Size: 8) == protobufFields(b, fixed32Size: 4))
    },
    // Build graphs (each node's list of dependencies 0...7): the cycle check that takes any visited node for a
    // cycle must agree with the one that looks for nodes in progress.
    // Minimum: one node disagrees on nothing (a self-dependency is a cycle
    // to both); of two, the first with no dependencies and the second on the
    // first, which the buggy check finds visited.
    problem("cycle_check_takes_finished_node_for_back_edge", Gen.arrays(of: Gen.arrays(of: Gen.ints(in: 0...7))),
            show: { pyList($0.map { pyList($0) }) }, ideal: { $0 == [[], [0]] }) { deps in
        try check(hasDependencyCycle(deps, anyVisited: true) == hasDependencyCycle(deps, anyVisited: false))
    },
    // (settings: an Int32 timeout, UInt8 retries, a verbose flag; a patch of each, optional): the apply that skips
    // zero values must apply the patch as the right one does.
    // Minimum: a patch of one zero value over a field that is not zero; the
    // settings come first, and (0, 0, true) is the least with a field not
    // zero, then a patch setting only verbose, to false.
    problem("config_patch_skips_zero_values",
            Gen.zip(serviceSettings, settingsPatches), show: pySettingsAndPatch,
            ideal: { t in
                t.0 == ServiceSettings(timeoutMillis: 0, retries: 0, verbose: true)
                    && t.1.timeoutMillis == nil && t.1.retries == nil && t.1.verbose == false
            }) { t in
        try check(applySettingsPatch(t.0, t.1, skipsZero: true) == applySettingsPatch(t.0, t.1, skipsZero: false))
    },
    // sends of 1...4 (while the window is open), window updates of 1...4 and new initial window sizes 0...8, on a
    // stream that sets its window to a new initial size: the window must be the right stream's.
    // Minimum: a new size alone, or after another, moves the window to the
    // size in both; after a send or an update it differs, so two steps, a
    // send first (the first rule) of 1, then the new size (the third rule) 0.
    machineProblem("machine_h2_initial_window_setting_resets_window", StateMachine<StreamSendWindow, StreamSendWindow>(
        model: { StreamSendWindow(movesByDifference: true) }, system: { StreamSendWindow(movesByDifference: false) },
        rules: [
            .init("send", precondition: { $0.window > 0 }) { model, stream, step in
                let n = try step.draw(Gen.ints(in: 1...4), "n")
                model.send(n)
                stream.send(n)
            },
            .init("windowUpdate") { model, stream, step in
                let n = try step.draw(Gen.ints(in: 1...4), "n")
                model.windowUpdate(n)
                stream.windowUpdate(n)
            },
            .init("settings") { model, stream, step in
                let size = try step.draw(Gen.ints(in: 0...8), "initialWindow")
                model.setInitialWindow(size)
                stream.setInitialWindow(size)
            },
        ],
        check: { model, stream in
            try expect(stream.window == model.window, "window \(stream.window), expected \(model.window)")
        }),
        ideal: ["send(n: 1)", "settings(initialWindow: 0)"]),
    // writes of 1...3 bytes and flushes, on a four-byte buffered writer that copies only the room it had before
    // flushing: every byte written must be flushed or buffered.
    // Minimum: a write is lost only when it does not fit, so at least two
    // writes; after 1 byte any write fits, and after 2 a write of 3 (the
    // second write's least that does not fit) copies 2.
    machineProblem("machine_buffered_writer_room_taken_before_flush", StateMachine<Int, SmallBufferedWriter>(
        model: { 0 }, system: SmallBufferedWriter.init,
        rules: [
            .init("write") { written, writer, step in
                let n = try step.draw(Gen.ints(in: 1...3), "n")
                written += n
                writer.write(n)
            },
            .init("flush") { _, writer, _ in
                writer.flush()
            },
        ],
        check: { written, writer in
            try expect(writer.flushed + writer.buffered == written,
                       "flushed \(writer.flushed) + buffered \(writer.buffered), written \(written)")
        }),
        ideal: ["write(n: 2)", "write(n: 3)"]),
    // Counters and gauges (Int64) and timings (UInt32), sent to a server holding its counter and gauge at 100: a
    // counter must add its value, a gauge end at its value and a timing be recorded.
    // Minimum: counters (the first branch) always add up; a gauge of 0 or 1
    // is set, and -1, the next, is read as a change of -1.
    problem("statsd_negative_gauge_sent_as_change",
            Gen.oneOf(Gen.integers(of: Int64.self).map { StatsdMetric.counter($0) },
                      Gen.integers(of: Int64.self).map { StatsdMetric.gauge($0) },
                      Gen.integers(of: UInt32.self).map { StatsdMetric.timing($0) }),
            show: \.repr, ideal: { $0 == .gauge(-1) }) { metric in
        var server = StatsdServer()
        for line in statsdLines(metric, resetsNegativeGauge: false) { server.receive(line) }
        switch metric {
        case .counter(let v): try check(server == StatsdServer(counter: 100 &+ v))
        case .gauge(let v): try check(server == StatsdServer(gauge: v))
        case .timing(let v): try check(server == StatsdServer(timings: [Int64(v)]))
        }
    },
    // Sets of capabilities 0...40: packed in a 32-bit mask and read back, they must be the same set.
    // Minimum: a capability from 32 on is lost, one is enough, and 32 is the least.
    problem("capability_set_packed_in_32_bit_mask", Gen.sets(of: Gen.ints(in: 0...40)),
            show: { $0.isEmpty ? "set()" : "{" + $0.sorted().map(String.init).joined(separator: ", ") + "}" },
            ideal: { $0 == [32] }) { caps in
        let mask = capabilityMask32(caps)
        try check(Set((0...40).filter { mask >> $0 & 1 == 1 }) == caps)
    },
] }

/// Versions with numbers 0...2 (so that two versions often share them) and up to two pre-release identifiers of one
/// or two characters over "0a".
let semanticVersions = Gen.zip(Gen.ints(in: 0...2), Gen.ints(in: 0...2), Gen.ints(in: 0...2),
                               Gen.arrays(of: Gen.strings(of: Gen.characters(from: "0a"), count: 1...2), count: 0...2))
    .map { SemanticVersion(major: $0.0, minor: $0.1, patch: $0.2, prerelease: $0.3) }

/// Configurations three levels deep: a value 0...9, or a table of keys 0...3.
let layeredConfigs = Gen.recursive(maxDepth: 3, label: "config", base: Gen.ints(in: 0...9).map { ConfigNode.value($0) }) { inner in
    Gen.dictionaries(keys: Gen.ints(in: 0...3), values: inner).map { ConfigNode.table($0) }
}

/// Settings of any timeout, retries and verbosity.
let serviceSettings = Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: UInt8.self), Gen.booleans())
    .map { ServiceSettings(timeoutMillis: $0.0, retries: $0.1, verbose: $0.2) }

/// Patches that set each field or not.
let settingsPatches = Gen.zip(Gen.optional(Gen.integers(of: Int32.self)), Gen.optional(Gen.integers(of: UInt8.self)),
                              Gen.optional(Gen.booleans()))
    .map { SettingsPatch(timeoutMillis: $0.0, retries: $0.1, verbose: $0.2) }
