// The thirty-seventh batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-seventh batch at its end). Every expected minimum is the same in
// both engines' simplicity orders: both compare choice sequences shortlex
// (fewer choices first, then choice by choice), an integer's choices in
// the order simplest, +1, -1, +2, -2, ... (the simplest being 0, or the
// bound nearest it), a double's by its sign and then its lex code, a byte
// string's shortest first and then byte by byte; each problem's comment
// says why its minimum is the least failing value in that order. Each was
// also checked by enumerating values (for the state machines, choice
// sequences) in that order until the first failing one: exhaustively for
// the messages, the digit strings (every string of up to ten digits up to
// the minimum), the clocks, the dependency lists, the trees and the state
// machines; with the ranks of the wide integers capped for the posting
// lists and the addresses, whose failures do not need larger values; and
// at the boundary for the 32- and 64-bit words and the doubles' exponents.

import PropertyTesting
import ShrinkBenchmarkSupport

/// A Q16.16 fixed-point quotient, (a << 16) / b. The buggy division shifts
/// the numerator in `Int32`, where an integer part of 32768 or more loses
/// its top bits, and only then widens it for the divide.
func q16DivideShiftingInInt32(_ a: Int32, _ b: Int32) -> Int32 {
    Int32(truncatingIfNeeded: Int64(a &<< 16) / Int64(b))
}

/// The exact quotient, with the shift in 64 bits; nil when it does not fit
/// in `Int32`.
func q16DivideExact(_ a: Int32, _ b: Int32) -> Int32? { Int32(exactly: (Int64(a) << 16) / Int64(b)) }

/// The largest block the allocator hands out: 2^47 bytes.
let callocLargestBlock: UInt64 = 1 << 47

/// calloc's size check: count times size against the largest block, the
/// product taken with wrapping, so a product of 2^64 or more that wraps to
/// a small one passes. The bytes it zeroes and hands out; nil when it
/// refuses.
func callocBytesWrapping(count: UInt64, size: UInt64) -> UInt64? {
    let bytes = count &* size
    return bytes <= callocLargestBlock ? bytes : nil
}

/// A vector's length as the square root of the sum of its components'
/// squares. A square overflows to infinity from a component of 2^512 on,
/// while the length itself fits up to about 2^1024.
func vectorLengthSquaring(_ x: Double, _ y: Double) -> Double { (x * x + y * y).squareRoot() }

/// The length scaled by the larger component first, which overflows only
/// when the length does.
func vectorLengthScaled(_ x: Double, _ y: Double) -> Double {
    let (big, small) = (max(x.magnitude, y.magnitude), min(x.magnitude, y.magnitude))
    guard big > 0 else { return 0 }
    let r = small / big
    return big * (1 + r * r).squareRoot()
}

/// Decimal digits parsed into `Int32` with the overflow check many parsers
/// are written with: the value times ten plus the digit, with wrapping, is
/// taken to have overflowed when it comes out below the value before it.
/// A product that wraps past 2^32 comes out above it.
func parseInt32CheckingPrevious(_ s: String) -> Int32? {
    var value: Int32 = 0
    for c in s.utf8 {
        let next = value &* 10 &+ Int32(c - 48)
        if next < value { return nil }
        value = next
    }
    return value
}

/// Quoted-printable (RFC 2045) with LF line breaks, as ASCII bytes:
/// printable ASCII but "=" as itself, space and tab as themselves, a line
/// feed as a line break, any other byte as "=" and two hex digits.
/// Whitespace that ends a line must be encoded, as a reader drops it as
/// transport padding; this encoder encodes it at the end of the data only,
/// not before a line break.
func quotedPrintableEncode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    for (i, b) in bytes.enumerated() {
        let whitespace = b == 0x09 || b == 0x20
        let literal = b == 0x0A || (whitespace && i < bytes.count - 1) || ((0x21...0x7E).contains(b) && b != 0x3D)
        out += literal ? [b] : Array(("=" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)).utf8)
    }
    return out
}

