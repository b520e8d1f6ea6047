import Invariants
import Testing
@testable import AllocCheck

/// Client-side fault injection (`fail_page_alloc`, `failslab`): the chosen
/// calls fail with a typed error and change nothing; the rest behave as
/// without it; the same configuration fails the same calls.
@Suite("Fault injection")
struct FaultInjectionTests {
    /// The 1-based indices of the calls among `count` order-`order` allocations that failed.
    func failedCalls(_ injection: FaultInjection, order: Int = 0, count: Int) throws -> [Int] {
        let allocator = try PageAllocator(pageCount: 4096)
        allocator.faultInjection = injection
        var failed: [Int] = []
        for call in 1...count {
            let before = allocator.snapshot()
            do {
                _ = try allocator.allocPages(order: order)
            } catch AllocError.injectedFailure(let o) {
                #expect(o == order)
                #expect(firstDifference(allocator.snapshot(), before) == nil, "an injected failure changed the allocator")
                failed.append(call)
            }
        }
        #expect(allocator.faultInjection?.failures == failed.count)
        return failed
    }

    @Test func everyNthCallFails() throws {
        #expect(try failedCalls(FaultInjection(every: 3), count: 10) == [3, 6, 9])
        #expect(try failedCalls(FaultInjection(every: 1), count: 4) == [1, 2, 3, 4])
    }

    @Test func timesLimitsTheFailures() throws {
        #expect(try failedCalls(FaultInjection(every: 2, times: 2), count: 10) == [2, 4])
        #expect(try failedCalls(FaultInjection(times: 0), count: 5) == [])
        #expect(try failedCalls(.nextCall, count: 3) == [1])
    }

    @Test func probabilityIsSeededAndReproducible() throws {
        let a = try failedCalls(FaultInjection(probability: 0.3, seed: 7), count: 1000)
        let b = try failedCalls(FaultInjection(probability: 0.3, seed: 7), count: 1000)
        let c = try failedCalls(FaultInjection(probability: 0.3, seed: 8), count: 1000)
        #expect(a == b, "the same seed must fail the same calls")
        #expect(a != c, "another seed should fail other calls")
        #expect((200...400).contains(a.count), "\(a.count) failures in 1,000 calls at probability 0.3")
        #expect(try failedCalls(FaultInjection(probability: 0, seed: 7), count: 100) == [])
    }

    @Test func onlyOrdersFromTheMinimumFail() throws {
        let allocator = try PageAllocator(pageCount: 1024)
        allocator.faultInjection = try FaultInjection(minOrder: 3)
        for order in 0..<3 { _ = try allocator.allocPages(order: order) }
        #expect(throws: AllocError.injectedFailure(order: 3)) { try allocator.allocPages(order: 3) }
        #expect(throws: AllocError.injectedFailure(order: 4)) { try allocator.allocPagesExact(9 * 4096) }
        // Small exact allocations take order-0 to order-2 blocks: not failed.
        _ = try allocator.allocPagesExact(3 * 4096)
        #expect(allocator.faultInjection?.calls == 2)
        #expect(allocator.faultInjection?.failures == 2)
    }

    @Test func argumentErrorsComeFirstAndAreNotCounted() throws {
        let allocator = try PageAllocator(pageCount: 64)
        allocator.faultInjection = try FaultInjection()
        #expect(throws: AllocError.orderAboveTop(order: 11, topOrder: 10)) { try allocator.allocPages(order: 11) }
        #expect(throws: AllocError.zeroSize) { try allocator.allocPagesExact(0) }
        #expect(allocator.faultInjection?.calls == 0)
        #expect(throws: AllocError.injectedFailure(order: 0)) { try allocator.allocPages(order: 0) }
    }

