// Pass: lower each choice on its own.
//
// Invariant: changes one choice to a simpler value of the same kind; the
// search for integers probes from the simplest value upwards, so small
// answers cost few calls.
//
// An integer's search that found half its distance from the simplest value
// failing steps down locally and takes everything at or below that half
// not to work. When it lowered the value and nothing else was adopted
// since, the next round's search of the same integer keeps that floor (no
// half probe at or below it): it would only test the assumption again.
// After "x >= 100" was lowered from 151 (75 failing) to 100, the next round
// probed 50; at the end of every threshold shrink that cost a call. Not
// for a character: the character order is not monotone for a class
// ("not a letter or digit" holds for " " and for "´"), and with the floor
// one seed of text_not_alphanumeric took 42 calls instead of 27.

extension Shrinker {
    /// Labels of the sub-draws that start with an "another one?" flag: a
    /// collection's elements past its minimum count, a state machine's steps.
    static let flaggedLabels: Set<String> = ["array.element", "state-machine.step"]

    /// Whether choice `index` is such a flag. Elements within a collection's
    /// minimum count have no flag: their first choice belongs to the element's
    /// value (a double's sign), and must not be mistaken for one.
    func isElementFlag(_ index: Int, in spans: [Span]) -> Bool {
        guard index < choices.count, case .boolean = choices[index].kind else { return false }
        guard let k = spans.indices.first(where: { spans[$0].start == index && Self.flaggedLabels.contains(spans[$0].label) })
        else { return false }
        return Self.flagIsOwnChoice(k, in: spans)
    }

    /// `isElementFlag` for every choice, in one walk over the spans (for
    /// passes that ask about every choice of a long example).
    func elementFlags(in spans: [Span]) -> [Bool] {
        var flags = [Bool](repeating: false, count: choices.count)
        var decided = [Bool](repeating: false, count: choices.count)
        for k in spans.indices {
            let index = spans[k].start
            guard index < choices.count, !decided[index], Self.flaggedLabels.contains(spans[k].label) else { continue }
            // The first flagged span that starts at a choice decides, as in `isElementFlag`.
            decided[index] = true
            if case .boolean = choices[index].kind { flags[index] = Self.flagIsOwnChoice(k, in: spans) }
        }
        return flags
    }

    /// Whether the flagged span `k`'s first choice is its own (the flag):
    /// no sub-draw with choices starts there.
    private static func flagIsOwnChoice(_ k: Int, in spans: [Span]) -> Bool {
        var j = k + 1
        while j < spans.count, spans[j].start == spans[k].start {
            if spans[j].count > 0 { return false }
            j += 1
        }
        return true
    }

    /// Whether choice `index` is a collection element's flag and starts a
    /// span that has a following sibling with the same label (an element
    /// that is not the last, or a collection that is not the last).
    func startsElementWithSibling(_ index: Int) -> Bool {
        let spans = self.spans
        guard isElementFlag(index, in: spans) else { return false }
        for k in spans.indices where spans[k].start == index && spans[k].count > 1 {
            if siblingRun(from: k, in: spans).count > 1 { return true }
        }
        return false
    }

    /// Sets every choice of the elements after the one holding choice
    /// `index`, in the same collection, to its simplest value, keeping
    /// their "another element" flags: thirty characters of a string that
    /// must stay thirty long become "000…" in one call once the first
    /// could be lowered to "0", where lowering them one by one takes a call
    /// or more each. Runs only on that evidence (an element just lowered to
    /// its simplest): tried on every collection it cost a call per list on
    /// the shrinking challenge for nothing.
    func zeroLaterElements(after index: Int) -> Bool {
        let spans = self.spans
        guard let element = spans.lastIndex(where: { $0.label == "array.element" && $0.range.contains(index) }),
              let collection = spans[element].parent else { return false }
        var candidate = values
        var changed = false
        var j = element + 1
        while j < spans.count, spans[j].start < spans[collection].end {
            if spans[j].parent == collection, spans[j].start >= spans[element].end {
                let own = isElementFlag(spans[j].start, in: spans)
                for k in spans[j].range where !(own && k == spans[j].start) && !choices[k].isSimplest {
                    candidate[k] = choices[k].kind.simplest
                    changed = true
                }
            }
            j += 1
        }
        return changed && consider(candidate)
    }

