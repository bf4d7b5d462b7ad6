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
