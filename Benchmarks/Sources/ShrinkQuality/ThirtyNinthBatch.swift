// The thirty-ninth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-ninth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Each was
// also checked by enumerating choice sequences in that order until the
// first failing one (a throwaway script, every sequence of fewer choices
// and every smaller one of as many run through the property):
// exhaustively for the MIDI streams (every byte string of up to three
// bytes), the day counts (every rank up to the minimum's), the floats
// (every positive integer code up to the minimum), the readings (every
// Celsius reading and every Fahrenheit rank up to the minimum's), the dotted
// quads, the register fields (registers 0 and 1 with every offset and
// width) and the state machines; with the ranks of the 8- and 16-bit
// integers capped at 8 for the percentiles' lists, the JSON values and the
// sparse sets, whose failures do not need larger values; with the values'
// bytes zero for the attributes, where only their lengths count; and for
// the scanlines byte by byte, taking at each the least byte after which
// some completion fails (one fails exactly when some pixel's left, up and
// upper-left bytes are one of the 21590 triples, of all 2^24 tried, on
// which the two predictors differ), and the property run on every string
// zero but for the last pixel's three bytes up to the minimum.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PropertyTesting
import ShrinkBenchmarkSupport

/// The data bytes a MIDI channel message takes: one for program change
/// and channel pressure, two for the others.
func midiDataCount(_ status: UInt8) -> Int { status >> 4 == 0xC || status >> 4 == 0xD ? 1 : 2 }

/// A MIDI byte stream read into messages, with running status: data bytes
/// after a channel message's status byte make further messages of that
/// status, a system common status (0xF0...0xF7) ends it, data bytes with
/// no status are dropped. A real-time byte (0xF8...0xFF) is a message of
/// its own and may come anywhere, even between a message's data bytes,
/// leaving the running status and the data read so far as they were; with
/// `realTimeKeepsStatus: false` it is the buggy reader, which takes it for
/// a system status byte like the others and ends the running status.
func midiMessages(_ bytes: [UInt8], realTimeKeepsStatus: Bool) -> [[UInt8]] {
    var messages: [[UInt8]] = []
    var status: UInt8?
    var data: [UInt8] = []
    for b in bytes {
        if b >= 0xF8 {
            messages.append([b])
            if realTimeKeepsStatus { continue }
        }
        if b >= 0x80 {
            status = b < 0xF0 ? b : nil
            data = []
        } else if let s = status {
            data.append(b)
            if data.count == midiDataCount(s) {
                messages.append([s] + data)
                data = []
            }
        }
    }
    return messages
}

/// The civil date (year, month, day) of a day count from 1970-01-01, by
/// Howard Hinnant's `civil_from_days`: days counted from 0000-03-01 in eras
/// of 400 years (146097 days), the era floored. With `floorsEra: false` it
/// is the buggy version, which takes the era by truncating division, so a
/// day before 0000-03-01 (day -719469 and earlier) lands in era 0 with a
/// negative day of the era.
func civilFromDays(_ days: Int64, floorsEra: Bool) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (floorsEra && z < 0 ? z - 146_096 : z) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

