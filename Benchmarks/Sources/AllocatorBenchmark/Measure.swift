// Shared helpers for every benchmark in this executable: a seeded random
// generator, a nanosecond clock, medians, and the result tables. A new
// benchmark file (for example the slab layer's) needs only these.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Run-wide settings, read once from the command line.
struct BenchmarkConfiguration {
    /// `--quick`: small counts, for a smoke run in CI that takes seconds.
    var quick = false
    /// `--seed N`: the seed of every generated workload.
    var seed: UInt64 = 0x5EED_A110_C0DE_0001
    /// Timed repetitions per measurement; the median is reported.
    var repetitions: Int { quick ? 3 : 7 }
    /// `--instructions KEY SIDE`: run one side of one workload for an
    /// instruction count (Benchmarks/instructions.sh) instead of timing.
    var instructions: (key: String, side: String)?

    static let usage = """
        usage: allocator-benchmark [--quick] [--seed N] [--instructions WORKLOAD SIDE]
          --quick   small operation counts (a smoke run of a few seconds)
          --seed N  seed of the generated workloads (decimal or 0x-hex)
          --instructions WORKLOAD SIDE
                    run SIDE of WORKLOAD once untimed, then once inside
                    instructionCountedRun, and print its operation count; for
                    valgrind --tool=callgrind --toggle-collect='*instructionCountedRun*'
                    (Benchmarks/instructions.sh does this for every row).
                    Workloads: pages-mixed, pages-order0, pages-exact (sides ours,
                    glibc, malloc, mimalloc); cache-churn, cache-churn-hardened,
                    cache-churn-debug, kmalloc-64-churn, cache-random,
                    cache-random-debug, kmalloc-mixed (sides ours, malloc, mimalloc)
        """

    /// Parses `arguments` (without the program name); nil on a bad argument.
    static func parse(_ arguments: [String]) -> BenchmarkConfiguration? {
        var configuration = BenchmarkConfiguration()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": configuration.quick = true
            case "--instructions":
                guard let key = rest.popFirst(), let side = rest.popFirst() else { return nil }
                configuration.instructions = (key, side)
            case "--seed":
                guard let text = rest.popFirst(), let seed = parseInteger(text) else { return nil }
                configuration.seed = seed
            default: return nil
            }
        }
        return configuration
    }

    private static func parseInteger(_ text: String) -> UInt64? {
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast, and the same sequence on
/// every platform for a given seed, so every run generates the same workload.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An order in `0...top` with P(k) = 2^-(k+1) for k < top and the rest
    /// (2^-top) on `top`: most requests small, a few large, as in a kernel.
    mutating func smallBiasedOrder(top: Int) -> Int {
        (next() | (1 << UInt64(top))).trailingZeroBitCount
    }
}

/// Monotonic time in nanoseconds. `clock_gettime` allocates nothing and
/// costs a few tens of nanoseconds, negligible against the timed loops.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Runs `body` once and returns how long it took, in nanoseconds.
@inline(__always)
func timeNanoseconds(_ body: () -> Void) -> UInt64 {
    let start = monotonicNanoseconds()
    body()
    return monotonicNanoseconds() - start
}

/// Minor page faults of this process so far (first touches of fresh
/// memory, each a trip into the kernel).
func minorPageFaults() -> UInt64 {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return UInt64(usage.ru_minflt)
}

