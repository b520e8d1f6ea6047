// Saved regressions: one file per shrunk failure, replayed before any random
// example on the next run.
//
// Layout: `<directory>/<property name, sanitized>/<16 hex digits>.regression`,
// where the hex digits hash the example's bytes and the test that saved it
// (the same failure of one test is saved once). Each file starts with `#` comment lines saying what it is and that
// it belongs in version control, then one replay string.
//
// Invariants: files are written to a temporary name and renamed into place,
// so a crash never leaves a half-written case and never touches other cases;
// files are read in name order; a file that cannot be read or parsed is
// reported with its path and reason and skipped, never deleted; so is a
// folder that exists but cannot be listed, and anything named like a
// regression that is not a regular file (a FIFO would block the run). An
// empty directory path is refused rather than read as the filesystem root.
// A saved case whose replay no longer reads its choices as saved (the
// generator changed) is reported as stale, never passed over in silence.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with the regression directory or one of its files.
public enum RegressionError: Error, Equatable, CustomStringConvertible, Sendable {
    case unreadable(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// A saved case the property no longer reads as it was saved (its
    /// generator changed, another test saved it, or an older version of the
    /// library did): it ran another example, so it may no longer guard the
    /// failure it recorded. A warning: `propertyCheck` does not fail on it.
    case stale(path: String, reason: String)
    /// The regressions directory (or a property's folder in it) cannot be
    /// used at all: an empty path, a file where a folder should be, a folder
    /// that cannot be listed.
    case unusableDirectory(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): return "cannot read saved regression \(p): \(r)"
        case .corrupt(let p, let r): return "saved regression \(p) is corrupt: \(r)"
        case .unwritable(let p, let r): return "cannot save regression to \(p): \(r)"
        case .stale(let p, let r):
            return "saved regression \(p) was not read as it was saved (\(r)), so it checked another example and may "
                + "no longer guard the failure it records: the generator may have changed, or another property, test "
                + "case or older library version saved it; delete it if that failure is fixed or cannot happen"
        case .unusableDirectory(let p, let r): return "regressions directory '\(p)' cannot be used: \(r)"
        }
    }
}

/// One saved failing example.
public struct SavedRegression: Sendable, Equatable {
    public let path: String
    public let bytes: [UInt8]
    /// The test that saved it (`RegressionStore.owner`), when the file says.
    public var owner: String? = nil
}

/// A directory of saved regressions, meant to be committed.
public struct RegressionStore: Sendable {
    public let directory: String
    /// The case of a parameterized test (its arguments), or nil: each case
    /// keeps its own folder, `<property>/<case>`, so the cases of one test
    /// never replay each other's failures. Nil keeps `<property>` itself.
    public let testCase: String?
    /// The test that saves the cases (`Module.Suite/test()`), or nil. Two
    /// tests whose properties share a name (a `roundTrip()` in two suites of
    /// one folder) share a folder; each file records the test that saved it,
    /// so that a case another test saved, which may well read as another
    /// example here, is not reported as stale (it is still replayed: a
    /// renamed suite keeps its cases, and any failure is a failure).
    public let owner: String?

    public init(directory: String, testCase: String? = nil, owner: String? = nil) {
        self.directory = directory
        self.testCase = testCase
        self.owner = owner
    }

    static let ownerPrefix = "# test: "

    static let header = """
        # Saved counterexample of a property test (AllocCheck PropertyTesting).
        # It is replayed before any random example each time the property runs,
        # so the failure it records stays fixed. Commit this file to version
        # control; delete it only when the property no longer applies.
        """

    static let emptyPath = "the path is empty (it would name the filesystem root)"
    /// A saved case is one line; anything far larger is not one of ours.
    static let largestFile = 1 << 20

    /// Letters, digits, `-` and `_` only (so no name leads outside the directory), at most 80 of them.
    static func safeName(_ name: String) -> String {
        let safe = String(name.unicodeScalars.map { s -> Character in
            (s.properties.isAlphabetic && s.isASCII) || ("0"..."9").contains(s) || s == "-" || s == "_" ? Character(s) : "_"
        })
        return safe.isEmpty ? "_" : String(safe.prefix(80))
    }

