// `emit-test`: a Swift Testing regression test that replays a case.

import Foundation
import Harness

public enum EmitTest {
    /// The test file for `trace` and its name: named after what the trace broke
    /// (or `passing` when it passes), plus a short hash of the trace so several
    /// regressions of one invariant live side by side.
    public static func source(for trace: Trace, failure: TraceFailure?, defect: String? = nil) -> (fileName: String, source: String) {
        let what = failure?.broken.first.map(identifier) ?? "passing"
        let hash = hex(fnv1a(trace.text))
        let name = "\(what)Regression_\(hash)"
        // A failure seen only with a seeded defect on: the test, run without
        // it, passes on the correct core, which its reader must be told.
        let found = failure.map {
            "It failed with: \($0.summary)"
                + (defect.map { ", with the seeded defect ALLOCCHECK_DEFECT=\($0) switched on: on the correct core this "
                    + "test passes, and it fails only while that defect is on." } ?? "")
        } ?? "It passed when this test was written."
        let body = trace.text.split(separator: "\n").map { "            " + $0 }.joined(separator: "\n")
        let source = """
            // A regression test written by `alloccheck emit-test`: it replays the
            // minimal trace below, judged after every step, and passes once the
            // allocator handles it. \(found.replacingBackslashes)
            import Testing
            import Harness

            @Test func \(name)() throws {
                let trace = try Trace(parsing: \"\"\"
            \(body)
                    \"\"\")
                let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
                let failure = judge.check(trace)
                #expect(failure == nil, "\\(failure.map { $0.report(for: trace) } ?? "")")
            }

            """
        return ("\(name).swift", source)
    }

    /// Refuses, in one line naming `option` and `directory`, a folder where
    /// the test would not build or never run: exit status 2, as for a
    /// missing `--into` folder and every other output that cannot or must
    /// not be written (`OutputPaths`), since the command line is well
    /// formed and the folder is what is wrong. The folder's
    /// real location must be `Tests/<Name>` of the package whose
    /// `Package.swift` is nearest above it (not `Tests/` itself, the package
    /// root, a scratch folder, a folder under the package's `Sources/`), that
    /// manifest must declare `.testTarget(name: "<Name>"`, and that
    /// declaration must list `"Harness"` among its dependencies (the test
    /// imports it). The manifest is read as text, not built: a dependency
    /// list that is not written out as `[...]` is taken on trust.
    public static func checkTestFolder(_ directory: String, option: String = "--into") throws(ToolError) {
        func refuse(_ problem: String) -> ToolError { ToolError("\(option) \(directory): \(problem)", exitCode: 2) }
        let notTests = "not a test target's folder (Tests/<Target> of a package whose Package.swift declares "
            + ".testTarget(name: \"<Target>\")), so the test would never run"
        let folder = realLocation(of: directory)
        var components = folder.split(separator: "/").map(String.init)
        var below: [String] = []
        var root: String?
        while true {
            let candidate = "/" + components.joined(separator: "/")
            if FileManager.default.fileExists(atPath: (candidate == "/" ? "" : candidate) + "/Package.swift") {
                root = candidate
                break
            }
            guard let last = components.popLast() else { break }
            below.insert(last, at: 0)
        }
        guard let root else { throw refuse(notTests) }
        // Only the folders inside the package count: a package may itself sit under some Sources/.
        if below.contains("Sources") {
            throw refuse("a folder under Sources/, not a test target's folder (Tests/<Target>)")
        }
        guard below.count == 2, below[0] == "Tests" else { throw refuse(notTests) }
        let name = below[1]
        let manifest = (root == "/" ? "" : root) + "/Package.swift"
        guard let bytes = try? readFile(manifest) else { throw refuse("cannot read \(manifest)") }
        guard let declaration = testTargetDeclaration(named: name, in: String(decoding: bytes, as: UTF8.self)) else {
            throw refuse("not a test target's folder: its Package.swift declares no .testTarget(name: \"\(name)\"), "
                         + "so the test would never run; declare it there with dependencies: [\"Harness\"]")
        }
        guard dependsOnHarness(declaration) else {
            throw refuse("the test target \(name) does not depend on Harness, which the test imports; add \"Harness\" "
                         + "(from another package, .product(name: \"Harness\", package: \"AllocCheck\")) to its "
                         + "dependencies in its Package.swift")
        }
    }

