import Testing
@testable import PropertyTesting

/// Passes that walk the integers of an example hold their indices across
/// candidates; an accepted candidate can be shorter (a recursive structure
/// that loses a subtree), and an index from before it then pointed past the
/// end. Two such examples of the shrinking challenge's binary heap crashed
/// the shrinker (out-of-range array reads in the pairwise shift and in the
/// redistribution); each must now shrink to the heap the challenge expects.
@Suite struct ShortenedExampleTests {
    indirect enum Heap: Equatable {
        case empty
        case node(Int64, Heap, Heap)
    }

    static func heap(bound: Int64?, size: Int64) -> Generator<Heap> {
        Generator(label: "heap1") { tc in
            let branch = try tc.draw(Gen.integers(in: 1...8))
            if branch == 1 || size <= 0 { return .empty }
            var key = Gen.integers()
            if let bound { key = key.filter { $0 >= bound } }
            let head = try tc.draw(key)
            return .node(head, try tc.draw(heap(bound: head, size: size / 2)), try tc.draw(heap(bound: head, size: size / 2)))
        }
    }

    static let heaps = Generator<Heap>(label: "heap") { tc in
        try tc.draw(heap(bound: nil, size: tc.draw(Gen.integers(in: 0...20))))
    }

    static func toList(_ h: Heap) -> [Int64] {
        var result: [Int64] = [], stack = [h]
        while let top = stack.popLast() {
            guard case .node(let k, let l, let r) = top else { continue }
            result.append(k)
            stack.append(l)
            stack.append(r)
        }
        return result
    }

    static func merge(_ h1: Heap, _ h2: Heap) -> Heap {
        guard case .node(let k1, let l1, let r1) = h1 else { return h2 }
        guard case .node(let k2, let l2, let r2) = h2 else { return h1 }
        if k1 <= k2 { return .node(k1, merge(r1, h2), l1) }
        return .node(k2, merge(r2, h1), l2)
    }

    /// The challenge's wrong heap sort: the root, then its children merged and listed unsorted.
    static func check(_ h: Heap) throws {
        guard case .node(let k, let l, let r) = h else { return }
        let sorted = [k] + toList(merge(l, r))
        try expect(sorted == sorted.sorted())
        try expect(toList(h).sorted() == sorted)
    }

    static let crashingStarts: [[ChoiceValue]] = [
        [.integer(10), .integer(8), .integer(-5), .integer(4), .integer(6), .integer(8), .integer(7), .integer(8), .integer(7), .integer(1), .integer(8), .integer(4), .integer(26), .integer(1), .integer(3), .integer(1), .integer(4), .integer(-4), .integer(4), .integer(7), .integer(6), .integer(120), .integer(1), .integer(1), .integer(5), .integer(-2), .integer(3), .integer(55), .integer(5), .integer(5), .integer(3), .integer(-85), .integer(3), .integer(7), .integer(33), .integer(3), .integer(6), .integer(3), .integer(-5), .integer(7), .integer(6), .integer(6)],
        [.integer(7), .integer(7), .integer(-123), .integer(8), .integer(-110), .integer(4), .integer(12), .integer(7), .integer(4), .integer(5), .integer(-35184372088831), .integer(-2), .integer(3), .integer(2), .integer(3), .integer(-2), .integer(2), .integer(1), .integer(7), .integer(2), .integer(2), .integer(-93), .integer(-73), .integer(13), .integer(1), .integer(8)],
    ]

    @Test(arguments: crashingStarts.indices)
    func shrinksWithoutReadingPastTheEnd(_ start: Int) throws {
        let executor = Executor(body: { tc in
            let h = try tc.draw(Self.heaps)
            return ("", h, { try Self.check(h) })
        }, deduplicates: true)
        let failing = try #require(executor.run(TestCase(replaying: Self.crashingStarts[start])))
        #expect(failing.outcome.failureKind != nil)
        let shrinker = Shrinker(executor: executor, failing: failing, maxCalls: 5000)
        shrinker.shrink()
        let minimal = try #require(shrinker.best.value as? Heap)
        #expect(minimal == .node(0, .empty, .node(0, .node(0, .empty, .empty), .node(1, .empty, .empty))))
    }
}
