import Foundation

/// Runs a program to completion and returns its exit status and everything it printed.
///
/// Standard output and standard error go to temporary files rather than pipes, so a chatty child
/// cannot deadlock the caller and grandchildren that keep a descriptor open cannot hang it; a run
/// that outlives its timeout is terminated (then killed) and marked ``Output/timedOut``.
public enum ProcessRunner {
    /// What a finished run left behind.
    public struct Output: Sendable {
        /// The exit status, or the signal number when the program died of a signal.
        public var status: Int32
        /// Whether the program died of a signal (``status`` is then the signal number).
        public var signalled: Bool
        /// Whether the run was stopped because it outlived its timeout.
        public var timedOut: Bool
        public var stdout: Data
        public var stderr: Data

        /// Standard output as UTF-8 text.
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// Standard error as UTF-8 text.
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        /// Exited by itself with status 0.
        public var succeeded: Bool { status == 0 && !signalled && !timedOut }
    }

    /// The program could not be started (missing, not executable, no temporary directory).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` with `arguments`, feeding it `stdin` (else an empty input), and waits at most
    /// `timeout` for it to exit.
    ///
    /// - Parameter executable: a path (relative to the working directory, or absolute), or a bare
    ///   name looked up on `PATH`.
    public static func run(
        _ executable: String, _ arguments: [String] = [], stdin: Data? = nil, timeout: Duration = .seconds(120)
    ) throws -> Output {
        guard let path = resolve(executable) else { throw Failure(description: "\(executable): not found on PATH") }
        let files = FileManager.default
        let dir = files.temporaryDirectory.appendingPathComponent("baton-process-\(UUID().uuidString)")
        do { try files.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw Failure(description: "cannot create \(dir.path): \(error)")
        }
        defer { try? files.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        let inURL = dir.appendingPathComponent("stdin")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let handles: [FileHandle]
        do {
            try Data().write(to: outURL)
            try Data().write(to: errURL)
            try (stdin ?? Data()).write(to: inURL)
            handles = [try FileHandle(forReadingFrom: inURL), try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL)]
        } catch {
            throw Failure(description: "cannot prepare the standard streams of \(path): \(error)")
        }
        defer { for handle in handles { try? handle.close() } }
        process.standardInput = handles[0]
        process.standardOutput = handles[1]
        process.standardError = handles[2]

        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { throw Failure(description: "cannot start \(path): \(error)") }
        var timedOut = false
        if exited.wait(timeout: .now() + seconds(timeout)) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
            stdout: (try? Data(contentsOf: outURL)) ?? Data(), stderr: (try? Data(contentsOf: errURL)) ?? Data())
    }

    /// The first executable `name` in a directory of `PATH`.
    public static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func resolve(_ executable: String) -> String? {
        executable.contains("/") ? executable : onPath(executable)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
