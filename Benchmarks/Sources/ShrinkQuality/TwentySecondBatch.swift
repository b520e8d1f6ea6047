// The twenty-second batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-second batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum BucketOp: Equatable {
    case take(Int64)
    case wait(Int64)
    var repr: String {
        switch self {
        case .take(let n): return "('take', \(n))"
        case .wait(let t): return "('wait', \(t))"
        }
    }
}

/// Floor division from truncating division, fixed up only for a negative
/// dividend, as if the divisor were always positive.
func floorDivFixedForDividend(_ a: Int64, _ b: Int64) -> Int64 {
    var q = a / b
    if a < 0 && a % b != 0 { q -= 1 }
    return q
}

/// Floor division (rounding towards negative infinity).
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b, r = a % b
    return r != 0 && (r < 0) != (b < 0) ? q - 1 : q
}

/// Rotates left by k in place by following one cycle from index 0: right
/// only when k and the length have no common factor.
func rotateOneCycle(_ xs: [Int64], _ k: Int) -> [Int64] {
    var a = xs
    let n = a.count
    let k = k % n
    guard k != 0 else { return a }
    let tmp = a[0]
    var j = 0
    while true {
        let d = (j + k) % n
        if d == 0 { break }
        a[j] = a[d]
        j = d
    }
    a[j] = tmp
    return a
}

/// Open addressing over 8 slots with linear probing and tombstones; an
/// insert takes the first tombstone it meets without looking further along
/// the chain for the key. Whether after every op the slots holding keys are
/// the model's keys.
func tombstonesKeepKeysOnce(_ ops: [(String, Int64)]) -> Bool {
    enum Slot: Equatable {
        case empty, tombstone, key(Int64)
    }
    var slots = [Slot](repeating: .empty, count: 8)
    var model: Set<Int64> = []
    for (op, k) in ops {
        if op == "insert" {
            for j in 0..<Int64(8) {
                let s = Int((k + j) % 8)
                if slots[s] == .empty || slots[s] == .tombstone {
                    slots[s] = .key(k)
                    model.insert(k)
                    break
                }
                if slots[s] == .key(k) { break }
            }
        } else {
            for j in 0..<Int64(8) {
                let s = Int((k + j) % 8)
                if slots[s] == .empty { break }
                if slots[s] == .key(k) {
                    slots[s] = .tombstone
                    break
                }
            }
            model.remove(k)
        }
        let held = slots.compactMap { slot -> Int64? in if case .key(let x) = slot { return x } else { return nil } }
        if held.sorted() != model.sorted() { return false }
    }
    return true
}

/// First fit over 16 units with a free list sorted by address; a free
/// merges with the block before it when that block's start plus the freed
/// block's length (not its own) reaches the freed block. Whether live blocks
/// never overlapped.
func freeListNeverOverlaps(_ ops: [TraceOp]) -> Bool {
    var free: [(start: Int64, count: Int64)] = [(0, 16)]
    var live: [(start: Int64, count: Int64)] = []
    for op in ops {
        switch op {
        case .alloc(let n):
            guard let j = free.firstIndex(where: { $0.count >= n }) else { continue }
            let start = free[j].start
            free[j] = (start + n, free[j].count - n)
            if free[j].count == 0 { free.remove(at: j) }
            if live.contains(where: { !(start + n <= $0.start || $0.start + $0.count <= start) }) { return false }
            live.append((start, n))
        case .free(let i):
            guard i < live.count else { continue }
            let (s, n) = live.remove(at: Int(i))
            var j = free.firstIndex(where: { $0.start > s }) ?? free.count
            free.insert((s, n), at: j)
            if j > 0 && free[j - 1].start + n == s {
                free[j - 1].count += n
                free.remove(at: j)
                j -= 1
            }
            if j + 1 < free.count && free[j].start + free[j].count == free[j + 1].start {
                free[j].count += free[j + 1].count
                free.remove(at: j + 1)
            }
        }
    }
    return true
}

/// The least value of a list, NaN skipped: the loop starts from the first
/// element and keeps a smaller one, so a NaN in front stays. Whether it gave
/// the least number (NaN when there is none).
func nanMinAgrees(_ xs: [Double]) -> Bool {
    guard var m = xs.first else { return true }
    for x in xs.dropFirst() where x < m { m = x }
    let numbers = xs.filter { !$0.isNaN }
    return numbers.isEmpty ? m.isNaN : m == numbers.min()!
}

