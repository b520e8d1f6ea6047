// The dictionary entries: whole operation records (tag and arguments) in the
// byte format, so a mutation can insert a meaningful step at once, such as a
// kmalloc at a size-class edge, whose 3-byte size random mutation rarely hits;
// and arena headers.

import Harness

enum DictionaryEntries {
    struct Entry {
        /// A libFuzzer entry name: letters, digits and `_`.
        let name: String
        let bytes: [UInt8]
        /// The record's text line, for the reader of the .dict file.
        let line: String
    }

    /// Each record is the last line; the lines before it make the handles it
    /// names live (a reference byte 0 names the newest fitting handle).
    static let records: [(context: [String], record: String)] = {
        var records: [(context: [String], record: String)] = []
        for order in 0...Arena.topOrder { records.append(([], "p1 = alloc_pages order=\(order)")) }
        records.append((["p1 = alloc_pages order=0"], "free_pages p1"))
        for size in [0, 1, 4096, 4097, 8192, 135_168, 4_194_304, 4_194_305] {
            records.append(([], "e1 = alloc_pages_exact size=\(size)"))
        }
        records.append((["e1 = alloc_pages_exact size=4096"], "free_pages_exact e1"))
        for size in [0, 8, 64, 600, 4096, 8192] {
            records.append(([], "c1 = cache_create size=\(size)"))
            records.append(([], "c1 = cache_create size=\(size) debug=FZPU"))
        }
        records.append(([], "c1 = cache_create size=64 hardened=1"))
        records.append(([], "c1 = cache_create size=24 align=64"))
        let cache = "c1 = cache_create size=64"
        records.append(([cache], "o2 = cache_alloc c1"))
        records.append(([cache, "o2 = cache_alloc c1"], "cache_free o2"))
        for call in ["cache_shrink", "cache_destroy", "cache_validate"] { records.append(([cache], "\(call) c1")) }
        let classes = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]
        for size in [0] + classes.flatMap({ [$0, $0 + 1] }) + [4_194_304, 4_194_305] {
            records.append(([], "k1 = kmalloc size=\(size)"))
        }
        records.append((["k1 = kmalloc size=8"], "kfree k1"))
        records.append((["k1 = kmalloc size=8"], "ksize k1"))
        records.append((["p1 = alloc_pages order=0", "free_pages p1"], "expect double_free: free_pages p1"))
        records.append((["p1 = alloc_pages order=1"], "expect interior_pointer: free_pages p1 offset=4096"))
        records.append((["k1 = kmalloc size=64"], "expect interior_pointer: kfree k1 offset=8"))
        records.append((["p1 = alloc_pages order=0"], "expect wrong_order: free_pages p1 order=1"))
        records.append((["e1 = alloc_pages_exact size=4096"], "expect wrong_size: free_pages_exact e1 size=8192"))
        records.append(([cache, "o2 = cache_alloc c1", "c3 = cache_create size=64"], "expect wrong_cache: cache_free o2 cache=c3"))
        records.append((["p1 = alloc_pages order=0"], "expect wrong_free_function: free_pages_exact p1"))
        for function in ["free_pages", "free_pages_exact", "kfree"] {
            records.append(([], "expect foreign_address: \(function)"))
        }
        records.append(([cache], "expect foreign_address: cache_free c1"))
        records.append(([], "expect reserved_page: free_pages hole=0"))
        records.append(([], "expect reserved_page: free_pages_exact hole=0"))
        records.append((["k1 = kmalloc size=8"], "expect slab_page: free_pages k1"))
        records.append((["c1 = cache_create size=24 debug=Z", "o2 = cache_alloc c1"],
                        "expect corruption: cache_free o2 overflow=1"))
        records.append(([cache, "o2 = cache_alloc c1", "cache_free o2"], "expect corruption: cache_validate written_after_free=o2"))
        records.append((["k1 = kmalloc size=64"], "expect interior_pointer: ksize k1 offset=8"))
        records.append((["k1 = kmalloc size=64", "kfree k1"], "expect double_free: ksize k1"))
        let freedBesideLive = [cache, "o2 = cache_alloc c1", "o3 = cache_alloc c1", "cache_free o2"]
        records.append((freedBesideLive, "expect corruption: cache_validate written_after_free=o2 value=o3"))
        records.append((freedBesideLive, "expect corruption: cache_alloc written_after_free=o2 value=o3"))
        records.append(([], "cache_shrink_all"))
        // The forms of the round before: a self-linked free object met by
        // allocations, a byte written past a kmalloc request (it applies when
        // the arena's classes have red zones, `kmalloc_debug=` below), and a
        // page-aligned interior pointer of a large kmalloc block.
        records.append(([cache, "o2 = cache_alloc c1", "cache_free o2"], "expect corruption: cache_alloc written_after_free=o2"))
        records.append((["k1 = kmalloc size=60"], "expect corruption: kfree k1 overflow=1"))
        records.append((["k1 = kmalloc size=16384"], "expect interior_pointer: kfree k1 offset=4096"))
        // This round's: a page allocation freed off a page boundary, and a
        // byte written before a red-zoned object (a kmalloc one when the
        // arena's classes have red zones).
        records.append((["p1 = alloc_pages order=1"], "expect misaligned: free_pages p1 offset=2048"))
        records.append((["e1 = alloc_pages_exact size=4096"], "expect misaligned: free_pages_exact e1 offset=2048"))
        records.append((["c1 = cache_create size=24 debug=Z", "o2 = cache_alloc c1"], "expect corruption: cache_free o2 underflow=1"))
        records.append((["k1 = kmalloc size=60"], "expect corruption: kfree k1 underflow=1"))
        return records
    }()

    static let arenaLine = "arena pages=256 reserved=16..<20"

    /// The entries of each target: the records its profile reads back unchanged.
    static func build() throws -> [String: [Entry]] {
        var entries: [String: [Entry]] = [:]
        var problems: [String] = []
        for (context, record) in records {
            do {
                let prefix = try Trace(parsing: ([arenaLine] + context).joined(separator: "\n"))
                let whole = try Trace(parsing: ([arenaLine] + context + [record]).joined(separator: "\n"))
                // Both end with the end tag (one byte); the record lies between. A
                // profile without one of the operations cannot encode them: no entry.
                for profile in Profile.all {
                    guard let before = try? prefix.bytes(profile: profile).dropLast(),
                          let afterBytes = try? whole.bytes(profile: profile),
                          Trace.decode(afterBytes, profile: profile) == whole else { continue }
                    let after = afterBytes.dropLast()
                    guard after.starts(with: before) else {
                        problems.append("dictionary record `\(record)`: the context's bytes changed")
                        continue
                    }
                    let bytes = Array(after.dropFirst(before.count))
                    if entries[profile.name, default: []].contains(where: { $0.bytes == bytes }) { continue }
                    entries[profile.name, default: []].append(Entry(name: entryName(record), bytes: bytes, line: record))
                }
            } catch {
                problems.append("Fuzz/Sources/MakeCorpus/DictionaryEntries.swift: record `\(record)`: \(error)")
            }
        }
        // Arena headers with no holes: a mutation that puts one at the start
        // reaches the smallest arena, or the largest (the only one with a
        // top-order block), at once, where a hole-count byte of 0 is rare.
        for pageCount in [Arena.pageCounts.lowerBound, 256, Arena.pageCounts.upperBound] {
            let arena = Trace(arena: Arena(pageCount: pageCount), operations: [])
            for profile in Profile.all {
                guard let bytes = try? arena.bytes(profile: profile).dropLast() else { continue }
                entries[profile.name, default: []].append(Entry(name: "arena_pages_\(pageCount)", bytes: Array(bytes),
                                                                line: "arena pages=\(pageCount)"))
            }
        }
        // And kmalloc classes with debug options (red zones for `kfree K
        // overflow=N`; every option), which a mutation of the options choice
        // rarely makes.
        for letters in ["Z", "FZPU"] {
            let line = "arena pages=256 kmalloc_debug=\(letters)"
            do {
                let arena = try Trace(parsing: line)
                for profile in [Profile.kmalloc, .mixed] {
                    let bytes = try arena.bytes(profile: profile).dropLast()
                    entries[profile.name, default: []].append(Entry(name: "arena_kmalloc_debug_\(letters)", bytes: Array(bytes),
                                                                    line: line))
                }
            } catch {
                problems.append("Fuzz/Sources/MakeCorpus/DictionaryEntries.swift: `\(line)`: \(error)")
            }
        }
        guard problems.isEmpty else { throw MakeCorpusError(problems: problems) }
        return entries
    }

    /// `expect wrong_order: free_pages p1 order=1` -> `wrong_order_free_pages_order_1`.
    static func entryName(_ record: String) -> String {
        var words = record.split(separator: " ").map(String.init)
        if words.count > 2, words[1] == "=" { words.removeFirst(2) }
        if words.first == "expect" { words.removeFirst() }
        let handle = words.filter { w in w.first.map { "pekoc".contains($0) } == true && w.dropFirst().allSatisfy(\.isNumber) && w.count > 1 }
        words.removeAll { handle.contains($0) }
        let joined = words.joined(separator: "_")
        return String(joined.map { $0.isLetter || $0.isNumber ? $0 : "_" }).replacingUnderscoreRuns()
    }
}

extension String {
    fileprivate func replacingUnderscoreRuns() -> String {
        var out = ""
        for ch in self where !(ch == "_" && (out.last == "_" || out.isEmpty)) { out.append(ch) }
        while out.last == "_" { out.removeLast() }
        return out
    }
}
