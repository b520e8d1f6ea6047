// The problem list. Names, generators and properties match
// `Benchmarks/hypothesis/shrink_quality.py` problem for problem.

import ShrinkBenchmarkSupport
import PropertyTesting

let i64 = Gen.integers()

enum IntOrText: Equatable {
    case int(Int64)
    case text(String)
    var repr: String {
        switch self {
        case .int(let x): return "('int', \(x))"
        case .text(let t): return "('text', \(pyString(t)))"
        }
    }
}

let intOrText = Gen.oneOf(Gen.integers(in: 0...1000).map { IntOrText.int($0) }, Gen.strings().map { IntOrText.text($0) })

func allProblems() -> [Problem] { [
    // Integers of every sign and width.
    problem("int64_at_least_1e12", i64, ideal: { $0 == 1_000_000_000_000 }) { try check($0 < 1_000_000_000_000) },
    problem("int64_at_most_minus_1e6", i64, ideal: { $0 == -1_000_000 }) { try check($0 > -1_000_000) },
    problem("int64_magnitude_1000", i64, ideal: { $0 == 1000 }) { try check($0.magnitude < 1000) },
    problem("int8_below_minus_100", Gen.integers(of: Int8.self), ideal: { $0 == -101 }) { try check($0 >= -100) },
    problem("uint8_at_least_200", Gen.integers(of: UInt8.self), ideal: { $0 == 200 }) { try check($0 < 200) },
    problem("uint32_at_least_3e9", Gen.integers(of: UInt32.self), ideal: { $0 == 3_000_000_000 }) { try check($0 < 3_000_000_000) },
    problem("uint64_above_2_63", Gen.integers(of: UInt64.self), ideal: { $0 == 1 << 63 + 5 }) { try check($0 < 1 << 63 + 5) },
    problem("int_mod_7_is_3_above_100", Gen.integers(in: 0...1_000_000_000), ideal: { $0 == 101 }) {
        try check(!($0 > 100 && $0 % 7 == 3))
    },
    problem("sum_of_three_int64_over_1e6", Gen.zip(i64, i64, i64), show: { "(\($0.0), \($0.1), \($0.2))" },
            ideal: { $0 == (0, 0, 1_000_001) }) { t in
        let (s, o1) = t.0.addingReportingOverflow(t.1)
        let (u, o2) = s.addingReportingOverflow(t.2)
        try check(o1 || o2 || u <= 1_000_000)
    },
    problem("product_over_1000", Gen.zip(Gen.integers(in: 0...10_000), Gen.integers(in: 0...10_000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, 1001) }) { try check($0.0 * $0.1 <= 1000) },
    // Floats.
    problem("float_above_half", Gen.doubles(), show: pyFloat, ideal: { $0 == 1.0 }) { try check(!($0 > 0.5)) },
    problem("float_strictly_between_0_and_1", Gen.doubles(), show: pyFloat, ideal: { $0 == 0.5 }) { try check(!($0 > 0 && $0 < 1)) },
    problem("float_below_minus_1000_25", Gen.doubles(), show: pyFloat, ideal: { $0 == -1001.0 }) { try check(!($0 < -1000.25)) },
    problem("float_at_least_1e300", Gen.doubles(allowNaN: false, allowInfinity: false), show: pyFloat, ideal: { $0 == 1e300 }) {
        try check($0 < 1e300)
    },
    problem("float_nan", Gen.doubles(), show: pyFloat, ideal: { $0.isNaN && $0.sign == .plus }) { try check(!$0.isNaN) },
    // Strings.
    problem("text_three_characters", Gen.strings(), show: pyString, ideal: { $0 == "000" }) { try check($0.count < 3) },
    problem("text_not_alphanumeric", Gen.strings(), show: pyString, ideal: { $0 == " " }) {
        try check($0.allSatisfy { $0.isLetter || $0.isNumber })
    },
    problem("text_contains_z", Gen.strings(), show: pyString, ideal: { $0 == "z" }) { try check(!$0.contains("z")) },
    problem("text_three_distinct", Gen.strings(), show: pyString, ideal: { $0 == "012" }) { try check(Set($0).count < 3) },
    // Byte strings.
    problem("bytes_fifth_above_100", Gen.bytes(count: 0...64), show: pyBytes, ideal: { $0 == [0, 0, 0, 0, 101] }) {
        try check(!($0.count > 4 && $0[4] > 100))
    },
    problem("bytes_any_at_least_200", Gen.bytes(count: 0...64), show: pyBytes, ideal: { $0 == [200] }) {
        try check(!$0.contains { $0 >= 200 })
    },
    problem("bytes_ascending_pair", Gen.bytes(count: 0...64), show: pyBytes, ideal: { $0 == [0, 1] }) { b in
        try check(!zip(b, b.dropFirst()).contains { $0 < $1 })
    },
    problem("bytes_sum_over_300", Gen.bytes(count: 2...64), show: pyBytes, ideal: { $0 == [46, 255] }) {
        try check($0.reduce(0) { $0 + Int($1) } <= 300)
    },
    // Nested collections, dictionaries and sets.
    problem("nested_sum_over_100", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100))), show: pyNested,
            ideal: { $0 == [[1, 100]] }) { try check($0.joined().reduce(0, +) <= 100) },
    problem("list_value_three_times", Gen.arrays(of: Gen.integers(in: -1000...1000)), show: pyList, ideal: { $0 == [1, 1, 1] }) { xs in
        try check(!xs.contains { x in x != 0 && xs.filter { $0 == x }.count >= 3 })
    },
    problem("dict_value_above_7", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: i64), show: pyDict,
            ideal: { $0 == [0: 8] }) { try check(!$0.values.contains { $0 > 7 }) },
    problem("dict_three_keys", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: i64), show: pyDict,
            ideal: { $0 == [0: 0, 1: 0, 2: 0] }) { try check($0.count < 3) },
    problem("set_three_elements", Gen.sets(of: i64), show: pySet, ideal: { $0 == [0, 1, -1] }) { try check($0.count < 3) },
    problem("unique_list_sum_over_20", Gen.uniqueArrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 21] }) { xs in try check(!(xs.count >= 2 && xs.reduce(0, +) > 20)) },
    // flatMap on both sides.
    problem("flatmap_length_then_list", Gen.integers(in: 0...10).flatMap { n in
        Gen.arrays(of: Gen.integers(in: 0...100), count: Int(n)...Int(n))
    }, show: pyList, ideal: { $0 == [0, 0, 50] }) { xs in try check(!(xs.count >= 3 && xs.reduce(0, +) >= 50)) },
    problem("flatmap_bound_then_value", Gen.integers(in: 0...100).flatMap { x in
        Gen.integers(in: x...(x + 100)).map { (x, $0) }
    }, show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 50) }) { try check($0.1 < 50) },
    // One-of.
    problem("one_of_int_branch", intOrText, show: \.repr, ideal: { $0 == .int(100) }) { v in
        switch v {
        case .int(let x): try check(x < 100)
        case .text(let t): try check(t.count < 2)
        }
    },
    problem("one_of_text_branch", intOrText, show: \.repr, ideal: { $0 == .text("") }) { v in
        if case .text = v { throw Falsified() }
    },
    // Recursive data.
    problem("tree_depth_3", trees(Gen.integers(in: 0...1000)), show: \.repr,
            ideal: { $0.depth == 3 && $0.leaves == [0, 0, 0] }) { try check($0.depth < 3) },
    problem("tree_leaf_sum_100", trees(Gen.integers(in: 0...1000)), show: \.repr, ideal: { $0 == .leaf(100) }) {
        try check($0.leaves.reduce(0, +) < 100)
    },
    // State machines.
    machineProblem("machine_push_pop_pair", StateMachine<Int, TwoDeepStack>(
        model: { 0 }, system: TwoDeepStack.init,
        rules: [
            .init("push") { depth, stack, step in stack.push(try step.draw(Gen.ints(in: 0...9), "x")); depth += 1 },
            .init("pop", precondition: { $0 > 0 }) { depth, stack, _ in _ = try stack.pop(); depth -= 1 },
        ]), ideal: ["push(x: 0)", "push(x: 0)", "pop()"]),
    machineProblem("machine_alloc_free", StateMachine<Int, TinyAllocator>(
        model: { 0 }, system: TinyAllocator.init,
        rules: [
            .init("alloc") { live, allocator, step in
                let size = try step.draw(Gen.ints(in: 1...64), "size")
                step.produce(allocator.alloc(size), into: "blocks")
                live += 1
            },
            .init("free", precondition: { $0 > 0 }) { live, allocator, step in
                try allocator.free(try step.pick(from: "blocks", as: Int.self, label: "block", remove: true))
                live -= 1
            },
        ]), ideal: ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "v3 = alloc(size: 1)", "free(block: v1)"]),
    machineProblem("machine_increment_at_3", StateMachine<Int, CounterAt3>(
        model: { 0 }, system: CounterAt3.init,
        rules: [
            .init("increment") { model, counter, _ in model += 1; counter.increment() },
            .init("decrement", precondition: { $0 > 0 }) { model, counter, _ in model -= 1; counter.decrement() },
            .init("add") { model, counter, step in
                let n = try step.draw(Gen.ints(in: 0...10), "n")
                model += n
                counter.add(n)
            },
        ],
        check: { model, counter in try expect(model == counter.value, "model \(model), counter \(counter.value)") }),
        ideal: ["add(n: 3)", "increment()"]),
] + secondBatch() + thirdBatch() + edgeAndParityBatch() + fourthBatch() + fifthBatch() + sixthBatch() + seventhBatch() + eighthBatch() + ninthBatch() + tenthBatch() + eleventhBatch() + twelfthBatch() + thirteenthBatch() + fourteenthBatch() + fifteenthBatch() + sixteenthBatch() + seventeenthBatch() + eighteenthBatch() + nineteenthBatch() + twentiethBatch() + twentyFirstBatch() + twentySecondBatch() + twentyThirdBatch() + twentyFourthBatch() + twentyFifthBatch() + twentySixthBatch() + twentySeventhBatch() + twentyEighthBatch() + twentyNinthBatch() + thirtiethBatch() + thirtyFirstBatch() + thirtySecondBatch() + thirtyThirdBatch() + thirtyFourthBatch() + thirtyFifthBatch() + thirtySixthBatch() + thirtySeventhBatch() + thirtyEighthBatch() + thirtyNinthBatch() + fortiethBatch() + fortyFirstBatch() + fortySecondBatch() + fortyThirdBatch() + fortyFourthBatch() + fortyFifthBatch() + fortySixthBatch() + fortySeventhBatch() + fortyEighthBatch() + fortyNinthBatch() }

