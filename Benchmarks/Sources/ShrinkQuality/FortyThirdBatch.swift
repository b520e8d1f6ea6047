// The forty-third batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-third batch at its end). Every expected minimum is the same in
// both engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Each was
// also checked by enumerating choice sequences in that order until the
// first failing one (a throwaway script, every sequence of fewer choices
// and every smaller one of as many run through the property): for the
// Gray codes every UInt32 up to the minimum (unsigned values go up from
// 0); for the colours every triple of the integer codes up to 20 and the
// first 16 lex mantissas of each exponent from 2^0 to 2^3 (all clamped to
// 1.0) and of 2^-1 and 2^-2, with both signs; for the sort keys every pair
// of byte strings of up to three bytes of 0...3; with the ranks capped at
// 8 for the prices (120 for the quantities), at 20 for the bitmap's ids,
// at 4 for the moving sums' Int16s and the scalars' integers, at 3
// for the merge runs' values, the stock's keys and quantities and the state
// machines' arguments, and at 31 for the days (5 for the years, 4 for the
// months, 14 for the months added), whose failures do not need larger
// values; the strings, lists and step lists up to the minimum's length
// exhaustively under those caps.

import PropertyTesting
import ShrinkBenchmarkSupport

/// An invoice line's total in cents from an amount in hundredths of a cent,
/// rounded half away from zero. With `addsHalfAlways` it is the buggy
/// rounding, (x + 50) / 100, whose division truncates towards zero: right
/// for a charge, but a refund of -0.50 cents rounds to 0, not -1.
func centsRounded(_ hundredths: Int64, addsHalfAlways: Bool) -> Int64 {
    if addsHalfAlways || hundredths >= 0 { return (hundredths + 50) / 100 }
    return -((-hundredths + 50) / 100)
}

/// A Gray code back to its binary value by folding the prefix XOR in
/// halving shifts, as the buggy decoder for 32-bit codes does it: shifts
/// of 1, 2, 4 and 8 only, where a 32-bit code needs 16 too, so a bit takes
/// the XOR of the 16 bits from it up, not of all of them.
func grayDecodeWithoutFold16(_ g: UInt32) -> UInt32 {
    var x = g
    for shift: UInt32 in [1, 2, 4, 8] { x ^= x >> shift }
    return x
}

/// A bitmap of ids (bit id & 7 of byte id >> 3), sized as the buggy writer
/// sizes it, (maxId + 7) / 8 bytes, where maxId / 8 + 1 are needed: when
/// the greatest id is a multiple of 8 its byte is past the end, and the
/// writer, which checks its index, drops it. The ids read back.
func bitmapRoundTripCeilSized(_ ids: Set<Int>) -> Set<Int> {
    guard let top = ids.max() else { return [] }
    var bytes = [UInt8](repeating: 0, count: (top + 7) / 8)
    for id in ids where id >> 3 < bytes.count { bytes[id >> 3] |= 1 << UInt8(id & 7) }
    var out: Set<Int> = []
    for (i, byte) in bytes.enumerated() {
        for bit in 0..<8 where byte >> UInt8(bit) & 1 != 0 { out.insert(8 * i + bit) }
    }
    return out
}

/// The longest common prefix of a list of strings as the buggy helper
/// finds it: that of the first two (the first alone when it is alone).
func commonPrefixOfFirstTwo(_ xs: [String]) -> String {
    guard let first = xs.first else { return "" }
    guard xs.count > 1 else { return first }
    let a = Array(first), b = Array(xs[1])
    var n = 0
    while n < min(a.count, b.count) && a[n] == b[n] { n += 1 }
    return String(a[..<n])
}

/// -1, 0 or 1 as byte strings compare lexicographically (memcmp, then the
/// shorter first).
func byteOrder(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
}

