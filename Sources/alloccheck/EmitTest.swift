import AllocCheckTool
import ArgumentParser
import Harness

struct EmitTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-test",
        abstract: "Write a Swift Testing regression test that replays a case.",
        discussion: "The test is named after what the case broke and is written into the test target folder you name "
            + "(its target must depend on the Harness library). It fails while the bug is there and passes once it is fixed.")

    @Argument(help: "A byte input or a text trace (shrink it first).") var file: String
    @Option(name: .customLong("into"), help: "The test target's folder, e.g. Tests/MyAllocatorTests.") var directory: String
    @OptionGroup var target: TargetOption

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let input = try TraceInput(path: file, target: target.target)
            // Refused before any work: a folder that is missing or cannot be written in.
            try OutputPaths.checkFolder(directory, option: "--into", missing: "no such test target folder")
            let (_, failure) = AllocCheckTool.Replay.run(input)
            let (name, source) = AllocCheckTool.EmitTest.source(for: input.trace, failure: failure)
            let path = OutputPaths.withoutTrailingSlashes(directory) + "/" + name
            try OutputPaths.check(path, option: "--into", inputs: [file])
            try writeFile(path, Array(source.utf8))
            print("Wrote \(path)\(failure.map { " (replays: \($0.summary))" } ?? " (the case passes today)")")
            return 0
        }
    }
}
