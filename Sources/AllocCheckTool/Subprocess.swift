// Running the toolchain and the fuzz binaries: one place that spawns
// processes, streams their output line by line, and reports their status.
//
// A child runs in a process group of its own (Foundation's `Process` puts it
// there), so a Ctrl-C at the terminal, or a SIGTERM from `timeout` or a CI
// runner, reaches only this command. Left at their default, those signals
// would end the command and leave libFuzzer (and its fork-mode jobs, or a
// `swift build`) running with no one reading its output, and a temporary
// file behind. While a child runs, SIGINT, SIGTERM and SIGHUP are instead
// forwarded to the child's whole group (sent SIGTERM if it has not stopped
// 5 seconds later, and killed 3 seconds after that); once it has stopped,
// `runProcess` throws an interruption, and the caller's cleanup runs as for
// any error. The command then ends by the same signal (`Interruption.endBy`),
// so a shell script running it stops as well.

import Foundation
import Synchronization

/// Runs `executable` with `arguments`, handing each line it writes (stdout and
/// stderr merged) to `line`; returns the exit status (128 + signal when killed).
/// A SIGINT, SIGTERM or SIGHUP received meanwhile is forwarded to the child's
/// process group (sent SIGTERM after `Interruption.gracePeriod`, then killed;
/// killed at once on a second signal); once the child has stopped,
/// `cleanUp` gets its process id (to remove what it left, named by it) and
/// this throws the `ToolError` of `Interruption.error(_:)` (exit status 128 +
/// the signal). One child at a time per process (the command runs them one
/// after another).
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                       directory: String? = nil, cleanUp: (Int32) -> Void = { _ in },
                       line: (String) -> Void) throws(ToolError) -> Int32 {
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
    do { try process.run() } catch {
        forwarding.restore()
        if let signal = forwarding.received() { throw Interruption.error(signal) }
        throw ToolError("cannot run \(executable): \(error.localizedDescription)")
    }
    let group = process.processIdentifier
    Interruption.childStarted(group)
    let fd = pipe.fileHandleForReading.fileDescriptor
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var pending: [UInt8] = []
    // After a forwarded signal, a group still running at the end of the
    // grace period (something that ignores the signal, as a shell's
    // background job ignores SIGINT, or a fork-mode libFuzzer still winding
    // down) gets SIGTERM, which lets libFuzzer remove its temporaries, and
    // then SIGKILL, and the output is no longer waited for.
    var terminateAt: ContinuousClock.Instant?, killAt: ContinuousClock.Instant?
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
        let signals = forwarding.signalsSoFar
        if signals > 0, terminateAt == nil { terminateAt = .now + Interruption.gracePeriod }
        if signals > 1 { killAt = .now }  // asked twice: no more waiting
        if let deadline = terminateAt, killAt == nil, ContinuousClock.now >= deadline {
            kill(-group, SIGTERM)
            killAt = deadline + Interruption.termPeriod
        }
        if let killAt, ContinuousClock.now >= killAt {
            kill(-group, SIGKILL)
            break reading
        }
    }
    if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
    process.waitUntilExit()
    // Handlers back first: a signal from here on takes its usual course
    // rather than being recorded and never acted on.
    forwarding.restore()
    if let signal = forwarding.received() {
        cleanUp(group)
        throw Interruption.error(signal)
    }
    return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
}

/// The signals forwarded to a running child, and what is known of them.
/// The handler only loads and stores atomics and calls `kill`, all safe in
/// a signal handler (the atomics are set up in `forward`, never first in the
/// handler, and `errno` is kept as it was).
public enum Interruption {
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// How long a child's process group has to stop after a forwarded signal before it gets SIGTERM.
    static let gracePeriod = Duration.seconds(5)
    /// How long it then has before SIGKILL.
    static let termPeriod = Duration.seconds(3)
    /// The running child's process group (0: none started yet).
    private static let childGroup = Atomic<Int32>(0)
    /// The first forwarded signal received while the child ran (0: none).
    private static let receivedSignal = Atomic<Int32>(0)
    /// How many forwarded signals came while the child ran.
    private static let signalCount = Atomic<Int32>(0)

    /// The error of a command stopped by `signal`: exit status 128 + the signal, as a shell reports it.
    public static func error(_ signal: Int32) -> ToolError {
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : signal == SIGHUP ? "SIGHUP" : "signal \(signal)"
        return ToolError("interrupted by \(name)", exitCode: 128 + signal, interruptedBy: signal)
    }

    /// `error` with `kept` (what the interrupted work left as it was)
    /// added, when it is an interruption; any other error as it is.
    public static func saying(_ kept: String, _ error: ToolError) -> ToolError {
        guard let signal = error.interruptedBy else { return error }
        return ToolError(error.message + ": " + kept, exitCode: error.exitCode, interruptedBy: signal)
    }

