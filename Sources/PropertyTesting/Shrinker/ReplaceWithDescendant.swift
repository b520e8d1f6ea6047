// Pass: replace a sub-draw by a smaller sub-draw nested inside it with the
// same label (a tree by one of its subtrees, an expression by an operand).
//
// A node with one child of its label that is a leaf (a negation, a minus,
// a wrapper around a literal) often stands for the leaf with another
// value: `not(false)` is `true`. When no descendant replaces such a node,
// the leaf with its last choice one rank from its simplest value (false
// to true, 0 to 1) is tried too, when the leaf is a literal (its branch
// and its value, two choices at most: a tuple nested in a tuple through a
// recursion is no literal, and the challenge's calculator paid a call in
// most seeds for it) and that choice is not a collection's flag (an empty
// list is no literal either): a predicate's negation normal form stopped
// at `not(and(false, not(false)))` in 9 seeds of 20, not `not(and(false,
// true))`. One call per such node whose leaf ends at its simplest value.
//
// When nothing replaces a node, its two children of its label (a binary
// tree's subtrees) are each replaced by their own first child at once: a
// tree checked for balance at its root only keeps its subtrees' heights
// within one, so each side's cut failed until the other was cut, and a
// second probe's tree took 98.5 median calls from the first failure
// (Hypothesis 28.5), 65.5 now. One call per such node where nothing else
// works; on the suite two rows paid half a call each.
//
// Invariant: the candidate drops the choices around the descendant (or
// around both children's descendants), so it is strictly shorter.

extension Shrinker {
    func replaceWithDescendant() -> Bool {
        var progress = false
        var i = 0
        while i < spans.count, !exhausted {
            let span = spans[i]
            var accepted = false
            var j = i + 1
            while j < spans.count, spans[j].start < span.end, !exhausted {
                let inner = spans[j]
                if inner.label == span.label, inner.count < span.count,
                   consider(replacing(span.range, with: Array(values[inner.range]))) {
                    accepted = true
                    break
                }
                j += 1
            }
            if !accepted, !exhausted, let leaf = onlyLeafChild(of: i), leaf.count <= 2, let last = leaf.last, choices[last].isSimplest,
               !isElementFlag(last, in: spans),
               let raised = Self.nextAfterSimplest(choices[last].kind) {
                var candidate = Array(values[leaf])
                candidate[candidate.count - 1] = raised
                accepted = consider(replacing(span.range, with: candidate))
            }
            if !accepted, !exhausted, let lifted = liftingBothChildren(of: i) { accepted = consider(lifted) }
            if accepted { progress = true } else { i += 1 }
        }
        return progress
    }

    /// The example with the two children of span `node` that have its label
    /// each replaced by its own first child with that label, when `node` has
    /// exactly two such children and each has one: both sides a level lower
    /// at once. A tree balanced at its root only went down one side per
    /// call, each side's cut failing while the other was not yet cut.
    private func liftingBothChildren(of node: Int) -> [ChoiceValue]? {
        let children = labelledChildren(of: node, atMost: 3)
        guard children.count == 2 else { return nil }
        let (a, b) = (spans[children[0]].range, spans[children[1]].range)
        guard a.upperBound <= b.lowerBound, let ga = labelledChildren(of: children[0], atMost: 1).first,
              let gb = labelledChildren(of: children[1], atMost: 1).first else { return nil }
        var candidate = values
        candidate.replaceSubrange(b, with: values[spans[gb].range])
        candidate.replaceSubrange(a, with: values[spans[ga].range])
        return candidate
    }

    /// The first `atMost` spans with span `node`'s label directly inside it
    /// (strictly smaller, and inside no other such span), in order; spans
    /// with the same choices count once. Found through each span's
    /// enclosing spans, so a large tree costs its size times its depth.
    private func labelledChildren(of node: Int, atMost limit: Int) -> [Int] {
        let span = spans[node]
        var result: [Int] = []
        var k = node + 1
        while k < spans.count, spans[k].start < span.end, result.count < limit {
            let inner = spans[k]
            if inner.label == span.label, inner.count < span.count, !result.contains(where: { spans[$0].range == inner.range }) {
                // Its nearest enclosing span of the label with other choices.
                var enclosing = inner.parent
                while let q = enclosing, spans[q].label != span.label || spans[q].range == inner.range { enclosing = spans[q].parent }
                if let q = enclosing, spans[q].range == span.range { result.append(k) }
            }
            k += 1
        }
        return result
    }

    /// The choices of the one descendant of span `node` with its label,
    /// when there is exactly one and it holds none itself (a leaf); nil
    /// otherwise. Spans of the label with the same choices are one node (a
    /// mapped generator draws the one it maps, with its label).
    private func onlyLeafChild(of node: Int) -> Range<Int>? {
        let span = spans[node]
        var child: Range<Int>?
        for k in (node + 1)..<spans.count where spans[k].start < span.end && spans[k].label == span.label && spans[k].range != span.range {
            guard child == nil || child == spans[k].range else { return nil }
            child = spans[k].range
        }
        return child
    }

    /// The value one rank from the simplest of a boolean or an integer kind.
    private static func nextAfterSimplest(_ kind: ChoiceKind) -> ChoiceValue? {
        switch kind {
        case .boolean: return .boolean(true)
        case .integer(let c) where c.distanceUp > 0 || c.distanceDown > 0: return .integer(c.value(atRank: 1))
        default: return nil
        }
    }
}
