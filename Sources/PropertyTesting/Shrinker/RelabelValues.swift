// Pass: give values that matter only by equality their simplest names.
//
// A least-recently-used cache that evicts the wrong key fails on
// `put(1); put(0); get(1); put(2)` as on `put(0); put(1); get(0); put(2)`:
// only which keys are equal matters. No value can move alone (1 lowered to
// 0 meets the other 0, and lowering the 1s together makes every key 0), so
// the first stopped there in 7 of 20 seeds. Here the integer choices of one
// kind in one role (`Role`: the keys, not the values stored under them)
// are renamed at once, every occurrence of a value to the same new value.
// Up to four candidates, in order:
//
// - the simplest names: the distinct values, in the order they first
//   occur, become the simplest values of the kind, when none becomes less
//   simple and one that is used more than once, and also occurs outside the
//   role, becomes simpler (a key used twice in `[(1, 0), (1, 1)]` becomes 0
//   while the values of the same kind stay);
// - the distinct values permuted into simplicity order, in the order they
//   first occur (the cache above);
// - one swap, of the first value out of that order with the simplest after it;
// - in a state machine where a value is an argument of steps of two
//   different rules (a key inserted, then looked up), the simplest names in
//   first-use order whatever they do to the values used most (`linksRules`;
//   always simpler: the first value renamed takes a name simpler than its
//   own). A set that forgets its second distinct key stopped at `insert(x:
//   1); insert(x: 0); contains(x: 0)` in 17 of 20 seeds, where the 0 used
//   twice must become 1, which the candidates above never try.
//
// The components of a tuple of one kind that share a value form one more
// group, renamed together: an edge's two vertices name the same vertices,
// and a directed triangle over 8 vertices stopped at its mirror
// `[(0, 2), (1, 0), (2, 1)]` in 6 of 20 seeds, where renaming either
// component alone breaks the cycle. So do a state-machine step's arguments
// of one kind: a file system whose rename skips the same-file check
// stopped at `create(1); link(src: 1, dst: 0); rename(src: 0, dst: 1)` in
// 6 of 20 seeds, where the first arguments (a create's name, a link's and
// a rename's source) are one group and the second another, and renaming
// either alone breaks the link.
//
// Choices that may pick a structure rather than name a value are left out
// (`namingGroups`): renaming a one-of's branch changes what is drawn after
// it, and the calculator's expressions lost a call at their minimum to such
// a candidate. So is a step's rule when no argument follows it: a fast
// bin's `alloc()` rule (0 of 0...1) in one group with the frees' picks (1,
// 0, 1) left the picks in first-use order, and `free(v2); free(v1);
// free(v2)` stayed in 4 of 20 seeds.
//
// A permutation is tried only when it moves a value used more than once,
// and moves the values used more often to simpler ones or leaves the
// balance even (`keepsUse`: `[1, 0, 1, 0]` becomes `[0, 1, 0, 1]`). Where a
// value matters by its size, as in `[11, 0, 0]` whose first must be above
// 10, a renaming would cost a call at the end of every shrink, and values
// used once each are single choices, which lowering and sorting move.
//
// Run with the main passes, not as a last resort: it costs a call only where
// a renaming applies, and renaming early leaves less for the other passes.
// As a last resort each renaming was followed by a whole further round of
// every pass at the minimum: a store machine that loses its first key spent
// 930 shrink calls over 20 seeds instead of 779 without the pass; with the
// main passes, 753, every seed ending with its keys in first-use order.
//
// Invariant: changes values only (the length and the kinds stay), and a
// candidate is run only when it is simpler (`consider`).

extension Shrinker {
    func relabelValues() -> Bool {
        var progress = false
        var g = 0
        var groups = namingGroups()
        while g < groups.count, !exhausted {
            if relabel(groups[g]) {
                progress = true
                // Values changed, and with them perhaps what was drawn after them.
                groups = namingGroups()
            }
            g += 1
        }
        return progress
    }

    /// The spans whose children of one kind may name the same things: a
    /// tuple's components, and a state-machine step's arguments.
    static let componentParents: Set<String> = ["tuple", stepLabel]

    /// What makes two choices names of one kind: the same integer kind,
    /// drawn in the same place of their structures (the label of the
    /// innermost span, its parent's label, and which child of the parent it
    /// is). A put's key and a get's key are both the first argument of a
    /// step; a put's value, the second, is not renamed with the keys. A
    /// choice drawn directly in a collection element or a step (a bundle
    /// pick) has no child index: the element's place in its list is not a role.
    private struct Role: Hashable {
        let kind: ChoiceKind
        let label: String
        let parentLabel: String
        let child: Int
    }

