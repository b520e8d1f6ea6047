// `defects`: how well the property suites and the fuzz targets find each
// seeded defect and shrink it, measured with the defect switched on.
//
// Every run is checked twice: a counterexample or crash counts only when its
// shrunk trace passes on the correct core (the defect off), so a flaw of the
// harness itself can never pass for a found defect.

import AllocCheck
import Foundation
import Harness
import PropertyTesting

public enum DefectMeasurement {
    /// What to measure and how hard.
    public struct Options: Sendable {
        /// Property-suite seeds per defect (1...seeds).
        public var seeds = 20
        /// Random traces per seed before the suite gives up.
        public var examples = 1000
        /// Fuzz campaigns per defect and target (libFuzzer seeds 1...fuzzSeeds); 0 skips fuzzing.
        public var fuzzSeeds = 3
        /// The time cap of one campaign.
        public var fuzzSeconds = 120
        /// What each campaign starts from.
        public var corpus = StartingCorpus.empty
        /// libFuzzer's `-minimize_crash=1` budget per crash.
        public var libFuzzerMinimizeRuns = 10_000
        public var libFuzzerMinimizeSeconds = 60

        public init() {}
    }

    /// What a campaign starts from.
    public enum StartingCorpus: Sendable, Equatable, CustomStringConvertible {
        /// Nothing: the fuzzer's own power to reach the defect.
        case empty
        /// The committed seed corpus, as `alloccheck fuzz run` starts.
        case seeds
        /// The corpus a campaign of this many seconds on the correct core grew
        /// from the seeds (one per target, reused by every campaign): a
        /// regression in an allocator that has been fuzzed for a while, whose
        /// crashes are long inputs, as real crashes are.
        case grown(seconds: Int)

        public var description: String {
            switch self {
            case .empty: return "empty"
            case .seeds: return "seeds"
            case .grown(let seconds): return "grown for \(seconds) s on the correct core"
            }
        }
    }

    /// One property-suite seed.
    public struct SuiteRun: Sendable {
        public let seed: UInt64
        public let found: Bool
        /// Traces drawn up to and including the first failing one.
        public let examples: Int
        public let shrunkLength: Int?
        public let shrinkCalls: Int?
        /// The shrunk trace, when found.
        public let trace: String?
    }

    /// One fuzz campaign.
    public struct FuzzRun: Sendable {
        public let target: String
        public let seed: Int
        public let found: Bool
        /// Wall-clock seconds from starting libFuzzer to its exit (the crash, or the cap).
        public let seconds: Double
        public let executions: Int
        /// The crash's trace length, ours shrunk, and libFuzzer's `-minimize_crash=1`.
        public let crashLength: Int?
        public let shrunkLength: Int?
        public let libFuzzerLength: Int?
        /// libFuzzer's minimised input fails another way than the crash (its
        /// minimiser accepts any crash, ours keeps the failure kind), so its
        /// length is not compared with ours.
        public var libFuzzerDrifted = false
        /// Where the crash file is kept (under `.fuzz/defects/`).
        public let crashFile: String?
        /// Why a run could not be counted, in one line (nil when it could).
        public let problem: String?
    }

    /// Everything measured for one defect.
    public struct Row: Sendable {
        public let defectCase: DefectCase
        public let suiteRuns: [SuiteRun]
        public let fuzzRuns: [FuzzRun]

