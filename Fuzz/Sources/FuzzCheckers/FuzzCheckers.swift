// libFuzzer target `checkers`: any bytes decode (through the property-testing
// engine) to an allocator snapshot, invented or a real one overwritten with
// extreme values; every invariant checker must report it without crashing,
// within its limit, and find nothing wrong in a real one left untouched. On
// failure it prints what went wrong and aborts.

import RobustnessFuzzing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let problem = CheckerFuzzing.run(bytes) {
        let line = "checkers: \(problem)\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        abort()
    }
    return 0
}
