/// An issuer, verifier or agent under test. Baton drives every implementation
/// through this one interface: the built-in reference in process, a testee
/// subprocess speaking the testee protocol, or a real agent over HTTP.
///
/// Implementations never throw: anything that goes wrong is an `Outcome` with
/// verdict `.error` (crash, hang, garbage), so one bad case never stops a run. Calls are
/// `async`: a subprocess or a server answers when it answers, and a run waits without
/// holding a thread.
public protocol ImplementationUnderTest: Sendable {
    var descriptor: ImplementationDescriptor { get }
    func mint(_ request: MintRequest) async -> IssueResult
    func delegate(_ request: DelegateRequest) async -> IssueResult
    func verify(_ request: VerifyRequest) async -> Outcome
    /// Token services (`sts` role): prepare a fresh service for one scenario.
    func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult
    /// Token services: the root token an agent gets when a person authorizes it.
    func login(_ request: LoginRequest) async -> IssueResult
    /// Token services: one token request; refusals carry the OAuth `error` as code.
    func exchange(_ call: ExchangeCall) async -> IssueResult
    /// Agents (`agent` role): one task for the workflow agent the implementation plays.
    func agentTask(_ request: AgentTaskRequest) async -> AgentTaskResult
    /// Gateways (`gateway` role): decide one call of a workflow and say what was recorded.
    func gatewayCall(_ call: GatewayCall) async -> GatewayDecision
}

extension ImplementationUnderTest {
    public func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        .failed(.failed("\(descriptor.name) is not a token service"))
    }
    public func login(_ request: LoginRequest) async -> IssueResult { .refused(.failed("\(descriptor.name) is not a token service")) }
    public func exchange(_ call: ExchangeCall) async -> IssueResult { .refused(.failed("\(descriptor.name) is not a token service")) }
    public func gatewayCall(_ call: GatewayCall) async -> GatewayDecision {
        GatewayDecision(outcome: .unsupported("\(descriptor.name) is no gateway (gateway_call)"))
    }
    public func agentTask(_ request: AgentTaskRequest) async -> AgentTaskResult {
        .failed(.unsupported("\(descriptor.name) does not play workflow agents (agent_task)"))
    }
}

extension ImplementationUnderTest {
    public func supports(_ role: ImplementationRole) -> Bool { descriptor.roles.contains(role) }
    public func supports(_ option: ImplementationOption) -> Bool { descriptor.options.contains(option) }
    public func supports(profile: TokenProfile) -> Bool { descriptor.profiles.contains(profile) }
}