        public var name: String { defectCase.defect.rawValue }
        public var pbtFound: Int { suiteRuns.count { $0.found } }
        /// Median traces to the first failure, over the seeds that found it.
        public var pbtMedianExamples: Double? { median(suiteRuns.filter(\.found).map(\.examples)) }
        /// The share of all seeds whose shrunk trace has the hand-worked minimal length.
        public var pbtMinimalFraction: Double { fraction { $0.shrunkLength == defectCase.minimalLength } }
        /// The share of all seeds whose shrunk trace has the fewest operations the suite's profile allows.
        public var pbtSuiteMinimalFraction: Double { fraction { $0.shrunkLength == defectCase.suiteMinimum } }
        public var pbtMedianShrunkLength: Double? { median(suiteRuns.compactMap(\.shrunkLength)) }
        public var pbtMedianShrinkCalls: Double? { median(suiteRuns.compactMap(\.shrinkCalls)) }
        public var fuzzFound: Int { fuzzRuns.count { $0.found } }
        /// Median seconds to the first crash, over the campaigns that crashed.
        public var fuzzMedianSeconds: Double? { median(fuzzRuns.filter(\.found).map(\.seconds)) }
        public var fuzzMedianExecutions: Double? { median(fuzzRuns.filter(\.found).map(\.executions)) }
        public var shrunkLength: Double? { median(fuzzRuns.compactMap(\.shrunkLength)) }
        public var libFuzzerLength: Double? { median(fuzzRuns.compactMap(\.libFuzzerLength)) }

        private func fraction(_ predicate: (SuiteRun) -> Bool) -> Double {
            suiteRuns.isEmpty ? 0 : Double(suiteRuns.count(where: predicate)) / Double(suiteRuns.count)
        }
    }

    // MARK: Property suites

    /// The defect's property suite at `seed`: random traces judged after
    /// every step with the defect on, the first failure shrunk.
    public static func suiteRun(_ c: DefectCase, seed: UInt64, examples: Int) -> SuiteRun {
        // The first failure alone: its examples, length and shrink calls are
        // the measurement, and a search after it or shrinks of other kinds
        // would only cost time (see `reportMultipleFailures`).
        let configuration = PropertyConfiguration(maxExamples: examples, seed: seed, reportMultipleFailures: false)
        let result = AllocCheckSubject.$defect.withValue(c.defect) {
            TraceProperty.check("defect-\(c.defect)", c.generator(), profile: c.suiteProfile,
                                judge: Judge<AllocCheckSubject>(configuration: .everyStep), configuration: configuration)
        }
        let examplesRun = result.report.statistics.examples
        guard let trace = result.minimal, confirmed(trace) else {
            return SuiteRun(seed: seed, found: false, examples: examplesRun, shrunkLength: nil, shrinkCalls: nil, trace: nil)
        }
        return SuiteRun(seed: seed, found: true, examples: examplesRun + 1, shrunkLength: trace.operations.count,
                        shrinkCalls: result.shrinkCalls, trace: trace.text)
    }

    /// Whether `trace` passes on the correct core: what tells a defect found
    /// from a flaw of the harness. (`core` stands in for the correct core in tests.)
    static func confirmed(_ trace: Trace, core: Defect? = nil) -> Bool {
        AllocCheckSubject.$defect.withValue(core) { Judge<AllocCheckSubject>(configuration: .everyStep).check(trace) == nil }
    }

    // MARK: Fuzz targets

