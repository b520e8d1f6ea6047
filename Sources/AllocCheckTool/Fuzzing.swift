// The fuzzing subcommands' work: build the targets, run a campaign with a
// one-line progress display, and wrap libFuzzer's minimisers.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Harness

public enum Fuzzing {
    /// What every fuzz binary runs with: no Swift crash handler inside the
    /// ASan process, stable hashing across runs of one input.
    public static let environment = ["SWIFT_BACKTRACE": "enable=no", "SWIFT_DETERMINISTIC_HASHING": "1"]

    /// Builds `targets` with coverage and AddressSanitizer through `Fuzz/build.sh`
    /// (which also proves both instrumentations are really on).
    public static func build(_ project: Project, targets: [any FuzzTargetName], release: Bool, output: (String) -> Void) throws(ToolError) {
        let script = "\(project.root)/Fuzz/build.sh"
        let arguments = [script, release ? "release" : "debug"] + targets.map(\.name)
        let status = try runProcess("/bin/bash", arguments, directory: project.root, line: output)
        guard status == 0 else {
            throw ToolError("building the fuzz targets failed (Fuzz/build.sh exited with \(status)); see the output above", exitCode: 2)
        }
    }

    /// The binary of `target`, built first when it is missing. Refused first,
    /// in one line, when the environment a trace target would run with is one
    /// it stops on (`checkEnvironment`): that target's error, then
    /// libFuzzer's, would be two lines blaming libFuzzer.
    public static func binary(_ project: Project, _ target: some FuzzTargetName, release: Bool, output: (String) -> Void) throws(ToolError) -> String {
        if Profile.all.contains(where: { $0.name == target.name }) { try checkEnvironment() }
        let path = project.binary(target, release: release)
        if !FileManager.default.isExecutableFile(atPath: path) {
            output("== \(target.name) is not built yet: building it")
            try build(project, targets: [target], release: release, output: output)
        }
        return path
    }

    /// Refuses an `ALLOCCHECK_FULL_CHECKS` (from this process's environment,
    /// which the fuzz binaries inherit) that names no judging mode, in the
    /// words the trace targets stop with (exit status 2). The rule is the
    /// targets' own (`FuzzJudge.configuration(fromEnvironment:)` in the Fuzz
    /// package, which the command does not link): empty or unset, a number
    /// of steps of 1 or more, `end` or `model-only`. (`ALLOCCHECK_DEFECT` is
    /// checked before any subcommand runs.)
    public static func checkEnvironment(_ value: String? = ProcessInfo.processInfo.environment["ALLOCCHECK_FULL_CHECKS"]) throws(ToolError) {
        guard let value, !value.isEmpty, value != "end", value != "model-only" else { return }
        if let interval = Int(value), interval >= 1 { return }
        throw ToolError("ALLOCCHECK_FULL_CHECKS must be a number of steps (1 or more), 'end' or 'model-only', not '\(value)'",
                        exitCode: 2)
    }

    /// One progress report parsed from libFuzzer's status lines.
    public struct Progress: Sendable, Equatable {
        public var executions = 0
        public var coverage = 0
        public var features = 0
        public var corpus = 0
        public var execPerSecond = 0

        public init(executions: Int = 0, coverage: Int = 0, features: Int = 0, corpus: Int = 0, execPerSecond: Int = 0) {
            self.executions = executions
            self.coverage = coverage
            self.features = features
            self.corpus = corpus
            self.execPerSecond = execPerSecond
        }

        /// Updates from a line such as `#4096 pulse cov: 812 ft: 1401 corp: 60/3222b lim: 4096 exec/s: 2048 rss: 59Mb`.
        public mutating func update(from line: String) {
            guard line.hasPrefix("#") else { return }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            // `#4096` in a plain run, `#4096:` in fork mode (--jobs).
            if let n = Int(words[0].dropFirst().prefix { $0.isNumber }) { executions = n }
            for (i, word) in words.enumerated() where i + 1 < words.count {
                let next = words[i + 1]
                switch word {
                case "cov:": coverage = Int(next) ?? coverage
                case "ft:": features = Int(next) ?? features
                case "corp:": corpus = Int(next.split(separator: "/").first ?? "") ?? corpus
                case "exec/s:": execPerSecond = Int(next) ?? execPerSecond
                default: break
                }
            }
        }
    }

