/// What an implementation under test did with one presented token or request.
public struct Outcome: Hashable, Sendable, Codable {
    public enum Verdict: String, Hashable, Sendable, Codable {
        /// The token (or request) was accepted.
        case accept
        /// It was refused, with an error code.
        case reject
        /// The implementation did not answer properly: crash, hang, garbage, protocol error.
        case error
    }

    public var verdict: Verdict
    /// The stable error code (`aip_scope_insufficient`, `invalid_grant` …) for rejections.
    public var code: String?
    /// The verification step that decided, when the implementation reports it (e.g. `V4`).
    public var step: String?
    public var message: String?
    /// Each verification step's verdict, when the implementation reports them (`V1 passed: …`).
    public var details: [String]?

    public init(verdict: Verdict, code: String? = nil, step: String? = nil, message: String? = nil, details: [String]? = nil) {
        self.verdict = verdict
        self.code = code
        self.step = step
        self.message = message
        self.details = details
    }

    public static let accepted = Outcome(verdict: .accept)

    public static func rejected(_ code: String, step: String? = nil, message: String? = nil) -> Outcome {
        Outcome(verdict: .reject, code: code, step: step, message: message)
    }

    public static func failed(_ message: String) -> Outcome {
        Outcome(verdict: .error, message: message)
    }
}

extension Outcome {
    /// `accept`, `reject with CODE at STEP`, or `implementation error: …`, for traces and messages.
    public var summary: String {
        switch verdict {
        case .accept: return "accept"
        case .reject: return "reject with \(code ?? "no code")" + (step.map { " at \($0)" } ?? "")
        case .error: return "implementation error: \(message ?? "")"
        }
    }
}

extension Outcome {
    /// The code of an `unsupported` answer: the implementation cannot do what a step needs.
    public static let unsupportedCode = "unsupported"

    /// The `.error` outcome of an implementation that cannot do what a step needs: the runner skips
    /// the case (or, for an issuer, lets the reference stand in) with this reason.
    public static func unsupported(_ reason: String) -> Outcome {
        Outcome(verdict: .error, code: unsupportedCode, message: "unsupported: \(reason)")
    }

    /// The testee's message when this outcome stands for an `unsupported` answer
    /// (the case should be skipped, not judged), also after the runtime's A2A
    /// binding wrapped it as "implementation error: unsupported: …"; otherwise nil.
    public var unsupportedReason: String? {
        guard verdict == .error, let message else { return nil }
        if code == Outcome.unsupportedCode || message.hasPrefix("unsupported:") { return message }
        let wrapped = "implementation error: "
        if message.hasPrefix(wrapped + "unsupported:") { return String(message.dropFirst(wrapped.count)) }
        return nil
    }
}
