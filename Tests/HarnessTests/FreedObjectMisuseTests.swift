@testable import Harness
@testable import AllocCheck
import Testing

/// Hardened caches in traces, a client's write into a freed object, and
/// `ksize` of an address inside a kmalloc allocation: the correct core
/// passes them, and the judge fires when an allocator misses what they check.
@Suite("Hardened caches, writes after free and ksize of an interior pointer")
struct FreedObjectMisuseTests {
    /// Two objects freed and written into, one of them twice (its slab
    /// empty by then, and kept).
    static func writesAfterFree(size: Int, options: Int) -> String {
        let debug = SlabDebugOptions(rawValue: UInt8(options & 15)).letters
        return "arena pages=256\nc1 = cache_create size=\(size)" + (debug.isEmpty ? "" : " debug=\(debug)")
            + (options & 16 != 0 ? " hardened=1" : "") + "\n"
            + "o2 = cache_alloc c1\no3 = cache_alloc c1\ncache_free o2\n"
            + "expect corruption: cache_validate written_after_free=o2\ncache_free o3\n"
            + "expect corruption: cache_validate written_after_free=o3\n"
            + "expect corruption: cache_validate written_after_free=o2\n"
    }

    /// Every combination of the 16 debug-letter sets with a hardened free
    /// list or without, over object sizes from one word to a few per slab:
    /// each write is run (none skipped) and validation reports it, whether
    /// the chain through the object breaks (plain, red zones, owner
    /// tracking), its stored pointer stops decoding (hardened) or its poison
    /// is overwritten (P).
    @Test(arguments: [false, true])
    func aWriteAfterFreeIsFoundWhateverTheCacheOptions(_ everyStep: Bool) throws {
        let judge = Judge<AllocCheckSubject>(configuration: everyStep ? .everyStep : .standard)
        var traces = 0
        for size in [8, 24, 64, 600, 3000] {
            for options in 0..<32 {
                let trace = try Trace(parsing: Self.writesAfterFree(size: size, options: options))
                let failure = judge.check(trace)
                #expect(failure == nil, "size \(size), options \(options): \(failure.map { "\($0)" } ?? "")")
                traces += 1
            }
        }
        #expect(judge.misuseRun == 3 * traces)
        #expect(judge.misuseSkipped == 0)
    }

