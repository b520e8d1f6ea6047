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
// test records one issue per distinct failure (an `#expect` at another line
// is another): the report of its minimal example, which quotes the issue's
// text. Issues recorded outside body calls pass through.
//
// Only issues that are failures count: a known issue (inside
// `withKnownIssue`) and a warning pass through and are recorded as Swift
// Testing records them; a `withKnownIssue` whose body records nothing is
// itself a failure there ("known issue was not recorded") and so here,
// unless it is marked `isIntermittent`.
//
// Invariant: within a body call, the first failing issue recorded decides
// the failure; the call fails exactly when at least one was recorded.

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
            // A known issue (`withKnownIssue`) and a warning are not failures:
            // they pass through and are recorded as Swift Testing records them.
            guard s.active, issue.isFailure else { return false }
            if s.first == nil {
                let place = issue.sourceLocation.map { "\($0.fileID):\($0.line)" } ?? "unknown location"
                // Swift Testing's description ends with the severity, "(error)":
                // the place is more use in a counterexample's report, as `#require` gives it.
                var text = issue.description
                if text.hasSuffix(" (error)") { text.removeLast(" (error)".count) }
                s.first = RecordedIssueFailure(description: "\(text) (\(place))", failureKind: "issue@" + place)
            }
            return true
        }
    }

    /// Runs `call` as one body call; throws the first issue it recorded, if any.
    func during(_ call: () throws -> Void) throws {
        state.withLock { $0 = State(active: true, first: nil) }
        var thrown: (any Error)?
        // A `#require` whose issue was known (so not captured) still throws: it reads as its expectation.
        do { try readableRequire(hint: false, call) } catch { thrown = error }
        let first = state.withLock { s -> RecordedIssueFailure? in
            s.active = false
            return s.first
        }
        // An issue decides the failure even when the body also threw (`#require` does both).
        if let first { throw first }
        if let thrown { throw thrown }
    }
}

/// Runs `call`, turning the error a failing `#require` throws into one that
/// reads as Swift Testing shows the expectation (`Expectation failed: (x → 2) < 0`)
/// and whose failure kind is the expectation's location, as in
/// `propertyCheckWithExpect`. Swift Testing has already recorded the issue.
/// `hint` adds the pointer to `propertyCheckWithExpect` (for `propertyCheck`).
func readableRequire(hint: Bool = true, _ call: () throws -> Void) throws {
    do { try call() } catch let error as ExpectationFailedError {
        let place = "\(error.expectation.sourceLocation.fileID):\(error.expectation.sourceLocation.line)"
        let expression = Mirror(reflecting: error.expectation).descendant("evaluatedExpression").map(expandedExpression)
        let pointer = "; propertyCheck does not see Swift Testing's issues, so each failing example also recorded one: "
            + "use propertyCheckWithExpect for #expect and #require in a body"
        throw RecordedIssueFailure(description: "Expectation failed: \(expression ?? "#require") (\(place))" + (hint ? pointer : ""),
                                   failureKind: "issue@" + place)
    }
}

/// An evaluated `#expect`/`#require` expression with its values, close to
/// how Swift Testing prints it: `(x → 2) < 0`. Swift Testing keeps the
/// expansion out of its public interface, so the parts are read by reflection;
/// anything not recognised prints as its source code.
func expandedExpression(_ expression: Any) -> String {
    func value(_ e: Any) -> String? {
        Mirror(reflecting: e).descendant("runtimeValue", "some", "description") as? String
    }
    func expand(_ e: Any, top: Bool) -> String {
        let source = String(describing: e)
        var text = source
        if let operands = Mirror(reflecting: e).descendant("kind", "binaryOperation") {
            let parts = Mirror(reflecting: operands).children.map(\.value)
            if parts.count == 3, let op = parts[1] as? String {
                text = "\(expand(parts[0], top: false)) \(op) \(expand(parts[2], top: false))"
            }
        } else if top, let kind = Mirror(reflecting: e).descendant("kind") {
            // Other forms (calls, property accesses, negations): the source,
            // then each direct operand whose value differs from its source.
            var operands: [Any] = []
            func collect(_ v: Any) {
                if String(reflecting: type(of: v)).hasSuffix("__Expression") { operands.append(v); return }
                for child in Mirror(reflecting: v).children { collect(child.value) }
            }
            for child in Mirror(reflecting: kind).children { collect(child.value) }
            let shown = operands.compactMap { o -> String? in
                guard let v = value(o), v != String(describing: o) else { return nil }
                return "\(o) → \(v)"
            }
            if !shown.isEmpty { text += " (" + shown.joined(separator: ", ") + ")" }
        }
        guard !top, let v = value(e), v != source else { return text }
        return "(\(text) → \(v))"
    }
    return expand(expression, top: true)
}