    /// Ends the process by `signal`, its handler back at the default, as
    /// a program stopped by a signal should once it has cleaned up: a shell
    /// running it in a loop or a script then stops too, which an exit
    /// status of 128 + the signal would not make it do.
    public static func endBy(_ signal: Int32) -> Never {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, signal)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        kill(getpid(), signal)
        exit(128 + signal)  // only if the signal did not end it
    }

    /// The handlers in place while one child runs.
    public struct Forwarding {
        fileprivate var previous: [(Int32, sigaction)] = []

        /// How many forwarded signals have come.
        public var signalsSoFar: Int32 { Interruption.signalCount.load(ordering: .sequentiallyConsistent) }

        /// The signal received while the child ran, if any (and forgets it).
        public func received() -> Int32? {
            Interruption.signalCount.store(0, ordering: .sequentiallyConsistent)
            let signal = Interruption.receivedSignal.exchange(0, ordering: .sequentiallyConsistent)
            return signal == 0 ? nil : signal
        }

        /// Puts back the handlers that were there before.
        public func restore() {
            for (signal, old) in previous {
                var old = old
                sigaction(signal, &old, nil)
            }
            Interruption.childGroup.store(0, ordering: .sequentiallyConsistent)
        }
    }

    /// Installs the forwarding handlers (not over a signal that is ignored, as
    /// SIGINT is in a shell's background job: the command keeps ignoring it).
    /// Restarting system calls keeps reading the child's output undisturbed.
    public static func forward() -> Forwarding {
        // Touched here first, so the handler never runs their one-time set-up.
        childGroup.store(0, ordering: .sequentiallyConsistent)
        receivedSignal.store(0, ordering: .sequentiallyConsistent)
        signalCount.store(0, ordering: .sequentiallyConsistent)
        var forwarding = Forwarding()
        forwarding.previous = install({ signal in Interruption.handle(signal) }, flags: SA_RESTART)
        return forwarding
    }

    /// Installs `handler` for each forwarded signal that is not ignored (an
    /// ignored one stays ignored); the signals it was installed for, with
    /// the actions they had.
    private static func install(_ handler: __sighandler_t?, flags: Int32 = 0) -> [(Int32, sigaction)] {
        var previous: [(Int32, sigaction)] = []
        for signal in forwarded {
            var old = sigaction()
            guard sigaction(signal, nil, &old) == 0, !isIgnored(old) else { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            action.sa_flags = flags
            sigemptyset(&action.sa_mask)
            if sigaction(signal, &action, nil) == 0 { previous.append((signal, old)) }
        }
        return previous
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// The address of a C string `sayOnSignal`'s handler writes (0: none).
    private static let lastWords = Atomic<UInt>(0)

    /// For work in this process that cannot stop part-way (`check`'s
    /// suites): from now on SIGINT, SIGTERM or SIGHUP (each not ignored)
    /// writes `error: interrupted by <signal>: <kept>` to stderr and ends the
    /// process by that signal, as `endBy` does. Call again to change `kept`
    /// as the work goes on. The handler only reads an atomic and calls
    /// `write`, `strlen` and what `endBy` calls, all safe in a handler.
    public static func sayOnSignal(_ kept: String) {
        let first = lastWords.load(ordering: .sequentiallyConsistent) == 0
        // The old string is left allocated: a handler may be reading it.
        lastWords.store(UInt(bitPattern: strdup(kept)), ordering: .sequentiallyConsistent)
        guard first else { return }
        _ = install { signal in Interruption.sayAndEnd(signal) }
    }

    /// Ends `sayOnSignal`: the signals it handled get their default
    /// action back (a caller that must finish what follows holds them with
    /// `forward` next).
    public static func stopSaying() {
        guard lastWords.exchange(0, ordering: .sequentiallyConsistent) != 0 else { return }
        _ = install(SIG_DFL)
    }

    private static func sayAndEnd(_ signal: Int32) -> Never {
        let name: StaticString = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGHUP"
        func put(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
        put("error: interrupted by ")
        put(name)
        if let words = UnsafePointer<CChar>(bitPattern: lastWords.load(ordering: .sequentiallyConsistent)) {
            put(": ")
            _ = write(2, words, strlen(words))
        }
        put("\n")
        endBy(signal)
    }

    /// Records the child's group, and forwards a signal that came before it started.
    static func childStarted(_ pid: Int32) {
        childGroup.store(pid, ordering: .sequentiallyConsistent)
        let signal = receivedSignal.load(ordering: .sequentiallyConsistent)
        if signal != 0 { kill(-pid, signal) }
    }

    private static func handle(_ signal: Int32) {
        let savedErrno = errno
        _ = receivedSignal.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent)
        signalCount.add(1, ordering: .sequentiallyConsistent)
        let group = childGroup.load(ordering: .sequentiallyConsistent)
        if group > 0 { kill(-group, signal) }
        errno = savedErrno
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
