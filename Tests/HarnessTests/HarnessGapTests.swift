@testable import Harness
import AllocCheck
import PropertyTesting
import Testing

/// Inputs the operation language could not express before: a page-aligned
/// interior pointer into a large kmalloc block, a wrong exact size of the
/// same order, and a freed object's own address written into it and met by
/// the next allocations; `ksize` of a freed kmalloc object, a live object's
/// address written into a freed one (validated, or met by allocations), and
/// a shrink of every cache, the kmalloc classes included.
@Suite struct HarnessGapTests {
    /// `kfree` of a large block's page-aligned interior pointer is written,
    /// encoded (the appended tag, its offset in pages) and refused; byte
    /// offsets keep the old tag and bytes.
    @Test func aPageAlignedInteriorPointerIntoALargeKmallocBlock() throws {
        let text = "arena pages=64\nk1 = kmalloc size=16384\nexpect interior_pointer: kfree k1 offset=4096\n"
            + "expect interior_pointer: kfree k1 offset=12288\nexpect interior_pointer: kfree k1 offset=8\nkfree k1\n"
        let trace = try Trace(parsing: text)
        #expect(trace.text == text)
        for profile in [Profile.kmalloc, .mixed] {
            #expect(Trace.decode(try trace.bytes(profile: profile), profile: profile) == trace)
        }
        let bytes = try trace.bytes(profile: .kmalloc)
        // kmalloc (tag 1, size 16384), then tag 10 (appended) with reference 0
        // and 1 page, 3 pages (offsets as ranks from 1), then tag 5 with 8 bytes.
        #expect(Array(bytes[3..<16]) == [1, 0x00, 0x40, 0x00, 10, 0, 0, 10, 0, 2, 5, 0, 7])
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        #expect(judge.misuseRun == 3 && judge.misuseSkipped == 0)
        // Between 255 bytes and a page, or off a page boundary past it: no representation.
        for offset in [256, 4097] {
            #expect(throws: TraceSyntaxError.self) {
                try Trace(parsing: "arena pages=64\nk1 = kmalloc size=16384\nexpect interior_pointer: kfree k1 offset=\(offset)\n")
            }
        }
        // An object's offsets stay bytes up to 255.
        #expect(throws: TraceSyntaxError.self) {
            try Trace(parsing: "arena pages=64\nc1 = cache_create size=8192\no2 = cache_alloc c1\n"
                      + "expect interior_pointer: cache_free o2 offset=4096\n")
        }
    }

    /// Random kmalloc traces reach a large block's interior pages.
    @Test func generatedTracesReachLargeBlockInteriorPages() throws {
        var reached = 0
        for seed in 0..<300 {
            let trace = try #require(try? TestCase(seed: UInt64(seed)).draw(Trace.generator(.kmalloc)))
            for case .misuse(.interiorPointer(let h, let offset)) in trace.operations
                where offset >= Arena.pageSize {
                if case .kmalloc(let size) = trace.operations[h.step - 1], offset < size { reached += 1 }
            }
        }
        #expect(reached >= 5, "\(reached)")
    }

    /// Random exact traces draw wrong sizes of the target's own order with
    /// another page count (what a free comparing orders accepts).
    @Test func generatedWrongSizesIncludeTheSameOrder() throws {
        func order(_ size: Int) -> Int { var k = 0; while Arena.pageSize << k < size { k += 1 }; return k }
        func pages(_ size: Int) -> Int { (size + Arena.pageSize - 1) / Arena.pageSize }
        var sameOrder = 0
        for seed in 0..<300 {
            let trace = try #require(try? TestCase(seed: UInt64(seed)).draw(Trace.generator(.exact)))
            for case .misuse(.wrongSize(let h, let size)) in trace.operations {
                if case .allocPagesExact(let allocated) = trace.operations[h.step - 1], allocated > 0,
                   order(size) == order(allocated), pages(size) != pages(allocated) { sameOrder += 1 }
            }
        }
        #expect(sameOrder >= 5, "\(sameOrder)")
    }

    /// Judges `steps` after an arena and a cache `c1` of each of five
    /// object sizes and each of 32 option sets (the debug options of the
    /// low four bits, a hardened free list with bit 4): every trace reads
    /// back as written, in text and as slab bytes, and passes the judge.
    /// Returns the misuse steps the judge ran and the number of caches
    /// `applies` (their debug options, whether hardened) says the steps'
    /// misuse applies to.
    static func judgedOverEveryCache(_ everyStep: Bool, steps: String,
                                     applies: (SlabDebugOptions, Bool) -> Bool) throws -> (misuseRun: Int, applies: Int) {
        let judge = Judge<AllocCheckSubject>(configuration: everyStep ? .everyStep : .standard)
        var count = 0
        for size in [8, 24, 64, 600, 3000] {
            for options in 0..<32 {
                let debug = SlabDebugOptions(rawValue: UInt8(options & 15)), hardened = options & 16 != 0
                let text = "arena pages=256\nc1 = cache_create size=\(size)" + (debug.isEmpty ? "" : " debug=\(debug.letters)")
                    + (hardened ? " hardened=1" : "") + "\n" + steps
                let trace = try Trace(parsing: text)
                #expect(trace.text == text)
                #expect(Trace.decode(try trace.bytes(profile: .slab), profile: .slab) == trace)
                let failure = judge.check(trace)
                #expect(failure == nil, "size \(size), options \(options): \(failure.map { "\($0)" } ?? "")")
                if applies(debug, hardened) { count += 1 }
            }
        }
        return (judge.misuseRun, count)
    }

    /// An object freed, its own address written into it, then allocations
    /// from its cache until one is refused: every cache the misuse applies
    /// to refuses at the object and keeps working (the objects taken before
    /// it are freed again; the next allocations succeed).
    @Test(arguments: [false, true])
    func aSelfLinkedFreeObjectIsRefusedWhenMet(_ everyStep: Bool) throws {
        let steps = "o2 = cache_alloc c1\no3 = cache_alloc c1\no4 = cache_alloc c1\ncache_free o3\ncache_free o2\n"
            // o3 is behind o2 on the chain: o2 is taken first, then o3 is met.
            + "expect corruption: cache_alloc written_after_free=o3\n"
            + "expect corruption: cache_alloc written_after_free=o2\n"
            + "o9 = cache_alloc c1\no10 = cache_alloc c1\ncache_free o9\ncache_free o10\ncache_free o4\ncache_destroy c1\n"
        let (misuseRun, applies) = try Self.judgedOverEveryCache(everyStep, steps: steps) { debug, hardened in
            !(hardened || debug.contains(.poison) && !debug.contains(.consistencyChecks))
        }
        #expect(misuseRun == 2 * applies)
    }

    /// `ksize` of a freed kmalloc object is written `expect double_free:
    /// ksize K`, encoded under its appended tag (a reference among freed
    /// kmalloc pointers, newest first) and refused as a double free,
    /// changing nothing, with and without debug options on the classes; a
    /// freed large block (it leaves no trace) and the zero-size pointer run
    /// as no-ops. A `ksize` that answers for a freed object fails at once.
    @Test(arguments: ["", " kmalloc_debug=FZPU"])
    func ksizeOfAFreedKmallocObject(_ debug: String) throws {
        let text = "arena pages=64\(debug)\nk1 = kmalloc size=100\nk2 = kmalloc size=0\nk3 = kmalloc size=16384\n"
            + "k4 = kmalloc size=100\nkfree k1\nkfree k2\nkfree k3\nexpect double_free: ksize k1\n"
            + "expect double_free: ksize k2\nexpect double_free: ksize k3\nkfree k4\n"
        let trace = try Trace(parsing: text)
        #expect(trace.text == text)
        #expect(trace.operations[7] == .misuse(.ksizeFreed(Handle(.kmalloc, 1))))
        for profile in [Profile.kmalloc, .mixed] {
            #expect(Trace.decode(try trace.bytes(profile: profile), profile: profile) == trace)
        }
        // The kmalloc profile's tag 12 (appended), then the freed pointer: k1
        // is the third newest freed (2), k2 the second (1), k3 the newest (0).
        let bytes = try trace.bytes(profile: .kmalloc)
        #expect(Array(bytes.suffix(9)) == [12, 2, 12, 1, 12, 0, 2, 0, 0], "\(bytes)")
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let correct = judge.check(trace)
        #expect(correct == nil, "\(correct?.report(for: trace) ?? "")")
        #expect(judge.misuseRun == 1 && judge.misuseSkipped == 2)
        let faulty = Judge<FaultySubject>(configuration: .everyStep)
        let failure = FaultySubject.$ksizeAnswersFreedObjects.withValue(true) { faulty.check(trace) }
        #expect(failure?.step == 8 && failure?.broken == [.prediction("missing-refusal(double_free)")],
                "\(failure?.description ?? "passed")")
    }

    /// A live object's address written into a freed object of the same
    /// cache (`value=`), validated or met by allocations: refused wherever
    /// the first word is the free pointer as it is (no hardening, no
    /// poisoning), whatever the size and other options, and each cache
    /// keeps working. The writes keep the chain's length (the live object's
    /// first word takes the successor's link), so a validation that accepts
    /// a free pointer to a handed-out object finds nothing else, and an
    /// allocation that follows one hands the freed object out: both fail.
    @Test(arguments: [false, true])
    func aLiveObjectLinkedIntoAFreeListIsFound(_ everyStep: Bool) throws {
        let steps = "o2 = cache_alloc c1\no3 = cache_alloc c1\no4 = cache_alloc c1\no5 = cache_alloc c1\n"
            + "cache_free o3\ncache_free o2\n"
            + "expect corruption: cache_validate written_after_free=o2 value=o4\n"
            + "expect corruption: cache_validate written_after_free=o3 value=o5\n"
            // o2 is the head, o3 behind it: o2 is taken, then o3 is met.
            + "expect corruption: cache_alloc written_after_free=o3 value=o4\n"
            + "expect corruption: cache_alloc written_after_free=o2 value=o5\n"
            + "o12 = cache_alloc c1\no13 = cache_alloc c1\ncache_free o12\ncache_free o13\ncache_free o4\ncache_free o5\n"
            + "cache_destroy c1\n"
        let (misuseRun, applies) = try Self.judgedOverEveryCache(everyStep, steps: steps) { debug, hardened in
            !(hardened || debug.contains(.poison))
        }
        #expect(misuseRun == 4 * applies)
        // A plain cache of 64-byte objects: o2 heads the chain, o3 follows.
        let plain = "arena pages=64\nc1 = cache_create size=64\no2 = cache_alloc c1\no3 = cache_alloc c1\no4 = cache_alloc c1\n"
            + "cache_free o3\ncache_free o2\n"
        let validated = try Trace(parsing: plain + "expect corruption: cache_validate written_after_free=o2 value=o4\n")
        let allocated = try Trace(parsing: plain + "expect corruption: cache_alloc written_after_free=o3 value=o4\n")
        let faulty = Judge<FaultySubject>(configuration: .everyStep)
        #expect(faulty.check(validated) == nil && faulty.check(allocated) == nil)
        for (trace, knob) in [(validated, FaultySubject.$validationAcceptsLinksToLiveObjects),
                              (allocated, FaultySubject.$followsLinksToLiveObjects)] {
            let failure = knob.withValue(true) { faulty.check(trace) }
            #expect(failure?.step == 7 && failure?.broken == [.prediction("missing-refusal(corruption)")],
                    "\(failure?.description ?? "passed")")
        }
        // Another cache's object, a freed value, a cache object for a kmalloc
        // pointer: the first runs as a no-op, the others are not traces.
        let other = try Trace(parsing: plain + "c8 = cache_create size=64\no9 = cache_alloc c8\n"
                              + "expect corruption: cache_validate written_after_free=o2 value=o9\n")
        let judge = Judge<AllocCheckSubject>(configuration: everyStep ? .everyStep : .standard)
        #expect(judge.check(other) == nil && judge.misuseSkipped == 1)
        #expect(throws: TraceSyntaxError.self) {
            try Trace(parsing: plain + "expect corruption: cache_validate written_after_free=o2 value=o3\n")
        }
    }

    /// `cache_shrink_all` gives back every empty slab of every cache, the
    /// kmalloc classes' too: the judge learns the pages given back from
    /// every cache, checks the answer and that every slab left holds a live
    /// object. A shrink that passes over the kmalloc classes fails; an
    /// allocator that cannot shrink every cache (nil) runs it as a no-op.
    @Test func shrinkingEveryCacheReachesTheKmallocClasses() throws {
        var lines = ["arena pages=256", "c1 = cache_create size=8000"]
        // Four 8,000-byte objects fill an order-3 slab, as four of kmalloc-8k
        // do; a fifth kmalloc pointer starts a second slab and stays live.
        for step in 2...5 { lines.append("o\(step) = cache_alloc c1") }
        for step in 6...10 { lines.append("k\(step) = kmalloc size=8192") }
        for step in 6...9 { lines.append("kfree k\(step)") }
        for step in 2...5 { lines.append("cache_free o\(step)") }
        lines += ["cache_shrink_all", "cache_shrink_all", "kfree k10", "cache_shrink_all", "cache_destroy c1"]
        let text = lines.joined(separator: "\n") + "\n"
        let trace = try Trace(parsing: text)
        #expect(trace.text == text)
        #expect(trace.operations[18] == .cacheShrinkAll)
        #expect(Trace.decode(try trace.bytes(profile: .mixed), profile: .mixed) == trace)
        // The slab profile's tag 18 and the kmalloc profile's tag 13 (each
        // appended, no argument), then the end.
        let slabOnly = try Trace(parsing: "arena pages=64\nc1 = cache_create size=64\ncache_shrink_all\n")
        let kmallocOnly = try Trace(parsing: "arena pages=64\nk1 = kmalloc size=64\ncache_shrink_all\n")
        for (small, profile, tag) in [(slabOnly, Profile.slab, UInt8(18)), (kmallocOnly, .kmalloc, 13)] {
            #expect(Array(try small.bytes(profile: profile).suffix(2)) == [tag, 0])
            #expect(Trace.decode(try small.bytes(profile: profile), profile: profile) == small)
        }
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let correct = judge.check(trace)
        #expect(correct == nil, "\(correct?.report(for: trace) ?? "")")
        let faulty = Judge<FaultySubject>(configuration: .everyStep)
        #expect(faulty.check(trace) == nil)
        let failure = FaultySubject.$shrinkAllSkipsKmalloc.withValue(true) { faulty.check(trace) }
        #expect(failure?.step == 19 && failure?.broken == [.prediction("shrink")], "\(failure?.description ?? "passed")")
        #expect(FaultySubject.$cannotShrinkAll.withValue(true) { faulty.check(trace) } == nil)
    }

    /// Random traces reach each form: `ksize` of a freed kmalloc object
    /// (kmalloc), live links validated and met by allocations (slab), and a
    /// shrink of every cache (slab, kmalloc).
    @Test func generatedTracesReachTheFreedAndShrinkForms() throws {
        var counts: [String: Int] = [:]
        for profile in [Profile.slab, .kmalloc] {
            for trace in try randomTraces(profile, count: 300) {
                for operation in trace.operations {
                    switch operation {
                    case .misuse(.ksizeFreed): counts["ksize-freed-\(profile.name)", default: 0] += 1
                    case .misuse(.writeLiveLinkAfterFree): counts["validated-\(profile.name)", default: 0] += 1
                    case .misuse(.writeLiveLinkThenAllocate): counts["allocated-\(profile.name)", default: 0] += 1
                    case .cacheShrinkAll: counts["shrink-all-\(profile.name)", default: 0] += 1
                    default: break
                    }
                }
            }
        }
        for key in ["ksize-freed-kmalloc", "validated-slab", "allocated-slab", "shrink-all-slab", "shrink-all-kmalloc"] {
            #expect(counts[key, default: 0] >= 20, "\(counts)")
        }
    }
}