    /// The state-machine analogue of `zeroLaterElements`: choice `index`
    /// (an argument of a step) was just lowered to its simplest value; the
    /// later steps that start alike (the same choices before that offset:
    /// the same rule, the same earlier arguments) and are as long get that
    /// argument and the ones after it at their simplest, in one call.
    /// Six pushes failing whatever their arguments lowered each later
    /// argument in a call of its own (`machine_stack_loses_sixth`, median
    /// 26 calls to 22 over 20 seeds, 27 to 24 over 100; no final example
    /// changed, and three other machines moved by half a call to 1.5, two
    /// of them down).
    func zeroLaterStepArguments(after index: Int) -> Bool {
        let spans = self.spans
        guard let step = spans.lastIndex(where: { $0.label == "state-machine.step" && $0.range.contains(index) }) else { return false }
        let offset = index - spans[step].start
        guard offset > 0 else { return false }
        let parent = spans[step].parent
        let prefix = Array(values[spans[step].start..<index])
        var candidate = values
        var changed = false
        for j in (step + 1)..<spans.count where spans[j].label == "state-machine.step" && spans[j].parent == parent
            && spans[j].count == spans[step].count && spans[j].start >= spans[step].end {
            guard Array(values[spans[j].start..<(spans[j].start + offset)]) == prefix else { continue }
            for k in (spans[j].start + offset)..<spans[j].end where !choices[k].isSimplest {
                candidate[k] = choices[k].kind.simplest
                changed = true
            }
        }
        return changed && consider(candidate)
    }

    /// Ranks at and below which a lowered value is not copied to the other
    /// elements (see `copyToOtherElements`).
    static let copiedRankFloor: UInt64 = 4

    /// Sets the integer at the same place in each other element of the
    /// collection holding choice `index` to the value just found for it
    /// (lowered from `previous`), when that value is simpler than theirs,
    /// all in one call: "three values of at least 10" lowered the first
    /// value to 10 in a dozen probes and then searched for 10 again in each
    /// other value. Runs only on evidence that the value found is a
    /// threshold of its own: it is past rank `copiedRankFloor` (not a small
    /// value that distinctness or a difference forces: copying 2 or -2
    /// across five distinct values would cost a call for nothing), and it
    /// lies at most half as far from the simplest value as `previous` did
    /// (a value that moved only a little was held up by another one, as
    /// in a sum that must stay above a bound, where lowering the others
    /// never works). Only choices of the same kind at the same offset of an
    /// element of the same length are set, and only to a simpler value, so
    /// the candidate is simpler whenever it changes anything.
    func copyToOtherElements(from index: Int, previous: Int64) -> Bool {
        let spans = self.spans
        guard index < choices.count, case .integer(let c) = choices[index].kind, case .integer(let w) = choices[index].value,
              c.rank(of: w) > Self.copiedRankFloor,
              Self.distanceFromSimplest(w, c) <= Self.distanceFromSimplest(previous, c) / 2,
              let element = spans.lastIndex(where: { $0.label == "array.element" && $0.range.contains(index) }),
              let collection = spans[element].parent else { return false }
        let offset = index - spans[element].start
        let found = choices[index]
        var candidate = values
        var changed = false
        var j = collection + 1
        while j < spans.count, spans[j].start < spans[collection].end {
            if j != element, spans[j].parent == collection, spans[j].label == "array.element",
               spans[j].count == spans[element].count {
                let k = spans[j].start + offset
                if choices[k].kind == found.kind, compareSimplicity(found, choices[k]) < 0 {
                    candidate[k] = .integer(w)
                    changed = true
                }
            }
            j += 1
        }
        return changed && consider(candidate)
    }

    /// Ranks in the character order (see `Generators/Text.swift`) where
    /// "A", "a", " " and the ASCII controls begin.
    static let characterClassStarts: [UInt64] = ["A", "a", " ", "\u{0}"].map { s in
        UInt64(Gen.asciiOrder.firstIndex(of: Unicode.Scalar(s)!)!)
    }

    /// The rank of "A" for a rank among the capitals of the character
    /// order, of "a" for one among the small letters, else nil.
    static func letterClassStart(_ rank: UInt64) -> UInt64? {
        let capitals = characterClassStarts[0], smalls = characterClassStarts[1], rest = characterClassStarts[2]
        if rank >= capitals && rank < smalls { return capitals }
        if rank >= smalls && rank < rest { return smalls }
        return nil
    }