let mixedElement = Gen.oneOf(i64.map { IntOrText.int($0) }, Gen.strings().map { IntOrText.text($0) })

/// The second batch: kinds Hypothesis's own shrink-quality tests use that the
/// problems above do not cover.
func secondBatch() -> [Problem] { [
    // Bounds and pairs.
    problem("sum_of_pair_over_1000", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, 1000) }) { try check($0.0 + $0.1 <= 1000) },
    problem("containment_at_least_2_40", Gen.zip(i64, Gen.arrays(of: i64)), show: { "(\($0.0), \(pyList($0.1)))" },
            ideal: { $0.0 == 1 << 40 && $0.1 == [1 << 40] }) { t in try check(!(t.0 >= 1 << 40 && t.1.contains(t.0))) },
    problem("duplicate_containment", Gen.zip(Gen.arrays(of: i64), i64), show: { "(\(pyList($0.0)), \($0.1))" },
            ideal: { $0.0 == [0, 0] && $0.1 == 0 }) { t in try check(t.0.filter { $0 == t.1 }.count <= 1) },
    // Floats.
    problem("float_at_least_1_5", Gen.doubles(), show: pyFloat, ideal: { $0 == 2.0 }) { try check(!($0 >= 1.5)) },
    problem("float_not_integer", Gen.doubles(allowNaN: false, allowInfinity: false), show: pyFloat, ideal: { $0 == 1.5 }) {
        try check($0 == $0.rounded())
    },
    problem("float_in_1_9_above_2", Gen.doubles(in: 1...9), show: pyFloat, ideal: { $0 == 3.0 }) { try check(!($0 > 2)) },
    problem("floats_unsorted", Gen.arrays(of: Gen.doubles(allowNaN: false)), show: { pyList($0.map(pyFloat)) },
            ideal: { $0 == [0.0, -1.0] }) { xs in try check(xs == xs.sorted()) },
    problem("floats_three_one_nonzero", Gen.arrays(of: Gen.doubles(), count: 3...Int.max), show: { pyList($0.map(pyFloat)) },
            ideal: { $0 == [0, 0, 1] }) { try check(!$0.contains { $0 != 0 }) },
    // Strings and collections of them.
    problem("text_thirty_characters", Gen.strings(), show: pyString, ideal: { $0 == String(repeating: "0", count: 30) }) {
        try check($0.count < 30)
    },
    problem("text_char_below_0", Gen.strings(), show: pyString, ideal: { $0 == " " }) {
        try check(!$0.unicodeScalars.contains { $0.value < 0x30 })
    },
    problem("text_lower_then_upper_at_2", Gen.strings(), show: pyString, ideal: { $0 == "00aA" }) { s in
        let u = Array(s.unicodeScalars)
        try check(!(u.count > 3 && ("a"..."z").contains(u[2]) && ("A"..."Z").contains(u[3])))
    },
    problem("list_of_ten_texts", Gen.arrays(of: Gen.strings()), show: { pyList($0.map(pyString)) },
            ideal: { $0 == Array(repeating: "", count: 10) }) { try check($0.count < 10) },
    problem("mixed_list_int_and_text", Gen.arrays(of: mixedElement), show: { pyList($0.map(\.plainRepr)) },
            ideal: { $0 == [.int(10), .text("00")] }) { xs in
        let bigInt = xs.contains { if case .int(let x) = $0 { return x >= 10 } else { return false } }
        let longText = xs.contains { if case .text(let t) = $0 { return t.count >= 2 } else { return false } }
        try check(!(bigInt && longText))
    },
    // Collections of tuples and of collections.
    problem("list_of_pairs_two", Gen.arrays(of: Gen.zip(i64, i64)), show: { pyList($0.map { "(\($0.0), \($0.1))" }) },
            ideal: { $0.count == 2 && $0.allSatisfy { $0 == (0, 0) } }) { try check($0.count < 2) },
    problem("set_of_pairs_three", Gen.sets(of: Gen.zip(i64, i64).map { Pair(a: $0.0, b: $0.1) }), show: pyPairSet,
            ideal: { $0 == [Pair(a: 0, b: 0), Pair(a: 0, b: 1), Pair(a: 0, b: -1)] }) { try check($0.count < 3) },
    problem("lists_three_nonempty", Gen.arrays(of: Gen.arrays(of: i64)), show: pyNested,
            ideal: { $0 == [[0], [0], [0]] }) { try check($0.filter { !$0.isEmpty }.count < 3) },
    problem("lists_total_length_20", Gen.arrays(of: Gen.arrays(of: Gen.booleans())),
            show: { "[" + $0.map { pyList($0.map { $0 ? "True" : "False" }) }.joined(separator: ", ") + "]" },
            ideal: { $0 == [Array(repeating: false, count: 20)] }) { try check($0.map(\.count).reduce(0, +) < 20) },
    problem("string_list_total_len_10", Gen.arrays(of: Gen.strings()), show: { pyList($0.map(pyString)) },
            ideal: { $0 == ["0000000000"] }) { try check($0.map(\.count).reduce(0, +) < 10) },
    problem("bytes_list_total_len_10", Gen.arrays(of: Gen.bytes(count: 0...64)), show: { pyList($0.map(pyBytes)) },
            ideal: { $0 == [[UInt8](repeating: 0, count: 10)] }) { try check($0.map(\.count).reduce(0, +) < 10) },
    problem("dict_three_values_at_least_10", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: i64), show: pyDict,
            ideal: { $0 == [0: 10, 1: 10, 2: 10] }) { try check($0.values.filter { $0 >= 10 }.count < 3) },
    // flatMap whose right side must shrink.
    problem("flatmap_list_above_bound", Gen.integers(in: 0...100).flatMap { x in
        Gen.arrays(of: Gen.integers(in: x...(x + 100))).map { (x, $0) }
    }, show: { "(\($0.0), \(pyList($0.1)))" }, ideal: { $0.0 == 0 && $0.1 == [0, 50] }) { t in
        try check(!(t.1.count >= 2 && t.1.max()! >= 50))
    },
    // Recursive lists.
    problem("nested_list_depth_3", nestedLists, show: \.repr, ideal: { $0 == .list([.list([.list([])])]) }) {
        try check($0.depth < 3)
    },
    // A state machine with a setup step, failing at a delete.
    machineProblem("machine_store_delete", StateMachine<[Int: Int], BucketStore>(
        model: { [:] }, system: BucketStore.init,
        rules: [
            .init("put") { model, store, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                model[key] = value
                store.put(key, value)
            },
            .init("delete", precondition: { !$0.isEmpty }) { model, store, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                model[key] = nil
                store.delete(key)
            },
            .init("get") { model, store, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                try expect(store.get(key) == model[key], "get(\(key))")
            },
        ],
        check: { model, store in try expect(model.count == store.count, "model \(model.count), store \(store.count)") },
        initialize: [
            .init("open") { _, store, step in store.open(buckets: try step.draw(Gen.ints(in: 1...4), "buckets")) },
        ]),
        ideal: ["open(buckets: 1)", "put(key: 0, value: 0)", "put(key: 1, value: 0)", "delete(key: 0)"]),
] }


/// The third batch: integers with modular and bit conditions, lists with
/// length and sum or order conditions, dictionaries with key and value
/// constraints, sets of tuples and of sets, a tuple of mixed kinds, a nested
/// one-of, a tree whose root needs two node children, and state machines of a
/// map, a queue and an allocator that fail only on a pair of operations.
func thirdBatch() -> [Problem] { [
    // Integers with modular and bit conditions.
    problem("pair_mod_is_1", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (10, 3) }) { t in
        try check(!(t.0 >= 10 && t.1 >= 2 && t.0 % t.1 == 1))
    },
    problem("int_multiple_of_16_above_1000", Gen.integers(in: 0...1_000_000), ideal: { $0 == 1008 }) {
        try check(!($0 > 1000 && $0 % 16 == 0))
    },
    problem("int_popcount_at_least_4", Gen.integers(of: UInt32.self), ideal: { $0 == 15 }) { try check($0.nonzeroBitCount < 4) },
    problem("int_power_of_two_above_1000", Gen.integers(in: 0...(1 << 40)), ideal: { $0 == 1024 }) {
        try check(!($0 > 1000 && $0 & ($0 - 1) == 0))
    },
    // Lists with length, sum and order conditions.
    problem("list_len_5_sum_over_100", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 0, 0, 1, 100] }) { xs in try check(!(xs.count >= 5 && xs.reduce(0, +) > 100)) },
    problem("ints_unsorted", Gen.arrays(of: i64), show: pyList, ideal: { $0 == [0, -1] }) { xs in try check(xs == xs.sorted()) },
    problem("sorted_three_last_at_least_10", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 0, 10] }) { xs in try check(!(xs.count >= 3 && xs == xs.sorted() && xs.last! >= 10)) },
    // Dictionaries with key and value constraints.
    problem("dict_value_exceeds_key_by_10", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers(in: 0...100)),
            show: pyDict, ideal: { $0 == [0: 11] }) { d in try check(!d.contains { $0.value > $0.key + 10 }) },
    problem("dict_shared_value_at_least_5", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers(in: 0...100)),
            show: pyDict, ideal: { $0 == [0: 5, 1: 5] }) { d in
        try check(!d.values.contains { v in v >= 5 && d.values.filter { $0 == v }.count >= 2 })
    },
    // Sets of tuples and of sets.
    problem("set_of_pairs_crossed", Gen.sets(of: Gen.zip(Gen.integers(in: 0...10), Gen.integers(in: 0...10)).map { Pair(a: $0.0, b: $0.1) }),
            show: pyPairSet, ideal: { $0 == [Pair(a: 0, b: 1), Pair(a: 1, b: 0)] }) { s in
        try check(!s.contains { $0.a != $0.b && s.contains(Pair(a: $0.b, b: $0.a)) })
    },
    problem("sets_of_sets_three", Gen.sets(of: Gen.sets(of: i64)), show: pySetOfSets,
            ideal: { $0 == [[], [0], [1]] }) { try check($0.count < 3) },
    // A tuple of mixed kinds and a nested one-of.
    problem("mixed_tuple_bool_int_text", Gen.zip(Gen.booleans(), Gen.integers(in: 0...1000), Gen.strings()),
            show: { "(\($0.0 ? "True" : "False"), \($0.1), \(pyString($0.2)))" }, ideal: { $0 == (true, 11, "00") }) { t in
        try check(!(t.0 && t.1 > 10 && t.2.count >= 2))
    },
    problem("one_of_nested_list", nestedOneOf, show: \.repr, ideal: { $0 == .list([0, 0]) }) { v in
        if case .list(let xs) = v { try check(xs.count < 2) }
    },
    // A tree whose root must have two children that are both nodes.
    problem("tree_both_children_nodes", trees(Gen.integers(in: 0...1000)), show: \.repr,
            ideal: { $0 == .node(.node(.leaf(0), .leaf(0)), .node(.leaf(0), .leaf(0))) }) { t in
        if case .node(.node, .node) = t { throw Falsified() }
    },
    // State machines that fail only on a pair of operations.
    machineProblem("machine_map_overwrite", StateMachine<[Int: Int], FirstWriteMap>(
        model: { [:] }, system: FirstWriteMap.init,
        rules: [
            .init("put") { model, map, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                let value = try step.draw(Gen.ints(in: 0...9), "value")
                model[key] = value
                map.put(key, value)
            },
            .init("delete", precondition: { !$0.isEmpty }) { model, map, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                model[key] = nil
                map.delete(key)
            },
        ],
        check: { model, map in try expect(model == map.entries, "model \(model), map \(map.entries)") }),
        ideal: ["put(key: 0, value: 0)", "put(key: 0, value: 1)"]),
    machineProblem("machine_queue_order", StateMachine<[Int], LastInQueue>(
        model: { [] }, system: LastInQueue.init,
        rules: [
            .init("enqueue") { model, queue, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                model.append(x)
                queue.enqueue(x)
            },
            .init("dequeue", precondition: { !$0.isEmpty }) { model, queue, _ in
                let expected = model.removeFirst()
                try expect(queue.dequeue() == expected, "dequeue")
            },
        ]), ideal: ["enqueue(x: 0)", "enqueue(x: 1)", "dequeue()"]),
    machineProblem("machine_alloc_reuse", StateMachine<Int, ReusingAllocator>(
        model: { 0 }, system: ReusingAllocator.init,
        rules: [
            .init("alloc") { live, allocator, step in
                let size = try step.draw(Gen.ints(in: 1...64), "size")
                step.produce(try allocator.alloc(size), into: "blocks")
                live += 1
            },
            .init("free", precondition: { $0 > 0 }) { live, allocator, step in
                allocator.free(try step.pick(from: "blocks", as: Int.self, label: "block", remove: true))
                live -= 1
            },
        ]), ideal: ["v1 = alloc(size: 1)", "free(block: v1)", "alloc(size: 2)"]),
] }

