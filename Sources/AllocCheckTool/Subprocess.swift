// Running the toolchain and the fuzz binaries: one place that spawns
// processes, streams their output line by line, and reports their status.
//
// A child runs in a process group of its own (Foundation's `Process` puts it
// there), so a Ctrl-C at the terminal, or a SIGTERM from `timeout` or a CI
// runner, reaches only this command. Left at their default, those signals
// would end the command and leave libFuzzer (and its fork-mode jobs, or a
// `swift build`) running with no one reading its output, and a temporary
// file behind. While a child runs, SIGINT, SIGTERM and SIGHUP are instead
// forwarded to the child's whole group (killed if it has not stopped 5
// seconds later); once it has stopped, `runProcess` throws an interruption,
// and the caller's cleanup runs as for any error.

import Foundation
import Synchronization

/// Runs `executable` with `arguments`, handing each line it writes (stdout and
/// stderr merged) to `line`; returns the exit status (128 + signal when killed).
/// A SIGINT, SIGTERM or SIGHUP received meanwhile is forwarded to the child's
/// process group (killed after `Interruption.gracePeriod` if still running);
/// once the child has stopped, this throws the `ToolError`
/// of `Interruption.error(_:)` (exit status 128 + the signal). One child at a
/// time per process (the command runs them one after another).
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
    let forwarding = Interruption.forward()
    defer { forwarding.restore() }
    do { try process.run() } catch {
        throw ToolError("cannot run \(executable): \(error.localizedDescription)")
    }
    Interruption.childStarted(process.processIdentifier)
    let fd = pipe.fileHandleForReading.fileDescriptor
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var pending: [UInt8] = []
    // Once a signal was forwarded, what still runs after the grace period
    // (something that ignores the signal, as a shell's background job
    // ignores SIGINT) is killed, and the output is no longer waited for.
    var killAt: ContinuousClock.Instant?
    reading: while true {
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let polled = poll(&ready, 1, 100)
        if polled > 0 {
            let count = read(fd, &buffer, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            for byte in buffer[..<count] {
                if byte == 10 {
                    line(String(decoding: pending, as: UTF8.self))
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(byte)
                }
            }
        } else if polled < 0, errno != EINTR {
            break
        }
        if killAt == nil, forwarding.wasSignalled { killAt = .now + Interruption.gracePeriod }
        if let killAt, ContinuousClock.now >= killAt {
            kill(-process.processIdentifier, SIGKILL)
            break reading
        }
    }
    if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
    process.waitUntilExit()
    if let signal = forwarding.received() { throw Interruption.error(signal) }
    return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
}

/// The signals forwarded to a running child, and what is known of one
/// received. The handler only loads and stores atomics and calls `kill`,
/// both safe in a signal handler.
public enum Interruption {
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// How long a child's process group has to stop after a forwarded signal before it is killed.
    static let gracePeriod = Duration.seconds(5)
    /// The running child's process group (0: none started yet).
    private static let childGroup = Atomic<Int32>(0)
    /// The first forwarded signal received while the child ran (0: none).
    private static let receivedSignal = Atomic<Int32>(0)

    /// The message and exit status (128 + `signal`, as a shell reports it) of a command stopped by `signal`.
    public static func error(_ signal: Int32, _ detail: String = "") -> ToolError {
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : signal == SIGHUP ? "SIGHUP" : "signal \(signal)"
        return ToolError("interrupted by \(name)" + (detail.isEmpty ? "" : ": " + detail), exitCode: 128 + signal)
    }

    /// Whether `error` is one `runProcess` threw for a signal.
    public static func isInterruption(_ error: ToolError) -> Bool { error.message.hasPrefix("interrupted by ") && error.exitCode > 128 }

    /// The handlers in place while one child runs.
    struct Forwarding {
        fileprivate var previous: [(Int32, sigaction)] = []

        /// Whether a forwarded signal has come.
        var wasSignalled: Bool { Interruption.receivedSignal.load(ordering: .sequentiallyConsistent) != 0 }

        /// The signal received while the child ran, if any (and forgets it).
        func received() -> Int32? {
            let signal = Interruption.receivedSignal.exchange(0, ordering: .sequentiallyConsistent)
            return signal == 0 ? nil : signal
        }

        /// Puts back the handlers that were there before.
        func restore() {
            Interruption.childGroup.store(0, ordering: .sequentiallyConsistent)
            for (signal, old) in previous {
                var old = old
                sigaction(signal, &old, nil)
            }
        }
    }

    /// Installs the forwarding handlers (not over a signal that is ignored, as
    /// SIGINT is in a shell's background job: the command keeps ignoring it).
    /// Restarting system calls keeps reading the child's output undisturbed.
    static func forward() -> Forwarding {
        receivedSignal.store(0, ordering: .sequentiallyConsistent)
        var forwarding = Forwarding()
        for signal in forwarded {
            var old = sigaction()
            guard sigaction(signal, nil, &old) == 0, !isIgnored(old) else { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in Interruption.handle(signal) }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            if sigaction(signal, &action, nil) == 0 { forwarding.previous.append((signal, old)) }
        }
        return forwarding
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Records the child's group, and forwards a signal that came before it started.
    static func childStarted(_ pid: Int32) {
        childGroup.store(pid, ordering: .sequentiallyConsistent)
        let signal = receivedSignal.load(ordering: .sequentiallyConsistent)
        if signal != 0 { kill(-pid, signal) }
    }

    private static func handle(_ signal: Int32) {
        _ = receivedSignal.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
        let group = childGroup.load(ordering: .sequentiallyConsistent)
        if group > 0 { kill(-group, signal) }
    }
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
