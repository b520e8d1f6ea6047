// Pass: clear a machine word's junk high bits, or move its top bits down.
//
// Some failures depend on which bits are set, not on how large a value
// is: two flags of a flags word both set, two bits at least 33 apart, three
// bits in the top byte. Lowering by rank walks down from the value, and the
// first value below it already lacks a bit the failure needs, so a word of
// random high bits around the two flags that matter (0x6000_0220 for bits 5
// and 9) stopped where random search left it in 20 of 20 seeds. Clearing a
// bit that does not matter keeps the failure and lowers the value by a
// power of two; moving a needed bit down lowers it as far as the failure
// allows (2^63 + 1 to 2^33 + 1 for two bits 33 apart).
//
// For each integer whose range is a machine word's (`isMachineWord`), or
// whose distance is a multiple of 16 (below), and whose distance from the
// simplest value (on its side) has two bits set or more:
// - it tries clearing the highest set bit. When that keeps the failure, the
//   high bits are junk, and it goes on down the set bits, clearing each that
//   can go;
// - otherwise it moves the lowest bit of the top run of set bits down as far
//   as the failure allows (`findInteger`), never onto the next set bit: with
//   the highest bit alone, bits 61, 60 and 56 (three in the top byte) had no
//   room to move.
// At a threshold's minimum each probe is a call that passes: two calls for
// each word value of two bits or more. A range that is not a word's (0...1000,
// a size of 1...64, a character, a rule) holds a quantity or an index, which
// lowering handles; probing its bits cost the challenge's lengthlist and
// difference problems two to four calls each. Such a quantity has only its
// highest bit tried, and only when its distance is a multiple of 16 with
// another bit set: a key that must share a bucket of 16 (or a multiple of
// 16 with a bound) stopped at 48, 80 or 112, since every value lowering
// reached lay in another bucket, and clearing the highest bit keeps the
// bucket. One call for one value in sixteen; no call at 1001 or 101.
// A small field of 2 to 7 bits (a range of 4 to 128 values, `isBitField`)
// has its highest bit tried too: it may hold flags, as a trace's cache
// debug letters (0...15) do, and a trace needing red zones alone kept
// `debug=ZU` (10) in 3 seeds of 20, as 9 and 8 lack the red-zone bit.
// Measured: no row of the shrink-quality suite crossed Hypothesis's
// medians, 6 medians rose by 0.5 to 1.5 calls, a linear-probing table's
// deletion reached its minimum in 13 seeds of 20 (from 7; median 92.5 to
// 111 calls), and the families, the challenge and the seeded defects'
// calls barely moved.
//
// Then each byte of a byte string with two bits set or more has its highest
// bit cleared, and the rest as above when that keeps the failure
// (`clearByteBits`), and the string's bits are moved towards its end
// (`shiftByteBits`).
//
// A last-resort pass, run after every other.
//
// Invariant: a candidate keeps the integer on its side of the simplest value
// at a smaller distance, so it is simpler, and in range.

extension Shrinker {
    func clearBits() -> Bool {
        var progress = false
        // Spans are read afresh after an adoption: a simpler example may be
        // shorter and have fewer spans.
        var innermost = innermostSpans(), readAt = adoptions
        var i = 0
        while i < choices.count, !exhausted {
            defer { i += 1 }
            if readAt != adoptions { (innermost, readAt) = (innermostSpans(), adoptions) }
            guard case .integer(let c) = choices[i].kind, !isCharacter(i), !isDoubleCode(i),
                  innermost[i] < 0 || i + 1 == spans[innermost[i]].end,
                  let (distance, up) = bitDistance(i, c), distance.nonzeroBitCount >= 2 else { continue }
            // A quantity's bits are probed only at a multiple of 16, and no bit
            // of it is moved down (a search of several calls).
            let word = Self.isMachineWord(c)
            guard word || Self.isBitField(c) || distance.trailingZeroBitCount >= 4 else { continue }
            let kind = choices[i].kind
            func attempt(_ d: UInt64) -> Bool {
                var candidate = values
                candidate[i] = .integer(c.value(atDistance: d, up: up))
                return consider(candidate)
            }
            let top = 63 - distance.leadingZeroBitCount
            if attempt(distance & ~(1 << top)) {
                progress = true
                // The high bits are junk: clear every other set bit that can go,
                // highest first, re-reading the value after each adoption.
                var bit = top - 1
                while bit >= 0, !exhausted, i < choices.count, choices[i].kind == kind,
                      let (now, side) = bitDistance(i, c), side == up {
                    if now & (1 << bit) != 0, now.nonzeroBitCount >= 2 { _ = attempt(now & ~(1 << bit)) }
                    bit -= 1
                }
            } else if word {
                // The lowest bit of the top run of set bits, and the next set bit below it.
                var low = top
                while low > 0, distance & (1 << (low - 1)) != 0 { low -= 1 }
                let rest = distance & ~(1 << low)
                let below = rest & ((1 << low) - 1)
                guard low > 0 else { continue }
                let next = below == 0 ? -1 : 63 - below.leadingZeroBitCount
                // Move that bit down by k, staying above the next set bit.
                let moved = Search.findInteger(limit: low - next - 1) { k in attempt(rest | 1 << (low - k)) }
                if moved > 0 { progress = true }
            }
        }
        if clearByteBits() { progress = true }
        if shiftByteBits() { progress = true }
        return progress
    }

