#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import PropertyTesting

/// A fresh folder under /tmp; the test that made it removes it (`removeTemporaryDirectory`).
func temporaryDirectory() -> String {
    var template = Array("/tmp/property-testing-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
}

/// Removes a folder `temporaryDirectory` made, with everything in it.
func removeTemporaryDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

@Suite struct ReplayStringTests {
    @Test func roundTripsArbitraryBytes() throws {
        var random = RandomSource(seed: 3)
        for length in 0..<64 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let text = ReplayString.encode(bytes)
            #expect(text.hasPrefix("pt1-"))
            #expect(try ReplayString.decode(text) == bytes)
            #expect(ReplayString.encode(bytes) == text)  // stable
        }
    }

    @Test func malformedStringsGiveTypedErrors() {
        let good = ReplayString.encode([1, 2, 3, 4])
        #expect(throws: ReplayStringError.unknownVersion("pt9")) { try ReplayString.decode("pt9" + good.dropFirst(3)) }
        #expect(throws: ReplayStringError.self) { try ReplayString.decode("nonsense") }
        #expect(throws: ReplayStringError.invalidCharacter("!", offset: 4)) { try ReplayString.decode("pt1-!BAgME-0000") }
        let broken = "pt1-AQIEBA" + good.suffix(5)  // one byte changed
        #expect(throws: ReplayStringError.self) { try ReplayString.decode(broken) }
        #expect(throws: ReplayStringError.self) { try ReplayString.decode("pt1-AQIDBB" + good.suffix(5)) }  // stray padding bits
    }

    @Test func replayStringReproducesTheShrunkFailure() throws {
        let property = { (x: Int64) throws in try expect(x < 1234, "too big") }
        let report = checkProperty("replay", Gen.integers(in: 0...100_000), configuration: PropertyConfiguration(seed: 1), property)
        let failure = try #require(report.counterexample)
        #expect(failure.value == "1234")
        let again = checkProperty("replay", Gen.integers(in: 0...100_000),
                                  configuration: PropertyConfiguration(replay: failure.replayString), property)
        #expect(again.counterexample?.value == "1234")
        #expect(again.bodyCalls == 1)
        #expect(again.counterexample?.origin == "replay string")
    }

    @Test func sameSeedSameRun() {
        func run(_ seed: UInt64) -> (String?, Int) {
            let r = checkProperty("determinism", Gen.arrays(of: Gen.integers()), configuration: PropertyConfiguration(seed: seed)) { xs in
                try expect(xs.count < 3 || xs[0] <= xs[2])
            }
            return (r.counterexample?.value, r.bodyCalls)
        }
        let first = run(11)
        #expect(first.0 != nil)
        #expect(run(11) == first)
    }
}

@Suite struct RegressionTests {
    /// A body that draws while it runs has no value: its saved case names its
    /// notes, or else the choices it drew (the line was empty).
    @Test func aDrawingBodysSavedCaseNamesWhatItDrew() throws {
        let scratch = temporaryDirectory()
        defer { removeTemporaryDirectory(scratch) }
        let config = PropertyConfiguration(seed: 3, regressions: RegressionStore(directory: scratch))
        let bare = checkProperty("bare", configuration: config) { tc in
            try expect(try tc.draw(Gen.integers(in: 0...100)) < 50)
        }
        let noted = checkProperty("noted", configuration: config) { tc in
            let x = try tc.draw(Gen.integers(in: 0...100))
            tc.note("x = \(x)")
            try expect(x < 50)
        }
        let barePath = try #require(bare.counterexample?.savedTo), notedPath = try #require(noted.counterexample?.savedTo)
        let bareText = try #require(POSIXFiles.readFile(barePath)), notedText = try #require(POSIXFiles.readFile(notedPath))
        #expect(bareText.contains("\n# counterexample: drew 50\n"), "\(bareText)")
        #expect(notedText.contains("\n# counterexample: x = 50\n"), "\(notedText)")
    }

