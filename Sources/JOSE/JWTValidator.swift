/// Validates JWT claims against an explicit clock. There is no wall clock inside:
/// callers pass `now` in seconds since the epoch.
public struct JWTValidator: Sendable, Equatable {
    /// Expected `iss`; `nil`: not checked.
    public var issuer: String?
    /// Audience that must appear in `aud`; `nil`: not checked.
    public var audience: String?
    /// Clock skew tolerance in seconds, applied to `exp`, `nbf` and `iat` (negative counts as 0).
    public var leeway: Int64
    /// Claims that must be present.
    public var requiredClaims: Set<String>
    /// Maximum `exp - iat` (or `exp - nbf` without `iat`) in seconds; requires `exp`. `nil`: not checked.
    public var maxLifetime: Int64?

    /// A validator; by default only `exp` is required and nothing else is checked.
    public init(
        issuer: String? = nil, audience: String? = nil, leeway: Int64 = 0,
        requiredClaims: Set<String> = ["exp"], maxLifetime: Int64? = nil
    ) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.requiredClaims = requiredClaims
        self.maxLifetime = maxLifetime
    }

    /// Checks the claims at time `now` and returns them typed.
    @discardableResult
    public func validate(_ claims: JWTClaims, now: Int64) throws -> JWTClaims {
        for name in requiredClaims.sorted() where !claims.object.contains(name) { throw JOSEError.missingClaim(name) }

        let leeway = min(max(0, self.leeway), Int64.max / 2)
        let exp = try claims.expiration
        let nbf = try claims.notBefore
        let iat = try claims.issuedAt
        if let exp, now >= Self.saturatingAdd(exp, leeway) { throw JOSEError.expired(exp: exp, now: now) }
        if let nbf, Self.saturatingAdd(nbf, -leeway) > now { throw JOSEError.notYetValid(nbf: nbf, now: now) }
        if let iat, Self.saturatingAdd(iat, -leeway) > now { throw JOSEError.issuedInFuture(iat: iat, now: now) }
        if let maxLifetime {
            guard let exp else { throw JOSEError.missingClaim("exp") }
            guard let start = iat ?? nbf else { throw JOSEError.missingClaim("iat") }
            let (lifetime, overflow) = exp.subtractingReportingOverflow(start)
            if overflow || lifetime > maxLifetime {
                throw JOSEError.lifetimeTooLong(lifetime: overflow ? Int64.max : lifetime, limit: maxLifetime)
            }
        }
        if let issuer {
            let actual = try claims.issuer
            guard actual == issuer else { throw JOSEError.issuerMismatch(expected: issuer, actual: actual) }
        }
        if let audience {
            let actual = try claims.audience ?? []
            guard actual.contains(audience) else { throw JOSEError.audienceMismatch(expected: audience, actual: actual) }
        }
        // Touch the structured claims so a malformed one is an error, not a surprise later.
        _ = try claims.subject
        _ = try claims.jwtID
        _ = try claims.actorChain
        _ = try claims.delegationDepth
        return claims
    }

    /// `a + b` clamped to the `Int64` range (`b` is a leeway, never `Int64.min`).
    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int64.max : Int64.min) : r
    }
}

/// Parse, verify and validate in one call.
public enum JWT {
    /// A token whose signature and claims have been checked.
    public struct Verified: Sendable, Equatable {
        /// The parsed token.
        public let jws: JWS
        /// The key whose signature verified.
        public let key: JWK
        /// The validated claims.
        public let claims: JWTClaims
    }

    /// Parses `token`, verifies its signature and header with `verifier`, then validates its
    /// claims with `validator` at time `now`.
    public static func verify(
        _ token: String, verifier: JWSVerifier, validator: JWTValidator, now: Int64,
        options: JWS.ParseOptions = .default
    ) throws -> Verified {
        let jws = try JWS.parse(token, options: options)
        let key = try verifier.verify(jws)
        let claims = try validator.validate(JWTClaims(jws.claims), now: now)
        return Verified(jws: jws, key: key, claims: claims)
    }
}
