@testable import Harness
import AllocCheck
import PropertyTesting
import Testing

/// Inputs the operation language could not express before: a page-aligned
/// interior pointer into a large kmalloc block, a wrong exact size of the
/// same order, and a freed object's own address written into it and met by
/// the next allocations.
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

    /// An object freed, its own address written into it, then allocations
    /// from its cache until one is refused: every cache the misuse applies
    /// to refuses at the object and keeps working (the objects taken before
    /// it are freed again; the next allocations succeed).
    @Test(arguments: [false, true])
    func aSelfLinkedFreeObjectIsRefusedWhenMet(_ everyStep: Bool) throws {
        let judge = Judge<AllocCheckSubject>(configuration: everyStep ? .everyStep : .standard)
        var applies = 0
        for size in [8, 24, 64, 600, 3000] {
            for options in 0..<32 {
                let debug = SlabDebugOptions(rawValue: UInt8(options & 15))
                let text = "arena pages=256\nc1 = cache_create size=\(size)" + (debug.isEmpty ? "" : " debug=\(debug.letters)")
                    + (options & 16 != 0 ? " hardened=1" : "") + "\n"
                    + "o2 = cache_alloc c1\no3 = cache_alloc c1\no4 = cache_alloc c1\ncache_free o3\ncache_free o2\n"
                    // o3 is behind o2 on the chain: o2 is taken first, then o3 is met.
                    + "expect corruption: cache_alloc written_after_free=o3\n"
                    + "expect corruption: cache_alloc written_after_free=o2\n"
                    + "o9 = cache_alloc c1\no10 = cache_alloc c1\ncache_free o9\ncache_free o10\ncache_free o4\ncache_destroy c1\n"
                let trace = try Trace(parsing: text)
                #expect(Trace.decode(try trace.bytes(profile: .slab), profile: .slab) == trace)
                let failure = judge.check(trace)
                #expect(failure == nil, "size \(size), options \(options): \(failure.map { "\($0)" } ?? "")")
                if !(options & 16 != 0 || debug.contains(.poison) && !debug.contains(.consistencyChecks)) { applies += 1 }
            }
        }
        #expect(judge.misuseRun == 2 * applies)
    }
}
