// The thirty-first batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// thirty-first batch at its end). Every expected minimum is the same in
// both engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

/// RFC 793's test that a segment of `length` bytes, `offset` bytes past
/// RCV.NXT, lies in the receive window, written with plain `UInt32`
/// comparisons of the sequence numbers: near 2^32 the sums wrap and the
/// comparisons turn around.
func segmentInWindowUnsigned(rcvNxt: UInt32, rcvWnd: UInt16, offset: UInt16, length: UInt16) -> Bool {
    let seq = rcvNxt &+ UInt32(offset)
    return seq >= rcvNxt && seq &+ UInt32(length) <= rcvNxt &+ UInt32(rcvWnd)
}

/// Whether a sensor reading moved past the deadband, with the difference
/// taken in `Int16` arithmetic that wraps: readings more than 32767 apart
/// look close.
func movedPastDeadband(_ reading: Int16, _ previous: Int16, _ deadband: Int16) -> Bool {
    (reading &- previous).magnitude > UInt16(deadband)
}

/// An animation's interpolation `a + t * (b - a)`: at its last frame,
/// t = 1, the rounding of `b - a` and of the sum can miss `b`.
func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double { a + t * (b - a) }

/// A multipart reader's scan for a boundary: after a mismatch it starts
/// the match over at the current character, where it should fall back to
/// the longest border of the part matched (as KMP does), so it misses a
/// boundary that begins inside a partial match.
func boundaryScanRestarting(_ hay: String, _ needle: String) -> Int? {
    let n = Array(needle)
    var j = 0
    for (i, c) in hay.enumerated() {
        if c == n[j] {
            j += 1
            if j == n.count { return i - j + 1 }
        } else {
            j = c == n[0] ? 1 : 0
        }
    }
    return nil
}

func firstOccurrence(_ hay: String, _ needle: String) -> Int? {
    let h = Array(hay), n = Array(needle)
    guard n.count <= h.count else { return nil }
    return (0...(h.count - n.count)).first { Array(h[$0..<($0 + n.count)]) == n }
}

/// A composite index key: each field's bytes and a 0x00 terminator, with
/// the zeros inside a field left unescaped, so ("", "\0") and ("\0", "")
/// encode alike.
func indexKey(_ key: ([UInt8], [UInt8])) -> [UInt8] { key.0 + [0] + key.1 + [0] }

func keyFieldsPrecede(_ x: ([UInt8], [UInt8]), _ y: ([UInt8], [UInt8])) -> Bool {
    x.0 != y.0 ? x.0.lexicographicallyPrecedes(y.0) : x.1.lexicographicallyPrecedes(y.1)
}

/// A deflate stored block's LEN and NLEN (little-endian 16-bit, NLEN the
/// complement of LEN) from the first four bytes, the header accepted when
/// the low bytes agree; the high bytes are never compared.
func storedBlockHeader(_ b: [UInt8]) -> (len: UInt16, nlen: UInt16)? {
    guard b.count >= 4, b[2] == ~b[0] else { return nil }
    return (UInt16(b[0]) | UInt16(b[1]) << 8, UInt16(b[2]) | UInt16(b[3]) << 8)
}

/// A key's value read through the levels of an LSM tree, newest first
/// (nil a tombstone): the first level that has the key decides.
func lsmRead(_ levels: [[Int64: Int64?]], _ key: Int64) -> Int64? {
    for level in levels { if let entry = level[key] { return entry } }
    return nil
}

/// The two upper levels compacted into one, their tombstones dropped as
/// if it were the bottom level: the bottom level's older value shows
/// again.
func lsmReadAfterCompaction(_ l0: [Int64: Int64?], _ l1: [Int64: Int64?], _ l2: [Int64: Int64?], _ key: Int64) -> Int64? {
    var compacted = l1
    for (k, v) in l0 { compacted[k] = v }
    if let value = compacted[key], let value { return value }
    return lsmRead([l2], key)
}

