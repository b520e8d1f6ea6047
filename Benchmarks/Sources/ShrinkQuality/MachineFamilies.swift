// State machines whose constants are drawn from a fixed seed
// (`shrink-quality --machine-families`): a counter that misbehaves at K, a
// stack that loses the element pushed at depth K, a ring buffer of capacity
// K that overwrites its oldest entry, an account that applies a withdrawal
// above a limit twice, a set that forgets its K-th distinct insert, a bump
// allocator off by one from a drawn total, an LRU cache of capacity K that
// evicts its newest entry. Each machine is stated once as a list of rules
// (name, precondition on the model, integer arguments, and a body over
// model and system); the same list builds the `StateMachine` and drives a
// brute-force search for the least failing run in the engine's order: per
// step [another step? = true, rule index among the enabled rules, the
// arguments' ranks], shortlex over the whole sequence. Their Hypothesis
// twins are `Benchmarks/hypothesis/machine_families.py`.

import PropertyTesting
import ShrinkBenchmarkSupport

/// One rule: arguments are integers drawn with `Gen.ints(in:)`, in order.
struct SpecRule<M, S> {
    let name: String
    var precondition: (M) -> Bool = { _ in true }
    var args: [(label: String, range: ClosedRange<Int>)] = []
    let body: (inout M, inout S, [Int]) throws -> Void
}

struct MachineSpec<M, S> {
    let model: M
    let system: S
    let rules: [SpecRule<M, S>]
    var check: (M, S) throws -> Void = { _, _ in }

    var stateMachine: StateMachine<M, S> {
        let m = model, s = system
        return StateMachine<M, S>(
            model: { m }, system: { s },
            rules: rules.map { rule in
                StateMachine<M, S>.Rule.mutating(rule.name, precondition: rule.precondition) { model, system, step in
                    var values: [Int] = []
                    for a in rule.args { values.append(try step.draw(Gen.ints(in: a.range), a.label)) }
                    try rule.body(&model, &system, values)
                }
            },
            check: check)
    }

    static func line(_ rule: SpecRule<M, S>, _ values: [Int]) -> String {
        rule.name + "(" + zip(rule.args, values).map { "\($0.0.label): \($0.1)" }.joined(separator: ", ") + ")"
    }

    /// The least failing run (its step lines) in the engine's order; `key`
    /// must determine everything the future of a run depends on.
    func leastFailing<K: Hashable>(key: (M, S) -> K, maxLength: Int = 400) -> [String] {
        var memo: [MemoKey<K>: Bool] = [:]
        // The steps from (m, s) in the engine's order: rule index among the
        // enabled, then the arguments lexicographically by rank (every range
        // here is simplest at its lower bound).
        func children(_ m: M, _ s: S, _ visit: (String, Int, (M, S)?) -> Bool) {
            let enabled = rules.filter { $0.precondition(m) }
            for rule in enabled {
                let cost = 2 + rule.args.count
                var values = rule.args.map { $0.range.lowerBound }
                while true {
                    var m2 = m, s2 = s
                    var next: (M, S)? = nil
                    do { try rule.body(&m2, &s2, values); try check(m2, s2); next = (m2, s2) } catch {}
                    if visit(Self.line(rule, values), cost, next) { return }
                    // next argument tuple, lexicographically
                    var i = values.count - 1
                    while i >= 0 && values[i] == rule.args[i].range.upperBound { values[i] = rule.args[i].range.lowerBound; i -= 1 }
                    if i < 0 { break }
                    values[i] += 1
                }
            }
        }
        func feasible(_ m: M, _ s: S, _ left: Int) -> Bool {
            if left < 2 { return false }
            let mk = MemoKey<K>(k: key(m, s), left: left)
            if let v = memo[mk] { return v }
            var found = false
            children(m, s) { _, cost, next in
                guard cost <= left else { return false }
                if let next { found = feasible(next.0, next.1, left - cost) } else { found = cost == left }
                return found
            }
            memo[mk] = found
            return found
        }
        for length in 2...maxLength where feasible(model, system, length) {
            var (m, s, left) = (model, system, length)
            var lines: [String] = []
            while true {
                var chosen: (String, Int, (M, S)?)? = nil
                children(m, s) { line, cost, next in
                    guard cost <= left else { return false }
                    let ok = next.map { feasible($0.0, $0.1, left - cost) } ?? (cost == left)
                    if ok { chosen = (line, cost, next) }
                    return ok
                }
                guard let c = chosen else { fatalError("brute force lost its way") }
                lines.append(c.0)
                left -= c.1
                guard let next = c.2 else { break }
                (m, s) = next
            }
            precondition(lines.count <= 50, "the least run is longer than maxSteps")
            return lines
        }
        fatalError("no failing run up to \(maxLength) choices")
    }
}

struct MemoKey<K: Hashable>: Hashable { let k: K; let left: Int }

/// Values relabelled in order of first appearance (the machines compare them only for equality).
func relabel(_ lists: [[Int]]) -> [[Int]] {
    var map: [Int: Int] = [:]
    return lists.map { $0.map { v in if let r = map[v] { return r }; let r = map.count; map[v] = r; return r } }
}

