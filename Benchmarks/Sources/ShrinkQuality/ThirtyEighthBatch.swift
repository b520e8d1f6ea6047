// The thirty-eighth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-eighth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Each was
// also checked by enumerating choice sequences in that order until the
// first failing one: exhaustively for the names, the forms, the decimals,
// the state machines, the floats (every integer code up to the minimum)
// and the listings (every size up to the minimum); for the key sets with
// keys of up to one byte (none fails within seven choices) and of up to
// two at seven choices; for the JSON values with the integers, which both
// texts print alike, capped; with the ranks of the 16- and 64-bit words
// capped, past their boundary values, for the mixes and the logfmt
// integers; and at the boundary for the extents and the read counts.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A Float packed into IEEE binary16 bits by hand, as graphics and
/// inference code does: the exponent rebiased, the dropped mantissa bits
/// rounded by adding half their weight before the shift (a carry runs on
/// into the exponent), and values below binary16's normal range shifted
/// into a subnormal. Adding half rounds a tie away from zero, where IEEE
/// rounding (to nearest, ties to even) takes the even neighbour. For finite
/// values of at most 65504 in magnitude.
func halfBitsAddingHalf(_ x: Float) -> UInt16 {
    let bits = x.bitPattern
    let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
    let magnitude = bits & 0x7FFF_FFFF
    if magnitude >= 0x3880_0000 {
        // 2^-14 and up: a binary16 normal.
        return sign | UInt16(truncatingIfNeeded: (magnitude - 0x3800_0000 + 0x1000) >> 13)
    }
    // The value in units of 2^-24 (binary16's least subnormal) is the
    // mantissa, with its implicit bit, shifted right by 126 - exponent.
    let exponent = Int(magnitude >> 23)
    let shift = 126 - exponent
    guard exponent > 0, shift <= 24 else { return sign }
    let mantissa = magnitude & 0x7F_FFFF | 0x80_0000
    return sign | UInt16(truncatingIfNeeded: (mantissa + (1 << UInt32(shift - 1))) >> UInt32(shift))
}

/// The same packing rounded as IEEE rounds (to nearest, ties to even), as
/// `Float16(x)` does where the platform has it.
func halfBitsRoundingToEven(_ x: Float) -> UInt16 {
    let bits = x.bitPattern
    let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
    let magnitude = bits & 0x7FFF_FFFF
    let (kept, rest, half): (UInt32, UInt32, UInt32)
    if magnitude >= 0x3880_0000 {
        (kept, rest, half) = ((magnitude - 0x3800_0000) >> 13, magnitude & 0x1FFF, 0x1000)
    } else {
        let exponent = Int(magnitude >> 23)
        let shift = 126 - exponent
        guard exponent > 0, shift <= 24 else { return sign }
        let mantissa = magnitude & 0x7F_FFFF | 0x80_0000
        (kept, rest, half) = (mantissa >> UInt32(shift), mantissa & ((1 << UInt32(shift)) - 1), 1 << UInt32(shift - 1))
    }
    let roundsUp = rest > half || (rest == half && kept & 1 == 1)
    return sign | UInt16(truncatingIfNeeded: kept + (roundsUp ? 1 : 0))
}

/// Whether a write's extent (offset, length) is accepted: neither may be
/// negative and its end must fit in a file offset (Int64, off_t). The end is
/// checked in Double, as in code that keeps sizes in doubles: Double(Int64.max)
/// is 2^63, and an end up to 2^63 + 512 rounds to it and passes.
func extentAcceptedCheckingEndInDouble(offset: Int64, length: Int64) -> Bool {
    offset >= 0 && length >= 0 && Double(offset) + Double(length) <= Double(Int64.max)
}

/// Binary units for sizes shown to people.
let humanSizeUnits = ["B", "KiB", "MiB", "GiB"]

