import Invariants

extension PageAllocator {
    /// Number of free pages (the kernel's NR_FREE_PAGES).
    public var freePageCount: Int { freePages }

    /// Number of reserved pages.
    public var reservedPageCount: Int { reservedRanges.reduce(0) { $0 + $1.count } }

    /// Free blocks per order, index = order (the kernel's `free_area[k].nr_free`).
    public var freeBlockCounts: [Int] {
        (0...topOrder).map { freeLists.counts[$0] }
    }

    /// The allocator's state in `/proc/buddyinfo` format: one zone, `Normal`,
    /// then the number of free blocks of each order, as the kernel prints it
    /// (`"Node %d, zone %8s "` then `"%6lu "` per order).
    public var buddyinfo: String {
        var line = "Node 0, zone " + Self.padLeft("Normal", 8) + " "
        for count in freeBlockCounts { line += Self.padLeft(String(count), 6) + " " }
        return line + "\n"
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// What a request of `size` bytes costs in whole blocks: the block order,
    /// its size, and the internal fragmentation (bytes the caller cannot use).
    /// Refuses what `getOrder` refuses, and a size whose block would not fit
    /// in an `Int` (above 2^62 bytes) with `sizeTooLarge`.
    public static func waste(forSize size: Int, pageSize: Int = 4096) throws(AllocError) -> Waste {
        let order = try getOrder(size, pageSize: pageSize)
        let largest = 1 << (Int.bitWidth - 2)
        guard order + pageSize.trailingZeroBitCount <= Int.bitWidth - 2 else {
            throw .sizeTooLarge(size: size, maximum: largest)
        }
        return Waste(requestedBytes: size, order: order, blockBytes: pageSize << order, pageSize: pageSize)
    }

    /// Internal fragmentation of one block allocation.
    public struct Waste: Equatable, Sendable, CustomStringConvertible {
        public let requestedBytes: Int
        public let order: Int
        public let blockBytes: Int
        public let pageSize: Int
        /// Bytes of the block beyond the request.
        public var wastedBytes: Int { blockBytes - requestedBytes }
        /// Whole pages of the block beyond the request.
        public var wastedPages: Int {
            let shift = pageSize.trailingZeroBitCount
            // ceil(requested / pageSize) without `requested + pageSize - 1`, which overflows near Int.max.
            return (blockBytes >> shift) - (((requestedBytes - 1) >> shift) + 1)
        }
        /// Wasted share of the block, 0...1.
        public var wastedFraction: Double { Double(wastedBytes) / Double(blockBytes) }

        public var description: String {
            let percent = (wastedFraction * 1000).rounded() / 10
            return "\(Self.kib(requestedBytes)) request -> order \(order) block of \(Self.kib(blockBytes)); "
                + "\(Self.kib(wastedBytes)) (\(wastedPages) pages, \(percent)%) wasted"
        }

        static func kib(_ bytes: Int) -> String {
            bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes) B"
        }
    }
}
