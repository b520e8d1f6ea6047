/// The slab layer's part of an `AllocatorSnapshot` (filled in by allocators
/// that have a slab layer; empty otherwise).
public struct SlabLayerSnapshot: Equatable, Sendable {
    public init() {}
}