/// Sums of every window of three as the buggy running sum keeps them: each
/// value added, and the one three back taken off only from index 4 on (`>`
/// where `>=` is meant), so from the first full window on the first value
/// stays in.
func windowSumsEvictingLate(_ xs: [Int]) -> [Int] {
    var out: [Int] = []
    var sum = 0
    for (i, x) in xs.enumerated() {
        sum += x
        if i > 3 { sum -= xs[i - 3] }
        if i >= 2 { out.append(sum) }
    }
    return out
}

/// Sorted runs merged by taking the least head (the first run on a tie),
/// as the buggy merge does it: only while every run still has a head, so
/// the rest of the others is lost once one runs out.
func mergeRunsUntilOneEnds(_ runs: [[Int]]) -> [Int] {
    var positions = [Int](repeating: 0, count: runs.count)
    var out: [Int] = []
    while !runs.isEmpty && runs.indices.allSatisfy({ positions[$0] < runs[$0].count }) {
        var k = 0
        for j in runs.indices where runs[j][positions[j]] < runs[k][positions[k]] { k = j }
        out.append(runs[k][positions[k]])
        positions[k] += 1
    }
    return out
}

/// Whether an order may be reserved against the stock as the buggy check
/// decides it: by the total quantity ordered against the total in stock,
/// not item by item.
func reservationAcceptedByTotal(stock: [Int: Int], order: [Int: Int]) -> Bool {
    order.values.reduce(0, +) <= stock.values.reduce(0, +)
}

/// A scalar of a YAML-like configuration file.
enum YamlScalar: Equatable {
    case int(Int64)
    case bool(Bool)
    case text(String)

    var repr: String {
        switch self {
        case .int(let x): return "('int', \(x))"
        case .bool(let b): return "('bool', \(pyBool(b)))"
        case .text(let s): return "('text', \(pyString(s)))"
        }
    }
}

/// Whether a bare scalar reads as an integer: an optional sign and digits.
func yamlIntegerLiteral(_ s: String) -> Bool {
    let digits = s.first == "-" || s.first == "+" ? s.dropFirst() : Substring(s)
    return !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) }
}

/// A scalar as the buggy writer writes it: a text is quoted when it is
/// empty or reads as an integer, and left bare otherwise, also when it is
/// one of YAML 1.1's boolean words ("no", "on", ...).
func yamlWrite(_ v: YamlScalar) -> String {
    switch v {
    case .int(let x): return String(x)
    case .bool(let b): return b ? "true" : "false"
    case .text(let s): return s.isEmpty || yamlIntegerLiteral(s) ? "\"" + s + "\"" : s
    }
}

/// A scalar read back: quoted text, an integer, a YAML 1.1 boolean word
/// (true, yes, on, false, no, off, in any case), else text.
func yamlRead(_ s: String) -> YamlScalar {
    if s.count >= 2 && s.first == "\"" && s.last == "\"" { return .text(String(s.dropFirst().dropLast())) }
    if yamlIntegerLiteral(s), let x = Int64(s) { return .int(x) }
    switch s.lowercased() {
    case "true", "yes", "on": return .bool(true)
    case "false", "no", "off": return .bool(false)
    default: return .text(s)
    }
}

