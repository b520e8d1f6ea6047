import AllocCheckTool
import ArgumentParser
import Harness

struct Shrink: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Shrink a crash file to its minimal trace with the structure-aware shrinker.",
        discussion: "Keeps what broke fixed (the same invariants or predictions). Writes the minimal input (bytes, or "
            + "the text trace when OUT ends in .trace) and prints its trace, beside the length libFuzzer's "
            + "-minimize_crash=1 reaches on the same crash (skipped with --no-libfuzzer or when not in a checkout).")

    @Argument(help: "A failing byte input or text trace.") var file: String
    @Option(name: .shortAndLong, help: "Where to write the minimal input (default: <file>.min).") var output: String?
    @OptionGroup var target: TargetOption
    @Option(help: "Shrink calls to spend at most.") var maxCalls = 5000
    @Flag(help: "Do not run libFuzzer's minimiser for comparison.") var noLibfuzzer = false

    func validate() throws {
        guard maxCalls > 0 else { throw ValidationError("--max-calls must be positive") }
    }

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let input = try TraceInput(path: file, profile: try profile(named: target.target, forPath: file))
            if let defectNotice { print(defectNotice + "\n") }
            let result = try AllocCheckTool.Shrink.run(input, maxCalls: maxCalls)
            let out = output ?? file + ".min"
            try writeFile(out, out.hasSuffix(".trace") ? Array(result.minimal.text.utf8) : result.minimalBytes)
            print("Minimal trace (\(result.minimal.operations.count) operations, from \(result.original.operations.count); "
                  + "\(result.calls) shrink calls\(result.budgetExhausted ? ", budget exhausted: may not be minimal" : "")):")
            print(result.minimal.lines.map { "    " + $0 }.joined(separator: "\n"))
            print("\nIt fails with: \(result.failure.summary)")
            print("Written to \(out)")
            var libFuzzer: [UInt8]?
            if !noLibfuzzer, input.form == .bytes, let project = try? Project.find() {
                let exe = try Fuzzing.binary(project, input.profile, release: true) { print($0) }
                libFuzzer = try Fuzzing.libFuzzerMinimize(exe, input: file, output: out + ".libfuzzer", runs: 20_000,
                                                          seconds: 60) { _ in }
            }
            print("")
            print(AllocCheckTool.Shrink.comparison(ours: result, libFuzzer: libFuzzer, profile: input.profile,
                                                   originalBytes: input.bytes.count).joined(separator: "\n"))
            return 0
        }
    }
}
