import AllocCheckTool
import ArgumentParser
import Foundation
import Harness

struct Shrink: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Shrink a crash file to its minimal trace with the structure-aware shrinker.",
        discussion: "Keeps what broke fixed (the same invariants or predictions). Writes the minimal trace as text for "
            + "a text trace (whatever OUT is named), and for a byte input as bytes of its target, or as text when OUT "
            + "ends in .trace; and prints its trace, beside the length libFuzzer's "
            + "-minimize_crash=1 reaches on the same crash (for a byte input; skipped with --no-libfuzzer, when not in a "
            + "checkout, or when the target's fuzz binary is not built).")

    @Argument(help: "A failing byte input or text trace.") var file: String
    @Option(name: .shortAndLong, help: "Where to write the minimal input (default: <file>.min).") var output: String?
    @Flag(help: "Replace an output file that exists.") var force = false
    @OptionGroup var target: TargetOption
    @Option(parsing: .unconditional, help: "Shrink calls to spend at most.") var maxCalls = 5000
    @Flag(help: "Do not run libFuzzer's minimiser for comparison.") var noLibfuzzer = false

    func validate() throws {
        guard maxCalls > 0 else { throw ValidationError("--max-calls must be positive") }
    }

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let input = try TraceInput(path: file, target: target.target)
            // Refused before any work: an output that cannot be written, or that is the input.
            let out = output ?? file + ".min"
            try OutputPaths.check(out, option: output == nil ? "the default output" : "-o", inputs: [file], replacing: force)
            let compare = !noLibfuzzer && input.form == .bytes
            // The comparison runs the target's fuzz binary, in a checkout where it is built.
            let project = compare ? try? Project.find() : nil
            let exe = project.map { $0.binary(input.profile, release: true) }
            let built = exe.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false
            if compare {
                try OutputPaths.check(out + ".libfuzzer", option: "the libFuzzer comparison's output", inputs: [file], replacing: force)
                // The fuzz binary would stop on it: refused now, not after the shrink is written.
                if built { try Fuzzing.checkEnvironment() }
            }
            if let defectNotice { say(defectNotice + "\n") }  // before any error line
            // In this process, with no child to forward a signal to: a Ctrl-C
            // ends the shrink at its next call, and nothing is written.
            let (guarding, stop) = guardShrinking()
            let shrunk = Result { () throws(ToolError) in try AllocCheckTool.Shrink.run(input, maxCalls: maxCalls, stop: stop) }
            guarding.restore()
            if let signal = guarding.received() {
                throw Interruption.saying("the shrink stopped and wrote nothing to \(out)", Interruption.error(signal))
            }
            let result = try shrunk.get()
            // A text case found with a seeded defect keeps saying so, as `fuzz run`'s cases do.
            let defect = AllocCheckSubject.defect?.rawValue ?? input.foundWithDefect
            let header = defect.map(Fuzzing.defectHeader) ?? ""
            let form = AllocCheckTool.Shrink.outputForm(of: input, output: out)
            try writeFile(out, form == .text ? Array((header + result.minimal.text).utf8) : result.minimalBytes)
            print("Minimal trace (\(counted(result.minimal.operations.count, "operation")), from \(result.original.operations.count); "
                  + "\(counted(result.calls, "shrink call"))\(result.budgetExhausted ? ", budget exhausted: may not be minimal" : "")):")
            print(result.minimal.lines.map { "    " + $0 }.joined(separator: "\n"))
            print("\nIt fails with: \(result.failure.summary)")
            print("Written to \(out)" + AllocCheckTool.Shrink.replayHint(for: input, output: out, form: form))
            var libFuzzer: [UInt8]?
            var notRun = compare ? "not run: no checkout to build the fuzz binary in" : "not run"
            if compare, let exe {
                // Not built for the comparison alone (minutes, for a figure beside the result).
                // Written under a new name and renamed into place: an old <out>.libfuzzer never passes for this run's.
                // A fixed seed: the same crash gives the same comparison.
                if !built {
                    notRun = "not run: the \(input.profile.name) fuzz binary is not built (\(Fuzzing.selfCommand) fuzz build "
                        + "\(input.profile.name) builds it)"
                } else { do throws(ToolError) {
                    libFuzzer = try Fuzzing.libFuzzerMinimize(exe, input: file, output: out + ".libfuzzer", runs: 20_000,
                                                              seconds: 60, seed: 1) { _ in }
                    notRun = "wrote nothing: it did not crash the fuzz binary"
                } catch {
                    // Our result is written: the comparison says why it is missing.
                    if error.interruptedBy != nil { throw error }
                    notRun = "not run: " + error.message
                } }
            }
            print("")
            print(AllocCheckTool.Shrink.comparison(ours: result, libFuzzer: libFuzzer, notRun: notRun, profile: input.profile,
                                                   originalBytes: input.bytes.count).joined(separator: "\n"))
            return 0
        }
    }
}

/// Forwarding handlers in place for a shrink in this process, and the
/// `stop` to give it: true once SIGINT, SIGTERM or SIGHUP has come. Restore
/// the handlers when the shrink ends. With `ALLOCCHECK_TEST_SHRINK_SIGNAL`
/// set, `stop` first sends that signal to the process: a test's signal at
/// the one point no timing from outside can hit.
func guardShrinking() -> (Interruption.Forwarding, () -> Bool) {
    let guarding = Interruption.forward()
    var testSignal = ProcessInfo.processInfo.environment["ALLOCCHECK_TEST_SHRINK_SIGNAL"].flatMap { Int32($0) }
    return (guarding, {
        if let signal = testSignal {
            testSignal = nil
            raise(signal)
        }
        return guarding.signalsSoFar > 0
    })
}
