// The trace targets' environment, checked once before libFuzzer runs any input.

import AllocCheck

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum FuzzEnvironment {
    /// Checks `ALLOCCHECK_DEFECT` and `ALLOCCHECK_FULL_CHECKS`; a value that
    /// names nothing stops the process (`stop`). Run from
    /// `LLVMFuzzerInitialize`, so the judge, which reads both lazily at the
    /// first input, never meets a bad value while libFuzzer runs an input.
    public static func check() {
        do { _ = try Defect(environmentValue: getenv(Defect.environmentVariable).map { String(cString: $0) }) } catch {
            stop("\(error)")
        }
        if case .failure(let problem) = FuzzJudge.configuration(fromEnvironment: getenv("ALLOCCHECK_FULL_CHECKS").map {
            String(cString: $0)
        }) {
            stop(problem.message)
        }
    }

    /// Prints `error: <message>` on stderr and ends the process with status 2.
    /// `_exit`, not `exit`: libFuzzer's exit handler would report a call to
    /// `exit` as a crash of the input being run and save it as a crash file.
    public static func stop(_ message: String) -> Never {
        var line = Array("error: \(message)\n".utf8)
        _ = write(2, &line, line.count)
        _exit(2)
    }
}

/// libFuzzer calls this once, before it reads the corpus or runs any input
/// (a weak symbol in libFuzzer: defined here, it is linked into every trace target).
@_cdecl("LLVMFuzzerInitialize")
public func allocCheckFuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>?,
                                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    FuzzEnvironment.check()
    return 0
}
