// Pass step: shrink one byte-string choice the way lists of integers shrink.
//
// A byte string is one choice, so no span-level pass looks inside it. Its
// simplicity order is shortlex (shorter first, then bytewise), so every
// candidate here is simpler than the current value: it is shorter (a cut
// from either end, a deleted run of bytes) or of equal length with one byte
// lowered (or every byte of one value, lowered together), or all bytes zero.
//
// Order: the cheap wholesale moves first (minimum length, all zeros), then
// cuts from the end and from the front (a logarithmic search for the longest
// cut that keeps the failure, and a unit of two zero bytes from the front
// of a string of whole units when not one byte could go), then deleting
// runs of bytes inside (at each
// position the longest run that can go; after the lowering instead when
// no byte could go from either end nor from the second or third place), then
// lowering each byte on its own
// (0 first, then a search from below; no step of two after a failed step
// of one, which cost a call per byte at the end of every shrink and never
// moved one on the byte problems; a byte left at "A" or "a" tries "0" and
// "A"; the bytes before the last one lowered are swept again), then equal
// bytes lowered together,
// then deleting runs of bytes with an earlier byte that counts them (a
// length field), then moving value from
// each byte to one of the next few. A failure that depends on one byte
// at one position ends as that byte alone, lowered to its threshold.
//
// Invariant: every candidate changes only choice `index`, to a value its
// kind permits; the string is re-read after every accepted change.

