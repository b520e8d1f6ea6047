// Defects a new user's review found: each test here failed (or its
// precondition did not stop) before the change it is named after.

import Testing
@testable import PropertyTesting
@testable import PropertyTestingSwiftTesting

@Suite struct NewUserReviewTests {
    // MARK: `assume` drives generation as a filter does.

    /// `assume(x % 100 == 0)` over a wide range: the size did not grow with
    /// the examples `assume` discarded, so the run kept drawing small values,
    /// passed 0, 100 and 200 and claimed the generator had no other valid
    /// value. It passed in 20 seeds of 20; the failure (any multiple of 100
    /// from 300 to 999,000) is now found in every one.
    @Test func assumeDiscardsGrowTheSizeAsFilterRejectionsDo() {
        var found = 0
        for seed: UInt64 in 1...20 {
            let report = checkProperty("assume", Gen.integers(in: 0...1_000_000), configuration: PropertyConfiguration(seed: seed)) { x in
                try assume(x % 100 == 0)
                try expect(x < 300 || x > 999_000, "x=\(x)")
            }
            if report.counterexample != nil { found += 1 }
            #expect(!report.description.contains("were tried") && !report.description.contains("no other valid value"),
                    "seed \(seed): \(report)")
        }
        #expect(found >= 19, "found in \(found) seeds of 20")
    }

    /// A run that most examples' `assume` discards never claims that the
    /// generator ran out of values: it fails the health check, or says it
    /// stopped at its limit of tries.
    @Test func aRunMostlyDiscardedByAssumeNeverClaimsExhaustion() {
        for seed: UInt64 in 1...10 {
            let report = checkProperty("rare", Gen.integers(in: 0...1_000_000), configuration: PropertyConfiguration(seed: seed)) { x in
                try assume(x % 1000 == 0)
            }
            #expect(!report.description.contains("were tried") && !report.description.contains("no other valid value"),
                    "seed \(seed): \(report)")
            #expect(report.problem?.contains("health check") == true || report.tryLimit > 0, "seed \(seed): \(report)")
        }
        // A filter alike: 0 and 1,000,000 pass and repeat (the search favours
        // bounds) between hundreds of discards. It passed, claiming every
        // valid value had been tried; the health check now fails it.
        for seed: UInt64 in 1...6 {
            let report = checkProperty("filtered", Gen.integers(in: 0...1_000_000).filter { $0 % 1000 == 0 },
                                       configuration: PropertyConfiguration(seed: seed)) { _ in }
            #expect(report.problem?.contains("health check") == true, "seed \(seed): \(report)")
        }
        // A small space whose valid values really run out still says so.
        let small = checkProperty("small", Gen.integers(in: 0...3), configuration: PropertyConfiguration(seed: 1)) { x in
            try assume(x == 0)
        }
        #expect(small.passed && small.repeatedTries > 0, "\(small)")
    }

    // MARK: `propertyCheck` outside a Swift Testing test fails loudly.

    /// From XCTest (no `Test.current`; here a detached task, which has none
    /// either), a failing `propertyCheck` recorded an issue that reached no
    /// test, and the caller's test passed.
    @Test func aFailingPropertyCheckOutsideATestStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            await Task.detached {
                _ = propertyCheck("outside", Gen.ints(in: 0...10), saveRegressions: false) { x in try expect(x < 5) }
            }.value
        }
        expectMessage(r, "propertyCheck at PropertyTestingTests/NewUserReviewTests.swift")
        expectMessage(r, "ran outside a Swift Testing test")
        expectMessage(r, "XCTAssert(report.passed, report.description)")
        expectMessage(r, "Minimal counterexample: 5")
    }

    /// A passing report outside a test records nothing and stops nothing.
    @Test func aPassingPropertyCheckOutsideATestReturns() {
        let report = checkProperty("passes", Gen.ints(in: 0...10)) { _ in }
        recordIssues(report, at: #_sourceLocation, runningTest: false)
        #expect(report.passed)
    }

    /// `propertyCheckWithExpect` outside a test passed whatever its body's
    /// `#expect` said: it now stops before the property runs.
    @Test func propertyCheckWithExpectOutsideATestStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            await Task.detached {
                _ = await propertyCheckWithExpect("outside", Gen.ints(in: 0...10), saveRegressions: false) { x in #expect(x < 5) }
            }.value
        }
        expectMessage(r, "propertyCheckWithExpect at PropertyTestingTests/NewUserReviewTests.swift")
        expectMessage(r, "an #expect in its body reaches no test")
    }

    // MARK: `element(of:)` never takes a hash order.

    /// A set's (or a dictionary's keys' or values') order is seeded per
    /// process: `element(of: set)` gave other values for the same choices
    /// in another process. They are now taken sorted, as an array would be.
    @Test func elementOfASetOrADictionarysKeysOrValuesIsSorted() throws {
        let numbers = Set(0..<100)
        let table = Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, 1000 - $0) })
        for seed: UInt64 in 0..<50 {
            let expected = try TestCase(seed: seed).draw(Gen.element(of: Array(0..<100)))
            #expect(try TestCase(seed: seed).draw(Gen.element(of: numbers)) == expected)
            #expect(try TestCase(seed: seed).draw(Gen.element(of: table.keys)) == expected)
            #expect(try TestCase(seed: seed).draw(Gen.element(of: table.values)) == 901 + expected)
        }
    }

    /// One whose elements have no order to sort by stops, naming the type.
    @Test func elementOfAnUnorderableSetStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Gen.element(of: Set([Unordered(id: 1), Unordered(id: 2)]))
        }
        expectMessage(r, "element(of:) was given a Set<Unordered>, whose order differs between processes")
        // In generic code the hash-ordered collection is seen at run time too.
        let g = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = elementInGenericCode(Set([1, 2, 3])) }
        expectMessage(g, "element(of:) was given a Set<Int>")
        // A CaseIterable whose allCases is a set, which cases(of:) copied into an array in hash order.
        let c = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Gen.cases(of: SetCases.self) }
        expectMessage(c, "cases(of: SetCases.self): its allCases is a Set<SetCases>, whose order differs between processes")
    }

    // MARK: A step's drawn arguments are described canonically.

    /// A string argument printed unquoted: `put(key: ,, value: )`.
    @Test func stepArgumentsAreQuotedLikeCounterexamples() {
        let machine = StateMachine<Int, OpenCount>(model: { 0 }, system: { OpenCount() }, rules: [
            .init("put") { _, _, step in
                let key = try step.draw(Gen.just(","), "key")
                let value = try step.draw(Gen.just(""), "value")
                let tags = try step.draw(Gen.just(Set(["b", "a"])), "tags")
                try expect(!(key == "," && value.isEmpty && tags.count == 2), "bad put")
            },
        ])
        let report = machine.check("quoting", configuration: PropertyConfiguration(seed: 1))
        #expect(report.counterexample?.notes == [#"put(key: ",", value: "", tags: Set(["a", "b"]))"#], "\(report)")
    }

    // MARK: The simplest NaN is the quiet one.

    /// Lowering the NaN codes reached 0x7FF0000000000001, a signalling NaN
    /// random search never gives, printed as `nan`.
    @Test func aPropertyFailingOnNaNShrinksToTheQuietNaN() {
        for seed: UInt64 in 0..<5 {
            let d = checkProperty("nan", Gen.doubles(), configuration: PropertyConfiguration(seed: seed)) { x in
                try expect(!x.isNaN)
            }.counterexampleValue(as: Double.self)
            #expect(d?.bitPattern == Double.nan.bitPattern, "seed \(seed): \(String(d?.bitPattern ?? 0, radix: 16))")
            let f = checkProperty("nan", Gen.floats(), configuration: PropertyConfiguration(seed: seed)) { x in
                try expect(!x.isNaN)
            }.counterexampleValue(as: Float.self)
            #expect(f?.bitPattern == Float.nan.bitPattern, "seed \(seed): \(String(f?.bitPattern ?? 0, radix: 16))")
        }
        // The codes of the last exponent: infinity, then the quiet NaNs, then the signalling ones.
        let last = UInt64(1) << 63 | UInt64(2047) << 52
        #expect(FloatLex.double(lex: last) == .infinity)
        #expect(FloatLex.double(lex: last | 1).bitPattern == 0x7FF8_0000_0000_0000)
        #expect(FloatLex.double(lex: last | 2).bitPattern == 0x7FF8_0000_0000_0001)
        #expect(FloatLex.double(lex: last | 1 << 51 | 1).bitPattern == 0x7FF0_0000_0000_0001)
        for code: UInt64 in [0, 1, 2, 1 << 50, 1 << 51, 1 << 51 | 1, FloatLex.mantissaMask] {
            #expect(FloatLex.lex(FloatLex.double(lex: last | code)) == last | code, "code \(code)")
        }
    }

    // MARK: A generator that ignores its TestCase is caught.

    /// `Int.random` in a generator: no choice to vary, so the run passed
    /// after one body call, saying the generator had no other value.
    @Test func aGeneratorThatDrawsFromElsewhereFails() {
        let random = Generator<Int>(label: "random") { _ in Int.random(in: 0...1_000_000) }
        let report = checkProperty("random", random, configuration: PropertyConfiguration(seed: 1)) { _ in }
        #expect(report.problem?.contains("the generator made no choice but gave two different values") == true, "\(report)")
        #expect(report.problem?.contains("must draw every value it varies from its TestCase") == true)
        #expect(report.bodyCalls <= 1)
        // A constant draws nothing and passes as before.
        let constant = checkProperty("constant", Gen.just(5), configuration: PropertyConfiguration(seed: 1)) { _ in }
        #expect(constant.passed, "\(constant)")
    }

    // MARK: Invalid arguments stop, naming the mistake.

    @Test func aSimplestValueOutsideTheRangeStops() async throws {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Gen.ints(in: 0...100, simplest: 200) }
        expectMessage(r, "ints(in: 0...100, simplest: 200): simplest must be in the range")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Gen.integers(in: -5...5, simplest: -6) }
        expectMessage(r, "integers(in: -5...5, simplest: -6): simplest must be in the range")
        // Without one, 0 or the bound nearest 0, as before.
        #expect(try TestCase(bytes: []).draw(Gen.ints(in: 10...20)) == 10)
        #expect(try TestCase(bytes: []).draw(Gen.ints(in: 10...20, simplest: 15)) == 15)
    }

    @Test func aMaximumCodePointPastUnicodeStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Gen.characters(maxCodePoint: 0x20_0000) }
        expectMessage(r, "characters(maxCodePoint: 0x200000): the maximum is past Unicode's last code point, 0x10FFFF")
        _ = Gen.characters(maxCodePoint: 0x10FFFF)
    }

    // MARK: Unique collections name the call the user made.

    @Test func tooFewDistinctValuesNameTheSetsOrDictionariesCall() {
        let sets = checkProperty("sets", Gen.sets(of: Gen.ints(in: 0...3), count: 5...6),
                                 configuration: PropertyConfiguration(maxExamples: 5, seed: 1)) { _ in }
        #expect(sets.problem?.contains("sets: 50 duplicate elements in a row; the element generator may have fewer than 5 distinct values") == true,
                "\(sets)")
        #expect(sets.problem?.contains("uniqueArrays") == false)
        let dictionaries = checkProperty("dictionaries", Gen.dictionaries(keys: Gen.booleans(), values: Gen.ints(), count: 3...4),
                                         configuration: PropertyConfiguration(maxExamples: 5, seed: 1)) { _ in }
        #expect(dictionaries.problem?.contains("dictionaries: 50 duplicate keys in a row; the key generator may have fewer than 3 distinct values") == true,
                "\(dictionaries)")
    }

    /// In a debug build, the stopped process's standard error names the mistake.
    func expectMessage(_ result: ExitTest.Result?, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #if DEBUG
        let output = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(output.contains(message), "\(output.suffix(600))", sourceLocation: sourceLocation)
        #endif
    }
}

/// Hashable with no order.
struct Unordered: Hashable, Sendable { let id: Int }

/// `Gen.element(of:)` where the collection's type is generic: the overloads that sort do not apply.
func elementInGenericCode<C: Collection & Sendable>(_ c: C) -> Generator<C.Element> where C.Element: Sendable { Gen.element(of: c) }

/// A `CaseIterable` whose `allCases` is a set.
struct SetCases: CaseIterable, Hashable, Sendable {
    let n: Int
    static var allCases: Set<SetCases> { [SetCases(n: 1), SetCases(n: 2)] }
}
