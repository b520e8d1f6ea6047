// Metadata tables kept from one allocator for the next.
//
// Every allocator sizes its tables by its arena and gives them up when it
// goes. A program that makes many short-lived allocators (a fuzz target makes
// one per input, a property suite one per example) would otherwise spend a
// large share of each allocator's life getting memory: in malloc, in the
// kernel mapping and faulting in fresh zero pages and unmapping them again,
// and under ASan in recording a stack for every allocation and quarantining
// every free. The pool keeps a few released tables and hands each to the next
// allocator that asks for one of the same size class.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A process-wide pool of released metadata tables, of two kinds:
/// - plain tables (heap memory), whose content the taker initialises;
/// - zeroed tables (anonymous mappings), all zero when taken, so a table
///   that is mostly never written costs no page faults. Whoever gives one
///   back must have cleared every byte it wrote.
///
/// A table's capacity is its size rounded up to a size class (at most an
/// eighth more), so that allocators of similar arenas share tables; the
/// bytes past the size asked for stay poisoned under ASan while a table is
/// lent. The pool keeps at most `maxKeptBytes` in all, releasing the
/// oldest tables first. Thread-safe.
final class TablePool: @unchecked Sendable {
    /// The pool every allocator uses: up to 64 MiB kept.
    static let shared = TablePool(maxKeptBytes: 64 << 20)
    /// The most bytes the pool keeps, over both kinds.
    let maxKeptBytes: Int

    private struct Entry {
        var capacity: Int
        var pointer: UnsafeMutableRawPointer
        var zeroed: Bool
    }

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Oldest first.
    private var kept: [Entry] = []
    private var keptBytes = 0

    init(maxKeptBytes: Int) {
        self.maxKeptBytes = maxKeptBytes
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        for entry in kept {
            if entry.zeroed { munmap(entry.pointer, entry.capacity) } else { free(entry.pointer) }
        }
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// How many tables the pool keeps now.
    var keptCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return kept.count
    }

    /// `bytes` rounded up to its size class: a multiple of a sixteenth of
    /// the next power of two (at least 64 bytes), so at most an
    /// eighth more than asked; whole pages for a zeroed table.
    static func capacity(for bytes: Int, zeroed: Bool) -> Int {
        let size = max(bytes, 64)
        let power = 1 << (Int.bitWidth - (size - 1).leadingZeroBitCount)
        let step = max(zeroed ? 4096 : 64, power / 16)
        return (size + step - 1) / step * step
    }

    /// A plain table of at least `bytes` bytes (uninitialised), or nil when
    /// memory ran out.
    func take(bytes: Int) -> UnsafeMutableRawPointer? {
        let capacity = Self.capacity(for: bytes, zeroed: false)
        let table = takeKept(capacity: capacity, zeroed: false) ?? malloc(capacity)
        if let table { Sanitizer.poison(table + bytes, capacity - bytes) }
        return table
    }

    /// Gives back a table that `take(bytes:)` returned for the same `bytes`.
    func give(_ table: UnsafeMutableRawPointer, bytes: Int) {
        let capacity = Self.capacity(for: bytes, zeroed: false)
        Sanitizer.unpoison(table, capacity)
        if !keep(Entry(capacity: capacity, pointer: table, zeroed: false)) { free(table) }
    }

    /// A table of at least `bytes` bytes, all zero, or nil when memory ran out.
    func takeZeroed(bytes: Int) -> UnsafeMutableRawPointer? {
        let capacity = Self.capacity(for: bytes, zeroed: true)
        if let table = takeKept(capacity: capacity, zeroed: true) { return table }
        guard let mapped = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else { return nil }
        return mapped
    }

    /// Gives back a table that `takeZeroed(bytes:)` returned for the same
    /// `bytes`, all zero again.
    func giveZeroed(_ table: UnsafeMutableRawPointer, bytes: Int) {
        let capacity = Self.capacity(for: bytes, zeroed: true)
        if !keep(Entry(capacity: capacity, pointer: table, zeroed: true)) { munmap(table, capacity) }
    }

    private func takeKept(capacity: Int, zeroed: Bool) -> UnsafeMutableRawPointer? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        // The most recently kept first: the likeliest to be in the cache.
        guard let index = kept.lastIndex(where: { $0.capacity == capacity && $0.zeroed == zeroed }) else { return nil }
        keptBytes -= capacity
        return kept.remove(at: index).pointer
    }

    /// Keeps `entry`, releasing the oldest tables to stay within
    /// `maxKeptBytes`; false (nothing kept) for a table larger than that.
    private func keep(_ entry: Entry) -> Bool {
        guard entry.capacity <= maxKeptBytes else { return false }
        var released: [Entry] = []
        pthread_mutex_lock(mutex)
        while keptBytes + entry.capacity > maxKeptBytes, !kept.isEmpty {
            let oldest = kept.removeFirst()
            keptBytes -= oldest.capacity
            released.append(oldest)
        }
        kept.append(entry)
        keptBytes += entry.capacity
        pthread_mutex_unlock(mutex)
        for old in released {
            if old.zeroed { munmap(old.pointer, old.capacity) } else { free(old.pointer) }
        }
        return true
    }
}

/// Where consecutive tables go in one block from the pool. Under ASan each
/// table starts on a shadow granule (8 bytes) and at least `redZone` bytes
/// after the one before, and the bytes between them stay poisoned while the
/// block is lent (`poisonBlock`, then `expose` for each table), so that an
/// overflow from one table into the next is reported, as it was when each
/// table was a heap allocation of its own. Without ASan the tables are
/// packed, each on its own alignment.
struct TableLayout {
    /// The least gap between two tables: 16 bytes under ASan (at least one
    /// wholly poisoned granule), else none.
    static let redZone = Sanitizer.isEnabled ? 16 : 0
    /// The block's size so far: the end of the last table placed.
    private(set) var bytes = 0

    /// The offset of the next table, of `size` bytes aligned to `alignment`.
    mutating func place(_ size: Int, alignment: Int) -> Int {
        let gap = bytes == 0 ? 0 : Self.redZone
        let align = Self.redZone > 0 ? max(alignment, 8) : alignment
        let start = (bytes + gap + align - 1) / align * align
        bytes = start + size
        return start
    }

    /// Under ASan, poisons the whole block (`bytes` bytes at `block`); each
    /// table is then exposed.
    static func poisonBlock(_ block: UnsafeMutableRawPointer, bytes: Int) {
        if redZone > 0 { Sanitizer.poison(block, bytes) }
    }

    /// Under ASan, makes a table of the block addressable again.
    static func expose(_ table: UnsafeMutableRawPointer, size: Int) {
        if redZone > 0 { Sanitizer.unpoison(table, size) }
    }
}