    /// The last rank of the printable ASCII and control characters.
    static let asciiOrderLast = Int64(Gen.asciiOrder.count - 1)

    /// The value of an unsigned machine word's range (`isMachineWord` in
    /// `ClearBits.swift`, with its least value the simplest) whose top bit
    /// alone is set: where the word read as signed turns negative (2^63 of a
    /// `UInt64`, 2^31 of a `UInt32`). Nil for other ranges.
    ///
    /// A value above it is first tried there, one call: hashes, sizes and
    /// offsets cast to a signed type fail from that value on, and often only
    /// on some values past it (a remainder that must not be negative passes
    /// where the divisor divides the hash). Lowering by halves and local
    /// steps then stopped on the first passing value it met: a 64-bit hash
    /// whose signed remainder must be one of 1 to 16 buckets ended a few
    /// thousand above 2^63 in 10 of 20 seeds (5 now); a threshold above the
    /// boundary pays the call.
    static func signedBoundary(of c: IntegerConstraints) -> Int64? {
        guard isMachineWord(c), c.simplest == c.min else { return nil }
        return c.min &+ Int64(bitPattern: c.maxRank / 2 &+ 1)
    }

    /// Whether choice `index` is a whole character of `Gen.characters()`.
    func isCharacter(_ index: Int) -> Bool {
        characterIndices.contains(index)
    }

    /// The order in which `lowerChoices` visits the choices: index order,
    /// except that a run of three or more integers that are a collection's
    /// elements, or a tuple's components, and strictly decreasing (in value,
    /// and in distance from the simplest) is visited from its last one.
    ///
    /// Such a run usually fails because of its order, which holds each
    /// value above the next: lowered first, the first value stops just
    /// above the second, and each later round lowers it again once the
    /// values after it went down (from `[87, 32, 23]`, 79 calls to reach
    /// `[2, 1, 0]`; Hypothesis's passes, which go from the end, take 25 to
    /// 28 on such lists; a triple `(x, y, z)` with `x > y > z` took a median
    /// of 115.5, Hypothesis 20). Lowered from the last, each value goes as
    /// low as the next allows in one search (25 and 18 calls). Not for runs
    /// of two: a decreasing pair is as often merely unsorted (an order by
    /// value that took in pairs cost "max minus min over 10" two calls and
    /// the challenge's `reverse` one and a half). Nor for rising runs, which
    /// index order already lowers from the bottom (Hypothesis's order pays
    /// there: "an increasing run of three" 49 calls to 24 here).
    func loweringOrder() -> [Int] {
        var order = Array(choices.indices)
        let spans = self.spans
        let flags = elementFlags(in: spans)
        // The integers that are the whole value of an element, by
        // collection, and the integers that are a tuple's components, by tuple.
        var runs: [Int: [Int]] = [:]
        for span in spans where span.label == "integer" && span.count == 1 {
            guard let e = span.parent else { continue }
            if spans[e].label == "tuple" {
                runs[e, default: []].append(span.start)
                continue
            }
            guard spans[e].label == "array.element", spans[e].end == span.end,
                  spans[e].count == 1 || (spans[e].count == 2 && flags[spans[e].start]),
                  let collection = spans[e].parent else { continue }
            runs[collection, default: []].append(span.start)
        }
        for collection in runs.keys.sorted() {
            let run = runs[collection]!
            guard run.count >= 3 else { continue }
            let decreasing = zip(run, run.dropFirst()).allSatisfy { a, b in
                guard case .integer(let c) = choices[a].kind, case .integer(let x) = choices[a].value,
                      case .integer(let d) = choices[b].kind, case .integer(let y) = choices[b].value else { return false }
                return x > y && c.rank(of: x) > d.rank(of: y)
            }
            if decreasing { for (slot, k) in zip(run, run.reversed()) { order[slot] = k } }
        }
        return order
    }

