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

    /// Draws an argument; it appears as `label: value` in the step's line,
    /// the value described canonically as a counterexample's is (strings
    /// quoted and escaped as Swift literals, sets and dictionaries sorted),
    /// so `put(key: ",", value: "")` cannot read as other arguments.
    public mutating func draw<T>(_ generator: Generator<T>, _ label: String) throws -> T {
        let value = try testCase.draw(generator)
        arguments.append("\(label): \(reportDescription(value))")
        return value
    }

    /// Keeps `value` in `bundle` for later steps; the step's line reads `vN = rule(...)`.
    @discardableResult
    public mutating func produce<T>(_ value: T, into bundle: String) -> String {
        testCase.recordProduction(into: bundle)
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

    /// Keeps `value` in the typed `bundle` for later steps; the step's line reads `vN = rule(...)`.
    @discardableResult
    public mutating func produce<T>(_ value: T, into bundle: Bundle<T>) -> String {
        produce(value, into: bundle.key)
    }

    /// Picks a value produced earlier into the typed `bundle` (shrinks
    /// towards the first produced); `remove` takes it out for good. Discards
    /// the example when the bundle is empty. Draws exactly what
    /// `pick(from:as:label:remove:)` draws; the type is checked when the
    /// program compiles, so there is no mismatch to stop on.
    public mutating func pick<T>(from bundle: Bundle<T>, label: String, remove: Bool = false) throws -> T {
        try pick(from: bundle.key, named: "\(bundle.name)' of \(T.self)", typedName: bundle.name, as: T.self, label: label,
                 remove: remove)
    }

    /// The number of values in the typed `bundle`.
    public func count<T>(of bundle: Bundle<T>) -> Int { count(of: bundle.key) }

    /// The number of values in `bundle` (use in preconditions via the model, or to skip).
    public func count(of bundle: String) -> Int {
        bundles.first(where: { $0.name == bundle })?.entries.count ?? 0
    }

    /// Picks a value produced earlier into `bundle` (shrinks towards the
    /// first produced); `remove` takes it out for good. Discards the example
    /// when the bundle is empty.
    public mutating func pick<T>(from bundle: String, as type: T.Type = T.self, label: String, remove: Bool = false) throws -> T {
        try pick(from: bundle, named: bundle + "'", typedName: nil, as: type, label: label, remove: remove)
    }

    /// `named` is how the discard reason names the bundle (a typed bundle by
    /// its name and type); `typedName` is a typed bundle's name, nil for a
    /// string-named bundle. Throws `BundleMisuse` when the value picked is
    /// not a `T`, and when the bundle is empty while one of the other kind
    /// with its name holds values (a typed and a string-named bundle never
    /// share values, so every such pick would be discarded and the
    /// property would check nothing).
    mutating func pick<T>(from bundle: String, named: String, typedName: String?, as type: T.Type, label: String,
                          remove: Bool) throws -> T {
        guard let k = bundles.firstIndex(where: { $0.name == bundle }), !bundles[k].entries.isEmpty else {
            if let other = otherKindHoldingValues(bundle, typedName: typedName) {
                throw BundleMisuse(description: typedName == nil
                    ? "the string-named bundle '\(bundle)' is empty, but the typed bundle '\(other) holds values: a typed "
                        + "and a string-named bundle never share values; produce and pick through the same Bundle<T>"
                    : "the typed bundle '\(named) is empty, but the string-named bundle '\(other)' holds values: a typed "
                        + "and a string-named bundle never share values; produce and pick through the same Bundle<T>")
            }
            try testCase.reject("pick from the empty bundle '\(named)")
        }
        let index = Int(try testCase.drawInteger(IntegerConstraints(min: 0, max: Int64(bundles[k].entries.count - 1))))
        testCase.recordPick(from: bundle, removes: remove)
        let entry = bundles[k].entries[index]
        if remove { bundles[k].entries.remove(at: index) }
        // Before the type is checked, so that the failing step's line names the pick.
        arguments.append("\(label): \(entry.variable)")
        guard let value = entry.value as? T else {
            throw BundleMisuse(description: "bundle '\(bundle)' holds \(Swift.type(of: entry.value)), not \(T.self): "
                               + "pick it as the type produced into it, or use a typed Bundle<T>, whose mismatch does not compile")
        }
        return value
    }
}