    @Test func savedFailuresAreReplayedFirst() throws {
        let scratch = temporaryDirectory()
        defer { removeTemporaryDirectory(scratch) }
        let store = RegressionStore(directory: scratch + "/regressions")
        let config = PropertyConfiguration(seed: 5, regressions: store)
        var seen: [Int64] = []
        let first = checkProperty("saved", Gen.integers(in: 0...1_000_000), configuration: config) { x in
            try expect(x < 777, "too large")
        }
        let saved = try #require(first.counterexample?.savedTo)
        #expect(first.counterexample?.value == "777")
        let text = try #require(POSIXFiles.readFile(saved))
        #expect(text.hasPrefix("# Saved counterexample"))
        #expect(text.contains("Commit this file"))

        // A different seed would explore elsewhere; the saved case still comes first.
        var other = config
        other.seed = 999
        let second = checkProperty("saved", Gen.integers(in: 0...1_000_000), configuration: other) { x in
            seen.append(x)
            try expect(x < 777, "too large")
        }
        #expect(seen.first == 777)
        #expect(second.counterexample?.origin.hasPrefix("saved regression") == true)
        #expect(second.description.contains("(found by saved regression \(saved), before any random example;"), "\(second)")
        #expect(store.load(property: "saved").cases.count == 1)
    }

    @Test func corruptFilesAreReportedAndKept() throws {
        let dir = temporaryDirectory()
        defer { removeTemporaryDirectory(dir) }
        let store = RegressionStore(directory: dir)
        try POSIXFiles.makeDirectories(store.folder(for: "p"))
        let path = store.folder(for: "p") + "/bad.regression"
        try POSIXFiles.writeAtomically("# header\npt1-@@@-0000\n", to: path)
        let (cases, problems) = store.load(property: "p")
        #expect(cases.isEmpty)
        #expect(problems.count == 1)
        if case .corrupt(let p, let reason) = problems.first {
            #expect(p == path)
            #expect(reason.contains("invalid character"))
        } else {
            Issue.record(Comment(rawValue: "expected a corrupt-file error, got \(problems)"))
        }
        #expect(POSIXFiles.readFile(path) != nil)  // not deleted
        let report = checkProperty("p", Gen.booleans(), configuration: PropertyConfiguration(regressions: store)) { _ in }
        #expect(report.passed)
        #expect(report.regressionProblems.count == 1)
    }

