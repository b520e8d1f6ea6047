// Where things live in an AllocCheck checkout, for the fuzzing subcommands.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Harness

/// The checkout the command runs in and its fuzzing folders.
public struct Project: Sendable {
    public let root: String

    /// The nearest folder at or above `start` with `Package.swift` and `Fuzz/Package.swift`.
    public static func find(from start: String = FileManager.default.currentDirectoryPath) throws(ToolError) -> Project {
        var dir = URL(fileURLWithPath: start).standardizedFileURL.path
        while true {
            let fm = FileManager.default
            if fm.fileExists(atPath: dir + "/Package.swift"), fm.fileExists(atPath: dir + "/Fuzz/Package.swift") {
                return Project(root: dir)
            }
            guard dir != "/", let slash = dir.lastIndex(of: "/") else { break }
            dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
        }
        throw ToolError("no AllocCheck checkout here: no folder at or above \(start) has Package.swift and Fuzz/Package.swift")
    }

    /// The committed seed corpus: read, never written by a campaign.
    public func seeds(_ target: some FuzzTargetName) -> String { "\(root)/corpus/\(target.name)" }
    /// The campaign's working corpus (not committed).
    public func workingCorpus(_ target: some FuzzTargetName) -> String { "\(root)/.fuzz/\(target.name)/corpus" }
    /// Where libFuzzer writes crash files (not committed).
    public func artifacts(_ target: some FuzzTargetName) -> String { "\(root)/.fuzz/\(target.name)/artifacts" }
    /// Minimised crash cases, as text traces: committed, replayed by `swift test` and CI.
    public func regressions(_ target: some FuzzTargetName) -> String { "\(root)/Fuzz/crashes/\(target.name)" }
    public func dictionary(_ target: some FuzzTargetName) -> String { "\(root)/Fuzz/Dictionaries/\(target.name).dict" }
    public func binary(_ target: some FuzzTargetName, release: Bool) -> String {
        "\(root)/Fuzz/.build-fuzzer/\(release ? "release" : "debug")/\(target.name)"
    }
}

/// What names a fuzz target's folders and binary: a trace profile or any `FuzzTarget`.
public protocol FuzzTargetName: Sendable {
    var name: String { get }
}

extension Profile: FuzzTargetName {}

/// A libFuzzer target of `Fuzz/`: one per trace profile, whose inputs are
/// traces (replayed, shrunk and saved as regressions by the command), and two
/// that feed the invariant checkers and the property-testing engine any bytes.
public struct FuzzTarget: FuzzTargetName, Equatable {
    public let name: String
    /// The trace profile, or nil for a target whose inputs are not traces.
    public let profile: Profile?
    public let summary: String

    public static let checkers = FuzzTarget(name: "checkers", profile: nil,
                                            summary: "the invariant checkers on any snapshot the bytes describe")
    public static let decoding = FuzzTarget(name: "decoding", profile: nil,
                                            summary: "the property-testing engine decoding any bytes as generators draw them")
    /// Every target, in the order `Fuzz/build.sh` lists them.
    public static let all: [FuzzTarget] = Profile.all.map { profile in
        FuzzTarget(name: profile.name, profile: profile, summary: "traces of " + traceSummary(profile))
    } + [checkers, decoding]

    private static func traceSummary(_ profile: Profile) -> String {
        switch profile.name {
        case "pages": return "alloc_pages and free_pages, with their misuse"
        case "exact": return "alloc_pages_exact and free_pages_exact beside page blocks, with their misuse"
        case "slab": return "slab cache calls (create, alloc, free, shrink, destroy, validate), with their misuse"
        case "kmalloc": return "kmalloc, kfree and ksize, with their misuse"
        default: return "every operation of every layer"
        }
    }

    /// The target of that name; a usage error listing the targets otherwise.
    public static func named(_ name: String) throws(ToolError) -> FuzzTarget {
        guard let target = all.first(where: { $0.name == name }) else {
            throw ToolError("unknown target '\(name)'; targets: \(all.map(\.name).joined(separator: ", "))", exitCode: 64)
        }
        return target
    }
}

/// Creates `path` and its parents; fails with a one-line error that names
/// the reason (`Fuzz/crashes is a file, not a folder`, `Permission denied`).
public func makeDirectory(_ path: String) throws(ToolError) {
    var isDirectory = false
    if directoryExists(path, &isDirectory), isDirectory { return }
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
        prefix += "/" + component
        if directoryExists(prefix, &isDirectory) {
            guard isDirectory else { throw ToolError("cannot create \(path): \(prefix) is a file, not a folder") }
            continue
        }
        if mkdir(prefix, 0o755) != 0, errno != EEXIST {
            throw ToolError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// The regular files of a folder, sorted by name ([] when it does not exist).
public func files(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.sorted().filter { !$0.hasPrefix(".") }.map { "\(directory)/\($0)" }.filter {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