    func lowerChoices() -> Bool {
        // Visited in `loweringOrder()` while the example keeps its length,
        // then in index order from the position reached.
        var order = loweringOrder()
        // A tuple's later components at their simplest first, once (see there).
        var progress = lowerLaterComponents(visitedIn: order)
        if progress { order = loweringOrder() }
        let length = choices.count
        var step = 0
        var i = order.first ?? 0
        while i < choices.count, !exhausted {
            let choice = choices[i]
            switch (choice.kind, choice.value) {
            case (.integer, .integer):
                if isDoubleCode(i) {
                    // A double's code past the integers is searched through its
                    // value only: the integer search's probes (half the code
                    // lands among the integers, local steps cross one mantissa
                    // at a time) cost calls and found nothing the value-level
                    // candidates miss on the shrink-quality problems.
                    if lowerDoubleCode(at: i) { progress = true }
                    // An adoption can shorten the example past `i` (a
                    // double deciding how much follows it).
                    guard i < values.count else { break }
                    if case .integer(let now) = values[i], UInt64(bitPattern: now) >> 63 == 0 { break }
                }
                guard i < choices.count, case .integer(let c) = choices[i].kind, case .integer(let v) = choices[i].value else { break }
                let count = choices.count
                let rank = c.rank(of: v)
                // When neither the simplest value nor half the distance works, the
                // value is usually tied to a neighbour (a difference or an
                // order must hold), and stepping it down alone moves in tiny
                // steps; moving it together with a neighbour goes far in few
                // calls, so that is tried before the local steps.
                var shifted = false
                var lowered = false
                // A step of two after a failed step of one: it keeps a
                // parity ("odd and above 5" from 33 reaches 7; with the step
                // tried only when one step down made the value equal another
                // integer, 1 seed of 20 got there, and "even and above 1000"
                // stopped at Int64.max - 1 in 10). Below a threshold ("x >=
                // 100" at 100) both steps fail, so it cost a call per such
                // value at the end of most shrinks (one more median call on
                // about a third of the shrink-quality problems). Not once an
                // earlier search of this position, with the example as long
                // as now, adopted failing values an odd distance apart: both
                // parities fail, so there is none to keep (22 medians of the
                // suite a call or half lower over 200 seeds; bit patterns
                // lose the step's luck: "at least four bits set" ended higher
                // in 18 of 200 seeds, at the minimum in as many). Always for
                // an integral double: a value written in decimal fails at
                // both parities yet passes at each multiple of ten ("%g"
                // with six digits from 1,000,001 up), and the bisection
                // stopped at one above a multiple (1,003,521) in 20 seeds of
                // 20; three rows with doubles paid half a call to a call.
                // The floor the search that lowered this value to where it
                // is assumed, while nothing has changed since (see the header).
                var floor: UInt64 = 0
                if let f = loweringFloor, f.adoptions == adoptions, f.index == i, !isCharacter(i) { floor = f.distance }
                var assumed: UInt64 = 0
                // An unsigned word above the value where it reads as a
                // negative signed one goes there first (see `signedBoundary`).
                var start = v
                if let boundary = Self.signedBoundary(of: c), v > boundary, !isDoubleCode(i),
                   consider(replacing(i..<(i + 1), with: [.integer(boundary)])) {
                    lowered = true
                    start = boundary
                    floor = 0
                }
                // What the search sees, for the steps after it (`LowerNonMonotone.swift`).
                var record = IntegerSearchRecord(start: start)
                let parityMatters = isDoubleCode(i) || !(bothParitiesFail[i].map { $0 == count } ?? false)
                // A sparse bisection is cut short for numbers only: a
                // character's low bits name an unrelated character, and
                // stopping early cost the UTF-8 cut's shrinks up to 27
                // calls in 4 seeds of 20.
                _ = Search.lowestSimpler(of: start, in: c, lowBitsWhenSparse: !isCharacter(i),
                                         halvesWhenSparse: !isCharacter(i) && Self.isMachineWord(c),
                                         masksHighBits: Self.isMachineWord(c) && c.simplest == c.min && !isDoubleCode(i), stepOfTwo: { _ in parityMatters }, failingUpTo: floor,
                                         assumed: { assumed = $0 }, cutAsSparse: { record.cutAsSparse = true }, beforeLocalSteps: {
                    let beforeShift = self.values
                    shifted = self.choices.count == count && self.shiftWithNeighbours(i)
                    // A shift that took a neighbour to the end of its range
                    // can go no further, and the next position's search
                    // takes that neighbour back at once: the value is tried
                    // alone at its simplest now, while the neighbour is
                    // there. (A sum of squares kept past Int32's top,
                    // `[505, -32765, -32768]`: the shift reached
                    // `[502, -32768, -32768]`, lowering the -32768 took it
                    // back to -32765, and the first value crawled down three
                    // a round, 18 of 20 seeds spending the whole budget;
                    // `[0, -32768, -32768]` fails.)
                    if shifted, i < self.choices.count, self.choices.count == count, !self.choices[i].isSimplest,
                       self.values.indices.contains(where: { j in
                           guard j != i, self.values[j] != beforeShift[j], case .integer(let w) = self.values[j],
                                 case .integer(let cj) = self.choices[j].kind else { return false }
                           return (w == cj.min || w == cj.max) && w != cj.simplest
                       }) {
                        _ = self.consider(self.replacing(i..<(i + 1), with: [.integer(c.simplest)]))
                    }
                    // An integral double that neither its simplest value nor
                    // half of it replaces: the power of two below it first.
                    if !shifted, self.choices.count == count, self.isDoubleCode(i) {
                        shifted = self.lowerIntegralDoubleToPowerOfTwo(at: i)
                    }
                    return shifted
                }) { target in
                    guard i < self.choices.count, self.choices.count == count else { return false }
                    var adopted = self.consider(self.replacing(i..<(i + 1), with: [.integer(target)]))
                    // A probe a filter rejected (a composite where primes
                    // are drawn) says nothing about the failure: the nearest
                    // value below it that generation accepts answers for it.
                    if !adopted, !self.isCharacter(i), !self.isDoubleCode(i) {
                        adopted = self.nearestAcceptedBelow(target, at: i, in: c)
                    }
                    record.record(target, adopted: adopted)
                    if adopted { lowered = true }
                    return adopted
                }
                searchAdopted.formUnion(record.adopted.dropFirst())
                if !shifted, lowerNonMonotone(at: i, after: record) { lowered = true }
                if !shifted, !lowered, lowerRoundNumber(at: i) { lowered = true }
                // A value the search left whose earlier moves share a
                // factor (bits cleared one by one from 2^22 + 304 down, a
                // residue modulo 512): stepped by that period.
                if !shifted, !lowered, i < choices.count, choices.count == count, lowerByCommonPeriod(at: i, c, ladder: false) { lowered = true }
                if !shifted, record.adoptedBothParities() { bothParitiesFail[i] = choices.count }
                if lowered, assumed > 0, i < choices.count, case .integer(let w) = choices[i].value,
                   Self.distanceFromSimplest(w, c) > assumed, (w > c.simplest) == (v > c.simplest) {
                    loweringFloor = (adoptions, i, assumed)
                }
                if !shifted, !lowered, rank >= Self.characterClassStarts.last!, isCharacter(i) {
                    // Character classes are scattered over the order (letters
                    // past "z" in Latin-1 and beyond), so a predicate like
                    // "is a letter" is not monotone and the searches above
                    // stop at a local minimum ("ß" for "is lowercase").
                    // Jumping to a quarter, an eighth, … of the rank finds
                    // the ASCII class, which the next round then lowers.
                    // Only past printable ASCII: there the classes are runs
                    // of the order (digits, capitals, small letters, the
                    // rest), which the searches above lower within, and the
                    // jumps landed among digits and capitals for nothing
                    // ("a" in "00aA" cost four calls a round). Only for a
                    // letter: the jumps land among ASCII letters and digits,
                    // which no other class past ASCII shares (at "\u{80}",
                    // "holds a character past ASCII", they cost four calls
                    // a round; digits are the simplest characters, tried
                    // first by every search).
                    var r = Gen.scalar(atIndex: v).properties.isAlphabetic ? rank >> 2 : 0
                    while r > 0, !exhausted, !lowered {
                        if consider(replacing(i..<(i + 1), with: [.integer(c.value(atRank: r))])) { lowered = true }
                        r >>= 1
                    }
                    // A control character or one past ASCII: the first
                    // character of each printable class ("A", "a", " "),
                    // simplest first. A predicate on code points is not
                    // monotone in the order either: "below '0'" holds for
                    // " " to "/" and for the controls, and the searches
                    // above stopped at "\0" without trying " ".
                    for start in Self.characterClassStarts where start < rank && !exhausted && !lowered {
                        if consider(replacing(i..<(i + 1), with: [.integer(c.value(atRank: start))])) { lowered = true }
                    }
                }
                if !shifted, !lowered, let start = Self.letterClassStart(rank), start < rank, c.max >= Self.asciiOrderLast, isCharacter(i) {
                    // An ASCII letter the searches left: the first letter of
                    // its case. Within printable ASCII a predicate on a set
                    // of letters ("a vowel", "one of x, y, z, a, b") is not
                    // monotone in the order either, and bisecting from "o"
                    // towards "0" stopped at "o" ("three vowels" ended at
                    // "aaa" in 1 seed of 20, at "ooo" or "eou" in the rest).
                    // (Only in the whole order: an alphabet of
                    // `characters(from:)` or one cut at a code point below
                    // "z" has other characters at these ranks.)
                    if consider(replacing(i..<(i + 1), with: [.integer(c.value(atRank: start))])) { lowered = true }
                }
                if !shifted, !lowered, i < choices.count, switchBranch(at: i) { lowered = true }
                // Not after a shift with a neighbour: the value it left was
                // never tried alone (`redistribute` then tries it first).
                if !shifted { loweredAloneAt[i] = adoptionsBesidesRedistribution }
                if shifted || lowered { progress = true }
                // An element's value that could go to its simplest: the
                // later elements' values often can too, all in one call.
                // (A state machine's later steps likewise.)
                if lowered, i < choices.count, choices[i].isSimplest,
                   zeroLaterElements(after: i) || zeroLaterStepArguments(after: i) { progress = true }
                // A threshold found for one element's value: the other
                // elements' values often need the same one.
                if lowered, i < choices.count, !choices[i].isSimplest, !isDoubleCode(i), copyToOtherElements(from: i, previous: v) { progress = true }
            case (.boolean, .boolean(true)):
                // As in zeroSpans: clearing the "another element" flag of an
                // element with a following sibling cuts the collection off
                // there; deleting runs of siblings covers shortening it.
                if startsElementWithSibling(i) { break }
                if consider(replacing(i..<(i + 1), with: [.boolean(false)])) || switchBind(at: i) { progress = true }
            case (.boolean, .boolean(false)):
                if switchBind(at: i) { progress = true }
            case (.bytes, .bytes):
                if lowerBytes(at: i) { progress = true }
            default:
                break
            }
            step += 1
            i = choices.count == length && step < order.count ? order[step] : step
        }
        return progress
    }
}