extension Shrinker {
    /// Shrinks the byte string at `index`; returns whether anything was accepted.
    func lowerBytes(at index: Int) -> Bool {
        guard case .bytes(let minCount, _) = choices[index].kind else { return false }
        var progress = false
        /// The string at `index`, or nil once the choice there is no longer a byte string.
        func current() -> [UInt8]? {
            guard index < choices.count, case .bytes(let lo, _) = choices[index].kind, lo == minCount,
                  case .bytes(let b) = choices[index].value else { return nil }
            return b
        }
        func attempt(_ b: [UInt8]) -> Bool {
            guard !exhausted, index < choices.count else { return false }
            if consider(replacing(index..<(index + 1), with: [.bytes(b)])) { progress = true; return true }
            return false
        }

        guard let start = current() else { return false }
        if start.count > minCount, attempt(Array(start.prefix(minCount))) { return true }
        if let b = current(), b.contains(where: { $0 != 0 }), attempt([UInt8](repeating: 0, count: b.count)) {
            if current()?.count == minCount { return true }
        }

        // Cuts from the end, then from the front.
        let uncut = current()?.count
        if let b = current(), b.count > minCount {
            let n = b.count
            _ = Search.findInteger(limit: n - minCount - 1) { k in attempt(Array(b.prefix(n - k))) }
        }
        // Not a byte could go from the end (nor down to the minimum length):
        // the length matters, and a failure on the total length of the byte
        // strings of a collection keeps it with them joined into one.
        if let b = current(), b.count == uncut, start.count > minCount, mergeSiblingByteStrings(of: index) { return true }
        // Whether not a byte could go from either end.
        var uncutAtBothEnds = false
        if let b = current(), b.count > minCount {
            let n = b.count
            let cut = Search.findInteger(limit: n - minCount - 1) { k in attempt(Array(b.suffix(n - k))) }
            uncutAtBothEnds = cut == 0 && b.count == uncut
            // Not one byte could go from the front: the data may come in
            // two-byte units (UTF-16, 16-bit words), which a cut of a whole
            // unit keeps aligned. A decoder of UTF-16 ended with two or
            // four zero bytes before its pair in 13 seeds of 20. Only a
            // unit of zeros in front of a string of whole units: for every
            // string the extra call cost ten byte rows one to three calls.
            // A string of whole 8-byte blocks (a cipher's, a padding's)
            // tries a block of zeros too when two bytes could not go:
            // PKCS#7 unpadding stopped at two blocks in 8 seeds of 20.
            if cut == 0, n - minCount >= 2, n % 2 == 0, b[0] == 0, b[1] == 0, !attempt(Array(b.suffix(n - 2))),
               n - minCount >= 8, n % 8 == 0, b.prefix(8).allSatisfy({ $0 == 0 }) {
                _ = attempt(Array(b.suffix(n - 8)))
            }
        }

        // Runs of bytes deleted inside.
        /// Deletes runs of bytes from the first position on; returns true
        /// when it gave up at position `giveUpAt` with nothing deleted.
        func deleteInside(giveUpAt: Int = .max) -> Bool {
            var position = 0, deletedAny = false
            while let b = current(), b.count > minCount, position < b.count, !exhausted {
                if !deletedAny, position >= giveUpAt { return true }
                let n = b.count
                let deleted = Search.findInteger(limit: Swift.min(n - minCount, n - position)) { k in
                    attempt(Array(b[..<position] + b[(position + k)...]))
                }
                if deleted == 0 { position += 1 } else { deletedAny = true }
            }
            return false
        }

        // Each byte lowered on its own; once more up to the last byte that
        // moved, when a byte after the first did: what an earlier byte may
        // go down to can depend on a later one (a byte below the one before
        // it, from (102, 89) to (90, 0), and then the first is free to go
        // to 1).
        func lowerEach() {
            var lastLowered = 0
            var position = 0
            for sweep in 0..<2 where sweep == 0 || lastLowered > 0 {
                let end = sweep == 0 ? Int.max : lastLowered
                position = 0
                while let b = current(), position < b.count, position < end, !exhausted {
                    if b[position] != 0 {
                        let base = b
                        let at = position
                        let lowered = Search.lowestRank(current: UInt64(b[position]), skipOne: false) { v in
                            var candidate = base
                            candidate[at] = UInt8(v)
                            return attempt(candidate)
                        }
                        if sweep == 0, lowered != UInt64(base[at]) { lastLowered = at }
                        // A byte that went to 0 after one before it did: the
                        // bytes after it in runs of 2, 4, 8, ... at once while
                        // that works (a zero prefix before a padding's last byte).
                        if lowered == 0, at > 0, base[at - 1] == 0, var run = current() {
                            var width = 2
                            while at + 1 < run.count, !exhausted {
                                let end = Swift.min(run.count, at + 1 + width)
                                guard run[(at + 1)..<end].contains(where: { $0 != 0 }) else { break }
                                var candidate = run
                                for k in (at + 1)..<end { candidate[k] = 0 }
                                guard attempt(candidate), let now = current() else { break }
                                run = now
                                position = end - 1
                                width *= 2
                            }
                        }
                        // A byte the search left at the first letter of an
                        // ASCII case ("A" or "a"): the first digit, and "A"
                        // from "a". Text in bytes fails on a class (a hex digit
                        // after an escape, a base64 or identifier character),
                        // and the byte before a class's first letter is
                        // punctuation, which passes: an escaper that swallows a
                        // hex digit after "\x00" ended at `b'\x00A'` in 5 of 40
                        // seeds, where "0" is simpler. Only at those two
                        // values: below every printable byte a search left (a
                        // threshold's, "a byte above 100" at "d") the class
                        // starts cost up to four calls a round on 14 byte
                        // problems and moved none of them.
                        if lowered == UInt64(base[at]), base[at] == 0x41 || base[at] == 0x61 {
                            for start: UInt8 in [0x30, 0x41] where start < base[at] && !exhausted {
                                var candidate = base
                                candidate[at] = start
                                if attempt(candidate) { break }
                            }
                        }
                    }
                    position += 1
                }
            }
        }
        // A string no byte could leave from either end, nor from the
        // second or third place, likely keeps its length for the failure
        // (whole blocks of a cipher or a padding), and every byte deleted
        // inside shortens it as a cut does: lowered first, its bytes mostly
        // become equal zeros, whose deletions are one candidate, not a call
        // per place (PKCS#7 unpadding 22 to 18 median calls; a byte string
        // whose sum must stay over 300, where a byte inside can go, paid
        // up to 13 calls a seed when every such string was lowered first).
        if uncutAtBothEnds, deleteInside(giveUpAt: 3) {
            lowerEach()
            _ = deleteInside()
        } else {
            _ = deleteInside()
            lowerEach()
        }
        var position = 0

        // Equal bytes lowered together, each value that repeats (from the
        // greatest): a failure on a pair of equal bytes (a run-length
        // encoder's marker pair, a doubled delimiter) breaks when either
        // moves alone, and the pair stopped where generation left it
        // (`[0xC9, 0xC9]` for a minimum of `[0xC0, 0xC0]`). One and two
        // below first (such a failure need not hold on the value just
        // below: `[0xC2, 0xC2]` passes there), and the whole search only
        // when one of them works: at a minimum with equal bytes (a varint's
        // continuation bytes) the search's probes of 0 and half cost two
        // calls more a round.
        var repeated: [UInt8] = []
        if let b = current() {
            var seen = Set<UInt8>(), twice = Set<UInt8>()
            for v in b where v != 0 && !seen.insert(v).inserted { twice.insert(v) }
            repeated = twice.sorted(by: >)
        }
        for value in repeated where !exhausted {
            func lowered(_ v: UInt8) -> Bool {
                guard let base = current(), base.contains(value) else { return false }
                return attempt(base.map { $0 == value ? v : $0 })
            }
            guard let step = (1...2).first(where: { $0 <= value && lowered(value - UInt8($0)) }) else { continue }
            let now = value - UInt8(step)
            guard now > 0, let base = current() else { continue }
            _ = Search.lowestRank(current: UInt64(now)) { v in attempt(base.map { $0 == now ? UInt8(v) : $0 }) }
        }

        // Runs of bytes deleted with a length field: an earlier byte that
        // counts the bytes after it up to past the run loses the run's
        // length with it (`[4, 0, 0, 46, 255]`, a record of 4 bytes, to
        // `[2, 46, 255]`). After the lowering, so that only a byte that had
        // to stay above zero is taken for a field.
        position = 1
        while let b = current(), b.count > minCount, position < b.count, !exhausted {
            guard let field = lengthField(in: b, before: position) else { position += 1; continue }
            let n = b.count
            let deleted = Search.findInteger(limit: Swift.min(n - minCount, n - position, Int(b[field]) - (position - field - 1))) { k in
                var candidate = b
                candidate[field] -= UInt8(k)
                return attempt(Array(candidate[..<position] + candidate[(position + k)...]))
            }
            if deleted == 0 { position += 1 }
        }

        // Value moved from a byte to one of the next few, keeping their sum
        // (a failure on a total over a bound): the earlier byte gets lower.
        position = 0
        while let b = current(), position < b.count, !exhausted {
            let at = position
            for other in (at + 1)..<Swift.min(b.count, at + 1 + Self.byteRedistributionReach) where !exhausted {
                guard let base = current(), at < base.count, other < base.count, base[at] != 0, base[other] < 255 else { continue }
                let total = Int(base[at]) + Int(base[other])
                _ = Search.lowestRank(current: UInt64(base[at])) { v in
                    let rest = total - Int(v)
                    guard rest <= 255 else { return false }
                    var candidate = base
                    candidate[at] = UInt8(v)
                    candidate[other] = UInt8(rest)
                    return attempt(candidate)
                }
            }
            position += 1
        }
        // A checksum in the last byte (the others' sum modulo 256, or their
        // exclusive or): each other byte deleted, or else zeroed, with the
        // checksum made to match (`[1, 128, 255, 128]`, a record that parses
        // when its checksum holds, to `[1, 0, 1]`; no byte could move alone).
        // Only where the last byte is such a checksum, so nothing else pays.
        // (Of two bytes, any equal pair would read as one.)
        position = 0
        while let b = current(), b.count >= 3, position + 1 < b.count, !exhausted {
            let payload = b.dropLast()
            let sums = payload.reduce(UInt8(0), &+) == b.last!, xors = payload.reduce(UInt8(0), ^) == b.last!
            guard sums || xors else { break }
            let at = position
            position += 1
            guard b[at] != 0 else { continue }
            var candidate = b
            candidate[b.count - 1] = sums ? b.last! &- b[at] : b.last! ^ b[at]
            if b.count > minCount, attempt(Array(candidate[..<at] + candidate[(at + 1)...])) { position = at; continue }
            candidate[at] = 0
            _ = attempt(candidate)
        }
        return progress
    }

    /// The nearest byte before `position` whose value counts at least the
    /// bytes after it up to and including `position` and at most the bytes
    /// after it (a length field that covers `position` and whose record
    /// fits in the string), nil when there is none.
    private func lengthField(in b: [UInt8], before position: Int) -> Int? {
        (0..<position).reversed().first { Int(b[$0]) >= position - $0 && Int(b[$0]) < b.count - $0 }
    }

    /// How many later bytes each byte may hand its value to.
    static let byteRedistributionReach = 4
}
