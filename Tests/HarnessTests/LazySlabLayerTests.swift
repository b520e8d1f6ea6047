@testable import Harness
@testable import AllocCheck
import Testing

/// `AllocCheckSubject` builds its slab layer at the layer's first call, and
/// until then shows what a new layer shows: a trace must get the same
/// verdict as on an allocator whose layer was built up front.
@Suite("The subject's slab layer is built at its first call")
struct LazySlabLayerTests {
    /// The judge must judge the paths a client runs: a layer built by the
    /// subject keeps its caches on the inlined fast paths (without ASan,
    /// which keeps every cache off them) until fault injection is first armed.
    @Test func theLayerKeepsItsFastPathsUntilFaultInjectionIsArmed() throws {
        let subject = AllocCheckSubject(pages: try PageAllocator(pageCount: 64))
        let cache = try subject.createCache(name: "c", objectSize: 64, alignment: 8, debug: 0, hardened: false)
        let fastPath = { subject.slab.caches[Int(cache.index)].fastPath }
        #expect(fastPath() == !Sanitizer.isEnabled)
        subject.failNextAllocation(false)
        #expect(fastPath() == !Sanitizer.isEnabled)
        subject.failNextAllocation(true)
        subject.failNextAllocation(false)
        #expect(!fastPath())
    }

    @Test func aPageOnlyTraceBuildsNoSlabLayer() throws {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        var built: [Bool] = []
        for text in ["arena pages=256\np1 = alloc_pages order=2\nfree_pages p1", "arena pages=256\np1 = alloc_pages order=2\nk2 = kmalloc size=8"] {
            try judge.run(Trace(parsing: text)) { built.append($0.subject.slabLayer != nil) }
        }
        #expect(built == [false, true])
    }

    /// The snapshot, slabinfo and free cache slots before the layer is built
    /// are those of the layer once built, with every defect.
    @Test(arguments: [nil] + Defect.allCases)
    func observationsBeforeAndAfterBuildingAgree(_ defect: Defect?) throws {
        let judge = Judge<AllocCheckSubject>()
        let arena = Arena(pageCount: 300, reserved: [17..<19])
        let subject = try AllocCheckSubject.$defect.withValue(defect) {
            try AllocCheckSubject.make(arena: arena, memory: judge.memory)
        }
        _ = try subject.allocPages(order: 3)
        let before = (subject.snapshot(), subject.slabinfo, subject.cacheSlotsLeft)
        #expect(subject.slabLayer == nil)
        _ = subject.slab
        #expect(subject.slabLayer != nil)
        #expect(subject.snapshot() == before.0)
        #expect(subject.slabinfo == before.1)
        #expect(subject.cacheSlotsLeft == before.2)
        #expect(!before.0.slabLayer.caches.isEmpty)
    }

    /// Fault injection armed before the layer is built reaches it.
    @Test func anArmedFaultReachesALayerBuiltLater() throws {
        let judge = Judge<AllocCheckSubject>()
        let subject = try AllocCheckSubject.make(arena: Arena(), memory: judge.memory)
        subject.failNextAllocation(true)
        #expect(throws: Refusal.self) { _ = try subject.kmalloc(64) }
        subject.failNextAllocation(false)
        _ = try subject.kmalloc(64)
    }

    /// A failure's details with absolute addresses masked: the two judges'
    /// arena buffers lie at different addresses (an address outside the arena
    /// is written as it is).
    func masked(_ failure: TraceFailure?) -> [String]? {
        failure?.details.map { $0.replacing(/0x[0-9a-f]+/, with: "0x…") }
    }

    /// The same seeded traces judged with the layer built at its first call
    /// and up front (`FaultySubject` with no fault): the same failures at the
    /// same steps with the same details, on the correct core and with each
    /// defect on, in the default mode and with every check after every step
    /// (where a refused misuse is compared snapshot to snapshot, so building
    /// the layer inside a refused call must change nothing).
    @Test(arguments: [Profile.pages, .exact, .mixed])
    func verdictsAreThoseOfTheWholeAllocator(_ profile: Profile) throws {
        let traces = try randomTraces(profile, count: 16, seed: 11)
        var failures = 0
        for defect in [nil] + Defect.allCases {
            for configuration in [JudgeConfiguration.standard, .everyStep] {
                AllocCheckSubject.$defect.withValue(defect) {
                    let lazy = Judge<AllocCheckSubject>(configuration: configuration)
                    let whole = Judge<FaultySubject>(configuration: configuration)
                    for trace in traces {
                        let a = lazy.check(trace), b = whole.check(trace)
                        #expect(a?.step == b?.step && a?.broken == b?.broken && masked(a) == masked(b)
                                    && a?.slabinfo == b?.slabinfo, "\(defect?.rawValue ?? "correct core"): \(trace.text)")
                        if a != nil { failures += 1 }
                        if defect == nil { #expect(a == nil) }
                    }
                }
            }
        }
        // The comparison saw failures, not only passing traces.
        #expect(failures > 0)
    }
}

/// `slabCacheIndices(into:)`, the whole arena at once, answers as
/// `slabCacheIndex(ofPage:)` page by page (the protocol's default).
@Suite("Every page's cache at once")
struct SlabCacheIndicesTests {
    @Test func theBulkAnswerIsThePageByPageOne() throws {
        let judge = Judge<AllocCheckSubject>()
        let subject = try AllocCheckSubject.make(arena: Arena(pageCount: 200, reserved: [40..<43]), memory: judge.memory)
        func pageByPage() -> [Int32] { (0..<200).map { Int32(subject.slabCacheIndex(ofPage: $0) ?? -1) } }
        var owners = [Int32](repeating: 7, count: 200)
        subject.slabCacheIndices(into: &owners)
        #expect(owners == [Int32](repeating: -1, count: 200))

        let small = try subject.createCache(name: "small", objectSize: 48, alignment: 8, debug: 0, hardened: false)
        let large = try subject.createCache(name: "large", objectSize: 3000, alignment: 8, debug: 0, hardened: false)
        var objects: [UnsafeMutableRawPointer] = []
        for _ in 0..<200 { objects.append(try subject.allocate(small)) }
        for _ in 0..<6 { _ = try subject.allocate(large) }
        _ = try subject.kmalloc(100)
        _ = try subject.kmalloc(3 * Arena.pageSize)  // a large kmalloc block: no cache's
        _ = try subject.allocPages(order: 2)
        subject.slabCacheIndices(into: &owners)
        #expect(owners == pageByPage())
        #expect(Set(owners).isSuperset(of: [-1, Int32(subject.slabCacheIndex(of: small)), Int32(subject.slabCacheIndex(of: large))]))

        // Slabs given back: their pages are no cache's again.
        for object in objects { try subject.free(object, to: small) }
        _ = try subject.shrink(small)
        subject.slabCacheIndices(into: &owners)
        #expect(owners == pageByPage())
        #expect(!owners.contains(Int32(subject.slabCacheIndex(of: small))))
    }
}
