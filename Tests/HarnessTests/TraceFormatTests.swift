import Testing
@testable import Harness
import PropertyTesting

/// Traces drawn at random, as the property suites draw them.
func randomTraces(_ profile: Profile, count: Int, seed: UInt64 = 0) throws -> [Trace] {
    try (0..<count).map { i in try TestCase(seed: seed &+ UInt64(i)).draw(Trace.generator(profile)) }
}

@Suite struct TraceFormatTests {
    @Test(arguments: Profile.all.map(\.name))
    func bytesAndTextRoundTripForGeneratedTraces(_ name: String) throws {
        let profile = Profile.named(name)!
        for trace in try randomTraces(profile, count: 300) {
            let bytes = try trace.bytes(profile: profile)
            #expect(Trace.decode(bytes, profile: profile) == trace)
            #expect(Trace.decode(try trace.bytes(), profile: .mixed) == trace, "the mixed profile holds every trace")
            let parsed = try Trace(parsing: trace.text)
            #expect(parsed == trace)
            #expect(try parsed.bytes(profile: profile) == bytes)
            let shortest = try trace.shortestBytes(profile: profile)
            #expect(shortest.last != 0 && Trace.decode(shortest, profile: profile) == trace)
        }
    }

    @Test func anyBytesDecodeAndReencodeStably() throws {
        var random = RandomSource(seed: 7)
        for _ in 0..<500 {
            let bytes = (0..<Int(random.below(inclusive: 300))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            for profile in Profile.all {
                let trace = Trace.decode(bytes, profile: profile)
                let canonical = try trace.bytes(profile: profile)
                #expect(Trace.decode(canonical, profile: profile) == trace)
                #expect(try Trace(parsing: trace.text) == trace)
            }
        }
    }

    @Test func readableTextNamesResultsByHandle() throws {
        let text = """
            arena pages=256 reserved=16..<20
            p1 = alloc_pages order=5
            k2 = kmalloc size=18
            free_pages p1
            expect double_free: free_pages p1
            e5 = alloc_pages_exact size=135168
            expect interior_pointer: free_pages_exact e5 offset=8192
            c7 = cache_create size=600 debug=FZ
            o8 = cache_alloc c7
            expect wrong_cache: cache_free k2 cache=c7
            expect reserved_page: free_pages hole=0
            expect foreign_address: cache_free c7
            kfree k2

            """
        let trace = try Trace(parsing: text)
        #expect(trace.text == text)
        #expect(trace.operations[2] == .freePages(Handle(.pages, 1)))
        #expect(trace.operations[3] == .misuse(.doubleFree(Handle(.pages, 1))))
    }

    @Test func handlesMayBeNamedFreelyAndCommentsAreIgnored() throws {
        let trace = try Trace(parsing: """
            # a comment
            arena pages=64
            buffer = kmalloc size=100   # trailing comment
            kfree buffer
            """)
        #expect(trace.text == "arena pages=64\nk1 = kmalloc size=100\nkfree k1\n")
    }

    @Test(arguments: [
        ("arena pages=64\np1 = alloc_pages order=11\n", 2, 18, "order must be"),
        ("arena pages=64\np1 = alloc_pages\n", 2, 17, "needs order=N"),
        ("arena pages=64\nfree_pages p9\n", 2, 12, "unknown handle `p9`"),
        ("arena pages=64\np1 = alloc_pages order=1\nfree_pages p1\nfree_pages p1\n", 4, 12, "already freed"),
        ("arena pages=64\np1 = alloc_pages order=1\nkfree p1\n", 3, 7, "kfree takes a kmalloc pointer here, not `p1` (a page block)"),
        // a misuse's call names the kinds it takes
        ("arena pages=64\np1 = alloc_pages order=0\nexpect slab_page: free_pages p1\n", 3, 30,
         "`slab_page` takes a cache object or a kmalloc pointer, not `p1` (a page block)"),
        // every setting once, reserved= too
        ("arena pages=64 reserved=1..<2 reserved=3..<4\n", 1, 31, "reserved is given twice"),
        // a misuse's kinds, when the call frees none of them
        ("arena pages=64\nk1 = kmalloc size=8\nexpect misaligned: kfree k1 offset=8\n", 3, 26,
         "`misaligned` takes a page block or an exact allocation, not `k1` (a kmalloc pointer)"),
        // a name and its call without spaces
        ("arena pages=64\np1=alloc_pages order=3\n", 2, 1, "`p1` and `alloc_pages`: write spaces around `=` (`p1 = alloc_pages ...`)"),
        ("arena pages=64\np1 =alloc_pages order=3\n", 2, 1, "`p1` and `alloc_pages`: write spaces around `=`"),
        ("arena pages=64\np1= alloc_pages order=3\n", 2, 1, "`p1` and `alloc_pages`: write spaces around `=`"),
        ("arena pages=64\nfrobnicate\n", 2, 1, "unknown operation `frobnicate`"),
        ("p1 = alloc_pages order=1\n", 1, 1, "expected `arena pages=N`"),
        ("arena pages=5\n", 1, 7, "pages must be"),
        ("arena pages=64\nexpect double_free: free_pages p1\n", 2, 32, "unknown handle"),
        ("arena pages=64\nexpect bogus: free_pages\n", 2, 8, "unknown misuse `bogus`"),
        ("arena pages=64\np1 = alloc_pages order=1\nexpect double_free: free_pages p1\n", 3, 32, "has not been freed"),
        ("arena pages=64\nalloc_pages order=1\n", 2, 1, "returns a handle"),
        ("arena pages=64\np1 = alloc_pages order=1 extra\n", 2, 26, "unexpected `extra`"),
        ("arena pages=64 reserved=3..2\n", 1, 16, "start..<end"),
        ("arena pages=256 pages=128\n", 1, 17, "pages is given twice"),
        ("arena pages=64 reserved=20..<10\n", 1, 16, "reserved range 20..<10 holds no page: its end must be above its start"),
        ("arena pages=64 reserved=16..<16\n", 1, 16, "holds no page"),
        ("arena pages=64\nk1 = kmalloc size=8\nk1 = kmalloc size=16\n", 3, 1, "`k1` already names the result of step 1"),
        ("arena pages=64\nexpect double_free: kmalloc size=3\n", 2, 21,
         "double_free calls a free function (free_pages, free_pages_exact, cache_free or kfree) or ksize, not `kmalloc`"),
        ("arena pages=64\nc1 = cache_create size=8 hardened=2\n", 2, 26, "hardened must be a whole number in 1...1"),
        ("arena pages=64\nc1 = cache_create size=8 hardened=1 debug=Z\n", 2, 37, "unexpected `debug=Z`"),
        ("arena pages=64\nc1 = cache_create size=8 fast=1\n", 2, 26, "expected align=N, debug=<letters from FZPU> or hardened=1"),
        ("arena pages=64\nc1 = cache_create size=8 align=12\n", 2, 26, "align must be a power of two in 8...1024"),
        ("arena pages=64\nc1 = cache_create size=8 align=2048\n", 2, 26, "align must be a power of two in 8...1024"),
        ("arena pages=64\nc1 = cache_create size=8 debug=Z align=64\n", 2, 34, "takes align=, debug=, hardened= in that order"),
        ("arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\nexpect corruption: cache_validate written_after_free=o2\n",
         4, 54, "`o2` has not been freed yet"),
        ("arena pages=64\nc1 = cache_create size=8\nexpect corruption: cache_validate written_after_free=c1\n",
         3, 54, "written_after_free= takes a freed cache object, not `c1` (a cache)"),
        ("arena pages=64\nc1 = cache_create size=8\nexpect corruption: cache_validate c1\n", 3, 35,
         "expected written_after_free=<freed cache object>"),
        ("arena pages=64\nk1 = kmalloc size=8\nexpect corruption: ksize k1\n", 3, 20,
         "corruption calls `cache_free <object> overflow=1`, `kfree <kmalloc pointer> overflow=N`, "
            + "`cache_free <object> underflow=N`, `kfree <kmalloc pointer> underflow=N`, "
            + "`cache_validate written_after_free=<object> [value=<object>]` or "
            + "`cache_alloc written_after_free=<object> [value=<object>]`, not `ksize`"),
        ("arena pages=64\nk1 = kmalloc size=8\nexpect interior_pointer: ksize k1\n", 3, 34, "ksize needs offset=N"),
        ("arena pages=64\nk1 = kmalloc size=8\nexpect interior_pointer: kmalloc size=3\n", 3, 26,
         "calls a free function (free_pages, free_pages_exact, cache_free or kfree) or ksize, not `kmalloc`"),
        // Repeated or missing debug letters, empty reserved ranges, and a name for an expectation.
        ("arena pages=64\nc1 = cache_create size=8 debug=FFZ\n", 2, 26, "debug=FFZ names F twice"),
        ("arena pages=64\nc1 = cache_create size=8 debug=\n", 2, 26, "expected debug=<letters from FZPU>, found `debug=` (for none, leave debug= out)"),
        ("arena pages=64 kmalloc_debug=zPz\n", 1, 16, "kmalloc_debug=zPz names Z twice"),
        ("arena pages=64 reserved=\n", 1, 16, "start..<end"),
        ("arena pages=64 reserved=5..<6,\n", 1, 16, "start..<end"),
        ("arena pages=64\n1 = alloc_pages order=0\n", 2, 1, "`1` is not a handle name (a letter or _, then letters, digits and _)"),
        ("arena pages=64\nk1 = kmalloc size=8\nx = expect double_free: kfree k1\n", 3, 5, "an `expect` line names no handle"),
        // A trace never writes a plus sign, though `Int("+10")` reads one.
        ("arena pages=64\nk1 = kmalloc size=+10\n", 2, 14, "size must be a whole number in 0..."),
        ("arena pages=+64\n", 1, 7, "pages must be a whole number"),
        ("arena pages=64 reserved=+16..<20\n", 1, 16, "start..<end"),
        ("arena pages=64\nc1 = cache_create size=8 align=+16\n", 2, 26, "align must be a power of two"),
        // kmalloc debug options and overflows into kmalloc red zones
        ("arena pages=64 kmalloc_debug=FX\n", 1, 16, "expected kmalloc_debug=<letters from FZPU>"),
        ("arena pages=64 kmalloc_debug=\n", 1, 16, "expected kmalloc_debug=<letters from FZPU>"),
        ("arena pages=64 kmalloc_debug=Z kmalloc_debug=F\n", 1, 32, "kmalloc_debug is given twice"),
        ("arena pages=64 debug=Z\n", 1, 16, "unknown arena setting `debug` (pages, reserved, kmalloc_debug)"),
        ("arena pages=64\nk1 = kmalloc size=8\nexpect corruption: kfree k1\n", 3, 28, "kfree needs overflow=N"),
        ("arena pages=64\nk1 = kmalloc size=8\nexpect corruption: kfree k1 overflow=0\n", 3, 29, "overflow must be a whole number in 1...8192"),
        ("arena pages=64\nk1 = kmalloc size=8\nexpect corruption: kfree k1 overflow=8193\n", 3, 29, "overflow must be"),
        ("arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\nexpect corruption: kfree o2 overflow=1\n", 4, 26,
         "kfree takes a kmalloc pointer here, not `o2` (a cache object)"),
        // ksize of a freed kmalloc pointer
        ("arena pages=64\nk1 = kmalloc size=8\nexpect double_free: ksize k1\n", 3, 27, "`k1` has not been freed yet"),
        ("arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\ncache_free o2\nexpect double_free: ksize o2\n", 5, 27,
         "ksize takes a kmalloc pointer here, not `o2` (a cache object)"),
        ("arena pages=64\nk1 = kmalloc size=8\nkfree k1\nexpect double_free: ksize k1 offset=4\n", 4, 30, "unexpected `offset=4`"),
        // a live object's address written into a freed one
        ("arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\no3 = cache_alloc c1\ncache_free o2\ncache_free o3\n"
            + "expect corruption: cache_validate written_after_free=o2 value=o3\n", 7, 63, "`o3` was already freed or destroyed"),
        ("arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\ncache_free o2\n"
            + "expect corruption: cache_alloc written_after_free=o2 value=c1\n", 5, 60, "value= takes a live cache object, not `c1` (a cache)"),
        ("arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\no3 = cache_alloc c1\ncache_free o2\n"
            + "expect corruption: cache_validate written_after_free=o2 valu=o3\n", 6, 57,
         "expected value=<live cache object>, found `valu=o3`"),
        ("arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\no3 = cache_alloc c1\ncache_free o2\n"
            + "expect corruption: cache_alloc written_after_free=o2 value=o3 x\n", 6, 63, "unexpected `x`"),
        // every cache shrunk
        ("arena pages=64\nc1 = cache_create size=8\ncache_shrink_all c1\n", 3, 18, "unexpected `c1`"),
        ("arena pages=64\nc1 = cache_shrink_all\n", 2, 1, "cache_shrink_all returns nothing to name"),
        ("arena pages=64\nexpect cache_shrink_all: cache_shrink_all\n", 2, 8, "unknown misuse `cache_shrink_all`; known: double_free,"),
    ] as [(String, Int, Int, String)])
    func syntaxErrorsNameLineAndColumn(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        #expect {
            _ = try Trace(parsing: text)
        } throws: { error in
            guard let e = error as? TraceSyntaxError else { return false }
            return e.line == line && e.column == column && e.message.contains(fragment)
        }
    }

