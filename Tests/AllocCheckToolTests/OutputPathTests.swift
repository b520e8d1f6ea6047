#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import AllocCheckTool

/// A fresh folder of its own for one test, inside `testFolder`.
private func scratchFolder(_ name: String) throws -> String {
    let dir = testFolder + "/outputs-\(name)"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// An executable shell script standing in for a fuzz binary.
private func script(_ path: String, _ body: String) throws -> String {
    try writeFile(path, Array(("#!/bin/sh\n" + body + "\n").utf8))
    #expect(chmod(path, 0o755) == 0)
    return path
}

private func text(_ path: String) throws -> String { String(decoding: try readFile(path), as: UTF8.self) }

/// The `ToolError` `body` throws (a `ToolError` with status 99 for any other error), or nil.
private func thrown(_ body: () throws -> Void) -> ToolError? {
    do { try body() } catch let error as ToolError { return error } catch { return ToolError("\(error)", exitCode: 99) }
    return nil
}

/// The output-path checks every subcommand runs before any work.
@Suite struct OutputPathCheckTests {
    @Test func refusesFoldersMissingFoldersNonRegularFilesAndTheInput() throws {
        let dir = try scratchFolder("check")
        let input = dir + "/in.trace"
        try writeFile(input, Array("arena pages=64\n".utf8))
        #expect(link(input, dir + "/hard-link") == 0)
        #expect(symlink(input, dir + "/soft-link") == 0)

        #expect(thrown { try OutputPaths.check(dir + "/new.json", option: "--json") } == nil)
        // An existing file is kept unless the user asks to replace it (--force);
        // an empty one holds nothing to lose.
        #expect(thrown { try OutputPaths.check(input, option: "--json") }?.message
                == "--json \(input): exists, and nothing is written over it; give --force to replace it, or choose another name")
        #expect(thrown { try OutputPaths.check(input, option: "--json", replacing: true) } == nil)
        try writeFile(dir + "/empty.json", [])
        #expect(thrown { try OutputPaths.check(dir + "/empty.json", option: "--json") } == nil)
        #expect(thrown { try OutputPaths.check("relative-name.json", option: "--json") } == nil)

        let cases: [(String, [String], String)] = [
            (dir, [], "--json \(dir): is a directory"),
            (dir + "/", [], "--json \(dir)/: is a directory"),
            (dir + "/missing/", [], "names a folder, expected a file name"),
            ("/nonexistent/r.json", [], "--json /nonexistent/r.json: no folder /nonexistent to write it in"),
            (input + "/x.json", [], "\(input) is not a folder"),
            ("/dev/null", [], "--json /dev/null: exists and is not a regular file"),
            ("", [], "--json: an empty path"),
            (input, [input], "--json \(input): is the input \(input) itself"),
            (dir + "/hard-link", [input], "is the input"),
            (dir + "/soft-link", [input], "is the input"),
            (dir + "/../" + (dir as NSString).lastPathComponent + "/in.trace", [input], "is the input"),
        ]
        for (path, inputs, message) in cases {
            let error = thrown { try OutputPaths.check(path, option: "--json", inputs: inputs) }
            #expect(error?.exitCode == 2, "\(path)")
            #expect(error?.message.contains(message) == true, "\(path): \(error?.message ?? "accepted")")
        }
    }

    @Test func foldersToWriteInto() throws {
        let dir = try scratchFolder("folder")
        try writeFile(dir + "/file", [1])
        #expect(thrown { try OutputPaths.checkFolder(dir, option: "--into") } == nil)
        #expect(thrown { try OutputPaths.checkFolder(dir + "/missing", option: "--into", missing: "no such test target folder") }?
            .message == "--into \(dir)/missing: no such test target folder")
        #expect(thrown { try OutputPaths.checkFolder(dir + "/file", option: "--into") }?.message == "--into \(dir)/file: is not a folder")
    }

    @Test func pathPieces() {
        #expect(OutputPaths.parent(of: "a.json") == ".")
        #expect(OutputPaths.parent(of: "/a.json") == "/")
        #expect(OutputPaths.parent(of: "/tmp/x/a.json") == "/tmp/x")
        #expect(OutputPaths.parent(of: "/tmp/x/corpus/") == "/tmp/x")
        #expect(OutputPaths.withoutTrailingSlashes("/tmp/x/pcorp//") == "/tmp/x/pcorp")
        #expect(OutputPaths.withoutTrailingSlashes("/") == "/")
        #expect(counted(1, "operation") == "1 operation" && counted(0, "operation") == "0 operations")
        #expect(counted(2, "byte") == "2 bytes")
    }
}

