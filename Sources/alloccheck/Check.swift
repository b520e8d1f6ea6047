import AllocCheckTool
import ArgumentParser

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every allocator property suite at a budget and print a summary table.",
        discussion: "Each suite draws random traces (pages, exact, slab, kmalloc, mixed) judged after every step; a "
            + "failure is shrunk to its minimal trace. Exit status 1 when any suite fails.")

    @Option(help: "Traces per suite.") var examples = 1000
    @Option(help: "The seed (default: each suite's own, as in swift test).") var seed: UInt64?
    @Option(help: "Also write the results as JSON to this file.") var json: String?

    func validate() throws {
        guard examples > 0 else { throw ValidationError("--examples must be positive") }
    }

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            if let defectNotice { print(defectNotice + "\n") }
            let rows = AllocCheckTool.Check.run(examples: examples, seed: seed) { printError($0) }
            print(AllocCheckTool.Check.table(rows))
            if let json { try writeFile(json, Array(AllocCheckTool.Check.json(rows).utf8)) }
            return rows.allSatisfy(\.passed) ? 0 : 1
        }
    }
}
