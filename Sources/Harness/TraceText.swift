// The readable text form of a trace: one operation per line, results named
// by handle. Failure reports, replays and regression files all show it.
//
//   arena pages=256 reserved=16..<20
//   p1 = alloc_pages order=5
//   free_pages p1
//   e3 = alloc_pages_exact size=135168
//   c4 = cache_create size=600 debug=FZ hardened=1
//   o5 = cache_alloc c4
//   k6 = kmalloc size=18
//   expect double_free: free_pages p1
//   expect interior_pointer: free_pages_exact e3 offset=8192
//   cache_free o5
//   expect corruption: cache_validate written_after_free=o5
//
// Blank lines and `#` comments are ignored. A produced handle may be named
// anything (`buf = kmalloc size=8`); printing names it by its kind and step.
// Invariant: `parse(text(trace)) == trace` for every trace.

import AllocCheck

extension Trace {
    /// The text form, one operation per line after the arena line.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// The arena line followed by one line per operation.
    public var lines: [String] {
        [arena.text] + operations.enumerated().map { Trace.line(for: $1, step: $0 + 1) }
    }

    /// The text of one operation at (1-based) `step`.
    public static func line(for operation: Operation, step: Int) -> String {
        line(for: operation, step: step, naming: true)
    }

    private static func line(for operation: Operation, step: Int, naming: Bool) -> String {
        let produced = naming ? operation.produces.map { "\(Handle($0, step)) = " } ?? "" : ""
        switch operation {
        case .allocPages(let order): return produced + "alloc_pages order=\(order)"
        case .freePages(let h): return "free_pages \(h)"
        case .allocPagesExact(let size): return produced + "alloc_pages_exact size=\(size)"
        case .freePagesExact(let h): return "free_pages_exact \(h)"
        case .cacheCreate(let size, let options):
            return produced + "cache_create size=\(size)" + (options.alignment == 8 ? "" : " align=\(options.alignment)")
                + (options.debug.isEmpty ? "" : " debug=\(options.debug.letters)") + (options.hardened ? " hardened=1" : "")
        case .cacheAlloc(let h): return produced + "cache_alloc \(h)"
        case .cacheFree(let h): return "cache_free \(h)"
        case .cacheShrink(let h): return "cache_shrink \(h)"
        case .cacheDestroy(let h): return "cache_destroy \(h)"
        case .cacheValidate(let h): return "cache_validate \(h)"
        case .kmalloc(let size): return produced + "kmalloc size=\(size)"
        case .kfree(let h): return "kfree \(h)"
        case .ksize(let h): return "ksize \(h)"
        case .cacheShrinkAll: return "cache_shrink_all"
        case .misuse(let m):
            let call: String
            switch m {
            case .doubleFree(let h): call = "\(freeFunction(for: h).name) \(h)"
            case .interiorPointer(let h, let offset): call = "\(freeFunction(for: h).name) \(h) offset=\(offset)"
            case .wrongOrder(let h, let order): call = "free_pages \(h) order=\(order)"
            case .wrongSize(let h, let size): call = "free_pages_exact \(h) size=\(size)"
            case .wrongCache(let h, let cache): call = "cache_free \(h) cache=\(cache)"
            case .wrongFreeFunction(let h): call = (h.kind == .pages ? "free_pages_exact " : "free_pages ") + "\(h)"
            case .foreignAddress(let function, let cache): call = function.name + (cache.map { " \($0)" } ?? "")
            case .reservedPage(let function, let hole): call = "\(function.name) hole=\(hole)"
            case .slabPage(let h): call = "free_pages \(h)"
            case .overflow(let h): call = "cache_free \(h) overflow=1"
            case .kmallocOverflow(let h, let past): call = "kfree \(h) overflow=\(past)"
            case .writeAfterFree(let h): call = "cache_validate written_after_free=\(h)"
            case .writeAfterFreeThenAllocate(let h): call = "cache_alloc written_after_free=\(h)"
            case .ksizeInterior(let h, let offset): call = "ksize \(h) offset=\(offset)"
            case .ksizeFreed(let h): call = "ksize \(h)"
            case .writeLiveLinkAfterFree(let h, let value): call = "cache_validate written_after_free=\(h) value=\(value)"
            case .writeLiveLinkThenAllocate(let h, let value): call = "cache_alloc written_after_free=\(h) value=\(value)"
            case .misaligned(let h, let offset): call = "\(freeFunction(for: h).name) \(h) offset=\(offset)"
            case .underflow(let h, let before): call = "\(freeFunction(for: h).name) \(h) underflow=\(before)"
            }
            return "expect \(m.expected.rawValue): \(call)"
        case .injectedFailure(let call):
            // The call returns nothing, so it names nothing.
            return "expect \(RefusalKind.injectedFailure.rawValue): " + line(for: call, step: step, naming: false)
        }
    }

