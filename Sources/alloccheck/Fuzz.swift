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

        func run() throws {
            try perform { () throws(ToolError) -> Int32 in
                let project = try Project.find()
                var targets = FuzzTarget.all
                if let target { targets = [try FuzzTarget.named(target)] }
                try Fuzzing.build(project, targets: targets, release: !debug) { print($0) }
                return 0
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a fuzz campaign on a target.",
            discussion: "Builds the target when needed, fuzzes a working corpus in .fuzz/<target>/corpus seeded from "
                + "corpus/<target>/ (which is never modified), with crash files in .fuzz/<target>/artifacts. A crash is "
                + "shrunk to its minimal trace and saved as a regression in Fuzz/crashes/<target>/. Flags after -- go "
                + "to libFuzzer. Exit status 1 when a crash was found.")
        @Argument(help: "The target: pages, exact, slab, kmalloc, mixed, checkers or decoding.") var target: String
        @Option(help: "Seconds to fuzz.") var time = 60
        @Option(help: "Fuzz with N processes (libFuzzer's fork mode).") var jobs = 1
        @Flag(help: "Fuzz a debug build.") var debug = false
        @Argument(parsing: .postTerminator, help: "libFuzzer flags, after --.") var libFuzzerFlags: [String] = []

        func validate() throws {
            guard time > 0 else { throw ValidationError("--time must be positive") }
            guard jobs > 0 else { throw ValidationError("--jobs must be positive") }
        }

        func run() throws {
            try perform { () throws(ToolError) -> Int32 in
                let project = try Project.find()
                let target = try FuzzTarget.named(self.target)
                if let defectNotice { print(defectNotice) }
                var lastDraw = 0.0
                let result = try Fuzzing.run(project, target, seconds: time, jobs: jobs, release: !debug,
                                             extraFlags: libFuzzerFlags, output: { print($0) }) { p, elapsed in
                    guard elapsed - lastDraw >= (isTerminal ? 0.25 : 10) else { return }
                    lastDraw = elapsed
                    let line = "[\(clockTime(elapsed)) elapsed, \(clockTime(max(0, Double(time) - elapsed))) left] "
                        + "\(p.execPerSecond) exec/s  cov \(p.coverage)  ft \(p.features)  corpus \(p.corpus)  "
                        + "\(p.executions) runs"
                    printNow(isTerminal ? "\r\u{1B}[K" + line : line + "\n")
                }
                if isTerminal { printNow("\n") }
                let p = result.progress
                print("\(target.name): \(p.executions) runs, \(p.execPerSecond) exec/s, cov \(p.coverage), ft \(p.features), "
                      + "corpus \(p.corpus) in \(project.workingCorpus(target))")
                guard let crash = result.crashes.first else {
                    if result.status != 0 {
                        print(result.lastLines.suffix(20).joined(separator: "\n"))
                        throw ToolError("libFuzzer stopped with status \(result.status) and no crash file", exitCode: 2)
                    }
                    print("no crash")
                    return 0
                }
                guard let profile = target.profile else {
                    // Not a trace: libFuzzer's own report says what broke.
                    print("\nCRASH: \(crash)\n" + result.lastLines.suffix(40).joined(separator: "\n"))
                    print("\nReproduce: \(project.binary(target, release: !debug)) \(crash)")
                    return 1
                }
                try reportCrash(crash, project: project, profile: profile, fuzzerOutput: result.lastLines)
                return 1
            }
        }

        private func reportCrash(_ crash: String, project: Project, profile: Profile, fuzzerOutput: [String]) throws(ToolError) {
            print("\nCRASH: \(crash)")
            let input = try TraceInput(path: crash, profile: profile)
            let (name, saved): (String, String)
            if let result = try? AllocCheckTool.Shrink.run(input) {
                name = AllocCheckTool.EmitTest.source(for: result.minimal, failure: result.failure).fileName
                    .replacingOccurrences(of: ".swift", with: "")
                try makeDirectory(project.regressions(profile))
                saved = "\(project.regressions(profile))/\(name).trace"
                try writeFile(saved, Array(("# Found by alloccheck fuzz run \(profile.name); fails with: \(result.failure.summary)\n"
                                             + result.minimal.text).utf8))
                print("Shrunk from \(input.trace.operations.count) to \(result.minimal.operations.count) operations; "
                      + "it fails with: \(result.failure.summary)\n")
                print(result.failure.report(for: result.minimal))
            } else {
                // The judge outside libFuzzer passes it: show libFuzzer's own report.
                print(fuzzerOutput.suffix(40).joined(separator: "\n"))
                saved = crash
            }
            let relative = saved.hasPrefix(project.root + "/") ? String(saved.dropFirst(project.root.count + 1)) : saved
            print("""

                Saved as a regression: \(relative) (commit it: swift test and CI replay it)
                Reproduce:        alloccheck replay \(relative)
                Picture it:       alloccheck view \(relative) --html crash.html
                Make it a test:   alloccheck emit-test \(relative) --into Tests/<YourTests>
                The raw crash:    alloccheck replay --target \(profile.name) \(crash)
                """)
        }
    }
}

struct Tmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Minimise a crash file with libFuzzer's -minimize_crash=1 (compare: alloccheck shrink).")
    @Argument(help: "A crash file (bytes).") var file: String
    @OptionGroup var target: TargetOption
    @Option(name: .shortAndLong, help: "Where to write the result (default: <file>.tmin).") var output: String?
    @Option(help: "libFuzzer runs to spend.") var runs = 20_000

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let project = try Project.find()
            let input = try TraceInput(path: file, profile: try profile(named: target.target, forPath: file))
            let exe = try Fuzzing.binary(project, input.profile, release: true) { print($0) }
            let out = output ?? file + ".tmin"
            guard let bytes = try Fuzzing.libFuzzerMinimize(exe, input: file, output: out, runs: runs, seconds: 300, log: { _ in }) else {
                throw ToolError("libFuzzer's minimiser wrote nothing: does \(file) crash the \(input.profile.name) target?", exitCode: 1)
            }
            let trace = Trace.decode(bytes, profile: input.profile)
            print("libFuzzer -minimize_crash=1: \(input.bytes.count) -> \(bytes.count) bytes, "
                  + "\(input.trace.operations.count) -> \(trace.operations.count) operations; written to \(out)")
            print(trace.text, terminator: "")
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
            let project = try Project.find()
            let fuzzTarget = try FuzzTarget.named(target)
            let folder = corpus ?? project.workingCorpus(fuzzTarget)
            var isDirectory = false
            guard directoryExists(folder, &isDirectory), isDirectory else { throw ToolError("\(folder): no such corpus folder") }
            let exe = try Fuzzing.binary(project, fuzzTarget, release: true) { print($0) }
            let (before, after) = try Fuzzing.cmin(exe, corpus: folder) { _ in }
            print("\(folder): \(before) -> \(after) inputs")
            return 0
        }
    }
}

func clockTime(_ seconds: Double) -> String {
    let s = Int(seconds)
    return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)"
}
