// Running the toolchain and the fuzz binaries: one place that spawns
// processes, streams their output line by line, and reports their status.

import Foundation

/// Runs `executable` with `arguments`, handing each line it writes (stdout and
/// stderr merged) to `line`; returns the exit status (128 + signal when killed).
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                       directory: String? = nil, line: (String) -> Void) throws(ToolError) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for key in environment.keys.sorted() { env[key] = environment[key] }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
        throw ToolError("cannot run \(executable): \(error.localizedDescription)")
    }
    let reader = pipe.fileHandleForReading
    var pending: [UInt8] = []
    while true {
        let chunk = reader.availableData
        if chunk.isEmpty { break }
        for byte in chunk {
            if byte == 10 {
                line(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
    }
    if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
}

/// The full path of `name` on PATH, or nil.
public func findOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
