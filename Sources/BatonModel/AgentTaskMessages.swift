/// The `agent` role: an implementation takes the place of one of a workflow's agents
/// (`behaviours: {writer: {external: true, plan: [...]}}`). Every task sent to that agent goes to
/// the implementation, which verifies the task's token itself and answers with its verdict and the
/// tool calls it wants made; Baton makes them through its tool server, as that agent, with the
/// token the agent received, and judges them against the agent's stated plan
/// (docs/TESTEE-PROTOCOL.md, `agent_task`).

/// One task for an external agent.
public struct AgentTaskRequest: Hashable, Sendable {
    public var profile: TokenProfile
    /// The agent's name on the bus (`writer`).
    public var agent: String
    /// Its identity (`aip:web:acme.com/writer`): the audience it verifies for.
    public var identity: String
    /// The A2A `tasks/send` request exactly as sent (JSON text; an object on the wire).
    public var task: String
    /// The verification Baton would ask of a verifier for this receiver: audience = the agent's
    /// identity, required scope = the task's skill, the scenario's trust anchor, time and settings.
    public var verify: VerifyRequest
    /// The tools the agent can ask for.
    public var tools: [AgentTool]

    public init(profile: TokenProfile, agent: String, identity: String, task: String, verify: VerifyRequest, tools: [AgentTool]) {
        self.profile = profile
        self.agent = agent
        self.identity = identity
        self.task = task
        self.verify = verify
        self.tools = tools
    }
}

/// A tool on the workflow's tool server, as an external agent is told about it.
public struct AgentTool: Hashable, Sendable, Codable {
    public var name: String
    public var priceCents: Int64
    /// The scope a token must grant to call it (`tool:docs.write`).
    public var scope: String

    public init(name: String, priceCents: Int64, scope: String) {
        self.name = name
        self.priceCents = priceCents
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case name, scope
        case priceCents = "price_cents"
    }
}

/// One tool call an external agent asks Baton to make (with the token it received, as itself).
public struct AgentToolCall: Hashable, Sendable {
    public var tool: String
    public var arguments: [String: String]

    public init(tool: String, arguments: [String: String] = [:]) {
        self.tool = tool
        self.arguments = arguments
    }
}

/// An external agent's answer to a task: its verdict on the task (what the sender sees: accept, or
/// the refusal's code and step), the tool calls it wants made, and artifacts of its own that its
/// answer carries after the calls' outputs. `.error` outcomes (a crash, garbage, `unsupported`)
/// carry no calls.
public struct AgentTaskResult: Hashable, Sendable {
    public var outcome: Outcome
    public var calls: [AgentToolCall]
    public var artifacts: [String]

    public init(outcome: Outcome, calls: [AgentToolCall] = [], artifacts: [String] = []) {
        self.outcome = outcome
        self.calls = calls
        self.artifacts = artifacts
    }

    /// No answer to judge: the implementation failed, or answered `unsupported`.
    public static func failed(_ outcome: Outcome) -> AgentTaskResult { AgentTaskResult(outcome: outcome) }
}
