import Testing
@testable import Harness
@testable import AllocCheck
import Invariants
import PropertyTesting

func run(_ text: String, _ configuration: JudgeConfiguration = .everyStep) throws -> (Judge<AllocCheckSubject>, TraceFailure?) {
    let judge = Judge<AllocCheckSubject>(configuration: configuration)
    let failure = judge.check(try Trace(parsing: text))
    return (judge, failure)
}

@Suite struct JudgeTests {
    /// The reference scenarios of the kernel's semantics pass, judged after every step.
    @Test(arguments: [
        // The 128 KiB split: an order-5 block from the order-8 block of a 256-page arena.
        "arena pages=256\np1 = alloc_pages order=5\nfree_pages p1\n",
        // The 132 KiB exact trim and its round trip.
        "arena pages=256\ne1 = alloc_pages_exact size=135168\nfree_pages_exact e1\np3 = alloc_pages order=8\n",
        // Top-order buddies stay two blocks.
        "arena pages=1024\np1 = alloc_pages order=9\np2 = alloc_pages order=9\nfree_pages p1\nfree_pages p2\np5 = alloc_pages order=10\n",
        // Holes and a page count that is not a power of two.
        "arena pages=300 reserved=16..<20,40..<41\np1 = alloc_pages order=4\np2 = alloc_pages order=3\np3 = alloc_pages order=0\nfree_pages p2\nfree_pages p1\n",
        // kmalloc class edges, zero, the largest kmalloc and one byte more.
        "arena pages=1024\nk1 = kmalloc size=96\nk2 = kmalloc size=97\nk3 = kmalloc size=8192\nk4 = kmalloc size=8193\nk5 = kmalloc size=0\nksize k2\nksize k4\nksize k5\nk9 = kmalloc size=4194305\nkfree k1\nkfree k2\nkfree k3\nkfree k4\nkfree k5\n",
        // A cache with every debug option, emptied, shrunk and destroyed.
        "arena pages=64\nc1 = cache_create size=600 debug=FZPU\no2 = cache_alloc c1\no3 = cache_alloc c1\ncache_free o2\ncache_validate c1\ncache_destroy c1\ncache_free o3\nc8 = cache_create size=24\ncache_shrink c8\ncache_destroy c8\n",
    ])
    func referenceScenariosPass(_ text: String) throws {
        let (_, failure) = try run(text)
        #expect(failure == nil, "\(failure.map { $0.report(for: try! Trace(parsing: text)) } ?? "")")
    }

