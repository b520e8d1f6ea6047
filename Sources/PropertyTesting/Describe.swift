// How a report describes a generated value.
//
// Invariant: the description is canonical — a function of the value alone,
// never of hash order or capacity. Sets and dictionaries, at any depth
// (inside tuples, arrays, optionals, structs, enums), print sorted: by
// element (key) order when the elements (keys) are Comparable, else by each
// element's own canonical description. Strings and characters print quoted
// and escaped as Swift writes them, wherever they appear. A user type that
// describes itself (CustomStringConvertible, CustomDebugStringConvertible,
// TextOutputStreamable) prints its own description, sets inside it included.

/// A set or dictionary whose elements (keys) can be sorted by their own order.
private protocol ComparableOrderedCollection {
    /// The elements (for a dictionary, its (key, value) pairs) in sorted order.
    var sortedEntries: [Any] { get }
}

extension Set: ComparableOrderedCollection where Element: Comparable {
    fileprivate var sortedEntries: [Any] { sorted().map { $0 as Any } }
}

extension Dictionary: ComparableOrderedCollection where Key: Comparable {
    fileprivate var sortedEntries: [Any] { sorted { $0.key < $1.key }.map { ($0.key, $0.value) as Any } }
}

/// The canonical description of `value` for a report (also the folder name
/// of a parameterized test's case whose argument holds a set or dictionary).
package func reportDescription(_ value: Any) -> String {
    var out = ""
    describe(value, into: &out)
    return out
}

private func describe(_ value: Any, into out: inout String) {
    switch value {
    case let s as String: out += quoted(s.unicodeScalars); return
    case let s as Substring: out += quoted(s.unicodeScalars); return
    case let c as Character: out += quoted(c.unicodeScalars); return
    case let c as Unicode.Scalar: out += quoted(String(c).unicodeScalars); return
    case let d as Double: out += describeFloat(d.isNaN, d.sign, String(reflecting: d)); return
    case let f as Float: out += describeFloat(f.isNaN, f.sign, String(reflecting: f)); return
    default: break
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .set?:
        let elements = (value as? ComparableOrderedCollection)?.sortedEntries.map(reportDescription)
            ?? mirror.children.map { reportDescription($0.value) }.sorted()
        out += "Set([" + elements.joined(separator: ", ") + "])"
        return
    case .dictionary?:
        let entries: [String]
        if let sorted = (value as? ComparableOrderedCollection)?.sortedEntries {
            entries = sorted.map(describeEntry)
        } else {
            // Sorted by the key's description, then the value's (distinct keys can print alike).
            entries = mirror.children.map { entry -> (String, String) in
                let pair = Array(Mirror(reflecting: entry.value).children)
                return (reportDescription(pair[0].value), reportDescription(pair[1].value))
            }.sorted { $0 < $1 }.map { "\($0.0): \($0.1)" }
        }
        out += entries.isEmpty ? "[:]" : "[" + entries.joined(separator: ", ") + "]"
        return
    default: break
    }
    // A type that describes itself prints its own description.
    if value is CustomStringConvertible || value is CustomDebugStringConvertible || value is TextOutputStreamable {
        switch mirror.displayStyle {
        case .collection?, .optional?, .tuple?: break  // the standard containers: recurse below
        default: out += String(describing: value); return
        }
    }
    switch mirror.displayStyle {
    case .collection?:
        out += "[" + mirror.children.map { reportDescription($0.value) }.joined(separator: ", ") + "]"
    case .optional?:
        if let some = mirror.children.first { out += "Optional(" + reportDescription(some.value) + ")" } else { out += "nil" }
    case .tuple?:
        out += "(" + labelled(mirror.children) + ")"
    case .struct?:
        out += String(describing: mirror.subjectType) + "(" + labelled(mirror.children) + ")"
    case .enum?:
        guard let payload = mirror.children.first else { out += String(describing: value); return }
        let inner = Mirror(reflecting: payload.value)
        let arguments = inner.displayStyle == .tuple ? labelled(inner.children) : reportDescription(payload.value)
        out += (payload.label ?? String(describing: value)) + "(" + arguments + ")"
    default:
        // Classes, metatypes and the rest: as Swift prints them.
        out += String(describing: value)
    }
}

/// Whether `value` holds a set or a dictionary, at most `depth` levels down:
/// Swift prints those in hash order, which changes from one process to the next.
package func containsHashOrdered(_ value: Any, depth: Int = 8) -> Bool {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .set || mirror.displayStyle == .dictionary { return true }
    guard depth > 0 else { return false }
    return mirror.children.contains { containsHashOrdered($0.value, depth: depth - 1) }
}

private func describeEntry(_ pair: Any) -> String {
    let children = Array(Mirror(reflecting: pair).children)
    return reportDescription(children[0].value) + ": " + reportDescription(children[1].value)
}

private func labelled(_ children: Mirror.Children) -> String {
    children.map { child in
        let label = child.label.flatMap { $0.hasPrefix(".") ? nil : $0 }
        return (label.map { $0 + ": " } ?? "") + reportDescription(child.value)
    }.joined(separator: ", ")
}

/// A NaN prints as a quiet `nan` whatever its payload: the payload of a
/// generated NaN is no part of the counterexample a reader can act on.
private func describeFloat(_ isNaN: Bool, _ sign: FloatingPointSign, _ reflected: String) -> String {
    isNaN ? (sign == .minus ? "-nan" : "nan") : reflected
}

/// Text as a Swift literal: quoted, with `\\`, `\"`, `\0`, `\t`, `\n`, `\r`
/// escaped as Swift writes them, and every scalar that would print as
/// nothing or as blank space (controls, format characters, separators
/// other than the space, private-use, unassigned and noncharacter code
/// points) as `\u{hex}`, so that no two different strings look alike.
private func quoted<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
    var out = "\""
    for scalar in scalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\0": out += "\\0"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case " ": out += " "
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse, .surrogate, .unassigned:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                if scalar.properties.isNoncharacterCodePoint {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }
    return out + "\""
}