    /// Objects under a word keep their free pointer outside the object, so
    /// a client's word-sized store would overrun it: the misuse does not
    /// apply. Nor does it to a slot handed out again, or to a slab given back.
    @Test func aWriteAfterFreeThatDoesNotApplyRunsAsANoOp() throws {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let small = try Trace(parsing: "arena pages=64\nc1 = cache_create size=7\no2 = cache_alloc c1\ncache_free o2\n"
                              + "expect corruption: cache_validate written_after_free=o2\n")
        let reused = try Trace(parsing: "arena pages=64\nc1 = cache_create size=64\no2 = cache_alloc c1\ncache_free o2\n"
                               + "o4 = cache_alloc c1\nexpect corruption: cache_validate written_after_free=o2\n")
        let shrunk = try Trace(parsing: "arena pages=64\nc1 = cache_create size=64\no2 = cache_alloc c1\ncache_free o2\n"
                               + "cache_shrink c1\nexpect corruption: cache_validate written_after_free=o2\n")
        for trace in [small, reused, shrunk] { #expect(judge.check(trace) == nil, "\(trace.text)") }
        #expect(judge.misuseRun == 0)
        #expect(judge.misuseSkipped == 3)
    }

    /// An allocator whose validation misses the write fails at the misuse.
    @Test func aValidationThatMissesTheWriteIsCaught() throws {
        let trace = try Trace(parsing: Self.writesAfterFree(size: 64, options: 16))
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let failure = try #require(FaultySubject.$validateFindsNothing.withValue(true) { judge.check(trace) })
        #expect(failure.step == 5 && failure.broken == [.prediction("missing-refusal(corruption)")], "\(failure)")
    }

    /// The word written is put back: the slot is handed out again and freed
    /// normally, and the cache still validates and is destroyed.
    @Test func theWrittenWordIsPutBack() throws {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        for options in [0, 4, 16] {
            let trace = try Trace(parsing: Self.writesAfterFree(size: 64, options: options)
                                  + "o9 = cache_alloc c1\no10 = cache_alloc c1\ncache_validate c1\ncache_free o9\ncache_free o10\n"
                                  + "cache_destroy c1\n")
            #expect(judge.check(trace) == nil, "options \(options)")
        }
    }

    /// `ksize` of an address inside a small object or a large block is
    /// refused as an interior pointer; one that answers it is caught.
    @Test func ksizeOfAnInteriorPointerIsRefused() throws {
        let trace = try Trace(parsing: "arena pages=128\nk1 = kmalloc size=64\nk2 = kmalloc size=20000\n"
                              + "expect interior_pointer: ksize k1 offset=63\nexpect interior_pointer: ksize k2 offset=1\n"
                              + "expect interior_pointer: ksize k1 offset=64\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        // The third is past the requested size: it does not apply.
        #expect(judge.misuseRun == 2 && judge.misuseSkipped == 1)
        let failure = try #require(FaultySubject.$ksizeAnswersInsideObjects.withValue(true) { judge.check(trace) })
        #expect(failure.step == 3 && failure.broken == [.prediction("missing-refusal(interior_pointer)")], "\(failure)")
    }

    /// `hardened=1` reaches the core: the cache's free list is hardened, on
    /// its own inlined path when it has no debug option (and ASan is off),
    /// and two hardened caches of one trace get different keys.
    @Test func aHardenedCacheOfATraceIsHardenedInTheCore() throws {
        let subject = AllocCheckSubject(pages: try PageAllocator(pageCount: 64))
        let plain = try subject.createCache(name: "c1", objectSize: 64, alignment: 8, debug: 0, hardened: false)
        let first = try subject.createCache(name: "c2", objectSize: 64, alignment: 8, debug: 0, hardened: true)
        let second = try subject.createCache(name: "c3", objectSize: 64, alignment: 8, debug: SlabDebugOptions.poison.rawValue, hardened: true)
        let meta = { (id: SlabCacheID) in subject.slab.caches[Int(id.index)] }
        #expect(!meta(plain).hardened && meta(first).hardened && meta(second).hardened)
        #expect((meta(first).hardenedLimit != 0) == !Sanitizer.isEnabled)
        #expect(meta(second).hardenedLimit == 0)
        #expect(meta(first).freePointerKey != meta(second).freePointerKey)
    }

    /// Generated traces hold hardened caches (about two in five), plain
    /// ones (the inlined fast path, about one in four), writes after free
    /// and ksize misuse; the slab suite's traces pass on the correct core.
    @Test func generatedTracesReachTheNewOptionsAndMisuse() throws {
        var caches = 0, hardened = 0, plain = 0, writes = 0, ksizes = 0
        for trace in try randomTraces(.mixed, count: 300) + randomTraces(.slab, count: 300) {
            for operation in trace.operations {
                switch operation {
                case .cacheCreate(_, let options):
                    caches += 1
                    if options.hardened { hardened += 1 }
                    if options.debug.isEmpty && !options.hardened { plain += 1 }
                case .misuse(.writeAfterFree): writes += 1
                case .misuse(.ksizeInterior): ksizes += 1
                default: break
                }
            }
        }
        #expect(hardened * 4 > caches && plain * 5 > caches, "\(hardened) hardened and \(plain) plain of \(caches)")
        #expect(writes > 20 && ksizes > 5, "\(writes) writes after free, \(ksizes) ksize misuses")
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        for trace in try randomTraces(.slab, count: 300, seed: 1) { #expect(judge.check(trace) == nil) }
        #expect(judge.misuseRun > 0)
    }
}

/// `cache_create ... align=N`: objects aligned as asked, checked at every allocation.
@Suite("Cache alignment in traces")
struct CacheAlignmentTraceTests {
    /// Every alignment a trace can ask for, over object sizes that are and
    /// are not multiples of it, with and without red zones (which move the
    /// object inside its slot) and a hardened free list: the judge checks
    /// each object's address, and the correct core passes.
    @Test func everyAlignmentIsKept() throws {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        for shift in 0...7 {
            let alignment = 8 << shift
            for size in [8, 24, 100, 1000] {
                for options in ["", " debug=Z", " debug=FZPU", " hardened=1"] {
                    let trace = try Trace(parsing: "arena pages=512\nc1 = cache_create size=\(size)"
                                          + (alignment == 8 ? "" : " align=\(alignment)") + options + "\n"
                                          + (2...6).map { "o\($0) = cache_alloc c1" }.joined(separator: "\n")
                                          + "\ncache_free o3\no8 = cache_alloc c1\ncache_validate c1\n")
                    #expect(try Trace(parsing: trace.text) == trace)
                    let failure = judge.check(trace)
                    #expect(failure == nil, "align \(alignment), size \(size)\(options): \(failure.map { "\($0)" } ?? "")")
                }
            }
        }
    }

    /// A layer that ignores the alignment asked for fails at the first object off it.
    @Test func anIgnoredAlignmentIsCaught() throws {
        let trace = try Trace(parsing: "arena pages=64\nc1 = cache_create size=24 align=64\no2 = cache_alloc c1\no3 = cache_alloc c1\n")
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let failure = try #require(FaultySubject.$ignoresAlignment.withValue(true) { judge.check(trace) })
        #expect(failure.step == 3 && failure.broken == [.invariant(.alignment)], "\(failure)")
    }

    /// An alignment of 8 is the default and is not written; the byte
    /// format's options below 32 mean what they meant before alignments.
    @Test func theDefaultAlignmentKeepsTheOldBytes() throws {
        let trace = try Trace(parsing: "arena pages=64\nc1 = cache_create size=24 debug=ZP hardened=1\n")
        #expect(!trace.text.contains("align"))
        let bytes = try trace.bytes(profile: .slab)
        // Tag 1 (cache_create), object size 24 (2 bytes), options Z|P|hardened = 2|4|16.
        #expect(Array(bytes.suffix(5)) == [1, 24, 0, 22, 0])
        let aligned = try Trace(parsing: "arena pages=64\nc1 = cache_create size=24 align=256 debug=ZP hardened=1\n")
        #expect(Array(try aligned.bytes(profile: .slab).suffix(5)) == [1, 24, 0, 22 + 5 * 32, 0])
    }
}
