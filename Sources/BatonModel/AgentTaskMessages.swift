/// The `agent` role: an implementation takes the place of one of a workflow's agents
/// (`behaviours: {writer: {external: true, plan: [...]}}`). Every task sent to that agent goes to
/// the implementation, which verifies the task's token itself and answers with its verdict and the
/// actions it wants made (tool calls, delegations to peers, forwards); Baton makes them as that
/// agent — calls through its tool server with the token the agent received, delegations through the
/// run's issuer or with the agent's own token — and judges them against the agent's stated plan
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
    /// The other agents on the bus, as their cards list them: whom it can delegate or forward to.
    public var peers: [AgentPeer]
    /// Where the agent can act itself over loopback HTTP while it handles this task (nil: nowhere;
    /// it asks for its actions in its answer).
    public var endpoints: AgentEndpoints?
    /// What the scenario expects the agent to do, in order (a call with `times: n` listed n times).
    /// Only Baton's own reference agents follow it (`baton serve-agent`, which reads it from the test
    /// control of an A2A task); an implementation under test is judged against it, and the testee
    /// protocol does not send it.
    public var plan: [AgentTaskAction]

    public init(
        profile: TokenProfile, agent: String, identity: String, task: String, verify: VerifyRequest, tools: [AgentTool], peers: [AgentPeer] = [],
        endpoints: AgentEndpoints? = nil, plan: [AgentTaskAction] = []
    ) {
        self.plan = plan
        self.profile = profile
        self.agent = agent
        self.identity = identity
        self.task = task
        self.verify = verify
        self.tools = tools
        self.peers = peers
        self.endpoints = endpoints
    }
}

/// The endpoints Baton opens for one external agent and one task, as a deployment would give a real
/// agent: its tool server (MCP over HTTP, `POST <tool_server>` with the token in `X-AIP-Token`) and
/// its peers (A2A, `POST <peers>/agents/<name>` with the token at `params.metadata.aip_token`). They
/// are the agent's alone, so whatever arrives on them is from that agent.
public struct AgentEndpoints: Hashable, Sendable, Codable {
    /// The MCP endpoint's URL.
    public var toolServer: String
    /// The base URL of the peers' A2A endpoints.
    public var peers: String

    public init(toolServer: String, peers: String) {
        self.toolServer = toolServer
        self.peers = peers
    }

    enum CodingKeys: String, CodingKey {
        case toolServer = "tool_server"
        case peers
    }
}

/// Another agent on the bus, as the directory lists it: its name and the identity its card claims.
public struct AgentPeer: Hashable, Sendable, Codable {
    public var name: String
    public var identity: String

