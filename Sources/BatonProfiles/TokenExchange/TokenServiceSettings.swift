import BatonHarness
import BatonModel
import JOSE
import TokenExchange

/// How a scenario configures the token service (`token_service:` of profile `token-exchange`).
struct TokenServiceSettings: ScenarioSettings, Hashable {
    static let key = "token_service"

    var layout = ClaimLayout.agentSubject
    /// For the service's tokens and the agents' assertions.
    var algorithm = JWSAlgorithm.eddsa
    var tokenLifetime = TokenServiceSetup.Defaults.tokenLifetime
    var maxAssertionLifetime = TokenServiceSetup.Defaults.maxAssertionLifetime
    var maxDepth = TokenServiceSetup.Defaults.maxDepth
    var delegableScopes: [String]?
    /// Per-agent registration, by agent name; agents not listed may hold any scope of the scenario.
    var agents: [String: AgentRegistration] = [:]

    init() {}

    struct AgentRegistration: Hashable, Sendable {
        var scopes: [String]?
        var maxDepth: Int64?
        var grantTypes: [String]?
        /// false: registered without a public key.
        var hasKey = true
        /// false: not registered at all.
        var registered = true
    }

    /// The algorithms a scenario's token service may sign with.
    static let algorithms: [JWSAlgorithm] = [.eddsa, .es256]

    static func parse(_ f: YAMLField, context: ScenarioContext) throws -> TokenServiceSettings {
        var t = TokenServiceSettings()
        try f.rejectUnknownKeys(["layout", "algorithm", "token_lifetime", "max_assertion_lifetime", "max_depth", "delegable_scopes", "agents"])
        if let text = try f["layout"].optionalString() {
            guard let layout = ClaimLayout(rawValue: text) else { throw f["layout"].error("layout is agent-subject or rfc8693") }
            t.layout = layout
        }
        if let text = try f["algorithm"].optionalString() {
            guard let algorithm = JWSAlgorithm(rawValue: text), algorithms.contains(algorithm) else {
                throw f["algorithm"].error("algorithm is EdDSA or ES256")
            }
            t.algorithm = algorithm
        }
        t.tokenLifetime = Int64(try f["token_lifetime"].optionalInt() ?? Int(t.tokenLifetime))
        t.maxAssertionLifetime = Int64(try f["max_assertion_lifetime"].optionalInt() ?? Int(t.maxAssertionLifetime))
        t.maxDepth = Int64(try f["max_depth"].optionalInt() ?? Int(t.maxDepth))
        t.delegableScopes = f["delegable_scopes"].exists ? try f["delegable_scopes"].strings() : nil
        if f["agents"].exists {
            for name in try f["agents"].keys() {
                let a = f["agents"][name]
                guard context.agents.contains(name) else { throw a.error("unknown agent '\(name)'") }
                try a.rejectUnknownKeys(["scopes", "max_depth", "grant_types", "key", "registered"])
                t.agents[name] = .init(
                    scopes: a["scopes"].exists ? try a["scopes"].strings() : nil, maxDepth: try a["max_depth"].optionalInt().map(Int64.init),
                    grantTypes: a["grant_types"].exists ? try a["grant_types"].strings() : nil,
                    hasKey: try a["key"].optionalBool() ?? true, registered: try a["registered"].optionalBool() ?? true)
            }
        }
        return t
    }
}
