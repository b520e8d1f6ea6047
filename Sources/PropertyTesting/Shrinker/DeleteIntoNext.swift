// Pass (last resort, generator properties): delete an element at its
// simplest values and add them to the next element's.
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
// merges into what follows it).
//
// Invariant: the candidate removes the element (with its flag) and raises
// integers of the next element within their ranges, so it is shorter.

extension Shrinker {
    func deleteIntoNext() -> Bool {
        guard executor.deduplicates else { return false }
        let spans = self.spans
        for run in elementRuns(in: spans) where !exhausted {
            for (a, b) in zip(run, run.dropFirst()) where !exhausted && isElementFlag(spans[a].start, in: spans) {
                let from = spans[a].range.filter { if case .integer = choices[$0].kind { true } else { false } }
                let into = spans[b].range.filter { if case .integer = choices[$0].kind { true } else { false } }
                guard !from.isEmpty, from.count == into.count, values[spans[a].range] != values[spans[b].range],
                      zip(from, into).allSatisfy({ choices[$0].kind == choices[$1].kind }),
                      from.allSatisfy({ choices[$0].isSimplest }),
                      from.contains(where: { choices[$0].value != .integer(0) }) else { continue }
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
}
