// The files and folders a subcommand writes: checked before any work and
// never the input (libFuzzer's minimisers in Fuzzing.swift replace an output
// only with a result their run made).
//
// Invariant: every problem is a `ToolError` (exit status 2) with one line
// naming the option and the path; a check that passes leaves the file system
// as it was.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

public enum OutputPaths {
    /// Refuses, in one line naming `option` and `path`, an output file that
    /// `writeFile` could not write or must not write: an empty path, a
    /// folder, something other than a regular file, a path in a folder that
    /// does not exist or cannot be written (`writeFile` writes a temporary
    /// file beside it and renames it), one of `inputs` itself (the same
    /// file, through any link), or, unless `replacing`, a file that exists
    /// and holds anything (a saved case, a report, a trace: replaced only
    /// when the user asks, with `--force`), or a file in a checkout's
    /// committed seed corpus (`corpus/`), which make-corpus rebuilds.
    public static func check(_ path: String, option: String, inputs: [String] = [], replacing: Bool = false) throws(ToolError) {
        func refuse(_ problem: String) -> ToolError { ToolError("\(option) \(path): \(problem)", exitCode: 2) }
        guard !path.isEmpty else { throw ToolError("\(option): an empty path", exitCode: 2) }
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw refuse("is a directory, expected a file name") }
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw refuse("exists and is not a regular file") }
            for input in inputs where sameFile(path, input) {
                throw refuse("is the input \(input) itself; writing it would destroy the input (choose another name)")
            }
            if !replacing && info.st_size > 0 {
                throw refuse("exists, and nothing is written over it; give --force to replace it, or choose another name")
            }
        } else if path.hasSuffix("/") {
            throw refuse("names a folder, expected a file name")
        }
        let folder = parent(of: path)
        guard stat(folder, &info) == 0 else { throw refuse("no folder \(folder) to write it in") }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw refuse("\(folder) is not a folder") }
        // make-corpus rebuilds a checkout's seed corpus from Fuzz/Scenarios
        // and deletes whatever else is there: a result written there (a
        // shrunk crash beside the seed it came from) would be lost.
        let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        if let project = try? Project.find(from: real) {
            let seeds = URL(fileURLWithPath: project.root + "/corpus").resolvingSymlinksInPath().path
            if real == seeds || real.hasPrefix(seeds + "/") {
                throw refuse("is in the committed seed corpus, which make-corpus rebuilds from Fuzz/Scenarios, deleting "
                             + "anything else there; choose a path outside corpus/" + (option == "the default output" ? " with -o" : ""))
            }
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw refuse("cannot write in the folder \(folder): \(String(cString: strerror(errno)))")
        }
        // Permissions alone can allow what the file system refuses (a
        // read-only mount, /proc): a file is created there and removed.
        let probe = folder + "/.alloccheck-probe-\(getpid())"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw refuse("cannot write in the folder \(folder): \(String(cString: strerror(errno)))") }
        close(descriptor)
        unlink(probe)
    }

    /// Refuses a folder the command writes files into (`emit-test --into`):
    /// it must exist, be a folder and be writable.
    public static func checkFolder(_ path: String, option: String, missing: String = "no such folder") throws(ToolError) {
        var isDirectory = false
        guard !path.isEmpty, directoryExists(path, &isDirectory) else { throw ToolError("\(option) \(path): \(missing)", exitCode: 2) }
        guard isDirectory else { throw ToolError("\(option) \(path): is not a folder", exitCode: 2) }
        guard access(path, W_OK | X_OK) == 0 else {
            throw ToolError("\(option) \(path): cannot write in it: \(String(cString: strerror(errno)))", exitCode: 2)
        }
    }

    /// Whether `a` and `b` are the same existing file (device and inode, so
    /// through symbolic and hard links alike).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// The folder `path` is in: `.` for a bare name, `/` for a name at the root.
    public static func parent(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let folder = trimmed[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    /// `path` without trailing slashes (`corpus/` -> `corpus`; `/` stays `/`).
    public static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// A name beside `path` for a file that becomes `path` only on success.
    public static func temporary(beside path: String, _ purpose: String) -> String {
        let folder = parent(of: path)
        let name = withoutTrailingSlashes(path).split(separator: "/").last.map(String.init) ?? "output"
        return (folder == "/" ? "" : folder) + "/.\(name).\(purpose)-\(getpid())"
    }
}