// MARK: The systems (each bug parameterised by a drawn constant)

struct MisIncrementingCounter: Hashable {
    let k: Int
    var value = 0
    mutating func increment() { value += value == k ? 2 : 1 }
    mutating func decrement() { value -= 1 }
    mutating func add(_ n: Int) { value += n }
}

struct LosingStack: Hashable {
    let k: Int   // the element pushed at depth k (1 = bottom) is lost
    var items: [Int] = []
    mutating func push(_ x: Int) { if items.count != k - 1 { items.append(x) } }
    mutating func pop() -> Int? { items.popLast() }
}

struct OverwritingRingBuffer: Hashable {
    var slots: [Int]
    var head = 0, count = 0
    init(capacity: Int) { slots = Array(repeating: 0, count: capacity) }
    /// Meant to refuse when full; overwrites the oldest entry instead.
    mutating func push(_ x: Int) {
        if count == slots.count {
            slots[head] = x
            head = (head + 1) % slots.count
        } else {
            slots[(head + count) % slots.count] = x
            count += 1
        }
    }
    mutating func pop() -> Int? {
        guard count > 0 else { return nil }
        defer { head = (head + 1) % slots.count; count -= 1 }
        return slots[head]
    }
    var contents: [Int] { (0..<count).map { slots[(head + $0) % slots.count] } }
}

struct DoubleChargingAccount: Hashable {
    let limit: Int
    var balance = 0
    mutating func deposit(_ amount: Int) { balance += amount }
    mutating func withdraw(_ amount: Int) -> Bool {
        guard amount <= balance else { return false }
        balance -= amount
        if amount > limit { balance -= amount }
        return true
    }
}

struct ForgetfulSet: Hashable {
    let k: Int   // the k-th distinct insert is dropped
    var items: Set<Int> = []
    var inserts = 0
    mutating func insert(_ x: Int) {
        guard !items.contains(x) else { return }
        inserts += 1
        if inserts == k { return }
        items.insert(x)
    }
    mutating func remove(_ x: Int) { items.remove(x) }
    func contains(_ x: Int) -> Bool { items.contains(x) }
}

struct OffByOneBump: Hashable {
    let arena: Int, threshold: Int
    var top = 0
    mutating func alloc(_ size: Int) -> Int? {
        guard top + size <= arena else { return nil }
        let address = top
        top += top + size >= threshold ? size - 1 : size
        return address
    }
    mutating func reset() { top = 0 }
}

struct NewestEvictingLRU: Hashable {
    let capacity: Int
    var keys: [Int] = []   // oldest first
    mutating func put(_ key: Int) {
        if let i = keys.firstIndex(of: key) { keys.remove(at: i) } else if keys.count == capacity { keys.removeLast() }
        keys.append(key)
    }
    mutating func get(_ key: Int) -> Bool {
        guard let i = keys.firstIndex(of: key) else { return false }
        keys.append(keys.remove(at: i))
        return true
    }
}

// MARK: The machines

func counterSpec(_ k: Int) -> MachineSpec<Int, MisIncrementingCounter> {
    MachineSpec(model: 0, system: MisIncrementingCounter(k: k), rules: [
        SpecRule(name: "increment") { m, c, _ in m += 1; c.increment() },
        SpecRule(name: "decrement", precondition: { $0 > 0 }) { m, c, _ in m -= 1; c.decrement() },
        SpecRule(name: "add", args: [("n", 0...10)]) { m, c, a in m += a[0]; c.add(a[0]) },
    ], check: { m, c in try expect(m == c.value, "model \(m), counter \(c.value)") })
}

func stackSpec(_ k: Int) -> MachineSpec<[Int], LosingStack> {
    MachineSpec(model: [], system: LosingStack(k: k), rules: [
        SpecRule(name: "push", args: [("x", 0...100)]) { m, s, a in m.append(a[0]); s.push(a[0]) },
        SpecRule(name: "pop", precondition: { !$0.isEmpty }) { m, s, _ in
            let expected = m.removeLast(), got = s.pop()
            try expect(got == expected, "pop() gave \(String(describing: got)), expected \(expected)")
        },
    ])
}

func ringSpec(_ k: Int) -> MachineSpec<[Int], OverwritingRingBuffer> {
    MachineSpec(model: [], system: OverwritingRingBuffer(capacity: k), rules: [
        SpecRule(name: "push", args: [("x", 0...100)]) { m, r, a in if m.count < k { m.append(a[0]) }; r.push(a[0]) },
        SpecRule(name: "pop", precondition: { !$0.isEmpty }) { m, r, _ in
            let expected = m.removeFirst(), got = r.pop()
            try expect(got == expected, "pop() gave \(String(describing: got)), expected \(expected)")
        },
    ])
}

