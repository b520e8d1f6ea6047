// Characters and strings.
//
// A character is one integer choice: an index into a fixed order of Unicode
// scalars, so the index's simplicity order is the characters' simplicity
// order: "0"..."9", "A"..."Z", "a"..."z", then the other printable ASCII
// characters (space first), then ASCII control characters, then every other
// scalar by code point (surrogates are not scalars and are skipped). Strings
// are arrays of characters, so they shrink as arrays do: elements deleted,
// each character lowered towards "0". Random generation favours ASCII
// characters (see `characters(maxCodePoint:)`).

extension Gen {
    /// The scalars of the default order that come before all non-ASCII ones.
    static let asciiOrder: [Unicode.Scalar] = {
        let alnum = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".unicodeScalars)
        var printable: [Unicode.Scalar] = []
        for v in UInt8(32)...126 {
            let s = Unicode.Scalar(v)
            if !alnum.contains(s) { printable.append(s) }
        }
        let controls: [Unicode.Scalar] = (UInt8(0)..<32).map { Unicode.Scalar($0) } + [Unicode.Scalar(UInt8(127))]
        return alnum + printable + controls
    }()

    /// The scalar at `index` of the default order (see the file header).
    static func scalar(atIndex index: Int64) -> Unicode.Scalar {
        if index < asciiOrder.count { return asciiOrder[Int(index)] }
        var code = UInt32(index - Int64(asciiOrder.count)) + 128
        if code >= 0xD800 { code += 0x800 }  // past the surrogates
        return Unicode.Scalar(code)!
    }

    /// Number of scalars of the default order up to and including `maxCodePoint`.
    static func scalarCount(maxCodePoint: UInt32) -> Int64 {
        if maxCodePoint < 128 { return Int64(maxCodePoint) + 1 }
        let clamped = Swift.min(maxCodePoint, 0x10FFFF)
        var count = Int64(clamped) + 1
        if clamped >= 0xD800 { count -= Int64(Swift.min(clamped, 0xDFFF) - 0xD800 + 1) }
        return count
    }

    /// Number of printable ASCII characters (alphanumerics first) at the
    /// start of the default order: all that come before the first control.
    static let printableASCIICount = Int64(asciiOrder.firstIndex(of: Unicode.Scalar(UInt8(0)))!)

    /// Characters made of one Unicode scalar with a code point up to
    /// `maxCodePoint` (default 0x10FFFF, Unicode's last, which is all of
    /// Unicode, and a value past it is a precondition failure; surrogate
    /// code points are never drawn), shrinking towards "0" in
    /// the order of the file header. With `maxCodePoint` below 128 the
    /// order keeps only the ASCII characters up to it.
    ///
    /// While searching, 15% of the characters repeat an integer drawn
    /// earlier in the example (another character, mostly: palindromes and
    /// repeated letters are hopeless to hit from 95 characters), 45% are
    /// printable ASCII (uniform over the first 95 of the order), 15% are any
    /// ASCII character (uniform over the first 128), and the other 25% come
    /// from the index's default
    /// distribution over the whole order (edge values, values related to
    /// earlier draws, growing bit widths), so control and non-ASCII
    /// characters still appear. This only changes which examples are tried:
    /// the choice, its shrinking, its replay and its byte format are those
    /// of the index.
    public static func characters(maxCodePoint: UInt32 = 0x10FFFF) -> Generator<Character> {
        // Refused, not clamped: a maximum past Unicode's is a mistake (a
        // digit too many), and taking it as all of Unicode hid it.
        precondition(maxCodePoint <= 0x10FFFF, "characters(maxCodePoint: 0x\(String(maxCodePoint, radix: 16, uppercase: true))): "
                     + "the maximum is past Unicode's last code point, 0x10FFFF")
        if maxCodePoint < 128 {
            let allowed = asciiOrder.filter { $0.value <= maxCodePoint }
            return element(of: allowed.map { Character($0) }).labeled("character")
        }
        let c = IntegerConstraints(min: 0, max: scalarCount(maxCodePoint: maxCodePoint) - 1)
        let ascii = Int64(asciiOrder.count)
        return Generator(label: "character") { tc in
            let index = try tc.drawIntegerOrDefault(c, random: { random, earlier in
                switch random.below(inclusive: 19) {
                case 0..<3 where !earlier.isEmpty:
                    let repeated = earlier[Int(random.below(inclusive: UInt64(earlier.count - 1)))]
                    if c.contains(repeated) { return repeated }
                    return Int64(random.below(inclusive: UInt64(printableASCIICount - 1)))
                case 0..<12: return Int64(random.below(inclusive: UInt64(printableASCIICount - 1)))
                case 12..<15: return Int64(random.below(inclusive: UInt64(ascii - 1)))
                default: return nil
                }
            })
            return Character(scalar(atIndex: index))
        }
    }

    /// Characters from `alphabet`, shrinking towards its first character.
    /// These are Swift `Character`s (grapheme clusters): `"\r\n"` in an
    /// alphabet is one character, not two; draw `Unicode.Scalar`s with
    /// `element(of:)` to get each scalar on its own.
    public static func characters(from alphabet: String) -> Generator<Character> {
        precondition(!alphabet.isEmpty, "characters(from:) needs a non-empty alphabet")
        return element(of: Array(alphabet)).labeled("character")
    }

    /// Strings of `characters` with a number of characters drawn in `count`;
    /// shrink towards "" and then towards "0"s. The drawn characters are
    /// joined, and a combining mark among them (U+0301, U+0F71, …) joins
    /// the character before it, so `String.count` can be below `count`
    /// (`"0"` and U+0F71 make one character): for an exact length count
    /// `unicodeScalars`, or draw from an alphabet without combining marks.
    public static func strings(of characters: Generator<Character> = Gen.characters(),
                               count: ClosedRange<Int> = 0...Int.max) -> Generator<String> {
        arrays(of: characters, count: count).map { String($0) }.labeled("string")
    }
}
