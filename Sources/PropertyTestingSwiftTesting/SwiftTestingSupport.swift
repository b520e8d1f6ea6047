// Swift Testing integration: one call inside `@Test` runs a property and,
// on failure, records an issue per distinct failure with its minimal
// counterexample, the seed and the replay string.
//
// A target of its own so that the engine (and everything built on it, the
// fuzz targets among them) needs no Swift Testing library at run time.
//
// Invariant: a failing property always records at least one issue, so the
// enclosing test fails, or, with no running Swift Testing test to record it
// in, stops the process; a passing property records none.

@_exported import PropertyTesting
import Testing

/// Runs a property inside a Swift Testing test.
///
/// The body signals a failure by throwing (`expect(...)`, `assume(...)`, any
/// error). Swift Testing's `#expect` inside this body is not seen by the
/// engine: each failing example records an issue of its own, nothing is
/// shrunk and the property passes. A failing `#require` records its issue
/// and throws, so the property fails too, with the expression and its
/// values as the error, but every failing example tried (shrinking
/// included) has recorded an issue. Use `propertyCheckWithExpect` (async)
/// for a body that uses them.
///
/// - Parameters:
///   - name: the property's name (default: the current test's name), which
///     also names its folder of saved regressions.
///   - saveRegressions: when `configuration.regressions` is `nil`, save to
///     and replay from `PropertyRegressions/` next to the calling test file
///     (each case of a parameterized test in a folder of its own).
/// - Returns: the report, for further assertions.
///
/// Call it inside a Swift Testing test only: with no running test
/// (`Test.current` is nil: an XCTest test, a detached task) a failing
/// property is a precondition failure quoting its report, since the issue
/// would reach no test. From XCTest use `checkProperty` and
/// `XCTAssert(report.passed, report.description)`.
@discardableResult
public func propertyCheck<Value>(
    _ name: String?, _ generator: Generator<Value>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    _ body: @escaping (Value) throws -> Void
) -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    let configuration = withDefaultRegressions(configuration, saveRegressions, filePath)
    let report = checkProperty(propertyName(name, location), generator, configuration: configuration) { value in
        try readableRequire { try body(value) }
    }
    recordIssues(report, at: location)
    return report
}

/// `propertyCheck(name, generator) { ... }` named after the current test:
/// `propertyCheck(Gen.ints()) { x in ... }`.
@discardableResult
public func propertyCheck<Value>(
    _ generator: Generator<Value>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    _ body: @escaping (Value) throws -> Void
) -> PropertyReport {
    propertyCheck(nil, generator, configuration: configuration, saveRegressions: saveRegressions,
                  fileID: fileID, filePath: filePath, line: line, column: column, body)
}

/// Runs a property that draws while it runs (see `checkProperty(_:configuration:drawing:)`) inside a test.
@discardableResult
public func propertyCheck(
    _ name: String? = nil, configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    drawing body: @escaping (TestCase) throws -> Void
) -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    let configuration = withDefaultRegressions(configuration, saveRegressions, filePath)
    let report = checkProperty(propertyName(name, location), configuration: configuration) { tc in
        try readableRequire { try body(tc) }
    }
    recordIssues(report, at: location)
    return report
}

/// Runs a state machine inside a test; the issue lists the minimal steps.
/// A machine none of whose rules ran a step in any example fails (see
/// `StateMachine.check(_:configuration:)`).
@discardableResult
public func propertyCheck<Model, System>(
    _ name: String?, _ machine: StateMachine<Model, System>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    let configuration = withDefaultRegressions(configuration, saveRegressions, filePath)
    let report = machine.check(propertyName(name, location), configuration: configuration, wrapping: { try readableRequire($0) })
    recordIssues(report, at: location)
    return report
}

/// `propertyCheck(name, machine)` named after the current test: `propertyCheck(machine)`.
@discardableResult
public func propertyCheck<Model, System>(
    _ machine: StateMachine<Model, System>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) -> PropertyReport {
    propertyCheck(nil, machine, configuration: configuration, saveRegressions: saveRegressions,
                  fileID: fileID, filePath: filePath, line: line, column: column)
}

func propertyName(_ name: String?, _ location: SourceLocation) -> String {
    name ?? Test.current?.name ?? "\(location.fileID):\(location.line)"
}

