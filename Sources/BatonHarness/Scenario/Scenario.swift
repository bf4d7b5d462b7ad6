import BatonAgents
import BatonModel
import BatonTools

/// One scenario file: agents, a clock, steps, and what the implementation under
/// test must do at each checkpoint.
public struct Scenario: Sendable {
    public var id: String
    public var title: String
    /// What the scenario shows, for `baton explain` and the reports.
    public var summary: String?
    /// The catalogue's clauses the scenario tests (`aip-verification/V4-scope`), checked at load.
    public var spec: [SpecClauseID]
    public var tags: [String]
    /// The attack's category in the OWASP Top 10 for Agentic Applications (`owasp: ASI03`).
    public var owasp: AgenticRisk?
    /// The weakness the attack exploits (`cwe: CWE-347`).
    public var cwe: CWE?
    /// The driver of the scenario's token profile: it parsed the profile's steps and runs them.
    public var driver: any ProfileDriver
    public var profile: TokenProfile { driver.profile }
    /// The file, relative to the scenario root, and the line of `id:`.
    public var file: String
    public var line: Int
    /// Agent names; the profile's driver turns each into an identity with a seeded key.
    public var agents: [String]
    /// The agent whose key verifiers trust as the root (default: the first agent).
    public var trust: String
    /// Start time, seconds since the epoch.
    public var clock: Int64
    public var verifier: VerifierSettings
    /// How agents behave (`behaviours:`): their plans, by agent name; agents not named are idle.
    public var behaviours: [String: AgentBehaviour] = [:]
    /// The gateway every call of the workflow goes through (`gateway:`); nil: none.
    public var gateway: WorkflowGateway?
    /// The tools of the run's tool server (`tools:`; the standard catalog when absent).
    public var tools: ToolCatalog = .standard
    /// Settings only the profile's driver reads (such as a token service's), by type.
    public var settings = ScenarioSettingsStore()
    public var steps: [ScenarioStep]
    /// Expectation for the last checkpoint step that has none of its own.
    public var expect: Expectation?

    public init(
        id: String, title: String, summary: String? = nil, spec: [SpecClauseID] = [], tags: [String] = [],
        driver: any ProfileDriver, file: String, line: Int, agents: [String], trust: String, clock: Int64,
        verifier: VerifierSettings = .init(), steps: [ScenarioStep], expect: Expectation? = nil
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.spec = spec
        self.tags = tags
        self.driver = driver
        self.file = file
        self.line = line
        self.agents = agents
        self.trust = trust
        self.clock = clock
        self.verifier = verifier
        self.steps = steps
        self.expect = expect
    }

    /// Whether this scenario is an attack (its final expectation is a rejection).
    public var isAttack: Bool { finalExpectation?.verdict == .reject }

    /// The expectation of the last checkpoint step.
    public var finalExpectation: Expectation? {
        guard let last = steps.lastIndex(where: \.isCheckpoint) else { return nil }
        return steps[last].expect ?? expect ?? .accept
    }

    /// The steps of one kind, in order.
    public func steps<Kind: ScenarioStepKind>(of kind: Kind.Type) -> [Kind] {
        steps.compactMap { $0.action as? Kind }
    }
}

/// How the scenario configures the verifier.
public struct VerifierSettings: Hashable, Sendable {
    /// Require delegation blocks signed by their delegator's registered key.
    public var requireSignedDelegation = false
    /// Give the verifier the agents' identity documents (V2 by resolution rather than configuration).
    public var registry = true
    /// Give the verifier a revocation list (V7), refreshed when something is revoked.
    public var revocation = false
    /// Oldest acceptable revocation status, seconds.
    public var maxStaleness: Int64 = 300
    /// Token exchange: the deepest `delegation_depth` the downstream verifier accepts.
    public var maxDepth: Int64?

    public init() {}
}

/// One step, with its line in the file.
public struct ScenarioStep: Sendable {
    public var line: Int
    /// What the step does; its type is one of the driver's step kinds.
    public var action: any ScenarioStepKind
    /// What the implementation under test must do here (checkpoint steps only).
    public var expect: Expectation?

    public init(line: Int, action: any ScenarioStepKind, expect: Expectation? = nil) {
        self.line = line
        self.action = action
        self.expect = expect
    }

    /// Whether the step is judged (mint, delegate, send, verify, login, exchange …).
    public var isCheckpoint: Bool { type(of: action).isCheckpoint }
    /// The step's YAML keyword.
    public var keyword: String { type(of: action).keyword }
}

/// Settings a profile's driver reads from a scenario's top-level keys, stored by type.
public protocol ScenarioSettings: Sendable {
    /// The top-level key of the scenario file (`token_service`).
    static var key: String { get }
    /// The settings when the scenario does not give the key.
    init()
    /// Reads the key's mapping.
    static func parse(_ field: YAMLField, context: ScenarioContext) throws -> Self
}

/// Profile-owned scenario settings, one value per settings type.
public struct ScenarioSettingsStore: Sendable {
    var values: [ObjectIdentifier: any ScenarioSettings] = [:]

    public init() {}

    /// The settings of this type (their defaults when the scenario gave none).
    public subscript<S: ScenarioSettings>(_ type: S.Type) -> S {
        get { values[ObjectIdentifier(type)] as? S ?? S() }
        set { values[ObjectIdentifier(type)] = newValue }
    }
}