    /// A judge reuses its arena buffer (and the state the last allocator left
    /// in it) for the next trace: after any traces, passing or failing, it
    /// judges a trace as a fresh judge does.
    @Test(arguments: [nil, Defect.mergeStopsEarly, .kmallocClassOffByOne])
    func aReusedJudgeJudgesAsAFreshOne(_ defect: Defect?) {
        AllocCheckSubject.$defect.withValue(defect) {
            var generator = RandomSource(seed: 7)
            func randomBytes() -> [UInt8] {
                (0..<Int.random(in: 40...400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            let reused = Judge<AllocCheckSubject>(configuration: .standard)
            for index in 0..<60 {
                let profile = Profile.all[index % Profile.all.count]
                let trace = Trace.decode(randomBytes(), profile: profile)
                let again = reused.check(trace)
                let fresh = Judge<AllocCheckSubject>(configuration: .standard).check(trace)
                #expect(again?.step == fresh?.step, "\(profile.name) trace \(index):\n\(trace.text)")
                #expect(again?.failureKind == fresh?.failureKind)
                #expect(again?.buddyinfo == fresh?.buddyinfo)
                #expect(again?.slabinfo == fresh?.slabinfo)
                // The two judges' arenas lie at different addresses, and the
                // details name addresses by their offset in the arena. Except
                // where a client's overflow wrote over part of a free pointer:
                // its value is the client's bytes under the high bytes of an
                // address, so where it points depends on where the arena lies.
                if defect == .kmallocClassOffByOne {
                    #expect(again?.details.count == fresh?.details.count)
                } else {
                    #expect(again?.details == fresh?.details)
                }
            }
        }
    }

    /// A refusal's message names addresses in the arena by their offset in
    /// it, so the same misuse reads the same wherever the arena lies; other
    /// addresses are written as they are.
    @Test func refusalMessagesNameArenaAddressesByOffset() throws {
        // Two judges alive at once: two arena buffers at different addresses.
        let judges = [Judge<AllocCheckSubject>(configuration: .standard), Judge<AllocCheckSubject>(configuration: .standard)]
        #expect(judges[0].memory != judges[1].memory)
        var messages: [[String]] = []
        for judge in judges {
            let subject = try AllocCheckSubject.make(arena: Arena(pageCount: 64), memory: judge.memory)
            let small = try subject.createCache(name: "small", objectSize: 32, alignment: 8, debug: 0, hardened: false)
            let large = try subject.createCache(name: "large", objectSize: 64, alignment: 8, debug: 0, hardened: false)
            let object = try subject.allocate(small)
            var seen: [String] = []
            func refused(_ body: () throws(Refusal) -> Void) {
                do { try body(); Issue.record("not refused") } catch { seen.append(error.message) }
            }
            refused { () throws(Refusal) in try subject.free(object, to: large) }
            refused { () throws(Refusal) in try subject.freePages(subject.base + 100, order: 0) }
            let outside = UnsafeMutableRawPointer(bitPattern: 0x1000)!
            refused { () throws(Refusal) in try subject.kfree(outside) }
            try subject.free(object, to: small)
            refused { () throws(Refusal) in try subject.free(object, to: small) }
            messages.append(seen)
        }
        #expect(messages[0] == messages[1])
        #expect(messages[0].filter { $0.contains("arena+0x") }.count == 3, "\(messages[0])")
        #expect(messages[0][2].contains("0x1000"), "\(messages[0][2])")
    }

    /// Every misuse kind is really run (not skipped) and refused as predicted.
    @Test(arguments: [
        "p1 = alloc_pages order=1\nfree_pages p1\nexpect double_free: free_pages p1",
        "e1 = alloc_pages_exact size=9000\nfree_pages_exact e1\nexpect double_free: free_pages_exact e1",
        "c1 = cache_create size=32\no2 = cache_alloc c1\no3 = cache_alloc c1\ncache_free o2\nexpect double_free: cache_free o2",
        "k1 = kmalloc size=40\nk2 = kmalloc size=40\nkfree k1\nexpect double_free: kfree k1",
        "p1 = alloc_pages order=2\nexpect interior_pointer: free_pages p1 offset=8192",
        "k1 = kmalloc size=40\nexpect interior_pointer: kfree k1 offset=8",
        "p1 = alloc_pages order=2\nexpect wrong_order: free_pages p1 order=1",
        "e1 = alloc_pages_exact size=9000\nexpect wrong_size: free_pages_exact e1 size=4096",
        "c1 = cache_create size=32\nc2 = cache_create size=64\no3 = cache_alloc c1\nexpect wrong_cache: cache_free o3 cache=c2",
        "p1 = alloc_pages order=2\nexpect wrong_free_function: free_pages_exact p1",
        "e1 = alloc_pages_exact size=9000\nexpect wrong_free_function: free_pages e1",
        "expect foreign_address: free_pages",
        "expect foreign_address: kfree",
        "c1 = cache_create size=32\nexpect foreign_address: cache_free c1",
        "expect reserved_page: free_pages hole=0",
        "expect reserved_page: free_pages_exact hole=0",
        "k1 = kmalloc size=40\nexpect slab_page: free_pages k1",
        "k1 = kmalloc size=40000\nexpect slab_page: free_pages k1",
    ])
    func misuseIsRefusedAsPredicted(_ body: String) throws {
        let (judge, failure) = try run("arena pages=128 reserved=100..<104\n" + body + "\n")
        #expect(failure == nil, "\(failure?.description ?? "")")
        #expect(judge.misuseRun == 1 && judge.misuseSkipped == 0)
    }

    @Test func misuseThatDoesNotApplyIsANoOp() throws {
        // The freed block was handed out again: freeing it now would be a legal free of p3.
        let (judge, failure) = try run("arena pages=64\np1 = alloc_pages order=1\nfree_pages p1\np3 = alloc_pages order=1\nexpect double_free: free_pages p1\nexpect wrong_order: free_pages p3 order=1\n")
        #expect(failure == nil)
        #expect(judge.misuseRun == 0 && judge.misuseSkipped == 2)
    }

    @Test func outOfMemoryIsPredicted() throws {
        let (_, failure) = try run("arena pages=8\np1 = alloc_pages order=3\np2 = alloc_pages order=0\nfree_pages p1\np4 = alloc_pages order=4\np5 = alloc_pages order=3\n")
        #expect(failure == nil)
    }

    @Test func reportMarksTheFailingStepAndShowsState() throws {
        let trace = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=1\np2 = alloc_pages order=0\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        let found = withFault("allocPages", nth: 2, { s, _ in s.pages._testingSetFreePageCount(1) }) { judge.check(trace) }
        let failure = try #require(found)
        let report = failure.report(for: trace)
        #expect(report.contains(">>> p2 = alloc_pages order=0"))
        #expect(report.contains("buddyinfo at that step:\nNode 0, zone   Normal"))
        #expect(failure.step == 2)
    }
}

/// The full check compares the size each live kmalloc asked for with what
/// the layer records (the snapshot's requested bytes): `ksize` answers the
/// class or block size, so no call tells a wrong record apart.
@Suite struct KmallocRequestRecordTests {
    @Test(arguments: [("kmalloc size=10000", 16384), ("kmalloc size=5", 7)])
    func aWrongRequestedSizeIsCaught(_ step: String, _ recorded: Int) throws {
        let trace = try Trace(parsing: "arena pages=64\nk1 = \(step)\n")
        let large = recorded > 4096
        let found = withFault("kmalloc", nth: 1, { s, p in
            if large { s.slab._testingSetLargeKmallocRequest(p!, recorded) } else { s.slab._testingSetObjectState(p!, UInt16(recorded)) }
        }) { Judge<FaultySubject>(configuration: .everyStep).check(trace) }
        let failure = try #require(found, "the full check missed it")
        #expect(failure.broken.contains(.invariant(.slabOwnership)))
        let asked = step.split(separator: "=").last!
        #expect("\(failure)".contains("records \(recorded) requested bytes, kmalloc asked for \(asked)"), "\(failure)")
        #expect(Judge<FaultySubject>(configuration: .everyStep).check(trace) == nil)
    }
}

/// A step that breaks something is caught by the local checks at that very
/// step, with no full check in between or at the end: one test per kind of
/// corruption a step can leave behind.
@Suite struct LocalCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let trace: String
        let call: String
        let nth: Int
        let step: Int
        let invariant: String
        let corrupt: @Sendable (AllocCheckSubject, UnsafeMutableRawPointer?) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "allocated head loses its order", trace: "p1 = alloc_pages order=2", call: "allocPages", nth: 1, step: 1,
             invariant: "no-overlap") { s, p in s.pages._testingSetPage(s.pfn(of: p)) { $0.order = 1 } },
        Case(name: "split half not put back", trace: "p1 = alloc_pages order=0", call: "allocPages", nth: 1, step: 1,
             invariant: "no-overlap") { s, p in s.pages._testingSetPage(s.pfn(of: p) + 1) { $0.kind = .tail } },
        Case(name: "merge stops one order early", trace: "p1 = alloc_pages order=0\nfree_pages p1", call: "freePages", nth: 1,
             step: 2, invariant: "buddies-coalesced") { s, _ in s.pages._testingSetPage(0) { $0.order = 5 } },
        Case(name: "free list link broken", trace: "p1 = alloc_pages order=0\np2 = alloc_pages order=0\nfree_pages p1",
             call: "freePages", nth: 1, step: 3, invariant: "free-lists") { s, p in
                 s.pages._testingSetPage(s.pfn(of: p)) { $0.next = 40 } },
        Case(name: "per-order count not updated", trace: "p1 = alloc_pages order=0\np2 = alloc_pages order=1",
             call: "allocPages", nth: 2, step: 2, invariant: "free-lists") { s, _ in s.pages._testingSetFreeList(order: 2, count: 5) },
        Case(name: "free-page count not updated", trace: "e1 = alloc_pages_exact size=20000", call: "allocPagesExact", nth: 1,
             step: 1, invariant: "free-lists") { s, _ in s.pages._testingSetFreePageCount(s.freePageCount + 1) },
        Case(name: "exact trim leaves a page behind", trace: "e1 = alloc_pages_exact size=20000", call: "allocPagesExact", nth: 1,
             step: 1, invariant: "no-overlap") { s, p in s.pages._testingSetPage(s.pfn(of: p) + 5) { $0.kind = .allocated } },
        Case(name: "slab in-use count not updated", trace: "c1 = cache_create size=64\no2 = cache_alloc c1\no3 = cache_alloc c1\ncache_free o2",
             call: "free", nth: 1, step: 4, invariant: "slab-ownership") { s, p in s.slab._testingSetInUse(ofSlabHolding: p!, 2) },
        // A step that takes a slab page makes the judge read every page's
        // cache: a live page block (page 0) marked as part of the new slab.
        Case(name: "slab claims a live page", trace: "p1 = alloc_pages order=0\nk2 = kmalloc size=8", call: "kmalloc", nth: 1,
             step: 2, invariant: "no-overlap") { s, p in s.pages._testingSetPage(0) { $0.slab = Int32(s.pfn(of: p)) } },
        // The first cache's slab (page 0) marked as part of kmalloc's new slab.
        Case(name: "slab page moves to another cache", trace: "c1 = cache_create size=32\no2 = cache_alloc c1\nk3 = kmalloc size=8",
             call: "kmalloc", nth: 1, step: 3, invariant: "slab-ownership") { s, p in
                 s.pages._testingSetPage(0) { $0.slab = Int32(s.pfn(of: p)) } },
    ]

