// The shrink-quality problems: ones the engine was not tuned on, of the
// kinds other libraries' shrink-quality suites use. Each has a generator, a
// property, a printer and the expected minimum in this engine's simplicity
// order; `Benchmarks/hypothesis/shrink_quality.py` states the same problems
// for Hypothesis, with its own expected minima where its order differs.

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
    let budgetExhausted: Bool
}

/// Set by `--log-calls`: print every body call from the first failure on,
/// with its outcome, to see where a shrink spends its calls.
nonisolated(unsafe) var logCalls = false

/// The configuration of every problem: the first failure alone, as the
/// Hypothesis twins run (`report_multiple_bugs=False`), so the calls counted
/// are the search's and that failure's shrink, and the final is its minimum.
func benchmarkConfiguration(_ maxExamples: Int, _ seed: UInt64) -> PropertyConfiguration {
    PropertyConfiguration(maxExamples: maxExamples, seed: seed, reportMultipleFailures: false)
}

struct Problem {
    let name: String
    let run: (_ seed: UInt64, _ maxExamples: Int) -> RunRecord
}

/// A generator property: counts body calls (every call; the first failing
/// call; the last failing value is the reported final, as in the Python script).
func problem<V>(_ name: String, _ generator: Generator<V>, show: @escaping (V) -> String = { "\($0)" },
                ideal: @escaping (V) -> Bool, _ property: @escaping (V) throws -> Void) -> Problem {
    Problem(name: name) { seed, maxExamples in
        var calls = 0
        var firstFailure: Int?
        var last: V?
        let report = checkProperty(name, generator, configuration: benchmarkConfiguration(maxExamples, seed)) { value in
            calls += 1
            do {
                try property(value)
                if logCalls, firstFailure != nil { print("  \(calls) pass  \(show(value))") }
            } catch let failure as Falsified {
                if firstFailure == nil { firstFailure = calls }
                last = value
                if logCalls { print("  \(calls) FAIL  \(show(value))") }
                throw failure
            }
        }
        guard let last, let firstFailure else {
            return RunRecord(seed: seed, found: false, final: "", ideal: false, callsTotal: calls, callsFromFirstFailure: 0,
                             budgetExhausted: false)
        }
        return RunRecord(seed: seed, found: true, final: show(last), ideal: ideal(last), callsTotal: calls,
                         callsFromFirstFailure: calls - firstFailure + 1,
                         budgetExhausted: report.counterexample?.budgetExhausted ?? false)
    }
}

/// A state machine: one call is one whole run of steps; the final is its step list.
func machineProblem<M, S>(_ name: String, _ machine: StateMachine<M, S>, ideal: [String]) -> Problem {
    Problem(name: name) { seed, maxExamples in
        var calls = 0
        var firstFailure: Int?
        var last: [String] = []
        let report = checkProperty(name, configuration: benchmarkConfiguration(maxExamples, seed)) { tc in
            calls += 1
            do {
                try machine.run(tc)
                if logCalls, firstFailure != nil { print("  \(calls) pass  \(tc.notes.joined(separator: "; "))") }
            } catch let failure as ModelDisagreement {
                if firstFailure == nil { firstFailure = calls }
                last = tc.notes
                if logCalls { print("  \(calls) FAIL  \(tc.notes.joined(separator: "; "))") }
                throw failure
            } catch {
                if logCalls, firstFailure != nil { print("  \(calls) other: \(error)  \(tc.notes.joined(separator: "; "))") }
                throw error
            }
        }
        guard let firstFailure else {
            return RunRecord(seed: seed, found: false, final: "", ideal: false, callsTotal: calls, callsFromFirstFailure: 0,
                             budgetExhausted: false)
        }
        return RunRecord(seed: seed, found: true, final: last.joined(separator: "; "), ideal: last == ideal, callsTotal: calls,
                         callsFromFirstFailure: calls - firstFailure + 1,
                         budgetExhausted: report.counterexample?.budgetExhausted ?? false)
    }
}

// MARK: Printing values the way Python's repr does

