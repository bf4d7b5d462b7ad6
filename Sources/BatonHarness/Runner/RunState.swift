import BatonAgents
import BatonAudit
import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation

/// Everything a scenario run holds: the clock, the agents and their current keys, published
/// identities, revocations, the tokens made so far, the bus and its audit log. A profile keeps
/// state of its own under a `RunStateKey` (`state[TokenServiceKey.self]`).
public struct RunState: Sendable {
    public var clock: VirtualClock
    public let domain = "acme.com"
    public let seed: String
    public let scenarioID: String
    /// The agent whose key verifiers trust as the root.
    public let trust: String
    /// The driver of the scenario's profile (names agents).
    public let driver: any ProfileDriver
    /// The scenario's agents by name: each owns its identity, current key, signed card and plan.
    public private(set) var agents: [String: Agent] = [:]
    /// Current key per agent name.
    public var keys: [String: Ed25519.PrivateKey] { agents.mapValues(\.key) }
    /// Agents whose identity documents are published.
    public var published: Set<String> = []
    public var revokedKeys: [Ed25519.PublicKey] = []
    public var revokedIds: [HexBytes] = []
    public var revocationRefreshedAt: Int64
    public var tokens: [String: String] = [:] {
        didSet { for name in tokens.keys where !tokenOrder.contains(name) { tokenOrder.append(name) } }
    }
    /// Token names in the order they were made.
    public private(set) var tokenOrder: [String] = []
    /// Tokens that went through a forge step (directly or by descent), with how each was made.
    public var forgeries: [String: Forgery] = [:]
    /// The calls that carried forged tokens.
    public var forgedCalls: [ForgedCall] = []
    public var bus = AgentBus()
    /// The tool server of the run's workflows (its ledger lasts the whole scenario); made at the first tool call.
    public var tools: WorkflowTools?
    /// The latest completion evidence each agent left (its token with a completion block).
    public var completions: [String: Completion] = [:]
    /// Every judged action of the agents' plans, for the reports.
    public var workflow: [WorkflowEntry] = []
    /// How many times each plan action ran, by (agent, action index).
    public var actionsRun: [ActionKey: Int] = [:]
    public var audit = AuditLog()
    /// Tokens the implementation could not make, made by the reference in its place (with why).
    public var standIns: [String] = []
    /// Audit assertions that did not hold.
    public var auditFailures: [String] = []
    public var trace: [String] = []
    /// Whether the agents' identity documents advertise revocation (scenarios that give verifiers a
    /// revocation status), which makes V7 mandatory for them.
    public let advertisesRevocation: Bool
    /// The clock follows real time (the implementation keeps its own; see `ScenarioRunner`).
    public var followsRealTime = false
    /// State the profiles keep, by key type.
    var extensions: [ObjectIdentifier: any Sendable] = [:]

    /// How a forged token was made.
    public struct Forgery: Sendable {
        /// The forging step, as the trace describes it.
        public var attack: String
        /// Leading hops the honest issuers made (see `ForgedCall.honestHops`).
        public var honestHops: Int?

        public init(attack: String, honestHops: Int?) {
            self.attack = attack
            self.honestHops = honestHops
        }
    }

    public init(scenario: Scenario, seed: String) {
        self.seed = seed
        scenarioID = scenario.id
        trust = scenario.trust
        driver = scenario.driver
        advertisesRevocation = scenario.verifier.revocation
        clock = VirtualClock(now: scenario.clock)
        revocationRefreshedAt = scenario.clock
        for name in scenario.agents { published.insert(name) }
        makeAgents(scenario)
    }

    /// Makes the scenario's agents with the identities the profile gives them now (a token service
    /// set up by the driver may name them), keeping their keys, and lists them on the bus. The runner
    /// calls it again after the driver's set-up.
    public mutating func makeAgents(_ scenario: Scenario) {
        for name in scenario.agents {
            let key = agents[name]?.key ?? Ed25519.PrivateKey.derived(from: "\(seed):agent:aip:web:\(domain)/\(name)")
            let behaviour = scenario.behaviours[name]
            let claimed = behaviour?.impersonates.map { identity($0) }
            agents[name] = Agent(name: name, identity: identity(name), key: key, plan: behaviour?.plan ?? .idle, claiming: claimed)
        }
        bus = AgentBus()
        // Honest agents are listed under their names; a rogue then lists itself under the name it claims.
        for name in scenario.agents.sorted() where scenario.behaviours[name]?.impersonates == nil {
            if let agent = agents[name] { bus.register(agent) }
        }
        for name in scenario.agents.sorted() {
            if let claimed = scenario.behaviours[name]?.impersonates, let agent = agents[name] { bus.register(agent, as: claimed) }
        }
    }

    /// Replaces an agent's key (its card is re-signed; its identity document lists the new key).
    public mutating func rotateKey(of name: String, to key: Ed25519.PrivateKey) {
        guard var agent = agents[name] else { return }
        agent.rotate(to: key)
        agents[name] = agent
        if bus.agent(name)?.name == name { bus.register(agent) }
    }

    /// A profile's own state.
    public subscript<Key: RunStateKey>(_ key: Key.Type) -> Key.Value {
        get { extensions[ObjectIdentifier(key)] as? Key.Value ?? Key.defaultValue }
        set { extensions[ObjectIdentifier(key)] = newValue }
    }

    /// The identity of an agent name, as the profile names agents; identifiers pass through.
    public func identity(_ nameOrID: String) -> String { driver.identity(of: nameOrID, in: self) }

    /// Sets the clock to the real current time: `starting` at it, then only ever forward.
    public mutating func syncWithRealTime(starting: Bool = false) {
        let real = Int64(Date().timeIntervalSince1970)
        if starting {
            clock = VirtualClock(now: real)
            revocationRefreshedAt = real
        } else if real > clock.now {
            clock.advance(by: real - clock.now)
        }
    }

    /// The current key of an agent; a fresh deterministic key for `random` or unknown names.
    public func key(_ name: String, salt: String = "") -> Ed25519.PrivateKey {
        agents[name]?.key ?? .derived(from: "\(seed):outsider:\(name):\(salt)")
    }

    /// The agent whose identity this is, looked up in name order so the answer is stable; with
    /// `publishedOnly`, only agents whose identity documents are published.
    public func agentName(withIdentity identity: String, publishedOnly: Bool = false) -> String? {
        (publishedOnly ? published.sorted() : agents.keys.sorted()).first { self.identity($0) == identity }
    }

    /// The identity documents verifiers may resolve.
    public var identities: [IdentityEntry] {
        published.sorted().map { name in
            IdentityEntry(
                id: identity(name), keys: [key(name).publicKey], validFrom: clock.now - 86_400 * 365,
                validUntil: clock.now + 86_400 * 365, advertisesRevocation: advertisesRevocation)
        }
    }
}

/// A key for state a profile keeps in a run (`RunState[Key.self]`).
public protocol RunStateKey {
    associatedtype Value: Sendable
    static var defaultValue: Value { get }
}
