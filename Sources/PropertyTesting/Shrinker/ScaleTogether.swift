// Pass: lower an integer to 1 (or -1) while the next integer of its kind
// takes on its factor, keeping their product.
//
// `redistribute` keeps a sum; a product is kept by no move of one value or
// of a sum. "x * y > 1000" stopped at (7, 143) in 18 of 20 seeds: 6 * 143
// and 7 * 142 both pass, and (1, 1001) is simpler, since the earlier value
// is. Here each integer with a magnitude of at least 2 is tried at 1 with
// its sign, with the next or the one after of the same kind multiplied by
// it (exactly: the product is the same). When the product does not fit the
// later value's range (an `Int32` pair whose product overflows, the
// failure itself), the other unit is tried with the product negated, and
// else the least factor that leaves the later value in range, with the
// product rounded away from zero (`factors`): such pairs stopped at
// `(91, 23598722)` or `(6, 357913942)` in 18 of 20 seeds, and reach
// `(-1, Int32.min)` in 20 now. That costs a call only where the product
// does not fit (`pair_same_size_class`, sizes of 1...64, half a call to a
// call in the median). The two may be of different ranges (a record's size
// in 0...65535 and its count in 0...1000, whose product passes 65535): the
// first takes a value of its range, the second one of its own. Only pairs
// of one range were tried at first, and that record stopped at
// `(128, 512)` or `(169, 388)` in 9 of 20 seeds; 20 of 20 reach
// `(66, 993)` now, no other row of the suite or the challenge moved.
//
// A last-resort pass: it costs a call per such pair at the end of a shrink
// whose values are not tied by a product. Only between two integers of one
// tuple (`Gen.zip`), and not inside a collection's elements: a list's
// values are tied by sums, orders and distinctness far more often than by a
// product, and there the probes cost up to nine calls a problem (eight
// distinct values, three dictionary values of at least 10) and moved
// nothing; between the integers of an allocator's trace (sizes, orders,
// drawn by its steps) they cost the seeded defects' shrinks up to twelve
// median calls (free-exact-one-past 494.5 to 506.5).
//
// Invariant: the earlier integer moves to 1 or -1 (or the least factor),
// nearer its simplest value 0 than where it was, and the later one stays in
// its own range, so the candidate is simpler.

extension Shrinker {
    /// The choices inside a collection's elements.
    var elementChoices: Set<Int> {
        var inside = Set<Int>()
        for span in spans where span.label == "array.element" { inside.formUnion(span.range) }
        return inside
    }

    /// For each choice that is an integer of `Gen.integers` (an "integer"
    /// span of one choice) directly inside a tuple: that tuple's span.
    var tupleOfInteger: [Int: Int] {
        var tuples: [Int: Int] = [:]  // only looked up, never iterated
        for span in spans where span.label == "integer" && span.count == 1 {
            if let parent = span.parent, spans[parent].label == "tuple" { tuples[span.start] = parent }
        }
        return tuples
    }

    func scaleTogether() -> Bool {
        var progress = false
        // What the candidates are checked against, read again only after an
        // accepted one (nothing else changes the example during the pass).
        // Most examples (an allocator's trace among them) have no integer
        // of a tuple, and then the pass does nothing more.
        var tuples = tupleOfInteger
        guard !tuples.isEmpty else { return false }
        var ints = integerIndices, characters = characterIndices, inElements = elementChoices
        var k = 0
        while !exhausted {
            guard k < ints.count else { break }
            for step in 1...2 where k + step < ints.count && !exhausted {
                let i = ints[k], j = ints[k + step]
                guard let tuple = tuples[i], tuples[j] == tuple, !characters.contains(i), !characters.contains(j),
                      !inElements.contains(i), !inElements.contains(j),
                      case .integer(let c) = choices[i].kind, case .integer(let d) = choices[j].kind,
                      case .integer(let x) = values[i], case .integer(let y) = values[j] else { continue }
                let pair: (Int64, Int64)
                if c.simplest == 0, d.simplest == 0, x.magnitude >= 2, y != 0 {
                    let (product, overflow) = x.multipliedReportingOverflow(by: y)
                    guard !overflow, let factors = Self.factors(of: product, below: x, in: c, and: d) else { continue }
                    pair = factors
                } else if Self.isUnsignedFromZero(c), Self.isUnsignedFromZero(d),
                          let factors = Self.unsignedFactors(Self.unsigned(x), Self.unsigned(y),
                                                             maxFirst: Self.unsigned(c.max), maxSecond: Self.unsigned(d.max)) {
                    pair = (Self.choice(ofUnsigned: factors.0), Self.choice(ofUnsigned: factors.1))
                } else {
                    continue
                }
                let (a, b) = pair
                var candidate = values
                candidate[i] = .integer(a)
                candidate[j] = .integer(b)
                if consider(candidate) {
                    progress = true
                    (tuples, ints, characters, inElements) = (tupleOfInteger, integerIndices, characterIndices, elementChoices)
                    break
                }
            }
            k += 1
        }
        return progress
    }