/// The twelfth round: values that random search must meet rather than
/// shrink to (a bound of a full-width integer, -0.0; each is found or not,
/// and how often is best seen with `--max-examples 100`), and parities,
/// where one step down fails and two work.
func edgeAndParityBatch() -> [Problem] { [
    problem("int64_equals_max", i64, ideal: { $0 == .max }) { try check($0 != .max) },
    problem("int64_equals_min", i64, ideal: { $0 == .min }) { try check($0 != .min) },
    problem("uint32_equals_max", Gen.integers(of: UInt32.self), ideal: { $0 == .max }) { try check($0 != .max) },
    problem("float_negative_zero", Gen.doubles(), show: pyFloat, ideal: { $0 == 0 && $0.sign == .minus }) {
        try check(!($0 == 0 && $0.sign == .minus))
    },
    problem("int_odd_above_5", i64, ideal: { $0 == 7 }) { try check(!($0 > 5 && $0 % 2 != 0)) },
    problem("int_even_above_1000", i64, ideal: { $0 == 1002 }) { try check(!($0 > 1000 && $0 % 2 == 0)) },
    problem("int_odd_above_1000_bounded", Gen.integers(in: 0...1_000_000), ideal: { $0 == 1001 }) {
        try check(!($0 > 1000 && $0 % 2 == 1))
    },
    problem("pair_both_odd_sum_100", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, 99) }) {
        try check(!($0.0 % 2 == 1 && $0.1 % 2 == 1 && $0.0 + $0.1 >= 100))
    },
    problem("int_multiple_of_3_above_100", i64, ideal: { $0 == 102 }) { try check(!($0 > 100 && $0 % 3 == 0)) },
    problem("int_mod_7_is_3_above_50", i64, ideal: { $0 == 52 }) { try check(!($0 > 50 && $0 % 7 == 3)) },
    problem("int_multiple_of_10_above_1000_bounded", Gen.integers(in: 0...1_000_000), ideal: { $0 == 1010 }) {
        try check(!($0 > 1000 && $0 % 10 == 0))
    },
] }

/// The fourth batch (fifteenth round), from a fourth probe for kinds the
/// suite did not have: lists with a spread, a repeated end, a jump between
/// neighbours, a sum of squares or a repeated value; strings that are
/// palindromes, repeat a letter, put a letter after a digit or are
/// unsorted; an optional; lists of strings; a set with a sum; lists of
/// lists with an inner sum; a decimal digit sum; a pair with a sum of
/// squares; and a double whose square passes a bound.
func fourthBatch() -> [Problem] { [
    problem("list_max_minus_min_over_10", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 11] }) { xs in try check(!((xs.max() ?? 0) - (xs.min() ?? 0) > 10)) },
    problem("list_first_equals_last_len_3", Gen.arrays(of: i64), show: pyList, ideal: { $0 == [0, 0, 0] }) { xs in
        try check(!(xs.count >= 3 && xs.first == xs.last))
    },
    problem("list_adjacent_jump_over_10", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 11] }) { xs in try check(!zip(xs, xs.dropFirst()).contains { $1 > $0 + 10 }) },
    problem("list_sum_of_squares_over_1000", Gen.arrays(of: Gen.integers(in: -100...100)), show: pyList,
            ideal: { $0 == [32] }) { xs in try check(xs.reduce(0) { $0 + $1 * $1 } <= 1000) },
    problem("list_duplicate_above_10", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [11, 11] }) { xs in try check(!xs.contains { x in x > 10 && xs.filter { $0 == x }.count >= 2 }) },
    problem("text_palindrome_len_3", Gen.strings(), show: pyString, ideal: { $0 == "000" }) { s in
        let u = Array(s.unicodeScalars)
        try check(!(u.count >= 3 && u == u.reversed()))
    },
    problem("text_letter_twice", Gen.strings(), show: pyString, ideal: { $0 == "AA" }) { s in
        let letters = s.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        try check(Set(letters).count == letters.count)
    },
    problem("text_digit_then_letter", Gen.strings(), show: pyString, ideal: { $0 == "0A" }) { s in
        let u = Array(s.unicodeScalars)
        try check(!zip(u, u.dropFirst()).contains { ("0"..."9").contains($0) && (("a"..."z").contains($1) || ("A"..."Z").contains($1)) })
    },
    // " " is the simplest character below "0" here, "/" for Hypothesis: "0 " and "0/".
    problem("text_unsorted", Gen.strings(), show: pyString, ideal: { $0 == "0 " }) { s in
        let u = Array(s.unicodeScalars)
        try check(u == u.sorted())
    },
    problem("optional_above_10", Gen.optional(Gen.integers(in: 0...1000)), show: { $0.map { "\($0)" } ?? "None" },
            ideal: { $0 == 11 }) { x in try check(!((x ?? 0) > 10)) },
    problem("strings_one_longer_than_3", Gen.arrays(of: Gen.strings()), show: { pyList($0.map(pyString)) },
            ideal: { $0 == ["0000"] }) { xs in try check(!xs.contains { $0.unicodeScalars.count > 3 }) },
    problem("set_sum_over_20", Gen.sets(of: Gen.integers(in: 0...100)), show: pySet, ideal: { $0 == [21] }) { s in
        try check(s.reduce(0, +) <= 20)
    },
    problem("lists_inner_sum_over_50", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100))), show: pyNested,
            ideal: { $0 == [[51]] }) { xss in try check(!xss.contains { $0.reduce(0, +) > 50 }) },
    problem("int_digit_sum_over_20", Gen.integers(in: 0...1_000_000), ideal: { $0 == 399 }) { x in
        try check(String(x).compactMap { $0.wholeNumberValue }.reduce(0, +) <= 20)
    },
    problem("pair_sum_of_squares_over_1000", Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 32) }) { t in try check(t.0 * t.0 + t.1 * t.1 <= 1000) },
    problem("float_square_over_10", Gen.doubles(in: 0...100), show: pyFloat, ideal: { $0 == 4 }) { x in try check(x * x <= 10) },
    problem("float_pair_gap_over_1", Gen.zip(Gen.doubles(in: 0...100), Gen.doubles(in: 0...100)),
            show: { "(\(pyFloat($0.0)), \(pyFloat($0.1)))" }, ideal: { $0 == (0, 2) }) { t in try check(t.1 - t.0 <= 1) },
    problem("int64_doubling_overflows", i64, ideal: { $0 == 1 << 62 }) { x in try check(!x.multipliedReportingOverflow(by: 2).overflow) },
    problem("uint8_wraps_adding_100", Gen.integers(of: UInt8.self), ideal: { $0 == 156 }) { x in
        try check(!x.addingReportingOverflow(100).overflow)
    },
    problem("int_triple_strictly_increasing", Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100), Gen.integers(in: 0...100)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (0, 1, 2) }) { t in try check(!(t.0 < t.1 && t.1 < t.2)) },
    problem("list_increasing_run_of_3", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [0, 1, 2] }) { xs in
        try check(!zip(xs, zip(xs.dropFirst(), xs.dropFirst(2))).contains { $0 < $1.0 && $1.0 < $1.1 })
    },
    problem("list_strictly_decreasing_len_3", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [2, 1, 0] }) { xs in
        try check(!(xs.count >= 3 && zip(xs, xs.dropFirst()).allSatisfy { $0 > $1 }))
    },
    problem("dict_three_distinct_values", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers(in: 0...100)),
            show: pyDict, ideal: { $0 == [0: 0, 1: 1, 2: 2] }) { d in try check(!(d.count >= 3 && Set(d.values).count == d.count)) },
    problem("optional_pair_both_some", Gen.zip(Gen.optional(Gen.integers(in: 0...100)), Gen.optional(Gen.integers(in: 0...100))),
            show: { t in "(\(t.0.map { "\($0)" } ?? "None"), \(t.1.map { "\($0)" } ?? "None"))" }, ideal: { $0.0 == 0 && $0.1 == 0 }) { t in
        try check(!(t.0 != nil && t.1 != nil))
    },
    problem("text_non_ascii", Gen.strings(), show: pyString, ideal: { $0 == "\u{80}" }) { s in
        try check(!s.unicodeScalars.contains { $0.value >= 128 })
    },
] }

