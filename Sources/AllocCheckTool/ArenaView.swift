// A picture of the arena after one step of a trace, for `alloccheck view`:
// one cell per page, coloured by state, every block outlined, holders named
// on the blocks; as an SVG document, or as an HTML page with the operations
// and the failure beside it.
//
// Invariant: the output is a function of the picture alone (nothing from the
// clock or the environment), and every piece of text that comes from the
// trace or the failure is escaped, so the SVG is well-formed XML.

import Harness

/// Renders an `ArenaPicture`.
public enum ArenaView {
    /// A standalone SVG document of the arena after the picture's step.
    public static func svg(_ picture: ArenaPicture) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + ArenaDrawing(picture).svg(withHeader: true) + "\n"
    }

    /// A standalone HTML page: the picture with its legend, the operations up
    /// to the step beside it with the failing one marked, and the failure.
    public static func html(_ picture: ArenaPicture) -> String {
        ArenaPage(picture).html
    }
}

// MARK: - Text

/// `text` with the five XML special characters replaced by entities (good for
/// element text and quoted attribute values, in SVG and in HTML).
func escapeMarkup(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for ch in text {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}

/// A coordinate or size with at most one decimal, written the same way on every run.
func number(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let magnitude = abs(tenths)
    return sign + String(magnitude / 10) + (magnitude % 10 == 0 ? "" : "." + String(magnitude % 10))
}

/// `text` cut to at most `limit` characters, with an ellipsis when cut.
func clipped(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(max(1, limit - 1))) + "…"
}

/// `text` in lines of at most `width` characters, broken at spaces where it
/// can be; at most `maxLines`, the last one clipped.
func wrapped(_ text: String, width: Int, maxLines: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        var word = Substring(word)
        while word.count > width {
            if !current.isEmpty { lines.append(current); current = "" }
            lines.append(String(word.prefix(width)))
            word = word.dropFirst(width)
        }
        if current.isEmpty {
            current = String(word)
        } else if current.count + 1 + word.count <= width {
            current += " " + word
        } else {
            lines.append(current)
            current = String(word)
        }
    }
    lines.append(current)
    guard lines.count > maxLines else { return lines }
    return Array(lines.prefix(maxLines - 1)) + [clipped(lines[(maxLines - 1)...].joined(separator: " "), to: width)]
}

/// The width text of `characters` characters takes at `fontSize`, generously
/// (monospace advance; proportional fonts are narrower).
func textWidth(_ characters: Int, fontSize: Double) -> Double { Double(characters) * fontSize * 0.6 }

// MARK: - What the picture says

/// The colours, and the classes that carry them.
enum Palette {
    /// Free blocks by order, light for small orders to deep for large ones.
    static let free = ["#e6f5d0", "#cdeac0", "#b0dfb0", "#8ed1a4", "#6bc1a0", "#4cae9f",
                       "#36999e", "#2a8198", "#22698d", "#1b507e", "#15396a"]
    static let allocated = "#f28e2b"
    static let exact = "#7b4fc4"
    static let exactTail = "#ece2f9"
    static let exactTailDot = "#9b7bd4"
    static let slab = "#d6457b"
    static let reserved = "#eef0f2"
    static let reservedLine = "#9aa1a9"
    static let outline = "#1e293b"
    static let failure = "#dc2626"
    static let pictured = "#0284c7"
    static let ink = "#1f2937"
    static let muted = "#64748b"
    static let monospace = "ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace"

    static func freeOrder(_ order: Int) -> Int { min(max(order, 0), free.count - 1) }

    /// The class of a page cell in that state (`f0`…`f10`, `al`, `ex`, `et`, `sl`, `rs`).
    static func cssClass(_ state: PageCellState) -> String {
        switch state {
        case .free(let order): return "f\(freeOrder(order))"
        case .allocated: return "al"
        case .exact: return "ex"
        case .exactTail: return "et"
        case .slab: return "sl"
        case .reserved: return "rs"
        }
    }

    /// The colour of text written on a block in that state.
    static func textColour(_ state: PageCellState) -> String {
        switch state {
        case .free(let order): return freeOrder(order) >= 5 ? "#ffffff" : "#12372f"
        case .allocated: return "#3b1d02"
        case .exact, .slab: return "#ffffff"
        case .exactTail: return "#4c2a85"
        case .reserved: return "#3f464e"
        }
    }

