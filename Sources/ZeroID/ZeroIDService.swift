import BatonCrypto
import JOSE
import TokenExchange

/// Baton's model of a ZeroID deployment's token service, from its wire contract: identities with
/// WIMSE URIs and P-256 keys, credential policies, root credentials (`client_credentials`), RFC 8693
/// token exchange with ES256 actor assertions, both token profiles, introspection, revocation that
/// cascades along the lineage, and lineage queries. With ``ZeroIDCompatibility/spec`` it does what
/// the specifications want where ZeroID is weaker; with ``ZeroIDCompatibility/zeroid`` it
/// reproduces ZeroID f08f979. A value type: the credential store and the consumed assertion ids
/// advance with the `mutating` calls.
public struct ZeroIDService: Sendable {
    public var configuration: ZeroIDConfiguration
    public var signingKey: JWSSigningKey
    /// Identities by WIMSE URI text.
    public var identities: [String: ZeroIDIdentity]
    /// Credential policies by id.
    public var policies: [String: CredentialPolicy]
    /// OAuth clients by `client_id` (registration is global, as in ZeroID).
    public var clients: [String: ZeroIDOAuthClient] = [:]
    /// Defences removed (attack range only).
    public var flaws: Set<ZeroIDFlaw>
    /// Issued credentials by `jti` (ZeroID's `issued_credentials` table).
    public private(set) var credentials: [String: IssuedCredential] = [:]
    /// Actor assertion ids consumed (the reference only).
    public private(set) var usedAssertionIDs: Set<String> = []
    public private(set) var issuedCount = 0

    /// One row of `issued_credentials`.
    public struct IssuedCredential: Hashable, Sendable {
        public var jti: String
        public var parentJTI: String?
        /// The tenant (`account_id`, `project_id`) it was issued in.
        public var account: String
        public var project: String
        public var grantType: String
        public var issuedAt: Int64
        /// The token as issued (the reference refuses any other bytes under this `jti`).
        public var token: String
        public var identity: String
        public var scopes: [String]
        public var depth: Int64
        public var expiresAt: Int64
        public var missionID: String
        public var revoked = false
        /// The claims, for introspection.
        public var claims: JSONObject
    }