    public struct CampaignResult: Sendable {
        public var progress = Progress()
        /// Every crash file this campaign wrote (crash-, oom-, timeout-, leak-…):
        /// those libFuzzer named in the order it named them, then any other
        /// file that appeared in the artifacts folder (fork mode writes some
        /// without naming them).
        public var crashes: [String] = []
        /// Slow inputs libFuzzer saved (`slow-unit-…`): not crashes.
        public var slowUnits: [String] = []
        public var status: Int32 = 0
        /// The tail of libFuzzer's output (the crash report), for the user.
        public var lastLines: [String] = []
        /// libFuzzer's own error lines (`==ERROR: …`, `SUMMARY: …`), which a
        /// long stack trace can push out of `lastLines`.
        public var errorLines: [String] = []
        /// libFuzzer's warnings about the flags it was given (an unknown flag
        /// is ignored with a warning), each once.
        public var flagWarnings: [String] = []
    }

    /// Runs libFuzzer on `target` for `seconds`: a working corpus seeded from
    /// the committed one (which is only read), artifacts in their own folder.
    public static func run(_ project: Project, _ target: some FuzzTargetName, seconds: Int, jobs: Int, release: Bool,
                           extraFlags: [String], output: (String) -> Void,
                           progress: (Progress, Double) -> Void) throws(ToolError) -> CampaignResult {
        let exe = try binary(project, target, release: release, output: output)
        // Only flags need the binary's list of names (one more process run).
        if extraFlags.contains(where: { $0.hasPrefix("-") }) {
            try checkLibFuzzerFlags(extraFlags, known: libFuzzerFlagNames(exe),
                                    binary: displayPath(exe, from: FileManager.default.currentDirectoryPath))
        }
        let corpus = project.workingCorpus(target), artifacts = project.artifacts(target)
        try makeDirectory(corpus)
        try makeDirectory(artifacts)
        let before = Set(files(in: artifacts))
        // Seed the working corpus with every committed seed it lacks.
        for seed in files(in: project.seeds(target)) {
            let copy = corpus + "/seed-" + (seed.split(separator: "/").last.map(String.init) ?? "seed")
            if !FileManager.default.fileExists(atPath: copy) { try writeFile(copy, try readFile(seed)) }
        }
        // Fork mode runs its jobs through command lines (see `checkCommandLineSafe`).
        if jobs > 1 {
            try checkCommandLineSafe([("the fuzz binary", exe), ("the working corpus", corpus), ("TMPDIR", libFuzzerTemporaryFolder)]
                                     + extraFlags.filter { !$0.hasPrefix("-") || $0.hasPrefix("-dict=") }.map { ("after --,", $0) })
        }
        var flags = [corpus, "-artifact_prefix=\(artifacts)/", "-max_total_time=\(seconds)", "-print_final_stats=1"]
        if FileManager.default.fileExists(atPath: project.dictionary(target)) { flags.append("-dict=\(project.dictionary(target))") }
        if jobs > 1 { flags += ["-fork=\(jobs)", "-ignore_crashes=0"] }
        flags += extraFlags
        var result = CampaignResult()
        let start = Date()
        var named: [String] = []
        let status: Int32
        do {
            status = try runProcess(exe, flags, environment: environment, directory: project.root,
                                    cleanUp: removeLibFuzzerTemporaries) { line in
                result.progress.update(from: line)
                result.lastLines.append(line)
                if result.lastLines.count > 60 { result.lastLines.removeFirst(result.lastLines.count - 60) }
                if let range = line.range(of: "Test unit written to ") {
                    let path = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                    if !named.contains(path) { named.append(path) }
                }
                if isErrorLine(line), result.errorLines.count < 20 { result.errorLines.append(line) }
                if isFlagWarning(line), !result.flagWarnings.contains(line) {
                    result.flagWarnings.append(line)
                    output("libFuzzer: " + line)
                }
                if line.hasPrefix("#") { progress(result.progress, Date().timeIntervalSince(start)) }
            }
        } catch {
            guard error.interruptedBy != nil else { throw error }
            // Not shrunk or saved (the user asked to stop), but named: fork
            // mode and -ignore_crashes=1 can have written some.
            let here = FileManager.default.currentDirectoryPath
            let written = files(in: artifacts).filter { !before.contains($0) && !$0.hasPrefix(artifacts + "/slow-unit-") }
            let crashes = written.isEmpty ? "" : "; \(counted(written.count, "crash file")) in \(displayPath(artifacts, from: here))"
            throw Interruption.saying("the campaign stopped; its working corpus is kept in "
                                      + displayPath(corpus, from: here) + crashes, error)
        }
        result.status = status
        // Every new file in the artifacts folder, not only those libFuzzer named:
        // in fork mode several jobs can crash at once.
        let appeared = files(in: artifacts).filter { !before.contains($0) }
        for path in named + appeared.filter({ !named.contains($0) }) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name.hasPrefix("slow-unit-") { result.slowUnits.append(path) } else { result.crashes.append(path) }
        }
        return result
    }

    /// libFuzzer's own report of what it found: `==123== ERROR: libFuzzer: out-of-memory …`,
    /// ASan's `==123==ERROR: AddressSanitizer: …`, `SUMMARY: …`.
    static func isErrorLine(_ line: String) -> Bool {
        (line.hasPrefix("==") && line.contains("ERROR: ")) || line.hasPrefix("ERROR: libFuzzer") || line.hasPrefix("SUMMARY: ")
    }

    /// libFuzzer's warnings about its command line: it ignores an unknown flag
    /// (and every `--flag`) with one of these and runs on.
    static func isFlagWarning(_ line: String) -> Bool {
        line.hasPrefix("WARNING: unrecognized flag") || line.hasPrefix("INFO: libFuzzer ignores flags that start with '--'")
            || line.hasPrefix("WARNING: did you mean")
    }

    /// The flag names `exe -help=1` lists ([] when its help cannot be read;
    /// an interruption is thrown, not taken for unreadable help).
    public static func libFuzzerFlagNames(_ exe: String) throws(ToolError) -> Set<String> {
        var names = Set<String>()
        var inFlags = false
        do {
            _ = try runProcess(exe, ["-help=1"], environment: environment) { line in
                if line.hasPrefix("Flags:") { inFlags = true; return }
                guard inFlags, line.hasPrefix(" "), let name = line.split(separator: " ").first else { return }
                let word = name.split(separator: "\t").first.map(String.init) ?? ""
                if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.insert(word) }
            }
        } catch {
            if error.interruptedBy != nil { throw error }
        }
        return names
    }

    /// Refuses a path that libFuzzer would pass to a child process of its
    /// own: its merge, its crash minimiser and its fork mode run children
    /// through a shell command line made by joining the arguments with
    /// spaces, unquoted, so a path holding a space (or another character a
    /// shell reads) is split or reinterpreted there. A merge then read no
    /// corpus and kept nothing, and a minimisation never ran the input and
    /// read as "it does not crash". `what` names the path in the error
    /// (the fuzz binary, `TMPDIR`, ...). The merge and the minimiser are
    /// given staged paths instead (`makeStaging`); fork mode still needs this.
    public static func checkCommandLineSafe(_ paths: [(what: String, path: String)]) throws(ToolError) {
        for (what, path) in paths {
            guard let bad = path.unicodeScalars.first(where: { !isCommandLineSafe($0) }) else { continue }
            let shown = bad == " " ? "a space" : bad.properties.generalCategory == .control || bad.value > 0x7E
                ? "the character U+\(String(bad.value, radix: 16, uppercase: true))" : "`\(bad)`"
            throw ToolError("\(what) \(path) holds \(shown): libFuzzer runs a child process through a command line "
                            + "that cannot carry it; move or link it to a path without one")
        }
    }

    /// Characters a shell passes through as part of one word.
    static func isCommandLineSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "/", ".", "_", "-", "+", "=", ",", ":", "@", "%": return true
        default: return false
        }
    }

    /// A new empty folder whose path a shell passes through as one word,
    /// for every path libFuzzer's merge and crash minimiser put on their
    /// children's command lines (`checkCommandLineSafe` says why): the fuzz
    /// binary linked as `fuzzer`, the input copied or a corpus linked, the
    /// result, and the children's `TMPDIR` (a merge's control file), each
    /// under a plain name here. So a checkout, corpus, input, output or
    /// `TMPDIR` whose path holds a space works. Made in `TMPDIR` when its
    /// path is such a word, else in `/tmp`; the caller removes it with
    /// `removeStaging` whatever happens (an interruption included).
    static func makeStaging() throws(ToolError) -> String {
        let given = libFuzzerTemporaryFolder
        let tmpdir = absolute(given)
        var tried: [String] = []
        for base in [tmpdir, "/tmp"] where !tried.contains(base) {
            tried.append(base)
            guard base.unicodeScalars.allSatisfy(isCommandLineSafe) else { continue }
            var template = Array(((base.hasSuffix("/") ? base : base + "/") + "alloccheck-libfuzzer-XXXXXX").utf8CString)
            if let made = mkdtemp(&template) { return String(cString: made) }
        }
        throw ToolError("cannot make a temporary folder for libFuzzer's child processes, whose command lines cannot carry "
                        + "a space or a shell character: neither TMPDIR (\(given)) nor /tmp is a writable folder with a path "
                        + "free of them; set TMPDIR to one")
    }

    /// `path` made absolute against the current folder, for a link in the
    /// staging folder (a relative link is read from the link's own folder).
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Links `name` in `staging` to `target`; the staged path.
    static func stage(_ target: String, as name: String, in staging: String) throws(ToolError) -> String {
        let path = staging + "/" + name
        guard symlink(absolute(target), path) == 0 else {
            throw ToolError("cannot link \(target) into the temporary folder \(staging): \(String(cString: strerror(errno)))")
        }
        return path
    }

    /// Removes a staging folder and what libFuzzer left in it. Its links
    /// are unlinked first, one by one, so that nothing they point to (a
    /// corpus) can be removed through them.
    static func removeStaging(_ staging: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? [] {
            var info = stat()
            if lstat(staging + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK { unlink(staging + "/" + name) }
        }
        try? FileManager.default.removeItem(atPath: staging)
    }

    /// The folder libFuzzer keeps its temporary files in (`TMPDIR`, else `/tmp`).
    static var libFuzzerTemporaryFolder: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// Removes what a libFuzzer process stopped by a signal may leave in the
    /// temporary folder: files and folders named `libFuzzerTemp.<kind><pid>…`
    /// by its process id (a merge's control file, fork mode's job folder).
    public static func removeLibFuzzerTemporaries(of pid: Int32) {
        let folder = libFuzzerTemporaryFolder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names.sorted() where name.hasPrefix("libFuzzerTemp.") {
            // The kind is letters; the process id follows it and ends at a dot.
            let rest = name.dropFirst("libFuzzerTemp.".count).drop { $0.isLetter }
            let digits = rest.prefix { $0.isNumber }
            guard digits == "\(pid)", rest.dropFirst(digits.count).first == "." else { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// Refuses, as a usage error, a flag libFuzzer would ignore: a name it does
    /// not know, a flag without its `=value`, or one with two dashes. Arguments
    /// that do not start with `-` are folders or files for libFuzzer and pass;
    /// so does everything after `-ignore_remaining_args=1`. With no `known`
    /// names (the binary's help could not be read) nothing is refused.
    public static func checkLibFuzzerFlags(_ flags: [String], known: Set<String>, binary: String = "the fuzz binary") throws(ToolError) {
        guard !known.isEmpty else { return }
        for flag in flags where flag.hasPrefix("-") {
            let dashes = flag.hasPrefix("--") ? 2 : 1
            let body = flag.dropFirst(dashes)
            let name = String(body.prefix { $0 != "=" })
            let hasValue = body.contains("=")
            if dashes == 2 {
                let hint = known.contains(name) && hasValue ? " (one dash: -\(body))" : ""
                throw ToolError("libFuzzer ignores flags that start with '--': '\(flag)'\(hint)", exitCode: 64)
            }
            guard known.contains(name) else {
                throw ToolError("unknown libFuzzer flag '\(flag)'\(closest(to: name, in: known).map { " (did you mean -\($0)=…?)" } ?? "")"
                                + "; libFuzzer would ignore it (\(binary) -help=1 lists its flags)", exitCode: 64)
            }
            guard hasValue else {
                throw ToolError("libFuzzer flag '\(flag)' needs a value: -\(name)=VALUE (libFuzzer would ignore it)", exitCode: 64)
            }
            let value = body.drop { $0 != "=" }.dropFirst()
            if !libFuzzerTextFlags.contains(name), !isDecimalInteger(value) {
                throw ToolError("libFuzzer flag '\(flag)' takes a whole number, not '\(value)': libFuzzer would read its "
                                + "leading digits only (\(value.prefix { $0.isNumber }.isEmpty ? "0" : String(value.prefix { $0.isNumber })))",
                                exitCode: 64)
            }
            // Its number flags are C `int`s: a larger value wraps, so
            // `-max_len=4294967300` allowed 4 bytes. The seed is an
            // `unsigned int` (read with `stoul`, which aborts past an
            // `unsigned long`), and the seeds libFuzzer picks itself and
            // prints are often past Int32.max.
            let digits = value.first == "+" ? value.dropFirst() : value
            if name == "seed" {
                guard UInt32(digits) != nil else {
                    throw ToolError("libFuzzer flag '\(flag)' is out of range: libFuzzer reads the seed as a 32-bit "
                                    + "unsigned int (0...\(UInt32.max))", exitCode: 64)
                }
            } else if !libFuzzerTextFlags.contains(name), Int32(digits) == nil {
                throw ToolError("libFuzzer flag '\(flag)' is out of range: libFuzzer reads it as a 32-bit int "
                                + "(\(Int32.min)...\(Int32.max)), where it would wrap", exitCode: 64)
            }
            if name == "ignore_remaining_args", body.hasSuffix("=1") { return }
        }
    }

    /// libFuzzer's flags whose value is text (a path, a function name); the
    /// others are numbers, which it reads with its own `atol` that stops at
    /// the first other character, so `-runs=abc` runs nothing (0 runs) and
    /// `-max_len=4k` allows 4 bytes. (FuzzerFlags.def: the FUZZER_FLAG_STRING entries.)
    static let libFuzzerTextFlags: Set<String> = [
        "seed_inputs", "stop_file", "merge_control_file", "mutation_graph_file", "dict", "artifact_prefix",
        "exact_artifact_path", "exit_on_src_pos", "exit_on_item", "focus_function", "data_flow_trace",
        "collect_data_flow", "features_dir",
    ]

    /// An optional sign, then one or more ASCII digits.
    static func isDecimalInteger(_ text: Substring) -> Bool {
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : text
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The known name nearest `name` (at most 2 edits away), for a typo.
    static func closest(to name: String, in known: Set<String>) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var previous = row[0]
                row[0] = i
                for j in stride(from: 1, through: b.count, by: 1) {
                    let old = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = old
                }
            }
            return a.isEmpty ? b.count : row[b.count]
        }
        let chars = Array(name)
        let best = known.sorted().map { ($0, distance(chars, Array($0))) }.min { $0.1 < $1.1 }
        return best.flatMap { $0.1 <= 2 ? $0.0 : nil }
    }
}

// libFuzzer's minimisers.
extension Fuzzing {
    /// libFuzzer's `-minimize_crash=1` on a crash file (`environment` added to
    /// `Fuzzing.environment`: a defect to switch on, say), or on `bytes`
    /// when given (a text trace's bytes for the target). libFuzzer runs on
    /// a copy in a staging folder (`makeStaging`: its children get every
    /// path on a command line, which could not carry a space) and writes
    /// its result there; `output` is replaced (through a temporary file
    /// beside it, renamed onto it) only when this run produced a result: an
    /// older result at `output` is neither reported as this run's nor
    /// destroyed when the run produces nothing (the input no longer
    /// crashes, say). With `seed`, libFuzzer's mutations are seeded with it
    /// (`-seed=`), so one input minimises to one result; without, libFuzzer
    /// picks a seed of its own. `rewrite` turns the result into what
    /// `output` holds (a text trace, say). Returns libFuzzer's result as it
    /// wrote it (before `rewrite`); nil when libFuzzer wrote nothing.
    public static func libFuzzerMinimize(_ exe: String, input: String, bytes given: [UInt8]? = nil, output: String,
                                         runs: Int, seconds: Int, seed: Int? = nil, environment: [String: String] = [:],
                                         rewrite: ([UInt8]) -> [UInt8] = { $0 },
                                         log: (String) -> Void) throws(ToolError) -> [UInt8]? {
        let inputBytes: [UInt8]
        if let given { inputBytes = given } else { inputBytes = try readFile(input) }
        let staging = try makeStaging()
        defer { removeStaging(staging) }
        let fuzzer = try stage(exe, as: "fuzzer", in: staging)
        let staged = staging + "/input", result = staging + "/result"
        try writeFile(staged, inputBytes)
        let status: Int32
        do {
            status = try runProcess(fuzzer, ["-minimize_crash=1", "-runs=\(runs)", "-max_total_time=\(seconds)"]
                                        + (seed.map { ["-seed=\($0)"] } ?? [])
                                        + ["-exact_artifact_path=\(result)", staged],
                                    environment: Self.environment.merging(environment) { $1 }.merging(["TMPDIR": staging]) { $1 },
                                    cleanUp: removeLibFuzzerTemporaries, line: log)
        } catch {
            throw Interruption.saying("the minimiser stopped and wrote nothing to \(output)", error)
        }
        _ = status  // libFuzzer exits non-zero in this mode; the file is what counts.
        guard FileManager.default.fileExists(atPath: result), let bytes = try? readFile(result) else { return nil }
        try writeFile(output, rewrite(bytes))
        return bytes
    }

    /// libFuzzer's corpus minimiser (`-merge=1`) on the folder `corpus`
    /// (trailing slashes ignored): merged into a new folder beside it, which
    /// replaces the old one only once complete. Whatever fails, nothing is
    /// left behind but the corpus, and the error says where it is. A folder
    /// holding anything but plain files is refused (the swap would lose
    /// it). The swap itself finishes whatever signal comes (SIGINT, SIGTERM,
    /// SIGHUP), and one that came is then thrown as the interruption, saying
    /// the new corpus is in place. `keeping` (told whether a signal has
    /// come, to stop early) runs after the merge under the same guard: a
    /// signal then leaves the corpus as it was and nothing beside it.
    /// `keeping` and `swapping` run once the swap is guarded, in that order,
    /// before the swap starts (a test sends its signal from either).
    public static func cmin(_ exe: String, corpus given: String, keeping: (_ stopped: () -> Bool) -> [String] = { _ in [] },
                            log: (String) -> Void, swapping: () -> Void = {}) throws(ToolError) -> (before: Int, after: Int) {
        let corpus = OutputPaths.withoutTrailingSlashes(given)
        var isDirectory = false
        guard directoryExists(corpus, &isDirectory), isDirectory else { throw ToolError("\(given): no such corpus folder") }
        let name = corpus.split(separator: "/").last.map(String.init) ?? ""
        guard corpus != "/", name != ".", name != ".." else {
            throw ToolError("\(given): name the corpus folder by its own name (cmin replaces the folder)")
        }
        // The minimised corpus replaces the folder, and libFuzzer's merge
        // keeps plain files only: a folder or a link in it would be lost.
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted()
        for entry in entries {
            var info = stat()
            guard lstat(corpus + "/" + entry, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw ToolError("\(given): holds \(entry), which is not a plain input file (a folder or a link); "
                                + "cmin replaces the folder and would lose it: move it out first")
            }
        }
        // libFuzzer's merge lists the inputs in a control file, one a line,
        // that its child reads back line by line: a name with a line break
        // would be read as two names, and the merge fail.
        if let entry = entries.first(where: { $0.contains("\n") }) {
            throw ToolError("\(given): holds \(entry.debugDescription), whose name has a line break: libFuzzer's merge "
                            + "lists the inputs one a line in its control file and cannot read it; rename it first")
        }
        let before = files(in: corpus).count
        let fresh = corpus + ".cmin-new", old = corpus + ".cmin-old"
        // Not ours to remove: a failed swap leaves the old corpus in `old`
        // and says so, and the next run must not destroy it.
        for beside in [fresh, old] where FileManager.default.fileExists(atPath: beside) {
            throw ToolError("\(beside) exists (an earlier cmin's, or yours): cmin works in it and would destroy it; "
                            + "move it away or remove it first")
        }
        // The merge's child gets the folders and the binary on a command
        // line: it is given links to them in a staging folder.
        let staging = try makeStaging()
        defer { removeStaging(staging) }
        let fuzzer = try stage(exe, as: "fuzzer", in: staging)
        let stagedCorpus = try stage(corpus, as: "corpus", in: staging)
        let stagedFresh = try stage(fresh, as: "new", in: staging)
        try makeDirectory(fresh)
        let status: Int32
        do {
            status = try runProcess(fuzzer, ["-merge=1", stagedFresh, stagedCorpus],
                                    environment: Self.environment.merging(["TMPDIR": staging]) { $1 },
                                    cleanUp: removeLibFuzzerTemporaries, line: log)
        } catch {
            removeTree(fresh)
            throw Interruption.saying("the merge stopped; the corpus \(corpus) is unchanged", error)
        }
        guard status == 0 else {
            removeTree(fresh)
            throw ToolError("libFuzzer's merge failed (status \(status)); the corpus \(corpus) is unchanged", exitCode: 1)
        }
        // From here to the end of the swap a signal is held: before the swap
        // it stops the work and leaves the corpus as it was; during it, it
        // waits for the swap's end (a Ctrl-C between the two renames would
        // leave no corpus folder, and one during the removal half an old
        // corpus beside the new); either way it is reported, with what is
        // in place.
        let guarding = Interruption.forward()
        func interrupted(_ kept: String) -> ToolError? {
            guarding.restore()
            return guarding.received().map { Interruption.saying(kept, Interruption.error($0)) }
        }
        func stopIfInterrupted() throws(ToolError) {
            guard guarding.signalsSoFar > 0 else { return }
            removeTree(fresh)
            throw interrupted("cmin stopped after the merge; the corpus \(corpus) is unchanged")!
        }
        // Inputs the caller keeps whatever the merge did (ones that crash the
        // target, which a merge drops), under their names, unless the merge
        // kept their bytes already. Asked for only now, once every refusal
        // and the merge are behind (the corpus is still as it was).
        let keep = keeping { guarding.signalsSoFar > 0 }
        try stopIfInterrupted()
        if !keep.isEmpty {
            let kept = Set(files(in: fresh).compactMap { try? readFile($0) })
            for path in keep {
                guard let bytes = try? readFile(path), !kept.contains(bytes) else { continue }
                let name = (path as NSString).lastPathComponent
                do throws(ToolError) { try writeFile(fresh + "/" + name, bytes) } catch {
                    removeTree(fresh)
                    _ = interrupted("")
                    throw ToolError("cannot keep \(name) in the minimised corpus (\(error.message)); the corpus \(corpus) is unchanged")
                }
            }
        }
        // A merge keeps at least one input of a corpus that has any: nothing
        // kept means it read none (or every input crashed), never a corpus
        // to put in the old one's place.
        guard before == 0 || !files(in: fresh).isEmpty else {
            removeTree(fresh)
            _ = interrupted("")
            throw ToolError("libFuzzer's merge kept none of the \(before) inputs (every one crashed the target, or the merge "
                            + "read none); the corpus \(corpus) is unchanged", exitCode: 1)
        }
        swapping()
        guard rename(corpus, old) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTree(fresh)
            _ = interrupted("")
            throw ToolError("cannot swap in the minimised corpus (moving \(corpus) aside: \(reason)); the corpus \(corpus) is unchanged")
        }
        guard rename(fresh, corpus) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = interrupted("")
            if rename(old, corpus) == 0 {
                removeTree(fresh)
                throw ToolError("cannot swap in the minimised corpus (\(reason)); the corpus \(corpus) is unchanged")
            }
            throw ToolError("cannot swap in the minimised corpus (\(reason)); the old corpus is in \(old), the new one in \(fresh)")
        }
        removeTree(old)
        let after = files(in: corpus).count
        if let error = interrupted("the minimised corpus was already in place (\(before) -> \(after) inputs in \(corpus))") {
            throw error
        }
        return (before, after)
    }

    /// Removes a folder and what it holds, if it is there.
    private static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

