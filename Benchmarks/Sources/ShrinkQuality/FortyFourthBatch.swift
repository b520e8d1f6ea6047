// The forty-fourth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// forty-fourth batch after the forty-third). Every expected minimum is the
// same in both engines' simplicity orders: both compare choice sequences
// shortlex (fewer choices first, then choice by choice), an integer's
// choices in the order simplest, +1, -1, +2, -2, ... (the simplest being 0,
// or the bound nearest it), a double's by its sign and then its lex code
// (integers first, then the exponents 2^0, 2^1, ... and after them 2^-1,
// 2^-2, ..., each from its simplest mantissa), a byte string's shortest
// first and then byte by byte; each problem's comment says why its minimum
// is the least failing value in that order. Each was also checked by
// enumerating Hypothesis's choice sequences in that order (ConjectureData
// over every sequence of fewer choices and every smaller one of as many, a
// throwaway script) until the first failing one: with the ranks capped at
// 260 for the nice values, 64 for the holes, 15 for the descriptors, 3 for
// the cgroups' limits and the machines' arguments and 2 for the mount
// path's characters; the byte strings of up to four bytes of 0...1 (of up
// to three for the attributes); for the weights 0.0, 1.0 and the first four
// mantissas of every exponent down to 2^-11. The minima whose values are
// too far out to enumerate (2^48, 2^30, 2^24) were checked at the edges
// and on random values below them (a million for 2^48, 100,000 for the
// others), each comment saying why no smaller value fails.

import PropertyTesting
import ShrinkBenchmarkSupport

/// Whether an x86-64 address is canonical: bits 47...63 all equal.
func isCanonicalAddress(_ x: UInt64) -> Bool { x >> 47 == 0 || x >> 47 == 0x1FFFF }

/// Whether an address is canonical as the buggy unwinder's check decides
/// it: bit 63 against bit 47, the bits between unchecked.
func canonicalByBits47And63(_ x: UInt64) -> Bool { x >> 63 == (x >> 47) & 1 }

/// A nice value moved by an increment and clamped to -20...19. With
/// `addsInInt8` it is the buggy helper, which keeps nice values in Int8 and
/// adds there, wrapping, before it clamps.
func niceAfterIncrement(_ current: Int8, _ delta: Int8, addsInInt8: Bool) -> Int {
    let sum = addsInInt8 ? Int(current &+ delta) : Int(current) + Int(delta)
    return min(19, max(-20, sum))
}

/// setsockopt(SO_RCVBUF) as the buggy stack sets it: the request clamped
/// to rmem_max as an unsigned 32-bit value (so a negative request asks for
/// the most), then doubled in Int32, wrapping, and raised to the minimum of
/// 4608. The clamped request and the buffer's size.
func receiveBufferDoubledInInt32(_ val: Int32, rmemMax: Int32) -> (request: UInt32, size: Int32) {
    let v = min(UInt32(bitPattern: val), UInt32(rmemMax))
    return (v, max(Int32(bitPattern: v &* 2), 4608))
}

/// A mount path as the buggy writer puts it in a mount table: space, tab
/// and newline as octal escapes (\040, \011, \012), the backslash left as
/// it is where it should be \134.
func mountPathEscapedLeavingBackslash(_ s: String) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    for u in s.unicodeScalars {
        switch u {
        case " ": out += "\\040".unicodeScalars
        case "\t": out += "\\011".unicodeScalars
        case "\n": out += "\\012".unicodeScalars
        default: out.append(u)
        }
    }
    return out
}

/// A mount table's path read back: each backslash followed by three octal
/// digits is the character of that code.
func mountPathUnescaped(_ w: [Unicode.Scalar]) -> String {
    var out = String.UnicodeScalarView()
    var i = 0
    while i < w.count {
        if w[i] == "\\", i + 3 < w.count, w[(i + 1)..<(i + 4)].allSatisfy({ ("0"..."7").contains($0) }) {
            let code = w[(i + 1)..<(i + 4)].reduce(UInt32(0)) { $0 * 8 + ($1.value - 48) }
            out.append(Unicode.Scalar(code)!)
            i += 4
        } else {
            out.append(w[i])
            i += 1
        }
    }
    return String(out)
}

/// strlcpy of a C string (the bytes before the first NUL) into a buffer of
/// `size` bytes as the buggy libc returns it: the bytes copied (at most
/// size - 1), where the source string's length is meant, so a caller's
/// `returned >= size` never sees a truncation.
func strlcpyReturningCopied(_ src: [UInt8], size: Int) -> Int {
    let length = src.firstIndex(of: 0) ?? src.count
    return min(length, size - 1)
}