    public init(name: String, identity: String) {
        self.name = name
        self.identity = identity
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

/// A sub-task an external agent hands to a peer with narrower authority: through Baton's issuer
/// (the run's issuer or token service narrows the token the agent received), or with a token the
/// agent made itself with its own issuer (`token`), which Baton sends as it is.
public struct AgentDelegationAsk: Hashable, Sendable {
    /// The peer, by its name on the bus.
    public var to: String
    public var scopes: [String]
    /// nil inherits the parent's budget.
    public var budgetCents: Int64?
    /// Seconds from now; nil inherits the parent's expiry.
    public var expiresIn: Int64?
    public var purpose: String
    /// The task text the peer receives.
    public var task: String
    /// The scope the peer checks the token for (nil: none in particular).
    public var skill: String?
    /// The delegated token, when the agent made it itself; nil asks Baton's issuer.
    public var token: String?

    public init(
        to: String, scopes: [String], budgetCents: Int64? = nil, expiresIn: Int64? = nil, purpose: String, task: String, skill: String? = nil,
        token: String? = nil
    ) {
        self.to = to
        self.scopes = scopes
        self.budgetCents = budgetCents
        self.expiresIn = expiresIn
        self.purpose = purpose
        self.task = task
        self.skill = skill
        self.token = token
    }
}

/// The received token sent on unchanged to a peer (what an honest agent never does; the peer's
/// answer judges it).
public struct AgentForwardAsk: Hashable, Sendable {
    public var to: String
    public var task: String
    public var skill: String?

    public init(to: String, task: String, skill: String? = nil) {
        self.to = to
        self.task = task
        self.skill = skill
    }
}

/// One thing an external agent asks Baton to do for it, as itself: call a tool, delegate a
/// sub-task, or forward the token it received.
public enum AgentTaskAction: Hashable, Sendable {
    case call(AgentToolCall)
    case delegate(AgentDelegationAsk)
    case forward(AgentForwardAsk)

    /// The action's keyword, as in a plan (`call`, `delegate`, `forward`).
    public var keyword: String {
        switch self {
        case .call: "call"
        case .delegate: "delegate"
        case .forward: "forward"
        }
    }

    /// What it is aimed at: the tool, or the peer.
    public var target: String {
        switch self {
        case let .call(call): call.tool
        case let .delegate(delegation): delegation.to
        case let .forward(forward): forward.to
        }
    }
}

/// An external agent's answer to a task: its verdict on the task (what the sender sees: accept, or
/// the refusal's code and step), the actions it wants made (tool calls, delegations, forwards), and
/// artifacts of its own that its answer carries after the actions' outputs. `.error` outcomes (a
/// crash, garbage, `unsupported`) carry no actions.
public struct AgentTaskResult: Hashable, Sendable {
    public var outcome: Outcome
    public var actions: [AgentTaskAction]
    public var artifacts: [String]

    public init(outcome: Outcome, actions: [AgentTaskAction] = [], artifacts: [String] = []) {
        self.outcome = outcome
        self.actions = actions
        self.artifacts = artifacts
    }

    /// No answer to judge: the implementation failed, or answered `unsupported`.
    public static func failed(_ outcome: Outcome) -> AgentTaskResult { AgentTaskResult(outcome: outcome) }
}

extension AgentTaskAction: Codable {
    /// The wire form: an object with one key, `call`, `delegate` or `forward` (docs/TESTEE-PROTOCOL.md).
    enum Keyword: String, CodingKey {
        case call, delegate, forward
    }

    enum Field: String, CodingKey {
        case tool, arguments, to, scopes, purpose, task, skill, token
        case budgetCents = "budget_cents"
        case expiresIn = "expires_in"
    }

    public init(from decoder: Decoder) throws {
        let outer = try decoder.container(keyedBy: Keyword.self)
        guard outer.allKeys.count == 1, let keyword = outer.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "an action has one key: call, delegate or forward"))
        }
        let f = try outer.nestedContainer(keyedBy: Field.self, forKey: keyword)
        switch keyword {
        case .call:
            self = .call(
                AgentToolCall(
                    tool: try f.decode(String.self, forKey: .tool), arguments: try f.decodeIfPresent([String: String].self, forKey: .arguments) ?? [:]
                ))
        case .delegate:
            self = .delegate(
                AgentDelegationAsk(
                    to: try f.decode(String.self, forKey: .to), scopes: try f.decode([String].self, forKey: .scopes),
                    budgetCents: try f.decodeIfPresent(Int64.self, forKey: .budgetCents),
                    expiresIn: try f.decodeIfPresent(Int64.self, forKey: .expiresIn),
                    purpose: try f.decode(String.self, forKey: .purpose), task: try f.decode(String.self, forKey: .task),
                    skill: try f.decodeIfPresent(String.self, forKey: .skill), token: try f.decodeIfPresent(String.self, forKey: .token)))
        case .forward:
            self = .forward(
                AgentForwardAsk(
                    to: try f.decode(String.self, forKey: .to), task: try f.decode(String.self, forKey: .task),
                    skill: try f.decodeIfPresent(String.self, forKey: .skill)))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var outer = encoder.container(keyedBy: Keyword.self)
        switch self {
        case let .call(call):
            var f = outer.nestedContainer(keyedBy: Field.self, forKey: .call)
            try f.encode(call.tool, forKey: .tool)
            try f.encode(call.arguments, forKey: .arguments)
        case let .delegate(d):
            var f = outer.nestedContainer(keyedBy: Field.self, forKey: .delegate)
            try f.encode(d.to, forKey: .to)
            try f.encode(d.scopes, forKey: .scopes)
            try f.encodeIfPresent(d.budgetCents, forKey: .budgetCents)
            try f.encodeIfPresent(d.expiresIn, forKey: .expiresIn)
            try f.encode(d.purpose, forKey: .purpose)
            try f.encode(d.task, forKey: .task)
            try f.encodeIfPresent(d.skill, forKey: .skill)
            try f.encodeIfPresent(d.token, forKey: .token)
        case let .forward(forward):
            var f = outer.nestedContainer(keyedBy: Field.self, forKey: .forward)
            try f.encode(forward.to, forKey: .to)
            try f.encode(forward.task, forKey: .task)
            try f.encodeIfPresent(forward.skill, forKey: .skill)
        }
    }
}
