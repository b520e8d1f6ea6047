import AllocCheckTool
import ArgumentParser
import Foundation
import Harness

struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build and run the libFuzzer targets.",
        subcommands: [List.self, Build.self, Run.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the fuzz targets.")
        func run() {
            let width = FuzzTarget.all.map(\.name.count).max() ?? 0
            for target in FuzzTarget.all {
                print(target.name + String(repeating: " ", count: width - target.name.count + 2) + target.summary)
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build fuzz targets with libFuzzer coverage and AddressSanitizer (all targets by default).")
        @Argument(help: "A target (default: every target).") var target: String?
        @Flag(help: "Release build (the default; accepted for cargo-fuzz habits).") var release = false
        @Flag(help: "Debug build.") var debug = false

        func validate() throws {
            guard !(release && debug) else { throw ValidationError("--release and --debug ask for two builds; give one") }
        }

        func run() throws {
            try perform { () throws(ToolError) -> Int32 in
                var targets = FuzzTarget.all
                if let target { targets = [try FuzzTarget.named(target)] }
                let project = try Project.find()
                try Fuzzing.build(project, targets: targets, release: !debug) { print($0) }
                return 0
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a fuzz campaign on a target.",
            discussion: "Builds the target when needed, fuzzes a working corpus in .fuzz/<target>/corpus seeded from "
                + "corpus/<target>/ (which is never modified), with crash files in .fuzz/<target>/artifacts. Each crash "
                + "the judge reproduces is shrunk to its minimal trace and saved in Fuzz/crashes/<target>/ (a file already "
                + "holding the same trace is left as it is); an oom, timeout, leak or sanitizer crash the judge does not "
                + "reproduce is reported with the command to rerun it. Flags after -- go to libFuzzer (an unknown one is "
                + "refused, as is a number flag whose value is not a whole number, and one the options set: "
                + "-max_total_time, -fork, -jobs, -workers, -artifact_prefix, -exact_artifact_path; and one that makes libFuzzer "
                + "do another job: -merge, -set_cover_merge, -minimize_crash, -cleanse_crash, -analyze_dict, ...). "
                + "Exit status 1 when "
                + "a crash was found.")
        @Argument(help: "The target: pages, exact, slab, kmalloc, mixed, checkers or decoding.") var target: String
        @Option(parsing: .unconditional, help: "Seconds to fuzz.") var time = 60
        @Option(parsing: .unconditional, help: "Fuzz with N processes (libFuzzer's fork mode).") var jobs = 1
        @Flag(help: "Fuzz a debug build.") var debug = false
        @Argument(parsing: .postTerminator, help: "libFuzzer flags, after --.") var libFuzzerFlags: [String] = []

        /// The largest `--jobs`: four per processor.
        static var mostJobs: Int { 4 * max(1, ProcessInfo.processInfo.activeProcessorCount) }

        /// The libFuzzer flags the command sets from its options, and what sets each.
        static let optionSetting = [
            "max_total_time": "--time", "fork": "--jobs", "jobs": "--jobs", "workers": "--jobs",
            "artifact_prefix": "the crash folder the command reads (.fuzz/<target>/artifacts)",
            "exact_artifact_path": "the crash folder the command reads (.fuzz/<target>/artifacts)",
        ]

        /// libFuzzer's flags that make it do another job than fuzzing, and
        /// what to use for that job.
        static let otherModes = [
            "merge": "libFuzzer's corpus merge (alloccheck cmin minimises a corpus)",
            "set_cover_merge": "libFuzzer's corpus merge (alloccheck cmin minimises a corpus)",
            "merge_inner": "a step of libFuzzer's corpus merge",
            "merge_control_file": "a step of libFuzzer's corpus merge",
            "minimize_crash": "libFuzzer's crash minimiser (alloccheck tmin runs it on a crash, alloccheck shrink ours)",
            "minimize_crash_internal_step": "a step of libFuzzer's crash minimiser",
            "cleanse_crash": "libFuzzer's crash cleanser",
            "analyze_dict": "libFuzzer's dictionary analysis",
        ]

        func validate() throws {
            // libFuzzer reads -max_total_time as a 32-bit int: a larger value would wrap.
            guard time > 0, time <= libFuzzerIntLimit else { throw ValidationError("--time must be in 1...\(libFuzzerIntLimit)") }
            guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
            // libFuzzer's fork mode checks -max_total_time only as jobs end:
            // far more jobs than processors overran --time many times over.
            let most = Self.mostJobs
            guard jobs <= most else {
                throw ValidationError("--jobs \(jobs): at most \(most) (four per processor; this machine has "
                                      + "\(ProcessInfo.processInfo.activeProcessorCount))")
            }
        }

        /// Refuses what follows `--` that the campaign cannot take, in one
        /// line with exit status 64 like every other refusal of a flag there
        /// (`Fuzzing.checkLibFuzzerFlags`): those words are libFuzzer's, not
        /// this command's, so its usage, which `validate` prints after a bad
        /// option, would not show what was wrong with them. (A `-dict=` file
        /// that cannot be read is a missing input, exit 2: `checkDictionaries`.)
        static func checkFlagsAfterTerminator(_ flags: [String], target: String) throws(ToolError) {
            func refuse(_ problem: String) -> ToolError { ToolError(problem, exitCode: 64) }
            // Anything else after -- is a corpus folder or file for libFuzzer: a missing one is a mistake.
            // (Up to -ignore_remaining_args=1: what follows it is the target's.)
            let ownFlags = flags.prefix { $0 != "-ignore_remaining_args=1" }
            // Flags the command passes itself: given again after -- they would
            // win silently (libFuzzer takes the last), so the campaign would
            // not be the one the options describe.
            for argument in ownFlags where argument.hasPrefix("-") && !argument.hasPrefix("--") {
                let name = String(argument.dropFirst().prefix { $0 != "=" })
                if let option = optionSetting[name] {
                    throw refuse("'\(argument)' after -- conflicts with \(option); leave it out")
                }
                // Flags that make libFuzzer do another job than fuzzing: the
                // campaign would report "no crash" having fuzzed nothing.
                // (Only when switched on: `-merge=0` is off, and a flag
                // without its value is refused later, as libFuzzer ignores it.)
                let value = argument.drop { $0 != "=" }.dropFirst()
                if let other = otherModes[name], !value.isEmpty, value.contains(where: { $0 != "0" }) {
                    throw refuse("'\(argument)' after -- would run \(other), not a campaign")
                }
                // libFuzzer would print its help and fuzz nothing: no campaign to report on.
                if name == "help" {
                    throw refuse("'\(argument)' after -- would run no campaign; libFuzzer's flags are listed by "
                                 + "Fuzz/.build-fuzzer/release/\(target) -help=1")
                }
            }
            for argument in ownFlags where !argument.hasPrefix("-") {
                var isDirectory = false
                guard directoryExists(argument, &isDirectory) else {
                    throw refuse("'\(argument)' after -- is neither a libFuzzer flag (-name=value) nor an existing folder or file")
                }
            }
        }

        /// The flags after `--` as libFuzzer must get them: it runs in the
        /// checkout's root, so a relative `-dict=` file or corpus folder is
        /// made absolute against `here`, where the user typed it (and where
        /// `checkFlagsAfterTerminator` and `checkDictionaries` looked for it).
        static func absolutePaths(_ flags: [String], from here: String) -> [String] {
            func absolute(_ path: String) -> String { path.hasPrefix("/") || path.isEmpty ? path : here + "/" + path }
            var remaining = true
            return flags.map { flag in
                guard remaining else { return flag }
                if flag == "-ignore_remaining_args=1" { remaining = false; return flag }
                if flag.hasPrefix("-dict=") { return "-dict=" + absolute(String(flag.dropFirst("-dict=".count))) }
                return flag.hasPrefix("-") ? flag : absolute(flag)
            }
        }

        /// Refuses a `-dict=` file libFuzzer could not read (it would stop on
        /// it, and the campaign report one line of its and one blaming it).
        static func checkDictionaries(_ flags: [String]) throws(ToolError) {
            for flag in flags.prefix(while: { $0 != "-ignore_remaining_args=1" }) where flag.hasPrefix("-dict=") {
                let path = String(flag.dropFirst("-dict=".count))
                var info = stat()
                guard stat(path, &info) == 0 else {
                    throw ToolError("'\(flag)' after --: no dictionary file \(path) (\(String(cString: strerror(errno))))")
                }
                guard (info.st_mode & S_IFMT) == S_IFREG else {
                    throw ToolError("'\(flag)' after --: \(path) is not a file; -dict= takes a libFuzzer dictionary file")
                }
                guard access(path, R_OK) == 0 else {
                    throw ToolError("'\(flag)' after --: cannot read \(path) (\(String(cString: strerror(errno))))")
                }
            }
        }

        func run() throws {
            try perform { () throws(ToolError) -> Int32 in
                // Usage errors (64) before where it runs (2).
                let target = try FuzzTarget.named(self.target)
                try Self.checkFlagsAfterTerminator(self.libFuzzerFlags, target: target.name)
                let project = try Project.find()
                let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
                let libFuzzerFlags = Self.absolutePaths(self.libFuzzerFlags, from: here)
                try Self.checkDictionaries(libFuzzerFlags)
                if let defectNotice { say(defectNotice) }
                var lastDraw = 0.0
                var drawn = false
                let result: Fuzzing.CampaignResult
                do throws(ToolError) {
                    result = try Fuzzing.run(project, target, seconds: time, jobs: jobs, release: !debug,
                                             extraFlags: libFuzzerFlags, output: { line in
                        if drawn && isTerminal { printNow("\r\u{1B}[K") }
                        say(line)
                    }) { p, elapsed in
                        guard elapsed - lastDraw >= (isTerminal ? 0.25 : 10) else { return }
                        lastDraw = elapsed
                        drawn = true
                        let line = "[\(clockTime(elapsed)) elapsed, \(clockTime(max(0, Double(time) - elapsed))) left] "
                            + "\(p.execPerSecond) exec/s  cov \(p.coverage)  ft \(p.features)  corpus \(p.corpus)  "
                            + "\(p.executions) runs"
                        printNow(isTerminal ? "\r\u{1B}[K" + line : line + "\n")
                    }
                } catch {
                    // The progress line ends before the error's line.
                    if isTerminal && drawn { printNow("\n") }
                    throw error
                }
                if isTerminal && drawn { printNow("\n") }
                let p = result.progress
                let reporter = CrashReporter(project: project, target: target, directory: here, release: !debug,
                                             libFuzzerFlags: libFuzzerFlags, defect: AllocCheckSubject.defect?.rawValue)
                // Counts of 0 would read as an empty corpus: libFuzzer stopped
                // (a crash, an error) before its first status line.
                if p.executions > 0 {
                    say("\(target.name): \(p.executions) runs, \(p.execPerSecond) exec/s, cov \(p.coverage), ft \(p.features), "
                        + "corpus \(p.corpus) in use, files in \(reporter.show(project.workingCorpus(target)))")
                } else if !result.crashes.isEmpty {
                    say("\(target.name): a crash before libFuzzer's first status line (corpus in "
                        + "\(reporter.show(project.workingCorpus(target))))")
                }
                for warning in result.flagWarnings { printError("warning: libFuzzer: \(warning)") }
                for slow in result.slowUnits { say("libFuzzer saved a slow input (not a crash): \(reporter.show(slow))") }
                guard !result.crashes.isEmpty else {
                    if result.status != 0 {
                        say(result.lastLines.suffix(20).joined(separator: "\n"))
                        throw ToolError("libFuzzer stopped with status \(result.status) and no crash file", exitCode: 2)
                    }
                    // A plain run's first status line (`#N INITED`) comes once
                    // the corpus has run: without one, libFuzzer did something
                    // else (a flag of another mode) and fuzzed nothing, which
                    // is no clean campaign. (Fork mode's lines come only as its
                    // jobs end, so a short campaign can end before the first.)
                    if p.executions == 0 && jobs == 1 {
                        say(result.lastLines.suffix(20).joined(separator: "\n"))
                        throw ToolError("libFuzzer ran no input (its output is above), so the campaign tested nothing", exitCode: 2)
                    }
                    say("no crash")
                    return 0
                }
                if result.crashes.count > 1 {
                    say("\nlibFuzzer wrote \(result.crashes.count) crash files:")
                    for crash in result.crashes { say("  " + reporter.show(crash)) }
                }
                // The crashes are shrunk in this process, with no child to
                // forward a signal to: a Ctrl-C ends the shrink at its next
                // call, and the command says what it kept and ends by it.
                let (guarding, stop) = guardShrinking()
                var unreproduced: [String] = []
                for (index, crash) in result.crashes.enumerated() {
                    let reproduced = reporter.report(crash, stop: stop)
                    guard !stop() else {
                        guarding.restore()
                        // A signal during a save waits for it: that crash is done.
                        let left = result.crashes[(reporter.shrinkStopped ? index : index + 1)...].map(reporter.show)
                        let kept = left.isEmpty ? "every crash file was reported above"
                            : "the crash file\(left.count == 1 ? "" : "s") \(left.joined(separator: ", ")) kept, not shrunk "
                                + "(shrink: \(reporter.defectPrefix)\(Fuzzing.selfCommand) shrink \(left[0]))"
                        throw Interruption.saying(kept, Interruption.error(guarding.received() ?? SIGINT))
                    }
                    if !reproduced { unreproduced.append(crash) }
                }
                guarding.restore()
                if !unreproduced.isEmpty {
                    say("\nlibFuzzer's report (the last lines of its output):")
                    let lines = result.errorLines.filter { !result.lastLines.suffix(40).contains($0) } + result.lastLines.suffix(40)
                    say(lines.joined(separator: "\n"))
                }
                return 1
            }
        }
    }
}

/// Reports the crash files of one campaign, each with the commands that
/// reproduce it from the user's folder, with the seeded defect it needs.
final class CrashReporter {
    let project: Project
    let target: FuzzTarget
    /// The user's current folder: paths are shown relative to it when inside it.
    let directory: String
    let release: Bool
    let libFuzzerFlags: [String]
    /// The seeded defect switched on (`ALLOCCHECK_DEFECT`), if any.
    let defect: String?
    /// Whether a `stop` ended the latest report's shrink (nothing of it was reported or saved).
    private(set) var shrinkStopped = false
    /// The minimal traces reported so far (fork mode finds one bug many times), and where each is.
    private var reported: [String: String] = [:]

    init(project: Project, target: FuzzTarget, directory: String, release: Bool, libFuzzerFlags: [String], defect: String?) {
        self.project = project
        self.target = target
        self.directory = directory
        self.release = release
        self.libFuzzerFlags = libFuzzerFlags
        self.defect = defect
    }

    func show(_ path: String) -> String { Fuzzing.shellWord(Fuzzing.displayPath(path, from: directory)) }

    /// `ALLOCCHECK_DEFECT=<name> ` when a defect is on: every command that
    /// replays a case found with it needs it.
    var defectPrefix: String { defect.map { "ALLOCCHECK_DEFECT=\($0) " } ?? "" }

    /// The fuzz binary on one input, as libFuzzer ran it.
    func rerunCommand(_ crash: String) -> String {
        let words = [show(project.binary(target, release: release))]
            + Fuzzing.rerunFlags(libFuzzerFlags).map(Fuzzing.shellWord) + [show(crash)]
        return Fuzzing.environment.keys.sorted().map { "\($0)=\(Fuzzing.environment[$0]!)" }.joined(separator: " ")
            + " " + defectPrefix + words.joined(separator: " ")
    }

    /// Reports one crash file; false when it is not a trace the judge fails.
    /// When `stop` says true, the shrink ends early and nothing more is
    /// reported or saved (the caller reports the interruption).
    func report(_ crash: String, stop: @escaping () -> Bool = { false }) -> Bool {
        say("\nCRASH: \(show(crash))")
        let kind = Fuzzing.ArtifactKind(path: crash)
        guard let profile = target.profile else {
            // Not a trace: libFuzzer's own report (printed after the crashes) says what broke.
            let what = [.outOfMemory: "an out-of-memory", .timeout: "a timeout", .leak: "a leak"][kind] ?? "a crash"
            say("libFuzzer reported \(what); its report is below")
            say("Reproduce:        \(rerunCommand(crash))")
            return false
        }
        let input: TraceInput
        do { input = try TraceInput(path: crash, profile: profile) } catch {
            printError("error: \(error.message)")
            say("Rerun it:         \(rerunCommand(crash))")
            return false
        }
        let shrunk = try? AllocCheckTool.Shrink.run(input, stop: stop)
        if stop() {
            shrinkStopped = true
            return true
        }
        guard let shrunk else {
            let what: String
            switch kind {
            case .outOfMemory: what = "ran out of memory"
            case .timeout: what = "timed out"
            case .leak: what = "leaked memory"
            case .crash, .other: what = "crashed"
            }
            say("""
                libFuzzer reported that the \(target.name) target \(what) on this input, but the judge does not reproduce it: \
                replayed outside libFuzzer, its trace (\(input.trace.operations.count) operation\(input.trace.operations.count == 1 ? "" : "s")) passes every check\
                \(defect.map { " (with ALLOCCHECK_DEFECT=\($0))" } ?? ""). Nothing was saved as a regression; libFuzzer's report \
                is below.
                The artifact:     \(show(crash))
                Rerun it:         \(rerunCommand(crash))
                Its trace:        \(defectPrefix)\(Fuzzing.selfCommand) replay --target \(profile.name) \(show(crash))
                """)
            return false
        }
        if let earlier = reported[shrunk.minimal.text] {
            say("Shrunk from \(input.trace.operations.count) to \(counted(shrunk.minimal.operations.count, "operation")): "
                + "the same minimal trace as above (\(earlier))")
            return true
        }
        reported[shrunk.minimal.text] = "not saved"
        say("Shrunk from \(input.trace.operations.count) to \(counted(shrunk.minimal.operations.count, "operation")); "
            + "it fails with: \(shrunk.failure.summary)\n")
        say(shrunk.failure.report(for: shrunk.minimal))
        let name = AllocCheckTool.EmitTest.source(for: shrunk.minimal, failure: shrunk.failure).fileName
            .replacingOccurrences(of: ".swift", with: "")
        let header = Fuzzing.regressionHeader(target: profile.name, failure: shrunk.failure, defect: defect)
        let saved: Fuzzing.Saved
        do { saved = try Fuzzing.saveCase(shrunk.minimal, name: name, header: header, in: project.regressions(profile)) } catch {
            printError("error: the shrunk case was not saved: \(error.message)")
            say("""

                Reproduce:        \(defectPrefix)\(Fuzzing.selfCommand) replay --target \(profile.name) \(show(crash))
                Shrink to a file: \(defectPrefix)\(Fuzzing.selfCommand) shrink \(show(crash)) -o case.trace
                """)
            return true
        }
        let path = show(saved.path)
        reported[shrunk.minimal.text] = path
        let why = defect.map {
            "(it fails only with the seeded defect \($0) switched on and passes on the correct core: "
                + "not a regression to commit)"
        } ?? "(commit it: swift test and CI replay it)"
        say("")
        switch saved {
        case .new:
            say(defect == nil ? "Saved as a regression: \(path) \(why)" : "Saved as a defect demonstration: \(path) \(why)")
        case .beside(_, let existing):
            say((defect == nil ? "Saved as a regression: " : "Saved as a defect demonstration: ")
                + "\(path) \(why); \(show(existing)) holds another trace and is left as it is")
        case .already:
            say("Already saved: \(path) holds this trace (left as it is)")
        }
        let tests = show(project.root + "/Tests") + "/<YourTests>"
        say("""
            Reproduce:        \(defectPrefix)\(Fuzzing.selfCommand) replay \(path)
            Picture it:       \(defectPrefix)\(Fuzzing.selfCommand) view \(path) --html crash.html
            Make it a test:   \(defectPrefix)\(Fuzzing.selfCommand) emit-test \(path) --into \(tests)\
            \(defect == nil ? "" : " (the test fails only while the defect is switched on)")
            The raw crash:    \(defectPrefix)\(Fuzzing.selfCommand) replay --target \(profile.name) \(show(crash))
            """)
        return true
    }
}

/// One line on standard output, written now, so that it keeps its place
/// among the progress lines and the error lines on standard error.
func say(_ text: String) { printNow(text + "\n") }

struct Tmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Minimise a crash file with libFuzzer's -minimize_crash=1 (compare: alloccheck shrink).",
        discussion: "A byte input is minimised as it is and the result written as bytes of its target (as a text trace "
            + "when OUT ends in .trace). A text trace is "
            + "minimised as its bytes for the target (mixed unless --target names one) and the result written as a "
            + "text trace, opening with the `# Found with ALLOCCHECK_DEFECT=<name>` line when a seeded defect is on or "
            + "the input had one. "
            + "libFuzzer's mutations are seeded with --seed, so one input gives one result.")
    @Argument(help: "A crash file (bytes) or a text trace.") var file: String
    @OptionGroup var target: TargetOption
    @Option(name: .shortAndLong, help: "Where to write the result (default: <file>.tmin).") var output: String?
    @Flag(help: "Replace an output file that exists.") var force = false
    @Option(parsing: .unconditional, help: "libFuzzer runs to spend.") var runs = 20_000
    @Option(parsing: .unconditional, help: "libFuzzer's random seed (-seed=).") var seed = 1

    func validate() throws {
        // libFuzzer reads -runs as a 32-bit int: a larger value would wrap.
        guard runs > 0, runs <= libFuzzerIntLimit else { throw ValidationError("--runs must be in 1...\(libFuzzerIntLimit)") }
        // -seed=0 asks libFuzzer for a seed of its own: the result would vary from run to run.
        guard seed > 0, seed <= libFuzzerIntLimit else { throw ValidationError("--seed must be in 1...\(libFuzzerIntLimit)") }
    }

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let project = try Project.find()
            let input = try TraceInput(path: file, target: target.target)
            let out = output ?? file + ".tmin"
            try OutputPaths.check(out, option: output == nil ? "the default output" : "-o", inputs: [file], replacing: force)
            let exe = try Fuzzing.binary(project, input.profile, release: true) { print($0) }
            // The fuzz binary reads any file as bytes of its target, and a text
            // trace's own bytes decode as another trace: it is given the trace's
            // bytes for the target (a byte input's are its own), and its result
            // goes back to text, so that `replay` reads the result as the trace
            // it is wherever it lies.
            let header = (AllocCheckSubject.defect?.rawValue ?? input.foundWithDefect).map(Fuzzing.defectHeader) ?? ""
            let asText = { (bytes: [UInt8]) -> [UInt8] in
                Array((header + Trace.decode(bytes, profile: input.profile).text).utf8)
            }
            // Text, as `shrink` writes, for a text input or an output named `.trace`
            // (which every subcommand reads as text, and would refuse as bytes).
            let form = AllocCheckTool.Shrink.outputForm(of: input, output: out)
            guard let bytes = try Fuzzing.libFuzzerMinimize(exe, input: file, bytes: input.bytes, output: out, runs: runs, seconds: 300, seed: seed,
                                                            rewrite: form == .text ? asText : { $0 }, log: { _ in }) else {
                // Nothing crashed: as for `shrink` of a passing input, there
                // is nothing to minimise (2), not a failure found (1).
                let note = AllocCheckTool.Replay.defectNote(input, rerunning: "tmin", "minimises it").map { "; " + $0 } ?? ""
                throw ToolError("\(file): libFuzzer's minimiser wrote nothing, so the input does not crash the "
                                + "\(input.profile.name) target (give --target if it is another's; replay it to see)" + note,
                                exitCode: 2)
            }
            let trace = Trace.decode(bytes, profile: input.profile)
            print("libFuzzer -minimize_crash=1: \(input.bytes.count) -> \(bytes.count) bytes, "
                  + "\(input.trace.operations.count) -> \(counted(trace.operations.count, "operation")); written to \(out)"
                  + (form == .text ? " as a text trace" : ""))
            print(trace.text, terminator: "")
            // libFuzzer's minimiser takes any crash: it can drift to another
            // failure, and it shortens bytes, not steps.
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let before = judge.check(input.trace)?.failureKind, after = judge.check(trace)?.failureKind
            if before != after {
                printError("note: libFuzzer's minimiser drifted: the input \(before.map { "fails with \($0)" } ?? "passes the judge"), "
                           + "its result \(after.map { "fails with \($0)" } ?? "passes the judge"); alloccheck shrink keeps "
                           + "the failure fixed")
            } else if trace.operations.count > input.trace.operations.count {
                printError("note: the result has more operations than the input (libFuzzer shortens bytes, not steps); "
                           + "alloccheck shrink shortens steps")
            }
            return 0
        }
    }
}

