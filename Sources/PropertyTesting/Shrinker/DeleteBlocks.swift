// Pass: delete blocks of adjacent choices regardless of span boundaries.
//
// Invariant: only removes choices. Blocks that straddle a boundary are what
// merge two neighbouring collections (the end marker of one and the
// "another element" marker before the next go together). A block inside a
// collection element or state-machine step whose deletion moves a choice of
// another sort or role (an integer of another range among them) into any
// place up to the element's end is not tried (see `BlockLayout.misalignsRest`).
// Nor, in a generator property, a block whose deletion reads a character
// in the place of an integer it deletes that is not one
// (`BlockLayout.readsCharacterAsInteger`): a character is a symbol, whose
// index in the character order means nothing as a number. At
// `(True, 11, '00')` of a boolean, an integer and a string, deleting the
// first two read the string's first character as the integer and its
// flag as the boolean, `(True, 0, '0')`, a call at the end of every shrink
// that never kept the failure. Skipping every block that reads an integer
// of another range in an integer's place (measured) saved more (binheap's
// median 112 to 107 over 200 seeds, the seeded defects' shrink calls 2 to
// 7% fewer), but lost the minimal trace in two seeds of the defects, whose
// arenas' holes (a count, then a start and a length per hole) shrink by
// such blocks.

extension Shrinker {
    func deleteBlocks() -> Bool {
        var progress = false
        for size in [2, 1, 3] {
            var i = 0
            var layout = BlockLayout(self)
            while i + size <= values.count, !exhausted {
                // Nor anywhere in the rest of the element (for a state
                // machine, the rest of the step).
                let misaligned = layout.misalignsRest(i, size) || (executor.deduplicates && layout.readsCharacterAsInteger(i, size))
                if !misaligned, consider(replacing(i..<(i + size), with: [])) {
                    progress = true
                    layout = BlockLayout(self)
                } else {
                    i += 1
                }
            }
        }
        // Bodies that draw while they run also try longer blocks, but only
        // from the start of a sub-draw: a step of a few choices (flag, rule,
        // arguments) together with the next step's first choices. Longer
        // blocks at every position cost a call each and almost always
        // misalign the rest; generator properties skip them altogether,
        // this being a pass that runs at the end of every shrink.
        if !executor.deduplicates {
            var layout = BlockLayout(self)
            for size in [4, 5, 6, 8] {
                var i = 0
                while i + size <= values.count, !exhausted {
                    // (As above: not when it moves a choice out of place
                    // inside a step or element with more after it.)
                    let starts = spans.contains { $0.start == i && $0.count > 0 } && !layout.misalignsRest(i, size)
                    if starts, consider(replacing(i..<(i + size), with: [])) {
                        progress = true
                        layout = BlockLayout(self)
                    } else {
                        i += 1
                    }
                }
            }
        }
        return progress
    }
}

/// Where the "another element" flags are, and which choices lie inside a
/// collection element (or state-machine step) that has more after it.
struct BlockLayout {
    /// Per choice: whether it is a flag.
    let isFlag: [Bool]
    /// Per choice: whether its innermost flagged sub-draw has a following sibling.
    let inContinuedElement: [Bool]
    let kinds: [ChoiceKind]

    init(_ shrinker: Shrinker) {
        let spans = shrinker.spans
        let n = shrinker.choices.count
        var isFlag = [Bool](repeating: false, count: n)
        var continued = [Bool](repeating: false, count: n)
        var end = [Int](repeating: 0, count: n)
        // Parents come before their children, so later spans overwrite with the innermost.
        for k in spans.indices where Shrinker.flaggedLabels.contains(spans[k].label) && spans[k].count > 0 {
            let hasSibling = shrinker.siblingRun(from: k, in: spans).count > 1
            for p in spans[k].range where p < n {
                continued[p] = hasSibling
                end[p] = spans[k].end
            }
            if shrinker.isElementFlag(spans[k].start, in: spans) { isFlag[spans[k].start] = true }
        }
        self.isFlag = isFlag
        self.inContinuedElement = continued
        self.elementEnd = end
        self.kinds = shrinker.choices.map(\.kind)
        let characters = shrinker.characterIndices
        self.isCharacter = (0..<n).map { characters.contains($0) }
    }

    /// Per choice: whether it is a whole character of `Gen.characters()`.
    let isCharacter: [Bool]

    /// Per choice: the end of its innermost flagged sub-draw (when `inContinuedElement`).
    let elementEnd: [Int]

    /// Whether deleting `size` choices at `index` puts a character (an
    /// index into the character order) in the place of one of the deleted
    /// integers that is not a character.
    func readsCharacterAsInteger(_ index: Int, _ size: Int) -> Bool {
        for p in index..<(index + size) where p + size < kinds.count {
            guard case .integer = kinds[p], !isFlag[p], !isCharacter[p] else { continue }
            if isCharacter[p + size] { return true }
        }
        return false
    }

    /// Whether deleting `size` choices at `index`, inside a collection
    /// element (or state-machine step) that has more after it, moves a
    /// choice of another sort (a boolean, an integer, a byte string) or role
    /// (a flag for a value, a value for a flag) into any place up to the end
    /// of that element: the rest of the element is read out of place (a
    /// dictionary entry's key deleted, its value read as the key and the
    /// next entry's flag as the value; a value read as a flag, an integer
    /// reads as false, cuts the collection or the run of steps off). Such a
    /// deletion of one part of an element almost never keeps the failure,
    /// and cost a call per part while confirming every minimum. The place
    /// just after the element, where the next element's flag is read, is
    /// checked too: a block of an element's last value and the next
    /// element's flag moves the next element's second choice there when
    /// elements hold more than one (a step's argument read as the flag
    /// ends the run of steps). A block that keeps sorts and roles in place
    /// (a whole element, a value with the next element's flag when each
    /// holds one) is still tried, and so is one in the last element
    /// (nothing after it is read out of place). Integers of different
    /// ranges count as different sorts: a state machine's rule index read
    /// as a step's argument (push's x) leaves the step one argument short.
    func misalignsRest(_ index: Int, _ size: Int) -> Bool {
        guard index < kinds.count, inContinuedElement[index] else { return false }
        for p in index...elementEnd[index] where p < kinds.count {
            let moved = p + size
            // (A candidate that ends just where the next flag is read is
            // not out of place: it ends with the element.)
            if p == elementEnd[index], moved >= kinds.count { break }
            guard moved < kinds.count else { return true }
            if isFlag[p] != isFlag[moved] { return true }
            switch (kinds[p], kinds[moved]) {
            case (.integer(let a), .integer(let b)): if a != b { return true }
            case (.boolean, .boolean), (.bytes, .bytes): continue
            default: return true
            }
        }
        return false
    }
}
