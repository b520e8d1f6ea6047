// Reading what users hand the command: a byte input (a fuzzer's crash file,
// a corpus entry) or a text trace, told apart by content.
//
// Invariant: every problem is a `ToolError` with one line naming the file and
// what is wrong; nothing here crashes on any file content.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Harness

/// A problem with the user's input or environment: one line, and the exit status to use.
public struct ToolError: Error, CustomStringConvertible, Sendable {
    public let message: String
    /// 2: input that cannot be run (the command's convention; 1 means "ran and failed").
    public let exitCode: Int32
    /// The signal that stopped the command while a child ran (see `Interruption`), or nil.
    public let interruptedBy: Int32?

    public init(_ message: String, exitCode: Int32 = 2) {
        self.init(message, exitCode: exitCode, interruptedBy: nil)
    }

    init(_ message: String, exitCode: Int32, interruptedBy: Int32?) {
        self.message = message
        self.exitCode = exitCode
        self.interruptedBy = interruptedBy
    }

    public var description: String { message }
}

/// The largest input the command reads: more than any trace needs, small
/// enough that reading a wrong file stays harmless.
public let maximumInputBytes = 16 << 20

/// Reads a whole regular file.
public func readFile(_ path: String) throws(ToolError) -> [UInt8] {
    guard !path.isEmpty else { throw ToolError("an empty path, expected an input file") }
    var info = stat()
    guard stat(path, &info) == 0 else { throw ToolError("\(path): \(String(cString: strerror(errno)))") }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw ToolError("\(path): is \((info.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"), expected an input file")
    }
    guard Int(info.st_size) <= maximumInputBytes else {
        throw ToolError("\(path): \(info.st_size) bytes is larger than any input (at most \(maximumInputBytes) bytes)")
    }
    guard let file = fopen(path, "rb") else { throw ToolError("\(path): \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n > 0 { bytes += buffer[..<n] }
        if n < buffer.count {
            if ferror(file) != 0 { throw ToolError("\(path): read error") }
            break
        }
    }
    return bytes
}

/// Writes a file through a temporary name and a rename, so a failure never
/// leaves a half-written file and never touches the old one.
public func writeFile(_ path: String, _ bytes: [UInt8]) throws(ToolError) {
    let temporary = path + ".tmp-\(getpid())"
    guard let file = fopen(temporary, "wb") else { throw ToolError("cannot write \(path): \(String(cString: strerror(errno)))") }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, file) }
    let closed = fclose(file)
    guard written == bytes.count, closed == 0, rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw ToolError("cannot write \(path): \(reason)")
    }
}

/// An input file, decoded: a text trace when the file is readable text that
/// starts like one (after comments, an `arena` line), else bytes of `profile`.
public struct TraceInput: Sendable {
    public enum Form: String, Sendable { case text, bytes }
    public let path: String
    public let form: Form
    public let trace: Trace
    /// The bytes as given (for a byte input), or the trace's canonical bytes.
    public let bytes: [UInt8]
    public let profile: Profile
    /// For a text trace saved by `fuzz run` with a seeded defect switched on,
    /// that defect (its `# Found with ALLOCCHECK_DEFECT=<name>` line): the
    /// case fails only with it.
    public let foundWithDefect: String?

    /// Decodes `path` for `profile`: a text trace is encoded for it (and
    /// refused when it uses an operation the target does not have).
    public init(path: String, profile: Profile) throws(ToolError) {
        try self.init(path: path, content: try readFile(path)) { (_: Form) throws(ToolError) in profile }
    }

