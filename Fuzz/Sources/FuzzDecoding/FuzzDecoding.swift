// libFuzzer target `decoding`: the property-testing engine decodes, replays
// and shrinks any bytes through recursive, self-referential, byte-string and
// collection generators without crashing, hanging or giving a different
// answer on replay. On failure it prints what went wrong and aborts.

import RobustnessFuzzing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let problem = DecodingFuzzing.run(bytes) {
        let line = "decoding: \(problem)\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        abort()
    }
    return 0
}