struct Cmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Minimise a target's working corpus with libFuzzer's -merge=1 (the old corpus is kept until the new one is complete).")
    @Argument(help: "The target.") var target: String
    @Option(help: "The corpus folder (default: the target's working corpus in .fuzz/).") var corpus: String?

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let fuzzTarget = try FuzzTarget.named(target)
            let project = try Project.find()
            let folder = corpus ?? project.workingCorpus(fuzzTarget)
            // Every refusal of the folder is exit status 2, the missing one's:
            // cmin replaces the folder, so like any output that cannot or
            // must not be written (`emit-test --into`, `fmt --bytes` into
            // another target's folder) it is the folder that is wrong, not
            // the command line.
            var isDirectory = false
            guard directoryExists(folder, &isDirectory) else { throw ToolError("\(folder): no such corpus folder") }
            guard isDirectory else { throw ToolError("\(folder): a file, not a corpus folder") }
            // The committed seeds are made from Fuzz/Scenarios under their
            // scenarios' names (make-corpus); a merge would rename them to hashes.
            let resolved = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
            let committed = URL(fileURLWithPath: project.root + "/corpus").resolvingSymlinksInPath().path
            if resolved == committed || resolved.hasPrefix(committed + "/") {
                throw ToolError("\(folder): the committed seed corpus, made by make-corpus from Fuzz/Scenarios; "
                                + "cmin works on a working corpus (.fuzz/<target>/corpus) or a copy")
            }
            // Another target's binary reads these inputs as other traces and
            // keeps only those that add to its own coverage: the rest would be
            // thrown away. The folder is where it really is, however typed.
            if let owner = targetFolder(on: OutputPaths.withoutTrailingSlashes(folder) + "/input", followingLastLink: false),
               owner.name != fuzzTarget.name {
                throw ToolError("--corpus \(folder): a folder of the \(owner.name) target, whose inputs the \(fuzzTarget.name) "
                                + "target would read as other inputs and thin out; minimise it with cmin \(owner.name)")
            }
            let exe = try Fuzzing.binary(project, fuzzTarget, release: true) { print($0) }
            // A test sends a signal at the one point no timing can hit
            // reliably, between the merge and the end of the swap.
            let testSignal = ProcessInfo.processInfo.environment["ALLOCCHECK_TEST_SWAP_SIGNAL"].flatMap { Int32($0) }
            // And one while the inputs to keep are judged, after the merge.
            let keepSignal = ProcessInfo.processInfo.environment["ALLOCCHECK_TEST_KEEP_SIGNAL"].flatMap { Int32($0) }
            // libFuzzer's merge drops an input that crashes the target: a
            // corpus's reproducers of a bug not yet fixed would go unnoticed.
            // Those the judge fails are kept (a crash under ASan alone is not
            // seen here).
            var failing: [String] = []
            let keeping = { (stopped: () -> Bool) -> [String] in
                if let keepSignal { raise(keepSignal) }
                let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
                failing = fuzzTarget.profile.map { profile in
                    files(in: folder).filter { path in
                        !stopped() && ((try? TraceInput(path: path, profile: profile)).map { judge.check($0.trace) != nil } ?? false)
                    }
                } ?? []
                return failing
            }
            let (before, after) = try Fuzzing.cmin(exe, corpus: folder, keeping: keeping, log: { _ in },
                                                   swapping: { if let testSignal { raise(testSignal) } })
            print("\(folder): \(before) -> \(after) inputs")
            if !failing.isEmpty {
                let names = failing.map { ($0 as NSString).lastPathComponent }
                printError("warning: \(counted(failing.count, "input")) of the corpus fail\(failing.count == 1 ? "s" : "") the judge "
                           + "(\(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", …" : "")); libFuzzer's merge "
                           + "drops crashing inputs, so cmin kept \(failing.count == 1 ? "it" : "them"): replay "
                           + "\(failing.count == 1 ? "it" : "one") with "
                           + "\(Fuzzing.selfCommand) replay --target \(fuzzTarget.name) \(Fuzzing.shellWord(folder + "/" + names[0]))")
            }
            return 0
        }
    }
}

/// The largest value libFuzzer's integer flags hold (they are C `int`s).
let libFuzzerIntLimit = Int(Int32.max)

func clockTime(_ seconds: Double) -> String {
    let s = Int(seconds)
    return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)"
}
