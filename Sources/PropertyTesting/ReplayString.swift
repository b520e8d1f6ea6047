// Replay strings: a failing example's bytes as one short printable token.
//
// Format (version 1): "pt1-" + base64url of the byte format (no padding)
// + "-" + four lowercase hex digits of a 16-bit checksum of the bytes.
// Invariant: `decode(encode(b)) == b` for every byte string, and the same
// bytes always give the same string.

/// Why a replay string could not be decoded.
public enum ReplayStringError: Error, Equatable, CustomStringConvertible, Sendable {
    case unknownVersion(String)
    case malformed(String)
    case invalidCharacter(Character, offset: Int)
    case checksumMismatch(expected: String, actual: String)

    public var description: String {
        switch self {
        case .unknownVersion(let v): return "replay string has unknown version prefix '\(v)' (expected 'pt1')"
        case .malformed(let why): return "malformed replay string: \(why)"
        case .invalidCharacter(let c, let offset): return "replay string has invalid character '\(c)' at offset \(offset)"
        case .checksumMismatch(let e, let a): return "replay string checksum is \(a) but its data hashes to \(e); it was probably truncated or mistyped"
        }
    }
}

public enum ReplayString {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = Swift.min(3, bytes.count - i)
            var block: UInt32 = 0
            for k in 0..<3 { block = block << 8 | UInt32(k < n ? bytes[i + k] : 0) }
            for k in 0...n { out.append(alphabet[Int((block >> UInt32(18 - 6 * k)) & 63)]) }
            i += 3
        }
        return "pt1-" + String(decoding: out, as: UTF8.self) + "-" + hex16(checksum(bytes))
    }

    public static func decode(_ string: String) throws(ReplayStringError) -> [UInt8] {
        let text = string.trimmingWhitespace()
        guard let dash = text.firstIndex(of: "-") else { throw .malformed("no version prefix") }
        let version = String(text[..<dash])
        guard version == "pt1" else { throw .unknownVersion(version) }
        let rest = text[text.index(after: dash)...]
        guard let lastDash = rest.lastIndex(of: "-"), rest.distance(from: lastDash, to: rest.endIndex) == 5 else {
            throw .malformed("missing the trailing '-xxxx' checksum")
        }
        let data = Array(rest[..<lastDash].utf8)
        let sum = String(rest[rest.index(after: lastDash)...])
        guard data.count % 4 != 1 else { throw .malformed("data length \(data.count) is not a valid base64url length") }
        var bytes: [UInt8] = []
        var block: UInt32 = 0, bits = 0
        for (offset, c) in data.enumerated() {
            guard let v = alphabet.firstIndex(of: c) else {
                throw .invalidCharacter(Character(Unicode.Scalar(c)), offset: offset + 4)
            }
            block = block << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: block >> UInt32(bits)))
            }
        }
        guard block & ((1 << UInt32(bits)) - 1) == 0 else { throw .malformed("stray bits after the last byte") }
        let expected = hex16(checksum(bytes))
        guard expected == sum.lowercased() else { throw .checksumMismatch(expected: expected, actual: sum) }
        return bytes
    }

    /// Fletcher-16 over the bytes.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var a: UInt16 = 0, b: UInt16 = 0
        for x in bytes { a = (a + UInt16(x)) % 255; b = (b + a) % 255 }
        return b << 8 | a
    }

    static func hex16(_ v: UInt16) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<4).map { digits[Int(v >> UInt16(12 - 4 * $0)) & 15] })
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
