import Testing
import AllocCheck
import Invariants
@testable import AllocCheckTool
import Harness

/// The failing scene's exact allocation of 20000 bytes (five pages, trimmed
/// from an order-3 block) runs with the seeded defect `exact-trim-one-too-few`,
/// which leaves the first page of its tail behind instead of giving it back.
private let trimTrigger = 20000

/// Traces that show every state a page can be in.
private enum Scenes {
    static let mixed = """
        arena pages=300 reserved=16..<20
        p1 = alloc_pages order=3
        e2 = alloc_pages_exact size=9000
        k3 = kmalloc size=40
        c4 = cache_create size=600 debug=FZ
        o5 = cache_alloc c4
        o6 = cache_alloc c4
        p7 = alloc_pages order=6
        e8 = alloc_pages_exact size=135168
        k9 = kmalloc size=20000
        p10 = alloc_pages order=0
        free_pages p1
        p12 = alloc_pages order=2
        """
    static let large = """
        arena pages=1024 reserved=100..<130,700..<701
        p1 = alloc_pages order=8
        e2 = alloc_pages_exact size=300000
        p3 = alloc_pages order=5
        k4 = kmalloc size=9000
        c5 = cache_create size=2000
        o6 = cache_alloc c5
        p7 = alloc_pages order=1
        p8 = alloc_pages order=0
        free_pages p3
        e10 = alloc_pages_exact size=13000
        p11 = alloc_pages order=4
        """
    static let failing = """
        arena pages=64 reserved=40..<42
        p1 = alloc_pages order=2
        k2 = kmalloc size=64
        e3 = alloc_pages_exact size=\(trimTrigger)
        p4 = alloc_pages order=1
        free_pages p1
        """
    static let tiny = "arena pages=8\np1 = alloc_pages order=1\n"
}

private func picture(_ text: String) throws -> ArenaPicture {
    Judge<AllocCheckSubject>(configuration: .everyStep).picture(of: try Trace(parsing: text))
}

private func failingPicture() throws -> ArenaPicture {
    try AllocCheckSubject.$defect.withValue(.exactTrimOneTooFew) {
        Judge<AllocCheckSubject>(configuration: .everyStep).picture(of: try Trace(parsing: Scenes.failing))
    }
}

/// Checks that `xml` is a tree of balanced elements with no raw `<` or stray
/// `&` in text or attribute values; returns the problems found.
private func markupProblems(_ xml: String) -> [String] {
    var problems: [String] = []
    var stack: [String] = []
    let chars = Array(xml.unicodeScalars)
    var i = 0
    func checkAmpersands(_ text: ArraySlice<Unicode.Scalar>, at offset: Int) {
        var j = text.startIndex
        while j < text.endIndex {
            if text[j] == "&" {
                let rest = String(String.UnicodeScalarView(text[j...].prefix(8)))
                if !["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(where: { rest.hasPrefix($0) }) {
                    problems.append("stray & at \(offset)")
                }
            }
            j += 1
        }
    }
    while i < chars.count {
        if chars[i] == "<" {
            guard let close = chars[i...].firstIndex(of: ">") else { problems.append("unclosed tag at \(i)"); break }
            let tag = String(String.UnicodeScalarView(chars[(i + 1)..<close]))
            if tag.hasPrefix("?") || tag.hasPrefix("!") {
                // Declaration or doctype.
            } else if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes \(stack.last ?? "nothing")") }
            } else {
                if tag.dropFirst().contains("<") { problems.append("< inside a tag at \(i)") }
                // Attribute values: quotes balanced.
                if tag.filter({ $0 == "\"" }).count % 2 != 0 { problems.append("unbalanced quotes in <\(tag.prefix(30))") }
                checkAmpersands(chars[(i + 1)..<close], at: i)
                let attributes = tag.matches(of: /\s([a-zA-Z:-]+)=/).map { String($0.1) }
                if Set(attributes).count != attributes.count { problems.append("an attribute repeats in <\(tag.prefix(40))") }
                let name = String(tag.prefix { !$0.isWhitespace && $0 != "/" })
                if !tag.hasSuffix("/") { stack.append(name) }
            }
            i = close + 1
        } else {
            let next = chars[i...].firstIndex(of: "<") ?? chars.count
            checkAmpersands(chars[i..<next], at: i)
            if chars[i..<next].contains(">") { problems.append("raw > in text at \(i)") }
            i = next
        }
    }
    if !stack.isEmpty { problems.append("unclosed: \(stack)") }
    return problems
}

