// Pass (last resort, generator properties): delete an element at its
// simplest values, or one element of a list of integers, and add its values
// to the next element's.
//
// Where a range starts above zero (a width of 1...8 bits, a size of 1...32
// bytes) an element at its simplest values still counts: fields of one bit
// move every later field along, blocks of one byte move the top of an
// arena. Deleting such an element alone moves what follows back, and the
// failure goes; deleting it with its values added to the next element's
// keeps everything after them where it was. Bit fields read back by a
// reader that takes a straddling field's low bits stopped at `[(1, 0), (1,
// 0), (7, 1)]` in 3 seeds of 20, where `[(1, 0), (8, 1)]` fails the same
// way: each deletion alone moved the 7-bit field off the byte boundary it
// straddled, and raising it alone is not simpler.
//
// Only an element whose integers are all at their simplest, with one of
// those not 0, and whose next element differs from it: one call per such
// element, none for elements of ranges that start at 0 (whose simplest
// elements add nothing), and none inside a run of equal elements (at the
// minimum `[1, 1, 1, 1]` of four sizes of 1...4096 that round up to more
// than three pages, each merge cost a call; a run's last element still
// merges into what follows it). The list's last two elements merge even
// when equal, where nothing follows the run: five requests of one token
// overdraw a bucket of four as one and four do, and stopped there in 8
// seeds of 20 (one call at the minimum of six list problems).
//
// A list of plain integers (each element one `Gen.integers` draw, not a
// character's or an element's index) also merges one element that is not at
// its simplest: the one before the element farthest from its simplest value
// that can take it within its range, both on the same side of the simplest
// value (a sum of opposite signs cancels: the challenge's list of lists
// paid a call at its minimum `[[0, 1, -1, 2, -2]]` for `[[0, 1, -1, 0]]`).
// Sums that wrap, sizes that add up to a limit and totals past a bound then
// lose an element and keep their sum: nonzero bytes whose wrapping sum is 0
// stopped short of `[1, 255]` in 14 of the 16 seeds of 20 that found one,
// at `[1, 1, 1, 253]` and the like (deleting a 1 or lowering any byte alone
// loses the wrap). One candidate per list, not one per element: merging
// every element cost 6 calls at the minimum of a list of 8 distinct values,
// and 0.5 to 3 on twelve other lists' problems; one candidate costs 1 call
// on each list of two or more such integers that reaches this pass.
//
// Invariant: the candidate removes the element (with its flag) and raises
// integers of the next element within their ranges, so it is shorter.

extension Shrinker {
    func deleteIntoNext() -> Bool {
        guard executor.deduplicates else { return false }
        let spans = self.spans
        for run in elementRuns(in: spans) where !exhausted {
            // The one element an element not at its simplest merges into.
            let target = mergeTarget(in: run, spans: spans)
            // The list's last element (past it, at most an end marker).
            let last = run.last(where: { spans[$0].count > 1 })
            for (a, b) in zip(run, run.dropFirst()) where !exhausted && isElementFlag(spans[a].start, in: spans) {
                let from = spans[a].range.filter { if case .integer = choices[$0].kind { true } else { false } }
                let into = spans[b].range.filter { if case .integer = choices[$0].kind { true } else { false } }
                guard !from.isEmpty, from.count == into.count, values[spans[a].range] != values[spans[b].range] || b == last,
                      zip(from, into).allSatisfy({ choices[$0].kind == choices[$1].kind }) else { continue }
                let atSimplest = from.allSatisfy({ choices[$0].isSimplest }) && from.contains(where: { choices[$0].value != .integer(0) })
                guard atSimplest || b == target else { continue }
                var candidate = values
                var fits = true
                for (f, t) in zip(from, into) {
                    guard case .integer(let c) = choices[t].kind, case .integer(let x) = values[f], case .integer(let y) = values[t]
                    else { fits = false; break }
                    let (sum, overflow) = x.addingReportingOverflow(y)
                    guard !overflow, c.contains(sum) else { fits = false; break }
                    candidate[t] = .integer(sum)
                }
                guard fits else { continue }
                candidate.removeSubrange(spans[a].range)
                if consider(candidate) { return true }
            }
        }
        return false
    }

    /// True when choice `k` is drawn by an integer generator of its own (a
    /// span labelled "integer" holding just it): a number, not a character's
    /// or an element's index.
    func isPlainInteger(_ k: Int, in spans: [Span]) -> Bool {
        spans.contains { $0.label == "integer" && $0.start == k && $0.end == k + 1 }
    }

    /// The element of `run` (span indices) that its predecessor merges into
    /// when both are plain integers not at their simplest: the one farthest
    /// from its simplest value (the first of equals) that can take its
    /// predecessor's value added, on the same side of the simplest value.
    /// Nil when some element is not one plain integer, or none can.
    func mergeTarget(in run: [Int], spans: [Span]) -> Int? {
        var elements: [(span: Int, value: Int64, kind: IntegerConstraints)] = []
        for e in run {
            let ints = spans[e].range.filter { if case .integer = choices[$0].kind { true } else { false } }
            // The list's end: a span holding only the flag that stopped it.
            if ints.isEmpty, spans[e].count == 1 { continue }
            guard ints.count == 1, isPlainInteger(ints[0], in: spans),
                  case .integer(let c) = choices[ints[0]].kind, case .integer(let v) = values[ints[0]] else { return nil }
            elements.append((e, v, c))
        }
        var best: (span: Int, distance: UInt64)?
        for (k, e) in elements.enumerated().dropFirst() {
            // Both on one side of the simplest value (0 adds nothing, and a
            // sum of opposite signs cancels rather than combines).
            let simplest = e.kind.simplest, before = elements[k - 1].value
            guard before != simplest, e.value != simplest, (before < simplest) == (e.value < simplest) else { continue }
            let (sum, overflow) = before.addingReportingOverflow(e.value)
            guard !overflow, e.kind.contains(sum) else { continue }
            let d = Self.distanceFromSimplest(e.value, e.kind)
            if best == nil || d > best!.distance { best = (e.span, d) }
        }
        return best?.span
    }
}