/// libFuzzer's minimisers, with a shell script standing in for the fuzz binary.
@Suite struct LibFuzzerMinimiserTests {
    /// A stand-in for `-minimize_crash=1`: writes `bytes` to the
    /// `-exact_artifact_path` when the input's first line is `crash`, nothing otherwise.
    private func minimizer(in dir: String) throws -> String {
        try script(dir + "/fake-fuzzer", """
            for a in "$@"; do case "$a" in -exact_artifact_path=*) out="${a#-exact_artifact_path=}";; esac; input="$a"; done
            if [ "$(head -n 1 "$input")" = crash ]; then printf 'small' > "$out"; exit 0; fi
            echo "ERROR: the input $input did not crash"; exit 1
            """)
    }

    @Test func aStaleResultIsNeitherReportedNorDestroyed() throws {
        let dir = try scratchFolder("tmin")
        let exe = try minimizer(in: dir)
        let input = dir + "/crash-1", output = dir + "/crash-1.tmin"
        try writeFile(input, Array("crash\nmore bytes\n".utf8))
        var bytes = try Fuzzing.libFuzzerMinimize(exe, input: input, output: output, runs: 10, seconds: 10) { _ in }
        #expect(bytes == Array("small".utf8))
        #expect(try text(output) == "small")

        // Fixed: the input no longer crashes. The old result stays, and is not this run's.
        try writeFile(input, Array("fine\n".utf8))
        bytes = try Fuzzing.libFuzzerMinimize(exe, input: input, output: output, runs: 10, seconds: 10) { _ in }
        #expect(bytes == nil)
        #expect(try text(output) == "small", "the old result is kept, not destroyed")
        #expect(files(in: dir).sorted() == [input, output, dir + "/fake-fuzzer"].sorted(), "no temporary file left")
        let hidden = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "\(hidden)")
    }

    /// A stand-in for `-merge=1 NEW OLD`: keeps the inputs of OLD whose name starts with `keep`.
    private func merger(in dir: String, status: Int = 0) throws -> String {
        try script(dir + "/fake-merge", """
            [ "$1" = -merge=1 ] || exit 9
            for f in "$3"/keep*; do [ -f "$f" ] && cp "$f" "$2/"; done
            exit \(status)
            """)
    }

    private func corpus(in dir: String) throws -> String {
        let corpus = dir + "/pcorp"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["keep-1", "drop-1", "keep-2", "drop-2"] { try writeFile(corpus + "/" + name, Array(name.utf8)) }
        return corpus
    }

    @Test(arguments: ["", "/", "//"])
    func cminSwapsInTheNewCorpusWhateverTheSlashes(_ suffix: String) throws {
        let dir = try scratchFolder("cmin\(suffix.count)")
        let exe = try merger(in: dir)
        let corpus = try corpus(in: dir)
        let (before, after) = try Fuzzing.cmin(exe, corpus: corpus + suffix) { _ in }
        #expect(before == 4 && after == 2)
        #expect(files(in: corpus) == [corpus + "/keep-1", corpus + "/keep-2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: corpus).sorted() == ["keep-1", "keep-2"], "nothing left inside")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fake-merge", "pcorp"], "nothing left beside")
    }

    @Test func aFailedMergeLeavesTheCorpusAndNoLitter() throws {
        let dir = try scratchFolder("cmin-fail")
        let exe = try merger(in: dir, status: 1)
        let corpus = try corpus(in: dir)
        let error = thrown { _ = try Fuzzing.cmin(exe, corpus: corpus + "/") { _ in } }
        #expect(error?.message == "libFuzzer's merge failed (status 1); the corpus \(corpus) is unchanged")
        #expect(files(in: corpus).count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fake-merge", "pcorp"])
    }

    /// A folder or a link in the corpus would not survive the swap: refused, with nothing changed.
    @Test func cminRefusesACorpusHoldingMoreThanInputs() throws {
        let dir = try scratchFolder("cmin-mixed-entries")
        let exe = try merger(in: dir)
        let corpus = try corpus(in: dir)
        try FileManager.default.createDirectory(atPath: corpus + "/notes", withIntermediateDirectories: true)
        let error = thrown { _ = try Fuzzing.cmin(exe, corpus: corpus) { _ in } }
        #expect(error?.message == "\(corpus): holds notes, which is not a plain input file (a folder or a link); "
                + "cmin replaces the folder and would lose it: move it out first")
        try FileManager.default.removeItem(atPath: corpus + "/notes")
        try FileManager.default.createSymbolicLink(atPath: corpus + "/link", withDestinationPath: corpus + "/keep-1")
        #expect(thrown { _ = try Fuzzing.cmin(exe, corpus: corpus) { _ in } }?.message.contains("holds link,") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: corpus).sorted() == ["drop-1", "drop-2", "keep-1", "keep-2", "link"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fake-merge", "pcorp"])
    }

    /// libFuzzer's merge child gets its folders and binary on an unquoted
    /// command line, where a corpus path with a space read as no corpus
    /// (libFuzzer's merge then kept nothing and exited 0). The binary and
    /// the folders are staged under plain names: this fake merger fails
    /// (status 8) when any path it is given, itself and its TMPDIR
    /// included, holds a space, and the corpus is merged and swapped.
    @Test func cminMergesWherePathsHoldSpaces() throws {
        let dir = try scratchFolder("cmin space") + "/with space"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let exe = try script(dir + "/fake merge", """
            for a in "$0" "$@" "$TMPDIR"; do case "$a" in *" "*) echo "a space in $a"; exit 8;; esac; done
            [ "$1" = -merge=1 ] || exit 9
            for f in "$3"/keep*; do [ -f "$f" ] && cp "$f" "$2/"; done
            exit 0
            """)
        let corpus = dir + "/my corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["keep 1", "drop 1", "keep-2"] { try writeFile(corpus + "/" + name, Array(name.utf8)) }
        let (before, after) = try Fuzzing.cmin(exe, corpus: corpus) { _ in }
        #expect(before == 3 && after == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: corpus).sorted() == ["keep 1", "keep-2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fake merge", "my corpus"], "nothing left beside")
    }

    /// What cannot be staged: libFuzzer's merge lists the inputs one a line
    /// in its control file, so a name holding a line break is refused,
    /// saying why, with nothing changed.
    @Test func cminRefusesAnInputNameWithALineBreak() throws {
        let dir = try scratchFolder("cmin-newline")
        let exe = try merger(in: dir)
        let corpus = try corpus(in: dir)
        try writeFile(corpus + "/two\nlines", [1])
        let error = thrown { _ = try Fuzzing.cmin(exe, corpus: corpus) { _ in } }
        #expect(error?.message == "\(corpus): holds \"two\\nlines\", whose name has a line break: libFuzzer's merge lists "
                + "the inputs one a line in its control file and cannot read it; rename it first")
        #expect(error?.exitCode == 2)
        #expect(files(in: corpus).count == 5)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fake-merge", "pcorp"])
    }

    /// The crash minimiser's children get the input and the result path
    /// on their command lines too: both are staged, and the result is
    /// written to an output whose path holds a space.
    @Test func tminMinimisesWherePathsHoldSpaces() throws {
        let dir = try scratchFolder("tmin space") + "/with space"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let exe = try script(dir + "/fake fuzzer", """
            for a in "$0" "$@" "$TMPDIR"; do case "$a" in *" "*) echo "a space in $a"; exit 8;; esac; done
            for a in "$@"; do case "$a" in -exact_artifact_path=*) out="${a#-exact_artifact_path=}";; esac; input="$a"; done
            if [ "$(head -n 1 "$input")" = crash ]; then printf 'small' > "$out"; exit 0; fi
            exit 1
            """)
        let input = dir + "/crash 1", output = dir + "/crash 1.tmin"
        try writeFile(input, Array("crash\nmore bytes\n".utf8))
        let bytes = try Fuzzing.libFuzzerMinimize(exe, input: input, output: output, runs: 10, seconds: 10) { _ in }
        #expect(bytes == Array("small".utf8))
        #expect(try text(output) == "small")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["crash 1", "crash 1.tmin", "fake fuzzer"])
    }

    /// `.cmin-old` and `.cmin-new` beside the corpus are not cmin's to
    /// remove: a failed swap leaves the old corpus in `.cmin-old` and says so.
    @Test func cminLeavesFoldersBesideTheCorpusAlone() throws {
        let dir = try scratchFolder("cmin-beside")
        let exe = try merger(in: dir)
        let corpus = try corpus(in: dir)
        for beside in [".cmin-old", ".cmin-new"] {
            try FileManager.default.createDirectory(atPath: corpus + beside, withIntermediateDirectories: true)
            try writeFile(corpus + beside + "/mine", [1])
            let error = thrown { _ = try Fuzzing.cmin(exe, corpus: corpus) { _ in } }
            #expect(error?.message == "\(corpus)\(beside) exists (an earlier cmin's, or yours): cmin works in it and would "
                    + "destroy it; move it away or remove it first")
            #expect(files(in: corpus + beside) == [corpus + beside + "/mine"])
            #expect(files(in: corpus).count == 4)
            try FileManager.default.removeItem(atPath: corpus + beside)
        }
    }

    /// A merge that kept nothing of a corpus that had inputs read none (or
    /// every one crashed): the corpus stays.
    @Test func anEmptyMergeOfAFullCorpusChangesNothing() throws {
        let dir = try scratchFolder("cmin-empty")
        let exe = try merger(in: dir)
        let corpus = dir + "/pcorp"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["drop-1", "drop-2"] { try writeFile(corpus + "/" + name, Array(name.utf8)) }
        let error = thrown { _ = try Fuzzing.cmin(exe, corpus: corpus) { _ in } }
        #expect(error?.message == "libFuzzer's merge kept none of the 2 inputs (every one crashed the target, or the merge "
                + "read none); the corpus \(corpus) is unchanged")
        #expect(error?.exitCode == 1)
        #expect(files(in: corpus) == [corpus + "/drop-1", corpus + "/drop-2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fake-merge", "pcorp"])
    }

    @Test func cminRefusesWhatIsNoFolderOfItsOwn() throws {
        let dir = try scratchFolder("cmin-odd")
        let exe = try merger(in: dir)
        #expect(thrown { _ = try Fuzzing.cmin(exe, corpus: dir + "/missing/") { _ in } }?.message
            == "\(dir)/missing/: no such corpus folder")
        #expect(thrown { _ = try Fuzzing.cmin(exe, corpus: dir + "/.") { _ in } }?.message.contains("by its own name") == true)
    }
}