/// The state classes of the page cells, in the order they are drawn.
private func cellClasses(_ svg: String) -> [String] {
    svg.split(separator: "<rect class=\"pg ").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

private func occurrences(of needle: String, in text: String) -> Int {
    text.split(separator: needle, omittingEmptySubsequences: false).count - 1
}

@Suite struct ArenaViewTests {
    @Test(arguments: [Scenes.mixed, Scenes.large, Scenes.tiny])
    func svgIsWellFormed(_ text: String) throws {
        let svg = ArenaView.svg(try picture(text))
        #expect(svg.hasPrefix("<?xml"))
        #expect(markupProblems(svg) == [])
        #expect(occurrences(of: "<svg ", in: svg) == 1)
    }

    @Test func theMarkupCheckerCatchesWhatItLooksFor() {
        #expect(markupProblems("<a><b>x</b></a>") == [])
        for broken in ["<a><b></a>", "<a>x < y</a>", "<a>fish & chips</a>", "<a x=\"1\" x=\"2\"/>", "<a y=\"1/>", "<a>"] {
            #expect(markupProblems(broken) != [], "\(broken)")
        }
    }

    @Test func failingSvgAndPageAreWellFormed() throws {
        let p = try failingPicture()
        #expect(markupProblems(ArenaView.svg(p)) == [])
        // The page has HTML's void `<meta>` elements; apart from them it is balanced too.
        let html = ArenaView.html(p).replacing(/<meta[^>]*>/, with: "")
        #expect(markupProblems(html) == [])
    }

    @Test(arguments: [Scenes.mixed, Scenes.large, Scenes.tiny, Scenes.failing])
    func oneCellPerPageInPfnOrder(_ text: String) throws {
        let p = text == Scenes.failing ? try failingPicture() : try picture(text)
        let svg = ArenaView.svg(p)
        #expect(cellClasses(svg).count == p.trace.arena.pageCount)
        let pfns = svg.matches(of: /<title>pfn (\d+) ·/).map { Int($0.1)! }
        #expect(pfns == Array(0..<p.trace.arena.pageCount))
    }

    @Test func cellColoursFollowTheStates() throws {
        let p = try picture(Scenes.mixed)
        let classes = cellClasses(ArenaView.svg(p))
        let expected = p.cells.map { cell -> String in
            switch cell.state {
            case .free(let order): return "f\(order)"
            case .allocated: return "al"
            case .exact: return "ex"
            case .exactTail: return "et"
            case .slab: return "sl"
            case .reserved: return "rs"
            }
        }
        #expect(classes == expected)
        #expect(classes.filter { $0 == "rs" }.count == 4)
        // The exact allocations keep 3 pages (9000 bytes) and 33 (135168 bytes);
        // what is left of their given-back tails is drawn as such.
        #expect(classes.filter { $0 == "ex" }.count == 3 + 33)
        #expect(classes.contains("et"))
        #expect(classes.contains("sl") && classes.contains("al"))
    }

    @Test func reservedCellsMatchTheArenasHolesInTheLargeArena() throws {
        let classes = cellClasses(ArenaView.svg(try picture(Scenes.large)))
        #expect(classes.count == 1024)
        #expect(classes.filter { $0 == "rs" }.count == 30 + 1)
        #expect(Array(classes[100..<130]) == Array(repeating: "rs", count: 30))
    }

    @Test func holdersAreNamedOnTheirBlocks() throws {
        let svg = ArenaView.svg(try picture(Scenes.mixed))
        for name in ["p7", "e8", "k9", "p12"] {
            #expect(svg.contains(">\(name)</text>"), "\(name) is not written on its block")
        }
        // Freed blocks carry no name.
        #expect(!svg.contains(">p1</text>"))
        // Every page of a held block says who holds it.
        #expect(occurrences(of: " · p7</title>", in: svg) == 64)
    }

    @Test func everyBlockIsOutlined() throws {
        let p = try picture(Scenes.tiny)
        let svg = ArenaView.svg(p)
        // Eight pages on one row: p1 (0..<2), free order 1 (2..<4), free order 2 (4..<8);
        // vertical block edges at pages 0, 2, 4 and 8.
        let path = try #require(svg.firstMatch(of: /<path class="blocks" d="([^"]*)"/)).1
        let verticals = path.matches(of: /M(\d+) \d+V/).map { Int($0.1)! }
        let left = verticals.min()!
        let cell = (verticals.max()! - left) / 8
        #expect(Set(verticals.map { ($0 - left) / cell }) == [0, 2, 4, 8])
    }

    @Test func failingStepIsMarkedInThePage() throws {
        let p = try failingPicture()
        let failure = try #require(p.failure)
        #expect(failure.step == 3 && p.step == 3)
        let html = ArenaView.html(p)
        let marked = html.matches(of: /<li class="failing"[^>]*>(.*?)<\/li>/).map { String($0.1) }
        #expect(marked.count == 1)
        #expect(marked.first?.contains("e3 = alloc_pages_exact size=\(trimTrigger)") == true)
        #expect(html.contains("class=\"verdict failed\""))
        #expect(html.contains(escapeMarkup(failure.summary)))
        for line in failure.details { #expect(html.contains(escapeMarkup(line))) }
        #expect(html.contains("buddyinfo at that step"))
        // Steps after the failure were not run and are not listed.
        #expect(!html.contains("free_pages p1"))
        #expect(html.contains("2 more operations after this step not run"))
        // The SVG says it too, in red, and outlines what the step allocated.
        let svg = ArenaView.svg(p)
        #expect(svg.contains("fill=\"\(Palette.failure)\">✗ failed at step 3"))
        #expect(svg.contains("<path class=\"focus failed\""))
    }

    @Test func pagesTheFailureNamesAreMarked() throws {
        #expect(pagesNamed(in: ["page 3's next link", "pages 9..<12 are free", "3 pages of slab 2", "pfn 12", "page 99"],
                           pageCount: 64) == [3, 9, 12])
        let p = try failingPicture()
        let e3 = try #require(p.cells.first { $0.holder == Handle(.exact, 3) })
        let marked = ArenaView.svg(p).matches(of: /<title>pfn (\d+): named by the failure<\/title>/).map { Int($0.1)! }
        #expect(marked == [e3.pfn + 5])
        #expect(!ArenaView.svg(try picture(Scenes.mixed)).contains("class=\"named\""))
    }

    @Test func passingPageMarksThePicturedStepOnly() throws {
        let html = ArenaView.html(try picture(Scenes.mixed))
        #expect(!html.contains("class=\"failing\"") && !html.contains("verdict failed"))
        let current = html.matches(of: /<li class="current"[^>]*>(.*?)<\/li>/).map { String($0.1) }
        #expect(current.count == 1 && current.first?.contains("p12 = alloc_pages order=2") == true)
        #expect(html.contains("✓ passed"))
    }

    @Test func theStepsHandleIsOutlinedOnlyWhileItHoldsPages() throws {
        #expect(ArenaView.svg(try picture(Scenes.mixed)).contains("<path class=\"focus\""))
        // The last step frees its block: nothing left to outline.
        #expect(!ArenaView.svg(try picture(Scenes.tiny + "free_pages p1\n")).contains("class=\"focus"))
    }

    @Test func outputIsDeterministic() throws {
        let a = try picture(Scenes.large), b = try picture(Scenes.large)
        #expect(ArenaView.svg(a) == ArenaView.svg(b))
        #expect(ArenaView.html(a) == ArenaView.html(b))
        let f = try failingPicture()
        #expect(ArenaView.html(f) == ArenaView.html(try failingPicture()))
    }

    @Test func specialCharactersAreEscaped() throws {
        #expect(escapeMarkup("a<b & \"c\" > 'd'") == "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;")
        let p = try picture(Scenes.mixed)
        for text in [ArenaView.svg(p), ArenaView.html(p)] {
            #expect(text.contains("reserved=16..&lt;20"))
            #expect(!text.contains("..<"))
        }
        // The allocator's refusal of an arena carries the range with its `..<`.
        let refused = Judge<AllocCheckSubject>().picture(of: Trace(arena: Arena(pageCount: 64, reserved: [60..<70])))
        let detail = try #require(refused.failure?.details.first)
        #expect(detail.contains("..<"))
        let html = ArenaView.html(refused), svg = ArenaView.svg(refused)
        #expect(html.contains(escapeMarkup(detail)) && !html.contains("..<") && !svg.contains("..<"))
        #expect(markupProblems(svg) == [])
    }

    @Test func anArenaWithNoPagesStillDraws() throws {
        let refused = Judge<AllocCheckSubject>().picture(of: Trace(arena: Arena(pageCount: 64, reserved: [60..<70])))
        #expect(refused.cells.isEmpty)
        let svg = ArenaView.svg(refused)
        #expect(cellClasses(svg).isEmpty && svg.contains("no pages to draw"))
        #expect(ArenaView.html(refused).contains("<li class=\"arena-step failing\""))
    }

    @Test func legendCountsFreeBlocksByOrder() throws {
        // 300 free pages: blocks of 256, 32, 8 and 4 pages.
        let svg = ArenaView.svg(try picture("arena pages=300\n"))
        let counts = svg.matches(of: /text-anchor="middle" fill="[^"]*">([·0-9]+)<\/text>/).map { String($0.1) }
        // Eleven order numbers inside the swatches, each followed by its block count.
        let blocks = stride(from: 1, to: counts.count, by: 2).map { counts[$0] }
        #expect(blocks == ["·", "·", "1", "1", "·", "1", "·", "·", "1", "·", "·"])
        #expect(svg.contains("· 300 pages ·"))
    }
}
