// The judge every fuzz target runs its inputs through.

import Harness

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum FuzzJudge {
    /// The judging mode, read once at start from `ALLOCCHECK_FULL_CHECKS`:
    /// unset or empty, the standard mode (local checks every step, full
    /// checks every 64 steps and at the end); a number N >= 1, full checks
    /// every N steps and at the end (1: after every step, slower, finds a
    /// broken invariant at the step that broke it); `end`, full checks only
    /// after the last step; `model-only`, no invariant check at all (the
    /// model's predictions and the data patterns only: a measurement of what
    /// the checks cost, not a mode to search for bugs in). Anything else
    /// stops the target with a one-line error.
    public static var configuration: JudgeConfiguration {
        guard let value = getenv("ALLOCCHECK_FULL_CHECKS").map({ String(cString: $0) }), !value.isEmpty else {
            return .standard
        }
        if value == "end" { return JudgeConfiguration(fullCheckInterval: nil) }
        if value == "model-only" { return .modelOnly }
        guard let interval = Int(value), interval >= 1 else {
            var line = Array("error: ALLOCCHECK_FULL_CHECKS must be a number of steps (1 or more), 'end' or 'model-only', not '\(value)'\n".utf8)
            _ = write(2, &line, line.count)
            _exit(64)  // not exit: libFuzzer would report the exit as a crash and save the input
        }
        return JudgeConfiguration(fullCheckInterval: interval)
    }

    /// A judge with its own arena buffer, reused for every input.
    public static func make() -> Judge<AllocCheckSubject> {
        Judge<AllocCheckSubject>(configuration: configuration)
    }
}
