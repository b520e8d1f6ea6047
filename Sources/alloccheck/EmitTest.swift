import AllocCheck
import AllocCheckTool
import Foundation
import ArgumentParser
import Harness

struct EmitTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-test",
        abstract: "Write a Swift Testing regression test that replays a case.",
        discussion: "The test is named after what the case broke and is written into the test target folder you name: "
            + "Tests/<Target> of the package whose Package.swift is nearest above it, which must declare "
            + ".testTarget(name: \"<Target>\") depending on the Harness library; any other folder is refused. "
            + "It fails while the bug is there and passes once it is fixed.")

    @Argument(help: "A byte input or a text trace (shrink it first).") var file: String
    @Option(name: .customLong("into"), help: "The test target's folder, e.g. Tests/MyAllocatorTests.") var directory: String
    @OptionGroup var target: TargetOption

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let input = try TraceInput(path: file, target: target.target)
            // Refused before any work: a folder that is missing or cannot be
            // written in, or one no build compiles the test in (or where it
            // would not build): see `checkTestFolder`.
            try OutputPaths.checkFolder(directory, option: "--into", missing: "no such test target folder")
            try AllocCheckTool.EmitTest.checkTestFolder(directory)
            let (_, failure) = AllocCheckTool.Replay.run(input)
            // Only a defect of this build can be switched on to see the case fail.
            if let defect = input.foundWithDefect, AllocCheckSubject.defect?.rawValue != defect, Defect(rawValue: defect) != nil {
                printError("note: this case was found with ALLOCCHECK_DEFECT=\(defect) and passes without that defect, "
                           + "so the test is named as a passing case; with ALLOCCHECK_DEFECT=\(defect) it is named "
                           + "after the failure")
            }
            let (name, source) = AllocCheckTool.EmitTest.source(for: input.trace, failure: failure,
                                                                 defect: AllocCheckSubject.defect?.rawValue)
            let path = OutputPaths.withoutTrailingSlashes(directory) + "/" + name
            try OutputPaths.check(path, option: "--into", inputs: [file], replacing: true)
            // The name holds a hash of the trace: a file of that name is this
            // case's test, perhaps edited since, and is never replaced.
            if let existing = try? readFile(path) {
                guard existing != Array(source.utf8) else {
                    print("\(path) is already there, unchanged")
                    return 0
                }
                throw ToolError("\(path) exists and differs from the test emit-test writes (edited since?); "
                                + "it was left as it is: move it away to write it again")
            }
            try writeFile(path, Array(source.utf8))
            print("Wrote \(path)\(failure.map { " (replays: \($0.summary))" } ?? " (the case passes today)")")
            return 0
        }
    }
}