/// A double as printf's "%g" writes it: the default precision, six
/// significant digits, as config and log writers that print with "%g" get.
func printfG(_ x: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([x]) { vsnprintf(&buffer, 64, "%g", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The p-th percentile (p in 1...100) of a non-empty list by nearest rank:
/// the value of rank ceil(p n / 100) in sorted order. With `floorsIndex` it
/// is the buggy version, which takes index floor(p n / 100) (clamped to the
/// last), one past the rank's whenever p n / 100 is whole.
func percentileNearestRank(_ xs: [Int16], p: Int, floorsIndex: Bool) -> Int16 {
    let sorted = xs.sorted()
    let n = sorted.count
    return sorted[floorsIndex ? min(p * n / 100, n - 1) : (p * n + 99) / 100 - 1]
}

/// A thermostat's temperature reading in one of its sensors' units.
enum TemperatureReading: Equatable, Sendable {
    case celsiusTenths(Int16)
    case fahrenheitTenths(Int16)
    case kelvinHundredths(UInt16)

    var repr: String {
        switch self {
        case .celsiusTenths(let t): return "('C', \(t))"
        case .fahrenheitTenths(let t): return "('F', \(t))"
        case .kelvinHundredths(let t): return "('K', \(t))"
        }
    }

    /// The reading in tenths of a degree Celsius, divisions truncating. With
    /// `inInt16` it is the firmware's conversion, which works a Fahrenheit
    /// reading out in the sensor's 16-bit word: (f - 320) * 5 wraps once
    /// it passes 32767 in magnitude.
    func celsiusTenths(inInt16: Bool) -> Int32 {
        switch self {
        case .celsiusTenths(let t): return Int32(t)
        case .fahrenheitTenths(let t): return inInt16 ? Int32((t &- 320) &* 5 / 9) : (Int32(t) - 320) * 5 / 9
        case .kelvinHundredths(let t): return (Int32(t) - 27315) / 10
        }
    }
}

/// A JSON value of the kinds a metrics exporter writes here: small integers
/// and arrays.
indirect enum JSONArrayValue: Equatable, Sendable {
    case int(Int8)
    case array([JSONArrayValue])

    var repr: String {
        switch self {
        case .int(let x): return String(x)
        case .array(let xs): return "[" + xs.map(\.repr).joined(separator: ", ") + "]"
        }
    }
}

/// The value as a streaming JSON writer writes it: for each open array a
/// flag saying a value has been written in it, so the next needs a comma
/// first. The flag must be set after every value; with
/// `setsFlagAfterArray: false` it is the buggy writer, which sets it after
/// a number only, so a value after a nested array gets no comma.
func jsonWriteStreaming(_ v: JSONArrayValue, setsFlagAfterArray: Bool) -> String {
    var out = ""
    var written: [Bool] = []
    func write(_ v: JSONArrayValue) {
        if written.last == true { out += "," }
        switch v {
        case .int(let x):
            out += String(x)
            if !written.isEmpty { written[written.count - 1] = true }
        case .array(let xs):
            out += "["
            written.append(false)
            xs.forEach(write)
            written.removeLast()
            out += "]"
            if setsFlagAfterArray && !written.isEmpty { written[written.count - 1] = true }
        }
    }
    write(v)
    return out
}

/// JSON text of integers (in Int8) and arrays read back strictly: nil
/// unless the whole text is one value with commas between array elements.
func jsonReadArrays(_ text: String) -> JSONArrayValue? {
    let chars = Array(text.utf8)
    var i = 0
    func value() -> JSONArrayValue? {
        guard i < chars.count else { return nil }
        if chars[i] == UInt8(ascii: "[") {
            i += 1
            var xs: [JSONArrayValue] = []
            if i < chars.count && chars[i] == UInt8(ascii: "]") {
                i += 1
                return .array(xs)
            }
            while true {
                guard let x = value() else { return nil }
                xs.append(x)
                guard i < chars.count else { return nil }
                if chars[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(xs)
                }
                guard chars[i] == UInt8(ascii: ",") else { return nil }
                i += 1
            }
        }
        let start = i
        if chars[i] == UInt8(ascii: "-") { i += 1 }
        while i < chars.count && (48...57).contains(chars[i]) { i += 1 }
        return Int8(String(decoding: chars[start..<i], as: UTF8.self)).map { .int($0) }
    }
    guard let v = value(), i == chars.count else { return nil }
    return v
}

/// The bytes an extended attribute takes in a 32-byte in-inode block, as
/// ext4 lays them out: a 4-byte header, the name and the value, padded to 4.
func xattrEntrySize(name: String, value: [UInt8]) -> Int { (4 + name.utf8.count + value.count + 3) / 4 * 4 }

/// Whether a set of attributes is accepted into the 32-byte block: each
/// entry must fit in the space left. The buggy check never takes an entry
/// placed off the space left, so every entry fits on its own while together
/// they overflow the block.
func xattrsAcceptedNeverTakingOffFree(_ attributes: [String: [UInt8]]) -> Bool {
    let free = 32
    return attributes.allSatisfy { xattrEntrySize(name: $0.key, value: $0.value) <= free }
}

/// Attributes as Python prints the twin's dict (keys sorted).
func pyStringBytesDict(_ d: [String: [UInt8]]) -> String {
    "{" + d.keys.sorted().map { "\(pyString($0)): \(pyBytes(d[$0]!))" }.joined(separator: ", ") + "}"
}

/// A sparse set over 0...255 (Briggs and Torczon): `dense[0..<count]` holds
/// the members, `sparse[x]` the index of x in `dense`. Removing a member
/// moves the last member into its slot, whose `sparse` index must follow
/// it; the buggy remove updates the removed member's index instead.
struct SparseByteSet {
    let updatesMovedIndex: Bool
    private var dense = [Int](repeating: 0, count: 256)
    private var sparse = [Int](repeating: 0, count: 256)
    private var count = 0

    init(updatesMovedIndex: Bool) { self.updatesMovedIndex = updatesMovedIndex }

    func contains(_ x: Int) -> Bool { sparse[x] < count && dense[sparse[x]] == x }

    mutating func insert(_ x: Int) {
        guard !contains(x) else { return }
        dense[count] = x
        sparse[x] = count
        count += 1
    }

    mutating func remove(_ x: Int) {
        guard contains(x) else { return }
        let i = sparse[x]
        let last = dense[count - 1]
        dense[i] = last
        sparse[updatesMovedIndex ? last : x] = i
        count -= 1
    }
}

/// Two sets of bytes as Python prints the twin's pair.
func pyBytePair(_ t: (Set<UInt8>, Set<UInt8>)) -> String {
    "(\(pySet(Set(t.0.map { Int64($0) }))), \(pySet(Set(t.1.map { Int64($0) }))))"
}

/// Dotted-quad text as an address filter reads it: four parts of one to
/// three decimal digits, each at most 255, read as decimal whatever their
/// leading digit. nil when it is not that.
func ipv4ReadAsDecimal(_ s: String) -> UInt32? {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var address: UInt32 = 0
    for part in parts {
        guard (1...3).contains(part.count), part.allSatisfy(isASCIIDigitCharacter), let x = UInt32(part), x <= 255 else { return nil }
        address = address << 8 | x
    }
    return address
}

/// The same four-part text as inet_aton reads it (the address the connect
/// goes to): a part with a leading 0 is octal (8 and 9 not digits), any
/// other decimal, each at most 255. nil when it is not that.
func ipv4ReadAsInetAton(_ s: String) -> UInt32? {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var address: UInt32 = 0
    for part in parts {
        guard !part.isEmpty, part.allSatisfy(isASCIIDigitCharacter) else { return nil }
        let octal = part.count > 1 && part.first == "0"
        guard let x = UInt64(part, radix: octal ? 8 : 10), x <= 255 else { return nil }
        address = address << 8 | UInt32(x)
    }
    return address
}

/// A field of `width` bits at bit `offset` of a 64-bit register, with the
/// mask (1 << width) - 1 worked out in a 32-bit int, as C's `1 << width`
/// is: the shift count taken mod 32, as x86 takes it, so from width 32 on
/// the mask is that of width - 32.
func registerFieldMaskIn32(_ value: UInt64, offset: Int, width: Int) -> UInt64 {
    let mask = (Int32(1) &<< Int32(width)) &- 1
    return value >> UInt64(offset) & UInt64(bitPattern: Int64(mask))
}

/// The field with a 64-bit mask.
func registerField(_ value: UInt64, offset: Int, width: Int) -> UInt64 {
    value >> UInt64(offset) & (width == 64 ? .max : (1 << UInt64(width)) - 1)
}

/// PNG's Paeth predictor (filter type 4) of a byte from the byte to its
/// left (a), above (b) and above-left (c): the one nearest a + b - c, ties
/// going to a, then b. With `strictUpTie` it is the buggy predictor, whose
/// second test is pb < pc, so a tie between b and c goes to c.
func paethPredictor(_ a: Int, _ b: Int, _ c: Int, strictUpTie: Bool) -> Int {
    let p = a + b - c
    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
    if pa <= pb && pa <= pc { return a }
    if strictUpTie ? pb < pc : pb <= pc { return b }
    return c
}

/// A byte string as two scanlines of one-byte pixels (its two halves, an odd
/// last byte left out): the second Paeth-filtered with the right predictor,
/// then unfiltered with `strictUpTie`'s. The right decoder gives the second
/// scanline back.
func paethRoundTrip(_ bytes: [UInt8], strictUpTie: Bool) -> [UInt8] {
    let n = bytes.count / 2
    let up = bytes[0..<n].map(Int.init), row = bytes[n..<(2 * n)].map(Int.init)
    var filtered: [Int] = []
    for i in 0..<n {
        let predicted = paethPredictor(i > 0 ? row[i - 1] : 0, up[i], i > 0 ? up[i - 1] : 0, strictUpTie: false)
        filtered.append((row[i] - predicted) & 0xFF)
    }
    var decoded: [Int] = []
    for i in 0..<n {
        let predicted = paethPredictor(i > 0 ? decoded[i - 1] : 0, up[i], i > 0 ? up[i - 1] : 0, strictUpTie: strictUpTie)
        decoded.append((filtered[i] + predicted) & 0xFF)
    }
    return decoded.map { UInt8($0) }
}

/// Process ids 1...4 handed out as a kernel hands them out: from the one
/// after the last handed out, skipping those in use, and past the largest
/// back at 1. The buggy allocator looks for one in use only before the wrap:
/// after it, it takes 1 without checking.
final class PidAllocator {
    let checksAfterWrap: Bool
    private(set) var live: Set<Int> = []
    private var last = 0

    init(checksAfterWrap: Bool) { self.checksAfterWrap = checksAfterWrap }

    func spawn() -> Int {
        var pid = last + 1
        while pid <= 4 && live.contains(pid) { pid += 1 }
        if pid > 4 {
            pid = 1
            while checksAfterWrap && live.contains(pid) { pid += 1 }
        }
        live.insert(pid)
        last = pid
        return pid
    }

    func exit(_ pid: Int) { live.remove(pid) }
}

/// A thread of its own priority 0 holding mutexes 0...1, under priority
/// inheritance: it runs at the highest priority of the threads blocked on
/// the mutexes it holds. Unlocking a mutex hands it on (its waiters leave);
/// the priority must then be worked out again from the waiters on the
/// mutexes still held, and the buggy unlock drops it back to 0.
final class InheritingOwner {
    let recomputesOnUnlock: Bool
    private var held: Set<Int> = []
    private var waiters: [Int: [Int]] = [:]
    private(set) var priority = 0

    init(recomputesOnUnlock: Bool) { self.recomputesOnUnlock = recomputesOnUnlock }

    func lock(_ mutex: Int) { held.insert(mutex) }

    /// A thread of priority `priority` blocks on `mutex`, when it is held.
    func block(_ mutex: Int, priority waiter: Int) {
        guard held.contains(mutex) else { return }
        waiters[mutex, default: []].append(waiter)
        priority = max(priority, waiter)
    }

    func unlock(_ mutex: Int) {
        guard held.remove(mutex) != nil else { return }
        waiters[mutex] = nil
        priority = recomputesOnUnlock ? held.compactMap { waiters[$0]?.max() }.max() ?? 0 : 0
    }
}

/// A process's descriptor table of four slots, each naming an open file
/// (by the number of the open that made it) or empty: open takes the lowest
/// free slot, and dup2(old, new) makes new name what old names, closing new
/// first, and does nothing when old is new (POSIX). The buggy dup2 closes
/// new first whatever old is, so dup2(fd, fd) closes fd.
final class DescriptorTable {
    let checksSameSlot: Bool
    private(set) var slots: [Int?] = [nil, nil, nil, nil]
    private var opens = 0

    init(checksSameSlot: Bool) { self.checksSameSlot = checksSameSlot }

    var hasFreeSlot: Bool { slots.contains(nil) }

    func open() {
        opens += 1
        slots[slots.firstIndex(of: nil)!] = opens
    }

    func dup2(_ old: Int, _ new: Int) {
        guard slots[old] != nil, !(checksSameSlot && old == new) else { return }
        slots[new] = nil
        slots[new] = slots[old]
    }

    func close(_ fd: Int) { slots[fd] = nil }
}

/// The thirty-ninth batch, written by someone who had not read the
/// shrinker: a MIDI reader whose real-time bytes end the running status, a civil date whose era truncates,
/// floats written with "%g", a nearest-rank percentile that floors its
/// index, a Fahrenheit conversion in 16 bits, a streaming JSON writer that
/// forgets the comma after an array, extended attributes checked against
/// space never taken off, a sparse set whose remove updates the wrong
/// index, an address filter that reads "010" as decimal, a register field
/// mask shifted in 32 bits, a Paeth predictor that breaks a tie the wrong
/// way, a pid allocator that wraps onto a live pid, priority inheritance
/// dropped on unlock and a dup2 that closes its own descriptor.
func thirtyNinthBatch() -> [Problem] { [
    // Byte strings: the messages read with real-time bytes ending the running status must be the right ones.
    // Minimum: a message's data must be cut by a real-time byte and go on
    // after it, so three bytes at least: a status, 0xF8 (the least real-time
    // byte) and a data byte 0. A first byte below 0x80 is a data byte
    // dropped either way, and a status of 0x80...0xBF takes two data bytes,
    // more than three bytes hold; 0xC0 (program change) takes one.
    problem("midi_realtime_byte_ends_running_status", Gen.bytes(), show: pyBytes, ideal: { $0 == [0xC0, 0xF8, 0x00] }) { b in
        try check(midiMessages(b, realTimeKeepsStatus: false) == midiMessages(b, realTimeKeepsStatus: true))
    },
    // Int32 day counts from 1970-01-01: the civil date with the era truncated must be the one with it floored.
    // Minimum: every day from 0000-03-01 on (day -719468) has z >= 0, where
    // truncating is flooring, and no day after it fails; -719469 is the
    // first day before it, and its rank (2 * 719469) is below that of any
    // earlier day.
    problem("civil_from_days_truncates_negative_era", Gen.integers(of: Int32.self), show: { String($0) },
            ideal: { $0 == -719_469 }) { days in
        let (wrong, right) = (civilFromDays(Int64(days), floorsEra: false), civilFromDays(Int64(days), floorsEra: true))
        try check(wrong == right)
    },
    // Finite floats: a float written with "%g" must read back (as a double, narrowed) as itself.
    // Minimum: positive values come first, and among them the integers
    // 0, 1, 2, ...; every integer of six digits or fewer is written exactly,
    // 1000000 as "1e+06", and 1000001, written "1e+06" too, is the first
    // that reads back as another.
    problem("float_printed_with_six_digits_lossy", Gen.floats(allowNaN: false, allowInfinity: false),
            show: { pyFloat(Double($0)) }, ideal: { $0 == 1_000_001 }) { x in
        let text = printfG(Double(x))
        try check(Double(text).map { Float($0) } == x)
    },
    // (p in 1...100, lists of Int16): the nearest-rank percentile with the floored index must be the right one.
    // Minimum: one value has one rank, so two values, the fewest; with two
    // the floored index 2p / 100 is one past the rank's only when it is
    // whole and below 2 (at p = 100 it is clamped), so p = 50, and the two
    // values must differ: [0, 1]. (At p = 1 it takes 100 values.)
    problem("percentile_nearest_rank_index_floors", Gen.zip(Gen.ints(in: 1...100), Gen.arrays(of: Gen.integers(of: Int16.self))),
            show: { "(\($0.0), \(pyList($0.1)))" }, ideal: { $0.0 == 50 && $0.1 == [0, 1] }) { t in
        guard !t.1.isEmpty else { return }
        try check(percentileNearestRank(t.1, p: t.0, floorsIndex: true) == percentileNearestRank(t.1, p: t.0, floorsIndex: false))
    },
    // Celsius (Int16 tenths), Fahrenheit (Int16 tenths) or kelvin (UInt16 hundredths) readings: the firmware's
    // conversion to tenths of a degree Celsius must be the exact one.
    // Minimum: Celsius readings are converted exactly, so the second
    // branch; (f - 320) * 5 wraps from f - 320 = 6554 or -6554 on, f = 6874
    // or -6234, and -6234 has the lower rank (12468 against 13747).
    problem("fahrenheit_tenths_product_wraps_int16",
            Gen.oneOf(Gen.integers(of: Int16.self).map { TemperatureReading.celsiusTenths($0) },
                      Gen.integers(of: Int16.self).map { TemperatureReading.fahrenheitTenths($0) },
                      Gen.integers(of: UInt16.self).map { TemperatureReading.kelvinHundredths($0) }),
            show: \.repr, ideal: { $0 == .fahrenheitTenths(-6234) }) { reading in
        try check(reading.celsiusTenths(inInt16: true) == reading.celsiusTenths(inInt16: false))
    },
    // JSON values (Int8s and arrays, three levels): the streaming writer's text must read back as the value.
    // Minimum: a comma goes missing only after an array that is an element,
    // so an array holding an array and another element after it; the first
    // an empty array, and the second, two choices either way, the number 0,
    // whose branch comes first.
    problem("json_writer_comma_flag_skips_after_array",
            Gen.recursive(maxDepth: 3, label: "json-writer", base: Gen.integers(of: Int8.self).map { JSONArrayValue.int($0) }) { inner in
                Gen.arrays(of: inner).map { JSONArrayValue.array($0) }
            },
            show: \.repr, ideal: { $0 == .array([.array([]), .int(0)]) }) { v in
        try check(jsonReadArrays(jsonWriteStreaming(v, setsFlagAfterArray: false)) == v)
    },
    // Dictionaries of names over "ab" to values of 0...32 bytes: attributes accepted must fit in the 32-byte block.
    // Minimum: one attribute accepted fits, so two, named differently: ""
    // (the fewest choices) holding b"" (an entry of 4 bytes), then "a",
    // whose entry must take 32 bytes to overflow the block: 4 + 1 + 24,
    // rounded up. A longer first value would be a greater choice.
    problem("xattr_space_check_never_takes_off_free",
            Gen.dictionaries(keys: Gen.strings(of: Gen.characters(from: "ab")), values: Gen.bytes(count: 0...32)),
            show: pyStringBytesDict, ideal: { $0 == ["": [], "a": [UInt8](repeating: 0, count: 24)] }) { attributes in
        if xattrsAcceptedNeverTakingOffFree(attributes) {
            try check(attributes.reduce(0) { $0 + xattrEntrySize(name: $1.key, value: $1.value) } <= 32)
        }
    },
    // Pairs of sets of bytes: the sparse set after inserting the first (in order) and removing the second (in order)
    // must hold the first less the second.
    // Minimum: a remove goes wrong only when it moves another member into
    // the removed one's slot, so two members inserted and the first of
    // them removed: {0, 1} and {0}.
    problem("sparse_set_remove_updates_removed_index",
            Gen.zip(Gen.sets(of: Gen.integers(of: UInt8.self)), Gen.sets(of: Gen.integers(of: UInt8.self))),
            show: pyBytePair, ideal: { $0.0 == [0, 1] && $0.1 == [0] }) { t in
        var set = SparseByteSet(updatesMovedIndex: false)
        for x in t.0.sorted() { set.insert(Int(x)) }
        for x in t.1.sorted() { set.remove(Int(x)) }
        for x in 0...255 { try check(set.contains(x) == (t.0.contains(UInt8(x)) && !t.1.contains(UInt8(x)))) }
    },
    // Dotted quads of four parts of one to three characters over "01": an address the filter reads (as decimal)
    // must be the one inet_aton reads.
    // Minimum: a part read two ways must start with 0 and have three digits
    // ("010" is 8 to inet_aton and 10 to the filter, while "01" and "001"
    // are 1 to both); the other parts "0", and the long part last, since a
    // part's end is the simpler choice.
    problem("ipv4_filter_reads_leading_zero_as_decimal",
            Gen.arrays(of: Gen.strings(of: Gen.characters(from: "01"), count: 1...3), count: 4...4).map { $0.joined(separator: ".") },
            show: pyString,
            ideal: { $0 == "0.0.0.010" }) { s in
        if let address = ipv4ReadAsDecimal(s) { try check(address == ipv4ReadAsInetAton(s)) }
    },
    // (UInt64 register, an offset in 0...63, then a width in 1...64 - offset): the field with the mask shifted in
    // 32 bits must be the field.
    // Minimum: a register of 0 has no field but 0, and 1 is next; then
    // offset 0, and widths up to 31 are masked right, while width 32's
    // mask is 0.
    problem("register_field_mask_shifted_in_int32",
            Gen.zip(Gen.integers(of: UInt64.self),
                    Gen.ints(in: 0...63).flatMap { offset in Gen.ints(in: 1...(64 - offset)).map { (offset, $0) } }),
            show: { "(\($0.0), \($0.1.0), \($0.1.1))" }, ideal: { $0.0 == 1 && $0.1 == (0, 32) }) { t in
        let (value, (offset, width)) = t
        try check(registerFieldMaskIn32(value, offset: offset, width: width) == registerField(value, offset: offset, width: width))
    },
    // 16-byte strings, two scanlines of eight pixels: unfiltering the Paeth-filtered second with the buggy
    // predictor must give it back.
    // Minimum: the predictors differ only where up and upper-left tie below
    // left (|a - c| = |a + b - 2c| < |b - c|), and no such triple has an
    // upper-left byte of 0; the least with 1 has up 3 and left 0. The upper
    // scanline comes first, so its zeros run as far as they can: the last
    // pixel's upper-left 1 and up 3, and every scanline byte 0.
    problem("png_paeth_tie_goes_to_upper_left", Gen.bytes(count: 16...16), show: pyBytes,
            ideal: { $0 == [0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0] }) { b in
        try check(paethRoundTrip(b, strictUpTie: true) == Array(b[8..<16]))
    },
    // spawns (while fewer than four pids are live) and exits of a live pid, on a pid allocator that takes 1 after
    // the wrap without checking: a spawn must hand out the pid the right allocator does.
    // Minimum: a spawn must wrap while 1 is live and another pid is free, so
    // four spawns (pids 1 to 4), an exit of another than v1 (v2, the
    // simpler pick; with four live it is the only rule) and a spawn. An exit
    // before the fourth spawn is a greater rule choice there.
    machineProblem("machine_pid_wrap_takes_live_pid", StateMachine<PidAllocator, PidAllocator>(
        model: { PidAllocator(checksAfterWrap: true) }, system: { PidAllocator(checksAfterWrap: false) },
        rules: [
            .init("spawn", precondition: { $0.live.count < 4 }) { model, allocator, step in
                let expected = model.spawn()
                let got = allocator.spawn()
                try expect(got == expected, "spawned pid \(got), expected \(expected)")
                step.produce(expected, into: "pids")
            },
            .init("exit", precondition: { !$0.live.isEmpty }) { model, allocator, step in
                let pid = try step.pick(from: "pids", as: Int.self, label: "pid", remove: true)
                model.exit(pid)
                allocator.exit(pid)
            },
        ]),
        ideal: ["v1 = spawn()", "v2 = spawn()", "v3 = spawn()", "v4 = spawn()", "exit(pid: v2)", "spawn()"]),
    // locks of mutex 0...1, blocks of a thread of priority 1...3 on one, and unlocks, under priority inheritance
    // whose unlock drops the priority to the thread's own: the priority must be the model's.
    // Minimum: the priority must be raised by a waiter on a mutex still held
    // when another is unlocked, so two locks, a block and an unlock: lock 0,
    // lock 1 (lock is the first rule), block on 0 at priority 1, unlock 1.
    machineProblem("machine_priority_inheritance_unlock_drops_to_base", StateMachine<InheritingOwner, InheritingOwner>(
        model: { InheritingOwner(recomputesOnUnlock: true) }, system: { InheritingOwner(recomputesOnUnlock: false) },
        rules: [
            .init("lock") { model, owner, step in
                let mutex = try step.draw(Gen.ints(in: 0...1), "mutex")
                model.lock(mutex)
                owner.lock(mutex)
            },
            .init("block") { model, owner, step in
                let mutex = try step.draw(Gen.ints(in: 0...1), "mutex")
                let priority = try step.draw(Gen.ints(in: 1...3), "prio")
                model.block(mutex, priority: priority)
                owner.block(mutex, priority: priority)
            },
            .init("unlock") { model, owner, step in
                let mutex = try step.draw(Gen.ints(in: 0...1), "mutex")
                model.unlock(mutex)
                owner.unlock(mutex)
            },
        ],
        check: { model, owner in
            try expect(owner.priority == model.priority, "running at \(owner.priority), expected \(model.priority)")
        }),
        ideal: ["lock(mutex: 0)", "lock(mutex: 1)", "block(mutex: 0, prio: 1)", "unlock(mutex: 1)"]),
    // opens (while a slot is free), dup2s and closes of slots 0...3, on a table whose dup2 closes new whatever old
    // is: the slots must be the model's.
    // Minimum: a descriptor must be open for a dup2 onto itself to close it:
    // open (slot 0), then dup2(0, 0).
    machineProblem("machine_dup2_onto_itself_closes_fd", StateMachine<DescriptorTable, DescriptorTable>(
        model: { DescriptorTable(checksSameSlot: true) }, system: { DescriptorTable(checksSameSlot: false) },
        rules: [
            .init("open", precondition: { $0.hasFreeSlot }) { model, table, _ in
                model.open()
                table.open()
            },
            .init("dup2") { model, table, step in
                let old = try step.draw(Gen.ints(in: 0...3), "old")
                let new = try step.draw(Gen.ints(in: 0...3), "new")
                model.dup2(old, new)
                table.dup2(old, new)
            },
            .init("close") { model, table, step in
                let fd = try step.draw(Gen.ints(in: 0...3), "fd")
                model.close(fd)
                table.close(fd)
            },
        ],
        check: { model, table in
            try expect(table.slots == model.slots, "slots \(table.slots), expected \(model.slots)")
        }),
        ideal: ["open()", "dup2(old: 0, new: 0)"]),
] }
