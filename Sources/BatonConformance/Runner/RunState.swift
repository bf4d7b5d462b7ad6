import BatonAudit
import BatonCrypto
import BatonRuntime
import Foundation

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
    /// Tokens that went through a forge step (directly or by descent).
    var forged: Set<String> = []
    var bus = AgentBus()
    var audit = AuditLog()
    /// Audit assertions that did not hold.
    var auditFailures: [String] = []
    var trace: [String] = []

    init(scenario: Scenario, seed: String) {
        self.seed = seed
        clock = VirtualClock(now: scenario.clock)
        revocationRefreshedAt = scenario.clock
        for name in scenario.agents {
            keys[name] = .derived(from: "\(seed):agent:aip:web:\(domain)/\(name)")
            published.insert(name)
        }
    }

    /// `aip:web:acme.com/<name>` for agent names; AIP identifiers pass through.
    func identity(_ nameOrID: String) -> String {
        nameOrID.hasPrefix("aip:") ? nameOrID : "aip:web:\(domain)/\(nameOrID)"
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
