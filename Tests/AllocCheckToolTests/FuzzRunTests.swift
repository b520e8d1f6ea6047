import Foundation
import Harness
import Testing
import AllocCheckTool

/// `alloccheck fuzz run` through a real subprocess, in a checkout of its own
/// (a temporary folder with the two manifests `Project.find` looks for) whose
/// fuzz binary is a script standing in for libFuzzer: it answers `-help=1`,
/// copies the files `FAKE_ARTIFACTS` lists into the artifacts folder (naming
/// only the first, as a fork-mode parent does), prints a status line and
/// `FAKE_OUTPUT`, and exits 1 when it wrote a crash file. So what the command
/// does with crash files is tested without building the real targets. With
/// `FAKE_HANG` set to a file, it instead starts writing its output
/// (`-exact_artifact_path`, or a merge's new corpus), starts a child (as
/// libFuzzer's fork mode and minimiser do), writes both process ids to
/// that file and waits: a run to interrupt (`FAKE_HANG_HELP` does the same
/// for its `-help=1` run). It also leaves a file in `$TMPDIR` named as
/// libFuzzer's merge control file, and with `FAKE_HANG_CRASH` a crash file
/// of that name in the artifacts folder. With `FAKE_RECORD` set to a file,
/// it writes its arguments there, one a line, and copies the input it was
/// given (its last argument) to that file's name plus `.input`, and its own
/// path and `TMPDIR` to the name plus `.context`. Like
/// libFuzzer it stops with status 1 on a `-dict=` file it cannot read (from
/// the folder it runs in), and with `FAKE_NO_RUN` it runs no input, as
/// libFuzzer does for a flag of another mode.
@Suite struct FuzzRunTests {
    static let fixture = CommandTests.root + "/Tests/AllocCheckToolTests/Fixtures/double-free-undetected.crash"
    static let defect = "double-free-undetected"

