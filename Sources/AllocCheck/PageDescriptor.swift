import Invariants

/// Per-page metadata, the counterpart of the kernel's `struct page`.
///
/// One descriptor per page frame, all in one contiguous array owned by the
/// `PageAllocator`. Only a block's head page says what the block is; the other
/// pages of a block stay `.tail`, so allocating or freeing a block touches one
/// descriptor per split or merge step, never every page (O(top order)).
///
/// Field use by kind (a union in spirit, as in the kernel):
/// - `.free`: `order`, and `next`/`prev` link the block into its free list.
/// - `.allocated`: `order`.
/// - `.exact`: `info` holds the requested size in bytes.
/// - `slab`: index of the slab the page belongs to, or -1 (slab layer).
public struct PageDescriptor: Equatable, Sendable {
    public var kind: PageKind
    public var order: UInt8
    public var next: Int32
    public var prev: Int32
    public var slab: Int32
    public var info: UInt64

    // Written out (the memberwise one is the same) so that the allocator's
    // inlinable paths can use it.
    @inlinable
    init(kind: PageKind, order: UInt8, next: Int32, prev: Int32, slab: Int32, info: UInt64) {
        self.kind = kind
        self.order = order
        self.next = next
        self.prev = prev
        self.slab = slab
        self.info = info
    }

    @inlinable
    static var tail: PageDescriptor {
        PageDescriptor(kind: .tail, order: 0, next: -1, prev: -1, slab: -1, info: 0)
    }
}
