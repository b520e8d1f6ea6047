// The judge: runs a trace against an allocator step by step, beside the
// reference model, and stops at the first step where anything is wrong.
//
// After every step: the model's prediction (success or the exact refusal,
// the pages an allocation owns, the free-page count), the invariant checks
// local to what the step touched (LocalChecks.swift), and, for a refusal,
// that nothing changed. Every `fullCheckInterval` steps and at the end: every
// invariant over a full snapshot, and the data pattern of every live
// allocation (Integrity.swift).

import AllocCheck
import Invariants
import PropertyTesting

/// How thoroughly a trace is judged.
public struct JudgeConfiguration: Sendable {
    /// Full checks every this many steps (1: after every step); `nil`: only at the end.
    public var fullCheckInterval: Int?
    /// Checks local to what each step touched.
    public var localChecks: Bool
    /// Fill every allocation with a pattern and verify it before it is freed and at the end.
    public var integrity: Bool
    /// The full check after the last step.
    public var finalCheck: Bool

    public init(fullCheckInterval: Int? = 64, localChecks: Bool = true, integrity: Bool = true, finalCheck: Bool = true) {
        self.fullCheckInterval = fullCheckInterval
        self.localChecks = localChecks
        self.integrity = integrity
        self.finalCheck = finalCheck
    }

    /// What the fuzz targets use: local checks every step, full checks every
    /// 64 steps and at the end. The local checks see everything a step can
    /// break (`LocalCheckTests`), and a fault they missed is still in the
    /// state at the end unless a later step undid it; so the full check is a
    /// backstop, and at a quarter of a short input's time (every 16 steps,
    /// as before) it was one that slowed every search for bugs.
    public static let standard = JudgeConfiguration()
    /// What the property suites use: everything after every step.
    public static let everyStep = JudgeConfiguration(fullCheckInterval: 1)
    /// The model's predictions and the data patterns, and no invariant
    /// check at all: what running a trace costs before any checking, for
    /// measuring what the checks cost. It misses every broken invariant the
    /// model cannot see, so campaigns never use it.
    public static let modelOnly = JudgeConfiguration(fullCheckInterval: nil, localChecks: false, finalCheck: false)
}

/// Where and how a trace failed.
public struct TraceFailure: Error, FailureKindProviding, CustomStringConvertible, Sendable {
    /// What broke: an invariant (by name) or a prediction of the model.
    public enum Broken: Hashable, Sendable, CustomStringConvertible {
        case invariant(InvariantName)
        /// The model's prediction, e.g. `unexpected-refusal(out_of_memory)`.
        case prediction(String)
        /// A live allocation's data pattern was overwritten.
        case integrity

        public var description: String {
            switch self {
            case .invariant(let name): return "invariant \(name)"
            case .prediction(let what): return "prediction \(what)"
            case .integrity: return "data integrity"
            }
        }
    }

    /// The 1-based step that failed; `operations.count + 1` for the final check.
    public let step: Int
    /// The failing operation's line ("final check" after the last step).
    public let operation: String
    /// What broke, sorted, without repeats.
    public let broken: [Broken]
    /// What a person reads: one line per problem.
    public let details: [String]
    public let buddyinfo: String
    public let slabinfo: String

    /// The set of broken invariants and predictions: the shrinker keeps it fixed.
    public var failureKind: String { broken.map(\.description).joined(separator: ", ") }

    /// One line: the step, the operation and what broke.
    public var summary: String {
        "step \(step) (\(operation)): \(failureKind)"
    }

    public var description: String {
        ([summary] + details.map { "  " + $0 } + ["  buddyinfo: " + buddyinfo.trimmingCharacters(in: "\n")]).joined(separator: "\n")
    }

    /// The trace's text with the failing step marked, and the state at that step.
    public func report(for trace: Trace) -> String {
        var lines = ["Trace failed at step \(step): \(failureKind)", ""]
        for (index, line) in trace.lines.enumerated() {
            let marker = index == step ? ">>> " : "    "
            lines.append(marker + line)
        }
        if step > trace.operations.count { lines.append(">>> (final check)") }
        lines.append("")
        lines += details
        lines.append("")
        lines.append("buddyinfo at that step:")
        lines.append(buddyinfo.trimmingCharacters(in: "\n"))
        let slabLines = slabinfo.split(separator: "\n").filter { line in
            // Only caches with slabs: the report stays short.
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return line.hasPrefix("#") || line.hasPrefix("slabinfo") || (fields.count > 2 && fields[2] != "0")
        }
        lines.append("slabinfo at that step:")
        lines += slabLines.map(String.init)
        return lines.joined(separator: "\n")
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.last == set { s = s.dropLast() }
        while s.first == set { s = s.dropFirst() }
        return String(s)
    }
}