    /// One campaign of `target` with the defect on, from the corpus the
    /// options choose, stopped by the first crash or the time cap. A
    /// crash is shrunk by the structure-aware shrinker and by libFuzzer's
    /// `-minimize_crash=1`, and both results are decoded into traces.
    public static func fuzzRun(_ project: Project, _ c: DefectCase, target: Profile, seed: Int, options: Options,
                               exe: String) throws(ToolError) -> FuzzRun {
        let work = "\(project.root)/.fuzz/defects/\(c.defect)-\(target.name)-\(seed)"
        try? FileManager.default.removeItem(atPath: work)
        let corpus = work + "/corpus", artifacts = work + "/artifacts"
        try makeDirectory(corpus)
        try makeDirectory(artifacts)
        switch options.corpus {
        case .empty: break
        case .seeds: try copyFiles(from: project.seeds(target), to: corpus)
        case .grown(let seconds): try copyFiles(from: try grownCorpus(project, target: target, seconds: seconds, exe: exe), to: corpus)
        }
        var flags = [corpus, "-seed=\(seed)", "-max_total_time=\(options.fuzzSeconds)", "-print_final_stats=1",
                     "-artifact_prefix=\(artifacts)/"]
        if FileManager.default.fileExists(atPath: project.dictionary(target)) { flags.append("-dict=\(project.dictionary(target))") }
        var environment = Fuzzing.environment
        environment[Defect.environmentVariable] = c.defect.rawValue
        var executions = 0
        var crash: String?
        var tail: [String] = []
        let start = ContinuousClock.now
        let status: Int32
        do {
            status = try runProcess(exe, flags, environment: environment, directory: project.root,
                                    cleanUp: Fuzzing.removeLibFuzzerTemporaries) { line in
                let units = "stat::number_of_executed_units:"
                if line.hasPrefix(units) { executions = Int(line.dropFirst(units.count).trimmingCharacters(in: .whitespaces)) ?? executions }
                if let range = line.range(of: "Test unit written to "), crash == nil {
                    crash = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                }
                tail.append(line)
                if tail.count > 5 { tail.removeFirst() }
            }
        } catch {
            throw stopped(error, removing: work)
        }
        let seconds = seconds(since: start)
        try? FileManager.default.removeItem(atPath: corpus)
        func run(found: Bool, crashLength: Int? = nil, shrunk: Int? = nil, libFuzzer: Int? = nil, problem: String? = nil) -> FuzzRun {
            FuzzRun(target: target.name, seed: seed, found: found, seconds: seconds, executions: executions,
                    crashLength: crashLength, shrunkLength: shrunk, libFuzzerLength: libFuzzer, crashFile: crash, problem: problem)
        }
        guard let crash else {
            return status == 0 ? run(found: false)
                : run(found: false, problem: "libFuzzer exited with status \(status) and wrote no crash file: \(tail.last ?? "")")
        }
        let input = try TraceInput(path: crash, profile: target)
        let ours: Shrink.Result
        do {
            ours = try AllocCheckSubject.$defect.withValue(c.defect) { () throws(ToolError) -> Shrink.Result in try Shrink.run(input) }
        } catch {
            return run(found: false, crashLength: input.trace.operations.count,
                       problem: "the crash passes when replayed outside libFuzzer")
        }
        guard confirmed(ours.minimal) else {
            return run(found: false, crashLength: input.trace.operations.count,
                       problem: "the shrunk crash fails on the correct core too: a flaw of the harness, not the defect")
        }
        var libFuzzerLength: Int?
        var drifted = false
        // Through a fresh name renamed into place: only a result of this run is measured.
        let minimised: [UInt8]?
        do {
            minimised = try Fuzzing.libFuzzerMinimize(exe, input: crash, output: crash + ".minimized",
                                                      runs: options.libFuzzerMinimizeRuns,
                                                      seconds: options.libFuzzerMinimizeSeconds,
                                                      environment: environment, log: { _ in })
        } catch {
            throw stopped(error, removing: work)
        }
        if let bytes = minimised {
            let minimised = Trace.decode(bytes, profile: target)
            libFuzzerLength = minimised.operations.count
            let failure = AllocCheckSubject.$defect.withValue(c.defect) {
                Judge<AllocCheckSubject>(configuration: .everyStep).check(minimised)
            }
            drifted = failure?.failureKind != ours.failure.failureKind
        }
        var result = run(found: true, crashLength: input.trace.operations.count, shrunk: ours.minimal.operations.count,
                         libFuzzer: libFuzzerLength)
        result.libFuzzerDrifted = drifted
        return result
    }

    /// `error`, or for an interruption the measurement's own words, with
    /// `folder` (this campaign's, or a corpus being grown) removed first: a
    /// measurement cut short keeps nothing of it.
    private static func stopped(_ error: ToolError, removing folder: String) -> ToolError {
        guard let signal = error.interruptedBy else { return error }
        try? FileManager.default.removeItem(atPath: folder)
        return Interruption.saying("the measurement stopped; no results were written", Interruption.error(signal))
    }

