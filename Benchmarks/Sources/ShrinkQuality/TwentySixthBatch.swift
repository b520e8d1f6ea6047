// The twenty-sixth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-sixth batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum SemaphoreOp: Equatable {
    case acquire
    case release
    case schedule
    case timeout(Int64)
    var repr: String {
        switch self {
        case .acquire: return "('acquire',)"
        case .release: return "('release',)"
        case .schedule: return "('schedule',)"
        case .timeout(let i): return "('timeout', \(i))"
        }
    }
}

/// Rounds up to a power of two as `1 << (32 - clz(x - 1))`, computed with
/// a 32-bit shift that takes its count mod 32, so past 2^31 it gives 1.
/// Whether the result (as a 64-bit value) is the least power of two at
/// least `x`.
func roundUpPowerOfTwoHolds(_ x: UInt32) -> Bool {
    let r: UInt64 = x <= 1 ? 1 : UInt64(UInt32(1) &<< UInt32(32 - (x - 1).leadingZeroBitCount))
    return r.nonzeroBitCount == 1 && r >= UInt64(x) && (r == 1 || r / 2 < UInt64(x))
}

/// 16-bit PCM to 8-bit unsigned PCM, rounding by adding 128 before the
/// shift; the addition is done in 16 bits, so the top samples wrap to the
/// bottom. Whether each sample lands on its rounded, clamped value.
func pcmToUnsigned8Holds(_ s: Int16) -> Bool {
    let out = UInt8(truncatingIfNeeded: (s &+ 128) >> 8) &+ 128
    return Int(out) == min(255, (Int(s) + 32768 + 128) >> 8)
}

/// Fletcher-16 over bytes. `byteSums: true` keeps each running sum in a
/// byte, so an addition wraps at 256 before the reduction mod 255.
func fletcher16(_ data: [UInt8], byteSums: Bool) -> Int {
    var a = 0, b = 0
    for x in data {
        a = byteSums ? ((a + Int(x)) & 0xFF) % 255 : (a + Int(x)) % 255
        b = byteSums ? ((b + a) & 0xFF) % 255 : (b + a) % 255
    }
    return b << 8 | a
}

/// UTF-8 cut to at most `limit` bytes without splitting a character: when
/// the cut falls inside one it backs up over one continuation byte only,
/// so a cut inside a 3- or 4-byte character leaves part of it. Whether the
/// cut falls at a character boundary.
func utf8CutAtBoundary(_ s: String, limit: Int) -> Bool {
    let bytes = Array(s.utf8)
    guard bytes.count > limit else { return true }
    var n = limit
    if bytes[n] & 0xC0 == 0x80 { n -= 1 }
    return bytes[n] & 0xC0 != 0x80
}

