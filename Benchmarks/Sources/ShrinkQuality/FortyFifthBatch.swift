// The forty-fifth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-fifth batch after the forty-fourth), this time from everyday
// application and library code rather than from kernels and allocators.
// Every expected minimum is the same in both engines' simplicity orders:
// both compare choice sequences shortlex (fewer choices first, then choice
// by choice), an integer's choices in the order simplest, +1, -1, +2, -2,
// ... (the simplest being 0, or the bound nearest it), a double's by its
// sign and then its lex code (integers first, then the exponents 2^0, 2^1,
// ... and after them 2^-1, 2^-2, ..., each mantissa with its fractional
// bits reversed), a byte string's shortest first and then byte by byte, and
// the strings here are drawn from alphabets (`element(of:)`,
// `characters(from:)`; `sampled_from` in Python), so both order their
// characters alike. Hypothesis draws a key of a set or a dictionary of
// bounded integers as an index among the keys not yet drawn, PropertyTesting
// as the key itself (a repeat is dropped); the least keys are 0, 1, 2, ...
// either way. Each problem's comment says why its minimum is the least
// failing value in that order. Each was also checked by enumerating
// Hypothesis's choice sequences in that order (ConjectureData over every
// sequence of fewer choices and every smaller one of as many, a throwaway
// script) until the first failing one: with the integers' ranks capped at
// 40 for the price, 34 for the coupons, 15 for the seats, 10 for the dates,
// 3 for the machines, the timestamps, the scores and the formulas, and 2
// for the characters; the byte strings of up to one byte below 100; for
// the readings the integers up to 3 and the first eight mantissas of the
// exponents 2^0, 2^1 and 2^-1 to 2^-3.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A price of `cents` printed as "D.CC" and read back as the buggy checkout
/// reads it: parsed as a double and multiplied by 100, truncated to cents.
func centsThroughDollarText(_ cents: UInt32) -> Int {
    let text = "\(cents / 100)." + (cents % 100 < 10 ? "0" : "") + "\(cents % 100)"
    return Int(Double(text)! * 100)
}

/// The readings kept by deduplication: each unless one kept before it is
/// less than 0.25 away. With `byCell` it is the buggy deduplicator, which
/// hashes readings to grid cells of width 0.25 (the floor of x / 0.25) and
/// looks only at the kept readings in the reading's own cell.
func deduplicatedReadings(_ xs: [Double], byCell: Bool) -> [Double] {
    var kept: [Double] = []
    for x in xs where !kept.contains(where: { y in
        abs(x - y) < 0.25 && (!byCell || (x / 0.25).rounded(.down) == (y / 0.25).rounded(.down))
    }) {
        kept.append(x)
    }
    return kept
}

/// The scalars user names are drawn from: "e", the combining acute accent
/// U+0301 and the precomposed "é" U+00E9 ("e" + U+0301 is canonically "é").
let usernameScalars: [Unicode.Scalar] = ["e", "\u{301}", "\u{E9}"]

/// User names over `usernameScalars`, built scalar by scalar.
let usernames: Generator<String> = Gen.arrays(of: Gen.element(of: usernameScalars)).map { (scalars: [Unicode.Scalar]) -> String in
    String(String.UnicodeScalarView(scalars))
}

/// Column headers made unique as the buggy importer makes them: the k-th
/// repeat of a name becomes name_k, never checked against the other names.
func headersSuffixedWithoutRecheck(_ names: [String]) -> [String] {
    var seen: [String: Int] = [:]
    return names.map { name in
        let k = seen[name, default: 0]
        seen[name] = k + 1
        return k == 0 ? name : name + "_\(k)"
    }
}

/// A daily log's file name, its month padded to two digits and its day not padded.
func dailyLogName(_ date: (month: UInt8, day: UInt8)) -> String {
    "2024-" + (date.month < 10 ? "0" : "") + "\(date.month)-\(date.day).log"
}

/// A coupon: a percentage off (truncated to the cent) or an amount of cents off (never below zero).
enum Coupon: Equatable {
    case percentOff(UInt8)
    case amountOff(UInt16)

    var repr: String {
        switch self {
        case .percentOff(let p): return "('pct', \(p))"
        case .amountOff(let a): return "('off', \(a))"
        }
    }
}

