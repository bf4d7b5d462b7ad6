/// Service-wide settings of a token service.
public struct TokenServiceConfiguration: Hashable, Sendable {
    /// The `iss` of issued tokens, and the `aud` actor assertions must name.
    public var issuer: String
    public var layout: ClaimLayout
    /// Lifetime of an issued token, seconds (never beyond its subject token's `exp`).
    public var tokenLifetime: Int64
    /// Longest accepted actor assertion lifetime (`exp - iat`), seconds.
    public var maxAssertionLifetime: Int64
    /// The deepest `delegation_depth` any token may reach.
    public var maxDepth: Int64
    /// Scopes policy lets anyone delegate; nil: no service-wide restriction.
    public var delegableScopes: [String]?
    /// `kid` of the signing key in the JWKS.
    public var keyID: String

    public init(
        issuer: String, layout: ClaimLayout = .agentSubject, tokenLifetime: Int64 = 900,
        maxAssertionLifetime: Int64 = 300, maxDepth: Int64 = 4, delegableScopes: [String]? = nil,
        keyID: String = "sts-1"
    ) {
        self.issuer = issuer
        self.layout = layout
        self.tokenLifetime = tokenLifetime
        self.maxAssertionLifetime = maxAssertionLifetime
        self.maxDepth = maxDepth
        self.delegableScopes = delegableScopes
        self.keyID = keyID
    }
}