func withDefaultRegressions(_ configuration: PropertyConfiguration, _ save: Bool, _ filePath: String) -> PropertyConfiguration {
    guard save, configuration.regressions == nil, let slash = filePath.lastIndex(of: "/") else { return configuration }
    var c = configuration
    c.regressions = RegressionStore(directory: String(filePath[..<slash]) + "/PropertyRegressions",
                                    testCase: currentTestCaseName(), owner: currentTestOwner())
    return c
}

/// The running test as `Module.Suite/test()` (no source location, so moving
/// a test in its file keeps its saved cases), or nil outside a test.
func currentTestOwner() -> String? {
    Test.current.map { $0.id.moduleName + "." + $0.id.nameComponents.joined(separator: "/") }
}

/// The arguments of the running case of a parameterized test, as a folder
/// name (`k-1`, `a-x_b-2`: each parameter's name and its value as Swift
/// Testing describes it, or canonically, sorted, when it holds a set or a
/// dictionary); nil outside one, so a test without arguments keeps
/// the folder `PropertyRegressions/<property>` it always had.
///
/// Swift Testing keeps a case's arguments out of its public interface, so
/// they are read by reflection; should that ever find nothing, the case's
/// whole description stands in (hashed into the folder name).
func currentTestCaseName() -> String? {
    guard let testCase = Test.Case.current, testCase.isParameterized else { return nil }
    let arguments = Mirror(reflecting: testCase).descendant("_kind", "parameterized", "arguments") as? [Any] ?? []
    let parts = arguments.compactMap { argument -> String? in
        let mirror = Mirror(reflecting: argument)
        guard let value = mirror.descendant("value") else { return nil }
        let name = mirror.descendant("parameter", "firstName") as? String ?? "_"
        // A set or dictionary prints in hash order, another in each process:
        // its canonical (sorted) description keeps the case's folder.
        return name + "-" + (containsHashOrdered(value) ? reportDescription(value) : String(describingForTest: value))
    }
    guard !parts.isEmpty, parts.count == arguments.count else { return String(describing: testCase) }
    return parts.joined(separator: "_")
}

/// What a failing `propertyCheck` says when no Swift Testing test is
/// running (from an XCTest test, a detached task or a program), where an
/// issue it recorded would reach no test: the failure stops the process
/// instead of passing unseen.
func outsideSwiftTestingMessage(_ api: String, _ why: String) -> String {
    "\(api) ran outside a Swift Testing test (no Test.current: an XCTest test, a detached task or a program), "
        + "where \(why). In XCTest, call checkProperty and assert on its report: "
        + "let report = checkProperty(...); XCTAssert(report.passed, report.description)"
}

/// Records a failing report as issues of the running test: one per
/// distinct failure (`PropertyReport.failureDescriptions`), each with the
/// headline, its counterexample, error and replay string. Separate issues,
/// not one that lists them all: a test log and an IDE show each issue on
/// its own, so each failure reads (and is marked fixed) as the bug it is,
/// and the count of issues is the count of failures. With no
/// running Swift Testing test (`Test.current` is nil) the issue would
/// reach nothing and the caller's test would pass: a failing report is
/// then a precondition failure quoting the report (see `outsideSwiftTestingMessage`).
func recordIssues(_ report: PropertyReport, at location: SourceLocation, runningTest: Bool = Test.current != nil) {
    if !report.passed {
        precondition(runningTest, outsideSwiftTestingMessage("propertyCheck at \(location.fileID):\(location.line)",
                                                             "its failure would be dropped")
                     + "\n" + report.description)
        for text in report.failureDescriptions { Issue.record(Comment(rawValue: text), sourceLocation: location) }
    }
    for problem in report.regressionProblems {
        // A stale case is a warning: it may come from another test case or
        // an older library version (see `RegressionError.stale`), and it
        // must not fail a test whose code is right.
        if case .stale = problem {
            #if compiler(>=6.3)
            Issue.record(Comment(rawValue: problem.description), severity: .warning, sourceLocation: location)
            #else
            print("warning: " + problem.description)
            #endif
        } else {
            Issue.record(Comment(rawValue: problem.description), sourceLocation: location)
        }
    }
    if report.statisticsRequested { print("Statistics for '\(report.name)':\n\(report.statistics)") }
}