extension Shrinker {
    /// The most values a probe a filter rejected is walked past (see `nearestAcceptedBelow`).
    static let rejectedWalkLimit = 32

    /// When the candidate with `target` at choice `index` was discarded (a
    /// filter or an assumption rejected it, or, inside a filter, its replay
    /// ran out of choices), tries the values from `target`
    /// towards the simplest one by one, up to `rejectedWalkLimit` of them,
    /// until one is not discarded; whether that one was adopted.
    ///
    /// An integer search reads a discarded probe as a pass. Where a filter
    /// accepts few values (primes, multiples), nearly every probe is
    /// discarded and the search stopped early: a prime above 100 drawn
    /// through a filter reached 101 in 7 seeds of 20 (Hypothesis 0), 20 now
    /// at 14.5 median calls, not 4.5; two primes whose product wraps a
    /// `UInt16` stopped at `(311, 941)` and go on to `(97, 677)` (the
    /// minimum, `(67, 983)`, needs the second to rise). Discarded runs call
    /// no body, only the generator. Slab sizes kept to multiples of 8 by a
    /// filter, totalling over 300, then lowered their first size as far as
    /// it goes and stopped at `[152, 152]` in 14 seeds of 20, until
    /// `redistribute` walked past rejected moves the same way (20 of 20 at
    /// `[104, 200]` now).
    func nearestAcceptedBelow(_ target: Int64, at index: Int, in kind: IntegerConstraints) -> Bool {
        // Inside a filter, a rejected draw is drawn again from the choices
        // after it, so a replay usually runs out of them instead.
        let filtered = insideFilter(index)
        var value = target
        for _ in 0..<Self.rejectedWalkLimit where !exhausted {
            guard index < choices.count, value != kind.simplest else { return false }
            let probe = replacing(index..<(index + 1), with: [.integer(value)])
            guard rejectedByFilter(probe, filtered: filtered) else { return false }
            value = value > kind.simplest ? value - 1 : value + 1
            let candidate = replacing(index..<(index + 1), with: [.integer(value)])
            if consider(candidate) { return true }
        }
        return false
    }
}
