// Generators: values as functions of a choice sequence.
//
// Invariant: a generator reads choices only through its `TestCase`, so the
// value it returns is determined by the choices recorded for it. Every draw
// is wrapped in a labelled span, which is what the shrinker edits.

/// Produces values of `Value` from the choices of a `TestCase`.
public struct Generator<Value>: Sendable {
    /// The label of the span around every draw (used by statistics and by
    /// the shrinker, which swaps sub-draws with equal labels).
    public let label: String
    let body: @Sendable (TestCase) throws -> Value

    /// A generator from a draw function. Draw only through `testCase`.
    public init(label: String = "custom", _ body: @escaping @Sendable (TestCase) throws -> Value) {
        self.label = label
        self.body = body
    }

    /// The same draws under another label.
    public func labeled(_ label: String) -> Generator<Value> {
        Generator(label: label, body)
    }

    public func map<T>(_ transform: @escaping @Sendable (Value) throws -> T) -> Generator<T> {
        Generator<T>(label: label) { tc in try transform(tc.draw(self)) }
    }

    /// Keeps values satisfying `predicate`, retrying up to `attempts` times;
    /// after that the whole example is discarded (and counted as such). A
    /// property none of whose examples passes the filter fails as
    /// unsatisfiable, naming the filter by its source location. `attempts`
    /// must be at least 1.
    public func filter(attempts: Int = 3, file: String = #fileID, line: Int = #line,
                       _ predicate: @escaping @Sendable (Value) -> Bool) -> Generator<Value> {
        precondition(attempts >= 1, "filter(attempts:) must be at least 1, not \(attempts)")
        let location = "filter at \(file):\(line)"
        return Generator(label: label + ".filter") { tc in
            // The rejected attempts have no part in the value once one is
            // accepted: replayed without them, the first attempt reads the
            // accepted one's choices (`TestCase.dropClosedSpans`).
            var rejected: [Int] = []
            for _ in 0..<attempts {
                let attempt = tc.spans.count
                let value = try tc.draw(self)
                if predicate(value) {
                    tc.dropClosedSpans(rejected)
                    return value
                }
                rejected.append(attempt)
            }
            tc.discardedByFilter = true
            try tc.reject(location)
        }
    }

    /// Draws a value, then draws from the generator it selects.
    public func flatMap<T>(_ next: @escaping @Sendable (Value) throws -> Generator<T>) -> Generator<T> {
        Generator<T>(label: label + ".bind") { tc in
            let first = try tc.draw(self)
            return try tc.draw(next(first))
        }
    }

    /// Draws `Value` from a fresh example built from `bytes` (never fails to decode).
    public func value(fromBytes bytes: [UInt8]) throws -> Value {
        try TestCase(bytes: bytes).draw(self)
    }
}

/// Namespace for the built-in generators: `Gen.integers(...)`, `Gen.arrays(...)`, ….
public enum Gen {}

extension Gen {
    /// Always `value`, drawing nothing.
    public static func just<T: Sendable>(_ value: T) -> Generator<T> {
        Generator(label: "just") { _ in value }
    }

    /// A generator built on first use: for recursive definitions that refer
    /// to themselves (`Gen.lazy { expression() }`). Each use counts as one
    /// level of nesting (`TestCase.maxNesting`), so a definition that only
    /// refers to itself ends in an overrun, not a stack overflow.
    public static func lazy<T>(_ make: @escaping @Sendable () -> Generator<T>) -> Generator<T> {
        Generator(label: "lazy") { tc in try tc.nested { try make().body(tc) } }
    }
}
