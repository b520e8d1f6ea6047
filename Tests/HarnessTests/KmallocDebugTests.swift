import Testing
@testable import Harness
import AllocCheck
import PropertyTesting

/// Arenas whose kmalloc caches have debug options (`Arena.kmallocDebug`,
/// `arena ... kmalloc_debug=FZ`) and the overflow misuse of a kmalloc
/// object (`expect corruption: kfree K overflow=N`): their text and byte
/// forms, and what the judge makes of them.
@Suite struct KmallocDebugTests {
    static let text = """
        arena pages=64 reserved=3..<5 kmalloc_debug=FZPU
        k1 = kmalloc size=1
        expect corruption: kfree k1 overflow=7
        ksize k1
        expect corruption: kfree k1 overflow=8
        kfree k1

        """

    @Test func theArenaOptionAndTheMisuseRoundTrip() throws {
        let trace = try Trace(parsing: Self.text)
        #expect(trace.arena.kmallocDebug == [.consistencyChecks, .redZone, .poison, .ownerTracking])
        #expect(trace.operations[1] == .misuse(.kmallocOverflow(Handle(.kmalloc, 1), past: 7)))
        #expect(trace.text == Self.text)
        for profile in [Profile.kmalloc, .mixed] {
            let bytes = try trace.bytes(profile: profile)
            #expect(Trace.decode(bytes, profile: profile) == trace)
            #expect(Trace.decode(try trace.shortestBytes(profile: profile), profile: profile) == trace)
        }
        // Lower-case letters read as SLUB's; printing writes them in canonical order.
        #expect(try Trace(parsing: "arena pages=64 kmalloc_debug=uz\n").arena.text == "arena pages=64 kmalloc_debug=ZU")
    }

    @Test func theArenaChoiceKeepsItsOldValuesForArenasWithoutOptions() throws {
        // The hole count was a choice of 0...2: an arena without kmalloc
        // debug options encodes as it did, so older inputs keep their meaning.
        let plain = Trace(arena: Arena(pageCount: 64, reserved: [3..<5, 9..<10]))
        #expect(try plain.choiceValues(profile: .pages)[1] == .integer(2))
        var debug = plain
        debug.arena.kmallocDebug = .redZone
        #expect(try debug.choiceValues(profile: .kmalloc)[1] == .integer(2 + 3 * 2))
        #expect(Trace.decode(try debug.bytes(profile: .kmalloc), profile: .kmalloc) == debug)
    }

    @Test func theKmallocProfileDrawsDebugArenasAndOverflows() throws {
        let traces = try randomTraces(.kmalloc, count: 300)
        let debug = traces.filter { !$0.arena.kmallocDebug.isEmpty }
        #expect(debug.count > 20 && debug.count < 120, "\(debug.count) of 300")
        let overflows = traces.flatMap(\.operations).compactMap { operation -> Int? in
            if case .misuse(.kmallocOverflow(_, let past)) = operation { return past }
            return nil
        }
        #expect(overflows.count > 10)
        // Profiles without kmalloc draw no options (their arenas are as before).
        #expect(try randomTraces(.pages, count: 100).allSatisfy { $0.arena.kmallocDebug.isEmpty })
    }

    @Test func theCorrectCorePassesAndTheOverflowsRun() throws {
        let (judge, failure) = try run(Self.text)
        #expect(failure == nil, "\(failure?.description ?? "")")
        #expect(judge.misuseRun == 2)
    }

    @Test func anOverflowOutsideTheRedZonesIsANoOp() throws {
        // After ksize the whole class is the object's: the byte at 7 is no red zone.
        let (judge, failure) = try run("""
            arena pages=64 kmalloc_debug=Z
            k1 = kmalloc size=1
            ksize k1
            expect corruption: kfree k1 overflow=7
            expect corruption: kfree k1 overflow=9
            k5 = kmalloc size=8192
            expect corruption: kfree k5 overflow=1
            """)
        #expect(failure == nil, "\(failure?.description ?? "")")
        // Only kfree k5 overflow=1 (the right red zone's first byte) applies.
        #expect(judge.misuseRun == 1)
        // Without red zones on the classes nothing applies.
        let (plain, plainFailure) = try run("arena pages=64 kmalloc_debug=FP\nk1 = kmalloc size=1\nexpect corruption: kfree k1 overflow=1\n")
        #expect(plainFailure == nil && plain.misuseRun == 0)
    }

    @Test func theSubjectBuildsItsKmallocCachesWithTheArenasOptions() throws {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let subject = try AllocCheckSubject.make(arena: Arena(pageCount: 64, kmallocDebug: [.redZone, .poison]), memory: judge.memory)
        // Built at once: a new layer's observations are read for layers without options only.
        #expect(subject.slabLayer != nil)
        let cache = try #require(subject.slab.kmallocCache(forSize: 8))
        #expect(try subject.slab.info(cache).debug == [.redZone, .poison])
        let plain = try AllocCheckSubject.make(arena: Arena(pageCount: 64), memory: judge.memory)
        #expect(plain.slabLayer == nil)
    }
}
