// shrinking-challenge: runs the 14 shrinking-challenge problems through the
// PropertyTesting engine, once per seed, and prints a table in the spirit of
// the Hypothesis baseline script (found, fraction at the ideal, distinct
// finals, median calls in total and from the first failure on).
//
//   swift build -c release --package-path Benchmarks
//   Benchmarks/.build/release/shrinking-challenge [--seeds 20] [--first-seed 0]
//       [--max-examples 10000] [--only a,b] [--json FILE]

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PropertyTesting
import ShrinkBenchmarkSupport

struct Options {
    var seeds = 20
    var firstSeed = 0
    var maxExamples = 10_000
    var only: [String] = []
    var json: String?
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst()
    func value(_ flag: String) -> String {
        guard let v = args.popFirst() else { fail("\(flag) needs a value") }
        return v
    }
    while let arg = args.popFirst() {
        switch arg {
        case "--seeds": options.seeds = Int(value(arg)) ?? { fail("--seeds needs a number") }()
        case "--first-seed": options.firstSeed = Int(value(arg)) ?? { fail("--first-seed needs a number") }()
        case "--max-examples": options.maxExamples = Int(value(arg)) ?? { fail("--max-examples needs a number") }()
        case "--only": options.only = value(arg).split(separator: ",").map(String.init)
        case "--json": options.json = value(arg)
        default: fail("unknown argument \(arg)")
        }
    }
    return options
}

func fail(_ message: String) -> Never {
    print("shrinking-challenge: \(message)")
    exit(2)
}

let options = parseOptions()
let chosen = allChallenges().filter { options.only.isEmpty || options.only.contains($0.name) }
if chosen.isEmpty { fail("no challenge matches --only \(options.only.joined(separator: ","))") }
let seeds = (0..<options.seeds).map { UInt64(options.firstSeed + $0) }

print("# PropertyTesting, seeds \(options.firstSeed)..\(options.firstSeed + options.seeds - 1), max_examples=\(options.maxExamples)")
let header = pad("challenge", 29) + " " + pad("found", 5, right: true) + " " + pad("ideal", 5, right: true) + " "
    + pad("#CE", 4, right: true) + " " + pad("med.calls", 9, right: true) + " " + pad("med.ff", 7, right: true) + " "
    + pad("med.s", 6, right: true) + "  median final example (shortlex)  |  mode (share)"
var rows: [String] = []
var jsonRows: [String] = []
let clock = ContinuousClock()
let startAll = clock.now
for ch in chosen {
    let runs = seeds.map { ch.run($0, options.maxExamples) }
    let found = runs.filter(\.found)
    var row = pad(ch.name, 29) + " " + pad("\(found.count)/\(runs.count)", 5, right: true)
    var finals: [(String, Int)] = []
    for r in found {
        if let k = finals.firstIndex(where: { $0.0 == r.final }) { finals[k].1 += 1 } else { finals.append((r.final, 1)) }
    }
    let idealFraction = Double(runs.filter(\.ideal).count) / Double(runs.count)
    let medFF = median(found.map { Double($0.callsFromFirstFailure) })
    if found.isEmpty {
        row += "  (no failure found)"
    } else {
        let byShortlex = found.map(\.final).sorted { ($0.count, $0) < ($1.count, $1) }
        let lowerMedian = byShortlex[(byShortlex.count - 1) / 2]
        let mode = finals.max { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 > $1.0) }!
        row += " " + pad(fixed(idealFraction, 2), 5, right: true) + " " + pad(String(finals.count), 4, right: true) + " "
            + pad(fixed(median(found.map { Double($0.callsTotal) }), 1), 9, right: true) + " "
            + pad(fixed(medFF, 1), 7, right: true) + " "
            + pad(fixed(median(found.map(\.seconds)), 3), 6, right: true) + "  "
            + truncated(lowerMedian, 52) + "  |  " + truncated(mode.0, 52) + " (\(Int((Double(mode.1) * 100 / Double(found.count)).rounded()))%)"
    }
    print(row)
    rows.append(row)
    let perRun = runs.map { r in
        "{\"seed\": \(r.seed), \"found\": \(r.found), \"ideal\": \(r.ideal), \"final\": \(jsonString(r.final)), "
            + "\"calls_total\": \(r.callsTotal), \"calls_from_ff\": \(r.callsFromFirstFailure)}"
    }
    jsonRows.append("    {\"name\": \(jsonString(ch.name)), \"seeds\": \(runs.count), \"found\": \(found.count), "
        + "\"ideal_fraction\": \(idealFraction), \"distinct_finals\": \(finals.count), "
        + "\"median_calls_after_first_failure\": \(medFF),\n     \"runs\": [" + perRun.joined(separator: ", ") + "]}")
}
let total = clock.now - startAll
print("")
print("Columns: found = runs that failed at all; ideal = fraction of all runs ending at the strict ideal;")
print("#CE = distinct final examples; med.calls = median body calls in total; med.ff = median calls from")
print("the first failing call on, including it; med.s = median seconds per run.")
print("Header: " + header)
print("Total wall time \(total.components.seconds)s")

if let path = options.json {
    let text = "{\n  \"engine\": \"PropertyTesting\",\n  \"max_examples\": \(options.maxExamples),\n  \"challenges\": [\n"
        + jsonRows.joined(separator: ",\n") + "\n  ]\n}\n"
    guard let f = fopen(path, "w") else { fail("cannot write \(path)") }
    fputs(text, f)
    fclose(f)
}