enum Suit: CaseIterable, Sendable { case clubs, diamonds, hearts, spades }

/// The fifth batch (sixteenth round): kinds none of the batches above has:
/// an offset range, a low byte, a square, counts of a class of characters,
/// adjacent repeats, a little-endian field in bytes, a byte value twice,
/// sets with a spread, optionals, a bind of an exact length, a filter,
/// `CaseIterable` cases, a negative float range, a top bit with a parity,
/// flags paired with values, prefix sums, equal pairs, many distinct
/// values, and digits inside text.
func fifthBatch() -> [Problem] { [
    problem("int_in_range_below_minus_10", Gen.integers(in: -50...50), ideal: { $0 == -11 }) { try check($0 >= -10) },
    problem("int16_low_byte_all_ones", Gen.integers(of: Int16.self), ideal: { $0 == -1 }) { try check($0 & 0xFF != 0xFF) },
    problem("int64_square_over_1000", i64, ideal: { $0 == 32 }) { x in
        let (sq, o) = x.multipliedReportingOverflow(by: x)
        try check(!(o || sq > 1000))
    },
    problem("text_three_uppercase", Gen.strings(), show: pyString, ideal: { $0 == "AAA" }) { s in
        try check(s.unicodeScalars.filter { ("A"..."Z").contains($0) }.count < 3)
    },
    problem("text_adjacent_equal", Gen.strings(), show: pyString, ideal: { $0 == "00" }) { s in
        let u = Array(s.unicodeScalars)
        try check(!zip(u, u.dropFirst()).contains { $0 == $1 })
    },
    problem("bytes_le32_over_1e6", Gen.bytes(), show: pyBytes, ideal: { $0 == [0, 0, 0, 1] }) { b in
        guard b.count >= 4 else { return }
        let v = UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
        try check(v <= 1_000_000)
    },
    problem("bytes_two_0xff", Gen.bytes(), show: pyBytes, ideal: { $0 == [255, 255] }) { b in
        try check(b.filter { $0 == 255 }.count < 2)
    },
    problem("list_three_above_50", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [51, 51, 51] }) { xs in
        try check(xs.filter { $0 > 50 }.count < 3)
    },
    problem("set_spread_over_50", Gen.sets(of: Gen.integers(in: 0...100)), show: pySet, ideal: { $0 == [0, 51] }) { s in
        try check((s.max() ?? 0) - (s.min() ?? 0) <= 50)
    },
    problem("optionals_two_nones", Gen.arrays(of: Gen.optional(Gen.integers(in: 0...100))),
            show: { pyList($0.map { $0.map { "\($0)" } ?? "None" }) }, ideal: { $0.count == 2 && $0.allSatisfy { $0 == nil } }) { xs in
        try check(xs.filter { $0 == nil }.count < 2)
    },
    problem("flatmap_exact_list_last_over_10",
            Gen.integers(in: 1...10).flatMap { n in Gen.arrays(of: Gen.integers(in: 0...100), count: Int(n)...Int(n)) },
            show: pyList, ideal: { $0 == [11] }) { xs in try check((xs.last ?? 0) <= 10) },
    problem("filter_even_above_100", Gen.integers(in: 0...1000).filter { $0 % 2 == 0 }, ideal: { $0 == 102 }) { try check($0 <= 100) },
    problem("cases_spades_twice", Gen.arrays(of: Gen.cases(of: Suit.self)), show: { pyList($0.map { "'\($0)'" }) },
            ideal: { $0 == [.spades, .spades] }) { xs in try check(xs.filter { $0 == .spades }.count < 2) },
    problem("float_in_range_below_minus_5", Gen.doubles(in: -10 ... -1), show: pyFloat, ideal: { $0 == -6 }) { try check($0 >= -5) },
    problem("uint64_top_bit_and_odd", Gen.integers(of: UInt64.self), ideal: { $0 == 1 << 63 + 1 }) { x in
        try check(!(x >= 1 << 63 && x % 2 == 1))
    },
    problem("pairs_flag_and_above_10", Gen.arrays(of: Gen.zip(Gen.booleans(), Gen.integers(in: 0...100))),
            show: { pyList($0.map { "(\($0.0 ? "True" : "False"), \($0.1))" }) },
            ideal: { $0.count == 1 && $0[0] == (true, 11) }) { xs in try check(!xs.contains { $0.0 && $0.1 > 10 }) },
    problem("list_prefix_sum_below_minus_50", Gen.arrays(of: Gen.integers(in: -100...100)), show: pyList, ideal: { $0 == [-51] }) { xs in
        var s: Int64 = 0
        for x in xs { s += x; try check(s >= -50) }
    },
    problem("int_pair_equal_nonzero", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, 1) }) { t in try check(!(t.0 == t.1 && t.0 != 0)) },
    problem("list_len_at_least_8_distinct", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 1, 2, 3, 4, 5, 6, 7] }) { xs in try check(!(Set(xs).count >= 8)) },
    problem("text_digits_sum_over_20", Gen.strings(), show: pyString, ideal: { $0 == "399" }) { s in
        try check(s.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }.reduce(0, +) <= 20)
    },
] }

func isPrime(_ n: Int64) -> Bool { n >= 2 && !(2..<max(2, Int64(Double(n).squareRoot()) + 1)).contains { n % $0 == 0 && $0 != n } }

/// A stack that loses an element pushed onto five.
final class StackLosingSixth {
    private(set) var items: [Int64] = []
    func push(_ x: Int64) { if items.count != 5 { items.append(x) } }
    func pop() -> Int64? { items.popLast() }
}

/// The sixth batch (sixteenth round): a small range with an inner threshold,
/// a wholly negative range, `Float`, a long list, a deep tree, a
/// three-letter alphabet, a unique list's sum, an exact length, a filter no
/// search can see through (primes), a count stated next to its string, two
/// lists' lengths, ten 64-bit values' sum, a rare `weighted` branch, and a
/// stack that loses the element pushed onto five.
func sixthBatch() -> [Problem] { [
    problem("int_in_10_20_above_15", Gen.integers(in: 10...20), ideal: { $0 == 16 }) { try check($0 <= 15) },
    problem("int_negative_range_below_minus_900", Gen.integers(in: -1000 ... -500), ideal: { $0 == -901 }) { try check($0 >= -900) },
    problem("float32_above_1e30", Gen.floats(), show: { pyFloat(Double($0)) }, ideal: { $0 == Float(1e30).nextUp }) {
        try check(!($0 > 1e30))
    },
    problem("list_of_100", Gen.arrays(of: Gen.integers(in: 0...10)), show: { "len \($0.count), sum \($0.reduce(0, +))" },
            ideal: { $0 == Array(repeating: 0, count: 100) }) { try check($0.count < 100) },
    problem("tree_depth_5", trees(Gen.integers(in: 0...1000)), show: \.repr,
            ideal: { $0.depth == 5 && $0.leaves.allSatisfy { $0 == 0 } && $0.leaves.count == 5 }) { try check($0.depth < 5) },
    problem("abc_contains_cba", Gen.strings(of: Gen.characters(from: "abc")), show: pyString, ideal: { $0 == "cba" }) { s in
        try check(!s.contains("cba"))
    },
    problem("unique_three_sum_over_100", Gen.uniqueArrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == [0, 1, 100] }) { xs in try check(!(xs.count >= 3 && xs.reduce(0, +) > 100)) },
    problem("text_exactly_5_with_a", Gen.strings(), show: pyString, ideal: { $0 == "0000a" }) { s in
        try check(!(s.unicodeScalars.count == 5 && s.contains("a")))
    },
    problem("prime_above_100", Gen.integers(in: 0...1000).filter(attempts: 20) { isPrime($0) }, ideal: { $0 == 101 }) {
        try check($0 <= 100)
    },
    problem("text_and_its_length", Gen.zip(Gen.strings(), Gen.integers(in: 0...20)), show: { "(\(pyString($0.0)), \($0.1))" },
            ideal: { $0 == ("000", 3) }) { t in try check(!(t.0.unicodeScalars.count == t.1 && t.1 >= 3)) },
    problem("lists_longer_by_3", Gen.zip(Gen.arrays(of: Gen.integers(in: 0...100)), Gen.arrays(of: Gen.integers(in: 0...100))),
            show: { "(\(pyList($0.0)), \(pyList($0.1)))" }, ideal: { $0.0 == [0, 0, 0] && $0.1 == [] }) { t in
        try check(t.0.count < t.1.count + 3)
    },
    problem("ten_ints_sum_over_1e6", Gen.arrays(of: i64, count: 10...10), show: pyList,
            ideal: { $0 == Array(repeating: 0, count: 9) + [1_000_001] }) { xs in
        var s: Int64 = 0
        for x in xs { let (r, o) = s.addingReportingOverflow(x); if o { return }; s = r }
        try check(s <= 1_000_000)
    },
    problem("weighted_rare_branch", Gen.weighted([(9, Gen.integers(in: 0...10).map { IntOrText.int($0) }),
                                                  (1, Gen.strings().map { IntOrText.text($0) })]),
            show: { if case .text(let s) = $0 { return "text " + pyString(s) } else { return "\($0)" } },
            ideal: { if case .text(let s) = $0 { return s == "00" } else { return false } }) { v in
        if case .text(let s) = v { try check(s.unicodeScalars.count < 2) }
    },
    machineProblem("machine_stack_loses_sixth", StateMachine<[Int64], StackLosingSixth>(
        model: { [] }, system: StackLosingSixth.init,
        rules: [
            .init("push") { model, stack, step in
                let x = try step.draw(Gen.integers(in: 0...100), "x")
                model.append(x)
                stack.push(x)
            },
            .init("pop", precondition: { !$0.isEmpty }) { model, stack, _ in
                let m = model.removeLast()
                let s = stack.pop()
                try expect(m == s, "popped \(String(describing: s)), expected \(m)")
            },
        ],
        check: { model, stack in try expect(model.count == stack.items.count, "count \(stack.items.count), expected \(model.count)") }),
        ideal: Array(repeating: "push(x: 0)", count: 6)),
] }

