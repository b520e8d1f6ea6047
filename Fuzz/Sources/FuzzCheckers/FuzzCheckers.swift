// libFuzzer target `checkers`: any bytes decode (through the property-testing
// engine) to an allocator snapshot, invented or a real one overwritten with
// extreme values; every invariant checker must report it without crashing,
// within its limit, and find nothing wrong in a real one left untouched. On
// failure it prints what went wrong and aborts.

import RobustnessFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    RobustnessFuzzEntry.run("checkers", data, size, CheckerFuzzing.run)
}