/// The output checks and option ranges as a user meets them: the `alloccheck` command in a subprocess.
@Suite struct OutputOptionCommandTests {
    private static let trace = "arena pages=64\np1 = alloc_pages order=2\nfree_pages p1\n"

    @Test func outputsAreRefusedBeforeAnyWork() throws {
        let dir = try scratchFolder("command")
        let input = dir + "/idea.trace"
        try writeFile(input, Array(Self.trace.utf8))
        let cases: [([String], String)] = [
            (["check", "--json", dir], "error: --json \(dir): is a directory, expected a file name"),
            (["check", "--json", "/nonexistent/r.json"], "error: --json /nonexistent/r.json: no folder /nonexistent to write it in"),
            (["defects", "kmalloc-class-off-by-one", "--seeds", "1", "--fuzz-seeds", "0", "--json", dir],
             "error: --json \(dir): is a directory"),
            (["fmt", input, "--bytes", input], "error: --bytes \(input): is the input \(input) itself"),
            (["fmt", input, "--bytes", dir], "error: --bytes \(dir): is a directory"),
            (["shrink", input, "-o", input], "error: -o \(input): is the input \(input) itself"),
            (["shrink", input, "-o", "/nonexistent/x.min"], "error: -o /nonexistent/x.min: no folder /nonexistent"),
            (["view", input, "--html", dir], "error: --html \(dir): is a directory"),
            (["view", input, "--svg", input], "error: --svg \(input): is the input"),
            (["view", input, "--svg", dir + "/p.svg", "--html", dir + "/p.svg"], "name the same file"),
            (["emit-test", input, "--into", input], "error: --into \(input): is not a folder"),
        ]
        for (arguments, message) in cases {
            let start = Date()
            let r = try CommandTests.run(arguments)
            #expect(r.status == 2, "\(arguments): \(r.output)")
            #expect(r.output.hasPrefix("error: ") && r.output.contains(message), "\(arguments): \(r.output)")
            #expect(r.output.split(separator: "\n").count == 1, "one line: \(r.output)")
            #expect(Date().timeIntervalSince(start) < 30, "refused before the work, not after")
        }
        #expect(try text(input) == Self.trace, "the input is untouched")
        #expect(files(in: dir) == [input], "nothing written")
    }

