import Foundation
import Testing
@testable import Harness
import AllocCheck
import PropertyTesting

/// Planted bugs (through `FaultySubject`) found and shrunk to the known minimal trace.
@Suite struct ShrinkTests {
    /// Minimal traces that need a step deleted while a later argument is
    /// raised: "exact allocations break when 5 pages are live" goes from two
    /// allocations of 1 and 4 pages to one allocation of 5.
    @Test func aStepIsDeletedWhileALaterSizeIsRaised() throws {
        try withFault("allocPagesExact", nth: 0, { s, _ in
            let live = s.pages.snapshot().exactAllocations.reduce(0) { $0 + ($1.bytes + Arena.pageSize - 1) / Arena.pageSize }
            if live == 5 { s.pages._testingSetFreePageCount(s.freePageCount - 1) }
        }) {
        let start = try Trace(parsing: "arena pages=256\ne1 = alloc_pages_exact size=4096\ne2 = alloc_pages_exact size=16384\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(start)?.step == 2)
        let shrunk = try #require(TraceProperty.shrink(bytes: try start.bytes(profile: .exact), profile: .exact, judge: judge))
        #expect(shrunk.trace.text == "arena pages=256\ne1 = alloc_pages_exact size=16385\n")
        #expect(!shrunk.budgetExhausted)
        }
    }

    /// An allocation and its free only fail together; the suite finds the bug
    /// from random traces and deletes every other step around the pair.
    @Test func aBrokenFreeShrinksToItsAllocationAndFree() throws {
        try withFault("freePages", nth: 0, { s, p in
            // Freeing an order-2 block forgets to count one page.
            if s.pages.freePageCount % 4 == 0 && s.pages.pageRecord(s.pfn(of: p)).kind != .tail {
                s.pages._testingSetFreePageCount(s.freePageCount - 1)
            }
        }) {
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        let result = TraceProperty.check("broken-free", Trace.generator(.pages), profile: .pages, judge: judge,
                                         configuration: PropertyConfiguration(maxExamples: 1000, seed: 1))
        let trace = try #require(result.minimal)
        #expect(trace.operations.count == 2, "\(trace.text)")
        #expect(trace.operations.last.map { if case .freePages = $0 { true } else { false } } == true)
        // The replay string reproduces the trace reported (which the trace
        // shrinking after the engine's made shorter), not the engine's.
        #expect(result.shrinkCalls > 0)
        let replay = try #require(result.replayString)
        let again = checkProperty("broken-free", Trace.generator(.pages), configuration: PropertyConfiguration(replay: replay)) {
            try judge.run($0)
        }
        #expect(again.counterexample?.value == trace.text)
        }
    }

    /// A fuzzer's crash file is a property failure's bytes and back: the
    /// shrunk bytes are an input that fails the same way.
    @Test func crashBytesShrinkAndTheResultIsAnInputAgain() throws {
        try withFault("kmalloc", nth: 3, { s, _ in s.pages._testingSetFreePageCount(s.freePageCount + 1) }) {
        let judge = Judge<FaultySubject>(configuration: .standard)
        var random = RandomSource(seed: 3)
        var crash: [UInt8]?
        for _ in 0..<2000 where crash == nil {
            let bytes = (0..<120).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if judge.check(Trace.decode(bytes, profile: .kmalloc)) != nil { crash = bytes }
        }
        let bytes = try #require(crash, "no random input reached the third kmalloc")
        let kind = try #require(judge.check(Trace.decode(bytes, profile: .kmalloc))).failureKind
        let shrunk = try #require(TraceProperty.shrink(bytes: bytes, profile: .kmalloc, judge: judge))
        #expect(shrunk.failure.failureKind == kind)
        #expect(shrunk.bytes.count < bytes.count)
        #expect(judge.check(Trace.decode(shrunk.bytes, profile: .kmalloc))?.failureKind == kind)
        // Three kmallocs of the simplest size, nothing else.
        #expect(shrunk.trace.text == "arena pages=256\nk1 = kmalloc size=1\nk2 = kmalloc size=1\nk3 = kmalloc size=1\n")
        }
    }

    /// A fuzzer's crash (13 bytes: a cache with every debug option, an object
    /// freed twice, which poisoning reports as corruption) once crashed the shrinker: raising an integer after a
    /// deletion made the run end before the raised position, and the pass
    /// read past the recorded choices. It shrinks, and keeps its failure.
    /// (Its bytes wrap around: the slab profile's tag and the cache options
    /// each gained values since, so the tag bytes 0xff and the options byte
    /// 0xff of the crash are 0xfa and 0xef here, which wrap to what they did;
    /// the double free's tag byte, 0xd9 while the slab profile had 14
    /// operations and 0xf7 while it had 15, was 0xfe while it had 18 and is
    /// 0xf7 again since it has 19. The tag bytes 0xf3 of 15 operations were
    /// 0xfa from 18 and are 0xf3 again from 19.)
    @Test func aCrashWhoseRunEndsEarlyUnderDeleteAndRaiseShrinks() throws {
        let bytes: [UInt8] = [0x40, 0x0a, 0xff, 0xf3, 0xff, 0xff, 0xef, 0xf3, 0xff, 0xf3, 0x04, 0xf7, 0x51]
        try AllocCheckSubject.$defect.withValue(.doubleFreeUndetected) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let kind = try #require(judge.check(Trace.decode(bytes, profile: .slab))).failureKind
            let shrunk = try #require(TraceProperty.shrink(bytes: bytes, profile: .slab, judge: judge))
            #expect(shrunk.failure.failureKind == kind)
            // A cache, an object, its free and the second free: nothing to delete.
            #expect(shrunk.trace.operations.count == 4, "\(shrunk.trace.text)")
        }
    }