    @Test(arguments: cases)
    func localChecksCatchTheStepThatBrokeIt(_ c: Case) throws {
        let trace = try Trace(parsing: "arena pages=64\n" + c.trace + "\n")
        let judge = Judge<FaultySubject>(configuration: JudgeConfiguration(fullCheckInterval: nil, finalCheck: false))
        let found = withFault(c.call, nth: c.nth, c.corrupt) { judge.check(trace) }
        let failure = try #require(found, "the local checks missed it")
        #expect(failure.step == c.step)
        #expect(failure.broken.contains(.invariant(InvariantName(c.invariant))), "\(failure)")
    }

    @Test func overlappingDataIsCaughtBeforeTheFree() throws {
        let trace = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=0\np2 = alloc_pages order=0\nfree_pages p1\n")
        let judge = Judge<FaultySubject>(configuration: JudgeConfiguration(fullCheckInterval: nil, localChecks: false, finalCheck: false))
        // The second allocation's user writes one page too far, into p1.
        let found = withFault("allocPages", nth: 2, { _, p in (p! - Arena.pageSize).storeBytes(of: 0, as: UInt64.self) }) {
            judge.check(trace)
        }
        let failure = try #require(found)
        #expect(failure.broken == [.integrity] && failure.step == 3)
    }

    /// The measuring mode checks the model's predictions and the data
    /// patterns and nothing else: a broken free-list link, which only an
    /// invariant sees, passes it, while the standard judge stops at it.
    @Test func modelOnlyChecksNoInvariant() throws {
        let c = try #require(Self.cases.first { $0.name == "free list link broken" })
        let trace = try Trace(parsing: "arena pages=64\n" + c.trace + "\n")
        let missed = withFault(c.call, nth: c.nth, c.corrupt) { Judge<FaultySubject>(configuration: .modelOnly).check(trace) }
        #expect(missed == nil)
        let caught = withFault(c.call, nth: c.nth, c.corrupt) { Judge<FaultySubject>(configuration: .standard).check(trace) }
        #expect(caught?.broken.contains(.invariant(InvariantName(c.invariant))) == true)
        // The data patterns are still checked.
        let overlap = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=0\np2 = alloc_pages order=0\nfree_pages p1\n")
        let found = withFault("allocPages", nth: 2, { _, p in (p! - Arena.pageSize).storeBytes(of: 0, as: UInt64.self) }) {
            Judge<FaultySubject>(configuration: .modelOnly).check(overlap)
        }
        #expect(found?.broken == [.integrity])
    }