/// A file size as `ls -h` style text: bytes below 1024, else in the largest
/// binary unit the size reaches, with one decimal rounded half up. The unit
/// is picked before the rounding, so a size just under a unit rounds up to
/// "1024.0" of the unit below it.
func humanSize(_ bytes: UInt32) -> String {
    var unit = 0
    while unit < 3 && UInt64(bytes) >= UInt64(1) << (10 * UInt64(unit + 1)) { unit += 1 }
    if unit == 0 { return "\(bytes) B" }
    let scale = UInt64(1) << (10 * UInt64(unit))
    let tenths = (UInt64(bytes) * 10 + scale / 2) / scale
    return "\(tenths / 10).\(tenths % 10) \(humanSizeUnits[unit])"
}

/// Whether a read of `count` bytes (UInt64, a size_t) may go ahead with
/// `available` bytes buffered (Int64, an ssize_t, negative when the last fill
/// failed). The count is cast to Int64 for the comparison, so a count of
/// 2^63 or more reads as negative and passes.
func readAllowedComparingSigned(count: UInt64, available: Int64) -> Bool {
    Int64(bitPattern: count) <= available
}

/// Channels mixed into one Int16 sample as a mixer's inner loop does it:
/// added one at a time with saturation. Saturating a partial sum loses what
/// a later channel of the other sign would have taken back off it.
func mixSaturatingEachStep(_ samples: [Int16]) -> Int16 {
    samples.reduce(0) { acc, x in
        let (sum, overflow) = acc.addingReportingOverflow(x)
        return overflow ? (x > 0 ? .max : .min) : sum
    }
}

/// The exact mix: the whole sum, clamped once.
func mixClampingOnce(_ samples: [Int16]) -> Int16 { Int16(clamping: samples.reduce(0) { $0 + Int($1) }) }

/// A name split into runs of digits and runs of other characters.
func nameRuns(_ s: String) -> [(digits: Bool, text: [Unicode.Scalar])] {
    var runs: [(digits: Bool, text: [Unicode.Scalar])] = []
    for u in s.unicodeScalars {
        let digit = ("0"..."9").contains(u)
        if let last = runs.last, last.digits == digit {
            runs[runs.count - 1].text.append(u)
        } else {
            runs.append((digit, [u]))
        }
    }
    return runs
}