/// Netlink-style attributes: per payload a little-endian header of its
/// length with the header and its type (its index), the payload, and zeros
/// to a multiple of 4 bytes.
func netlinkAttributes(_ payloads: [[UInt8]]) -> [UInt8] {
    var buf: [UInt8] = []
    for (i, p) in payloads.enumerated() {
        let length = 4 + p.count
        buf += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8)] + p
        buf += [UInt8](repeating: 0, count: (4 - buf.count % 4) % 4)
    }
    return buf
}

/// The payloads read back as the buggy parser walks the attributes: from
/// one to the next by its length, not by its length rounded up to 4, while
/// a header fits and its length is at least 4 and within the buffer.
func netlinkPayloadsSteppingByLength(_ buf: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    var offset = 0
    while offset + 4 <= buf.count {
        let length = Int(buf[offset]) | Int(buf[offset + 1]) << 8
        guard length >= 4, offset + length <= buf.count else { break }
        out.append(Array(buf[(offset + 4)..<(offset + length)]))
        offset += length
    }
    return out
}

/// The descriptors exec leaves open (each with its close-on-exec flag) as
/// the buggy loop closes them: it looks at descriptors 0 ..< the number
/// open, as if they were numbered without gaps.
func openAfterExecScanningCount(_ fds: [Int: Bool]) -> [Int: Bool] {
    fds.filter { !($0.key < fds.count && $0.value) }
}

/// A file of `length` 0xff bytes after a hole of `count` bytes is punched
/// at `offset` as the buggy file system punches it, with 4-byte blocks:
/// zeroed from the start of the block the offset is in.
func punchHoleFromBlockStart(length: Int, offset: Int, count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0xFF, count: length)
    for i in (offset - offset % 4)..<(offset + count) { bytes[i] = 0 }
    return bytes
}

/// A page-table entry.
enum PageTableEntry: Equatable {
    case unmapped
    case present(frame: UInt32, writable: Bool)
    case swapped(type: Int, offset: UInt32)

    var repr: String {
        switch self {
        case .unmapped: return "('none',)"
        case .present(let frame, let writable): return "('present', \(frame), \(pyBool(writable)))"
        case .swapped(let type, let offset): return "('swapped', \(type), \(offset))"
        }
    }
}

/// An entry as the buggy encoder writes it: none as 0, a present page as
/// frame << 12 | writable << 1 | 1, a swapped one as offset << 8 | type
/// << 2 | 2, its offset shifted in 32 bits, so the top 8 bits are lost.
func pteEncodedShiftingIn32Bits(_ e: PageTableEntry) -> UInt64 {
    switch e {
    case .unmapped: return 0
    case .present(let frame, let writable): return UInt64(frame) << 12 | (writable ? 2 : 0) | 1
    case .swapped(let type, let offset): return UInt64(offset << 8) | UInt64(type) << 2 | 2
    }
}

/// An entry read back: bit 0 a present page, else bit 1 a swapped one, else none.
func pteDecoded(_ x: UInt64) -> PageTableEntry {
    if x & 1 != 0 { return .present(frame: UInt32(truncatingIfNeeded: x >> 12), writable: x & 2 != 0) }
    if x & 2 != 0 { return .swapped(type: Int(x >> 2 & 31), offset: UInt32(truncatingIfNeeded: x >> 8)) }
    return .unmapped
}

/// A cgroup with a memory limit: a leaf, or a group with child cgroups.
indirect enum Cgroup: Equatable {
    case leaf(Int)
    case group(Int, [Cgroup])

    var limit: Int { switch self { case .leaf(let l), .group(let l, _): return l } }
    var children: [Cgroup] { if case .group(_, let cs) = self { return cs } else { return [] } }
    var repr: String {
        switch self {
        case .leaf(let l): return String(l)
        case .group(let l, let cs): return "(\(l), [" + cs.map(\.repr).joined(separator: ", ") + "])"
        }
    }
}

/// Whether every cgroup's effective limit, as the buggy controller takes
/// it (the least of its own and its parent's own limit), is the least
/// limit on its path from the root.
func cgroupLimitsFromParentAgree(_ node: Cgroup, parentLimit: Int?, pathMin: Int) -> Bool {
    let buggy = parentLimit.map { min(node.limit, $0) } ?? node.limit
    let correct = min(node.limit, pathMin)
    return buggy == correct && node.children.allSatisfy { cgroupLimitsFromParentAgree($0, parentLimit: node.limit, pathMin: correct) }
}