func bankSpec(_ t: Int) -> MachineSpec<Int, DoubleChargingAccount> {
    MachineSpec(model: 0, system: DoubleChargingAccount(limit: t), rules: [
        SpecRule(name: "deposit", args: [("amount", 0...50)]) { m, acct, a in m += a[0]; acct.deposit(a[0]) },
        SpecRule(name: "withdraw", args: [("amount", 0...200)]) { m, acct, a in
            let allowed = a[0] <= m
            if allowed { m -= a[0] }
            try expect(acct.withdraw(a[0]) == allowed, "withdraw(\(a[0]))")
        },
    ], check: { m, acct in try expect(m == acct.balance, "model \(m), balance \(acct.balance)") })
}

func setSpec(_ k: Int) -> MachineSpec<Set<Int>, ForgetfulSet> {
    MachineSpec(model: [], system: ForgetfulSet(k: k), rules: [
        SpecRule(name: "insert", args: [("x", 0...20)]) { m, s, a in m.insert(a[0]); s.insert(a[0]) },
        SpecRule(name: "remove", args: [("x", 0...20)]) { m, s, a in m.remove(a[0]); s.remove(a[0]) },
        SpecRule(name: "contains", args: [("x", 0...20)]) { m, s, a in
            try expect(s.contains(a[0]) == m.contains(a[0]), "contains(\(a[0]))")
        },
    ])
}

func bumpSpec(arena: Int, threshold: Int) -> MachineSpec<Int, OffByOneBump> {
    MachineSpec(model: 0, system: OffByOneBump(arena: arena, threshold: threshold), rules: [
        SpecRule(name: "alloc", args: [("size", 1...64)]) { top, b, a in
            let expected: Int? = top + a[0] <= arena ? top : nil
            if expected != nil { top += a[0] }
            let got = b.alloc(a[0])
            try expect(got == expected, "alloc(\(a[0])) gave \(String(describing: got)), expected \(String(describing: expected))")
        },
        SpecRule(name: "reset") { top, b, _ in top = 0; b.reset() },
    ])
}

func lruSpec(_ k: Int) -> MachineSpec<[Int], NewestEvictingLRU> {
    MachineSpec(model: [], system: NewestEvictingLRU(capacity: k), rules: [
        SpecRule(name: "put", args: [("key", 0...9)]) { m, c, a in
            m.removeAll { $0 == a[0] }
            m.append(a[0])
            if m.count > k { m.removeFirst() }
            c.put(a[0])
        },
        SpecRule(name: "get", args: [("key", 0...9)]) { m, c, a in
            let hit = m.contains(a[0])
            if hit { m.removeAll { $0 == a[0] }; m.append(a[0]) }
            try expect(c.get(a[0]) == hit, "get(\(a[0]))")
        },
    ])
}

struct BumpKey: Hashable { let a: Int, b: Int }
struct SetKey: Hashable { let both: Int, modelOnly: Int, systemOnly: Int, inserts: Int }

/// (name, ideal, problem) for every instance, in drawing order.
func machineFamilyInstances() -> [(name: String, ideal: [String], problem: Problem)] {
    var k = Constants(state: 20240917)
    var out: [(name: String, ideal: [String], problem: Problem)] = []
    func add<M, S, K: Hashable>(_ name: String, _ spec: MachineSpec<M, S>, key: (M, S) -> K) {
        let ideal = spec.leastFailing(key: key)
        out.append((name, ideal, machineProblem(name, spec.stateMachine, ideal: ideal)))
    }
    for n in 0..<5 {
        let kk = k.drawInt(1...60)
        add("mf_counter_\(n)_at\(kk)", counterSpec(kk)) { m, c in BumpKey(a: m, b: c.value) }
    }
    for n in 0..<4 {
        let kk = k.drawInt(1...8)
        add("mf_stack_\(n)_loses\(kk)", stackSpec(kk)) { m, s in relabel([m, [-1], s.items]) }
    }
    for n in 0..<4 {
        let kk = k.drawInt(1...6)
        add("mf_ring_\(n)_cap\(kk)", ringSpec(kk)) { m, r in relabel([m, [-1], r.contents]) }
    }
    for n in 0..<4 {
        let t = k.drawInt(1...150)
        add("mf_bank_\(n)_limit\(t)", bankSpec(t)) { m, acct in BumpKey(a: m, b: acct.balance) }
    }
    for n in 0..<4 {
        let kk = k.drawInt(1...8)
        add("mf_set_\(n)_forgets\(kk)", setSpec(kk)) { m, s in
            SetKey(both: m.intersection(s.items).count, modelOnly: m.subtracting(s.items).count,
                   systemOnly: s.items.subtracting(m).count, inserts: min(s.inserts, kk))
        }
    }
    for n in 0..<5 {
        let t = k.drawInt(10...400), arena = t + k.drawInt(0...200)
        add("mf_bump_\(n)_arena\(arena)_at\(t)", bumpSpec(arena: arena, threshold: t)) { m, b in BumpKey(a: m, b: b.top) }
    }
    for n in 0..<4 {
        let kk = k.drawInt(2...5)
        add("mf_lru_\(n)_cap\(kk)", lruSpec(kk)) { m, c in relabel([m, [-1], c.keys]) }
    }
    return out
}

func machineFamilies() -> [Problem] { machineFamilyInstances().map(\.problem) }