/// A bundle used against its contract in a state machine's rule: a
/// string-named bundle picked as another type than was produced into it,
/// or a pick from an empty bundle while the bundle of the other kind (typed
/// or string-named) with its name holds values. Thrown by `Step.pick`, so
/// the run fails and is shrunk and reported like any other failure, with
/// this message as its error.
public struct BundleMisuse: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension Step {
    /// The name of a bundle of the other kind than the one picked from
    /// (`typedName` nil: a string-named pick of `bundle`) with the same
    /// name, when one holds values; in production order, so the first found
    /// is deterministic.
    func otherKindHoldingValues(_ bundle: String, typedName: String?) -> String? {
        if let typedName {
            return bundles.first(where: { $0.name == typedName && !$0.entries.isEmpty }).map { $0.name }
        }
        let prefix = bundle + Bundle<Void>.typeSeparator
        return bundles.first(where: { $0.name.hasPrefix(prefix) && !$0.entries.isEmpty })
            .map { bundle + "' of " + String($0.name.dropFirst(prefix.count)) }
    }
}

/// A named collection of values of one type that steps produce and later
/// steps pick from (handles, ids, keys). `Step.produce(_:into:)` and
/// `Step.pick(from:label:remove:)` with a `Bundle<T>` only accept and return
/// `T`, so a type mismatch is a compile-time error, not a stop at run time.
/// Bundles are told apart by name and type.
public struct Bundle<T>: Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
    /// The storage key: the name with the type, so that two bundles of one
    /// name and different types never share values.
    var key: String { name + Self.typeSeparator + String(reflecting: T.self) }
    /// Between the name and the type in `key`.
    static var typeSeparator: String { " as " }
}

/// A rule-based state machine over a `Model` (the reference) and a `System` (under test).
///
/// The system may be a class (rules get the reference and change it in
/// place) or a value type: rules made with `Rule.mutating(_:precondition:_:)`
/// get it `inout`, and the change carries over to later steps, `check` and
/// the invariants.
public struct StateMachine<Model, System> {
    /// One kind of step.
    public struct Rule {
        public let name: String
        let precondition: (Model) -> Bool
        let body: (inout Model, inout System, inout Step) throws -> Void

        /// `body` applies the step to both model and system, drawing its
        /// arguments from `step`; it runs only when `precondition(model)` holds.
        /// For a system that is a class; see `mutating(_:precondition:_:)` for structs.
        public init(_ name: String, precondition: @escaping (Model) -> Bool = { _ in true },
                    _ body: @escaping (inout Model, System, inout Step) throws -> Void) {
            self.name = name
            self.precondition = precondition
            self.body = { model, system, step in try body(&model, system, &step) }
        }

        /// A rule that changes a value-type system in place: `.mutating("push") { model, stack, step in … }`.
        public static func mutating(_ name: String, precondition: @escaping (Model) -> Bool = { _ in true },
                                    _ body: @escaping (inout Model, inout System, inout Step) throws -> Void) -> Rule {
            Rule(name: name, precondition: precondition, body: body)
        }