/// A free block of a heap.
struct HeapExtent: Equatable {
    let start: Int
    let size: Int
}

/// A first-fit heap over a free list kept in address order, each freed
/// block merged with its neighbours in the list. With `skipsHead` it is the
/// buggy free, which looks for the block's place from the list's second
/// entry on, so a block below the head goes after it and is not merged.
final class FirstFitFreeListHeap {
    let skipsHead: Bool
    private(set) var top = 0
    private(set) var free: [HeapExtent] = []
    private(set) var live = 0

    init(skipsHead: Bool) { self.skipsHead = skipsHead }

    func alloc(_ size: Int) -> Int {
        live += 1
        for (i, block) in free.enumerated() where block.size >= size {
            if block.size == size { free.remove(at: i) } else { free[i] = HeapExtent(start: block.start + size, size: block.size - size) }
            return block.start
        }
        defer { top += size }
        return top
    }

    func release(_ block: HeapExtent) {
        live -= 1
        var i = skipsHead && !free.isEmpty ? 1 : 0
        while i < free.count && free[i].start < block.start { i += 1 }
        free.insert(block, at: i)
        if i + 1 < free.count && block.start + block.size == free[i + 1].start {
            free[i] = HeapExtent(start: block.start, size: block.size + free[i + 1].size)
            free.remove(at: i + 1)
        }
        if i > 0 && free[i - 1].start + free[i - 1].size == block.start {
            free[i - 1] = HeapExtent(start: free[i - 1].start, size: free[i - 1].size + free[i].size)
            free.remove(at: i)
        }
    }
}

/// A handle of a handle table: a slot and the slot's generation.
struct TableHandle: Equatable {
    let slot: Int
    let generation: Int
}

/// A table of reference-counted objects behind handles; a slot freed by its
/// last release is reused, its generation one more. With `checksGeneration`
/// false it is the buggy table, which checks that a handle's slot is live
/// but not the handle's generation.
final class GenerationalHandleTable {
    let checksGeneration: Bool
    private var slots: [(generation: Int, refs: Int)] = []
    private var freeSlots: [Int] = []
    private(set) var handlesIssued = 0

    init(checksGeneration: Bool) { self.checksGeneration = checksGeneration }

    func open() -> TableHandle {
        handlesIssued += 1
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[slot].refs = 1
        } else {
            slot = slots.count
            slots.append((0, 1))
        }
        return TableHandle(slot: slot, generation: slots[slot].generation)
    }

    private func valid(_ h: TableHandle) -> Bool {
        slots[h.slot].refs > 0 && (slots[h.slot].generation == h.generation || !checksGeneration)
    }

    /// Whether the handle was valid (and its object got a reference).
    func retain(_ h: TableHandle) -> Bool {
        guard valid(h) else { return false }
        slots[h.slot].refs += 1
        return true
    }

    /// Whether the handle was valid (and its object lost a reference).
    func release(_ h: TableHandle) -> Bool {
        guard valid(h) else { return false }
        slots[h.slot].refs -= 1
        if slots[h.slot].refs == 0 {
            slots[h.slot].generation += 1
            freeSlots.append(h.slot)
        }
        return true
    }
}

/// A ring of 4 items that signals its reader when a write takes its fill
/// from below the high watermark 2 to it or above. With
/// `signalsOnEquality` it is the buggy ring, which signals when the fill
/// after the write equals 2, so a write that steps over it is missed.
final class WatermarkRing {
    let signalsOnEquality: Bool
    private(set) var fill = 0

    init(signalsOnEquality: Bool) { self.signalsOnEquality = signalsOnEquality }

    /// Whether the write signals the reader.
    func write(_ n: Int) -> Bool {
        let old = fill
        fill = min(4, fill + n)
        return signalsOnEquality ? fill == 2 : old < 2 && fill >= 2
    }

    func read(_ n: Int) { fill = max(0, fill - n) }
}

