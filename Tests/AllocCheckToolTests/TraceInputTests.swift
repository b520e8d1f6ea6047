import Foundation
import Testing
import Harness
import AllocCheckTool

/// How an input file is read: text or bytes, and for which target.
@Suite struct TraceInputTests {
    static func file(_ relative: String, _ contents: [UInt8]) throws -> String {
        let path = testFolder + "/inputs/" + relative
        let folder = String(path[..<path.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try writeFile(path, contents)
        return path
    }

    static let pagesTrace = Array("# pages only\narena pages=64\np1 = alloc_pages order=2\nfree_pages p1\n".utf8)
    static let kmallocTrace = Array("arena pages=64\nk1 = kmalloc size=8\nkfree k1\n".utf8)

    @Test func aTextTraceInAFolderNamedAfterATargetIsStillRunAsTheMixedTarget() throws {
        // kmalloc is not an operation of the slab target: read as a slab
        // input, this trace would be refused.
        let path = try Self.file("slab/idea.trace", Self.kmallocTrace)
        let input = try TraceInput(path: path, target: nil)
        #expect(input.form == .text)
        #expect(input.profile.name == Profile.mixed.name)
        #expect(input.trace.operations.count == 2)
        // Named explicitly, the target is the one named, and the refusal says why.
        #expect(throws: ToolError.self) { try TraceInput(path: path, target: "slab") }
    }

    @Test func aByteInputTakesItsTargetFromTheNearestFolderOnItsPath() throws {
        #expect(profile(inferredFrom: ".fuzz/slab/artifacts/crash-1").name == "slab")
        #expect(profile(inferredFrom: "corpus/kmalloc/seed").name == "kmalloc")
        #expect(profile(inferredFrom: "slab/../crash-1").name == Profile.mixed.name)
        #expect(profile(inferredFrom: "slab/./crash-1").name == "slab")
        #expect(profile(inferredFrom: "crash-1").name == Profile.mixed.name)
        let path = try Self.file("pages/crash-2", [0x40, 0x00, 0x03, 0x10])
        let input = try TraceInput(path: path, target: nil)
        #expect(input.form == .bytes)
        #expect(input.profile.name == "pages")
    }

    /// The folder that names the target is looked for where the file really
    /// is: a link to a target's folder, or to the file, is followed.
    @Test func aByteInputTakesItsTargetFromItsRealLocation() throws {
        let path = try Self.file("real/pages/crash-3", [0x40, 0x00, 0x03, 0x10])
        let alias = testFolder + "/inputs/alias-to-pages"
        try? FileManager.default.removeItem(atPath: alias)
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: testFolder + "/inputs/real/pages")
        #expect(targetFolder(on: alias + "/crash-3")?.name == "pages")
        #expect(try TraceInput(path: alias + "/crash-3", target: nil).profile.name == "pages")
        // An output that does not exist yet: its folder is resolved.
        #expect(targetFolder(on: alias + "/new-file", followingLastLink: false)?.name == "pages")
        // A link to the file itself, from a folder naming no target.
        let link = testFolder + "/inputs/link-to-crash"
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(targetFolder(on: link)?.name == "pages")
        #expect(targetFolder(on: link, followingLastLink: false) == nil)
    }

    /// A checkout kept under a folder named like a target: the folders
    /// above the checkout name no target, those inside it still do.
    @Test func foldersAboveTheCheckoutNameNoTarget() throws {
        let stray = try Self.file("above/pages/checkout/stray-bytes", [0x40, 0x00, 0x03, 0x10])
        #expect(targetFolder(on: stray)?.name == "pages")
        _ = try Self.file("above/pages/checkout/Package.swift", Array("// a package\n".utf8))
        _ = try Self.file("above/pages/checkout/Fuzz/Package.swift", Array("// its fuzz package\n".utf8))
        #expect(targetFolder(on: stray) == nil)
        let crash = try Self.file("above/pages/checkout/.fuzz/slab/artifacts/crash-1", [0x40, 0x00, 0x03, 0x10])
        #expect(targetFolder(on: crash)?.name == "slab")
    }

    @Test func windowsLineEndingsAndAByteOrderMarkReadAsTheSameTrace() throws {
        let plain = try TraceInput(path: try Self.file("plain.trace", Self.pagesTrace), target: nil)
        let crlf = Array(String(decoding: Self.pagesTrace, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let windows = try TraceInput(path: try Self.file("windows.trace", crlf), target: nil)
        let marked = try TraceInput(path: try Self.file("marked.trace", [0xEF, 0xBB, 0xBF] + Self.pagesTrace), target: nil)
        #expect(windows.form == .text && marked.form == .text)
        #expect(windows.trace == plain.trace)
        #expect(marked.trace == plain.trace)
    }

    @Test func textThatCannotBeATraceIsRefusedWithItsLineNotRunAsBytes() throws {
        let commentsOnly = try Self.file("comments.trace", Array("# only a comment\n".utf8))
        #expect { try TraceInput(path: commentsOnly, target: nil) } throws: { error in
            "\(error)".contains("comments.trace:1:1") && "\(error)".contains("arena")
        }
        // Blank lines alone: the same error as comments alone, not "not a text trace".
        let blank = try Self.file("blank.trace", Array("\n \r\n\t\n".utf8))
        #expect { try TraceInput(path: blank, target: nil) } throws: { error in
            "\(error)" == "\(blank):1:1: no `arena pages=N` line"
        }
        let stray = try Self.file("stray.trace", Self.pagesTrace + [0x1A])
        #expect { try TraceInput(path: stray, target: nil) } throws: { error in
            "\(error)".contains("stray.trace:5:")
        }
    }

    @Test func aCaseFoundWithASeededDefectSaysSoWhenItPassesWithout() throws {
        let header = "# Found by alloccheck fuzz run kmalloc; fails with: a double free was accepted\n"
            + "# Found with ALLOCCHECK_DEFECT=double-free-undetected (a seeded defect): it fails only with that defect\n"
        let path = try Self.file("demo.trace", Array(header.utf8) + Self.kmallocTrace)
        let input = try TraceInput(path: path, target: nil)
        #expect(input.foundWithDefect == "double-free-undetected")
        // These tests run on the correct core, so the case passes and the report says why.
        #expect(AllocCheckSubject.defect == nil)
        let (report, failure) = Replay.run(input)
        #expect(failure == nil)
        #expect(report.contains("note: this case was found with ALLOCCHECK_DEFECT=double-free-undetected"))
        let plain = try TraceInput(path: try Self.file("plain2.trace", Self.kmallocTrace), target: nil)
        #expect(plain.foundWithDefect == nil)
        #expect(!Replay.run(plain).report.contains("note:"))
    }
}