    /// Nothing already saved is lost: every output option refuses a file
    /// that exists and holds something, before any work, and replaces it
    /// only with --force.
    @Test func anExistingOutputIsKeptUnlessForced() throws {
        let dir = try scratchFolder("existing")
        let input = dir + "/idea.trace", saved = dir + "/saved.trace"
        try writeFile(input, Array(Self.trace.utf8))
        let notes = "# my notes\narena pages=64\np1 = alloc_pages order=0\n"
        let outputs: [[String]] = [
            ["check", "--examples", "1", "--json", saved], ["fmt", input, "--bytes", saved], ["view", input, "--svg", saved],
            ["view", input, "--html", saved],
            ["defects", "kmalloc-class-off-by-one", "--seeds", "1", "--fuzz-seeds", "0", "--json", saved],
        ]
        for arguments in outputs {
            try writeFile(saved, Array(notes.utf8))
            let r = try CommandTests.run(arguments)
            let option = arguments[arguments.count - 2]
            #expect(r.status == 2 && r.output == "error: \(option) \(saved): exists, and nothing is written over it; "
                    + "give --force to replace it, or choose another name\n", "\(arguments): \(r.output)")
            #expect(try text(saved) == notes, "\(arguments): the file is kept")
        }
        // A failing case shrunk over a saved one: refused, then replaced with --force.
        let failing = dir + "/failing.trace"
        try writeFile(failing, Array("arena pages=64\nk1 = kmalloc size=8\nk2 = kmalloc size=16\nkfree k1\nexpect double_free: kfree k1\n".utf8))
        try writeFile(saved, Array(notes.utf8))
        var r = try CommandTests.run(["shrink", "--no-libfuzzer", failing, "-o", saved], defect: "double-free-undetected")
        #expect(r.status == 2 && r.output.contains("-o \(saved): exists"), "\(r.output)")
        #expect(try text(saved) == notes)
        r = try CommandTests.run(["shrink", "--no-libfuzzer", failing, "-o", saved, "--force"], defect: "double-free-undetected")
        #expect(r.status == 0, "\(r.output)")
        #expect(try text(saved).hasSuffix("k1 = kmalloc size=1\nkfree k1\nexpect double_free: kfree k1\n"))
    }

    @Test func negativeNumbersAreValuesRefusedWithTheirRange() throws {
        let dir = try scratchFolder("negative")
        let input = dir + "/idea.trace"
        try writeFile(input, Array(Self.trace.utf8))
        let cases: [([String], String)] = [
            (["shrink", input, "--max-calls", "-3"], "--max-calls must be positive"),
            (["check", "--seed", "-1"], "'-1' is invalid for '--seed <seed>': must be a whole number from 0 to 18446744073709551615"),
            (["check", "--examples", "-5"], "--examples must be positive"),
            (["defects", "--seeds", "-1"], "--seeds and --fuzz-seeds must be 0 or more"),
            (["defects", "--fuzz-time", "-1"], "--fuzz-time positive"),
        ]
        for (arguments, message) in cases {
            let r = try CommandTests.run(arguments)
            #expect(r.status == 64, "\(arguments): \(r.output)")
            #expect(r.output.contains(message), "\(arguments): \(r.output)")
            #expect(!r.output.contains("Missing value"), "\(arguments): \(r.output)")
        }
    }

    @Test func aBadDefectNameIsAnErrorLine() throws {
        let dir = try scratchFolder("bad-defect")
        let input = dir + "/idea.trace"
        try writeFile(input, Array(Self.trace.utf8))
        let r = try CommandTests.run(["replay", input], defect: "bogus")
        #expect(r.status == 2)
        #expect(r.output.hasPrefix("error: ALLOCCHECK_DEFECT=bogus names no defect; known defects: merge-stops-early, "), "\(r.output)")
        #expect(r.output.split(separator: "\n").count == 1)
    }

    @Test func oneOperationIsSingular() throws {
        let r = try CommandTests.run(["defects", "kmalloc-class-off-by-one", "--list"])
        #expect(r.status == 0)
        #expect(r.output.contains("shortest trace (1 operation):"), "\(r.output)")
    }
}

