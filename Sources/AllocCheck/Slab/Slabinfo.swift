extension SlabAllocator {
    /// Every cache in `/proc/slabinfo` format, version 2.1, in reverse slot
    /// order (`cacheIDs`): newest cache first as the kernel lists them, and
    /// the kmalloc caches last, until a destroyed cache's slot is reused (the
    /// cache in it is then listed at that slot's place).
    ///
    /// As in SLUB: `objsize` is the stride (object plus metadata), the
    /// tunables are 0, and active_slabs equals num_slabs.
    public var slabinfo: String {
        var text = "slabinfo - version: 2.1\n"
        text += "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
        text += " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
        for cache in cacheIDs.reversed() {
            guard let line = slabinfoLine(cache) else { continue }
            text += line + "\n"
        }
        return text
    }

    /// The cache's line of `slabinfo` (without its newline); nil for a
    /// handle that names no live cache.
    public func slabinfoLine(_ cache: SlabCacheID) -> String? {
        guard let info = try? info(cache) else { return nil }
        let slabCount = info.slabs
        var text = Self.padRight(info.name, 17) + " "
        text += Self.field(info.activeObjects, 6) + " " + Self.field(slabCount * info.objectsPerSlab, 6) + " "
        text += Self.field(info.stride, 6) + " " + Self.field(info.objectsPerSlab, 4) + " "
        text += Self.field(1 << info.order, 4)
        text += " : tunables " + Self.field(0, 4) + " " + Self.field(0, 4) + " " + Self.field(0, 4)
        text += " : slabdata " + Self.field(slabCount, 6) + " " + Self.field(slabCount, 6) + " " + Self.field(0, 6)
        return text
    }

    /// The page allocator's `/proc/buddyinfo` line.
    public var buddyinfo: String { pageAllocator.buddyinfo }

    static func field(_ value: Int, _ width: Int) -> String { PageAllocator.padLeft(String(value), width) }

    static func padRight(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