/// Whether `s` has a letter of `set` at least `count` times.
func hasLetters(_ s: String, from set: String, count: Int) -> Bool {
    s.unicodeScalars.filter { set.unicodeScalars.contains($0) }.count >= count
}

func seventhBatch() -> [Problem] { [
    problem("int8_sum_overflows", Gen.zip(Gen.integers(of: Int8.self), Gen.integers(of: Int8.self)), show: { "\($0)" },
            ideal: { $0 == (1, 127) }) { t in try check(!t.0.addingReportingOverflow(t.1).overflow) },
    problem("text_three_vowels", Gen.strings(), show: pyString, ideal: { $0 == "aaa" }) { s in
        try check(!hasLetters(s, from: "aeiou", count: 3))
    },
    problem("text_two_of_xyzab", Gen.strings(), show: pyString, ideal: { $0 == "aa" }) { s in
        try check(!hasLetters(s, from: "xyzab", count: 2))
    },
    problem("list_value_at_its_index", Gen.arrays(of: Gen.integers(in: 0...10)), show: pyList, ideal: { $0 == [0, 1] }) { xs in
        for (i, x) in xs.enumerated() where i > 0 && x == Int64(i) { throw Falsified() }
    },
    problem("list_coupling_filtered",
            Gen.arrays(of: Gen.integers(in: 0...10)).filter(attempts: 20) { xs in xs.allSatisfy { $0 < xs.count } },
            show: pyList, ideal: { $0 == [1, 0] }) { xs in
        for (i, x) in xs.enumerated() where x != Int64(i) { try check(xs[Int(x)] != Int64(i)) }
    },
    problem("interval_overlap",
            Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 1...10), Gen.integers(in: 0...100), Gen.integers(in: 1...10)),
            show: { "\($0)" }, ideal: { $0 == (0, 2, 1, 1) }) { t in
        try check(!(t.0 != t.2 && t.2 < t.0 + t.1 && t.0 < t.2 + t.3))
    },
    problem("text_pair_equal_nonempty", Gen.zip(Gen.strings(), Gen.strings()), show: { "(\(pyString($0.0)), \(pyString($0.1)))" },
            ideal: { $0 == ("0", "0") }) { t in try check(!(t.0 == t.1 && !t.0.isEmpty)) },
    problem("list_zero_after_five", Gen.arrays(of: Gen.integers(in: 0...10)), show: pyList, ideal: { $0 == [5, 0] }) { xs in
        guard let five = xs.firstIndex(of: 5) else { return }
        try check(!xs[(five + 1)...].contains(0))
    },
    problem("text_parens_depth_3", Gen.strings(of: Gen.characters(from: "()")), show: pyString, ideal: { $0 == "(((" }) { s in
        var depth = 0
        for c in s { depth = max(0, depth + (c == "(" ? 1 : -1)); try check(depth < 3) }
    },
    problem("list_average_over_10", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [0, 21] }) { xs in
        try check(!(xs.count >= 2 && xs.reduce(0, +) > 10 * Int64(xs.count)))
    },
    problem("dict_key_sum_over_100", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.integers(in: 0...10)),
            show: pyDict, ideal: { $0 == [1: 0, 100: 0] }) { d in try check(d.keys.reduce(0, +) <= 100) },
    problem("uint16_at_least_40000", Gen.integers(of: UInt16.self), ideal: { $0 == 40000 }) { try check($0 < 40000) },
    problem("int64_ordered_pair_above_1e9", Gen.zip(i64, i64), show: { "\($0)" },
            ideal: { $0 == (1_000_000_001, 1_000_000_002) }) { t in try check(!(t.0 > 1_000_000_000 && t.1 > t.0)) },
    problem("double_pair_sum_over_100", Gen.zip(Gen.doubles(in: 0...100), Gen.doubles(in: 0...100)),
            show: { "(\(pyFloat($0.0)), \(pyFloat($0.1)))" }, ideal: { $0 == (1.0, 100.0) }) { t in try check(t.0 + t.1 <= 100) },
    problem("list_three_summing_to_100", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [0, 0, 100] }) { xs in
        try check(!(xs.count == 3 && xs.reduce(0, +) == 100))
    },
    problem("bytes_three_rising", Gen.bytes(), show: pyBytes, ideal: { $0 == [0, 1, 2] }) { b in
        for i in b.indices.dropLast(2) where b[i] < b[i + 1] && b[i + 1] < b[i + 2] { throw Falsified() }
    },
    problem("unique_by_max_five", Gen.uniqueArrays(of: Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100)), by: { max($0.0, $0.1) }),
            show: { "[" + $0.map { "(\($0.0), \($0.1))" }.joined(separator: ", ") + "]" },
            ideal: { $0.count == 5 && $0.map { max($0.0, $0.1) }.sorted() == [0, 1, 2, 3, 4] && $0.allSatisfy { $0.0 == 0 || $0.1 == 0 } }) { xs in
        try check(xs.count < 5)
    },
    problem("list_neighbours_51_apart", Gen.arrays(of: Gen.integers(in: -100...100)), show: pyList, ideal: { $0 == [0, 51] }) { xs in
        for i in xs.indices.dropLast() where abs(xs[i] - xs[i + 1]) > 50 { throw Falsified() }
    },
    problem("pair_differ_by_one", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)), show: { "\($0)" },
            ideal: { $0 == (0, 1) }) { t in try check(abs(t.0 - t.1) != 1) },
] }

/// A list of integers and lists nested at most six deep, up to four to a list.
indirect enum Json: Equatable {
    case int(Int64)
    case list([Json])
    var repr: String {
        switch self {
        case .int(let x): return String(x)
        case .list(let xs): return "[" + xs.map(\.repr).joined(separator: ", ") + "]"
        }
    }
    /// Whether an integer above 10 lies inside at least two lists.
    func hasDeepInt(_ depth: Int = 0) -> Bool {
        switch self {
        case .int(let x): return depth >= 2 && x > 10
        case .list(let xs): return xs.contains { $0.hasDeepInt(depth + 1) }
        }
    }
}

let jsons: Generator<Json> = Gen.recursive(maxDepth: 6, label: "json", base: Gen.integers(in: 0...100).map { Json.int($0) }) { inner in
    Gen.arrays(of: inner, count: 0...4).map { Json.list($0) }
}

/// The seventeenth round's second probe: lists with a greatest count.
func eighthBatch() -> [Problem] { [
    problem("list_at_most_3_above_50", Gen.arrays(of: Gen.integers(in: 0...100), count: 0...3), show: pyList,
            ideal: { $0 == [51] }) { xs in try check(!xs.contains { $0 > 50 }) },
    problem("list_at_most_4_sum_over_100", Gen.arrays(of: Gen.integers(in: 0...100), count: 0...4), show: pyList,
            ideal: { $0 == [1, 100] }) { xs in try check(xs.reduce(0, +) <= 100) },
    problem("lists_at_most_3_above_50", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100), count: 0...3), count: 0...3),
            show: pyNested, ideal: { $0 == [[51]] }) { xss in try check(!xss.joined().contains { $0 > 50 }) },
    problem("json_int_two_deep_above_10", jsons, show: \.repr, ideal: { $0 == .list([.list([.int(11)])]) }) { j in
        try check(!j.hasDeepInt())
    },
] }

/// The seventeenth round's third probe: a product, and equal siblings.
func ninthBatch() -> [Problem] { [
    problem("int_pair_product_below_minus_100", Gen.zip(Gen.integers(in: -1000...1000), Gen.integers(in: -1000...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1, -101) || $0 == (-1, 101) }) { t in try check(!(t.0 * t.1 < -100)) },
    problem("strings_two_of_one_length", Gen.arrays(of: Gen.strings()), show: { "[" + $0.map(pyString).joined(separator: ", ") + "]" },
            ideal: { $0 == ["00", "00"] }) { ss in
        let lengths = ss.map(\.unicodeScalars.count).filter { $0 >= 2 }
        try check(Set(lengths).count == lengths.count)
    },
    problem("lists_two_equal_nonempty", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...10))), show: pyNested,
            ideal: { $0 == [[0], [0]] }) { xss in
        for i in xss.indices { for j in xss.indices where j > i && !xss[i].isEmpty && xss[i] == xss[j] { throw Falsified() } }
    },
] }

/// The eighteenth round's probe: values in decreasing order (a tuple, longer
/// lists, steps of at least five, non-increasing, signed, nested).
func tenthBatch() -> [Problem] { [
    problem("int_triple_strictly_decreasing", Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100), Gen.integers(in: 0...100)),
            show: { "(\($0.0), \($0.1), \($0.2))" }, ideal: { $0 == (2, 1, 0) }) { t in try check(!(t.0 > t.1 && t.1 > t.2)) },
    problem("list_strictly_decreasing_len_4", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [3, 2, 1, 0] }) { xs in
        try check(!(xs.count >= 4 && zip(xs, xs.dropFirst()).allSatisfy { $0 > $1 }))
    },
    problem("list_non_increasing_first_over_10", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [11, 0, 0] }) { xs in
        try check(!(xs.count >= 3 && xs[0] > 10 && zip(xs, xs.dropFirst()).allSatisfy { $0 >= $1 }))
    },
    problem("list_decreasing_by_5", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [10, 5, 0] }) { xs in
        try check(!(xs.count >= 3 && zip(xs, xs.dropFirst()).allSatisfy { $0 >= $1 + 5 }))
    },
    problem("list_int64_strictly_decreasing_len_3", Gen.arrays(of: Gen.integers()), show: pyList, ideal: { $0 == [0, -1, -2] }) { xs in
        try check(!(xs.count >= 3 && zip(xs, xs.dropFirst()).allSatisfy { $0 > $1 }))
    },
    problem("lists_inner_decreasing_len_3", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...100))), show: pyNested, ideal: { $0 == [[2, 1, 0]] }) { xss in
        try check(!xss.contains { xs in xs.count >= 3 && zip(xs, xs.dropFirst()).allSatisfy { $0 > $1 } })
    },
    problem("list_decreasing_somewhere_sum_over_50", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [26, 25] }) { xs in
        try check(!(zip(xs, xs.dropFirst()).contains { $0 > $1 } && xs.reduce(0, +) > 50))
    },
] }