    /// The integer choices that may name values, grouped by `Role`, each
    /// group in index order and the groups in the order of their first
    /// choice (no dictionary order reaches a candidate). Choices that may
    /// pick a structure are left out: each followed by more choices of its
    /// innermost span (a one-of's branch before the branch's draws, a
    /// state-machine step's rule before its arguments). A value drawn on its
    /// own (a key, an element, a tuple's component) is the last choice of
    /// its innermost span.
    private func namingGroups() -> [[Int]] {
        let innermost = innermostSpans()
        var childIndex = [Int](repeating: 0, count: spans.count)
        var children: [Int: Int] = [:]
        for (i, span) in spans.enumerated() {
            let parent = span.parent ?? -1
            childIndex[i] = children[parent, default: 0]
            children[parent, default: 0] += 1
        }
        var groupOf: [Role: Int] = [:]
        var groups: [[Int]] = []
        for k in choices.indices {
            guard case .integer = choices[k].kind else { continue }
            let i = innermost[k]
            var role = Role(kind: choices[k].kind, label: "", parentLabel: "", child: -1)
            if i >= 0 {
                let span = spans[i]
                guard k + 1 == span.end else { continue }
                // A step's rule (after its flag) picks what the step does,
                // also when no argument follows it (`alloc()`): no name.
                if span.label == Self.stepLabel, k == span.start + 1 { continue }
                let top = valueSpan(i)
                let directInElement = Self.flaggedLabels.contains(span.label)
                role = Role(kind: choices[k].kind, label: spans[top].label, parentLabel: spans[top].parent.map { spans[$0].label } ?? "",
                            child: directInElement ? -1 : childIndex[top])
            }
            if let g = groupOf[role] {
                groups[g].append(k)
            } else {
                groupOf[role] = groups.count
                groups.append([k])
            }
        }
        // The components of a tuple, or the arguments of a state-machine
        // step, that are of one kind may name the same things (an edge's two
        // vertices, a link's source and destination): their choices together
        // are one more group, after the groups of each component, when a
        // value occurs in more than one of them.
        var components: [Role: [Int]] = [:]
        var componentOrder: [Role] = []
        for (g, positions) in groups.enumerated() {
            let k = positions[0], i = innermost[k]
            guard i >= 0 else { continue }
            let top = valueSpan(i)
            guard let parent = spans[top].parent, Self.componentParents.contains(spans[parent].label) else { continue }
            let role = Role(kind: choices[k].kind, label: spans[top].label, parentLabel: spans[parent].label, child: -1)
            if components[role] == nil { componentOrder.append(role) }
            components[role, default: []].append(g)
        }
        for role in componentOrder {
            guard let members = components[role], members.count >= 2 else { continue }
            let valueSets = members.map { Set(groups[$0].map { values[$0] }) }
            let shared = valueSets.indices.contains { a in valueSets.indices.contains { b in b > a && !valueSets[a].isDisjoint(with: valueSets[b]) } }
            if shared { groups.append(members.flatMap { groups[$0] }.sorted()) }
        }
        return groups
    }

    /// The place of the whole value whose innermost span is `spans[i]`: the
    /// outermost span of the same choices (a mapped generator wraps its
    /// inner one), short of a collection element or a step. An element
    /// within a collection's least count has no flag, so its span holds the
    /// value's choices alone: a string of one to four characters read its
    /// first character as an element, in another group than the others,
    /// and `('xxx-', 'xx-')` was never renamed to `('---x', '--x')`.
    private func valueSpan(_ i: Int) -> Int {
        var top = i
        while let p = spans[top].parent, spans[p].range == spans[top].range, !Self.flaggedLabels.contains(spans[p].label) {
            top = p
        }
        return top
    }

    /// How many integer choices of `kind` hold `v`, in the whole example.
    private func choicesHolding(_ v: Int64, kind: ChoiceKind) -> Int {
        var count = 0
        for choice in choices where choice.value == .integer(v) && choice.kind == kind { count += 1 }
        return count
    }