    /// `isText` answers bytes without splitting the input into lines when a
    /// control byte settles it (`isPlainlyBytes`); the answer must be the
    /// one splitting gives, for inputs near the boundary between the two:
    /// text lines, comments, the arena word and control bytes mixed.
    @Test func theQuickAnswerForBytesAgreesWithSplitting() {
        let pieces: [[UInt8]] = ["arena pages=64", "# note \u{01}", "k1 = kmalloc size=8", "abc", " ", "\t", "\r",
                                 "\n", "#", "are", "na", "é"].map { Array($0.utf8) } + [[0], [1], [0x7F], [0x0B], [0xFF]]
        var state: UInt64 = 11
        func next() -> UInt64 {  // xorshift64: a fixed sequence of inputs
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var quick = 0
        for _ in 0..<20_000 {
            var body: [UInt8] = []
            for _ in 0..<Int(next() % 8) { body += pieces[Int(next() % UInt64(pieces.count))] }
            if Trace.isPlainlyBytes(body[...]) {
                quick += 1
                #expect(!Trace.isTextBySplitting(body[...]), "\(body)")
            }
            #expect(Trace.isText(body) == Trace.isTextBySplitting(body[...]), "\(body)")
        }
        // The quick answer is given, and not for every input.
        #expect(quick > 1_000 && quick < 19_000)
        #expect(Trace.isPlainlyBytes([0x40, 0x00, 0x03, 0x10]))
        #expect(!Trace.isPlainlyBytes(Array("arena pages=8\n\u{01}".utf8)[...]))
    }

    @Test func textAndBytesAreToldApartByContent() throws {
        #expect(Trace.isText(Array("# a case\narena pages=64\nk1 = kmalloc size=8\n".utf8)))
        // Without its arena line a text trace is still text, so parsing reports the missing line.
        #expect(Trace.isText(Array("p1 = alloc_pages order=3\n".utf8)))
        #expect(Trace.isText(Array("kmalloc size=8\n".utf8)))
        // Bytes: control bytes, a first byte that is no letter, a lone word.
        #expect(!Trace.isText([0x40, 0x00, 0x03, 0x10]))
        #expect(!Trace.isText(Array("7 = kmalloc size=8".utf8)))
        #expect(!Trace.isText(Array("abc".utf8)))
        // Text however it was saved: a byte-order mark, Windows line endings,
        // a Latin-1 byte in a comment, a control character after the arena
        // line; all are text, so the parser reports what is wrong with them.
        let windows = Array("# a case\r\narena pages=64\r\nk1 = kmalloc size=8\r\n".utf8)
        #expect(Trace.isText(windows))
        #expect(Trace.isText([0xEF, 0xBB, 0xBF] + Array("arena pages=64\n".utf8)))
        #expect(Trace.isText(Array("arena pages=64\n# caf".utf8) + [0xE9] + Array(" notes\np1 = alloc_pages order=0\n".utf8)))
        #expect(Trace.isText(Array("arena pages=64\np1 = alloc_pages order=0\n".utf8) + [0x1A]))
        // A file of comments alone is text that lacks its arena line; blanks alone are not.
        #expect(Trace.isText(Array("# only a comment\n".utf8)))
        #expect(!Trace.isText(Array(" \n\n".utf8)))
        // An operation-like line with a control byte further on is not text.
        #expect(!Trace.isText(Array("kmalloc size=8\n".utf8) + [0x00, 0x01]))
        var random = RandomSource(seed: 7)
        for _ in 0..<1000 {
            let bytes = (0..<64).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(!Trace.isText(bytes), "random bytes taken for text: \(bytes)")
        }
    }

    @Test func windowsLineEndingsAndAByteOrderMarkParseAsPlainText() throws {
        let plain = try Trace(parsing: "# a case\narena pages=64\np1 = alloc_pages order=2\nfree_pages p1\n")
        let windows = try Trace(parsing: "# a case\r\narena pages=64\r\np1 = alloc_pages order=2\r\nfree_pages p1\r\n")
        let marked = try Trace(parsing: "\u{FEFF}arena pages=64\np1 = alloc_pages order=2\nfree_pages p1\n")
        #expect(windows == plain)
        #expect(marked == plain)
        // An error in a CRLF file still names its own line.
        #expect(throws: TraceSyntaxError.self) { try Trace(parsing: "arena pages=64\r\np1 = alloc_pagez order=2\r\n") }
        do {
            _ = try Trace(parsing: "arena pages=64\r\np1 = alloc_pagez order=2\r\n")
        } catch {
            #expect(error.line == 2)
        }
        // A control character after the arena line is an error at its line, not bytes.
        do {
            _ = try Trace(parsing: "arena pages=64\np1 = alloc_pages order=0\n\u{1A}")
            Issue.record("a control character was accepted")
        } catch {
            #expect(error.line == 3 && error.column == 1)
            #expect(error.message == "the control character U+001A outside a comment")
        }
        // A byte that is not UTF-8 (decoded as U+FFFD) is named too; in a comment it is fine.
        let latin1 = Array("arena pages=64\np1 = alloc_pages order=0 ".utf8) + [0xFF] + Array("\n".utf8)
        #expect(throws: TraceSyntaxError(line: 2, column: 26, message: "a byte that is not UTF-8 text outside a comment")) {
            try Trace(parsing: String(decoding: latin1, as: UTF8.self))
        }
        // So are characters that show nothing: a zero-width space after a
        // name, a joiner (part of the character before it), a no-break space
        // between words; in a comment they are fine.
        #expect(throws: TraceSyntaxError(line: 2, column: 3, message: "the invisible character U+200B outside a comment")) {
            try Trace(parsing: "arena pages=64\nk1\u{200B} = kmalloc size=8\n")
        }
        #expect(throws: TraceSyntaxError(line: 3, column: 8, message: "the invisible character U+200D outside a comment")) {
            try Trace(parsing: "arena pages=64\nk1 = kmalloc size=8\nkfree k1\u{200D}\n")
        }
        #expect(throws: TraceSyntaxError(line: 2, column: 3, message: "the space character U+00A0 outside a comment "
                                          + "(words are separated by plain spaces and tabs)")) {
            try Trace(parsing: "arena pages=64\nk1\u{00A0}= kmalloc size=8\n")
        }
        #expect(try Trace(parsing: "arena pages=64 # zero\u{200B}width\u{00A0}space\nk1 = kmalloc size=8\n").operations.count == 1)
        let inComment = Array("arena pages=64\n# caf".utf8) + [0xE9] + Array("\np1 = alloc_pages order=0\n".utf8)
        #expect(try Trace(parsing: String(decoding: inComment, as: UTF8.self)).operations.count == 1)
    }

    /// Deleting one step's bytes leaves every other step meaning what it meant:
    /// tags are fixed and references count among live handles from the newest.
    @Test func deletingAStepLeavesTheOthersMeaningTheSame() throws {
        let trace = try Trace(parsing: """
            arena pages=256
            p1 = alloc_pages order=2
            p2 = alloc_pages order=3
            e3 = alloc_pages_exact size=5000
            free_pages p2
            free_pages_exact e3
            """)
        let tc = TestCase(replaying: try trace.choiceValues())
        _ = try tc.draw(Trace.generator())
        let step = tc.spans.filter { $0.label == "trace.step" }[0]  // the first step, p1
        var bytes: [UInt8] = []
        var position = 0
        for (index, choice) in tc.sequence.choices.enumerated() {
            let one = ChoiceSequence([choice]).bytes
            if !step.range.contains(index) { bytes += one }
            position += one.count
        }
        let shorter = Trace.decode(bytes)
        #expect(shorter.text == """
            arena pages=256
            p1 = alloc_pages order=3
            e2 = alloc_pages_exact size=5000
            free_pages p1
            free_pages_exact e2

            """)
    }

    @Test func aFreeWithNothingLiveBecomesTheAllocation() {
        // Tag 2 (free_pages, second in the pages profile) with nothing live reads the next byte as an order.
        let trace = Trace.decode([0x00, 0x00, 0x00, 2, 4], profile: .pages)
        #expect(trace.operations == [.allocPages(order: 4)])
    }
}
