// The files and folders a subcommand writes: checked before any work, never
// the input, and replaced only by a result this run made.
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
    /// file beside it and renames it), or one of `inputs` itself (the same
    /// file, through any link).
    public static func check(_ path: String, option: String, inputs: [String] = []) throws(ToolError) {
        func refuse(_ problem: String) -> ToolError { ToolError("\(option) \(path): \(problem)", exitCode: 2) }
        guard !path.isEmpty else { throw ToolError("\(option): an empty path", exitCode: 2) }
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw refuse("is a directory, expected a file name") }
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw refuse("exists and is not a regular file") }
            for input in inputs where sameFile(path, input) {
                throw refuse("is the input \(input) itself; writing it would destroy the input (choose another name)")
            }
        } else if path.hasSuffix("/") {
            throw refuse("names a folder, expected a file name")
        }
        let folder = parent(of: path)
        guard stat(folder, &info) == 0 else { throw refuse("no folder \(folder) to write it in") }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw refuse("\(folder) is not a folder") }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw refuse("cannot write in the folder \(folder): \(String(cString: strerror(errno)))")
        }
    }

    /// Refuses a folder the command writes files into (`emit-test --into`):
    /// it must exist, be a folder and be writable.
    public static func checkFolder(_ path: String, option: String, missing: String = "no such folder") throws(ToolError) {
        var info = stat()
        guard !path.isEmpty, stat(path, &info) == 0 else { throw ToolError("\(option) \(path): \(missing)", exitCode: 2) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw ToolError("\(option) \(path): is not a folder", exitCode: 2) }
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
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
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
    static func temporary(beside path: String, _ purpose: String) -> String {
        let folder = parent(of: path)
        let name = withoutTrailingSlashes(path).split(separator: "/").last.map(String.init) ?? "output"
        return (folder == "/" ? "" : folder) + "/.\(name).\(purpose)-\(getpid())"
    }

    // MARK: libFuzzer's minimisers

    /// libFuzzer's `-minimize_crash=1` on a crash file (`environment` added to
    /// `Fuzzing.environment`: a defect to switch on, say). libFuzzer writes
    /// to a fresh temporary file beside `output` that is renamed onto
    /// `output` only when this run produced it: an older result at `output`
    /// is neither reported as this run's nor destroyed when the run produces
    /// nothing (the input no longer crashes, say). Nil when libFuzzer wrote nothing.
    public static func libFuzzerMinimize(_ exe: String, input: String, output: String, runs: Int, seconds: Int,
                                         environment: [String: String] = [:],
                                         log: (String) -> Void) throws(ToolError) -> [UInt8]? {
        let temporary = temporary(beside: output, "minimize")
        unlink(temporary)
        defer { unlink(temporary) }
        let status = try runProcess(exe, ["-minimize_crash=1", "-runs=\(runs)", "-max_total_time=\(seconds)",
                                          "-exact_artifact_path=\(temporary)", input],
                                    environment: Fuzzing.environment.merging(environment) { $1 }, line: log)
        _ = status  // libFuzzer exits non-zero in this mode; the file is what counts.
        guard FileManager.default.fileExists(atPath: temporary), let bytes = try? readFile(temporary) else { return nil }
        guard rename(temporary, output) == 0 else {
            throw ToolError("cannot write \(output): \(String(cString: strerror(errno)))")
        }
        return bytes
    }

    /// libFuzzer's corpus minimiser (`-merge=1`) on the folder `corpus`
    /// (trailing slashes ignored): merged into a new folder beside it, which
    /// replaces the old one only once complete. Whatever fails, nothing is
    /// left behind but the corpus, and the error says where it is.
    public static func cmin(_ exe: String, corpus given: String, log: (String) -> Void) throws(ToolError) -> (before: Int, after: Int) {
        let corpus = withoutTrailingSlashes(given)
        var info = stat()
        guard stat(corpus, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ToolError("\(given): no such corpus folder")
        }
        let name = corpus.split(separator: "/").last.map(String.init) ?? ""
        guard corpus != "/", name != ".", name != ".." else {
            throw ToolError("\(given): name the corpus folder by its own name (cmin replaces the folder)")
        }
        let before = files(in: corpus).count
        let fresh = corpus + ".cmin-new", old = corpus + ".cmin-old"
        removeTree(fresh)
        try makeDirectory(fresh)
        let status: Int32
        do { status = try runProcess(exe, ["-merge=1", fresh, corpus], environment: Fuzzing.environment, line: log) } catch {
            removeTree(fresh)
            throw error
        }
        guard status == 0 else {
            removeTree(fresh)
            throw ToolError("libFuzzer's merge failed (status \(status)); the corpus \(corpus) is unchanged", exitCode: 1)
        }
        removeTree(old)
        guard rename(corpus, old) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTree(fresh)
            throw ToolError("cannot swap in the minimised corpus (moving \(corpus) aside: \(reason)); the corpus \(corpus) is unchanged")
        }
        guard rename(fresh, corpus) == 0 else {
            let reason = String(cString: strerror(errno))
            if rename(old, corpus) == 0 {
                removeTree(fresh)
                throw ToolError("cannot swap in the minimised corpus (\(reason)); the corpus \(corpus) is unchanged")
            }
            throw ToolError("cannot swap in the minimised corpus (\(reason)); the old corpus is in \(old), the new one in \(fresh)")
        }
        removeTree(old)
        return (before, files(in: corpus).count)
    }

    private static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
