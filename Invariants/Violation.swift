/// The stable name of an invariant, as it appears in reports ("no-overlap").
///
/// A string-backed struct rather than an enum so that an invariant defined in
/// another file (or another module) can add its own name in an extension.
public struct InvariantName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: InvariantName, rhs: InvariantName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every page is in exactly one free block, one allocation or a reserved range.
    public static let noOverlap = InvariantName("no-overlap")
    /// Every block of order k starts at a multiple of 2^k inside one managed range.
    public static let alignment = InvariantName("alignment")
    /// No two free buddies of the same order below the top order.
    public static let buddiesCoalesced = InvariantName("buddies-coalesced")
    /// Every free block is on exactly the list for its order; lists are well formed.
    public static let freeLists = InvariantName("free-lists")
    /// Exact allocations hold exactly ceil(size / pageSize) pages; the free count is right.
    public static let exactTrim = InvariantName("exact-trim")
    // The slab layer adds `slabOwnership` ("slab-ownership") in Invariants/SlabOwnership.swift.
}

/// One broken invariant, found in one place of a snapshot.
public struct Violation: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The invariant that does not hold.
    public var invariant: InvariantName
    /// The page frames the message names, most relevant first: block heads
    /// rather than every page of a block, and a run of pages as its first and
    /// last page. Values come from the snapshot as they are, so a corrupted
    /// link may name a pfn outside the arena. Empty for a summary line or a
    /// violation about a counter.
    public var pages: [Int]
    /// A sentence a person can act on: what is wrong, where, and what it means.
    public var message: String

    public init(invariant: InvariantName, pages: [Int], message: String) {
        self.invariant = invariant
        self.pages = pages
        self.message = message
    }

    public var description: String { "[\(invariant)] \(message)" }

    /// How many violations one checker reports before it summarises the rest
    /// in a single line, so that a badly corrupted 1 GiB snapshot does not
    /// build a million messages.
    public static let defaultLimit = 100
}

/// A checker's output: collects violations up to a limit and counts the rest.
///
/// Messages are autoclosures, so nothing is formatted once the limit is hit:
/// the cost of a check stays linear in the snapshot, not in the damage.
struct ViolationLog {
    let invariant: InvariantName
    let limit: Int
    private(set) var violations: [Violation] = []
    private(set) var unlisted = 0

    init(_ invariant: InvariantName, limit: Int) {
        self.invariant = invariant
        self.limit = max(0, limit)
    }

    /// Number of violations found so far, listed or not.
    var count: Int { violations.count + unlisted }

    mutating func report(_ pages: @autoclosure () -> [Int], _ message: @autoclosure () -> String) {
        if violations.count < limit {
            violations.append(Violation(invariant: invariant, pages: pages(), message: message()))
        } else {
            unlisted += 1
        }
    }

    /// The listed violations, plus one summary line when some were not listed.
    func finish() -> [Violation] {
        guard unlisted > 0 else { return violations }
        return violations + [Violation(
            invariant: invariant, pages: [],
            message: "\(unlisted) more \(invariant) violation\(unlisted == 1 ? "" : "s") not listed "
                + "(only the first \(limit) are); fix the ones above and check again.")]
    }
}

/// Shared arithmetic for the checkers, safe for any value a corrupted
/// snapshot may hold.
enum Checked {
    /// Orders above this are treated as "larger than any arena": `1 << order`
    /// would overflow or wrap.
    static let largestShift = 40

    /// `2^order` pages, or nil when the order is too large to be a real block.
    @inline(__always)
    static func span(order: Int) -> Int? {
        order >= 0 && order <= largestShift ? 1 << order : nil
    }

    /// The end (exclusive) of a block of `order` at `pfn`, capped at `limit`.
    @inline(__always)
    static func end(pfn: Int, order: Int, cappedAt limit: Int) -> Int {
        guard let span = span(order: order) else { return limit }
        // A corrupt pfn may lie near Int.max: past the end is past the limit.
        let (end, overflow) = pfn.addingReportingOverflow(span)
        return overflow ? limit : min(limit, end)
    }

    /// `n + 1` as text, also for `n == Int.max` (a corrupt count).
    static func plusOne(_ n: Int) -> String {
        n < Int.max ? String(n + 1) : "\(n) + 1"
    }

    /// The snapshot's top order, clamped to a range where shifts are safe.
    @inline(__always)
    static func topOrder(_ snapshot: AllocatorSnapshot) -> Int {
        min(max(snapshot.topOrder, 0), largestShift)
    }

    /// Whether the page size is a positive power of two.
    static func isValidPageSize(_ pageSize: Int) -> Bool {
        pageSize > 0 && pageSize & (pageSize - 1) == 0
    }

    /// `ceil(bytes / pageSize)` for `bytes > 0` and a valid page size, without overflow.
    @inline(__always)
    static func pages(forBytes bytes: Int, pageSize: Int) -> Int {
        bytes / pageSize + (bytes % pageSize == 0 ? 0 : 1)
    }

    /// The kernel's `get_order`: the smallest order whose block holds `bytes`.
    @inline(__always)
    static func order(forBytes bytes: Int, pageSize: Int) -> Int {
        let pages = (bytes - 1) / pageSize
        return pages == 0 ? 0 : Int.bitWidth - pages.leadingZeroBitCount
    }

    /// "page 5" or "pages 5...9".
    static func pageRange(_ first: Int, _ last: Int) -> String {
        first == last ? "page \(first)" : "pages \(first)...\(last)"
    }
}

extension PageKind {
    /// How a report names a page of this kind.
    var phrase: String {
        switch self {
        case .free: return "the head of a free block"
        case .allocated: return "the head of an allocated block"
        case .exact: return "the head of an exact allocation"
        case .tail: return "a tail page"
        case .reserved: return "a reserved page"
        }
    }
}