/// Runs traces against fresh allocators of type `Subject` over one reused buffer.
public final class Judge<Subject: AllocatorUnderTest> {
    public let configuration: JudgeConfiguration
    let memory: UnsafeMutableRawPointer
    /// Steps run, over every trace (for executions-per-second figures).
    public private(set) var stepsRun = 0
    /// Misuse steps that were run (and refused as predicted), and those that
    /// did not apply in the state reached and ran as no-ops.
    public private(set) var misuseRun = 0
    public private(set) var misuseSkipped = 0
    /// A new reference model of the last arena judged, copied for the next
    /// trace over the same arena (building one walks every page and window).
    private var freshModel: (arena: Arena, model: ReferenceModel)?
    /// The buffers of the last run, for the next.
    private var storage = TraceRunStorage<Subject.CacheID>()

    public init(configuration: JudgeConfiguration = .standard) {
        self.configuration = configuration
        // One buffer for every input: a fresh arena per input would spend
        // most of a short execution in page faults. 2 MiB aligned, like a
        // kernel's zone, so block addresses are aligned as pfns are.
        var pointer: UnsafeMutableRawPointer?
        let bytes = Arena.pageCounts.upperBound * Arena.pageSize
        precondition(posix_memalign(&pointer, 1 << 21, bytes) == 0 && pointer != nil, "cannot allocate the arena buffer")
        memory = pointer!
        if Subject.leavesMemoryPoisoned { PageAllocator.makeUnaddressable(memory, bytes: bytes) }
    }

    deinit {
        // The last allocator may have left the buffer poisoned (see `AllocatorUnderTest.make`).
        PageAllocator.makeAddressable(memory, bytes: Arena.pageCounts.upperBound * Arena.pageSize)
        free(memory)
    }

    /// Runs `trace`; throws the first failure.
    public func run(_ trace: Trace) throws(TraceFailure) {
        try run(trace, inspect: nil)
    }

    /// Runs `trace`, then hands `inspect` the run as it stands at the end or
    /// at the failure (before the failure is thrown).
    func run(_ trace: Trace, inspect: ((TraceRun<Subject>) -> Void)?) throws(TraceFailure) {
        let run: TraceRun<Subject>
        do {
            let subject = try Subject.make(arena: trace.arena, memory: memory)
            // Only an arena the allocator accepted is modelled (its holes lie inside it).
            if freshModel?.arena != trace.arena {
                // The arena kept holds its holes in a buffer of its own, even
                // with no holes, so that replacing the kept arena and model
                // frees as many heap blocks as it allocates. libFuzzer runs an
                // input that ends with more mallocs than frees a second time,
                // looking for a leak; the trace's own hole list, kept here
                // when the arena before had none, made that happen to about
                // one input in seventeen.
                var holes: [Range<Int>] = []
                holes.reserveCapacity(trace.arena.reserved.count + 1)
                holes.append(contentsOf: trace.arena.reserved)
                freshModel = (Arena(pageCount: trace.arena.pageCount, reserved: holes), ReferenceModel(arena: trace.arena))
            }
            run = try TraceRun(trace: trace, subject: subject, configuration: configuration, model: freshModel?.model,
                               storage: &storage)
        } catch let failure as TraceFailure {
            throw failure
        } catch {
            throw TraceFailure(step: 0, operation: trace.arena.text, broken: [.prediction("arena-refused")],
                               details: ["the allocator refused the arena: \(error)"], buddyinfo: "", slabinfo: "")
        }
        defer {
            stepsRun += run.stepsRun
            misuseRun += run.misuseRun
            misuseSkipped += run.misuseSkipped
            // After `inspect`, the last to read the run.
            storage = run.surrenderStorage()
        }
        do { try run.runAll() } catch {
            inspect?(run)
            throw error
        }
        inspect?(run)
    }

    /// The arena as it stands after the failing step (or after the last step
    /// of a passing trace), for pictures.
    public func picture(of trace: Trace) -> ArenaPicture {
        var picture: ArenaPicture?
        let failure: TraceFailure?
        do { try run(trace) { picture = ArenaPicture($0) }; failure = nil } catch { failure = error }
        guard var picture else {
            return ArenaPicture(trace: trace, step: 0, cells: [], failure: failure)
        }
        picture.failure = failure
        return picture
    }

    /// Runs `trace` and returns the failure, if any.
    public func check(_ trace: Trace) -> TraceFailure? {
        do { try run(trace); return nil } catch { return error }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
