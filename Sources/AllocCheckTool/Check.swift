// `check`: every allocator property suite at a chosen budget, as one table
// (and JSON) — the CI job for long runs.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Harness
import PropertyTesting

public enum Check {
    public struct Row: Sendable {
        public let profile: String
        public let examples: Int
        public let steps: Int
        public let misuseRun: Int
        public let seconds: Double
        public let seed: UInt64
        /// The minimal failing trace and its failure, when the suite failed.
        public let counterexample: String?
        public let failure: String?
        public let replay: String?
        public var passed: Bool { counterexample == nil }
    }

    /// One suite: random traces of `profile`, with allocations failed on
    /// purpose (the layer's fault injection) when `injectingFailures`.
    public struct Suite: Sendable {
        public let name: String
        public let profile: Profile
        public let injectingFailures: Bool

        /// A suite per profile, then `faults`: mixed traces with injected
        /// failures, which the others never draw (a refill that ran before
        /// the injected failure refused the allocation passed them all).
        public static let all: [Suite] = Profile.all.map { Suite(name: $0.name, profile: $0, injectingFailures: false) }
            + [Suite(name: "faults", profile: .mixed, injectingFailures: true)]
    }

    /// Runs each suite: `examples` random traces from `seed` (default: a
    /// hash of the suite's name, as in `swift test`), judged after every
    /// step; a failure is shrunk to its minimal trace. `starting` is told
    /// each suite, its position among `suites` and a progress line, before it runs.
    public static func run(examples: Int, seed: UInt64?, suites: [Suite] = Suite.all,
                           starting: (_ suite: Suite, _ position: Int, _ line: String) -> Void = { _, _, _ in }) -> [Row] {
        suites.enumerated().map { position, suite in
            let profile = suite.profile
            starting(suite, position, "checking \(suite.name): \(examples) random traces and the simplest...")
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let start = clock()
            // One failure per suite: a row holds one minimal trace, and its
            // steps and traces/s count the search and that trace's shrink
            // alone, as they always have (see `reportMultipleFailures`).
            let configuration = PropertyConfiguration(maxExamples: examples, seed: seed, reportMultipleFailures: false)
            let result = TraceProperty.check("trace-\(suite.name)", Trace.generator(profile, injectingFailures: suite.injectingFailures),
                                             profile: profile, judge: judge, configuration: configuration)
            let report = result.report
            let seconds = Double(clock() - start) / Double(CLOCKS_PER_SEC)
            return Row(profile: suite.name, examples: report.statistics.examples, steps: judge.stepsRun,
                       misuseRun: judge.misuseRun, seconds: seconds, seed: report.seed,
                       counterexample: result.minimal?.text, failure: result.failure?.summary ?? report.counterexample?.error,
                       replay: result.replayString)
        }
    }

    public static func table(_ rows: [Row]) -> String {
        var lines = ["| suite   | traces | steps   | misuse run | seconds | traces/s | result |",
                     "|---------|-------:|--------:|-----------:|--------:|---------:|--------|"]
        for r in rows {
            let rate = r.seconds > 0 ? Int(Double(r.examples) / r.seconds) : 0
            lines.append("| \(pad(r.profile, 7)) | \(lpad(r.examples, 6)) | \(lpad(r.steps, 7)) | \(lpad(r.misuseRun, 10)) | "
                         + "\(lpad(fixed(r.seconds), 7)) | \(lpad(rate, 8)) | \(r.passed ? "passed" : "FAILED") |")
        }
        for r in rows where !r.passed {
            lines += ["", "\(r.profile) failed (seed \(r.seed)): \(r.failure ?? "")", "minimal trace:"]
            lines += (r.counterexample ?? "").split(separator: "\n").map { "    " + $0 }
            if let replay = r.replay { lines.append("replay string: \(replay)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The rows as JSON, with what the run was asked for: the examples per
    /// suite and the seeded defect switched on (null for the correct core),
    /// without which a saved result cannot be read. Each seed is written
    /// twice: as a number (`seed`, as before, exact for a reader with 64-bit
    /// integers) and as its decimal digits (`seed_string`), since a seed is
    /// any UInt64 (each suite's default is a hash) and a reader that holds
    /// JSON numbers as doubles, JavaScript's among them, rounds one past
    /// 2^53 to another seed, which would rerun another suite.
    public static func json(_ rows: [Row], examples: Int, defect: String?) -> String {
        let items = rows.map { r in
            "{\"suite\": \(quote(r.profile)), \"traces\": \(r.examples), \"steps\": \(r.steps), \"misuse_run\": \(r.misuseRun), "
                + "\"seconds\": \(fixed(r.seconds)), \"seed\": \(r.seed), \"seed_string\": \"\(r.seed)\", \"passed\": \(r.passed), "
                + "\"counterexample\": \(r.counterexample.map(quote) ?? "null"), \"failure\": \(r.failure.map(quote) ?? "null"), "
                + "\"replay\": \(r.replay.map(quote) ?? "null")}"
        }
        return "{\"examples\": \(examples), \"defect\": \(defect.map(quote) ?? "null"), \"suites\": [\n  "
            + items.joined(separator: ",\n  ") + "\n]}\n"
    }
}

func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

func fixed(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
func lpad(_ value: some CustomStringConvertible, _ width: Int) -> String {
    let s = value.description
    return String(repeating: " ", count: max(0, width - s.count)) + s
}
