import AIP
import BatonAgents
import BatonCrypto
import BatonModel
import BatonRuntime

/// The world of an agent served over HTTP by `baton serve-agent`: the configured verifier checks
/// the token of every task with the test-control values the request carried, and the rest is what
/// a lone agent with an idle plan has around it — no peers on a bus, no issuer, no tool server,
/// nothing held or recorded. The agent itself is the same `Agent` that runs on the in-memory bus:
/// one agent implementation, two transports.
public struct HTTPAgentWorld: AgentWorld {
    /// The verifier the agents use (the reference, a flawed reference, or an implementation).
    public var verifier: any ImplementationUnderTest
    /// Trust, clock and registry for this request (its test control, `params.metadata.baton`).
    public var control: Control

    /// The test-control values of one request, with the meanings of the testee protocol's `verify`.
    public struct Control: Sendable {
        public var rootKey: Ed25519.PublicKey
        public var now: Int64
        public var requireSignedDelegation: Bool
        public var identities: [IdentityEntry]?
        public var revocation: RevocationStatus?

        public init(
            rootKey: Ed25519.PublicKey, now: Int64, requireSignedDelegation: Bool = false, identities: [IdentityEntry]? = nil,
            revocation: RevocationStatus? = nil
        ) {
            self.rootKey = rootKey
            self.now = now
            self.requireSignedDelegation = requireSignedDelegation
            self.identities = identities
            self.revocation = revocation
        }
    }

    public init(verifier: any ImplementationUnderTest, control: Control) {
        self.verifier = verifier
        self.control = control
    }

    /// Verifies at the receiver's identity (the audience) for the task's skill (the required scope).
    public func verify(token: String?, receiver: Agent, scope: String?) async -> Outcome {
        await verifier.verify(
            VerifyRequest(
                profile: .aipChained, token: token, rootKey: control.rootKey, audience: receiver.identity, requiredScope: scope,
                now: control.now, requireSignedDelegation: control.requireSignedDelegation, identities: control.identities,
                revocation: control.revocation))
    }

    /// No directory: an agent served over HTTP knows no peers.
    public func card(named name: String) async -> AgentCard? { nil }

    /// No published identity documents are consulted.
    public func publishedKey(of identity: String) async -> Ed25519.PublicKey? { nil }

    /// No issuer stands behind a served agent.
    public func delegate(_ order: DelegationOrder) async -> IssueResult {
        .refused(.unsupported("serve-agent has no issuer: \(order.delegator) cannot delegate to \(order.delegate)"))
    }

    /// No peers: every send is answered like an unreachable agent.
    public func send(_ task: A2ATaskRequest, from sender: String, to: String) async -> A2ATaskResponse {
        .failed(id: task.id, A2AError(rpcCode: -32004, message: "no peers: \(sender) is served alone over HTTP and cannot reach \(to)"))
    }

    /// No tool server.
    public func callTool(_ call: ToolInvocation) async -> ToolAnswer {
        ToolAnswer(outcome: .unsupported("no tool server behind serve-agent: \(call.tool) cannot be called"))
    }

    /// Nothing is held between requests.
    public func heldToken(_ name: String) async -> String? { nil }

    /// Nothing is kept between requests.
    public func keep(_ token: String, as name: String) async {}

    /// AIP's HTTP binding of its error codes.
    public func httpStatus(forRefusal code: String) -> Int { AIPErrorCode.httpStatus(for: code) }

    /// Nothing is recorded: the HTTP answer is the whole record.
    public func record(_ event: AgentEvent) async {}
}