/// The median of `samples` (the mean of the two middle ones for an even count).
func median(_ samples: [UInt64]) -> Double {
    precondition(!samples.isEmpty, "median of no samples")
    let sorted = samples.sorted()
    let middle = sorted.count / 2
    if sorted.count % 2 == 1 { return Double(sorted[middle]) }
    return (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
}

/// Runs `body`: the one function whose instructions (its callees' included)
/// a callgrind run with `--toggle-collect='*instructionCountedRun*'` counts.
@inline(never)
func instructionCountedRun(_ body: () -> UInt64) -> UInt64 {
    body()
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Formats `value` with `decimals` digits after the point, right-aligned in `width`.
func formatted(_ value: Double, decimals: Int, width: Int = 0) -> String {
    // NaN marks a side that was not measured (a baseline that is not installed).
    guard value.isFinite else { return padded("n/a", width) }
    let factor = Int(pow(10.0, Double(decimals)))
    let scaled = Int((abs(value) * Double(factor)).rounded())
    var text = (value < 0 && scaled != 0 ? "-" : "") + String(scaled / factor)
    if decimals > 0 {
        let fraction = String(scaled % factor)
        text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return padded(text, width)
}

/// `text` right-aligned in `width` characters.
func padded(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `text` left-aligned in `width` characters.
func paddedRight(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}

/// One line of a comparison table: the same operations, timed on our side and
/// on each baseline's, in the same run.
struct ComparisonRow {
    var workload: String
    /// Operations per repetition (each allocation and each free counts as one).
    var operations: Int
    /// Median nanoseconds per operation, ours.
    var oursNanosecondsPerOperation: Double
    /// Median nanoseconds per operation of each baseline, in column order.
    var baselineNanosecondsPerOperation: [Double]
    /// Median minor page faults per 1,000 operations, ours first then each
    /// baseline; empty when not measured.
    var faultsPerThousandOperations: [Double] = []

    /// Baseline time / our time for each baseline: above 1 means we are faster.
    var ratios: [Double] { baselineNanosecondsPerOperation.map { $0 / oursNanosecondsPerOperation } }
}

/// Prints comparison rows as a Markdown table (readable in a terminal, and
/// pasteable into a README as it is): for each baseline, its ns/op and the
/// ratio `baseline / ours`.
func printComparisonTable(_ rows: [ComparisonRow], baselineNames: [String]) {
    let workloadWidth = max(8, rows.map(\.workload.count).max() ?? 0)
    var header = "| \(paddedRight("workload", workloadWidth)) | \(padded("ops", 9)) | \(padded("ns/op ours", 10)) |"
    var rule = "|\(String(repeating: "-", count: workloadWidth + 2))|----------:|-----------:|"
    var widths: [(Int, Int)] = []
    for name in baselineNames {
        let timeTitle = "ns/op \(name)"
        let ratioTitle = "\(name)/ours"
        widths.append((max(8, timeTitle.count), max(6, ratioTitle.count)))
        header += " \(padded(timeTitle, widths.last!.0)) | \(padded(ratioTitle, widths.last!.1)) |"
        rule += String(repeating: "-", count: widths.last!.0 + 1) + ":|" + String(repeating: "-", count: widths.last!.1 + 1) + ":|"
    }
    print(header)
    print(rule)
    for row in rows {
        var line = "| \(paddedRight(row.workload, workloadWidth)) | \(padded(String(row.operations), 9)) "
            + "| \(formatted(row.oursNanosecondsPerOperation, decimals: 1, width: 10)) |"
        for (index, (timeWidth, ratioWidth)) in widths.enumerated() {
            line += " \(formatted(row.baselineNanosecondsPerOperation[index], decimals: 1, width: timeWidth)) "
                + "| \(formatted(row.ratios[index], decimals: 2, width: ratioWidth)) |"
        }
        print(line)
    }
}

/// Prints the page faults per 1,000 operations of each side, for the rows
/// that measured them.
func printFaultTable(_ rows: [ComparisonRow], baselineNames: [String]) {
    let measured = rows.filter { !$0.faultsPerThousandOperations.isEmpty }
    guard !measured.isEmpty else { return }
    let workloadWidth = max(8, measured.map(\.workload.count).max() ?? 0)
    let names = ["ours"] + baselineNames
    let widths = names.map { max(8, $0.count) }
    print("| \(paddedRight("minor page faults per 1,000 ops", workloadWidth)) |"
        + zip(names, widths).map { " \(padded($0, $1)) |" }.joined())
    print("|\(String(repeating: "-", count: workloadWidth + 2))|" + widths.map { String(repeating: "-", count: $0 + 1) + ":|" }.joined())
    for row in measured {
        print("| \(paddedRight(row.workload, workloadWidth)) |"
            + zip(row.faultsPerThousandOperations, widths).map { " \(formatted($0, decimals: 1, width: $1)) |" }.joined())
    }
}