/// -1, 0 or 1 as `a` comes before, ties with or comes after `b`, code point by code point.
func compareScalars(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    for (x, y) in zip(a, b) where x != y { return x.value < y.value ? -1 : 1 }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Natural order for file names ("img2" before "img10"), as -1, 0 or 1: run
/// by run, two digit runs as numbers (fewer significant digits first, then
/// digit by digit), a digit run before any other run, other runs as
/// strings; a name that runs out first comes first, and names all of whose
/// runs tie ("a01" and "a1") compare as plain strings. With
/// `stripsZeros: false` it is the buggy order, which compares digit runs by
/// length without dropping their leading zeros, so "00" comes after "1".
func naturalCompare(_ a: String, _ b: String, stripsZeros: Bool) -> Int {
    let (ra, rb) = (nameRuns(a), nameRuns(b))
    for (x, y) in zip(ra, rb) {
        if x.digits != y.digits { return x.digits ? -1 : 1 }
        var (p, q) = (x.text, y.text)
        if x.digits {
            if stripsZeros {
                p = Array(p.drop { $0 == "0" })
                q = Array(q.drop { $0 == "0" })
            }
            if p.count != q.count { return p.count < q.count ? -1 : 1 }
        }
        let c = compareScalars(p, q)
        if c != 0 { return c }
    }
    if ra.count != rb.count { return ra.count < rb.count ? -1 : 1 }
    return compareScalars(Array(a.unicodeScalars), Array(b.unicodeScalars))
}

/// Sorted keys prefix-compressed as in an SSTable block: each key as the
/// length of the prefix it shares with the key before it and the bytes
/// after that prefix.
func prefixCompress(_ keys: [[UInt8]]) -> [(shared: Int, rest: [UInt8])] {
    var previous: [UInt8] = []
    return keys.map { key in
        let shared = zip(previous, key).prefix { $0 == $1 }.count
        previous = key
        return (shared, Array(key[shared...]))
    }
}

/// The buggy reader: it takes each key's shared prefix from the block's
/// restart key (its first) instead of from the key before, which is right
/// only while no key shares more with the key before it than the first does.
func prefixExpandFromRestart(_ entries: [(shared: Int, rest: [UInt8])]) -> [[UInt8]] {
    var restart: [UInt8]?
    return entries.map { entry in
        let key = Array((restart ?? []).prefix(entry.shared)) + entry.rest
        if restart == nil { restart = key }
        return key
    }
}

/// A set of byte strings as Python prints one (sorted, so the order is fixed).
func pyBytesSet(_ s: Set<[UInt8]>) -> String {
    s.isEmpty ? "set()" : "{" + s.sorted { $0.lexicographicallyPrecedes($1) }.map(pyBytes).joined(separator: ", ") + "}"
}

/// A form body (application/x-www-form-urlencoded) written from fields:
/// pairs in key order joined by "&", key and value joined by "=", each with
/// space, "%", "&" and "=" percent-encoded. Form readers take "+" for a
/// space; this writer takes it for a safe character and leaves it as itself.
func formEncode(_ fields: [String: String]) -> String {
    func escaped(_ s: String) -> String {
        s.unicodeScalars.map { u -> String in
            switch u {
            case " ": return "%20"
            case "%": return "%25"
            case "&": return "%26"
            case "=": return "%3D"
            default: return String(u)
            }
        }.joined()
    }
    return fields.keys.sorted().map { escaped($0) + "=" + escaped(fields[$0]!) }.joined(separator: "&")
}

/// The reader: pairs split at "&", key and value at the first "=", "+" read
/// as a space and %XX as its byte.
func formDecode(_ body: String) -> [String: String] {
    func unescaped(_ s: Substring) -> String {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let b = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(b)
                i += 3
            } else {
                out.append(bytes[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
    var fields: [String: String] = [:]
    guard !body.isEmpty else { return fields }
    for pair in body.split(separator: "&", omittingEmptySubsequences: false) {
        let key = pair.prefix { $0 != "=" }
        let value = pair.dropFirst(key.count + 1)
        fields[unescaped(key)] = unescaped(value)
    }
    return fields
}

/// A dictionary of strings as Python prints one, keys sorted.
func pyStringDict(_ d: [String: String]) -> String {
    "{" + d.keys.sorted().map { "\(pyString($0)): \(pyString(d[$0]!))" }.joined(separator: ", ") + "}"
}

/// A DECIMAL(p, s) value (an unscaled Int32 of at most p digits, s of them
/// after the point) as text: the whole part as the value divided by 10^s,
/// the fraction as the remainder's magnitude. Division truncates towards
/// zero, so a negative value above -1 has a whole part of 0, which carries
/// no sign: -0.5 is written "0.5".
func decimalText(_ unscaled: Int32, scale: Int) -> String {
    var unit: Int32 = 1
    for _ in 0..<scale { unit *= 10 }
    let whole = unscaled / unit
    guard scale > 0 else { return String(whole) }
    let fraction = String((unscaled % unit).magnitude)
    return "\(whole)." + String(repeating: "0", count: scale - fraction.count) + fraction
}

/// Decimal text read back as its unscaled value: an optional "-", digits,
/// and with a scale, "." and that many digits. nil when it is not that.
func decimalParse(_ text: String, scale: Int) -> Int64? {
    var rest = Substring(text)
    let negative = rest.first == "-"
    if negative { rest = rest.dropFirst() }
    let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == (scale > 0 ? 2 : 1), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isASCIIDigitCharacter) }),
          scale == 0 || parts[1].count == scale, parts.joined().count <= 18 else { return nil }
    let value = Int64(parts.joined())!
    return negative ? -value : value
}

/// A logfmt field's value.
enum LogValue: Equatable, Sendable {
    case bool(Bool)
    case int(Int64)
    case str(String)

    var repr: String {
        switch self {
        case .bool(let b): return "('bool', \(b ? "True" : "False"))"
        case .int(let x): return "('int', \(x))"
        case .str(let s): return "('str', \(pyString(s)))"
        }
    }
}

/// Whether a character is one of the ASCII digits.
func isASCIIDigitCharacter(_ c: Character) -> Bool { c.asciiValue.map { (48...57).contains($0) } ?? false }

/// Whether bare text reads as an integer: an optional "-" and digits.
func logfmtLooksNumeric(_ s: String) -> Bool {
    let digits = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
    return !digits.isEmpty && digits.allSatisfy(isASCIIDigitCharacter)
}

/// A logfmt value as written: booleans and integers bare, a string quoted
/// when it is empty, holds a space, "=", a quote or a backslash, or would
/// read back as a boolean or a number. The writer's number test takes a
/// string for a number only when it is all digits, so "-1" goes out bare.
func logfmtText(_ v: LogValue) -> String {
    switch v {
    case .bool(let b): return b ? "true" : "false"
    case .int(let x): return String(x)
    case .str(let s):
        let allDigits = !s.isEmpty && s.allSatisfy(isASCIIDigitCharacter)
        let plain = !s.isEmpty && !allDigits && s != "true" && s != "false"
            && !s.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" }
        if plain { return s }
        var quoted = "\""
        for c in s {
            if c == "\\" || c == "\"" { quoted.append("\\") }
            quoted.append(c)
        }
        return quoted + "\""
    }
}

/// A logfmt value read back: quoted text as a string, "true" and "false"
/// as booleans, an optional "-" and digits that fit in Int64 as an
/// integer, anything else as a string.
func logfmtRead(_ text: String) -> LogValue {
    if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
        var out = ""
        var escaping = false
        for c in text.dropFirst().dropLast() {
            if escaping || c != "\\" {
                out.append(c)
                escaping = false
            } else {
                escaping = true
            }
        }
        return .str(out)
    }
    if text == "true" || text == "false" { return .bool(text == "true") }
    if logfmtLooksNumeric(text), let x = Int64(text) { return .int(x) }
    return .str(text)
}

