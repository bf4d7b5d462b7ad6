import BatonModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running testee process and its three pipes.
///
/// Single-threaded and deadline-driven: every wait is a `poll(2)` on the
/// descriptors with the time left, so a silent, chatty or stuck testee can delay
/// a request by at most its deadline. Standard error is drained during every wait
/// into a bounded tail; standard output is framed by a bounded `LineReader`.
/// Not thread-safe: `TesteeProcess` serialises all use under its lock.
final class TesteeConnection {
    /// A point in time and the budget it was computed from (for messages).
    struct Deadline {
        let budget: Duration
        let instant: ContinuousClock.Instant

        init(_ budget: Duration) {
            self.budget = budget
            instant = .now + budget
        }

        /// Milliseconds left, rounded up; nil once the deadline has passed.
        var remainingMillis: Int32? {
            let left = instant - .now
            guard left > .zero else { return nil }
            let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
            return Int32(clamping: ms)
        }
    }

    private let process: Process
    private let stdinHandle: FileHandle
    private let stdoutHandle: FileHandle
    private let stderrHandle: FileHandle
    private var stdinOpen = true
    private var stdoutOpen = true
    private var stderrOpen = true
    private var lines: LineReader
    private var tail = StderrTail()
    private var closed = false

    /// The process id (also its process group id).
    var pid: Int32 { process.processIdentifier }
    /// Whether the process has not been reaped yet.
    var isRunning: Bool { process.isRunning }
    /// The last lines of standard error seen so far.
    var stderrLines: [String] { tail.snapshot }

    /// Starts `command` (its first element resolved through `PATH`) in its own process group.
    init(command: [String], environment: [String: String], maxLineBytes: Int) throws(TesteeFailure) {
        TesteeConnection.ignoreSIGPIPE
        guard let program = command.first, !program.isEmpty else { throw .launchFailed("empty command") }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        guard let executable = TesteeConnection.resolve(program, path: env["PATH"]) else {
            throw .launchFailed("executable not found: \(program)")
        }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        process.environment = env
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        stdinHandle = stdin.fileHandleForWriting
        stdoutHandle = stdout.fileHandleForReading
        stderrHandle = stderr.fileHandleForReading
        lines = LineReader(limit: maxLineBytes)
        do {
            // Foundation spawns with POSIX_SPAWN_SETPGROUP: the child leads its own process group.
            try process.run()
        } catch {
            closeDescriptors()
            throw .launchFailed("\(executable): \(error.localizedDescription)")
        }
        let flags = fcntl(stdinHandle.fileDescriptor, F_GETFL)
        _ = fcntl(stdinHandle.fileDescriptor, F_SETFL, flags | O_NONBLOCK)
    }

    deinit { kill() }

    /// Writes `bytes` (one request line) to the testee's standard input before `deadline`.
    func send(_ bytes: [UInt8], deadline: Deadline) throws(TesteeFailure) {
        var offset = 0
        while offset < bytes.count {
            guard stdinOpen else { throw .writeFailed("standard input is closed", stderr: stderrLines) }
            let written = bytes[offset...].withUnsafeBytes { write(stdinHandle.fileDescriptor, $0.baseAddress, $0.count) }
            if written > 0 { offset += written; continue }
            let error = errno
            if written < 0 && error == EINTR { continue }
            if written < 0 && (error == EAGAIN || error == EWOULDBLOCK) {
                guard let ms = deadline.remainingMillis else { throw timeout(deadline) }
                waitForIO(ms, writing: true)
                continue
            }
            // EPIPE and friends: the testee is gone or closed its input.
            throw gone(or: .writeFailed(String(cString: strerror(error)), stderr: stderrLines))
        }
    }

    /// The next answer line, read before `deadline`.
    func receive(deadline: Deadline) throws(TesteeFailure) -> [UInt8] {
        while true {
            switch lines.next() {
            case let .line(line): return line
            case .overflow: throw .lineTooLong(limit: lines.limit)
            case nil: break
            }
            guard stdoutOpen else { throw gone(or: .stdoutClosed(stderr: stderrLines)) }
            guard let ms = deadline.remainingMillis else { throw timeout(deadline) }
            waitForIO(ms, writing: false)
        }
    }

    /// Ends the process politely: closes its input, waits up to `grace` for it to exit,
    /// then kills its process group. Closes every descriptor.
    func close(grace: Duration) {
        closeStdin()
        let deadline = Deadline(grace)
        while process.isRunning, let ms = deadline.remainingMillis {
            waitForIO(min(ms, 20), writing: false)
        }
        kill()
    }

