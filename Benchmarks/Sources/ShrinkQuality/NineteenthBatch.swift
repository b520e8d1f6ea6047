// The nineteenth batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// nineteenth batch at its end). Every expected minimum is the same in both
// engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum TraceOp: Equatable {
    case alloc(Int64)
    case free(Int64)
    var repr: String {
        switch self {
        case .alloc(let n): return "('alloc', \(n))"
        case .free(let i): return "('free', \(i))"
        }
    }
}

enum ThreeKinds: Equatable {
    case small(Int64)
    case flag(Bool)
    case blob([UInt8])
    var repr: String {
        switch self {
        case .small(let x): return "('small', \(x))"
        case .flag(let b): return "('flag', \(b ? "True" : "False"))"
        case .blob(let b): return "('blob', \(pyBytes(b)))"
        }
    }
}

/// A write-ahead log whose second sync in a row (reads between do not
/// count) un-syncs the last entry.
final class DoubleSyncLog {
    private(set) var entries: [Int] = []
    private(set) var durable = 0
    private var lastWasSync = false
    func append(_ x: Int) { entries.append(x); lastWasSync = false }
    func sync() {
        if lastWasSync && durable > 0 { durable -= 1 } else { durable = entries.count }
        lastWasSync = true
    }
    func read(_ i: Int) -> Int? { i < entries.count ? entries[i] : nil }
}

/// Classic binary search: returns some index holding x, not necessarily the first.
func binarySearchAnyIndex(_ a: [Int64], _ x: Int64) -> Int {
    var lo = 0, hi = a.count - 1
    while lo <= hi {
        let mid = (lo + hi) / 2
        if a[mid] == x { return mid }
        if a[mid] < x { lo = mid + 1 } else { hi = mid - 1 }
    }
    return -1
}

/// Selection sort by key (unstable: the swap can jump an element over an equal key).
func selectionSortByKey(_ xs: [(Int64, Int64)]) -> [(Int64, Int64)] {
    var a = xs
    for i in a.indices {
        var m = i
        for j in (i + 1)..<a.count where a[j].0 < a[m].0 { m = j }
        a.swapAt(i, m)
    }
    return a
}

func pyOpt<T>(_ x: T?, _ f: (T) -> String = { "\($0)" }) -> String { x.map(f) ?? "None" }

