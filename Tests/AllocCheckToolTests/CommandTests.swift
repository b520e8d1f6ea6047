import Foundation
import Testing
import AllocCheckTool
import Harness

/// The `alloccheck` command through a real subprocess, as a user runs it.
@Suite struct CommandTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// The binary `swift build` put next to the test bundle (the build
    /// folder's, which need not be the checkout's `.build`).
    static let binary: String? = {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent().path
        let executable = Bundle.main.executableURL.map { $0.deletingLastPathComponent().path + "/alloccheck" }
        let candidates = (executable.map { [$0] } ?? []) + [bundle + "/alloccheck", root + "/.build/debug/alloccheck"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func run(_ arguments: [String], defect: String? = nil, in directory: String = root) throws -> (status: Int32, output: String) {
        let binary = try #require(Self.binary, "alloccheck is not built")
        var output = ""
        let environment = defect.map { ["ALLOCCHECK_DEFECT": $0] } ?? [:]
        let status = try runProcess(binary, arguments, environment: environment, directory: directory) { output += $0 + "\n" }
        return (status, output)
    }

    /// This run's own folder (`testFolder`, removed when the tests end).
    static let temporaryFolder = testFolder

    static func temporaryFile(_ name: String, _ contents: [UInt8]) throws -> String {
        let dir = temporaryFolder
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try writeFile(path, contents)
        return path
    }

    /// A test target's folder, `Tests/<name>` of a package (in this run's
    /// folder) whose manifest names it: where `emit-test --into` writes.
    static func testTargetFolder(_ name: String) throws -> String {
        let package = temporaryFolder + "/package-\(name)"
        let folder = package + "/Tests/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try writeFile(package + "/Package.swift", Array("let targets = [.testTarget(name: \"\(name)\", dependencies: [\"Harness\"])]\n".utf8))
        return folder
    }

    @Test func replayOfAPassingTraceExitsZero() throws {
        let path = try Self.temporaryFile("ok.trace", Array("arena pages=64\np1 = alloc_pages order=2\nfree_pages p1\n".utf8))
        let (status, output) = try Self.run(["replay", path])
        #expect(status == 0)
        #expect(output.contains("passed: 2 steps"))
    }

    @Test func helpForAnUnknownSubcommandIsRefused() throws {
        var r = try Self.run(["help", "bogus"])
        #expect(r.status == 64 && r.output.contains("no subcommand 'bogus' to show help for"), "\(r.output)")
        r = try Self.run(["help", "fuzz", "bogus"])
        #expect(r.status == 64 && r.output.contains("no subcommand 'bogus'"), "\(r.output)")
        r = try Self.run(["help", "fuzz", "run"])
        #expect(r.status == 0 && r.output.contains("USAGE: alloccheck fuzz run"), "\(r.output)")
    }

    @Test func fmtPrintsACommittedSeed() throws {
        let seeds = files(in: Self.root + "/corpus/pages")
        let seed = try #require(seeds.first)
        let (status, output) = try Self.run(["fmt", seed])
        #expect(status == 0)
        #expect(output.contains("decoded for the pages target"))
        #expect(output.contains("\narena pages="))
    }

    @Test(arguments: [
        (["replay", "/nonexistent/input"], Int32(2), "No such file"),
        (["replay", "/"], Int32(2), "is a directory"),
        (["replay", "--target", "nope", "x"], Int32(64), "unknown target 'nope'"),
        (["replay", "x", "--bogus"], Int32(64), "Unknown option '--bogus'"),
        (["fuzz", "run", "nope"], Int32(64), "unknown target 'nope'"),
        (["check", "--examples", "0"], Int32(64), "--examples must be positive"),
        (["defects", "--fuzz-time", "4294967296"], Int32(64), "--fuzz-time must be in 1...2147483647"),
        (["defects", "--fuzz-corpus", "grown:4294967296"], Int32(64), "SECONDS in 1...2147483647"),
        (["defects", "--list", "--json", "x.json"], Int32(64), "--json goes with a measurement, not with --list"),
        (["replay", ""], Int32(2), "an empty path, expected an input file"),
        (["shrink", "/nonexistent/input"], Int32(2), "No such file"),
        (["defects", "merge-stops-late"], Int32(64), "'merge-stops-late' names no defect; known defects: merge-stops-early"),
        (["defects", "--seeds", "0", "--fuzz-seeds", "0"], Int32(64), "measure nothing"),
        (["defects", "--fuzz-time", "0"], Int32(64), "--fuzz-time positive"),
        (["defects", "--json", "/nonexistent/defects.json"], Int32(2), "no folder /nonexistent to write it in"),
        (["defects", "--sseds", "3"], Int32(64), "Unknown option '--sseds'. Did you mean '--seeds'?"),
        (["defects", "kmalloc-class-off-by-one", "kmalloc-class-off-by-one"], Int32(64),
         "'kmalloc-class-off-by-one' is named twice; name each defect once"),
        (["fuzz", "build", "--release", "--debug"], Int32(64), "--release and --debug ask for two builds; give one"),
        (["defects", "--fuzz-corpus", "grown"], Int32(64), "--fuzz-corpus must be empty, seeds or grown:SECONDS, not 'grown'"),
        (["fuzz", "run", "pages", "--time", "-1"], Int32(64), "--time must be in 1...2147483647"),
        // libFuzzer's -max_total_time and -runs are C ints: larger values would wrap (or crash the progress line).
        (["fuzz", "run", "pages", "--time", "4294967297"], Int32(64), "--time must be in 1...2147483647"),
        (["fuzz", "run", "pages", "--time", "9223372036854775807"], Int32(64), "--time must be in 1...2147483647"),
        (["fuzz", "run", "pages", "--jobs", "-2"], Int32(64), "--jobs must be positive"),
        // Fork mode checks --time only as jobs end: thousands of jobs overran it many times over.
        (["fuzz", "run", "pages", "--jobs", "100000"], Int32(64), "--jobs 100000: at most "),
        // make-corpus rebuilds corpus/ from Fuzz/Scenarios, deleting a result written there.
        (["shrink", "corpus/kmalloc/misuse-kmalloc"], Int32(2),
         "the default output corpus/kmalloc/misuse-kmalloc.min: is in the committed seed corpus"),
        (["tmin", "corpus/kmalloc/misuse-kmalloc", "-o", "corpus/kmalloc/x"], Int32(2), "-o corpus/kmalloc/x: is in the committed seed corpus"),
        (["fuzz", "run", "pages", "--", "notaflag"], Int32(64), "'notaflag' after -- is neither a libFuzzer flag"),
        (["tmin", "x", "--runs", "-3"], Int32(64), "--runs must be in 1...2147483647"),
        (["tmin", "x", "--runs", "99999999999999999"], Int32(64), "--runs must be in 1...2147483647"),
        (["replay", "corpus/checkers/seed-03"], Int32(2), "an input of the checkers target, which is not a trace"),
        (["replay", "corpus/checkers/seed-03", "--target", "checkers"], Int32(64),
         "--target checkers: the checkers fuzz target's inputs are not traces"),
        (["cmin", "pages", "--corpus", "corpus/pages"], Int32(2), "the committed seed corpus"),
        (["check", "--examples", "1", "--json", "/proc/check.json"], Int32(2), "cannot write in the folder /proc"),
        (["emit-test", "Fuzz/Scenarios/slab/cache-lifecycle.trace", "--into", "Sources/Harness"], Int32(2),
         "a folder under Sources/, not a test target's folder"),
    ] as [([String], Int32, String)])
    func badInputGetsOneLineAndAStatus(_ arguments: [String], _ status: Int32, _ fragment: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == status)
        #expect(result.output.contains(fragment), "\(result.output)")
        #expect(!result.output.contains("Fatal error") && !result.output.contains("Stack dump"))
    }

    /// An unknown target is a usage error wherever the command runs, a
    /// checkout or not.
    @Test func anUnknownTargetOutsideACheckoutIsAUsageError() throws {
        for arguments in [["fuzz", "run", "nope"], ["fuzz", "build", "nope"], ["cmin", "nope"]] {
            let r = try Self.run(arguments, in: "/")
            #expect(r.status == 64 && r.output.contains("unknown target 'nope'"), "\(arguments): \(r.output)")
        }
    }

    @Test func aTextTraceRunsWhereverItIsAndWhateverItsLineEndings() throws {
        // In a folder named after the slab target, with Windows line endings:
        // kmalloc is no slab operation, and the trace still runs, as the mixed target.
        let text = "# an idea\r\narena pages=64\r\nk1 = kmalloc size=8\r\nkfree k1\r\n"
        let path = try Self.temporaryFile("slab-idea.trace", Array(text.utf8))
        let folder = String(path[..<path.lastIndex(of: "/")!]) + "/slab"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: path, toPath: folder + "/idea.trace")
        let (status, output) = try Self.run(["replay", folder + "/idea.trace"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("passed: 2 steps"))
        // The same trace fails with the defect it shows, as it does with plain line endings.
        let failing = "arena pages=64\r\nk1 = kmalloc size=8\r\nkfree k1\r\nexpect double_free: kfree k1\r\n"
        let failingPath = try Self.temporaryFile("crlf-double-free.trace", Array(failing.utf8))
        #expect(try Self.run(["replay", failingPath]).status == 0)
        #expect(try Self.run(["replay", failingPath], defect: "double-free-undetected").status == 1)
    }

    @Test func emptyRandomAndMalformedInputs() throws {
        // An empty file is the empty byte input, which libFuzzer tries first
        // and the fuzz binary runs as the arena alone; named .trace, an empty trace.
        let empty = try Self.temporaryFile("empty", [])
        var r = try Self.run(["replay", empty])
        #expect(r.status == 0 && r.output.contains("empty: 0 bytes, not a text trace: decoded as an input of the mixed target\n\n"
                                                   + "    arena pages=256\n"), "\(r.output)")
        let emptyTrace = try Self.temporaryFile("empty.trace", [])
        r = try Self.run(["replay", emptyTrace])
        #expect(r.status == 2 && r.output.contains("empty.trace:1:1: no `arena pages=N` line"), "\(r.output)")
        var random = SystemRandomNumberGenerator()
        let big = try Self.temporaryFile("random.bin", (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) })
        r = try Self.run(["replay", big])
        #expect(r.status == 0, "random bytes decode to some trace, which the correct core passes")
        let bad = try Self.temporaryFile("bad.trace", Array("arena pages=64\np1 = alloc_pages order=x\n".utf8))
        r = try Self.run(["replay", bad])
        #expect(r.status == 2 && r.output.contains("bad.trace:2:18: order must be"))
        // A text trace without its arena line is refused as text, not run as fuzzer bytes.
        let headless = try Self.temporaryFile("headless.trace", Array("p1 = alloc_pages order=3\nfree_pages p1\n".utf8))
        r = try Self.run(["replay", headless])
        #expect(r.status == 2 && r.output.contains("headless.trace:1:1: expected `arena pages=N`"), "\(r.output)")
    }

    @Test func inputsThatAreNoTraceAreNamedAsSuch() throws {
        // A file that is not a text trace is fuzzer bytes, and the report says so first.
        var r = try Self.run(["replay", "Package.swift"])
        #expect(r.status == 0)
        #expect(r.output.hasPrefix("Package.swift: "), "\(r.output.prefix(200))")
        #expect(r.output.contains("not a text trace: decoded as an input of the mixed target"))
        // A trace saved as UTF-16 is refused, not decoded as bytes.
        let utf16 = [UInt8]([0xFF, 0xFE]) + Array("arena pages=64\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        r = try Self.run(["replay", try Self.temporaryFile("utf16.trace", utf16)])
        #expect(r.status == 2 && r.output.contains("the file is UTF-16 text"), "\(r.output)")
        // A checkers input read as a trace on purpose.
        r = try Self.run(["replay", "--target", "mixed", "corpus/checkers/seed-03"])
        #expect(r.status == 0, "\(r.output)")
    }

    @Test func fmtBytesForAnotherTargetsFolderAreRefused() throws {
        let dir = Self.temporaryFolder + "/slab"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let scenario = "Fuzz/Scenarios/slab/cache-lifecycle.trace"
        // A text trace is encoded for the mixed target; slab would read those bytes as another trace.
        var r = try Self.run(["fmt", scenario, "--bytes", dir + "/x"])
        #expect(r.status == 2 && r.output.contains("names the slab target") && r.output.contains("give --target slab"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x"))
        // A robustness target's folder: no --target makes trace bytes its input.
        let checkers = Self.temporaryFolder + "/checkers"
        try FileManager.default.createDirectory(atPath: checkers, withIntermediateDirectories: true)
        r = try Self.run(["fmt", scenario, "--bytes", checkers + "/x"])
        #expect(r.status == 2 && r.output.contains("names the checkers target, whose inputs are not traces; choose another path"), "\(r.output)")
        // A trace with operations the folder's target lacks: no --target helps.
        let kmalloc = try Self.temporaryFile("k.trace", Array("arena pages=64\nk1 = kmalloc size=8\n".utf8))
        let pages = Self.temporaryFolder + "/pages"
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)
        r = try Self.run(["fmt", kmalloc, "--bytes", pages + "/x"])
        #expect(r.status == 2 && r.output.contains("the trace has operations the pages target lacks, so choose another path"),
                "\(r.output)")
        // A `.trace` name is read as text everywhere: bytes there would be refused.
        r = try Self.run(["fmt", scenario, "--bytes", Self.temporaryFolder + "/bytes.trace"])
        #expect(r.status == 2 && r.output.contains("a .trace name is read as a text trace"), "\(r.output)")
        r = try Self.run(["fmt", scenario, "--target", "slab", "--bytes", dir + "/x"])
        #expect(r.status == 0)
        let text = try Self.run(["fmt", scenario, "--target", "slab"]).output.split(separator: "\n").dropFirst()
        let back = try Self.run(["fmt", dir + "/x"]).output.split(separator: "\n").dropFirst()
        #expect(Array(text) == Array(back), "the bytes decode to the same trace in their folder")
    }

    @Test func aCaseShrunkWithASeededDefectSaysSo() throws {
        let failing = "arena pages=64\nk1 = kmalloc size=8\nk2 = kmalloc size=16\nkfree k1\nexpect double_free: kfree k1\n"
        let path = try Self.temporaryFile("defect-case.trace", Array(failing.utf8))
        let out = path + ".min.trace"
        var r = try Self.run(["shrink", "--no-libfuzzer", path, "-o", out], defect: "double-free-undetected")
        #expect(r.status == 0, "\(r.output)")
        let saved = String(decoding: try readFile(out), as: UTF8.self)
        #expect(saved.hasPrefix("# Found with ALLOCCHECK_DEFECT=double-free-undetected"), "\(saved)")
        // Replayed without the defect, it passes and says how to see it fail.
        r = try Self.run(["replay", out])
        // The command as it was run, from the folder it ran in (the checkout).
        let command = Fuzzing.displayPath(try #require(Self.binary), from: Self.root)
        #expect(r.status == 0 && r.output.contains("ALLOCCHECK_DEFECT=double-free-undetected \(command) replay"), "\(r.output)")
    }

    /// A file named .trace that does not start like a text trace is refused,
    /// not run as fuzzer bytes (which would pass as some unrelated trace).
    @Test func aTraceFileThatIsNotATextTraceIsRefused() throws {
        let commented = try Self.temporaryFile("commented.trace", Array("// arena pages=64\np1 = alloc_pages order=0\n".utf8))
        let binary = try Self.temporaryFile("binary.trace", [0x02, 0xFF, 0x00, 0x81])
        for (path, shown) in [(commented, "line 1 is \"// arena pages=64\""), (binary, "line 1 is not printable ASCII")] {
            for command in ["replay", "shrink", "fmt"] {
                let r = try Self.run([command, path])
                #expect(r.status == 2 && r.output == "error: \(path): named .trace but not a text trace (\(shown)); a text trace "
                        + "starts with its `arena` line, after `#` comments; rename the file to read it as fuzzer bytes\n",
                        "\(command): \(r.output)")
            }
        }
    }

    @Test func shrinkOfAPassingInputSaysSo() throws {
        let path = try Self.temporaryFile("pass.trace", Array("arena pages=64\np1 = alloc_pages order=2\n".utf8))
        let r = try Self.run(["shrink", "--no-libfuzzer", path])
        #expect(r.status == 2 && r.output.contains("the input passes, so there is nothing to shrink"))
        // Bytes outside a target's folder: it says which target it read them as.
        let bytes = try Self.temporaryFile("copied-crash", [0x02, 0x00, 0x00, 0x00])
        let b = try Self.run(["shrink", "--no-libfuzzer", bytes])
        #expect(b.status == 2 && b.output.contains("the input passes (its bytes decoded as an input of the mixed target; "
                                                   + "give --target if it is another's)"), "\(b.output)")
    }

    @Test func emitTestWritesANamedTestAndRefusesAMissingFolder() throws {
        let path = try Self.temporaryFile("case.trace", Array("arena pages=64\np1 = alloc_pages order=2\n".utf8))
        let dir = try Self.testTargetFolder("EmitTests")
        var r = try Self.run(["emit-test", path, "--into", dir])
        #expect(r.status == 0 && r.output.contains("passingRegression_"))
        r = try Self.run(["emit-test", path, "--into", dir + "/missing"])
        #expect(r.status == 2 && r.output.contains("no such test target folder"))
        // Folders no build compiles: the test would never run.
        let package = ((dir as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let unnamed = package + "/Tests/Unnamed"
        try FileManager.default.createDirectory(atPath: unnamed, withIntermediateDirectories: true)
        for folder in [package + "/Tests", package, Self.temporaryFolder, unnamed] {
            r = try Self.run(["emit-test", path, "--into", folder])
            #expect(r.status == 2 && r.output.contains("--into \(folder): not a test target's folder"), "\(r.output)")
        }
        // Again: the same test is there, unchanged; once edited, it is kept.
        r = try Self.run(["emit-test", path, "--into", dir])
        #expect(r.status == 0 && r.output.contains("is already there, unchanged"), "\(r.output)")
        let written = try #require(files(in: dir).first { $0.contains("passingRegression_") && $0.hasSuffix(".swift") })
        let edited = try readFile(written) + Array("// a note of the user's\n".utf8)
        try writeFile(written, edited)
        r = try Self.run(["emit-test", path, "--into", dir])
        #expect(r.status == 2 && r.output.contains("differs from the test emit-test writes"), "\(r.output)")
        #expect(try readFile(written) == edited)
    }

    /// A bad `--into` folder is one output problem whatever is wrong with
    /// it: missing, not a folder, or no test target's (or one without
    /// Harness) all exit 2, one line each (a missing one was 2 and a wrong
    /// one 64), and nothing is written.
    @Test func everyBadIntoFolderExitsTwo() throws {
        let path = try Self.temporaryFile("into.trace", Array("arena pages=64\np1 = alloc_pages order=2\n".utf8))
        let good = try Self.testTargetFolder("IntoTests")
        let package = ((good as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: package + "/Sources/Lib", withIntermediateDirectories: true)
        try writeFile(package + "/Tests/file", [1])
        let folders = [good + "/missing", package + "/Tests/file", package + "/Tests", package, package + "/Sources/Lib"]
        for folder in folders {
            let r = try Self.run(["emit-test", path, "--into", folder])
            #expect(r.status == 2 && r.output.hasPrefix("error: --into \(folder): ") && r.output.split(separator: "\n").count == 1,
                    "\(folder): \(r.output)")
        }
        #expect(files(in: good).isEmpty && files(in: package + "/Tests") == [package + "/Tests/file"])
    }

    /// A test emitted with a seeded defect on says so: it fails only while
    /// that defect is on, and passes on the correct core.
    @Test func aTestEmittedWithADefectOnSaysSo() throws {
        let path = try Self.temporaryFile("df.trace", Array("arena pages=64\nk1 = kmalloc size=1\nkfree k1\nexpect double_free: kfree k1\n".utf8))
        let dir = try Self.testTargetFolder("DefectEmitTests")
        let r = try Self.run(["emit-test", path, "--into", dir], defect: "double-free-undetected")
        #expect(r.status == 0, "\(r.output)")
        let written = try #require(files(in: dir).first { $0.hasSuffix(".swift") })
        let source = String(decoding: try readFile(written), as: UTF8.self)
        #expect(source.contains("prediction missing-refusal(double_free), with the seeded defect "
                                + "ALLOCCHECK_DEFECT=double-free-undetected switched on: on the correct core this test passes, "
                                + "and it fails only while that defect is on.\n"), "\(source)")
    }

    @Test func fuzzListNamesEveryTargetOfFuzzBuildSh() throws {
        let r = try Self.run(["fuzz", "list"])
        #expect(r.status == 0)
        let names = r.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names == ["pages", "exact", "slab", "kmalloc", "mixed", "checkers", "decoding"])
        let script = String(decoding: try readFile(Self.root + "/Fuzz/build.sh"), as: UTF8.self)
        #expect(script.contains("all_targets=(\(names.joined(separator: " ")))"))
    }

    @Test func checkRunsEverySuiteAndWritesJSON() throws {
        let json = try Self.temporaryFile("check.json", [])
        let r = try Self.run(["check", "--examples", "5", "--seed", "1", "--json", json])
        #expect(r.status == 0)
        for suite in ["pages", "exact", "slab", "kmalloc", "mixed"] { #expect(r.output.contains("| \(suite)")) }
        let text = String(decoding: try readFile(json), as: UTF8.self)
        #expect(text.contains("\"suite\": \"mixed\"") && text.contains("\"passed\": true"))
        #expect(text.hasPrefix("{\"examples\": 5, \"defect\": null, \"suites\": ["), "\(text)")
    }

    /// A seed is any UInt64, and a JSON reader that holds numbers as
    /// doubles (JavaScript's) reads one past 2^53 as another seed: each
    /// suite's seed is also written as its decimal digits, `seed_string`,
    /// beside the number `seed`, which stays as it was.
    @Test func checkJSONGivesEachSeedExactlyAsAString() throws {
        let json = try Self.temporaryFile("check-seed.json", [])
        let seed = UInt64.max - 1  // 18446744073709551614: a double reads 18446744073709551616
        let r = try Self.run(["check", "--examples", "1", "--seed", "\(seed)", "--json", json])
        #expect(r.status == 0, "\(r.output)")
        let text = String(decoding: try readFile(json), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let suites = try #require(object["suites"] as? [[String: Any]])
        #expect(suites.count == 6)
        for suite in suites {
            #expect(suite["seed_string"] as? String == "\(seed)", "\(suite)")
            #expect(UInt64(suite["seed_string"] as? String ?? "") == seed)
        }
        #expect(text.contains("\"seed\": \(seed), \"seed_string\": \"\(seed)\", "), "the number is kept as it was: \(text)")
        #expect(UInt64(exactly: Double(seed)) == nil, "a double cannot hold this seed: the string is what keeps it")
    }

    /// A failing suite says how to keep its case: the commands that read
    /// the minimal trace, with the defect the run had on.
    @Test func aFailingCheckSaysHowToKeepItsCase() throws {
        let r = try Self.run(["check", "--examples", "30", "--seed", "1"], defect: "merge-across-hole")
        #expect(r.status == 1)
        #expect(r.output.contains("minimal trace:\n    arena pages=256 reserved=0..<1\n"), "\(r.output)")
        #expect(r.output.contains("To keep a case, save its minimal trace"), "\(r.output)")
        #expect(r.output.contains("  Reproduce:       ALLOCCHECK_DEFECT=merge-across-hole "), "\(r.output)")
        #expect(r.output.contains(" replay case.trace\n"), "\(r.output)")
    }

    /// A committed crash of the `double-free-undetected` defect (a 10-step
    /// trace as bytes) shrinks to its known minimum, 3 steps.
    @Test func shrinkOfACommittedCrashReachesItsKnownMinimum() throws {
        let crash = Self.root + "/Tests/AllocCheckToolTests/Fixtures/double-free-undetected.crash"
        let out = try Self.temporaryFile("df.min.trace", [])
        var r = try Self.run(["replay", crash], defect: "double-free-undetected")
        #expect(r.status == 1 && r.output.contains(">>> expect double_free: kfree k2"))
        r = try Self.run(["shrink", crash, "--no-libfuzzer", "-o", out], defect: "double-free-undetected")
        #expect(r.status == 0)
        #expect(r.output.contains("Minimal trace (3 operations, from 10;"), "\(r.output)")
        let minimal = String(decoding: try readFile(out), as: UTF8.self)
        #expect(minimal == "# Found with ALLOCCHECK_DEFECT=double-free-undetected (a seeded defect): it fails only with that "
                + "defect switched on and passes on the correct core\n"
                + "arena pages=256\nk1 = kmalloc size=1\nkfree k1\nexpect double_free: kfree k1\n")
        r = try Self.run(["replay", out])
        #expect(r.status == 0, "the correct core refuses the double free")
    }

    @Test func emitTestNamesTheTestAfterWhatBroke() throws {
        let crash = Self.root + "/Tests/AllocCheckToolTests/Fixtures/double-free-undetected.crash"
        let dir = try Self.testTargetFolder("NamedTests")
        let r = try Self.run(["emit-test", crash, "--into", dir], defect: "double-free-undetected")
        #expect(r.status == 0)
        let written = try #require(files(in: dir).first { $0.contains("missingRefusalDoubleFreeRegression_") })
        let source = String(decoding: try readFile(written), as: UTF8.self)
        #expect(source.contains("@Test func missingRefusalDoubleFreeRegression_"))
        #expect(source.contains("expect double_free: kfree k2"))
    }

    @Test func anOutputThatCannotBeWrittenIsAnError() throws {
        let path = try Self.temporaryFile("w.trace", Array("arena pages=64\np1 = alloc_pages order=2\nfree_pages p1\n".utf8))
        let r = try Self.run(["view", path, "--svg", "/nonexistent-folder/x.svg"])
        #expect(r.status == 2 && r.output.contains("--svg /nonexistent-folder/x.svg: no folder /nonexistent-folder to write it in"))
    }
}