        private init(name: String, precondition: @escaping (Model) -> Bool,
                     body: @escaping (inout Model, inout System, inout Step) throws -> Void) {
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
    let initializers: [Rule]
    let teardown: (System) -> Void

    /// - Parameters:
    ///   - check: compares model and system after every step.
    ///   - invariants: checked on the system after every step.
    ///   - initialize: rules that run once each, in order, before any other
    ///     step (their preconditions are not consulted); they draw and
    ///     produce like any rule, are noted as steps, and are never deleted
    ///     by shrinking (only their arguments shrink). Without them a run
    ///     draws exactly what it drew before they existed.
    ///   - teardown: runs on the system after every run, passed or failed
    ///     (closing files, freeing what the system holds).
    public init(model: @escaping () -> Model, system: @escaping () -> System, rules: [Rule],
                check: @escaping (Model, System) throws -> Void = { _, _ in },
                invariants: [(name: String, holds: (System) throws -> Void)] = [], maxSteps: Int = 50,
                initialize: [Rule] = [], teardown: @escaping (System) -> Void = { _ in }) {
        precondition(!rules.isEmpty, "a state machine needs at least one rule")
        precondition(maxSteps >= 1, "maxSteps must be at least 1, not \(maxSteps): a machine that may take no step checks nothing")
        self.makeModel = model
        self.makeSystem = system
        self.rules = rules
        self.check = check
        self.invariants = invariants
        self.maxSteps = maxSteps
        self.initializers = initialize
        self.teardown = teardown
    }

    /// Runs one sequence of steps drawn from `testCase`, noting each step.
    public func run(_ testCase: TestCase) throws {
        try run(testCase, tally: nil)
    }

    /// `run`, counting in `tally` what each rule did.
    func run(_ testCase: TestCase, tally: MachineTally?) throws {
        var model = makeModel()
        var system = makeSystem()
        defer { teardown(system) }
        var bundles: [(name: String, entries: [(variable: String, value: Any)])] = []
        var variables = 0

        /// Applies `rule` as one step, notes it, and checks model and invariants.
        func apply(_ rule: Rule) throws {
            var step = Step(testCase: testCase, bundles: bundles, nextVariable: variables)
            var line: String { (step.produced.map { $0 + " = " } ?? "") + "\(rule.name)(\(step.arguments.joined(separator: ", ")))" }
            do {
                try rule.body(&model, &system, &step)
            } catch let stop as GenerationStop {
                throw stop
            } catch {
                testCase.note(line)
                throw ModelDisagreement.wrapping(error)
            }
            testCase.note(line)
            bundles = step.bundles
            variables = step.nextVariable
            do { try check(model, system) } catch { throw ModelDisagreement.wrapping(error) }
            for invariant in invariants {
                do { try invariant.holds(system) } catch {
                    throw InvariantBroken(name: invariant.name, error: error)
                }
            }
        }

        for rule in initializers {
            testCase.startSpan("state-machine.initialize")
            defer { testCase.endSpan() }
            try apply(rule)
        }
        let average = testCase.size * 20 + 1
        for _ in 0..<maxSteps {
            testCase.startSpan("state-machine.step")
            defer { testCase.endSpan() }
            guard try testCase.drawBoolean(probability: average / (average + 1)) else { break }
            let enabledIndices = rules.indices.filter { rules[$0].precondition(model) }
            tally?.checked(enabled: enabledIndices)
            guard !enabledIndices.isEmpty else { break }
            let chosen = enabledIndices[Int(try testCase.drawInteger(IntegerConstraints(min: 0, max: Int64(enabledIndices.count - 1))))]
            testCase.recordRuleChoice(enabled: enabledIndices)
            let rule = rules[chosen]
            do {
                try apply(rule)
                tally?.ran(chosen)
            } catch let stop as GenerationStop {
                tally?.stopped(chosen, stop)
                throw stop
            } catch {
                tally?.ran(chosen)
                // The shrinker then knows that a run stopped before this
                // step (its flag false) passes: every earlier step passed.
                testCase.markFailureInOpenSpan()
                throw error
            }
        }
    }

    /// Runs the machine as a property (outside Swift Testing).
    ///
    /// A machine none of whose rules ran a step in any example (every
    /// precondition false, or every step discarded, e.g. picking from a
    /// bundle nothing fills) checked nothing, so it fails: the report's
    /// `problem` names each rule and what stopped it. (`checkProperty(name,
    /// drawing: machine.run)` runs the same examples without this check.)
    public func check(_ name: String, configuration: PropertyConfiguration = PropertyConfiguration()) -> PropertyReport {
        check(name, configuration: configuration, wrapping: { try $0() })
    }

    /// `check`, with every run wrapped in `wrap` (which calls it once).
    public func check(_ name: String, configuration: PropertyConfiguration,
                      wrapping wrap: @escaping (() throws -> Void) throws -> Void) -> PropertyReport {
        let tally = MachineTally(rules: rules.count)
        let report = checkProperty(name, configuration: configuration) { tc in try wrap { try self.run(tc, tally: tally) } }
        // A replay runs the one example it was given, which may well have no step.
        guard report.counterexample == nil, configuration.replay == nil, tally.stepsRun == 0 else { return report }
        let problem = tally.nothingRan(rules.map(\.name))
        return PropertyReport(name: report.name, seed: report.seed, statistics: report.statistics, counterexample: nil,
                              regressionProblems: report.regressionProblems, bodyCalls: report.bodyCalls,
                              statisticsRequested: report.statisticsRequested,
                              problem: report.problem.map { $0 + "; " + problem } ?? problem,
                              maxShrinkCalls: report.maxShrinkCalls)
    }
}

/// A failed `expect` in a rule or in the machine's `check`: the system
/// disagreed with the model. Every such failure of a machine is one kind of
/// failure, wherever the `expect` is: the same bug often shows in several
/// rules (a deque whose growth loses its head fails `pop_front` in one run
/// and `pop_back` in a shorter one), and the shrinker, which keeps the
/// kind fixed, could otherwise not reach the shorter run. Its text is the
/// `expect`'s, with the user's location. Errors of other types that a rule
/// throws (the system's own errors) keep their kinds.
public struct ModelDisagreement: Error, FailureKindProviding, CustomStringConvertible {
    /// The failed `expect`.
    public let failure: PropertyFailure
    public var description: String { failure.description }
    public var failureKind: String { "state-machine expectation" }