/// The eighteenth round's second probe: chains, sums that overflow or wrap,
/// pairs in a list, four decreasing values, lengths, words, distinct values.
func eleventhBatch() -> [Problem] { [
    problem("list_last_is_sum_over_10", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [0, 11, 11] }) { xs in
        try check(!(xs.count >= 3 && xs.last! > 10 && xs.last! == xs.dropLast().reduce(0, +)))
    },
    problem("pairs_three_first_greater", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...10), Gen.integers(in: 0...10))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) }, ideal: { $0.count == 3 && $0.allSatisfy { $0 == (1, 0) } }) { ps in
        try check(ps.filter { $0.0 > $0.1 }.count < 3)
    },
    problem("list_int64_sum_overflows", Gen.arrays(of: Gen.integers()), show: pyList, ideal: { $0 == [1, Int64.max] }) { xs in
        var total: Int64 = 0
        for x in xs { let (t, o) = total.addingReportingOverflow(x); if o { throw Falsified() }; total = t }
    },
    problem("uint8_list_wraps_to_zero", Gen.arrays(of: Gen.integers(of: UInt8.self)), show: pyList, ideal: { $0 == [1, 255] }) { xs in
        try check(!(xs.count >= 2 && xs.allSatisfy { $0 != 0 } && xs.reduce(UInt8(0), &+) == 0))
    },
    problem("tuple_of_four_decreasing", Gen.zip(Gen.integers(in: 0...100), Gen.integers(in: 0...100), Gen.integers(in: 0...100), Gen.integers(in: 0...100)),
            show: { "(\($0.0), \($0.1), \($0.2), \($0.3))" }, ideal: { $0 == (3, 2, 1, 0) }) { t in try check(!(t.0 > t.1 && t.1 > t.2 && t.2 > t.3)) },
    problem("lists_lengths_decreasing", Gen.arrays(of: Gen.arrays(of: Gen.integers(in: 0...10))), show: pyNested,
            ideal: { $0 == [[0, 0], [0], []] }) { xss in
        try check(!(xss.count >= 3 && zip(xss, xss.dropFirst()).allSatisfy { $0.count > $1.count }))
    },
    problem("text_two_words", Gen.strings(), show: pyString, ideal: { $0 == "0 0" }) { s in
        let u = Array(s.unicodeScalars)
        try check(!(u.indices.dropFirst().dropLast().contains { u[$0] == " " && u[$0 - 1] != " " && u[$0 + 1] != " " }))
    },
    problem("list_distinct_three_sum_over_30", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [0, 1, 30] }) { xs in
        try check(!(xs.count >= 3 && Set(xs).count == xs.count && xs.reduce(0, +) > 30))
    },
] }

/// The nineteenth round's probe: equal values in two places, which random
/// draws almost never meet and the search's duplication mutation makes.
func twelfthBatch() -> [Problem] {
    let smallPairs = Gen.arrays(of: Gen.zip(Gen.integers(in: 0...5), Gen.integers(in: 0...5)))
    let showPairs = { (ps: [(Int64, Int64)]) in pyList(ps.map { "(\($0.0), \($0.1))" }) }
    return [
        problem("strings_pair_equal_len_3", Gen.zip(Gen.strings(), Gen.strings()), show: { "(\(pyString($0.0)), \(pyString($0.1)))" },
                ideal: { $0 == ("000", "000") }) { t in try check(!(t.0 == t.1 && t.0.unicodeScalars.count >= 3)) },
        problem("lists_pair_equal_len_2", Gen.zip(Gen.arrays(of: Gen.integers(in: 0...10)), Gen.arrays(of: Gen.integers(in: 0...10))),
                show: { "(\(pyList($0.0)), \(pyList($0.1)))" }, ideal: { $0.0 == [0, 0] && $0.1 == [0, 0] }) { t in
            try check(!(t.0 == t.1 && t.0.count >= 2))
        },
        problem("list_string_twice_len_2", Gen.arrays(of: Gen.strings()), show: { pyList($0.map(pyString)) },
                ideal: { $0 == ["00", "00"] }) { ss in
            try check(!ss.indices.contains { i in ss.indices.contains { j in j > i && ss[i] == ss[j] && ss[i].unicodeScalars.count >= 2 } })
        },
        problem("int64_pair_equal_above_1000", Gen.zip(i64, i64), show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (1001, 1001) }) { t in
            try check(!(t.0 == t.1 && t.0 > 1000))
        },
        problem("strings_first_equals_last", Gen.arrays(of: Gen.strings()), show: { pyList($0.map(pyString)) },
                ideal: { $0 == ["0", "0"] }) { ss in
            try check(!(ss.count >= 2 && ss.first == ss.last && !ss[0].isEmpty))
        },
        problem("pair_lists_of_pairs_equal", Gen.zip(smallPairs, smallPairs), show: { "(\(showPairs($0.0)), \(showPairs($0.1)))" },
                ideal: { $0.0.count == 1 && $0.1.count == 1 && $0.0[0] == (0, 0) && $0.1[0] == (0, 0) }) { t in
            try check(!(!t.0.isEmpty && t.0.count == t.1.count && zip(t.0, t.1).allSatisfy { $0 == $1 }))
        },
        problem("bytes_pair_equal_len_4", Gen.zip(Gen.bytes(count: 0...16), Gen.bytes(count: 0...16)),
                show: { "(\(pyBytes($0.0)), \(pyBytes($0.1)))" }, ideal: { $0.0 == [0, 0, 0, 0] && $0.1 == [0, 0, 0, 0] }) { t in
            try check(!(t.0 == t.1 && t.0.count >= 4))
        },
    ]
}

/// The twentieth round's probe: state machines of the kinds allocator and
/// data-structure tests are made of, where the minimal run needs a value
/// coupled across steps, a bundle entry other than the newest, or steps
/// that random runs bury among pairs that cancel out.
func thirteenthBatch() -> [Problem] { [
    machineProblem("machine_counter_skips_4", StateMachine<Int, CounterAt3>(
        model: { 0 }, system: CounterAt3.init,
        rules: [
            .init("increment") { model, counter, _ in model += 1; counter.increment() },
            .init("decrement", precondition: { $0 > 0 }) { model, counter, _ in model -= 1; counter.decrement() },
        ],
        check: { model, counter in try expect(model == counter.value, "model \(model), counter \(counter.value)") }),
        ideal: ["increment()", "increment()", "increment()", "increment()"]),
    machineProblem("machine_overdraft_above_50", StateMachine<Int, LenientAccount>(
        model: { 0 }, system: LenientAccount.init,
        rules: [
            .init("deposit") { balance, account, step in
                let amount = try step.draw(Gen.ints(in: 0...100), "amount")
                balance += amount
                account.deposit(amount)
            },
            .init("withdraw") { balance, account, step in
                let amount = try step.draw(Gen.ints(in: 0...100), "amount")
                let allowed = amount <= balance
                if allowed { balance -= amount }
                try expect(account.withdraw(amount) == allowed, "withdraw(\(amount))")
            },
        ]), ideal: ["deposit(amount: 50)", "withdraw(amount: 51)"]),
    machineProblem("machine_set_remove_absent", StateMachine<Set<Int>, MiscountingSet>(
        model: { [] }, system: MiscountingSet.init,
        rules: [
            .init("insert") { model, set, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                model.insert(x)
                set.insert(x)
            },
            .init("remove") { model, set, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                model.remove(x)
                set.remove(x)
            },
        ],
        check: { model, set in try expect(model.count == set.count, "model \(model.count), set \(set.count)") }),
        ideal: ["insert(x: 0)", "remove(x: 1)"]),
    machineProblem("machine_free_list_double_push", StateMachine<Set<Int>, DoublePushAllocator>(
        model: { [] }, system: DoublePushAllocator.init,
        rules: [
            .init("alloc") { live, allocator, step in
                let size = try step.draw(Gen.ints(in: 1...64), "size")
                let address = allocator.alloc(size)
                try expect(live.insert(address).inserted, "address \(address) handed out twice")
                step.produce(address, into: "blocks")
            },
            .init("free", precondition: { !$0.isEmpty }) { live, allocator, step in
                let address = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                live.remove(address)
                allocator.free(address)
            },
        ]), ideal: ["v1 = alloc(size: 33)", "free(block: v1)", "v2 = alloc(size: 1)", "alloc(size: 1)"]),
    machineProblem("machine_stack_free_older", StateMachine<[Int: Int], RewindingStackAllocator>(
        model: { [:] }, system: RewindingStackAllocator.init,
        rules: [
            .init("alloc") { live, allocator, step in
                let size = try step.draw(Gen.ints(in: 1...64), "size")
                let address = allocator.alloc(size)
                try expect(!live.contains { $0.key < address + size && address < $0.key + $0.value }, "overlap at \(address)")
                live[address] = size
                step.produce(address, into: "blocks")
            },
            .init("free", precondition: { !$0.isEmpty }) { live, allocator, step in
                let address = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                live[address] = nil
                allocator.free(address)
            },
        ]), ideal: ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "free(block: v1)", "alloc(size: 2)"]),
    machineProblem("machine_lru_get_without_refresh", StateMachine<[Int], StaleLRU>(
        model: { [] }, system: StaleLRU.init,
        rules: [
            .init("put") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                model.removeAll { $0 == key }
                model.append(key)
                if model.count > 2 { model.removeFirst() }
                cache.put(key)
            },
            .init("get") { model, cache, step in
                let key = try step.draw(Gen.ints(in: 0...9), "key")
                if let i = model.firstIndex(of: key) { model.append(model.remove(at: i)) }
                try expect(cache.get(key) == model.contains(key), "get(\(key))")
            },
        ],
        check: { model, cache in try expect(Set(model) == Set(cache.keys), "model \(model), cache \(cache.keys)") }),
        ideal: ["put(key: 0)", "put(key: 1)", "get(key: 0)", "put(key: 2)"]),
    problem("list_abab_pattern", Gen.arrays(of: Gen.integers(in: 0...3)), show: pyList, ideal: { $0 == [0, 1, 0, 1] }) { xs in
        try check(!(xs.count == 4 && xs[0] == xs[2] && xs[1] == xs[3] && xs[0] != xs[1]))
    },
    problem("pairs_key_with_two_values", Gen.arrays(of: Gen.zip(Gen.integers(in: 0...3), Gen.integers(in: 0...3))),
            show: { pyList($0.map { "(\($0.0), \($0.1))" }) }, ideal: { $0.count == 2 && $0[0] == (0, 0) && $0[1] == (0, 1) }) { ps in
        try check(!ps.indices.contains { i in ps.indices.contains { j in j > i && ps[i].0 == ps[j].0 && ps[i].1 != ps[j].1 } })
    },
] }

