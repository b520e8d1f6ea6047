// Running one test case: generation, then (unless it was already tried) the body.
//
// Invariant: an `Execution` records exactly the choices the generator made,
// so replaying `sequence.values` reproduces the same value and outcome.

/// The result of one run of a property on one test case.
enum Outcome: Equatable {
    case passed
    /// A filter or assumption rejected the example.
    case discarded
    /// The replayed choices ran out, or the example hit the choice limit.
    case overrun
    /// The body (or a generator) threw; `kind` identifies the failure.
    case failed(kind: String, message: String)

    var failureKind: String? { if case .failed(let k, _) = self { return k } else { return nil } }
}

struct Execution {
    let outcome: Outcome
    let sequence: ChoiceSequence
    let spans: [Span]
    let notes: [String]
    let valueDescription: String
    let labels: [String]
    /// The generated value itself (nil for bodies that draw while they run).
    var value: Any? = nil
    /// The values without the choices of dropped spans (a unique
    /// collection's repeated elements), when any was dropped: replayed, they
    /// generate the same value.
    var withoutDropped: [ChoiceValue]? = nil
    /// The choice ranges of a unique collection's repeated elements, dropped
    /// from the value (`TestCase.repeatedRanges`); empty when none was.
    var repeatedRanges: [Range<Int>] = []
    /// What discarded the example (`Outcome.discarded`), or which decoding
    /// limit it went past (`Outcome.overrun` at a limit).
    var rejectedBy: String? = nil
    /// For a failed run, the span it failed in when the body marked one (a
    /// state machine marks the failing step; see `TestCase.failureSpan`).
    var failureSpan: Int? = nil
    /// A state machine's rule choices, one per step (`TestCase.ruleChoices`).
    var ruleChoices: [RuleChoice] = []
    /// A state machine's productions and picks (`TestCase.bundleEvents`).
    var bundleEvents: [BundleEvent] = []
}

/// A property split into generation and check, so that generation can be
/// run (and deduplicated) without calling the body.
///
/// The generation step returns the check to run, a description of the
/// generated value and the value itself (nil when the body draws while it runs).
typealias PropertyBody = (TestCase) throws -> (description: String, value: Any?, check: () throws -> Void)

/// A generated value as far as the body can tell it from another: its
/// description and, when its type is `Hashable`, the value. Two runs whose
/// values are equal and described alike go the same way through a body that
/// depends only on the value (a property's body: generation decides
/// everything the check sees), though their choices differ: a set whose
/// elements were drawn in another order, a list whose element came through
/// another branch. Both are asked for because either alone can be fooled:
/// `0.0 == -0.0`, and a type may describe itself without all its fields.
/// Tuples are not `Hashable`, so a tuple's runs are never told apart this way.
struct KnownValue: Hashable {
    let description: String
    let value: AnyHashable

    init?(description: String, value: Any?) {
        guard let hashable = value as? AnyHashable else { return nil }
        self.description = description
        self.value = hashable
    }
}

/// Executes test cases of one property and counts body calls.
final class Executor {
    let body: PropertyBody
    /// False when the body draws while it runs: then generation alone does
    /// not know the whole choice sequence, so nothing can be skipped.
    let deduplicates: Bool
    /// True when the body's value is everything its check sees (a property
    /// over one generator's value): a value known to pass then passes
    /// again without a call (see `run`'s `skipValue`).
    let checksOnlyTheValue: Bool
    private(set) var bodyCalls = 0
    /// The choices of the most recent body call that failed, if any. A call
    /// that a draw stopped (the values ran out, an assumption rejected it)
    /// is no failure: after the minimal example failed, a shorter candidate
    /// of a body that draws while it runs usually overruns, and the body's
    /// last failing call is still on the minimal example (one replay, one
    /// body call, fewer per shrink).
    private(set) var lastBodyFailure: [ChoiceValue]?
    /// Told every failing run (`run`'s, whether searching or shrinking; not
    /// `generated`'s, which calls no body): the other failures' log.
    var onFailure: ((Execution) -> Void)?

