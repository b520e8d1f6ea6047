// libFuzzer target `decoding`: the property-testing engine decodes, replays
// and shrinks any bytes through recursive, self-referential, byte-string and
// collection generators without crashing, hanging or giving a different
// answer on replay. On failure it prints what went wrong and aborts.

import RobustnessFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    RobustnessFuzzEntry.run("decoding", data, size, DecodingFuzzing.run)
}
