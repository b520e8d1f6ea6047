import AllocCheck
import AllocCheckTool
import ArgumentParser
import Foundation
import Harness

struct Defects: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure how the property suites and the fuzz targets find and shrink each seeded defect.",
        discussion: "For each defect (all by default), with the defect switched on: its property suite at seeds "
            + "1...N (traces to the first failure, the shrunk length against the hand-worked minimum, shrink calls), "
            + "then each of its fuzz targets at libFuzzer seeds 1...M with a time cap, from an empty corpus by default (time and "
            + "executions to the first crash, the crash shrunk by alloccheck and by libFuzzer's -minimize_crash=1). "
            + "A find counts only when its shrunk trace passes on the correct core. Build in release first "
            + "(swift run -c release alloccheck defects); fuzzing needs a checkout and builds missing targets. "
            + "Exit status 1 when a goal is not met.")

    @Argument(help: ArgumentHelp("Defects to measure (default: every one).", valueName: "defect")) var names: [String] = []
    // `.unconditional`: a negative number is this option's value (refused by
    // validate()), not an unknown option leaving the option without a value.
    @Option(parsing: .unconditional, help: "Property-suite seeds per defect.") var seeds = 20
    @Option(parsing: .unconditional, help: "Traces per seed before the suite gives up.") var examples = 1000
    @Option(parsing: .unconditional, help: "Fuzz campaigns per defect and target (0: no fuzzing).") var fuzzSeeds = 3
    @Option(parsing: .unconditional, help: "Seconds each campaign may run.") var fuzzTime = 120
    @Option(help: ArgumentHelp("What each campaign starts from: empty, seeds (the committed seed corpus), or grown:S "
                               + "(the corpus S seconds of fuzzing the correct core grew from the seeds).", valueName: "corpus"))
    var fuzzCorpus = "empty"
    @Flag(help: "List the defects with their stories and minimal traces, and exit.") var list = false
    @Option(help: "Also write the results as JSON to this file.") var json: String?
    @Flag(help: "Replace an output file that exists.") var force = false

    func validate() throws {
        guard seeds >= 0, examples > 0, fuzzSeeds >= 0, fuzzTime > 0 else {
            throw ValidationError("--seeds and --fuzz-seeds must be 0 or more, --examples and --fuzz-time positive")
        }
        guard seeds > 0 || fuzzSeeds > 0 else { throw ValidationError("--seeds 0 and --fuzz-seeds 0 measure nothing") }
        // libFuzzer reads -max_total_time and -seed as 32-bit ints: a larger value would wrap (to no limit, for 2^32).
        guard fuzzTime <= libFuzzerIntLimit else { throw ValidationError("--fuzz-time must be in 1...\(libFuzzerIntLimit)") }
        guard fuzzSeeds <= libFuzzerIntLimit else { throw ValidationError("--fuzz-seeds must be in 0...\(libFuzzerIntLimit)") }
        _ = try corpus()
    }

    func corpus() throws(ValidationError) -> DefectMeasurement.StartingCorpus {
        switch fuzzCorpus {
        case "empty": return .empty
        case "seeds": return .seeds
        default:
            guard fuzzCorpus.hasPrefix("grown:"), let seconds = Int(fuzzCorpus.dropFirst(6)), seconds > 0 else {
                throw ValidationError("--fuzz-corpus must be empty, seeds or grown:SECONDS, not '\(fuzzCorpus)'")
            }
            guard seconds <= libFuzzerIntLimit else {
                throw ValidationError("--fuzz-corpus grown:SECONDS must have SECONDS in 1...\(libFuzzerIntLimit)")
            }
            return .grown(seconds: seconds)
        }
    }

    func run() throws {
        let startingCorpus = try corpus()
        try perform { () throws(ToolError) -> Int32 in
            // Checked here, not in validate(), so that a mistyped option's value
            // is reported as the mistyped option rather than as a defect name.
            for name in names where Defect(rawValue: name) == nil {
                throw ToolError("'\(name)' names no defect; known defects: "
                                + Defect.allCases.map(\.rawValue).joined(separator: ", "), exitCode: 64)
            }
            // Measured twice, a defect would count twice in the totals.
            for (k, name) in names.enumerated() where names[..<k].contains(name) {
                throw ToolError("'\(name)' is named twice; name each defect once", exitCode: 64)
            }
            // The list measures nothing: a JSON file asked for with it would silently not be written.
            if list, json != nil { throw ToolError("--json goes with a measurement, not with --list (which prints the defects)", exitCode: 64) }
            // Refused now rather than after a measurement of many minutes.
            if let json { try OutputPaths.check(json, option: "--json", replacing: force) }
            let chosen = names.isEmpty ? DefectCatalogue.cases : names.compactMap { Defect(rawValue: $0).flatMap(DefectCatalogue.case) }
            if list {
                for c in chosen {
                    print("\(c.defect): \(c.defect.story)")
                    print("  suite \(c.suite), fuzz targets \(c.fuzzTargets.map(\.name).joined(separator: ", ")); "
                          + "shortest trace (\(counted(c.minimalLength, "operation"))):")
                    print(c.minimalTrace.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                }
                return 0
            }
            var options = DefectMeasurement.Options()
            options.seeds = seeds
            options.examples = examples
            options.fuzzSeeds = fuzzSeeds
            options.fuzzSeconds = fuzzTime
            options.corpus = startingCorpus
            let project = fuzzSeeds > 0 ? try Project.find() : nil
            let rows = try DefectMeasurement.run(chosen, options: options, project: project) { printError($0) }
            print(DefectMeasurement.table(rows, options: options))
            if let json { try writeFile(json, Array(DefectMeasurement.json(rows, options: options).utf8)) }
            return DefectMeasurement.goals(rows, options: options).allSatisfy(\.met) ? 0 : 1
        }
    }
}