    func folder(for property: String) -> String {
        let base = directory + "/" + Self.safeName(property)
        guard let testCase else { return base }
        // A case whose name the folder does not spell exactly (characters
        // replaced, or cut at 80) gets a hash of the whole name, so two
        // cases never share a folder by their names' shape.
        let safe = Self.safeName(testCase)
        guard safe != testCase else { return base + "/" + safe }
        let hex = String(fnv1a(testCase.utf8) >> 32, radix: 16)
        return base + "/" + String(safe.prefix(70)) + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Saved cases for `property`, in file-name order, plus the files that could not be used.
    /// A folder that does not exist yet is no problem (nothing was saved);
    /// one that exists but cannot be listed, or is not a folder, is reported.
    public func load(property: String) -> (cases: [SavedRegression], problems: [RegressionError]) {
        guard !directory.isEmpty else { return ([], [.unusableDirectory(path: "", reason: Self.emptyPath)]) }
        let dir = folder(for: property)
        let listing = POSIXFiles.listDirectory(dir)
        guard let names = listing.names else {
            if listing.error == ENOENT { return ([], []) }
            return ([], [.unusableDirectory(path: dir, reason: String(cString: strerror(listing.error)))])
        }
        var cases: [SavedRegression] = [], problems: [RegressionError] = []
        for name in names.sorted() where name.hasSuffix(".regression") {
            let path = dir + "/" + name
            let read = POSIXFiles.readRegularFile(path, limit: Self.largestFile)
            guard let text = read.text else {
                problems.append(.unreadable(path: path, reason: read.reason ?? "unknown error"))
                continue
            }
            // Line ends of any platform, and a byte-order mark, as editors and
            // git's autocrlf leave them ("\r\n" is one Character).
            let all = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
                .map { $0.first == "\u{FEFF}" ? $0.dropFirst() : $0 }
                .map { String($0).trimmingWhitespace() }
            let saver = all.first { $0.hasPrefix(Self.ownerPrefix) }.map { String($0.dropFirst(Self.ownerPrefix.count)) }
            let lines = all.filter { !$0.isEmpty && !$0.hasPrefix("#") }
            guard lines.count == 1 else {
                problems.append(.corrupt(path: path, reason: "expected one replay string line, found \(lines.count)"))
                continue
            }
            do {
                cases.append(SavedRegression(path: path, bytes: try ReplayString.decode(lines[0]), owner: saver))
            } catch {
                problems.append(.corrupt(path: path, reason: error.description))
            }
        }
        return (cases, problems)
    }

    /// Saves a failing example; returns the file's path. Saving the same bytes twice keeps one file.
    @discardableResult
    public func save(property: String, bytes: [UInt8], counterexample: String) throws(RegressionError) -> String {
        guard !directory.isEmpty else { throw .unusableDirectory(path: "", reason: Self.emptyPath) }
        let dir = folder(for: property)
        try POSIXFiles.makeDirectories(dir)
        // Named by the bytes, and by the owner when there is one: two tests'
        // same failure are two files. One saved before owners were recorded
        // (named by the bytes alone) is that case already: left as it is.
        func file(_ hash: UInt64) -> String {
            let hex = String(hash, radix: 16)
            return dir + "/" + String(repeating: "0", count: 16 - hex.count) + hex + ".regression"
        }
        if owner != nil, case let older = file(fnv1a(bytes)), POSIXFiles.readRegularFile(older, limit: Self.largestFile).text != nil {
            return older
        }
        let path = file(fnv1a(owner.map { Array($0.utf8) + [0] + bytes } ?? bytes))
        let summary = counterexample.split(separator: "\n").joined(separator: " ")
        let saver = owner.map { Self.ownerPrefix + $0.split(separator: "\n").joined(separator: " ") + "\n" } ?? ""
        let text = RegressionStore.header + "\n# property: \(property)\n" + saver + "# counterexample: \(summary.prefix(300))\n"
            + ReplayString.encode(bytes) + "\n"
        // The same case saved again (a replayed regression that still fails)
        // is left as it is: no write, so a read-only checkout reports nothing.
        if POSIXFiles.readRegularFile(path, limit: Self.largestFile).text != text {
            try POSIXFiles.writeAtomically(text, to: path)
        }
        return path
    }
}

/// The few file operations the store needs, on POSIX calls.
enum POSIXFiles {
    static func lastError() -> String { String(cString: strerror(errno)) }

    /// The names in `dir`, or nil and the reason (`errno`).
    static func listDirectory(_ dir: String) -> (names: [String]?, error: Int32) {
        guard let handle = opendir(dir) else { return (nil, errno) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return (names, 0)
    }

    static func readFile(_ path: String) -> String? { readRegularFile(path, limit: Int.max).text }

    /// The text of a regular file of at most `limit` bytes, or nil and why.
    /// Opened without blocking and checked with `fstat` before any read, so a
    /// FIFO or device named like a regression is reported, not waited on.
    static func readRegularFile(_ path: String, limit: Int) -> (text: String?, reason: String?) {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return (nil, lastError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return (nil, lastError()) }
        guard info.st_mode & S_IFMT == S_IFREG else { return (nil, "not a regular file") }
        guard Int(info.st_size) <= limit else { return (nil, "larger than \(limit) bytes, not a saved regression") }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return (nil, lastError()) }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if data.count > limit { return (nil, "larger than \(limit) bytes, not a saved regression") }
        }
        return (String(decoding: data, as: UTF8.self), nil)
    }

    static func makeDirectories(_ path: String) throws(RegressionError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 {
                guard errno == EEXIST else { throw .unwritable(path: current, reason: lastError()) }
                // Something is there already: it must be a folder (stat follows links to one).
                var info = stat()
                guard stat(current, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                    throw .unusableDirectory(path: current, reason: "it exists and is not a directory")
                }
            }
        }
    }

    static func writeAtomically(_ text: String, to path: String) throws(RegressionError) {
        // Unique per write: tests running in parallel in one process may save
        // the same case at once, and a shared name would let one rename take
        // the other's file.
        let temporary = path + ".tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        // O_NOFOLLOW: a link planted under the temporary name must not redirect the write elsewhere.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw .unwritable(path: path, reason: lastError()) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                let reason = lastError()
                close(fd)
                unlink(temporary)
                throw .unwritable(path: path, reason: reason)
            }
            written += n
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let reason = lastError()
            unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
    }
}

/// The 64-bit FNV-1a hash of `bytes`: stable across processes and
/// platforms (unlike `Hasher`), for names and seeds that must not change.
func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
    return hash
}
