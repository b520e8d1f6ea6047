import AllocCheck
import Foundation
import Harness
import Testing
@testable import AllocCheckTool

/// `alloccheck defects`: the property-suite half measured in process, the
/// goals judged from the rows, the JSON the issue asks for, and the command.
/// (The fuzz half needs the fuzz targets: `.ci/command-e2e.sh` runs it.)
@Suite struct DefectMeasurementTests {
    @Test func aSuiteRunFindsTheDefectAndShrinksItToItsMinimum() throws {
        let c = try #require(DefectCatalogue.case(.kmallocClassOffByOne))
        let run = DefectMeasurement.suiteRun(c, seed: 1, examples: 200)
        #expect(run.found && run.examples >= 1 && run.examples <= 200)
        #expect(run.shrunkLength == c.minimalLength, "\(run.trace ?? "")")
        #expect((run.shrinkCalls ?? 0) > 0)
    }

    /// A find counts only when its trace passes on the correct core.
    @Test func onlyTracesTheCorrectCorePassesConfirmAFind() throws {
        for c in DefectCatalogue.cases {
            let trace = try Trace(parsing: c.minimalTrace)
            #expect(DefectMeasurement.confirmed(trace))
        }
        // Were the "correct" core broken, a trace that exposes its flaw would not confirm a find.
        let trace = try Trace(parsing: "arena pages=256\np1 = alloc_pages order=0\n")
        #expect(DefectMeasurement.confirmed(trace))
        #expect(!DefectMeasurement.confirmed(trace, core: .splitListsHandedOutHalf))
    }

    static func row(_ defect: Defect, shrunk: [Int?], fuzz: [(Int?, Int?)] = []) throws -> DefectMeasurement.Row {
        let c = try #require(DefectCatalogue.case(defect))
        let suite = shrunk.enumerated().map { i, length in
            DefectMeasurement.SuiteRun(seed: UInt64(i + 1), found: length != nil, examples: 3, shrunkLength: length,
                                       shrinkCalls: length.map { _ in 50 }, trace: nil)
        }
        let campaigns = fuzz.enumerated().map { i, lengths in
            DefectMeasurement.FuzzRun(target: c.fuzzTargets[0].name, seed: i + 1, found: lengths.0 != nil, seconds: 1.5,
                                      executions: 900, crashLength: lengths.0.map { $0 + 4 }, shrunkLength: lengths.0,
                                      libFuzzerLength: lengths.1, crashFile: nil, problem: nil)
        }
        return DefectMeasurement.Row(defectCase: c, suiteRuns: suite, fuzzRuns: campaigns)
    }

    @Test func theGoalsFireOnRowsThatMissThem() throws {
        var options = DefectMeasurement.Options()
        options.seeds = 10
        let good = try Self.row(.kmallocClassOffByOne, shrunk: Array(repeating: 1, count: 10), fuzz: [(1, 2), (1, 3), (1, 1)])
        #expect(DefectMeasurement.goals([good], options: options).allSatisfy { $0.met })
        // One seed of ten missed it; two of ten ended above the minimum.
        let missed = try Self.row(.kmallocClassOffByOne, shrunk: [nil] + Array(repeating: 1, count: 9))
        let long = try Self.row(.kmallocClassOffByOne, shrunk: [2, 3] + Array(repeating: 1, count: 8))
        let goals = DefectMeasurement.goals([missed, long], options: options)
        #expect(!goals[0].met && goals[0].text.contains("(not: kmalloc-class-off-by-one)"))
        #expect(!goals[1].met && goals[1].text.contains("at least 9 of 10") && goals[1].text.contains("kmalloc-class-off-by-one 8"))
        // A campaign that found nothing; a shrink longer than libFuzzer's.
        let fuzz = try Self.row(.redzoneUnchecked, shrunk: [], fuzz: [(nil, nil), (4, 3), (3, 5)])
        let fuzzGoals = DefectMeasurement.goals([fuzz], options: options)
        #expect(!fuzzGoals[2].met && fuzzGoals[2].text.contains("(not: redzone-unchecked)"))
        #expect(!fuzzGoals[3].met && fuzzGoals[3].text.contains("shorter on 1, equal on 0, longer on 1"))
        // A libFuzzer minimum that fails another way is not compared: without
        // the longer pair the remaining one is shorter, so the goal is met.
        let both = try Self.row(.redzoneUnchecked, shrunk: [], fuzz: [(4, 3), (3, 5)])
        var runs = both.fuzzRuns
        runs[0].libFuzzerDrifted = true
        let drifted = DefectMeasurement.Row(defectCase: both.defectCase, suiteRuns: both.suiteRuns, fuzzRuns: runs)
        let driftGoals = DefectMeasurement.goals([drifted], options: options)
        #expect(driftGoals[3].met, "\(driftGoals[3].text)")
        #expect(driftGoals[3].text.contains("shorter on 1, equal on 0, longer on 0; not compared where libFuzzer's minimiser drifted to another failure: 1"))
    }

    @Test func theJSONHasTheIssuesFieldsPerDefect() throws {
        var options = DefectMeasurement.Options()
        options.seeds = 4
        let rows = [try Self.row(.kmallocClassOffByOne, shrunk: [1, 1, 2, nil], fuzz: [(1, 1), (2, 2), (nil, nil)])]
        let json = DefectMeasurement.json(rows, options: options)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let defect = try #require((object["defects"] as? [[String: Any]])?.first)
        #expect(defect["name"] as? String == "kmalloc-class-off-by-one")
        #expect(defect["pbt_seeds"] as? Int == 4 && defect["pbt_found"] as? Int == 3)
        #expect(defect["pbt_median_examples"] as? Int == 3)
        #expect(defect["pbt_minimal_fraction"] as? Double == 0.5)
        #expect(defect["fuzz_found"] as? Int == 2 && defect["fuzz_median_seconds"] as? Double == 1.5)
        #expect(defect["shrunk_length"] as? Double == 1.5 && defect["libfuzzer_min_length"] as? Double == 1.5)
        #expect(defect["minimal_length"] as? Int == 1)
    }

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        #expect(median([3, 1, 2]) == 2)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([Int]()) == nil)
    }

    @Test func theCommandMeasuresTheSuitesAndListsTheCatalogue() throws {
        let json = try CommandTests.temporaryFile("defects.json", [])
        let r = try CommandTests.run(["defects", "split-lists-handed-out-half", "--seeds", "2", "--fuzz-seeds", "0",
                                      "--json", json])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("| split-lists-handed-out-half | pages | 2/2 |"), "\(r.output)")
        #expect(r.output.contains("- met: shrunk to the hand-worked minimal length in at least 2 of 2 seeds"))
        #expect(String(decoding: try readFile(json), as: UTF8.self).contains("\"pbt_found\": 2"))
        let list = try CommandTests.run(["defects", "--list"])
        #expect(list.status == 0)
        for defect in Defect.allCases { #expect(list.output.contains("\(defect.rawValue): \(defect.story)")) }
    }
}