/// The fourteenth batch: relations between values an allocator's tests
/// state (size classes, alignment waste, length-prefixed records), a
/// rectangular table, a ring buffer's overwrite and a common divisor.
func fourteenthBatch() -> [Problem] { [
    problem("pair_signed_gap_over_100", Gen.zip(i64, i64), show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (-1, 100) }) { t in
        try check(!(t.0 < 0 && t.1 > 0 && t.1 > t.0 + 100))  // (t.0 + 100 cannot overflow when t.0 < 0)
    },
    problem("pair_same_size_class", Gen.zip(Gen.integers(in: 0...4096), Gen.integers(in: 0...4096)), show: { "(\($0.0), \($0.1))" },
            ideal: { $0 == (65, 66) }) { t in
        try check(!(t.0 != t.1 && t.0 >= 64 && t.1 >= 64 && (t.0 + 7) / 8 == (t.1 + 7) / 8))
    },
    problem("bytes_length_prefixed_sum_over_300", Gen.bytes(count: 0...32), show: pyBytes, ideal: { $0 == [2, 46, 255] }) { b in
        guard let n = b.first.map(Int.init), n >= 1, b.count >= 1 + n else { return }
        try check(b[1...n].map(Int.init).reduce(0, +) <= 300)
    },
    problem("matrix_last_row_nonzero", Gen.integers(in: 1...5).flatMap { c in Gen.arrays(of: Gen.arrays(of: i64, count: Int(c)...Int(c))) },
            show: pyNested, ideal: { $0 == [[0], [1]] }) { rows in
        try check(!(rows.count >= 2 && rows.last!.contains { $0 != 0 }))
    },
    problem("int_pair_common_divisor_over_10", Gen.zip(Gen.integers(in: 1...1000), Gen.integers(in: 1...1000)), show: { "(\($0.0), \($0.1))" },
            ideal: { $0 == (11, 11) }) { t in
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        try check(gcd(t.0, t.1) <= 10)
    },
    problem("size_alignment_waste_100", Gen.zip(Gen.integers(in: 1...4096), Gen.integers(in: 0...12)), show: { "(\($0.0), \($0.1))" },
            ideal: { $0 == (1, 7) }) { t in
        let align = Int64(1) << t.1
        try check((t.0 + align - 1) / align * align - t.0 < 100)
    },
    machineProblem("machine_ring_overwrites_oldest", StateMachine<[Int], OverwritingRing>(
        model: { [] }, system: OverwritingRing.init,
        rules: [
            .init("push") { queue, ring, step in
                let x = try step.draw(Gen.ints(in: 0...9), "x")
                let accepted = queue.count < 3
                if accepted { queue.append(x) }
                ring.push(x)
            },
            .init("pop", precondition: { !$0.isEmpty }) { queue, ring, _ in
                let expected = queue.removeFirst()
                let got = ring.pop()
                try expect(got == expected, "pop() gave \(String(describing: got)), expected \(expected)")
            },
        ]), ideal: ["push(x: 0)", "push(x: 0)", "push(x: 0)", "push(x: 1)", "pop()"]),
] }

/// The fifteenth batch: duplicates apart, keys in one bucket, repeated
/// substrings and anagrams, zero-sum runs, an index into a list, bits
/// across a pair, and a `flatMap` on a boolean.
func fifteenthBatch() -> [Problem] { [
    problem("list_duplicate_not_adjacent", Gen.arrays(of: Gen.integers(in: 0...10)), show: pyList, ideal: { $0 == [0, 1, 0] }) { xs in
        // (A deduplication that only removes adjacent repeats.)
        var kept: [Int64] = []
        for x in xs where kept.last != x { kept.append(x) }
        try check(Set(kept).count == kept.count)
    },
    problem("dict_two_keys_one_bucket", Gen.dictionaries(keys: Gen.integers(in: 0...1000), values: i64), show: pyDict,
            ideal: { $0 == [0: 0, 16: 0] }) { d in
        try check(Set(d.keys.map { $0 % 16 }).count == d.count)
    },
    problem("text_two_letter_substring_twice", Gen.strings(), show: pyString, ideal: { $0 == "0101" }) { s in
        let u = Array(s.unicodeScalars)
        let pairs = u.count < 2 ? [] : (0..<(u.count - 1)).filter { u[$0] != u[$0 + 1] }
        try check(!pairs.contains { i in pairs.contains { j in j >= i + 2 && u[i] == u[j] && u[i + 1] == u[j + 1] } })
    },
    problem("list_of_optionals_none_then_sum", Gen.arrays(of: Gen.optional(Gen.integers(in: 0...100))),
            show: { pyList($0.map { $0.map { "\($0)" } ?? "None" }) }, ideal: { $0 == [nil, 1, 100] }) { xs in
        guard let firstNone = xs.firstIndex(where: { $0 == nil }), let firstSome = xs.firstIndex(where: { $0 != nil }) else { return }
        try check(!(firstNone < firstSome && xs.compactMap { $0 }.reduce(0, +) > 100))
    },
    problem("list_zero_sum_run", Gen.arrays(of: Gen.integers(in: -10...10)), show: pyList, ideal: { $0 == [1, -1] }) { xs in
        var sum: Int64 = 0
        var wasNonzero = false
        for x in xs {
            sum += x
            if sum != 0 { wasNonzero = true }
            try check(!(wasNonzero && sum == 0))
        }
    },
    problem("list_and_index_above_50", Gen.zip(Gen.arrays(of: Gen.integers(in: 0...100)), Gen.integers(in: 0...10)),
            show: { "(\(pyList($0.0)), \($0.1))" }, ideal: { $0.0 == [51] && $0.1 == 0 }) { t in
        try check(!(t.1 < t.0.count && t.0[Int(t.1)] > 50))
    },
    problem("strings_anagram_pair", Gen.zip(Gen.strings(), Gen.strings()), show: { "(\(pyString($0.0)), \(pyString($0.1)))" },
            ideal: { $0 == ("01", "10") }) { t in
        try check(!(t.0 != t.1 && t.0.count >= 2 && t.0.unicodeScalars.map(\.value).sorted() == t.1.unicodeScalars.map(\.value).sorted()))
    },
    problem("uint16_pair_xor_high_bit", Gen.zip(Gen.integers(of: UInt16.self), Gen.integers(of: UInt16.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 32768) }) { t in
        try check((t.0 ^ t.1) < 0x8000)
    },
    problem("flatmap_bool_int_or_text", Gen.booleans().flatMap { b in
        b ? Gen.integers(in: 0...1000).map { IntOrText.int($0) } : Gen.strings().map { IntOrText.text($0) }
    }, show: \.repr, ideal: { $0 == .int(10) }) { v in
        switch v {
        case .int(let x): try check(x < 10)
        case .text(let t): try check(t.count < 3)
        }
    },
] }

/// The sixteenth batch: a range drawn from its low end, a maximum in front,
/// a checksum byte, strings of one length in a set, a wrapping 8-bit
/// counter, and a pair of optionals in order.
func sixteenthBatch() -> [Problem] { [
    problem("flatmap_range_width_over_100", Gen.integers(in: 0...1000).flatMap { lo in Gen.integers(in: lo...(lo + 500)).map { (lo, $0) } },
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (0, 101) }) { t in try check(t.1 - t.0 <= 100) },
    problem("list_max_in_front_over_50", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList, ideal: { $0 == [51, 0, 0] }) { xs in
        try check(!(xs.count >= 3 && xs[0] > 50 && xs[0] == xs.max()))
    },
    problem("bytes_checksum_holds", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [1, 0, 1] }) { b in
        // (A checksum byte at the end that matches: a parser then reads the record.)
        guard b.count >= 3, b[0] != 0 else { return }
        try check(b.dropLast().reduce(UInt8(0), &+) != b.last!)
    },
    problem("set_three_strings", Gen.sets(of: Gen.strings()), show: { "{" + $0.sorted().map(pyString).joined(separator: ", ") + "}" },
            ideal: { $0 == ["", "0", "1"] }) { set in
        try check(set.count < 3)
    },
    problem("unique_three_byte_strings", Gen.uniqueArrays(of: Gen.bytes()), show: { "\($0)" },
            ideal: { Set($0) == [[], [0], [1]] }) { a in
        try check(a.count < 3)
    },
    problem("set_two_strings_one_length", Gen.sets(of: Gen.strings()), show: { "{" + $0.sorted().map(pyString).joined(separator: ", ") + "}" },
            ideal: { $0 == ["00", "01"] }) { set in
        let lengths = set.map(\.count).filter { $0 >= 2 }
        try check(Set(lengths).count == lengths.count)
    },
    machineProblem("machine_uint8_counter_wraps", StateMachine<Int, WrappingCounter>(
        model: { 0 }, system: WrappingCounter.init,
        rules: [
            .init("add") { total, counter, step in
                let n = try step.draw(Gen.ints(in: 0...255), "n")
                total += n
                counter.add(UInt8(n))
                try expect(Int(counter.value) == total, "counter \(counter.value), total \(total)")
            },
        ]), ideal: ["add(n: 1)", "add(n: 255)"]),
    problem("optional_pair_first_greater", Gen.zip(Gen.optional(Gen.integers(in: 0...100)), Gen.optional(Gen.integers(in: 0...100))),
            show: { "(\($0.0.map { "\($0)" } ?? "None"), \($0.1.map { "\($0)" } ?? "None"))" },
            ideal: { $0.0 == 1 && $0.1 == 0 }) { t in
        guard let a = t.0, let b = t.1 else { return }
        try check(a <= b)
    },
] }

/// The seventeenth batch: records in a byte string, an exact sum, a
/// leaking allocator, and values that cancel out.
func seventeenthBatch() -> [Problem] { [
    problem("bytes_second_record_over_100", Gen.bytes(count: 0...32), show: pyBytes, ideal: { $0 == [0, 1, 101] }) { b in
        // Records of a length byte and that many bytes (fewer at the end).
        var records: [[UInt8]] = []
        var position = 0
        while position < b.count {
            let n = Int(b[position])
            records.append(Array(b[(position + 1)..<Swift.min(position + 1 + n, b.count)]))
            position += 1 + n
        }
        try check(!(records.count >= 2 && records[1].map(Int.init).reduce(0, +) > 100))
    },
    problem("pair_sum_exactly_100", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)), show: { "(\($0.0), \($0.1))" },
            ideal: { $0 == (0, 100) }) { t in try check(t.0 + t.1 != 100) },
    machineProblem("machine_allocator_leaks_large", StateMachine<[Int: Int], LeakingAllocator>(
        model: { [:] }, system: LeakingAllocator.init,
        rules: [
            .init("alloc") { live, allocator, step in
                let size = try step.draw(Gen.ints(in: 1...64), "size")
                let address = allocator.alloc(size)
                live[address] = size
                step.produce(address, into: "blocks")
            },
            .init("free", precondition: { !$0.isEmpty }) { live, allocator, step in
                let address = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                allocator.free(address, size: live.removeValue(forKey: address)!)
            },
        ],
        check: { live, allocator in
            let expected = live.values.reduce(0, +)
            try expect(allocator.inUse == expected, "in use \(allocator.inUse), expected \(expected)")
        }), ideal: ["v1 = alloc(size: 17)", "free(block: v1)"]),
    problem("uint32_list_xor_to_zero", Gen.arrays(of: Gen.integers(of: UInt32.self)), show: pyList, ideal: { $0 == [1, 1] }) { xs in
        try check(!(xs.count >= 2 && !xs.contains(0) && xs.reduce(0, ^) == 0))
    },
] }