/// A JSON value of the kinds a signed document holds (object keys are
/// "k0"..."k3", kept in the order written).
indirect enum DocValue: Equatable, Sendable {
    case null
    case int(Int8)
    case array([DocValue])
    case object([DocMember])

    /// As Python prints the twin's value (an object is a dict).
    var repr: String {
        switch self {
        case .null: return "None"
        case .int(let x): return String(x)
        case .array(let xs): return "[" + xs.map { $0.repr }.joined(separator: ", ") + "]"
        case .object(let ms): return "{" + ms.map { "\($0.key): \($0.value.repr)" }.joined(separator: ", ") + "}"
        }
    }

    /// The same value with every object's members in reverse order.
    var membersReversed: DocValue {
        switch self {
        case .null, .int: return self
        case .array(let xs): return .array(xs.map { $0.membersReversed })
        case .object(let ms): return .object(ms.reversed().map { DocMember(key: $0.key, value: $0.value.membersReversed) })
        }
    }

    /// Canonical text for signing: no spaces, an object's members sorted by
    /// key. The buggy canonicalizer sorts the top-level object's members
    /// only and writes nested objects in the order they came in, so the
    /// same document in another member order signs differently.
    func canonicalSortingTopLevelOnly(top: Bool = true) -> String {
        switch self {
        case .null: return "null"
        case .int(let x): return String(x)
        case .array(let xs): return "[" + xs.map { $0.canonicalSortingTopLevelOnly(top: false) }.joined(separator: ",") + "]"
        case .object(let ms):
            let members = top ? ms.sorted { $0.key < $1.key } : ms
            return "{" + members.map { "\"k\($0.key)\":" + $0.value.canonicalSortingTopLevelOnly(top: false) }.joined(separator: ",") + "}"
        }
    }
}

struct DocMember: Equatable, Sendable {
    let key: UInt8
    let value: DocValue
}

/// A lock-dependency tracker's list of the locks a thread holds, in the
/// order taken (what lockdep checks each new acquisition against). Locks
/// may be released in any order; with `popsNewest` it is the buggy tracker,
/// which takes every release to be of the newest lock held, right only
/// while locks are released in the reverse of the order taken.
final class HeldLockTracker {
    let popsNewest: Bool
    private(set) var held: [Int] = []

    init(popsNewest: Bool) { self.popsNewest = popsNewest }

    func acquired(_ lock: Int) { held.append(lock) }

    func released(_ lock: Int) {
        if popsNewest { held.removeLast() } else { held.removeAll { $0 == lock } }
    }
}

/// A lock held, as the guard `HeldLockTracker`'s test hands out.
struct LockGuard {
    let lock: Int
}