    /// Whether `kind` is a range of unsigned integers from 0 that passes
    /// `Int64.max` (`Gen.integers(of: UInt64.self)`): its choices are the
    /// values offset by 2^63, so its least choice, `Int64.min`, is 0 and the
    /// simplest. (No signed range has its simplest value at `Int64.min`,
    /// as a signed range's simplest is 0 or the bound nearest it.)
    static func isUnsignedFromZero(_ kind: IntegerConstraints) -> Bool {
        kind.min == .min && kind.simplest == .min && kind.max > .min
    }

    /// The unsigned value of a choice of such a range, and back.
    static func unsigned(_ choice: Int64) -> UInt64 { UInt64(bitPattern: choice) ^ (1 << 63) }
    static func choice(ofUnsigned value: UInt64) -> Int64 { Int64(bitPattern: value ^ (1 << 63)) }

    /// `factors` for two unsigned integers `x` and `y` of ranges from 0 up
    /// to `maxFirst` and `maxSecond`, with their product taken exactly (in
    /// 128 bits: `calloc`'s count times size overflowing 64 bits is the
    /// failure itself, and stopped at `(2^32, 2^32)` or `(8, 2^61)`): `x` at 1
    /// with `y` taking the product when it fits, else the least `x` that
    /// leaves `y` in range, with the product rounded up. Nil when none is
    /// below `x`.
    static func unsignedFactors(_ x: UInt64, _ y: UInt64, maxFirst: UInt64, maxSecond: UInt64) -> (UInt64, UInt64)? {
        guard x >= 2, y != 0, maxSecond != 0 else { return nil }
        let product = x.multipliedFullWidth(by: y)
        if product.high == 0 && product.low <= maxSecond { return (1, product.low) }
        // product / maxSecond < x (as y <= maxSecond), so the quotient fits.
        guard product.high < maxSecond else { return nil }
        let (q, r) = maxSecond.dividingFullWidth(product)
        let m = r == 0 ? q : q + 1
        guard m >= 2, m < x, m <= maxFirst, product.high < m else { return nil }
        let (p, s) = m.dividingFullWidth(product)
        // Rounded up; a wrap past UInt64.max (not reachable while m is at
        // least product / maxSecond) would be refused, not trap.
        let other = s == 0 ? p : p &+ 1
        guard other >= p, other <= maxSecond else { return nil }
        return (m, other)
    }

    /// The pair that replaces `(x, product / x)` in `scaleTogether`: `x`'s
    /// sign as 1 or -1 with the other value taking the whole product, when
    /// that fits `kind`; else the other unit with the product negated (an
    /// `Int32` pair whose product overflows: `(2, 2^30)` becomes
    /// `(-1, Int32.min)`, -1 being simpler than 2); else the least magnitude
    /// that leaves the other value in range, with the product rounded away
    /// from zero (so a product over a bound stays over it: `(91, 23598722)`
    /// becomes `(2, 1073741851)`). Nil when none is simpler than `x`.
    static func factors(of product: Int64, below x: Int64, in kind: IntegerConstraints) -> (Int64, Int64)? {
        factors(of: product, below: x, in: kind, and: kind)
    }

    /// `factors(of:below:in:)` for two integers of different ranges: the
    /// first's (`first`, where `x` lies) and the other's (`kind`, which
    /// takes the product), a record's size and count.
    static func factors(of product: Int64, below x: Int64, in first: IntegerConstraints,
                        and kind: IntegerConstraints) -> (Int64, Int64)? {
        let unit: Int64 = x > 0 ? 1 : -1
        for u in [unit, -unit] where first.contains(u) {
            if case let (scaled, o) = product.multipliedReportingOverflow(by: u), !o, kind.contains(scaled) { return (u, scaled) }
        }
        // The other value keeps the product's sign with `unit`'s factor, so
        // its bound is the range's end on that side.
        guard product != 0, first.contains(unit) else { return nil }
        let magnitude = product.magnitude
        let positive = product > 0
        let bound = positive ? (kind.max > 0 ? UInt64(kind.max) : 0) : (kind.min < 0 ? kind.min.magnitude : 0)
        guard bound > 0 else { return nil }
        let m = magnitude / bound + (magnitude % bound == 0 ? 0 : 1)
        guard m >= 2, m < x.magnitude else { return nil }
        let other = magnitude / m + (magnitude % m == 0 ? 0 : 1)
        guard other <= bound else { return nil }
        let a = unit * Int64(m)
        let b = positive == (a > 0) ? Int64(other) : (other == Int64.min.magnitude ? .min : -Int64(other))
        return first.contains(a) && kind.contains(b) ? (a, b) : nil
    }
}
