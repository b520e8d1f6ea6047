// The seeded defects as the harness sees them: for each, the shortest trace
// that exposes it (worked out by hand), the property suite that should find
// it, and the fuzz targets that should. `Tests/HarnessTests/DefectTests.swift`
// proves every entry; `alloccheck defects` measures the suites and the fuzz
// targets against it.

import AllocCheck
import PropertyTesting

/// One seeded defect and what the harness knows about exposing it.
public struct DefectCase: Sendable, CustomStringConvertible {
    public let defect: Defect
    /// The shortest trace that exposes the defect, over every operation, as text.
    public let minimalTrace: String
    /// The step (1-based) where the judge, checking every step, fails that trace.
    public let failingStep: Int
    /// How it fails there (`TraceFailure.failureKind`).
    public let failureKind: String
    /// The property suite that hunts it: a name, and the traces it draws.
    public let suite: String
    public let generator: @Sendable () -> Generator<Trace>
    /// The profile whose operations the suite's traces use (their canonical bytes are of it).
    public let suiteProfile: Profile
    /// The fewest operations a trace of that suite needs to expose the defect:
    /// what its shrinker can reach (longer than `minimalLength` when the
    /// shortest trace needs an operation the suite does not draw).
    public let suiteMinimum: Int
    /// The fuzz targets whose inputs can expose it, the most direct first.
    public let fuzzTargets: [Profile]

    /// The number of operations of `minimalTrace`.
    public var minimalLength: Int { minimalTrace.split(separator: "\n").count - 1 }
    public var description: String { defect.rawValue }

    init(_ defect: Defect, _ trace: String, step: Int, kind: String, suite profile: Profile, suiteMinimum: Int? = nil,
         fuzz: [Profile]) {
        self.init(defect, trace, step: step, kind: kind, suite: profile.name, profile: profile, { Trace.generator(profile) },
                  suiteMinimum: suiteMinimum, fuzz: fuzz)
    }

    init(_ defect: Defect, _ trace: String, step: Int, kind: String, suite: String, profile: Profile,
         _ generator: @escaping @Sendable () -> Generator<Trace>, suiteMinimum: Int? = nil, fuzz: [Profile]) {
        self.defect = defect
        self.minimalTrace = trace
        self.failingStep = step
        self.failureKind = kind
        self.suite = suite
        self.generator = generator
        self.suiteProfile = profile
        self.fuzzTargets = fuzz
        self.suiteMinimum = suiteMinimum ?? trace.split(separator: "\n").count - 1
    }
}

public enum DefectCatalogue {
    /// The case of `defect`.
    public static func `case`(_ defect: Defect) -> DefectCase? { cases.first { $0.defect == defect } }

