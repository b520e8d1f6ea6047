import Testing
@testable import Harness
import AllocCheck
import PropertyTesting

/// The catalogue of defects (`Defect`, and `DefectCatalogue` for what the
/// harness knows of each): for each, the shortest trace that exposes it,
/// worked out by hand; the judge fails it at the expected step with the
/// expected failure kind while every trace one step shorter passes or fails
/// otherwise; the correct core passes it; and the property suite finds the
/// defect from random traces and shrinks it to the fewest operations its
/// profile allows.
@Suite struct DefectTests {
    static let cases = DefectCatalogue.cases

    /// Where seed 1 ends above the suite's minimum, and what it ends at: a
    /// known gap of the shrinker, pinned so that a change either way shows
    /// (none since trace shrinking merges steps; over 20 seeds,
    /// `alloccheck defects` measures how often each defect reaches its
    /// minimum, see docs/defects.md).
    static let shrinkGapsAtSeed1: [Defect: Int] = [:]

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
    func theHandWorkedTraceFailsAndIsTheShortest(_ c: DefectCase) throws {
        let trace = try Trace(parsing: c.minimalTrace)
        try AllocCheckSubject.$defect.withValue(c.defect) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let failure = try #require(judge.check(trace), "the judge passes \(c.defect)'s trace")
            #expect(failure.step == c.failingStep, "\(failure)")
            #expect(failure.failureKind == c.failureKind, "\(failure)")
            for (index, shorter) in try Self.oneStepShorter(c.minimalTrace).enumerated() {
                if let other = judge.check(shorter) {
                    #expect(other.failureKind != c.failureKind, "without step \(index + 1) it still fails the same way:\n\(shorter.text)")
                }
            }
        }
    }

    @Test func aBrokenCountIsTheFailureWhenTheListOrderBreaksToo() throws {
        // free_pages_exact frees the page past the allocation as well; with
        // page 0 taken, that page (2) was free already, so the count is one
        // too high and the freed block is not where a sound free puts it.
        // The broken count names the failure (the kind a shrink keeps), as
        // in the 2-step hand-worked trace, not the list order it left.
        let trace = try Trace(parsing: "arena pages=256\np1 = alloc_pages order=0\ne2 = alloc_pages_exact size=1\nfree_pages_exact e2\n")
        let failure = AllocCheckSubject.$defect.withValue(.freeExactOnePast) {
            Judge<AllocCheckSubject>(configuration: .everyStep).check(trace)
        }
        let found = try #require(failure)
        #expect(found.step == 3)
        #expect(found.failureKind.contains("invariant exact-trim"), "\(found)")
        #expect(!found.failureKind.contains("free-list-order"), "\(found)")
    }

    @Test(arguments: cases)
    func theCorrectCorePassesTheTrace(_ c: DefectCase) throws {
        let trace = try Trace(parsing: c.minimalTrace)
        let failure = AllocCheckSubject.$defect.withValue(nil) { Judge<AllocCheckSubject>(configuration: .everyStep).check(trace) }
        #expect(failure == nil, "\(failure?.report(for: trace) ?? "")")
    }

    @Test(arguments: cases)
    func thePropertySuiteFindsItAndShrinksItToTheMinimum(_ c: DefectCase) throws {
        // As `alloccheck defects` runs it: the first failure alone.
        let configuration = PropertyConfiguration(maxExamples: 1000, seed: 1, reportMultipleFailures: false)
        let result = AllocCheckSubject.$defect.withValue(c.defect) {
            TraceProperty.check("defect-\(c.defect)", c.generator(), profile: c.suiteProfile,
                                judge: Judge<AllocCheckSubject>(configuration: .everyStep), configuration: configuration)
        }
        let shrunk = try #require(result.minimal, "\(c.suite) traces never expose \(c.defect)")
        let expected = Self.shrinkGapsAtSeed1[c.defect] ?? c.suiteMinimum
        #expect(shrunk.operations.count == expected, "\(shrunk.text)\(result.failure?.summary ?? "")")
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
