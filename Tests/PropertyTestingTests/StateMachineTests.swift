import Testing
@testable import PropertyTesting

/// A value-type stack whose pop loses the value under it when three are held.
struct ValueStack {
    var items: [Int] = []
    mutating func push(_ x: Int) { items.append(x) }
    mutating func pop() -> Int? {
        if items.count == 3 { items.removeLast() }  // the bug: drops one more
        return items.popLast()
    }
}

/// Counts what a state machine's teardown sees (one reference per run).
final class TeardownLog: @unchecked Sendable {
    var runs = 0
}

/// A pool whose free of a block of 2 MiB or more, while another block is
/// live, takes only half its size off the live total.
final class HalfCountingPool {
    var sizes: [Int: Int] = [:]
    var live = 0
    var next = 0
    func alloc(_ size: Int) -> Int { next += 1; sizes[next] = size; live += size; return next }
    func free(_ handle: Int) {
        let size = sizes[handle]!
        live -= size >= 2 << 20 && sizes.count >= 2 ? size / 2 : size
        sizes[handle] = nil
    }
}

@Suite struct StateMachineTests {
    /// Two neighbouring steps swapped keep their picks' entries
    /// (`repairingPicks(_:swapping:with:)`): the pool ended at `v1 =
    /// alloc(size: 2097152); v2 = alloc(size: 1); free(block: v1)` in 11
    /// seeds of 20, since the swap that reads simpler freed the small block.
    @Test func swappedStepsKeepTheEntriesTheirPicksName() throws {
        let machine = StateMachine<Int, HalfCountingPool>(
            model: { 0 }, system: HalfCountingPool.init,
            rules: [
                .init("alloc") { live, pool, step in
                    let size = try step.draw(Gen.ints(in: 1...(4 << 20)), "size")
                    live += size
                    step.produce(pool.alloc(size), into: "blocks")
                },
                .init("free", precondition: { $0 > 0 }) { live, pool, step in
                    let handle = try step.pick(from: "blocks", as: Int.self, label: "block", remove: true)
                    live -= pool.sizes[handle]!
                    pool.free(handle)
                },
            ],
            check: { live, pool in try expect(live == pool.live, "live \(live) vs \(pool.live)") })
        var atMinimum = 0
        for seed in UInt64(0)..<20 {
            let report = machine.check("pool", configuration: PropertyConfiguration(maxExamples: 1000, seed: seed))
            if report.counterexample?.notes == ["v1 = alloc(size: 1)", "v2 = alloc(size: 2097152)", "free(block: v2)"] { atMinimum += 1 }
        }
        #expect(atMinimum == 20)
    }

    @Test func valueTypeSystemsChangeInPlace() throws {
        let machine = StateMachine<[Int], ValueStack>(
            model: { [] }, system: { ValueStack() },
            rules: [
                .mutating("push") { model, stack, step in
                    let x = try step.draw(Gen.ints(in: 0...9), "x")
                    model.append(x)
                    stack.push(x)
                },
                .mutating("pop", precondition: { !$0.isEmpty }) { model, stack, _ in
                    try expect(stack.pop() == model.popLast(), "popped the wrong value")
                },
            ],
            check: { model, stack in try expect(model == stack.items, "model \(model), stack \(stack.items)") })
        let report = machine.check("value stack", configuration: PropertyConfiguration(seed: 1))
        let failure = try #require(report.counterexample)
        // Seed 1 first fails with the wrong value popped, which needs the
        // two top values to differ; the pop of the third value leaves the
        // stack one short of the model whatever the values, and `check`'s
        // disagreement is the same kind of failure as the pop's (see
        // `ModelDisagreement`), so the values all go to 0. The stack changed
        // in place: a copy would have lost nothing.
        #expect(failure.notes == ["push(x: 0)", "push(x: 0)", "push(x: 0)", "pop()"])
        #expect(failure.error.hasPrefix("model [0, 0], stack [0]"))
    }

