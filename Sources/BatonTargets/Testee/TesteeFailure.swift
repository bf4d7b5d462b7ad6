import BatonModel

/// Why a call to a testee subprocess produced no usable answer.
///
/// Every case has a stable `code` (for reports and tests) and a human `description`
/// naming what happened. `TesteeProcess` turns each one into an `Outcome` with
/// verdict `.error` for the case at hand; it never crashes or throws past its API.
public enum TesteeFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The process could not be started (executable missing, spawn error, empty command).
    case launchFailed(String)
    /// The handshake answered, but not with a usable descriptor (refusal, missing fields).
    case handshakeRejected(String)
    /// The process exited, or was killed by a signal, before answering.
    /// `status` reads e.g. "status 3" or "signal 11 (SIGSEGV)".
    case exited(status: String, stderr: [String])
    /// The testee closed its standard output but kept running (it was then killed).
    case stdoutClosed(stderr: [String])
    /// No complete answer within the per-request timeout; the process group was killed.
    case timeout(after: String, stderr: [String])
    /// The answer line was not a JSON object carrying an integer `id`; `prefix` is its first 200 bytes.
    case garbage(reason: String, prefix: String)
    /// The answer carried another request's id.
    case wrongId(expected: Int, got: Int)
    /// An answer line longer than the protocol's limit (1 MiB).
    case lineTooLong(limit: Int)
    /// A well-framed answer with the right id, but missing or mistyped fields.
    case malformedAnswer(String)
    /// The request could not be written to the testee's standard input.
    case writeFailed(String, stderr: [String])

    /// A stable identifier for this kind of failure.
    public var code: String {
        switch self {
        case .launchFailed: return "testee_launch_failed"
        case .handshakeRejected: return "testee_handshake_rejected"
        case .exited: return "testee_exited"
        case .stdoutClosed: return "testee_stdout_closed"
        case .timeout: return "testee_timeout"
        case .garbage: return "testee_garbage"
        case .wrongId: return "testee_wrong_id"
        case .lineTooLong: return "testee_line_too_long"
        case .malformedAnswer: return "testee_malformed_answer"
        case .writeFailed: return "testee_write_failed"
        }
    }

    /// Whether the answer stream can no longer be trusted, so the process must be
    /// replaced (lazily, with a fresh handshake) before the next request.
    public var requiresRestart: Bool {
        switch self {
        case .malformedAnswer: return false
        default: return true
        }
    }

    /// The last lines the testee wrote to standard error, when they were captured.
    public var stderr: [String] {
        switch self {
        case let .exited(_, lines), let .stdoutClosed(lines), let .timeout(_, lines), let .writeFailed(_, lines): return lines
        default: return []
        }
    }

    public var description: String {
        let summary: String
        switch self {
        case let .launchFailed(why): summary = "the testee could not be started: \(why)"
        case let .handshakeRejected(why): summary = "the testee's handshake was unusable: \(why)"
        case let .exited(status, _): summary = "the testee exited with \(status)"
        case .stdoutClosed: summary = "the testee closed its standard output (stdout closed) and was killed"
        case let .timeout(after, _): summary = "timeout after \(after): no answer, the testee was killed"
        case let .garbage(reason, prefix): summary = "the testee answered garbage (\(reason)): \(prefix)"
        case let .wrongId(expected, got): summary = "protocol error: the answer carried id \(got), expected \(expected)"
        case let .lineTooLong(limit): summary = "protocol error: an answer line exceeded \(limit) bytes (1 MiB limit)"
        case let .malformedAnswer(why): summary = "the testee's answer was malformed: \(why)"
        case let .writeFailed(why, _): summary = "the request could not be written to the testee: \(why)"
        }
        let tail = stderr
        guard !tail.isEmpty else { return summary }
        return summary + "\nstderr (last \(tail.count) line\(tail.count == 1 ? "" : "s")):\n" + tail.map { "  " + $0 }.joined(separator: "\n")
    }
}