/// The minimisers with the real `kmalloc` fuzz target, when `Fuzz/build.sh` has built it.
@Suite struct RealFuzzTargetMinimiserTests {
    static let kmalloc = CommandTests.root + "/Fuzz/.build-fuzzer/release/kmalloc"
    static var built: Bool { FileManager.default.isExecutableFile(atPath: kmalloc) }

    /// tmin's stale result: a crash minimised with its defect on, then again
    /// with it off (the input no longer crashes), must not report the old file.
    @Test(.enabled(if: RealFuzzTargetMinimiserTests.built, "the kmalloc fuzz target is not built"))
    func aFixedCrashIsNotMinimisedAgainFromTheOldResult() throws {
        let dir = try scratchFolder("real-tmin")
        let crash = dir + "/crash-df"
        // A committed seed that the double-free-undetected defect crashes on.
        try writeFile(crash, try readFile(CommandTests.root + "/corpus/kmalloc/misuse-kmalloc"))
        let output = crash + ".tmin"
        let defect = ["ALLOCCHECK_DEFECT": "double-free-undetected"]
        let first = try Fuzzing.libFuzzerMinimize(Self.kmalloc, input: crash, output: output, runs: 2000, seconds: 60,
                                                      environment: defect) { _ in }
        let minimised = try #require(first, "libFuzzer minimised the crash with the defect on")
        #expect(try readFile(output) == minimised)
        let again = try Fuzzing.libFuzzerMinimize(Self.kmalloc, input: crash, output: output, runs: 2000, seconds: 60) { _ in }
        #expect(again == nil, "without the defect the input does not crash: nothing of this run's")
        #expect(try readFile(output) == minimised, "the old result is kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["crash-df", "crash-df.tmin"])
    }