    /// The style sheet shared by the standalone SVG and the HTML page (scoped to `.arena`).
    static var styleSheet: String {
        var rules = [".arena .pg{stroke:#ffffff;stroke-opacity:.6;stroke-width:.75}"]
        for (order, colour) in free.enumerated() { rules.append(".arena .f\(order){fill:\(colour)}") }
        rules += [
            ".arena .al{fill:\(allocated)}", ".arena .ex{fill:\(exact)}", ".arena .et{fill:url(#ac-dots)}",
            ".arena .sl{fill:\(slab)}", ".arena .rs{fill:url(#ac-hatch)}",
            ".arena .blocks{fill:none;stroke:\(outline);stroke-width:2;stroke-linecap:square}",
            ".arena .focus{fill:none;stroke:\(pictured);stroke-width:3.5;stroke-linecap:square}",
            ".arena .focus.failed{stroke:\(failure)}",
            ".arena .named{fill:\(failure);stroke:#ffffff;stroke-width:1.5}",
            ".arena .name{font-weight:600;text-anchor:middle}",
            ".arena .quiet{font-weight:400;opacity:.8}",
            ".arena .axis{fill:\(muted);font-family:\(monospace);font-size:10px}",
            ".arena .mono{font-family:\(monospace)}",
        ]
        return rules.joined(separator: "\n")
    }

    /// The hatch of reserved pages and the dots of exact tails.
    static var definitions: String {
        """
        <defs>
        <pattern id="ac-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="6" height="6" fill="\(reserved)"/><line x1="1.5" y1="0" x2="1.5" y2="6" stroke="\(reservedLine)" stroke-width="2.2"/></pattern>
        <pattern id="ac-dots" width="5" height="5" patternUnits="userSpaceOnUse">\
        <rect width="5" height="5" fill="\(exactTail)"/><circle cx="2.5" cy="2.5" r="1.1" fill="\(exactTailDot)"/></pattern>
        </defs>
        """
    }
}

extension PageCellState {
    /// How a person calls it, for tooltips and the legend.
    var name: String {
        switch self {
        case .free(let order): return "free, order-\(order) block"
        case .allocated: return "allocated"
        case .exact: return "exact"
        case .exactTail: return "exact tail, given back"
        case .slab: return "slab"
        case .reserved: return "reserved"
        }
    }
}

/// Consecutive pages drawn as one outlined block: a head and the pages after
/// it with the same state and holder (a reserved range is one block).
struct PageBlock {
    let first: Int
    var count: Int
    let state: PageCellState
    let holder: Handle?
}

/// The handles an operation names (what it produces, frees or uses), and the
/// reserved range a reserved-page misuse aims at.
func namedHandles(_ operation: Operation, step: Int) -> (handles: Set<Handle>, hole: Int?) {
    var handles = Set<Handle>()
    if let kind = operation.produces { handles.insert(Handle(kind, step)) }
    switch operation {
    case .freePages(let h), .freePagesExact(let h), .cacheAlloc(let h), .cacheFree(let h), .cacheShrink(let h),
         .cacheDestroy(let h), .cacheValidate(let h), .kfree(let h), .ksize(let h):
        handles.insert(h)
    case .misuse(let misuse):
        switch misuse {
        case .doubleFree(let h), .interiorPointer(let h, _), .wrongOrder(let h, _), .wrongSize(let h, _),
             .wrongFreeFunction(let h), .slabPage(let h), .overflow(let h), .writeAfterFree(let h), .ksizeInterior(let h, _),
             .writeAfterFreeThenAllocate(let h), .kmallocOverflow(let h, _), .ksizeFreed(let h), .misaligned(let h, _),
             .underflow(let h, _):
            handles.insert(h)
        case .wrongCache(let h, let other), .writeLiveLinkAfterFree(let h, value: let other),
             .writeLiveLinkThenAllocate(let h, value: let other):
            handles.formUnion([h, other])
        case .foreignAddress(_, let cache): if let cache { handles.insert(cache) }
        case .reservedPage(_, let hole): return (handles, hole)
        }
    default: break
    }
    return (handles, nil)
}

