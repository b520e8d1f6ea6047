extension Array {
    /// Makes the array hold exactly `elements`, in its own storage when that
    /// is large enough. Snapshots and judge buffers kept from one fuzz
    /// execution to the next are refilled this way: assigning a new array
    /// would allocate (or share another's buffer) every time.
    @inlinable
    package mutating func replaceContents<S: Sequence>(with elements: S) where S.Element == Element {
        removeAll(keepingCapacity: true)
        append(contentsOf: elements)
    }
}
