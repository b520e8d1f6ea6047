// `replay` and `fmt`: an input run outside the fuzzer, and its readable form.

import Harness

/// The target (profile) a byte input belongs to: the one named, else the
/// one whose name is a folder on the input's path (`artifacts/slab/crash-1`),
/// else the mixed target, which holds every operation.
public func profile(named name: String?, forPath path: String) throws(ToolError) -> Profile {
    if let name {
        guard let profile = Profile.named(name) else {
            throw ToolError("unknown target '\(name)'; targets: \(Profile.all.map(\.name).joined(separator: ", "))", exitCode: 64)
        }
        return profile
    }
    let folders = path.split(separator: "/").dropLast().map(String.init)
    for folder in folders.reversed() { if let profile = Profile.named(folder) { return profile } }
    return .mixed
}

/// A line saying which seeded defect is switched on (`ALLOCCHECK_DEFECT`), or nil.
public var defectNotice: String? {
    AllocCheckSubject.defect.map { "defect switched on: \($0.rawValue) (ALLOCCHECK_DEFECT) — \($0.story)" }
}

public enum Replay {
    /// Runs the input judged after every step. The report shows the trace with
    /// the failing step marked, what broke and the allocator's state there.
    public static func run(_ input: TraceInput) -> (report: String, failure: TraceFailure?) {
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let notice = defectNotice.map { $0 + "\n\n" } ?? ""
        if let failure = judge.check(input.trace) {
            return (notice + failure.report(for: input.trace), failure)
        }
        let steps = input.trace.operations.count
        let lines = input.trace.lines.map { "    " + $0 } + [
            "",
            "passed: \(steps) step\(steps == 1 ? "" : "s"), every prediction and invariant held after each "
                + "(\(judge.misuseRun) misuse refused as predicted, \(judge.misuseSkipped) not applicable)",
        ]
        return (notice + lines.joined(separator: "\n"), nil)
    }

    /// The readable trace of an input, with where it came from.
    public static func format(_ input: TraceInput) -> String {
        var header = "# \(input.path): "
        switch input.form {
        case .text: header += "a text trace"
        case .bytes: header += "\(input.bytes.count) bytes, decoded for the \(input.profile.name) target"
        }
        header += ", \(input.trace.operations.count) operations"
        return header + "\n" + input.trace.text
    }
}
