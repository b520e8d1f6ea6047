// Client-side fault injection, as the kernel offers it with fail_page_alloc
// and failslab: chosen allocations fail as if memory had run out, so that a
// client can test its own error paths. Seeded, so the same configuration
// fails the same calls in every run.

/// Which allocations to fail, and the record of what has been failed.
///
/// A call is *eligible* when it passed its argument checks and would now look
/// for memory (an order or size the allocator refuses anyway is refused as
/// before, uncounted; so is `kmalloc(0)`). For the page allocator, eligible
/// calls are those of order `minOrder` or above, including the page
/// allocations the slab layer makes; for the slab layer, allocations of
/// objects from caches and kmalloc classes. An eligible call fails when all
/// of these hold (the kernel's `should_fail`):
/// - fewer than `times` failures were injected (nil: no limit);
/// - it is the `interval`-th eligible call since the last one the interval
///   let through (1: every call);
/// - a seeded draw falls under `probability`.
///
/// A failed call throws `AllocError.injectedFailure` or
/// `SlabError.injectedFailure` and changes nothing else.
public struct FaultInjection: Equatable, Sendable {
    /// Only every `interval`-th eligible call may fail.
    public let interval: Int
    /// The chance that a call the interval lets through fails, 0...1.
    public let probability: Double
    /// Page allocations below this order never fail (the slab layer ignores it).
    public let minOrder: Int
    /// The most failures to inject; nil for no limit.
    public let times: Int?
    /// The seed of the probability draws.
    public let seed: UInt64

    /// Eligible calls seen while failures could still be injected: once
    /// `times` failures were injected, calls are no longer counted (the
    /// kernel's `should_fail` returns before counting, too).
    public private(set) var calls = 0
    /// Failures injected so far.
    public private(set) var failures = 0
    private var state: UInt64

    /// A configuration that cannot be used, named with the value at fault.
    public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
        case intervalNotPositive(Int)
        case probabilityOutOfRange(Double)
        case minOrderNegative(Int)
        case timesNegative(Int)

        public var description: String {
            switch self {
            case let .intervalNotPositive(n): return "fault injection interval \(n) is not a positive number of calls"
            case let .probabilityOutOfRange(p): return "fault injection probability \(p) is not between 0 and 1"
            case let .minOrderNegative(o): return "fault injection minimum order \(o) is negative"
            case let .timesNegative(n): return "fault injection limit of \(n) failures is negative"
            }
        }
    }

    /// - Parameters:
    ///   - every: `interval`: every `every`-th eligible call may fail.
    ///   - probability: the chance that such a call fails (1: always).
    ///   - minOrder: page allocations below this order are never failed.
    ///   - times: at most this many failures (nil: no limit).
    ///   - seed: the seed of the probability draws.
    public init(every: Int = 1, probability: Double = 1, minOrder: Int = 0, times: Int? = nil,
                seed: UInt64 = 0) throws(ConfigurationError) {
        guard every >= 1 else { throw .intervalNotPositive(every) }
        guard probability >= 0, probability <= 1 else { throw .probabilityOutOfRange(probability) }
        guard minOrder >= 0 else { throw .minOrderNegative(minOrder) }
        if let times, times < 0 { throw .timesNegative(times) }
        interval = every
        self.probability = probability
        self.minOrder = minOrder
        self.times = times
        self.seed = seed
        state = seed
    }

    /// Fails exactly the next eligible call, once.
    public static var nextCall: FaultInjection {
        // Every argument is in range, so this cannot throw.
        try! FaultInjection(every: 1, probability: 1, times: 1)
    }

    /// Counts an eligible call and says whether it must fail: a page
    /// allocation of `order`, or (nil) an object allocation of the slab
    /// layer, which `minOrder` does not apply to (with 0 in its place, any
    /// `minOrder` above 0 turned failslab off).
    mutating func shouldFail(order: Int?) -> Bool {
        if let order, order < minOrder { return false }
        if let times, failures >= times { return false }
        calls &+= 1
        if interval > 1 && calls % interval != 0 { return false }
        if probability < 1 && !(nextUnit() < probability) { return false }
        failures += 1
        return true
    }

    /// A uniform draw in [0, 1) from SplitMix64 (no dependency on the
    /// standard library's unseeded generator).
    private mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1.0p-53
    }
}