    @Test func withoutTheFaultTheSameTracesPass() throws {
        for c in Self.cases {
            let judge = Judge<FaultySubject>(configuration: .everyStep)
            #expect(judge.check(try Trace(parsing: "arena pages=64\n" + c.trace + "\n")) == nil, "\(c.name)")
        }
    }
}

/// The judge's predictions beyond success and refusal: the kernel's list
/// order, the slab layer's pages cache by cache, and a refusal that changes
/// nothing. Each test shows the prediction holds for the AllocCheck core and
/// fires on an allocator that breaks it.
@Suite struct JudgePredictionTests {
    /// A cache of 8,000-byte objects (four per order-3 slab) grown to three
    /// slabs and two emptied (both kept), allocated from an empty slab, shrunk
    /// with two empty slabs, given a fourth slab that is emptied again, then
    /// refused a destroy while objects are live and an empty slab is kept.
    static let slabLife: String = {
        var lines = ["arena pages=256", "c1 = cache_create size=8000"]
        func step() -> Int { lines.count }
        for _ in 1...12 { lines.append("o\(step()) = cache_alloc c1") }
        for object in 2...9 { lines.append("cache_free o\(object)") }
        lines.append("o\(step()) = cache_alloc c1")
        lines.append("cache_free o\(step() - 1)")
        lines.append("cache_shrink c1")
        let fourth = step()
        for _ in 1...4 { lines.append("o\(step()) = cache_alloc c1") }
        for object in fourth..<(fourth + 4) { lines.append("cache_free o\(object)") }
        lines.append("cache_destroy c1")
        for object in 10...13 { lines.append("cache_free o\(object)") }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func aCacheThroughSeveralSlabsPasses() throws {
        let (_, failure) = try run(Self.slabLife)
        #expect(failure == nil, "\(failure?.description ?? "")")
    }

    @Test func aFreeThatGivesBackAnotherSlabIsCaught() throws {
        // The fifth free leaves its slab partial, and the allocator gives back the empty slab the fourth left.
        let trace = try Trace(parsing: Self.slabLife)
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        let found = withFault("free", nth: 5, { s, _ in s.slab.shrinkAll() }) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == 18 && failure.broken == [.prediction("slab-release")], "\(failure)")
    }

