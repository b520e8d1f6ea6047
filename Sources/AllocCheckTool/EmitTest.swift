// `emit-test`: a Swift Testing regression test that replays a case.

import Harness

public enum EmitTest {
    /// The test file for `trace` and its name: named after what the trace broke
    /// (or `passing` when it passes), plus a short hash of the trace so several
    /// regressions of one invariant live side by side.
    public static func source(for trace: Trace, failure: TraceFailure?) -> (fileName: String, source: String) {
        let what = failure?.broken.first.map(identifier) ?? "passing"
        let hash = hex(fnv1a(trace.text))
        let name = "\(what)Regression_\(hash)"
        let found = failure.map { "It failed with: \($0.summary)" } ?? "It passed when this test was written."
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