    /// The function that frees what `handle` names.
    static func freeFunction(for handle: Handle) -> FreeFunction {
        switch handle.kind {
        case .pages: return .freePages
        case .exact: return .freePagesExact
        case .object, .cache: return .cacheFree
        case .kmalloc: return .kfree
        }
    }
}

extension Arena {
    /// `arena pages=N`; when there are holes, ` reserved=a..<b,c..<d`; when
    /// the kmalloc caches have debug options, ` kmalloc_debug=<letters>`.
    public var text: String {
        "arena pages=\(pageCount)" + (reserved.isEmpty ? "" : " reserved="
            + reserved.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ","))
            + (kmallocDebug.isEmpty ? "" : " kmalloc_debug=\(kmallocDebug.letters)")
    }
}

extension SlabDebugOptions {
    /// SLUB's letters in canonical order (`FZPU`), "" when none.
    var letters: String {
        var s = ""
        if contains(.consistencyChecks) { s += "F" }
        if contains(.redZone) { s += "Z" }
        if contains(.poison) { s += "P" }
        if contains(.ownerTracking) { s += "U" }
        return s
    }
}

extension Trace {
    /// Whether `bytes` hold a text trace rather than a byte input. Lines are
    /// split at LF, a CR before it is ignored (Windows line endings), and a
    /// UTF-8 byte-order mark at the start is skipped. Blank lines and
    /// comments (`#` first, whatever bytes follow) are passed over; the
    /// first other line decides:
    /// - it starts with `arena`: text, whatever comes after it, so a stray
    ///   control character or a non-UTF-8 byte later on is reported by the
    ///   parser with its line and column instead of the whole file being
    ///   run as fuzzer bytes;
    /// - it reads like an operation (an ASCII letter first, then a space or
    ///   `=`: `kmalloc size=8`, `p1 = alloc_pages order=3`) and every line
    ///   that is not a comment is valid UTF-8 text: text that lacks its
    ///   arena line, which parsing reports;
    /// - anything else: bytes.
    /// A file of nothing but comments and blank lines (one comment at
    /// least) is text when it is all valid UTF-8 text, so parsing says its
    /// arena line is missing. (A byte
    /// input's first byte is a page count's low byte, so text and bytes are
    /// told apart by content alone; a byte input whose every byte is
    /// printable text is rare beyond a few bytes.)
    public static func isText(_ bytes: [UInt8]) -> Bool {
        var body = bytes[...]
        if body.count >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF { body = body.dropFirst(3) }
        return !isPlainlyBytes(body) && isTextBySplitting(body)
    }

    /// `isText` for `body` (a byte-order mark already skipped), line by line.
    static func isTextBySplitting(_ body: ArraySlice<UInt8>) -> Bool {
        let lines = body.split(separator: 10, omittingEmptySubsequences: true)
        let content = lines.filter { line in
            let trimmed = line.drop { $0 == 32 || $0 == 9 || $0 == 13 }
            return !trimmed.isEmpty && trimmed.first != UInt8(ascii: "#")
        }
        // Printable text: tabs, CRs, printable ASCII and valid UTF-8 beyond it.
        func isTextLine(_ line: ArraySlice<UInt8>) -> Bool {
            line.allSatisfy { $0 == 9 || $0 == 13 || (32...126).contains($0) || $0 >= 128 }
                && String(validating: line, as: UTF8.self) != nil
        }
        guard let first = content.first?.drop(while: { $0 == 32 || $0 == 9 }) else {
            // Only blank lines and comments.
            let hasComment = lines.contains { $0.drop { $0 == 32 || $0 == 9 || $0 == 13 }.first == UInt8(ascii: "#") }
            return hasComment && isTextLine(body.filter { $0 != 10 }[...])
        }
        if first.starts(with: Array("arena".utf8)) { return true }
        guard let letter = first.first, (65...90).contains(letter) || (97...122).contains(letter),
              content.allSatisfy(isTextLine) else { return false }
        return first.contains(32) || first.contains(UInt8(ascii: "="))
    }

