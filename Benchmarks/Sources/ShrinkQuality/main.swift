// shrink-quality: problems beyond the shrinking challenge (integers of every
// sign and width, floats, strings, byte strings, nested collections,
// dictionaries and sets, flatMap, one-of, recursive data, state machines),
// once per seed; prints found, the fraction at the expected minimum and the
// median calls from the first failure on. `--json FILE` writes per-run
// records that `Benchmarks/hypothesis/shrink_quality.py --swift FILE` prints
// beside Hypothesis's on the same problems.
//
//   swift build -c release --package-path Benchmarks --product shrink-quality
//   Benchmarks/.build/release/shrink-quality [--seeds 20] [--first-seed 0]
//       [--max-examples 1000] [--only a,b] [--json FILE] [--log-calls]
//       [--families | --machine-families [--ideals]]
//
// `--families` runs the families of problems whose constants are drawn at
// random (`Families.swift`) instead of the hand-written problems;
// `--machine-families` the state machines whose constants are drawn at
// random (`MachineFamilies.swift`), and with `--ideals` prints each one's
// expected minimum (found by a brute-force search) instead of running it.

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
    var maxExamples = 1000
    var only: [String] = []
    var json: String?
    var logCalls = false
    var families = false
    var machineFamilies = false
    var ideals = false
}

func fail(_ message: String) -> Never {
    print("shrink-quality: \(message)")
    exit(2)
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
        case "--log-calls": options.logCalls = true
        case "--families": options.families = true
        case "--machine-families": options.machineFamilies = true
        case "--ideals": options.ideals = true
        case "--help":
            print("usage: shrink-quality [--seeds N] [--first-seed N] [--max-examples N] [--only a,b] [--json FILE] [--log-calls]"
                  + " [--families | --machine-families [--ideals]]")
            exit(0)
        default: fail("unknown argument \(arg) (see --help)")
        }
    }
    if options.families && options.machineFamilies { fail("--families and --machine-families are two benchmarks: give one") }
    if options.ideals && !options.machineFamilies { fail("--ideals goes with --machine-families") }
    return options
}

let options = parseOptions()
logCalls = options.logCalls
if options.ideals {
    for instance in machineFamilyInstances() where options.only.isEmpty || options.only.contains(instance.name) {
        print(instance.name + "\t" + instance.ideal.joined(separator: "; "))
    }
    exit(0)
}
let problems = options.machineFamilies ? machineFamilies() : options.families ? familyProblems() : allProblems()
let chosen = problems.filter { options.only.isEmpty || options.only.contains($0.name) }
if chosen.isEmpty { fail("no problem matches --only \(options.only.joined(separator: ","))") }
let seeds = (0..<options.seeds).map { UInt64(options.firstSeed + $0) }

print("# PropertyTesting shrink quality, seeds \(options.firstSeed)..\(options.firstSeed + options.seeds - 1), max_examples=\(options.maxExamples)")
print(pad("problem", 32) + " " + pad("found", 5, right: true) + " " + pad("ideal", 5, right: true) + " "
      + pad("med.ff", 7, right: true) + " " + pad("cut", 3, right: true) + "  most common final (share)")
var jsonRows: [String] = []
for p in chosen {
    let runs = seeds.map { p.run($0, options.maxExamples) }
    let found = runs.filter(\.found)
    var finals: [(String, Int)] = []
    for r in found {
        if let k = finals.firstIndex(where: { $0.0 == r.final }) { finals[k].1 += 1 } else { finals.append((r.final, 1)) }
    }
    let ideal = runs.filter(\.ideal).count
    let medFF = median(found.map { Double($0.callsFromFirstFailure) })
    let cut = runs.filter(\.budgetExhausted).count
    var row = pad(p.name, 32) + " " + pad("\(found.count)/\(runs.count)", 5, right: true) + " "
        + pad("\(ideal)/\(runs.count)", 5, right: true) + " " + pad(fixed(medFF, 1), 7, right: true) + " " + pad(String(cut), 3, right: true)
    if let mode = finals.max(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 > $1.0) }) {
        row += "  " + truncated(mode.0, 60) + " (\(Int((Double(mode.1) * 100 / Double(found.count)).rounded()))%)"
    }
    print(row)
    let perRun = runs.map { r in
        "{\"seed\": \(r.seed), \"found\": \(r.found), \"ideal\": \(r.ideal), \"final\": \(jsonString(r.final)), "
            + "\"calls_total\": \(r.callsTotal), \"calls_from_ff\": \(r.callsFromFirstFailure), \"budget_exhausted\": \(r.budgetExhausted)}"
    }
    jsonRows.append("    {\"name\": \(jsonString(p.name)), \"seeds\": \(runs.count), \"found\": \(found.count), \"ideal\": \(ideal), "
        + "\"median_calls_after_first_failure\": \(medFF),\n     \"runs\": [" + perRun.joined(separator: ", ") + "]}")
}
print("")
print("Columns: found = runs that failed at all; ideal = runs ending at the expected minimum; med.ff = median")
print("body calls from the first failing call on, including it; cut = runs whose shrink ran out of budget.")

if let path = options.json {
    let text = "{\n  \"engine\": \"PropertyTesting\",\n  \"max_examples\": \(options.maxExamples),\n  \"problems\": [\n"
        + jsonRows.joined(separator: ",\n") + "\n  ]\n}\n"
    guard let f = fopen(path, "w") else { fail("cannot write \(path)") }
    fputs(text, f)
    fclose(f)
}
