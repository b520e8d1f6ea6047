// Where things live in an AllocCheck checkout, for the fuzzing subcommands.

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
    public func seeds(_ target: Profile) -> String { "\(root)/corpus/\(target.name)" }
    /// The campaign's working corpus (not committed).
    public func workingCorpus(_ target: Profile) -> String { "\(root)/.fuzz/\(target.name)/corpus" }
    /// Where libFuzzer writes crash files (not committed).
    public func artifacts(_ target: Profile) -> String { "\(root)/.fuzz/\(target.name)/artifacts" }
    /// Minimised crash cases, as text traces: committed, replayed by `swift test` and CI.
    public func regressions(_ target: Profile) -> String { "\(root)/Fuzz/crashes/\(target.name)" }
    public func dictionary(_ target: Profile) -> String { "\(root)/Fuzz/Dictionaries/\(target.name).dict" }
    public func binary(_ target: Profile, release: Bool) -> String {
        "\(root)/Fuzz/.build-fuzzer/\(release ? "release" : "debug")/\(target.name)"
    }
}

/// Creates `path` and its parents; fails with a one-line error.
public func makeDirectory(_ path: String) throws(ToolError) {
    do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
        throw ToolError("cannot create \(path): \(error.localizedDescription)")
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