    /// Whether `isTextBySplitting(body)` is certainly false, found without
    /// splitting `body` into lines (which allocates, and every fuzz input
    /// comes here): a control byte (other than tab, line feed and carriage
    /// return) lies in a line that is not blank, which with no `#` anywhere
    /// is not a comment, so the answer is bytes, unless the first line
    /// starts with `arena` (text whatever follows), which needs the word
    /// somewhere. False means "split to find out".
    static func isPlainlyBytes(_ body: ArraySlice<UInt8>) -> Bool {
        var control = false
        for byte in body {
            if byte == UInt8(ascii: "#") { return false }
            if (byte < 32 && byte != 9 && byte != 10 && byte != 13) || byte == 127 { control = true }
        }
        guard control else { return false }
        // "arena", byte by byte (an array of it would be a heap allocation per call).
        var i = body.startIndex
        while i + 5 <= body.endIndex {
            if body[i] == 0x61 && body[i + 1] == 0x72 && body[i + 2] == 0x65 && body[i + 3] == 0x6E && body[i + 4] == 0x61 {
                return false
            }
            i += 1
        }
        return true
    }
}

/// A syntax or meaning error in a text trace, with its 1-based line and column.
public struct TraceSyntaxError: Error, Equatable, CustomStringConvertible, Sendable {
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "line \(line), column \(column): \(message)" }
}

extension Trace {
    /// Parses the text form. Every error names its line and column.
    public init(parsing text: String) throws(TraceSyntaxError) {
        var parser = TraceParser()
        var lineNumber = 0
        // Split on scalars, not characters: "\r\n" is one character, and a
        // file with Windows line endings would otherwise be one long line.
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }  // a byte-order mark
        for rawLine in scalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            try parser.parse(line: Substring(line), number: lineNumber)
        }
        guard let arena = parser.arena else {
            // Where the arena line belongs: before everything else.
            throw TraceSyntaxError(line: 1, column: 1, message: "no `arena pages=N` line")
        }
        self.init(arena: arena, operations: parser.operations)
    }
}

/// Parses a trace line by line, resolving handle names as it goes.
private struct TraceParser {
    var arena: Arena?
    var operations: [Operation] = []
    var scope = Scope()
    /// Handle names to the handles they denote (the latest definition wins).
    var names: [String: Handle] = [:]

    /// One word of a line with the column it starts at.
    struct Word {
        let text: Substring
        let column: Int
    }

    /// The error for `ch` outside a comment when a message could not show
    /// it: a control character (tab aside), an invisible formatting
    /// character (zero-width space, joiners, marks of direction), a space
    /// other than the plain space (words are separated by spaces and tabs
    /// only), or the replacement for a byte that is not UTF-8; nil for any
    /// other character.
    static func invisible(_ ch: Character) -> String? {
        guard ch != "\t", ch != " " else { return nil }
        // Every scalar: a zero-width joiner joins the character before it.
        for scalar in ch.unicodeScalars {
            let code = "U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))"
            switch scalar.properties.generalCategory {
            case _ where scalar == "\u{FFFD}": return "a byte that is not UTF-8 text outside a comment"
            case .control: return "the control character \(code) outside a comment"
            case .format: return "the invisible character \(code) outside a comment"
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                return "the space character \(code) outside a comment (words are separated by plain spaces and tabs)"
            default: continue
            }
        }
        return nil
    }

