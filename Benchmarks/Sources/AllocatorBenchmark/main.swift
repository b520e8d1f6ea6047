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

if let (key, sideName) = configuration.instructions {
    // One side of one workload, for an instruction count: no timing, no tables.
    let result: Int?
    if let side = PageBenchmarks.sideNames.firstIndex(of: sideName), key.hasPrefix("pages-") {
        if side == 3 && Mimalloc.functions == nil { print(Mimalloc.status); exit(3) }
        result = PageBenchmarks.countedRun(key: key, side: side, configuration)
    } else if let side = SlabBenchmarks.sideNames.firstIndex(of: sideName), !key.hasPrefix("pages-") {
        if side == 2 && Mimalloc.functions == nil { print(Mimalloc.status); exit(3) }
        result = SlabBenchmarks.countedRun(key: key, side: side, configuration)
    } else {
        result = nil
    }
    guard let operations = result else {
        print("unknown workload or side: \(key) \(sideName)\n\(BenchmarkConfiguration.usage)")
        exit(2)
    }
    print("operations: \(operations)")
    exit(0)
}

#if DEBUG
print("warning: a debug build; build with -c release for meaningful figures\n")
#endif
print("AllocCheck allocator benchmark\(configuration.quick ? " (--quick)" : ""): seed "
    + "0x\(String(configuration.seed, radix: 16)), median of \(configuration.repetitions) repetitions after one "
    + "untimed warm-up run per side")
var load = [Double](repeating: 0, count: 1)
if getloadavg(&load, 1) == 1 {
    // Other work on the machine slows every side; the load says how busy it was.
    print("load average (1 min) at start: \(formatted(load[0], decimals: 2))")
}
print(Mimalloc.status)
print("")

print("## Page allocator, 1 GiB arena, vs glibc and mimalloc on the same operations")
print("glibc = posix_memalign(&p, 4096, size) + free (page-aligned, as a page allocator's caller needs);")
print("malloc = malloc(size) + free (not page-aligned: glibc's cheapest path, for reference);")
print("mimalloc = mi_posix_memalign(&p, 4096, size) + mi_free (page-aligned).")
print("X/ours = X's time / our time (above 1: we are faster). An op is one allocation or one free.")
print("")
let pageRows = PageBenchmarks.run(configuration)
printComparisonTable(pageRows, baselineNames: PageBenchmarks.baselineNames)
print("")
print("The arena is touched once before timing (a kernel's memory is always backed); glibc runs with its defaults.")
print("")
printFaultTable(pageRows, baselineNames: PageBenchmarks.baselineNames)
print("")

print("## Full invariant check, 1 GiB arena")
print("")
InvariantBenchmark.run(configuration)

print("")
print("## Slab layer, 256 MiB arena, vs glibc malloc/free and mi_malloc/mi_free of the same sizes")
print("")
printComparisonTable(SlabBenchmarks.run(configuration), baselineNames: SlabBenchmarks.baselineNames)
print("")
print("Load average (1 min) at the end: \(getloadavg(&load, 1) == 1 ? formatted(load[0], decimals: 2) : "unknown")")
