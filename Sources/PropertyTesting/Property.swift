// What a property body can throw, and how failures are told apart.
//
// Invariant: two failures are "the same kind" exactly when their
// `failureKind` strings are equal; the shrinker keeps the kind fixed.

/// A failed expectation in a property body, with where it was raised.
public struct PropertyFailure: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let file: String
    public let line: Int

    public init(_ message: String, file: String = #fileID, line: Int = #line) {
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "\(message) (\(file):\(line))" }
}

/// Fails the property with `message` unless `condition` holds.
public func expect(_ condition: Bool, _ message: @autoclosure () -> String = "expectation failed",
                   file: String = #fileID, line: Int = #line) throws {
    if !condition { throw PropertyFailure(message(), file: file, line: line) }
}

/// Discards the current example unless `condition` holds (counted, not
/// failed; a property none of whose examples is accepted fails as unsatisfiable,
/// naming this call's location).
public func assume(_ condition: Bool, file: String = #fileID, line: Int = #line) throws {
    if !condition { throw GenerationStop.rejected(by: "assume() at \(file):\(line)") }
}

/// An error type may name its own failure kind (e.g. to merge or split failures).
public protocol FailureKindProviding: Error {
    var failureKind: String { get }
}

/// The kind of a failure: its type, plus the location for `PropertyFailure`.
func failureKind(of error: any Error) -> String {
    if let e = error as? FailureKindProviding { return e.failureKind }
    if let e = error as? PropertyFailure { return "PropertyFailure@\(e.file):\(e.line)" }
    return String(reflecting: type(of: error))
}