    /// `signingKey` must be P-256: ZeroID signs token-exchange tokens with ES256 only.
    public init(
        configuration: ZeroIDConfiguration, signingKey: JWSSigningKey, identities: [ZeroIDIdentity], policies: [CredentialPolicy],
        flaws: Set<ZeroIDFlaw> = []
    ) {
        precondition(signingKey.algorithm == .es256, "ZeroID signs with ES256")
        self.configuration = configuration
        self.signingKey = signingKey
        self.identities = Dictionary(identities.map { ($0.uri.description, $0) }, uniquingKeysWith: { _, last in last })
        self.policies = Dictionary(policies.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.flaws = flaws
    }

    /// `/.well-known/jwks.json`.
    public var jwks: JWKSet {
        let key = signingKey.verificationKey!  // P-256, checked in init
        return JWKSet(JWK(key: key, keyID: configuration.keyID, algorithm: "ES256", use: "sig"))
    }

    func policy(of identity: ZeroIDIdentity) throws -> CredentialPolicy {
        guard let id = identity.policyID else { return configuration.defaultPolicy }
        guard let p = policies[id] else { throw ZeroIDError(.serverError, at: .policy, "failed to resolve actor credential policy") }
        return p
    }

    // MARK: Root credentials

    /// `client_credentials` for a registered identity: the root of a delegation chain (no
    /// `delegation_depth`, `mission_id` = its own `jti`). Scopes: requested ∩ registration ∩ policy.
    public mutating func issueRootCredential(identity uri: String, scopes requested: [String], ttl: Int64, now: Int64) throws -> String {
        guard let identity = identities[uri] else { throw ZeroIDError(.invalidRequest, at: .request, "unknown identity \(uri)") }
        let policy = try self.policy(of: identity)
        guard policy.allowedGrantTypes.contains("client_credentials") else {
            throw ZeroIDError(
                .policyViolation, at: .policy, "credential policy violation: grant type \"client_credentials\" is not permitted by policy")
        }
        let granted = requested.filter {
            (identity.allowedScopes?.contains($0) ?? true) && (policy.allowedScopes.isEmpty || policy.allowedScopes.contains($0))
        }
        guard !granted.isEmpty else { throw ZeroIDError(.invalidScope, at: .scope, "requested scopes are not permitted for this identity") }
        let lifetime = min(ttl, policy.maxTTLSeconds)
        var claims = tenantClaims(identity, now: now, exp: now + lifetime, grantType: "client_credentials")
        claims["sub"] = .string(identity.uri.description)
        for (k, v) in identityClaims(identity) { claims[k] = v }
        if configuration.profile == .rfc8693 {
            claims["principal_type"] = "workload"
            claims["client_id"] = .string(identity.externalID)
        }
        writeScopes(granted, into: &claims)
        return try issue(claims, identity: identity, scopes: granted, depth: 0, parent: nil, mission: nil, exp: now + lifetime)
    }

    // MARK: Token exchange

    /// `POST /oauth2/token` with the token-exchange grant, checked as ZeroID does (Z0–Z8).
    public mutating func exchange(_ request: TokenExchangeRequest, now: Int64) -> Result<ZeroIDTokenResponse, ZeroIDError> {
        do {
            return .success(try performExchange(request, now: now))
        } catch let e as ZeroIDError {
            return .failure(e)
        } catch {
            return .failure(ZeroIDError(.serverError, at: .request, "an unexpected error occurred"))
        }
    }

    mutating func performExchange(_ request: TokenExchangeRequest, now: Int64) throws -> ZeroIDTokenResponse {
        // Z0: the request. Empty values count as absent.
        guard let grantType = nonEmpty(request.grantType) else { throw ZeroIDError(.invalidRequest, at: .request, "grant_type is required") }
        guard grantType == TokenExchangeRequest.grantType else { throw ZeroIDError(.unsupportedGrantType, at: .request, grantType) }
        guard let subjectToken = nonEmpty(request.subjectToken) else {
            throw ZeroIDError(.invalidRequest, at: .request, "subject_token is required for token_exchange grant")
        }
        guard let actorToken = nonEmpty(request.actorToken) else {
            throw ZeroIDError(.invalidGrant, at: .request, "external principal exchange is not configured")
        }

        let parent = try subjectCredential(subjectToken, now: now)
        let actor = try authenticateActor(actorToken, parent: parent, now: now)
        let policy = try self.policy(of: actor)

        // Z7: scopes.
        let requested = (request.scope ?? "").split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let granted = try attenuate(requested: requested, parent: parent, actor: actor, policy: policy)

        // Z8: the actor's credential policy.
        let depth = parent.depth + 1
        try enforce(policy, on: actor, grant: "token_exchange", depth: depth, ttl: configuration.defaultTTL)

        // A child never outlives its parent (ZeroID clamps exp to the subject credential's).
        let exp = flaws.contains(.childOutlivesParent) ? now + configuration.defaultTTL : min(now + configuration.defaultTTL, parent.expiresAt)
        // The mission is carried unchanged (the flawed service starts a new one at every hop).
        let mission: String? = flaws.contains(.missionNotCarried) ? nil : parent.missionID
        var claims = tenantClaims(actor, now: now, exp: exp, grantType: "token_exchange")
        let parentClaims = JWTClaims(parent.claims)
        let parentAct = try? parentClaims.object.object("act")
        switch configuration.profile {
        case .legacy:
            claims["sub"] = .string(actor.uri.description)
            for (k, v) in identityClaims(actor) { claims[k] = v }
            if configuration.compatibility == .zeroid {
                claims["act"] = ["sub": .string(parent.identity)]
            } else {
                let prior = parentAct ?? ["sub": .string(parent.identity)]
                claims["act"] = .object(Self.capped(["sub": .string(actor.uri.description), "act": .object(Self.subOnly(prior))]))
            }
        case .rfc8693:
            let principal = (try? parentClaims.subject) ?? parent.identity
            claims["sub"] = .string(principal)
            claims["principal_type"] = .string(parent.depth == 0 || parentClaims.object["principal_type"] != nil ? "workload" : "unknown")
            var act: JSONObject = [
                "sub": .string(actor.uri.description), "identity_type": .string(actor.identityType),
                "trust_level": .string(actor.trustLevel.rawValue), "external_id": .string(actor.externalID),
            ]
            if let parentAct { act["act"] = .object(Self.subOnly(parentAct)) }
            claims["act"] = .object(Self.capped(act))
            claims["client_id"] = .string(actor.externalID)
            claims["sub_type"] = .string(actor.subType)
            claims["status"] = "active"
            claims["owner_user_id"] = .string(actor.ownerUserID)
        }
        claims["delegation_depth"] = .int(depth)
        writeScopes(granted, into: &claims)
        let token = try issue(claims, identity: actor, scopes: granted, depth: depth, parent: parent.jti, mission: mission, exp: exp)
        let jti = try JWTClaims(JWS.parse(token).claims).jwtID ?? ""
        return ZeroIDTokenResponse(
            accessToken: token, expiresIn: exp - now, scope: granted.joined(separator: " "), jti: jti, issuedAt: now,
            issuedTokenType: TokenExchangeRequest.accessTokenType)
    }

    /// Z1: the subject token is this service's, valid now, and an active credential it issued.
    func subjectCredential(_ token: String, now: Int64) throws -> IssuedCredential {
        let claims: JWTClaims
        do {
            claims = try JWT.verify(
                token, verifier: JWSVerifier(keys: jwks, allowedAlgorithms: [.es256]),
                validator: JWTValidator(issuer: configuration.issuer, requiredClaims: ["exp"]), now: now
            ).claims
        } catch {
            throw ZeroIDError(.invalidGrant, at: .subjectToken, "subject_token validation failed")
        }
        guard let jti = try? claims.jwtID, !jti.isEmpty else {
            throw ZeroIDError(.invalidGrant, at: .subjectToken, "subject_token missing jti claim")
        }
        let inactive = ZeroIDError(.invalidGrant, at: .subjectToken, "subject_token is inactive or has been revoked")
        if flaws.contains(.subjectNotLookedUp) {
            // The flaw: the signed claims stand in for the credential row.
            return IssuedCredential(
                jti: jti, parentJTI: nil, account: (try? claims.object.string("account_id")) ?? "",
                project: (try? claims.object.string("project_id")) ?? "", grantType: (try? claims.object.string("grant_type")) ?? "",
                issuedAt: (try? claims.issuedAt) ?? now, token: token, identity: (try? claims.subject) ?? "",
                scopes: (try? claims.scopes) ?? (try? claims.scope) ?? [], depth: (try? claims.delegationDepth) ?? 0,
                expiresAt: (try? claims.expiration) ?? now, missionID: (try? claims.object.string("mission_id")) ?? jti, claims: claims.object)
        }
        guard let credential = credentials[jti], !credential.revoked else { throw inactive }
        if configuration.compatibility == .spec, credential.token != token { throw inactive }
        return credential
    }

    /// Z2–Z6: the actor assertion, as ZeroID checks it (and, in the reference, single use).
    mutating func authenticateActor(_ assertion: String, parent: IssuedCredential, now: Int64) throws -> ZeroIDIdentity {
        // Z2: structure and algorithm.
        let jws: JWS
        do { jws = try JWS.parse(assertion) } catch { throw ZeroIDError(.invalidGrant, at: .actorAlgorithm, "actor_token is malformed") }
        let allowed: Set<String> = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        let unsigned = jws.algorithmName?.lowercased() == "none"
        if !(unsigned && flaws.contains(.actorAlgNone)) {
            guard let alg = jws.algorithmName, allowed.contains(alg) else {
                throw ZeroIDError(.invalidGrant, at: .actorAlgorithm, "actor_token uses an unsupported algorithm")
            }
        }
        let claims = JWTClaims(jws.claims)

        // Z3: the identity named by iss.
        guard let iss = try? claims.issuer else { throw ZeroIDError(.invalidGrant, at: .actorIdentity, "actor_token missing iss claim") }
        guard let uri = WorkloadURI(iss), uri.trustDomain == configuration.wimseDomain else {
            throw ZeroIDError(.invalidGrant, at: .actorIdentity, "actor_token iss is not a valid WIMSE URI")
        }
        if !flaws.contains(.skipTenant), let account = try? parent.claims.string("account_id"),
            let project = try? parent.claims.string("project_id"), uri.account != account || uri.project != project
        {
            throw ZeroIDError(.invalidGrant, at: .actorIdentity, "subject_token and actor_token must belong to the same tenant")
        }
        guard let identity = identities[uri.description] else {
            throw ZeroIDError(.invalidGrant, at: .actorIdentity, "unknown actor identity \(uri)")
        }
        guard identity.status == "active" else {
            throw ZeroIDError(.invalidGrant, at: .actorIdentity, "actor identity is suspended or deactivated")
        }

        // Z4: the registered key, and the signature under it (ES256 only).
        guard let pem = identity.publicKeyPEM else {
            throw ZeroIDError(
                .invalidGrant, at: .actorKey,
                "no public key registered for actor identity \(identity.externalID) — register a key before using token_exchange")
        }
        guard let key = try? JWSVerificationKey(pem: pem), key.algorithm == .es256 else {
            throw ZeroIDError(.invalidGrant, at: .actorKey, "actor's registered public key is invalid")
        }
        let failed = "actor_token validation failed"
        if !flaws.contains(.skipActorSignature) && !(unsigned && flaws.contains(.actorAlgNone)) {
            guard jws.algorithmName == "ES256", key.isValidSignature(jws.signature, for: jws.signingInput, algorithm: .es256) else {
                throw ZeroIDError(.invalidGrant, at: .actorKey, failed)
            }
        }

        // Z5: claims. aud must contain the issuer exactly; exp and sub are required.
        if !flaws.contains(.skipActorAudience) {
            guard let aud = try? claims.audience, aud.contains(configuration.issuer) else {
                throw ZeroIDError(.invalidGrant, at: .actorClaims, failed)
            }
        }
        let exp: Int64?
        do { exp = try claims.expiration } catch { throw ZeroIDError(.invalidGrant, at: .actorClaims, failed) }
        if !flaws.contains(.skipActorExpiry) {
            guard let exp else { throw ZeroIDError(.invalidGrant, at: .actorClaims, "actor_token missing required exp claim") }
            guard exp > now else { throw ZeroIDError(.invalidGrant, at: .actorClaims, failed) }
        }
        if let nbf = try? claims.notBefore, nbf > now { throw ZeroIDError(.invalidGrant, at: .actorClaims, failed) }
        if let iat = try? claims.issuedAt, iat > now { throw ZeroIDError(.invalidGrant, at: .actorClaims, failed) }
        guard (try? claims.subject) != nil else { throw ZeroIDError(.invalidGrant, at: .actorClaims, "actor_token missing required sub claim") }

        // Z6: single use (the reference; ZeroID records no jti, zeroid#282).
        if configuration.compatibility == .spec && !flaws.contains(.replayableAssertions) {
            guard let jti = try? claims.jwtID, !jti.isEmpty else {
                throw ZeroIDError(.invalidGrant, at: .assertionReplay, "actor_token missing jti claim: actor assertions are single-use")
            }
            guard usedAssertionIDs.insert("\(iss)#\(jti)").inserted else {
                throw ZeroIDError(.invalidGrant, at: .assertionReplay, "actor_token \(jti) has already been used")
            }
        }
        return identity
    }

    /// Z7: requested ∩ subject token ∩ actor policy ∩ actor registration (ZeroID f08f979: the policy's
    /// list replaces the registration's as ceiling, and the registration is re-checked afterwards).
    func attenuate(requested: [String], parent: IssuedCredential, actor: ZeroIDIdentity, policy: CredentialPolicy) throws -> [String] {
        let policyCeiling = flaws.contains(.scopeIgnoresPolicy) ? [] : policy.allowedScopes
        let prefix = "requested scopes are not available for delegation"
        guard !requested.isEmpty else { throw ZeroIDError(.invalidScope, at: .scope, "\(prefix): no scopes were requested") }
        switch configuration.compatibility {
        case .spec:
            var granted: [String] = []
            for s in requested where !granted.contains(s) {
                guard parent.scopes.contains(s) else { continue }
                guard policyCeiling.isEmpty || policyCeiling.contains(s) else { continue }
                guard actor.allowedScopes?.contains(s) ?? true else { continue }
                granted.append(s)
            }
            guard !granted.isEmpty else {
                var causes: [String] = []
                let notHeld = requested.filter { !parent.scopes.contains($0) }
                if !notHeld.isEmpty { causes.append("the subject token does not hold \(notHeld)") }
                let notRegistered = requested.filter { parent.scopes.contains($0) && !(actor.allowedScopes?.contains($0) ?? true) }
                if !notRegistered.isEmpty { causes.append("the actor identity is not registered for \(notRegistered)") }
                let notPolicy = requested.filter {
                    parent.scopes.contains($0) && (actor.allowedScopes?.contains($0) ?? true) && !policyCeiling.isEmpty && !policyCeiling.contains($0)
                }
                if !notPolicy.isEmpty { causes.append("the actor's credential policy does not permit \(notPolicy)") }
                throw ZeroIDError(.invalidScope, at: .scope, "\(prefix): \(causes.joined(separator: "; "))")
            }
            return granted
        case .zeroid:
            let ceiling = policyCeiling.isEmpty ? (actor.allowedScopes ?? []) : policyCeiling
            var granted: [String] = []
            for s in requested where !granted.contains(s) && parent.scopes.contains(s) && (ceiling.isEmpty || ceiling.contains(s)) {
                granted.append(s)
            }
            guard !granted.isEmpty else { throw ZeroIDError(.invalidScope, at: .scope, prefix) }
            if let allowed = actor.allowedScopes, !allowed.isEmpty, let outside = granted.first(where: { !allowed.contains($0) }) {
                throw ZeroIDError(
                    .insufficientScope, at: .scope,
                    "one or more requested scopes are not permitted for this identity: \"\(outside)\" not in allowed_scopes")
            }
            return granted
        }
    }

    /// Z8: `EnforcePolicy` against the actor's policy.
    func enforce(_ policy: CredentialPolicy, on identity: ZeroIDIdentity, grant: String, depth: Int64, ttl: Int64) throws {
        let prefix = "credential policy violation:"
        guard policy.active else { throw ZeroIDError(.policyViolation, at: .policy, "\(prefix) policy \"\(policy.id)\" is inactive") }
        if !flaws.contains(.skipGrantType), !policy.allowedGrantTypes.contains(grant) {
            throw ZeroIDError(
                .policyViolation, at: .policy,
                "\(prefix) grant type \"\(grant)\" is not permitted by policy (allowed: \(policy.allowedGrantTypes))")
        }
        if !flaws.contains(.skipTrustLevel), let required = policy.requiredTrustLevel, identity.trustLevel < required {
            throw ZeroIDError(
                .policyViolation, at: .policy,
                "\(prefix) identity trust level \"\(identity.trustLevel.rawValue)\" does not meet required level \"\(required.rawValue)\"")
        }
        if !flaws.contains(.skipDepth), depth > policy.maxDelegationDepth {
            throw ZeroIDError(
                .policyViolation, at: .policy, "\(prefix) delegation depth \(depth) exceeds policy maximum \(policy.maxDelegationDepth)")
        }
        if !flaws.contains(.skipTTL), ttl > policy.maxTTLSeconds {
            throw ZeroIDError(.policyViolation, at: .policy, "\(prefix) requested TTL \(ttl)s exceeds policy maximum \(policy.maxTTLSeconds)s")
        }
    }

    // MARK: Introspection, revocation, lineage

    /// `POST /oauth2/token/introspect`: the RFC 7662 answer for an active credential, or why it is not.
    public func introspect(_ token: String, now: Int64) -> Result<JSONObject, ZeroIDError> {
        let inactive = { (why: String) in Result<JSONObject, ZeroIDError>.failure(ZeroIDError(.tokenInactive, at: .revocation, why)) }
        guard
            let claims = try? JWT.verify(
                token, verifier: JWSVerifier(keys: jwks, allowedAlgorithms: [.es256]),
                validator: JWTValidator(issuer: configuration.issuer, requiredClaims: ["exp"]), now: now
            ).claims
        else { return inactive("the token does not verify or has expired") }
        guard let jti = try? claims.jwtID, let credential = credentials[jti] else { return inactive("no credential was issued with this jti") }
        guard !credential.revoked else { return inactive("credential \(jti) is revoked") }
        if configuration.compatibility == .spec, credential.token != token { return inactive("the token is not the one issued as \(jti)") }
        var answer: JSONObject = ["active": true]
        for name in [
            "sub", "iss", "jti", "iat", "exp", "account_id", "project_id", "trust_level", "identity_type", "external_id", "delegation_depth",
            "act", "client_id", "mission_id", "owner_user_id",
        ] {
            if let v = credential.claims[name] { answer[name] = v }
        }
        answer["scope"] = .string(credential.scopes.joined(separator: " "))
        return .success(answer)
    }

    /// `POST /oauth2/token/revoke`: revokes the credential and, along `parent_jti`, every descendant
    /// (at most 50 levels). Answers `{"revoked":true}` whatever the token.
    public mutating func revoke(_ token: String) -> JSONObject {
        guard let jws = try? JWS.parse(token), let jti = try? JWTClaims(jws.claims).jwtID, credentials[jti] != nil else { return ["revoked": true] }
        credentials[jti]?.revoked = true
        guard !flaws.contains(.noCascade) else { return ["revoked": true] }
        var frontier: Set<String> = [jti]
        for _ in 0..<50 where !frontier.isEmpty {
            let children = credentials.values.filter { $0.parentJTI.map(frontier.contains) ?? false }.map(\.jti)
            for c in children { credentials[c]?.revoked = true }
            frontier = Set(children)
        }
        return ["revoked": true]
    }

    // MARK: Issuing

    func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }

    func tenantClaims(_ identity: ZeroIDIdentity, now: Int64, exp: Int64, grantType: String) -> JSONObject {
        [
            "iss": .string(configuration.issuer), "aud": [.string(configuration.issuer)], "iat": .int(now), "exp": .int(exp),
            "account_id": .string(identity.account), "project_id": .string(identity.project), "grant_type": .string(grantType),
        ]
    }

    /// The identity claims a legacy token (and a root token) carries at the top level.
    func identityClaims(_ identity: ZeroIDIdentity) -> JSONObject {
        [
            "external_id": .string(identity.externalID), "identity_type": .string(identity.identityType), "sub_type": .string(identity.subType),
            "trust_level": .string(identity.trustLevel.rawValue), "status": "active", "owner_user_id": .string(identity.ownerUserID),
        ]
    }

    func writeScopes(_ scopes: [String], into claims: inout JSONObject) {
        claims["scopes"] = .array(scopes.map(JSONValue.string))
        if configuration.profile == .rfc8693 { claims["scope"] = .string(scopes.joined(separator: " ")) }
    }

    /// Prior actors carry only `sub`.
    static func subOnly(_ act: JSONObject) -> JSONObject {
        var out: JSONObject = [:]
        if let sub = act["sub"] { out["sub"] = sub }
        if case let .object(inner)? = act["act"] { out["act"] = .object(subOnly(inner)) }
        return out
    }

