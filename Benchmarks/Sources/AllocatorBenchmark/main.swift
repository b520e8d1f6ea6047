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
print("")

print("## Page allocator vs glibc posix_memalign(4096, size)/free, 1 GiB arena")
print("ratio = glibc time / our time (above 1: we are faster); an op is one allocation or one free")
print("")
printComparisonTable(PageBenchmarks.run(configuration), baselineName: "glibc")
print("")

print("## Full invariant check, 1 GiB arena")
print("")
InvariantBenchmark.run(configuration)
