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
    /// stops the target with a one-line error and exit status 2, before
    /// libFuzzer runs any input (`LLVMFuzzerInitialize`, FuzzEnvironment.swift).
    public static var configuration: JudgeConfiguration {
        switch configuration(fromEnvironment: getenv("ALLOCCHECK_FULL_CHECKS").map { String(cString: $0) }) {
        case .success(let configuration): return configuration
        case .failure(let problem): FuzzEnvironment.stop(problem.message)
        }
    }

    /// An `ALLOCCHECK_FULL_CHECKS` value that names no judging mode.
    public struct BadValue: Error {
        public let message: String
    }

    /// The judging mode `value` (the variable's value, nil when unset) names.
    public static func configuration(fromEnvironment value: String?) -> Result<JudgeConfiguration, BadValue> {
        guard let value, !value.isEmpty else { return .success(.standard) }
        if value == "end" { return .success(JudgeConfiguration(fullCheckInterval: nil)) }
        if value == "model-only" { return .success(.modelOnly) }
        guard let interval = Int(value), interval >= 1 else {
            return .failure(BadValue(message: "ALLOCCHECK_FULL_CHECKS must be a number of steps (1 or more), 'end' or "
                                     + "'model-only', not '\(value)'"))
        }
        return .success(JudgeConfiguration(fullCheckInterval: interval))
    }

    /// A judge with its own arena buffer, reused for every input.
    public static func make() -> Judge<AllocCheckSubject> {
        Judge<AllocCheckSubject>(configuration: configuration)
    }
}