    @Test func initializersRunFirstAndTeardownAfterEveryRun() throws {
        let log = TeardownLog()
        let handles = Bundle<Int>("handles")
        let machine = StateMachine<Int, TeardownLog>(
            model: { 0 }, system: { log },
            rules: [
                .init("use") { _, _, step in
                    let h = try step.pick(from: handles, label: "handle")
                    try expect(h < 40, "handle \(h) too large")
                },
            ],
            initialize: [
                .init("open") { _, _, step in step.produce(try step.draw(Gen.ints(in: 0...100), "id"), into: handles) },
            ],
            teardown: { $0.runs += 1 })
        var calls = 0
        let report = checkProperty("initialize", configuration: PropertyConfiguration(seed: 4)) { tc in
            calls += 1
            try machine.run(tc)
        }
        let failure = try #require(report.counterexample)
        #expect(failure.notes == ["v1 = open(id: 40)", "use(handle: v1)"])
        #expect(log.runs == calls)
    }

    @Test func typedBundlesDrawWhatStringBundlesDraw() throws {
        // The same rule written with a typed and with a string bundle reads the same bytes the same way.
        func machine(typed: Bool) -> StateMachine<Int, Int> {
            let typedBundle = Bundle<String>("names")
            return StateMachine<Int, Int>(model: { 0 }, system: { 0 }, rules: [
                .init("make") { _, _, step in
                    let n = try step.draw(Gen.ints(in: 0...9), "n")
                    if typed { step.produce("name\(n)", into: typedBundle) } else { step.produce("name\(n)", into: "names") }
                },
                .init("read", precondition: { _ in true }) { _, _, step in
                    let name: String = typed ? try step.pick(from: typedBundle, label: "name")
                        : try step.pick(from: "names", as: String.self, label: "name")
                    step.testCase.note("read \(name)")
                },
            ])
        }
        let bytes: [UInt8] = [1, 0, 7, 1, 0, 3, 1, 1, 1, 0]
        let typed = runOnce(bytes: bytes) { try machine(typed: true).run($0) }
        let untyped = runOnce(bytes: bytes) { try machine(typed: false).run($0) }
        #expect(typed.notes == untyped.notes)
        #expect(typed.choices == untyped.choices)
        #expect(typed.notes.contains("read name3"))
    }

    /// Two rules that always fail, each with its own `expect`.
    static func twoFailingRules(ownError: Bool) -> StateMachine<Int, ValueStack> {
        struct SystemError: Error {}
        return StateMachine(model: { 0 }, system: { ValueStack() }, rules: [
            .init("poke") { _, _, _ in
                if ownError { throw SystemError() }
                try expect(false, "poke disagreed")
            },
            .init("prod") { _, _, _ in try expect(false, "prod disagreed") },
        ])
    }