// What a campaign does with the crash files it finds: tell the kinds apart,
// save a shrunk case without losing one already saved, and say where things
// are in paths that work from where the user is.
extension Fuzzing {
    /// What libFuzzer's artifact name says it found.
    public enum ArtifactKind: String, Sendable {
        case crash, outOfMemory = "out-of-memory", timeout, leak, other

        public init(path: String) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name.hasPrefix("crash-") { self = .crash }
            else if name.hasPrefix("oom-") { self = .outOfMemory }
            else if name.hasPrefix("timeout-") { self = .timeout }
            else if name.hasPrefix("leak-") { self = .leak }
            else { self = .other }
        }
    }

    /// Where a shrunk case is.
    public enum Saved: Equatable, Sendable {
        /// Written to a new file.
        case new(String)
        /// Written under a new name beside `existing`, a file of the same name
        /// holding another trace (which was left as it was).
        case beside(String, existing: String)
        /// A file in the folder already holds the same trace; nothing was written.
        case already(String)

        public var path: String {
            switch self {
            case .new(let path), .beside(let path, _), .already(let path): return path
            }
        }
    }

    /// The comment lines a saved case opens with: how it was found, what it
    /// broke, and the seeded defect it needs, if one was on.
    public static func regressionHeader(target: String, failure: TraceFailure, defect: String?) -> String {
        "# Found by alloccheck fuzz run \(target); fails with: \(failure.summary)\n" + (defect.map(defectHeader) ?? "")
    }

    /// The comment line of a case that needs seeded defect `defect`
    /// (`TraceInput.foundWithDefect` reads it back).
    public static func defectHeader(_ defect: String) -> String {
        "# Found with ALLOCCHECK_DEFECT=\(defect) (a seeded defect): it fails only with that defect "
            + "switched on and passes on the correct core\n"
    }

    /// Saves `trace` (after `header`) as `<name>.trace` in `folder`, creating
    /// the folder, and never loses what is there: when a file of the folder
    /// already holds the same trace (comments aside) nothing is written; when
    /// `<name>.trace` holds another trace, the case goes beside it as
    /// `<name>-2.trace` (or the next free number).
    public static func saveCase(_ trace: Trace, name: String, header: String, in folder: String) throws(ToolError) -> Saved {
        try makeDirectory(folder)
        let text = trace.text
        for path in files(in: folder) where path.hasSuffix(".trace") {
            guard let bytes = try? readFile(path), Trace.isText(bytes),
                  let saved = try? Trace(parsing: String(decoding: bytes, as: UTF8.self)) else { continue }
            if saved.text == text { return .already(path) }
        }
        let first = "\(folder)/\(name).trace"
        var path = first
        var number = 2
        while FileManager.default.fileExists(atPath: path) {
            path = "\(folder)/\(name)-\(number).trace"
            number += 1
        }
        try createFile(path, Array((header + text).utf8))
        return path == first ? .new(path) : .beside(path, existing: first)
    }

    /// Writes a new file; fails, touching nothing, when `path` already exists.
    static func createFile(_ path: String, _ bytes: [UInt8]) throws(ToolError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw ToolError("cannot write \(path): \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, bytes.count) }
        let failure = written == bytes.count ? nil : String(cString: strerror(errno))
        close(descriptor)
        if let failure {
            unlink(path)
            throw ToolError("cannot write \(path): \(failure)")
        }
    }

    /// `path` as the user types it from `directory`: relative when it is
    /// inside `directory`, else absolute.
    public static func displayPath(_ path: String, from directory: String) -> String {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        if path == base { return "." }
        if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
        return path
    }

    /// How to run this command again from the current folder, as one shell
    /// word for the commands it prints: the name the shell found on PATH
    /// (`alloccheck`), or else the path of the running executable, relative
    /// when it is inside the current folder (`swift run alloccheck` runs
    /// `.build/debug/alloccheck`, which is not on PATH).
    public static var selfCommand: String {
        let invoked = CommandLine.arguments.first ?? "alloccheck"
        guard invoked.contains("/") else { return shellWord(invoked) }
        let path = URL(fileURLWithPath: invoked).standardizedFileURL.path
        let shown = displayPath(path, from: FileManager.default.currentDirectoryPath)
        return shellWord(shown.contains("/") ? shown : "./" + shown)
    }

    /// `word` as one shell word: as it is when it holds no character the shell
    /// treats specially, else in single quotes.
    public static func shellWord(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The user's libFuzzer flags that matter when one input is run again
    /// (limits, timeouts, leak detection), without those of a campaign.
    public static func rerunFlags(_ flags: [String]) -> [String] {
        let campaignOnly: Set<String> = ["fork", "jobs", "workers", "max_total_time", "runs", "dict", "artifact_prefix",
                                         "exact_artifact_path", "merge", "print_final_stats", "ignore_crashes", "seed",
                                         "minimize_crash", "cleanse_crash", "seed_inputs"]
        return flags.filter { flag in
            guard flag.hasPrefix("-"), !flag.hasPrefix("--") else { return false }
            return !campaignOnly.contains(String(flag.dropFirst().prefix { $0 != "=" }))
        }
    }
}
