// The twenty-first batch: problems stated by someone who had not read the
// shrinker, identically in `Benchmarks/hypothesis/shrink_quality.py` (the
// twenty-first batch at its end). Every expected minimum is the same in both
// engines' simplicity orders.

import PropertyTesting
import ShrinkBenchmarkSupport

enum SlabOp: Equatable, Sendable {
    case alloc
    case free(Int64)
    var repr: String {
        switch self {
        case .alloc: return "('alloc',)"
        case .free(let i): return "('free', \(i))"
        }
    }
}

enum RingOp: Equatable {
    case push(Int64)
    case pop(Int64)
    var repr: String {
        switch self {
        case .push(let x): return "('push', \(x))"
        case .pop(let k): return "('pop', \(k))"
        }
    }
}

enum RefOp: Equatable, Sendable {
    case new
    case retain(Int64)
    case release(Int64)
    var repr: String {
        switch self {
        case .new: return "('new',)"
        case .retain(let i): return "('retain', \(i))"
        case .release(let i): return "('release', \(i))"
        }
    }
}

/// Objects carved from a bump pointer, freed ones kept on a free list; a free
/// of the newest carved object both rolls the bump pointer back and pushes
/// the object on the free list. Whether no two live objects ever shared an address.
func slabHandsOutOnce(_ ops: [SlabOp]) -> Bool {
    var bump: Int64 = 0
    var freeList: [Int64] = []
    var live: [Int64] = []
    for op in ops {
        switch op {
        case .alloc:
            let addr: Int64
            if let reused = freeList.popLast() {
                addr = reused
            } else {
                addr = bump
                bump += 1
            }
            if live.contains(addr) { return false }
            live.append(addr)
        case .free(let i):
            guard i < live.count else { continue }
            let addr = live.remove(at: Int(i))
            if addr == bump - 1 { bump -= 1 }
            freeList.append(addr)
        }
    }
    return true
}

/// 128 pages in two 64-bit words, runs of 1...64 pages first fit; a free
/// clears its run with one mask on the run's first word, so the pages of a
/// run past bit 63 stay taken. Whether no page is taken once every block is freed.
func bitmapFreesEverything(_ ops: [TraceOp]) -> Bool {
    var words: [UInt64] = [0, 0]
    var live: [(start: Int, count: Int)] = []
    func taken(_ p: Int) -> Bool { (words[p / 64] >> UInt64(p % 64)) & 1 == 1 }
    func free(_ s: Int, _ n: Int) {
        let mask: UInt64 = n == 64 ? .max : (1 << UInt64(n)) - 1
        words[s / 64] &= ~(mask << UInt64(s % 64))
    }
    for op in ops {
        switch op {
        case .alloc(let size):
            let n = Int(size)
            guard let s = (0...(128 - n)).first(where: { s in !(s..<(s + n)).contains(where: taken) }) else { continue }
            for p in s..<(s + n) { words[p / 64] |= 1 << UInt64(p % 64) }
            live.append((s, n))
        case .free(let i):
            guard i < live.count else { continue }
            let block = live.remove(at: Int(i))
            free(block.start, block.count)
        }
    }
    for block in live { free(block.start, block.count) }
    return words == [0, 0]
}

/// A ring of four slots; a read of k values that runs past the last slot
/// goes on at slot 1 instead of slot 0. Whether every read gave the oldest values.
func ringReadsOldest(_ ops: [RingOp]) -> Bool {
    var buf = [Int64](repeating: 0, count: 4)
    var head = 0, count = 0
    var model: [Int64] = []
    for op in ops {
        switch op {
        case .push(let x):
            if count == 4 { continue }
            buf[(head + count) % 4] = x
            count += 1
            model.append(x)
        case .pop(let k):
            let n = min(Int(k), count)
            var out: [Int64] = []
            for j in 0..<n {
                var i = head + j
                if i >= 4 { i -= 3 }
                out.append(buf[i])
            }
            head = (head + n) % 4
            count -= n
            if out != Array(model.prefix(n)) { return false }
            model.removeFirst(n)
        }
    }
    return true
}

