// make-corpus: turns the readable scenario traces in Fuzz/Scenarios/ into the
// fuzz targets' seed corpora (corpus/<target>/) and dictionaries
// (Fuzz/Dictionaries/<target>.dict), and writes the generated seeds of the
// robustness targets (corpus/checkers/, corpus/decoding/). Deterministic: CI regenerates both and
// fails if they differ from what is committed.
//
// Every scenario must parse, encode, decode back to itself under the profile
// of its folder, and pass the judge with full checks after every step; any
// that does not is reported with its file and line, and nothing is written.

import Foundation
import Harness
import RobustnessFuzzing

@main
struct MakeCorpus {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("-h") || arguments.contains("--help") || arguments.count > 1 {
            print("""
                usage: make-corpus [REPOSITORY]
                Reads Fuzz/Scenarios/<target>/*.trace under REPOSITORY (default: the current
                folder, or its parent when run inside Fuzz/) and rewrites corpus/<target>/
                and Fuzz/Dictionaries/<target>.dict.
                """)
            exit(arguments.count > 1 ? 64 : 0)
        }
        let root = repositoryRoot(arguments.first)
        do {
            let scenarios = try ScenarioSet.load(root: root)
            let seeds = scenarios.seedsByTarget()
            try CorpusWriter(root: root).write(seeds: seeds)
            let robustness = RobustnessSeeds.all()
            try CorpusWriter(root: root).write(robustnessSeeds: robustness)
            let dictionaries = try DictionaryEntries.build()
            try CorpusWriter(root: root).write(dictionaries: dictionaries)
            for profile in Profile.all {
                print("corpus/\(profile.name): \(seeds[profile.name]?.count ?? 0) seeds; "
                      + "Fuzz/Dictionaries/\(profile.name).dict: \(dictionaries[profile.name]?.count ?? 0) entries")
            }
            for (target, seeds) in robustness { print("corpus/\(target): \(seeds.count) seeds") }
        } catch let error as MakeCorpusError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("make-corpus: \(error)\n".utf8))
            exit(1)
        }
    }

    static func repositoryRoot(_ argument: String?) -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let argument { return URL(fileURLWithPath: argument, relativeTo: cwd).standardizedFileURL }
        if FileManager.default.fileExists(atPath: cwd.appendingPathComponent("Fuzz/Scenarios").path) { return cwd }
        return cwd.deletingLastPathComponent()
    }
}

/// Every problem found, one per line, `path:line: message` first.
struct MakeCorpusError: Error, CustomStringConvertible {
    var problems: [String]
    var description: String {
        problems.joined(separator: "\n") + "\nmake-corpus: \(problems.count) problem(s); nothing was written"
    }
}
