import BatonModel

/// The outcome of one call: accepted with the tool's output, the price charged and the budget
/// left; or refused (nothing charged).
public struct ToolCallResult: Hashable, Sendable {
    /// The tool called.
    public var tool: String
    /// `.accepted`, `.rejected(code, step:, message:)`, or `.error` when a client could not get an answer.
    public var outcome: Outcome
    /// The tool's output, for accepted calls.
    public var output: String?
    /// What the call cost (zero unless accepted).
    public var chargedCents: Int64
    /// The least budget left along the caller's chain after an accepted call; nil when no hop has a
    /// ceiling, and for refused calls.
    public var remainingCents: Int64?

    public init(tool: String, outcome: Outcome, output: String? = nil, chargedCents: Int64 = 0, remainingCents: Int64? = nil) {
        self.tool = tool
        self.outcome = outcome
        self.output = output
        self.chargedCents = chargedCents
        self.remainingCents = remainingCents
    }

    /// A refusal of a call to `tool`.
    public static func refused(_ tool: String, _ refusal: ToolRefusal) -> ToolCallResult {
        ToolCallResult(tool: tool, outcome: .rejected(refusal.code, step: refusal.step, message: refusal.message))
    }

    /// A call that got no proper answer (transport failure, garbage).
    public static func failed(_ tool: String, _ message: String) -> ToolCallResult {
        ToolCallResult(tool: tool, outcome: .failed(message))
    }

    /// The refusal this result stands for, when it is one.
    public var refusal: ToolRefusal? {
        guard outcome.verdict == .reject else { return nil }
        return ToolRefusal(code: outcome.code ?? "", step: outcome.step, message: outcome.message ?? "")
    }
}