    /// The arguments of the manifest's `.testTarget(name: "<name>", …)` call
    /// (the text between its parentheses), or nil when there is none.
    /// Comments are not read: a target commented out is no target.
    static func testTargetDeclaration(named name: String, in manifest: String) -> Substring? {
        let code = withoutComments(manifest)
        var rest = code[...]
        while let call = rest.range(of: ".testTarget(") {
            let arguments = balanced(rest[call.upperBound...])
            rest = rest[call.upperBound...]
            let trimmed = arguments.drop { $0.isWhitespace }
            guard trimmed.hasPrefix("name:") else { continue }
            let value = trimmed.dropFirst("name:".count).drop { $0.isWhitespace }
            if value.hasPrefix("\"\(name)\"") { return arguments }
        }
        return nil
    }

    /// `source` with its `//` and `/* */` comments (nested, as Swift's are)
    /// left out, string literals kept as they are: plain (`"..."`, with
    /// backslash escapes), multi-line (`"""..."""`) and raw (`#"..."#`,
    /// where a backslash is plain text).
    static func withoutComments(_ source: String) -> String {
        let chars = Array(source)
        var out = ""
        var i = 0
        func starts(_ text: String, at k: Int) -> Bool {
            let t = Array(text)
            return k + t.count <= chars.count && Array(chars[k..<(k + t.count)]) == t
        }
        while i < chars.count {
            if starts("//", at: i) {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if starts("/*", at: i) {
                var depth = 0
                repeat {
                    if starts("/*", at: i) { depth += 1; i += 2 } else if starts("*/", at: i) { depth -= 1; i += 2 } else { i += 1 }
                } while depth > 0 && i < chars.count
            } else if chars[i] == "\"" || chars[i] == "#" {
                // A string literal: its opening hashes and quotes, then up to
                // the same quotes and hashes closing it.
                var j = i, hashes = 0
                while j < chars.count, chars[j] == "#" { hashes += 1; j += 1 }
                guard j < chars.count, chars[j] == "\"" else { out.append(chars[i]); i += 1; continue }
                let quotes = starts("\"\"\"", at: j) ? 3 : 1
                let closing = String(repeating: "\"", count: quotes) + String(repeating: "#", count: hashes)
                var k = j + quotes
                while k < chars.count, !starts(closing, at: k) {
                    // An escape skips the next character (not in a raw string).
                    k += hashes == 0 && chars[k] == "\\" ? 2 : 1
                }
                let end = min(chars.count, k + closing.count)
                out.append(contentsOf: chars[i..<end])
                i = end
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    /// Whether a target's arguments list "Harness" among its dependencies:
    /// true for a written-out list that names it, and for a list that is
    /// not written out (a variable, which cannot be read here).
    static func dependsOnHarness(_ arguments: Substring) -> Bool {
        guard let label = arguments.range(of: "dependencies:") else { return false }
        let value = arguments[label.upperBound...].drop { $0.isWhitespace }
        guard value.first == "[" else { return true }
        return balanced(value.dropFirst()).contains("\"Harness\"")
    }

    /// The text of `text` up to the bracket that closes the one opened just
    /// before it (brackets nested inside and string literals skipped), or all of it.
    static func balanced(_ text: Substring) -> Substring {
        var depth = 0
        var inString = false
        var escaped = false
        for index in text.indices {
            let ch = text[index]
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                continue
            }
            switch ch {
            case "\"": inString = true
            case "(", "[": depth += 1
            case ")", "]":
                if depth == 0 { return text[..<index] }
                depth -= 1
            default: break
            }
        }
        return text
    }

    /// `no-overlap` -> `noOverlap`, `unexpected-refusal(out_of_memory)` -> `unexpectedRefusalOutOfMemory`.
    static func identifier(_ broken: TraceFailure.Broken) -> String {
        let raw: String
        switch broken {
        case .invariant(let name): raw = name.rawValue
        case .prediction(let what): raw = what
        case .integrity: raw = "data-integrity"
        }
        var out = ""
        var upper = false
        for ch in raw {
            if ch.isLetter || ch.isNumber {
                out.append(upper ? Character(ch.uppercased()) : ch)
                upper = false
            } else {
                upper = !out.isEmpty
            }
        }
        return out.isEmpty ? "failure" : out
    }

    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return hash
    }

    static func hex(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<8).map { digits[Int(value >> UInt32(28 - 4 * $0)) & 15] })
    }
}

extension String {
    /// Safe inside a `//` comment: no line breaks.
    var replacingBackslashes: String { split(separator: "\n").joined(separator: " ") }
}
