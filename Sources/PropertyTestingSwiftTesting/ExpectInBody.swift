// Swift Testing's #expect and #require inside a property body.
//
// `propertyCheck` runs its body synchronously and cannot see issues that
// Swift Testing records: a failing `#expect` in its body records one issue
// per failing example, with no shrinking, and the property itself passes.
// `propertyCheckWithExpect` (async) runs the whole property inside an
// issue-handling scope (Swift Testing's `IssueHandlingTrait`): an issue
// recorded while the body runs is taken out of the test's record and turns
// that call into a failure of the property, whose kind is the issue's
// source location. The property then shrinks as with `expect(...)`, and the
// test records one issue: the report of the minimal example, which quotes
// the issue's text. Issues recorded outside body calls pass through.
//
// Invariant: within a body call, the first issue recorded decides the
// failure; the call fails exactly when at least one issue was recorded.

import Synchronization
@_exported import PropertyTesting
import Testing

/// The failure a body call records through Swift Testing (`#expect`, `#require`, `Issue.record`).
public struct RecordedIssueFailure: Error, FailureKindProviding, CustomStringConvertible, Sendable {
    /// The issue as Swift Testing describes it.
    public let description: String
    /// "issue@<fileID>:<line>": each `#expect` is its own kind of failure.
    public let failureKind: String
}

/// Issues recorded during body calls, kept out of the test's own record.
final class IssueCapture: Sendable {
    private struct State {
        var active = false
        var first: RecordedIssueFailure?
    }
    private let state = Mutex(State())

    /// Called by the issue handler: true when the issue was captured (and must not be recorded).
    func capture(_ issue: Issue) -> Bool {
        state.withLock { s in
            guard s.active, issue.severity >= .error else { return false }
            if s.first == nil {
                let place = issue.sourceLocation.map { "\($0.fileID):\($0.line)" } ?? "unknown location"
                s.first = RecordedIssueFailure(description: issue.description, failureKind: "issue@" + place)
            }
            return true
        }
    }

    /// Runs `call` as one body call; throws the first issue it recorded, if any.
    func during(_ call: () throws -> Void) throws {
        state.withLock { $0 = State(active: true, first: nil) }
        var thrown: (any Error)?
        do { try call() } catch { thrown = error }
        let first = state.withLock { s -> RecordedIssueFailure? in
            s.active = false
            return s.first
        }
        // An issue decides the failure even when the body also threw (`#require` does both).
        if let first { throw first }
        if let thrown { throw thrown }
    }
}

/// Holds a non-Sendable value across the issue-handling scope, which only
/// ever runs it on the calling task.
private final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// Runs `run` inside a scope that hands issues recorded during body calls to `capture`.
private func withIssueCapture(_ capture: IssueCapture, _ run: @escaping () -> PropertyReport) async -> PropertyReport {
    let result = Box<PropertyReport?>(nil)
    let work = Box(run)
    guard let test = Test.current else {
        // Outside a running test there is no record to take issues from.
        return run()
    }
    let handler = IssueHandlingTrait.compactMapIssues { issue in capture.capture(issue) ? nil : issue }
    do {
        try await handler.provideScope(for: test, testCase: Test.Case.current) { result.value = work.value() }
    } catch {
        Issue.record(error, "the property could not run inside its issue-handling scope")
    }
    return result.value ?? run()
}

/// Runs a property whose body may use Swift Testing's `#expect`, `#require`
/// and `Issue.record`: a recorded issue fails the property and is shrunk
/// like a thrown error (see the file header). Otherwise as `propertyCheck`.
@discardableResult
public func propertyCheckWithExpect<Value>(
    _ name: String? = nil, _ generator: Generator<Value>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    _ body: @escaping (Value) throws -> Void
) async -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    let configuration = withDefaultRegressions(configuration, saveRegressions, filePath)
    let capture = IssueCapture()
    let propertyName = propertyName(name, location)
    let report = await withIssueCapture(capture) {
        checkProperty(propertyName, generator, configuration: configuration) { value in try capture.during { try body(value) } }
    }
    recordIssues(report, at: location)
    return report
}

/// `propertyCheckWithExpect` for a body that draws while it runs.
@discardableResult
public func propertyCheckWithExpect(
    _ name: String? = nil, configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    drawing body: @escaping (TestCase) throws -> Void
) async -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    let configuration = withDefaultRegressions(configuration, saveRegressions, filePath)
    let capture = IssueCapture()
    let propertyName = propertyName(name, location)
    let report = await withIssueCapture(capture) {
        checkProperty(propertyName, configuration: configuration) { tc in try capture.during { try body(tc) } }
    }
    recordIssues(report, at: location)
    return report
}
