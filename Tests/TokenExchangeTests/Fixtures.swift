import BatonCrypto
import JOSE
import TokenExchange

/// A token service with three registered agents and seeded keys.
enum TX {
    static let issuer = "https://sts.acme.test"
    static func uri(_ name: String) -> String { "spiffe://acme.test/acme/delegation/agent/\(name)" }
    static func key(_ name: String) -> JWSSigningKey { .ed25519(.derived(from: "tx-test:\(name)")) }

    static func service(
        layout: ClaimLayout = .agentSubject, maxDepth: Int64 = 4,
        agents: [RegisteredAgent]? = nil
    ) -> SecurityTokenService {
        let registered =
            agents
            ?? ["orchestrator", "researcher", "writer"].map {
                RegisteredAgent(uri: uri($0), publicKey: key($0).verificationKey, allowedScopes: ["search", "write:draft"])
            }
        return SecurityTokenService(
            configuration: TokenServiceConfiguration(issuer: issuer, layout: layout, maxDepth: maxDepth),
            signingKey: key("sts"), agents: registered)
    }

    static func assertion(_ agent: String, now: Int64, jti: String = "a-1", lifetime: Int64 = 60, signer: String? = nil) throws -> String {
        try ActorAssertion(agent: uri(agent), audience: issuer, issuedAt: now, lifetime: lifetime, jwtID: jti).signed(with: key(signer ?? agent))
    }

    static func request(subject: String, actor: String, scope: String? = nil, audience: String? = nil) -> TokenExchangeRequest {
        TokenExchangeRequest(subjectToken: subject, actorToken: actor, scope: scope, audience: audience)
    }

    static let now: Int64 = 1_780_000_000
}