/// The days of a month of the Gregorian calendar.
func civilMonthLength(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// A date `months` months on, as the buggy date library moves it: the year
/// and month carried, the day kept as it is (not clamped to the month's
/// last day), so 31 January plus a month is "31 February".
func addMonthsKeepingDay(year: Int, month: Int, day: Int, months: Int) -> (year: Int, month: Int, day: Int) {
    let total = month - 1 + months
    return (year + total / 12, total % 12 + 1, day)
}

/// Three accounts. A transfer of more than the source holds is refused;
/// with `readsBothFirst` it is the buggy transfer, which reads both
/// balances before writing either, so a transfer from an account to itself
/// credits the balance it read and the debit is lost.
final class ThreeAccountLedger {
    let readsBothFirst: Bool
    private(set) var balances = [0, 0, 0]

    init(readsBothFirst: Bool) { self.readsBothFirst = readsBothFirst }

    var total: Int { balances.reduce(0, +) }

    func deposit(_ account: Int, _ amount: Int) { balances[account] += amount }

    func transfer(from: Int, to: Int, amount: Int) {
        guard balances[from] >= amount else { return }
        if readsBothFirst {
            let oldFrom = balances[from], oldTo = balances[to]
            balances[from] = oldFrom - amount
            balances[to] = oldTo + amount
        } else {
            balances[from] -= amount
            balances[to] += amount
        }
    }
}

/// A sliding-log rate limiter: at most 2 requests in any 3 ticks, a request
/// at time t counting those it logged at times t - 2 ... t. With
/// `keepsBoundary` it is the buggy limiter, which expires a logged request
/// only when it is more than 3 ticks old, so one exactly 3 old still counts.
final class SlidingLogLimiter {
    let keepsBoundary: Bool
    private var now = 0
    private var log: [Int] = []

    init(keepsBoundary: Bool) { self.keepsBoundary = keepsBoundary }

    func tick(_ dt: Int) { now += dt }

    /// Whether the request is let through (and logged).
    func request() -> Bool {
        log.removeAll { keepsBoundary ? now - $0 > 3 : now - $0 >= 3 }
        guard log.count < 2 else { return false }
        log.append(now)
        return true
    }
}

/// A key-value store with expiry, as Redis's: EXPIRE sets a live key's time
/// to live, and SET writes a value with no expiry. With `setKeepsExpiry` it
/// is the buggy store, whose SET of an existing key keeps the expiry it had.
final class ExpiringStore {
    let setKeepsExpiry: Bool
    private var now = 0
    private var entries: [Int: (value: Int, expiresAt: Int?)] = [:]

    init(setKeepsExpiry: Bool) { self.setKeepsExpiry = setKeepsExpiry }

    /// The keys and values not expired.
    var visible: [Int: Int] {
        entries.filter { $0.value.expiresAt.map { $0 > now } ?? true }.mapValues(\.value)
    }

    func set(_ key: Int, _ value: Int) {
        let kept = setKeepsExpiry ? entries[key]?.expiresAt : nil
        entries[key] = (value, kept)
    }

    func expire(_ key: Int, ttl: Int) {
        guard visible[key] != nil else { return }
        entries[key]!.expiresAt = now + ttl
    }

    func tick() { now += 1 }
}

/// The forty-third batch, written by someone who had not read the shrinker:
/// a refund rounded by adding half and truncating, a Gray decoder without
/// its last fold, colour channels truncated to bytes, a bitmap sized one
/// byte short at a multiple of 8, a common prefix of the first two strings,
/// sort keys prefixed with their length, a moving sum that evicts a step
/// late, a merge of runs that stops when one runs out, a reservation
/// checked by its total, YAML's bare "no", a month added without clamping
/// the day, a transfer to the same account, a rate limiter that keeps a
/// request at the window's edge and a SET that keeps its key's expiry.
func fortyThirdBatch() -> [Problem] { [
    // (Int32 unit prices in hundredths of a cent, quantities 0...1000): the line total's cents by (x + 50) / 100
    // must be the total rounded half away from zero.
    // Minimum: the price comes first; 0 and positive prices give totals
    // from 0 up, which the two round alike; -1 is the next, and a total of
    // -1 ... -49 rounds to 0 either way: -50, a quantity of 50, is the first
    // that rounds to 0 where -1 is right.
    problem("invoice_refund_rounds_half_by_truncating_division",
            Gen.zip(Gen.integers(of: Int32.self), Gen.ints(in: 0...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (-1, 50) }) { t in
        let total = Int64(t.0) * Int64(t.1)
        try check(centsRounded(total, addsHalfAlways: true) == centsRounded(total, addsHalfAlways: false))
    },
    // UInt32 values: through the Gray code and the decoder without the 16-bit fold they must come back.
    // Minimum: below 2^16 every bit's 16-bit window reaches the top set bit
    // of the code, so those all come back; 65536 is the next, whose code
    // 0x18000 decodes with bit 15's window missing bit 16.
    problem("gray_code_decode_missing_16_bit_fold", Gen.integers(of: UInt32.self), show: { String($0) },
            ideal: { $0 == 65536 }) { x in
        try check(grayDecodeWithoutFold16(x ^ (x >> 1)) == x)
    },
    // (r, g, b) doubles in 0...1: each channel converted to a byte by truncating x * 255 must be the byte it rounds to.
    // Minimum: 0.0 and 1.0 convert exactly, and every double past 1 (the
    // exponents from 2^0 up come next in the lex order) is clamped to 1.0;
    // then 2^-1's first mantissa, 0.5, 127.5 truncated to 127 where 128 is
    // right: 0.0 for the first two channels and 0.5 for the third.
    problem("rgb_unit_doubles_truncated_to_bytes",
            Gen.zip(Gen.doubles(in: 0...1), Gen.doubles(in: 0...1), Gen.doubles(in: 0...1)),
            show: { "(\(pyFloat($0.0)), \(pyFloat($0.1)), \(pyFloat($0.2)))" }, ideal: { $0 == (0.0, 0.0, 0.5) }) { t in
        for x in [t.0, t.1, t.2] { try check(Int(x * 255) == Int((x * 255).rounded())) }
    },
    // Sets of ids 1...255: written to a bitmap of (max + 7) / 8 bytes and read back, they must be the same set.
    // Minimum: only the greatest id can fall past the end, and it does when
    // it is a multiple of 8; one id is the fewest, and 8 the least such.
    problem("bitmap_sized_from_max_id_short_at_multiple_of_8", Gen.sets(of: Gen.ints(in: 1...255)),
            show: { pySet(Set($0.map { Int64($0) })) }, ideal: { $0 == [8] }) { ids in
        try check(bitmapRoundTripCeilSized(ids) == ids)
    },
    // Lists of strings over "ab": the common prefix the helper finds must be a prefix of every string.
    // Minimum: with one or two strings the helper is right, so three; the
    // first two must share a character ("" is a prefix of everything), "a"
    // and "a", and the third, "", lacks it.
    problem("common_prefix_of_first_two_strings_only",
            Gen.arrays(of: Gen.strings(of: Gen.characters(from: "ab"))),
            show: { pyList($0.map(pyString)) }, ideal: { $0 == ["a", "a", ""] }) { xs in
        let prefix = commonPrefixOfFirstTwo(xs)
        try check(xs.allSatisfy { $0.hasPrefix(prefix) })
    },
    // Pairs of byte strings of up to 16 bytes: keys written as their length byte and their bytes must compare as the
    // byte strings do.
    // Minimum: the orders differ only where the shorter key is the greater;
    // no key is below b'' or, from b'\x00', a longer key that is less, so
    // the first is b'\x01' (one byte, the least that has one), and the
    // second b'\x00\x00', the least longer key below it.
    problem("sort_key_length_prefix_breaks_byte_order",
            Gen.zip(Gen.bytes(count: 0...16), Gen.bytes(count: 0...16)),
            show: { "(\(pyBytes($0.0)), \(pyBytes($0.1)))" }, ideal: { $0.0 == [1] && $0.1 == [0, 0] }) { t in
        try check(byteOrder([UInt8(t.0.count)] + t.0, [UInt8(t.1.count)] + t.1) == byteOrder(t.0, t.1))
    },
    // Lists of Int16: the moving sums of three must be the sums of each window of three.
    // Minimum: from index 3 on every sum keeps the first value too, so four
    // values, the first not 0: 1, 0, 0, 0.
    problem("moving_sum_evicts_one_step_late", Gen.arrays(of: Gen.integers(of: Int16.self)),
            show: pyList, ideal: { $0 == [1, 0, 0, 0] }) { xs in
        let v: [Int] = xs.map { Int($0) }
        var sums: [Int] = []
        for i in v.indices.dropFirst(2) { sums.append(v[i - 2] + v[i - 1] + v[i]) }
        try check(windowSumsEvictingLate(v) == sums)
    },
    // Lists of runs of 0...9 (each sorted before merging): the merge must hold every value, sorted.
    // Minimum: a single run is merged whole, so two runs; with the first
    // empty nothing is merged, and the second needs a value: [[], [0]],
    // which as choices is less than [[0], []].
    problem("kway_merge_stops_when_one_run_ends", Gen.arrays(of: Gen.arrays(of: Gen.ints(in: 0...9))),
            show: { pyList($0.map { pyList($0) }) }, ideal: { $0 == [[], [0]] }) { runs in
        let sortedRuns = runs.map { $0.sorted() }
        try check(mergeRunsUntilOneEnds(sortedRuns) == sortedRuns.flatMap { $0 }.sorted())
    },
    // (stock, order): items 0...7 to quantities 1...9 each: an order the check accepts must leave no item's stock
    // below zero.
    // Minimum: the stock comes first; an empty stock accepts only the empty
    // order, so one item, 0, of quantity 1; an order of item 0 is then
    // either covered or refused, so one item, 1, of quantity 1.
    problem("stock_reservation_checked_by_total_not_item",
            Gen.zip(Gen.dictionaries(keys: Gen.ints(in: 0...7), values: Gen.ints(in: 1...9)),
                    Gen.dictionaries(keys: Gen.ints(in: 0...7), values: Gen.ints(in: 1...9))),
            show: { "(\(pyIntDict($0.0)), \(pyIntDict($0.1)))" }, ideal: { $0.0 == [0: 1] && $0.1 == [1: 1] }) { t in
        guard reservationAcceptedByTotal(stock: t.0, order: t.1) else { return }
        for (item, quantity) in t.1 { try check(t.0[item, default: 0] - quantity >= 0) }
    },
    // Scalars (an Int64, a boolean, or text over "no1"): written bare unless empty or numeric, they must read back.
    // Minimum: integers and booleans (the first two branches) read back, so
    // text; "" and numerals are quoted, and no single character of "no1" is
    // a word; of two, "nn" is not, and "no" is read as false.
    problem("yaml_bare_no_read_back_as_false",
            Gen.oneOf(Gen.integers().map { YamlScalar.int($0) }, Gen.booleans().map { YamlScalar.bool($0) },
                      Gen.strings(of: Gen.characters(from: "no1")).map { YamlScalar.text($0) }),
            show: \.repr, ideal: { $0 == .text("no") }) { v in
        try check(yamlRead(yamlWrite(v)) == v)
    },
    // A year in 1970...2100, then a month, a day of that month and a number of months 0...120 to add: the date
    // moved on must be a day of its month.
    // Minimum: 1970 and January come first, and every month has 28 days: a
    // day from 29, so 29, then one month on, February 1970, of 28.
    problem("add_months_keeps_day_past_month_end",
            datesAndMonthsToAdd,
            show: { "(\($0.0), \($0.1), \($0.2), \($0.3))" }, ideal: { $0 == (1970, 1, 29, 1) }) { t in
        let moved = addMonthsKeepingDay(year: t.0, month: t.1, day: t.2, months: t.3)
        try check(moved.day <= civilMonthLength(year: moved.year, month: moved.month))
    },
    // deposits (accounts 0...2, amounts 1...5) and transfers between them, on a ledger whose transfer reads both
    // balances first: the money held must be what was deposited.
    // Minimum: a transfer needs money, so a deposit first (the first rule),
    // to account 0 of 1; then the transfer of it from account 0 to itself.
    machineProblem("machine_ledger_self_transfer_reads_both_first", StateMachine<Int, ThreeAccountLedger>(
        model: { 0 }, system: { ThreeAccountLedger(readsBothFirst: true) },
        rules: [
            .init("deposit") { deposited, ledger, step in
                let account = try step.draw(Gen.ints(in: 0...2), "account")
                let amount = try step.draw(Gen.ints(in: 1...5), "amount")
                deposited += amount
                ledger.deposit(account, amount)
            },
            .init("transfer") { _, ledger, step in
                let from = try step.draw(Gen.ints(in: 0...2), "from")
                let to = try step.draw(Gen.ints(in: 0...2), "to")
                let amount = try step.draw(Gen.ints(in: 1...5), "amount")
                ledger.transfer(from: from, to: to, amount: amount)
            },
        ],
        check: { deposited, ledger in
            try expect(ledger.total == deposited, "total \(ledger.total), deposited \(deposited)")
        }),
        ideal: ["deposit(account: 0, amount: 1)", "transfer(from: 0, to: 0, amount: 1)"]),
    // requests and ticks of 1...3, on a limiter of 2 requests in 3 ticks that keeps a request exactly 3 ticks old:
    // each request must be let through or refused as the right limiter does.
    // Minimum: the buggy limiter refuses only with two requests logged, one
    // of them 3 ticks old, so two requests (the first rule), a tick of 3
    // (one step where ticks of 1 take three) and a request.
    machineProblem("machine_sliding_log_limiter_keeps_edge_request", StateMachine<SlidingLogLimiter, SlidingLogLimiter>(
        model: { SlidingLogLimiter(keepsBoundary: false) }, system: { SlidingLogLimiter(keepsBoundary: true) },
        rules: [
            .init("request") { model, limiter, _ in
                let expected = model.request(), got = limiter.request()
                try expect(got == expected, "request() returned \(got), expected \(expected)")
            },
            .init("tick") { model, limiter, step in
                let dt = try step.draw(Gen.ints(in: 1...3), "dt")
                model.tick(dt)
                limiter.tick(dt)
            },
        ]),
        ideal: ["request()", "request()", "tick(dt: 3)", "request()"]),
    // sets (keys and values 0...2), expires (ttl 1...3) and ticks, on a store whose SET keeps the key's expiry: the
    // keys and values not expired must be the right store's.
    // Minimum: the SET must overwrite a key with an expiry and time must
    // reach it: a set, an expire of the key (of 1 tick), the set again and
    // a tick, every argument its least.
    machineProblem("machine_kv_set_keeps_previous_expiry", StateMachine<ExpiringStore, ExpiringStore>(
        model: { ExpiringStore(setKeepsExpiry: false) }, system: { ExpiringStore(setKeepsExpiry: true) },
        rules: [
            .init("set") { model, store, step in
                let key = try step.draw(Gen.ints(in: 0...2), "key")
                let value = try step.draw(Gen.ints(in: 0...2), "value")
                model.set(key, value)
                store.set(key, value)
            },
            .init("expire") { model, store, step in
                let key = try step.draw(Gen.ints(in: 0...2), "key")
                let ttl = try step.draw(Gen.ints(in: 1...3), "ttl")
                model.expire(key, ttl: ttl)
                store.expire(key, ttl: ttl)
            },
            .init("tick") { model, store, _ in
                model.tick()
                store.tick()
            },
        ],
        check: { model, store in
            try expect(store.visible == model.visible, "visible \(pyIntDict(store.visible)), expected \(pyIntDict(model.visible))")
        }),
        ideal: ["set(key: 0, value: 0)", "expire(key: 0, ttl: 1)", "set(key: 0, value: 0)", "tick()"]),
] }

/// A year in 1970...2100, a month, a day of that month and a number of months 0...120.
let datesAndMonthsToAdd: Generator<(Int, Int, Int, Int)> = Gen.ints(in: 1970...2100).flatMap { (y: Int) -> Generator<(Int, Int, Int, Int)> in
    Gen.ints(in: 1...12).flatMap { (m: Int) -> Generator<(Int, Int, Int, Int)> in
        let days: Generator<Int> = Gen.ints(in: 1...civilMonthLength(year: y, month: m))
        return Gen.zip(days, Gen.ints(in: 0...120)).map { (t: (Int, Int)) -> (Int, Int, Int, Int) in (y, m, t.0, t.1) }
    }
}