    private static func copyFiles(from source: String, to destination: String) throws(ToolError) {
        for file in files(in: source) {
            try writeFile(destination + "/" + (file.split(separator: "/").last.map(String.init) ?? "input"), try readFile(file))
        }
    }

    /// The corpus `seconds` of fuzzing the correct core grows from the
    /// target's seeds (libFuzzer seed 1), made once per target and kept in
    /// `.fuzz/defects/grown-<target>-<seconds>s/`.
    static func grownCorpus(_ project: Project, target: Profile, seconds: Int, exe: String) throws(ToolError) -> String {
        let folder = "\(project.root)/.fuzz/defects/grown-\(target.name)-\(seconds)s"
        let done = folder + "/complete"
        if FileManager.default.fileExists(atPath: done) { return folder + "/corpus" }
        try? FileManager.default.removeItem(atPath: folder)
        try makeDirectory(folder + "/corpus")
        try copyFiles(from: project.seeds(target), to: folder + "/corpus")
        var flags = [folder + "/corpus", "-seed=1", "-max_total_time=\(seconds)", "-artifact_prefix=\(folder)/"]
        if FileManager.default.fileExists(atPath: project.dictionary(target)) { flags.append("-dict=\(project.dictionary(target))") }
        var environment = Fuzzing.environment
        environment[Defect.environmentVariable] = ""
        var tail: [String] = []
        let status: Int32
        do {
            status = try runProcess(exe, flags, environment: environment, directory: project.root,
                                    cleanUp: Fuzzing.removeLibFuzzerTemporaries) { line in
                tail.append(line)
                if tail.count > 5 { tail.removeFirst() }
            }
        } catch {
            throw stopped(error, removing: folder)
        }
        guard status == 0 else {
            throw ToolError("growing the \(target.name) corpus on the correct core failed (status \(status)): \(tail.last ?? "")")
        }
        try writeFile(done, [])
        return folder + "/corpus"
    }

    // MARK: The whole measurement

    /// Measures each case in turn: its property suite at every seed, then
    /// each of its fuzz targets at every fuzz seed (built when missing).
    public static func run(_ cases: [DefectCase], options: Options, project: Project?,
                           progress: (String) -> Void) throws(ToolError) -> [Row] {
        var rows: [Row] = []
        for c in cases {
            var suiteRuns: [SuiteRun] = []
            for seed in 1...UInt64(max(1, options.seeds)) where options.seeds > 0 {
                progress("\(c.defect): suite \(c.suite), seed \(seed) of \(options.seeds)")
                suiteRuns.append(suiteRun(c, seed: seed, examples: options.examples))
            }
            var fuzzRuns: [FuzzRun] = []
            if options.fuzzSeeds > 0, let project {
                for target in c.fuzzTargets {
                    let exe = try Fuzzing.binary(project, target, release: true, output: progress)
                    for seed in 1...options.fuzzSeeds {
                        progress("\(c.defect): fuzz target \(target.name), libFuzzer seed \(seed) of \(options.fuzzSeeds)")
                        fuzzRuns.append(try fuzzRun(project, c, target: target, seed: seed, options: options, exe: exe))
                    }
                }
            }
            rows.append(Row(defectCase: c, suiteRuns: suiteRuns, fuzzRuns: fuzzRuns))
        }
        return rows
    }

    // MARK: Reports

