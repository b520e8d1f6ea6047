// throughput-inputs: writes the fixed inputs that Fuzz/throughput.sh times
// each fuzz target on: for every profile, seeded random traces of 45 to 55
// operations on arenas of 256 to 1,024 pages, as the targets' bytes. The same
// seed writes the same files, so two builds are timed on the same work.

import Foundation
import Harness
import PropertyTesting

@main
struct ThroughputInputs {
    static let usage = "usage: throughput-inputs DIRECTORY [--count N] [--seed S]"

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())[...]
        var directory: String?
        var count = 200
        var seed: UInt64 = 1
        while let argument = arguments.popFirst() {
            switch argument {
            case "--count":
                guard let n = arguments.popFirst().flatMap({ Int($0) }), n > 0 else { fail("--count needs a positive number") }
                count = n
            case "--seed":
                guard let s = arguments.popFirst().flatMap({ UInt64($0) }) else { fail("--seed needs a number") }
                seed = s
            case "-h", "--help":
                print(usage); exit(0)
            default:
                guard directory == nil, !argument.hasPrefix("-") else { fail("unexpected argument '\(argument)'") }
                directory = argument
            }
        }
        guard let directory else { fail("no output directory given") }
        let root = URL(fileURLWithPath: directory)
        for profile in Profile.all {
            let folder = root.appendingPathComponent(profile.name)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                fail("cannot create \(folder.path): \(error.localizedDescription)")
            }
            let generator = Trace.generator(profile, maxOperations: 55)
            var written = 0
            var operations = 0
            var index: UInt64 = 0
            while written < count {
                index += 1
                guard index < UInt64(count) * 100_000 else { fail("\(profile.name): too few traces of the wanted shape") }
                let source = RandomSource.derive(seed: seed, index: index)
                guard let trace = try? TestCase(seed: source).draw(generator),
                      (256...1024).contains(trace.arena.pageCount), (45...55).contains(trace.operations.count),
                      let bytes = try? trace.bytes(profile: profile) else { continue }
                written += 1
                operations += trace.operations.count
                let file = folder.appendingPathComponent(String(format: "input-%04d", written))
                do { try Data(bytes).write(to: file) } catch { fail("cannot write \(file.path): \(error.localizedDescription)") }
            }
            print("\(profile.name): \(written) inputs, \(Double(operations) / Double(written)) operations on average")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("throughput-inputs: \(message)\n\(usage)\n".utf8))
        exit(64)
    }
}
