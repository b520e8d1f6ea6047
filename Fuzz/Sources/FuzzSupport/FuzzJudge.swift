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
    /// The judging mode, read once at start: `ALLOCCHECK_FULL_CHECKS=1` runs
    /// every invariant after every step (slower, finds a broken invariant at
    /// the step that broke it); otherwise local checks every step and full
    /// checks every 16 steps and at the end.
    public static var configuration: JudgeConfiguration {
        guard let value = getenv("ALLOCCHECK_FULL_CHECKS").map({ String(cString: $0) }) else { return .standard }
        return value.isEmpty || value == "0" ? .standard : .everyStep
    }

    /// A judge with its own arena buffer, reused for every input.
    public static func make() -> Judge<AllocCheckSubject> {
        Judge<AllocCheckSubject>(configuration: configuration)
    }
}