    /// At most 16 levels; the deepest are dropped.
    static func capped(_ act: JSONObject, levels: Int = 16) -> JSONObject {
        var out = act
        guard case let .object(inner)? = act["act"] else { return out }
        if levels <= 1 { out["act"] = nil } else { out["act"] = .object(capped(inner, levels: levels - 1)) }
        return out
    }

    mutating func issue(
        _ claims: JSONObject, identity: ZeroIDIdentity, scopes: [String], depth: Int64, parent: String?, mission: String?, exp: Int64
    ) throws -> String {
        issuedCount += 1
        var claims = claims
        let jti = ZeroIDUUID.derived(from: Array("\(configuration.issuer)|\(issuedCount)|".utf8) + claims.serialized())
        claims["jti"] = .string(jti)
        let missionID = mission ?? jti
        claims["mission_id"] = .string(missionID)
        let typ: JSONValue = configuration.profile == .rfc8693 ? "at+jwt" : "JWT"
        let token = try JWS.sign(header: ["alg": "ES256", "kid": .string(configuration.keyID), "typ": typ], claims: claims, key: signingKey).compact
        credentials[jti] = IssuedCredential(
            jti: jti, parentJTI: parent, account: identity.account, project: identity.project, grantType: claims["grant_type"]?.stringValue ?? "",
            issuedAt: claims["iat"]?.intValue ?? 0, token: token, identity: identity.uri.description, scopes: scopes, depth: depth, expiresAt: exp,
            missionID: missionID, claims: claims)
        return token
    }
}

/// ZeroID's token response: RFC 6749 §5.1 plus `jti` and `iat`, and RFC 8693's `issued_token_type`
/// (ZeroID f08f979 omits it; newer upstream and the reference send it).
public struct ZeroIDTokenResponse: Hashable, Sendable {
    public var accessToken: String
    public var tokenType = "Bearer"
    public var expiresIn: Int64
    public var scope: String
    public var jti: String
    public var issuedAt: Int64
    public var issuedTokenType: String?

    public var json: JSONObject {
        var o: JSONObject = [
            "access_token": .string(accessToken), "token_type": .string(tokenType), "expires_in": .int(expiresIn), "scope": .string(scope),
            "jti": .string(jti), "iat": .int(issuedAt),
        ]
        if let issuedTokenType { o["issued_token_type"] = .string(issuedTokenType) }
        return o
    }
}