/// Lines ended by "\n", "\r\n" or a lone "\r", read `chunk` characters at
/// a time; whether a "\r" ended the last line is forgotten at the end of
/// each chunk, so a "\r\n" split across two chunks ends an extra empty line.
func chunkedLines(_ s: String, chunk: Int) -> [String] {
    let cs = Array(s.unicodeScalars)
    var lines: [String] = [], current = ""
    var start = 0
    while start < cs.count {
        var afterCR = false
        for c in cs[start..<min(start + chunk, cs.count)] {
            if c == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = false
            if c == "\r" || c == "\n" {
                lines.append(current)
                current = ""
                afterCR = c == "\r"
            } else {
                current.unicodeScalars.append(c)
            }
        }
        start += chunk
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// Scatter-gather segments, each a gap after the previous one's end and a
/// length, coalesced while contiguous and at most 16 bytes long.
/// `checkBoundary: false` does not check that a merged segment stays
/// within one 16-byte-aligned window, as the device requires.
func coalesceSegments(_ segments: [(Int64, Int64)], checkBoundary: Bool) -> [[Int64]] {
    var out: [[Int64]] = []
    var end: Int64 = 0
    for (gap, length) in segments {
        let start = end + gap
        end = start + length
        if let last = out.last, last[0] + last[1] == start, last[1] + length <= 16,
           !checkBoundary || last[0] / 16 == (end - 1) / 16 {
            out[out.count - 1][1] += length
        } else {
            out.append([start, length])
        }
    }
    return out
}

/// Puts (key, value) and deletes (key, nil) of keys 0...15 in a linear
/// probing table of 8 slots (home slot key % 8) that deletes by shifting
/// later entries back; the shift stops at an entry in its home slot (the
/// Robin Hood rule, wrong here), stranding displaced entries after it.
/// Whether every key reads back as the model says after each operation.
func linearProbeKeepsKeys(_ ops: [(Int64, Int64?)]) -> Bool {
    var slots = [(key: Int64, value: Int64)?](repeating: nil, count: 8)
    var model: [Int64: Int64] = [:]
    func find(_ key: Int64) -> Int? {
        var i = Int(key & 7)
        for _ in 0..<8 {
            guard let entry = slots[i] else { return nil }
            if entry.key == key { return i }
            i = (i + 1) & 7
        }
        return nil
    }
    for (key, value) in ops {
        if let value {
            if let i = find(key) {
                slots[i]!.value = value
            } else if let i = (0..<8).map({ (Int(key) + $0) & 7 }).first(where: { slots[$0] == nil }) {
                slots[i] = (key, value)
            }
            if model[key] != nil || model.count < 8 { model[key] = value }
        } else {
            if let i = find(key) {
                slots[i] = nil
                var hole = i, j = (i + 1) & 7
                while let entry = slots[j] {
                    let home = Int(entry.key & 7)
                    if home == j { break }
                    if (j - home) & 7 < (j - hole) & 7 {
                        j = (j + 1) & 7
                        continue
                    }
                    slots[hole] = entry
                    slots[j] = nil
                    hole = j
                    j = (j + 1) & 7
                }
            }
            model[key] = nil
        }
        for k in Int64(0)..<16 where find(k).map({ slots[$0]!.value }) != model[k] { return false }
    }
    return true
}

/// A counting semaphore of one: a release with waiters hands the token to
/// the first waiter not yet woken, which holds it from the next schedule.
/// A waiter that times out after being woken leaves with the token instead
/// of passing it on. Whether the token is always free, held or handed over.
func semaphoreKeepsToken(_ ops: [SemaphoreOp]) -> Bool {
    var count = 1, holders = 0
    var waiters: [Bool] = []
    for op in ops {
        switch op {
        case .acquire:
            if count > 0 {
                count -= 1
                holders += 1
            } else {
                waiters.append(false)
            }
        case .release:
            guard holders > 0 else { break }
            holders -= 1
            if let k = waiters.firstIndex(of: false) { waiters[k] = true } else { count += 1 }
        case .schedule:
            holders += waiters.filter { $0 }.count
            waiters.removeAll { $0 }
        case .timeout(let i):
            if i < waiters.count { waiters.remove(at: Int(i)) }
        }
        if count + holders + waiters.filter({ $0 }).count != 1 { return false }
    }
    return true
}

/// Per-CPU run queues of task ids; each round every CPU runs the head of
/// its queue, and an idle CPU first steals half of the longest queue. The
/// steal takes the tail half but removes the head half from the victim.
/// Whether every task ran exactly once.
func workStealingRunsEachOnce(_ queues: [[Int64]]) -> Bool {
    var qs = queues
    var ran: [Int64] = []
    while qs.contains(where: { !$0.isEmpty }) {
        for c in qs.indices {
            if qs[c].isEmpty {
                var victim = 0
                for i in qs.indices where qs[i].count > qs[victim].count { victim = i }
                let half = qs[victim].count / 2
                if half > 0 {
                    qs[c] = Array(qs[victim].suffix(half))
                    qs[victim].removeFirst(half)
                }
            }
            if !qs[c].isEmpty { ran.append(qs[c].removeFirst()) }
        }
    }
    return ran.sorted() == Array(queues.joined()).sorted()
}

/// A poll timeout in seconds to whole milliseconds, rounded to nearest:
/// a positive timeout under half a millisecond becomes 0, which does not
/// wait at all.
func pollTimeoutWaits(_ seconds: Double) -> Bool {
    seconds == 0 || Int((seconds * 1000).rounded()) >= 1
}

/// A hash's bucket as the signed remainder of its bit pattern, negative
/// for a hash with the top bit set. Whether it is a bucket.
func bucketInRange(_ hash: UInt64, _ buckets: Int64) -> Bool {
    let index = Int64(bitPattern: hash) % buckets
    return index >= 0 && index < buckets
}

/// The microseconds from one (seconds, nanoseconds) time to a later one,
/// as whole seconds times 10^6 plus the nanosecond difference / 1000; the
/// division truncates a negative difference towards zero instead of
/// borrowing a second. Whether it is the floor of the true difference.
func timespecMicrosHolds(_ t: (Int32, Int64, Int32, Int64)) -> Bool {
    let (s1, n1, s2, n2) = t
    if (s2, n2) < (s1, n1) { return true }
    let micros = Int64(s2 - s1) * 1_000_000 + (n2 - n1) / 1000
    let nanos = (Int64(s2) - Int64(s1)) * 1_000_000_000 + (n2 - n1)
    return micros == nanos / 1000
}

/// A buffer cache of two frames, least recently used first, that marks a
/// pinned block with a flag instead of counting its pins: one unpin of a
/// block pinned twice leaves it free to evict.
final class FlagPinCache {
    private var frames: [(block: Int, pinned: Bool)] = []
    func pin(_ block: Int) -> Bool {
        if let i = frames.firstIndex(where: { $0.block == block }) {
            frames.remove(at: i)
        } else if frames.count == 2 {
            guard let victim = frames.firstIndex(where: { !$0.pinned }) else { return false }
            frames.remove(at: victim)
        }
        frames.append((block, true))
        return true
    }
    func unpin(_ block: Int) {
        if let i = frames.firstIndex(where: { $0.block == block }) { frames[i].pinned = false }
    }
    func isResident(_ block: Int) -> Bool { frames.contains { $0.block == block } }
}

struct LinkTable: Equatable {
    var names: [Int: Int] = [:]
    var links: [Int: Int] = [:]
    var nextInode = 0
    mutating func create(_ name: Int) {
        guard names[name] == nil else { return }
        names[name] = nextInode
        links[nextInode] = 1
        nextInode += 1
    }
    mutating func link(_ src: Int, _ dst: Int) {
        guard let inode = names[src], names[dst] == nil else { return }
        names[dst] = inode
        links[inode]! += 1
    }
    mutating func unlink(_ name: Int) {
        guard let inode = names[name] else { return }
        names[name] = nil
        links[inode]! -= 1
        if links[inode] == 0 { links[inode] = nil }
    }
    /// `sameFileCheck: false` replaces a name that is another link to the
    /// same file, instead of leaving both alone as POSIX requires.
    mutating func rename(_ src: Int, _ dst: Int, sameFileCheck: Bool) {
        guard let inode = names[src], src != dst else { return }
        if let other = names[dst] {
            if sameFileCheck && other == inode { return }
            unlink(dst)
        }
        names[src] = nil
        names[dst] = inode
    }
}

/// A file system's names whose rename skips POSIX's same-file check.
final class RenamingFileSystem {
    var table = LinkTable()
}

/// The twenty-sixth batch, written by someone who had not read the
/// shrinker: a power-of-two round-up whose shift count wraps, PCM rounding
/// that wraps in 16 bits, Fletcher-16 with byte-wide sums, a UTF-8 cut
/// backing up one byte only, a chunked line reader forgetting a "\r", DMA
/// coalescing across a boundary, linear probing deleting by the Robin Hood
/// rule, a semaphore losing a handed-over token, work stealing taking one
/// half and removing the other, a poll timeout rounded to 0, a bucket from
/// a signed remainder, a time difference truncating its borrow, a pin flag
/// in place of a pin count and a rename onto the file's own other name.
func twentySixthBatch() -> [Problem] { [
    // UInt32 values rounded up to a power of two with a shift count taken mod 32.
    problem("roundup_pow2_shift_count_wraps", Gen.integers(of: UInt32.self), ideal: { $0 == 2_147_483_649 }) { x in
        try check(roundUpPowerOfTwoHolds(x))
    },
    // Int16 samples to 8-bit unsigned PCM, rounding with an addition that wraps in 16 bits.
    problem("pcm_s16_to_u8_rounding_wraps", Gen.arrays(of: Gen.integers(of: Int16.self)), show: pyList,
            ideal: { $0 == [32640] }) { samples in
        try check(samples.allSatisfy(pcmToUnsigned8Holds))
    },
    // Byte strings through a Fletcher-16 whose running sums wrap at 256 before the reduction mod 255.
    problem("fletcher16_sums_wrap_at_256", Gen.bytes(count: 0...64), show: pyBytes, ideal: { $0 == [1, 255] }) { data in
        try check(fletcher16(data, byteSums: true) == fletcher16(data, byteSums: false))
    },
    // Strings cut to 6 bytes of UTF-8, backing up over one continuation byte only.
    problem("utf8_cut_backs_up_one_byte", Gen.strings(), show: pyString, ideal: { $0 == "\u{800}\u{10000}" }) { s in
        try check(utf8CutAtBoundary(s, limit: 6))
    },
    // Strings over "ab\r\n" read as lines 4 characters at a time, forgetting a "\r" at a chunk's end.
    // Drawn scalar by scalar, as Python's characters: a Swift `Character` holds "\r\n" as one.
    problem("line_reader_crlf_across_chunks",
            Gen.arrays(of: Gen.element(of: Array("ab\r\n".unicodeScalars))).map { String(String.UnicodeScalarView($0)) },
            show: pyString,
            ideal: { $0 == "aaa\r\n" }) { s in
        try check(chunkedLines(s, chunk: 4) == chunkedLines(s, chunk: Int.max))
    },
    // (gap 0...3, length 1...16) segments coalesced without checking the 16-byte window.
    problem("sg_coalesce_crosses_window", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...3), Gen.integers(in: 1...16))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[1, 1], [0, 15]] }) { segments in
        try check(coalesceSegments(segments, checkBoundary: false) == coalesceSegments(segments, checkBoundary: true))
    },
    // (key 0...15, value 0...9 or nil to delete) in a linear probing table deleting by the Robin Hood rule.
    problem("linear_probe_delete_stops_at_home",
            Gen.arrays(of: Gen.zip(Gen.integers(in: 0...15), Gen.optional(Gen.integers(in: 0...9)))),
            show: { pyList($0.map { "(\($0.0), \($0.1.map { "\($0)" } ?? "None"))" }) },
            ideal: { $0.map { [$0.0, $0.1 ?? -1] } == [[0, 0], [1, 0], [8, 0], [0, -1]] }) { ops in
        try check(linearProbeKeepsKeys(ops))
    },
    // Acquires, releases, schedules and timeouts (of waiter 0...3) on a semaphore whose timed-out waiter keeps a handed-over token.
    problem("semaphore_timeout_keeps_handoff",
            Gen.arrays(of: Gen.oneOf(Gen.just(SemaphoreOp.acquire), Gen.just(SemaphoreOp.release), Gen.just(SemaphoreOp.schedule),
                                     Gen.integers(in: 0...3).map { SemaphoreOp.timeout($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.acquire, .acquire, .release, .timeout(0)] }) { ops in
        try check(semaphoreKeepsToken(ops))
    },
    // Run queues of task ids 0...99 with work stealing that takes the tail half and removes the head half.
    problem("work_steal_takes_tail_drops_head", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...99))), show: pyNested,
            ideal: { $0 == [[], [0, 1]] }) { queues in
        try check(workStealingRunsEachOnce(queues))
    },
    // Poll timeouts of 0...60 seconds rounded to whole milliseconds.
    problem("poll_timeout_rounds_to_zero_ms", Gen.doubles(in: 0...60), show: pyFloat, ideal: { $0 == 0.00048828125 }) { t in
        try check(pollTimeoutWaits(t))
    },
    // (UInt64 hash, 1...16 buckets) placed by the signed remainder of the hash's bit pattern.
    problem("bucket_from_signed_remainder", Gen.zip(Gen.integers(of: UInt64.self), Gen.integers(in: 1...16)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0.0 == 1 << 63 && $0.1 == 3 }) { t in
        try check(bucketInRange(t.0, t.1))
    },
    // Two (seconds, nanoseconds) times, the later's microseconds after the earlier truncating a negative nanosecond difference.
    problem("timespec_micros_truncates_borrow",
            Gen.zip(Gen.integers(of: Int32.self, in: 0...1_000_000), Gen.integers(in: 0...999_999_999),
                    Gen.integers(of: Int32.self, in: 0...1_000_000), Gen.integers(in: 0...999_999_999)),
            show: { "(\($0.0), \($0.1), \($0.2), \($0.3))" }, ideal: { $0 == (0, 1, 1, 0) }) { t in
        try check(timespecMicrosHolds(t))
    },
    // Pins and unpins of blocks 0...3 in a two-frame buffer cache that flags pins instead of counting them:
    // a pin must be granted exactly when the block is pinned or fewer than two are, and pinned blocks stay resident.
    machineProblem("machine_buffer_pin_flag_not_count", StateMachine<[Int: Int], FlagPinCache>(
        model: { [:] }, system: FlagPinCache.init,
        rules: [
            .init("pin") { pins, cache, step in
                let block = try step.draw(Gen.ints(in: 0...3), "block")
                let granted = cache.pin(block)
                let expected = pins[block] != nil || pins.count < 2
                try expect(granted == expected, "pin(block: \(block)) gave \(granted)")
                if expected { pins[block, default: 0] += 1 }
            },
            .init("unpin", precondition: { !$0.isEmpty }) { pins, cache, step in
                let block = try step.draw(Gen.ints(in: 0...3), "block")
                guard let n = pins[block] else { return }
                cache.unpin(block)
                pins[block] = n == 1 ? nil : n - 1
            },
        ],
        check: { pins, cache in try expect(pins.keys.allSatisfy(cache.isResident), "a pinned block was evicted") }),
        ideal: ["pin(block: 0)", "pin(block: 0)", "pin(block: 1)", "unpin(block: 0)", "pin(block: 2)"]),
    // Creates, links, unlinks and renames of names 0...2 on a file system whose rename skips the same-file check.
    machineProblem("machine_rename_onto_own_hard_link", StateMachine<LinkTable, RenamingFileSystem>(
        model: { LinkTable() }, system: RenamingFileSystem.init,
        rules: [
            .init("create") { model, fs, step in
                let name = try step.draw(Gen.ints(in: 0...2), "name")
                model.create(name)
                fs.table.create(name)
            },
            .init("link") { model, fs, step in
                let src = try step.draw(Gen.ints(in: 0...2), "src")
                let dst = try step.draw(Gen.ints(in: 0...2), "dst")
                model.link(src, dst)
                fs.table.link(src, dst)
            },
            .init("unlink") { model, fs, step in
                let name = try step.draw(Gen.ints(in: 0...2), "name")
                model.unlink(name)
                fs.table.unlink(name)
            },
            .init("rename") { model, fs, step in
                let src = try step.draw(Gen.ints(in: 0...2), "src")
                let dst = try step.draw(Gen.ints(in: 0...2), "dst")
                model.rename(src, dst, sameFileCheck: true)
                fs.table.rename(src, dst, sameFileCheck: false)
            },
        ],
        check: { model, fs in try expect(model == fs.table, "names \(fs.table.names), expected \(model.names)") }),
        ideal: ["create(name: 0)", "link(src: 0, dst: 1)", "rename(src: 0, dst: 1)"]),
] }