/// The reader: lines split at line feeds, the spaces and tabs that end a
/// line dropped, "=" and two hex digits read as their byte.
func quotedPrintableDecode(_ text: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    for (k, var line) in text.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
        if k > 0 { out.append(0x0A) }
        while let last = line.last, last == 0x20 || last == 0x09 { line = line.dropLast() }
        let chars = Array(line)
        var i = 0
        while i < chars.count {
            if chars[i] == 0x3D, i + 2 < chars.count,
               let byte = UInt8(String(decoding: chars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(byte)
                i += 3
            } else {
                out.append(chars[i])
                i += 1
            }
        }
    }
    return out
}

/// Posting lists (each term's sorted document ids) delta-encoded, each
/// list's first id from 0, in `UInt32` with wrapping.
func postingDeltas(_ lists: [[UInt32]]) -> [[UInt32]] {
    lists.map { ids in
        var previous: UInt32 = 0
        return ids.map { id in
            defer { previous = id }
            return id &- previous
        }
    }
}

/// The buggy decoder: it adds each delta to the id before it, but keeps
/// that id from one term's list to the next instead of starting each list
/// from 0.
func postingDecodeCarryingBase(_ deltas: [[UInt32]]) -> [[UInt32]] {
    var previous: UInt32 = 0
    return deltas.map { list in
        list.map { delta in
            previous &+= delta
            return previous
        }
    }
}

/// How two vector clocks (replica -> counter, a missing replica counting
/// as 0) are ordered.
enum ClockOrder: Equatable {
    case before, after, equal, concurrent
}

/// Whether every counter of `a` is at most `b`'s (a replica missing from
/// `a` is 0, at most anything).
func clockAtMost(_ a: [Int64: Int64], _ b: [Int64: Int64]) -> Bool {
    a.allSatisfy { $0.value <= b[$0.key, default: 0] }
}

/// Two vector clocks compared. With `dictionaryEquality` it is the buggy
/// comparison, which takes two clocks to be equal when their dictionaries
/// are, so a clock holding an explicit 0 and one without that replica come
/// out one before the other.
func clockCompare(_ a: [Int64: Int64], _ b: [Int64: Int64], dictionaryEquality: Bool) -> ClockOrder {
    if dictionaryEquality ? (a == b) : (clockAtMost(a, b) && clockAtMost(b, a)) { return .equal }
    if clockAtMost(a, b) { return .before }
    if clockAtMost(b, a) { return .after }
    return .concurrent
}

/// A build order (Kahn's algorithm) of targets 0..<n, where `deps[v]` lists
/// the targets v depends on, a target possibly more than once: a target is
/// ready when every dependency it lists has been built, the ready ones
/// built first come first. nil when there is a cycle. A target's in-degree
/// counts every dependency listed; with `successorsOnce` it is the buggy
/// order, which records each dependent once per target, so a dependency
/// listed twice is released once and the dependent never becomes ready.
func dependencyOrder(_ deps: [[Int64]], successorsOnce: Bool) -> [Int]? {
    let n = deps.count
    var waiting = deps.map(\.count)
    var dependents = [[Int]](repeating: [], count: n)
    for (v, list) in deps.enumerated() {
        for u in list where !(successorsOnce && dependents[Int(u)].contains(v)) {
            dependents[Int(u)].append(v)
        }
    }
    var ready = (0..<n).filter { waiting[$0] == 0 }
    var order: [Int] = []
    while !ready.isEmpty {
        let u = ready.removeFirst()
        order.append(u)
        for v in dependents[u] {
            waiting[v] -= 1
            if waiting[v] == 0 { ready.append(v) }
        }
    }
    return order.count == n ? order : nil
}

/// An IPv4 or IPv6 address.
enum IPAddress: Equatable, Sendable {
    case v4(UInt32)
    case v6([UInt16])

    var repr: String {
        switch self {
        case .v4(let x): return "('v4', \(x))"
        case .v6(let groups): return "('v6', \(pyList(groups)))"
        }
    }

