import AllocCheckTool
import ArgumentParser
import Foundation
import Harness

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every allocator property suite at a budget and print a summary table.",
        discussion: "Each suite draws random traces (pages, exact, slab, kmalloc, mixed, and faults: mixed traces with "
            + "allocations failed on purpose) judged after every step; a failure is shrunk to its minimal trace. Exit "
            + "status 1 when any suite fails.")

    // `.unconditional`: a negative number is the option's value, refused with
    // its range, not an unknown option leaving the option without a value.
    @Option(parsing: .unconditional, help: "Random traces per suite (the table counts the simplest trace too, run first).") var examples = 1000
    @Option(parsing: .unconditional, help: "The seed, 0 to 18446744073709551615 (default: each suite's own, as in swift test).",
            transform: Check.parseSeed) var seed: UInt64?
    @Option(help: "Also write the results as JSON to this file.") var json: String?
    @Flag(help: "Replace an output file that exists.") var force = false

    func validate() throws {
        guard examples > 0 else { throw ValidationError("--examples must be positive") }
    }

    /// `--seed`: a whole number from 0 to UInt64.max, refused with its range otherwise.
    static func parseSeed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else {
            throw ValidationError("must be a whole number from 0 to \(UInt64.max)")
        }
        return value
    }

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            // Refused before the suites run, not after.
            if let json { try OutputPaths.check(json, option: "--json", replacing: force) }
            if let defectNotice { say(defectNotice + "\n") }  // before any error line
            // The suites run in this process and cannot stop part-way: a
            // Ctrl-C says where it came and that nothing was written.
            let unwritten = json.map { "; nothing was written to \($0)" } ?? ""
            let testSignal = ProcessInfo.processInfo.environment["ALLOCCHECK_TEST_CHECK_SIGNAL"].flatMap { Int32($0) }
            let suites = AllocCheckTool.Check.Suite.all
            let rows = AllocCheckTool.Check.run(examples: examples, seed: seed, suites: suites) { suite, position, line in
                printError(line)
                Interruption.sayOnSignal("the check stopped in the \(suite.name) suite (\(position + 1) of \(suites.count))\(unwritten)")
                // A test's signal, once the line is in place (no timing from outside can hit it).
                if let testSignal, position == 1 { raise(testSignal) }
            }
            // The suites are done: a signal now waits until the table is
            // printed and the JSON written, and is then reported as such.
            Interruption.stopSaying()
            let guarding = Interruption.forward()
            defer { guarding.restore() }
            let afterSuites = ProcessInfo.processInfo.environment["ALLOCCHECK_TEST_CHECK_LATE_SIGNAL"].flatMap { Int32($0) }
            if let afterSuites { raise(afterSuites) }
            print(AllocCheckTool.Check.table(rows))
            if !rows.allSatisfy(\.passed) {
                // What a failure is for: the minimal trace is a text trace, which
                // every other subcommand reads.
                let defect = AllocCheckSubject.defect.map { "ALLOCCHECK_DEFECT=\($0.rawValue) " } ?? ""
                print("""

                    To keep a case, save its minimal trace (the lines under "minimal trace:", unindented) as case.trace, then:
                      Reproduce:       \(defect)\(Fuzzing.selfCommand) replay case.trace
                      Picture it:      \(defect)\(Fuzzing.selfCommand) view case.trace --html case.html
                      Make it a test:  \(defect)\(Fuzzing.selfCommand) emit-test case.trace --into Tests/<YourTests>
                    A replay string reruns the suite's example in Swift: PropertyConfiguration(replay: "<string>").
                    """)
            }
            if let json {
                let text = AllocCheckTool.Check.json(rows, examples: examples, defect: AllocCheckSubject.defect?.rawValue)
                try writeFile(json, Array(text.utf8))
            }
            fflush(nil)  // the table before the line about it
            if let signal = guarding.received() {
                let written = json.map { " and the results were written to \($0)" } ?? ""
                throw Interruption.saying("the check had run every suite; the table was printed\(written)", Interruption.error(signal))
            }
            return rows.allSatisfy(\.passed) ? 0 : 1
        }
    }
}
