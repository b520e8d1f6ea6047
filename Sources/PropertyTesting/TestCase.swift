// The draw context: the one place where choices are made and recorded.
//
// Invariant: every choice a generator makes goes through `TestCase`, is
// recorded in order with its kind, and is the same whether it came from the
// random source, a replayed choice list or a byte string.

/// A labelled, contiguous run of choices made by one sub-draw.
public struct Span: Hashable, Sendable {
    public let label: String
    /// Index of the first choice.
    public let start: Int
    /// One past the last choice.
    public internal(set) var end: Int
    public let depth: Int
    /// Index of the enclosing span in `TestCase.spans`, if any.
    public let parent: Int?
    public var count: Int { end - start }
    public var range: Range<Int> { start..<end }
}

/// Why a test case stopped before the property decided anything.
enum GenerationStop: Error, Equatable, CustomStringConvertible {
    /// A replayed choice list ran out, or the example grew past the choice limit.
    case overrun
    /// The example went past one of the decoding limits that keep any input
    /// within bounded memory and stack (`TestCase.maxNesting`,
    /// `TestCase.maxPaddingBytes`, the span limit): an overrun, with the
    /// limit named.
    case limit(String)
    /// A filter or an assumption rejected the example; it is discarded.
    /// `by` names what rejected it ("filter at File.swift:12"), for the
    /// report of a property that no example satisfied.
    case rejected(by: String)

    var description: String {
        switch self {
        case .overrun: return "the example ran out of choices or went past the choice limit"
        case .limit(let what): return "the example went past a decoding limit: \(what)"
        case .rejected(let by): return "the example was discarded by \(by)"
        }
    }
}

/// Where a test case's choices come from.
enum ChoiceSource {
    case random(ChoiceDistribution)
    /// Replay: values in order; a value the draw does not permit reads as the
    /// simplest value; running out is an overrun.
    case replay([ChoiceValue])
    /// The byte format; running out reads as simplest choices.
    case bytes([UInt8], position: Int)
}

/// The context a generator draws from. Not thread-safe: one test case is
/// generated and run on one thread.
public final class TestCase {
    var source: ChoiceSource
    public private(set) var choices: [Choice] = []
    public private(set) var spans: [Span] = []
    private var openSpans: [Int] = []
    /// Open spans marked by `dropOpenSpan`, innermost last.
    private var droppingSpan: [Int] = []
    /// Choices of spans marked by `dropOpenSpan`, in the order they closed.
    private(set) var droppedRanges: [Range<Int>] = []
    /// The dropped ranges of `dropOpenSpan` alone (a unique collection's
    /// repeated elements, not a filter's rejected attempts), in the order
    /// they were dropped.
    private(set) var repeatedRanges: [Range<Int>] = []
    /// Readable notes attached to the example (state-machine steps, `note`).
    public private(set) var notes: [String] = []
    /// Whether a `filter` discarded this example, every attempt rejected
    /// (the runner's size ramp reads it: see `Runner`).
    var discardedByFilter = false
    let maxChoices: Int
    /// Draws (and lazy generators) open right now; bounded by `maxNesting`.
    private var nesting = 0
    /// Zero bytes read past the end of a byte-format input so far; bounded by `maxPaddingBytes`.
    private var paddingBytes = 0

    /// The deepest nesting of draws an example may reach. Deeper is an
    /// overrun (the example is discarded, or reported as `.overrun`), never a
    /// stack overflow: a recursive generator fed "go deeper" choices without
    /// end, which any crafted input can do, stops here. Hypothesis stops at 100.
    public static let maxNesting = 500
    /// The most zero bytes a byte-string draw may read past the end of a
    /// byte-format input, over the whole example (64 KiB). Short inputs still
    /// read as simplest choices, but a length field of 0xff bytes cannot ask
    /// for exabytes: past this budget the example is an overrun.
    public static let maxPaddingBytes = 1 << 16
    /// The longest byte string an example draws (16 MiB): a generator whose
    /// least count is larger stops with a limit (an overrun naming it), where
    /// drawing it would exhaust memory.
    public static let maxByteStringCount = 1 << 24

    init(source: ChoiceSource, maxChoices: Int = 8192) {
        self.source = source
        self.maxChoices = maxChoices
        if case .bytes(let bytes, _) = source {
            // A byte-format input is decoded once per fuzz execution: room for
            // its choices and spans at once, instead of a dozen regrowths (a
            // heap allocation each). A choice read from the input takes at
            // least one byte; past the end, zeros end most examples.
            let expected = Swift.min(bytes.count + 16, maxChoices)
            choices.reserveCapacity(expected)
            spans.reserveCapacity(expected)
            openSpans.reserveCapacity(16)
        }
    }

    /// Replays `bytes` in the byte format; never fails to decode.
    public convenience init(bytes: [UInt8]) { self.init(source: .bytes(bytes, position: 0)) }

