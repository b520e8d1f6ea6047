// Data integrity: every live allocation holds a pattern derived from its
// handle, written when it is handed out and verified before it is freed and
// at every full check. Two allocations that overlap overwrite each other's
// pattern, which metadata checks can miss.
//
// Page allocations get the pattern in the first and last 8 bytes of every
// page (the page is the unit the buddy allocator can get wrong); slab
// objects and small kmalloc objects in every byte they asked for.
//
// The judge is the allocator's client here, so AddressSanitizer checks each
// of these accesses, as it checks a client's: a handed-out byte the allocator
// left poisoned is reported (use-after-poison). The fuzz targets build the
// judge without ASan's load and store checks (see Package.swift), so the
// checks are made explicitly; they do nothing without ASan.

import CSanitizer

extension TraceRun {
    /// The 8-byte pattern word of handle `step`, page or word `index`.
    private func pattern(_ step: Int, _ index: Int) -> UInt64 {
        0xA110_C000_0000_0000 | UInt64(truncatingIfNeeded: step) << 20 | UInt64(truncatingIfNeeded: index & 0xF_FFFF)
    }

    func fillPattern(_ step: Int) {
        guard let a = allocations[step], a.address != subject.zeroSizePointer else { return }
        if a.pages > 0 {
            alloccheck_check_page_ends(a.address, a.pages, Arena.pageSize, 1)
            for page in 0..<a.pages {
                let p = a.address + page * Arena.pageSize
                p.storeBytes(of: pattern(step, page), as: UInt64.self)
                p.storeBytes(of: pattern(step, page), toByteOffset: Arena.pageSize - 8, as: UInt64.self)
            }
        } else {
            alloccheck_check_access(a.address, a.size, 1)
            let words = a.size / 8
            for w in 0..<words { a.address.storeBytes(of: pattern(step, w), toByteOffset: w * 8, as: UInt64.self) }
            for b in (words * 8)..<a.size { a.address.storeBytes(of: UInt8(truncatingIfNeeded: step), toByteOffset: b, as: UInt8.self) }
        }
    }

    func verifyIntegrity(of step: Int) throws(TraceFailure) {
        guard configuration.integrity, let a = allocations[step], a.live, a.address != subject.zeroSizePointer else { return }
        func broken(_ offset: Int) -> TraceFailure {
            fail(.integrity, "the data of \(Handle(a.kind, step)) was overwritten at byte \(offset): another allocation overlaps it "
                 + "or the allocator wrote into it")
        }
        if a.pages > 0 {
            alloccheck_check_page_ends(a.address, a.pages, Arena.pageSize, 0)
            for page in 0..<a.pages {
                let p = a.address + page * Arena.pageSize
                if p.load(as: UInt64.self) != pattern(step, page) { throw broken(page * Arena.pageSize) }
                if p.load(fromByteOffset: Arena.pageSize - 8, as: UInt64.self) != pattern(step, page) {
                    throw broken(page * Arena.pageSize + Arena.pageSize - 8)
                }
            }
        } else {
            alloccheck_check_access(a.address, a.size, 0)
            let words = a.size / 8
            for w in 0..<words where a.address.load(fromByteOffset: w * 8, as: UInt64.self) != pattern(step, w) {
                throw broken(w * 8)
            }
            for b in (words * 8)..<a.size where a.address.load(fromByteOffset: b, as: UInt8.self) != UInt8(truncatingIfNeeded: step) {
                throw broken(b)
            }
        }
    }
}
