#if canImport(Glibc)
import Glibc
#endif

// Child processes for tests whose subject may crash or hang: the parent
// records how the child ended instead of dying with it. Used by the
// AddressSanitizer tests and the hostile-input tests.
#if canImport(Glibc)
/// How a child process ended.
enum ChildStatus: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    var description: String {
        switch self {
        case let .exited(code): return "exited with status \(code)"
        case let .signalled(signal): return "killed by signal \(signal)"
        }
    }
}

struct ChildError: Error, CustomStringConvertible {
    var description: String
    /// The child ran over its time and was killed.
    var timedOut = false
}

/// Forks; in the child, points stderr at a pipe and runs `body` (which must
/// end the child with `_exit`, and must not lock or allocate). In the parent,
/// collects everything the child wrote to stderr and how it ended. A child
/// that outlives `timeoutSeconds` is killed, and the test fails with its
/// output so far rather than hanging.
func runInChild(
    timeoutSeconds: Int = 120, _ body: () -> Never
) throws -> (status: ChildStatus, stderr: String) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw ChildError(description: "pipe failed: errno \(errno)") }
    let (readEnd, writeEnd) = (fds[0], fds[1])

    let pid = fork()
    if pid == 0 {
        // Child: only async-signal-safe calls from here on. Its own process
        // group, so that a timeout kills whatever it started too.
        _ = setpgid(0, 0)
        _ = dup2(writeEnd, STDERR_FILENO)
        body()
    }
    close(writeEnd)
    defer { close(readEnd) }
    guard pid > 0 else { throw ChildError(description: "fork failed: errno \(errno)") }
    // Also here, so that the group exists whichever of the two runs first.
    _ = setpgid(pid, pid)

    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    let deadline = time(nil) + timeoutSeconds
    var timedOut = false
    while true {
        var request = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&request, 1, 1000)
        if ready < 0 && errno != EINTR { break }
        if ready > 0 {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 { output.append(contentsOf: buffer[0..<count]); continue }
            if count == 0 || errno != EINTR { break } // end of file: the child has closed stderr
        }
        if time(nil) > deadline {
            timedOut = true
            kill(-pid, SIGKILL)
            break
        }
    }

    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw ChildError(description: "waitpid failed: errno \(errno)") }
    }
    let text = String(decoding: output, as: UTF8.self)
    if timedOut {
        throw ChildError(description: "the child ran over \(timeoutSeconds) s; its stderr:\n\(text)", timedOut: true)
    }
    // The wait status layout of <sys/wait.h>: low 7 bits the signal, next 8 bits the exit code.
    let signal = status & 0x7F
    return (signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal), text)
}

/// What a call with a hostile input did, run in a child process.
struct HostileOutcome: CustomStringConvertible {
    var status: ChildStatus
    /// "returned: <text>" or "threw <error type>: <error>", then anything
    /// else the child wrote to stderr (a crash report).
    var output: String

    /// The child ended normally: the call returned or threw, it did not crash.
    var survived: Bool { status == .exited(0) }
    var description: String { "\(status): \(output)" }
}

/// Runs `body` in a forked child and reports how the child ended and what
/// the call did, so that a crash is a failed expectation, not a dead test run.
///
/// Unlike `runInChild`'s usual bodies, `body` allocates and may take the
/// Swift runtime's locks; glibc makes malloc safe in a forked child, but a
/// runtime lock that another test thread held at the instant of the fork
/// would hang the child. So a child that runs over its time is tried once
/// more: a real hang hangs twice, and is then reported.
func runHostile(timeoutSeconds: Int = 30, _ body: () throws -> String) throws -> HostileOutcome {
    var attempt = 0
    while true {
        attempt += 1
        do {
            let child = try runInChild(timeoutSeconds: timeoutSeconds) {
                // A trap kills the child at once: the Swift runtime's crash handler, which
                // would symbolicate first, can itself trip AddressSanitizer and hang.
                for trap in [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV] { signal(trap, SIG_DFL) }
                var text: String
                do {
                    text = "returned: " + (try body())
                } catch {
                    text = "threw \(type(of: error)): \(error)"
                }
                text += "\n"
                _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
                _exit(0)
            }
            return HostileOutcome(status: child.status, output: child.stderr)
        } catch let error as ChildError where error.timedOut && attempt < 2 {
            continue
        }
    }
}
#endif
