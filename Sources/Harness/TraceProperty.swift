// The one property every suite and fuzz target checks: a trace of a profile,
// drawn from the engine's choices, passes the judge. Fuzzer crash files,
// replay strings and saved regressions are all bytes of this property.

import PropertyTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Trace: CustomStringConvertible {
    public var description: String { text }
}

public enum TraceProperty {
    /// The drawing body: decode a trace of `profile`, run it through `judge`.
    /// A failure throws `TraceFailure`, whose kind (the broken invariants or
    /// predictions) the shrinker keeps fixed.
    public static func body<S: AllocatorUnderTest>(_ profile: Profile, judge: Judge<S>) -> (TestCase) throws -> Void {
        let generator = Trace.generator(profile)
        return { tc in
            let trace = try tc.draw(generator)
            do { try judge.run(trace) } catch let failure as TraceFailure {
                tc.note(failure.report(for: trace))
                throw failure
            }
        }
    }

    /// Shrinks a failing input with the integrated shrinker: the minimal trace,
    /// its failure and the engine's account of the shrink; nil when `bytes` pass.
    public static func shrink<S: AllocatorUnderTest>(bytes: [UInt8], profile: Profile, judge: Judge<S>,
                                                     maxCalls: Int = 5000) -> (trace: Trace, failure: TraceFailure, result: ShrinkResult)? {
        guard let result = PropertyTesting.shrink(bytes: bytes, maxCalls: maxCalls, body(profile, judge: judge)) else { return nil }
        let trace = Trace.decode(result.bytes, profile: profile)
        guard let failure = judge.check(trace) else { return nil }
        return (trace, failure, result)
    }
}

/// The body of every libFuzzer target: decode, judge, and on failure print
/// the one-line reason and the readable trace to stderr, then trap.
public enum FuzzEntry {
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, profile: Profile,
                           judge: Judge<AllocCheckSubject>) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        // Committed crash cases are readable text traces; everything else is bytes.
        let trace: Trace
        if Trace.isText(bytes) {
            guard let parsed = try? Trace(parsing: String(decoding: bytes, as: UTF8.self)) else { return 0 }
            trace = parsed
        } else {
            trace = Trace.decode(bytes, profile: profile)
        }
        if let failure = judge.check(trace) {
            var message = Array("AllocCheck \(profile.name): \(failure.summary)\n\n\(failure.report(for: trace))\n".utf8)
            _ = write(2, &message, message.count)
            abort()
        }
        return 0
    }
}
