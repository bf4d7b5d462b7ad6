import BatonAgents
import BatonAudit
import BatonCrypto
import BatonModel

/// Everything Baton knows about one token profile, in one place: the steps and attacks its
/// scenarios may use, how its agents are named, how its verify requests are filled in, how
/// its tokens are read for the audit trail and drawn, its reference implementation and the
/// flaw gallery of that reference. The runner knows drivers, not profiles; a new profile is
/// one folder under `Sources/BatonProfiles` and one line in `ProfileRegistry.standard`.
public protocol ProfileDriver: Sendable {
    /// The profile, as scenarios name it (`profile: aip-compact`).
    var profile: TokenProfile { get }
    /// One line on the design, for `baton list --profiles` and the README.
    var summary: String { get }

    /// The step kinds its scenarios may use (common and its own).
    var stepKinds: [any ScenarioStepKind.Type] { get }
    /// Top-level scenario keys the profile reads (e.g. `token_service`).
    var settingsTypes: [any ScenarioSettings.Type] { get }
    /// The names `forge: {attack: NAME}` may use, besides `garbage`.
    var attackNames: [String] { get }
    /// Reads one of its attacks (`name` is one of `attackNames`).
    func parseAttack(_ name: String, _ field: YAMLField, context: ScenarioContext) throws -> any ForgeAttack

    /// The identity of a scenario's agent (`aip:web:acme.com/writer`, a workload URI …).
    func identity(of name: String, in state: RunState) -> String
    /// Whether `name` is an identifier written out in full rather than an agent's name.
    func isLiteralIdentity(_ name: String) -> Bool
    /// Whether every delegation is signed by the delegating holder's key (the JWT chain), so that
    /// delegate steps always hand the issuer that key, not only when a scenario asks for it.
    var signsEveryDelegation: Bool { get }
    /// Whether the run must follow the real clock when the implementation keeps its own
    /// (declares no `clock` option), as a real token service does.
    var followsRealTimeWithoutClock: Bool { get }
    /// Sets the stage before the first step (e.g. a fresh token service for the scenario).
    func prepare(_ run: inout StepRun) async throws
    /// Fills in the profile's part of a verify request (issuer, JWKS, layout …).
    func completeVerifyRequest(_ request: inout VerifyRequest, run: StepRun)
    /// The HTTP status an agent answers with when it refuses with `code`.
    func httpStatus(forRefusal code: String) -> Int
    /// What a token says about its chain, read without verifying it (for audit records).
    func readChain(_ token: String) -> ChainReading
    /// The revocation id of a token (of one of its blocks), and how the trace names what is revoked
    /// (`block 1 of t2`), for `revoke` steps; nil when the token cannot be read.
    func revocationID(of token: String, named name: String, block: Int?) throws -> (id: HexBytes, description: String)?
    /// The token drawn as text lines for `baton explain`, without verifying it.
    func describe(token: String, name: String) -> [String]

    /// Whether agents can carry a workflow in this profile's tokens (`behaviours:` and `request` steps):
    /// each delegation is a `delegate` request to the issuer, and tokens carry a chain.
    var carriesWorkflows: Bool { get }
    /// How an agent's delegation reaches the issuer: a `delegate` request (AIP) or a token request
    /// to the token service (token exchange). The default is the AIP delegate request.
    func agentDelegation(_ order: DelegationOrder, run: StepRun) throws -> AgentDelegationCall
    /// The token with a completion block appended by its holder when the work is done (status
    /// `completed`, `result_hash` = `sha256:` of the artifacts, self-reported), nil where the profile
    /// has no completion evidence. The default has none.
    func completion(of token: String, resultHash: String, nextKey: Ed25519.PrivateKey) -> String?
    /// Whether the profile's tokens name their holder as the audience, so that agents and the tool
    /// server verify with the holder as `audience` (ZeroID's name the service instead).
    var audienceIsTheHolder: Bool { get }
    /// Whether the profile's tokens carry a budget ceiling per block (`ChainReading.budgets`), so that
    /// a tool server's ledger must read one per block or refuse the call.
    var tokensCarryBudgets: Bool { get }
    /// The refusal a tool server answers when a call does not fit the budget (code and step).
    var budgetRefusal: (code: String, step: String?) { get }

    /// A fresh reference implementation of this profile (issuer, verifier, token service …).
    func makeReference() -> any ImplementationUnderTest
    /// The flaw gallery: the reference verifier with one defence removed, each.
    var flaws: [FlawVariant] { get }
}

extension ProfileDriver {
    public var settingsTypes: [any ScenarioSettings.Type] { [] }
    public func isLiteralIdentity(_ name: String) -> Bool { name.hasPrefix("aip:") }
    public var followsRealTimeWithoutClock: Bool { false }
    public var signsEveryDelegation: Bool { false }
    public var carriesWorkflows: Bool { false }
    public var tokensCarryBudgets: Bool { false }
    public var audienceIsTheHolder: Bool { true }
    public func completion(of token: String, resultHash: String, nextKey: Ed25519.PrivateKey) -> String? { nil }
    public var budgetRefusal: (code: String, step: String?) { ("budget_exceeded", nil) }

    public func agentDelegation(_ order: DelegationOrder, run: StepRun) throws -> AgentDelegationCall {
        let d = order.delegation
        if let e = d.expiresIn, run.now.addingReportingOverflow(e).overflow { throw ForgeFailure("expires_in \(e) overflows the clock") }
        let state = run.state
        // The holder key the next hop is bound to: the published key of the identity the card named.
        let holder = state.agentName(withIdentity: order.delegateIdentity, publishedOnly: true) ?? order.delegate
        return .delegate(
            DelegateRequest(
                profile: run.scenario.profile, token: order.token, delegator: state.identity(order.delegator), delegate: order.delegateIdentity,
                scopes: d.scopes, context: d.purpose, budgetCents: d.budgetCents, expiresAt: d.expiresIn.map { run.now + $0 }, principal: nil,
                now: run.now, delegatorKey: signsEveryDelegation ? order.delegatorKey : nil,
                nextKey: .derived(from: "\(run.seed):\(run.scenario.id):next:\(run.index):\(d.name)"), delegateKey: state.key(holder).publicKey,
                revocation: run.verifyRequest(token: nil, audience: nil, scope: nil, root: run.scenario.trust).revocation))
    }
    public func prepare(_ run: inout StepRun) async throws {}
    public func completeVerifyRequest(_ request: inout VerifyRequest, run: StepRun) {}
    public func revocationID(of token: String, named name: String, block: Int?) throws -> (id: HexBytes, description: String)? {
        throw ForgeFailure("the \(profile) profile has no revocation ids")
    }
}

/// What a token says about its chain, read structurally (never verified): the audit record says
/// what was presented and what was decided.
public struct ChainReading: Hashable, Sendable {
    public var principal: String?
    public var issuer: String?
    public var hops: [AuditRecord.Hop]
    public var revocationIDs: [String]
    /// The budget ceiling each block declares, in block order (nil: none), for the tool server's ledger.
    public var budgets: [Int64?]

    public init(
        principal: String? = nil, issuer: String? = nil, hops: [AuditRecord.Hop] = [], revocationIDs: [String] = [], budgets: [Int64?] = []
    ) {
        self.principal = principal
        self.issuer = issuer
        self.hops = hops
        self.revocationIDs = revocationIDs
        self.budgets = budgets
    }
}

/// What an agent's delegation asks of the implementation: an issuer's `delegate`, or a token service's exchange.
public enum AgentDelegationCall: Sendable {
    case delegate(DelegateRequest)
    case exchange(ExchangeCall)
}