    /// Three slabs of four 8,000-byte objects filled (o2...o5, o6...o9, o10)
    /// and emptied one after another: the first two emptied are kept, the
    /// third given back (the layer keeps 2 empty slabs).
    static let threeSlabsEmptied: String = {
        var lines = ["arena pages=256", "c1 = cache_create size=8000"]
        for step in 2...10 { lines.append("o\(step) = cache_alloc c1") }
        for object in 2...10 { lines.append("cache_free o\(object)") }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test(arguments: [(nil, nil), (1, 18), (3, 19)] as [(Int?, Int?)])
    func whetherAnEmptiedSlabIsKeptIsPredicted(_ claimed: Int?, _ failingStep: Int?) throws {
        // A subject that says it keeps 1 (3) empty slabs, over a layer that
        // keeps 2: the second emptied slab is kept where it should go back
        // (the third given back where it should stay).
        let trace = try Trace(parsing: Self.threeSlabsEmptied)
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        let failure = FaultySubject.$claimedEmptySlabsKept.withValue(claimed) { judge.check(trace) }
        #expect(failure?.step == failingStep, "\(failure?.description ?? "passed")")
        if failure != nil {
            #expect(failure?.broken == [.prediction("empty-slabs-kept")], "\(failure!)")
        }
        // kmalloc classes keep as many: three order-3 slabs of kmalloc-8k emptied.
        var lines = ["arena pages=256"]
        for step in 1...9 { lines.append("k\(step) = kmalloc size=8192") }
        for pointer in 1...9 { lines.append("kfree k\(pointer)") }
        let kmalloc = try Trace(parsing: lines.joined(separator: "\n") + "\n")
        let kmallocFailure = FaultySubject.$claimedEmptySlabsKept.withValue(claimed) { judge.check(kmalloc) }
        #expect(kmallocFailure?.step == failingStep.map { $0 - 1 }, "\(kmallocFailure?.description ?? "passed")")
    }

    @Test func aBlockOtherThanTheFirstOfItsListIsCaught() throws {
        let trace = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=0\nfree_pages p1\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let found = FaultySubject.$handsOutSecondBlock.withValue(true) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == 1 && failure.broken == [.prediction("free-list-order")], "\(failure)")
    }

