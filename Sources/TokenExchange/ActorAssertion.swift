import JOSE

/// The signed JWT a sub-agent presents as `actor_token` to prove it is who it says:
/// `iss` = `sub` = its workload URI, `aud` = the token service, a short `exp`, and a
/// `jti` the service accepts only once.
public struct ActorAssertion: Hashable, Sendable {
    public var issuer: String
    public var subject: String
    public var audience: String
    public var issuedAt: Int64
    public var expiresAt: Int64
    public var jwtID: String

    public init(agent: String, audience: String, issuedAt: Int64, lifetime: Int64, jwtID: String) {
        self.issuer = agent
        self.subject = agent
        self.audience = audience
        self.issuedAt = issuedAt
        self.expiresAt = issuedAt + lifetime
        self.jwtID = jwtID
    }

    public var claims: JSONObject {
        [
            "iss": .string(issuer), "sub": .string(subject), "aud": .string(audience),
            "iat": .int(issuedAt), "exp": .int(expiresAt), "jti": .string(jwtID),
        ]
    }

    /// Signs the assertion (`typ: JWT`, no `kid`: the service selects the key by `iss`).
    public func signed(with key: JWSSigningKey) throws -> String {
        try JWS.sign(header: ["typ": "JWT"], claims: claims, key: key).compact
    }
}