/// Every non-overlapping occurrence of `a` in `s`, left to right, replaced by `b`.
func replacingAll(_ s: [Character], _ a: [Character], _ b: [Character]) -> [Character] {
    var out: [Character] = []
    var i = 0
    while i < s.count {
        if i + a.count <= s.count && Array(s[i..<(i + a.count)]) == a {
            out += b
            i += a.count
        } else {
            out.append(s[i])
            i += 1
        }
    }
    return out
}

/// A three-entry LRU cache whose get moves a hit to the newest place unless
/// it is the oldest entry. Whether every get hit exactly when a true LRU hits.
func lruAgrees(_ ops: [(String, Int64)]) -> Bool {
    var keys: [Int64] = [], model: [Int64] = []
    for (op, k) in ops {
        if op == "put" {
            for j in 0..<2 {
                var ks = j == 0 ? keys : model
                ks.removeAll { $0 == k }
                ks.append(k)
                if ks.count > 3 { ks.removeFirst() }
                if j == 0 { keys = ks } else { model = ks }
            }
        } else {
            let hit = keys.contains(k)
            if hit, let i = keys.firstIndex(of: k), i > 0 {
                keys.remove(at: i)
                keys.append(k)
            }
            let expected = model.contains(k)
            if expected {
                model.removeAll { $0 == k }
                model.append(k)
            }
            if hit != expected { return false }
        }
    }
    return true
}

/// Union by size over 8 elements that links the element it was given, not
/// its root, under the other root. Whether connectivity matches the unions made.
func unionFindAgrees(_ pairs: [(Int64, Int64)]) -> Bool {
    var parent = Array(0..<8), size = [Int](repeating: 1, count: 8), label = Array(0..<8)
    func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { x = parent[x] }
        return x
    }
    for (a64, b64) in pairs {
        let a = Int(a64), b = Int(b64)
        let ra = find(a), rb = find(b)
        if ra != rb {
            if size[ra] >= size[rb] {
                parent[b] = ra
                size[ra] += size[rb]
            } else {
                parent[a] = rb
                size[rb] += size[ra]
            }
        }
        let la = label[a], lb = label[b]
        label = label.map { $0 == lb ? la : $0 }
    }
    for i in 0..<8 {
        for j in 0..<8 where (find(i) == find(j)) != (label[i] == label[j]) { return false }
    }
    return true
}

/// Whether a matcher that counts each kind of bracket instead of keeping a
/// stack agrees with one that keeps a stack.
func bracketMatchersAgree(_ s: String) -> Bool {
    var depth: [Character: Int] = ["(": 0, "[": 0]
    var counted = true
    for c in s {
        if c == "(" || c == "[" {
            depth[c]! += 1
        } else {
            let k: Character = c == ")" ? "(" : "["
            depth[k]! -= 1
            if depth[k]! < 0 {
                counted = false
                break
            }
        }
    }
    counted = counted && depth["("] == 0 && depth["["] == 0
    var stack: [Character] = []
    var stacked = true
    for c in s {
        if c == "(" || c == "[" {
            stack.append(c)
        } else if stack.isEmpty || stack.removeLast() != (c == ")" ? "(" : "[") {
            stacked = false
            break
        }
    }
    stacked = stacked && stack.isEmpty
    return counted == stacked
}

/// A CSV line split into fields: a doubled quote inside quotes is a quote,
/// a quote outside quotes opens them.
func csvSplit(_ line: String) -> [String] {
    let c = Array(line)
    var fields: [String] = []
    var cur = ""
    var quoted = false
    var i = 0
    while i < c.count {
        if quoted {
            if c[i] == "\"" {
                if i + 1 < c.count && c[i + 1] == "\"" {
                    cur.append("\"")
                    i += 1
                } else {
                    quoted = false
                }
            } else {
                cur.append(c[i])
            }
        } else if c[i] == "\"" {
            quoted = true
        } else if c[i] == "," {
            fields.append(cur)
            cur = ""
        } else {
            cur.append(c[i])
        }
        i += 1
    }
    fields.append(cur)
    return fields
}

