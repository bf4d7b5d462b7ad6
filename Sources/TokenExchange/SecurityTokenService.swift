import BatonCrypto
import JOSE

/// The reference token service (STS): issues root tokens to agents acting for a person,
/// and exchanges a delegator's token plus a sub-agent's actor assertion for a narrower
/// token for the sub-agent (RFC 8693), in either ``ClaimLayout``.
///
/// A value type: the only state is the set of actor assertion `jti`s already used and a
/// counter for issued token ids, both advanced by the `mutating` calls.
public struct SecurityTokenService: Sendable {
    public var configuration: TokenServiceConfiguration
    public var signingKey: JWSSigningKey
    /// Registered agents by workload URI.
    public var agents: [String: RegisteredAgent]
    /// Actor assertion ids already accepted (single use).
    public private(set) var usedAssertionIDs: Set<String> = []
    /// Tokens issued so far (feeds deterministic `jti`s).
    public private(set) var issuedCount = 0

    /// `signingKey` must be asymmetric (EdDSA or ES256): the service publishes its public half.
    public init(configuration: TokenServiceConfiguration, signingKey: JWSSigningKey, agents: [RegisteredAgent]) {
        precondition(signingKey.verificationKey != nil, "a token service signs with an asymmetric key")
        self.configuration = configuration
        self.signingKey = signingKey
        self.agents = Dictionary(agents.map { ($0.uri, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The published key set (`/.well-known/jwks.json`).
    public var jwks: JWKSet {
        let key = signingKey.verificationKey!  // asymmetric, checked in init
        return JWKSet(JWK(key: key, keyID: configuration.keyID, algorithm: key.algorithm.rawValue, use: "sig"))
    }

    // MARK: Root tokens

    /// Issues the token an agent starts with when `principal` (a person) authorizes it,
    /// e.g. at the end of an authorization code flow. `delegation_depth` is 0.
    public mutating func issueRootToken(
        principal: String, agent: String, scopes: [String], audience: String? = nil,
        lifetime: Int64? = nil, now: Int64
    ) throws -> String {
        let exp = now + (lifetime ?? configuration.tokenLifetime)
        var claims = baseClaims(audience: audience ?? agent, now: now, exp: exp, grantType: "authorization_code")
        switch configuration.layout {
        case .agentSubject:
            claims["sub"] = .string(agent)
            claims["principal"] = .string(principal)
            claims["scopes"] = .array(scopes.map(JSONValue.string))
        case .rfc8693:
            claims["sub"] = .string(principal)
            claims["act"] = ["sub": .string(agent)]
            claims["scope"] = .string(scopes.joined(separator: " "))
        }
        claims["client_id"] = .string(agent)
        claims["delegation_depth"] = 0
        return try sign(claims)
    }

    // MARK: Token exchange

    /// Handles one token request at time `now`. Checks, in order: grant type; parameters;
    /// the actor assertion (shape, known agent, key, signature, `iss`=`sub`, `aud`, lifetime,
    /// single-use `jti`); the agent's grant types; the subject token (signature under this
    /// service's key, `iss`, lifetime, shape); depth; scope; audience. Then issues.
    public mutating func exchange(_ request: TokenExchangeRequest, now: Int64) -> Result<TokenResponse, OAuthError> {
        do {
            return .success(try performExchange(request, now: now))
        } catch let error as OAuthError {
            return .failure(error)
        } catch {
            return .failure(OAuthError(.invalidRequest, "\(error)"))
        }
    }

    mutating func performExchange(_ request: TokenExchangeRequest, now: Int64) throws -> TokenResponse {
        guard let grantType = request.grantType else { throw OAuthError(.invalidRequest, "grant_type is missing") }
        guard grantType == TokenExchangeRequest.grantType else {
            throw OAuthError(.unsupportedGrantType, "grant type \(grantType) is not supported")
        }
        guard let subjectToken = request.subjectToken, !subjectToken.isEmpty else {
            throw OAuthError(.invalidRequest, "subject_token is missing")
        }
        guard let subjectType = request.subjectTokenType else { throw OAuthError(.invalidRequest, "subject_token_type is missing") }
        guard [TokenExchangeRequest.jwtTokenType, TokenExchangeRequest.accessTokenType].contains(subjectType) else {
            throw OAuthError(.invalidRequest, "subject_token_type \(subjectType) is not supported")
        }
        guard let actorToken = request.actorToken, !actorToken.isEmpty else {
            throw OAuthError(.invalidRequest, "actor_token is missing: the sub-agent must prove itself")
        }
        guard request.actorTokenType == TokenExchangeRequest.jwtTokenType else {
            throw OAuthError(.invalidRequest, "actor_token_type must be \(TokenExchangeRequest.jwtTokenType)")
        }

        let actor = try authenticateActor(actorToken, now: now)
        guard actor.grantTypes.contains(grantType) else {
            throw OAuthError(.unauthorizedClient, "\(actor.uri) may not use the token-exchange grant")
        }
        let parent = try verifySubjectToken(subjectToken, now: now)

        let depth = parent.depth + 1
        let limit = min(actor.maxDepth ?? configuration.maxDepth, configuration.maxDepth)
        guard depth <= limit else {
            throw OAuthError(.invalidRequest, "delegation depth \(depth) exceeds the limit \(limit) for \(actor.uri)")
        }

        // What may be delegated: the parent's scopes, within the agent's allowance and policy.
        var delegable = parent.scopes.filter { actor.allowedScopes.contains($0) }
        if let policy = configuration.delegableScopes { delegable = delegable.filter { policy.contains($0) } }
        let granted: [String]
        if let scope = request.scope {
            let requested = scope.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !requested.isEmpty else { throw OAuthError(.invalidScope, "scope is empty") }
            if let beyond = requested.first(where: { !delegable.contains($0) }) {
                throw OAuthError(.invalidScope, "\(beyond) is beyond what can be delegated to \(actor.uri) (\(delegable))")
            }
            granted = delegable.filter { requested.contains($0) }
        } else {
            granted = delegable
        }
        guard !granted.isEmpty else { throw OAuthError(.invalidScope, "nothing can be delegated to \(actor.uri)") }

        let audience = request.audience ?? request.resource ?? actor.uri
        guard agents[audience] != nil || audience == configuration.issuer else {
            throw OAuthError(.invalidTarget, "audience \(audience) is not a registered agent")
        }

        let exp = min(now + configuration.tokenLifetime, parent.expiresAt)
        var claims = baseClaims(audience: audience, now: now, exp: exp, grantType: grantType)
        switch configuration.layout {
        case .agentSubject:
            claims["sub"] = .string(actor.uri)
            claims["act"] = ["sub": .string(parent.holder)]
            if let principal = parent.principal { claims["principal"] = .string(principal) }
            claims["scopes"] = .array(granted.map(JSONValue.string))
        case .rfc8693:
            claims["sub"] = .string(parent.subject)
            var act: JSONObject = ["sub": .string(actor.uri)]
            if let previous = parent.act { act["act"] = .object(previous) }
            claims["act"] = .object(act)
            claims["scope"] = .string(granted.joined(separator: " "))
        }
        claims["client_id"] = .string(actor.uri)
        claims["delegation_depth"] = .int(depth)
        let token = try sign(claims)
        return TokenResponse(
            accessToken: token, issuedTokenType: TokenExchangeRequest.jwtTokenType, tokenType: "Bearer",
            expiresIn: exp - now, scope: granted.joined(separator: " "))
    }

    /// Checks the actor assertion and returns the agent it proves; marks its `jti` used.
    mutating func authenticateActor(_ assertion: String, now: Int64) throws -> RegisteredAgent {
        let jws: JWS
        do { jws = try JWS.parse(assertion) } catch {
            throw OAuthError(.invalidRequest, "actor_token is malformed: \(error)")
        }
        let claims = JWTClaims(jws.claims)
        guard let iss = try? claims.issuer, let sub = try? claims.subject else {
            throw OAuthError(.invalidRequest, "actor_token lacks string iss and sub")
        }
        guard iss == sub else { throw OAuthError(.invalidRequest, "actor_token iss \(iss) differs from sub \(sub)") }
        guard let agent = agents[iss] else { throw OAuthError(.invalidClient, "unknown sub-agent \(iss)") }
        guard let key = agent.publicKey else { throw OAuthError(.invalidClient, "\(iss) has no registered public key") }
        do {
            // The agent's own key only; never one named or carried by the header.
            try JWSVerifier(key: key).verify(jws)
        } catch {
            throw OAuthError(.invalidClient, "actor_token does not verify under \(iss)'s registered key: \(error)")
        }
        do {
            try JWTValidator(
                issuer: iss, audience: configuration.issuer, requiredClaims: ["exp", "iat", "jti"],
                maxLifetime: configuration.maxAssertionLifetime
            ).validate(claims, now: now)
        } catch {
            throw OAuthError(.invalidRequest, "actor_token rejected: \(error)")
        }
        guard let jti = try? claims.jwtID, !jti.isEmpty else { throw OAuthError(.invalidRequest, "actor_token has no jti") }
        guard usedAssertionIDs.insert("\(iss)#\(jti)").inserted else {
            throw OAuthError(.invalidRequest, "actor_token jti \(jti) was already used")
        }
        return agent
    }

    /// What the service reads from a subject token it issued itself.
    struct ParentToken {
        var subject: String
        var holder: String
        var principal: String?
        var scopes: [String]
        var depth: Int64
        var expiresAt: Int64
        var act: JSONObject?
    }

    /// Verifies a subject token under this service's own key and reads it.
    func verifySubjectToken(_ token: String, now: Int64) throws -> ParentToken {
        let verified: JWT.Verified
        do {
            verified = try JWT.verify(
                token, verifier: JWSVerifier(keys: jwks, allowedAlgorithms: [signingKey.algorithm]),
                validator: JWTValidator(issuer: configuration.issuer, requiredClaims: ["exp", "sub", "delegation_depth"]),
                now: now)
        } catch {
            throw OAuthError(.invalidRequest, "subject_token is invalid: \(error)")
        }
        let claims = verified.claims
        do {
            guard let sub = try claims.subject, let exp = try claims.expiration, let depth = try claims.delegationDepth else {
                throw OAuthError(.invalidRequest, "subject_token lacks sub, exp or delegation_depth")
            }
            let act = try claims.object.object("act")
            let layout = configuration.layout
            guard let holder = layout.holder(subject: sub, actors: try claims.actorChain ?? []) else {
                throw OAuthError(.invalidRequest, "subject_token names no current actor")
            }
            return ParentToken(
                subject: sub, holder: holder, principal: try layout.principal(subject: sub, claims: claims),
                scopes: try layout.scopes(in: claims), depth: depth, expiresAt: exp, act: act)
        } catch let error as OAuthError {
            throw error
        } catch {
            throw OAuthError(.invalidRequest, "subject_token is invalid: \(error)")
        }
    }

    func baseClaims(audience: String, now: Int64, exp: Int64, grantType: String) -> JSONObject {
        [
            "iss": .string(configuration.issuer), "aud": .string(audience), "iat": .int(now), "exp": .int(exp),
            "grant_type": .string(grantType),
        ]
    }

    mutating func sign(_ claims: JSONObject) throws -> String {
        issuedCount += 1
        var claims = claims
        let digest = SHA256.hash(Array("\(configuration.issuer)|\(issuedCount)|".utf8) + claims.serialized())
        claims["jti"] = .string(Hex.encode(Array(digest.prefix(12))))
        return try JWS.sign(header: ["typ": "at+jwt", "kid": .string(configuration.keyID)], claims: claims, key: signingKey).compact
    }
}