    /// Replays recorded values.
    public convenience init(replaying values: [ChoiceValue]) { self.init(source: .replay(values)) }

    /// Generates from a seeded random source.
    public convenience init(seed: UInt64, parameters: GenerationParameters = GenerationParameters(size: 1)) {
        self.init(source: .random(ChoiceDistribution(random: RandomSource(seed: seed), parameters: parameters)))
    }

    public var sequence: ChoiceSequence { ChoiceSequence(choices) }

    var isRandom: Bool { if case .random = source { return true } else { return false } }

    /// For a random test case: values replayed (as `.replay` reads them)
    /// before random draws begin. The shrinker uses it to keep an example's
    /// start and draw the rest afresh.
    var replayPrefix: [ChoiceValue] = []

    /// For a random test case: values replayed (as `.replay` reads them)
    /// once the span that starts at choice `start` at nesting `depth`
    /// closes, random draws resuming after them. The shrinker uses it to
    /// draw a one-of's new branch afresh and keep what followed the old one.
    var replaySuffix: (start: Int, depth: Int, values: [ChoiceValue])?
    /// Whether the draws between `replayPrefix` and `replaySuffix` take
    /// their kind's simplest value instead of random ones.
    var simplestBeforeSuffix = false
    /// Where the suffix's first value is read: the choice count when that span closed.
    private var suffixStart: Int?

    /// The next value of `replayPrefix`, or of `replaySuffix` once its span
    /// closed, as `kind` reads it, while any is left.
    private func fromPrefix(_ kind: ChoiceKind) -> ChoiceValue? {
        if choices.count < replayPrefix.count { return kind.fitted(replayPrefix[choices.count]) }
        guard let start = suffixStart else { return simplestBeforeSuffix ? kind.simplest : nil }
        if let suffix = replaySuffix?.values, choices.count - start < suffix.count {
            return kind.fitted(suffix[choices.count - start])
        }
        return nil
    }

    /// The size of a random example (1 when replaying).
    var size: Double { if case .random(let d) = source { return d.parameters.size } else { return 1 } }

    // MARK: Drawing

    /// Draws from a generator inside a span labelled with the generator's label.
    public func draw<Value>(_ generator: Generator<Value>) throws -> Value {
        try nested {
            startSpan(generator.label)
            defer { endSpan() }
            return try generator.body(self)
        }
    }

    /// Draws `body`'s value inside a span labelled `label`: exactly
    /// `draw(Generator(label: label, body))` (the same span, the same
    /// choices), without making a generator, so `body` need not escape and
    /// what it captures is not copied to the heap (for a draw made at every
    /// step of a long example).
    public func draw<Value>(label: String, _ body: (TestCase) throws -> Value) throws -> Value {
        try nested {
            startSpan(label)
            defer { endSpan() }
            return try body(self)
        }
    }

    /// Runs `body` one nesting level deeper; an overrun past `maxNesting`.
    func nested<Value>(_ body: () throws -> Value) throws -> Value {
        guard nesting < Self.maxNesting else {
            throw GenerationStop.limit("draws nested more than \(Self.maxNesting) deep (TestCase.maxNesting)")
        }
        guard spans.count < maxSpans else { throw GenerationStop.limit("more than \(maxSpans) draws in one example") }
        nesting += 1
        defer { nesting -= 1 }
        return try body()
    }

    /// Spans an example may open: draws that make no choice (`Gen.just`
    /// elements of a huge array) are bounded too, not only choices.
    private var maxSpans: Int { maxChoices * 8 }

    /// Draws an integer in `constraints`; `random` overrides the search-phase
    /// distribution (used by weighted choice).
    public func drawInteger(_ constraints: IntegerConstraints, random: ((inout RandomSource) -> Int64)? = nil) throws -> Int64 {
        guard let random else { return try drawIntegerOrDefault(constraints, random: { _, _ in nil }) }
        return try drawIntegerOrDefault(constraints, random: { r, _ in random(&r) })
    }

    /// `drawInteger(_:random:)` with a search-phase distribution that need
    /// not escape, so what it captures is not copied to the heap at every
    /// draw (the distribution is only ever called during the draw).
    public func drawInteger(_ constraints: IntegerConstraints, random: (inout RandomSource) -> Int64) throws -> Int64 {
        try drawIntegerOrDefault(constraints, random: { r, _ in random(&r) })
    }

