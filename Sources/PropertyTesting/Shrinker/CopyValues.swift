// Pass: give an integer the value of the nearest simpler integer of its kind.
//
// Some failures need two values to agree in a way no single move keeps:
// "a common divisor above 10" fails at (12, 156), and lowering either alone
// passes (12 has no smaller partner than 156 among its multiples' lower
// values, and 156 drops straight past 12 to a value that shares no divisor
// with it). Made equal, (12, 12) still fails, and lowering equal values
// together then reaches (11, 11). The pair stopped where random search
// left it in 10 of 20 seeds. The same move suits collisions (two keys in
// one bucket, two sizes of one class) and multiples in general.
//
// For each integer, the candidates are the nearest integer of the same
// kind before it and the nearest after it, in the same tuple or collection,
// whose value is at most half as far from the simplest (in rank): one call
// each at most. Integers that choose a branch or a rule (followed by more
// choices of their innermost span), characters and doubles' codes are left
// out. The two limits keep the cost off the challenge problems: without
// them bound5 (values in separate lists) and difference_must_not_be_small
// (10 and 6, close in rank) each spent a call more at their minimum.
//
// A last-resort pass, run after every other: at a minimum it costs a call
// for each integer with such a neighbour (twelve of the suite's problems,
// most of them sums and products over a bound, spend half a call to a call
// more in the median).
//
// Invariant: a candidate changes one integer to a value of lower rank in
// its own kind, so it is simpler.

extension Shrinker {
    func copyValues() -> Bool {
        var progress = false
        var i = 0
        var (copyable, structure) = copyableIntegers()
        while i < choices.count, !exhausted {
            guard copyable[i], case .integer(let c) = choices[i].kind, case .integer(let v) = values[i] else { i += 1; continue }
            let rank = c.rank(of: v)
            let home = structure[i]
            func simplerNeighbour(_ indices: some Sequence<Int>) -> Int? {
                for j in indices where copyable[j] && choices[j].kind == choices[i].kind && structure[j] == home {
                    if case .integer(let w) = values[j], c.rank(of: w) <= rank / 2 { return j }
                }
                return nil
            }
            var adopted = false
            for j in [simplerNeighbour((0..<i).reversed()), simplerNeighbour((i + 1)..<choices.count)].compactMap({ $0 }) where !exhausted {
                var candidate = values
                candidate[i] = values[j]
                if consider(candidate) { adopted = true; break }
            }
            if adopted {
                progress = true
                (copyable, structure) = copyableIntegers()
            } else {
                i += 1
            }
        }
        return progress
    }

    /// For each choice, whether it is an integer this pass may copy to or
    /// from (the last choice of its innermost span, not a character nor a
    /// double's code), and the structure it belongs to: the parent of its
    /// innermost span, or for a collection's element the collection (-1
    /// for none). Values are copied within one structure only: a tuple's
    /// components, a collection's elements.
    private func copyableIntegers() -> (copyable: [Bool], structure: [Int]) {
        let innermost = innermostSpans()
        let copyable = choices.indices.map { k in
            guard case .integer = choices[k].kind else { return false }
            if innermost[k] >= 0, k + 1 != spans[innermost[k]].end { return false }
            return !isCharacter(k) && !isDoubleCode(k)
        }
        let structure = choices.indices.map { k -> Int in
            guard innermost[k] >= 0, var parent = spans[innermost[k]].parent else { return -1 }
            if Self.flaggedLabels.contains(spans[parent].label), let collection = spans[parent].parent { parent = collection }
            return parent
        }
        return (copyable, structure)
    }
}