/// A key's two replicas on a hash ring: the first two nodes from the key
/// on, clockwise. The lookup wraps to the start of the ring when no node
/// is at or after the key, but not when only one is.
func ringReplicasNoWrap(_ nodes: Set<Int64>, _ key: Int64) -> [Int64] {
    let ring = nodes.sorted()
    let after = ring.filter { $0 >= key }
    return after.isEmpty ? Array(ring.prefix(2)) : Array(after.prefix(2))
}

func ringReplicas(_ nodes: Set<Int64>, _ key: Int64) -> [Int64] {
    let ring = nodes.sorted()
    return Array((ring.filter { $0 >= key } + ring.filter { $0 < key }).prefix(2))
}

/// A WHERE clause of literals, NOT, AND and OR.
indirect enum Predicate: Equatable, Sendable {
    case lit(Bool)
    case not(Predicate)
    case and(Predicate, Predicate)
    case or(Predicate, Predicate)

    var repr: String {
        switch self {
        case .lit(let b): return b ? "True" : "False"
        case .not(let p): return "('not', \(p.repr))"
        case .and(let a, let b): return "('and', \(a.repr), \(b.repr))"
        case .or(let a, let b): return "('or', \(a.repr), \(b.repr))"
        }
    }

    var value: Bool {
        switch self {
        case .lit(let b): return b
        case .not(let p): return !p.value
        case .and(let a, let b): return a.value && b.value
        case .or(let a, let b): return a.value || b.value
        }
    }

    /// The negation normal form a query planner makes, pushing NOT down to
    /// the literals; it rewrites NOT (a AND b) as (NOT a) AND (NOT b).
    var pushedDown: Predicate {
        switch self {
        case .lit: return self
        case .and(let a, let b): return .and(a.pushedDown, b.pushedDown)
        case .or(let a, let b): return .or(a.pushedDown, b.pushedDown)
        case .not(.lit(let b)): return .lit(!b)
        case .not(.not(let p)): return p.pushedDown
        case .not(.and(let a, let b)), .not(.or(let a, let b)): return .and(Predicate.not(a).pushedDown, Predicate.not(b).pushedDown)
        }
    }
}

/// A heap of one-word blocks that recycles freed blocks last in, first
/// out. Fresh memory starts zeroed, and `calloc` zeroes only that, taking
/// a recycled block to be clean too.
final class RecyclingHeap {
    private var memory: [Int] = []
    private var freeList: [Int] = []
    func malloc() -> Int {
        if let address = freeList.popLast() { return address }
        memory.append(0)
        return memory.count - 1
    }
    func calloc() -> Int { malloc() }
    func write(_ address: Int, _ value: Int) { memory[address] = value }
    func read(_ address: Int) -> Int { memory[address] }
    func free(_ address: Int) { freeList.append(address) }
}

/// A binary min-heap of (priority, id) with each id's position, for
/// decrease-key. A lowered entry is sifted down, as after a pop, where it
/// should go up past the parents it now beats.
final class IndexedHeap {
    private var entries: [(priority: Int, id: Int)] = []
    private var position: [Int: Int] = [:]

    private func swapAt(_ i: Int, _ j: Int) {
        entries.swapAt(i, j)
        position[entries[i].id] = i
        position[entries[j].id] = j
    }