    @Test func aShrinkThatMiscountsItsPagesIsCaught() throws {
        // The shrink (step 24) gives back two empty slabs of 8 pages each.
        let trace = try Trace(parsing: Self.slabLife)
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        let found = FaultySubject.$shrinkMiscount.withValue(-14) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == 24 && failure.broken == [.prediction("shrink")], "\(failure)")
    }

    @Test func anExactAllocationRecordingAnotherSizeIsCaught() throws {
        // Five pages kept for 20,000 bytes, recorded as 20,480: the same pages, another size.
        let trace = try Trace(parsing: "arena pages=64\ne1 = alloc_pages_exact size=20000\np2 = alloc_pages order=0\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        let found = withFault("allocPagesExact", nth: 1, { s, p in s.pages._testingSetPage(s.pfn(of: p)) { $0.info = 20480 } }) {
            judge.check(trace)
        }
        let failure = try #require(found)
        #expect(failure.step == 1 && failure.broken == [.invariant(.exactTrim)], "\(failure)")
    }

    @Test func aCacheLimitOffByOneIsCaught() throws {
        // The subject's layers leave 4 slots beside kmalloc's: the fifth cache is refused.
        let trace = try Trace(parsing: "arena pages=64\n" + (1...5).map { "c\($0) = cache_create size=64" }.joined(separator: "\n") + "\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let found = FaultySubject.$cacheLimitOneEarly.withValue(true) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == 4 && failure.broken == [.prediction("unexpected-refusal(too_many_caches)")], "\(failure)")
    }

    @Test func aDestroyedCachesHandleReachingItsSuccessorIsCaught() throws {
        // c3 takes the number of the destroyed c1; c1's handle must stay refused.
        let trace = try Trace(parsing: "arena pages=64\nc1 = cache_create size=64\ncache_destroy c1\nc3 = cache_create size=32\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let found = FaultySubject.$staleHandlesReachTheirSlot.withValue(true) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == 3 && failure.broken == [.prediction("stale-cache-handle")], "\(failure)")
    }

    @Test(arguments: [
        ("allocPagesRefused", "arena pages=8\np1 = alloc_pages order=3\np2 = alloc_pages order=0\n", 2),
        ("destroyRefused", "arena pages=64\nc1 = cache_create size=64\no2 = cache_alloc c1\ncache_destroy c1\n", 3),
    ])
    func aRefusalThatChangesStateIsCaught(_ call: String, _ text: String, _ step: Int) throws {
        let trace = try Trace(parsing: text)
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        // The refused call leaves an allocated head with another order.
        let found = withFault(call, nth: 1, { s, _ in
            let pfn = (0..<s.pages.pageCount).first { s.pages._testingPage($0).kind == .allocated }!
            s.pages._testingSetPage(pfn) { $0.order ^= 1 }
        }) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == step && failure.broken == [.prediction("refusal-changed-state")], "\(failure)")
    }
}

