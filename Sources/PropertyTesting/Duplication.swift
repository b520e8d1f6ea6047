// The search phase's one mutation: copying a sub-draw over another of the same kind.
//
// Equal values at two places of an example (two equal strings, a list's
// first and last element, the same handle freed twice) are where many bugs
// live, and are hopeless to draw independently: two strings of three
// characters drawn uniformly from the 95 printable ones are equal once in
// 857,375 pairs. After a random
// example passes, the search runs it again with one labelled sub-draw's
// choices copied over another sub-draw of the same label, neither inside
// the other (both strings, both list elements, both steps of a machine), as
// Hypothesis's engine mutates its examples (`generate_mutations_from`).
//
// Invariant: a mutation only decides which choice values are tried next. The
// copied values are replayed as a prefix (a value a draw does not permit
// reads as the simplest, draws past the prefix come from the random source),
// so every example it makes is one the generator can make, replays from its
// recorded choices and shrinks like any other.

/// Picks and applies duplication mutations to a passed example's choices.
struct Duplication {
    /// Mutations follow passed random examples after this many.
    static let firstExample = 50
    /// Pairs of sub-draws picked at most per mutation (picks of two nested
    /// or already equal sub-draws, or of an example already run, run nothing).
    static let picks = 5
    /// Keeps the mutations' random numbers apart from the examples'.
    static let seedSalt: UInt64 = 0x6475_706C_6963_6174
    /// How a report names a failure a mutation found.
    static let origin = "copying a part of a passing example over another of its kind"

    /// The sub-draws of one label, in the order they start.
    private let groups: [[Span]]

    /// The groups of `spans` (non-empty sub-draws) sharing a label with at
    /// least one other, in order of first appearance (never hash order).
    init(spans: [Span]) {
        var labels: [String] = []
        var byLabel: [[Span]] = []
        for span in spans where span.count > 0 {
            if let k = labels.firstIndex(of: span.label) {
                byLabel[k].append(span)
            } else {
                labels.append(span.label)
                byLabel.append([span])
            }
        }
        groups = byLabel.filter { $0.count > 1 }
    }

    var isEmpty: Bool { groups.isEmpty }

    /// `values` with one sub-draw's choices copied over another's of the
    /// same label, both picked with `random`; nil when the two picked are
    /// nested (one holds the other) or equal already.
    func mutate(_ values: [ChoiceValue], random: inout RandomSource) -> [ChoiceValue]? {
        guard !groups.isEmpty else { return nil }
        let group = groups[Int(random.below(inclusive: UInt64(groups.count - 1)))]
        let a = Int(random.below(inclusive: UInt64(group.count - 1)))
        var b = Int(random.below(inclusive: UInt64(group.count - 2)))
        if b >= a { b += 1 }
        let (source, target) = (group[a], group[b])
        guard source.end <= target.start || target.end <= source.start,
              source.end <= values.count, target.end <= values.count else { return nil }
        let copied = values[source.range]
        guard !copied.elementsEqual(values[target.range]) else { return nil }
        return Array(values[..<target.start]) + copied + values[target.end...]
    }
}
