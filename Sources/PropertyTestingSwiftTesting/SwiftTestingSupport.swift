// Swift Testing integration: one call inside `@Test` runs a property and,
// on failure, records an issue with the minimal counterexample, the seed and
// the replay string.
//
// A target of its own so that the engine (and everything built on it, the
// fuzz targets among them) needs no Swift Testing library at run time.
//
// Invariant: a failing property always records at least one issue, so the
// enclosing test fails; a passing property records none.

@_exported import PropertyTesting
import Testing

/// Runs a property inside a Swift Testing test.
///
/// The body signals a failure by throwing (`expect(...)`, `assume(...)`, any
/// error). Swift Testing's `#expect` and `#require` inside this body are not
/// seen by the engine: each failing example records an issue of its own and
/// nothing is shrunk. Use `propertyCheckWithExpect` (async) for a body that
/// uses them.
///
/// - Parameters:
///   - name: the property's name (default: the current test's name), which
///     also names its folder of saved regressions.
///   - saveRegressions: when `configuration.regressions` is `nil`, save to
///     and replay from `PropertyRegressions/` next to the calling test file.
/// - Returns: the report, for further assertions.
@discardableResult
public func propertyCheck<Value>(
    _ name: String? = nil, _ generator: Generator<Value>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    _ body: @escaping (Value) throws -> Void
) -> PropertyReport {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    let configuration = withDefaultRegressions(configuration, saveRegressions, filePath)
    let report = checkProperty(propertyName(name, location), generator, configuration: configuration, body)
    recordIssues(report, at: location)
    return report
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
    let report = checkProperty(propertyName(name, location), configuration: configuration, drawing: body)
    recordIssues(report, at: location)
    return report
}

/// Runs a state machine inside a test; the issue lists the minimal steps.
@discardableResult
public func propertyCheck<Model, System>(
    _ name: String? = nil, _ machine: StateMachine<Model, System>,
    configuration: PropertyConfiguration = PropertyConfiguration(), saveRegressions: Bool = true,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) -> PropertyReport {
    propertyCheck(name, configuration: configuration, saveRegressions: saveRegressions,
                  fileID: fileID, filePath: filePath, line: line, column: column, drawing: machine.run)
}

func propertyName(_ name: String?, _ location: SourceLocation) -> String {
    name ?? Test.current?.name ?? "\(location.fileID):\(location.line)"
}

func withDefaultRegressions(_ configuration: PropertyConfiguration, _ save: Bool, _ filePath: String) -> PropertyConfiguration {
    guard save, configuration.regressions == nil, let slash = filePath.lastIndex(of: "/") else { return configuration }
    var c = configuration
    c.regressions = RegressionStore(directory: String(filePath[..<slash]) + "/PropertyRegressions")
    return c
}

func recordIssues(_ report: PropertyReport, at location: SourceLocation) {
    if !report.passed { Issue.record(Comment(rawValue: report.description), sourceLocation: location) }
    for problem in report.regressionProblems { Issue.record(Comment(rawValue: problem.description), sourceLocation: location) }
    if report.statisticsRequested { print("Statistics for '\(report.name)':\n\(report.statistics)") }
}