    @Test func switchingItOffRestoresOrdinaryAllocation() throws {
        let allocator = try PageAllocator(pageCount: 64)
        allocator.faultInjection = try FaultInjection()
        #expect(throws: AllocError.injectedFailure(order: 1)) { try allocator.allocPages(order: 1) }
        allocator.faultInjection = nil
        let block = try allocator.allocPages(order: 1)
        try allocator.freePages(block, order: 1)
        #expect(InvariantSuite.checkAll(allocator.snapshot()).isEmpty)
    }

    @Test func failslabFailsObjectsAndChangesNothing() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "items", objectSize: 48)
        let kept = try layer.allocate(cache)
        layer.faultInjection = try FaultInjection(every: 2)
        let first = try layer.allocate(cache)
        expectRefused(.injectedFailure(cache: "items"), layer) { () throws(SlabError) in _ = try layer.allocate(cache) }
        let third = try layer.allocate(cache)
        expectRefused(.injectedFailure(cache: "kmalloc-64"), layer) { () throws(SlabError) in _ = try layer.kmalloc(50) }
        #expect(layer.faultInjection?.failures == 2)
        // kmalloc(0) allocates nothing: never failed, never counted.
        #expect(try layer.kmalloc(0) == SlabAllocator.zeroSizePointer)
        #expect(layer.faultInjection?.calls == 4)
        for object in [kept, first, third] { try layer.free(object, to: cache) }
        layer.faultInjection = nil
        let again = try layer.allocate(cache)
        try layer.free(again, to: cache)
        #expect(try layer.validate(cache).isEmpty)
        expectSound(layer, "after fault injection")
    }

    /// `minOrder` is the page allocator's: the slab layer fails objects
    /// whatever it is. (Counted as order 0, every object call fell below a
    /// `minOrder` above 0, and failslab failed nothing and counted nothing.)
    @Test func failslabIgnoresTheMinimumOrder() throws {
        let layer = try SlabFixture.layer()
        let cache = try layer.createCache(name: "items", objectSize: 48)
        let kept = try layer.allocate(cache)
        layer.faultInjection = try FaultInjection(minOrder: 3)
        expectRefused(.injectedFailure(cache: "items"), layer) { () throws(SlabError) in _ = try layer.allocate(cache) }
        expectRefused(.injectedFailure(cache: "kmalloc-128"), layer) { () throws(SlabError) in _ = try layer.kmalloc(100) }
        #expect(layer.faultInjection?.calls == 2 && layer.faultInjection?.failures == 2)
        layer.faultInjection = nil
        try layer.free(kept, to: cache)
        expectSound(layer, "after fault injection with a minimum order")
    }

    @Test func largeKmallocIsAPageAllocation() throws {
        let layer = try SlabFixture.layer()
        layer.faultInjection = try FaultInjection()
        let block = try layer.kmalloc(64 * 1024)
        try layer.kfree(block)
        layer.pageAllocator.faultInjection = try FaultInjection()
        expectRefused(.pageAllocator(.injectedFailure(order: 4)), layer) { () throws(SlabError) in
            _ = try layer.kmalloc(64 * 1024)
        }
        // A slab's own page allocation is a page allocation too.
        layer.faultInjection = nil
        let cache = try layer.createCache(name: "fresh", objectSize: 100)
        expectRefused(.pageAllocator(.injectedFailure(order: 0)), layer) { () throws(SlabError) in
            _ = try layer.allocate(cache)
        }
    }

    @Test func badConfigurationsAreTypedErrors() {
        #expect(throws: FaultInjection.ConfigurationError.intervalNotPositive(0)) { try FaultInjection(every: 0) }
        #expect(throws: FaultInjection.ConfigurationError.probabilityOutOfRange(1.5)) { try FaultInjection(probability: 1.5) }
        #expect(throws: FaultInjection.ConfigurationError.self) { try FaultInjection(probability: .nan) }
        #expect(throws: FaultInjection.ConfigurationError.minOrderNegative(-1)) { try FaultInjection(minOrder: -1) }
        #expect(throws: FaultInjection.ConfigurationError.timesNegative(-2)) { try FaultInjection(times: -2) }
    }
}