/// Decimal digits into 16 bits, wrapping; an overflow is caught only when the
/// new value is below the old one.
func parseU16WrapCheck(_ s: String) -> Int64? {
    if s.isEmpty { return nil }
    var v: Int64 = 0
    for c in s {
        let new = (v * 10 + Int64(c.wholeNumberValue!)) & 0xFFFF
        if new < v { return nil }
        v = new
    }
    return v
}

/// The value of a string of decimal digits if it is at most 65535.
func parseU16Reference(_ s: String) -> Int64? {
    if s.isEmpty { return nil }
    var v: Int64 = 0
    for c in s {
        v = v * 10 + Int64(c.wholeNumberValue!)
        if v > 65535 { return nil }
    }
    return v
}

/// Reference counts kept in a 2-bit field; an object is freed when its field
/// reads 0. Ops go only to objects the model holds live. Whether after every
/// op the objects freed were those whose count reached 0.
func refcountFieldAgrees(_ ops: [RefOp]) -> Bool {
    var field: [Int] = [], model: [Int] = []
    for op in ops {
        switch op {
        case .new:
            field.append(1)
            model.append(1)
        case .retain(let i64), .release(let i64):
            let i = Int(i64)
            guard i < model.count, model[i] != 0 else { continue }
            let d = op == .retain(i64) ? 1 : -1
            field[i] = (field[i] + d) & 3
            model[i] += d
        }
        if zip(field, model).contains(where: { ($0.0 != 0) != ($0.1 != 0) }) { return false }
    }
    return true
}

/// At most 3 requests in any 10 time units, limited by counting requests in
/// fixed windows t / 10; requests arrive at the running sums of the gaps.
/// Whether the requests let through kept the limit.
func rateLimitHolds(_ gaps: [Int64]) -> Bool {
    var t: Int64 = 0, window: Int64 = -1, n = 0
    var accepted: [Int64] = []
    for g in gaps {
        t += g
        if t / 10 != window {
            window = t / 10
            n = 0
        }
        if n < 3 {
            n += 1
            accepted.append(t)
        }
    }
    return accepted.allSatisfy { t in accepted.filter { t - 10 < $0 && $0 <= t }.count <= 3 }
}

/// A binary search tree whose delete of a node with two children moves the
/// successor's key up and unlinks the successor, dropping its right child.
/// Whether the keys in order are the keys inserted and not deleted.
func bstKeepsKeys(_ ops: [(String, Int64)]) -> Bool {
    var key: [Int64] = [], left: [Int] = [], right: [Int] = []
    var root = -1
    var model: Set<Int64> = []
    func node(_ k: Int64) -> Int {
        key.append(k)
        left.append(-1)
        right.append(-1)
        return key.count - 1
    }
    func link(_ n: Int, _ toLeft: Bool, _ child: Int) { if toLeft { left[n] = child } else { right[n] = child } }
    func inorder(_ n: Int) -> [Int64] { n < 0 ? [] : inorder(left[n]) + [key[n]] + inorder(right[n]) }
    for (op, k) in ops {
        if op == "insert" {
            model.insert(k)
            if root < 0 {
                root = node(k)
                continue
            }
            var n = root
            while key[n] != k {
                let toLeft = k < key[n]
                let next = toLeft ? left[n] : right[n]
                if next < 0 {
                    link(n, toLeft, node(k))
                    break
                }
                n = next
            }
        } else {
            model.remove(k)
            var parent = -1, parentLeft = false, n = root
            while n >= 0 && key[n] != k {
                parent = n
                parentLeft = k < key[n]
                n = parentLeft ? left[n] : right[n]
            }
            if n < 0 { continue }
            if left[n] >= 0 && right[n] >= 0 {
                var sp = n, spLeft = false, s = right[n]
                while left[s] >= 0 {
                    sp = s
                    spLeft = true
                    s = left[s]
                }
                key[n] = key[s]
                link(sp, spLeft, -1)
                continue
            }
            let child = left[n] >= 0 ? left[n] : right[n]
            if parent < 0 { root = child } else { link(parent, parentLeft, child) }
        }
    }
    return inorder(root) == model.sorted()
}