    /// The real libFuzzer with a space in every path it gets (the binary
    /// through a link whose path has one): a corpus path with a space
    /// made its merge read no corpus and keep nothing, and a crash path
    /// with one never ran in its minimiser.
    @Test(.enabled(if: RealFuzzTargetMinimiserTests.built, "the kmalloc fuzz target is not built"))
    func theMinimisersWorkWherePathsHoldSpaces() throws {
        let dir = try scratchFolder("real space") + "/with space"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let exe = dir + "/kmalloc fuzzer"
        try FileManager.default.createSymbolicLink(atPath: exe, withDestinationPath: Self.kmalloc)
        let crash = dir + "/crash 1", output = dir + "/crash 1.tmin"
        try writeFile(crash, try readFile(CommandTests.root + "/corpus/kmalloc/misuse-kmalloc"))
        let minimised = try Fuzzing.libFuzzerMinimize(exe, input: crash, output: output, runs: 2000, seconds: 60,
                                                      environment: ["ALLOCCHECK_DEFECT": "double-free-undetected"]) { _ in }
        let result = try #require(minimised, "libFuzzer minimised the crash with the defect on")
        #expect(try readFile(output) == result && result.count < (try readFile(crash)).count)
        let corpus = dir + "/my corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for seed in files(in: CommandTests.root + "/corpus/kmalloc") {
            try writeFile(corpus + "/" + (seed as NSString).lastPathComponent, try readFile(seed))
        }
        try writeFile(corpus + "/a duplicate", try readFile(try #require(files(in: corpus).first)))
        let count = files(in: corpus).count
        let (before, after) = try Fuzzing.cmin(exe, corpus: corpus) { _ in }
        #expect(before == count && after < before && after > 0)
        #expect(files(in: corpus).count == after)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == ["crash 1", "crash 1.tmin", "kmalloc fuzzer", "my corpus"])
    }

    @Test(.enabled(if: RealFuzzTargetMinimiserTests.built, "the kmalloc fuzz target is not built"))
    func cminOfACorpusNamedWithATrailingSlash() throws {
        let dir = try scratchFolder("real-cmin")
        let corpus = dir + "/pcorp"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for seed in files(in: CommandTests.root + "/corpus/kmalloc") {
            try writeFile(corpus + "/" + (seed as NSString).lastPathComponent, try readFile(seed))
        }
        // The same input twice: the merge keeps one.
        let first = try #require(files(in: corpus).first)
        try writeFile(corpus + "/duplicate", try readFile(first))
        let count = files(in: corpus).count
        let (before, after) = try Fuzzing.cmin(Self.kmalloc, corpus: corpus + "/") { _ in }
        #expect(before == count && after < before && after > 0)
        #expect(files(in: corpus).count == after)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["pcorp"], "no .cmin-new or .cmin-old left")
        #expect(try FileManager.default.contentsOfDirectory(atPath: corpus).allSatisfy { !$0.hasPrefix(".cmin") })
    }
}