    mutating func parse(line: Substring, number: Int) throws(TraceSyntaxError) {
        var words: [Word] = []
        var column = 1
        var current = ""
        var start = 1
        for ch in line {
            if ch == "#" { break }
            // Invisible in a message: name it (comments may hold anything).
            // A zero-width or no-break space pasted into a handle's name
            // would otherwise make `k1` unknown with nothing to see.
            if let message = Self.invisible(ch) {
                throw TraceSyntaxError(line: number, column: column, message: message)
            }
            if ch == " " || ch == "\t" {
                if !current.isEmpty { words.append(Word(text: Substring(current), column: start)); current = "" }
            } else {
                if current.isEmpty { start = column }
                current.append(ch)
            }
            column += 1
        }
        if !current.isEmpty { words.append(Word(text: Substring(current), column: start)) }
        guard !words.isEmpty else { return }
        func fail(_ word: Word?, _ message: String) -> TraceSyntaxError {
            TraceSyntaxError(line: number, column: word?.column ?? column, message: message)
        }

        if words[0].text == "arena" {
            guard arena == nil else { throw fail(words[0], "a second `arena` line") }
            guard operations.isEmpty else { throw fail(words[0], "the `arena` line must come before the operations") }
            arena = try parseArena(Array(words.dropFirst()), fail)
            return
        }
        guard let arena else { throw fail(words[0], "expected `arena pages=N` before the first operation") }
        guard operations.count < TraceChoices.maxOperations else {
            throw fail(words[0], "a trace has at most \(TraceChoices.maxOperations) operations")
        }
        let step = operations.count + 1
        var rest = words[...]
        var expected: RefusalKind?
        var producedName: Word?
        if rest.first?.text == "expect" {
            rest = rest.dropFirst()
            guard let kindWord = rest.first, kindWord.text.hasSuffix(":") else {
                throw fail(rest.first, "expected `expect <kind>: <call>`, e.g. `expect double_free: free_pages p3`")
            }
            let name = String(kindWord.text.dropLast())
            guard let kind = RefusalKind(rawValue: name), Tag.operations.contains(where: { $0.name == name && !$0.isCall }) else {
                var kinds: [String] = []
                for tag in Tag.operations where !tag.isCall && !kinds.contains(tag.name) {
                    kinds.append(tag.name)
                }
                let known = kinds.joined(separator: ", ")
                throw fail(kindWord, "unknown misuse `\(name)`; known: \(known)")
            }
            expected = kind
            rest = rest.dropFirst()
        } else if rest.count >= 2, rest[rest.startIndex + 1].text == "=" {
            producedName = rest.first
            rest = rest.dropFirst(2)
        }
        guard let callWord = rest.first else { throw fail(nil, "missing the operation after `=` or `:`") }
        let arguments = Array(rest.dropFirst())
        let operation: Operation
        if expected == .injectedFailure {
            let call = try parseCall(callWord, arguments, fail)
            guard let kind = call.produces, kind != .cache else {
                throw fail(callWord, "fault injection fails allocations (alloc_pages, alloc_pages_exact, cache_alloc, "
                           + "kmalloc), not \(callWord.text)")
            }
            operation = .injectedFailure(call)
        } else if let expected {
            operation = .misuse(try parseMisuse(expected, callWord, arguments, arena: arena, fail))
        } else {
            operation = try parseCall(callWord, arguments, fail)
        }
        if let kind = operation.produces {
            guard let producedName else { throw fail(callWord, "\(callWord.text) returns a handle: write `\(Handle(kind, step)) = \(callWord.text) ...`") }
            try checkName(producedName, fail)
            // A name given again would hide the first result from every later line.
            if let earlier = names[String(producedName.text)] {
                throw fail(producedName, "`\(producedName.text)` already names the result of step \(earlier.step); give each result its own name")
            }
            names[String(producedName.text)] = Handle(kind, step)
        } else if let producedName {
            throw fail(producedName, "\(callWord.text) returns nothing to name")
        }
        scope.apply(operation, step: step)
        operations.append(operation)
    }

    func checkName(_ word: Word, _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) {
        let valid = word.text.first.map { $0.isLetter || $0 == "_" } == true
            && word.text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        guard valid else { throw fail(word, "`\(word.text)` is not a handle name (a letter or _, then letters, digits and _)") }
    }