/// The pages lines of a failure name ("page 37", "pages 37..<38", "pfn 12"):
/// the first page of each mention, ascending, without repeats.
func pagesNamed(in lines: [String], pageCount: Int) -> [Int] {
    var named = Set<Int>()
    for line in lines {
        let words = line.split(separator: " ")
        for (index, word) in words.enumerated() where index + 1 < words.count && ["page", "pages", "pfn"].contains(word) {
            if let pfn = Int(words[index + 1].prefix { $0.isASCII && $0.isNumber }), pfn < pageCount { named.insert(pfn) }
        }
    }
    return named.sorted()
}

extension ArenaPicture {
    /// The text after "after step N: " (or the whole phrase for step 0 and the final check).
    var stepPhrase: String {
        if let failure, failure.step > trace.operations.count { return "after the last step (the final check)" }
        guard step > 0, step <= trace.operations.count else { return "before the first step" }
        return "after step \(step) of \(trace.operations.count): " + Trace.line(for: trace.operations[step - 1], step: step)
    }
}

// MARK: - The SVG

/// The geometry and content of one picture.
struct ArenaDrawing {
    let picture: ArenaPicture
    let cells: [PageCell]
    let columns: Int
    let rows: Int
    let cell: Int
    /// The block of every page (an index into `blocks`).
    let blockOf: [Int]
    let blocks: [PageBlock]
    /// Pages of what the picture's step names: outlined on top.
    let focus: [Bool]
    let focusNames: [Handle]
    /// Pages the failure's details name: marked with a dot.
    let named: [Int]

    static let pad = 20

    init(_ picture: ArenaPicture) {
        self.picture = picture
        cells = picture.cells
        let count = cells.count
        // Blocks are aligned powers of two, so a power-of-two row keeps every
        // block that fits in it on one row, and larger ones as whole rows.
        columns = count <= 16 ? 8 : count <= 128 ? 16 : 32
        rows = max(1, (count + columns - 1) / columns)
        cell = columns == 8 ? 40 : columns == 16 ? 32 : rows <= 12 ? 22 : rows <= 20 ? 20 : 19

        var blockOf = [Int](repeating: 0, count: count)
        var blocks: [PageBlock] = []
        for (pfn, page) in cells.enumerated() {
            if let last = blocks.last, !page.isHead, last.state == page.state, last.holder == page.holder {
                blocks[blocks.count - 1].count += 1
            } else {
                blocks.append(PageBlock(first: pfn, count: 1, state: page.state, holder: page.holder))
            }
            blockOf[pfn] = blocks.count - 1
        }
        self.blockOf = blockOf
        self.blocks = blocks

        var focus = [Bool](repeating: false, count: count)
        var focusNames: [Handle] = []
        let operations = picture.trace.operations
        if picture.step >= 1 && picture.step <= operations.count {
            let (handles, hole) = namedHandles(operations[picture.step - 1], step: picture.step)
            for page in cells {
                guard let holder = page.holder, handles.contains(holder) else { continue }
                focus[page.pfn] = true
                if !focusNames.contains(holder) { focusNames.append(holder) }
            }
            if let hole, hole < picture.trace.arena.reserved.count {
                for pfn in picture.trace.arena.reserved[hole] where pfn < count { focus[pfn] = true }
            }
        }
        self.focus = focus
        self.focusNames = focusNames
        named = picture.failure.map { pagesNamed(in: $0.details, pageCount: count) } ?? []
    }

    var failed: Bool { picture.failure != nil }
    var hasFocus: Bool { focus.contains(true) }

    /// Width of the pfn labels left of the rows.
    var axisWidth: Int { max(2, String(max(0, (rows - 1) * columns)).count) * 6 + 10 }
    var gridWidth: Int { columns * cell }
    var width: Int { max(Self.pad + axisWidth + gridWidth + Self.pad, 560) }

    func x(ofColumn column: Int) -> Int { Self.pad + axisWidth + column * cell }

    // MARK: Cells and outlines

    func cellElements(top: Int) -> [String] {
        cells.map { page in
            let column = page.pfn % columns, row = page.pfn / columns
            var tip = "pfn \(page.pfn) · \(page.state.name)"
            if let holder = page.holder { tip += " · \(holder)" }
            return "<rect class=\"pg \(Palette.cssClass(page.state))\" x=\"\(x(ofColumn: column))\" y=\"\(top + row * cell)\" "
                + "width=\"\(cell)\" height=\"\(cell)\"><title>\(escapeMarkup(tip))</title></rect>"
        }
    }