    /// Tries renamings of the values of the choices at `positions` (a naming group).
    private func relabel(_ positions: [Int]) -> Bool {
        guard positions.count >= 2, case .integer(let constraints) = choices[positions[0]].kind else { return false }
        let kind = choices[positions[0]].kind
        // `values` is computed from the best example: read once.
        let current = values
        var firsts: [Int64] = []
        var occurrences: [Int64: Int] = [:]
        for p in positions {
            guard case .integer(let v) = current[p] else { continue }
            if occurrences[v] == nil { firsts.append(v) }
            occurrences[v, default: 0] += 1
        }
        let rank = { (v: Int64) in constraints.rank(of: v) }
        func renamed(_ names: [Int64: Int64]) -> [ChoiceValue] {
            var candidate = current
            for p in positions {
                if case .integer(let v) = current[p], let name = names[v] { candidate[p] = .integer(name) }
            }
            return candidate
        }
        // The simplest names: the distinct values, in the order they first
        // occur, become the simplest values of the kind in order, when none
        // becomes less simple and one used more than once becomes simpler
        // (a value used once is one choice, which lowering moves). In
        // `[(1, 0), (1, 1)]` where a key must hold two values the keys
        // become 0 while the values, of the same kind, stay; lowering every
        // 1 of the kind at once would make the values equal too.
        // Only where such a value also occurs outside the group: otherwise
        // lowering equal values together already tries it, and the
        // candidate would be one more call at minima such as `[0, 11, 11]`
        // (the last the sum of the others), where it fails.
        let simplest = firsts.indices.map { constraints.value(atRank: UInt64($0)) }
        let elsewhere = { (v: Int64) in self.choicesHolding(v, kind: kind) > occurrences[v]! }
        if firsts.indices.allSatisfy({ rank(simplest[$0]) <= rank(firsts[$0]) }),
           firsts.indices.contains(where: { simplest[$0] != firsts[$0] && occurrences[firsts[$0]]! > 1 && elsewhere(firsts[$0]) }),
           consider(renamed(Dictionary(uniqueKeysWithValues: zip(firsts, simplest)))) {
            return true
        }
        guard firsts.count >= 2 else { return false }
        let simpler = { (a: Int64, b: Int64) in rank(a) < rank(b) }
        let sorted = firsts.sorted(by: simpler)
        guard sorted != firsts else { return false }
        // Whether a permutation of the distinct values moves the values used
        // more often to simpler ones, or as often: their ranks, weighted by
        // how often each occurs, add up to no more (`[1, 0, 1, 0]` to
        // `[0, 1, 0, 1]`). One that does not, as `[11, 0, 0]` to
        // `[0, 11, 11]`, is the kind of value that matters by size, not
        // only by equality.
        func keepsUse(_ names: [Int64: Int64]) -> Bool {
            var change = 0.0
            // In the order values first occur: no dictionary order reaches the sum.
            for v in firsts {
                guard let name = names[v] else { continue }
                change += Double(occurrences[v]!) * (Double(rank(name)) - Double(rank(v)))
            }
            return change <= 0
        }
        // Only permutations that move a value used more than once: values
        // used once each are single choices, which sorting already moves
        // (`[3, 2, 1, 0]` where the list must fall stays as it is).
        let repeated = { (v: Int64) in occurrences[v]! > 1 }
        let whole = Dictionary(uniqueKeysWithValues: zip(firsts, sorted))
        if firsts.indices.contains(where: { firsts[$0] != sorted[$0] && repeated(firsts[$0]) }),
           keepsUse(whole), consider(renamed(whole)) {
            return true
        }
        // One swap: the first value out of order with the simplest after it.
        if let i = firsts.indices.first(where: { firsts[$0] != sorted[$0] }) {
            let rest = firsts[(i + 1)...]
            if let j = rest.indices.min(by: { simpler(firsts[$0], firsts[$1]) }), repeated(firsts[i]) || repeated(firsts[j]) {
                let swap = [firsts[i]: firsts[j], firsts[j]: firsts[i]]
                if swap != whole, keepsUse(swap), consider(renamed(swap)) { return true }
            }
        }
        // The names in first-use order, whatever that does to how often
        // each is used, where a value links two rules' arguments (see the header).
        guard linksRules(positions) else { return false }
        let firstUse = Dictionary(uniqueKeysWithValues: zip(firsts, simplest))
        // (When it is `whole` or a candidate above, that one was run, or
        // not run for `keepsUse`; a run candidate is answered without a call.)
        guard firsts.indices.contains(where: { firsts[$0] != simplest[$0] }) else { return false }
        return consider(renamed(firstUse))
    }

    /// Whether a value of the choices at `positions` is an argument of two
    /// state-machine steps that run different rules.
    private func linksRules(_ positions: [Int]) -> Bool {
        guard !best.ruleChoices.isEmpty else { return false }
        let steps = spans.filter { $0.label == Self.stepLabel }
        let current = values
        var ruleOf: [(value: ChoiceValue, rule: Int)] = []
        for p in positions {
            guard let step = steps.last(where: { $0.range.contains(p) }),
                  let r = best.ruleChoices.first(where: { $0.choice == step.start + 1 }), let rule = r.rule(in: current) else { continue }
            ruleOf.append((current[p], rule))
        }
        return ruleOf.indices.contains { a in ruleOf.indices.contains { b in b > a && ruleOf[a].value == ruleOf[b].value && ruleOf[a].rule != ruleOf[b].rule } }
    }
}