/// Stream segments (offset, length) arriving in any order: a segment at or
/// before the delivered point extends it, the rest wait; after an advance
/// only waiting segments starting exactly at the delivered point are taken,
/// not those starting before it. Whether the delivered point is where the
/// segments' cover from 0 first stops.
func reassemblyDeliversPrefix(_ segments: [(Int64, Int64)]) -> Bool {
    var delivered: Int64 = 0
    var pending: [(Int64, Int64)] = []
    var cover: Set<Int64> = []
    for (o, n) in segments {
        for p in o..<(o + n) { cover.insert(p) }
        if o > delivered {
            pending.append((o, n))
            continue
        }
        delivered = max(delivered, o + n)
        while let j = pending.firstIndex(where: { $0.0 == delivered }) {
            delivered = max(delivered, pending[j].0 + pending[j].1)
            pending.remove(at: j)
        }
    }
    var prefix: Int64 = 0
    while cover.contains(prefix) { prefix += 1 }
    return delivered == prefix
}

/// The twenty-first batch, written by someone who had not read the shrinker:
/// kinds the suite lacks, mostly what allocator, systems and data-structure
/// developers test. A slab whose free of its newest object both rolls back
/// and lists it, a page bitmap whose free misses the second word, a ring
/// whose wrapped read resumes at slot 1, an unescaper replacing backslashes
/// first, an LRU of three that does not refresh its oldest entry on a hit,
/// a union-find linking a node instead of its root, a bracket matcher with
/// counters, CSV quoting without doubled quotes, a 16-bit parser's overflow
/// check, memcpy on overlapping ranges, a 2-bit reference count, a rate
/// limiter with fixed windows, a BST delete losing the successor's child,
/// and stream reassembly taking only segments at the exact offset.
func twentyFirstBatch() -> [Problem] { [
    // A slab whose free of the newest carved object rolls the bump pointer back and also lists the object as free.
    problem("slab_free_newest_rolls_back_and_lists",
            Gen.arrays(of: Gen.oneOf(Gen.just(SlabOp.alloc), Gen.integers(in: 0...7).map { SlabOp.free($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.alloc, .free(0), .alloc, .alloc] }) { ops in
        try check(slabHandsOutOnce(ops))
    },
    // A 128-page bitmap whose free clears a run only in the run's first word.
    problem("bitmap_free_run_across_word",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 1...64).map { TraceOp.alloc($0) },
                                     Gen.integers(in: 0...7).map { TraceOp.free($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.alloc(1), .alloc(64)] }) { ops in
        try check(bitmapFreesEverything(ops))
    },
    // A ring of four slots whose read past the last slot resumes at slot 1.
    problem("ring_read_wraps_to_slot_1",
            Gen.arrays(of: Gen.oneOf(Gen.integers(in: 0...100).map { RingOp.push($0) },
                                     Gen.integers(in: 1...4).map { RingOp.pop($0) })),
            show: { pyList($0.map(\.repr)) },
            ideal: { $0 == [.push(0), .push(0), .push(0), .push(0), .pop(1), .push(1), .pop(4)] }) { ops in
        try check(ringReadsOldest(ops))
    },
    // Escaping "\" as "\\" and "," as "\c"; the unescaper replaces "\\" everywhere before "\c".
    problem("escape_unescape_backslashes_first", Gen.strings(of: Gen.characters(from: "abc,\\")), show: pyString,
            ideal: { $0 == "\\c" }) { s in
        let chars = Array(s)
        let escaped = replacingAll(replacingAll(chars, ["\\"], ["\\", "\\"]), [","], ["\\", "c"])
        try check(replacingAll(replacingAll(escaped, ["\\", "\\"], ["\\"]), ["\\", "c"], [","]) == chars)
    },
    // A three-entry LRU whose get does not refresh a hit on the oldest entry.
    problem("lru3_hit_on_oldest_not_refreshed",
            Gen.arrays(of: Gen.zip(Gen.element(of: ["put", "get"]), Gen.integers(in: 0...9))),
            show: { pyList($0.map { "('\($0.0)', \($0.1))" }) },
            ideal: { $0.map { "\($0.0) \($0.1)" } == ["put 0", "put 1", "put 2", "get 0", "put 3", "get 0"] }) { ops in
        try check(lruAgrees(ops))
    },
    // Union by size that links the given element, not its root.
    problem("union_find_links_node_not_root", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...7), Gen.integers(in: 0...7))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[0, 1], [2, 3], [0, 3]] }) { pairs in
        try check(unionFindAgrees(pairs))
    },
    // A bracket matcher counting each kind instead of keeping a stack.
    problem("brackets_counted_not_stacked", Gen.strings(of: Gen.characters(from: "()[]")), show: pyString,
            ideal: { $0 == "([)]" }) { s in try check(bracketMatchersAgree(s)) },
    // One to three CSV fields; fields with a comma or quote are quoted without doubling the quotes inside.
    problem("csv_quotes_not_doubled", Gen.arrays(of: Gen.strings(of: Gen.characters(from: "a,\"")), count: 1...3),
            show: { pyList($0.map(pyString)) }, ideal: { $0 == ["\"", ""] }) { fields in
        let line = fields.map { f in f.contains(",") || f.contains("\"") ? "\"" + f + "\"" : f }.joined(separator: ",")
        try check(csvSplit(line) == fields)
    },
    // Digits into 16 bits, wrapping, with an overflow caught only when the value goes down.
    problem("u16_parse_overflow_below_old", Gen.strings(of: Gen.characters(from: "0123456789")), show: pyString,
            ideal: { $0 == "72817" }) { s in try check(parseU16WrapCheck(s) == parseU16Reference(s)) },
    // (8 bytes, src, dst, n): a forward byte-by-byte copy must give what memmove gives.
    problem("memcpy_overlap_forward",
            Gen.zip(Gen.bytes(count: 8...8), Gen.integers(in: 0...7), Gen.integers(in: 0...7), Gen.integers(in: 0...8)),
            show: { "(\(pyBytes($0.0)), \($0.1), \($0.2), \($0.3))" },
            ideal: { $0.0 == [0, 0, 0, 0, 0, 0, 1, 0] && $0.1 == 0 && $0.2 == 1 && $0.3 == 7 }) { t in
        let (mem, src, dst, n) = (t.0, Int(t.1), Int(t.2), Int(t.3))
        guard src + n <= 8 && dst + n <= 8 else { return }
        var fwd = mem
        for k in 0..<n { fwd[dst + k] = fwd[src + k] }
        var ref = mem
        ref.replaceSubrange(dst..<(dst + n), with: mem[src..<(src + n)])
        try check(fwd == ref)
    },
    // Reference counts in a 2-bit field: a fourth reference wraps the field to 0.
    problem("refcount_two_bit_field_wraps",
            Gen.arrays(of: Gen.oneOf(Gen.just(RefOp.new), Gen.integers(in: 0...3).map { RefOp.retain($0) },
                                     Gen.integers(in: 0...3).map { RefOp.release($0) })),
            show: { pyList($0.map(\.repr)) }, ideal: { $0 == [.new, .retain(0), .retain(0), .retain(0)] }) { ops in
        try check(refcountFieldAgrees(ops))
    },
    // Gaps between requests; a limit of 3 per 10 time units kept with fixed windows.
    problem("rate_limit_fixed_windows", Gen.arrays(of: Gen.integers(in: 0...20)), show: pyList,
            ideal: { $0 == [1, 0, 0, 9] }) { gaps in try check(rateLimitHolds(gaps)) },
    // A BST delete of a node with two children that drops the successor's right child.
    problem("bst_delete_drops_successor_child",
            Gen.arrays(of: Gen.zip(Gen.element(of: ["insert", "delete"]), Gen.integers(in: 0...9))),
            show: { pyList($0.map { "('\($0.0)', \($0.1))" }) },
            ideal: { $0.map { "\($0.0) \($0.1)" } == ["insert 1", "insert 0", "insert 2", "insert 3", "delete 1"] }) { ops in
        try check(bstKeepsKeys(ops))
    },
    // Stream reassembly that, after an advance, takes only waiting segments starting exactly at the new point.
    problem("reassembly_takes_exact_offsets_only",
            Gen.arrays(of: Gen.zip(Gen.integers(in: 0...15), Gen.integers(in: 1...8))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.map { [$0.0, $0.1] } == [[1, 2], [0, 2]] }) { segments in
        try check(reassemblyDeliversPrefix(segments))
    },
] }