/// A price of `price` cents after `coupons`, applied in the order given.
func priceAfterCoupons(_ price: UInt32, _ coupons: [Coupon]) -> Int {
    var p = Int(price)
    for coupon in coupons {
        switch coupon {
        case .percentOff(let pct): p = p * (100 - Int(pct)) / 100
        case .amountOff(let amount): p = max(0, p - Int(amount))
        }
    }
    return p
}

/// A price and the coupons entered at the checkout.
let couponedPrices: Generator<(UInt32, [Coupon])> = Gen.zip(
    Gen.integers(of: UInt32.self, in: 0...100_000),
    Gen.arrays(of: Gen.oneOf(Gen.integers(of: UInt8.self, in: 1...100).map { Coupon.percentOff($0) },
                             Gen.integers(of: UInt16.self, in: 1...5000).map { Coupon.amountOff($0) })))

/// ASCII lower-casing of bytes: 32 added to every byte from "A" to `last`
/// (the buggy one typed "z" for "Z").
func asciiLowercased(_ bytes: [UInt8], through last: UInt8) -> [UInt8] {
    bytes.map { (0x41...last).contains($0) ? $0 + 32 : $0 }
}

/// How many of the rows (timestamp, id) the buggy keyset pagination reads:
/// pages of `pageSize` rows in timestamp order, each the rows with a
/// timestamp after the previous page's last one (ties at the page's end skipped).
func rowsReadPagingByTimestamp(_ timestamps: [UInt16], pageSize: Int) -> Int {
    let rows = timestamps.enumerated().map { (Int($0.element), $0.offset) }.sorted { $0 < $1 }
    var read = 0
    var cursor = -1
    while true {
        let page = rows.filter { $0.0 > cursor }.prefix(pageSize)
        guard let last = page.last else { break }
        read += page.count
        cursor = last.0
    }
    return read
}

/// Timestamps 0...59, then a page size from 1 to their count.
let pagedTimestamps: Generator<([UInt16], Int)> = Gen.arrays(of: Gen.integers(of: UInt16.self, in: 0...59))
    .flatMap { (ts: [UInt16]) -> Generator<([UInt16], Int)> in
        Gen.ints(in: 1...max(1, ts.count)).map { (k: Int) -> ([UInt16], Int) in (ts, k) }
    }

/// The first block of `party` seats in a row of 16 as the buggy finder picks
/// it: the first whose two end seats are free.
func seatBlockCheckingEnds(taken: Set<UInt8>, party: Int) -> Int? {
    for s in 0...(16 - party) where !taken.contains(UInt8(s)) && !taken.contains(UInt8(s + party - 1)) { return s }
    return nil
}

/// A spreadsheet formula: a cell's value, or an AVERAGE of formulas.
indirect enum SheetFormula: Equatable {
    case value(Int8)
    case average([SheetFormula])

    var repr: String {
        switch self {
        case .value(let v): return String(v)
        case .average(let args): return "avg(" + args.map(\.repr).joined(separator: ", ") + ")"
        }
    }
}

/// A formula's value: an average truncated toward zero over its arguments'
/// values, leaving out the blank ones; an average of nothing is blank (nil).
/// With `emptyAsZero` it is the buggy sheet, where an average of nothing is
/// 0 and counts in the average around it.
func sheetValue(_ f: SheetFormula, emptyAsZero: Bool) -> Int? {
    switch f {
    case .value(let v): return Int(v)
    case .average(let args):
        let values = args.compactMap { sheetValue($0, emptyAsZero: emptyAsZero) }
        if values.isEmpty { return emptyAsZero ? 0 : nil }
        return values.reduce(0, +) / values.count
    }
}

/// Formulas three levels deep: an Int8 value, or an average of formulas.
let sheetFormulas: Generator<SheetFormula> = Gen.recursive(maxDepth: 3, label: "formula",
                                                           base: Gen.integers(of: Int8.self).map { SheetFormula.value($0) }) { inner in
    Gen.arrays(of: inner).map { SheetFormula.average($0) }
}

/// A booking of a room: the half-open slots [start, start + length).
struct RoomBooking: Equatable {
    let start: Int
    let length: Int
}

/// A room's calendar. With `checksEnclosing` false it is the buggy one,
/// which refuses a booking only when its first or its last slot lies in a
/// booking, so one that encloses a booking goes through.
final class RoomCalendar {
    let checksEnclosing: Bool
    private(set) var booked: [RoomBooking] = []

