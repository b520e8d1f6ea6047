// The failures of other kinds than the first, as a run meets them: the
// simplest example of each, to shrink and report after the first failure
// (`PropertyConfiguration.reportMultipleFailures`).
//
// Invariant: kinds are kept in the order first seen (a hash table only
// looks them up, never is iterated), so which failures are reported, and in
// which order, depends only on the runs, never on a process's hash seed.

final class OtherFailures {
    /// A kind of failure: the simplest example of it seen so far.
    struct Found {
        /// The simplest failing run of the kind (shortlex order of choices).
        var simplest: Execution
        /// Where the kind was first seen (see `Counterexample.origin`).
        let origin: String
    }

    /// The most kinds kept besides the first failure's.
    let limit: Int
    /// Where the runs now made come from, for a kind first seen in one of
    /// them (the `origin` of its `Found`).
    var source = ""
    /// The first failure's kind: the kind of the first failing run noted
    /// (the search stops at the first failure), never kept here.
    private var firstKind: String?
    /// The kinds kept, in the order first seen: at most `limit`.
    private(set) var found: [Found] = []
    /// The kinds seen once `limit` were kept, in the order first seen: named, not shrunk.
    private(set) var unkept: [String] = []
    /// Each kept kind's position in `found` (only looked up, never iterated).
    private var position: [String: Int] = [:]
    /// The kinds in `unkept`, for the look-up alone: an error whose kind
    /// names its value makes a kind per failing run, and searching the list
    /// for each made a shrink's thousands of runs quadratic.
    private var unkeptKinds: Set<String> = []

    init(limit: Int) { self.limit = limit }

    /// Notes a run: a failure of a kind other than the first is kept when
    /// it is the first of its kind, or simpler than the one kept.
    func note(_ run: Execution) {
        guard let kind = run.outcome.failureKind else { return }
        guard let firstKind else {
            firstKind = kind
            return
        }
        guard kind != firstKind else { return }
        if let k = position[kind] {
            if run.sequence.isSimpler(than: found[k].simplest.sequence) { found[k].simplest = run }
        } else if found.count < limit {
            position[kind] = found.count
            found.append(Found(simplest: run, origin: source))
        } else if unkeptKinds.insert(kind).inserted {
            unkept.append(kind)
        }
    }
}
