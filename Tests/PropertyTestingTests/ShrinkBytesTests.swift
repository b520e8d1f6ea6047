import Testing
@testable import PropertyTesting

/// Two failures told apart by their own kind, not by their type.
struct NamedBug: Error, FailureKindProviding, CustomStringConvertible {
    let name: String
    let value: Int64
    var failureKind: String { name }
    var description: String { "\(name) bug at \(value)" }
}

@Suite struct ShrinkBytesTests {
    /// Fails when some drawn integer is at least 100; notes the list it drew.
    static func listWithLargeElement(_ tc: TestCase) throws {
        let xs = try tc.draw(Gen.arrays(of: Gen.integers(in: 0...1000)))
        tc.note("xs = \(xs)")
        try expect(xs.allSatisfy { $0 < 100 }, "large element in \(xs)")
    }

    /// Deterministic random bytes on which `listWithLargeElement` fails
    /// with a list of at least four elements.
    static func failingRandomBytes() -> [UInt8] {
        var random = RandomSource(seed: 11)
        while true {
            let bytes = (0..<48).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let run = runOnce(bytes: bytes, listWithLargeElement)
            if case .failed = run.outcome, run.choiceCount >= 13 { return bytes }
        }
    }

    @Test func shrinksRandomFailingBytesToTheMinimalBytes() throws {
        let input = Self.failingRandomBytes()
        let result = try #require(shrink(bytes: input, Self.listWithLargeElement))
        // [100]: "another element" true, rank 100 in two bytes, then false.
        #expect(result.bytes == [1, 100, 0, 0])
        #expect(result.choices.values == [.boolean(true), .integer(100), .boolean(false)])
        #expect(result.notes == ["xs = [100]"])
        #expect(result.message.hasPrefix("large element in [100]"))
        #expect(result.failureKind.hasPrefix("PropertyFailure@"))
        #expect(result.originalByteCount == 48)
        #expect(result.originalChoiceCount > result.finalChoiceCount)
        #expect(result.finalChoiceCount == 3 && result.finalByteCount == 4)
        #expect(result.calls > 0 && result.calls <= 5000)
        #expect(!result.budgetExhausted)
        // The minimal bytes replay to the same failure.
        let again = runOnce(bytes: result.bytes, Self.listWithLargeElement)
        #expect(again.outcome == .failed(kind: result.failureKind, message: result.message))
        #expect(again.bytes == result.bytes)
    }

    @Test func passingInputReturnsNil() {
        var calls = 0
        let result = shrink(bytes: [1, 5, 0, 1, 7, 0, 0]) { tc in
            calls += 1
            try Self.listWithLargeElement(tc)
        }
        #expect(result == nil)
        #expect(calls == 1)
    }

    @Test func failureKindStaysFixed() throws {
        // Two failures: "medium" from 10, "large" from 500. A "large" input
        // must not shrink to the simpler "medium" failure, and vice versa.
        let body = { (tc: TestCase) throws in
            let x = try tc.drawInteger(IntegerConstraints(min: 0, max: 1000))
            if x >= 500 { throw NamedBug(name: "large", value: x) }
            if x >= 10 { throw NamedBug(name: "medium", value: x) }
        }
        let large = try #require(shrink(bytes: [0xBC, 0x02], body))  // rank 700
        #expect(large.failureKind == "large")
        #expect(large.choices.values == [.integer(500)])
        #expect(large.message == "large bug at 500")
        let medium = try #require(shrink(bytes: [77, 0], body))
        #expect(medium.failureKind == "medium")
        #expect(medium.choices.values == [.integer(10)])
    }

    @Test func budgetExhaustionIsReported() throws {
        let input = Self.failingRandomBytes()
        let original = runOnce(bytes: input, Self.listWithLargeElement)
        let result = try #require(shrink(bytes: input, maxCalls: 2, Self.listWithLargeElement))
        #expect(result.budgetExhausted)
        #expect(result.calls == 2)
        // Still the same failure, and never larger than the input.
        guard case .failed(let kind, _) = original.outcome else { Issue.record("input does not fail"); return }
        #expect(result.failureKind == kind)
        #expect(!original.choices.isSimpler(than: result.choices))
    }

    @Test func runOnceReportsOutcomeCanonicalBytesAndNotes() {
        let digit = { (tc: TestCase) throws in
            let d = try tc.drawInteger(IntegerConstraints(min: 0, max: 9))
            tc.note("digit \(d)")
            try assume(d != 3)
            try expect(d != 7, "seven")
        }
        // Rank 15 wraps to 5; the trailing byte is never read.
        let passed = runOnce(bytes: [15, 99], digit)
        #expect(passed.outcome == .passed)
        #expect(passed.bytes == [5])
        #expect(passed.choices.values == [.integer(5)])
        #expect(passed.choiceCount == 1)
        #expect(passed.notes == ["digit 5"])
        #expect(runOnce(bytes: [3], digit).outcome == .discarded)
        guard case .failed(let kind, let message) = runOnce(bytes: [7], digit).outcome else {
            Issue.record("7 does not fail")
            return
        }
        #expect(kind.hasPrefix("PropertyFailure@") && message.hasPrefix("seven"))
        // Short input reads as simplest choices.
        #expect(runOnce(bytes: [], digit).bytes == [0])
        // A body that never stops drawing hits the choice limit.
        let endless = runOnce(bytes: []) { tc in while true { _ = try tc.drawBoolean() } }
        #expect(endless.outcome == .overrun)
    }
}