    /// Kills the whole process group at once (SIGKILL), closes the descriptors,
    /// and waits briefly for Foundation to reap the process.
    func kill() {
        guard !closed else { return }
        closed = true
        let pid = process.processIdentifier
        // The group too when the leader is gone: children it left behind may hold the pipes.
        if pid > 0 && signalProcess(-pid, SIGKILL) != 0 && process.isRunning { _ = signalProcess(pid, SIGKILL) }
        closeDescriptors()
        let deadline = Deadline(.seconds(2))
        while process.isRunning, deadline.remainingMillis != nil { usleep(2_000) }
    }

    // MARK: - waiting

    /// One `poll(2)` round: drains readable stdout/stderr into their buffers; returns
    /// when something happened or `ms` elapsed.
    private func waitForIO(_ ms: Int32, writing: Bool) {
        var fds = [
            pollfd(fd: stdoutOpen ? stdoutHandle.fileDescriptor : -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stderrOpen ? stderrHandle.fileDescriptor : -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: writing && stdinOpen ? stdinHandle.fileDescriptor : -1, events: Int16(POLLOUT), revents: 0),
        ]
        let ready = poll(&fds, nfds_t(fds.count), ms)
        guard ready > 0 else {
            // poll(2) waits out the timeout even when every descriptor is closed (-1); only a
            // hard error returns early, and must not turn the caller's loop into a busy spin.
            if ready < 0 && errno != EINTR { usleep(1_000) }
            return
        }
        let readable = Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)
        if fds[0].revents & readable != 0 { drain(stdout: true) }
        if fds[1].revents & readable != 0 { drain(stdout: false) }
        if fds[2].revents & (Int16(POLLERR) | Int16(POLLHUP)) != 0 { closeStdin() }
    }

    /// Reads one chunk from stdout or stderr; marks the stream closed at end of file.
    private func drain(stdout: Bool) {
        let fd = stdout ? stdoutHandle.fileDescriptor : stderrHandle.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            if stdout { lines.append(chunk[0..<n]) } else { tail.append(chunk[0..<n]) }
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
            if stdout { stdoutOpen = false } else { stderrOpen = false }
        }
    }

    /// The failure to report once stdout or stdin broke: an exit when the process
    /// ends within a short while (stderr drained meanwhile), otherwise `otherwise`.
    private func gone(or otherwise: TesteeFailure) -> TesteeFailure {
        let deadline = Deadline(.seconds(1))
        while process.isRunning, let ms = deadline.remainingMillis { waitForIO(min(ms, 20), writing: false) }
        // Collect what the testee printed on its way out (bounded: the pipe closes at exit).
        let drainDeadline = Deadline(.milliseconds(200))
        while stderrOpen, let ms = drainDeadline.remainingMillis { waitForIO(ms, writing: false) }
        guard !process.isRunning else { return otherwise }
        return .exited(status: TesteeConnection.describeTermination(process), stderr: stderrLines)
    }

    private func timeout(_ deadline: Deadline) -> TesteeFailure {
        .timeout(after: TesteeConnection.describe(deadline.budget), stderr: stderrLines)
    }

    private func closeStdin() {
        guard stdinOpen else { return }
        stdinOpen = false
        try? stdinHandle.close()
    }

    private func closeDescriptors() {
        closeStdin()
        stdoutOpen = false
        stderrOpen = false
        try? stdoutHandle.close()
        try? stderrHandle.close()
    }

    // MARK: - helpers

    /// Writing to a pipe whose reader died must fail with EPIPE, not kill Baton.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// `program` itself when it contains a slash, otherwise the first executable match in `path`.
    static func resolve(_ program: String, path: String?) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// "status 3", or "signal 11 (SIGSEGV)".
    static func describeTermination(_ process: Process) -> String {
        let status = process.terminationStatus
        guard process.terminationReason == .uncaughtSignal else { return "status \(status)" }
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
            SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM",
        ]
        return "signal \(status)" + (names[status].map { " (\($0))" } ?? "")
    }

    /// "10s", "1.5s", "250ms".
    static func describe(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms < 1000 { return "\(ms)ms" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        var text = String(format: "%.3f", Double(ms) / 1000)
        while text.hasSuffix("0") { text.removeLast() }
        return text + "s"
    }
}

/// `kill(2)`, outside `TesteeConnection` whose own `kill()` would shadow it.
private func signalProcess(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}
