import AllocCheck
import AllocCheckTool
import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct AllocCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alloccheck",
        abstract: "Fuzz an allocator, replay and shrink what breaks it into minimal readable traces, picture them, "
            + "and turn them into tests.",
        subcommands: [Fuzz.self, Replay.self, Shrink.self, Fmt.self, Tmin.self, Cmin.self, EmitTest.self, Check.self,
                      Defects.self, View.self])

    /// Checks the environment before any subcommand runs: a bad
    /// `ALLOCCHECK_DEFECT` is one `error:` line and exit status 2, like every
    /// other error (the harness would otherwise stop the program on its own
    /// line, without the prefix, wherever it first reads the variable).
    static func main() {
        do { _ = try Defect(environmentValue: getenv(Defect.environmentVariable).map { String(cString: $0) }) } catch {
            printError("error: \(error)")
            Self.exit(withError: ExitCode(2))
        }
        if let unknown = unknownHelpTopic(Array(CommandLine.arguments.dropFirst())) {
            printError("error: no subcommand '\(unknown)' to show help for (see 'alloccheck --help')")
            Self.exit(withError: ExitCode(64))
        }
        main(nil)
    }

    /// The first word of `alloccheck help WORD...` that names no subcommand
    /// (nested ones included), or nil: the parser's own `help` prints the
    /// top-level help with exit status 0 for any word, so a mistyped
    /// subcommand would look answered.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        var command: ParsableCommand.Type = Self.self
        for word in arguments.dropFirst() where !word.hasPrefix("-") {
            guard let sub = command.configuration.subcommands.first(where: { $0._commandName == word }) else {
                return word
            }
            command = sub
        }
        return nil
    }
}

/// Runs a subcommand's work: a `ToolError` becomes one line on stderr and its
/// exit status; an interruption (Ctrl-C, SIGTERM) ends the process by its
/// signal once that line is written, as a stopped program should.
func perform(_ body: () throws(ToolError) -> Int32) throws {
    let status: Int32
    do { status = try body() } catch {
        printError("error: \(error.message)")
        if let signal = error.interruptedBy {
            fflush(nil)  // every stream: what print() buffered is written before the signal ends the process
            Interruption.endBy(signal)
        }
        throw ExitCode(error.exitCode)
    }
    if status != 0 { throw ExitCode(status) }
}

func printError(_ message: String) {
    var bytes = Array((message + "\n").utf8)
    _ = write(2, &bytes, bytes.count)
}

/// Whether standard output is a terminal (progress redraws one line there).
var isTerminal: Bool { isatty(1) == 1 }

/// Writes `text` to standard output now (the progress line is not a whole line).
func printNow(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(1, &bytes, bytes.count)
}

/// `--target`: which fuzz target's byte format a byte input is in.
struct TargetOption: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The fuzz target a byte input belongs to (pages, exact, slab, kmalloc, "
            + "mixed). Default: for a byte input, a target named by a folder on the file's path, else mixed; "
            + "a text trace runs as mixed."))
    var target: String?
}
