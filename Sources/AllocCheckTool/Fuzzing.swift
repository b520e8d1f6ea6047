// The fuzzing subcommands' work: build the targets, run a campaign with a
// one-line progress display, and wrap libFuzzer's minimisers.

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

    /// The binary of `target`, built first when it is missing.
    public static func binary(_ project: Project, _ target: some FuzzTargetName, release: Bool, output: (String) -> Void) throws(ToolError) -> String {
        let path = project.binary(target, release: release)
        if !FileManager.default.isExecutableFile(atPath: path) {
            output("== \(target.name) is not built yet: building it")
            try build(project, targets: [target], release: release, output: output)
        }
        return path
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
        /// Crash files libFuzzer wrote, in the order it wrote them.
        public var crashes: [String] = []
        public var status: Int32 = 0
        /// The tail of libFuzzer's output (the crash report), for the user.
        public var lastLines: [String] = []
    }

    /// Runs libFuzzer on `target` for `seconds`: a working corpus seeded from
    /// the committed one (which is only read), artifacts in their own folder.
    public static func run(_ project: Project, _ target: some FuzzTargetName, seconds: Int, jobs: Int, release: Bool,
                           extraFlags: [String], output: (String) -> Void,
                           progress: (Progress, Double) -> Void) throws(ToolError) -> CampaignResult {
        let exe = try binary(project, target, release: release, output: output)
        let corpus = project.workingCorpus(target), artifacts = project.artifacts(target)
        try makeDirectory(corpus)
        try makeDirectory(artifacts)
        // Seed the working corpus with every committed seed it lacks.
        for seed in files(in: project.seeds(target)) {
            let copy = corpus + "/seed-" + (seed.split(separator: "/").last.map(String.init) ?? "seed")
            if !FileManager.default.fileExists(atPath: copy) { try writeFile(copy, try readFile(seed)) }
        }
        var flags = [corpus, "-artifact_prefix=\(artifacts)/", "-max_total_time=\(seconds)", "-print_final_stats=1"]
        if FileManager.default.fileExists(atPath: project.dictionary(target)) { flags.append("-dict=\(project.dictionary(target))") }
        if jobs > 1 { flags += ["-fork=\(jobs)", "-ignore_crashes=0"] }
        flags += extraFlags
        var result = CampaignResult()
        let start = Date()
        result.status = try runProcess(exe, flags, environment: environment, directory: project.root) { line in
            result.progress.update(from: line)
            result.lastLines.append(line)
            if result.lastLines.count > 60 { result.lastLines.removeFirst(result.lastLines.count - 60) }
            if let range = line.range(of: "Test unit written to ") {
                result.crashes.append(String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces))
            }
            if line.hasPrefix("#") { progress(result.progress, Date().timeIntervalSince(start)) }
        }
        return result
    }

    /// libFuzzer's own minimiser (`-minimize_crash=1`) on a crash file: the
    /// smallest crashing input it reaches within the budget, written to `output`.
    /// `environment` is added to `Fuzzing.environment` (a defect to switch on, say).
    public static func libFuzzerMinimize(_ exe: String, input: String, output: String, runs: Int, seconds: Int,
                                         environment extra: [String: String] = [:],
                                         log: (String) -> Void) throws(ToolError) -> [UInt8]? {
        let status = try runProcess(exe, ["-minimize_crash=1", "-runs=\(runs)", "-max_total_time=\(seconds)",
                                          "-exact_artifact_path=\(output)", input],
                                    environment: environment.merging(extra) { $1 }, line: log)
        _ = status  // libFuzzer exits non-zero in this mode; the file is what counts.
        guard FileManager.default.fileExists(atPath: output) else { return nil }
        return try? readFile(output)
    }

    /// libFuzzer's corpus minimiser (`-merge=1`) into a new folder; the old
    /// corpus is kept until the new one is complete, then swapped in.
    public static func cmin(_ exe: String, corpus: String, log: (String) -> Void) throws(ToolError) -> (before: Int, after: Int) {
        let before = files(in: corpus).count
        let fresh = corpus + ".cmin-new"
        try? FileManager.default.removeItem(atPath: fresh)
        try makeDirectory(fresh)
        let status = try runProcess(exe, ["-merge=1", fresh, corpus], environment: environment, line: log)
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: fresh)
            throw ToolError("libFuzzer's merge failed (status \(status)); the corpus \(corpus) is unchanged", exitCode: 1)
        }
        let old = corpus + ".cmin-old"
        try? FileManager.default.removeItem(atPath: old)
        do {
            try FileManager.default.moveItem(atPath: corpus, toPath: old)
            try FileManager.default.moveItem(atPath: fresh, toPath: corpus)
            try FileManager.default.removeItem(atPath: old)
        } catch {
            throw ToolError("cannot swap in the minimised corpus: \(error.localizedDescription) (the old corpus is in \(old))")
        }
        return (before, files(in: corpus).count)
    }
}