    init(body: @escaping PropertyBody, deduplicates: Bool, checksOnlyTheValue: Bool = false) {
        self.body = body
        self.deduplicates = deduplicates
        self.checksOnlyTheValue = deduplicates && checksOnlyTheValue
    }

    /// Runs `testCase`; `skip` can veto the body call after generation (dedup).
    /// `skipEquivalent` can veto it too, given the values without the dropped
    /// spans' choices (when any was dropped). `skipValue` says, given the
    /// generated value, that it is known to pass (see `KnownValue`): the run
    /// is then a pass without a body call.
    func run(_ testCase: TestCase, skip: (ChoiceSequence) -> Bool = { _ in false },
             skipEquivalent: ([ChoiceValue]) -> Bool = { _ in false },
             skipValue: ((KnownValue) -> Bool)? = nil) -> Execution? {
        var description = ""
        var value: Any?
        var rejectedBy: String?
        let outcome: Outcome
        do {
            let generated = try body(testCase)
            description = generated.description
            value = generated.value
            if deduplicates, skip(testCase.sequence) { return nil }
            if deduplicates, let equivalent = testCase.valuesWithoutDropped, skipEquivalent(equivalent) { return nil }
            // A value known to pass passes again: the run is recorded as
            // passing without a body call.
            // (The value is boxed only when asked: the random search asks nothing.)
            var knownToPass = false
            if checksOnlyTheValue, let skipValue, let known = KnownValue(description: description, value: value) {
                knownToPass = skipValue(known)
            }
            if !knownToPass {
                bodyCalls += 1
                do {
                    try generated.check()
                } catch {
                    if !(error is GenerationStop) { lastBodyFailure = testCase.sequence.values }
                    throw error
                }
            }
            outcome = .passed
        } catch let stop as GenerationStop {
            if case .rejected(let by) = stop {
                outcome = .discarded
                rejectedBy = by
            } else {
                outcome = .overrun
                if case .limit = stop { rejectedBy = stop.description }
            }
        } catch {
            outcome = .failed(kind: failureKind(of: error), message: String(describing: error))
        }
        let execution = Execution(outcome: outcome, sequence: testCase.sequence, spans: testCase.spans,
                                  notes: testCase.notes, valueDescription: description, labels: testCase.labels,
                                  value: value, withoutDropped: deduplicates ? testCase.valuesWithoutDropped : nil,
                                  repeatedRanges: deduplicates ? testCase.repeatedRanges : [], rejectedBy: rejectedBy,
                                  failureSpan: outcome.failureKind == nil ? nil : testCase.failureSpan,
                                  ruleChoices: testCase.ruleChoices, bundleEvents: testCase.bundleEvents)
        if outcome.failureKind != nil { onFailure?(execution) }
        return execution
    }

    func replay(_ values: [ChoiceValue]) -> Execution {
        run(TestCase(replaying: values))!
    }

    /// Generates from `values` without calling the body, as a run that
    /// ended with `outcome` (known from an equivalent run: the same value);
    /// nil when generation stops (it then did not give that value).
    func generated(_ values: [ChoiceValue], outcome: Outcome) -> Execution? {
        let testCase = TestCase(replaying: values)
        guard let generated = try? body(testCase) else { return nil }
        return Execution(outcome: outcome, sequence: testCase.sequence, spans: testCase.spans, notes: testCase.notes,
                         valueDescription: generated.description, labels: testCase.labels, value: generated.value,
                         withoutDropped: deduplicates ? testCase.valuesWithoutDropped : nil,
                         repeatedRanges: deduplicates ? testCase.repeatedRanges : [], ruleChoices: testCase.ruleChoices,
                         bundleEvents: testCase.bundleEvents)
    }
}
