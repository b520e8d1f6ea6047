// `shrink`: the structure-aware shrinker on a crash file, beside libFuzzer's
// own minimiser on the same crash.

import Harness
import PropertyTesting

public enum Shrink {
    public struct Result: Sendable {
        public let original: Trace
        public let minimal: Trace
        public let failure: TraceFailure
        public let minimalBytes: [UInt8]
        public let calls: Int
        public let budgetExhausted: Bool
    }

    /// Shrinks a failing input, judged after every step, keeping what broke
    /// fixed. Throws when the input passes (there is nothing to shrink).
    /// `stop` ends the shrink early (see `TraceProperty.shrink`).
    public static func run(_ input: TraceInput, maxCalls: Int = 5000, stop: (() -> Bool)? = nil) throws(ToolError) -> Result {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        guard let shrunk = TraceProperty.shrink(bytes: input.bytes, profile: input.profile, judge: judge, maxCalls: maxCalls,
                                                stop: stop) else {
            // Bytes decode as some trace of whatever target they are read as:
            // say which, since a crash of another target passes as this one.
            let decoded = input.form == .bytes
                ? " (its bytes decoded as an input of the \(input.profile.name) target; give --target if it is another's)" : ""
            let note = Replay.defectNote(input, rerunning: "shrink", "shrinks it").map { "; " + $0 } ?? ""
            throw ToolError("\(input.path): the input passes\(decoded), so there is nothing to shrink (replay it to see)" + note,
                            exitCode: 2)
        }
        return Result(original: input.trace, minimal: shrunk.trace, failure: shrunk.failure, minimalBytes: shrunk.bytes,
                      calls: shrunk.calls, budgetExhausted: shrunk.budgetExhausted)
    }

    /// How the minimal input of `input` is written to `output`. A text trace
    /// belongs to no target, and bytes are read back as the target a folder
    /// of their path names, so its bytes could replay as another trace: its
    /// result is text whatever `output` is named. A byte input's result is
    /// bytes of its target (what the fuzz binary runs), or text when
    /// `output` ends in `.trace`.
    public static func outputForm(of input: TraceInput, output: String) -> TraceInput.Form {
        input.form == .text || output.hasSuffix(".trace") ? .text : .bytes
    }

    /// What the "Written to" line adds for a result written as bytes that a
    /// plain `replay` would read as another target's (the input's target
    /// was given with --target, or `output` is in another target's folder).
    public static func replayHint(for input: TraceInput, output: String, form: TraceInput.Form) -> String {
        guard form == .bytes, profile(inferredFrom: output).name != input.profile.name else { return "" }
        return " (bytes of the \(input.profile.name) target: replay it with --target \(input.profile.name))"
    }

    /// The lines that compare our shrink with libFuzzer's on the same crash;
    /// `notRun` says why libFuzzer's row is empty when `libFuzzer` is nil.
    public static func comparison(ours: Result, libFuzzer: [UInt8]?, notRun: String = "not run", profile: Profile,
                                  originalBytes: Int) -> [String] {
        var lines = ["| minimiser | operations | bytes |", "|---|---:|---:|",
                     "| input | \(ours.original.operations.count) | \(originalBytes) |",
                     "| alloccheck shrink | \(ours.minimal.operations.count) | \(ours.minimalBytes.count) |"]
        if let libFuzzer {
            let trace = Trace.isText(libFuzzer) ? ((try? Trace(parsing: String(decoding: libFuzzer, as: UTF8.self))) ?? Trace())
                : Trace.decode(libFuzzer, profile: profile)
            lines.append("| libFuzzer -minimize_crash=1 | \(trace.operations.count) | \(libFuzzer.count) |")
        } else {
            lines.append("| libFuzzer -minimize_crash=1 | (\(notRun)) | |")
        }
        return lines
    }
}