    public static func table(_ rows: [Row], options: Options) -> String {
        var lines = ["| defect | suite | found | median traces | at minimum | at suite minimum | median shrink calls "
                     + "| fuzz found | median s | median execs | crash → shrunk | libFuzzer min | minimal |",
                     "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
        for r in rows {
            let c = r.defectCase
            let targets = c.fuzzTargets.map(\.name).joined(separator: ", ")
            let crashes = r.fuzzRuns.compactMap(\.crashLength)
            let suite = r.suiteRuns.isEmpty ? "not run | – | – | – | –"
                : "\(r.pbtFound)/\(r.suiteRuns.count) | \(show(r.pbtMedianExamples)) | \(percent(r.pbtMinimalFraction)) "
                    + "| \(percent(r.pbtSuiteMinimalFraction)) (\(c.suiteMinimum)) | \(show(r.pbtMedianShrinkCalls))"
            lines.append("| \(r.name) | \(c.suite) | \(suite) "
                         + "| \(r.fuzzRuns.isEmpty ? "not run" : "\(r.fuzzFound)/\(r.fuzzRuns.count) (\(targets))") "
                         + "| \(show(r.fuzzMedianSeconds)) | \(show(r.fuzzMedianExecutions.map { $0.rounded() })) "
                         + "| \(show(median(crashes))) → \(show(r.shrunkLength)) | \(show(r.libFuzzerLength)) | \(c.minimalLength) |")
        }
        let problems = rows.flatMap { r in
            r.fuzzRuns.compactMap { f in f.problem.map { "\(r.name), \(f.target) seed \(f.seed): \($0)" } }
        }
        if !problems.isEmpty { lines += ["", "Runs not counted:"] + problems.map { "- " + $0 } }
        lines += ["", "Goals:"] + goals(rows, options: options).map { ($0.met ? "- met: " : "- NOT MET: ") + $0.text }
        return lines.joined(separator: "\n")
    }

    /// The issue's goals, each with whether these rows meet it and why not.
    public static func goals(_ rows: [Row], options: Options) -> [(met: Bool, text: String)] {
        var goals: [(Bool, String)] = []
        if options.seeds > 0 {
            let missed = rows.filter { $0.pbtFound < $0.suiteRuns.count }.map(\.name)
            goals.append((missed.isEmpty, "every defect found by its property suite in all \(options.seeds) seeds within "
                          + "\(options.examples) traces" + (missed.isEmpty ? "" : " (not: \(missed.joined(separator: ", ")))")))
            let needed = (options.seeds * 9 + 9) / 10
            let atMinimum: (Row) -> Int = { r in r.suiteRuns.count { $0.shrunkLength == r.defectCase.minimalLength } }
            let short = rows.filter { atMinimum($0) < needed }.map { "\($0.name) \(atMinimum($0))" }
            goals.append((short.isEmpty, "shrunk to the hand-worked minimal length in at least \(needed) of \(options.seeds) seeds"
                          + (short.isEmpty ? "" : " (not: \(short.joined(separator: ", ")))")))
        }
        let fuzzed = rows.filter { !$0.fuzzRuns.isEmpty }
        if !fuzzed.isEmpty {
            let missed = fuzzed.filter { $0.fuzzFound < $0.fuzzRuns.count }.map(\.name)
            goals.append((missed.isEmpty, "every defect found by every fuzz campaign within \(options.fuzzSeconds) s"
                          + (missed.isEmpty ? "" : " (not: \(missed.joined(separator: ", ")))")))
            // Only minimised crashes that still fail the crash's way are compared.
            let runs = fuzzed.flatMap(\.fuzzRuns)
            let drifted = runs.count { $0.libFuzzerDrifted }
            let pairs = runs.filter { !$0.libFuzzerDrifted }.compactMap { f in
                f.shrunkLength.flatMap { s in f.libFuzzerLength.map { (s, $0) } }
            }
            let longer = pairs.count { $0.0 > $0.1 }, shorter = pairs.count { $0.0 < $0.1 }
            goals.append((longer == 0 && shorter * 2 > pairs.count,
                          "the structure-aware shrink never longer than -minimize_crash=1 and shorter on most crashes "
                          + "(shorter on \(shorter), equal on \(pairs.count - shorter - longer), longer on \(longer)"
                          + (drifted == 0 ? ")" : "; not compared where libFuzzer's minimiser drifted to another failure: \(drifted))")))
        }
        return goals
    }

    /// The issue's JSON, with the seeds' and campaigns' details beside each row.
    public static func json(_ rows: [Row], options: Options) -> String {
        let items = rows.map { r in
            let c = r.defectCase
            let suite = r.suiteRuns.map { s in
                "{\"seed\": \(s.seed), \"found\": \(s.found), \"examples\": \(s.examples), \"shrunk_length\": \(number(s.shrunkLength)), "
                    + "\"shrink_calls\": \(number(s.shrinkCalls)), \"trace\": \(s.trace.map(quote) ?? "null")}"
            }
            let fuzz = r.fuzzRuns.map { f in
                "{\"target\": \(quote(f.target)), \"seed\": \(f.seed), \"found\": \(f.found), \"seconds\": \(fixed(f.seconds)), "
                    + "\"executions\": \(f.executions), \"crash_length\": \(number(f.crashLength)), "
                    + "\"shrunk_length\": \(number(f.shrunkLength)), \"libfuzzer_min_length\": \(number(f.libFuzzerLength)), "
                    + "\"libfuzzer_drifted\": \(f.libFuzzerDrifted), \"problem\": \(f.problem.map(quote) ?? "null")}"
            }
            return "{\"name\": \(quote(r.name)), \"suite\": \(quote(c.suite)), \"pbt_seeds\": \(r.suiteRuns.count), "
                + "\"pbt_found\": \(r.pbtFound), \"pbt_median_examples\": \(number(r.pbtMedianExamples)), "
                + "\"pbt_minimal_fraction\": \(fixed(r.pbtMinimalFraction)), "
                + "\"pbt_suite_minimal_fraction\": \(fixed(r.pbtSuiteMinimalFraction)), "
                + "\"pbt_median_shrink_calls\": \(number(r.pbtMedianShrinkCalls)), "
                + "\"fuzz_targets\": [\(c.fuzzTargets.map { quote($0.name) }.joined(separator: ", "))], "
                + "\"fuzz_runs\": \(r.fuzzRuns.count), \"fuzz_found\": \(r.fuzzFound), "
                + "\"fuzz_median_seconds\": \(number(r.fuzzMedianSeconds)), "
                + "\"fuzz_median_executions\": \(number(r.fuzzMedianExecutions)), "
                + "\"shrunk_length\": \(number(r.shrunkLength)), \"minimal_length\": \(c.minimalLength), "
                + "\"suite_minimal_length\": \(c.suiteMinimum), \"libfuzzer_min_length\": \(number(r.libFuzzerLength)), "
                + "\"suite_runs\": [\(suite.joined(separator: ", "))], \"fuzz\": [\(fuzz.joined(separator: ", "))]}"
        }
        return "{\"examples\": \(options.examples), \"fuzz_seconds\": \(options.fuzzSeconds), "
            + "\"fuzz_corpus\": \(quote(options.corpus.description)), \"defects\": [\n  "
            + items.joined(separator: ",\n  ") + "\n]}\n"
    }
}

/// The median of `values` (the mean of the middle two for an even count); nil when empty.
func median<T: BinaryInteger>(_ values: [T]) -> Double? {
    median(values.map { Double($0) })
}

func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted(), mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// A median or count for a table cell: whole numbers without decimals, "–" for none.
private func show(_ value: Double?) -> String {
    guard let value else { return "–" }
    return value == value.rounded() ? "\(Int(value))" : fixed(value)
}

private func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }

private func number(_ value: Int?) -> String { value.map { "\($0)" } ?? "null" }
private func number(_ value: Double?) -> String {
    guard let value else { return "null" }
    return value == value.rounded() ? "\(Int(value))" : fixed(value)
}
