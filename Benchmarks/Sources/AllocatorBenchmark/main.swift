// AllocCheck's benchmark executable. Build and run in release mode:
//
//   swift run -c release --package-path Benchmarks allocator-benchmark [--quick] [--seed N]
//
// Every figure is the median of several repetitions, and every comparison
// is against a baseline measured in the same run on the same operations.
// Each part is one call below; a new part adds one line.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print(BenchmarkConfiguration.usage)
    exit(0)
}
guard let configuration = BenchmarkConfiguration.parse(Array(CommandLine.arguments.dropFirst())) else {
    print(BenchmarkConfiguration.usage)
    exit(2)
}

#if DEBUG
print("warning: a debug build; build with -c release for meaningful figures\n")
#endif
print("AllocCheck allocator benchmark\(configuration.quick ? " (--quick)" : ""): seed "
    + "0x\(String(configuration.seed, radix: 16)), median of \(configuration.repetitions) repetitions after one "
    + "untimed warm-up run per side")
var load = [Double](repeating: 0, count: 1)
if getloadavg(&load, 1) == 1 {
    // Other work on the machine slows both sides; the load says how busy it was.
    print("load average (1 min) at start: \(formatted(load[0], decimals: 2))")
}
print("")

print("## Page allocator vs glibc posix_memalign(4096, size)/free, 1 GiB arena")
print("ratio = glibc time / our time (above 1: we are faster); an op is one allocation or one free")
print("")
printComparisonTable(PageBenchmarks.run(configuration), baselineName: "glibc")
print("")

print("## Full invariant check, 1 GiB arena")
print("")
InvariantBenchmark.run(configuration)

// The slab layer's benchmark (SlabBenchmarks.swift) goes here as one call,
// reusing the helpers of Measure.swift.
