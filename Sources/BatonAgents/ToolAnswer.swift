import BatonModel

/// The tool server's answer to one call, as an agent sees it.
public struct ToolAnswer: Hashable, Sendable {
    public var outcome: Outcome
    /// The tool's output when the call was accepted.
    public var output: String?
    public var chargedCents: Int64
    /// The budget left along the caller's chain after the call (nil: no ceiling).
    public var remainingCents: Int64?

    public init(outcome: Outcome, output: String? = nil, chargedCents: Int64 = 0, remainingCents: Int64? = nil) {
        self.outcome = outcome
        self.output = output
        self.chargedCents = chargedCents
        self.remainingCents = remainingCents
    }
}

/// A tool call as an agent places it.
public struct ToolInvocation: Hashable, Sendable {
    public var tool: String
    public var arguments: [String: String]
    public var token: String?
    /// The name the call is placed by (the agent, or the one it pretends to be).
    public var caller: String
    /// The agent actually placing the call (differs from `caller` when it lies): what transport-level
    /// authentication (mTLS) would tell a gateway.
    public var placedBy: String
    /// The call goes straight to the tool server, around the deployment's gateway.
    public var bypassesGateway: Bool

    public init(tool: String, arguments: [String: String], token: String?, caller: String, placedBy: String, bypassesGateway: Bool = false) {
        self.bypassesGateway = bypassesGateway
        self.tool = tool
        self.arguments = arguments
        self.token = token
        self.caller = caller
        self.placedBy = placedBy
    }
}
