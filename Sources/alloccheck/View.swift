import AllocCheckTool
import ArgumentParser
import Harness

struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the arena at the failing step (or after the last step): one cell per page, coloured by state.",
        discussion: "Free blocks by order, allocated blocks, exact allocations and the tails they gave back, slabs and "
            + "holes, with the operations up to that step beside the picture.")

    @Argument(help: "A byte input or a text trace.") var file: String
    @Option(help: "Write the picture as SVG to this file.") var svg: String?
    @Option(help: "Write a page with the picture, the operations and the failure to this file.") var html: String?
    @Flag(help: "Replace an output file that exists.") var force = false
    @OptionGroup var target: TargetOption

    func validate() throws {
        guard svg != nil || html != nil else { throw ValidationError("give --svg OUT, --html OUT, or both") }
    }

    func run() throws {
        try perform { () throws(ToolError) -> Int32 in
            let input = try TraceInput(path: file, target: target.target)
            // Refused before any work: outputs that cannot be written, or that are the input.
            if let svg { try OutputPaths.check(svg, option: "--svg", inputs: [file], replacing: force) }
            if let html { try OutputPaths.check(html, option: "--html", inputs: [file], replacing: force) }
            if let svg, let html, svg == html || OutputPaths.sameFile(svg, html) {
                throw ToolError("--svg \(svg) and --html \(html) name the same file; give each its own", exitCode: 2)
            }
            let picture = Judge<AllocCheckSubject>(configuration: .everyStep).picture(of: input.trace)
            if let svg { try writeFile(svg, Array(ArenaView.svg(picture).utf8)); print("Wrote \(svg)") }
            if let html { try writeFile(html, Array(ArenaView.html(picture).utf8)); print("Wrote \(html)") }
            return 0
        }
    }
}