    init(checksEnclosing: Bool) { self.checksEnclosing = checksEnclosing }

    /// Whether the booking was accepted.
    func book(_ b: RoomBooking) -> Bool {
        let end = b.start + b.length
        let clash = booked.contains { other in
            let otherEnd = other.start + other.length
            return checksEnclosing ? b.start < otherEnd && other.start < end
                : (other.start..<otherEnd).contains(b.start) || (other.start..<otherEnd).contains(end - 1)
        }
        if clash { return false }
        booked.append(b)
        return true
    }

    func cancel(_ b: RoomBooking) {
        if let i = booked.firstIndex(of: b) { booked.remove(at: i) }
    }
}

/// An interval map of the keys 0..<8: disjoint intervals [start, end) with
/// values, kept sorted. Assigning or erasing a range cuts the intervals it
/// overlaps; with `keepsRightPart` false it is the buggy map, whose cut
/// keeps only the left part of an interval that encloses the range.
final class IntervalMap {
    let keepsRightPart: Bool
    private(set) var intervals: [(start: Int, end: Int, value: Int32)] = []

    init(keepsRightPart: Bool) { self.keepsRightPart = keepsRightPart }

    private func carve(_ lo: Int, _ hi: Int) {
        var out: [(start: Int, end: Int, value: Int32)] = []
        for iv in intervals {
            if iv.end <= lo || hi <= iv.start {
                out.append(iv)
                continue
            }
            if iv.start < lo { out.append((iv.start, lo, iv.value)) }
            if hi < iv.end && (keepsRightPart || !(iv.start < lo)) { out.append((hi, iv.end, iv.value)) }
        }
        intervals = out
    }

