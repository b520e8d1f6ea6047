import AllocCheckTool
import ArgumentParser

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a byte input or a text trace outside the fuzzer, judged after every step.",
        discussion: "Prints the trace with the failing step marked, what broke and buddyinfo/slabinfo at that step. "
            + "Exit status: 0 when it passes, 1 when it fails, 2 when it cannot be run.")

    @Argument(help: "A crash file, a corpus entry, or a text trace.") var file: String
    @OptionGroup var target: TargetOption

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let input = try TraceInput(path: file, target: target.target)
            let (report, failure) = AllocCheckTool.Replay.run(input)
            print(report)
            return failure == nil ? 0 : 1
        }
    }
}

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the readable trace of an input, or write a text trace as a fuzz input.")

    @Argument(help: "A byte input or a text trace.") var file: String
    @OptionGroup var target: TargetOption
    @Option(help: "Also write the trace's bytes (a fuzz input of the target) to this file.") var bytes: String?
    @Flag(help: "Replace an output file that exists.") var force = false

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let input = try TraceInput(path: file, target: target.target)
            // Refused before anything is printed: never the input itself (a text trace would become bytes).
            if let bytes {
                try OutputPaths.check(bytes, option: "--bytes", inputs: [file], replacing: force)
                // Every subcommand reads a `.trace` file as text and refuses bytes there.
                if bytes.hasSuffix(".trace") {
                    throw ToolError("--bytes \(bytes): a .trace name is read as a text trace, so these bytes would be refused "
                                    + "wherever they are read; name the byte input otherwise (the text trace is what fmt prints)",
                                    exitCode: 2)
                }
                // Bytes are read back as the target a folder of their real
                // location names: written for another, they would decode as
                // another trace. (The file itself is replaced, not written through.)
                if let folder = targetFolder(on: bytes, followingLastLink: false), folder.name != input.profile.name {
                    // `--target` of the folder's target helps only where that
                    // target has every operation of the trace.
                    let encodable = folder.profile.map { (try? input.trace.bytes(profile: $0)) != nil } ?? false
                    let problem = folder.profile == nil ? "whose inputs are not traces; choose another path"
                        : "which would read these \(input.profile.name) bytes as another trace; "
                            + (encodable ? "give --target \(folder.name) or another path"
                                : "the trace has operations the \(folder.name) target lacks, so choose another path")
                    throw ToolError("--bytes \(bytes): a folder on that path names the \(folder.name) target, " + problem)
                }
            }
            print(AllocCheckTool.Replay.format(input), terminator: "")
            if let bytes {
                // Text inputs already hold their canonical bytes; byte inputs are re-encoded canonically.
                let canonical: [UInt8]
                do { canonical = try input.trace.bytes(profile: input.profile) } catch {
                    throw ToolError("cannot encode for the \(input.profile.name) target: \(error)")
                }
                try writeFile(bytes, canonical)
                printError("wrote \(counted(canonical.count, "byte")) for the \(input.profile.name) target to \(bytes)")
            }
            return 0
        }
    }
}
