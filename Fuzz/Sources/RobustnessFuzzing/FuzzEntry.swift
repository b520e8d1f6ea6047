// What both robustness targets do with one libFuzzer input.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum RobustnessFuzzEntry {
    /// Runs `check` on the input; a problem it reports is printed to stderr
    /// as `<target>: <problem>` and the process aborts, so libFuzzer saves the input.
    public static func run(_ target: String, _ data: UnsafePointer<UInt8>?, _ size: Int,
                           _ check: ([UInt8]) -> String?) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        if let problem = check(bytes) {
            let line = "\(target): \(problem)\n"
            _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
            abort()
        }
        return 0
    }
}