    /// Draws an integer in `constraints`. While searching, `random` picks
    /// the value, or returns nil to leave the pick to the constraints' own
    /// distribution (edge values, values related to earlier draws, growing
    /// bit widths); a value it returns must be in `constraints`. It is
    /// given the integers drawn so far in this example. Replay, the byte
    /// format and shrinking see an ordinary integer choice.
    ///
    /// `canonical`, when given, maps every value read, whatever its source,
    /// to the value recorded and returned: the simplest of the values that
    /// stand for the same generated value (see `Gen.doubles`). It must stay
    /// in `constraints` and map its own results to themselves, so that
    /// replaying what was recorded records it again.
    func drawIntegerOrDefault(_ constraints: IntegerConstraints, canonical: ((Int64) -> Int64)? = nil,
                              random: (inout RandomSource, _ earlier: [Int64]) -> Int64?) throws -> Int64 {
        let kind = ChoiceKind.integer(constraints)
        var value: Int64
        switch source {
        case .random(var d):
            if let replayed = fromPrefix(kind) {
                value = replayed.integerValue!
            } else if let picked = random(&d.random, d.drawnIntegers) {
                value = picked
                d.drawnIntegers.append(value)
            } else {
                value = d.integer(constraints)
            }
            source = .random(d)
        case .replay:
            value = try nextReplayed(kind).integerValue!
        case .bytes(let bytes, var position):
            value = ByteFormat.readInteger(constraints, bytes, &position)
            source = .bytes(bytes, position: position)
        }
        if let canonical { value = canonical(value) }
        try record(Choice(kind: kind, value: .integer(value)))
        return value
    }

    /// Draws a boolean; `probability` of true (in 0...1) applies to random generation only.
    public func drawBoolean(probability: Double = 0.5) throws -> Bool {
        precondition((0...1).contains(probability), "drawBoolean(probability:) must be in 0...1, not \(probability)")
        let value: Bool
        switch source {
        case .random(var d):
            if case .boolean(let b) = fromPrefix(.boolean) { value = b } else { value = d.boolean(probability: probability) }
            source = .random(d)
        case .replay:
            guard case .boolean(let b) = try nextReplayed(.boolean) else { preconditionFailure() }
            value = b
        case .bytes(let bytes, var position):
            value = ByteFormat.readByte(bytes, &position) & 1 == 1
            source = .bytes(bytes, position: position)
        }
        try record(Choice(kind: .boolean, value: .boolean(value)))
        return value
    }

    /// Draws a byte string with a length in `minCount...maxCount`.
    public func drawBytes(minCount: Int = 0, maxCount: Int) throws -> [UInt8] {
        precondition(0 <= minCount && minCount <= maxCount,
                     "byte count range \(minCount)...\(maxCount) is empty or negative")
        // Refused before anything is allocated: a count no example can hold.
        guard minCount <= Self.maxByteStringCount else {
            throw GenerationStop.limit("a byte string of at least \(minCount) bytes is longer than any example holds "
                                       + "(TestCase.maxByteStringCount, \(Self.maxByteStringCount))")
        }
        let kind = ChoiceKind.bytes(minCount: minCount, maxCount: maxCount)
        let value: [UInt8]
        switch source {
        case .random(var d):
            if case .bytes(let b) = fromPrefix(kind) { value = b } else { value = d.bytes(minCount: minCount, maxCount: maxCount) }
            source = .random(d)
        case .replay:
            guard case .bytes(let b) = try nextReplayed(kind) else { preconditionFailure() }
            value = b
        case .bytes(let bytes, var position):
            let lengths = IntegerConstraints(min: Int64(minCount), max: Int64(maxCount), simplest: Int64(minCount))
            let n = Int(ByteFormat.readInteger(lengths, bytes, &position))
            let available = max(0, bytes.count - position)
            if n > available {
                // Reading past the end yields zeros, within a budget (see `maxPaddingBytes`).
                paddingBytes += min(n - available, Self.maxPaddingBytes + 1)
                guard paddingBytes <= Self.maxPaddingBytes else {
                    throw GenerationStop.limit("byte strings read more than \(Self.maxPaddingBytes) bytes past the end "
                                               + "of the input (TestCase.maxPaddingBytes)")
                }
            }
            value = (0..<n).map { _ in ByteFormat.readByte(bytes, &position) }
            source = .bytes(bytes, position: position)
        }
        try record(Choice(kind: kind, value: .bytes(value)))
        return value
    }

    private func nextReplayed(_ kind: ChoiceKind) throws -> ChoiceValue {
        guard case .replay(let values) = source else { preconditionFailure() }
        guard choices.count < values.count else { throw GenerationStop.overrun }
        let value = values[choices.count]
        return kind.fitted(value)
    }

    private func record(_ choice: Choice) throws {
        guard choices.count < maxChoices else { throw GenerationStop.overrun }
        choices.append(choice)
    }

    // MARK: Spans, rejection, notes

    func startSpan(_ label: String) {
        spans.append(Span(label: label, start: choices.count, end: choices.count, depth: openSpans.count, parent: openSpans.last))
        openSpans.append(spans.count - 1)
    }