func pyList<T>(_ xs: [T]) -> String { "[" + xs.map { "\($0)" }.joined(separator: ", ") + "]" }
func pyNested(_ xss: [[Int64]]) -> String { "[" + xss.map(pyList).joined(separator: ", ") + "]" }
/// A string as the Python twins print it: controls and Latin-1 past ASCII
/// as `\x..`; with `asciiOnly`, as Python's `ascii()` does, every scalar
/// past Latin-1 escaped too (`\u0301`).
func pyString(_ s: String) -> String { pyString(s, asciiOnly: false) }
func pyString(_ s: String, asciiOnly: Bool) -> String {
    func hex(_ v: UInt32, _ width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    var out = "'"
    for u in s.unicodeScalars {
        switch u.value {
        case 0x27: out += "\\'"
        case 0x5C: out += "\\\\"
        case 0x20...0x7E: out.unicodeScalars.append(u)
        case 0..<0x100: out += "\\x" + hex(u.value, 2)
        case 0..<0x10000 where asciiOnly: out += "\\u" + hex(u.value, 4)
        default: out += asciiOnly ? "\\U" + hex(u.value, 8) : String(u)
        }
    }
    return out + "'"
}
func pyBytes(_ b: [UInt8]) -> String {
    "b'" + b.map { x -> String in
        switch x {
        case 0x27: return "\\'"
        case 0x5C: return "\\\\"
        case 0x20...0x7E: return String(UnicodeScalar(x))
        default: return "\\x" + (x < 16 ? "0" : "") + String(x, radix: 16)
        }
    }.joined() + "'"
}
func pyFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    if d == d.rounded(), d.magnitude < 1e16 { return String(Int64(d)) + ".0" }
    return "\(d)"
}
func pyDict(_ d: [Int64: Int64]) -> String {
    "{" + d.keys.sorted().map { "\($0): \(d[$0]!)" }.joined(separator: ", ") + "}"
}
func pySet(_ s: Set<Int64>) -> String { s.isEmpty ? "set()" : "{" + s.sorted().map(String.init).joined(separator: ", ") + "}" }

// MARK: Recursive data

indirect enum Tree: Equatable {
    case leaf(Int64)
    case node(Tree, Tree)

    var depth: Int { if case .node(let l, let r) = self { return 1 + max(l.depth, r.depth) } else { return 1 } }
    var leaves: [Int64] { if case .node(let l, let r) = self { return l.leaves + r.leaves } else if case .leaf(let v) = self { return [v] } else { return [] } }
    var repr: String {
        switch self {
        case .leaf(let v): return String(v)
        case .node(let l, let r): return "(\(l.repr), \(r.repr))"
        }
    }
}

func trees(_ leaf: Generator<Int64>) -> Generator<Tree> {
    Gen.recursive(maxDepth: 8, label: "tree", base: leaf.map { Tree.leaf($0) }) { inner in
        Gen.zip(inner, inner).map { Tree.node($0.0, $0.1) }
    }
}

// MARK: State machines

/// A counter whose increment misbehaves when the value is 3.
final class CounterAt3 {
    private(set) var value = 0
    func increment() { value += value == 3 ? 2 : 1 }
    func decrement() { value -= 1 }
    func add(_ n: Int) { value += n }
}

/// A stack whose pop goes wrong exactly when it holds two values.
final class TwoDeepStack {
    private(set) var items: [Int] = []
    func push(_ x: Int) { items.append(x) }
    func pop() throws -> Int {
        if items.count == 2 { throw PropertyFailure("pop at depth 2") }
        return items.removeLast()
    }
}

/// An allocator that loses track when a block is freed while two others are live.
final class TinyAllocator {
    private var live: [Int: Int] = [:]   // probed only
    private var next = 0
    private var count = 0
    func alloc(_ size: Int) -> Int { next += 1; live[next] = size; count += 1; return next }
    func free(_ handle: Int) throws {
        if count == 3 { throw PropertyFailure("free with three blocks live") }
        live[handle] = nil
        count -= 1
    }
}

// MARK: The second batch's values and systems

extension IntOrText {
    /// As Python prints the element of a mixed list: `10`, `'00'`.
    var plainRepr: String {
        switch self {
        case .int(let x): return String(x)
        case .text(let t): return pyString(t)
        }
    }
}

struct Pair: Hashable {
    let a: Int64
    let b: Int64
}

func pyPairSet(_ s: Set<Pair>) -> String {
    s.isEmpty ? "set()" : "{" + s.sorted { ($0.a, $0.b) < ($1.a, $1.b) }.map { "(\($0.a), \($0.b))" }.joined(separator: ", ") + "}"
}

indirect enum NestedList: Equatable {
    case leaf(Int64)
    case list([NestedList])

    var depth: Int { if case .list(let xs) = self { return 1 + (xs.map(\.depth).max() ?? 0) } else { return 0 } }
    var repr: String {
        switch self {
        case .leaf(let v): return String(v)
        case .list(let xs): return "[" + xs.map(\.repr).joined(separator: ", ") + "]"
        }
    }
}

let nestedLists: Generator<NestedList> = Gen.recursive(maxDepth: 8, label: "nested", base: Gen.integers(in: 0...10).map { NestedList.leaf($0) }) { inner in
    Gen.arrays(of: inner).map { NestedList.list($0) }
}