/// The forty-fourth batch, written by someone who had not read the shrinker:
/// a canonical-address check of two bits, a nice value added in Int8, a
/// receive buffer doubled in Int32, a CPU weight truncated to no shares, a
/// mount path that leaves its backslashes bare, strlcpy returning what it
/// copied, attributes walked without their padding, exec closing
/// descriptors up to their count, a hole punched from its block's start, a
/// swap entry's offset shifted in 32 bits, a cgroup limit taken from the
/// parent alone, a free list that inserts past its head, a handle table
/// blind to generations and a watermark signalled on equality.
func fortyFourthBatch() -> [Problem] { [
    // UInt64 addresses: the buggy check (bit 63 against bit 47) must say whether the address is canonical.
    // Minimum: unsigned values go up from 0; below 2^47 both bits are 0
    // and the address is canonical, from 2^47 to 2^48 - 1 bit 47 is 1 and
    // bit 63 is 0 and it is not, as both say; 2^48 has both 0 and is not
    // canonical.
    problem("canonical_address_checks_bit_47_against_63_only", Gen.integers(of: UInt64.self), show: { String($0) },
            ideal: { $0 == 1 << 48 }) { x in
        try check(canonicalByBits47And63(x) == isCanonicalAddress(x))
    },
    // (nice value -20...19, Int8 increment): the value the Int8 helper sets must be the sum clamped to -20...19.
    // Minimum: from 0 no sum wraps; the next nice value, 1, wraps only
    // with 127, to -128, clamped to -20 where 19 is right (-1, next in the
    // order, wraps with -128).
    problem("nice_increment_added_in_int8_before_clamp",
            Gen.zip(Gen.integers(of: Int8.self, in: -20...19), Gen.integers(of: Int8.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, 127) }) { t in
        try check(niceAfterIncrement(t.0, t.1, addsInInt8: true) == niceAfterIncrement(t.0, t.1, addsInInt8: false))
    },
    // (Int32 request, rmem_max 0...Int32.max): the receive buffer set must be at least the request clamped to
    // rmem_max.
    // Minimum: only a clamped request of 2^30 or more wraps when doubled
    // (to 4608, below it); requests 0 and 1 clamp to at most 1, and -1, the
    // next, is 2^32 - 1 as unsigned, clamped to rmem_max, whose least value
    // of 2^30 or more is 2^30.
    problem("so_rcvbuf_clamped_then_doubled_in_int32",
            Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self, in: 0...Int32.max)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (-1, 1 << 30) }) { t in
        let set = receiveBufferDoubledInInt32(t.0, rmemMax: t.1)
        try check(Int64(set.size) >= Int64(set.request))
    },
    // CPU weight fractions 0...1: a nonzero weight must get at least one of 1024 shares (Int(w * 1024)).
    // Minimum: 0.0 and 1.0 pass, every exponent from 2^0 up is clamped to
    // 1.0 (Hypothesis has none of them), and the exponents 2^-1 to 2^-10
    // give at least one share; 2^-11's first mantissa, 2^-11, gives half a
    // share, truncated to none.
    problem("cpu_weight_fraction_truncated_to_zero_shares", Gen.doubles(in: 0...1), show: pyFloat,
            ideal: { $0 == 0x1p-11 }) { w in
        if w > 0 { try check(Int(w * 1024) >= 1) }
    },
    // Strings over "0 \": written to a mount table with octal escapes for spaces but the backslash bare, they must
    // read back.
    // Minimum: a read goes wrong only at a backslash followed by three
    // octal digits, so four characters, the first the backslash (a space is
    // written as \040 and read back as a whole); "0" is the least digit.
    problem("mount_path_escape_leaves_backslash_bare", Gen.strings(of: Gen.characters(from: "0 \\")), show: pyString,
            ideal: { $0 == "\\000" }) { s in
        try check(mountPathUnescaped(mountPathEscapedLeavingBackslash(s)) == s)
    },
    // Byte strings: strlcpy into 4 bytes must report a truncation (a return of 4 or more) exactly when the C string
    // is 4 or more bytes long.
    // Minimum: the returned count is at most 3, so every string of 4 or
    // more bytes before a NUL fails, and none shorter; the least is four
    // bytes of 1 (a 0 would end the string).
    problem("strlcpy_returns_bytes_copied_not_source_length", Gen.bytes(count: 0...64), show: pyBytes,
            ideal: { $0 == [1, 1, 1, 1] }) { src in
        let length = src.firstIndex(of: 0) ?? src.count
        try check((strlcpyReturningCopied(src, size: 4) >= 4) == (length >= 4))
    },
    // Lists of payloads of up to 16 bytes: written as padded attributes and walked by their lengths, they must read
    // back.
    // Minimum: the walk goes wrong only after an attribute whose payload is
    // not a multiple of 4 bytes, and the last attribute is read right (its
    // padding ends the buffer), so two; the first is one byte, the least
    // b'\x00', and the second b''.
    problem("netlink_attr_next_skips_alignment_padding", Gen.arrays(of: Gen.bytes(count: 0...16)),
            show: { pyList($0.map(pyBytes)) }, ideal: { $0 == [[0], []] }) { payloads in
        try check(netlinkPayloadsSteppingByLength(netlinkAttributes(payloads)) == payloads)
    },
    // Descriptors 0...15 to their close-on-exec flags: after the exec none marked close-on-exec may be open.
    // Minimum: one descriptor is the fewest; descriptor 0 is always
    // looked at, and 1, the next, is not when it is alone; it must be
    // marked: {1: True}.
    problem("exec_cloexec_scan_bounded_by_fd_count", Gen.dictionaries(keys: Gen.ints(in: 0...15), values: Gen.booleans()),
            show: { d in "{" + d.keys.sorted().map { "\($0): \(pyBool(d[$0]!))" }.joined(separator: ", ") + "}" },
            ideal: { $0 == [1: true] }) { fds in
        try check(!openAfterExecScanningCount(fds).values.contains(true))
    },
    // (length 1...64, then an offset below it, then a count 1...to the end): the hole punched must zero exactly its
    // bytes.
    // Minimum: a hole at an offset that is a multiple of 4 is right; a
    // length of 1 has only offset 0, and 2 has offset 1, with one byte: the
    // byte at 0 is zeroed too.
    problem("punch_hole_zeroes_from_block_start", holePunches, show: { "(\($0.0), \($0.1), \($0.2))" },
            ideal: { $0 == (2, 1, 1) }) { t in
        let expected = (0..<t.0).map { (t.1..<(t.1 + t.2)).contains($0) ? UInt8(0) : 0xFF }
        try check(punchHoleFromBlockStart(length: t.0, offset: t.1, count: t.2) == expected)
    },
    // Page-table entries (none, a present UInt32 frame, or a swapped entry of type 0...31 and a UInt32 offset): encoded
    // and decoded, they must come back.
    // Minimum: none and every present entry come back, so a swapped one
    // (the third branch), of type 0; its offset loses its top 8 bits in the
    // 32-bit shift, the least offset with one being 2^24.
    problem("swap_pte_offset_shifted_in_32_bits",
            Gen.oneOf(Gen.just(PageTableEntry.unmapped),
                      Gen.zip(Gen.integers(of: UInt32.self), Gen.booleans()).map { PageTableEntry.present(frame: $0.0, writable: $0.1) },
                      Gen.zip(Gen.ints(in: 0...31), Gen.integers(of: UInt32.self)).map { PageTableEntry.swapped(type: $0.0, offset: $0.1) }),
            show: \.repr, ideal: { $0 == .swapped(type: 0, offset: 1 << 24) }) { e in
        try check(pteDecoded(pteEncodedShiftingIn32Bits(e)) == e)
    },
    // Cgroup trees three levels deep with limits 0...9: every cgroup's effective limit as the controller takes it
    // (its own or its parent's, the less) must be the least limit on its path.
    // Minimum: the parent's limit is the path's least unless there is a
    // grandparent, so a group (the root) with a group with a cgroup, a leaf
    // (the base branch); the root's limit 0, and the others' limits above
    // it (a 0 makes the least 0 either way): (0, [(1, [1])]).
    problem("cgroup_effective_limit_from_parent_only", cgroupTrees, show: \.repr,
            ideal: { $0 == .group(0, [.group(1, [.leaf(1)])]) }) { root in
        try check(cgroupLimitsFromParentAgree(root, parentLimit: nil, pathMin: Int.max))
    },
    // allocs of 1...4 bytes and frees of live blocks, on a first-fit heap whose free inserts a block after the head of
    // its address-ordered free list: the free list and the top must be the right heap's.
    // Minimum: a block must be freed below the only free block, which
    // takes two blocks and both freed, the second first (freeing the first
    // first merges them rightly): alloc, alloc, free of v2, free of v1,
    // every size 1.
    machineProblem("machine_free_list_insert_skips_head_misses_coalesce",
                   StateMachine<FirstFitFreeListHeap, FirstFitFreeListHeap>(
        model: { FirstFitFreeListHeap(skipsHead: false) }, system: { FirstFitFreeListHeap(skipsHead: true) },
        rules: [
            .init("alloc") { model, heap, step in
                let size = try step.draw(Gen.ints(in: 1...4), "size")
                let start = model.alloc(size)
                _ = heap.alloc(size)
                step.produce(HeapExtent(start: start, size: size), into: "blocks")
            },
            .init("free", precondition: { $0.live > 0 }) { model, heap, step in
                let block = try step.pick(from: "blocks", as: HeapExtent.self, label: "block", remove: true)
                model.release(block)
                heap.release(block)
            },
        ],
        check: { model, heap in
            try expect(heap.free == model.free && heap.top == model.top,
                       "free \(heap.free.map { [$0.start, $0.size] }), expected \(model.free.map { [$0.start, $0.size] })")
        }),
        ideal: ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "free(block: v2)", "free(block: v1)"]),
    // opens, retains and releases of handles (stale ones too), on a handle table that checks a handle's slot but not
    // its generation: each retain and release must be accepted or refused as the right table does.
    // Minimum: a handle must outlive its slot and the slot be reused: an
    // open, its release (freeing the slot), another open (reusing it) and
    // a use of the first handle, retain being the earlier rule.
    machineProblem("machine_handle_table_slot_checked_not_generation",
                   StateMachine<GenerationalHandleTable, GenerationalHandleTable>(
        model: { GenerationalHandleTable(checksGeneration: true) }, system: { GenerationalHandleTable(checksGeneration: false) },
        rules: [
            .init("open") { model, table, step in
                let h = model.open()
                _ = table.open()
                step.produce(h, into: "handles")
            },
            .init("retain", precondition: { $0.handlesIssued > 0 }) { model, table, step in
                let h = try step.pick(from: "handles", as: TableHandle.self, label: "handle")
                let expected = model.retain(h), got = table.retain(h)
                try expect(got == expected, "retain returned \(got), expected \(expected)")
            },
            .init("release", precondition: { $0.handlesIssued > 0 }) { model, table, step in
                let h = try step.pick(from: "handles", as: TableHandle.self, label: "handle")
                let expected = model.release(h), got = table.release(h)
                try expect(got == expected, "release returned \(got), expected \(expected)")
            },
        ]),
        ideal: ["v1 = open()", "release(handle: v1)", "v2 = open()", "retain(handle: v1)"]),
    // writes and reads of 1...2 items, on a ring of 4 that signals the watermark 2 when a write leaves exactly 2:
    // each write must signal or not as the right ring does.
    // Minimum: one write of 2 leaves exactly 2 (signalled alike), one of 1
    // stays below; a write must step from 1 over 2: write 1, then write 2.
    machineProblem("machine_ring_high_watermark_checked_by_equality", StateMachine<WatermarkRing, WatermarkRing>(
        model: { WatermarkRing(signalsOnEquality: false) }, system: { WatermarkRing(signalsOnEquality: true) },
        rules: [
            .init("write") { model, ring, step in
                let n = try step.draw(Gen.ints(in: 1...2), "n")
                let expected = model.write(n), got = ring.write(n)
                try expect(got == expected, "write signalled \(got), expected \(expected)")
            },
            .init("read") { model, ring, step in
                let n = try step.draw(Gen.ints(in: 1...2), "n")
                model.read(n)
                ring.read(n)
            },
        ]),
        ideal: ["write(n: 1)", "write(n: 2)"]),
] }

/// A file length 1...64, an offset below it and a count from 1 to the end.
let holePunches: Generator<(Int, Int, Int)> = Gen.ints(in: 1...64).flatMap { (length: Int) -> Generator<(Int, Int, Int)> in
    Gen.ints(in: 0...(length - 1)).flatMap { (offset: Int) -> Generator<(Int, Int, Int)> in
        Gen.ints(in: 1...(length - offset)).map { (count: Int) -> (Int, Int, Int) in (length, offset, count) }
    }
}

/// Cgroup trees three levels deep: a leaf's limit 0...9, or a group's limit and its children.
let cgroupTrees: Generator<Cgroup> = Gen.recursive(maxDepth: 3, label: "cgroup", base: Gen.ints(in: 0...9).map { Cgroup.leaf($0) }) { inner in
    Gen.zip(Gen.ints(in: 0...9), Gen.arrays(of: inner)).map { Cgroup.group($0.0, $0.1) }
}