    func assign(_ lo: Int, _ hi: Int, _ value: Int32) {
        carve(lo, hi)
        intervals.append((lo, hi, value))
        intervals.sort { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    func erase(_ lo: Int, _ hi: Int) { carve(lo, hi) }

    func get(_ key: Int) -> Int32? { intervals.first { $0.start <= key && key < $0.end }?.value }
}

/// The prices in cents of the skus 0, 1 and 2.
let cartPrices = [100, 250, 1000]

/// A cart of lines (sku to quantity; adding to a sku merges into its line)
/// with a running subtotal. With `usesLineQuantity` false it is the buggy
/// cart, whose remove takes off the price times the quantity last added to
/// the line, not the line's quantity.
final class CartWithSubtotal {
    let usesLineQuantity: Bool
    private(set) var lines: [Int: Int] = [:]
    private var lastAdded: [Int: Int] = [:]
    private(set) var subtotal = 0

    init(usesLineQuantity: Bool) { self.usesLineQuantity = usesLineQuantity }

    func add(sku: Int, qty: Int) {
        lines[sku, default: 0] += qty
        lastAdded[sku] = qty
        subtotal += cartPrices[sku] * qty
    }

    func remove(sku: Int) {
        guard let qty = lines[sku] else { return }
        subtotal -= cartPrices[sku] * (usesLineQuantity ? qty : lastAdded[sku]!)
        lines[sku] = nil
    }
}

/// The forty-fifth batch, written by someone who had not read the shrinker:
/// a price read back through a double, readings deduplicated by grid cell,
/// a sign-in comparing bytes where the sign-up compares canonically, header
/// names suffixed without a second look, log names with an unpadded day,
/// coupons applied as entered, ASCII lower-casing typed up to "z", keyset
/// paging that skips timestamp ties, a seat finder that checks the end
/// seats, dense ranks on a leaderboard, an average of nothing counted as 0,
/// a calendar blind to enclosing bookings, an interval map that drops the
/// right part of a cut and a cart that removes the last quantity added.
func fortyFifthBatch() -> [Problem] { [
    // UInt32 cents: printed as "D.CC", read back as a double and truncated to cents, a price must be itself.
    // Minimum: unsigned values go up from 0; 0.01 to 0.28 times 100 come
    // out at or just above the cents, and 0.29 (the double just below it)
    // times 100 is 28.999999999999996, truncated to 28.
    problem("price_text_to_cents_truncates_double", Gen.integers(of: UInt32.self), show: { String($0) },
            ideal: { $0 == 29 }) { c in
        try check(centsThroughDollarText(c) == Int(c))
    },
    // Lists of readings 0...1: deduplicated comparing only within grid cells of 0.25, they must keep what comparing
    // all kept readings keeps (those less than 0.25 from a kept one dropped).
    // Minimum: two readings, less than 0.25 apart in two cells; a first
    // reading of 0.0 has its near ones below 0.25, all in its cell; 1.0,
    // next, is in cell 4, and no second reading fails before the fractions
    // of 2^-1: the integers are 0 or 1 away, and the exponents from 2^0 up
    // hold nothing else in range; of [0.5, 1), 0.5 (the mantissa 0), 0.75
    // and 0.625 (its one-bit mantissas) are 0.25 or more away, and 0.875
    // (the next) is near and in cell 3.
    problem("near_duplicate_readings_split_across_grid_cells", Gen.arrays(of: Gen.doubles(in: 0...1)),
            show: { pyList($0.map(pyFloat)) }, ideal: { $0 == [1.0, 0.875] }) { xs in
        try check(deduplicatedReadings(xs, byCell: true) == deduplicatedReadings(xs, byCell: false))
    },
    // Pairs of names over "e", U+0301 and "é": the sign-in's byte comparison must agree with the sign-up's canonical
    // one (String ==).
    // Minimum: names canonically equal with other bytes need "é" and "e"
    // U+0301, three scalars, the fewest; the first name's first scalar is
    // least as "e" (the first of the alphabet): ("e\u0301", "\xe9").
    problem("sign_in_compares_utf8_where_sign_up_compares_canonically", Gen.zip(usernames, usernames),
            show: { "(\(pyString($0.0, asciiOnly: true)), \(pyString($0.1, asciiOnly: true)))" },
            ideal: { $0.0.unicodeScalars.elementsEqual(["e", "\u{301}"]) && $0.1.unicodeScalars.elementsEqual(["\u{E9}"]) }) { t in
        try check((Array(t.0.utf8) == Array(t.1.utf8)) == (t.0 == t.1))
    },
    // Lists of column names over "a_1": the names made unique by suffixing repeats with _k must be distinct.
    // Minimum: a suffixed repeat must meet a name spelled like it, so
    // three names, one with "_1" in it, two characters (a repeat of "" is
    // "_1"); the empty names come first: ['', '', '_1'].
    problem("duplicate_headers_suffixed_without_recheck", Gen.arrays(of: Gen.strings(of: Gen.characters(from: "a_1"))),
            show: { pyList($0.map(pyString)) }, ideal: { $0 == ["", "", "_1"] }) { names in
        let unique = headersSuffixedWithoutRecheck(names)
        try check(Set(unique).count == unique.count)
    },
    // Lists of dates of 2024 (month 1...12, day 1...28): sorted by their log file names (day unpadded) they must be
    // in date order.
    // Minimum: the months are padded, so two dates of one month, one day of
    // one digit and one of two; day 1 sorts rightly against every day ("1"
    // is a prefix of "1x" and below "2".."9" and "2x"), day 2 wrongly after
    // 10 to 19: [(1, 2), (1, 10)].
    problem("daily_log_names_sorted_with_unpadded_day",
            Gen.arrays(of: Gen.zip(Gen.integers(of: UInt8.self, in: 1...12), Gen.integers(of: UInt8.self, in: 1...28))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) }, ideal: { $0.map { [$0.0, $0.1] } == [[1, 2], [1, 10]] }) { dates in
        let byName = dates.sorted { dailyLogName($0) < dailyLogName($1) }.map { [$0.0, $0.1] }
        let byDate = dates.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { [$0.0, $0.1] }
        try check(byName == byDate)
    },
    // (price 0...100000 cents, coupons: percent 1...100 or amount 1...5000 cents): applied as entered, the price must
    // be the one of percent coupons first.
    // Minimum: only an amount before a percent changes the price, so two
    // coupons (the amount the second branch); with those, prices 0 to 2 end
    // at 0 both ways, and at 3 the least amount, 1, gives 2 * (100 - p) / 100
    // against 3 * (100 - p) / 100 - 1, first apart (1 against 0) at p = 34.
    problem("coupons_applied_in_entry_order_not_percent_first", couponedPrices,
            show: { "(\($0.0), \(pyList($0.1.map(\.repr))))" },
            ideal: { $0.0 == 3 && $0.1 == [.amountOff(1), .percentOff(34)] }) { t in
        let percents = t.1.filter { if case .percentOff = $0 { return true } else { return false } }
        let amounts = t.1.filter { if case .amountOff = $0 { return true } else { return false } }
        try check(priceAfterCoupons(t.0, t.1) == priceAfterCoupons(t.0, percents + amounts))
    },
    // Byte strings: lower-cased with the range typed "A"..."z", they must be lower-cased with "A"..."Z".
    // Minimum: one byte, the least of those from "[" (0x5B) to "z" the
    // typed range adds 32 to as well: b'['.
    problem("ascii_lowercase_range_typed_up_to_lowercase_z", Gen.bytes(count: 0...64), show: pyBytes,
            ideal: { $0 == [0x5B] }) { b in
        try check(asciiLowercased(b, through: 0x7A) == asciiLowercased(b, through: 0x5A))
    },
    // (timestamps 0...59, then a page size 1...their count): paging by timestamp must read every row.
    // Minimum: a page's end must split equal timestamps, so two rows, both
    // at 0 (the least list of two), in pages of 1: ([0, 0], 1).
    problem("keyset_paging_by_timestamp_skips_ties", pagedTimestamps, show: { "(\(pyList($0.0)), \($0.1))" },
            ideal: { $0.0 == [0, 0] && $0.1 == 1 }) { t in
        try check(rowsReadPagingByTimestamp(t.0, pageSize: t.1) == t.0.count)
    },
    // (taken seats of 0...15, party 1...4): a block the finder checking its end seats returns must be all free.
    // Minimum: the block's middle must be taken and its ends free, so one
    // taken seat and a party of 3; seat 0 is in no block's middle, so seat
    // 1, with the block 0...2: ({1}, 3).
    problem("adjacent_seats_finder_checks_end_seats_only",
            Gen.zip(Gen.sets(of: Gen.integers(of: UInt8.self, in: 0...15)), Gen.integers(of: UInt8.self, in: 1...4)),
            show: { "(" + ($0.0.isEmpty ? "set()" : "{" + $0.0.sorted().map(String.init).joined(separator: ", ") + "}") + ", \($0.1))" },
            ideal: { $0.0 == [1] && $0.1 == 3 }) { t in
        let party = Int(t.1)
        if let s = seatBlockCheckingEnds(taken: t.0, party: party) {
            try check((s..<(s + party)).allSatisfy { !t.0.contains(UInt8($0)) })
        }
    },
    // Player ids (UInt8) to scores -50...50: each player's dense rank must be its competition rank (1, 1, 3).
    // Minimum: the ranks differ only below a tie, so three players, two
    // tied and one lower; ids 0, 1, 2, the first two tied at 0 (the least)
    // and the third -1 (the least below 0): {0: 0, 1: 0, 2: -1}.
    problem("leaderboard_dense_ranks_where_competition_expected",
            Gen.dictionaries(keys: Gen.integers(of: UInt8.self), values: Gen.integers(of: Int16.self, in: -50...50)),
            show: { d in "{" + d.keys.sorted().map { "\($0): \(d[$0]!)" }.joined(separator: ", ") + "}" },
            ideal: { $0 == [0: 0, 1: 0, 2: -1] }) { scores in
        let values = Array(scores.values)
        for v in values {
            let higher = values.filter { $0 > v }
            try check(1 + Set(higher).count == 1 + higher.count)
        }
    },
    // Formulas three levels deep (Int8 values, averages): the sheet counting an average of nothing as 0 must show
    // what the right one shows (a blank as 0).
    // Minimum: at the top a blank shows as 0 either way, so an average of
    // an empty average and a value; the value first (the base branch) and
    // least but nonzero, 1: avg(1, avg()) (1 against 0).
    problem("sheet_average_counts_empty_average_as_zero", sheetFormulas, show: \.repr,
            ideal: { $0 == .average([.value(1), .average([])]) }) { f in
        try check(sheetValue(f, emptyAsZero: true) == (sheetValue(f, emptyAsZero: false) ?? 0))
    },
    // bookings of slots 0...7 for 1...4 slots and cancellations, on a calendar that checks only a booking's first
    // and last slots: each booking must be accepted or refused as the right calendar does.
    // Minimum: a booking must enclose an accepted one, which starts at 1
    // at the least (none starts before 0) and is one slot long; the
    // enclosing one starts at 0 and ends past 1, with 3 slots.
    machineProblem("machine_booking_overlap_misses_enclosing_booking", StateMachine<RoomCalendar, RoomCalendar>(
        model: { RoomCalendar(checksEnclosing: true) }, system: { RoomCalendar(checksEnclosing: false) },
        rules: [
            .init("book") { model, calendar, step in
                let start = try step.draw(Gen.ints(in: 0...7), "start")
                let length = try step.draw(Gen.ints(in: 1...4), "length")
                let booking = RoomBooking(start: start, length: length)
                let expected = model.book(booking), got = calendar.book(booking)
                try expect(got == expected, "booking accepted: \(got), expected \(expected)")
                if expected { step.produce(booking, into: "bookings") }
            },
            .init("cancel", precondition: { !$0.booked.isEmpty }) { model, calendar, step in
                let booking = try step.pick(from: "bookings", as: RoomBooking.self, label: "booking", remove: true)
                model.cancel(booking)
                calendar.cancel(booking)
            },
        ]),
        ideal: ["v1 = book(start: 1, length: 1)", "book(start: 0, length: 3)"]),
    // assigns of values 0...9 and erases, of 1...4 keys from 0...7, on an interval map whose cut drops the right part
    // of an interval enclosing the range: every key must map as in the right map.
    // Minimum: a cut must fall strictly inside an interval, of 3 keys at
    // the least, from 0; the erase takes fewer choices than an assign (no
    // value): assign 0...2, then erase key 1.
    machineProblem("machine_interval_map_cut_drops_right_part", StateMachine<IntervalMap, IntervalMap>(
        model: { IntervalMap(keepsRightPart: true) }, system: { IntervalMap(keepsRightPart: false) },
        rules: [
            .init("assign") { model, map, step in
                let start = try step.draw(Gen.ints(in: 0...7), "start")
                let length = try step.draw(Gen.ints(in: 1...4), "length")
                let value = try step.draw(Gen.integers(of: Int32.self, in: 0...9), "value")
                model.assign(start, min(8, start + length), value)
                map.assign(start, min(8, start + length), value)
            },
            .init("erase") { model, map, step in
                let start = try step.draw(Gen.ints(in: 0...7), "start")
                let length = try step.draw(Gen.ints(in: 1...4), "length")
                model.erase(start, min(8, start + length))
                map.erase(start, min(8, start + length))
            },
        ],
        check: { model, map in
            let got = (0..<8).map { map.get($0) }, expected = (0..<8).map { model.get($0) }
            try expect(got == expected, "map \(got), expected \(expected)")
        }),
        ideal: ["assign(start: 0, length: 3, value: 0)", "erase(start: 1, length: 1)"]),
    // adds of 1...3 of a sku 0...2 (merging into its line) and removes of a sku's line, on a cart whose remove takes
    // off the quantity last added: the subtotal must be the right cart's.
    // Minimum: a line must hold more than its last add, so two adds to it
    // and its removal, every argument the least.
    machineProblem("machine_cart_remove_takes_last_added_quantity", StateMachine<CartWithSubtotal, CartWithSubtotal>(
        model: { CartWithSubtotal(usesLineQuantity: true) }, system: { CartWithSubtotal(usesLineQuantity: false) },
        rules: [
            .init("add") { model, cart, step in
                let sku = try step.draw(Gen.ints(in: 0...2), "sku")
                let qty = Int(try step.draw(Gen.integers(of: Int16.self, in: 1...3), "qty"))
                model.add(sku: sku, qty: qty)
                cart.add(sku: sku, qty: qty)
            },
            .init("remove", precondition: { !$0.lines.isEmpty }) { model, cart, step in
                let sku = try step.draw(Gen.ints(in: 0...2), "sku")
                model.remove(sku: sku)
                cart.remove(sku: sku)
            },
        ],
        check: { model, cart in
            try expect(cart.subtotal == model.subtotal, "subtotal \(cart.subtotal), expected \(model.subtotal)")
        }),
        ideal: ["add(sku: 0, qty: 1)", "add(sku: 0, qty: 1)", "remove(sku: 0)"]),
] }
