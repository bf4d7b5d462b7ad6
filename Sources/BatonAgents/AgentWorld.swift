import BatonCrypto
import BatonModel
import BatonRuntime

/// Everything around an agent: who verifies and issues its tokens, how it reaches peers and tools,
/// and where what it does is recorded. The harness provides one world per workflow (with the
/// implementation under test in the roles it plays); `baton serve-agent` provides one over HTTP.
/// Agents hold no reference to the harness: the same agent runs in both.
public protocol AgentWorld: Sendable {
    /// Verifies the token a task carried, at `receiver` (the audience), for `scope` (nil: none in particular).
    func verify(token: String?, receiver: Agent, scope: String?) async -> Outcome
    /// The card the directory lists under a name on the bus; nil when there is no such agent.
    func card(named name: String) async -> AgentCard?
    /// The key an identity's published document lists (nil: not published).
    func publishedKey(of identity: String) async -> Ed25519.PublicKey?
    /// Asks the issuer for a delegation.
    func delegate(_ order: DelegationOrder) async -> IssueResult
    /// Sends a task to the agent listed under `to`.
    func send(_ task: A2ATaskRequest, from sender: String, to: String) async -> A2ATaskResponse
    /// Calls a tool.
    func callTool(_ call: ToolInvocation) async -> ToolAnswer
    /// A token the run holds under a name (what a compromised agent reaches for).
    func heldToken(_ name: String) async -> String?
    /// Keeps a token an agent made under a name.
    func keep(_ token: String, as name: String) async
    /// The HTTP status an agent answers with when it refuses with `code` (the profile's binding).
    func httpStatus(forRefusal code: String) -> Int
    /// The token with the agent's completion evidence appended (AIP's completion block: status and the
    /// hash of its artifacts), nil where the profile has none. The default has none.
    func complete(_ token: String, by agent: Agent, artifacts: [String]) async -> String?
    /// Records what an action came to.
    func record(_ event: AgentEvent) async
}

extension AgentWorld {
    public func complete(_ token: String, by agent: Agent, artifacts: [String]) async -> String? { nil }
}