    /// `error` as a disagreement when it is a failed `expect`, else unchanged.
    static func wrapping(_ error: any Error) -> any Error {
        (error as? PropertyFailure).map { ModelDisagreement(failure: $0) } ?? error
    }
}

/// An invariant that did not hold after a step. Its text is the user's
/// error (with the user's location, for `expect`), never the engine's; all
/// invariant failures are one kind of failure, as they always were.
struct InvariantBroken: Error, FailureKindProviding, CustomStringConvertible {
    let name: String
    let error: any Error
    var description: String { "invariant '\(name)' broken: \(error)" }
    var failureKind: String { "state-machine invariant" }
}

/// What the runs of one `StateMachine.check` did, rule by rule.
final class MachineTally {
    private(set) var stepsRun = 0
    private var checked = 0
    private var held: [Int], chosen: [Int], discards: [[String: Int]]

    init(rules: Int) {
        held = Array(repeating: 0, count: rules)
        chosen = held
        discards = Array(repeating: [:], count: rules)
    }

    func checked(enabled: [Int]) {
        checked += 1
        for i in enabled { held[i] += 1 }
    }

    func ran(_ rule: Int) {
        chosen[rule] += 1
        stepsRun += 1
    }

    func stopped(_ rule: Int, _ stop: GenerationStop) {
        chosen[rule] += 1
        let reason: String
        switch stop {
        case .rejected(let by): reason = by
        case .overrun: reason = "the example's choices ran out"
        case .limit(let limit): reason = limit
        }
        discards[rule][reason, default: 0] += 1
    }

    /// The sentence for a machine none of whose rules ran.
    func nothingRan(_ names: [String]) -> String {
        let perRule = names.indices.map { i -> String in
            let name = "rule '\(names[i])'"
            if held[i] == 0 {
                return checked == 0 ? "\(name): never reached" : "\(name): its precondition was false all \(checked) times it was checked"
            }
            if chosen[i] == 0 { return "\(name): its precondition held \(held[i]) times but it was never chosen" }
            // Commonest first, ties by reason: never the dictionary's hash order.
            let reasons = discards[i].sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) (\($0.value))" }
            return "\(name): chosen \(chosen[i]) times and discarded every time: " + reasons.joined(separator: ", ")
        }
        return "no rule ran a step in any example, so the state machine checked nothing; "
            + perRule.joined(separator: "; ")
    }
}
