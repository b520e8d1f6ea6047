// The 14 shrinking-challenge problems, with generators that mirror the
// Hypothesis baseline script draw for draw (same combinators, bounds,
// filters and binds), the same properties, and the same strict "ideal"
// predicates.

import PropertyTesting
import ShrinkBenchmarkSupport

/// One run of one problem.
struct RunRecord {
    let seed: UInt64
    let found: Bool
    let final: String
    let ideal: Bool
    let callsTotal: Int
    let callsFromFirstFailure: Int
    let seconds: Double
}

struct Challenge {
    let name: String
    let run: (_ seed: UInt64, _ maxExamples: Int) -> RunRecord
}

/// Wraps a problem: counts body calls like the Python script (every call;
/// the first failing call; the last failing value is the reported final).
func challenge<V>(_ name: String, _ generator: Generator<V>, show: @escaping (V) -> String,
                  ideal: @escaping (V) -> Bool, _ property: @escaping (V) throws -> Void) -> Challenge {
    Challenge(name: name) { seed, maxExamples in
        var calls = 0
        var firstFailure: Int?
        var last: V?
        let clock = ContinuousClock()
        let start = clock.now
        // The first failure alone, as the Hypothesis twins run
        // (`report_multiple_bugs=False`): the calls counted are the search's
        // and that failure's shrink, and the last failing value is its minimum.
        let configuration = PropertyConfiguration(maxExamples: maxExamples, seed: seed, reportMultipleFailures: false)
        _ = checkProperty(name, generator, configuration: configuration) { value in
            calls += 1
            do {
                try property(value)
            } catch let failure as Falsified {
                if firstFailure == nil { firstFailure = calls }
                last = value
                throw failure
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        guard let last, let firstFailure else {
            return RunRecord(seed: seed, found: false, final: "", ideal: false, callsTotal: calls, callsFromFirstFailure: 0, seconds: seconds)
        }
        return RunRecord(seed: seed, found: true, final: show(last), ideal: ideal(last), callsTotal: calls,
                         callsFromFirstFailure: calls - firstFailure + 1, seconds: seconds)
    }
}

// MARK: Printing values the way Python's repr does

func pyList(_ xs: [Int64]) -> String { "[" + xs.map(String.init).joined(separator: ", ") + "]" }
func pyList(_ xss: [[Int64]]) -> String { "[" + xss.map(pyList).joined(separator: ", ") + "]" }

// MARK: Problem helpers

func wrap16(_ v: Int64) -> Int64 { ((v + 32768) % 65536 + 65536) % 65536 - 32768 }
func sum16(_ xs: [Int64]) -> Int64 { xs.reduce(0) { wrap16($0 + $1) } }

indirect enum Expr: Equatable {
    case literal(Int64)
    case add(Expr, Expr)
    case div(Expr, Expr)

    var repr: String {
        switch self {
        case .literal(let v): return String(v)
        case .add(let a, let b): return "('+', \(a.repr), \(b.repr))"
        case .div(let a, let b): return "('/', \(a.repr), \(b.repr))"
        }
    }

    /// No division has a literal 0 divisor.
    var divSubterms: Bool {
        switch self {
        case .literal: return true
        case .add(let a, let b): return a.divSubterms && b.divSubterms
        case .div(let a, let b): return b != .literal(0) && a.divSubterms && b.divSubterms
        }
    }

    /// Python semantics: unbounded integers (Int128 is ample for 8192 choices), floor division.
    func evaluate() throws -> Int128 {
        switch self {
        case .literal(let v): return Int128(v)
        case .add(let a, let b): return try a.evaluate() + b.evaluate()
        case .div(let a, let b):
            let n = try a.evaluate(), d = try b.evaluate()
            try check(d != 0)
            var q = n / d
            if n % d != 0 && ((n < 0) != (d < 0)) { q -= 1 }
            return q
        }
    }
}

func expression() -> Generator<Expr> {
    Gen.lazy {
        Gen.oneOf(
            Gen.integers().map { Expr.literal($0) },
            Gen.zip(Gen.just("+"), expression(), expression()).map { Expr.add($0.1, $0.2) },
            Gen.zip(Gen.just("/"), expression(), expression()).map { Expr.div($0.1, $0.2) }
        )
    }.labeled("expression")
}

indirect enum Heap: Equatable {
    case empty
    case node(Int64, Heap, Heap)

    var repr: String {
        switch self {
        case .empty: return "None"
        case .node(let k, let l, let r): return "(\(k), \(l.repr), \(r.repr))"
        }
    }
}

func heap1(bound: Int64?, size: Int64) -> Generator<Heap> {
    Generator(label: "heap1") { tc in
        let branch = try tc.draw(Gen.integers(in: 1...8))
        if branch == 1 || size <= 0 { return .empty }
        var key = Gen.integers()
        if let bound { key = key.filter { $0 >= bound } }
        let head = try tc.draw(key)
        let childSize = size / 2
        return .node(head, try tc.draw(heap1(bound: head, size: childSize)), try tc.draw(heap1(bound: head, size: childSize)))
    }
}

let heap = Generator<Heap>(label: "heap") { tc in
    try tc.draw(heap1(bound: nil, size: tc.draw(Gen.integers(in: 0...20))))
}

func toList(_ h: Heap) -> [Int64] {
    var result: [Int64] = [], stack = [h]
    while let top = stack.popLast() {
        guard case .node(let k, let l, let r) = top else { continue }
        result.append(k)
        stack.append(l)
        stack.append(r)
    }
    return result
}

func mergeHeaps(_ h1: Heap, _ h2: Heap) -> Heap {
    guard case .node(let k1, let l1, let r1) = h1 else { return h2 }
    guard case .node(let k2, let l2, let r2) = h2 else { return h1 }
    if k1 <= k2 { return .node(k1, mergeHeaps(r1, h2), l1) }
    return .node(k2, mergeHeaps(r2, h1), l2)
}

func wrongToSortedList(_ h: Heap) -> [Int64] {
    guard case .node(let k, let l, let r) = h else { return [] }
    return [k] + toList(mergeHeaps(l, r))
}

// MARK: The problems

let int16s = Gen.integers(in: -32768...32767)
func boundedLists(maxCount: Int = .max) -> Generator<[Int64]> {
    Gen.arrays(of: int16s, count: 0...maxCount).filter { sum16($0) < 256 }
}
typealias Five = ([Int64], [Int64], [Int64], [Int64], [Int64])
func showFive(_ p: Five) -> String { "(\(pyList(p.0)), \(pyList(p.1)), \(pyList(p.2)), \(pyList(p.3)), \(pyList(p.4)))" }
func propBound5(_ p: Five) throws { try check(sum16(p.0 + p.1 + p.2 + p.3 + p.4) < 5 * 256) }
func bound5Ideal(_ p: Five) -> Bool { p.0 == [] && p.1 == [] && p.2 == [] && p.3 == [-1] && p.4 == [-32768] }
typealias Pair = (Int64, Int64)
let positivePairs = Gen.zip(Gen.integers(in: 1...Int64.max), Gen.integers(in: 1...Int64.max))
func showPair(_ t: Pair) -> String { "(\(t.0), \(t.1))" }
func magnitude(_ d: Int64) -> UInt64 { d.magnitude }

func allChallenges() -> [Challenge] { [
    challenge("reverse", Gen.arrays(of: Gen.integers()), show: pyList, ideal: { $0 == [0, 1] }) { ls in
        try check(ls == ls.reversed())
    },
    challenge("bound5", Gen.zip(boundedLists(), boundedLists(), boundedLists(), boundedLists(), boundedLists()),
              show: showFive, ideal: bound5Ideal, propBound5),
    challenge("bound5_max1", Gen.zip(boundedLists(maxCount: 1), boundedLists(maxCount: 1), boundedLists(maxCount: 1),
                                     boundedLists(maxCount: 1), boundedLists(maxCount: 1)),
              show: showFive, ideal: bound5Ideal, propBound5),
    challenge("large_union_list", Gen.arrays(of: Gen.arrays(of: Gen.integers())), show: pyList,
              ideal: { $0 == [[0, 1, -1, 2, -2]] }) { ls in
        var all: [Int64] = []
        for x in ls { for v in x where !all.contains(v) { all.append(v) } }
        try check(all.count < 5)
    },
    challenge("lengthlist", Gen.integers(in: 1...100).flatMap { n in Gen.arrays(of: Gen.integers(in: 0...1000), count: Int(n)...Int(n)) },
              show: pyList, ideal: { $0 == [900] }) { ls in
        try check(ls.max()! < 900)
    },
    challenge("difference_must_not_be_zero", positivePairs, show: showPair, ideal: { $0 == (10, 10) }) { t in
        if t.0 < 10 { return }
        try check(t.0 != t.1)
    },
    challenge("difference_must_not_be_small", positivePairs, show: showPair, ideal: { $0 == (10, 6) }) { t in
        if t.0 < 10 { return }
        let d = magnitude(t.0 - t.1)  // both >= 1, so no overflow
        try check(!(1 <= d && d <= 4))
    },
    challenge("difference_must_not_be_one", positivePairs, show: showPair, ideal: { $0 == (10, 9) }) { t in
        if t.0 < 10 { return }
        try check(magnitude(t.0 - t.1) != 1)
    },
    challenge("distinct", Gen.arrays(of: Gen.integers()), show: pyList, ideal: { $0 == [0, 1, -1] }) { ls in
        var distinct: [Int64] = []
        for v in ls where !distinct.contains(v) { distinct.append(v) }
        try check(distinct.count < 3)
    },
    challenge("nestedlists", Gen.arrays(of: Gen.arrays(of: Gen.just(Int64(0)))), show: pyList,
              ideal: { $0 == [[Int64](repeating: 0, count: 11)] }) { ls in
        try check(ls.reduce(0) { $0 + $1.count } <= 10)
    },
    challenge("deletion", Gen.zip(Gen.arrays(of: Gen.integers()), Gen.integers(in: 0...10)),
              show: { "(\(pyList($0.0)), \($0.1))" }, ideal: { $0.0 == [0, 0] && $0.1 == 0 }) { t in
        let (ls, i) = t
        try assume(i < ls.count)
        var rest = ls
        let x = rest[Int(i)]
        rest.remove(at: rest.firstIndex(of: x)!)
        try check(!rest.contains(x))
    },
    challenge("calculator", expression(), show: { $0.repr },
              ideal: { $0 == .div(.literal(0), .add(.literal(0), .literal(0))) }) { e in
        try assume(e.divSubterms)
        _ = try e.evaluate()
    },
    challenge("coupling", Gen.arrays(of: Gen.integers(in: 0...10)), show: pyList, ideal: { $0 == [1, 0] }) { ls in
        try assume(ls.allSatisfy { $0 < ls.count })
        for (i, j) in ls.enumerated() where Int64(i) != j {
            try check(ls[Int(j)] != Int64(i))
        }
    },
    challenge("binheap", heap, show: { $0.repr },
              ideal: { $0 == .node(0, .empty, .node(0, .node(0, .empty, .empty), .node(1, .empty, .empty))) }) { h in
        let l1 = toList(h)
        let l2 = wrongToSortedList(h)
        try check(l2 == l2.sorted())
        try check(l1.sorted() == l2)
    },
] }