    /// Decodes `path` for the target named `target` (`--target`). Without
    /// one, a text trace is run as the mixed target, which has every
    /// operation (a trace belongs to no target), and a byte input as the
    /// target a folder of its real location names (`targetFolder(on:)`:
    /// links resolved, whatever folder the path is typed from), else the
    /// mixed target.
    public init(path: String, target: String?) throws(ToolError) {
        if let target {
            try self.init(path: path, profile: try AllocCheckTool.profile(named: target, forPath: path))
            return
        }
        try self.init(path: path, content: try readFile(path)) { form throws(ToolError) in
            guard form == .bytes else { return .mixed }
            // The robustness targets' inputs are not traces: decoded as one,
            // a crash of theirs would replay as some unrelated trace that passes.
            // The folder is looked for where the file really is, however its path is typed.
            if let folder = targetFolder(on: path), folder.profile == nil {
                throw ToolError("\(path): an input of the \(folder.name) target, which is not a trace; reproduce it with "
                                + "Fuzz/.build-fuzzer/release/\(folder.name) \(path) (\(Fuzzing.selfCommand) fuzz build \(folder.name) builds it), "
                                + "or give --target to read it as a trace")
            }
            return AllocCheckTool.profile(inferredFrom: path)
        }
    }

    private init(path: String, content: [UInt8], profile profileFor: (Form) throws(ToolError) -> Profile) throws(ToolError) {
        // An empty file is an empty byte input (the fuzz binary runs it as
        // the arena alone, and libFuzzer tries it first, so a crash file can
        // be empty), or an empty text trace when named `.trace` (below).
        // A trace saved as UTF-16 would otherwise be read as fuzzer bytes and
        // run as an unrelated trace.
        if content.starts(with: [0xFF, 0xFE]) || content.starts(with: [0xFE, 0xFF]) {
            throw ToolError("\(path): the file is UTF-16 text; a text trace must be UTF-8 (iconv -f UTF-16 -t UTF-8 converts it)")
        }
        self.path = path
        // A `.trace` file of blank lines alone is an empty text trace (the
        // parser names its missing arena line, as for one of comments alone),
        // not a file that fails to start like one.
        let blank = path.hasSuffix(".trace") && content.allSatisfy { [0x20, 0x09, 0x0D, 0x0A].contains($0) }
        if blank || Trace.isText(content) {
            let text = String(decoding: content, as: UTF8.self)
            do {
                trace = try Trace(parsing: text)
            } catch {
                throw ToolError("\(path):\(error.line):\(error.column): \(error.message)")
            }
            form = .text
            foundWithDefect = Self.defectLine(in: text)
            profile = try profileFor(.text)
            do { bytes = try trace.bytes(profile: profile) } catch {
                throw ToolError("\(path): cannot be an input of the \(profile.name) target: \(error)")
            }
        } else {
            // A file named as a text trace that does not start like one (a
            // `//` comment, a Markdown fence) would otherwise run as fuzzer
            // bytes, as some unrelated trace that passes.
            if path.hasSuffix(".trace") {
                let first = content.prefix { $0 != 0x0A }.prefix(60)
                let shown = first.allSatisfy { (0x20..<0x7F).contains($0) }
                    ? "line 1 is \"\(String(decoding: first, as: UTF8.self))\"" : "line 1 is not printable ASCII"
                throw ToolError("\(path): named .trace but not a text trace (\(shown)); a text trace starts with its `arena` "
                                + "line, after `#` comments; rename the file to read it as fuzzer bytes")
            }
            form = .bytes
            foundWithDefect = nil
            profile = try profileFor(.bytes)
            bytes = content
            trace = Trace.decode(content, profile: profile)
        }
    }
}

extension TraceInput {
    /// The defect a `# Found with ALLOCCHECK_DEFECT=<name>` comment line names.
    static func defectLine(in text: String) -> String? {
        let marker = "# Found with ALLOCCHECK_DEFECT="
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix(marker) {
            let name = line.dropFirst(marker.count).prefix { !$0.isWhitespace }
            if !name.isEmpty { return String(name) }
        }
        return nil
    }
}

/// Whether `path` exists; `isDirectory` says if it is a folder.
public func directoryExists(_ path: String, _ isDirectory: inout Bool) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
    return true
}
