import BatonCrypto
import BatonHarness
import BatonModel

/// What a token-exchange run remembers: the token service set up for the scenario, and which
/// agent signed each actor assertion.
struct TokenExchangeState: RunStateKey, Sendable {
    var service: TokenServiceInfo?
    /// The agent of each actor assertion, by assertion name.
    var assertionAgents: [String: String] = [:]

    static var defaultValue: TokenExchangeState { TokenExchangeState() }
}

extension RunState {
    var tokenExchange: TokenExchangeState {
        get { self[TokenExchangeState.self] }
        set { self[TokenExchangeState.self] = newValue }
    }

    /// An agent's workload URI (`spiffe://acme.com/acme/delegation/agent/<name>`).
    func workloadURI(_ name: String) -> String { "spiffe://\(domain)/acme/delegation/agent/\(name)" }

    /// The token service's signing secret for this scenario (a seed, or a P-256 scalar candidate):
    /// the runner hands it to the service at set-up, and `sign: sts` forgeries sign with it.
    var tokenServiceSecret: [UInt8] { Ed25519.PrivateKey.derived(from: "\(seed):\(scenarioID):token-service").seed }
}