/// What a reviewer found the command getting wrong, each as a user meets it.
@Suite struct CommandReviewTests {
    static let failing = "arena pages=64\nk1 = kmalloc size=8\nk2 = kmalloc size=16\nkfree k1\nexpect double_free: kfree k1\n"
    static let defect = "double-free-undetected"

    /// A fresh folder of its own for one test, inside `testFolder`.
    static func folder(_ name: String) throws -> String {
        let path = testFolder + "/review-" + name
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The default output of shrinking a text trace is that trace's minimal
    /// form as text, read back as the same trace wherever it lies: here in a
    /// folder named after the slab target, which would read bytes as slab's.
    @Test func shrinkingATextTraceWritesATextTraceThatReplaysAsItself() throws {
        let slab = try Self.folder("shrink-text") + "/slab"
        try FileManager.default.createDirectory(atPath: slab, withIntermediateDirectories: true)
        let header = "# Found with ALLOCCHECK_DEFECT=\(Self.defect) (a seeded defect): it fails only with that defect "
            + "switched on and passes on the correct core\n"
        let path = slab + "/rz.trace"
        try writeFile(path, Array((header + Self.failing).utf8))
        var r = try CommandTests.run(["shrink", "--no-libfuzzer", path], defect: Self.defect)
        #expect(r.status == 0 && r.output.contains("Written to \(path).min\n"), "\(r.output)")
        let minimal = String(decoding: try readFile(path + ".min"), as: UTF8.self)
        #expect(minimal == header + "arena pages=256\nk1 = kmalloc size=1\nkfree k1\nexpect double_free: kfree k1\n")
        r = try CommandTests.run(["replay", path + ".min"], defect: Self.defect)
        #expect(r.status == 1 && r.output.contains(">>> expect double_free: kfree k1"), "\(r.output)")
        #expect(!r.output.contains("not a text trace"))
        // Without the defect it passes, and says how to see it fail.
        r = try CommandTests.run(["replay", path + ".min"])
        #expect(r.status == 0 && r.output.contains("note: this case was found with ALLOCCHECK_DEFECT=\(Self.defect)"), "\(r.output)")
        // So does shrink's refusal, in its one line.
        r = try CommandTests.run(["shrink", "--no-libfuzzer", path + ".min", "-o", slab + "/again.min"])
        #expect(r.status == 2 && r.output.contains("so there is nothing to shrink (replay it to see); this case was found with "
                                                   + "ALLOCCHECK_DEFECT=\(Self.defect)") && r.output.hasSuffix(" shrinks it\n"), "\(r.output)")
        // -o names another file: still text, since a text trace belongs to no target.
        let other = slab + "/rz.bin"
        r = try CommandTests.run(["shrink", "--no-libfuzzer", path, "-o", other], defect: Self.defect)
        let written = try readFile(other)
        #expect(r.status == 0 && Trace.isText(written), "\(r.output)")
    }

    /// Bytes shrunk for a target given with --target, written where a plain
    /// replay would read them as another target's: the line says so.
    @Test func shrunkBytesOfAGivenTargetSayHowToReplayThem() throws {
        let folder = try Self.folder("shrink-bytes") + "/kmalloc"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let crash = folder + "/crash"
        try writeFile(crash, try readFile(CommandTests.root + "/Tests/AllocCheckToolTests/Fixtures/double-free-undetected.crash"))
        var r = try CommandTests.run(["shrink", "--no-libfuzzer", "--target", "mixed", crash], defect: Self.defect)
        #expect(r.status == 0)
        #expect(r.output.contains("Written to \(crash).min (bytes of the mixed target: replay it with --target mixed)"),
                "\(r.output)")
        r = try CommandTests.run(["replay", "--target", "mixed", crash + ".min"], defect: Self.defect)
        #expect(r.status == 1 && r.output.contains(">>> expect double_free: kfree k1"), "\(r.output)")
        // Where a plain replay reads them as the same target, nothing is added.
        r = try CommandTests.run(["shrink", "--no-libfuzzer", "--target", "mixed", crash, "-o", crash + ".elsewhere"],
                                 defect: Self.defect)
        #expect(r.output.contains("Written to \(crash).elsewhere (bytes"), "\(r.output)")
        r = try CommandTests.run(["shrink", "--no-libfuzzer", "--target", "mixed", crash, "-o", testFolder + "/df-plain.min"],
                                 defect: Self.defect)
        #expect(r.output.contains("Written to \(testFolder)/df-plain.min\n"), "\(r.output)")
    }

    /// The target a byte input is decoded for is the one its real location
    /// names, however the path is typed: from inside the folder, through a link.
    @Test func aByteInputIsDecodedForTheTargetOfWhereItReallyIs() throws {
        let base = try Self.folder("real-location")
        let artifacts = base + "/.fuzz/kmalloc/artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        try writeFile(artifacts + "/crash-1", try readFile(CommandTests.root + "/Tests/AllocCheckToolTests/Fixtures/double-free-undetected.crash"))
        var r = try CommandTests.run(["replay", "crash-1"], in: artifacts)
        #expect(r.output.hasPrefix("crash-1: 33 bytes, not a text trace: decoded as an input of the kmalloc target"), "\(r.output)")
        try FileManager.default.createSymbolicLink(atPath: base + "/link", withDestinationPath: artifacts)
        r = try CommandTests.run(["replay", "link/crash-1"], in: base)
        #expect(r.output.hasPrefix("link/crash-1: 33 bytes, not a text trace: decoded as an input of the kmalloc target"), "\(r.output)")
        // A checkers input is refused from inside its folder as by its full path.
        let checkers = base + "/checkers"
        try FileManager.default.createDirectory(atPath: checkers, withIntermediateDirectories: true)
        try writeFile(checkers + "/seed", try readFile(CommandTests.root + "/corpus/checkers/seed-03"))
        r = try CommandTests.run(["replay", "seed"], in: checkers)
        #expect(r.status == 2 && r.output.contains("an input of the checkers target, which is not a trace"), "\(r.output)")
        // fmt --bytes into another target's folder, typed from inside it.
        let scenario = CommandTests.root + "/Fuzz/Scenarios/slab/cache-lifecycle.trace"
        r = try CommandTests.run(["fmt", scenario, "--bytes", "x"], in: checkers)
        #expect(r.status == 2 && r.output.contains("names the checkers target"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: checkers + "/x"))
    }

    /// A package for `emit-test --into`: `manifest` as its Package.swift and the folders `Tests/<name>` of `folders`.
    static func package(_ name: String, under parent: String? = nil, manifest: String, folders: [String]) throws -> String {
        let package = (parent ?? testFolder) + "/emit-" + name
        try? FileManager.default.removeItem(atPath: package)
        for folder in folders {
            try FileManager.default.createDirectory(atPath: package + "/Tests/" + folder, withIntermediateDirectories: true)
        }
        try writeFile(package + "/Package.swift", Array(manifest.utf8))
        return package
    }

    /// emit-test writes only into the folder of a test target that can build
    /// and run the test: declared as a test target, depending on Harness.
    @Test func emitTestWantsADeclaredTestTargetThatDependsOnHarness() throws {
        let path = try CommandTests.temporaryFile("emit-case.trace", Array("arena pages=64\np1 = alloc_pages order=2\n".utf8))
        let manifest = """
            let note = \"""
                a lone " quote
                \"""
            // package.targets.append(.testTarget(name: "AfterLongStringTests", dependencies: ["Harness"]))
            let package = Package(
                name: "Mine",
                dependencies: [.package(url: "https://github.com/apple/swift-argument-parser", from: "1.0.0")],
                targets: [
                    .target(name: "Harness", path: "Tests/Harness"),
                    .executableTarget(name: "Tool", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
                    .testTarget(name: "NoHarnessTests", dependencies: ["Tool"]),
                    // .testTarget(name: "CommentedTests", dependencies: ["Harness"]),
                    /* .testTarget(name: "BlockTests", dependencies: ["Harness"]), */
                    .target(name: "Raw", exclude: [#"C:\"#]),
                    // .testTarget(name: "AfterRawTests", dependencies: ["Harness"]),
                    .testTarget(
                        name: "GoodTests",
                        dependencies: [
                            "Tool",
                            .product(name: "Harness", package: "AllocCheck"),
                        ]),
                ]
            )

            """
        let package = try Self.package("strict", manifest: manifest,
                                       folders: ["Harness", "ArgumentParser", "NoHarnessTests", "GoodTests", "CommentedTests",
                                                 "BlockTests", "AfterRawTests", "AfterLongStringTests"])
        // Targets in comments are no targets, also after a raw or a multi-line string.
        for name in ["Harness", "ArgumentParser", "CommentedTests", "BlockTests", "AfterRawTests", "AfterLongStringTests"] {
            let r = try CommandTests.run(["emit-test", path, "--into", package + "/Tests/" + name])
            #expect(r.status == 2 && r.output == "error: --into \(package)/Tests/\(name): not a test target's folder: its "
                    + "Package.swift declares no .testTarget(name: \"\(name)\"), so the test would never run; declare it "
                    + "there with dependencies: [\"Harness\"]\n", "\(r.output)")
        }
        var r = try CommandTests.run(["emit-test", path, "--into", package + "/Tests/NoHarnessTests"])
        #expect(r.status == 2 && r.output.contains("the test target NoHarnessTests does not depend on Harness, which the "
                                                    + "test imports; add \"Harness\""), "\(r.output)")
        #expect(files(in: package + "/Tests/NoHarnessTests").isEmpty)
        r = try CommandTests.run(["emit-test", path, "--into", package + "/Tests/GoodTests"])
        #expect(r.status == 0 && r.output.contains("Wrote \(package)/Tests/GoodTests/passingRegression_"), "\(r.output)")
        // A package that itself lies under some Sources folder is fine: only its own folders count.
        let sources = try Self.folder("emit-sources") + "/Sources"
        try FileManager.default.createDirectory(atPath: sources, withIntermediateDirectories: true)
        let nested = try Self.package("nested", under: sources, manifest: manifest, folders: ["GoodTests"])
        r = try CommandTests.run(["emit-test", path, "--into", nested + "/Tests/GoodTests"])
        #expect(r.status == 0 && r.output.contains("Wrote "), "\(r.output)")
        // Typed from inside the folder, it is the same folder.
        r = try CommandTests.run(["emit-test", path, "--into", "."], in: nested + "/Tests/GoodTests")
        #expect(r.status == 0 && r.output.contains("is already there, unchanged"), "\(r.output)")
    }

    /// A header naming a defect this build does not have gets no command that would fail.
    @Test func aHeaderNamingAnUnknownDefectIsSaidToBeOne() throws {
        let path = try CommandTests.temporaryFile("unknown-defect.trace",
                                                  Array(("# Found with ALLOCCHECK_DEFECT=bogus-name\n" + Self.failing).utf8))
        let r = try CommandTests.run(["replay", path])
        #expect(r.status == 0)
        #expect(r.output.contains("note: its header says it was found with ALLOCCHECK_DEFECT=bogus-name, which names no defect"),
                "\(r.output)")
        #expect(!r.output.contains("ALLOCCHECK_DEFECT=bogus-name ") && !r.output.contains("shows it failing"), "\(r.output)")
    }
}

@Suite struct ProgressTests {
    @Test func parsesLibFuzzerStatusLinesOfPlainAndForkMode() {
        var p = Fuzzing.Progress()
        p.update(from: "#4096\tpulse  cov: 812 ft: 1401 corp: 60/3222b lim: 4096 exec/s: 2048 rss: 59Mb")
        #expect(p == Fuzzing.Progress(executions: 4096, coverage: 812, features: 1401, corpus: 60, execPerSecond: 2048))
        p.update(from: "#52431: cov: 1420 ft: 5681 corp: 231 exec/s: 443 oom/timeout/crash: 0/0/0 time: 10s job: 3 dft_time: 0")
        #expect(p.executions == 52431 && p.coverage == 1420 && p.corpus == 231 && p.execPerSecond == 443)
        p.update(from: "INFO: Seed: 1234")
        #expect(p.executions == 52431, "lines that are not status lines change nothing")
    }
}