/// A token bucket of 3 tokens, one more per time unit, refilled when a take
/// arrives; a full bucket skips the refill and with it the update of the
/// last refill time. Whether every take was allowed exactly when a bucket
/// that always refills allows it.
func tokenBucketAgrees(_ ops: [BucketOp]) -> Bool {
    var now: Int64 = 0
    var tokens: Int64 = 3, last: Int64 = 0
    var refTokens: Int64 = 3, refLast: Int64 = 0
    for op in ops {
        switch op {
        case .wait(let t):
            now += t
        case .take(let n):
            if tokens < 3 {
                tokens = min(3, tokens + now - last)
                last = now
            }
            refTokens = min(3, refTokens + now - refLast)
            refLast = now
            let allowed = tokens >= n, refAllowed = refTokens >= n
            if allowed { tokens -= n }
            if refAllowed { refTokens -= n }
            if allowed != refAllowed { return false }
        }
    }
    return true
}

/// A ring-buffer deque of two slots that doubles when full; the growth
/// copies slots 0..<count instead of from the head.
final class GrowingDeque {
    private var buf = [Int](repeating: 0, count: 2)
    private var head = 0, count = 0
    private func growIfFull() {
        guard count == buf.count else { return }
        var new = [Int](repeating: 0, count: 2 * buf.count)
        for i in 0..<count { new[i] = buf[i] }
        buf = new
        head = 0
    }
    func pushFront(_ x: Int) {
        growIfFull()
        head = (head - 1 + buf.count) % buf.count
        buf[head] = x
        count += 1
    }
    func pushBack(_ x: Int) {
        growIfFull()
        buf[(head + count) % buf.count] = x
        count += 1
    }
    func popFront() -> Int {
        defer { head = (head + 1) % buf.count; count -= 1 }
        return buf[head]
    }
    func popBack() -> Int {
        defer { count -= 1 }
        return buf[(head + count - 1) % buf.count]
    }
}

func jsonText(_ v: NestedList) -> String {
    switch v {
    case .leaf(let x): return String(x)
    case .list(let xs): return "[" + xs.map(jsonText).joined(separator: ",") + "]"
    }
}

/// A decoder that refuses documents nested more than 3 deep counts every
/// "[" it reads instead of the open ones. Whether it accepts exactly the
/// values at most 3 deep.
func depthLimitAgrees(_ v: NestedList) -> Bool {
    var seen = 0
    var accepted = true
    for c in jsonText(v) where c == "[" {
        seen += 1
        if seen > 3 {
            accepted = false
            break
        }
    }
    return accepted == (v.depth <= 3)
}

/// A binary min-heap of (priority, order of arrival) compared by priority
/// only. Whether equal priorities popped in order of arrival.
func heapPopsFifo(_ ops: [HeapOp]) -> Bool {
    var heap: [(Int64, Int)] = [], model: [(Int64, Int)] = []
    var n = 0
    for op in ops {
        switch op {
        case .push(let p):
            heap.append((p, n))
            model.append((p, n))
            n += 1
            var i = heap.count - 1
            while i > 0 && heap[i].0 < heap[(i - 1) / 2].0 {
                heap.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
        case .pop:
            guard !heap.isEmpty else { continue }
            let top = heap[0]
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var i = 0
                while 2 * i + 1 < heap.count {
                    var c = 2 * i + 1
                    if c + 1 < heap.count && heap[c + 1].0 < heap[c].0 { c += 1 }
                    guard heap[c].0 < heap[i].0 else { break }
                    heap.swapAt(i, c)
                    i = c
                }
            }
            let k = model.indices.min { model[$0] < model[$1] }!
            let expected = model.remove(at: k)
            if top != expected { return false }
        }
    }
    return true
}

/// Saturating Int8 addition; `lenient` checks a negative overflow as a
/// wrapped sum above 0, missing -128 + -128, which wraps to 0.
func saturatingAdd(_ a: Int8, _ b: Int8, lenient: Bool) -> Int8 {
    let s = a &+ b
    if a > 0 && b > 0 && s < 0 { return .max }
    if a < 0 && b < 0 && (lenient ? s > 0 : s >= 0) { return .min }
    return s
}

