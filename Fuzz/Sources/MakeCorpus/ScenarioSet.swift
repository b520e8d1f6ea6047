// Loading and checking the scenario traces.

import Foundation
import Harness

/// One checked scenario: its trace and its bytes in the engine's format.
struct Scenario {
    /// `Fuzz/Scenarios/<folder>/<name>.trace`, relative to the repository.
    let path: String
    let name: String
    let trace: Trace
    /// The seed bytes of each target that can express the trace (its profile
    /// has every operation, and decodes the bytes back to the trace).
    let seeds: [String: [UInt8]]
}

struct ScenarioSet {
    let scenarios: [Scenario]

    /// Reads and checks every scenario; throws every problem at once.
    static func load(root: URL) throws -> ScenarioSet {
        let fm = FileManager.default
        let folder = root.appendingPathComponent("Fuzz/Scenarios")
        var problems: [String] = []
        var scenarios: [Scenario] = []
        var seen: [String: String] = [:]
        let judge = Judge<AllocCheckSubject>(configuration: .everyStep)
        let folders = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        for folderName in folders.sorted() where !folderName.hasPrefix(".") {
            guard let profile = Profile.named(folderName) else {
                problems.append("Fuzz/Scenarios/\(folderName): not a fuzz target's name "
                                + "(\(Profile.all.map(\.name).joined(separator: ", ")))")
                continue
            }
            let files = (try? fm.contentsOfDirectory(atPath: folder.appendingPathComponent(folderName).path)) ?? []
            for file in files.sorted() where file.hasSuffix(".trace") {
                let path = "Fuzz/Scenarios/\(folderName)/\(file)"
                let name = String(file.dropLast(".trace".count))
                if let other = seen[name] {
                    problems.append("\(path):1: the name `\(name)` is already used by \(other); seed files are named after scenarios")
                    continue
                }
                seen[name] = path
                guard let data = fm.contents(atPath: root.appendingPathComponent(path).path),
                      let text = String(data: data, encoding: .utf8) else {
                    problems.append("\(path):1: cannot read the file as UTF-8")
                    continue
                }
                switch check(text, path: path, name: name, profile: profile, judge: judge) {
                case .success(let scenario): scenarios.append(scenario)
                case .failure(let problem): problems.append(problem.message)
                }
            }
        }
        if scenarios.isEmpty && problems.isEmpty { problems.append("Fuzz/Scenarios: no scenario found") }
        for profile in Profile.all where !scenarios.contains(where: { $0.seeds[profile.name] != nil }) && problems.isEmpty {
            problems.append("Fuzz/Scenarios/\(profile.name): no scenario seeds the `\(profile.name)` target")
        }
        guard problems.isEmpty else { throw MakeCorpusError(problems: problems) }
        return ScenarioSet(scenarios: scenarios)
    }

    struct Problem: Error { let message: String }

    static func check(_ text: String, path: String, name: String, profile: Profile,
                      judge: Judge<AllocCheckSubject>) -> Result<Scenario, Problem> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The first non-blank line says what the scenario exercises.
        guard let first = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }),
              lines[first].drop(while: \.isWhitespace).hasPrefix("#") else {
            return .failure(Problem(message: "\(path):1: start with a `#` comment line saying what the scenario exercises"))
        }
        let trace: Trace
        do { trace = try Trace(parsing: text) } catch {
            return .failure(Problem(message: "\(path):\(error.line):\(error.column): \(error.message)"))
        }
        // Line numbers of the operation lines, in order (the arena line comes first).
        let statementLines = lines.indices.filter { i in
            let code = lines[i].split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return !code.allSatisfy(\.isWhitespace)
        }.map { $0 + 1 }
        /// Step 0 is the arena line; a step past the last (the final check) is the last line.
        func line(ofStep step: Int) -> Int {
            step >= 0 && step < statementLines.count ? statementLines[step] : (statementLines.last ?? 1)
        }
        // Bytes are per target: a tag byte is 1 + the operation's position in the profile's list.
        let bytes: [UInt8]
        do { bytes = try trace.bytes(profile: profile) } catch {
            return .failure(Problem(message: "\(path):\(line(ofStep: error.step)): the `\(profile.name)` target cannot "
                                    + "express this step: \(error.reason)"))
        }
        let decoded = Trace.decode(bytes, profile: profile)
        if decoded != trace {
            let step = zip(decoded.operations, trace.operations).enumerated().first { $1.0 != $1.1 }.map { $0.offset + 1 }
                ?? min(decoded.operations.count, trace.operations.count) + 1
            return .failure(Problem(message: "\(path):\(line(ofStep: step)): the `\(profile.name)` target does not "
                                    + "read this step back from the bytes; it reads:\n\(decoded.text)"))
        }
        if let failure = judge.check(trace) {
            let where_ = failure.step > trace.operations.count ? "after the last step" : "at step \(failure.step)"
            return .failure(Problem(message: "\(path):\(line(ofStep: failure.step)): fails the judge \(where_): "
                                    + "\(failure.summary)\n\(failure.report(for: trace))"))
        }
        // Every target that can express the scenario gets it as a seed, in its own bytes.
        var seeds: [String: [UInt8]] = [:]
        for other in Profile.all {
            guard let otherBytes = try? trace.bytes(profile: other), Trace.decode(otherBytes, profile: other) == trace else { continue }
            seeds[other.name] = otherBytes
        }
        return .success(Scenario(path: path, name: name, trace: trace, seeds: seeds))
    }

    /// Seed files per target: every scenario the target can express (the
    /// mixed target expresses them all).
    func seedsByTarget() -> [String: [(name: String, bytes: [UInt8])]] {
        var seeds: [String: [(name: String, bytes: [UInt8])]] = [:]
        for scenario in scenarios {
            for (target, bytes) in scenario.seeds { seeds[target, default: []].append((scenario.name, bytes)) }
        }
        return seeds
    }
}