    @Test func failedExpectationsOfAMachineAreOneKind() throws {
        // A run failing in `prod` (the second rule) shrinks to one failing
        // in `poke`, whose `expect` is on another line: a machine's
        // disagreements are one kind of failure, so the shorter run is
        // reachable (a deque whose bug shows in `pop_front` in one run and
        // in `pop_back` in a simpler one ended at the former in 8 of 20 seeds).
        let machine = Self.twoFailingRules(ownError: false)
        let executor = Executor(body: { tc in ("", nil, { try machine.run(tc) }) }, deduplicates: false)
        let first = try #require(executor.run(TestCase(replaying: [.boolean(true), .integer(1)])))
        #expect(first.outcome.failureKind == "state-machine expectation")
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.best.notes == ["poke()"])
        // The report keeps the `expect`'s own text and location.
        guard case .failed(_, let message) = shrinker.best.outcome else { Issue.record("the minimal run passed"); return }
        #expect(message.hasPrefix("poke disagreed (") && message.contains("StateMachineTests.swift"), "\(message)")
    }

    @Test func aSystemsOwnErrorStaysAKindOfItsOwn() throws {
        // Where `poke` throws the system's own error instead, that is another
        // failure: the run failing in `prod` is not traded for it.
        let machine = Self.twoFailingRules(ownError: true)
        let executor = Executor(body: { tc in ("", nil, { try machine.run(tc) }) }, deduplicates: false)
        let first = try #require(executor.run(TestCase(replaying: [.boolean(true), .integer(1)])))
        let shrinker = Shrinker(executor: executor, failing: first, maxCalls: 1000)
        shrinker.shrink()
        #expect(shrinker.best.notes == ["prod()"])
    }

    /// A one-line write-back cache whose read hit marks the line clean, so
    /// the next miss drops the write. `write(key: 1, value: 0)` between
    /// the hit and the last read stands for any miss; `read(key: 1)` is
    /// simpler (a rule with one argument fewer), but lowered alone the
    /// rule leaves the 0 over, read as "no more steps", and the last read
    /// goes. The step is switched with its last argument deleted
    /// (`switchRuleDroppingArgument`).
    @Test func aStepSwitchesToARuleWithFewerArguments() throws {
        struct Line { var key = -1, value = 0, dirty = false }
        final class OneLineCache {
            var line = Line()
            var store = [Int64: Int64]()
            func miss(_ key: Int64) {
                if line.dirty { store[Int64(line.key)] = Int64(line.value) }
                line = Line(key: Int(key), value: Int(store[key] ?? 0), dirty: false)
            }
        }
        let machine = StateMachine<[Int64: Int64], OneLineCache>(
            model: { [:] }, system: OneLineCache.init,
            rules: [
                .init("read") { model, cache, step in
                    let key = try step.draw(Gen.integers(in: 0...3), "key")
                    if cache.line.key == Int(key) { cache.line.dirty = false } else { cache.miss(key) }
                    try expect(Int64(cache.line.value) == model[key] ?? 0, "read \(key) gave \(cache.line.value)")
                },
                .init("write") { model, cache, step in
                    let key = try step.draw(Gen.integers(in: 0...3), "key")
                    let value = try step.draw(Gen.integers(in: 0...9), "value")
                    if cache.line.key != Int(key) { cache.miss(key) }
                    cache.line.value = Int(value)
                    cache.line.dirty = true
                    model[key] = value
                },
            ])
        let write01: [ChoiceValue] = [.boolean(true), .integer(1), .integer(0), .integer(1)]
        let read0: [ChoiceValue] = [.boolean(true), .integer(0), .integer(0)]
        let write10: [ChoiceValue] = [.boolean(true), .integer(1), .integer(1), .integer(0)]
        let read1: [ChoiceValue] = [.boolean(true), .integer(0), .integer(1)]
        let shrinker = try ShrinkCallsTests.machineShrinker(machine, write01 + read0 + write10 + read0)
        shrinker.shrink()
        #expect(shrinker.values == write01 + read0 + read1 + read0, "\(shrinker.best.notes)")
    }

    /// Two keys of 1 (a put's and a get's) go to 0 together although the
    /// get is chosen as rule 1: the rule choice and the steps' flags are
    /// the machine's structure, which the lowering of equal values leaves
    /// out, as it leaves out a trace's operation selectors. A map that
    /// migrates incrementally and whose lookup forgets the old table ended
    /// at `put(key: 1, value: 0); resize(); get(key: 1)` in 6 of 20 seeds.
    @Test func equalKeysGoToZeroPastARuleChoiceOfTheSameValue() throws {
        final class Rehashing {
            let looksInOldTable: Bool
            var old: [Int64: Int64] = [:], new: [Int64: Int64] = [:]
            init(looksInOldTable: Bool) { self.looksInOldTable = looksInOldTable }
            func get(_ key: Int64) -> Int64? { new[key] ?? (looksInOldTable ? old[key] : nil) }
        }
        let machine = StateMachine<Rehashing, Rehashing>(
            model: { Rehashing(looksInOldTable: true) }, system: { Rehashing(looksInOldTable: false) },
            rules: [
                .init("put") { model, map, step in
                    let key = try step.draw(Gen.integers(in: 0...3), "key")
                    let value = try step.draw(Gen.integers(in: 0...3), "value")
                    model.new[key] = value
                    map.new[key] = value
                },
                .init("get") { model, map, step in
                    let key = try step.draw(Gen.integers(in: 0...3), "key")
                    try expect(map.get(key) == model.get(key), "get(\(key))")
                },
                .init("resize") { model, map, _ in
                    (model.old, model.new) = (model.new, [:])
                    (map.old, map.new) = (map.new, [:])
                },
            ])
        // A step: its flag, its rule (0 put, 1 get, 2 resize), its arguments.
        let put10: [ChoiceValue] = [.boolean(true), .integer(0), .integer(1), .integer(0)]
        let resize: [ChoiceValue] = [.boolean(true), .integer(2)]
        let get1: [ChoiceValue] = [.boolean(true), .integer(1), .integer(1)]
        let shrinker = try ShrinkCallsTests.machineShrinker(machine, put10 + resize + get1)
        shrinker.shrink()
        let put00: [ChoiceValue] = [.boolean(true), .integer(0), .integer(0), .integer(0)]
        let get0: [ChoiceValue] = [.boolean(true), .integer(1), .integer(0)]
        #expect(shrinker.values == put00 + resize + get0, "\(shrinker.best.notes)")
    }

    @Test func aStepMovesPastTheNextWhenThatReadsSimpler() throws {
        // A ring of two slots with mirror indices modulo 4 whose "full"
        // test forgets the wrap: once the tail has wrapped past the head a
        // push into the full ring is taken.
        final class Ring {
            var slots = [0, 0], head = 0, tail = 0
            func push(_ x: Int) -> Bool {
                guard tail - head != 2 else { return false }
                slots[tail % 2] = x
                tail = (tail + 1) % 4
                return true
            }
            func pop() { head = (head + 1) % 4 }
        }
        let machine = StateMachine<Int, Ring>(
            model: { 0 }, system: Ring.init,
            rules: [
                .init("push") { count, ring, step in
                    let x = try step.draw(Gen.ints(in: 0...9), "x")
                    let accepted = ring.push(x)
                    try expect(accepted == (count < 2), "push(x: \(x)) gave \(accepted)")
                    if accepted { count += 1 }
                },
                .init("pop", precondition: { $0 > 0 }) { count, ring, _ in count -= 1; ring.pop() },
            ])
        // push(x: 0): the flag, the rule (push is rule 0 whatever is
        // enabled), the value; pop(): the flag, rule 1.
        let push: [ChoiceValue] = [.boolean(true), .integer(0), .integer(0)]
        let pop: [ChoiceValue] = [.boolean(true), .integer(1)]
        // Two pops in a row, then three pushes: swapping the second pop with
        // the push after it reads simpler and fails the same way. Steps of
        // different lengths were never swapped (and a pop, shorter, read as
        // the simpler step).
        let shrinker = try ShrinkCallsTests.machineShrinker(machine, push + push + pop + pop + push + push + push)
        shrinker.shrink()
        #expect(shrinker.values == push + push + pop + push + pop + push + push, "\(shrinker.best.notes)")
    }

    @Test func aLaterStepMovesToTheFrontPastAShorterOne() throws {
        // A gap buffer whose growth leaves the text after the gap behind:
        // the third insert grows it and loses the 1 moved past the gap.
        final class GapBuffer {
            var slots = [0, 0], start = 0, end = 2
            var text: [Int] { Array(slots[..<start] + slots[end...]) }
            func insert(_ x: Int) {
                if start == end {
                    let capacity = slots.count
                    slots += [Int](repeating: 0, count: capacity)
                    end += capacity
                }
                slots[start] = x
                start += 1
            }
            func left() {
                (start, end) = (start - 1, end - 1)
                slots[end] = slots[start]
            }
        }
        struct Editor { var text: [Int] = [], cursor = 0 }
        let machine = StateMachine<Editor, GapBuffer>(
            model: { Editor() }, system: GapBuffer.init,
            rules: [
                .init("insert") { editor, buffer, step in
                    let x = try step.draw(Gen.ints(in: 0...9), "x")
                    editor.text.insert(x, at: editor.cursor)
                    editor.cursor += 1
                    buffer.insert(x)
                },
                .init("left", precondition: { $0.cursor > 0 }) { editor, buffer, _ in
                    editor.cursor -= 1
                    buffer.left()
                },
            ],
            check: { editor, buffer in try expect(buffer.text == editor.text) })
        func insert(_ x: Int64) -> [ChoiceValue] { [.boolean(true), .integer(0), .integer(x)] }
        let left: [ChoiceValue] = [.boolean(true), .integer(1)]
        // Sorted alone, `left()` (two choices) read as simpler than an
        // insert (three), and moving it to the front only broke the trace;
        // the last insert, moved to the front, reads simpler and keeps the
        // failure. The shrinks stopped here in 11 seeds of 20.
        let shrinker = try ShrinkCallsTests.machineShrinker(machine, insert(1) + left + insert(0) + insert(0))
        shrinker.shrink()
        #expect(shrinker.values == insert(0) + insert(1) + left + insert(0), "\(shrinker.best.notes)")
    }

    @Test func aDeletedStepLeavesLaterPicksTheirValues() throws {
        // A table whose release of an entry holding 1 breaks while another
        // entry is live. The first create does not matter, but the release
        // picks the third entry by its index, 2: deleting the create alone
        // leaves index 2 past the two entries left (or, with a fourth
        // entry, names another one).
        final class Table {
            var live: [Int] = []
            func release(_ x: Int) throws {
                try expect(!(x == 1 && live.count > 1), "released 1 beside \(live.count - 1) more")
                live.remove(at: live.firstIndex(of: x)!)
            }
        }
        let machine = StateMachine<Int, Table>(
            model: { 0 }, system: Table.init,
            rules: [
                .init("create") { count, table, step in
                    let x = try step.draw(Gen.ints(in: 0...9), "x")
                    table.live.append(x)
                    count += 1
                    step.produce(x, into: "entries")
                },
                .init("release", precondition: { $0 > 0 }) { count, table, step in
                    let x = try step.pick(from: "entries", as: Int.self, label: "entry", remove: true)
                    count -= 1
                    try table.release(x)
                },
            ])
        func create(_ x: Int64) -> [ChoiceValue] { [.boolean(true), .integer(0), .integer(x)] }
        func release(_ index: Int64) -> [ChoiceValue] { [.boolean(true), .integer(1), .integer(index)] }
        let start = create(0) + create(0) + create(1) + release(2)
        let shrinker = try ShrinkCallsTests.machineShrinker(machine, start)
        // The first create deleted: the release's index goes down by one.
        #expect(shrinker.repairingPicks(Array(start[3...]), deleted: 0..<3) == create(0) + create(1) + release(1))
        // The third deleted: the release picked what it produced, no repair.
        #expect(shrinker.repairingPicks(Array(start[..<6] + start[9...]), deleted: 6..<9) == nil)
        shrinker.shrink()
        #expect(shrinker.values == create(0) + create(1) + release(1), "\(shrinker.best.notes)")
    }

    @Test func theFailingStepTriesALaterRuleWithOneArgumentFewer() throws {
        // A file whose truncate keeps the old bytes in its block, so that
        // growing it again shows them: `write(offset: 1, value: 0)` after
        // truncating to 0 exposes the 1 written before, and so does the
        // simpler `truncate(size: 1)`, the later rule with one argument
        // fewer (the write's offset read as the size). The rule lowered
        // alone reads other arguments; the first enabled rule is the write
        // itself.
        final class File {
            var block: [Int] = [], size = 0
            func write(_ offset: Int, _ value: Int) {
                if block.count < offset + 1 { block += [Int](repeating: 0, count: offset + 1 - block.count) }
                block[offset] = value
                size = max(size, offset + 1)
            }
            func truncate(_ n: Int) {
                if block.count < n { block += [Int](repeating: 0, count: n - block.count) }
                size = n
            }
        }
        let machine = StateMachine<[Int], File>(
            model: { [] }, system: File.init,
            rules: [
                .init("write") { bytes, file, step in
                    let offset = try step.draw(Gen.ints(in: 0...3), "offset")
                    let value = try step.draw(Gen.ints(in: 0...9), "value")
                    if bytes.count < offset + 1 { bytes += [Int](repeating: 0, count: offset + 1 - bytes.count) }
                    bytes[offset] = value
                    file.write(offset, value)
                },
                .init("truncate") { bytes, file, step in
                    let size = try step.draw(Gen.ints(in: 0...3), "size")
                    bytes = Array((bytes + [Int](repeating: 0, count: size)).prefix(size))
                    file.truncate(size)
                },
            ],
            check: { bytes, file in try expect(Array(file.block[..<file.size]) == bytes) })
        func write(_ offset: Int64, _ value: Int64) -> [ChoiceValue] { [.boolean(true), .integer(0), .integer(offset), .integer(value)] }
        func truncate(_ size: Int64) -> [ChoiceValue] { [.boolean(true), .integer(1), .integer(size)] }
        let shrinker = try ShrinkCallsTests.machineShrinker(machine, write(0, 1) + truncate(0) + write(1, 0))
        shrinker.shrink()
        #expect(shrinker.values == write(0, 1) + truncate(0) + truncate(1), "\(shrinker.best.notes)")
    }

    @Test func aDeletedStepLeavesLaterStepsTheirRules() throws {
        // Unlinking a name frees the file even while it is open.
        final class FileSystem {
            var data: [Int: Int] = [:], open: [Int: Int] = [:]
            func unlink(_ file: Int) { data[file] = nil }
            func read(_ fd: Int) -> Int? { data[open[fd]!] }
        }
        struct Model { var names = 0, next = 0, reads: [Int: Int] = [:] }
        let machine = StateMachine<Model, FileSystem>(
            model: { Model() }, system: FileSystem.init,
            rules: [
                .init("create") { model, fs, step in
                    fs.data[model.next] = model.next
                    step.produce(model.next, into: "files")
                    model.next += 1
                    model.names += 1
                },
                .init("open", precondition: { $0.names > 0 }) { model, fs, step in
                    let file = try step.pick(from: "files", as: Int.self, label: "file")
                    fs.open[model.next] = file
                    model.reads[model.next] = file
                    step.produce(model.next, into: "fds")
                    model.next += 1
                },
                .init("read", precondition: { !$0.reads.isEmpty }) { model, fs, step in
                    let fd = try step.pick(from: "fds", as: Int.self, label: "fd")
                    try expect(fs.read(fd) == model.reads[fd], "read(fd: \(fd)) gave \(String(describing: fs.read(fd)))")
                },
                .init("unlink", precondition: { $0.names > 0 }) { model, fs, step in
                    fs.unlink(try step.pick(from: "files", as: Int.self, label: "file", remove: true))
                    model.names -= 1
                },
            ])
        // Per step: the "another step" flag, the rule index among the rules
        // enabled, the bundle pick. `read` is the third of four rules enabled
        // after create(); create(); open(file: v1); unlink(file: v1), and
        // the second of two without the second create: the deletion alone
        // reads its index 2 as out of range.
        let create: [ChoiceValue] = [.boolean(true), .integer(0)]
        let open: [ChoiceValue] = [.boolean(true), .integer(1), .integer(0)]
        let unlink: [ChoiceValue] = [.boolean(true), .integer(3), .integer(0)]
        let readAmongFour: [ChoiceValue] = [.boolean(true), .integer(2), .integer(0)]
        let readAmongTwo: [ChoiceValue] = [.boolean(true), .integer(1), .integer(0)]
        let shrinker = try ShrinkCallsTests.machineShrinker(machine, create + create + open + unlink + readAmongFour)
        shrinker.shrink()
        #expect(shrinker.values == create + open + unlink + readAmongTwo, "\(shrinker.best.notes)")
    }
}