/// key=value lines read back; a line starting with "[" and ending with "]"
/// is a section header. Whether the keys read are the keys written, with
/// the last value of each.
func configRoundTrips(_ pairs: [(String, String)]) -> Bool {
    var read: [String: String] = [:]
    for (k, v) in pairs {
        let line = k + "=" + v
        if line.hasPrefix("[") && line.hasSuffix("]") { continue }
        let eq = line.firstIndex(of: "=")!
        read[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    var written: [String: String] = [:]
    for (k, v) in pairs { written[k] = v }
    return read == written
}

/// A recursive-descent evaluator of "a op b op c ..." that recurses on the
/// right, so "a - b + c" reads as a - (b + c).
func evalRightRecursive(_ x: Int64, _ rest: ArraySlice<(String, Int64)>) -> Int64 {
    guard let (op, y) = rest.first else { return x }
    let r = evalRightRecursive(y, rest.dropFirst())
    return op == "+" ? x + r : x - r
}

/// A buddy allocator over 8 pages; a free looks for its buddy at address +
/// size instead of address ^ size, which is right only for a left buddy.
/// Whether every free block stayed aligned to its size.
func buddyBlocksStayAligned(_ ops: [TraceOp]) -> Bool {
    var free: [[Int64]] = [[], [], [], [0]]
    var live: [(addr: Int64, order: Int)] = []
    for op in ops {
        switch op {
        case .alloc(let order64):
            let order = Int(order64)
            guard var k = (order...3).first(where: { !free[$0].isEmpty }) else { continue }
            let addr = free[k].min()!
            free[k].removeAll { $0 == addr }
            while k > order {
                k -= 1
                free[k].append(addr + (1 << k))
            }
            live.append((addr, order))
        case .free(let i):
            guard i < live.count else { continue }
            let (addr, order) = live.remove(at: Int(i))
            var k = order
            while k < 3, free[k].contains(addr + (1 << k)) {
                free[k].removeAll { $0 == addr + (1 << k) }
                k += 1
            }
            free[k].append(addr)
        }
        for k in 0...3 where free[k].contains(where: { $0 % (1 << k) != 0 }) { return false }
    }
    return true
}

/// The twenty-second batch, written by someone who had not read the
/// shrinker: kinds the suite lacks, from what allocator, parser, encoder
/// and data-structure developers test. Floor division fixed up for the
/// dividend's sign only, a rotation following one cycle, a hash map whose
/// insert reuses a tombstone ahead of its key, a free list merging by the
/// wrong length, a NaN-skipping minimum, a token bucket whose clock stops
/// while full, a deque whose growth ignores its head, a nesting limit that
/// counts brackets, a heap unstable for equal priorities, Q8 rounding of a
/// negative half, an Int8 saturating sum, a config line read as a section,
/// a right-recursive evaluator and a buddy allocator finding the wrong buddy.
func twentySecondBatch() -> [Problem] { [
    // (a, b): floor division from truncation, fixed up when the dividend is negative but not for the divisor's sign.
    problem("floor_div_fix_ignores_divisor_sign", Gen.zip(Gen.integers(in: -100...100), Gen.integers(in: -10...10)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, -2) }) { t in
        guard t.1 != 0 else { return }
        try check(floorDivFixedForDividend(t.0, t.1) == floorDiv(t.0, t.1))
    },
    // (list, k): a left rotation by k following only the cycle through index 0.
    problem("rotate_one_cycle_common_factor", Gen.zip(Gen.arrays(of: Gen.integers(in: 0...9)), Gen.ints(in: 0...10)),
            show: { "(\(pyList($0.0)), \($0.1))" }, ideal: { $0.0 == [0, 0, 0, 1] && $0.1 == 2 }) { t in
        let (xs, k) = t
        guard !xs.isEmpty else { return }
        let s = k % xs.count
        try check(rotateOneCycle(xs, k) == Array(xs[s...] + xs[..<s]))
    },
    // Linear probing with tombstones; an insert fills the first tombstone though its key sits further on.
    problem("tombstone_insert_duplicates_key",
            Gen.arrays(of: Gen.zip(Gen.element(of: ["insert", "delete"]), Gen.integers(in: 0...15))),
            show: { pyList($0.map { "('\($0.0)', \($0.1))" }) },
            ideal: { $0.map { "\($0.0) \($0.1)" } == ["insert 0", "insert 8", "delete 0", "insert 8"] }) { ops in
        try check(tombstonesKeepKeysOnce(ops))
    },
    // First fit over 16 units (sizes 1...4, free indices 0...3); the merge with the block before
    // tests that block's start plus the freed block's length.
    problem("free_list_merge_wrong_length",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...4).map { TraceOp.alloc($0) },
                                     Gen.integers(in: 0...3).map { TraceOp.free($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.alloc(1), .alloc(1), .alloc(2), .free(0), .free(1), .alloc(2)] }) { ops in
        try check(freeListNeverOverlaps(ops))
    },
    // A minimum that should skip NaN but starts from the first element.
    problem("nanmin_nan_in_front", Gen.arrays(of: Gen.doubles()), show: { pyList($0.map(pyFloat)) },
            ideal: { $0.count == 2 && $0[0].isNaN && $0[0].sign == .plus && $0[1] == 0 && $0[1].sign == .plus }) { xs in
        try check(nanMinAgrees(xs))
    },
    // A token bucket (3 tokens, one per time unit) whose refill, skipped while full, also leaves its clock behind.
    problem("token_bucket_full_skips_clock",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...4).map { BucketOp.take($0) },
                                     Gen.integers(in: 1...10).map { BucketOp.wait($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.wait(1), .take(1), .take(3)] }) { ops in
        try check(tokenBucketAgrees(ops))
    },
    // A ring-buffer deque whose growth copies slots from 0 instead of from the head.
    machineProblem("machine_deque_grow_ignores_head", StateMachine<[Int], GrowingDeque>(
        model: { [] }, system: GrowingDeque.init,
        rules: [
            .init("push_front") { model, deque, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                deque.pushFront(x)
                model.insert(x, at: 0)
            },
            .init("push_back") { model, deque, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                deque.pushBack(x)
                model.append(x)
            },
            .init("pop_front", precondition: { !$0.isEmpty }) { model, deque, _ in
                let expected = model.removeFirst()
                let got = deque.popFront()
                try expect(got == expected, "pop_front() gave \(got), expected \(expected)")
            },
            .init("pop_back", precondition: { !$0.isEmpty }) { model, deque, _ in
                let expected = model.removeLast()
                let got = deque.popBack()
                try expect(got == expected, "pop_back() gave \(got), expected \(expected)")
            },
        ]), ideal: ["push_front(x: 0)", "push_back(x: 1)", "push_front(x: 0)", "pop_back()"]),
    // Nested lists of digits; a nesting limit of 3 that counts every "[" read instead of the open ones.
    problem("json_depth_limit_counts_brackets",
            Gen.recursive(maxDepth: 8, label: "json", base: Gen.integers(in: 0...9).map { NestedList.leaf($0) }) { inner in
                Gen.arrays(of: inner).map { NestedList.list($0) }
            }, show: \.repr, ideal: { $0 == .list([.list([]), .list([]), .list([])]) }) { v in
        try check(depthLimitAgrees(v))
    },
    // A binary heap by priority alone: equal priorities must still pop in order of arrival.
    problem("heap_equal_priorities_not_fifo",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...3).map { HeapOp.push($0) }, Gen.just(HeapOp.pop))),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.push(0), .push(0), .push(0), .pop, .pop] }) { ops in
        try check(heapPopsFifo(ops))
    },
    // A Q8 fixed-point product rounded as (a * b + 128) >> 8, which rounds a negative half up, not away from zero.
    problem("q8_product_negative_half_rounds_up", Gen.zip(Gen.integers(in: -1000...1000), Gen.integers(in: -1000...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, -128) }) { t in
        let p = t.0 * t.1
        let away = p < 0 ? -((-p + 128) >> 8) : (p + 128) >> 8
        try check((p + 128) >> 8 == away)
    },
    // An Int8 running total with saturating adds whose negative check misses a sum that wraps to exactly 0.
    problem("int8_saturating_sum_wraps_to_zero", Gen.arrays(of: Gen.integers(of: Int8.self)), show: pyList,
            ideal: { $0 == [-128, -128] }) { xs in
        var acc: Int8 = 0, ref: Int8 = 0
        for x in xs {
            acc = saturatingAdd(acc, x, lenient: true)
            ref = saturatingAdd(ref, x, lenient: false)
            try check(acc == ref)
        }
    },
    // key=value lines, keys over "a[" and values over "a]"; a written line that looks like a section header is skipped.
    problem("config_line_read_as_section",
            Gen.arrays(of: Gen.zip(Gen.strings(of: Gen.characters(from: "a[")), Gen.strings(of: Gen.characters(from: "a]")))),
            show: { pyList($0.map { "(\(pyString($0.0)), \(pyString($0.1)))" }) },
            ideal: { $0.count == 1 && $0[0] == ("[", "]") }) { pairs in
        try check(configRoundTrips(pairs))
    },
    // (first, [(op, operand)]): a right-recursive evaluator must agree with evaluating left to right.
    problem("expr_minus_parsed_right_assoc",
            Gen.zip(Gen.integers(in: 0...9), Gen.arrays(of: Gen.zip(Gen.element(of: ["+", "-"]), Gen.integers(in: 0...9)))),
            show: { "(\($0.0), \(pyList($0.1.map { "('\($0.0)', \($0.1))" })))" },
            ideal: { $0.0 == 0 && $0.1.map { "\($0.0)\($0.1)" } == ["-0", "+1"] }) { t in
        let left = t.1.reduce(t.0) { $1.0 == "+" ? $0 + $1.1 : $0 - $1.1 }
        try check(evalRightRecursive(t.0, t.1[...]) == left)
    },
    // A buddy allocator over 8 pages (alloc takes an order 0...2) whose free looks for the buddy at address + size.
    problem("buddy_free_looks_past_right_half",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...2).map { TraceOp.alloc($0) },
                                     Gen.integers(in: 0...3).map { TraceOp.free($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.alloc(0), .alloc(0), .alloc(0), .alloc(0), .free(2), .free(1)] }) { ops in
        try check(buddyBlocksStayAligned(ops))
    },
] }