    /// A path along the edges of the included pages where the neighbour
    /// differs: `same` says whether two pages are on the same side. An edge
    /// between two included pages is drawn once, as the top or left edge of
    /// the later page.
    func outlinePath(top: Int, included: (Int) -> Bool, same: (Int, Int) -> Bool) -> String {
        var path = ""
        let count = cells.count
        func edge(from pfn: Int, to neighbour: Int?, ownsSharedEdge: Bool) -> Bool {
            guard let neighbour, neighbour >= 0, neighbour < count else { return true }
            if same(pfn, neighbour) { return false }
            return !included(neighbour) || ownsSharedEdge
        }
        for row in 0..<rows {
            let y = top + row * cell
            // Horizontal edges, top then bottom of this row, joined into runs.
            for (dy, neighbourOffset, lower) in [(0, -columns, true), (cell, columns, false)] {
                var runStart: Int?
                for column in 0...columns {
                    let pfn = row * columns + column
                    let drawn = column < columns && pfn < count && included(pfn)
                        && edge(from: pfn, to: row == 0 && dy == 0 ? nil : pfn + neighbourOffset, ownsSharedEdge: lower)
                    if drawn, runStart == nil { runStart = column }
                    if !drawn, let start = runStart {
                        path += "M\(x(ofColumn: start)) \(y + dy)H\(x(ofColumn: column))"
                        runStart = nil
                    }
                }
            }
            for column in 0..<columns {
                let pfn = row * columns + column
                guard pfn < count, included(pfn) else { continue }
                if edge(from: pfn, to: column == 0 ? nil : pfn - 1, ownsSharedEdge: true) {
                    path += "M\(x(ofColumn: column)) \(y)V\(y + cell)"
                }
                if edge(from: pfn, to: column == columns - 1 ? nil : pfn + 1, ownsSharedEdge: false) {
                    path += "M\(x(ofColumn: column + 1)) \(y)V\(y + cell)"
                }
            }
        }
        return path
    }

    // MARK: Names on blocks

    /// The largest rectangle of whole pages inside a block: (column, row, columns, rows).
    func labelRectangle(_ block: PageBlock) -> (column: Int, row: Int, width: Int, height: Int) {
        // Row segments of the block, then runs of rows with the same segment.
        var segments: [(row: Int, start: Int, end: Int)] = []
        var pfn = block.first
        let end = block.first + block.count
        while pfn < end {
            let row = pfn / columns
            let segmentEnd = min(end, (row + 1) * columns)
            segments.append((row, pfn % columns, pfn % columns + segmentEnd - pfn))
            pfn = segmentEnd
        }
        var best = (column: 0, row: 0, width: 0, height: 0)
        var index = 0
        while index < segments.count {
            var last = index
            while last + 1 < segments.count, segments[last + 1].start == segments[index].start,
                  segments[last + 1].end == segments[index].end { last += 1 }
            let s = segments[index]
            let candidate = (column: s.start, row: s.row, width: s.end - s.start, height: last - index + 1)
            if candidate.width * candidate.height > best.width * best.height { best = candidate }
            index = last + 1
        }
        return best
    }

    /// What is written on a block: its holder, or what it is when it is large.
    func label(_ block: PageBlock) -> (text: String, quiet: Bool)? {
        if let holder = block.holder { return (holder.description, false) }
        switch block.state {
        case .free(let order) where block.count >= 8: return ("order \(order)", true)
        case .reserved where block.count >= 4: return ("reserved", true)
        case .slab where block.count >= 4: return ("slab", true)
        default: return nil
        }
    }

    func labelElements(top: Int) -> [String] {
        blocks.compactMap { block in
            guard let (text, quiet) = label(block) else { return nil }
            let r = labelRectangle(block)
            let w = Double(r.width * cell), h = Double(r.height * cell)
            var size = quiet ? min(h * 0.5, Double(cell) * 0.52, 12) : min(h * 0.5, Double(cell) * (r.height == 1 ? 0.56 : 1.1), 24)
            let room = w - 6
            if textWidth(text.count, fontSize: size) > room { size = room / (Double(text.count) * 0.6) }
            guard size >= 8 else { return nil }
            let cx = Double(x(ofColumn: r.column)) + w / 2
            let cy = Double(top + r.row * cell) + h / 2 + size * 0.35
            let reserved = block.state == .reserved
            return "<text class=\"name\(quiet ? " quiet" : "")\" x=\"\(number(cx))\" y=\"\(number(cy))\" font-size=\"\(number(size))\" "
                + "fill=\"\(Palette.textColour(block.state))\"" + (reserved ? " stroke=\"\(Palette.reserved)\" stroke-width=\"3\" paint-order=\"stroke\"" : "")
                + ">\(escapeMarkup(text))</text>"
        }
    }