/// Holds a non-Sendable value across the issue-handling scope, which only
/// ever runs it on the calling task.
private final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// The work every `propertyCheckWithExpect` shares: names the property,
/// sets up its regressions, runs `check` (given the name, the configuration
/// and the capture its body calls go through) inside a scope that hands
/// issues recorded during body calls to the capture, and records the
/// report's issues at the call site.
private func checkWithIssueCapture(
    _ name: String?, _ configuration: PropertyConfiguration, saveRegressions: Bool, _ location: SourceLocation,
    _ check: @escaping (String, PropertyConfiguration, IssueCapture) -> PropertyReport
) async -> PropertyReport {
    let configuration = withDefaultRegressions(configuration, saveRegressions, location.filePath)
    let capture = IssueCapture()
    let propertyName = propertyName(name, location)
    let run = { check(propertyName, configuration, capture) }
    let report: PropertyReport
    if let test = Test.current {
        let result = Box<PropertyReport?>(nil)
        let work = Box(run)
        let handler = IssueHandlingTrait.compactMapIssues { issue in capture.capture(issue) ? nil : issue }
        do {
            try await handler.provideScope(for: test, testCase: Test.Case.current) { result.value = work.value() }
        } catch {
            Issue.record(error, "the property could not run inside its issue-handling scope")
        }
        report = result.value ?? run()
    } else {
        // Outside a running test there is no record to take issues from, so
        // a failing `#expect` in the body would be seen by nothing and the
        // property would pass: stopped before it runs.
        preconditionFailure(outsideSwiftTestingMessage("propertyCheckWithExpect at \(location.fileID):\(location.line)",
                                                       "an #expect in its body reaches no test and no failure is seen"))
    }
    recordIssues(report, at: location)
    return report
}

/// Runs a property whose body may use Swift Testing's `#expect`, `#require`
/// and `Issue.record`: a recorded issue fails the property and is shrunk
/// like a thrown error (see the file header). Otherwise as `propertyCheck`.
///
/// Call it inside a Swift Testing test only: with no running test
/// (`Test.current` is nil: an XCTest test, a detached task) it is a
/// precondition failure before the property runs, passing or not, since
/// its body's `#expect` could fail nothing.
@discardableResult
public func propertyCheckWithExpect<Value>(
    _ name: String?, _ generator: Generator<Value>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    _ body: @escaping (Value) throws -> Void
) async -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    return await checkWithIssueCapture(name, configuration, saveRegressions: saveRegressions, location) { name, configuration, capture in
        checkProperty(name, generator, configuration: configuration) { value in try capture.during { try body(value) } }
    }
}

/// `propertyCheckWithExpect(name, generator) { ... }` named after the current
/// test: `await propertyCheckWithExpect(Gen.ints()) { x in #expect(...) }`.
@discardableResult
public func propertyCheckWithExpect<Value>(
    _ generator: Generator<Value>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    _ body: @escaping (Value) throws -> Void
) async -> PropertyReport {
    await propertyCheckWithExpect(nil, generator, configuration: configuration, saveRegressions: saveRegressions,
                                  fileID: fileID, filePath: filePath, line: line, column: column, body)
}

/// `propertyCheckWithExpect` for a body that draws while it runs.
@discardableResult
public func propertyCheckWithExpect(
    _ name: String? = nil, configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    drawing body: @escaping (TestCase) throws -> Void
) async -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    return await checkWithIssueCapture(name, configuration, saveRegressions: saveRegressions, location) { name, configuration, capture in
        checkProperty(name, configuration: configuration) { tc in try capture.during { try body(tc) } }
    }
}

/// Runs a state machine whose rules, `check` or invariants use `#expect`,
/// `#require` or `Issue.record`; a machine none of whose rules ran a step
/// fails, as with `propertyCheck(machine)`.
@discardableResult
public func propertyCheckWithExpect<Model, System>(
    _ name: String?, _ machine: StateMachine<Model, System>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) async -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    return await checkWithIssueCapture(name, configuration, saveRegressions: saveRegressions, location) { name, configuration, capture in
        machine.check(name, configuration: configuration, wrapping: { run in try capture.during(run) })
    }
}

/// `propertyCheckWithExpect(name, machine)` named after the current test.
@discardableResult
public func propertyCheckWithExpect<Model, System>(
    _ machine: StateMachine<Model, System>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) async -> PropertyReport {
    await propertyCheckWithExpect(nil, machine, configuration: configuration, saveRegressions: saveRegressions,
                                  fileID: fileID, filePath: filePath, line: line, column: column)
}
