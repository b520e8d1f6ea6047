// Running and shrinking a drawing property on a given byte string, for
// callers outside the engine (a fuzzer's crash files are byte strings in the
// engine's byte format, see `ChoiceSequence.bytes`).
//
// Invariant: these are the runner's own pieces (the executor, the shrinker
// and the final replay) without the search phase, so a byte string run here
// behaves exactly as the same example does inside `checkProperty(_:configuration:drawing:)`.

/// What one run of a drawing property on a byte string did.
public struct ByteRunResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case passed
        /// A filter or `assume` rejected the example.
        case discarded
        /// The example hit the choice limit or a decoding limit (nesting
        /// depth, bytes read past the end of the input).
        case overrun
        /// The body threw; `kind` is `failureKind(of:)` of the error (see
        /// `FailureKindProviding`), `message` is `String(describing:)` of it.
        case failed(kind: String, message: String)
    }

    public let outcome: Outcome
    /// The choices the run recorded.
    public let choices: ChoiceSequence
    /// The canonical bytes of those choices (`choices.bytes`): they replay to
    /// the same run, and differ from the input when the input had ranks that
    /// wrap, trailing bytes never read, or was short and read as zeros.
    public let bytes: [UInt8]
    /// Lines noted while running (`TestCase.note`, state-machine steps).
    public let notes: [String]
    public var choiceCount: Int { choices.count }

    init(_ execution: Execution) {
        switch execution.outcome {
        case .passed: outcome = .passed
        case .discarded: outcome = .discarded
        case .overrun: outcome = .overrun
        case .failed(let kind, let message): outcome = .failed(kind: kind, message: message)
        }
        choices = execution.sequence
        bytes = execution.sequence.bytes
        notes = execution.notes
    }
}

/// A minimal failure found by `shrink(bytes:maxCalls:_:)`.
public struct ShrinkResult: Sendable, Equatable {
    /// The failure kind, the same for the input and every accepted shrink.
    public let failureKind: String
    /// The error message of the minimal example.
    public let message: String
    /// The minimal example's canonical bytes (`choices.bytes`).
    public let bytes: [UInt8]
    /// The minimal example's choices.
    public let choices: ChoiceSequence
    /// Lines noted while running the minimal example (its steps, for a state machine).
    public let notes: [String]
    /// Choices recorded by the input, and bytes in the input as given.
    public let originalChoiceCount: Int
    public let originalByteCount: Int
    public var finalChoiceCount: Int { choices.count }
    public var finalByteCount: Int { bytes.count }
    /// Test-case runs the shrinker spent (at most `maxCalls`); the first run
    /// of the input and the final replay of the minimal example are not counted.
    public let calls: Int
    /// True when the call budget ran out before the passes converged: the
    /// result still fails the same way and is no larger than the input, but
    /// may not be minimal.
    public let budgetExhausted: Bool
}

/// Runs `body` once on `bytes` in the byte format. `body` draws from the test
/// case while it runs (as with `checkProperty(_:configuration:drawing:)`);
/// any byte string decodes, short input reading as simplest choices.
public func runOnce(bytes: [UInt8], _ body: (TestCase) throws -> Void) -> ByteRunResult {
    withoutActuallyEscaping(body) { body in
        ByteRunResult(drawingExecutor(body).run(TestCase(bytes: bytes))!)
    }
}

/// Shrinks the failure `body` shows on `bytes` with the integrated shrinker,
/// keeping the failure kind fixed (`failureKind(of:)`, which honours
/// `FailureKindProviding`). Returns nil when the input does not fail.
///
/// `body` draws from the test case while it runs, and is called once on the
/// input, up to `maxCalls` times while shrinking (never twice on the same
/// choices), and once more on the minimal example unless its most recent
/// failing call already was on it, so that its notes and message are those
/// of the minimal example. Deterministic: the same body and bytes give the
/// same result. `stop`, asked after every call while shrinking, ends the
/// shrink early when it returns true (the result then still fails, and
/// `budgetExhausted` is true).
public func shrink(bytes: [UInt8], maxCalls: Int = 5000, stop: (() -> Bool)? = nil,
                   _ body: @escaping (TestCase) throws -> Void) -> ShrinkResult? {
    let executor = drawingExecutor(body)
    let first = executor.run(TestCase(bytes: bytes))!
    guard first.outcome.failureKind != nil else { return nil }
    let shrinker = Shrinker(executor: executor, failing: first, maxCalls: maxCalls)
    shrinker.stop = stop
    shrinker.shrink()
    let minimal = shrinker.replayMinimal()
    guard case .failed(let kind, let message) = minimal.outcome else { preconditionFailure("the minimal example must fail") }
    return ShrinkResult(failureKind: kind, message: message, bytes: minimal.sequence.bytes, choices: minimal.sequence,
                        notes: minimal.notes, originalChoiceCount: first.sequence.count, originalByteCount: bytes.count,
                        calls: shrinker.calls, budgetExhausted: !shrinker.converged)
}

/// An executor for a body that draws while it runs: nothing is deduplicated,
/// since generation alone does not know the whole choice sequence.
private func drawingExecutor(_ body: @escaping (TestCase) throws -> Void) -> Executor {
    Executor(body: { tc in ("", nil, { try body(tc) }) }, deduplicates: false)
}