/// A hash map with a bucket count set when it is opened; deleting from a
/// bucket that holds more than one entry forgets to lower its count.
final class BucketStore {
    private var buckets: [[(key: Int, value: Int)]] = []
    private(set) var count = 0
    func open(buckets n: Int) { buckets = Array(repeating: [], count: n) }
    func put(_ key: Int, _ value: Int) {
        let b = key % buckets.count
        if let i = buckets[b].firstIndex(where: { $0.key == key }) { buckets[b][i].value = value; return }
        buckets[b].append((key, value))
        count += 1
    }
    func delete(_ key: Int) {
        let b = key % buckets.count
        guard let i = buckets[b].firstIndex(where: { $0.key == key }) else { return }
        if buckets[b].count == 1 { count -= 1 }
        buckets[b].remove(at: i)
    }
    func get(_ key: Int) -> Int? { buckets[key % buckets.count].first { $0.key == key }?.value }
}


// MARK: The third batch's values and systems

func pySetOfSets(_ s: Set<Set<Int64>>) -> String {
    func inner(_ x: Set<Int64>) -> String { x.isEmpty ? "frozenset()" : "frozenset({" + x.sorted().map(String.init).joined(separator: ", ") + "})" }
    let sorted = s.map { $0.sorted() }.sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
        .map { Set($0) }
    return s.isEmpty ? "set()" : "{" + sorted.map(inner).joined(separator: ", ") + "}"
}

enum IntBoolOrList: Equatable {
    case int(Int64)
    case bool(Bool)
    case list([Int64])
    var repr: String {
        switch self {
        case .int(let x): return "('int', \(x))"
        case .bool(let b): return "('bool', \(b ? "True" : "False"))"
        case .list(let xs): return "('list', \(pyList(xs)))"
        }
    }
}

/// One-of with a one-of inside it; the list is the second alternative's second.
let nestedOneOf = Gen.oneOf(Gen.integers(in: 0...100).map { IntBoolOrList.int($0) },
                            Gen.oneOf(Gen.booleans().map { IntBoolOrList.bool($0) },
                                      Gen.arrays(of: Gen.integers(in: 0...100)).map { IntBoolOrList.list($0) }))

/// A map whose put keeps the first value written to a key.
final class FirstWriteMap {
    private(set) var entries: [Int: Int] = [:]
    func put(_ key: Int, _ value: Int) { if entries[key] == nil { entries[key] = value } }
    func delete(_ key: Int) { entries[key] = nil }
}

/// A queue that hands out the most recent value: right only while it holds one.
final class LastInQueue {
    private var items: [Int] = []
    func enqueue(_ x: Int) { items.append(x) }
    func dequeue() -> Int { items.removeLast() }
}

/// An allocator that reuses the last freed block for any size.
final class ReusingAllocator {
    private var sizes: [Int: Int] = [:]
    private var freed: [Int] = []
    private var next = 0
    func alloc(_ size: Int) throws -> Int {
        if let handle = freed.popLast() {
            if sizes[handle]! < size { throw PropertyFailure("block \(handle) of \(sizes[handle]!) reused for \(size)") }
            return handle
        }
        next += 1
        sizes[next] = size
        return next
    }
    func free(_ handle: Int) { freed.append(handle) }
}

/// An account that lets a balance of 50 or more go one below zero.
final class LenientAccount {
    private(set) var balance = 0
    func deposit(_ amount: Int) { balance += amount }
    /// Whether the withdrawal went ahead.
    func withdraw(_ amount: Int) -> Bool {
        let limit = balance >= 50 ? balance + 1 : balance
        guard amount <= limit else { return false }
        balance -= amount
        return true
    }
}

/// A set whose count drops when a value it does not hold is removed.
final class MiscountingSet {
    private var items: Set<Int> = []
    private(set) var count = 0
    func insert(_ x: Int) { if items.insert(x).inserted { count += 1 } }
    func remove(_ x: Int) { if items.remove(x) != nil || count > 0 { count -= 1 } }
}

/// A free-list allocator that pushes a freed block of more than 32 bytes twice.
final class DoublePushAllocator {
    private var freeList: [Int] = []
    private var sizes: [Int: Int] = [:]
    private var top = 0
    func alloc(_ size: Int) -> Int {
        let address: Int
        if let reused = freeList.popLast() { address = reused } else { address = top; top += 64 }
        sizes[address] = size
        return address
    }
    func free(_ address: Int) {
        freeList.append(address)
        if sizes[address, default: 0] > 32 { freeList.append(address) }
    }
}

/// A stack allocator whose free of any block moves the top back to it (right
/// only for the newest block).
final class RewindingStackAllocator {
    private var top = 0
    func alloc(_ size: Int) -> Int {
        defer { top += size }
        return top
    }
    func free(_ address: Int) { top = address }
}

/// A two-entry least-recently-used cache whose get does not refresh the entry read.
final class StaleLRU {
    private(set) var keys: [Int] = []
    func put(_ key: Int) {
        keys.removeAll { $0 == key }
        keys.append(key)
        if keys.count > 2 { keys.removeFirst() }
    }
    func get(_ key: Int) -> Bool { keys.contains(key) }
}
