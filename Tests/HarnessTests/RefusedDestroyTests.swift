@testable import Harness
import AllocCheck
import Testing

/// A destroy refused because the cache still has live objects gives back
/// nothing, not even the cache's empty slabs. A `destroy` that shrank the
/// cache before its live-object check passed the property suites at 150
/// traces once new misuse tags reshuffled the slab traces (the slab suite
/// needs a slab emptied beside live objects, then the destroy; it finds it
/// at 1,000 traces): its shrunk counterexample, and the same calls on a layer.
@Suite struct RefusedDestroyTests {
    @Test func aRefusedDestroyKeepsItsEmptySlab() throws {
        // o5 is alone in the cache's second slab, which its free empties
        // (kept: the cache keeps up to two empty slabs).
        let trace = try Trace(parsing: "arena pages=256\nc1 = cache_create size=8144 debug=ZPU\no2 = cache_alloc c1\n"
                              + "o3 = cache_alloc c1\no4 = cache_alloc c1\no5 = cache_alloc c1\ncache_free o5\n"
                              + "cache_destroy c1\n")
        #expect(Judge<AllocCheckSubject>(configuration: .everyStep).check(trace) == nil)

        let layer = try SlabAllocator(pageCount: 256)
        let cache = try layer.createCache(name: "c1", objectSize: 8144, debug: .all)
        let perSlab = try layer.info(cache).objectsPerSlab
        var objects = try (0...perSlab).map { _ in try layer.allocate(cache) }
        try layer.free(objects.removeLast(), to: cache)
        #expect(try layer.info(cache).emptySlabs == 1)
        #expect(throws: SlabError.self) { try layer.destroy(cache) }
        #expect(try layer.info(cache).emptySlabs == 1)
        for object in objects { try layer.free(object, to: cache) }
        try layer.destroy(cache)
    }
}