    // Arena 256 is one free order-8 block; the first order-0 allocation takes
    // page 0 and leaves pages 1 (order 0), 2 (1), 4 (2), ... 128 (7) free.
    // `alloc_pages_exact size=16385` keeps 5 pages of an order-3 block and
    // frees pages 5, 6, 7 in that order: only 7 merges (with 6, at order 0),
    // so one step makes exactly one merge. Any release needs an allocation
    // first, and only the exact trim does both in one step.
    //
    // The suite is one whose traces can hold the hand trace, so its shrinker
    // can reach it (`suiteMinimum`, the hand trace's length unless given).
    // The pages suite finds the three one-step merge defects too, but its
    // traces need an allocation and its free; the exact suite's shrink
    // merges those two steps into one exact allocation (`StepMerging`).
    /// Every defect of `Defect.allCases`, in its order.
    public static let cases: [DefectCase] = [
        DefectCase(.mergeStopsEarly, "arena pages=256\ne1 = alloc_pages_exact size=16385\n",
                   step: 1, kind: "invariant buddies-coalesced", suite: .exact, fuzz: [.pages, .exact]),
        // Only a 1024-page arena, the largest, holds a top-order block: a
        // trim cannot merge up to it (its allocation stays inside). The
        // generator draws that arena about once in 3,400 traces, so the
        // search runs the pages profile's operations on it.
        DefectCase(.topMergeUnlisted, "arena pages=1024\np1 = alloc_pages order=0\nfree_pages p1\n",
                   step: 2, kind: "invariant free-lists", suite: "pages on the largest arena", profile: .pages, {
                       Trace.generator(.pages).map {
                           Trace(arena: Arena(pageCount: Arena.pageCounts.upperBound), operations: $0.operations)
                       }
                   }, fuzz: [.pages]),
        // Page 7 is an upper half: by addition its buddy is 8 (free, order 3),
        // not 6. Suite kmalloc: a large kmalloc and its kfree (a wrong merge
        // beside a hole). The pages suite shrinks it to 9 steps.
        DefectCase(.buddyByAddition, "arena pages=256\ne1 = alloc_pages_exact size=16385\n",
                   step: 1, kind: "invariant buddies-coalesced", suite: .exact, fuzz: [.pages, .exact]),
        DefectCase(.mergeCountStale, "arena pages=256\ne1 = alloc_pages_exact size=16385\n",
                   step: 1, kind: "invariant free-lists", suite: .exact, fuzz: [.pages, .exact]),
        // A reserved page is the order-0 buddy only of a block of its own
        // (a trim's buddies lie inside the block it splits).
        DefectCase(.mergeAcrossHole, "arena pages=256 reserved=0..<1\np1 = alloc_pages order=0\nfree_pages p1\n",
                   step: 2, kind: "invariant no-overlap", suite: .pages, fuzz: [.pages]),
        // The first allocation that splits; one larger than any block.
        DefectCase(.splitListsHandedOutHalf, "arena pages=256\np1 = alloc_pages order=0\n",
                   step: 1, kind: "invariant free-lists", suite: .pages, fuzz: [.pages]),
        DefectCase(.scanOneOrderLow, "arena pages=256\np1 = alloc_pages order=9\n",
                   step: 1, kind: "prediction missing-refusal(out_of_memory)", suite: .pages, fuzz: [.pages]),
        // One page (the trim frees the page kept); three of four (the fourth
        // is lost); a free of one page, which frees the free page 1 again.
        DefectCase(.exactTrimOneTooMany, "arena pages=256\ne1 = alloc_pages_exact size=1\n",
                   step: 1, kind: "invariant exact-trim, invariant no-overlap", suite: .exact, fuzz: [.exact]),
        DefectCase(.exactTrimOneTooFew, "arena pages=256\ne1 = alloc_pages_exact size=8193\n",
                   step: 1, kind: "invariant no-overlap", suite: .exact, fuzz: [.exact]),
        // The mixed suite finds it freeing a hole's page (2 steps); the exact
        // suite meets another failure first and shrinks it to 5.
        DefectCase(.freeExactOnePast, "arena pages=256\ne1 = alloc_pages_exact size=1\nfree_pages_exact e1\n",
                   step: 2, kind: "invariant exact-trim", suite: .mixed, fuzz: [.exact]),
        // Misuse let through: the refusal the judge expects does not come.
        DefectCase(.pageDoubleFreeUndetected,
                   "arena pages=256\np1 = alloc_pages order=0\nfree_pages p1\nexpect double_free: free_pages p1\n",
                   step: 3, kind: "prediction missing-refusal(double_free)", suite: .pages, fuzz: [.pages]),
        DefectCase(.wrongOrderAccepted, "arena pages=256\np1 = alloc_pages order=0\nexpect wrong_order: free_pages p1 order=1\n",
                   step: 2, kind: "prediction missing-refusal(wrong_order)", suite: .pages, fuzz: [.pages]),
        // Slab layer: kmalloc needs no cache_create, so it is a step shorter
        // than a cache (the slab suite finds these at 3 and 4 steps).
        DefectCase(.slabInuseStale, "arena pages=256\nk1 = kmalloc size=1\nkfree k1\n",
                   step: 2, kind: "invariant slab-ownership", suite: .kmalloc, fuzz: [.kmalloc, .slab]),
        DefectCase(.doubleFreeUndetected, "arena pages=256\nk1 = kmalloc size=1\nkfree k1\nexpect double_free: kfree k1\n",
                   step: 3, kind: "prediction missing-refusal(double_free)", suite: .kmalloc, fuzz: [.kmalloc, .slab]),
        // A wrong cache needs a cache and an object of another: a kmalloc one
        // (the slab target needs a second cache).
        DefectCase(.kfreeWrongCacheAccepted,
                   "arena pages=256\nc1 = cache_create size=8\nk2 = kmalloc size=1\nexpect wrong_cache: cache_free k2 cache=c1\n",
                   step: 3, kind: "prediction missing-refusal(wrong_cache)", suite: .mixed, fuzz: [.slab]),
        // 9 bytes from kmalloc-8: the ninth overwrites the next free object's free pointer.
        DefectCase(.kmallocClassOffByOne, "arena pages=256\nk1 = kmalloc size=9\n",
                   step: 1, kind: "invariant slab-ownership", suite: .kmalloc, fuzz: [.kmalloc]),
        // A red zone is overwritten only by a client writing past its object.
        DefectCase(.redzoneUnchecked, "arena pages=256\nc1 = cache_create size=8 debug=Z\no2 = cache_alloc c1\n"
                       + "expect corruption: cache_free o2 overflow=1\n",
                   step: 3, kind: "prediction missing-refusal(corruption)", suite: .slab, fuzz: [.slab]),
    ]
}
