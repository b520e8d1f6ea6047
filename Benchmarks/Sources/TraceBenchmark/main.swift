// How fast the harness judges operation traces, without libFuzzer: the
// property suites' examples per second, and where one execution's time goes.
//
//   swift build -c release --package-path Benchmarks --product trace-benchmark
//   Benchmarks/.build/release/trace-benchmark [--traces N] [--seed S]
//
// For each profile, the same seeded random traces (drawn as the property
// suites draw them, decoded once before timing) run through the judge in
// four modes, from nothing checked to everything after every step. The
// differences between rows are what each kind of check costs. Each figure
// is the median of 5 timed passes after one untimed warm-up pass.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Harness
import PropertyTesting

var tracesPerProfile = 400
var seed: UInt64 = 1
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--traces":
        guard let n = arguments.popFirst().flatMap({ Int($0) }), n > 0 else { print("--traces needs a positive number"); exit(2) }
        tracesPerProfile = n
    case "--seed":
        guard let s = arguments.popFirst().flatMap({ UInt64($0) }) else { print("--seed needs a number"); exit(2) }
        seed = s
    case "-h", "--help":
        print("usage: trace-benchmark [--traces N] [--seed S]"); exit(0)
    default:
        print("unknown argument \(argument); usage: trace-benchmark [--traces N] [--seed S]"); exit(2)
    }
}

func now() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

let modes: [(String, JudgeConfiguration)] = [
    ("allocator and model only", JudgeConfiguration(fullCheckInterval: nil, localChecks: false, integrity: false, finalCheck: false)),
    ("+ data integrity", JudgeConfiguration(fullCheckInterval: nil, localChecks: false, integrity: true, finalCheck: false)),
    ("+ local checks, full at end", JudgeConfiguration(fullCheckInterval: nil)),
    ("full every 16 steps", JudgeConfiguration(fullCheckInterval: 16)),
    ("standard (full every 64)", .standard),
    ("full checks every step", .everyStep),
]

#if DEBUG
print("warning: a debug build; build with -c release for meaningful figures\n")
#endif
var load = [Double](repeating: 0, count: 1)
_ = getloadavg(&load, 1)
print("Trace benchmark: \(tracesPerProfile) random traces per profile, seed \(seed), load average (1 min) \(load[0])")
print("")
print("| profile | steps/trace | mode | traces/s | µs/trace |")
print("|---|---:|---|---:|---:|")
for profile in Profile.all {
    let generator = Trace.generator(profile)
    let traces = (0..<tracesPerProfile).map { i in
        try! TestCase(seed: RandomSource.derive(seed: seed, index: UInt64(i))).draw(generator)
    }
    let steps = Double(traces.reduce(0) { $0 + $1.operations.count }) / Double(traces.count)
    for (name, configuration) in modes {
        let judge = Judge<AllocCheckSubject>(configuration: configuration)
        var times: [Double] = []
        for pass in 0..<6 {
            let start = now()
            for trace in traces {
                if let failure = judge.check(trace) { print("unexpected failure: \(failure)"); exit(1) }
            }
            if pass > 0 { times.append(Double(now() - start) / 1e9) }
        }
        let median = times.sorted()[times.count / 2]
        let perSecond = Double(traces.count) / median
        print("| \(profile.name) | \(String(format1(steps))) | \(name) | \(Int(perSecond)) | \(format1(1e6 / perSecond)) |")
    }
}

func format1(_ x: Double) -> String {
    let scaled = (x * 10).rounded() / 10
    return String(scaled)
}