/// A pointer handed out by `TaggedHeap`: an address, the block's size and
/// the tag carried in the pointer's top bits.
struct TaggedPointer {
    let address: Int
    let size: Int
    let tag: UInt8
}

/// A heap with memory tagging, as Arm MTE and HWASan do it: every 16-byte
/// granule has a 4-bit tag, a block's granules get its pointer's tag (1 to
/// 15, in turn), and an access through a pointer whose tag is not the
/// granule's faults. A free retags the block's granules with 0, so a stale
/// pointer faults; with `retagsFirstGranuleOnly` it is the buggy heap,
/// whose free (a fast path for small blocks, taken for all) retags the
/// first granule only.
final class TaggedHeap {
    let retagsFirstGranuleOnly: Bool
    private var tags: [UInt8] = []
    private var nextTag: UInt8 = 1

    init(retagsFirstGranuleOnly: Bool) { self.retagsFirstGranuleOnly = retagsFirstGranuleOnly }

    func alloc(_ size: Int) -> TaggedPointer {
        let p = TaggedPointer(address: tags.count * 16, size: size, tag: nextTag)
        tags += [UInt8](repeating: nextTag, count: (size + 15) / 16)
        nextTag = nextTag % 15 + 1
        return p
    }

    func free(_ p: TaggedPointer) {
        let first = p.address / 16
        for g in first..<(first + (retagsFirstGranuleOnly ? 1 : (p.size + 15) / 16)) { tags[g] = 0 }
    }

    func faults(_ p: TaggedPointer, offset: Int) -> Bool { tags[(p.address + offset) / 16] != p.tag }
}

/// A descriptor handed out by `FileLockTable.open`: the file and its open
/// file description.
struct OpenFileHandle {
    let file: Int
    let description: Int
}

/// Whole-file locks held through open file descriptions, as `flock` and
/// OFD locks are: a lock belongs to the description it was taken through,
/// another description of the same file cannot take it, and it goes when
/// that description is closed. With `dropsOnAnyClose` it is the buggy
/// table, which has POSIX record locks' semantics: closing any descriptor
/// of a file drops the lock held on it, even one taken through another.
final class FileLockTable {
    let dropsOnAnyClose: Bool
    private var descriptions = 0
    private(set) var open = 0
    private var owners: [Int: Int] = [:]  // file -> the description holding its lock; only probed

    init(dropsOnAnyClose: Bool) { self.dropsOnAnyClose = dropsOnAnyClose }

    func openFile(_ file: Int) -> OpenFileHandle {
        descriptions += 1
        open += 1
        return OpenFileHandle(file: file, description: descriptions)
    }

    /// Whether the lock is held through `handle` afterwards.
    func lock(_ handle: OpenFileHandle) -> Bool {
        if owners[handle.file] == nil { owners[handle.file] = handle.description }
        return owners[handle.file] == handle.description
    }

    func close(_ handle: OpenFileHandle) {
        open -= 1
        if dropsOnAnyClose || owners[handle.file] == handle.description { owners[handle.file] = nil }
    }

    /// The files locked, of files 0...1.
    var lockedFiles: [Int] { (0...1).filter { owners[$0] != nil } }
}

