import BatonAudit
import BatonCrypto
import BatonRuntime
import Foundation
import JOSE

/// Everything a scenario run holds: the clock, the agents and their current
/// keys, published identities, revocations, and the tokens made so far.
struct RunState {
    var clock: VirtualClock
    var domain = "acme.com"
    var seed: String
    /// Current key per agent name (rotation replaces it).
    var keys: [String: Ed25519.PrivateKey] = [:]
    /// Agents whose identity documents are published.
    var published: Set<String> = []
    var revokedKeys: [String] = []
    var revokedIds: [String] = []
    var revocationRefreshedAt: Int64
    var tokens: [String: String] = [:] {
        didSet { for name in tokens.keys where !tokenOrder.contains(name) { tokenOrder.append(name) } }
    }
    /// Token names in the order they were made.
    var tokenOrder: [String] = []
    /// Tokens that went through a forge step (directly or by descent), with how each was made.
    var forgeries: [String: Forgery] = [:]
    /// The calls that carried forged tokens.
    var forgedCalls: [ForgedCall] = []

    struct Forgery {
        /// The forging step, as the trace describes it.
        var attack: String
        /// Leading hops the honest issuers made (see `ForgedCall.honestHops`).
        var honestHops: Int?
    }
    var bus = AgentBus()
    var audit = AuditLog()
    /// Audit assertions that did not hold.
    var auditFailures: [String] = []
    var trace: [String] = []
    var profile: String
    var scenarioID: String
    /// The agent whose key verifiers trust as the root.
    var trust: String
    /// Token exchange: the token service set up for this scenario.
    var tokenService: TokenServiceInfo?
    /// Token exchange: which agent signed each actor assertion, by assertion name.
    var assertionAgents: [String: String] = [:]
    /// Token exchange: the ES256 algorithm is in use for the agents' assertions.
    var usesP256 = false
    /// The clock follows real time (the implementation keeps its own; see `ScenarioRunner.execute`).
    var followsRealTime = false

    init(scenario: Scenario, seed: String) {
        self.seed = seed
        profile = scenario.profile
        scenarioID = scenario.id
        trust = scenario.trust
        usesP256 = scenario.tokenService.algorithm == "ES256"
        clock = VirtualClock(now: scenario.clock)
        revocationRefreshedAt = scenario.clock
        for name in scenario.agents {
            keys[name] = .derived(from: "\(seed):agent:aip:web:\(domain)/\(name)")
            published.insert(name)
        }
    }

    /// `aip:web:acme.com/<name>` for agent names (`spiffe://acme.com/acme/delegation/agent/<name>`
    /// in the token-exchange profile, or what the token service calls it); identifiers pass through.
    func identity(_ nameOrID: String) -> String {
        if nameOrID.hasPrefix("aip:") || nameOrID.contains("://") { return nameOrID }
        if profile == "token-exchange" {
            return tokenService?.identities[nameOrID] ?? workloadURI(nameOrID)
        }
        return "aip:web:\(domain)/\(nameOrID)"
    }

    /// Sets the clock to the real current time: `starting` at it, then only ever forward.
    mutating func syncWithRealTime(starting: Bool = false) {
        let real = Int64(Date().timeIntervalSince1970)
        if starting {
            clock = VirtualClock(now: real)
            revocationRefreshedAt = real
        } else if real > clock.now {
            clock.advance(by: real - clock.now)
        }
    }

    /// The token service's signing secret for this scenario (a seed, or a P-256 scalar candidate):
    /// the runner hands it to the service at set-up, and `sign: sts` forgeries sign with it.
    var tokenServiceSecret: [UInt8] { Ed25519.PrivateKey.derived(from: "\(seed):\(scenarioID):token-service").seed }

    func workloadURI(_ name: String) -> String { "spiffe://\(domain)/acme/delegation/agent/\(name)" }

    /// An agent's JWT signing key: its Ed25519 key, or a P-256 key derived from the same label.
    func jwtKey(_ name: String, salt: String = "") -> JWSSigningKey {
        let ed = key(name, salt: salt)
        guard usesP256 else { return .ed25519(ed) }
        var scalar = SHA256.hash(Array("baton-p256:".utf8) + ed.seed)
        while true {
            if let k = try? JWSSigningKey.p256(scalar: scalar) { return k }
            scalar = SHA256.hash(scalar)
        }
    }

    /// The current key of an agent; a fresh deterministic key for `random` or unknown names.
    func key(_ name: String, salt: String = "") -> Ed25519.PrivateKey {
        keys[name] ?? .derived(from: "\(seed):outsider:\(name):\(salt)")
    }

    /// The identity documents verifiers may resolve.
    var identities: [IdentityEntry] {
        published.sorted().map { name in
            IdentityEntry(id: identity(name), keys: [key(name).publicKey.hex], validFrom: clock.now - 86_400 * 365,
                          validUntil: clock.now + 86_400 * 365, advertisesRevocation: false)
        }
    }
}
