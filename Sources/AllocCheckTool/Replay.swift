// `replay` and `fmt`: an input run outside the fuzzer, and its readable form.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AllocCheck
import Foundation
import Harness

/// The target (profile) a byte input belongs to: the one named, else the
/// one whose name is a folder of the input's real location
/// (`artifacts/slab/crash-1`, see `targetFolder(on:)`), else the mixed
/// target, which holds every operation.
public func profile(named name: String?, forPath path: String) throws(ToolError) -> Profile {
    if let name {
        guard let profile = Profile.named(name) else {
            let traces = Profile.all.map(\.name).joined(separator: ", ")
            // A robustness target is a fuzz target too, but its inputs are not traces.
            if let target = try? FuzzTarget.named(name), target.profile == nil {
                throw ToolError("--target \(name): the \(name) fuzz target's inputs are not traces (its own binary runs them: "
                                + "Fuzz/.build-fuzzer/release/\(name) FILE); --target takes a trace target: \(traces)", exitCode: 64)
            }
            throw ToolError("unknown target '\(name)'; targets: \(traces)", exitCode: 64)
        }
        return profile
    }
    return profile(inferredFrom: path)
}

/// The target a folder of `path`'s real location names (the nearest to the
/// file), else the mixed target: `.fuzz/slab/artifacts/crash-…` is a slab
/// input, however the path is spelled (see `targetFolder(on:)`).
public func profile(inferredFrom path: String) -> Profile {
    targetFolder(on: path)?.profile ?? .mixed
}

/// The fuzz target the nearest folder of `path`'s real location names
/// (`.fuzz/slab/artifacts/crash-…` names slab), if any. The path is first
/// made absolute with `.`, `..` and symbolic links resolved
/// (`realLocation(of:)`): the file is where it is, so `crash-1` typed
/// inside `.fuzz/slab/artifacts` names slab as its full path does, and
/// `slab/../case` names no folder; nor does a folder above the checkout
/// (a folder holding `Package.swift` and `Fuzz/Package.swift`) the file
/// lies in. With `followingLastLink` false the last
/// component is not followed (an output, which is replaced, not written
/// through).
public func targetFolder(on path: String, followingLastLink: Bool = true) -> FuzzTarget? {
    var folders: [Substring] = []
    for component in realLocation(of: path, followingLastLink: followingLastLink).split(separator: "/").dropLast() {
        if component == "." { continue }
        if component == "..", let last = folders.last, last != ".." { folders.removeLast(); continue }
        folders.append(component)
    }
    // Folders above the checkout the file lies in name no target: a checkout
    // kept under a folder called `pages` does not make every byte file in it
    // an input of pages.
    var below = folders.startIndex
    if !folders.contains(".."), let checkout = try? Project.find(from: "/" + folders.joined(separator: "/")) {
        below = Swift.min(folders.count, checkout.root.split(separator: "/").count)
    }
    for folder in folders[below...].reversed() {
        if let target = FuzzTarget.all.first(where: { $0.name == folder }) { return target }
    }
    return nil
}

/// `path` as an absolute path with symbolic links resolved (`realpath`).
/// A path that does not exist is resolved as far as its folder exists,
/// and failing that made absolute against the current folder as typed (so
/// the caller still meets `.` and `..`). With `followingLastLink` false only
/// the folder is resolved and the last component is kept.
public func realLocation(of path: String, followingLastLink: Bool = true) -> String {
    func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
    if followingLastLink, let real = resolved(path) { return real }
    let trimmed = OutputPaths.withoutTrailingSlashes(path)
    let name = trimmed.split(separator: "/").last.map(String.init) ?? ""
    if name != ".", name != "..", !name.isEmpty, let folder = resolved(OutputPaths.parent(of: trimmed)) {
        return (folder == "/" ? "" : folder) + "/" + name
    }
    if path.hasPrefix("/") { return path }
    return FileManager.default.currentDirectoryPath + "/" + path
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
        var notice = defectNotice.map { $0 + "\n\n" } ?? ""
        // A file that is not a text trace is fuzzer bytes, whatever it holds:
        // said first, so that a wrong file is not taken for a passing trace.
        if input.form == .bytes {
            notice = "\(input.path): \(counted(input.bytes.count, "byte")), not a text trace: decoded as an input of the "
                + "\(input.profile.name) target\n\n" + notice
        }
        if let failure = judge.check(input.trace) {
            return (notice + failure.report(for: input.trace), failure)
        }
        let steps = input.trace.operations.count
        let lines = input.trace.lines.map { "    " + $0 } + [
            "",
            "passed: \(steps) step\(steps == 1 ? "" : "s"), every prediction and invariant held after each "
                + "(\(judge.misuseRun) misuse refused as predicted, \(judge.misuseSkipped) not applicable)",
        ]
        var report = notice + lines.joined(separator: "\n")
        if let note = defectNote(input, rerunning: "replay", "shows it failing") { report += "\nnote: " + note }
        return (report, nil)
    }

    /// For a defect demonstration that passed on the correct core (its
    /// header names the defect it was found with, not the one on): how to
    /// see it fail, with the `subcommand` rerun under that defect (`what`
    /// the rerun does), or that the header names no defect, as a clause
    /// (no "note:", no full stop). Nil otherwise.
    public static func defectNote(_ input: TraceInput, rerunning subcommand: String, _ what: String) -> String? {
        guard let defect = input.foundWithDefect, AllocCheckSubject.defect?.rawValue != defect else { return nil }
        // A command that runs (an unknown name would stop it).
        guard Defect(rawValue: defect) != nil else {
            return "its header says it was found with ALLOCCHECK_DEFECT=\(defect), which names no "
                + "defect (\(Fuzzing.selfCommand) defects --list lists them)"
        }
        return "this case was found with ALLOCCHECK_DEFECT=\(defect) and passes without that defect; "
            + "ALLOCCHECK_DEFECT=\(defect) \(Fuzzing.selfCommand) \(subcommand) \(Fuzzing.shellWord(input.path)) \(what)"
    }

    /// The readable trace of an input, with where it came from.
    public static func format(_ input: TraceInput) -> String {
        var header = "# \(input.path): "
        switch input.form {
        case .text: header += "a text trace"
        case .bytes: header += "\(input.bytes.count) bytes, decoded for the \(input.profile.name) target"
        }
        header += ", " + counted(input.trace.operations.count, "operation")
        return header + "\n" + input.trace.text
    }
}