/// The thirty-eighth batch, written by someone who had not read the
/// shrinker: a binary16 packer that rounds ties away, a file extent whose
/// end is checked in Double, sizes shown as "1024.0" of a unit, a read
/// count compared as signed, a mixer that saturates each partial sum,
/// natural sort that keeps leading zeros, SSTable keys expanded from the
/// restart key, a form writer that leaves "+" bare, a decimal that loses
/// the sign of a value above -1, a logfmt writer that leaves "-1" bare,
/// JSON canonicalized at the top level only, a lock tracker whose release
/// pops the newest lock, a tagged heap that retags a freed block's first
/// granule only and file locks dropped by another descriptor's close.
func thirtyEighthBatch() -> [Problem] { [
    // Floats of -65504...65504: the binary16 bits packed by adding half must be those rounded to even.
    // Minimum: positive values come first, and among them the integers
    // 0, 1, 2, ...; every integer up to 2048 is a binary16 value, and 2049,
    // halfway between 2048 and 2050, is the first tie: 2048 by even, 2050
    // by adding half.
    problem("half_float_pack_rounds_ties_away", Gen.floats(in: -65504...65504), show: { pyFloat(Double($0)) },
            ideal: { $0 == 2049 }) { x in
        try check(halfBitsAddingHalf(x) == halfBitsRoundingToEven(x))
    },
    // (Int64 offset, Int64 length): an extent accepted must end within Int64.
    // Minimum: the offset comes first; at 0 no length overflows, and at 1
    // only Int64.max does, whose end 2^63 rounds to Double(Int64.max) = 2^63
    // and passes.
    problem("file_extent_end_checked_in_double", Gen.zip(Gen.integers(of: Int64.self), Gen.integers(of: Int64.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, .max) }) { t in
        if extentAcceptedCheckingEndInDouble(offset: t.0, length: t.1) { try check(!t.0.addingReportingOverflow(t.1).overflow) }
    },
    // Lists of UInt32 file sizes: each must show as less than 1024 of its unit.
    // Minimum: one size is the fewest choices; below 1024 sizes show exact,
    // and in KiB the tenths (10x + 512) / 1024 reach 10240 from
    // x = 1048524.8 on, so 1048525 (1023.95 KiB) is the first.
    problem("human_size_rounds_up_to_1024_of_unit", Gen.arrays(of: Gen.integers(of: UInt32.self)), show: pyList,
            ideal: { $0 == [1_048_525] }) { sizes in
        for size in sizes {
            let text = humanSize(size)
            try check(Int(text.prefix { $0 != "." && $0 != " " })! < 1024)
        }
    },
    // (Int64 available, UInt64 count): a read allowed must be of at most the bytes available.
    // Minimum: available comes first; at 0 a count of 0 is allowed, rightly,
    // every other count below 2^63 is refused, and 2^63, cast to Int64.min,
    // passes.
    problem("read_count_compared_signed_to_available", Gen.zip(Gen.integers(of: Int64.self), Gen.integers(of: UInt64.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 1 << 63) }) { t in
        if readAllowedComparingSigned(count: t.1, available: t.0) { try check(t.0 >= 0 && t.1 <= UInt64(t.0)) }
    },
    // Lists of Int16 channel samples: the mix saturating each partial sum must be the clamped sum.
    // Minimum: with one or two channels only the last add can saturate,
    // and it clamps the whole sum, so three are needed; a first channel of
    // 0 never saturates the second's sum, 1 does only with 32767, and then
    // the third channel 0 or 1 leaves both at 32767 while -1 takes the
    // saturated sum to 32766.
    problem("pcm_mix_saturates_each_partial_sum", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList,
            ideal: { $0 == [1, 32767, -1] }) { samples in
        try check(mixSaturatingEachStep(samples) == mixClampingOnce(samples))
    },
    // Pairs of names over "01a": natural order keeping leading zeros must agree with the order that strips them.
    // Minimum: two names of one character compare alike in both orders
    // (one digit against one digit is numeric order), and an empty name
    // comes first in both, so three characters in all. The first name's
    // first character comes first: "0" against any name of two agrees, and
    // "00" against "0" too (equal values, then plain strings), but against
    // "1" it comes after by length and before by value.
    problem("natural_sort_digit_runs_compared_by_length",
            Gen.zip(Gen.strings(of: Gen.characters(from: "01a")), Gen.strings(of: Gen.characters(from: "01a"))),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("00", "1") }) { t in
        try check(naturalCompare(t.0, t.1, stripsZeros: false) == naturalCompare(t.0, t.1, stripsZeros: true))
    },
    // Sets of byte strings of 0...6 bytes, sorted into an SSTable block: expanding the prefix-compressed keys must give them back.
    // Minimum: the second key is expanded from the first, which is right, so
    // three keys are needed, the last two sharing more than the first and
    // second do; drawn in the order b"", b"\x00", then no one-byte key
    // shares a byte with b"\x00", and b"\x00\x00" is the first of two bytes.
    problem("sstable_prefix_decoded_from_restart_key", Gen.sets(of: Gen.bytes(count: 0...6)), show: pyBytesSet,
            ideal: { $0 == [[], [0], [0, 0]] }) { keys in
        let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
        try check(prefixExpandFromRestart(prefixCompress(sorted)) == sorted)
    },
    // Dictionaries of strings over "a +=&" to strings over them: the form body must read back as the fields.
    // Minimum: only a "+" fails, so one field of one character in all; the
    // key's end comes first, so the key "" and a value of one character,
    // where "a" and " " (written "%20") read back and "+" is next.
    problem("form_urlencode_leaves_plus_unescaped",
            Gen.dictionaries(keys: Gen.strings(of: Gen.characters(from: "a +=&")), values: Gen.strings(of: Gen.characters(from: "a +=&"))),
            show: pyStringDict, ideal: { $0 == ["": "+"] }) { fields in
        try check(formDecode(formEncode(fields)) == fields)
    },
    // A precision p in 1...9, then a scale 0...p and an Int32 unscaled value of at most p digits: the text must read back.
    // Minimum: p = 1 is the simplest; with scale 0 there is no fraction to
    // lose the sign, and with scale 1 the values run 0, 1, -1, and -1
    // (-0.1) is written "0.1".
    problem("decimal_format_drops_sign_below_one",
            Gen.integers(of: UInt8.self, in: 1...9).flatMap { p -> Generator<(UInt8, UInt8, Int32)> in
                var limit: Int32 = 1
                for _ in 0..<p { limit *= 10 }
                return Gen.zip(Gen.integers(of: UInt8.self, in: 0...p), Gen.integers(of: Int32.self, in: (1 - limit)...(limit - 1)))
                    .map { (p, $0.0, $0.1) }
            },
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (1, 1, -1) }) { t in
        try check(decimalParse(decimalText(t.2, scale: Int(t.1)), scale: Int(t.1)) == Int64(t.2))
    },
    // Booleans, Int64s and strings over "a1-" (in that order of simplicity): a logfmt value must read back as itself.
    // Minimum: booleans and integers always read back, so the third branch;
    // one character never fails ("1" is quoted, "-" is no number), and of
    // two, "-1" is the first that reads as a number while not all digits.
    problem("logfmt_negative_number_string_unquoted",
            Gen.oneOf(Gen.booleans().map { LogValue.bool($0) }, Gen.integers(of: Int64.self).map { LogValue.int($0) },
                      Gen.strings(of: Gen.characters(from: "a1-")).map { LogValue.str($0) }),
            show: \.repr, ideal: { $0 == .str("-1") }) { v in
        try check(logfmtRead(logfmtText(v)) == v)
    },
    // JSON values (null, Int8, arrays, objects with keys 0...3; three levels): canonical text must not depend on member order.
    // Minimum: only an object below the top with two members or more
    // fails, so a container holding one; an array costs no key choice, and
    // its object's members are the first two keys with nulls, the simplest
    // values.
    problem("json_canonical_sorts_top_level_keys_only",
            Gen.recursive(maxDepth: 3, label: "json",
                          base: Gen.oneOf(Gen.just(DocValue.null), Gen.integers(of: Int8.self).map { DocValue.int($0) })) { inner in
                Gen.oneOf(Gen.arrays(of: inner).map { DocValue.array($0) },
                          Gen.uniqueArrays(of: Gen.zip(Gen.integers(of: UInt8.self, in: 0...3), inner), by: { $0.0 })
                              .map { DocValue.object($0.map { DocMember(key: $0.0, value: $0.1) }) })
            },
            show: \.repr, ideal: { $0 == .array([.object([DocMember(key: 0, value: .null), DocMember(key: 1, value: .null)])]) }) { v in
        try check(v.canonicalSortingTopLevelOnly() == v.membersReversed.canonicalSortingTopLevelOnly())
    },
    // locks of 0...3 (a lock held is not taken again) and unlocks of a guard: the tracker's held list must be the locks held.
    // Minimum: with one lock held a release is of the newest, so two locks
    // and a release of the older: lock 0, lock 1, unlock the first guard.
    machineProblem("machine_lock_tracker_unlock_pops_newest", StateMachine<[Int], HeldLockTracker>(
        model: { [] }, system: { HeldLockTracker(popsNewest: true) },
        rules: [
            .init("lock") { held, tracker, step in
                let lock = try step.draw(Gen.ints(in: 0...3), "lock")
                guard !held.contains(lock) else { return }
                held.append(lock)
                tracker.acquired(lock)
                step.produce(LockGuard(lock: lock), into: "guards")
            },
            .init("unlock", precondition: { !$0.isEmpty }) { held, tracker, step in
                let lockGuard = try step.pick(from: "guards", as: LockGuard.self, label: "guard", remove: true)
                held.removeAll { $0 == lockGuard.lock }
                tracker.released(lockGuard.lock)
            },
        ],
        check: { held, tracker in
            try expect(tracker.held == held, "tracker holds \(tracker.held), expected \(held)")
        }),
        ideal: ["v1 = lock(lock: 0)", "v2 = lock(lock: 1)", "unlock(guard: v1)"]),
    // allocations of 1...64 bytes, frees (a block freed is not freed again) and accesses at an offset in a block, on a
    // tagged heap whose free retags the first granule only: an access must fault exactly when its block is freed.
    // Minimum: alloc, free and access are the shortest run that can fail,
    // and the access must reach a second granule: a block of 17 bytes,
    // at offset 16.
    machineProblem("machine_tagged_free_retags_first_granule_only", StateMachine<[Int: Bool], TaggedHeap>(
        model: { [:] }, system: { TaggedHeap(retagsFirstGranuleOnly: true) },
        rules: [
            .init("alloc") { freed, heap, step in
                let p = heap.alloc(try step.draw(Gen.ints(in: 1...64), "size"))
                freed[p.address] = false
                step.produce(p, into: "ptrs")
            },
            .init("free", precondition: { !$0.isEmpty }) { freed, heap, step in
                let p = try step.pick(from: "ptrs", as: TaggedPointer.self, label: "ptr")
                guard freed[p.address] == false else { return }
                heap.free(p)
                freed[p.address] = true
            },
            .init("access", precondition: { !$0.isEmpty }) { freed, heap, step in
                let p = try step.pick(from: "ptrs", as: TaggedPointer.self, label: "ptr")
                let offset = try step.draw(Gen.ints(in: 0...(p.size - 1)), "offset")
                let faulted = heap.faults(p, offset: offset)
                try expect(faulted == freed[p.address]!, "access at \(p.address + offset) faulted: \(faulted)")
            },
        ]),
        ideal: ["v1 = alloc(size: 17)", "free(ptr: v1)", "access(ptr: v1, offset: 16)"]),
    // opens of files 0...1, locks through a descriptor and closes, on a lock table that drops a file's lock on any close.
    // Minimum: the lock must be taken through one descriptor and another
    // closed, so two opens of one file, a lock and a close: lock through the
    // first descriptor (the simpler pick) and close the second.
    machineProblem("machine_file_lock_dropped_by_other_fd_close", StateMachine<FileLockTable, FileLockTable>(
        model: { FileLockTable(dropsOnAnyClose: false) }, system: { FileLockTable(dropsOnAnyClose: true) },
        rules: [
            .init("open") { model, table, step in
                let file = try step.draw(Gen.ints(in: 0...1), "file")
                _ = table.openFile(file)
                step.produce(model.openFile(file), into: "fds")
            },
            .init("lock", precondition: { $0.open > 0 }) { model, table, step in
                let fd = try step.pick(from: "fds", as: OpenFileHandle.self, label: "fd")
                let expected = model.lock(fd)
                let got = table.lock(fd)
                try expect(got == expected, "lock through \(fd.description) held: \(got), expected \(expected)")
            },
            .init("close", precondition: { $0.open > 0 }) { model, table, step in
                let fd = try step.pick(from: "fds", as: OpenFileHandle.self, label: "fd", remove: true)
                model.close(fd)
                table.close(fd)
            },
        ],
        check: { model, table in
            try expect(table.lockedFiles == model.lockedFiles, "locked \(table.lockedFiles), expected \(model.lockedFiles)")
        }),
        ideal: ["v1 = open(file: 0)", "v2 = open(file: 0)", "lock(fd: v1)", "close(fd: v2)"]),
] }