    // MARK: Legend

    /// Pages in each state (free as one), and free blocks by order.
    var pageCounts: (free: Int, freeBlocks: [Int], others: [(PageCellState, Int)]) {
        var freeBlocks = [Int](repeating: 0, count: Palette.free.count)
        var free = 0
        var others: [PageCellState: Int] = [:]
        for block in blocks {
            if case .free(let order) = block.state {
                free += block.count
                if cells[block.first].isHead { freeBlocks[Palette.freeOrder(order)] += 1 }
            } else {
                others[block.state, default: 0] += block.count
            }
        }
        let order: [PageCellState] = [.allocated, .exact, .exactTail, .slab, .reserved]
        return (free, freeBlocks, order.map { ($0, others[$0] ?? 0) })
    }

    /// The legend from `top`; returns its elements and height.
    func legend(top: Int) -> (elements: [String], height: Int) {
        var out: [String] = []
        let left = Self.pad
        let counts = pageCounts
        let swatch = 30, gap = 3
        out.append("<text x=\"\(left)\" y=\"\(top + 12)\" font-size=\"12\" fill=\"\(Palette.ink)\"><tspan font-weight=\"600\">free</tspan>"
                   + " · \(counts.free) pages · blocks by order (count below)</text>")
        let rampTop = top + 20
        for order in 0..<Palette.free.count {
            let x = left + order * (swatch + gap)
            let state = PageCellState.free(order: order)
            out.append("<rect class=\"sw f\(order)\" x=\"\(x)\" y=\"\(rampTop)\" width=\"\(swatch)\" height=\"20\" rx=\"3\" "
                       + "stroke=\"\(Palette.outline)\" stroke-width=\"1\"/>")
            out.append("<text x=\"\(x + swatch / 2)\" y=\"\(rampTop + 14)\" font-size=\"11\" text-anchor=\"middle\" "
                       + "fill=\"\(Palette.textColour(state))\">\(order)</text>")
            let blocks = counts.freeBlocks[order]
            out.append("<text x=\"\(x + swatch / 2)\" y=\"\(rampTop + 34)\" font-size=\"10.5\" text-anchor=\"middle\" "
                       + "fill=\"\(blocks == 0 ? "#b6bec9" : Palette.ink)\">\(blocks == 0 ? "·" : "\(blocks)")</text>")
        }
        // The other states, flowing into rows.
        var items: [(swatch: String, text: String, present: Bool)] = counts.others.map { state, pages in
            ("class=\"sw \(Palette.cssClass(state))\" rx=\"2\" stroke=\"\(Palette.outline)\" stroke-width=\"1\"",
             "\(state == .exactTail ? "exact tail (free)" : state.name) · \(pages)", pages > 0)
        }
        if hasFocus {
            let what = focusNames.isEmpty ? "its reserved range" : focusNames.map(\.description).joined(separator: ", ")
            items.append(("fill=\"none\" rx=\"2\" stroke=\"\(failed ? Palette.failure : Palette.pictured)\" stroke-width=\"3\"",
                          "step \(picture.step): \(what)", true))
        }
        if !named.isEmpty {
            items.append(("class=\"named\" rx=\"8\"", "named by the failure", true))
        }
        // In columns as wide as the widest item, as many as fit.
        let columnWidth = 18 + 8 + Int((Double(items.map(\.text.count).max() ?? 0) * 12 * 0.56).rounded(.up)) + 20
        let perRow = max(1, (width - 2 * Self.pad + 20) / columnWidth)
        var y = rampTop + 48
        for (index, item) in items.enumerated() {
            if index > 0 && index % perRow == 0 { y += 26 }
            let x = left + index % perRow * columnWidth
            out.append("<rect \(item.swatch) x=\"\(x + 1)\" y=\"\(y + 1)\" width=\"16\" height=\"16\"/>")
            out.append("<text x=\"\(x + 26)\" y=\"\(y + 13)\" font-size=\"12\" fill=\"\(item.present ? Palette.ink : Palette.muted)\">"
                       + "\(escapeMarkup(item.text))</text>")
        }
        return (out, y + 18 - top)
    }

    // MARK: Header

    /// The arena line, the step, and the failure (wrapped, the first details
    /// under it) or the verdict.
    func header(top: Int) -> (elements: [String], height: Int) {
        var out: [String] = []
        var y = top
        /// Lines of `text` that fit the width at `fontSize`, `indent` in from the left.
        func write(_ text: String, fontSize: Double, attributes: String, indent: Int = 0, gap: Int, maxLines: Int = 3) {
            let fit = max(8, Int(Double(width - 2 * Self.pad - indent) / (fontSize * 0.6)))
            for (index, line) in wrapped(text, width: fit, maxLines: maxLines).enumerated() {
                y += index == 0 ? gap : Int((fontSize * 1.35).rounded())
                out.append("<text x=\"\(Self.pad + indent)\" y=\"\(y)\" font-size=\"\(number(fontSize))\" \(attributes)>"
                           + "\(escapeMarkup(line))</text>")
            }
        }
        write(picture.trace.arena.text, fontSize: 16, attributes: "font-weight=\"700\" class=\"mono\" fill=\"\(Palette.ink)\"", gap: 16)
        write(picture.stepPhrase, fontSize: 13, attributes: "class=\"mono\" fill=\"\(Palette.ink)\"", gap: 22)
        if let failure = picture.failure {
            write("✗ failed at " + failure.summary, fontSize: 13.5,
                  attributes: "font-weight=\"700\" fill=\"\(Palette.failure)\"", gap: 24)
            let shown = failure.details.prefix(3)
            for line in shown {
                write(line, fontSize: 11.5, attributes: "class=\"mono\" fill=\"#991b1b\"", indent: 14, gap: 18, maxLines: 2)
            }
            if failure.details.count > shown.count {
                write("and \(failure.details.count - shown.count) more", fontSize: 11.5,
                      attributes: "fill=\"\(Palette.muted)\"", indent: 14, gap: 17)
            }
        } else {
            write("✓ passed: every check held", fontSize: 13, attributes: "font-weight=\"600\" fill=\"#15803d\"", gap: 24)
        }
        return (out, y + 14 - top)
    }

    // MARK: Document

    /// The `<svg>` element; with the header when it stands alone (the HTML page writes its own).
    func svg(withHeader: Bool) -> String {
        var body: [String] = []
        var top = Self.pad
        if withHeader {
            let (elements, height) = header(top: top)
            body += elements
            top += height + 6
        }
        let gridTop = top + 14
        if cells.isEmpty {
            body.append("<text x=\"\(Self.pad)\" y=\"\(gridTop + 14)\" font-size=\"13\" fill=\"\(Palette.muted)\">"
                        + "no pages to draw: the arena was not set up</text>")
            top = gridTop + 30
        } else {
            // Column offsets above, pfns of row starts to the left.
            for column in stride(from: 0, to: columns, by: 8) {
                body.append("<text class=\"axis\" x=\"\(x(ofColumn: column) + 2)\" y=\"\(gridTop - 4)\">+\(column)</text>")
            }
            for row in 0..<rows {
                body.append("<text class=\"axis\" x=\"\(x(ofColumn: 0) - 6)\" y=\"\(gridTop + row * cell + cell / 2 + 3)\" "
                            + "text-anchor=\"end\">\(row * columns)</text>")
            }
            body += cellElements(top: gridTop)
            let blockOf = self.blockOf
            body.append("<path class=\"blocks\" d=\"\(outlinePath(top: gridTop, included: { _ in true }, same: { blockOf[$0] == blockOf[$1] }))\"/>")
            if hasFocus {
                let focus = self.focus
                body.append("<path class=\"focus\(failed ? " failed" : "")\" d=\""
                            + outlinePath(top: gridTop, included: { focus[$0] }, same: { focus[$0] == focus[$1] }) + "\"/>")
            }
            body += labelElements(top: gridTop)
            for pfn in named {
                let cx = x(ofColumn: pfn % columns) * 2 + cell, cy = (gridTop + pfn / columns * cell) * 2 + cell
                body.append("<circle class=\"named\" cx=\"\(number(Double(cx) / 2))\" cy=\"\(number(Double(cy) / 2))\" "
                            + "r=\"\(number(Double(cell) * 0.22))\"><title>pfn \(pfn): named by the failure</title></circle>")
            }
            top = gridTop + rows * cell
        }
        var height = top + Self.pad
        if !cells.isEmpty {
            let (legendElements, legendHeight) = legend(top: top + 22)
            body += legendElements
            height += 22 + legendHeight
        }
        let title = picture.trace.arena.text + ", " + picture.stepPhrase + (picture.failure.map { "; failed: " + $0.failureKind } ?? "")
        let sans = "system-ui,-apple-system,'Segoe UI','DejaVu Sans',Helvetica,Arial,sans-serif"
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="arena" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="\(sans)" role="img">
            <title>\(escapeMarkup(title))</title>
            <style>
            \(Palette.styleSheet)
            </style>
            \(Palette.definitions)
            <rect width="\(width)" height="\(height)" fill="#ffffff"/>
            \(body.joined(separator: "\n"))
            </svg>
            """
    }
}

// MARK: - The HTML page

/// The page: header, the picture and the operations side by side, the failure.
struct ArenaPage {
    let picture: ArenaPicture

    init(_ picture: ArenaPicture) { self.picture = picture }

    static let style = """
        *{box-sizing:border-box}
        body{margin:0;padding:24px 28px;background:#f4f6f9;color:#1f2937;\
        font:14px/1.45 system-ui,-apple-system,'Segoe UI','DejaVu Sans',Helvetica,Arial,sans-serif}
        code,pre,.ops,.arena-line{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace}
        header{margin-bottom:18px}
        h1{font-size:19px;margin:0 0 4px}
        .arena-line{font-size:19px;font-weight:700}
        .where{margin:0;color:#334155}
        .where code{background:#e2e8f0;border-radius:4px;padding:1px 6px}
        .verdict{margin:10px 0 0;padding:8px 12px;border-radius:6px;font-weight:600}
        .verdict.failed{background:#fef2f2;color:#b91c1c;border-left:4px solid #dc2626}
        .verdict.passed{background:#f0fdf4;color:#15803d;border-left:4px solid #16a34a}
        main{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}
        .panel{background:#ffffff;border:1px solid #dbe1e8;border-radius:10px;box-shadow:0 1px 2px rgba(15,23,42,.06)}
        .picture{padding:6px;overflow-x:auto;max-width:100%}
        .picture svg{display:block}
        .ops{flex:1 1 340px;min-width:300px;max-width:560px;font-size:12.5px}
        .ops h2,.failure h2{font:600 13px system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;margin:0;\
        padding:10px 14px;border-bottom:1px solid #e5e9ef;color:#334155;letter-spacing:.02em;text-transform:uppercase}
        .scroll{max-height:78vh;overflow:auto;display:flex;flex-direction:column-reverse}
        ol.steps{list-style:none;margin:0;padding:6px 0}
        ol.steps li{display:flex;gap:10px;padding:1px 14px 1px 11px;border-left:3px solid transparent;white-space:pre}
        ol.steps .n{color:#94a3b8;min-width:3.2em;text-align:right}
        ol.steps li.arena-step{color:#64748b}
        ol.steps li.failing{background:#fee2e2;color:#991b1b;font-weight:700;border-left-color:#dc2626}
        ol.steps li.current{background:#e0f2fe;color:#075985;font-weight:700;border-left-color:#0284c7}
        ol.steps .mark{margin-left:auto;padding-left:12px;font-weight:600}
        .more{color:#94a3b8;margin:0;padding:2px 14px 8px}
        .failure{margin-top:20px;border-color:#fecaca}
        .failure h2{color:#b91c1c}
        .failure .body{padding:10px 16px 14px}
        .failure h3{font-size:12.5px;margin:12px 0 4px;color:#475569}
        .broken{display:flex;flex-wrap:wrap;gap:6px;list-style:none;margin:0;padding:0}
        .broken li{background:#fee2e2;color:#991b1b;border-radius:999px;padding:2px 10px;font-weight:600;font-size:12.5px}
        ul.details{margin:0;padding-left:20px;font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12.5px}
        pre{margin:0;padding:8px 10px;background:#f8fafc;border:1px solid #e5e9ef;border-radius:6px;font-size:12px;overflow-x:auto}
        """

    /// The slabinfo lines worth showing: the headers and the caches that have slabs.
    static func slabinfoShown(_ slabinfo: String) -> [Substring] {
        slabinfo.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            return line.hasPrefix("#") || line.hasPrefix("slabinfo") || (fields.count > 2 && fields[2] != "0")
        }
    }

    var operationList: String {
        let failingStep = picture.failure?.step
        var items: [String] = []
        func item(_ number: String, _ text: String, marked: String?, extra: String = "") -> String {
            let classes = ([extra] + (marked.map { [$0] } ?? [])).filter { !$0.isEmpty }.joined(separator: " ")
            let mark = marked == "failing" ? "<span class=\"mark\">◀ failed here</span>" : marked == "current" ? "<span class=\"mark\">◀ pictured</span>" : ""
            return "<li" + (classes.isEmpty ? "" : " class=\"\(classes)\"") + (marked == nil ? "" : " aria-current=\"step\"")
                + "><span class=\"n\">\(number)</span><code>\(escapeMarkup(text))</code>\(mark)</li>"
        }
        items.append(item("", picture.trace.arena.text, marked: failingStep == 0 ? "failing" : nil, extra: "arena-step"))
        for (index, line) in picture.operationsShown.enumerated() {
            let step = index + 1
            let marked: String? = failingStep == step ? "failing" : (failingStep == nil && step == picture.step ? "current" : nil)
            items.append(item("\(step)", line, marked: marked))
        }
        if let failingStep, failingStep > picture.trace.operations.count {
            items.append(item("", "final check", marked: "failing"))
        }
        let notRun = picture.trace.operations.count - max(picture.step, 0)
        let more = notRun > 0 ? "<p class=\"more\">\(notRun) more operation\(notRun == 1 ? "" : "s") after this step not run</p>" : ""
        return "<div><ol class=\"steps\">\n" + items.joined(separator: "\n") + "\n</ol>" + more + "</div>"
    }

    var failureSection: String {
        guard let failure = picture.failure else { return "" }
        var parts = ["<section class=\"failure panel\" id=\"failure\"><h2>What broke at step \(failure.step)</h2><div class=\"body\">"]
        parts.append("<ul class=\"broken\">" + failure.broken.map { "<li>\(escapeMarkup($0.description))</li>" }.joined() + "</ul>")
        if !failure.details.isEmpty {
            parts.append("<h3>Details</h3><ul class=\"details\">"
                         + failure.details.map { "<li>\(escapeMarkup($0))</li>" }.joined(separator: "\n") + "</ul>")
        }
        let buddyinfo = failure.buddyinfo.split(separator: "\n")
        if !buddyinfo.isEmpty {
            parts.append("<h3>buddyinfo at that step</h3><pre>" + escapeMarkup(buddyinfo.joined(separator: "\n")) + "</pre>")
        }
        let slabinfo = Self.slabinfoShown(failure.slabinfo)
        if !slabinfo.isEmpty {
            parts.append("<h3>slabinfo at that step (caches with slabs)</h3><pre>" + escapeMarkup(slabinfo.joined(separator: "\n")) + "</pre>")
        }
        parts.append("</div></section>")
        return parts.joined(separator: "\n")
    }

    var html: String {
        let drawing = ArenaDrawing(picture)
        let arena = picture.trace.arena.text
        let verdict: String
        if let failure = picture.failure {
            verdict = "<p class=\"verdict failed\">✗ failed at \(escapeMarkup(failure.summary))</p>"
        } else {
            verdict = "<p class=\"verdict passed\">✓ passed: every check held</p>"
        }
        let phrase = picture.stepPhrase
        let whereLine: String
        if let colon = phrase.firstIndex(of: ":") {
            whereLine = escapeMarkup(String(phrase[..<colon])) + ": <code>"
                + escapeMarkup(String(phrase[phrase.index(after: colon)...].drop { $0 == " " })) + "</code>"
        } else {
            whereLine = escapeMarkup(phrase)
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeMarkup(arena + " · " + (picture.failure.map { "failed at step \($0.step)" } ?? "step \(picture.step)")))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <header>
            <h1><span class="arena-line">\(escapeMarkup(arena))</span></h1>
            <p class="where">\(whereLine)</p>
            \(verdict)
            </header>
            <main>
            <section class="picture panel">
            \(drawing.svg(withHeader: false))
            </section>
            <aside class="ops panel"><h2>Operations</h2><div class="scroll">
            \(operationList)
            </div></aside>
            </main>
            \(failureSection)
            </body>
            </html>

            """
    }
}
