import BatonModel

/// One thing an agent does once it has accepted a task: delegate a sub-task, call a tool, or (when
/// it has been compromised) pass a token on. Each action carries what the scenario expects of it,
/// so that every delegation and tool call of a workflow is judged.
public struct AgentAction: Hashable, Sendable {
    /// What the action does.
    public enum Kind: Hashable, Sendable {
        /// Narrow the received authority and hand a sub-task to a peer.
        case delegate(Delegation)
        /// Call a tool on the tool server, once or several times.
        case call(ToolUse)
        /// Send a token on unchanged to a peer (a compromised agent; honest agents delegate).
        case forward(Forwarding)
    }

    public var kind: Kind
    /// What must come of it (the issuer's and the receiver's answer for a delegation, the tool
    /// server's for a call); nil means accept.
    public var expect: Expectation?
    /// False when the scenario states that the action never runs (its agent is refused or never reached).
    public var reached: Bool
    /// The line of the action in the scenario file.
    public var line: Int

    public init(kind: Kind, expect: Expectation? = nil, reached: Bool = true, line: Int = 0) {
        self.kind = kind
        self.expect = expect
        self.reached = reached
        self.line = line
    }

    /// The action's keyword in a plan.
    public var keyword: String {
        switch kind {
        case .delegate: return "delegate"
        case .call: return "call"
        case .forward: return "forward"
        }
    }
}

/// Which token an action presents.
public enum TokenChoice: Hashable, Sendable, CustomStringConvertible {
    /// The token the agent received with the task it is working on.
    case received
    /// A token the run holds under this name (one the agent should not have: a captured, stale or
    /// someone else's token).
    case named(String)

    public var description: String {
        switch self {
        case .received: return "the token it received"
        case let .named(name): return name
        }
    }
}

/// A sub-task handed to a peer with narrower authority.
public struct Delegation: Hashable, Sendable {
    /// The name the new token is kept under (for later steps: revoke, replay, audit).
    public var name: String
    /// The peer, by its name on the bus.
    public var to: String
    /// The scopes the peer gets (the issuer or token service narrows to what the holder has).
    public var scopes: [String]
    /// The peer's budget ceiling in cents; nil inherits the parent's.
    public var budgetCents: Int64?
    /// Seconds from now; nil inherits the parent's expiry.
    public var expiresIn: Int64?
    /// Why the sub-task exists (AIP's delegation context).
    public var purpose: String
    /// The task text the peer receives.
    public var task: String
    /// The scope the peer checks the token for when it receives the task (nil: none in particular).
    public var skill: String?
    /// A delegated token the agent made with an issuer of its own (an external agent): sent as it
    /// is, without asking the world's issuer. nil: the world's issuer narrows the held token.
    public var ownToken: String?

    public init(
        name: String, to: String, scopes: [String], budgetCents: Int64? = nil, expiresIn: Int64? = nil, purpose: String, task: String,
        skill: String? = nil, ownToken: String? = nil
    ) {
        self.ownToken = ownToken
        self.name = name
        self.to = to
        self.scopes = scopes
        self.budgetCents = budgetCents
        self.expiresIn = expiresIn
        self.purpose = purpose
        self.task = task
        self.skill = skill
    }
}

/// A tool call, possibly repeated.
public struct ToolUse: Hashable, Sendable {
    /// The tool's name on the tool server (`docs.write`).
    public var tool: String
    /// The call's arguments, as strings.
    public var arguments: [String: String]
    /// How many times the call is made (budget drains).
    public var times: Int
    /// With `times`: how many of the calls must be accepted before `expect` applies to the rest.
    public var accepted: Int?
    public var token: TokenChoice
    /// The caller the agent claims to be (a spoofed transport identity); nil is itself.
    public var claimedCaller: String?
    /// The agent calls the tool server directly, around the gateway the deployment routes calls through.
    public var bypassesGateway: Bool

    public init(
        tool: String, arguments: [String: String] = [:], times: Int = 1, accepted: Int? = nil, token: TokenChoice = .received,
        claimedCaller: String? = nil, bypassesGateway: Bool = false
    ) {
        self.bypassesGateway = bypassesGateway
        self.tool = tool
        self.arguments = arguments
        self.times = times
        self.accepted = accepted
        self.token = token
        self.claimedCaller = claimedCaller
    }
}

/// A token sent on unchanged.
public struct Forwarding: Hashable, Sendable {
    public var to: String
    public var token: TokenChoice
    public var task: String
    public var skill: String?

    public init(to: String, token: TokenChoice = .received, task: String, skill: String? = nil) {
        self.to = to
        self.token = token
        self.task = task
        self.skill = skill
    }
}
