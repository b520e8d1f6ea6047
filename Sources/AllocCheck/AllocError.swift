/// A refused request or a detected misuse of the allocator.
///
/// Every misuse is reported before anything is changed: when one of these is
/// thrown, the allocator is exactly as it was before the call.
public enum AllocError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A size of 0 bytes was asked for (undefined in the kernel; refused here).
    case zeroSize
    /// A negative size was given (a caller's arithmetic went wrong; never a request).
    case negativeSize(size: Int)
    /// A page size given to a static helper is not a power of two of at least 16 bytes.
    case invalidPageSize(pageSize: Int)
    /// A negative order was given.
    case negativeOrder(order: Int)
    /// An order above the allocator's top order was asked for.
    case orderAboveTop(order: Int, topOrder: Int)
    /// A size larger than the largest block (`pageSize << topOrder`).
    case sizeTooLarge(size: Int, maximum: Int)
    /// No free block of the order or above.
    case outOfMemory(order: Int)
    /// Fault injection (`PageAllocator.faultInjection`) failed this allocation.
    case injectedFailure(order: Int)
    /// The address is not inside the arena.
    case outsideArena(address: UInt)
    /// The address is inside the arena but not at the start of a page.
    case notPageAligned(address: UInt)
    /// The page lies in a reserved range.
    case reservedPage(pfn: Int)
    /// The page is already free (it heads or lies inside the free block at `blockPfn`).
    case doubleFree(pfn: Int, blockPfn: Int, blockOrder: Int)
    /// The page is inside a live allocation but is not its first page.
    case notAllocationHead(pfn: Int)
    /// `freePages` with another order than the block was allocated with.
    case wrongOrder(pfn: Int, allocated: Int, given: Int)
    /// `freePagesExact` with a size that does not cover the same pages.
    case wrongSize(pfn: Int, allocatedBytes: Int, givenBytes: Int)
    /// A block from `allocPages` freed with `freePagesExact`, or the reverse.
    case wrongFreeFunction(pfn: Int, allocatedWith: String)
    /// The pages belong to a slab; they go back through the slab layer.
    case slabPage(pfn: Int)

    public var description: String { description(addresses: { "0x" + String($0, radix: 16) }) }

    /// The description with every address written by `address`: a caller
    /// that knows the arena can name addresses by their offset in it, so
    /// that the text does not depend on where the arena happens to lie.
    public func description(addresses address: (UInt) -> String) -> String {
        switch self {
        case .zeroSize: return "size 0 requested: a size must be at least 1 byte"
        case let .negativeSize(size): return "size \(size) is negative: a size must be at least 1 byte"
        case let .invalidPageSize(pageSize): return "page size \(pageSize) is not a power of two of at least 16 bytes"
        case let .negativeOrder(order): return "order \(order) is negative"
        case let .orderAboveTop(order, top): return "order \(order) is above the top order \(top)"
        case let .sizeTooLarge(size, maximum):
            return "size \(size) bytes is larger than the largest block (\(maximum) bytes)"
        case let .outOfMemory(order): return "out of memory: no free block of order \(order) or above"
        case let .injectedFailure(order): return "allocation of order \(order) failed by fault injection"
        case let .outsideArena(value): return "address \(address(value)) is outside the arena"
        case let .notPageAligned(value):
            return "address \(address(value)) is not at the start of a page"
        case let .reservedPage(pfn): return "page \(pfn) is in a reserved range and was never handed out"
        case let .doubleFree(pfn, blockPfn, blockOrder):
            return "double free: page \(pfn) is already free (in the free block at page \(blockPfn), order \(blockOrder))"
        case let .notAllocationHead(pfn):
            return "page \(pfn) is inside a live allocation but is not its first page"
        case let .wrongOrder(pfn, allocated, given):
            return "page \(pfn) was allocated at order \(allocated) but freed at order \(given)"
        case let .wrongSize(pfn, allocatedBytes, givenBytes):
            return "page \(pfn) was allocated exact with \(allocatedBytes) bytes but freed with \(givenBytes) bytes"
        case let .wrongFreeFunction(pfn, allocatedWith):
            return "page \(pfn) was allocated with \(allocatedWith); free it with the matching function"
        case let .slabPage(pfn): return "page \(pfn) belongs to a slab; free its objects through the slab layer"
        }
    }
}