    /// Each byte string of two bytes or more read as one stream of bits,
    /// little-endian (bit 0 of the first byte first) and big-endian, and
    /// shifted towards its end by as many bits as keep the failure (up to
    /// 7, none falling off the end), when that makes it simpler: a pattern
    /// of bits that must straddle a byte boundary moves out of the first
    /// byte into the next. An HDLC stuffer that restarts its count of 1
    /// bits at each byte fails on five 1 bits in a row across two bytes, and
    /// `e0 03` (bits 5 to 9) stopped there in 7 seeds of 20: no byte can be
    /// lowered alone, while the stream shifted by two bits is `80 0f`. One
    /// call per string at a minimum, two when it can go both ways.
    private func shiftByteBits() -> Bool {
        var progress = false
        for i in choices.indices where !exhausted {
            for littleEndian in [true, false] where !exhausted {
                guard i < choices.count, case .bytes = choices[i].kind, case .bytes(let b) = values[i], b.count >= 2 else { continue }
                let room = littleEndian ? b.last!.leadingZeroBitCount : b.last!.trailingZeroBitCount
                let shifted = Search.findInteger(limit: Swift.min(room, 7)) { k in
                    let candidate = Self.shiftedTowardsEnd(b, by: k, littleEndian: littleEndian)
                    return candidate.lexicographicallyPrecedes(b) && consider(replacing(i..<(i + 1), with: [.bytes(candidate)]))
                }
                if shifted > 0 { progress = true }
            }
        }
        return progress
    }

    /// `bytes` as a stream of bits shifted `k` bits (1 to 7) towards its end:
    /// for a little-endian stream each byte's top `k` bits move to the
    /// bottom of the next, for a big-endian one its low `k` bits to the top
    /// of the next. The last byte's bits that would move past the end are
    /// dropped (the caller leaves room for them).
    static func shiftedTowardsEnd(_ bytes: [UInt8], by k: Int, littleEndian: Bool) -> [UInt8] {
        bytes.indices.map { j in
            let previous = j > 0 ? bytes[j - 1] : 0
            return littleEndian ? bytes[j] << k | previous >> (8 - k) : bytes[j] >> k | previous << (8 - k)
        }
    }

    /// Each byte of a byte string with two bits set or more: its highest
    /// set bit cleared, and when that keeps the failure every other set bit
    /// that can go, highest first. A byte is a machine word too (a flags
    /// byte, a bit stream): an HDLC stuffer that restarts its count of 1
    /// bits at each byte fails on a run of five across two bytes, `0x80`
    /// then any byte whose low five bits are `01111`, and lowering the
    /// second byte from `0x2F` met only bytes without that pattern on its
    /// way to `0x0F`, so it stopped there in 20 seeds of 20. One call per
    /// such byte at a threshold's minimum (`[200]` for "a byte of at least
    /// 200").
    private func clearByteBits() -> Bool {
        var progress = false
        for i in choices.indices where !exhausted {
            guard case .bytes = choices[i].kind, case .bytes(let start) = values[i] else { continue }
            for position in start.indices where !exhausted {
                func byte() -> UInt8? {
                    guard i < choices.count, case .bytes(let b) = values[i], b.count == start.count else { return nil }
                    return b[position]
                }
                func attempt(_ value: UInt8) -> Bool {
                    guard case .bytes(var b) = values[i] else { return false }
                    b[position] = value
                    return consider(replacing(i..<(i + 1), with: [.bytes(b)]))
                }
                guard let first = byte(), first.nonzeroBitCount >= 2 else { continue }
                let top = 7 - first.leadingZeroBitCount
                guard attempt(first & ~(1 << top)) else { continue }
                progress = true
                var bit = top - 1
                while bit >= 0, !exhausted, let now = byte() {
                    if now & (1 << bit) != 0, now.nonzeroBitCount >= 2 { _ = attempt(now & ~(1 << bit)) }
                    bit -= 1
                }
            }
        }
        return progress
    }

    /// Whether `kind` spans a machine word's values: a power of two of them,
    /// at least 256 (an 8- to 64-bit integer, signed or not). Bits matter in
    /// words (flags, masks, hashes); a range such as 0...1000 holds a
    /// quantity, which lowering handles, and probing its bits would cost
    /// calls at every threshold.
    static func isMachineWord(_ kind: IntegerConstraints) -> Bool {
        kind.maxRank >= 255 && kind.maxRank & (kind.maxRank &+ 1) == 0
    }

    /// Whether `kind` spans a small power of two of values, 4 to 128 (a
    /// field of 2 to 7 bits): such a range may hold flags, so a value of two
    /// bits or more has its highest bit tried.
    static func isBitField(_ kind: IntegerConstraints) -> Bool {
        kind.maxRank >= 3 && kind.maxRank < 255 && kind.maxRank & (kind.maxRank &+ 1) == 0
    }

    /// The distance of integer choice `index` from its kind's simplest value
    /// and its side (above the simplest: `up`), when its kind is `kind`.
    private func bitDistance(_ index: Int, _ kind: IntegerConstraints) -> (UInt64, Bool)? {
        guard case .integer(let v) = values[index] else { return nil }
        return (Self.distanceFromSimplest(v, kind), v >= kind.simplest)
    }
}
