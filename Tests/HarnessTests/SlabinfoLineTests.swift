@testable import Harness
import AllocCheck
import PropertyTesting
import Testing

/// A cache's `/proc/slabinfo` line, which the judge did not read: a layer
/// whose line left out empty slabs passed every property suite.
@Suite struct SlabinfoLineTests {
    /// A cache's slabinfo line counts every slab, its empty ones too, as
    /// its cache information does: one object allocated and freed leaves
    /// one empty slab (kept), and the line says one slab of objects.
    @Test func theSlabinfoLineCountsEmptySlabs() throws {
        let layer = try SlabAllocator(pageCount: 64)
        let cache = try layer.createCache(name: "c1", objectSize: 8)
        try layer.free(try layer.allocate(cache), to: cache)
        let info = try layer.info(cache)
        #expect(info.emptySlabs == 1)
        let line = try #require(layer.slabinfoLine(cache))
        #expect(layer.slabinfo.contains(line + "\n"))
        let numbers = try #require(SlabinfoNumbers(line: line))
        #expect(numbers == SlabinfoNumbers(activeObjects: 0, slabs: 1,
                                           geometry: SlabGeometry(order: info.order, objectsPerSlab: info.objectsPerSlab)))
        #expect(SlabinfoNumbers(line: "c1 0 512") == nil)
    }

    /// The judge reads the slabinfo line of every cache it counts, as it
    /// reads the cache information: a line that leaves out the empty slab
    /// is a `prediction slabinfo` failure at the free that emptied it.
    @Test func theJudgeReadsTheSlabinfoLine() throws {
        let trace = try Trace(parsing: "arena pages=64\nc1 = cache_create size=8\no2 = cache_alloc c1\ncache_free o2\n")
        #expect(Judge<AllocCheckSubject>(configuration: .everyStep).check(trace) == nil)
        let judge = Judge<FaultySubject>(configuration: .everyStep)
        #expect(judge.check(trace) == nil)
        let failure = try #require(FaultySubject.$rewritesSlabinfoLine.withValue({ line in
            // With no object in use every slab is empty: the line of a
            // layer that leaves empty slabs out says none.
            var fields = line.split(separator: " ").map(String.init)
            if fields[1] == "0" { (fields[2], fields[13], fields[14]) = ("0", "0", "0") }
            return fields.joined(separator: " ")
        }) { judge.check(trace) })
        #expect(failure.step == 3 && failure.broken == [.prediction("slabinfo")], "\(failure)")
    }
}