/// The eighteenth probe: bits of machine words (two far apart, two flags,
/// three in a top byte), a string whose UTF-8 form outgrows its scalars,
/// a dictionary of lists, a bump allocator whose free rolls back too far,
/// a divisor pair, an optional list, alternating signs, two counts of
/// repeated values, dictionary keys in one bucket of a word, doubles past
/// 2^53, invalid UTF-8, a big-endian length field, a pair of bytes that
/// cover every bit, sizes rounded up to pages, sorted lists that are not
/// sorted together, bits spread over a list, a list capped per value, an
/// `Int32` product that overflows, a string key with a large value, and
/// 16-bit words in a byte string.
func eighteenthBatch() -> [Problem] { [
    problem("uint64_two_bits_33_apart", Gen.integers(of: UInt64.self), ideal: { $0 == (1 << 33) + 1 }) { x in
        try check(!(x.nonzeroBitCount == 2 && (63 - x.leadingZeroBitCount) - x.trailingZeroBitCount >= 33))
    },
    problem("uint32_flags_5_and_9", Gen.integers(of: UInt32.self), ideal: { $0 == 0x220 }) { x in
        try check(x & 0x220 != 0x220)
    },
    problem("uint64_three_bits_in_top_byte", Gen.integers(of: UInt64.self), ideal: { $0 == 0x0700_0000_0000_0000 }) { x in
        try check((x >> 56).nonzeroBitCount < 3)
    },
    problem("text_utf8_three_bytes_more", Gen.strings(), show: pyString, ideal: { $0 == "\u{10000}" }) { s in
        try check(s.utf8.count < s.unicodeScalars.count + 3)
    },
    problem("dict_of_lists_total_5", Gen.dictionaries(keys: Gen.integers(in: 0...100), values: Gen.arrays(of: i64)),
            show: { d in "{" + d.keys.sorted().map { "\($0): \(pyList(d[$0]!))" }.joined(separator: ", ") + "}" },
            ideal: { $0 == [0: [0, 0, 0, 0, 0]] }) { d in try check(d.values.map(\.count).reduce(0, +) < 5) },
    machineProblem("machine_bump_free_rolls_back", StateMachine<[[Int]], BumpAllocator>(
        model: { [] }, system: BumpAllocator.init,
        rules: [
            .init("alloc") { live, allocator, step in
                let size = try step.draw(Gen.ints(in: 1...64), "size")
                let address = allocator.alloc(size)
                live.append([address, size])
                step.produce(address, into: "blocks")
            },
            .init("free", precondition: { !$0.isEmpty }) { live, allocator, step in
                let address = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                let size = live.remove(at: live.firstIndex { $0[0] == address }!)[1]
                allocator.free(address, size: size)
            },
        ],
        check: { live, _ in
            // Live blocks (address, size) must not overlap.
            let blocks = live.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
            for (a, b) in zip(blocks, blocks.dropFirst()) {
                try expect(a[0] + a[1] <= b[0], "blocks at \(a[0]) and \(b[0]) overlap")
            }
        }), ideal: ["v1 = alloc(size: 1)", "v2 = alloc(size: 1)", "free(block: v1)", "v3 = alloc(size: 1)"]),
    problem("int_pair_divides_over_100", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (2, 102) }) { t in
        try check(!(t.0 >= 2 && t.1 > 100 && t.1 != t.0 && t.1 % t.0 == 0))
    },
    problem("optional_list_len_3", Gen.optional(Gen.arrays(of: i64)), show: { $0.map { pyList($0) } ?? "None" },
            ideal: { $0 == [0, 0, 0] }) { try check(($0?.count ?? 0) < 3) },
    problem("list_alternating_signs_len_4", Gen.arrays(of: i64), show: pyList, ideal: { $0 == [1, -1, 1, -1] }) { xs in
        try check(!(xs.count >= 4 && zip(xs, xs.dropFirst()).allSatisfy { $0.signum() * $1.signum() < 0 }))
    },
    problem("list_value_thrice_another_twice", Gen.arrays(of: i64), show: pyList, ideal: { $0 == [0, 0, 0, 1, 1] }) { xs in
        let counts = Dictionary(xs.map { ($0, 1) }, uniquingKeysWith: +)
        let thrice = counts.filter { $0.value >= 3 }.map(\.key)
        try check(!thrice.contains { t in counts.contains { $0.key != t && $0.value >= 2 } })
    },
    problem("dict_uint32_keys_same_low_nibble", Gen.dictionaries(keys: Gen.integers(of: UInt32.self).map { Int64($0) }, values: i64),
            show: pyDict, ideal: { $0 == [0: 0, 16: 0] }) { d in
        try check(Set(d.keys.map { $0 & 15 }).count == d.count)
    },
    problem("float_plus_one_unchanged", Gen.doubles(allowNaN: false, allowInfinity: false), show: pyFloat,
            ideal: { $0 == 9007199254740992.0 }) { x in try check(x + 1 != x) },
    problem("float_at_least_1e17", Gen.doubles(allowNaN: false), show: pyFloat, ideal: { $0 == 1e17 }) { x in try check(!(x >= 1e17)) },
    problem("bytes_invalid_utf8", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [128] }) { b in
        try check(String(validating: b, as: UTF8.self) != nil)
    },
    problem("bytes_be16_exceeds_length", Gen.bytes(count: 0...16), show: pyBytes, ideal: { $0 == [0, 3] }) { b in
        try check(!(b.count >= 2 && Int(b[0]) << 8 | Int(b[1]) > b.count))
    },
    problem("list_uint8_pair_or_all_ones", Gen.arrays(of: Gen.integers(of: UInt8.self)), show: pyList, ideal: { $0 == [0, 255] }) { xs in
        try check(!xs.indices.contains { i in xs.indices.contains { j in i < j && xs[i] | xs[j] == 255 } })
    },
    problem("sizes_rounded_to_pages_over_3", Gen.arrays(of: Gen.integers(in: 1...4096)), show: pyList, ideal: { $0 == [1, 1, 1, 1] }) { xs in
        try check(xs.map { ($0 + 4095) / 4096 }.reduce(0, +) <= 3)
    },
    problem("lists_each_sorted_flat_unsorted", Gen.arrays(of: Gen.arrays(of: i64)), show: pyNested, ideal: { $0 == [[0], [-1]] }) { xss in
        let flat = xss.flatMap { $0 }
        try check(!(xss.allSatisfy { $0 == $0.sorted() } && flat != flat.sorted()))
    },
    problem("uint16_list_popcount_10", Gen.arrays(of: Gen.integers(of: UInt16.self)), show: pyList, ideal: { $0 == [1023] }) { xs in
        try check(xs.map(\.nonzeroBitCount).reduce(0, +) < 10)
    },
    problem("list_capped_sum_1000", Gen.arrays(of: Gen.integers(in: 0...100)), show: pyList,
            ideal: { $0 == Array(repeating: 100, count: 10) }) { xs in try check(xs.reduce(0, +) < 1000) },
    problem("int32_pair_product_overflows", Gen.zip(Gen.integers(of: Int32.self), Gen.integers(of: Int32.self)),
            show: { "(\($0.0), \($0.1))" }, ideal: { $0 == (-1, Int32.min) }) { t in
        try check(!t.0.multipliedReportingOverflow(by: t.1).overflow)
    },
    problem("dict_string_key_len3_value_over_10", Gen.dictionaries(keys: Gen.strings(), values: Gen.integers(in: 0...1000)),
            show: { d in "{" + d.keys.sorted().map { "\(pyString($0)): \(d[$0]!)" }.joined(separator: ", ") + "}" },
            ideal: { $0 == ["000": 11] }) { d in try check(!d.contains { $0.key.count >= 3 && $0.value > 10 }) },
    problem("bytes_le16_words_sum_over_255", Gen.bytes(count: 0...32), show: pyBytes, ideal: { $0 == [0, 1] }) { b in
        // Little-endian 16-bit words (pairs of bytes) adding up to over 255.
        var total = 0
        var i = 0
        while i + 1 < b.count { total += Int(b[i]) | Int(b[i + 1]) << 8; i += 2 }
        try check(total <= 255)
    },
] }

/// A bump allocator whose free rolls the top back by the block's size
/// whichever block is freed (only the latest block may roll it back).
final class BumpAllocator {
    private var top = 0
    func alloc(_ size: Int) -> Int {
        defer { top += size }
        return top
    }
    func free(_ address: Int, size: Int) { top -= size }
}

/// An allocator whose free of a block over 16 bytes forgets to count it
/// as returned.
final class LeakingAllocator {
    private(set) var inUse = 0
    private var next = 0
    func alloc(_ size: Int) -> Int {
        inUse += size
        defer { next += 64 }
        return next
    }
    func free(_ address: Int, size: Int) {
        if size <= 16 { inUse -= size }
    }
}

/// An 8-bit counter that wraps where it should count on.
final class WrappingCounter {
    private(set) var value: UInt8 = 0
    func add(_ n: UInt8) { value &+= n }
}

/// A ring buffer of three slots whose push into a full buffer should be
/// refused but overwrites the oldest value in place.
final class OverwritingRing {
    private var slots = [Int](repeating: 0, count: 3)
    private var head = 0, count = 0
    func push(_ x: Int) {
        slots[(head + count) % 3] = x
        if count < 3 { count += 1 }
    }
    func pop() -> Int? {
        guard count > 0 else { return nil }
        defer { head = (head + 1) % 3; count -= 1 }
        return slots[head]
    }
}
