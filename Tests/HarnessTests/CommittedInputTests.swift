#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Harness

/// Every committed input replays without libFuzzer and passes, judged after
/// every step: the seed corpora (`corpus/<target>/`), the readable scenarios
/// they are made from (`Fuzz/Scenarios/<target>/`), and every crash found
/// and fixed (`Fuzz/crashes/<target>/`, minimised, as readable text traces),
/// so a fixed bug stays
/// fixed in `swift test`, in debug and in release.
@Suite struct CommittedInputTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// The regular files in `directory`, sorted by name; [] when it does not exist.
    static func files(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var info = stat()
            if !name.hasPrefix("."), stat(directory + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                names.append(name)
            }
        }
        return names.sorted().map { directory + "/" + $0 }
    }

    static func contents(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let n = fread(&buffer, 1, buffer.count, file), n > 0 { bytes += buffer[..<n] }
        return bytes
    }

    @Test(arguments: Profile.all.map(\.name))
    func committedInputsPass(_ name: String) throws {
        let profile = Profile.named(name)!
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let seeds = Self.files(in: "\(Self.root)/corpus/\(name)")
        let scenarios = Self.files(in: "\(Self.root)/Fuzz/Scenarios/\(name)")
        let crashes = Self.files(in: "\(Self.root)/Fuzz/crashes/\(name)")
        #expect(!seeds.isEmpty && !scenarios.isEmpty, "no committed seeds or scenarios for \(name)")
        for path in seeds + crashes {
            let bytes = Self.contents(path)
            // Crash cases are kept as readable text traces; seeds are bytes.
            let trace = Trace.isText(bytes) ? try Trace(parsing: String(decoding: bytes, as: UTF8.self))
                : Trace.decode(bytes, profile: profile)
            if let failure = judge.check(trace) { Issue.record("\(path):\n\(failure.report(for: trace))") }
        }
        for path in scenarios {
            let trace = try Trace(parsing: String(decoding: Self.contents(path), as: UTF8.self))
            if let failure = judge.check(trace) { Issue.record("\(path):\n\(failure.report(for: trace))") }
        }
    }
}
