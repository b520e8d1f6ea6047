import Testing
@testable import Harness
import AllocCheck
import PropertyTesting

/// The catalogue of defects (`Defect`): for each, the shortest trace that
/// exposes it, worked out by hand; the judge fails it at the expected step
/// with the expected failure kind while every trace one step shorter passes
/// or fails otherwise; the correct core passes it; and the property suite
/// finds the defect from random traces and shrinks it to the fewest
/// operations its profile allows.
@Suite struct DefectTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let defect: Defect
        /// The shortest trace that exposes the defect, over every operation.
        let trace: String
        /// Where and how the judge (checking every step) fails it.
        let step: Int
        let kind: String
        /// The traces the property suite draws (a profile's generator).
        let profile: String
        let generator: @Sendable () -> Generator<Trace>
        /// The fewest operations of a trace of that profile that exposes the
        /// defect: the length of the shrunk counterexample.
        let profileMinimum: Int
        var testDescription: String { defect.rawValue }

        init(_ defect: Defect, _ trace: String, step: Int, kind: String, profile: Profile, profileMinimum: Int? = nil) {
            self.init(defect, trace, step: step, kind: kind, profile: profile.name, { Trace.generator(profile) },
                      profileMinimum: profileMinimum)
        }

        init(_ defect: Defect, _ trace: String, step: Int, kind: String, profile: String,
             _ generator: @escaping @Sendable () -> Generator<Trace>, profileMinimum: Int? = nil) {
            self.defect = defect
            self.trace = trace
            self.step = step
            self.kind = kind
            self.profile = profile
            self.generator = generator
            self.profileMinimum = profileMinimum ?? trace.split(separator: "\n").count - 1
        }
    }

    // Arena 256 is one free order-8 block; the first order-0 allocation takes
    // page 0 and leaves pages 1 (order 0), 2 (1), 4 (2), ... 128 (7) free.
    // `alloc_pages_exact size=16385` keeps 5 pages of an order-3 block and
    // frees pages 5, 6, 7 in that order: only 7 merges (with 6, at order 0),
    // so one step makes exactly one merge. Any release needs an allocation
    // first, and only the exact trim does both in one step.
    //
    // The property profile is one whose suite shrinks the defect to the
    // fewest steps a trace of that profile needs (`profileMinimum`, the hand
    // trace's length unless given). The exact and mixed suites find the
    // three one-step merge defects too, but shrink them to 2 to 4 steps: no
    // shrink pass turns an allocation and its free into one exact allocation
    // of another size.
    static let cases: [Case] = [
        // Profile pages: an allocation and its free (no exact trim there).
        Case(.mergeStopsEarly, "arena pages=256\ne1 = alloc_pages_exact size=16385\n",
             step: 1, kind: "invariant buddies-coalesced", profile: .pages, profileMinimum: 2),
        // Only a 1024-page arena, the largest, holds a top-order block: a
        // trim cannot merge up to it (its allocation stays inside). The
        // generator draws that arena about once in 3,400 traces, so the
        // search runs the pages profile's operations on it.
        Case(.topMergeUnlisted, "arena pages=1024\np1 = alloc_pages order=0\nfree_pages p1\n",
             step: 2, kind: "invariant free-lists", profile: "pages on the largest arena", {
                 Trace.generator(.pages).map { Trace(arena: Arena(pageCount: Arena.pageCounts.upperBound), operations: $0.operations) }
             }),
        // Page 7 is an upper half: by addition its buddy is 8 (free, order 3),
        // not 6. Profile kmalloc: a large kmalloc and its kfree (a wrong merge
        // beside a hole). The pages suite shrinks it to 9 steps.
        Case(.buddyByAddition, "arena pages=256\ne1 = alloc_pages_exact size=16385\n",
             step: 1, kind: "invariant buddies-coalesced", profile: .kmalloc, profileMinimum: 2),
        Case(.mergeCountStale, "arena pages=256\ne1 = alloc_pages_exact size=16385\n",
             step: 1, kind: "invariant free-lists", profile: .pages, profileMinimum: 2),
        // A reserved page is the order-0 buddy only of a block of its own
        // (a trim's buddies lie inside the block it splits).
        Case(.mergeAcrossHole, "arena pages=256 reserved=0..<1\np1 = alloc_pages order=0\nfree_pages p1\n",
             step: 2, kind: "invariant no-overlap", profile: .pages),
        // The first allocation that splits; one larger than any block.
        Case(.splitListsHandedOutHalf, "arena pages=256\np1 = alloc_pages order=0\n",
             step: 1, kind: "invariant free-lists", profile: .pages),
        Case(.scanOneOrderLow, "arena pages=256\np1 = alloc_pages order=9\n",
             step: 1, kind: "prediction missing-refusal(out_of_memory)", profile: .pages),
        // One page (the trim frees the page kept); three of four (the fourth
        // is lost); a free of one page, which frees the free page 1 again.
        Case(.exactTrimOneTooMany, "arena pages=256\ne1 = alloc_pages_exact size=1\n",
             step: 1, kind: "invariant exact-trim, invariant no-overlap", profile: .exact),
        Case(.exactTrimOneTooFew, "arena pages=256\ne1 = alloc_pages_exact size=8193\n",
             step: 1, kind: "invariant no-overlap", profile: .exact),
        // The mixed suite finds it freeing a hole's page (2 steps); the exact
        // suite meets another failure first and shrinks it to 5.
        Case(.freeExactOnePast, "arena pages=256\ne1 = alloc_pages_exact size=1\nfree_pages_exact e1\n",
             step: 2, kind: "invariant exact-trim", profile: .mixed),
        // Misuse let through: the refusal the judge expects does not come.
        Case(.pageDoubleFreeUndetected, "arena pages=256\np1 = alloc_pages order=0\nfree_pages p1\nexpect double_free: free_pages p1\n",
             step: 3, kind: "prediction missing-refusal(double_free)", profile: .pages),
        Case(.wrongOrderAccepted, "arena pages=256\np1 = alloc_pages order=0\nexpect wrong_order: free_pages p1 order=1\n",
             step: 2, kind: "prediction missing-refusal(wrong_order)", profile: .pages),
        // Slab layer: kmalloc needs no cache_create, so it is a step shorter
        // than a cache (the slab suite finds these at 3 and 4 steps).
        Case(.slabInuseStale, "arena pages=256\nk1 = kmalloc size=1\nkfree k1\n",
             step: 2, kind: "invariant slab-ownership", profile: .kmalloc),
        Case(.doubleFreeUndetected, "arena pages=256\nk1 = kmalloc size=1\nkfree k1\nexpect double_free: kfree k1\n",
             step: 3, kind: "prediction missing-refusal(double_free)", profile: .kmalloc),
        // A wrong cache needs a cache and an object of another: a kmalloc one.
        Case(.kfreeWrongCacheAccepted,
             "arena pages=256\nc1 = cache_create size=8\nk2 = kmalloc size=1\nexpect wrong_cache: cache_free k2 cache=c1\n",
             step: 3, kind: "prediction missing-refusal(wrong_cache)", profile: .mixed),
        // 9 bytes from kmalloc-8: the ninth overwrites the next free object's free pointer.
        Case(.kmallocClassOffByOne, "arena pages=256\nk1 = kmalloc size=9\n",
             step: 1, kind: "invariant slab-ownership", profile: .kmalloc),
        // A red zone is overwritten only by a client writing past its object.
        Case(.redzoneUnchecked, "arena pages=256\nc1 = cache_create size=8 debug=Z\no2 = cache_alloc c1\n"
                + "expect corruption: cache_free o2 overflow=1\n",
             step: 3, kind: "prediction missing-refusal(corruption)", profile: .slab),
    ]

    /// Defects no trace can expose yet, with the operation the language needs (none now).
    static let needsOperation: [Defect: String] = [:]

    @Test func everyDefectIsCatalogued() {
        let covered = Self.cases.map(\.defect)
        #expect(Set(covered).count == covered.count, "a defect is catalogued twice")
        #expect(Set(covered).isDisjoint(with: Self.needsOperation.keys))
        #expect(Set(covered).union(Self.needsOperation.keys) == Set(Defect.allCases))
        for defect in Defect.allCases {
            #expect(Defect(rawValue: defect.rawValue) == defect)
            #expect(defect.rawValue.allSatisfy { $0 == "-" || ($0.isLowercase && $0.isLetter) })
            #expect(!defect.story.isEmpty && !defect.story.contains("\n") && defect.story.hasSuffix("."))
        }
    }

    @Test func environmentValuesNameADefectOrNone() throws {
        #expect(try Defect(environmentValue: nil) == nil)
        #expect(try Defect(environmentValue: "") == nil)
        #expect(try Defect(environmentValue: "merge-stops-early") == .mergeStopsEarly)
        #expect(throws: UnknownDefect(name: "merge-stops-late")) { try Defect(environmentValue: "merge-stops-late") }
        let message = UnknownDefect(name: "x").description
        #expect(message.hasPrefix("ALLOCCHECK_DEFECT=x names no defect; known defects: merge-stops-early, "))
        #expect(Defect.allCases.allSatisfy { message.contains($0.rawValue) })
    }

    @Test func theSubjectsAllocatorsCarryTheTaskLocalDefect() throws {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let subject = try AllocCheckSubject.$defect.withValue(.kmallocClassOffByOne) {
            try AllocCheckSubject.make(arena: Arena(pageCount: 64), memory: judge.memory)
        }
        #expect(subject.pages.defect == .kmallocClassOffByOne && subject.slab.defect == .kmallocClassOffByOne)
        let correct = try AllocCheckSubject.$defect.withValue(nil) { try AllocCheckSubject.make(arena: Arena(), memory: judge.memory) }
        #expect(correct.pages.defect == nil && correct.slab.defect == nil)
    }

    @Test(arguments: cases)
    func theHandWorkedTraceFailsAndIsTheShortest(_ c: Case) throws {
        let trace = try Trace(parsing: c.trace)
        try AllocCheckSubject.$defect.withValue(c.defect) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let failure = try #require(judge.check(trace), "the judge passes \(c.defect)'s trace")
            #expect(failure.step == c.step, "\(failure)")
            #expect(failure.failureKind == c.kind, "\(failure)")
            for (index, shorter) in try Self.oneStepShorter(c.trace).enumerated() {
                if let other = judge.check(shorter) {
                    #expect(other.failureKind != c.kind, "without step \(index + 1) it still fails the same way:\n\(shorter.text)")
                }
            }
        }
    }

    @Test(arguments: cases)
    func theCorrectCorePassesTheTrace(_ c: Case) throws {
        let trace = try Trace(parsing: c.trace)
        let failure = AllocCheckSubject.$defect.withValue(nil) { Judge<AllocCheckSubject>(configuration: .everyStep).check(trace) }
        #expect(failure == nil, "\(failure?.report(for: trace) ?? "")")
    }

    @Test(arguments: cases)
    func thePropertySuiteFindsItAndShrinksItToTheMinimum(_ c: Case) throws {
        let report = AllocCheckSubject.$defect.withValue(c.defect) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            return checkProperty("defect-\(c.defect)", c.generator(), configuration: PropertyConfiguration(maxExamples: 1000, seed: 1)) {
                try judge.run($0)
            }
        }
        let counterexample = try #require(report.counterexample, "\(c.profile) traces never expose \(c.defect)")
        let shrunk = try Trace(parsing: counterexample.value)
        #expect(shrunk.operations.count == c.profileMinimum, "\(counterexample.value)\(counterexample.error)")
    }

    /// Every trace one step shorter than `text`: one operation line deleted,
    /// with the lines that depend on it, which would run as no-ops: those
    /// that name its result (the handle never came to life), theirs in turn,
    /// and a double free of what it freed (the text form refuses them).
    static func oneStepShorter(_ text: String) throws -> [Trace] {
        let lines = text.split(separator: "\n").map(String.init)
        return try (1..<lines.count).map { deleted in
            var gone: Set<Substring> = []
            var kept: [String] = []
            for (index, line) in lines.enumerated() {
                let words = line.split(separator: " ").map { $0.split(separator: "=").last ?? $0 }
                if index == deleted || words.dropFirst().contains(where: gone.contains) {
                    if let name = line.split(separator: " ").first, line.contains(" = ") { gone.insert(name) }
                    continue
                }
                kept.append(line)
            }
            while true {
                do { return try Trace(parsing: kept.joined(separator: "\n") + "\n") } catch let error as TraceSyntaxError {
                    guard error.line > 1, error.message.hasSuffix("has not been freed yet") else { throw error }
                    kept.remove(at: error.line - 1)
                }
            }
        }
    }
}
