import Testing
@testable import PropertyTestingSwiftTesting

@Suite struct ExpectInBodyTests {
    @Test func expectInsideABodyFailsThePropertyAndIsShrunk() async throws {
        // The property fails on purpose; its one issue (the report) is the known issue.
        var report: PropertyReport?
        await withKnownIssue("the property fails on purpose") {
            report = await propertyCheckWithExpect("expect in body", Gen.arrays(of: Gen.ints(in: 0...1000)),
                                                   configuration: PropertyConfiguration(seed: 3), saveRegressions: false) { xs in
                #expect(xs.allSatisfy { $0 < 500 })
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("Minimal counterexample: [500]") }
        }
        let failure = try #require(report?.counterexample)
        #expect(failure.value == "[500]")
        #expect(report?.counterexampleValue(as: [Int].self) == [500])
        #expect(failure.error.contains("allSatisfy"))
        // Where the expectation is, as `#require` gives it, not Swift Testing's severity.
        #expect(failure.error.hasSuffix("(PropertyTestingTests/ExpectInBodyTests.swift:11)"), "\(failure.error)")
        #expect(failure.shrinkCalls > 0)
    }

    @Test func requireInsideABodyFailsThePropertyToo() async throws {
        var report: PropertyReport?
        await withKnownIssue("the property fails on purpose") {
            report = await propertyCheckWithExpect("require in body", Gen.ints(in: 0...1000),
                                                   configuration: PropertyConfiguration(seed: 3), saveRegressions: false) { x in
                try #require(x < 300)
            }
        }
        #expect(report?.counterexampleValue(as: Int.self) == 300)
    }

    @Test func passingBodyRecordsNothing() async {
        let report = await propertyCheckWithExpect("passing expect", Gen.ints(in: 0...10), saveRegressions: false) { x in
            #expect(x <= 10)
        }
        #expect(report.passed)
    }
}
