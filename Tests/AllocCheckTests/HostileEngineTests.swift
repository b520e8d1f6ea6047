#if canImport(Glibc)
import Glibc
import PropertyTesting
import Testing

// Hostile inputs to the property-testing engine: crafted bytes (fuzzer
// inputs, replay strings), unusable regression folders, properties that would
// pass having checked nothing. Each case runs in a child process.

/// A generator that goes one level deeper whenever its choice says so, with no depth bound of its own.
private func deeper() -> Generator<Int> {
    Gen.recursive(maxDepth: 1_000_000, base: Gen.just(0), extend: { $0.map { $0 + 1 } })
}

/// A definition that only refers to itself: it never draws anything.
private func forever() -> Generator<Int> { Gen.lazy { forever() } }

/// A fresh temporary folder, under `TMPDIR` or /tmp, made in the parent
/// before a child uses it, and removed there after (`removeFolder`).
private func temporaryFolder() -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(base)/alloccheck-hostile-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Removes `path` and everything in it, links not followed.
private func removeFolder(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
        // A test may leave a folder that cannot be listed (mode 0).
        chmod(path, 0o700)
        if let dir = opendir(path) {
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(dir)
            for name in names { removeFolder(path + "/" + name) }
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// Writes `text` to a new file at `path` (in the child).
private func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    close(fd)
}

private let nestingLimit = "draws nested more than 500 deep (TestCase.maxNesting)"
private let paddingLimit = "byte strings read more than 65536 bytes past the end of the input (TestCase.maxPaddingBytes)"

@Suite("Hostile inputs: the engine's decoding", .serialized)
struct HostileDecodingTests {
    @Test("a byte-string length of 0xff bytes is refused past 64 KiB of padding; short inputs still read as zeros")
    func hugeByteStrings() throws {
        try expectThrowInChild("GenerationStop: the example went past a decoding limit: \(paddingLimit)") {
            _ = try Gen.bytes(count: 0...Int.max).value(fromBytes: Array(repeating: 0xff, count: 9))
        }
        try expectInChild("[170, 0, 0]") {
            "\(try Gen.bytes(count: 0...Int.max).value(fromBytes: [3, 0, 0, 0, 0, 0, 0, 0, 0xaa]))"
        }
        try expectInChild("passed") {
            let report = checkProperty("bytes of any length", Gen.bytes(count: 0...Int.max)) { _ in }
            return report.passed ? "passed" : report.description
        }
    }

    @Test("a recursive generator fed 'go deeper' without end stops at the nesting limit")
    func endlessRecursion() throws {
        try expectThrowInChild("GenerationStop: the example went past a decoding limit: \(nestingLimit)") {
            _ = try deeper().value(fromBytes: Array(repeating: 1, count: 10_000))
        }
        // Each level of `recursive` is three nested draws (the level, its lazy body, the branch taken).
        try expectInChild("150") {
            "\(try deeper().value(fromBytes: Array(repeating: 1, count: 150) + [0]))"
        }
        try expectThrowInChild("GenerationStop: the example went past a decoding limit: \(nestingLimit)") {
            _ = try forever().value(fromBytes: [])
        }
        try expectInChild("overrun") {
            let result = runOnce(bytes: Array(repeating: 1, count: 10_000)) { tc in _ = try tc.draw(deeper()) }
            return "\(result.outcome)"
        }
    }

    @Test("collections of draws that make no choice are bounded too")
    func hugeCollections() throws {
        try expectThrowInChild("GenerationStop: the example went past a decoding limit: more than 65536 draws in one example") {
            _ = try Gen.arrays(of: Gen.just(1), count: (1 << 40)...(1 << 40)).value(fromBytes: [])
        }
    }

    @Test("a replay string that decodes past a limit fails the property, naming the limit")
    func replayPastALimit() throws {
        // No seed: the replay string's example alone ran.
        try expectInChild("Property 'replayed' failed: the replayed example could not be generated (the example went past "
                          + "a decoding limit: \(nestingLimit)), so nothing was checked.") {
            let replay = ReplayString.encode(Array(repeating: 1, count: 10_000))
            let report = checkProperty("replayed", deeper(), configuration: PropertyConfiguration(seed: 1, replay: replay)) { _ in }
            return report.description
        }
    }
}

@Suite("Hostile inputs: properties that would pass without running", .serialized)
struct HostileRunnerTests {
    @Test("a filter that rejects everything fails as unsatisfiable, naming the filter and the discards")
    func unsatisfiableFilter() throws {
        let line = #line + 3
        try expectInChild("Property 'nothing passes' failed: unsatisfiable: no example was accepted in 1000 tries; 1000 were "
                          + "discarded, by filter at AllocCheckTests/HostileEngineTests.swift:\(line) (1000) (seed 1).") {
            let never = Gen.ints(in: 0...100).filter { _ in false }
            return checkProperty("nothing passes", never, configuration: PropertyConfiguration(maxExamples: 100, seed: 1)) { _ in }
                .description
        }
    }

    @Test("an assumption that never holds fails as unsatisfiable, naming it")
    func unsatisfiableAssumption() throws {
        let line = #line + 5
        try expectInChild("Property 'assumed' failed: unsatisfiable: no example was accepted in 50 tries; 37 were discarded, "
                          + "by assume() at AllocCheckTests/HostileEngineTests.swift:\(line) (37), and 13 repeated earlier "
                          + "tries (seed 1).") {
            let report = checkProperty("assumed", Gen.ints(in: 0...100), configuration: PropertyConfiguration(maxExamples: 5, seed: 1)) {
                try assume($0 > 1000)
            }
            return report.description
        }
    }

    @Test("a generator that always goes past the choice limit stops after 50 tries, not 1000")
    func alwaysPastTheChoiceLimit() throws {
        try expectInChild("Property 'huge' failed: unsatisfiable: no example was accepted in 50 tries; 50 were discarded, "
                          + "by the choice limit (the example grew too large or too deep) (50) (seed 1).") {
            let report = checkProperty("huge", Gen.arrays(of: Gen.ints(), count: 10_000...20_000),
                                       configuration: PropertyConfiguration(seed: 1)) { _ in }
            return report.description
        }
        // Sometimes past it, sometimes not: the run goes on, and passes.
        try expectInChild("true") {
            "\(checkProperty("some", Gen.arrays(of: Gen.ints(), count: 0...20_000), configuration: PropertyConfiguration(seed: 1)) { _ in }.passed)"
        }
    }

    @Test("a property that can only make one value still passes")
    func oneValueIsNotUnsatisfiable() throws {
        try expectInChild("true") {
            "\(checkProperty("just one", Gen.just(7)) { try expect($0 == 7) }.passed)"
        }
    }

    @Test("zero or a negative example count fails instead of passing having checked nothing")
    func nonPositiveExampleCounts() throws {
        for count in [0, -1, Int.min] {
            // No example was generated, so no seed is named.
            try expectInChild("Property 'none' failed: maxExamples is \(count), so no example would run; ask for at least 1 "
                              + "(PROPERTY_TESTING_MAX_EXAMPLES sets the default).") {
                checkProperty("none", Gen.ints(), configuration: PropertyConfiguration(maxExamples: count, seed: 1)) { _ in }
                    .description
            }
        }
    }

    @Test("a huge example count ('run until it fails') runs, without overflow")
    func hugeExampleCount() throws {
        try expectInChild("false 500") {
            let report = checkProperty("until it fails", Gen.ints(in: 0...1000),
                                       configuration: PropertyConfiguration(maxExamples: .max, seed: 1)) { try expect($0 < 500) }
            return "\(report.passed) \(report.counterexample?.value ?? "-")"
        }
    }
}

@Suite("Hostile inputs: saved regressions", .serialized)
struct HostileRegressionTests {
    @Test("an empty directory path is refused on load and on save; nothing is written at the root")
    func emptyDirectoryPath() throws {
        let unusable = "regressions directory '' cannot be used: the path is empty (it would name the filesystem root)"
        try expectInChild("\(unusable) | \(unusable) | saved nowhere | root untouched") {
            let name = "alloccheck-hostile-\(getpid())"
            let store = RegressionStore(directory: "")
            let loaded = store.load(property: name).problems.map(\.description).joined()
            var saved = "saved somewhere"
            do { try store.save(property: name, bytes: [1], counterexample: "1") } catch { saved = "\(error)" }
            let report = checkProperty(name, Gen.ints(in: 0...10),
                                       configuration: PropertyConfiguration(seed: 1, regressions: store)) { try expect($0 < 5) }
            let rootUntouched = access("/" + name, F_OK) != 0
            return "\(loaded) | \(saved) | \(report.counterexample?.savedTo ?? "saved nowhere") | "
                + (rootUntouched ? "root untouched" : "written at the root")
        }
    }

    @Test("a file where the folder should be is reported on load and on save")
    func fileInsteadOfFolder() throws {
        let root = temporaryFolder()
        defer { removeFolder(root) }
        try expectInChild("load: Not a directory | save: it exists and is not a directory | directory: Not a directory") {
            writeFile(root + "/p", "not a folder")
            let store = RegressionStore(directory: root)
            let load = store.load(property: "p").problems
            var save = "saved"
            do {
                try store.save(property: "p", bytes: [1], counterexample: "1")
            } catch let error as RegressionError {
                if case let .unusableDirectory(_, reason) = error { save = reason } else { save = "\(error)" }
            }
            // The directory itself a file.
            let asFile = RegressionStore(directory: root + "/p").load(property: "q").problems
            func reason(_ problems: [RegressionError]) -> String {
                guard problems.count == 1, case let .unusableDirectory(_, reason) = problems[0] else { return "\(problems)" }
                return reason
            }
            return "load: \(reason(load)) | save: \(save) | directory: \(reason(asFile))"
        }
    }

    @Test("a folder that cannot be listed is reported, not read as empty")
    func unreadableFolder() throws {
        let root = temporaryFolder()
        defer { removeFolder(root) }
        try expectInChild("Too many levels of symbolic links") {
            // A link to itself: opendir fails with ELOOP, even for root.
            symlink(root + "/p", root + "/p")
            let problems = RegressionStore(directory: root).load(property: "p").problems
            guard problems.count == 1, case let .unusableDirectory(_, reason) = problems[0] else { return "\(problems)" }
            return reason
        }
        if getuid() != 0 {
            let root = temporaryFolder()
            defer { removeFolder(root) }
            try expectInChild("Permission denied") {
                mkdir(root + "/p", 0)
                let problems = RegressionStore(directory: root).load(property: "p").problems
                guard problems.count == 1, case let .unusableDirectory(_, reason) = problems[0] else { return "\(problems)" }
                return reason
            }
        }
    }

    @Test("a FIFO or a folder named like a regression is reported without blocking; good cases still load")
    func specialFilesNamedLikeRegressions() throws {
        let root = temporaryFolder()
        defer { removeFolder(root) }
        try expectInChild("1 case; a.regression: not a regular file; b.regression: not a regular file") {
            let store = RegressionStore(directory: root)
            _ = try store.save(property: "p", bytes: [1, 2, 3], counterexample: "x")
            mkfifo(root + "/p/a.regression", 0o644)
            mkdir(root + "/p/b.regression", 0o755)
            let (cases, problems) = store.load(property: "p")
            let described = problems.map { problem -> String in
                guard case let .unreadable(path, reason) = problem else { return "\(problem)" }
                return (path.split(separator: "/").last.map(String.init) ?? path) + ": " + reason
            }
            return "\(cases.count) case; " + described.joined(separator: "; ")
        }
    }

    @Test("a property name cannot lead outside the directory")
    func propertyNameStaysInside() throws {
        let root = temporaryFolder()
        defer { removeFolder(root) }
        try expectInChild("inside") {
            let path = try RegressionStore(directory: root).save(property: "../../escape", bytes: [1], counterexample: "x")
            return path.hasPrefix(root + "/______escape/") && !path.dropFirst(root.count).contains("..") ? "inside" : path
        }
    }
}
#endif

#if canImport(Glibc)
@Suite("Programmer errors building a generator stop with a message naming the mistake", .serialized)
struct GeneratorPreconditionTests {
    /// Runs `body` in a child; it must stop (not return) and, in a debug build, say `message`.
    func expectStop(_ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws {
        let outcome = try runHostile { try body(); return "returned" }
        #expect(!outcome.survived, "expected a precondition failure, got \(outcome)", sourceLocation: sourceLocation)
        #if DEBUG
        #expect(outcome.output.contains(message), "\(outcome.output.prefix(500))", sourceLocation: sourceLocation)
        #endif
    }

    @Test func eachListedProgrammerErrorStops() throws {
        try expectStop("oneOf needs at least one generator") { _ = Gen.oneOf([Generator<Int>]()) }
        try expectStop("weights must be positive") { _ = Gen.weighted([(weight: 0, generator: Gen.just(1))]) }
        try expectStop("weights must add up to at most Int.max") {
            _ = Gen.weighted([(weight: Int.max, generator: Gen.just(1)), (weight: 1, generator: Gen.just(2))])
        }
        try expectStop("element(of:) needs a non-empty collection") { _ = Gen.element(of: [Int]()) }
        try expectStop("array count must be non-negative") { _ = Gen.arrays(of: Gen.just(1), count: -1...3) }
        try expectStop("byte count range -1...3 is empty or negative") { _ = try Gen.bytes(count: -1...3).value(fromBytes: []) }
        try expectStop("integer range is empty: 5...3") { _ = IntegerConstraints(min: 5, max: 3) }
        try expectStop("maxDepth must be non-negative") {
            _ = Gen.recursive(maxDepth: -1, base: Gen.just(1), extend: { $0 })
        }
    }

    @Test func stateMachineMistakesStop() throws {
        try expectStop("a state machine needs at least one rule") {
            _ = StateMachine<Int, Int>(model: { 0 }, system: { 0 }, rules: [])
        }
        try expectStop("maxSteps must be at least 1, not -1") {
            _ = StateMachine<Int, Int>(model: { 0 }, system: { 0 }, rules: [.init("nothing") { _, _, _ in }], maxSteps: -1)
        }
        // A string-named bundle picked as another type is no programmer
        // error of construction: the run fails with it (`BundleMisuse`),
        // reported and shrunk, and the process goes on.
        let rule = StateMachine<Int, Int>.Rule("produce and pick") { _, _, step in
            _ = step.produce(1, into: "b")
            let _: String = try step.pick(from: "b", label: "x")
        }
        let machine = StateMachine<Int, Int>(model: { 0 }, system: { 0 }, rules: [rule])
        // The first choice says "take a step"; the rule's pick draws index 0.
        let run = runOnce(bytes: [1, 0, 0]) { tc in try machine.run(tc) }
        guard case let .failed(kind, message) = run.outcome else {
            Issue.record("expected a failed run, got \(run.outcome)")
            return
        }
        #expect(kind.hasSuffix("BundleMisuse") && message.hasPrefix("bundle 'b' holds Int, not String"), "\(run.outcome)")
    }
}
#endif
