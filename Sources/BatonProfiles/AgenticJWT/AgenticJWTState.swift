import AgenticJWT
import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

/// What a run of an `agentic-jwt` scenario remembers: the identity provider it set up, the
/// registrations the resource server is told about, the honest progress of each workflow (steps
/// completed by accepted calls, and by whom), and each call's DPoP proof (for replays).
struct AgenticJWTState: RunStateKey, Sendable {
    var provider: TokenServiceInfo?
    /// The scenario's endpoints on the resource server under test.
    var map = EndpointMap()
    var registrations: [AgentRegistration] = []
    /// Per workflow: (step, agent) of each accepted call, in order.
    var progress: [String: [(step: String, agent: String)]] = [:]
    /// The proof headers each named call sent (DPoP, or the legacy pair), for replays.
    var proofs: [String: [[String]]] = [:]

    static var defaultValue: AgenticJWTState { AgenticJWTState() }
}

extension RunState {
    var agenticJWT: AgenticJWTState {
        get { self[AgenticJWTState.self] }
        set { self[AgenticJWTState.self] = newValue }
    }

    /// The key an agent's tokens are bound to: its P-256 DPoP key (`cnf.jkt`), or with `binding: jwk`
    /// its RSA key of the legacy proof (`cnf.jwk`).
    func bindingKey(_ name: String, _ binding: BindingMethod) -> JWSSigningKey {
        binding == .thumbprint ? popKey(name) : FixedRSAKeys.agent(name)
    }

    /// The identity provider's P-256 scalar when it signs ES256 (kid `idp-es256`): fixed, like its RSA
    /// key, so that one published key set serves every scenario (``ReferenceIdentityProviderServer``).
    static let providerP256Scalar = JWSSigningKey.p256Scalar(derivedFrom: Array("baton-idp-es256".utf8))

    /// The identity provider's ES256 key.
    static var providerP256Key: JWSSigningKey { .p256(derivedFrom: Array("baton-idp-es256".utf8)) }

    /// An agent's proof-of-possession key: a P-256 key (ES256, as DPoP clients use) derived from its seed.
    func popKey(_ name: String) -> JWSSigningKey {
        .p256(derivedFrom: Array("baton-dpop:".utf8) + key(name).seed)
    }
}