    private func siftUp(_ start: Int) {
        var i = start
        while i > 0 && entries[i].priority < entries[(i - 1) / 2].priority {
            swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    private func siftDown(_ start: Int) {
        var i = start
        while true {
            var c = 2 * i + 1
            guard c < entries.count else { return }
            if c + 1 < entries.count && entries[c + 1].priority < entries[c].priority { c += 1 }
            guard entries[c].priority < entries[i].priority else { return }
            swapAt(i, c)
            i = c
        }
    }

    func insert(_ id: Int, priority: Int) {
        entries.append((priority, id))
        position[id] = entries.count - 1
        siftUp(entries.count - 1)
    }

    func decrease(_ id: Int, by amount: Int) {
        guard let i = position[id] else { return }
        entries[i].priority -= amount
        siftDown(i)
    }

    func popMin() -> (priority: Int, id: Int) {
        swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        position[top.id] = nil
        siftDown(0)
        return top
    }
}

/// The live items' priorities, and the ids handed out so far.
struct HeapModel {
    var priorities: [Int: Int] = [:]
    var next = 0
}

final class BTreeNode {
    var keys: [Int] = []
    var children: [BTreeNode] = []
    init(keys: [Int] = [], children: [BTreeNode] = []) {
        self.keys = keys
        self.children = children
    }
}

/// A B-tree of at most three keys a node, split on the way down: a full
/// node met by an insertion is split first, its middle key moving up (a
/// full root gets an empty root above it, which the descent then splits).
/// After a split the insertion goes on in the half chosen by comparing
/// with the first key of the new right node, where it should compare with
/// the key moved up: a key between the two goes left of the key moved up.
final class TopDownBTree {
    private var root = BTreeNode()

    func contains(_ k: Int) -> Bool {
        var node = root
        while !node.keys.contains(k) && !node.children.isEmpty { node = node.children[node.keys.filter { $0 < k }.count] }
        return node.keys.contains(k)
    }

    private func split(_ parent: BTreeNode, _ i: Int) {
        let full = parent.children[i]
        let left = BTreeNode(keys: Array(full.keys.prefix(1)), children: Array(full.children.prefix(2)))
        let right = BTreeNode(keys: Array(full.keys.dropFirst(2)), children: Array(full.children.dropFirst(2)))
        parent.keys.insert(full.keys[1], at: i)
        parent.children[i] = left
        parent.children.insert(right, at: i + 1)
    }

    func insert(_ k: Int) {
        guard !contains(k) else { return }
        if root.keys.count == 3 { root = BTreeNode(children: [root]) }
        var node = root
        while !node.children.isEmpty {
            var i = node.keys.filter { $0 < k }.count
            if node.children[i].keys.count == 3 {
                split(node, i)
                if k >= node.children[i + 1].keys[0] { i += 1 }
            }
            node = node.children[i]
        }
        node.keys = (node.keys + [k]).sorted()
    }

    var inOrder: [Int] { Self.inOrder(root) }

    private static func inOrder(_ node: BTreeNode) -> [Int] {
        guard !node.children.isEmpty else { return node.keys }
        var out: [Int] = []
        for (j, child) in node.children.enumerated() {
            out += inOrder(child)
            if j < node.keys.count { out.append(node.keys[j]) }
        }
        return out
    }
}

/// A key-value store inside a transaction with savepoints: ROLLBACK TO a
/// savepoint restores the data as it was when the savepoint was made and
/// forgets the savepoints made after it, but keeps the savepoint itself
/// (RELEASE forgets it with them). `keepsTarget: false` forgets the
/// savepoint rolled back to as well, so a second rollback to it does
/// nothing.
struct SavepointStore {
    var data: [Int: Int] = [:]
    var savepoints: [(id: Int, data: [Int: Int])] = []
    var made = 0
    let keepsTarget: Bool

    mutating func put(_ key: Int, _ value: Int) { data[key] = value }

    mutating func savepoint() -> Int {
        made += 1
        savepoints.append((made, data))
        return made
    }

    mutating func rollback(to id: Int) {
        guard let i = savepoints.lastIndex(where: { $0.id == id }) else { return }
        data = savepoints[i].data
        savepoints.removeSubrange((keepsTarget ? i + 1 : i)...)
    }

    mutating func release(_ id: Int) {
        guard let i = savepoints.lastIndex(where: { $0.id == id }) else { return }
        savepoints.removeSubrange(i...)
    }
}

/// The thirty-first batch, written by someone who had not read the
/// shrinker: a TCP window check in unsigned sequence numbers, a deadband
/// whose `Int16` difference wraps, interpolation missing its end point, a
/// boundary scan that restarts after a partial match, names matched by
/// upper case and indexed by lower case, index keys with unescaped zero
/// terminators, a stored block's NLEN checked on its low byte, compaction
/// dropping tombstones above the bottom level, ring replicas that do not
/// wrap, NOT pushed through AND without turning it into OR, calloc trusting
/// recycled blocks to be zero, decrease-key sifting down, a B-tree split
/// descending by the right node's first key and a rollback that forgets
/// its savepoint.
func thirtyFirstBatch() -> [Problem] { [
    // (RCV.NXT UInt32, RCV.WND UInt16, offset UInt16, length UInt16): a segment tested against the window in UInt32.
    problem("tcp_window_check_unsigned_wraps",
            Gen.zip(Gen.integers(of: UInt32.self), Gen.integers(of: UInt16.self), Gen.integers(of: UInt16.self),
                    Gen.integers(of: UInt16.self)),
            show: { "(\($0.0), \($0.1), \($0.2), \($0.3))" }, ideal: { $0 == (4_294_836_226, 0, 65535, 65535) }) { t in
        try check(segmentInWindowUnsigned(rcvNxt: t.0, rcvWnd: t.1, offset: t.2, length: t.3)
                  == (UInt32(t.2) + UInt32(t.3) <= UInt32(t.1)))
    },
    // (Int16 reading, Int16 previous reading, deadband 0...Int16.max): moved past the deadband by an Int16 difference.
    problem("deadband_delta_wraps_int16",
            Gen.zip(Gen.integers(of: Int16.self), Gen.integers(of: Int16.self), Gen.integers(of: Int16.self, in: 0...Int16.max)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (1, -32768, 32767) }) { t in
        try check(movedPastDeadband(t.0, t.1, t.2) == (abs(Int(t.0) - Int(t.1)) > Int(t.2)))
    },
    // Pairs of finite doubles interpolated at t = 1.
    problem("lerp_at_one_misses_end",
            Gen.zip(Gen.doubles(allowNaN: false, allowInfinity: false), Gen.doubles(allowNaN: false, allowInfinity: false)),
            show: { "(\(pyFloat($0.0)), \(pyFloat($0.1)))" }, ideal: { $0 == (1.0, 9_007_199_254_740_994.0) }) { t in
        try check(lerp(t.0, t.1, 1) == t.1)
    },
    // (text, boundary of 1...4 characters) over "-x", scanned by a matcher that restarts after a partial match.
    problem("boundary_scan_restarts_after_partial_match",
            Gen.zip(Gen.strings(of: Gen.characters(from: "-x")), Gen.strings(of: Gen.characters(from: "-x"), count: 1...4)),
            show: { "(\(pyString($0.0)), \(pyString($0.1)))" }, ideal: { $0 == ("---x", "--x") }) { t in
        try check(boundaryScanRestarting(t.0, t.1) == firstOccurrence(t.0, t.1))
    },
    // Pairs of names over "sSß": colliding by upper case at sign-in against by lower case in the unique index.
    problem("username_match_upper_vs_lower_fold",
            Gen.zip(Gen.strings(of: Gen.characters(from: "sSß")), Gen.strings(of: Gen.characters(from: "sSß"))),
            show: { "('\($0.0)', '\($0.1)')" }, ideal: { $0 == ("ss", "ß") }) { t in
        try check((t.0.uppercased() == t.1.uppercased()) == (t.0.lowercased() == t.1.lowercased()))
    },
    // Keys of two fields of 0...4 bytes: the distinct keys in field order must have increasing zero-terminated encodings.
    problem("index_key_zero_terminator_unescaped", Gen.arrays(of: Gen.zip(Gen.bytes(count: 0...4), Gen.bytes(count: 0...4))),
            show: { "[" + $0.map { "(\(pyBytes($0.0)), \(pyBytes($0.1)))" }.joined(separator: ", ") + "]" },
            ideal: { $0.count == 2 && $0[0] == ([], [0]) && $0[1] == ([0], []) }) { keys in
        let distinct = Set(keys.map { [$0.0, $0.1] }).map { ($0[0], $0[1]) }.sorted(by: keyFieldsPrecede)
        try check(zip(distinct, distinct.dropFirst()).allSatisfy { indexKey($0.0).lexicographicallyPrecedes(indexKey($0.1)) })
    },
    // Streams of 0...16 bytes read as a deflate stored block header checked on the low bytes only.
    problem("stored_block_nlen_checks_low_byte", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [0, 0, 0xFF, 0] }) { b in
        if let header = storedBlockHeader(b) { try check(header.nlen == ~header.len) }
    },
    // Three LSM levels (keys 0...7, values 0...9 or a tombstone), the upper two compacted without their tombstones.
    problem("lsm_compaction_drops_tombstones_early",
            Gen.zip(Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.optional(Gen.integers(in: 0...9))),
                    Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.optional(Gen.integers(in: 0...9))),
                    Gen.dictionaries(keys: Gen.integers(in: 0...7), values: Gen.optional(Gen.integers(in: 0...9)))),
            show: { "(\(pyOptionalDict($0.0)), \(pyOptionalDict($0.1)), \(pyOptionalDict($0.2)))" },
            ideal: { $0.0.isEmpty && $0.1 == [0: nil] && $0.2 == [0: 0] }) { t in
        for key in Int64(0)...7 {
            try check(lsmReadAfterCompaction(t.0, t.1, t.2, key) == lsmRead([t.0, t.1, t.2], key))
        }
    },
    // (1...8 ring nodes 0...255, key 0...255): the key's two replicas found without wrapping past the top.
    problem("hash_ring_replica_no_wrap",
            Gen.zip(Gen.sets(of: Gen.integers(in: 0...255), count: 1...8), Gen.integers(in: 0...255)),
            show: { "(\(pySet($0.0)), \($0.1))" }, ideal: { $0.0 == [0, 1] && $0.1 == 1 }) { t in
        try check(ringReplicasNoWrap(t.0, t.1) == ringReplicas(t.0, t.1))
    },
    // Predicates (literals, NOT, AND, OR four levels deep) in the planner's negation normal form, evaluated.
    problem("predicate_nnf_not_and_stays_and",
            Gen.recursive(maxDepth: 4, label: "predicate", base: Gen.booleans().map { Predicate.lit($0) }) { inner in
                Gen.oneOf(inner.map { Predicate.not($0) }, Gen.zip(inner, inner).map { Predicate.and($0.0, $0.1) },
                          Gen.zip(inner, inner).map { Predicate.or($0.0, $0.1) })
            },
            show: { $0.repr }, ideal: { $0 == .not(.and(.lit(false), .lit(true))) }) { p in
        try check(p.pushedDown.value == p.value)
    },
    // malloc, calloc, writes of 0...9 and frees on a heap whose calloc takes a recycled block to be zeroed.
    machineProblem("machine_calloc_recycled_block_not_zeroed", StateMachine<Int, RecyclingHeap>(
        model: { 0 }, system: RecyclingHeap.init,
        rules: [
            .init("malloc") { live, heap, step in
                step.produce(heap.malloc(), into: "blocks")
                live += 1
            },
            .init("calloc") { live, heap, step in
                let address = heap.calloc()
                step.produce(address, into: "blocks")
                live += 1
                try expect(heap.read(address) == 0, "calloc() gave a block holding \(heap.read(address))")
            },
            .init("write", precondition: { $0 > 0 }) { _, heap, step in
                let address = try step.pick(from: "blocks", as: Int.self, label: "block")
                heap.write(address, try step.draw(Gen.ints(in: 0...9), "value"))
            },
            .init("free", precondition: { $0 > 0 }) { live, heap, step in
                heap.free(try step.pick(from: "blocks", as: Int.self, label: "block", remove: true))
                live -= 1
            },
        ]),
        ideal: ["v1 = malloc()", "write(block: v1, value: 1)", "free(block: v1)", "v2 = calloc()"]),
    // Inserts (priority 0...9), decrease-keys by 1...5 and pops on a heap whose decrease-key sifts down.
    machineProblem("machine_heap_decrease_key_sifts_down", StateMachine<HeapModel, IndexedHeap>(
        model: { HeapModel() }, system: IndexedHeap.init,
        rules: [
            .init("insert") { model, heap, step in
                let priority = try step.draw(Gen.ints(in: 0...9), "priority")
                heap.insert(model.next, priority: priority)
                model.priorities[model.next] = priority
                step.produce(model.next, into: "items")
                model.next += 1
            },
            .init("decrease", precondition: { !$0.priorities.isEmpty }) { model, heap, step in
                let id = try step.pick(from: "items", as: Int.self, label: "item")
                let amount = try step.draw(Gen.ints(in: 1...5), "by")
                if model.priorities[id] != nil {
                    model.priorities[id]! -= amount
                    heap.decrease(id, by: amount)
                }
            },
            .init("popMin", precondition: { !$0.priorities.isEmpty }) { model, heap, _ in
                let top = heap.popMin()
                let least = model.priorities.values.min()!
                model.priorities[top.id] = nil
                try expect(top.priority == least, "popMin() gave priority \(top.priority), expected \(least)")
            },
        ]),
        ideal: ["v1 = insert(priority: 0)", "v2 = insert(priority: 0)", "decrease(item: v2, by: 1)", "popMin()"]),
    // Inserts and lookups of keys 0...9 in a B-tree whose split descends by the right node's first key.
    machineProblem("machine_btree_split_descends_by_right_key", StateMachine<Set<Int>, TopDownBTree>(
        model: { [] }, system: TopDownBTree.init,
        rules: [
            .init("insert") { model, tree, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                tree.insert(key)
                model.insert(key)
            },
            .init("lookup") { model, tree, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                try expect(tree.contains(key) == model.contains(key), "lookup(key: \(key)) gave \(tree.contains(key))")
            },
        ],
        check: { model, tree in
            try expect(tree.inOrder == model.sorted(), "keys in order \(tree.inOrder), expected \(model.sorted())")
        }),
        ideal: ["insert(key: 0)", "insert(key: 1)", "insert(key: 3)", "insert(key: 2)"]),
    // Puts (keys 0...2, values 0...9), savepoints, rollbacks and releases in a store whose rollback forgets its savepoint.
    machineProblem("machine_savepoint_rollback_forgets_savepoint", StateMachine<SavepointStore, SavepointStore>(
        model: { SavepointStore(keepsTarget: true) }, system: { SavepointStore(keepsTarget: false) },
        rules: [
            .mutating("put") { model, store, step in
                let key = try step.draw(Gen.ints(in: 0...2), "key")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                model.put(key, value)
                store.put(key, value)
            },
            .mutating("savepoint") { model, store, step in
                _ = store.savepoint()
                step.produce(model.savepoint(), into: "savepoints")
            },
            .mutating("rollback", precondition: { $0.made > 0 }) { model, store, step in
                let id = try step.pick(from: "savepoints", as: Int.self, label: "to")
                model.rollback(to: id)
                store.rollback(to: id)
            },
            .mutating("release", precondition: { $0.made > 0 }) { model, store, step in
                let id = try step.pick(from: "savepoints", as: Int.self, label: "savepoint")
                model.release(id)
                store.release(id)
            },
        ],
        check: { model, store in
            try expect(store.data == model.data, "data \(store.data.sorted { $0.key < $1.key }), expected \(model.data.sorted { $0.key < $1.key })")
        }),
        ideal: ["v1 = savepoint()", "rollback(to: v1)", "put(key: 0, value: 0)", "rollback(to: v1)"]),
] }
