// Stateful tests: rules applied to a system and a model, step by step.
//
// A run is one choice sequence: per step, an "another step?" boolean, the
// index of a rule among those whose precondition holds, then the rule's own
// draws. Each step is one span, so the ordinary shrinker removes steps
// (deleting spans) and simplifies arguments (lowering choices); there is no
// separate command-list shrinker. Invariant: every step actually run is
// noted as one readable line, so the report of a shrunk failure is exactly
// its minimal step list.

/// What a rule can do while it runs: draw arguments, and produce or pick
/// values kept from earlier steps (handles, ids, keys).
public struct Step {
    let testCase: TestCase
    var arguments: [String] = []
    var produced: String?
    /// Values produced by earlier steps, per bundle name, in production order.
    var bundles: [(name: String, entries: [(variable: String, value: Any)])]
    var nextVariable: Int

    /// Draws an argument; it appears as `label: value` in the step's line.
    public mutating func draw<T>(_ generator: Generator<T>, _ label: String) throws -> T {
        let value = try testCase.draw(generator)
        arguments.append("\(label): \(value)")
        return value
    }

    /// Keeps `value` in `bundle` for later steps; the step's line reads `vN = rule(...)`.
    @discardableResult
    public mutating func produce<T>(_ value: T, into bundle: String) -> String {
        nextVariable += 1
        let variable = "v\(nextVariable)"
        if let k = bundles.firstIndex(where: { $0.name == bundle }) {
            bundles[k].entries.append((variable, value))
        } else {
            bundles.append((bundle, [(variable, value)]))
        }
        produced = (produced.map { $0 + ", " } ?? "") + variable
        return variable
    }

    /// The number of values in `bundle` (use in preconditions via the model, or to skip).
    public func count(of bundle: String) -> Int {
        bundles.first(where: { $0.name == bundle })?.entries.count ?? 0
    }

    /// Picks a value produced earlier into `bundle` (shrinks towards the
    /// first produced); `remove` takes it out for good. Discards the example
    /// when the bundle is empty.
    public mutating func pick<T>(from bundle: String, as type: T.Type = T.self, label: String, remove: Bool = false) throws -> T {
        guard let k = bundles.firstIndex(where: { $0.name == bundle }), !bundles[k].entries.isEmpty else {
            try testCase.reject("pick from the empty bundle '\(bundle)'")
        }
        let index = Int(try testCase.drawInteger(IntegerConstraints(min: 0, max: Int64(bundles[k].entries.count - 1))))
        let entry = bundles[k].entries[index]
        if remove { bundles[k].entries.remove(at: index) }
        guard let value = entry.value as? T else {
            preconditionFailure("bundle '\(bundle)' holds \(Swift.type(of: entry.value)), not \(T.self)")
        }
        arguments.append("\(label): \(entry.variable)")
        return value
    }
}

/// A rule-based state machine over a `Model` (the reference) and a `System` (under test).
public struct StateMachine<Model, System> {
    /// One kind of step.
    public struct Rule {
        public let name: String
        let precondition: (Model) -> Bool
        let body: (inout Model, System, inout Step) throws -> Void

        /// `body` applies the step to both model and system, drawing its
        /// arguments from `step`; it runs only when `precondition(model)` holds.
        public init(_ name: String, precondition: @escaping (Model) -> Bool = { _ in true },
                    _ body: @escaping (inout Model, System, inout Step) throws -> Void) {
            self.name = name
            self.precondition = precondition
            self.body = body
        }
    }

    let makeModel: () -> Model
    let makeSystem: () -> System
    let rules: [Rule]
    let check: (Model, System) throws -> Void
    let invariants: [(name: String, holds: (System) throws -> Void)]
    let maxSteps: Int

    /// - Parameters:
    ///   - check: compares model and system after every step.
    ///   - invariants: checked on the system after every step.
    public init(model: @escaping () -> Model, system: @escaping () -> System, rules: [Rule],
                check: @escaping (Model, System) throws -> Void = { _, _ in },
                invariants: [(name: String, holds: (System) throws -> Void)] = [], maxSteps: Int = 50) {
        precondition(!rules.isEmpty, "a state machine needs at least one rule")
        precondition(maxSteps >= 0, "maxSteps must be non-negative, not \(maxSteps)")
        self.makeModel = model
        self.makeSystem = system
        self.rules = rules
        self.check = check
        self.invariants = invariants
        self.maxSteps = maxSteps
    }

    /// Runs one sequence of steps drawn from `testCase`, noting each step.
    public func run(_ testCase: TestCase) throws {
        var model = makeModel()
        let system = makeSystem()
        var bundles: [(name: String, entries: [(variable: String, value: Any)])] = []
        var variables = 0
        let average = testCase.size * 20 + 1
        for _ in 0..<maxSteps {
            testCase.startSpan("state-machine.step")
            defer { testCase.endSpan() }
            guard try testCase.drawBoolean(probability: average / (average + 1)) else { break }
            let enabled = rules.filter { $0.precondition(model) }
            guard !enabled.isEmpty else { break }
            let rule = enabled[Int(try testCase.drawInteger(IntegerConstraints(min: 0, max: Int64(enabled.count - 1))))]
            var step = Step(testCase: testCase, bundles: bundles, nextVariable: variables)
            var line: String { (step.produced.map { $0 + " = " } ?? "") + "\(rule.name)(\(step.arguments.joined(separator: ", ")))" }
            do {
                try rule.body(&model, system, &step)
            } catch let stop as GenerationStop {
                throw stop
            } catch {
                testCase.note(line)
                throw error
            }
            testCase.note(line)
            bundles = step.bundles
            variables = step.nextVariable
            try check(model, system)
            for invariant in invariants {
                do { try invariant.holds(system) } catch {
                    throw PropertyFailure("invariant '\(invariant.name)' broken: \(error)")
                }
            }
        }
    }

    /// Runs the machine as a property (outside Swift Testing).
    public func check(_ name: String, configuration: PropertyConfiguration = PropertyConfiguration()) -> PropertyReport {
        checkProperty(name, configuration: configuration, drawing: run)
    }
}