    /// Ten caches created between the one with red zones and the allocation
    /// of its object, which counts caches from the newest: each deletion the
    /// engine makes alone has the allocation pick another cache, so it
    /// stopped at all thirteen steps. Deleted by handle (`StepDeletion`),
    /// they go and the allocation still names the first cache.
    @Test func stepsBetweenAHandleAndItsUseAreDeletedByHandle() throws {
        let unrelated = (2...11).map { "c\($0) = cache_create size=8\n" }.joined()
        let start = try Trace(parsing: "arena pages=256\nc1 = cache_create size=8 debug=Z\n" + unrelated
                              + "o12 = cache_alloc c1\nexpect corruption: cache_free o12 overflow=1\n")
        try AllocCheckSubject.$defect.withValue(.redzoneUnchecked) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            #expect(judge.check(start)?.step == 13)
            let shrunk = try #require(TraceProperty.shrink(bytes: try start.bytes(profile: .slab), profile: .slab, judge: judge))
            #expect(shrunk.trace.text == "arena pages=256\nc1 = cache_create size=8 debug=Z\no2 = cache_alloc c1\n"
                    + "expect corruption: cache_free o2 overflow=1\n")
            #expect(!shrunk.budgetExhausted)
        }
    }

    /// A size-class defect fails on sizes scattered over the order (the
    /// lookup that rounds down fails on 9 to 15, 17 to 23, 33 and up, not on
    /// 24 to 32), so the engine's searches stopped at `kmalloc size=33`;
    /// tried at the class edges below it, the size goes to 9. A size whose
    /// failure needs it (a request past the largest class) stays.
    @Test func aKmallocSizeGoesToTheSmallestClassEdgeThatKeepsTheFailure() throws {
        let start = try Trace(parsing: "arena pages=256\nk1 = kmalloc size=33\n")
        try AllocCheckSubject.$defect.withValue(.kmallocClassOffByOne) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let shrunk = try #require(TraceProperty.shrink(bytes: try start.bytes(profile: .kmalloc), profile: .kmalloc, judge: judge))
            #expect(shrunk.trace.text == "arena pages=256\nk1 = kmalloc size=9\n")
        }
        #expect(KmallocSizeEdges.edges(below: 34) == [1, 8, 9, 16, 17, 32, 33])
        #expect(KmallocSizeEdges.edges(below: 1).isEmpty)
    }

    /// The kmalloc debug options the failure does not need are cleared last
    /// (`KmallocDebugClearing`): a crash of the pages target's fuzzer
    /// (210 bytes, 69 operations) shrank to a trace that kept
    /// `kmalloc_debug=ZU` with no kmalloc step, and a second shrink of
    /// that result dropped it. Options the failure needs stay: an
    /// overflow the red-zone defect lets through needs Z, not U.
    @Test func kmallocDebugOptionsTheFailureDoesNotNeedAreCleared() throws {
        let crash = try #require(Data(base64Encoded: "ICAgICAgICAgICIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIyMjIyMjIyNPIyNwdGlvbmFsIiIiIiIiIiLe" +
                                   "1iIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIgICAgICAgICAgICAgICAgICAg" +
                                   "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIiIiIiIiIiIiIiIiIiYiIiIiIiIiICAgICAgIA=="))
        try AllocCheckSubject.$defect.withValue(.mergeAcrossHole) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let shrunk = try #require(TraceProperty.shrink(bytes: [UInt8](crash), profile: .pages, judge: judge))
            #expect(shrunk.trace.text == "arena pages=256 reserved=0..<1\np1 = alloc_pages order=0\nfree_pages p1\n")
        }
        let needed = try Trace(parsing: "arena pages=256 kmalloc_debug=ZU\nk1 = kmalloc size=129\nexpect corruption: kfree k1 overflow=1\n")
        try AllocCheckSubject.$defect.withValue(.redzoneUnchecked) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let shrunk = try #require(TraceProperty.shrink(bytes: try needed.bytes(profile: .kmalloc), profile: .kmalloc, judge: judge))
            #expect(shrunk.trace.text == "arena pages=256 kmalloc_debug=Z\nk1 = kmalloc size=1\nexpect corruption: kfree k1 overflow=1\n")
        }
    }

    /// A reserved range the failure does not need is deleted last, the
    /// steps kept (`ReservedRangeDeletion`): the engine lowering the number
    /// of ranges alone reads the range's choices as an operation, so the
    /// slab target kept `reserved=0..<1`. One the failure needs stays: the
    /// page-scan defect fails on one allocation only beside a reserved page.
    @Test func aReservedRangeTheFailureDoesNotNeedIsDeleted() throws {
        let steps = "c1 = cache_create size=8 debug=Z\no2 = cache_alloc c1\nexpect corruption: cache_free o2 overflow=1\n"
        let start = try Trace(parsing: "arena pages=256 reserved=0..<1,40..<42\n" + steps)
        try AllocCheckSubject.$defect.withValue(.redzoneUnchecked) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            let shrunk = try #require(TraceProperty.shrink(bytes: try start.bytes(profile: .slab), profile: .slab, judge: judge))
            #expect(shrunk.trace.text == "arena pages=256\n" + steps)
            #expect(Trace.decode(shrunk.bytes, profile: .slab) == shrunk.trace)
        }
        let needed = try Trace(parsing: "arena pages=256 reserved=0..<1\np1 = alloc_pages order=1\n")
        try AllocCheckSubject.$defect.withValue(.scanOneOrderLow) {
            let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
            #expect(judge.check(Trace(arena: Arena(pageCount: 256), operations: needed.operations)) == nil)
            let shrunk = try #require(TraceProperty.shrink(bytes: try needed.bytes(profile: .pages), profile: .pages, judge: judge))
            #expect(shrunk.trace.arena.reserved.count == 1 && shrunk.trace.operations.count == 1, "\(shrunk.trace.text)")
        }
    }

    /// A step deleted by handle takes the steps that name what it produced
    /// with it (and theirs in turn), and a double free of what it freed; the
    /// others name the same handles, renumbered.
    @Test func aStepDeletedByHandleTakesItsDependents() throws {
        let trace = try Trace(parsing: """
            arena pages=256
            c1 = cache_create size=8
            p2 = alloc_pages order=1
            o3 = cache_alloc c1
            k4 = kmalloc size=5
            cache_free o3
            expect wrong_cache: cache_free k4 cache=c1
            free_pages p2
            expect double_free: free_pages p2

            """)
        #expect(trace.removingStep(at: 0).text == """
            arena pages=256
            p1 = alloc_pages order=1
            k2 = kmalloc size=5
            free_pages p1
            expect double_free: free_pages p1

            """)
        #expect(trace.removingStep(at: 1).text == """
            arena pages=256
            c1 = cache_create size=8
            o2 = cache_alloc c1
            k3 = kmalloc size=5
            cache_free o2
            expect wrong_cache: cache_free k3 cache=c1

            """)
        // A free deleted leaves its allocation live, and the double free of it goes.
        #expect(trace.removingStep(at: 6).text == """
            arena pages=256
            c1 = cache_create size=8
            p2 = alloc_pages order=1
            o3 = cache_alloc c1
            k4 = kmalloc size=5
            cache_free o3
            expect wrong_cache: cache_free k4 cache=c1

            """)
    }
}
