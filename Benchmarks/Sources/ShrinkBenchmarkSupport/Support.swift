// What the shrinking challenge and the shrink-quality suite share: the one
// failure their properties raise, and the statistics and formatting of their
// tables and JSON (written to match the Hypothesis scripts they sit beside).

/// The single failure every property raises, so that (like Hypothesis with
/// report_multiple_bugs=False) all failures of a problem count as one kind.
public struct Falsified: Error {
    public init() {}
}

public func check(_ condition: Bool) throws { if !condition { throw Falsified() } }

/// Python's statistics.median: the mean of the two middle values for even counts (0 for none).
public func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    if s.isEmpty { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// `s` padded with spaces to `n` characters, on the left when `right` (right-aligned).
public func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
    s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
}

/// `x` with exactly `places` decimals.
public func fixed(_ x: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let r = (x * scale).rounded() / scale
    var text = String(r)
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let decimals = parts.count > 1 ? parts[1].count : 0
    if places > 0 && parts.count == 1 { text += "." }
    return text + String(repeating: "0", count: max(0, places - decimals))
}

/// `s` cut to `n` characters, ending in "..." when cut.
public func truncated(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 3)) + "..." }

/// `s` as a JSON string literal (quotes, backslashes and control characters escaped).
public func jsonString(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c.value {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0..<0x20: out += "\\u00" + (c.value < 16 ? "0" : "") + String(c.value, radix: 16)
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}