/// The nineteenth batch, written by someone who had not read the shrinker:
/// problems of the kinds an allocator tool's users and a general
/// property-testing user write. An allocation trace with a big allocation
/// and two frees after it, a record whose fields only two of which
/// interact, pages of allocations, a path with a slash at one index, a
/// midpoint that wraps, binary search among duplicates, quotas in a
/// dictionary, an optional chain, the third kind of a one-of, a length
/// drawn first and an index into the list, a log whose second sync in a
/// row loses an entry, x * 0.1 * 10 != x, an unstable sort, and a 16-bit
/// total that wraps near zero.
func nineteenthBatch() -> [Problem] { [
    // An allocation trace: a big alloc (> 4096) followed, later, by two frees.
    problem("alloc_trace_big_then_two_frees",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...8192).map { TraceOp.alloc($0) },
                                     Gen.integers(in: 0...7).map { TraceOp.free($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.alloc(4097), .free(0), .free(0)] }) { ops in
        for (i, op) in ops.enumerated() {
            if case .alloc(let n) = op, n > 4096,
               ops[(i + 1)...].filter({ if case .free = $0 { return true } else { return false } }).count >= 2 {
                throw Falsified()
            }
        }
    },
    // A five-field record where only size and count interact: size * count overflows UInt16.
    problem("record_size_times_count_u16",
            Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...65535), Gen.strings(), Gen.integers(in: 0...1000),
                    Gen.integers(of: UInt8.self)),
            show: { "(\($0.0), \($0.1), \(pyString($0.2)), \($0.3), \($0.4))" },
            ideal: { $0.0 == 0 && $0.1 == 66 && $0.2 == "" && $0.3 == 993 && $0.4 == 0 }) { r in
        try check(r.1 * r.3 <= 65535)
    },
    // Pages of allocations: three non-empty pages and eight allocations in all.
    problem("pages_three_nonempty_total_8", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100))), show: pyNested,
            ideal: { $0 == [[0], [0], [0, 0, 0, 0, 0, 0]] }) { pages in
        try check(!(pages.filter { !$0.isEmpty }.count >= 3 && pages.map(\.count).reduce(0, +) >= 8))
    },
    // A path whose fourth character is a slash.
    problem("text_slash_at_index_3", Gen.strings(), show: pyString, ideal: { $0 == "000/" }) { s in
        let u = Array(s.unicodeScalars)
        try check(!(u.count >= 4 && u[3] == "/"))
    },
    // Binary search's midpoint (lo + hi) / 2 in Int16 wraps.
    problem("int16_midpoint_wraps", Gen.zip(Gen.integers(of: Int16.self), Gen.integers(of: Int16.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, 32767) }) { t in
        let (lo, hi) = t
        guard lo <= hi else { return }
        let mid = (lo &+ hi) / 2
        try check(lo <= mid && mid <= hi)
    },
    // Binary search in a sorted list returns the first occurrence (not with duplicates).
    problem("bsearch_first_of_duplicates", Gen.zip(Gen.arrays(of: Gen.integers(in: 0...100)), Gen.integers(in: 0...100)),
            show: { "(\(pyList($0.0)), \($0.1))" }, ideal: { $0.0 == [0, 0, 0] && $0.1 == 0 }) { t in
        let a = t.0.sorted()
        guard let first = a.firstIndex(of: t.1) else { return }
        try check(binarySearchAnyIndex(a, t.1) == first)
    },
    // Per-tenant quotas: the values of a dictionary sum above 1000.
    problem("dict_quota_values_over_1000",
            Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers(in: 0...1000)), show: pyDict,
            ideal: { $0 == [0: 1, 1: 1000] }) { d in try check(d.values.reduce(0, +) <= 1000) },
    // config?.limits?.maxSize above 4096.
    problem("optional_chain_max_size",
            Gen.optional(Gen.zip(Gen.booleans(),
                                 Gen.optional(Gen.zip(Gen.optional(Gen.integers(in: 0...10000)), Gen.integers(in: 0...100))))),
            show: { c in pyOpt(c) { "(\($0.0 ? "True" : "False"), \(pyOpt($0.1) { "(\(pyOpt($0.0)), \($0.1))" }))" } },
            ideal: { c in c?.0 == false && c?.1?.0 == 4097 && c?.1?.1 == 0 }) { c in
        try check((c?.1?.0 ?? 0) <= 4096)
    },
    // One of three kinds; only the third (a blob with a non-zero second byte) fails.
    problem("one_of_third_kind_blob",
            Gen.oneOf(Gen.integers(in: 0...100).map { ThreeKinds.small($0) }, Gen.booleans().map { ThreeKinds.flag($0) },
                      Gen.bytes(count: 0...64).map { ThreeKinds.blob($0) }),
            show: \.repr, ideal: { $0 == .blob([0, 1]) }) { v in
        if case .blob(let b) = v { try check(!(b.count >= 2 && b[1] != 0)) }
    },
    // A length first, then a list of that length and an index into it.
    problem("flatmap_length_then_index", Gen.integers(in: 1...20).flatMap { n in
        Gen.zip(Gen.arrays(of: Gen.integers(in: 0...100), count: Int(n)...Int(n)), Gen.integers(in: 0...(n - 1)))
    }, show: { "(\(pyList($0.0)), \($0.1))" }, ideal: { $0.0 == [0, 0, 51] && $0.1 == 2 }) { t in
        try check(!(t.1 >= 2 && t.0[Int(t.1)] > 50))
    },
    // A log whose second sync in a row (reads between are irrelevant) drops the last entry.
    machineProblem("machine_double_sync", StateMachine<(count: Int, synced: Int), DoubleSyncLog>(
        model: { (0, 0) }, system: DoubleSyncLog.init,
        rules: [
            .init("append") { model, log, step in log.append(try step.draw(Gen.ints(in: 0...9), "x")); model.count += 1 },
            .init("sync") { model, log, _ in log.sync(); model.synced = model.count },
            .init("read") { _, log, step in _ = log.read(try step.draw(Gen.ints(in: 0...9), "index")) },
        ],
        check: { model, log in try expect(model.synced == log.durable, "synced \(model.synced), durable \(log.durable)") }),
        ideal: ["append(x: 0)", "sync()", "sync()"]),
    // Scaling by 0.1 then by 10 does not round-trip.
    problem("float_tenth_times_ten", Gen.doubles(allowNaN: false, allowInfinity: false), show: pyFloat,
            ideal: { $0 == 3.0 }) { x in try check(x * 0.1 * 10 == x) },
    // Selection sort by key is not stable.
    problem("selection_sort_unstable", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...3), Gen.integers(in: 0...100))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[1, 0], [1, 1], [0, 0]] }) { xs in
        let stable = xs.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        try check(selectionSortByKey(xs).map { [$0.0, $0.1] } == stable.map { [$0.0, $0.1] })
    },
    // A UInt16 length header of a list of chunk sizes wraps to below 100.
    problem("uint16_total_wraps_near_zero", Gen.arrays(of: Gen.integers(in: 0...40000)), show: pyList,
            ideal: { $0 == [25536, 40000] }) { xs in
        let total = xs.reduce(0, +)
        try check(!(total > 65535 && UInt16(truncatingIfNeeded: total) < 100))
    },
] }