    /// The address as text: IPv4 dotted, IPv6 as eight hex groups with one
    /// run of two or more zero groups written "::". RFC 5952 takes the
    /// longest run (the first of the longest); without `longestRun` it is
    /// the buggy formatter, which takes the first run.
    func text(longestRun: Bool) -> String {
        switch self {
        case .v4(let x):
            return (0..<4).map { String(x >> (24 - 8 * UInt32($0)) & 0xFF) }.joined(separator: ".")
        case .v6(let g):
            var best: (start: Int, count: Int)?
            var i = 0
            while i < g.count {
                guard g[i] == 0 else {
                    i += 1
                    continue
                }
                var j = i
                while j < g.count && g[j] == 0 { j += 1 }
                if j - i >= 2, best == nil || (longestRun && j - i > best!.count) { best = (i, j - i) }
                i = j
            }
            let hex = g.map { String($0, radix: 16) }
            guard let best else { return hex.joined(separator: ":") }
            return hex[..<best.start].joined(separator: ":") + "::" + hex[(best.start + best.count)...].joined(separator: ":")
        }
    }
}

/// The splitmix64 finalizer.
func splitMix64(_ x: UInt64) -> UInt64 {
    var z = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// A tree's subtrees hash-consed: every subtree whose hash the table
/// already holds is replaced by the subtree stored under it, the table
/// trusting the hash. A node's hash mixes the sum of its children's hashes,
/// which does not depend on their order, so a node and its mirror image
/// share a hash and the mirror is replaced by the node.
func dedupedSubtrees(_ tree: Tree) -> Tree {
    var table: [UInt64: Tree] = [:]
    func visit(_ t: Tree) -> (tree: Tree, hash: UInt64) {
        let visited: (tree: Tree, hash: UInt64)
        switch t {
        case .leaf(let v):
            visited = (t, splitMix64(UInt64(bitPattern: v) &+ 0x9E37_79B9_7F4A_7C15))
        case .node(let l, let r):
            let (left, right) = (visit(l), visit(r))
            visited = (.node(left.tree, right.tree), splitMix64((left.hash &+ right.hash) ^ 0xD1B5_4A32_D192_ED03))
        }
        if let stored = table[visited.hash] { return (stored, visited.hash) }
        table[visited.hash] = visited.tree
        return visited
    }
    return visit(tree).tree
}

/// A slab cache of two-object slabs and a list of the slabs that have a
/// free object: an allocation takes from the last slab listed and makes a
/// new slab only when none is listed. A slab that fills is taken off the
/// list; a free into a full slab should put it back, and with
/// `relistsOnFree: false` it is the buggy cache, which does not, so the
/// next allocation makes a new slab while the old one has a free object.
final class PartialListSlabCache {
    struct Object {
        let slab: Int
        let index: Int
    }

    let relistsOnFree: Bool
    private(set) var slabs: [[Bool]] = []
    private var partial: [Int] = []

    init(relistsOnFree: Bool) { self.relistsOnFree = relistsOnFree }

    func alloc() -> Object {
        guard let s = partial.last else {
            slabs.append([true, false])
            partial.append(slabs.count - 1)
            return Object(slab: slabs.count - 1, index: 0)
        }
        let i = slabs[s].firstIndex(of: false)!
        slabs[s][i] = true
        if !slabs[s].contains(false) { partial.removeLast() }
        return Object(slab: s, index: i)
    }

    func free(_ object: Object) {
        let wasFull = !slabs[object.slab].contains(false)
        slabs[object.slab][object.index] = false
        if wasFull && relistsOnFree { partial.append(object.slab) }
    }
}

/// A mapping handed out by `RegionMap.map`.
struct MappedRegion {
    let start: Int
    let pages: Int
}

/// A process's mappings as regions (first page, page count), each new one
/// placed after the last with a guard page between. Unmapping pages inside
/// a region leaves the pages before them as one region and those after them
/// as another; the buggy split gives the tail the region's length less the
/// pages unmapped, forgetting the head's, so the tail runs past the
/// region's end by the head's length.
final class RegionMap {
    private var regions: [(start: Int, pages: Int)] = []
    private var next = 0

    func map(_ pages: Int) -> MappedRegion {
        defer { next += pages + 1 }
        regions.append((next, pages))
        return MappedRegion(start: next, pages: pages)
    }

    func unmap(_ region: MappedRegion, offset: Int, pages: Int) {
        regions.removeAll { $0.start == region.start }
        if offset > 0 { regions.append((region.start, offset)) }
        let tail = region.pages - pages
        if tail > 0 { regions.append((region.start + offset + pages, tail)) }
    }

    var mappedPages: [Int] { regions.flatMap { Array($0.start..<($0.start + $0.pages)) }.sorted() }
}

/// The pages a process should have mapped, and how many of its mappings
/// are still whole (the ones a step may unmap in).
struct RegionModel {
    var pages: Set<Int> = []
    var whole = 0
}

/// An event loop's descriptors (open gives the lowest free one, as POSIX
/// does) and the ones it watches. Closing a descriptor should drop its
/// watch; this loop keeps it, so the next open, which gets the same
/// number, starts out watched.
final class StaleWatchEventLoop {
    private var open: Set<Int> = []
    private var watched: Set<Int> = []

    func openDescriptor() -> Int {
        let fd = (0...).first { !open.contains($0) }!
        open.insert(fd)
        return fd
    }

    func watch(_ fd: Int) { watched.insert(fd) }
    func close(_ fd: Int) { open.remove(fd) }
    func isWatched(_ fd: Int) -> Bool { watched.contains(fd) }
}

/// The descriptors an event loop should have open and watched.
struct EventLoopModel {
    var open: Set<Int> = []
    var watched: Set<Int> = []
}

/// A log ring's reservations: a writer reserves the next bytes, fills them
/// and commits them, and a reader may read up to the published end. With
/// `publishesInOrder` the ring publishes the end of the longest committed
/// run of reservations from the start; without, it is the buggy ring, which
/// publishes the end of whichever reservation was committed last, past an
/// earlier one still being written.
final class ReservationRing {
    let publishesInOrder: Bool
    private var reservations: [(offset: Int, count: Int, committed: Bool)] = []
    private var head = 0
    private var cursor = 0
    private(set) var published = 0

    init(publishesInOrder: Bool) { self.publishesInOrder = publishesInOrder }

    var uncommitted: Int { reservations.filter { !$0.committed }.count }

    /// The reservation's number.
    func reserve(_ count: Int) -> Int {
        reservations.append((head, count, false))
        head += count
        return reservations.count - 1
    }

    func commit(_ id: Int) {
        reservations[id].committed = true
        let r = reservations[id]
        if publishesInOrder {
            while cursor < reservations.count && reservations[cursor].committed {
                published = reservations[cursor].offset + reservations[cursor].count
                cursor += 1
            }
        } else {
            published = max(published, r.offset + r.count)
        }
    }
}

/// The thirty-seventh batch, written by someone who had not read the
/// shrinker: a Q16.16 divide that shifts in 32 bits, a calloc whose size
/// check wraps, a vector length whose squares overflow, a parser's overflow
/// check against the value before, quoted-printable that leaves whitespace
/// before a line break, posting lists decoded from the last term's base,
/// vector clocks compared as dictionaries, a build order that releases a
/// doubled dependency once, an IPv6 formatter that compresses the first
/// zero run, hash-consing that takes a mirror image for the node, a slab
/// cache that forgets to relist a full slab, a munmap split whose tail
/// keeps the head's pages, an event loop that keeps a closed descriptor's
/// watch and a ring that publishes a commit out of order.
func thirtySeventhBatch() -> [Problem] { [
    // (Int32, Int32): where the exact Q16.16 quotient fits, the divide that shifts in Int32 must give it.
    // Minimum: the numerator comes first; every one of rank below 32768's
    // (magnitude 32767 or less) shifts without losing a bit, so the divide
    // is exact whatever the divisor, and 32768 comes before -32768 (which
    // shifts to -2^31 exactly). With 32768, 0 is skipped, 1's quotient 2^31
    // does not fit, -1's wraps to the right -2^31, and 2 gives -2^30, not 2^30.
    problem("q16_divide_shifts_numerator_in_int32", Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (32768, 2) }) { t in
        guard t.1 != 0, let exact = q16DivideExact(t.0, t.1) else { return }
        try check(q16DivideShiftingInInt32(t.0, t.1) == exact)
    },
    // (UInt64 count, UInt64 size): a calloc that does not refuse must hand out count * size bytes.
    // Minimum: a count of 0 or 1 never wraps; with 2 the product wraps only
    // from a size of 2^63 on, and 2^63 wraps to 0, which passes the check.
    problem("calloc_overflow_check_on_wrapped_product", Gen.zip(Gen.integers(of: UInt64.self), Gen.integers(of: UInt64.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (2, 1 << 63) }) { t in
        if let bytes = callocBytesWrapping(count: t.0, size: t.1) {
            let product = t.0.multipliedFullWidth(by: t.1)
            try check(product.high == 0 && product.low == bytes)
        }
    },
    // Pairs of finite doubles: where the length fits in a double, the length from the squares must be finite.
    // Minimum: the first component comes first, and 0.0 is its simplest
    // value; then every integer (at most 2^56) and every double of the
    // exponents 2^0 to 2^511 squares to at most 2^1024 - 2^972, finite, and
    // 2^512, the first of the next exponent, squares to infinity.
    problem("vector_length_squares_overflow_early",
            Gen.zip(Gen.doubles(allowNaN: false, allowInfinity: false), Gen.doubles(allowNaN: false, allowInfinity: false)),
            show: { "(\(pyFloat($0.0)), \(pyFloat($0.1)))" }, ideal: { $0.0 == 0 && $0.0.sign == .plus && $0.1 == 0x1p512 }) { t in
        if vectorLengthScaled(t.0, t.1).isFinite { try check(vectorLengthSquaring(t.0, t.1).isFinite) }
    },
    // Strings of decimal digits: a value the parser returns must be the string's value.
    // Minimum: nine digits or fewer never overflow, so ten digits are
    // needed, and strings of one length are in numeric order. With ten, the
    // first nine (r) never wrap, and the last step wraps undetected when
    // 10r + d wraps past 2^32 to at least r, 9r + d >= 2^32: the least such
    // value is r = 477218588 with d = 4.
    problem("atoi_overflow_check_compares_to_previous", Gen.strings(of: Gen.characters(from: "0123456789")), show: pyString,
            ideal: { $0 == "4772185884" }) { s in
        if let value = parseInt32CheckingPrevious(s) { try check(Int64(value) == (s.isEmpty ? 0 : Int64(s))) }
    },
    // Messages as lines (byte strings of 0...8 bytes) joined by line feeds: decoding the quoted-printable text must give them back.
    // Minimum: a message fails only where a space or tab comes before a line
    // feed (at the end of the data it is encoded), so one line holding both
    // is the fewest choices (a second line costs two more); a line of two
    // bytes is the shortest, and the tab (9) is below the space.
    problem("qp_line_end_whitespace_left_unencoded", Gen.arrays(of: Gen.bytes(count: 0...8)), show: { pyList($0.map(pyBytes)) },
            ideal: { $0 == [[0x09, 0x0A]] }) { lines in
        let message = Array(lines.joined(separator: [0x0A]))
        try check(quotedPrintableDecode(quotedPrintableEncode(message)) == message)
    },
    // Lists of lists of UInt32 document ids (each sorted): decoding the posting deltas must give them back.
    // Minimum: a list is decoded wrong only when it follows a non-empty list
    // whose last id is not 0 and is itself non-empty, so two lists of one
    // id each; the first id is 1 at least, and the second is then 0.
    problem("posting_delta_base_carried_across_terms", Gen.arrays(of: Gen.arrays(of: Gen.integers(of: UInt32.self))),
            show: { "[" + $0.map(pyList).joined(separator: ", ") + "]" }, ideal: { $0 == [[1], [0]] }) { lists in
        let sorted = lists.map { $0.sorted() }
        try check(postingDecodeCarryingBase(postingDeltas(sorted)) == sorted)
    },
    // Pairs of vector clocks (replicas 0...7, counters 0...3): the comparison must be the counters' order.
    // Minimum: clocks whose dictionaries differ while their counters are
    // equal are needed, so an entry of 0 in one and not the other; the
    // first clock empty (fewest choices first, and the empty one's "no more
    // entries" is its simplest choice) and the second {0: 0}.
    problem("vector_clock_explicit_zero_not_equal",
            Gen.zip(Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.integers(in: 0...3)),
                    Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.integers(in: 0...3))),
            show: { "(\(pyDict($0.0)), \(pyDict($0.1)))" }, ideal: { $0.0 == [:] && $0.1 == [0: 0] }) { t in
        try check(clockCompare(t.0, t.1, dictionaryEquality: true) == clockCompare(t.0, t.1, dictionaryEquality: false))
    },
    // A target count n in 1...6, then each target's dependencies (targets 0..<n): the build order must be Kahn's.
    // Minimum: a dependency listed twice on another target is needed (on
    // itself it is a cycle either way), so two targets and two entries;
    // the first target with none, the second depending on it twice.
    problem("toposort_duplicate_dependency_never_released",
            Gen.integers(in: 1...6).flatMap { n in
                Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...(n - 1))), count: Int(n)...Int(n))
            },
            show: pyNested, ideal: { $0 == [[], [0, 0]] }) { deps in
        try check(dependencyOrder(deps, successorsOnce: true) == dependencyOrder(deps, successorsOnce: false))
    },
    // IPv4 (UInt32) or IPv6 (eight groups, each 0 or a UInt16) addresses: the text must be RFC 5952's.
    // Minimum: IPv4 is written one way, so the second branch; only which
    // groups are 0 matters, and the first run of zero groups must be
    // shorter than a later one. A group of 0 is one choice and any other
    // two, so one nonzero group: after two or three zeros, and three come
    // first in order; its value is then 1.
    problem("ipv6_format_compresses_first_zero_run",
            Gen.oneOf(Gen.integers(of: UInt32.self).map { IPAddress.v4($0) },
                      Gen.arrays(of: Gen.oneOf(Gen.just(UInt16(0)), Gen.integers(of: UInt16.self)), count: 8...8)
                          .map { IPAddress.v6($0) }),
            show: \.repr, ideal: { $0 == .v6([0, 0, 0, 1, 0, 0, 0, 0]) }) { address in
        try check(address.text(longestRun: false) == address.text(longestRun: true))
    },
    // Trees of leaves 0...9 (four levels): hash-consing the subtrees must give the tree back.
    // Minimum: two distinct subtrees must share a hash, which here means a
    // node and its mirror image with different children, two nodes of two
    // leaves at least under a root; the first node's leaves 0 and 1, the
    // second's 1 and 0.
    problem("subtree_dedup_hash_ignores_child_order",
            Gen.recursive(maxDepth: 4, label: "dedup-tree", base: Gen.integers(in: 0...9).map { Tree.leaf($0) }) { inner in
                Gen.zip(inner, inner).map { Tree.node($0.0, $0.1) }
            },
            show: \.repr, ideal: { $0 == .node(.node(.leaf(0), .leaf(1)), .node(.leaf(1), .leaf(0))) }) { tree in
        try check(dedupedSubtrees(tree) == tree)
    },
    // allocations and frees on a slab cache of two-object slabs that does not relist a full slab on a free.
    // Minimum: a slab must fill, lose an object and be asked for one, so
    // two allocations, a free and an allocation; freeing the first object
    // is the simpler pick.
    machineProblem("machine_slab_full_then_free_not_relisted", StateMachine<(live: Int, peak: Int), PartialListSlabCache>(
        model: { (0, 0) }, system: { PartialListSlabCache(relistsOnFree: false) },
        rules: [
            .init("alloc") { model, cache, step in
                step.produce(cache.alloc(), into: "objects")
                model.live += 1
                model.peak = max(model.peak, model.live)
            },
            .init("free", precondition: { $0.live > 0 }) { model, cache, step in
                cache.free(try step.pick(from: "objects", as: PartialListSlabCache.Object.self, label: "obj", remove: true))
                model.live -= 1
            },
        ],
        check: { model, cache in
            try expect(cache.slabs.count == (model.peak + 1) / 2, "\(cache.slabs.count) slabs for at most \(model.peak) objects")
        }),
        ideal: ["v1 = alloc()", "v2 = alloc()", "free(obj: v1)", "v3 = alloc()"]),
    // maps of 1...4 pages and unmaps of pages inside a mapping, on a region map whose split keeps the head's pages in the tail.
    // Minimum: an unmap after a head of one page or more is needed, so a
    // mapping of two pages at least (one has offset 0 only) and an unmap at
    // offset 1, of one page.
    machineProblem("machine_munmap_split_tail_keeps_head_pages", StateMachine<RegionModel, RegionMap>(
        model: { RegionModel() }, system: RegionMap.init,
        rules: [
            .init("map") { model, regions, step in
                let region = regions.map(try step.draw(Gen.ints(in: 1...4), "pages"))
                step.produce(region, into: "regions")
                model.pages.formUnion(region.start..<(region.start + region.pages))
                model.whole += 1
            },
            .init("unmap", precondition: { $0.whole > 0 }) { model, regions, step in
                let region = try step.pick(from: "regions", as: MappedRegion.self, label: "region", remove: true)
                let offset = try step.draw(Gen.ints(in: 0...(region.pages - 1)), "offset")
                let pages = try step.draw(Gen.ints(in: 1...(region.pages - offset)), "pages")
                regions.unmap(region, offset: offset, pages: pages)
                model.pages.subtract((region.start + offset)..<(region.start + offset + pages))
                model.whole -= 1
            },
        ],
        check: { model, regions in
            try expect(regions.mappedPages == model.pages.sorted(), "mapped \(regions.mappedPages), expected \(model.pages.sorted())")
        }),
        ideal: ["v1 = map(pages: 2)", "unmap(region: v1, offset: 1, pages: 1)"]),
    // opens, watches and closes on an event loop that keeps a closed descriptor's watch: an open descriptor's watch must be its own.
    // Minimum: a descriptor must be watched, closed and its number handed
    // out again, so open, watch, close and open, the only such run of four.
    machineProblem("machine_event_loop_close_keeps_fd_watch", StateMachine<EventLoopModel, StaleWatchEventLoop>(
        model: { EventLoopModel() }, system: StaleWatchEventLoop.init,
        rules: [
            .init("open") { model, loop, step in
                let fd = loop.openDescriptor()
                model.open.insert(fd)
                step.produce(fd, into: "fds")
            },
            .init("watch", precondition: { !$0.open.isEmpty }) { model, loop, step in
                let fd = try step.pick(from: "fds", as: Int.self, label: "fd")
                loop.watch(fd)
                model.watched.insert(fd)
            },
            .init("close", precondition: { !$0.open.isEmpty }) { model, loop, step in
                let fd = try step.pick(from: "fds", as: Int.self, label: "fd", remove: true)
                loop.close(fd)
                model.open.remove(fd)
                model.watched.remove(fd)
            },
        ],
        check: { model, loop in
            for fd in model.open.sorted() {
                try expect(loop.isWatched(fd) == model.watched.contains(fd), "descriptor \(fd) watched: \(loop.isWatched(fd))")
            }
        }),
        ideal: ["v1 = open()", "watch(fd: v1)", "close(fd: v1)", "v2 = open()"]),
    // reservations of 1...4 bytes and commits on a log ring that publishes a commit out of order: the published end.
    // Minimum: a commit of a reservation after one still open is needed, so
    // two reservations (of one byte) and a commit of the second.
    machineProblem("machine_ring_commit_out_of_order_publishes", StateMachine<ReservationRing, ReservationRing>(
        model: { ReservationRing(publishesInOrder: true) }, system: { ReservationRing(publishesInOrder: false) },
        rules: [
            .init("reserve") { model, ring, step in
                let count = try step.draw(Gen.ints(in: 1...4), "len")
                _ = ring.reserve(count)
                step.produce(model.reserve(count), into: "reservations")
            },
            .init("commit", precondition: { $0.uncommitted > 0 }) { model, ring, step in
                let id = try step.pick(from: "reservations", as: Int.self, label: "res", remove: true)
                model.commit(id)
                ring.commit(id)
            },
        ],
        check: { model, ring in
            try expect(ring.published == model.published, "published up to \(ring.published), expected \(model.published)")
        }),
        ideal: ["v1 = reserve(len: 1)", "v2 = reserve(len: 1)", "commit(res: v2)"]),
] }