    static let fakeFuzzer = #"""
        #!/bin/bash
        if [ -n "${FAKE_HANG_HELP:-}" ] && [ "$1" = -help=1 ]; then
            sleep 120 &
            echo "$$ $!" > "$FAKE_HANG_HELP.new" && mv "$FAKE_HANG_HELP.new" "$FAKE_HANG_HELP"
            wait
            exit 0
        fi
        if [ -n "${FAKE_RECORD:-}" ]; then
            printf '%s\n' "$@" > "$FAKE_RECORD"
            printf '%s\n' "$0" "${TMPDIR:-}" > "$FAKE_RECORD.context"
            for last in "$@"; do :; done
            [ -f "$last" ] && cp "$last" "$FAKE_RECORD.input"
        fi
        prefix= exact= merging=no new_corpus=
        for arg in "$@"; do
            case "$arg" in
                -help=1)
                    [ "${FAKE_HELP:-yes}" = yes ] || exit 0
                    printf 'Usage:\n\nFlags: (strictly in form -flag=value)\n'
                    for flag in runs max_len rss_limit_mb malloc_limit_mb timeout dict artifact_prefix \
                                max_total_time print_final_stats fork ignore_crashes ignore_remaining_args; do
                        printf ' %-30s\t0\tA flag.\n' "$flag"
                    done
                    exit 0 ;;
                -artifact_prefix=*) prefix=${arg#-artifact_prefix=} ;;
                -exact_artifact_path=*) exact=${arg#-exact_artifact_path=} ;;
                -merge=1) merging=yes ;;
                -dict=*) [ -r "${arg#-dict=}" ] || { echo "ParseDictionaryFile: file does not exist: ${arg#-dict=}"; exit 1; } ;;
                -*) ;;
                *) if [ $merging = yes ] && [ -z "$new_corpus" ]; then new_corpus=$arg; fi ;;
            esac
        done
        if [ -n "${FAKE_HANG:-}" ]; then
            if [ -n "$exact" ]; then printf 'partial' > "$exact"; fi
            if [ -n "$new_corpus" ]; then printf 'partial' > "$new_corpus/partial"; fi
            # What libFuzzer leaves in the temporary folder when killed (a merge's control file).
            printf 'control' > "${TMPDIR:-/tmp}/libFuzzerTemp.Merge$$.txt"
            if [ -n "${FAKE_HANG_CRASH:-}" ]; then printf 'x' > "$prefix$FAKE_HANG_CRASH"; fi
            sleep 120 &
            echo "$$ $!" > "$FAKE_HANG.new" && mv "$FAKE_HANG.new" "$FAKE_HANG"
            wait
            exit 0
        fi
        # A merge keeps the old corpus's first input (a real one keeps at least one).
        if [ $merging = yes ] && [ -n "$new_corpus" ]; then
            for last in "$@"; do :; done
            for f in "$last"/*; do [ -f "$f" ] && cp "$f" "$new_corpus/" && break; done
        fi
        # A minimisation (-minimize_crash=1 with -exact_artifact_path) whose result is given.
        if [ -n "$exact" ] && [ -n "${FAKE_MIN_RESULT:-}" ]; then cp "$FAKE_MIN_RESULT" "$exact"; exit 0; fi
        echo "INFO: Seed: 1"
        if [ -n "${FAKE_NO_RUN:-}" ]; then echo "Usage: the fuzzer's help"; exit 0; fi
        echo "#10	DONE   cov: 5 ft: 6 corp: 1/1b lim: 4 exec/s: 10 rss: 30Mb"
        [ -n "${FAKE_OUTPUT:-}" ] && printf '%s\n' "$FAKE_OUTPUT"
        status=0
        first=yes
        IFS=';'
        for entry in ${FAKE_ARTIFACTS:-}; do
            name=${entry%%=*}
            cp "${entry#*=}" "$prefix$name"
            if [ $first = yes ]; then echo "artifact_prefix='$prefix'; Test unit written to $prefix$name"; fi
            first=no
            status=1
        done
        exit $status
        """#

    /// A checkout with a fake `mixed` fuzz binary; returns its root, a
    /// folder named `name` and a random number in the temporary folder.
    static func checkout(named name: String = "alloccheck-fuzzrun") throws -> String {
        let root = NSTemporaryDirectory() + "\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/Fuzz/.build-fuzzer/release", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/corpus/mixed", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/Sources/Deep", withIntermediateDirectories: true)
        try writeFile(root + "/Package.swift", Array("// a checkout\n".utf8))
        try writeFile(root + "/Fuzz/Package.swift", Array("// its fuzz package\n".utf8))
        for target in ["mixed", "pages"] {
            let binary = root + "/Fuzz/.build-fuzzer/release/" + target
            try writeFile(binary, Array(fakeFuzzer.utf8))
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary)
        }
        return (root as NSString).standardizingPath
    }

    static func fuzzRun(in directory: String, _ arguments: [String] = [], target: String = "mixed",
                        defect: String? = Self.defect, artifacts: [(String, String)] = [],
                        environment extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let binary = try #require(CommandTests.binary, "alloccheck is not built")
        var environment = extra
        environment["ALLOCCHECK_DEFECT"] = defect ?? ""
        environment["FAKE_ARTIFACTS"] = artifacts.map { "\($0.0)=\($0.1)" }.joined(separator: ";")
        var output = ""
        let status = try runProcess(binary, ["fuzz", "run", target, "--time", "1"] + arguments, environment: environment,
                                    directory: directory) { output += $0 + "\n" }
        return (status, output)
    }

    static func text(_ path: String) throws -> String { String(decoding: try readFile(path), as: UTF8.self) }

    static let savedName = "Fuzz/crashes/mixed/missingRefusalDoubleFreeRegression_398667b8.trace"

    // Defect 1: a saved case is never overwritten.
    @Test func aSavedCaseIsLeftAloneAndAnotherTraceGoesBesideIt() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var r = try Self.fuzzRun(in: root, artifacts: [("crash-1", Self.fixture)])
        #expect(r.status == 1)
        #expect(r.output.contains("Saved as a defect demonstration: \(Self.savedName) "), "\(r.output)")
        let saved = root + "/" + Self.savedName
        let notes = try Self.text(saved) + "# my notes: the free path never looks at the record\n"
        try writeFile(saved, Array(notes.utf8))
        r = try Self.fuzzRun(in: root, artifacts: [("crash-2", Self.fixture)])
        #expect(r.status == 1)
        #expect(r.output.contains("Already saved: \(Self.savedName) holds this trace (left as it is)"), "\(r.output)")
        #expect(try Self.text(saved) == notes, "the notes are kept")
        // The same name holding another trace: the new case goes beside it.
        let other = notes.replacingOccurrences(of: "size=1", with: "size=2")
        try writeFile(saved, Array(other.utf8))
        r = try Self.fuzzRun(in: root, artifacts: [("crash-3", Self.fixture)])
        let beside = Self.savedName.replacingOccurrences(of: ".trace", with: "-2.trace")
        #expect(r.output.contains("Saved as a defect demonstration: \(beside) "), "\(r.output)")
        #expect(r.output.contains("\(Self.savedName) holds another trace and is left as it is"))
        #expect(try Self.text(saved) == other)
        #expect(try Self.text(root + "/" + beside).hasSuffix("arena pages=256\nk1 = kmalloc size=1\nkfree k1\nexpect double_free: kfree k1\n"))
    }

    // Defect 2: a case found with a seeded defect says so, and every hint carries the defect.
    @Test func aCaseFoundWithASeededDefectNamesItInTheFileAndEveryHint() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try Self.fuzzRun(in: root, artifacts: [("crash-1", Self.fixture)])
        #expect(r.status == 1)
        let saved = try Self.text(root + "/" + Self.savedName)
        #expect(saved.contains("\n# Found with ALLOCCHECK_DEFECT=double-free-undetected (a seeded defect)"), "\(saved)")
        // The command as it was run (not on PATH here): its path, to paste as it is.
        let prefix = "ALLOCCHECK_DEFECT=double-free-undetected \(try #require(CommandTests.binary)) "
        for hint in ["Reproduce:        \(prefix)replay \(Self.savedName)",
                     "Picture it:       \(prefix)view \(Self.savedName)",
                     "Make it a test:   \(prefix)emit-test \(Self.savedName) --into Tests/<YourTests> (the test fails only while",
                     "The raw crash:    \(prefix)replay --target mixed .fuzz/mixed/artifacts/crash-1"] {
            #expect(r.output.contains(hint), "\(hint)\n\(r.output)")
        }
        #expect(r.output.contains("passes on the correct core: not a regression to commit"))
        #expect(!r.output.contains("commit it") && !r.output.contains("Saved as a regression"))
    }

    // Defect 3: a crash the judge does not reproduce is not called a saved regression.
    @Test func aCrashTheJudgeDoesNotReproduceIsReportedAsLibFuzzers() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let passing = try CommandTests.temporaryFile("passes.trace", Array("arena pages=64\np1 = alloc_pages order=2\n".utf8))
        let r = try Self.fuzzRun(in: root, ["--", "-rss_limit_mb=20"], defect: nil, artifacts: [("oom-1", passing)],
                                 environment: ["FAKE_OUTPUT": "==99== ERROR: libFuzzer: out-of-memory (malloc(40000000))"])
        #expect(r.status == 1)
        #expect(r.output.contains("libFuzzer reported that the mixed target ran out of memory on this input, "
                                  + "but the judge does not reproduce it"), "\(r.output)")
        #expect(r.output.contains("Nothing was saved as a regression"))
        #expect(r.output.contains("The artifact:     .fuzz/mixed/artifacts/oom-1"))
        #expect(r.output.contains("Rerun it:         SWIFT_BACKTRACE=enable=no SWIFT_DETERMINISTIC_HASHING=1 "
                                  + "Fuzz/.build-fuzzer/release/mixed -rss_limit_mb=20 .fuzz/mixed/artifacts/oom-1"))
        #expect(r.output.contains("==99== ERROR: libFuzzer: out-of-memory"), "libFuzzer's own error line is shown")
        #expect(!r.output.contains("Saved as a regression") && !r.output.contains("Reproduce:"))
        #expect(!FileManager.default.fileExists(atPath: root + "/Fuzz/crashes"))
    }

    // Defect 4: every crash file of the campaign is reported, named or not.
    @Test func everyNewCrashFileIsReported() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let passing = try CommandTests.temporaryFile("passes2.trace", Array("arena pages=64\np1 = alloc_pages order=2\n".utf8))
        // One left over from an earlier campaign is not reported again.
        try FileManager.default.createDirectory(atPath: root + "/.fuzz/mixed/artifacts", withIntermediateDirectories: true)
        try writeFile(root + "/.fuzz/mixed/artifacts/crash-old", try readFile(passing))
        let r = try Self.fuzzRun(in: root, artifacts: [("crash-a", Self.fixture), ("crash-b", Self.fixture), ("leak-c", passing)])
        #expect(r.status == 1)
        #expect(r.output.contains("libFuzzer wrote 3 crash files:"), "\(r.output)")
        for name in ["crash-a", "crash-b", "leak-c"] { #expect(r.output.contains("CRASH: .fuzz/mixed/artifacts/\(name)\n")) }
        #expect(!r.output.contains("crash-old"))
        #expect(r.output.contains("the same minimal trace as above (\(Self.savedName))"))
        #expect(r.output.contains("the mixed target leaked memory on this input, but the judge does not reproduce it"))
    }

    // Defect 5: a flag libFuzzer would ignore is refused, and its warnings are shown.
    @Test func anUnknownLibFuzzerFlagIsRefusedAndItsWarningsShown() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var r = try Self.fuzzRun(in: root, ["--", "-bogus_flag=1"], defect: nil)
        #expect(r.status == 64)
        #expect(r.output.contains("error: unknown libFuzzer flag '-bogus_flag=1'; libFuzzer would ignore it"), "\(r.output)")
        r = try Self.fuzzRun(in: root, ["--", "-max_lne=9"], defect: nil)
        #expect(r.status == 64 && r.output.contains("(did you mean -max_len=…?)"), "\(r.output)")
        r = try Self.fuzzRun(in: root, ["--", "--max_len=9"], defect: nil)
        #expect(r.status == 64 && r.output.contains("'--max_len=9' (one dash: -max_len=9)"), "\(r.output)")
        // A flag the options set would silently win over them (libFuzzer takes the last).
        r = try Self.fuzzRun(in: root, ["--", "-max_total_time=100"], defect: nil)
        #expect(r.status == 64 && r.output.contains("'-max_total_time=100' after -- conflicts with --time"), "\(r.output)")
        r = try Self.fuzzRun(in: root, ["--", "-fork=2"], defect: nil)
        #expect(r.status == 64 && r.output.contains("'-fork=2' after -- conflicts with --jobs"), "\(r.output)")
        r = try Self.fuzzRun(in: root, ["--", "-max_len=9", "-rss_limit_mb=100"], defect: nil)
        #expect(r.status == 0 && r.output.contains("no crash"), "\(r.output)")
        // A binary whose help cannot be read: libFuzzer's own warning reaches the user.
        r = try Self.fuzzRun(in: root, ["--", "-bogus_flag=1"], defect: nil, environment: [
            "FAKE_HELP": "no", "FAKE_OUTPUT": "WARNING: unrecognized flag '-bogus_flag=1'; use -help=1 to list all flags"])
        #expect(r.status == 0)
        #expect(r.output.contains("warning: libFuzzer: WARNING: unrecognized flag '-bogus_flag=1'"), "\(r.output)")
    }

    // Defect 6: a case that cannot be saved is still a crash (exit 1), with the save failure as an error line.
    @Test func aCrashWhoseCaseCannotBeSavedExitsOne() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeFile(root + "/Fuzz/crashes", Array("not a folder\n".utf8))
        let r = try Self.fuzzRun(in: root, artifacts: [("crash-1", Self.fixture)])
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("CRASH: .fuzz/mixed/artifacts/crash-1"))
        #expect(r.output.contains("Shrunk from 10 to 3 operations"))
        #expect(r.output.contains("error: the shrunk case was not saved: cannot create \(root)/Fuzz/crashes/mixed: "
                                  + "\(root)/Fuzz/crashes is a file, not a folder"), "\(r.output)")
        let binary = try #require(CommandTests.binary)
        #expect(r.output.contains("Reproduce:        ALLOCCHECK_DEFECT=double-free-undetected \(binary) "
                                  + "replay --target mixed .fuzz/mixed/artifacts/crash-1"))
    }

    /// libFuzzer's minimiser takes any crash: `tmin` says when its result
    /// fails otherwise than the input, or not at all.
    @Test func tminSaysWhenLibFuzzersMinimiserDrifted() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary)
        let crash = root + "/crash-1", result = root + "/result"
        try writeFile(crash, try readFile(Self.fixture))
        try writeFile(result, [0x01])  // an allocation of order 0 alone: it passes
        var output = ""
        let status = try runProcess(binary, ["tmin", crash, "--target", "mixed"],
                                    environment: ["ALLOCCHECK_DEFECT": Self.defect, "FAKE_MIN_RESULT": result],
                                    directory: root) { output += $0 + "\n" }
        #expect(status == 0, "\(output)")
        #expect(output.contains("note: libFuzzer's minimiser drifted: the input fails with "), "\(output)")
        #expect(output.contains("its result passes the judge; alloccheck shrink keeps the failure fixed"), "\(output)")
    }

    /// A byte crash minimised into a file named `.trace` is written as a
    /// text trace, which `replay` reads (as bytes it refused the name).
    @Test func tminOfBytesIntoATraceNameWritesText() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary)
        let crash = root + "/crash-1", out = root + "/min.trace"
        try writeFile(crash, try readFile(Self.fixture))
        let parsed = try TraceInput(path: crash, target: "mixed")
        var output = ""
        let status = try runProcess(binary, ["tmin", crash, "--target", "mixed", "-o", out],
                                    environment: ["ALLOCCHECK_DEFECT": Self.defect, "FAKE_MIN_RESULT": crash],
                                    directory: root) { output += $0 + "\n" }
        #expect(status == 0, "\(output)")
        #expect(output.contains("written to \(out) as a text trace"), "\(output)")
        let written = try Self.text(out)
        #expect(written.hasSuffix(parsed.trace.text) && written.hasPrefix("# Found with ALLOCCHECK_DEFECT="), "\(written)")
    }

    /// `shrink`'s comparison with libFuzzer's minimiser does not build a
    /// missing fuzz binary: its row says why it is empty, and the shrink's
    /// result stands (exit 0). An `ALLOCCHECK_FULL_CHECKS` the binary would
    /// stop on is refused before the shrink, with nothing written.
    @Test func shrinksComparisonNeverUndoesItsResult() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary)
        let crash = root + "/crash-1", out = root + "/crash-1.min"
        try writeFile(crash, try readFile(Self.fixture))
        func shrink(_ environment: [String: String]) throws -> (Int32, String) {
            var output = ""
            let status = try runProcess(binary, ["shrink", crash, "--target", "mixed"],
                                        environment: environment.merging(["ALLOCCHECK_DEFECT": Self.defect]) { a, _ in a },
                                        directory: root) { output += $0 + "\n" }
            return (status, output)
        }
        var (status, output) = try shrink(["ALLOCCHECK_FULL_CHECKS": "bogus"])
        #expect(status == 2 && output.contains("ALLOCCHECK_FULL_CHECKS must be"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: out))
        unlink(root + "/Fuzz/.build-fuzzer/release/mixed")
        (status, output) = try shrink([:])
        #expect(status == 0, "\(output)")
        #expect(output.contains("not run: the mixed fuzz binary is not built"), "\(output)")
        #expect(!output.contains("is not built yet: building it"), "\(output)")
        #expect(FileManager.default.fileExists(atPath: out))
    }

    /// An input the minimiser cannot make crash is input that cannot be
    /// minimised (2, as `shrink` of a passing input), not a failure (1), and
    /// nothing is written.
    @Test func tminOfAnInputThatDoesNotCrashExitsTwo() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary)
        let input = root + "/passes"
        try writeFile(input, [0x01])
        var output = ""
        let status = try runProcess(binary, ["tmin", input, "--target", "mixed"], directory: root) { output += $0 + "\n" }
        #expect(status == 2, "\(output)")
        #expect(output.hasSuffix("error: \(input): libFuzzer's minimiser wrote nothing, so the input does not crash the "
                                 + "mixed target (give --target if it is another's; replay it to see)\n"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: input + ".tmin"))
    }

    /// libFuzzer's minimiser and merge run their children through unquoted
    /// command lines: at a path with a space the minimiser never ran the
    /// input (it read as "it does not crash") and the merge read no corpus,
    /// so both were refused. Now a checkout, an input, an output, a corpus
    /// and a TMPDIR whose paths hold spaces all work: the fake fuzzer
    /// records the paths it was given, none of which holds one.
    @Test func tminAndCminWorkWherePathsHoldSpaces() throws {
        let root = try Self.checkout(named: "alloccheck fuzzrun")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary)
        let temporary = root + "/tmp dir", record = root + "/the args"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let input = root + "/crash 1", output = root + "/out 1.tmin"
        try writeFile(input, try readFile(Self.fixture))
        func recorded() throws -> [String] {
            try Self.text(record).split(separator: "\n").map(String.init) + Self.text(record + ".context").split(separator: "\n").map(String.init)
        }
        var output1 = ""
        var status = try runProcess(binary, ["tmin", input, "--target", "mixed", "-o", output],
                                    environment: ["ALLOCCHECK_DEFECT": Self.defect, "FAKE_MIN_RESULT": input,
                                                  "FAKE_RECORD": record, "TMPDIR": temporary],
                                    directory: root) { output1 += $0 + "\n" }
        #expect(status == 0 && output1.contains("written to \(output)"), "\(output1)")
        #expect(try readFile(output) == readFile(input))
        #expect(try readFile(record + ".input") == readFile(input))
        var given = try recorded()
        #expect(given.count > 3 && given.allSatisfy { !$0.contains(" ") }, "\(given)")
        // The staging folder (the children's TMPDIR) is gone, and nothing is left in TMPDIR.
        #expect(!FileManager.default.fileExists(atPath: try #require(given.last)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)

        let corpus = root + "/my corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["a 1", "b 2"] { try writeFile(corpus + "/" + name, Array(name.utf8)) }
        var output2 = ""
        status = try runProcess(binary, ["cmin", "mixed", "--corpus", corpus],
                                environment: ["FAKE_RECORD": record, "TMPDIR": temporary], directory: root) { output2 += $0 + "\n" }
        #expect(status == 0 && output2.contains("\(corpus): 2 -> 1 inputs"), "\(output2)")
        #expect(files(in: corpus) == [corpus + "/a 1"])
        given = try recorded()
        #expect(given.contains("-merge=1") && given.allSatisfy { !$0.contains(" ") }, "\(given)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: corpus + ".cmin-new") && !FileManager.default.fileExists(atPath: corpus + ".cmin-old"))
    }

    /// What the campaign's binary would stop on is refused first, in one
    /// line: a -dict= file that is not there, an ALLOCCHECK_FULL_CHECKS that
    /// names no mode. A relative -dict= is the user's folder's.
    @Test func aBadDictionaryOrJudgingModeIsOneLine() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var r = try Self.fuzzRun(in: root, ["--", "-dict=/nonexistent"], defect: nil)
        #expect(r.status == 2 && r.output == "error: '-dict=/nonexistent' after --: no dictionary file /nonexistent "
                + "(No such file or directory)\n", "\(r.output)")
        r = try Self.fuzzRun(in: root, ["--", "-dict=Sources"], defect: nil)
        #expect(r.status == 2 && r.output.contains("Sources is not a file; -dict= takes a libFuzzer dictionary file"), "\(r.output)")
        r = try Self.fuzzRun(in: root, defect: nil, environment: ["ALLOCCHECK_FULL_CHECKS": "bogus"])
        #expect(r.status == 2 && r.output == "error: ALLOCCHECK_FULL_CHECKS must be a number of steps (1 or more), "
                + "'end' or 'model-only', not 'bogus'\n", "\(r.output)")
        r = try Self.fuzzRun(in: root, defect: nil, environment: ["ALLOCCHECK_FULL_CHECKS": "16"])
        #expect(r.status == 0 && r.output.contains("no crash"), "\(r.output)")
        try writeFile(root + "/Sources/Deep/my.dict", Array("\"kmalloc\"\n".utf8))
        r = try Self.fuzzRun(in: root + "/Sources/Deep", ["--", "-dict=my.dict"], defect: nil)
        #expect(r.status == 0 && r.output.contains("no crash"), "\(r.output)")
        #expect(throws: Never.self) { try Fuzzing.checkEnvironment("end") }
        #expect(throws: ToolError.self) { try Fuzzing.checkEnvironment("0") }
    }

    /// A campaign that ran no input is not reported clean.
    @Test func aCampaignThatRanNoInputIsNotReportedClean() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var r = try Self.fuzzRun(in: root, ["--", "-help=1"], defect: nil)
        #expect(r.status == 64 && r.output.contains("'-help=1' after -- would run no campaign; libFuzzer's flags are "
                                                    + "listed by Fuzz/.build-fuzzer/release/mixed -help=1"), "\(r.output)")
        // A flag that makes libFuzzer merge or minimise instead of fuzzing.
        r = try Self.fuzzRun(in: root, ["--", "-merge=1", root], defect: nil)
        #expect(r.status == 64 && r.output.contains("'-merge=1' after -- would run libFuzzer's corpus merge (alloccheck cmin "
                                                    + "minimises a corpus), not a campaign"), "\(r.output)")
        r = try Self.fuzzRun(in: root, ["--", "-minimize_crash=1"], defect: nil)
        #expect(r.status == 64 && r.output.contains("'-minimize_crash=1' after -- would run libFuzzer's crash minimiser"), "\(r.output)")
        r = try Self.fuzzRun(in: root, defect: nil, environment: ["FAKE_NO_RUN": "1"])
        #expect(r.status == 2 && r.output.contains("Usage: the fuzzer's help\n"), "\(r.output)")
        #expect(r.output.hasSuffix("error: libFuzzer ran no input (its output is above), so the campaign tested nothing\n"))
        #expect(!r.output.contains("no crash"))
    }

    /// Every refusal of what follows `--` is one line with exit status 64,
    /// like the refusals of flags by name: those conflicting with an option,
    /// running another job or `-help`, and a word that is no flag and no
    /// path, printed the command's usage too (its options, not libFuzzer's
    /// flags), others did not.
    @Test func everyRefusalAfterTheTerminatorIsOneLineWithoutTheUsage() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let refused: [[String]] = [
            ["-max_total_time=100"], ["-fork=2"], ["-artifact_prefix=x/"], ["-merge=1", root], ["-minimize_crash=1"],
            ["-help=1"], ["notaflag"], ["-bogus_flag=1"], ["--max_len=9"], ["-max_len"], ["-max_len=4k"],
            ["-max_len=4294967300"], ["-seed=4294967296"],
        ]
        for flags in refused {
            let r = try Self.fuzzRun(in: root, ["--"] + flags, defect: nil)
            #expect(r.status == 64, "\(flags): \(r.output)")
            #expect(r.output.hasPrefix("error: '") || r.output.hasPrefix("error: unknown libFuzzer flag")
                        || r.output.hasPrefix("error: libFuzzer"), "\(flags): \(r.output)")
            #expect(r.output.split(separator: "\n").count == 1 && !r.output.contains("USAGE:"), "\(flags): \(r.output)")
        }
    }

    /// cmin refuses its folder, missing or of the wrong kind, with one exit
    /// status, 2: a missing folder was 2 and the others 64.
    @Test func cminRefusesItsFolderWithOneStatus() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/.fuzz/pages/corpus", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/mine/notes", withIntermediateDirectories: true)
        try writeFile(root + "/mine/a", [1])
        try writeFile(root + "/file", [1])
        let binary = try #require(CommandTests.binary)
        let cases: [(String, String)] = [
            ("missing", "error: missing: no such corpus folder\n"),
            ("file", "error: file: a file, not a corpus folder\n"),
            ("corpus/mixed", "error: corpus/mixed: the committed seed corpus, made by make-corpus from Fuzz/Scenarios; cmin "
                + "works on a working corpus (.fuzz/<target>/corpus) or a copy\n"),
            (".fuzz/pages/corpus", "error: --corpus .fuzz/pages/corpus: a folder of the pages target, whose inputs the mixed "
                + "target would read as other inputs and thin out; minimise it with cmin pages\n"),
            ("mine", "error: mine: holds notes, which is not a plain input file (a folder or a link); cmin replaces the "
                + "folder and would lose it: move it out first\n"),
        ]
        for (given, message) in cases {
            var output = ""
            let status = try runProcess(binary, ["cmin", "mixed", "--corpus", given], directory: root) { output += $0 + "\n" }
            #expect(status == 2 && output == message, "\(given): \(output)")
        }
        #expect(files(in: root + "/mine") == [root + "/mine/a"])
    }

    /// cmin refuses a corpus folder of another target, whose inputs it would thin out.
    @Test func cminRefusesAnotherTargetsCorpus() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let corpus = root + "/.fuzz/pages/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["a", "b"] { try writeFile(corpus + "/" + name, Array(name.utf8)) }
        try FileManager.default.createSymbolicLink(atPath: root + "/mine", withDestinationPath: corpus)
        let binary = try #require(CommandTests.binary)
        for given in [".fuzz/pages/corpus", "mine", "mine/"] {
            var output = ""
            let status = try runProcess(binary, ["cmin", "mixed", "--corpus", given], directory: root) { output += $0 + "\n" }
            #expect(status == 2 && output == "error: --corpus \(given): a folder of the pages target, whose inputs the mixed "
                    + "target would read as other inputs and thin out; minimise it with cmin pages\n", "\(output)")
        }
        #expect(files(in: corpus).sorted() == [corpus + "/a", corpus + "/b"])
    }

    /// libFuzzer's merge drops an input that crashes the target; one the
    /// judge fails (a reproducer of a bug not yet fixed) is kept, and named.
    @Test func cminKeepsTheInputsThatFailTheJudge() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let corpus = root + "/.fuzz/mixed/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        try writeFile(corpus + "/a", [0x01])  // an allocation of order 0 alone: it passes
        try writeFile(corpus + "/crash", try readFile(Self.fixture))
        let binary = try #require(CommandTests.binary)
        var output = ""
        let status = try runProcess(binary, ["cmin", "mixed"], environment: ["ALLOCCHECK_DEFECT": Self.defect],
                                    directory: root) { output += $0 + "\n" }
        #expect(status == 0, "\(output)")
        #expect(output.contains("\(corpus): 2 -> 2 inputs"), "the fake merge kept `a`, the crash is kept too: \(output)")
        #expect(output.contains("warning: 1 input of the corpus fails the judge (crash); libFuzzer's merge drops crashing "
                                + "inputs, so cmin kept it: replay it with \(binary) replay --target mixed \(corpus)/crash"),
                "\(output)")
        #expect(try Self.text(corpus + "/crash") == Self.text(Self.fixture))
    }

    /// tmin seeds libFuzzer, so one input gives one result; a text trace is
    /// minimised as its bytes for the target and written back as text.
    @Test func tminIsSeededAndKeepsATextTraceText() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary)
        try FileManager.default.createDirectory(atPath: root + "/slab", withIntermediateDirectories: true)
        let header = "# Found with ALLOCCHECK_DEFECT=\(Self.defect) (a seeded defect): it fails only with that defect "
            + "switched on and passes on the correct core\n"
        let trace = header + "arena pages=64\nk1 = kmalloc size=8\nkfree k1\nexpect double_free: kfree k1\n"
        let input = root + "/slab/case.trace", record = root + "/args"
        try writeFile(input, Array(trace.utf8))
        let parsed = try TraceInput(path: input, target: nil)
        // The minimiser's result: the trace's own bytes for the mixed target.
        let result = root + "/result"
        try writeFile(result, parsed.bytes)
        func tmin(_ arguments: [String]) throws -> (Int32, String) {
            var output = ""
            let status = try runProcess(binary, ["tmin", input, "--force"] + arguments,
                                        environment: ["ALLOCCHECK_DEFECT": Self.defect, "FAKE_MIN_RESULT": result,
                                                      "FAKE_RECORD": record],
                                        directory: root) { output += $0 + "\n" }
            return (status, output)
        }
        var (status, output) = try tmin([])
        #expect(status == 0, "\(output)")
        let arguments = try Self.text(record).split(separator: "\n")
        #expect(arguments.contains("-seed=1"), "\(arguments)")
        #expect(try readFile(record + ".input") == parsed.bytes, "the fuzz binary was given the trace's bytes, not its text")
        #expect(try Self.text(input + ".tmin") == trace, "written back as the same trace, as text")
        #expect(output.contains("written to \(input).tmin as a text trace"), "\(output)")
        (status, output) = try tmin(["--seed", "7"])
        let reseeded = try Self.text(record).split(separator: "\n")
        #expect(status == 0 && reseeded.contains("-seed=7"), "\(output)")
        (status, output) = try tmin(["--seed", "0"])
        #expect(status == 64 && output.contains("--seed must be in 1...2147483647"), "\(output)")
    }

    // Defect 7: the hints work from the folder the command was run in.
    @Test func pathsWorkFromASubfolder() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try Self.fuzzRun(in: root + "/Sources/Deep", artifacts: [("crash-1", Self.fixture)])
        #expect(r.status == 1)
        #expect(r.output.contains("CRASH: \(root)/.fuzz/mixed/artifacts/crash-1"), "\(r.output)")
        let binary = try #require(CommandTests.binary)
        #expect(r.output.contains("\(binary) replay \(root)/\(Self.savedName)\n"), "\(r.output)")
        #expect(r.output.contains("--into \(root)/Tests/<YourTests>"))
        #expect(r.output.contains("corpus 1 in use, files in \(root)/.fuzz/mixed/corpus"))
        #expect(!r.output.contains(" Fuzz/crashes/"), "no path relative to the checkout")
        // The printed command works from there.
        let replay = try #require(CommandTests.binary)
        var output = ""
        let status = try runProcess(replay, ["replay", root + "/" + Self.savedName], environment: ["ALLOCCHECK_DEFECT": Self.defect],
                                    directory: root + "/Sources/Deep") { output += $0 + "\n" }
        #expect(status == 1, "\(output)")
    }
}

/// A signal to the command while libFuzzer runs (Ctrl-C, `timeout`, a CI
/// runner cancelling) stops libFuzzer and its children, which run in a
/// process group of their own, leaves nothing half-written behind (nor
/// libFuzzer's temporaries), and ends the command by that signal, so a
/// shell script running it stops too.
@Suite struct InterruptionTests {
    /// Whether `pid` is a process that has not ended (a zombie has).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? readFile("/proc/\(pid)/stat") else { return false }
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return false }
        return !text[text.index(after: close)...].hasPrefix(" Z")
    }

    /// Runs the command in `root` with the fake fuzzer hanging, sends
    /// `signal` once the fake and its child have started, and returns the
    /// exit status, the output and the fake's two process ids. The fake's
    /// child ignores SIGINT, as a shell's background job does.
    static func interrupt(in root: String, _ arguments: [String], signal: Int32, hang: String = "FAKE_HANG",
                          environment extra: [String: String] = [:]) throws
        -> (status: Int32, bySignal: Bool, output: String, pids: [Int32]) {
        let binary = try #require(CommandTests.binary, "alloccheck is not built")
        let pidFile = root + "/fake-pids", outputFile = root + "/command-output"
        var environment = ProcessInfo.processInfo.environment
        environment[hang] = pidFile
        environment["ALLOCCHECK_DEFECT"] = FuzzRunTests.defect
        environment["TMPDIR"] = root + "/tmp"
        environment.merge(extra) { $1 }
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        let pid = try spawn(binary, arguments, environment: environment, directory: root, output: outputFile)
        var pids: [Int32] = []
        for _ in 0..<600 where pids.count < 2 {
            usleep(50_000)
            pids = ((try? readFile(pidFile)).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        }
        #expect(pids.count == 2, "the fake fuzzer never started")
        let sent = ContinuousClock.now
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // The fake's child sleeps 120 s; the command stops well before (a
        // child ignoring the signal is killed after a 5 s grace period).
        #expect(ContinuousClock.now - sent < .seconds(30), "the command waited for its child")
        let output = String(decoding: try readFile(outputFile), as: UTF8.self)
        // The command waits for its child; the child's own child gets the same signal.
        for _ in 0..<100 where pids.contains(where: isRunning) { usleep(50_000) }
        // An exit status, as the shell reports it (128 + the signal when killed by one).
        let exited = status & 0x7F == 0
        return (exited ? (status >> 8) & 0xFF : 128 + status & 0x7F, !exited, output, pids)
    }

    /// Starts `binary` as a shell would start a foreground command: every
    /// signal at its default and none blocked (the test runner's process
    /// ignores some, and a child would inherit that), its output to `output`.
    static func spawn(_ binary: String, _ arguments: [String], environment: [String: String], directory: String,
                      output: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // posix_spawn has no portable working-directory action: a shell does the cd.
        let binShell = "/bin/sh"
        let command = "cd " + Fuzzing.shellWord(directory) + " && exec " + ([binary] + arguments).map(Fuzzing.shellWord).joined(separator: " ")
        let argv: [UnsafeMutablePointer<CChar>?] = ([binShell, "-c", command] as [String]).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.keys.sorted().map { strdup("\($0)=\(environment[$0]!)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, binShell, &actions, &attributes, argv, envp)
        try #require(status == 0, "posix_spawn: \(String(cString: strerror(status)))")
        return pid
    }

    @Test func aCampaignStopsWithItsFuzzer() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try Self.interrupt(in: root, ["fuzz", "run", "mixed", "--time", "100"], signal: SIGTERM)
        #expect(r.status == 128 + SIGTERM && r.bySignal, "\(r.output)")
        #expect(r.output.contains("error: interrupted by SIGTERM: the campaign stopped; its working corpus is kept in .fuzz/mixed/corpus\n"),
                "\(r.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty, "libFuzzer's temporaries left")
        #expect(!r.pids.contains(where: Self.isRunning), "libFuzzer or its child still runs")
    }

    @Test func aCampaignStoppedWhileItsFlagsAreCheckedDoesNotRun() throws {
        // The flags after -- are checked against the binary's -help=1 first;
        // an interruption there was taken for unreadable help, and the
        // whole campaign ran.
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try Self.interrupt(in: root, ["fuzz", "run", "mixed", "--time", "100", "--", "-runs=5"], signal: SIGINT,
                                   hang: "FAKE_HANG_HELP")
        #expect(r.status == 128 + SIGINT && r.bySignal, "\(r.output)")
        #expect(r.output.contains("error: interrupted by SIGINT"), "\(r.output)")
        #expect(!r.output.contains("no crash") && !FileManager.default.fileExists(atPath: root + "/.fuzz/mixed/corpus"), "\(r.output)")
        #expect(!r.pids.contains(where: Self.isRunning))
    }

    @Test func aCampaignNamesTheCrashFilesItWroteBeforeItStopped() throws {
        // With -ignore_crashes=1 or fork mode, libFuzzer goes on after a crash.
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let artifacts = root + "/.fuzz/mixed/artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        try writeFile(artifacts + "/crash-old", [1])  // from an earlier campaign: not this one's
        let r = try Self.interrupt(in: root, ["fuzz", "run", "mixed", "--time", "100"], signal: SIGTERM,
                                   environment: ["FAKE_HANG_CRASH": "crash-new"])
        #expect(r.output.contains("error: interrupted by SIGTERM: the campaign stopped; its working corpus is kept in "
                                  + ".fuzz/mixed/corpus; 1 crash file in .fuzz/mixed/artifacts"), "\(r.output)")
    }

    @Test func theMinimiserStopsAndLeavesNoTemporaryFile() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let crash = root + "/crash-1", output = root + "/crash-1.tmin"
        try writeFile(crash, try readFile(FuzzRunTests.fixture))
        try writeFile(output, Array("an older result".utf8))
        let r = try Self.interrupt(in: root, ["tmin", crash, "--target", "mixed", "-o", output, "--force"], signal: SIGINT)
        #expect(r.status == 128 + SIGINT && r.bySignal, "\(r.output)")
        #expect(r.output.contains("error: interrupted by SIGINT: the minimiser stopped and wrote nothing to \(output)"), "\(r.output)")
        #expect(!r.pids.contains(where: Self.isRunning), "libFuzzer or its child still runs")
        #expect(try FuzzRunTests.text(output) == "an older result")
        let left = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.contains("minimize") }
        #expect(left.isEmpty, "\(left)")
    }

    /// Runs the command in a child with default signal dispositions
    /// (`spawn`) until it ends, for a test whose signal the command sends
    /// itself (an `ALLOCCHECK_TEST_*_SIGNAL` in `environment`); its wait
    /// status and its output.
    static func runWithTestSignal(_ binary: String, _ arguments: [String], environment: [String: String],
                                  in root: String) throws -> (status: Int32, output: String) {
        let outputFile = root + "/command-output"
        let pid = try spawn(binary, arguments, environment: environment, directory: root, output: outputFile)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status, String(decoding: try readFile(outputFile), as: UTF8.self))
    }

    /// `cmin mixed` of a working corpus of two inputs in `root`, with the
    /// command sending itself `signal` where the test hook `variable` says.
    static func cminOfTwoInputs(in root: String, signalling variable: String,
                                _ signal: Int32) throws -> (corpus: String, status: Int32, output: String) {
        let corpus = root + "/.fuzz/mixed/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["a", "b"] { try writeFile(corpus + "/" + name, Array(name.utf8)) }
        let binary = try #require(CommandTests.binary, "alloccheck is not built")
        var environment = ProcessInfo.processInfo.environment
        environment[variable] = "\(signal)"
        let (status, output) = try runWithTestSignal(binary, ["cmin", "mixed"], environment: environment, in: root)
        return (corpus, status, output)
    }

    /// A signal while the minimised corpus is swapped in waits for the
    /// swap to end: the new corpus is in place, nothing is left beside it,
    /// and the line says so. (Sent by the command to itself at that point,
    /// `ALLOCCHECK_TEST_SWAP_SIGNAL`: a signal sent from here would have to
    /// land inside a window of microseconds.)
    @Test func aSignalDuringTheSwapLetsItFinish() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (corpus, status, output) = try Self.cminOfTwoInputs(in: root, signalling: "ALLOCCHECK_TEST_SWAP_SIGNAL", SIGHUP)
        #expect(status & 0x7F == SIGHUP, "ended by the signal: \(output)")
        #expect(output.contains("error: interrupted by SIGHUP: the minimised corpus was already in place (2 -> 1 inputs in \(corpus))"),
                "\(output)")
        #expect(files(in: corpus) == [corpus + "/a"], "the fake merge keeps the first input")
        let beside = try FileManager.default.contentsOfDirectory(atPath: root + "/.fuzz/mixed").sorted()
        #expect(beside == ["corpus"], "\(beside)")
    }

    /// A signal while a campaign's crash is shrunk (in the command's own
    /// process) ends the shrink: nothing is saved, the line names the crash
    /// file kept and how to shrink it, and the command ends by the signal.
    /// (Sent by the command to itself while shrinking,
    /// `ALLOCCHECK_TEST_SHRINK_SIGNAL`.)
    @Test func aSignalWhileShrinkingACrashSaysWhatIsKept() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary, "alloccheck is not built")
        var environment = ProcessInfo.processInfo.environment
        environment["ALLOCCHECK_TEST_SHRINK_SIGNAL"] = "\(SIGINT)"
        environment["ALLOCCHECK_DEFECT"] = FuzzRunTests.defect
        environment["FAKE_ARTIFACTS"] = "crash-1=\(FuzzRunTests.fixture)"
        let (status, output) = try Self.runWithTestSignal(binary, ["fuzz", "run", "mixed", "--time", "1"],
                                                          environment: environment, in: root)
        #expect(status & 0x7F == SIGINT, "ended by the signal: \(output)")
        #expect(output.contains("error: interrupted by SIGINT: the crash file .fuzz/mixed/artifacts/crash-1 kept, not shrunk "
                                + "(shrink: ALLOCCHECK_DEFECT=double-free-undetected \(binary) shrink .fuzz/mixed/artifacts/crash-1)"),
                "\(output)")
        #expect(!output.contains("Shrunk from"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: root + "/Fuzz/crashes"), "nothing saved")
        #expect(files(in: root + "/.fuzz/mixed/artifacts") == [root + "/.fuzz/mixed/artifacts/crash-1"])
    }

    /// `shrink` likewise: the shrink ends, nothing is written, the line says so.
    @Test func aSignalWhileShrinkingAFileWritesNothing() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary, "alloccheck is not built")
        let crash = root + "/crash-1"
        try writeFile(crash, try readFile(FuzzRunTests.fixture))
        var environment = ProcessInfo.processInfo.environment
        environment["ALLOCCHECK_TEST_SHRINK_SIGNAL"] = "\(SIGTERM)"
        environment["ALLOCCHECK_DEFECT"] = FuzzRunTests.defect
        let (status, output) = try Self.runWithTestSignal(binary, ["shrink", crash, "--target", "mixed", "--no-libfuzzer"],
                                                          environment: environment, in: root)
        #expect(status & 0x7F == SIGTERM, "ended by the signal: \(output)")
        #expect(output.hasSuffix("error: interrupted by SIGTERM: the shrink stopped and wrote nothing to \(crash).min\n"),
                "\(output)")
        #expect(!FileManager.default.fileExists(atPath: crash + ".min"))
    }

    /// A signal after the merge, while the inputs to keep are judged, stops
    /// there: the corpus is as it was and nothing is left beside it (the
    /// merge's folder once was, and every later cmin refused to start).
    @Test func aSignalAfterTheMergeLeavesTheCorpusAsItWas() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (corpus, status, output) = try Self.cminOfTwoInputs(in: root, signalling: "ALLOCCHECK_TEST_KEEP_SIGNAL", SIGINT)
        #expect(status & 0x7F == SIGINT, "ended by the signal: \(output)")
        #expect(output.hasSuffix("error: interrupted by SIGINT: cmin stopped after the merge; the corpus \(corpus) is unchanged\n"),
                "\(output)")
        #expect(files(in: corpus).sorted() == [corpus + "/a", corpus + "/b"])
        let beside = try FileManager.default.contentsOfDirectory(atPath: root + "/.fuzz/mixed").sorted()
        #expect(beside == ["corpus"], "\(beside)")
    }

    /// `check`'s suites run in this process: a signal during one says which
    /// suite it stopped in and that the JSON was not written, then ends the
    /// command by the signal. (Sent by the command to itself once the second
    /// suite starts, `ALLOCCHECK_TEST_CHECK_SIGNAL`.)
    @Test func aSignalDuringCheckSaysWhereItStopped() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(CommandTests.binary, "alloccheck is not built")
        var environment = ProcessInfo.processInfo.environment
        environment["ALLOCCHECK_TEST_CHECK_SIGNAL"] = "\(SIGINT)"
        let json = root + "/check.json"
        let (status, output) = try Self.runWithTestSignal(binary, ["check", "--examples", "2", "--json", json],
                                                          environment: environment, in: root)
        #expect(status & 0x7F == SIGINT, "ended by the signal: \(output)")
        #expect(output.hasSuffix("checking exact: 2 random traces and the simplest...\n"
                                 + "error: interrupted by SIGINT: the check stopped in the exact suite (2 of 6); "
                                 + "nothing was written to \(json)\n"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: json))
        // Once the suites are done, a signal waits for the table and the
        // JSON, and the line says they are there (`ALLOCCHECK_TEST_CHECK_LATE_SIGNAL`).
        environment["ALLOCCHECK_TEST_CHECK_SIGNAL"] = nil
        environment["ALLOCCHECK_TEST_CHECK_LATE_SIGNAL"] = "\(SIGTERM)"
        let (late, lateOutput) = try Self.runWithTestSignal(binary, ["check", "--examples", "2", "--json", json],
                                                            environment: environment, in: root)
        #expect(late & 0x7F == SIGTERM, "ended by the signal: \(lateOutput)")
        #expect(lateOutput.contains("| faults  |") && lateOutput.hasSuffix("error: interrupted by SIGTERM: the check had run every "
                                                                           + "suite; the table was printed and the results were "
                                                                           + "written to \(json)\n"), "\(lateOutput)")
        #expect(FileManager.default.fileExists(atPath: json))
    }

    @Test func aMergeStopsAndLeavesTheCorpusAsItWas() throws {
        let root = try FuzzRunTests.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let corpus = root + "/.fuzz/mixed/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in ["a", "b"] { try writeFile(corpus + "/" + name, Array(name.utf8)) }
        let r = try Self.interrupt(in: root, ["cmin", "mixed"], signal: SIGHUP)
        #expect(r.status == 128 + SIGHUP && r.bySignal, "\(r.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty, "libFuzzer's temporaries left")
        #expect(r.output.contains("error: interrupted by SIGHUP: the merge stopped; the corpus \(corpus) is unchanged"), "\(r.output)")
        #expect(!r.pids.contains(where: Self.isRunning), "libFuzzer or its child still runs")
        #expect(files(in: corpus).sorted() == [corpus + "/a", corpus + "/b"])
        #expect(!FileManager.default.fileExists(atPath: corpus + ".cmin-new"))
    }
}

@Suite struct FuzzRunPieceTests {
    @Test func displayPaths() {
        #expect(Fuzzing.displayPath("/a/b/c", from: "/a") == "b/c")
        #expect(Fuzzing.displayPath("/a/b/c", from: "/a/") == "b/c")
        #expect(Fuzzing.displayPath("/a/bc", from: "/a/b") == "/a/bc")
        #expect(Fuzzing.displayPath("/x/y", from: "/a/b") == "/x/y")
        #expect(Fuzzing.shellWord("a b") == "'a b'" && Fuzzing.shellWord("Tests/<YourTests>") == "'Tests/<YourTests>'")
        #expect(Fuzzing.shellWord(".fuzz/pages/artifacts/oom-1") == ".fuzz/pages/artifacts/oom-1")
    }

    @Test func flagChecks() throws {
        let known: Set = ["max_len", "runs", "ignore_remaining_args"]
        try Fuzzing.checkLibFuzzerFlags(["-max_len=3", "extra-corpus", "-runs=1"], known: known)
        try Fuzzing.checkLibFuzzerFlags(["-ignore_remaining_args=1", "-target_flag"], known: known)
        try Fuzzing.checkLibFuzzerFlags(["-anything=1"], known: [])
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-bogus=1"], known: known) }
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-runs"], known: known) }
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["--runs=1"], known: known) }
        // A number flag with a value libFuzzer would misread (0 runs; 4 bytes), and a text flag's value.
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-runs=abc"], known: known) }
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-max_len=4k"], known: known) }
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-runs="], known: known) }
        try Fuzzing.checkLibFuzzerFlags(["-runs=-1", "-dict=Fuzz/slab.dict"], known: known.union(["dict"]))
        // Past a 32-bit int, where libFuzzer's value would wrap (or abort, for the seed).
        try Fuzzing.checkLibFuzzerFlags(["-max_len=2147483647", "-runs=-2147483648"], known: known)
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-max_len=4294967300"], known: known) }
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-seed=99999999999999999999"], known: known.union(["seed"])) }
        #expect(throws: ToolError.self) { try Fuzzing.checkLibFuzzerFlags(["-seed=4294967296"], known: known.union(["seed"])) }
        // A seed libFuzzer printed for a campaign of its own choosing reruns it.
        try Fuzzing.checkLibFuzzerFlags(["-seed=2599978761", "-seed=4294967295"], known: known.union(["seed"]))
        do {
            try Fuzzing.checkLibFuzzerFlags(["-max_len=4k"], known: known)
        } catch {
            #expect(error.message == "libFuzzer flag '-max_len=4k' takes a whole number, not '4k': libFuzzer would read its leading digits only (4)")
        }
        #expect(Fuzzing.rerunFlags(["-rss_limit_mb=20", "-max_total_time=5", "dir", "-fork=2", "-timeout=3"])
                == ["-rss_limit_mb=20", "-timeout=3"])
    }

    @Test func artifactKinds() {
        #expect(Fuzzing.ArtifactKind(path: "/x/oom-12") == .outOfMemory)
        #expect(Fuzzing.ArtifactKind(path: "/x/timeout-12") == .timeout)
        #expect(Fuzzing.ArtifactKind(path: "/x/leak-12") == .leak)
        #expect(Fuzzing.ArtifactKind(path: "/x/crash-12") == .crash)
    }

    @Test func saveCaseNeverOverwrites() throws {
        let folder = NSTemporaryDirectory() + "alloccheck-save-\(getpid())-\(UInt32.random(in: 0...UInt32.max))/cases"
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let trace = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=2\n")
        let first = try Fuzzing.saveCase(trace, name: "c", header: "# h\n", in: folder)
        #expect(first == .new(folder + "/c.trace"))
        #expect(try Fuzzing.saveCase(trace, name: "c", header: "# other\n", in: folder) == .already(folder + "/c.trace"))
        let other = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=3\n")
        #expect(try Fuzzing.saveCase(other, name: "c", header: "", in: folder) == .beside(folder + "/c-2.trace", existing: folder + "/c.trace"))
        #expect(String(decoding: try readFile(folder + "/c.trace"), as: UTF8.self) == "# h\n" + trace.text)
    }
}
