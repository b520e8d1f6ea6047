// Statistics of a run: how often each user label appeared, and discards.
//
// Invariant: output order is sorted by label, never hash order.

public struct Statistics: Sendable, CustomStringConvertible {
    /// Examples that ran the body to a pass.
    public internal(set) var examples = 0
    /// Examples rejected by a filter or an assumption, or too large.
    public internal(set) var discarded = 0
    /// Per label, the number of passing examples that drew it at least once. Sorted by label.
    public internal(set) var labelCounts: [(label: String, examples: Int)] = []

    /// Labels the built-in generators use; only other labels are reported.
    static let builtIn: Set<String> = [
        "integer", "boolean", "bytes", "array", "array.element", "element", "tuple", "oneOf",
        "weighted", "optional", "none", "just", "lazy", "custom", "recursive", "state-machine.step",
        "state-machine.initialize", "double", "float", "character", "string", "set", "dictionary", "case",
    ]

    static func isUserLabel(_ label: String) -> Bool {
        !builtIn.contains(label) && !label.hasSuffix(".filter") && !label.hasSuffix(".bind")
    }

    mutating func record(labels: [String]) {
        examples += 1
        var distinct = labels.filter(Statistics.isUserLabel)
        distinct.sort()
        var previous: String?
        for label in distinct where label != previous {
            previous = label
            if let k = labelCounts.firstIndex(where: { $0.label == label }) {
                labelCounts[k].examples += 1
            } else {
                labelCounts.append((label, 1))
                labelCounts.sort { $0.label < $1.label }
            }
        }
    }

    /// The share (0...1) of passing examples that drew `label`.
    public func share(of label: String) -> Double {
        guard examples > 0, let k = labelCounts.firstIndex(where: { $0.label == label }) else { return 0 }
        return Double(labelCounts[k].examples) / Double(examples)
    }

    public var description: String {
        var lines = ["\(examples) passing examples, \(discarded) discarded"]
        for (label, n) in labelCounts {
            let percent = examples == 0 ? 0 : (Double(n) * 1000 / Double(examples)).rounded() / 10
            lines.append("  \(label): \(percent)% (\(n))")
        }
        return lines.joined(separator: "\n")
    }
}
