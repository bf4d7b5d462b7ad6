import AIP
import BatonAgents
import BatonCrypto
import BatonModel
import BatonRuntime
import BatonTargets
import BatonTools
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The world of an agent served over HTTP by `baton serve-agent`: the configured verifier checks
/// the token of every task with the test-control values the request carried. When the control
/// gives endpoints (a workflow's external agent), the agent reaches its tool server over MCP and its
/// peers over A2A through them, and delegates with Baton's reference issuer as its own; without,
/// it is a lone agent with an idle plan. Nothing is held or recorded between requests. The agent
/// itself is the same `Agent` that runs on the in-memory bus: one agent implementation, two transports.
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
        /// The tool server and peers opened for this agent and task (nil: none; the agent works alone).
        public var endpoints: AgentEndpoints?
        /// The other agents, with the identities their cards list.
        public var peers: [AgentPeer] = []
        /// What the agent is to do once it accepts the task (empty: verify and answer).
        public var plan: [AgentTaskAction] = []

        /// The plan as the agent works it. The agent trusts the peers list it is given (no identity
        /// documents to check cards against), and names the tokens it delegates after their order.
        public var agentPlan: AgentPlan {
            let actions = plan.enumerated().map { index, action -> AgentAction in
                switch action {
                case let .call(call): AgentAction(kind: .call(ToolUse(tool: call.tool, arguments: call.arguments)))
                case let .delegate(d):
                    AgentAction(
                        kind: .delegate(
                            Delegation(
                                name: "delegation.\(index + 1)", to: d.to, scopes: d.scopes, budgetCents: d.budgetCents, expiresIn: d.expiresIn,
                                purpose: d.purpose, task: d.task, skill: d.skill)))
                case let .forward(f): AgentAction(kind: .forward(Forwarding(to: f.to, task: f.task, skill: f.skill)))
                }
            }
            return AgentPlan(actions: actions, checksCards: false)
        }

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

    /// The peers the test control lists, as cards (unsigned: the agent trusts the list it is given).
    public func card(named name: String) async -> AgentCard? {
        guard let peer = control.peers.first(where: { $0.name == name }) else { return nil }
        return AgentCard(name: name, url: "/agents/\(name)", skills: [], aipIdentity: .init(id: peer.identity, documentURL: nil))
    }

    /// No published identity documents are consulted.
    public func publishedKey(of identity: String) async -> Ed25519.PublicKey? { nil }

    /// The agent's own issuer: Baton's reference appends the delegation block to the token it holds.
    public func delegate(_ order: DelegationOrder) async -> IssueResult {
        let d = order.delegation
        let delegator = order.delegatorIdentity.isEmpty ? order.delegator : order.delegatorIdentity
        if let e = d.expiresIn, control.now.addingReportingOverflow(e).overflow { return .refused(.failed("expires_in \(e) overflows the clock")) }
        return await ReferenceImplementation().delegate(
            DelegateRequest(
                profile: .aipChained, token: order.token, delegator: delegator, delegate: order.delegateIdentity, scopes: d.scopes,
                context: d.purpose,
                budgetCents: d.budgetCents, expiresAt: d.expiresIn.map { control.now + $0 }, principal: nil, now: control.now, delegatorKey: nil,
                nextKey: .derived(from: "baton:serve-agent:next:\(order.delegator):\(order.delegate):\(d.name):\(control.now)")))
    }

    /// Sends a task to a peer over A2A, at the peers' endpoint the test control gives (without one,
    /// like an unreachable agent).
    public func send(_ task: A2ATaskRequest, from sender: String, to: String) async -> A2ATaskResponse {
        guard let base = control.endpoints.flatMap({ URL(string: $0.peers) }) else {
            return .failed(id: task.id, A2AError(rpcCode: -32004, message: "no peers: \(sender) is served alone over HTTP and cannot reach \(to)"))
        }
        var request = URLRequest(url: base.appendingPathComponent("agents").appendingPathComponent(to))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = task.json()
        let (data, status, error) = await LoopbackHTTPClient.send(request, timeout: 30)
        guard error == nil, let data else {
            return .failed(id: task.id, A2AError(rpcCode: -32004, message: "\(to) did not answer: \(error.map { "\($0)" } ?? "HTTP \(status)")"))
        }
        do { return try A2ATaskResponse.parse(data) } catch { return .failed(id: task.id, error) }
    }

    /// Calls a tool on the tool server the test control gives, over MCP (without one: unsupported).
    public func callTool(_ call: ToolInvocation) async -> ToolAnswer {
        guard let url = control.endpoints.flatMap({ URL(string: $0.toolServer) }) else {
            return ToolAnswer(outcome: .unsupported("no tool server behind serve-agent: \(call.tool) cannot be called"))
        }
        let result = await MCPToolClient(url: url).call(
            tool: call.tool, token: call.token, caller: call.caller == call.placedBy ? nil : call.caller, arguments: call.arguments)
        return ToolAnswer(outcome: result.outcome, output: result.output, chargedCents: result.chargedCents, remainingCents: result.remainingCents)
    }

    /// Nothing is held between requests.
    public func heldToken(_ name: String) async -> String? { nil }

    /// Nothing is kept between requests.
    public func keep(_ token: String, as name: String) async {}

    /// AIP's HTTP binding of its error codes.
    public func httpStatus(forRefusal code: String) -> Int { AIPErrorCode.httpStatus(for: code) }

    /// Nothing is kept: the HTTP answer (and what reached the endpoints) is the record. An action
    /// that did not succeed is told on standard error, for whoever runs the server.
    public func record(_ event: AgentEvent) async {
        guard event.outcome.verdict != .accept else { return }
        FileHandle.standardError.write(Data("serve-agent: \(event.description): \(event.outcome.summary)\n".utf8))
    }
}