    /// A store with one saved failure of "x < 777" on integers in 0...1000,
    /// and that failure's file. The caller removes `store.directory`.
    func savedSevenSevenSeven() throws -> (RegressionStore, String) {
        let store = RegressionStore(directory: temporaryDirectory())
        let first = checkProperty("p", Gen.integers(in: 0...1000), configuration: PropertyConfiguration(seed: 5, regressions: store)) { x in
            try expect(x < 777, "777 or more")
        }
        #expect(first.counterexample?.value == "777")
        return (store, try #require(first.counterexample?.savedTo))
    }

    @Test func aSavedCaseTheGeneratorNoLongerReadsAsSavedIsReported() throws {
        // The generator changed (a narrower range): the saved 777 reads as
        // another example, which passes. It is reported, not passed over in
        // silence while the bug it recorded may still be there.
        let (store, path) = try savedSevenSevenSeven()
        defer { removeTemporaryDirectory(store.directory) }
        var seen: [Int64] = []
        let report = checkProperty("p", Gen.integers(in: 0...500), configuration: PropertyConfiguration(maxExamples: 1, seed: 5, regressions: store)) { x in
            seen.append(x)
            try expect(x < 777, "777 or more")
        }
        #expect(report.passed && seen.first != 777)
        #expect(report.regressionProblems == [RegressionError.stale(path: path, reason: "a choice was read as another value than the one saved")])
        #expect(report.regressionProblems.first?.description.hasPrefix("saved regression \(path) was not read as it was saved") == true)
        // The property now draws two integers: the saved one reads as saved
        // and the second past the saved choices, as a failure thrown while
        // generating leaves it once fixed. Not reported (see `readAsSaved`).
        let longer = checkProperty("p", Gen.zip(Gen.integers(in: 0...1000), Gen.integers(in: 0...1000)),
                                   configuration: PropertyConfiguration(maxExamples: 1, seed: 5, regressions: store)) { _ in }
        #expect(longer.regressionProblems.isEmpty, "\(longer.regressionProblems)")
        // Unchanged, it replays as saved and nothing is reported.
        let same = checkProperty("p", Gen.integers(in: 0...1000), configuration: PropertyConfiguration(maxExamples: 1, seed: 5, regressions: store)) { _ in }
        #expect(same.regressionProblems.isEmpty)
    }

    @Test func aFailureThrownWhileGeneratingIsNotStaleOnceFixed() throws {
        // The saved case stopped inside the generator (a parse that threw);
        // fixed, the generator draws the rest of the value.
        let scratch = temporaryDirectory()
        defer { removeTemporaryDirectory(scratch) }
        let store = RegressionStore(directory: scratch)
        func parsed(fixed: Bool) -> Generator<[Int64]> {
            Gen.arrays(of: Gen.integers(in: 0...100).map { x -> Int64 in
                if !fixed, x > 50 { throw PropertyFailure("cannot parse \(x)") }
                return x
            })
        }
        let first = checkProperty("parse", parsed(fixed: false), configuration: PropertyConfiguration(seed: 2, regressions: store)) { _ in }
        #expect(first.counterexample?.savedTo != nil)
        let fixed = checkProperty("parse", parsed(fixed: true), configuration: PropertyConfiguration(maxExamples: 1, seed: 2, regressions: store)) { _ in }
        #expect(fixed.passed && fixed.regressionProblems.isEmpty, "\(fixed.regressionProblems)")
    }

    @Test func aDrawingBodyFixedToRunOnIsNotStale() throws {
        // A body that draws while it runs stopped at the failure it saved;
        // fixed, it runs on and draws past the saved choices. That is the
        // fix, not a changed generator: nothing is reported. A changed draw
        // where both read is.
        let scratch = temporaryDirectory()
        defer { removeTemporaryDirectory(scratch) }
        let store = RegressionStore(directory: scratch)
        func body(range: ClosedRange<Int64>, fixed: Bool) -> (TestCase) throws -> Void {
            { tc in
                var total: Int64 = 0
                while try tc.draw(Gen.booleans()) {
                    total += try tc.drawInteger(IntegerConstraints(min: range.lowerBound, max: range.upperBound))
                    if !fixed { try expect(total < 100, "total \(total)") }
                }
            }
        }
        let first = checkProperty("drawn", configuration: PropertyConfiguration(seed: 3, regressions: store),
                                  drawing: body(range: 0...1000, fixed: false))
        #expect(first.counterexample?.savedTo != nil)
        let fixed = checkProperty("drawn", configuration: PropertyConfiguration(maxExamples: 1, seed: 3, regressions: store),
                                  drawing: body(range: 0...1000, fixed: true))
        #expect(fixed.passed && fixed.regressionProblems.isEmpty, "\(fixed.regressionProblems)")
        let changed = checkProperty("drawn", configuration: PropertyConfiguration(maxExamples: 1, seed: 3, regressions: store),
                                    drawing: body(range: 0...10, fixed: true))
        #expect(changed.regressionProblems.count == 1, "\(changed.regressionProblems)")
    }

    @Test func filesWithOtherLineEndsOrAByteOrderMarkAreRead() throws {
        let (store, path) = try savedSevenSevenSeven()
        defer { removeTemporaryDirectory(store.directory) }
        let text = try #require(POSIXFiles.readFile(path))
        let lines = text.split(separator: "\n")
        for variant in [lines.joined(separator: "\r\n") + "\r\n", "\u{FEFF}" + text, lines.joined(separator: "\r") + "\r"] {
            try POSIXFiles.writeAtomically(variant, to: path)
            let (cases, problems) = store.load(property: "p")
            #expect(problems.isEmpty, "\(problems)")
            #expect(cases.count == 1)
        }
    }

    @Test func theSameCaseSavedAgainIsNotRewritten() throws {
        // A replayed case that still fails is the same file: left alone (a
        // rewrite renames a new file into place, a new inode), so a read-only
        // checkout reports nothing.
        let (store, path) = try savedSevenSevenSeven()
        defer { removeTemporaryDirectory(store.directory) }
        func inode() -> UInt64 { var info = stat(); return stat(path, &info) == 0 ? UInt64(info.st_ino) : 0 }
        let before = inode()
        let again = checkProperty("p", Gen.integers(in: 0...1000), configuration: PropertyConfiguration(seed: 9, regressions: store)) { x in
            try expect(x < 777, "777 or more")
        }
        #expect(again.counterexample?.origin == "saved regression \(path)")
        #expect(again.counterexample?.savedTo == path)
        #expect(again.regressionProblems.isEmpty, "\(again.regressionProblems)")
        #expect(before != 0 && inode() == before, "rewritten")
    }

    @Test func aCaseAnotherTestSavedIsReplayedButNotReportedStale() throws {
        // `roundTrip()` in two suites of one folder share a folder. Each
        // file records the test that saved it: both tests replay both cases
        // (a renamed suite keeps its cases), but one saved by the other
        // test, which reads as another example here, is not reported stale.
        let directory = temporaryDirectory()
        defer { removeTemporaryDirectory(directory) }
        let a = RegressionStore(directory: directory, owner: "Tests.SuiteA/roundTrip()")
        let b = RegressionStore(directory: directory, owner: "Tests.SuiteB/roundTrip()")
        let first = checkProperty("roundTrip()", Gen.integers(in: 0...1000),
                                  configuration: PropertyConfiguration(seed: 5, regressions: a)) { x in try expect(x < 777, "777 or more") }
        let pathA = try #require(first.counterexample?.savedTo)
        #expect(POSIXFiles.readFile(pathA)?.contains("\n# test: Tests.SuiteA/roundTrip()\n") == true)
        #expect(a.load(property: "roundTrip()").cases.map(\.owner) == ["Tests.SuiteA/roundTrip()"])
        var seen: [Int64] = []
        _ = checkProperty("roundTrip()", Gen.integers(in: 0...1000),
                          configuration: PropertyConfiguration(maxExamples: 1, seed: 5, regressions: b)) { x in seen.append(x) }
        #expect(seen.first == 777, "A's case is replayed first")
        let other = checkProperty("roundTrip()", Gen.integers(in: 0...500),
                                  configuration: PropertyConfiguration(maxExamples: 1, seed: 5, regressions: b)) { _ in }
        #expect(other.regressionProblems.isEmpty, "\(other.regressionProblems)")
        // Its own test, with the generator changed, is told.
        let mine = checkProperty("roundTrip()", Gen.integers(in: 0...500),
                                 configuration: PropertyConfiguration(maxExamples: 1, seed: 5, regressions: a)) { _ in }
        #expect(mine.regressionProblems.count == 1)
        // The same failure saved by two tests is two files.
        let pathB = try b.save(property: "roundTrip()", bytes: try #require(a.load(property: "roundTrip()").cases.first?.bytes),
                               counterexample: "777")
        #expect(pathB != pathA)
        #expect(RegressionStore(directory: directory).load(property: "roundTrip()").cases.count == 2)
        // A case saved before tests were recorded is that case already: not saved again beside it.
        let older = try RegressionStore(directory: directory).save(property: "roundTrip()", bytes: [5, 6], counterexample: "old")
        #expect(try a.save(property: "roundTrip()", bytes: [5, 6], counterexample: "old") == older)
        #expect(RegressionStore(directory: directory).load(property: "roundTrip()").cases.count == 3)
    }

    @Test func testsSavingTheSameCaseAtOnceDoNotCollide() async throws {
        // Every save used one temporary name per process: two tests saving
        // the same case at once had one rename take the other's file.
        let scratch = temporaryDirectory()
        defer { removeTemporaryDirectory(scratch) }
        let store = RegressionStore(directory: scratch)
        let failures = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var failed = 0
                    for _ in 0..<20 {
                        do { try store.save(property: "same", bytes: [1, 2, 3], counterexample: "x") } catch { failed += 1 }
                    }
                    return failed
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
        #expect(store.load(property: "same").cases.count == 1)
        let leftovers = (POSIXFiles.listDirectory(store.folder(for: "same")).names ?? []).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