    func parseArena(_ words: [Word], _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) -> Arena {
        var pageCount: Int?
        var reserved: [Range<Int>] = []
        var sawReserved = false
        var kmallocDebug: SlabDebugOptions?
        for word in words {
            let (key, value) = try keyValue(word, fail)
            switch key {
            case "pages":
                guard pageCount == nil else { throw fail(word, "pages is given twice") }
                guard let n = wholeNumber(value), Arena.pageCounts.contains(n) else {
                    throw fail(word, "pages must be a whole number in \(Arena.pageCounts.lowerBound)...\(Arena.pageCounts.upperBound)")
                }
                pageCount = n
            case "reserved":
                // One `reserved=` lists every range, as the trace is printed.
                guard !sawReserved else { throw fail(word, "reserved is given twice (list every range in one: reserved=16..<20,40..<41)") }
                sawReserved = true
                // Empty parts too: `reserved=` and a trailing comma name no range.
                for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let dots = part.firstRange(of: "..<")
                    guard let dots, let lo = wholeNumber(part[..<dots.lowerBound]), let hi = wholeNumber(part[dots.upperBound...]) else {
                        throw fail(word, "reserved ranges are written `start..<end`, e.g. reserved=16..<20,40..<41")
                    }
                    guard lo < hi else { throw fail(word, "reserved range \(part) holds no page: its end must be above its start") }
                    reserved.append(lo..<hi)
                }
            case "kmalloc_debug":
                guard kmallocDebug == nil else { throw fail(word, "kmalloc_debug is given twice") }
                // At least one letter: "none" is written by leaving the setting out.
                kmallocDebug = try debugLetters(value, key: "kmalloc_debug", word, fail)
            default: throw fail(word, "unknown arena setting `\(key)` (pages, reserved, kmalloc_debug)")
            }
        }
        guard let pageCount else { throw fail(nil, "the arena line needs pages=N") }
        guard reserved.count <= Arena.maxHoles else { throw fail(words.last, "at most \(Arena.maxHoles) reserved ranges") }
        for hole in reserved {
            guard hole.upperBound <= pageCount, hole.lowerBound <= TraceChoices.holeStart.max.asInt,
                  Arena.holeLengths.contains(hole.count) else {
                throw fail(words.last, "reserved range \(hole.lowerBound)..<\(hole.upperBound) must lie in the arena and hold "
                           + "\(Arena.holeLengths.lowerBound)...\(Arena.holeLengths.upperBound) pages")
            }
        }
        return Arena(pageCount: pageCount, reserved: reserved, kmallocDebug: kmallocDebug ?? [])
    }

    /// `text` as a number written as a trace prints one: decimal digits,
    /// with a minus sign for a negative number (which every range refuses,
    /// by its own message). `Int("+10")` is 10, but a trace never holds a
    /// plus sign, so `size=+10` is refused as not a whole number.
    func wholeNumber<S: StringProtocol>(_ text: S) -> Int? {
        guard text.first != "+" else { return nil }
        return Int(text)
    }

    /// The debug options `value` of `key=` names: at least one letter of
    /// FZPU, each once (no options are written by leaving the key out).
    func debugLetters(_ value: String, key: String, _ word: Word,
                      _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) -> SlabDebugOptions {
        guard !value.isEmpty, value != "-", let debug = SlabDebugOptions(letters: value) else {
            throw fail(word, "expected \(key)=<letters from FZPU>, found `\(word.text)` (for none, leave \(key)= out)")
        }
        if let repeated = value.uppercased().enumerated().first(where: { value.uppercased().dropFirst($0.offset + 1).contains($0.element) }) {
            throw fail(word, "\(key)=\(value) names \(repeated.element) twice")
        }
        return debug
    }

    func keyValue(_ word: Word, _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) -> (String, String) {
        guard let eq = word.text.firstIndex(of: "="), eq != word.text.startIndex else {
            throw fail(word, "expected key=value, found `\(word.text)`")
        }
        return (String(word.text[..<eq]), String(word.text[word.text.index(after: eq)...]))
    }

    /// The one `key=value` argument of a call, as a number in `range`.
    func number(_ words: [Word], at index: Int, key: String, _ range: ClosedRange<Int>, call: Word,
                _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) -> Int {
        guard index < words.count else { throw fail(nil, "\(call.text) needs \(key)=N") }
        let (k, v) = try keyValue(words[index], fail)
        guard k == key else { throw fail(words[index], "expected \(key)=N, found `\(words[index].text)`") }
        guard let n = wholeNumber(v), range.contains(n) else {
            throw fail(words[index], "\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    /// The handle `words[index]` names, of one of `classes`. A handle of
    /// the wrong kind is reported against `key=` when it came from one, and
    /// against the `misuse` an `expect` line names (whose kinds span several
    /// calls), else against the call.
    func reference(_ words: [Word], at index: Int, call: Word, classes: Set<HandleClass>, freed: Bool = false,
                   key: String? = nil, misuse: String? = nil,
                   _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) -> Handle {
        guard index < words.count else { throw fail(nil, "\(call.text) needs a handle") }
        let word = words[index]
        guard let handle = names[String(word.text)] else { throw fail(word, "unknown handle `\(word.text)`") }
        guard classes.contains(handle.kind) else {
            let found = "not `\(word.text)` (\(withArticle(describe(handle.kind))))"
            if let key, classes.count == 1, let wanted = classes.first {
                let state = freed ? "freed " : "live "
                throw fail(word, "\(key)= takes a \(state)\(describe(wanted)), " + found)
            }
            // A misuse's kinds can span several free functions: a free
            // function takes those it frees (`kfree` a kmalloc pointer), and
            // when it frees none of them (`kfree` of a misaligned page
            // block) the kinds are the misuse's, not the call's.
            func freedBy(_ kind: HandleClass) -> String { Trace.freeFunction(for: Handle(kind, 0)).name }
            let isFree = misuse != nil && FreeFunction.allCases.contains { $0.name == call.text }
            let byCall = isFree ? classes.filter { freedBy($0) == call.text } : classes
            func listed(_ kinds: Set<HandleClass>) -> String {
                // In the language's order (never a Set's).
                let wanted = HandleClass.allCases.filter(kinds.contains).map { withArticle(describe($0)) }
                return wanted.count <= 2 ? wanted.joined(separator: " or ")
                    : wanted.dropLast().joined(separator: ", ") + " or " + wanted.last!
            }
            if let misuse, byCall.isEmpty { throw fail(word, "`\(misuse)` takes \(listed(classes)), " + found) }
            throw fail(word, "\(call.text) takes \(listed(byCall)) here, " + found)
        }
        if freed {
            guard scope.freed.contains(handle) else { throw fail(word, "`\(word.text)` has not been freed yet") }
        } else {
            guard scope.isLive(handle) else { throw fail(word, "`\(word.text)` was already freed or destroyed") }
        }
        return handle
    }

    /// `noun` after "a", or "an" before a vowel.
    func withArticle(_ noun: String) -> String {
        ("aeiou".contains(noun.first ?? "x") ? "an " : "a ") + noun
    }

    func describe(_ kind: HandleClass) -> String {
        switch kind {
        case .pages: return "page block"
        case .exact: return "exact allocation"
        case .cache: return "cache"
        case .object: return "cache object"
        case .kmalloc: return "kmalloc pointer"
        }
    }

    func noMore(_ words: [Word], after count: Int, _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) {
        if words.count > count { throw fail(words[count], "unexpected `\(words[count].text)`") }
    }

    func parseCall(_ call: Word, _ words: [Word], _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) -> Operation {
        let sizes = TraceChoices.size.min.asInt...TraceChoices.size.max.asInt
        let operation: Operation
        var used = 1
        switch call.text {
        case "alloc_pages": operation = .allocPages(order: try number(words, at: 0, key: "order", 0...Arena.topOrder, call: call, fail))
        case "free_pages": operation = .freePages(try reference(words, at: 0, call: call, classes: [.pages], fail))
        case "alloc_pages_exact": operation = .allocPagesExact(size: try number(words, at: 0, key: "size", sizes, call: call, fail))
        case "free_pages_exact": operation = .freePagesExact(try reference(words, at: 0, call: call, classes: [.exact], fail))
        case "cache_create":
            let size = try number(words, at: 0, key: "size", TraceChoices.objectSize.min.asInt...TraceChoices.objectSize.max.asInt,
                                  call: call, fail)
            // Each option at most once, in the order printing writes them.
            let keys = ["align", "debug", "hardened"]
            var options = CacheOptions()
            var nextKey = 0
            while used < words.count {
                let word = words[used]
                let (key, value) = try keyValue(word, fail)
                guard let k = keys.firstIndex(of: key) else {
                    throw fail(word, "expected align=N, debug=<letters from FZPU> or hardened=1, found `\(word.text)`")
                }
                guard k >= nextKey else { throw fail(word, "unexpected `\(word.text)`: cache_create takes align=, debug=, hardened= in that order") }
                nextKey = k + 1
                switch key {
                case "align":
                    guard let n = wholeNumber(value), CacheOptions.isAlignment(n) else {
                        let range = CacheOptions.alignments
                        throw fail(word, "align must be a power of two in \(range.lowerBound)...\(range.upperBound)")
                    }
                    options.alignment = n
                case "debug":
                    options.debug = try debugLetters(value, key: "debug", word, fail)
                default:
                    _ = try number(words, at: used, key: "hardened", 1...1, call: call, fail)
                    options.hardened = true
                }
                used += 1
            }
            operation = .cacheCreate(objectSize: size, options: options)
        case "cache_alloc": operation = .cacheAlloc(try reference(words, at: 0, call: call, classes: [.cache], fail))
        case "cache_free": operation = .cacheFree(try reference(words, at: 0, call: call, classes: [.object], fail))
        case "cache_shrink": operation = .cacheShrink(try reference(words, at: 0, call: call, classes: [.cache], fail))
        case "cache_destroy": operation = .cacheDestroy(try reference(words, at: 0, call: call, classes: [.cache], fail))
        case "cache_validate": operation = .cacheValidate(try reference(words, at: 0, call: call, classes: [.cache], fail))
        case "kmalloc": operation = .kmalloc(size: try number(words, at: 0, key: "size", sizes, call: call, fail))
        case "kfree": operation = .kfree(try reference(words, at: 0, call: call, classes: [.kmalloc], fail))
        case "ksize": operation = .ksize(try reference(words, at: 0, call: call, classes: [.kmalloc], fail))
        case "cache_shrink_all":
            operation = .cacheShrinkAll
            used = 0
        case "expect":
            // `x = expect ...`: an expected refusal returns nothing to name.
            throw fail(call, "an `expect` line names no handle: write `expect <misuse>: <call>` without `name =`")
        default:
            let known = Tag.operations.filter(\.isCall).map(\.name).joined(separator: ", ")
            // A name and its call without spaces around `=` (`p1=alloc_pages`,
            // `p1= alloc_pages`, `p1 =alloc_pages`).
            let isCall = { (text: Substring) in Tag.operations.contains { $0.isCall && $0.name == text } }
            var written = call.text + (words.first.map { " " + $0.text } ?? "")
            if !call.text.contains("="), let next = words.first, next.text.hasPrefix("=") { written = call.text + next.text }
            if let eq = written.firstIndex(of: "=") {
                let name = written[..<eq].filter { $0 != " " }
                let op = written[written.index(after: eq)...].drop { $0 == " " }.prefix { $0 != " " }
                if !name.isEmpty, isCall(op) {
                    throw fail(call, "`\(name)` and `\(op)`: write spaces around `=` (`\(name) = \(op) ...`)")
                }
            }
            throw fail(call, "unknown operation `\(call.text)`; known: \(known), and `expect <misuse>: ...`")
        }
        try noMore(words, after: used, fail)
        return operation
    }

    func parseMisuse(_ kind: RefusalKind, _ call: Word, _ words: [Word], arena: Arena,
                     _ fail: (Word?, String) -> TraceSyntaxError) throws(TraceSyntaxError) -> Misuse {
        var tag = Tag.allCases.first { $0.name == kind.rawValue }!
        // Some kinds name several misuses; the call (and for a write after
        // free, whether it has `value=`) tells them apart.
        if tag == .overflow, words.count > 1, words[1].text.hasPrefix("underflow=") { tag = .underflow }
        if tag == .overflow && call.text == "cache_validate" { tag = .writeAfterFree }
        if tag == .overflow && call.text == "cache_alloc" { tag = .writeAfterFreeThenAllocate }
        if tag == .overflow && call.text == "kfree" { tag = .kmallocOverflow }
        if tag == .interiorPointer && call.text == "ksize" { tag = .ksizeInterior }
        if tag == .doubleFree && call.text == "ksize" { tag = .ksizeFreed }
        func function(_ expected: String) throws(TraceSyntaxError) {
            guard call.text == expected else { throw fail(call, "this misuse calls `\(expected)` here, not `\(call.text)`") }
        }
        let misuse: Misuse
        var used = 1
        // A misuse that frees through the handle's own function: the call must be a free.
        if tag == .doubleFree || tag == .interiorPointer,
           !FreeFunction.allCases.contains(where: { $0.name == call.text }) {
            throw fail(call, "\(kind.rawValue) calls a free function (free_pages, free_pages_exact, cache_free or kfree) or ksize, "
                       + "not `\(call.text)`")
        }
        switch tag {
        case .doubleFree:
            let h = try reference(words, at: 0, call: call, classes: [.pages, .exact, .object, .kmalloc], freed: true,
                                  misuse: kind.rawValue, fail)
            try function(Trace.freeFunction(for: h).name)
            misuse = .doubleFree(h)
        case .interiorPointer:
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            try function(Trace.freeFunction(for: h).name)
            // A kmalloc pointer takes bytes up to 255 or whole pages (the
            // byte form's `largeInteriorPointer`), each offset one way.
            let bytes = TraceChoices.offset.max.asInt
            let unit = h.kind == .object ? 1 : Arena.pageSize
            let offset = try number(words, at: 1, key: "offset", 1...(bytes * unit), call: call, fail)
            guard offset % unit == 0 || h.kind == .kmalloc && offset <= bytes else {
                throw fail(words[1], h.kind == .kmalloc
                           ? "an offset into a kmalloc pointer is 1 to \(bytes) bytes or a whole number of pages (\(unit) bytes)"
                           : "an offset into a page allocation is a whole number of pages (\(unit) bytes)")
            }
            misuse = .interiorPointer(h, offset: offset)
            used = 2
        case .wrongOrder:
            try function("free_pages")
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            misuse = .wrongOrder(h, order: try number(words, at: 1, key: "order", 0...Arena.topOrder, call: call, fail))
            used = 2
        case .wrongSize:
            try function("free_pages_exact")
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            misuse = .wrongSize(h, size: try number(words, at: 1, key: "size", TraceChoices.size.min.asInt...TraceChoices.size.max.asInt,
                                                    call: call, fail))
            used = 2
        case .wrongCache:
            try function("cache_free")
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            guard words.count > 1 else { throw fail(nil, "wrong_cache needs cache=<cache handle>") }
            let (k, v) = try keyValue(words[1], fail)
            guard k == "cache" else { throw fail(words[1], "expected cache=<cache handle>") }
            let cacheWord = Word(text: Substring(v), column: words[1].column + 6)
            let cache = try reference([cacheWord], at: 0, call: call, classes: [.cache], fail)
            misuse = .wrongCache(h, cache: cache)
            used = 2
        case .wrongFreeFunction:
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            try function(h.kind == .pages ? "free_pages_exact" : "free_pages")
            misuse = .wrongFreeFunction(h)
        case .foreignAddress:
            guard let f = FreeFunction.allCases.first(where: { $0.name == call.text }) else {
                throw fail(call, "foreign_address calls free_pages, free_pages_exact, cache_free <cache> or kfree")
            }
            var cache: Handle?
            if f == .cacheFree { cache = try reference(words, at: 0, call: call, classes: [.cache], fail) } else { used = 0 }
            misuse = .foreignAddress(f, cache: cache)
        case .reservedPage:
            guard let f = [FreeFunction.freePages, .freePagesExact].first(where: { $0.name == call.text }) else {
                throw fail(call, "reserved_page calls free_pages or free_pages_exact")
            }
            guard !arena.reserved.isEmpty else { throw fail(call, "reserved_page needs a reserved range in the arena line") }
            misuse = .reservedPage(f, hole: try number(words, at: 0, key: "hole", 0...(arena.reserved.count - 1), call: call, fail))
        case .overflow:
            guard call.text == "cache_free" else {
                throw fail(call, "corruption calls `cache_free <object> overflow=1`, `kfree <kmalloc pointer> overflow=N`, "
                           + "`cache_free <object> underflow=N`, `kfree <kmalloc pointer> underflow=N`, "
                           + "`cache_validate written_after_free=<object> [value=<object>]` or "
                           + "`cache_alloc written_after_free=<object> [value=<object>]`, not `\(call.text)`")
            }
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            _ = try number(words, at: 1, key: "overflow", 1...1, call: call, fail)
            misuse = .overflow(h)
            used = 2
        case .kmallocOverflow:
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            misuse = .kmallocOverflow(h, past: try number(words, at: 1, key: "overflow",
                                                          TraceChoices.overflowPast.min.asInt...TraceChoices.overflowPast.max.asInt,
                                                          call: call, fail))
            used = 2
        case .writeAfterFree, .writeAfterFreeThenAllocate:
            guard let word = words.first else { throw fail(nil, "\(call.text) needs written_after_free=<freed cache object>") }
            let key = "written_after_free="
            guard word.text.hasPrefix(key) else {
                throw fail(word, "expected written_after_free=<freed cache object>, found `\(word.text)`")
            }
            let objectWord = Word(text: word.text.dropFirst(key.count), column: word.column + key.count)
            let h = try reference([objectWord], at: 0, call: call, classes: tag.referenceClasses, freed: true,
                                  key: "written_after_free", fail)
            if words.count > 1 {
                // `value=K`: the address of a live object written instead of the object's own.
                let valueKey = "value="
                guard words[1].text.hasPrefix(valueKey) else {
                    throw fail(words[1], "expected value=<live cache object>, found `\(words[1].text)`")
                }
                let valueWord = Word(text: words[1].text.dropFirst(valueKey.count), column: words[1].column + valueKey.count)
                let value = try reference([valueWord], at: 0, call: call, classes: [.object], key: "value", fail)
                misuse = tag == .writeAfterFree ? .writeLiveLinkAfterFree(h, value: value) : .writeLiveLinkThenAllocate(h, value: value)
                used = 2
            } else {
                misuse = tag == .writeAfterFree ? .writeAfterFree(h) : .writeAfterFreeThenAllocate(h)
            }
        case .underflow:
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            try function(Trace.freeFunction(for: h).name)
            misuse = .underflow(h, before: try number(words, at: 1, key: "underflow",
                                                      TraceChoices.underflowBefore.min.asInt...TraceChoices.underflowBefore.max.asInt,
                                                      call: call, fail))
            used = 2
        case .misalignedPointer:
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            try function(Trace.freeFunction(for: h).name)
            misuse = .misaligned(h, offset: try number(words, at: 1, key: "offset",
                                                       TraceChoices.misalignment.min.asInt...TraceChoices.misalignment.max.asInt,
                                                       call: call, fail))
            used = 2
        case .ksizeFreed:
            misuse = .ksizeFreed(try reference(words, at: 0, call: call, classes: tag.referenceClasses, freed: true, misuse: kind.rawValue, fail))
        case .ksizeInterior:
            let h = try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail)
            misuse = .ksizeInterior(h, offset: try number(words, at: 1, key: "offset", TraceChoices.offset.min.asInt...TraceChoices.offset.max.asInt,
                                                          call: call, fail))
            used = 2
        case .slabPage:
            try function("free_pages")
            misuse = .slabPage(try reference(words, at: 0, call: call, classes: tag.referenceClasses, misuse: kind.rawValue, fail))
        default: preconditionFailure("not a misuse tag")
        }
        try noMore(words, after: used, fail)
        return misuse
    }
}

extension Int64 {
    var asInt: Int { Int(self) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
