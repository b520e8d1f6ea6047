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

    static let usage = """
        usage: allocator-benchmark [--quick] [--seed N]
          --quick   small operation counts (a smoke run of a few seconds)
          --seed N  seed of the generated workloads (decimal or 0x-hex)
        """

    /// Parses `arguments` (without the program name); nil on a bad argument.
    static func parse(_ arguments: [String]) -> BenchmarkConfiguration? {
        var configuration = BenchmarkConfiguration()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": configuration.quick = true
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

/// The median of `samples` (the mean of the two middle ones for an even count).
func median(_ samples: [UInt64]) -> Double {
    precondition(!samples.isEmpty, "median of no samples")
    let sorted = samples.sorted()
    let middle = sorted.count / 2
    if sorted.count % 2 == 1 { return Double(sorted[middle]) }
    return (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Formats `value` with `decimals` digits after the point, right-aligned in `width`.
func formatted(_ value: Double, decimals: Int, width: Int = 0) -> String {
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
/// on the baseline's, in the same run.
struct ComparisonRow {
    var workload: String
    /// Operations per repetition (each allocation and each free counts as one).
    var operations: Int
    /// Median nanoseconds per operation, ours.
    var oursNanosecondsPerOperation: Double
    /// Median nanoseconds per operation, the baseline.
    var baselineNanosecondsPerOperation: Double

    /// Baseline time / our time: above 1 means we are faster.
    var ratio: Double { baselineNanosecondsPerOperation / oursNanosecondsPerOperation }
}

/// Prints comparison rows as a Markdown table (readable in a terminal, and
/// pasteable into a README as it is).
func printComparisonTable(_ rows: [ComparisonRow], baselineName: String) {
    let workloadWidth = max(8, rows.map(\.workload.count).max() ?? 0)
    print("| \(paddedRight("workload", workloadWidth)) | \(padded("ops", 9)) | \(padded("ns/op ours", 10)) "
        + "| \(padded("ns/op \(baselineName)", 11)) | \(padded("ratio", 6)) |")
    print("|\(String(repeating: "-", count: workloadWidth + 2))|----------:|-----------:|------------:|-------:|")
    for row in rows {
        print("| \(paddedRight(row.workload, workloadWidth)) | \(padded(String(row.operations), 9)) "
            + "| \(formatted(row.oursNanosecondsPerOperation, decimals: 1, width: 10)) "
            + "| \(formatted(row.baselineNanosecondsPerOperation, decimals: 1, width: 11)) "
            + "| \(formatted(row.ratio, decimals: 2, width: 6)) |")
    }
}