    func endSpan() {
        let index = openSpans.removeLast()
        spans[index].end = choices.count
        // (Not before the prefix is read: an empty span at the same place and
        // depth, a `Gen.just` before the one-of, closes first.)
        if suffixStart == nil, let suffix = replaySuffix, choices.count >= replayPrefix.count,
           spans[index].start == suffix.start, spans[index].depth == suffix.depth {
            suffixStart = choices.count
        }
        if droppingSpan.last == index {
            droppingSpan.removeLast()
            if spans[index].start < choices.count {
                droppedRanges.append(spans[index].start..<choices.count)
                repeatedRanges.append(spans[index].start..<choices.count)
            }
        }
    }

    /// Marks the innermost open span as dropped: what it drew has no part in
    /// the value (a unique collection's repeated element). The choices are
    /// still recorded; the shrinker uses the ranges only to recognise a run
    /// whose value it has seen before (see `Shrinker.consider`).
    func dropOpenSpan() {
        if let index = openSpans.last, droppingSpan.last != index { droppingSpan.append(index) }
    }

    /// Marks the closed spans at `indices` as dropped, as `dropOpenSpan`
    /// does for an open one (a filter's rejected attempts, once one is accepted).
    func dropClosedSpans(_ indices: [Int]) {
        for index in indices where spans[index].start < spans[index].end {
            droppedRanges.append(spans[index].start..<spans[index].end)
        }
    }

    /// The sequence's values without the dropped spans' choices, or nil when none was dropped.
    var valuesWithoutDropped: [ChoiceValue]? {
        guard !droppedRanges.isEmpty else { return nil }
        var out: [ChoiceValue] = []
        var next = 0
        for r in droppedRanges.sorted(by: { ($0.lowerBound, -$0.upperBound) < ($1.lowerBound, -$1.upperBound) }) where r.lowerBound >= next {
            out += choices[next..<r.lowerBound].map(\.value)
            next = r.upperBound
        }
        out += choices[next...].map(\.value)
        return out
    }

    /// Discards this example (it is counted, not failed). `reason` names
    /// the rejection in the report when no example is ever accepted.
    public func reject(_ reason: String = "TestCase.reject()") throws -> Never {
        throw GenerationStop.rejected(by: reason)
    }

    /// Attaches a readable line to the example's report.
    public func note(_ line: String) { notes.append(line) }

    /// The span that was innermost open when `markFailureInOpenSpan` was
    /// called: for a state machine, the step whose rule, check or invariant
    /// failed. Nil when nothing marked one.
    private(set) var failureSpan: Int?

    /// Marks the innermost open span as the one the run failed in (the
    /// first mark stands).
    func markFailureInOpenSpan() {
        if failureSpan == nil { failureSpan = openSpans.last }
    }

    /// Labels of all spans in this example, for statistics.
    var labels: [String] { spans.map(\.label) }

    /// Each state-machine step's rule choice, in the order drawn.
    private(set) var ruleChoices: [RuleChoice] = []

    /// A state machine's productions into bundles and picks from them, in
    /// the order they happened.
    private(set) var bundleEvents: [BundleEvent] = []

    /// Records that a step produced a value into `bundle` (after the
    /// choices drawn so far).
    func recordProduction(into bundle: String) {
        bundleEvents.append(BundleEvent(bundle: bundle, position: choices.count, pick: nil))
    }

    /// Records that the integer just drawn picks an entry of `bundle` by
    /// its index among the live entries, taking it out when `removes`.
    func recordPick(from bundle: String, removes: Bool) {
        bundleEvents.append(BundleEvent(bundle: bundle, position: choices.count - 1, pick: removes))
    }

    /// Records that the integer just drawn picks a rule among `enabled`
    /// (indices into the machine's rules): the shrinker reads which rule a
    /// step ran from it, since the drawn index counts only the rules enabled.
    func recordRuleChoice(enabled: [Int]) {
        ruleChoices.append(RuleChoice(choice: choices.count - 1, enabled: enabled))
    }
}

/// A production into a state machine's bundle (`pick` nil: it came after
/// the first `position` choices) or a pick from one (the integer at
/// `position` is the index among the bundle's live entries; `pick` tells
/// whether it took the entry out).
struct BundleEvent: Hashable, Sendable {
    let bundle: String
    let position: Int
    let pick: Bool?
}

/// A state machine's rule choice at one step: the integer at `choice` (a
/// position in the example's choices) is an index into `enabled`, the
/// indices of the machine's rules whose preconditions held there.
struct RuleChoice: Hashable, Sendable {
    let choice: Int
    let enabled: [Int]

    /// The machine's rule that `values` pick at this step; nil when the
    /// choice is not an integer in range (a run that stopped before it).
    func rule(in values: [ChoiceValue]) -> Int? {
        guard choice < values.count, case .integer(let v) = values[choice], v >= 0, v < enabled.count else { return nil }
        return enabled[Int(v)]
    }
}
