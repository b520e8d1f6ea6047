// libFuzzer target `exact`: any bytes decode to a trace of the `exact` profile,
// which must pass the judge. On failure it prints the reason and the readable
// trace to stderr and aborts.

import FuzzSupport
import Harness

nonisolated(unsafe) let judge = FuzzJudge.make()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(data, size, profile: .exact, judge: judge)
}
