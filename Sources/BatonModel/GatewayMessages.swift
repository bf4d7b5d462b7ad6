import BatonAudit

/// The `gateway` role: an implementation sits in the path of a workflow's calls (`gateway: true`)
/// and decides each one: forward or refuse, and what it records. Baton tells it what transport
/// authentication (mTLS) would: the identity that really sent the call, beside the caller the call
/// claims (docs/TESTEE-PROTOCOL.md, `gateway_call`).
public struct GatewayCall: Hashable, Sendable, Codable {
    /// A task between agents, or a call to a tool.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A task sent from one agent to another.
        case task
        /// A call to a tool on the tool server.
        case tool
    }

    public var profile: TokenProfile
    public var kind: Kind
    /// The identity transport authentication gives for the caller (the agent that really sent it).
    public var transportIdentity: String
    /// The caller the call claims to be from.
    public var claimedCaller: String
    /// A task: the receiving agent's transport identity. A tool call: the tool's name.
    public var target: String
    /// A task: the skill it asks for; a tool call: the tool's scope.
    public var scope: String?
    public var token: String?
    /// How Baton would verify the token here: for a tool call the audience is the transport identity
    /// (the holder must be who really calls), for a task the receiver.
    public var verify: VerifyRequest

    public init(
        profile: TokenProfile, kind: Kind, transportIdentity: String, claimedCaller: String, target: String, scope: String?, token: String?,
        verify: VerifyRequest
    ) {
        self.profile = profile
        self.kind = kind
        self.transportIdentity = transportIdentity
        self.claimedCaller = claimedCaller
        self.target = target
        self.scope = scope
        self.token = token
        self.verify = verify
    }

    enum CodingKeys: String, CodingKey {
        case profile, kind, target, scope, token, verify
        case transportIdentity = "transport_identity"
        case claimedCaller = "claimed_caller"
    }
}

/// What a gateway decided about one call, and what it recorded.
public struct GatewayDecision: Hashable, Sendable {
    /// `accept` forwards the call; a rejection refuses it with the gateway's code and step.
    public var outcome: Outcome
    /// What the gateway recorded of the call (nil: it keeps no record Baton can read).
    public var record: GatewayRecord?

    public init(outcome: Outcome, record: GatewayRecord? = nil) {
        self.outcome = outcome
        self.record = record
    }
}

/// A gateway's record of a call: who made it, on whose behalf and through which chain.
public struct GatewayRecord: Hashable, Sendable, Codable {
    /// The caller the gateway authenticated, recorded and forwards the call as.
    public var caller: String?
    /// The natural person at the root of the chain.
    public var principal: String?
    /// The token's holder (the last delegate, or the root's issuer).
    public var holder: String?
    /// Every hop between, with the authority and purpose at each.
    public var hops: [AuditRecord.Hop]

    public init(caller: String?, principal: String?, holder: String?, hops: [AuditRecord.Hop]) {
        self.caller = caller
        self.principal = principal
        self.holder = holder
        self.hops = hops
    }
}