extension JudgePredictionTests {
    /// A free refused for a broken red zone that still records its caller
    /// as the object's freer (owner tracking, U): the snapshot holds how many
    /// owner records were written, so the refusal is seen to change state.
    /// (A hand-made mutant that moved the owner write before the red-zone
    /// check passed every suite.)
    @Test func aRefusedFreeThatRecordsItsFreerIsCaught() throws {
        let trace = try Trace(parsing: "arena pages=64\nc1 = cache_create size=8 debug=ZU\no2 = cache_alloc c1\n"
                              + "expect corruption: cache_free o2 overflow=1\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let found = withFault("freeRefused", nth: 1, { s, p in
            let index = s.slabCacheIndex(ofPage: s.pfn(of: p!))!
            s.slab._testingRecordFreer(of: p!, in: s.slab.cacheID(index: index)!, tag: 7)
        }) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == 3 && failure.broken == [.prediction("refusal-changed-state")], "\(failure)")
    }

    @Test func aRefusalThatMovesTheHotSlabIsCaught() throws {
        // k1...k4 fill a slab of kmalloc-8k. The refused kfree of a pointer
        // 8 bytes into k2 then makes that full slab the class's hot slab:
        // the next kmalloc would undo it, but until then the inlined kfree
        // would return objects to a full slab without moving it to the
        // partial list. The snapshot names each cache's hot slab, so the
        // refusal is seen to change state (before it did, only the
        // validation of every cache after a refusal caught this, as
        // slab-ownership).
        let trace = try Trace(parsing: "arena pages=256\n" + (1...4).map { "k\($0) = kmalloc size=8192" }.joined(separator: "\n")
                              + "\nexpect interior_pointer: kfree k2 offset=8\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let found = withFault("kfreeRefused", nth: 1, { s, p in
            s.slab._testingSetHotSlab(s.slab.kmallocCache(forSize: 8192)!, pfn: s.slab._testingSlabPfn(holding: p!)!)
        }) { judge.check(trace) }
        let failure = try #require(found)
        #expect(failure.step == 5 && failure.broken == [.prediction("refusal-changed-state")], "\(failure)")
    }

    /// What the allocator reports of each cache (its slabinfo numbers) is
    /// checked against the judge's own count at every full check: a report
    /// that counts one full slab too many fails at once.
    @Test func aWrongSlabinfoCountIsCaught() throws {
        let trace = try Trace(parsing: "arena pages=256\nc1 = cache_create size=3000\no2 = cache_alloc c1\no3 = cache_alloc c1\n"
                              + "cache_free o2\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let failure = try #require(FaultySubject.$reportsAFullSlabTooMany.withValue(true) { judge.check(trace) })
        #expect(failure.step == 1 && failure.broken == [.prediction("slabinfo")], "\(failure)")
        // With full checks every 64 steps and at the end, the end.
        let standard = Judge<FaultySubject>(configuration: .standard)
        let atTheEnd = try #require(FaultySubject.$reportsAFullSlabTooMany.withValue(true) { standard.check(trace) })
        #expect(atTheEnd.broken == [.prediction("slabinfo")], "\(atTheEnd)")
    }

    /// A refused free that first settles the parked hot slab (moves it from
    /// the full list to the partial list's tail, where it would go once it
    /// stopped being hot): the snapshot lists a parked slab where settling
    /// puts it, and says whether it is parked, so the move is seen. (A
    /// hand-made mutant of the sixth round passed every suite.) Only the
    /// inlined fast paths park, and builds with ASan have none.
    @Test(.enabled(if: !Sanitizer.isEnabled))
    func aRefusalThatSettlesAParkedSlabIsCaught() throws {
        // k1...k8 fill two slabs of kmalloc-8k; the free of k2 into the
        // first, full, parks it as the class's hot slab.
        let trace = try Trace(parsing: "arena pages=256\n" + (1...8).map { "k\($0) = kmalloc size=8192" }.joined(separator: "\n")
                              + "\nkfree k2\nexpect interior_pointer: kfree k3 offset=8\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        final class Flag: @unchecked Sendable { var value = false }
        let parked = Flag()
        let found = withFault("kfreeRefused", nth: 1, { s, _ in
            let cache = s.slab.kmallocCache(forSize: 8192)!
            parked.value = s.slab._testingHotSlabIsParked(cache)
            s.slab._testingSettleHotSlab(cache)
        }) { judge.check(trace) }
        #expect(parked.value, "the first slab was not parked when the free was refused")
        let failure = try #require(found)
        #expect(failure.step == 10 && failure.broken == [.prediction("refusal-changed-state")], "\(failure)")
    }
}

/// An arena the allocator refuses (a hole past its end) is a failure at
/// step 0, before anything is modelled, twice in a row on one judge.
@Suite struct RefusedArenaTests {
    @Test func aRefusedArenaIsAFailureNotACrash() {
        let judge = Judge<AllocCheckSubject>()
        let trace = Trace(arena: Arena(pageCount: 16, reserved: [20..<30]), operations: [.allocPages(order: 0)])
        for _ in 0..<2 {
            let failure = judge.check(trace)
            #expect(failure?.step == 0)
            #expect(failure?.broken == [.prediction("arena-refused")])
        }
        // The judge still judges a good trace over another arena afterwards.
        #expect(judge.check(Trace(arena: Arena(pageCount: 16), operations: [.allocPages(order: 0)])) == nil)
    }
}
